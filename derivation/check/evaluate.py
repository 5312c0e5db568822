"""Numbers from our expression trees: random datasets and a small NumPy evaluator.

The checker of user gradients compares numbers on concrete data.  This module
draws the data (:func:`make_datasets`, reproducible from a seed) and evaluates
the trees our parsers and the model catalog build, without ``lambdify`` or any
code generation: :class:`Evaluator` walks the tree and computes each node with
NumPy.

* Matrix expressions (``X``, ``theta``, ``y``, ``e_0``; products, sums,
  transposes, element-wise functions, Hadamard products, 𝟙 and I) give 2-D arrays.
* Index expressions (``Sum``, ``x[i, k]``, ``theta[k]``, ``y[i]``, ``h(i)``) are
  evaluated with every summation index on its own broadcast axis; a free ``i``
  (the example) and a free ``j`` (the feature) give the rows and columns of the
  result: free j → (n+1, 1), free i → (m, 1), both → (m, n+1), neither → ().
  ``row_offset`` says where examples start: 0 in Python syntax, 1 in LaTeX (x⁽¹⁾ is row 0).

:func:`cost_gradient` differentiates a matrix cost by the complex step (exact to
rounding, using no derivative rule of ours): the independent answer behind the
diagnoses "gradient of another model" and "derivative by the wrong variable".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.hadamard import HadamardPower, HadamardProduct
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.functions import Abbreviation, sigmoid

SIZES = ((3, 1), (4, 2), (5, 1), (6, 3), (7, 2))  # (m, n): m ≠ n+1 and several m, so shapes and 1/m show
NDIM = 8  # axes of an index evaluation: 0 the free example i, 1 the free feature j, 2.. the sums
MAX_ELEMENTS = 2_000_000  # the product of all summation ranges, bounded before anything is allocated
_STEP = 1e-30  # the complex step


class EvalError(ValueError):
    """The tree cannot be evaluated: an unknown symbol, an index out of range, a derivative left in it."""


@dataclass(frozen=True)
class Dataset:
    """One random problem: X (m, n+1), y (m,), θ (n+1,), λ."""

    m: int
    n: int
    X: np.ndarray
    y: np.ndarray
    theta: np.ndarray
    lam: float

    @property
    def p(self) -> int:
        """The number of parameters, n + 1."""
        return self.n + 1

    def as_lists(self) -> dict[str, Any]:
        """Plain data for reports and JSON."""
        return {
            "m": self.m,
            "n": self.n,
            "X": self.X.tolist(),
            "y": self.y.tolist(),
            "theta": self.theta.tolist(),
            "lam": self.lam,
        }


def make_datasets(model, seed: int = 0, sizes: tuple[tuple[int, int], ...] = SIZES) -> tuple[Dataset, ...]:
    """Reproducible random data, one dataset per (m, n); values rounded to 2 decimals so a report can be retyped.

    Labels are 0/1 when the model's cost takes a logarithm (classification), else real numbers.

    >>> from derivation.core.models import get_model
    >>> d = make_datasets(get_model("logistic"), seed=0)[0]
    >>> d.X.shape, d.theta.shape, set(d.y) <= {0.0, 1.0}
    ((3, 2), (2,), True)
    """
    rng = np.random.default_rng(seed)
    binary = model.matrix_cost is not None and model.matrix_cost.has(sp.log)
    out = []
    for m, n in sizes:
        X = rng.normal(0.0, 1.0, (m, n + 1)).round(2)
        theta = rng.normal(0.0, 1.0, n + 1).round(2)
        y = rng.integers(0, 2, m).astype(float) if binary else rng.normal(0.0, 1.0, m).round(2)
        if binary and y.min() == y.max():
            y[0] = 1.0 - y[0]  # both classes in every dataset
        lam = round(float(rng.uniform(0.5, 2.0)), 2)
        out.append(Dataset(m, n, X, y, theta, lam))
    return tuple(out)


def stable_sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) without overflow for real z; the plain formula for complex z (the complex step).

    >>> stable_sigmoid(np.array([-800.0, 0.0, 800.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    z = np.asarray(z)
    if np.iscomplexobj(z):
        return 1.0 / (1.0 + np.exp(-z))
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


_FUNCTIONS = {sp.exp: np.exp, sp.log: np.log, sigmoid: stable_sigmoid, sp.Abs: np.abs}


class Evaluator:
    """Evaluates our trees on one :class:`Dataset`.

    ``overrides`` replaces the arrays of ``X``, ``theta`` (a column) or ``y`` (a column),
    e.g. by complex ones for the complex step.

    >>> from derivation.core.models import get_model
    >>> d = make_datasets(get_model("linear"))[0]
    >>> g = Evaluator(d).value(get_model("linear").matrix_gradient)
    >>> g.shape, bool(np.allclose(g.ravel(), d.X.T @ (d.X @ d.theta - d.y) / d.m))
    ((2, 1), True)
    """

    def __init__(self, data: Dataset, *, row_offset: int = 0, overrides: dict[str, np.ndarray] | None = None):
        self.data = data
        self.row_offset = row_offset
        e0 = np.zeros((data.p, 1))
        e0[0, 0] = 1.0
        self.matrices = {"X": data.X, "theta": data.theta.reshape(-1, 1), "y": data.y.reshape(-1, 1), "e_0": e0}
        self.matrices.update(overrides or {})
        self.scalars = {"m": data.m, "n": data.n, "lambda": data.lam}
        self.busy: set[int] = set()  # axes taken by the sums being evaluated

    # --- entry points ----------------------------------------------------------------------
    def value(self, expr: sp.Basic) -> np.ndarray:
        """A matrix expression as a 2-D array; a scalar one with its free i and j as rows and columns."""
        with np.errstate(all="ignore"):
            if isinstance(expr, sp.MatrixExpr):
                return np.asarray(self.matrix(expr, {}))
            env = {
                "i": (0, np.arange(self.data.m) + self.row_offset),
                "j": (1, np.arange(self.data.p)),
            }
            result = np.asarray(self.scalar(expr, {}, env))
        if result.ndim == 0:
            return result.astype(np.result_type(result, float))
        rows, cols = result.shape[0], result.shape[1]
        if any(size != 1 for size in result.shape[2:]):
            raise EvalError("a summation index is left over")
        full = result.reshape(rows, cols)
        if rows == 1 and cols == 1:
            return full.reshape(())
        if rows == 1:  # free j only: a column of n+1 components
            return full.reshape(cols, 1)
        return full

    # --- matrices ----------------------------------------------------------------------------
    def matrix(self, node: sp.Basic, bound: dict) -> np.ndarray:
        if isinstance(node, sp.MatrixSymbol):
            name = str(node.name)
            if name not in self.matrices:
                raise EvalError(f"unknown matrix '{name}'")
            return self.matrices[name]
        if isinstance(node, sp.MatAdd):
            return sum((self.matrix(a, bound) for a in node.args[1:]), self.matrix(node.args[0], bound))
        if isinstance(node, sp.MatMul):
            coeff, result = 1.0, None
            for arg in node.args:
                if isinstance(arg, sp.MatrixExpr):
                    value = self.matrix(arg, bound)
                    result = value if result is None else result @ value
                else:
                    coeff = coeff * self.scalar(arg, bound, {})
            return coeff * result
        if isinstance(node, sp.Transpose):
            return self.matrix(node.arg, bound).T
        if isinstance(node, ElementwiseApplyFunction):
            lam = node.function
            inner = self.matrix(node.expr, bound)
            return np.asarray(self.scalar(lam.expr, {**bound, lam.variables[0]: inner}, {})) * np.ones_like(inner)
        if isinstance(node, HadamardProduct):
            out = self.matrix(node.args[0], bound)
            for arg in node.args[1:]:
                out = out * self.matrix(arg, bound)
            return out
        if isinstance(node, HadamardPower):
            base = np.asarray(self.matrix(node.base, bound))
            return _as_inexact(base) ** self.scalar(node.exp, bound, {})
        if isinstance(node, (sp.OneMatrix, sp.ZeroMatrix)):
            shape = tuple(self.dimension(d) for d in node.shape)
            return np.ones(shape) if isinstance(node, sp.OneMatrix) else np.zeros(shape)
        if isinstance(node, sp.Identity):
            return np.eye(self.dimension(node.rows))
        raise EvalError(f"cannot evaluate {type(node).__name__} in a matrix expression")

    def dimension(self, expr: sp.Expr) -> int:
        value = self.scalar(expr, {}, {})
        return int(value)

    # --- scalars and indices -----------------------------------------------------------------
    def scalar(self, node: sp.Basic, bound: dict, env: dict) -> Any:
        """``bound`` maps Symbol objects to values (lambda variables, sums); ``env`` free i and j by name."""
        if node in bound:
            return bound[node]
        if isinstance(node, sp.Number) or isinstance(node, sp.NumberSymbol):
            if isinstance(node, sp.Integer):
                return int(node)
            return float(node)
        if isinstance(node, sp.Symbol):
            return self.symbol(node, env)
        if isinstance(node, sp.Add):
            return sum((self.scalar(a, bound, env) for a in node.args[1:]), self.scalar(node.args[0], bound, env))
        if isinstance(node, sp.Mul):
            out = self.scalar(node.args[0], bound, env)
            for arg in node.args[1:]:
                out = out * self.scalar(arg, bound, env)
            return out
        if isinstance(node, sp.Pow):
            base = self.scalar(node.base, bound, env)
            exponent = self.scalar(node.exp, bound, env)
            return _as_inexact(base) ** exponent
        if isinstance(node, Abbreviation):
            return self.scalar(node.definition(), bound, env)
        if isinstance(node, sp.Function) and node.func in _FUNCTIONS:
            return _FUNCTIONS[node.func](_as_inexact(self.scalar(node.args[0], bound, env)))
        if isinstance(node, sp.KroneckerDelta):
            a, b = (self.scalar(arg, bound, env) for arg in node.args)
            return np.equal(a, b).astype(float)
        if isinstance(node, sp.Sum):
            return self.sum(node, bound, env)
        if isinstance(node, sp.Indexed):
            return self.indexed(node, bound, env)
        if isinstance(node, MatrixElement):
            parent = self.matrix(node.parent, bound)
            rows, cols = (self.index_array(a, bound, env, what) for a, what in ((node.i, "row"), (node.j, "column")))
            _check_range(rows, parent.shape[0], f"row of {node.parent}", 0)
            _check_range(cols, parent.shape[1], f"column of {node.parent}", 0)
            return parent[rows, cols]
        if isinstance(node, (sp.Derivative, sp.Subs)):
            raise EvalError("the expression still contains a derivative: give the derivative worked out")
        raise EvalError(f"cannot evaluate {type(node).__name__}")

    def symbol(self, node: sp.Symbol, env: dict) -> Any:
        name = node.name
        if name in self.scalars:
            return self.scalars[name]
        if name in env:
            axis, values = env[name]
            return _on_axis(values, axis)
        if node.is_integer:
            raise EvalError(f"free index '{name}': only i (the example) and j (the component θ_j) may be free")
        raise EvalError(f"unknown symbol '{name}'")

    def sum(self, node: sp.Sum, bound: dict, env: dict) -> Any:
        inner, axes, elements = dict(bound), [], 1
        for var, lo, hi in node.limits:
            low, high = self.scalar(lo, bound, env), self.scalar(hi, bound, env)
            if np.ndim(low) or np.ndim(high):
                raise EvalError(f"the limits of the sum over {var} depend on another index")
            low, high = _integer(low, f"lower limit of {var}"), _integer(high, f"upper limit of {var}")
            free = [a for a in range(2, NDIM) if a not in self.busy and a not in axes]
            if not free:
                raise EvalError(f"sums nested too deeply (limit {NDIM - 2})")
            elements *= max(high - low + 1, 0)
            if elements > MAX_ELEMENTS:
                raise EvalError("the sums run over too many terms to evaluate")
            axes.append(free[0])
            inner[var] = _on_axis(np.arange(low, high + 1), free[0])
        self.busy.update(axes)
        try:
            body = np.asarray(self.scalar(node.function, inner, env))
        finally:
            self.busy.difference_update(axes)
        body = body.reshape(body.shape + (1,) * (NDIM - body.ndim))
        target = np.broadcast_shapes(body.shape, *(inner[var].shape for var, *_ in node.limits))
        return np.broadcast_to(body, target).sum(axis=tuple(axes), keepdims=True)

    def indexed(self, node: sp.Indexed, bound: dict, env: dict) -> Any:
        name = str(node.base.label)
        indices = node.indices
        if name in ("x", "X"):
            if len(indices) != 2:
                raise EvalError("x needs an example and a feature index: x[i, k] (LaTeX x_k^{(i)})")
            rows = self.index_array(indices[0], bound, env, "example index of x") - self.row_offset
            cols = self.index_array(indices[1], bound, env, "feature index of x")
            _check_range(rows, self.data.m, "example index of x", self.row_offset)
            _check_range(cols, self.data.p, "feature index of x", 0)
            return self.matrices["X"][rows, cols]
        if name in ("y", "theta") and len(indices) == 1:
            vector = self.matrices[name][:, 0]
            offset = self.row_offset if name == "y" else 0
            what = "example index of y" if name == "y" else "index of θ"
            idx = self.index_array(indices[0], bound, env, what) - offset
            _check_range(idx, vector.shape[0], what, offset)
            return vector[idx]
        raise EvalError(f"unknown symbol '{name}' (in {node})")

    def index_array(self, expr: sp.Expr, bound: dict, env: dict, what: str) -> Any:
        return _integer(self.scalar(expr, bound, env), what)


def _on_axis(values: np.ndarray, axis: int) -> np.ndarray:
    shape = [1] * NDIM
    shape[axis] = len(values)
    return np.asarray(values).reshape(shape)


def _as_inexact(value: Any) -> Any:
    array = np.asarray(value)
    return array.astype(float) if array.dtype.kind in "biu" else value


def _integer(value: Any, what: str) -> Any:
    array = np.asarray(value)
    if array.dtype.kind in "iu":
        return array if array.ndim else int(array)
    if array.dtype.kind == "c" or not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
        raise EvalError(f"the {what} is not a whole number")
    rounded = np.round(array).astype(np.int64)
    return rounded if rounded.ndim else int(rounded)


def _check_range(index: Any, size: int, what: str, offset: int) -> None:
    array = np.asarray(index)
    if array.size and (array.min() < 0 or array.max() >= size):
        bad = int(array.min()) if array.min() < 0 else int(array.max())
        first, last = offset, size - 1 + offset
        raise EvalError(f"{what} out of range: {bad + offset} (it runs {first}..{last} here)")


def cost_gradient(cost: sp.MatrixExpr, data: Dataset, wrt: str) -> np.ndarray:
    """∂cost/∂wrt (``wrt`` = "theta", "X" or "y") by the complex step, in the shape of that matrix.

    >>> from derivation.core.models import get_model
    >>> model = get_model("logistic")
    >>> d = make_datasets(model)[1]
    >>> g = cost_gradient(model.matrix_cost, d, "theta")
    >>> bool(np.allclose(g, Evaluator(d).value(model.matrix_gradient), rtol=1e-12))
    True
    """
    base = Evaluator(data).matrices[wrt]
    out = np.empty(base.shape)
    for position in np.ndindex(base.shape):
        shifted = base.astype(complex)
        shifted[position] += _STEP * 1j
        with np.errstate(all="ignore"):
            value = np.asarray(Evaluator(data, overrides={wrt: shifted}).matrix(cost, {}))
        out[position] = value.reshape(-1)[0].imag / _STEP
    return out


__all__ = ["SIZES", "Dataset", "EvalError", "Evaluator", "cost_gradient", "make_datasets", "stable_sigmoid"]
