"""Lesson 2, the foggy hiker: its race and controls are ``explainers/race/`` (shared with
the playground); this module holds the numbers its text quotes."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from optim import Adam


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
