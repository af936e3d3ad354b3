"""Make lesson 6's runs with the engine and keep them in assets/paper-runs.json (the
reproduction of Figure 1) and assets/generalization-runs.json (its last section).

    python scripts/make_paper_runs.py

The lesson reads them from there, so a first visit does not wait 10 to 25 seconds for
20 grid searches, nor 30 to 60 more for the generalization grids;
tests/test_paper_reproduced.py and tests/test_generalization.py run the engine again and
check that the files hold what it makes. Run this after changing the engine, the data or
the lesson's grids.
"""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from explainers import generalization  # noqa: E402
from explainers import paper_reproduced as paper  # noqa: E402


def main():
    for module in (paper, generalization):
        runs = {key: module.to_record(result) for key, result in module.every_run().items()}
        module.RUNS_FILE.write_text(json.dumps(runs, indent=None, separators=(",", ":"))
                                    + "\n", encoding="utf-8")
        print(f"{module.RUNS_FILE}: {len(runs)} runs, {module.RUNS_FILE.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
