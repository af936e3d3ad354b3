"""Stochastic gradient descent, with optional (Nesterov) momentum and L2 decay.

Matches ``torch.optim.SGD`` (dampening 0):

.. math::
    g_t &= \\nabla f(\\theta_{t-1}) + \\lambda\\,\\theta_{t-1} \\\\
    b_t &= \\begin{cases} g_t & t = 1 \\\\ \\mu\\, b_{t-1} + g_t & t > 1 \\end{cases} \\\\
    d_t &= \\begin{cases} g_t + \\mu\\, b_t & \\text{Nesterov} \\\\ b_t & \\text{otherwise}
           \\end{cases} \\qquad (d_t = g_t \\text{ when } \\mu = 0) \\\\
    \\theta_t &= \\theta_{t-1} - \\alpha\\, d_t
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ._checks import check_beta, check_lr, check_weight_decay
from .base import Internals, Optimizer, State, scratch


@dataclass(frozen=True)
class SGD(Optimizer):
    """Plain SGD: one step size ``lr`` for every coordinate."""

    lr: float | np.ndarray
    momentum: float | np.ndarray = 0.0
    nesterov: bool = False
    weight_decay: float | np.ndarray = 0.0

    def __post_init__(self):
        check_lr(self.lr)
        check_beta("momentum", self.momentum,
                   "the fraction of the previous velocity kept each step")
        check_weight_decay(self.weight_decay)
        if self.nesterov and np.any(np.asarray(self.momentum) == 0):
            raise ValueError("Nesterov momentum needs a momentum above 0.")

    @property
    def label(self):
        if not np.any(np.asarray(self.momentum)):
            return "SGD"
        return "SGD + Nesterov" if self.nesterov else "SGD + momentum"

    @cached_property
    def _uses_buffer(self) -> bool:
        return bool(np.any(np.asarray(self.momentum) != 0))

    @cached_property
    def _has_decay(self) -> bool:
        return bool(np.any(self.weight_decay))

    def init(self, params) -> State:
        params = np.asarray(params, dtype=np.float64)
        return State(0, m=np.zeros_like(params) if self._uses_buffer else None)

    def update_inplace(self, params, grads, state, internals=False, work=None, lr=None):
        lr = self.lr if lr is None else lr
        a, b = scratch(params, work)
        g = grads + self.weight_decay * params if self._has_decay else grads
        buf = state.m
        if buf is None:
            direction = g
        else:
            if state.t == 0:
                buf[...] = g                       # first step: b = g
            else:
                buf *= self.momentum               # b = mu b + g
                buf += g
            if self.nesterov:                      # d = g + mu b
                direction = np.multiply(buf, self.momentum, out=b)
                direction += g
            else:
                direction = buf
        step = np.multiply(direction, lr, out=a)
        params -= step
        inside = None
        if internals:
            lrs = np.broadcast_to(np.asarray(lr, dtype=np.float64), params.shape)
            inside = Internals(g=np.array(g), m=None if buf is None else buf.copy(), v=None,
                               m_hat=None, v_hat=None, effective_lr=lrs.copy(), step=step.copy())
        return State(state.t + 1, m=buf), inside
