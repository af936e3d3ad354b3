r"""Lesson 6's last section: do adaptive methods generalize worse?

Wilson et al. (NeurIPS 2017) found tuned SGD with momentum ahead of Adam on test data;
Choi et al. (2019) found that Adam, with its :math:`\epsilon` tuned together with
:math:`\alpha`, is never worse. Here both are tried on the digits the lesson ships. Each
seed splits them its own way into training, validation and test examples, and gives every
run its minibatch order and start. Adam runs at every :math:`\epsilon` of ``EPSILONS``,
each with the :math:`\alpha` of ``ALPHAS`` that gives the lowest validation loss (mean
over the seeds), against SGD with momentum tuned on the same grid.

Why a large :math:`\epsilon` turns Adam into SGD with momentum: with
:math:`m_t = (1-\beta_1)\sum_{s \le t} \beta_1^{t-s} g_s` and torch's momentum buffer
:math:`b_t = \sum_{s \le t} \beta_1^{t-s} g_s`, Adam's step is

.. math::
    \frac{\alpha\, \hat m_t}{\sqrt{\hat v_t} + \epsilon}
    = \frac{\alpha (1-\beta_1)}{(1-\beta_1^t)(\sqrt{\hat v_t} + \epsilon)}\, b_t
    \;\to\; \frac{\alpha (1-\beta_1)}{\epsilon}\, b_t
    \quad (\epsilon \gg \sqrt{\hat v_t},\ \beta_1^t \approx 0),

SGD with momentum :math:`\beta_1` at learning rate :math:`\alpha(1-\beta_1)/\epsilon`
(:func:`large_eps_rate` measures it with the engine). All the runs of one optimizer on one
model are one batched run per seed (epsilons x alphas), 30 to 60 seconds in all, so
``scripts/make_paper_runs.py`` keeps them in ``assets/generalization-runs.json`` and a
test checks them against a fresh run.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from optim import SGD, Adam
from optim.datasets import load_digits, split
from optim.models import MLPClassifier, SoftmaxClassifier, accuracy
from optim.training import train

from .palette import RACER_COLOURS
from .plotly_dict import chart_layout
from .url_state import Choice

ASSETS = Path(__file__).resolve().parents[1] / "assets"
RUNS_FILE = ASSETS / "generalization-runs.json"
HELD_OUT = (360, 360)  # validation, test: the rest of the 1,797 digits trains
SEEDS = (0, 1, 2, 3, 4)
EPOCHS, BATCH = 50, 128
BETA1, BETA2 = 0.9, 0.999  # Adam's defaults; SGD's momentum is beta1, for the limit
EPSILONS = (1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0)
ALPHAS = (1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)


@dataclass(frozen=True)
class Model:
    key: str
    label: str
    classifier: object  # optim.models.SoftmaxClassifier or MLPClassifier


NETWORK = MLPClassifier(65, 32, 10)  # 64 pixels and the constant 1; 10 digits
MODELS = {m.key: m for m in (
    Model("network", f"Small network (one hidden layer of {NETWORK.hidden} ReLU units)",
          NETWORK),
    Model("linear", "Logistic regression (the lesson's model)", SoftmaxClassifier(65, 10)),
)}
MODEL = Choice("gen_model", "Model", "network", options=tuple(MODELS),
               names={k: m.label for k, m in MODELS.items()}, widget="radio",
               help="Which classifier the optimizers train on the digits.")


@dataclass(frozen=True)
class Digits:
    """One split of the digits: (X, y) for training, validation and test."""
    train: tuple[np.ndarray, np.ndarray]
    validation: tuple[np.ndarray, np.ndarray]
    test: tuple[np.ndarray, np.ndarray]


@lru_cache(maxsize=8)
def digits(seed: int) -> Digits:
    """The split of seed ``seed`` (each seed splits the 1,797 digits its own way)."""
    X, y = load_digits(ASSETS / "digits.csv.gz")
    return Digits(*((X[part], y[part]) for part in split(len(X), HELD_OUT, seed)))


@dataclass(frozen=True)
class Grid:
    """Every run of one optimizer on one model, as arrays (seeds, rows, alphas): a row per
    epsilon of ``epsilons`` (Adam), or one row (SGD, ``epsilons`` empty). A diverged run's
    losses are inf. ``adaptivity``: the median over the weights (those whose gradient was
    ever nonzero) of sqrt(v_hat) / (sqrt(v_hat) + eps) at the last step, the part of
    Adam's step that is still Adam (0 for SGD)."""
    epsilons: tuple[float, ...]
    train_loss: np.ndarray
    val_loss: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray
    adaptivity: np.ndarray

    @property
    def tuned(self) -> np.ndarray:
        """Per row, the index of the alpha with the lowest validation loss (mean of the
        seeds; a diverged seed makes it inf)."""
        return np.argmin(self.val_loss.mean(axis=0), axis=-1)

    def at_tuned(self, field: str) -> np.ndarray:
        """``field`` at each row's tuned alpha: (seeds, rows)."""
        values = getattr(self, field)
        return np.take_along_axis(values, self.tuned[None, :, None], axis=-1)[..., 0]


