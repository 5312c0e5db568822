"""A user's gradient: read it, run user code boxed in a child process, compare, name the fault.

The names below load :mod:`.gradient` (and SymPy) on first use: the command line reads a file's kind
(:mod:`.usersource`) before it knows whether there is anything to check.
"""

from ..core.status import GradientStatus

_FROM_GRADIENT = {
    "CORRECT",
    "INCORRECT",
    "UNDECIDED",
    "GradientReport",
    "InputError",
    "check_gradient",
    "model_symbols",
}


def __getattr__(name: str):
    if name in _FROM_GRADIENT:
        from . import gradient

        return getattr(gradient, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
