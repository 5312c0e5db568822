"""How the evaluator computes: one table of functions, three kinds of numbers.

The evaluator (:mod:`.evaluator`) walks a tree and leaves the arithmetic to one of

* :data:`NUMPY` – plain NumPy arrays whose dtype follows the data (user gradients;
  complex for the complex step);
* :class:`BoundedNumbers` – float64 with a bound on the rounding error
  (:mod:`.bounded`): the step checker's fast path, trusted only where the bound
  is small, the values real and finite, and no branch too close to call;
* :class:`ExactNumbers` – mpmath at :data:`~.policy.DIGITS` digits in object
  arrays: the exact path, where the fast one is not conclusive.

Every function has one row in :data:`FUNCTIONS` (NumPy, mpmath, error bound), and
functions of the registry bring their own NumPy and mpmath forms, so a construct
one path evaluates, the others evaluate too.  A SymPy function without a row is
evaluated by the exact path only (SymPy's ``evalf``, as the checker always did).
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from ..core import functions as registry
from . import bounded
from .bounded import LIBRARY, Bounded
from .policy import DIGITS


class EvalError(ValueError):
    """The tree cannot be evaluated: an unknown symbol, an index out of range, a derivative left in it."""


# --- the table -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One function: its NumPy form, its mpmath form, and how an error ``e`` in its argument grows.

    ``bound(value, argument, e)`` bounds |f(true argument) − f(argument)| (first order);
    ``jump`` marks a function that jumps at 0 (sign, Heaviside): near 0 the fast path defers.
    """

    numpy: Any
    mpmath: Any
    bound: Any = None
    jump: bool = False


def _heaviside(x):
    return mpmath.mpf(1) if x > 0 else (mpmath.mpf(0) if x < 0 else mpmath.mpf(1) / 2)


def _log_bound(v, a, e):
    room = np.abs(a) - e
    return np.where(room > 0, np.log1p(e / np.where(room > 0, room, 1.0)), np.inf)


def _gamma(x):
    """Γ for NumPy arrays, complex too (the complex step): scipy.special.gamma."""
    from scipy.special import gamma

    return gamma(x)


def _log_gamma(x):
    """log Γ without overflow: scipy.special.gammaln (log |Γ|) on real arrays, loggamma on complex ones."""
    from scipy.special import gammaln, loggamma

    return loggamma(x) if np.iscomplexobj(x) else gammaln(x)


def _log_gamma_bound(v, a, e):
    """|log Γ(a + δ) − log Γ(a)| for |δ| ≤ e: e·max |ψ| on [a − e, a + e] (ψ increases there), ∞ near a pole."""
    from scipy.special import digamma

    low = np.where(a - e > 0, a - e, 1.0)
    slope = np.maximum(np.abs(digamma(low)), np.abs(digamma(low + 2 * e)))
    return np.where(a - e > 0, e * slope, np.inf)


def _gamma_bound(v, a, e):
    return np.abs(v) * np.expm1(_log_gamma_bound(v, a, e))


def _factorial(x):
    """x! = Γ(x + 1), as SymPy reads the Poisson likelihood's log y!."""
    return _gamma(np.asarray(x) + 1)


FUNCTIONS: dict[type, Row] = {
    sp.exp: Row(np.exp, mpmath.exp, lambda v, a, e: np.abs(v) * np.expm1(e)),
    sp.log: Row(np.log, mpmath.log, _log_bound),
    sp.Abs: Row(np.abs, abs, lambda v, a, e: e),
    sp.sign: Row(np.sign, mpmath.sign, jump=True),
    sp.Heaviside: Row(lambda x: np.heaviside(x, 0.5), _heaviside, jump=True),
    sp.sin: Row(np.sin, mpmath.sin, lambda v, a, e: e),
    sp.cos: Row(np.cos, mpmath.cos, lambda v, a, e: e),
    sp.tan: Row(np.tan, mpmath.tan, lambda v, a, e: 2 * (1 + v * v) * e),
    sp.sinh: Row(np.sinh, mpmath.sinh, lambda v, a, e: (np.abs(v) + 1) * e * np.exp(e)),
    sp.cosh: Row(np.cosh, mpmath.cosh, lambda v, a, e: np.abs(v) * e * np.exp(e)),
    sp.atan: Row(np.arctan, mpmath.atan, lambda v, a, e: e),
    # log y! of the Poisson likelihood (y! = Γ(y + 1))
    sp.gamma: Row(_gamma, mpmath.gamma, _gamma_bound),
    sp.loggamma: Row(_log_gamma, mpmath.loggamma, _log_gamma_bound),
    sp.factorial: Row(_factorial, mpmath.factorial, lambda v, a, e: _gamma_bound(v, a + 1, e)),
}


