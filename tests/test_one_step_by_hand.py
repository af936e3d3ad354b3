"""AppTest for lesson 3: the seed's numbers cell by cell, stepping on, bad edits; the
answers of its prediction and checks."""

import numpy as np
import pytest

from explainers import one_step_by_hand as oc
from tests import apptest
from tests.apptest import rerun

PAGE = "pages/one-step-by-hand.py"
COLS = ["θ₁", "θ₂", "θ₃"]


def open_page(query=None):
    return apptest.open_page(PAGE, query)


def row(at, quantity):
    table = at.dataframe[-1].value.set_index("quantity")
    return table.loc[quantity, COLS].to_numpy(dtype=float)


def test_seed_walkthrough_cell_by_cell():
    at = open_page()
    np.testing.assert_allclose(row(at, "g"), [0.1, -0.5, 0.3])
    np.testing.assert_allclose(row(at, "m"), [0.01, -0.05, 0.03], rtol=1e-12)
    np.testing.assert_allclose(row(at, "v"), [1e-5, 2.5e-4, 9e-5], rtol=1e-12)
    np.testing.assert_allclose(row(at, "m̂"), [0.1, -0.5, 0.3], rtol=1e-12)
    np.testing.assert_allclose(row(at, "v̂"), [0.01, 0.25, 0.09], rtol=1e-12)
    np.testing.assert_allclose(row(at, "step"), [0.001, -0.001, 0.001], rtol=1e-6)
    np.testing.assert_allclose(row(at, "θ after"), [-0.001, 0.001, -0.001], rtol=1e-6)
    np.testing.assert_allclose(row(at, "step ÷ α"), [1, -1, 1], rtol=1e-6)
    formulas = at.dataframe[-1].value.set_index("quantity")["formula"]
    assert "subtracted" in formulas["θ after"]
    assert "moved by θ₁ **-0.001" in " ".join(m.value for m in at.markdown)


def test_stepping_to_t2_changes_the_table_steady_beats_noisy():
    at = open_page()
    at.selectbox(key="source_0").set_value("steady")
    at.selectbox(key="source_1").set_value("noisy")
    before = row(at, "θ after")
    for _ in range(10):
        at.button(key="add_step").click()
        rerun(at)
    assert at.slider(key="show_t").value == 11
    assert not np.allclose(row(at, "θ after"), before)
    assert len(at.query_params["g"].split(";")) == 11
    # the steady coordinate keeps steps near alpha; the noisy one is slowed down
    ratio = np.abs(row(at, "step ÷ α"))
    assert ratio[0] > 0.9 and ratio[1] < ratio[0]
    assert at.get("plotly_chart"), "the history chart appears from t = 2"
    at.slider(key="show_t").set_value(1)
    rerun(at)
    np.testing.assert_allclose(row(at, "step"), [0.001, -0.001, 0.001], rtol=1e-6)


@pytest.mark.parametrize("bad, words", [("abc", "Type a number"), (None, "is empty")])
def test_bad_cell_keeps_the_last_good_table(bad, words):
    at = open_page()
    at.session_state["grad_editor_0"] = {"edited_rows": {0: {"θ₂": bad}}, "added_rows": [],
                                         "deleted_rows": []}
    rerun(at)
    assert any(words in e.value for e in at.error)
    np.testing.assert_allclose(row(at, "m"), [0.01, -0.05, 0.03], rtol=1e-12)


def test_typed_gradient_and_hyperparameters():
    at = open_page()
    at.session_state["grad_editor_0"] = {"edited_rows": {0: {"θ₂": 2.0}}, "added_rows": [],
                                         "deleted_rows": []}
    at.select_slider(key="alpha").set_value(0.01)
    rerun(at)
    np.testing.assert_allclose(row(at, "g"), [0.1, 2.0, 0.3])
    np.testing.assert_allclose(row(at, "step"), [0.01, 0.01, 0.01], rtol=1e-6)
    assert at.query_params["g"] == "0.1,2,0.3"


def test_link_with_history_and_garbage():
    at = open_page({"g": "0.1,-0.5,0.3;0.1,0.5,0.3", "beta1": "0.5"})
    assert at.slider(key="show_t").value == 2
    np.testing.assert_allclose(row(at, "g"), [0.1, 0.5, 0.3])
    bad = open_page({"g": "1,2;3", "eps": "zero"})
    assert "Gradients" in bad.warning[0].value and "ε" in bad.warning[0].value
    np.testing.assert_allclose(row(bad, "g"), [0.1, -0.5, 0.3])


