r"""A cost written in matrix (vectorised) form, read entry by entry into the index form over the examples.

Users write costs as courses and NumPy code do: ``\frac{1}{2m}(X\theta - y)^T(X\theta - y)``,
``\frac{1}{2m}\|X\theta - y\|^2``, ``-np.mean(y*np.log(h) + (1-y)*np.log(1-h))``.  Such a cost is a 1×1
matrix expression over X (m×(n+1)), θ ((n+1)×1), y (m×1) and 𝟏; :func:`lower` writes it as the same
index form :func:`~derivation.models.costs.read_cost` returns for the index notation (Σ over the examples
with x⁽ⁱ⁾), so everything downstream reads one form:

* entry (r, c) of a product is the sum over its inner dimension: examples i = 1..m, features k = 0..n;
* vᵀw → Σ_i v_i w_i, 𝟏ᵀv → Σ_i v_i, θᵀθ → Σ_k θ_k²; ⊙, element-wise functions and powers entry by entry.

SymPy's own ``expr[0, 0]`` is not used: it names its dummies per factor and can capture one index for
another (``Sum(X[_i_1, _i_1]*theta[_i_1, 0], …)`` for ``y^T\log(\sigma(X\theta))``), a different cost.

>>> from derivation.core.notation import X, Theta, Y
>>> lower((X * Theta - Y).T * (X * Theta - Y) / (2 * m))
Sum((-y[i] + Sum(theta[k]*x[i, k], (k, 0, n)))**2, (i, 1, m))/(2*m)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixElement
from sympy.matrices.expressions.slice import MatrixSlice

from ..core.notation import E0, EXAMPLES, Theta, X, Y, a, b, i, k, l, m, n, theta, x, y
from ..parsing.bounds import shape_text
from ..parsing.chain import math_body

_FEATURE_LETTERS = (k, l, a, b)  # a sum over the features takes the first letter free where it stands
_LEAVES = {X.name: "X", Theta.name: "theta", Y.name: "y"}


class MatrixCostError(ValueError):
    """A matrix-form cost that has no index form here: one line, in the user's terms."""


# --- the left side: J(θ) =, J =, L(w) =, cost = ----------------------------------------------

_LATEX_NAME = re.compile(
    r"\s*(?:\\(?:mathcal|mathrm|text|operatorname|mathit|mathbf)\s*\{\s*\w+\s*\}|\\ell|[A-Za-z]+)"  # J, \mathcal{L}
    r"\s*(?:_\s*(?:\{[^{}]*\}|\\[A-Za-z]+|\w))?"  # J_{train}, L_\theta
    r"\s*(?:(?:\\left\s*)?\(\s*[^()=]*?(?:\\right\s*)?\)|(?:\\left\s*)?\[\s*[^\[\]=]*?(?:\\right\s*)?\])?\s*$"
)
_PYTHON_LEFT = re.compile(r"\s*[A-Za-z_]\w*\s*(?:\([^()=]*\))?\s*=(?!=)")


def without_left_side(text: str, *, latex: bool) -> str:
    r"""``text`` with a left side ``J(\theta) =``, ``J =``, ``L(w) =``, ``cost =`` blanked out (positions kept).

    >>> without_left_side(r"J(\theta) = \theta^T\theta", latex=True)
    '            \\theta^T\\theta'
    >>> without_left_side("cost = sum(theta)", latex=False)
    '       sum(theta)'
    """
    if not latex:
        found = _PYTHON_LEFT.match(text)
        return text if found is None else " " * found.end() + text[found.end() :]
    start, end = math_body(text)
    at = _top_level_equals(text, start, end)
    if at is None or _LATEX_NAME.fullmatch(text[start:at]) is None:
        return text
    cut = at + (2 if text.startswith(":=", at) else 1)
    return text[:start] + " " * (cut - start) + text[cut:]


def _top_level_equals(text: str, start: int, end: int) -> int | None:
    """Where the one '=' outside braces is (``\\sum_{i=1}`` has its own); None when there is none or several."""
    depth, found = 0, []
    for index in range(start, end):
        char = text[index]
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == "=" and depth == 0:
            found.append(index - 1 if text[index - 1] == ":" else index)
    return found[0] if len(found) == 1 else None


# --- the lowering -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    """The index letters bound where an entry stands; ``shift`` is added to a user's own row index of an example."""

    taken: frozenset[sp.Symbol]
    shift: int


