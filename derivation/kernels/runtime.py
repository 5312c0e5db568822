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
from ..models import MODELS, get_model
from .classes import class_module_source
from .codegen import generate_function, matrix_latex, python_name
from .distributed import DaskRows, is_dask_array, over_w_chunks
from .threads import ThreadedRows, machine_busy, usable_cpus

# Model-independent helpers every generated module carries (shape checks, row blocks, chunking).
_PRELUDE = '''
# Strategy by size, from medians of interleaved calls against hand-written X.T @ (expit(X @ theta) - y) / m
# (2 vCPUs, 32 MiB last-level cache, OpenBLAS 0.3.31, NumPy 2.4; ratios are hand's time over ours).
# Matrix-vector products are np.dot where X is contiguous (_mv): NumPy's @ keeps the GIL unless its result has
# more than 500 entries (X_b.T @ r over 20 columns, X_b @ theta over a block of 262 rows), so two threads of
# blocks took turns instead of running side by side; np.dot lets go of it around every BLAS call.
# - Narrow rows (under 512 bytes): fused row blocks on one thread, BLAS's own threads in each call; the
#   element-wise work stays in cache and X is read once.  Blocks of 4 MiB and at most 12288 rows: the best
#   block was ~10-13k rows whatever the width (1M x 20: 13k rows 1.8-1.95x in float64 against 1.8x for
#   26k; 100k x 50: 10k rows 1.3-1.5x against 1.2x for 5k), as z and the element-wise arrays stay in the cache.
#   Two Python threads over chunks of rows, BLAS's own threads in each call, lost to this (1M x 20 float64
#   1.5-1.8x against 1.8-2.5x): two threads calling a 2-thread BLAS at once wait for each other.  On a busy
#   machine derivation's Kernel runs one span of rows per CPU with BLAS held at one thread (kernels/threads.py);
#   this module alone takes the rows on one thread.
# - Wide rows: one thread, BLAS's own threads in each call.  X up to 64 MiB (about twice the last-level cache)
#   takes the plain form, as hand-written code does: blocks lost 3-14% there (20k x 200, 10k x 500, 5k x 1000).
#   Beyond, blocks of 4 MiB: X @ theta reads a block from memory and X.T @ r reads it again from the cache
#   (200k x 500: 1.4-1.5x, or 1.0-1.1x in processes where the second read misses the cache; 100k x 1000:
#   1.1-1.3x, 40k x 200: 1.2-1.4x, 10k x 4000: 1.03-1.06x).  Blocks of
#   1-2 MiB lost: OpenBLAS runs a matrix-vector product of fewer than ~2^18-2^19 entries on one thread (one
#   pass over 200k x 500 in 1 MiB blocks took 54 ms, in 4 MiB blocks 27 ms).  Blocks on a pool of two threads
#   lost to hand-written code when BLAS's threads were still spinning from a previous call (0.76-0.96x).
BLOCK_BYTES = 1 << 20  # rows per block in a pool's chunk: ~1 MiB of X, read from memory once
SERIAL_BLOCK_BYTES = 1 << 22  # one thread over all rows: 4 MiB blocks, BLAS threads each call (fewer, longer calls)
NARROW_BLOCK_ROWS = 12288  # ... and at most this many rows of narrow X: a block's element-wise arrays stay in cache
GEMM_BLOCK_BYTES = 1 << 23  # rows per block for X^T diag(w) X, a matrix product that wants long blocks
CHUNK_BYTES = 1 << 23  # rows per task when a mapper runs chunks in parallel
WIDE_ROW_BYTES = 512  # rows this wide (64 float64 / 128 float32 columns): one thread, BLAS threads in each call
WIDE_BLOCKED_BYTES = 1 << 26  # wide rows in X this big (64 MiB, twice the last-level cache) take 4 MiB blocks


def _prepare(theta, X, y):
    """X as given if float32 or float64 (never copied), else as float64; theta and y in X's dtype, flattened.

    Every shape is checked against X (never broadcast).  Arrays already in X's dtype pass through untouched (each
    np.asarray costs ~0.3 µs, and a small X's whole gradient ~20 µs).
    """
    if type(X) is not np.ndarray or (X.dtype != np.float32 and X.dtype != np.float64):
        X = np.asarray(X)
        if X.dtype != np.float32 and X.dtype != np.float64:
            X = X.astype(np.float64)  # integers, booleans, float16, ...: one copy, in float64
    if type(theta) is not np.ndarray or theta.dtype != X.dtype:
        theta = np.asarray(theta, dtype=X.dtype)
    if type(y) is not np.ndarray or y.dtype != X.dtype:
        y = np.asarray(y, dtype=X.dtype)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must be a non-empty 2-D array (m, n+1); got shape {X.shape}")
    m, p = X.shape
    if theta.shape != (p,) and theta.shape != (p, 1):
        raise ValueError(f"theta has shape {theta.shape} but X has shape {X.shape}: expected ({p},) or ({p}, 1)")
    if y.shape != (m,) and y.shape != (m, 1):
        raise ValueError(f"y has shape {y.shape} but X has shape {X.shape}: expected ({m},) or ({m}, 1)")
    column = theta.ndim == 2
    return (theta.reshape(p) if column else theta), X, (y.reshape(m) if y.ndim == 2 else y), column


def _shaped(g, column, dtype):
    """An array result in X's dtype; a gradient as (n+1, 1) if theta was a column."""
    g = np.asarray(g, dtype=dtype)
    return g.reshape(-1, 1) if column else g


def _dot(a, b):
    """The sum of a * b over the examples, in float64 (float32 dot products lose digits over many rows)."""
    if a.dtype == np.float64 and b.dtype == np.float64:
        return a @ b
    return np.sum(a * b, dtype=np.float64)


def _mv(a, b):
    """a @ b for a matrix and a vector: np.dot when both are contiguous (it lets go of the GIL around BLAS, which
    @ does only for results of more than 500 entries), else @ (np.dot would copy a strided block of X)."""
    if a.flags.forc and b.flags.forc:  # C or Fortran order: one flag each
        return np.dot(a, b)
    return a @ b


_SIGN_BITS = {  # a float dtype: the unsigned integer of its width, and its sign bit
    np.dtype(np.float32): (np.uint32, np.uint32(1 << 31)),
    np.dtype(np.float64): (np.uint64, np.uint64(1 << 63)),
}


def _copysign(a, b, out=None):
    """np.copysign(a, b) for a >= 0 (its sign bit clear); in float32, b's sign bit OR-ed into a's bits.

    np.copysign has no SIMD loop for float32 (12288 entries: 9.3 µs against 4.8 µs); in float64 it is as fast.
    """
    if a.dtype != np.float32 or b.dtype != np.float32 or a.shape != b.shape:
        return np.copysign(a, b, out=out)
    if out is None:
        out = np.empty_like(a)
    if not (a.flags.c_contiguous and b.flags.c_contiguous and out.flags.c_contiguous):
        return np.copysign(a, b, out=out)
    bits, sign = _SIGN_BITS[a.dtype]
    np.bitwise_or(a.view(bits), np.bitwise_and(b.view(bits), sign), out=out.view(bits))
    return out


def _neg_abs(u):
    """−|u| as a new array: u's sign bit set, one pass over u (np.abs then np.negative is two)."""
    found = _SIGN_BITS.get(u.dtype)
    if found is None or not u.flags.c_contiguous:
        return np.negative(np.abs(u))
    bits, sign = found
    return np.bitwise_or(u.view(bits), sign).view(u.dtype)


def _serial_budget(X):
    """Bytes of X per block when one thread goes over all the rows (narrow rows: at most NARROW_BLOCK_ROWS)."""
    row = X.shape[1] * X.itemsize
    return SERIAL_BLOCK_BYTES if row >= WIDE_ROW_BYTES else min(SERIAL_BLOCK_BYTES, NARROW_BLOCK_ROWS * row)


def _block_rows(X, budget, serial=False):
    """Rows per block: about budget bytes of X, or all of them (the plain two-BLAS-call form) for wide rows,
    unless one thread goes over an X well beyond the last-level cache (then blocks: X is read from memory once)."""
    m, p = X.shape
    row = p * X.itemsize
    if row >= WIDE_ROW_BYTES and not (serial and X.nbytes >= WIDE_BLOCKED_BYTES):
        return m
    return max(1, budget // row)


def _collect(rows, args, mapper):
    """Sums of rows(*args, start, stop) over all rows; chunks go through mapper when given.

    A mapper with a collect method (derivation's collector for Dask arrays) takes the whole sum over.
    """
    X = args[1]
    m = X.shape[0]
    if mapper is None:
        return rows(*args, 0, m, serial=True)
    if hasattr(mapper, "collect"):
        return mapper.collect(rows, args)
    step = _block_rows(X, CHUNK_BYTES)
    if m <= step:
        return rows(*args, 0, m, serial=True)
    spans = [(lo, min(lo + step, m)) for lo in range(0, m, step)]
    parts = list(mapper(lambda span: rows(*args, *span), spans))
    return tuple(sum(values) for values in zip(*parts))
'''

