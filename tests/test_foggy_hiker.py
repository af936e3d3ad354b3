"""AppTest: every control of the foggy hiker page, and the figure equals the engine's run."""

from dataclasses import replace

import numpy as np
import pytest

from explainers import foggy_hiker as fh
from explainers.plotly_dict import unpacked
from explainers.race import controls as hc
from explainers.race import turning
from explainers.race.racers import RACERS
from explainers.race.setup import run_race
from optim.runner import run
from optim.surfaces import SURFACES, rotated
from tests import apptest
from tests.apptest import rerun

PAGE = "pages/foggy-hiker.py"


def open_page(query=None, screen=None):
    return apptest.open_page(PAGE, query, screen)


def figure(at):
    return apptest.figures(at)[0]


def route(fig, label):
    trace = next(t for t in fig["data"] if t.get("name") == label and t.get("mode") == "lines"
                 and t.get("xaxis", "x") == "x")
    return np.stack([unpacked(trace["x"]), unpacked(trace["y"])], axis=-1)


def engine_route(at, key):
    values = {spec.key: at.session_state[spec.key] for spec in hc.SPECS}
    setup = hc.setup_from(values)
    from explainers.race.setup import typical_slope
    from optim.fog import Fog
    fog = Fog(setup.fog * typical_slope(setup.surface), setup.seed) if setup.fog else None
    result = run(setup.landscape, RACERS[key].make(setup.settings),
                 np.array(setup.start_point), setup.steps, fog=fog)
    k = int(result.diverged_at)
    return result.positions[:k] if k >= 0 else result.positions


@pytest.fixture(scope="module")
def page():
    return open_page()


def test_default_race_is_the_engines_run(page):
    fig = figure(page)
    for key in ("sgd", "adam"):
        np.testing.assert_array_equal(route(fig, RACERS[key].label), engine_route(page, key))
    assert len(fig["frames"]) <= 121
    assert len(page.get("plotly_chart")[0].proto.spec) < 1_000_000
    table = page.dataframe[0].value
    assert list(table["Racer"]) == ["SGD", "Adam"]
    assert not table.isna().any().any()


@pytest.mark.parametrize("surface", sorted(SURFACES))
def test_every_surface_races(surface):
    at = open_page()
    at.selectbox(key="surface").set_value(surface)
    rerun(at)
    assert at.session_state["alpha"] == hc.defaults_for(surface)["alpha"]
    assert (at.session_state["x0"], at.session_state["y0"]) == SURFACES[surface].start
    fig = figure(at)
    np.testing.assert_array_equal(route(fig, "Adam"), engine_route(at, "adam"))
    assert at.query_params.get("surface") in (surface, None)


def test_every_racer_at_once_for_the_most_steps_stays_near_100_kb_a_racer():
    at = open_page()
    at.multiselect(key="racers").set_value(list(RACERS))
    at.slider(key="steps").set_value(hc.STEPS.high)
    rerun(at)
    fig = figure(at)
    for key, racer in RACERS.items():
        np.testing.assert_array_equal(route(fig, racer.label), engine_route(at, key))
    assert len(at.dataframe[0].value) == len(RACERS)
    # the routes, the animation's moving traces and the numbers grow with the racers:
    # 1.13 MB for all 11 at 1,000 steps
    assert len(at.get("plotly_chart")[0].proto.spec) < 110_000 * len(RACERS)


def test_no_racer_asks_for_one():
    at = open_page()
    at.multiselect(key="racers").set_value([])
    rerun(at)
    assert any("Pick at least one racer" in i.value for i in at.info)
    assert not at.get("plotly_chart")


@pytest.mark.parametrize("key, kind, ends", [
    ("alpha_sgd", "select_slider", hc.ALPHAS[::len(hc.ALPHAS) - 1]),
    ("alpha", "select_slider", hc.ALPHAS[::len(hc.ALPHAS) - 1]),
    ("beta1", "slider", (0.0, 0.99)),
    ("beta2", "select_slider", (hc.BETA2S[0], hc.BETA2S[-1])),
    ("eps", "select_slider", (hc.EPSILONS[0], hc.EPSILONS[-1])),
    ("steps", "slider", (10, 1000)),
    ("fog", "slider", (0.0, 2.0)),
])
def test_slider_ends_never_break_the_page(key, kind, ends):
    at = open_page()
    at.multiselect(key="racers").set_value(list(RACERS))
    for value in ends:
        getattr(at, kind)(key=key).set_value(value)
        rerun(at)
        fig = figure(at)
        np.testing.assert_array_equal(route(fig, "Adam"), engine_route(at, "adam"))
        apptest.assert_finite(fig)
        assert not at.dataframe[0].value.isna().any().any()


