"""Canonical forms that use no rule of ours, and the cheap symbolic proof.

Every abbreviation is expanded to its definition, σ is rewritten as 1/(1+e^(−z))
(so σ′ = σ(1−σ) is never assumed), and derivatives are taken by SymPy's own
``diff``.  A difference is zero when it expands to 0, sum by sum; this never
calls ``simplify``.
"""

from __future__ import annotations

from functools import lru_cache, wraps

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.exprtools import OutOfTimeError, bound_apart, free_names, time_limit
from ..core.functions import expand_abbreviations, rewrite_ml_functions
from ..core.notation import K, m, n

SIZE_SYMBOLS = (m, n, K)
# Past this many tree nodes, or this many seconds, expand/cancel can take minutes:
# the checker samples numerically instead (and says so).
SYMBOLIC_BUDGET = 400
SYMBOLIC_SECONDS = 0.5


def memoised_on_tree(function):
    """``function`` of SymPy trees, memoised on the trees themselves, which say everything these functions depend on
    (an abbreviation's class, not only its name, is part of it: two documents' h(i) of different bodies are unequal
    keys); an unhashable tree (a mutable matrix) is computed afresh.  One check asks for the same side's forms
    several times (the symbolic proof, the free indices, the concrete sides, the verifier's shape test), a chain's
    middle side is the right side of one step and the left of the next, and copies of a document share steps."""
    memo = lru_cache(maxsize=8192)(function)

    @wraps(function)
    def memoised(*trees):
        try:
            hash(trees)
        except TypeError:
            return function(*trees)
        return memo(*trees)

    memoised.cache_clear = memo.cache_clear  # the verifier's clear_caches()
    return memoised


@memoised_on_tree
def plain(expr: sp.Expr) -> sp.Expr:
    """Our notation expanded away (definitions substituted, σ written with exp), bound indices renamed apart.

    >>> from derivation.core.notation import theta, j, n
    >>> plain(sp.Derivative(sp.Sum(theta[j] ** 2, (j, 1, n)), theta[j]))
    Derivative(Sum(theta[k]**2, (k, 1, n)), theta[j])
    """
    return bound_apart(rewrite_ml_functions(expand_abbreviations(expr)))


def evaluate_derivatives(expr: sp.Expr) -> sp.Expr:
    return expr.replace(
        lambda e: isinstance(e, sp.Derivative),
        lambda e: sp.diff(e.expr, *e.variables),
    )


def symbolically_equal(lhs: sp.Expr, rhs: sp.Expr) -> bool:
    return exact_difference(lhs, rhs) == 0


def exact_difference(lhs: sp.Expr, rhs: sp.Expr) -> sp.Expr | None:
    """lhs − rhs when expansion reduces it to a number (0 when the sides are equal); else None.

    A difference that is a number is decided exactly, whatever its size: 10⁻³⁰
    or 1 beside e^{1000z} is never "equal to rounding".  None means not decided
    here (the difference depends on the variables, or the budget ran out).

    >>> z = sp.Symbol("z")
    >>> exact_difference(sp.exp(1000 * z) + 1, sp.exp(1000 * z)), exact_difference(z + 1, 1 + z)
    (1, 0)
    >>> exact_difference(z, 2 * z) is None
    True
    """
    if isinstance(lhs, MatrixElement) or isinstance(rhs, MatrixElement):
        return None
    try:
        return _decided_difference(lhs, rhs)
    except (RecursionError, OutOfTimeError):
        return None


@memoised_on_tree
def _decided_difference(lhs: sp.Expr, rhs: sp.Expr) -> sp.Expr | None:
    """:func:`exact_difference`'s work, memoised on the two sides: what expansion makes of them is all it depends
    on.  Running out of time or of stack depends on the moment (the load, the caller's depth): that raises, and is
    not remembered.  A chain's sides are compared again by the verifier's diagnosis and its explanations."""
    try:
        with time_limit(SYMBOLIC_SECONDS):
            # Renamed apart once more: Σ_j on one side must not meet a free j from the other.
            difference = bound_apart(_differentiated(lhs) - _differentiated(rhs))
            if _size(difference) > SYMBOLIC_BUDGET:
                return None
            return _leftover(difference)
    except (TypeError, ValueError, NotImplementedError):
        return None


@memoised_on_tree
def _differentiated(side: sp.Expr) -> sp.Expr:
    """The side's plain form with its derivatives taken by SymPy."""
    return evaluate_derivatives(plain(side))