def lower(value: sp.Basic, *, shift: int = 1) -> sp.Expr:
    r"""The cost ``value`` (a 1×1 matrix expression, or a number holding some) in index form over the examples.

    ``shift`` is added to a row index the user wrote along the examples: 1 in LaTeX (``[X\theta]_i`` is read as
    row i − 1: example i), 0 in Python (``y[i]``, i = 0..m−1, keeps its i: the sum over it is renumbered after).

    >>> from derivation.core.notation import X, Theta, Y, elementwise
    >>> lower(sp.OneMatrix(1, m) * elementwise(sp.log, sp.OneMatrix(m, 1) + elementwise(sp.exp, X * Theta)))
    Sum(log(exp(Sum(theta[k]*x[i, k], (k, 0, n))) + 1), (i, 1, m))
    """
    scope = _Scope(frozenset(), shift)
    if isinstance(value, sp.MatrixExpr):
        if value.shape != (1, 1):
            raise MatrixCostError(
                f"the cost is a {shape_text(value)} matrix, not a number: sum its entries (\\mathbf{{1}}^T v, sum(v))"
            )
        lowered = _entry(value, sp.S.Zero, sp.S.Zero, scope)
    else:
        lowered = _scalar(value, scope)
    # products left whole by _add are evaluated again, as SymPy writes them everywhere else
    return lowered.replace(lambda e: isinstance(e, sp.Mul), lambda e: sp.Mul(*e.args))


def _scalar(expr: sp.Basic, scope: _Scope) -> sp.Basic:
    """A number in which 1×1 matrices and matrix entries may stand: each written out by entries."""
    if isinstance(expr, MatrixElement):
        parent, row, col = expr.args
        return _entry(parent, _row_label(parent.rows, row, scope), _row_label(parent.cols, col, scope), scope)
    if isinstance(expr, sp.MatrixExpr):
        if expr.shape != (1, 1):
            raise MatrixCostError(f"a {shape_text(expr)} matrix stands where a number is expected in the cost")
        return _entry(expr, sp.S.Zero, sp.S.Zero, scope)
    if isinstance(expr, sp.Sum):
        inner = _Scope(scope.taken | {limit[0] for limit in expr.limits}, scope.shift)
        return sp.Sum(_scalar(expr.function, inner), *expr.limits)
    if not expr.args or not expr.has(sp.MatrixExpr, MatrixElement):
        return expr
    return expr.func(*(_scalar(arg, scope) for arg in expr.args))


def _row_label(size: sp.Expr, index: sp.Expr, scope: _Scope) -> sp.Expr:
    """A row index the user wrote, as the index form numbers examples (1..m); features stay 0..n."""
    return index + scope.shift if size == m else index


def _entry(matrix: sp.MatrixExpr, r: sp.Expr, c: sp.Expr, scope: _Scope) -> sp.Expr:
    """Entry (r, c) of ``matrix``: rows of length-m sides are examples 1..m, of length-(n+1) sides features 0..n."""
    handler = _HANDLERS.get(type(matrix))
    if handler is not None:
        return handler(matrix, r, c, scope)
    if isinstance(matrix, sp.MatrixSymbol) and matrix.name in _LEAVES:
        name = _LEAVES[matrix.name]
        return x[r, c] if name == "X" else (theta[r] if name == "theta" else y[r])
    if isinstance(matrix, (sp.OneMatrix,)) or (isinstance(matrix, sp.Identity) and matrix.rows == 1):
        return sp.S.One
    if isinstance(matrix, sp.ZeroMatrix):
        return sp.S.Zero
    if isinstance(matrix, sp.Identity) or matrix == E0:  # θᵀ(I − e₀e₀ᵀ)θ: the bias left out of a penalty
        raise MatrixCostError("I and e_0 are not read in a cost: write the penalty as \\sum_{j=1}^n \\theta_j^2")
    spelled = f"the matrix {matrix.name}" if isinstance(matrix, sp.MatrixSymbol) else type(matrix).__name__
    raise MatrixCostError(f"{spelled} is not read entry by entry in a cost: write it with X, θ, y and 𝟏")


def _product(matrix: sp.MatMul, r: sp.Expr, c: sp.Expr, scope: _Scope) -> sp.Expr:
    """Σ over each inner dimension of the factors' entries; Identity factors drop out."""
    coeff, factors = matrix.as_coeff_matrices()
    factors = [f for f in factors if not (isinstance(f, sp.Identity) and len(factors) > 1)]
    return _scalar(coeff, scope) * _chain(factors, r, c, scope)


def _chain(factors: list[sp.MatrixExpr], r: sp.Expr, c: sp.Expr, scope: _Scope) -> sp.Expr:
    """Entry (r, c) of a product, cut first where the inner side is 1 (a product of numbers), then where it is m
    (the sum over the examples outermost: θᵀXᵀXθ is Σ_i (θᵀx⁽ⁱ⁾)²), else at the first inner side."""
    if len(factors) == 1:
        return _entry(factors[0], r, c, scope)
    sides = [f.cols for f in factors[:-1]]
    cut = next((p for p, size in enumerate(sides) if size == 1), None)
    if cut is not None:
        return _chain(factors[: cut + 1], r, sp.S.Zero, scope) * _chain(factors[cut + 1 :], sp.S.Zero, c, scope)
    cut = next((p for p, size in enumerate(sides) if size == m), 0)
    t, low, high = _summation(sides[cut], scope, {r, c})
    inner = _Scope(scope.taken | {t}, scope.shift)
    body = _chain(factors[: cut + 1], r, t, inner) * _chain(factors[cut + 1 :], t, c, inner)
    return _summed(body, (t, low, high))


