"""AppTest: every page listed in app.py renders without an exception."""
import pathlib

import pytest
from streamlit.testing.v1 import AppTest

from explainers.lessons import LESSONS

APP = str(pathlib.Path(__file__).resolve().parents[1] / "app.py")
BUILT = [lesson.page for lesson in LESSONS if lesson.built]


def open_app():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_home_shows_the_eight_lessons():
    at = open_app()
    assert at.title[0].value == "Adam, step by step"
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    for lesson in LESSONS:
        assert lesson.summary in text
    coming = [m.value for m in at.markdown if "(coming soon)" in m.value]
    assert len(coming) == sum(not lesson.built for lesson in LESSONS)


@pytest.mark.parametrize("page", BUILT)
def test_every_built_page_renders(page):
    at = open_app()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title, f"{page} has no title"
