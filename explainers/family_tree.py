"""Lesson 10, Adam's family: what each relative changes, what it keeps in memory, how it
races on a landscape, and, for the two that only mean something for matrices
(Adafactor and Muon), how they fit a low-rank weight matrix.

Every number comes from ``optim``: the state counts from each optimizer's own state
(``optim.base.state_numbers``), the race from ``explainers/race``, the matrix fits from
``optim.training.train`` and the singular values from the engine's own updates.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from optim import SGD, Adafactor, Adam, Adamax, AdamW, Lion, Muon, NAdam, RAdam
from optim.base import matrix_state_numbers, state_numbers
from optim.surfaces import SURFACES
from optim.training import train

from .palette import RACER_COLOURS
from .plotly_dict import chart_layout, packed
from .race.setup import RaceSetup, suggested_settings
from .url_state import Choice, Number

# -- the family table -------------------------------------------------------------------

#: the weight matrix the memory column counts for: a 4096 x 4096 projection, the size
#: of the attention and MLP blocks of a 7-billion-parameter Llama
MATRIX = (4096, 4096)

FAMILY = {"adam": Adam(), "adamw": AdamW(), "adamax": Adamax(), "nadam": NAdam(),
          "radam": RAdam(), "lion": Lion(), "adafactor": Adafactor(), "muon": Muon(),
          "momentum": SGD(0.1, momentum=0.9)}


def state_per_weight(shape: tuple[int, int] = MATRIX) -> dict[str, float]:
    """Numbers of state each member keeps per weight of a matrix of ``shape``."""
    size = shape[0] * shape[1]
    return {key: matrix_state_numbers(opt, *shape) / size for key, opt in FAMILY.items()}


def per_weight_text(shape: tuple[int, int] = MATRIX) -> dict[str, str]:
    """The memory column, written for reading (2, 1, 0.00049)."""
    return {f"{key}_state": f"{n:.2g}" if n < 1 else f"{n:g}"
            for key, n in state_per_weight(shape).items()}


# -- the race on a landscape ------------------------------------------------------------

RACERS = ("adam", "adamax", "nadam", "radam", "lion")
FAMILY_LANDSCAPES = ("plateau", "saddle", "himmelblau", "tilted", "beale", "rosenbrock")
SURFACE = Choice("surface", "Landscape", "plateau", options=FAMILY_LANDSCAPES,
                 names={k: SURFACES[k].name for k in FAMILY_LANDSCAPES})
STEPS = Number("steps", "Steps on the landscape", 500, low=50, high=1000, integer=True,
               step=50)


def race_setup(values: dict) -> RaceSetup:
    """The family's race on the chosen landscape, with the hiker's suggested step size."""
    key = values[SURFACE.key]
    return RaceSetup(surface=key, racers=RACERS, settings=suggested_settings(key),
                     steps=int(values[STEPS.key]))


# -- the matrix problem -----------------------------------------------------------------

N, EXAMPLES, BATCH = 8, 256, 32
RANK = Choice("rank", "Rank of the target matrix", 2, options=(1, 2, 4, 8))
MATRIX_STEPS = Number("matrix_steps", "Training steps (matrix)", 300, low=50, high=1000,
                      integer=True, step=50)
SPECS = (SURFACE, STEPS, RANK, MATRIX_STEPS)


@dataclass(frozen=True)
class MatrixProblem:
    """Fit W (8 x 8) so that x W matches x T for inputs x: T has rank ``rank``, the
    inputs' directions differ in scale (a condition number of 10), minibatches of 32."""
    X: np.ndarray
    Y: np.ndarray
    target: np.ndarray
    start: np.ndarray


@lru_cache(maxsize=8)
def matrix_problem(rank: int, seed: int = 0) -> MatrixProblem:
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(N, N)))
    X = rng.normal(size=(EXAMPLES, N)) * np.logspace(0, -1, N) @ q.T
    target = rng.normal(size=(N, rank)) @ rng.normal(size=(rank, N)) / np.sqrt(rank)
    start = rng.normal(size=(N, N)) * 0.1
    return MatrixProblem(X, X @ target, target, start)


