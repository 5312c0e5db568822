"""The bounds both readers enforce before anything is computed, and shape helpers.

Python syntax (:mod:`.expr`) and LaTeX (:mod:`.latex`) check their input here:
its type and length (:func:`check_text`), the depth of its syntax tree
(:func:`too_deep`), and every power before it is built (:func:`check_power`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import TypeVar

import sympy as sp

from .errors import ParseError

MAX_LENGTH = 10_000  # characters of input
MAX_DEPTH = 200  # levels of the syntax tree
MAX_BITS = 4096  # no number the input builds may be larger than 2**MAX_BITS
MAX_INT = 10**6  # integer literals of Python syntax
MAX_EXPONENT = 100  # exponents, in both readers

Node = TypeVar("Node")


def check_text(text: object, max_length: int, body: Callable[[str], str] = str) -> str:
    """``body(text)``, the part to read, once ``text`` is a string of at most ``max_length`` characters
    and that part is not blank; else a ParseError.  ``body`` drops what is not read (``$…$``).

    >>> check_text("x" * 20, 10)
    Traceback (most recent call last):
    ...
    derivation.parsing.errors.ParseError: col 10: input too long (20 characters, limit 10)
    """
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}", None, "")
    if len(text) > max_length:
        raise ParseError(f"input too long ({len(text)} characters, limit {max_length})", max_length, text)
    read = body(text)
    if not read.strip():
        raise ParseError("empty input", 0, text)
    return read


def too_deep(root: Node, children: Callable[[Node], Iterable[Node]], limit: int) -> Node | None:
    """The first node found deeper than ``limit`` levels below ``root`` (counting it as 1), or None.

    >>> too_deep([[[]]], lambda node: node, 2)
    []
    """
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return node
        stack.extend((child, depth + 1) for child in children(node))
    return None


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
