"""Benchmark the generated logistic-regression kernels against the usual alternatives.

    python benchmarks/bench_kernels.py            # (m, n) = (10k, 10), (100k, 50), (1M, 20), (200k, 500)
    python benchmarks/bench_kernels.py --quick    # small sizes, a few seconds

For every size it times, round-robin so that load on the machine hits all
alike, and reports the median of the repeats:

* ``grad``      — ``derivation.kernels.kernel("logistic").grad`` (row-blocked, one pass over X,
                   one thread: every BLAS call is small enough to stay single-threaded);
* ``grad 2T``   — the same generated code with row chunks on two Python threads
                   (``kernel_from_model(..., workers=2)``, X of 32 MiB or more);
* ``v&g``       — ``value_and_grad`` (cost and gradient from the same pass);
* ``hand``      — hand-written NumPy ``X.T @ (expit(X @ theta) - y) / m``, BLAS threads as NumPy
                   sets them (the baseline of the ``vs hand`` column);
* ``hand 1T``   — the same with BLAS limited to one thread (threadpoolctl, benchmark only);
* ``sklearn``   — scikit-learn's ``LinearModelLoss(HalfBinomialLoss()).loss_gradient``, the function
                   its L-BFGS path calls (``n_threads=1``, as ``LogisticRegression`` uses);
* ``jax``       — ``jax.jit(jax.grad(cost))`` where JAX is installed.

Columns: median milliseconds per call, speed-up over ``hand`` (hand time / time) and effective
GB/s (bytes of X / time; one pass over X at memory speed is the ceiling). OpenBLAS worker threads
spin for tens of milliseconds after a threaded call, and on a loaded machine that slows whichever
contender runs next; ``--pause 0.15`` idles before each timed call on X above 8 MiB (it also cools
caches and clocks, so it is off by default). Needs ~4 GB of RAM for the full sizes. OPENBLAS_* variables change NumPy's
BLAS kernels; to see their effect run the same command under
``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE``.
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

from derivation.kernels.runtime import kernel, kernel_from_model
from derivation.models import get_model

FULL = [(10_000, 10), (100_000, 50), (1_000_000, 20), (200_000, 500)]
QUICK = [(10_000, 10), (100_000, 20)]
PAUSE_ABOVE = 8 << 20  # bytes of X from which each timed call waits for BLAS threads to go idle


def contenders(X: np.ndarray, y: np.ndarray) -> dict:  # noqa: N803 - X as in the formulas
    """name -> zero-argument-in-theta callable returning the gradient."""
    from scipy.special import expit

    m = X.shape[0]
    ours = kernel("logistic")
    pooled = kernel_from_model(get_model("logistic"), workers=2)
    found = {
        "grad": lambda t: ours.grad(t, X, y),
        "grad 2T": lambda t: pooled.grad(t, X, y),
        "v&g": lambda t: ours.value_and_grad(t, X, y)[1],
        "hand": lambda t: X.T @ (expit(X @ t) - y) / m,
    }
    try:
        from threadpoolctl import ThreadpoolController

        blas = [lib for lib in ThreadpoolController().lib_controllers if lib.user_api == "blas"]

        def hand_one_thread(t):
            for lib in blas:
                lib.set_num_threads(1)
            try:
                return X.T @ (expit(X @ t) - y) / m
            finally:
                for lib in blas:
                    lib.set_num_threads(lib.num_threads)  # back to what NumPy had

        found["hand 1T"] = hand_one_thread
    except ImportError:
        print("  hand 1T skipped: threadpoolctl is not installed")
    try:
        from sklearn._loss.loss import HalfBinomialLoss
        from sklearn.linear_model._linear_loss import LinearModelLoss

        loss = LinearModelLoss(base_loss=HalfBinomialLoss(), fit_intercept=False)
        found["sklearn"] = lambda t: loss.loss_gradient(t, X, y, l2_reg_strength=0.0, n_threads=1)[1]
    except ImportError as error:
        print(f"  sklearn skipped: {error}")
    try:
        import jax

        jax.config.update("jax_enable_x64", True)
        jnp = jax.numpy

        def cost(t, features, labels):
            z = features @ t
            return jnp.mean(jnp.logaddexp(0.0, z) - labels * z)

        jgrad = jax.jit(jax.grad(cost))
        XJ, yJ = jax.device_put(X), jax.device_put(y)
        found["jax"] = lambda t: np.asarray(jgrad(t, XJ, yJ).block_until_ready())
    except ImportError:
        found["jax"] = None
    return found


def bench(m: int, n: int, repeats: int, pause: float, rng: np.random.Generator) -> list[tuple]:
    X = rng.standard_normal((m, n))
    theta = rng.standard_normal(n) / np.sqrt(n)
    y = (rng.random(m) < 0.5).astype(float)
    found = contenders(X, y)
    if found.get("jax") is None:
        print("  jax: not installed, skipped")
        found.pop("jax", None)
    reference = found["hand"](theta)
    for name, f in found.items():  # warm up and check agreement
        got = f(theta)
        assert np.allclose(got, reference, rtol=1e-9, atol=1e-12), name
    times: dict[str, list[float]] = {name: [] for name in found}
    if X.nbytes < PAUSE_ABOVE:
        pause = 0.0  # small X: single-threaded BLAS, and a pause would only cool the caches
    for _ in range(repeats):
        for name, f in found.items():
            time.sleep(pause)  # let BLAS worker threads of the previous call stop spinning
            start = time.perf_counter()
            f(theta)
            times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(ts) for name, ts in times.items()}
    return [(name, t, medians["hand"] / t, X.nbytes / t / 1e9) for name, t in medians.items()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--repeats", type=int, default=None, help="timed calls per contender and size")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds of idle before each timed call (X > 8 MiB)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    env = {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP", "MKL"))}
    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, env {env or '{}'}")
    try:
        from threadpoolctl import threadpool_info

        for pool in threadpool_info():
            name = f"{pool['internal_api']} {pool.get('version')} {pool.get('architecture')}"
            print(f"  {name}: {pool['num_threads']} threads")
    except ImportError:
        pass
    rng = np.random.default_rng(0)
    print(f"{'m':>9} {'n':>4} {'X MB':>7}  {'method':<8} {'median ms':>10} {'vs hand':>8} {'GB/s':>6}")
    for m, n in sizes:
        repeats = args.repeats or max(7, min(51, int(2e8 / (m * n))))
        rows = bench(m, n, repeats, args.pause, rng)
        for name, t, speedup, gbs in rows:
            print(f"{m:>9} {n:>4} {m * n * 8 / 1e6:>7.1f}  {name:<8} {t * 1e3:>10.3f} {speedup:>7.2f}x {gbs:>6.1f}")
        grad_t = dict((r[0], r[1]) for r in rows)
        print(f"{'':>23}v&g / grad = {grad_t['v&g'] / grad_t['grad']:.2f}")


if __name__ == "__main__":
    main()
