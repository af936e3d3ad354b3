"""Lesson 1: frequent and rare words, one learning rate for all of them.

A bag-of-words logistic regression over a Zipf vocabulary (optim.datasets): word 1
("the") is in most sentences, word 500 ("xylophone") in very few.  SGD and Adam
train it on the same minibatches, each over a grid of learning rates in one batched
run (optim.training); the page picks a column of the grid.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from optim import SGD, Adam
from optim.datasets import zipf_corpus
from optim.models import logistic_regression
from optim.training import Training, train

from .palette import RACER_COLOURS

SGD_ALPHAS = (0.1, 0.3, 1.0, 2.0, 3.0, 5.0, 10.0)
ADAM_ALPHAS = (0.003, 0.01, 0.03, 0.1, 0.3)
STEPS, BATCH, SENTENCES = 940, 32, 3000  # about ten passes over the training sentences
VOCABULARY, LENGTH, EXPONENT = 500, 6, 1.1  # the corpus (optim.datasets.zipf_corpus)
COMMON_RANK, RARE_RANK = 50, 200  # "common" sentences use only the 50 most frequent words
COMMON, RARE = "loss, common-word sentences", "loss, sentences with a rare word"
WORDS = {0: "the", 9: "word #10", 49: "word #50", 199: "word #200", 499: "xylophone"}


@dataclass(frozen=True)
class Experiment:
    sgd: Training
    adam: Training
    sgd_loss: pd.DataFrame  # per SGD alpha: loss on common / rare-word test sentences
    adam_loss: pd.DataFrame
    true_weights: np.ndarray
    frequency: np.ndarray
    sgd_travel: np.ndarray  # (alphas, WORDS): how far each example word's weight went, step
    adam_travel: np.ndarray  # by step, in all (back and forth counts), per alpha


def _test_losses(weights: np.ndarray, alphas, X, y, common, rare) -> pd.DataFrame:
    return pd.DataFrame({
        "α": alphas,
        COMMON: logistic_regression(weights, X[common], y[common])[0],
        RARE: logistic_regression(weights, X[rare], y[rare])[0],
    })


def run_experiment() -> Experiment:
    """Both optimizers over their step-size grids, and the test losses."""
    corpus = {"vocab": VOCABULARY, "length": LENGTH, "exponent": EXPONENT}
    train_set = zipf_corpus(SENTENCES, seed=1, **corpus)
    test = zipf_corpus(SENTENCES, seed=2, **corpus)
    vocab = train_set.X.shape[1]
    common = (test.X[:, COMMON_RANK:] == 0).all(axis=1)
    rare = (test.X[:, RARE_RANK:] > 0).any(axis=1)
    runs, travel = {}, {}
    for name, make, alphas in (("sgd", SGD, SGD_ALPHAS), ("adam", Adam, ADAM_ALPHAS)):
        seen = []  # the example words' weights at every step, as the training passes them

        def loss_and_grad(w, X, y, seen=seen):
            seen.append(w[0][:, list(WORDS)])
            return logistic_regression(w, X, y)

        runs[name] = train(loss_and_grad, make(lr=np.array(alphas)[:, None]),
                           np.zeros((1, len(alphas), vocab)), train_set.X, train_set.y,
                           param_rank=1, steps=STEPS, batch_size=BATCH, seeds=[0])
        path = np.array(seen + [runs[name].params[0][:, list(WORDS)]])
        travel[name] = np.abs(np.diff(path, axis=0)).sum(axis=0)
    return Experiment(
        runs["sgd"], runs["adam"],
        _test_losses(runs["sgd"].params[0], SGD_ALPHAS, test.X, test.y, common, rare),
        _test_losses(runs["adam"].params[0], ADAM_ALPHAS, test.X, test.y, common, rare),
        train_set.true_weights, train_set.frequency, travel["sgd"], travel["adam"])


@lru_cache(maxsize=1)
def experiment() -> Experiment:
    """:func:`run_experiment`, run once per process (it is deterministic): for the
    lesson's questions, which are graded outside the page's cache."""
    return run_experiment()


def word_table(exp: Experiment, sgd_alpha: float, adam_alpha: float) -> pd.DataFrame:
    """Per example word: how often it got a gradient, each optimizer's effective learning
    rate at the end, and how far its weight moved from 0 (its true weight beside)."""
    i, j = SGD_ALPHAS.index(sgd_alpha), ADAM_ALPHAS.index(adam_alpha)
    rows = []
    for w, name in WORDS.items():
        rows.append({
            "word": name, "rank": w + 1,
            "batches with a gradient": exp.adam.updates_received[0, j, w] / STEPS,
            "SGD's learning rate α": float(exp.sgd.last.effective_lr[0, i, w]),
            "Adam's effective learning rate α/(√v̂+ε)": float(exp.adam.last.effective_lr[0, j, w]),
            "SGD moved it by": float(abs(exp.sgd.params[0, i, w])),
            "Adam moved it by": float(abs(exp.adam.params[0, j, w])),
            "its true weight": float(exp.true_weights[w]),
        })
    return pd.DataFrame(rows)


def best(losses: pd.DataFrame, column: str) -> tuple[float, float]:
    """The learning rate with the lowest value in ``column``, and that value."""
    k = int(losses[column].to_numpy().argmin())
    return float(losses["α"].iloc[k]), float(losses[column].iloc[k])


def loss_figure(exp: Experiment, sgd_alpha: float, adam_alpha: float) -> dict:
    """Test loss against learning rate, for SGD (left) and Adam (right)."""
    data, axes = [], {}
    for n, (name, losses, chosen) in enumerate((("SGD", exp.sgd_loss, sgd_alpha),
                                                ("Adam", exp.adam_loss, adam_alpha))):
        suffix = "" if n == 0 else "2"
        colour = RACER_COLOURS["sgd" if name == "SGD" else "adam"]
        for column, dash in ((COMMON, "solid"), (RARE, "dash")):
            data.append({"type": "scatter", "mode": "lines+markers",
                         "name": f"{name}: {column.split(', ')[1]}",
                         "x": losses["α"].tolist(), "y": losses[column].round(4).tolist(),
                         "xaxis": f"x{suffix}", "yaxis": f"y{suffix}",
                         "line": {"color": colour, "dash": dash, "width": 3}})
        data.append({"type": "scatter", "mode": "markers", "showlegend": False,
                     "x": [chosen, chosen],
                     "y": losses.loc[losses["α"] == chosen].iloc[0, 1:].round(4).tolist(),
                     "xaxis": f"x{suffix}", "yaxis": f"y{suffix}", "hoverinfo": "skip",
                     "marker": {"size": 16, "symbol": "circle-open", "color": "#000000",
                                "line": {"width": 2}}})
        lo, hi = (0.0, 0.46) if n == 0 else (0.54, 1.0)
        axes[f"xaxis{suffix}"] = {"domain": [lo, hi], "type": "log", "anchor": f"y{suffix}",
                                  "title": {"text": f"{name}'s learning rate α (log scale)"}}
        axes[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "range": [0.45, 1.0],
                                  "title": {"text": "test loss" if n == 0 else ""}}
    return {"data": data, "layout": {
        "height": 420, "font": {"size": 15}, "margin": {"l": 60, "r": 20, "t": 30, "b": 60},
        "legend": {"orientation": "h", "y": -0.3}, **axes}}


@dataclass(frozen=True)
class Setup:
    """The experiment's sizes, as the lesson's text quotes them."""
    words: int = LENGTH
    vocabulary: int = VOCABULARY
    zipf: float = EXPONENT
    batch: int = BATCH
    epochs: float = round(STEPS * BATCH / SENTENCES, 1)
    sentences: int = SENTENCES


@dataclass(frozen=True)
class BestAlphas:
    """SGD's best learning rate for common-word and for rare-word test sentences."""
    common_alpha: float
    common_loss: float
    rare_alpha: float
    rare_loss: float
    adam_alpha: float
    adam_common_loss: float
    adam_rare_loss: float

    @property
    def one_fits_both(self) -> bool:
        return self.common_alpha == self.rare_alpha


