"""core.settings: one Settings class, read at each call, documented in docs/operations.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core import settings
from core.settings import REPO_ROOT, SettingError, Settings, env_name, setting

DOC = REPO_ROOT / "docs" / "operations.md"


def test_docs_table_is_the_settings_class() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- settings-table:start -->\n(.*?)<!-- settings-table:end -->", text, re.S)
    assert block is not None, "docs/operations.md lost its settings table markers"
    assert block[1] == settings.settings_table(), "docs/operations.md: paste core.settings.settings_table()"
    for field in Settings.model_fields:
        assert f"`{env_name(field)}`" in block[1]


def test_every_setting_has_a_description_and_a_cctns_name() -> None:
    for field, info in Settings.model_fields.items():
        assert info.description, field
        assert env_name(field) == "CCTNS_" + field.upper()


def test_read_at_each_call(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CCTNS_KEEP_VERSIONS", raising=False)
    assert setting("keep_versions") == 5
    monkeypatch.setenv("CCTNS_KEEP_VERSIONS", "7")
    assert setting("keep_versions") == 7
    assert settings.settings().keep_versions == 7
    monkeypatch.setenv("CCTNS_KEEP_VERSIONS", "")  # empty counts as unset
    assert setting("keep_versions") == 5
    monkeypatch.setenv("CCTNS_HOME", str(tmp_path))
    assert settings.paths().home == tmp_path.resolve()


def test_bad_value_names_the_variable_and_stays_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCTNS_DEMO_PORT", "port")
    with pytest.raises(
        SettingError, match=r"^CCTNS_DEMO_PORT must be an integer, at least 1, at most 65535, got 'port'$"
    ):
        setting("demo_port")
    with pytest.raises(SettingError, match="CCTNS_DEMO_PORT"):
        settings.settings()
    assert setting("keep_versions") >= 1  # another setting still reads
    monkeypatch.setenv("CCTNS_DEMO_RUNNER", "cron")
    with pytest.raises(KeyError):
        setting("no_such_setting")

    class Mine(RuntimeError):
        pass

    with pytest.raises(Mine, match="CCTNS_DEMO_RUNNER must be one of 'airflow', 'cli'"):
        setting("demo_runner", error=Mine)


def test_booleans_and_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCTNS_DEMO_SERVE", "0")
    assert setting("demo_serve") is False
    monkeypatch.setenv("CCTNS_DEMO_SERVE", "1")
    assert setting("demo_serve") is True
    monkeypatch.delenv("CCTNS_FEEDBACK_TARGET", raising=False)
    assert setting("feedback_target") is None
    monkeypatch.setenv("CCTNS_FEEDBACK_TARGET", "/mnt/scrb")
    assert setting("feedback_target") == Path("/mnt/scrb")
