"""Lesson 1: the rare-word experiment, the bowl dilemma, scale invariance; and its page."""
import numpy as np
import pytest

from explainers import one_learning_rate as orate
from explainers import rare_words as rw
from optim import SGD, Adam
from optim.runner import run
from optim.surfaces import SURFACES, scaled
from tests import apptest
from tests.apptest import rerun


@pytest.fixture(scope="module")
def experiment():
    return rw.run_experiment()


def test_rare_words_get_a_large_effective_learning_rate_and_compare_at_each_best(experiment):
    words = rw.two_words(experiment, 0.3, 0.3)
    assert words.rare_rate > 10 * 0.3 > words.the_rate  # SGD gives both 0.3
    assert words.rare_share < 0.05 and words.the_share == 1.0
    rare = rw.rare_words(experiment)
    assert rare.count == rw.VOCABULARY - rw.RARE_RANK
    assert rare.sgd_alpha == rw.best(experiment.sgd_loss, rw.RARE)[0]
    assert rare.adam_alpha == rw.best(experiment.adam_loss, rw.RARE)[0]
    assert rare.sgd_moved > 0 and rare.adam_moved > 0


def test_sgds_best_single_rate_is_a_compromise(experiment):
    best = rw.best_alphas(experiment, 0.01)
    assert best.common_alpha < best.rare_alpha and not best.one_fits_both
    _, adam_rare = rw.best(experiment.adam_loss, rw.RARE)
    assert adam_rare < best.rare_loss


@pytest.mark.parametrize("make", [lambda: Adam(0.1, eps=1e-12)])
def test_adam_path_is_scale_invariant(make):
    base = SURFACES["bowl"]
    small = run(scaled(base, 1e-3), make(), base.start, 150).positions
    large = run(scaled(base, 1e3), make(), base.start, 150).positions
    np.testing.assert_allclose(small, large, atol=1e-6, rtol=0)


def test_sgd_path_is_not():
    base = SURFACES["bowl"]
    small = run(scaled(base, 1e-3), SGD(0.05), base.start, 150)
    large = run(scaled(base, 1e3), SGD(0.05), base.start, 150)
    assert large.diverged or not np.allclose(small.positions, large.positions, atol=1e-3)


def test_scaled_rejects_nonsense():
    with pytest.raises(ValueError, match="positive"):
        scaled(SURFACES["bowl"], -1.0)


def test_bowl_dilemma_numbers():
    from explainers.race.setup import run_race
    slow = orate.bowl_table(run_race(orate.bowl_setup(0.01))).set_index("racer")
    wild = orate.bowl_table(run_race(orate.bowl_setup(0.21))).set_index("racer")
    assert slow.loc["SGD", "distance left along x (flat)"] > 5
    assert slow.loc["Adam", "distance left along x (flat)"] < 1
    assert wild.loc["SGD", "status"].startswith("diverged")


def test_page_renders_and_follows_its_sliders():
    at = apptest.open_page("pages/one-learning-rate.py")
    assert len(at.get("plotly_chart")) == 3
    at.select_slider(key="words_sgd").set_value(10.0)
    at.select_slider(key="bowl_sgd").set_value(0.25)
    at.select_slider(key="c").set_value(0.001)
    rerun(at)
    text = " ".join(" ".join(m.value.split()) for m in at.markdown)
    assert "SGD's best $\\alpha$ for common-word sentences is **0.3**" in text
    assert "No single α is best for both" in text and "{{" not in text
    assert "the rare weight moved" in text and "rarest words' weights moved" in text
    assert "diverged at step" in at.dataframe[1].value["status"].iloc[0]
    assert at.query_params["c"] == "0.001"
    garbage = apptest.open_page("pages/one-learning-rate.py", {"c": "-5", "words_adam": "x"})
    assert "Multiply the loss" in garbage.warning[0].value


# -- the lesson's questions ----------------------------------------------------------

