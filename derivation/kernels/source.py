"""The source of a model's kernel module: NumPy code printed from its symbolic matrix forms.

:func:`module_source` is the standalone module (it imports only NumPy, and SciPy where Φ or log Γ occur) that
``derivation kernel MODEL`` writes and :class:`~derivation.kernels.runtime.Kernel` runs: a prelude of helpers
every module carries (shape checks, row blocks, chunking) and one function per entry (cost, grad,
value_and_grad, hessian), each printed by :mod:`.codegen` from the model's matrix form.
"""

from __future__ import annotations

from ..core.models import Model
from ..models import MODELS
from .classes import class_module_source
from .codegen import generate_function, matrix_latex, python_name

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

    >>> from derivation.models import get_model
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


__all__ = ["module_source"]
