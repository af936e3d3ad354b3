"""Draw a control from its spec (explainers/url_state.py): the widget, its label, range,
options, tooltip and key all come from the spec, so a page only says where it goes."""
from __future__ import annotations

import math

import streamlit as st

from explainers.url_state import Choice, Choices, Flag, Number, Text


def control(spec, where=None, **extra):
    """The widget for ``spec`` in ``where`` (the current container by default); ``extra``
    goes to the widget (``on_change``, ``disabled``, or ``low``/``high`` for a range that
    depends on the page, e.g. a start point on the map shown). Returns its value."""
    w = where or st
    low = extra.pop("low", getattr(spec, "low", None))
    high = extra.pop("high", getattr(spec, "high", None))
    kw = {"key": spec.key, "help": spec.help or None, **extra}
    if isinstance(spec, Flag):
        return w.toggle(spec.label, **kw)
    if isinstance(spec, Choices):
        return w.multiselect(spec.label, spec.options, format_func=spec.show, **kw)
    if isinstance(spec, Text):
        return w.text_input(spec.label, max_chars=spec.max_length, **kw)
    if isinstance(spec, Choice):
        numbers = all(isinstance(o, (int, float)) and not isinstance(o, bool)
                      for o in spec.options)
        draw = {"radio": w.radio, "slider": w.select_slider}.get(
            spec.widget, w.select_slider if numbers else w.selectbox)
        return draw(spec.label, spec.options, format_func=spec.show, **kw)
    if isinstance(spec, Number):
        bounds = [None if not math.isfinite(v) else (int(v) if spec.integer else float(v))
                  for v in (low, high)]
        if spec.step is not None:
            return w.slider(spec.label, *bounds, step=spec.step, **kw)
        return w.number_input(spec.label, *bounds, **kw)
    raise TypeError(f"no widget for {type(spec).__name__}")
