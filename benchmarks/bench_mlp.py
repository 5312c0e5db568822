"""The generated two-layer-network kernel against the hand-written NumPy every CS231n student writes.

    python benchmarks/bench_mlp.py                 # (m, n, h, K) = (256, 64, 128, 10), (4096, 784, 256, 10)
    python benchmarks/bench_mlp.py --quick         # the small size only, a few seconds
    python benchmarks/bench_mlp.py --repeats 41    # more timed calls per contender and size
    python benchmarks/bench_mlp.py --threads 1     # BLAS held to one thread (threadpoolctl): steadier on a busy machine
    python benchmarks/bench_mlp.py --threads 1 --clock cpu   # CPU time: the kernels' own work, whatever the load

Contenders, both ``value_and_grad(params, X, y, reg)`` of ReLU → softmax cross-entropy with
reg·(‖W1‖² + ‖W2‖²) (CS231n's assignment 1), integer labels, float64, NumPy's default BLAS threads:

* ``ours`` — ``derivation.nets.kernel.compile_kernel(Network("relu", "softmax", "sum")).value_and_grad``;
* ``hand`` — CS231n's ``TwoLayerNet.loss`` written out (np.maximum, probs, dscores[range(N), y] -= 1,
             dh1[h1 <= 0] = 0), the baseline of ``speed-up`` (hand's median over ours).

Both are checked to agree (loss and every gradient) before anything is timed.  Calls are interleaved
(one of each in turn, the order alternating), so load on the machine hits both alike.  Every timed
call is bracketed (outside the timed window) by an assertion that each BLAS library still has the
thread count it had at the start (threadpoolctl; without it the run says the count is unchecked).
The table shows medians with the 25th–75th percentiles and the fastest call; ``speed-up`` is hand's median
over the contender's, ``paired`` the median over rounds of hand's time over the contender's in the same round
(the two calls of a round share the machine's load, so drifts in load cancel).

``--clock cpu`` times with ``time.process_time`` (CPU seconds of this process, all its threads) instead
of the wall clock.  With ``--threads 1`` that is the work each contender does, which other processes
on a busy machine do not inflate (they still share the caches); with several BLAS threads it also
counts the threads' spinning, so it is not the time a user waits — use it only with ``--threads 1``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from derivation.nets.kernel import compile_kernel
from derivation.nets.network import Network

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import BlasThreads

FULL = [(256, 64, 128, 10), (4096, 784, 256, 10)]
QUICK = [(256, 64, 128, 10)]
REG = 1e-3


def hand(params, X, y, reg):  # noqa: N803 - CS231n's names
    """CS231n's two-layer net loss and gradients, as the assignment's solutions write them."""
    W1, b1 = params["W1"], params["b1"]
    W2, b2 = params["W2"], params["b2"]
    N = X.shape[0]
    h1 = np.maximum(0, X.dot(W1) + b1)
    scores = h1.dot(W2) + b2
    scores -= np.max(scores, axis=1, keepdims=True)
    exp_scores = np.exp(scores)
    probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(N), y])) / N
    loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    dscores /= N
    grads = {"W2": h1.T.dot(dscores) + 2 * reg * W2, "b2": np.sum(dscores, axis=0)}
    dh1 = dscores.dot(W2.T)
    dh1[h1 <= 0] = 0
    grads["W1"] = X.T.dot(dh1) + 2 * reg * W1
    grads["b1"] = np.sum(dh1, axis=0)
    return loss, grads


def environment(threads: dict[str, int] | None) -> None:
    print(f"Python {platform.python_version()}, NumPy {np.__version__}, {os.cpu_count()} CPUs, {platform.machine()}")
    if threads is None:
        print("threadpoolctl not installed: BLAS thread count NOT checked")
    else:
        for name, count in threads.items():
            print(f"BLAS {name}: {count} threads (asserted around every timed call)")
    env = {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS_", "OMP_", "MKL_"))}
    print("environment:", env or "no OPENBLAS_*/OMP_*/MKL_* variables")
    try:
        load = os.getloadavg()
    except OSError:
        return
    print("load average:", load)
    if load[0] >= (os.cpu_count() or 1) and threads and max(threads.values()) > 1:
        # Each threaded BLAS call waits until all its threads run: with the cores taken, a scheduler slice per call.
        print(f"busy machine (load {load[0]:.1f} on {os.cpu_count()} CPUs): with {max(threads.values())} BLAS threads "
              "the times measure the scheduler as much as the code; compare with --threads 1 --clock cpu")  # fmt: skip


def problem(m: int, n: int, h: int, K: int, seed: int = 0):  # noqa: N803
    rng = np.random.default_rng(seed)
    params = {
        "W1": rng.normal(0, 1 / np.sqrt(n), (n, h)),
        "b1": rng.normal(0, 0.1, h),
        "W2": rng.normal(0, 1 / np.sqrt(h), (h, K)),
        "b2": rng.normal(0, 0.1, K),
    }
    return params, rng.normal(size=(m, n)), rng.integers(0, K, m)


def agree(ours, theirs) -> None:
    (j1, g1), (j2, g2) = ours, theirs
    assert abs(j1 - j2) <= 1e-10 * max(1.0, abs(j2)), (j1, j2)
    for name in ("W1", "b1", "W2", "b2"):
        np.testing.assert_allclose(g1[name], g2[name], rtol=1e-9, atol=1e-12, err_msg=name)


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def run(sizes, repeats: int, clock: str = "wall") -> None:
    probe = BlasThreads()
    threads = probe.counts()
    environment(threads)
    now = CLOCKS[clock]
    print(f"clock: {clock} ({now.__name__})")
    ours = compile_kernel(Network("relu", "softmax", "sum")).value_and_grad
    contenders = {"ours": ours, "hand": hand}
    columns = ("m, n, h, K", 22), ("contender", 9), ("median ms", 10), ("25%–75% ms", 16), ("min ms", 9), (
        "speed-up", 9), ("paired", 8)  # fmt: skip
    print("\n" + " ".join(f"{name:>{width}}" for name, width in columns))
    for m, n, h, K in sizes:
        params, X, y = problem(m, n, h, K)
        agree(ours(params, X, y, REG), hand(params, X, y, REG))
        for f in contenders.values():  # warm-up: first-touch allocations, BLAS thread start
            f(params, X, y, REG)
        times: dict[str, list[float]] = {name: [] for name in contenders}
        for rep in range(repeats):
            order = list(contenders) if rep % 2 == 0 else list(reversed(contenders))
            for name in order:
                assert probe.counts() == threads, "a contender changed the BLAS thread count"
                start = now()
                contenders[name](params, X, y, REG)
                times[name].append(now() - start)
                assert probe.counts() == threads, "a contender changed the BLAS thread count"
        base = statistics.median(times["hand"])
        for name, values in times.items():
            q1, med, q3 = np.percentile(values, [25, 50, 75]) * 1e3
            spread, fastest, speed = f"{q1:.3f}–{q3:.3f}", min(values) * 1e3, base / statistics.median(values)
            # Paired: hand's time over this contender's in the same round, whose load both shared.
            paired = statistics.median(a / b for a, b in zip(times["hand"], values, strict=True))
            print(f"{f'{m}, {n}, {h}, {K}':>22} {name:>9} {med:10.3f} {spread:>16} {fastest:9.3f} {speed:8.2f}× "
                  f"{paired:7.2f}×")  # fmt: skip
    probe.no_new_library()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the small size only")
    parser.add_argument("--repeats", type=int, default=31, help="timed calls per contender and size")
    parser.add_argument("--threads", type=int, default=None, help="BLAS threads (default: NumPy's own)")
    parser.add_argument("--clock", choices=CLOCKS, default="wall", help="wall time, or CPU time (with --threads 1)")
    args = parser.parse_args()
    if args.clock == "cpu" and args.threads != 1:
        parser.error("--clock cpu needs --threads 1 (with more BLAS threads CPU time counts their spinning)")
    sizes = QUICK if args.quick else FULL
    if args.threads is None:
        run(sizes, args.repeats, args.clock)
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(args.threads):
        run(sizes, args.repeats, args.clock)


if __name__ == "__main__":
    main()
