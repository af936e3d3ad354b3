"""Adam (Kingma & Ba, 2015), its AMSGrad variant, and AdamW.

With gradient :math:`g_t`, step size :math:`\\alpha`, decay rates
:math:`\\beta_1, \\beta_2` and :math:`\\epsilon`, starting from
:math:`m_0 = v_0 = 0` and counting :math:`t = 1, 2, \\ldots`:

.. math::
    g_t &\\leftarrow g_t + \\lambda\\,\\theta_{t-1}
          \\quad\\text{(Adam's coupled L2 term, if weight\\_decay } \\lambda > 0) \\\\
    m_t &= \\beta_1 m_{t-1} + (1 - \\beta_1)\\, g_t \\\\
    v_t &= \\beta_2 v_{t-1} + (1 - \\beta_2)\\, g_t^2 \\\\
    \\hat m_t &= \\frac{m_t}{1 - \\beta_1^t}, \\qquad
    \\hat v_t = \\frac{v_t}{1 - \\beta_2^t} \\\\
    \\theta_t &= \\theta_{t-1} - \\frac{\\alpha}{\\sqrt{\\hat v_t} + \\epsilon}\\, \\hat m_t

AMSGrad (Reddi, Kale & Kumar, 2018) replaces :math:`v_t` in the denominator by
its running maximum :math:`v^{\\max}_t = \\max(v^{\\max}_{t-1}, v_t)`, bias-corrected
the same way (the convention of ``torch.optim.Adam(amsgrad=True)``).

AdamW (Loshchilov & Hutter, 2019) decouples weight decay from the gradient:
before the Adam step it shrinks every weight, :math:`\\theta \\leftarrow
(1 - \\alpha\\lambda)\\,\\theta`, so the decay is not divided by
:math:`\\sqrt{\\hat v_t}`.

Conventions: these are PyTorch's (``torch.optim.Adam`` / ``AdamW``), which follow
the paper's Algorithm 1 with :math:`\\epsilon` added to :math:`\\sqrt{\\hat v_t}`.
Keras folds the corrections into the step size and adds an "epsilon hat" to
:math:`\\sqrt{v_t}` instead; MLX's Adam has bias correction off by default;
optax adds an optional ``eps_root`` under the root (``optim.conventions`` has each).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ._checks import check_beta, check_eps, check_lr, check_weight_decay
from .base import Internals, Optimizer, State, scratch


@dataclass(frozen=True)
class Adam(Optimizer):
    """Adam with PyTorch's defaults.

    ``bias_correction`` is ``True`` (correct both moments), ``False`` (neither),
    or a pair ``(correct_m, correct_v)`` to switch each correction separately.
    """

    lr: float | np.ndarray = 1e-3
    beta1: float | np.ndarray = 0.9
    beta2: float | np.ndarray = 0.999
    eps: float | np.ndarray = 1e-8
    bias_correction: bool | tuple[bool, bool] = True
    weight_decay: float | np.ndarray = 0.0
    amsgrad: bool = False

    #: True for AdamW: decay multiplies the weights instead of joining the gradient
    decoupled = False

    def __post_init__(self):
        check_lr(self.lr)
        check_beta("beta1", self.beta1,
                   "the fraction of the old gradient average kept each step")
        check_beta("beta2", self.beta2,
                   "the fraction of the old squared-gradient average kept each step")
        check_eps(self.eps)
        check_weight_decay(self.weight_decay)
        bc = self.bias_correction
        if not (isinstance(bc, (bool, np.bool_))
                or (isinstance(bc, tuple) and len(bc) == 2)):
            raise ValueError("bias_correction must be True, False or a pair "
                             "(correct m, correct v).")

    @property
    def label(self):
        base = type(self).__name__
        return "AMSGrad" if self.amsgrad and base == "Adam" else base

    @cached_property
    def _has_decay(self) -> bool:
        return bool(np.any(self.weight_decay))

    @cached_property
    def corrects(self) -> tuple[bool, bool]:
        """Whether m and v are bias-corrected: ``(correct_m, correct_v)``."""
        bc = self.bias_correction
        return (bool(bc[0]), bool(bc[1])) if isinstance(bc, tuple) else (bool(bc), bool(bc))

    def init(self, params) -> State:
        params = np.asarray(params, dtype=np.float64)
        return State(0, m=np.zeros_like(params), v=np.zeros_like(params),
                     v_max=np.zeros_like(params) if self.amsgrad else None)

    def update_inplace(self, params, grads, state, internals=False, work=None, lr=None):
        t = state.t + 1
        lr, b1, b2 = self.lr if lr is None else lr, self.beta1, self.beta2
        a, b = scratch(params, work)
        g = grads
        if self._has_decay and self.decoupled:
            params *= 1 - lr * self.weight_decay
        elif self._has_decay:
            g = grads + self.weight_decay * params
        m, v = state.m, state.v
        m *= b1                                    # m = b1 m + (1 - b1) g
        m += np.multiply(g, 1 - b1, out=a)
        v *= b2                                    # v = b2 v + (1 - b2) g^2
        np.multiply(g, g, out=a)
        a *= 1 - b2
        v += a
        if self.amsgrad:
            np.maximum(state.v_max, v, out=state.v_max)
        v_used = state.v_max if self.amsgrad else v
        correct_m, correct_v = self.corrects
        # m_hat = m / bc1, v_hat = v / bc2 with bc = 1 - beta^t
        b1_t, b2_t = (b1, b2) if t == 1 else (state.powers[0] * b1, state.powers[1] * b2)
        bc1 = 1 - b1_t if correct_m else 1.0
        bc2 = 1 - b2_t if correct_v else 1.0
        # sqrt is exactly rounded in both libraries: math's is quicker on a Python float
        root_bc2 = np.sqrt(bc2) if isinstance(bc2, np.ndarray) else math.sqrt(bc2)
        # alpha m_hat / (sqrt(v_hat) + eps), with the corrections moved onto scalars:
        # (alpha sqrt(bc2) / bc1) m / (sqrt(v) + eps sqrt(bc2)): one pass over the arrays
        # fewer than torch's order of operations, and equal to it within a few ulps
        denom = self._denominator(v_used, b, bc2, root_bc2)
        step = np.divide(m, denom, out=a)
        step *= lr * root_bc2 / bc1
        params -= step
        inside = None
        if internals:
            inside = self._internals(g, m, v, v_used, step, lr, bc1, bc2)
        return State(t, m=m, v=v, v_max=state.v_max, powers=(b1_t, b2_t)), inside

    def _denominator(self, v, out, bc2, root_bc2):
        """Into ``out``: what divides :math:`(\\alpha\\sqrt{bc_2}/bc_1)\\, m`, here
        :math:`\\sqrt{v} + \\epsilon\\sqrt{bc_2}`.  The framework conventions
        (``optim.conventions``) that put epsilon elsewhere override it."""
        denom = np.sqrt(v, out=out)
        denom += self.eps * root_bc2
        return denom

    def _internals(self, g, m, v, v_used, step, lr, bc1, bc2) -> Internals:
        """The step's :class:`Internals`; ``v_used`` is v, or AMSGrad's maximum."""
        v_hat = v_used / bc2
        return Internals(g=np.array(g), m=m.copy(), v=v.copy(), m_hat=m / bc1, v_hat=v_hat,
                         effective_lr=self._effective_lr(lr, v_hat), step=step.copy())

    def _effective_lr(self, lr, v_hat):
        """What multiplies ``m_hat``: :math:`\\alpha / (\\sqrt{\\hat v_t} + \\epsilon)`."""
        return lr / (np.sqrt(v_hat) + self.eps)


@dataclass(frozen=True)
class AdamW(Adam):
    """Adam with decoupled weight decay (``torch.optim.AdamW``'s defaults)."""

    weight_decay: float | np.ndarray = 1e-2
    decoupled = True
