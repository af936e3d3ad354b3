"""Small pieces every lesson page offers: the code that ran, and the numbers as CSV."""
from __future__ import annotations

import inspect
from functools import lru_cache

import streamlit as st

from explainers.plotly_dict import PRESENTED_SCALE, DictFigure, presented, stacked
from optim import Adam
from optim.reference import adam_algorithm_1
from ui.screen import narrow, reduced_motion
from ui.slides import figure_height, font_scale


@lru_cache(maxsize=64)
def _source(cls) -> tuple[str, str]:
    return inspect.getmodule(cls).__name__, inspect.getsource(cls)


def show_code(*classes) -> None:
    """An expander with the source of the engine classes that computed this page,
    read with inspect.getsource, so the code shown is the code that ran. Where Adam ran,
    the paper's Algorithm 1 comes first, written to be read (tested equal to Adam's
    fast arithmetic)."""
    if any(isinstance(c, type) and issubclass(c, Adam) for c in classes):
        classes = (adam_algorithm_1, *classes)
    with st.expander("Show the code that ran"):
        for cls in dict.fromkeys(classes):  # each once, in order
            module, source = _source(cls)
            st.caption(READABLE if cls is adam_algorithm_1 else f"{cls.__name__}, from {module}")
            st.code(source, language="python")


READABLE = ("The paper's Algorithm 1, line for line (optim/reference.py): the rule the fast "
            "code below computes, tested equal to it to about 1e-15")


def csv_download(table, file_name: str, label: str = "Download as CSV") -> None:
    """A download button for a table of numbers: a DataFrame, or a function returning
    one, called only when the button is clicked (nothing is sent until then)."""
    def data() -> bytes:
        frame = table() if callable(table) else table
        return frame.to_csv(index=False).encode("utf-8")

    st.download_button(label, data, file_name=file_name, mime="text/csv", key=f"csv_{file_name}",
                       on_click="ignore")


CONFIG = {"displaylogo": False, "scrollZoom": False}
#: on a phone Plotly's toolbar covers legends and titles; the figures stay, the toolbar goes
PHONE_CONFIG = {**CONFIG, "displayModeBar": False}
def presenting() -> bool:
    """Whether presenter mode is on (app.py's toggle)."""
    return bool(st.session_state.get("present", False))


def animation_speed(speed: str = "normal", adjustable: bool = False) -> str:
    """The speed to animate at, given the page's ``speed`` ("normal" unless the reader
    chose another): with reduced motion asked for, "still" (scrub only) where the page
    has a speed control to play anyway (``adjustable``) and "slow" elsewhere; "slow" on
    a projector."""
    if speed != "normal":
        return speed
    if reduced_motion():
        return "still" if adjustable else "slow"
    return "slow" if presenting() else speed


def projector(reserve: float = 2.5) -> tuple[int, float] | None:
    """In presenter mode, what a figure built for a slide needs: its height in pixels,
    leaving ``reserve`` rem for the rest of the slide, and its type's scale; else None."""
    if not presenting():
        return None
    return figure_height(reserve), PRESENTED_SCALE * font_scale()


def chart(spec: dict, key: str, where=None, *, reserve: float = 2.5, fitted: bool = False,
          **kwargs):
    """Draw a figure dict (panels stacked on a phone), in ``where`` or the current
    container. In presenter mode its type is larger and it fits a slide, leaving
    ``reserve`` rem for the rest of the slide (see ui.slides.figure_height), unless it
    was built for the slide (``fitted``: see :func:`projector`)."""
    if presenting() and not fitted:
        spec = presented(spec, PRESENTED_SCALE * font_scale(), figure_height(reserve))
    spec = stacked(spec) if narrow() else spec
    return (where or st).plotly_chart(DictFigure(spec), key=key,
                                      config=PHONE_CONFIG if narrow() else CONFIG, **kwargs)
