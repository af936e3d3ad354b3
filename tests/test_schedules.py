"""Learning-rate schedules give torch.optim.lr_scheduler's rates (fixtures from
scripts/make_schedule_fixtures.py), and every runner applies them."""
import json
import pathlib
from dataclasses import replace

import numpy as np
import pytest

import optim
from optim import schedules
from optim.models import logistic_regression
from optim.online import gradient, run_online, run_online_batch
from optim.runner import run
from optim.schedules import Constant, InverseSqrt, LinearWarmup, StepDecay, WarmupCosine, step_lrs
from optim.surfaces import SURFACES
from optim.training import _batches, train
from tests.test_torch_equivalence import relative_error

FIXTURES = np.load(pathlib.Path(__file__).parent / "fixtures" / "torch_schedules.npz")
CASES = json.loads(str(FIXTURES["cases"]))
STEPS = len(FIXTURES["grads"])


def make(case):
    schedule, schedule_kwargs, name, kwargs = CASES[case]
    return getattr(schedules, schedule)(**schedule_kwargs), getattr(optim, name)(**kwargs)


def test_fixtures_come_from_the_pinned_torch():
    assert str(FIXTURES["torch_version"]).startswith("2.13.0")


@pytest.mark.parametrize("case", sorted(CASES))
def test_learning_rates_match_torch(case):
    schedule, opt = make(case)
    ours, theirs = opt.lr * schedule.factors(STEPS), FIXTURES[f"lrs_{case}"]
    assert ours.shape == theirs.shape == (STEPS,)
    assert np.all(np.abs(ours - theirs) <= 1e-12 * np.abs(theirs))  # a rate of 0 exactly


@pytest.mark.parametrize("case", sorted(CASES))
def test_scheduled_optimizer_matches_torch_over_200_steps(case):
    schedule, opt = make(case)
    params = FIXTURES["start"]
    state = opt.init(params)
    ours = [params]
    for g, lr in zip(FIXTURES["grads"], step_lrs(schedule, opt.lr, STEPS)):
        params, state = opt.update(params, g, state, lr=lr)
        ours.append(params)
    assert relative_error(np.stack(ours), FIXTURES[f"traj_{case}"]) <= 1e-12


def test_the_cases_cover_the_edges():
    settings = [(s, kw) for s, kw, *_ in CASES.values()]
    assert ("LinearWarmup", {"warmup": 1}) in settings
    assert any(kw.get("warmup", 0) > STEPS for _, kw in settings)
    assert any(kw.get("min_factor", 0) > 0 and kw["total"] < STEPS for _, kw in settings)
    assert {s for s, _ in settings} == {"Constant", "LinearWarmup", "WarmupCosine",
                                        "InverseSqrt", "StepDecay"}
    assert {name for *_, name, _ in CASES.values()} == {"Adam", "AdamW", "SGD"}


