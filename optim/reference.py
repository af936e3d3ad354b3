"""Adam as the paper prints it: Algorithm 1 of Kingma & Ba, "Adam: A Method for Stochastic
Optimization" (ICLR 2015, arXiv:1412.6980), line for line, in plain NumPy.

Written to be read, not to be fast: ``optim.Adam`` computes the same numbers (to about
1e-15, the order of its operations differs) in fewer passes over the arrays, and
``optim.conventions`` shows how other libraries depart from it.
"""
from __future__ import annotations

import numpy as np


def adam_algorithm_1(gradient, theta0, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8,
                     steps=None) -> np.ndarray:
    """Run Algorithm 1 and return the trajectory: theta_0, theta_1, ..., theta_steps.

    ``gradient``: a function of theta returning the gradient there, or a sequence of
    gradients, the t-th used at step t (``steps`` defaults to its length).
    """
    if steps is None:
        steps = len(gradient)
    theta = np.asarray(theta0, dtype=np.float64)
    m = np.zeros_like(theta)              # m_0 <- 0 (initialize 1st moment vector)
    v = np.zeros_like(theta)              # v_0 <- 0 (initialize 2nd moment vector)
    trajectory = [theta]
    for t in range(1, steps + 1):         # t <- t + 1, while theta_t not converged
        # g_t <- gradient of f_t at theta_{t-1} (get gradients w.r.t. stochastic objective)
        g = gradient(theta) if callable(gradient) else np.asarray(gradient[t - 1])
        m = beta1 * m + (1 - beta1) * g        # update biased first moment estimate
        v = beta2 * v + (1 - beta2) * g ** 2   # update biased second raw moment estimate
        m_hat = m / (1 - beta1 ** t)           # compute bias-corrected first moment estimate
        v_hat = v / (1 - beta2 ** t)           # compute bias-corrected second raw moment estimate
        theta = theta - alpha * m_hat / (np.sqrt(v_hat) + eps)   # update parameters
        trajectory.append(theta)
    return np.stack(trajectory)            # the paper returns theta_t; we keep every one
