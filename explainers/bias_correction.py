"""Lesson 4, bias correction: what dividing by 1 - beta^t does, measured on the engine.

Every number comes from ``optim.Adam``: the first-step multiples from one batched
update, the correction factors from the ratio m_hat / m of a run, the steps
from the internals of a run on a constant gradient, the sweep from one batched run.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from optim import Adam
from optim.runner import run
from optim.surfaces import SURFACES

from .palette import OKABE_ITO, RACER_COLOURS
from .plotly_dict import packed
from .race.controls import ALPHAS, BETA2S, EPSILONS
from .race.racers import PAPER_DEFAULTS, Settings
from .race.setup import RaceSetup
from .url_state import Choice, Flag, Number

TABLE_BETA1S = (0.0, 0.9)
TABLE_BETA2S = (0.99, 0.999, 0.9999)
SWEEP_ALPHAS = tuple(float(f"{v:.3g}") for v in np.logspace(-4, 0, 13))
SWEEP_BETA2S = (0.9, 0.99, 0.999, 0.9999)
SWEEP_STEPS = 200
SWITCHES = {(True, True): "both corrected (Adam)", (False, False): "no correction",
            (True, False): "m corrected only", (False, True): "v corrected only"}


def first_step_multiples(correction: tuple[bool, bool]) -> pd.DataFrame:
    """|first step| / alpha for beta1 x beta2, from one batched update with g = 1."""
    b1 = np.array(TABLE_BETA1S)[:, None, None]
    b2 = np.array(TABLE_BETA2S)[None, :, None]
    adam = Adam(lr=1e-3, beta1=b1, beta2=b2, eps=1e-12, bias_correction=correction)
    params = np.zeros((len(TABLE_BETA1S), len(TABLE_BETA2S), 1))
    new, _ = adam.update(params, np.ones_like(params), adam.init(params))
    multiples = -new[..., 0] / adam.lr
    return pd.DataFrame(multiples, index=[f"β₁ = {b:g}" for b in TABLE_BETA1S],
                        columns=[f"β₂ = {b:g}" for b in TABLE_BETA2S])


def constant_gradient_run(adam: Adam, steps: int) -> pd.DataFrame:
    """Adam fed g = 1 at every step: per step t, the step in units of alpha and the
    correction factors m_hat / m = 1 / (1 - beta1^t) and v_hat / v = 1 / (1 - beta2^t)."""
    params = np.zeros(1)
    state = adam.init(params)
    rows = []
    for t in range(1, steps + 1):
        params, state, inside = adam.update(params, np.ones(1), state, internals=True)
        rows.append({"t": t, "step / α": float(inside.step[0] / adam.lr),
                     "m̂ / m": float(inside.m_hat[0] / inside.m[0]),
                     "v̂ / v": float(inside.v_hat[0] / inside.v[0])})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class FirstSteps:
    """The first step in units of alpha at the paper's beta1 = 0.9, beta2 = 0.999, with no
    correction, with m's only and with v's only (one update of the engine each)."""
    none: float
    m_only: float
    v_only: float


@lru_cache(maxsize=1)
def first_steps_at_defaults() -> FirstSteps:
    pick = ("β₁ = 0.9", "β₂ = 0.999")
    return FirstSteps(*(float(first_step_multiples(c).loc[pick]) for c in
                        ((False, False), (True, False), (False, True))))


@dataclass(frozen=True)
class Fading:
    """How long the corrections matter, read from a run with the paper's betas: v's
    factor v_hat / v at steps 300 and 1,000, and sqrt(v_hat / v) at step 1 (how much
    larger Keras's epsilon acts, in PyTorch's terms, at t = 1)."""
    v_at_300: float
    v_at_1000: float
    keras_eps: float


@lru_cache(maxsize=8)
def fading(beta1: float = 0.9, beta2: float = 0.999) -> Fading:
    run_ = constant_gradient_run(Adam(1e-3, beta1, beta2), 1000).set_index("t")["v̂ / v"]
    return Fading(float(run_[300]), float(run_[1000]), float(np.sqrt(run_[1])))


def peak(steps: pd.DataFrame) -> tuple[int, float] | None:
    """``(t, step / alpha)`` where the step of a constant-gradient run peaks, if it rises
    and then falls by more than 1%; None if it only rises or only falls."""
    values = steps["step / α"].to_numpy()
    i = int(values.argmax())
    if 0 < i < len(values) - 1 and values[i] > 1.01 * max(values[0], values[-1]):
        return int(steps["t"].iloc[i]), float(values[i])
    return None


def step_course(steps: pd.DataFrame) -> str:
    """How the step (in units of alpha) of a constant-gradient run goes, in words."""
    values, end = steps["step / α"].to_numpy(), int(steps["t"].iloc[-1])
    top = peak(steps)
    if top:
        return f"peaks at {top[1]:.3g} α at t = {top[0]} and is {values[-1]:.3g} α at t = {end:,}"
    return f"goes from {values[0]:.3g} α at t = 1 to {values[-1]:.3g} α at t = {end:,}"


@dataclass(frozen=True)
class SweepVerdict:
    """What switching the correction off did on one landscape's sweep."""
    steps: int
    landscape: str
    blown: str  # "3 runs blow up that corrected Adam survives", or that none do
    good_off: int
    good_on: int
    cells: int
    good: float  # "good": a final loss within this of the minimum


