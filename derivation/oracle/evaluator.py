"""The one evaluator of expressions and matrix expressions on concrete data.

The step checker (:mod:`.sampling`), the derivation verifier's diagnoses
(:mod:`derivation.proof.diagnose`) and the gradient checker
(:mod:`derivation.oracle.datasets`) all walk trees with :class:`Evaluator`; they
differ only in where the leaves' values come from (:class:`Leaves`) and in how
numbers are computed (:mod:`.numbers`: plain NumPy, float64 with error bounds, or
mpmath at 30 digits).  Nothing is generated or compiled: each node is computed
once per evaluation (shared subtrees once), at every sample point at once.

Layout.  A scalar value is an array of :data:`NDIM` axes: axis 0 the sample
points, axis 1 a free example index and axis 2 a free feature index (a user's
gradient gives them as rows and columns), axes 3.. the sums being evaluated: a Σ
puts its index on an axis of its own and adds along it.  A matrix value is an
array (points, rows, columns).  Plain numbers stand for themselves.

>>> import numpy as np
>>> from derivation.core.notation import z
>>> class Z:
...     points = 3
...     def symbol(self, node):
...         return on_axis(np.array([0.0, 1.0, 2.0]), POINT)
>>> Evaluator(Z()).at_points(sp.exp(z) * sp.Abs(z - 1)).round(4).tolist()
[1.0, 0.0, 7.3891]
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Protocol

import mpmath
import numpy as np
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagMatrix
from sympy.matrices.expressions.hadamard import HadamardPower, HadamardProduct
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.functions import Abbreviation
from ..core.functions.softmax import LogSumExp, Softmax
from .bounded import Bounded
from .numbers import NUMPY, BoundedNumbers, EvalError, ExactNumbers, NumpyNumbers

NDIM = 9
POINT, EXAMPLE, FEATURE, FIRST_SUM = 0, 1, 2, 3
MAX_ELEMENTS = 2_000_000  # the product of all summation ranges, bounded before anything is allocated


class Leaves(Protocol):
    """Where values come from.  Arrays of whole numbers are indices and sizes (exact); other arrays are values."""

    points: int

    def symbol(self, node: sp.Symbol) -> Any:
        """A scalar leaf or index, in the scalar layout (or a plain number)."""

    def indexed(self, node: sp.Indexed, indices: list[Any]) -> Any:
        """The leaf ``node`` with its indices evaluated (whole-number arrays, broadcast against each other)."""

    def matrix(self, node: sp.MatrixSymbol) -> np.ndarray:
        """A matrix leaf as (points, rows, columns)."""


def on_axis(values: Any, axis: int) -> np.ndarray:
    """``values`` (1-D) laid along ``axis`` of the scalar layout."""
    shape = [1] * NDIM
    values = np.asarray(values)
    shape[axis] = values.shape[0]
    return values.reshape(shape)


class Evaluator:
    """Values of trees on the data ``leaves`` gives, computed by ``numbers``."""

    def __init__(self, leaves: Leaves, numbers: NumpyNumbers = NUMPY):
        self.leaves = leaves
        self.numbers = numbers
        self.busy: set[int] = set()  # axes taken by the sums being evaluated
        self.memo: dict[sp.Basic, Any] = {}

    # --- entry points ----------------------------------------------------------------------------
    def at_points(self, expr: sp.Expr) -> Any:
        """A scalar expression with no free index left: one value per sample point, as a 1-D array."""
        value = self.scalar(expr)
        full = _broadcast(_as_array(value), (self.leaves.points,) + (1,) * (NDIM - 1))
        if full.shape[1:] != (1,) * (NDIM - 1):
            raise EvalError("an index is left over")
        return full.reshape(self.leaves.points)

    def scalar(self, expr: sp.Basic, bound: dict | None = None) -> Any:
        """``expr`` in the scalar layout; ``bound`` maps symbols (sum indices, λ-variables) to values."""
        bound = bound or {}
        if expr in bound:
            return bound[expr]
        if not bound and expr in self.memo:
            return self.memo[expr]
        value = _handler(_SCALAR, type(expr), "an expression")(self, expr, bound)
        if not bound:
            self.memo[expr] = value
        return value

    def matrix(self, expr: sp.Basic, bound: dict | None = None) -> Any:
        """A matrix expression as (points, rows, columns)."""
        bound = bound or {}
        if not bound and expr in self.memo:
            return self.memo[expr]
        value = _handler(_MATRIX, type(expr), "a matrix expression")(self, expr, bound)
        if not bound:
            self.memo[expr] = value
        return value

    def dimension(self, expr: sp.Expr) -> int:
        return _integer(self.scalar(expr), "size")

    def index(self, expr: sp.Expr, bound: dict, what: Any) -> Any:
        """Whole numbers; ``what`` names them in an error (a string, or a function that makes one)."""
        return _integer(self.scalar(expr, bound), what)

    def wrap(self, raw: Any) -> Any:
        """A leaf's raw data as numbers of this evaluation (whole numbers stay exact integers)."""
        if isinstance(raw, (int, np.integer)) or (isinstance(raw, np.ndarray) and raw.dtype.kind in "iu"):
            return raw
        return self.numbers.leaf(np.asarray(raw))

    # --- scalars ---------------------------------------------------------------------------------------
    def _number(self, node, bound):
        return self.numbers.constant(node)

    def _symbol(self, node, bound):
        return self.wrap(self.leaves.symbol(node))

    def _add(self, node, bound):
        values = [self.scalar(a, bound) for a in node.args]
        return sum(values[1:], values[0])

    def _mul(self, node, bound):
        out = self.scalar(node.args[0], bound)
        for arg in node.args[1:]:
            out = out * self.scalar(arg, bound)
        return out

    def _pow(self, node, bound):
        base, exponent = self.scalar(node.base, bound), self.scalar(node.exp, bound)
        return self.numbers.inexact(base) ** exponent

    def _function(self, node, bound):
        if len(node.args) != 1:
            raise EvalError(f"cannot evaluate {type(node).__name__}")
        return self.numbers.function(node, self.scalar(node.args[0], bound))

    def _heaviside(self, node, bound):
        """H(x), with the value at 0 SymPy carries as its second argument (½ unless stated)."""
        x = self.scalar(node.args[0], bound)
        step = self.numbers.function(sp.Heaviside(sp.Dummy()), x)  # the table's row: ½ at 0
        if len(node.args) == 1 or node.args[1] == sp.S.Half:
            return step
        at_zero = self.scalar(node.args[1], bound)
        return self.numbers.where(self.numbers.compare(sp.Eq, x, 0), at_zero, step)

    def _abbreviation(self, node, bound):
        return self.scalar(_definition(node), bound)

    def _delta(self, node, bound):
        a, b = (self.scalar(arg, bound) for arg in node.args)
        return np.asarray(self.numbers.compare(sp.Eq, a, b)).astype(int)

    def _relation(self, node, bound):
        return self.numbers.compare(type(node), self.scalar(node.lhs, bound), self.scalar(node.rhs, bound))

    def _logic(self, node, bound):
        parts = [np.asarray(self.scalar(a, bound), dtype=bool) for a in node.args]
        if isinstance(node, sp.Not):
            return ~parts[0]
        combine = np.logical_and if isinstance(node, sp.And) else np.logical_or
        out = parts[0]
        for part in parts[1:]:
            out = combine(out, part)
        return out

    def _truth(self, node, bound):
        return np.bool_(bool(node))

    def _piecewise(self, node, bound):
        out = self.numbers.constant(sp.nan)  # no condition holds: undefined
        for value, condition in reversed(node.args):
            cond = np.asarray(self.scalar(condition, bound), dtype=bool)
            out = self.numbers.where(cond, self.scalar(value, bound), out)
        return out

    def _extremum(self, node, bound):
        relation = sp.GreaterThan if isinstance(node, sp.Max) else sp.LessThan
        out = self.scalar(node.args[0], bound)
        for arg in node.args[1:]:
            other = self.scalar(arg, bound)
            out = self.numbers.where(self.numbers.compare(relation, out, other), out, other)
        return out

    def _derivative(self, node, bound):
        """f′(a) of a smooth function the evaluator knows (σ′(θᵀx), tanh′(z)), by its numeric form (:func:`slope`)."""
        applied = _applied_derivative(node)
        if applied is None or isinstance(self.numbers, BoundedNumbers):  # no error bound for it: the exact path
            raise EvalError("the expression still contains a derivative: give the derivative worked out")
        function, argument = applied
        at = self.numbers.inexact(self.scalar(argument, bound))
        return slope(self.numbers, function, at)

    def _sum(self, node: sp.Sum, bound):
        inner, axes, elements = dict(bound), [], 1
        for var, lo, hi in node.limits:
            low, high = self.scalar(lo, bound), self.scalar(hi, bound)
            if np.ndim(low) or np.ndim(high):
                raise EvalError(f"the limits of the sum over {var} depend on another index")
            low, high = _integer(low, f"lower limit of {var}"), _integer(high, f"upper limit of {var}")
            free = [a for a in range(FIRST_SUM, NDIM) if a not in self.busy and a not in axes]
            if not free:
                raise EvalError(f"sums nested too deeply (limit {NDIM - FIRST_SUM})")
            elements *= max(high - low + 1, 0)
            if elements > MAX_ELEMENTS:
                raise EvalError(f"the sums run over too many terms to evaluate (limit {MAX_ELEMENTS} terms in all)")
            axes.append(free[0])
            inner[var] = on_axis(np.arange(low, high + 1), free[0])
        self.busy.update(axes)
        try:
            body = _as_array(self.scalar(node.function, inner))
        finally:
            self.busy.difference_update(axes)
        target = np.broadcast_shapes(*(np.shape(inner[var]) for var, *_ in node.limits))
        return _broadcast(_full(body), target).sum(axis=tuple(axes), keepdims=True)

    def _indexed(self, node: sp.Indexed, bound):
        indices = [self.index(a, bound, lambda: f"index of {node.base}") for a in node.indices]
        return self.wrap(self.leaves.indexed(node, indices))

    def _element(self, node: MatrixElement, bound):
        parent = self.matrix(node.parent, bound)
        rows = self.index(node.i, bound, lambda: f"row of {node.parent}")
        cols = self.index(node.j, bound, lambda: f"column of {node.parent}")
        check_range(rows, parent.shape[1], lambda: f"row of {node.parent}", 0)
        check_range(cols, parent.shape[2], lambda: f"column of {node.parent}", 0)
        points = on_axis(np.arange(parent.shape[0]), POINT) if parent.shape[0] > 1 else 0
        return parent[points, rows, cols]

    # --- matrices -----------------------------------------------------------------------------------------
    def _matrix_symbol(self, node, bound):
        return self.wrap(self.leaves.matrix(node))

    def _matadd(self, node, bound):
        values = [self.matrix(a, bound) for a in node.args]
        return sum(values[1:], values[0])

    def _matmul(self, node, bound):
        coeff, result = None, None
        for arg in node.args:
            if isinstance(arg, sp.MatrixExpr):
                value = self.matrix(arg, bound)
                result = value if result is None else result @ value
            else:
                factor = self._collapse(self.scalar(arg, bound))
                coeff = factor if coeff is None else coeff * factor
        return result if coeff is None else coeff * result

    def _transpose(self, node, bound):
        return self.matrix(node.arg, bound).swapaxes(-1, -2)

    def _inverse(self, node, bound):  # (XᵀX + λI)⁻¹: the normal equations' solution
        return self.numbers.inverse(self.matrix(node.arg, bound))

    def _apply(self, node: ElementwiseApplyFunction, bound):
        inner = self.matrix(node.expr, bound)
        function = node.function
        if isinstance(function, sp.Lambda):
            variable, body = function.variables[0], function.expr
        else:  # a function class such as exp
            variable = sp.Dummy("u")
            body = function(variable)
        points, rows, cols = inner.shape
        spread = inner.reshape((points, rows * cols) + (1,) * (NDIM - 2))
        value = _as_array(self.scalar(body, {**bound, variable: spread}))
        value = _broadcast(value, np.broadcast_shapes(value.shape, spread.shape))
        if value.shape[2:] != (1,) * (NDIM - 2):
            raise EvalError("an element-wise function that depends on an index")
        return value.reshape(value.shape[0], rows, cols)

    def _hadamard(self, node, bound):
        out = self.matrix(node.args[0], bound)
        for arg in node.args[1:]:
            out = out * self.matrix(arg, bound)
        return out

    def _hadamard_power(self, node, bound):
        base = self.numbers.inexact(self.matrix(node.base, bound))
        return base ** self._collapse(self.scalar(node.exp, bound))

    def _diag(self, node, bound):
        vector = self.matrix(node.args[0], bound)
        size = vector.shape[1] * vector.shape[2]
        return vector.reshape(vector.shape[0], size, 1) * np.eye(size, dtype=int)

    def _row_function(self, node, bound):
        """softmax or log-sum-exp of each row, shifted by the row's largest entry: e^{z − t} never overflows."""
        scores = self.matrix(node.scores, bound)
        shift = _row_max(scores)
        powers = self.numbers.function(_EXP, scores - shift)
        total = powers.sum(axis=-1, keepdims=True)
        if isinstance(node, Softmax):
            return powers / total
        return self.numbers.function(_LOG, total) + shift

    def _constant_matrix(self, node, bound):
        rows, cols = (self.dimension(d) for d in node.shape)
        if isinstance(node, sp.Identity):
            return np.eye(rows, dtype=int).reshape(1, rows, cols)
        return np.full((1, rows, cols), 1 if isinstance(node, sp.OneMatrix) else 0)

    def _function_matrix(self, node: sp.FunctionMatrix, bound):
        """A matrix given entry by entry, e.g. ∂J/∂W_jc in sum form for every (j, c): (points, rows, columns)."""
        rows, cols = (self.dimension(d) for d in node.shape)
        (row, col), body = node.lamda.variables, node.lamda.expr
        entries = [
            [np.asarray(self._collapse(self.scalar(body, {**bound, row: a, col: b}))) for b in range(cols)]
            for a in range(rows)
        ]
        points = max(e.shape[0] if e.ndim else 1 for line in entries for e in line)
        cells = [[np.broadcast_to(e.reshape(-1, 1, 1), (points, 1, 1)) for e in line] for line in entries]
        return np.concatenate([np.concatenate(line, axis=2) for line in cells], axis=1)

    def _collapse(self, value: Any) -> Any:
        """A scalar that multiplies a matrix: (points, 1, 1), or a plain number."""
        if np.ndim(value) == 0:
            return value
        if value.shape[1:] != (1,) * (NDIM - 1):
            raise EvalError("a factor of a matrix depends on an index")
        return value.reshape(value.shape[0], 1, 1)


