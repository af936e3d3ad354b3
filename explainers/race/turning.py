"""The race turned through every angle at once. Adam divides each coordinate by the size of
its own slopes, so stretching a coordinate leaves its path alone and turning the map does
not; SGD's step, alpha times the slope, turns with the landscape.

One batched run per racer: the race's landscape turned by each of ANGLES
(optim.surfaces.rotated_batch), each row from the race's start turned with it, in the same
fog. Row k is, number for number, the race on the landscape turned by ANGLES[k]; the row
at the race's own angle is the race on the page.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from optim.fog import Fog
from optim.runner import run
from optim.surfaces import rotated_batch, turn

from ..plotly_dict import chart_layout, packed
from ..text import readable
from .figure import LOSS_FLOOR
from .racers import RACERS
from .setup import RaceSetup, typical_slope

ANGLES = tuple(range(0, 91, 5))  # degrees: a quarter turn, past which the axes repeat
HALF = 45  # the angle the prediction and the closing note compare with 0
SWEPT = ("sgd", "adam")  # always turned, whichever racers race: the two the lesson compares
SAME = np.log10(2)  # a change of Adam's lead smaller than a factor of 2 counts as none
#: a final loss this close to the minimum counts as there: Adam against SGD is compared down
#: to it, not to the chart's floor (below it, ratios measure rounding, not the race)
AT_MINIMUM = 1e-8


@dataclass(frozen=True)
class Sweep:
    """Every swept racer's final loss on the race turned by each of ``angles``."""
    landscape: str  # the unturned landscape's name
    angle: float  # the race's own angle
    steps: int
    fog: float
    angles: tuple[int, ...]
    racers: tuple[str, ...]
    min_value: float
    final: dict  # racer -> final loss at each angle (the last good one if it diverged)
    diverged_at: dict  # racer -> the step it diverged at, at each angle (-1: it did not)

    def above(self, racer: str) -> np.ndarray:
        """Final loss above the minimum, at least LOSS_FLOOR; infinite where it diverged."""
        above = np.maximum(self.final[racer] - self.min_value, LOSS_FLOOR)
        return np.where(self.diverged_at[racer] >= 0, np.inf, above)

    def at(self, racer: str, angle: float) -> float:
        return float(self.above(racer)[self.angles.index(angle)])


def swept_racers(setup: RaceSetup) -> tuple[str, ...]:
    """SGD, Adam and the race's other racers, in the racers' usual order."""
    return tuple(k for k in RACERS if k in SWEPT or k in setup.racers)


@lru_cache(maxsize=32)
def sweep(setup: RaceSetup) -> Sweep:
    """The race at every angle of ANGLES: one batched run per racer, row k on the
    unturned landscape turned by ANGLES[k] from the race's start turned by
    ANGLES[k] minus the race's own angle (0 at its own: the very start)."""
    landscape = setup.landscape
    unturned = landscape.turned_from or landscape
    angles = np.array(ANGLES, dtype=np.float64)
    start = np.broadcast_to(np.array(setup.start_point, dtype=np.float64), (len(ANGLES), 2))
    starts = turn(start, angles - landscape.angle, unturned.minima[0])
    fog = Fog(setup.fog * typical_slope(setup.surface), setup.seed) if setup.fog > 0 else None
    batch = rotated_batch(unturned, angles)
    final, diverged = {}, {}
    for key in swept_racers(setup):
        result = run(batch, RACERS[key].make(setup.settings), starts, setup.steps, fog=fog)
        final[key], diverged[key] = result.losses[-1], result.diverged_at
        final[key].flags.writeable = diverged[key].flags.writeable = False
    return Sweep(unturned.name, landscape.angle, setup.steps, setup.fog, ANGLES,
                 swept_racers(setup), unturned.min_value, final, diverged)


