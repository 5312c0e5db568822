"""Safe parsers that never execute user text.

* :func:`parse_expr` reads Python-syntax math (``1/m * X.T @ (sigmoid(X @ theta) - y)``)
  through an ``ast`` whitelist with bounded sizes.
* :func:`parse_latex` reads LaTeX in the notation of ML courses
  (``\\frac{1}{m}\\sum_{i=1}^{m}(h_\\theta(x^{(i)})-y^{(i)})x_j^{(i)}``) with our own grammar.
* :func:`split_chain` cuts a chain ``a = b \\underset{\\text{rule}}{=} c`` into its sides.

Every failure is a :class:`ParseError` (a ValueError) with a one-line message and a position.
"""

from .chain import ChainLink, split_chain, split_equalities
from .errors import ParseError
from .expr import parse_expr, parse_expr_auto
from .latex import LatexContext, default_context, parse_latex
from .names import FUNCTIONS, default_names, guess_kind, index_names, matrix_names

__all__ = [
    "FUNCTIONS",
    "ChainLink",
    "LatexContext",
    "ParseError",
    "default_context",
    "default_names",
    "guess_kind",
    "index_names",
    "matrix_names",
    "parse_expr",
    "parse_expr_auto",
    "parse_latex",
    "split_chain",
    "split_equalities",
]
