"""Lesson 6: what the paper reports, and a small reproduction of its Figure 1.

The reproduction trains multiclass logistic regression on the 1,797 8x8 digits
that ship in assets/ (dense inputs, like MNIST) and binary logistic regression on
Zipf bag-of-words sentences (sparse inputs, like IMDB), with minibatches of 128
and the paper's step-size decay alpha/sqrt(t). Each optimizer's alpha comes from a
small grid, every grid point trained on several seeds in one batched run.

The 20 runs (2 tasks x 5 optimizers, with and without the decay) take 10 to 25 seconds,
too long for a reader's first visit, so ``scripts/make_paper_runs.py`` makes them with the
engine once and keeps them in ``assets/paper-runs.json``; the lesson reads them from there
(:func:`stored_result`), and a test runs the engine again and checks every number.

The lesson's last section, whether adaptive methods generalize worse, has its own module
(:mod:`explainers.generalization`); its questions' answers are named here, as the
lesson's questions must be.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from optim import SGD, Adagrad, Adam, RMSProp
from optim.datasets import load_digits, zipf_corpus
from optim.models import logistic_regression, softmax_regression
from optim.schedules import InverseSqrt
from optim.training import train

from . import generalization
from .generalization import adam_vs_momentum, large_eps_rate  # noqa: F401 (the toml's answers)
from .palette import RACER_COLOURS
from .url_state import Flag

DIGITS_FILE = Path(__file__).resolve().parents[1] / "assets" / "digits.csv.gz"
RUNS_FILE = Path(__file__).resolve().parents[1] / "assets" / "paper-runs.json"
BATCH = 128
EPOCHS = 30
SEEDS = (0, 1, 2)
SENTENCES, VOCABULARY = 3000, 1000  # the synthetic bag-of-words task

FINDINGS = pd.DataFrame([
    ("6.1, Figure 1 (left)", "Logistic regression, MNIST digits",
     "Adam converges about as fast as SGD with Nesterov momentum, and faster than Adagrad."),
    ("6.1, Figure 1 (right)", "Logistic regression, IMDB bag-of-words (sparse, 10,000 words)",
     "Adagrad beats SGD with Nesterov momentum by a large margin; Adam converges as fast as "
     "Adagrad."),
    ("6.2, Figure 2", "Multilayer network (2 x 1,000 ReLU units), MNIST, with and without dropout",
     "Adam converges faster than the other first-order methods and the quasi-Newton SFO."),
    ("6.3, Figure 3", "Convolutional network, CIFAR-10",
     "Adam and SGD with momentum converge faster than Adagrad; Adam is marginally faster "
     "than SGD with momentum."),
    ("6.4, Figure 4", "Variational auto-encoder, bias correction on and off",
     "Without bias correction, β₂ close to 1 makes training unstable early on."),
    ("not in the paper", "Character-level language model",
     "Some summaries of the paper list one; its experiments (sections 6.1 to 6.4) contain none."),
], columns=["section", "experiment", "what the paper reports"])


@dataclass(frozen=True)
class Contender:
    key: str  # the colour key (RACER_COLOURS)
    label: str
    make: type
    alphas: tuple[float, ...]
    extra: tuple[tuple[str, object], ...] = ()

    def optimizer(self, alphas):
        return self.make(lr=alphas, **dict(self.extra))


CONTENDERS = (
    Contender("adam", "Adam", Adam, (3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)),
    Contender("adagrad", "Adagrad", Adagrad, (3e-2, 0.1, 0.3, 1.0, 3.0, 10.0)),
    Contender("rmsprop", "RMSProp", RMSProp, (1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3)),
    Contender("momentum", "SGD + Nesterov (0.9)", SGD, (3e-2, 0.1, 0.3, 1.0, 3.0, 10.0),
              (("momentum", 0.9), ("nesterov", True))),
    Contender("sgd", "SGD", SGD, (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)),
)


@dataclass(frozen=True)
class Task:
    key: str
    title: str
    X: np.ndarray
    y: np.ndarray
    model: object
    param_shape: tuple[int, ...]


@cache
def tasks() -> tuple[Task, Task]:
    """The two data sets, as the models see them (read and made once per process)."""
    X, y = load_digits(DIGITS_FILE)
    corpus = zipf_corpus(SENTENCES, vocab=VOCABULARY, length=20, seed=5)
    return (Task("digits", "Digits (dense, 10 classes)", X, y, softmax_regression,
                 (X.shape[1], 10)),
            Task("words", "Bag of words (sparse, 2 classes)", corpus.X, corpus.y,
                 logistic_regression, (corpus.X.shape[1],)))


@dataclass(frozen=True)
class Result:
    """One contender on one task: the grid (final loss per alpha, mean over seeds), the
    chosen alpha, and its training-loss curves (epochs x seeds)."""

    grid: pd.DataFrame
    alpha: float
    epochs: np.ndarray
    curves: np.ndarray


def run_contender(task: Task, contender: Contender, decay: bool = True) -> Result:
    """Train every alpha of the contender's grid on every seed at once; pick the best."""
    alphas = np.array(contender.alphas)
    shape = (len(SEEDS), len(alphas)) + task.param_shape
    per_epoch = len(task.X) // BATCH
    lr = alphas.reshape((-1,) + (1,) * len(task.param_shape))
    result = train(task.model, contender.optimizer(lr), np.zeros(shape), task.X, task.y,
                   param_rank=len(task.param_shape), steps=EPOCHS * per_epoch,
                   batch_size=BATCH, seeds=SEEDS, schedule=InverseSqrt() if decay else None,
                   eval_every=per_epoch)
    final = np.where(result.diverged_at >= 0, np.inf, result.eval_losses[-1])  # (seeds, alphas)
    mean = final.mean(axis=0)
    best = int(np.argmin(mean))
    grid = pd.DataFrame({"α": alphas, "final training loss (mean of seeds)": mean,
                         "diverged runs": (result.diverged_at >= 0).sum(axis=0)})
    return Result(grid, float(alphas[best]), result.eval_steps / per_epoch,
                  result.eval_losses[:, :, best])


