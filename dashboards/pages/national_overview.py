"""National overview: headline figures, crime-head trends across the IPC -> BNS switch, State
comparison and a bubble map of the crime rate by State (no map tiles: works offline)."""

from __future__ import annotations

import datetime as dt

import plotly.express as px
import streamlit as st

from dashboards import ui

BNS_SWITCH = dt.date(2024, 7, 1)
KIND_LABELS = {
    "TOTAL": "Total cognizable crime",
    "IPC_BNS": "IPC / BNS crime",
    "SLL": "Special and local laws",
    "AGAINST_WOMEN": "Crime against women",
    "AGAINST_CHILDREN": "Crime against children",
}


def main() -> None:
    _user, scope = ui.guard("overview")
    st.title("National overview" if scope.national else "State overview")
    ui.build_caption(scope)
    years = ui.run(scope, "years")
    if not years:
        st.info("The published warehouse holds no registered crime yet.")
        return
    year = st.selectbox("Year", years[::-1], key="ov_year")
    head = ui.run(scope, "headline", year)
    by_kind = {r["total_kind"]: r for r in head.to_dict("records")}
    cols = st.columns(len(KIND_LABELS))
    for col, (kind, label) in zip(cols, KIND_LABELS.items(), strict=True):
        r = by_kind.get(kind)
        cases = int(r["cases"]) if r else 0
        rate = r["crime_rate"] if r else None
        col.metric(label, f"{cases:,}", help="Cases registered (principal offence rule)")
        col.caption(
            f"Crime rate {rate:,.2f} per lakh" if rate is not None and rate == rate else "Crime rate -"
        )

    st.subheader("Monthly cases by crime head")
    st.caption("Crime heads are harmonised across the switch from the IPC to the BNS on 1 July 2024.")
    trend = ui.run(scope, "head_trend", 8)
    if trend.empty:
        st.info("No monthly figures.")
    else:
        fig = px.line(
            trend,
            x="month_start",
            y="cases",
            color="crime_head_name",
            markers=True,
            labels={"month_start": "Month", "cases": "Cases", "crime_head_name": "Crime head"},
        )
        fig.add_vline(x=dt.datetime(2024, 7, 1).timestamp() * 1000, line_dash="dash", line_color="grey")
        fig.add_annotation(
            x=dt.datetime(2024, 7, 1).timestamp() * 1000,
            y=1,
            yref="paper",
            text="BNS in force",
            showarrow=False,
            xanchor="left",
        )
        st.plotly_chart(fig, width="stretch")

    st.subheader(f"States/UTs compared, {year}")
    kind = st.selectbox("Measure", list(KIND_LABELS), format_func=KIND_LABELS.get, key="ov_kind")
    comp = ui.run(scope, "state_comparison", year, kind)
    left, right = st.columns([2, 3])
    with left:
        bars = comp.dropna(subset=["crime_rate"]).sort_values("crime_rate")
        fig = px.bar(
            bars,
            x="crime_rate",
            y="state_name",
            orientation="h",
            labels={"crime_rate": "Crime rate (per lakh)", "state_name": "State/UT"},
            height=max(300, 22 * len(bars)),
        )
        st.plotly_chart(fig, width="stretch")
    with right:
        pts = comp.dropna(subset=["lat", "lon"])
        if not pts.empty:
            fig = px.scatter(
                pts,
                x="lon",
                y="lat",
                size=pts["cases"].clip(lower=1),
                color="crime_rate",
                hover_name="state_name",
                text="state_name",
                size_max=40,
                color_continuous_scale="Reds",
                labels={"lon": "Longitude", "lat": "Latitude", "crime_rate": "Rate per lakh"},
            )
            fig.update_traces(textposition="top center", textfont_size=8)
            fig.update_yaxes(scaleanchor="x", scaleratio=1)
            fig.update_layout(
                height=max(520, 22 * len(pts)), title="Crime rate by State (bubble at the State's centre)"
            )
            st.plotly_chart(fig, width="stretch")
    table = comp[["state_name", "cases", "crime_rate"]].rename(
        columns={"state_name": "State/UT", "cases": "Cases", "crime_rate": "Crime rate"}
    )
    st.dataframe(table, hide_index=True, width="stretch")


if __name__ == "__main__":
    main()
