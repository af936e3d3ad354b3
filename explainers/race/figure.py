"""The race as one animated Plotly figure (a plain dict; see plotly_dict).

The contour map with every racer's route, a marker per racer and, for Adam, three
arrows; Adam's numbers at the scrubbed step; loss against step, with a cursor.  On a
wide screen the numbers and the loss chart sit right of the map, on a phone below it
(see ``ARRANGEMENTS``).  One scrubber moves all of it.

Only the moving traces are in the frames (markers, a short trail, the arrows, the
table of numbers, the cursor); the landscape and full routes are drawn once, so a
500-step race of 4 racers stays far below 1 MB.
"""
from __future__ import annotations

import math

import numpy as np

from ..palette import ARROW_COLOURS
from ..plotly_dict import PRESENTED_SCALE, larger_axes, packed
from .landscape import landscape_image, shade, surface_trace
from .setup import RacerResult, RaceSetup

MAX_FRAMES = 60
LOSS_FLOOR = 1e-12  # the loss chart is logarithmic: f - f_min is shown down to this
CLICK_GRID = 41
FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 15, "color": "#111111"}
ARROW_LENGTH = 0.12  # as a fraction of the map's width and height
SPEEDS_MS = {"still": None, "slow": 160, "normal": 60, "fast": 20}  # still: scrub only
VALUE_COLUMNS = (2.4, 3.65)  # where the x and y numbers sit in the table
TABLE_ROWS = (("gradient g", "g"), ("direction m̂", "m_hat"), ("slope size √v̂", "sqrt_v_hat"),
              ("effective learning<br>rate α/(√v̂+ε)", "effective_lr"),
              ("step (subtracted)", "step"))


def frame_steps(steps: int) -> list[int]:
    """The steps that get a frame: all of them, or evenly spaced ones, always the last."""
    stride = max(1, math.ceil(steps / MAX_FRAMES))
    return sorted(set(range(0, steps + 1, stride)) | {steps})


def loss_above_minimum(setup: RaceSetup, result: RacerResult) -> np.ndarray:
    """f - f_min for each step the racer actually took (up to divergence)."""
    losses = result.run.losses
    if result.diverged_at is not None:
        losses = losses[:result.diverged_at]
    return np.maximum(losses - setup.landscape.min_value, LOSS_FLOOR)


def _fmt(value: float) -> str:
    """Three significant digits, exponents without a leading zero (-1.32e-7): the table's
    columns are narrow."""
    return f"{value:.3g}".replace("e-0", "e-").replace("e+0", "e+")


def adam_numbers(result: RacerResult, k: int) -> list[str]:
    """The table's cells at frame k: the numbers of step t = k, x then y per row."""
    if k == 0:
        return ["press play"] + [""] * (2 * len(TABLE_ROWS) - 1)
    if result.diverged_at is not None and k >= result.diverged_at:
        return [f"diverged at step {result.diverged_at}"] + [""] * (2 * len(TABLE_ROWS) - 1)
    inside = result.run.internals
    cells = []
    for _, name in TABLE_ROWS:
        row = np.sqrt(inside["v_hat"][k - 1]) if name == "sqrt_v_hat" else inside[name][k - 1]
        cells += [_fmt(row[0]), _fmt(row[1])]
    return cells


def _table_positions():
    xs, ys = [], []
    for i in range(len(TABLE_ROWS)):
        xs += list(VALUE_COLUMNS)
        ys += [len(TABLE_ROWS) - i - 1] * 2
    return xs, ys


ARROWS = (("downhill now (−g)", "gradient", "g"),
          ("smoothed direction (−m̂)", "m_hat", "m_hat"),
          ("Adam's step", "step", "step"))