def _summation(size: sp.Expr, scope: _Scope, beside: set) -> tuple[sp.Symbol, sp.Expr, sp.Expr]:
    """The index and range of a sum over a side of length ``size``: i over the examples, k (l, a, b) over features."""
    near = set().union(*(sp.sympify(e).free_symbols for e in beside)) | scope.taken
    if size == m:
        if i in near:
            raise MatrixCostError(
                "a sum over the examples inside another: a cost here is one sum over the examples of a loss per example"
            )
        return EXAMPLES
    free = next((t for t in _FEATURE_LETTERS if t not in near), None)
    if free is None:
        raise MatrixCostError("the cost nests too many sums over the features")
    if size == n + 1:
        return free, sp.S.Zero, n
    if size == n:  # θ[1:] and the like: the features after the bias
        return free, sp.S.Zero, n - 1
    raise MatrixCostError(
        f"a product over a side of length {size}: a cost is over X, θ and y (m examples, n+1 features)"
    )


def _summed(body: sp.Expr, limit: tuple) -> sp.Expr:
    """Σ body over ``limit``, a number factor outside; a sum over 0..n−1 of entries from 1 on is written 1..n;
    nested sums share one Sum."""
    t, low, high = limit
    if (low, high) == (0, n - 1) and body.has(t + 1):
        body, limit = body.xreplace({t: t - 1}), (t, sp.S.One, n)
    number, body = body.as_coeff_Mul()
    if isinstance(body, sp.Sum):
        return number * sp.Sum(body.function, *body.limits, limit)
    return number * sp.Sum(body, limit)


def _add(matrix: sp.MatAdd, r, c, scope) -> sp.Expr:
    """The terms' entries added; terms that each sum over the examples share one sum, as the index form writes it."""
    terms = [_entry(term, r, c, scope) for term in matrix.args]
    if not any(_over_examples(s) for term in terms for s in term.atoms(sp.Sum)):
        content, rest = sp.Add(*terms).as_content_primitive()  # Xθ/2 − y/2 by entries: (θᵀx⁽ⁱ⁾ − y⁽ⁱ⁾)/2, kept
        if content != 1 and all(abs(t.as_coeff_Mul()[0]) == 1 for t in sp.Add.make_args(rest)):
            return sp.Mul(content, rest, evaluate=False)  # whole until multiplied, so r/2 · r is r²/2 (see lower)
    bodies = []
    for term in terms:
        number, rest = term.as_coeff_Mul()
        if not _over_examples(rest):
            return sp.Add(*terms)
        bodies.append(number * rest.function)
    return sp.Sum(sp.Add(*bodies), EXAMPLES)


def _over_examples(term: sp.Expr) -> bool:
    return isinstance(term, sp.Sum) and term.limits == (EXAMPLES,)


def _transpose(matrix: sp.Transpose, r, c, scope) -> sp.Expr:
    return _entry(matrix.arg, c, r, scope)


def _hadamard(matrix: sp.HadamardProduct, r, c, scope) -> sp.Expr:
    return sp.Mul(*(_entry(term, r, c, scope) for term in matrix.args))


def _power(matrix: sp.HadamardPower, r, c, scope) -> sp.Expr:
    return _entry(matrix.base, r, c, scope) ** _scalar(matrix.exp, scope)


def _apply(matrix: ElementwiseApplyFunction, r, c, scope) -> sp.Expr:
    return matrix.function(_entry(matrix.expr, r, c, scope))


def _slice(matrix: MatrixSlice, r, c, scope) -> sp.Expr:
    """x[i] (row i of X) and θ[1:]: the parent's entry, the slice's start counted as the user counts rows."""
    parent = matrix.parent
    (r0, _, rstep), (c0, _, cstep) = matrix.rowslice, matrix.colslice
    row = r if matrix.rows == parent.rows else _row_label(parent.rows, r0, scope) + r * rstep
    col = c if matrix.cols == parent.cols else _row_label(parent.cols, c0, scope) + c * cstep
    return _entry(parent, row, col, scope)


_HANDLERS: dict[type, Callable[..., sp.Expr]] = {
    sp.MatMul: _product,
    sp.MatAdd: _add,
    sp.Transpose: _transpose,
    sp.HadamardProduct: _hadamard,
    sp.HadamardPower: _power,
    ElementwiseApplyFunction: _apply,
    MatrixSlice: _slice,
}


__all__ = ["MatrixCostError", "lower", "without_left_side"]
