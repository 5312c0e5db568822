"""Numeric sampling: both sides evaluated at random points on concrete small sizes.

Each side is brought to a concrete form once (:func:`concrete`: our notation
expanded away, sizes fixed at m=3, n=2, sums written out, derivatives taken by
SymPy); free indices stay symbols that take every value 0..n across the sample
points.  Both sides are then evaluated by the one evaluator at every point at
once, in float64 with a bound on the rounding error (the fast path).  A point
counts as equal there only when the bound proves it; any other point (a
difference, a bound too large, a NaN or complex value, a branch too close to
call) is decided by the exact path, mpmath at 30 digits, which also supplies
the counterexample.  Sizes, tolerance and seeds are :mod:`.policy`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from ..core.notation import E0, K, Theta, W, W_matrix, X, Y, Y_onehot, m, n, theta, x, y
from ..core.steps import FAILS, HOLDS, UNDECIDED, Verdict
from .bounded import lift
from .canonical import evaluate_derivatives, free_indices, plain, side_indices, write_out_sums
from .evaluator import NDIM, POINT, Evaluator, on_axis
from .kinks import Kink, covering_points, find_kinks, kink_table
from .numbers import EXACT, NUMPY, BoundedNumbers, EvalError
from .policy import (
    DIGITS,
    KINK_POINTS,
    KINK_SPAN,
    SIZES,
    TOLERANCE,
    agree,
    complex_or_float,
    draw_index,
    label_row,
    leaf_value,
    sample_points,
    where_sampled,
)

# What a point that cannot be evaluated raises (it is skipped, as the old checker did).
POINT_ERRORS = (EvalError, ArithmeticError, TypeError, ValueError)


class SampledLeaves:
    """Leaf values at sample points, drawn by :func:`~.policy.draw`: one value per (seed, point, leaf name).

    ``assignments`` gives the free indices' values at each point; ``ids`` the
    points' numbers (what the draws depend on).  A free whole-number symbol that
    no assignment names is an error, or with ``stray_indices`` a drawn value in
    1..n (the diagnoser, whose candidate corrections may bring new indices).
    ``used`` records, per point, the leaves read and their values.  ``sizes`` are
    m and n (the policy's; the diagnoser asks at a second size whether a factor is m).
    """

    def __init__(
        self,
        seed: int,
        assignments: list[dict],
        ids: list[int] | None = None,
        stray_indices: bool = False,
        sizes: dict = SIZES,
    ):
        self.seed = seed
        self.sizes = sizes
        self.assignments = assignments
        self.ids = list(range(len(assignments))) if ids is None else ids
        self.points = len(self.ids)
        self.stray_indices = stray_indices
        self.used: list[dict[str, float]] = [{} for _ in self.ids]

    def at(self, point: int) -> SampledLeaves:
        """The same leaves at one of the points."""
        return SampledLeaves(self.seed, [self.assignments[point]], [self.ids[point]], self.stray_indices, self.sizes)

    def value(self, point: int, key: str, base: sp.Basic) -> float:
        used = self.used[point]
        if key not in used:
            used[key] = leaf_value(self.seed, self.ids[point], key, base)
        return used[key]

    def symbol(self, node: sp.Symbol):
        if node in self.sizes:
            return self.sizes[node]
        if node in self.assignments[0]:
            return on_axis(np.array([a[node] for a in self.assignments], dtype=np.int64), POINT)
        if node.is_integer:
            if not self.stray_indices:
                raise EvalError(f"index {node} left unassigned")  # never sample an index as a real number
            values = [draw_index(self.seed, p, node.name, 1, self.sizes[n]) for p in self.ids]
            return on_axis(np.array(values, dtype=np.int64), POINT)
        return on_axis(np.array([self.value(p, node.name, node) for p in range(self.points)]), POINT)

    def indexed(self, node: sp.Indexed, indices: list):
        shape = np.broadcast_shapes((self.points,) + (1,) * (NDIM - 1), *(np.shape(i) for i in indices))
        flat = [np.broadcast_to(np.asarray(i), shape).ravel().tolist() for i in indices]
        points = np.broadcast_to(on_axis(np.arange(self.points), POINT), shape).ravel().tolist()
        base = node.base
        name, labels = _leaf_name(base)
        if labels and len(indices) == 2:  # labels per class: each example's row sums to 1
            out = [self.label(p, *idx) for p, *idx in zip(points, *flat, strict=True)]
            return np.array(out).reshape(shape)
        out = [
            self.value(p, f"{name}[{', '.join(map(str, idx))}]", base) for p, *idx in zip(points, *flat, strict=True)
        ]
        return np.array(out).reshape(shape)

    def label(self, point: int, row: int, cls: int) -> float:
        """y_cls⁽ʳᵒʷ⁾ at a point: its row drawn whole (:func:`~.policy.label_row`), read where it was drawn."""
        key = f"y[{row}, {cls}]"
        used = self.used[point]
        if key not in used:
            if not 1 <= cls <= self.sizes.get(K, 0):
                raise EvalError(f"class {cls} out of range 1..{self.sizes.get(K)}")
            for c_, value in enumerate(label_row(self.seed, self.ids[point], row), start=1):
                used[f"y[{row}, {c_}]"] = value
        return used[key]

    def matrix(self, node: sp.MatrixSymbol):
        concrete = node.xreplace(self.sizes)
        rows, cols = self.sizes[m], self.sizes[n] + 1
        if concrete == E0.xreplace(self.sizes):
            return np.eye(cols, 1, dtype=np.int64).reshape(1, cols, 1)
        entries = {
            X.xreplace(self.sizes): (rows, cols, lambda r, c: (f"x[{r + 1}, {c}]", x)),
            Theta.xreplace(self.sizes): (cols, 1, lambda r, c: (f"theta[{r}]", theta)),
            Y.xreplace(self.sizes): (rows, 1, lambda r, c: (f"y[{r + 1}]", y)),
        }
        classes = self.sizes.get(K)
        if classes is not None:  # W_kc is column c − 1 of W; y_c⁽ⁱ⁾ entry (i − 1, c − 1) of Y
            entries[W_matrix.xreplace(self.sizes)] = (cols, classes, lambda r, c: (f"W[{r}, {c + 1}]", W))
            if concrete == Y_onehot.xreplace(self.sizes):
                return np.array(
                    [
                        [[self.label(p, r + 1, c + 1) for c in range(classes)] for r in range(rows)]
                        for p in range(self.points)
                    ]
                )
        if concrete not in entries:
            raise EvalError(f"no value for {node}")
        r_count, c_count, leaf = entries[concrete]
        return np.array(
            [[[self.value(p, *leaf(r, c)) for c in range(c_count)] for r in range(r_count)] for p in range(self.points)]
        )

    def describe(self, point: int) -> dict:
        """The point as a counterexample: sizes, free indices, every leaf read (by name)."""
        out = {"m": self.sizes[m], "n": self.sizes[n]} | {str(k): int(v) for k, v in self.assignments[point].items()}
        return out | {key: value for key, value in sorted(self.used[point].items())}


@lru_cache(maxsize=4096)
def _leaf_name(base: sp.Basic) -> tuple[str, bool]:
    """An indexed leaf's name and whether it is the labels y (SymPy's printer and ``==`` are slow, and asked once per
    leaf read); keyed on the base itself, whose equality compares names and assumptions."""
    return str(base), base == y


# --- concrete sides ----------------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def concrete(expr: sp.Expr, assignment: tuple = ()) -> sp.Expr:
    """Sizes fixed and derivatives taken by SymPy on their written-out sums: no rule of ours is left.

    Sums outside a derivative stay (the evaluator adds them up); free indices
    stay symbols, evaluated at each point.  With an ``assignment`` ((index,
    value) pairs) the indices free on this side are fixed first, for a sum whose
    limits name one.

    >>> from derivation.core.notation import j, k
    >>> concrete(sp.Derivative(sp.Sum(theta[k] ** 2, (k, 0, n)), theta[j]))
    2*KroneckerDelta(0, j)*theta[0] + 2*KroneckerDelta(1, j)*theta[1] + 2*KroneckerDelta(2, j)*theta[2]
    """
    free_here = side_indices(expr) if assignment else set()
    fixed = plain(expr).xreplace({**SIZES, **{s: sp.Integer(v) for s, v in assignment if s in free_here}})
    if not fixed.has(sp.Derivative):
        return fixed
    return fixed.replace(lambda e: isinstance(e, sp.Derivative), lambda e: evaluate_derivatives(write_out_sums(e)))


def _open_sums(expr: sp.Expr) -> bool:
    """A sum whose limits are not whole numbers (they name a free index): fix the indices, then evaluate."""
    return any(not (lo.is_Integer and hi.is_Integer) for s in expr.atoms(sp.Sum) for _, lo, hi in s.limits)


# --- the verdict ------------------------------------------------------------------------------------------


def numeric_verdict(lhs: sp.Expr, rhs: sp.Expr, seed: int, points: int) -> Verdict:
    """Both sides at the sample points: fast where the error bound proves equality, exact elsewhere."""
    indices = free_indices(lhs, rhs)
    leaves = kink_covering_leaves((concrete(lhs), concrete(rhs)), seed, sample_points(indices, seed, points))
    groups = _groups(lhs, rhs, leaves)
    checked = 0
    for sides, members in groups:
        fast, doubt = _fast(sides, leaves, members)
        for k, point in enumerate(members):
            if fast is not None and not doubt[k] and _surely_equal(fast[0], fast[1], k):
                checked += 1
                continue
            one = leaves.at(point)
            exact = exact_at(sides, one)
            if exact is None:
                continue
            checked += 1
            a, b = exact
            if not agree(a, b, TOLERANCE):
                example = one.describe(0) | {"lhs": complex_or_float(a), "rhs": complex_or_float(b)}
                return Verdict(FAILS, "numeric", f"sides differ at a sampled point, seed {seed}", example)
    if checked == 0:
        return Verdict(UNDECIDED, "none", "no sampled point could be evaluated")
    return Verdict(HOLDS, "numeric", f"equal at {checked} random points ({where_sampled(indices)}), seed {seed}")


def kink_covering_leaves(sides: tuple, seed: int, assignments: list[dict]) -> SampledLeaves:
    """The policy's points, those on a kink left out and points added until every kink's argument takes
    both signs at each index assignment (:func:`~.kinks.covering_points`): else a dropped 1[u > 0] holds
    wherever the draws put every u on one side."""
    kinks = find_kinks(*sides)
    if not kinks:
        return SampledLeaves(seed, assignments)
    by_assignment: dict[tuple, list[int]] = {}
    for point, assignment in enumerate(assignments):
        by_assignment.setdefault(tuple(sorted(assignment.items(), key=str)), []).append(point)
    out_assignments: list[dict] = []
    out_ids: list[int] = []
    for number, (key, members) in enumerate(by_assignment.items()):
        assignment = dict(key)
        ids = covering_points(kink_values(kinks, seed, assignment), members, KINK_POINTS + number * KINK_SPAN)
        out_ids += ids
        out_assignments += [assignment] * len(ids)
    return SampledLeaves(seed, out_assignments, out_ids)


def kink_values(kinks: tuple[Kink, ...], seed: int, assignment: dict) -> Callable[[list[int]], dict]:
    """The kinks' values at given points (:func:`~.kinks.kink_table`), the leaves drawn as everywhere here."""

    def table(ids: list[int]) -> dict:
        leaves = SampledLeaves(seed, [assignment] * len(ids), ids)
        return kink_table(kinks, Evaluator(leaves, NUMPY), len(ids), assignment)

    return table


