"""The dbt manifest prepared ahead of time, so Airflow never parses the dbt project at DAG-parse time.

``cctns_nightly_build`` renders its dbt tasks with astronomer-cosmos's ``LoadMode.DBT_MANIFEST``
from the ``manifest.json`` that :func:`prepare_manifest` writes with ``dbt parse``
(:func:`cctns.orchestration.dbt_manifest_path`: ``$CCTNS_HOME/warehouse/dbt_manifest/`` or
``$CCTNS_DBT_MANIFEST``). It is **the deployment step**: run it when deploying and whenever the
dbt project changes (``make deploy``, which ``make demo`` and CI run; the tests prepare their
own). Until it has run, ``cctns_nightly_build`` imports as one task that fails saying so::

    uv run cctns deploy                                # parse only if the project changed
    uv run cctns deploy --force
    uv run python -m cctns.dbt_manifest [--force]  # the same, without the CLI

A fingerprint of every project file is stored beside the manifest (``fingerprint.txt``), so an
unchanged project is not parsed again.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from cctns.orchestration import dbt_manifest_path
from core import settings
from core.settings import Paths
from warehouse.build import dbt_args, env_override

#: Folders of the dbt project whose files make up the manifest (target/ and logs/ are outputs).
_PROJECT_PARTS = ("models", "seeds", "macros", "tests", "snapshots", "analyses")
_PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "packages.yml", "dependencies.yml", "selectors.yml")


class ManifestError(RuntimeError):
    """``dbt parse`` failed: the manifest was not written."""


def project_fingerprint(project_dir: Path | None = None) -> str:
    """sha256 over the relative path and content of every file that goes into the manifest."""
    root = project_dir or settings.DBT_PROJECT_DIR
    files = [root / f for f in _PROJECT_FILES if (root / f).is_file()]
    for part in _PROJECT_PARTS:
        if (root / part).is_dir():
            files += [p for p in (root / part).rglob("*") if p.is_file()]
    digest = hashlib.sha256()
    for p in sorted(files):
        digest.update(str(p.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(p.read_bytes()).digest())
    return digest.hexdigest()


def prepare_manifest(paths: Paths | None = None, *, force: bool = False) -> Path:
    """Write ``manifest.json`` with ``dbt parse`` (in-process) unless it is up to date; return its path."""
    paths = (paths or settings.paths()).ensure()
    manifest = dbt_manifest_path(paths)
    target = manifest.parent
    stamp = target / "fingerprint.txt"
    fingerprint = project_fingerprint()
    if (
        not force
        and manifest.is_file()
        and stamp.is_file()
        and stamp.read_text(encoding="utf-8").strip() == fingerprint
    ):
        return manifest
    target.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    from dbt.cli.main import dbtRunner

    args = dbt_args(paths, "parse", "--quiet")
    args[args.index("--target-path") + 1] = str(target)
    # Parsing opens no database; the path only has to be valid for the profile to render.
    with env_override(CCTNS_DBT_DUCKDB_PATH=":memory:", CCTNS_HOME=str(paths.home)):
        res = dbtRunner().invoke(args)
    if not res.success or not manifest.is_file():
        raise ManifestError(f"dbt parse failed; no manifest in {target}: {res.exception!r}")
    stamp.write_text(fingerprint + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if any(a not in ("--force",) for a in argv):
        print("usage: python -m cctns.dbt_manifest [--force]", file=sys.stderr)
        return 2
    path = prepare_manifest(force="--force" in argv)
    print(f"dbt manifest: {path} ({os.path.getsize(path):,} bytes)")
    return 0


__all__ = ["ManifestError", "prepare_manifest", "project_fingerprint"]

if __name__ == "__main__":
    raise SystemExit(main())
