"""Shared AppTest helpers: open a page through app.py (as a user would), rerun, read figures."""
import json
import math
import pathlib

import numpy as np
from streamlit.testing.v1 import AppTest

from explainers.lessons import PAGES
from explainers.plotly_dict import unpacked
from explainers.quiz import load

APP = str(pathlib.Path(__file__).resolve().parents[1] / "app.py")


def stand_in(question):
    """Some guess for a prediction (to test a page beyond it)."""
    return {"choice": question.options[0].key if question.options else "",
            "number": question.low, "point": [0.0, 0.0]}[question.kind]


def all_predicted() -> dict:
    """A learner's progress with every prediction of every page made."""
    return {"predictions": {q.key: stand_in(q) for page in PAGES
                            for q in load(page.module).predictions.values()}, "checks": {}}


def open_page(page: str | None = None, query: dict | None = None,
              screen: dict | None = None, predicted: bool = True) -> AppTest:
    """Run app.py (with ``query`` as the link's parameters), then switch to ``page``.
    ``screen``: what the browser's screen component reports, e.g. ``{"narrow": True}``;
    ``predicted``: every prediction already made, so the page shows all it has."""
    at = AppTest.from_file(APP, default_timeout=60)
    if predicted:
        at.session_state["_progress"] = all_predicted()
    if query:
        at.query_params.update(query)
    if screen:
        at.session_state["screen"] = {"media": {"narrow": False, "reduced_motion": False,
                                                **screen}}
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def open_page_before(page: str, prediction: str) -> AppTest:
    """Open ``page`` as a learner who has made every prediction but ``prediction``
    (``lesson/id``): the page stops at that question."""
    progress = all_predicted()
    del progress["predictions"][prediction]
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_progress"] = progress
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def set_control(at: AppTest, key: str, value) -> AppTest:
    """Set the slider, select slider or select box with widget key ``key``, and rerun."""
    widget = next(w for kind in ("slider", "select_slider", "selectbox")
                  for w in at.get(kind) if w.key == key)
    widget.set_value(value)
    return rerun(at)


def figures(at: AppTest) -> list[dict]:
    """Every Plotly chart on the page, as the figure dict the browser receives."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def assert_finite(figure) -> None:
    """No NaN or infinity anywhere in a figure dict: packed arrays are decoded
    (their base64 text may spell "NaN" by chance), plain numbers checked."""
    if isinstance(figure, dict) and "bdata" in figure:
        values = unpacked(figure)
        assert values.dtype.kind != "f" or np.isfinite(values).all(), figure
    elif isinstance(figure, dict):
        for value in figure.values():
            assert_finite(value)
    elif isinstance(figure, list):
        for value in figure:
            assert_finite(value)
    elif isinstance(figure, float):
        assert math.isfinite(figure)
    elif isinstance(figure, str):
        assert figure not in ("NaN", "Infinity", "-Infinity", "nan", "inf"), figure
