"""Lesson 7, a fair race: every racer at its own best step size, found with the same budget.

A race at one step size per racer measures the step sizes as much as the racers. Here
each racer gets the same budget: the BUDGET step sizes of GRID (log-spaced, the same for
all), each run from the same start for the same number of steps on SEEDS fog seeds. A
racer's score at a step size alpha is

    score(alpha) = median over the seeds s of  max(f(theta_T(alpha, s)) - f_min, FLOOR)

(+inf when the run diverged; below FLOOR two runs are both at the minimum), and its tuned
step size is alpha* = argmin score, the smaller alpha on a tie. One batched run per racer
holds its whole grid on every seed, plus its step size in the hiker's race (lesson 2) for
the comparison: (BUDGET + 1) x SEEDS runs.

Adam's lead over a field of rivals is the lowest rival score divided by Adam's: above 1
Adam ends lower, below 1 a rival does.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from optim.fog import Fog
from optim.runner import Run, run
from optim.surfaces import SURFACES

from .palette import RACER_COLOURS
from .plotly_dict import chart_layout, packed
from .race import controls as hiker
from .race.landscape import paths_figure
from .race.racers import RACERS, Settings
from .race.setup import VALLEY_FLOOR, suggested_settings, typical_slope, valley_tolerance
from .text import readable
from .url_state import Choice, Choices

BUDGET = 20
GRID = np.logspace(-4, 1, BUDGET)  # 1e-4 to 10: wide enough that on the hiker's own race
#                                    no racer's best sits at an end (on 1e-4 to 1, Adam's did)
SEEDS = 8
FLOOR = 1e-12  # scores are compared above this (below it, both runs are at the minimum)
# the hiker's default race (lesson 2): its landscape and start, its fog (clear), its steps
HIKER_SURFACE, HIKER_STEPS = hiker.DEFAULT_SURFACE, hiker.STEPS.default
HIKER_FOG, HIKER_SEED = hiker.FOG.default, hiker.SEED.default

RIVALS = Choices("rivals", "Adam races", ["sgd", "momentum", "rmsprop"],
                 options=tuple(k for k in RACERS if k != "adam"),
                 names={k: r.label for k, r in RACERS.items()},
                 help="The racers tuned beside Adam, each on the same grid of step sizes.")
STEPS = Choice("race_steps", "Steps in every run", HIKER_STEPS, options=(100, 200, 500, 1000),
               help="The same number of steps for every racer and every step size tried.")
SPECS = (RIVALS, STEPS)


@dataclass(frozen=True)
class Budget:
    """What the section's intro says of the tuning."""
    budget: int = BUDGET
    seeds: int = SEEDS
    runs: int = BUDGET * SEEDS
    alpha_range: str = (f"$10^{{{round(np.log10(GRID[0]))}}}$ to "
                        f"$10^{{{round(np.log10(GRID[-1]))}}}$")


def _alpha_field(key: str) -> str:
    """The Settings field that holds this racer's step size."""
    return "alpha_sgd" if "alpha_sgd" in RACERS[key].uses else "alpha_adaptive"


def hiker_alpha(key: str, surface: str) -> float:
    """The racer's step size in the hiker's race on this landscape (its default sliders)."""
    return float(getattr(suggested_settings(surface), _alpha_field(key)))


def batched_run(key: str, surface: str, start, fog: float, seed: int, steps: int) -> Run:
    """One batched run: the racer at every step size of GRID and at its hiker's step size
    (axis 0, BUDGET + 1), on the fog seeds seed, ..., seed + SEEDS - 1 (axis 1); the
    paper's beta1, beta2 and eps."""
    alphas = np.append(GRID, hiker_alpha(key, surface))[:, None, None]
    optimizer = RACERS[key].make(replace(Settings(), **{_alpha_field(key): alphas}))
    starts = np.broadcast_to(np.asarray(start, dtype=float), (len(alphas), SEEDS, 2))
    seeds = tuple(range(seed, seed + SEEDS))  # run i gets the weather of seed + i
    weather = Fog(fog * typical_slope(surface), seeds) if fog > 0 else None
    return run(SURFACES[surface], optimizer, starts, steps, fog=weather)


