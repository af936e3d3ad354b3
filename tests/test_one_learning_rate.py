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
