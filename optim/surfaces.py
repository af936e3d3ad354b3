"""Two-dimensional loss surfaces for the hiker, each with an analytic gradient.

Each surface is one function ``value_and_grad(points) -> (f, grad f)`` taking
points of shape ``(..., 2)`` (the last axis is ``(x, y)``) and returning values of
shape ``(...)`` and gradients of shape ``(..., 2)``.  Value and gradient come
from one call because they share terms and the runner needs both at each point.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable

import numpy as np

from .expression import ExpressionError, canonical, compiled, size

Box = tuple[float, float, float, float]  # x_min, x_max, y_min, y_max


@dataclass(frozen=True)
class Surface:
    """A loss landscape: value, gradient, and what the pages need to draw it."""

    key: str
    name: str
    story: str
    formula: str  # LaTeX
    value_and_grad: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] = field(repr=False)
    box: Box
    start: tuple[float, float]
    minima: tuple[tuple[float, float], ...]
    log_scale: bool = False  # draw contours of log(1 + f - f_min)
    finite: bool = True  # finite at every finite point (a learner's formula may not be)
    parts: int = 0  # a learner's formula: the nodes of its tree, what one evaluation costs
    turned_from: Surface | None = field(default=None, repr=False, compare=False)  # see rotated
    angle: float = 0.0  # degrees turned from ``turned_from``

    def value(self, points) -> np.ndarray:
        """f at points of shape (..., 2)."""
        return self.value_and_grad(points)[0]

    def grad(self, points) -> np.ndarray:
        """The analytic gradient at points of shape (..., 2), shape (..., 2)."""
        return self.value_and_grad(points)[1]

    @property
    def domain(self) -> Box:
        """Where a run may wander: the view box grown 10-fold about its centre.
        A run that leaves it is flagged as diverged."""
        x0, x1, y0, y1 = self.box
        cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
        return (cx - 10 * hx, cx + 10 * hx, cy - 10 * hy, cy + 10 * hy)

    @property
    def min_value(self) -> float:
        return float(np.min(self.value(np.array(self.minima))))

    def nearest_minimum_distance(self, points: np.ndarray) -> np.ndarray:
        """Distance from each point (..., 2) to the closest known minimum."""
        mins = np.array(self.minima)
        d = np.linalg.norm(np.asarray(points)[..., None, :] - mins, axis=-1)
        return d.min(axis=-1)

    def grid(self, n: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Axes and values on an n x n grid over the view box: ``xs, ys, Z[y, x]``."""
        x0, x1, y0, y1 = self.box
        xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
        pts = np.stack(np.meshgrid(xs, ys), axis=-1)
        return xs, ys, self.value(pts)


def _xy(p):
    p = np.asarray(p, dtype=np.float64)
    return p[..., 0], p[..., 1]


def _pack(dx, dy):
    """Stack two coordinate arrays into (..., 2), stored coordinate-major so that
    each coordinate is contiguous (the runner's layout: fast elementwise loops)."""
    out = np.empty((2,) + np.shape(dx))
    out[0], out[1] = dx, dy
    return coordinate_last(out)


def coordinate_last(a: np.ndarray) -> np.ndarray:
    """View of ``a`` with its first axis moved last (a cheap ``np.moveaxis(a, 0, -1)``)."""
    return a.transpose(tuple(range(1, a.ndim)) + (0,))


# Elongated bowl: curvature 0.1 along x, 10 along y (condition number 100).
def _bowl(p):
    x, y = _xy(p)
    return 0.05 * x * x + 5.0 * y * y, _pack(0.1 * x, 10.0 * y)


# The same bowl turned by 45 degrees: its steep and flat directions mix x and y.
_C = np.sqrt(0.5)


def _tilted(p):
    x, y = _xy(p)
    f, gr = _bowl(_pack(_C * (x + y), _C * (y - x)))
    gu, gw = _xy(gr)
    return f, _pack(_C * (gu - gw), _C * (gu + gw))


def _rosenbrock(p):
    """With a = 1 - x and r = y - x^2: f = a^2 + 100 r^2, df/dy = 200 r,
    df/dx = -2 (a + x df/dy). Written pass by pass into its outputs: the runner's
    benchmark surface, where every pass over the hikers counts."""
    x, y = _xy(p)
    a = 1 - x
    r = y - x * x
    grad = np.empty((2,) + r.shape)
    dx, dy = grad[0, ...], grad[1, ...]  # views, 0-d arrays for a single point
    np.multiply(r, 200.0, out=dy)
    np.multiply(x, dy, out=dx)
    dx += a
    dx *= -2.0
    r *= r
    r *= 100.0
    a *= a
    r += a
    return r, coordinate_last(grad)


