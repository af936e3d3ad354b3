"""Lion gives optax.lion's numbers and the paper's (fixtures from scripts/make_optax_fixtures.py).

Neither jax nor optax is needed here: the fixture file holds optax's trajectories.
"""
import json
import pathlib

import numpy as np
import pytest

from optim.base import state_slots
from optim.lion import Lion
from optim.runner import run
from optim.surfaces import SURFACES
from tests.test_torch_equivalence import relative_error

FIXTURES = np.load(pathlib.Path(__file__).parent / "fixtures" / "optax_reference.npz")
CASES = json.loads(str(FIXTURES["cases"]))


def step_rates(case):
    """The learning rate of each step: the recorded schedule, or None (the optimizer's own)."""
    if case == "schedule":
        return list(FIXTURES["schedule_lr"])
    return [None] * len(FIXTURES["grads"])


def our_trajectory(opt, start, grads, rates):
    params = np.array(start, dtype=np.float64)
    state = opt.init(params)
    out = [params.copy()]
    for g, lr in zip(grads, rates):
        state, _ = opt.update_inplace(params, g, state, lr=lr)
        out.append(params.copy())
    return np.stack(out)


def algorithm_2(theta, grads, rates, beta1=0.9, beta2=0.99, lam=0.0):
    """Algorithm 2 of Chen et al., "Symbolic Discovery of Optimization Algorithms"
    (NeurIPS 2023, arXiv:2302.06675), line by line: eta_t is the step's learning rate."""
    m = np.zeros_like(theta)
    out = [theta]
    for g, eta in zip(grads, rates):
        c = beta1 * m + (1 - beta1) * g
        theta = theta - eta * (np.sign(c) + lam * theta)
        m = beta2 * m + (1 - beta2) * g
        out.append(theta)
    return np.stack(out)


def test_fixtures_come_from_the_pinned_jax_and_optax():
    assert str(FIXTURES["jax_version"]) == "0.10.2"
    assert str(FIXTURES["optax_version"]) == "0.2.8"


def test_fixture_gradients_have_zeros_where_the_cases_need_them():
    grads = FIXTURES["grads"]
    assert np.all(grads[:, 0, 1] == 0) and np.all(grads[:10, 3, 2] == 0)


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_optax_over_200_steps(case):
    ours = our_trajectory(Lion(**CASES[case][0]), FIXTURES["start"], FIXTURES["grads"],
                          step_rates(case))
    theirs = FIXTURES[f"traj_{case}"]
    assert ours.shape == theirs.shape == (201, 4, 3)
    assert relative_error(ours, theirs) <= 1e-12


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_the_papers_algorithm_2(case):
    opt = Lion(**CASES[case][0])
    rates = step_rates(case)
    ours = our_trajectory(opt, FIXTURES["start"], FIXTURES["grads"], rates)
    paper = algorithm_2(FIXTURES["start"], FIXTURES["grads"],
                        [opt.lr if lr is None else lr for lr in rates],
                        opt.beta1, opt.beta2, opt.weight_decay)
    assert relative_error(ours, paper) <= 1e-12


def test_a_coordinate_without_gradient_stays_put_unless_decayed():
    """sign(0) = 0: at step 1 (m = 0) a zero gradient gives c = 0, hence no step."""
    grads = FIXTURES["grads"]
    start = FIXTURES["start"]
    plain = our_trajectory(Lion(lr=1e-2), start, grads, step_rates("defaults"))
    assert np.all(plain[:, 0, 1] == start[0, 1])
    assert np.all(plain[:11, 3, 2] == start[3, 2])        # no gradient for ten steps
    assert plain[12, 3, 2] != start[3, 2]
    decayed = our_trajectory(Lion(lr=1e-2, weight_decay=0.5), start, grads, [None] * 3)
    np.testing.assert_allclose(decayed[:, 0, 1], start[0, 1] * (1 - 5e-3) ** np.arange(4),
                               rtol=1e-14)


def test_every_step_is_exactly_lr_long_without_decay():
    """Sign descent: where c != 0 each coordinate's step is lr, whatever the gradient's size."""
    lion = Lion(lr=3e-3, beta1=0.8, beta2=0.95)
    params = np.array(FIXTURES["start"])
    state = lion.init(params)
    moved = 0
    for g in FIXTURES["grads"]:
        c = 0.8 * state.m + (1 - 0.8) * g
        before = params.copy()
        state, inside = lion.update_inplace(params, g, state, internals=True)
        assert np.all(inside.effective_lr == 3e-3)
        np.testing.assert_array_equal(np.abs(inside.step), np.where(c != 0, 3e-3, 0.0))
        # the parameters moved by that step, to the rounding of their own size
        np.testing.assert_allclose(before - params, inside.step, rtol=0, atol=4e-16)
        moved += np.count_nonzero(c)
    assert moved > 0.8 * FIXTURES["grads"].size


