"""The checker: proves one equality at a time and trusts no rule.

Both sides are brought to a canonical form that never uses our rules: every
abbreviation is expanded to its definition, σ is rewritten as 1/(1+e^(−z))
(so σ′ = σ(1−σ) is never assumed), and derivatives are taken by SymPy's own
``diff``.  Then it tries a cheap symbolic proof (the difference reduces to 0,
sum by sum); failing that it samples random points at concrete sizes
(m=3, n=2, every j) with the sums expanded.  A numeric verdict says so.
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

from ..core.exprtools import OutOfTimeError, time_limit
from ..core.functions import expand_abbreviations, rewrite_ml_functions
from ..core.notation import E0, Theta, X, Y, lam, m, n, theta, x, y
from ..core.steps import FAILS, HOLDS, UNDECIDED, Check, Derivation, Verdict

SIZES = {m: 3, n: 2}
# Past this many tree nodes, or this many seconds, expand/cancel can take minutes:
# the checker samples numerically instead (and says so).
SYMBOLIC_BUDGET = 400
SYMBOLIC_SECONDS = 0.5
TOLERANCE = 1e-9
DIGITS = 30


def verify_equality(lhs: sp.Expr, rhs: sp.Expr, *, seed: int = 0, points: int = 2) -> Verdict:
    """Decide whether ``lhs = rhs`` holds, independently of how it was obtained.

    >>> t = sp.Symbol("t")
    >>> verify_equality(sp.Derivative(sp.exp(2 * t), t), 2 * sp.exp(2 * t)).status
    'holds'
    >>> verify_equality(sp.Derivative(sp.exp(2 * t), t), sp.exp(2 * t)).status
    'fails'
    """
    if _symbolically_equal(lhs, rhs):
        return Verdict(HOLDS, "symbolic", "the difference reduces to 0")
    return _numeric_verdict(lhs, rhs, seed, points)


def verify_derivation(derivation: Derivation, closed_forms: dict[str, sp.Expr] | None = None) -> Derivation:
    """A copy of ``derivation`` with a verdict on every step and on the result.

    ``closed_forms`` maps a check's name to an answer obtained elsewhere (the
    model's closed form, ``sympy.diff``); the result must equal each of them.
    """
    seed = derivation.seed
    verdicts, previous = [], derivation.goal
    for step in derivation.steps:
        verdicts.append(verify_equality(previous, step.expr, seed=seed))
        previous = step.expr
    checks = tuple(
        Check(name, verify_equality(derivation.result, answer, seed=seed))
        for name, answer in (closed_forms or {}).items()
    )
    return derivation.with_verdicts(verdicts, checks)


def sympy_oracle(expr: sp.Expr, wrt: sp.Expr) -> sp.Expr:
    """∂expr/∂wrt by SymPy alone, after expanding our notation (an independent answer).

    >>> from derivation.core.functions import sigmoid
    >>> z = sp.Symbol("z")
    >>> sympy_oracle(sigmoid(z), z)
    exp(-z)/(1 + exp(-z))**2
    """
    return sp.diff(_plain(expr), wrt)


# --- canonical forms -----------------------------------------------------------------------

def _plain(expr: sp.Expr) -> sp.Expr:
    """Our notation expanded away: definitions substituted, σ written with exp."""
    return rewrite_ml_functions(expand_abbreviations(expr))


def _evaluate_derivatives(expr: sp.Expr) -> sp.Expr:
    return expr.replace(
        lambda e: isinstance(e, sp.Derivative),
        lambda e: sp.diff(e.expr, *e.variables),
    )


def _symbolically_equal(lhs: sp.Expr, rhs: sp.Expr) -> bool:
    if isinstance(lhs, MatrixElement) or isinstance(rhs, MatrixElement):
        return False
    try:
        with time_limit(SYMBOLIC_SECONDS):
            difference = _evaluate_derivatives(_plain(lhs)) - _evaluate_derivatives(_plain(rhs))
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


# --- numeric sampling ----------------------------------------------------------------------

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


def _numeric_verdict(lhs: sp.Expr, rhs: sp.Expr, seed: int, points: int) -> Verdict:
    rng = random.Random(seed)
    indices = _free_indices(lhs, rhs)
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


def _free_indices(lhs: sp.Expr, rhs: sp.Expr) -> list[sp.Symbol]:
    """Free whole-number symbols (j, or l in a Hessian) other than the sizes: each is tried over 0..n."""
    return sorted(_side_indices(lhs) | _side_indices(rhs), key=str)


def _side_indices(expr: sp.Expr) -> set[sp.Symbol]:
    # Not free_symbols: a Derivative by θ_j hides j there.
    side = _plain(expr)
    bound = {lim[0] for node in side.atoms(sp.Sum) for lim in node.limits}
    return {s for s in side.atoms(sp.Symbol) if s.is_integer and s not in SIZES and s not in bound}


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
    free_here = _side_indices(expr)  # an index bound by a Σ on this side is left alone
    fixed = _plain(expr).xreplace({**SIZES, **{s: v for s, v in assignment if s in free_here}})
    return _evaluate_derivatives(_write_out_sums(fixed))


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
        return inner.applyfunc(lambda v: _plain(e.function(v)))
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
    return _plain(e).xreplace(leaves)


__all__ = ["sympy_oracle", "verify_derivation", "verify_equality"]
