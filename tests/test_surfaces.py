"""Loss surfaces: analytic gradients agree with finite differences; metadata is sane."""
import numpy as np
import pytest

from optim import SGD, Adam
from optim.fog import Fog
from optim.runner import run
from optim.surfaces import (
    SURFACES,
    expression_key,
    rotated,
    rotated_batch,
    surface,
    turn,
    turned_key,
)

KEYS = sorted(SURFACES)


def test_at_least_seven_surfaces_including_the_named_ones():
    assert len(SURFACES) >= 7
    assert {"bowl", "rosenbrock", "beale", "saddle", "himmelblau", "plateau"} <= set(SURFACES)


def assert_gradient_is_central_differences(s, seed: int) -> np.ndarray:
    """At 200 random points of the view box (returned): the analytic gradient of ``s``
    equals central differences."""
    x0, x1, y0, y1 = s.box
    rng = np.random.default_rng(seed)
    p = np.stack([rng.uniform(x0, x1, 200), rng.uniform(y0, y1, 200)], axis=-1)
    h = 1e-6
    fd = np.stack([(s.value(p + [h, 0]) - s.value(p - [h, 0])) / (2 * h),
                   (s.value(p + [0, h]) - s.value(p - [0, h])) / (2 * h)], axis=-1)
    np.testing.assert_allclose(s.grad(p), fd, rtol=1e-5, atol=1e-5)
    return p


@pytest.mark.parametrize("key", KEYS)
def test_gradient_matches_central_differences(key):
    assert_gradient_is_central_differences(SURFACES[key], 7)


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


# -- a landscape turned about its minimum (optim.surfaces.rotated) ----------------------

@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("degrees", [30, 45, 90])
def test_a_turned_landscape_is_the_same_landscape_turned(key, degrees):
    s = SURFACES[key]
    t = rotated(s, degrees)
    assert t.key == f"@{degrees}:{key}" and surface(t.key).key == t.key
    p = assert_gradient_is_central_differences(t, 3)
    x0, x1, y0, y1 = t.box
    back = turn(p, -degrees, s.minima[0])  # where each point was before the turn
    np.testing.assert_allclose(t.value(p), s.value(back), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(t.value(np.array(t.minima)), s.value(np.array(s.minima)),
                               atol=1e-12)
    assert x0 <= t.start[0] <= x1 and y0 <= t.start[1] <= y1
    assert all(x0 <= m[0] <= x1 and y0 <= m[1] <= y1 for m in t.minima)
    assert t.minima[0] == s.minima[0]  # it turns about its minimum


def test_turning_by_0_gives_back_the_landscape_and_45_the_tilted_bowl():
    bowl = SURFACES["bowl"]
    assert rotated(bowl, 0) is bowl and surface(turned_key("bowl", 0)) is bowl
    tilted, p = rotated(bowl, 45), np.random.default_rng(0).uniform(-8, 8, (100, 2))
    np.testing.assert_allclose(tilted.value(p), SURFACES["tilted"].value(p), rtol=1e-13)
    np.testing.assert_allclose(tilted.grad(p), SURFACES["tilted"].grad(p), rtol=1e-13)
    assert rotated(bowl, 90).box == (-4.0, 4.0, -10.0, 10.0)  # a quarter turn, exactly
    assert rotated(bowl, 90).start == (-3.0, -9.0)


@pytest.mark.parametrize("key, alpha", [("bowl", 0.1), ("rosenbrock", 0.001), ("beale", 0.01),
                                        ("himmelblau", 0.01)])
def test_sgds_path_on_the_turned_landscape_is_its_path_turned(key, alpha):
    s = SURFACES[key]
    for degrees in (20, 45, 75):
        t = rotated(s, degrees)
        plain = run(s, SGD(alpha), np.array(s.start), 300)
        turned = run(t, SGD(alpha), np.array(t.start), 300)
        np.testing.assert_allclose(turned.positions, turn(plain.positions, degrees, s.minima[0]),
                                   rtol=0, atol=1e-12)
        np.testing.assert_allclose(turned.losses, plain.losses, rtol=1e-12, atol=1e-12)


def test_adams_path_is_not_turned_with_an_axis_aligned_valley():
    bowl, t = SURFACES["bowl"], rotated(SURFACES["bowl"], 45)
    plain = run(bowl, Adam(0.1), np.array(bowl.start), 300)
    turned = run(t, Adam(0.1), np.array(t.start), 300)
    gap = np.abs(turned.positions[-1] - turn(plain.positions[-1], 45))
    assert gap.max() > 0.1
    assert turned.losses[-1] > 1e6 * plain.losses[-1]  # along the axes it all but arrives


def test_a_run_leaves_the_turned_map_at_the_step_it_leaves_the_map():
    s = SURFACES["rosenbrock"]  # SGD with step 0.01 leaves Rosenbrock's map at step 3
    plain = run(s, SGD(0.01), np.array(s.start), 20)
    turned = run(rotated(s, 30), SGD(0.01), np.array(rotated(s, 30).start), 20)
    assert plain.diverged_at == turned.diverged_at == 3


def test_a_batch_of_angles_is_each_angle_alone_bit_for_bit():
    s = SURFACES["rosenbrock"]
    angles = np.array([0.0, 15.0, 45.0, 90.0])
    starts = turn(np.broadcast_to(np.array(s.start), (4, 2)), angles, s.minima[0])
    batch = run(rotated_batch(s, angles), Adam(0.2), starts, 200, fog=Fog(0.5, 3))
    for k, degrees in enumerate(angles):
        alone = rotated(s, degrees)
        single = run(alone, Adam(0.2), np.array(alone.start), 200, fog=Fog(0.5, 3))
        np.testing.assert_array_equal(batch.positions[:, k], single.positions)
        np.testing.assert_array_equal(batch.losses[:, k], single.losses)


def test_a_turned_formula_and_bad_turned_keys():
    key = expression_key("x**2 + 10*y**2", (-2.0, 2.0, -1.0, 3.0))
    t = surface(turned_key(key, 60))
    assert t.turned_from is surface(key) and t.angle == 60 and t.parts == surface(key).parts
    with pytest.raises(ValueError, match="no landscape"):
        surface("@sixty:bowl")
    with pytest.raises(ValueError, match="finite angle"):
        surface("@nan:bowl")
