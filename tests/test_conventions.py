"""Each framework's Adam gives that framework's numbers (fixtures from
scripts/make_framework_fixtures.py), the paper's Algorithm 1 gives optim.Adam's, and the
AdamW weight decay translates between the libraries and Loshchilov & Hutter.

Neither torch, jax, optax nor Keras is needed here: the fixture files hold their numbers.
"""
import json
import math
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from optim import Adam, AdamW
from optim.conventions import (
    DEFAULT_ADAMW_DECAY,
    DEFAULT_EPS,
    FRAMEWORKS,
    FrameworkAdam,
    FrameworkAdamW,
    decoupled_shrink,
    equivalent_weight_decay,
)
from optim.reference import adam_algorithm_1
from optim.runner import run
from optim.surfaces import SURFACES
from tests.test_lion import our_trajectory
from tests.test_torch_equivalence import FIXTURES as TORCH
from tests.test_torch_equivalence import relative_error

FIXTURES = np.load(pathlib.Path(__file__).parent / "fixtures" / "framework_reference.npz")
CASES = json.loads(str(FIXTURES["cases"]))
GRADS, START = FIXTURES["grads"], FIXTURES["start"]


def convention(case):
    """Our optimizer for a fixture case, and the learning rate of each of its steps."""
    kwargs = dict(CASES[case][0])
    kind = FrameworkAdamW if kwargs.pop("adamw", False) else FrameworkAdam
    rates = FIXTURES[f"lr_{case}"] if kwargs.pop("schedule", False) else [None] * len(GRADS)
    return kind(**kwargs), rates


def trajectory(opt, grads=GRADS, start=START, rates=None):
    """Our parameters after every step; ``rates``: each step's ``lr=`` (None: opt.lr)."""
    return our_trajectory(opt, start, grads, [None] * len(grads) if rates is None else rates)


def test_fixtures_come_from_the_pinned_packages():
    assert str(FIXTURES["jax_version"]) == "0.10.2"
    assert str(FIXTURES["optax_version"]) == "0.2.8"
    assert str(FIXTURES["keras_version"]) == "3.15.1"
    assert str(FIXTURES["keras_backend"]) == "jax"


def test_fixture_gradients_are_small_in_one_column_and_have_zeros():
    scale = np.sqrt(np.mean(GRADS ** 2, axis=(0, 1)))
    assert scale[0] < 3e-4 and 1e-3 < scale[1] < 0.1 and scale[2] > 5
    assert np.all(GRADS[:, 0, 1] == 0) and np.all(GRADS[:10, 3, 0] == 0)
    assert 0.04 < np.mean(GRADS == 0) < 0.2


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_the_framework_over_200_steps(case):
    opt, rates = convention(case)
    ours = trajectory(opt, rates=rates)
    theirs = FIXTURES[f"traj_{case}"]
    assert ours.shape == theirs.shape == (201, 4, 3)
    assert relative_error(ours, theirs) <= 1e-12


@pytest.mark.parametrize("case", sorted(c for c in CASES if c.startswith("keras")
                                        or "eps_root" in CASES[c][0]))
def test_pytorchs_rule_would_not_match_those_fixtures(case):
    """The fixtures tell the conventions apart: PyTorch's rule, with the same numbers,
    misses Keras's trajectories and optax's with an eps_root by far more than 1e-12."""
    opt, rates = convention(case)
    kwargs = {k: v for k, v in opt.hyperparameters().items() if k != "eps_root"}
    pytorch = FrameworkAdam(**{**kwargs, "framework": "pytorch"})
    assert relative_error(trajectory(pytorch, rates=rates), FIXTURES[f"traj_{case}"]) > 1e-6


