"""What a class answered, for the projector: the spread of a question's answers, round by
round, with the right answer marked once it is revealed (the live class, ui/live_class.py).

- a choice: one horizontal bar per option and round, its count written at its end; the
  right option's label starts with a check mark;
- a number: a histogram per round, side by side (bins equal in log10 on a log scale),
  the right answer a dashed line;
- a point: the answers as dots per round, side by side, on the question's (x, y) axes,
  the right answer a star ringed by the distance that still counts as right.
"""
from __future__ import annotations

import math
import textwrap
from collections import Counter

import numpy as np

from .palette import OKABE_ITO
from .quiz import Question, written

#: Paul Tol's light cyan and indigo: a first round, and the round after the discussion
ROUND_COLOURS = ("#88CCEE", "#332288")
RIGHT_COLOUR = OKABE_ITO["black"]
BINS = 12
FONT = {"size": 16}


def summary(question: Question, answers: list) -> str:
    """The answers in words (for a screen reader, and for the record): each option's count
    ("Adam: 2, SGD: 1"), or a number's middle answer; "" for points or no answers."""
    if question.kind == "choice":
        counts = Counter(answers)
        return ", ".join(f"{written(question, o.key)}: {counts[o.key]}"
                         for o in question.options)
    numbers = [v for v in answers if isinstance(v, (int, float)) and math.isfinite(v)]
    if question.kind == "number" and numbers:
        return f"The middle answer: {written(question, float(np.median(numbers)))}"
    return ""


def figure(question: Question, rounds: list[list], truth=None, limit: float = 0.0) -> dict:
    """The answers of each round (a list of lists of answers, as the store keeps them:
    an option key, a number, an [x, y] point) and, once revealed, the ``truth`` (the
    explainer's answer) with the ``limit`` of a right point."""
    if question.kind == "choice":
        return _choices(question, rounds, truth)
    if question.kind == "number":
        return _numbers(question, rounds, truth)
    return _points(rounds, truth, limit)


def _layout(columns: int, **more) -> dict:
    width = 1 / columns
    layout = {"height": 380, "margin": {"l": 20, "r": 20, "t": 50, "b": 60}, "font": FONT,
              "plot_bgcolor": "white", "showlegend": False}
    for i in range(columns):
        suffix = "" if i == 0 else str(i + 1)
        layout[f"xaxis{suffix}"] = {"domain": [i * width + 0.04, (i + 1) * width - 0.04],
                                    "anchor": f"y{suffix}", "gridcolor": "#DDDDDD"}
        layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "gridcolor": "#DDDDDD"}
    layout.update(more)
    return layout


def _round_title(i: int, answers: list, columns: int) -> dict:
    return {"text": f"Round {i + 1}: {len(answers)} answer{'s' * (len(answers) != 1)}",
            "x": (i + 0.5) / columns, "y": 1.0, "xref": "paper", "yref": "paper",
            "xanchor": "center", "yanchor": "bottom", "showarrow": False,
            "font": {"size": 18}}


def _choices(question: Question, rounds: list[list], truth) -> dict:
    rights = set(truth) if isinstance(truth, (frozenset, set, list)) else {truth}
    labels = ["<br>".join(textwrap.wrap(("✓ " if o.key in rights else "") + o.label, 38))
              for o in question.options]
    traces = []
    for i, answers in enumerate(rounds):
        counts = Counter(answers)
        values = [counts[o.key] for o in question.options]
        traces.append({"type": "bar", "orientation": "h", "name": f"Round {i + 1}",
                       "y": labels, "x": values, "text": values, "textposition": "outside",
                       "marker": {"color": ROUND_COLOURS[-len(rounds) + i],
                                  "line": {"color": [RIGHT_COLOUR if o.key in rights
                                                     else "rgba(0,0,0,0)"
                                                     for o in question.options],
                                           "width": 3}},
                       "hovertemplate": "%{y}: %{x}<extra>" + f"Round {i + 1}</extra>"})
    top = max([1] + [max(Counter(a).values(), default=0) for a in rounds])
    layout = _layout(1, barmode="group", showlegend=len(rounds) > 1,
                     legend={"orientation": "h", "y": 1.12, "x": 0, "traceorder": "normal"})
    layout["xaxis"].update(title={"text": "answers"}, range=[0, top * 1.15 + 0.5],
                           dtick=max(1, math.ceil(top / 8)))
    layout["yaxis"].update(autorange="reversed", automargin=True)
    layout["height"] = 120 + 70 * len(question.options) * max(1, len(rounds))
    return {"data": traces, "layout": layout}


def _edges(question: Question, numbers: list[float]) -> tuple[np.ndarray, bool]:
    """The histogram's bin edges, in log10 of the answers or in the answers: log10 on a
    log-scale question (over its slider's range), and when positive answers span more than
    a factor of 50 (answers off by powers of ten are common)."""
    low, high = (min(numbers), max(numbers)) if numbers else (0.0, 1.0)
    if question.scale == "log":
        low, high = min(low, question.low), max(high, question.high)
    if low > 0 and (question.scale == "log" or high / low > 50):
        low, high = math.log10(low), math.log10(high)
        return np.linspace(low, high if high > low else low + 1, BINS + 1), True
    return np.linspace(low, high if high > low else low + 1, BINS + 1), False


