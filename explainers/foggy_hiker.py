"""Lesson 2, the foggy hiker: its race and controls are ``explainers/race/`` (shared with
the playground); this module holds the numbers its text quotes and what its prediction
and checks ask (explainers/text/foggy_hiker.toml)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from optim import Adam
from optim.fog import Fog
from optim.runner import run
from optim.surfaces import SURFACES, rotated

from .race import turning
from .race.figure import LOSS_FLOOR
from .race.racers import RACERS
from .race.setup import RacerResult, RaceSetup, run_race, valley_tolerance


@dataclass(frozen=True)
class StepBound:
    """The paper's bound on one step (section 2.1), and the step the engine takes when a
    gradient of 1 arrives after a long run of zeros (a rare word), both in units of alpha."""
    sparse_bound: float  # (1 - beta1) / sqrt(1 - beta2)
    zeros: int
    sparse_step: float


@lru_cache(maxsize=8)
def step_bound(beta1: float = 0.9, beta2: float = 0.999, zeros: int = 10_000) -> StepBound:
    """Feed Adam (alpha = 1) ``zeros`` zero gradients, then a 1, and read its step."""
    adam = Adam(1.0, beta1, beta2)
    params = np.zeros(1)
    state = adam.init(params)
    for _ in range(zeros):
        params, state = adam.update(params, np.zeros(1), state)
    _, _, inside = adam.update(params, np.ones(1), state, internals=True)
    return StepBound(float((1 - beta1) / np.sqrt(1 - beta2)), zeros, float(inside.step[0]))


# -- what the lesson's questions ask (explainers/text/foggy_hiker.toml) ---------------

PREDICT_RADIUS = 0.05  # a guess within this fraction of the map's diagonal counts as right


def landscape_line(surface) -> str:
    """The landscape in a line of Markdown: its name, its story and its formula."""
    return f"**{surface.name}.** {surface.story}  $\\quad {surface.formula}$"


def asked_racer(setup: RaceSetup) -> str | None:
    """The racer the prediction asks about: Adam if it races, else the first racer."""
    if not setup.racers:
        return None
    return "adam" if "adam" in setup.racers else setup.racers[0]


def where_settings(setup: RaceSetup) -> dict:
    """The prediction's settings: the race, and the asked racer's name and steps for its
    prompt (both read from the race)."""
    return {"setup": setup, "racer": RACERS[asked_racer(setup)].label, "steps": setup.steps}


@dataclass(frozen=True)
class WhereItEnds:
    """Where the asked racer stands after the race, and what happened on the way. A guess
    within ``tolerance`` (PREDICT_RADIUS of the map's diagonal) is right."""
    answer: tuple[float, float]
    tolerance: float
    racer: str
    steps: int
    fate: str  # reached the valley floor or not, or diverged, in words
    others: str  # how the other racers ended, in words ("" if it raced alone)


def _ending(result: RacerResult, landscape) -> str:
    if result.diverged_at is not None:
        return f"diverged at step {result.diverged_at}"
    distance = float(landscape.nearest_minimum_distance(result.run.positions[-1]))
    return f"ended {distance:.3g} from the nearest minimum"


@lru_cache(maxsize=64)
def _results(setup: RaceSetup) -> tuple:
    return tuple(run_race(setup))


def where_it_ends(setup: RaceSetup, racer: str, steps: int) -> WhereItEnds:
    """``racer``: the asked racer's name; ``steps``: the race's (the prompt quotes both)."""
    results = _results(setup)
    landscape = setup.landscape
    key = next(k for k, r in RACERS.items() if r.label == racer)
    asked = next(r for r in results if r.racer_key == key)
    floor = valley_tolerance(landscape)
    if asked.diverged_at is not None:
        fate = (f"diverged at step {asked.diverged_at}: its run stopped there, and the point "
                "is the last place it stood")
    elif asked.reached_at is not None:
        fate = (f"reached the valley floor (within {floor:.3g} of a minimum) at step "
                f"{asked.reached_at}, and {_ending(asked, landscape)}")
    else:
        fate = (f"did not reach the valley floor (within {floor:.3g} of a minimum) in {steps} "
                f"steps: it {_ending(asked, landscape)}")
    others = "; ".join(f"{r.racer.label} {_ending(r, landscape)}" for r in results
                       if r is not asked)
    x0, x1, y0, y1 = landscape.box
    diagonal = float(np.hypot(x1 - x0, y1 - y0))
    end = asked.run.positions[-1]
    return WhereItEnds((float(end[0]), float(end[1])), PREDICT_RADIUS * diagonal, racer, steps,
                       fate, f" Beside it, {others}." if others else "")


def _adam_steps(slopes: np.ndarray, beta1: float = 0.9, beta2: float = 0.999):
    """Adam (alpha = 1, so steps are in units of alpha) fed ``slopes`` in one coordinate:
    the internals of its last update, and every step's step and m-hat."""
    adam = Adam(1.0, beta1, beta2)
    params = np.zeros(1)
    state = adam.init(params)
    steps, m_hats = [], []
    for g in slopes:
        params, state, inside = adam.update(params, np.array([g]), state, internals=True)
        steps.append(float(inside.step[0]))
        m_hats.append(float(inside.m_hat[0]))
    return inside, np.array(steps), np.array(m_hats)


@dataclass(frozen=True)
class SteadyStep:
    """Adam's step (in units of alpha) after a steady slope g, and SGD's (alpha g)."""
    answer: float
    sgd: float


def steady_step(g: float, steps: int) -> SteadyStep:
    inside, _, _ = _adam_steps(np.full(steps, g))
    return SteadyStep(float(inside.step[0]), g)


@dataclass(frozen=True)
class FlipFlop:
    """Adam's step (units of alpha) after a slope flipping between +g and -g, with the
    m-hat and sqrt(v-hat) it divided."""
    answer: float
    m_hat: float  # its size
    root_v_hat: float
    momentum_share: float  # (1 - beta1) / (1 + beta1): |m-hat| / g once the flips settle
    full: float = 1.0  # the step under a steady slope
    cancelled: float = 0.0  # the step if the flips cancelled exactly


def flip_flop_step(g: float, steps: int, beta1: float, beta2: float) -> FlipFlop:
    slopes = g * (-1.0) ** np.arange(steps)
    inside, _, _ = _adam_steps(slopes, beta1, beta2)
    return FlipFlop(abs(float(inside.step[0])), abs(float(inside.m_hat[0])),
                    float(np.sqrt(inside.v_hat[0])), (1 - beta1) / (1 + beta1))


@dataclass(frozen=True)
class RootMeanSquare:
    """sqrt(v-hat) after slopes alternating between low and high, and what slips give."""
    answer: float
    v_hat: float
    mean: float  # the slopes' mean (what m-hat settles near)
    spread: float  # their standard deviation
    low_sq: float
    high_sq: float


def root_v_hat(low: float, high: float, steps: int, beta2: float) -> RootMeanSquare:
    slopes = np.where(np.arange(steps) % 2 == 0, low, high)
    inside, _, _ = _adam_steps(slopes, 0.9, beta2)
    return RootMeanSquare(float(np.sqrt(inside.v_hat[0])), float(inside.v_hat[0]),
                          float(slopes.mean()), float(slopes.std()), low * low, high * high)


@dataclass(frozen=True)
class InFog:
    """Adam's average step (units of alpha) down a steady slope of 1, clear and in fog
    (the engine's Fog, ``noise`` times the slope), over the last ``window`` steps."""
    answer: str  # "shorter", "same" or "longer"
    clear: float
    foggy: float
    m_hat: float  # in fog, averaged over the window
    root_v_hat: float  # in fog, at the end
    rms: float  # sqrt(slope^2 + noise^2): the root mean square of the foggy readings
    slope: float
    noise: float
    window: int


def fog_effect(noise: float, steps: int, seed: int, slope: float = 1.0) -> InFog:
    window = steps // 2
    _, clear, _ = _adam_steps(np.full(steps, slope))
    inside, foggy, m_hats = _adam_steps(slope + Fog(noise, seed).noise(steps)[:, 0])
    ratio = foggy[-window:].mean() / clear[-window:].mean()
    answer = "shorter" if ratio < 0.9 else "longer" if ratio > 1.1 else "same"
    return InFog(answer, float(clear[-window:].mean()), float(foggy[-window:].mean()),
                 float(m_hats[-window:].mean()), float(np.sqrt(inside.v_hat[0])),
                 float(np.hypot(slope, noise)), slope, noise, window)


# -- turning the landscape (explainers/race/turning.py runs the race at every angle) ----

def turn_settings(setup: RaceSetup) -> dict:
    """The turning prediction's settings: the race, and what its prompt names."""
    unturned = setup.landscape.turned_from or setup.landscape
    return {"setup": setup, "landscape": unturned.name, "steps": setup.steps,
            "half": turning.HALF}


@dataclass(frozen=True)
class TurnEffect:
    """How Adam's lead over SGD (their final losses' ratio, in powers of ten) changes when
    the race's landscape is turned from 0 to ``half`` degrees: "gains", "same" (within a
    factor of 2) or "loses"; the two ends and SGD's, in words."""
    answer: str
    half: int
    at_0: str
    at_half: str
    sgd: str


def turn_effect(setup: RaceSetup, landscape: str, steps: int, half: int) -> TurnEffect:
    """``landscape``, ``steps``, ``half``: what the prompt quotes (from the race)."""
    sweep = turning.sweep(setup)
    decades = turning.lead(sweep)
    with np.errstate(invalid="ignore"):  # diverged at both angles: inf - inf, no change
        change = np.nan_to_num(decades[sweep.angles.index(half)] - decades[0], nan=0.0)
    answer = "gains" if change > turning.SAME else "loses" if change < -turning.SAME else "same"
    return TurnEffect(answer, half, turning.versus(sweep, 0), turning.versus(sweep, half),
                      turning.sgd_across(sweep))


@dataclass(frozen=True)
class QuarterTurn:
    """Adam's final loss above the minimum on a landscape and on it turned by 90 degrees,
    from its usual start turned with it: "same" (within one part in a million, or both
    below the race chart's floor), "better" or "worse" turned."""
    answer: str
    before: float
    after: float


def quarter_turn(surface: str, alpha: float, steps: int) -> QuarterTurn:
    landscape = SURFACES[surface]
    adam = Adam(alpha)
    ends = []
    for turned in (landscape, rotated(landscape, 90)):
        result = run(turned, adam, np.array(turned.start), steps)
        ends.append(float(result.losses[-1]) - landscape.min_value)
    before, after = ends
    answer = ("same" if abs(after - before) <= 1e-6 * abs(before) + LOSS_FLOOR else
              "better" if after < before else "worse")
    return QuarterTurn(answer, before, after)
