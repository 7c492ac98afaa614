"""Entry point of the dashboards (``cctns serve`` runs ``streamlit run dashboards/app.py``).

Login first; then the navigation holds only the pages the user's role may open. Each page checks
the role again itself, and the query layer checks it a third time."""

from __future__ import annotations

import streamlit as st

from dashboards import ui
from dashboards.roles import ROLE_LABELS


def main() -> None:
    # Every table a user can take away goes through our own download buttons, whose CSV/XLSX
    # cells are neutralised against formula injection (core.safe_text); Streamlit's built-in
    # "download as CSV" on st.dataframe writes cells as they are, so it is switched off.
    st.set_option("client.disableDataExport", True)
    st.set_page_config(page_title="CCTNS warehouse", page_icon=":material/local_police:", layout="wide")
    user = ui.current_user()
    if user is None:
        st.navigation([st.Page(ui.login_page, title="Log in", url_path="login", default=True)]).run()
        return
    with st.sidebar:
        st.markdown(f"**{user.display_name or user.username}**")
        where = f" · State {user.state_code}" if user.state_code else " · national"
        st.caption(f"{ROLE_LABELS[user.role]}{where}")
        if st.button("Log out", key="logout"):
            ui.logout(user)
            if ui.sso_mapping() is not None and not st.session_state.get(ui.SESSION_USER):
                try:
                    if st.user.is_logged_in:
                        st.logout()
                except Exception:
                    pass
            st.rerun()
    pages = [
        st.Page(p.file, title=p.title, icon=p.icon, url_path=p.url_path, default=(i == 0))
        for i, p in enumerate(ui.pages_for(user.role))
    ]
    st.navigation(pages).run()


main()