@pytest.mark.parametrize("kwargs, engine", [
    ({}, Adam()),
    ({"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6}, Adam(0.02, 0.8, 0.99, 1e-6)),
    ({"lr": 0.01, "weight_decay": 0.1}, Adam(0.01, weight_decay=0.1)),
    ({"lr": 0.01, "amsgrad": True}, Adam(0.01, amsgrad=True)),
    ({"decoupled": True}, AdamW()),
    ({"lr": 0.01, "weight_decay": 0.5, "decoupled": True}, AdamW(0.01, weight_decay=0.5)),
])
def test_the_pytorch_convention_is_optim_adam_to_the_bit(kwargs, engine):
    opt = FrameworkAdam("pytorch", **kwargs)
    np.testing.assert_array_equal(trajectory(opt), trajectory(engine))
    params = np.array(START)
    a, _, inside_a = opt.update(params, GRADS[0], opt.init(params), internals=True)
    b, _, inside_b = engine.update(params, GRADS[0], engine.init(params), internals=True)
    np.testing.assert_array_equal(a, b)
    for name in inside_a._fields:
        np.testing.assert_array_equal(getattr(inside_a, name), getattr(inside_b, name))


@pytest.mark.parametrize("case", ["adam", "adam_tuned", "adam_l2", "amsgrad", "adamw",
                                  "adamw_strong", "adamw_amsgrad"])
def test_the_pytorch_convention_matches_torch(case):
    name, kwargs = json.loads(str(TORCH["cases"]))[case]
    opt = FrameworkAdam("pytorch", decoupled=name == "AdamW", **kwargs)
    ours = trajectory(opt, TORCH["grads"], TORCH["start"])
    assert relative_error(ours, TORCH[f"traj_{case}"]) <= 1e-12


def mlx_adam(grads, start, learning_rate, betas=(0.9, 0.999), eps=1e-8, bias_correction=False,
             weight_decay=None):
    """``mlx.optimizers.Adam`` (``AdamW`` with a ``weight_decay``), transcribed from its
    ``apply_single`` (ml-explore/mlx, python/mlx/optimizers/optimizers.py, v0.32.1, commit
    846d176), whose documented formula
    (https://ml-explore.github.io/mlx/build/html/python/optimizers/_autosummary/mlx.optimizers.Adam.html)
    is :math:`w_{t+1} = w_t - \\lambda m_{t+1} / (\\sqrt{v_{t+1}} + \\epsilon)`.
    ``step`` is incremented before ``apply_single`` runs, so it is 1 at the first update."""
    parameter, m, v = np.array(start), np.zeros_like(start), np.zeros_like(start)
    lr, (b1, b2) = learning_rate, betas
    out = [parameter]
    for step, gradient in enumerate(grads, 1):
        if weight_decay is not None:                       # AdamW.apply_single
            parameter = parameter * (1 - lr * weight_decay)
        m = b1 * m + (1 - b1) * gradient                   # Adam.apply_single
        v = b2 * v + (1 - b2) * np.square(gradient)
        if bias_correction:
            c1 = lr / (1 - b1 ** step)
            c2 = 1 / np.sqrt(1 - b2 ** step)               # mx.rsqrt
            parameter = parameter - c1 * m / (np.sqrt(v) * c2 + eps)
        else:
            parameter = parameter - lr * m / (np.sqrt(v) + eps)
        out.append(parameter)
    return np.stack(out)


@pytest.mark.parametrize("kwargs, mlx", [
    ({"lr": 1e-2}, {"learning_rate": 1e-2}),
    ({"lr": 3e-3, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6},
     {"learning_rate": 3e-3, "betas": (0.8, 0.99), "eps": 1e-6}),
    ({"lr": 1e-2, "bias_correction": True}, {"learning_rate": 1e-2, "bias_correction": True}),
    ({"lr": 1e-2, "decoupled": True}, {"learning_rate": 1e-2, "weight_decay": 0.01}),
    ({"lr": 1e-2, "decoupled": True, "weight_decay": 0.3, "bias_correction": True},
     {"learning_rate": 1e-2, "weight_decay": 0.3, "bias_correction": True}),
])
def test_the_mlx_convention_is_mlxs_documented_rule(kwargs, mlx):
    ours = trajectory(FrameworkAdam("mlx", **kwargs))
    assert relative_error(ours, mlx_adam(GRADS, START, **mlx)) <= 1e-12


def test_mlx_default_is_adam_without_bias_correction():
    mlx = FrameworkAdam("mlx", lr=1e-2)
    assert mlx.bias_correction is False and mlx.eps == 1e-8
    np.testing.assert_array_equal(trajectory(mlx), trajectory(Adam(1e-2, bias_correction=False)))
    # the uncorrected first step is (1 - beta1) / sqrt(1 - beta2) = 3.16 times the corrected
    # one, where eps is small against the gradient
    step_mlx = START - trajectory(mlx, GRADS[:1])[1]
    step_torch = START - trajectory(FrameworkAdam("pytorch", lr=1e-2), GRADS[:1])[1]
    big = np.abs(GRADS[0]) > 1e-2
    assert big.sum() >= 4
    np.testing.assert_allclose(step_mlx[big] / step_torch[big], 0.1 / math.sqrt(1e-3), rtol=1e-4)


def keras_eps_in_pytorch_terms(t, beta2=0.999, eps=1e-7, g=1e-9):
    """Run Keras's convention and PyTorch's for t steps of a constant, tiny gradient and
    solve PyTorch's rule for the epsilon that gives Keras's step at step t:
    step = lr m_hat / (sqrt(v_hat) + eps'), so eps' = lr m_hat / step - sqrt(v_hat)."""
    keras = FrameworkAdam("keras", lr=1e-3, beta2=beta2, eps=eps)
    pytorch = FrameworkAdam("pytorch", lr=1e-3, beta2=beta2, eps=eps)
    params = np.zeros(1)
    sk, sp = keras.init(params), pytorch.init(params)
    for _ in range(t):
        _, sk, ik = keras.update(params, [g], sk, internals=True)
        _, sp, ip = pytorch.update(params, [g], sp, internals=True)
    return float(1e-3 * ip.m_hat[0] / ik.step[0] - np.sqrt(ip.v_hat[0]))


def test_where_they_part_keras_eps_acts_31_6_times_larger_at_the_first_step():
    ratio = keras_eps_in_pytorch_terms(1) / 1e-7
    assert ratio == pytest.approx(1 / math.sqrt(1 - 0.999), rel=1e-9)
    assert round(ratio, 1) == 31.6


@pytest.mark.parametrize("t", [10, 1000, 20000])
def test_keras_eps_fades_to_pytorchs_as_the_correction_does(t):
    ratio = keras_eps_in_pytorch_terms(t) / 1e-7
    assert ratio == pytest.approx(1 / math.sqrt(1 - 0.999 ** t), rel=1e-7)


def test_keras_is_pytorch_with_a_larger_eps_at_each_step():
    """At t = 1, Keras with eps is PyTorch with eps / sqrt(1 - beta2), to the rounding."""
    keras = trajectory(FrameworkAdam("keras", lr=1e-2), GRADS[:1])
    pytorch = trajectory(FrameworkAdam("pytorch", lr=1e-2, eps=1e-7 / math.sqrt(1e-3)),
                         GRADS[:1])
    assert relative_error(keras, pytorch) <= 1e-15


@pytest.mark.parametrize("opt", [
    FrameworkAdam("pytorch", lr=0.1, weight_decay=0.1),
    FrameworkAdam("keras", lr=0.1, amsgrad=True),
    FrameworkAdamW("keras", lr=0.1),
    FrameworkAdam("optax", lr=0.1, eps_root=1e-6),
    FrameworkAdam("mlx", lr=0.1),
    FrameworkAdamW("mlx", lr=0.1, bias_correction=True),
])
def test_internals_step_is_effective_lr_times_m_hat(opt):
    params = np.array(START)
    state = opt.init(params)
    for g in GRADS[:5]:
        new, state, inside = opt.update(params, g, state, internals=True)
        np.testing.assert_allclose(inside.step, inside.effective_lr * inside.m_hat, rtol=1e-12,
                                   atol=1e-300)
        np.testing.assert_array_equal(inside.m, state.m)
        params = new


def test_internals_show_each_conventions_own_quantities():
    g = np.array([0.5, -1e-6])
    params = np.zeros(2)
    _, _, keras = FrameworkAdam("keras", lr=0.1).update(params, g, FrameworkAdam(
        "keras").init(params), internals=True)
    np.testing.assert_array_equal(keras.m_hat, keras.m)            # Keras never corrects m
    np.testing.assert_array_equal(keras.v_hat, keras.v)
    alpha_1 = 0.1 * math.sqrt(1 - 0.999) / (1 - 0.9)
    np.testing.assert_allclose(keras.effective_lr, alpha_1 / (np.abs(g) * math.sqrt(1e-3) + 1e-7),
                               rtol=1e-14)
    _, _, optax = FrameworkAdam("optax", lr=0.1, eps_root=1e-8).update(
        params, g, FrameworkAdam("optax").init(params), internals=True)
    np.testing.assert_allclose(optax.m_hat, g, rtol=1e-15)        # corrected: m_hat_1 = g_1
    np.testing.assert_allclose(optax.effective_lr, 0.1 / (np.sqrt(g ** 2 + 1e-8) + 1e-8),
                               rtol=1e-14)


SETTINGS = {
    "keras": [dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-7, weight_decay=0.0),
              dict(lr=1e-2, beta1=0.5, beta2=0.99, eps=1e-8, weight_decay=0.3),
              dict(lr=0.2, beta1=0.0, beta2=0.9, eps=1e-4, weight_decay=1.0)],
    "optax": [dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, eps_root=0.0, weight_decay=0.0),
              dict(lr=1e-2, beta1=0.5, beta2=0.99, eps=1e-6, eps_root=1e-8, weight_decay=0.3),
              dict(lr=0.2, beta1=0.0, beta2=0.9, eps=0.0, eps_root=1e-4, weight_decay=1.0)],
    "mlx": [dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0),
            dict(lr=1e-2, beta1=0.5, beta2=0.99, eps=1e-6, weight_decay=0.3)],
}


