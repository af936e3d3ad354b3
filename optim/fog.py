"""Fog: a seeded model of noisy (stochastic) gradients.

The hiker in the fog feels the slope only roughly.  At step ``t`` every run
receives

.. math::
    \\tilde g_t = \\nabla f(\\theta_{t-1}) + \\sigma\\, \\xi_t,
    \\qquad \\xi_t \\sim \\mathcal N(0, I_2)

where :math:`\\sigma` is the fog level (in gradient units) and the sequence
:math:`\\xi_1, \\xi_2, \\ldots` is drawn from a generator seeded by ``seed``.
With one ``seed``, all runs in a batch share the same :math:`\\xi_t` (the same
weather for every hiker), so racers and grid cells are compared under identical
noise, and a run in a batch sees exactly the noise it would see alone.  With a
tuple of seeds, run i of a batch of shape ``(len(seeds), 2)`` gets the weather of
seed i: the same noise as a run alone with ``Fog(level, seeds[i])``, so a spread
over many fog seeds is one batched run.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import check_range


@dataclass(frozen=True)
class Fog:
    """Additive Gaussian gradient noise of standard deviation ``level``."""

    level: float = 0.0
    seed: int | tuple[int, ...] = 0

    def __post_init__(self):
        check_range("fog level", self.level, 0.0, np.inf, high_open=True,
                    meaning="the spread of the noise added to each gradient")
        seeds = self.seed if isinstance(self.seed, tuple) else (self.seed,)
        if not seeds or not all(isinstance(s, (int, np.integer)) and s >= 0 for s in seeds):
            raise ValueError("fog seed must be a whole number 0 or above, or a tuple of them; "
                             f"got {self.seed!r}.")

    def noise(self, steps: int) -> np.ndarray:
        """The noise for steps 1..steps, shape ``(steps, 2)`` (row t-1 is step t), or
        ``(steps, len(seeds), 2)`` for a tuple of seeds."""
        if isinstance(self.seed, tuple):
            return np.stack([Fog(self.level, s).noise(steps) for s in self.seed], axis=1)
        rng = np.random.default_rng(int(self.seed))
        return self.level * rng.standard_normal((steps, 2))