def _groups(lhs: sp.Expr, rhs: sp.Expr, leaves: SampledLeaves) -> list[tuple[tuple, list[int]]]:
    """The concrete sides and the points they serve: all points at once, or one group per index assignment."""
    sides = (concrete(lhs), concrete(rhs))
    if not any(_open_sums(s) for s in sides):
        return [(sides, list(range(leaves.points)))]
    groups: dict[tuple, list[int]] = {}
    for point, assignment in enumerate(leaves.assignments):
        groups.setdefault(tuple(sorted(assignment.items(), key=str)), []).append(point)
    return [((concrete(lhs, key), concrete(rhs, key)), members) for key, members in groups.items()]


def _fast(sides: tuple, leaves: SampledLeaves, members: list[int]):
    """Both sides in float64 with error bounds at the ``members`` points, and where a branch was in doubt."""
    if len(members) != leaves.points:
        leaves = SampledLeaves(leaves.seed, [leaves.assignments[p] for p in members], [leaves.ids[p] for p in members])
    numbers = BoundedNumbers(len(members))
    evaluator = Evaluator(leaves, numbers)
    try:
        with np.errstate(all="ignore"):
            values = [lift(evaluator.at_points(side)) for side in sides]
    except POINT_ERRORS:
        return None, None
    return values, numbers.doubt


