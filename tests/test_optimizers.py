"""The optimizers' arithmetic, API and validation, without torch."""
import numpy as np
import pytest

from optim import SGD, Adagrad, Adam, AdamW, RMSProp
from optim.lion import Lion

G1 = np.array([0.1, -0.5, 0.3])


def test_seed_walkthrough_step_one():
    """The explainer's t=1 example: every coordinate moves by exactly alpha."""
    adam = Adam()
    params, state, inside = adam.update(np.zeros(3), G1, adam.init(np.zeros(3)), internals=True)
    np.testing.assert_allclose(state.m, [0.01, -0.05, 0.03], rtol=1e-12)
    np.testing.assert_allclose(state.v, [1e-5, 2.5e-4, 9e-5], rtol=1e-12)
    np.testing.assert_allclose(inside.m_hat, G1, rtol=1e-12)
    np.testing.assert_allclose(inside.v_hat, G1 ** 2, rtol=1e-12)
    np.testing.assert_allclose(inside.step, [0.001, -0.001, 0.001], rtol=1e-6)
    # the step is subtracted: parameters move against the gradient
    np.testing.assert_allclose(params, [-0.001, 0.001, -0.001], rtol=1e-6)
    assert state.t == 1


def first_step_multiple(adam, g=0.37):
    params, _ = adam.update(np.zeros(1), [g], adam.init(np.zeros(1)))
    return -params[0] / adam.lr


@pytest.mark.parametrize("correction, multiple", [
    (True, 1.0),
    (False, 0.1 / np.sqrt(0.001)),       # alpha (1 - beta1) / sqrt(1 - beta2) = 3.162 alpha
    ((True, False), 1 / np.sqrt(0.001)),  # m corrected alone: 31.6 alpha
    ((False, True), 0.1),                 # v corrected alone: 0.1 alpha
])
def test_bias_correction_switches_first_step(correction, multiple):
    adam = Adam(bias_correction=correction)
    assert first_step_multiple(adam) == pytest.approx(multiple, rel=1e-6)


def test_uncorrected_step_against_the_formula_over_many_steps():
    """Without correction: theta_t = theta_{t-1} - alpha m_t / (sqrt(v_t) + eps)."""
    rng = np.random.default_rng(3)
    grads = rng.normal(size=(50, 4))
    adam = Adam(lr=0.01, beta1=0.8, beta2=0.95, eps=1e-6, bias_correction=False)
    params, state = np.ones(4), adam.init(np.ones(4))
    m = v = np.zeros(4)
    expected = np.ones(4)
    for g in grads:
        params, state = adam.update(params, g, state)
        m = 0.8 * m + 0.2 * g
        v = 0.95 * v + 0.05 * g * g
        expected = expected - 0.01 * m / (np.sqrt(v) + 1e-6)
    np.testing.assert_allclose(params, expected, rtol=1e-13)


def test_constant_gradient_uncorrected_peak():
    """The design's checked figure: uncorrected steps peak at 6.57 alpha at t = 12."""
    adam = Adam(bias_correction=False)
    params, state = np.zeros(1), adam.init(np.zeros(1))
    steps = []
    for _ in range(1000):
        new, state = adam.update(params, [1.0], state)
        steps.append((params - new)[0] / adam.lr)
        params = new
    assert int(np.argmax(steps)) + 1 == 12
    assert max(steps) == pytest.approx(6.57, abs=0.005)
    assert steps[99] == pytest.approx(3.24, abs=0.005)
    assert steps[999] == pytest.approx(1.26, abs=0.005)


@pytest.mark.parametrize("opt", [Adam(amsgrad=True), Lion(lr=0.1, weight_decay=0.1)])
def test_update_is_pure(opt):
    params, g = np.array([1.0, 2.0]), np.array([0.3, -0.1])
    state = opt.init(params)
    before = (params.copy(), g.copy(), state.m.copy())
    opt.update(params, g, state)
    np.testing.assert_array_equal(params, before[0])
    np.testing.assert_array_equal(g, before[1])
    np.testing.assert_array_equal(state.m, before[2])
    assert state.t == 0


