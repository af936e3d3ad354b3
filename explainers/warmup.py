"""Lesson 5, warmup and schedules: why Adam's first steps are its riskiest, and what a
schedule of the learning rate does about it, measured on the engine.

Every number comes from ``optim``: the first step from one update of ``Adam``; the spread
of the early steps from one batched run of Adam on pure noise (one run per seed); the
race from batched runs of the engine over many fog seeds at once (``Fog`` with a tuple of
seeds), with the schedules of ``optim.schedules`` and RAdam's own rectification.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from optim import Adam, RAdam
from optim.adam_family import RECTIFY_ABOVE
from optim.adam_family import rectification as radam_rectification
from optim.fog import Fog
from optim.runner import Run, run
from optim.schedules import Constant, LinearWarmup, Schedule, WarmupCosine, warmup_rule
from optim.surfaces import SURFACES

from .palette import RACER_COLOURS
from .plotly_dict import chart_layout, packed
from .race.landscape import paths_figure as landscape_paths
from .race.racers import PAPER_DEFAULTS
from .race.setup import typical_slope
from .url_state import Choice, Number

SEEDS = 24  # fog seeds: each variant runs once per seed, all in one batch
NOISE_SEEDS = 2000  # hikers on pure noise, for the spread of the early steps
NOISE_STEPS = 300
LANDSCAPES = ("eggcrate", "rosenbrock", "beale", "himmelblau", "tilted")

ALPHA = Choice("alpha", "α (the peak learning rate)", 0.3, options=(0.03, 0.1, 0.3, 1.0),
               help="The learning rate the schedule scales: the constant run uses it "
                    "throughout, the others reach it after the warmup.")
WARMUP = Number("warmup", "Warmup steps", 100, low=10, high=3000, integer=True, step=10,
                help="The learning rate rises in a straight line from α/warmup at step 1 to "
                     "α at this step.")
#: beta2 from 0.9: below about 0.71, rho_inf is 5 or less and RAdam never adapts at all
BETA2 = Choice("beta2", "β₂", PAPER_DEFAULTS["beta2"], options=(0.9, 0.99, 0.999, 0.9999))
FOG = Choice("fog", "Fog (gradient noise)", 1.0, options=(0.0, 0.3, 1.0, 3.0),
             help="The spread of the noise added to each gradient, in units of the "
                  "landscape's typical slope.")
SURFACE = Choice("surface", "Landscape", "eggcrate", options=LANDSCAPES,
                 names={k: SURFACES[k].name for k in LANDSCAPES})
FINAL = Choice("final", "Cosine decays to", 0.0, options=(0.0, 0.1, 0.3),
               names={0.0: "0", 0.1: "0.1 α", 0.3: "0.3 α"},
               help="The learning rate the cosine decay reaches at the last step.")
STEPS = Number("steps", "Steps", 1000, low=200, high=3000, integer=True, step=100)
SPECS = (ALPHA, WARMUP, FINAL, BETA2, FOG, SURFACE, STEPS)


# -- the first step: sign descent ---------------------------------------------------

@dataclass(frozen=True)
class FirstStep:
    """Adam's first step for two gradients a thousand times apart in size, in units of
    alpha (one update of the engine each); ``answer`` is the step of the smaller."""
    g: tuple[float, float]
    steps: tuple[float, float]
    sgd: tuple[float, float]  # SGD's steps alpha * g, in units of alpha
    answer: float


def sign_steps(g, alpha: float = 0.01) -> tuple[float, ...]:
    """Adam's first step (paper's defaults, from zero) for the gradient ``g``, in units of
    alpha: what it subtracts from each weight."""
    adam = Adam(alpha)
    g = np.asarray(g, dtype=float)
    _, _, inside = adam.update(np.zeros_like(g), g, adam.init(np.zeros_like(g)), internals=True)
    return tuple(float(s) for s in inside.step / alpha)


def first_step(g_big: float = 50.0, g_small: float = 0.05, alpha: float = 0.01) -> FirstStep:
    """One Adam update from zero with the gradient (g_big, g_small)."""
    steps = sign_steps((g_big, g_small), alpha)
    return FirstStep((g_big, g_small), steps, (g_big, g_small), steps[1])


# -- the early steps on pure noise ----------------------------------------------------

@dataclass(frozen=True)
class EarlySteps:
    """Adam on pure noise (gradients drawn from N(0, 1), one hiker per seed), per step t:
    the median and the 5th and 95th percentiles of |step| / alpha and of the adaptive rate
    alpha / (sqrt(v_hat) + eps) in units of alpha (the noise's size is 1)."""
    t: np.ndarray
    step: np.ndarray  # (3, steps): 5th, 50th, 95th percentile
    rate: np.ndarray  # (3, steps)
    beta2: float


@lru_cache(maxsize=8)
def early_steps(beta2: float = 0.999, beta1: float = 0.9) -> EarlySteps:
    adam = Adam(1.0, beta1, beta2)
    rng = np.random.default_rng(5)
    params = np.zeros((NOISE_SEEDS, 1))
    state = adam.init(params)
    steps, rates = np.empty((NOISE_STEPS, NOISE_SEEDS)), np.empty((NOISE_STEPS, NOISE_SEEDS))
    for t in range(NOISE_STEPS):
        state, inside = adam.update_inplace(params, rng.standard_normal(params.shape), state,
                                            internals=True)
        steps[t], rates[t] = np.abs(inside.step[:, 0]), inside.effective_lr[:, 0]
    pct = (5, 50, 95)
    return EarlySteps(np.arange(1, NOISE_STEPS + 1), np.percentile(steps, pct, axis=1),
                      np.percentile(rates, pct, axis=1), beta2)


@dataclass(frozen=True)
class Early:
    """The sentences' numbers from :func:`early_steps`."""
    first: float  # median |step| / alpha at t = 1
    later: float  # median |step| / alpha at the last step
    last_t: int
    times: float  # first / later
    rate_low: float  # 5th and 95th percentile of the adaptive rate at t = 1
    rate_high: float
    spread_first: float  # 95th / 5th percentile of the adaptive rate at t = 1 and at the end
    spread_last: float


def early(result: EarlySteps) -> Early:
    step, rate = result.step, result.rate
    return Early(float(step[1, 0]), float(step[1, -1]), int(result.t[-1]),
                 float(step[1, 0] / step[1, -1]), float(rate[0, 0]), float(rate[2, 0]),
                 float(rate[2, 0] / rate[0, 0]), float(rate[2, -1] / rate[0, -1]))


@dataclass(frozen=True)
class Rectification:
    """RAdam's length of the approximated moving average, rho_t (Liu et al., 2020), and
    the first step at which PyTorch's RAdam uses the adaptive rate (rho_t > 5); and the
    untuned warmup of Ma & Yarats (2021), 2 / (1 - beta2) steps."""
    beta2: float
    answer: int  # the first adaptive step
    ma_yarats: int


def rectifier_at(beta2: float, t: int) -> float:
    """RAdam's r_t at step t (1 before it adapts), from the engine."""
    return float(radam_rectification(beta2, np.array([t]))[1][0])


def rectification(beta2: float = 0.999) -> Rectification:
    t = np.arange(1, 100_000)
    rho, _ = radam_rectification(beta2, t)
    if not (rho > RECTIFY_ABOVE).any():
        raise ValueError(f"With beta2 = {beta2:g}, rho_t never exceeds {RECTIFY_ABOVE:g}: RAdam "
                         "never takes an adaptive step.")
    return Rectification(beta2, int(t[np.argmax(rho > RECTIFY_ABOVE)]), warmup_rule(beta2))


# -- the schedules -------------------------------------------------------------------

@dataclass(frozen=True)
class Variant:
    key: str
    label: str
    optimizer: str  # "adam" or "radam"
    dash: str


VARIANTS = (
    Variant("constant", "Adam, constant α", "adam", "solid"),
    Variant("warmup", "Adam, linear warmup", "adam", "dash"),
    Variant("cosine", "Adam, warmup + cosine decay", "adam", "dot"),
    Variant("radam", "RAdam, constant α", "radam", "dashdot"),
)
BY_KEY = {v.key: v for v in VARIANTS}


def schedule(kind: str, warmup: int, steps: int, final: float = 0.0) -> Schedule:
    """The learning-rate schedule of a variant (``final``: where the cosine ends, in units
    of alpha)."""
    if kind == "warmup":
        return LinearWarmup(warmup)
    if kind == "cosine":
        return WarmupCosine(total=steps, warmup=min(warmup, steps - 1), min_factor=final)
    return Constant()


def schedule_figure(values: dict) -> dict:
    """The learning rate of each variant against the step (in units of alpha), with
    RAdam's rectification r_t as the multiplier it applies to its adaptive step."""
    steps, warmup, beta2 = int(values[STEPS.key]), int(values[WARMUP.key]), values[BETA2.key]
    t = np.arange(1, steps + 1)
    data = []
    for variant in VARIANTS[1:3]:  # the constant run is at 1 throughout: no line hides it
        rates = schedule(variant.key, warmup, steps, values[FINAL.key]).factors(steps)
        data.append(_line(t, rates, variant,
                          variant.label, "%{y:.3g} α at step %{x}"))
    rho, r = radam_rectification(beta2, t)
    adaptive = rho > RECTIFY_ABOVE  # before, no adaptive step: no line
    data.append(_line(t[adaptive], r[adaptive], BY_KEY["radam"], "RAdam's rₜ",
                      "rₜ = %{y:.3g} at step %{x}"))
    return chart_layout(data, "The learning rate each run uses", "step t",
                        "learning rate / α", yaxis={"range": [0, 1.05]})


def _line(t, y, variant: Variant, name: str, hover: str) -> dict:
    return {"type": "scatter", "mode": "lines", "name": name, "x": packed(t),
            "y": packed(y), "line": {"color": RACER_COLOURS[variant.optimizer], "width": 3,
                                     "dash": variant.dash},
            "hovertemplate": f"{name}<br>{hover}<extra></extra>"}


# -- the race over many fog seeds -------------------------------------------------------

@dataclass(frozen=True)
class Race:
    """Each variant's batched run over the fog seeds (positions (steps + 1, seeds, 2))."""
    surface: str
    runs: dict  # variant key -> Run
    steps: int


def _seeds(fog: float) -> tuple[int, ...]:
    return tuple(range(SEEDS)) if fog > 0 else (0,)


def race_values(values: dict) -> tuple:
    """The settings that decide the race, as a hashable key."""
    return tuple(values[spec.key] for spec in SPECS)


@lru_cache(maxsize=16)
def race(alpha: float, warmup: int, final: float, beta2: float, fog: float, surface_key: str,
         steps: int) -> Race:
    surface = SURFACES[surface_key]
    seeds = _seeds(fog)
    start = np.broadcast_to(np.array(surface.start, dtype=float), (len(seeds), 2))
    weather = Fog(fog * typical_slope(surface_key), seeds) if fog > 0 else None
    runs = {}
    for v in VARIANTS:
        optimizer = (RAdam(alpha, beta2=beta2) if v.optimizer == "radam"
                     else Adam(alpha, beta2=beta2))
        runs[v.key] = run(surface, optimizer, start, steps, fog=weather,
                          schedule=schedule(v.key, warmup, steps, final))
    for r in runs.values():
        for array in (r.positions, r.losses, r.diverged_at):
            array.flags.writeable = False
    return Race(surface_key, runs, steps)


def race_for(values: dict) -> Race:
    return race(*race_values(values))


def _above(race_: Race, r: Run) -> np.ndarray:
    """Loss above the minimum, (steps + 1, seeds)."""
    return np.maximum(r.losses - SURFACES[race_.surface].min_value, 0.0)


@dataclass(frozen=True)
class Standing:
    key: str
    label: str
    median_final: float  # median over the seeds of the final loss above the minimum
    diverged: int  # seeds whose run left the map
    seeds: int


def standings(race_: Race) -> list[Standing]:
    out = []
    for v in VARIANTS:
        r = race_.runs[v.key]
        final = _above(race_, r)[-1]
        alive = ~r.diverged
        out.append(Standing(v.key, v.label,
                            float(np.median(final[alive])) if alive.any() else float("inf"),
                            int(r.diverged.sum()), int(r.diverged.size)))
    return out


def ranked(race_: Race) -> list[Standing]:
    """Best first: fewer runs off the map, then the lower median final loss."""
    return sorted(standings(race_), key=lambda s: (s.diverged, s.median_final))


@dataclass(frozen=True)
class Winner:
    """The prediction's truth: which variants end lowest (median over the runs, runs that
    left the map counting against them; variants within TIE of each other tie), and the
    numbers its explanation quotes."""
    answer: frozenset
    winner: str  # their names, "A" or "A and B"
    ends: str  # "ends" or "end" (together)
    best: str  # medians, written: a number, or that every run left the map
    runner_up: str
    second: str
    constant: str
    with_warmup: str
    runs: str  # "24 fog seeds" or "clear weather, one run each"
    steps: int


TIE = 0.01  # relative: medians this close (or both below 1e-12) are a tie


def tied(a: Standing, b: Standing) -> bool:
    return a.diverged == b.diverged and (abs(a.median_final - b.median_final)
                                         <= TIE * max(a.median_final, b.median_final)
                                         or max(a.median_final, b.median_final) < 1e-12)


def median_text(value: float) -> str:
    return f"{value:.3g}" if np.isfinite(value) else "nothing (every run left the map)"


def names(labels: list[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def runs_phrase(seeds: int) -> str:
    return f"{seeds} fog seeds" if seeds > 1 else "clear weather, one run each"


def winner_settings(values: dict) -> dict:
    """The prediction's settings: the race's, and the numbers its prompt quotes."""
    return {"values": tuple(sorted(values.items())),
            "runs": runs_phrase(len(_seeds(values[FOG.key]))),
            "steps": int(values[STEPS.key]), "alpha": values[ALPHA.key],
            "warmup": int(values[WARMUP.key])}


def lowest(values: tuple, **_) -> Winner:
    race_ = race_for(dict(values))
    order = ranked(race_)
    top = [s for s in order if tied(s, order[0])]
    rest = order[len(top)] if len(top) < len(order) else order[-1]
    by_key = {s.key: s for s in order}
    return Winner(frozenset(s.key for s in top), names([s.label for s in top]),
                  "ends" if len(top) == 1 else "end together",
                  median_text(order[0].median_final), rest.label,
                  median_text(rest.median_final), median_text(by_key["constant"].median_final),
                  median_text(by_key["warmup"].median_final), runs_phrase(order[0].seeds),
                  race_.steps)


def decay_effect(race_: Race) -> str:
    """What the cosine decay did to the median final loss, against the constant run."""
    by_key = {s.key: s for s in standings(race_)}
    constant, cosine = by_key["constant"].median_final, by_key["cosine"].median_final
    if not (np.isfinite(constant) and np.isfinite(cosine)):
        return ("Here too many runs left the map to compare medians: lower α or the fog.")
    if max(constant, cosine) < 1e-9:
        return ("Here both end at the minimum (within 1e-9): with nothing left to settle, the "
                "decay has nothing to do.")
    if cosine < constant / 1.5:
        return (f"Here the run with the decay ends {constant / max(cosine, 1e-300):.3g} times "
                f"lower than the constant run ({cosine:.3g} against {constant:.3g}): look at "
                "its loss fall in the last part of the race, where the others stay level.")
    if cosine > constant * 1.5:
        return (f"Here the decay ends higher ({cosine:.3g} against {constant:.3g}): it slowed "
                "the hiker down before it reached the bottom. Give the race more steps.")
    return (f"Here the decay makes little difference ({cosine:.3g} against {constant:.3g}): "
            "with this little fog there is not much wandering to settle.")


def radam_note(race_: Race, alpha: float, beta2: float) -> str:
    """If RAdam left the map: why, with the length of its first step from the start
    against Adam's (one update of each, on the clear slope)."""
    radam = race_.runs["radam"]
    if not radam.diverged.any():
        return ""
    surface = SURFACES[race_.surface]
    start = np.array(surface.start, dtype=float)
    slope = surface.grad(start)
    first = {}
    for name, optimizer in (("radam", RAdam(alpha, beta2=beta2)),
                            ("adam", Adam(alpha, beta2=beta2))):
        moved, _ = optimizer.update(start, slope, optimizer.init(start))
        first[name] = float(np.linalg.norm(moved - start))
    runs = (f"in {int(radam.diverged.sum())} of {radam.diverged.size} fog seeds"
            if radam.diverged.size > 1 else "")
    where = f"RAdam left the map {runs}".rstrip()
    return (f"{where}: until its rectification starts, its steps are plain momentum steps "
            "α m̂ₜ, as long as the slope is steep. From the start, on the clear slope, its "
            f"first step is {first['radam']:.3g} long and Adam's {first['adam']:.3g}: an α "
            "chosen for Adam can be far too large for SGD with momentum.")


def race_table(race_: Race) -> pd.DataFrame:
    """The standings as rows for a table."""
    rows = [{"Run": s.label, f"Median final loss above the minimum ({runs_phrase(s.seeds)})":
             f"{s.median_final:.3g}" if np.isfinite(s.median_final) else "every run left the map",
             "Left the map": f"{s.diverged} of {s.seeds}"}
            for s in standings(race_)]
    return pd.DataFrame(rows)


SYMBOLS = {"constant": "circle", "warmup": "diamond", "cosine": "square", "radam": "x"}


def ends_figure(race_: Race) -> dict:
    """Where each fog seed's run of each variant ends, on the contour map (runs that left
    the map are not drawn; the table counts them)."""
    surface = SURFACES[race_.surface]
    figure = landscape_paths(surface, [], height=480)
    for v in VARIANTS:
        r = race_.runs[v.key]
        ends = r.positions[-1][~r.diverged]
        figure["data"].append({
            "type": "scatter", "mode": "markers", "name": v.label,
            "x": packed(ends[:, 0]), "y": packed(ends[:, 1]),
            "marker": {"symbol": SYMBOLS[v.key], "size": 12, "color": RACER_COLOURS[v.optimizer],
                       "line": {"color": "#FFFFFF", "width": 1}},
            "hovertemplate": f"{v.label}<br>ends at (%{{x:.3f}}, %{{y:.3f}})<extra></extra>"})
    figure["layout"]["title"] = {"text": "Where each fog seed's run ends"}
    figure["layout"]["margin"]["t"] = 50
    return figure


def loss_figure(race_: Race) -> dict:
    """Each variant's median loss above the minimum over the fog seeds, against the step
    (log scale), with the band from the 25th to the 75th percentile."""
    data = []
    t = np.arange(race_.steps + 1)
    for v in VARIANTS:
        r = race_.runs[v.key]
        above = _above(race_, r)
        label = v.label + (f" (left the map: {int(r.diverged.sum())} of {r.diverged.size})"
                           if r.diverged.any() else "")
        floor = np.maximum(above, 1e-12)
        low, mid, high = np.percentile(floor, (25, 50, 75), axis=1)
        colour = RACER_COLOURS[v.optimizer]
        data.append({"type": "scatter", "mode": "lines", "x": packed(np.r_[t, t[::-1]]),
                     "y": packed(np.log10(np.r_[high, low[::-1]])), "fill": "toself",
                     "fillcolor": _translucent(colour), "line": {"width": 0},
                     "hoverinfo": "skip", "showlegend": False, "legendgroup": v.key})
        data.append({"type": "scatter", "mode": "lines", "name": label, "legendgroup": v.key,
                     "x": packed(t), "y": packed(np.log10(mid)), "customdata": packed(mid),
                     "line": {"color": colour, "width": 3, "dash": v.dash},
                     "hovertemplate": f"{v.label}<br>step %{{x}}: median %{{customdata:.3g}}"
                                      "<extra></extra>"})
    return chart_layout(data, "Loss above the minimum: median, band the middle half",
                        "step t", "log₁₀(f − f_min)")


def early_figure(result: EarlySteps) -> dict:
    """Two panels: |step| / alpha and the adaptive rate, median and 5-95% band, per step."""
    data = []
    t = result.t
    colour = RACER_COLOURS["adam"]
    for axis, values, name in (("", result.step, "|step| / α"),
                               ("2", result.rate, "α / (√v̂ + ε), in units of α")):
        low, mid, high = values
        data.append({"type": "scatter", "mode": "lines", "x": packed(np.r_[t, t[::-1]]),
                     "y": packed(np.r_[high, low[::-1]]), "fill": "toself",
                     "fillcolor": _translucent(colour), "line": {"width": 0},
                     "hoverinfo": "skip", "showlegend": False, "xaxis": f"x{axis}",
                     "yaxis": f"y{axis}"})
        data.append({"type": "scatter", "mode": "lines", "name": name, "x": packed(t),
                     "y": packed(mid), "line": {"color": colour, "width": 3},
                     "xaxis": f"x{axis}", "yaxis": f"y{axis}", "showlegend": False,
                     "hovertemplate": f"step %{{x}}: median {name} %{{y:.3g}}<extra></extra>"})
    title = (f"Adam on pure noise, {NOISE_SEEDS:,} hikers (β₂ = {result.beta2:g}): median and "
             "5–95% band")
    return chart_layout(data, title, "step t", "|step| / α",
                        xaxis={"domain": [0, 0.42], **LOG_STEPS},
                        xaxis2={"domain": [0.58, 1], **LOG_STEPS},
                        yaxis2={"anchor": "x2", "type": "log", "tickvals": [0.3, 1, 3, 10, 30],
                                "title": {"text": "adaptive rate α/(√v̂+ε), units of α"}})


LOG_STEPS = {"type": "log", "tickvals": [1, 3, 10, 30, 100, 300], "title": {"text": "step t"}}


def _translucent(colour: str) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},0.15)"




# -- what the checks ask (explainers/text/warmup.toml) ---------------------------------

@dataclass(frozen=True)
class ScheduleValue:
    """A schedule's learning rate at step t, in units of alpha."""
    t: int
    warmup: int
    total: int
    answer: float
    progress: float  # how far through the decay step t is
    linear: float  # what a straight line from 1 at the warmup's end to 0 at ``total`` gives


def cosine_at(t: int = 325, warmup: int = 100, total: int = 1000) -> ScheduleValue:
    factor = float(WarmupCosine(total=total, warmup=warmup).factors(t)[-1])
    progress = (t - warmup) / (total - warmup)
    return ScheduleValue(t, warmup, total, factor, progress, 1 - progress)


@dataclass(frozen=True)
class WarmupLength:
    """Ma & Yarats's untuned warmup for ``beta2``, in steps."""
    beta2: float
    answer: int


def warmup_length(beta2: float = 0.99) -> WarmupLength:
    return WarmupLength(beta2, warmup_rule(beta2))
