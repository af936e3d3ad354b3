"""Lesson 6: the batched grids equal single runs, the good region is measured, the page works."""

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
    at.selectbox(key="surface").set_value("bowl")
    rerun(at)
    assert at.session_state["x0"] == SURFACES["bowl"].start[0]
    assert len(at.metric) == 3  # the clicked cell belonged to the old landscape
    bad = apptest.open_page("pages/tuning.py", {"good": "lots", "x0": "50"})
    assert "Good" in bad.warning[0].value and "off the map" in bad.warning[0].value
