"""The symbols every model shares, in the notation of ML courses.

Examples are indexed i = 1..m (the superscript ⁽ⁱ⁾), features k = 0..n with
x₀ = 1 the bias feature, and θ_j is the parameter we differentiate by.  The
matrix form uses X (m × (n+1)), θ ((n+1) × 1) and y (m × 1), with row i−1 of X
holding x⁽ⁱ⁾.
"""

from __future__ import annotations

import sympy as sp

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
W = sp.IndexedBase("W", real=True)
W_matrix = sp.MatrixSymbol("W", n + 1, K)
Y_onehot = sp.MatrixSymbol("Y", m, K)

EXAMPLES = (i, 1, m)
FEATURES = (k, 0, n)


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
