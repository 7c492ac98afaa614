"""The ``cctns`` command line (Typer + Rich). Later stages add their commands here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from warehouse import settings

app = typer.Typer(
    name="cctns",
    help="cctns-warehouse: the open national crime data warehouse for CCTNS extracts.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()


@app.callback()
def main() -> None:
    """cctns-warehouse: ingest State extracts, build NCRB marts, gate quality, serve dashboards."""


def _parse_states(value: str | None) -> tuple[str, ...]:
    from warehouse import reference

    all_states = tuple(sorted(reference.states()["state_code"].to_list()))
    if not value or value.lower() == "all":
        return all_states
    codes = tuple(sorted({f"{int(s.strip()):02d}" for s in value.split(",") if s.strip()}))
    unknown = [s for s in codes if s not in all_states]
    if unknown:
        raise typer.BadParameter(f"unknown State codes {unknown}; known: {', '.join(all_states)}")
    return codes


@app.command()
def generate(
    start: Annotated[
        dt.datetime, typer.Option(formats=["%Y-%m-%d"], help="First extract date.")
    ] = dt.datetime(2026, 11, 1),
    days: Annotated[
        int, typer.Option(min=1, help="Number of extract days (one upload per State per day).")
    ] = 7,
    scale: Annotated[
        float, typer.Option(min=0.0001, max=5.0, help="1.0 = national volume (~16,000 new FIRs a day).")
    ] = 1.0,
    states: Annotated[str, typer.Option(help="Comma-separated State codes, or 'all'.")] = "all",
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives byte-identical output.")] = 42,
    defect_rate: Annotated[
        float, typer.Option(min=0.0, max=0.5, help="Share of records with an injected defect.")
    ] = 0.01,
    out: Annotated[Path | None, typer.Option(help="Output folder (default: $CCTNS_HOME/inbox).")] = None,
    warmup_days: Annotated[
        int, typer.Option(min=0, help="Simulated days before --start whose later life is re-sent.")
    ] = 730,
    overwrite: Annotated[bool, typer.Option(help="Replace a non-empty output folder.")] = False,
) -> None:
    """Write synthetic State uploads exactly as EXTRACT_SPEC.md says, with ground truth in _truth/."""
    from sample_data.generate import generate as run
    from sample_data.world import GenConfig

    cfg = GenConfig(
        start=start.date(),
        days=days,
        scale=scale,
        states=_parse_states(states),
        seed=seed,
        defect_rate=defect_rate,
        out=(out or settings.paths().inbox).resolve(),
        warmup_days=warmup_days,
    )
    total = len(cfg.states) * cfg.days
    with Progress(
        TextColumn("[bold]generate"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("State-days"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("generate", total=total)
        try:
            result = run(cfg, on_progress=lambda n: progress.advance(task, n), overwrite=overwrite)
        except FileExistsError as exc:
            console.print(f"[red]error:[/] {exc}")
            raise typer.Exit(2) from exc
    table = Table(title=f"Generated into {result.out}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("uploads", f"{result.uploads:,}")
    table.add_row("new FIRs", f"{result.new_firs:,}")
    table.add_row("FIR documents (new + re-sent)", f"{result.fir_documents:,}")
    table.add_row("injected defects", f"{result.defects:,}")
    table.add_row("bytes written", f"{result.bytes_written / 1e6:,.1f} MB")
    table.add_row("seconds", f"{result.seconds:,.1f}")
    table.add_row("FIR documents / second", f"{result.fir_documents / max(result.seconds, 1e-9):,.0f}")
    console.print(table)


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Inbox folders, upload folders or zips (default: $CCTNS_HOME/inbox)."),
    ] = None,
    quiet: Annotated[bool, typer.Option(help="Only the totals, not a row per upload.")] = False,
) -> None:
    """Verify, land, check, standardise and load State uploads; quarantine and feed back the rest."""
    from ingestion.pipeline import LoadSummary
    from ingestion.pipeline import ingest as run

    home = settings.paths().ensure()
    targets = [p.resolve() for p in (paths or [home.inbox])]
    summaries: list[LoadSummary] = []
    with Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("uploads  {task.description}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("", total=None)

        def on_upload(s: LoadSummary) -> None:
            summaries.append(s)
            progress.update(task, advance=1, description=f"{s.ledger.get('upload_id')} {s.outcome}")

        run(targets, home, on_upload=on_upload, on_start=lambda n: progress.update(task, total=n))
    done = [s for s in summaries if not s.skipped]
    colours = {"LOADED": "green", "LOADED_WITH_ERRORS": "yellow", "REJECTED": "red", "DUPLICATE": "cyan"}
    table = Table(
        title=f"Ingested {len(done)} uploads ({len(summaries) - len(done)} already done) into {home.home}"
    )
    for col in (
        "upload",
        "outcome",
        "rows in",
        "loaded",
        "quarantined",
        "FIR docs",
        "applied",
        "unchanged",
        "stale",
        "warnings",
        "s",
    ):
        table.add_column(col, justify="left" if col in ("upload", "outcome") else "right")
    totals = dict.fromkeys(
        (
            "rows_in",
            "rows_loaded",
            "rows_quarantined",
            "fir_docs_in",
            "fir_docs_applied",
            "fir_docs_unchanged",
            "fir_docs_stale",
            "warnings",
        ),
        0,
    )
    for s in done:
        led = s.ledger
        for k in totals:
            totals[k] += int(led.get(k) or 0)
        if not quiet:
            detail = f" {led['reject_codes']}" if led.get("reject_codes") else ""
            table.add_row(
                led["source_name"], f"[{colours.get(s.outcome, 'white')}]{s.outcome}{detail}[/]",
                *(f"{int(led.get(k) or 0):,}" for k in totals), f"{led.get('seconds') or 0:.2f}",
            )  # fmt: skip
    table.add_row("[bold]total", "", *(f"[bold]{v:,}" for v in totals.values()), "")
    console.print(table)
    for s in done:
        if s.outcome == "REJECTED":
            console.print(f"[red]rejected[/] {s.ledger['source_name']}: {s.ledger['reject_message']}")
    if done:
        console.print(
            f"Feedback files for the States: {home.outbox}/<state>/<load_id>_errors.csv and _warnings.csv"
        )


if __name__ == "__main__":  # pragma: no cover
    app()
