"""What the fuzzers found, each as an explicit example: fixed ones pass, open ones are strict xfails.

An open finding's xfail turns into a failure (XPASS, strict) the day it is fixed: then drop the mark and
let the fuzzers generate its kind of input again (see PYTHON_CORES in tests/fuzzing.py).
"""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
from fuzzing import cpu_bound

from derivation.parsing import ParseError, parse_latex

SECONDS = 3.0


@pytest.mark.parametrize(
    "text",
    [
        r"\log(" * 11 + "0.5" + ")" * 11,  # was 23 s: SymPy evaluates log of a number at every level
        r"\log\left(" * 20 + "0.5" + r"\right)" * 20,
        r"\sigma(" * 40 + "1" + ")" * 40,
        r"\tanh(" * 40 + "-3" + ")" * 40,
    ],
)
def test_latex_functions_of_a_number_nested_deep_are_refused_at_once(text):
    with pytest.raises(ParseError, match="functions of a number nested"), cpu_bound(SECONDS):
        parse_latex(text)


def test_latex_functions_of_a_number_a_few_deep_still_read():
    assert str(parse_latex(r"\log(\sigma(\exp(2)))")) == "log(sigmoid(exp(2)))"


# Fixed: read_expr refuses function calls nested over 12 deep and functions of a number over 6 deep (parsing/bounds.py).
CHILD = """import math, resource, sys
from derivation.parsing import ParseError, read_expr_auto
used = resource.getrusage(resource.RUSAGE_SELF)
limit = math.ceil(used.ru_utime + used.ru_stime + float(sys.argv[2]))
resource.setrlimit(resource.RLIMIT_CPU, (limit, resource.getrlimit(resource.RLIMIT_CPU)[1]))
try:
    read_expr_auto(sys.argv[1])
except ParseError:
    pass
"""


@pytest.mark.parametrize(
    "text",
    [
        "sigmoid(" * 180 + "1" + ")" * 180,  # 30 s (100 deep: 5 s); sigmoid.eval asks is_zero: evalf of the nest
        "log(" * 14 + "0.5" + ")" * 14,  # minutes in sympy.log itself (11 deep: 1 to 23 s, by hash seed)
        "1/(1 + exp(-" * 22 + "X @ theta" + "))" * 22,  # 16 deep 0.9 s, 20 deep 15 s: doubling at each level
    ],
    ids=["sigmoid-180", "log-14", "sigmoid-by-hand-22"],
)
def test_python_reader_deep_nests_end_within_the_bound(text):
    """In a child process killed at the bound: SymPy swallows the in-process guard's signal for minutes here.

    The bound is CPU time after the imports (RLIMIT_CPU: the kernel's SIGXCPU, which nothing in the child catches),
    so a loaded machine does not stretch it; a wall-clock timeout catches only a child that sleeps or blocks.
    """
    try:
        run = subprocess.run([sys.executable, "-c", CHILD, text, str(SECONDS)], timeout=60, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"read_expr({text[:20]}…) did not end within 60 s")
    assert run.returncode != -signal.SIGXCPU, f"read_expr({text[:20]}…) ran past {SECONDS} s of CPU"
    assert run.returncode == 0, run.returncode


def test_a_negative_seed_is_a_usage_error():
    from test_fuzz_verifier import run_cli

    code, _, err = run_cli(["check", "logistic", "--grad", "X.T @ (sigmoid(X @ theta) - y) / m", "--seed", "-1"])
    assert code == 2 and err.count("\n") == 1, err