@dataclass(frozen=True)
class Tuned:
    """One racer tuned on one race. Losses are above the minimum, floored at FLOOR,
    +inf where the run diverged; a median is +inf when half the seeds or more diverged."""
    key: str
    scores: np.ndarray  # (BUDGET,): the median over the seeds at each step size of GRID
    best: int  # the index of the tuned step size in GRID
    hiker_alpha: float
    hiker_score: float  # the median at the hiker's step size
    finals: np.ndarray  # (SEEDS,): each seed's final loss at the tuned step size
    arrived: np.ndarray  # (SEEDS,): the step each seed first reached the valley floor, or -1
    path: np.ndarray  # the first seed's positions at the tuned step size (up to divergence)

    @property
    def label(self) -> str:
        return RACERS[self.key].label

    @property
    def alpha(self) -> float:
        return float(GRID[self.best])

    @property
    def score(self) -> float:
        return float(self.scores[self.best])

    @property
    def at_edge(self) -> bool:
        """The best step size is an end of the grid: a wider one might do better."""
        return self.best in (0, BUDGET - 1)

    @property
    def floor_step(self) -> float:
        """The median over the seeds of the step at which each first reached the valley
        floor (+inf when half of them or more never did)."""
        steps = np.where(self.arrived >= 0, self.arrived, np.inf)
        return float(np.median(steps))


@lru_cache(maxsize=64)
def tune(key: str, surface: str, start: tuple[float, float], fog: float, seed: int,
         steps: int) -> Tuned:
    """Racer ``key`` tuned on the race (landscape, start, fog level, first fog seed,
    steps): one batched run (:func:`batched_run`)."""
    s = SURFACES[surface]
    result = batched_run(key, surface, start, fog, seed, steps)
    final = np.where(result.diverged, np.inf,
                     np.maximum(result.losses[-1] - s.min_value, FLOOR))  # (BUDGET + 1, SEEDS)
    medians = np.median(final, axis=1)
    best = int(np.argmin(medians[:BUDGET]))  # the first minimum: the smaller alpha on a tie
    ends = np.where(result.diverged_at[best] >= 0, result.diverged_at[best], steps + 1)
    alive = np.arange(steps + 1)[:, None] < ends  # (steps + 1, SEEDS)
    close = (s.nearest_minimum_distance(result.positions[:, best]) <= valley_tolerance(s)) & alive
    arrived = np.where(close.any(axis=0), np.argmax(close, axis=0), -1)
    path = result.positions[:ends[0], best, 0].copy()  # the first seed, up to divergence (a
    #                                   copy: a view would keep the whole batch in the cache)
    tuned = Tuned(key, medians[:BUDGET], best, hiker_alpha(key, surface), float(medians[-1]),
                  final[best], arrived, path)
    for array in (tuned.scores, tuned.finals, tuned.arrived, tuned.path):
        array.flags.writeable = False
    return tuned


def field(surface: str, start, fog: float, seed: int, steps: int,
          rivals) -> tuple[Tuned, ...]:
    """Adam and its rivals, each tuned, in the order of the racer list."""
    racing = {"adam", *rivals}
    return tuple(tune(k, surface, (float(start[0]), float(start[1])), float(fog), int(seed),
                      int(steps)) for k in RACERS if k in racing)


# -- Adam's lead ---------------------------------------------------------------------------

def lead(rival: float, adam: float) -> float:
    """The rival's median over Adam's (+inf: only the rival diverged, 0: only Adam did,
    1: both did)."""
    if math.isinf(rival) and math.isinf(adam):
        return 1.0
    return math.inf if math.isinf(rival) else rival / adam


def _lead_words(ratio: float, rival: str) -> str:
    """A lead in words, for a sentence: who ends lower, and how many times."""
    if math.isinf(ratio):
        return f"{rival} diverged and Adam did not"
    if ratio == 0:
        return f"Adam diverged and {rival} did not"
    if ratio == 1:
        return f"Adam and {rival} end level"
    if ratio > 1:
        return f"Adam ends {readable(ratio)} times lower than {rival}"
    return f"{rival} ends {readable(1 / ratio)} times lower than Adam"


LEVEL = 1.5  # two median final losses within this factor of each other count as level


@dataclass(frozen=True)
class FairVerdict:
    """The prediction's truth: when every racer races at its own best step size, does Adam
    still end lowest? "more" (it leads by as much as in the hiker's race, or more), "less"
    (it leads by less), "level" (Adam and its best rival within a factor ``level``) or
    "rival" (a rival ends lower); and what the caption says."""
    answer: str
    hiker_lead: str  # in words: Adam against the best rival at the hiker's step sizes
    tuned_lead: str  # ... and each at its tuned step size
    adam_alpha: float
    edges: str  # the racers whose best step size is an end of the grid ("" if none)
    level: float
    budget: int = BUDGET
    seeds: int = SEEDS
    valley: str = f"{VALLEY_FLOOR:.0%}"  # the valley floor: this share of the map's diagonal


