"""Lion (Chen et al., "Symbolic Discovery of Optimization Algorithms", NeurIPS 2023).

Lion ("EvoLved Sign Momentum") was found by a program search. It keeps one
number per parameter, the momentum :math:`m`, and moves every coordinate by
the same amount: the learning rate times the *sign* of a blend of momentum and
gradient.  With gradient :math:`g_t`, learning rate :math:`\\alpha`, rates
:math:`\\beta_1, \\beta_2` and decoupled weight decay :math:`\\lambda`, starting
from :math:`m_0 = 0` and counting :math:`t = 1, 2, \\ldots` (the paper's
Algorithm 2):

.. math::
    c_t &= \\beta_1 m_{t-1} + (1 - \\beta_1)\\, g_t \\\\
    \\theta_t &= \\theta_{t-1} - \\alpha \\left(\\operatorname{sign}(c_t)
                 + \\lambda\\, \\theta_{t-1}\\right) \\\\
    m_t &= \\beta_2 m_{t-1} + (1 - \\beta_2)\\, g_t

Two rates, used in that order: :math:`\\beta_1` blends the *old* momentum with
this gradient to choose the step's sign; only afterwards does :math:`\\beta_2`
fold the gradient into the momentum kept for the next step.

The sign: :math:`\\operatorname{sign}(0) = 0` (NumPy's and jax's).  At step 1,
:math:`m_0 = 0`, so :math:`c_1 = (1 - \\beta_1) g_1` and a coordinate whose first
gradient is exactly zero does not move (weight decay apart); nor does its
momentum, so it stays put until a gradient reaches it.  Later, a zero gradient
still moves a coordinate a full step, in the direction the momentum remembers.

Weight decay is decoupled, as in AdamW, and multiplied by the learning rate
(Algorithm 2, and ``optax.lion``, whose arithmetic this module follows to the
bit): with :math:`\\lambda > 0` a coordinate moves by :math:`\\alpha` plus or
minus :math:`\\alpha\\lambda|\\theta|`.

Defaults: PyTorch-style names and ``lr=1e-4``, ``beta1=0.9``, ``beta2=0.99``
(the paper's betas), ``weight_decay=0``.  ``optax.lion(learning_rate, b1=0.9,
b2=0.99, weight_decay=1e-3)`` decays by default: pass ``weight_decay=1e-3``
here to match it, or ``weight_decay=0.0`` there.  The paper advises a learning
rate 3-10x smaller than AdamW's (a sign step is as long in every coordinate)
and a weight decay 3-10x larger, to keep :math:`\\alpha\\lambda` about the same.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ._checks import check_beta, check_lr, check_weight_decay
from .base import Internals, Optimizer, State, scratch


@dataclass(frozen=True)
class Lion(Optimizer):
    """Lion: sign of (momentum blended with the gradient) times ``lr``.

    Internals: ``g`` the gradient, ``m`` the momentum after the update, ``step``
    the sign step :math:`\\alpha\\,\\operatorname{sign}(c_t)` (weight decay not
    included, as for AdamW), ``effective_lr`` :math:`\\alpha` in every coordinate.
    For a sign method that is the length of every coordinate's step, whatever
    the gradient's size (0 only where :math:`c_t = 0`): it does not multiply the
    gradient, as Adam's does, but its sign.  ``v``, ``m_hat``, ``v_hat`` are
    ``None``: Lion has no second moment and no bias correction (the sign of
    :math:`c_t` does not change when it is scaled).
    """

    lr: float | np.ndarray = 1e-4
    beta1: float | np.ndarray = 0.9
    beta2: float | np.ndarray = 0.99
    weight_decay: float | np.ndarray = 0.0
    label = "Lion"

    def __post_init__(self):
        check_lr(self.lr)
        check_beta("beta1", self.beta1,
                   "how much the old momentum, against this gradient, decides the step's sign")
        check_beta("beta2", self.beta2, "the fraction of the old momentum kept each step")
        check_weight_decay(self.weight_decay)

    @cached_property
    def _has_decay(self) -> bool:
        return bool(np.any(self.weight_decay))

    def init(self, params) -> State:
        return State(0, m=np.zeros_like(np.asarray(params, dtype=np.float64)))

    def update_inplace(self, params, grads, state, internals=False, work=None, lr=None):
        lr, b1, b2 = self.lr if lr is None else lr, self.beta1, self.beta2
        a, b = scratch(params, work)
        m = state.m
        # c = (1 - b1) g + b1 m, in optax's order (a sum of two products: the same bits)
        c = np.multiply(grads, 1 - b1, out=a)
        c += np.multiply(m, b1, out=b)
        direction = np.sign(c, out=a)
        sign_step = np.multiply(direction, lr) if internals else None
        if self._has_decay:                        # sign(c) + lambda theta
            direction += np.multiply(params, self.weight_decay, out=b)
        direction *= lr
        params -= direction
        m *= b2                                    # m = b2 m + (1 - b2) g
        m += np.multiply(grads, 1 - b2, out=b)
        inside = None
        if internals:
            lrs = np.broadcast_to(np.asarray(lr, dtype=np.float64), params.shape)
            inside = Internals(g=np.array(grads), m=m.copy(), v=None, m_hat=None, v_hat=None,
                               effective_lr=lrs.copy(), step=sign_step)
        return State(state.t + 1, m=m), inside
