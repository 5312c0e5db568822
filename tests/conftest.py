"""Fixtures shared by the test files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


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
