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
