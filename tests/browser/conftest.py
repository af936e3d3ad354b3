import pytest

from .server import chromium, streamlit_server, wait_until_idle


@pytest.fixture(scope="session")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def app_url(browser):
    """A fresh server, warmed up by one visit to the home page: until app.py has run
    st.navigation once, Streamlit treats the pages/ folder in its legacy way."""
    with streamlit_server() as url:
        first = browser.new_page()
        first.goto(url)
        wait_until_idle(first)
        first.close()
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def wait_for_app(page):
    """Wait until the script has run and the page is drawn."""
    wait_until_idle(page)
