"""Lesson 4's controls."""
from __future__ import annotations

from optim.surfaces import SURFACES

from .hiker_controls import ALPHAS, BETA2S, EPSILONS
from .race import RaceSetup
from .racers import PAPER_DEFAULTS, Settings
from .url_state import Choice, Flag, Number

CORRECT = Flag("bc", "Bias correction", True)
CORRECT_M = Flag("bc_m", "Correct m (divide by 1 − β₁ᵗ)", True)
CORRECT_V = Flag("bc_v", "Correct v (divide by 1 − β₂ᵗ)", True)
BETA1 = Number("beta1", "β₁", PAPER_DEFAULTS["beta1"], low=0.0, high=0.99)
BETA2 = Choice("beta2", "β₂", PAPER_DEFAULTS["beta2"], options=BETA2S)
EPS = Choice("eps", "ε", PAPER_DEFAULTS["eps"], options=EPSILONS)
ALPHA = Choice("alpha", "α (for the landscape)", 0.1, options=ALPHAS)
SURFACE = Choice("surface", "Landscape", "rosenbrock", options=tuple(SURFACES))
STEPS = Number("steps", "Steps on the landscape", 300, low=10, high=1000, integer=True)
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
