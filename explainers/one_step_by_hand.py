"""Lesson 3, one step by hand: Adam's arithmetic on three parameters, step by step.

The history of gradients decides everything; :func:`replay` feeds it to
``optim.Adam`` one update at a time and keeps each update's internals.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optim import Adam, Internals

from .race.controls import BETA2S, EPSILONS
from .race.racers import PAPER_DEFAULTS
from .url_state import Choice, Number, Rows, log_options

COORDINATES = ("θ₁", "θ₂", "θ₃")
SEED_GRADIENT = (0.1, -0.5, 0.3)  # the explainer's step-1 example
THETA0 = (0.0, 0.0, 0.0)
MAX_STEPS = 100
GRADIENT_LIMIT = 1e6
SOURCES = ("steady", "noisy")


@dataclass(frozen=True)
class Step:
    t: int
    before: np.ndarray
    inside: Internals
    after: np.ndarray


def replay(gradients, adam: Adam, theta0=THETA0) -> list[Step]:
    """Every update of ``adam`` fed the rows of ``gradients`` in turn."""
    params = np.array(theta0, dtype=float)
    state = adam.init(params)
    steps = []
    for t, g in enumerate(np.asarray(gradients, dtype=float), start=1):
        new, state, inside = adam.update(params, g, state, internals=True)
        steps.append(Step(t, params, inside, new))
        params = new
    return steps


def step_table(step: Step, adam: Adam) -> pd.DataFrame:
    """One row per quantity of update t, labelled with its formula; one column per
    parameter. The step is subtracted: the last row is θ − step."""
    i = step.inside
    t = step.t
    rows = [
        ("g", "gradient", i.g),
        ("g²", "g · g", i.g ** 2),
        ("m", "β₁·m₍t−1₎ + (1−β₁)·g", i.m),
        ("v", "β₂·v₍t−1₎ + (1−β₂)·g²", i.v),
        ("m̂", f"m / (1 − β₁^{t})", i.m_hat),
        ("v̂", f"v / (1 − β₂^{t})", i.v_hat),
        ("√v̂", "square root of v̂", np.sqrt(i.v_hat)),
        ("α/(√v̂+ε)", "effective learning rate", i.effective_lr),
        ("step", "α · m̂ / (√v̂ + ε)", i.step),
        ("step ÷ α", "the step in units of α", i.step / adam.lr),
        ("θ before", "θ₍t−1₎", step.before),
        ("θ after", "θ₍t−1₎ − step  (subtracted)", step.after),
    ]
    table = pd.DataFrame([[name, formula, *values] for name, formula, values in rows],
                         columns=["quantity", "formula", *COORDINATES])
    return table


def history(steps: list[Step]) -> pd.DataFrame:
    """Per step and coordinate: the effective learning rate and the step actually taken."""
    records = []
    for s in steps:
        for j, name in enumerate(COORDINATES):
            records.append({"t": s.t, "parameter": name,
                            "effective learning rate": float(s.inside.effective_lr[j]),
                            "|step|": float(abs(s.inside.step[j]))})
    return pd.DataFrame(records)


def next_gradient(gradients, sources, seed: int = 0) -> tuple[float, ...]:
    """Gradient t+1 for each coordinate: "steady" repeats the coordinate's first
    gradient; "noisy" flips its sign at random and scales it by a random factor
    between 0 and 3 (seeded by the step, so the same history gives the same draw)."""
    gradients = np.asarray(gradients, dtype=float)
    base = gradients[0]
    rng = np.random.default_rng([seed, len(gradients)])
    noisy = base * rng.choice([-1.0, 1.0], size=base.shape) * rng.uniform(0, 3, size=base.shape)
    out = np.where(np.array(sources) == "noisy", noisy, base)
    return tuple(float(f"{v:.4g}") for v in out)


def parse_gradients(frame: pd.DataFrame) -> tuple[tuple[tuple[float, ...], ...] | None, str | None]:
    """Rows of numbers from the editor, or None and a sentence saying what is wrong."""
    if len(frame) == 0:
        return None, "The table needs at least one row of gradients."
    if len(frame) > MAX_STEPS:
        return None, f"At most {MAX_STEPS} steps, please."
    rows = []
    for t, (_, row) in enumerate(frame.iterrows(), start=1):
        values = []
        for name in COORDINATES:
            cell = row.get(name)
            try:
                value = float(cell)
            except (TypeError, ValueError):
                return None, (f"Step {t}, {name}: {cell!r} is not a number. "
                              "Type a number such as 0.25.")
            if math.isnan(value):
                return None, f"Step {t}, {name} is empty. Type a number such as 0.25."
            if not abs(value) <= GRADIENT_LIMIT:
                return None, (f"Step {t}, {name}: {value:g} is too large; keep gradients between "
                              f"-{GRADIENT_LIMIT:g} and {GRADIENT_LIMIT:g}.")
            values.append(value)
        rows.append(tuple(values))
    return tuple(rows), None


def gradient_frame(gradients) -> pd.DataFrame:
    """The history as the editor shows it: one row per step."""
    frame = pd.DataFrame(list(gradients), columns=list(COORDINATES), dtype=float)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="t")
    return frame


ALPHA = Choice("alpha", "α", PAPER_DEFAULTS["alpha"], options=log_options(-4, 0))
BETA1 = Number("beta1", "β₁", PAPER_DEFAULTS["beta1"], low=0.0, high=0.99, step=0.01)
BETA2 = Choice("beta2", "β₂", PAPER_DEFAULTS["beta2"], options=BETA2S)
EPS = Choice("eps", "ε", PAPER_DEFAULTS["eps"], options=EPSILONS)
GRADIENTS = Rows("g", "Gradients", (SEED_GRADIENT,), width=3, max_rows=MAX_STEPS,
                 limit=GRADIENT_LIMIT)
SPECS = (ALPHA, BETA1, BETA2, EPS, GRADIENTS)


def adam_from(values: dict, bias_correction=True) -> Adam:
    return Adam(lr=values[ALPHA.key], beta1=values[BETA1.key], beta2=values[BETA2.key],
                eps=values[EPS.key], bias_correction=bias_correction)


# -- what the lesson's questions ask (explainers/text/one_step_by_hand.toml) ----------

PARAMETER_KEYS = ("theta1", "theta2", "theta3")  # the options naming each parameter
SAME = 1e-3  # moves within 0.1% of the longest count as "the same distance"


def _moves(values) -> str:
    """Numbers in units of alpha, written for a sentence: "1, 1, 1"."""
    return ", ".join(f"{float(v):.3g}" for v in values)


def _adam(alpha: float, beta1: float, beta2: float, eps: float, bias_correction=True) -> Adam:
    return Adam(lr=alpha, beta1=beta1, beta2=beta2, eps=eps, bias_correction=bias_correction)


@dataclass(frozen=True)
class Furthest:
    """Which parameter moves furthest at step 1: its option key, a frozenset of the keys
    that tie, or "same" when all three move the same distance; and the distances in
    units of alpha."""
    answer: str | frozenset
    moves: str


def furthest_first_step(gradient, alpha: float, beta1: float, beta2: float,
                        eps: float) -> Furthest:
    """Step 1 of the page's history (its first row of gradients, its settings)."""
    step = replay([gradient], _adam(alpha, beta1, beta2, eps))[0]
    distances = np.abs(step.inside.step) / alpha
    top = distances.max()
    near = [key for key, d in zip(PARAMETER_KEYS, distances) if top - d <= SAME * top]
    if len(near) == len(PARAMETER_KEYS):
        answer = "same"  # also when every gradient is zero: nothing moves
    else:
        answer = near[0] if len(near) == 1 else frozenset(near)
    return Furthest(answer, _moves(distances))


