"""Lesson 7: how much tuning Adam needs, measured as the area of a good region.

Each heatmap is one batched run of the engine: a 40 x 40 grid of settings (the
hyperparameters as arrays), every cell a full run from the same start under the
same fog.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from optim import SGD, Adam
from optim.fog import Fog
from optim.runner import Run, run
from optim.surfaces import SURFACES, Surface, scaled

from .fair_race import fair_verdict, one_sided  # noqa: F401 (the lesson's questions)
from .palette import RACER_COLOURS
from .plotly_dict import chart_layout, packed
from .race.setup import typical_slope
from .url_state import Choice, Number

N = 40
STEPS = 500
ALPHAS = np.logspace(-5, 1, N)
BETA1S = np.linspace(0.0, 0.99, N)
BETA2S = 1 - np.logspace(np.log10(0.5), -4, N)  # 0.5 ... 0.9999, denser near 1
MOMENTA = np.linspace(0.0, 0.99, N)


@dataclass(frozen=True)
class Grid:
    key: str
    title: str
    y_label: str
    y_values: np.ndarray
    colour: str

    def optimizer(self, alpha, y):
        if self.key == "adam_beta1":
            return Adam(lr=alpha, beta1=y)
        if self.key == "adam_beta2":
            return Adam(lr=alpha, beta2=y)
        return SGD(lr=alpha, momentum=y)

    def y_axis(self, values):
        """Where a y value is drawn: beta2 on a -log10(1 - beta2) scale, others as they are."""
        values = np.asarray(values, dtype=float)
        return -np.log10(1 - values) if self.key == "adam_beta2" else values


GRIDS = (
    Grid("adam_beta1", "Adam: α × β₁ (β₂ = 0.999)", "β₁", BETA1S, RACER_COLOURS["adam"]),
    Grid("adam_beta2", "Adam: α × β₂ (β₁ = 0.9)", "β₂", BETA2S, RACER_COLOURS["adam"]),
    Grid("sgd_momentum", "SGD with momentum: α × μ", "momentum μ", MOMENTA,
         RACER_COLOURS["momentum"]),
)


def fog_for(surface_key: str, fog: float, seed: int) -> Fog | None:
    return Fog(fog * typical_slope(surface_key), seed) if fog > 0 else None


def grid_run(grid: Grid, surface_key: str, start, fog: float = 0.0, seed: int = 0) -> Run:
    """All N x N settings at once: rows are the y values, columns the step sizes."""
    return _grid_run(grid, SURFACES[surface_key], start, ALPHAS,
                     fog_for(surface_key, fog, seed))


def _grid_run(grid: Grid, surface: Surface, start, alphas: np.ndarray,
              fog: Fog | None = None) -> Run:
    optimizer = grid.optimizer(alphas[None, :, None], grid.y_values[:, None, None])
    return run(surface, optimizer, np.asarray(start, dtype=float), STEPS, fog=fog)


def cell_run(grid: Grid, surface_key: str, start, row: int, col: int, fog: float = 0.0,
             seed: int = 0) -> Run:
    """The run of one cell on its own (equal to that cell of the batched grid)."""
    optimizer = grid.optimizer(float(ALPHAS[col]), float(grid.y_values[row]))
    return run(SURFACES[surface_key], optimizer, np.asarray(start, dtype=float), STEPS,
               fog=fog_for(surface_key, fog, seed))


def final_loss(result: Run, surface_key: str) -> np.ndarray:
    """Loss above the minimum at the end, +inf for runs that diverged."""
    loss = result.losses[-1] - SURFACES[surface_key].min_value
    return np.where(result.diverged, np.inf, loss)


def good_share(loss: np.ndarray, threshold: float) -> float:
    """The share of the grid whose final loss is below ``threshold``."""
    return float((loss < threshold).mean())


def heatmap_figure(grid: Grid, loss: np.ndarray, threshold: float,
                   chosen: tuple[int, int] | None = None) -> dict:
    """log10 of the final loss over the grid, the good region outlined, diverged cells grey,
    and a transparent marker on every cell to click."""
    floor = 1e-12
    z = np.log10(np.maximum(loss, floor))
    cells = [[None if not np.isfinite(v) else round(float(v), 3) for v in row] for row in z]
    x = np.log10(ALPHAS)
    y = grid.y_axis(grid.y_values)
    xx, yy = np.meshgrid(x, y)
    rows, cols = np.meshgrid(np.arange(N), np.arange(N), indexing="ij")
    data = [
        {"type": "heatmap", "x": packed(x), "y": packed(y), "z": cells, "zmin": -12, "zmax": 3,
         "colorscale": "Viridis",
         "colorbar": {"title": {"text": "log₁₀<br>(loss − min)"}, "len": 0.9},
         "hoverinfo": "skip"},
        {"type": "contour", "x": packed(x), "y": packed(y),
         "z": [[3.0 if c is None else c for c in row] for row in cells],
         "contours": {"start": np.log10(threshold), "end": np.log10(threshold), "size": 1,
                      "coloring": "none"},
         "line": {"color": "#FFFFFF", "width": 3}, "showscale": False, "hoverinfo": "skip",
         "showlegend": False, "name": "good region"},
        {"type": "scatter", "mode": "markers", "x": packed(xx.ravel(), "f4"),
         "y": packed(yy.ravel(), "f4"), "customdata": np.stack([rows.ravel(), cols.ravel()],
                                                               axis=-1).tolist(),
         # maxdisplayed: hover and clicks use every cell, the browser draws one marker
         "marker": {"size": 9, "opacity": 0.01, "color": "#000000", "maxdisplayed": 1},
         "showlegend": False, "hovertemplate": "click for this run<extra></extra>"},
    ]
    if chosen is not None:
        r, c = chosen
        data.append({"type": "scatter", "mode": "markers", "x": [float(x[c])], "y": [float(y[r])],
                     "marker": {"symbol": "square-open", "size": 16, "color": "#FF0000",
                                "line": {"width": 3}}, "showlegend": False, "hoverinfo": "skip"})
    tick_values = grid.y_axis([0.5, 0.9, 0.99, 0.999, 0.9999]) if grid.key == "adam_beta2" else None
    yaxis = {"title": {"text": grid.y_label}}
    if tick_values is not None:
        yaxis.update({"tickvals": tick_values.tolist(),
                      "ticktext": ["0.5", "0.9", "0.99", "0.999", "0.9999"]})
    return {"data": data, "layout": {
        "title": {"text": grid.title}, "height": 420, "font": {"size": 14}, "showlegend": False,
        "margin": {"l": 60, "r": 10, "t": 50, "b": 50}, "plot_bgcolor": "#BDBDBD",
        "dragmode": False, "clickmode": "event+select",
        "xaxis": {"title": {"text": "α (learning rate)"}, "tickvals": list(range(-5, 2)),
                  "ticktext": [f"1e{e}" if e else "1" for e in range(-5, 2)]},
        "yaxis": yaxis}}


def grid_table(losses: dict[str, np.ndarray]) -> pd.DataFrame:
    """Every cell of every grid: the setting and its final loss (inf: diverged), for CSV."""
    frames = []
    for grid in GRIDS:
        rows, cols = np.meshgrid(np.arange(N), np.arange(N), indexing="ij")
        frames.append(pd.DataFrame({"grid": grid.title, "α": ALPHAS[cols.ravel()],
                                    grid.y_label: grid.y_values[rows.ravel()],
                                    "final loss above the minimum": losses[grid.key].ravel()}))
    return pd.concat(frames, ignore_index=True)


SURFACE = Choice("surface", "Landscape", "rosenbrock", options=tuple(SURFACES),
                 names={k: s.name for k, s in SURFACES.items()})
START_X = Number("x0", "Start x", SURFACES["rosenbrock"].start[0], low=-1e6, high=1e6)
START_Y = Number("y0", "Start y", SURFACES["rosenbrock"].start[1], low=-1e6, high=1e6)
FOG = Number("fog", "Fog", 0.0, low=0.0, high=2.0, step=0.1,
             help="Gradient noise, in units of this landscape's typical slope; the same fog "
                  "for every cell.")
SEED = Number("seed", "Fog seed", 0, low=0, high=9999, integer=True)
THRESHOLD = Choice("good", "Good: final loss − min below", 1e-3,
                   options=(1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0))
SPECS = (SURFACE, START_X, START_Y, FOG, SEED, THRESHOLD)


@dataclass(frozen=True)
class GridSize:
    """What the lesson's text says of every map."""
    n: int = N
    steps: int = STEPS
    decades: int = int(round(np.log10(ALPHAS[-1] / ALPHAS[0])))
    alpha_range: str = (f"$10^{{{round(np.log10(ALPHAS[0]))}}}$ to "
                        f"$10^{{{round(np.log10(ALPHAS[-1]))}}}$")


