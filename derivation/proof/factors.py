"""A ratio between the two sides of a failing step, in the document's letters.

The diagnoser samples at m = 3, n = 2, so a missing 1/m shows as a factor 3.  The same
ratio at a second size (:data:`SECOND_SIZES`) tells a size from a number: 3 at both is 3,
3 and then 5 is m.  The message then says "m × the left side", as the document would.
"""

from __future__ import annotations

import cmath
from collections.abc import Callable
from fractions import Fraction

import sympy as sp

from ..core.notation import j, m, n
from ..oracle.policy import SIZES, agree
from ..printing.expr import to_unicode

Values = Callable[[sp.Expr], "tuple[complex, ...] | None"]  # an expression's values at the sample points

# A second size, to tell a factor that is a size (m, 1/m, n+1 …) from a number that equals it at m = 3, n = 2.
SECOND_SIZES = {m: 5, n: 3}

# Factors a slip can bring that are sizes: 1/m left out is m, Σ_k over θ_0..θ_n of a constant is n + 1.
_SIZE_FORMS = (m, 1 / m, m**2, 1 / m**2, n, 1 / n, n + 1, 1 / (n + 1))


def in_sizes(c: Fraction, numerator: sp.Expr, denominator: sp.Expr, second: Values) -> Fraction | sp.Expr:
    """c, numerator / denominator at m = 3, n = 2, written with m or n when it is one: the ratio at a second size says.

    ``second`` gives an expression's values at :data:`SECOND_SIZES`.  A ratio that is the same
    at both sizes is a number; one that is k·m (or k/m, k·(n+1) …) at both is that, in the
    document's letters; otherwise the symbolic ratio, or the number at m = 3.

    >>> from derivation.proof.diagnose import Evaluator
    >>> from derivation.core.notation import theta
    >>> second = Evaluator(seed=0, sizes=SECOND_SIZES).values
    >>> in_sizes(Fraction(3), m * theta[j], theta[j], second), in_sizes(Fraction(3), 3 * theta[j], theta[j], second)
    (m, Fraction(3, 1))
    >>> in_sizes(Fraction(1, 3), theta[j] / (n + 1), theta[j], second)
    1/(n + 1)
    """
    top, bottom = second(numerator), second(denominator)
    c2 = constant_ratio(top, bottom) if top is not None and bottom is not None else None
    if c2 == c:
        return c
    if c2 is not None:
        for form in _SIZE_FORMS:
            k = c / _fraction(form.xreplace(SIZES))
            if c2 == k * _fraction(form.xreplace(SECOND_SIZES)):
                return sp.Rational(k.numerator, k.denominator) * form
    ratio = _in_letters(c, numerator, denominator)
    return ratio if ratio is not None else c


def _fraction(value: sp.Expr | int) -> Fraction:
    value = sp.Rational(value)
    return Fraction(int(value.p), int(value.q))


def shown(factor: Fraction | sp.Expr) -> str:
    return to_unicode(factor) if isinstance(factor, sp.Basic) else str(factor)


def missing(factor: Fraction | sp.Expr) -> str:
    """What a factor m or 1/m usually means in a derivation of a mean cost: " (the 1/m is missing)"."""
    if not isinstance(factor, sp.Basic):
        return ""
    return {m: " (the 1/m is missing)", 1 / m: " (a 1/m too many)"}.get(factor, "")


def _in_letters(c: Fraction, numerator: sp.Expr, denominator: sp.Expr) -> sp.Expr | None:
    """The ratio c written with m when the sides say so (λθ_j for (λ/m)θ_j is m times it, not 3 at m = 3)."""
    if c not in (Fraction(int(SIZES[m])), Fraction(1, int(SIZES[m]))):
        return None
    if sp.count_ops(numerator) + sp.count_ops(denominator) > 80:
        return None
    try:  # for j ≥ 1 and within 1..n, as the sampled points are: δ_j0 is 0, Σ_k δ_jk u_k is u_j
        ratio = sp.simplify((numerator.doit() / denominator.doit()).subs(sp.KroneckerDelta(j, 0), 0))
        ratio = sp.simplify(ratio.replace(_of_j, lambda e: e.args[0].expr))
    except (TypeError, ValueError, NotImplementedError, AttributeError, StopIteration, RecursionError):
        return None  # SymPy's simplify has its own failures (a StopIteration on a softmax ratio): no name, no crash
    return ratio if ratio in (m, 1 / m) else None


def _of_j(e: sp.Basic) -> bool:
    return isinstance(e, sp.Piecewise) and j in e.args[0].cond.free_symbols <= {j, n}


def constant_ratio(numerators, denominators) -> Fraction | None:
    """The small fraction c with numerator = c × denominator at every point, or None."""
    if not any(abs(d) > 1e-9 for d in denominators):
        return None
    pairs = [(a, b) for a, b in zip(numerators, denominators, strict=True) if abs(b) > 1e-9]
    c = pairs[0][0] / pairs[0][1]
    if not cmath.isfinite(c) or abs(c.imag) > 1e-9:  # inf/inf beside e^{1000z}: no ratio to read
        return None
    nice = Fraction(c.real).limit_denominator(24)
    pairs = zip(numerators, denominators, strict=True)
    if all(agree(a, float(nice) * b) for a, b in pairs):
        return nice
    return None


__all__ = ["SECOND_SIZES", "constant_ratio", "in_sizes", "missing", "shown"]
