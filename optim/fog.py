"""Fog: a seeded model of noisy (stochastic) gradients.

The hiker in the fog feels the slope only roughly.  At step ``t`` every run
receives

.. math::
    \\tilde g_t = \\nabla f(\\theta_{t-1}) + \\sigma\\, \\xi_t,
    \\qquad \\xi_t \\sim \\mathcal N(0, I_2)

where :math:`\\sigma` is the fog level (in gradient units) and the sequence
:math:`\\xi_1, \\xi_2, \\ldots` is drawn from a generator seeded by ``seed``.
All runs in a batch share the same :math:`\\xi_t` (the same weather for every
hiker), so racers and grid cells are compared under identical noise, and a run
in a batch sees exactly the noise it would see alone.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import check_range


@dataclass(frozen=True)
class Fog:
    """Additive Gaussian gradient noise of standard deviation ``level``."""

    level: float = 0.0
    seed: int = 0

    def __post_init__(self):
        check_range("fog level", self.level, 0.0, np.inf, high_open=True,
                    meaning="the spread of the noise added to each gradient")
        if not isinstance(self.seed, (int, np.integer)) or self.seed < 0:
            raise ValueError(f"fog seed must be a whole number 0 or above; got {self.seed!r}.")

    def noise(self, steps: int) -> np.ndarray:
        """The noise for steps 1..steps, shape ``(steps, 2)``: row t-1 is step t."""
        rng = np.random.default_rng(int(self.seed))
        return self.level * rng.standard_normal((steps, 2))
