"""A LaTeX gradient statement judged: its pieces (θ₀, θ_j for j ≥ 1, a fixed θ_d, all of θ) evaluated and assembled
into one gradient per dataset, the target its left side names, a chain's right sides, the sign of a line, one
example's gradient, and the definitions of the model the text gives."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import sympy as sp

from ..core.functions import sigmoid
from ..core.notation import i, j, lam, m, x
from ..derive.costs import bias_outside
from ..oracle.datasets import EvalError, Evaluator
from ..parsing.left import WRITTEN_COST
from ..parsing.statement import ALL, BIAS, WEIGHTS_SCOPE
from ..proof.read import model_context
from . import per_example
from .at_own_n import at_own_n
from .classes import probabilities_fault
from .defined_cost import cost_target, written_problem
from .diagnose import FAULTS, Diagnosis, Problem, Scaled, diagnose_entries
from .exact import Gap
from .formula import evaluate, reading_of
from .latex_reading import FIXED_SCOPE, SIGMA_MEAN, entry_for_vector, mean_latex
from .problem_data import exactly, method_after
from .usercode import InputError
from .variants import climbed, data_summed
from .verdict import (
    ASCENT,
    CORRECT,
    COST,
    DESCENT,
    INCORRECT,
    LOG_LIKELIHOOD,
    NEGATIVE_LOG_LIKELIHOOD,
    RTOL,
    GradientReport,
    build_report,
    chosen_factor,
    for_model,
    normalise,
    verdict,
)

_TARGETS = {
    "cost": COST,
    "log-likelihood": LOG_LIKELIHOOD,
    "negative-log-likelihood": NEGATIVE_LOG_LIKELIHOOD,
    "descent": DESCENT,
    "ascent": ASCENT,
}
FORMS = {  # how the statement was read, for the report
    "expression": "",
    "equation": "an equation",
    "update rule": "an update rule",
    "cases by index": "cases by index (j = 0, j ≥ 1)",
    "update rules by index": "update rules by index (j = 0, j ≥ 1)",
}


# ∂l(θ)/∂θ_j, ∇_θ l: a plain lowercase l on the left (not \ell, not log L), what numerade's exercise calls its loss
_PLAIN_L = re.compile(r"(\\partial|\\nabla(?:_\{[^{}]*\}|_\\?[A-Za-z]+)?)\s*(?:\\left)?\s*l(?![A-Za-z])")


def judge_latex(problem: Problem, statement, text: str, method: str, seed: int, datasets) -> GradientReport:
    """The report on a statement read from ``text``, its values computed on ``datasets`` (the labels' encoding).

    A plain l on the left under a cost model (l(θ) = −(1/n)Σ[…], tester 14 L03) may be the loss or the
    log-likelihood: read as the model's cost when its right side is that cost's gradient (said in a note), else as ℓ.
    """
    if statement.target == "log-likelihood" and not climbed(problem) and _PLAIN_L.search(text.split("=")[0]):
        as_cost = _judge_latex(problem, dataclasses.replace(statement, target="cost"), text, method, seed, datasets)
        if as_cost.status == CORRECT:
            note = (
                "l on the left is read as the model's cost (the loss l(θ) = J(θ)): the right side is its gradient; "
                "if l is the log-likelihood, the sign is flipped (∇ℓ = −m·∇J)"
            )
            return dataclasses.replace(as_cost, notes=(*as_cost.notes, note))
    return _judge_latex(problem, statement, text, method, seed, datasets)


def _judge_latex(problem: Problem, statement, text: str, method: str, seed: int, datasets) -> GradientReport:
    """The report on a statement read from ``text`` (its left side's target as read)."""
    target = for_model(_TARGETS[statement.target], climbed(problem))  # ∂ℓ/∂θ of a model that is ℓ: its own
    if target is NEGATIVE_LOG_LIKELIHOOD and data_summed(problem):  # the model's J is the summed NLL itself
        target = COST
    other = None  # the problem of a cost written on the left that is not the model's
    matrix = all(isinstance(p.value, sp.MatrixExpr) for p in statement.pieces)
    kind = "LaTeX " + ("(matrix form)" if matrix else "(index form: examples i = 1..m, features j = 0..n)")
    if FORMS[statement.form]:
        kind += f", read as {FORMS[statement.form]}"
    statement_notes = list(statement.notes)
    if statement.per_example and target is COST:
        target = per_example.EXAMPLE_COST
        if statement.costs and statement.costs[0][0] == WRITTEN_COST:  # ∂/∂θ_j of a cost written out, for example i
            target, said = cost_target(problem, *statement.costs[0], target)
            statement_notes.append(said)
    elif target is COST and statement.costs:  # ∇E after E(w) = −Σ_n …: the gradient of the cost the text defines
        name, value = statement.costs[0]
        target, said = cost_target(problem, name, value, target)
        other = written_problem(problem, name, value, datasets)  # another cost: judged by its own gradient
        model_name, problem = problem.model.name, other or problem
        if said is not None:  # in place of "E = … is read as the definition of the cost", else (written out) added
            replaced = [said if n.startswith(f"{name} = … is read as") else n for n in statement_notes]
            statement_notes = replaced if replaced != statement_notes else [*statement_notes, said]
    by_scope: dict[str, list[list[np.ndarray]]] = {}
    trees: list[tuple[sp.Basic, int]] = []  # the ALL pieces as read, for the exact recheck
    rows_by_scope: dict[str, list[list[np.ndarray]]] = {}  # one row per example, for a gradient of example i
    for piece in statement.pieces:
        value = _at_bias(piece.value) if piece.scope == BIAS else piece.value
        offset = 0 if isinstance(value, sp.MatrixExpr) else 1
        evaluated = evaluate(value, problem, offset, text, kind, datasets)
        if piece.scope == ALL:
            trees.append((value, offset))
        if statement.per_example:
            rows_by_scope.setdefault(piece.scope, []).append(per_example.rows(problem, evaluated))
            evaluated = per_example.summed(rows_by_scope[piece.scope][-1])
        by_scope.setdefault(piece.scope, []).append(evaluated)
    lam_used = any(p.value.has(lam) for p in statement.pieces)
    reading = "; ".join(r for r in (_scoped_reading(p) for p in statement.pieces) if r) or None
    base = {"model": problem.model.name, "input_kind": kind, "received": text, "reading": reading, "method": method}
    report = None
    for choice in range(max(len(values) for values in by_scope.values())):  # every right side of a chain holds
        picked = {scope: values[min(choice, len(values) - 1)] for scope, values in by_scope.items()}
        received = _assemble(problem, picked, target, text)
        values, note = normalise(problem, received, target)
        status, reason, bad = found = verdict(problem, values)
        gap: Gap | bool = False
        if set(picked) == {ALL} and not statement.per_example:
            factor = chosen_factor(problem, received, target)[1] if target is not COST else None
            tree, offset = trees[min(choice, len(trees) - 1)]
            gap = exactly(problem, found, tree, offset, datasets, factor)
            if isinstance(gap, Gap):
                status, reason, bad = INCORRECT, gap.reason, gap.dataset
        flipped = status != CORRECT and statement.target != "cost" and _flipped(problem, received, target)
        if flipped:  # judged at the scale where only the sign is wrong, shown as the expression gave them
            negated, note = flipped
            values = [-v for v in negated]
            if isinstance(negated, Scaled):
                values = Scaled(values, received, negated.factors, negated.of)
            status, reason, bad = verdict(problem, values)
        notes = [n for n in (note, *statement_notes) if n]
        checked = base | {"seed": seed, "method": method_after(method, gap)}
        given = None if set(picked) == {ALL} else [_given(scope) for scope in picked]  # the others filled in
        report = build_report(problem, checked, status, reason, notes, values, bad, lam=lam_used, given=given)
        if isinstance(gap, Gap):
            report = dataclasses.replace(report, worst=None, diagnosis=gap.diagnosis)
        elif flipped:
            report = dataclasses.replace(report, diagnosis=_wrong_direction(statement.target))
        elif (
            status != CORRECT
            and len(picked) > 1
            and (report.diagnosis is None or report.diagnosis.fault == "bias-sign")
        ):
            # a statement's lines: the one with the wrong sign is named (the bias line, or the weights')
            part = _part_flipped(problem, picked, target, text)
            if part is not None:
                report = dataclasses.replace(report, diagnosis=_wrong_part_sign(part))
        # θ₀ filled in as right when only the weights' line is given: weights-scale is then no finding of its own
        filled = report.diagnosis is not None and report.diagnosis.fault == "weights-scale" and BIAS not in picked
        if status == INCORRECT and (report.diagnosis is None or filled) and set(picked) != {ALL}:  # θ_j, j ≥ 1
            found = diagnose_entries(problem, values, [_given(scope) for scope in picked])
            report = dataclasses.replace(report, diagnosis=found)
        if status == CORRECT and statement.per_example:
            rows = {scope: found[min(choice, len(found) - 1)] for scope, found in rows_by_scope.items()}
            found = per_example.wrong_example(problem, rows, {scope: _given(scope) for scope in rows})
            if found is not None:
                bad, example = found
                reason = (
                    f"right summed over the examples but not for example {example} alone (counterexample below): "
                    "a rule for one example i must give that example's own gradient"
                )
                report = build_report(
                    problem, base | {"seed": seed}, INCORRECT, reason, notes, values, bad, lam=lam_used
                )
                report = dataclasses.replace(report, diagnosis=None, worst=None)  # the sums agree: no worst entry
        if report.status != CORRECT:
            break
    if report.status == CORRECT and target in (DESCENT, ASCENT) and isinstance(values, Scaled) and "m·" in values.of:
        # Σ(h − y)x_j with no 1/m: right only as m·∇J, a step m times the course's (tester 13 t13, t02): the
        # verdict's first line says so, not a note under a plain ✓
        kind += f" that steps by {values.of}, m times the step of ∇J (no 1/m: α must be m times smaller)"
        report = dataclasses.replace(report, input_kind=kind)
    if report.status == CORRECT and statement.per_example and per_example.names_mean_cost(text, statement.costs):
        rows = {scope: found[min(choice, len(found) - 1)] for scope, found in rows_by_scope.items()}
        report = _one_example_for_j(problem, statement, report, rows, base | {"seed": seed}, lam_used, text)
    elif report.status == CORRECT and not statement.per_example and per_example.names_example_loss(text):
        reason = (
            "the left side names one example's loss (its index i), but the right side sums over the examples: "
            "it is ∂J/∂θ_j; write \\frac{\\partial J}{\\partial\\theta_j} on the left"
        )
        diagnosis = Diagnosis("one-example", FAULTS["one-example"], reason)
        report = dataclasses.replace(report, status=INCORRECT, reason=reason, diagnosis=diagnosis, worst=None)
    if other is not None:
        report = _not_the_models_cost(model_name, report)
    pieces = [(_at_bias(p.value) if p.scope == BIAS else p.value, p.scope) for p in statement.pieces]
    # θ_1 named on the left (one feature, w a number): one number for θ₁ is what it says, not a slip for x_j
    values = [(v, 0 if isinstance(v, sp.MatrixExpr) else 1, ALL if statement.entry else s) for v, s in pieces]
    report = at_own_n(problem, report, values, datasets, text, kind)
    return with_definitions(problem, statement, report, datasets)


def _at_bias(value: sp.Basic) -> sp.Basic:
    """The θ₀ line's value at j = 0; a Σ over j it holds (∂J/∂θ_0 = … + Σ_{j=1}^n |θ_j|) keeps its own j."""
    if any(j in s.variables for s in value.atoms(sp.Sum, sp.Product)):
        return value.subs(j, 0)
    return value.xreplace({j: 0})


def _one_example_for_j(
    problem: Problem, statement, report: GradientReport, rows, base: dict, lam_used: bool, text: str
) -> GradientReport:
    """One example's gradient (no Σ over the examples), right as that, where the left side names J: ✓ as one
    example's gradient, J read as one example's cost (CS229's LMS rule "for one training example"), said on the
    first line, and the next says what ∂J/∂θ_j of the mean cost is.  ✗ when the text itself defines J as a sum over
    the examples: then ∂J/∂θ_j is that sum's, and the counterexample is example 1's gradient against ∇J."""
    target = per_example.EXAMPLE_COST
    summed = _assemble(problem, {scope: per_example.summed(values) for scope, values in rows.items()}, target, text)
    mean = chosen_factor(problem, summed, target)[0] == "m"  # yours is ∇ℓ_i, J = (1/m) Σ ℓ_i; else ∇ℓ_i/m
    sum_cost = data_summed(problem)  # J = Σ ℓ_i (no 1/m): yours, summed, is ∇J, and yours is ∇ℓ_i
    pieces = {p.scope: p for p in statement.pieces}  # the last right side of each line (a chain's are equal)
    written = "; ".join(
        f"{_LEFTS.get(scope, f'∂J/∂θ_{scope[len(FIXED_SCOPE) :]}')} = "
        f"{reading_of(sp.Sum(p.value, (i, 1, m)) / (m if mean else 1))}{_WHEN.get(scope, '')}"
        for scope, p in pieces.items()
    )
    term = not (mean or sum_cost)  # yours is ∇ℓ_i/m: the 1/m of the mean J kept, its Σ dropped
    # ∂J/∂θ_j = (1/m)(h − y)x_j: a J of one example has no 1/m, so this J is the mean one and the Σ was forgotten
    # (tester 12's m52: it got "✓ correct as one example's term"; verify says ✗ of the same line)
    if not term and not per_example.defines_mean_cost(statement.costs):
        holds_for, reason = per_example.as_one_example(written, term=False, summed=sum_cost)
        return dataclasses.replace(report, holds_for=holds_for, reason=reason)
    first = _assemble(problem, {scope: [r[0] for r in values] for scope, values in rows.items()}, target, text)
    reason, explanation = per_example.not_the_cost_gradient(written, term=term)
    notes = [n for n in statement.notes if not n.startswith("no sum over the examples")] + [per_example.EXAMPLE_ONE]
    diagnosis = Diagnosis("one-example", FAULTS["one-example"], explanation)
    return build_report(problem, base, INCORRECT, reason, notes, first, 0, lam=lam_used, diagnosis=diagnosis)


def _not_the_models_cost(model_name: str, report: GradientReport) -> GradientReport:
    """A cost on the left that is not the model's J: never ✓ for the model, whatever its right side is.

    The right side is still judged as that cost's derivative, and the verdict says which it is.
    """
    fault = f"the cost on your left side is not {model_name}'s J (give your own cost with --cost to check its gradient)"
    if report.status == CORRECT:
        reason = f"{fault}; your right side is that cost's derivative, not {model_name}'s gradient"
        diagnosis = Diagnosis("other-model", FAULTS["other-model"], fault)
        return dataclasses.replace(
            report, model=model_name, status=INCORRECT, reason=reason, diagnosis=diagnosis, worst=None
        )
    reason = f"{fault}; and as that cost's derivative: {report.reason}"
    return dataclasses.replace(report, model=model_name, status=INCORRECT, reason=reason)


def with_definitions(problem: Problem, statement, report: GradientReport, datasets) -> GradientReport:
    """The report once the model's parts the text defines (h_θ(x) = …, σ(z) = …) are checked against the model's.

    They are already in the gradient judged; one that differs from the model's makes the answer incorrect, named.
    """
    faults, notes = [], []
    for definition in statement.definitions:
        value = definition.value() if callable(definition.value) else definition.value
        shown = f"{definition.shown} = {reading_of(_one_example(value))}"
        fault = _definition_fault(problem, definition, shown, datasets)
        if fault is None:
            notes.append(
                f"{shown} is your definition of the model: checked (it is the model's), and used in the gradient"
            )
        else:
            faults.append(fault)
    if not faults:
        return dataclasses.replace(report, notes=(*report.notes, *notes)) if notes else report
    fault = "; ".join(faults)
    reason = f"{fault}; the gradient is judged with your definition in it"
    if report.status != CORRECT:
        reason += f": {report.reason}"
    diagnosis = Diagnosis("other-model", FAULTS["other-model"], fault)
    if report.status != CORRECT and report.diagnosis is not None:  # a named fault of the gradient: what caused it
        found = report.diagnosis
        diagnosis = dataclasses.replace(found, explanation=f"{fault}, so: {found.explanation}")
    worst = report.worst if report.status != CORRECT else None
    return dataclasses.replace(report, status=INCORRECT, reason=reason, diagnosis=diagnosis, worst=worst)


def _definition_fault(problem: Problem, definition, shown: str, datasets) -> str | None:
    """What is wrong with the user's h_θ(x), σ(z) or P, measured on the data (σ on a grid of z); None if right."""
    if definition.role == "probabilities":
        return probabilities_fault(problem, definition.value, definition.shown)
    hypothesis = model_context(problem.model).hypothesis
    if hypothesis is None:
        return None
    model_h = hypothesis(i).definition()
    if definition.role == "sigmoid":
        if not model_h.has(sigmoid):
            return None
        grid = (-3.0, -1.0, -0.25, 0.5, 2.0)
        try:
            mine = [float(definition.value.xreplace({definition.argument: z})) for z in grid]
        except (TypeError, ValueError):
            return None
        if np.allclose(mine, [1 / (1 + np.exp(-z)) for z in grid], rtol=1e-12, atol=0):
            return None
        if np.allclose(mine, [1 / (1 + np.exp(z)) for z in grid], rtol=1e-12, atol=0):
            return f"your {shown} has the wrong sign in the exponent: the sigmoid is σ(z) = 1/(1 + e^(−z))"
        return f"your {shown} is not the sigmoid σ(z) = 1/(1 + e^(−z))"
    for d in problem.datasets if datasets is None else datasets:
        evaluator = Evaluator(d, row_offset=1)
        try:
            gap = evaluator.value(sp.Sum((definition.value - model_h) ** 2, (i, 1, m)))
            size = evaluator.value(sp.Sum(model_h**2, (i, 1, m)))
        except EvalError:
            return None
        if float(gap) > (RTOL * (1 + float(size))) ** 2:
            return f"your {shown} is not the model's {reading_of(_one_example(model_h))}"
    return None


def _one_example(value: sp.Basic) -> sp.Basic:
    """θᵀx⁽ⁱ⁾ as θᵀx, for showing a definition of the model."""
    return value.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == x and len(e.indices) == 2,
        lambda e: e.base[e.indices[1]],
    )


def _flipped(problem: Problem, received: list[np.ndarray], target):
    """The negated values normalised, and the note, when they are right for ``target``: a wrong sign; else None."""
    values, note = normalise(problem, [-np.asarray(r) for r in received], target)
    return (values, note) if verdict(problem, values)[0] == CORRECT else None


def _wrong_direction(target: str) -> Diagnosis:
    """The sign of an update rule, or of ∂ℓ's right side: the cost's own direction where the other was written."""
    if target == "log-likelihood":
        explanation = (
            "the right side is the gradient of the cost J, not of the log-likelihood ℓ on the left: negate it "
            "(if your ℓ is the loss, not the log-likelihood, write J on the left)"
        )
    elif target == "negative-log-likelihood":
        explanation = (
            "the right side is the gradient of the log-likelihood ℓ (the ascent direction), not of the negative "
            "log-likelihood NLL = −ℓ on the left: negate it"
        )
    else:
        explanation = (
            "the rule moves θ up the cost J: descent subtracts α times the cost's gradient "
            "(θ_j := θ_j − α·∂J/∂θ_j), ascent adds the log-likelihood's; flip the sign of the step"
        )
    return Diagnosis("sign", FAULTS["sign"], explanation)


def _part_flipped(problem: Problem, picked: dict[str, list[np.ndarray]], target, text: str) -> str | None:
    """The scope (weights or bias) whose line alone has the wrong sign: the rest right, that line negated."""
    for scope in (WEIGHTS_SCOPE, BIAS):
        if scope not in picked:
            continue
        negated = {**picked, scope: [-np.asarray(v) for v in picked[scope]]}
        values, _ = normalise(problem, _assemble(problem, negated, target, text), target)
        if verdict(problem, values)[0] == CORRECT:
            return scope
    return None


def _wrong_part_sign(scope: str) -> Diagnosis:
    weights, bias = "the line for the weights (w_j or θ_j for j ≥ 1, dw)", "the line for the bias (b or θ₀, db)"
    wrong, right = (weights, bias) if scope == WEIGHTS_SCOPE else (bias, weights)
    explanation = f"{wrong} has the wrong sign and {right} is right: negate its gradient, e.g. (ŷ − y) for (y − ŷ)"
    return Diagnosis("sign", FAULTS["sign"], explanation)


def _scoped_reading(piece) -> str | None:
    shown = reading_of(piece.value)
    if shown is None or piece.scope == ALL:
        return shown
    if piece.scope.startswith(FIXED_SCOPE):
        return f"j = {piece.scope[len(FIXED_SCOPE) :]}: {shown}"
    return ("j = 0: " if piece.scope == BIAS else "j ≥ 1: ") + shown


_ENTRIES = {ALL: slice(None), BIAS: slice(0, 1), WEIGHTS_SCOPE: slice(1, None)}  # the entries of θ a scope gives
_LEFTS = {ALL: "∂J/∂θ_j", BIAS: "∂J/∂θ_0", WEIGHTS_SCOPE: "∂J/∂θ_j"}
_WHEN = {ALL: "", BIAS: "", WEIGHTS_SCOPE: " (j ≥ 1)"}


def _given(scope: str) -> slice:
    """The entries of θ a scope gives: all of them, θ₀, θ_j for j ≥ 1, or one fixed θ_d."""
    if scope.startswith(FIXED_SCOPE):
        entry = int(scope[len(FIXED_SCOPE) :])
        return slice(entry, entry + 1)
    return _ENTRIES[scope]


def _assemble(problem: Problem, picked: dict[str, list[np.ndarray]], target, text: str) -> list[np.ndarray]:
    """One gradient per dataset from the pieces for θ₀ and for θ_j (j ≥ 1); an entry not given is taken as right."""
    if set(picked) == {ALL}:
        return picked[ALL]
    out = []
    for index, d in enumerate(problem.datasets):
        vector = np.full(d.p, np.nan)
        for scope, values in picked.items():
            value = np.asarray(values[index], dtype=float).reshape(-1)
            if scope.startswith(FIXED_SCOPE) and value.size == 1:  # ∂J/∂θ_d = …: that entry alone
                vector[_given(scope)] = value[0]
            elif scope == BIAS and value.size in (1, d.p):
                vector[0] = value[0]
            elif scope == WEIGHTS_SCOPE and value.size == 1 and d.p == 2:  # θ_1 with one feature: a number
                vector[1] = value[0]
            elif value.size == d.p:
                vector[_given(scope)] = value[_given(scope)]
            else:
                what = {WEIGHTS_SCOPE: "θ_j for j ≥ 1", ALL: "the gradient"}.get(
                    scope, f"θ_{scope[len(FIXED_SCOPE) :]}"
                )
                raise InputError(
                    f"the line for {what} gives {value.size} number(s), not one per θ_j: write x_j^{{(i)}}"
                )
        out.append(vector)
    missing = [np.isnan(v) for v in out]
    if any(mask.any() for mask in missing):  # the user wrote only some entries: fill in the others, scaled alike
        factor = _best_factor(problem, out, missing, target)
        for v, mask, g, d in zip(out, missing, problem.expected, problem.datasets, strict=True):
            v[mask] = factor(d) * g[mask]
    return out


def _best_factor(problem: Problem, given: list[np.ndarray], missing: list[np.ndarray], target):
    def error(factor) -> float:
        worst = 0.0
        for v, mask, g, d in zip(given, missing, problem.expected, problem.datasets, strict=True):
            if (~mask).any():
                worst = max(worst, float(np.max(np.abs(v[~mask] - factor(d) * g[~mask]))))
        return worst

    return min((f for _, f in target.factors), key=error)


# ∇_θ J = (1/m)Σ(h − y)x_j⁽ⁱ⁾: one number where the vector belongs, false as written (verify's words for it)
_VECTOR_SLIP = "∇_θ J is a vector; x_j⁽ⁱ⁾ is one number: write x⁽ⁱ⁾ or ∂J/∂θ_j"
_ENTRY_REASON = "its entries are right, but the left side is the whole vector ∇_θ J and the right side one entry"
_OUTSIDE = "b read as θ₀ added outside σ, σ(Σₖ θ_k x_k) + θ₀: the model's bias is inside, σ(wᵀx⁽ⁱ⁾ + b)"


def named_slips(problem: Problem, statement, report: GradientReport, text: str) -> GradientReport:
    """The report with the slips only the text shows: ∇_θ J given one entry's formula (x_j⁽ⁱ⁾, its entries right:
    ✗ all the same), and b added outside σ (σ(wᵀx) + b) on a σ model where no other fault was named."""
    if report.status == CORRECT and statement.form == "equation" and entry_for_vector(text):
        diagnosis = Diagnosis("entry-for-vector", FAULTS["entry-for-vector"], _VECTOR_SLIP)
        return dataclasses.replace(report, status=INCORRECT, reason=_ENTRY_REASON, diagnosis=diagnosis, worst=None)
    sigmoid_model = mean_latex(problem.model) == SIGMA_MEAN
    if report.status == INCORRECT and report.diagnosis is None and sigmoid_model and bias_outside(text):  # σ(wᵀx) + b
        return dataclasses.replace(report, diagnosis=Diagnosis("bias-outside", FAULTS["bias-outside"], _OUTSIDE))
    return report
