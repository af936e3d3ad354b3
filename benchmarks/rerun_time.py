"""Server time per rerun, measured with AppTest (the script's own time, no browser).

    python benchmarks/rerun_time.py [--changes 20]

For the foggy hiker (the heaviest interactive page): moves the adaptive step-size
slider to a new value each time (so nothing comes from the cache), then back over
values already seen (cached), as a returning learner whose predictions are made (so
every page shows all it has). For every page: a rerun with nothing changed (the cost
of any interaction whose result is cached), and a rerun after moving a random slider of
the page to a random value (``--changes`` times; most values are new to the cache).
Prints medians and 90th percentiles, the size of every page's figures, and two cold
starts: lesson 6 with an empty cache and the three tuning grids of lesson 7.
"""
import argparse
import functools
import pathlib
import random
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from explainers.lessons import LESSONS  # noqa: E402
from explainers.race import controls as hc  # noqa: E402
from tests.apptest import all_predicted  # noqa: E402

PAGES = ["pages/home.py"] + [lesson.page for lesson in LESSONS if lesson.built] + [
    "pages/own-landscape.py"]


def timed_runs(at, key, values):
    times = []
    for value in values:
        at.select_slider(key=key).set_value(value)
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    return times


def report(name, times):
    times = sorted(times)
    p90 = times[int(0.9 * (len(times) - 1))]
    print(f"{name:58s} median {statistics.median(times) * 1e3:6.1f} ms   p90 {p90 * 1e3:6.1f} ms"
          f"   (n={len(times)})")


def cold_starts():
    """Seconds for lesson 6 from an empty cache, and for lesson 7's three grids."""
    import streamlit as st

    from explainers import tuning
    from optim.surfaces import SURFACES

    st.cache_data.clear()
    t0 = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["_progress"] = all_predicted()
    at.run()
    at.switch_page("pages/paper-reproduced.py").run()
    assert not at.exception, at.exception
    print(f"lesson 6 from a cold cache: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    for grid in tuning.GRIDS:
        tuning.grid_run(grid, "bowl", SURFACES["bowl"].start)
    print(f"lesson 7, three 40 x 40 x 500-step grids: {time.perf_counter() - t0:.2f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20)
    args = parser.parse_args()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["_progress"] = all_predicted()  # a returning learner: pages show all
    at.run()
    at.switch_page("pages/foggy-hiker.py").run()
    size = len(at.get("plotly_chart")[0].proto.spec)
    print(f"default race figure: {size / 1024:.0f} kB of JSON, "
          f"{len(at.get('plotly_chart'))} chart(s)")
    options = [a for a in hc.ALPHAS if a != at.session_state["alpha"]]
    values = (options * ((args.changes // len(options)) + 1))[:args.changes]
    fresh = timed_runs(at, "alpha", values[:len(options)])
    cached = timed_runs(at, "alpha", values)
    report("hiker, slider change, new value", fresh)
    report("hiker, slider change, value seen before", cached)
    rng = random.Random(1)
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, at.exception
        sizes = [len(c.proto.spec) // 1024 for c in at.get("plotly_chart")]
        times = []
        for _ in range(10):
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
        report(f"{page}, rerun (figures {sizes} kB)", times)
        moved = random_changes(at, rng, args.changes)
        if moved:
            report(f"{page}, a random slider to a random value", moved)
    cold_starts()


@functools.cache
def _as_shown(cls):
    """AppTest's select slider formats the value set with the page's format_func; a
    random change sets an option as shown (the element lists only those), so as is."""
    return type(cls.__name__, (cls,), {"format_func": property(lambda _: str)})


def random_changes(at, rng, count: int) -> list[float]:
    """Seconds per rerun after moving a random slider of the page to a random value it
    offers (as a class exploring on its own: most values are new to the cache)."""
    times = []
    for _ in range(count):
        sliders = [s for s in [*at.slider, *at.select_slider] if not s.disabled]
        if not sliders:
            return times
        slider = rng.choice(sliders)
        if getattr(slider, "options", None):  # a select slider: its options as shown
            slider.__class__ = _as_shown(type(slider))  # so an option can be set as is
            slider.set_value(rng.choice(slider.options))
        else:
            steps = int(round((slider.max - slider.min) / slider.step))
            slider.set_value(type(slider.value)(slider.min + slider.step * rng.randint(0, steps)))
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    return times


if __name__ == "__main__":
    main()