def arrow_ends(result: RacerResult, box) -> dict[str, np.ndarray]:
    """For every step t, the tip of each arrow drawn from where step t started, pointing
    along minus the quantity, with a fixed on-screen length; NaN where there is none
    (a zero vector, or after divergence). Row t-1 is step t."""
    x0, x1, y0, y1 = box
    span = np.array([x1 - x0, y1 - y0])
    starts = result.run.positions[:-1]
    out = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        for _, _, name in ARROWS:
            scaled = -result.run.internals[name] / span
            norm = np.hypot(scaled[:, 0], scaled[:, 1])[:, None]
            out[name] = np.where(norm > 0, starts + ARROW_LENGTH * scaled / norm * span, np.nan)
    return out


def _arrows(result: RacerResult, ends: dict, k: int) -> list[dict]:
    """The three arrows at frame k (none at k = 0 or after divergence)."""
    out = []
    for _, _, name in ARROWS:
        tip = ends[name][k - 1] if k > 0 else None
        if tip is None or not np.isfinite(tip).all() or (
                result.diverged_at is not None and k >= result.diverged_at):
            out.append({"x": [None, None], "y": [None, None]})
            continue
        start = result.run.positions[k - 1]
        out.append({"x": [float(start[0]), float(tip[0])], "y": [float(start[1]), float(tip[1])]})
    return out


def _still_map_traces(setup: RaceSetup, click_hint: str) -> list[dict]:
    """The click grid, the minima and the start.

    The click grid is a marker on every point of a fine grid, for the hover (where
    am I, how high) and for a click (``click_hint`` says what it does); ``maxdisplayed``
    draws only one of them: hover and clicks use every point, and the browser is spared
    thousands of invisible shapes on every redraw."""
    surface, box = setup.landscape, setup.landscape.box
    gx, gy = np.meshgrid(np.linspace(box[0], box[1], CLICK_GRID),
                         np.linspace(box[2], box[3], CLICK_GRID))
    grid = np.stack([gx.ravel(), gy.ravel()], axis=-1)
    mins = np.array(surface.minima)
    start = setup.start_point
    return [
        {"type": "scatter", "mode": "markers", "name": click_hint,
         "x": packed(grid[:, 0], "f4"), "y": packed(grid[:, 1], "f4"),
         "customdata": packed(surface.value(grid), "f4"),
         "marker": {"size": 9, "opacity": 0.01, "color": "#000000", "maxdisplayed": 1},
         "hovertemplate": "(%{x:.2f}, %{y:.2f}) loss %{customdata:.4g}"
                          f"<br>{click_hint}<extra></extra>", "showlegend": False},
        {"type": "scatter", "mode": "markers", "name": "minimum",
         "x": mins[:, 0].tolist(), "y": mins[:, 1].tolist(),
         "marker": {"symbol": "star", "size": 17, "color": "#FFFFFF",
                    "line": {"color": "#000000", "width": 1.5}},
         "hovertemplate": "minimum (%{x:.3f}, %{y:.3f})<extra></extra>"},
        {"type": "scatter", "mode": "markers", "name": "start", "x": [start[0]], "y": [start[1]],
         "marker": {"symbol": "circle-open", "size": 14, "color": "#000000",
                    "line": {"width": 2.5}},
         "hovertemplate": "start (%{x:.3f}, %{y:.3f})<extra></extra>"},
    ]


def guess_trace(guess: tuple[float, float], legend: bool = True) -> dict:
    """The learner's predicted point, a black cross (in the legend or not)."""
    return {"type": "scatter", "mode": "markers", "name": "your guess", "showlegend": legend,
            "x": [float(guess[0])], "y": [float(guess[1])],
            "marker": {"symbol": "x", "size": 17, "color": "#000000",
                       "line": {"color": "#FFFFFF", "width": 1.5}},
            "hovertemplate": "your guess (%{x:.3f}, %{y:.3f})<extra></extra>"}


