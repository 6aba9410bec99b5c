"""The app's entry point: its pages, in order, with the titles the sidebar shows.

`streamlit run dashboard.py`. Each page is a thin script in `pages/`; what they share lives in `cadi/`.
The URL of each page is fixed here, so links people copy keep working.
"""

import streamlit as st

PAGES = [
    st.Page("pages/0_Overview.py", title="Overview", url_path="home", default=True),  # served at "/"
    st.Page("pages/1_Country_profile.py", title="Country profile", url_path="Country_profile"),
    st.Page("pages/2_Compare_countries.py", title="Compare countries", url_path="Compare_countries"),
    st.Page("pages/3_Rankings.py", title="Rankings", url_path="Rankings"),
    st.Page("pages/4_Investments_and_budgets.py", title="Investments and budgets",
            url_path="Investments_and_budgets"),
    st.Page("pages/5_Data_explorer.py", title="Data explorer", url_path="Data_explorer"),
    st.Page("pages/6_Sources.py", title="Sources", url_path="Sources"),
    st.Page("pages/7_Disagreements.py", title="Disagreements", url_path="Disagreements"),
    st.Page("pages/8_Claims_vs_official.py", title="Claims vs official", url_path="Claims_vs_official"),
    st.Page("pages/9_Review.py", title="Review", url_path="Review"),
]


def _to_overview() -> None:
    st.switch_page(PAGES[0])


# The default page's URL is "/": /Overview (a link people copy) leads there through a hidden page.
ALIASES = [st.Page(_to_overview, title="Overview", url_path="Overview", visibility="hidden")]

st.navigation(PAGES + ALIASES).run()
