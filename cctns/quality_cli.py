"""``cctns quality``: run the gate, show batch statuses, release or reject held batches.

Mounted in ``cctns/cli.py`` with ``app.add_typer(quality_app, name="quality")``::

    cctns quality run [--load-id L ...] [--force] [--no-docs]
    cctns quality status [--state SS] [--status HELD] [--limit N]
    cctns quality release LOAD_ID --by NAME --note TEXT
    cctns quality reject LOAD_ID --by NAME --note TEXT
    cctns quality marts [WAREHOUSE_FILE]

Great Expectations is imported inside the gate's functions, never at import time, so
``cctns --help`` stays fast and quiet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from core import settings
from quality import gate
from quality.gate import GateError, batch_status, run_upload_gate
from quality.marts import run_mart_suites

quality_app = typer.Typer(
    help="Quality gate: batch-level checks of each State's upload; hold, release or reject batches.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()

_STYLE = {
    "PASSED": "green",
    "WARNED": "yellow",
    "HELD": "bold red",
    "RELEASED": "cyan",
    "REJECTED": "magenta",
}


def _status(s: str) -> str:
    return f"[{_STYLE.get(s, 'white')}]{s}[/]"


def _short(text: str | None, width: int = 110) -> str:
    if not text:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"


@quality_app.command()
def run(
    load_id: Annotated[
        list[str] | None,
        typer.Option("--load-id", help="Check only these loads (repeatable). Default: every new load."),
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Check again loads already checked (keeps operator decisions).")
    ] = False,
    docs: Annotated[bool, typer.Option(help="Render Great Expectations Data Docs.")] = True,
) -> None:
    """Run the per-upload suites on every committed load not checked yet, and record each load's status."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    home = settings.paths().ensure()
    with Progress(
        TextColumn("[bold]quality gate"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("", total=None)

        def on_progress(stage: str, done: int, total: int) -> None:
            progress.update(task, description=stage, completed=done, total=total)

        try:
            report = run_upload_gate(home, load_id or None, force=force, data_docs=docs, progress=on_progress)
        except GateError as exc:
            progress.stop()
            console.print(f"[red]quality gate[/]: {exc}")
            raise typer.Exit(1) from exc
    for lid, why in report.skipped.items():
        console.print(f"[dim]skipped {lid}: {why}[/]")
    if report.run_id is None:
        console.print("Nothing to check: every committed load has been checked (use --force to check again).")
        return
    table = Table(
        title=f"Quality gate run {report.run_id}: {len(report.verdicts)} loads in {report.seconds:.1f} s"
    )
    for col in ("load", "State", "extract date", "status", "failed expectations"):
        table.add_column(col, overflow="fold")
    for v in report.verdicts:
        failed = "\n".join(
            f"[{'red' if f.severity == 'critical' else 'yellow'}]{f.severity}[/] {f.check_id}: "
            f"{_short(f.observed)}"
            for f in v.failures
        )
        notes = "\n".join(f"[dim]{_short(n)}[/]" for n in v.notes)
        table.add_row(v.load_id, v.state_code, str(v.extract_date), _status(v.status), failed or notes or "—")
    console.print(table)
    counts = {s: 0 for s in ("PASSED", "WARNED", "HELD")}
    for v in report.verdicts:
        counts[v.status] = counts.get(v.status, 0) + 1
    console.print(
        " · ".join(f"{_status(s)} {n}" for s, n in counts.items())
        + (f" · results {report.results_file}" if report.results_file else "")
    )
    if report.data_docs:
        console.print(f"Data Docs: {report.data_docs}")
    if report.held:
        console.print(
            "[bold red]held[/] batches stay out of the warehouse until released: "
            "`cctns quality release LOAD_ID --by NAME --note TEXT` (or `reject`)."
        )


@quality_app.command()
def status(
    state: Annotated[str | None, typer.Option(help="Only this State (2-digit code).")] = None,
    only: Annotated[str | None, typer.Option("--status", help="Only this status (e.g. HELD).")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Rows shown (held ones first, then the newest).")] = 100,
) -> None:
    """Show the gate status of checked loads, held ones first with their reasons."""
    import polars as pl

    home = settings.paths()
    st = batch_status(home)
    if state:
        st = st.filter(pl.col("state_code") == f"{int(state):02d}")
    if only:
        st = st.filter(pl.col("status") == only.upper())
    if st.is_empty():
        console.print(
            "No batch status recorded yet (run `cctns quality run`)." if not (state or only) else "None."
        )
        return
    counts = st.group_by("status").len().sort("status")
    order = {"HELD": 0, "REJECTED": 1, "RELEASED": 2, "WARNED": 3, "PASSED": 4}
    shown = (
        st.with_columns(pl.col("status").replace_strict(order, default=9).alias("_o"))
        .sort(["_o", "extract_date", "state_code"], descending=[False, True, False])
        .head(limit)
    )
    table = Table(title=f"Batch status ({st.height} loads; showing {shown.height})")
    for col in ("load", "State", "extract date", "status", "decided by", "decided at", "reason"):
        table.add_column(col, overflow="fold")
    for r in shown.iter_rows(named=True):
        at = r["decided_at"].strftime("%Y-%m-%d %H:%M") if r["decided_at"] else ""
        reason = "" if r["status"] == "PASSED" else _short(r["reason"], 300)
        table.add_row(
            r["load_id"],
            r["state_code"],
            str(r["extract_date"]),
            _status(r["status"]),
            r["decided_by"] or "",
            at,
            reason,
        )
    console.print(table)
    console.print(" · ".join(f"{_status(s)} {n}" for s, n in counts.iter_rows()))


def _decide(action: str, load_id: str, by: str, note: str) -> None:
    fn: Any = gate.release if action == "release" else gate.reject
    try:
        row = fn(settings.paths(), load_id, by, note)
    except GateError as exc:
        console.print(f"[red]{action}[/]: {exc}")
        raise typer.Exit(1) from exc
    console.print(
        f"{load_id} (State {row['state_code']}, {row['extract_date']}) is now {_status(row['status'])}."
    )


@quality_app.command()
def release(
    load_id: Annotated[str, typer.Argument(help="The held load.")],
    by: Annotated[str, typer.Option("--by", help="Who decides (recorded).")],
    note: Annotated[str, typer.Option("--note", help="Why (recorded).")],
) -> None:
    """Release a HELD batch: the next warehouse build publishes it."""
    _decide("release", load_id, by, note)


@quality_app.command()
def reject(
    load_id: Annotated[str, typer.Argument(help="The held load.")],
    by: Annotated[str, typer.Option("--by", help="Who decides (recorded).")],
    note: Annotated[str, typer.Option("--note", help="Why (recorded).")],
) -> None:
    """Reject a HELD batch: it stays in the lake, is never published; the State must resend."""
    _decide("reject", load_id, by, note)


@quality_app.command()
def marts(
    warehouse_file: Annotated[
        Path | None, typer.Argument(help="Warehouse file (default: the published current.duckdb).")
    ] = None,
    docs: Annotated[bool, typer.Option(help="Render Great Expectations Data Docs.")] = True,
) -> None:
    """Run the mart suites on a warehouse file (the build runs them on its candidate before publishing)."""
    home = settings.paths().ensure()
    target = warehouse_file or home.warehouse / "current.duckdb"
    if not target.is_file():
        console.print(f"[red]no warehouse file[/] {target}: run `cctns build` first or give a path")
        raise typer.Exit(1)
    with console.status("mart suites"):
        report = run_mart_suites(target, home, data_docs=docs)
    table = Table(
        title=f"Mart suites on {target.name}: {report.results.height} checks in {report.seconds:.1f} s"
    )
    for col in ("severity", "check", "observed"):
        table.add_column(col, overflow="fold")
    for f in report.failures:
        table.add_row(f.severity, f.check_id, _short(f.observed, 200))
    if report.failures:
        console.print(table)
    console.print(
        "[green]ok[/]: no critical failure" if report.ok else "[bold red]critical failures[/]: do not publish"
    )
    if report.data_docs:
        console.print(f"Data Docs: {report.data_docs}")
    if not report.ok:
        raise typer.Exit(1)
