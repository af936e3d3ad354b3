"""Lesson 1: frequent and rare words, one learning rate for all of them.

A bag-of-words logistic regression over a Zipf vocabulary (optim.datasets): word 1
("the") is in most sentences, word 500 ("xylophone") in very few.  SGD and Adam
train it on the same minibatches, each over a grid of step sizes in one batched
run (optim.training); the page picks a column of the grid.
"""
from __future__ import annotations

from dataclasses import dataclass

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
COMMON_RANK, RARE_RANK = 50, 200  # "common" sentences use only the 50 most frequent words
WORDS = {0: "the", 9: "word #10", 49: "word #50", 199: "word #200", 499: "xylophone"}


@dataclass(frozen=True)
class Experiment:
    sgd: Training
    adam: Training
    sgd_loss: pd.DataFrame  # per SGD alpha: loss on common / rare-word test sentences
    adam_loss: pd.DataFrame
    true_weights: np.ndarray
    frequency: np.ndarray


def _test_losses(weights: np.ndarray, alphas, X, y, common, rare) -> pd.DataFrame:
    return pd.DataFrame({
        "α": alphas,
        "loss, common-word sentences": logistic_regression(weights, X[common], y[common])[0],
        "loss, sentences with a rare word": logistic_regression(weights, X[rare], y[rare])[0],
    })


def run_experiment() -> Experiment:
    """Both optimizers over their step-size grids, and the test losses."""
    train_set, test = zipf_corpus(SENTENCES, seed=1), zipf_corpus(SENTENCES, seed=2)
    vocab = train_set.X.shape[1]
    common = (test.X[:, COMMON_RANK:] == 0).all(axis=1)
    rare = (test.X[:, RARE_RANK:] > 0).any(axis=1)
    runs = {}
    for name, make, alphas in (("sgd", SGD, SGD_ALPHAS), ("adam", Adam, ADAM_ALPHAS)):
        runs[name] = train(logistic_regression, make(lr=np.array(alphas)[:, None]),
                           np.zeros((1, len(alphas), vocab)), train_set.X, train_set.y,
                           param_rank=1, steps=STEPS, batch_size=BATCH, seeds=[0])
    return Experiment(
        runs["sgd"], runs["adam"],
        _test_losses(runs["sgd"].params[0], SGD_ALPHAS, test.X, test.y, common, rare),
        _test_losses(runs["adam"].params[0], ADAM_ALPHAS, test.X, test.y, common, rare),
        train_set.true_weights, train_set.frequency)


def word_table(exp: Experiment, sgd_alpha: float, adam_alpha: float) -> pd.DataFrame:
    """Per example word: how often it got a gradient, each optimizer's effective step
    size at the end, and how far its weight moved from 0 (its true weight beside)."""
    i, j = SGD_ALPHAS.index(sgd_alpha), ADAM_ALPHAS.index(adam_alpha)
    rows = []
    for w, name in WORDS.items():
        rows.append({
            "word": name, "rank": w + 1,
            "batches with a gradient": exp.adam.updates_received[0, j, w] / STEPS,
            "SGD step size": float(exp.sgd.last.effective_lr[0, i, w]),
            "Adam step size α/(√v̂+ε)": float(exp.adam.last.effective_lr[0, j, w]),
            "SGD moved it by": float(abs(exp.sgd.params[0, i, w])),
            "Adam moved it by": float(abs(exp.adam.params[0, j, w])),
            "its true weight": float(exp.true_weights[w]),
        })
    return pd.DataFrame(rows)


def best(losses: pd.DataFrame, column: str) -> tuple[float, float]:
    """The step size with the lowest value in ``column``, and that value."""
    k = int(losses[column].to_numpy().argmin())
    return float(losses["α"].iloc[k]), float(losses[column].iloc[k])


def loss_figure(exp: Experiment, sgd_alpha: float, adam_alpha: float) -> dict:
    """Test loss against step size, for SGD (left) and Adam (right)."""
    data, axes = [], {}
    for n, (name, losses, chosen) in enumerate((("SGD", exp.sgd_loss, sgd_alpha),
                                                ("Adam", exp.adam_loss, adam_alpha))):
        suffix = "" if n == 0 else "2"
        colour = RACER_COLOURS["sgd" if name == "SGD" else "adam"]
        for column, dash in (("loss, common-word sentences", "solid"),
                             ("loss, sentences with a rare word", "dash")):
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
                                  "title": {"text": f"{name}'s step size α (log scale)"}}
        axes[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "range": [0.45, 1.0],
                                  "title": {"text": "test loss" if n == 0 else ""}}
    return {"data": data, "layout": {
        "height": 420, "font": {"size": 15}, "margin": {"l": 60, "r": 20, "t": 30, "b": 60},
        "legend": {"orientation": "h", "y": -0.3}, **axes}}


SHARED_ALPHA = 0.1  # on both grids: compare the optimizers at the same step size


def rare_movement(exp: Experiment, alpha: float = SHARED_ALPHA) -> tuple[float, float]:
    """Mean |weight| of the words outside the RARE_RANK most common, after training with
    SGD and with Adam at the same step size ``alpha`` (all weights start at 0)."""
    sgd = np.abs(exp.sgd.params[0, SGD_ALPHAS.index(alpha), RARE_RANK:]).mean()
    adam = np.abs(exp.adam.params[0, ADAM_ALPHAS.index(alpha), RARE_RANK:]).mean()
    return float(sgd), float(adam)