def sweep_verdict(landscape: str, corrected, uncorrected, good: float = 1e-3) -> SweepVerdict:
    """Compare two sweeps ``(loss, diverged)``: corrected Adam and the switched one."""
    (loss_on, div_on), (loss_off, div_off) = corrected, uncorrected
    blown = int((div_off & ~div_on).sum())
    words = ("no run blows up that corrected Adam survives" if blown == 0 else
             f"{blown} run{'s' if blown > 1 else ''} blow{'' if blown > 1 else 's'} up that "
             "corrected Adam survives")
    return SweepVerdict(SWEEP_STEPS, landscape, words,
                        int(((loss_off < good) & ~div_off).sum()),
                        int(((loss_on < good) & ~div_on).sum()), int(loss_on.size), good)


def sweep(surface_key: str, correction: tuple[bool, bool], beta1: float, eps: float):
    """Final loss above the minimum after SWEEP_STEPS steps, over beta2 x alpha:
    one batched run. Returns ``(loss, diverged)``, both shaped (beta2s, alphas)."""
    surface = SURFACES[surface_key]
    adam = Adam(lr=np.array(SWEEP_ALPHAS)[None, :, None], beta1=beta1,
                beta2=np.array(SWEEP_BETA2S)[:, None, None], eps=eps, bias_correction=correction)
    result = run(surface, adam, np.array(surface.start), SWEEP_STEPS)
    return result.losses[-1] - surface.min_value, result.diverged


def sweep_summary(loss: np.ndarray, diverged: np.ndarray, good: float = 1e-3) -> str:
    """How many runs of a sweep diverged, and how many ended within ``good`` of the minimum."""
    n = loss.size
    reached = int(((loss < good) & ~diverged).sum())
    return (f"{int(diverged.sum())} of {n} runs diverged; {reached} of {n} ended with a loss "
            f"within {good:g} of the minimum")


CORRECT = Flag("bc", "Bias correction", True)
CORRECT_M = Flag("bc_m", "Correct m (divide by 1 − β₁ᵗ)", True)
CORRECT_V = Flag("bc_v", "Correct v (divide by 1 − β₂ᵗ)", True)
BETA1 = Number("beta1", "β₁", PAPER_DEFAULTS["beta1"], low=0.0, high=0.99, step=0.01)
BETA2 = Choice("beta2", "β₂", PAPER_DEFAULTS["beta2"], options=BETA2S)
EPS = Choice("eps", "ε", PAPER_DEFAULTS["eps"], options=EPSILONS)
ALPHA = Choice("alpha", "α (for the landscape)", 0.1, options=ALPHAS)
SURFACE = Choice("surface", "Landscape", "rosenbrock", options=tuple(SURFACES),
                 names={k: s.name for k, s in SURFACES.items()})
STEPS = Number("steps", "Steps on the landscape", 300, low=10, high=1000, integer=True,
               step=10)
SPECS = (CORRECT, CORRECT_M, CORRECT_V, BETA1, BETA2, EPS, ALPHA, SURFACE, STEPS)


def switches(values: dict) -> tuple[bool, bool]:
    """The switches as (correct m, correct v)."""
    return bool(values[CORRECT_M.key]), bool(values[CORRECT_V.key])


def compared(values: dict) -> tuple[bool, bool]:
    """What to set against Adam: the switches, or no correction while both are on."""
    pattern = switches(values)
    return pattern if pattern != (True, True) else (False, False)


