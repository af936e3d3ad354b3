"""AdaMax, NAdam, RAdam, Adafactor and Muon without torch: batches of settings, the
scheduled lr, state, internals, validation.  (Their numbers against torch.optim are in
test_torch_equivalence.py.)"""
import numpy as np
import pytest

from optim import SGD, Adafactor, Adagrad, Adam, Adamax, AdamW, Muon, NAdam, RAdam, RMSProp
from optim.base import State, state_numbers, state_slots
from optim.matrix_optimizers import newton_schulz
from optim.runner import run
from optim.surfaces import SURFACES

RNG = np.random.default_rng(7)
VECTOR_GRADS = RNG.normal(size=(40, 3)) * [0.1, 1.0, 10.0] + [0.5, -0.2, 0.0]
MATRIX_GRADS = RNG.normal(size=(30, 5, 3)) + 0.2


def column(values):
    """One value per run of a batch of vectors: shape (K, 1)."""
    return np.array(values, dtype=np.float64)[:, None]


def per_matrix(values):
    """One value per run of a batch of matrices: shape (K, 1, 1)."""
    return np.array(values, dtype=np.float64)[:, None, None]


def steps(opt, params, grads, lr=None, internals=False):
    """``opt`` over ``grads`` (the same for every run of a batch), in place."""
    params = np.array(params, dtype=np.float64)
    state, inside = opt.init(params), None
    for g in grads:
        g = np.broadcast_to(g, params.shape)
        state, inside = opt.update_inplace(params, g, state, internals=internals, lr=lr)
    return params, state, inside


# every hyperparameter that may be an array, three settings each (RAdam's beta2 = 0.6
# never rectifies, 0.9 from step 6 on, 0.999 after 5 steps: each run picks its branch)
NADAM_SETTINGS = dict(lr=[2e-3, 0.02, 0.1], beta1=[0.0, 0.8, 0.9], beta2=[0.5, 0.99, 0.999],
                      eps=[1e-8, 1e-3, 0.1], weight_decay=[0.0, 0.1, 0.5],
                      momentum_decay=[0.0, 4e-3, 0.1])
RADAM_SETTINGS = dict(lr=[1e-3, 0.02, 0.1], beta1=[0.0, 0.8, 0.9], beta2=[0.6, 0.9, 0.999],
                      eps=[1e-8, 1e-3, 0.1], weight_decay=[0.0, 0.1, 0.5])
ELEMENTWISE_BATCHES = [
    (Adamax, dict(lr=[2e-3, 0.02, 0.1], beta1=[0.0, 0.8, 0.9], beta2=[0.5, 0.99, 0.999],
                  eps=[1e-8, 1e-3, 0.1], weight_decay=[0.0, 0.1, 0.5]), {}),
    (NAdam, NADAM_SETTINGS, {}),
    (NAdam, NADAM_SETTINGS, {"decoupled_weight_decay": True}),
    (RAdam, RADAM_SETTINGS, {}),
    (RAdam, RADAM_SETTINGS, {"decoupled_weight_decay": True}),
]
MATRIX_BATCHES = [
    (Adafactor, dict(lr=[1e-2, 0.2, 0.5], beta2_decay=[-0.8, -0.5, 0.0],
                     eps1=[1e-30, 1e-6, 1e-3], eps2=[1e-3, 0.1, 2.0], d=[1.0, 1.5, 10.0],
                     weight_decay=[0.0, 0.1, 0.5])),
    (Muon, dict(lr=[1e-3, 0.02, 0.1], weight_decay=[0.0, 0.1, 0.5],
                momentum=[0.0, 0.9, 0.95], eps=[1e-7, 1e-3, 10.0])),
]


