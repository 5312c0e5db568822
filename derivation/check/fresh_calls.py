"""A user's function found right on the model's datasets, called once more: on a dataset far larger than those
(m = :data:`LARGE_M`), and twice in one process on the same X with a new θ (a new W for softmax and the multiclass SVM).

The model's datasets have m ≤ 7: code that uses only the first 16 rows (a "mini-batch") or a loop that stops
after 10 rows was right on every one of them, and a gradient that caches σ(Xθ) keyed by X's shape was right too,
since each dataset has its own shape.  These calls make both wrong, with words saying what happened.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..oracle.datasets import _across_kinks, _both_sides
from ..oracle.kinks import matrix_kinks
from .compare import Problem
from .problem_data import model_datasets
from .usercode import CallError

LARGE_M = 257  # above the batch sizes and caps code uses (10, 16, 32, 64, 100, 128, 256), a multiple of none
_STREAM = 7919  # the new θ's draws: a stream of their own, so the model's data stay as they are


@dataclass(frozen=True)
class Fresh:
    """A function's results on the fresh calls: the problem they make, and which call is which."""

    problem: Problem
    first: int | None  # the index of the first call on the repeated X (None: no θ found away from a kink)
    large: int  # the index of the large dataset


def fresh_datasets(model, first, widest: int, seed: int) -> tuple[tuple, int | None, int]:
    """(the datasets of the fresh calls, the index of the first call on the repeated X or None, the index of the
    large dataset): ``first`` (the model's first dataset), the same X and y with a new θ (a new W for a model over
    classes), and a dataset of m = :data:`LARGE_M` with ``widest`` features."""
    large = model_datasets(model, seed + _STREAM, ((LARGE_M, widest),))[0]
    rng = np.random.default_rng((seed, _STREAM))
    kinks = matrix_kinks(model.matrix_cost) if model.matrix_cost is not None else []
    for _ in range(8):
        if first.classes:  # W (n+1, K) is what a model over classes is differentiated by
            W = rng.normal(0.0, 1.0, first.W.shape).round(2)
            if np.max(np.abs(W - first.W)) < 0.1:
                continue
            candidate = _across_kinks(kinks, replace(first, W=W), (seed, _STREAM))
        else:
            theta = rng.normal(0.0, 1.0, first.theta.shape).round(2)
            if np.max(np.abs(theta - first.theta)) < 0.1:
                continue
            candidate = _across_kinks(kinks, replace(first, theta=theta), (seed, _STREAM))
        if not kinks or _both_sides(kinks, candidate):
            return (first, candidate, large), 0, 2
    return (large,), None, 0


def fresh_problem(problem: Problem, seed: int) -> Fresh:
    """The model's first dataset, the same X and y with a new θ (called after it, in the same process), and a dataset
    with m = :data:`LARGE_M` and as many features as the widest of the model's datasets."""
    model = problem.model
    datasets, first, large = fresh_datasets(model, problem.datasets[0], max(d.n for d in problem.datasets), seed)
    return Fresh(Problem(model, datasets), first, large)


def fresh_method(method: str, fresh: Fresh) -> str:
    """The method line with the fresh calls said."""
    also = f"the first X again with a new {_PARAMETER[fresh.problem.datasets[0].classes]}, in the same process, and "
    return f"{method}; then {also if fresh.first is not None else ''}a dataset of m = {LARGE_M}"


_PARAMETER = {False: "θ", True: "W"}


def _shown(values) -> str:
    flat = np.asarray(values, dtype=float).reshape(-1)
    return "[" + ", ".join(f"{v:.6g}" for v in flat[:6]) + (", …" if flat.size > 6 else "") + "]"


def fresh_words(fresh: Fresh, results: list, values: list, bad: int | None) -> tuple[str, int | None]:
    """(why the function is wrong on the fresh calls, the index of the dataset to show) from its results there
    (``values`` normalised as the verdict read them, ``bad`` the dataset the verdict names)."""
    error = next(((i, r) for i, r in enumerate(results) if isinstance(r, CallError)), None)
    problem = fresh.problem
    if error is not None:
        index, failure = error
        d = problem.datasets[index]
        return f"right on the model's datasets (m ≤ 7), but on a dataset of m = {d.m} it {failure.message}", index
    index = 0 if bad is None else bad
    d, expected = problem.datasets[index], problem.expected[index]
    name, gradient = _PARAMETER[d.classes], ("∂J/∂W" if d.classes else "∇J")
    if fresh.first is not None and index == fresh.first + 1:
        return (
            f"it keeps something from one call to the next (a cache, a global): called twice in one process on the "
            f"same X (m = {d.m}, n = {d.n}), the second call, with a new {name} = "
            f"{_shown(d.W if d.classes else d.theta)}, returned {_shown(values[index])} where {gradient} at that "
            f"{name} is {_shown(expected)}"
        ), index
    if index == fresh.large:
        return (
            f"right on the model's datasets (m ≤ 7), but not on one of m = {d.m} examples: it returned "
            f"{_shown(values[index])} where {gradient} is {_shown(expected)}; does it use only the first rows (a "
            "mini-batch, a loop that stops early)?"
        ), index
    return (
        f"right on the model's datasets, but called again on dataset (m = {d.m}, n = {d.n}) it returned "
        f"{_shown(values[index])} where {gradient} is {_shown(expected)}: it does not give the same answer to the "
        "same call"
    ), index


__all__ = ["LARGE_M", "Fresh", "fresh_datasets", "fresh_method", "fresh_problem", "fresh_words"]
