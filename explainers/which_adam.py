"""Lesson 11, which Adam are you running? PyTorch's, Keras's, optax's and MLX's Adam fed the
same gradients, where they agree and where they part, AdamW's lambda across libraries, and
the code to take away.

Every number comes from ``optim.conventions`` (each framework's rule, equal to the
framework's own numbers through fixtures).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from optim.conventions import (
    DECAY_CONVENTIONS,
    DEFAULT_EPS,
    FRAMEWORK_NAMES,
    FRAMEWORKS,
    FrameworkAdam,
    decoupled_shrink,
    equivalent_weight_decay,
)

from .code_export import Problem, Setting
from .palette import FRAMEWORK_COLOURS
from .plotly_dict import chart_layout, packed
from .race.racers import PAPER_DEFAULTS
from .url_state import Choice, Number, log_options

DASHES = {"pytorch": "solid", "keras": "dash", "optax": "dot", "mlx": "dashdot"}
SAME_EPS = 1e-8

G = Choice("g", "Gradient size |g|", 1e-6, options=log_options(-9, 0),
           help="Every gradient that arrives has this size (log scale).")
EVERY = Choice("every", "A gradient every … steps", 1, options=(1, 10, 100),
               help="1: a gradient at every step; 100: a rare word, zero in between.")
EPS_MODE = Choice("eps_mode", "ε", "defaults", options=("defaults", "same"),
                  names={"defaults": "each framework's default",
                         "same": f"the same ε = {SAME_EPS:g} everywhere"})
BETA2 = Choice("beta2", "β₂", PAPER_DEFAULTS["beta2"], options=(0.99, 0.999, 0.9999))
STEPS = Number("steps", "Steps", 1000, low=10, high=3000, integer=True, step=10)
DECAY_FROM = Choice("wd_from", "Your λ is written for", "pytorch", options=DECAY_CONVENTIONS,
                    names={**FRAMEWORK_NAMES, "loshchilov_hutter": "Loshchilov & Hutter"})
DECAY_LR = Choice("wd_lr", "Learning rate α", 1e-3, options=log_options(-5, 0))
DECAY = Choice("wd", "Weight decay λ", 1e-2, options=log_options(-6, 0))
SPECS = (G, EVERY, EPS_MODE, BETA2, STEPS, DECAY_FROM, DECAY_LR, DECAY)


def eps_for(framework: str, mode: str) -> float:
    return DEFAULT_EPS[framework] if mode == "defaults" else SAME_EPS


def gradients(g: float, every: int, steps: int) -> np.ndarray:
    """The gradient sequence: ``g`` at steps 1, 1 + every, 1 + 2 every, ..., else 0."""
    t = np.arange(1, steps + 1)
    return np.where((t - 1) % every == 0, g, 0.0)


@lru_cache(maxsize=32)
def steps_by_framework(g: float, every: int, mode: str, beta2: float,
                       steps: int) -> dict[str, np.ndarray]:
    """|step| / alpha at each step for each framework, fed the same gradients."""
    sequence = gradients(g, every, steps)
    out = {}
    for framework in FRAMEWORKS:
        adam = FrameworkAdam(framework, lr=1.0, beta2=beta2, eps=eps_for(framework, mode))
        params, state = np.zeros(1), adam.init(np.zeros(1))
        sizes = np.empty(steps)
        for t, grad in enumerate(sequence):
            params, state, inside = adam.update(params, np.array([grad]), state, internals=True)
            sizes[t] = abs(inside.step[0])
        sizes.flags.writeable = False
        out[framework] = sizes
    return out


def steps_figure(values: dict) -> dict:
    """Each framework's step against the step number (log), the same gradients in."""
    sizes = steps_by_framework(*key(values))
    t = np.arange(1, len(sizes["pytorch"]) + 1)
    data = [{"type": "scatter", "mode": "lines", "name": FRAMEWORK_NAMES[fw],
             "x": packed(t), "y": packed(sizes[fw]),
             "line": {"color": FRAMEWORK_COLOURS[fw], "width": 3, "dash": DASHES[fw]},
             "hovertemplate": f"{FRAMEWORK_NAMES[fw]}<br>step %{{x}}: %{{y:.3g}} α"
                              "<extra></extra>"}
            for fw in FRAMEWORKS]
    every = int(values[EVERY.key])
    when = "at every step" if every == 1 else f"once every {every} steps"
    return chart_layout(data, f"The step, fed |g| = {values[G.key]:g} {when}", "step t",
                        "|step| / α", xaxis={"type": "log",
                                             "tickvals": [1, 3, 10, 30, 100, 300, 1000, 3000]})


def key(values: dict) -> tuple:
    return (float(values[G.key]), int(values[EVERY.key]), values[EPS_MODE.key],
            float(values[BETA2.key]), int(values[STEPS.key]))


GAP_SIZES = np.logspace(-10, 0, 61)
GAP_STEPS = (1, 10, 100, 1000)


@lru_cache(maxsize=8)
def gap_by_size(mode: str, beta2: float) -> np.ndarray:
    """Keras's step divided by PyTorch's, for a steady gradient of every size in GAP_SIZES
    (one batched run each), at the steps in GAP_STEPS: shape (len(GAP_STEPS), sizes)."""
    g = GAP_SIZES[:, None]
    sizes = {}
    for framework in ("pytorch", "keras"):
        adam = FrameworkAdam(framework, lr=1.0, beta2=beta2, eps=eps_for(framework, mode))
        params, state = np.zeros_like(g), adam.init(np.zeros_like(g))
        rows = []
        for t in range(1, max(GAP_STEPS) + 1):
            params, state, inside = adam.update(params, g, state, internals=True)
            if t in GAP_STEPS:
                rows.append(np.abs(inside.step[:, 0]))
        sizes[framework] = np.array(rows)
    return sizes["keras"] / sizes["pytorch"]