@pytest.mark.parametrize("cls, settings, extra", ELEMENTWISE_BATCHES)
def test_a_batch_of_settings_equals_separate_runs(cls, settings, extra):
    batched = cls(**{k: column(v) for k, v in settings.items()}, **extra)
    params, state, inside = steps(batched, np.tile([1.0, -2.0, 0.5], (3, 1)), VECTOR_GRADS,
                                  internals=True)
    for i in range(3):
        single = cls(**{k: v[i] for k, v in settings.items()}, **extra)
        p, s, one = steps(single, [1.0, -2.0, 0.5], VECTOR_GRADS, internals=True)
        np.testing.assert_array_equal(params[i], p)
        np.testing.assert_array_equal(state.m[i], s.m)
        np.testing.assert_array_equal(state.v[i], s.v)
        for name in ("m_hat", "effective_lr", "step"):
            np.testing.assert_array_equal(getattr(inside, name)[i], getattr(one, name))


@pytest.mark.parametrize("cls, settings", MATRIX_BATCHES)
def test_a_batch_of_matrix_settings_equals_separate_runs(cls, settings):
    start = RNG.normal(size=(5, 3))
    batched = cls(**{k: per_matrix(v) for k, v in settings.items()})
    params, _, inside = steps(batched, np.broadcast_to(start, (3, 5, 3)), MATRIX_GRADS,
                              internals=True)
    for i in range(3):
        p, _, one = steps(cls(**{k: v[i] for k, v in settings.items()}), start,
                          MATRIX_GRADS, internals=True)
        np.testing.assert_array_equal(params[i], p)
        np.testing.assert_array_equal(inside.step[i], one.step)


@pytest.mark.parametrize("make", [lambda: Adafactor(), lambda: Muon(lr=0.02)])
def test_a_batch_of_matrices_equals_the_matrices_one_by_one(make):
    """Factoring and orthogonalising act on each matrix of a batch on its own (8 x 9:
    large enough for NumPy's pairwise sums, whose order must not depend on the batch)."""
    grads = RNG.normal(size=(20, 4, 8, 9))
    start = RNG.normal(size=(4, 8, 9))
    params = start.copy()
    opt = make()
    state = opt.init(start)
    for g in grads:
        state, _ = opt.update_inplace(params, g, state)
    for i in range(4):
        p, s = start[i].copy(), opt.init(start[i])
        for g in grads[:, i]:
            s, _ = opt.update_inplace(p, g, s)
        np.testing.assert_array_equal(params[i], p)


def test_muon_accepts_arrays_of_newton_schulz_coefficients():
    coefficients = [(3.4445, -4.7750, 2.0315), (1.5, -0.5, 0.0)]
    batched = Muon(ns_coefficients=tuple(per_matrix(c) for c in zip(*coefficients)))
    params, _, _ = steps(batched, np.zeros((2, 5, 3)), MATRIX_GRADS)
    for i, abc in enumerate(coefficients):
        np.testing.assert_array_equal(params[i], steps(Muon(ns_coefficients=abc),
                                                       np.zeros((5, 3)), MATRIX_GRADS)[0])


@pytest.mark.parametrize("make, params, grads", [
    (lambda lr: Adamax(lr, weight_decay=0.1), [1.0, -2.0, 0.5], VECTOR_GRADS),
    (lambda lr: NAdam(lr, weight_decay=0.1), [1.0, -2.0, 0.5], VECTOR_GRADS),
    (lambda lr: NAdam(lr, weight_decay=0.1, decoupled_weight_decay=True), [1.0, -2.0, 0.5],
     VECTOR_GRADS),
    (lambda lr: RAdam(lr, weight_decay=0.1), [1.0, -2.0, 0.5], VECTOR_GRADS),
    (lambda lr: RAdam(lr, weight_decay=0.1, decoupled_weight_decay=True), [1.0, -2.0, 0.5],
     VECTOR_GRADS),
    (lambda lr: Adafactor(lr, weight_decay=0.1), np.ones((5, 3)), MATRIX_GRADS),
    (lambda lr: Adafactor(lr, weight_decay=0.1, factored=False), [1.0, -2.0, 0.5],
     VECTOR_GRADS),
    (lambda lr: Muon(lr, weight_decay=0.1), np.ones((5, 3)), MATRIX_GRADS),
])
@pytest.mark.parametrize("batch", [False, True])
def test_the_lr_argument_acts_as_a_fresh_optimizer_with_that_lr(make, params, grads, batch):
    """Everything that uses the learning rate uses this step's: the step, decoupled
    decay, Adafactor's relative step min(lr, 1/sqrt(t)), Muon's adjusted rate."""
    lr = 0.05
    if batch:                                           # one rate per run of a batch
        params = np.broadcast_to(params, (2,) + np.shape(params))
        lr = np.array([0.05, 0.3]).reshape((2,) + (1,) * (params.ndim - 1))
    overridden = steps(make(1e-3), params, grads, lr=lr)[0]
    np.testing.assert_array_equal(overridden, steps(make(lr), params, grads)[0])


