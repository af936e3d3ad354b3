"""What a class answered, for the projector: the spread of a question's answers, round by
round, with the right answer marked once it is revealed (the live class, ui/live_class.py).

- a choice: one horizontal bar per option and round, its count written at its end; the
  right option's label starts with a check mark and its bars are outlined;
- a number: a histogram per round, side by side, on the same axes. On a log-scale
  question each notch of its slider has a bin of its own; otherwise the bins span the
  middle 90% of the answers, and the rest are counted in the end bins (one answer of 1e9
  must not squash the others). Once revealed, each bar is split into the right answers
  (dark, below) and the wrong ones, and a dashed line marks the right answer;
- a point: the answers as dots per round, side by side on the same axes (the middle 90%
  of the answers and the right one; a dot outside is drawn at the edge, as a triangle);
  once revealed, the right answer is a star ringed by the distance that counts as right,
  and the right dots are dark.
"""
from __future__ import annotations

import math
import textwrap
from collections import Counter

import numpy as np

from .palette import OKABE_ITO
from .quiz import Question, notches, written

#: Paul Tol's medium blue and indigo: a first round, and the round after the discussion
ROUND_COLOURS = ("#6699CC", "#332288")
RIGHT_COLOUR = OKABE_ITO["bluish_green"]
LINE_COLOUR = OKABE_ITO["black"]
BINS = 12
FONT = {"size": 16, "color": "#111111"}
TITLE = {"font": FONT}  # axis titles as dark as the ticks (Plotly's default is grey)


def summary(question: Question, answers: list) -> str:
    """The answers in words (for a screen reader, and for the record): each option's count
    ("Adam: 2, SGD: 1"), or a number's middle answer (one that was given); "" for points or
    no answers."""
    if question.kind == "choice":
        counts = Counter(answers)
        return ", ".join(f"{written(question, o.key)}: {counts[o.key]}"
                         for o in question.options)
    numbers = sorted(v for v in answers if _finite(v))
    if question.kind == "number" and numbers:
        return f"The middle answer: {written(question, numbers[(len(numbers) - 1) // 2])}"
    return ""


def figure(question: Question, rounds: list[list], truth=None, limit: float = 0.0,
           rights: list[list[bool]] | None = None) -> dict:
    """The answers of each round (a list of lists of answers, as the store keeps them:
    an option key, a number, an [x, y] point) and, once revealed, the ``truth`` (the
    explainer's answer), the ``limit`` of a right point, and which answers are right
    (``rights``, round by round)."""
    if question.kind == "choice":
        return _choices(question, rounds, truth)
    rights = rights or [[False] * len(answers) for answers in rounds]
    if question.kind == "number":
        return _numbers(question, rounds, truth, rights)
    return _points(rounds, truth, limit, rights)


def _finite(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _layout(columns: int, **more) -> dict:
    width = 1 / columns
    layout = {"height": 380, "margin": {"l": 20, "r": 20, "t": 50, "b": 60}, "font": FONT,
              "plot_bgcolor": "white", "showlegend": False}
    for i in range(columns):
        suffix = "" if i == 0 else str(i + 1)
        layout[f"xaxis{suffix}"] = {"domain": [i * width + 0.04, (i + 1) * width - 0.04],
                                    "anchor": f"y{suffix}", "gridcolor": "#DDDDDD",
                                    "tickfont": FONT}
        layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "gridcolor": "#DDDDDD",
                                    "tickfont": FONT}
    layout.update(more)
    return layout


def _round_title(i: int, answers: list, columns: int) -> dict:
    return {"text": f"Round {i + 1}: {len(answers)} answer{'s' * (len(answers) != 1)}",
            "x": (i + 0.5) / columns, "y": 1.0, "xref": "paper", "yref": "paper",
            "xanchor": "center", "yanchor": "bottom", "showarrow": False,
            "font": {"size": 18, "color": "#111111"}}


def _choices(question: Question, rounds: list[list], truth) -> dict:
    rights = set(truth) if isinstance(truth, (frozenset, set, list)) else {truth}
    labels = ["<br>".join(textwrap.wrap(("✓ " if o.key in rights else "") + o.label, 34))
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
                                           "width": 4}},
                       "hovertemplate": "%{y}: %{x}<extra>" + f"Round {i + 1}</extra>"})
    top = max([1] + [max(Counter(a).values(), default=0) for a in rounds])
    layout = _layout(1, barmode="group", showlegend=len(rounds) > 1,
                     legend={"orientation": "h", "y": 1.08, "x": 0, "traceorder": "normal",
                             "font": FONT})
    layout["xaxis"].update(title={"text": "answers", **TITLE}, range=[0, top * 1.15 + 0.5],
                           dtick=max(1, math.ceil(top / 8)))
    layout["yaxis"].update(autorange="reversed", automargin=True)
    layout["margin"]["t"] = 40 if len(rounds) > 1 else 10
    layout["height"] = 90 + len(question.options) * (28 + 26 * len(rounds))
    return {"data": traces, "layout": layout}


