"""The app under AppTest, shared by the page tests and the security tests: its pages and how to open one."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from etl import paths

APP = str(paths.REPO_ROOT / "dashboard.py")
# Short names -> page scripts, as `dashboard.py` lists them (None: the default page, the overview).
PAGES = {
    "overview": None,
    "profile": "pages/1_Country_profile.py",
    "compare": "pages/2_Compare_countries.py",
    "rankings": "pages/3_Rankings.py",
    "money": "pages/4_Investments_and_budgets.py",
    "explorer": "pages/5_Data_explorer.py",
    "sources": "pages/6_Sources.py",
}


def open_page(name: str, **params: str) -> AppTest:
    """Run the app with `params` in the URL, then switch to page `name`."""
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if PAGES[name]:
        at.switch_page(PAGES[name]).run()
    return at
