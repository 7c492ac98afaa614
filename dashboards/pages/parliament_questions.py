"""Parliament question builder: pick a template, a crime head and years; the answer is laid out
as the annexure of a parliamentary reply and downloads as CSV, XLSX and DOCX."""

from __future__ import annotations

import streamlit as st

from dashboards import exports, parliament, ui


def main() -> None:
    _user, scope = ui.guard("parliament")
    st.title("Parliament question builder")
    ui.build_caption(scope)
    keys = list(parliament.TEMPLATES)
    key = st.selectbox(
        "Question template", keys, format_func=lambda k: parliament.TEMPLATES[k].title, key="pq_template"
    )
    t = parliament.TEMPLATES[key]
    years: list[int] = []
    head: str | None = None
    act = section = None
    c1, c2 = st.columns(2)
    if t.needs_years:
        available = ui.run(scope, "years")
        years = c1.multiselect("Years", available, default=available[-3:], key="pq_years")
    if t.needs_head:
        heads = ui.run(scope, "crime_heads")
        names = dict(zip(heads["crime_head_code"], heads["crime_head_name"], strict=True))
        head = c2.selectbox(
            "Crime head",
            [None, *heads["crime_head_code"]],
            format_func=lambda c: "All cognizable crime" if c is None else names[c],
            key="pq_head",
        )
    if t.needs_section:
        acts = ui.run(scope, "acts")
        act = c2.selectbox("Act", acts, index=acts.index("BNS") if "BNS" in acts else 0, key="pq_act")
        section = c2.text_input("Section", value="303(2)" if act == "BNS" else "", key="pq_section").strip()
    if t.needs_years and not years:
        st.info("Choose at least one year.")
        return
    if t.needs_section and not section:
        st.info("Enter a section.")
        return
    try:
        annex = ui.annexure(scope, key, tuple(sorted(years)), head, act, section)
    except ValueError as exc:
        st.error(str(exc))
        return
    st.subheader("ANNEXURE")
    st.markdown(f"**{annex.title}**")
    st.write(annex.question)
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
            key=f"pq_dl_{ext}",
            on_click="ignore",
        )


if __name__ == "__main__":
    main()
