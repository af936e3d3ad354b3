"""The foggy hiker's controls: their URL names, ranges and defaults, and the race
they describe."""
from __future__ import annotations

import numpy as np

from optim.surfaces import SURFACES, surface, turn, turned_key

from ..url_state import Choice, Choices, Flag, Number, log_options
from .figure import SPEEDS_MS
from .racers import DEFAULT_RACERS, PAPER_DEFAULTS, RACERS, RMSPROP_DECAY, Settings
from .setup import RaceSetup, suggested_settings

DEFAULT_SURFACE = "rosenbrock"
ALPHAS = log_options(-4, 0)
BETA2S = (0.5, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999)
EPSILONS = tuple(10.0 ** e for e in range(-10, 1))
_suggested = suggested_settings(DEFAULT_SURFACE)

SURFACE = Choice("surface", "Landscape", DEFAULT_SURFACE, options=tuple(SURFACES),
                 names={k: s.name for k, s in SURFACES.items()})
ANGLE = Choice("angle", "Turn the landscape", 0, options=tuple(range(0, 91, 5)),
               widget="slider", names={a: f"{a}°" for a in range(0, 91, 5)},
               help="Turns the landscape counterclockwise about its minimum, with its other "
                    "minima and the start: the same problem, turned. SGD's path turns with "
                    "it; Adam's changes.")
RACER_CHOICE = Choices("racers", "Racers", list(DEFAULT_RACERS), options=tuple(RACERS),
                       names={k: r.label for k, r in RACERS.items()})
ALPHA_SGD = Choice("alpha_sgd", "α for SGD", _suggested.alpha_sgd, options=ALPHAS,
                   help="Learning rate of SGD and SGD with momentum (log scale).")
ALPHA_ADAPTIVE = Choice("alpha", "α for Adam and the adaptive racers", _suggested.alpha_adaptive,
                        options=ALPHAS, help="Learning rate of Adam and every adaptive racer: "
                                             "AMSGrad, AdamW, AdaMax, NAdam, RAdam, Lion, "
                                             "RMSProp, Adagrad (log scale).")
BETA1 = Number("beta1", "β₁", PAPER_DEFAULTS["beta1"], low=0.0, high=0.99, step=0.01,
               help="How much of the old heading m is kept each step (Adam, AMSGrad, AdamW, "
                    "AdaMax, NAdam, RAdam).")
BETA2 = Choice("beta2", "β₂", PAPER_DEFAULTS["beta2"], options=BETA2S,
               help=f"How much of the old squared-slope average v is kept each step (Adam, "
                    f"AMSGrad, AdamW, NAdam, RAdam; AdaMax's max-norm; RMSProp keeps its own "
                    f"{RMSPROP_DECAY:g}).")
EPS = Choice("eps", "ε", PAPER_DEFAULTS["eps"], options=EPSILONS,
             help="Added to the square root of v-hat (log scale); shared by every adaptive "
                  "racer but Lion, which divides by nothing.")
STEPS = Number("steps", "Steps", 500, low=10, high=1000, integer=True, step=10)
FOG = Number("fog", "Fog", 0.0, low=0.0, high=2.0, step=0.1,
             help="Noise added to every slope reading, as a multiple of this landscape's "
                  "typical slope. 0 is clear weather.")
SEED = Number("seed", "Fog seed", 0, low=0, high=9999, integer=True,
              help="The same seed gives the same fog.")
_ON_ITS_MAP = "On the landscape's own map: a turn of the landscape turns the start with it."
START_X = Number("x0", "Start x", SURFACES[DEFAULT_SURFACE].start[0], low=-1e6, high=1e6,
                 help=_ON_ITS_MAP)
START_Y = Number("y0", "Start y", SURFACES[DEFAULT_SURFACE].start[1], low=-1e6, high=1e6,
                 help=_ON_ITS_MAP)
SPEED = Choice("speed", "Animation speed", "normal", options=tuple(SPEEDS_MS), widget="slider")
VIEW = Choice("view", "View", "map", options=("map", "map-only", "3d"), widget="radio",
              names={"map": "Map, numbers and loss", "map-only": "Map only (small screens)",
                     "3d": "3D surface"},
              help="On a phone or a narrow window, 'Map only' gives the map the whole width.")
ROUTES = Flag("routes", "Show whole routes", True,
              help="Switch off to hide where each racer goes until you press play.")

SPECS = (SURFACE, ANGLE, RACER_CHOICE, ALPHA_SGD, ALPHA_ADAPTIVE, BETA1, BETA2, EPS, STEPS, FOG,
         SEED, START_X, START_Y, SPEED, VIEW, ROUTES)


def defaults_for(surface_key: str) -> dict:
    """Every control's reset value on this landscape: the paper's beta1, beta2, eps;
    step sizes suited to the landscape; its own start; no turn."""
    values = {spec.key: spec.default for spec in SPECS}
    suggested = suggested_settings(surface_key)
    start = SURFACES[surface_key].start
    values.update({SURFACE.key: surface_key, ALPHA_SGD.key: suggested.alpha_sgd,
                   ALPHA_ADAPTIVE.key: suggested.alpha_adaptive,
                   START_X.key: start[0], START_Y.key: start[1]})
    return values


def start_from_map(surface_key: str, angle: float, point) -> tuple[float, float]:
    """The start that a point of the map turned by ``angle`` stands for: the point turned
    back, onto the landscape's own map (the nearest point of it, from the turned map's
    corners), to three decimals."""
    landscape = surface(surface_key)
    x, y = turn(np.array(point, dtype=float), -angle, landscape.minima[0]).tolist()
    x0, x1, y0, y1 = landscape.box
    return round(min(max(x, x0), x1), 3), round(min(max(y, y0), y1), 3)


def start_problem(surface_key: str, x: float, y: float) -> str | None:
    """Why (x, y) cannot be this landscape's start, or None if it can."""
    landscape = surface(surface_key)
    x0, x1, y0, y1 = landscape.box
    if x0 <= x <= x1 and y0 <= y <= y1:
        return None
    return (f"Start ({x:g}, {y:g}) is off the map of {landscape.name} "
            f"(x from {x0:g} to {x1:g}, y from {y0:g} to {y1:g}); using its usual start.")


def setup_from(values: dict) -> RaceSetup:
    """The race described by the controls' values. The start is given on the landscape's
    own map and turns with it, about its minimum."""
    key, angle = values[SURFACE.key], values[ANGLE.key]
    start = np.array((values[START_X.key], values[START_Y.key]), dtype=float)
    settings = Settings(alpha_sgd=values[ALPHA_SGD.key], alpha_adaptive=values[ALPHA_ADAPTIVE.key],
                        beta1=values[BETA1.key], beta2=values[BETA2.key], eps=values[EPS.key])
    return RaceSetup(surface=turned_key(key, angle), racers=tuple(values[RACER_CHOICE.key]),
                     settings=settings, steps=int(values[STEPS.key]), fog=values[FOG.key],
                     seed=int(values[SEED.key]),
                     start=tuple(turn(start, angle, surface(key).minima[0]).tolist()))