def _map_traces(setup: RaceSetup, results: list[RacerResult], show_routes: bool,
                guess: tuple[float, float] | None = None) -> list[dict]:
    """The still part of the map: click grid, minima, start, the learner's guess, routes
    (the landscape is a layout image, :func:`landscape_image`)."""
    steps = setup.steps
    data = _still_map_traces(setup, "click to start here")
    if guess is not None:  # not in the legend, which would then run under Plotly's toolbar
        data.append(guess_trace(guess, legend=False))
    for r in results:
        path = r.run.positions[:(r.diverged_at or steps + 1)]
        data.append({"type": "scatter", "mode": "lines", "name": r.racer.label,
                     "legendgroup": r.racer.key, "x": packed(path[:, 0]), "y": packed(path[:, 1]),
                     "line": {"color": r.racer.colour, "width": 2},
                     "opacity": 0.55 if show_routes else 0.0, "hoverinfo": "skip"})
        if r.diverged_at is not None:
            last = r.run.positions[-1]
            data.append({"type": "scatter", "mode": "markers+text", "showlegend": False,
                         "legendgroup": r.racer.key, "x": [float(last[0])], "y": [float(last[1])],
                         "text": [f"diverged at step {r.diverged_at}"],
                         "textposition": "top center", "textfont": {"color": r.racer.colour},
                         "marker": {"symbol": "x", "size": 16, "color": r.racer.colour},
                         "hovertemplate": f"{r.racer.label} diverged at step {r.diverged_at}"
                                          "<extra></extra>"})
    return data


def _side_traces(results: list[RacerResult], curves, adam) -> list[dict]:
    """The still part of the side panels: loss curves and the table's row labels."""
    data = []
    for r, curve in zip(results, curves):
        data.append({"type": "scatter", "mode": "lines", "xaxis": "x2", "yaxis": "y2",
                     "showlegend": False, "legendgroup": r.racer.key, "name": r.racer.label,
                     "x": packed(np.arange(len(curve)), "f4"), "y": packed(curve),
                     "line": {"color": r.racer.colour, "width": 2},
                     "hovertemplate": f"{r.racer.label}<br>step %{{x}}<br>f − f_min %{{y:.3g}}"
                                      "<extra></extra>"})
    if adam is not None:
        labels = [name for name, _ in TABLE_ROWS]
        data.append({"type": "scatter", "mode": "text", "xaxis": "x3", "yaxis": "y3",
                     "showlegend": False, "hoverinfo": "skip",
                     "x": [0.0] * len(labels) + list(VALUE_COLUMNS),
                     "y": list(range(len(labels) - 1, -1, -1)) + [len(labels)] * 2,
                     "text": labels + ["<b>x</b>", "<b>y</b>"],
                     "textposition": ["middle right"] * len(labels) + ["middle center"] * 2,
                     "textfont": {"size": 14}})
    return data


