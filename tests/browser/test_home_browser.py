"""A person opens the app: the title, the lesson path and the navigation are there."""
from explainers.lessons import LESSONS

from .conftest import wait_for_app


def test_home_page_in_chromium(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == "Adam, step by step"
    body = page.locator('[data-testid="stMainBlockContainer"]').inner_text()
    for lesson in LESSONS:
        assert f"Lesson {lesson.number}: {lesson.title}" in body
    assert body.count("(coming soon)") == sum(not lesson.built for lesson in LESSONS)
    # no Python traceback or Streamlit error box anywhere
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path="/tmp/home.png", full_page=True)