@pytest.mark.parametrize("make", [
    lambda lr: Adamax(lr), lambda lr: NAdam(lr), lambda lr: RAdam(lr),
    lambda lr: RAdam(lr, weight_decay=0.1, decoupled_weight_decay=True),
    lambda lr: Adafactor(lr, factored=False),
])
def test_runner_batches_equal_single_runs(make):
    """On a surface (params (*batch, 2), stored coordinate-major by the runner)."""
    s = SURFACES["rosenbrock"]
    rates = np.array([1e-3, 0.01, 0.05])
    batched = run(s, make(rates[:, None]), s.start, 100, internals=True)
    for i, lr in enumerate(rates):
        single = run(s, make(lr), s.start, 100, internals=True)
        np.testing.assert_array_equal(batched.positions[:, i], single.positions)
        for name, values in single.internals.items():
            np.testing.assert_array_equal(batched.internals[name][:, i], values)


@pytest.mark.parametrize("opt, shape, numbers", [
    (SGD(0.1), (4, 3), 0),
    (SGD(0.1, momentum=0.9), (4, 3), 12),
    (Adagrad(), (4, 3), 12),
    (RMSProp(), (4, 3), 12),
    (Adam(), (4, 3), 24),
    (Adam(amsgrad=True), (4, 3), 36),
    (AdamW(), (4, 3), 24),
    (Adamax(), (4, 3), 24),
    (NAdam(), (4, 3), 24),          # mu_product is one number per tensor: not counted
    (RAdam(), (4, 3), 24),
    (Adafactor(), (4, 3), 4 + 3),
    (Adafactor(), (100, 300), 100 + 300),
    (Adafactor(), (5, 100, 300), 5 * (100 + 300)),
    (Adafactor(), (7,), 7),
    (Adafactor(factored=False), (4, 3), 12),
    (Muon(), (4, 3), 12),
])
def test_state_numbers(opt, shape, numbers):
    assert state_numbers(opt, shape) == numbers


def test_state_slots_per_weight():
    assert [state_slots(o) for o in (SGD(0.1), Adam(), Adam(amsgrad=True), Adamax(), NAdam(),
                                     RAdam(), Muon(), Adafactor(factored=False))] == [
        0, 2, 3, 2, 2, 2, 1, 1]


@pytest.mark.parametrize("opt, params, grads", [
    (NAdam(), [1.0, 2.0], VECTOR_GRADS[:3, :2]),
    (Adafactor(), np.ones((5, 3)), MATRIX_GRADS[:3]),
    (Muon(), np.ones((5, 3)), MATRIX_GRADS[:3]),
])
def test_update_is_pure(opt, params, grads):
    state = opt.init(params)
    for g in grads:
        before = State(*[x.copy() if isinstance(x, np.ndarray) else x for x in state])
        kept = np.array(params, dtype=float)
        new_params, new_state = opt.update(params, g, state)
        np.testing.assert_array_equal(params, kept)
        for old, now in zip(before, state):
            np.testing.assert_array_equal(old, now)
        params, state = new_params, new_state


def test_state_copy_copies_every_array_field():
    state = State(3, m=np.ones(2), v=np.ones(2), row_var=np.ones((2, 1)),
                  col_var=np.ones((1, 2)), mu_product=np.ones(1), powers=(0.5, 0.5))
    copy = state.copy()
    for name in ("m", "v", "row_var", "col_var", "mu_product"):
        assert getattr(copy, name) is not getattr(state, name)
        np.testing.assert_array_equal(getattr(copy, name), getattr(state, name))
    assert copy.powers == state.powers and copy.t == 3


