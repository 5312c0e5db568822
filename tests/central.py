"""Central differences: the tests' own numeric oracle for a gradient, sharing nothing with the tool."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def central_differences(f: Callable[[np.ndarray], float], x: np.ndarray, step: float = 1e-6) -> np.ndarray:
    """(f(x + h·e_k) − f(x − h·e_k)) / 2h for every entry k of ``x`` (any shape), in x's shape."""
    x = np.asarray(x, dtype=float)
    out = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[k] = step
        out[k] = (f(x + e) - f(x - e)) / (2 * step)
    return out
