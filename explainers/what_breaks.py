"""Lesson 7: what breaks. Non-convergence, epsilon, and memory, measured on the engine."""
from __future__ import annotations

import numpy as np
import pandas as pd

from optim import SGD, Adagrad, Adam, AdamW, RMSProp
from optim.base import state_slots
from optim.online import run_online
from optim.runner import run
from optim.surfaces import SURFACES

from .palette import OKABE_ITO, RACER_COLOURS
from .race.figure import animation_controls, frame_steps
from .url_state import Choice, Number

ONLINE_STEPS = 5000
EPSILONS = tuple(10.0 ** e for e in range(-12, 1))
EPS_SURFACE, EPS_ALPHA, EPS_STEPS = "plateau", 0.05, 300
PRECISIONS = {"fp32 (4 bytes)": 4, "bf16 (2 bytes)": 2, "8-bit (1 byte)": 1}
PRESETS = {"7B": 7e9, "70B": 70e9}
MEMORY_OPTIMIZERS = {"SGD": SGD(0.1), "SGD + momentum": SGD(0.1, momentum=0.9),
                     "Adagrad": Adagrad(), "RMSProp": RMSProp(), "Adam": Adam(),
                     "AdamW": AdamW(), "AMSGrad": Adam(amsgrad=True)}


def reddi(beta1: float, beta2: float, alpha: float, steps: int = ONLINE_STEPS) -> dict:
    """Adam and AMSGrad on the online problem: ``{name: (x, v, v_max)}``."""
    return {"Adam": run_online(Adam(alpha, beta1, beta2), steps),
            "AMSGrad": run_online(Adam(alpha, beta1, beta2, amsgrad=True), steps)}


def reddi_figure(runs: dict, speed: str = "normal") -> dict:
    """x against t for both; below, AMSGrad's v and its running maximum (log scale).
    Animated at ``speed``: Play moves a marker along each curve, step by step."""
    t = np.arange(len(runs["Adam"][0]))
    data = [{"type": "scatter", "mode": "lines", "name": f"{name}: x",
             "x": t[::5].tolist(), "y": np.round(x[::5], 4).tolist(),
             "line": {"color": RACER_COLOURS["adam" if name == "Adam" else "amsgrad"],
                      "width": 3}}
            for name, (x, _, _) in runs.items()]
    _, v, v_max = runs["AMSGrad"]
    data += [{"type": "scatter", "mode": "lines", "name": "AMSGrad: v", "xaxis": "x2",
              "yaxis": "y2", "x": t[1::5].tolist(), "y": v[::5].round(3).tolist(),
              "line": {"color": OKABE_ITO["orange"], "width": 2}},
             {"type": "scatter", "mode": "lines", "name": "AMSGrad: running max of v",
              "xaxis": "x2", "yaxis": "y2", "x": t[1::5].tolist(),
              "y": v_max[::5].round(3).tolist(),
              "line": {"color": RACER_COLOURS["amsgrad"], "width": 3, "dash": "dash"}}]
    curves = [(runs["Adam"][0], "x", "y", RACER_COLOURS["adam"]),
              (runs["AMSGrad"][0], "x", "y", RACER_COLOURS["amsgrad"]),
              (np.concatenate([[v[0]], v]), "x2", "y2", OKABE_ITO["orange"]),
              (np.concatenate([[v_max[0]], v_max]), "x2", "y2", RACER_COLOURS["amsgrad"])]
    first = len(data)
    data += [{"type": "scatter", "mode": "markers", "showlegend": False, "hoverinfo": "skip",
              "xaxis": xa, "yaxis": ya, "x": [0], "y": [float(c[0])],
              "marker": {"size": 13, "color": colour, "line": {"color": "#FFFFFF", "width": 2}}}
             for c, xa, ya, colour in curves]
    frames_at = frame_steps(len(t) - 1)
    frames = [{"name": str(k), "traces": list(range(first, len(data))),
               "data": [{"x": [k], "y": [round(float(c[k]), 4)]} for c, _, _, _ in curves]}
              for k in frames_at]
    height, margin = 700, {"l": 70, "r": 20, "t": 50, "b": 10}
    return {"data": data, "frames": frames, "layout": {
        "height": height, "font": {"size": 15}, "margin": margin,
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom"},
        "xaxis": {"anchor": "y", "domain": [0, 1], "showticklabels": False},
        "yaxis": {"domain": [0.66, 1], "range": [-1.1, 1.1],
                  "title": {"text": "x (best is −1)"}},
        "xaxis2": {"anchor": "y2", "title": {"text": "step t"}},
        "yaxis2": {"domain": [0.28, 0.6], "type": "log", "title": {"text": "v"}},
        **animation_controls(frames_at, speed, height - margin["t"] - margin["b"])}}


