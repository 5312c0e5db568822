"""Numeric sampling: both sides evaluated at random points on concrete small sizes.

Sizes and free indices are fixed (m=3, n=2, every j), sums are written out and
derivatives taken by SymPy, then every leaf gets a random value drawn once per
point and shared by both sides.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from functools import lru_cache

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagMatrix
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.notation import E0, Theta, X, Y, lam, m, n, theta, x, y
from ..core.steps import FAILS, HOLDS, UNDECIDED, Verdict
from .canonical import evaluate_derivatives, free_indices, plain, side_indices

SIZES = {m: 3, n: 2}
TOLERANCE = 1e-9
DIGITS = 30


@dataclass
class Point:
    """Random values for every leaf, drawn once and reused for both sides."""

    rng: random.Random
    indices: dict  # free indices such as j fixed to whole numbers
    values: dict = field(default_factory=dict)

    def value(self, leaf: sp.Basic) -> sp.Float:
        if getattr(leaf, "is_integer", False) and isinstance(leaf, sp.Symbol):
            raise ValueError(f"index {leaf} left unassigned")  # never sample an index as a real number
        if leaf not in self.values:
            low, high = (0.05, 0.95) if _is_label(leaf) else (-1.5, 1.5)
            if leaf == lam:
                low, high = 0.5, 2.0
            self.values[leaf] = sp.Float(self.rng.uniform(low, high), DIGITS)
        return self.values[leaf]

    def matrices(self) -> dict:
        rows, cols = SIZES[m], SIZES[n] + 1
        xs = sp.ImmutableMatrix(rows, cols, lambda r, c: self.value(x[r + 1, c]))
        ts = sp.ImmutableMatrix(cols, 1, lambda r, c: self.value(theta[r]))
        ys = sp.ImmutableMatrix(rows, 1, lambda r, c: self.value(y[r + 1]))
        e0 = sp.ImmutableMatrix(cols, 1, lambda r, c: 1 if r == 0 else 0)
        concrete = {sym: sym.xreplace(SIZES) for sym in (X, Theta, Y, E0)}
        return {concrete[X]: xs, concrete[Theta]: ts, concrete[Y]: ys, concrete[E0]: e0}

    def describe(self) -> dict:
        out = {"m": SIZES[m], "n": SIZES[n]} | {str(k): v for k, v in self.indices.items()}
        for leaf, v in sorted(self.values.items(), key=lambda kv: str(kv[0])):
            out[str(leaf)] = float(v)
        return out


def _is_label(leaf: sp.Basic) -> bool:
    base = leaf.base if isinstance(leaf, sp.Indexed) else leaf
    return str(base) == "y"


def numeric_verdict(lhs: sp.Expr, rhs: sp.Expr, seed: int, points: int) -> Verdict:
    rng = random.Random(seed)
    indices = free_indices(lhs, rhs)
    assignments = _index_assignments(indices, rng)
    per_assignment = max(1, points * (SIZES[n] + 1) // len(assignments))
    checked = 0
    for assignment in assignments:
        key = tuple(sorted(assignment.items(), key=str))
        concrete_l, concrete_r = _concrete(lhs, key), _concrete(rhs, key)
        for _ in range(per_assignment):
            point = Point(rng, assignment)
            try:
                a, b = _evaluate(concrete_l, point), _evaluate(concrete_r, point)
            except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
                continue
            if a is None or b is None:
                continue
            checked += 1
            if abs(a - b) > TOLERANCE * (1 + abs(a) + abs(b)):
                example = point.describe() | {"lhs": complex_or_float(a), "rhs": complex_or_float(b)}
                return Verdict(FAILS, "numeric", f"sides differ at a sampled point, seed {seed}", example)
    if checked == 0:
        return Verdict(UNDECIDED, "none", "no sampled point could be evaluated")
    where = f"m={SIZES[m]}, n={SIZES[n]}" + "".join(f", {s}=0..{SIZES[n]}" for s in indices)
    return Verdict(HOLDS, "numeric", f"equal at {checked} random points ({where}), seed {seed}")



def _index_assignments(indices: list[sp.Symbol], rng: random.Random, most: int = 9) -> list[dict]:
    combos = list(itertools.product(range(SIZES[n] + 1), repeat=len(indices)))
    if len(combos) > most:
        combos = rng.sample(combos, most)
    return [dict(zip(indices, (sp.Integer(v) for v in combo), strict=True)) for combo in combos]


def complex_or_float(v: complex) -> float | str:
    return float(v.real) if abs(v.imag) < 1e-12 else str(v)


@lru_cache(maxsize=512)
def _concrete(expr: sp.Expr, assignment: tuple) -> sp.Expr:
    """Sizes and free indices fixed, sums written out, derivatives taken by SymPy: only leaves remain."""
    free_here = side_indices(expr)  # an index bound by a Σ on this side is left alone
    fixed = plain(expr).xreplace({**SIZES, **{s: v for s, v in assignment if s in free_here}})
    return evaluate_derivatives(_write_out_sums(fixed))


def _write_out_sums(expr: sp.Expr) -> sp.Expr:
    """Every Σ with whole-number limits written as its terms (innermost first)."""

    def expand(node: sp.Sum) -> sp.Expr:
        body = node.function
        for index, lo, hi in reversed(node.limits):
            if not (lo.is_Integer and hi.is_Integer):
                return node
            body = sp.Add(*(body.xreplace({index: sp.Integer(t)}) for t in range(int(lo), int(hi) + 1)))
        return body

    return expr.replace(lambda e: isinstance(e, sp.Sum), expand)


def _evaluate(expr: sp.Expr, point: Point) -> complex | None:
    # Matrix entries [M]_jl anywhere in the expression are computed first, then the scalar rest.
    elements = expr.atoms(MatrixElement)
    if elements:
        expr = expr.xreplace({e: _matrix_entry(e, point) for e in elements})
    indexed = expr.atoms(sp.Indexed)
    labels = {a.base.label for a in indexed}
    leaves = indexed | {s for s in expr.free_symbols if not isinstance(s, sp.Indexed) and s not in labels}
    value = expr.xreplace({leaf: point.value(leaf) for leaf in leaves})
    number = sp.N(value, DIGITS)
    if not number.is_number or number.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return None
    return complex(number)


def _matrix_entry(element: MatrixElement, point: Point) -> sp.Expr:
    scalars = {s: point.value(s) for s in element.parent.free_symbols if isinstance(s, sp.Symbol)}
    leaves = point.matrices() | scalars
    return _explicit(element.parent.xreplace(SIZES), leaves)[int(element.i), int(element.j)]


def _explicit(e: sp.Basic, leaves: dict) -> sp.Basic:
    """A matrix expression evaluated entry by entry at the sampled values (SymPy's doit stalls on diag)."""
    if e in leaves:
        return leaves[e]
    if isinstance(e, sp.MatrixSymbol):
        raise ValueError(f"no value for {e}")
    if isinstance(e, sp.MatMul):
        out = None
        for factor in e.args:
            value = _explicit(factor, leaves)
            out = value if out is None else out * value
        return out
    if isinstance(e, sp.MatAdd):
        parts = [_explicit(a, leaves) for a in e.args]
        total = parts[0]
        for part in parts[1:]:
            total = total + part
        return total
    if isinstance(e, sp.Transpose):
        return _explicit(e.arg, leaves).T
    if isinstance(e, ElementwiseApplyFunction):
        inner = _explicit(e.expr, leaves)
        return inner.applyfunc(lambda v: plain(e.function(v)))
    if isinstance(e, sp.HadamardProduct):
        parts = [_explicit(a, leaves) for a in e.args]
        return sp.ImmutableMatrix(*parts[0].shape, lambda r, c: sp.Mul(*(p[r, c] for p in parts)))
    if isinstance(e, DiagMatrix):
        v = _explicit(e.args[0], leaves)
        return sp.diag(*[v[r] for r in range(len(v))])
    if isinstance(e, (sp.OneMatrix, sp.Identity, sp.ZeroMatrix)):
        return e.as_explicit()
    if isinstance(e, sp.MatrixExpr):
        raise ValueError(f"cannot evaluate {type(e).__name__}")
    return plain(e).xreplace(leaves)


__all__ = ["SIZES", "TOLERANCE", "numeric_verdict"]