def fair_verdict(surface: str, x0: float, y0: float, fog: float, seed: int, steps: int,
                 rivals, level: float = LEVEL, **_) -> FairVerdict:
    """Adam's lead over its best rival, at the hiker's step sizes and tuned (keyword
    arguments that only the prompt quotes are ignored)."""
    tuned = field(surface, (x0, y0), fog, seed, steps, rivals)
    adam = next(t for t in tuned if t.key == "adam")
    others = [t for t in tuned if t.key != "adam"]
    at_hiker = min(others, key=lambda t: t.hiker_score)
    at_best = min(others, key=lambda t: t.score)
    before = lead(at_hiker.hiker_score, adam.hiker_score)
    after = lead(at_best.score, adam.score)
    if 1 / level < after < level:
        answer = "level"
    else:
        answer = "rival" if after < 1 else "more" if after >= before else "less"
    edges = [t.label for t in tuned if t.at_edge]
    return FairVerdict(answer, _lead_words(before, at_hiker.label),
                       _lead_words(after, at_best.label), adam.alpha, ", ".join(edges), level)


@dataclass(frozen=True)
class HikerRace:
    """The hiker's default race (lesson 2: its landscape and start, clear weather, its
    steps) with SGD and SGD with momentum beside Adam: Adam's lead (a rival's final loss
    over Adam's) at the hiker's step sizes and with each tuned, as numbers and in words."""
    sgd_hiker: float
    sgd_tuned: float
    momentum_hiker: float
    momentum_tuned: float
    sgd_hiker_words: str
    sgd_tuned_words: str
    momentum_hiker_words: str
    momentum_tuned_words: str
    adam_hiker_alpha: float
    adam_alpha: float
    momentum_alpha: float
    adam_floor: int  # the step each first reached the valley floor at its best step size
    momentum_floor: int
    landscape: str = SURFACES[HIKER_SURFACE].name
    steps: int = HIKER_STEPS
    budget: int = BUDGET


def _hiker_field(rivals) -> dict[str, Tuned]:
    s = SURFACES[HIKER_SURFACE]
    return {t.key: t for t in field(HIKER_SURFACE, s.start, HIKER_FOG, HIKER_SEED, HIKER_STEPS,
                                    rivals)}


def hiker_race() -> HikerRace:
    tuned = _hiker_field(("sgd", "momentum"))
    adam = tuned["adam"]
    leads = [lead(tuned[k].hiker_score, adam.hiker_score) if hiker
             else lead(tuned[k].score, adam.score)
             for k in ("sgd", "momentum") for hiker in (True, False)]
    words = [_lead_words(ratio, tuned[k].label)
             for ratio, k in zip(leads, ("sgd", "sgd", "momentum", "momentum"))]
    momentum = tuned["momentum"]
    return HikerRace(*leads, *words, adam.hiker_alpha, adam.alpha, momentum.alpha,
                     math.ceil(adam.floor_step), math.ceil(momentum.floor_step))


@dataclass(frozen=True)
class OneSided:
    """The check's truth: in the hiker's default race, Adam at its tuned step size against
    a rival left at its hiker's step size. ``answer``: the rival's final loss over Adam's."""
    answer: float
    level: float  # the same ratio with both at the hiker's step sizes
    fair: float  # ... and with both tuned
    fair_words: str
    rival_alpha: float
    adam_alpha: float
    adam_tuned: float
    rival_hiker: float


def one_sided(rival: str = "momentum") -> OneSided:
    tuned = _hiker_field((rival,))
    adam, other = tuned["adam"], tuned[rival]
    fair = lead(other.score, adam.score)
    return OneSided(lead(other.hiker_score, adam.score), lead(other.hiker_score, adam.hiker_score),
                    fair, _lead_words(fair, other.label), other.hiker_alpha, adam.alpha,
                    adam.score, other.hiker_score)


# -- the figures and the table -------------------------------------------------------------

def _log_ticks(low: int, high: int) -> tuple[list[int], list[str]]:
    values = list(range(low, high + 1))
    return values, [f"1e{v}" if v else "1" for v in values]


DIVERGED_ROW = 0.3  # decades between the racers' rows of the diverged, above the scores


