"""Can a few learners with heavy formulas slow everyone else? One cheap user, with and
without three heavy ones, on one server.

    python benchmarks/heavy_users.py [--seconds 40] [--app-dir DIR]

The cheap user moves the foggy hiker's step-size slider to a random value about once a
second (as in ``load.py``). Each heavy user opens the playground's heaviest link again
and again (a 199-character formula, all 7 racers, 1,000 steps, fog 2), each time with a
new fog seed so nothing comes from the cache. Prints the cheap user's p50/p95 from a
change to the finished rerun, alone and beside the heavy users, and how long the heavy
reruns took. ``--app-dir`` measures another checkout of the app (e.g. an older commit
made with ``git worktree add``). All traffic stays on this machine.
"""
import argparse
import asyncio
import itertools
import pathlib
import statistics
import sys
import time
from urllib.parse import urlencode

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import load  # noqa: E402

from explainers.race.racers import RACERS  # noqa: E402
from tests.browser.server import streamlit_process  # noqa: E402

LONG = "*".join(["sin(x)", "cos(y)"] * 14) + "+x*y"
HEAVY = {"f": LONG, "xmin": "-3", "xmax": "3", "ymin": "-3", "ymax": "3", "x0": "1", "y0": "1",
         "racers": ",".join(RACERS), "steps": "1000", "fog": "2"}


async def heavy_user(url: str, until: float, seeds, times: list) -> None:
    """Open the heavy link in a fresh session, again and again, until ``until``."""
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    while time.perf_counter() < until:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=2 ** 26,
                                      origin=url) as ws:
            msg = BackMsg()
            msg.rerun_script.query_string = urlencode({**HEAVY, "seed": next(seeds)})
            msg.rerun_script.page_name = "own-landscape"
            started = time.perf_counter()
            await ws.send(msg.SerializeToString())
            while True:
                fm = ForwardMsg()
                fm.ParseFromString(await ws.recv())
                if fm.WhichOneof("type") == "script_finished":
                    times.append(time.perf_counter() - started)
                    break


async def scenario(url: str, heavy: int, seconds: float):
    times, errors, heavy_times = [], [], []
    seeds = itertools.count(1)
    until = time.perf_counter() + seconds
    changes = int(seconds)  # about one a second
    await asyncio.gather(load.student(url, changes, 1.0, times, errors, seed=7),
                         *(heavy_user(url, until, seeds, heavy_times) for _ in range(heavy)))
    return sorted(times), sum(errors), heavy_times


def report(name, times):
    if not times:
        return f"{name}: none"
    p95 = times[int(0.95 * (len(times) - 1))]
    return f"{name}: p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s (n={len(times)})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--app-dir", type=pathlib.Path, default=HERE.parent)
    args = parser.parse_args()
    with streamlit_process(cwd=args.app_dir) as (url, proc):
        asyncio.run(scenario(url, 0, 3))  # settle the pages
        for heavy in (0, 3):
            times, errors, heavy_times = asyncio.run(scenario(url, heavy, args.seconds))
            print(f"{heavy} heavy users: " + report("the cheap user", times)
                  + f", errors {errors}; " + report("heavy reruns", sorted(heavy_times))
                  + f"; server memory {load.rss_mb(proc.pid):.0f} MB")


if __name__ == "__main__":
    main()