def fit_loss_and_grad(W, X, Y):
    """Half the mean squared error of x W against y over a batch, and its gradient in W.
    W: (..., 8, 8); X, Y: (..., batch, 8)."""
    residual = X @ W - Y
    loss = 0.5 * np.mean(np.sum(residual ** 2, axis=-1), axis=-1)
    return loss, np.swapaxes(X, -1, -2) @ residual / X.shape[-2]


#: the matrix racers (weight decay off for all: the race is about the update's direction)
MATRIX_RACERS = {
    "momentum": ("SGD + momentum 0.9", lambda lr: SGD(lr, momentum=0.9)),
    "adam": ("Adam", lambda lr: Adam(lr)),
    "adafactor": ("Adafactor (relative steps)", lambda lr: Adafactor(lr)),
    "muon": ("Muon", lambda lr: Muon(lr, weight_decay=0.0)),
}
#: every racer tries each step size (one batched training), then races at its best
MATRIX_LRS = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)


@lru_cache(maxsize=32)
def matrix_grid(key: str, rank: int, steps: int):
    """One racer's training at every step size of MATRIX_LRS at once (run axis 1)."""
    problem = matrix_problem(rank)
    lrs = np.array(MATRIX_LRS)[:, None, None]
    start = np.broadcast_to(problem.start, (1, len(MATRIX_LRS), N, N))
    return train(fit_loss_and_grad, MATRIX_RACERS[key][1](lrs), start, problem.X, problem.Y,
                 param_rank=2, steps=steps, batch_size=BATCH, seeds=[0], eval_every=10)


@dataclass(frozen=True)
class MatrixFit:
    """A racer at its best step size: the full-data loss every 10 steps."""
    key: str
    label: str
    lr: float
    eval_steps: np.ndarray
    losses: np.ndarray


def matrix_fit(key: str, rank: int, steps: int) -> MatrixFit:
    grid = matrix_grid(key, rank, steps)
    final = np.where(grid.diverged_at[0] < 0, grid.eval_losses[-1, 0], np.inf)
    best = int(np.argmin(final))
    return MatrixFit(key, MATRIX_RACERS[key][0], MATRIX_LRS[best], grid.eval_steps,
                     grid.eval_losses[:, 0, best])


@lru_cache(maxsize=64)
def update_singular_values(key: str, rank: int, step: int, steps: int = 300) -> np.ndarray:
    """The singular values of a racer's update at ``step`` (at its best step size for a
    race of ``steps``), largest first, as shares of the largest (so racers with different
    step sizes compare)."""
    problem = matrix_problem(rank)
    optimizer = MATRIX_RACERS[key][1](matrix_fit(key, rank, steps).lr)
    update = train(fit_loss_and_grad, optimizer, problem.start[None], problem.X, problem.Y,
                   param_rank=2, steps=step, batch_size=BATCH, seeds=[0]).last.step[0]
    values = np.linalg.svd(update, compute_uv=False)
    return values / values[0]


@dataclass(frozen=True)
class Spread:
    """The prediction's truth: whether most of Muon's update's singular values are close
    to its largest (within half of it) at a step, with Adam's and SGD's counts."""
    answer: str  # "most" or "few"
    step: int
    muon: int  # how many of the 8 are within half of the largest
    adam: int
    sgd: int


def near_largest(shares: np.ndarray) -> int:
    """How many singular values are at least half the largest."""
    return int((shares >= 0.5).sum())


def muon_spread(rank: int = 2, step: int = 1, steps: int = 300) -> Spread:
    counts = {key: near_largest(update_singular_values(key, rank, step, steps))
              for key in ("muon", "adam", "momentum")}
    return Spread("most" if counts["muon"] >= 0.75 * N else "few", step, counts["muon"],
                  counts["adam"], counts["momentum"])


def newton_schulz_lift() -> float:
    """The most five Newton-Schulz iterations multiply a weak singular value by: the
    first coefficient to the fifth power (a small value x maps to about a x)."""
    muon = Muon()
    return muon.ns_coefficients[0] ** muon.ns_steps


def matrix_verdict(rank: int, steps: int) -> str:
    """Which racer's fit ends lowest and which highest, in words."""
    fits = sorted((matrix_fit(key, rank, steps) for key in MATRIX_RACERS),
                  key=lambda fit: fit.losses[-1])
    best, worst = fits[0], fits[-1]
    return (f"After {steps} steps {best.label} ends lowest (a loss of {best.losses[-1]:.3g}, at "
            f"α = {best.lr:g}) and {worst.label} highest ({worst.losses[-1]:.3g}, at "
            f"α = {worst.lr:g}).")


