"""Kernels (NumPy and compiled) against mpmath where a literal formula loses its digits (review 11).

* sigmoid-squared at y = 1, z ≫ 0: (σ(z) − y)² is σ(−z)², about e^(−2z); a row evaluated as
  4·pos·y + sa − 2·pos − 2y lost sa in the big terms and gave 0 (the loss and its gradient).
* huber at a large residual u: u²/2 − ReLU(|u| − 1)²/2 subtracts two numbers of size u²; at u = 1e16 the
  loss came out 0, at 1e200 NaN, and the gradient 0 where it is sign(u).
"""

from __future__ import annotations

import importlib.util
import warnings

import mpmath
import numpy as np
import pytest

from derivation.kernels.runtime import kernel

COMPILED = [False] + (
    [True]
    if importlib.util.find_spec("numba")
    else [
        pytest.param(True, marks=pytest.mark.skip(reason='compiled kernels need numba: pip install "derivation[fast]"'))
    ]
)


def _z(row, theta):
    return mpmath.fsum(mpmath.mpf(float(a)) * mpmath.mpf(float(t)) for a, t in zip(row, theta, strict=True))


def _reference(loss, slope, theta, X, y):  # noqa: N803 - X as in the formulas
    """(1/m) Σ loss(z, y) and (1/m) Σ slope(z, y)·x in mpmath at 400 digits."""
    mpmath.mp.dps = 400
    cost, grad = mpmath.mpf(0), [mpmath.mpf(0)] * X.shape[1]
    for row, label in zip(X, y, strict=True):
        z, label = _z(row, theta), mpmath.mpf(float(label))
        cost += loss(z, label)
        grad = [g + slope(z, label) * mpmath.mpf(float(a)) for g, a in zip(grad, row, strict=True)]
    m = len(y)
    return cost / m, [g / m for g in grad]


def _assert_close(got, want, rtol):
    got, want = np.atleast_1d(got), [mpmath.mpf(w) for w in np.atleast_1d(want)]
    for a, b in zip(got, want, strict=True):
        assert abs(mpmath.mpf(float(a)) - b) <= rtol * abs(b), (float(a), float(b))


def _sigmoid(z):
    return 1 / (1 + mpmath.exp(-z))


@pytest.mark.parametrize("compiled", COMPILED)
@pytest.mark.parametrize(
    ("zs", "labels"),
    [([40.0, -41.0], [1.0, 0.0]), ([300.0, 2.0], [1.0, 0.0]), ([25.0, 30.0], [1.0, 1.0]), ([0.3, -0.2], [0.25, 0.9])],
)
def test_sigmoid_squared_keeps_the_tiny_loss_of_a_row_it_fits(compiled, zs, labels):
    X, y, theta = np.column_stack([np.ones(len(zs)), zs]), np.array(labels), np.array([0.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost, grad = kernel("sigmoid-squared", compiled=compiled).value_and_grad(theta, X, y)
    want = _reference(
        lambda z, t: (_sigmoid(z) - t) ** 2 / 2,
        lambda z, t: (_sigmoid(z) - t) * _sigmoid(z) * (1 - _sigmoid(z)),
        theta,
        X,
        y,
    )
    assert cost > 0
    _assert_close(cost, want[0], 1e-14)
    _assert_close(grad, want[1], 1e-14)


def _huber(u):
    return u * u / 2 if abs(u) <= 1 else abs(u) - mpmath.mpf(1) / 2


@pytest.mark.parametrize("compiled", COMPILED)
@pytest.mark.parametrize("scale", [1e-3, 0.7, 3.0, 1e8, 1e16, 1e200])
def test_huber_loss_and_clipped_residual_at_every_size_of_residual(compiled, scale):
    X, y = np.array([[1.0, 2.0], [1.0, -1.0], [1.0, 0.5]]), np.array([0.3, -0.2, 0.1])
    theta = np.array([0.0, scale])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost, grad = kernel("huber", compiled=compiled).value_and_grad(theta, X, y)
    want = _reference(lambda z, t: _huber(z - t), lambda z, t: max(-1, min(1, z - t)), theta, X, y)
    _assert_close(cost, want[0], 1e-14)
    _assert_close(grad, want[1], 1e-14)
