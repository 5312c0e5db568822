"""Safe parsers that never execute user text.

* :func:`read_expr` reads Python-syntax math (``1/m * X.T @ (sigmoid(X @ theta) - y)``)
  through an ``ast`` whitelist with bounded sizes.
* :func:`parse_latex` reads LaTeX in the notation of ML courses
  (``\\frac{1}{m}\\sum_{i=1}^{m}(h_\\theta(x^{(i)})-y^{(i)})x_j^{(i)}``) with our own grammar.
* :func:`read_gradient` reads a gradient as users write it: an equation (``\\nabla_\\theta J = …``), an
  update rule (``\\theta_j := \\theta_j - \\alpha …``) or cases by index (j = 0, j ≥ 1).
* :func:`split_chain` cuts a chain ``a = b \\underset{\\text{rule}}{=} c`` into its sides, with their
  positions; :func:`split_rows` and :class:`ChainBuilder` do the same for documents of many formulas.

Every failure is a :class:`ParseError` (a ValueError) with a one-line message and a position.
"""

from .chain import ChainBuilder, ChainLink, Row, split_chain, split_equalities, split_rows
from .errors import ParseError, line_of
from .expr import one_based, read_expr, read_expr_auto
from .latex import LatexContext, parse_latex
from .names import FUNCTIONS, default_names, guess_kind, index_names, matrix_names
from .statement import Statement, read_gradient

__all__ = [
    "FUNCTIONS",
    "ChainBuilder",
    "ChainLink",
    "LatexContext",
    "ParseError",
    "Row",
    "Statement",
    "default_names",
    "guess_kind",
    "index_names",
    "line_of",
    "matrix_names",
    "one_based",
    "read_expr",
    "read_expr_auto",
    "parse_latex",
    "read_gradient",
    "split_chain",
    "split_equalities",
    "split_rows",
]
