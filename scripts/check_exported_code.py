"""Run the code a learner takes away in its real framework, and compare with the engine.

For every case of ``explainers.code_export.CASES`` and every framework (PyTorch, optax,
Keras 3 on JAX), render the program, run it in a fresh Python process, read its
``trajectory`` and compare it step by step with the engine's in that framework's
convention. With ``--write``, programs that agree are stored in
``tests/fixtures/snippets/`` (``tests/test_code_export.py`` checks the templates still
render them, so a changed template has to pass this script again).

Needs the frameworks (CPU): ``pip install torch==2.13.0 jax==0.10.2 optax==0.2.8
keras==3.15.1``.

    python scripts/check_exported_code.py [--write]
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from explainers.code_export import CASES, FRAMEWORKS, engine_trajectory, snippet  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "snippets"
TOLERANCE = 1e-10
RUN = ("import json, runpy, sys; ns = runpy.run_path(sys.argv[1]); "
       "print(json.dumps(ns['trajectory']))")


def run_program(text: str) -> np.ndarray:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(text)
    done = subprocess.run([sys.executable, "-c", RUN, f.name], capture_output=True, text=True,
                          check=True, cwd=tempfile.gettempdir())
    return np.array(json.loads(done.stdout.strip().splitlines()[-1]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    worst = 0.0
    for case, (problem, setting) in CASES.items():
        for framework in FRAMEWORKS:
            text = snippet(framework, problem, setting)
            theirs = run_program(text)
            ours = engine_trajectory(framework, problem, setting)
            error = float(np.max(np.abs(theirs - ours)) / np.max(np.abs(ours)))
            worst = max(worst, error)
            verdict = "agrees" if error <= TOLERANCE else "DIFFERS"
            print(f"{case:16s} {framework:8s} {len(theirs) - 1:4d} steps: relative error "
                  f"{error:.1e} ({verdict})")
            if error > TOLERANCE:
                sys.exit(f"{case} in {framework} differs from the engine")
            if args.write:
                OUT.mkdir(parents=True, exist_ok=True)
                (OUT / f"{case}.{framework}.py").write_text(text)
    print(f"worst relative error {worst:.1e}")


if __name__ == "__main__":
    main()
