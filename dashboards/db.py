"""The dashboards' only door to the warehouse: the published version, read-only.

One :class:`warehouse.publish.PublishedReader` per ``CCTNS_HOME`` (created on first use, never
at import time) follows the published version: :func:`get_connection` returns a new read-only
connection to the version current now (close it after the query), and :func:`current_version`
names that version, which the pages put in their cache keys so that a new publication is read
at the next rerun without a restart.
"""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb

from core.settings import Paths
from core.settings import paths as default_paths
from warehouse import publish


class WarehouseNotPublished(RuntimeError):
    """No published warehouse under this ``CCTNS_HOME`` yet."""


_readers: dict[Path, publish.PublishedReader] = {}
_readers_lock = threading.Lock()


def reader(paths: Paths | None = None) -> publish.PublishedReader:
    p = paths or default_paths()
    with _readers_lock:
        r = _readers.get(p.home)
        if r is None:
            r = _readers[p.home] = publish.PublishedReader(p)
        return r


def current_version(paths: Paths | None = None) -> str:
    """The id of the version published now (raises :class:`WarehouseNotPublished`)."""
    p = paths or default_paths()
    try:
        version = publish.current(p)
    except publish.NothingPublishedError as exc:
        raise WarehouseNotPublished(str(exc)) from exc
    if version is None:
        raise WarehouseNotPublished(
            f"no warehouse is published in {p.warehouse} yet: run `cctns build` (or `make demo`) first"
        )
    return version.version_id


def get_connection(paths: Paths | None = None) -> duckdb.DuckDBPyConnection:
    """A new read-only connection to the published version; close it when done."""
    try:
        return reader(paths).connection()
    except publish.NothingPublishedError as exc:
        raise WarehouseNotPublished(str(exc)) from exc


def reset() -> None:
    """Close and forget every reader (tests)."""
    with _readers_lock:
        for r in _readers.values():
            r.close()
        _readers.clear()
