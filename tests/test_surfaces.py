"""Loss surfaces: analytic gradients agree with finite differences; metadata is sane."""
import numpy as np
import pytest

from optim.fog import Fog
from optim.surfaces import SURFACES

KEYS = sorted(SURFACES)


def test_at_least_seven_surfaces_including_the_named_ones():
    assert len(SURFACES) >= 7
    assert {"bowl", "rosenbrock", "beale", "saddle", "himmelblau", "plateau"} <= set(SURFACES)


@pytest.mark.parametrize("key", KEYS)
def test_gradient_matches_central_differences(key):
    s = SURFACES[key]
    x0, x1, y0, y1 = s.box
    rng = np.random.default_rng(7)
    p = np.stack([rng.uniform(x0, x1, 200), rng.uniform(y0, y1, 200)], axis=-1)
    h = 1e-6
    fd = np.stack([(s.value(p + [h, 0]) - s.value(p - [h, 0])) / (2 * h),
                   (s.value(p + [0, h]) - s.value(p - [0, h])) / (2 * h)], axis=-1)
    np.testing.assert_allclose(s.grad(p), fd, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("key", KEYS)
def test_minima_are_stationary_and_lowest(key):
    s = SURFACES[key]
    mins = np.array(s.minima)
    np.testing.assert_allclose(s.grad(mins), 0.0, atol=1e-4)
    _, _, z = s.grid(80)
    assert z.min() >= s.min_value - 1e-9


@pytest.mark.parametrize("key", KEYS)
def test_shapes_and_metadata(key):
    s = SURFACES[key]
    batch = np.zeros((3, 4, 2))
    assert s.value(batch).shape == (3, 4) and s.grad(batch).shape == (3, 4, 2)
    assert s.value(np.zeros(2)).shape == () and s.grad(np.zeros(2)).shape == (2,)
    x0, x1, y0, y1 = s.box
    assert x0 < s.start[0] < x1 and y0 < s.start[1] < y1
    assert s.name and s.story and s.formula
    d = s.domain
    assert d[0] < x0 and d[1] > x1 and d[2] < y0 and d[3] > y1


def test_nearest_minimum_distance():
    s = SURFACES["saddle"]
    np.testing.assert_allclose(s.nearest_minimum_distance(np.array([[0.0, 0.5], [3.0, -1.0]])),
                               [0.5, 3.0])


def test_fog_is_reproducible_by_seed_and_scales_with_level():
    a, b, c = Fog(0.5, seed=1).noise(100), Fog(0.5, seed=1).noise(100), Fog(0.5, seed=2).noise(100)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    np.testing.assert_allclose(Fog(1.0, seed=1).noise(100), 2 * a)
    assert abs(a.std() - 0.5) < 0.1
    np.testing.assert_array_equal(Fog(0.0).noise(5), 0.0)


@pytest.mark.parametrize("level, seed", [(-1, 0), (float("inf"), 0), (1.0, -3), (1.0, 2.5)])
def test_fog_rejects_bad_settings(level, seed):
    with pytest.raises(ValueError, match="fog"):
        Fog(level, seed)
