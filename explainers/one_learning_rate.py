"""Lesson 1 on a landscape: one step size for a steep and a flat direction, and what
happens to each optimizer when the whole loss is multiplied by a constant."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optim import SGD, Adam
from optim.runner import run
from optim.surfaces import SURFACES, expression_key, scaled, surface

from . import rare_words as rw
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


SCALE_ALPHAS = {"SGD": 0.05, "Adam": 0.1}  # the rescaling section's learning rates


def scale_runs(c: float, eps: float, alpha_sgd: float = SCALE_ALPHAS["SGD"],
               alpha_adam: float = SCALE_ALPHAS["Adam"], alpha_sgd_at_c: float | None = None,
               alpha_adam_at_c: float | None = None):
    """Adam and SGD on the bowl and on c times the bowl, from the same start (on c times
    the bowl with other learning rates, if given). Returns ``{name: (run at 1, run at c)}``."""
    base = SURFACES[BOWL]
    start = np.array(base.start)
    out = {}
    for name, make, alpha, at_c in (("Adam", lambda a: Adam(a, eps=eps), alpha_adam,
                                     alpha_adam_at_c),
                                    ("SGD", SGD, alpha_sgd, alpha_sgd_at_c)):
        out[name] = (run(base, make(alpha), start, SCALE_STEPS),
                     run(scaled(base, c), make(alpha if at_c is None else at_c), start,
                         SCALE_STEPS))
    return out


def gap(at_one, at_c) -> float:
    """The largest distance between two runs' positions (infinite if the second diverged)."""
    if at_c.diverged:
        return math.inf
    return float(np.max(np.linalg.norm(at_one.positions - at_c.positions, axis=-1)))


def path_difference(at_one, at_c) -> str:
    """The largest distance between two runs' positions, or why it cannot be measured."""
    if at_c.diverged:
        return f"diverged at step {int(at_c.diverged_at)}"
    return f"{gap(at_one, at_c):.2g}"


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


# -- what the lesson's questions ask (explainers/text/one_learning_rate.toml) ----------

SAME_WITHIN = 1.25  # two distances within this factor of each other are "about the same"
VISIBLE = 0.01  # paths never farther apart than this (on the bowl's map, 20 wide) are one path


@dataclass(frozen=True)
class FartherFromZero:
    """Whose weight SGD leaves farther from its start at 0: "the", "xylophone", or "same"
    (within SAME_WITHIN of each other; then the farther one counts as right too). Each
    word's distance from 0 at the end, and how far its weight went in all."""
    answer: str | frozenset
    sgd_alpha: float
    the_moved: float
    the_travelled: float | int
    rare_moved: float
    rare_travelled: float
    the_true: float
    rare_true: float
    the_share: str
    rare_share: str
    adam_alpha: float
    adam_rare_moved: float
    rare_rate: float
    same_within: str


def _whole(x: float) -> float | int:
    """A large number as a whole one, so a sentence reads 3,688 and not 3.69e+03."""
    return round(x) if abs(x) >= 100 else x


def farther_from_zero(sgd_alpha: float, adam_alpha: float) -> FartherFromZero:
    exp = rw.experiment()
    the = rw.word_moves(exp, rw.THE, "sgd", sgd_alpha)
    rare = rw.word_moves(exp, rw.RARE_WORD, "sgd", sgd_alpha)
    words = rw.two_words(exp, sgd_alpha, adam_alpha)
    farther = "the" if the.moved > rare.moved else "xylophone"
    near, far = sorted((the.moved, rare.moved))
    answer = frozenset({"same", farther}) if far <= SAME_WITHIN * near else farther
    return FartherFromZero(answer, sgd_alpha, the.moved, _whole(the.travelled), rare.moved,
                           rare.travelled, words.the_true, words.rare_true,
                           f"{words.the_share:.0%}", f"{words.rare_share:.2%}", adam_alpha,
                           words.adam_moved, words.rare_rate, f"{SAME_WITHIN - 1:.0%}")


@dataclass(frozen=True)
class WhosePath:
    """Whose path on the bowl changes when the loss is multiplied by c: "neither", "sgd",
    "adam" or "both" (a path changes if it ever gets farther than VISIBLE from the
    path on the loss itself, or diverges)."""
    answer: str
    c: float
    eps: float
    adam: str  # what each path on c times the loss does, compared with the path on the loss
    sgd: str
    visible: float


def _compared(at_one, at_c) -> str:
    if at_c.diverged:
        return f"diverges at step {int(at_c.diverged_at)}"
    far = gap(at_one, at_c)
    return (f"never gets more than {far:.2g} away from its path on the loss itself"
            if far <= VISIBLE else f"gets as far as {far:.2g} from its path on the loss itself")


def whose_path_changes(c: float, eps: float) -> WhosePath:
    runs = scale_runs(c, eps)
    changed = {name: gap(*pair) > VISIBLE for name, pair in runs.items()}
    answer = {(False, False): "neither", (False, True): "sgd", (True, False): "adam",
              (True, True): "both"}[changed["Adam"], changed["SGD"]]
    return WhosePath(answer, c, eps, _compared(*runs["Adam"]), _compared(*runs["SGD"]),
                     VISIBLE)


