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
    Adagrad's running sum of squares, or AdaMax's infinity norm :math:`u`, which
    plays :math:`\\sqrt{v}`'s part), ``v_max`` AMSGrad's running maximum of v.
    ``powers`` is Adam's :math:`(\\beta_1^t, \\beta_2^t)` for its bias corrections, kept as
    running products: each step multiplies by the betas, an exactly rounded operation,
    so a scalar and an array hyperparameter give the same bits (``pow`` does not
    promise that: NumPy's vectorised ``pow`` and C's differ in the last bit).
    ``mu_product`` is NAdam's product of its momentum schedule,
    :math:`\\prod_{i \\le t} \\mu_i` (a number per run, not per weight).
    ``row_var`` and ``col_var`` are Adafactor's factored second moment of a matrix:
    one number per row (shape ``(..., rows, 1)``) and one per column (``(..., 1, cols)``).
    Fields an optimizer does not use are ``None``.
    """

    t: int
    m: np.ndarray | None = None
    v: np.ndarray | None = None
    v_max: np.ndarray | None = None
    powers: tuple | None = None
    mu_product: float | np.ndarray | None = None
    row_var: np.ndarray | None = None
    col_var: np.ndarray | None = None

    def copy(self) -> "State":
        """A copy whose arrays the in-place update may overwrite: every array field is
        copied (``powers``, a tuple, is never updated in place, so it is shared)."""
        return self._replace(**{name: value.copy(order="K")
                                for name, value in zip(self._fields, self)
                                if isinstance(value, np.ndarray)})


class Internals(NamedTuple):
    """Everything one update computed, for the teaching pages.

    ``g``: the gradient used (with any L2 term added); ``m``, ``v``: the moments
    after the update; ``m_hat``, ``v_hat``: the bias-corrected moments (equal to m
    and v when correction is off); ``effective_lr``: the per-coordinate step size
    that multiplies the (corrected) direction, e.g. ``alpha / (sqrt(v_hat) + eps)``
    for Adam; ``step``: what was subtracted from the parameters (excluding
    decoupled weight decay, which AdamW applies separately).
    Quantities an optimizer does not have are ``None``.  Each optimizer's docstring
    says what its ``m_hat`` and ``effective_lr`` are when they differ from Adam's.
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


#: the State fields that hold numbers for the weights (``t``, ``powers`` and
#: ``mu_product`` are a few numbers per parameter tensor, whatever its size)
PER_WEIGHT_FIELDS = ("m", "v", "v_max", "row_var", "col_var")


def state_numbers(optimizer: Optimizer, shape) -> int:
    """How many numbers of state the optimizer keeps for one parameter of ``shape``.

    Element-wise optimizers keep a fixed number per weight (Adam: m and v, so
    ``2 * size``); Adafactor on an n x m matrix keeps n + m (a row and a column
    factor); Muon keeps its momentum buffer.  A leading batch axis multiplies the
    count.  The step count and per-tensor scalars (Adam's powers, NAdam's
    mu_product) are not counted.
    """
    state = optimizer.init(np.zeros(shape))
    return sum(np.size(getattr(state, name)) for name in PER_WEIGHT_FIELDS
               if getattr(state, name) is not None)


def matrix_state_numbers(optimizer: Optimizer, rows: int, cols: int) -> int:
    """:func:`state_numbers` for a ``rows`` x ``cols`` matrix, without allocating it.

    Every optimizer here keeps numbers per weight, per row and per column (Adafactor's
    factors), so the count is :math:`a\\,rc + b\\,r + c\\,c' + d` for a matrix of r rows
    and c' columns: read from four small matrices, it gives the count for a matrix of
    any size (a 4,096 x 4,096 one would take hundreds of MB to count directly).
    """
    n11, n21, n12, n22 = (state_numbers(optimizer, shape)
                          for shape in ((1, 1), (2, 1), (1, 2), (2, 2)))
    per_weight = n22 - n21 - n12 + n11
    per_row, per_col = n21 - n11 - per_weight, n12 - n11 - per_weight
    fixed = n11 - per_weight - per_row - per_col
    return per_weight * rows * cols + per_row * rows + per_col * cols + fixed


def state_slots(optimizer: Optimizer) -> int:
    """How many numbers of state the optimizer keeps per weight (m, v, v_max...): its
    :func:`state_numbers` for a single weight (a 1 x 1 matrix, which every optimizer
    accepts).  Exact for the element-wise optimizers; Adafactor's factored state
    grows with rows + columns, not with weights: ask :func:`state_numbers`."""
    return state_numbers(optimizer, (1, 1))
