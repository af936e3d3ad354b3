"""Classroom checks in a real browser: nothing is fetched from outside the server, and
the app can be used with the keyboard alone."""
from urllib.parse import urlparse

from explainers.lessons import LESSONS

from .conftest import wait_for_app
from .server import learner

PAGES = [lesson.url_path for lesson in LESSONS if lesson.built] + ["own-landscape"]
LOCAL = {"127.0.0.1", "localhost", "::1"}


def test_no_request_leaves_the_host(browser, app_url):
    context = learner(browser, viewport={"width": 1280, "height": 800})
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(app_url)
    wait_for_app(page)
    for path in PAGES:
        page.locator('[data-testid="stSidebarNav"] a[href$="/' + path + '"]').click()
        page.wait_for_url(f"**/{path}*")
        wait_for_app(page)
        if path == "foggy-hiker":
            page.get_by_text("Play", exact=True).first.click()
            page.wait_for_timeout(1500)
    context.close()
    outside = [u for u in requests
               if urlparse(u).scheme not in ("data", "blob", "about")
               and urlparse(u).hostname not in LOCAL]
    assert len(requests) > 20
    assert outside == []


def focus_by_tab(page, predicate_js: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return
    raise AssertionError(f"never reached {predicate_js} with Tab")


def test_keyboard_only_walk(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    focus_by_tab(page, "() => document.activeElement.innerText?.trim() === '2. The foggy hiker'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/foggy-hiker*")
    wait_for_app(page)
    focus_by_tab(page, "() => document.activeElement.getAttribute('aria-label') === 'β₁'")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => location.search.includes('beta1=0.89')")
    wait_for_app(page)
    focus_by_tab(page, "() => document.activeElement.innerText?.trim() === "
                       "\"Reset to the paper's defaults\"")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !location.search.includes('beta1')")
    assert page.locator('[data-testid="stException"]').count() == 0
