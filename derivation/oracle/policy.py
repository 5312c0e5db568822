"""The sampling policy of every numeric check: sizes, tolerance, seeds, ranges.

One place for the numbers that decide what "equal at random points" means, so
the step checker, the derivation verifier's diagnoses and the gradient checker
cannot drift apart again:

* **sizes** – steps are checked at m = 3, n = 2 with every sum written out
  (:data:`SIZES`); a user's gradient on five datasets whose m and n vary, so a
  missing 1/m or a transposed result shows (:data:`DATASET_SIZES`);
* **tolerance** – two evaluations of ours agree when
  |a − b| ≤ :data:`TOLERANCE`·(1 + |a| + |b|) (:func:`agree`); numbers computed
  by a user's code are compared to :data:`RECEIVED_RTOL` (another summation order);
* **seeds** – the value of a leaf (θ_0, x_2⁽¹⁾, λ, z) at sample point p depends
  on the seed, p and the leaf's name only (:func:`draw`): not on the order in
  which leaves are met, nor on which other leaves exist, nor on the process
  (no ``hash()``), so the same seed gives the same points and the same report;
* **ranges** – labels y in (0.05, 0.95), λ in (0.5, 2), everything else in
  (−1.5, 1.5) (:func:`leaf_range`), decided by identity with the notation's objects; inside
  :func:`binary_labels` the labels take the model's two values instead (0/1, ±1: :func:`leaf_value`).
"""

from __future__ import annotations

import contextvars
import hashlib
import itertools
import random
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache, wraps
from typing import Any

import mpmath
import sympy as sp

from ..core.notation import K, Y, c, lam, m, n, y

SIZES = {m: 3, n: 2, K: 3}  # a step's sums written out at these sizes; free indices run 0..n, the class c 1..K
DATASET_SIZES = ((3, 1), (4, 2), (5, 1), (6, 3), (7, 2))  # (m, n): m ≠ n+1 and several m, so shapes and 1/m show
TOLERANCE = 1e-9  # relative, for two evaluations of ours
RECEIVED_RTOL = 1e-7  # relative, for numbers a user's code computed (its own summation order, maybe float32 parts)
DIGITS = 30  # the exact path: mpmath at this many digits
MOST_ASSIGNMENTS = 9  # past this many combinations of free-index values, a seeded sample of them

LABEL_RANGE = (0.05, 0.95)
_LABELS = (y, Y, y.label)  # y.label: the real symbol y, the label of the one-example cost
LAMBDA_RANGE = (0.5, 2.0)
VALUE_RANGE = (-1.5, 1.5)
POSITIVE_RANGE = (0.1, 1.5)  # weights per example, declared positive by the reader
KINK_POINTS = 10_000  # the kink search's points are numbered from here (oracle.kinks); the policy's from 0
KINK_BATCH = 32  # the kink search tries this many points at once, each batch at one width (:func:`widening`)
KINK_SPAN = 512  # … at most this many per index assignment; assignment a's from KINK_POINTS + a·KINK_SPAN


def agree(a: complex, b: complex, tolerance: float = TOLERANCE, scale: float = 1.0) -> bool:
    """|a − b| ≤ tolerance·(scale + |a| + |b|): the one test of numeric equality.

    >>> agree(1.0, 1.0 + 1e-12), agree(1.0, 1.0 + 1e-6)
    (True, False)
    """
    return abs(a - b) <= tolerance * (scale + abs(a) + abs(b))


def draw(seed: int, point: int, key: str, low: float, high: float) -> float:
    """The value of leaf ``key`` at sample point ``point``: uniform in [low, high), a function of its arguments only.

    >>> draw(0, 0, "theta[0]", -1.5, 1.5) == draw(0, 0, "theta[0]", -1.5, 1.5) != draw(1, 0, "theta[0]", -1.5, 1.5)
    True
    """
    digest = hashlib.blake2b(f"{seed}:{point}:{key}".encode(), digest_size=8).digest()
    return low + (high - low) * ((int.from_bytes(digest, "big") >> 11) / 2.0**53)


def draw_index(seed: int, point: int, key: str, low: int, high: int) -> int:
    """A whole number in low..high for a stray free index, by the same rule as :func:`draw`.

    >>> 1 <= draw_index(0, 3, "i", 1, 2) <= 2
    True
    """
    return low + min(int(draw(seed, point, key, 0.0, 1.0) * (high - low + 1)), high - low)


