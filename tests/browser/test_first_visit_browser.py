"""The first visitor after a server start may arrive by a deep link (a teacher's link
shared with the class): they get the page, never a "page not found"."""
from explainers.lessons import LESSONS

from .conftest import wait_for_app
from .server import learner, streamlit_server

READ_BETA1 = ("() => document.querySelector('input[type=range][aria-label=\"β₁\"]')"
              "?.getAttribute('aria-valuetext')")


def test_a_deep_link_is_the_first_visit_of_a_fresh_server(browser):
    hiker = next(lesson for lesson in LESSONS if lesson.url_path == "foggy-hiker")
    with streamlit_server() as url:
        page = learner(browser, viewport={"width": 1280, "height": 800}).new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{url}/{hiker.url_path}?beta1=0.5")
        wait_for_app(page)
        page.wait_for_timeout(1000)  # a notice would arrive with the first run
        wait_for_app(page)
        assert page.locator('[role="dialog"]').count() == 0
        assert page.locator("h1").first.inner_text().strip() == hiker.heading
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert all(lesson.heading in nav for lesson in LESSONS if lesson.built)
        assert page.evaluate(READ_BETA1) == "0.50"
        page.locator('input[type=range][aria-label="β₁"]').focus()  # and it answers
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("() => location.search.includes('beta1=0.49')")
        wait_for_app(page)
        assert page.evaluate(READ_BETA1) == "0.49"
        assert page.locator('[data-testid="stException"]').count() == 0
        page.close()
