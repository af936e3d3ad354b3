"""Lesson 6's last section, whether adaptive methods generalize worse: the engine's new
pieces (the small network, the split, accuracy), the large-epsilon limit, the tuning, the
stored runs against a fresh run, the prediction's answer, and the section on the page."""
from dataclasses import dataclass

import numpy as np
import pytest

from explainers import generalization as gen
from explainers import paper_reproduced as paper
from explainers.plotly_dict import unpacked
from optim import SGD, Adam
from optim.datasets import split
from optim.models import MLPClassifier, SoftmaxClassifier, accuracy
from optim.schedules import Schedule
from optim.training import train
from tests import apptest
from tests.apptest import rerun

PAGE = "pages/paper-reproduced.py"


# -- the engine's new pieces ---------------------------------------------------------

def test_the_networks_gradient_is_the_loss_slope():
    model = MLPClassifier(5, 4, 3)
    rng = np.random.default_rng(1)
    params = rng.normal(size=(2, model.size))  # two runs at once
    X = np.hstack([rng.random((7, 4)), np.ones((7, 1))])
    y = rng.integers(0, 3, 7)
    loss, grad = model(params, X, y)
    numeric = np.zeros_like(params)
    for run in range(2):
        for i in range(model.size):
            step = np.zeros(model.size)
            step[i] = 1e-6
            numeric[run, i] = (model(params[run] + step, X, y)[0]
                               - model(params[run] - step, X, y)[0]) / 2e-6
    np.testing.assert_allclose(grad, numeric, atol=1e-8)
    assert loss.shape == (2,) and model.size == 5 * 4 + 5 * 3


def test_the_linear_classifier_is_the_lessons_softmax_regression():
    model = SoftmaxClassifier(3, 2)
    W = np.arange(6.0).reshape(3, 2) / 10
    X = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    assert model.logits(W, X).tolist() == (X @ W).tolist()
    assert accuracy(model.logits(W, X), np.array([1, 0])) == 0.5
    assert not model.init(0).any()


def test_a_split_covers_every_example_once_and_is_fixed_by_its_seed():
    train_, validation, test = split(100, (20, 10), seed=3)
    assert (len(train_), len(validation), len(test)) == (70, 20, 10)
    assert sorted(np.concatenate([train_, validation, test]).tolist()) == list(range(100))
    assert all((a == b).all() for a, b in zip(split(100, (20, 10), 3), (train_, validation, test)))
    assert not (split(100, (20, 10), 4)[2] == test).all()
    with pytest.raises(ValueError, match="leave examples"):
        split(10, (5, 5), 0)


# -- a large epsilon is momentum ---------------------------------------------------------

@dataclass(frozen=True)
class _Correction(Schedule):
    """m's bias correction as a schedule: 1 / (1 - beta1^t)."""
    beta1: float

    def _at(self, t):
        return 1 / (1 - self.beta1 ** t)


def test_adam_with_a_huge_epsilon_steps_as_momentum_sgd_on_the_digits():
    """Adam at eps = 1e4 and SGD with momentum beta1 at lr alpha (1 - beta1) / eps times
    m's correction 1/(1 - beta1^t): the same weights after 20 steps, to the size of
    sqrt(v_hat)/eps; without the correction the first steps differ by 1/(1 - beta1)."""
    model = gen.MODELS["network"].classifier
    X, y = gen.digits(0).train
    alpha, beta1, eps = 100.0, 0.9, 1e4
    start = model.init(0)[None]

    def run(optimizer, schedule=None):
        return train(model, optimizer, start, X, y, param_rank=1, steps=20, batch_size=128,
                     seeds=(0,), schedule=schedule).params

    adam = run(Adam(alpha, beta1, 0.999, eps))
    rate = alpha * (1 - beta1) / eps
    momentum = run(SGD(rate, momentum=beta1), _Correction(beta1))
    moved = np.abs(adam - start).max()
    assert moved > 1e-3  # the runs went somewhere
    assert np.abs(adam - momentum).max() < 1e-5 * moved
    plain = run(SGD(rate, momentum=beta1))  # the correction left out: not the same
    assert np.abs(adam - plain).max() > 0.1 * moved


@pytest.mark.parametrize("alpha, beta1, eps", [(1e-3, 0.9, 1e-2), (0.5, 0.99, 1.0),
                                               (1.0, 0.0, 10.0)])
def test_the_large_epsilon_rate_is_alpha_one_minus_beta1_over_epsilon(alpha, beta1, eps):
    result = paper.large_eps_rate(alpha, beta1, eps, steps=2000)
    assert result.answer == pytest.approx(alpha * (1 - beta1) / eps, rel=1e-5)
    assert result.first == pytest.approx(alpha / eps, rel=1e-5)  # the correction at t = 1
    assert result.alpha_over_eps == alpha / eps


