"""Generated kernels and derivation.fit on Dask arrays, on a dask.distributed LocalCluster this module starts.

The oracle is the same kernel on the NumPy array (itself tested against scikit-learn, SciPy and finite
differences in test_kernels.py) and scikit-learn's LogisticRegression for the optimum of fit().

The cluster runs its two workers as threads of this process (processes=False): it starts in ~0.1 s where two
worker processes took ~3 s to spawn, ~7 s for their first task (each imports NumPy, SciPy, SymPy and the kernel)
and ~2 s to close on a loaded two-core machine, and it cannot leave processes behind in CI.  What a worker
process would receive is still checked: the client pickles every graph for the scheduler, workers in-process
or not (an unpicklable task fails here too).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

distributed = pytest.importorskip(
    "dask.distributed", reason="dask[array,distributed] is not installed (pip install 'derivation[dask]')"
)
import dask  # noqa: E402 - after the skip
import dask.array as da  # noqa: E402

import derivation  # noqa: E402
from derivation.core.catalog import CATALOG  # noqa: E402
from derivation.kernels import kernel  # noqa: E402
from derivation.kernels.distributed import DaskRows  # noqa: E402
from derivation.models import MODELS  # noqa: E402

M, P = 1003, 5  # 1003 rows: every chunking below leaves an uneven last chunk
ENTRIES = ("cost", "grad", "value_and_grad", "hessian")


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _data(dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    X = np.c_[np.ones(M), rng.normal(size=(M, P - 1))].astype(dtype)
    theta = rng.normal(size=P) * 0.5
    y = (rng.random(M) < 1 / (1 + np.exp(-X.astype(np.float64) @ theta))).astype(dtype)  # not separable
    return X, y, rng.normal(size=P) * 0.3


def _close(ours, expected, rtol):
    ours = ours if isinstance(ours, tuple) else (ours,)
    expected = expected if isinstance(expected, tuple) else (expected,)
    for a, b in zip(ours, expected, strict=True):
        assert type(a) is type(b)
        assert np.shape(a) == np.shape(b) and np.asarray(a).dtype == np.asarray(b).dtype
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol)


@pytest.mark.parametrize(
    "x_chunks, y_chunks",
    [
        ((100, -1), (100,)),  # aligned, 11 chunks, the last of 3 rows
        ((25, -1), (500,)),  # 41 chunks: a two-level tree of sums (8 at a time); y rechunked to X's rows
        ((250, 2), None),  # columns in chunks too; y a NumPy array
        ((M, -1), (M,)),  # one chunk
    ],
)
def test_every_entry_matches_numpy(client, x_chunks, y_chunks):
    X, y, theta = _data()
    theta = theta.reshape(-1, 1) if x_chunks[0] == 100 else theta  # theta as a column once
    dX = da.from_array(X, chunks=x_chunks)
    dy = y if y_chunks is None else da.from_array(y, chunks=y_chunks)
    k = kernel("logistic-l2")
    for entry in ENTRIES if x_chunks[0] != 25 else ("value_and_grad",):  # the tree once: every entry sums alike
        _close(getattr(k, entry)(theta, dX, dy, lam=0.3), getattr(k, entry)(theta, X, y, lam=0.3), 1e-10)


def test_y_as_a_column_and_integer_X(client):
    X, y, theta = _data()
    Xi = np.rint(X * 3).astype(np.int64)  # converted to float64 on the workers, as _prepare does for NumPy X
    k = kernel("linear")
    dX, dy = da.from_array(Xi, chunks=(64, -1)), da.from_array(y.reshape(-1, 1), chunks=(300, 1))
    _close(k.value_and_grad(theta, dX, dy), k.value_and_grad(theta, Xi, y.reshape(-1, 1)), 1e-10)


# The catalog's light entries name the models with a matrix form (building all 18 models to ask took each xdist
# worker ~1.3 s at collection); the test checks the built model is what the entry says.
@pytest.mark.parametrize("name", sorted(n for n, e in CATALOG.items() if e.matrix and e.labels != "onehot"))
def test_every_catalog_model(name):
    """Every model's finishing code reads only X's shape and dtype (the stand-ins are NaN): same numbers as NumPy.

    On Dask's synchronous scheduler: what is summed does not depend on where (the cluster tests above), and a
    cluster's ~0.1 s per graph times 60 graphs is not worth it here.
    """
    model = MODELS[name]
    assert model.matrix_cost is not None and getattr(model, "labels", None) != "onehot"
    X, y, theta = _data(seed=1)
    k = kernel(name)
    dX, dy = da.from_array(X, chunks=(128, -1)), da.from_array(y, chunks=(128,))
    with dask.config.set(scheduler="synchronous"):
        for entry in ENTRIES[:3] + (("hessian",) if "hessian" in k.namespace else ()):
            _close(getattr(k, entry)(theta, dX, dy), getattr(k, entry)(theta, X, y), 1e-10)


def test_float32_stays_float32(client):
    X, y, theta = _data(np.float32)
    k = kernel("logistic")
    dX, dy = da.from_array(X, chunks=(90, -1)), da.from_array(y, chunks=(90,))
    cost, grad = k.value_and_grad(theta, dX, dy)
    assert grad.dtype == np.float32
    # float32 arithmetic in other blocks than NumPy's, float64 sums: float32 rounding, not more
    _close((cost, grad), k.value_and_grad(theta, X, y), 1e-5)
    exact = k.value_and_grad(theta, X.astype(np.float64), y.astype(np.float64))
    np.testing.assert_allclose(grad, exact[1], rtol=1e-5, atol=1e-6)
    assert abs(cost - exact[0]) < 1e-6


class _Guarded:
    """An array that hands out row slices of at most `rows` rows and refuses to become one NumPy array."""

    def __init__(self, data: np.ndarray, rows: int):
        self.data, self.rows = data, rows
        self.shape, self.dtype, self.ndim = data.shape, data.dtype, data.ndim

    def __getitem__(self, index):
        span = index[0] if isinstance(index, tuple) else index
        lo, hi, _ = span.indices(self.shape[0])
        if hi - lo > self.rows:
            raise AssertionError(f"rows {lo}:{hi} requested at once: X is being gathered")
        return self.data[index]

    def __array__(self, *args, **kwargs):
        raise AssertionError("np.asarray of the whole X")


def test_X_is_never_materialised(client, monkeypatch):
    X, y, theta = _data()
    dX = da.from_array(_Guarded(X, 100), chunks=(100, -1), asarray=False)
    dy = da.from_array(y, chunks=(100,))

    def refuse(*args, **kwargs):
        raise AssertionError("the dask array X was turned into one NumPy array")

    monkeypatch.setattr(da.Array, "__array__", refuse)
    monkeypatch.setattr(da.Array, "compute", refuse)
    k = kernel("logistic")
    _close(k.value_and_grad(theta, dX, dy), k.value_and_grad(theta, X, y), 1e-10)
    assert derivation.fit(k, dX, dy, max_iter=3).evaluations >= 3


def test_one_task_per_row_chunk_and_no_rechunking(client):
    X, y, theta = _data()
    k = kernel("logistic")
    for chunks in [(100, -1), (100, 2)]:  # column pieces are joined inside each row chunk's task
        dX = da.from_array(X, chunks=chunks)
        rows = DaskRows(k.source, dX, da.from_array(y, chunks=(100,)))
        parts = rows.partials(k.namespace["_grad_rows"], (theta, rows.X, rows.y), P)
        assert parts.numblocks == (dX.numblocks[0], 1) and parts.shape == (dX.numblocks[0], P)
        assert not [name for name in parts.dask.layers if "rechunk" in name]
        np.testing.assert_allclose(parts.compute().sum(axis=0), X.T @ (1 / (1 + np.exp(-X @ theta)) - y), rtol=1e-12)


def test_errors_are_the_numpy_ones(client):
    X, y, theta = _data()
    k = kernel("logistic")
    dX = da.from_array(X, chunks=(100, -1))
    with pytest.raises(ValueError, match=r"y has shape \(1002,\) but X has shape \(1003, 5\)"):
        k.grad(theta, dX, da.from_array(y[:-1], chunks=100))
    with pytest.raises(ValueError, match=r"theta has shape \(4,\)"):
        k.grad(theta[:4], dX, y)
    with pytest.raises(ValueError, match="unknown chunk sizes"):
        k.grad(theta, dX[dX[:, 1] > 0], y)
    with pytest.raises(ValueError, match=r"W has shape \(4, 3\) but X has shape \(1003, 5\)"):
        kernel("softmax").cost(np.zeros((P - 1, 3)), dX, y.astype(int))
    with pytest.raises(ValueError, match=r"integer labels must lie in 0\.\.2"):
        kernel("softmax").cost(np.zeros((P, 3)), dX, y.astype(int) + 2)


def _classes_data(seed=3, K=3):  # noqa: N803
    rng = np.random.default_rng(seed)
    X = np.c_[np.ones(M), rng.normal(size=(M, P - 1))]
    W = rng.normal(size=(P, K)) * 0.5
    labels = np.argmax(X @ W + rng.gumbel(size=(M, K)), axis=1)  # drawn from the softmax model
    return W, X, labels


@pytest.mark.parametrize("name", ["softmax", "softmax-l2", "svm-multiclass"])
def test_models_over_w_match_numpy(name):
    """Each row chunk's entry with the whole m gives its share plus the penalty; the driver removes the extra ones.

    Chunkings with an uneven last chunk, column chunks, a two-level tree (41 chunks); labels as integers or
    one-hot, NumPy or dask, chunked unlike X.  Synchronous scheduler: the cluster test below runs one on workers.
    """
    W, X, labels = _classes_data()
    params = {"lam": 0.7} if name == "softmax-l2" else {}
    k = kernel(name)
    onehot = np.eye(W.shape[1])[labels]
    cases = [
        ((100, -1), labels),
        ((25, -1), da.from_array(labels, chunks=300)),
        ((250, 2), da.from_array(onehot, chunks=(77, 2))),
        ((M, -1), onehot),
    ]
    with dask.config.set(scheduler="synchronous"):
        for chunks, Y in cases:
            dX = da.from_array(X, chunks=chunks)
            for entry in ("cost", "grad", "cost_and_grad"):
                _close(getattr(k, entry)(W, dX, Y, **params), getattr(k, entry)(W, X, np.asarray(Y), **params), 1e-10)


def test_fit_over_w_on_the_cluster_equals_scikit_learn(client):
    """softmax-l2 trained on a dask X: its W is scikit-learn's multinomial optimum (C = 1/λ, no intercept)."""
    from sklearn.linear_model import LogisticRegression

    _, X, labels = _classes_data(seed=4)
    dX, dy = da.from_array(X, chunks=(200, -1)), da.from_array(labels, chunks=(200,))
    result = derivation.fit("softmax-l2", dX, dy, tol=1e-12, lam=0.5)
    assert result.converged and result.theta.shape == (P, 3), result.message
    reference = LogisticRegression(C=2.0, fit_intercept=False, tol=1e-12, max_iter=10_000).fit(X, labels)
    np.testing.assert_allclose(result.theta, reference.coef_.T, atol=1e-6)
    assert derivation.fit("softmax-l2", X, labels, classes=3, lam=0.5, tol=1e-12).theta.shape == (P, 3)


