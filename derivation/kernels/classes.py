"""NumPy kernels for the models over a weight matrix W (softmax regression, the multiclass SVM).

The θ kernels (:mod:`.codegen`) stream the m examples through a vector θ; here the
parameter is W (n+1) × K and every quantity is an m × K matrix of scores, so the
module is printed straight from the model's matrix forms, one statement per distinct
sub-expression (``t0 = X @ W`` once, however often it occurs).  Softmax and log-sum-exp
are the registry's stable forms (each row shifted by its largest score), so nothing
overflows at scores of ±1000; the cross-entropy is written Y ⊙ (Z − LSE(Z)𝟏ᵀ), never
log of a probability.

Shapes: W (n+1, K) (the notation's layout; scikit-learn's coef_ is its transpose),
X (m, n+1) with its column of ones, and the labels either one-hot Y (m, K) or integers
0..K−1 of shape (m,); anything else raises ValueError naming the shapes.

Dtype: the arithmetic runs in X's dtype when X is float32 or float64 (X is never copied);
any other X is converted to float64 once.  W and Y are converted to X's dtype; the gradient
comes back in it and the cost as a Python float.

>>> from derivation.core.family import CLASS_MODELS
>>> src = class_module_source(CLASS_MODELS["softmax"]())
>>> "def cost_and_grad(W, X, Y" in src and "np.max(np.real(" in src
True
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from ..core.functions.softmax import RowFunction
from ..core.models import Model
from ..core.notation import K, lam, m, n
from .printers import in_x_dtype, matrix_latex, pycode, python_name

_PRELUDE = '''
def _shapes(W, X, Y):
    """m, n + 1 and K from the shapes of W, X and Y, checked against each other (never broadcast)."""
    if len(np.shape(X)) != 2:
        raise ValueError(f"X must be a non-empty 2-D array (m, n+1); got shape {np.shape(X)}")
    m, p = np.shape(X)
    if len(np.shape(W)) != 2 or np.shape(W)[0] != p:
        hint = " (scikit-learn's coef_ is (K, n+1): pass coef_.T)" if np.ndim(W) == 2 and np.shape(W)[1] == p else ""
        raise ValueError(f"W has shape {np.shape(W)} but X has shape {np.shape(X)}: expected ({p}, K){hint}")
    K = np.shape(W)[1]
    if np.shape(Y) not in ((m,), (m, 1), (m, K)):
        raise ValueError(f"Y has shape {np.shape(Y)}: expected one-hot ({m}, {K}) or integer labels ({m},)")
    return m, p, K


def _prepare(W, X, Y, examples=None):
    """X as given if float32 or float64 (never copied), else as float64; W and Y in X's dtype.

    Every shape is checked (never broadcast); integer labels 0..K−1 become one-hot rows.  ``examples``: the m the
    cost averages over when X holds only some of the rows (a chunk of a Dask array; it may hold none).
    """
    X = np.asarray(X)
    if X.dtype != np.float32 and X.dtype != np.float64:
        X = X.astype(np.float64)  # integers, booleans, float16, ...: one copy, in float64
    W = np.asarray(W, dtype=X.dtype)
    Y = np.asarray(Y)
    m, p, K = _shapes(W, X, Y)
    if m == 0 and examples is None:
        raise ValueError(f"X must be a non-empty 2-D array (m, n+1); got shape {X.shape}")
    if Y.shape != (m, K):
        labels = Y.reshape(m)
        if not np.all(np.isin(labels, np.arange(K))):
            raise ValueError(f"integer labels must lie in 0..{K - 1} (K = {K} columns of W)")
        Y = np.eye(K, dtype=X.dtype)[labels.astype(np.int64)]
    return W, X, np.asarray(Y, dtype=X.dtype), m if examples is None else examples, p - 1, K
'''

_ENTRIES = {  # name: (model attributes, what it returns)
    "cost": (("matrix_cost",), "The cost (a float)"),
    "grad": (("matrix_gradient",), "The gradient ∂J/∂W, (n+1, K)"),
    "cost_and_grad": (("matrix_cost", "matrix_gradient"), "The cost and the gradient, sharing the scores"),
}
_FORMULA_NAMES = {"matrix_cost": "J(W)", "matrix_gradient": r"\nabla_W J(W)"}
_LEAVES = {"X": "X", "W": "W", "Y": "Y"}
_ARGUMENT = sp.Symbol("ARGUMENT_")  # where an element-wise function's argument goes


class _Printer:
    """Straight-line NumPy code for matrix expressions over X, W and Y: one temporary per distinct node."""

    def __init__(self, parameters: dict[sp.Symbol, sp.Symbol]):
        self.parameters = parameters
        self.lines: list[str] = []
        self.names: dict[sp.Basic, str] = {}

    def scalar(self, expr: sp.Expr) -> str:
        expr = expr if isinstance(expr, sp.Basic) else sp.Integer(expr)  # a size given as a number
        return pycode(expr.xreplace(self.parameters))

    def shape(self, rows: sp.Expr, cols: sp.Expr) -> str:
        # the examples dimension is X's rows: m is the count the cost averages over, larger for a chunk of X
        sizes = sp.Tuple(rows, cols).xreplace({m: sp.Symbol("X.shape[0]")})
        return f"({self.scalar(sizes[0])}, {self.scalar(sizes[1])})"

    def emit(self, expr: sp.Basic) -> str:
        """The name (or code, for a leaf) holding ``expr``'s value."""
        if isinstance(expr, sp.MatrixSymbol):
            if expr.name not in _LEAVES:
                raise ValueError(f"a kernel over W knows X, W and Y, not {expr.name}")
            return _LEAVES[expr.name]
        if expr in self.names:
            return self.names[expr]
        code = self.code(expr)
        name = f"t{len(self.names)}"
        self.names[expr] = name
        self.lines.append(f"{name} = {code}")
        return name

    def code(self, expr: sp.Basic) -> str:
        if isinstance(expr, sp.OneMatrix):
            return f"np.ones({self.shape(*expr.shape)}, dtype=X.dtype)"
        if isinstance(expr, sp.Transpose):
            return f"{self.emit(expr.arg)}.T"
        if isinstance(expr, RowFunction):
            return type(expr).numpy_code(self.emit(expr.scores))
        if isinstance(expr, ElementwiseApplyFunction):
            body = pycode(expr.function(_ARGUMENT)).replace(_ARGUMENT.name, "{0}")
            return body.format(self.emit(expr.expr))
        if isinstance(expr, sp.MatAdd):
            return " + ".join(self.emit(a) for a in expr.args)
        if isinstance(expr, sp.HadamardProduct):
            return " * ".join(self.emit(a) for a in expr.args)
        if isinstance(expr, sp.HadamardPower):
            return f"{self.emit(expr.base)} ** {self.scalar(expr.exp)}"
        if isinstance(expr, sp.MatMul):
            scalars = [a for a in expr.args if not isinstance(a, sp.MatrixExpr)]
            product = " @ ".join(self.emit(a) for a in expr.args if isinstance(a, sp.MatrixExpr))
            factor = sp.Mul(*scalars)
            if factor == -1:
                return f"-({product})"
            return f"({self.scalar(factor)}) * ({product})" if scalars else product
        raise ValueError(f"no NumPy form for {type(expr).__name__} in a kernel over W")


