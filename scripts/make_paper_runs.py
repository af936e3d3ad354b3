"""Make lesson 6's runs with the engine and keep them in assets/paper-runs.json.

    python scripts/make_paper_runs.py

The lesson reads them from there, so a first visit does not wait 10 to 25 seconds for
20 grid searches; tests/test_paper_reproduced.py runs the engine again and checks that
the file holds exactly what it makes. Run this after changing the engine, the data or the
lesson's grids.
"""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from explainers import paper_reproduced as paper  # noqa: E402


def main():
    runs = {key: paper.to_record(result) for key, result in paper.every_run().items()}
    paper.RUNS_FILE.write_text(json.dumps(runs, indent=None, separators=(",", ":")) + "\n",
                               encoding="utf-8")
    print(f"{paper.RUNS_FILE}: {len(runs)} runs, {paper.RUNS_FILE.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