def row(function: type) -> Row | None:
    """The row of a SymPy function class: the registry's forms first, else :data:`FUNCTIONS`.

    A registry entry's error bound is its ``slope_bound`` (sup |f′|); without one the
    fast path has no bound and the exact path decides.  An entry that jumps (the step
    1[z > 0]) is a jump row: exact away from 0, deferred near it.
    """
    entry = registry.entry_of(function)
    if entry is not None:
        slope = entry.slope_bound
        bound = None if slope is None else (lambda v, a, e, c=slope: c * e)
        return Row(entry.numpy_eval, entry.mpmath_eval, bound, jump=entry.jump)
    return FUNCTIONS.get(function)


_COMPARE = {
    sp.StrictLessThan: operator.lt,
    sp.LessThan: operator.le,
    sp.StrictGreaterThan: operator.gt,
    sp.GreaterThan: operator.ge,
    sp.Eq: operator.eq,
    sp.Ne: operator.ne,
}


# --- the kinds of numbers -----------------------------------------------------------------------------


class NumpyNumbers:
    """Plain NumPy: float64, or complex where the data are (the complex step)."""

    name = "numpy"

    def leaf(self, values: np.ndarray) -> Any:
        return values

    def constant(self, node: sp.Basic) -> Any:
        if node.is_Integer:
            return int(node)
        if node in (sp.zoo, sp.oo, -sp.oo, sp.nan):
            return math.nan
        value = complex(node)
        return value.real if value.imag == 0 else value

    def inexact(self, value: Any) -> Any:
        array = np.asarray(value)
        return array.astype(float) if array.dtype.kind in "biu" else value

    def function(self, node: sp.Function, argument: Any) -> Any:
        found = row(node.func)
        if found is None:
            raise EvalError(f"cannot evaluate {type(node).__name__}")
        return found.numpy(self.inexact(argument))

    def compare(self, relation: type, a: Any, b: Any) -> np.ndarray:
        a, b = np.asarray(a), np.asarray(b)
        if np.iscomplexobj(a) or np.iscomplexobj(b):
            if np.any(np.imag(a) != 0) or np.any(np.imag(b) != 0):
                raise EvalError("a comparison of complex numbers")
            a, b = a.real, b.real
        return _COMPARE[relation](a, b)

    def where(self, condition: np.ndarray, a: Any, b: Any) -> Any:
        return np.where(condition, a, b)

    def real(self, value: Any) -> Any:
        return value

    def inverse(self, matrices: Any) -> Any:
        """The inverse of each square matrix (points, r, r); a singular one is an error, not a value."""
        try:
            return np.linalg.inv(self.inexact(matrices))
        except np.linalg.LinAlgError:
            raise EvalError("a singular matrix is inverted") from None


NUMPY = NumpyNumbers()


class BoundedNumbers(NumpyNumbers):
    """Float64 with error bounds (:mod:`.bounded`); complex values are left to the exact path.

    ``doubt`` collects, per sample point, where a comparison or a jump was too
    close to call in float64.
    """

    name = "bounded"

    def __init__(self, points: int):
        self.doubt = np.zeros(points, dtype=bool)

    def leaf(self, values: np.ndarray) -> Bounded:
        return Bounded(values)

    def constant(self, node: sp.Basic) -> Any:
        if node.is_Integer and abs(int(node)) < 2**53:
            return int(node)
        if node.is_number and node.is_extended_real is False:
            raise EvalError("complex numbers: the exact path decides")
        value = NUMPY.constant(node)
        exact = node.is_Rational and math.isfinite(value) and sp.Rational(value) == node
        return value if exact else Bounded(value, abs(value) * LIBRARY)

    def inexact(self, value: Any) -> Any:
        return value if isinstance(value, Bounded) else Bounded(np.asarray(value, dtype=float))

    def function(self, node: sp.Function, argument: Any) -> Bounded:
        found = row(node.func)
        if found is None:
            raise EvalError(f"cannot evaluate {type(node).__name__}")
        a = bounded.lift(argument)
        value = np.asarray(found.numpy(a.v), dtype=float)
        if found.jump:
            self._doubt((np.abs(a.v) <= a.e) & (a.e > 0))
            return Bounded(value)
        if found.bound is None:
            return Bounded(value, np.inf)
        return Bounded(value, found.bound(value, a.v, a.e) + LIBRARY * np.abs(value))

    def compare(self, relation: type, a: Any, b: Any) -> np.ndarray:
        a, b = bounded.lift(a), bounded.lift(b)
        slack = a.e + b.e
        self._doubt((np.abs(a.v - b.v) <= slack) & (slack > 0))
        return _COMPARE[relation](a.v, b.v)

    def where(self, condition: np.ndarray, a: Any, b: Any) -> Bounded:
        return bounded.where(condition, a, b)

    def inverse(self, matrices: Any) -> Bounded:
        raise EvalError("a matrix inverse has no error bound here: the exact path decides")

    def _doubt(self, close: np.ndarray) -> None:
        close = np.asarray(close)
        if close.ndim == 0 or not close.any():
            if close.ndim == 0 and close:
                self.doubt[:] = True
            return
        per_point = close.reshape(close.shape[0], -1).any(axis=1)
        self.doubt |= np.broadcast_to(per_point, self.doubt.shape)


