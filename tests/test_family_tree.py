"""Lesson 10, Adam's family: the state counts, the race, the matrix fits, and the page."""
import numpy as np
import pytest

from explainers import family_tree as ft
from explainers import quiz
from explainers.race.setup import run_race
from optim import Muon
from optim.matrix_optimizers import newton_schulz
from tests import apptest

DEFAULTS = {spec.key: spec.default for spec in ft.SPECS}


def test_state_per_weight_comes_from_each_optimizers_state():
    per_weight = ft.state_per_weight((4096, 4096))
    assert per_weight["adam"] == per_weight["nadam"] == per_weight["radam"] == 2
    assert per_weight["lion"] == per_weight["muon"] == per_weight["momentum"] == 1
    assert per_weight["adafactor"] == pytest.approx(2 / 4096)


def test_the_matrix_fit_uses_each_racers_best_step_size_from_one_batched_training():
    for key in ft.MATRIX_RACERS:
        grid = ft.matrix_grid(key, 2, 100)
        fit = ft.matrix_fit(key, 2, 100)
        finals = np.where(grid.diverged_at[0] < 0, grid.eval_losses[-1, 0], np.inf)
        assert fit.losses[-1] == finals.min()
        assert fit.lr == ft.MATRIX_LRS[int(np.argmin(finals))]


def test_the_gradient_of_the_fit_is_right():
    problem = ft.matrix_problem(2)
    rng = np.random.default_rng(1)
    W = rng.normal(size=(8, 8))
    _, grad = ft.fit_loss_and_grad(W, problem.X, problem.Y)
    for i, j in [(0, 0), (3, 5), (7, 2)]:
        dW = np.zeros_like(W)
        dW[i, j] = 1e-6
        up, _ = ft.fit_loss_and_grad(W + dW, problem.X, problem.Y)
        down, _ = ft.fit_loss_and_grad(W - dW, problem.X, problem.Y)
        assert (up - down) / 2e-6 == pytest.approx(grad[i, j], rel=1e-6)


@pytest.mark.parametrize("rank", ft.RANK.options)
def test_muons_step_evens_out_the_directions_and_sgds_keeps_the_gradients(rank):
    spread = ft.muon_spread(rank, 1)
    assert spread.answer == "most"
    assert spread.muon >= 6 > 3 >= spread.adam
    assert spread.sgd <= 2


def test_newton_schulz_lifts_a_small_singular_value_by_at_most_the_lift():
    lift = ft.newton_schulz_lift()
    assert lift == pytest.approx(3.4445 ** 5)
    matrix = np.diag([1.0, 1e-6])
    small = np.linalg.svd(newton_schulz(matrix), compute_uv=False)[-1]
    assert small / 1e-6 == pytest.approx(lift, rel=1e-3)
    assert Muon().ns_steps == 5


def test_radam_leaves_the_steep_maps_at_its_first_steps_and_finishes_on_the_default():
    for key in ("rosenbrock", "beale", "himmelblau"):
        results = run_race(ft.race_setup({**DEFAULTS, ft.SURFACE.key: key}))
        radam = next(r for r in results if r.racer_key == "radam")
        assert radam.diverged_at is not None and radam.diverged_at <= 5
    results = run_race(ft.race_setup(DEFAULTS))
    assert all(r.diverged_at is None and r.reached_at is not None for r in results)


def test_every_check_has_a_computed_answer():
    truths = {q.id: quiz.truth(q) for q in quiz.load("family_tree").checks}
    assert truths["adafactor"].answer == 1024 + 4096
    assert truths["adamax"].answer == pytest.approx(0.9 * 5, rel=1e-6)
    assert truths["least"].answer == "adafactor"


def test_page_shows_every_figure_without_nan():
    at = apptest.open_page("pages/family-tree.py")
    figures = apptest.figures(at)
    assert len(figures) == 3  # the race, the singular values, the matrix losses
    for figure in figures:
        apptest.assert_finite(figure)
    text = " ".join(m.value for m in at.markdown)
    assert "ends lowest" in text and "| **Lion** |" in text


@pytest.mark.parametrize("key, value", [
    ("surface", "rosenbrock"), ("steps", 50), ("steps", 1000), ("rank", 1), ("rank", 8),
    ("matrix_steps", 50), ("matrix_steps", 1000),
])
def test_every_control_at_its_ends(key, value):
    at = apptest.open_page("pages/family-tree.py")
    apptest.set_control(at, key, value)
    for figure in apptest.figures(at):
        apptest.assert_finite(figure)


def test_the_matrix_waits_for_its_prediction():
    at = apptest.open_page("pages/family-tree.py", predicted=False)
    assert len(apptest.figures(at)) == 1  # the race; the matrix figures wait
