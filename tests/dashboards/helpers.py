"""Helpers of the dashboard tests: run pages with AppTest, read everything a page rendered."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

import dashboards
from dashboards import ui
from dashboards.roles import Role, has

APP = Path(dashboards.__file__).resolve().parent / "app.py"
DASH_DIR = APP.parent

#: Demo users by role (auth.DEMO_USERS).
USERS: dict[Role, str] = {
    Role.NCRB_ADMIN: "admin",
    Role.NCRB_STATISTICIAN: "statistician",
    Role.SENIOR_OFFICER: "officer",
    Role.SCRB: "scrb09",
    Role.PUBLIC: "public",
}


@dataclass
class Rendered:
    at: AppTest
    text: str


def open_app(username: str | None, page_file: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    if username:
        at.session_state[ui.SESSION_USER] = username
    at.run()
    if page_file:
        at.switch_page(page_file)
        at.run()
    return at


def open_page_directly(username: str | None, page_file: str) -> AppTest:
    """Run a page script on its own (bypassing the navigation), as a crafted URL would."""
    at = AppTest.from_file(str(DASH_DIR / page_file), default_timeout=60)
    if username:
        at.session_state[ui.SESSION_USER] = username
    return at.run()


def allowed(role: Role, page: ui.PageDef) -> bool:
    return has(role, page.capability)


def _walk(node: Any, out: list[str]) -> None:
    kind = getattr(node, "type", "")
    if kind == "dataframe":
        out.append(node.value.to_csv(index=False))
    elif kind == "plotly_chart":
        out.append(json.dumps(json.loads(node.proto.spec), ensure_ascii=False))
    else:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            out.append(text_format.MessageToString(proto, as_utf8=True))
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            _walk(child, out)


def rendered_text(at: AppTest) -> str:
    """Everything the page rendered: texts, tables (as CSV), chart specs, widget labels."""
    out: list[str] = []
    _walk(at._tree, out)
    return "\n".join(out)


def dataframes(at: AppTest) -> list[Any]:
    return [d.value for d in at.dataframe]
