"""``cctns quality`` commands through Typer's runner, on a copy of the gated test home."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cctns.quality_cli import quality_app
from ingestion.pipeline import ingest
from quality.gate import batch_status, excluded_loads
from tests.quality import support
from tests.quality.conftest import Gated, last_night


def test_cli_imports_no_great_expectations() -> None:
    import subprocess
    import sys

    code = "import sys, cctns.quality_cli, quality.gate, quality.marts; assert 'great_expectations' not in sys.modules, 'GX imported at import'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_run_status_release_reject(
    q_gated: Gated, q_inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the nine gated clean nights, then a second upload of State 09's ninth night: ten times its FIRs
    home = support.copy_home(q_gated.home, tmp_path / "home")
    (src,) = [p for p in last_night(q_inbox) if p.name.startswith("09_") and p.is_dir()]
    bad = support.rewrite(src, tmp_path / "bad", lambda t: support.multiply(t, 10))
    bad = bad.rename(bad.with_name(bad.name[:-2] + "02"))
    manifest = (bad / "manifest.json").read_text().replace('"sequence": 1', '"sequence": 2')
    (bad / "manifest.json").write_text(manifest)
    (summary,) = ingest([bad], home, channel="09")
    held = summary.ledger["load_id"]
    monkeypatch.setenv("CCTNS_HOME", str(home.home))
    runner = CliRunner(env={"COLUMNS": "300"})

    res = runner.invoke(quality_app, ["run", "--no-docs"])
    assert res.exit_code == 0, res.output
    assert "HELD" in res.output and "volume.high.critical" in res.output and held in res.output

    res = runner.invoke(quality_app, ["run", "--no-docs"])
    assert res.exit_code == 0 and "Nothing to check" in res.output

    res = runner.invoke(quality_app, ["status", "--status", "HELD"])
    assert res.exit_code == 0 and held in res.output and "volume.high.critical" in res.output

    res = runner.invoke(quality_app, ["reject", q_gated.ids["29"], "--by", "Ravi", "--note", "test"])
    assert res.exit_code == 1 and "only a HELD batch" in res.output

    res = runner.invoke(quality_app, ["release", held, "--by", "Asha", "--note", "SCRB confirmed an outage"])
    assert res.exit_code == 0, res.output
    assert "RELEASED" in res.output
    assert excluded_loads(home) == set()
    assert batch_status(home).filter(batch_status(home)["load_id"] == held)["decided_by"].to_list() == [
        "Asha"
    ]

    res = runner.invoke(quality_app, ["release", held, "--by", "Asha"])
    assert res.exit_code != 0  # --note is required
