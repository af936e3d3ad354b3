"""The first visit of every page after a server start: how long the first student waits.

    python benchmarks/first_visit.py [PAGE ...]

For each page (default: every page), starts a fresh server, opens the page's link as the
very first visitor would (Streamlit's websocket protocol, tests/wsclient.py; no browser)
and times from the request to the finished run, twice: as a first-time learner (the page
stops at its prediction) and as a returning one (every prediction made, so the page
computes all it shows). A browser adds its own drawing on top.
"""
import argparse
import asyncio
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from explainers.lessons import PAGES  # noqa: E402
from tests.browser.server import streamlit_process  # noqa: E402
from tests.wsclient import Session, connect, returning  # noqa: E402


async def visit(url: str, page: str, predicted: bool) -> tuple[float, int]:
    async with connect(url) as ws:
        session = Session(ws, page=page)
        started = time.perf_counter()
        await (returning(session) if predicted else session.run())
        return time.perf_counter() - started, session.errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*",
                        default=[page.url_path for page in PAGES if page.built])
    args = parser.parse_args()
    for page in args.pages:
        times = []
        for predicted in (False, True):
            with streamlit_process() as (url, _):
                seconds, errors = asyncio.run(visit(url, page, predicted))
                times.append(f"{seconds:.2f} s" + (f" ({errors} errors)" if errors else ""))
        print(f"{page or 'home':20s} first learner {times[0]:>8s}   returning learner "
              f"{times[1]:>8s}")


if __name__ == "__main__":
    main()
