"""The numeric verdict, old path against new, on the steps of the logistic gradient and Hessian.

OLD: a frozen copy (below, unchanged but for names) of ``derivation/oracle/sampling.py`` as of
commit 333ced9: numbers substituted into each SymPy tree (``xreplace`` per point) and ``sp.N``
at 30 digits, sums written out per index value.  NEW: :mod:`derivation.oracle.sampling`: each side
made concrete once, evaluated at every point at once in float64 with error bounds, mpmath at 30
digits only where the bound does not prove equality.

Every pair of consecutive sides (goal → step 1 → … → result) and every result check is given to
both paths, with SymPy's cache and both paths' caches cleared before each repeat; the verdicts
must agree in status (asserted), and the new path's share of exact points is printed.  Then the
whole process ``derivation show logistic`` is timed with each path (``--process``: the same
tree, only ``verify_equality``'s numeric path swapped).  Medians with min–max; run as
``python benchmarks/bench_oracle.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import subprocess
import sys
import time
from functools import lru_cache

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagMatrix
from sympy.matrices.expressions.matexpr import MatrixElement

from derivation.core.notation import E0, Theta, X, Y, lam, m, n, theta, x, y
from derivation.core.steps import FAILS, HOLDS, UNDECIDED, Verdict
from derivation.oracle.canonical import evaluate_derivatives, free_indices, plain, side_indices

# --- OLD: frozen copy of derivation/oracle/sampling.py at 333ced9 (the baseline; do not edit) -----------

OLD_SIZES = {m: 3, n: 2}
OLD_TOLERANCE = 1e-9
OLD_DIGITS = 30


class OldPoint:
    def __init__(self, rng, indices):
        self.rng, self.indices, self.values = rng, indices, {}

    def value(self, leaf):
        if getattr(leaf, "is_integer", False) and isinstance(leaf, sp.Symbol):
            raise ValueError(f"index {leaf} left unassigned")
        if leaf not in self.values:
            base = leaf.base if isinstance(leaf, sp.Indexed) else leaf
            low, high = (0.05, 0.95) if str(base) == "y" else (-1.5, 1.5)
            if leaf == lam:
                low, high = 0.5, 2.0
            self.values[leaf] = sp.Float(self.rng.uniform(low, high), OLD_DIGITS)
        return self.values[leaf]

    def matrices(self):
        rows, cols = OLD_SIZES[m], OLD_SIZES[n] + 1
        xs = sp.ImmutableMatrix(rows, cols, lambda r, c: self.value(x[r + 1, c]))
        ts = sp.ImmutableMatrix(cols, 1, lambda r, c: self.value(theta[r]))
        ys = sp.ImmutableMatrix(rows, 1, lambda r, c: self.value(y[r + 1]))
        e0 = sp.ImmutableMatrix(cols, 1, lambda r, c: 1 if r == 0 else 0)
        concrete = {sym: sym.xreplace(OLD_SIZES) for sym in (X, Theta, Y, E0)}
        return {concrete[X]: xs, concrete[Theta]: ts, concrete[Y]: ys, concrete[E0]: e0}

    def describe(self):
        out = {"m": OLD_SIZES[m], "n": OLD_SIZES[n]} | {str(k): v for k, v in self.indices.items()}
        for leaf, v in sorted(self.values.items(), key=lambda kv: str(kv[0])):
            out[str(leaf)] = float(v)
        return out


def old_numeric_verdict(lhs, rhs, seed, points):
    rng = random.Random(seed)
    indices = free_indices(lhs, rhs)
    combos = list(itertools.product(range(OLD_SIZES[n] + 1), repeat=len(indices)))
    if len(combos) > 9:
        combos = rng.sample(combos, 9)
    assignments = [dict(zip(indices, (sp.Integer(v) for v in combo), strict=True)) for combo in combos]
    per_assignment = max(1, points * (OLD_SIZES[n] + 1) // len(assignments))
    checked = 0
    for assignment in assignments:
        key = tuple(sorted(assignment.items(), key=str))
        concrete_l, concrete_r = old_concrete(lhs, key), old_concrete(rhs, key)
        for _ in range(per_assignment):
            point = OldPoint(rng, assignment)
            try:
                a, b = old_evaluate(concrete_l, point), old_evaluate(concrete_r, point)
            except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
                continue
            if a is None or b is None:
                continue
            checked += 1
            if abs(a - b) > OLD_TOLERANCE * (1 + abs(a) + abs(b)):
                example = point.describe() | {"lhs": a, "rhs": b}
                return Verdict(FAILS, "numeric", f"sides differ at a sampled point, seed {seed}", example)
    if checked == 0:
        return Verdict(UNDECIDED, "none", "no sampled point could be evaluated")
    where = f"m={OLD_SIZES[m]}, n={OLD_SIZES[n]}" + "".join(f", {s}=0..{OLD_SIZES[n]}" for s in indices)
    return Verdict(HOLDS, "numeric", f"equal at {checked} random points ({where}), seed {seed}")


@lru_cache(maxsize=512)
def old_concrete(expr, assignment):
    free_here = side_indices(expr)
    fixed = plain(expr).xreplace({**OLD_SIZES, **{s: v for s, v in assignment if s in free_here}})
    return evaluate_derivatives(old_write_out_sums(fixed))


def old_write_out_sums(expr):
    def expand(node):
        body = node.function
        for index, lo, hi in reversed(node.limits):
            if not (lo.is_Integer and hi.is_Integer):
                return node
            body = sp.Add(*(body.xreplace({index: sp.Integer(t)}) for t in range(int(lo), int(hi) + 1)))
        return body

    return expr.replace(lambda e: isinstance(e, sp.Sum), expand)


def old_evaluate(expr, point):
    elements = expr.atoms(MatrixElement)
    if elements:
        expr = expr.xreplace({e: old_matrix_entry(e, point) for e in elements})
    indexed = expr.atoms(sp.Indexed)
    labels = {a.base.label for a in indexed}
    leaves = indexed | {s for s in expr.free_symbols if not isinstance(s, sp.Indexed) and s not in labels}
    value = expr.xreplace({leaf: point.value(leaf) for leaf in leaves})
    number = sp.N(value, OLD_DIGITS)
    if not number.is_number or number.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return None
    return complex(number)


def old_matrix_entry(element, point):
    scalars = {s: point.value(s) for s in element.parent.free_symbols if isinstance(s, sp.Symbol)}
    leaves = point.matrices() | scalars
    return old_explicit(element.parent.xreplace(OLD_SIZES), leaves)[int(element.i), int(element.j)]


def old_explicit(e, leaves):
    if e in leaves:
        return leaves[e]
    if isinstance(e, sp.MatrixSymbol):
        raise ValueError(f"no value for {e}")
    if isinstance(e, sp.MatMul):
        out = None
        for factor in e.args:
            value = old_explicit(factor, leaves)
            out = value if out is None else out * value
        return out
    if isinstance(e, sp.MatAdd):
        parts = [old_explicit(a, leaves) for a in e.args]
        total = parts[0]
        for part in parts[1:]:
            total = total + part
        return total
    if isinstance(e, sp.Transpose):
        return old_explicit(e.arg, leaves).T
    if isinstance(e, ElementwiseApplyFunction):
        inner = old_explicit(e.expr, leaves)
        return inner.applyfunc(lambda v: plain(e.function(v)))
    if isinstance(e, sp.HadamardProduct):
        parts = [old_explicit(a, leaves) for a in e.args]
        return sp.ImmutableMatrix(*parts[0].shape, lambda r, c: sp.Mul(*(p[r, c] for p in parts)))
    if isinstance(e, DiagMatrix):
        v = old_explicit(e.args[0], leaves)
        return sp.diag(*[v[r] for r in range(len(v))])
    if isinstance(e, (sp.OneMatrix, sp.Identity, sp.ZeroMatrix)):
        return e.as_explicit()
    if isinstance(e, sp.MatrixExpr):
        raise ValueError(f"cannot evaluate {type(e).__name__}")
    return plain(e).xreplace(leaves)


# --- the comparison ------------------------------------------------------------------------------------


def equalities(hessian: bool) -> list[tuple[sp.Expr, sp.Expr]]:
    """Consecutive sides of the derivation, its result against each independent answer, and wrong results."""
    from derivation import derive_hessian, derive_model
    from derivation.core.notation import j, l
    from derivation.models import get_model
    from derivation.oracle.canonical import sympy_oracle

    model = get_model("logistic")
    f = model.form("sum")
    d = derive_hessian("logistic", verify=False) if hessian else derive_model("logistic", verify=False)
    sides = [d.goal, *(s.expr for s in d.steps)]
    pairs = list(itertools.pairwise(sides))
    if hessian:
        answers = [MatrixElement(model.matrix_hessian, j, l), sympy_oracle(sympy_oracle(f.cost, f.variable), theta[l])]
    else:
        answers = [f.gradient, sympy_oracle(f.cost, f.variable), MatrixElement(model.matrix_gradient, j, 0)]
    pairs += [(d.result, a) for a in answers]
    pairs += [(d.result, 2 * a) for a in answers]  # wrong: the failing path and its counterexample
    return pairs


def clear_caches() -> None:
    from derivation.oracle import sampling

    sp.core.cache.clear_cache()
    old_concrete.cache_clear()
    sampling.concrete.cache_clear()


def timed(verdict, pairs, repeat: int) -> tuple[list[float], list]:
    times, results = [], None
    for _ in range(repeat):
        clear_caches()
        start = time.perf_counter()
        results = [verdict(a, b, 0, 2) for a, b in pairs]
        times.append(time.perf_counter() - start)
    return times, results


def spread(times: list[float]) -> str:
    return f"{statistics.median(times):8.3f} s  ({min(times):.3f}–{max(times):.3f})"


def exact_share(pairs) -> tuple[int, int]:
    """(points decided by the exact path, points in all) for the new path: asserts the fast path is in use."""
    from derivation.oracle import sampling

    calls = {"exact": 0}
    original = sampling.exact_at

    def counting(sides, leaves):
        calls["exact"] += 1
        return original(sides, leaves)

    sampling.exact_at = counting
    try:
        clear_caches()
        verdicts = [sampling.numeric_verdict(a, b, 0, 2) for a, b in pairs]
    finally:
        sampling.exact_at = original
    total = sum(int(v.detail.split(" at ")[1].split()[0]) for v in verdicts if v.status == HOLDS)
    return calls["exact"], total + sum(1 for v in verdicts if v.status == FAILS)


def process(variant: str) -> None:
    """``derivation show logistic`` in this process with the ``variant`` numeric path (for --process)."""
    if variant == "old":
        from derivation.oracle import equality

        original = equality.verify_equality

        def verify_old(lhs, rhs, *, seed=0, points=2):
            if equality.symbolically_equal(lhs, rhs):
                return original(lhs, rhs, seed=seed, points=points)
            return old_numeric_verdict(lhs, rhs, seed, points)

        equality.verify_equality = verify_old
    from derivation.cli import main

    main(["show", "logistic"])
    if variant == "old":
        assert "numpy" not in sys.modules, "the old path must not pay for importing NumPy"


def whole_process(repeat: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"old": [], "new": []}
    for _ in range(repeat):
        for variant in ("old", "new"):  # interleaved: this machine is shared and noisy
            start = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--process", variant], check=True, capture_output=True)
            times[variant].append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--process", choices=("old", "new"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.process:
        process(args.process)
        return
    from derivation.oracle.sampling import numeric_verdict

    print(f"numeric verdicts, median (min–max) of {args.repeat} repeats, caches cleared before each")
    for name, hessian in (("logistic gradient", False), ("logistic Hessian", True)):
        pairs = equalities(hessian)
        old_times, old = timed(old_numeric_verdict, pairs, args.repeat)
        new_times, new = timed(numeric_verdict, pairs, args.repeat)
        assert [v.status for v in old] == [v.status for v in new], "the paths disagree on a verdict"
        exact, points = exact_share(pairs)
        print(f"  {name}: {len(pairs)} equalities ({sum(v.status == FAILS for v in new)} wrong), {points} points")
        print(f"    old (xreplace + sp.N at 30 digits) {spread(old_times)}")
        print(f"    new (one evaluator, fast + exact)  {spread(new_times)}"
              f"   {statistics.median(old_times) / statistics.median(new_times):5.1f}x faster; "
              f"{exact} points went to the exact path")  # fmt: skip
    times = whole_process(args.repeat)
    print(f"whole process `derivation show logistic`, median (min–max) of {args.repeat} runs, interleaved")
    for variant in ("old", "new"):
        print(f"    {variant} numeric path {spread(times[variant])}")


if __name__ == "__main__":
    main()
