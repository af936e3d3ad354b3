"""Lesson 9: coupled and decoupled decay, LoRA's first step, and the page."""
import numpy as np
import pytest

from explainers import where_it_leads as leads
from optim.models import full_regression, lora_regression
from tests import apptest
from tests.apptest import rerun


def test_coupled_decay_spares_the_steep_weight_and_decoupled_does_not():
    rates = leads.decay_rates(leads.decay_runs(0.1), 0.1)
    coupled, decoupled = rates["Adam + L2"], rates["AdamW"]
    assert np.all(coupled[:, 1] < coupled[:, 0] / 5)  # y (steep) barely decayed
    np.testing.assert_allclose(decoupled, leads.DECAY_ALPHA * 0.1)


@pytest.mark.parametrize("model", ["lora", "full"])
def test_regression_gradients_match_finite_differences(model):
    W0, X, Y, lora0 = leads.lora_problem(1)
    rng = np.random.default_rng(2)
    if model == "lora":
        params = lora0 + 0.1 * rng.normal(size=lora0.shape)
        f = lambda p: lora_regression(p, W0, X, Y, leads.RANK)  # noqa: E731
    else:
        params = W0.reshape(-1) + 0.1 * rng.normal(size=W0.size)
        f = lambda p: full_regression(p, X, Y, W0.shape)  # noqa: E731
    _, grad = f(params)
    for i in rng.choice(params.size, 8, replace=False):
        e = np.zeros_like(params)
        e[i] = 1e-6
        assert grad[i] == pytest.approx((f(params + e)[0] - f(params - e)[0]) / 2e-6, rel=1e-5,
                                        abs=1e-8)


def test_loras_first_adam_step_moves_b_by_alpha_and_a_not_at_all():
    runs = leads.lora_runs()
    table = leads.first_step_table(runs["LoRA (rank 2)"]["first_step"]).set_index("factor")
    assert table.iloc[0]["smallest |step| / α"] == pytest.approx(1.0, abs=1e-4)
    assert table.iloc[0]["largest |step| / α"] == pytest.approx(1.0, abs=1e-6)
    assert table.iloc[1]["largest |step| / α"] == 0.0
    sizes = leads.size_table(runs).set_index("fine-tuning")
    assert sizes.loc["LoRA (rank 2)", "trained numbers"] == leads.RANK * (leads.D + leads.K)
    assert sizes.loc["full fine-tuning", "Adam state (bytes, fp32)"] == leads.D * leads.K * 2 * 4
    assert sizes["final training loss"].max() < 0.01 * runs["LoRA (rank 2)"]["losses"][0]


def test_page():
    at = apptest.open_page("pages/where-it-leads.py")
    assert "AdamW removes 0.01 of both" in " ".join(m.value for m in at.markdown)
    at.select_slider(key="wd").set_value(0.01)
    at.slider(key="t").set_value(300)
    rerun(at)
    assert "At step 300" in " ".join(m.value for m in at.markdown)
    assert at.query_params["t"] == "300"


# -- the lesson's questions --------------------------------------------------------------

@pytest.mark.parametrize("weight_decay", leads.DECAY.options)
def test_coupled_decay_spares_the_weight_with_large_gradients_at_every_setting(weight_decay):
    rates = leads.decay_rates(leads.decay_runs(weight_decay), weight_decay)
    for t in (1, 100, leads.DECAY_STEPS):
        speed = leads.decay_speed(weight_decay, t)
        assert speed.answer == "slower"
        assert (speed.coupled_x, speed.coupled_y) == tuple(rates["Adam + L2"][t - 1])
        assert speed.ratio == pytest.approx(speed.coupled_x / speed.coupled_y)
        assert speed.decoupled_x == speed.decoupled_y == pytest.approx(0.1 * weight_decay)


def test_decay_speeds_within_the_margin_count_as_the_same():
    assert leads.decay_speed(0.1, 100, within=100).answer == "same"


def test_loras_first_step_question_agrees_with_the_table():
    first = leads.lora_first_step()
    table = leads.first_step_table(leads.lora_runs()["LoRA (rank 2)"]["first_step"])
    assert first.answer == "b_alpha" and first.a_max == 0.0
    assert first.b_min == pytest.approx(table.iloc[0]["smallest |step| / α"])
    assert first.b_grad_min < 0.01 < 1 < first.b_grad_max  # gradients of many sizes


def test_coupled_decay_alone_takes_alpha_per_step_whatever_lambda():
    pull = leads.coupled_pull(1e-3, 0.01, 100, 0.1)
    assert pull.answer == pytest.approx(1 - 100 * 1e-3, abs=0.005)
    assert pull.other == pytest.approx(pull.answer, abs=1e-4)
    assert pull.adamw == pytest.approx((1 - 1e-3 * 0.01) ** 100)


def test_adamw_shrinks_by_lr_times_weight_decay():
    assert leads.adamw_shrink(1e-3, 0.01).answer == pytest.approx(1e-5)


def test_lora_state_and_a_tiny_first_step():
    state = leads.lora_state(1024, 1024, 16)
    assert (state.answer, state.trained, state.full_state) == (2 * 16 * 2048, 16 * 2048,
                                                               2 * 1024 * 1024)
    step = leads.tiny_step(1e-6, 0.01)
    assert step.answer == pytest.approx(0.01 * 1e-6 / (1e-6 + 1e-8)) and step.sgd == 1e-8


def test_each_prediction_gates_what_follows_it():
    at = apptest.open_page("pages/where-it-leads.py", predicted=False)
    assert not apptest.figures(at)
    at.session_state["_progress"] = {"predictions": {"where_it_leads/decay": "same"},
                                     "checks": {}}
    rerun(at)
    assert len(apptest.figures(at)) == 1  # the decay figure; LoRA waits for its prediction
    assert at.radio(key="predict_where_it_leads_lora_first_step_answer")
