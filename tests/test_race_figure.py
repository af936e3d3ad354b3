"""The race figure: frames move only markers, arrows point the right way, numbers match."""
import base64
import json
import struct
import zlib

import numpy as np

from explainers.plotly_dict import unpacked
from explainers.race.figure import (
    ARROW_LENGTH,
    CLICK_GRID,
    adam_numbers,
    arrow_ends,
    frame_steps,
    race_figure,
)
from explainers.race.landscape import PICTURE, landscape_image
from explainers.race.racers import Settings
from explainers.race.setup import RaceSetup, run_race
from optim.surfaces import SURFACES


def test_arrows_point_against_the_vectors_with_a_fixed_screen_length():
    setup = RaceSetup(surface="bowl", racers=("adam",), steps=50)
    (adam,) = run_race(setup)
    ends = arrow_ends(adam, setup.landscape.box)
    span = np.array([20.0, 8.0])
    for name in ("g", "m_hat", "step"):
        screen = (ends[name] - adam.run.positions[:-1]) / span
        np.testing.assert_allclose(np.hypot(*screen.T), ARROW_LENGTH)
        vector = -adam.run.internals[name] / span
        cos = (screen * vector).sum(1) / np.hypot(*screen.T) / np.hypot(*vector.T)
        np.testing.assert_allclose(cos, 1.0)


def test_frames_carry_only_the_moving_traces_and_the_table_matches_the_engine():
    setup = RaceSetup(racers=("sgd", "momentum", "adam", "rmsprop"))
    results = run_race(setup)
    fig = race_figure(setup, results)
    assert len(json.dumps(fig)) < 1_000_000
    assert [f["name"] for f in fig["frames"]] == [str(k) for k in frame_steps(setup.steps)]
    # plotly.js removes a contour's layer from a subplot it animates: the landscape is a
    # layout image, which no frame touches
    assert not any(trace["type"] == "contour" for trace in fig["data"])
    assert len(fig["layout"]["images"]) == 1
    adam = results[2]
    cells = adam_numbers(adam, 7)
    assert float(cells[0]) == float(f"{adam.run.internals['g'][6][0]:.3g}")
    assert float(cells[-1]) == float(f"{adam.run.internals['step'][6][1]:.3g}")


def test_a_diverged_racer_has_no_arrows_and_says_so():
    setup = RaceSetup(surface="rosenbrock", racers=("adam",), steps=60,
                      settings=Settings(alpha_adaptive=1e6))
    (adam,) = run_race(setup)
    assert adam.diverged_at == 1
    assert adam_numbers(adam, 1)[0] == "diverged at step 1"
    fig = race_figure(setup, [adam])
    arrows = [t for t in fig["frames"][-1]["data"] if t.get("x") == [None, None]]
    assert len(arrows) == 3


def _from_top(layout, y):
    """Pixels from the top of the figure to paper height y."""
    m = layout["margin"]
    return m["t"] + (1 - y) * (layout["height"] - m["t"] - m["b"])


def _pixels(layout, axis):
    """An axis's domain in pixels from the top of the figure: (top, bottom)."""
    lo, hi = layout[axis]["domain"]
    return _from_top(layout, hi), _from_top(layout, lo)


def test_every_arrangement_keeps_the_parts_apart():
    setup = RaceSetup(racers=("sgd", "adam"))
    results = run_race(setup)
    for compact in (False, True):
        for narrow in (False, True):
            layout = race_figure(setup, results, compact=compact, narrow=narrow)["layout"]
            map_top, map_bottom = _pixels(layout, "yaxis")
            slider_top = _from_top(layout, layout["sliders"][0]["y"])
            buttons_top = _from_top(layout, layout["updatemenus"][0]["y"])
            assert slider_top >= map_bottom + 40  # the x-axis labels and title fit between
            assert buttons_top >= slider_top + 90  # the scrubber's labels clear the buttons
            assert buttons_top + 32 <= layout["height"]  # and the buttons fit in the figure
            assert layout["sliders"][0]["x"] == 0  # the buttons do not hide its thumb
            if narrow:
                assert layout["xaxis"]["domain"] == [0, 1]
            if not compact:
                table_top, table_bottom = _pixels(layout, "yaxis3")
                loss_top, loss_bottom = _pixels(layout, "yaxis2")
                if narrow:  # stacked: map, controls, numbers, loss chart
                    assert buttons_top + 30 < table_top < table_bottom < loss_top
                else:  # beside the map, above the full-width scrubber
                    assert layout["xaxis3"]["domain"][0] > layout["xaxis"]["domain"][1]
                    assert loss_bottom + 40 <= slider_top


def _picture_pixels(image: dict) -> np.ndarray:
    """Decode the landscape picture (our own PNG: one IDAT chunk, RGB, no filters)."""
    png = base64.b64decode(image["source"].split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    length = struct.unpack(">I", png[33:37])[0]
    rows = np.frombuffer(zlib.decompress(png[41:41 + length]), np.uint8)
    return rows.reshape(height, 1 + 3 * width)[:, 1:].reshape(height, width, 3)


def test_the_landscape_picture_covers_the_map_light_in_the_valley_and_dark_up_high():
    surface = SURFACES["bowl"]
    image = landscape_image(surface)
    x0, x1, y0, y1 = surface.box
    assert (image["x"], image["y"], image["sizex"], image["sizey"]) == (x0, y1, x1 - x0, y1 - y0)
    assert (image["xref"], image["yref"], image["layer"]) == ("x", "y", "below")
    pixels = _picture_pixels(image)
    assert pixels.shape == (PICTURE, PICTURE, 3)
    centre, corner = pixels[PICTURE // 2, PICTURE // 2], pixels[0, 0]  # the minimum, a peak
    assert centre.mean() > 240 > 160 > corner.mean()


def test_the_guess_map_is_a_still_clickable_map_and_the_race_marks_the_guess():
    from explainers.race.figure import guess_map, race_figure_3d

    setup = RaceSetup(racers=("sgd", "adam"))
    still = guess_map(setup, (0.5, 0.5))
    assert "frames" not in still and "sliders" not in still["layout"]
    by_name = {t["name"]: t for t in still["data"]}
    assert by_name["start"]["x"] == [setup.start_point[0]]
    assert (by_name["your guess"]["x"], by_name["your guess"]["y"]) == ([0.5], [0.5])
    assert still["layout"]["clickmode"] == "event+select"  # a click selects a grid point
    assert len(unpacked(by_name["click to guess here"]["x"])) == CLICK_GRID ** 2
    assert "your guess" not in {t["name"] for t in guess_map(setup)["data"]}

    results = run_race(setup)
    plain, marked = race_figure(setup, results), race_figure(setup, results, guess=(0.5, 0.5))
    assert len(marked["data"]) == len(plain["data"]) + 1
    moving = marked["frames"][0]["traces"]
    assert moving == [i + 1 for i in plain["frames"][0]["traces"]]  # frames still move racers
    assert all(marked["data"][i].get("name") != "your guess" for i in moving)
    assert race_figure_3d(setup, results, (0.5, 0.5))["data"][-1]["name"] == "your guess"
