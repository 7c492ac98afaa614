"""``cctns publish``: show, list and roll back the published warehouse versions.

Mounted in ``cctns/cli.py`` with ``app.add_typer(publish_app, name="publish")``::

    cctns publish              the current version
    cctns publish --list       every kept version, the current one marked
    cctns publish --rollback   serve the previous version again (repeat to go further back)
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from core import settings
from warehouse.publish import PublishedVersion, PublishError, current, list_versions, rollback

publish_app = typer.Typer(
    help="Show, list or roll back the published warehouse versions.",
    add_completion=False,
)
console = Console()


def _when(v: PublishedVersion) -> str:
    return v.published_at.strftime("%Y-%m-%d %H:%M:%S UTC") if v.published_at else "-"


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)  # pragma: no cover


def _info(info: dict[str, Any], width: int = 60) -> str:
    text = ", ".join(f"{k}={v}" for k, v in info.items() if not isinstance(v, dict | list))
    return text if len(text) <= width else text[: width - 1] + "…"


def _show_current() -> None:
    v = current(settings.paths())
    if v is None:
        console.print("[yellow]nothing is published yet[/] (run `cctns build`)")
        raise typer.Exit(1)
    table = Table(title="Published warehouse", show_header=False)
    table.add_column("field")
    table.add_column("value")
    table.add_row("version", f"[bold green]{v.version_id}[/]")
    table.add_row("published at", _when(v))
    table.add_row("previous", v.previous or "-")
    table.add_row("file", str(v.path))
    table.add_row("size", _size(v.size_bytes))
    if v.build_info:
        table.add_row("build", "")
    for k, val in v.build_info.items():
        table.add_row(f"  {k}", str(val))
    console.print(table)


def _show_list() -> None:
    versions = list_versions(settings.paths())
    if not versions:
        console.print("[yellow]nothing is published yet[/] (run `cctns build`)")
        return
    table = Table(title=f"Warehouse versions ({len(versions)} kept)")
    for col in ("", "version", "published at", "previous", "size", "build"):
        table.add_column(col, justify="right" if col == "size" else "left")
    for v in reversed(versions):
        mark = "[bold green]● current[/]" if v.is_current else ""
        vid = f"[bold green]{v.version_id}[/]" if v.is_current else v.version_id
        table.add_row(mark, vid, _when(v), v.previous or "-", _size(v.size_bytes), _info(v.build_info))
    console.print(table)


@publish_app.callback(invoke_without_command=True)
def publish_main(
    do_rollback: Annotated[
        bool, typer.Option("--rollback", help="Serve the previous version again (repeat to go further back).")
    ] = False,
    do_list: Annotated[
        bool, typer.Option("--list", help="List the kept versions, marking the current one.")
    ] = False,
) -> None:
    """Without options: show the version dashboards and readers are served now."""
    try:
        if do_rollback:
            before = current(settings.paths())
            after = rollback(settings.paths())
            console.print(
                f"[green]rolled back[/] from {before.version_id if before else '-'} "
                f"to [bold]{after.version_id}[/] (published {_when(after)})"
            )
        if do_list:
            _show_list()
        elif not do_rollback:
            _show_current()
    except PublishError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