@pytest.mark.parametrize("opt", [Adamax(0.1), NAdam(0.1), RAdam(0.1), RAdam(0.1, beta2=0.9)])
def test_family_internals_are_consistent(opt):
    params, state = np.array([1.0, 1.0]), opt.init(np.zeros(2))
    for g in ([1.0, 3.0], [1.0, -3.0], [1.0, 3.0]) * 4:
        new, state, inside = opt.update(params, g, state, internals=True)
        np.testing.assert_allclose(inside.step, inside.effective_lr * inside.m_hat, rtol=1e-12)
        np.testing.assert_allclose(params - new, inside.step, rtol=1e-12)
        params = new


def test_radam_takes_momentum_steps_until_rho_exceeds_5():
    opt = RAdam(lr=0.1)
    params, state = np.zeros(1), opt.init(np.zeros(1))
    for t in range(1, 9):
        new, state, inside = opt.update(params, [2.0], state, internals=True)
        # a constant gradient: m_hat = 2; momentum steps are lr m_hat, adaptive ones
        # lr r_t m_hat / (|m_hat| + ...) with r_t < 1
        expected = 0.2 if t <= 5 else None
        if expected is not None:
            assert inside.step[0] == pytest.approx(expected, rel=1e-12)
        else:
            assert 0 < inside.step[0] < 0.1
        params = new


def test_adafactor_internals():
    opt = Adafactor(lr=0.1, weight_decay=0.0)
    params = RNG.normal(size=(5, 3))
    state = opt.init(params)
    for g in MATRIX_GRADS[:5]:
        new, state, inside = opt.update(params, g, state, internals=True)
        np.testing.assert_allclose(inside.step, inside.effective_lr * g, rtol=1e-12)
        np.testing.assert_allclose(params - new, inside.step, rtol=1e-12)
        # the factored estimate R C / mean(R) has the row means of the true average...
        np.testing.assert_allclose(inside.v.mean(axis=1, keepdims=True), state.row_var,
                                   rtol=1e-12)
        params = new
    assert state.row_var.shape == (5, 1) and state.col_var.shape == (1, 3) and state.v is None


def test_adafactor_first_step_is_the_sign_scaled_to_the_weights():
    """t = 1 on a vector: v = g^2, so U = sign(g), RMS(U) = 1 and the step is
    max(eps2, RMS(theta)) * min(lr, 1) along sign(g)."""
    params = np.array([3.0, -4.0, 0.0, 5.0])            # RMS = sqrt(50 / 4)
    new, _ = Adafactor(lr=0.1).update(params, [0.5, -2.0, 1e-3, 7.0],
                                      Adafactor().init(params))
    np.testing.assert_allclose(params - new, 0.1 * np.sqrt(12.5) * np.array([1, -1, 1, 1]),
                               rtol=1e-12)


def test_muon_step_is_nearly_orthogonal():
    g = RNG.normal(size=(6, 4))
    opt = Muon(lr=0.1, weight_decay=0.0, momentum=0.0, nesterov=False)
    params = np.zeros((6, 4))
    new, _, inside = opt.update(params, g, opt.init(params), internals=True)
    ratio = np.sqrt(6 / 4)                              # "original": sqrt(max(1, rows/cols))
    np.testing.assert_allclose(inside.effective_lr, 0.1 * ratio)
    singular = np.linalg.svd(-new / (0.1 * ratio), compute_uv=False)
    assert np.all((singular > 0.6) & (singular < 1.25))   # the quintic's band, not exactly 1
    # the classic cubic iteration, run long enough, gives U V^T itself
    u, _, vt = np.linalg.svd(g, full_matrices=False)
    np.testing.assert_allclose(newton_schulz(g, (1.5, -0.5, 0.0), 60), u @ vt, atol=1e-12)
    assert Muon(adjust_lr_fn="match_rms_adamw").lr_ratio(6, 4) == pytest.approx(
        0.2 * np.sqrt(6))
    assert Muon().lr_ratio(4, 6) == 1.0


