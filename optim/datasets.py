"""Data for the lessons, made here or read from a file the app ships. NumPy only."""
from __future__ import annotations

import gzip
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Corpus:
    """Bag-of-words sentences: ``X`` word counts (n, vocab), ``y`` labels in {0, 1},
    ``frequency`` each word's probability, ``true_weights`` the weights labels come from."""

    X: np.ndarray
    y: np.ndarray
    frequency: np.ndarray
    true_weights: np.ndarray


def zipf_corpus(n: int, vocab: int = 500, length: int = 6, exponent: float = 1.1,
                seed: int = 0, weights_seed: int = 2015) -> Corpus:
    """Sentences of ``length`` words drawn with Zipf frequencies p_j ∝ 1/j^exponent (word 1,
    "the", is in most sentences; the last is almost never seen), labelled by
    y ~ Bernoulli(sigmoid(x · w*)). Rare words are given larger true weights w* (a
    choice of this generator, so that they matter). ``weights_seed`` fixes w*, so
    corpora with different ``seed`` (train and test) share it."""
    rank = np.arange(1, vocab + 1)
    frequency = rank ** -exponent
    frequency /= frequency.sum()
    true_weights = (np.random.default_rng(weights_seed).normal(size=vocab)
                    * np.linspace(0.2, 3.0, vocab))
    rng = np.random.default_rng(seed)
    words = rng.choice(vocab, size=(n, length), p=frequency)
    X = np.zeros((n, vocab))
    np.add.at(X, (np.arange(n)[:, None], words), 1.0)
    p = 1.0 / (1.0 + np.exp(-(X @ true_weights)))
    y = (rng.random(n) < p).astype(float)
    return Corpus(X, y, frequency, true_weights)


def load_digits(path) -> tuple[np.ndarray, np.ndarray]:
    """The 8x8 handwritten digits from a gzipped CSV (64 pixels 0-16, then the label):
    features scaled to [0, 1] with a constant 1 appended (the bias), and labels."""
    with gzip.open(path, "rt") as f:
        data = np.loadtxt(f, delimiter=",")
    X = np.hstack([data[:, :64] / 16.0, np.ones((len(data), 1))])
    return X, data[:, 64].astype(np.int64)


def split(n: int, held_out: tuple[int, ...], seed: int) -> tuple[np.ndarray, ...]:
    """A fixed random split of n examples' indices: the training part first (what the
    held-out parts leave), then one part per size in ``held_out`` (e.g. validation and
    test); each part sorted. The same ``seed`` gives the same split."""
    if sum(held_out) >= n or min(held_out, default=1) < 1:
        raise ValueError(f"held-out parts {held_out} must be at least 1 each and leave "
                         f"examples to train on out of {n}.")
    order = np.random.default_rng(seed).permutation(n)
    cuts = np.cumsum((n - sum(held_out),) + tuple(held_out))[:-1]
    return tuple(np.sort(part) for part in np.split(order, cuts))
