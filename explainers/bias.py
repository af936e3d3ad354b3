"""Lesson 4, bias correction: what dividing by 1 - beta^t does, measured on the engine.

Every number comes from ``optim.Adam``: the first-step multiples from one batched
update, the correction factors from the ratio m_hat / m of a run, the step sizes
from the internals of a run on a constant gradient, the sweep from one batched run.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from optim import Adam
from optim.runner import run
from optim.surfaces import SURFACES

TABLE_BETA1S = (0.0, 0.9)
TABLE_BETA2S = (0.99, 0.999, 0.9999)
SWEEP_ALPHAS = tuple(float(f"{v:.3g}") for v in np.logspace(-4, 0, 13))
SWEEP_BETA2S = (0.9, 0.99, 0.999, 0.9999)
SWEEP_STEPS = 200
SWITCHES = {(True, True): "both corrected (Adam)", (False, False): "no correction",
            (True, False): "m corrected only", (False, True): "v corrected only"}


def first_step_multiples(correction: tuple[bool, bool]) -> pd.DataFrame:
    """|first step| / alpha for beta1 x beta2, from one batched update with g = 1."""
    b1 = np.array(TABLE_BETA1S)[:, None, None]
    b2 = np.array(TABLE_BETA2S)[None, :, None]
    adam = Adam(lr=1e-3, beta1=b1, beta2=b2, eps=1e-12, bias_correction=correction)
    params = np.zeros((len(TABLE_BETA1S), len(TABLE_BETA2S), 1))
    new, _ = adam.update(params, np.ones_like(params), adam.init(params))
    multiples = -new[..., 0] / adam.lr
    return pd.DataFrame(multiples, index=[f"β₁ = {b:g}" for b in TABLE_BETA1S],
                        columns=[f"β₂ = {b:g}" for b in TABLE_BETA2S])


def constant_gradient_run(adam: Adam, steps: int) -> pd.DataFrame:
    """Adam fed g = 1 at every step: per step t, the step in units of alpha and the
    correction factors m_hat / m = 1 / (1 - beta1^t) and v_hat / v = 1 / (1 - beta2^t)."""
    params = np.zeros(1)
    state = adam.init(params)
    rows = []
    for t in range(1, steps + 1):
        params, state, inside = adam.update(params, np.ones(1), state, internals=True)
        rows.append({"t": t, "step / α": float(inside.step[0] / adam.lr),
                     "m̂ / m": float(inside.m_hat[0] / inside.m[0]),
                     "v̂ / v": float(inside.v_hat[0] / inside.v[0])})
    return pd.DataFrame(rows)


def peak(steps: pd.DataFrame) -> tuple[int, float]:
    """The step t with the largest step / alpha, and that multiple."""
    i = int(steps["step / α"].to_numpy().argmax())
    return int(steps["t"].iloc[i]), float(steps["step / α"].iloc[i])


def sweep(surface_key: str, correction: tuple[bool, bool], beta1: float, eps: float):
    """Final loss above the minimum after SWEEP_STEPS steps, over beta2 x alpha:
    one batched run. Returns ``(loss, diverged)``, both shaped (beta2s, alphas)."""
    surface = SURFACES[surface_key]
    adam = Adam(lr=np.array(SWEEP_ALPHAS)[None, :, None], beta1=beta1,
                beta2=np.array(SWEEP_BETA2S)[:, None, None], eps=eps, bias_correction=correction)
    result = run(surface, adam, np.array(surface.start), SWEEP_STEPS)
    return result.losses[-1] - surface.min_value, result.diverged


def sweep_summary(loss: np.ndarray, diverged: np.ndarray, good: float = 1e-3) -> str:
    """How many runs of a sweep diverged, and how many ended within ``good`` of the minimum."""
    n = loss.size
    reached = int(((loss < good) & ~diverged).sum())
    return (f"{int(diverged.sum())} of {n} runs diverged; {reached} of {n} ended with a loss "
            f"within {good:g} of the minimum")