def test_labels():
    assert [o.label for o in (Adamax(), NAdam(), NAdam(decoupled_weight_decay=True), RAdam(),
                              RAdam(decoupled_weight_decay=True), Adafactor(), Muon())] == [
        "AdaMax", "NAdam", "NAdamW", "RAdam", "RAdamW", "Adafactor", "Muon"]


@pytest.mark.parametrize("make, words", [
    (lambda: Adamax(beta1=1.0), "beta1 must be in [0, 1)"),
    (lambda: Adamax(beta2=-0.1), "beta2 must be in [0, 1) (the fraction of the old largest"),
    (lambda: Adamax(lr=-1), "alpha (the learning rate) must be"),
    (lambda: NAdam(eps=-1e-8), "eps must be"),
    (lambda: NAdam(momentum_decay=-0.1), "momentum_decay must be in [0, inf)"),
    (lambda: NAdam(decoupled_weight_decay="yes"), "decoupled_weight_decay must be True or"),
    (lambda: NAdam(weight_decay=column([0.1, -0.1])), "weight_decay must be"),
    (lambda: RAdam(beta2=1.0), "beta2 must be in [0, 1)"),
    (lambda: RAdam(lr=float("nan")), "got nan"),
    (lambda: RAdam(decoupled_weight_decay=1), "decoupled_weight_decay must be True or False"),
    (lambda: Adafactor(beta2_decay=0.5), "beta2_decay must be in (-inf, 0]"),
    (lambda: Adafactor(eps1=-1e-30), "eps1 must be in [0, inf)"),
    (lambda: Adafactor(eps2=-1), "eps2 must be in [0, inf)"),
    (lambda: Adafactor(d=0.5), "d must be in [1, inf) (the clipping threshold"),
    (lambda: Adafactor(weight_decay=-1), "weight_decay must be"),
    (lambda: Adafactor(factored="no"), "factored must be True or False"),
    (lambda: Adafactor(lr=np.array([0.1, 0.2])), "lr: an array of settings gives one value "
                                                 "per matrix, so its shape must end in (1, 1)"),
    (lambda: Adafactor(lr=np.array([0.1, 0.2]), factored=False), "shape must end in (1)"),
    (lambda: Adafactor().init(3.0), "Adafactor needs a vector or matrices"),
    (lambda: Muon(momentum=1.0), "momentum must be in [0, 1)"),
    (lambda: Muon(lr=-0.1), "alpha (the learning rate) must be"),
    (lambda: Muon(weight_decay=-0.1), "weight_decay must be"),
    (lambda: Muon(nesterov=None), "nesterov must be True or False"),
    (lambda: Muon(ns_coefficients=(1.0, 2.0)), "ns_coefficients must be three numbers"),
    (lambda: Muon(ns_coefficients=(1.0, float("inf"), 2.0)), "ns_coefficients b must be"),
    (lambda: Muon(ns_steps=100), "ns_steps must be a whole number from 0 to 99"),
    (lambda: Muon(ns_steps=2.5), "ns_steps must be a whole number"),
    (lambda: Muon(eps=-1.0), "eps must be"),
    (lambda: Muon(adjust_lr_fn="spectral"), "adjust_lr_fn must be None or 'original'"),
    (lambda: Muon(lr=column([0.1, 0.2])), "shape must end in (1, 1)"),
    (lambda: Muon().init(np.zeros(3)), "Muon works on matrices"),
])
def test_out_of_range_hyperparameters_explain_themselves(make, words):
    with pytest.raises(ValueError) as err:
        make()
    assert words in str(err.value)


@pytest.mark.parametrize("name", ["Adam", "AdamW", "Adamax", "NAdam", "RAdam", "Adafactor",
                                  "Muon", "Lion", "SGD", "Adagrad", "RMSProp"])
def test_matrix_state_numbers_equal_the_count_of_a_real_matrix(name):
    import optim
    from optim.base import matrix_state_numbers
    optimizer = getattr(optim, name)(0.1) if name == "SGD" else getattr(optim, name)()
    for rows, cols in ((64, 48), (7, 300), (1, 5)):
        assert matrix_state_numbers(optimizer, rows, cols) == state_numbers(optimizer,
                                                                            (rows, cols))
