"""Lesson 8: what breaks. Non-convergence, epsilon, and memory, measured on the engine."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from optim import SGD, Adafactor, Adagrad, Adam, Adamax, AdamW, Lion, Muon, NAdam, RAdam, RMSProp
from optim.base import matrix_state_numbers
from optim.online import PERIOD, run_online, run_online_batch
from optim.runner import run
from optim.schedules import InverseSqrt
from optim.surfaces import SURFACES

from .palette import OKABE_ITO, RACER_COLOURS
from .plotly_dict import larger_axes
from .race.figure import SCRUBBER_ROW_PX, animation_controls, frame_steps
from .url_state import Choice, Number

ONLINE_STEPS = 5000
ONLINE_SCHEDULE = InverseSqrt()  # alpha/sqrt(t), as in Reddi, Kale & Kumar's experiment
EPSILONS = tuple(10.0 ** e for e in range(-12, 1))
EPS_SURFACE, EPS_ALPHA, EPS_STEPS = "plateau", 0.05, 300
PRECISIONS = {"fp32 (4 bytes)": 4, "bf16 (2 bytes)": 2, "8-bit (1 byte)": 1}
PRESETS = {"7B": 7e9, "70B": 70e9}
MEMORY_OPTIMIZERS = {"SGD": SGD(0.1), "SGD + momentum": SGD(0.1, momentum=0.9),
                     "Adagrad": Adagrad(), "RMSProp": RMSProp(), "Adam": Adam(),
                     "AdamW": AdamW(), "AMSGrad": Adam(amsgrad=True), "AdaMax": Adamax(),
                     "NAdam": NAdam(), "RAdam": RAdam(), "Lion": Lion(), "Muon": Muon(),
                     "Adafactor": Adafactor()}
#: the weight matrix the counts are taken for (Adafactor's depends on its shape): a
#: 4,096 x 4,096 projection, as in a 7-billion-parameter Llama
MEMORY_MATRIX = (4096, 4096)


def reddi(beta1: float, beta2: float, alpha: float, steps: int = ONLINE_STEPS) -> dict:
    """Adam and AMSGrad on the online problem: ``{name: (x, v, v_max)}``. The settings the
    lesson's sliders offer come from one batched run of them all (:func:`reddi_grid`)."""
    grid = reddi_grid()
    if steps == ONLINE_STEPS and (beta1, beta2, alpha) in grid["settings"]:
        i = grid["settings"].index((beta1, beta2, alpha))
        return {name: tuple(a[:, i] for a in runs) for name, runs in grid["runs"].items()}
    return {"Adam": run_online(Adam(alpha, beta1, beta2), steps, ONLINE_SCHEDULE),
            "AMSGrad": run_online(Adam(alpha, beta1, beta2, amsgrad=True), steps,
                                  ONLINE_SCHEDULE)}


@cache
def reddi_grid() -> dict:
    """Adam and AMSGrad for every setting of the lesson's sliders (80), in one batched run
    each (0.3 s; each run element for element the run alone): ``{"settings": [(beta1,
    beta2, alpha), ...], "runs": {name: (x, v, v_max)}}``, a run's arrays in columns."""
    settings = list(itertools.product(BETA1.options, BETA2.options, ALPHA.options))
    beta1, beta2, alpha = (np.array(column, dtype=float)[:, None] for column in zip(*settings))
    return {"settings": settings,
            "runs": {"Adam": run_online_batch(Adam(alpha, beta1, beta2), ONLINE_STEPS,
                                              ONLINE_SCHEDULE),
                     "AMSGrad": run_online_batch(Adam(alpha, beta1, beta2, amsgrad=True),
                                                 ONLINE_STEPS, ONLINE_SCHEDULE)}}


def reddi_figure(runs: dict, speed: str = "normal",
                 projector: tuple[int, float] | None = None) -> dict:
    """x against t for both; below, AMSGrad's v and its running maximum (log scale).
    Animated at ``speed``: Play moves a marker along each curve, step by step.
    ``projector``: (height in pixels, type scale) to fit a presenter's slide."""
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
    if projector is None:
        height, scale, margin = 700, 1.0, {"l": 70, "r": 20, "t": 50, "b": 10}
        top, bottom = [0.66, 1], [0.28, 0.6]
        controls = animation_controls(frames_at, speed, height - margin["t"] - margin["b"])
    else:
        height, scale = projector
        margin, top, bottom, controls = _reddi_on_a_slide(frames_at, speed, height, scale)
    layout = {
        "height": height, "font": {"size": round(15 * scale)}, "margin": margin,
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom"},
        "xaxis": {"anchor": "y", "domain": [0, 1], "showticklabels": False},
        "yaxis": {"domain": top, "range": [-1.1, 1.1],
                  "title": {"text": "x (best is −1)"}},
        "xaxis2": {"anchor": "y2", "title": {"text": "step t"}},
        "yaxis2": {"domain": bottom, "type": "log", "title": {"text": "v"}, "dtick": "D2"},
        **controls}
    if projector is not None:
        layout.update(larger_axes(layout, scale))
    return {"data": data, "frames": frames, "layout": layout}