def sweep_figure(sweep: Sweep) -> dict:
    """Final loss above the minimum (log) against the angle, a line per racer; a diverged
    run is a cross along the top; the race's own angle is a dotted line and open circles."""
    angles = np.array(sweep.angles, dtype=float)
    finite = [v for k in sweep.racers for v in sweep.above(k) if np.isfinite(v)]
    top = 10 * max(finite, default=1.0)
    data, ring = [], []
    for key in sweep.racers:
        racer, above = RACERS[key], sweep.above(key)
        ok = np.isfinite(above)
        data.append({"type": "scatter", "mode": "lines+markers", "name": racer.label,
                     "legendgroup": key, "x": packed(angles[ok]), "y": packed(above[ok]),
                     "line": {"color": racer.colour, "width": 3}, "marker": {"size": 7},
                     "hovertemplate": f"{racer.label}, turned %{{x}}°: %{{y:.3g}}"
                                      "<extra></extra>"})
        if not ok.all():
            steps = sweep.diverged_at[key][~ok]
            data.append({"type": "scatter", "mode": "markers", "showlegend": False,
                         "legendgroup": key, "x": packed(angles[~ok]),
                         "y": [top] * int((~ok).sum()), "customdata": steps.tolist(),
                         "marker": {"symbol": "x", "size": 12, "color": racer.colour},
                         "hovertemplate": f"{racer.label}, turned %{{x}}°: diverged at step "
                                          "%{customdata}<extra></extra>"})
        if np.isfinite(sweep.at(key, sweep.angle)):
            ring.append(sweep.at(key, sweep.angle))
    data.append({"type": "scatter", "mode": "markers", "name": f"this race ({sweep.angle:g}°)",
                 "x": [sweep.angle] * len(ring), "y": ring, "hoverinfo": "skip",
                 "marker": {"symbol": "circle-open", "size": 18, "color": "#000000",
                            "line": {"width": 2.5}}})
    figure = chart_layout(
        data, f"{sweep.landscape}, turned: final loss after {sweep.steps} steps",
        "angle the landscape is turned (degrees)", "final loss above the minimum",
        legend_y=-0.25, xaxis={"tickvals": list(sweep.angles[::3]), "range": [-3, 93]},
        yaxis={"type": "log", "exponentformat": "power"})
    figure["layout"]["shapes"] = [{"type": "line", "x0": sweep.angle, "x1": sweep.angle,
                                   "yref": "paper", "y0": 0, "y1": 1,
                                   "line": {"color": "#555555", "width": 1.5, "dash": "dot"}}]
    return figure


def _loss(above: float) -> str:
    return f"below {LOSS_FLOOR:g}" if above <= LOSS_FLOOR else str(readable(above))


def _cell(above: float, diverged_at: int) -> str:
    return f"diverged at step {diverged_at}" if diverged_at >= 0 else _loss(above)


def sweep_table(sweep: Sweep) -> pd.DataFrame:
    """One row per angle: every swept racer's final loss above the minimum, in words."""
    columns = {"Turned by": [f"{a}°" for a in sweep.angles]}
    for key in sweep.racers:
        columns[RACERS[key].label] = [_cell(v, k) for v, k in
                                      zip(sweep.above(key), sweep.diverged_at[key].tolist())]
    return pd.DataFrame(columns)


# -- Adam against SGD, in words --------------------------------------------------------

def lead(sweep: Sweep) -> np.ndarray:
    """Adam's lead over SGD at each angle, in powers of ten: log10(SGD's final loss above
    the minimum / Adam's), each counted down to AT_MINIMUM; infinite where one diverged
    and 0 where both did (or both reached the minimum)."""
    sgd, adam = (np.maximum(sweep.above(k), AT_MINIMUM) for k in ("sgd", "adam"))
    with np.errstate(invalid="ignore"):
        decades = np.log10(sgd) - np.log10(adam)
    return np.nan_to_num(decades, nan=0.0, posinf=np.inf, neginf=-np.inf)


