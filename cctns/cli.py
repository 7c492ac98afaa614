"""The ``cctns`` command line (Typer + Rich). Later stages add their commands here."""

from __future__ import annotations

import datetime as dt
import os
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

from cctns.contract import regenerate
from cctns.dbt_manifest import ManifestError, prepare_manifest
from cctns.publish_cli import publish_app
from cctns.quality_cli import quality_app
from cctns.users_cli import users_app
from core import reference, settings
from dashboards import serve as dashboards_serve
from ingestion import pipeline as ingest_pipeline
from ingestion.pipeline import IngestBusy, LoadSummary
from ingestion.upload import into_channels
from sample_data import generate as generator
from sample_data.world import GenConfig
from warehouse import build as builder
from warehouse import publish as pub
from warehouse.build import BuildError, run_dbt

app = typer.Typer(
    name="cctns",
    help="cctns-warehouse: the open national crime data warehouse for CCTNS extracts.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
#: ``cctns ingest`` exit codes besides 0: an upload failed unexpectedly (024); the ingest lock is held.
EXIT_UPLOAD_FAILED = 3
EXIT_BUSY = 75  # EX_TEMPFAIL


@app.callback()
def main() -> None:
    """cctns-warehouse: ingest State extracts, build NCRB marts, gate quality, serve dashboards."""


def _parse_states(value: str | None) -> tuple[str, ...]:
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
    flat: Annotated[
        bool,
        typer.Option(
            help="Leave the uploads directly in --out (the committed sample's layout) instead of in "
            "their State channels <out>/<SS>/."
        ),
    ] = False,
) -> None:
    """Write synthetic State uploads exactly as EXTRACT_SPEC.md says, each into its State's channel
    ``<out>/<SS>/`` (as each SCRB delivers), with ground truth in _truth/."""

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
            result = generator.generate(
                cfg, on_progress=lambda n: progress.advance(task, n), overwrite=overwrite
            )
        except FileExistsError as exc:
            console.print(f"[red]error:[/] {exc}")
            raise typer.Exit(2) from exc
    if not flat:
        into_channels(Path(result.out))
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
    channel: Annotated[
        str | None,
        typer.Option(
            help="For uploads given outside a State channel inbox/<SS>/: the State code the operator "
            "vouches they come from, or 'by-name' (each from the State its name says)."
        ),
    ] = None,
) -> None:
    """Verify, land, check, standardise and load State uploads; quarantine and feed back the rest.

    Exit codes: 0 done (rejected uploads are outcomes, in the feedback files); 3 at least one upload
    failed unexpectedly (rule 024: recorded as rejected, the others were ingested); 75 another
    ingest holds the lock (try again later).
    """

    home = settings.paths().ensure()
    if channel is not None and channel != "by-name":
        channel = channel.strip().zfill(2)
        _parse_states(channel)
    targets = [Path(os.path.abspath(p)) for p in (paths or [home.inbox])]
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

        try:
            ingest_pipeline.ingest(
                targets,
                home,
                on_upload=on_upload,
                on_start=lambda n: progress.update(task, total=n),
                channel=channel,
            )
        except IngestBusy as exc:
            progress.stop()
            console.print(
                f"[red]busy:[/] {exc}; nothing was ingested, try again when it has finished", soft_wrap=True
            )
            raise typer.Exit(EXIT_BUSY) from None
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
    failed = [s for s in done if "024" in str(s.ledger.get("reject_codes") or "").split(",")]
    if failed:
        console.print(
            f"[red]{len(failed)} upload(s) failed unexpectedly (rule 024); see the log. Others went on."
        )
        raise typer.Exit(EXIT_UPLOAD_FAILED)


