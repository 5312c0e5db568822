"""How long verifying a user's derivation takes (issue 5: a 10-step derivation in under 3 s).

The 10-step derivation is the accepted answer of seed 000 (tests/data/proofs/), read
as the user wrote it: ten "=" with rule annotations, each checked, its rule recognised
and the annotation compared.  Also timed: the same chain with one wrong step (its
diagnosis included), the whole answer (17 steps, with the σ′ derivation) and the
whole process (`python -c "import derivation.proof.verifier; verify_text(...)"`, cold).
Prints medians; run as `python benchmarks/bench_proof.py [--repeat N]`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

from timing import median_seconds

ANSWER = Path(__file__).resolve().parents[1] / "tests" / "data" / "proofs" / "seed000_accepted_answer.md"
TARGET = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat

    from derivation.proof.verifier import clear_caches, verify_text

    answer = ANSWER.read_text(encoding="utf-8")
    ten = answer[: answer.index("The derivative of the sigmoid function")]
    wrong = ten.replace(r"\underset{\text{cancel}}=\,\frac{-1}{m}", r"\underset{\text{cancel}}=\,\frac{1}{m}")
    assert len(verify_text(ten).steps) == 10 and verify_text(ten).ok
    assert verify_text(wrong).first_failure.number == 9

    def fresh(text):
        def run():
            clear_caches()  # our memoised results forgotten; SymPy's own caches stay warm, as in a session
            verify_text(text)

        return run

    code = (
        "import sys, time; t = time.perf_counter(); from derivation.proof.verifier import verify_text; "
        "verify_text(open(sys.argv[1]).read()[:int(sys.argv[2])]); print(time.perf_counter() - t)"
    )
    command = [sys.executable, "-c", code, str(ANSWER), str(len(ten))]
    runs = max(3, repeat // 2)
    cold = [float(subprocess.run(command, check=True, capture_output=True, text=True).stdout) for _ in range(runs)]
    process = median_seconds(lambda: subprocess.run(command, check=True, capture_output=True), runs)
    rows = [
        ("10-step derivation, all hold (warm)", median_seconds(fresh(ten), repeat)),
        ("10-step derivation, step 9 wrong, diagnosed (warm)", median_seconds(fresh(wrong), repeat)),
        ("whole answer, 17 steps (warm)", median_seconds(fresh(answer), repeat)),
        ("10-step derivation, import + verify (cold process)", statistics.median(cold)),
        ("10-step derivation, whole process incl. Python start", process),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'case'.ljust(width)}  median (s)   target < {TARGET} s")
    for name, seconds in rows:
        print(f"{name.ljust(width)}  {seconds:10.3f}   {'ok' if seconds < TARGET else 'SLOW'}")


if __name__ == "__main__":
    main()