def test_huge_sgd_step_diverges_alone():
    at = open_page()
    at.select_slider(key="alpha_sgd").set_value(1.0)
    rerun(at)
    table = at.dataframe[0].value.set_index("Racer")
    assert table.loc["SGD", "Status"].startswith("diverged at step")
    assert table.loc["Adam", "Status"] == "finished"
    fig = figure(at)
    assert any("diverged at step" in (t.get("text") or [""])[0] for t in fig["data"]
               if isinstance(t.get("text"), list) and t.get("mode") == "markers+text")


def test_fog_changes_the_path_and_the_seed_reproduces_it():
    at = open_page()
    clear = route(figure(at), "Adam")
    at.slider(key="fog").set_value(1.0)
    rerun(at)
    foggy = route(figure(at), "Adam")
    assert not np.array_equal(clear, foggy)
    np.testing.assert_array_equal(foggy, engine_route(at, "adam"))
    at.number_input(key="seed").set_value(7)
    rerun(at)
    other = route(figure(at), "Adam")
    assert not np.array_equal(foggy, other)
    at.number_input(key="seed").set_value(0)
    rerun(at)
    np.testing.assert_array_equal(route(figure(at), "Adam"), foggy)


def test_typed_start_point():
    at = open_page()
    at.number_input(key="x0").set_value(0.5)
    at.number_input(key="y0").set_value(-0.5)
    rerun(at)
    assert route(figure(at), "Adam")[0].tolist() == [0.5, -0.5]


def test_url_round_trip():
    at = open_page()
    at.selectbox(key="surface").set_value("bowl")
    rerun(at)
    at.slider(key="beta1").set_value(0.5)
    at.select_slider(key="eps").set_value(1e-4)
    at.slider(key="fog").set_value(0.3)
    at.multiselect(key="racers").set_value(["adam", "rmsprop"])
    rerun(at)
    link = dict(at.query_params)
    assert link["surface"] == ["bowl"] or link["surface"] == "bowl"
    flat = {k: (v[0] if isinstance(v, list) else v) for k, v in link.items()}
    again = open_page(flat)
    for key in ("surface", "beta1", "eps", "fog", "racers", "x0", "y0", "alpha"):
        assert again.session_state[key] == at.session_state[key], key
    np.testing.assert_array_equal(route(figure(again), "Adam"), route(figure(at), "Adam"))


def test_garbage_link_falls_back_with_a_notice():
    at = open_page({"beta1": "banana", "eps": "7", "steps": "-4", "racers": "sgd,__import__",
                    "surface": "mordor", "fog": "inf"})
    warning = at.warning[0].value
    for word in ("β₁", "ε", "Steps", "Racers", "Landscape", "Fog"):
        assert word in warning
    assert at.session_state["beta1"] == 0.9 and at.session_state["steps"] == 500
    assert at.session_state["racers"] == ["sgd", "adam"]
    assert figure(at)["data"]


def test_start_off_the_map_in_the_link():
    at = open_page({"x0": "500", "y0": "2"})
    assert "off the map" in at.warning[0].value
    assert (at.session_state["x0"], at.session_state["y0"]) == SURFACES["rosenbrock"].start


def test_reset_to_the_papers_defaults():
    at = open_page()
    at.slider(key="beta1").set_value(0.3)
    at.select_slider(key="beta2").set_value(0.9)
    at.select_slider(key="alpha").set_value(0.01)
    rerun(at)
    at.button(key="reset").click()
    rerun(at)
    assert at.session_state["beta1"] == 0.9 and at.session_state["beta2"] == 0.999
    assert at.session_state["eps"] == 1e-8
    assert at.session_state["alpha"] == hc.defaults_for("rosenbrock")["alpha"]
    assert not {"beta1", "beta2", "alpha"} & set(at.query_params)