FLIP_BACK = 0.95  # a step back of at least 0.95 alpha counts as "back by alpha"
FLIP_STILL = 0.01  # a step under 0.01 alpha counts as standing still


@dataclass(frozen=True)
class AfterFlip:
    """What step 2 does when every gradient flips sign (g2 = -g1): "back" (back by
    alpha), "shorter" (back by less), "still" (under 0.01 alpha) or "on" (on in step 1's
    direction), or a frozenset when the parameters differ; the steps at t = 2 in units
    of alpha along step 1's move (negative: back); m_hat_2 / g_2."""
    answer: str | frozenset
    moves: str
    m_share: float


def _flip_kind(along: float) -> str:
    if along <= -FLIP_BACK:
        return "back"
    if along <= -FLIP_STILL:
        return "shorter"
    return "still" if along < FLIP_STILL else "on"


def after_a_flip(gradient, alpha: float, beta1: float, beta2: float,
                 eps: float) -> AfterFlip:
    adam = _adam(alpha, beta1, beta2, eps)
    g1 = np.asarray(gradient, dtype=float)
    second = replay([g1, -g1], adam)[1]
    # step 1 moves theta by -alpha * sign(g1); "along" is step 2's move in that direction
    along = second.inside.step * np.sign(g1) / alpha + 0.0  # + 0.0: no "-0"
    kinds = {_flip_kind(a) for a, g in zip(along, g1) if g != 0} or {"still"}
    unit = replay([(1.0,), (-1.0,)], adam, theta0=(0.0,))[1].inside
    return AfterFlip(kinds.pop() if len(kinds) == 1 else frozenset(kinds), _moves(along),
                     float(unit.m_hat[0] / unit.g[0]))


