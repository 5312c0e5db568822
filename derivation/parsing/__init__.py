"""Safe parsers: Python-syntax math (:mod:`.expr`) and ML-course LaTeX (:mod:`.latex`)."""

from .errors import ParseError
from .expr import default_names, guess_kind, index_names, matrix_names, parse_expr, parse_expr_auto

__all__ = [
    "ParseError",
    "default_names",
    "guess_kind",
    "index_names",
    "matrix_names",
    "parse_expr",
    "parse_expr_auto",
]
