"""What every compiled kernel module carries: its text is copied into the module :mod:`.compiled` writes.

X is read once, in blocks of rows; a block's dot products, then its element-wise work fused in one loop (no
division checks: ``error_model="numpy"``; e^−|u| and log(1 + e^−|u|) in arithmetic the compiler vectorises, where
libm's exp and log1p take one number at a time), then what the block adds to each sum.  Needs numba
(``pip install "derivation[fast]"``).
"""

import math
import os
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np

# Rows per block: at most this many (the block's z and r, 8 KiB each, stay in the first-level cache), and at
# most COMPILED_BLOCK_BYTES of X, so that the block is still in the second-level cache when it is read again for
# what it adds to the gradient (one core's is 512 KiB here; (200k, 500) float64 on one thread: 1024 rows of
# 4 KB took 100 ms, 64 rows 80 ms)
COMPILED_BLOCK_ROWS = 1024
COMPILED_BLOCK_BYTES = 256 * 1024
# From this many entries of X, spans of rows on one thread per CPU (a compiled span lets go of the GIL); below,
# one thread: handing a span to another costs more than the span.
PARALLEL_MIN = 1 << 18
# Float32 rows this wide (128 columns) take NumPy's blocks: see _blas_wins
FLOAT32_BLAS_ROW_BYTES = 512
SPANS_PER_CPU = 8  # spans taken in turn: a thread kept off its core does less, not all its half
_CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
_POOL = []  # the pool, made on first need
_POOL_LOCK = threading.Lock()
_LOG2E, _LN2_HI, _LN2_LO = 1.4426950408889634, 6.93147180369123816490e-01, 1.90821492927058770002e-10
_POW2_BIAS = 1023.0 + 4503599627370496.0  # the exponent's bias plus 2^52
# The flags of every loop that inlines _exp_neg and _log1p_unit: a * b + c as one fused multiply-add (one
# rounding, not two; their accuracy is measured with them)
SPAN_FASTMATH = {"contract"}


@numba.njit(cache=True, inline="always")
def _exp_neg(x):
    """e^x for x ≤ 0 within one unit in the last place, 0.0 below −746: x = k ln 2 + r with |r| ≤ ln 2 / 2, e^r as
    1 + (r + r² q(r)) with q the Taylor polynomial's terms r⁰..r¹¹ of e^r's r²..r¹³ (the rest under 1e-17), in
    Estrin's order (pairs, then pairs of pairs: a short chain of dependent steps), 2^k as two powers of two (one
    alone would underflow before e^x does), each one's bits made without a conversion to an integer: 2^52 added
    to half + 1023 puts that number in the low bits, which the shift by 52 moves to the exponent."""
    x = max(x, -746.0)
    k = np.floor(x * _LOG2E + 0.5)
    r = (x - k * _LN2_HI) - k * _LN2_LO
    r2 = r * r
    r4 = r2 * r2
    q0 = (1.0 / 2 + r * (1.0 / 6)) + r2 * (1.0 / 24 + r * (1.0 / 120))
    q1 = (1.0 / 720 + r * (1.0 / 5040)) + r2 * (1.0 / 40320 + r * (1.0 / 362880))
    q2 = (1.0 / 3628800 + r * (1.0 / 39916800)) + r2 * (1.0 / 479001600 + r * (1.0 / 6227020800))
    p = 1.0 + (r + r2 * (q0 + r4 * (q1 + r4 * q2)))
    half = np.floor(k * 0.5)
    a = np.int64(np.float64(half + _POW2_BIAS).view(np.int64) << 52).view(np.float64)
    b = np.int64(np.float64((k - half) + _POW2_BIAS).view(np.int64) << 52).view(np.float64)
    return p * a * b


@numba.njit(cache=True, inline="always")
def _log1p_unit(x):
    """log(1 + x) for 0 ≤ x ≤ 1 within two units in the last place, in arithmetic the compiler vectorises:
    u = 1 + x rounded, with x − (u − 1) carried as a correction over u; u = 2^k f with f in (√2/2, √2], and
    log f = 2 atanh(s), s = (f − 1)/(f + 1), |s| ≤ 0.172, by its series to s²³ (the rest under 1e-17)."""
    u = 1.0 + x
    correction = (x - (u - 1.0)) / u
    k = np.float64(u > 1.4142135623730951)
    f = u * (1.0 - 0.5 * k)  # u or u / 2, exactly
    s = (f - 1.0) / (f + 1.0)
    z = s * s
    z2 = z * z
    z4 = z2 * z2
    low = (2.0 / 3 + z * (2.0 / 5)) + z2 * (2.0 / 7 + z * (2.0 / 9))
    middle = (2.0 / 11 + z * (2.0 / 13)) + z2 * (2.0 / 15 + z * (2.0 / 17))
    high = (2.0 / 19 + z * (2.0 / 21)) + z2 * (2.0 / 23)
    series = low + z4 * (middle + z4 * high)  # Estrin's order, as in _exp_neg
    return k * _LN2_HI + ((2.0 * s + (s * z * series + k * _LN2_LO)) + correction)


