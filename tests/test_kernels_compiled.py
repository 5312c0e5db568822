"""The compiled kernels (numba, the optional ``derivation[fast]``): the NumPy kernels' sums, taken row block by row
block in one fused loop, checked against the NumPy kernels, central differences and mpmath."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import warnings

import mpmath
import numpy as np
import pytest

numba = pytest.importorskip("numba", reason='the compiled kernels need numba: pip install "derivation[fast]"')

from central import central_differences  # noqa: E402 - after the skip: nothing here runs without numba
from test_kernels import _problem  # noqa: E402

from derivation.kernels.compiled import compiled_source, load_compiled  # noqa: E402
from derivation.kernels.runtime import kernel  # noqa: E402
from derivation.models import get_model  # noqa: E402

# One model per kind of element-wise work: σ's basis (cross-entropy), the bias mask, squares, exp (Poisson), an
# indicator (hinge), a piecewise square (Huber), σ inside a square (no basis form for the whole).
KINDS = ["logistic", "logistic-l2", "linear", "poisson", "hinge", "huber", "sigmoid-squared"]


def _params(k) -> dict[str, float]:
    return {p: 0.7 for p in k.parameters}


@pytest.mark.parametrize("name", KINDS)
def test_value_and_grad_agree_with_the_numpy_kernel_and_with_central_differences(name):
    theta, X, y = _problem(name, m=1031)  # not a multiple of 4 rows nor of the block
    fast, plain = kernel(name, compiled=True), kernel(name)
    kw = _params(plain)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a loop numba could not compile would warn and run NumPy's
        value, grad = fast.value_and_grad(theta, X, y, **kw)
    ref_value, ref_grad = plain.value_and_grad(theta, X, y, **kw)
    assert value == pytest.approx(ref_value, rel=1e-13, abs=1e-15)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-12, atol=1e-14)
    differences = central_differences(lambda t: plain.cost(t, X, y, **kw), theta)
    np.testing.assert_allclose(grad, differences, rtol=1e-6, atol=1e-8)


def test_the_compiled_module_takes_its_loops_for_every_sum_it_has():
    source = compiled_source(get_model("logistic"))
    assert "import numba" in source
    for entry in ("cost", "grad", "value_and_grad"):
        assert f"def _{entry}_span(" in source and f'"_{entry}_rows": _{entry}_rows_fast' in source
    assert "def _hessian_span(" not in source  # Xᵀ diag(w) X stays a matrix product per block (BLAS)
    assert "_log1p_unit(ea0)" in source and "_exp_neg(-np.abs(z0))" in source


def test_a_model_numba_cannot_compile_is_refused_in_words():
    with pytest.raises(ValueError, match="numba can compile"):
        compiled_source(get_model("probit"))  # Φ is scipy.special's
    with pytest.raises(ValueError, match="no compiled kernel"):
        compiled_source(get_model("softmax"))


def _mp_logistic(theta, X, y):  # noqa: N803 - X as in the formulas
    """Cost and gradient of the cross-entropy in 50 digits."""
    mpmath.mp.dps = 50
    m = len(y)
    cost, grad = mpmath.mpf(0), [mpmath.mpf(0)] * len(theta)
    for row, label in zip(X, y, strict=True):
        z = mpmath.fsum(mpmath.mpf(float(a)) * mpmath.mpf(float(t)) for a, t in zip(row, theta, strict=True))
        h = 1 / (1 + mpmath.exp(-z))
        cost += mpmath.log(1 + mpmath.exp(-z)) + (1 - label) * z
        grad = [g + (h - label) * mpmath.mpf(float(a)) for g, a in zip(grad, row, strict=True)]
    return cost / m, [g / m for g in grad]


@pytest.mark.parametrize("scale", [1.0, 30.0, 400.0, 1000.0])
def test_logistic_matches_mpmath_to_1e_12_with_no_warning_at_extreme_z(scale):
    rng = np.random.default_rng(3)
    X = np.column_stack([np.ones(23), rng.standard_normal((23, 2))])
    y = (rng.random(23) < 0.5).astype(float)
    theta = scale * rng.standard_normal(3) / 2
    k = kernel("logistic", compiled=True)
    with np.errstate(over="raise", divide="raise", invalid="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grad = k.value_and_grad(theta, X, y)
    mp_value, mp_grad = _mp_logistic(theta, X, y)
    assert abs(value - float(mp_value)) <= 1e-12 * max(1.0, abs(float(mp_value)))
    for got, want in zip(grad, mp_grad, strict=True):
        assert abs(got - float(want)) <= 1e-12 * max(1e-300, abs(float(want))) + 1e-300


def test_exp_of_a_negative_number_is_within_one_unit_in_the_last_place_down_to_the_subnormals():
    module = load_compiled(get_model("logistic"))
    exp_neg = numba.njit(fastmath=module.SPAN_FASTMATH)(lambda x: module._exp_neg(x))
    xs = -np.concatenate([np.linspace(0, 1, 401), np.geomspace(1e-12, 1e-3, 50), np.linspace(1, 745.1, 1201)])
    mpmath.mp.dps = 40
    for x in xs:
        want = mpmath.exp(mpmath.mpf(float(x)))
        got = exp_neg(x)
        if want > 2.3e-308:  # normal doubles: within 1 ulp, relative
            assert abs(got - float(want)) <= 2.3e-16 * float(want), x
        else:  # subnormals: the spacing there is 5e-324
            assert abs(got - float(want)) <= 1e-323, x
    assert exp_neg(-800.0) == 0.0 and exp_neg(-0.0) == 1.0


def test_log1p_of_a_number_in_the_unit_interval_is_within_two_units_in_the_last_place():
    module = load_compiled(get_model("logistic"))
    log1p_unit = numba.njit(fastmath=module.SPAN_FASTMATH)(lambda x: module._log1p_unit(x))
    xs = np.concatenate([[5e-324, 1e-300, 1e-17, 2.2e-16], np.geomspace(1e-12, 1, 600), np.linspace(0, 1, 1001)])
    mpmath.mp.dps = 40
    for x in xs:
        want = float(mpmath.log1p(mpmath.mpf(float(x))))
        assert abs(log1p_unit(x) - want) <= 4.5e-16 * abs(want), x
    assert log1p_unit(0.0) == 0.0


def test_float32_x_is_read_in_place_and_agrees_with_float64():
    theta, X, y = _problem("logistic", m=3001)
    k = kernel("logistic", compiled=True)
    X32, y32, t32 = X.astype(np.float32), y.astype(np.float32), theta.astype(np.float32)
    g32 = k.grad(t32, X32, y32)
    assert g32.dtype == np.float32
    np.testing.assert_allclose(
        g32, k.grad(t32.astype(float), X32.astype(float), y32.astype(float)), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_wide_rows_go_in_blocks_of_fewer_rows_and_give_the_numpy_kernels_sums(dtype):
    theta, X, y = _problem("logistic", m=301, p=700)
    module = load_compiled(get_model("logistic"))
    X, y, theta = X.astype(dtype), y.astype(dtype), theta.astype(dtype)
    block = module.COMPILED_BLOCK_BYTES // (700 * X.itemsize)
    assert 16 <= block < 301 and 301 % block  # several blocks of fewer rows than 1024, the last one short
    # the loop itself (a float32 X this wide takes NumPy's blocks in kernel(...).grad: see the next test)
    got = [total / X.shape[0] for total in module._value_and_grad_rows_fast(theta, X, y)]  # the sums: J = Σ/m
    want = kernel("logistic").value_and_grad(theta.astype(float), X.astype(float), y.astype(float))
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12 if dtype == np.float64 else 1e-6)
    np.testing.assert_allclose(got[1], want[1], rtol=1e-11 if dtype == np.float64 else 1e-5, atol=1e-6)


def test_wide_float32_rows_take_numpys_blocks_and_narrower_ones_the_loop():
    module = load_compiled(get_model("logistic"))
    theta, X, y = _problem("logistic", m=2001, p=200)
    compiled, numpy_kernel = kernel("logistic", compiled=True), kernel("logistic")
    wide = theta.astype(np.float32), X.astype(np.float32), y.astype(np.float32)
    assert module._blas_wins(wide[1]) and not module._blas_wins(X) and not module._blas_wins(wide[1][:, :100])
    # the same path as NumPy's kernel gives the same bits; the loop (sums in another order) does not
    np.testing.assert_array_equal(compiled.grad(*wide), numpy_kernel.grad(*wide))
    loop = module._grad_rows_fast(*wide)[0] / X.shape[0]  # the loop's sum; the gradient is (1/m)Σ
    assert not np.array_equal(loop.astype(np.float32), numpy_kernel.grad(*wide))
    np.testing.assert_allclose(loop, numpy_kernel.grad(*wide), rtol=1e-4, atol=1e-6)


def test_spans_on_threads_give_the_one_thread_sums():
    module = load_compiled(get_model("logistic"))
    theta, X, y = _problem("logistic", m=(module.PARALLEL_MIN // 5) * 2 + 13, p=5)
    assert X.size >= module.PARALLEL_MIN  # over the threshold: spans on one thread per CPU, taken in turn
    (whole,) = module._grad_span(theta, X, y, 0, X.shape[0])
    (spread,) = module._grad_rows_fast(theta, X, y)
    np.testing.assert_allclose(spread, whole, rtol=1e-12, atol=1e-12)


def test_a_strided_x_takes_the_numpy_blocks_and_gives_the_same_gradient():
    theta, X, y = _problem("logistic", m=400)
    wide = np.repeat(X, 2, axis=1)[:, ::2]  # not contiguous
    assert not wide.flags.c_contiguous
    k = kernel("logistic", compiled=True)
    np.testing.assert_allclose(k.grad(theta, wide, y), kernel("logistic").grad(theta, X, y), rtol=1e-13)


def test_the_command_line_writes_a_compiled_module_that_runs(tmp_path):
    target = tmp_path / "logistic_fast.py"
    done = subprocess.run(
        [sys.executable, "-m", "derivation", "kernel", "logistic", "--compiled", "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    spec = importlib.util.spec_from_file_location("logistic_fast", target)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    theta, X, y = _problem("logistic", m=50)
    np.testing.assert_allclose(module.grad(theta, X, y), kernel("logistic").grad(theta, X, y), rtol=1e-12)
    refused = subprocess.run(
        [sys.executable, "-m", "derivation", "kernel", "probit", "--compiled"], capture_output=True, text=True
    )
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "numba can compile" in refused.stderr


def test_an_overflow_in_the_loop_is_a_warning_as_in_numpy_not_a_silent_inf():
    X, y, theta = np.array([[1.0, 710.0], [1.0, 0.0]]), np.array([1.0, 0.0]), np.array([0.0, 1.0])  # e^710 > 1.8e308
    with pytest.warns(RuntimeWarning):
        want = kernel("poisson").grad(theta, X, y)
    with pytest.warns(RuntimeWarning, match="overflow or an invalid value"):
        got = kernel("poisson", compiled=True).grad(theta, X, y)
    assert np.isinf(want).all() and np.isinf(got).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a finite answer warns of nothing
        kernel("poisson", compiled=True).grad(np.array([0.0, 0.5]), X, y)
