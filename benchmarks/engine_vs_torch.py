"""Engine throughput: 2,500 hikers x 1,000 steps on Rosenbrock's valley, for Adam and
the members of its family that work weight by weight (AdaMax, NAdam, RAdam).

Runs the work through ``optim.runner.run`` (positions and losses recorded every
step) and, when torch is installed, the same work in PyTorch eager: autograd plus
the ``torch.optim`` optimizer on one (2500, 2) float64 tensor, also recording
positions and losses every step.  Prints the best of several interleaved repeats for
each and the ratio.

    python benchmarks/engine_vs_torch.py [--repeats 7] [--optimizers adam radam ...]
"""
import argparse
import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from optim import Adam, Adamax, NAdam, RAdam  # noqa: E402
from optim.runner import run  # noqa: E402
from optim.surfaces import SURFACES  # noqa: E402

HIKERS, STEPS, LR = 2_500, 1_000, 1e-3
OPTIMIZERS = {"adam": (Adam, "Adam"), "adamax": (Adamax, "Adamax"), "nadam": (NAdam, "NAdam"),
              "radam": (RAdam, "RAdam")}  # ours, torch.optim's name


def starts() -> np.ndarray:
    return np.random.default_rng(0).uniform(-2.0, 2.0, (HIKERS, 2))


def engine(name: str = "adam") -> np.ndarray:
    ours = OPTIMIZERS[name][0]
    return run(SURFACES["rosenbrock"], ours(lr=LR), starts(), STEPS).positions[-1]


def pytorch(name: str = "adam"):
    import torch

    p = torch.tensor(starts(), dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, OPTIMIZERS[name][1])([p], lr=LR)
    positions = torch.empty((STEPS + 1, HIKERS, 2), dtype=torch.float64)
    losses = torch.empty((STEPS + 1, HIKERS), dtype=torch.float64)
    with torch.no_grad():
        positions[0] = p
    for t in range(1, STEPS + 1):
        opt.zero_grad()
        x, y = p[:, 0], p[:, 1]
        loss = (1 - x) ** 2 + 100 * (y - x * x) ** 2
        loss.sum().backward()
        opt.step()
        with torch.no_grad():
            positions[t] = p
            losses[t - 1] = loss
    return positions[-1].numpy()


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--optimizers", nargs="+", choices=tuple(OPTIMIZERS),
                        default=list(OPTIMIZERS))
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        torch = None
    threads = [] if torch is None else sorted({torch.get_num_threads(), 1}, reverse=True)
    if torch is not None:
        # NAdam keeps its running product of momentum factors in the default dtype: float64,
        # as in the fixtures (float32 would part from the float64 rule by 1e-4 here)
        torch.set_default_dtype(torch.float64)
    for name in args.optimizers:
        compare(name, args.repeats, torch, threads)


def compare(name: str, repeats: int, torch, threads: list[int]) -> None:
    engine(name)  # warm up: first-touch page faults, imports
    # interleaved repeats, so that a burst of load on a shared machine hits both sides
    best = {"engine": float("inf"), **{n: float("inf") for n in threads}}
    for _ in range(repeats):
        t, ours = timed(lambda: engine(name))
        best["engine"] = min(best["engine"], t)
        for n in threads:
            torch.set_num_threads(n)
            t, theirs = timed(lambda: pytorch(name))
            best[n] = min(best[n], t)
    t_engine = best["engine"]
    print(f"{OPTIMIZERS[name][1]}: engine (NumPy runner): {t_engine * 1e3:8.1f} ms  "
          f"({HIKERS * STEPS / t_engine / 1e6:.1f} M hiker-steps/s)")
    if torch is None:
        print("torch not installed: pip install torch==2.13.0 to compare")
        return
    gaps = np.max(np.abs(ours - theirs), axis=1)
    apart = int((gaps > 1e-12).sum())
    for n in threads:
        print(f"  PyTorch {torch.__version__} eager ({n} thread{'s' * (n > 1)}): "
              f"{best[n] * 1e3:8.1f} ms; the engine (1 thread) is {best[n] / t_engine:.1f}x "
              f"faster")
    print(f"  final positions: max |difference| {gaps.max():.2e}; {apart} of {HIKERS} hikers "
          f"apart by more than 1e-12 (the rest within {np.sort(gaps)[HIKERS - apart - 1]:.1e}: "
          "an ulp that a chaotic path amplifies)")


if __name__ == "__main__":
    main()
