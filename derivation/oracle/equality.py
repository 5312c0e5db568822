"""The checker: proves one equality at a time and trusts no rule.

Both sides are brought to a canonical form that never uses our rules: every
abbreviation is expanded to its definition, σ is rewritten as 1/(1+e^(−z))
(so σ′ = σ(1−σ) is never assumed), and derivatives are taken by SymPy's own
``diff``.  Then it tries a cheap symbolic proof (the difference reduces to 0,
sum by sum); failing that it samples random points at concrete sizes
(m=3, n=2, every j) with the one evaluator (:mod:`.sampling`; NumPy and mpmath
load on the first numeric verdict).  A numeric verdict says so.
"""

from __future__ import annotations

import re

import sympy as sp

from ..core.steps import FAILS, HOLDS, UNDECIDED, Check, Derivation, Verdict
from .canonical import TooManyTermsError, exact_difference, sympy_oracle


def verify_equality(lhs: sp.Expr, rhs: sp.Expr, *, seed: int = 0, points: int = 2) -> Verdict:
    """Decide whether ``lhs = rhs`` holds, independently of how it was obtained.

    >>> t = sp.Symbol("t")
    >>> verify_equality(sp.Derivative(sp.exp(2 * t), t), 2 * sp.exp(2 * t)).status
    'holds'
    >>> verify_equality(sp.Derivative(sp.exp(2 * t), t), sp.exp(2 * t)).status
    'fails'
    >>> verify_equality(sp.exp(1000 * t), sp.exp(1000 * t) + sp.Rational(1, 10**30)).detail
    'the sides differ by exactly -1/1000000000000000000000000000000 ≈ -1e-30 (left − right)'
    """
    difference = exact_difference(lhs, rhs)
    if difference == 0:
        return Verdict(HOLDS, "symbolic", "the difference reduces to 0")
    if difference is not None:  # a nonzero number: never "equal to rounding", however small
        return Verdict(FAILS, "symbolic", f"the sides differ by exactly {_shown(difference)} (left − right)")
    from .sampling import numeric_verdict  # NumPy only when a step needs numbers

    return numeric_verdict(lhs, rhs, seed, points)


def _shown(number: sp.Expr) -> str:
    """A constant as a person reads it: 10⁻⁹ as 1/1000000000 = 1e-09, 1 as 1."""
    if number.is_Integer:
        return str(number)
    value = complex(number.evalf(17))
    approx = f"{value.real:.3g}" if value.imag == 0 else f"{value:.3g}"
    return f"{number} ≈ {approx}" if str(number) != approx else approx


# What a checker error may raise on input it cannot handle: reported as "undecided", never a crash.
_CHECKER_ERRORS = (ValueError, TypeError, ArithmeticError, NotImplementedError, AttributeError, IndexError, KeyError)


def _plain(error: Exception) -> str:
    """What went wrong, in the step's terms rather than Python's (no exception names)."""
    text = str(error).rstrip(".")
    wrt = re.match(r"Can't calculate derivative wrt (.*)", text)
    if wrt:
        return f"it differentiates with respect to {wrt.group(1)}, which is not a variable of the step"
    if isinstance(error, ZeroDivisionError):
        return "a division by zero on the sampled values"
    if isinstance(error, (OverflowError, ArithmeticError)):
        return "a value too large to evaluate on the sampled values"
    return text or "an expression it cannot evaluate"


def checked_equality(lhs: sp.Expr, rhs: sp.Expr, seed: int = 0) -> Verdict:
    """:func:`verify_equality`, with a checker error reported as "undecided".

    >>> checked_equality(sp.Symbol("a") + 1, 1 + sp.Symbol("a")).status
    'holds'
    """
    try:
        return verify_equality(lhs, rhs, seed=seed)
    except TooManyTermsError as error:
        return Verdict(UNDECIDED, "none", str(error))
    except _CHECKER_ERRORS as error:
        return Verdict(UNDECIDED, "none", f"the checker could not evaluate this step: {_plain(error)}")


def verify_derivation(derivation: Derivation, closed_forms: dict[str, sp.Expr] | None = None) -> Derivation:
    """A copy of ``derivation`` with a verdict on every step and on the result.

    ``closed_forms`` maps a check's name to an answer obtained elsewhere (the
    model's closed form, ``sympy.diff``); the result must equal each of them.
    """
    seed = derivation.seed
    verdicts, previous = [], derivation.goal
    for step in derivation.steps:
        verdicts.append(checked_equality(previous, step.expr, seed))  # a checker error is undecided, not a crash
        previous = step.expr
    checks = tuple(
        Check(name, checked_equality(derivation.result, answer, seed)) for name, answer in (closed_forms or {}).items()
    )
    return derivation.with_verdicts(verdicts, checks)


__all__ = ["checked_equality", "sympy_oracle", "verify_derivation", "verify_equality"]
