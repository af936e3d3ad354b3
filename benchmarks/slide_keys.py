"""A presenter's key press to the next slide drawn, in headless Chromium at 1280 x 720.

    python benchmarks/slide_keys.py [PATH ...]

Starts the app on 127.0.0.1, opens each lesson (default: the foggy hiker and lesson 7)
in presenter mode and walks its slides with the right arrow key; each time it waits until
the next slide's number is shown and the script has finished (a figure's slide: until
Plotly has drawn it), and prints the median and 95th percentile per lesson.
"""
import argparse
import pathlib
import re
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tests.browser.server import (  # noqa: E402
    IDLE_JS,
    PLOTS_DRAWN_JS,
    chromium,
    learner,
    streamlit_server,
)

NAV = ".st-key-slide_nav"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["foggy-hiker", "tuning"])
    args = parser.parse_args()
    with streamlit_server() as url, chromium() as browser:
        page = learner(browser, viewport={"width": 1280, "height": 720}).new_page()
        for path in args.paths:
            page.goto(f"{url}/{path}?present=1")
            page.wait_for_function(IDLE_JS)
            page.locator(NAV).wait_for()
            times = []
            while True:
                number, total = map(int, re.search(r"(\d+) / (\d+)",
                                                   page.locator(NAV).inner_text()).groups())
                if number == total:
                    break
                page.wait_for_timeout(300)
                t0 = time.perf_counter()
                page.keyboard.press("ArrowRight")
                page.wait_for_function(
                    "(n) => document.querySelector('.st-key-slide_nav')?.innerText"
                    ".includes(`${n} / `)", arg=number + 1)
                page.wait_for_function(IDLE_JS)
                page.wait_for_function(PLOTS_DRAWN_JS)
                times.append(time.perf_counter() - t0)
            times.sort()
            print(f"{path}: key press to next slide drawn: median "
                  f"{statistics.median(times) * 1e3:.0f} ms, p95 "
                  f"{times[int(0.95 * (len(times) - 1))] * 1e3:.0f} ms (n={len(times)})")


if __name__ == "__main__":
    main()
