"""``make demo``: the whole pipeline on the committed sample, through Airflow, then the dashboards.

1. deliver the committed sample uploads into their State channels ``$CCTNS_HOME/inbox/<SS>/``;
2. run the Airflow DAGs in-process on a project-local ``AIRFLOW_HOME`` with SQLite
   (``cctns_ingest`` → ``cctns_nightly_build``: quality gate, dbt build through cosmos, publish →
   ``cctns_feedback``); ``CCTNS_DEMO_RUNNER=cli`` runs the same steps through the command-line
   functions instead;
3. create the demo dashboard users (one per role) and print them;
4. start the dashboards (``CCTNS_DEMO_SERVE=0`` stops after step 3, for scripts and CI).

Each step prints a line; the demo fails loudly if a step fails.
"""

from __future__ import annotations

from rich.console import Console

from cctns.airflow_demo import run_pipeline, stage_sample
from cctns.cli import ingest
from core import settings
from dashboards.auth import ensure_demo_users
from dashboards.serve import serve
from quality.gate import run_upload_gate
from warehouse import publish as pub
from warehouse.build import build

console = Console()


def run_cli_pipeline(paths: settings.Paths) -> None:
    """The same pipeline without Airflow: ingest, quality gate, build and publish."""
    ingest(paths=None, quiet=True)
    run_upload_gate(paths)
    res = build(paths)
    console.print(f"[bold green]built[/] ({res.mode}) and published version {res.published.version_id}")


def main() -> None:
    paths = settings.paths().ensure()
    n = stage_sample()
    console.print(f"[bold green]sample staged[/]: {n} new uploads in {paths.inbox}")
    if settings.setting("demo_runner") == "cli":
        run_cli_pipeline(paths)
    else:
        console.print(f"running the Airflow DAGs in-process (AIRFLOW_HOME={paths.airflow}) ...")
        summary = run_pipeline(paths)
        console.print(f"[bold green]Airflow[/]: {summary}")

    current = pub.current(paths)
    if current is None:
        raise SystemExit("the pipeline published no warehouse: see the messages above")
    console.print(f"published warehouse: {paths.warehouse / 'current.duckdb'} (version {current.version_id})")
    console.print(f"lake: {paths.lake}  quarantine: {paths.quarantine}  feedback: {paths.outbox}")
    console.print("quality gate: `uv run cctns quality status`; dbt docs: `uv run cctns docs`")

    console.print("[bold]dashboard users[/] (demo passwords; change them with `cctns users add`):")
    for user, password in ensure_demo_users(paths).items():
        console.print(f"  {user:<14} {password}")
    if not settings.setting("demo_serve"):
        return

    port = int(settings.setting("demo_port"))
    console.print(f"[bold green]dashboards[/]: open http://localhost:{port}  (Ctrl+C to stop)")
    raise SystemExit(serve(paths, port=port, headless=True))


if __name__ == "__main__":
    main()
