"""Server time per rerun of a page after a slider change, measured with AppTest.

    python benchmarks/rerun_time.py [--changes 20]

For the foggy hiker: moves the adaptive step-size slider to a new value each time
(so nothing comes from the cache), then back over values already seen (cached),
and prints the median and 90th percentile of each, plus the default figure size.
"""
import argparse
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from explainers import hiker_controls as hc  # noqa: E402


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
    print(f"{name:42s} median {statistics.median(times) * 1e3:6.1f} ms   p90 {p90 * 1e3:6.1f} ms"
          f"   (n={len(times)})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20)
    args = parser.parse_args()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/hiker.py").run()
    size = len(at.get("plotly_chart")[0].proto.spec)
    print(f"default race figure: {size / 1024:.0f} kB of JSON, "
          f"{len(at.get('plotly_chart'))} chart(s)")
    options = [a for a in hc.ALPHAS if a != at.session_state["alpha"]]
    values = (options * ((args.changes // len(options)) + 1))[:args.changes]
    fresh = timed_runs(at, "alpha", values[:len(options)])
    cached = timed_runs(at, "alpha", values)
    report("hiker, slider change, new value", fresh)
    report("hiker, slider change, value seen before", cached)


if __name__ == "__main__":
    main()