def _surely_equal(a, b, k: int) -> bool:
    """Equal within the tolerance whatever the rounding: |a − b| plus both bounds fits."""
    va, ea, vb, eb = float(a.v[k]), float(a.e[k]), float(b.v[k]), float(b.e[k])
    slack = ea + eb
    if not np.isfinite([va, vb, slack]).all():
        return False
    return abs(va - vb) + slack <= TOLERANCE * (1 + abs(va) + abs(vb) - slack)


def exact_at(sides: tuple, leaves: SampledLeaves) -> tuple[Any, ...] | None:
    """Each tree at the one point of ``leaves`` with mpmath at :data:`~.policy.DIGITS` digits; None where undefined.

    The values stay mpmath numbers, whose exponent has no float64 limit: e^{1500} beside
    e^{1500} + 1 is compared, not turned into inf.
    """
    evaluator = Evaluator(leaves, EXACT)
    out = []
    try:
        with mpmath.workdps(DIGITS):
            for side in sides:
                value = evaluator.at_points(side)[0]
                value = mpmath.mpmathify(value.item() if isinstance(value, np.generic) else value)
                if not mpmath.isfinite(value):
                    return None
                out.append(value)
    except POINT_ERRORS:  # ZeroDivisionError is an ArithmeticError
        return None
    return tuple(out)


__all__ = [
    "POINT_ERRORS",
    "SIZES",
    "TOLERANCE",
    "SampledLeaves",
    "complex_or_float",
    "concrete",
    "exact_at",
    "kink_covering_leaves",
    "kink_values",
    "numeric_verdict",
]
