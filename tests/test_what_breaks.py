"""Lesson 8: the Reddi problem, epsilon, memory, and the page."""
import numpy as np
import pytest

from explainers import what_breaks as bk
from explainers import what_breaks as breaks
from optim import Adam
from optim.online import gradient, run_online
from tests import apptest
from tests.apptest import rerun


def test_the_online_losses_sum_to_10x_per_period():
    assert sum(gradient(t) for t in range(1, 102)) == pytest.approx(10.0)


def test_adam_drifts_to_the_worst_point_and_amsgrad_heads_to_the_best():
    runs = breaks.reddi(beta1=0.9, beta2=0.99, alpha=1.0)
    adam_x, _, _ = runs["Adam"]
    ams_x, ams_v, ams_vmax = runs["AMSGrad"]
    assert adam_x[-1] > 0.8 and adam_x[-1000:].mean() > 0.8
    assert ams_x[-1] < -0.5
    assert np.all(np.diff(ams_vmax) >= 0) and np.all(ams_vmax >= ams_v)


def test_a_longer_memory_rescues_adam_here():
    x, _, _ = run_online(Adam(1.0, 0.9, 0.999), breaks.ONLINE_STEPS, breaks.ONLINE_SCHEDULE)
    assert x[-1] < 0


def test_memory_of_a_70b_model():
    table = breaks.memory_table(70e9, 4).set_index("optimizer")["optimizer state (GB)"]
    assert table["Adam"] == pytest.approx(560.0)
    assert table["SGD"] == 0 and table["SGD + momentum"] == pytest.approx(280.0)
    assert breaks.memory_table(70e9, 2).set_index("optimizer").loc["Adam"].iloc[-1] == 280.0


def test_large_eps_turns_adam_into_sgd_with_momentum():
    sweep = breaks.eps_sweep()
    share = sweep["adaptive share of the step"].to_numpy()
    assert share[0] > 0.999 and share[-1] < 0.05
    assert np.all(np.diff(share) <= 1e-12)
    assert sweep["final loss"].iloc[-1] > 100 * sweep["final loss"].iloc[0]


def test_page():
    at = apptest.open_page("pages/what-breaks.py")
    text = " ".join(m.value for m in at.markdown)
    assert "Adam is at **x = +0.9" in text and "AMSGrad at **x = -0." in text
    assert "**560 GB**" in text
    at.selectbox(key="precision").set_value("bf16 (2 bytes)")
    at.selectbox(key="model").set_value("7B")
    rerun(at)
    assert "**28 GB**" in " ".join(m.value for m in at.markdown)
    at.select_slider(key=bk.BETA2.key).set_value(0.999)
    rerun(at)
    assert at.query_params[bk.BETA2.key] == "0.999"


def test_the_reddi_figure_is_animated_along_the_runs():
    runs = breaks.reddi(beta1=0.9, beta2=0.99, alpha=1.0, steps=500)
    fig = breaks.reddi_figure(runs)
    last = fig["frames"][-1]
    assert last["name"] == "500" and len(last["traces"]) == 4
    assert last["data"][0]["y"] == [round(float(runs["Adam"][0][500]), 4)]
    assert [b["label"] for b in fig["layout"]["updatemenus"][0]["buttons"]] == ["Play", "Pause"]


def test_reduced_motion_slows_the_reddi_animation():
    normal = apptest.figures(apptest.open_page("pages/what-breaks.py"))[0]
    calm = apptest.figures(apptest.open_page("pages/what-breaks.py",
                                             screen={"reduced_motion": True}))[0]
    duration = [f["layout"]["updatemenus"][0]["buttons"][0]["args"][1]["frame"]["duration"]
                for f in (normal, calm)]
    assert duration == [60, 160]


# -- the lesson's questions --------------------------------------------------------------

@pytest.mark.parametrize("beta1, beta2, alpha, answer", [
    (0.9, 0.99, 1.0, "plus"),  # the paper's betas: the worst point
    (0.9, 0.999, 1.0, "between"),
    (0.99, 0.999, 1.0, "minus"),
])
def test_where_adam_ends_follows_the_settings(beta1, beta2, alpha, answer):
    end = breaks.adam_end(beta1, beta2, alpha)
    x, _, _ = run_online(Adam(alpha, beta1, beta2), breaks.ONLINE_STEPS, breaks.ONLINE_SCHEDULE)
    assert end.answer == answer
    assert end.x == f"{x[-1]:+.2f}".replace("-", "−")


def test_v_forgets_the_large_gradient_faster_the_smaller_beta2():
    left = [breaks.adam_end(0.9, beta2, 1.0).v_left for beta2 in (0.9, 0.99, 0.999)]
    assert left[0] < left[1] < left[2] < 1
    assert left[1] == pytest.approx(0.99 ** 100, abs=0.01)  # the small gradients add a little


