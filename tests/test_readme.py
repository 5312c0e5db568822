"""The README's Python tour runs as written, and its CLI samples are what the CLI prints."""

from __future__ import annotations

import doctest
import io
import re
import sys
from pathlib import Path

from cli_runner import run_cli

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_python_examples_run():
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_readme_cli_samples_are_real_output(monkeypatch):
    """Each command through the CLI's main() in this process (ten interpreters that import SymPy took ~6 s more;
    test_startup runs the installed script), from the README's folder, with the README's LaTeX as standard input."""
    monkeypatch.chdir(README.parent)
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.S | re.M)
    commands = (
        ["models"],
        ["show", "logistic"],
        ["show", "sigmoid", "--ascii"],
        ["derive", "log(1 + exp(-y*w*x))", "--wrt", "w"],
        ["check", "logistic", "--grad", "1/m * X.T @ (sigmoid(X @ theta) - y)"],
        ["verify", "-"],
        ["check", "logistic", "--python", "tests/corpus/numpy/logistic_c_ones.py:gradient"],
        ["check", "logistic", "--python", "tests/corpus/numpy/bad_logistic_summed.py:compute_grad"],
        ["check", "linear", "--python", "tests/data/user_styles/descent.py:gradientDescent"],
        ["check", "logistic-l2", "--python", "tests/data/octave/costFunctionReg_theta0.m"],
    )
    latex = re.search(r"```latex\n(.*?)```", text, flags=re.S).group(1)  # the README's my_derivation.tex
    for args in commands:
        monkeypatch.setattr(
            sys, "stdin", io.TextIOWrapper(io.BytesIO(latex.encode() if args == ["verify", "-"] else b""))
        )
        out = run_cli(*args).stdout.rstrip()
        samples = [b.rstrip() for b in blocks] + [b.rstrip().split("\n", 1)[-1] for b in blocks if b.startswith("$ ")]
        assert out in samples, f"README sample of `derivation {' '.join(args)}` is stale"
