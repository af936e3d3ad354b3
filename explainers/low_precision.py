"""Lesson 12, Adam in low precision: three weights trained with Adam while the weights, m
and v are kept in float32, bfloat16 or float16, with and without float32 master weights,
a larger epsilon or loss scaling; what breaks, at which step, and why.

Every number comes from ``optim.precision`` (torch's Adam arithmetic in each format, equal
to torch's own numbers on a CPU through fixtures) and, for the float64 reference, from
``optim.Adam``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from optim import Adam
from optim.precision import FORMATS, round_to, run_low_precision

from .palette import PARAMETER_COLOURS
from .plotly_dict import chart_layout, packed
from .url_state import Choice, Flag, Number

WEIGHTS = ("w₁: its input never appears (g = 0)", "w₂: tiny gradients", "w₃: ordinary gradients")
THETA0 = (1.0, -0.5, 2.0)
TARGETS = (1.0, 1.0)  # where w2 and w3 are pulled
TINY = 1e-4  # the curvature along w2: its gradients are about this size

DTYPE = Choice("dtype", "Number format", "float16", options=tuple(FORMATS),
               help="The format the weights, m and v are stored in.")
MASTER = Flag("master", "float32 master weights", False,
              help="Keep a float32 copy of the weights (and m, v): Adam updates the copy, "
                   "and the low-precision weights are that copy rounded.")
EPS = Choice("eps", "ε", 1e-8, options=(1e-8, 1e-6, 1e-4))
SCALE = Choice("scale", "Loss scale S", 1.0, options=(1.0, 256.0, 65536.0),
               help="Multiply the loss, hence every gradient, by S, and leave it in the "
                    "gradients Adam sees (Adam's step does not depend on S).")
ALPHA = Choice("alpha", "α", 1e-3, options=(1e-4, 1e-3, 1e-2))
STEPS = Number("steps", "Steps", 300, low=10, high=2000, integer=True, step=10)
SPECS = (DTYPE, MASTER, EPS, SCALE, ALPHA, STEPS)


def loss_and_grad(theta):
    """Half of 1e-4 (w2 - 1)^2 + (w3 - 1)^2: nothing pulls w1, w2 gently, w3 firmly."""
    theta = np.asarray(theta, dtype=np.float64)
    w2, w3 = theta[1] - TARGETS[0], theta[2] - TARGETS[1]
    return 0.5 * (TINY * w2 ** 2 + w3 ** 2), np.array([0.0, TINY * w2, w3])


def typical_gradient() -> float:
    """The size of w2's gradient at the start."""
    return float(abs(loss_and_grad(THETA0)[1][1]))


@lru_cache(maxsize=64)
def lab_run(dtype: str, master: bool, eps: float, scale: float, alpha: float, steps: int):
    return run_low_precision(loss_and_grad, THETA0, steps, dtype=dtype, master_weights=master,
                             lr=alpha, eps=eps, loss_scale=scale)


@lru_cache(maxsize=16)
def reference(eps: float, alpha: float, steps: int, scale: float = 1.0) -> np.ndarray:
    """The weights after every step in float64 (the engine's Adam), the gradients
    multiplied by the same loss scale as the low-precision runs."""
    adam = Adam(alpha, eps=eps)
    theta = np.array(THETA0)
    state, out = adam.init(theta), [theta]
    for _ in range(steps):
        theta, state = adam.update(theta, scale * loss_and_grad(theta)[1], state)
        out.append(theta)
    return np.stack(out)


def run_for(values: dict):
    return lab_run(values[DTYPE.key], bool(values[MASTER.key]), float(values[EPS.key]),
                   float(values[SCALE.key]), float(values[ALPHA.key]), int(values[STEPS.key]))


def weights_figure(values: dict) -> dict:
    """Each weight over the steps in the chosen format (solid) and in float64 (dotted);
    a cross where the run broke."""
    result = run_for(values)
    ref = reference(float(values[EPS.key]), float(values[ALPHA.key]), int(values[STEPS.key]),
                    float(values[SCALE.key]))
    failed = result.diagnosis.failed_at
    end = failed if failed >= 0 else len(result.weights)
    t = np.arange(len(result.weights))
    data = []
    for i, (name, colour) in enumerate(zip(WEIGHTS, PARAMETER_COLOURS)):
        data.append({"type": "scatter", "mode": "lines", "name": name, "legendgroup": str(i),
                     "x": packed(t[:end]), "y": packed(result.weights[:end, i]),
                     "line": {"color": colour, "width": 3},
                     "hovertemplate": f"{name}<br>step %{{x}}: %{{y:.6g}}<extra></extra>"})
        data.append({"type": "scatter", "mode": "lines", "name": "float64 (dotted)",
                     "legendgroup": str(i), "showlegend": i == 0, "x": packed(t),
                     "y": packed(ref[:, i]), "line": {"color": colour, "width": 1.5, "dash": "dot"},
                     "hovertemplate": f"{name[:2]} in float64<br>step %{{x}}: %{{y:.6g}}"
                                      "<extra></extra>"})
    if failed >= 0:
        data.append({"type": "scatter", "mode": "markers+text", "name": "broke here",
                     "x": [failed - 1] * 3, "y": [float(w) for w in result.weights[failed - 1]],
                     "marker": {"symbol": "x", "size": 16, "color": "#000000"},
                     "text": ["", "", f"  became NaN or ∞ at step {failed}"],
                     "textposition": "middle right", "hoverinfo": "skip"})
    name = values[DTYPE.key] + (" with float32 master weights" if values[MASTER.key] else "")
    low, high = float(ref.min()), float(ref.max())
    pad = 0.1 * (high - low)
    return chart_layout(data, f"The weights in {name} (dotted: float64)", "step", "weight",
                        legend_y=-0.25, yaxis={"range": [low - pad, high + pad]})


