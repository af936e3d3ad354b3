"""Which Adam are you running? Adam and AdamW as PyTorch, Keras, optax and MLX compute them.

All four keep the same two moments, with gradient :math:`g_t`, :math:`m_0 = v_0 = 0`
and :math:`t = 1, 2, \\ldots`:

.. math::
    m_t = \\beta_1 m_{t-1} + (1 - \\beta_1)\\, g_t, \\qquad
    v_t = \\beta_2 v_{t-1} + (1 - \\beta_2)\\, g_t^2, \\qquad
    \\hat m_t = \\frac{m_t}{1 - \\beta_1^t}, \\quad \\hat v_t = \\frac{v_t}{1 - \\beta_2^t}

and part at the step, in where :math:`\\epsilon` goes and whether the moments are
corrected (:math:`\\alpha` is this step's learning rate):

* **PyTorch**, ``torch.optim.Adam`` (Kingma & Ba's Algorithm 1;
  https://pytorch.org/docs/stable/generated/torch.optim.Adam.html), :math:`\\epsilon = 10^{-8}`:

  .. math:: \\theta_t = \\theta_{t-1} - \\frac{\\alpha\\, \\hat m_t}{\\sqrt{\\hat v_t} + \\epsilon}

* **Keras** 3, ``keras.optimizers.Adam`` (``keras/src/optimizers/adam.py``,
  https://keras.io/api/optimizers/adam/), :math:`\\hat\\epsilon = 10^{-7}`: the corrections
  are folded into the step size and :math:`\\hat\\epsilon` is added to the *uncorrected*
  :math:`\\sqrt{v_t}`, the "epsilon hat" of the paper's remark just before its Section 2.1:

  .. math:: \\alpha_t = \\alpha\\,\\frac{\\sqrt{1 - \\beta_2^t}}{1 - \\beta_1^t}, \\qquad
            \\theta_t = \\theta_{t-1} - \\frac{\\alpha_t\\, m_t}{\\sqrt{v_t} + \\hat\\epsilon}
            = \\theta_{t-1} - \\frac{\\alpha\\, \\hat m_t}
              {\\sqrt{\\hat v_t} + \\hat\\epsilon / \\sqrt{1 - \\beta_2^t}}

  so in PyTorch's terms Keras's epsilon is :math:`1/\\sqrt{1 - \\beta_2^t}` times larger:
  31.6 at :math:`t = 1` with :math:`\\beta_2 = 0.999`, 1.26 at :math:`t = 1000`, then 1.

* **optax**, ``optax.adam`` (``scale_by_adam`` in ``optax/_src/transform.py``,
  https://optax.readthedocs.io/en/latest/api/optimizers.html#optax.adam),
  :math:`\\epsilon = 10^{-8}` outside the root and :math:`\\bar\\epsilon` (``eps_root``,
  default 0) inside it; with ``eps_root=0`` it is PyTorch's rule:

  .. math:: \\theta_t = \\theta_{t-1} - \\frac{\\alpha\\, \\hat m_t}
            {\\sqrt{\\hat v_t + \\bar\\epsilon} + \\epsilon}

* **MLX**, ``mlx.optimizers.Adam`` (``Adam.apply_single`` in
  ``python/mlx/optimizers/optimizers.py``,
  https://ml-explore.github.io/mlx/build/html/python/optimizers/_autosummary/mlx.optimizers.Adam.html),
  :math:`\\epsilon = 10^{-8}`, with ``bias_correction=False`` by default:

  .. math:: \\theta_t = \\theta_{t-1} - \\frac{\\alpha\\, m_t}{\\sqrt{v_t} + \\epsilon}

  and PyTorch's rule with ``bias_correction=True``.  (MLX runs on Apple silicon only:
  this is a transcription of its documented formula and source, not checked against it.)

Weight decay :math:`\\lambda`.  *Coupled* (an L2 term, :math:`g_t \\leftarrow g_t +
\\lambda\\theta_{t-1}`): ``torch.optim.Adam(weight_decay=...)``, and optax's
``chain(add_decayed_weights(wd), adam(...))``; Keras's and MLX's Adam have none.
*Decoupled* (AdamW, Loshchilov & Hutter, ICLR 2019): every framework shrinks the
weights by this step's learning rate times :math:`\\lambda`,
:math:`\\theta \\leftarrow (1 - \\alpha\\lambda)\\,\\theta`, before the Adam step: torch's
``AdamW``, Keras's ``variable - variable * wd * lr`` in its base optimizer (for
``keras.optimizers.AdamW``, and for its ``Adam`` too when given a ``weight_decay``),
optax's ``adamw`` (:math:`-\\alpha(u + \\lambda\\theta)`, the same), MLX's ``AdamW``
(``parameter * (1 - lr * weight_decay)``).  Their AdamW defaults differ:
:math:`\\lambda` = 1e-2, 4e-3, 1e-4 and 1e-2.  The paper itself multiplies
:math:`\\lambda` by the schedule multiplier :math:`\\eta_t` only, not by :math:`\\alpha`:
see :func:`decoupled_shrink` and :func:`equivalent_weight_decay`.

AMSGrad (a running maximum of :math:`v_t` in the denominator): PyTorch's and Keras's,
each in its own rule.  optax's ``amsgrad`` takes the maximum of :math:`\\hat v_t` instead,
and MLX has none: neither is modelled here.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ._checks import check_range
from .adam import Adam, AdamW
from .base import Internals, Optimizer

#: the frameworks whose Adam :class:`FrameworkAdam` computes
FRAMEWORKS = ("pytorch", "keras", "optax", "mlx")
#: their names on pages
FRAMEWORK_NAMES = {"pytorch": "PyTorch", "keras": "Keras", "optax": "optax", "mlx": "MLX"}
#: each framework's default epsilon (Keras's is its "epsilon hat", added to sqrt(v))
DEFAULT_EPS = {"pytorch": 1e-8, "keras": 1e-7, "optax": 1e-8, "mlx": 1e-8}
#: each framework's AdamW's default weight decay
DEFAULT_ADAMW_DECAY = {"pytorch": 1e-2, "keras": 4e-3, "optax": 1e-4, "mlx": 1e-2}
#: the conventions for decoupled weight decay: the frameworks' and the paper's
DECAY_CONVENTIONS = FRAMEWORKS + ("loshchilov_hutter",)


@dataclass(frozen=True)
class _KerasArithmetic(Adam):
    """optim.Adam's arithmetic with Keras's epsilon hat, added to sqrt(v) uncorrected."""

    decoupled: bool = False

    def _denominator(self, v, out, bc2, root_bc2):
        denom = np.sqrt(v, out=out)
        denom += self.eps
        return denom

    def _internals(self, g, m, v, v_used, step, lr, bc1, bc2):
        # Keras never forms m_hat or v_hat: the corrections live in its step size alpha_t
        alpha_t = lr * np.sqrt(bc2) / bc1
        return Internals(g=np.array(g), m=m.copy(), v=v.copy(), m_hat=m.copy(),
                         v_hat=v_used.copy(), effective_lr=alpha_t / (np.sqrt(v_used) + self.eps),
                         step=step.copy())


@dataclass(frozen=True)
class _OptaxArithmetic(Adam):
    """optim.Adam's arithmetic with optax's eps_root under the square root."""

    decoupled: bool = False
    eps_root: float | np.ndarray = 0.0

    def _denominator(self, v, out, bc2, root_bc2):
        # sqrt(v_hat + eps_root) + eps = (sqrt(v + eps_root bc2) + eps sqrt(bc2)) / sqrt(bc2)
        denom = np.sqrt(np.add(v, self.eps_root * bc2, out=out), out=out)
        denom += self.eps * root_bc2
        return denom

    def _effective_lr(self, lr, v_hat):
        return lr / (np.sqrt(v_hat + self.eps_root) + self.eps)


def _is_flag(value) -> bool:
    return isinstance(value, (bool, np.bool_))


@dataclass(frozen=True)
class FrameworkAdam(Optimizer):
    """Adam (or, with ``decoupled=True``, AdamW) as ``framework`` computes it.

    ``framework``: ``"pytorch"``, ``"keras"``, ``"optax"`` or ``"mlx"`` (the module's
    docstring has each rule and its source).  ``None`` means that framework's default:
    ``eps`` (1e-8, 1e-7, 1e-8, 1e-8), ``bias_correction`` (on, except MLX's) and
    ``weight_decay`` (0 for Adam; with ``decoupled=True`` its AdamW's default: 1e-2,
    4e-3, 1e-4, 1e-2).  The defaults are filled in at construction, so ``.eps`` is the
    number in use (and ``dataclasses.replace(opt, framework=...)`` keeps it: build a new
    one to get the other framework's defaults).  ``eps_root`` is optax's alone,
    ``bias_correction=False`` MLX's alone, a coupled ``weight_decay`` (an L2 term) PyTorch's
    and optax's, ``amsgrad`` PyTorch's and Keras's: anything else raises ``ValueError``.
    Hyperparameters may be arrays broadcasting against the parameters, as for ``Adam``.

    Internals: ``m_hat`` is the moment the convention multiplies and ``effective_lr``
    what multiplies it, so ``step = effective_lr * m_hat`` in every convention.  PyTorch,
    optax and corrected MLX: :math:`\\hat m_t`, :math:`\\alpha/(\\sqrt{\\hat v_t +
    \\bar\\epsilon} + \\epsilon)` (:math:`\\bar\\epsilon = 0` but in optax).  Keras, which
    never corrects the moments: ``m_hat`` is :math:`m_t`, ``v_hat`` is :math:`v_t` (its
    AMSGrad maximum, which Keras calls ``v_hat``), and ``effective_lr`` is
    :math:`\\alpha_t/(\\sqrt{v_t} + \\hat\\epsilon)`.  MLX without correction: :math:`m_t`,
    :math:`v_t` and :math:`\\alpha/(\\sqrt{v_t} + \\epsilon)`.

    The PyTorch and MLX conventions run ``optim.Adam`` / ``AdamW`` themselves (MLX's with
    the correction off); Keras's and optax's run the same arithmetic with epsilon moved.
    """

    framework: str = "pytorch"
    lr: float | np.ndarray = 1e-3
    beta1: float | np.ndarray = 0.9
    beta2: float | np.ndarray = 0.999
    eps: float | np.ndarray | None = None
    eps_root: float | np.ndarray = 0.0
    bias_correction: bool | None = None
    weight_decay: float | np.ndarray | None = None
    decoupled: bool = False
    amsgrad: bool = False

    def __post_init__(self):
        if self.framework not in FRAMEWORKS:
            raise ValueError(f"framework must be one of {', '.join(map(repr, FRAMEWORKS))}; "
                             f"got {self.framework!r}.")
        name = FRAMEWORK_NAMES[self.framework]
        for flag in ("decoupled", "amsgrad"):
            if not _is_flag(getattr(self, flag)):
                raise ValueError(f"{flag} must be True or False; got {getattr(self, flag)!r}.")
        if not (self.bias_correction is None or _is_flag(self.bias_correction)):
            raise ValueError("bias_correction must be True, False or None (the framework's "
                             f"default); got {self.bias_correction!r}.")
        check_range("eps_root", self.eps_root, 0.0, np.inf, high_open=True,
                    meaning="a small number added to v_hat under the square root")
        if self.framework != "optax" and np.any(self.eps_root):
            raise ValueError(f"eps_root (added under the square root) is optax's alone: "
                             f"{name}'s Adam adds only eps, outside the root; got "
                             f"eps_root={np.max(self.eps_root):g}.")
        if self.bias_correction is not None and not self.bias_correction \
                and self.framework != "mlx":
            raise ValueError(f"only MLX's Adam can switch its bias correction off; {name}'s "
                             "always corrects (optim.Adam(bias_correction=False) runs "
                             "PyTorch's rule without it).")
        decay = (DEFAULT_ADAMW_DECAY[self.framework] if self.decoupled else 0.0) \
            if self.weight_decay is None else self.weight_decay
        if np.any(decay) and not self.decoupled and self.framework in ("keras", "mlx"):
            why = ("Keras's optimizers decay the weights decoupled, as AdamW (an L2 penalty "
                   "goes in the loss)" if self.framework == "keras" else
                   "MLX's Adam takes no weight decay; its AdamW decays decoupled")
            raise ValueError(f"{why}: pass decoupled=True for a weight_decay with "
                             f"framework={self.framework!r}.")
        if self.amsgrad and self.framework in ("optax", "mlx"):
            why = ("optax.amsgrad keeps the maximum of the corrected v_hat, not of v"
                   if self.framework == "optax" else "MLX's Adam has no AMSGrad")
            raise ValueError(f"amsgrad is PyTorch's and Keras's here: {why}.")
        for field, value in (("eps", DEFAULT_EPS[self.framework]), ("weight_decay", decay),
                             ("bias_correction", self.framework != "mlx")):
            if getattr(self, field) is None:
                object.__setattr__(self, field, value)
        self._engine  # built now, so lr, the betas, eps and the decay are checked now

    @property
    def label(self):
        rule = "AdamW" if self.decoupled else "Adam"
        return f"{FRAMEWORK_NAMES[self.framework]} {rule}" + (" (AMSGrad)" if self.amsgrad
                                                                 else "")

    @cached_property
    def _engine(self) -> Adam:
        """The optimizer that does the arithmetic."""
        common = dict(lr=self.lr, beta1=self.beta1, beta2=self.beta2, eps=self.eps,
                      bias_correction=self.bias_correction, weight_decay=self.weight_decay,
                      amsgrad=self.amsgrad)
        if self.framework == "keras":
            return _KerasArithmetic(**common, decoupled=self.decoupled)
        if self.framework == "optax":
            return _OptaxArithmetic(**common, decoupled=self.decoupled, eps_root=self.eps_root)
        return (AdamW if self.decoupled else Adam)(**common)

    def init(self, params):
        return self._engine.init(params)

    def update_inplace(self, params, grads, state, internals=False, work=None, lr=None):
        return self._engine.update_inplace(params, grads, state, internals, work, lr)


@dataclass(frozen=True)
class FrameworkAdamW(FrameworkAdam):
    """AdamW as ``framework`` computes it: :class:`FrameworkAdam` with ``decoupled=True``,
    so ``weight_decay=None`` is that framework's AdamW default."""

    decoupled: bool = True


def _decay_multiplier(convention: str, lr):
    """What multiplies lambda in a step's shrink, besides the schedule's factor."""
    if convention not in DECAY_CONVENTIONS:
        raise ValueError(f"convention must be one of {', '.join(map(repr, DECAY_CONVENTIONS))};"
                         f" got {convention!r}.")
    return 1.0 if convention == "loshchilov_hutter" else lr


def decoupled_shrink(convention: str, lr, weight_decay, schedule_factor=1.0):
    """The fraction of every weight that decoupled weight decay removes in one step.

    ``lr`` is the base learning rate :math:`\\alpha`, ``schedule_factor`` the schedule's
    multiplier :math:`\\eta_t` this step (1 without a schedule), so the step's learning
    rate is :math:`\\eta_t\\alpha`.  The four frameworks' AdamW shrink by that learning
    rate times :math:`\\lambda`, :math:`\\eta_t\\alpha\\lambda`; Loshchilov & Hutter's
    Algorithm 2 ("Decoupled Weight Decay Regularization", ICLR 2019) by
    :math:`\\eta_t\\lambda`, whatever :math:`\\alpha` (``convention="loshchilov_hutter"``).
    """
    check_range("weight_decay", weight_decay, 0.0, np.inf, high_open=True,
                meaning="how strongly each weight is pulled toward zero")
    check_range("schedule_factor", schedule_factor, 0.0, np.inf, high_open=True,
                meaning="the schedule's multiplier of the learning rate this step")
    return schedule_factor * weight_decay * _decay_multiplier(convention, lr)


def equivalent_weight_decay(from_convention: str, to_convention: str, lr, weight_decay):
    """The ``weight_decay`` that shrinks the weights under ``to_convention`` as
    ``weight_decay`` does under ``from_convention``, at base learning rate ``lr``.

    Among the frameworks it is the same number (all decay by :math:`\\alpha\\lambda`);
    to the paper's convention it is :math:`\\alpha\\lambda`, and from it
    :math:`\\lambda/\\alpha`.  The schedule multiplies both conventions' shrink alike,
    so the translation holds at every step of any schedule (see
    :func:`decoupled_shrink`).
    """
    check_range("alpha (the learning rate)", lr, 0.0, np.inf, low_open=True, high_open=True,
                meaning="the base learning rate, which one convention multiplies lambda by")
    return (decoupled_shrink(from_convention, lr, weight_decay)
            / _decay_multiplier(to_convention, lr))
