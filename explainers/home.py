"""The home page's first race: plain gradient descent and Adam down the elongated bowl,
the same race lesson 1 runs, to predict before anything is read."""
from __future__ import annotations

from dataclasses import dataclass

from .one_learning_rate import BOWL_STEPS, bowl_setup
from .race.setup import RaceSetup, run_race

SGD_ALPHA = 0.05  # lesson 1's default for SGD on the bowl


def first_race() -> RaceSetup:
    return bowl_setup(SGD_ALPHA)


@dataclass(frozen=True)
class FirstRace:
    """Who reaches the valley floor first ("sgd", "adam" or "none"), and when each does."""
    answer: str
    adam: str  # "reaches it at step 145", or "does not reach it within 150 steps"
    sgd: str


def first_to_floor() -> FirstRace:
    results = {r.racer_key: r for r in run_race(first_race())}
    reached = {k: r.reached_at for k, r in results.items() if r.reached_at is not None}
    answer = min(reached, key=reached.get) if reached else "none"

    def when(key):
        at = reached.get(key)
        return (f"reaches it at step {at}" if at is not None
                else f"does not reach it within {BOWL_STEPS} steps")

    return FirstRace(answer, when("adam"), when("sgd"))