@pytest.mark.parametrize("framework", sorted(SETTINGS))
@pytest.mark.parametrize("decoupled", [False, True])
def test_a_batch_of_settings_equals_separate_runs(framework, decoupled):
    settings = SETTINGS[framework]
    if not decoupled and framework != "optax":
        settings = [{**s, "weight_decay": 0.0} for s in settings]
    batched = FrameworkAdam(framework, decoupled=decoupled,
                            **{k: np.array([s[k] for s in settings])[:, None, None]
                               for k in settings[0]})
    grads = GRADS[:60]
    params = np.tile(START, (len(settings), 1, 1))
    state = batched.init(params)
    for g in grads:
        params, state, inside = batched.update(params, np.tile(g, (len(settings), 1, 1)),
                                               state, internals=True)
    assert inside.effective_lr.shape == params.shape == (len(settings), 4, 3)
    for i, s in enumerate(settings):
        single = trajectory(FrameworkAdam(framework, decoupled=decoupled, **s), grads)
        np.testing.assert_array_equal(params[i], single[-1])


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_lr_argument_equals_a_fresh_optimizer_with_that_lr(framework):
    """``lr=`` sets this step's rate, for the step and for the decoupled decay alike."""
    rates = np.linspace(0.02, 1e-3, 40)
    scheduled = trajectory(FrameworkAdamW(framework, lr=0.5, weight_decay=0.2), GRADS[:40],
                           rates=rates)
    params = np.array(START)
    state = FrameworkAdamW(framework).init(params)
    for t, (g, lr) in enumerate(zip(GRADS[:40], rates), 1):
        state, _ = FrameworkAdamW(framework, lr=lr, weight_decay=0.2).update_inplace(
            params, g, state)
        np.testing.assert_array_equal(params, scheduled[t])


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_runs_in_the_runner(framework):
    opt = FrameworkAdam(framework, lr=np.array([[0.01], [0.05]]))
    result = run(SURFACES["rosenbrock"], opt, [-1.0, 1.5], 100, internals=True)
    assert result.positions.shape == (101, 2, 2)
    assert np.all(result.diverged_at == -1)


