"""The NumPy engine behind every number in the app: optimizers, surfaces, runs.

NumPy only: no Streamlit, no Plotly, no pandas.
"""
from .adam import Adam, AdamW
from .adam_family import Adamax, NAdam, RAdam
from .adaptive import Adagrad, RMSProp
from .base import Internals, Optimizer, State
from .lion import Lion
from .matrix_optimizers import Adafactor, Muon
from .sgd import SGD

__all__ = ["Adam", "AdamW", "Adamax", "NAdam", "RAdam", "Adafactor", "Muon", "Lion",
           "Adagrad", "RMSProp", "SGD", "Internals", "Optimizer", "State"]
