"""``make demo``: run what exists of the pipeline on the committed sample and say where to look.

Stages are added here as they land (ingest, build, quality gate, dashboards); each prints a
line, and the demo fails loudly if a stage fails.
"""

from __future__ import annotations

import shutil

from rich.console import Console

from warehouse import settings

console = Console()


def stage_sample() -> int:
    """Copy the committed sample uploads into ``$CCTNS_HOME/inbox`` (ground truth stays out)."""
    paths = settings.paths().ensure()
    n = 0
    for src in sorted(settings.SAMPLE_DIR.iterdir()):
        if src.name.startswith(("_", ".")):
            continue
        dest = paths.inbox / src.name
        if dest.exists():
            continue
        if src.is_dir():
            shutil.copytree(src, dest)
        else:
            shutil.copy2(src, dest)
        n += 1
    return n


def main() -> None:
    paths = settings.paths()
    n = stage_sample()
    console.print(f"[bold green]sample staged[/]: {n} new uploads in {paths.inbox}")
    from warehouse.cli import ingest

    ingest(paths=None, quiet=True)
    console.print(f"Lake: {paths.lake}  quarantine: {paths.quarantine}  feedback: {paths.outbox}")
    console.print("Next stages (warehouse build, quality gate, dashboards) arrive with their issues.")


if __name__ == "__main__":
    main()
