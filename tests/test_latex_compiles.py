"""The standalone LaTeX of every catalog derivation (gradient and Hessian) compiles with pdflatex."""

from __future__ import annotations

import pytest
from derived import derived, derived_hessian

from derivation import render
from derivation.models import MODELS

CASES = [(name, form) for name, model in MODELS.items() for form in model.forms]
HESSIANS = [name for name, model in MODELS.items() if model.matrix_hessian is not None]


@pytest.mark.parametrize(("name", "form"), CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_standalone_latex_compiles(name, form, compile_latex):
    pdf = compile_latex(render(derived(name, form), "latex", standalone=True))
    assert pdf.stat().st_size > 1000


@pytest.mark.parametrize("name", HESSIANS)
def test_hessian_standalone_latex_compiles(name, compile_latex):
    pdf = compile_latex(render(derived_hessian(name), "latex", standalone=True))
    assert pdf.stat().st_size > 1000