def test_internals_and_state():
    lion = Lion(lr=0.1, weight_decay=0.5)
    params = np.array([1.0, -2.0, 3.0])
    new, state, inside = lion.update(params, [0.4, 0.0, -1.0], lion.init(params), internals=True)
    np.testing.assert_array_equal(inside.g, [0.4, 0.0, -1.0])
    np.testing.assert_allclose(inside.m, [0.004, 0.0, -0.01], rtol=1e-15)
    np.testing.assert_array_equal(inside.m, state.m)
    np.testing.assert_array_equal(inside.step, [0.1, 0.0, -0.1])   # decay not included
    np.testing.assert_allclose(params - new, inside.step + 0.05 * params, rtol=0, atol=1e-15)
    assert inside.v is inside.m_hat is inside.v_hat is None
    assert state.t == 1 and state.v is None and state.v_max is None and state.powers is None
    assert state_slots(lion) == 1
    assert lion.label == "Lion"


def test_a_batch_of_settings_equals_separate_runs():
    settings = [dict(lr=1e-3, beta1=0.9, beta2=0.99, weight_decay=0.0),
                dict(lr=1e-2, beta1=0.5, beta2=0.999, weight_decay=0.3),
                dict(lr=0.2, beta1=0.0, beta2=0.0, weight_decay=1.0)]
    batched = Lion(**{k: np.array([s[k] for s in settings])[:, None, None]
                      for k in settings[0]})
    grads, start = FIXTURES["grads"][:60], FIXTURES["start"]
    params = np.tile(start, (3, 1, 1))
    state = batched.init(params)
    for g in grads:
        params, state, inside = batched.update(params, np.tile(g, (3, 1, 1)), state,
                                               internals=True)
    assert inside.effective_lr.shape == params.shape == (3, 4, 3)
    for i, s in enumerate(settings):
        single = our_trajectory(Lion(**s), start, grads, [None] * len(grads))
        np.testing.assert_array_equal(params[i], single[-1])


def test_lr_argument_equals_a_fresh_optimizer_with_that_lr():
    grads = FIXTURES["grads"][:40]
    rates = np.linspace(0.02, 1e-3, len(grads))
    scheduled = our_trajectory(Lion(lr=0.5, beta1=0.8, weight_decay=0.2), FIXTURES["start"],
                               grads, rates)
    params = np.array(FIXTURES["start"])
    state = Lion().init(params)
    for t, (g, lr) in enumerate(zip(grads, rates)):
        params, state = Lion(lr=lr, beta1=0.8, weight_decay=0.2).update(params, g, state)
        np.testing.assert_array_equal(params, scheduled[t + 1])


def test_runs_in_the_runner_like_step_by_step_updates():
    surface = SURFACES["rosenbrock"]
    start = np.array([[-1.2, 1.0], [0.5, -0.5]])
    lion = Lion(lr=0.01, weight_decay=0.1)
    result = run(surface, lion, start, 50, internals=True)
    params, state = start, lion.init(start)
    for _ in range(50):
        params, state = lion.update(params, surface.value_and_grad(params)[1], state)
    np.testing.assert_array_equal(result.positions[-1], params)


@pytest.mark.parametrize("make, words", [
    (lambda: Lion(lr=-1e-4), "alpha (the learning rate) must be in [0, inf)"),
    (lambda: Lion(lr=float("inf")), "got inf"),
    (lambda: Lion(beta1=1.0), "beta1 must be in [0, 1) (how much the old momentum"),
    (lambda: Lion(beta2=-0.5), "beta2 must be in [0, 1) (the fraction of the old momentum"),
    (lambda: Lion(beta2=np.array([[0.9], [1.2]])), "got 1.2"),
    (lambda: Lion(weight_decay=-1e-3), "weight_decay must be in [0, inf)"),
])
def test_out_of_range_hyperparameters_explain_themselves(make, words):
    with pytest.raises(ValueError) as err:
        make()
    assert words in str(err.value)
