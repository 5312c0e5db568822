"""Out-of-core training on Dask: logistic regression over a float64 .npy on local disk, larger than the workers' memory.

    python benchmarks/bench_dask.py              # ~10 GB of X (62.5M x 20 float64) on disk, 2 workers, 1 GB each
    python benchmarks/bench_dask.py --quick      # 0.5 GB: a smoke run of a minute
    python benchmarks/bench_dask.py --gb 4 --worker-memory 0.5 --chunk-mb 64 --warm

What it does, in order:

1. writes X (m × 20: a column of ones and standard normals) and y (0/1 labels of a logistic model) as .npy
   files in a temporary directory, chunk by chunk (never the whole array in RAM), each chunk flushed to disk
   and dropped from the page cache (``posix_fadvise(DONTNEED)``);
2. times single NumPy passes over the file: ``np.load(mmap_mode='r')`` summed in blocks, and the workers' own
   reads (``os.pread`` of each chunk) summed; the faster of the two is the reference of every ratio (the memmap
   pass reads through page faults and was 4x slower here: against it, Dask would look good for no reason);
   then the generated kernel in this one process, on that memmap (``kernel("logistic").value_and_grad``) and
   on the workers' chunks one after the other (the work of the workers without Dask);
3. starts a ``LocalCluster`` (2 worker processes, one thread each, ``--worker-memory`` GB each) and wraps the
   files with ``dask.array.from_array`` over a small loader that reads its rows with ``os.pread`` in the
   worker (the graph carries the path, never the data), chunks of ``--chunk-mb`` rows × all columns;
4. times ``value_and_grad`` passes and a short ``derivation.fit`` (``--iterations`` L-BFGS iterations);
   every figure is GB of X per second of wall time, and the peak resident memory of each worker is reported;
5. deletes the files (also on error or Ctrl-C).

Unless ``--warm``, every pass reads the disk: the file is dropped from the page cache before each timed
pass and, in the loader, after each chunk is read (the run says whether the file would fit in the page
cache: with 23 GB of RAM a 10 GB file would, and warm passes then measure memory, not disk).
"""

from __future__ import annotations

import argparse
import os
import pickle
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import derivation
from derivation.kernels.runtime import kernel

COLUMNS = 20  # n + 1, as the (1M, 20) case of bench_kernels.py
TRUE_THETA = np.linspace(-1.0, 1.0, COLUMNS) / np.sqrt(COLUMNS)


