"""Small models whose loss and gradient the lessons train with the optimizers.

Each takes parameters with any leading batch axes (one set of weights per run,
e.g. per learning rate or per seed), so many runs are one computation.
"""
from __future__ import annotations

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
    logits = X @ W
    logits = logits - logits.max(axis=-1, keepdims=True)
    log_norm = np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    log_p = logits - log_norm
    labels = np.broadcast_to(y[..., None], log_p.shape[:-1] + (1,))
    loss = -np.take_along_axis(log_p, labels, axis=-1)[..., 0].mean(axis=-1)
    residual = np.exp(log_p)  # p - onehot(y)
    np.put_along_axis(residual, labels, np.take_along_axis(residual, labels, -1) - 1, axis=-1)
    grad = np.swapaxes(X, -1, -2) @ residual / X.shape[-2]
    return loss, grad


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
