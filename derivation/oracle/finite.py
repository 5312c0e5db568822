"""The last word on a result: central differences of the cost itself on concrete data.

Shares nothing with the engine or the symbolic checker: the cost is written out at
small sizes (m=3, n=2), every leaf gets a random value, and ∂cost/∂θ_j is taken as
(cost(θ_j + h) − cost(θ_j − h)) / 2h in 40-digit arithmetic, for every j, at a point
only where the estimate with h/2 agrees (where it does not, the cost varies too fast
for differences to say anything, and the point is skipped).  A wrong
rule, a captured index or a wrong closed form cannot agree with it by accident.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import mpmath
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagMatrix
from sympy.matrices.expressions.hadamard import HadamardPower, HadamardProduct
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.exprtools import bound_apart, free_names
from ..core.notation import E0, K, Theta, W, W_matrix, X, Y, Y_onehot, m, n, theta, x, y
from ..core.steps import FAILS, HOLDS, UNDECIDED, Verdict
from .canonical import SIZE_SYMBOLS, plain, write_out_sums
from .kinks import covering_points, find_kinks
from .policy import (
    KINK_POINTS,
    KINK_SPAN,
    SIZES,
    agree,
    complex_or_float,
    draw,
    index_values,
    label_row,
    leaf_range,
    where_sampled,
)
from .sampling import kink_values

# Differences of nearby values need more digits than the evaluator's exact path (30):
# at 40 digits and h = 1e-12 truncation is ~h² = 1e-24 and rounding ~1e-40/h = 1e-28.
DIGITS = 40
STEP = mpmath.mpf("1e-12")
POINTS = 2


def finite_difference_verdict(
    cost: sp.Expr, wrt: sp.Expr, result: sp.Expr, *, seed: int = 0, points: int = POINTS
) -> Verdict:
    """Whether ``result`` equals ∂cost/∂wrt by central differences at random concrete points.

    >>> from derivation.core.notation import j, k, lam
    >>> cost = lam / (2 * m) * sp.Sum(theta[k] ** 2, (k, 1, n))
    >>> finite_difference_verdict(cost, theta[j], lam / m * theta[j] * (1 - sp.KroneckerDelta(j, 0))).status
    'holds'
    >>> finite_difference_verdict(cost, theta[j], lam / m * theta[j]).status  # wrong for the bias j = 0
    'fails'
    """
    cost = bound_apart(plain(cost), free_names(wrt))
    result = bound_apart(plain(result), free_names(wrt))
    indices = sorted(_free_integers(wrt) | _free_integers(result), key=str)
    checked = serial = 0
    # The cost seldom names the indices (J(θ) has no j): written out once, and lambdified once for the same leaves
    written: dict[sp.Expr, tuple[sp.Expr, set]] = {}
    lambdified: dict[tuple, object] = {}
    with mpmath.workdps(DIGITS):
        for number, combo in enumerate(itertools.product(*(index_values(s) for s in indices))):
            fixed = {**SIZES, **dict(zip(indices, map(sp.Integer, combo), strict=True))}
            sized = cost.xreplace(fixed)
            if sized not in written:
                f = write_out_sums(sized)
                written[sized] = f, _leaves(f)
            f, cost_leaves = written[sized]
            g = write_out_sums(_scalar(result.xreplace(fixed)))
            v = wrt.xreplace(fixed)
            leaves = sorted(cost_leaves | _leaves(g) | {v}, key=str)
            if g.has(sp.Derivative, sp.Sum, MatrixElement):
                return Verdict(UNDECIDED, "finite differences", "the result could not be written out at m=3, n=2")
            # Plain symbols for the leaves: lambdify's own renaming of x[i, k] is slow on large trees.
            names = [sp.Symbol(f"leaf{pos}") for pos in range(len(leaves))]
            plain_leaves = dict(zip(leaves, names, strict=True))
            key = (f, tuple(leaves))
            if key not in lambdified:
                lambdified[key] = _lambdified(names, f.xreplace(plain_leaves))
            cost_at = lambdified[key]
            result_at = _lambdified(names, g.xreplace(plain_leaves))
            where = leaves.index(v)
            ids = list(range(serial + 1, serial + points + 1))
            serial += points
            table = kink_values(find_kinks(f, g), seed, {})  # points on both sides of each kink, none on one
            for point in covering_points(table, ids, KINK_POINTS + number * KINK_SPAN):
                values = [_draw(leaf, seed, point) for leaf in leaves]
                try:
                    numeric = _central(cost_at, values, where, STEP)
                    # Trusted only where halving the step changes nothing (e^(e^(e^…)) varies too fast for h).
                    if not agree(numeric, _central(cost_at, values, where, STEP / 2)):
                        continue
                    claimed = result_at(*values)
                    same = agree(numeric, claimed)  # mpmath numbers: no float64 range to overflow
                except (ZeroDivisionError, ValueError, OverflowError, TypeError, MemoryError):  # mpmath's e^(huge)
                    continue
                checked += 1
                if not same:
                    example = {"m": SIZES[m], "n": SIZES[n]}
                    example |= {str(s): int(c) for s, c in zip(indices, combo, strict=True)}
                    example |= {str(leaf): float(val) for leaf, val in zip(leaves, values, strict=True)}
                    example |= {"finite differences": complex_or_float(numeric), "result": complex_or_float(claimed)}
                    return Verdict(FAILS, "finite differences", f"differs at a sampled point, seed {seed}", example)
    if checked == 0:
        return Verdict(UNDECIDED, "finite differences", "no sampled point could be evaluated")
    where = where_sampled(indices)
    return Verdict(HOLDS, "finite differences", f"equal at {checked} random points ({where}), seed {seed}")


def _lambdified(names: list[sp.Symbol], expr: sp.Expr):
    """``expr`` as an mpmath function of ``names``.  No docstring: lambdify would print the whole tree with SymPy's
    printer to write one (a third of its time on a written-out cost), and nothing reads it."""
    return sp.lambdify(names, expr, modules="mpmath", dummify=False, docstring_limit=0)


def _central(cost_at, values: list, where: int, step):
    """(cost(v + h) − cost(v − h)) / 2h in the leaf at ``where``."""
    up, down = list(values), list(values)
    up[where] += step
    down[where] -= step
    return (cost_at(*up) - cost_at(*down)) / (2 * step)


def _free_integers(expr: sp.Expr) -> set[sp.Symbol]:
    return {s for s in free_names(expr) if s.is_integer and s not in SIZE_SYMBOLS}


def _leaves(expr: sp.Expr) -> set[sp.Basic]:
    indexed = expr.atoms(sp.Indexed)
    labels = {a.base.label for a in indexed}
    return indexed | {s for s in expr.free_symbols if not isinstance(s, sp.Indexed) and s not in labels}


def _draw(leaf: sp.Basic, seed: int, point: int) -> mpmath.mpf:
    base = leaf.base if isinstance(leaf, sp.Indexed) else leaf
    if base == y and len(leaf.indices) == 2:  # labels per class: the example's row sums to 1
        row, cls = (int(v) for v in leaf.indices)
        return label_row(seed, point, row, lambda key: mpmath.mpf(draw(seed, point, key, *leaf_range(y))))[cls - 1]
    return mpmath.mpf(draw(seed, point, str(leaf), *leaf_range(base, point)))


def _scalar(expr: sp.Expr) -> sp.Expr:
    """A matrix-form result [M]_jl written as an expression in the entries x_k⁽ⁱ⁾, θ_k, y⁽ⁱ⁾ at the sizes.

    Called once the indices are whole numbers; each matrix is made explicit once.
    """
    elements = expr.atoms(MatrixElement)
    if not elements:
        return expr
    leaves = {
        X.xreplace(SIZES): sp.ImmutableMatrix(SIZES[m], SIZES[n] + 1, lambda r, c: x[r + 1, c]),
        Theta.xreplace(SIZES): sp.ImmutableMatrix(SIZES[n] + 1, 1, lambda r, c: theta[r]),
        Y.xreplace(SIZES): sp.ImmutableMatrix(SIZES[m], 1, lambda r, c: y[r + 1]),
        E0.xreplace(SIZES): sp.ImmutableMatrix(SIZES[n] + 1, 1, lambda r, c: 1 if r == 0 else 0),
        W_matrix.xreplace(SIZES): sp.ImmutableMatrix(SIZES[n] + 1, SIZES[K], lambda r, c: W[r, c + 1]),
        Y_onehot.xreplace(SIZES): sp.ImmutableMatrix(SIZES[m], SIZES[K], lambda r, c: y[r + 1, c + 1]),
    }
    explicit = {e.parent: _explicit(e.parent.xreplace(leaves)) for e in elements}
    return expr.xreplace({e: explicit[e.parent][int(e.i), int(e.j)] for e in elements})


@lru_cache(maxsize=64)
def _explicit(matrix: sp.MatrixExpr) -> sp.ImmutableMatrix:
    """Entries of a matrix expression over explicit leaves, built bottom-up (products, sums, ⊙, f applied
    elementwise, transposes, diag(v)); SymPy's as_explicit asks for every entry of every node anew and took
    seconds on the multiclass SVM's 3×3 gradient, which this builds in milliseconds."""
    build = _EXPLICIT.get(type(matrix))
    if build is None:
        if isinstance(matrix, sp.MatrixBase):
            return sp.ImmutableMatrix(matrix)
        return sp.ImmutableMatrix(matrix.doit().as_explicit())
    return sp.ImmutableMatrix(build(matrix))


def _explicit_product(node: sp.MatMul) -> sp.MatrixBase:
    coeff, out = sp.S.One, None
    for arg in node.args:
        if isinstance(arg, (sp.MatrixExpr, sp.MatrixBase)):
            value = _explicit(arg)
            out = value if out is None else out * value
        else:
            coeff *= arg
    return out * coeff


def _fold(node, combine) -> sp.MatrixBase:
    out = _explicit(node.args[0])
    for arg in node.args[1:]:
        out = combine(out, _explicit(arg))
    return out


_EXPLICIT = {
    sp.MatMul: _explicit_product,
    sp.MatAdd: lambda node: _fold(node, lambda a, b: a + b),
    HadamardProduct: lambda node: _fold(node, lambda a, b: a.multiply_elementwise(b)),
    HadamardPower: lambda node: _explicit(node.base).applyfunc(lambda v: v**node.exp),
    ElementwiseApplyFunction: lambda node: _explicit(node.expr).applyfunc(node.function),
    sp.Transpose: lambda node: _explicit(node.arg).T,
    DiagMatrix: lambda node: sp.diag(*_explicit(node.args[0])),
}


__all__ = ["finite_difference_verdict"]