class ExactNumbers(NumpyNumbers):
    """mpmath numbers in object arrays, at :data:`~.policy.DIGITS` digits (callers hold ``mpmath.workdps``)."""

    name = "exact"

    def leaf(self, values: np.ndarray) -> np.ndarray:
        return _each(mpmath.mpf)(values)

    def constant(self, node: sp.Basic) -> Any:
        if node.is_Integer:
            return int(node)
        if node in (sp.zoo, sp.oo, -sp.oo, sp.nan):
            return mpmath.nan
        return mpmath.mpmathify(node.evalf(DIGITS + 5))

    def inexact(self, value: Any) -> Any:
        if isinstance(value, (int, np.integer)):
            return mpmath.mpf(int(value))
        array = np.asarray(value)
        return _each(mpmath.mpf)(array) if array.dtype.kind in "biuf" else value

    def function(self, node: sp.Function, argument: Any) -> Any:
        found = row(node.func)
        apply = found.mpmath if found is not None else _by_evalf(node.func)
        return _each(apply)(self.inexact(argument))

    def compare(self, relation: type, a: Any, b: Any) -> np.ndarray:
        try:
            return np.asarray(_each2(_COMPARE[relation])(a, b), dtype=bool)
        except TypeError as error:  # mpc has no order
            raise EvalError(f"a comparison of complex numbers ({error})") from None

    def where(self, condition: np.ndarray, a: Any, b: Any) -> Any:
        return np.where(condition, np.asarray(a, dtype=object), np.asarray(b, dtype=object))

    def inverse(self, matrices: Any) -> Any:
        array = np.asarray(self.inexact(matrices), dtype=object)
        out = np.empty_like(array)
        for point in np.ndindex(array.shape[:-2]):
            try:
                out[point] = np.array(mpmath.inverse(mpmath.matrix(array[point].tolist())).tolist(), dtype=object)
            except ZeroDivisionError:
                raise EvalError("a singular matrix is inverted") from None
        return out


EXACT = ExactNumbers()


def _each(f):
    return np.frompyfunc(f, 1, 1)


def _each2(f):
    return np.frompyfunc(f, 2, 1)


def _by_evalf(function: type):
    """A SymPy function without a row, at one mpmath number: SymPy's ``evalf`` (the exact path only)."""

    def apply(x):
        z = mpmath.mpmathify(x)  # a number we computed, never text: built as a SymPy number directly
        value = function(sp.Float(mpmath.re(z), DIGITS) + sp.I * sp.Float(mpmath.im(z), DIGITS)).evalf(DIGITS)
        if not value.is_number:
            raise EvalError(f"cannot evaluate {function.__name__}")
        return mpmath.mpmathify(value)

    return apply


def finite(value: Any) -> np.ndarray:
    """Where a value of any kind is a finite number (Bounded: its bound too)."""
    if isinstance(value, Bounded):
        return np.isfinite(value.v) & np.isfinite(value.e)
    array = np.asarray(value)
    if array.dtype == object:
        return np.asarray(_each(lambda v: bool(mpmath.isfinite(v)))(array), dtype=bool)
    return np.isfinite(array)


__all__ = [
    "EXACT",
    "FUNCTIONS",
    "NUMPY",
    "BoundedNumbers",
    "EvalError",
    "ExactNumbers",
    "NumpyNumbers",
    "Row",
    "finite",
]