def leaf_range(base: sp.Basic, point: int = 0) -> tuple[float, float]:
    """Where a leaf is sampled: labels in (0.05, 0.95), λ in (0.5, 2), a leaf declared positive in (0.1, 1.5),
    the rest in (−1.5, 1.5).

    The labels are the notation's y⁽ⁱ⁾, the vector y and the one example's y
    (a real symbol y); a symbol that is merely called y is not one.  Points from
    :data:`KINK_POINTS` on (those the kink search adds, :mod:`.kinks`) widen the last
    range batch by batch (:func:`widening`), so that a kink such as 1 − y θᵀx = 0 is
    crossed even where the usual range keeps every u on one side.

    >>> from derivation.core.notation import theta
    >>> leaf_range(y), leaf_range(y.label), leaf_range(theta), leaf_range(sp.Symbol("y"))
    ((0.05, 0.95), (0.05, 0.95), (-1.5, 1.5), (-1.5, 1.5))
    >>> leaf_range(theta, KINK_POINTS + 7 * KINK_BATCH), leaf_range(y, KINK_POINTS + 7 * KINK_BATCH)
    ((-12.0, 12.0), (0.05, 0.95))
    >>> leaf_range(sp.IndexedBase("c", positive=True))
    (0.1, 1.5)
    """
    kind = _range_kind(base)
    if kind is not None:
        return kind
    scale = widening(point)
    if _declared_positive(base):  # a weight per example c_i declared positive: a negative one means nothing
        return (POSITIVE_RANGE[0], POSITIVE_RANGE[1] * scale)
    return (VALUE_RANGE[0] * scale, VALUE_RANGE[1] * scale)


def _memoised_on_leaf(function):
    """``function`` of a leaf, memoised on the leaf: SymPy's equality, which compares names and assumptions (an
    IndexedBase declared positive is not the plain one), decides what is the same leaf; an unhashable one is
    computed afresh.  The sampler asks once per leaf per point, and SymPy's ``==`` and assumptions are slow."""
    memo = lru_cache(maxsize=4096)(function)

    @wraps(function)
    def memoised(base):
        try:
            hash(base)
        except TypeError:
            return function(base)
        return memo(base)

    return memoised


@_memoised_on_leaf
def _range_kind(base: sp.Basic) -> tuple[float, float] | None:
    """The range of a label or of λ, whatever the point; None for any other leaf."""
    if base in _LABELS:
        return LABEL_RANGE
    if base == lam:
        return LAMBDA_RANGE
    return None


_BINARY: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar("binary_labels", default=None)


@contextmanager
def binary_labels(values: tuple[float, float]) -> Iterator[None]:
    """Inside: every label y⁽ⁱ⁾ (the notation's y, Y, y.label) is drawn from ``values`` (0/1, −1/+1), each example's
    own way at each point, the model's labels rather than (0.05, 0.95); every other leaf as before.

    >>> with binary_labels((0.0, 1.0)):
    ...     sorted({leaf_value(0, p, "y[1]", y) for p in range(40)})
    [0.0, 1.0]
    >>> 0.05 < leaf_value(0, 0, "y[1]", y) < 0.95
    True
    """
    token = _BINARY.set(values)
    try:
        yield
    finally:
        _BINARY.reset(token)


def leaf_value(seed: int, point: int, key: str, base: sp.Basic) -> float:
    """The value of leaf ``key`` (of ``base``) at ``point``: :func:`draw` in :func:`leaf_range`, or inside
    :func:`binary_labels` one of the model's two labels for a label."""
    values = _BINARY.get()
    if values is not None and _range_kind(base) is LABEL_RANGE:
        return values[0] if draw(seed, point, key, 0.0, 1.0) < 0.5 else values[1]
    return draw(seed, point, key, *leaf_range(base, point))


@_memoised_on_leaf
def _declared_positive(base: sp.Basic) -> bool:
    return bool(getattr(base, "is_positive", None))


