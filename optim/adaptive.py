"""Adagrad and RMSProp: a per-coordinate step size from squared gradients.

Both divide the gradient by the root of a second-moment estimate ``v``; they
differ only in how ``v`` accumulates.

Adagrad (``torch.optim.Adagrad``, no learning-rate decay):

.. math::
    v_t = v_{t-1} + g_t^2, \\qquad
    \\theta_t = \\theta_{t-1} - \\frac{\\alpha}{\\sqrt{v_t} + \\epsilon}\\, g_t

RMSProp (``torch.optim.RMSprop``, uncentred, no momentum; torch calls
:math:`\\beta_2` ``alpha``):

.. math::
    v_t = \\beta_2 v_{t-1} + (1 - \\beta_2)\\, g_t^2, \\qquad
    \\theta_t = \\theta_{t-1} - \\frac{\\alpha}{\\sqrt{v_t} + \\epsilon}\\, g_t
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import check_beta, check_eps, check_lr
from .base import Internals, Optimizer, State, scratch


def _scaled_step(params, g, v, lr, eps, internals, work):
    """Subtract ``lr * g / (sqrt(v) + eps)`` from params; return the internals."""
    a, b = scratch(params, work)
    denom = np.sqrt(v, out=b)
    denom += eps
    step = np.divide(g, denom, out=a)
    step *= lr
    params -= step
    if not internals:
        return None
    return Internals(g=np.array(g), m=None, v=v.copy(), m_hat=None, v_hat=v.copy(),
                     effective_lr=lr / denom, step=step.copy())


class _SquaredGradientMethod(Optimizer):
    def init(self, params) -> State:
        return State(0, v=np.zeros_like(np.asarray(params, dtype=np.float64)))


@dataclass(frozen=True)
class Adagrad(_SquaredGradientMethod):
    """Adagrad: the sum of all squared gradients so far sets each coordinate's step."""

    lr: float | np.ndarray = 1e-2
    eps: float | np.ndarray = 1e-10
    label = "Adagrad"

    def __post_init__(self):
        check_lr(self.lr)
        check_eps(self.eps)

    def update_inplace(self, params, grads, state, internals=False, work=None, lr=None):
        v = state.v
        a, _ = scratch(params, work)
        v += np.multiply(grads, grads, out=a)
        inside = _scaled_step(params, grads, v, self.lr if lr is None else lr, self.eps, internals,
                              work)
        return State(state.t + 1, v=v), inside


@dataclass(frozen=True)
class RMSProp(_SquaredGradientMethod):
    """RMSProp: an exponential moving average of squared gradients sets the step."""

    lr: float | np.ndarray = 1e-2
    beta2: float | np.ndarray = 0.99
    eps: float | np.ndarray = 1e-8
    label = "RMSProp"

    def __post_init__(self):
        check_lr(self.lr)
        check_beta("beta2", self.beta2, "the fraction of the old squared-gradient average kept")
        check_eps(self.eps)

    def update_inplace(self, params, grads, state, internals=False, work=None, lr=None):
        v = state.v
        a, _ = scratch(params, work)
        v *= self.beta2
        np.multiply(grads, grads, out=a)
        a *= 1 - self.beta2
        v += a
        inside = _scaled_step(params, grads, v, self.lr if lr is None else lr, self.eps, internals,
                              work)
        return State(state.t + 1, v=v), inside
