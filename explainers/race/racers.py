"""The racers a learner can put on a landscape, and how the sliders set them up.

Two step sizes: one for the SGD family (plain and momentum) and one for the
adaptive family, whose steps are normalised and so live on another scale.
beta1, beta2 and eps are Adam's (and those of its relatives that keep the same two
averages: AMSGrad, AdamW, AdaMax, NAdam, RAdam); eps is shared by every adaptive
racer.  RMSProp keeps its own decay (0.99, PyTorch's default), SGD its momentum (0.9)
and Lion its two betas (0.9, 0.99: its own paper's, whose beta2 is a momentum's memory,
not v's), stated in their labels, so no slider silently means two things.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from optim import SGD, Adagrad, Adam, Adamax, AdamW, Lion, NAdam, Optimizer, RAdam, RMSProp

from ..palette import RACER_COLOURS

PAPER_DEFAULTS = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "alpha": 1e-3}
MOMENTUM = 0.9
RMSPROP_DECAY = 0.99
ADAMW_DECAY = 0.01
LION_BETAS = (0.9, 0.99)


@dataclass(frozen=True)
class Settings:
    """The race's hyperparameter sliders."""

    alpha_sgd: float = 0.01
    alpha_adaptive: float = 0.05
    beta1: float = PAPER_DEFAULTS["beta1"]
    beta2: float = PAPER_DEFAULTS["beta2"]
    eps: float = PAPER_DEFAULTS["eps"]
    correction: tuple[bool, bool] = (True, True)  # Adam's bias correction of (m, v)


@dataclass(frozen=True)
class Racer:
    key: str
    label: str
    make: Callable[[Settings], Optimizer]
    uses: tuple[str, ...]  # the Settings fields this racer reads

    @property
    def colour(self) -> str:
        return RACER_COLOURS[self.key]

    def relevant(self, settings: Settings) -> Settings:
        """``settings`` with the fields this racer ignores set to their defaults, so
        a change to another racer's slider leaves this racer's run (and cache) alone."""
        return replace(Settings(), **{name: getattr(settings, name) for name in self.uses})


_SGD_FIELDS = ("alpha_sgd",)
_ADAM_FIELDS = ("alpha_adaptive", "beta1", "beta2", "eps", "correction")
_SCALED_FIELDS = ("alpha_adaptive", "eps")
_FAMILY_FIELDS = ("alpha_adaptive", "beta1", "beta2", "eps")  # no switch for the correction

RACERS: dict[str, Racer] = {r.key: r for r in [
    Racer("sgd", "SGD", lambda s: SGD(s.alpha_sgd), _SGD_FIELDS),
    Racer("momentum", f"SGD + momentum ({MOMENTUM})",
          lambda s: SGD(s.alpha_sgd, momentum=MOMENTUM), _SGD_FIELDS),
    Racer("adam", "Adam", lambda s: Adam(s.alpha_adaptive, s.beta1, s.beta2, s.eps, s.correction),
          _ADAM_FIELDS),
    Racer("amsgrad", "AMSGrad",
          lambda s: Adam(s.alpha_adaptive, s.beta1, s.beta2, s.eps, s.correction, amsgrad=True),
          _ADAM_FIELDS),
    Racer("adamw", f"AdamW (decay {ADAMW_DECAY})",
          lambda s: AdamW(s.alpha_adaptive, s.beta1, s.beta2, s.eps, s.correction,
                          weight_decay=ADAMW_DECAY),
          _ADAM_FIELDS),
    Racer("rmsprop", f"RMSProp (decay {RMSPROP_DECAY})",
          lambda s: RMSProp(s.alpha_adaptive, beta2=RMSPROP_DECAY, eps=s.eps), _SCALED_FIELDS),
    Racer("adagrad", "Adagrad", lambda s: Adagrad(s.alpha_adaptive, eps=s.eps), _SCALED_FIELDS),
    Racer("adamax", "AdaMax", lambda s: Adamax(s.alpha_adaptive, s.beta1, s.beta2, s.eps),
          _FAMILY_FIELDS),
    Racer("nadam", "NAdam", lambda s: NAdam(s.alpha_adaptive, s.beta1, s.beta2, s.eps),
          _FAMILY_FIELDS),
    Racer("radam", "RAdam", lambda s: RAdam(s.alpha_adaptive, s.beta1, s.beta2, s.eps),
          _FAMILY_FIELDS),
    Racer("lion", f"Lion (β {LION_BETAS[0]}, {LION_BETAS[1]})",
          lambda s: Lion(s.alpha_adaptive, *LION_BETAS), ("alpha_adaptive",)),
]}

DEFAULT_RACERS = ("sgd", "adam")