def _leftover(expr: sp.Expr) -> sp.Expr | None:
    """What expansion leaves of a difference, summing like sums term by term: 0, a number, or None."""
    if expr == 0:
        return sp.Integer(0)
    loose, sums = [], {}
    for term in sp.Add.make_args(sp.expand(expr, deep=False)):
        coeff, body = _split_sum(term)
        if body is None:
            loose.append(term)
        else:
            limits, summand = body
            sums[limits] = sums.get(limits, 0) + coeff * summand
    if not all(_cancelled(s) == 0 for s in sums.values()):
        return None
    rest = _cancelled(sp.Add(*loose))
    return rest if rest is not None and _exact_number(rest) else None


def _exact_number(expr: sp.Expr) -> bool:
    """A finite number written exactly (no float, no unevaluated sum or derivative): its value is certain."""
    if not expr.is_number or expr.has(sp.Float, sp.Sum, sp.Product, sp.Derivative, sp.Integral):
        return False
    return not expr.has(sp.zoo, sp.oo, sp.nan) and expr.is_finite is not False


def _split_sum(term: sp.Expr):
    factors = sp.Mul.make_args(term)
    sums = [f for f in factors if isinstance(f, sp.Sum)]
    if len(sums) != 1:
        return term, None
    coeff = sp.Mul(*(f for f in factors if f is not sums[0]))
    if any(lim[0] in coeff.free_symbols for lim in sums[0].limits):
        return term, None
    return coeff, (sums[0].limits, sums[0].function)


def _size(expr: sp.Basic) -> int:
    return sum(1 for _ in sp.preorder_traversal(expr))


def _cancelled(expr: sp.Expr) -> sp.Expr | None:
    """``expr`` expanded, over one denominator and cancelled; None past the budget or where that fails."""
    if expr == 0:
        return sp.Integer(0)
    try:
        expanded = sp.expand(expr)
        if expanded == 0 or _size(expanded) > SYMBOLIC_BUDGET:
            return expanded if expanded == 0 else None
        combined = sp.together(expanded)
        if _size(combined) > SYMBOLIC_BUDGET:
            return None
        return sp.cancel(combined)
    except (sp.PolynomialError, TypeError, ValueError):
        return None


WRITTEN_TERMS = 10_000  # terms a check writes out: past this, "too many terms", never a hang


class TooManyTermsError(ValueError):
    """A sum with numeric limits too long to write out; the message is for the user."""


def write_out_sums(expr: sp.Expr) -> sp.Expr:
    """Every Σ with whole-number limits written as its terms (innermost first); at most :data:`WRITTEN_TERMS`.

    >>> k = sp.Symbol("k", integer=True); t = sp.IndexedBase("t")
    >>> write_out_sums(sp.Sum(t[k] ** 2, (k, 1, 2)))
    t[1]**2 + t[2]**2
    """

    def expand(node: sp.Sum) -> sp.Expr:
        body = node.function
        for index, lo, hi in reversed(node.limits):
            if not (lo.is_Integer and hi.is_Integer):
                return node
            if hi - lo + 1 > WRITTEN_TERMS:
                raise TooManyTermsError(
                    f"the sum over {index} runs over {hi - lo + 1} terms, more than the {WRITTEN_TERMS} a check "
                    "writes out: write its upper limit as a letter (m, N)"
                )
            body = sp.Add(*(body.xreplace({index: sp.Integer(t)}) for t in range(int(lo), int(hi) + 1)))
        return body

    return expr.replace(lambda e: isinstance(e, sp.Sum), expand)


def sympy_oracle(expr: sp.Expr, wrt: sp.Expr) -> sp.Expr:
    """∂expr/∂wrt by SymPy alone, after expanding our notation (an independent answer).

    >>> from derivation.core.functions import sigmoid
    >>> z = sp.Symbol("z")
    >>> sympy_oracle(sigmoid(z), z)
    exp(-z)/(1 + exp(-z))**2
    """
    return sp.diff(bound_apart(plain(expr), free_names(wrt)), wrt)


def free_indices(lhs: sp.Expr, rhs: sp.Expr) -> list[sp.Symbol]:
    """Free whole-number symbols (j, or l in a Hessian; c of W_jc) other than the sizes: each tried over its range."""
    return sorted(side_indices(lhs) | side_indices(rhs), key=str)


def side_indices(expr: sp.Expr) -> set[sp.Symbol]:
    return set(_side_indices(expr))


@memoised_on_tree
def _side_indices(expr: sp.Expr) -> frozenset[sp.Symbol]:
    # Not free_symbols: a Derivative by θ_j hides j there.
    return frozenset(s for s in free_names(plain(expr)) if s.is_integer and s not in SIZE_SYMBOLS)


CANONICAL_MEMOS = (plain, _differentiated, _side_indices, _decided_difference)  # what clear_caches() forgets
