"""The rule catalogue is data in one place, documented, and covers every generator defect."""

from __future__ import annotations

import string

from core.settings import REPO_ROOT
from ingestion.catalogue import BY_CODE, GENERATOR_DEFECT_RULES, RULES, SEVERITIES, render_markdown
from sample_data.defects import RECORD_KINDS, UPLOAD_KINDS


def test_codes_unique_and_families_consistent() -> None:
    assert len(BY_CODE) == len(RULES)
    for r in RULES:
        assert r.severity in SEVERITIES
        assert len(r.code) == 3 and r.code.isdigit()
        if r.code.startswith("0"):
            assert r.severity in ("reject", "info"), r
        else:
            assert r.severity in ("error", "warning"), r
        fields = {f for _, f, _, _ in string.Formatter().parse(r.message) if f}
        assert fields <= {"field", "value", "expected", "state", "fir_key", "file", "detail", "upload"}, r


def test_every_generator_defect_kind_has_a_rule() -> None:
    assert set(GENERATOR_DEFECT_RULES) == set(RECORD_KINDS) | set(UPLOAD_KINDS)
    for codes in GENERATOR_DEFECT_RULES.values():
        assert codes and codes <= set(BY_CODE)


def test_docs_are_generated_from_the_catalogue() -> None:
    assert (REPO_ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == render_markdown()