_SCALAR = {
    sp.Number: Evaluator._number,
    sp.NumberSymbol: Evaluator._number,
    sp.core.numbers.ImaginaryUnit: Evaluator._number,
    sp.core.numbers.ComplexInfinity: Evaluator._number,
    sp.Symbol: Evaluator._symbol,
    sp.Add: Evaluator._add,
    sp.Mul: Evaluator._mul,
    sp.Pow: Evaluator._pow,
    sp.Function: Evaluator._function,
    sp.Heaviside: Evaluator._heaviside,
    Abbreviation: Evaluator._abbreviation,
    sp.KroneckerDelta: Evaluator._delta,
    sp.Piecewise: Evaluator._piecewise,
    sp.Max: Evaluator._extremum,
    sp.Min: Evaluator._extremum,
    sp.core.relational.Relational: Evaluator._relation,
    sp.And: Evaluator._logic,
    sp.Or: Evaluator._logic,
    sp.Not: Evaluator._logic,
    sp.logic.boolalg.BooleanAtom: Evaluator._truth,
    sp.Derivative: Evaluator._derivative,
    sp.Subs: Evaluator._derivative,
    sp.Sum: Evaluator._sum,
    sp.Indexed: Evaluator._indexed,
    MatrixElement: Evaluator._element,
}
_MATRIX = {
    sp.MatrixSymbol: Evaluator._matrix_symbol,
    sp.MatAdd: Evaluator._matadd,
    sp.MatMul: Evaluator._matmul,
    sp.Transpose: Evaluator._transpose,
    sp.Inverse: Evaluator._inverse,
    ElementwiseApplyFunction: Evaluator._apply,
    HadamardProduct: Evaluator._hadamard,
    HadamardPower: Evaluator._hadamard_power,
    DiagMatrix: Evaluator._diag,
    Softmax: Evaluator._row_function,
    LogSumExp: Evaluator._row_function,
    sp.OneMatrix: Evaluator._constant_matrix,
    sp.ZeroMatrix: Evaluator._constant_matrix,
    sp.Identity: Evaluator._constant_matrix,
    sp.FunctionMatrix: Evaluator._function_matrix,
}
_RESOLVED: dict[tuple[int, type], Any] = {}
_EXP, _LOG = sp.exp(sp.Dummy("u")), sp.log(sp.Dummy("u"))  # the table's rows of exp and log, by an application