def landscape_setups(values: dict) -> tuple[RaceSetup, RaceSetup]:
    """Adam with both corrections, and Adam as :func:`compared` says, on the landscape."""
    base = Settings(alpha_adaptive=values[ALPHA.key], beta1=values[BETA1.key],
                    beta2=values[BETA2.key], eps=values[EPS.key])
    key = values[SURFACE.key]
    make = lambda correction: RaceSetup(  # noqa: E731
        surface=key, racers=("adam",), steps=int(values[STEPS.key]),
        settings=Settings(**{**base.__dict__, "correction": correction}))
    return make((True, True)), make(compared(values))


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
    top = peak(switched)
    annotations = [] if top is None else [
        {"x": float(np.log10(top[0])), "y": top[1],  # a log axis places annotations in log10
         "text": f"peak {top[1]:.3g} α at t = {top[0]}", "showarrow": True, "arrowhead": 2,
         "ax": 60, "ay": -30, "font": {"size": 15}}]
    layout = _layout("The step when the gradient is always 1", "step t", "step / α",
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
                     "colorbar": {"title": {"text": "log₁₀<br>(loss − min)"}},
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
                                         "title": {"text": "α (learning rate)"},
                                         "anchor": f"y{suffix}"}
        layout_axes[f"yaxis{suffix}"] = {"type": "category", "title": {"text": "β₂"},
                                         "anchor": f"x{suffix}"}
        annotations.append({"text": f"<b>{title}</b>", "xref": "paper", "yref": "paper",
                            "x": (lo + hi) / 2, "y": 1.08, "showarrow": False,
                            "font": {"size": 15}})
    layout = {"font": FONT, "height": 420, "margin": {"l": 70, "r": 20, "t": 60, "b": 60},
              "annotations": annotations, **layout_axes,
              "title": {"text": f"Loss after {SWEEP_STEPS} steps (× = diverged)", "y": 0.99}}
    return {"data": data, "layout": layout}


# -- what the lesson's questions ask (explainers/text/bias_correction.toml) ----------

@dataclass(frozen=True)
class FirstStep:
    """Adam's first step in units of alpha with the corrections as given (a gradient of
    1 and a negligible epsilon, so the multiple holds for a gradient of any size), and
    what it is with none and with both; m_share = m_1 / g and root_v_share = sqrt(v_1) / |g|
    before any correction."""
    answer: float
    uncorrected: float
    corrected: float
    m_share: float
    root_v_share: float


def _first_step(beta1: float, beta2: float, correction: tuple[bool, bool]):
    adam = Adam(1e-3, beta1, beta2, 1e-12, correction)
    params = np.zeros(1)
    _, _, inside = adam.update(params, np.ones(1), adam.init(params), internals=True)
    return float(inside.step[0] / adam.lr), inside


def first_step(beta1: float = 0.9, beta2: float = 0.999, correct_m: bool = False,
               correct_v: bool = False) -> FirstStep:
    answer, inside = _first_step(beta1, beta2, (correct_m, correct_v))
    return FirstStep(answer, _first_step(beta1, beta2, (False, False))[0],
                     _first_step(beta1, beta2, (True, True))[0], float(inside.m[0]),
                     float(np.sqrt(inside.v[0])))


@dataclass(frozen=True)
class SecondMoment:
    """v and v_hat after t steps of a constant gradient g."""
    answer: float  # v_hat_t
    v: float  # v_t, before the correction
    g_squared: float


def v_hat_after(beta2: float, g: float, t: int) -> SecondMoment:
    adam = Adam(1e-3, 0.9, beta2)
    params = np.zeros(1)
    state = adam.init(params)
    for _ in range(t):
        params, state, inside = adam.update(params, np.full(1, g), state, internals=True)
    return SecondMoment(float(inside.v_hat[0]), float(inside.v[0]), g * g)


@dataclass(frozen=True)
class Factors:
    """How many times v_hat is v (and m_hat is m) at step t, read from a run."""
    answer: float  # v_hat / v
    m_factor: float  # m_hat / m
    v_steps: int  # about 3 / (1 - beta2): how long v's correction lasts


def v_factor(beta1: float, beta2: float, t: int) -> Factors:
    row = constant_gradient_run(Adam(1e-3, beta1, beta2), t).iloc[-1]
    return Factors(float(row["v̂ / v"]), float(row["m̂ / m"]), round(3 / (1 - beta2)))


@dataclass(frozen=True)
class LargestFirstStep:
    """Which beta2 gives the largest uncorrected first step, and the three steps (alpha)."""
    answer: str
    at_0_99: float
    at_0_999: float
    at_0_9999: float


def largest_uncorrected_first_step(beta1: float) -> LargestFirstStep:
    steps = {key: first_step(beta1, beta2).answer for key, beta2 in
             (("0.99", 0.99), ("0.999", 0.999), ("0.9999", 0.9999))}
    return LargestFirstStep(max(steps, key=steps.get), *steps.values())
