"""Lesson 1 on a landscape: one step size for a steep and a flat direction, and what
happens to each optimizer when the whole loss is multiplied by a constant."""
from __future__ import annotations

import numpy as np
import pandas as pd

from optim import SGD, Adam
from optim.runner import run
from optim.surfaces import SURFACES, scaled

from .palette import RACER_COLOURS
from .race.landscape import paths_figure, stopped
from .race.racers import Settings
from .race.setup import RacerResult, RaceSetup
from .rare_words import ADAM_ALPHAS, SGD_ALPHAS
from .url_state import Choice

BOWL = "bowl"
SGD_BOWL_ALPHAS = (0.01, 0.02, 0.05, 0.1, 0.15, 0.18, 0.19, 0.2, 0.21, 0.25)
ADAM_BOWL_ALPHA = 0.1
BOWL_STEPS = 150
SCALES = tuple(10.0 ** e for e in range(-3, 4))
SCALE_STEPS = 150


def bowl_setup(alpha_sgd: float) -> RaceSetup:
    """SGD (at the learner's step size) against Adam on the elongated bowl."""
    return RaceSetup(surface=BOWL, racers=("sgd", "adam"), steps=BOWL_STEPS,
                     settings=Settings(alpha_sgd=alpha_sgd, alpha_adaptive=ADAM_BOWL_ALPHA))


def bowl_table(results: list[RacerResult]) -> pd.DataFrame:
    """Where each racer is after the race, along the flat x and the steep y direction."""
    rows = []
    for r in results:
        x, y = r.run.positions[-1]
        rows.append({"racer": r.racer.label, "distance left along x (flat)": abs(float(x)),
                     "distance left along y (steep)": abs(float(y)),
                     "status": (f"diverged at step {r.diverged_at}" if r.diverged_at is not None
                                else "finished")})
    return pd.DataFrame(rows)


def scale_runs(c: float, eps: float, alpha_sgd: float = 0.05, alpha_adam: float = 0.1):
    """Adam and SGD on the bowl and on c times the bowl, from the same start.
    Returns ``{name: (run at 1, run at c)}``."""
    base = SURFACES[BOWL]
    start = np.array(base.start)
    out = {}
    for name, opt in (("Adam", Adam(alpha_adam, eps=eps)), ("SGD", SGD(alpha_sgd))):
        out[name] = (run(base, opt, start, SCALE_STEPS),
                     run(scaled(base, c), opt, start, SCALE_STEPS))
    return out


def path_difference(at_one, at_c) -> str:
    """The largest distance between two runs' positions, or why it cannot be measured."""
    if at_c.diverged:
        return f"diverged at step {int(at_c.diverged_at)}"
    return f"{float(np.max(np.linalg.norm(at_one.positions - at_c.positions, axis=-1))):.2g}"


def scale_figure(runs: dict, c: float) -> dict:
    """Both optimizers' paths on the bowl (solid) and on c times the bowl (dotted)."""
    paths = []
    for name, (at_one, at_c) in runs.items():
        colour = RACER_COLOURS["adam" if name == "Adam" else "sgd"]
        paths += [(f"{name}, loss × 1", stopped(at_one), colour, "solid"),
                  (f"{name}, loss × {c:g}", stopped(at_c), colour, "dot")]
    figure = paths_figure(SURFACES[BOWL], paths)
    figure["layout"]["xaxis"]["title"]["text"] = "x (flat)"
    figure["layout"]["yaxis"]["title"]["text"] = "y (steep)"
    return figure


WORDS_SGD = Choice("words_sgd", "SGD's learning rate α", 1.0, options=SGD_ALPHAS)
WORDS_ADAM = Choice("words_adam", "Adam's learning rate α", 0.01, options=ADAM_ALPHAS)
BOWL_SGD = Choice("bowl_sgd", "SGD's learning rate α on the bowl", 0.05, options=SGD_BOWL_ALPHAS)
SCALE = Choice("c", "Multiply the loss by c", 1000.0, options=SCALES)
SCALE_EPS = Choice("scale_eps", "Adam's ε", 1e-8, options=(1e-12, 1e-8))
SPECS = (WORDS_SGD, WORDS_ADAM, BOWL_SGD, SCALE, SCALE_EPS)
