"""What every optimizer in this package shares: its state, its internals, its API.

An optimizer is a small immutable object (a frozen dataclass of hyperparameters)
with two methods, in the style of optax:

* ``init(params) -> State``
* ``update(params, grads, state) -> (new_params, new_state)``; with
  ``internals=True`` it also returns the :class:`Internals` of that step.

``update`` is pure: it never touches its arguments.  ``update_inplace`` is the
same arithmetic writing into ``params`` and the state arrays; the batched runner
uses it so the hot loop allocates little.  ``update`` is ``update_inplace`` on
copies, so there is one implementation of every rule, not two.

Hyperparameters may be NumPy arrays that broadcast against the parameters: an
``lr`` of shape ``(K, 1)`` with parameters of shape ``(K, 2)`` runs K learning
rates at once, element for element the same as K separate runs.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np


class State(NamedTuple):
    """Optimizer state. ``t`` counts the updates done so far (0 before the first).

    ``m`` is the first moment (momentum buffer), ``v`` the second moment (or
    Adagrad's running sum of squares), ``v_max`` AMSGrad's running maximum of v.
    ``powers`` is Adam's :math:`(\\beta_1^t, \\beta_2^t)` for its bias corrections, kept as
    running products: each step multiplies by the betas, an exactly rounded operation,
    so a scalar and an array hyperparameter give the same bits (``pow`` does not
    promise that: NumPy's vectorised ``pow`` and C's differ in the last bit).
    Fields an optimizer does not use are ``None``.
    """

    t: int
    m: np.ndarray | None = None
    v: np.ndarray | None = None
    v_max: np.ndarray | None = None
    powers: tuple | None = None

    def copy(self) -> "State":
        """A copy whose arrays the in-place update may overwrite (``powers`` are never
        updated in place, so they are shared)."""
        return self._replace(**{name: getattr(self, name).copy(order="K")
                                for name in ("m", "v", "v_max")
                                if getattr(self, name) is not None})


class Internals(NamedTuple):
    """Everything one update computed, for the teaching pages.

    ``g``: the gradient used (with any L2 term added); ``m``, ``v``: the moments
    after the update; ``m_hat``, ``v_hat``: the bias-corrected moments (equal to m
    and v when correction is off); ``effective_lr``: the per-coordinate step size
    that multiplies the (corrected) direction, e.g. ``alpha / (sqrt(v_hat) + eps)``
    for Adam; ``step``: what was subtracted from the parameters (excluding
    decoupled weight decay, which AdamW applies separately).
    Quantities an optimizer does not have are ``None``.
    """

    g: np.ndarray
    m: np.ndarray | None
    v: np.ndarray | None
    m_hat: np.ndarray | None
    v_hat: np.ndarray | None
    effective_lr: np.ndarray
    step: np.ndarray


def scratch(params: np.ndarray, work) -> tuple[np.ndarray, np.ndarray]:
    """Two temporaries shaped (and laid out) like ``params``: ``work`` if the caller
    supplies them (the runner does, so its hot loop allocates nothing), else new."""
    if work is not None:
        return work
    return np.empty_like(params), np.empty_like(params)


def as_params(params) -> np.ndarray:
    """A float64 copy of ``params``: the engine computes in double precision."""
    return np.array(params, dtype=np.float64, copy=True)


class Optimizer:
    """Base class: the pure ``update`` and ``init`` on top of ``update_inplace``."""

    #: name shown on pages and in legends
    label = "optimizer"

    def init(self, params) -> State:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def update_inplace(self, params: np.ndarray, grads: np.ndarray, state: State,
                       internals: bool = False, work=None,
                       lr=None) -> tuple[State, Internals | None]:
        """The update, writing into ``params`` and the state's arrays.

        ``work``: optional pair of scratch arrays like ``params`` (see :func:`scratch`).
        ``lr``: this step's learning rate, if a schedule sets it (``None``: ``self.lr``);
        it is not validated again, so a runner can set it every step for free.
        Returns the new state and, if ``internals``, the :class:`Internals`.
        """
        raise NotImplementedError  # pragma: no cover

    def update(self, params, grads, state: State, *, internals: bool = False, lr=None):
        """One step, pure. Returns ``(new_params, new_state)`` or, with
        ``internals=True``, ``(new_params, new_state, Internals)``. ``lr``: as in
        :meth:`update_inplace`."""
        new_params = as_params(params)
        grads = np.asarray(grads, dtype=np.float64)
        new_state, inside = self.update_inplace(new_params, grads, state.copy(), internals,
                                                lr=lr)
        return (new_params, new_state, inside) if internals else (new_params, new_state)

    def hyperparameters(self) -> dict:
        """The hyperparameters as a dict (dataclass fields)."""
        return {f: getattr(self, f) for f in self.__dataclass_fields__}  # type: ignore[attr-defined]


def state_slots(optimizer: Optimizer) -> int:
    """How many numbers of state the optimizer keeps per parameter (m, v, v_max...)."""
    state = optimizer.init(np.zeros(1))
    return sum(a is not None for a in state[1:])
