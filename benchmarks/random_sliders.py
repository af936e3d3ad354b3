"""A lab class on one server, as it really moves: N students, each moving a *random*
slider of a page to a *random* value about once a second, so most changes miss the
shared cache. No browsers.

    python benchmarks/random_sliders.py [--students 30] [--seconds 60] [--page foggy-hiker]
                                        [--think 1.0] [--url URL]

Starts the app on 127.0.0.1 (or loads the app already at ``--url``, e.g. the replicas
behind nginx of deploy/run-local.sh), opens N sessions through Streamlit's websocket
protocol (tests/wsclient.py) on the page, each a returning learner past the page's
prediction, and has each move a random slider of the page to a random value it offers,
pausing ``think`` seconds (with jitter) between changes. Prints, every 20 seconds and at
the end, p50/p95 of the time from a change to the finished rerun, reruns per second,
errors (an exception on the page, a lost connection) and the server's memory.
"""
import argparse
import asyncio
import pathlib
import random
import statistics
import sys
import time
from contextlib import ExitStack

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from benchmarks.load import rss_mb  # noqa: E402
from tests.browser.server import streamlit_process  # noqa: E402
from tests.wsclient import Session, connect, returning  # noqa: E402


def percentile(times: list[float], share: float) -> float:
    times = sorted(times)
    return times[int(share * (len(times) - 1))] if times else float("nan")


async def student(url, page, think, until, rng, times, errors):
    try:
        async with connect(url) as ws:
            me = Session(ws, page=page)
            await returning(me)
            errors.append(me.errors)
            while time.perf_counter() < until:
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                me.errors = 0
                me.move(rng)
                started = time.perf_counter()
                await me.run()
                times.append((time.perf_counter(), time.perf_counter() - started))
                errors.append(me.errors)
                for said in me.exceptions[-me.errors:] if me.errors else ():
                    print(f"an exception on the page: {said}")
    except (OSError, asyncio.TimeoutError) as err:  # a lost connection counts as an error
        print(f"a student lost the server: {err!r}")
        errors.append(1)


async def report(times, errors, pid, until, every=20.0):
    last = 0
    while time.perf_counter() < until:
        await asyncio.sleep(min(every, max(0.0, until - time.perf_counter())))
        window = [t for _, t in times[last:]]
        last = len(times)
        print(f"  last {every:.0f} s: {len(window)} reruns, p50 "
              f"{statistics.median(window) * 1e3 if window else float('nan'):.0f} ms, p95 "
              f"{percentile(window, 0.95) * 1e3:.0f} ms, errors {sum(errors)}"
              + (f", server memory {rss_mb(pid):.0f} MB" if pid else ""))


async def lab(url, page, students, seconds, think, seed, pid):
    times, errors = [], []
    until = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(report(times, errors, pid, until),
                         *(student(url, page, think, until, random.Random(seed * 1000 + i),
                                   times, errors) for i in range(students)))
    return [t for _, t in times], sum(errors), time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--page", default="foggy-hiker")
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", help="load an app already running there")
    args = parser.parse_args()
    with ExitStack() as stack:
        url, pid = args.url, None
        if url is None:
            url, proc = stack.enter_context(streamlit_process())
            pid = proc.pid
        asyncio.run(lab(url, args.page, 1, 3, args.think, 0, None))  # the first visit
        times, errors, wall = asyncio.run(
            lab(url, args.page, args.students, args.seconds, args.think, args.seed, pid))
        print(f"{args.students} students on {args.page}, random sliders, {args.seconds:.0f} s: "
              f"p50 {statistics.median(times) * 1e3:.0f} ms, p95 "
              f"{percentile(times, 0.95) * 1e3:.0f} ms, {len(times) / wall:.1f} reruns/s, "
              f"errors {errors}" + (f", server memory {rss_mb(pid):.0f} MB" if pid else ""))


if __name__ == "__main__":
    main()