@lru_cache(maxsize=4096)
def _definition(node: Abbreviation) -> sp.Expr:
    """``node.definition()``, memoised on the node: its class (the body, not only the name: two documents' h(i) are
    unequal keys) and its arguments are all it depends on.  A sum's body is evaluated once per sum, its h(i) rebuilt
    by ``xreplace`` each time otherwise."""
    return node.definition()


def _applied_derivative(node: sp.Basic) -> tuple[type, sp.Basic] | None:
    """(f, a) for f′(a) written as Subs(Derivative(f(t), t), t, a) (σ′(θᵀx)) or Derivative(f(z), z) (σ′(z)): a first
    derivative of a one-argument function at a point; None for any other derivative (of an expression, a second one).
    """
    point = None
    if isinstance(node, sp.Subs):
        if len(node.variables) != 1 or not isinstance(node.expr, sp.Derivative):
            return None
        point, node = node.point[0], node.expr
    inner, variables = node.expr, node.variables
    if len(variables) != 1 or not isinstance(inner, sp.Function) or inner.args != (variables[0],):
        return None
    return type(inner), variables[0] if point is None else point


# f′ by the complex step: Im f(a + ih)/h has no cancellation, so h can be tiny and the truncation h²·f‴/6 vanishes
# (float64: h = 1e-20; mpmath: h = 10^−dps, far below the exact path's 1e-35).  A central difference confirms it:
# a function that is not analytic (|u|, sign, ReLU's kink) gives another number there, and is refused.
_STEP = 1e-20
_CENTRAL = 1e-5  # float64 central difference: error ~1e-10 relative (h² truncation, 1e-16/h rounding)
_AGREE = 1e-6  # the complex step and the central difference agree to this (relative), else no derivative is given