@pytest.mark.parametrize("make", [
    lambda lr: SGD(lr), lambda lr: SGD(lr, momentum=0.9), lambda lr: SGD(lr, 0.9, nesterov=True),
    lambda lr: Adagrad(lr), lambda lr: RMSProp(lr), lambda lr: Adam(lr),
    lambda lr: Adam(lr, amsgrad=True, weight_decay=0.1), lambda lr: AdamW(lr),
])
def test_array_hyperparameters_equal_separate_runs(make):
    rates = np.array([1e-3, 1e-2, 0.3])
    grads = np.random.default_rng(0).normal(size=(30, 2))
    batched = make(rates[:, None])
    params = np.tile([1.0, -2.0], (3, 1))
    state = batched.init(params)
    for g in grads:
        params, state = batched.update(params, np.tile(g, (3, 1)), state)
    for i, lr in enumerate(rates):
        single = make(lr)
        p, s = np.array([1.0, -2.0]), single.init(np.zeros(2))
        for g in grads:
            p, s = single.update(p, g, s)
        np.testing.assert_array_equal(params[i], p)


def test_internals_of_adam_are_consistent():
    adam = Adam(lr=0.1)
    params, state = np.array([1.0, 1.0]), adam.init(np.zeros(2))
    for g in ([1.0, 3.0], [1.0, -3.0], [1.0, 3.0]):
        new, state, inside = adam.update(params, g, state, internals=True)
        np.testing.assert_allclose(inside.effective_lr, 0.1 / (np.sqrt(inside.v_hat) + 1e-8))
        np.testing.assert_allclose(inside.step, inside.effective_lr * inside.m_hat)
        np.testing.assert_allclose(params - new, inside.step)
        params = new
    # the steady coordinate keeps a long step; the flip-flopping one a short one
    assert abs(inside.step[0]) > 2 * abs(inside.step[1])


def test_state_names():
    state = AdamW().init(np.zeros(2))
    assert state.t == 0 and state.m.shape == (2,) and state.v.shape == (2,)
    assert SGD(0.1).init(np.zeros(2)).m is None
    assert SGD(0.1, momentum=0.5).init(np.zeros(2)).m.shape == (2,)


@pytest.mark.parametrize("make, words", [
    (lambda: Adam(beta1=1.0), "beta1 must be in [0, 1)"),
    (lambda: Adam(beta2=-0.1), "beta2 must be in [0, 1)"),
    (lambda: Adam(lr=-1), "alpha (the learning rate) must be"),
    (lambda: Adam(eps=-1e-8), "eps must be"),
    (lambda: Adam(lr=float("nan")), "got nan"),
    (lambda: Adam(lr=np.array([[0.1], [-0.1]])), "got -0.1"),
    (lambda: AdamW(weight_decay=-1), "weight_decay must be"),
    (lambda: SGD(0.1, momentum=1.5), "momentum must be"),
    (lambda: SGD(0.1, nesterov=True), "Nesterov momentum needs a momentum above 0"),
    (lambda: RMSProp(beta2=1.0), "beta2 must be"),
    (lambda: Adagrad(eps=-1), "eps must be"),
    (lambda: Adam(bias_correction="yes"), "bias_correction must be"),
])
def test_out_of_range_hyperparameters_explain_themselves(make, words):
    with pytest.raises(ValueError) as err:
        make()
    assert words in str(err.value)


def test_labels():
    assert [o.label for o in (SGD(0.1), SGD(0.1, 0.9), SGD(0.1, 0.9, True), Adagrad(),
                              RMSProp(), Adam(), Adam(amsgrad=True), AdamW())] == [
        "SGD", "SGD + momentum", "SGD + Nesterov", "Adagrad", "RMSProp", "Adam", "AMSGrad",
        "AdamW"]