def test_3d_view_speed_and_routes_toggle():
    at = open_page()
    at.radio(key="view").set_value("3d")
    rerun(at)
    fig = figure(at)
    assert fig["data"][0]["type"] == "surface"
    assert {t["name"] for t in fig["data"][1:]} == {"SGD", "Adam", "your guess"}
    at.radio(key="view").set_value("map-only")
    rerun(at)
    compact = figure(at)
    assert "xaxis2" not in compact["layout"] and compact["layout"]["xaxis"]["domain"] == [0, 1.0]
    np.testing.assert_array_equal(route(compact, "Adam"), engine_route(at, "adam"))
    at.radio(key="view").set_value("map")
    at.select_slider(key="speed").set_value("slow")
    at.toggle(key="routes").set_value(False)
    rerun(at)
    fig = figure(at)
    play = fig["layout"]["updatemenus"][0]["buttons"][0]["args"][1]
    assert play["frame"]["duration"] == 160
    assert next(t for t in fig["data"] if t.get("name") == "Adam")["opacity"] == 0.0


GUESS = "predict_foggy_hiker_where_answer"


def _lock_in(at, x, y):
    at.number_input(key=f"{GUESS}_x").set_value(x)
    at.number_input(key=f"{GUESS}_y").set_value(y)
    at.button(key="FormSubmitter:predict_foggy_hiker_where-Lock in my prediction").click()
    return rerun(at)


def test_the_learner_predicts_where_adam_ends_before_the_race_is_shown():
    at = apptest.open_page(PAGE, predicted=False)
    (still,) = apptest.figures(at)  # the still map to click on; no race, no result table
    assert not still.get("frames") and not at.dataframe
    names = {t.get("name") for t in still["data"]}
    assert {"start", "minimum", "click to guess here"} <= names and "Adam" not in names
    assert "Where is **Adam** after 500 steps?" in " ".join(m.value for m in at.markdown)
    assert [r.key for r in at.radio] == ["view"]  # the old winner question is gone

    truth = fh.where_it_ends(**fh.where_settings(hc.setup_from(
        {spec.key: at.session_state[spec.key] for spec in hc.SPECS})))
    at = _lock_in(at, 1.0, 1.0)  # the minimum: Adam ends 0.06 from it, within the tolerance
    verdict = at.success[0].value
    assert verdict.startswith("**Right.** You predicted **(1, 1)**; the engine says "
                              f"**({truth.answer[0]:.3g}, {truth.answer[1]:.3g})**")
    assert "Adam reached the valley floor" in verdict and "Beside it, SGD ended" in verdict
    race = figure(at)
    guess = next(t for t in race["data"] if t.get("name") == "your guess")
    assert (guess["x"], guess["y"]) == ([1.0], [1.0])
    assert list(at.dataframe[0].value["Racer"]) == ["SGD", "Adam"]

    at.button(key="predict_foggy_hiker_where_again").click()
    at = _lock_in(rerun(at), -1.2, 1.0)  # where SGD ends up, more or less: wrong for Adam
    assert at.warning[0].value.startswith("**Not quite.** You predicted **(-1.2, 1)**")


def test_without_adam_the_prediction_asks_about_the_first_racer():
    at = apptest.open_page(PAGE, {"racers": "adagrad,rmsprop"}, predicted=False)
    assert "Where is **RMSProp (decay 0.99)** after 500 steps?" in " ".join(
        m.value for m in at.markdown)
    at = _lock_in(at, 0.0, 0.0)
    assert "RMSProp (decay 0.99) " in at.warning[0].value


def test_with_no_racer_nothing_is_asked():
    at = apptest.open_page(PAGE, predicted=False)
    at.multiselect(key="racers").set_value([])
    rerun(at)
    assert any("Pick at least one racer" in i.value for i in at.info)
    assert not at.get("plotly_chart") and "Predict first" not in " ".join(
        m.value for m in at.markdown)


def test_the_truth_is_adams_end_and_a_diverged_run_says_so():
    setup = hc.setup_from(hc.defaults_for("rosenbrock"))
    truth = fh.where_it_ends(**fh.where_settings(setup))
    adam = next(r for r in run_race(setup) if r.racer_key == "adam")
    assert truth.answer == tuple(adam.run.positions[-1])
    assert truth.tolerance == pytest.approx(fh.PREDICT_RADIUS * np.hypot(4, 4))
    assert fh.where_it_ends(**fh.where_settings(replace(setup, steps=100))).answer != truth.answer
    wild = replace(setup, settings=replace(setup.settings, alpha_adaptive=1e6))
    diverged = fh.where_it_ends(**fh.where_settings(wild))
    assert diverged.fate.startswith("diverged at step 1")
    bowl = fh.where_it_ends(**fh.where_settings(hc.setup_from(hc.defaults_for("bowl"))))
    assert bowl.tolerance == pytest.approx(fh.PREDICT_RADIUS * np.hypot(20, 8))


