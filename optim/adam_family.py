"""Adam's family: AdaMax, NAdam and RAdam, each equal to its ``torch.optim`` namesake.

All three keep Adam's first moment, and NAdam and RAdam its second (AdaMax
replaces it with an infinity norm), with gradient :math:`g_t`, step size
:math:`\\alpha`, decay rates :math:`\\beta_1, \\beta_2`, :math:`m_0 = v_0 = 0`,
:math:`t = 1, 2, \\ldots`, and an L2 term :math:`g_t \\leftarrow g_t + \\lambda
\\theta_{t-1}` when ``weight_decay`` :math:`\\lambda > 0`:

.. math::
    m_t = \\beta_1 m_{t-1} + (1 - \\beta_1)\\, g_t, \\qquad
    v_t = \\beta_2 v_{t-1} + (1 - \\beta_2)\\, g_t^2

and differ in what they divide by and how they correct the averages' bias
(each class's docstring has its rule).  NAdam and RAdam can decouple the decay
instead, as AdamW does (``decoupled_weight_decay=True``, torch's "NAdamW" and
"RAdamW"): :math:`\\theta \\leftarrow (1 - \\alpha\\lambda)\\,\\theta` before the step,
with :math:`\\alpha` this step's learning rate, as in torch, where a schedule
changes ``group['lr']`` and so the decay too.

Arithmetic follows torch's single-tensor (``foreach=False``) code operation by
operation (its ``lerp`` for :math:`m_t`, its order of multiplications, its scalars
computed as Python floats: :math:`\\beta^t` by C's ``pow``, element by element for
array hyperparameters, not Adam's running products), so float64 runs agree with
torch to about 1e-15.  One condition on torch's side: its step counter and NAdam's
:math:`\\prod \\mu_i` are tensors of torch's *default* dtype, float32 unless
``torch.set_default_dtype(torch.float64)``; in float32, NAdam's product is rounded
to 24 bits each step, and torch's float64 run moves away from the float64 rule (and
from ours): by 3e-11 relative over 200 steps of the test fixtures.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ._arith import lerp_, power
from ._checks import check_beta, check_eps, check_lr, check_range, check_weight_decay
from .base import Internals, Optimizer, State, scratch


@dataclass(frozen=True)
class _AdamFamily(Optimizer):
    """What the three share: hyperparameters, their checks, state, moments, decay."""

    lr: float | np.ndarray = 1e-3
    beta1: float | np.ndarray = 0.9
    beta2: float | np.ndarray = 0.999
    eps: float | np.ndarray = 1e-8
    weight_decay: float | np.ndarray = 0.0

    #: the name on pages; a "W" is added when the decay is decoupled (torch's "NAdamW")
    _name = "optimizer"
    _beta2_meaning = "the fraction of the old squared-gradient average kept each step"

    def __post_init__(self):
        check_lr(self.lr)
        check_beta("beta1", self.beta1,
                   "the fraction of the old gradient average kept each step")
        check_beta("beta2", self.beta2, self._beta2_meaning)
        check_eps(self.eps)
        check_weight_decay(self.weight_decay)
        flag = getattr(self, "decoupled_weight_decay", False)
        if not isinstance(flag, (bool, np.bool_)):
            raise ValueError(f"decoupled_weight_decay must be True or False; got {flag!r}.")

    @property
    def decoupled(self) -> bool:
        """Whether the decay multiplies the weights instead of joining the gradient."""
        return getattr(self, "decoupled_weight_decay", False)

    @property
    def label(self):
        return self._name + "W" if self.decoupled else self._name

    @cached_property
    def _has_decay(self) -> bool:
        return bool(np.any(self.weight_decay))

    def init(self, params) -> State:
        params = np.asarray(params, dtype=np.float64)
        return State(0, m=np.zeros_like(params), v=np.zeros_like(params))

    def _gradient(self, params, grads, lr):
        """The gradient with the L2 term, or the weights shrunk (decoupled decay)."""
        if not self._has_decay:
            return grads
        if self.decoupled:
            params *= 1 - lr * self.weight_decay
            return grads
        return grads + self.weight_decay * params

    def _moments(self, g, m, v, a):
        """m and v in place, as torch: ``m.lerp_(g, 1 - b1)``, ``v = b2 v + (1 - b2) g g``."""
        lerp_(m, g, 1 - self.beta1, a)
        v *= self.beta2
        np.multiply(g, 1 - self.beta2, out=a)
        a *= g
        v += a


@dataclass(frozen=True)
class Adamax(_AdamFamily):
    """AdaMax (Kingma & Ba, 2015, section 7.1; ``torch.optim.Adamax``): Adam with the
    infinity norm in place of the root of :math:`v`.

    .. math::
        u_t &= \\max(\\beta_2\\, u_{t-1},\\; |g_t| + \\epsilon) \\\\
        \\theta_t &= \\theta_{t-1} - \\frac{\\alpha}{1 - \\beta_1^t}\\, \\frac{m_t}{u_t}

    :math:`u_t` needs no bias correction.  The paper has
    :math:`\\max(\\beta_2 u_{t-1}, |g_t|)` and no :math:`\\epsilon`; torch adds
    :math:`\\epsilon` inside the maximum, so with :math:`\\epsilon > 0`, :math:`u_t \\geq
    \\epsilon` is never zero.
    State: ``m`` and, in ``v``, :math:`u`.  Internals: ``v`` is :math:`u_t`,
    ``v_hat`` is ``None``, ``m_hat`` is :math:`m_t / (1 - \\beta_1^t)` and
    ``effective_lr`` is :math:`\\alpha / u_t`, which multiplies ``m_hat``.
    """

    lr: float | np.ndarray = 2e-3
    _name = "AdaMax"
    _beta2_meaning = "the fraction of the old largest gradient kept each step"

    def update_inplace(self, params, grads, state, internals=False, work=None, lr=None):
        t = state.t + 1
        lr = self.lr if lr is None else lr
        a, _ = scratch(params, work)
        g = self._gradient(params, grads, lr)
        m, u = state.m, state.v
        lerp_(m, g, 1 - self.beta1, a)
        u *= self.beta2                            # u = max(b2 u, |g| + eps)
        np.abs(g, out=a)
        a += self.eps
        np.maximum(u, a, out=u)
        bias_correction = 1 - power(self.beta1, t)
        clr = lr / bias_correction
        step = np.multiply(m, -clr, out=a)         # torch: addcdiv_(m, u, value=-clr)
        step /= u
        params += step
        inside = None
        if internals:
            inside = Internals(g=np.array(g), m=m.copy(), v=u.copy(), m_hat=m / bias_correction,
                               v_hat=None, effective_lr=lr / u, step=-step)
        return State(t, m=m, v=u), inside


@dataclass(frozen=True)
class NAdam(_AdamFamily):
    """NAdam (Dozat, 2016, "Incorporating Nesterov Momentum into Adam";
    ``torch.optim.NAdam``): Adam that looks one momentum step ahead, with a momentum
    schedule that warms up towards :math:`\\beta_1`.

    With ``momentum_decay`` :math:`\\psi`:

    .. math::
        \\mu_t &= \\beta_1 \\left(1 - \\tfrac12\\, 0.96^{\\,t\\psi}\\right), \\qquad
        \\hat v_t = \\frac{v_t}{1 - \\beta_2^t} \\\\
        \\hat m_t &= \\frac{1 - \\mu_t}{1 - \\prod_{i=1}^{t} \\mu_i}\\, g_t
                   + \\frac{\\mu_{t+1}}{1 - \\prod_{i=1}^{t+1} \\mu_i}\\, m_t \\\\
        \\theta_t &= \\theta_{t-1} - \\frac{\\alpha}{\\sqrt{\\hat v_t} + \\epsilon}\\, \\hat m_t

    (:math:`m_t` itself averages with :math:`\\beta_1`, as in Adam.)  State: ``m``,
    ``v`` and ``mu_product`` :math:`\\prod_{i \\le t} \\mu_i`.  Internals: ``m_hat``
    is the look-ahead :math:`\\hat m_t` above, ``effective_lr`` is
    :math:`\\alpha / (\\sqrt{\\hat v_t} + \\epsilon)`, as in Adam.
    """

    lr: float | np.ndarray = 2e-3
    momentum_decay: float | np.ndarray = 4e-3
    decoupled_weight_decay: bool = False
    _name = "NAdam"

    def __post_init__(self):
        super().__post_init__()
        check_range("momentum_decay", self.momentum_decay, 0.0, np.inf, high_open=True,
                    meaning="how fast the momentum schedule rises to beta1; 0 keeps it at "
                            "beta1 / 2")

    def init(self, params) -> State:
        return super().init(params)._replace(mu_product=1.0)

    def _mu(self, t):
        """The momentum schedule, as torch computes it with Python floats."""
        return self.beta1 * (1.0 - 0.5 * power(0.96, t * self.momentum_decay))

    def update_inplace(self, params, grads, state, internals=False, work=None, lr=None):
        t = state.t + 1
        lr = self.lr if lr is None else lr
        a, b = scratch(params, work)
        g = self._gradient(params, grads, lr)
        bias_correction2 = 1 - power(self.beta2, t)
        mu, mu_next = self._mu(t), self._mu(t + 1)
        mu_product = state.mu_product * mu
        mu_product_next = mu_product * mu_next
        m, v = state.m, state.v
        self._moments(g, m, v, a)
        denom = np.divide(v, bias_correction2, out=b)
        np.sqrt(denom, out=denom)
        denom += self.eps
        # torch: two addcdiv_, first the gradient's share, then the momentum's
        step = np.multiply(g, -lr * (1.0 - mu) / (1.0 - mu_product), out=a)
        step /= denom
        params += step
        first = step.copy() if internals else None
        step = np.multiply(m, (-lr * mu_next) / (1.0 - mu_product_next), out=a)
        step /= denom
        params += step
        inside = None
        if internals:
            m_hat = ((1.0 - mu) / (1.0 - mu_product) * g
                     + mu_next / (1.0 - mu_product_next) * m)
            inside = Internals(g=np.array(g), m=m.copy(), v=v.copy(), m_hat=m_hat,
                               v_hat=v / bias_correction2, effective_lr=lr / denom,
                               step=-(first + step))
        return State(t, m=m, v=v, mu_product=mu_product), inside


@dataclass(frozen=True)
class RAdam(_AdamFamily):
    """RAdam (Liu et al., "On the Variance of the Adaptive Learning Rate and Beyond",
    ICLR 2020; ``torch.optim.RAdam``): Adam that takes plain momentum steps while
    :math:`v_t` has averaged too few squared gradients to be trusted, then
    rectifies the adaptive step by the variance it still has.

    .. math::
        \\rho_\\infty &= \\frac{2}{1 - \\beta_2} - 1, \\qquad
        \\rho_t = \\rho_\\infty - \\frac{2 t \\beta_2^t}{1 - \\beta_2^t}, \\qquad
        \\hat m_t = \\frac{m_t}{1 - \\beta_1^t} \\\\
        \\theta_t &= \\theta_{t-1} - \\begin{cases}
            \\alpha\\, r_t\\, \\dfrac{\\sqrt{1 - \\beta_2^t}}{\\sqrt{v_t} + \\epsilon}\\, \\hat m_t,
            \\quad r_t = \\sqrt{\\dfrac{(\\rho_t - 4)(\\rho_t - 2)\\,\\rho_\\infty}
                                      {(\\rho_\\infty - 4)(\\rho_\\infty - 2)\\,\\rho_t}}
            & \\rho_t > 5 \\\\
            \\alpha\\, \\hat m_t & \\text{otherwise}
        \\end{cases}

    With :math:`\\beta_2 = 0.999` the first 5 steps are momentum steps.  Note where
    :math:`\\epsilon` sits (torch's choice): added to :math:`\\sqrt{v_t}`, not to
    :math:`\\sqrt{\\hat v_t}` as in Adam.  With array hyperparameters each run picks
    its own branch.  Internals: ``effective_lr`` is the factor that multiplies
    ``m_hat``: :math:`\\alpha r_t \\sqrt{1 - \\beta_2^t} / (\\sqrt{v_t} + \\epsilon)`
    when rectified, else :math:`\\alpha`.
    """

    decoupled_weight_decay: bool = False
    _name = "RAdam"

    def update_inplace(self, params, grads, state, internals=False, work=None, lr=None):
        t = state.t + 1
        lr = self.lr if lr is None else lr
        b2 = self.beta2
        a, b = scratch(params, work)
        g = self._gradient(params, grads, lr)
        m, v = state.m, state.v
        self._moments(g, m, v, a)
        bias_correction1 = 1 - power(self.beta1, t)
        b2_t = power(b2, t)
        bias_correction2 = 1 - b2_t
        m_hat = np.divide(m, bias_correction1, out=a)
        rho_t, rect = rectification(b2, t, b2_t)
        rectified = rho_t > RECTIFY_ABOVE
        if np.any(rectified):
            adaptive = np.sqrt(v, out=b)           # torch: sqrt(bc2) / (sqrt(v) + eps),
            adaptive += self.eps                   # a reciprocal times a number
            np.reciprocal(adaptive, out=adaptive)
            adaptive *= power(bias_correction2, 0.5)
            factor = lr * adaptive * rect          # what multiplies m_hat, for the internals
            step = m_hat * lr
            step *= adaptive
            step *= rect
            if not np.all(rectified):
                step = np.where(rectified, step, m_hat * lr)
                factor = np.where(rectified, factor, lr)
        else:
            step, factor = m_hat * lr, lr
        params -= step
        inside = None
        if internals:
            inside = Internals(g=np.array(g), m=m.copy(), v=v.copy(), m_hat=m_hat.copy(),
                               v_hat=v / bias_correction2,
                               effective_lr=np.broadcast_to(factor, params.shape).copy(),
                               step=np.array(step))
        return State(t, m=m, v=v), inside


#: PyTorch's RAdam takes the adaptive step once rho_t exceeds this
RECTIFY_ABOVE = 5.0


def rectification(beta2, t, beta2_t=None):
    """RAdam's :math:`\\rho_t` (how many squared gradients :math:`\\hat v_t` effectively
    averages, Liu et al., 2020) and its rectification :math:`r_t` where
    :math:`\\rho_t > 5` (1 elsewhere, where RAdam takes no adaptive step):

    .. math::
        \\rho_\\infty = \\frac{2}{1 - \\beta_2} - 1, \\quad
        \\rho_t = \\rho_\\infty - \\frac{2 t \\beta_2^t}{1 - \\beta_2^t}, \\quad
        r_t = \\sqrt{\\frac{(\\rho_t - 4)(\\rho_t - 2)\\,\\rho_\\infty}
                          {(\\rho_\\infty - 4)(\\rho_\\infty - 2)\\,\\rho_t}}

    ``t`` may be an array of steps (a chart) and ``beta2`` an array of runs;
    ``beta2_t`` is :math:`\\beta_2^t` if the caller has it (computed with C's ``pow``
    otherwise, as torch does)."""
    b2_t = power(beta2, t) if beta2_t is None else beta2_t
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * t * b2_t / (1 - b2_t)
    rectified = rho_t > RECTIFY_ABOVE
    if not np.ndim(rho_t):
        return rho_t, power(_rectified_ratio(rho_t, rho_inf), 0.5) if rectified else 1.0
    # the ratio may divide by 0 where not rectified: it is not used there
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = _rectified_ratio(rho_t, rho_inf)
    return rho_t, power(np.where(rectified, ratio, 1.0), 0.5)


def _rectified_ratio(rho_t, rho_inf):
    """:math:`r_t^2`, in [0, 1] where :math:`\\rho_t > 5`."""
    return (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
