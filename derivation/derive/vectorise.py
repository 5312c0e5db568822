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
from ..core.functions.softmax import Softmax, probability, score
from ..core.notation import (
    CLASSES,
    E0,
    EXAMPLES,
    FEATURES,
    K,
    Theta,
    W,
    W_matrix,
    X,
    Y,
    Y_onehot,
    c,
    class_entry,
    elementwise,
    i,
    j,
    m,
    n,
    theta,
    x,
    y,
)

_ELEMENTWISE = (sp.log, sp.exp)


class NoMatrixFormError(Exception):
    """A piece of the expression has no matrix counterpart."""


def vectorise(expr: sp.Expr, row: sp.Symbol = i, col: sp.Symbol = j) -> sp.Expr | None:
    """[M]_j equal to ``expr`` (a sum form in example index ``row`` and parameter index ``col``).

    >>> from derivation.core.notation import inner
    >>> vectorise(sp.Sum((inner(i) - y[i]) * x[i, j], EXAMPLES) / m)
    (1/m*X.T*(X*theta - y))[j, 0]
    """
    if expr.has(W, score, probability) or any(a.base == y and a.rank == 2 for a in expr.atoms(sp.Indexed)):
        return vectorise_classes(expr, row, col)
    try:
        pieces = [_column(term, row, col) for term in sp.Add.make_args(sp.expand(expr, deep=False))]
    except NoMatrixFormError:
        return None
    total = pieces[0] if len(pieces) == 1 else sp.MatAdd(*pieces)
    return MatrixElement(total, col, 0)


def vectorise_classes(expr: sp.Expr, row: sp.Symbol = i, col: sp.Symbol = j, cls: sp.Symbol = c) -> sp.Expr | None:
    """[M]_jc equal to ``expr``, a sum form over W_jc: Σ_i r_c⁽ⁱ⁾ x_j⁽ⁱ⁾ = [Xᵀ R]_jc, W_jc = [W]_jc.

    R is the m × K matrix of the r_c⁽ⁱ⁾: y_c⁽ⁱ⁾ → Y, p_c⁽ⁱ⁾ → softmax(XW), w_cᵀx⁽ⁱ⁾ → XW; a per-example
    quantity (a sum over the classes) is a column m × 1, spread over the K columns by 𝟏ᵀ.  Class c
    (1..K) is column c − 1 of the matrix, as SymPy numbers the entries of a matrix from 0.

    >>> from derivation.printing.expr import to_unicode
    >>> to_unicode(vectorise_classes(sp.Sum((probability(i, c) - y[i, c]) * x[i, j], EXAMPLES) / m))
    '[(1/m) Xᵀ(softmax(XW) − Y)]_{j,c}'
    """
    try:
        pieces = [_class_column(term, row, col, cls) for term in sp.Add.make_args(sp.expand(expr, deep=False))]
    except NoMatrixFormError:
        return None
    # c·Xᵀ R₁ + c·Xᵀ R₂ as c·Xᵀ(R₁ + R₂): one product with X, as a textbook writes it
    against_x = [(coeff, r) for coeff, r in pieces if r is not W_matrix]
    if len(against_x) > 1 and len({coeff for coeff, _ in against_x}) == 1:
        pieces = [p for p in pieces if p[1] is W_matrix] + [(against_x[0][0], sp.MatAdd(*(r for _, r in against_x)))]
    terms = [coeff * (W_matrix if r is W_matrix else X.T * r) for coeff, r in pieces]
    total = terms[0] if len(terms) == 1 else sp.MatAdd(*terms)
    return class_entry(total, col, cls)


def _class_column(term: sp.Expr, row: sp.Symbol, col: sp.Symbol, cls: sp.Symbol) -> tuple[sp.Expr, sp.MatrixExpr]:
    """(coefficient, R) with ``term`` = coefficient·[Xᵀ R]_jc, or R = W itself for coefficient·W_jc."""
    coeff, rest = term.as_independent(col, cls, row, W, as_Add=False)
    if rest == W[col, cls]:
        return coeff, W_matrix
    if isinstance(rest, sp.Sum) and rest.limits[-1] == (row, *EXAMPLES[1:]):
        factors = sp.Mul.make_args(rest.function)
        inside = rest.limits[:-1]  # Σ_{i,a} r_a x_ij = Σ_i (Σ_a r_a) x_ij
        if factors.count(x[row, col]) == 1 and all(tuple(lim[1:]) == CLASSES[1:] for lim in inside):
            r = sp.Mul(*(f for f in factors if f != x[row, col]))
            return coeff, _spread(_entries(sp.Sum(r, *inside) if inside else r, row, cls))
    raise NoMatrixFormError(term)