_ENTRY_POINTS = {  # name: (model attributes, return conventions, what it returns)
    "cost": (("matrix_cost",), ("cost",), "The cost (a float)"),
    "grad": (("matrix_gradient",), ("grad",), "The gradient (in theta's shape)"),
    "value_and_grad": (
        ("matrix_cost", "matrix_gradient"),
        ("cost", "grad"),
        "The cost and the gradient, from one pass over X",
    ),
    "hessian": (("matrix_hessian",), ("hessian",), "The Hessian ((n+1) × (n+1))"),
}
_FORMULA_NAMES = {
    "matrix_cost": r"J(\theta)",
    "matrix_gradient": r"\nabla_\theta J(\theta)",
    "matrix_hessian": r"\nabla^2_\theta J(\theta)",
}

# On a quiet machine one thread with BLAS's threads in each call: one span of rows per CPU, BLAS held at one
# thread (kernels/threads.py), tied at best (1M x 20, medians of interleaved calls: float64 15.1 against 15.3 ms,
# float32 8.0 / 8.2) and lost below 64 MiB (100k x 50 float64 6.4 / 4.6 ms, 20k x 200 5.9 / 4.0: short element-wise
# calls on two threads wait for the GIL in turn) and for wide rows interleaved with other code's BLAS calls, whose
# threads spin on for a while (200k x 500 0.77-0.90x hand's speed).  On a busy machine (machine_busy) each BLAS
# call with threads waits for its cores: at load 12, 100k x 50 float64 took 351 ms with BLAS's threads, 18 ms with
# BLAS held at one thread, 18 ms in two spans, 46 ms hand-written; 20k x 200 float32 50 / 17 / 12 / 40 ms.
# There any X of 2 MiB or more takes the spans.
BUSY_THREADED_BYTES = 1 << 21


