"""Fixtures shared by the test files."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings

# ci (the default): the same examples on every run, no example database, so CI never flakes.  long
# (DERIVATION_FUZZ=long): fresh random examples, failures kept in .hypothesis/ and replayed first, and the
# fuzzers (tests/fuzzing.py) run 25 times as many.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("long", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("DERIVATION_FUZZ", "ci"))


@pytest.fixture
def compile_latex(tmp_path: Path):
    """A function that asserts a LaTeX document (ASCII source) compiles with pdflatex, or skips saying why."""

    def compile_source(source: str) -> Path:
        if shutil.which("pdflatex") is None:
            pytest.skip("pdflatex not installed: apt-get install texlive-latex-base texlive-latex-recommended")
        assert source.isascii()
        (tmp_path / "d.tex").write_text(source)
        run = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "d.tex"],
            cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout[-2000:]
        return tmp_path / "d.pdf"

    return compile_source
