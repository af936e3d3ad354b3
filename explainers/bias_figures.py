"""Figures for lesson 4 (plain Plotly dicts)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .bias import SWEEP_ALPHAS, SWEEP_BETA2S, SWEEP_STEPS, peak
from .palette import OKABE_ITO, RACER_COLOURS
from .plotly_dict import packed

FONT = {"size": 15, "color": "#111111"}
ADAM = RACER_COLOURS["adam"]
SWITCHED = OKABE_ITO["vermillion"]


def _layout(title: str, xtitle: str, ytitle: str, **extra) -> dict:
    return {"title": {"text": title}, "font": FONT, "height": 400,
            "margin": {"l": 70, "r": 20, "t": 60, "b": 60},
            "xaxis": {"title": {"text": xtitle}}, "yaxis": {"title": {"text": ytitle}},
            "legend": {"orientation": "h", "y": -0.25}, "paper_bgcolor": "#FFFFFF",
            "plot_bgcolor": "#FFFFFF", **extra}


def factors_figure(run: pd.DataFrame, beta1: float, beta2: float) -> dict:
    """The correction factors 1/(1 - beta^t) against t (log scale)."""
    t = run["t"].to_numpy()
    data = [{"type": "scatter", "mode": "lines", "name": f"m̂/m = 1/(1 − β₁ᵗ), β₁ = {beta1:g}",
             "x": packed(t, "f4"), "y": packed(run["m̂ / m"]), "line": {"color": ADAM, "width": 3}},
            {"type": "scatter", "mode": "lines", "name": f"v̂/v = 1/(1 − β₂ᵗ), β₂ = {beta2:g}",
             "x": packed(t, "f4"), "y": packed(run["v̂ / v"]),
             "line": {"color": SWITCHED, "width": 3, "dash": "dash"}}]
    layout = _layout("The correction factors fade to 1", "step t", "factor (log scale)",
                     yaxis={"type": "log", "dtick": 1, "title": {"text": "factor (log scale)"}})
    return {"data": data, "layout": layout}


def steps_figure(corrected: pd.DataFrame, switched: pd.DataFrame, switched_label: str) -> dict:
    """Step size (in units of alpha) on a constant gradient, Adam against the switches."""
    t = corrected["t"].to_numpy()
    data = [{"type": "scatter", "mode": "lines", "name": "Adam (both corrected)",
             "x": packed(t, "f4"), "y": packed(corrected["step / α"]),
             "line": {"color": ADAM, "width": 3}},
            {"type": "scatter", "mode": "lines", "name": switched_label,
             "x": packed(t, "f4"), "y": packed(switched["step / α"]),
             "line": {"color": SWITCHED, "width": 3, "dash": "dash"}}]
    at, top = peak(switched)
    annotations = [{"x": float(np.log10(at)), "y": top,  # a log axis places annotations in log10
                    "text": f"peak {top:.3g} α at t = {at}",
                    "showarrow": True, "arrowhead": 2, "ax": 60, "ay": -30,
                    "font": {"size": 15}}]
    layout = _layout("Step size when the gradient is always 1", "step t", "step / α",
                     annotations=annotations,
                     xaxis={"type": "log", "dtick": 1, "title": {"text": "step t (log scale)"}})
    return {"data": data, "layout": layout}


def sweep_figure(results: list[tuple[str, np.ndarray, np.ndarray]]) -> dict:
    """Heatmaps of log10 final loss over alpha x beta2, one per (title, loss, diverged).
    Diverged cells are left blank and marked with a cross."""
    n = len(results)
    finite = np.concatenate([loss[~div].ravel() for _, loss, div in results])
    floor = 1e-12
    zmin = float(np.log10(max(finite.min(), floor))) if finite.size else -12.0
    zmax = float(np.log10(max(finite.max(), floor))) if finite.size else 0.0
    alphas = [f"{a:g}" for a in SWEEP_ALPHAS]
    betas = [f"{b:g}" for b in SWEEP_BETA2S]
    data, layout_axes, annotations = [], {}, []
    for i, (title, loss, diverged) in enumerate(results):
        suffix = "" if i == 0 else str(i + 1)
        z = np.log10(np.maximum(loss, floor))
        cells = [[None if diverged[r, c] else round(float(z[r, c]), 3)
                  for c in range(len(alphas))] for r in range(len(betas))]
        data.append({"type": "heatmap", "x": alphas, "y": betas, "z": cells,
                     "xaxis": f"x{suffix}", "yaxis": f"y{suffix}", "zmin": zmin, "zmax": zmax,
                     "colorscale": "Viridis", "showscale": i == n - 1,
                     "colorbar": {"title": {"text": "log₁₀ loss"}},
                     "hovertemplate": "α %{x}, β₂ %{y}<br>log₁₀(loss − min) %{z:.2f}"
                                      "<extra></extra>"})
        rows, cols = np.nonzero(diverged)
        if len(rows):
            data.append({"type": "scatter", "mode": "markers", "xaxis": f"x{suffix}",
                         "yaxis": f"y{suffix}", "showlegend": False,
                         "x": [alphas[c] for c in cols], "y": [betas[r] for r in rows],
                         "marker": {"symbol": "x", "size": 14, "color": OKABE_ITO["vermillion"]},
                         "hovertemplate": "α %{x}, β₂ %{y}: diverged<extra></extra>"})
        lo, hi = i / n + 0.02, (i + 1) / n - 0.04
        layout_axes[f"xaxis{suffix}"] = {"domain": [lo, hi], "type": "category",
                                         "title": {"text": "α (step size)"}, "anchor": f"y{suffix}"}
        layout_axes[f"yaxis{suffix}"] = {"type": "category", "title": {"text": "β₂"},
                                         "anchor": f"x{suffix}"}
        annotations.append({"text": f"<b>{title}</b>", "xref": "paper", "yref": "paper",
                            "x": (lo + hi) / 2, "y": 1.08, "showarrow": False,
                            "font": {"size": 15}})
    layout = {"font": FONT, "height": 420, "margin": {"l": 70, "r": 20, "t": 60, "b": 60},
              "annotations": annotations, **layout_axes,
              "title": {"text": f"Loss after {SWEEP_STEPS} steps (× = diverged)", "y": 0.99}}
    return {"data": data, "layout": layout}