@dataclass(frozen=True)
class StabilityLimit:
    """Plain gradient descent on f = a x^2 + b y^2: the largest learning rate that does
    not diverge, 2 / (the steepest curvature), and the numbers likely slips give."""
    answer: float
    steep: float  # the curvature (second derivative) along the steeper axis
    flat: float
    flat_limit: float  # 2 / flat: the limit if the flat direction set it
    one_step: float  # 1 / steep: the alpha that lands the steep direction in one step
    coefficient_slip: float  # 2 / the larger coefficient (the coefficient taken as curvature)


def sgd_limit(a: float, b: float) -> StabilityLimit:
    """The curvatures are read from the engine's gradient of the quadratic (exact: its
    gradient at a unit distance along an axis is the curvature along that axis)."""
    landscape = surface(expression_key(f"{a!r}*x**2 + {b!r}*y**2", (-2.0, 2.0, -2.0, 2.0)))
    curvatures = (float(landscape.grad(np.array([1.0, 0.0]))[0]),
                  float(landscape.grad(np.array([0.0, 1.0]))[1]))
    steep, flat = max(curvatures), min(curvatures)
    return StabilityLimit(2 / steep, steep, flat, 2 / flat, 1 / steep, 2 / max(a, b))


@dataclass(frozen=True)
class StepRatio:
    """How many times longer the first step is across a valley than along it."""
    answer: float  # Adam's
    sgd_ratio: float  # plain gradient descent's: the ratio of the slopes


def first_step_ratio(along: float, across: float) -> StepRatio:
    """The first step of Adam and of SGD (alpha = 0.1 each; the ratio does not depend
    on it) from a point where the slope is ``along`` and ``across``."""
    slope, params = np.array([along, across]), np.zeros(2)
    steps = []
    for optimizer in (Adam(0.1), SGD(0.1)):
        moved, _ = optimizer.update(params, slope, optimizer.init(params))
        steps.append(np.abs(moved - params))
    return StepRatio(float(steps[0][1] / steps[0][0]), float(steps[1][1] / steps[1][0]))


@dataclass(frozen=True)
class RareRate:
    """Adam's effective learning rate for a weight whose gradient is 1 once every
    ``every`` steps (0 otherwise), over that of a weight whose gradient is 1 at every
    step, after ``steps`` steps; and the two v-hats."""
    answer: float
    every: int
    rare_v_hat: float
    steady_v_hat: float
    one_rate_for_all: float = 1.0  # what one learning rate for every weight would give


def rare_rate_ratio(every: int, steps: int, beta2: float) -> RareRate:
    adam = Adam(1e-3, 0.9, beta2)
    params = np.zeros(2)
    state = adam.init(params)
    for t in range(1, steps):
        params, state = adam.update(params, np.array([1.0, float(t % every == 0)]), state)
    _, _, inside = adam.update(params, np.array([1.0, float(steps % every == 0)]), state,
                               internals=True)
    return RareRate(float(inside.effective_lr[1] / inside.effective_lr[0]), every,
                    float(inside.v_hat[1]), float(inside.v_hat[0]))


#: what the learner may do to the learning rates when the loss is multiplied by c:
#: (factor for SGD's alpha, factor for Adam's), as functions of c
REMEDIES = {"sgd_divides": lambda c: (1 / c, 1.0), "both_divide": lambda c: (1 / c, 1 / c),
            "adam_divides": lambda c: (1.0, 1 / c), "sgd_multiplies": lambda c: (c, 1.0)}


@dataclass(frozen=True)
class KeepThePath:
    """Which changes to the learning rates keep both paths on c times the bowl the paths
    on the bowl (within VISIBLE), found by racing each change."""
    answer: str | frozenset
    c: float
    sgd_alpha: float
    adam_alpha: float
    sgd_alpha_at_c: float  # SGD's learning rate divided by c
    wrong_adam_gap: str  # how far Adam's path moves if its alpha is divided by c too
    multiplied_sgd: str  # what SGD's path does if its alpha is multiplied by c


def keep_the_path(c: float, eps: float = 1e-8) -> KeepThePath:
    keeping, runs = set(), {}
    for key, factors in REMEDIES.items():
        sgd_factor, adam_factor = factors(c)
        runs[key] = scale_runs(c, eps, alpha_sgd_at_c=SCALE_ALPHAS["SGD"] * sgd_factor,
                               alpha_adam_at_c=SCALE_ALPHAS["Adam"] * adam_factor)
        if max(gap(*pair) for pair in runs[key].values()) <= VISIBLE:
            keeping.add(key)
    answer = next(iter(keeping)) if len(keeping) == 1 else frozenset(keeping)
    return KeepThePath(answer, c, SCALE_ALPHAS["SGD"], SCALE_ALPHAS["Adam"],
                       SCALE_ALPHAS["SGD"] / c, path_difference(*runs["both_divide"]["Adam"]),
                       path_difference(*runs["sgd_multiplies"]["SGD"]))