# -- what the lesson's questions ask (explainers/text/tuning.toml) ----------------------

SAME_WITHIN = 10  # percent: two good regions are "about the same" when their areas differ
#                   by less than this share of the larger one
DECADES_PER_COLUMN = float(np.log10(ALPHAS[1] / ALPHAS[0]))


def _percent(share: float) -> str:
    return f"{share:.1%}"


@lru_cache(maxsize=16)
def grid_losses(surface_key: str, start: tuple[float, float], fog: float = 0.0,
                seed: int = 0) -> dict[str, np.ndarray]:
    """Every map's final losses above the minimum (what the page draws), by grid key."""
    return {g.key: final_loss(grid_run(g, surface_key, start, fog, seed), surface_key)
            for g in GRIDS}


@dataclass(frozen=True)
class WiderRegion:
    """Whose good region is wider: Adam's on its alpha x beta1 map or SGD with momentum's
    on its alpha x mu map (the same alphas, beta1 and mu over the same values)."""
    answer: str  # "adam", "sgd" or "same" (areas within SAME_WITHIN percent)
    landscape: str
    adam: str  # the share of the map, as a percentage
    sgd: str
    adam_beta2: str  # Adam's other map, alpha x beta2
    adam_cells: int
    sgd_cells: int
    cells: int
    within: int