@app.command()
def build(
    full: Annotated[
        bool, typer.Option("--full", help="Rebuild everything from the lake (default: nightly incremental).")
    ] = False,
    publish: Annotated[bool, typer.Option(help="Publish the built warehouse atomically.")] = True,
) -> None:
    """Build the warehouse with dbt from the lake into a new file, check its marts, publish it."""
    home = settings.paths().ensure()
    with Progress(
        TextColumn("[bold]build"), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("", total=None)
        try:
            res = builder.build(home, "full" if full else "auto", publish=publish,
                      on_step=lambda s: progress.update(task, description=s))  # fmt: skip
        except BuildError as exc:
            progress.stop()
            console.print(f"[red]build failed[/]: {exc}")
            raise typer.Exit(1) from exc
    table = Table(title=f"Build {res.build_id} ({res.mode})")
    table.add_column("")
    table.add_column("value", justify="right")
    table.add_row("loads committed in the lake", f"{res.loads_total:,}")
    table.add_row("loads in the warehouse", f"{res.loads_in_build:,}")
    table.add_row("loads new in this build", f"{res.loads_new:,}")
    table.add_row("loads held or rejected by the gate", f"{len(res.loads_excluded):,}")
    table.add_row("loads held by this build (a dbt or mart test failed)", f"{len(res.loads_held):,}")
    for status, n in sorted(res.dbt_results.items()):
        table.add_row(f"dbt nodes: {status}", f"{n:,}")
    for stage, secs in res.seconds.items():
        table.add_row(f"seconds: {stage}", f"{secs:,.1f}")
    console.print(table)
    for load_id, reason in sorted(res.loads_held.items()):
        console.print(f"[yellow]held[/] {load_id}: {reason}", soft_wrap=True)
    if res.loads_held:
        console.print("The States see why in upload health and their outbox (<load_id>_held.csv); "
                      "`cctns quality release` once fixed.")  # fmt: skip
    if res.published is not None:
        console.print(
            f"[green]published[/] version {res.published.version_id}: {home.warehouse / 'current.duckdb'}"
        )
    else:
        console.print(f"[yellow]not published[/]: candidate left at {res.candidate}")


@app.command()
def deploy(
    force: Annotated[bool, typer.Option("--force", help="Parse the dbt project even if unchanged.")] = False,
) -> None:
    """The deployment step: prepare the dbt manifest the nightly Airflow DAG renders its dbt tasks from."""
    home = settings.paths().ensure()
    try:
        path = prepare_manifest(home, force=force)
    except ManifestError as exc:
        console.print(f"[red]deploy failed[/]: {exc}")
        raise typer.Exit(1) from exc
    console.print(f"dbt manifest: {path} ({path.stat().st_size:,} bytes); cctns_nightly_build can render")


@app.command()
def contract(
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; fail if a copy is out of date.")
    ] = False,
) -> None:
    """Regenerate the mart contract's copies (core/mart_contract.json, docs/warehouse.md) from the dbt YAML."""
    home = settings.paths().ensure()
    try:
        stale = regenerate(home, check=check)
    except ManifestError as exc:
        console.print(f"[red]contract failed[/]: {exc}")
        raise typer.Exit(1) from exc
    if not stale:
        console.print("mart contract: core/mart_contract.json and docs/warehouse.md are current")
    elif check:
        console.print(f"[red]out of date[/]: {', '.join(str(p) for p in stale)}; run `uv run cctns contract`")
        raise typer.Exit(1)
    else:
        console.print(f"mart contract: rewrote {', '.join(str(p) for p in stale)}")


@app.command()
def docs() -> None:
    """Generate the dbt documentation site (catalog of every model, column and test)."""
    home = settings.paths().ensure()
    current = pub.current(home)
    if current is None:
        console.print("[red]nothing published yet[/]: run `cctns build` first")
        raise typer.Exit(1)
    # A copy, so dbt's catalog queries never hold the published file.
    cand = pub.new_candidate(home, copy_current=True)
    try:
        run_dbt(home, cand, "docs generate")
    finally:
        cand.unlink(missing_ok=True)
    console.print(f"dbt docs: {home.warehouse / 'dbt_target' / 'index.html'}")


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port for the dashboards.")] = 8501,
    headless: Annotated[bool, typer.Option(help="Do not open a browser.")] = True,
) -> None:
    """Start the dashboards (Streamlit) on the published warehouse, read-only."""
    home = settings.paths().ensure()
    console.print(f"dashboards: http://localhost:{port}  (Ctrl+C to stop; users: `cctns users list`)")
    raise typer.Exit(dashboards_serve.serve(home, port=port, headless=headless))


def _mount() -> None:
    """Sub-commands that live in their own modules."""
    app.add_typer(publish_app, name="publish")
    app.add_typer(quality_app, name="quality")
    app.add_typer(users_app, name="users")


_mount()

if __name__ == "__main__":  # pragma: no cover
    app()