def best_alphas(exp: Experiment, adam_alpha: float) -> BestAlphas:
    """SGD's best alpha for each kind of sentence, and Adam's losses at ``adam_alpha``."""
    adam = exp.adam_loss.loc[exp.adam_loss["α"] == adam_alpha].iloc[0]
    return BestAlphas(*best(exp.sgd_loss, COMMON), *best(exp.sgd_loss, RARE), adam_alpha,
                      float(adam[COMMON]), float(adam[RARE]))


@dataclass(frozen=True)
class TwoWords:
    """The most and the least frequent word, after training at the chosen alphas."""
    the_share: float  # of the batches that gave "the" a gradient
    rare_share: float
    sgd_alpha: float
    the_rate: float  # Adam's effective learning rate alpha / (sqrt(v_hat) + eps) at the end
    rare_rate: float
    adam_moved: float  # |weight| of the rarest word after training (it started at 0)
    sgd_moved: float
    the_true: float  # the hidden weights the labels were drawn from
    rare_true: float


THE, RARE_WORD = 0, VOCABULARY - 1  # "the" and "xylophone": the first and last word


def two_words(exp: Experiment, sgd_alpha: float, adam_alpha: float) -> TwoWords:
    i, j = SGD_ALPHAS.index(sgd_alpha), ADAM_ALPHAS.index(adam_alpha)
    return TwoWords(
        float(exp.adam.updates_received[0, j, THE] / STEPS),
        float(exp.adam.updates_received[0, j, RARE_WORD] / STEPS), sgd_alpha,
        float(exp.adam.last.effective_lr[0, j, THE]),
        float(exp.adam.last.effective_lr[0, j, RARE_WORD]),
        float(abs(exp.adam.params[0, j, RARE_WORD])), float(abs(exp.sgd.params[0, i, RARE_WORD])),
        float(exp.true_weights[THE]), float(exp.true_weights[RARE_WORD]))