@pytest.mark.parametrize("sgd_alpha", rw.SGD_ALPHAS)
def test_farther_from_zero_is_read_from_the_word_table(experiment, sgd_alpha):
    result = orate.farther_from_zero(sgd_alpha, 0.01)
    table = rw.word_table(experiment, sgd_alpha, 0.01).set_index("word")
    the, rare = table.loc["the", "SGD moved it by"], table.loc["xylophone", "SGD moved it by"]
    assert (result.the_moved, result.rare_moved) == (the, rare)
    farther = "the" if the > rare else "xylophone"
    if max(the, rare) <= orate.SAME_WITHIN * min(the, rare):
        assert result.answer == frozenset({"same", farther})
    else:
        assert result.answer == farther
    # what the explanation says: the frequent weight went far back and forth; the rare one
    # went all one way, towards its hidden weight, and fell short of it
    assert result.the_travelled > 100 * result.the_moved
    assert result.rare_travelled == pytest.approx(result.rare_moved)
    assert np.sign(experiment.sgd.params[0, rw.SGD_ALPHAS.index(sgd_alpha), rw.RARE_WORD]) == \
        np.sign(result.rare_true)
    assert result.rare_moved < abs(result.rare_true)


def test_the_answer_changes_with_sgds_learning_rate():
    answers = {a: orate.farther_from_zero(a, 0.01).answer for a in rw.SGD_ALPHAS}
    assert answers[1.0] == "xylophone" and answers[10.0] == "the"


def test_whose_path_changes_follows_c():
    assert orate.whose_path_changes(1000, 1e-8).answer == "sgd"
    assert orate.whose_path_changes(0.001, 1e-8).answer == "sgd"
    assert orate.whose_path_changes(1, 1e-8).answer == "neither"
    assert orate.whose_path_changes(1000, 1e-8).sgd == "diverges at step 1"


def test_sgds_limit_is_two_over_the_steepest_curvature_and_the_engine_agrees():
    limit = orate.sgd_limit(2.0, 0.5)
    assert (limit.answer, limit.flat_limit, limit.one_step, limit.coefficient_slip) == \
        pytest.approx((0.5, 2.0, 0.25, 1.0))
    from optim.surfaces import expression_key, surface
    bowl = surface(expression_key("2.0*x**2 + 0.5*y**2", (-2.0, 2.0, -2.0, 2.0)))
    assert not run(bowl, SGD(0.99 * limit.answer), np.array([1.0, 1.0]), 2000).diverged
    assert run(bowl, SGD(1.01 * limit.answer), np.array([1.0, 1.0]), 2000).diverged


def test_adams_first_step_is_alpha_in_each_direction():
    ratio = orate.first_step_ratio(0.1, 10.0)
    assert ratio.answer == pytest.approx(1.0, rel=1e-6) and ratio.sgd_ratio == pytest.approx(100)


def test_a_rare_gradient_gets_about_the_square_root_of_its_rarity():
    rare = orate.rare_rate_ratio(100, 1000, 0.999)
    assert rare.answer == pytest.approx(np.sqrt(rare.steady_v_hat / rare.rare_v_hat), rel=1e-6)
    assert 9 < rare.answer < 11 and rare.rare_v_hat == pytest.approx(0.0105, rel=0.01)


def test_only_dividing_sgds_alpha_keeps_both_paths():
    assert orate.keep_the_path(100.0).answer == "sgd_divides"
    assert orate.keep_the_path(100.0).multiplied_sgd.startswith("diverged")


def test_a_fresh_learner_predicts_before_the_word_table():
    at = apptest.open_page("pages/one-learning-rate.py", predicted=False)
    text = " ".join(m.value for m in at.markdown)
    assert "Two words" in text and "Predict first" in text
    assert not at.dataframe and "the rare weight moved" not in text  # the reveal waits
    at.radio(key="predict_one_learning_rate_farther_answer").set_value("xylophone")
    at.button(key="FormSubmitter:predict_one_learning_rate_farther-Lock in my prediction").click()
    rerun(at)
    assert at.success[0].value.startswith("**Right.** You predicted **“xylophone”")
    assert len(at.dataframe) == 2 and "the rare weight moved" in " ".join(
        m.value for m in at.markdown)
    assert len(at.get("plotly_chart")) == 2  # the loss and the bowl; the scaling waits
    at.radio(key="predict_one_learning_rate_whose_path_answer").set_value("both")
    at.button(key="FormSubmitter:predict_one_learning_rate_whose_path-Lock in my prediction"
              ).click()
    rerun(at)
    assert at.warning[0].value.startswith("**Not quite.** You predicted **Both change")
    assert len(at.get("plotly_chart")) == 3
