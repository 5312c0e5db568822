"""Training with a generated kernel: SciPy's optimiser on the driver, the cost and gradient where the data is.

``fit("logistic", X, y)`` minimises the model's cost with ``scipy.optimize.minimize`` (L-BFGS-B by default),
calling the kernel's ``value_and_grad`` once per evaluation: for a NumPy X that is plain SciPy; for a
``dask.array`` X each evaluation is one pass over X on the Dask scheduler (row chunks summed on the workers,
see :mod:`derivation.kernels.distributed`), as dask-glm's ``lbfgs`` does.  θ lives on the driver; X is
never persisted or gathered (it may be larger than the cluster's memory), so every evaluation reads it once.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = np.c_[np.ones(200), rng.normal(size=(200, 2))]
>>> y = (rng.random(200) < 1 / (1 + np.exp(-X @ [0.5, 2.0, -1.0]))).astype(float)
>>> result = fit("logistic", X, y)
>>> result.converged, result.theta.shape
(True, (3,))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .kernels.runtime import Kernel, kernel

_SECOND_ORDER = {"newton-cg", "trust-ncg", "trust-krylov", "trust-exact", "dogleg"}  # minimize methods taking hess


@dataclass(frozen=True)
class FitResult:
    """The minimiser found, its cost, and how the optimiser stopped."""

    theta: np.ndarray  # (n+1,) float64; W (n+1, K) for the models over W
    cost: float
    iterations: int
    evaluations: int  # passes over X (one value_and_grad each)
    converged: bool
    message: str


def fit(
    model: str | Kernel,
    X: Any,  # noqa: N803 - X as in the formulas
    y: Any,
    *,
    method: str = "L-BFGS-B",
    theta0: Any = None,
    max_iter: int = 200,
    tol: float | None = None,
    classes: int | None = None,
    **params: float,
) -> FitResult:
    """Minimise ``model``'s cost over θ on (X, y); X a NumPy or a dask array.

    ``model`` is a catalog name (``derivation models``) or a :class:`~derivation.kernels.Kernel`; ``params``
    are the model's parameters (e.g. ``lam=0.1`` for ``logistic-l2``).  ``method`` is any gradient method
    of ``scipy.optimize.minimize`` (``L-BFGS-B``, ``BFGS``, ``CG``, ``TNC``, ...), or a Newton method
    (``Newton-CG``, ``trust-exact``, ...) for a model whose kernel has a Hessian; ``tol`` its tolerance
    (SciPy's default when None); ``theta0`` the start (zeros by default).  For the models over W (softmax,
    svm-multiclass) the result is W (n+1, K): K is ``classes``, else one-hot Y's columns or the largest label + 1.

    >>> X = np.c_[np.ones(4), [0.0, 1.0, 2.0, 3.0]]; y = np.array([1.0, 3.0, 5.0, 7.0])
    >>> fit("linear", X, y, method="trust-exact").theta.round(6)  # y = 1 + 2x: least squares in one Newton step
    array([1., 2.])
    """
    import scipy.optimize

    k = model if isinstance(model, Kernel) else kernel(model)
    if not hasattr(X, "ndim"):  # Python lists, as scikit-learn takes them (NumPy and dask arrays are kept as they are)
        X = np.asarray(X, dtype=np.float64)
    if not hasattr(y, "ndim"):
        y = np.asarray(y, dtype=np.float64)
    if getattr(X, "ndim", None) != 2:
        raise ValueError(f"X must be a 2-D array (m, n+1); got shape {getattr(X, 'shape', None)}")
    shape = (X.shape[1], _classes(y, classes)) if k.over_w else (X.shape[1],)
    start = np.zeros(shape) if theta0 is None else np.asarray(theta0, dtype=np.float64).reshape(shape)

    def value_and_grad(flat: np.ndarray) -> tuple[float, np.ndarray]:  # SciPy works on a flat vector
        cost, grad = k.value_and_grad(flat.reshape(shape), X, y, **params)
        return cost, np.asarray(grad, dtype=np.float64).ravel()  # float32 X gives float32; SciPy wants float64

    hess = None
    if method.lower() in _SECOND_ORDER and "hessian" in k.namespace:  # Newton: one more pass per iteration, few of them
        hess = lambda theta: np.asarray(k.hessian(theta, X, y, **params), dtype=np.float64)  # noqa: E731
    result = scipy.optimize.minimize(
        value_and_grad, start.ravel(), jac=True, hess=hess, method=method, tol=tol, options={"maxiter": max_iter}
    )
    return FitResult(
        theta=np.asarray(result.x, dtype=np.float64).reshape(shape),
        cost=float(result.fun),
        iterations=int(getattr(result, "nit", 0)),
        evaluations=int(result.nfev),
        converged=bool(result.success),
        message=str(result.message),
    )


def _classes(Y: Any, classes: int | None) -> int:  # noqa: N803 - Y as in the formulas
    """K: given, one-hot Y's columns, or the largest integer label + 1 (one pass over the labels of a dask Y)."""
    if classes is not None:
        return int(classes)
    if getattr(Y, "ndim", np.ndim(Y)) == 2 and Y.shape[1] > 1:
        return int(Y.shape[1])
    top = Y.max()
    return int(top.compute() if hasattr(top, "compute") else top) + 1


__all__ = ["FitResult", "fit"]
