"""The playground's controls: a formula, its map, and every race control."""
from __future__ import annotations

from optim.surfaces import PRESETS, SURFACES, expression_key

from .url_state import Number, Text

FORMULA = Text("f", "f(x, y) =", PRESETS["rosenbrock"], max_length=200)
X_MIN = Number("xmin", "x from", -2.0, low=-1e4, high=1e4)
X_MAX = Number("xmax", "x to", 2.0, low=-1e4, high=1e4)
Y_MIN = Number("ymin", "y from", -1.0, low=-1e4, high=1e4)
Y_MAX = Number("ymax", "y to", 3.0, low=-1e4, high=1e4)
MAP_SPECS = (FORMULA, X_MIN, X_MAX, Y_MIN, Y_MAX)
TIME_LIMIT = 2.0  # seconds of engine time per racer


def key_from(values: dict) -> str:
    """The surface key of the formula and map in ``values``."""
    box = tuple(float(values[s.key]) for s in (X_MIN, X_MAX, Y_MIN, Y_MAX))
    return expression_key(values[FORMULA.key], box)


def preset_values(name: str) -> dict:
    """A built-in landscape as a formula, with its map and start."""
    s = SURFACES[name]
    x0, x1, y0, y1 = s.box
    return {FORMULA.key: PRESETS[name], X_MIN.key: x0, X_MAX.key: x1, Y_MIN.key: y0,
            Y_MAX.key: y1, "x0": s.start[0], "y0": s.start[1]}