@numba.njit(cache=True, inline="always")
def _block_rows_of(X):  # noqa: N803 - X as in the formulas
    """Rows per block for this X: COMPILED_BLOCK_BYTES of it, between 16 and COMPILED_BLOCK_ROWS rows."""
    return max(16, min(COMPILED_BLOCK_ROWS, COMPILED_BLOCK_BYTES // max(1, X.shape[1] * X.itemsize)))


@numba.njit(cache=True, fastmath={"reassoc", "contract"})
def _block_dot(Xb, v, z):  # noqa: N803 - X as in the formulas
    """z[k] = x_k·v for each row of the block, four rows at a time (four independent sums), in X's dtype: a float32
    row's products and their sum in float32, eight to a vector, as BLAS's sgemv does (widening each entry to
    float64 first cost 15-25% of a pass over (100k, 50) and (200k, 500))."""
    rows, p = Xb.shape
    zero = Xb.dtype.type(0.0)
    k = 0
    while k + 4 <= rows:
        s0 = s1 = s2 = s3 = zero
        for j in range(p):
            vj = v[j]
            s0 += Xb[k, j] * vj
            s1 += Xb[k + 1, j] * vj
            s2 += Xb[k + 2, j] * vj
            s3 += Xb[k + 3, j] * vj
        z[k], z[k + 1], z[k + 2], z[k + 3] = s0, s1, s2, s3
        k += 4
    while k < rows:
        s = zero
        for j in range(p):
            s += Xb[k, j] * v[j]
        z[k] = s
        k += 1


@numba.njit(cache=True, fastmath={"reassoc", "contract"})
def _block_axpy(acc, Xb, r):  # noqa: N803 - X as in the formulas
    """acc += Σ_k r[k]·x_k over the rows of the block, four rows at a time: the block's sum in X's dtype (at most
    COMPILED_BLOCK_ROWS rows, as NumPy's X_b.T @ r is), added to acc in float64."""
    rows, p = Xb.shape
    part = np.zeros(p, dtype=Xb.dtype)
    k = 0
    while k + 4 <= rows:
        r0, r1 = Xb.dtype.type(r[k]), Xb.dtype.type(r[k + 1])
        r2, r3 = Xb.dtype.type(r[k + 2]), Xb.dtype.type(r[k + 3])
        for j in range(p):
            part[j] += (r0 * Xb[k, j] + r1 * Xb[k + 1, j]) + (r2 * Xb[k + 2, j] + r3 * Xb[k + 3, j])
        k += 4
    while k < rows:
        rk = Xb.dtype.type(r[k])
        for j in range(p):
            part[j] += rk * Xb[k, j]
        k += 1
    for j in range(p):
        acc[j] += np.float64(part[j])


@numba.njit(cache=True, fastmath={"reassoc", "contract"})
def _block_sum(values, rows):
    """Σ values[:rows] (reassociated: vectorised)."""
    total = 0.0
    for k in range(rows):
        total += values[k]
    return total


@numba.njit(cache=True)
def _finite(values):
    """Whether every entry is finite (0.25 µs a call, where np.isfinite(values).all() took 3)."""
    for value in values.flat:
        if not np.isfinite(value):
            return False
    return True


def _over_spans(span, args, X):  # noqa: N803 - X as in the formulas
    """The sums of span(*args, lo, hi) over every row: from PARALLEL_MIN entries, the rows in SPANS_PER_CPU spans
    per CPU that the calling thread and the pool's take one after the other as each is free, so a thread that
    waits for its core (another program's, or BLAS threads still spinning after a call) leaves its share to the
    others instead of holding up the sum."""
    m = X.shape[0]
    if _CPUS < 2 or X.size < PARALLEL_MIN:
        return span(*args, 0, m)
    with _POOL_LOCK:
        if not _POOL:
            _POOL.append(ThreadPoolExecutor(_CPUS - 1, thread_name_prefix="derivation-compiled"))
    count = min(m, SPANS_PER_CPU * _CPUS)
    cuts = iter([(m * k // count, m * (k + 1) // count) for k in range(count)])
    take = threading.Lock()

    def work():
        parts = []
        while True:
            with take:
                bounds = next(cuts, None)
            if bounds is None:
                return parts
            parts.append(span(*args, *bounds))

    futures = [_POOL[0].submit(work) for _ in range(_CPUS - 1)]
    parts = work()
    for future in futures:
        parts += future.result()
    return tuple(sum(values) for values in zip(*parts, strict=True))


def _blas_wins(X):  # noqa: N803 - X as in the formulas
    """Whether NumPy's blocks (BLAS's threads) beat the loop for this X: float32 rows of FLOAT32_BLAS_ROW_BYTES or
    more.  There the loop's two threads held 1.6-1.9x hand's speed back to back but 0.97-1.09x interleaved with other
    BLAS calls, whose threads spin on and take a core from the loop; NumPy's blocks held 1.10-1.27x in both."""
    return X.dtype == np.float32 and X.shape[1] * X.itemsize >= FLOAT32_BLAS_ROW_BYTES


def _compiled_collect(table, numpy_collect):
    """A ``_collect`` that takes a sum's compiled loop from ``table`` (C-contiguous X, no mapper, not
    :func:`_blas_wins`), else NumPy's blocks; a loop numba cannot compile is reported once and left to NumPy from
    then on."""

    def collect(rows, args, mapper):
        fast = table.get(rows.__name__) if mapper is None else None
        if fast is not None and args[1].flags.c_contiguous and not _blas_wins(args[1]):
            try:
                sums = fast(*args)
            except numba.core.errors.NumbaError as error:
                table[rows.__name__] = None
                first = str(error).strip().splitlines()[0]
                warnings.warn(f"{rows.__name__[1:-5]} runs in NumPy: numba cannot compile it ({first})", stacklevel=3)
            else:
                # NumPy's blocks warn where a number overflows or is invalid; the loop cannot, so its sums say it
                if not all(math.isfinite(total) if isinstance(total, float) else _finite(total) for total in sums):
                    warnings.warn(
                        f"{rows.__name__[1:-5]}: overflow or an invalid value (inf or NaN)",
                        RuntimeWarning,
                        stacklevel=3,
                    )
                return sums
        return numpy_collect(rows, args, mapper)

    return collect
