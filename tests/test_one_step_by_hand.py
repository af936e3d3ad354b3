"""AppTest for lesson 3: the seed's numbers cell by cell, stepping on, bad edits."""

import numpy as np
import pytest

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