def _moving_traces(results, curves, adam, box, lo_hi, side: bool, trail: int):
    """The traces the frames move (their style) and ``moving(k)``: their data at step k.
    Each racer's bold trail covers its last ``trail`` steps."""
    rounded = [np.round(r.run.positions, 6) for r in results]
    ends = arrow_ends(adam, box) if adam is not None else None

    def moving(k: int) -> list[dict]:
        out = []
        for r, curve, pos in zip(results, curves, rounded):
            j = min(k, (r.diverged_at - 1) if r.diverged_at is not None else k)
            seg = pos[max(0, j - trail):j + 1]
            out.append({"x": [float(pos[j, 0])], "y": [float(pos[j, 1])]})
            out.append({"x": seg[:, 0].tolist(), "y": seg[:, 1].tolist()})
            if side:
                i = min(k, len(curve) - 1)
                out.append({"x": [i], "y": [float(curve[i])]})
        if adam is not None:
            out += _arrows(adam, ends, k)
            if side:
                out.append({"text": adam_numbers(adam, k)})
        if side:
            out.append({"x": [k, k]})
        return out

    now = iter(moving(0))
    styles = []
    for r in results:
        colour = {"color": r.racer.colour}
        styles.append({"type": "scatter", "mode": "markers", "name": r.racer.label,
                       "legendgroup": r.racer.key, "showlegend": False, **next(now),
                       "marker": {"size": 14, **colour, "line": {"color": "#FFFFFF", "width": 2}},
                       "hovertemplate": f"{r.racer.label} (%{{x:.3f}}, %{{y:.3f}})<extra></extra>"})
        styles.append({"type": "scatter", "mode": "lines", "showlegend": False,
                       "legendgroup": r.racer.key, **next(now), "line": {"width": 4, **colour},
                       "hoverinfo": "skip"})
        if side:
            styles.append({"type": "scatter", "mode": "markers", "xaxis": "x2", "yaxis": "y2",
                           "showlegend": False, "legendgroup": r.racer.key, **next(now),
                           "marker": {"size": 10, **colour}, "hoverinfo": "skip"})
    if adam is not None:
        for label, colour_key, _ in ARROWS:
            colour = ARROW_COLOURS[colour_key]
            styles.append({"type": "scatter", "mode": "lines+markers", "name": label, **next(now),
                           "line": {"color": colour, "width": 3},
                           "marker": {"symbol": "arrow", "angleref": "previous", "size": [0, 15],
                                      "color": colour},
                           "hoverinfo": "skip", "legendgroup": "arrows"})
        if side:
            tx, ty = _table_positions()
            styles.append({"type": "scatter", "mode": "text", "xaxis": "x3", "yaxis": "y3",
                           "showlegend": False, "hoverinfo": "skip", "x": tx, "y": ty,
                           **next(now), "textposition": "middle center",
                           "textfont": {"size": 14, "family": "monospace"}})
    if side:
        styles.append({"type": "scatter", "mode": "lines", "xaxis": "x2", "yaxis": "y2",
                       "showlegend": False, "hoverinfo": "skip", **next(now), "y": list(lo_hi),
                       "line": {"color": "#555555", "width": 1, "dash": "dot"}})
    return styles, moving


SCRUBBER_PX = 95  # the scrubber's label, rail and tick labels
SCRUBBER_ROW_PX = 62  # on a slide: the scrubber's label and rail, the buttons beside them
#: on a slide: the width the Play and Pause buttons take, of a figure across the slide or
#: of one in half its width
BUTTONS_SHARE = {"wide": 0.13, "map": 0.27}


def animation_controls(frames_at: list[int], speed: str, plot_height: float,
                       y: float = 0.02, scale: float = 1.0,
                       beside: tuple[float, float] | None = None) -> dict:
    """Layout entries for a step scrubber over the named frames, across the full width,
    and below it the Play and Pause buttons, their top at paper height ``y`` (``plot_height``:
    the plot area's height in pixels; ``scale``: the type's size against the page's).
    Beside the scrubber, the buttons would hide its thumb on a narrow figure; on a slide
    they sit left of it, the scrubber's step numbers going (its label names the step),
    so the controls take one row: ``beside`` = (the buttons' width, the scrubber's right
    end) as fractions of the figure's width."""
    duration = SPEEDS_MS.get(speed, SPEEDS_MS["normal"])
    play = {"frame": {"duration": duration, "redraw": False}, "fromcurrent": True,
            "transition": {"duration": 0}, "mode": "immediate"}
    pause = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate",
             "transition": {"duration": 0}}
    buttons = [] if duration is None else [
        {"label": "Play", "method": "animate", "args": [None, play]},
        {"label": "Pause", "method": "animate", "args": [[None], pause]}]
    scrubber = SCRUBBER_ROW_PX if beside else SCRUBBER_PX
    slider = {"active": 0, "x": 0, "y": y + scrubber * scale / plot_height, "len": 1,
              "xanchor": "left", "yanchor": "top", "pad": {"t": 0},
              "currentvalue": {"prefix": "step ", "visible": True,
                               "font": {"size": round(15 * scale)}},
              "steps": [{"label": str(k), "method": "animate", "args": [[str(k)], pause]}
                        for k in frames_at]}
    menu = {"type": "buttons", "direction": "left", "x": 0, "y": y, "xanchor": "left",
            "yanchor": "top", "showactive": False, "pad": {"r": 8, "t": 0}, "buttons": buttons}
    if beside:
        share, end = beside
        slider.update(x=share, len=end - share, font={"size": 1}, ticklen=4)
        menu["y"] = y + (scrubber - 26) * scale / plot_height
    return {"updatemenus": [menu], "sliders": [slider]}


