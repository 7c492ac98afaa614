"""``cctns serve``: run the Streamlit app on the published warehouse of one ``CCTNS_HOME``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Final

from core import settings
from core.settings import Paths

APP: Final = Path(__file__).resolve().parent / "app.py"


ADDRESS_ENV: Final = settings.env_name("serve_address")


def command(port: int, headless: bool = True, address: str | None = None) -> list[str]:
    """``streamlit run dashboards/app.py``; binds ``address`` (default ``$CCTNS_SERVE_ADDRESS`` or
    127.0.0.1: set 0.0.0.0 behind a reverse proxy on a server)."""
    address = address or settings.setting("serve_address")
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true" if headless else "false",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--client.disableDataExport",
        "true",
    ]


def environment(paths: Paths) -> dict[str, str]:
    env = dict(os.environ)
    env["CCTNS_HOME"] = str(paths.home)
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    return env


def start(
    paths: Paths, port: int, headless: bool = True, *, log: Path | None = None
) -> subprocess.Popen[bytes]:
    """Start the app in the background (tests, the demo); stop it with ``terminate()``."""
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
    return subprocess.Popen(
        command(port, headless), env=environment(paths), stdout=out, stderr=subprocess.STDOUT
    )


def wait_ready(port: int, timeout: float = 60.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Wait for the app's health endpoint to answer."""
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"the dashboards did not answer on port {port} within {timeout:.0f} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(paths: Paths, port: int = 8501, headless: bool = True) -> int:
    """Run the dashboards in the foreground until interrupted; returns Streamlit's exit code."""
    proc = subprocess.Popen(command(port, headless), env=environment(paths))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()
