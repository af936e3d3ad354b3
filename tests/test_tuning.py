"""Lesson 7: the batched grids equal single runs, the good region is measured, the page works."""

from dataclasses import replace

import numpy as np
import pytest

from explainers import fair_race, tuning
from explainers.race.racers import RACERS, Settings
from explainers.race.setup import typical_slope
from optim.fog import Fog
from optim.runner import run
from optim.surfaces import SURFACES
from tests import apptest
from tests.apptest import rerun


@pytest.mark.parametrize("grid", tuning.GRIDS, ids=lambda g: g.key)
def test_grid_equals_single_runs_at_sampled_cells(grid):
    start = SURFACES["rosenbrock"].start
    batched = tuning.grid_run(grid, "rosenbrock", start, fog=0.5, seed=3)
    assert batched.positions.shape == (tuning.STEPS + 1, tuning.N, tuning.N, 2)
    for row, col in [(0, 0), (7, 23), (39, 39), (20, 35)]:
        single = tuning.cell_run(grid, "rosenbrock", start, row, col, fog=0.5, seed=3)
        np.testing.assert_array_equal(batched.positions[:, row, col], single.positions)
        assert batched.diverged_at[row, col] == single.diverged_at


def test_good_share_and_figure():
    loss = np.full((tuning.N, tuning.N), 1.0)
    loss[:10, :] = 1e-6
    loss[0, 0] = np.inf
    assert tuning.good_share(loss, 1e-3) == pytest.approx(399 / 1600)
    fig = tuning.heatmap_figure(tuning.GRIDS[0], loss, 1e-3, chosen=(3, 4))
    assert fig["data"][0]["z"][0][0] is None  # diverged: left blank, drawn grey
    assert fig["data"][1]["contours"]["start"] == pytest.approx(-3)


def test_page_reports_areas_and_shows_a_clicked_run():
    at = apptest.open_page("pages/tuning.py")
    shares = [m.value for m in at.metric]
    assert len(shares) == 3 and all(s.endswith("of the grid") for s in shares)
    assert any("Click a cell" in i.value for i in at.info)
    at.session_state["cell"] = ("sgd_momentum", 5, 30)
    rerun(at)
    assert "The run you clicked" in at.metric[-1].label
    assert not any("torch.optim" in c.value for c in at.code)  # SGD: no Adam program
    at.session_state["cell"] = ("adam_beta2", 5, 30)
    rerun(at)
    beta2 = f"{float(tuning.BETA2S[5])!r}"
    assert any(f"betas=(0.9, {beta2})" in c.value for c in at.code)  # the cell's program
    at.selectbox(key="surface").set_value("bowl")
    rerun(at)
    assert at.session_state["x0"] == SURFACES["bowl"].start[0]
    assert len(at.metric) == 3  # the clicked cell belonged to the old landscape
    bad = apptest.open_page("pages/tuning.py", {"good": "lots", "x0": "50"})
    assert "Good" in bad.warning[0].value and "off the map" in bad.warning[0].value


# -- the lesson's questions --------------------------------------------------------------

@pytest.mark.parametrize("surface, threshold, within, answer", [
    ("rosenbrock", 1e-3, 10, "adam"),  # the page's defaults
    ("eggcrate", 1e-3, 10, "sgd"),
    ("saddle", 1e-6, 10, "same"),  # 556 against 573 good cells: within a tenth
    ("saddle", 1e-6, 0, "sgd"),  # ... but not equal
])
def test_wider_region_compares_the_good_cells_of_the_two_maps(surface, threshold, within,
                                                              answer):
    x0, y0 = SURFACES[surface].start
    result = tuning.wider_region(surface, x0, y0, 0.0, 0, threshold, within)
    counts = {g.key: int((tuning.final_loss(tuning.grid_run(g, surface, (x0, y0)), surface)
                          < threshold).sum()) for g in tuning.GRIDS}
    assert (result.adam_cells, result.sgd_cells) == (counts["adam_beta1"],
                                                     counts["sgd_momentum"])
    assert result.answer == answer
    assert result.adam == f"{counts['adam_beta1'] / tuning.N ** 2:.1%}"


