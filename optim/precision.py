"""Adam in low precision: float32, bfloat16 and float16, as torch computes them on a CPU.

A number format keeps a fixed count of significant bits and a range of exponents:

========  ===========  ===================  ====================
format    significand  smallest subnormal   largest
========  ===========  ===================  ====================
float32   24 bits      :math:`2^{-149}`     :math:`3.4\\times 10^{38}`
bfloat16  8 bits       :math:`2^{-133}`     :math:`3.4\\times 10^{38}`
float16   11 bits      :math:`2^{-24} \\approx 5.96\\times 10^{-8}`   65504
========  ===========  ===================  ====================

Three things go wrong when Adam's weights and state are stored in them:

* **0/0.**  In float16, :math:`\\epsilon = 10^{-8}` is below half the smallest
  subnormal, so it rounds to 0; where the gradient has been 0, :math:`m = v = 0`
  and the step :math:`\\hat m / (\\sqrt{\\hat v} + \\epsilon)` is 0/0, NaN, at step 1
  (PyTorch issue #26218).  A larger :math:`\\epsilon` (1e-4, say) is a number in
  float16 and avoids it.
* **Underflow.**  torch adds :math:`(1 - \\beta_2) g^2` to :math:`v` in float32 and
  rounds the sum to float16: for :math:`g = 10^{-4}` that is :math:`10^{-11}`, and
  :math:`v` stays 0 although the gradient is not (with :math:`\\beta_2 = 0.999`, any
  :math:`|g| < 5.5\\times 10^{-3}` does this to a zero :math:`v`); with
  :math:`\\epsilon = 10^{-8}` the step is then :math:`m/0 = \\infty`.  Mixed
  precision (Micikevicius et al., 2018) keeps m and v in float32, and scales the loss
  by :math:`S` only for the 16-bit backward pass, unscaling before the update.  Here
  ``loss_scale`` leaves :math:`S` in the gradients Adam sees, which Adam tolerates:
  its step :math:`\\hat m / \\sqrt{\\hat v}` does not change (up to
  :math:`\\epsilon`, which acts as :math:`\\epsilon / S`), and :math:`(S g)^2` no
  longer underflows in a float16 v.
* **Lost updates.**  bfloat16 keeps float32's exponents but 8 significant bits, so
  a weight near 1 is a multiple of :math:`2^{-7}`; an update smaller than half that
  spacing (about 1/256 of the weight) rounds away, and Adam's step of about
  :math:`\\alpha = 10^{-3}` leaves it where it was.  Float32 master weights
  (Micikevicius et al., 2018) keep a float32 copy, apply every update there and
  round it to the low-precision format for the forward pass: small steps add up.

:func:`run_low_precision` performs ``torch.optim.Adam``'s single-tensor arithmetic
(``foreach=False``, torch 2.13) operation by operation, each result rounded to the
format as torch rounds it on a CPU: torch computes an operation on bfloat16 or
float16 tensors in float32 and rounds the result once, and its CPU kernels fuse a
multiply and an add into one rounding (``lerp`` and ``addcmul``).  Parameters, m, v
and every intermediate tensor are float32 arrays holding numbers of the format.
bfloat16 and float16 runs equal torch's bit for bit (tests/test_precision.py); a
parameter stored in float32 (float32 runs, master weights) may part from torch's
by an ulp now and then, because torch's float32 ``sqrt`` on a CPU is not correctly
rounded and NumPy's is (m and v stay equal to the bit).

References: Micikevicius et al., "Mixed Precision Training", ICLR 2018 (master
weights, loss scaling); Kalamkar et al., "A Study of BFLOAT16 for Deep Learning
Training", 2019; IEEE 754-2008 (binary16); PyTorch issue #26218 (eps in float16).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

from ._checks import check_range, check_steps
from .adam import Adam
from .runner import MAX_STEPS


class Format(NamedTuple):
    """A storage format's significant bits (the leading one included), smallest positive
    (subnormal) number and largest finite one."""

    significand_bits: int
    smallest_subnormal: float
    largest: float


FORMATS = {
    "float32": Format(24, 2.0 ** -149, float(np.finfo(np.float32).max)),
    "bfloat16": Format(8, 2.0 ** -133, (2 - 2.0 ** -7) * 2.0 ** 127),
    "float16": Format(11, 2.0 ** -24, 65504.0),
}


def round_to(x, dtype: str) -> np.ndarray:
    """``x`` rounded to the format ``dtype``, as a float32 array of its numbers.

    Rounding is to nearest, ties to even, with subnormals, overflow to infinity and
    infinities kept.  float64 input is first rounded to float32, as torch converts
    it (a double rounding: a float64 exactly between two float16 numbers after its
    float32 rounding may round the other way than directly).  float16 is NumPy's
    own type.  bfloat16 is float32's upper 16 bits: the 32-bit pattern plus
    ``0x7FFF`` plus its bit 16 (the last bit kept, for ties to even), then the low
    16 bits cleared; a carry moves the exponent up, to infinity past the largest
    bfloat16.  NaN becomes torch's quiet NaN, ``0x7FC0`` in bfloat16.
    """
    _check_dtype(dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        x = np.array(x, dtype=np.float32)
        if dtype == "float16":
            return x.astype(np.float16).astype(np.float32)
        if dtype == "bfloat16":
            bits = x.view(np.uint32)
            bits = (bits + np.uint32(0x7FFF) + ((bits >> 16) & 1)) & np.uint32(0xFFFF0000)
            return np.where(np.isnan(x), np.uint32(0x7FC00000).view(np.float32),
                            bits.view(np.float32))
    return x


def _fused_multiply_add(a, b, c) -> np.ndarray:
    """float32 ``a * b + c`` with one rounding, as torch's CPU kernels (built with FMA)
    compute it: the float64 product of two float32 numbers is exact; rounding the
    float64 sum to float32 is a second rounding, which differs from a true fused
    multiply-add only when that sum lands exactly halfway between two float32s."""
    return (np.multiply(a, b, dtype=np.float64) + c).astype(np.float32)


def _lerp(start, end, weight: float) -> np.ndarray:
    """torch's ``lerp`` in float32: ``start + w (end - start)`` when ``|w| < 0.5``,
    else ``end - (end - start)(1 - w)``, each a fused multiply-add."""
    w = np.float32(weight)
    diff = end - start
    if abs(w) < 0.5:
        return _fused_multiply_add(w, diff, start)
    return _fused_multiply_add(-diff, np.float32(1) - w, end)


class _Step(NamedTuple):
    """One Adam step's tensors: ``update`` is the float32 ``-step_size * m / denom``
    that torch's ``addcdiv`` adds to the parameter before rounding."""

    m: np.ndarray
    v: np.ndarray
    denom: np.ndarray
    update: np.ndarray
    param: np.ndarray


