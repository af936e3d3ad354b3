"""Plotly figures as plain dicts: fast to build, small to send.

Building figures from ``plotly.graph_objects`` validates every property of every
trace and frame, which costs far more than the numbers themselves.  The figure
builders here write the JSON structure directly and pack arrays as Plotly's typed
arrays (``{"dtype", "bdata", "shape"}``, base64), which plotly.js reads natively.
"""
from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go


def packed(values, dtype: str = "f8") -> dict:
    """A NumPy array as a Plotly typed array (float64 keeps engine numbers exact)."""
    arr = np.ascontiguousarray(values, dtype=np.dtype(dtype).newbyteorder("<"))
    out = {"dtype": dtype, "bdata": base64.b64encode(arr.tobytes()).decode("ascii")}
    if arr.ndim > 1:
        out["shape"] = ",".join(str(n) for n in arr.shape)
    return out


def unpacked(value) -> np.ndarray:
    """The inverse of :func:`packed` (lists pass through): for tests and exports."""
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            arr = arr.reshape([int(n) for n in str(value["shape"]).split(",")])
        return arr
    return np.asarray(value, dtype=float)


CHART_FONT = {"size": 15, "color": "#111111"}


def chart_layout(data: list, title: str, xtitle: str, ytitle: str, height: int = 420,
                 legend_y: float = -0.2, **axes) -> dict:
    """A figure dict with the lessons' usual layout: a title, labelled axes, a legend
    below, white paper; ``axes`` adds to or makes axes (``xaxis2={...}``)."""
    layout = {"title": {"text": title}, "font": CHART_FONT, "height": height,
              "margin": {"l": 70, "r": 20, "t": 60, "b": 60},
              "xaxis": {"title": {"text": xtitle}}, "yaxis": {"title": {"text": ytitle}},
              "legend": {"orientation": "h", "y": legend_y}, "paper_bgcolor": "#FFFFFF",
              "plot_bgcolor": "#FFFFFF"}
    for name, extra in axes.items():
        layout[name] = {**layout.get(name, {}), **extra}
    return {"data": data, "layout": layout}


class DictFigure(go.Figure):
    """A prebuilt figure dict that Streamlit sends as it is.

    ``st.plotly_chart`` re-validates a plain dict by building a full
    ``go.Figure`` from it (frames included); a ``go.Figure`` it only asks for
    ``to_dict()``.  This empty Figure answers ``to_dict()`` with the prebuilt dict,
    so the dict is serialised once and never validated property by property.
    """

    def __init__(self, spec: dict):
        super().__init__()
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec


#: a figure's type on a projector against the page's, at the page's screen proportion
PRESENTED_SCALE = 1.3


def presented(spec: dict, scale: float = PRESENTED_SCALE, height: int | None = None) -> dict:
    """The same figure for a projector: fonts ``scale`` times larger, and ``height``
    pixels tall (at most: a figure never grows past its own height times the scale).
    A new top-level dict and layout; the (large) data and frames are shared, not copied."""
    layout = dict(spec.get("layout", {}))
    font = dict(layout.get("font", {}))
    font["size"] = round(font.get("size", 12) * scale)
    layout["font"] = font
    if height is not None:
        layout["height"] = min(height, round(layout.get("height", 450) * scale))
    margin = layout.get("margin", {})
    if margin.get("autoexpand") is False:  # fixed margins must grow with the legend's type
        layout["margin"] = {**margin, "t": round(margin.get("t", 100) * scale),
                            "b": round(margin.get("b", 80) * scale)}
    if "annotations" in layout:
        layout["annotations"] = [
            {**a, "font": {**a.get("font", {}), "size": round(a.get("font", {}).get("size", 12)
                                                              * scale)}}
            for a in layout["annotations"]]
    return {**spec, "layout": layout}


def stacked(spec: dict, panel_height: int = 360) -> dict:
    """A row of side-by-side panels (x axes with horizontal domains, y axes spanning the
    full height) rearranged one above the other, for a phone-narrow screen. Each panel
    gets the full width, ``panel_height`` pixels and the first panel's y-axis title if
    it has none; panel titles (paper annotations above the row) move above their panel,
    and a legend below the plot stays just below it. Any other figure is returned as it
    is. Data and frames are shared, not copied."""
    layout = spec.get("layout", {})
    xs = sorted((k for k in layout if k.startswith("xaxis") and "domain" in layout[k]),
                key=lambda k: layout[k]["domain"][0])
    ys = [k for k in layout if k.startswith("yaxis")]
    if len(xs) < 2 or any("domain" in layout[k] for k in ys):
        return spec
    n = len(xs)
    gap = 100 / (n * panel_height)  # room for an x-axis title and the next panel's title
    layout = dict(layout)
    margin = layout.get("margin", {})
    first_title = layout.get("yaxis", {}).get("title")
    titles = sorted((a for a in layout.get("annotations", []) if a.get("yref") == "paper"
                     and a.get("y", 0) > 1), key=lambda a: a.get("x", 0))
    moved = []
    for i, x in enumerate(xs):
        y = "yaxis" + x[len("xaxis"):]
        top, bottom = 1 - i / n, 1 - (i + 1) / n + gap
        layout[x] = {**layout[x], "domain": [0, 1]}
        layout[y] = {**layout.get(y, {}), "domain": [bottom, top]}
        if first_title and not layout[y].get("title", {}).get("text"):
            layout[y]["title"] = first_title
        if i < len(titles):
            moved.append({**titles[i], "x": 0.5, "y": top, "yanchor": "bottom",
                          "xanchor": "center"})
    layout["annotations"] = moved + [a for a in layout.get("annotations", [])
                                     if all(a is not t for t in titles)]
    legend = layout.get("legend", {})
    if legend.get("y", 1) < 0:  # below the plot: keep it just under the last axis title
        layout["legend"] = {**legend, "y": -75 / (n * panel_height)}
    layout["height"] = n * panel_height + margin.get("t", 80) + margin.get("b", 80)
    return {**spec, "layout": layout}
