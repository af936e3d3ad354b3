"""Start and stop a real `streamlit run app.py` on 127.0.0.1, and a headless Chromium.

Shared by the browser tests and the scripts that take screenshots or time redraws.
"""
from __future__ import annotations

import contextlib
import json
import os
import pathlib
import subprocess
import sys
import time
import urllib.request

from tests.services import free_port  # noqa: F401 (the browser tests take it from here)

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as r:
            return r.read().strip() == b"ok"
    except OSError:
        return False


@contextlib.contextmanager
def streamlit_server(port: int | None = None, timeout: float = 60.0, env: dict | None = None):
    """Yield the base URL of a fresh server (``env``: more environment variables, e.g. the
    live class's CLASS_STORE); stop it (by its own pid) afterwards."""
    with streamlit_process(port, timeout, env=env) as (url, _):
        yield url


@contextlib.contextmanager
def streamlit_process(port: int | None = None, timeout: float = 60.0, cwd=ROOT,
                      python: str = sys.executable, env: dict | None = None):
    """Yield ``(base URL, process)`` of a fresh server (the app in ``cwd``, run by the
    interpreter ``python``, with more environment variables ``env``); stop it afterwards."""
    port = port or free_port()
    health = f"http://127.0.0.1:{port}/_stcore/health"
    if _answers(health):
        raise RuntimeError(f"port {port} already serves something; refusing to test it")
    cmd = [python, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port),
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
    try:
        deadline = time.monotonic() + timeout
        while not _answers(health):
            if proc.poll() is not None:
                raise RuntimeError("streamlit exited:\n" + proc.stdout.read().decode())
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not answer /_stcore/health in time")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def chromium():
    """A headless Debian Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


IDLE_JS = ("() => document.querySelector('[data-testid=\"stApp\"]')"
           "?.getAttribute('data-test-script-state') === 'notRunning'"
           " && !document.querySelector('[data-testid=\"stSkeleton\"]')")


#: every figure on the page drawn by Plotly (it lays out after the script's run)
PLOTS_DRAWN_JS = ("() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
                  ".every(c => c.querySelector('.main-svg'))")


# a prediction still waiting for the learner's answer (its form is on the page)
OPEN_PREDICTION_JS = ("() => !document.querySelector("
                      "'[class*=\"st-key-predict_\"] [data-testid=\"stForm\"]')")


def wait_until_idle(page, timeout_ms: int = 60_000, revealed: bool = False) -> None:
    """Wait until Streamlit has finished running the script and drawn every element, and is
    still idle a moment later (a run that reruns itself, as a server's first visit does,
    is briefly idle between its two runs). ``revealed``: also wait until no prediction
    waits for an answer (a learner seeded with :func:`learner` gets them revealed once the
    browser has reported its stored progress)."""
    page.wait_for_function(IDLE_JS, timeout=timeout_ms)
    page.wait_for_timeout(250)
    page.wait_for_function(IDLE_JS, timeout=timeout_ms)
    if revealed:
        page.wait_for_function(OPEN_PREDICTION_JS, timeout=timeout_ms)
        page.wait_for_function(IDLE_JS, timeout=timeout_ms)


def learner(browser, predicted: bool = True, **options):
    """A new browser context (a learner's browser). ``predicted``: its localStorage holds
    progress with every prediction made, so every page shows all it has, as for a learner
    coming back; else a learner on their first visit."""
    from tests.apptest import all_predicted
    from ui.progress import STORAGE_KEY

    context = browser.new_context(**options)
    if predicted:
        context.add_init_script(
            f"if (!localStorage.getItem({json.dumps(STORAGE_KEY)}))"
            f" localStorage.setItem({json.dumps(STORAGE_KEY)}, "
            f"{json.dumps(json.dumps(all_predicted()))});")
    return context


# What the chart draws: a racer's route (x values then y values) and its marker.
ROUTE_JS = """(name) => {
  const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  if (!plot || !plot._fullData) return null;
  const trace = plot._fullData.find(t => t.name === name && t.mode === 'lines');
  return trace ? Array.from(trace.x).concat(Array.from(trace.y)) : null;
}"""
MARKER_JS = """(name) => {
  const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const trace = plot._fullData.find(t => t.name === name && t.mode === 'markers'
                                         && t.xaxis === 'x');
  return [trace.x[0], trace.y[0]];
}"""
