"""The standalone LaTeX of every catalog derivation compiles with pdflatex."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from derivation import derive_hessian, derive_model, render
from derivation.models import MODELS

CASES = [(name, form) for name, model in MODELS.items() for form in model.forms]


@pytest.mark.parametrize(("name", "form"), CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_standalone_latex_compiles(name, form, tmp_path):
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed: apt-get install texlive-latex-base texlive-latex-recommended")
    source = render(derive_model(name, form), "latex", standalone=True)
    assert source.isascii()
    (tmp_path / "d.tex").write_text(source)
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "d.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "d.pdf").stat().st_size > 1000


@pytest.mark.parametrize("name", ["logistic", "logistic-l2", "linear"])
def test_hessian_standalone_latex_compiles(name, tmp_path):
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed: apt-get install texlive-latex-base texlive-latex-recommended")
    source = render(derive_hessian(name), "latex", standalone=True)
    assert source.isascii()
    (tmp_path / "h.tex").write_text(source)
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "h.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:]