def test_the_prediction_follows_the_fog():
    x0, y0 = SURFACES["bowl"].start
    clear = tuning.wider_region("bowl", x0, y0, 0.0, 0, 1e-3)
    foggy = tuning.wider_region("bowl", x0, y0, 1.0, 0, 1e-3)
    assert clear.answer == "adam" and clear.adam_cells > 0
    assert foggy.adam_cells == foggy.sgd_cells == 0 and foggy.answer == "same"


@pytest.mark.parametrize("c, decades", [(0.01, 2.0), (100.0, -2.0)])
def test_scaling_the_loss_slides_sgds_region_and_leaves_adams(c, decades):
    shift = tuning.scale_shift("bowl", c)
    assert shift.sgd_shift == pytest.approx(decades) and shift.adam_shift == 0
    assert shift.answer == ("sgd_right" if c < 1 else "sgd_left")


def test_sgds_edge_on_the_bowl_is_two_over_the_steep_curvature_and_the_map_agrees():
    edge = tuning.sgd_edge("bowl")
    assert (edge.steep, edge.gentle) == pytest.approx((10.0, 0.1))
    assert edge.answer == pytest.approx(0.2)
    assert edge.first_grey == tuning.ALPHAS[tuning.ALPHAS > 0.2].min()


@pytest.mark.parametrize("g", [4.0, 0.01])
def test_adam_travels_alpha_per_step_whatever_the_gradient(g):
    travel = tuning.adam_travel(1e-3, g, 500)
    assert travel.answer == pytest.approx(500 * 1e-3 * g / (g + 1e-8))
    assert travel.sgd == pytest.approx(500 * 1e-3 * g)


def test_a_wider_alpha_axis_adds_only_bad_cells():
    wider = tuning.wider_range("rosenbrock", 2)
    assert wider.answer == "both_shrink" and wider.new_good == 0
    x0, y0 = SURFACES["rosenbrock"].start
    before = tuning.wider_region("rosenbrock", x0, y0, 0.0, 0, 1e-3)
    assert wider.adam_before == before.adam
    assert wider.adam_after == f"{before.adam_cells / (tuning.N * (tuning.N + 13)):.1%}"


def test_a_fresh_learner_predicts_before_the_maps():
    at = apptest.open_page("pages/tuning.py", predicted=False)
    assert not at.metric and not apptest.figures(at)
    assert at.radio(key="predict_tuning_wider_answer").options


def test_momentum_adds_little_at_small_effective_steps_in_any_fog():
    gain = tuning.momentum_gain()
    assert gain.shape == (len(tuning.FOG_LEVELS), len(tuning.EFFECTIVE))
    np.testing.assert_allclose(gain[:, 0], 1.0, atol=0.1)  # the smallest effective step
    assert (np.nan_to_num(gain, nan=0.0)[:, -3:] < 0.8).all()  # large steps: momentum wins
    assert tuning.small_step_gain().answer == "same"
    apptest.assert_finite(tuning.momentum_figure())


# -- a fair race (toward issue 19) --------------------------------------------------------

def _single(key, alpha, surface, start, fog, seed, steps):
    """One racer at one step size on one fog seed, alone."""
    field_name = fair_race._alpha_field(key)
    optimizer = RACERS[key].make(replace(Settings(), **{field_name: alpha}))
    weather = Fog(fog * typical_slope(surface), seed) if fog > 0 else None
    return run(SURFACES[surface], optimizer, np.array(start), steps, fog=weather)


def test_every_racer_gets_the_same_budget_in_one_batched_run_each(monkeypatch):
    calls = []

    def counted(surface, optimizer, start, steps, fog=None):
        calls.append((np.shape(start), steps, fog.seed if fog else None))
        return run(surface, optimizer, start, steps, fog=fog)

    monkeypatch.setattr(fair_race, "run", counted)
    fair_race.tune.cache_clear()
    start = SURFACES["beale"].start
    tuned = fair_race.field("beale", start, 0.4, 5, 100, ("sgd", "rmsprop", "lion"))
    assert [t.key for t in tuned] == ["sgd", "adam", "rmsprop", "lion"]  # the racer list's order
    assert fair_race.BUDGET == len(fair_race.GRID) == 20
    seeds = tuple(range(5, 5 + fair_race.SEEDS))
    assert calls == [((fair_race.BUDGET + 1, fair_race.SEEDS, 2), 100, seeds)] * 4
    assert all(t.scores.shape == (fair_race.BUDGET,) for t in tuned)
    fair_race.tune.cache_clear()  # later tests run the engine itself


