"""How long `derivation show logistic` takes, as a whole process and after import.

Baselines measured in the same run: a bare `python -c "import sympy"` (start-up
no SymPy tool can avoid) and `sympy.diff` of the same cost (the answer without
steps or checks). Prints medians; run as `python benchmarks/bench_show.py [--repeat N]`.
Targets (issue 2): whole process < 1.5 s, derive + verify after import < 0.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

from timing import median_seconds


def process(*args: str):
    return lambda: subprocess.run([sys.executable, *args], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat

    import sympy as sp

    import derivation
    from derivation.models import get_model
    from derivation.oracle.equality import sympy_oracle

    rows = []
    startup = median_seconds(process("-c", "import sympy"), repeat)
    whole = median_seconds(process("-m", "derivation", "show", "logistic"), repeat)
    rows.append(("python -c 'import sympy' (baseline)", startup, 1.0))
    rows.append(("derivation show logistic (process)", whole, whole / startup))

    form = get_model("logistic").form("sum")
    oracle = median_seconds(lambda: sp.diff(sympy_oracle(form.cost, form.variable), form.variable), repeat)
    for name in ("logistic", "logistic-l2", "linear", "sigmoid"):
        derivation.derive_model(name)  # warm SymPy's caches the way a second call in a session would
    derive_only = median_seconds(lambda: derivation.derive_model("logistic", verify=False), repeat)
    both = median_seconds(lambda: derivation.derive_model("logistic"), repeat)
    rows.append(("sympy.diff of the cost (baseline)", oracle, 1.0))
    rows.append(("derive logistic (after import)", derive_only, derive_only / oracle))
    rows.append(("derive + verify logistic (after import, warm)", both, both / oracle))
    code = (
        "import time, derivation; t = time.perf_counter(); "
        "derivation.derive_model('logistic'); print(time.perf_counter() - t)"
    )
    cold = statistics.median(
        float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
        for _ in range(repeat)
    )
    rows.append(("derive + verify logistic (after import, cold)", cold, cold / oracle))

    print(f"{'what':45s} {'median s':>10s} {'ratio':>8s}   (repeat={repeat})")
    for what, seconds, ratio in rows:
        print(f"{what:45s} {seconds:10.3f} {ratio:8.1f}x")
    print(f"targets: process < 1.5 s: {'met' if whole < 1.5 else 'MISSED'}; "
          f"derive + verify < 0.5 s (cold): {'met' if cold < 0.5 else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