@dataclass(frozen=True)
class WordMoves:
    """How far one word's weight got under SGD at one alpha: where it ended (from its
    start at 0) and how far it went in all, every step's move added up."""
    moved: float
    travelled: float


def word_moves(exp: Experiment, word: int, optimizer: str, alpha: float) -> WordMoves:
    """``word``: a key of WORDS; ``optimizer``: "sgd" or "adam"."""
    training, alphas, travel = ((exp.sgd, SGD_ALPHAS, exp.sgd_travel) if optimizer == "sgd"
                                else (exp.adam, ADAM_ALPHAS, exp.adam_travel))
    i = alphas.index(alpha)
    return WordMoves(float(abs(training.params[0, i, word])),
                     float(travel[i, list(WORDS).index(word)]))


@dataclass(frozen=True)
class RareWords:
    """How far the rare words' weights moved, each optimizer at its own best alpha for
    sentences with rare words (the two alphas are not on one scale: compare each at its
    best)."""
    count: int
    sgd_alpha: float
    adam_alpha: float
    sgd_moved: float  # mean |weight| of the words outside the RARE_RANK most common
    adam_moved: float


def rare_words(exp: Experiment) -> RareWords:
    sgd_alpha, adam_alpha = best(exp.sgd_loss, RARE)[0], best(exp.adam_loss, RARE)[0]
    sgd = np.abs(exp.sgd.params[0, SGD_ALPHAS.index(sgd_alpha), RARE_RANK:]).mean()
    adam = np.abs(exp.adam.params[0, ADAM_ALPHAS.index(adam_alpha), RARE_RANK:]).mean()
    return RareWords(VOCABULARY - RARE_RANK, sgd_alpha, adam_alpha, float(sgd), float(adam))
