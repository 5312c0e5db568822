"""A gradient in LaTeX (--latex): the text's rewrites, its reading and its judgement, in that order."""

from __future__ import annotations

import dataclasses
import re

import sympy as sp

from ..core.models import Model
from ..core.notation import K as K_CLASSES
from ..core.notation import X as X_MATRIX
from ..core.notation import theta as theta_
from ..derive.costs import LINE_NOTE, THROUGH_ORIGIN_NOTE, as_line, cost_labels, label_clauses
from ..models.costs import _ONE_X as ONE_X  # x^{(i)} a number: one definition, show --cost's
from ..parsing import ParseError
from ..parsing.statement import read_gradient
from .diagnose import Problem
from .formula import own_context, shape_fault
from .labels import either_labels
from .latex_judge import judge_latex, named_slips
from .latex_reading import (
    EXP_MEAN,
    OCTAVE_TRANSPOSE,
    POLYNOMIAL_ENTRY,
    VECTOR_X,
    X_SUBSCRIPT,
    as_entry,
    entry_problem,
    fixed_entry,
    latex_context,
    mean_latex,
    read_statement,
    say_unread,
)
from .latex_rewrites import (
    capital_theta,
    colon_gap,
    dots_as_products,
    lines_apart,
    minibatch,
    ng_names,
    ng_written,
    poisson_rate,
    restated_left,
    run_renamed,
    slice_rows,
    sqrt_norm,
    w_entry,
    x_as_feature,
    x_beside_theta,
)
from .problem_data import method_line, named_features, one_feature_problem, polynomial_degree
from .usercode import InputError
from .verdict import GradientReport


def check_latex(
    model: Model, problem: Problem, text: str, method: str, seed: int, one_feature: bool = False
) -> GradientReport:
    r"""A gradient in LaTeX: an expression, an equation, an update rule or cases by index (:func:`read_gradient`).

    θ_1 named on the left (Ng's week 1, x⁽ⁱ⁾ a number) is judged on one-feature datasets, as
    :func:`~derivation.check.gradient._one_feature`; so is ∂J/∂w or ∂J/∂b of the Specialization's f_{w,b}(x) = wx + b
    (``one_feature``: :func:`~derivation.check.latex_rewrites.ng_names`). The Poisson rate written λ or μ beside y
    (Xᵀ(λ − y)) is the model's mean e^{Xθ}, in a model with no penalty λ.
    """

    def again(rewritten: str, keep: bool = False) -> GradientReport:  # the rewritten text, judged from the start
        return check_latex(model, problem, rewritten, method, seed, one_feature=keep)

    line = _line_intercept(model)
    if line is not None and not one_feature:  # y = mx + c with --wrt m: the gradient in the cost's letters (L14)
        rewritten = as_line(text, line)
        if rewritten != text:
            try:
                report = again(rewritten)
            except (ParseError, InputError) as error:
                raise type(error)(error.message, None, text) from None
            kept = [part for part in (report.holds_for or "").split("; ") if part and not part.startswith("n = 1 only")]
            return dataclasses.replace(report, received=text, holds_for="; ".join(kept) or None)  # a line: one x
    if _TILDE_X.search(text) and not _PLAIN_X.search(_TILDE_X.sub(" ", text)):  # PRML's x̃ = (1, x), as X̃ is X
        return run_renamed(text, _TILDE_X, lambda _: "x", lambda rewritten: again(rewritten, one_feature), _X_NOTE)
    if _binary(model) and _CLASSES.search(text):  # ε/K of label smoothing beside a binary model: K = 2 (e03)
        try:
            report = again(_CLASSES.sub(" 2 ", text), one_feature)
        except (ParseError, InputError) as error:
            raise type(error)(error.message, None, text) from None
        return dataclasses.replace(report, received=text, notes=(*report.notes, _TWO_CLASSES))
    for rewrite in (restated_left, capital_theta, colon_gap, w_entry):  # course notes' spellings (tester 14)
        report = rewrite(text, lambda rewritten: again(rewritten, one_feature))
        if report is not None:
            return report
    try:
        return _check_latex(model, problem, text, method, seed, one_feature, again)
    except ParseError as error:  # 2.x^{(i)}.(…): a dot for a product (L13, L16), read so only where it stops the read
        if not error.message.startswith("unexpected character '.'"):
            raise
        report = dots_as_products(text, lambda rewritten: again(rewritten, one_feature))
        if report is None:
            raise
        return report


