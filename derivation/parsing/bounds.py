"""The bounds both parsers enforce before anything is computed, and shape helpers."""

from __future__ import annotations

import math

import sympy as sp

MAX_LENGTH = 10_000  # characters of input
MAX_DEPTH = 200  # levels of the syntax tree
MAX_BITS = 4096  # no number the input builds may be larger than 2**MAX_BITS


def bits(number: sp.Basic) -> float:
    """An upper bound on the bits of a SymPy number (numerator plus denominator).

    >>> bits(sp.Integer(255)), bits(sp.Rational(1, 2))
    (9.0, 3.0)
    """
    if isinstance(number, sp.Rational):
        return float(abs(number.p).bit_length() + abs(number.q).bit_length())
    if isinstance(number, sp.Float):
        value = abs(float(number))
        return math.log2(value) if value > 1 else 0.0
    return 0.0


def check_power(base: sp.Basic, exponent: sp.Basic, max_exponent: int) -> str | None:
    """Why ``base**exponent`` may not be built, or None when it is cheap and bounded.

    >>> check_power(sp.Integer(9), sp.Integer(387420489), 100)
    'exponent 387420489 is too large (limit 100)'
    >>> check_power(sp.Symbol("z"), sp.Integer(2), 100) is None
    True
    """
    if isinstance(exponent, sp.Number):
        if not exponent.is_finite:
            return "exponent is not finite"
        if abs(exponent) > max_exponent:
            return f"exponent {exponent} is too large (limit {max_exponent})"
        if isinstance(base, sp.Number) and bits(base) * float(abs(exponent)) > MAX_BITS:
            return f"number too large (more than {MAX_BITS} bits)"
    elif isinstance(base, sp.Number) and exponent.is_number:
        return "a number raised to a computed exponent is not allowed"
    return None


def same_dim(a: sp.Expr, b: sp.Expr) -> bool:
    """True when two (symbolic) dimensions are provably equal.

    >>> n = sp.Symbol("n")
    >>> same_dim(n + 1, 1 + n), same_dim(n + 1, sp.Symbol("m"))
    (True, False)
    """
    return sp.expand(a - b) == 0


def shape_text(matrix: sp.MatrixExpr) -> str:
    """``m×(n + 1)`` for error messages.

    >>> shape_text(sp.MatrixSymbol("X", sp.Symbol("m"), sp.Symbol("n") + 1))
    'm×(n + 1)'
    """
    rows, cols = (f"({d})" if isinstance(d, sp.Add) else str(d) for d in matrix.shape)
    return f"{rows}×{cols}"
