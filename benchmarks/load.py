"""A class on one server: N sessions, each changing a slider, without browsers.

    python benchmarks/load.py [--sessions 30] [--changes 10] [--rounds 3] [--think 1.0]

Starts the app on 127.0.0.1, opens N sessions on the foggy hiker through
Streamlit's own websocket protocol (its protobuf BackMsg and ForwardMsg, as a
browser sends them), and has each session move the adaptive step-size slider
``changes`` times, pausing ``think`` seconds (with jitter) between changes, as a
student would. Prints p50/p95 of the time from a change to the finished rerun,
reruns per second, errors, and the server's memory after each round (it should
stop growing once the caches are full). All traffic stays on this machine. The
sessions are first visits that have not answered the page's prediction, so each
rerun draws the controls and the prediction but not the race behind it (a lighter
load than a class past the prediction).
"""
import argparse
import asyncio
import pathlib
import random
import statistics
import sys
import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from explainers.race import controls as hc  # noqa: E402
from tests.browser.server import streamlit_process  # noqa: E402

LABEL = hc.ALPHA_ADAPTIVE.label
PAGE = "foggy-hiker"


def rss_mb(pid: int) -> float:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def rerun(ws, widget=None, value=None, page_hash=""):
    """Ask for a rerun; return (seconds until script_finished, widget id found, errors, hash).
    A change counts as an error too if the page does not write the new value into its link."""
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = ""
    state.page_name = PAGE
    state.page_script_hash = page_hash
    if widget is not None:
        w = state.widget_states.widgets.add()
        w.id = widget
        w.string_array_value.data.append(value)
    started = time.perf_counter()
    await ws.send(msg.SerializeToString())
    found, errors, query = widget, 0, ""
    while True:
        fm = ForwardMsg()
        fm.ParseFromString(await ws.recv())
        kind = fm.WhichOneof("type")
        if kind == "new_session":
            page_hash = page_hash or fm.new_session.page_script_hash
        elif kind == "navigation":
            page_hash = fm.navigation.page_script_hash or page_hash
        elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
            element = fm.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                errors += 1
            sub = getattr(element, which, None) if which else None
            if getattr(sub, "label", None) == LABEL and getattr(sub, "id", ""):
                found = sub.id
        elif kind == "page_info_changed":
            query = fm.page_info_changed.query_string
        elif kind == "script_finished":
            if value is not None and value != f"{hc.ALPHA_ADAPTIVE.default:g}" \
                    and f"alpha={value}" not in query:
                errors += 1
            return time.perf_counter() - started, found, errors, page_hash


async def student(url: str, changes: int, think: float, times: list, errors: list, seed: int):
    rng = random.Random(seed)
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=2 ** 26,
                                  origin=url) as ws:
        _, widget, bad, page_hash = await rerun(ws)
        errors.append(bad)
        if widget is None:
            errors.append(1)
            return
        options = [f"{a:g}" for a in hc.ALPHAS]
        for _ in range(changes):
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            seconds, _, bad, _ = await rerun(ws, widget, rng.choice(options), page_hash)
            times.append(seconds)
            errors.append(bad)


async def round_of(url, sessions, changes, think, seed):
    times, errors = [], []
    started = time.perf_counter()
    await asyncio.gather(*(student(url, changes, think, times, errors, seed * 1000 + i)
                           for i in range(sessions)))
    return times, sum(errors), time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--think", type=float, default=1.0)
    args = parser.parse_args()
    with streamlit_process() as (url, proc):
        asyncio.run(round_of(url, 1, 1, 0.0, 0))  # the first session: settle the pages
        for r in range(1, args.rounds + 1):
            times, errors, wall = asyncio.run(
                round_of(url, args.sessions, args.changes, args.think, r))
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))] if times else float("nan")
            print(f"round {r}: {args.sessions} sessions x {args.changes} changes: "
                  f"p50 {statistics.median(times) * 1e3:.0f} ms, p95 {p95 * 1e3:.0f} ms, "
                  f"{len(times) / wall:.1f} reruns/s, errors {errors}, "
                  f"server memory {rss_mb(proc.pid):.0f} MB")


if __name__ == "__main__":
    main()
