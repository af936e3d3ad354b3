"""The foggy hiker's race: every chosen racer on one landscape, from one start.

All numbers come from :func:`optim.runner.run`; this module only decides what
to run and summarises the result for the result strip.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from optim.fog import Fog
from optim.runner import Run, run
from optim.surfaces import Surface, surface

from .racers import DEFAULT_RACERS, RACERS, Racer, Settings

#: step sizes that make each landscape's race worth watching in a few hundred steps
#: (the paper's alpha = 0.001 suits networks with millions of weights: here it would
#: move the hiker a few tenths of a unit in 300 steps)
SUGGESTED_ALPHAS: dict[str, tuple[float, float]] = {
    "bowl": (0.1, 0.1), "tilted": (0.05, 0.1), "rosenbrock": (0.001, 0.2),
    "beale": (0.01, 0.05), "saddle": (0.05, 0.05), "himmelblau": (0.01, 0.1),
    "plateau": (0.1, 0.05), "eggcrate": (0.05, 0.05),
}


#: the most formula work one change of the playground may ask for, in racers x steps x
#: the formula's parts: about 1 s of one core (1.2-1.8 us per part and step, measured),
#: so one learner's long formula cannot hold the server that a class shares
WORK_BUDGET = 500_000

VALLEY_FLOOR = 0.02  # of the map's diagonal: the default race's Adam gets there, SGD does not


def suggested_settings(surface_key: str) -> Settings:
    """The paper's beta1, beta2 and eps, with step sizes suited to this landscape."""
    alpha_sgd, alpha_adaptive = SUGGESTED_ALPHAS[surface_key]
    return Settings(alpha_sgd=alpha_sgd, alpha_adaptive=alpha_adaptive)


@dataclass(frozen=True)
class RaceSetup:
    surface: str = "rosenbrock"
    racers: tuple[str, ...] = DEFAULT_RACERS
    settings: Settings = field(default_factory=lambda: suggested_settings("rosenbrock"))
    steps: int = 500
    fog: float = 0.0  # noise spread as a multiple of the landscape's typical slope
    seed: int = 0
    start: tuple[float, float] | None = None  # None: the landscape's own start
    time_limit: float | None = None  # seconds per racer (for learners' own formulas)

    @property
    def landscape(self) -> Surface:
        return surface(self.surface)

    @property
    def start_point(self) -> tuple[float, float]:
        return self.start if self.start is not None else self.landscape.start


@dataclass(frozen=True)
class RacerResult:
    racer_key: str
    run: Run
    reached_at: int | None  # first step within the valley tolerance, if any

    @property
    def racer(self) -> Racer:
        return RACERS[self.racer_key]

    @property
    def diverged_at(self) -> int | None:
        k = int(self.run.diverged_at)
        return k if k >= 0 else None


@lru_cache(maxsize=512)  # keys include learners' formulas
def typical_slope(surface_key: str) -> float:
    """Median gradient length over the landscape's view box: the unit of fog (a turned
    landscape's is the unturned one's, so fog means the same at every angle)."""
    landscape = surface(surface_key)
    landscape = landscape.turned_from or landscape
    x0, x1, y0, y1 = landscape.box
    pts = np.stack(np.meshgrid(np.linspace(x0, x1, 60), np.linspace(y0, y1, 60)), axis=-1)
    norms = np.linalg.norm(landscape.grad(pts), axis=-1)
    return float(np.median(norms[np.isfinite(norms)])) if np.isfinite(norms).any() else 1.0


def valley_tolerance(surface: Surface) -> float:
    """How close to a minimum counts as "on the valley floor": 2% of the map's diagonal
    (of the unturned map, so the floor is the same at every angle)."""
    x0, x1, y0, y1 = (surface.turned_from or surface).box
    return VALLEY_FLOOR * float(np.hypot(x1 - x0, y1 - y0))


def affordable_steps(setup: RaceSetup) -> int:
    """The steps each racer may take within :data:`WORK_BUDGET` (a multiple of 10, at
    least 10): all of ``setup.steps`` on a built-in landscape, and on a formula as many
    as racers x steps x parts allows."""
    parts = setup.landscape.parts
    if not parts or not setup.racers:
        return setup.steps
    most = WORK_BUDGET // (len(setup.racers) * parts) // 10 * 10
    return max(10, min(setup.steps, most))


def solo_setups(setup: RaceSetup) -> list[RaceSetup]:
    """One setup per racer, keeping only the settings that racer reads: equal solo
    setups give equal runs, so each can be computed (and cached) on its own."""
    return [replace(setup, racers=(key,), settings=RACERS[key].relevant(setup.settings))
            for key in setup.racers]


@lru_cache(maxsize=512)
def run_solo(solo: RaceSetup) -> RacerResult:
    """The run of a one-racer setup, recorded with its internals for arrows and table.
    Kept for the process (the last 512; a run is about 50 kB), read-only, so the race on
    the page and a prediction's answer share one run."""
    surface = solo.landscape
    fog = Fog(solo.fog * typical_slope(solo.surface), solo.seed) if solo.fog > 0 else None
    (key,) = solo.racers
    result = run(surface, RACERS[key].make(solo.settings), np.array(solo.start_point),
                 solo.steps, fog=fog, internals=True, time_limit=solo.time_limit)
    for array in (result.positions, result.losses, result.diverged_at,
                  *(result.internals or {}).values()):
        array.flags.writeable = False
    close = surface.nearest_minimum_distance(result.positions) <= valley_tolerance(surface)
    close &= np.arange(len(close)) < (result.diverged_at if result.diverged else len(close))
    return RacerResult(key, result, int(np.argmax(close)) if close.any() else None)


def run_race(setup: RaceSetup) -> list[RacerResult]:
    """Every racer's run, in the order of ``setup.racers``."""
    return [run_solo(solo) for solo in solo_setups(setup)]


def result_table(results: list[RacerResult], surface: Surface) -> pd.DataFrame:
    """The result strip: one row per racer, in words and numbers a person can read."""
    rows = []
    for r in results:
        steps = r.run.steps
        final = r.run.positions[-1]
        rows.append({
            "Racer": r.racer.label,
            "Final loss": float(r.run.losses[-1]),
            "Distance to nearest minimum": float(surface.nearest_minimum_distance(final)),
            "Reached the valley floor": (f"at step {r.reached_at}" if r.reached_at is not None
                                         else f"not in {steps} steps"),
            "Status": (f"diverged at step {r.diverged_at}" if r.diverged_at is not None
                       else "finished"),
        })
    return pd.DataFrame(rows)


def trajectory_table(results: list[RacerResult]) -> pd.DataFrame:
    """Every racer's position and loss at every step it took (long format, for CSV)."""
    frames = []
    for r in results:
        steps = r.diverged_at if r.diverged_at is not None else r.run.steps + 1
        pos = r.run.positions[:steps]
        frames.append(pd.DataFrame({"racer": r.racer.label, "step": np.arange(steps),
                                    "x": pos[:, 0], "y": pos[:, 1],
                                    "loss": r.run.losses[:steps]}))
    return pd.concat(frames, ignore_index=True)
