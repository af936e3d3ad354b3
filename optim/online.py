"""Reddi, Kale & Kumar's (2018) online problem, on which Adam fails to converge.

On the feasible set [-1, 1], the loss at step t is

.. math::
    f_t(x) = \\begin{cases} 1010\\,x & t \\bmod 101 = 1 \\\\ -10\\,x & \\text{otherwise}
             \\end{cases}

so over each period of 101 steps the total is 1010x - 1000x = 10x, minimised at
x = -1.  The rare large gradient points the right way; the frequent small ones the
wrong way.  After each update x is projected back onto [-1, 1].
"""
from __future__ import annotations

import numpy as np

from .base import Optimizer
from .schedules import Schedule, step_lrs

PERIOD, BIG, SMALL = 101, 1010.0, -10.0


def gradient(t: int) -> float:
    """df_t/dx at step t (the loss is linear, so it does not depend on x)."""
    return BIG if t % PERIOD == 1 else SMALL


def run_online(optimizer: Optimizer, steps: int, schedule: Schedule | None = None,
               x0: float = 0.0):
    """The projected online run: x after each step, and the optimizer's v (and, for
    AMSGrad, its running maximum) after each step. ``schedule``: the learning rate's
    factor per step; the paper's experiment uses ``InverseSqrt()``, alpha/sqrt(t)."""
    xs, vs, v_max = run_online_batch(optimizer, steps, schedule, x0)
    return xs[:, 0], vs[:, 0], v_max[:, 0]


def run_online_batch(optimizer: Optimizer, steps: int, schedule: Schedule | None = None,
                     x0: float = 0.0):
    """:func:`run_online` for many settings at once: the optimizer's hyperparameters may be
    arrays of shape ``(n, 1)`` (one value per run; x has one coordinate), and each run is
    element for element the run it would be alone. Returns x ``(steps + 1, n)``, v and its
    running maximum ``(steps, n)`` (NaN for an optimizer without one)."""
    shapes = [np.shape(v) for v in optimizer.hyperparameters().values()
              if isinstance(v, np.ndarray)]
    n = np.broadcast_shapes((1, 1), *shapes)[0]
    x = np.full((n, 1), float(x0))
    state = optimizer.init(x)
    xs = np.empty((steps + 1, n))
    vs, v_max = np.empty((steps, n)), np.full((steps, n), np.nan)
    xs[0] = x[:, 0]
    g = np.empty((n, 1))
    for t, lr in enumerate(step_lrs(schedule, optimizer.lr, steps), start=1):
        g.fill(gradient(t))
        state, _ = optimizer.update_inplace(x, g, state, lr=lr)
        np.clip(x, -1.0, 1.0, out=x)
        xs[t] = x[:, 0]
        vs[t - 1] = state.v[:, 0]
        if state.v_max is not None:
            v_max[t - 1] = state.v_max[:, 0]
    return xs, vs, v_max
