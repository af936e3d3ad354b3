"""AppTest for the playground: type a formula, race on it, share it, type a hostile one."""
import os
import time
from dataclasses import replace

import numpy as np

from explainers.plotly_dict import unpacked
from explainers.race import controls as hc
from explainers.race.racers import RACERS
from explainers.race.setup import WORK_BUDGET, RaceSetup, affordable_steps
from optim import Adam
from optim.expression import size
from optim.runner import run
from optim.surfaces import expression_key, surface, turn, turned_key
from tests import apptest
from tests.apptest import rerun

PAGE = "pages/own-landscape.py"


def adam_route(at):
    trace = next(t for t in apptest.figures(at)[0]["data"]
                 if t.get("name") == "Adam" and t.get("mode") == "lines")
    return np.stack([unpacked(trace["x"]), unpacked(trace["y"])], axis=-1)


def test_type_a_formula_and_race_on_it():
    at = apptest.open_page(PAGE)
    at.text_input(key="f").input("x**2 + 10*y**2")
    rerun(at)
    assert not at.error
    assert at.query_params["f"] == "x**2 + 10*y**2"
    landscape = surface(expression_key("x**2 + 10*y**2", (-2, 2, -1, 3)))
    expected = run(landscape, Adam(0.2), np.array([-1.2, 1.0]), 500).positions
    np.testing.assert_array_equal(adam_route(at), expected)


def test_a_shared_link_reopens_the_same_race():
    query = {"f": "sin(3*x)*cos(3*y) + 0.1*(x**2+y**2)", "xmin": "-3", "xmax": "3",
             "ymin": "-3", "ymax": "3", "x0": "2", "y0": "2", "racers": "sgd,adam,rmsprop"}
    first, second = apptest.open_page(PAGE, query), apptest.open_page(PAGE, query)
    np.testing.assert_array_equal(adam_route(first), adam_route(second))
    assert adam_route(first)[0].tolist() == [2.0, 2.0]
    assert len(first.dataframe[0].value) == 3


def test_hostile_formula_keeps_the_last_good_surface():
    at = apptest.open_page(PAGE)
    good = adam_route(at)
    for hostile in ("__import__('os').system('ls')", "9**9**9", "x.__class__", "foo(x)",
                    "sin(" * 35 + "x" + ")" * 35):
        at.text_input(key="f").input(hostile)
        rerun(at)
        assert at.error and "still shows the last formula that worked" in at.error[0].value
        np.testing.assert_array_equal(adam_route(at), good)


def test_presets_and_a_bad_map():
    at = apptest.open_page(PAGE)
    at.selectbox(key="preset").set_value("himmelblau")
    rerun(at)
    assert at.text_input(key="f").value.startswith("(x**2 + y - 11)**2")
    assert at.number_input(key="xmin").value == -5.0
    at.number_input(key="xmax").set_value(-6.0)
    rerun(at)
    assert "x from \\< x to" in at.error[0].value  # escaped: shown as typed, never as Markdown


def test_undefined_region_is_marked_not_a_crash():
    at = apptest.open_page(PAGE, {"f": "log(x) + y**2", "xmin": "0.01", "xmax": "2",
                                  "ymin": "-1", "ymax": "1", "x0": "0.1", "y0": "0.5",
                                  "alpha_sgd": "1"})
    table = at.dataframe[0].value.set_index("Racer")
    assert table.loc["SGD", "Status"].startswith("diverged at step")
    assert not table.isna().any().any()


def test_a_bad_formula_and_a_new_map_at_once_keep_the_start_on_the_shown_map():
    at = apptest.open_page(PAGE)
    at.text_input(key="f").input("x +")
    at.number_input(key="xmin").set_value(10.0)
    at.number_input(key="xmax").set_value(20.0)
    rerun(at)
    assert "still shows the last formula that worked" in at.error[0].value
    assert -2.0 <= at.number_input(key="x0").value <= 2.0
    assert adam_route(at)[0][0] == at.number_input(key="x0").value


