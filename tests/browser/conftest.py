import pytest

from .server import chromium, learner, streamlit_server, wait_until_idle


@pytest.fixture(scope="session")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def app_url():
    """A fresh server, shared by the browser tests."""
    with streamlit_server() as url:
        yield url


@pytest.fixture
def page(browser):
    context = learner(browser, viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def wait_for_app(page):
    """Wait until the script has run and the page is drawn, its predictions revealed."""
    wait_until_idle(page, revealed=True)


def main_text(page) -> str:
    """What the page's main column says (the sidebar left out)."""
    return page.locator('[data-testid="stMainBlockContainer"]').inner_text()
