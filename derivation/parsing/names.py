"""The name tables of the Python-syntax parser: matrix form and index form."""

from __future__ import annotations

import re

import sympy as sp

from ..core.functions import ML_FUNCTIONS, spellings
from ..core.notation import Theta, X, Y, i, j, k, lam, m, n, theta, x, y

# Always callable, besides any table: the registered ML functions by their usual names, then NumPy's.
FUNCTIONS = (*(e.python_names[0] for e in ML_FUNCTIONS.values() if e.python_names), "exp", "log", "sqrt", "sum", "Sum")
ELEMENTWISE = {
    **{name: e.function for name, e in spellings("python").items()},  # sigmoid, expit, softplus, tanh
    "exp": sp.exp,
    "log": sp.log,
    "sqrt": sp.sqrt,
}
NUMPY_FUNCTIONS = ("exp", "log", "sqrt", "sum", *spellings("numpy"))  # callable as np.<name>


def matrix_names() -> dict[str, sp.Basic]:
    """Names for the matrix form: X (m×(n+1)), theta ((n+1)×1), y (m×1), m, n, lam.

    The functions of :data:`FUNCTIONS` are always available besides these.

    >>> sorted(matrix_names())
    ['X', 'lam', 'lambda_', 'm', 'n', 'theta', 'y']
    """
    return {"X": X, "theta": Theta, "y": Y, "m": m, "n": n, "lam": lam, "lambda_": lam}


def index_names() -> dict[str, sp.Basic]:
    """Names for the index form: x (alias X), theta, y as IndexedBase; i, j, k, m, n, lam.

    ``X[i, k]`` and ``x[i, k]`` are the same element x_k⁽ⁱ⁾.  Add the model's
    hypothesis class under ``"h"`` to allow ``h(i)``.

    >>> sorted(index_names())
    ['X', 'i', 'j', 'k', 'lam', 'lambda_', 'm', 'n', 'theta', 'x', 'y']
    """
    return {"X": x, "x": x, "theta": theta, "y": y, "i": i, "j": j, "k": k, "m": m, "n": n, "lam": lam, "lambda_": lam}


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
    """
    if "@" in text or re.search(r"\.T\b", text) or re.search(r"(?<![\w.])sum\s*\(|\b(np|numpy)\.sum\b", text):
        return "matrix"
    return "index"