#: Where each part of the race sits (paper fractions; margins and height in pixels): the
#: numbers and the loss chart beside the map on a wide screen, below it on a phone, or
#: the map alone.  "top" leaves room for the legend, which wraps on a phone.  Below the
#: map: its axis, then the scrubber, then the Play and Pause buttons.
ARRANGEMENTS = {
    "wide": {"height": 810, "top": 80, "bottom": 30, "map_x": (0, 0.6), "map_y": (0.22, 1),
             "controls_y": 0.02, "table_x": (0.66, 1), "table_y": (0.64, 0.96),
             "title_y": 0.99, "loss_x": (0.74, 1), "loss_y": (0.26, 0.56)},
    "stacked": {"height": 1280, "top": 150, "bottom": 50, "map_x": (0, 1), "map_y": (0.6, 1),
                "controls_y": 0.467, "table_x": (0, 1), "table_y": (0.23, 0.39),
                "title_y": 0.42, "loss_x": (0.14, 1), "loss_y": (0, 0.17)},
    "map": {"height": 650, "top": 80, "bottom": 30, "map_x": (0, 1), "map_y": (0.28, 1),
            "controls_y": 0.02},
    "phone map": {"height": 720, "top": 150, "bottom": 10, "map_x": (0, 1),
                  "map_y": (0.3, 1), "controls_y": 0.05},
}


LEGEND_ROW = 26  # pixels per row of the legend above the map
BELOW_MAP = 112  # pixels under the map on a slide, at the page's type: its axis, the controls
#: pixels a legend row may fill, at least: a page's width, a map in half of one, a phone
LEGEND_WIDTHS = {"wide": 1000, "map": 550, "stacked": 350, "phone map": 350}


def legend_rows(data: list[dict], width: float = LEGEND_WIDTHS["map"]) -> int:
    """How many rows the legend above the map needs, from its entries' labels (about 8
    pixels a character at 14 px, plus the symbol): many racers wrap onto more rows, which
    the top margin must hold, or they run off the figure."""
    labels = [45 + 8 * len(t["name"]) for t in data
              if t.get("showlegend", True) and t.get("name") and t.get("type") == "scatter"]
    rows, used = 1, 0
    for label in labels:
        if used and used + label > width:
            rows, used = rows + 1, 0
        used += label
    return rows


def arrangement(compact: bool, narrow: bool) -> str:
    """The key of :data:`ARRANGEMENTS` for a map alone (``compact``) or with its panels,
    on a phone-narrow screen or not."""
    if compact:
        return "phone map" if narrow else "map"
    return "stacked" if narrow else "wide"


def projected(place: dict, height: int, scale: float, extra: int) -> dict:
    """An arrangement for a projector's slide: ``height`` pixels in all (``extra`` of them
    for the legend's rows past the first), type ``scale`` times the page's, the map's foot
    raised to leave its axis and controls (one row, see :func:`animation_controls`) their
    pixels, the room above the legend's first row (the page's figure keeps 40 pixels)
    dropped. Beside the map, Adam's numbers take the upper half and the loss chart the
    lower, down to the map's foot."""
    top, bottom = round((place["top"] - 40) * scale), round(place["bottom"] * scale)
    foot = BELOW_MAP * scale / (height - extra - top - bottom)
    slide = {**place, "height": height - extra, "top": top, "bottom": bottom,
             "map_y": (foot, place["map_y"][1]), "controls_y": 0.0}
    if "table_x" in place:
        slide.update(map_x=(0, 0.52), table_x=(0.58, 1), table_y=(0.42, 0.95), title_y=1.0,
                     loss_x=(0.68, 1), loss_y=(foot * 0.45, 0.34))
    return slide