#: on a slide, in pixels at the page's type: the step axis's labels and title, and the gap
#: between the panels; and the width of the plot the Play and Pause buttons take, left of
#: the scrubber
SLIDE_AXIS_PX, SLIDE_GAP_PX = 50, 30
SLIDE_BUTTONS_X = 0.15


def _reddi_on_a_slide(frames_at: list[int], speed: str, height: int, scale: float) -> tuple:
    """The margins, the two panels' heights (paper fractions) and the animation controls
    on a slide ``height`` pixels tall, type ``scale`` times the page's: the controls in one
    row, the buttons beside the scrubber (race.figure.animation_controls), so that the two
    panels keep their room."""
    margin = {"l": round(70 * scale), "r": 20, "t": round(50 * scale), "b": 10}
    plot = height - margin["t"] - margin["b"]
    controls = animation_controls(frames_at, speed, plot, 0.0, scale,
                                  beside=(SLIDE_BUTTONS_X, 1))
    foot = (SCRUBBER_ROW_PX + SLIDE_AXIS_PX) * scale / plot
    gap = SLIDE_GAP_PX * scale / plot
    middle = foot + (1 - foot - gap) * 0.32 / 0.66  # the panels share the rest as on the page
    return (margin, [round(middle + gap, 4), 1], [round(foot, 4), round(middle, 4)],
            controls)


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
    """Optimizer state for ``parameters`` weights, all in matrices of MEMORY_MATRIX's shape:
    the numbers of state per weight from the engine's own state for such a matrix."""
    rows = []
    size = MEMORY_MATRIX[0] * MEMORY_MATRIX[1]
    for name, optimizer in MEMORY_OPTIMIZERS.items():
        slots = matrix_state_numbers(optimizer, *MEMORY_MATRIX) / size
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


# -- what the lesson's questions ask (explainers/text/what_breaks.toml) -----------------

NEAR = 0.2  # a run ends "near" an end of [-1, 1] when it is within this distance of it

# -- the map of (beta1, beta2) on Reddi's problem ----------------------------------------

MAP_BETA1S = np.linspace(0.0, 0.99, 34)
MAP_BETA2S = np.sort(1 - np.logspace(-4, np.log10(0.5), 30))  # 0.5 to 0.9999, dense near 1
WRONG = 0.5  # a setting "drifts the wrong way" when x sits above this at the end


@lru_cache(maxsize=8)
def reddi_map(alpha: float) -> np.ndarray:
    """Where Adam's x sits over the last period of the online problem (its mean over the
    last 101 steps, so one step's jump does not decide), for every (beta2, beta1) of the
    map: shape (len(MAP_BETA2S), len(MAP_BETA1S)), from one batched run."""
    b1, b2 = np.meshgrid(MAP_BETA1S, MAP_BETA2S)
    xs, _, _ = run_online_batch(Adam(alpha, b1.ravel()[:, None], b2.ravel()[:, None]),
                                ONLINE_STEPS, ONLINE_SCHEDULE)
    ends = xs[-PERIOD:].mean(axis=0).reshape(b1.shape)
    ends.flags.writeable = False
    return ends


def _beta2_axis(beta2):
    """Where beta2 is drawn: -log10(1 - beta2), so 0.9, 0.99, 0.999 are evenly spaced."""
    return -np.log10(1 - np.asarray(beta2, dtype=float))