def test_checks_against_the_closed_forms():
    assert fh.steady_step(0.001, 50).answer == pytest.approx(0.001 / (0.001 + 1e-8))
    flip = fh.flip_flop_step(4.0, 100, 0.9, 0.999)
    assert flip.answer == pytest.approx(0.1 / 1.9, rel=1e-3)  # (1 - b1) / (1 + b1)
    assert flip.root_v_hat == pytest.approx(4.0)
    rms = fh.root_v_hat(1.0, 3.0, 2000, 0.999)
    assert rms.answer == pytest.approx(np.sqrt(5), rel=2e-3) and (rms.mean, rms.spread) == (2, 1)
    fog = fh.fog_effect(2.0, 1000, 0)
    assert fog.answer == "shorter" and fog.clear == pytest.approx(1.0)
    assert fog.root_v_hat == pytest.approx(fog.rms, rel=0.1)
    assert fh.fog_effect(0.0, 1000, 0).answer == "same"


def test_reduced_motion_keeps_the_race_still_until_a_speed_is_chosen():
    at = open_page(screen={"reduced_motion": True})
    assert figure(at)["layout"]["updatemenus"][0]["buttons"] == []
    assert "reduced motion" in at.caption[0].value
    at.select_slider(key="speed").set_value("fast")
    rerun(at)
    play = figure(at)["layout"]["updatemenus"][0]["buttons"][0]
    assert play["args"][1]["frame"]["duration"] == 20
    assert "reduced motion" not in at.caption[0].value


def test_a_phone_gets_the_stacked_race():
    wide = figure(open_page())["layout"]
    phone = figure(open_page(screen={"narrow": True}))["layout"]
    assert wide["xaxis"]["domain"] == [0, 0.6] and phone["xaxis"]["domain"] == [0, 1]
    assert phone["yaxis3"]["domain"][1] < phone["yaxis"]["domain"][0]


# -- turning the landscape ---------------------------------------------------------------

def _setup(surface, angle=0, **changes):
    return replace(hc.setup_from({**hc.defaults_for(surface), "angle": angle}), **changes)


def test_the_sweep_at_the_races_own_angle_is_the_race_and_sgd_is_flat():
    setup = _setup("bowl", 30, fog=0.5)
    sweep = turning.sweep(setup)
    assert sweep.angles == turning.ANGLES and sweep.racers == ("sgd", "adam")
    k = sweep.angles.index(30)
    for result in run_race(setup):  # the race on the page: the same numbers, bit for bit
        assert sweep.final[result.racer_key][k] == result.run.losses[-1]
    clear = turning.sweep(_setup("bowl", 30))
    np.testing.assert_allclose(clear.above("sgd"), clear.above("sgd")[0], rtol=1e-9)
    assert clear.at("adam", 45) > 1e6 * clear.at("adam", 0)  # along the axes it arrives
    assert clear.at("adam", 90) == pytest.approx(clear.at("adam", 0), rel=1e-6)
    assert not np.allclose(sweep.above("sgd"), sweep.above("sgd")[0])  # fog does not turn
    assert "does not turn" in turning.sgd_across(sweep)


def test_the_sweep_takes_the_races_other_racers_and_marks_divergence():
    setup = _setup("rosenbrock", racers=("adam", "rmsprop"))
    setup = replace(setup, settings=replace(setup.settings, alpha_sgd=1.0))
    sweep = turning.sweep(setup)
    assert sweep.racers == ("sgd", "adam", "rmsprop")
    assert (sweep.diverged_at["sgd"] >= 0).all() and np.isinf(sweep.above("sgd")).all()
    fig = turning.sweep_figure(sweep)
    apptest.assert_finite(fig)
    crosses = [t for t in fig["data"] if t.get("marker", {}).get("symbol") == "x"]
    assert len(crosses) == 1 and len(crosses[0]["y"]) == len(turning.ANGLES)
    table = turning.sweep_table(sweep)
    assert table["SGD"].str.startswith("diverged at step").all()
    assert list(table.columns) == ["Turned by", "SGD", "Adam", "RMSProp (decay 0.99)"]
    assert turning.lead_note(sweep).kept == "Unturned, SGD diverges and Adam does not."