def _beale(p):
    x, y = _xy(p)
    y2 = y * y
    y3 = y2 * y
    a, b, c = 1.5 - x + x * y, 2.25 - x + x * y2, 2.625 - x + x * y3
    dx = 2 * (a * (y - 1) + b * (y2 - 1) + c * (y3 - 1))
    dy = 2 * x * (a + 2 * b * y + 3 * c * y2)
    return a * a + b * b + c * c, _pack(dx, dy)


# A saddle at the origin between two valleys at (0, +1) and (0, -1).
def _saddle(p):
    x, y = _xy(p)
    y2 = y * y
    return 0.5 * x * x + 0.25 * y2 * y2 - 0.5 * y2, _pack(x, y2 * y - y)


def _himmelblau(p):
    x, y = _xy(p)
    a, b = x * x + y - 11, x + y * y - 7
    return a * a + b * b, _pack(4 * x * a + 2 * b, 2 * a + 4 * y * b)


# A flat plateau around a round well: far out, the slope is almost zero.
def _plateau(p):
    x, y = _xy(p)
    e = np.exp(-0.5 * (x * x + y * y))
    return 1.0 - e, _pack(x * e, y * e)


# An egg crate: a gentle bowl covered in bumps, many small local minima.
_A = 0.5
_K = 2 * np.pi


def _eggcrate(p):
    x, y = _xy(p)
    f = x * x + y * y + _A * (2 - np.cos(_K * x) - np.cos(_K * y))
    return f, _pack(2 * x + _K * _A * np.sin(_K * x), 2 * y + _K * _A * np.sin(_K * y))


def scaled(surface: Surface, c: float) -> Surface:
    """The same landscape with its loss multiplied by ``c`` > 0 (same minima, same map)."""
    if not (np.isfinite(c) and c > 0):
        raise ValueError(f"the loss can only be scaled by a positive number; got {c!r}.")

    def value_and_grad(points):
        f, g = surface.value_and_grad(points)
        return c * f, c * g

    return replace(surface, key=f"{surface.key}*{c:g}", name=f"{surface.name} x {c:g}",
                   value_and_grad=value_and_grad)


# -- a landscape turned about its minimum ---------------------------------------------

TURNED = "@"  # a turned landscape's key: "@<degrees>:<the key of the landscape unturned>"
_QUARTERS = {0.0: (1.0, 0.0), 90.0: (0.0, 1.0), 180.0: (-1.0, 0.0), 270.0: (0.0, -1.0)}


def _cos_sin(degrees) -> tuple[np.ndarray, np.ndarray]:
    """cos and sin of each angle (degrees): one libm call per angle, so an angle in a batch
    gets the very bits it gets alone, and exact at multiples of 90 degrees."""
    d = np.asarray(degrees, dtype=np.float64)
    pairs = [_QUARTERS[a % 360] if a % 90 == 0 else
             (math.cos(math.radians(a)), math.sin(math.radians(a))) for a in d.ravel().tolist()]
    cs = np.array(pairs, dtype=np.float64).reshape(d.shape + (2,))
    return cs[..., 0], cs[..., 1]


def _turn(x, y, cos, sin, centre=(0.0, 0.0)):
    """c + R (p - c), R = [[cos, -sin], [sin, cos]], written p + (R - I)(p - c) so that
    a turn by 0 gives back p bit for bit."""
    dx, dy = x - centre[0], y - centre[1]
    return x + ((cos - 1.0) * dx - sin * dy), y + (sin * dx + (cos - 1.0) * dy)


def turn(points, degrees, centre=(0.0, 0.0)) -> np.ndarray:
    """Points (..., 2) turned counterclockwise by ``degrees`` about ``centre``; an array of
    angles broadcasts against the points' batch axes (shape (K,) turns row k of (..., K, 2)
    by ``degrees[k]``)."""
    return _pack(*_turn(*_xy(points), *_cos_sin(degrees), centre))


def _turned_value_and_grad(surface: Surface, degrees):
    cos, sin = _cos_sin(degrees)
    centre = surface.minima[0]
    x0, x1, y0, y1 = surface.domain

    def value_and_grad(points):
        qx, qy = _turn(*_xy(points), cos, -sin, centre)  # where the point was before the turn
        f, grad = surface.value_and_grad(_pack(qx, qy))
        inside = (qx >= x0) & (qx <= x1) & (qy >= y0) & (qy <= y1)
        return np.where(inside, f, np.inf), _pack(*_turn(*_xy(grad), cos, sin))

    return value_and_grad