@pytest.mark.parametrize("key, column, seed", [("sgd", 3, 0), ("adam", 15, 5), ("rmsprop", 20, 7),
                                               ("momentum", 9, 2)])
def test_the_batched_run_equals_single_runs(key, column, seed):
    start = SURFACES["rosenbrock"].start
    batched = fair_race.batched_run(key, "rosenbrock", start, 0.5, 10, 200)
    alphas = np.append(fair_race.GRID, fair_race.hiker_alpha(key, "rosenbrock"))
    single = _single(key, float(alphas[column]), "rosenbrock", start, 0.5, 10 + seed, 200)
    np.testing.assert_array_equal(batched.positions[:, column, seed], single.positions)
    assert batched.diverged_at[column, seed] == single.diverged_at


@pytest.mark.parametrize("surface, fog, steps", [("rosenbrock", 0.5, 300), ("bowl", 0.0, 500)])
def test_the_best_alpha_is_the_first_argmin_of_the_medians(surface, fog, steps):
    s = SURFACES[surface]
    for key in ("sgd", "momentum", "adam", "rmsprop"):
        result = fair_race.batched_run(key, surface, s.start, fog, 0, steps)
        final = np.where(result.diverged, np.inf,
                         np.maximum(result.losses[-1] - s.min_value, fair_race.FLOOR))
        medians = np.median(final, axis=1)
        tuned = fair_race.tune(key, surface, s.start, fog, 0, steps)
        np.testing.assert_array_equal(tuned.scores, medians[:fair_race.BUDGET])
        assert tuned.hiker_score == medians[-1]
        assert tuned.best == np.flatnonzero(medians[:fair_race.BUDGET] == tuned.score)[0]
        assert tuned.score == medians[:fair_race.BUDGET].min()
    # on the bowl, several step sizes reach the minimum: the tie goes to the smaller
    adam = fair_race.tune("adam", "bowl", SURFACES["bowl"].start, 0.0, 0, 500)
    assert (adam.scores == fair_race.FLOOR).sum() > 1 and adam.scores[adam.best - 1] > adam.score


def test_the_spread_covers_every_seed_and_says_diverged():
    start = SURFACES["rosenbrock"].start
    tuned = fair_race.field("rosenbrock", start, 0.5, 0, 1000, ("momentum",))
    momentum = tuned[0]
    for seed in range(fair_race.SEEDS):
        single = _single("momentum", momentum.alpha, "rosenbrock", start, 0.5, seed, 1000)
        final = (np.inf if single.diverged else
                 max(single.losses[-1] - SURFACES["rosenbrock"].min_value, fair_race.FLOOR))
        assert momentum.finals[seed] == final
    assert np.isinf(momentum.finals).any() and np.isfinite(momentum.finals).any()
    table = fair_race.fair_table(tuned)
    assert table.iloc[0]["spread, 8 seeds"] == f"{momentum.finals.min():.3g} – diverged"
    reached = int((momentum.arrived >= 0).sum())
    assert table.iloc[0]["valley floor by step"].endswith(f"({reached} of 8)")
    clear = fair_race.fair_table(fair_race.field("rosenbrock", start, 0.0, 0, 500, ("sgd",)))
    assert set(clear["spread, 8 seeds"]) == {"none"}  # clear weather: every seed alike
    assert not table.isna().any().any() and "nan" not in table.to_string()


def test_on_the_hikers_race_adams_lead_over_sgd_survives_tuning_and_over_momentum_does_not():
    race = fair_race.hiker_race()
    assert 1 < race.sgd_hiker < race.sgd_tuned  # survives, and grows
    assert race.momentum_hiker > 1 > 100 * race.momentum_tuned  # "far below": over 100 times
    assert race.adam_floor < race.momentum_floor  # "Adam reaches the valley floor first"
    s = SURFACES[fair_race.HIKER_SURFACE]
    tuned = fair_race.field(fair_race.HIKER_SURFACE, s.start, 0.0, 0, fair_race.HIKER_STEPS,
                            ("sgd", "momentum", "rmsprop"))
    assert not any(t.at_edge for t in tuned)  # why the grid reaches 10
    assert (race.adam_hiker_alpha, race.adam_alpha) == (0.2, tuned[2].alpha)


