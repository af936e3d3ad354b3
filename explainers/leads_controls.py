"""Lesson 8's controls."""
from .leads import DECAY_STEPS
from .url_state import Choice, Number

DECAY = Choice("wd", "Weight decay λ", 0.1, options=(0.001, 0.01, 0.1, 0.5))
STEP = Number("t", "Read the rates at step", 100, low=1, high=DECAY_STEPS, integer=True)
SPECS = (DECAY, STEP)