def versus(sweep: Sweep, angle: float) -> str:
    """Adam's final loss against SGD's at ``angle``, as the end of a sentence."""
    adam, sgd = sweep.at("adam", angle), sweep.at("sgd", angle)
    if np.isinf(adam) or np.isinf(sgd):
        return {(True, True): "lost, as is SGD's: both diverged",
                (True, False): "lost: Adam diverged, and SGD did not",
                (False, True): "finite, and SGD diverged"}[np.isinf(adam), np.isinf(sgd)]
    there = f"at the minimum (within {readable(AT_MINIMUM)})"
    if adam <= AT_MINIMUM:
        return (f"{there}, as is SGD's" if sgd <= AT_MINIMUM
                else f"{there}, against SGD's {_loss(sgd)}")
    if sgd <= AT_MINIMUM:
        return f"{_loss(adam)}, while SGD's is {there}"
    ratio = sgd / adam
    if abs(np.log10(ratio)) < 0.01:  # within 2%: the same, to the digits shown
        return "the same as SGD's"
    if ratio > 1:
        return f"{readable(ratio)} times lower than SGD's"
    return f"{readable(1 / ratio)} times higher than SGD's"


def sgd_across(sweep: Sweep) -> str:
    """What SGD's final loss does across the angles, as a sentence."""
    sgd, diverged = sweep.above("sgd"), sweep.diverged_at["sgd"]
    if (diverged >= 0).all():
        low, high = int(diverged.min()), int(diverged.max())
        return (f"SGD diverges at every angle, at step {low}." if low == high else
                f"SGD diverges at every angle, between steps {low} and {high}.")
    if (diverged >= 0).any():
        return "SGD diverges at some angles and not at others."
    low, high = float(sgd.min()), float(sgd.max())
    if high <= low * (1 + 1e-6):
        return (f"SGD's final loss is {_loss(low)} at every angle: its path is the unturned "
                "path, turned.")
    why = (": the fog's noise is drawn along x and y and does not turn with the landscape"
           if sweep.fog else "")
    return f"SGD's final loss ranges from {_loss(low)} to {_loss(high)}{why}."


@dataclass(frozen=True)
class Lead:
    """The closing note: how much of Adam's lead over SGD survives turning the landscape."""
    landscape: str
    half: int
    at_0: str
    at_half: str
    worst: str  # the angle worst for Adam against SGD, and how Adam does there
    kept: str
    sgd: str
    angle: str  # the race's own angle


def lead_note(sweep: Sweep) -> Lead:
    decades = lead(sweep)
    worst = sweep.angles[int(np.argmin(decades))]
    first, least = float(decades[0]), float(decades.min())
    if (np.abs(decades) < SAME).all():
        kept = (f"At every angle Adam and SGD end within a factor of {10 ** SAME:g} of each "
                "other.")
    elif first <= 0:
        best = [a for a, d in zip(sweep.angles, decades) if d >= decades.max() - 1e-6]
        where = f"{best[0]}°" if len(best) == 1 else f"from {best[0]}° to {best[-1]}°"
        kept = (f"Unturned, Adam does not lead; at its best, turned {where}, its final loss "
                f"is {versus(sweep, best[0])}.")
    elif not np.isfinite(first):
        kept = "Unturned, SGD diverges and Adam does not."
    elif least >= first:
        kept = "No turn shrinks Adam's lead here."
    elif least <= 0:
        kept = f"At {worst}° none of Adam's lead survives."
    else:
        kept = "Adam leads at every angle, by less than unturned at some."
    if (np.abs(decades) < SAME).all():
        worst_text = ""
    elif worst in (0, HALF):
        worst_text = f"; {worst}° is the angle worst for Adam"
    else:
        worst_text = f"; at {worst}°, the angle worst for Adam, it is {versus(sweep, worst)}"
    return Lead(sweep.landscape, HALF, versus(sweep, 0), versus(sweep, HALF), worst_text, kept,
                sgd_across(sweep), f"{sweep.angle:g}°")
