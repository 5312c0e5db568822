"""Numbers from our expression trees on a user's datasets: the data, and where the leaves come from.

The checker of user gradients compares numbers on concrete data.  This module
draws the data (:func:`make_datasets`, reproducible from a seed, at the sizes of
:data:`~derivation.oracle.policy.DATASET_SIZES`) and says where the leaves of the
trees our parsers and the model catalog build get their values
(:class:`DatasetLeaves`); the evaluation itself is the one evaluator of
:mod:`derivation.oracle.evaluator`, in plain NumPy, without ``lambdify`` or any
code generation.

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

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import sympy as sp

from .evaluator import EXAMPLE, FEATURE, FIRST_SUM, POINT, check_range, on_axis
from .evaluator import Evaluator as OneEvaluator
from .kinks import NEAR, matrix_kinks
from .numbers import NUMPY, EvalError, NumpyNumbers
from .policy import DATASET_SIZES

SIZES = DATASET_SIZES
_STEP = 1e-30  # the complex step


@dataclass(frozen=True)
class Dataset:
    """One random problem: X (m, n+1) (by default its first column all ones), y (m,), θ (n+1,), λ.

    For a model over a weight matrix (labels "onehot") also K classes, W (n+1, K) and the one-hot
    Y (m, K); y then holds the same labels as integers 0..K−1 (as floats, like every y).
    """

    m: int
    n: int
    X: np.ndarray
    y: np.ndarray
    theta: np.ndarray
    lam: float
    W: np.ndarray | None = None
    Y: np.ndarray | None = None
    K: int = 0
    weights: np.ndarray | None = None  # w⁽ⁱ⁾, a positive weight per example, for a weighted cost Σ w⁽ⁱ⁾ℓᵢ

    @property
    def p(self) -> int:
        """The number of parameters, n + 1."""
        return self.n + 1

    @property
    def classes(self) -> bool:
        """Whether the parameter is the weight matrix W (a model over K classes)."""
        return self.W is not None

    def as_lists(self, weights: bool = False) -> dict[str, Any]:
        """Plain data for reports and JSON (W, Y and K in place of θ and y for a model over classes); with
        ``weights`` (a weighted cost Σ w⁽ⁱ⁾ℓᵢ) also "w", the examples' weights."""
        if weights and self.weights is not None and self.W is None:
            return self.as_lists() | {"w": self.weights.tolist()}
        if self.classes:
            return {
                "m": self.m,
                "n": self.n,
                "K": self.K,
                "X": self.X.tolist(),
                "labels": [int(v) for v in self.y],
                "W": self.W.tolist(),
                "lam": self.lam,
            }
        return {
            "m": self.m,
            "n": self.n,
            "X": self.X.tolist(),
            "y": self.y.tolist(),
            "theta": self.theta.tolist(),
            "lam": self.lam,
        }


def make_datasets(
    model, seed: int = 0, sizes: tuple[tuple[int, int], ...] = SIZES, *, intercept: bool = True
) -> tuple[Dataset, ...]:
    """Reproducible random data, one dataset per (m, n); values rounded to 2 decimals so a report can be retyped.

    Labels are the model's ``labels`` ("01", "pm1" for ±1, "counts", "positive", "prob", "real", "onehot"); a model
    that does not say has 0/1 labels when its cost takes a logarithm (classification), else real numbers.  With "onehot"
    each dataset also has K classes (2..4 across the datasets), W (n+1, K) and one-hot Y (m, K), every
    class present where m ≥ K (:func:`_classes`).
    With ``intercept`` (the default) the first column of X is all ones: x₀⁽ⁱ⁾ = 1 and θ₀ is
    the bias, the textbook convention, so a function that adds its own column of ones can be
    called with X without it.  Where the cost has a kink (max(0, u), |u|), θ (or W) is drawn again
    until each u takes both signs in every dataset (:func:`_across_kinks`).

    >>> from derivation.models import get_model
    >>> d = make_datasets(get_model("logistic"), seed=0)[0]
    >>> d.X.shape, d.theta.shape, set(d.y) <= {0.0, 1.0}, d.X[:, 0].tolist()
    ((3, 2), (2,), True, [1.0, 1.0, 1.0])
    """
    rng = np.random.default_rng(seed)
    labels = labels_of(model)
    out = []
    for m, n in sizes:
        X = rng.normal(0.0, 1.0, (m, n + 1)).round(2)
        if intercept:
            X[:, 0] = 1.0  # drawn and then overwritten, so the other entries do not depend on the convention
        theta = rng.normal(0.0, 1.0, n + 1).round(2)
        y = _labels(rng, labels, m)
        lam = round(float(rng.uniform(0.5, 2.0)), 2)
        data = Dataset(m, n, X, y, theta, lam)
        out.append(_classes(rng, data, len(out)) if labels == "onehot" else data)
    out = [replace(data, weights=_weights(seed, index, data.m)) for index, data in enumerate(out)]
    cost = getattr(model, "matrix_cost", None)
    kinks = matrix_kinks(cost) if cost is not None else []
    return tuple(_across_kinks(kinks, data, (seed, index)) for index, data in enumerate(out))


