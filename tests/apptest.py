"""Shared AppTest helpers: open a page through app.py (as a user would), rerun, read figures."""
import json
import pathlib

from streamlit.testing.v1 import AppTest

APP = str(pathlib.Path(__file__).resolve().parents[1] / "app.py")


def open_page(page: str | None = None, query: dict | None = None) -> AppTest:
    """Run app.py (with ``query`` as the link's parameters), then switch to ``page``."""
    at = AppTest.from_file(APP, default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def figures(at: AppTest) -> list[dict]:
    """Every Plotly chart on the page, as the figure dict the browser receives."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