def scores_figure(tuned: tuple[Tuned, ...]) -> dict:
    """Each racer's score against the step size (both on log scales): a line over the grid,
    an x in its row of the top band where half the seeds or more diverged, a star at the
    tuned step size and a ring at the hiker's."""
    finite = np.concatenate([t.scores[np.isfinite(t.scores)] for t in tuned]
                            + [np.array([t.hiker_score]) for t in tuned
                               if np.isfinite(t.hiker_score)])
    low = math.floor(np.log10(finite.min())) if finite.size else -1
    high = math.ceil(np.log10(finite.max())) if finite.size else 0
    top = high + 1  # the band of the diverged, a row per racer
    data = []
    for i, t in enumerate(tuned):
        colour, row = RACER_COLOURS[t.key], top + DIVERGED_ROW * i
        y = [round(float(np.log10(v)), 6) if np.isfinite(v) else None for v in t.scores]
        data.append({"type": "scatter", "mode": "lines+markers", "name": t.label,
                     "legendgroup": t.key, "x": packed(GRID), "y": y,
                     "line": {"color": colour, "width": 3}, "marker": {"size": 6},
                     "hovertemplate": f"{t.label}<br>α %{{x:.3g}}: median 1e%{{y:.2f}}"
                                      "<extra></extra>"})
        gone = ~np.isfinite(t.scores)
        if gone.any():
            data.append({"type": "scatter", "mode": "markers", "showlegend": False,
                         "legendgroup": t.key, "x": packed(GRID[gone]),
                         "y": [row] * int(gone.sum()),
                         "marker": {"symbol": "x", "size": 9, "color": colour},
                         "hovertemplate": f"{t.label}<br>α %{{x:.3g}}: diverged<extra></extra>"})
        hiker = np.log10(t.hiker_score) if np.isfinite(t.hiker_score) else row
        data.append({"type": "scatter", "mode": "markers", "showlegend": False,
                     "legendgroup": t.key, "x": [t.hiker_alpha], "y": [round(float(hiker), 6)],
                     "marker": {"symbol": "circle-open", "size": 15, "color": colour,
                                "line": {"width": 3}},
                     "hovertemplate": f"{t.label} in the hiker's race<br>α %{{x:.3g}}"
                                      "<extra></extra>"})
        data.append({"type": "scatter", "mode": "markers", "showlegend": False,
                     "legendgroup": t.key, "x": [t.alpha],
                     "y": [round(float(np.log10(t.score)), 6) if np.isfinite(t.score) else row],
                     "marker": {"symbol": "star", "size": 20, "color": colour,
                                "line": {"color": "#000000", "width": 1.5}},
                     "hovertemplate": f"{t.label}: best of {BUDGET}<br>α %{{x:.3g}}"
                                      "<extra></extra>"})
    for name, symbol in ((f"best of the {BUDGET}", "star"), ("the hiker's α", "circle-open")):
        data.append({"type": "scatter", "mode": "markers", "name": name, "x": [None],
                     "y": [None], "marker": {"symbol": symbol, "size": 14, "color": "#555555"}})
    values, text = _log_ticks(low, high)
    tick_every = max(1, math.ceil(len(values) / 8))
    values, text = values[::tick_every], text[::tick_every]
    if any((~np.isfinite(t.scores)).any() or not np.isfinite(t.hiker_score) for t in tuned):
        values, text = values + [top + DIVERGED_ROW * (len(tuned) - 1) / 2], text + ["diverged"]
    decades = range(round(np.log10(GRID[0])), round(np.log10(GRID[-1])) + 1)
    return chart_layout(
        data, f"Each racer's {BUDGET} tries: median final loss over {SEEDS} fog seeds",
        "α (step size)", "loss − min at the end", height=460, legend_y=-0.22,
        xaxis={"type": "log", "tickvals": [10.0 ** d for d in decades],
               "ticktext": [f"1e{d}" if d else "1" for d in decades]},
        yaxis={"tickvals": values, "ticktext": text, "zeroline": False,
               "range": [low - 0.5, top + DIVERGED_ROW * len(tuned) + 0.3]})


def race_map(tuned: tuple[Tuned, ...], surface: str) -> dict:
    """The race on the first fog seed, every racer at its tuned step size, in its colour
    (the legend is the scores figure's, beside it; hovering a path names it)."""
    figure = paths_figure(SURFACES[surface],
                          [(f"{t.label}, α {readable(t.alpha)}", t.path, RACER_COLOURS[t.key],
                            "solid") for t in tuned], height=460)
    figure["layout"].update(showlegend=False, title={"text": "The race at the best α"},
                            margin={"l": 50, "r": 10, "t": 60, "b": 50})
    return figure


def _loss(value: float) -> str:
    return "diverged" if math.isinf(value) else f"{value:.3g}"


def fair_table(tuned: tuple[Tuned, ...]) -> pd.DataFrame:
    """One row per racer: the hiker's step size and its median final loss, the tuned step
    size and its median, the spread over the seeds there (best - worst seed), and the median
    step of the valley floor there (how many seeds got there)."""
    rows = []
    for t in tuned:
        low, high = float(t.finals.min()), float(t.finals.max())
        reached = int((t.arrived >= 0).sum())
        floor = "not by the end" if math.isinf(t.floor_step) else f"{math.ceil(t.floor_step)}"
        rows.append({
            "Racer": t.label,
            "hiker's α": f"{t.hiker_alpha:.3g}",
            "loss, hiker's α": _loss(t.hiker_score),
            f"best α of {BUDGET}": f"{t.alpha:.3g}" + (" (grid's end)" if t.at_edge else ""),
            "loss, best α": _loss(t.score),
            f"spread, {SEEDS} seeds": "none" if low == high else f"{_loss(low)} – {_loss(high)}",
            "valley floor by step": f"{floor} ({reached} of {SEEDS})",
        })
    return pd.DataFrame(rows)
