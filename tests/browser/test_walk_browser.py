"""Walk through every page from the sidebar, as a learner would: each one draws, with no error."""
from explainers.lessons import LESSONS

from .conftest import wait_for_app


def test_every_page_from_the_sidebar(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    for lesson in LESSONS:
        if not lesson.built:
            continue
        page.locator('[data-testid="stSidebarNav"]').get_by_text(
            f"{lesson.number}. {lesson.title}", exact=True).click()
        page.wait_for_url(f"**/{lesson.url_path}*")
        wait_for_app(page)
        title = page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text()
        assert title.strip() == f"{lesson.number}. {lesson.title}"
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.locator('[data-testid="stMainBlockContainer"]').inner_text()
        assert "Traceback" not in body
        # lesson 12 teaches NaN by name, in its sentences; its chart and table never show
        # one (tests/test_low_precision.py): everywhere else the word is never on screen
        assert lesson.url_path == "low-precision" or "NaN" not in body
