"""A live class on one server: N students join by the link and answer a pushed question
within a few seconds, while the projector watches the answers come in. No browsers.

    python benchmarks/live_class.py [--students 150] [--within 10] [--store sqlite|redis]

Starts the app on 127.0.0.1 (with the class store in a fresh SQLite file, or in a fresh
redis-server), starts a class and pushes the home page's prediction through the store
(as the teacher's "Ask the class" does), then opens, through Streamlit's own websocket
protocol (its protobuf BackMsg and ForwardMsg, as a browser sends them):

- the projector: the teacher's session (by the teacher's link) on the home page in
  presenter mode, rerunning its answers panel every second as the browser does for an
  ``st.fragment(run_every=...)``;
- N students: each opens the join link, reports its device id (as the browser's
  component does), looks for the question every two seconds, and sends a random answer
  at a random moment within ``--within`` seconds.

Prints how many answers the store kept and the projector counted (both must equal N,
option by option), p50/p95 of the time from a student's answer to the first projector
update that counts it, the students' reruns per second, errors, and the server's memory.
"""
import argparse
import asyncio
import json
import os
import pathlib
import random
import re
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from benchmarks.load import rss_mb  # noqa: E402
from classroom.classes import open_classes  # noqa: E402
from explainers import quiz  # noqa: E402
from tests.browser.server import streamlit_process  # noqa: E402
from tests.services import redis_server  # noqa: E402
from tests.wsclient import Session, connect  # noqa: E402

QUESTION = quiz.load("home").predictions["first_race"]
COUNT = re.compile(r"(\d+) of (\d+) joined answered")


async def projector(url, teacher_link_query, stop, seen):
    """The teacher's session: record (time, count) at every update of the answers."""
    async with connect(url) as ws:
        teacher = Session(ws, teacher_link_query)
        await teacher.run()
        teacher.query = "present=1"
        await teacher.run()
        panel = next(f for f, every in teacher.timers.items() if every <= 1.0)
        while not stop.is_set():
            await asyncio.sleep(teacher.timers[panel])
            await teacher.run(panel)
            for text in teacher.texts:
                if (found := COUNT.search(text)):
                    seen.append((time.perf_counter(), int(found.group(1)), text))
        return teacher.errors


async def student(url, code, within, rng, acks, errors, reruns, joins):
    async with connect(url) as ws:
        me = Session(ws, f"join={code}")
        opened = time.perf_counter()
        await me.run()
        device = "%032x" % rng.getrandbits(128)
        me.states["device"] = me.state(
            "class_device", json_value=json.dumps({"stored": json.dumps(
                {"device": device, "teaching": None})}))
        await me.run()
        joins.append(time.perf_counter() - opened)
        panel = next(iter(me.timers))
        answer_at = time.perf_counter() + rng.uniform(0, within)
        choice = rng.randrange(len(QUESTION.options))
        while "class_1_1_answer" not in me.ids or time.perf_counter() < answer_at:
            await asyncio.sleep(min(me.timers[panel], max(0.0, answer_at - time.perf_counter())
                                    if "class_1_1_answer" in me.ids else me.timers[panel]))
            await me.run(panel)
            reruns.append(1)
        sent = time.perf_counter()
        await me.run(panel, me.state("class_1_1_answer",
                                     string_value=QUESTION.options[choice].label),
                     me.state("FormSubmitter:class_1_1-Send my answer", trigger_value=True))
        acks.append((time.perf_counter(), sent, QUESTION.options[choice].key))
        if not any(text.startswith("Sent:") for text in me.texts):
            me.errors += 1
        errors.append(me.errors)


async def lesson(url, code, secret, students, within, seed):
    stop, seen, acks, errors, reruns, joins = asyncio.Event(), [], [], [], [], []
    watching = asyncio.create_task(projector(url, f"teach={code}.{secret}&present=1", stop,
                                             seen))
    await asyncio.sleep(2.0)
    started = time.perf_counter()
    await asyncio.gather(*(student(url, code, within, random.Random(seed * 1000 + i), acks,
                                   errors, reruns, joins) for i in range(students)))
    wall = time.perf_counter() - started
    deadline = time.perf_counter() + 10
    while (not seen or seen[-1][1] < len(acks)) and time.perf_counter() < deadline:
        await asyncio.sleep(0.2)
    stop.set()
    projector_errors = await watching
    return seen, acks, sum(errors) + projector_errors, len(reruns) / wall, sorted(joins)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=150)
    parser.add_argument("--within", type=float, default=10.0)
    parser.add_argument("--store", choices=("sqlite", "redis"), default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with ExitStack() as stack:
        if args.store == "redis":
            setting = stack.enter_context(redis_server())
        else:
            work = stack.enter_context(tempfile.TemporaryDirectory())
            setting = f"sqlite://{work}/classes.sqlite3"
        os.environ["CLASS_STORE"] = setting
        url, proc = stack.enter_context(streamlit_process(env={"CLASS_STORE": setting}))
        classes = open_classes(setting, "")
        code, secret = classes.start()
        poll = classes.ask(code, secret, QUESTION.key, quiz.prompt(QUESTION))
        seen, acks, errors, rate, joins = asyncio.run(
            lesson(url, code, secret, args.students, args.within, args.seed))
        kept = classes.answers(code, poll.round_key())
        acks.sort()
        lags = []
        for k, (done, sent, _) in enumerate(acks, 1):  # the k-th answer the server kept
            shown = next((t for t, count, _ in seen if t >= done and count >= k), None)
            lags.append(float("inf") if shown is None else shown - sent)
        lags.sort()
        sent_counts = {o.key: sum(a[2] == o.key for a in acks) for o in QUESTION.options}
        kept_counts = {o.key: kept.count(o.key) for o in QUESTION.options}
        last = seen[-1][2] if seen else ""
        on_projector = all(f"{o.label}: {sent_counts[o.key]}" in last for o in QUESTION.options)
        exact = {True: "exact", False: "WRONG"}
        print(f"{args.students} students on {args.store}, answering within {args.within:g} s: "
              f"sent {len(acks)}, kept {len(kept)} ({exact[kept_counts == sent_counts]}), "
              f"projector counted {seen[-1][1] if seen else 0} "
              f"({exact[on_projector]}); answer to projector p50 "
              f"{statistics.median(lags):.2f} s, p95 {lags[int(0.95 * (len(lags) - 1))]:.2f} s; "
              f"joining took p50 {statistics.median(joins):.2f} s, max {joins[-1]:.2f} s; "
              f"{rate:.1f} student reruns/s; errors {errors}; "
              f"server memory {rss_mb(proc.pid):.0f} MB")


if __name__ == "__main__":
    main()