def test_one_sided_tuning_makes_a_lead():
    one = fair_race.one_sided("momentum")
    s = SURFACES[fair_race.HIKER_SURFACE]
    momentum, adam = fair_race.field(fair_race.HIKER_SURFACE, s.start, 0.0, 0, 500,
                                     ("momentum",))
    assert one.answer == pytest.approx(momentum.hiker_score / adam.score)
    assert one.answer > 100 * one.level > 100 and one.fair < 1
    table = fair_race.fair_table((momentum, adam))  # what the check tells the learner to read
    read = float(table.iloc[0]["loss, hiker's α"]) / float(table.iloc[1]["loss, best α"])
    assert read == pytest.approx(one.answer, rel=0.01)


@pytest.mark.parametrize("surface, steps, fog, rivals, answer", [
    ("rosenbrock", 500, 0.0, ("sgd", "momentum", "rmsprop"), "rival"),  # the page's defaults
    ("rosenbrock", 500, 0.0, ("sgd",), "more"),
    ("bowl", 500, 0.3, ("sgd",), "less"),
    ("rosenbrock", 1000, 0.5, ("sgd", "momentum", "rmsprop"), "level"),
])
def test_the_prediction_compares_the_leads(surface, steps, fog, rivals, answer):
    x0, y0 = SURFACES[surface].start
    verdict = fair_race.fair_verdict(surface, x0, y0, fog, 0, steps, rivals)
    assert verdict.answer == answer
    assert tuning.fair_verdict is fair_race.fair_verdict  # the lesson's questions find it


def test_a_lead_survives_divergence():
    assert fair_race.lead(np.inf, 1e-3) == np.inf and fair_race.lead(1e-3, np.inf) == 0
    assert fair_race.lead(np.inf, np.inf) == 1.0 and fair_race.lead(4.0, 2.0) == 2.0
    assert fair_race._lead_words(np.inf, "SGD") == "SGD diverged and Adam did not"
    assert fair_race._lead_words(0.5, "SGD") == "SGD ends 2 times lower than Adam"


def test_the_fair_figures_mark_the_best_and_the_diverged():
    start = SURFACES["rosenbrock"].start
    tuned = fair_race.field("rosenbrock", start, 0.0, 0, 500, ("sgd", "momentum"))
    figure = fair_race.scores_figure(tuned)
    apptest.assert_finite(figure)
    assert figure["layout"]["yaxis"]["ticktext"][-1] == "diverged"
    stars = [d for d in figure["data"] if d.get("marker", {}).get("symbol") == "star"
             and d["x"] != [None]]
    assert [s["x"][0] for s in stars] == [t.alpha for t in tuned]
    apptest.assert_finite(fair_race.race_map(tuned, "rosenbrock"))


def _fair_table(at):
    return next(d.value for d in at.dataframe if "loss, best α" in d.value.columns)


def test_the_fair_race_with_its_controls_at_their_ends():
    at = apptest.open_page("pages/tuning.py")
    assert len(_fair_table(at)) == 4  # Adam and its three default rivals
    every = list(fair_race.RIVALS.options)
    at.multiselect(key="rivals").set_value(every)
    apptest.set_control(at, "race_steps", 1000)
    table = _fair_table(at)
    assert len(table) == len(fair_race.RIVALS.options) + 1 and "nan" not in table.to_string()
    apptest.set_control(at, "race_steps", 100)
    apptest.set_control(at, "fog", 2.0)
    at.multiselect(key="rivals").set_value(["lion"])
    apptest.rerun(at)
    assert list(_fair_table(at)["Racer"]) == ["Adam", RACERS["lion"].label]
    for figure in apptest.figures(at):
        apptest.assert_finite(figure)
    at.multiselect(key="rivals").set_value([])
    apptest.rerun(at)
    assert any("Pick at least one racer" in i.value for i in at.info)
    assert any("What survives of Adam's lead" in m.value for m in at.markdown)
    bad = apptest.open_page("pages/tuning.py", {"rivals": "adam,bogus", "race_steps": "7"})
    problems = " ".join(w.value for w in bad.warning)
    assert "Adam races" in problems and "Steps in every run" in problems
