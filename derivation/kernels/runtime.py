"""Runtime NumPy kernels generated from a model's symbolic matrix form.

``kernel("logistic")`` returns a :class:`Kernel` whose ``cost``, ``grad``,
``value_and_grad`` and ``hessian`` are compiled from source that
:mod:`derivation.kernels.codegen` prints from ``model.matrix_cost``,
``model.matrix_gradient`` and ``model.matrix_hessian``; change the symbolic
model and the kernel changes with it (:func:`kernel_from_model`).  The same
source, which imports only NumPy, is what :func:`kernel_source` returns and
:func:`write_kernel_module` writes.

Shapes: ``theta`` (n+1,) or (n+1, 1), ``X`` (m, n+1), ``y`` (m,) or (m, 1);
the gradient comes back in theta's shape, the Hessian as (n+1, n+1), the cost
as a float, and any other shape raises a ValueError naming the shapes.

Dtype: a float32 or float64 ``X`` is used as given, never copied, and the
arithmetic runs in its dtype (``theta`` and ``y`` are converted to it); any
other ``X`` (integers, booleans, float16) is converted to float64 once.  Sums
over the examples accumulate in float64 from block to block, and the cost's
sums in float64 throughout; the gradient and the Hessian come back in X's
dtype, the cost as a Python float.  A non-contiguous ``X`` is not copied either:
NumPy multiplies it in place (without BLAS when neither stride is the item size,
which is slower: ``np.ascontiguousarray(X)`` once before training, if you like).

Dask: a ``dask.array`` X (and y) is summed chunk by chunk where it lives and finished on the driver, never
gathered (:mod:`derivation.kernels.distributed`); ``derivation.fit`` trains on it.
"""

from __future__ import annotations

import functools
import inspect
import linecache
import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from ..core.models import Model
from ..models import get_model
from .codegen import python_name
from .distributed import DaskRows, is_dask_array, over_w_chunks
from .source import _ENTRY_POINTS, _PRELUDE, _entries, module_source  # noqa: F401 - _PRELUDE: read by tests
from .threads import ThreadedRows, machine_busy, usable_cpus

# On a quiet machine one thread with BLAS's threads in each call: one span of rows per CPU, BLAS held at one
# thread (kernels/threads.py), tied at best (1M x 20, medians of interleaved calls: float64 15.1 against 15.3 ms,
# float32 8.0 / 8.2) and lost below 64 MiB (100k x 50 float64 6.4 / 4.6 ms, 20k x 200 5.9 / 4.0: short element-wise
# calls on two threads wait for the GIL in turn) and for wide rows interleaved with other code's BLAS calls, whose
# threads spin on for a while (200k x 500 0.77-0.90x hand's speed).  On a busy machine (machine_busy) each BLAS
# call with threads waits for its cores: at load 12, 100k x 50 float64 took 351 ms with BLAS's threads, 18 ms with
# BLAS held at one thread, 18 ms in two spans, 46 ms hand-written; 20k x 200 float32 50 / 17 / 12 / 40 ms.
# There any X of 2 MiB or more takes the spans.
BUSY_THREADED_BYTES = 1 << 21


