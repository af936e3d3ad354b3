"""The batched runner: batched equals one at a time, divergence is flagged, never NaN."""
import warnings

import numpy as np
import pytest

from optim import SGD, Adagrad, Adam, AdamW, RMSProp
from optim.fog import Fog
from optim.runner import run
from optim.surfaces import SURFACES


@pytest.mark.parametrize("make", [
    lambda lr: SGD(lr), lambda lr: SGD(lr, momentum=0.9, nesterov=True), lambda lr: Adagrad(lr),
    lambda lr: RMSProp(lr), lambda lr: Adam(lr), lambda lr: Adam(lr, amsgrad=True),
    lambda lr: AdamW(lr, weight_decay=0.1),
])
def test_batched_settings_equal_single_runs_exactly(make):
    s = SURFACES["rosenbrock"]
    rates = np.array([1e-4, 1e-3, 3e-3, 0.3])  # the last one diverges for SGD
    fog = Fog(0.5, seed=4)
    batched = run(s, make(rates[:, None]), s.start, 150, fog=fog, internals=True)
    assert batched.positions.shape == (151, 4, 2)
    for i, lr in enumerate(rates):
        single = run(s, make(lr), s.start, 150, fog=fog, internals=True)
        np.testing.assert_array_equal(batched.positions[:, i], single.positions)
        np.testing.assert_array_equal(batched.losses[:, i], single.losses)
        assert batched.diverged_at[i] == single.diverged_at
        for name, values in single.internals.items():
            np.testing.assert_array_equal(batched.internals[name][:, i], values)


def test_batched_starts_equal_single_runs_exactly():
    s = SURFACES["himmelblau"]
    starts = np.random.default_rng(1).uniform(-5, 5, (6, 2))
    batched = run(s, Adam(lr=0.1), starts, 200)
    for i, start in enumerate(starts):
        single = run(s, Adam(lr=0.1), start, 200)
        np.testing.assert_array_equal(batched.positions[:, i], single.positions)


@pytest.mark.parametrize("name", ["beta1", "beta2", "eps", "lr"])
def test_every_adam_hyperparameter_batches_bit_for_bit(name):
    s = SURFACES["rosenbrock"]
    values = {"beta1": [0.0, 0.5, 0.95], "beta2": [0.5, 0.99, 0.9999],
              "eps": [1e-12, 1e-8, 1e-2], "lr": [1e-3, 0.05, 0.3]}[name]
    batched = run(s, Adam(**{name: np.array(values)[:, None]}), s.start, 200)
    for i, value in enumerate(values):
        single = run(s, Adam(**{name: value}), s.start, 200)
        np.testing.assert_array_equal(batched.positions[:, i], single.positions)


def test_grid_of_settings_by_broadcasting():
    s = SURFACES["bowl"]
    lr = np.logspace(-3, 0, 5)[:, None, None]
    beta1 = np.linspace(0, 0.95, 3)[None, :, None]
    result = run(s, Adam(lr=lr, beta1=beta1), s.start, 20)
    assert result.positions.shape == (21, 5, 3, 2)
    single = run(s, Adam(lr=lr[2, 0, 0], beta1=beta1[0, 1, 0]), s.start, 20)
    np.testing.assert_array_equal(result.positions[:, 2, 1], single.positions)


def test_divergence_is_flagged_with_no_nan_and_no_warning():
    s = SURFACES["rosenbrock"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run(s, SGD(np.array([1e-4, 0.1])[:, None]), s.start, 300, internals=True)
    assert result.diverged_at[0] == -1
    k = result.diverged_at[1]
    assert 1 <= k < 10
    assert np.isfinite(result.positions).all() and np.isfinite(result.losses).all()
    for values in result.internals.values():
        assert np.isfinite(values).all()
    # it stops where it was before leaving, and stays there
    frozen = result.positions[k - 1, 1][None].repeat(301 - k, 0)
    np.testing.assert_array_equal(result.positions[k:, 1], frozen)
    assert (result.internals["step"][k - 1:, 1] == 0).all()
    assert list(result.diverged) == [False, True]


def test_overflow_to_infinity_is_divergence_too():
    s = SURFACES["plateau"]
    result = run(s, SGD(lr=1e300), [0.5, 0.5], 5)
    assert result.diverged_at == 1
    np.testing.assert_array_equal(result.positions[-1], [0.5, 0.5])


def test_fog_changes_the_path_reproducibly():
    s = SURFACES["bowl"]
    clear = run(s, Adam(lr=0.1), s.start, 50)
    a = run(s, Adam(lr=0.1), s.start, 50, fog=Fog(2.0, seed=3))
    b = run(s, Adam(lr=0.1), s.start, 50, fog=Fog(2.0, seed=3))
    np.testing.assert_array_equal(a.positions, b.positions)
    assert not np.allclose(a.positions, clear.positions)


def test_a_fog_of_many_seeds_gives_each_run_its_own_weather():
    s = SURFACES["rosenbrock"]
    seeds = (0, 7, 11)
    starts = np.broadcast_to(np.array(s.start), (3, 2))
    batch = run(s, Adam(lr=0.05), starts, 80, fog=Fog(1.5, seeds))
    for i, seed in enumerate(seeds):
        alone = run(s, Adam(lr=0.05), s.start, 80, fog=Fog(1.5, seed))
        np.testing.assert_array_equal(batch.positions[:, i], alone.positions)
    with pytest.raises(ValueError, match="3 seeds needs a batch of that many runs"):
        run(s, Adam(lr=0.05), s.start, 10, fog=Fog(1.5, seeds))
    with pytest.raises(ValueError, match="tuple of them"):
        Fog(1.0, (1, -2))


def test_zero_steps_and_internals_layout():
    s = SURFACES["saddle"]
    r0 = run(s, Adam(), s.start, 0)
    assert r0.positions.shape == (1, 2) and r0.steps == 0
    r = run(s, Adam(lr=0.05), s.start, 10, internals=True)
    assert set(r.internals) == {"g", "m", "v", "m_hat", "v_hat", "effective_lr", "step"}
    np.testing.assert_allclose(r.positions[:-1] - r.positions[1:], r.internals["step"])
    sgd = run(s, SGD(0.1), s.start, 3, internals=True)
    assert set(sgd.internals) == {"g", "effective_lr", "step"}


@pytest.mark.parametrize("steps", [-1, 100_001, 2.5, "10"])
def test_bad_step_counts(steps):
    with pytest.raises(ValueError, match="steps must be"):
        run(SURFACES["bowl"], Adam(), [0, 0], steps)


def test_bad_start_shape():
    with pytest.raises(ValueError, match="axis of length 2"):
        run(SURFACES["bowl"], Adam(), [0, 0, 0], 3)