def test_fit_on_dask_equals_numpy_and_sklearn(client):
    from sklearn.linear_model import LogisticRegression

    X, y, _ = _data(seed=2)
    dX, dy = da.from_array(X, chunks=(150, -1)), da.from_array(y, chunks=(150,))
    on_dask = derivation.fit("logistic", dX, dy, tol=1e-12)
    on_numpy = derivation.fit("logistic", X, y, tol=1e-12)
    print(f"fit: {on_dask.iterations} iterations, {on_dask.evaluations} passes over the dask X")
    assert on_dask.converged and on_numpy.converged, (on_dask.message, on_numpy.message)
    np.testing.assert_allclose(on_dask.theta, on_numpy.theta, rtol=1e-8, atol=1e-8)
    reference = LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(on_dask.theta, reference.coef_[0], atol=1e-6)
    assert on_dask.cost <= kernel("logistic").cost(reference.coef_[0], X, y) + 1e-12
    newton = derivation.fit("logistic", dX, dy, method="Newton-CG")  # the Hessian summed on the cluster too
    assert newton.converged and newton.iterations < 10
    np.testing.assert_allclose(newton.theta, on_numpy.theta, atol=1e-6)
    # L2 on the weights but not the intercept: lam = 1 / C in scikit-learn's terms (NumPy X: fit's own code)
    l2 = derivation.fit("logistic-l2", X, y, tol=1e-12, lam=2.0)
    assert l2.converged and l2.evaluations >= l2.iterations > 3
    reference = LogisticRegression(C=0.5, tol=1e-12, max_iter=10_000).fit(X[:, 1:], y)
    np.testing.assert_allclose(l2.theta, np.r_[reference.intercept_, reference.coef_[0]], atol=1e-6)


def test_importing_derivation_does_not_import_dask():
    code = (
        "import sys, numpy as np, derivation, derivation.kernels.distributed;"
        "derivation.fit('linear', np.eye(2), np.ones(2));"
        "assert 'dask' not in sys.modules, 'dask imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