def test_the_share_of_v_left_is_beta2_to_the_steps():
    forgetting = breaks.v_left_after(0.99, 100)
    assert forgetting.answer == pytest.approx(0.99 ** 100)
    assert forgetting.forgotten == pytest.approx(1 - 0.99 ** 100) and forgetting.linear == 0


def test_only_a_longer_memory_rescues_adam_at_the_papers_betas():
    rescue = breaks.rescue()
    assert rescue.answer == "beta2"
    assert rescue.base.startswith("+") and rescue.beta2_x.startswith("−")


def test_a_large_eps_shortens_the_first_step():
    step = breaks.eps_step(1e-5, 1e-4)
    assert step.answer == pytest.approx(1e-5 / (1e-5 + 1e-4))
    assert step.no_eps == pytest.approx(1.0) and step.eps_only == pytest.approx(0.1)


def test_memory_questions():
    assert breaks.adam_memory(70, 4).answer == pytest.approx(560.0)
    assert breaks.adam_memory(70, 4).weights_gb == pytest.approx(280.0)
    saving = breaks.momentum_saving(70, 2)
    assert (saving.answer, saving.adam_gb, saving.fp32_adam_gb) == pytest.approx((140, 280, 560))


def test_each_prediction_gates_what_follows_it():
    at = apptest.open_page("pages/what-breaks.py", predicted=False)
    assert not apptest.figures(at) and not at.dataframe
    at.session_state["_progress"] = {"predictions": {"what_breaks/adam_end": "plus"},
                                     "checks": {}}
    rerun(at)
    assert len(apptest.figures(at)) == 1  # the Reddi figure; then the map asks
    at.session_state["_progress"]["predictions"]["what_breaks/map"] = "condition"
    rerun(at)
    assert len(apptest.figures(at)) == 3  # the map and the epsilon sweep...
    assert not any("optimizer state (GB)" in d.value.columns for d in at.dataframe)
    assert at.select_slider(key="predict_what_breaks_memory_answer")  # ...then memory asks


@pytest.mark.parametrize("alpha", (0.1, 1.0))
def test_the_map_is_the_batched_online_run_and_says_where_adam_goes_wrong(alpha):
    ends = breaks.reddi_map(alpha)
    i, j = 5, 20  # one cell, run alone
    adam = Adam(alpha, breaks.MAP_BETA1S[j], breaks.MAP_BETA2S[i])
    x, _, _ = run_online(adam, breaks.ONLINE_STEPS, breaks.ONLINE_SCHEDULE)
    assert ends[i, j] == pytest.approx(x[-101:].mean(), abs=1e-12)
    summary = breaks.map_summary(alpha)
    assert summary.answer == "small_beta2" and summary.wrong_below > summary.wrong / 2
    assert (ends[breaks.MAP_BETA2S >= float(summary.beta2_safe)] <= breaks.WRONG).all()
    figure = breaks.reddi_map_figure(alpha, 0.9, 0.99)
    apptest.assert_finite(figure)


@pytest.mark.parametrize("setting", [(0.9, 0.99, 1.0), (0.0, 0.9999, 0.1), (0.99, 0.9, 2.0)])
def test_the_batched_grid_holds_each_run_as_it_is_alone(setting):
    beta1, beta2, alpha = setting
    looked_up = breaks.reddi(beta1, beta2, alpha)
    for name, amsgrad in (("Adam", False), ("AMSGrad", True)):
        alone = run_online(Adam(alpha, beta1, beta2, amsgrad=amsgrad), breaks.ONLINE_STEPS,
                           breaks.ONLINE_SCHEDULE)
        for got, want in zip(looked_up[name], alone):
            np.testing.assert_array_equal(got, want)
    assert len(breaks.reddi_grid()["settings"]) == 80


def test_the_reddi_figure_on_a_slide_keeps_its_panels_above_the_scrubber_and_buttons():
    runs = breaks.reddi(beta1=0.9, beta2=0.99, alpha=1.0, steps=500)
    layout = breaks.reddi_figure(runs, projector=(480, 1.3))["layout"]
    assert layout["height"] == 480 and layout["font"]["size"] == 20
    buttons, scrubber = layout["updatemenus"][0], layout["sliders"][0]
    assert buttons["x"] == 0 < scrubber["x"] and scrubber["x"] + scrubber["len"] == 1
    assert 0 < buttons["y"] < scrubber["y"] < layout["yaxis2"]["domain"][0]
    assert layout["yaxis2"]["domain"][1] < layout["yaxis"]["domain"][0]
