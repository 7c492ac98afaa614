"""NDSO search (restricted): fuzzy search of the National Database of Sexual Offenders by name,
alias and district. Every search is written to the audit log."""

from __future__ import annotations

import streamlit as st

from dashboards import queries, ui


def main() -> None:
    user, scope = ui.guard("ndso")
    st.title("NDSO search")
    ui.build_caption(scope)
    st.warning("Restricted to law enforcement. Every search is recorded in the audit log with your username.")
    state = ui.state_picker(scope, allow_all=scope.national, key="nd_state")
    district = None
    if state is not None:
        d = ui.run(scope, "districts", state)
        names = dict(zip(d["district_code"], d["district_name"], strict=True))
        district = st.selectbox(
            "District",
            [None, *d["district_code"]],
            format_func=lambda c: "Any district" if c is None else names[c],
            key="nd_district",
        )
    with st.form("ndso_search"):
        name = st.text_input("Name", key="nd_name")
        alias = st.text_input("Alias", key="nd_alias")
        min_score = st.slider("Minimum similarity", 0.70, 1.0, queries.NDSO_MIN_SCORE, 0.01, key="nd_score")
        submitted = st.form_submit_button("Search")
    if not submitted:
        return
    if not name.strip() and not alias.strip() and not district:
        st.error("Give a name, an alias or a district.")
        return
    detail = {
        "name": name.strip(),
        "alias": alias.strip(),
        "state_code": state,
        "district_code": district,
        "min_score": min_score,
    }
    ui.audit_view(user, "ndso_search", "ndso", detail, every_time=True)
    try:
        hits = ui.run(scope, "ndso_search", name, alias, district, state, float(min_score), 50)
    except ValueError as exc:
        st.error(str(exc))
        return
    st.caption(f"{len(hits)} record(s).")
    st.dataframe(hits, hide_index=True)


if __name__ == "__main__":
    main()
