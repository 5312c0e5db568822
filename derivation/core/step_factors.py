"""What the step g of an update rule is, as multiples of the minimised cost's gradient ∇J.

θ := θ − α·g descends J: g is ∇J, or m·∇J when it sums over the examples (the step size α absorbs a positive
constant, 1/m included); θ := θ + α·g climbs, so its g is −∇J or −m·∇J.  ``check`` reads received values by these
factors (numbers, :mod:`derivation.check.verdict`) and ``verify`` an update rule's step (symbols,
:mod:`derivation.proof.update`): one definition for both.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from .notation import m

STEP_FACTORS: dict[str, tuple[sp.Expr | int, ...]] = {"descent": (1, m), "ascent": (-1, -m)}


def factor_label(factor: sp.Expr | int) -> str:
    """The factor as a report writes it before ∇J: a Unicode minus, 1/m in parentheses.

    >>> [factor_label(k) for k in (*STEP_FACTORS["ascent"], -1 / m)]
    ['−1', '−m', '−(1/m)']
    """
    return str(sp.sympify(factor)).replace("1/m", "(1/m)").replace("-", "−")


@cache  # read for every dataset of every check
def factor_value(factor: sp.Expr | int, size: int) -> float:
    """The factor's number for a dataset of ``size`` examples.

    >>> factor_value(-m, 4), factor_value(1, 4)
    (-4.0, 1.0)
    """
    return float(sp.sympify(factor).subs(m, size))


__all__ = ["STEP_FACTORS", "factor_label", "factor_value"]