def _hadamard(parts: list[sp.MatrixExpr]) -> sp.MatrixExpr:
    """The entry-wise product, m × 1 columns spread over the classes when a factor has K columns."""
    if any(p.shape[1] != 1 for p in parts):
        parts = [_spread(p) for p in parts]
    return parts[0] if len(parts) == 1 else sp.HadamardProduct(*parts)


def _spread(matrix: sp.MatrixExpr) -> sp.MatrixExpr:
    """An m × 1 column repeated over the K classes (M 𝟏ᵀ); an m × K matrix as it is."""
    return matrix * sp.OneMatrix(K, 1).T if matrix.shape[1] == 1 else matrix


def _entries(e: sp.Expr, row: sp.Symbol, cls: sp.Symbol) -> sp.MatrixExpr:
    """The m × K matrix whose (i, c) entry is ``e`` (m × 1 when ``e`` does not depend on the class)."""
    if e == y[row, cls]:
        return Y_onehot
    if e == probability(row, cls):
        return Softmax(X * W_matrix)
    if e == score(row, cls):
        return X * W_matrix
    if not e.has(row):
        if e.free_symbols & {j, cls} or e.has(W, x, y):
            raise NoMatrixFormError(e)
        return e * sp.OneMatrix(m, 1)
    if isinstance(e, sp.Sum) and len(e.limits) == 1 and tuple(e.limits[0][1:]) == CLASSES[1:]:
        index = e.limits[0][0]
        outside, inside = e.function.as_independent(index, as_Add=False)  # Σ_b g f_b = g Σ_b f_b
        total = _spread(_entries(inside, row, index)) * sp.OneMatrix(K, 1)  # Σ_b f_b⁽ⁱ⁾ = [F 𝟏]_i
        return total if outside == 1 else _hadamard([_entries(outside, row, cls), total])
    if isinstance(e, Abbreviation):  # another name (the hinge's margin u_c⁽ⁱ⁾): what it stands for
        return _entries(e.definition(), row, cls)
    if isinstance(e, sp.Function) and len(e.args) == 1 and hasattr(e, "fdiff"):
        return elementwise(e.func, _entries(e.args[0], row, cls))
    if isinstance(e, (sp.Add, sp.Mul)):
        const, dep = e.as_independent(row, cls, as_Add=isinstance(e, sp.Add))
        parts = [
            _entries(t, row, cls) for t in (sp.Add.make_args(dep) if isinstance(e, sp.Add) else sp.Mul.make_args(dep))
        ]
        if any(p.shape[1] != 1 for p in parts):
            parts = [_spread(p) for p in parts]
        if isinstance(e, sp.Add):
            ones = sp.OneMatrix(m, parts[0].shape[1])
            return sp.MatAdd(*parts, *([const * ones] if const != 0 else []))
        body = parts[0] if len(parts) == 1 else sp.HadamardProduct(*parts)
        return const * body
    raise NoMatrixFormError(e)


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
        return coeff * X.T * DiagMatrix(column_of(weights, row)) * X
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
    return X.T * column_of(r, row)


def column_of(e: sp.Expr, row: sp.Symbol) -> sp.MatrixExpr:
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
        return column_of(e.definition(), row)
    if isinstance(e, sp.Function) and len(e.args) == 1 and (isinstance(e, _ELEMENTWISE) or hasattr(e, "fdiff")):
        inner = column_of(e.args[0], row)
        return elementwise(e.func, inner)
    if isinstance(e, sp.Add):
        return sp.MatAdd(*(column_of(t, row) for t in e.args))
    if isinstance(e, sp.Mul):
        const, dep = e.as_independent(row, as_Add=False)
        parts = [column_of(f, row) for f in sp.Mul.make_args(dep)]
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