MOST_REDRAWS = 32
WEIGHT_RANGE = (0.1, 2.0)


def _weights(seed: int, index: int, m: int) -> np.ndarray:
    """Example weights w⁽ⁱ⁾ in WEIGHT_RANGE, from a generator of their own (seed, dataset, 1): the other data of a
    seed stay as they were.  Unequal, so a gradient that drops w⁽ⁱ⁾ or puts it twice shows."""
    return np.random.default_rng((seed, index, 1)).uniform(*WEIGHT_RANGE, m).round(2)


def _across_kinks(kinks: list, data: Dataset, stream: tuple[int, int]) -> Dataset:
    """``data``, or with θ (W) drawn again until every kink's argument takes both signs across its entries.

    A cost with max(0, u) or |u| has a gradient whose indicator 1[u > 0] or sign(u) a user may drop;
    on data where every u has one sign (every example on one side of the margin) the slip gives the
    same numbers.  Redraws come from a generator of their own (``stream``: seed, dataset), wider
    every 8 tries, so other datasets and models without a kink keep their data.
    """
    if not kinks or _both_sides(kinks, data):
        return data
    for attempt in range(1, MOST_REDRAWS + 1):
        rng = np.random.default_rng((*stream, attempt))
        scale = 2.0 ** (attempt // 8)
        theta = (scale * rng.normal(0.0, 1.0, data.p)).round(2)
        W = None if data.W is None else (scale * rng.normal(0.0, 1.0, data.W.shape)).round(2)
        candidate = replace(data, theta=theta, W=W)
        if _both_sides(kinks, candidate):
            return candidate
    return data


def _both_sides(kinks: list, data: Dataset) -> bool:
    """Whether each kink's argument is positive at some entry, negative at another, and never within NEAR of 0."""
    evaluator = Evaluator(data)
    for matrix, function in kinks:
        try:
            entries = np.asarray(evaluator.value(matrix), dtype=float).ravel()
            values = np.asarray(OneEvaluator(_Entries(entries)).at_points(function.expr), dtype=float)
        except (EvalError, ArithmeticError, TypeError, ValueError):
            continue
        if np.any(np.abs(values) < NEAR) or not (np.any(values > 0) and np.any(values < 0)):
            return False
    return True


class _Entries:
    """The entries of a matrix as the sample points of the one variable of an entrywise function."""

    def __init__(self, entries: np.ndarray):
        self.entries = entries
        self.points = len(entries)

    def symbol(self, node: sp.Symbol):
        return on_axis(self.entries, POINT)


_CLASS_COUNTS = (3, 2, 4, 3, 4)  # K per dataset: several K, so a wrong axis or layout shows


def _classes(rng: np.random.Generator, data: Dataset, index: int) -> Dataset:
    """``data`` with K classes: W (n+1, K), integer labels y in 0..K−1 (each class present when m ≥ K), one-hot Y.

    Drawn after everything else from the same generator, so the θ datasets of a seed stay as they were.
    """
    K = _CLASS_COUNTS[index % len(_CLASS_COUNTS)]
    W = rng.normal(0.0, 1.0, (data.p, K)).round(2)
    labels = rng.integers(0, K, data.m)
    if data.m >= K:
        labels[:K] = rng.permutation(K)  # every class present
        labels = rng.permutation(labels)
    Y = np.eye(K)[labels]
    return Dataset(data.m, data.n, data.X, labels.astype(float), data.theta, data.lam, W, Y, K)


def labels_of(model) -> str:
    """The labels of ``model``'s data: its own, else "01" when its cost takes a logarithm, else "real"."""
    labels = getattr(model, "labels", None)
    if labels is None:
        labels = "01" if model.matrix_cost is not None and model.matrix_cost.has(sp.log) else "real"
    return labels


def _labels(rng: np.random.Generator, labels: str, m: int) -> np.ndarray:
    """m labels of the kind a model's cost needs: "01", "pm1" (both classes in every dataset), "counts", "positive"
    (reals in [0.2, 3], for a cost that takes the logarithm of y), "prob" (soft labels in [0.05, 0.95]) or "real"."""
    if labels in ("01", "pm1"):
        y = rng.integers(0, 2, m).astype(float)
        if y.min() == y.max():
            y[0] = 1.0 - y[0]  # both classes in every dataset
        return 2.0 * y - 1.0 if labels == "pm1" else y
    if labels == "counts":
        return rng.poisson(2.0, m).astype(float)
    if labels == "positive":
        return rng.uniform(0.2, 3.0, m).round(2)
    if labels == "prob":  # soft labels: log y and log(1 − y) both numbers
        return rng.uniform(0.05, 0.95, m).round(2)
    y = rng.normal(0.0, 1.0, m).round(2)
    return np.where(y == 0.0, 0.01, y)  # never 0.00 after rounding: a cost with log(y²) or 1/y is a number at every y


class DatasetLeaves:
    """The leaves of a user's expression on one :class:`Dataset`, looked up by name as the readers spell them.

    A free ``i`` (the example) and a free ``j`` (the feature) run over every row
    and component, on the axes that become the rows and columns of the result.
    """

    points = 1

    def __init__(self, data: Dataset, row_offset: int, matrices: dict[str, np.ndarray]):
        self.data = data
        self.row_offset = row_offset
        self.matrices = matrices
        self.scalars = {"m": data.m, "n": data.n, "lambda": data.lam, "K": data.K}
        self.free = {"i": (EXAMPLE, np.arange(data.m) + row_offset), "j": (FEATURE, np.arange(data.p))}

    def symbol(self, node: sp.Symbol):
        name = node.name
        if name in self.scalars:
            return self.scalars[name]
        if name in self.free:
            axis, values = self.free[name]
            return on_axis(values, axis)
        if node.is_integer:
            raise EvalError(f"free index '{name}': only i (the example) and j (the component θ_j) may be free")
        raise EvalError(f"unknown symbol '{name}'")

    def indexed(self, node: sp.Indexed, indices: list):
        name = str(node.base.label)
        if name in ("x", "X"):
            if len(indices) != 2:
                raise EvalError("x needs an example and a feature index: x[i, k] (LaTeX x_k^{(i)})")
            rows, cols = np.asarray(indices[0]) - self.row_offset, np.asarray(indices[1])
            check_range(rows, self.data.m, "example index of x", self.row_offset)
            check_range(cols, self.data.p, "feature index of x", 0)
            return self.matrices["X"][rows, cols]
        if name in ("y", "W") and len(indices) == 2 and self.data.classes:  # y_c⁽ⁱ⁾ one-hot, W_kc
            rows, cols = np.asarray(indices[0]), np.asarray(indices[1])
            if name == "y":
                rows = rows - self.row_offset
            matrix = self.matrices["Y" if name == "y" else "W"]
            check_range(rows, matrix.shape[0], f"first index of {name}", self.row_offset if name == "y" else 0)
            check_range(cols, matrix.shape[1], f"class index of {name}", 0)
            return matrix[rows, cols]
        if name == "w" and len(indices) == 1 and node.base.is_positive:  # w⁽ⁱ⁾: example i's weight
            if self.data.weights is None:
                raise EvalError("example weights w^{(i)}: this dataset has none")
            idx = np.asarray(indices[0]) - self.row_offset
            check_range(idx, self.data.m, "example index of w", self.row_offset)
            return self.data.weights[idx]
        if name in ("y", "theta") and len(indices) == 1:
            vector = self.matrices[name][:, 0]
            offset = self.row_offset if name == "y" else 0
            what = "example index of y" if name == "y" else "index of θ"
            idx = np.asarray(indices[0]) - offset
            check_range(idx, vector.shape[0], what, offset)
            return vector[idx]
        if name == "lambda" and len(indices) == 1 and np.ndim(indices[0]) == 0:  # λ₁, λ₂ (elastic net): penalties
            return self.data.lam * (1.0 + 0.37 * int(indices[0]))  # one value each, so that swapping them shows
        raise EvalError(f"unknown symbol '{name}' (in {node})")

    def matrix(self, node: sp.MatrixSymbol):
        name = str(node.name)
        if name not in self.matrices:
            raise EvalError(f"unknown matrix '{name}'")
        return self.matrices[name][np.newaxis]


class Evaluator:
    """Evaluates our trees on one :class:`Dataset`, with the one evaluator of :mod:`derivation.oracle.evaluator`.

    ``overrides`` replaces the arrays of ``X``, ``theta`` (a column) or ``y`` (a column),
    e.g. by complex ones for the complex step; ``numbers`` says how to compute
    (plain NumPy by default; :data:`~derivation.oracle.numbers.EXACT` for mpmath).

    >>> from derivation.models import get_model
    >>> d = make_datasets(get_model("linear"))[0]
    >>> g = Evaluator(d).value(get_model("linear").matrix_gradient)
    >>> g.shape, bool(np.allclose(g.ravel(), d.X.T @ (d.X @ d.theta - d.y) / d.m))
    ((2, 1), True)
    """

    def __init__(
        self,
        data: Dataset,
        *,
        row_offset: int = 0,
        overrides: dict[str, np.ndarray] | None = None,
        numbers: NumpyNumbers = NUMPY,
    ):
        self.data = data
        self.row_offset = row_offset
        e0 = np.zeros((data.p, 1))
        e0[0, 0] = 1.0
        self.matrices = {"X": data.X, "theta": data.theta.reshape(-1, 1), "y": data.y.reshape(-1, 1), "e_0": e0}
        if data.classes:
            self.matrices |= {"W": data.W, "Y": data.Y}
        self.matrices.update(overrides or {})
        self.walker = OneEvaluator(DatasetLeaves(data, row_offset, self.matrices), numbers)

    def value(self, expr: sp.Basic) -> np.ndarray:
        """A matrix expression as a 2-D array; a scalar one with its free i and j as rows and columns."""
        with np.errstate(all="ignore"):
            if isinstance(expr, sp.MatrixExpr):
                return np.asarray(self.walker.matrix(expr))[0]
            result = np.asarray(self.walker.scalar(expr))
        if result.ndim == 0:
            return result.astype(np.result_type(result, float))
        if any(size != 1 for size in result.shape[FIRST_SUM:]):
            raise EvalError("a summation index is left over")
        full = result.reshape(result.shape[EXAMPLE], result.shape[FEATURE])
        if full.shape == (1, 1):
            return full.reshape(())
        if full.shape[0] == 1:  # free j only: a column of n+1 components
            return full.reshape(-1, 1)
        return full


def cost_gradient(cost: sp.MatrixExpr, data: Dataset, wrt: str) -> np.ndarray:
    """∂cost/∂wrt (``wrt`` = "theta", "W", "X" or "y") by the complex step, in the shape of that matrix.

    >>> from derivation.models import get_model
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
        value = Evaluator(data, overrides={wrt: shifted}).value(cost)
        out[position] = value.reshape(-1)[0].imag / _STEP
    return out


__all__ = [
    "SIZES",
    "Dataset",
    "DatasetLeaves",
    "EvalError",
    "Evaluator",
    "cost_gradient",
    "labels_of",
    "make_datasets",
]