@pytest.mark.parametrize("build, message", [
    (lambda: LinearWarmup(0), r"warmup must be a whole number of steps, at least 1 .*got 0"),
    (lambda: LinearWarmup(2.5), r"warmup must be a whole number.*got 2\.5"),
    (lambda: LinearWarmup(True), r"warmup must be a whole number.*got True"),
    (lambda: WarmupCosine(1), r"total must be a whole number of steps, at least 2"),
    (lambda: WarmupCosine(10, warmup=-1), r"warmup must be .* at least 0 .*got -1"),
    (lambda: WarmupCosine(20, warmup=20),
     r"total must come after the warm-up.*got total=20 with warmup=20"),
    (lambda: WarmupCosine(20, min_factor=1.5), r"min_factor must be in \[0, 1\] .*got 1\.5"),
    (lambda: StepDecay(0), r"step_size must be a whole number of steps, at least 1"),
    (lambda: StepDecay(10, gamma=0), r"gamma must be in \(0, 1\] .*got 0"),
    (lambda: Constant().factors(-1), r"steps must be .* at least 0 .*got -1"),
])
def test_settings_are_checked_with_a_message_to_act_on(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_factors_follow_their_formulas():
    np.testing.assert_array_equal(LinearWarmup(4).factors(6), [0.25, 0.5, 0.75, 1, 1, 1])
    np.testing.assert_array_equal(StepDecay(2, 0.5).factors(5), [1, 1, 0.5, 0.5, 0.25])
    cosine = WarmupCosine(total=6, warmup=2, min_factor=0.2).factors(8)
    half = 0.2 * np.sqrt(2)  # 0.8 (1 + cos(pi / 4)) / 2 = 0.4 + half
    np.testing.assert_allclose(cosine, [0.5, 1, 0.6 + half, 0.6, 0.6 - half, 0.2, 0.2, 0.2],
                               rtol=1e-15)
    np.testing.assert_array_equal(WarmupCosine(10).factors(4), WarmupCosine(10, 1).factors(4))
    assert Constant().factors(0).shape == (0,)
    assert InverseSqrt().label == "α/√t"


def test_a_scheduled_batch_equals_its_runs_alone():
    s, schedule = SURFACES["rosenbrock"], WarmupCosine(total=100, warmup=10, min_factor=0.1)
    rates = np.array([1e-3, 1e-2, 0.1])
    batched = run(s, optim.Adam(rates[:, None]), s.start, 150, internals=True,
                  schedule=schedule)
    for i, lr in enumerate(rates):
        alone = run(s, optim.Adam(lr), s.start, 150, internals=True, schedule=schedule)
        np.testing.assert_array_equal(batched.positions[:, i], alone.positions)
        np.testing.assert_array_equal(batched.internals["step"][:, i], alone.internals["step"])


def test_without_a_schedule_every_runner_keeps_its_rate():
    s = SURFACES["himmelblau"]
    for schedule in (None, Constant()):
        assert np.array_equal(run(s, optim.Adam(0.1), s.start, 100, schedule=schedule).positions,
                              run(s, optim.Adam(0.1), s.start, 100).positions)
        online = run_online_batch(optim.Adam(np.array([[0.1], [1.0]])), 300, schedule)
        np.testing.assert_array_equal(online[0], run_online_batch(
            optim.Adam(np.array([[0.1], [1.0]])), 300)[0])
    X, y = _data()
    trained = [_train(X, y, schedule).params for schedule in (None, Constant())]
    np.testing.assert_array_equal(*trained)


def test_inverse_sqrt_through_train_is_the_papers_decay():
    """The decay ``train(decay=True)`` did by hand, alpha / sqrt(t) with the optimizer
    rebuilt each step: the same run, within rounding (alpha * (1 / sqrt(t)) rounds apart)."""
    X, y = _data()
    opt = optim.Adam(0.05)
    params, state = np.zeros(3), opt.init(np.zeros(3))
    batches = _batches(len(X), 10, seed=3)
    for t in range(1, 101):
        idx = next(batches)
        _, grad = logistic_regression(params, X[idx], y[idx])
        params, state = replace(opt, lr=opt.lr / np.sqrt(t)).update(params, grad, state)
    np.testing.assert_allclose(_train(X, y, InverseSqrt()).params[0], params, rtol=1e-12)


def test_inverse_sqrt_online_is_the_papers_decay():
    x, _, _ = run_online(optim.Adam(0.5), 300, InverseSqrt())
    opt = optim.Adam(0.5)
    by_hand, state = np.zeros(1), opt.init(np.zeros(1))
    for t in range(1, 301):
        by_hand, state = replace(opt, lr=opt.lr / np.sqrt(t)).update(by_hand, [gradient(t)],
                                                                     state)
        by_hand = np.clip(by_hand, -1, 1)
    np.testing.assert_allclose(x[-1], by_hand[0], rtol=1e-12)


def _data():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(60, 3))
    return X, (X @ [1.0, -2.0, 0.5] + rng.normal(size=60) > 0).astype(float)


def _train(X, y, schedule):
    return train(logistic_regression, optim.Adam(0.05), np.zeros((1, 3)), X, y, param_rank=1,
                 steps=100, batch_size=10, seeds=[3], schedule=schedule)


def test_the_untuned_warmup_is_two_memories_of_v():
    from optim.schedules import warmup_rule
    assert [warmup_rule(b) for b in (0.9, 0.99, 0.999, 0.9999)] == [20, 200, 2000, 20000]
    with pytest.raises(ValueError, match="beta2 must be in"):
        warmup_rule(1.0)
