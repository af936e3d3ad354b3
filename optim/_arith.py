"""Element-wise arithmetic in torch.optim's order, so float64 runs agree with it to the
last bits, and a batch of settings gives each run the bits it would get alone.
"""
import math

import numpy as np

_POW = np.frompyfunc(math.pow, 2, 1)


def power(base, exponent):
    """``base ** exponent`` as Python computes it on floats (C's ``pow``), element by
    element when an argument is an array.

    torch.optim computes its step-size scalars (``beta ** step``...) with Python
    floats; NumPy's vectorised ``pow`` may differ from C's in the last bit, which
    would also make a batched run differ from the same run alone.
    """
    if np.ndim(base) == 0 and np.ndim(exponent) == 0:
        return math.pow(base, exponent)
    return _POW(base, exponent).astype(np.float64)


def lerp_(start: np.ndarray, end, weight, scratch: np.ndarray | None = None) -> np.ndarray:
    """``start += weight * (end - start)`` in place, as ``torch.lerp`` rounds it:
    ``start + w (end - start)`` when ``|w| < 0.5``, else ``end - (end - start)(1 - w)``
    (exact at ``w = 1``).  ``weight`` may be an array; ``scratch`` (like ``start``),
    if given, is overwritten.  (torch's vectorised loop fuses the multiply-add, which
    NumPy cannot: the two differ by an ulp now and then.)"""
    diff = np.subtract(end, start, out=scratch)
    if np.ndim(weight) == 0:
        if abs(weight) < 0.5:
            diff *= weight
            start += diff
        else:
            diff *= 1 - weight
            np.subtract(end, diff, out=start)
        return start
    near_start = start + weight * diff
    near_end = end - diff * (1 - weight)
    np.copyto(start, np.where(np.abs(weight) < 0.5, near_start, near_end))
    return start