def _adam_step(param, grad, m, v, t: int, lr, beta1, beta2, eps, dtype: str) -> _Step:
    """``torch.optim.adam._single_tensor_adam`` for one tensor stored in ``dtype``."""
    m = round_to(_lerp(m, grad, 1 - beta1), dtype)                    # exp_avg.lerp_
    v = round_to(v * np.float32(beta2), dtype)                        # exp_avg_sq.mul_
    v = round_to(_fused_multiply_add(np.float32(1 - beta2) * grad, grad, v), dtype)  # addcmul_
    step_size = lr / (1 - beta1 ** t)                                 # Python floats
    denom = round_to(np.sqrt(v), dtype)
    denom = round_to(denom / np.float32((1 - beta2 ** t) ** 0.5), dtype)
    denom = round_to(denom + np.float32(eps), dtype)
    update = np.float32(-step_size) * m / denom                      # addcdiv_, in float32
    return _Step(m, v, denom, update, round_to(param + update, dtype))


@dataclass(frozen=True)
class Diagnosis:
    """What went wrong in a low-precision run.

    ``failed_at``: the first step at which a value became NaN or infinite (-1: none);
    ``quantity``: which one, in the order Adam computes them (:data:`QUANTITIES`):
    ``"gradient"`` (times the loss scale, rounded), ``"m"``, ``"v"``, ``"denominator"``
    (:math:`\\sqrt{\\hat v} + \\epsilon`), ``"step"`` (:math:`\\alpha \\hat m /
    (\\sqrt{\\hat v} + \\epsilon)`), ``"param"``, or ``"loss"`` at the new weights
    (``None`` if nothing broke); ``reason``: why, in words;
    ``lost_updates``: per step, how many weights (the master weights, if kept) had a
    step that float32 would have kept (at least half a float32 ulp of the weight) and
    that rounding to the format erased; ``squares_underflowed``: per step, how many
    coordinates had a nonzero gradient and still v = 0.
    """

    failed_at: int
    quantity: str | None
    reason: str
    lost_updates: np.ndarray
    squares_underflowed: np.ndarray

    @property
    def messages(self) -> list[str]:
        """The diagnosis as sentences for a page."""
        steps = len(self.lost_updates)
        out = [f"Step {self.failed_at}: {self.reason}"] if self.failed_at >= 0 else []
        for counts, what in ((self.squares_underflowed,
                              "(1 − β₂) g² underflowed to 0: v is 0 although the "
                              "gradient is not"),
                             (self.lost_updates,
                              "the update is smaller than half an ulp of the weight: lost")):
            if counts.any():
                out.append(f"In {np.count_nonzero(counts)} of {steps} steps, {what} "
                           f"({counts.sum()} times in all).")
        return out