def verdict(result) -> str:
    """What happened, in words, from the run's diagnosis (never a NaN)."""
    messages = result.diagnosis.messages
    return " ".join(messages) if messages else "Nothing broke and no update was lost."


#: how the table names what broke
QUANTITY = {"gradient": "the gradient", "m": "m", "v": "v", "denominator": "√v̂ + ε",
            "step": "the step", "param": "a weight", "loss": "the loss"}


def survey(values: dict) -> pd.DataFrame:
    """Every format, with and without master weights, at this page's eps, scale, alpha and
    steps: where it broke, how many updates it lost, how far it ends from float64."""
    eps, scale = float(values[EPS.key]), float(values[SCALE.key])
    alpha, steps = float(values[ALPHA.key]), int(values[STEPS.key])
    ref = reference(eps, alpha, steps, scale)[-1]
    rows = [{"format": "float64 (the reference)", "broke": "no", "lost updates": 0,
             "v = 0 while g ≠ 0": 0, "w₂ at the end": f"{ref[1]:.5g}",
             "w₃ at the end": f"{ref[2]:.5g}"}]
    for dtype in FORMATS:
        for master in (False, True):
            result = lab_run(dtype, master, eps, scale, alpha, steps)
            d = result.diagnosis
            rows.append({
                "format": dtype + (" + float32 master" if master else ""),
                "broke": f"step {d.failed_at}: {QUANTITY[d.quantity]} not finite"
                if d.failed_at >= 0 else "no",
                "lost updates": int(d.lost_updates.sum()),
                "v = 0 while g ≠ 0": int(np.count_nonzero(d.squares_underflowed)),
                **{f"w{sub} at the end": "—" if d.failed_at >= 0 else f"{w:.5g}"
                   for sub, w in (("₂", result.weights[-1, 1]), ("₃", result.weights[-1, 2]))},
            })
    return pd.DataFrame(rows)


# -- what the lesson's questions ask (explainers/text/low_precision.toml) -------------

@dataclass(frozen=True)
class FirstStep:
    """The prediction's truth: what w1 (gradient 0) does at step 1 in a format at eps."""
    answer: str  # "stays", "nan" or "moves"
    dtype: str
    eps: float
    eps_stored: float  # eps rounded to the format
    reason: str


def zero_gradient_step(dtype: str = "float16", eps: float = 1e-8) -> FirstStep:
    result = lab_run(dtype, False, eps, 1.0, 1e-3, 1)
    stored = float(round_to(eps, dtype))
    if result.diagnosis.failed_at == 1:
        answer, reason = "nan", "With m = v = 0 for w₁, its step is 0/0 = NaN, at step 1."
    else:
        answer = "stays" if result.weights[1, 0] == result.weights[0, 0] else "moves"
        reason = "With m = v = 0 for w₁, its step is 0/ε = 0: it stays where it is."
    return FirstStep(answer, dtype, eps, stored, reason)


@dataclass(frozen=True)
class Rounded:
    """A number rounded to a format."""
    value: float
    dtype: str
    answer: float


def rounded(value: float = 0.999, dtype: str = "bfloat16") -> Rounded:
    return Rounded(value, dtype, float(round_to(value, dtype)))


@dataclass(frozen=True)
class Smallest:
    dtype: str
    answer: float


def smallest(dtype: str = "float16") -> Smallest:
    return Smallest(dtype, FORMATS[dtype].smallest_subnormal)


@dataclass(frozen=True)
class Keeper:
    """Which remedy keeps bfloat16's small updates (the one with no lost update)."""
    answer: str


def keeps_updates(steps: int = 300) -> Keeper:
    options = {"master": dict(master=True, eps=1e-8, scale=1.0),
               "eps": dict(master=False, eps=1e-4, scale=1.0),
               "scale": dict(master=False, eps=1e-8, scale=256.0)}
    lost = {key: int(lab_run("bfloat16", kw["master"], kw["eps"], kw["scale"], 1e-3,
                             steps).diagnosis.lost_updates.sum())
            for key, kw in options.items()}
    return Keeper(min(lost, key=lost.get))