def singular_figure(rank: int, step: int, steps: int) -> dict:
    """Each racer's update's singular values at ``step``, as shares of its largest."""
    data = []
    index = np.arange(1, N + 1)
    for key, (label, _) in MATRIX_RACERS.items():
        data.append({"type": "scatter", "mode": "lines+markers", "name": label,
                     "x": packed(index),
                     "y": packed(update_singular_values(key, rank, step, steps)),
                     "line": {"color": RACER_COLOURS[key], "width": 3},
                     "marker": {"size": 10},
                     "hovertemplate": f"{label}<br>singular value %{{x}}: %{{y:.3f}} of the "
                                      "largest<extra></extra>"})
    return chart_layout(data, f"The update's singular values at step {step}",
                        "singular value (largest first)", "share of the largest",
                        legend_y=-0.25, yaxis={"range": [0, 1.05]}, xaxis={"dtick": 1})


def matrix_loss_figure(rank: int, steps: int) -> dict:
    """Each racer's full-data loss every 10 steps (log scale)."""
    data = []
    for key in MATRIX_RACERS:
        fit = matrix_fit(key, rank, steps)
        loss = np.maximum(fit.losses, 1e-300)
        label = f"{fit.label} (α {fit.lr:g})"
        data.append({"type": "scatter", "mode": "lines", "name": label,
                     "x": packed(fit.eval_steps), "y": packed(np.log10(loss)),
                     "customdata": packed(loss),
                     "line": {"color": RACER_COLOURS[key], "width": 3},
                     "hovertemplate": f"{label}<br>step %{{x}}: loss %{{customdata:.3g}}"
                                      "<extra></extra>"})
    return chart_layout(data, f"Fitting a rank-{rank} 8 × 8 matrix", "step",
                        "log₁₀ loss (all data)", legend_y=-0.25)


def matrix_table(rank: int, steps: int) -> pd.DataFrame:
    rows = []
    for key, (label, make) in MATRIX_RACERS.items():
        fit = matrix_fit(key, rank, steps)
        rows.append({"Optimizer": label, f"Best α (of {len(MATRIX_LRS)} tried)": f"{fit.lr:g}",
                     "Final loss": f"{fit.losses[-1]:.3g}",
                     "State numbers for this 8 × 8 matrix": state_numbers(make(fit.lr), (N, N))})
    return pd.DataFrame(rows)




# -- what the checks ask (explainers/text/family_tree.toml) ----------------------------

@dataclass(frozen=True)
class StateCount:
    """Numbers of state for one weight matrix, from the engine's own state."""
    rows: int
    cols: int
    answer: int
    adam: int
    weights: int


def adafactor_state(rows: int = 1024, cols: int = 4096) -> StateCount:
    return StateCount(rows, cols, matrix_state_numbers(Adafactor(), rows, cols),
                      matrix_state_numbers(Adam(), rows, cols), rows * cols)


@dataclass(frozen=True)
class Infinity:
    """AdaMax's u after a sequence of gradients (its v field), and the running maximum
    of |g| that a forgetful reader might give."""
    answer: float
    largest: float


def adamax_u(g1: float = 2.0, g2: float = -5.0, g3: float = 1.0,
             beta2: float = 0.999) -> Infinity:
    adamax = Adamax(beta2=beta2)
    params, state = np.zeros(1), adamax.init(np.zeros(1))
    for g in (g1, g2, g3):
        params, state = adamax.update(params, np.array([g]), state)
    return Infinity(float(state.v[0]), max(abs(g1), abs(g2), abs(g3)))


@dataclass(frozen=True)
class LeastState:
    """The member that keeps the least state for a rows x cols matrix, and the counts."""
    answer: str
    adam_count: int
    lion_count: int
    adafactor_count: int
    muon_count: int


def least_state(rows: int = 4096, cols: int = 4096) -> LeastState:
    keys = ("adam", "lion", "adafactor", "muon")
    counts = {key: matrix_state_numbers(FAMILY[key], rows, cols) for key in keys}
    return LeastState(min(counts, key=counts.get), *(counts[key] for key in keys))

