"""Two replicas behind a real nginx, started by the README's own command
(``bash deploy/run-local.sh 2 PORT``: Debian's nginx and redis-server, installed by
scripts/test.sh). Students spread over both replicas by nginx's sticky cookie and move
random sliders; one replica is killed in the middle: its students reconnect to the other
and get their demo back from the address alone, and the others notice nothing. A live
class started before the kill goes on, since both replicas share its Redis store."""
import asyncio
import contextlib
import os
import random
import signal
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from websockets.exceptions import ConnectionClosed

from classroom.classes import open_classes
from tests.services import free_port
from tests.wsclient import Session, connect, returning

ROOT = Path(__file__).resolve().parents[1]
PAGE = "foggy-hiker"
STUDENTS = 12


def _answers(url: str) -> bool:
    with contextlib.suppress(OSError):
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    return False


@contextlib.contextmanager
def cluster(work: Path):
    """``(url, work folder)`` of two replicas behind nginx, as deploy/run-local.sh starts
    them; everything is stopped afterwards."""
    port = free_port()
    proc = subprocess.Popen(["bash", "deploy/run-local.sh", "2", str(port)], cwd=ROOT,
                            env={**os.environ, "ADAM_RUN_DIR": str(work),
                                 "LISTEN": f"127.0.0.1:{port}"},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not _answers(f"{url}/_stcore/health"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("deploy/run-local.sh did not serve:\n"
                                   + (proc.stdout.read().decode() if proc.poll() is not None
                                      else "(still starting)"))
            time.sleep(0.3)
        yield url, work
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _first_visit(url: str) -> tuple[str, str]:
    """What a browser's first request gets from nginx: its replica's cookie, and which
    replica that is."""
    with urllib.request.urlopen(f"{url}/{PAGE}", timeout=30) as response:
        return response.headers["Set-Cookie"].split(";")[0], response.headers["X-Replica"]


async def student(url, i, killed, log):
    """Move random sliders until ``killed`` has been set and a few more changes are done;
    record in ``log[i]`` the replica, the reconnections and anything that went wrong."""
    cookie, replica = await asyncio.to_thread(_first_visit, url)
    record = log[i] = {"replica": replica, "reconnected": 0, "problems": [], "changes": 0}
    rng, query, after_kill = random.Random(i), "", 0
    while after_kill < 4:
        try:
            async with connect(url, additional_headers={"Cookie": cookie}) as ws:
                me = Session(ws, query=query, page=PAGE)
                await returning(me)
                if query and me.query != query:  # the demo did not come back whole
                    record["problems"].append(f"came back as {me.query!r}, not {query!r}")
                while after_kill < 4:
                    await asyncio.sleep(rng.uniform(0.3, 0.8))
                    me.move(rng)
                    await me.run()
                    query = me.query
                    record["changes"] += 1
                    after_kill += killed.is_set()
                    record["problems"] += me.exceptions
                    me.exceptions = []
        except (ConnectionClosed, OSError) as lost:
            record["reconnected"] += 1
            if record["reconnected"] > 3:
                record["problems"].append(f"lost again and again: {lost!r}")
                return


async def class_of_students(url, work: Path, log):
    killed = asyncio.Event()
    students = [asyncio.create_task(student(url, i, killed, log)) for i in range(STUDENTS)]
    await asyncio.sleep(8)
    pid = int((work / "replica-1.pid").read_text())
    os.kill(pid, signal.SIGKILL)  # a replica dies in the middle of the class
    killed.set()
    await asyncio.wait_for(asyncio.gather(*students), timeout=180)


def test_a_replica_dies_and_only_its_students_reconnect(tmp_path):
    with cluster(tmp_path) as (url, work):
        classes = open_classes(f"unix://{work}/redis.sock", "")
        code, secret = classes.start()  # a live class, in the store both replicas share
        log = {}
        # in a thread of its own: the browser tests' Playwright keeps an event loop running
        # in this one for the whole session
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, class_of_students(url, work, log)).result()
        first = f"127.0.0.1:{int(url.rsplit(':', 1)[1]) + 1}"
        moved = [r for r in log.values() if r["replica"] == first]
        stayed = [r for r in log.values() if r["replica"] != first]
        assert moved and stayed, log  # the cookie spread the class over both replicas
        assert all(r["reconnected"] >= 1 and not r["problems"] for r in moved), log
        assert all(r["reconnected"] == 0 and not r["problems"] for r in stayed), log
        assert all(r["changes"] >= 4 for r in log.values()), log
        assert classes.teaches(code, secret)  # the class outlived the replica
