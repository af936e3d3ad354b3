"""AppTest: every page listed in app.py renders without an exception."""
import pytest
from streamlit.testing.v1 import AppTest

from explainers.lessons import LESSONS
from tests.apptest import APP, open_page, rerun

BUILT = [lesson.page for lesson in LESSONS if lesson.built] + ["pages/own-landscape.py"]


def test_home_shows_every_lesson():
    at = open_page()
    assert at.title[0].value == "Adam, step by step"
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    for lesson in LESSONS:
        assert lesson.summary in text
    coming = [m.value for m in at.markdown if "(coming soon)" in m.value]
    assert len(coming) == sum(not lesson.built for lesson in LESSONS)


@pytest.mark.parametrize("page", BUILT)
def test_every_built_page_renders(page):
    at = open_page(page)
    assert at.title, f"{page} has no title"


def test_settings_survive_a_page_switch():
    at = open_page("pages/foggy-hiker.py")
    at.slider(key="beta1").set_value(0.5)
    at.run()
    at.switch_page("pages/home.py").run()
    at.switch_page("pages/foggy-hiker.py").run()
    assert not at.exception
    assert at.slider(key="beta1").value == 0.5


def test_a_value_set_on_one_page_seeds_the_next_and_a_default_is_forgotten():
    at = open_page("pages/foggy-hiker.py")
    at.select_slider(key="eps").set_value(1e-6)
    at.slider(key="beta1").set_value(0.5)
    rerun(at)
    at.switch_page("pages/one-step-by-hand.py").run()
    assert at.select_slider(key="eps").value == 1e-6 and at.slider(key="beta1").value == 0.5
    at.slider(key="beta1").set_value(0.9)  # back to the default here
    rerun(at)
    at.switch_page("pages/bias-correction.py").run()
    assert at.slider(key="beta1").value == 0.9 and at.select_slider(key="eps").value == 1e-6


def test_a_value_this_page_does_not_allow_is_reported_not_silently_replaced():
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_saved_eps"] = "0.003"  # as if another page offered it
    at.run()
    at.switch_page("pages/foggy-hiker.py").run()
    warning = at.warning[0].value
    assert "ε" in warning and "you set it to ` 0.003 `" in warning
    assert at.select_slider(key="eps").value == 1e-8


def test_a_link_names_the_whole_state_of_its_page():
    at = open_page("pages/foggy-hiker.py")
    at.select_slider(key="eps").set_value(1e-6)
    rerun(at)
    at.switch_page("pages/one-step-by-hand.py").run()
    at.query_params.clear()
    at.query_params.update({"beta1": "0.5"})  # Back to a link the app wrote earlier
    at.switch_page("pages/foggy-hiker.py").run()
    assert at.slider(key="beta1").value == 0.5 and at.select_slider(key="eps").value == 1e-8


@pytest.mark.parametrize("page", BUILT)
def test_every_page_offers_its_link_and_the_code(page):
    at = open_page(page)
    links = [c.value for c in at.sidebar.code]
    assert links, "the sidebar offers a link to the demo"
    assert any(e.label == "Show the code that ran" for e in at.expander)
    code = " ".join(c.value for c in at.code)
    assert "def update_inplace" in code


def test_presenter_mode_shows_the_race_as_a_slide_that_fits_and_plays_slowly():
    from tests.apptest import figures
    from ui.slides import SLIDES_CSS, figure_height

    at = open_page("pages/foggy-hiker.py")
    plain = figures(at)[0]["layout"]
    at.sidebar.toggle(key="present").set_value(True)
    at.run()
    assert at.query_params["present"] == "1" and at.query_params["slide"] == "1"
    assert any(SLIDES_CSS in h.proto.body for h in at.get("html"))
    while not any(m.value.endswith("· The race") for m in at.markdown):
        at.button(key="slide_next").click()
        at.run()
    big = figures(at)[0]
    assert len(figures(at)) == 1  # the race alone on its slide
    assert big["layout"]["font"]["size"] > plain["font"]["size"]
    assert big["layout"]["height"] <= figure_height() < plain["height"]  # 720 px until told
    play = big["layout"]["updatemenus"][0]["buttons"][0]["args"][1]
    assert play["frame"]["duration"] == 160  # slow
    at.select_slider(key="speed").set_value("still")
    at.run()
    assert figures(at)[0]["layout"]["updatemenus"][0]["buttons"] == []
