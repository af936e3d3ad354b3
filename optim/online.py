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

from dataclasses import replace

import numpy as np

from .base import Optimizer

PERIOD, BIG, SMALL = 101, 1010.0, -10.0


def gradient(t: int) -> float:
    """df_t/dx at step t (the loss is linear, so it does not depend on x)."""
    return BIG if t % PERIOD == 1 else SMALL


def run_online(optimizer: Optimizer, steps: int, decay: bool = True, x0: float = 0.0):
    """The projected online run: x after each step, and the optimizer's v (and, for
    AMSGrad, its running maximum) after each step. ``decay``: alpha/sqrt(t), as in
    the paper's experiment."""
    x = np.array([float(x0)])
    state = optimizer.init(x)
    xs, vs, v_max = [float(x0)], [], []
    g = np.empty(1)
    for t in range(1, steps + 1):
        g[0] = gradient(t)
        opt = replace(optimizer, lr=optimizer.lr / np.sqrt(t)) if decay else optimizer
        state, _ = opt.update_inplace(x, g, state)
        np.clip(x, -1.0, 1.0, out=x)
        xs.append(float(x[0]))
        vs.append(float(state.v[0]))
        v_max.append(float(state.v_max[0]) if state.v_max is not None else np.nan)
    return np.array(xs), np.array(vs), np.array(v_max)
