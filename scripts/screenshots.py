"""Take screenshots of pages in headless Chromium: python scripts/screenshots.py [OUT_DIR] [PATH...]

PATH is a page's URL path with its query string, e.g. "hiker?surface=bowl".
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tests.browser.server import chromium, streamlit_server, wait_until_idle  # noqa: E402


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    paths = sys.argv[2:] or ["home", "hiker"]
    out.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, chromium() as browser:
        # Streamlit scrolls inside its own container, so a tall window shows the whole page
        page = browser.new_page(viewport={"width": 1280, "height": 2400})
        # The first session after a start runs in Streamlit's legacy pages/ mode until
        # app.py has called st.navigation once; open the home page first.
        page.goto(url)
        wait_until_idle(page)
        for path in paths:
            page.goto(f"{url}/{path}")
            wait_until_idle(page)
            page.wait_for_timeout(4000)
            name = path.replace("?", "_").replace("&", "_").replace("=", "-") or "home"
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            print(out / f"{name}.png")


if __name__ == "__main__":
    main()