def _middle(values: list[float]) -> tuple[float, float]:
    """The range of the middle 90% of ``values`` (all of them when fewer than 20)."""
    if len(values) < 20:
        return min(values), max(values)
    low, high = np.percentile(values, [5, 95])
    return float(low), float(high)


def _edges(question: Question, numbers: list[float], truth) -> tuple[np.ndarray, bool]:
    """The histogram's bin edges, in log10 of the answers or in the answers themselves:
    log10 between the notches of a log-scale question's slider (a bin per notch), and
    when the middle answers are positive and span more than a factor of 50."""
    if question.scale == "log":
        stops = np.log10(notches(question))
        middles = (stops[:-1] + stops[1:]) / 2
        step = stops[1] - stops[0]
        return np.concatenate([[stops[0] - step / 2], middles, [stops[-1] + step / 2]]), True
    low, high = _middle(numbers) if numbers else (0.0, 1.0)
    if truth is not None:
        low, high = min(low, truth), max(high, truth)
    if low > 0 and high / low > 50:
        low, high = math.log10(low), math.log10(high)
        return np.linspace(low, high, BINS + 1), True
    if high <= low:
        low, high = low - 0.5 * (abs(low) or 1), high + 0.5 * (abs(high) or 1)
    return np.linspace(low, high, BINS + 1), False


def _log_ticks(edges: np.ndarray) -> dict:
    """Ticks at the powers of ten of a log10 axis, written as numbers (0.01, 1, 100)."""
    powers = range(math.ceil(edges[0]), math.floor(edges[-1]) + 1)
    return {"tickvals": list(powers), "ticktext": [f"{10.0 ** k:g}" for k in powers]}


def _numbers(question: Question, rounds: list[list], truth, rights) -> dict:
    numbers = [float(v) for answers in rounds for v in answers if _finite(v)]
    shown_truth = float(truth) if truth is not None else None
    edges, log = _edges(question, numbers, shown_truth)

    def where(v: float) -> float:
        return math.log10(v) if log else v

    traces, layout = [], _layout(len(rounds))
    layout["annotations"] = [_round_title(i, a, len(rounds)) for i, a in enumerate(rounds)]
    layout["barmode"] = "stack"
    unit = f" ({question.unit})" if question.unit else ""
    top = 1
    centres = ((edges[:-1] + edges[1:]) / 2).tolist()
    about = [f"{10 ** a:.3g} to {10 ** b:.3g}" if log else f"{a:.3g} to {b:.3g}"
             for a, b in zip(edges[:-1], edges[1:])]
    for i, (answers, marks) in enumerate(zip(rounds, rights)):
        suffix = "" if i == 0 else str(i + 1)
        given = [(where(float(v)), right) for v, right in zip(answers, marks)
                 if _finite(v) and (not log or v > 0)]
        parts = {True: [], False: []}
        for value, right in given:
            parts[right].append(min(max(value, edges[0]), edges[-1]))
        counts = {right: np.histogram(values, bins=edges)[0] for right, values in parts.items()}
        top = max(top, int((counts[True] + counts[False]).max(initial=0)))
        for right in (True, False):
            if right and truth is None:
                continue
            colour = RIGHT_COLOUR if right else ROUND_COLOURS[-len(rounds) + i]
            traces.append({"type": "bar", "x": centres, "y": counts[right].tolist(),
                           "width": float(edges[1] - edges[0]), "customdata": about,
                           "xaxis": f"x{suffix}", "yaxis": f"y{suffix}",
                           "name": ("right" if right else "answers") + f", round {i + 1}",
                           "marker": {"color": colour, "line": {"color": "white", "width": 1}},
                           "text": [str(c) if c else "" for c in counts[right]],
                           "textposition": "inside", "insidetextanchor": "middle",
                           "textfont": {"color": "white", "size": 16},
                           "hovertemplate": "%{customdata}: %{y}<extra>%{fullData.name}"
                                            "</extra>"})
        layout[f"xaxis{suffix}"].update(
            title={"text": "answer" + unit + (", log scale" if log else ""), **TITLE},
            range=[float(edges[0]), float(edges[-1])], **(_log_ticks(edges) if log else {}))
        if shown_truth is not None and (not log or shown_truth > 0):
            layout.setdefault("shapes", []).append(
                {"type": "line", "xref": f"x{suffix}", "yref": f"y{suffix} domain",
                 "x0": where(shown_truth), "x1": where(shown_truth), "y0": 0, "y1": 0.86,
                 "line": {"color": LINE_COLOUR, "width": 2, "dash": "dash"}})
            layout["annotations"].append(
                {"text": f"✓ {written(question, shown_truth)}", "x": where(shown_truth),
                 "xref": f"x{suffix}", "y": 0.86, "yref": f"y{suffix} domain",
                 "showarrow": False, "yanchor": "bottom", "bgcolor": "white",
                 "font": {"size": 16, "color": "#111111"}})
    for i in range(len(rounds)):
        suffix = "" if i == 0 else str(i + 1)
        layout[f"yaxis{suffix}"].update(title={"text": "answers" if i == 0 else "", **TITLE},
                                        range=[0, top * 1.3 + 0.5],
                                        dtick=max(1, math.ceil(top / 6)))
    return {"data": traces, "layout": layout}


