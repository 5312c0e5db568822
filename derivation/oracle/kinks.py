"""Kinks: where an expression is not smooth, and sample points that fall on both sides of every one.

A subgradient step (∂ max(0, u) = 1[u > 0]·u′, ∂|u| = sign(u)·u′) written without its
indicator equals the right one wherever every u is positive.  Random draws can put
every example on one side (1 − y θᵀx > 0 at every point of seed 0), and then a
dropped 1[u > 0] held.  So the points of a numeric check are chosen, not only drawn:
for every kink argument u (of max, min, |·|, sign, the step, ReLU, a Piecewise
condition) the points kept must show u > 0 and u < 0 (and, when u is written per
example, both signs at one point: across the examples), and no point may sit within
:data:`NEAR` of a kink, where there is no derivative.  Points are still the policy's
draws (:func:`~.policy.draw`: a function of seed, point and leaf name); the search adds
points numbered from :data:`~.policy.KINK_POINTS`, drawn wider batch by batch
(:func:`~.policy.widening`), so the same seed gives the same points.

:func:`find_kinks` finds the u's of a scalar tree, :func:`kink_table` evaluates them
(every enclosing Σ's index on an axis of its own, all examples at once),
:func:`covering_points` picks the points, :func:`matrix_kinks` finds the u's of a
model's matrix cost for the datasets of :mod:`.datasets`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp
from sympy.core.relational import Relational
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from ..core.functions.piecewise import relu, step
from ..core.notation import x, y
from .canonical import SIZE_SYMBOLS
from .evaluator import FIRST_SUM, NDIM, Evaluator, on_axis
from .numbers import EvalError
from .policy import KINK_POINTS, KINK_SPAN

NEAR = 1e-6  # a point whose kink argument is closer to 0 than this is not used: no derivative there
BATCH = 8  # candidate points evaluated at once (most kinks are covered by the first few)
MOST_CANDIDATES = KINK_SPAN  # per index assignment: past this many, the points found are used as they are

_AT_ZERO = (sp.sign, sp.Abs, sp.Heaviside, step, relu)  # kinked where the first argument is 0
_EXAMPLE_BASES = (x, y)  # x_k⁽ⁱ⁾, y⁽ⁱ⁾, y_c⁽ⁱ⁾: the first index is the example
_ERRORS = (EvalError, ArithmeticError, TypeError, ValueError)

Table = dict[Hashable, np.ndarray]  # kink group → its values, instances × points


@dataclass(frozen=True)
class Kink:
    """One kink argument u as found in a tree, and the sums around it that it uses (written out when evaluated).

    ``split`` are the positions of ``limits`` whose index u uses other than as an example
    (k in |θ_k|): a group per value of theirs.  The other limits (i in 1 − y⁽ⁱ⁾θᵀx⁽ⁱ⁾) run
    over the instances of one group, whose signs are asked across the examples.
    """

    u: sp.Expr
    limits: tuple  # (index, low, high) of the enclosing sums u uses, outermost first
    split: tuple[int, ...]
    needs: frozenset  # free indices that must be given a value (j)
    key: sp.Basic  # u with its example index forgotten: u at i = 1 and u at i = 2 written out are one group


def find_kinks(*exprs: sp.Expr) -> tuple[Kink, ...]:
    """The kinks of ``exprs`` whose argument depends on data (not a condition j = 0 on an index).

    >>> from derivation.core.notation import i, theta
    >>> u = 1 - y[i] * theta[0] * x[i, 0]
    >>> [(k.u, [v for v, *_ in k.limits], k.split) for k in find_kinks(sp.Sum(sp.Max(0, u), (i, 1, 2)))]
    [(theta[0]*x[i, 0]*y[i] - 1, [i], ())]
    """
    return tuple(dict.fromkeys(kink for expr in exprs for kink in _prepared(expr)))


@lru_cache(maxsize=256)
def _prepared(expr: sp.Basic) -> tuple[Kink, ...]:
    out = []
    for u, limits in _kinks(expr):
        if not _has_values(u):
            continue
        used = {s for s in _loose(u) if s.is_integer}
        for var, lo, hi in reversed(limits):  # an outer index that an inner limit names is written out too
            if var in used:
                used |= lo.free_symbols | hi.free_symbols
        summed = [var for var, *_ in limits]
        kept = tuple(limit for limit in limits if limit[0] in used)
        key = _forget_example(u)
        split = tuple(k for k, (var, *_) in enumerate(kept) if var in key.free_symbols)
        needs = frozenset(s for s in used if s.is_integer and s not in summed and s not in SIZE_SYMBOLS)
        out.append(Kink(u, kept, split, needs, key))
    return tuple(out)


@lru_cache(maxsize=256)
def _kinks(expr: sp.Basic) -> tuple[tuple[sp.Expr, tuple], ...]:
    """(u, the limits of the sums around it, outermost first) for every kink in ``expr``, once per distinct pair."""
    out: dict[tuple, None] = {}

    def walk(node: sp.Basic, limits: tuple) -> None:
        if isinstance(node, sp.Sum):
            walk(node.function, limits + tuple(reversed(node.limits)))  # SymPy lists the innermost first
            for _, lo, hi in node.limits:
                walk(lo, limits)
                walk(hi, limits)
            return
        if not isinstance(node, sp.Basic) or node.is_Atom:
            return
        for u in _here(node):
            out[(u, limits)] = None
        for arg in node.args:
            walk(arg, limits)

    walk(expr, ())
    return tuple(out)


def _here(node: sp.Basic) -> list[sp.Expr]:
    """The kink arguments of ``node`` itself: u of f(u) kinked at 0, a − b of max(a, b), a condition's a − b."""
    if isinstance(node, _AT_ZERO):
        return [node.args[0]]
    if isinstance(node, (sp.Max, sp.Min)):
        return [a - b for a, b in itertools.combinations(node.args, 2)]
    if isinstance(node, sp.Piecewise):
        conditions = [c for _, c in node.args if isinstance(c, sp.Basic)]
        return [r.lhs - r.rhs for c in conditions for r in c.atoms(Relational) if not isinstance(r, (sp.Eq, sp.Ne))]
    return []


