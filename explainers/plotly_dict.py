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


def presented(spec: dict, scale: float = 1.3) -> dict:
    """The same figure for a projector: fonts ``scale`` times larger, a little taller.
    A new top-level dict and layout; the (large) data and frames are shared, not copied."""
    layout = dict(spec.get("layout", {}))
    font = dict(layout.get("font", {}))
    font["size"] = round(font.get("size", 12) * scale)
    layout["font"] = font
    if "height" in layout:
        layout["height"] = round(layout["height"] * (1 + (scale - 1) / 2))
    if "annotations" in layout:
        layout["annotations"] = [
            {**a, "font": {**a.get("font", {}), "size": round(a.get("font", {}).get("size", 12)
                                                              * scale)}}
            for a in layout["annotations"]]
    return {**spec, "layout": layout}