def test_how_much_of_adams_lead_on_the_default_race_survives_turning():
    sweep = turning.sweep(_setup("rosenbrock"))
    lead = turning.lead(sweep)
    sgd, adam = (r.run.losses[-1] - 0.0 for r in run_race(_setup("rosenbrock")))
    assert lead[0] == pytest.approx(np.log10(sgd / adam))  # the minimum is 0
    assert 3.4 < lead[0] < 3.6  # about 3,000 times lower than SGD's
    assert 2.8 < lead[turning.ANGLES.index(45)] < 3.0  # about 880 times
    assert turning.ANGLES[int(np.argmin(lead))] == 65 and 2.4 < lead.min() < 2.6
    note = turning.lead_note(sweep)
    assert note.at_0 == "3,000 times lower than SGD's" and "65°" in note.worst
    assert note.kept == "Adam leads at every angle, by less than unturned at some."
    assert "302 times lower than SGD's" in note.worst  # the lead's two ratios, not a share
    bowl = turning.lead(turning.sweep(_setup("bowl")))
    assert bowl[0] > 4 and bowl[turning.ANGLES.index(45)] < -3  # Adam's lead is the axes'


@pytest.mark.parametrize("surface, answer", [("rosenbrock", "loses"), ("bowl", "loses"),
                                             ("tilted", "gains"), ("saddle", "same")])
def test_the_turning_prediction(surface, answer):
    truth = fh.turn_effect(**fh.turn_settings(_setup(surface, 60)))
    assert truth.answer == answer and truth.half == turning.HALF


def test_a_quarter_turn_changes_nothing_for_adam():
    quarter = fh.quarter_turn("rosenbrock", 0.2, 500)
    assert quarter.answer == "same" and quarter.before == pytest.approx(7.614e-4, rel=1e-3)
    assert quarter.after == pytest.approx(quarter.before, rel=1e-9)


def _chart(at):
    return apptest.figures(at)[-1]


@pytest.mark.parametrize("surface", sorted(SURFACES))
def test_the_angle_slider_turns_every_landscape(surface):
    at = open_page()
    at.selectbox(key="surface").set_value(surface)
    rerun(at)
    unturned = SURFACES[surface]
    for angle in (45, 90, 0):  # the start stays on the landscape's own map, and turns with it
        at = apptest.set_control(at, "angle", angle)
        assert (at.session_state["x0"], at.session_state["y0"]) == unturned.start
        fig = figure(at)
        assert route(fig, "Adam")[0].tolist() == list(rotated(unturned, angle).start)
        apptest.assert_finite(fig)
        np.testing.assert_array_equal(route(fig, "Adam"), engine_route(at, "adam"))
        assert not at.dataframe[0].value.isna().any().any()
        chart = _chart(at)
        apptest.assert_finite(chart)
        assert chart["layout"]["shapes"][0]["x0"] == angle
        assert at.query_params.get("angle") == (str(angle) if angle else None)


def test_the_chart_at_the_races_angle_is_the_result_table():
    at = open_page({"surface": "bowl", "angle": "45", "x0": "-9", "y0": "3"})
    table = at.dataframe[0].value.set_index("Racer")
    chart = _chart(at)
    for label in ("SGD", "Adam"):
        line = next(t for t in chart["data"] if t.get("name") == label)
        x, y = unpacked(line["x"]), unpacked(line["y"])
        assert y[list(x).index(45)] == pytest.approx(table.loc[label, "Final loss"], rel=1e-12)
    ring = next(t for t in chart["data"] if t["name"] == "this race (45°)")
    assert ring["x"] == [45, 45]
    assert "Elongated bowl turned 45°" in at.caption[0].value
    note = next(c.value for c in at.caption if c.value.startswith("On **Elongated bowl**"))
    assert "45° is the angle worst for Adam" in note and "{{" not in note


def test_a_link_to_an_angle_between_the_stops_says_so():
    at = open_page({"angle": "33"})
    assert "Turn the landscape" in at.warning[0].value
    assert at.session_state["angle"] == 0


def test_the_turning_prediction_comes_before_its_chart():
    at = apptest.open_page_before(PAGE, "foggy_hiker/turn")
    assert len(apptest.figures(at)) == 1  # the race, and not yet the chart of angles
    assert at.radio(key="predict_foggy_hiker_turn_answer").options


def test_where_adam_reaches_the_minimum_turned_or_not_the_turn_changes_nothing():
    """The round plateau has no steep or gentle direction: Adam reaches the minimum at 0°
    and at 45°, and ratios below AT_MINIMUM would only measure rounding."""
    setup = _setup("plateau")
    effect = fh.turn_effect(setup, "the plateau", setup.steps, 45)
    assert effect.answer == "same"
    assert effect.at_0 == effect.at_half == "at the minimum (within 1e-8), against SGD's 0.00413"
