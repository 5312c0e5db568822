"""Canonical forms that use no rule of ours, and the cheap symbolic proof.

Every abbreviation is expanded to its definition, σ is rewritten as 1/(1+e^(−z))
(so σ′ = σ(1−σ) is never assumed), and derivatives are taken by SymPy's own
``diff``.  A difference is zero when it expands to 0, sum by sum; this never
calls ``simplify``.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.exprtools import OutOfTimeError, bound_apart, free_names, time_limit
from ..core.functions import expand_abbreviations, rewrite_ml_functions
from ..core.notation import m, n

SIZE_SYMBOLS = (m, n)
# Past this many tree nodes, or this many seconds, expand/cancel can take minutes:
# the checker samples numerically instead (and says so).
SYMBOLIC_BUDGET = 400
SYMBOLIC_SECONDS = 0.5


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
    if isinstance(lhs, MatrixElement) or isinstance(rhs, MatrixElement):
        return False
    try:
        with time_limit(SYMBOLIC_SECONDS):
            # Renamed apart once more: Σ_j on one side must not meet a free j from the other.
            difference = bound_apart(evaluate_derivatives(plain(lhs)) - evaluate_derivatives(plain(rhs)))
            return _size(difference) <= SYMBOLIC_BUDGET and _is_zero(difference)
    except (TypeError, ValueError, NotImplementedError, RecursionError, OutOfTimeError):
        return False


def _is_zero(expr: sp.Expr) -> bool:
    """Zero by expansion, summing like sums term by term; never calls simplify."""
    if expr == 0:
        return True
    loose, sums = [], {}
    for term in sp.Add.make_args(sp.expand(expr, deep=False)):
        coeff, body = _split_sum(term)
        if body is None:
            loose.append(term)
        else:
            limits, summand = body
            sums[limits] = sums.get(limits, 0) + coeff * summand
    if not _zero_rational(sp.Add(*loose)):
        return False
    return all(_zero_rational(s) for s in sums.values())


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


def _zero_rational(expr: sp.Expr) -> bool:
    if expr == 0:
        return True
    try:
        expanded = sp.expand(expr)
        if expanded == 0:
            return True
        if _size(expanded) > SYMBOLIC_BUDGET:
            return False
        combined = sp.together(expanded)
        if _size(combined) > SYMBOLIC_BUDGET:
            return False
        return sp.cancel(combined) == 0
    except (sp.PolynomialError, TypeError, ValueError):
        return False


def write_out_sums(expr: sp.Expr) -> sp.Expr:
    """Every Σ with whole-number limits written as its terms (innermost first).

    >>> k = sp.Symbol("k", integer=True); t = sp.IndexedBase("t")
    >>> write_out_sums(sp.Sum(t[k] ** 2, (k, 1, 2)))
    t[1]**2 + t[2]**2
    """

    def expand(node: sp.Sum) -> sp.Expr:
        body = node.function
        for index, lo, hi in reversed(node.limits):
            if not (lo.is_Integer and hi.is_Integer):
                return node
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
    """Free whole-number symbols (j, or l in a Hessian) other than the sizes: each is tried over 0..n."""
    return sorted(side_indices(lhs) | side_indices(rhs), key=str)


def side_indices(expr: sp.Expr) -> set[sp.Symbol]:
    # Not free_symbols: a Derivative by θ_j hides j there.
    return {s for s in free_names(plain(expr)) if s.is_integer and s not in SIZE_SYMBOLS}
