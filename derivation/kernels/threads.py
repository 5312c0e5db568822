"""Row sums on every core: one contiguous span of rows per thread, each with BLAS on that one thread.

A generated kernel takes a sum over the examples in row blocks (``_grad_rows(theta, X, y, start, stop)``); this
collector splits the rows into one span per usable CPU and runs the spans at once: the calling thread takes the
first, a pool the others.  While it runs, BLAS is held at one thread per call (threadpoolctl), so the spans'
matrix-vector products run side by side in their own threads.  The runtime uses it on a busy machine only
(:func:`machine_busy`; the measurements are beside ``BUSY_THREADED_BYTES`` in :mod:`.runtime`): there each of a
row block's short BLAS calls (``X_b @ θ``, ``X_bᵀ r``) waits for a core to wake its second thread, and at load 9
100k × 50 float64 took 174 ms against 44 ms for hand-written ``X.T @ (expit(X @ θ) − y)``; one span per thread
took 5.7 ms.  On a quiet machine the spans tied one thread with BLAS's threads at best.

BLAS's thread count is process-wide: calls of other threads that overlap a kernel call run on one thread too.
The count is set when the first concurrent kernel call starts and put back when the last one ends.
Without threadpoolctl (a dependency) the spans run one after the other.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, which containers and taskset narrow)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def machine_busy(cpus: int | None = None) -> bool:
    """Whether other work keeps the CPUs busy: the 1-minute load average above the usable CPUs plus one half.

    A quiet machine running one kernel call shows the call's own threads (load ≤ CPUs); a BLAS call that wants
    its threads on a busy one waits for each to get a core (see the module docstring).
    """
    try:
        return os.getloadavg()[0] > (cpus or usable_cpus()) + 0.5
    except OSError:  # pragma: no cover - no load average on this system
        return False


class _OneBlasThread:
    """A re-entrant hold of every BLAS library at one thread; the first holder sets it, the last one restores it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._saved: list[tuple[Any, int]] = []
        self._libraries: list[Any] | None = None

    def _blas(self) -> list[Any]:
        if self._libraries is None:  # ~15 ms once: threadpoolctl reads the loaded libraries
            try:  # what scikit-learn uses for the same job; imported here, when a big X first needs it
                from threadpoolctl import ThreadpoolController
            except ImportError:  # pragma: no cover - a dependency; without it the spans run one after the other
                self._libraries = []
            else:
                found = ThreadpoolController().lib_controllers
                self._libraries = [lib for lib in found if lib.user_api == "blas"]
        return self._libraries

    def __enter__(self) -> None:
        with self._lock:
            if self._holders == 0:
                self._saved = [(lib, lib.num_threads) for lib in self._blas()]
                for lib, _ in self._saved:
                    lib.set_num_threads(1)
            self._holders += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._holders -= 1
            if self._holders == 0:
                for lib, threads in self._saved:
                    lib.set_num_threads(threads)

    @property
    def available(self) -> bool:
        with self._lock:
            return bool(self._blas())


ONE_BLAS_THREAD = _OneBlasThread()


class ThreadedRows:
    """A ``mapper`` for the generated kernels' ``_collect``: the rows split into ``workers`` spans summed at once.

    >>> import numpy as np
    >>> rows = lambda theta, X, y, start, stop, serial=False: (X[start:stop].T @ y[start:stop], stop - start)
    >>> X, y = np.arange(12.0).reshape(6, 2), np.ones(6)
    >>> ThreadedRows(3).collect(rows, (None, X, y))
    (array([30., 36.]), 6)
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def _spans(self, m: int) -> list[tuple[int, int]]:
        parts = max(1, min(self.workers, m))
        cuts = [m * k // parts for k in range(parts + 1)]
        return [(cuts[k], cuts[k + 1]) for k in range(parts)]

    def collect(self, rows: Callable[..., tuple], args: tuple) -> tuple:
        """The sums of ``rows(*args, start, stop, serial=True)`` over every row, one span per thread."""
        spans = self._spans(args[1].shape[0])  # args: theta, X, y and the model's parameters
        if len(spans) == 1 or not ONE_BLAS_THREAD.available:
            return rows(*args, 0, spans[-1][1], serial=True)
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers - 1, thread_name_prefix="derivation-kernel")
        with ONE_BLAS_THREAD:
            futures = [self._pool.submit(rows, *args, lo, hi, serial=True) for lo, hi in spans[1:]]
            try:
                parts = [rows(*args, *spans[0], serial=True)]
            finally:  # the hold ends after every span, even when this thread's raised
                wait(futures)
            parts += [f.result() for f in futures]
        return tuple(sum(values) for values in zip(*parts, strict=True))


__all__ = ["ONE_BLAS_THREAD", "ThreadedRows", "machine_busy", "usable_cpus"]