def rotated(surface: Surface, degrees: float) -> Surface:
    r"""``surface`` turned counterclockwise by ``degrees`` about its (first) minimum c:

    .. math::
        f_\theta(p) = f\big(c + R^\top (p - c)\big), \qquad
        \nabla f_\theta(p) = R\, \nabla f\big(c + R^\top (p - c)\big), \qquad
        R = \begin{pmatrix} \cos\theta & -\sin\theta \\ \sin\theta & \cos\theta \end{pmatrix},

    its start and minima turned with it: the same problem, turned. SGD's step
    :math:`-\alpha \nabla f_\theta` turns with R, so its path is the unturned path turned;
    Adam's divides coordinate by coordinate, and a turn mixes the coordinates. The view box
    is the smallest box holding the turned one. Outside the turned domain (the unturned
    domain, turned) the value is infinite, so the runner stops a run where the unturned run
    would stop. 0 degrees gives back ``surface`` itself (same key, same numbers)."""
    degrees = float(degrees)
    if not math.isfinite(degrees):
        raise ValueError(f"a landscape can only be turned by a finite angle; got {degrees!r}.")
    if degrees == 0:
        return surface
    centre = surface.minima[0]
    x0, x1, y0, y1 = surface.box
    cx, cy = _xy(turn(np.array([[x0, y0], [x0, y1], [x1, y0], [x1, y1]]), degrees, centre))
    points = turn(np.array((surface.start,) + surface.minima), degrees, centre).tolist()
    return replace(surface, key=turned_key(surface.key, degrees),
                   name=f"{surface.name} turned {degrees:g}°",
                   formula=rf"{surface.formula}\ \text{{turned {degrees:g}° about }}"
                           rf"({centre[0]:g}, {centre[1]:g})",
                   value_and_grad=_turned_value_and_grad(surface, degrees),
                   box=(float(cx.min()), float(cx.max()), float(cy.min()), float(cy.max())),
                   start=tuple(points[0]), minima=tuple(map(tuple, points[1:])), finite=False,
                   turned_from=surface, angle=degrees)


def rotated_batch(surface: Surface, degrees) -> Surface:
    """Many turned copies of ``surface`` for one batched run: points (..., K, 2), row k on
    ``rotated(surface, degrees[k])`` with the same numbers bit for bit. For the runner only:
    its box holds every turned box; its start and minima are the unturned ones."""
    degrees = np.asarray(degrees, dtype=np.float64)
    boxes = np.array([rotated(surface, d).box for d in degrees.tolist()])
    box = (boxes[:, 0].min(), boxes[:, 1].max(), boxes[:, 2].min(), boxes[:, 3].max())
    return replace(surface, key=f"{surface.key}{TURNED}{','.join(f'{d:g}' for d in degrees)}",
                   value_and_grad=_turned_value_and_grad(surface, degrees),
                   box=tuple(map(float, box)), finite=False)


def turned_key(key: str, degrees: float) -> str:
    """The key of the landscape ``key`` turned by ``degrees`` (``key`` itself for 0)."""
    return key if degrees == 0 else f"{TURNED}{degrees:.10g}:{key}"


SURFACES: dict[str, Surface] = {s.key: s for s in [
    Surface("bowl", "Elongated bowl",
            "A long, narrow valley: gentle along x, a hundred times steeper across y.",
            r"f(x,y) = 0.05\,x^2 + 5\,y^2", _bowl,
            (-10.0, 10.0, -4.0, 4.0), (-9.0, 3.0), ((0.0, 0.0),)),
    Surface("tilted", "Tilted bowl",
            "The same narrow valley turned 45 degrees: steep and gentle no longer line up "
            "with the axes the hiker measures.",
            r"f(x,y) = 0.025\,(x+y)^2 + 2.5\,(y-x)^2", _tilted,
            (-8.0, 8.0, -8.0, 8.0), (-7.0, -4.0), ((0.0, 0.0),)),
    Surface("rosenbrock", "Rosenbrock's valley",
            "A curved banana-shaped valley whose floor falls only gently toward the minimum.",
            r"f(x,y) = (1-x)^2 + 100\,(y-x^2)^2", _rosenbrock,
            (-2.0, 2.0, -1.0, 3.0), (-1.2, 1.0), ((1.0, 1.0),), log_scale=True),
    Surface("beale", "Beale",
            "Flat basins ringed by steep walls that grow fast toward the corners.",
            r"f(x,y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
            _beale, (-4.5, 4.5, -4.5, 4.5), (1.0, 1.4), ((3.0, 0.5),), log_scale=True),
    Surface("saddle", "Saddle",
            "A mountain pass: flat at the top, with a valley on either side; "
            "which way does the hiker leave?",
            r"f(x,y) = \tfrac12 x^2 + \tfrac14 y^4 - \tfrac12 y^2", _saddle,
            (-2.0, 2.0, -2.0, 2.0), (1.8, 0.01), ((0.0, 1.0), (0.0, -1.0))),
    Surface("himmelblau", "Himmelblau's four valleys",
            "Four valleys of equal depth: where the hiker ends depends on the path.",
            r"f(x,y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2", _himmelblau,
            (-5.0, 5.0, -5.0, 5.0), (0.0, 0.0),
            ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186),
             (3.584428, -1.848126)), log_scale=True),
    Surface("plateau", "Plateau and well",
            "A vast, nearly flat plateau with one well in the middle: the slope underfoot "
            "is almost zero.",
            r"f(x,y) = 1 - e^{-(x^2 + y^2)/2}", _plateau,
            (-4.0, 4.0, -4.0, 4.0), (2.8, 2.1), ((0.0, 0.0),)),
    Surface("eggcrate", "Egg crate",
            "A bowl covered in bumps: many small hollows can trap a careful hiker.",
            r"f(x,y) = x^2 + y^2 + \tfrac12\,(2 - \cos 2\pi x - \cos 2\pi y)", _eggcrate,
            (-3.0, 3.0, -3.0, 3.0), (2.6, -2.3), ((0.0, 0.0),)),
]}


