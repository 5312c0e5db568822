"""What makes the generated kernels fast, checked without timing: few NumPy calls per row block, no precision given
up for them (σ(z) − y against mpmath, in float64 and float32), and the sign conventions the basis relies on."""

from __future__ import annotations

import ast

import mpmath
import numpy as np
import pytest

from derivation.kernels.runtime import kernel


def _calls_per_block(source: str, function: str) -> int:
    """NumPy operations in one pass of ``function``'s row loop (calls, operators, comparisons, ``+=``).

    The loop's bookkeeping (``hi = min(...)``, the slices ``Xb = X[lo:hi]``) and constants (``-1.0``) do not count.
    """
    tree = ast.parse(source)
    body = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == function)
    loop = next(node for node in ast.walk(body) if isinstance(node, ast.For))
    count = 0
    for stmt in loop.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, (ast.Subscript, ast.Call)):
            call = stmt.value
            if isinstance(call, ast.Subscript) or (isinstance(call.func, ast.Name) and call.func.id == "min"):
                continue  # hi = min(lo + step, stop); Xb = X[lo:hi]
        count += isinstance(stmt, ast.AugAssign)
        for node in ast.walk(stmt):
            if isinstance(node, (ast.Call, ast.BinOp, ast.Compare)):
                count += 1
            elif isinstance(node, ast.UnaryOp) and not isinstance(node.operand, ast.Constant):
                count += 1
    return count


def test_the_logistic_gradient_makes_at_most_14_numpy_calls_per_block():
    # X @ θ, the step (3: signbit, ~, astype), e^{-|z|} (3, in place), σ(-|z|) (2, in place),
    # pos − y − copysign(sa, z) (3), Xᵀr (2).  The step in 3 calls is faster than np.subtract(1.0, signbit,
    # dtype=...) in 2 (10k float32: 3.0 against 4.3 µs: the subtraction from a bool goes through a cast).
    # Hand-written X.T @ (expit(X @ θ) - y) makes 4 (expit alone costs ~7 np.exp); the old basis made 15.
    source = kernel("logistic").source
    assert _calls_per_block(source, "_grad_rows") <= 14
    assert _calls_per_block(source, "_value_and_grad_rows") <= 19  # and the cost: z·(pos − y), log1p(ea), 2 sums


def _new_arrays_per_block(source: str, function: str) -> int:
    """Operations in the row loop that make a new array (no ``out=``, no ``+=``): each one is memory to fill."""
    body = next(f for f in ast.parse(source).body if isinstance(f, ast.FunctionDef) and f.name == function)
    loop = next(node for node in ast.walk(body) if isinstance(node, ast.For))
    count = 0
    for stmt in loop.body[1:]:  # after hi = min(...)
        if isinstance(stmt, ast.AugAssign) or (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Subscript)):
            continue  # acc += ..., and the views Xb = X[lo:hi]
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and not any(k.arg == "out" for k in node.keywords):
                count += 1
            elif isinstance(node, (ast.BinOp, ast.Compare)):
                count += 1
    return count


def test_the_logistic_gradient_fills_at_most_5_new_arrays_per_block():
    # z = Xb @ θ, the sign bits, pos, |z| and 1 + e^{−|z|}: the rest is written in place (the old code made 12)
    assert _new_arrays_per_block(kernel("logistic").source, "_grad_rows") <= 5


def test_the_counter_counts_what_it_should():
    source = "def f(X, y, step, stop):\n    for lo in range(0, stop, step):\n        hi = min(lo + step, stop)\n"
    source += "        Xb = X[lo:hi]\n        z = np.exp(-np.abs(Xb @ y))\n        a += (z >= 0) * -1.0\n"
    assert _calls_per_block(source, "f") == 1 + 1 + 1 + 1 + 1 + 1 + 1  # exp, -, abs, @, +=, >=, *


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-14), (np.float32, 1e-6)])
@pytest.mark.parametrize("z", [-40.0, -17.5, -1.0, 1.0, 17.5, 40.0])
@pytest.mark.parametrize("label", [0.0, 1.0])
def test_sigmoid_minus_y_keeps_full_relative_precision(z, label, dtype, rtol):
    # With x = 1 and θ = z the gradient is σ(z) − y itself: at z = 40, y = 1 it is −e^{−40} ≈ −4e−18, which 1 − σ(40)
    # (σ(40) rounds to 1.0) would return as 0.  Subnormal float32 values are not a fair test: |z| ≤ 40 here.
    if dtype == np.float32 and abs(z) > 17.5:
        z = np.sign(z) * 17.5  # e^{-40} is below float32's normal range
    got = kernel("logistic").grad(np.full(1, z, dtype), np.ones((1, 1), dtype), np.full(1, label, dtype))
    assert got.dtype == dtype
    with mpmath.workdps(50):
        want = 1 / (1 + mpmath.exp(-mpmath.mpf(float(z)))) - label
        assert abs(mpmath.mpf(float(got[0])) - want) <= rtol * abs(want), (z, label, got, want)


class _NegativeZeros(np.ndarray):
    """An X whose products give −0.0 where they give 0: BLAS may return either, and the kernel must not care."""

    def __matmul__(self, other):
        out = np.asarray(self) @ other
        return np.where(out == 0, -0.0, out)

    def __array_function__(self, func, types, args, kwargs):  # the kernels multiply with np.dot (_mv)
        if func is np.dot:
            out = np.dot(*(np.asarray(a) for a in args), **kwargs)
            return np.where(out == 0, -0.0, out)
        return super().__array_function__(func, types, args, kwargs)


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_the_step_and_the_flip_read_the_same_sign_bit_at_plus_and_minus_zero(sign):
    # σ(±0) − y = 0.5 − y: pos = [z ≥ 0] and copysign(sa, z) must agree at −0.0 (a mismatch gives 1.5 − y).
    # The row functions take X as given (grad() would turn the subclass back into a plain array).
    X = np.array([[1.0, -2.0], [1.0, 3.0]])
    if sign < 0:
        X = X.view(_NegativeZeros)
    theta, y = np.zeros(2), np.array([0.0, 1.0])
    namespace_mv = kernel("logistic").namespace["_mv"]
    assert np.signbit(X @ theta).all() == (sign < 0)
    assert np.signbit(namespace_mv(X, theta)).all() == (sign < 0)  # as the kernels multiply
    namespace = kernel("logistic").namespace
    want = np.asarray(X).T @ (0.5 - y)
    (grad,) = namespace["_grad_rows"](theta, X, y, 0, 2)
    np.testing.assert_array_equal(np.asarray(grad), want)
    cost, grad = namespace["_value_and_grad_rows"](theta, X, y, 0, 2)
    assert cost == pytest.approx(2 * np.log(2.0), rel=1e-15)
    np.testing.assert_array_equal(np.asarray(grad), want)
