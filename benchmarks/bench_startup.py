"""How long the command line takes to start: whole processes, medians with min–max.

`derivation --help`, `derivation models` and a usage error should not wait for
SymPy at all; `derivation show logistic` pays for SymPy and one catalog model.
Baselines measured in the same run: a bare `python -c pass` and `python -c
"import sympy"`. Also reports whether each command imported SymPy (`-X
importtime`). Run as `python benchmarks/bench_startup.py [--repeat N]`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = (
    ("python -c pass (baseline)", ["-c", "pass"], 0),
    ("python -c 'import sympy' (baseline)", ["-c", "import sympy"], 0),
    ("derivation --help", ["-m", "derivation", "--help"], 0),
    ("derivation models", ["-m", "derivation", "models"], 0),
    ("derivation show (usage error)", ["-m", "derivation", "show"], 2),
    ("derivation show nope (usage error)", ["-m", "derivation", "show", "nope"], 2),
    ("derivation show logistic", ["-m", "derivation", "show", "logistic"], 0),
)


def run_times(args: list[str], expected_code: int, repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` runs; each run must exit with ``expected_code``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        code = subprocess.run([sys.executable, *args], capture_output=True, check=False).returncode
        times.append(time.perf_counter() - start)
        assert code == expected_code, f"{args} exited {code}, expected {expected_code}"
    return times


def imports_sympy(args: list[str]) -> bool:
    """Whether the process imported SymPy (read from ``-X importtime`` on stderr)."""
    err = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True).stderr
    return any(line.rsplit("|", 1)[-1].strip() == "sympy" for line in err.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    repeat = parser.parse_args().repeat
    assert repeat >= 1
    print(f"{'what':40s} {'median s':>9s} {'min–max s':>13s}  sympy   (repeat={repeat})")
    for what, args, code in COMMANDS:
        times = run_times(args, code, repeat)
        sympy = "yes" if imports_sympy(args) else "no"
        print(f"{what:40s} {statistics.median(times):9.3f} {min(times):6.3f}–{max(times):.3f}  {sympy}")


if __name__ == "__main__":
    main()