#: every built-in landscape written in the playground's expression language
PRESETS: dict[str, str] = {
    "bowl": "0.05*x**2 + 5*y**2",
    "tilted": "0.025*(x + y)**2 + 2.5*(y - x)**2",
    "rosenbrock": "(1 - x)**2 + 100*(y - x**2)**2",
    "beale": "(1.5 - x + x*y)**2 + (2.25 - x + x*y**2)**2 + (2.625 - x + x*y**3)**2",
    "saddle": "0.5*x**2 + 0.25*y**4 - 0.5*y**2",
    "himmelblau": "(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
    "plateau": "1 - exp(-(x**2 + y**2)/2)",
    "eggcrate": "x**2 + y**2 + 0.5*(2 - cos(2*pi*x) - cos(2*pi*y))",
}

EXPRESSION = "expr:"
BOX_LIMIT = 1e4


def expression_key(text: str, box: Box) -> str:
    """The key of a learner's surface: its view box and its formula."""
    return f"{EXPRESSION}{','.join(f'{v:.10g}' for v in box)}:{text}"


@lru_cache(maxsize=256)
def surface(key: str) -> Surface:
    """A surface by key: one of :data:`SURFACES`, a learner's formula made by
    :func:`expression_key`, or either turned (:func:`turned_key`); raises
    ``ExpressionError`` or ``ValueError`` if unusable.
    A formula's "minimum" is the lowest point of a 201 x 201 grid over its view box."""
    if key in SURFACES:
        return SURFACES[key]
    if key.startswith(TURNED):
        degrees, _, unturned = key[len(TURNED):].partition(":")
        try:
            angle = float(degrees)
        except ValueError:
            raise ValueError(f"There is no landscape called {key[:40]!r}.") from None
        return rotated(surface(unturned), angle)
    if not key.startswith(EXPRESSION):
        raise ValueError(f"There is no landscape called {key[:40]!r}.")
    box_text, text = key[len(EXPRESSION):].split(":", 1)
    box = tuple(float(v) for v in box_text.split(","))
    x0, x1, y0, y1 = box
    if not (all(np.isfinite(box)) and max(map(abs, box)) <= BOX_LIMIT and x0 < x1 and y0 < y1):
        raise ValueError(f"The map must have x from < x to and y from < y to, all within "
                         f"±{BOX_LIMIT:g}.")
    value_and_grad = compiled(text)
    xs, ys = np.linspace(x0, x1, 201), np.linspace(y0, y1, 201)
    pts = np.stack(np.meshgrid(xs, ys), axis=-1)
    with np.errstate(all="ignore"):
        values = value_and_grad(pts)[0]
    finite = np.isfinite(values)
    if not finite.any():
        raise ExpressionError("The formula has no finite value anywhere on this map")
    i = np.unravel_index(np.argmin(np.where(finite, values, np.inf)), values.shape)
    lowest = (float(xs[i[1]]), float(ys[i[0]]))
    spread = float(np.ptp(values[finite]))
    return Surface(key, "Your formula", "Your own landscape.", canonical(text), value_and_grad, box,
                   ((x0 + x1) / 2, (y0 + y1) / 2), (lowest,), log_scale=spread > 1e3,
                   finite=False, parts=size(text))
