"""A learner types their own formula, races on it, shares it, then tries something hostile."""
from .conftest import wait_for_app
from .server import ROUTE_JS, learner


def test_type_race_share_and_refuse(page, app_url, browser):
    page.goto(f"{app_url}/own-landscape")
    wait_for_app(page)
    box = page.locator('[data-testid="stSidebar"] input[aria-label="f(x, y) ="]')
    box.fill("x**2 + 10*y**2")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('f=x')")
    wait_for_app(page)
    route = page.evaluate(ROUTE_JS, "Adam")
    assert route and all(v is not None for v in route)
    shared = page.url

    other = learner(browser).new_page()
    other.goto(shared)
    wait_for_app(other)
    assert other.evaluate(ROUTE_JS, "Adam") == route
    other.close()

    box.fill("__import__('os').system('ls')")
    box.press("Enter")
    page.wait_for_selector('[data-testid="stAlert"]')
    wait_for_app(page)
    alert = page.locator('[data-testid="stAlert"]').first.inner_text()
    assert "still shows the last formula that worked" in alert
    assert page.evaluate(ROUTE_JS, "Adam") == route
    assert page.locator('[data-testid="stException"]').count() == 0
