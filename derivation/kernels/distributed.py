"""Generated kernels on Dask arrays: blockwise partial sums on the workers, one tree reduction, the rest on the driver.

``kernel("logistic").grad(theta, X, y)`` with ``X`` a ``dask.array`` runs the generated module's
``_grad_rows`` (the sums over a span of rows, e.g. Xᵦᵀ rᵦ and the cost's terms) on every row chunk
(Xᵦ, yᵦ) where the chunk lives, adds the partial sums in a tree (``split_every`` at a time), and the
driver finishes as for NumPy (divides by m, adds the penalty, shapes the result).  The generated
module is unchanged and imports only NumPy: :class:`DaskRows` is passed as its ``mapper``, and its
``_collect`` hands the sum over rows to the collector's ``collect``.

* X is never materialised and never rechunked: one task per row chunk.  When X has column chunks too, the
  pieces of a row chunk are concatenated inside its task (no rechunk step): a whole row chunk must fit in a
  worker's memory.
* y (a dask array, or anything NumPy reads) is rechunked to X's row chunks when they differ; y is
  small next to X, but a NumPy y travels with every graph: give a dask y for data on a cluster.
* Chunks of integer or boolean X become float64 on the worker (as ``_prepare`` does for NumPy X);
  float32 chunks stay float32 and their sums are accumulated in float64, as in the NumPy path.
* The W kernels (softmax, svm-multiclass) are straight-line functions without row sums: :func:`over_w_chunks`
  calls the entry itself on every row chunk with the whole m (``examples=m``), so each chunk gives its share of
  the data term plus the whole penalty; the driver subtracts the penalty counted once too often per chunk, from
  the entry called on no rows (J and ∇J are a sum over the examples divided by m, plus a penalty in W).
* Dask is imported here only when X is a dask array: ``import derivation`` never imports it.

The computation runs on the current Dask scheduler: a ``dask.distributed.Client`` if one is active,
else Dask's threads.  The kernel's source (~10 kB) goes with each task; a worker compiles it once::

    X, y = dask.array.from_zarr("X.zarr"), dask.array.from_zarr("y.zarr")  # chunked by rows
    cost, grad = derivation.kernel("logistic").value_and_grad(theta, X, y)  # one pass over X
    result = derivation.fit("logistic", X, y)  # L-BFGS on the driver: one pass per evaluation
"""

from __future__ import annotations

import functools
import math
import sys
from typing import Any

import numpy as np

SPLIT_EVERY = 8  # partial sums added per task of the tree reduction


def is_dask_array(X: Any) -> bool:  # noqa: N803 - X as in the formulas
    """Whether X is a dask array (never imports dask: without dask.array loaded, nothing is one).

    >>> is_dask_array(np.zeros((2, 2)))
    False
    """
    module = sys.modules.get("dask.array")
    return module is not None and isinstance(X, module.Array)


def _float_dtype(dtype: np.dtype) -> np.dtype:
    """The dtype the kernel computes in: float32 and float64 as given, anything else float64 (as ``_prepare``)."""
    return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float64)


