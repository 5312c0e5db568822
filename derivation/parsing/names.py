"""The name tables of the Python-syntax parser: matrix form and index form."""

from __future__ import annotations

import re

import sympy as sp

from ..core.functions import ML_FUNCTIONS, spellings
from ..core.notation import K, Theta, W, X, Y, c, i, j, k, l, lam, m, n, theta, x, y

# Functions of several arguments, read by their meaning: max(0, u) is ReLU(u), np.logaddexp(0, u) softplus(u),
# np.where(u > 0, a, b) and np.heaviside(u, 0) are written with the step 1[u > 0].
SPECIAL = ("max", "min", "maximum", "minimum", "logaddexp", "where", "heaviside")
# How code names the regularisation strength λ (lambda is Python's keyword)
LAMBDAS = ("lam", "lambda_", "lmbda", "lambd", "reg")
# Always callable, besides any table: the registered ML functions by their usual names, then NumPy's.
FUNCTIONS = (
    *(e.python_names[0] for e in ML_FUNCTIONS.values() if e.python_names),
    *("exp", "log", "log1p", "expm1", "sqrt", "sign", "max", "min", "sum", "Sum"),
)
ELEMENTWISE = {
    **{name: e.function for name, e in spellings("python").items()},  # sigmoid, expit, softplus, tanh
    "exp": sp.exp,
    "log": sp.log,
    "log1p": lambda u: sp.log(1 + u),
    "expm1": lambda u: sp.exp(u) - 1,
    "sqrt": sp.sqrt,
    "sign": sp.sign,
    "cosh": sp.cosh,
    "sinh": sp.sinh,  # log cosh's derivative written as sinh/cosh, or its slip without the /cosh
}
NUMPY_FUNCTIONS = (
    *("exp", "log", "log1p", "expm1", "sqrt", "sign", "cosh", "sinh", "sum", "mean", "square", "dot", "matmul"),
    *SPECIAL[2:],
    *spellings("numpy"),
)


def matrix_names() -> dict[str, sp.Basic]:
    """Names for the matrix form: X (m×(n+1)), theta ((n+1)×1), y (m×1), m, n, lam.

    The functions of :data:`FUNCTIONS` are always available besides these.

    >>> sorted(matrix_names())
    ['X', 'lam', 'lambd', 'lambda_', 'lmbda', 'm', 'n', 'reg', 'theta', 'y']
    """
    return {"X": X, "theta": Theta, "y": Y, "m": m, "n": n, **dict.fromkeys(LAMBDAS, lam)}


def index_names() -> dict[str, sp.Basic]:
    """Names for the index form: x (alias X), theta, y, W as IndexedBase; i, j, k, l, c, m, n, K, lam.

    ``X[i, k]`` and ``x[i, k]`` are the same element x_k⁽ⁱ⁾.  Several classes: ``W[j, c]`` is the weight of
    feature j for class c (W is (n+1) × K), ``y[i, c]`` the one-hot label, K the number of classes.  Add the
    model's hypothesis class under ``"h"`` to allow ``h(i)``.

    >>> sorted(index_names())
    ['K', 'W', 'X', 'c', 'i', 'j', 'k', 'l', 'lam', 'lambd', 'lambda_', 'lmbda', 'm', 'n', 'reg', 'theta', 'x', 'y']
    """
    return {
        **{"X": x, "x": x, "theta": theta, "y": y, "W": W, "i": i, "j": j, "k": k, "l": l, "c": c},
        **{"m": m, "n": n, "K": K, **dict.fromkeys(LAMBDAS, lam)},
    }


def default_names(kind: str) -> dict[str, sp.Basic]:
    """The name table for ``kind`` = "matrix" or "index".

    >>> default_names("matrix")["X"].shape
    (m, n + 1)
    """
    tables = {"matrix": matrix_names, "index": index_names}
    if kind not in tables:
        raise ValueError(f"unknown kind {kind!r}; use 'matrix' or 'index'")
    return tables[kind]()


def guess_kind(text: str) -> str:
    """ "matrix" when the text uses ``@``, ``.T`` or NumPy's ``sum``, else "index".

    >>> guess_kind("X.T @ (sigmoid(X @ theta) - y) / m"), guess_kind("theta[j] * x[i, j]")
    ('matrix', 'index')
    >>> guess_kind('np.einsum("ij,i->j", X, np.matmul(X, theta) - y)')
    'matrix'
    """
    if "@" in text or re.search(r"\.T\b", text) or re.search(r"(?<![\w.])sum\s*\(|\b(np|numpy)\.sum\b", text):
        return "matrix"
    if re.search(r"\b(np|numpy)\.(einsum|matmul|dot|eye|identity|diag|transpose)\b", text):
        return "matrix"  # products of arrays, written as NumPy's functions
    return "index"
