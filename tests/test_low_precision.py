"""Lesson 12, Adam in low precision: the lab's runs, its survey and questions, and the page."""
import pytest

from explainers import low_precision as lp
from explainers import quiz
from tests import apptest

DEFAULTS = {spec.key: spec.default for spec in lp.SPECS}


def test_float16_with_the_default_eps_breaks_at_step_1_and_a_larger_eps_does_not():
    assert lp.zero_gradient_step("float16", 1e-8).answer == "nan"
    assert lp.zero_gradient_step("float16", 1e-4).answer == "stays"
    assert lp.zero_gradient_step("bfloat16", 1e-8).answer == "stays"
    assert lp.zero_gradient_step("float32", 1e-8).eps_stored == pytest.approx(1e-8, rel=1e-7)


def test_the_survey_sees_lost_updates_and_master_weights_keep_them():
    table = lp.survey(DEFAULTS).set_index("format")
    assert table.loc["bfloat16", "lost updates"] > 0
    assert table.loc["bfloat16 + float32 master", "lost updates"] == 0
    assert table.loc["float16", "broke"].startswith("step 1")
    assert table.loc["float16", "w₃ at the end"] == "—"  # no end: it broke
    w3 = table["w₃ at the end"]
    assert float(w3["float32"]) == pytest.approx(float(w3["float64 (the reference)"]), rel=1e-4)
    assert float(w3["bfloat16"]) == 2.0  # never moved
    assert table.loc["float32", "lost updates"] == 0


def test_float32_loses_no_update_even_where_steps_are_tiny():
    values = {**DEFAULTS, lp.ALPHA.key: 1e-2, lp.STEPS.key: 2000}
    table = lp.survey(values).set_index("format")
    assert table.loc["float32", "lost updates"] == 0
    assert table.loc["bfloat16 + float32 master", "lost updates"] == 0


def test_loss_scaling_keeps_v_from_staying_zero():
    plain = lp.lab_run("float16", False, 1e-4, 1.0, 1e-3, 100).diagnosis
    scaled = lp.lab_run("float16", False, 1e-4, 256.0, 1e-3, 100).diagnosis
    assert plain.squares_underflowed.any() and not scaled.squares_underflowed.any()


def test_every_question_has_its_truth():
    truths = {q.id: quiz.truth(q) for q in quiz.load("low_precision").checks}
    assert truths["smallest"].answer == 2.0 ** -24
    assert truths["lost"].answer == 1.0
    assert truths["remedy"].answer == "master"


def test_page_with_defaults_says_why_without_nan():
    at = apptest.open_page("pages/low-precision.py")
    figures = apptest.figures(at)
    assert len(figures) == 1
    apptest.assert_finite(figures[0])
    text = " ".join(m.value for m in at.markdown)
    assert "0/0 = NaN" in text  # said in words, where it happened
    assert "nan" not in text.split() and "inf" not in text.split()  # no value printed as such


@pytest.mark.parametrize("key, value", [
    ("dtype", "bfloat16"), ("dtype", "float32"), ("master", True), ("eps", 1e-4),
    ("scale", 65536.0), ("alpha", 1e-2), ("steps", 10), ("steps", 2000),
])
def test_every_control_at_its_ends(key, value):
    at = apptest.open_page("pages/low-precision.py")
    if key == "master":
        at.toggle(key="master").set_value(value)
        apptest.rerun(at)
    else:
        apptest.set_control(at, key, value)
    for figure in apptest.figures(at):
        apptest.assert_finite(figure)
    assert "What happened in" in " ".join(m.value for m in at.markdown)
