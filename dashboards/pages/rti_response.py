"""RTI response: aggregate counts only, with primary and secondary small-cell suppression,
never personal data; downloadable as CSV, XLSX and DOCX."""

from __future__ import annotations

import streamlit as st

from dashboards import exports, parliament, queries, suppression, ui
from dashboards.roles import Role


def main() -> None:
    user, scope = ui.guard("rti")
    st.title("RTI response")
    as_on = ui.build_caption(scope)
    st.caption(
        "Aggregate counts only. Small cells are suppressed, and so is any cell that could be worked "
        "out from the totals."
    )
    kind = st.selectbox(
        "Information sought", list(queries.RTI_KINDS), format_func=queries.RTI_KINDS.get, key="rti_kind"
    )
    available = ui.run(scope, "years")
    years = st.multiselect("Years", available, default=available[-3:], key="rti_years")
    heads = ui.run(scope, "crime_heads")
    names = dict(zip(heads["crime_head_code"], heads["crime_head_name"], strict=True))
    head = st.selectbox(
        "Crime head",
        [None, *heads["crime_head_code"]],
        format_func=lambda c: "All cognizable crime" if c is None else names[c],
        key="rti_head",
    )
    floor = suppression.configured_threshold()
    threshold = floor
    if user.role in (Role.NCRB_ADMIN, Role.NCRB_STATISTICIAN):
        threshold = int(
            st.number_input(
                "Suppression threshold", min_value=floor, max_value=100, value=floor, key="rti_threshold"
            )
        )
    if not years:
        st.info("Choose at least one year.")
        return
    table = ui.run(scope, "rti_table", kind, tuple(sorted(years)), head, threshold)
    annex = parliament.rti_annexure(table, as_on)
    st.markdown(f"**{annex.title}**")
    st.dataframe(annex.frame(), hide_index=True)
    for line in annex.footer:
        st.caption(line)
    cols = st.columns(3)
    for col, (ext, (fn, mime)) in zip(cols, exports.EXPORTERS.items(), strict=True):
        col.download_button(
            f"Download {ext.upper()}",
            data=fn(annex),
            file_name=exports.filename(annex, ext),
            mime=mime,
            key=f"rti_dl_{ext}",
            on_click="ignore",
        )


if __name__ == "__main__":
    main()