def wider_region(surface: str, x0: float, y0: float, fog: float, seed: int,
                 threshold: float, within: int = SAME_WITHIN) -> WiderRegion:
    losses = grid_losses(surface, (float(x0), float(y0)), float(fog), int(seed))
    good = {key: int((loss < threshold).sum()) for key, loss in losses.items()}
    adam, sgd = good["adam_beta1"], good["sgd_momentum"]
    if adam == sgd or abs(adam - sgd) < within / 100 * max(adam, sgd):
        answer = "same"
    else:
        answer = "adam" if adam > sgd else "sgd"
    return WiderRegion(answer, SURFACES[surface].name,
                       *(_percent(good_share(losses[k], threshold))
                         for k in ("adam_beta1", "sgd_momentum", "adam_beta2")),
                       adam, sgd, N * N, within)


def _column_shift(before: np.ndarray, after: np.ndarray) -> int:
    """How many columns (alphas) the good cells ``before`` moved to be ``after``: the
    shift under which the two agree best where they overlap (part of a region may slide
    off the map), the smallest such shift on a tie."""
    def disagreement(k):
        old, new = (before[:, :N - k], after[:, k:]) if k >= 0 else (before[:, -k:],
                                                                      after[:, :N + k])
        if not (old & new).any():
            return np.inf
        return float((old ^ new).mean())
    return min(sorted(range(1 - N, N), key=abs), key=disagreement)


@dataclass(frozen=True)
class ScaleShift:
    """How far each map's good region moves along alpha when the loss is multiplied by
    ``c`` (and the threshold with it), in decades (+: to larger alpha)."""
    answer: str  # "neither", "sgd_right", "sgd_left", "both_right" or "both_left"
    adam_shift: float
    sgd_shift: float
    landscape: str


@lru_cache(maxsize=4)
def scale_shift(surface: str = "bowl", c: float = 0.01, threshold: float = 1e-3) -> ScaleShift:
    base = SURFACES[surface]
    steeper = scaled(base, c)
    shifts = {}
    for grid in (GRIDS[0], GRIDS[2]):
        before = _grid_run(grid, base, base.start, ALPHAS)
        after = _grid_run(grid, steeper, base.start, ALPHAS)
        good_before = np.where(before.diverged, np.inf, before.losses[-1] - base.min_value)
        good_after = np.where(after.diverged, np.inf, after.losses[-1] - steeper.min_value)
        shifts[grid.key] = DECADES_PER_COLUMN * _column_shift(good_before < threshold,
                                                              good_after < threshold * c)
    moved = {key: abs(shift) >= 0.5 for key, shift in shifts.items()}
    way = "right" if shifts["sgd_momentum"] > 0 else "left"
    if not moved["sgd_momentum"]:
        answer = "neither" if not moved["adam_beta1"] else "adam"
    else:
        answer = f"{'both' if moved['adam_beta1'] else 'sgd'}_{way}"
    return ScaleShift(answer, round(shifts["adam_beta1"], 2), round(shifts["sgd_momentum"], 2),
                      base.name)


