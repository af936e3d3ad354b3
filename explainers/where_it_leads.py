"""Lesson 9: where Adam leads. Decoupled weight decay (AdamW), and LoRA."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from optim import Adam, AdamW
from optim.base import state_slots
from optim.models import full_regression, lora_regression
from optim.runner import run
from optim.surfaces import SURFACES

from .palette import OKABE_ITO, RACER_COLOURS
from .url_state import Choice, Number

DECAY_SURFACE, DECAY_ALPHA, DECAY_STEPS = "bowl", 0.1, 300
COORDS = ("x (gentle slope)", "y (steep slope)")


def decay_runs(weight_decay: float) -> dict:
    """Adam with coupled L2 and AdamW, same alpha and decay, on the elongated bowl."""
    surface = SURFACES[DECAY_SURFACE]
    start = np.array(surface.start)
    return {"Adam + L2": run(surface, Adam(DECAY_ALPHA, weight_decay=weight_decay), start,
                             DECAY_STEPS, internals=True),
            "AdamW": run(surface, AdamW(DECAY_ALPHA, weight_decay=weight_decay), start,
                         DECAY_STEPS, internals=True)}


def decay_rates(runs: dict, weight_decay: float) -> dict:
    """The fraction of each weight that decay removes per step, per coordinate:
    Adam + L2 divides the decay term by sqrt(v_hat) + eps, so it is
    lambda * alpha / (sqrt(v_hat) + eps) (the engine's effective learning rate times lambda);
    AdamW multiplies every weight by 1 - alpha * lambda."""
    coupled = weight_decay * runs["Adam + L2"].internals["effective_lr"]
    decoupled = np.full_like(coupled, DECAY_ALPHA * weight_decay)
    return {"Adam + L2": coupled, "AdamW": decoupled}


def decay_table(rates: dict, step: int) -> pd.DataFrame:
    return pd.DataFrame({"weight": COORDS,
                         **{f"{name}: share removed per step": r[step - 1]
                            for name, r in rates.items()}})


def decay_figure(rates: dict) -> dict:
    t = np.arange(1, DECAY_STEPS + 1).tolist()
    styles = {"Adam + L2": (RACER_COLOURS["adam"],), "AdamW": (RACER_COLOURS["adamw"],)}
    data = []
    for name, r in rates.items():
        for j, (coord, dash) in enumerate(zip(COORDS, ("solid", "dash"))):
            data.append({"type": "scatter", "mode": "lines", "name": f"{name}, {coord}",
                         "x": t, "y": np.round(r[:, j], 10).tolist(),
                         "line": {"color": styles[name][0], "dash": dash, "width": 3}})
    return {"data": data, "layout": {
        "height": 420, "font": {"size": 15}, "margin": {"l": 80, "r": 20, "t": 20, "b": 50},
        "legend": {"orientation": "h", "y": -0.25},
        "xaxis": {"title": {"text": "step t"}},
        "yaxis": {"type": "log", "dtick": 1,
                  "title": {"text": "share of the weight removed per step"}}}}


# LoRA: a frozen 32 x 16 layer adapted by a rank-2 update
D, K, RANK, SAMPLES, LORA_STEPS, LORA_ALPHA = 32, 16, 2, 256, 300, 0.01


def lora_problem(seed: int = 0):
    """A frozen layer W0, inputs X, and targets Y = X (W0 + a rank-2 change) + noise."""
    rng = np.random.default_rng(seed)
    W0 = rng.normal(size=(D, K)) / np.sqrt(D)
    change = rng.normal(size=(D, RANK)) @ rng.normal(size=(RANK, K)) / np.sqrt(D)
    X = rng.normal(size=(SAMPLES, D))
    Y = X @ (W0 + change) + 0.01 * rng.normal(size=(SAMPLES, K))
    A0 = rng.normal(size=(RANK, K)) / np.sqrt(RANK)  # A random, B zero (as in LoRA)
    return W0, X, Y, np.concatenate([np.zeros(D * RANK), A0.reshape(-1)])


def lora_runs(seed: int = 0) -> dict:
    """Adam on the LoRA factors and on all weights: losses, first steps, sizes."""
    W0, X, Y, lora0 = lora_problem(seed)
    out = {}
    problems = (("LoRA (rank 2)", lora0, lambda p: lora_regression(p, W0, X, Y, RANK)),
                ("full fine-tuning", W0.reshape(-1).copy(),
                 lambda p: full_regression(p, X, Y, W0.shape)))
    for name, params, loss_and_grad in problems:
        adam = Adam(LORA_ALPHA)
        state = adam.init(params)
        losses, first = [], None
        for t in range(1, LORA_STEPS + 1):
            loss, grad = loss_and_grad(params)
            losses.append(float(loss))
            new, state = adam.update(params, grad, state)
            if t == 1:
                first = new - params
            params = new
        losses.append(float(loss_and_grad(params)[0]))
        out[name] = {"losses": np.array(losses), "first_step": first, "trained": params.size,
                     "state bytes": params.size * state_slots(adam) * 4}
    return out


def first_step_table(first: np.ndarray) -> pd.DataFrame:
    """LoRA's first Adam step, split into B (started at zero) and A (random)."""
    dB, dA = np.abs(first[:D * RANK]), np.abs(first[D * RANK:])
    return pd.DataFrame({
        "factor": ["B (d × r, starts at 0)", "A (r × k, random)"],
        "entries": [dB.size, dA.size],
        "smallest |step| / α": [dB.min() / LORA_ALPHA, dA.min() / LORA_ALPHA],
        "largest |step| / α": [dB.max() / LORA_ALPHA, dA.max() / LORA_ALPHA]})


def size_table(runs: dict) -> pd.DataFrame:
    """What each way of fine-tuning trains, and the Adam state it keeps (fp32)."""
    return pd.DataFrame([{"fine-tuning": name, "trained numbers": r["trained"],
                          "Adam state (bytes, fp32)": r["state bytes"],
                          "final training loss": float(r["losses"][-1])}
                         for name, r in runs.items()])


def lora_figure(runs: dict) -> dict:
    colours = {"LoRA (rank 2)": RACER_COLOURS["adam"], "full fine-tuning": OKABE_ITO["orange"]}
    return {"data": [{"type": "scatter", "mode": "lines", "name": name,
                      "x": list(range(LORA_STEPS + 1)), "y": np.round(r["losses"], 8).tolist(),
                      "line": {"color": colours[name], "width": 3}}
                     for name, r in runs.items()],
            "layout": {"height": 380, "font": {"size": 15},
                       "margin": {"l": 70, "r": 20, "t": 20, "b": 50},
                       "legend": {"orientation": "h", "y": -0.25},
                       "xaxis": {"title": {"text": "Adam step"}},
                       "yaxis": {"type": "log", "dtick": 1,
                                 "title": {"text": "training loss"}}}}


DECAY = Choice("wd", "Weight decay λ", 0.1, options=(0.001, 0.01, 0.1, 0.5))
STEP = Number("t", "Read the rates at step", 100, low=1, high=DECAY_STEPS, integer=True, step=1)
SPECS = (DECAY, STEP)


# -- what the lesson's questions ask (explainers/text/where_it_leads.toml) --------------

SAME_WITHIN = 10  # percent: two decay rates are "the same" when they differ by less


def _relation(small_gradients: float, large_gradients: float, within: float) -> str:
    """How the weight with large gradients decays next to the one with small gradients."""
    if abs(large_gradients - small_gradients) < within / 100 * max(small_gradients,
                                                                    large_gradients):
        return "same"
    return "slower" if large_gradients < small_gradients else "faster"


@lru_cache(maxsize=8)
def _rates(weight_decay: float) -> dict:
    return decay_rates(decay_runs(weight_decay), weight_decay)


@dataclass(frozen=True)
class DecaySpeed:
    """The share of x (small gradients) and of y (large gradients) that decay removes at
    step t, with Adam + L2 and with AdamW."""
    answer: str  # "same", "slower", "faster" or "slower_both"
    step: int
    coupled_x: float
    coupled_y: float
    ratio: float  # coupled_x / coupled_y
    decoupled_x: float
    decoupled_y: float


_DECAY_ANSWERS = {("same", "same"): "same", ("slower", "same"): "slower",
                  ("faster", "same"): "faster", ("slower", "slower"): "slower_both"}


def decay_speed(weight_decay: float, t: int, within: float = SAME_WITHIN) -> DecaySpeed:
    rates = _rates(float(weight_decay))
    (cx, cy), (dx, dy) = (map(float, rates[name][int(t) - 1]) for name in ("Adam + L2", "AdamW"))
    answer = _DECAY_ANSWERS[_relation(cx, cy, within), _relation(dx, dy, within)]
    return DecaySpeed(answer, int(t), cx, cy, cx / cy, dx, dy)


@dataclass(frozen=True)
class LoraFirstStep:
    """How far Adam's first step moves LoRA's factors, in units of alpha, and the sizes
    of B's gradients."""
    answer: str  # "b_alpha", "a_alpha", "both_alpha" or "neither"
    b_min: float
    b_max: float
    b_off: float  # the largest difference between a move of B and alpha (epsilon's doing)
    a_max: float
    b_grad_min: float
    b_grad_max: float


def lora_first_step(alpha: float = LORA_ALPHA, seed: int = 0) -> LoraFirstStep:
    W0, X, Y, params = lora_problem(seed)
    _, grad = lora_regression(params, W0, X, Y, RANK)
    adam = Adam(alpha)
    new, _ = adam.update(params, grad, adam.init(params))
    moved = np.abs(new - params) / alpha
    b, a = moved[:D * RANK], moved[D * RANK:]

    def by_alpha(m):
        return bool(np.all(np.abs(m - 1) < 0.01))

    answer = {(True, False): "b_alpha", (False, True): "a_alpha",
              (True, True): "both_alpha"}.get((by_alpha(b), by_alpha(a)), "neither")
    b_grad = np.abs(grad[:D * RANK])
    return LoraFirstStep(answer, float(b.min()), float(b.max()), float(np.abs(b - 1).max()),
                         float(a.max()),
                         float(b_grad.min()), float(b_grad.max()))


def _decay_alone(optimizer, steps: int) -> float:
    """A weight that starts at 1 and whose loss has no slope, after ``steps`` updates."""
    theta = np.ones(1)
    state = optimizer.init(theta)
    for _ in range(steps):
        theta, state = optimizer.update(theta, np.zeros(1), state)
    return float(theta[0])


@dataclass(frozen=True)
class DecayAlone:
    """Where decay alone takes a weight of 1 in ``steps`` steps."""
    answer: float  # Adam + L2
    adamw: float  # AdamW, the same alpha and lambda
    other: float  # Adam + L2 with lambda = other_decay


def coupled_pull(alpha: float = 1e-3, weight_decay: float = 0.01, steps: int = 100,
                 other_decay: float = 0.1) -> DecayAlone:
    return DecayAlone(_decay_alone(Adam(alpha, weight_decay=weight_decay), steps),
                      _decay_alone(AdamW(alpha, weight_decay=weight_decay), steps),
                      _decay_alone(Adam(alpha, weight_decay=other_decay), steps))


@dataclass(frozen=True)
class Shrink:
    """The share of a weight that one step of AdamW's decay removes."""
    answer: float


def adamw_shrink(lr: float = 1e-3, weight_decay: float = 0.01) -> Shrink:
    return Shrink(1 - _decay_alone(AdamW(lr, weight_decay=weight_decay), 1))


@dataclass(frozen=True)
class LoraState:
    """How many numbers Adam keeps for LoRA's factors of a d x k layer, and for the
    whole layer."""
    answer: int
    trained: int
    full_state: int
    full: int


def lora_state(d: int = 1024, k: int = 1024, rank: int = 16) -> LoraState:
    adam = Adam()
    factors = np.zeros(rank * (d + k))  # B (d x r) and A (r x k), as LoRA trains them
    state = adam.init(factors)
    kept = sum(a.size for a in (state.m, state.v, state.v_max) if a is not None)
    return LoraState(kept, factors.size, d * k * state_slots(adam), d * k)


@dataclass(frozen=True)
class TinyStep:
    """How far Adam's first step moves a weight whose gradient is g, and SGD's step."""
    answer: float
    sgd: float


def tiny_step(g: float = 1e-6, alpha: float = 0.01) -> TinyStep:
    adam = Adam(alpha)
    params = np.zeros(1)
    new, _ = adam.update(params, np.full(1, g), adam.init(params))
    return TinyStep(float(abs(new[0])), alpha * g)
