"""Small models whose loss and gradient the lessons train with the optimizers.

Each takes parameters with any leading batch axes (one set of weights per run,
e.g. per learning rate or per seed), so many runs are one computation.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def softmax_regression(W: np.ndarray, X: np.ndarray, y: np.ndarray):
    r"""Mean cross-entropy of multiclass logistic regression, and its gradient.

    ``W``: (..., d, k) weights (include a constant-1 feature in X for a bias);
    ``X``: (..., n, d) inputs; ``y``: (..., n) integer labels in [0, k).

    .. math::
        p = \mathrm{softmax}(X W), \qquad
        L = -\frac1n \sum_i \log p_{i, y_i}, \qquad
        \nabla_W L = \frac1n X^\top (p - \mathrm{onehot}(y))
    """
    loss, residual = _cross_entropy(X @ W, y)
    grad = np.swapaxes(X, -1, -2) @ residual / X.shape[-2]
    return loss, grad


def _cross_entropy(logits: np.ndarray, y: np.ndarray):
    """Mean cross-entropy of softmax(``logits``) (..., n, k) against labels ``y``, and the
    residual p - onehot(y) (its gradient with respect to the logits, times n)."""
    logits = logits - logits.max(axis=-1, keepdims=True)
    log_norm = np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    log_p = logits - log_norm
    labels = np.broadcast_to(y[..., None], log_p.shape[:-1] + (1,))
    loss = -np.take_along_axis(log_p, labels, axis=-1)[..., 0].mean(axis=-1)
    residual = np.exp(log_p)  # p - onehot(y)
    np.put_along_axis(residual, labels, np.take_along_axis(residual, labels, -1) - 1, axis=-1)
    return loss, residual


def logistic_regression(w: np.ndarray, X: np.ndarray, y: np.ndarray):
    r"""Mean binary cross-entropy of logistic regression, and its gradient.

    ``w``: (..., d); ``X``: (..., n, d); ``y``: (..., n) labels in {0, 1}.

    .. math::
        p = \sigma(X w), \qquad
        L = -\frac1n \sum_i y_i \log p_i + (1 - y_i)\log(1 - p_i), \qquad
        \nabla_w L = \frac1n X^\top (p - y)
    """
    z = (X @ w[..., None])[..., 0]  # (..., n)
    # log(1 + e^z) - y z, written to stay finite for large |z|
    loss = (np.logaddexp(0.0, z) - y * z).mean(axis=-1)
    p = 0.5 * (1.0 + np.tanh(0.5 * z))  # the logistic function, overflow-free
    grad = ((p - y)[..., None, :] @ X)[..., 0, :] / X.shape[-2]
    return loss, grad


def lora_regression(params: np.ndarray, W0: np.ndarray, X: np.ndarray, Y: np.ndarray,
                    rank: int):
    r"""Least squares through a low-rank update of frozen weights, and its gradient.

    ``params`` is ``B`` (d x r) then ``A`` (r x k), flattened; the model is
    :math:`W = W_0 + BA` with :math:`W_0` (d x k) frozen; ``X``: (n, d), ``Y``: (n, k).

    .. math::
        L = \frac{1}{2n}\,\lVert X W - Y \rVert^2, \quad
        \nabla_B L = \frac1n X^\top R A^\top, \quad \nabla_A L = \frac1n B^\top X^\top R,
        \quad R = XW - Y
    """
    d, k = W0.shape
    B = params[:d * rank].reshape(d, rank)
    A = params[d * rank:].reshape(rank, k)
    n = X.shape[-2]
    R = X @ (W0 + B @ A) - Y
    loss = 0.5 * (R * R).sum(axis=(-2, -1)) / n
    XtR = np.swapaxes(X, -1, -2) @ R / n
    grad = np.concatenate([(XtR @ A.T).reshape(-1), (B.T @ XtR).reshape(-1)])
    return loss, grad


def full_regression(params: np.ndarray, X: np.ndarray, Y: np.ndarray, shape):
    r"""The same least squares with every weight trainable: ``params`` is W flattened.

    .. math:: L = \frac{1}{2n}\lVert XW - Y\rVert^2, \quad \nabla_W L = \frac1n X^\top (XW - Y)
    """
    W = params.reshape(shape)
    n = X.shape[-2]
    R = X @ W - Y
    return 0.5 * (R * R).sum(axis=(-2, -1)) / n, (np.swapaxes(X, -1, -2) @ R / n).reshape(-1)


# -- classifiers: a loss, the logits that classify, and a start ----------------------

@dataclass(frozen=True)
class SoftmaxClassifier:
    """Multiclass logistic regression (:func:`softmax_regression`) as a classifier:
    weights of ``shape`` (inputs, classes), starting at zero."""

    inputs: int
    classes: int

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.inputs, self.classes)

    @property
    def size(self) -> int:
        return self.inputs * self.classes

    def init(self, seed: int) -> np.ndarray:
        return np.zeros(self.shape)

    def logits(self, W: np.ndarray, X: np.ndarray) -> np.ndarray:
        return X @ W

    def __call__(self, W, X, y):
        return softmax_regression(W, X, y)


@dataclass(frozen=True)
class MLPClassifier:
    r"""One hidden layer of ReLU units under a softmax: the smallest network.

    ``params`` (..., size) hold :math:`W_1` (inputs x hidden) and then :math:`W_2`
    (hidden + 1 x classes) flattened; X carries its own constant-1 feature (the first
    layer's bias) and the hidden layer gets one (the second's). With n examples:

    .. math::
        h = \max(0, X W_1), \qquad z = [h, 1]\, W_2, \qquad
        L = -\frac1n \sum_i \log \mathrm{softmax}(z_i)_{y_i} \\
        R = \frac1n (\mathrm{softmax}(z) - \mathrm{onehot}(y)), \qquad
        \nabla_{W_2} L = [h, 1]^\top R, \qquad
        \nabla_{W_1} L = X^\top \big( (R\, W_{2,:h}^\top) \odot [X W_1 > 0] \big)
    """

    inputs: int
    hidden: int
    classes: int

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.size,)

    @property
    def size(self) -> int:
        return self.inputs * self.hidden + (self.hidden + 1) * self.classes

    def init(self, seed: int) -> np.ndarray:
        """He-normal weights, :math:`N(0, 2/\\text{fan-in})` in the first layer and
        :math:`N(0, 1/\\text{fan-in})` in the second, drawn from ``seed``."""
        rng = np.random.default_rng(seed)
        first = rng.normal(0.0, np.sqrt(2.0 / self.inputs), self.inputs * self.hidden)
        second = rng.normal(0.0, np.sqrt(1.0 / (self.hidden + 1)),
                            (self.hidden + 1) * self.classes)
        return np.concatenate([first, second])

    def _layers(self, params):
        cut = self.inputs * self.hidden
        lead = params.shape[:-1]
        return (params[..., :cut].reshape(lead + (self.inputs, self.hidden)),
                params[..., cut:].reshape(lead + (self.hidden + 1, self.classes)))

    def _forward(self, params, X):
        W1, W2 = self._layers(params)
        pre = X @ W1
        h = np.maximum(pre, 0.0)
        h1 = np.concatenate([h, np.ones(h.shape[:-1] + (1,))], axis=-1)
        return W2, pre, h1, h1 @ W2

    def logits(self, params: np.ndarray, X: np.ndarray) -> np.ndarray:
        return self._forward(params, X)[-1]

    def __call__(self, params, X, y):
        W2, pre, h1, z = self._forward(params, X)
        loss, residual = _cross_entropy(z, y)
        residual /= X.shape[-2]
        g2 = np.swapaxes(h1, -1, -2) @ residual
        back = (residual @ np.swapaxes(W2[..., :self.hidden, :], -1, -2)) * (pre > 0)
        g1 = np.swapaxes(X, -1, -2) @ back
        flat = lambda g: g.reshape(g.shape[:-2] + (-1,))  # noqa: E731
        return loss, np.concatenate([flat(g1), flat(g2)], axis=-1)


def accuracy(logits: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The fraction of examples whose largest logit is their label: (..., n, k) -> (...)."""
    return (logits.argmax(axis=-1) == y).mean(axis=-1)