def run_key(task_key: str, contender_key: str, decay: bool) -> str:
    return f"{task_key}/{contender_key}/{'decay' if decay else 'constant'}"


def every_run() -> dict[str, Result]:
    """Every run the lesson shows, made by the engine (10 to 25 seconds)."""
    return {run_key(task.key, contender.key, decay): run_contender(task, contender, decay)
            for task in tasks() for contender in CONTENDERS for decay in (True, False)}


def to_record(result: Result) -> dict:
    """A run as JSON (a diverged grid point's loss is Infinity)."""
    grid = result.grid
    return {"alphas": grid.iloc[:, 0].tolist(), "mean": grid.iloc[:, 1].tolist(),
            "diverged": grid.iloc[:, 2].astype(int).tolist(), "alpha": result.alpha,
            "epochs": result.epochs.tolist(), "curves": result.curves.tolist()}


def from_record(record: dict) -> Result:
    grid = pd.DataFrame({"α": np.array(record["alphas"], dtype=float),
                         "final training loss (mean of seeds)":
                             np.array(record["mean"], dtype=float),
                         "diverged runs": np.array(record["diverged"], dtype=int)})
    return Result(grid, float(record["alpha"]), np.array(record["epochs"], dtype=float),
                  np.array(record["curves"], dtype=float))


def _stored() -> dict:
    return generalization.read_runs(RUNS_FILE)


def stored_result(task_key: str, contender_key: str, decay: bool) -> Result | None:
    """The run as the engine made it for ``assets/paper-runs.json``, or None if the file
    does not hold it."""
    record = _stored().get(run_key(task_key, contender_key, decay))
    return None if record is None else from_record(record)


@dataclass(frozen=True)
class Setting:
    """What the lesson's text says of the reproduction, and how many of the chosen
    alphas sit at the top of their grid (their best may lie above it)."""
    digits: int
    sentences: int
    vocabulary: int
    epochs: int
    batch: int
    grid: int
    seeds: int
    at_top: int
    chosen: int


def setting(results: dict[str, dict[str, Result]]) -> Setting:
    """``results[task key][contender key]`` summarised for the text."""
    digits, words = tasks()
    chosen = [(c, r[c.key].alpha) for r in results.values() for c in CONTENDERS]
    grid = max(len(c.alphas) for c in CONTENDERS)  # the same for all (tested)
    return Setting(len(digits.X), len(words.X), words.X.shape[1], EPOCHS, BATCH, grid,
                   len(SEEDS), sum(alpha == max(c.alphas) for c, alpha in chosen), len(chosen))


