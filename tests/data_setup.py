"""The tests' own small data: X with its column of ones, labels in {0, 1}, real labels, θ and counts, drawn in one
fixed order from a seeded generator, and σ; shared by the check tests instead of a copy in each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Data:
    """m examples of n features: ``X`` (m, n+1) with x₀ = 1, ``y01`` in {0, 1}, ``yr`` real, ``theta`` (n+1,),
    ``counts`` Poisson counts."""

    m: int
    n: int
    X: np.ndarray
    y01: np.ndarray
    yr: np.ndarray
    theta: np.ndarray
    counts: np.ndarray


def example_data(seed: int, m: int, n: int) -> Data:
    """The data of ``seed``, drawn in the order the check tests always drew it (X, y01, yr, θ, counts)."""
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(m), rng.normal(size=(m, n))])
    y01 = (rng.random(m) < 0.5).astype(float)
    yr = rng.normal(size=m)
    theta = rng.normal(size=n + 1) * 0.7
    return Data(m, n, X, y01, yr, theta, rng.poisson(2.0, size=m).astype(float))


def sigma(z):
    """The logistic function 1/(1 + e^(−z)), written out: the tests' own, not the tool's."""
    return 1 / (1 + np.exp(-z))


def user_module(folder, name: str, code: str) -> tuple:
    """(the path of ``code`` written as ``folder``/``name``, its namespace): a user's file the check reads from
    disk and the test runs on data of its own."""
    path = folder / name
    path.write_text(code, encoding="utf-8")
    namespace: dict = {}
    exec(compile(code, str(path), "exec"), namespace)  # our own test code, to run it on data of our own
    return path, namespace