def _check_latex(
    model: Model, problem: Problem, text: str, method: str, seed: int, one_feature: bool, again
) -> GradientReport:
    """:func:`check_latex` once the course notes' spellings are read."""
    report = lines_apart(text, lambda rewritten: again(rewritten, one_feature))
    if report is not None:
        return report
    if not one_feature and ng_written(text):
        one = one_feature_problem(model, seed)

        def judged(rewritten: str) -> GradientReport:  # on one-feature datasets
            return check_latex(model, one, rewritten, method_line(one, seed, False), seed, one_feature=True)

        return ng_names(model, text, judged)
    if not problem.model.parameters and mean_latex(problem.model) == EXP_MEAN:
        report = poisson_rate(text, again, model.name)
        if report is not None:
            return report
    labels = label_clauses(cost_labels(text, model.summary if model.cost_text is not None else None))
    if labels is not None:  # ỹ⁽ⁱ⁾ = (1 − ε)y⁽ⁱ⁾ + ε/2 beside the gradient, as beside the cost: put in where it is used
        try:
            report = again(labels[0], one_feature)
        except (ParseError, InputError) as error:
            raise type(error)(error.message, None, text) from None
        said = tuple(  # a name the cost defines: its note says it
            note for note in labels[1] if note.split(" = ")[0] + " = " not in (model.labels_note or "")
        )
        return dataclasses.replace(report, received=text, notes=(*report.notes, *said))
    report = minibatch(text, again)
    if report is not None:
        return report
    report = sqrt_norm(text, again)
    if report is None:
        report = slice_rows(text, again)
    if report is not None:
        return report
    try:
        statement = read_statement(text, latex_context(problem.model, text))
        if statement.entry is not None and polynomial_degree(model) and not X_SUBSCRIPT.search(text):
            if ONE_X.search(text):  # θ_d with x⁽ⁱ⁾ the number x, as the cost reads it: x₁⁽ⁱ⁾, θ_d's own entry judged
                return x_as_feature(text, again)
            raise ParseError(POLYNOMIAL_ENTRY.format(d=statement.entry, degree=polynomial_degree(model)), None, text)
        if statement.entry is None and polynomial_degree(model):
            report = x_beside_theta(text, again)  # ∇J = (1/m)Σ(θ₀ + θ₁x + θ₂x² − y)x⁽ⁱ⁾: x beside θ_k is x₁
            if report is not None:
                return report
        entry = fixed_entry(model, statement, text, one_feature)
        if entry is not None:  # ∂J/∂θ_2 = …: that entry alone, on data with that feature
            problem = entry_problem(model, problem, entry, seed, text)
            method = method_line(problem, seed, False)
            statement = as_entry(statement, entry, text)
        elif statement.entry is not None or one_feature:
            problem = one_feature_problem(model, seed)
            method = method_line(problem, seed, False)
            one_feature = True
    except ParseError as error:
        named = _cost_named(model, text, error, again)
        if named is not None:
            return named
        _, one_by_one, features = named_features(model)
        if error.message.startswith(VECTOR_X) and one_by_one and features == 1 and not one_feature:
            return x_as_feature(text, again)
        say_unread(error, text, problem.model)
        if not error.message.startswith("shapes do not match for a product"):
            raise
        return _transposed(problem, text, method, seed, error)
    report = either_labels(problem, lambda datasets: judge_latex(problem, statement, text, method, seed, datasets))
    return _first_line(model, named_slips(problem, statement, report, text), one_feature)


_NEITHER = re.compile(r"^(?P<name>.+?) = … is neither the model's cost J nor m·J")


def _first_line(model: Model, report: GradientReport, one_feature: bool) -> GradientReport:
    """The verdict's first line says what it rests on, not a note alone: judged on one-feature data for a model of
    many features (θ₀ + θ₁x₁ on linear), or against the model's J where the text defines a cost that is neither J
    nor m·J."""
    said = []
    _, one_by_one, features = named_features(model)
    if one_feature and not (one_by_one and features == 1):  # the cost itself in one feature: nothing to say
        said.append("one feature (n = 1)")
    other = next((found for note in report.notes if (found := _NEITHER.match(note))), None)
    if other is not None:
        said.append(f"the model's cost J (your {_plain_name(other['name']) or 'cost'} = … is neither J nor m·J)")
    if not said:
        return report
    return dataclasses.replace(report, holds_for="; ".join(filter(None, (report.holds_for, *said))))


_NOT_THE_COST = re.compile(r"the left side is the derivative of (.+?), not of the cost")
_WRAPPED = re.compile(r"\\(?:mathrm|text|textrm|operatorname|mathit|mathcal|mathbf)\s*\{([^{}]*)\}")
_ARGUMENT = re.compile(r"\\left\(|\\right\)|\((?:\\theta|θ|\\mathbf\{\\theta\}|w\s*,\s*b|\\theta\s*;[^()]*)\)")


