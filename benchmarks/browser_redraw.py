"""Slider change to redrawn chart, in headless Chromium, for one user.

    python benchmarks/browser_redraw.py [--changes 20]

Starts the app on 127.0.0.1, opens the foggy hiker, and presses an arrow key on
the adaptive step-size slider; each time it waits until the drawn route of Adam
changes, and prints the median and 95th percentile.
"""
import argparse
import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tests.browser.server import ROUTE_JS, chromium, learner, streamlit_server, wait_until_idle  # noqa: E402

SLIDER = 'input[type="range"][aria-label="α for Adam and the adaptive racers"]'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20)
    args = parser.parse_args()
    with streamlit_server() as url, chromium() as browser:
        page = learner(browser, viewport={"width": 1280, "height": 900}).new_page()
        page.goto(url)
        wait_until_idle(page, revealed=True)
        page.goto(f"{url}/foggy-hiker")
        wait_until_idle(page, revealed=True)
        page.wait_for_function(f"() => ({ROUTE_JS})('Adam') !== null")
        times = []
        for i in range(args.changes):
            before = page.evaluate(ROUTE_JS, "Adam")
            page.locator(SLIDER).focus()
            t0 = time.perf_counter()
            page.keyboard.press("ArrowLeft" if i % 4 < 2 else "ArrowRight")
            page.wait_for_function(
                f"(old) => JSON.stringify(({ROUTE_JS})('Adam')) !== JSON.stringify(old)",
                arg=before, timeout=30_000)
            times.append(time.perf_counter() - t0)
            wait_until_idle(page, revealed=True)
        times.sort()
        print(f"slider key press to redrawn chart: median {statistics.median(times) * 1e3:.0f} ms,"
              f" p95 {times[int(0.95 * (len(times) - 1))] * 1e3:.0f} ms (n={len(times)})")


if __name__ == "__main__":
    main()