def test_reset_goes_back_to_the_paper():
    at = open_page({"g": "1,1,1;2,2,2", "alpha": "0.1"})
    at.button(key="reset").click()
    rerun(at)
    assert at.session_state["alpha"] == 0.001
    np.testing.assert_allclose(row(at, "g"), [0.1, -0.5, 0.3])
    assert "g" not in at.query_params


# -- the lesson's questions (explainers/text/one_step_by_hand.toml) ------------------

DEFAULTS = {"alpha": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


@pytest.mark.parametrize("gradient, eps, answer", [
    ((0.1, -0.5, 0.3), 1e-8, "same"),  # sign descent: every move is alpha
    ((0.1, -0.5, 0.3), 1.0, "theta2"),  # a large epsilon favours the large gradient
    ((0.5, -0.5, 0.1), 0.1, frozenset({"theta1", "theta2"})),  # a tie of two
    ((0.0, -0.5, 0.3), 1e-8, frozenset({"theta2", "theta3"})),  # a zero gradient moves 0
    ((0.0, 0.0, 0.0), 1e-8, "same"),
])
def test_which_parameter_moves_furthest_at_step_1(gradient, eps, answer):
    result = oc.furthest_first_step(gradient, **{**DEFAULTS, "eps": eps})
    assert result.answer == answer
    g = np.abs(gradient)
    expected = g / (g + eps)  # |m_hat| / (sqrt(v_hat) + eps) at t = 1
    assert [float(m) for m in result.moves.split(", ")] == pytest.approx(expected, rel=2e-3)


@pytest.mark.parametrize("beta1, answer", [(0.0, "back"), (0.5, "shorter"), (0.9, "shorter"),
                                           (0.99, "still")])
def test_a_flipped_gradient_steps_back_by_one_minus_beta1_over_one_plus_beta1(beta1, answer):
    result = oc.after_a_flip((0.1, -0.5, 0.3), **{**DEFAULTS, "beta1": beta1})
    assert result.answer == answer
    assert result.m_share == pytest.approx((1 - beta1) / (1 + beta1))
    assert [float(m) for m in result.moves.split(", ")] == pytest.approx(
        [-(1 - beta1) / (1 + beta1)] * 3, rel=2e-3)


def test_the_numeric_checks_against_the_closed_forms():
    m = oc.first_moment(0.9, -0.5)
    assert (m.answer, m.m_hat, m.swapped) == pytest.approx((-0.05, -0.5, -0.45))
    v = oc.second_moment(0.999, 0.3)
    assert (v.answer, v.v_hat, v.unsquared) == pytest.approx((9e-5, 0.09, 3e-4))
    move = oc.first_move(0.01, 0.9, 0.999, 0.3)
    assert move.answer == pytest.approx(-0.01, rel=1e-6)
    assert move.uncorrected == pytest.approx(-0.01 * 0.1 / np.sqrt(0.001), rel=1e-5)
    assert move.no_root == pytest.approx(-0.01 / 0.3)
    rate = oc.effective_rate(0.001, 0.999, 0.1, 0.3)
    v_hat = (0.999 * 0.001 * 0.01 + 0.001 * 0.09) / (1 - 0.999 ** 2)
    assert rate.v_hat == pytest.approx(v_hat)
    assert rate.answer == pytest.approx(0.001 / np.sqrt(v_hat), rel=1e-6)


def test_a_fresh_learner_predicts_before_the_arithmetic_shows():
    at = apptest.open_page(PAGE, predicted=False)
    at.session_state["grad_editor_0"] = {"edited_rows": {0: {"θ₂": 2.0}}, "added_rows": [],
                                         "deleted_rows": []}
    rerun(at)
    assert len(at.dataframe) == 1  # the editor, not the step table
    assert "add_step" not in [b.key for b in at.button]
    prompt = next(m.value for m in at.markdown if "Predict first" in m.value)
    assert "(0.1, 2, 0.3)" in prompt  # the table's first row, as edited
    assert not any("surprise" in m.value for m in at.markdown)
    at.radio(key="predict_one_step_by_hand_furthest_answer").set_value("theta2")
    at.button(key="FormSubmitter:predict_one_step_by_hand_furthest-Lock in my prediction").click()
    rerun(at)
    assert at.warning[0].value.startswith("**Not quite.** You predicted **θ₂**")
    np.testing.assert_allclose(row(at, "step"), [0.001, 0.001, 0.001], rtol=1e-6)
    assert at.subheader[-1].value == "Check yourself"