def _loose(expr: sp.Expr) -> set[sp.Symbol]:
    """Symbols of ``expr`` bound by no sum inside it."""
    bound = {v for s in expr.atoms(sp.Sum) for v, *_ in s.limits}
    return {s for s in expr.free_symbols if isinstance(s, sp.Symbol)} - bound


def _has_values(expr: sp.Expr) -> bool:
    """Whether ``expr`` depends on data (a leaf that is not a whole-number index)."""
    return bool(expr.atoms(sp.Indexed, sp.MatrixSymbol)) or any(
        not s.is_integer for s in expr.free_symbols if isinstance(s, sp.Symbol)
    )


def _forget_example(u: sp.Expr) -> sp.Basic:
    """``u`` with the example index of x⁽ⁱ⁾ and y⁽ⁱ⁾ replaced by one placeholder: the kink, whichever example."""
    anyone = sp.Symbol("example·")
    return u.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base in _EXAMPLE_BASES,
        lambda e: sp.Indexed(e.base, anyone, *e.indices[1:]),
    )


# --- values ---------------------------------------------------------------------------------------------------------


def kink_table(kinks: tuple[Kink, ...], evaluator: Evaluator, points: int, fixed: dict | None = None) -> Table:
    """Each kink's values at the evaluator's points, by group (instances × points, NaN where undefined).

    ``fixed`` gives the free indices' values (the evaluator's leaves give them too; the limits
    of a sum may name one).  A kink whose limits are not numbers then, or which needs an index
    not given, is left out.

    >>> from derivation.core.notation import i, k, theta
    >>> class Leaves:
    ...     points = 2
    ...     def indexed(self, node, indices):  # θ_k = k − 1 at point 0, 1 − k at point 1
    ...         return (np.asarray(indices[0]) - 1) * on_axis(np.array([1.0, -1.0]), 0)
    >>> kinks = find_kinks(sp.Sum(sp.Abs(theta[k]), (k, 0, 2)))
    >>> {key[1]: v.tolist() for key, v in kink_table(kinks, Evaluator(Leaves()), 2).items()}
    {(0,): [[-1.0, 1.0]], (1,): [[0.0, -0.0]], (2,): [[1.0, -1.0]]}
    """
    fixed = {s: sp.Integer(v) for s, v in (fixed or {}).items()}
    out: Table = {}
    for kink in kinks:
        if kink.needs - set(fixed):
            continue
        ranges = []
        for _, lo, hi in kink.limits:
            low, high = lo.xreplace(fixed), hi.xreplace(fixed)
            if not (low.is_Integer and high.is_Integer) or len(ranges) >= NDIM - FIRST_SUM - 2:
                break
            ranges.append(np.arange(int(low), int(high) + 1))
        else:
            values = _values(kink, ranges, evaluator, points)
            for key, table in _split(kink, ranges, values).items():
                out[key] = np.concatenate([out[key], table]) if key in out else table
    return out


def _values(kink: Kink, ranges: list[np.ndarray], evaluator: Evaluator, points: int) -> np.ndarray:
    """u at every point and every value of its sums' indices: (points, n₁, n₂, …), NaN if it cannot be evaluated."""
    axes = list(range(FIRST_SUM, FIRST_SUM + len(ranges)))
    bound = {var: on_axis(r, axis) for (var, *_), r, axis in zip(kink.limits, ranges, axes, strict=True)}
    shape = (points, 1, 1, *(len(r) for r in ranges)) + (1,) * (NDIM - FIRST_SUM - len(ranges))
    evaluator.busy.update(axes)  # the sums inside u take the axes after these
    try:
        with np.errstate(all="ignore"):
            raw = np.asarray(evaluator.scalar(kink.u, bound))
        values = np.broadcast_to(raw, shape).reshape(shape[: FIRST_SUM + len(ranges)])[:, 0, 0]
        if np.iscomplexobj(values):
            raise TypeError("complex")
        return values.astype(float)
    except _ERRORS:
        return np.full((points, *(len(r) for r in ranges)), np.nan)
    finally:
        evaluator.busy.difference_update(axes)


