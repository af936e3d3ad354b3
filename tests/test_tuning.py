"""Lesson 7: the batched grids equal single runs, the good region is measured, the page works."""

import numpy as np
import pytest

from explainers import tuning
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