def reddi_map_figure(alpha: float, beta1: float, beta2: float) -> dict:
    """The map: blue where Adam ends near the optimum -1, vermillion near +1; the line
    beta1 = sqrt(beta2); the sliders' setting as a cross."""
    ends = reddi_map(alpha)
    ticks = [0.5, 0.9, 0.99, 0.999, 0.9999]
    curve_b2 = np.linspace(MAP_BETA2S.min(), MAP_BETA2S.max(), 200)
    data = [
        {"type": "heatmap", "x": MAP_BETA1S.tolist(), "y": _beta2_axis(MAP_BETA2S).tolist(),
         "z": np.round(ends, 3).tolist(), "zmin": -1, "zmax": 1,
         "colorscale": [[0, OKABE_ITO["blue"]], [0.5, "#FFFFFF"], [1, OKABE_ITO["vermillion"]]],
         "colorbar": {"title": {"text": "x at the end"}, "tickvals": [-1, 0, 1]},
         "customdata": np.broadcast_to(MAP_BETA2S[:, None], ends.shape).round(5).tolist(),
         "hovertemplate": "β₁ %{x:.2f}, β₂ %{customdata}<br>x ends at %{z:.2f}"
                          "<extra></extra>"},
        {"type": "scatter", "mode": "lines", "name": "β₁ = √β₂",
         "x": np.sqrt(curve_b2).tolist(), "y": _beta2_axis(curve_b2).tolist(),
         "line": {"color": "#000000", "width": 3, "dash": "dash"}, "hoverinfo": "skip"},
        {"type": "scatter", "mode": "markers", "name": "the sliders' setting",
         "x": [beta1], "y": [float(_beta2_axis(beta2))],
         "marker": {"symbol": "x", "size": 16, "color": "#000000",
                    "line": {"color": "#FFFFFF", "width": 1}},
         "hovertemplate": "the sliders: β₁ %{x}, β₂ " + f"{beta2:g}<extra></extra>"},
    ]
    return {"data": data, "layout": {
        "title": {"text": f"Where Adam ends on Reddi's problem, α = {alpha:g}"},
        "font": {"size": 15, "color": "#111111"}, "height": 480,
        "margin": {"l": 80, "r": 20, "t": 60, "b": 60},
        "legend": {"orientation": "h", "y": -0.2},
        "xaxis": {"title": {"text": "β₁"}, "range": [0, 1]},
        "yaxis": {"title": {"text": "β₂"}, "tickvals": _beta2_axis(ticks).tolist(),
                  "ticktext": [f"{t:g}" for t in ticks]},
        "paper_bgcolor": "#FFFFFF", "plot_bgcolor": "#FFFFFF"}}


@dataclass(frozen=True)
class MapSummary:
    """What the map shows, for its sentences and its prediction: ``answer`` says where
    Adam goes the wrong way: "small_beta2" (mostly where beta1 < sqrt(beta2) holds, beta2
    too small), "condition" (mostly where beta1 >= sqrt(beta2)) or "nowhere"."""
    answer: str
    alpha: float
    cells: int
    wrong: int  # settings whose x ends above WRONG
    wrong_below: int  # of those, how many satisfy beta1 < sqrt(beta2)
    beta2_safe: str  # the smallest beta2 of the map from which no beta1 goes wrong


def map_summary(alpha: float = 1.0, **_) -> MapSummary:
    ends = reddi_map(alpha)
    b1, b2 = np.meshgrid(MAP_BETA1S, MAP_BETA2S)
    wrong = ends > WRONG
    below = int((wrong & (b1 < np.sqrt(b2))).sum())
    answer = ("nowhere" if not wrong.any() else
              "small_beta2" if below > wrong.sum() / 2 else "condition")
    safe_rows = [i for i in range(len(MAP_BETA2S)) if not wrong[i:].any()]
    safe = f"{MAP_BETA2S[safe_rows[0]]:.4g}" if safe_rows else "none on the map"
    return MapSummary(answer, alpha, int(ends.size), int(wrong.sum()), below, safe)




@lru_cache(maxsize=16)
def _final_x(beta1: float, beta2: float, alpha: float, steps: int = ONLINE_STEPS,
             amsgrad: bool = False) -> float:
    return float(reddi(beta1, beta2, alpha, steps)["AMSGrad" if amsgrad else "Adam"][0][-1])


def _signed(x: float) -> str:
    return f"{x:+.2f}".replace("-", "−")


@dataclass(frozen=True)
class ReddiEnd:
    """Where Adam is after ``steps`` steps of Reddi's problem, and why."""
    answer: str  # "plus" (near +1), "minus" (near -1) or "between"
    x: str  # Adam's x at the end, signed
    amsgrad: str  # AMSGrad's
    v_left: float  # v just before a large gradient over v just after the one before
    steps: int
    near: float