@dataclass(frozen=True)
class LowPrecisionRun:
    """``weights``: ``(steps + 1, *shape)``, the low-precision weights the forward pass
    uses, row 0 the start; ``masters``: the float32 master weights likewise, or
    ``None``; ``m``, ``v``: Adam's moments as stored (float32 with master weights),
    row 0 zeros; ``losses``: ``(steps + 1,)`` at ``weights``, or ``None`` for a fixed
    gradient sequence.  From a failed step on, every row repeats the last finite one:
    no NaN or infinity leaves :func:`run_low_precision`."""

    weights: np.ndarray
    masters: np.ndarray | None
    m: np.ndarray
    v: np.ndarray
    losses: np.ndarray | None
    diagnosis: Diagnosis


def run_low_precision(gradients: Callable | np.ndarray, theta0, steps: int, *,
                      dtype: str = "float32", master_weights: bool = False,
                      lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                      eps: float = 1e-8, loss_scale: float = 1.0) -> LowPrecisionRun:
    """Adam from ``theta0`` for ``steps`` steps with weights, m and v stored in ``dtype``.

    ``gradients``: a sequence of at least ``steps`` gradients shaped like ``theta0``,
    or a function ``loss_and_grad(theta) -> (loss, grad)`` evaluated in float64 at the
    low-precision weights.  Each gradient is multiplied by ``loss_scale`` and rounded
    to ``dtype`` (the backward pass's format); the scale is not undone: Adam's step
    does not depend on it (but for eps, which acts as eps / loss_scale).
    ``master_weights``: Adam runs on a float32 copy (started at ``theta0`` in float32,
    its m and v in float32) and the weights are that copy rounded to ``dtype`` after
    every step, as torch's Adam on a float32 parameter copied to ``dtype``.
    """
    _check_dtype(dtype)
    check_steps(steps, 0, MAX_STEPS)
    Adam(lr=lr, beta1=beta1, beta2=beta2, eps=eps)  # Adam's checks, with its messages
    check_range("loss_scale", loss_scale, 0.0, np.inf, low_open=True, high_open=True,
                meaning="the factor that multiplies the loss, hence every gradient")
    fixed = not callable(gradients)
    theta0 = np.asarray(theta0, dtype=np.float64)
    if fixed and (np.ndim(gradients) != theta0.ndim + 1 or len(gradients) < steps
                  or np.shape(gradients)[1:] != theta0.shape):
        raise ValueError(f"gradients must hold at least {steps} gradients of shape "
                         f"{theta0.shape}; got the shape {np.shape(gradients)}.")
    state_dtype = "float32" if master_weights else dtype
    param = round_to(theta0, state_dtype)
    if not np.isfinite(round_to(param, dtype)).all():
        raise ValueError(f"theta0 must be finite in {dtype}, whose largest number is "
                         f"{FORMATS[dtype].largest:.5g}.")
    params, ms, vs = (np.zeros((steps + 1,) + param.shape, dtype=np.float32)
                      for _ in range(3))
    losses = np.empty(steps + 1)
    lost, underflowed = np.zeros(steps, dtype=np.int64), np.zeros(steps, dtype=np.int64)
    failed_at, quantity, reason = -1, None, ""
    with np.errstate(all="ignore"):
        params[0], m, v = param, ms[0], vs[0]
        losses[0], raw = _evaluate(gradients, 0, param, dtype)
        if not (fixed or np.isfinite(losses[0])):
            raise ValueError("The loss must be a finite number at theta0.")
        for t in range(1, steps + 1):
            grad = round_to(loss_scale * raw, dtype)
            step = _adam_step(param, grad, m, v, t, lr, beta1, beta2, eps, state_dtype)
            quantity, loss = _first_failure(grad, step), np.nan
            if quantity is None and (t < steps or not fixed):
                loss, raw = _evaluate(gradients, t, step.param, dtype)
                quantity = None if fixed or np.isfinite(loss) else "loss"
            if quantity is not None:
                failed_at = t
                reason = _why(quantity, grad, step, dtype, eps, beta2)
                params[t:], ms[t:], vs[t:], losses[t:] = param, m, v, losses[t - 1]
                break
            # lost: a step float32 would have kept (at least half a float32 ulp of the
            # weight) that left the weight where it was: the format's doing, not float32's
            kept_in_float32 = np.abs(step.update) >= 0.5 * np.spacing(np.abs(param))
            lost[t - 1] = np.count_nonzero(kept_in_float32 & (step.param == param))
            underflowed[t - 1] = np.count_nonzero((grad != 0) & (step.v == 0))
            param, m, v = step.param, step.m, step.v
            params[t], ms[t], vs[t], losses[t] = param, m, v, loss
    diagnosis = Diagnosis(failed_at, quantity, reason, lost, underflowed)
    return LowPrecisionRun(_weights(params, dtype),
                           params.astype(np.float64) if master_weights else None,
                           ms.astype(np.float64), vs.astype(np.float64),
                           None if fixed else losses, diagnosis)


