"""Machine-learning functions as SymPy functions, and named shorthands.

* :mod:`.registry` — :data:`ML_FUNCTIONS`, one entry a function: its derivative, its
  rewrite to exp/log, its names as read and written, its stable NumPy form and its
  numeric evaluation.  Readers, printers, kernels and checker take functions from here.
* :mod:`.ml` — the smooth functions: σ, softplus, tanh, log cosh.
* :mod:`.piecewise` — the kinked ones, with subgradient rules: ReLU, |·|, and the step 1[z > 0].
* :mod:`.probit` — Φ and φ, the standard normal CDF and density, and a tail-safe log Φ.
* :mod:`.abbreviations` — h_θ(x⁽ⁱ⁾), J(θ): shorthands the engine unfolds, and :class:`Definition`.
"""

from .abbreviations import Abbreviation, Definition, abbreviation, expand_abbreviations
from .ml import logcosh, sigmoid, softplus, tanh_entry
from .piecewise import abs_entry, relu, step
from .probit import log_normal_cdf, normal_cdf, normal_pdf
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
    "abs_entry",
    "entry_of",
    "expand_abbreviations",
    "functions",
    "log_normal_cdf",
    "logcosh",
    "normal_cdf",
    "normal_pdf",
    "register",
    "relu",
    "rewrite_ml_functions",
    "sigmoid",
    "softplus",
    "spellings",
    "step",
    "tanh_entry",
]