def widening(point: int) -> float:
    """How much wider than (−1.5, 1.5) the values of ``point`` are drawn: 1 for the policy's points; for the kink
    search's, 1, 1, 2, 2, 4, 4, then 8 by batches of :data:`KINK_BATCH`, anew for each index assignment.

    >>> widening(0), widening(KINK_POINTS), widening(KINK_POINTS + 2 * KINK_BATCH), widening(KINK_POINTS + 500)
    (1, 1, 2, 8)
    >>> widening(KINK_POINTS + KINK_SPAN)  # the next assignment's first batch
    1
    """
    if point < KINK_POINTS:
        return 1
    return 2 ** min((point - KINK_POINTS) % KINK_SPAN // KINK_BATCH // 2, 3)


def index_values(index: sp.Symbol) -> range:
    """Where a free index runs at the sizes: the class c of W_jc over 1..K, any other (j, l) over 0..n.

    >>> from derivation.core.notation import j
    >>> list(index_values(j)), list(index_values(c))
    ([0, 1, 2], [1, 2, 3])
    """
    return range(1, SIZES[K] + 1) if index == c else range(SIZES[n] + 1)


def label_row(seed: int, point: int, row: int, draw_one=None) -> list:
    """The labels y_1⁽ʳᵒʷ⁾ … y_K⁽ʳᵒʷ⁾ of one example at a sample point: drawn, then divided by their sum.

    A row of probabilities, so that Σ_c y_c⁽ⁱ⁾ = 1 (the one-hot rule) holds while no label is 0 or 1
    (a one-hot row would hide a wrong term that a label multiplies).  ``draw_one(key)`` draws one raw value.

    >>> round(sum(label_row(0, 0, 1)), 12)
    1.0
    """
    draw_one = draw_one or (lambda key: draw(seed, point, key, *LABEL_RANGE))
    raw = [draw_one(f"y[{row}, {cls}]") for cls in range(1, SIZES[K] + 1)]
    total = sum(raw)
    return [value / total for value in raw]


def sample_points(indices: list[sp.Symbol], seed: int, points: int) -> list[dict[sp.Symbol, int]]:
    """The free-index values of each sample point, in order: every value 0..n of every index.

    ``points`` points per value of one index (2: six points for a free j); with
    several indices, every combination once (a seeded sample past
    :data:`MOST_ASSIGNMENTS` of them).

    >>> from derivation.core.notation import j
    >>> [p[j] for p in sample_points([j], 0, 2)]
    [0, 0, 1, 1, 2, 2]
    """
    combos = list(itertools.product(*(index_values(s) for s in indices)))
    if len(combos) > MOST_ASSIGNMENTS:
        combos = random.Random(seed).sample(combos, MOST_ASSIGNMENTS)
    each = max(1, points * (SIZES[n] + 1) // len(combos))
    return [dict(zip(indices, combo, strict=True)) for combo in combos for _ in range(each)]


def where_sampled(indices: list[sp.Symbol]) -> str:
    """The sizes, index ranges and tolerance a numeric verdict names: "m=3, n=2, j=0..2; relative 1e-09".

    "Equal" at sampled points means equal to :data:`TOLERANCE` relative to 1 + |a| + |b|
    (:func:`agree`), and the report says so; a difference that is a number is decided
    exactly before any sampling (:func:`~derivation.oracle.canonical.exact_difference`).

    >>> from derivation.core.notation import j
    >>> where_sampled([j])
    'm=3, n=2, j=0..2; relative 1e-09'
    """
    ranges = "".join(f", {s}={index_values(s)[0]}..{index_values(s)[-1]}" for s in indices)
    classes = f", K={SIZES[K]}" if c in indices else ""
    return f"m={SIZES[m]}, n={SIZES[n]}{classes}{ranges}; relative {TOLERANCE:g}"


def complex_or_float(v: Any) -> float | str:
    """A value for a counterexample: a float, or text where it is complex or past float64's range.

    >>> complex_or_float(mpmath.mpf(2)), complex_or_float(mpmath.exp(1000))
    (2.0, '1.97007e+434')
    """
    v = mpmath.mpmathify(v)
    if abs(mpmath.im(v)) >= 1e-12:
        return mpmath.nstr(v, 6)
    real = mpmath.re(v)
    return float(real) if abs(real) < 1e300 else mpmath.nstr(real, 6)


__all__ = [
    "DATASET_SIZES",
    "DIGITS",
    "RECEIVED_RTOL",
    "SIZES",
    "TOLERANCE",
    "agree",
    "binary_labels",
    "complex_or_float",
    "draw",
    "draw_index",
    "KINK_BATCH",
    "KINK_POINTS",
    "KINK_SPAN",
    "index_values",
    "label_row",
    "leaf_range",
    "leaf_value",
    "sample_points",
    "where_sampled",
    "widening",
]
