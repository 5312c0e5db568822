"""The symbols every model shares, in the notation of ML courses.

Examples are indexed i = 1..m (the superscript ⁽ⁱ⁾), features k = 0..n with
x₀ = 1 the bias feature, and θ_j is the parameter we differentiate by.  The
matrix form uses X (m × (n+1)), θ ((n+1) × 1) and y (m × 1), with row i−1 of X
holding x⁽ⁱ⁾.

Several classes (softmax regression, the multiclass SVM): K classes, numbered
1..K in sums as written, like the examples (:data:`CLASSES`, bound letters a and b;
the free c of W_jc runs 1..K too).  W is (n+1) × K, its column c the weights w_c of
class c, so the scores of all examples are X·W (m × K); W_kc is ``W[k, c]`` and prints
W_kc (feature first, class second).  One-hot labels y_c⁽ⁱ⁾ are ``y[i, c]`` (1 for the
class of example i, else 0), the matrix Y (m × K).  Where numbers are computed, the
classes are renumbered 0..K−1 (:func:`zero_based_classes`), as core.costs.zero_based
renumbers the examples: class c is column c−1 of W and Y, and a sum over all the
classes is the same sum whichever way they are numbered.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

m, n = sp.symbols("m n", integer=True, positive=True)
i, j, k = sp.symbols("i j k", integer=True, nonnegative=True)
l = sp.Symbol("l", integer=True, nonnegative=True)  # the second parameter index, in a Hessian
z = sp.Symbol("z", real=True)
lam = sp.Symbol("lambda", positive=True)

theta = sp.IndexedBase("theta", real=True)
x = sp.IndexedBase("x", real=True)
y = sp.IndexedBase("y", real=True)
y_example = sp.Symbol("y", real=True)  # the label of the one example in a per-example cost

X = sp.MatrixSymbol("X", m, n + 1)
Theta = sp.MatrixSymbol("theta", n + 1, 1)
Y = sp.MatrixSymbol("y", m, 1)
E0 = sp.MatrixSymbol("e_0", n + 1, 1)  # the first unit vector: E0·E0ᵀ picks the bias θ_0

# Several classes (softmax regression, multiclass SVM): W is (n+1) × K, column c holding class c's weights,
# so that the scores of all examples are X·W (m × K); one-hot labels y_c⁽ⁱ⁾ are y[i, c], the matrix Y (m × K).
K = sp.Symbol("K", integer=True, positive=True)
c = sp.Symbol("c", integer=True, nonnegative=True)  # the class of the weight W_jc we differentiate by
a, b = sp.symbols("a b", integer=True, nonnegative=True)  # classes summed over: Σ_a y_a⁽ⁱ⁾ …, Σ_b e^{w_bᵀx⁽ⁱ⁾}


class WeightEntry(sp.Indexed):
    """W_kc: feature k, class c.  Printed W_kc (the example-first layout of x_k⁽ⁱ⁾ would put k up)."""

    def _indices_text(self, printer) -> str:
        parts = [printer._print(v) for v in self.indices]
        return "".join(parts) if all(len(p) == 1 for p in parts) else ",".join(parts)

    def _derivation_text(self, printer) -> str:
        text = self._indices_text(printer)
        return "W_" + (text if len(text) <= 2 and "," not in text else "{" + text + "}")

    def _latex(self, printer, exp=None) -> str:
        body = "W_{" + self._indices_text(printer) + "}"
        return body if exp is None else f"{body}^{{{exp}}}"


class _Weights(sp.IndexedBase):
    """The IndexedBase W whose entries are :class:`WeightEntry` (so that they print W_kc)."""

    def __getitem__(self, indices, **kw_args):
        entry = super().__getitem__(indices, **kw_args)
        return WeightEntry(*entry.args) if isinstance(entry, sp.Indexed) else entry


W = _Weights("W", real=True)


class ClassEntry(MatrixElement):
    """An entry [M]_{j, c−1} of a matrix over the classes, printed [M]_jc: class c (1..K) is column c − 1.

    Its arguments are SymPy's (the column numbered from 0); only the printed column counts classes from 1.
    Build it with :func:`class_entry`.
    """

    def _indices(self, printer) -> str:
        return f"{printer._print(self.i)},{printer._print(self.j + CLASSES[1])}"

    def _derivation_text(self, printer) -> str:
        return printer.bracket(printer._print(self.parent)) + printer.sub(self._indices(printer))

    def _latex(self, printer, exp=None) -> str:
        body = rf"\left[{printer._print(self.parent)}\right]_{{{self._indices(printer)}}}"
        return body if exp is None else rf"{body}^{{{exp}}}"


def class_entry(matrix: sp.MatrixExpr, row: sp.Expr, cls: sp.Expr) -> ClassEntry:
    """The entry of ``matrix`` in row ``row`` and the column of class ``cls`` (1..K).

    >>> class_entry(W_matrix, j, c).args[1:]
    (j, c - 1)
    """
    return ClassEntry(matrix, row, cls - CLASSES[1])


W_matrix = sp.MatrixSymbol("W", n + 1, K)
Y_onehot = sp.MatrixSymbol("Y", m, K)

EXAMPLES = (i, 1, m)
FEATURES = (k, 0, n)
CLASSES = (a, 1, K)
ZERO_BASED_CLASSES = (0, K - 1)  # where the classes run when numbers are computed


def zero_based_classes(expr: sp.Basic) -> sp.Basic:
    """Every sum over the classes 1..K renumbered 0..K−1, as the columns of W and Y are numbered.

    >>> zero_based_classes(sp.Sum(y[i, a], CLASSES))
    Sum(y[i, a], (a, 0, K - 1))
    """

    def renumbered(limits: tuple) -> tuple:
        return tuple((v, *ZERO_BASED_CLASSES) if (lo, hi) == CLASSES[1:] else (v, lo, hi) for v, lo, hi in limits)

    return expr.replace(
        lambda e: isinstance(e, sp.Sum) and any(lim[1:] == CLASSES[1:] for lim in e.limits),
        lambda e: sp.Sum(e.function, *renumbered(e.limits)),
    )


_ELEMENT = sp.Symbol("u")


def elementwise(f, matrix: sp.MatrixExpr) -> sp.MatrixExpr:
    """f applied to every entry of ``matrix``, e.g. σ(Xθ); equal inputs give equal (comparable) results.

    >>> elementwise(sp.exp, X * Theta) == elementwise(sp.exp, X * Theta)
    True
    """
    from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

    return ElementwiseApplyFunction(sp.Lambda(_ELEMENT, f(_ELEMENT)), matrix)


def inner(row: sp.Expr) -> sp.Sum:
    """θᵀx⁽ʳᵒʷ⁾ written out as Σ_k θ_k x_k⁽ʳᵒʷ⁾.

    >>> inner(i)
    Sum(theta[k]*x[i, k], (k, 0, n))
    """
    return sp.Sum(theta[k] * x[row, k], FEATURES)


def example_inner() -> sp.Sum:
    """θᵀx for a single example: Σ_k θ_k x_k.

    >>> example_inner()
    Sum(theta[k]*x[k], (k, 0, n))
    """
    return sp.Sum(theta[k] * x[k], FEATURES)