def _function(name: str, model: Model, doc: str) -> str:
    attributes, _ = _ENTRIES[name]
    parameters = {p: sp.Symbol(python_name(p)) for p in model.parameters}
    printer = _Printer(parameters)
    results = [printer.emit(getattr(model, a)) for a in attributes]
    returns = [f"float({r}[0, 0])" if a == "matrix_cost" else r for a, r in zip(attributes, results, strict=True)]
    keywords = "".join(f"{python_name(p)}=1.0, " for p in model.parameters)
    lines = [f"def {name}(W, X, Y, *, {keywords}examples=None):"]
    lines += [
        f'    r"""{line}' if k == 0 else (f"    {line}" if line else "") for k, line in enumerate(doc.split("\n"))
    ]
    lines.append('    """')
    lines.append("    W, X, Y, m, n, K = _prepare(W, X, Y, examples)")
    lines += [f"    {line}" for line in printer.lines]
    lines.append(f"    return {', '.join(returns)}")
    return in_x_dtype("\n".join(lines))


def class_module_source(model: Model) -> str:
    """The standalone module (imports only NumPy) with cost, grad and cost_and_grad of a model over W."""
    formulas = "\n".join(f"${_FORMULA_NAMES[a]} = {matrix_latex(getattr(model, a))}$" for a in _FORMULA_NAMES)
    params = ", ".join(python_name(p) for p in model.parameters)
    keyword = f" Keyword: {params} (default 1.0)." if params else ""
    shapes = (
        "W (n+1, K); X (m, n+1) with its column of ones; Y one-hot (m, K) or integer labels 0..K−1 (m,)."
        + keyword
        + "\nexamples: the m to average over when X is a chunk of the examples (default: X's rows)."
    )
    header = (
        f'r"""NumPy kernels for {model.title[:1].lower() + model.title[1:]}, generated by `derivation` from its '
        f"matrix form.\n\n{model.summary}\n\n{formulas}\n\n{shapes}\nScores are max-shifted row by row "
        "(softmax, log-sum-exp): finite at any real scores.\nThe arithmetic runs in X's dtype (float32 or float64, "
        "never a copy of X; other dtypes become float64):\nthe gradient comes back in it, the cost as a float.  "
        'This module imports only NumPy.\n"""'
    )
    functions = [_function(name, model, f"{what}.\n\n{shapes}") for name, (_, what) in _ENTRIES.items()]
    alias = "value_and_grad = cost_and_grad  # the name the θ kernels use"
    parts = [header, "import numpy as np", _PRELUDE, *functions, alias]
    return "\n\n\n".join(part.strip("\n") for part in parts) + "\n"


__all__ = ["class_module_source"]


del K, lam, n  # imported so that the symbols' names (m, n, K) are the ones _prepare defines