# -- the runs ----------------------------------------------------------------------------

def _grid(val_loss, accuracy_=None) -> gen.Grid:
    val = np.array(val_loss, dtype=float)
    acc = np.zeros_like(val) if accuracy_ is None else np.array(accuracy_, dtype=float)
    return gen.Grid((1e-8,), val, val, val, acc, np.ones_like(val))


def test_the_tuned_alpha_is_the_grids_argmin_of_the_mean_validation_loss():
    grid = _grid([[[0.5, 0.2, 0.3]], [[0.5, 0.4, 0.1]]])  # means 0.5, 0.3, 0.2
    assert grid.tuned.tolist() == [2]
    assert grid.at_tuned("val_loss").tolist() == [[0.3], [0.1]]
    grid = _grid([[[0.5, 0.2, np.inf]], [[0.5, 0.3, 0.1]]])  # one diverged seed rules it out
    assert grid.tuned.tolist() == [1]


def test_the_stored_runs_hold_what_the_engine_makes():
    """A fresh run of the cheap settings (logistic regression, momentum, and Adam at the
    default epsilon) gives the stored numbers; every stored tuned alpha is its grid's
    argmin and none sits at an end of the grid."""
    adam, momentum = gen.grids("linear")
    fresh_adam = gen.run_grid("linear", "adam", epsilons=(1e-8,))
    fresh_momentum = gen.run_grid("linear", "momentum")
    for field in gen.FIELDS:
        np.testing.assert_allclose(getattr(fresh_adam, field), getattr(adam, field)[:, :1],
                                   rtol=1e-12, err_msg=field)
        np.testing.assert_allclose(getattr(fresh_momentum, field), getattr(momentum, field),
                                   rtol=1e-12, err_msg=field)
    assert set(gen._stored()) == {f"{m}/{o}" for m in gen.MODELS for o in gen.OPTIMIZERS}
    for model in gen.MODELS:
        for grid in gen.grids(model):
            means = grid.val_loss.mean(axis=0)
            assert (grid.tuned == means.argmin(axis=-1)).all()
            assert 0 < grid.tuned.min() and grid.tuned.max() < len(gen.ALPHAS) - 1
            assert np.isfinite(grid.at_tuned("test_loss")).all()
            assert grid.test_accuracy.shape == (len(gen.SEEDS), max(len(grid.epsilons), 1),
                                                len(gen.ALPHAS))


def test_large_epsilon_adam_is_stripped_of_adaptivity_and_small_epsilon_is_not():
    for model in gen.MODELS:
        adaptive = gen.grids(model)[0].at_tuned("adaptivity").mean(axis=0)
        assert adaptive[0] > 0.99 and adaptive[-1] < 1e-3
        assert (np.diff(adaptive) <= 1e-9).all()  # it falls as epsilon grows


def test_the_summary_quotes_the_runs():
    s = gen.summary("network")
    adam, momentum = gen.grids("network")
    acc = 100 * momentum.at_tuned("test_accuracy")[:, 0]
    assert s.momentum == pytest.approx(acc.mean()) and s.momentum_low == pytest.approx(acc.min())
    assert s.adam_low <= s.adam_high
    assert (s.train, s.validation, s.test) == (1077, 360, 360)
    assert s.weights == 65 * 32 + 33 * 10 and gen.summary("linear").weights == 650
    assert s.one_digit == pytest.approx(100 / 360)
    assert s.limit_rate == pytest.approx(s.limit_alpha * 0.1 / gen.EPSILONS[-1])
    assert s.first_boost == pytest.approx(10)


def test_the_table_has_a_row_per_epsilon_and_one_for_momentum():
    table = gen.table("linear")
    assert len(table) == len(gen.EPSILONS) + 1
    assert table["optimizer"].iloc[-1] == gen.MOMENTUM_ROW
    rates = table["as SGD: α(1−β₁)/ε"]
    assert rates.iloc[0] == "—" and rates.iloc[len(gen.EPSILONS) - 1] != "—"
    assert not table.isna().any().any() and not table.apply(
        lambda c: c.str.contains("nan|inf", case=False)).any().any()