LONG = "*".join(["sin(x)", "cos(y)"] * 14) + "+x*y"  # 199 characters, 87 parts
HEAVY = {"f": LONG, "xmin": "-3", "xmax": "3", "ymin": "-3", "ymax": "3", "x0": "1", "y0": "1",
         "racers": ",".join(RACERS), "steps": "1000", "fog": "2"}


def test_formula_work_is_budgeted_for_the_whole_change():
    key = expression_key(LONG, (-3.0, 3.0, -3.0, 3.0))
    assert surface(key).parts == size(LONG) == 87
    heavy = RaceSetup(surface=key, racers=tuple(RACERS), steps=1000)
    steps = affordable_steps(heavy)
    assert steps % 10 == 0 and len(RACERS) * steps * 87 <= WORK_BUDGET < len(RACERS) * (
        steps + 10) * 87
    assert affordable_steps(replace(heavy, racers=("adam",))) == 1000
    assert affordable_steps(RaceSetup(racers=tuple(RACERS), steps=1000)) == 1000  # built in

    at = apptest.open_page(PAGE, HEAVY)
    assert f"each racer takes {steps:,} steps instead of 1,000" in at.info[0].value
    statuses = at.dataframe[0].value["Reached the valley floor"].tolist()
    assert all(s.startswith("at step") or s == f"not in {steps} steps" for s in statuses)


def test_a_formula_race_runs_in_the_worker_and_says_so_if_it_waited_too_long(monkeypatch):
    from ui import race_ui

    monkeypatch.setattr(race_ui, "WAIT_S", 0.5)
    worker = race_ui._formula_worker()
    busy = worker.submit(time.sleep, 3)  # another learner's formula is racing
    at = apptest.open_page(PAGE, {"f": "x**2 + 3*y**2 + 0.25*x*y"})
    assert "busy with other learners' formulas" in at.warning[0].value
    assert not at.exception
    busy.result()
    at.slider(key="beta1").set_value(0.8)  # the learner tries again: it races
    rerun(at)
    assert not at.warning and len(at.dataframe[0].value) == len(hc.RACER_CHOICE.default)
    assert worker.submit(os.getpid).result() != os.getpid()  # in its own process


def test_the_playground_asks_nothing_and_shows_the_race_at_once():
    at = apptest.open_page(PAGE, predicted=False)
    assert "Predict first" not in " ".join(m.value for m in at.markdown)
    assert [r.key for r in at.radio] == ["view"]  # no question below the result table
    assert apptest.figures(at)[0]["frames"] and len(at.dataframe[0].value) == 2
    assert "your guess" not in {t.get("name") for t in apptest.figures(at)[0]["data"]}


def test_the_angle_slider_turns_a_learners_formula():
    formula, box = "(x - 1)**2 + 10*(y + 0.5)**2 + sin(3*x)", (-2.0, 3.0, -2.0, 1.0)
    at = apptest.open_page(PAGE, {"f": formula, "xmin": "-2", "xmax": "3", "ymin": "-2",
                                  "ymax": "1", "x0": "-1.5", "y0": "0.5"})
    unturned = surface(expression_key(formula, box))
    for angle in (45, 90, 0):
        at = apptest.set_control(at, "angle", angle)
        assert not at.error and (at.session_state["x0"], at.session_state["y0"]) == (-1.5, 0.5)
        turned = surface(turned_key(unturned.key, angle))
        start = turn(np.array([-1.5, 0.5]), angle, unturned.minima[0])
        expected = run(turned, Adam(0.2), start, 500).positions
        np.testing.assert_array_equal(adam_route(at), expected)
        apptest.assert_finite(apptest.figures(at)[0])
        assert not at.dataframe[0].value.isna().any().any()
        assert at.caption[0].value.startswith("Your formula" + (f" turned {angle}°" if angle
                                                                 else ":"))