def _stand_in(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A read-only array of NaN with this shape and no memory: what the generated entry validates and reads shapes
    from.  NaN, so that a finishing step that read X's or y's values would show it in its result."""
    return np.broadcast_to(np.array(np.nan, dtype=dtype), shape)


class DaskRows:
    """A collector for the generated ``_collect``: the sums of ``rows`` over a dask X's row chunks.

    ``X`` and ``y`` here are the NumPy stand-ins the generated entry receives in place of the dask arrays.
    """

    def __init__(self, source: str, X: Any, y: Any, split_every: int = SPLIT_EVERY):  # noqa: N803
        _known_rows(X)
        if not is_dask_array(y):
            y = np.asarray(y)
        self.source = source
        self.split_every = split_every
        self._X, self._y = X, y
        dtype = _float_dtype(np.dtype(X.dtype))
        self.X = _stand_in(X.shape, dtype)
        self.y = _stand_in(y.shape, dtype)

    def partials(self, rows: Any, args: tuple[Any, ...], size: int) -> Any:
        """A dask array (one row per row chunk of X, ``size`` columns): each chunk's sums of ``rows``, flattened.

        One task per row chunk reads Xᵦ and yᵦ (the column pieces of Xᵦ concatenated in that task) and
        returns ``_block_vector``; X's chunks are never moved between rows.
        """
        import dask.array as da

        X, y = self._X, self._y
        theta, _, _, *params = args
        rows_per_chunk = X.chunks[0]
        y = y.reshape(-1) if is_dask_array(y) else da.from_array(y.reshape(-1), chunks=(rows_per_chunk,))
        if y.chunks[0] != rows_per_chunk:
            y = y.rechunk({0: rows_per_chunk})  # y is X's width-one companion: cheap to move
        kernel = {"source": self.source, "rows": rows.__name__, "theta": theta, "params": params, "size": size}
        meta = np.empty((0, 0))
        if X.numblocks[1] == 1:  # each task gets its chunk of X as it is (concatenate=True would copy it)
            return da.blockwise(
                *(_block_vector, "ij", X, "ij", y, "i"), adjust_chunks={"i": 1, "j": size}, meta=meta, **kernel
            )
        # column pieces: contracted over j and concatenated in the task, one row chunk at a time
        return da.blockwise(
            *(_block_vector, "ik", X, "ij", y, "i"),
            new_axes={"k": size},
            adjust_chunks={"i": 1},
            concatenate=True,
            meta=meta,
            **kernel,
        )

    def collect(self, rows: Any, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """The sums of ``rows`` over every row chunk: ``rows(theta, Xᵦ, yᵦ, *params, 0, len(Xᵦ))`` on the workers,
        added in a tree (``split_every`` at a time), as NumPy's one pass would give them."""
        import dask

        theta, X, y, *params = args
        with np.errstate(all="ignore"):  # NaN stand-ins: only the accumulators' shapes and types are wanted
            template = rows(theta, X[:1], y[:1], *params, 0, 1)
        size = sum(np.size(acc) for acc in template)
        (total,) = dask.compute(self.partials(rows, args, size).sum(axis=0, split_every=self.split_every))
        return _unflatten(total, template)


def _unflatten(vector: np.ndarray, template: tuple[Any, ...]) -> tuple[Any, ...]:
    """The accumulators of ``template``'s shapes and types, read in order from ``vector``."""
    out, at = [], 0
    for acc in template:
        n = np.size(acc)
        if np.ndim(acc) == 0:
            out.append(type(acc)(vector[at]))
        else:
            out.append(vector[at : at + n].reshape(np.shape(acc)).astype(acc.dtype, copy=False))
        at += n
    return tuple(out)


def over_w_chunks(source: str, entry: str, W: Any, X: Any, Y: Any, params: dict[str, float]) -> Any:  # noqa: N803
    """A W kernel's ``entry`` over a dask X (rows in chunks), one task per row chunk and a tree of sums."""
    import dask
    import dask.array as da

    _known_rows(X)
    namespace = _namespace(source)
    W, Y = np.asarray(W), Y if is_dask_array(Y) else np.asarray(Y)
    namespace["_shapes"](W, X, Y)  # the NumPy path's messages, from the shapes alone
    rows_per_chunk = X.chunks[0]
    if not is_dask_array(Y):
        Y = da.from_array(Y, chunks=(rows_per_chunk, *Y.shape[1:]))
    Y = Y.rechunk({0: rows_per_chunk, **({1: -1} if Y.ndim == 2 else {})})  # the labels of each row chunk
    function = namespace[entry]
    dtype = _float_dtype(np.dtype(X.dtype))
    m = X.shape[0]
    # the entry on no rows: the penalty alone, and the shapes and types of what the entry returns
    nothing = function(W, np.empty((0, X.shape[1]), dtype), np.empty((0, *Y.shape[1:]), Y.dtype), examples=m, **params)
    template = nothing if isinstance(nothing, tuple) else (nothing,)
    size = sum(np.size(value) for value in template)
    kernel = {"source": source, "entry": entry, "W": W, "params": params, "examples": m, "size": size}
    y_index = "il" if Y.ndim == 2 else "i"
    parts = da.blockwise(
        *(_chunk_vector, "ik", X, "ij", Y, y_index),
        new_axes={"k": size},
        adjust_chunks={"i": 1},
        concatenate=True,
        meta=np.empty((0, 0)),
        **kernel,
    )
    (total,) = dask.compute(parts.sum(axis=0, split_every=SPLIT_EVERY))
    total = total - (len(rows_per_chunk) - 1) * _flat(template)  # each chunk added the penalty once
    values = _unflatten(total, template)
    return values if isinstance(nothing, tuple) else values[0]


def _known_rows(X: Any) -> None:  # noqa: N803 - X as in the formulas
    if any(isinstance(s, float) and math.isnan(s) for s in X.shape):
        raise ValueError(f"X has unknown chunk sizes (shape {X.shape}): call X.compute_chunk_sizes() first")


def _as_chunk(Xb: Any) -> np.ndarray:  # noqa: N803
    """A chunk in the dtype ``_prepare`` gives a NumPy X: float32 and float64 as they are, others float64."""
    Xb = np.asarray(Xb)
    return Xb.astype(_float_dtype(Xb.dtype), copy=False)


def _flat(values: tuple[Any, ...]) -> np.ndarray:
    """Results (numbers and arrays) end to end as one float64 vector."""
    return np.concatenate([np.ravel(v).astype(np.float64, copy=False) for v in values])


def _chunk_vector(Xb: Any, Yb: Any, *, source: str, entry: str, W: Any, params: dict, examples: int, size: int):  # noqa: N803
    """A W kernel's ``entry`` on one row chunk with the whole m, flattened into a (1, size) float64 row."""
    Xb = _as_chunk(Xb)
    value = _namespace(source)[entry](W, Xb, np.asarray(Yb), examples=examples, **params)
    return _flat(value if isinstance(value, tuple) else (value,))[None, :]


@functools.lru_cache(maxsize=16)
def _namespace(source: str) -> dict[str, Any]:
    """The generated module compiled from ``source`` (once per process)."""
    namespace: dict[str, Any] = {"__name__": "derivation_kernel_on_worker"}
    exec(compile(source, "<derivation kernel>", "exec"), namespace)  # our generated code only; no user input
    return namespace


def _block_vector(
    Xb: Any,  # noqa: N803 - X as in the formulas
    yb: Any,
    *,
    source: str,
    rows: str,
    theta: np.ndarray,
    params: list[Any],
    size: int,
) -> np.ndarray:
    """The generated ``rows`` summed over one row chunk, flattened into a (1, size) float64 row.

    The chunk is computed in the dtype ``_prepare`` gives a NumPy X (:func:`_as_chunk`).
    """
    Xb = _as_chunk(Xb)
    if Xb.shape[0] == 0:
        return np.zeros((1, size))
    yb = np.asarray(yb, dtype=Xb.dtype).reshape(-1)
    sums = _namespace(source)[rows](theta, Xb, yb, *params, 0, Xb.shape[0])
    return _flat(sums)[None, :]


__all__ = ["DaskRows", "is_dask_array", "over_w_chunks"]
