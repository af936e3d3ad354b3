"""Screenshots of the app's pages in headless Chromium.

    python scripts/screenshots.py [--out DIR] [--presenter [--slides]] [--tall [--height N]]
                                  [--phone] [--predicted] [PATH ...]

PATH is a page's URL path with an optional query string (default: every page).
--presenter opens each page in presenter mode (a lesson's first slide); --slides then
takes every slide of each lesson, moving on with the right arrow key as a presenter
does (DIR/<path>/NN.png); --tall captures the whole page
instead of the first screen (Streamlit scrolls inside its own container, so a
tall window is used); --phone uses a 390-pixel-wide touch screen. By default the
browser is a first visit's (each lesson shows its prediction, not yet answered);
--predicted gives it every prediction made, so each page shows all it has.
"""
import argparse
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from explainers.lessons import PAGES  # noqa: E402
from tests.browser.server import chromium, learner, streamlit_server, wait_until_idle  # noqa: E402

ALL_PAGES = [page.url_path for page in PAGES if page.built]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=ALL_PAGES)
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--presenter", action="store_true")
    parser.add_argument("--slides", action="store_true")
    parser.add_argument("--tall", action="store_true")
    parser.add_argument("--height", type=int, default=2400, help="the tall window's height")
    parser.add_argument("--phone", action="store_true")
    parser.add_argument("--predicted", action="store_true")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, chromium() as browser:
        width, height = (390, 844) if args.phone else (1280, 720)
        page = learner(browser, args.predicted, is_mobile=args.phone, has_touch=args.phone,
                       viewport={"width": width, "height": args.height if args.tall else height},
                       ).new_page()
        for path in args.paths:
            sep = "&" if "?" in path else "?"
            page.goto(f"{url}/{path}" + (f"{sep}present=1" if args.presenter else ""))
            wait_until_idle(page, revealed=args.predicted)
            page.wait_for_timeout(2500)  # let Plotly finish drawing
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", path) or "home"
            suffix = ("-presenter" * args.presenter + "-phone" * args.phone
                      + "-predicted" * args.predicted)
            if args.slides:
                slides(page, out / name)
                continue
            target = out / f"{name}{suffix}.png"
            page.screenshot(path=str(target))
            print(target)


NAV = ".st-key-slide_nav"


def slides(page, folder: pathlib.Path) -> None:
    """Every slide of the lesson open in ``page``, one PNG each, moving on by the key."""
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        number, total = map(int, re.search(r"(\d+) / (\d+)",
                                           page.locator(NAV).inner_text()).groups())
        target = folder / f"{number:02d}.png"
        page.screenshot(path=str(target))
        print(target)
        if number == total:
            return
        page.keyboard.press("ArrowRight")
        page.wait_for_function("(n) => document.querySelector('.st-key-slide_nav')"
                               "?.innerText.includes(`${n} / `)", arg=number + 1)
        wait_until_idle(page)
        page.wait_for_timeout(1500)  # let Plotly finish drawing


if __name__ == "__main__":
    main()