def run_grid(model_key: str, optimizer: str, epsilons=EPSILONS) -> Grid:
    """Train ``optimizer`` ("adam" or "momentum") on every alpha of ``ALPHAS`` (and, for
    Adam, every epsilon of ``epsilons``): per seed, one batched run on that seed's split,
    from that seed's start, in its minibatch order; evaluate the last weights on the three
    parts of the split."""
    model = MODELS[model_key].classifier
    ones = (1,) * len(model.shape)
    lr = np.array(ALPHAS).reshape((1, -1) + ones)
    if optimizer == "adam":
        epsilons = tuple(epsilons)
        opt = Adam(lr=lr, beta1=BETA1, beta2=BETA2,
                   eps=np.array(epsilons).reshape((-1, 1) + ones))
    else:
        epsilons = ()
        opt = SGD(lr=lr, momentum=BETA1)
    runs = (1, max(len(epsilons), 1), len(ALPHAS))
    fields = [_one_seed(model, opt, runs, seed) for seed in SEEDS]
    return Grid(epsilons, *(np.concatenate(f) for f in zip(*fields)))


def _one_seed(model, opt, runs: tuple[int, ...], seed: int) -> list[np.ndarray]:
    data = digits(seed)
    X, y = data.train
    start = np.broadcast_to(model.init(seed), runs + model.shape)
    result = train(model, opt, start, X, y, param_rank=len(model.shape),
                   steps=EPOCHS * (len(X) // BATCH), batch_size=BATCH, seeds=(seed,))
    diverged = result.diverged_at >= 0
    losses = [np.where(diverged, np.inf, model(result.params, *part)[0])
              for part in (data.train, data.validation, data.test)]
    test_accuracy = accuracy(model.logits(result.params, data.test[0]), data.test[1])
    adaptivity = np.zeros(runs)
    if result.last.v_hat is not None:
        root = np.sqrt(result.last.v_hat)
        kept = np.where(root > 0, root / (root + opt.eps), np.nan).reshape(runs + (-1,))
        adaptivity = np.nanmedian(kept, axis=-1)
    return [*losses, test_accuracy, adaptivity]


# -- the stored runs (assets/generalization-runs.json) --------------------------------

OPTIMIZERS = ("adam", "momentum")
FIELDS = ("train_loss", "val_loss", "test_loss", "test_accuracy", "adaptivity")


def every_run() -> dict[str, Grid]:
    """Every run the section shows, made by the engine (30 to 60 seconds)."""
    return {f"{m}/{o}": run_grid(m, o) for m in MODELS for o in OPTIMIZERS}


def to_record(grid: Grid) -> dict:
    """A grid as JSON (a diverged run's loss is Infinity)."""
    return {"epsilons": list(grid.epsilons), **{f: getattr(grid, f).tolist() for f in FIELDS}}


def from_record(record: dict) -> Grid:
    return Grid(tuple(record["epsilons"]),
                *(np.array(record[f], dtype=float) for f in FIELDS))


@lru_cache(maxsize=4)
def read_runs(path: Path) -> dict:
    """The runs stored in ``path`` (JSON), or nothing if the file is missing or unreadable
    (the lesson then makes them; lesson 6's Figure 1 runs use it too)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _stored() -> dict:
    return read_runs(RUNS_FILE)


@lru_cache(maxsize=4)
def grids(model_key: str) -> tuple[Grid, Grid]:
    """Adam's and momentum's grids on the model, as stored, or made now if the file does
    not hold them."""
    stored = _stored()
    return tuple(from_record(stored[f"{model_key}/{o}"]) if f"{model_key}/{o}" in stored
                 else run_grid(model_key, o) for o in OPTIMIZERS)


# -- what the section shows ------------------------------------------------------------

@dataclass(frozen=True)
class Setup:
    """What the section's introduction quotes: the split, the training, the grids."""
    train: int
    validation: int
    test: int
    epochs: int
    batch: int
    beta1: float
    beta2: float
    grid: int
    alpha_low: float
    alpha_high: float
    epsilons: int
    eps_low: float
    eps_high: float
    seeds: int
    one_digit: float  # one test digit, in percentage points
    first_boost: float  # m's bias correction at t = 1, 1 / (1 - beta1)


def setup() -> Setup:
    data = digits(SEEDS[0])
    test = len(data.test[1])
    return Setup(len(data.train[1]), len(data.validation[1]), test, EPOCHS, BATCH, BETA1, BETA2,
                 len(ALPHAS), min(ALPHAS), max(ALPHAS), len(EPSILONS), min(EPSILONS),
                 max(EPSILONS), len(SEEDS), 100.0 / test, 1 / (1 - BETA1))


@dataclass(frozen=True)
class Summary(Setup):
    """And what the sentences after the chart quote, for one model (accuracies in %)."""
    weights: int
    adam_low: float  # the lowest and highest mean test accuracy of tuned Adam over epsilon
    adam_high: float
    momentum: float
    momentum_low: float  # momentum's seeds
    momentum_high: float
    momentum_alpha: float
    adam_ahead: int  # seeds on which Adam at the default epsilon beats momentum, and back
    momentum_ahead: int
    limit_alpha: float  # the tuned alpha at the largest epsilon, and it as SGD's rate
    limit_rate: float


def summary(model_key: str) -> Summary:
    adam, momentum = grids(model_key)
    adam_acc = 100 * adam.at_tuned("test_accuracy").mean(axis=0)
    mom_acc = 100 * momentum.at_tuned("test_accuracy")[:, 0]
    versus = adam_vs_momentum(model_key)
    limit_alpha = ALPHAS[adam.tuned[-1]]
    return Summary(**asdict(setup()), weights=MODELS[model_key].classifier.size,
                   adam_low=float(adam_acc.min()), adam_high=float(adam_acc.max()),
                   momentum=float(mom_acc.mean()), momentum_low=float(mom_acc.min()),
                   momentum_high=float(mom_acc.max()), momentum_alpha=ALPHAS[momentum.tuned[0]],
                   adam_ahead=versus.adam_ahead, momentum_ahead=versus.momentum_ahead,
                   limit_alpha=limit_alpha,
                   limit_rate=limit_alpha * (1 - BETA1) / adam.epsilons[-1])


DOMINATES = 0.05  # the table gives SGD's rate where sqrt(v_hat)/(sqrt(v_hat) + eps) is below


def _rows(grid: Grid, label: str) -> list[dict]:
    rows = []
    acc = 100 * grid.at_tuned("test_accuracy")
    adaptive = grid.at_tuned("adaptivity").mean(axis=0)
    for r, alpha_index in enumerate(grid.tuned):
        alpha = ALPHAS[alpha_index]
        eps = grid.epsilons[r] if grid.epsilons else None
        rows.append({
            "optimizer": label,
            "ε": "—" if eps is None else f"{eps:g}",
            "α": f"{alpha:g}",
            "√v̂/(√v̂+ε)": "—" if eps is None else f"{adaptive[r]:.3f}",
            "as SGD: α(1−β₁)/ε": f"{alpha * (1 - BETA1) / eps:.3g}"
            if eps is not None and adaptive[r] < DOMINATES else "—",
            "train loss": f"{grid.at_tuned('train_loss')[:, r].mean():.4f}",
            "val. loss": f"{grid.at_tuned('val_loss')[:, r].mean():.4f}",
            "test loss": f"{grid.at_tuned('test_loss')[:, r].mean():.4f}",
            "test accuracy": f"{acc[:, r].mean():.2f} %",
            "seeds' range": f"{acc[:, r].min():.2f} to {acc[:, r].max():.2f} %"})
    return rows


ADAM_LABEL = "Adam, α tuned at each ε"
MOMENTUM_LABEL = f"SGD with momentum {BETA1:g}, α tuned"
MOMENTUM_ROW = "SGD + momentum"  # the table's short name


def table(model_key: str) -> pd.DataFrame:
    """One row per epsilon (Adam at its tuned alpha) and one for momentum: the losses and
    the test accuracy, means over the seeds; and, where epsilon dominates Adam's
    denominator, the momentum-SGD learning rate Adam's step equals."""
    adam, momentum = grids(model_key)
    return pd.DataFrame(_rows(adam, "Adam") + _rows(momentum, MOMENTUM_ROW))


def _power_of_ten(value: float) -> str:
    exponent = int(round(np.log10(value)))
    return "1" if exponent == 0 else "10" if exponent == 1 else f"10<sup>{exponent}</sup>"


LIMIT_EPSILONS = (1.0, 10.0)  # the right panel: Adam where epsilon dominates
RATE_TICKS = [10.0 ** k for k in range(-5, 3)]
LOSS_TICKS = [0.1, 0.2, 0.5, 1.0, 2.0]


def _finite(values: np.ndarray) -> list:
    """Plotly's y values: a diverged (inf) point is a gap."""
    return [round(float(v), 6) if np.isfinite(v) else None for v in values]


def figure(model_key: str) -> dict:
    """Left: test accuracy of tuned Adam against epsilon (mean of the seeds, their range
    as bars), tuned momentum as a band (its seeds' range) around a dashed line (their
    mean). Right: the validation loss tuning picks by, over the whole grid, against the
    learning rate in SGD's terms (alpha for SGD, alpha (1 - beta1) / eps for Adam), for
    momentum and for Adam at the large epsilons of ``LIMIT_EPSILONS``."""
    adam, momentum = grids(model_key)
    eps = np.array(adam.epsilons)
    adam_colour, colour = RACER_COLOURS["adam"], RACER_COLOURS["momentum"]
    values = 100.0 * adam.at_tuned("test_accuracy")
    mean = values.mean(axis=0)
    span = [eps.min() / 3, eps.max() * 3]
    ref = 100.0 * momentum.at_tuned("test_accuracy")[:, 0]
    data = [{
        "type": "scatter", "mode": "lines+markers", "x": eps.tolist(),
        "y": mean.round(6).tolist(), "name": ADAM_LABEL, "legendgroup": "adam",
        "line": {"color": adam_colour, "width": 3}, "marker": {"size": 9},
        "error_y": {"type": "data", "array": (values.max(axis=0) - mean).round(6).tolist(),
                    "arrayminus": (mean - values.min(axis=0)).round(6).tolist(),
                    "color": adam_colour, "thickness": 2, "width": 6},
        "customdata": [ALPHAS[i] for i in adam.tuned],
        "hovertemplate": "Adam, ε = %{x:g}, α = %{customdata:g}<br>test accuracy "
                         "%{y:.2f} %<extra></extra>"}, {
        "type": "scatter", "mode": "lines", "x": span + span[::-1],
        "y": [float(ref.max())] * 2 + [float(ref.min())] * 2, "fill": "toself",
        "fillcolor": colour, "opacity": 0.2, "line": {"width": 0}, "hoverinfo": "skip",
        "showlegend": False, "legendgroup": "momentum"}, {
        "type": "scatter", "mode": "lines", "x": span, "y": [float(ref.mean())] * 2,
        "name": MOMENTUM_LABEL + " (band: its seeds)", "legendgroup": "momentum",
        "line": {"color": colour, "width": 3, "dash": "dash"},
        "hovertemplate": f"SGD with momentum, α = {ALPHAS[momentum.tuned[0]]:g}<br>"
                         "test accuracy %{y:.2f} %<extra></extra>"}]
    rates = np.array(ALPHAS)
    data.append({"type": "scatter", "mode": "lines+markers", "x": rates.tolist(),
                 "y": _finite(momentum.val_loss.mean(axis=0)[0]),
                 "name": f"SGD with momentum {BETA1:g}, every α of the grid",
                 "line": {"color": colour, "width": 5}, "marker": {"size": 11},
                 "xaxis": "x2", "yaxis": "y2",
                 "hovertemplate": "SGD with momentum, α = %{x:g}<br>validation loss "
                                  "%{y:.4f}<extra></extra>"})
    for (dash, symbol), limit in zip((("dot", "diamond"), ("dash", "square")), LIMIT_EPSILONS):
        row = adam.epsilons.index(limit)
        data.append({"type": "scatter", "mode": "lines+markers",
                     "x": (rates * (1 - BETA1) / limit).tolist(),
                     "y": _finite(adam.val_loss.mean(axis=0)[row]),
                     "name": f"Adam at ε = {limit:g}, every α of the grid",
                     "line": {"color": adam_colour, "width": 2, "dash": dash},
                     "marker": {"size": 7, "symbol": symbol}, "customdata": list(ALPHAS),
                     "xaxis": "x2", "yaxis": "y2",
                     "hovertemplate": f"Adam, ε = {limit:g}, α = %{{customdata:g}}<br>"
                                      "validation loss %{y:.4f}<extra></extra>"})
    log_eps = {"type": "log", "tickvals": eps.tolist(),
               "ticktext": [_power_of_ten(e) for e in eps]}
    return chart_layout(
        data, MODELS[model_key].label, "Adam's ε (α tuned at each)", "test accuracy (%)",
        height=500, legend_y=-0.28, xaxis={**log_eps, "domain": [0.0, 0.44]},
        xaxis2={"type": "log", "domain": [0.56, 1.0], "anchor": "y2", "tickvals": RATE_TICKS,
                "ticktext": [_power_of_ten(r) for r in RATE_TICKS],
                "title": {"text": "learning rate as SGD's: α, or α(1−β₁)/ε for Adam"}},
        yaxis2={"anchor": "x2", "type": "log", "range": [-1, 0.5], "tickvals": LOSS_TICKS,
                "title": {"text": "validation loss (mean of seeds)"}})


# -- what the section's questions ask (explainers/text/paper_reproduced.toml) --------

@dataclass(frozen=True)
class AdamVsMomentum:
    """Adam at the default epsilon against momentum, both tuned, seed by seed (the same
    split, minibatch order and start): ``answer`` "adam" or "momentum" when one has the
    higher test accuracy on every seed, else "neither"; the means (%), how many seeds
    each wins, their tuned alphas, and one test digit in percentage points."""
    answer: str
    adam: float
    momentum: float
    adam_ahead: int
    momentum_ahead: int
    even: int
    seeds: int
    adam_alpha: float
    momentum_alpha: float
    one_digit: float


def adam_vs_momentum(model: str = MODEL.default) -> AdamVsMomentum:
    adam, momentum = grids(model)
    row = adam.epsilons.index(1e-8)
    a = adam.at_tuned("test_accuracy")[:, row]
    m = momentum.at_tuned("test_accuracy")[:, 0]
    ahead, behind = int((a > m).sum()), int((a < m).sum())
    answer = "adam" if ahead == len(a) else "momentum" if behind == len(a) else "neither"
    return AdamVsMomentum(answer, float(100 * a.mean()), float(100 * m.mean()), ahead, behind,
                          len(a) - ahead - behind, len(a), ALPHAS[adam.tuned[row]],
                          ALPHAS[momentum.tuned[0]], setup().one_digit)


@dataclass(frozen=True)
class LargeEps:
    """Adam's step over torch's momentum buffer, measured with the engine after ``steps``
    steps of gradients far below epsilon: the learning rate of SGD with momentum beta1
    that takes Adam's steps (``answer``); the same ratio at step 1, where m's correction
    1/(1 - beta1) still counts; and what slips give: alpha / eps (an average taken for a
    sum) and alpha itself."""
    answer: float
    first: float
    alpha_over_eps: float
    alpha: float
    steps: int


def large_eps_rate(alpha: float, beta1: float, eps: float, steps: int = 100) -> LargeEps:
    adam = Adam(alpha, beta1, BETA2, eps)
    sgd = SGD(1.0, momentum=beta1)  # at lr 1 its step is its buffer b_t
    grads = 1e-6 * eps * np.random.default_rng(0).normal(size=(steps, 1))
    x, y = np.zeros(1), np.zeros(1)
    adam_state, sgd_state = adam.init(x), sgd.init(y)
    ratios = []
    for g in grads:
        x, adam_state, a = adam.update(x, g, adam_state, internals=True)
        y, sgd_state, s = sgd.update(y, g, sgd_state, internals=True)
        ratios.append(float(a.step[0] / s.step[0]))
    return LargeEps(ratios[-1], ratios[0], alpha / eps, alpha, steps)
