"""Lesson 11, which Adam are you running: the frameworks' steps, the gap, AdamW's lambda,
the code to take away, and the page with every control."""
import numpy as np
import pytest

from explainers import quiz
from explainers import which_adam as wa
from tests import apptest

DEFAULTS = {spec.key: spec.default for spec in wa.SPECS}


def test_optax_is_pytorch_and_keras_shrinks_small_gradients():
    sizes = wa.steps_by_framework(1e-6, 1, "defaults", 0.999, 100)
    np.testing.assert_allclose(sizes["optax"], sizes["pytorch"], rtol=1e-12)
    assert sizes["keras"][0] < 0.3 * sizes["pytorch"][0]
    assert sizes["mlx"][0] > 2 * sizes["pytorch"][0]  # no bias correction: inflated


def test_ordinary_gradients_agree_in_the_corrected_rules():
    ratio = wa.gap_by_size("same", 0.999)
    large = wa.GAP_SIZES >= 1e-2
    np.testing.assert_allclose(ratio[:, large], 1.0, rtol=1e-3)
    small = wa.GAP_SIZES <= 1e-8
    assert (ratio[:3, small] < 0.5).all() and (ratio[3, small] < 0.9).all()  # steps 1-100; 1000
    assert (np.diff(ratio[:, small], axis=0) > 0).all()  # the gap closes as t grows


def test_keras_epsilon_acts_larger_by_one_over_root_bc2():
    for t in (1, 10, 1000):
        assert wa.keras_eps_factor(t).answer == pytest.approx(1 / np.sqrt(1 - 0.999 ** t),
                                                              rel=1e-9)


def test_a_sparse_gradient_is_zero_between_arrivals():
    g = wa.gradients(0.5, 10, 25)
    assert list(np.flatnonzero(g)) == [0, 10, 20]


def test_the_decay_table_translates_through_the_paper():
    table = wa.decay_table({**DEFAULTS, wa.DECAY_FROM.key: "loshchilov_hutter",
                            wa.DECAY_LR.key: 1e-3, wa.DECAY.key: 1e-4}).set_index("library")
    assert table.loc["PyTorch", "the same decay is λ ="] == pytest.approx(0.1)
    assert table["each step removes"].nunique() == 1


def test_the_take_away_programs_carry_the_pages_settings():
    problem, setting = wa.take_away({**DEFAULTS, wa.EVERY.key: 10, wa.BETA2.key: 0.99})
    assert problem.steps == wa.CODE_STEPS and problem.gradients[1] == (0.0,)
    assert setting.beta2 == 0.99


def test_every_question_has_its_truth():
    for question in quiz.load("which_adam").checks:
        assert quiz.truth(question).answer is not None
    truth = quiz.truth(quiz.load("which_adam").predictions["keras_step"], g=1e-6, beta2=0.999)
    assert truth.answer == pytest.approx(0.2427, rel=1e-3)


def test_page_with_defaults():
    at = apptest.open_page("pages/which-adam.py")
    figures = apptest.figures(at)
    assert len(figures) == 2
    for figure in figures:
        apptest.assert_finite(figure)
    assert any("torch.optim.Adam" in c.value for c in at.code)
    assert any("def adam_algorithm_1" in c.value for c in at.code)  # Show the code


@pytest.mark.parametrize("key, value", [
    ("g", 1e-9), ("g", 1.0), ("every", 100), ("eps_mode", "same"), ("beta2", 0.9999),
    ("steps", 10), ("steps", 3000), ("wd_from", "loshchilov_hutter"), ("wd_lr", 1.0),
    ("wd", 1e-6),
])
def test_every_control_at_its_ends(key, value):
    at = apptest.set_control(apptest.open_page("pages/which-adam.py"), key, value)
    for figure in apptest.figures(at):
        apptest.assert_finite(figure)
    assert len(at.dataframe) == 1
