"""The public entry points: derive a catalog model or any expression, verified."""

from __future__ import annotations

from dataclasses import replace

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from . import engine
from .models import get_model
from .notation import FEATURES, j
from .printing.expr import to_latex, to_unicode
from .steps import Derivation
from .vectorise import vectorise
from .verify import sympy_oracle, verify_derivation


def derive_model(name: str, form: str = "sum", *, seed: int = 0, verify: bool = True) -> Derivation:
    """The step-by-step derivative of catalog model ``name``, every step checked.

    The result is compared with the model's closed form (sum and matrix form)
    and with ``sympy.diff`` of the cost.

    >>> d = derive_model("logistic")
    >>> d.verified, d.steps[-1].rule
    (True, 'vectorise')
    """
    model = get_model(name)
    f = model.form(form)
    index_range = (FEATURES[1], FEATURES[2]) if isinstance(f.variable, sp.Indexed) else None
    derivation = engine.derive(
        f.cost,
        f.variable,
        goal=f.goal,
        definitions=f.definitions,
        index_range=index_range,
        vectorise=vectorise if form == "sum" else None,
        title=f"{model.title}: {to_unicode(f.goal)}",
        model=model.name,
    )
    derivation = _label_definitions(replace(derivation, seed=seed))
    if not verify:
        return derivation
    answers = {"closed form": f.gradient, "sympy.diff of the cost": sympy_oracle(f.cost, f.variable)}
    if model.matrix_gradient is not None and form == "sum":
        answers["closed form (matrix)"] = MatrixElement(model.matrix_gradient, j, 0)
    return verify_derivation(derivation, answers)


def derive(expr: sp.Expr, wrt: sp.Expr, *, seed: int = 0, verify: bool = True) -> Derivation:
    """The step-by-step derivative of any expression, each step checked, the result against ``sympy.diff``.

    >>> w, x, y = sp.symbols("w x y")
    >>> d = derive(sp.log(1 + sp.exp(-y * w * x)), w)
    >>> d.verified, len(d.steps) > 2
    (True, True)
    """
    derivation = replace(engine.derive(expr, wrt, title=f"Derivative with respect to {to_unicode(wrt)}"), seed=seed)
    if not verify:
        return derivation
    return verify_derivation(derivation, {"sympy.diff": sympy_oracle(expr, wrt)})


def _label_definitions(derivation: Derivation) -> Derivation:
    """Name the definition a 'definition' or 'fold' step used, as the seeds do: h_θ(x) = σ(θᵀx)."""
    steps = list(derivation.steps)
    for pos, step in enumerate(steps):
        if step.rule == "definition" and pos == 0 and isinstance(derivation.goal, sp.Derivative):
            name = derivation.goal.expr
            steps[pos] = replace(
                step, label=f"definition of {to_unicode(name)}", label_latex=r"\text{definition of } " + to_latex(name)
            )
        elif step.rule in ("definition", "fold") and len(derivation.definitions) == 1:
            d = derivation.definitions[0]
            short, long = (d.short, d.long) if step.rule == "definition" else (d.long, d.short)
            label, label_latex = f"{to_unicode(short)} = {to_unicode(long)}", f"{to_latex(short)} = {to_latex(long)}"
            steps[pos] = replace(step, label=label, label_latex=label_latex)
    return replace(derivation, steps=tuple(steps))
