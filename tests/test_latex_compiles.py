"""The standalone LaTeX of every catalog derivation (gradient and Hessian) compiles with pdflatex."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from derivation import derive_hessian, derive_model, render
from derivation.models import MODELS

CASES = [(name, form) for name, model in MODELS.items() for form in model.forms]
HESSIANS = [name for name, model in MODELS.items() if model.matrix_hessian is not None]


def assert_compiles(source: str, folder: Path) -> None:
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed: apt-get install texlive-latex-base texlive-latex-recommended")
    assert source.isascii()
    (folder / "d.tex").write_text(source)
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "d.tex"],
        cwd=folder, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:]
    assert (folder / "d.pdf").stat().st_size > 1000


@pytest.mark.parametrize(("name", "form"), CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_standalone_latex_compiles(name, form, tmp_path):
    assert_compiles(render(derive_model(name, form), "latex", standalone=True), tmp_path)


@pytest.mark.parametrize("name", HESSIANS)
def test_hessian_standalone_latex_compiles(name, tmp_path):
    assert_compiles(render(derive_hessian(name), "latex", standalone=True), tmp_path)
