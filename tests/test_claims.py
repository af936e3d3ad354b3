"""The claims the lessons make, each pinned by the engine: if one became false, its
sentence on screen would be false too."""
import numpy as np
import pytest

from explainers import bias_correction as bc
from explainers import where_it_leads as leads
from explainers.foggy_hiker import step_bound
from optim import Adam, AdamW


def test_the_step_bound_is_reached_only_in_the_sparse_case():
    bound = step_bound()
    assert bound.sparse_bound == pytest.approx(3.1623, abs=1e-4)  # (1 - 0.9) / sqrt(0.001)
    assert bound.sparse_step == pytest.approx(bound.sparse_bound, rel=1e-4)
    adam = Adam(1.0)  # a steady gradient: every step at most alpha
    params, state = np.zeros(1), adam.init(np.zeros(1))
    for _ in range(200):
        params, state, inside = adam.update(params, np.full(1, 7.0), state, internals=True)
        assert abs(inside.step[0]) <= 1.0 + 1e-12


@pytest.mark.parametrize("g", [1e-3, -0.5, 40.0])
def test_a_constant_gradient_gives_a_constant_effective_learning_rate_alpha_over_g(g):
    adam = Adam(1e-3, eps=1e-8)
    params, state = np.zeros(1), adam.init(np.zeros(1))
    for _ in range(50):
        params, state, inside = adam.update(params, np.full(1, g), state, internals=True)
        assert inside.effective_lr[0] == pytest.approx(1e-3 / (abs(g) + 1e-8), rel=1e-9)


def test_the_first_step_is_alpha_in_every_coordinate():
    adam = Adam(1e-3)
    params = np.zeros(3)
    new, _ = adam.update(params, np.array([0.1, -0.5, 0.3]), adam.init(params))
    np.testing.assert_allclose(new, [-1e-3, 1e-3, -1e-3], rtol=1e-6)


def test_vs_correction_lasts_thousands_of_steps_and_ms_a_few_dozen():
    fading = bc.fading()
    assert fading.v_at_300 == pytest.approx(3.86, abs=0.01)
    assert fading.v_at_1000 == pytest.approx(1.58, abs=0.01)
    assert fading.keras_eps == pytest.approx(31.62, abs=0.01)
    m_factor = bc.constant_gradient_run(Adam(1e-3), 60).set_index("t")["m̂ / m"]
    assert m_factor[30] < 1.05  # 3 / (1 - 0.9) = 30 steps


def test_no_correction_makes_the_first_step_larger_not_smaller():
    first = bc.first_steps_at_defaults()
    assert first.none == pytest.approx(3.162, abs=1e-3)
    assert first.m_only == pytest.approx(31.62, abs=1e-2)
    assert first.v_only == pytest.approx(0.1, abs=1e-6)


def test_coupled_l2_is_divided_by_sqrt_v_hat_and_decoupled_decay_is_not():
    rates = leads.decay_rates(leads.decay_runs(0.1), 0.1)
    gentle, steep = rates["Adam + L2"][99]  # step 100 on the elongated bowl
    assert steep < 0.2 * gentle  # the steep weight is decayed far less
    assert rates["AdamW"][99][0] == rates["AdamW"][99][1]
    adamw = AdamW(1e-2, weight_decay=0.1)  # and the engine's AdamW does multiply by 1 - αλ
    theta = np.array([2.0, -3.0])
    new, _ = adamw.update(theta, np.zeros(2), adamw.init(theta))
    np.testing.assert_allclose(new, theta * (1 - 1e-2 * 0.1), rtol=1e-15)