def _single(gradients, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
            bias_correction=True) -> list[Step]:
    """One parameter, starting at 0, fed ``gradients`` in turn."""
    return replay([(g,) for g in gradients], _adam(alpha, beta1, beta2, eps, bias_correction),
                  theta0=(0.0,))


@dataclass(frozen=True)
class FirstMoment:
    """m_1 for a first gradient g; what the correction makes of it; and beta1 * g, the
    weights swapped."""
    answer: float
    m_hat: float
    swapped: float


def first_moment(beta1: float, g: float) -> FirstMoment:
    inside = _single([g], beta1=beta1)[0].inside
    return FirstMoment(float(inside.m[0]), float(inside.m_hat[0]), beta1 * g)


@dataclass(frozen=True)
class SecondMoment:
    """v_1 for a first gradient g; v_hat_1; and (1 - beta2) * g, g left unsquared."""
    answer: float
    v_hat: float
    unsquared: float


def second_moment(beta2: float, g: float) -> SecondMoment:
    inside = _single([g], beta2=beta2)[0].inside
    return SecondMoment(float(inside.v[0]), float(inside.v_hat[0]), (1 - beta2) * g)


@dataclass(frozen=True)
class FirstMove:
    """How much theta changes at step 1 (theta_1 - theta_0), and what the usual slips
    give: the step added instead of subtracted, plain SGD's move, Adam's move with no
    bias correction, and with v_hat instead of its square root."""
    answer: float
    added: float
    sgd: float
    uncorrected: float
    no_root: float


def first_move(alpha: float, beta1: float, beta2: float, g: float) -> FirstMove:
    step = _single([g], alpha, beta1, beta2)[0]
    move = float(step.after[0] - step.before[0])
    plain = _single([g], alpha, beta1, beta2, bias_correction=False)[0].inside
    i = step.inside
    return FirstMove(move, -move, -alpha * g, -float(plain.step[0]),
                     -float(alpha * i.m_hat[0] / i.v_hat[0]))


@dataclass(frozen=True)
class EffectiveRate:
    """alpha / (sqrt(v_hat_2) + eps) after gradients g1 and g2, with v_hat_2 and its
    root; and what the slips give: alpha over the latest |g|, over the mean of the
    sizes, over v_hat itself."""
    answer: float
    v_hat: float
    root: float
    latest_only: float
    mean_size: float
    no_root: float


def effective_rate(alpha: float, beta2: float, g1: float, g2: float) -> EffectiveRate:
    inside = _single([g1, g2], alpha, beta2=beta2)[1].inside
    v_hat = float(inside.v_hat[0])
    return EffectiveRate(float(inside.effective_lr[0]), v_hat, float(np.sqrt(v_hat)),
                         alpha / abs(g2), alpha / ((abs(g1) + abs(g2)) / 2), alpha / v_hat)