class Kernel:
    """Vectorised, numerically stable NumPy functions generated from ``model``.

    The sums over the examples are taken block by block, so X is read from
    memory once (the generated module's prelude has the block sizes and their
    measurements), on one thread with BLAS's own threads in each call.  While
    other work keeps the CPUs busy, ``cost``, ``grad`` and ``value_and_grad``
    over an X of 2 MiB or more split the rows into one span per usable CPU
    (``workers``, default: all of them; ``workers=1`` never does) and sum the
    spans at once, each on its own thread with BLAS held at one thread
    (:mod:`derivation.kernels.threads`): there a BLAS call with threads waits
    for its cores in every block.  ``hessian`` leaves its block matrix products
    to BLAS's threads.

    ``compiled=True`` (:func:`kernel_from_model`) runs the compiled module of :mod:`.compiled` instead: each
    sum over the examples one numba loop over row blocks, from 2^18 entries of X on one thread per CPU.

    >>> k = kernel("logistic")
    >>> X = np.array([[1.0, 2.0], [1.0, -1.0]]); y = np.array([1.0, 0.0])
    >>> round(k.cost(np.zeros(2), X, y), 6)  # log 2
    0.693147
    >>> k.grad(np.zeros((2, 1)), X, y).shape
    (2, 1)
    """

    def __init__(self, model: Model, source: str, workers: int | None = None, compiled: ModuleType | None = None):
        self.model = model
        self.source = source  # the NumPy module (what Dask's workers run)
        self.parameters = tuple(python_name(p) for p in model.parameters)
        self.workers = usable_cpus() if workers is None else workers
        self.over_w = getattr(model, "labels", None) == "onehot"  # W (n+1, K): straight-line kernels, no mapper
        self.compiled = compiled is not None  # numba's loops over rows (kernels/compiled.py) where a sum has one
        self._threads: ThreadedRows | None = None
        if compiled is not None:
            self.namespace = vars(compiled)
            return
        filename = f"<derivation kernel {model.name}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        namespace: dict[str, Any] = {"__name__": f"derivation_kernel_{model.name.replace('-', '_')}"}
        exec(compile(source, filename, "exec"), namespace)  # our generated code only; no user input
        self.namespace = namespace

    def __repr__(self) -> str:
        compiled = " (compiled)" if self.compiled else ""
        return f"<Kernel {self.model.name!r}{compiled}: {', '.join(_entries(self.model))}>"

    def _mapper(self, X: Any) -> ThreadedRows | None:  # noqa: N803 - X as in the formulas
        """One span of rows per thread for an X of BUSY_THREADED_BYTES or more on a busy machine; else one thread,
        BLAS's threads in each call."""
        if self.workers < 2 or not isinstance(X, np.ndarray) or X.ndim != 2 or X.nbytes < BUSY_THREADED_BYTES:
            return None
        if not machine_busy(self.workers):
            return None
        if self._threads is None:
            self._threads = ThreadedRows(self.workers)
        return self._threads

    def _call(self, entry: str, theta: Any, X: Any, y: Any, params: dict[str, float]) -> Any:  # noqa: N803 - X as in the formulas
        function = self.namespace.get(entry)
        if function is None:
            raise ValueError(f"model {self.model.name!r} has no matrix_hessian, so its kernel has no {entry}")
        if is_dask_array(X):
            return self._call_dask(entry, function, theta, X, y, params)
        if self.compiled or self.workers < 2 or entry == "hessian" or self.over_w:
            return function(theta, X, y, **params)  # compiled loops take their own threads; Hessian, W: BLAS's
        return function(theta, X, y, mapper=self._mapper(X), **params)

    def _call_dask(self, entry: str, function: Callable, theta: Any, X: Any, y: Any, params: dict[str, float]) -> Any:  # noqa: N803
        """The entry with the row sums taken chunk by chunk on the Dask scheduler (see kernels/distributed.py)."""
        if self.over_w:
            return over_w_chunks(self.source, entry, theta, X, y, params)
        if "mapper" not in inspect.signature(function).parameters:
            raise ValueError(
                f"the {entry} of {self.model.name!r} is straight-line NumPy without row sums and takes NumPy arrays "
                "only, not a dask array: pass X.compute() if it fits in memory"
            )
        rows = DaskRows(self.source, X, y)
        return function(theta, rows.X, rows.y, mapper=rows, **params)

    def cost(self, theta: Any, X: Any, y: Any, **params: float) -> float:  # noqa: N803 - X as in the formulas
        """J(θ) as a float."""
        return self._call("cost", theta, X, y, params)

    def grad(self, theta: Any, X: Any, y: Any, **params: float) -> np.ndarray:  # noqa: N803 - X as in the formulas
        """∇J(θ) in theta's shape."""
        return self._call("grad", theta, X, y, params)

    def value_and_grad(self, theta: Any, X: Any, y: Any, **params: float) -> tuple[float, np.ndarray]:  # noqa: N803 - X as in the formulas
        """(J(θ), ∇J(θ)) from one pass over X: what scipy.optimize.minimize(jac=True) wants."""
        return self._call("value_and_grad", theta, X, y, params)

    cost_and_grad = value_and_grad  # the name of the W kernels' module function

    def hessian(self, theta: Any, X: Any, y: Any, **params: float) -> np.ndarray:  # noqa: N803 - X as in the formulas
        """∇²J(θ) as an (n+1) × (n+1) array."""
        return self._call("hessian", theta, X, y, params)


def kernel_from_model(model: Model, workers: int | None = None, compiled: bool = False) -> Kernel:
    """Generate and compile the kernel of any :class:`~derivation.core.models.Model` with a matrix form.

    ``compiled=True`` takes each sum over the examples as one numba loop over rows where it has one
    (:mod:`derivation.kernels.compiled`; needs ``pip install "derivation[fast]"``); the rest stays NumPy.

    >>> import dataclasses
    >>> base = get_model("linear")
    >>> doubled = dataclasses.replace(base, matrix_gradient=2 * base.matrix_gradient)
    >>> X = np.eye(2); y = np.zeros(2); theta = np.ones(2)
    >>> kernel_from_model(doubled).grad(theta, X, y) / kernel_from_model(base).grad(theta, X, y)
    array([2., 2.])
    """
    if compiled:
        from .compiled import load_compiled

        return Kernel(model, module_source(model), workers, compiled=load_compiled(model))
    return Kernel(model, module_source(model), workers)


@functools.cache
def kernel(name: str, compiled: bool = False) -> Kernel:
    """The kernel of catalog model ``name`` (generated once, then cached); ``compiled``: see :func:`kernel_from_model`.

    >>> k = kernel("logistic-l2")
    >>> k.parameters
    ('lam',)
    >>> kernel("sigmoid")
    Traceback (most recent call last):
    ...
    ValueError: model 'sigmoid' has no matrix form (matrix_cost / matrix_gradient), ...
    """
    return kernel_from_model(get_model(name), compiled=compiled)


def kernel_source(name: str | Model, compiled: bool = False) -> str:
    """The standalone module (imports only NumPy) for catalog model ``name`` (or any :class:`Model`); with
    ``compiled``, the same module with numba's loops over rows (:mod:`derivation.kernels.compiled`).

    >>> print(kernel_source("logistic").splitlines()[0])
    r\"\"\"NumPy kernels for logistic regression, generated by `derivation` from its matrix form.
    """
    model = name if isinstance(name, Model) else get_model(name)
    if compiled:
        from .compiled import compiled_source

        return compiled_source(model)
    return module_source(model)


def write_kernel_module(name: str, path: str | os.PathLike[str]) -> Path:
    """Write :func:`kernel_source` of ``name`` to ``path``; return the path.

    >>> import tempfile, importlib.util
    >>> target = Path(tempfile.mkdtemp()) / "linear_grad.py"
    >>> _ = write_kernel_module("linear", target)
    >>> spec = importlib.util.spec_from_file_location("linear_grad", target)
    >>> module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
    >>> module.grad(np.zeros(2), np.eye(2), np.ones(2))
    array([-0.5, -0.5])
    """
    target = Path(path)
    target.write_text(kernel_source(name), encoding="utf-8")
    return target


__all__ = [
    "Kernel",
    "kernel",
    "kernel_from_model",
    "kernel_source",
    "module_source",
    "write_kernel_module",
]