def _evaluate(gradients, t: int, param, dtype: str) -> tuple[float, np.ndarray]:
    """The loss (NaN for a fixed sequence) at ``param`` and the gradient of step t + 1."""
    if callable(gradients):
        loss, grad = gradients(_weights(param, dtype))
        return float(loss), np.asarray(grad, dtype=np.float64)
    return np.nan, np.asarray(gradients[t], dtype=np.float64)


#: the quantities of a step, in the order Adam computes them
QUANTITIES = ("gradient", "m", "v", "denominator", "step", "param", "loss")


def _first_failure(grad, step: _Step) -> str | None:
    """The first array of this step holding a NaN or an infinity, or ``None``."""
    values = (grad, step.m, step.v, step.denom, step.update, step.param)
    for name, value in zip(QUANTITIES, values):
        if not np.isfinite(value).all():
            return name
    return None


def _why(quantity: str, grad, step: _Step, dtype: str, eps: float, beta2: float) -> str:
    """Why ``quantity`` is not finite, in words."""
    largest = FORMATS[dtype].largest
    if quantity == "loss":
        return "the loss is not a finite number at these weights."
    if quantity == "gradient":
        if np.isnan(grad).any():
            return "the gradient is not a number (NaN)."
        return (f"the gradient times the loss scale is beyond {dtype}'s largest number, "
                f"{largest:.5g}: it became infinite.")
    if quantity != "step":
        return f"{quantity} overflowed: it is beyond {dtype}'s largest number, {largest:.5g}."
    bad, zero = ~np.isfinite(step.update), step.denom == 0
    nan, inf = bad & zero & (step.m == 0), bad & zero & (step.m != 0)
    reasons = []
    if nan.any():
        reasons.append(f"eps = {eps:g} is 0 in {dtype}, and v is 0 where the gradient has "
                       f"been 0: 0/0 = NaN ({_count(nan)})")
    if inf.any():
        g = np.abs(grad[inf]).max()
        reasons.append(f"eps = {eps:g} is 0 in {dtype}, and (1 − β₂) g² = "
                       f"{(1 - beta2) * float(g) ** 2:.2g} underflowed to 0 in v (below half "
                       f"of {dtype}'s smallest number, {FORMATS[dtype].smallest_subnormal:.3g}) "
                       f"although the gradient is not (|g| = {g:.2g}): m/0 = ∞ "
                       f"({_count(inf)})")
    if (bad & ~zero).any():
        reasons.append(f"the step overflowed {dtype} ({_count(bad & ~zero)})")
    return "; ".join(reasons) + "."


def _count(mask: np.ndarray) -> str:
    return f"{np.count_nonzero(mask)} of {mask.size} coordinates"


def _weights(param, dtype: str) -> np.ndarray:
    """The weights the forward pass sees, as float64."""
    return round_to(param, dtype).astype(np.float64)


def _check_dtype(dtype: str) -> None:
    if dtype not in FORMATS:
        raise ValueError(f"dtype must be one of {', '.join(FORMATS)}; got {dtype!r}.")
