"""Fuzzing the derivation verifier and the command line.

:func:`verify_text` takes whatever a user pastes: it never raises (the command line does not catch), it
ends within its CPU-time bound, and its report renders in every format.  ``main(argv)`` with random and
mutated argument lists always returns 0, 1 or 2; on 2 it prints one line to stderr (a usage error), or a
report to stdout that says what could not be checked.  Counts and the long run: tests/fuzzing.py.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

from fuzzing import (
    DOCUMENT_INPUTS,
    LATEX_CORES,
    LATEX_NESTS,
    LATEX_TOKENS,
    PYTHON_CORES,
    PYTHON_NESTS,
    PYTHON_TOKENS,
    ROOT,
    cpu_bound,
    documents,
    fuzz_settings,
    latex_formulas,
    mutated,
    nested,
    python_lines,
)
from hypothesis import event, example, given
from hypothesis import strategies as st

from derivation.cli import main
from derivation.printing.proof_report import render_proof
from derivation.proof.verifier import verify_text

VERIFY_SECONDS = 20.0  # CPU seconds to verify one document of a few kB (the corpus takes 0.6 s at most)
CLI_SECONDS = 30.0  # CPU seconds for one command, heaviest: show/derive/check of a small expression
MODELS = ["logistic", "logistic-l2", "linear", "sigmoid"]
# The suite's budget: 100 generated documents by default (the same ones every run: the ci profile is derandomised),
# the 200 of before with DERIVATION_FULL_TESTS=1 (and 25 times as many under DERIVATION_FUZZ=long); the @example
# cases, each a crash found once, always run.
FULL = os.environ.get("DERIVATION_FULL_TESTS") == "1"
DOCUMENT_EXAMPLES = 200 if FULL else 100


@fuzz_settings(DOCUMENT_EXAMPLES)
@given(DOCUMENT_INPUTS, st.sampled_from(MODELS[:3]))
@example(
    "the gradient is\n\n$$\\text{for } j$$\n\n$$= \\frac{1}{m}X^T(\\sigma(X\\theta) - y)$$", "logistic"
)  # IndexError
@example(
    r"Let $a_i = \sigma(\theta^T\cdot x^{(i)})$.  $$\frac{\partial a_i}{\partial \theta_j} = a_i(1-a_i)x_j^{(i)}$$",
    "logistic",
)
def test_verifier(text, hypothesis):
    with cpu_bound(VERIFY_SECONDS):
        report = verify_text(text, hypothesis=hypothesis)
        assert report.exit_code in (0, 1, 2)
        for fmt in ("text", "json", "latex"):
            assert render_proof(report, fmt)


# --- the command line --------------------------------------------------------------------------------

_OUT = Path(tempfile.mkdtemp(prefix="fuzz-cli-"))
CORPUS_FILES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "corpus").glob("*/*.*"))[::7]
WEIRD = [
    "", " ", "-", "--", "-x", "--nope", "nan", "inf", "-5", "0", "1e300", "0.1", "3600", "é", "θ", "\u202e",
    "x" * 300, "/dev/null", "/nonexistent/file.tex", "/", ":", "a:b", "tests", "README.md", "=", "\\", "'\"",
]  # fmt: skip
VALUES = {
    "--format": ["text", "latex", "markdown", "json", "html"],
    "--timeout": ["10", "0.1", "nan", "inf", "-1", "1e300", "abc"],
    "--seed": ["0", "1", "x", "99999999999999999999"],  # "-1": an open finding, see test_fuzz_findings.py
    "--hypothesis": [*MODELS, "nomodel"],
    "--form": ["sum", "example", "matrix"],
    "--wrt": ["w", "theta[j]", "x", "z", "theta", "w+1", "j", "θ"],
    "--call": ["grad(X, y, theta)", "f(", "g(X)"],
    "-o": [str(_OUT / "out.txt"), str(_OUT), "/nonexistent/dir/out.txt"],
    "--python": ["/nonexistent.py:f", "README.md", "a:b", ":"],
}
LATEX_EXPRESSIONS = st.one_of(
    mutated(latex_formulas(), LATEX_TOKENS), nested(LATEX_NESTS, LATEX_CORES), st.sampled_from(WEIRD)
)
PYTHON_EXPRESSIONS = st.one_of(
    mutated(python_lines(), PYTHON_TOKENS), nested(PYTHON_NESTS, PYTHON_CORES), st.sampled_from(WEIRD)
)
FLAGS = ["--latex", "--ascii", "--standalone", "--hessian", "--json", "--isolate", "--help", "-h"]


@st.composite
def arguments(draw) -> list[str]:
    """An argument list: a command, its usual arguments, then options with good, bad or missing values."""
    command = draw(st.sampled_from(["show", "derive", "check", "verify", "kernel", "models", "nope", ""]))
    argv = [command] if command else []
    latex = draw(st.booleans())
    expression = draw(LATEX_EXPRESSIONS if latex else PYTHON_EXPRESSIONS)
    if command in ("show", "kernel", "check"):
        argv.append(draw(st.sampled_from(MODELS) | st.sampled_from(WEIRD)))
    elif command == "derive":
        argv += [expression, "--wrt", draw(st.sampled_from(VALUES["--wrt"]))] + (["--latex"] if latex else [])
    elif command == "verify":
        argv.append(draw(st.sampled_from(["-", *CORPUS_FILES]) | st.sampled_from(WEIRD)))
    if command == "check" and draw(st.integers(0, 3)):
        argv += ["--latex" if latex else "--grad", expression]
    for _ in range(draw(st.integers(0, 3))):
        option = draw(st.sampled_from([*VALUES, *FLAGS]))
        argv.append(option)
        if option in VALUES and draw(st.integers(0, 5)):  # now and then the value is missing
            weird = WEIRD[:8] if option != "-o" else []  # never a file written outside the temporary folder
            argv.append(draw(st.sampled_from(VALUES[option] + weird)))
    return argv


def run_cli(argv: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), cpu_bound(CLI_SECONDS):
            try:
                code = main(argv)
            except SystemExit as done:  # --help
                code = done.code
    finally:
        sys.stdin = saved
    return code, out.getvalue(), err.getvalue()


@fuzz_settings(200)
@given(arguments(), st.one_of(mutated(documents(), LATEX_TOKENS).map(str.encode), st.binary(max_size=40)))
@example(["check", "logistic", "--timeout", "nan", "--grad", "x"], b"")
@example(["verify", "-"], b"\xff\xfe")
@example(["verify", "-"], b"$$a = b$$\x00")
def test_command_line(argv, stdin):
    code, out, err = run_cli(argv, stdin)
    event(f"{argv[0] if argv else ''} exit {code}")
    assert code in (0, 1, 2), (code, err[-500:])
    if code == 2 and err:
        assert err.endswith("\n") and err.count("\n") == 1, err
        assert err.startswith("derivation: error: "), err
    elif code == 2:
        assert out.strip(), "exit 2 with nothing said"
