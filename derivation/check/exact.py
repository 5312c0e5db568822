"""The last word on a gradient written as an expression: it is evaluated again, exactly.

A user's NumPy code gives float64 numbers and is judged to float64's tolerance.  An
expression (``--grad``, ``--latex``) is evaluated by us, so nothing forces rounding on
it: once it agrees with the gradient in float64, both are evaluated again with mpmath at
:data:`DIGITS` digits, and again at twice that where they differ (a gap that shrinks
with the precision is rounding; one that stays is real).  A term float64 cannot see
(+10⁻⁹ on a gradient of size 0.1, +10⁻³⁰) is a difference; one below :data:`GAP` of the
gradient's largest entry is not seen, and the report says "exact to 35 digits".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import numpy as np
import sympy as sp

from ..oracle.datasets import Dataset, EvalError, Evaluator
from ..oracle.numbers import EXACT
from .compare import Problem
from .diagnose import FAULTS, Diagnosis

DIGITS = 50
GAP = mpmath.mpf(10) ** -35  # relative to the largest entry: far above 50-digit rounding, far below any fault


def exact_gap(
    problem: Problem,
    expr: sp.Basic,
    offset: int,
    datasets: Sequence[Dataset],
    factor=None,
) -> Gap | bool:
    """The first dataset where ``expr`` is not the gradient exactly (a :class:`Gap`); else whether all agreed.

    ``expr`` is divided by ``factor(dataset)`` first (the factor a statement's left side
    or an update rule implies); ``datasets`` are those the expression was evaluated on
    (labels may be ±1), the gradient is the model's on the problem's own datasets.
    False when the exact path could not evaluate some dataset (the float64 verdict stands,
    and the report does not claim an exact check).
    """
    confirmed = True
    for index, (mine, given) in enumerate(zip(problem.datasets, datasets, strict=True)):
        scale = factor(given) if factor is not None else 1
        gap = _gap(problem, expr, offset, mine, given, scale, DIGITS)
        if gap is None:
            confirmed = False
        elif gap[0] > GAP:
            again = _gap(problem, expr, offset, mine, given, scale, 2 * DIGITS)
            if again is not None and again[0] > GAP:
                return Gap(index, float(again[0]), again[1])
    return confirmed


CONFIRMED = f"confirmed in exact arithmetic ({DIGITS} digits, relative tolerance 1e-35)"


def _gap(problem: Problem, expr, offset: int, mine: Dataset, given: Dataset, scale, digits: int):
    with mpmath.workdps(digits):
        try:
            expected = _flat(Evaluator(mine, numbers=EXACT).value(problem.model.matrix_gradient))
            received = _flat(Evaluator(given, row_offset=offset, numbers=EXACT).value(expr))
        except (EvalError, ArithmeticError, TypeError, ValueError):
            return None
        if received.size != expected.size:
            return None
        exact = Fraction(scale).limit_denominator(10**6)  # 1/m as a float is not exact: divide by p/q exactly
        difference = [r * exact.denominator / exact.numerator - e for r, e in zip(received, expected, strict=True)]
        if not all(mpmath.isfinite(d) for d in difference):
            return None
        size = max([abs(e) for e in expected] + [mpmath.mpf(10) ** -300])
        gap = max(abs(d) for d in difference) / size
        return gap, np.array([float(d) for d in difference])


def _flat(value) -> np.ndarray:
    return np.asarray(value, dtype=object).reshape(-1)


@dataclass(frozen=True)
class Gap:
    """Where an expression that passed in float64 is not the gradient: dataset, relative size, received − expected."""

    dataset: int
    relative: float
    difference: np.ndarray

    @property
    def constant(self) -> bool:
        return bool(np.allclose(self.difference, self.difference[0], rtol=1e-6, atol=0))

    @property
    def reason(self) -> str:
        """Why it is not the gradient, in the user's terms.

        >>> Gap(0, 7.4e-9, np.array([1e-9, 1e-9])).reason[:87]
        'not the gradient: in exact arithmetic (50 digits) every entry differs from it by 1e-09 '
        """
        if self.constant:
            what = f"every entry differs from it by {self.difference[0]:.3g}"
        else:
            what = f"entries differ from it by up to {np.max(np.abs(self.difference)):.3g}"
        return (
            f"not the gradient: in exact arithmetic ({DIGITS} digits) {what} on dataset {self.dataset + 1} "
            f"(relative {self.relative:.2g}), a difference float64 rounding would hide"
        )

    @property
    def diagnosis(self) -> Diagnosis | None:
        if not self.constant:
            return None
        c = f"{self.difference[0]:.3g}"
        explanation = f"received = ∇J + {c} in every entry: remove the {c}"
        return Diagnosis("added-constant", FAULTS["added-constant"], explanation)


__all__ = ["CONFIRMED", "DIGITS", "GAP", "Gap", "exact_gap"]