def slope(numbers: NumpyNumbers, function: type, at: Any) -> Any:
    """f′(``at``) from f's own numeric form (the registry's NumPy or mpmath evaluation), never from a rule's f′.

    >>> from derivation.core.functions import sigmoid
    >>> s = 1 / (1 + np.exp(-0.3))
    >>> bool(abs(slope(NUMPY, sigmoid, np.array([0.3]))[0] - s * (1 - s)) < 1e-16)
    True
    """
    f = function(sp.Dummy("t"))
    value = numbers.function
    if isinstance(numbers, ExactNumbers):
        tiny = mpmath.mpf(10) ** (-mpmath.mp.dps)
        wide = mpmath.mpf(10) ** (-(mpmath.mp.dps // 3))
        stepped = np.frompyfunc(lambda a: mpmath.mpc(a, tiny), 1, 1)(at)
        fine = np.frompyfunc(lambda v: mpmath.im(v) / tiny, 1, 1)(value(f, stepped))
        rough = (value(f, at + wide) - value(f, at - wide)) / (2 * wide)
        base = np.abs(value(f, at)) + np.abs(fine)
        agree = np.asarray(np.abs(fine - rough) <= base * mpmath.mpf(10) ** (-(mpmath.mp.dps // 4)), dtype=bool)
    else:
        at = np.asarray(at)
        h = _CENTRAL * np.maximum(1.0, np.abs(at))
        rough = (value(f, at + h) - value(f, at - h)) / (2 * h)
        if np.iscomplexobj(at):  # already a complex step (of θ): the difference formula, analytic in its argument
            fine = (8 * (value(f, at + h) - value(f, at - h)) - (value(f, at + 2 * h) - value(f, at - 2 * h))) / (
                12 * h
            )
        else:
            fine = np.imag(value(f, at + 1j * _STEP)) / _STEP
        base = np.abs(value(f, at)) + np.abs(fine)
        agree = np.abs(fine - rough) <= _AGREE * base + 1e-300
    if not np.all(agree | ~np.isfinite(np.asarray(base, dtype=complex))):
        raise EvalError(f"{function.__name__}′ is not the derivative of a smooth function here: write it worked out")
    return fine


def _row_max(value: Any) -> Any:
    """The largest real part in each row (last axis), as exact numbers: a shift that changes no result."""
    if isinstance(value, Bounded):
        value = value.v
    array = np.asarray(value)
    if array.dtype == object:  # mpmath numbers: their real parts, compared exactly
        array = np.frompyfunc(lambda v: v.real if hasattr(v, "real") else v, 1, 1)(array)
        return np.max(array, axis=-1, keepdims=True)
    return np.max(np.real(array), axis=-1, keepdims=True)


def _handler(table: dict, cls: type, what: str):
    """The handler of the most specific class of ``cls`` in ``table`` (resolved once per class)."""
    key = (id(table), cls)
    if key not in _RESOLVED:
        _RESOLVED[key] = next((table[c] for c in cls.__mro__ if c in table), None)
    found = _RESOLVED[key]
    if found is None:
        raise EvalError(f"cannot evaluate {cls.__name__} in {what}")
    return found


def _as_array(value: Any) -> Any:
    return value if isinstance(value, (np.ndarray, Bounded)) else np.asarray(value)


def _full(value: Any) -> Any:
    """A scalar-layout value with all :data:`NDIM` axes (a plain number gets them all of size 1)."""
    return value if value.ndim == NDIM else value.reshape(value.shape + (1,) * (NDIM - value.ndim))


def _broadcast(value: Any, shape: tuple[int, ...]) -> Any:
    if isinstance(value, Bounded):
        return value.broadcast_to(np.broadcast_shapes(value.shape, shape))
    return np.broadcast_to(value, np.broadcast_shapes(np.shape(value), shape))


def _integer(value: Any, what: Any) -> Any:
    """``value`` as whole numbers (an index, a size), or an EvalError naming ``what``."""
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "iu":
        return value
    what = what() if callable(what) else what
    if isinstance(value, Bounded):
        if np.any(value.e != 0):
            raise EvalError(f"the {what} is not a whole number")
        value = value.v
    array = np.asarray(value)
    if array.dtype == object:
        array = np.asarray(np.vectorize(complex, otypes=[complex])(array))
    if array.dtype.kind in "iu":
        return array if array.ndim else int(array)
    if array.dtype.kind == "c":
        if np.any(array.imag != 0):
            raise EvalError(f"the {what} is not a whole number")
        array = array.real
    if not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
        raise EvalError(f"the {what} is not a whole number")
    rounded = np.round(array).astype(np.int64)
    return rounded if rounded.ndim else int(rounded)


def check_range(index: Any, size: int, what: Any, offset: int) -> None:
    """An EvalError unless every ``index`` is in 0..size−1 (``offset``: where the user's numbering starts)."""
    array = np.asarray(index)
    if array.size and (array.min() < 0 or array.max() >= size):
        what = what() if callable(what) else what
        bad = int(array.min()) if array.min() < 0 else int(array.max())
        first, last = offset, size - 1 + offset
        raise EvalError(f"{what} out of range: {bad + offset} (it runs {first}..{last} here)")


__all__ = [
    "EXAMPLE",
    "FEATURE",
    "FIRST_SUM",
    "MAX_ELEMENTS",
    "NDIM",
    "POINT",
    "Evaluator",
    "EvalError",
    "Leaves",
    "check_range",
    "on_axis",
    "slope",
]
