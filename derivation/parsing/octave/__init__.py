"""Octave/MATLAB gradient functions read and translated to NumPy (:mod:`.translate`), one expression for ``--grad``
(:mod:`.expression`); never eval, never Octave."""

from .expression import looks_like_octave, translate_expression
from .runtime import BUILTINS
from .tokens import tokenize
from .translate import Translation, octave_name, python_name, read_functions, translate_file, translate_text

__all__ = [
    "BUILTINS",
    "Translation",
    "looks_like_octave",
    "octave_name",
    "python_name",
    "read_functions",
    "tokenize",
    "translate_expression",
    "translate_file",
    "translate_text",
]
