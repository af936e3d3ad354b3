"""Learning-rate schedules: the step size of update t is :math:`\\alpha_t = \\alpha\\, f(t)`.

A schedule is a small immutable object (a frozen dataclass) whose
``factors(steps)`` gives :math:`f(t)` for :math:`t = 1, \\ldots, steps`: step t is
the t-th optimizer update.  The runners (``optim.runner.run``,
``optim.training.train``, ``optim.online.run_online``) take ``schedule=`` and call
the optimizer with ``lr = optimizer.lr * f(t)`` at step t; ``optimizer.lr`` may be an
array, one rate per run.  For a chart of the rates: ``alpha * schedule.factors(steps)``.

Each schedule gives the learning rates of a ``torch.optim.lr_scheduler`` object
(named in its docstring) stepped once after every ``optimizer.step()``, as PyTorch
asks: torch's epoch :math:`e` is our step :math:`t = e + 1`.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ._checks import check_range


def _check_whole(name: str, value, low: int, meaning: str) -> int:
    """``value`` if it is a whole number of at least ``low``, else a ValueError saying why."""
    if (isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer))
            or value < low):
        raise ValueError(f"{name} must be a whole number of steps, at least {low} ({meaning}); "
                         f"got {value!r}.")
    return int(value)


def _steps(n: int) -> str:
    return "1 step" if n == 1 else f"{n} steps"


class Schedule:
    """Base class: ``factors`` evaluates the subclass's formula at t = 1..steps."""

    def factors(self, steps: int) -> np.ndarray:
        """The multiplier of the base learning rate at steps t = 1..steps, shape ``(steps,)``."""
        _check_whole("steps", steps, 0, "how many updates to schedule")
        return self._at(np.arange(1, steps + 1, dtype=np.float64))

    def _at(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover - every subclass overrides
        raise NotImplementedError


@dataclass(frozen=True)
class Constant(Schedule):
    """The same step size at every step: :math:`f(t) = 1`.

    torch: ``LambdaLR(optimizer, lambda epoch: 1.0)`` (or no scheduler at all).
    """

    @property
    def label(self) -> str:
        return "constant α"

    def _at(self, t):
        return np.ones_like(t)


@dataclass(frozen=True)
class LinearWarmup(Schedule):
    """A linear warm-up over ``warmup`` steps, then the full step size:

    .. math::
        f(t) = \\min\\left(1, \\frac{t}{w}\\right)

    The form Ma & Yarats (2021, "On the adequacy of untuned warmup for adaptive
    optimization", AAAI) use for Adam, with :math:`w = 2 / (1 - \\beta_2)`.
    ``warmup=1`` is no warm-up.

    torch: ``LinearLR(optimizer, start_factor=1 / w, total_iters=w - 1)``.
    """

    warmup: int

    def __post_init__(self):
        _check_whole("warmup", self.warmup, 1,
                     "the step at which the learning rate reaches its full value")

    @property
    def label(self) -> str:
        return f"linear warm-up over {_steps(self.warmup)}"

    def _at(self, t):
        return np.minimum(1.0, t / self.warmup)


def warmup_rule(beta2: float) -> int:
    """Ma & Yarats's untuned warm-up length for Adam, :math:`2 / (1 - \\beta_2)` steps
    (rounded): about twice the number of squared gradients :math:`v` averages."""
    check_range("beta2", beta2, 0.0, 1.0, high_open=True,
                meaning="the fraction of the old squared-gradient average kept each step")
    return round(2 / (1 - beta2))


@dataclass(frozen=True)
class WarmupCosine(Schedule):
    """A linear warm-up, then a cosine decay from 1 down to ``min_factor`` at step
    ``total``, held after it.  With :math:`w = \\max(\\text{warmup}, 1)`, :math:`T` the
    total and :math:`m` the minimum factor:

    .. math::
        f(t) = \\begin{cases}
            t / w & t \\le w \\\\
            m + (1 - m)\\, \\frac{1}{2}\\left(1 + \\cos\\left(\\pi\\,\\frac{t - w}{T - w}
                \\right)\\right) & w \\le t \\le T \\\\
            m & t \\ge T
        \\end{cases}

    Cosine annealing is from Loshchilov & Hutter (2017, "SGDR: Stochastic gradient
    descent with warm restarts", ICLR), here without restarts.  ``warmup=0`` and
    ``warmup=1`` are the same: the first step takes the full rate.

    torch: ``SequentialLR(optimizer, [LinearLR(start_factor=1 / w, total_iters=w - 1),
    CosineAnnealingLR(T_max=T - w, eta_min=m * lr), ConstantLR(factor=m,
    total_iters=longer than the run)], milestones=[w - 1, T])``; the ConstantLR holds
    :math:`m` after step T, where CosineAnnealingLR alone would climb back up.
    """

    total: int
    warmup: int = 0
    min_factor: float = 0.0

    def __post_init__(self):
        _check_whole("warmup", self.warmup, 0,
                     "the step at which the learning rate reaches its full value; 0 for none")
        _check_whole("total", self.total, 2, "the step at which the decay ends")
        if self.total <= self.warmup:
            raise ValueError(f"total must come after the warm-up, so the cosine has at least "
                             f"one step to fall in; got total={self.total} with "
                             f"warmup={self.warmup}.")
        check_range("min_factor", self.min_factor, 0.0, 1.0,
                    meaning="the fraction of the learning rate left at the end of the decay")

    @property
    def label(self) -> str:
        floor = f"α × {self.min_factor:g}" if self.min_factor else "0"
        warm = f", after a {self.warmup}-step warm-up" if self.warmup > 1 else ""
        return f"cosine decay to {floor} at step {self.total}{warm}"

    def _at(self, t):
        w, total, low = max(self.warmup, 1), self.total, self.min_factor
        # torch's closed form, term for term: eta_min + (lr - eta_min) (1 + cos(pi e / T_max)) / 2
        cosine = low + (1 - low) * (1 + np.cos(np.pi * (t - w) / (total - w))) / 2
        return np.where(t < w, t / w, np.where(t < total, cosine, low))


@dataclass(frozen=True)
class InverseSqrt(Schedule):
    """The decay of the paper's logistic-regression experiment (Kingma & Ba, 2015,
    section 6.1): :math:`\\alpha_t = \\alpha / \\sqrt{t}`, that is

    .. math::
        f(t) = \\frac{1}{\\sqrt{t}}

    torch: ``LambdaLR(optimizer, lambda epoch: 1 / math.sqrt(epoch + 1))``.
    """

    @property
    def label(self) -> str:
        return "α/√t"

    def _at(self, t):
        return 1 / np.sqrt(t)


@dataclass(frozen=True)
class StepDecay(Schedule):
    """The step size multiplied by ``gamma`` every ``step_size`` steps:

    .. math::
        f(t) = \\gamma^{\\lfloor (t - 1) / s \\rfloor}

    torch: ``StepLR(optimizer, step_size=s, gamma=gamma)``.
    """

    step_size: int
    gamma: float = 0.1

    def __post_init__(self):
        _check_whole("step_size", self.step_size, 1,
                     "how many steps pass between two cuts of the learning rate")
        check_range("gamma", self.gamma, 0.0, 1.0, low_open=True,
                    meaning="the factor each cut multiplies the learning rate by")

    @property
    def label(self) -> str:
        return f"α × {self.gamma:g} every {_steps(self.step_size)}"

    def _at(self, t):
        return self.gamma ** ((t - 1) // self.step_size)


def step_lrs(schedule: Schedule | None, base_lr, steps: int):
    """The learning rate to give the optimizer at steps 1..steps, one at a time:
    ``base_lr * factor`` (``base_lr`` may be an array, one rate per run), or ``None``
    throughout without a schedule (the optimizer then uses its own ``lr``)."""
    if schedule is None:
        return itertools.repeat(None, steps)
    return (base_lr * factor for factor in schedule.factors(steps))