def race_figure(setup: RaceSetup, results: list[RacerResult], *, show_routes: bool = True,
                speed: str = "normal", compact: bool = False, narrow: bool = False,
                guess: tuple[float, float] | None = None,
                projector: tuple[int, float] | None = None) -> dict:
    """The animated race (a Plotly figure dict). ``compact``: the map alone, for a
    figure that shares the page width with another; ``narrow``: laid out for a phone;
    ``guess``: the learner's predicted point, marked on the map; ``projector``: (height
    in pixels, type scale) to fit a presenter's slide."""
    box, steps = setup.landscape.box, setup.steps
    side = not compact
    place = ARRANGEMENTS[arrangement(compact, narrow)]
    scale = 1.0 if projector is None else projector[1]
    frames_at = frame_steps(steps)
    adam = next((r for r in results if r.racer.key == "adam"), None)
    curves = [loss_above_minimum(setup, r) for r in results]
    lo_hi = (min(float(c.min()) for c in curves) / 2, max(float(c.max()) for c in curves) * 2)

    data = _map_traces(setup, results, show_routes, guess)
    if side:
        data += _side_traces(results, curves, adam)
    first_moving = len(data)
    stride = frames_at[1] - frames_at[0] if len(frames_at) > 1 else 1
    styles, moving = _moving_traces(results, curves, adam, box, lo_hi, side, max(10, 3 * stride))
    data += styles
    moving_traces = list(range(first_moving, len(data)))
    frames = [{"name": str(k), "data": moving(k), "traces": moving_traces} for k in frames_at]

    # the legend's rows past the first, which the top margin must hold
    # (on a slide the page's width grows with the type: the legend has the page's room)
    width = LEGEND_WIDTHS[arrangement(compact, narrow)] / (1 if projector is None
                                                            else PRESENTED_SCALE)
    extra = round(LEGEND_ROW * scale) * (legend_rows(data, width) - 1)
    if projector is not None:
        place = projected(place, projector[0], scale, extra)
    layout = {
        # fixed margins (no autoexpand): the legend, buttons and scrubber fit inside them,
        # and plotly.js then draws the figure once per update instead of twice
        "height": place["height"] + extra,
        "margin": {"l": 60, "r": 10, "t": place["top"] + extra, "b": place["bottom"],
                   "autoexpand": False},
        "font": {**FONT, "size": round(FONT["size"] * scale)},
        "paper_bgcolor": "#FFFFFF", "plot_bgcolor": "#FFFFFF",
        "dragmode": False, "clickmode": "event+select", "hovermode": "closest",
        "images": [landscape_image(setup.landscape)],
        "uirevision": setup.surface,
        "legend": {"orientation": "h", "x": 0, "y": 1.01, "yanchor": "bottom",
                   "font": {"size": round(14 * scale)},
                   # on a slide the arrows' entries share a row with the others
                   **({} if projector is None else {"traceorder": "normal"})},
        "xaxis": {"domain": list(place["map_x"]), "range": [box[0], box[1]],
                  "title": {"text": "x"}, "anchor": "y", "showgrid": False, "zeroline": False},
        "yaxis": {"domain": list(place["map_y"]), "range": [box[2], box[3]],
                  "title": {"text": "y"}, "anchor": "x", "showgrid": False, "zeroline": False},
        **animation_controls(frames_at, speed, place["height"] - place["top"] - place["bottom"],
                             place["controls_y"], scale,
                             None if projector is None else
                             (BUTTONS_SHARE["map" if compact else "wide"], place["map_x"][1])),
    }
    if side:
        table_title = "Adam at this step" if adam is not None else "Add Adam to see its numbers"
        layout.update({
            "xaxis2": {"domain": list(place["loss_x"]), "anchor": "y2",
                       "title": {"text": "step"}, "range": [0, steps]},
            "yaxis2": {"domain": list(place["loss_y"]), "anchor": "x2", "type": "log",
                       "exponentformat": "power",
                       "range": [math.log10(lo_hi[0]), math.log10(lo_hi[1])],
                       "title": {"text": "loss above the minimum"}},
            "xaxis3": {"domain": list(place["table_x"]), "anchor": "y3", "visible": False,
                       "range": [0, 4.2], "fixedrange": True},
            "yaxis3": {"domain": list(place["table_y"]), "anchor": "x3", "visible": False,
                       "range": [-0.6, len(TABLE_ROWS) + 0.6], "fixedrange": True},
            "annotations": [{"text": f"<b>{table_title}</b>", "xref": "paper", "yref": "paper",
                             "x": place["table_x"][0], "y": place["title_y"],
                             "showarrow": False, "xanchor": "left",
                             "font": {"size": round(15 * scale)}}],
        })
    if projector is not None:
        layout.update(larger_axes(layout, scale))
        data = [{**t, "textfont": {**t["textfont"], "size": round(t["textfont"]["size"] * scale)}}
                if "textfont" in t else t for t in data]  # Adam's numbers, read from afar
        if side:
            layout["yaxis2"]["title"] = {**layout["yaxis2"]["title"], "text": "loss − min"}
    return {"data": data, "layout": layout, "frames": frames}


