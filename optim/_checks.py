"""Validation of hyperparameters, with messages a learner can act on.

Hyperparameters may be Python numbers or NumPy arrays (one value per run of a
batched grid); every element is checked.
"""
import numpy as np


def check_range(name, value, low, high, *, low_open=False, high_open=False, meaning=""):
    """Return ``value`` (a float or float64 array) if every element lies in the range.

    Raises ``ValueError`` naming the hyperparameter, the allowed range, what the
    hyperparameter means, and the offending value.
    """
    arr = np.asarray(value, dtype=np.float64)
    above = arr > low if low_open else arr >= low
    below = arr < high if high_open else arr <= high
    ok = np.isfinite(arr) & above & below
    if not np.all(ok):
        bad = arr[~ok].flat[0] if arr.ndim else float(arr)
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        upper = "inf" if np.isinf(high) else f"{high:g}"
        why = f" ({meaning})" if meaning else ""
        raise ValueError(
            f"{name} must be in {left}{low:g}, {upper}{right}{why}; got {bad:g}."
        )
    return float(arr) if arr.ndim == 0 else arr


def check_lr(value):
    return check_range("alpha (the learning rate)", value, 0.0, np.inf, high_open=True,
                       meaning="the size of a step; 0 means standing still")


def check_beta(name, value, meaning):
    return check_range(name, value, 0.0, 1.0, high_open=True, meaning=meaning)


def check_eps(value):
    return check_range("eps", value, 0.0, np.inf, high_open=True,
                       meaning="a small number added to the denominator so it is never zero")


def check_weight_decay(value):
    return check_range("weight_decay", value, 0.0, np.inf, high_open=True,
                       meaning="how strongly each weight is pulled toward zero")


def check_steps(steps, low, high):
    """Return ``steps`` if it is a whole number from ``low`` to ``high``."""
    if not isinstance(steps, (int, np.integer)) or not low <= steps <= high:
        raise ValueError(f"steps must be a whole number from {low} to {high}; got {steps!r}.")
    return steps
