r"""A row written ``a \propto b``: checked as ``a = c·b`` for one positive constant c.

Users write ∝ where they drop 1/m or a factor 2.  The row holds when the ratio a/b is the same positive number at
every sampled point (every θ, data and feature index j the sampler draws, at m = 3, n = 2): c may depend on the
sizes m and n, never on θ, the data or j.  Points where both sides are 0 say nothing and are skipped; one where
only b is 0 is a failure.  The values come from the checker's own exact evaluator (mpmath), never from our rules.
"""

from __future__ import annotations

import re

import mpmath
import sympy as sp

from ..core.notation import m, n
from ..core.steps import FAILS, HOLDS, UNDECIDED, Verdict
from ..oracle.canonical import free_indices
from ..oracle.policy import SIZES, agree, sample_points, where_sampled
from ..oracle.sampling import POINT_ERRORS, concrete, exact_at, kink_covering_leaves

PROPTO = re.compile(r"\\propto(?![A-Za-z])|∝")
_POINTS = 4  # per value of a free index: twelve points for j = 0..2
_ZERO = mpmath.mpf("1e-25")
_RATIO_TOLERANCE = 1e-9


def is_proportional(text: str, relation) -> bool:
    r"""True when the relation of a step is written ``\propto`` (or ∝), not ``=``."""
    return PROPTO.match(text, relation.start) is not None


def proportional_verdict(lhs: sp.Expr, rhs: sp.Expr, seed: int) -> Verdict:
    """``lhs = c·rhs`` for one constant c > 0: the ratio the same positive number at every sampled point.

    >>> t = sp.Symbol("t", real=True)
    >>> proportional_verdict(t / 3, t, 0).status, proportional_verdict(t**2, t, 0).status
    ('holds', 'fails')
    """
    try:
        return _verdict(lhs, rhs, seed)
    except POINT_ERRORS as error:
        return Verdict(UNDECIDED, "none", f"the checker could not evaluate this step: {error}")


def _verdict(lhs: sp.Expr, rhs: sp.Expr, seed: int) -> Verdict:
    indices = free_indices(lhs, rhs)
    assignments = sample_points(indices, seed, _POINTS)
    whole = (concrete(lhs), concrete(rhs))
    leaves = kink_covering_leaves(whole, seed, assignments)
    first = None  # (ratio, the point's description) of the first point with a ratio
    checked = 0
    for point in range(leaves.points):
        one = leaves.at(point)
        key = tuple(sorted(one.assignments[0].items(), key=str))
        sides = (concrete(lhs, key), concrete(rhs, key))
        values = exact_at(sides, one)
        if values is None:
            continue
        a, b = values
        if abs(a) <= _ZERO and abs(b) <= _ZERO:
            continue  # 0 = c·0: says nothing about c
        checked += 1
        here = one.describe(0) | {"lhs": float(a), "rhs": float(b)}
        if abs(b) <= _ZERO:
            return Verdict(FAILS, "numeric", "the right side is 0 where the left is not: no constant c fits", here)
        ratio = a / b
        if ratio <= 0:
            detail = f"left/right = {float(ratio):.6g} here: ∝ needs one positive constant c"
            return Verdict(FAILS, "numeric", detail, here)
        if first is None:
            first = ratio, here
        elif not agree(ratio, first[0], _RATIO_TOLERANCE, 0.0):
            detail = (
                f"left/right = {float(first[0]):.6g} at one sampled point and {float(ratio):.6g} at another: "
                "not one constant c"
            )
            return Verdict(FAILS, "numeric", detail, here)
    if checked < 2 or first is None:
        return Verdict(UNDECIDED, "none", "too few sampled points where the sides are not both 0")
    detail = (
        f"left = c·right with the same c = {float(first[0]):.6g} > 0 at {checked} random points "
        f"({where_sampled(indices)}), seed {seed}"
    )
    return Verdict(HOLDS, "numeric", detail)


def proportional_words(verdict: Verdict) -> str:
    """The step's note: how ∝ was read, and the constant found."""
    read = "a ∝ b read as a = c·b for one positive constant c"
    if verdict.ok:
        found = re.search(r"c = ([-0-9.e+]+)", verdict.detail)
        sizes = f"m = {SIZES[m]}, n = {SIZES[n]}"
        return f"{read}: the ratio is the same, c = {found.group(1)}, at every sampled point ({sizes})"
    if verdict.status == FAILS:
        return f"{read}: {verdict.detail}"
    return read


__all__ = ["PROPTO", "is_proportional", "proportional_verdict", "proportional_words"]
