"""The loss landscape drawn under the racers: a contour map, a picture of one (under an
animated race), or a 3D surface.

Landscapes whose values span many orders of magnitude (Rosenbrock, Beale,
Himmelblau) are shaded by log10(1 + f - f_min); the colour bar is labelled in
loss values either way.
"""
from __future__ import annotations

import base64
import struct
import zlib
from functools import lru_cache

import numpy as np

from optim.surfaces import Surface, surface

from ..palette import LANDSCAPE_SCALE
from ..plotly_dict import packed

GRID = 120
PICTURE = 300  # pixels each way of the landscape's picture under an animated race
BANDS = 24  # filled bands of equal height in the shading, as in the contour map


def shade(surface: Surface, values):
    """The value used for colour: f itself, or log10(1 + f - f_min)."""
    values = np.asarray(values, dtype=float)
    return np.log10(1 + values - surface.min_value) if surface.log_scale else values


@lru_cache(maxsize=64)  # ~82 kB an entry; keys include learners' formulas
def _grid(surface_key: str):
    landscape = surface(surface_key)
    xs, ys, z = landscape.grid(GRID)
    z = np.where(np.isfinite(z), z, np.nan)  # a formula may be undefined somewhere: a gap
    lo, hi = float(np.nanmin(z)), float(np.nanmax(z))
    if landscape.log_scale:
        ticks = [v for v in landscape.min_value + np.array([0, 1, 10, 100, 1e3, 1e4, 1e5, 1e6])
                 if v <= hi]
    else:
        ticks = list(np.linspace(lo, hi, 5))
    tick_text = tuple(f"{t:.3g}" for t in ticks)
    tick_vals = tuple(float(v) for v in shade(landscape, ticks))
    with np.errstate(invalid="ignore"):
        shaded = shade(landscape, z)
    return (packed(xs)["bdata"], packed(ys)["bdata"], packed(shaded, "f4")["bdata"],
            tick_vals, tick_text)


def contour_trace(surface: Surface) -> dict:
    """A filled contour map of the landscape over its view box (darker is higher);
    the loss under the pointer is shown by the click grid's hover."""
    xs, ys, z, _, _ = _grid(surface.key)
    return {
        "type": "contour", "name": "loss", "showlegend": False, "hoverinfo": "skip",
        "x": {"dtype": "f8", "bdata": xs}, "y": {"dtype": "f8", "bdata": ys},
        "z": {"dtype": "f4", "bdata": z, "shape": f"{GRID},{GRID}"},
        "colorscale": LANDSCAPE_SCALE, "ncontours": 24, "showscale": False,
        "contours": {"coloring": "fill", "showlines": True},
        "line": {"color": "rgba(60,60,60,0.35)", "width": 0.6, "smoothing": 0},
    }


def _png(rgb: np.ndarray) -> bytes:
    """An RGB image (rows top to bottom, uint8) as a PNG file."""
    height, width, _ = rgb.shape
    rows = np.concatenate([np.zeros((height, 1), np.uint8), rgb.reshape(height, -1)], axis=1)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 9)) + chunk(b"IEND", b""))


def _colours(level: np.ndarray) -> np.ndarray:
    """LANDSCAPE_SCALE (white to grey) at levels in [0, 1], as RGB."""
    stops = np.array([s for s, _ in LANDSCAPE_SCALE])
    rgb = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for _, c in LANDSCAPE_SCALE])
    return np.stack([np.interp(level, stops, rgb[:, k]) for k in range(3)], axis=-1)


@lru_cache(maxsize=64)  # ~20 kB an entry; keys include learners' formulas
def _picture(surface_key: str) -> str:
    """The shaded landscape in BANDS filled bands with a darker line between bands, as a
    base64 PNG, top row at the map's highest y; undefined points light blue-grey."""
    landscape = surface(surface_key)
    _, _, z = landscape.grid(PICTURE)
    with np.errstate(invalid="ignore"):
        shaded = shade(landscape, np.where(np.isfinite(z), z, np.nan))
    lo, hi = np.nanmin(shaded), np.nanmax(shaded)
    band = np.floor((shaded - lo) / ((hi - lo) or 1.0) * BANDS).clip(0, BANDS - 1)
    rgb = _colours(np.nan_to_num(band / (BANDS - 1)))
    edge = np.zeros(band.shape, bool)
    edge[1:, :] |= band[1:, :] != band[:-1, :]
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    rgb[edge] = rgb[edge] * 0.75 + 60 * 0.25  # the contour lines
    rgb[~np.isfinite(shaded)] = (222, 230, 240)
    return base64.b64encode(_png(rgb[::-1].round().astype(np.uint8))).decode("ascii")


def landscape_image(surface: Surface) -> dict:
    """The landscape as a picture behind the map (an entry of ``layout.images``). An
    animated race uses it instead of :func:`contour_trace`: when plotly.js animates a
    subplot it removes the layers of trace types it cannot animate, a contour's among them
    (plotly.js issue 4491), so the map went blank on Play; a layout image is not a trace."""
    x0, x1, y0, y1 = surface.box
    return {"source": "data:image/png;base64," + _picture(surface.key), "xref": "x",
            "yref": "y", "x": x0, "y": y1, "sizex": x1 - x0, "sizey": y1 - y0,
            "sizing": "stretch", "xanchor": "left", "yanchor": "top", "layer": "below"}


def surface_trace(surface: Surface) -> dict:
    """The landscape as a 3D surface."""
    xs, ys, z, tick_vals, tick_text = _grid(surface.key)
    return {
        "type": "surface", "name": "loss", "showlegend": False, "opacity": 0.9,
        "x": {"dtype": "f8", "bdata": xs}, "y": {"dtype": "f8", "bdata": ys},
        "z": {"dtype": "f4", "bdata": z, "shape": f"{GRID},{GRID}"},
        "colorscale": LANDSCAPE_SCALE, "hoverinfo": "skip",
        "colorbar": {"title": {"text": "loss"}, "tickvals": list(tick_vals),
                     "ticktext": list(tick_text), "len": 0.8, "thickness": 14},
    }


def paths_figure(surface: Surface, paths, height: int = 440) -> dict:
    """A still map of the landscape with some paths on it.

    ``paths``: ``(label, positions (n, 2), colour, dash)`` each; a diverged run's
    positions should stop where it left.
    """
    data = [contour_trace(surface)]
    for label, positions, colour, dash in paths:
        data.append({"type": "scatter", "mode": "lines", "name": label,
                     "x": packed(positions[:, 0]), "y": packed(positions[:, 1]),
                     "line": {"color": colour, "dash": dash, "width": 4 if dash == "solid" else 3}})
    mins = np.array(surface.minima)
    data.append({"type": "scatter", "mode": "markers", "name": "minimum",
                 "x": mins[:, 0].tolist(), "y": mins[:, 1].tolist(),
                 "marker": {"symbol": "star", "size": 16, "color": "#FFFFFF",
                            "line": {"color": "#000000", "width": 1.5}}})
    x0, x1, y0, y1 = surface.box
    return {"data": data, "layout": {
        "height": height, "font": {"size": 15}, "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
        "legend": {"orientation": "h", "y": -0.18},
        "xaxis": {"range": [x0, x1], "title": {"text": "x"}},
        "yaxis": {"range": [y0, y1], "title": {"text": "y"}}}}


def stopped(result) -> np.ndarray:
    """A run's positions up to where it diverged (all of them if it did not)."""
    k = int(result.diverged_at)
    return result.positions[:k] if k >= 0 else result.positions