def test_defaults_and_labels():
    assert {f: FrameworkAdam(f).eps for f in FRAMEWORKS} == DEFAULT_EPS == {
        "pytorch": 1e-8, "keras": 1e-7, "optax": 1e-8, "mlx": 1e-8}
    assert [FrameworkAdam(f).bias_correction for f in FRAMEWORKS] == [True, True, True, False]
    assert {f: FrameworkAdamW(f).weight_decay for f in FRAMEWORKS} == DEFAULT_ADAMW_DECAY == {
        "pytorch": 1e-2, "keras": 4e-3, "optax": 1e-4, "mlx": 1e-2}
    assert FrameworkAdam("optax").weight_decay == 0.0
    assert FrameworkAdamW("optax", weight_decay=0.0).weight_decay == 0.0
    assert [FrameworkAdam(f).label for f in FRAMEWORKS] == [
        "PyTorch Adam", "Keras Adam", "optax Adam", "MLX Adam"]
    assert FrameworkAdamW("keras").label == "Keras AdamW"
    assert FrameworkAdam("pytorch", amsgrad=True).label == "PyTorch Adam (AMSGrad)"
    assert FrameworkAdam("keras", eps=1e-8).hyperparameters()["eps"] == 1e-8


@pytest.mark.parametrize("make, message", [
    (lambda: FrameworkAdam("tensorflow"), "framework must be one of 'pytorch', 'keras'"),
    (lambda: FrameworkAdam("keras", eps_root=1e-8), "eps_root (added under the square root) "
                                                    "is optax's alone: Keras's Adam adds only"),
    (lambda: FrameworkAdam("optax", eps_root=-1.0), "eps_root must be in [0, inf)"),
    (lambda: FrameworkAdam("pytorch", bias_correction=False),
     "only MLX's Adam can switch its bias correction off; PyTorch's always corrects"),
    (lambda: FrameworkAdam("mlx", bias_correction="no"), "bias_correction must be True, False"),
    (lambda: FrameworkAdam("keras", weight_decay=0.1), "Keras's optimizers decay the weights "
                                                       "decoupled"),
    (lambda: FrameworkAdam("mlx", weight_decay=0.1), "MLX's Adam takes no weight decay"),
    (lambda: FrameworkAdam("optax", amsgrad=True), "optax.amsgrad keeps the maximum of the "
                                                   "corrected v_hat"),
    (lambda: FrameworkAdam("mlx", amsgrad=True), "MLX's Adam has no AMSGrad"),
    (lambda: FrameworkAdam("keras", decoupled="yes"), "decoupled must be True or False"),
    (lambda: FrameworkAdam("keras", beta2=1.0), "beta2 must be in [0, 1)"),
    (lambda: FrameworkAdam("optax", lr=np.array([0.1, -0.1])), "alpha (the learning rate) "
                                                                "must be"),
    (lambda: FrameworkAdam("mlx", eps=-1e-8), "eps must be"),
    (lambda: FrameworkAdamW("optax", weight_decay=-1.0), "weight_decay must be"),
])
def test_validation_messages(make, message):
    with pytest.raises(ValueError) as err:
        make()
    assert message in str(err.value)


