"""Crime patterns: district drill-down, month x crime head heatmap, modus operandi, and a map of
FIR locations for authorised roles (never of a sexual offence)."""

from __future__ import annotations

import datetime as dt

import plotly.express as px
import streamlit as st

from dashboards import ui
from dashboards.roles import Capability, has


def _month_range(as_on: dt.date | None) -> tuple[dt.date, dt.date]:
    end = (as_on or dt.date.today()).replace(day=1)
    start = end.replace(year=end.year - 2)
    return start, end


def main() -> None:
    user, scope = ui.guard("patterns")
    st.title("Crime patterns")
    as_on = ui.build_caption(scope)
    d_start, d_end = _month_range(as_on)
    c0, c1, c2, c3 = st.columns(4)
    with c0:
        state = ui.state_picker(scope, allow_all=False, key="cp_state")
    start = c1.date_input("From month", d_start, key="cp_start").replace(day=1)
    end = c2.date_input("To month", d_end, key="cp_end").replace(day=1)
    if state is None:
        st.info("No State/UT in your scope.")
        return

    st.subheader("Districts")
    dist = ui.run(scope, "district_totals", state, start, end)
    fig = px.bar(
        dist.head(40), x="district_name", y="cases", labels={"district_name": "District", "cases": "Cases"}
    )
    st.plotly_chart(fig)
    names = dict(zip(dist["district_code"], dist["district_name"], strict=True))
    district = c3.selectbox(
        "District (drill-down)",
        [None, *dist["district_code"]],
        format_func=lambda c: "Whole State/UT" if c is None else names[c],
        key="cp_district",
    )

    st.subheader("Month x crime head")
    mat = ui.run(scope, "month_head_matrix", start, end, state, district)
    if mat.empty:
        st.info("No cases in this period.")
    else:
        grid = mat.pivot_table(
            index="crime_head_name", columns="month_start", values="cases", aggfunc="sum", fill_value=0
        )
        order = mat.drop_duplicates("crime_head_name").sort_values("display_order")["crime_head_name"]
        grid = grid.reindex([h for h in order if h in grid.index])
        grid.columns = [c.strftime("%b %Y") for c in grid.columns]
        fig = px.imshow(
            grid,
            aspect="auto",
            color_continuous_scale="YlOrRd",
            labels={"x": "Month", "y": "Crime head", "color": "Cases"},
            height=max(350, 18 * len(grid)),
        )
        st.plotly_chart(fig)

    st.subheader("Modus operandi")
    mo = ui.run(scope, "mo_by_month", state)
    if mo.empty:
        st.info("No modus operandi recorded.")
    else:
        st.plotly_chart(
            px.area(
                mo,
                x="month_start",
                y="cases",
                color="mo_class",
                labels={"month_start": "Month", "cases": "Cases", "mo_class": "MO class"},
            )
        )
    spread = ui.run(scope, "mo_spread")
    if not spread.empty:
        st.markdown("**Spread of MO classes across States** (adoption order 1 = first State seen)")
        st.dataframe(spread, hide_index=True)
    if scope.national:
        top = ui.run(scope, "mo_top", None, 25)
        if not top.empty:
            st.markdown("**Most frequent MO combinations (national)**")
            st.dataframe(top, hide_index=True)

    st.subheader("FIR locations")
    if not has(user.role, Capability.FIR_LOCATIONS):
        st.info(
            "The map of FIR locations is open to senior officers, SCRBs (own State) and NCRB administrators."
        )
        return
    ui.audit_view(
        user,
        "view_fir_locations",
        "patterns",
        {"state_code": state, "district_code": district, "start": start, "end": end},
    )
    pts = ui.run(scope, "fir_locations", state, start, end, district, 5000)
    st.caption(f"{len(pts):,} FIRs with a recorded place (sexual offences are never mapped).")
    if not pts.empty:
        fig = px.scatter(
            pts,
            x="lon",
            y="lat",
            color="crime_head_name",
            opacity=0.6,
            hover_data={"registered_on": True, "lat": False, "lon": False},
            labels={"lon": "Longitude", "lat": "Latitude", "crime_head_name": "Crime head"},
        )
        fig.update_yaxes(scaleanchor="x", scaleratio=1)
        fig.update_traces(marker_size=5)
        fig.update_layout(height=600)
        st.plotly_chart(fig)


if __name__ == "__main__":
    main()