@lru_cache(maxsize=16)
def adam_end(beta1: float, beta2: float, alpha: float, steps: int = ONLINE_STEPS,
             near: float = NEAR) -> ReddiEnd:
    runs = reddi(beta1, beta2, alpha, steps)
    x, v, _ = runs["Adam"]
    end = float(x[-1])
    answer = "plus" if end >= 1 - near else "minus" if end <= near - 1 else "between"
    big = 1 + PERIOD * ((steps - 1 - PERIOD) // PERIOD)  # the last large gradient with a
    #                                                      whole period after it
    return ReddiEnd(answer, _signed(end), _signed(float(runs["AMSGrad"][0][-1])),
                    float(v[big + PERIOD - 2] / v[big - 1]), steps, near)


@dataclass(frozen=True)
class Forgetting:
    """How much of v's jump at one large gradient is left ``steps`` steps later."""
    answer: float
    forgotten: float  # the share gone
    linear: float  # 1 - steps (1 - beta2): as if the same amount were taken off each step


def v_left_after(beta2: float = 0.99, steps: int = PERIOD - 1) -> Forgetting:
    adam = Adam(1e-3, 0.9, beta2)
    params = np.zeros(1)
    params, state = adam.update(params, np.ones(1), adam.init(params))
    peak = float(state.v[0])
    for _ in range(steps):
        params, state = adam.update(params, np.zeros(1), state)
    left = float(state.v[0]) / peak
    return Forgetting(left, 1 - left, max(0.0, 1 - steps * (1 - beta2)))


@dataclass(frozen=True)
class Rescue:
    """Which single change brings Adam to the good side (x < 0) of Reddi's problem, and
    where each run ends."""
    answer: str | frozenset
    base: str
    beta2_x: str
    beta1_x: str
    alpha_x: str


def rescue(beta1: float = 0.9, beta2: float = 0.99, alpha: float = 1.0,
           longer_beta2: float = 0.999, no_beta1: float = 0.0,
           smaller_alpha: float = 0.5) -> Rescue:
    ends = {"beta2": _final_x(beta1, longer_beta2, alpha),
            "beta1": _final_x(no_beta1, beta2, alpha),
            "alpha": _final_x(beta1, beta2, smaller_alpha)}
    rescued = frozenset(k for k, x in ends.items() if x < 0)
    return Rescue(next(iter(rescued)) if len(rescued) == 1 else rescued,
                  _signed(_final_x(beta1, beta2, alpha)),
                  *(_signed(ends[k]) for k in ("beta2", "beta1", "alpha")))


@dataclass(frozen=True)
class EpsStep:
    """Adam's first step, in units of alpha, for a gradient g and a given epsilon."""
    answer: float
    no_eps: float  # the same step with a negligible epsilon
    eps_only: float  # g / eps: as if epsilon alone were the denominator


def _first_step(g: float, eps: float) -> float:
    adam = Adam(1e-3, eps=eps)
    params = np.zeros(1)
    _, _, inside = adam.update(params, np.full(1, g), adam.init(params), internals=True)
    return float(abs(inside.step[0]) / adam.lr)


def eps_step(g: float = 1e-5, eps: float = 1e-4) -> EpsStep:
    return EpsStep(_first_step(g, eps), _first_step(g, 1e-300), g / eps)


@dataclass(frozen=True)
class Memory:
    """Adam's optimizer state for a model, in GB, from the engine's count of its slots."""
    answer: float
    slots: int
    weights_gb: float  # the weights themselves, at the same precision
    billions: float
    bytes_per_value: int


def adam_memory(billions: float = 70, bytes_per_value: int = 4) -> Memory:
    parameters = billions * 1e9
    table = memory_table(parameters, bytes_per_value).set_index("optimizer")
    return Memory(float(table.loc["Adam", "optimizer state (GB)"]),
                  int(table.loc["Adam", "state values per weight"]),
                  parameters * bytes_per_value / 1e9, billions, bytes_per_value)


@dataclass(frozen=True)
class Saving:
    """What switching from Adam to SGD with momentum saves in optimizer state (GB)."""
    answer: float
    adam_gb: float
    momentum_gb: float
    fp32_adam_gb: float


def momentum_saving(billions: float = 70, bytes_per_value: int = 2) -> Saving:
    table = memory_table(billions * 1e9, bytes_per_value)
    adam, momentum = state_gb(table, "Adam"), state_gb(table, "SGD + momentum")
    return Saving(adam - momentum, adam, momentum,
                  state_gb(memory_table(billions * 1e9, 4), "Adam"))
