"""core.fs: atomic writes, durable appends, the file lock, the crash point."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from core.fs import Timeout, append_line, atomic_path, atomic_write, crashpoint, file_lock, lock_is_held
from core.settings import REPO_ROOT

HOLD = """
import sys, time
from pathlib import Path
from core.fs import file_lock
with file_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_atomic_write_replaces_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    f = tmp_path / "sub" / "a.json"
    atomic_write(f, "old")
    atomic_write(f, b"new")
    assert f.read_text() == "new"
    atomic_write(f, "secret", mode=0o600)
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    assert sorted(p.name for p in f.parent.iterdir()) == ["a.json"]


def test_atomic_path_keeps_the_old_file_on_error(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("old")
    with pytest.raises(ZeroDivisionError), atomic_path(f) as tmp:
        tmp.write_text("half")
        1 / 0  # noqa: B018
    assert f.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_append_line_repairs_a_torn_line(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_bytes(b'{"a": 1}\n{"torn"')
    append_line(log, '{"b": 2}')
    assert log.read_text().splitlines() == ['{"a": 1}', '{"torn"', '{"b": 2}']


def test_file_lock_fails_fast_or_waits_and_a_killed_holder_frees_it(tmp_path: Path) -> None:
    lock = tmp_path / "x.lock"
    assert not lock_is_held(lock)
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(lock)], stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        assert lock_is_held(lock)
        with (
            pytest.raises(RuntimeError, match="busy"),
            file_lock(lock, timeout=0, busy=lambda: RuntimeError("busy")),
        ):
            pass
        with pytest.raises(Timeout), file_lock(lock, timeout=0.3):
            pass
    finally:
        proc.kill()
        proc.wait()
    with file_lock(lock, timeout=5):
        assert lock.exists()
    assert lock.exists() and not lock_is_held(lock)


def test_crashpoint_kills_only_at_its_point_and_count() -> None:
    code = "from core.fs import crashpoint\nfor i in range(3):\n    crashpoint('publish:after_swap')\n    print(i, flush=True)\n"
    env = {**os.environ, "CCTNS_CRASH_AT": "publish:after_swap:2"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=REPO_ROOT)
    assert out.returncode == -9 and out.stdout.split() == ["0"]
    env["CCTNS_CRASH_AT"] = "publish:after_swapped"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=REPO_ROOT)
    assert out.returncode == 0 and out.stdout.split() == ["0", "1", "2"]
    crashpoint("not-set-here")  # CCTNS_CRASH_AT unset in this process: nothing happens
