"""Minibatch training of a small model, many runs at once.

``train`` runs one optimizer on a model for ``steps`` minibatch updates.  The
parameters carry a leading axis of seeds (each seed draws its own minibatch
order) and any further run axes before the model's own (e.g. one learning rate
per row, as array hyperparameters of shape ``(A, 1, 1)``).  Every seed's
minibatch is shared by the runs on that seed, so settings are compared on the
same data.

An optional learning-rate schedule (:mod:`optim.schedules`) sets each step's rate, e.g.
``schedule=InverseSqrt()``: :math:`\\alpha_t = \\alpha/\\sqrt{t}`, as in the paper's
logistic-regression experiment (Kingma & Ba, 2015, section 6.1).
A run whose loss stops being finite is flagged as diverged at that step and frozen.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._checks import check_steps
from .base import Internals, Optimizer, State
from .runner import MAX_STEPS
from .schedules import Schedule, step_lrs


@dataclass(frozen=True)
class Training:
    """``losses``: (steps, *runs) minibatch loss before each update;
    ``eval_steps`` and ``eval_losses`` (len(eval_steps), *runs): the full-data loss;
    ``params`` and ``state``: at the end; ``last``: the internals of the last update;
    ``updates_received``: per parameter, in how many steps its gradient was not zero;
    ``diverged_at``: step or -1."""

    losses: np.ndarray
    eval_steps: np.ndarray
    eval_losses: np.ndarray
    params: np.ndarray
    state: State
    last: Internals
    updates_received: np.ndarray
    diverged_at: np.ndarray


def _batches(n: int, batch_size: int, seed: int):
    """Minibatch indices from reshuffled passes over n examples."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(n)
        for i in range(0, n - batch_size + 1, batch_size):
            yield order[i:i + batch_size]


def train(loss_and_grad: Callable, optimizer: Optimizer, params, X: np.ndarray, y: np.ndarray, *,
          param_rank: int, steps: int, batch_size: int, seeds,
          schedule: Schedule | None = None, eval_every: int = 0,
          on_step: Callable[[int], None] | None = None) -> Training:
    """Train; ``params`` has shape (len(seeds), *run axes, *model shape) with a model
    shape of ``param_rank`` axes. ``schedule``: the learning rate of step t is
    ``optimizer.lr`` times its factor at t (``None``: ``optimizer.lr`` throughout).
    ``on_step(t)`` is called after each step (progress)."""
    seeds = [int(s) for s in np.atleast_1d(seeds)]
    check_steps(steps, 1, MAX_STEPS)
    if not 1 <= batch_size <= len(X):
        raise ValueError(f"batch_size must be between 1 and {len(X)}; got {batch_size}.")
    params = np.array(params, dtype=np.float64)
    runs = params.shape[:params.ndim - param_rank]
    if runs[:1] != (len(seeds),):
        raise ValueError("params must start with one axis per seed.")
    expand = (slice(None),) + (None,) * (len(runs) - 1)  # seed axis, then broadcast runs
    streams = [_batches(len(X), batch_size, s) for s in seeds]
    state = optimizer.init(params)
    losses = np.empty((steps,) + runs)
    evals, eval_steps = [], []
    received = np.zeros(params.shape, dtype=np.int64)
    diverged_at = np.full(runs, -1, dtype=np.int64)
    with np.errstate(all="ignore"):
        for t, lr in enumerate(step_lrs(schedule, optimizer.lr, steps), start=1):
            if eval_every and (t - 1) % eval_every == 0:
                eval_steps.append(t - 1)
                evals.append(loss_and_grad(params, X, y)[0])
            idx = np.stack([next(s) for s in streams])  # (seeds, batch)
            loss, grad = loss_and_grad(params, X[idx][expand], y[idx][expand])
            losses[t - 1] = loss
            bad = ~np.isfinite(loss) | ~np.isfinite(grad).all(
                axis=tuple(range(len(runs), grad.ndim)))
            newly = bad & (diverged_at < 0)
            diverged_at[newly] = t
            alive = diverged_at < 0
            grad = np.where(alive.reshape(runs + (1,) * param_rank), grad, 0.0)
            received += grad != 0
            before = params.copy()
            state, last = optimizer.update_inplace(params, grad, state, internals=t == steps,
                                                   lr=lr)
            params = np.where(alive.reshape(runs + (1,) * param_rank), params, before)
            if on_step is not None:
                on_step(t)
        if eval_every:
            eval_steps.append(steps)
            evals.append(loss_and_grad(params, X, y)[0])
        losses = np.where(np.isfinite(losses), losses, np.nan)
    return Training(losses, np.array(eval_steps), np.array(evals), params, state, last, received,
                    diverged_at)