def grid_table(results: dict[str, Result]) -> pd.DataFrame:
    """Every grid point of every contender on one task, the chosen one marked."""
    frames = []
    for contender in CONTENDERS:
        r = results[contender.key]
        grid = r.grid.copy()
        grid.insert(0, "optimizer", contender.label)
        loss = grid.pop("final training loss (mean of seeds)")
        grid.insert(2, "final training loss (mean of seeds)",
                    [f"{v:.4g}" if np.isfinite(v) else "diverged" for v in loss])
        grid["chosen"] = np.where(grid["α"] == r.alpha, "chosen", "")
        if r.alpha == max(contender.alphas):
            grid.loc[grid["α"] == r.alpha, "chosen"] = "chosen (top of the grid)"
        frames.append(grid)
    return pd.concat(frames, ignore_index=True)


def curves_figure(task_titles: list[str], results: list[dict[str, Result]]) -> dict:
    """Training loss per epoch: mean over seeds (line) and their range (band), per task."""
    data, axes = [], {}
    n = len(results)
    for i, (title, by_contender) in enumerate(zip(task_titles, results)):
        suffix = "" if i == 0 else str(i + 1)
        for contender in CONTENDERS:
            r = by_contender[contender.key]
            colour = RACER_COLOURS[contender.key]
            x = r.epochs.tolist()
            lo, hi = r.curves.min(axis=1), r.curves.max(axis=1)
            data.append({"type": "scatter", "mode": "lines", "x": x + x[::-1],
                         "y": np.concatenate([hi, lo[::-1]]).round(5).tolist(),
                         "fill": "toself", "fillcolor": colour, "opacity": 0.2,
                         "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False,
                         "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"})
            data.append({"type": "scatter", "mode": "lines", "x": x,
                         "y": r.curves.mean(axis=1).round(5).tolist(),
                         "name": contender.label,  # each task chose its own α: in the hover
                         "hovertemplate": f"{contender.label}, α = {r.alpha:g}<br>epoch %{{x}}: "
                                          "%{y:.3g}<extra></extra>",
                         "legendgroup": contender.key, "showlegend": i == 0,
                         "line": {"color": colour, "width": 3},
                         "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"})
        lo_x, hi_x = i / n + 0.02, (i + 1) / n - 0.05
        axes[f"xaxis{suffix}"] = {"domain": [lo_x, hi_x], "anchor": f"y{suffix}",
                                  "title": {"text": "epoch"}}
        axes[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "type": "log", "dtick": 1,
                                  "title": {"text": "training loss (log)" if i == 0 else ""}}
    annotations = [{"text": "<b>" + t.replace(" (", "</b><br>("), "xref": "paper",
                    "yref": "paper", "x": (i + 0.5) / n - 0.015, "y": 1.04, "yanchor": "bottom",
                    "showarrow": False} for i, t in enumerate(task_titles)]
    return {"data": data, "layout": {
        "height": 500, "font": {"size": 15}, "margin": {"l": 70, "r": 20, "t": 70, "b": 60},
        "legend": {"orientation": "h", "y": -0.22}, "annotations": annotations, **axes}}


def _final(result: Result) -> float:
    return float(result.curves[-1].mean())


CLOSE = 0.15  # "about as fast": final losses within 15% of each other


def agreement(digits: dict[str, Result], words: dict[str, Result]) -> pd.DataFrame:
    """The paper's Figure 1 claims, checked against the small reproduction."""
    d = {k: _final(r) for k, r in digits.items()}
    w = {k: _final(r) for k, r in words.items()}
    close = lambda a, b: abs(a - b) <= CLOSE * max(a, b)  # noqa: E731
    rows = [
        ("Dense: Adam about as fast as SGD with Nesterov momentum",
         f"Adam {d['adam']:.3g}, Nesterov {d['momentum']:.3g}", close(d["adam"], d["momentum"])),
        ("Dense: Adam faster than Adagrad", f"Adam {d['adam']:.3g}, Adagrad {d['adagrad']:.3g}",
         d["adam"] < d["adagrad"]),
        ("Sparse: Adagrad beats SGD with Nesterov momentum (the paper: by a large margin; "
         "here only which is lower is checked)",
         f"Adagrad {w['adagrad']:.3g}, Nesterov {w['momentum']:.3g}",
         w["adagrad"] < w["momentum"]),
        ("Sparse: Adam as fast as Adagrad", f"Adam {w['adam']:.3g}, Adagrad {w['adagrad']:.3g}",
         close(w["adam"], w["adagrad"]) or w["adam"] < w["adagrad"]),
    ]
    return pd.DataFrame([(claim, numbers, "agrees" if ok else "differs")
                         for claim, numbers, ok in rows],
                        columns=["the paper's claim (Figure 1)",
                                 f"final training loss here (mean of {len(SEEDS)} seeds)", "here"])


