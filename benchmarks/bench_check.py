"""Benchmark the gradient checker: how long a verdict takes after ``import derivation.check.gradient``.

    python benchmarks/bench_check.py              # 5 fresh processes per case, 20 warm repeats
    python benchmarks/bench_check.py --quick      # 2 and 5

Two numbers per case:

* ``first``: in a fresh Python process, after ``import derivation.check.gradient`` (whose time is shown
  apart), the first ``check_gradient`` call: it builds the LaTeX parser, draws the datasets and
  evaluates the model's gradient once.  This is what one ``derivation check`` command pays.
* ``warm``: the median of repeated calls in one process with a new seed each time (new data,
  no cached problem), i.e. the verdict itself.

Cases cover every input kind and the slow path: an incorrect gradient that no fault explains,
so that every hypothesis, including the complex-step derivatives by X and y, is tried.  The targets
of issue 4: under 1 s for an expression or LaTeX, under 2 s for a NumPy function.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = str(ROOT / "tests" / "data" / "seed000_compute_grad_fixed.py") + ":compute_grad"
CASES = [
    ("expression, matrix form, correct", "logistic", {"grad": "1/m * X.T @ (sigmoid(X @ theta) - y)"}),
    (
        "expression, index form, correct",
        "logistic",
        {"grad": "Sum((sigmoid(Sum(theta[k]*X[i,k], (k, 0, n))) - y[i])*X[i, j], (i, 0, m-1))/m"},
    ),
    (
        "LaTeX, index form, correct",
        "logistic",
        {"latex": r"\frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)})-y^{(i)}\right)x_j^{(i)}"},
    ),
    (
        "LaTeX, l2, bias regularised",
        "logistic-l2",
        {"latex": r"\frac{1}{m}\sum_{i=1}^{m}(h_\theta(x^{(i)})-y^{(i)})x_j^{(i)} + \frac{\lambda}{m}\theta_j"},
    ),
    ("expression, wrong variable (∂J/∂X)", "logistic", {"grad": "(sigmoid(X @ theta) - y) @ theta.T / m"}),
    ("expression, no fault explains it", "logistic", {"grad": "X.T @ (exp(X @ theta) - y) / m"}),
    ("NumPy function, seed 000 (sign)", "logistic", {"python": SEED}),
]

_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from derivation.check.gradient import check_gradient
t1 = time.perf_counter()
report = check_gradient(sys.argv[1], **json.loads(sys.argv[2]))
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first": t2 - t1, "status": report.status}))
"""


def first_call(model: str, kwargs: dict, runs: int) -> tuple[float, float, str]:
    imports, firsts, status = [], [], ""
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, model, json.dumps(kwargs)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        data = json.loads(out.stdout.strip().splitlines()[-1])
        imports.append(data["import"])
        firsts.append(data["first"])
        status = data["status"]
    return statistics.median(imports), statistics.median(firsts), status


def warm(model: str, kwargs: dict, repeats: int, base: int) -> float:
    """Median seconds per call; every call gets a seed no other call used, so nothing is cached."""
    from derivation.check.gradient import check_gradient

    check_gradient(model, **kwargs, seed=base - 1)
    times = []
    for seed in range(base, base + repeats):
        start = time.perf_counter()
        check_gradient(model, **kwargs, seed=seed)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer processes and repeats")
    args = parser.parse_args()
    runs, repeats = (2, 5) if args.quick else (5, 20)
    print(f"python {sys.version.split()[0]}; medians of {runs} fresh processes and {repeats} warm calls")
    header = f"{'case':42} {'status':10} {'import s':>9} {'first s':>8} {'warm ms':>8}"
    print(header)
    print("-" * len(header))
    for index, (name, model, kwargs) in enumerate(CASES):
        imported, first, status = first_call(model, kwargs, runs)
        hot = warm(model, kwargs, repeats if "python" not in kwargs else max(3, repeats // 4), 1000 * (index + 1))
        print(f"{name:42} {status:10} {imported:9.2f} {first:8.3f} {hot * 1000:8.1f}")


if __name__ == "__main__":
    main()