def _usable(question: Question, answers: list) -> list[float]:
    """The answers that are finite numbers (and positive, on a log scale)."""
    return [float(v) for v in answers if isinstance(v, (int, float)) and math.isfinite(v)
            and (question.scale != "log" or v > 0)]


def _log_ticks(edges: np.ndarray) -> dict:
    """Ticks at the powers of ten of a log10 axis, written as numbers (0.01, 1, 100)."""
    powers = range(math.floor(edges[0]), math.ceil(edges[-1]) + 1)
    return {"tickvals": list(powers), "ticktext": [f"{10.0 ** k:g}" for k in powers]}


def _numbers(question: Question, rounds: list[list], truth) -> dict:
    finite = [v for answers in rounds for v in _usable(question, answers)]
    edges, log = _edges(question, finite + ([float(truth)] if truth is not None else []))
    where = (lambda v: math.log10(v)) if log else (lambda v: v)  # noqa: E731
    traces, layout = [], _layout(len(rounds))
    layout["annotations"] = [_round_title(i, a, len(rounds)) for i, a in enumerate(rounds)]
    unit = f" ({question.unit})" if question.unit else ""
    top = 1
    for i, answers in enumerate(rounds):
        shown = [where(v) for v in _usable(question, answers) if not log or v > 0]
        counts, _ = np.histogram(np.clip(shown, edges[0], edges[-1]), bins=edges)
        top = max(top, int(counts.max(initial=0)))
        suffix = "" if i == 0 else str(i + 1)
        low, high = edges[:-1], edges[1:]
        about = [f"{10 ** a:.3g} to {10 ** b:.3g}" if log else f"{a:.3g} to {b:.3g}"
                 for a, b in zip(low, high)]
        traces.append({"type": "bar", "x": ((low + high) / 2).tolist(), "y": counts.tolist(),
                       "width": float(edges[1] - edges[0]), "customdata": about,
                       "xaxis": f"x{suffix}", "yaxis": f"y{suffix}",
                       "marker": {"color": ROUND_COLOURS[-len(rounds) + i],
                                  "line": {"color": "white", "width": 1}},
                       "text": [str(c) if c else "" for c in counts],
                       "textposition": "outside", "name": f"Round {i + 1}",
                       "hovertemplate": "%{customdata}: %{y}<extra></extra>"})
        axis = layout[f"xaxis{suffix}"]
        axis.update(title={"text": "answer" + unit + (", log scale" if log else "")},
                    range=[float(edges[0]), float(edges[-1])], **(_log_ticks(edges) if log
                                                                  else {}))
        if truth is not None:
            layout.setdefault("shapes", []).append(
                {"type": "line", "xref": f"x{suffix}", "yref": f"y{suffix} domain",
                 "x0": where(truth), "x1": where(truth), "y0": 0, "y1": 1,
                 "line": {"color": RIGHT_COLOUR, "width": 3, "dash": "dash"}})
            layout["annotations"].append(
                {"text": f"✓ {written(question, truth)}", "x": where(truth),
                 "xref": f"x{suffix}", "y": 0.95, "yref": f"y{suffix} domain",
                 "showarrow": False, "xanchor": "left", "bgcolor": "white"})
    for i in range(len(rounds)):
        suffix = "" if i == 0 else str(i + 1)
        layout[f"yaxis{suffix}"].update(title={"text": "answers" if i == 0 else ""},
                                        range=[0, top * 1.25 + 0.5],
                                        dtick=max(1, math.ceil(top / 6)))
    return {"data": traces, "layout": layout}


def _points(rounds: list[list], truth, limit: float) -> dict:
    traces, layout = [], _layout(len(rounds))
    layout["annotations"] = [_round_title(i, a, len(rounds)) for i, a in enumerate(rounds)]
    layout["height"] = 460
    for i, answers in enumerate(rounds):
        suffix = "" if i == 0 else str(i + 1)
        points = [p for p in answers if isinstance(p, list) and len(p) == 2]
        traces.append({"type": "scatter", "mode": "markers", "name": f"Round {i + 1}",
                       "x": [p[0] for p in points], "y": [p[1] for p in points],
                       "xaxis": f"x{suffix}", "yaxis": f"y{suffix}",
                       "marker": {"size": 12, "color": ROUND_COLOURS[-len(rounds) + i],
                                  "opacity": 0.8, "line": {"color": "white", "width": 1}},
                       "hovertemplate": "(%{x:.3g}, %{y:.3g})<extra></extra>"})
        layout[f"xaxis{suffix}"].update(title={"text": "x"}, zeroline=True)
        layout[f"yaxis{suffix}"].update(title={"text": "y"}, zeroline=True,
                                        scaleanchor=f"x{suffix}")
        if truth is not None:
            tx, ty = truth
            traces.append({"type": "scatter", "mode": "markers+text", "x": [tx], "y": [ty],
                           "xaxis": f"x{suffix}", "yaxis": f"y{suffix}",
                           "text": ["✓ the engine"], "textposition": "top center",
                           "marker": {"symbol": "star", "size": 20, "color": RIGHT_COLOUR},
                           "hoverinfo": "skip", "name": "right"})
            layout.setdefault("shapes", []).append(
                {"type": "circle", "xref": f"x{suffix}", "yref": f"y{suffix}",
                 "x0": tx - limit, "x1": tx + limit, "y0": ty - limit, "y1": ty + limit,
                 "line": {"color": RIGHT_COLOUR, "dash": "dot"}})
    return {"data": traces, "layout": layout}