def eps_sweep() -> pd.DataFrame:
    """Adam on the plateau for every eps at once: final loss, and how much of the step is
    still adaptive, the median over steps and coordinates of sqrt(v_hat)/(sqrt(v_hat)+eps)
    (1: Adam; near 0: eps dominates and Adam acts as SGD with momentum, step size alpha/eps)."""
    surface = SURFACES[EPS_SURFACE]
    eps = np.array(EPSILONS)[:, None]
    result = run(surface, Adam(EPS_ALPHA, eps=eps), np.array(surface.start), EPS_STEPS,
                 internals=True)
    root = np.sqrt(result.internals["v_hat"])
    adaptive = np.median((root / (root + eps[None])).reshape(EPS_STEPS, len(EPSILONS), -1)
                         .transpose(1, 0, 2).reshape(len(EPSILONS), -1), axis=1)
    return pd.DataFrame({"ε": EPSILONS, "final loss": result.losses[-1] - surface.min_value,
                         "adaptive share of the step": adaptive})


def eps_figure(sweep: pd.DataFrame) -> dict:
    data = [{"type": "scatter", "mode": "lines+markers", "name": "final loss (left)",
             "x": sweep["ε"].tolist(), "y": sweep["final loss"].tolist(),
             "line": {"color": RACER_COLOURS["adam"], "width": 3}},
            {"type": "scatter", "mode": "lines+markers", "yaxis": "y2",
             "name": "√v̂ / (√v̂ + ε), median (right)", "x": sweep["ε"].tolist(),
             "y": sweep["adaptive share of the step"].round(4).tolist(),
             "line": {"color": OKABE_ITO["vermillion"], "width": 3, "dash": "dash"}}]
    return {"data": data, "layout": {
        "height": 420, "font": {"size": 15}, "margin": {"l": 70, "r": 70, "t": 20, "b": 50},
        "legend": {"orientation": "h", "y": -0.25},
        "xaxis": {"type": "log", "title": {"text": "ε (log scale)"}, "dtick": 1},
        "yaxis": {"type": "log", "title": {"text": "final loss above the minimum"}, "dtick": 2},
        "yaxis2": {"overlaying": "y", "side": "right", "range": [0, 1.05], "dtick": 0.2,
                   "title": {"text": "adaptive share"}}}}


def memory_table(parameters: float, bytes_per_value: int) -> pd.DataFrame:
    """Optimizer state for ``parameters`` weights: slots per weight from the engine."""
    rows = []
    for name, optimizer in MEMORY_OPTIMIZERS.items():
        slots = state_slots(optimizer)
        rows.append({"optimizer": name, "state values per weight": slots,
                     "optimizer state (GB)": parameters * slots * bytes_per_value / 1e9})
    return pd.DataFrame(rows)


BETA1 = Choice("reddi_beta1", "β₁", 0.9, options=(0.0, 0.5, 0.9, 0.99))
BETA2 = Choice("reddi_beta2", "β₂", 0.99, options=(0.9, 0.99, 0.999, 0.9999))
ALPHA = Choice("reddi_alpha", "α (decayed as α/√t)", 1.0, options=(0.1, 0.2, 0.5, 1.0, 2.0))
def state_gb(table: pd.DataFrame, optimizer: str) -> float:
    """One optimizer's state in GB, from :func:`memory_table`."""
    return float(table.set_index("optimizer").loc[optimizer, "optimizer state (GB)"])


PRESET = Choice("model", "Model size", "70B", options=tuple(PRESETS) + ("custom",))
PARAMETERS = Number("params", "Parameters (custom)", 1e9, low=1.0, high=1e13)
PRECISION = Choice("precision", "State precision", "fp32 (4 bytes)", options=tuple(PRECISIONS))
SPECS = (BETA1, BETA2, ALPHA, PRESET, PARAMETERS, PRECISION)
