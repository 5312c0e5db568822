"""Check a user's gradient: an expression, LaTeX or a NumPy function → correct, incorrect or undecided.

The received gradient is evaluated on several random datasets of different sizes
(reproducible from a seed) and compared with the model's closed-form gradient;
when it differs, the report carries the smallest dataset where it does (a
counterexample) and, where a common fault explains the difference exactly on
every dataset, its name (:mod:`derivation.check.diagnose`).

Shapes: the gradient is an (n+1)-vector; (n+1,) and (n+1, 1) are both accepted
(for a NumPy function, whichever θ was passed as; the other one is accepted with a
note, since θ − α·g would then broadcast).  A (1, n+1) row is *incorrect*,
diagnosed "transposed": it is the shape of (h − y)ᵀX, and θ − α·g broadcasts it.
A NumPy function is called with θ (n+1,), y (m,) and, failing that, θ (n+1, 1),
y (m, 1); it is correct when it is right in either convention.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..core.catalog import no_gradient_to_check
from ..core.models import Model
from ..derive.costs import EPSILON, TWO_CONSTANTS_NOTE, renamed_constant
from ..models import get_model
from ..parsing import ParseError
from ..parsing.statement import read_gradient
from .at_own_n import code_at_own_n
from .classes import (
    ClassProblem,
    check_class_expression,
    check_class_function,
    class_context,
    class_symbols,
    is_class_model,
)
from .expression import check_expression
from .formula import model_symbols
from .judge_code import judge_run
from .latex import check_latex
from .latex_judge import FORMS, with_definitions
from .latex_rewrites import LAMBDA_LATEX, LAMBDA_PYTHON, run_renamed
from .problem_data import method_line, one_feature_problem, problem_for
from .usercode import InputError, run_user_function
from .verdict import CORRECT, INCORRECT, UNDECIDED, GradientReport

_CLASS_PROBLEMS: dict[tuple[int, int], tuple[Model, Any]] = {}


def check_gradient(
    model_name: str | Model,
    *,
    grad: str | None = None,
    latex: str | None = None,
    python: str | None = None,
    call: str | None = None,
    seed: int = 0,
    timeout: float = 10.0,
    isolate: bool = False,
    layout: str | None = None,
    labels: str | None = None,
) -> GradientReport:
    r"""Decide whether a gradient of ``model_name``'s cost is right; exactly one of grad/latex/python.

    ``grad`` is Python-syntax math (matrix form with ``@`` and ``.T``, or index form with
    ``Sum`` and 0-based ``X[i, j]``); ``latex`` is course notation (``\sum_{i=1}^{m}``,
    1-based), a bare right side or as users write it: an equation (``\nabla_\theta J = …``,
    ``\frac{\partial \ell}{\partial \theta_j} = …``, ``dw = …`` and ``db = …``), an update rule
    (``\theta_j := \theta_j - \alpha …``) or cases for j = 0 and j ≥ 1, judged against what its left
    side names (:func:`~derivation.parsing.statement.read_gradient`); ``python`` is ``FILE:FUNCTION``
    run in a subprocess (``call`` as in ``"grad(X, y, theta)"``).  Unreadable input raises
    :class:`~derivation.parsing.ParseError` (an :class:`~derivation.check.usercode.InputError` for files
    and calls).

    >>> check_gradient("logistic", grad="1/m * X.T @ (sigmoid(X @ theta) - y)").status
    'correct'
    >>> r = check_gradient("logistic", grad="X.T @ (y - sigmoid(X @ theta)) / m")
    >>> r.status, r.diagnosis.name
    ('incorrect', 'ascent and descent swapped')
    >>> check_gradient("linear", latex=r"\theta := \theta - \frac{\alpha}{m} X^T(X\theta - y)").status
    'correct'
    """
    given = [name for name, v in (("grad", grad), ("latex", latex), ("python", python)) if v is not None]
    if len(given) != 1:
        raise InputError(
            "give exactly one of --grad, --latex, --python" + (f" (got {', '.join(given)})" if given else "")
        )
    if call is not None and python is None:
        raise InputError("--call goes with --python")
    model = _model(model_name)
    if is_class_model(model):  # ∂J/∂W: W's layout and the labels' form are conventions of the function
        return _check_classes(model, grad, latex, python, call, seed, timeout, isolate, layout, labels)
    if layout is not None or labels is not None:
        raise InputError(f"--layout and --labels are for the models over a weight matrix W; {model.name} has θ")
    letter = renamed_constant(model)
    if TWO_CONSTANTS_NOTE in (model.labels_note or "") and latex is not None:  # λ, ε: λ_1, λ_2 as in the cost
        report = _check_two_constants(model, latex, seed)
    elif letter is not None and (grad is not None or latex is not None):  # c of the cost read as λ: the gradient's too
        report = _check_renamed(model, letter, grad, latex, seed)
    else:
        report = _check(model, grad, latex, python, call, seed, timeout, isolate)
    if model.cost_text is not None and model.labels_note and not model.independent:  # which labels, and why
        report = dataclasses.replace(report, notes=(*report.notes, model.labels_note))
    numbering = mixed_numbering(model.summary if model.cost_text is not None else None, latex)
    if numbering is not None:
        report = dataclasses.replace(report, notes=(*report.notes, numbering))
    return report


_FROM_0 = re.compile(r"\\sum\s*_\s*\{\s*i\s*=\s*0\s*\}\s*\^\s*\{\s*m\s*-\s*1\s*\}")
_FROM_1 = re.compile(r"\\sum\s*_\s*\{\s*i\s*=\s*1\s*\}\s*\^\s*(?:\{\s*m\s*\}|m(?![A-Za-z]))")


def mixed_numbering(cost: str | None, latex: str | None) -> str | None:
    r"""The note for a cost that numbers its examples 0..m−1 and a gradient 1..m (or the other way round): both are
    read as all m examples, which the user's own numbering does not say (review 9 G05); None otherwise.

    >>> mixed_numbering(r"\frac{1}{2m}\sum_{i=0}^{m-1}(\theta^T x_i - y_i)^2", r"\frac{1}{m}\sum_{i=1}^{m}(…)")[:40]
    'the cost numbers the examples i = 0..m−1'
    """
    if not cost or not latex:
        return None
    for own, other, said, written in ((_FROM_0, _FROM_1, "0..m−1", "1..m"), (_FROM_1, _FROM_0, "1..m", "0..m−1")):
        if own.search(cost) and not other.search(cost) and other.search(latex) and not own.search(latex):
            return (
                f"the cost numbers the examples i = {said} and the gradient i = {written}: each sum is read as all m "
                "examples, each in its own numbering"
            )
    return None


_TWO_CONSTANTS = re.compile(rf"(?P<lam>\\lambda(?![A-Za-z])(?!\s*_))|{EPSILON}")


def _check_two_constants(model: Model, latex: str, seed: int) -> GradientReport:
    """A gradient of a cost read with λ as λ_1 and ε as λ_2 (label smoothing beside a penalty), read the same way."""

    def run(text: str) -> GradientReport:
        return _check(model, None, text, None, None, seed, 10.0, False)

    if "lambda_" in latex:
        raise InputError("the cost names its constants λ and ε: write λ and ε", None, latex)
    note = "λ read as λ_1 and ε as λ_2, as in your cost"
    return run_renamed(latex, _TWO_CONSTANTS, lambda use: "\\lambda_1 " if use["lam"] else "\\lambda_2 ", run, note)


def _check_renamed(model: Model, letter: str, grad: str | None, latex: str | None, seed: int) -> GradientReport:
    """A gradient of a cost whose constant ``letter`` was read as λ (``show --cost``'s note), read with the same
    renaming: λ in LaTeX, lam in Python syntax."""
    name = "\\lambda " if latex is not None else "lam"

    def run(text: str) -> GradientReport:
        return _check(model, *((None, text) if latex is not None else (text, None)), None, None, seed, 10.0, False)

    written = latex if latex is not None else grad
    own = LAMBDA_LATEX.search(written) if latex is not None else LAMBDA_PYTHON.search(written)
    if own is not None:  # λ is not the cost's: reading it as c would make a gradient in another constant right
        raise InputError(f"the cost names its constant {letter}: write {letter}", own.start(), written)
    if letter == "ε":  # label smoothing's ε, \epsilon in LaTeX, eps or epsilon in Python
        spelled = re.compile(EPSILON if latex is not None else r"(?<![A-Za-z_.])(?:epsilon|eps)(?![A-Za-z_0-9])")
    else:
        spelled = re.compile(rf"(?<![A-Za-z\\]){letter}(?![A-Za-z])")
    note = f"{letter} read as λ, the constant of your cost"
    return run_renamed(written, spelled, lambda _: name, run, note)


def _check(model: Model, grad, latex, python, call, seed: int, timeout: float, isolate: bool) -> GradientReport:
    problem = problem_for(model, seed)
    method = method_line(problem, seed, python is not None)
    if python is not None:
        again = dict(call=call, timeout=timeout, lam=bool(model.parameters), isolate=isolate)
        run = run_user_function(python, problem.datasets, **again)
        report = judge_run(problem, run, python, method, seed, lambda ds: run_user_function(python, ds, **again))
        if report.status == CORRECT:
            return code_at_own_n(problem, report, python, again, method, seed)
        if run.failure is not None:
            return report
        if "b" in run.call.roles():
            return _one_feature(model, report, python, call, seed, timeout, isolate, labs=True)
        fault = report.diagnosis.fault if report.diagnosis is not None else None
        # J (no θ₀, θ₁ to read), or a (1, n+1) row: n+1 entries came back, so it is no single-variable exercise
        shaped = fault not in ("a-cost", "transposed")
        if report.status == UNDECIDED or (report.reason.startswith("wrong shape") and shaped):
            return _one_feature(model, report, python, call, seed, timeout, isolate, labs=False)
        return report
    if latex is not None:
        return check_latex(model, problem, latex, method, seed)
    return check_expression(problem, grad, method, seed)


_ONE_FEATURE_NOTES = {
    True: "one feature (n = 1): x of shape (m,), w and b numbers, as single-variable course labs write it",
    False: "{verdict} for one feature (n = 1): it writes θ₀ and θ₁ out (theta(1), theta(2), X(:,2) in ex1), as "
    "single-variable exercises do; with more features it gave no gradient of n+1 entries",
}


def _one_feature(
    model: Model, first: GradientReport, python, call, seed, timeout, isolate, labs: bool
) -> GradientReport:
    """A function that failed on datasets of up to 3 features, tried on one feature (n = 1) as single-variable
    exercises write it: ``labs``, a function of (w, b) with x (m,) and w a number; else θ = (θ₀, θ₁) and X with
    its column of ones, (m, 2), for code that writes θ₀ and θ₁ out.

    Its report replaces the first one when it is right, or when the first got no gradient of the right
    shape (an error, a wrong shape) and this one did.
    """
    problem = one_feature_problem(model, seed)
    method = method_line(problem, seed, True)
    again = dict(call=call, timeout=timeout, lam=bool(model.parameters), isolate=isolate, one_feature=labs)
    run = run_user_function(python, problem.datasets, **again)
    report = judge_run(problem, run, python, method, seed, lambda ds: run_user_function(python, ds, **again))
    shapeless = first.status == UNDECIDED or first.reason.startswith("wrong shape")
    if report.status == CORRECT or (shapeless and report.status != UNDECIDED):
        verdict = "right only" if report.status == CORRECT else "checked"
        note = _ONE_FEATURE_NOTES[labs].format(verdict=verdict)
        return dataclasses.replace(report, notes=(note, *report.notes))
    return first


def _check_classes(model: Model, grad, latex, python, call, seed, timeout, isolate, layout, labels) -> GradientReport:
    """A gradient by W (softmax, the multiclass SVM): a NumPy function, or an expression in matrix form."""
    key = (id(model), seed)
    if key not in _CLASS_PROBLEMS:
        _CLASS_PROBLEMS[key] = (model, ClassProblem(model, seed))
    problem = _CLASS_PROBLEMS[key][1]
    method = method_line(problem, seed, python is not None)
    if python is not None:
        return check_class_function(
            problem,
            python,
            call=call,
            method=method,
            seed=seed,
            timeout=timeout,
            isolate=isolate,
            layout=layout,
            labels=labels,
        )
    if layout is not None or labels is not None:
        raise InputError("--layout and --labels go with --python (an expression says its own shapes)")
    if latex is None:
        return check_class_expression(problem, grad, None, method, seed)
    try:
        statement = read_gradient(latex, class_context(problem), classes=True)
    except ParseError as error:
        raise InputError(f"{error.message} ({class_symbols(problem)})", error.position, latex) from None
    report = check_class_expression(problem, None, statement, method, seed, latex, FORMS[statement.form])
    return with_definitions(problem, statement, report, None)


def _model(model_name: str | Model) -> Model:
    if isinstance(model_name, Model):
        model = model_name
    else:
        try:
            model = get_model(model_name)
        except KeyError as error:
            raise InputError(error.args[0]) from None
    if model.matrix_gradient is None:
        raise InputError(no_gradient_to_check(model.name))
    return model


__all__ = ["CORRECT", "INCORRECT", "UNDECIDED", "GradientReport", "InputError", "check_gradient", "model_symbols"]
