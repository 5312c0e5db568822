"""A user's gradient: read it, run user code boxed in a child process, compare, name the fault."""

from ..core.status import GradientStatus
from .gradient import CORRECT, INCORRECT, UNDECIDED, GradientReport, InputError, check_gradient, model_symbols

__all__ = [
    "CORRECT",
    "INCORRECT",
    "UNDECIDED",
    "GradientReport",
    "GradientStatus",
    "InputError",
    "check_gradient",
    "model_symbols",
]