def _split(kink: Kink, ranges: list[np.ndarray], values: np.ndarray) -> Table:
    """The groups of one kink: one per value of its ``split`` indices, the other indices its instances."""
    out: Table = {}
    for combo in itertools.product(*(range(len(ranges[k])) for k in kink.split)):
        index = [slice(None)] * (1 + len(ranges))
        for k, position in zip(kink.split, combo, strict=True):
            index[1 + k] = position
        part = values[tuple(index)].reshape(values.shape[0], -1)  # points × instances
        out[(kink.key, tuple(int(ranges[k][p]) for k, p in zip(kink.split, combo, strict=True)))] = part.T
    return out


# --- choosing points ----------------------------------------------------------------------------------------------


def point_signs(table: Table, point: int) -> dict[Hashable, set[str]] | None:
    """The signs each group shows at one point ("+", "-", and "±" for both at once); None if a kink is too near."""
    out = {}
    for key, values in table.items():
        column = values[:, point]
        column = column[np.isfinite(column)]
        if np.any(np.abs(column) < NEAR):
            return None
        shown = ({"+"} if np.any(column > 0) else set()) | ({"-"} if np.any(column < 0) else set())
        out[key] = shown | ({"±"} if len(shown) == 2 else set())
    return out


def covering_points(table: Callable[[list[int]], Table], ids: list[int], first: int = KINK_POINTS) -> list[int]:
    """``ids`` without the points on a kink, plus points numbered from ``first`` until every kink shows both signs.

    ``table(ids)`` gives the kinks' values at those points (:func:`kink_table`).  A point is
    added only when it shows a sign not seen yet, and asked to show both signs at once only
    where a group has several instances (examples); the search stops after
    :data:`MOST_CANDIDATES` points (a kink that never changes sign in the ranges drawn).

    >>> def table(ids):  # one kink, two examples: its values at the points ids
    ...     values = {0: [1.0, 2.0], 2: [1e-9, 1.0], 41: [-1.0, 3.0]}
    ...     return {"u": np.array([values.get(p, [5.0, 5.0]) for p in ids]).T}
    >>> covering_points(table, [0, 2], first=10)  # 2 sits on the kink; 41 shows u < 0 and u > 0 at once
    [0, 41]
    """
    values = table(list(ids))
    if not values:
        return list(ids)
    wanted = {key: {"+", "-"} | ({"±"} if v.shape[0] > 1 else set()) for key, v in values.items()}
    seen: dict[Hashable, set[str]] = {key: set() for key in wanted}
    kept: list[int] = []

    def consider(points: list[int], values: Table, only_news: bool) -> None:
        for k, point in enumerate(points):
            signs = point_signs(values, k)
            if signs is None:
                continue
            if only_news and not any((signs.get(key, set()) & wanted[key]) - seen[key] for key in wanted):
                continue
            kept.append(point)
            for key, shown in signs.items():
                seen.setdefault(key, set()).update(shown)

    consider(list(ids), values, only_news=False)
    tried = 0
    while any(not seen[key] >= wanted[key] for key in wanted) and tried < MOST_CANDIDATES:
        batch = list(range(first + tried, first + tried + BATCH))
        tried += BATCH
        consider(batch, table(batch), only_news=True)
    return kept


# --- kinks of a matrix cost (the datasets of the gradient checker) ---------------------------------------------------


def matrix_kinks(cost: sp.Basic) -> list[tuple[sp.MatrixExpr, sp.Lambda]]:
    """(M, u ↦ kink argument) for every function applied entrywise to M with a kink: ReLU(𝟏 − (Xθ) ⊙ y) gives
    (𝟏 − (Xθ) ⊙ y, u ↦ u); |θ| gives (θ, u ↦ u); Huber's ReLU(|u| − 1)² gives u ↦ |u| − 1 and u ↦ u.

    >>> from derivation.models import get_model
    >>> t = sp.Symbol("t")
    >>> [(str(matrix), f(t)) for matrix, f in matrix_kinks(get_model("lasso").matrix_cost)]
    [('theta', t)]
    """
    out = []
    for node in sp.preorder_traversal(cost):
        if isinstance(node, ElementwiseApplyFunction):
            function = node.function
            if not isinstance(function, sp.Lambda):
                function = sp.Lambda(sp.Dummy("u"), function(sp.Dummy("u")))
            (var,) = function.variables
            for kink in find_kinks(function.expr):
                if kink.u.free_symbols <= {var}:
                    out.append((node.expr, sp.Lambda(var, kink.u)))
    return out


__all__ = ["NEAR", "Kink", "covering_points", "find_kinks", "kink_table", "matrix_kinks", "point_signs"]