def gap_figure(values: dict) -> dict:
    mode, beta2 = values[EPS_MODE.key], float(values[BETA2.key])
    ratio = gap_by_size(mode, beta2)
    greys = ("#000000", "#555555", "#888888", "#BBBBBB")
    data = [{"type": "scatter", "mode": "lines", "name": f"step {t}", "x": packed(GAP_SIZES),
             "y": packed(row), "line": {"color": grey, "width": 3},
             "hovertemplate": f"step {t}<br>|g| = %{{x:.2g}}: Keras's step is %{{y:.3g}} × "
                              "PyTorch's<extra></extra>"}
            for t, row, grey in zip(GAP_STEPS, ratio, greys)]
    return chart_layout(data, "Keras's step ÷ PyTorch's, a steady gradient of size |g|",
                        "|g| (log scale)", "Keras ÷ PyTorch",
                        xaxis={"type": "log", "exponentformat": "power", "dtick": 2},
                        yaxis={"range": [0, 1.1]})


# -- AdamW's lambda ------------------------------------------------------------------

def decay_table(values: dict) -> pd.DataFrame:
    """What the learner's lambda means in every convention: the fraction of each weight
    removed per step, and the lambda that removes the same in each of the others."""
    source, lr, wd = values[DECAY_FROM.key], float(values[DECAY_LR.key]), float(values[DECAY.key])
    shrink = decoupled_shrink(source, lr, wd)
    rows = [{"library": DECAY_FROM.show(target),
             "the same decay is λ =": float(equivalent_weight_decay(source, target, lr, wd)),
             "each step removes": float(shrink)}
            for target in DECAY_CONVENTIONS]
    return pd.DataFrame(rows)


# -- the code to take away -----------------------------------------------------------

CODE_STEPS = 10


def take_away(values: dict) -> tuple[Problem, Setting]:
    """The first CODE_STEPS steps of this page's gradients, at alpha = 0.001, as a program
    (where the frameworks part the most)."""
    sequence = gradients(float(values[G.key]), int(values[EVERY.key]), CODE_STEPS)
    return (Problem("Which Adam are you running?", (0.0,), CODE_STEPS,
                    gradients=tuple((float(g),) for g in sequence)),
            Setting(lr=1e-3, beta2=float(values[BETA2.key]),
                    eps=eps_for("pytorch", values[EPS_MODE.key])))


# -- what the lesson's questions ask (explainers/text/which_adam.toml) ----------------

@dataclass(frozen=True)
class FirstStepGap:
    """Keras's first step in units of PyTorch's, each at its default epsilon, for a
    gradient of size g; and each step in units of alpha."""
    g: float
    answer: float
    keras: float
    pytorch: float
    over_eps: float  # |g| / PyTorch's epsilon
    root_share: float  # sqrt(1 - beta2): sqrt(v_1) / |g|
    versus: str  # how Keras's epsilon compares with sqrt(v_1), in words


def first_step_gap(g: float = 1e-6, beta2: float = 0.999, **_) -> FirstStepGap:
    """(Other settings, the epsilons the prompt quotes, are the frameworks' defaults.)"""
    sizes = steps_by_framework(g, 1, "defaults", beta2, 1)
    keras, pytorch = float(sizes["keras"][0]), float(sizes["pytorch"][0])
    adam = FrameworkAdam("pytorch", beta2=beta2)
    _, state = adam.update(np.zeros(1), np.array([g]), adam.init(np.zeros(1)))
    root_v, eps_hat = float(np.sqrt(state.v[0])), DEFAULT_EPS["keras"]
    versus = ("outweighs it" if eps_hat > 1.05 * root_v else
              "is as large as it" if eps_hat > root_v / 1.05 else
              "is smaller, yet still shortens the step")
    return FirstStepGap(g, keras / pytorch, keras, pytorch, g / adam.eps, root_v / g, versus)


@dataclass(frozen=True)
class EpsilonHat:
    """How many times larger Keras's epsilon acts than PyTorch's, in PyTorch's terms,
    at step t: the ratio of the two denominators' epsilon parts, read from the engine."""
    t: int
    beta2: float
    answer: float


def keras_eps_factor(t: int = 1, beta2: float = 0.999) -> EpsilonHat:
    """Feed a gradient so small (1e-30) that sqrt(v) is nothing beside epsilon: the step is
    then set by epsilon alone, and PyTorch's step divided by Keras's is how much larger
    Keras's epsilon acts (1 / sqrt(1 - beta2^t))."""
    sizes = steps_by_framework(1e-30, 1, "same", beta2, t)
    return EpsilonHat(t, beta2, float(sizes["pytorch"][-1] / sizes["keras"][-1]))


@dataclass(frozen=True)
class Translation:
    """A lambda translated between two conventions."""
    lr: float
    weight_decay: float
    answer: float
    shrink: float
    backwards: float  # lambda / alpha: the translation done the wrong way round


def translate_decay(lr: float = 1e-3, weight_decay: float = 0.01,
                    source: str = "pytorch", target: str = "loshchilov_hutter") -> Translation:
    return Translation(lr, weight_decay,
                       float(equivalent_weight_decay(source, target, lr, weight_decay)),
                       float(decoupled_shrink(source, lr, weight_decay)), weight_decay / lr)
