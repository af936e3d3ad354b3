"""Optimizers that see a weight matrix as a matrix: Adafactor and Muon.

Both act on parameters of shape ``(*batch, rows, cols)``: the last two axes are
one matrix, factored (Adafactor) or orthogonalised (Muon) on its own, and the
leading axes are a batch of independent runs (``np.matmul`` broadcasts), so a
batch equals the runs done one by one.  Array hyperparameters give one value per
matrix: shape ``(*batch, 1, 1)`` (Adafactor on vectors: ``(*batch, 1)``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ._arith import lerp_, power
from ._checks import check_beta, check_eps, check_lr, check_range, check_weight_decay
from .base import Internals, Optimizer, State, scratch


def _norm(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """The 2-norm over ``axes`` (-1, -2 or both; kept as length-1 axes).

    The squares are summed in one order whatever the batch and the memory layout
    (last axis first, on a C-ordered copy), so a batch gives each run the bits it
    would get alone."""
    total = np.square(x, out=np.empty(x.shape))
    for axis in sorted(axes, reverse=True):
        total = np.sum(total, axis=axis, keepdims=True)
    return np.sqrt(total)


def _check_one_per_matrix(optimizer: Optimizer, matrix_axes: int):
    """Array hyperparameters must give one value per matrix (or vector)."""
    values = optimizer.hyperparameters()
    named = [(name, value) for name, value in values.items() if name != "ns_coefficients"]
    named += [("ns_coefficients", value) for value in values.get("ns_coefficients", ())]
    for name, value in named:
        shape = np.shape(value)
        if isinstance(value, np.ndarray) and shape and (
                len(shape) < matrix_axes or any(n != 1 for n in shape[-matrix_axes:])):
            what, ones = ("matrix", "1, 1") if matrix_axes == 2 else ("vector", "1")
            raise ValueError(
                f"{name}: an array of settings gives one value per {what}, so its shape "
                f"must end in ({ones}) and broadcast over the batch axes, (..., {ones}); "
                f"got the shape {shape}.")


@dataclass(frozen=True)
class Adafactor(Optimizer):
    """Adafactor (Shazeer & Stern, "Adafactor: Adaptive Learning Rates with Sublinear
    Memory Cost", ICML 2018), in PyTorch's variant (``torch.optim.Adafactor``).

    No first moment; the second moment of an n x m matrix is kept as n row and m
    column averages, n + m numbers instead of n m.  With ``beta2_decay`` :math:`c`,
    ``lr`` :math:`\\alpha`, ``eps1``, ``eps2``, ``d``, ``weight_decay`` :math:`\\lambda`,
    and :math:`\\mathrm{RMS}(x) = \\lVert x \\rVert_2 / \\sqrt{\\text{size of } x}`:

    .. math::
        \\hat\\beta_{2,t} &= 1 - t^{c}, \\qquad
        \\rho_t = \\min\\!\\left(\\alpha, \\tfrac{1}{\\sqrt t}\\right), \\qquad
        \\alpha_t = \\max(\\epsilon_2, \\mathrm{RMS}(\\theta_{t-1}))\\, \\rho_t \\\\
        \\theta &\\leftarrow (1 - \\alpha\\lambda)\\, \\theta
              \\quad\\text{(decoupled weight decay)} \\\\
        R_t &= \\hat\\beta_{2,t} R_{t-1}
               + (1 - \\hat\\beta_{2,t})\\, \\mathrm{mean}_j\\, g_{t,ij}^2, \\qquad
        C_t = \\hat\\beta_{2,t} C_{t-1} + (1 - \\hat\\beta_{2,t})\\, \\mathrm{mean}_i\\, g_{t,ij}^2
        \\\\
        \\hat V_t &= \\frac{R_t C_t^\\top}{\\mathrm{mean}_i R_{t,i}}
               \\quad\\text{(a vector keeps } \\hat V_t = \\hat\\beta_{2,t} \\hat V_{t-1}
               + (1 - \\hat\\beta_{2,t})\\, g_t^2) \\\\
        U_t &= \\frac{g_t}{\\sqrt{\\max(\\hat V_t, \\epsilon_1^2)}}, \\qquad
        \\theta_t = \\theta_{t-1} - \\frac{\\alpha_t}{\\max(1, \\mathrm{RMS}(U_t) / d)}\\, U_t

    At :math:`t = 1`, :math:`\\hat\\beta_{2,1} = 0`: the averages start at the first
    squared gradient and need no bias correction.  The step is relative to the
    weights' own size (:math:`\\alpha_t`), and an update whose RMS exceeds ``d`` is
    scaled back to ``d``.  PyTorch's departures from the paper, kept here: the
    relative step is :math:`\\min(\\alpha, 1/\\sqrt t)` where the paper fixes
    :math:`\\alpha = 10^{-2}`; :math:`\\epsilon_1` bounds :math:`\\hat V_t` from below
    (squared) instead of being added to it; ``eps1=None`` means float64's machine
    epsilon; no first moment.

    ``factored``: ``True`` (default) factors the last two axes of any parameter with
    two or more (torch factors every parameter that is not a vector) and treats a
    1-D parameter as one vector; ``False`` treats the last axis as a vector and the
    leading axes as a batch (for the runs on 2-D surfaces, whose parameters are
    ``(*batch, 2)``).  State: ``row_var``, ``col_var`` (or ``v`` for vectors).
    Internals: ``v`` is :math:`\\hat V_t`; ``effective_lr`` is
    :math:`\\alpha_t / (\\max(1, \\mathrm{RMS}(U_t)/d) \\sqrt{\\max(\\hat V_t,
    \\epsilon_1^2)})`, which multiplies the gradient ``g``.
    """

    lr: float | np.ndarray = 1e-2
    beta2_decay: float | np.ndarray = -0.8
    eps1: float | np.ndarray | None = None
    eps2: float | np.ndarray = 1e-3
    d: float | np.ndarray = 1.0
    weight_decay: float | np.ndarray = 0.0
    factored: bool = True

    label = "Adafactor"

    def __post_init__(self):
        check_lr(self.lr)
        check_range("beta2_decay", self.beta2_decay, -np.inf, 0.0, low_open=True,
                    meaning="the power of the step count t in 1 - beta2 = t^beta2_decay: "
                            "how fast old squared gradients are forgotten")
        if self.eps1 is not None:
            check_range("eps1", self.eps1, 0.0, np.inf, high_open=True,
                        meaning="the smallest second moment divided by, squared; None "
                                "means machine epsilon")
        check_range("eps2", self.eps2, 0.0, np.inf, high_open=True,
                    meaning="the smallest weight RMS the step is relative to")
        check_range("d", self.d, 1.0, np.inf, high_open=True,
                    meaning="the clipping threshold: an update whose RMS exceeds d is "
                            "scaled back to d")
        check_weight_decay(self.weight_decay)
        if not isinstance(self.factored, (bool, np.bool_)):
            raise ValueError(f"factored must be True or False; got {self.factored!r}.")
        _check_one_per_matrix(self, 2 if self.factored else 1)

    @cached_property
    def _has_decay(self) -> bool:
        return bool(np.any(self.weight_decay))

    def init(self, params) -> State:
        params = np.asarray(params, dtype=np.float64)
        if params.ndim == 0:
            raise ValueError("Adafactor needs a vector or matrices of parameters, not a "
                             "single number.")
        if not (self.factored and params.ndim >= 2):
            return State(0, v=np.zeros_like(params))
        shape = params.shape
        return State(0, row_var=np.zeros(shape[:-1] + (1,)),
                     col_var=np.zeros(shape[:-2] + (1, shape[-1])))

    def update_inplace(self, params, grads, state, internals=False, work=None, lr=None):
        t = state.t + 1
        lr = self.lr if lr is None else lr
        a, b = scratch(params, work)
        factored = state.row_var is not None
        axes = (-2, -1) if factored else (-1,)
        size = math.prod(params.shape[-len(axes):])
        eps1 = np.finfo(np.float64).eps if self.eps1 is None else self.eps1
        one_minus_beta2_t = power(float(t), self.beta2_decay)
        rho = np.minimum(lr, 1 / power(float(t), 0.5))
        alpha = np.maximum(self.eps2, _norm(params, axes) / power(size, 0.5)) * rho
        if self._has_decay:
            params *= 1 - lr * self.weight_decay
        if factored:
            rows, cols = params.shape[-2:]
            row_mean = _norm(grads, (-1,))              # torch: norm(g, dim=-1)^2 / cols
            row_mean *= row_mean
            row_mean /= cols
            lerp_(state.row_var, row_mean, one_minus_beta2_t)
            col_mean = _norm(grads, (-2,))
            col_mean *= col_mean
            col_mean /= rows
            lerp_(state.col_var, col_mean, one_minus_beta2_t)
            var = np.multiply(state.row_var, state.col_var, out=a)
            var /= np.maximum(np.sum(state.row_var, axis=-2, keepdims=True) / rows, eps1)
        else:
            lerp_(state.v, np.multiply(grads, grads, out=a), one_minus_beta2_t, b)
            var = a
            var[...] = state.v
        update = np.maximum(var, eps1 * eps1, out=b)   # torch: clamp_(eps1^2).rsqrt_()
        np.sqrt(update, out=update)
        np.divide(1.0, update, out=update)
        update *= grads
        denom = np.maximum(1.0, _norm(update, axes) / (power(size, 0.5) * self.d))
        scale = -alpha / denom
        update *= scale
        params += update
        inside = None
        if internals:
            inside = Internals(g=np.array(grads), m=None, v=var.copy(), m_hat=None,
                               v_hat=None,
                               effective_lr=-scale / np.sqrt(np.maximum(var, eps1 * eps1)),
                               step=-update)
        return state._replace(t=t), inside


#: Keller Jordan's quintic Newton-Schulz coefficients, torch.optim.Muon's default
NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)

ADJUST_LR_FNS = (None, "original", "match_rms_adamw")


def newton_schulz(matrix: np.ndarray, coefficients=NS_COEFFICIENTS, steps: int = 5,
                  eps=1e-7) -> np.ndarray:
    """Newton-Schulz orthogonalisation of the last two axes (float64), as
    ``torch.optim._muon._zeropower_via_newtonschulz`` without its bfloat16 cast.

    Normalises by the Frobenius norm, then iterates :math:`X \\leftarrow aX +
    (bA + cA^2)X` with :math:`A = XX^\\top`, on the wide orientation (a tall matrix is
    transposed, so the Gram matrix :math:`A` is the smaller one).  The result is
    close to :math:`UV^\\top` for :math:`USV^\\top` the SVD, its singular values
    near 1 rather than equal to 1 (the coefficients trade accuracy for speed).
    """
    a, b, c = coefficients
    tall = matrix.shape[-2] > matrix.shape[-1]
    x = np.ascontiguousarray(np.swapaxes(matrix, -1, -2) if tall else matrix)
    x = x / np.maximum(_norm(x, (-2, -1)), eps)
    for _ in range(steps):
        gram = x @ np.swapaxes(x, -1, -2)
        x = a * x + (b * gram + c * (gram @ gram)) @ x
    return np.swapaxes(x, -1, -2) if tall else x


@dataclass(frozen=True)
class Muon(Optimizer):
    """Muon (Jordan et al., 2024, "Muon: An optimizer for hidden layers in neural
    networks", https://kellerjordan.github.io/posts/muon/; ``torch.optim.Muon``):
    momentum, then every singular value of the update set to about 1.

    With ``momentum`` :math:`\\mu`, ``lr`` :math:`\\alpha`, ``weight_decay``
    :math:`\\lambda`, ``ns_coefficients`` :math:`(a, b, c)`, ``ns_steps`` :math:`k`,
    :math:`B_0 = 0`, for a matrix of ``rows`` x ``cols``:

    .. math::
        B_t &= \\mu B_{t-1} + (1 - \\mu)\\, g_t, \\qquad
        \\tilde B_t = \\begin{cases} (1 - \\mu)\\, g_t + \\mu B_t & \\text{Nesterov} \\\\
                                   B_t & \\text{otherwise} \\end{cases} \\\\
        X_0 &= \\tilde B_t / \\max(\\lVert \\tilde B_t \\rVert_F, \\epsilon), \\qquad
        X_{j+1} = a X_j + (b A_j + c A_j^2) X_j, \\quad A_j = X_j X_j^\\top, \\qquad
        O_t = X_k \\\\
        \\theta &\\leftarrow (1 - \\alpha\\lambda)\\, \\theta, \\qquad
        \\theta_t = \\theta - \\alpha s\\, O_t, \\quad
        s = \\begin{cases} \\sqrt{\\max(1, \\text{rows}/\\text{cols})} &
                          \\text{adjust\\_lr\\_fn None or "original" (Keller Jordan)} \\\\
                          0.2 \\sqrt{\\max(\\text{rows}, \\text{cols})} &
                          \\text{"match\\_rms\\_adamw" (Moonshot: Liu et al., 2025)}
            \\end{cases}

    (torch's docstring writes :math:`B_t = \\mu B_{t-1} + g_t`; its code averages,
    as here.  The two differ by the factor :math:`1 - \\mu`, which the
    normalisation removes unless :math:`\\epsilon` is reached.)  A tall matrix is
    orthogonalised as its transpose, as in torch.

    **Precision.** PyTorch runs the Newton-Schulz iteration in bfloat16 (8
    significant bits); this engine runs it in float64.  The fixtures prove it twice:
    (a) against torch's own Muon step with only the bfloat16 cast removed (its
    ``_zeropower_via_newtonschulz`` recompiled from its source without
    ``.bfloat16()``), to a relative error of 1e-12; (b) against stock
    ``torch.optim.Muon``, to a bfloat16 tolerance (see
    ``tests/test_torch_equivalence.py``).

    State: the momentum buffer ``m``.  Internals: ``m`` is :math:`B_t`, ``m_hat`` is
    :math:`\\tilde B_t` (what is orthogonalised), ``effective_lr`` is :math:`\\alpha s`
    (one number per matrix, which multiplies :math:`O_t`), ``step`` is
    :math:`\\alpha s O_t`.
    """

    lr: float | np.ndarray = 1e-3
    weight_decay: float | np.ndarray = 0.1
    momentum: float | np.ndarray = 0.95
    nesterov: bool = True
    ns_coefficients: tuple = NS_COEFFICIENTS
    eps: float | np.ndarray = 1e-7
    ns_steps: int = 5
    adjust_lr_fn: str | None = None

    label = "Muon"

    def __post_init__(self):
        check_lr(self.lr)
        check_weight_decay(self.weight_decay)
        check_beta("momentum", self.momentum,
                   "the fraction of the old momentum buffer kept each step")
        if not isinstance(self.nesterov, (bool, np.bool_)):
            raise ValueError(f"nesterov must be True or False; got {self.nesterov!r}.")
        if not (isinstance(self.ns_coefficients, (tuple, list))
                and len(self.ns_coefficients) == 3):
            raise ValueError("ns_coefficients must be three numbers (a, b, c): each "
                             "Newton-Schulz step maps X to aX + (bA + cA^2)X with A = XX^T; "
                             f"got {self.ns_coefficients!r}.")
        object.__setattr__(self, "ns_coefficients", tuple(self.ns_coefficients))
        for name, value in zip("abc", self.ns_coefficients):
            check_range(f"ns_coefficients {name}", value, -np.inf, np.inf, low_open=True,
                        high_open=True, meaning="a coefficient of the Newton-Schulz step")
        check_eps(self.eps)
        if (isinstance(self.ns_steps, (bool, np.bool_))
                or not isinstance(self.ns_steps, (int, np.integer))
                or not 0 <= self.ns_steps < 100):
            raise ValueError("ns_steps must be a whole number from 0 to 99 (how many "
                             f"Newton-Schulz steps orthogonalise the update); got "
                             f"{self.ns_steps!r}.")
        if self.adjust_lr_fn not in ADJUST_LR_FNS:
            raise ValueError("adjust_lr_fn must be None or 'original' (scale lr by "
                             "sqrt(max(1, rows/cols))) or 'match_rms_adamw' (by "
                             f"0.2 sqrt(max(rows, cols))); got {self.adjust_lr_fn!r}.")
        _check_one_per_matrix(self, 2)

    def lr_ratio(self, rows: int, cols: int) -> float:
        """What ``adjust_lr_fn`` multiplies the learning rate by for a rows x cols matrix."""
        if self.adjust_lr_fn == "match_rms_adamw":
            return 0.2 * math.sqrt(max(rows, cols))
        return math.sqrt(max(1, rows / cols))

    @cached_property
    def _has_decay(self) -> bool:
        return bool(np.any(self.weight_decay))

    def init(self, params) -> State:
        params = np.asarray(params, dtype=np.float64)
        if params.ndim < 2:
            raise ValueError("Muon works on matrices: params must have the shape "
                             f"(..., rows, cols); got the shape {params.shape}.")
        return State(0, m=np.zeros_like(params))

    def update_inplace(self, params, grads, state, internals=False, work=None, lr=None):
        lr = self.lr if lr is None else lr
        a, b = scratch(params, work)
        buf = state.m
        lerp_(buf, grads, 1 - self.momentum, a)
        direction = buf
        if self.nesterov:                          # torch: grad.lerp(buf, momentum)
            b[...] = grads
            direction = lerp_(b, buf, self.momentum, a)
        ortho = newton_schulz(direction, self.ns_coefficients, self.ns_steps, self.eps)
        adjusted_lr = lr * self.lr_ratio(*params.shape[-2:])
        if self._has_decay:
            params *= 1 - lr * self.weight_decay
        step = np.multiply(ortho, -adjusted_lr, out=ortho)
        params += step
        inside = None
        if internals:
            inside = Internals(
                g=np.array(grads), m=buf.copy(), v=None, m_hat=np.array(direction), v_hat=None,
                effective_lr=np.broadcast_to(adjusted_lr, params.shape).copy(), step=-step)
        return State(state.t + 1, m=buf), inside