# --- AdamW's lambda across libraries ---------------------------------------------------

def test_decoupled_shrink_in_each_convention():
    for framework in FRAMEWORKS:
        assert decoupled_shrink(framework, 1e-3, 1e-2) == pytest.approx(1e-5, rel=1e-15)
        assert decoupled_shrink(framework, 1e-3, 1e-2, 0.5) == pytest.approx(5e-6, rel=1e-15)
    assert decoupled_shrink("loshchilov_hutter", 1e-3, 1e-2) == 1e-2
    assert decoupled_shrink("loshchilov_hutter", 1e-3, 1e-2, 0.5) == 5e-3


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_decoupled_shrink_is_what_the_engine_removes(framework):
    """With no gradient the Adam step is zero and only the decay moves the weights."""
    opt = FrameworkAdamW(framework, lr=3e-3, weight_decay=0.2)
    params = np.array(START)
    new, _ = opt.update(params, np.zeros_like(params), opt.init(params), lr=3e-3 * 0.25)
    np.testing.assert_allclose((params - new) / params,
                               decoupled_shrink(framework, 3e-3, 0.2, 0.25), rtol=1e-12)


def test_equivalent_weight_decay():
    # among the frameworks the number carries over as it is
    for a in FRAMEWORKS:
        for b in FRAMEWORKS:
            assert equivalent_weight_decay(a, b, 1e-3, 0.01) == pytest.approx(0.01, rel=1e-15)
    # PyTorch's default AdamW (lr 1e-3, lambda 1e-2) is the paper's lambda = 1e-5
    assert equivalent_weight_decay("pytorch", "loshchilov_hutter", 1e-3, 1e-2) == \
        pytest.approx(1e-5, rel=1e-15)
    assert equivalent_weight_decay("loshchilov_hutter", "keras", 1e-3, 1e-5) == \
        pytest.approx(1e-2, rel=1e-15)
    # there and back
    lam = equivalent_weight_decay("optax", "loshchilov_hutter", 0.02, 0.3)
    assert equivalent_weight_decay("loshchilov_hutter", "optax", 0.02, lam) == \
        pytest.approx(0.3, rel=1e-15)
    # the translated decays shrink alike at every factor of a schedule
    for factor in (0.0, 0.1, 1.0):
        assert decoupled_shrink("loshchilov_hutter", 0.02, lam, factor) == pytest.approx(
            decoupled_shrink("optax", 0.02, 0.3, factor), rel=1e-15)