def curves_table(task_titles: list[str], results: list[dict[str, Result]]) -> pd.DataFrame:
    """Every training curve (mean, lowest and highest seed per epoch), for CSV."""
    rows = []
    for title, by_contender in zip(task_titles, results):
        for contender in CONTENDERS:
            r = by_contender[contender.key]
            for epoch, losses in zip(r.epochs, r.curves):
                rows.append({"data": title, "optimizer": contender.label, "α": r.alpha,
                             "epoch": float(epoch), "mean loss": float(losses.mean()),
                             "lowest": float(losses.min()), "highest": float(losses.max())})
    return pd.DataFrame(rows)


DECAY = Flag("decay", "Learning rate decays as α/√t (as in the paper)", True)
SPECS = (DECAY, generalization.MODEL)


# -- what the lesson's questions ask (explainers/text/paper_reproduced.toml) ----------

@dataclass(frozen=True)
class SparseWinner:
    """Which optimizer ends with the lowest training loss on the bag of words: its key,
    or a frozenset with every optimizer whose seeds' range reaches the winner's (so few
    seeds cannot separate them); and each one's final loss (mean of seeds)."""
    answer: str | frozenset
    adam: float
    adagrad: float
    rmsprop: float
    momentum: float
    sgd: float
    seeds: int


def sparse_winner(decay: bool = True, results: dict[str, Result] | None = None) -> SparseWinner:
    """At the page's setting; ``results`` are the page's runs on the bag of words (by
    contender key), trained here when not given."""
    if results is None:
        words = tasks()[1]
        results = {c.key: run_contender(words, c, decay) for c in CONTENDERS}
    last = {c.key: results[c.key].curves[-1] for c in CONTENDERS}  # the seeds' final losses
    best = min(last, key=lambda k: last[k].mean())
    tied = frozenset(k for k, losses in last.items() if losses.min() <= last[best].max())
    return SparseWinner(best if len(tied) == 1 else tied,
                        **{k: float(losses.mean()) for k, losses in last.items()},
                        seeds=len(SEEDS))


@dataclass(frozen=True)
class RareRate:
    """Adagrad's rate alpha / (sqrt(sum of g^2) + eps) for a rare word's weight over a
    common word's, after ``steps`` steps; the two sums; and what slips give: the ratio
    of the sums (no root) and SGD's 1."""
    answer: float
    rare_count: int
    common_sum: float
    rare_sum: float
    no_root: float
    one_rate: float = 1.0


def adagrad_rare_rate(g: float, rare_every: int, steps: int) -> RareRate:
    adagrad = Adagrad(lr=0.1)
    params = np.zeros(2)
    state = adagrad.init(params)
    for t in range(1, steps + 1):  # weight 0: a common word; weight 1: a rare one
        grads = np.array([g, g if t % rare_every == 0 else 0.0])
        params, state, inside = adagrad.update(params, grads, state, internals=True)
    common_sum, rare_sum = (float(v) for v in inside.v)
    return RareRate(float(inside.effective_lr[1] / inside.effective_lr[0]),
                    steps // rare_every, common_sum, rare_sum, common_sum / rare_sum)


@dataclass(frozen=True)
class LateWord:
    """Adam's step, in units of alpha, for a weight whose first nonzero gradient g comes
    at step t (m and v still 0); and what slips give: the step at t = 1 (alpha) and
    plain SGD's step alpha * g."""
    answer: float
    first_step: float
    sgd: float


def late_word_step(beta1: float, beta2: float, t: int, g: float) -> LateWord:
    adam = Adam(1e-3, beta1, beta2)
    params = np.zeros(1)
    state = adam.init(params)
    for _ in range(t - 1):
        params, state = adam.update(params, np.zeros(1), state)
    _, _, inside = adam.update(params, np.full(1, g), state, internals=True)
    first = adam.update(np.zeros(1), np.full(1, g), adam.init(np.zeros(1)), internals=True)[2]
    return LateWord(float(inside.step[0] / adam.lr), float(first.step[0] / adam.lr), g)
