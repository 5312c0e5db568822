"""Machine-learning functions as SymPy functions, and named shorthands.

* :mod:`.registry` — :data:`ML_FUNCTIONS`, one entry a function: its derivative, its
  rewrite to exp/log, its names as read and written, its stable NumPy form and its
  numeric evaluation.  Readers, printers, kernels and checker take functions from here.
* :mod:`.ml` — the functions themselves: σ, softplus, tanh.
* :mod:`.abbreviations` — h_θ(x⁽ⁱ⁾), J(θ): shorthands the engine unfolds, and :class:`Definition`.
"""

from .abbreviations import Abbreviation, Definition, abbreviation, expand_abbreviations
from .ml import sigmoid, softplus, tanh_entry
from .registry import (
    ML_FUNCTIONS,
    FunctionEntry,
    MLFunction,
    entry_of,
    functions,
    register,
    rewrite_ml_functions,
    spellings,
)

__all__ = [
    "ML_FUNCTIONS",
    "Abbreviation",
    "Definition",
    "FunctionEntry",
    "MLFunction",
    "abbreviation",
    "entry_of",
    "expand_abbreviations",
    "functions",
    "register",
    "rewrite_ml_functions",
    "sigmoid",
    "softplus",
    "spellings",
    "tanh_entry",
]
