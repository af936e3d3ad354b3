"""Packed typed arrays round-trip exactly, and the tests' finiteness check sees into them."""
import numpy as np
import pytest

from explainers.plotly_dict import packed, unpacked
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
