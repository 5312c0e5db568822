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


def pdflatex(folder: Path, source: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """pdflatex run once on ``source`` (ASCII) as ``folder``/d.tex, stopping at the first error; skips without it."""
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed: apt-get install texlive-latex-base texlive-latex-recommended")
    assert source.isascii()
    (folder / "d.tex").write_text(source)
    return subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "d.tex"],
        cwd=folder, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


@pytest.fixture(scope="session")
def run_pdflatex():
    """:func:`pdflatex` for a test that reads its output (a fixture: test files do not import conftest)."""
    return pdflatex


@pytest.fixture
def compile_latex(tmp_path: Path):
    """A function that asserts a LaTeX document (ASCII source) compiles with pdflatex, or skips saying why."""

    def compile_source(source: str) -> Path:
        run = pdflatex(tmp_path, source)
        assert run.returncode == 0, run.stdout[-2000:]
        return tmp_path / "d.pdf"

    return compile_source
