"""dashboards.audit.write_transaction: the one BEGIN IMMEDIATE / COMMIT / ROLLBACK of the SQLite stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dashboards.audit import write_transaction


def test_write_transaction_commits_or_rolls_back(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    with write_transaction(sqlite3.connect(db, isolation_level=None)) as c:
        c.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(ValueError), write_transaction(sqlite3.connect(db, isolation_level=None)) as c:
        c.execute("INSERT INTO t VALUES (2)")
        raise ValueError("no")
    check = sqlite3.connect(db)
    assert check.execute("SELECT x FROM t").fetchall() == [(1,)]
    check.close()
