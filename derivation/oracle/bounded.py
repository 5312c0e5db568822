"""Float64 arrays that carry a bound on their own rounding error (running error analysis, first order).

The fast path of the step checker evaluates both sides in float64 at every
sample point at once.  A float64 "equal" is trusted only where this bound says
the rounding cannot hide a difference larger than the tolerance; everywhere
else (the bound too large, a NaN, a complex value, a branch of a Piecewise too
close to call) the exact path decides with mpmath at 30 digits.  So the two
paths differ in precision and speed, never in the verdict.

Each operation adds the error it inherits (through a bound on its derivative)
to its own rounding (:data:`ROUND` per arithmetic operation, :data:`LIBRARY`
per library function).  Plain numbers and integer arrays mixed in are exact
(constants that are not exact in binary come from
:meth:`~derivation.oracle.numbers.BoundedNumbers.constant` with their rounding).

>>> a = Bounded(np.array([1.0, 2.0]))
>>> b = (a * 3 - 1) / a
>>> b.v.tolist(), bool(np.all(b.e < 1e-14))
([2.0, 2.5], True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

ROUND = 2.0**-52  # one rounding, with a factor 2 of margin
LIBRARY = 2.0**-50  # exp, log, tanh, …: a few units in the last place


class Bounded:
    """``v`` (a float64 array) and ``e`` ≥ 0 (same shape) with |true value − v| ≤ e, to first order."""

    __slots__ = ("e", "v")
    __array_ufunc__ = None  # ndarray ⊕ Bounded defers to Bounded's reflected operators

    def __init__(self, v: Any, e: Any = None):
        self.v = np.asarray(v, dtype=float)
        self.e = np.zeros(self.v.shape) if e is None else np.broadcast_to(np.asarray(e, dtype=float), self.v.shape)

    # --- shape --------------------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.v.shape

    @property
    def ndim(self) -> int:
        return self.v.ndim

    def reshape(self, *shape) -> Bounded:
        return Bounded(self.v.reshape(*shape), np.reshape(self.e, self.v.reshape(*shape).shape))

    def swapaxes(self, a: int, b: int) -> Bounded:
        return Bounded(self.v.swapaxes(a, b), self.e.swapaxes(a, b))

    def broadcast_to(self, shape: tuple[int, ...]) -> Bounded:
        return Bounded(np.broadcast_to(self.v, shape), np.broadcast_to(self.e, shape))

    def __getitem__(self, index) -> Bounded:
        return Bounded(self.v[index], self.e[index])

    def sum(self, axis=None, keepdims: bool = False) -> Bounded:
        total = self.v.sum(axis=axis, keepdims=keepdims)
        terms = self.v.size // max(np.size(total), 1)
        own = ROUND * terms * np.abs(self.v).sum(axis=axis, keepdims=keepdims)
        return Bounded(total, self.e.sum(axis=axis, keepdims=keepdims) + own)

    # --- arithmetic -------------------------------------------------------------------------------
    def __add__(self, other) -> Bounded:
        o = lift(other)
        v = self.v + o.v
        return Bounded(v, self.e + o.e + ROUND * np.abs(v))

    __radd__ = __add__

    def __neg__(self) -> Bounded:
        return Bounded(-self.v, self.e)

    def __sub__(self, other) -> Bounded:
        return self + (-lift(other))

    def __rsub__(self, other) -> Bounded:
        return lift(other) + (-self)

    def __mul__(self, other) -> Bounded:
        o = lift(other)
        v = self.v * o.v
        return Bounded(v, np.abs(self.v) * o.e + np.abs(o.v) * self.e + self.e * o.e + ROUND * np.abs(v))

    __rmul__ = __mul__

    def __truediv__(self, other) -> Bounded:
        o = lift(other)
        v = self.v / o.v
        room = np.abs(o.v) - o.e  # the divisor cannot be 0 within its error: else no bound
        e = np.where(room > 0, (self.e + np.abs(v) * o.e) / np.where(room > 0, room, 1.0), np.inf)
        return Bounded(v, e + ROUND * np.abs(v))

    def __rtruediv__(self, other) -> Bounded:
        return lift(other) / self

    def __pow__(self, other) -> Bounded:
        o = lift(other)
        v = self.v**o.v
        size = np.abs(self.v)
        if not o.e.any() and _whole_nonnegative(o.v):
            # a polynomial power: exact bound, also at 0
            e = (size + self.e) ** o.v - size**o.v
            return Bounded(v, e + ROUND * (1 + np.abs(o.v)) * np.abs(v))
        room = size - self.e
        grow = np.log1p(self.e / np.where(room > 0, room, 1.0))  # |log(true base / base)|
        t = np.abs(o.v) * grow + o.e * (np.abs(np.log(np.where(size > 0, size, 1.0))) + grow)
        e = np.where(room > 0, np.abs(v) * np.expm1(t), np.inf)
        return Bounded(v, e + LIBRARY * np.abs(v))

    def __rpow__(self, other) -> Bounded:
        return lift(other) ** self

    def __matmul__(self, other) -> Bounded:
        o = lift(other)
        v = self.v @ o.v
        inner = self.v.shape[-1]
        size = np.abs(self.v) @ np.abs(o.v)
        e = np.abs(self.v) @ o.e + self.e @ np.abs(o.v) + self.e @ o.e + ROUND * inner * size
        return Bounded(v, e)

    def __rmatmul__(self, other) -> Bounded:
        return lift(other) @ self


def lift(value: Any) -> Bounded:
    """``value`` as a :class:`Bounded`; a plain number or array counts as exact."""
    return value if isinstance(value, Bounded) else Bounded(value)


def _whole_nonnegative(values: np.ndarray) -> bool:
    return bool(np.all((values >= 0) & (values == np.round(values)) & (values <= 64)))


def where(condition: np.ndarray, a: Any, b: Any) -> Bounded:
    """``a`` where ``condition`` holds, else ``b``, each with its own bound."""
    a, b = lift(a), lift(b)
    return Bounded(np.where(condition, a.v, b.v), np.where(condition, a.e, b.e))


def unbounded(value: Any) -> tuple[np.ndarray, np.ndarray]:
    """(values, bound) of a Bounded or of an exact number or array."""
    b = lift(value)
    return b.v, b.e


__all__ = ["LIBRARY", "ROUND", "Bounded", "lift", "unbounded", "where"]
