"""The generated NumPy kernels: correct, stable, shape-safe, standalone, and generated (not hand-written)."""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import warnings

import mpmath
import numpy as np
import pytest

import derivation.kernels.runtime as kernels_module
from derivation.kernels.runtime import kernel, kernel_from_model, kernel_source, write_kernel_module
from derivation.models import MODELS, get_model

# Models whose kernels have cost, grad and hessian (the hinge has no Hessian: test_catalog_models covers its kernel)
MATRIX_MODELS = [name for name, model in MODELS.items() if None not in (model.matrix_cost, model.matrix_hessian)]
TEXTBOOK = ["logistic", "logistic-l2", "linear"]  # the models `reference` writes out (the others: test_catalog_models)
# e^{θᵀx} itself overflows past z ≈ 709: a Poisson cost at z = 1000 is not a double (test_catalog_models: ±40)
BOUNDED = [name for name in MATRIX_MODELS if name != "poisson"]
PARAMS = {"logistic-l2": {"lam": 0.7}}
# Overflow, 0/0 and log(0) are errors; underflow is not: e^-1000 rounds to 0.0 (or a subnormal), which is
# the correctly rounded double (NumPy ignores underflow by default, and so do we).
STRICT = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}


def data(m: int = 40, p: int = 4, seed: int = 0, scale: float = 1.0):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(m), rng.standard_normal((m, p - 1))])
    y = (rng.random(m) < 0.5).astype(float)
    theta = scale * rng.standard_normal(p)
    return theta, X, y


def reference(name: str, theta, X, y, lam: float = 0.7):  # noqa: N803 - X as in the formulas
    """The textbook formulas, written directly (fine at moderate z)."""
    m = len(y)
    z = X @ theta
    if name == "linear":
        r = z - y
        return r @ r / (2 * m), X.T @ r / m, X.T @ X / m
    h = 1 / (1 + np.exp(-z))
    cost = -(y @ np.log(h) + (1 - y) @ np.log(1 - h)) / m
    grad = X.T @ (h - y) / m
    hess = (X.T * (h * (1 - h))) @ X / m
    if name == "logistic-l2":
        mask = np.r_[0.0, np.ones(len(theta) - 1)]
        cost += lam / (2 * m) * (mask * theta) @ theta
        grad = grad + lam / m * mask * theta
        hess = hess + np.diag(lam / m * mask)
    return cost, grad, hess