def test_the_figure_shows_tuned_adam_against_momentum():
    figure = gen.figure("network")
    apptest.assert_finite(figure)
    adam = figure["data"][0]
    adam_grid, momentum = gen.grids("network")
    means = 100 * adam_grid.at_tuned("test_accuracy").mean(axis=0)
    np.testing.assert_allclose(unpacked(adam["y"]), means, atol=1e-6)
    assert adam["x"] == list(gen.EPSILONS)
    band = figure["data"][1]["y"]
    acc = 100 * momentum.at_tuned("test_accuracy")[:, 0]
    assert band[0] == pytest.approx(acc.max()) and band[-1] == pytest.approx(acc.min())
    limit = figure["data"][-1]  # Adam at the largest epsilon, placed at SGD's rate
    np.testing.assert_allclose(limit["x"], np.array(gen.ALPHAS) * 0.1 / gen.EPSILONS[-1])


# -- the prediction -------------------------------------------------------------------------

def test_the_prediction_is_answered_seed_by_seed(monkeypatch):
    def fake(adam_acc, momentum_acc):
        adam = gen.Grid((1e-8,), *([np.zeros((3, 1, 1))] * 3),
                        np.array(adam_acc, float).reshape(3, 1, 1), np.ones((3, 1, 1)))
        momentum = gen.Grid((), *([np.zeros((3, 1, 1))] * 3),
                            np.array(momentum_acc, float).reshape(3, 1, 1), np.zeros((3, 1, 1)))
        monkeypatch.setattr(gen, "grids", lambda model: (adam, momentum))
        return paper.adam_vs_momentum("linear")

    assert fake([0.9, 0.9, 0.9], [0.95, 0.91, 0.92]).answer == "momentum"
    assert fake([0.96, 0.92, 0.93], [0.95, 0.91, 0.92]).answer == "adam"
    result = fake([0.96, 0.91, 0.90], [0.95, 0.91, 0.92])
    assert (result.answer, result.adam_ahead, result.momentum_ahead, result.even) == (
        "neither", 1, 1, 1)


@pytest.mark.parametrize("model", list(gen.MODELS))
def test_the_prediction_at_the_page_setting(model):
    result = paper.adam_vs_momentum(model)
    adam, momentum = gen.grids(model)
    a, m = adam.at_tuned("test_accuracy")[:, 0], momentum.at_tuned("test_accuracy")[:, 0]
    assert result.adam_ahead == (a > m).sum() and result.momentum_ahead == (a < m).sum()
    assert result.answer == ("adam" if (a > m).all() else "momentum" if (a < m).all()
                             else "neither")
    assert result.adam == pytest.approx(100 * a.mean())


# -- the page -------------------------------------------------------------------------------

def _section(at):
    """The section's chart (keyed ``generalization``) and its table (the last dataframe)."""
    charts = [c for c in at.get("plotly_chart") if "generalization" in c.proto.id]
    return apptest.figures(at)[-1] if charts else None, at.dataframe[-1].value


def test_the_section_asks_before_it_shows_and_both_models_draw():
    at = apptest.open_page(PAGE, {"gen_model": "linear"})
    figure, table = _section(at)
    assert figure["layout"]["title"]["text"] == gen.MODELS["linear"].label
    assert len(table) == len(gen.EPSILONS) + 1
    assert at.subheader[-2].value == "Do adaptive methods generalize worse?"
    s = gen.summary("linear")
    assert any(f"on {s.adam_ahead} of the {s.seeds} splits" in m.value for m in at.markdown)
    at.radio(key="gen_model").set_value("network")
    rerun(at)
    assert "gen_model" not in at.query_params  # the default leaves the link
    figure, table = _section(at)
    assert figure["layout"]["title"]["text"] == gen.MODELS["network"].label
    assert table["α"].tolist() == gen.table("network")["α"].tolist()


def test_a_bad_model_in_the_link_gets_a_notice_not_a_traceback():
    at = apptest.open_page(PAGE, {"gen_model": "transformer"})
    assert "transformer" in at.warning[0].value and "network" in at.warning[0].value
    assert at.radio(key="gen_model").value == gen.MODEL.default


def test_the_prediction_comes_before_the_chart():
    at = apptest.open_page_before(PAGE, "paper_reproduced/generalization")
    assert not [c for c in at.get("plotly_chart") if "generalization" in c.proto.id]
    key = "predict_paper_reproduced_generalization"
    at.radio(key=f"{key}_answer").set_value("momentum")
    at.button(key=f"FormSubmitter:{key}-Lock in my prediction").click()
    rerun(at)
    truth = paper.adam_vs_momentum(gen.MODEL.default)
    verdict = (at.success if truth.answer == "momentum" else at.warning)[0].value
    assert "SGD with momentum, on every split" in verdict
    assert _section(at)[0] is not None and at.subheader[-1].value == "Check yourself"
