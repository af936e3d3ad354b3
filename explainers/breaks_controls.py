"""Lesson 7's controls."""
from .breaks import PRECISIONS, PRESETS
from .url_state import Choice, Number

BETA1 = Choice("reddi_beta1", "β₁", 0.9, options=(0.0, 0.5, 0.9, 0.99))
BETA2 = Choice("reddi_beta2", "β₂", 0.99, options=(0.9, 0.99, 0.999, 0.9999))
ALPHA = Choice("reddi_alpha", "α (decayed as α/√t)", 1.0, options=(0.1, 0.2, 0.5, 1.0, 2.0))
PRESET = Choice("model", "Model size", "70B", options=tuple(PRESETS) + ("custom",))
PARAMETERS = Number("params", "Parameters (custom)", 1e9, low=1.0, high=1e13)
PRECISION = Choice("precision", "State precision", "fp32 (4 bytes)", options=tuple(PRECISIONS))
SPECS = (BETA1, BETA2, ALPHA, PRESET, PARAMETERS, PRECISION)