class NpyRows:
    """Rows of a .npy file read on demand (``os.pread``): what ``dask.array.from_array`` slices in each worker.

    Pickles as its path and header (a few hundred bytes), so a graph over it never carries the data.
    """

    def __init__(self, path: str, evict: bool):
        with open(path, "rb") as f:
            version = np.lib.format.read_magic(f)
            read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read(f)
            self.offset = f.tell()
        assert not fortran
        self.path, self.shape, self.dtype, self.evict = path, shape, np.dtype(dtype), evict
        self.ndim = len(shape)
        self.row_bytes = int(np.prod(shape[1:], dtype=np.int64)) * self.dtype.itemsize

    def __getitem__(self, index: tuple[slice, ...]) -> np.ndarray:
        index = index if isinstance(index, tuple) else (index,)
        lo, hi, step = index[0].indices(self.shape[0])
        assert step == 1
        out = np.empty((hi - lo, *self.shape[1:]), dtype=self.dtype)
        start, size = self.offset + lo * self.row_bytes, (hi - lo) * self.row_bytes
        fd = os.open(self.path, os.O_RDONLY)
        try:
            view, done = memoryview(out.reshape(-1).view(np.uint8)), 0
            while done < size:
                done += os.preadv(fd, [view[done:]], start + done)
            if self.evict:
                os.posix_fadvise(fd, start, size, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
        return out[(slice(None), *index[1:])] if len(index) > 1 else out


def evict(path: Path) -> None:
    """Drop the file's clean pages from the page cache."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def write_data(folder: Path, m: int, chunk_rows: int) -> tuple[Path, Path]:
    """X.npy (m × COLUMNS) and y.npy (m,), written chunk by chunk, each chunk flushed and dropped from the cache."""
    rng = np.random.default_rng(0)
    paths = folder / "X.npy", folder / "y.npy"
    for path, shape in zip(paths, [(m, COLUMNS), (m,)], strict=True):
        np.lib.format.open_memmap(path, mode="w+", dtype=np.float64, shape=shape).flush()  # header; sparse body
    offsets = [NpyRows(str(p), evict=False).offset for p in paths]
    with open(paths[0], "r+b") as fx, open(paths[1], "r+b") as fy:
        for lo in range(0, m, chunk_rows):
            rows = min(chunk_rows, m - lo)
            X = rng.standard_normal((rows, COLUMNS))
            X[:, 0] = 1.0
            y = (rng.random(rows) < 1.0 / (1.0 + np.exp(-(X @ TRUE_THETA)))).astype(np.float64)
            for f, data, offset in zip((fx, fy), (X, y), offsets, strict=True):
                start = offset + lo * data[0].nbytes
                f.seek(start)
                f.write(data.tobytes())
                f.flush()
                os.fdatasync(f.fileno())  # dirty pages cannot be dropped
                os.posix_fadvise(f.fileno(), start, data.nbytes, os.POSIX_FADV_DONTNEED)
    return paths


def numpy_pass(path: Path, block_rows: int) -> float:
    """Seconds for one plain NumPy pass: the memmap summed block by block."""
    X = np.load(path, mmap_mode="r")
    start, total = time.perf_counter(), 0.0
    for lo in range(0, X.shape[0], block_rows):
        total += float(X[lo : lo + block_rows].sum())
    return time.perf_counter() - start


def peak_rss() -> int:
    """Peak resident memory of this process in bytes: VmHWM, which starts afresh at exec (ru_maxrss does not on
    Linux: a spawned worker would report the driver's peak)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM:"))


def meminfo() -> dict[str, int]:
    with open("/proc/meminfo") as f:
        return {line.split(":")[0]: int(line.split()[1]) * 1024 for line in f}


def environment(gb: float, args: argparse.Namespace) -> None:
    import dask
    import distributed
    import scipy

    env = {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP", "MKL"))}
    mem = meminfo()
    print(f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
          f"dask {dask.__version__}, distributed {distributed.__version__}, {os.cpu_count()} CPUs")  # fmt: skip
    print(f"OPENBLAS_*/OMP_*/MKL_* variables: {env or 'none'}")
    try:
        from threadpoolctl import threadpool_info

        for p in threadpool_info():
            print(f"  {p['internal_api']} {p.get('version', '')}: {p['num_threads']} threads")
    except ImportError:
        print("  (threadpoolctl not installed: BLAS threads not shown)")
    print(f"RAM {mem['MemTotal'] / 1e9:.1f} GB, available {mem['MemAvailable'] / 1e9:.1f} GB; "
          f"X {gb:.2f} GB: the file {'fits' if gb * 1e9 < mem['MemAvailable'] else 'does not fit'} in the page cache; "
          + ("it is used (--warm)" if args.warm else "it is dropped before every timed pass and after every chunk read,"
             " so every pass reads the disk"))  # fmt: skip
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) at the start")
    print(f"workers: 2 processes x 1 thread, {args.worker_memory:.2f} GB each "
          f"({2 * args.worker_memory:.2f} GB in all, {gb / (2 * args.worker_memory):.1f}x less than X); "
          f"chunks of {args.chunk_mb} MB")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gb", type=float, default=10.0, help="size of X in GB (default 10)")
    parser.add_argument("--quick", action="store_true", help="0.5 GB")
    parser.add_argument("--worker-memory", type=float, default=1.0, help="GB per worker (2 workers; default 1)")
    parser.add_argument("--chunk-mb", type=int, default=128, help="MB of X per Dask chunk (default 128)")
    parser.add_argument("--rounds", type=int, default=3, help="passes of each contender, interleaved (default 3)")
    parser.add_argument("--iterations", type=int, default=3, help="L-BFGS iterations of the fit (default 3)")
    parser.add_argument("--warm", action="store_true", help="keep the file in the page cache")
    parser.add_argument("--dir", default=None, help="where to write the files (default: the temp dir)")
    args = parser.parse_args(argv)
    gb = 0.5 if args.quick else args.gb
    m = int(gb * 1e9) // (COLUMNS * 8)
    chunk_rows = args.chunk_mb * 10**6 // (COLUMNS * 8)
    environment(m * COLUMNS * 8 / 1e9, args)

    from dask.distributed import Client, LocalCluster

    folder = Path(tempfile.mkdtemp(prefix="derivation-bench-dask-", dir=args.dir))
    free = shutil.disk_usage(folder).free
    if free < 1.2 * gb * 1e9:
        raise SystemExit(f"{folder}: {free / 1e9:.1f} GB free, {gb * 1.1:.1f} GB needed")
    try:
        start = time.perf_counter()
        x_path, y_path = write_data(folder, m, chunk_rows)
        seconds = time.perf_counter() - start
        x_gb = x_path.stat().st_size / 1e9
        print(f"\nwrote {x_path} ({x_gb:.2f} GB, {m:,} x {COLUMNS}) and y in {seconds:.1f} s")
        theta = np.zeros(COLUMNS)

        def cold() -> None:
            if not args.warm:
                evict(x_path)
                evict(y_path)

        k = kernel("logistic")
        rows = k.namespace["_value_and_grad_rows"]
        loader = NpyRows(str(x_path), evict=not args.warm), NpyRows(str(y_path), evict=not args.warm)

        def pread_sum() -> None:
            for lo in range(0, m, chunk_rows):
                loader[0][lo : lo + chunk_rows].sum()

        def pread_kernel() -> None:  # the workers' work, one chunk after the other in this process
            for lo in range(0, m, chunk_rows):
                Xc, yc = loader[0][lo : lo + chunk_rows], loader[1][lo : lo + chunk_rows]
                rows(theta, Xc, yc, 0, Xc.shape[0])

        def memmap_kernel() -> None:
            k.value_and_grad(theta, np.load(x_path, mmap_mode="r"), np.load(y_path, mmap_mode="r"))

        import dask.array as da

        limit = int(args.worker_memory * 1e9)
        with (
            LocalCluster(n_workers=2, threads_per_worker=1, memory_limit=limit, dashboard_address=":0") as cluster,
            Client(cluster) as client,
        ):
            X = da.from_array(NpyRows(str(x_path), evict=not args.warm), chunks=(chunk_rows, -1), asarray=False)
            y = da.from_array(NpyRows(str(y_path), evict=not args.warm), chunks=(chunk_rows,), asarray=False)
            print(f"dask X: {X.numblocks[0]} chunks of {chunk_rows:,} rows; graph of one pass pickles to "
                  f"{len(pickle.dumps(X.__dask_graph__())) / 1e3:.0f} kB")  # fmt: skip
            k.value_and_grad(theta, X[:chunk_rows], y[:chunk_rows])  # workers import derivation, compile the kernel
            rss = client.run(peak_rss)
            print(f"worker peak memory after warm-up: {', '.join(f'{v / 1e9:.2f} GB' for v in rss.values())}")
            results: list[tuple[float, np.ndarray]] = []
            contenders = {
                "NumPy: memmap summed in blocks": lambda: numpy_pass(x_path, chunk_rows),
                "NumPy: the workers' pread reads, summed": pread_sum,
                "kernel on the memmap, one process": memmap_kernel,
                "kernel on pread chunks, one process": pread_kernel,
                "kernel on dask X, 2 workers": lambda: results.append(k.value_and_grad(theta, X, y)),
            }
            times: dict[str, list[float]] = {name: [] for name in contenders}
            print(f"\n{args.rounds} rounds, one pass of each contender per round (interleaved: the disk and the load"
                  " of the machine drift)")  # fmt: skip
            for i in range(args.rounds):
                for name, run in contenders.items():
                    cold()
                    start = time.perf_counter()
                    run()
                    times[name].append(time.perf_counter() - start)
                print(f"  round {i + 1}: " + ", ".join(f"{x_gb / t[-1]:.2f}" for t in times.values()) + " GB/s")
            medians = {name: statistics.median(t) for name, t in times.items()}
            reference = min(medians[name] for name in list(contenders)[:2])  # a slow baseline would flatter Dask
            print(f"\n{'median of ' + str(args.rounds) + ' passes':<42} {'s':>7} {'GB/s':>6} {'vs ref':>7}"
                  "  (ref: the faster NumPy pass)")  # fmt: skip
            for name, t in medians.items():
                print(f"{name:<42} {t:7.1f} {x_gb / t:6.2f} {reference / t:6.2f}x")
            cost = results[-1][0]
            print(f"  cost at θ = 0 on dask X: {cost:.12f} (log 2 = {np.log(2):.12f})")
            cold()
            start = time.perf_counter()
            result = derivation.fit(k, X, y, max_iter=args.iterations)
            s = time.perf_counter() - start
            per = s / result.evaluations
            print(f"{f'fit: {result.iterations} L-BFGS iterations, {result.evaluations} passes':<42} {s:7.1f} "
                  f"{x_gb / per:6.2f} {reference / per:6.2f}x  (per pass)")  # fmt: skip
            print(f"  cost {result.cost:.6f}, |θ - θ_true| = {np.linalg.norm(result.theta - TRUE_THETA):.4f} "
                  f"({result.message})")  # fmt: skip
            rss = client.run(peak_rss)
            print(f"worker peak memory: {', '.join(f'{v / 1e9:.2f} GB' for v in rss.values())} "
                  f"(limit {args.worker_memory:.2f} GB each; X is {x_gb:.2f} GB); "
                  f"this process: {peak_rss() / 1e9:.2f} GB (the memmap's file pages included)")  # fmt: skip
    finally:
        print(f"load average {os.getloadavg()[0]:.2f} (1 min) at the end")
        shutil.rmtree(folder, ignore_errors=True)
        print(f"deleted {folder}")


if __name__ == "__main__":
    main()
