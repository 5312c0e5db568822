"""Timing shared by the benchmarks (run as scripts, so this folder is on sys.path)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    """Median wall-clock seconds of ``repeat`` calls of ``fn`` (medians: this machine is shared and noisy)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class BlasThreads:
    """The thread count of every BLAS/OpenMP library loaded, read cheaply around each timed call.

    ``threadpool_info()`` scans every loaded library (~2 ms, and it evicts caches): called between calls of
    0.1 ms it made the next call cold, and cost the contender with more temporaries the most (10k × 10:
    ours 170 µs against 97 µs without the scan, hand 150 against 111).  The libraries are found once; each
    read asks each of them its count (~1 µs).  :meth:`no_new_library` re-scans at the end, so a library a
    contender loaded later cannot have escaped the asserts.  ``None`` counts without threadpoolctl.
    """

    def __init__(self) -> None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            self._controller = None
            return
        self._controller = ThreadpoolController()

    def counts(self) -> dict[str, int] | None:
        if self._controller is None:
            return None
        return {f"{lib.internal_api} {lib.filepath}": lib.num_threads for lib in self._controller.lib_controllers}

    def no_new_library(self) -> None:
        """Assert no BLAS/OpenMP library was loaded after the probe was made (its counts were all asserted)."""
        if self._controller is None:
            return
        from threadpoolctl import threadpool_info

        now = {p["filepath"] for p in threadpool_info()}
        known = {lib.filepath for lib in self._controller.lib_controllers}
        assert now <= known, f"libraries loaded during the run, their threads not asserted: {now - known}"
