r"""A gradient written for one example i, with no sum (a stochastic update, CS229's
``\theta_j := \theta_j + \alpha (y^{(i)} - h_\theta(x^{(i)})) x_j^{(i)}``): checked example by example.

Summed over the examples its values must be what the left side names (m·∇J for one example's
gradient of the cost, as the rule's target allows for a step), and each example's values must be
that example's own gradient: the data term on that example alone plus its share of the penalty,
up to one constant per dataset (the step size, or the 1/m of the example's term).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..oracle.datasets import Evaluator
from .compare import Problem
from .verdict import Target

EXAMPLE_COST = Target(
    "one example's gradient of the cost J (its term, ∇ℓ_i or ∇ℓ_i/m), summed over the examples",
    (("m", lambda d: float(d.m)), ("1", lambda d: 1.0)),
)
_RTOL = 1e-6


def rows(problem: Problem, values: list[np.ndarray]) -> list[np.ndarray]:
    """One row per example on every dataset: (m, n+1) for a line for all θ_j, (m, 1) for θ₀ alone."""
    return [np.asarray(v, dtype=float).reshape(d.m, -1) for d, v in zip(problem.datasets, values, strict=True)]


def summed(per_example: list[np.ndarray]) -> list[np.ndarray]:
    """The rows added up over the examples: what a batch rule would give."""
    return [r.sum(axis=0) for r in per_example]


def wrong_example(
    problem: Problem, given: dict[str, list[np.ndarray]], entries: dict[str, slice]
) -> tuple[int, int] | None:
    """The first dataset and example (1-based) whose row is not one constant times its own gradient, or None.

    ``given`` maps a scope to its rows on every dataset; ``entries`` the scope to the entries of θ it gives.
    """
    for index, d in enumerate(problem.datasets):
        own = own_gradients(problem, index)
        pairs = [(_entries(given[scope][index], entries[scope], d.p), own[:, entries[scope]]) for scope in given]
        received = np.concatenate([r.reshape(d.m, -1) for r, _ in pairs], axis=1)
        expected = np.concatenate([g.reshape(d.m, -1) for _, g in pairs], axis=1)
        scale = float(np.vdot(received, expected) / max(np.vdot(expected, expected), 1e-300))
        error = np.max(np.abs(received - scale * expected), axis=1)
        bad = np.flatnonzero(error > _RTOL * max(float(np.max(np.abs(expected))), 1e-300))
        if bad.size:
            return index, int(bad[0]) + 1
    return None


def _entries(rows: np.ndarray, entries: slice, p: int) -> np.ndarray:
    """The entries a line gives: a line for θ_j written for every j gives those of its scope; θ₀'s line one."""
    rows = rows.reshape(rows.shape[0], -1)
    return rows[:, entries] if rows.shape[1] == p else rows


def own_gradients(problem: Problem, index: int) -> np.ndarray:
    """Each example's gradient on dataset ``index``: its data term alone plus the mean penalty's gradient."""
    d = problem.datasets[index]
    penalty = np.asarray(problem.reg[index], dtype=float).reshape(-1)
    out = []
    for k in range(d.m):
        alone = dataclasses.replace(d, m=1, X=d.X[k : k + 1], y=d.y[k : k + 1])
        data = np.asarray(Evaluator(alone).value(problem.data_expr), dtype=float).reshape(-1)
        out.append(data + penalty)
    return np.array(out)
