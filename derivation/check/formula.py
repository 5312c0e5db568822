"""A formula read from the user's text, on the model's data: the reading context (the h_θ a cost defines), its values
on each dataset, errors that name the model's symbols, the reading shown back, and a product whose shapes do not
match (transposed, or not)."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np
import sympy as sp

from ..core.models import Model
from ..models.costs import defined_hypothesis
from ..oracle.datasets import EvalError, Evaluator
from ..parsing import ParseError
from ..proof.read import model_context
from .diagnose import FAULTS, Diagnosis, Problem
from .usercode import InputError
from .verdict import CORRECT, INCORRECT, GradientReport, build_report


def hypothesis_class(model: Model):
    return own_context(model).hypothesis


def own_context(model: Model):
    """The model's LaTeX context; a model read from a cost that defines h_θ beside it (h_θ(x) = θ₀ + θ₁x, which
    the model does not imply) reads h_θ(x⁽ⁱ⁾) as that definition (it was 'this model has no hypothesis h_θ')."""
    context = model_context(model)
    if context.hypothesis is not None or model.cost_text is None:
        return context
    defined = defined_hypothesis(model.cost_text)
    return context if defined is None else dataclasses.replace(context, hypothesis=defined)


def shape_fault(problem: Problem, base: dict[str, Any], error: ParseError, reread, mark: str = "^T") -> GradientReport:
    """Read, but the shapes of a product do not match: incorrect; "transposed" when a transpose makes it right.

    ``reread(written)`` checks the input again with the mismatched product read with one factor transposed
    (appended to ``written``); ``mark`` is how the input writes a transpose (^T in LaTeX, .T in Python).
    """
    report = build_report(problem, base, INCORRECT, str(error))
    written: list[sp.MatrixExpr] = []
    try:
        repaired = reread(written)
    except (ParseError, InputError):
        return report
    row = repaired.diagnosis is not None and repaired.diagnosis.exact and repaired.diagnosis.fault == "transposed"
    if len(written) != 1 or not (repaired.status == CORRECT or row):
        return report
    factor = written[0]
    shown = (factor.name if isinstance(factor, sp.MatrixSymbol) else f"({reading_of(factor)})") + mark
    explanation = f"with {shown} the shapes match and it is the gradient: write {shown}"
    if row:
        explanation = f"with {shown} the shapes match but give the gradient as a row: write X{mark} times the column"
    diagnosis = Diagnosis("transposed", FAULTS["transposed"], explanation)
    return dataclasses.replace(report, diagnosis=diagnosis, reading=repaired.reading)


def model_symbols(model: Model, kind: str) -> str:
    """The names a user may write for ``model`` in input of ``kind`` ("matrix", "index" or "latex").

    >>> from derivation.models import get_model
    >>> model_symbols(get_model("logistic"), "matrix")
    'X, theta, y, m, n; functions sigmoid, exp, log, sqrt, sum'
    """
    lam = bool(model.parameters)
    if kind == "matrix":
        names = "X, theta, y, m, n" + (", lam, e0 (the unit vector (1, 0, …, 0)ᵀ)" if lam else "")
        return names + "; functions sigmoid, exp, log, sqrt, sum"
    if kind == "index":
        names = "X[i, k] (or x), theta[k], y[i], i, j, k, m, n" + (", lam, KroneckerDelta(j, 0)" if lam else "")
        return names + "; h(i); functions sigmoid, exp, log, sqrt, Sum"
    names = r"x_j^{(i)}, y^{(i)}, \theta_j, h_\theta(x^{(i)}), X, \theta, y, m, n" + (r", \lambda" if lam else "")
    return names + r"; \sigma, \log, \exp, e^{...}, \sum_{i=1}^{m}"


def with_model_symbols(error: ParseError, model: Model, kind: str) -> ParseError:
    if not error.message.startswith("unknown name"):
        return error
    name = error.message.split("(")[0].strip()
    return ParseError(f"{name}; {model.name} uses: {model_symbols(model, kind)}", error.position, error.text)


def evaluate(expr: sp.Basic, problem: Problem, offset: int, text: str, kind: str, datasets=None) -> list[np.ndarray]:
    out = []
    for d in problem.datasets if datasets is None else datasets:
        try:
            out.append(np.asarray(Evaluator(d, row_offset=offset).value(expr)))
        except EvalError as error:
            raise _input_error(str(error), problem.model, text, kind) from None
    return out


def _input_error(message: str, model: Model, text: str, kind: str) -> InputError:
    flavour = "latex" if kind.startswith("LaTeX") else ("matrix" if "matrix" in kind else "index")
    position = None
    if message.startswith(("unknown symbol", "free index")):
        name = message.split("'")[1]
        position = _find_name(text, name, last=message.startswith("free index"))
        message = f"{message}; {model.name} uses: {model_symbols(model, flavour)}"
    elif "out of range" in message:
        where = (
            r"1..m in LaTeX (\sum_{i=1}^{m})" if flavour == "latex" else "0..m−1 in Python syntax: Sum(…, (i, 0, m-1))"
        )
        message = f"{message}; examples run {where}, features 0..n"
    return InputError(message, position, text)


def _find_name(text: str, name: str, last: bool = False) -> int | None:
    matches = list(re.finditer(r"(?<![A-Za-z])\\?" + re.escape(name) + r"(?![A-Za-z])", text))
    if not matches:
        return None
    return matches[-1 if last else 0].start()


def reading_of(expr: sp.Basic) -> str | None:
    from ..printing.expr import to_unicode

    try:
        return to_unicode(expr)
    except Exception:  # the reading is a courtesy: a printer gap must not hide the verdict
        return None
