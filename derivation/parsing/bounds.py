"""The bounds both readers enforce before anything is computed, and shape helpers.

Python syntax (:mod:`.expr`) and LaTeX (:mod:`.latex`) check their input here:
its type and length (:func:`check_text`), the depth of its syntax tree
(:func:`too_deep`), the terms of one flat sum or product (:func:`too_many_terms`), and every
power before it is built (:func:`check_power`).  ``derive`` also bounds the work an expression
asks for (:func:`check_derivative`) before any rule runs.
"""

from __future__ import annotations

import ast
import functools
import math
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

import sympy as sp

from .errors import ParseError

MAX_LENGTH = 10_000  # characters of input
MAX_DEPTH = 200  # levels of the syntax tree
MAX_BITS = 4096  # no number the input builds may be larger than 2**MAX_BITS
MAX_INT = 10**12  # integer literals (1/1000000000 is a user's 10⁻⁹); sums are bounded by their terms
MAX_EXPONENT = 100  # exponents, in both readers
MAX_TERMS = 180  # terms of one flat sum or product; Python nests each one a level deeper (MAX_DEPTH)
MAX_DERIVATIVE_SIZE = 1500  # estimated nodes of a derivative written out (derivative_size); 20 factors: 1142
MAX_SUM_TERMS = 10_000  # terms of the sums with numeric limits that derive's checks write out (sum_terms)
# SymPy evaluates log, σ … of a number on construction, at a cost that grows exponentially with the nesting:
# log(log(… 0.5 …)) 10 deep takes 4 s, 11 deep 23 s.  Nobody writes that; both readers refuse it before it is built.
MAX_CONSTANT_NESTING = 6
MAX_CALL_NESTING = 12  # function calls inside one another in Python syntax: 1/(1+exp(−…)) doubles its cost per level
MAX_NESTING = 24  # functions of the variable inside one another (nesting): SymPy's diff recurses past 30

_NOT_TEXT = re.compile("[\0\ud800-\udfff]")  # NUL, and the lone surrogates an undecodable argument becomes

Node = TypeVar("Node")


def function_nesting(expr: sp.Basic) -> int:
    """How many function applications are nested in ``expr`` (log(σ(2)) + 1: 2)."""
    deepest = max((function_nesting(arg) for arg in expr.args), default=0)
    return deepest + 1 if isinstance(expr, sp.Function) else deepest


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
    bad = _NOT_TEXT.search(text)
    if bad is not None:  # before the length: a binary argument is not "too long" but not text at all
        what = "a NUL character" if bad.group() == "\0" else "a byte that is not UTF-8"
        raise ParseError(f"the input is not valid text ({what}): retype it as plain text", bad.start(), text)
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


def too_many_terms(root: ast.AST, limit: int = MAX_TERMS) -> tuple[ast.AST, str] | None:
    """The first flat sum or product in a Python syntax tree with more than ``limit`` terms, and the message.

    ``a + b - c`` is one sum of three terms, although Python nests it as ``(a + b) - c``: counting its
    terms says what is wrong where the depth of the tree would not.

    >>> too_many_terms(ast.parse("+".join(["w"] * 10), mode="eval").body, 8)[1]
    'too many terms in one sum (10 > 8): group them in brackets, at most 4 terms each, or write Sum(…) over an index'
    >>> too_many_terms(ast.parse("(a + b + c) * (d - e - f)", mode="eval").body, 3) is None
    True
    """
    stack: list[tuple[ast.AST, int]] = [(root, _links(None, root, 0))]
    while stack:
        node, links = stack.pop()  # links: operators of node's sum or product from its top down to node
        stack.extend((child, _links(node, child, links)) for child in ast.iter_child_nodes(node))
        if links + 1 > limit:
            rest = node
            while isinstance(rest, ast.BinOp) and _chained(rest, rest.left):
                rest, links = rest.left, links + 1
            kind = "sum" if _group(node) is _ADDITIVE else "product"
            instead = ", or write Sum(…) over an index" if kind == "sum" else ""
            return node, (
                f"too many terms in one {kind} ({links + 1} > {limit}): "
                f"group them in brackets, at most {limit // 2} terms each{instead}"
            )
    return None


_ADDITIVE, _MULTIPLICATIVE = (ast.Add, ast.Sub), (ast.Mult, ast.Div, ast.MatMult)


def _group(node: ast.AST) -> tuple[type, ...] | None:
    op = type(node.op) if isinstance(node, ast.BinOp) else None
    return _ADDITIVE if op in _ADDITIVE else _MULTIPLICATIVE if op in _MULTIPLICATIVE else None


def _links(parent: ast.AST | None, child: ast.AST, links: int) -> int:
    if parent is not None and _chained(parent, child):
        return links + 1
    return 1 if _group(child) is not None else 0