def loshchilov_hutter(grads, theta, alpha, lam, factors, beta1=0.9, beta2=0.999, eps=1e-8):
    """Algorithm 2 of Loshchilov & Hutter (ICLR 2019), "Adam with decoupled weight decay",
    line by line: eta_t is the schedule multiplier at step t."""
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    out = [theta]
    for t, (g, eta) in enumerate(zip(grads, factors), 1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
        theta = theta - eta * (alpha * m_hat / (np.sqrt(v_hat) + eps) + lam * theta)
        out.append(theta)
    return np.stack(out)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_translated_decay_runs_the_papers_algorithm_2(framework):
    """The paper's lambda, translated, gives its Algorithm 2 under a schedule (eps tiny
    against these gradients, so Keras's epsilon hat does not matter to 1e-9; MLX with its
    correction on, as the paper's)."""
    alpha, lam = 0.01, 1e-3
    factors = np.linspace(1.0, 0.1, len(GRADS))
    wd = equivalent_weight_decay("loshchilov_hutter", framework, alpha, lam)
    opt = FrameworkAdamW(framework, lr=alpha, weight_decay=wd, eps=1e-14, bias_correction=True)
    grads = GRADS[:, :, 1:]   # the columns whose gradients dwarf eps
    ours = trajectory(opt, grads, START[:, 1:], rates=alpha * factors)
    paper = loshchilov_hutter(grads, START[:, 1:], alpha, lam, factors, eps=1e-14)
    assert relative_error(ours, paper) <= (1e-12 if framework != "keras" else 1e-9)


@pytest.mark.parametrize("call, message", [
    (lambda: decoupled_shrink("tf", 1e-3, 0.1), "convention must be one of 'pytorch'"),
    (lambda: decoupled_shrink("keras", 1e-3, -0.1), "weight_decay must be in [0, inf)"),
    (lambda: decoupled_shrink("keras", 1e-3, 0.1, -1), "schedule_factor must be"),
    (lambda: equivalent_weight_decay("keras", "loshchilov_hutter", 0.0, 0.1),
     "alpha (the learning rate) must be in (0, inf)"),
])
def test_translation_validation(call, message):
    with pytest.raises(ValueError) as err:
        call()
    assert message in str(err.value)


# --- the paper's Algorithm 1 --------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [{}, {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6},
                                    {"lr": 0.01, "beta1": 0.0}])
def test_algorithm_1_equals_optim_adam_over_200_steps(kwargs):
    adam = Adam(**kwargs)
    paper = adam_algorithm_1(GRADS, START, adam.lr, adam.beta1, adam.beta2, adam.eps)
    assert paper.shape == (201, 4, 3)
    assert relative_error(trajectory(adam), paper) <= 1e-12


def test_algorithm_1_with_a_gradient_function_equals_the_runner():
    surface = SURFACES["rosenbrock"]
    engine = run(surface, Adam(lr=0.01), [-1.0, 1.5], 200).positions
    paper = adam_algorithm_1(surface.grad, [-1.0, 1.5], alpha=0.01, steps=200)
    assert relative_error(engine, paper) <= 1e-12


def test_needs_no_framework():
    code = ("import sys, optim.conventions, optim.reference, tests.test_conventions; "
            "print(sorted({'torch', 'jax', 'optax', 'keras'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=pathlib.Path(__file__).parents[1], check=True)
    assert out.stdout.strip() == "[]"