@dataclass(frozen=True)
class SGDEdge:
    """Where plain SGD starts to blow up on a quadratic: alpha = 2 / L, L the curvature of
    the steepest direction (measured from the surface's gradient)."""
    answer: float
    steep: float  # L, the curvature across the valley
    gentle: float  # the curvature along it
    gentle_edge: float  # 2 / gentle: the edge if the gentle direction set it
    one_over: float  # 1 / L: the fastest alpha across the valley, not the edge
    coefficient_edge: float  # 2 / (L / 2): the edge if the 5 of 5 y^2 were the curvature
    first_grey: float  # the smallest alpha that diverged on the mu = 0 row of the map


@lru_cache(maxsize=4)
def sgd_edge(surface: str = "bowl") -> SGDEdge:
    s = SURFACES[surface]
    origin, grad = np.zeros(2), s.grad
    gentle = float(grad(np.array([1.0, 0.0]))[0] - grad(origin)[0])
    steep = float(grad(np.array([0.0, 1.0]))[1] - grad(origin)[1])
    row = grid_losses(surface, tuple(s.start))["sgd_momentum"][0]  # mu = 0
    grey = ALPHAS[~np.isfinite(row)]
    return SGDEdge(2 / steep, steep, gentle, 2 / gentle, 1 / steep, 4 / steep,
                   float(grey.min()) if grey.size else float("inf"))


@dataclass(frozen=True)
class Travel:
    """How far Adam (and SGD) go in ``steps`` steps of a constant gradient g."""
    answer: float  # Adam's distance
    sgd: float  # plain SGD's, at the same alpha


def adam_travel(alpha: float = 1e-3, g: float = 4.0, steps: int = STEPS) -> Travel:
    distances = []
    for optimizer in (Adam(alpha), SGD(alpha)):
        params = np.zeros(1)
        state = optimizer.init(params)
        for _ in range(steps):
            params, state = optimizer.update(params, np.full(1, g), state)
        distances.append(float(abs(params[0])))
    return Travel(*distances)


@dataclass(frozen=True)
class WiderRange:
    """What happens to the shares if the alpha axis reaches ``extra`` decades further
    left (the same spacing): the good cells found there, and the new shares."""
    answer: str  # "both_shrink", "adam_shrinks", "unchanged" or "grow"
    landscape: str
    new_good: int  # good cells among the added columns, all maps together
    adam_before: str
    adam_after: str
    sgd_before: str
    sgd_after: str


@lru_cache(maxsize=4)
def wider_range(surface: str = "rosenbrock", extra: int = 2,
                threshold: float = 1e-3) -> WiderRange:
    s = SURFACES[surface]
    columns = round(extra / DECADES_PER_COLUMN)
    added = ALPHAS[0] * 10.0 ** (-DECADES_PER_COLUMN * np.arange(columns, 0, -1))
    before = grid_losses(surface, tuple(s.start))
    shares, new_good = {}, 0
    for grid in (GRIDS[0], GRIDS[2]):
        result = _grid_run(grid, s, s.start, added)
        loss = np.where(result.diverged, np.inf, result.losses[-1] - s.min_value)
        good_added = int((loss < threshold).sum())
        good_before = int((before[grid.key] < threshold).sum())
        new_good += good_added
        shares[grid.key] = (good_before / (N * N),
                            (good_before + good_added) / (N * (N + columns)))
    change = {k: np.sign(round(after - b, 12)) for k, (b, after) in shares.items()}
    if all(c < 0 for c in change.values()):
        answer = "both_shrink"
    elif all(c > 0 for c in change.values()):
        answer = "grow"
    elif all(c == 0 for c in change.values()):
        answer = "unchanged"
    else:
        answer = "adam_shrinks" if change["adam_beta1"] < 0 else "mixed"
    a, b = shares["adam_beta1"], shares["sgd_momentum"]
    return WiderRange(answer, s.name, new_good, _percent(a[0]), _percent(a[1]),
                      _percent(b[0]), _percent(b[1]))


# -- momentum under fog (toward issue 19; Wang et al.'s small-step regime) ---------------

