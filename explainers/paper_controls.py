"""Lesson 5's controls."""
from .url_state import Flag

DECAY = Flag("decay", "Step size decays as α/√t (as in the paper)", True)
SPECS = (DECAY,)
