"""The batched runner: many hikers, many settings, one loop.

``run(surface, optimizer, start, steps)`` walks every run in a batch for
``steps`` updates and records positions, losses and, on request, each step's
:class:`~optim.base.Internals`.

The batch shape is the broadcast of ``start`` (``(..., 2)``) with the shapes of
the optimizer's hyperparameters, which must keep a trailing coordinate axis of
length 1 (one value per run) or 2 (one per coordinate).  For example
``Adam(lr=np.logspace(-3, 0, 40)[:, None])`` from one start runs 40 learning
rates; ``start`` of shape ``(2500, 2)`` runs 2,500 hikers.  Each run in a batch
is element for element the run it would be alone.

Divergence: a run whose position becomes non-finite or leaves the surface's
``domain``, or whose loss is no longer finite (a formula undefined there), at step
k stops there: ``diverged_at`` holds k, its position and loss
stay at their last good values, and its recorded internals are zero from step k
on.  No NaN or infinity leaves the runner, and no floating-point warning is
printed.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ._checks import check_steps
from .base import Optimizer
from .fog import Fog
from .schedules import Schedule, step_lrs
from .surfaces import Surface, coordinate_last

MAX_STEPS = 100_000


@dataclass(frozen=True)
class Run:
    """What a batched run recorded.

    ``positions``: ``(steps + 1, *batch, 2)``, row 0 the start;
    ``losses``: ``(steps + 1, *batch)``;
    ``diverged_at``: ``batch``-shaped ints, the step at which each run diverged,
    or -1 if it never did;
    ``internals``: ``None`` or a dict from an :class:`~optim.base.Internals` field
    name to an array ``(steps, *batch, 2)``, row t-1 being step t.
    """

    positions: np.ndarray
    losses: np.ndarray
    diverged_at: np.ndarray
    internals: dict[str, np.ndarray] | None = None

    @property
    def steps(self) -> int:
        return self.positions.shape[0] - 1

    @property
    def diverged(self) -> np.ndarray:
        return self.diverged_at >= 0


def batch_shape(optimizer: Optimizer, start) -> tuple[int, ...]:
    """Shape of the parameters: ``start`` broadcast against every hyperparameter."""
    shapes = [np.shape(v) for v in optimizer.hyperparameters().values()
              if isinstance(v, np.ndarray)]
    shape = np.broadcast_shapes(np.shape(start), *shapes)
    if not shape or shape[-1] != 2:
        raise ValueError("start must end in an axis of length 2 (x, y), and hyperparameter "
                         f"arrays must broadcast against it; got the shape {shape}.")
    return shape


def run(surface: Surface, optimizer: Optimizer, start, steps: int,
        fog: Fog | None = None, internals: bool = False,
        time_limit: float | None = None, schedule: Schedule | None = None) -> Run:
    """Run ``optimizer`` on ``surface`` from ``start`` for ``steps`` updates.
    ``time_limit`` (seconds): raise ``TimeoutError`` if the run takes longer.
    ``schedule``: the learning rate of step t is ``optimizer.lr`` times its factor at t
    (``None``: ``optimizer.lr`` throughout)."""
    check_steps(steps, 0, MAX_STEPS)
    shape = batch_shape(optimizer, start)
    noise = fog.noise(steps) if fog is not None and fog.level > 0 else None
    if noise is not None and np.broadcast_shapes(shape, noise.shape[1:]) != shape:
        raise ValueError(f"A fog of {noise.shape[1]} seeds needs a batch of that many runs: "
                         f"give start the shape ({noise.shape[1]}, 2); the batch is {shape}.")

    with np.errstate(all="ignore"):
        # Coordinate-major storage: each coordinate of every array is contiguous,
        # which keeps NumPy's elementwise loops fast for batches of any size.
        params = _coordinate_major(np.broadcast_to(np.asarray(start, dtype=np.float64), shape))
        state = optimizer.init(params)
        positions = _empty_coordinate_major((steps + 1,) + shape)
        losses = np.empty((steps + 1,) + shape[:-1])
        positions[0] = params
        loss, grads = surface.value_and_grad(params)
        losses[0] = loss
        diverged_at = np.full(shape[:-1], -1, dtype=np.int64)
        alive = np.ones(shape[:-1], dtype=bool)
        record: list | None = [] if internals else None
        everyone_alive = True
        x0, x1, y0, y1 = surface.domain
        low, high = np.array([x0, y0]), np.array([x1, y1])
        batch_axes = tuple(range(len(shape) - 1))
        work = (np.empty_like(params), np.empty_like(params))
        deadline = None if time_limit is None else time.monotonic() + time_limit
        for t, lr in enumerate(step_lrs(schedule, optimizer.lr, steps), start=1):
            if deadline is not None and t % 20 == 0 and time.monotonic() > deadline:
                raise TimeoutError(f"The run took longer than {time_limit:g} s and was stopped "
                                   f"at step {t}.")
            if noise is not None:
                grads = grads + noise[t - 1]
            state, inside = optimizer.update_inplace(params, grads, state, internals, work, lr)
            loss, grads = surface.value_and_grad(params)
            if not (everyone_alive and _all_inside(params, batch_axes, x0, x1, y0, y1)
                    and (surface.finite or np.isfinite(loss).all())):
                everyone_alive = False
                ok = _inside(params, low, high) & np.isfinite(loss)
                diverged_at[~ok & alive] = t
                alive &= ok
                dead = ~alive
                params[dead] = positions[t - 1][dead]
                loss = np.where(alive, loss, losses[t - 1])
            positions[t] = params
            losses[t] = loss
            if record is not None:
                record.append(inside)
    return Run(positions, losses, diverged_at,
               None if record is None else _stack(record, shape, diverged_at))


def _all_inside(params, batch_axes, x0, x1, y0, y1) -> bool:
    """Whether every run is inside the box, from each coordinate's minimum and maximum
    (two reductions, no temporaries; a NaN makes a comparison false)."""
    low, high = params.min(axis=batch_axes), params.max(axis=batch_axes)
    return low[0] >= x0 and low[1] >= y0 and high[0] <= x1 and high[1] <= y1


def _inside(params, low, high) -> np.ndarray:
    """Per run: finite and inside the box ``low <= (x, y) <= high`` (NaN fails)."""
    return ((params >= low) & (params <= high)).all(axis=-1)


def _empty_coordinate_major(shape: tuple[int, ...]) -> np.ndarray:
    """An uninitialised array of ``shape`` (..., 2) stored with the last axis outermost."""
    return coordinate_last(np.empty((2,) + shape[:-1]))


def _coordinate_major(a: np.ndarray) -> np.ndarray:
    """A copy of ``a`` (shape (..., 2)) stored with the last axis outermost."""
    out = _empty_coordinate_major(a.shape)
    out[...] = a
    return out


def _stack(record: list, shape, diverged_at: np.ndarray) -> dict[str, np.ndarray]:
    """Each step's internals as arrays (steps, *batch, 2), zero from a run's divergence on.
    (Each step's internals are fresh arrays, so keeping references copies nothing.)"""
    steps = len(record)
    after = np.arange(steps).reshape((steps,) + (1,) * (len(shape) - 1))
    dead = (diverged_at >= 0) & (after >= diverged_at - 1)  # (steps, *batch)
    out = {}
    for name in record[0]._fields if record else ():
        values = [getattr(inside, name) for inside in record]
        if values[0] is None:
            continue
        stacked = np.empty((steps,) + shape)
        for row, value in zip(stacked, values):
            row[...] = value
        stacked[dead] = 0.0
        out[name] = stacked
    return out
