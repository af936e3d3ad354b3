"""Lesson 6's controls."""
from optim.surfaces import SURFACES

from .url_state import Choice, Number

SURFACE = Choice("surface", "Landscape", "rosenbrock", options=tuple(SURFACES))
START_X = Number("x0", "Start x", SURFACES["rosenbrock"].start[0], low=-1e6, high=1e6)
START_Y = Number("y0", "Start y", SURFACES["rosenbrock"].start[1], low=-1e6, high=1e6)
FOG = Number("fog", "Fog", 0.0, low=0.0, high=2.0)
SEED = Number("seed", "Fog seed", 0, low=0, high=9999, integer=True)
THRESHOLD = Choice("good", "Good: final loss below", 1e-3,
                   options=(1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0))
SPECS = (SURFACE, START_X, START_Y, FOG, SEED, THRESHOLD)
