"""AppTest for lesson 4: the switches change the first-step multiples as the design says."""

import pytest

from tests import apptest
from tests.apptest import rerun

PAGE = "pages/bias-correction.py"


def open_page(query=None):
    return apptest.open_page(PAGE, query)


def multiple(at, beta1="β₁ = 0.9", beta2="β₂ = 0.999"):
    cell = at.dataframe[0].value.loc[beta1, beta2]
    return float(cell.split()[0])


@pytest.mark.parametrize("m, v, expected, beta1_zero", [
    (True, True, 1.0, 1.0), (False, False, 3.162, 31.62), (True, False, 31.62, 31.62),
    (False, True, 0.1, 1.0),
])
def test_switches_give_the_first_step_multiples(m, v, expected, beta1_zero):
    at = open_page()
    at.toggle(key="bc_m").set_value(m)
    at.toggle(key="bc_v").set_value(v)
    rerun(at)
    assert multiple(at) == pytest.approx(expected, rel=1e-3)
    assert multiple(at, beta1="β₁ = 0") == pytest.approx(beta1_zero, rel=1e-3)
    assert at.toggle(key="bc").value == (m and v)
    text = " ".join(md.value for md in at.markdown)
    assert f"first step is **{expected:.4g} α**" in text


def test_master_switch_sets_both_and_the_table_of_all_multiples():
    at = open_page()
    at.toggle(key="bc").set_value(False)
    rerun(at)
    assert not at.toggle(key="bc_m").value and not at.toggle(key="bc_v").value
    table = at.dataframe[0].value.map(lambda c: float(c.split()[0]))
    assert table.loc["β₁ = 0.9"].tolist() == pytest.approx([1.0, 3.162, 10.0], rel=1e-3)
    assert table.loc["β₁ = 0"].tolist() == pytest.approx([10.0, 31.62, 100.0], rel=1e-3)
    assert at.query_params["bc"] == "0"


def test_peak_of_the_uncorrected_step_is_labelled():
    at = open_page()
    charts = apptest.figures(at)
    labels = [a["text"] for c in charts for a in c["layout"].get("annotations", [])]
    assert "peak 6.57 α at t = 12" in labels
    assert any("peaks at 6.57 α at t = 12 and is 1.26 α at t = 1,000" in c.value
               for c in at.caption)


def test_sweep_and_landscapes_render_for_every_pattern_and_surface():
    at = open_page()
    for surface in ("bowl", "beale", "plateau"):
        at.selectbox(key="surface").set_value(surface)
        rerun(at)
        charts = apptest.figures(at)
        assert len(charts) == 5
        apptest.assert_finite(charts)
    assert any("runs diverged" in c.value for c in at.caption)


def test_reset_and_garbage():
    at = open_page({"bc_m": "maybe", "beta2": "2"})
    warning = at.warning[0].value
    assert "Correct m" in warning and "β₂" in warning
    at.slider(key="beta1").set_value(0.0)
    at.toggle(key="bc").set_value(False)
    rerun(at)
    at.button(key="reset").click()
    rerun(at)
    assert at.toggle(key="bc").value and at.slider(key="beta1").value == 0.9
