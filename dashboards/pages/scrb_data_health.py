"""SCRB data health: uploads and their outcomes, quarantined rows by rule, batches held by the
quality gate, silent police stations, and the feedback files ingestion wrote for the State."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from dashboards import queries, ui


def main() -> None:
    _user, scope = ui.guard("data_health")
    st.title("SCRB data health")
    ui.build_caption(scope)
    state = ui.state_picker(scope, allow_all=scope.national, key="dh_state")

    uploads = ui.run(scope, "upload_health", state)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Uploads", f"{len(uploads):,}")
    c2.metric("Rows loaded", f"{int(uploads['rows_loaded'].sum()) if not uploads.empty else 0:,}")
    c3.metric("Rows quarantined", f"{int(uploads['rows_quarantined'].sum()) if not uploads.empty else 0:,}")
    held = uploads[uploads["gate_status"].isin(["HELD", "REJECTED"])] if not uploads.empty else uploads
    c4.metric("Held or rejected batches", f"{len(held):,}")
    if not uploads.empty:
        by_day = uploads.groupby(["extract_date", "outcome"], as_index=False).size()
        st.plotly_chart(
            px.bar(
                by_day,
                x="extract_date",
                y="size",
                color="outcome",
                labels={"extract_date": "Extract date", "size": "Uploads", "outcome": "Outcome"},
            )
        )
    st.subheader("Uploads")
    st.dataframe(uploads, hide_index=True)

    st.subheader("Quarantined rows by rule")
    rules = ui.run(scope, "rule_counts", state)
    if rules.empty:
        st.info("No quarantined rows.")
    else:
        st.plotly_chart(
            px.bar(
                rules.head(25),
                x="rule_code",
                y="rows",
                color="severity",
                labels={"rule_code": "Rule", "rows": "Rows"},
            )
        )
        st.dataframe(rules, hide_index=True)

    st.subheader("Batches held by the quality gate")
    if held.empty:
        st.success("No batch is held.")
    else:
        st.dataframe(
            held[["load_id", "upload_id", "state_code", "extract_date", "gate_status", "gate_reason"]],
            hide_index=True,
        )

    st.subheader("Silent police stations")
    st.caption("Connected to CCTNS (in an accepted upload) but no FIR registered in the last 30 days.")
    st.dataframe(ui.run(scope, "silent_stations", state), hide_index=True)
    st.dataframe(ui.run(scope, "cctns_usage", state), hide_index=True)

    st.subheader("Feedback files")
    if state is None:
        st.info("Choose a State/UT to see its error and warning files.")
        return
    files = queries.feedback_files(ui.app_paths().outbox, scope, state)
    if not files:
        st.info("No feedback files for this State/UT.")
    st.caption("Values that could identify a person are withheld in these copies.")
    outbox = ui.app_paths().outbox
    for f in files[:30]:
        st.download_button(
            f.name,
            data=queries.feedback_file_bytes(f, outbox, scope),
            file_name=f.name,
            mime="text/csv",
            key=f"dh_fb_{f.name}",
            on_click="ignore",
        )


if __name__ == "__main__":
    main()
