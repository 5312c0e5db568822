"""The generated logistic-regression gradient against what a user runs instead, measured so it cannot flatter us.

    python benchmarks/bench_kernels.py            # (m, n) = (10k, 10), (100k, 50), (1M, 20), (200k, 500)
    python benchmarks/bench_kernels.py --quick    # (10k, 10), (100k, 20): a few seconds
    python benchmarks/bench_kernels.py --sizes 1000000x20 200000x500   # chosen sizes
    python benchmarks/bench_kernels.py --busy 1   # the same with one other process spinning on a core

Contenders, each in the configuration a user has (NumPy's default BLAS threads, the data's own dtype):

* ``ours``     — ``derivation.kernel("logistic").grad(theta, X, y)``: one thread with BLAS's default threads;
                 on a busy machine (load above the CPUs, e.g. with --busy), from 2 MiB of X, one span of rows
                 per CPU with BLAS held at one thread during the call (its count put back after it, as the
                 asserts below check);
* ``compiled`` — ``derivation.kernel("logistic", compiled=True).grad``: the optional numba loops
                 (``pip install "derivation[fast]"``), compiled in the warm-up call, never in a timed one;
* ``hand``     — hand-written NumPy ``X.T @ (expit(X @ theta) - y) / m`` (the baseline of ``vs hand``);
* ``sklearn``  — scikit-learn's ``LinearModelLoss(HalfBinomialLoss()).loss_gradient``, the function its
                 L-BFGS path calls, with its default ``n_threads``;
* ``X @ θ``    — one matrix-vector product over X: the read ceiling of this machine for this X
                 (``% ceil`` is that time over the contender's, i.e. the share of the ceiling reached).

Every timed call asserts, just before and just after it (outside the timed window), that each BLAS
library has the thread count it had when the benchmark started: a contender that changes it and
does not restore it stops the run instead of skewing the others.  The libraries are found once (a full
scan costs ~2 ms and leaves the next call cold); each assert asks each of them its count, and a scan at
the end asserts no library was loaded since (``timing.BlasThreads``).  Each size and dtype is timed twice:
interleaved (one call of each contender per round, so that load on the machine hits all alike; each round
in a fresh random order, so that each contender follows every other about equally often) and back
to back (bursts of calls of one contender in a row: warm caches and idle BLAS threads, as in a
training loop; the bursts in a fresh random order each round, each burst after 0.25 s of its own
contender's calls that are not counted, so that the previous contender's BLAS threads have stopped
spinning).  The table shows medians with the 25th–75th percentiles and GB/s of X read; ``vs hand`` is
hand's median over the contender's, ``paired`` the median over the interleaved rounds of hand's time
over the contender's in the same round (load that hits a round hits both: the steadier of the two).

``--busy K`` runs K processes that spin on the CPU while everything is timed: a machine where something
else is running, as a user's often is (a notebook, a browser, another fit).  The table's header says so.

The environment is printed first: Python, NumPy, the BLAS libraries and their threads, CPUs and every
OPENBLAS_*/OMP_*/MKL_* variable.  Needs ~4 GB of RAM for the full sizes.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from derivation.kernels.runtime import kernel

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import BlasThreads

FULL = [(10_000, 10), (100_000, 50), (1_000_000, 20), (200_000, 500)]
QUICK = [(10_000, 10), (100_000, 20)]
DTYPES = (np.float64, np.float32)
SETTLE = 0.25  # seconds of uncounted calls before each back-to-back burst (see measure)


def contenders(X: np.ndarray, y: np.ndarray) -> dict[str, Callable[[np.ndarray], np.ndarray]]:  # noqa: N803
    """name → gradient (or, for the ceiling, Xθ) as a function of θ."""
    from scipy.special import expit

    m = X.shape[0]
    ours = kernel("logistic")
    found = {
        "ours": lambda t: ours.grad(t, X, y),
        "hand": lambda t: X.T @ (expit(X @ t) - y) / m,
        "X @ θ": lambda t: X @ t,
    }
    try:  # the optional compiled kernel (derivation[fast]); compiled on the warm-up call, before any timing
        compiled = kernel("logistic", compiled=True)
        found["compiled"] = lambda t: compiled.grad(t, X, y)
    except ImportError as error:
        print(f"  compiled skipped: {error}")
    try:
        from sklearn._loss.loss import HalfBinomialLoss
        from sklearn.linear_model._linear_loss import LinearModelLoss

        loss = LinearModelLoss(base_loss=HalfBinomialLoss(), fit_intercept=False)
        # sklearn's loss is the mean; its gradient is ours.
        found["sklearn"] = lambda t: loss.loss_gradient(t, X, y, l2_reg_strength=0.0)[1]
    except ImportError as error:
        print(f"  sklearn skipped: {error}")
    return found


def timed(f: Callable, theta: np.ndarray, probe: BlasThreads, threads: dict[str, int] | None) -> float:
    """Seconds of one call of ``f(theta)``; the BLAS thread counts are asserted before and after it."""
    assert probe.counts() == threads, f"BLAS threads changed before the call: {probe.counts()} != {threads}"
    start = time.perf_counter()
    f(theta)
    seconds = time.perf_counter() - start
    assert probe.counts() == threads, f"BLAS threads changed by the call: {probe.counts()} != {threads}"
    return seconds


def measure(found: dict, theta: np.ndarray, repeats: int, probe: BlasThreads, threads: dict | None) -> dict[str, dict]:
    """Per contender and schedule ("interleaved", "back to back"): the list of seconds per call.

    "paired" holds, per interleaved round, each contender's time over hand's in that same round: load that hits
    one round hits both alike, so the median of these ratios is steadier than the ratio of the two medians.
    """
    runs: dict[str, dict[str, list[float]]] = {
        name: {"interleaved": [], "back to back": [], "paired": []} for name in found
    }
    order, shuffle = list(found), np.random.default_rng(1).permutation
    for _ in range(repeats):
        # a fresh order each round: a call right after another contender's (its OpenMP or BLAS threads still
        # spinning, its memory just freed) can be ~15% slower.  Rotating one fixed order (as before) still had
        # each contender follow the same one in all but one place per round: ours came after sklearn's OpenMP
        # threads 3 times in 4 and hand never did (10k x 10 float32: ours 78 us after sklearn, 73 after X @ θ)
        this_round = {}
        for i in shuffle(len(order)):
            this_round[order[i]] = timed(found[order[i]], theta, probe, threads)
        for name, seconds in this_round.items():
            runs[name]["interleaved"].append(seconds)
            runs[name]["paired"].append(seconds / this_round["hand"])
    # back to back in bursts: each burst is `burst` calls of one contender in a row (warm caches, idle BLAS
    # threads, as in a training loop), the contenders' bursts in a fresh random order each round, so that a
    # spell of load on the machine falls on all of them alike instead of on whichever ran through it.  The
    # first call of every burst follows another contender: it is made, and not counted, for each alike.
    # Each burst starts with SETTLE seconds of calls of its own contender, not counted: the previous contender's
    # BLAS threads spin on for ~0.1-0.2 s after its last call (OpenBLAS's thread timeout; /proc shows them running),
    # so a short burst (10 calls of 1.5 ms) ran entirely beside them, which is no training loop's state.
    burst = max(5, repeats // 10)
    for _ in range(-(-repeats // burst)):
        for i in shuffle(len(order)):
            f = found[order[i]]
            settled = time.perf_counter() + SETTLE
            timed(f, theta, probe, threads)
            while time.perf_counter() < settled:
                timed(f, theta, probe, threads)
            runs[order[i]]["back to back"] += [timed(f, theta, probe, threads) for _ in range(burst)]
    return runs


def spread(seconds: list[float]) -> tuple[float, float, float]:
    """Median, 25th and 75th percentiles."""
    q = statistics.quantiles(seconds, n=4) if len(seconds) > 1 else [seconds[0]] * 3
    return statistics.median(seconds), q[0], q[2]


def bench(m: int, n: int, dtype, repeats: int, rng: np.random.Generator, probe: BlasThreads, threads) -> list[str]:
    X = rng.standard_normal((m, n)).astype(dtype)
    X[:, 0] = 1
    theta = (rng.standard_normal(n) / np.sqrt(n)).astype(dtype)
    y = (rng.random(m) < 0.5).astype(dtype)
    found = contenders(X, y)
    reference = found["hand"](theta.astype(np.float64)) if dtype != np.float64 else found["hand"](theta)
    tolerance = 1e-9 if dtype == np.float64 else 1e-4
    for name, f in found.items():  # warm up; every gradient must agree before any is timed
        if name != "X @ θ":
            got = np.asarray(f(theta), dtype=np.float64)
            assert np.allclose(got, reference, rtol=tolerance, atol=tolerance * 1e-3), name
    runs = measure(found, theta, repeats, probe, threads)
    lines = []
    for schedule in ("interleaved", "back to back"):
        ceiling = spread(runs["X @ θ"][schedule])[0]
        hand = spread(runs["hand"][schedule])[0]
        for name in found:
            med, lo, hi = spread(runs[name][schedule])
            paired = f"{1 / spread(runs[name]['paired'])[0]:>6.2f}x" if schedule == "interleaved" else " " * 7
            lines.append(
                f"{m:>9} {n:>4} {np.dtype(dtype).name:>7} {schedule:<12} {name:<8} "
                f"{med * 1e3:>9.3f} [{lo * 1e3:.3f}–{hi * 1e3:.3f}] {hand / med:>6.2f}x {paired} "
                f"{X.nbytes / med / 1e9:>6.1f} {ceiling / med:>6.0%}"
            )
    return lines


def environment(threads: dict[str, int] | None) -> None:
    env = {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP", "MKL"))}
    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs")
    print(f"OPENBLAS_*/OMP_*/MKL_* variables: {env or 'none'}")
    if threads is None:
        print("threadpoolctl is not installed: BLAS thread counts are NOT asserted (pip install threadpoolctl)")
    for lib, count in (threads or {}).items():
        print(f"  {lib}: {count} threads (the default, asserted around every timed call)")


def _load_every_library() -> None:
    """Import what the contenders import, so the thread counts asserted cover every library they use."""
    import scipy.special  # noqa: F401

    try:
        import sklearn.linear_model  # noqa: F401
    except ImportError:
        pass
    try:
        import numba  # noqa: F401 - the compiled contender's
    except ImportError:
        pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--sizes", nargs="+", metavar="MxN", help="sizes to run instead, e.g. 1000000x20")
    parser.add_argument("--repeats", type=int, default=None, help="timed calls per contender, size and schedule")
    parser.add_argument("--busy", type=int, default=0, metavar="K", help="K other processes spinning meanwhile")
    args = parser.parse_args(argv)
    sizes = [tuple(int(d) for d in s.lower().split("x")) for s in args.sizes] if args.sizes else None
    _load_every_library()
    probe = BlasThreads()
    threads = probe.counts()  # the defaults of every BLAS/OpenMP library the contenders load
    environment(threads)
    rng = np.random.default_rng(0)
    print(f"{'m':>9} {'n':>4} {'dtype':>7} {'schedule':<12} {'method':<8} {'median ms':>9} [p25–p75]"
          f" {'vs hand':>7} {'paired':>7} {'GB/s':>6} {'% ceil':>6}")  # fmt: skip
    spinning = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy)]
    if spinning:
        print(f"{len(spinning)} other process(es) spinning on the CPU throughout (--busy)")
    print(f"load average: {os.getloadavg()[0]:.2f} (1 min) at the start")
    try:
        for m, n in sizes or (QUICK if args.quick else FULL):
            for dtype in DTYPES:
                # small sizes take many calls (a call of 0.2 ms is at the scheduler's mercy), large ones at least 15
                repeats = args.repeats or max(15, min(301, int(3e8 / (m * n))))
                for line in bench(m, n, dtype, repeats, rng, probe, threads):
                    print(line, flush=True)
    finally:
        for process in spinning:
            process.kill()
            process.wait()
    probe.no_new_library()
    print(f"load average: {os.getloadavg()[0]:.2f} (1 min) at the end")


if __name__ == "__main__":
    main()