MOMENTUM = 0.9
MOMENTUM_SURFACE = "bowl"  # a valley where momentum's gain at large steps is classic
EFFECTIVE = np.logspace(-3, -0.5, 11)  # effective step sizes alpha / (1 - momentum)
FOG_LEVELS = (0.0, 0.3, 1.0, 2.0)  # in units of the landscape's typical slope
FOG_SEEDS = tuple(range(16))
MOMENTUM_STEPS = 300
FLOOR = 1e-12  # losses are compared above this (below it, both are at the minimum)


@lru_cache(maxsize=1)
def momentum_gain() -> np.ndarray:
    """On the elongated bowl: the median final loss above the minimum (over FOG_SEEDS fog
    seeds, floored at FLOOR) of SGD + momentum (mu = MOMENTUM, step alpha) divided by plain
    SGD's with the same effective step alpha / (1 - mu), for every fog level (rows) and
    effective step (columns), one batched run per optimizer and fog level. 0 where only
    plain SGD left the map in most seeds; NaN where both did."""
    surface = SURFACES[MOMENTUM_SURFACE]
    rows = []
    for fog in FOG_LEVELS:
        seeds = FOG_SEEDS if fog > 0 else (0,)
        starts = np.broadcast_to(np.array(surface.start), (len(EFFECTIVE), len(seeds), 2))
        weather = Fog(fog * typical_slope(MOMENTUM_SURFACE), seeds) if fog > 0 else None
        lr = EFFECTIVE[:, None, None]
        medians = []
        for optimizer in (SGD(lr * (1 - MOMENTUM), momentum=MOMENTUM), SGD(lr)):
            result = run(surface, optimizer, starts, MOMENTUM_STEPS, fog=weather)
            above = np.maximum(result.losses[-1] - surface.min_value, FLOOR)
            medians.append(np.median(np.where(result.diverged, np.inf, above), axis=1))
        with np.errstate(invalid="ignore"):
            rows.append(medians[0] / medians[1])  # inf / inf: NaN, x / inf: 0
    gain = np.array(rows)
    gain.flags.writeable = False
    return gain


def momentum_figure() -> dict:
    """One line per fog level: momentum's final loss over plain SGD's against the effective
    step (log scales); below 0, momentum ends lower. Steps where plain SGD left the map are
    not drawn (the caption says where)."""
    gain = momentum_gain()
    greys = ("#000000", "#555555", "#888888", "#BBBBBB")
    data = []
    for fog, row, grey in zip(FOG_LEVELS, gain, greys):
        shown = np.isfinite(row) & (row > 0)
        data.append({"type": "scatter", "mode": "lines+markers",
                     "name": "clear weather" if fog == 0 else f"fog {fog:g}",
                     "x": packed(EFFECTIVE[shown]), "y": packed(np.log10(row[shown])),
                     "customdata": packed(row[shown]),
                     "line": {"color": grey, "width": 3}, "marker": {"size": 8},
                     "hovertemplate": "effective step %{x:.3g}: momentum's loss is "
                                      "%{customdata:.3g} × SGD's<extra></extra>"})
    return chart_layout(data, f"SGD + momentum {MOMENTUM:g} ÷ plain SGD, the same effective step",
                        "effective step α / (1 − μ)", "log₁₀(momentum ÷ SGD)",
                        xaxis={"type": "log", "tickvals": [0.001, 0.003, 0.01, 0.03, 0.1, 0.3]})


@dataclass(frozen=True)
class SmallSteps:
    """The prediction's truth, at the smallest effective step in fog 1: how momentum's
    final loss compares with plain SGD's ("same" within 10%, "better" or "worse"), and
    where momentum first ends at least 20% lower, per fog level, for the caption."""
    answer: str
    ratio: float
    times: str  # the ratio, written to two decimals
    step: float
    gains_from: str


def small_step_gain(**_) -> SmallSteps:
    gain = momentum_gain()
    ratio = float(gain[FOG_LEVELS.index(1.0), 0])
    answer = "same" if abs(ratio - 1) <= 0.1 else "better" if ratio < 1 else "worse"
    starts = []
    for fog, row in zip(FOG_LEVELS, gain):
        better = np.flatnonzero(np.nan_to_num(row, nan=0.0) < 0.8)
        where = f"at {EFFECTIVE[better[0]]:.2g}" if better.size else "never"
        starts.append(f"{'clear weather' if fog == 0 else f'fog {fog:g}'} {where}")
    return SmallSteps(answer, ratio, f"{ratio:.2f}", float(EFFECTIVE[0]), "; ".join(starts))