def _plain_name(written: str) -> str:
    """A cost's name as the reader shows it: wrappers (\\mathrm{…}) and spaces off, its argument (θ) dropped."""
    return re.sub(r"\s|\\,|\\[;:!]", "", _ARGUMENT.sub("", _WRAPPED.sub(r"\1", written)))


def _cost_named(model: Model, text: str, error: ParseError, again) -> GradientReport | None:
    """∂MAE/∂θ_j of a cost written MAE(θ) = …: the derivative of the cost by its own name, judged as ∂J/∂θ_j (the
    reader knows J, L, MSE, … only, and said "not of the cost"); None when the left side names something else."""
    found = _NOT_THE_COST.search(error.message)
    cost = model.cost_text or ""
    if found is None or "=" not in cost:
        return None
    name = _plain_name(cost.split("=", 1)[0])
    if not name or name != _plain_name(found.group(1)) or not re.fullmatch(r"[A-Za-z]+(_\{?\w+\}?)?", name):
        return None
    spelled = re.compile(
        rf"\\(?:mathrm|text|textrm|operatorname|mathit)\s*\{{{re.escape(name)}\}}|(?<![A-Za-z\\]){re.escape(name)}(?![A-Za-z])"
    )
    left_end = text.find("=")
    if left_end < 0 or not spelled.search(text[:left_end]):
        return None
    return run_renamed(
        text,
        spelled,
        lambda use: "J" if use.start() < left_end else use.group(0),
        again,
        f"∂{name} read as ∂J: {name} is the name your cost is written with",
    )


def _transposed(problem: Problem, text: str, method: str, seed: int, error: ParseError) -> GradientReport:
    """A product whose shapes do not match: Octave's X' read as Xᵀ, or a shape fault (transposed, or not)."""
    base = {"model": problem.model.name, "input_kind": "LaTeX (matrix form)", "received": text, "reading": None}

    def reread(written: list[sp.MatrixExpr]) -> GradientReport:
        again = read_gradient(text, dataclasses.replace(own_context(problem.model), transposed=written))
        return either_labels(problem, lambda ds: judge_latex(problem, again, text, method, seed, ds))

    if OCTAVE_TRANSPOSE.search(text):  # X'(Xθ − y): Octave's transpose, not a slip to diagnose
        written: list[sp.MatrixExpr] = []
        try:
            again = reread(written)
        except (ParseError, InputError):
            again = None
        if again is not None and written == [X_MATRIX]:
            return dataclasses.replace(again, notes=(*again.notes, "X' read as Xᵀ, the transpose (Octave's X')"))
    return shape_fault(problem, base | {"method": method, "seed": seed}, error, reread)


def _line_intercept(model: Model) -> str | None:
    """The intercept's letter (c or b) of a cost over y = mx + c read with --wrt m (θ_1 the slope, θ_0 the intercept):
    the gradient is read in the same letters; None for any other model."""
    for letter in ("c", "b"):
        if LINE_NOTE.format(c=letter) in (model.labels_note or ""):
            return letter
    return "" if THROUGH_ORIGIN_NOTE in (model.labels_note or "") else None  # y = mx: no intercept


_CLASSES = re.compile(r"(?<![A-Za-z\\])K(?![A-Za-z])")  # K, the number of classes
_TWO_CLASSES = "K read as 2, the number of classes of this binary model (σ(θᵀx) the probability of y = 1)"


def _binary(model: Model) -> bool:
    """Whether ``model`` is a binary classifier over θ (σ(θᵀx) in its cost, no K in it): its K classes are 2."""
    form = model.forms.get("sum")
    if form is None or getattr(form.variable, "base", None) != theta_ or form.cost.has(K_CLASSES):
        return False
    return any(type(f).__name__ == "sigmoid" for f in form.cost.atoms(sp.Function))


# x̃ (PRML's augmented input (1, x)) is x with its x₀ = 1 where the text writes no plain x beside it (review 12 t01);
# beside a plain x it may be another vector, and stays refused (parsing.atoms) unless defined
_TILDE_X = re.compile(r"\\(?:wide)?tilde\s*(?:\{\s*x\s*\}|x(?![A-Za-z]))")
_PLAIN_X = re.compile(r"(?<![A-Za-z\\])x(?![A-Za-z])")
_X_NOTE = "x̃ read as x⁽ⁱ⁾ with its x₀ = 1 (the augmented input (1, x) of Bishop's PRML), as X̃ is X"
