"""ITSSO compliance: investigations of rape completed within two months, by State, district and
police station; the overdue list (case keys and days only) for authorised roles."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from dashboards import ui
from dashboards.roles import Capability, has

LEVELS = {"state": "State/UT", "district": "District", "station": "Police station"}


def main() -> None:
    user, scope = ui.guard("itsso")
    st.title("ITSSO compliance")
    ui.build_caption(scope)
    st.caption(
        "Compliance = investigations completed (charge-sheet or final report) within two months ÷ "
        "investigations due (registered at least two months ago) × 100, from summed counts."
    )
    state = ui.state_picker(scope, allow_all=scope.national, key="it_state")
    level = st.radio(
        "Level",
        list(LEVELS),
        format_func=LEVELS.get,
        horizontal=True,
        index=0 if state is None else 1,
        key="it_level",
    )
    summary = ui.run(scope, "itsso_summary", level, state)
    due = int(summary["due"].sum()) if not summary.empty else 0
    within = int(summary["completed_within"].sum()) if not summary.empty else 0
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Registered", f"{int(summary['registered'].sum()) if not summary.empty else 0:,}")
    c2.metric("Due", f"{due:,}")
    c3.metric("Completed within two months", f"{within:,}")
    c4.metric("Compliance", f"{within * 100 / due:.1f}%" if due else "-")
    if not summary.empty:
        show = summary.rename(columns={"name": LEVELS[level], "compliance_pct": "compliance %"})
        show = show.drop(columns=[c for c in ("state_code", "district_code", "ps_key") if c in show.columns])
        st.dataframe(show, hide_index=True)
        top = summary.dropna(subset=["compliance_pct"]).head(30)
        if not top.empty:
            st.plotly_chart(
                px.bar(
                    top,
                    x="name",
                    y="compliance_pct",
                    labels={"name": LEVELS[level], "compliance_pct": "Compliance %"},
                    title="Lowest compliance first",
                )
            )
    monthly = ui.run(scope, "itsso_monthly", state)
    if not monthly.empty:
        st.plotly_chart(
            px.line(
                monthly,
                x="month_start",
                y="compliance_pct",
                markers=True,
                labels={"month_start": "Month of registration", "compliance_pct": "Compliance %"},
            )
        )

    st.subheader("Overdue investigations")
    if not has(user.role, Capability.ITSSO_OVERDUE):
        st.info(
            "The list of overdue investigations is open to senior officers, SCRBs and NCRB administrators."
        )
        return
    ui.audit_view(user, "view_itsso_overdue", "itsso", {"state_code": state})
    overdue = ui.run(scope, "itsso_overdue", state, 1000)
    st.caption(f"{len(overdue):,} open investigations past their deadline (case keys and days only).")
    st.dataframe(overdue, hide_index=True)


if __name__ == "__main__":
    main()