# --- correctness -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", MATRIX_MODELS)
def test_gradient_matches_central_differences(name):
    k, kw = kernel(name), PARAMS.get(name, {})
    theta, X, y = data(seed=1)
    eps = 1e-6
    numeric = np.array(
        [(k.cost(theta + eps * e, X, y, **kw) - k.cost(theta - eps * e, X, y, **kw)) / (2 * eps) for e in np.eye(4)]
    )
    np.testing.assert_allclose(k.grad(theta, X, y, **kw), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", MATRIX_MODELS)
def test_hessian_matches_central_differences(name):
    k, kw = kernel(name), PARAMS.get(name, {})
    theta, X, y = data(seed=2)
    eps = 1e-6
    numeric = np.column_stack(
        [(k.grad(theta + eps * e, X, y, **kw) - k.grad(theta - eps * e, X, y, **kw)) / (2 * eps) for e in np.eye(4)]
    )
    np.testing.assert_allclose(k.hessian(theta, X, y, **kw), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", TEXTBOOK)
def test_agrees_with_textbook_formulas_and_value_and_grad_agrees(name):
    k, kw = kernel(name), PARAMS.get(name, {})
    theta, X, y = data(m=300, seed=3)
    cost, grad, hess = reference(name, theta, X, y)
    assert k.cost(theta, X, y, **kw) == pytest.approx(cost, rel=1e-13)
    np.testing.assert_allclose(k.grad(theta, X, y, **kw), grad, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(k.hessian(theta, X, y, **kw), hess, rtol=1e-12, atol=1e-15)
    value, gradient = k.value_and_grad(theta, X, y, **kw)
    assert value == pytest.approx(k.cost(theta, X, y, **kw), rel=1e-15)
    np.testing.assert_allclose(gradient, k.grad(theta, X, y, **kw), rtol=1e-15)


def test_logistic_l2_lam_is_a_keyword_with_default_one():
    k = kernel("logistic-l2")
    theta, X, y = data(seed=4)
    assert k.cost(theta, X, y) == pytest.approx(reference("logistic-l2", theta, X, y, lam=1.0)[0], rel=1e-13)
    assert k.cost(theta, X, y, lam=0.0) == pytest.approx(kernel("logistic").cost(theta, X, y), rel=1e-13)
    with pytest.raises(TypeError):
        k.cost(theta, X, y, 0.5)  # lam is keyword-only


@pytest.mark.parametrize("name", MATRIX_MODELS)
def test_row_blocks_and_parallel_chunks_give_the_same_sums(name, monkeypatch):
    """Many blocks, many chunks, a thread pool: the same numbers as one pass."""
    kw = PARAMS.get(name, {})
    theta, X, y = data(m=1001, p=6, seed=5)
    one_pass = kernel(name)
    blocked = kernel_from_model(get_model(name), workers=2)
    blocked.namespace["BLOCK_BYTES"] = 8 * 6 * 7  # 7 rows per block
    blocked.namespace["GEMM_BLOCK_BYTES"] = 8 * 6 * 11  # 11 rows per block of the Hessian
    blocked.namespace["CHUNK_BYTES"] = 8 * 6 * 100  # 100 rows per chunk
    blocked.namespace["WIDE_ROW_BYTES"] = 1 << 40  # blocks however wide the rows
    monkeypatch.setattr(kernels_module, "BUSY_THREADED_BYTES", 0)
    monkeypatch.setattr(kernels_module, "machine_busy", lambda cpus=None: True)
    for entry in ("cost", "grad", "hessian"):
        got = getattr(blocked, entry)(theta, X, y, **kw)
        want = getattr(one_pass, entry)(theta, X, y, **kw)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    assert blocked._threads is not None  # the spans did go through the threads


def test_logistic_hessian_is_the_weighted_gram_matrix():
    theta, X, y = data(m=200, seed=6)
    h = 1 / (1 + np.exp(-(X @ theta)))
    expected = X.T @ np.diag(h * (1 - h)) @ X / len(y)
    np.testing.assert_allclose(kernel("logistic").hessian(theta, X, y), expected, rtol=1e-12)
    np.testing.assert_allclose(kernel("linear").hessian(theta, X, y), X.T @ X / len(y), rtol=1e-12)


# --- numerics: stable to |z| = 1000, full relative precision -----------------------------------


def _mp_reference(z: float, label: int) -> tuple[mpmath.mpf, mpmath.mpf]:
    """Cost and gradient of one example x = z, θ = 1, in 60-digit arithmetic.

    −log σ(z) = log1p(e^−z), −log(1−σ(z)) = log1p(e^z), σ(z) − 1 = −σ(−z): no cancellation, even at 60 digits.
    """
    s = mpmath.mpf(z) if label == 0 else -mpmath.mpf(z)  # loss = softplus(s); ∂loss/∂θ = σ(s)·s for x = z
    return mpmath.log1p(mpmath.exp(s)), s / (1 + mpmath.exp(-s))


Z_GRID = np.unique(np.r_[np.linspace(-1000, 1000, 401), np.linspace(-40, 40, 321), [-1e-8, 1e-8, -0.5, 0.5]])


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("name", ["logistic", "logistic-l2"])
def test_cost_and_gradient_match_mpmath_to_1e_12_over_z_in_minus_1000_1000(name):
    k = kernel(name)
    kw = {"lam": 0.0} if name == "logistic-l2" else {}
    theta = np.array([1.0])
    tiny = 1e-300  # below the double range the true value cannot be represented: compare absolutely
    worst = 0.0
    with mpmath.workdps(60), np.errstate(**STRICT):
        for z in Z_GRID:
            X = np.array([[z]])
            for label in (0, 1):
                cost, grad = k.value_and_grad(theta, X, np.array([float(label)]), **kw)
                want_cost, want_grad = _mp_reference(z, label)
                for got, want in ((cost, want_cost), (grad[0], want_grad)):
                    assert np.isfinite(got)
                    error = abs(mpmath.mpf(got) - want)
                    assert error <= 1e-12 * abs(want) + tiny, (z, label, got, want)
                    if abs(want) > tiny:
                        worst = max(worst, float(error / abs(want)))
    assert worst < 1e-12


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", BOUNDED)
def test_no_warning_nan_or_inf_for_z_up_to_1000(name, dtype):
    k, kw = kernel(name), PARAMS.get(name, {})
    theta, X, y = data(m=500, seed=7)
    theta = theta / np.abs(X @ theta).max() * 1000.0  # |Xθ| reaches 1000
    theta, X, y = theta.astype(dtype), X.astype(dtype), y.astype(dtype)
    with np.errstate(**STRICT):
        value, gradient = k.value_and_grad(theta, X, y, **kw)
        hessian = k.hessian(theta, X, y, **kw)
    assert np.isfinite(value) and np.isfinite(gradient).all() and np.isfinite(hessian).all()


# --- dtype: float32 data is computed in float32, and X is never copied ---------------------------

KERNEL_MODELS = [name for name, model in MODELS.items() if model.matrix_cost is not None]


def _problem(name: str, m: int = 2000, p: int = 5, seed: int = 11):
    """θ (or W), X with its column of ones, and labels of the model's kind."""
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(m), rng.standard_normal((m, p - 1))])
    kind = getattr(get_model(name), "labels", None)
    if kind == "onehot":
        return 0.5 * rng.standard_normal((p, 3)), X, rng.integers(0, 3, m)
    labels = {
        "pm1": np.where(rng.random(m) < 0.5, -1.0, 1.0),
        "real": rng.standard_normal(m),
        "counts": rng.poisson(1.0, m).astype(float),
    }
    return 0.5 * rng.standard_normal(p), X, labels.get(kind, (rng.random(m) < 0.5).astype(float))


class _Float32Only(np.ndarray):
    """An X whose every NumPy operation fails if it meets a float64 array (NumPy would copy X to float64).

    np.dot(Xb.T, r) passes the subclass on to its (n+1,) result, which the float64 accumulator may meet: only
    operations on X or its row blocks (two dimensions) are watched.
    """

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        arrays = [np.asarray(a) for a in inputs if isinstance(a, np.ndarray)]
        if any(isinstance(a, _Float32Only) and a.ndim == 2 for a in inputs):
            assert all(a.dtype == np.float32 for a in arrays), f"{ufunc.__name__}: X meets {[a.dtype for a in arrays]}"
        return getattr(ufunc, method)(*(np.asarray(a) if isinstance(a, np.ndarray) else a for a in inputs), **kwargs)

    def __array_function__(self, func, types, args, kwargs):
        if func is np.dot:  # not a ufunc: a float64 operand would make it copy X's block to float64 unseen
            dtypes = [a.dtype for a in args if isinstance(a, np.ndarray)]
            assert all(d == np.float32 for d in dtypes), f"np.dot: X meets {dtypes}"
        return super().__array_function__(func, types, args, kwargs)


@pytest.mark.parametrize("name", KERNEL_MODELS)
def test_float32_data_is_computed_in_float32_and_agrees_with_float64_to_1e_4(name):
    cached = kernel(name)
    watched = kernels_module.Kernel(cached.model, cached.source)  # the same source, a namespace of its own
    prepare = watched.namespace["_prepare"]

    def prepare_and_watch(*args):
        prepared = prepare(*args)
        return (prepared[0], prepared[1].view(_Float32Only), *prepared[2:])

    watched.namespace["_prepare"] = prepare_and_watch
    params, X, y = _problem(name)
    kw = {p: 0.7 for p in watched.parameters}
    entries = ["cost", "grad"] + (["hessian"] if cached.model.matrix_hessian is not None else [])
    for entry in entries:
        want = getattr(cached, entry)(params, X, y, **kw)
        got = getattr(watched, entry)(params, X.astype(np.float32), y, **kw)
        assert isinstance(got, float) if entry == "cost" else got.dtype == np.float32
        assert np.linalg.norm(np.asarray(got, dtype=np.float64) - want) <= 1e-4 * np.linalg.norm(want), entry


@pytest.mark.parametrize("layout", ["C", "F", "every other row", "every other column"])
def test_float32_x_in_any_layout_is_used_in_place(layout, monkeypatch):
    import tracemalloc

    k = kernel("logistic")
    monkeypatch.setitem(k.namespace, "GEMM_BLOCK_BYTES", 1 << 20)  # Hessian blocks of 1 MiB, well below X
    theta, X, y = _problem("logistic", m=20_000, p=50, seed=12)  # 4 MB in float32
    X32 = X.astype(np.float32)
    X32 = {
        "C": X32,
        "F": np.asfortranarray(X32),
        "every other row": np.repeat(X32, 2, axis=0)[::2],
        "every other column": np.repeat(X32, 2, axis=1)[:, ::2],
    }[layout]
    if layout in ("C", "F"):
        assert k.namespace["_prepare"](theta, X32, y)[1] is X32
    tracemalloc.start()
    try:
        value, gradient = k.value_and_grad(theta, X32, y)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        hessian = k.hessian(theta, X32, y)
        hessian_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < X32.nbytes / 4, f"{peak} bytes allocated for an X of {X32.nbytes}"  # no copy of X, whole or cast
    # the Hessian weighs one block of rows at a time (X^T diag(w) X is a matrix product per block)
    assert hessian_peak < 1.5 * (1 << 20) < X32.nbytes / 2
    want_value, want_gradient = k.value_and_grad(theta, X, y)
    want_hessian = k.hessian(theta, X, y)
    assert value == pytest.approx(want_value, rel=1e-6)
    assert np.linalg.norm(gradient - want_gradient) <= 1e-5 * np.linalg.norm(want_gradient)
    assert np.linalg.norm(hessian - want_hessian) <= 1e-5 * np.linalg.norm(want_hessian)


def _shaped_like(m: int, n: int, dtype=np.float64) -> np.ndarray:
    """An (m, n) array of zeros that takes no memory (every element is the same one)."""
    return np.lib.stride_tricks.as_strided(np.zeros(1, dtype), (m, n), (0, 0))


def test_the_strategy_blocks_rows_and_keeps_wide_rows_whole_while_x_fits_in_the_cache(monkeypatch):
    monkeypatch.setattr(kernels_module, "machine_busy", lambda cpus=None: False)  # a quiet machine (see below)
    k = kernel("logistic")
    rows, budget, serial = k.namespace["_block_rows"], k.namespace["BLOCK_BYTES"], k.namespace["SERIAL_BLOCK_BYTES"]
    assert rows(_shaped_like(1_000_000, 20), budget) == budget // 160  # 1 MiB blocks: X is read once
    assert rows(_shaped_like(1_000_000, 20, np.float32), budget) == budget // 80  # rows of X's own item size
    serial_budget = k.namespace["_serial_budget"]
    narrow = _shaped_like(1_000_000, 20)
    assert rows(narrow, serial_budget(narrow), True) == 12288  # one thread: blocks of at most 12288 rows ...
    assert rows(_shaped_like(100_000, 50), serial_budget(_shaped_like(100_000, 50)), True) == serial // 400  # 4 MiB
    assert serial_budget(_shaped_like(200_000, 500)) == serial  # wide rows: 4 MiB
    assert rows(_shaped_like(20_000, 200), serial, True) == 20_000  # wide rows, X in the cache: X @ θ, X.T @ r
    assert rows(_shaped_like(200_000, 500), budget) == 200_000  # a pool's chunk or a Dask chunk: the plain form
    assert rows(_shaped_like(200_000, 500), serial, True) == serial // 4000  # one thread over 800 MB: 4 MiB blocks
    one = kernels_module.Kernel(k.model, k.source, workers=1)
    assert one._mapper(narrow) is None  # workers=1: one thread, BLAS's own threads in each call
    two = kernels_module.Kernel(k.model, k.source, workers=2)
    for size in (narrow, _shaped_like(100_000, 50), _shaped_like(200_000, 500)):
        assert two._mapper(size) is None  # a quiet machine: one thread, BLAS's threads in each call
    monkeypatch.setattr(kernels_module, "machine_busy", lambda cpus=None: True)  # other work on every CPU
    for size in (narrow, _shaped_like(100_000, 50), _shaped_like(200_000, 500)):
        assert two._mapper(size).workers == 2  # spans from 2 MiB: BLAS's threads would wait for their cores
    assert two._mapper(_shaped_like(10_000, 10)) is None  # 800 kB: one thread still


def test_matrix_vector_products_let_go_of_the_gil():
    """np.dot releases the GIL around BLAS; @ keeps it for results of 500 entries or fewer (two threads took turns).

    A strided X keeps @, which multiplies it in place (np.dot would copy it): test_float32_x_in_any_layout.
    """
    source = kernels_module.kernel_source("logistic")
    loop = source[source.index("def _grad_rows(") : source.index("def grad(")]
    assert "_mv(Xb, theta)" in loop and "_mv(Xb.T, " in loop
    assert not [line for line in loop.splitlines() if " @ " in line]


def test_integer_x_is_converted_to_float64():
    theta, X, y = data(seed=13)
    k = kernel("linear")
    X_int = np.round(X * 3).astype(np.int64)
    assert k.grad(theta, X_int, y).dtype == np.float64
    np.testing.assert_allclose(k.grad(theta, X_int, y), k.grad(theta, X_int.astype(float), y), rtol=1e-15)


# --- shapes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", MATRIX_MODELS)
def test_column_and_flat_shapes_are_accepted_and_returned_in_the_callers_convention(name):
    k, kw = kernel(name), PARAMS.get(name, {})
    theta, X, y = data(m=30, seed=8)
    flat = k.grad(theta, X, y, **kw)
    assert flat.shape == (4,)
    for t, labels in ((theta, y[:, None]), (theta[:, None], y), (theta[:, None], y[:, None])):
        g = k.grad(t, X, labels, **kw)
        assert g.shape == t.shape
        np.testing.assert_array_equal(g.ravel(), flat)  # never an (m, m) broadcast of y against Xθ
        value, g2 = k.value_and_grad(t, X, labels, **kw)
        assert isinstance(value, float) and g2.shape == t.shape
        assert k.hessian(t, X, labels, **kw).shape == (4, 4)
        assert k.cost(t, X, labels, **kw) == k.cost(theta, X, y, **kw)


@pytest.mark.parametrize(
    ("theta_shape", "x_shape", "y_shape", "named"),
    [
        ((5,), (30, 4), (30,), "(5,)"),
        ((1, 4), (30, 4), (30,), "(1, 4)"),
        ((4, 2), (30, 4), (30,), "(4, 2)"),
        ((4,), (30, 4), (29,), "(29,)"),
        ((4,), (30, 4), (1, 30), "(1, 30)"),
        ((4,), (30, 4), (30, 2), "(30, 2)"),
        ((4,), (30,), (30,), "(30,)"),
        ((4,), (0, 4), (0,), "(0, 4)"),
    ],
)
def test_shape_mismatch_raises_value_error_naming_the_shapes(theta_shape, x_shape, y_shape, named):
    k = kernel("logistic")
    with pytest.raises(ValueError, match=named.replace("(", r"\(").replace(")", r"\)")):
        k.grad(np.zeros(theta_shape), np.zeros(x_shape), np.zeros(y_shape))


# --- generated, standalone ----------------------------------------------------------------------


def test_a_change_in_the_symbolic_model_changes_the_kernel():
    base = get_model("logistic")
    doubled = dataclasses.replace(base, matrix_gradient=2 * base.matrix_gradient)
    theta, X, y = data(seed=9)
    changed = kernel_from_model(doubled)
    assert changed.source != kernel("logistic").source
    np.testing.assert_allclose(changed.grad(theta, X, y), 2 * kernel("logistic").grad(theta, X, y), rtol=1e-14)
    assert changed.cost(theta, X, y) == kernel("logistic").cost(theta, X, y)


def test_what_the_printer_cannot_vectorise_is_refused_not_guessed():
    import sympy as sp

    from derivation.core.notation import Theta, n
    from derivation.kernels.codegen import CodegenError

    base = get_model("linear")
    weights = sp.MatrixSymbol("W", n + 1, n + 1)  # not an input a kernel knows
    with pytest.raises(CodegenError, match="W"):
        kernel_from_model(dataclasses.replace(base, matrix_gradient=weights * Theta))


def test_sigmoid_has_no_matrix_form():
    with pytest.raises(ValueError, match="no matrix form"):
        kernel("sigmoid")


@pytest.mark.parametrize("name", MATRIX_MODELS)
def test_standalone_module_imports_only_numpy_and_matches_the_kernel(name, tmp_path):
    path = write_kernel_module(name, tmp_path / f"{name.replace('-', '_')}_grad.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == ({"numpy", "scipy.special"} if name == "probit" else {"numpy"})  # Φ is SciPy's
    assert "$" in ast.get_docstring(tree) and r"\theta" in ast.get_docstring(tree)  # the formulas, in LaTeX
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    k, kw = kernel(name), PARAMS.get(name, {})
    theta, X, y = data(seed=10)
    for entry in ("cost", "grad", "hessian"):
        assert r"\theta" in getattr(module, entry).__doc__
        np.testing.assert_array_equal(getattr(module, entry)(theta, X, y, **kw), getattr(k, entry)(theta, X, y, **kw))
    assert kernel_source(name) == k.source


# --- real data: L-BFGS-B with our value_and_grad reproduces scikit-learn ------------------------


def test_lbfgs_on_breast_cancer_matches_sklearn_logistic_regression():
    pytest.importorskip("sklearn")
    from scipy.optimize import minimize
    from sklearn.datasets import load_breast_cancer
    from sklearn.linear_model import LogisticRegression

    features, labels = load_breast_cancer(return_X_y=True)
    features = (features - features.mean(axis=0)) / features.std(axis=0)
    X = np.column_stack([np.ones(len(labels)), features])
    y = labels.astype(float)
    lam = 1.0
    # Ours: (1/m)·Σ loss + (λ/2m)·‖θ_{1:}‖².  sklearn: C·Σ loss + ½‖w‖², intercept free.  Same minimiser at C = 1/λ.
    k = kernel("logistic-l2")
    result = minimize(
        lambda t: k.value_and_grad(t, X, y, lam=lam),
        np.zeros(X.shape[1]),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 20_000, "maxcor": 30, "ftol": 1e-15, "gtol": 1e-11},
    )
    assert np.abs(result.jac).max() < 1e-8, result.message
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        model = LogisticRegression(C=1.0 / lam, tol=1e-12, max_iter=50_000).fit(features, labels)
    sklearn_theta = np.r_[model.intercept_, model.coef_.ravel()]
    np.testing.assert_allclose(result.x, sklearn_theta, rtol=1e-4)


# --- models over a weight matrix W: softmax, softmax-l2, the multiclass SVM ----------------------

CLASS_NAMES = ("softmax", "softmax-l2", "svm-multiclass")


def _class_problem(seed=0, m=7, p=3, classes=4, scale=1.0):
    rng = np.random.default_rng(seed)
    X = np.c_[np.ones(m), rng.normal(size=(m, p - 1))]
    W = rng.normal(size=(p, classes)) * scale
    labels = rng.permutation(np.arange(m) % classes)
    return W, X, labels


@pytest.mark.parametrize("name", CLASS_NAMES)
def test_class_kernels_match_the_oracle_on_its_datasets_and_central_differences(name):
    from derivation.oracle.datasets import Evaluator, make_datasets

    k = kernel(name)
    model = k.model
    for d in make_datasets(model)[:3]:
        params = {"lam": d.lam} if name == "softmax-l2" else {}
        oracle = Evaluator(d)
        assert np.allclose(k.grad(d.W, d.X, d.Y, **params), oracle.value(model.matrix_gradient), rtol=1e-12)
        assert np.isclose(k.cost(d.W, d.X, d.y, **params), oracle.value(model.matrix_cost).item(), rtol=1e-12)
        numeric, h = np.zeros_like(d.W), 1e-6
        for index in np.ndindex(d.W.shape):
            step = np.zeros_like(d.W)
            step[index] = h
            numeric[index] = (k.cost(d.W + step, d.X, d.y, **params) - k.cost(d.W - step, d.X, d.y, **params)) / (2 * h)
        assert np.allclose(k.grad(d.W, d.X, d.y, **params), numeric, atol=1e-7)


def test_class_kernels_accept_one_hot_or_integer_labels_and_refuse_other_shapes():
    k = kernel("softmax")
    W, X, labels = _class_problem()
    cost, grad = k.value_and_grad(W, X, np.eye(4)[labels])
    assert np.isclose(cost, k.cost(W, X, labels)) and np.array_equal(grad, k.grad(W, X, labels))
    with pytest.raises(ValueError, match=r"coef_\.T"):
        k.grad(W.T, X, labels)
    with pytest.raises(ValueError, match=r"0\.\.3"):
        k.grad(W, X, labels + 1)
    with pytest.raises(ValueError, match="one-hot"):
        k.grad(W, X, np.eye(3)[labels % 3])


def test_softmax_l2_gradient_vanishes_at_scikit_learns_optimum():
    from sklearn.linear_model import LogisticRegression

    W, X, labels = _class_problem(seed=5, m=60, p=4, classes=3)
    labels = np.argmax(X @ W + np.random.default_rng(6).gumbel(size=(60, 3)), axis=1)  # drawn from the model
    lam = 0.5  # J = (1/m)ΣCE + (λ/2m)‖W‖² is (λ/m)·[½‖W‖² + (1/λ)ΣCE]: scikit-learn's objective with C = 1/λ
    fit = LogisticRegression(C=1 / lam, fit_intercept=False, tol=1e-12, max_iter=10_000).fit(X, labels)
    W = fit.coef_.T  # coef_ is (K, n+1)
    k = kernel("softmax-l2")
    assert np.max(np.abs(k.grad(W, X, labels, lam=lam))) < 1e-7 < np.max(np.abs(k.grad(W * 1.01, X, labels, lam=lam)))
    assert np.max(np.abs(k.grad(W, X, labels, lam=2 * lam))) > 1e-3  # a mismatched C would not vanish


def _mp_classes(name, W, X, labels, lam=0.0):  # noqa: N803 - W and X as in the formulas
    """Cost and ∂J/∂W in mpmath at 50 digits, written from the textbook (not from our forms)."""
    m, K = X.shape[0], W.shape[1]
    Z = [
        [mpmath.fsum(mpmath.mpf(X[i, r]) * mpmath.mpf(W[r, c]) for r in range(W.shape[0])) for c in range(K)]
        for i in range(m)
    ]
    cost, G = mpmath.mpf(0), [[mpmath.mpf(0)] * K for _ in range(m)]
    for i in range(m):
        if name == "svm-multiclass":
            for c in range(K):
                u = Z[i][c] - Z[i][labels[i]] + 1
                if c != labels[i] and u > 0:
                    cost += u
                    G[i][c] += 1
                    G[i][labels[i]] -= 1
        else:
            lse = mpmath.log(mpmath.fsum(mpmath.exp(z) for z in Z[i]))
            cost -= Z[i][labels[i]] - lse
            for c in range(K):
                G[i][c] = mpmath.exp(Z[i][c] - lse) - (1 if c == labels[i] else 0)
    cost = cost / m + mpmath.mpf(lam) / (2 * m) * mpmath.fsum(mpmath.mpf(w) ** 2 for w in W.ravel())
    grad = np.array(
        [
            [
                float(
                    mpmath.fsum(mpmath.mpf(X[i, r]) * G[i][c] for i in range(m)) / m
                    + mpmath.mpf(lam) / m * mpmath.mpf(W[r, c])
                )
                for c in range(K)
            ]
            for r in range(W.shape[0])
        ]
    )
    return float(cost), grad


@pytest.mark.parametrize("name", CLASS_NAMES)
def test_class_kernels_agree_with_mpmath_at_scores_up_to_1000_without_warnings(name):
    k = kernel(name)
    lam = {"lam": 0.7} if name == "softmax-l2" else {}
    W, X, labels = _class_problem(seed=3)
    W = W * (1000.0 / np.max(np.abs(X @ W)))  # the largest score is ±1000
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost, grad = k.value_and_grad(W, X, labels, **lam)
    with mpmath.workdps(50):
        expected_cost, expected_grad = _mp_classes(name, W, X, labels, lam.get("lam", 0.0))
    assert np.isfinite(cost) and np.all(np.isfinite(grad))
    assert abs(cost - expected_cost) <= 1e-12 * max(1.0, abs(expected_cost))
    assert np.max(np.abs(grad - expected_grad)) <= 1e-12 * max(1.0, np.max(np.abs(expected_grad)))


def test_class_kernel_module_is_standalone(tmp_path):
    target = write_kernel_module("softmax", tmp_path / "softmax_kernel.py")
    spec = importlib.util.spec_from_file_location("softmax_kernel", target)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    W, X, labels = _class_problem()
    assert np.array_equal(module.grad(W, X, labels), kernel("softmax").grad(W, X, labels))
    assert {"cost", "grad", "cost_and_grad"} <= set(vars(module))
    imports = [n for n in ast.walk(ast.parse(target.read_text())) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert [a.name for n in imports for a in n.names] == ["numpy"]


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_spans_run_with_blas_at_one_thread_and_put_its_count_back():
    from derivation.kernels.threads import ThreadedRows

    before, seen = _blas_threads(), []

    def rows(theta, X, y, start, stop, serial=False):  # noqa: N803
        seen.append((start, stop, _blas_threads()))
        return (X[start:stop].T @ y[start:stop],)

    X, y = np.arange(14.0).reshape(7, 2), np.ones(7)
    (total,) = ThreadedRows(2).collect(rows, (None, X, y))
    np.testing.assert_array_equal(total, X.sum(axis=0))
    assert sorted(s[:2] for s in seen) == [(0, 3), (3, 7)]
    assert all(threads == [1] * len(before) for *_, threads in seen)
    assert _blas_threads() == before


def test_concurrent_kernel_calls_put_the_blas_thread_count_back(monkeypatch):
    # the first of overlapping calls saves the count and the last one restores it (not one call's view of it)
    from concurrent.futures import ThreadPoolExecutor

    before = _blas_threads()
    k = kernel_from_model(get_model("logistic"), workers=2)
    theta, X, y = data(m=40_000, p=16, seed=11)
    monkeypatch.setattr(kernels_module, "BUSY_THREADED_BYTES", 1 << 20)  # 5 MB of X: spans, as on a busy machine
    monkeypatch.setattr(kernels_module, "machine_busy", lambda cpus=None: True)
    want = kernel_from_model(get_model("logistic"), workers=1).grad(theta, X, y)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: k.grad(theta, X, y), range(12)))
    for got in results:
        np.testing.assert_allclose(got, want, rtol=1e-12)
    assert _blas_threads() == before


def test_a_busy_machine_is_one_whose_load_exceeds_its_cpus(monkeypatch):
    from derivation.kernels import threads

    monkeypatch.setattr(threads.os, "getloadavg", lambda: (3.2, 0.0, 0.0))
    assert threads.machine_busy(2) and not threads.machine_busy(4)
    monkeypatch.setattr(threads.os, "getloadavg", lambda: (1.9, 0.0, 0.0))  # a call's own two threads
    assert not threads.machine_busy(2)