def race_figure_3d(setup: RaceSetup, results: list[RacerResult],
                   guess: tuple[float, float] | None = None) -> dict:
    """The landscape in 3D with every racer's route drawn on it (not animated), and the
    learner's guess, if any, on the ground."""
    surface = setup.landscape
    data = [surface_trace(surface)]
    for r in results:
        path = r.run.positions[:(r.diverged_at or setup.steps + 1)]
        z = shade(surface, surface.value(path))
        data.append({"type": "scatter3d", "mode": "lines", "name": r.racer.label,
                     "x": packed(path[:, 0]), "y": packed(path[:, 1]), "z": packed(z),
                     "line": {"color": r.racer.colour, "width": 6}})
    if guess is not None:
        height = shade(surface, surface.value(np.array(guess, dtype=float)))
        if np.isfinite(height):
            data.append({"type": "scatter3d", "mode": "markers", "name": "your guess",
                         "x": [float(guess[0])], "y": [float(guess[1])], "z": [float(height)],
                         "marker": {"symbol": "x", "size": 7, "color": "#000000"}})
    ztitle = "log10(1 + loss − min)" if surface.log_scale else "loss"
    layout = {"height": 660, "margin": {"l": 0, "r": 0, "t": 30, "b": 0}, "font": FONT,
              "legend": {"orientation": "h", "x": 0, "y": 1.02},
              "scene": {"xaxis": {"title": {"text": "x"}}, "yaxis": {"title": {"text": "y"}},
                        "zaxis": {"title": {"text": ztitle}}}}
    return {"data": data, "layout": layout}


GUESS_MAP_HEIGHT = 520


def guess_map(setup: RaceSetup, guess: tuple[float, float] | None = None) -> dict:
    """A still map of the race's landscape before the race: the start, the minima and,
    once given, the learner's guess; a click anywhere on it picks a point (the click grid
    reports it)."""
    box = setup.landscape.box
    data = _still_map_traces(setup, "click to guess here")
    if guess is not None:
        data.append(guess_trace(guess))
    return {"data": data, "layout": {
        "height": GUESS_MAP_HEIGHT, "margin": {"l": 60, "r": 10, "t": 40, "b": 50},
        "font": FONT, "paper_bgcolor": "#FFFFFF", "plot_bgcolor": "#FFFFFF",
        "dragmode": False, "clickmode": "event+select", "hovermode": "closest",
        "images": [landscape_image(setup.landscape)],
        "legend": {"orientation": "h", "x": 0, "y": 1.01, "yanchor": "bottom",
                   "font": {"size": 14}},
        "xaxis": {"range": [box[0], box[1]], "title": {"text": "x"}, "showgrid": False,
                  "zeroline": False},
        "yaxis": {"range": [box[2], box[3]], "title": {"text": "y"}, "showgrid": False,
                  "zeroline": False}}}
