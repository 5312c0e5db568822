"""Translate a gradient in sum form into matrix form: Σ_i (h_i − y_i) x_ij → [Xᵀ(σ(Xθ) − y)]_j.

The translation knows the notation (rows of X are the x⁽ⁱ⁾, θ and y are
columns), not any model: a hypothesis is translated through its definition.
It returns None when a piece has no matrix counterpart, so the derivation
simply stops at the sum form.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.diagonal import DiagMatrix
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.functions import Abbreviation
from ..core.notation import E0, EXAMPLES, FEATURES, Theta, X, Y, elementwise, i, j, m, n, theta, x, y

_ELEMENTWISE = (sp.log, sp.exp)


class NoMatrixFormError(Exception):
    """A piece of the expression has no matrix counterpart."""


def vectorise(expr: sp.Expr, row: sp.Symbol = i, col: sp.Symbol = j) -> sp.Expr | None:
    """[M]_j equal to ``expr`` (a sum form in example index ``row`` and parameter index ``col``).

    >>> from derivation.core.notation import inner
    >>> vectorise(sp.Sum((inner(i) - y[i]) * x[i, j], EXAMPLES) / m)
    (1/m*X.T*(X*theta - y))[j, 0]
    """
    try:
        pieces = [_column(term, row, col) for term in sp.Add.make_args(sp.expand(expr, deep=False))]
    except NoMatrixFormError:
        return None
    total = pieces[0] if len(pieces) == 1 else sp.MatAdd(*pieces)
    return MatrixElement(total, col, 0)


def vectorise_pair(expr: sp.Expr, col: sp.Symbol, col2: sp.Symbol, row: sp.Symbol = i) -> sp.Expr | None:
    """[M]_{j,l} equal to ``expr``: Σ_i w_i x_ij x_il = [Xᵀ diag(w) X]_jl, δ_jl = [I]_jl.

    >>> l = sp.Symbol("l", integer=True)
    >>> vectorise_pair(sp.Sum(x[i, j] * x[i, l], EXAMPLES) / m, j, l)
    (1/m*X.T*X)[j, l]
    """
    try:
        pieces = [_matrix_term(term, row, col, col2) for term in sp.Add.make_args(sp.expand(expr, deep=False))]
    except NoMatrixFormError:
        return None
    total = pieces[0] if len(pieces) == 1 else sp.MatAdd(*pieces)
    return MatrixElement(total, col, col2)


def _matrix_term(term: sp.Expr, row: sp.Symbol, col: sp.Symbol, col2: sp.Symbol) -> sp.MatrixExpr:
    coeff, rest = term.as_independent(col, col2, row, theta, as_Add=False)
    factors = sp.Mul.make_args(rest)
    if len(factors) == 1 and isinstance(factors[0], sp.Sum) and factors[0].limits == ((row, *EXAMPLES[1:]),):
        weights, columns = sp.S.One, []
        for f in sp.Mul.make_args(factors[0].function):
            if f in (x[row, col], x[row, col2]):
                columns.append(f)
            else:
                weights = weights * f
        if sorted(columns, key=str) != sorted([x[row, col], x[row, col2]], key=str):
            raise NoMatrixFormError(term)
        if weights == 1:
            return coeff * X.T * X
        return coeff * X.T * DiagMatrix(_vector(weights, row)) * X
    if sp.KroneckerDelta(col, col2) in factors:
        operator = sp.Identity(n + 1)
        for f in factors:
            if f != sp.KroneckerDelta(col, col2):
                operator = _mask(f, col)
        return coeff * operator
    raise NoMatrixFormError(term)


def _column(term: sp.Expr, row: sp.Symbol, col: sp.Symbol) -> sp.MatrixExpr:
    """The (n+1)-vector whose j-th entry is ``term``."""
    coeff, rest = term.as_independent(col, row, theta, as_Add=False)
    factors = sp.Mul.make_args(rest)
    sums = [f for f in factors if isinstance(f, sp.Sum)]
    if len(sums) == 1 and sums[0].limits == ((row, *EXAMPLES[1:]),) and len(factors) == 1:
        return coeff * _rows_against_x(sums[0].function, row, col)
    if theta[col] in factors:
        operator = sp.Identity(n + 1)
        for f in factors:
            if f == theta[col]:
                continue
            operator = operator * _mask(f, col)
        vector = Theta if operator == sp.Identity(n + 1) else operator * Theta
        return coeff * vector
    raise NoMatrixFormError(term)


def _mask(factor: sp.Expr, col: sp.Symbol) -> sp.MatrixExpr:
    bias = E0 * E0.T
    if factor == 1 - sp.KroneckerDelta(col, 0):
        return sp.Identity(n + 1) - bias
    if factor == sp.KroneckerDelta(col, 0):
        return bias
    raise NoMatrixFormError(factor)


def _rows_against_x(summand: sp.Expr, row: sp.Symbol, col: sp.Symbol) -> sp.MatrixExpr:
    """Σ_i r_i x_ij = [Xᵀ r]_j."""
    r, rest = sp.S.One, []
    for f in sp.Mul.make_args(summand):
        if f == x[row, col]:
            rest.append(f)
        else:
            r = r * f
    if len(rest) != 1:
        raise NoMatrixFormError(summand)
    return X.T * _vector(r, row)


def _vector(e: sp.Expr, row: sp.Symbol) -> sp.MatrixExpr:
    """The m-vector whose i-th entry is ``e``."""
    if row not in e.free_symbols:
        if e.free_symbols & {j} or e.has(theta) or e.has(x):
            raise NoMatrixFormError(e)
        return e * sp.OneMatrix(m, 1)
    if e == y[row]:
        return Y
    if isinstance(e, sp.Sum) and e.limits == FEATURES_LIMITS and e.function == theta[FEATURES[0]] * x[row, FEATURES[0]]:
        return X * Theta
    if isinstance(e, Abbreviation):
        return _vector(e.definition(), row)
    if isinstance(e, sp.Function) and len(e.args) == 1 and (isinstance(e, _ELEMENTWISE) or hasattr(e, "fdiff")):
        inner = _vector(e.args[0], row)
        return elementwise(e.func, inner)
    if isinstance(e, sp.Add):
        return sp.MatAdd(*(_vector(t, row) for t in e.args))
    if isinstance(e, sp.Mul):
        const, dep = e.as_independent(row, as_Add=False)
        parts = [_vector(f, row) for f in sp.Mul.make_args(dep)]
        body = parts[0] if len(parts) == 1 else sp.HadamardProduct(*parts)
        return const * body
    raise NoMatrixFormError(e)


FEATURES_LIMITS = (FEATURES,)


def vectorise_cost(expr: sp.Expr) -> sp.Expr | None:
    """The engine's vectorise step, also when the sum form writes x_j⁽ⁱ⁾ in each term: Σ_i (a − b) x_ij."""
    return vectorise(expr) or vectorise(_collected(expr))


def _collected(gradient: sp.Expr) -> sp.Expr:
    """Σ_i (a x_ij − b x_ij) as Σ_i (a − b) x_ij, the shape the vectorise step reads as Xᵀ(a − b)."""
    return gradient.replace(
        lambda e: isinstance(e, sp.Sum) and e.limits == (EXAMPLES,),
        lambda e: sp.Sum(_factor_out(e.function, x[i, j]), *e.limits),
    )


def _factor_out(summand: sp.Expr, factor: sp.Expr) -> sp.Expr:
    terms = sp.Add.make_args(summand)
    if len(terms) < 2 or not all(factor in sp.Mul.make_args(t) for t in terms):
        return summand
    return sp.Mul(sp.Add(*(t / factor for t in terms)), factor, evaluate=False)
