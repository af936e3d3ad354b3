"""The racers a learner can put on a landscape, and how the sliders set them up.

Two step sizes: one for the SGD family (plain and momentum) and one for the
adaptive family, whose steps are normalised and so live on another scale.
beta1, beta2 and eps are Adam's (and AMSGrad's, AdamW's); eps is shared by every
adaptive racer.  RMSProp keeps its own decay (0.99, PyTorch's default) and SGD
its momentum (0.9), stated in their labels, so no slider silently means two things.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from optim import SGD, Adagrad, Adam, AdamW, Optimizer, RMSProp

from .palette import RACER_COLOURS

PAPER_DEFAULTS = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "alpha": 1e-3}
MOMENTUM = 0.9
RMSPROP_DECAY = 0.99
ADAMW_DECAY = 0.01


@dataclass(frozen=True)
class Settings:
    """The race's hyperparameter sliders."""

    alpha_sgd: float = 0.01
    alpha_adaptive: float = 0.05
    beta1: float = PAPER_DEFAULTS["beta1"]
    beta2: float = PAPER_DEFAULTS["beta2"]
    eps: float = PAPER_DEFAULTS["eps"]


@dataclass(frozen=True)
class Racer:
    key: str
    label: str
    family: str  # "sgd" or "adaptive"
    make: Callable[[Settings], Optimizer]

    @property
    def colour(self) -> str:
        return RACER_COLOURS[self.key]


RACERS: dict[str, Racer] = {r.key: r for r in [
    Racer("sgd", "SGD", "sgd", lambda s: SGD(s.alpha_sgd)),
    Racer("momentum", f"SGD + momentum ({MOMENTUM})", "sgd",
          lambda s: SGD(s.alpha_sgd, momentum=MOMENTUM)),
    Racer("adam", "Adam", "adaptive", lambda s: Adam(s.alpha_adaptive, s.beta1, s.beta2, s.eps)),
    Racer("amsgrad", "AMSGrad", "adaptive",
          lambda s: Adam(s.alpha_adaptive, s.beta1, s.beta2, s.eps, amsgrad=True)),
    Racer("adamw", f"AdamW (decay {ADAMW_DECAY})", "adaptive",
          lambda s: AdamW(s.alpha_adaptive, s.beta1, s.beta2, s.eps, weight_decay=ADAMW_DECAY)),
    Racer("rmsprop", f"RMSProp (decay {RMSPROP_DECAY})", "adaptive",
          lambda s: RMSProp(s.alpha_adaptive, beta2=RMSPROP_DECAY, eps=s.eps)),
    Racer("adagrad", "Adagrad", "adaptive", lambda s: Adagrad(s.alpha_adaptive, eps=s.eps)),
]}

DEFAULT_RACERS = ("sgd", "adam")
