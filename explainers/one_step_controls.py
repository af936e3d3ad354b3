"""Lesson 3's controls: the paper's hyperparameters and the history of gradients."""
from __future__ import annotations

from optim import Adam

from .hiker_controls import BETA2S, EPSILONS
from .racers import PAPER_DEFAULTS
from .url_state import Choice, Number, Rows, log_options
from .walkthrough import GRADIENT_LIMIT, MAX_STEPS, SEED_GRADIENT

ALPHA = Choice("alpha", "α", PAPER_DEFAULTS["alpha"], options=log_options(-4, 0))
BETA1 = Number("beta1", "β₁", PAPER_DEFAULTS["beta1"], low=0.0, high=0.99)
BETA2 = Choice("beta2", "β₂", PAPER_DEFAULTS["beta2"], options=BETA2S)
EPS = Choice("eps", "ε", PAPER_DEFAULTS["eps"], options=EPSILONS)
GRADIENTS = Rows("g", "Gradients", (SEED_GRADIENT,), width=3, max_rows=MAX_STEPS,
                 limit=GRADIENT_LIMIT)
SPECS = (ALPHA, BETA1, BETA2, EPS, GRADIENTS)


def adam_from(values: dict, bias_correction=True) -> Adam:
    return Adam(lr=values[ALPHA.key], beta1=values[BETA1.key], beta2=values[BETA2.key],
                eps=values[EPS.key], bias_correction=bias_correction)