def _require_matrix_form(model: Model) -> None:
    if model.matrix_cost is None or model.matrix_gradient is None:
        raise ValueError(
            f"model {model.name!r} has no matrix form (matrix_cost / matrix_gradient), "
            "and kernels are generated from the matrix form; models with one: "
            + ", ".join(sorted(name for name, mdl in MODELS.items() if mdl.matrix_cost is not None))
        )


def _formulas(model: Model, attributes: tuple[str, ...]) -> str:
    return "\n".join(f"${_FORMULA_NAMES[a]} = {matrix_latex(getattr(model, a))}$" for a in attributes)


def _function_doc(model: Model, entry: str) -> str:
    attributes, _, summary = _ENTRY_POINTS[entry]
    params = ", ".join(f"{python_name(p)}" for p in model.parameters)
    keywords = f" Keyword: {params} (default 1.0)." if params else ""
    return (
        f"{summary} of {_lower(model.title)}, generated from:\n\n"
        + _formulas(model, attributes)
        + f"\n\ntheta (n+1,) or (n+1, 1); X (m, n+1); y (m,) or (m, 1).{keywords}\n"
        "mapper: None (one pass), a map such as ThreadPoolExecutor(2).map (row chunks in parallel), or an object\n"
        "whose collect(rows, args) returns the sums itself (derivation's, for Dask arrays).\n"
    )


def _lower(title: str) -> str:
    return title[:1].lower() + title[1:]


def _entries(model: Model) -> list[str]:
    return [e for e, (attrs, _, _) in _ENTRY_POINTS.items() if all(getattr(model, a) is not None for a in attrs)]


def module_source(model: Model) -> str:
    """The standalone module for ``model``: imports only NumPy, formulas in its docstrings.

    >>> src = module_source(get_model("linear"))
    >>> src.count("def grad(")
    1
    """
    _require_matrix_form(model)
    if getattr(model, "labels", None) == "onehot":  # W (n+1, K): every quantity an m × K matrix of scores
        return class_module_source(model)
    attributes = [a for a in _FORMULA_NAMES if getattr(model, a) is not None]
    header = (
        f'r"""NumPy kernels for {_lower(model.title)}, generated by `derivation` from its matrix form.\n\n'
        f"{model.summary}\n\n"
        + _formulas(model, tuple(attributes))
        + "\n\nShapes: theta (n+1,) or (n+1, 1), X (m, n+1), y (m,) or (m, 1); any other shape raises\n"
        "ValueError. The gradient comes back in theta's shape, the Hessian as (n+1, n+1).\n"
        "The arithmetic runs in X's dtype (float32 or float64; X is never copied; other dtypes become float64),\n"
        "sums over the examples accumulate in float64; the gradient and Hessian come back in X's dtype.\n"
        "Sums over the m examples are taken in blocks of rows, so X is read from memory once; wide rows in an X\n"
        "that fits in the cache take X @ theta, then X.T @ r (see the thresholds below).\n"
        'This module imports only NumPy@SCIPY@.\n"""\n'
    )
    functions = []
    for entry in _entries(model):
        attrs, conventions, _ = _ENTRY_POINTS[entry]
        exprs = [getattr(model, a) for a in attrs]
        functions.append(generate_function(entry, exprs, conventions, _function_doc(model, entry), model.parameters))
    # Φ, log Φ and log Γ are SciPy's (Cephes: accurate in both tails); a model without them needs NumPy alone.
    named = {"ndtr": "Φ", "log_ndtr": "log Φ", "gammaln": "log Γ"}  # what each SciPy function is in the formulas
    used = [name for fn, name in named.items() if any(f"scipy.special.{fn}(" in f for f in functions)]
    scipy = any("scipy.special." in f for f in functions)
    which = ", ".join(used) or "special functions"
    header = header.replace("@SCIPY@", f" and scipy.special ({which})" if scipy else "")
    imports = "import numpy as np" + ("\nimport scipy.special" if scipy else "")
    parts = [header, imports, _PRELUDE, *functions]
    return "\n\n\n".join(part.strip("\n") for part in parts) + "\n"


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