def _view(points: list, truth, limit: float) -> tuple[list[float], list[float]]:
    """The x and y ranges that show the middle 90% of the points and the right answer
    (with its ring), with a margin."""
    ranges = []
    for axis in (0, 1):
        values = [p[axis] for p in points]
        low, high = _middle(values) if values else (-1.0, 1.0)
        if truth is not None:
            low, high = min(low, truth[axis] - limit), max(high, truth[axis] + limit)
        pad = 0.12 * (high - low) or 0.5
        ranges.append([low - pad, high + pad])
    return ranges[0], ranges[1]


def _points(rounds: list[list], truth, limit: float, rights) -> dict:
    pairs = [[(p, right) for p, right in zip(answers, marks)
              if isinstance(p, (list, tuple)) and len(p) == 2 and all(map(_finite, p))]
             for answers, marks in zip(rounds, rights)]
    xs, ys = _view([p for kept in pairs for p, _ in kept], truth, limit)
    traces, layout = [], _layout(len(rounds))
    layout["annotations"] = [_round_title(i, a, len(rounds)) for i, a in enumerate(rounds)]
    layout["height"] = 460
    for i, kept in enumerate(pairs):
        suffix = "" if i == 0 else str(i + 1)
        inside = [xs[0] <= p[0] <= xs[1] and ys[0] <= p[1] <= ys[1] for p, _ in kept]
        traces.append({"type": "scatter", "mode": "markers", "name": f"Round {i + 1}",
                       "x": [min(max(p[0], xs[0]), xs[1]) for p, _ in kept],
                       "y": [min(max(p[1], ys[0]), ys[1]) for p, _ in kept],
                       "customdata": [f"({p[0]:.3g}, {p[1]:.3g})" for p, _ in kept],
                       "xaxis": f"x{suffix}", "yaxis": f"y{suffix}",
                       "marker": {"size": 13, "opacity": 0.85,
                                  "color": [RIGHT_COLOUR if right else
                                            ROUND_COLOURS[-len(rounds) + i] for _, right in kept],
                                  "symbol": ["circle" if ok else "triangle-up" for ok in inside],
                                  "line": {"color": "white", "width": 1}},
                       "hovertemplate": "%{customdata}<extra></extra>"})
        layout[f"xaxis{suffix}"].update(title={"text": "x", **TITLE}, range=xs, zeroline=True)
        layout[f"yaxis{suffix}"].update(title={"text": "y", **TITLE}, range=ys, zeroline=True)
        if truth is not None:
            tx, ty = truth
            traces.append({"type": "scatter", "mode": "markers", "x": [tx], "y": [ty],
                           "xaxis": f"x{suffix}", "yaxis": f"y{suffix}",
                           "marker": {"symbol": "star", "size": 22, "color": LINE_COLOUR},
                           "hovertemplate": "the engine: (%{x:.3g}, %{y:.3g})<extra></extra>",
                           "name": "right"})
            layout.setdefault("shapes", []).append(
                {"type": "circle", "xref": f"x{suffix}", "yref": f"y{suffix}",
                 "x0": tx - limit, "x1": tx + limit, "y0": ty - limit, "y1": ty + limit,
                 "line": {"color": LINE_COLOUR, "dash": "dot", "width": 2}})
    if truth is not None:
        layout["annotations"].append(
            {"text": "★ the engine's answer; ring: close enough to count as right",
             "x": 0.5, "y": -0.2, "xref": "paper", "yref": "paper", "showarrow": False,
             "font": {"size": 15, "color": "#111111"}})
    return {"data": traces, "layout": layout}
