"""Packed typed arrays round-trip exactly, and the tests' finiteness check sees into them."""
import numpy as np
import pytest

from explainers.plotly_dict import packed, stacked, unpacked
from tests.apptest import assert_finite


def test_packed_arrays_round_trip_bit_for_bit():
    values = np.random.default_rng(1).normal(size=(3, 4))
    np.testing.assert_array_equal(unpacked(packed(values)), values)
    assert unpacked(packed(values))[2, 3] == values[2, 3]


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_finiteness_check_decodes_packed_arrays(bad):
    assert_finite({"data": [{"x": packed([1.0, 2.0]), "y": [0.5, 1.5], "name": "NaN-free"}]})
    with pytest.raises(AssertionError):
        assert_finite({"data": [{"x": packed([1.0, bad])}]})
    with pytest.raises(AssertionError):
        assert_finite({"data": [{"y": [0.5, bad]}]})


def test_side_by_side_panels_stack_for_a_phone():
    spec = {"data": [], "layout": {
        "height": 400, "margin": {"t": 50, "b": 60}, "legend": {"orientation": "h", "y": -0.3},
        "xaxis": {"domain": [0, 0.45], "anchor": "y"}, "yaxis": {"title": {"text": "loss"}},
        "xaxis2": {"domain": [0.55, 1], "anchor": "y2"}, "yaxis2": {"title": {"text": ""}},
        "annotations": [{"text": "right", "xref": "paper", "yref": "paper", "x": 0.75, "y": 1.07},
                        {"text": "left", "xref": "paper", "yref": "paper", "x": 0.25, "y": 1.07},
                        {"text": "note", "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}]}}
    layout = stacked(spec)["layout"]
    assert layout["xaxis"]["domain"] == layout["xaxis2"]["domain"] == [0, 1]
    assert layout["yaxis2"]["domain"][1] < layout["yaxis"]["domain"][0]  # below, not touching
    assert layout["yaxis2"]["title"]["text"] == "loss"
    left, right, note = layout["annotations"]
    assert (left["text"], right["text"]) == ("left", "right")
    assert left["y"] == layout["yaxis"]["domain"][1] and right["y"] == layout["yaxis2"]["domain"][1]
    assert note["y"] == 0.5
    assert layout["height"] > spec["layout"]["height"]
    assert -0.3 < layout["legend"]["y"] < 0
    assert spec["layout"]["xaxis"]["domain"] == [0, 0.45]  # the original is untouched


def test_figures_that_are_not_a_row_of_panels_stay_as_they_are():
    spec = {"data": [], "layout": {"xaxis": {"domain": [0, 0.6]}, "yaxis": {"domain": [0.1, 1]},
                                   "xaxis2": {"domain": [0.7, 1]}, "yaxis2": {"domain": [0, 0.5]}}}
    assert stacked(spec) is spec
    single = {"data": [], "layout": {"xaxis": {"title": {"text": "x"}}}}
    assert stacked(single) is single
