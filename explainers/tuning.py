"""Lesson 6: how much tuning Adam needs, measured as the area of a good region.

Each heatmap is one batched run of the engine: a 40 x 40 grid of settings (the
hyperparameters as arrays), every cell a full run from the same start under the
same fog.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from optim import SGD, Adam
from optim.fog import Fog
from optim.runner import Run, run
from optim.surfaces import SURFACES

from .palette import RACER_COLOURS
from .plotly_dict import packed
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
    surface = SURFACES[surface_key]
    optimizer = grid.optimizer(ALPHAS[None, :, None], grid.y_values[:, None, None])
    return run(surface, optimizer, np.asarray(start, dtype=float), STEPS,
               fog=fog_for(surface_key, fog, seed))


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