def _chained(parent: ast.AST, child: ast.AST) -> bool:
    """``child`` continues ``parent``'s sum or product: its left operand, with an operator of the same kind."""
    return (
        isinstance(parent, ast.BinOp)
        and parent.left is child
        and _group(parent) is not None
        and (_group(parent) is _group(child))
    )


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


def derivative_size(expr: sp.Basic, varies: Callable[[sp.Basic], bool]) -> int:
    """An estimate of the size (tree nodes) of d expr/dv written out by the chain and product rules.

    ``varies(node)`` says whether a node depends on the variable.  A product of k factors of the
    variable becomes k terms of k factors, a chain of d functions d(d+1)/2 copies of its inside: the
    estimate grows as the printed derivation does, which is what makes a derivation slow.

    >>> w = sp.Symbol("w")
    >>> derivative_size(sp.Mul(*[w + i for i in range(4)]), lambda e: e.has(w))
    38
    >>> derivative_size(sp.sin(sp.sin(w)), lambda e: e.has(w))
    11
    """
    sizes: dict[sp.Basic, int] = {}

    def size(node: sp.Basic) -> int:
        if node not in sizes:
            sizes[node] = 1 + sum(size(a) for a in node.args)
        return sizes[node]

    def d(node: sp.Basic) -> int:
        if not varies(node):
            return 0
        if not node.args:
            return 1
        if isinstance(node, sp.Add):
            return sum(d(a) for a in node.args)
        if isinstance(node, sp.Mul):  # one term per factor of the variable: the other factors and its derivative
            return sum(size(node) - size(a) + d(a) for a in node.args if varies(a))
        if isinstance(node, sp.Sum):
            return d(node.function) + size(node) - size(node.function)
        return 2 * size(node) + sum(d(a) for a in node.args)  # f(u) → f′(u)·u′: f′(u) about twice f(u)

    return d(expr)


def nesting(expr: sp.Basic, varies: Callable[[sp.Basic], bool]) -> int:
    """How many functions and powers of the variable sit inside one another (sums and products do not count).

    >>> w = sp.Symbol("w")
    >>> nesting(sp.log(1 + sp.sin(w) ** 2), lambda e: e.has(w))
    3
    """
    stack, deepest = [(expr, 0)], 0
    while stack:
        node, level = stack.pop()
        if not varies(node):
            continue
        if not isinstance(node, (sp.Add, sp.Mul, sp.Sum)) and node.args:
            level += 1
        deepest = max(deepest, level)
        stack.extend((a, level) for a in node.args)
    return deepest


def sum_terms(expr: sp.Basic) -> int:
    """The most terms any chain of nested sums with numeric limits runs over (symbolic limits count 1).

    >>> i, k, w = sp.symbols("i k w")
    >>> sum_terms(sp.Sum(sp.Sum(w**i, (i, 1, 100)) * w**k, (k, 0, 9))), sum_terms(sp.Sum(w, (i, 1, sp.Symbol("N"))))
    (1000, 1)
    """
    stack, most = [(expr, 1)], 1
    while stack:
        node, terms = stack.pop()
        if isinstance(node, sp.Sum):
            for _, low, high in node.limits:
                if low.is_Integer and high.is_Integer:
                    terms *= max(int(high) - int(low) + 1, 0)
        most = max(most, terms)
        stack.extend((a, terms) for a in node.args)
    return most


def _count(number: int) -> str:
    """A count as a person reads it: 1000000 as is, a 101-digit one as about 10^100."""
    return str(number) if number < 10**12 else f"about 10^{len(str(number)) - 1}"


def check_derivative(expr: sp.Basic, varies: Callable[[sp.Basic], bool], name: str) -> str | None:
    """Why deriving ``expr`` by ``name`` is refused before any work starts, or None.

    >>> w = sp.Symbol("w")
    >>> check_derivative(sp.Mul(*[w + i for i in range(40)]), lambda e: e.has(w), "w")  # doctest: +ELLIPSIS
    'the derivative by w would be too large to show step by step (estimated size 4682, limit 1500): ...'
    """
    terms = sum_terms(expr)
    if terms > MAX_SUM_TERMS:
        return (
            f"the sums run over too many terms to check ({_count(terms)} terms, limit {MAX_SUM_TERMS}): "
            "write the upper limit as a letter, e.g. N, to derive for any number of terms"
        )
    varies = functools.cache(varies)  # asked of every node, some twice
    deep = nesting(expr, varies)
    if deep > MAX_NESTING:
        return (
            f"functions and powers of {name} are nested too deeply to derive step by step "
            f"({deep} levels, limit {MAX_NESTING}): derive the inner part first and name it, e.g. u"
        )
    size = derivative_size(expr, varies)
    if size > MAX_DERIVATIVE_SIZE:
        return (
            f"the derivative by {name} would be too large to show step by step "
            f"(estimated size {size}, limit {MAX_DERIVATIVE_SIZE}): derive it a part at a time, naming the parts"
        )
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
