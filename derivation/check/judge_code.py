"""Judge a user's NumPy function from what it returned under each calling convention.

:func:`judge_run` takes the first convention (in the order tried) under which the function
is right; when none is, it diagnoses the function in the likeliest one: one where it ran
on every dataset and returned n+1 numbers.  Only when no convention gave a gradient is the
answer "could not get a gradient", with what each convention did.  The report states the
convention (intercept, shapes, arguments, labels).

A loss returned beside the gradient is the cost the user states (:mod:`derivation.check.stated_cost`):
its penalty convention (reg·Σθ², sklearn's alpha·‖w‖², …) is the one the gradient is judged in, and the
verdict names it; a loss off by a constant is said without failing the gradient.
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace

import numpy as np

from ..models import get_model
from . import per_example, stated_cost, variants
from .compare import cost_mismatch, costs_match, model_costs
from .diagnose import FAULTS, Diagnosis, Problem
from .diagnose import wrong_cost as diagnose_wrong_cost
from .fresh_calls import LARGE_M, fresh_method, fresh_problem, fresh_words
from .usercode import Attempt, CallError, UserRun
from .usersource import lam_default_note, likelihood_name
from .variants import climbed, data_summed
from .verdict import (
    CORRECT,
    COST,
    INCORRECT,
    LOG_LIKELIHOOD,
    NEGATIVE_LOG_LIKELIHOOD,
    RTOL,
    UNDECIDED,
    GradientReport,
    build_report,
    normalise,
    verdict,
)

_NAMES = {"C": "C is read as λ, the penalty strength"}
ROW_HOLDS = "its values (grad comes back a 1×(n+1) row, θ is an (n+1)×1 column)"
ROW_WARNING = (
    "grad is a 1×(n+1) row where θ is an (n+1)×1 column: fminunc reads grad(:) and takes it, but "
    "theta - alpha * grad broadcasts to an (n+1)×(n+1) matrix; end the function with grad = grad(:);"
)


def judge_run(
    problem: Problem,
    run: UserRun,
    spec: str,
    method: str,
    seed: int,
    rerun: stated_cost.Rerun | None = None,
    fresh: bool = True,
) -> GradientReport:
    """The report on a user's function from its run: right under some convention, or diagnosed in the likeliest.

    ``rerun(datasets)`` runs the function again on other datasets (the same call): where the loss it returns is not
    the model's, at a second θ and at the points of central differences, to read the cost it states
    (:mod:`derivation.check.stated_cost`); with ``fresh``, a function right there is called again on a dataset of
    m = 67 and twice on the same X with a new θ (:mod:`.fresh_calls`), and is wrong when it is wrong there.
    """
    probe = stated_cost.Probe(problem, rerun, seed)
    base = {
        "model": problem.model.name,
        "input_kind": f"{run.kind} {run.label}",
        "received": spec,
        "reading": None,
        "method": method,
        "seed": seed,
    }
    notes = list(run.notes)
    takes_lam = "lam" in run.call.roles()
    alpha_as_lam = problem.model.parameters and not takes_lam and "alpha" in run.call.roles()
    if problem.model.parameters and not takes_lam and not alpha_as_lam and not _missing(run):
        notes.append(f"{run.call.function} takes no λ: it was called without one, so any penalty uses its own λ")
    elif takes_lam and not problem.model.parameters:
        notes.append(f"called with λ = 0: {problem.model.name} has no penalty")
    if problem.model.parameters and lam_default_note(run.call):
        notes.append(lam_default_note(run.call))
    if run.failure is not None:
        return build_report(problem, base, UNDECIDED, f"could not run it: {run.failure}", notes)
    target = LOG_LIKELIHOOD if _named_likelihood(problem, run) else COST
    nll = _nll_target(problem, run)  # a function named for the NLL may return its sum: tried when ∇J is not it
    targets: dict[str, object] = {}  # the attempts judged right against the summed NLL's gradient
    judged: dict[str, tuple] = {}  # key → (status, reason, bad, values, note)
    one_example = None  # the report on a function of one example (x_i, y_i), when it ran
    for attempt in run.attempts:
        results = run.results[attempt.key]
        if _error(results) is not None or attempt.reg == "on":  # λ ≠ 0 for a model without a penalty: see below
            continue
        if attempt.layout == "one-example":
            report = _one_example(problem, run, attempt, base, notes)
            if report.status == CORRECT:
                return report
            one_example = one_example or report  # the likeliest convention's account, if none holds
            continue
        # A descent or ascent step moves along −∇J whatever the function's name: (θ − θ_new)/α is ∇J's.
        stepped = _stepped(problem, attempt, results)
        judged[attempt.key] = _judge(problem, stepped, COST if attempt.step else target)
        if nll is not None and not attempt.step and judged[attempt.key][0] != CORRECT:
            summed = _judge(problem, stepped, nll)
            # ... unless a cost it returns beside it is not the summed NLL: a mean cost says the gradient is one too
            if summed[0] == CORRECT and _summed_or_none(problem, run, attempt):
                judged[attempt.key], targets[attempt.key] = summed, nll
        status, reason, _, values, note = judged[attempt.key]
        if status == CORRECT:
            flat = _flat(attempt)
            if flat.key not in judged and run.results.get(flat.key) and _error(run.results[flat.key]) is None:
                flat_results = _stepped(problem, flat, run.results[flat.key])
                judged[flat.key] = _judge(problem, flat_results, COST if flat.step else target)
            column = _column_outcome(problem, run, attempt, judged, target)
            if column is not None and run.column_weights:  # its own code makes w a column: judged with that shape
                return _wrong_as_column(problem, run, judged, attempt, base, notes, takes_lam, column)
            notes.extend(_correct_notes(problem, run, attempt, judged, note))
            if attempt.key in run.rows:  # the values are right, in a row where θ is a column: a layout, said
                base["holds_for"] = ROW_HOLDS
                notes.insert(0, ROW_WARNING)
            if column is not None:
                notes.append(_column_note(attempt, column))
            if alpha_as_lam:
                notes.append(_alpha_note(run, attempt))
            base["convention"] = _convention(run, attempt)
            reason = f"{reason} (called with {attempt.shapes()})"
            penalty = _penalty(problem, run, attempt, probe)
            if isinstance(penalty, tuple):  # its loss says which penalty it means, and its gradient is not that one's
                other, (_, why, bad), values, loss, diagnosis = penalty
                reason = f"its penalty is wrong: with λ ≠ 0 its loss is {loss}, its gradient not: {why}"
                return build_report(other, base, INCORRECT, reason, notes, values, bad, lam=True, diagnosis=diagnosis)
            reason += penalty
            plain = _plain_outcome(run, attempt, judged)
            if plain is not None:  # right, but not with the plain shapes: the verdict says for which it holds
                base["holds_for"] = attempt.shapes()
                reason += f", and only with those: with {flat.shapes()} it {_short(plain)}"
            judged_as = targets.get(attempt.key, target)
            wrong_cost = _wrong_cost(problem, run, attempt, judged_as)
            stated = _stated(problem, probe, run, attempt) if wrong_cost is not None and judged_as is COST else None
            if stated is not None:  # the loss states a cost of the model's form: a constant, or another penalty
                return _model_gradient_of_stated(problem, run, attempt, probe, stated, base, reason, notes, values)
            if wrong_cost is not None:  # a right gradient of a cost it gets wrong: an optimiser reads both
                reason = f"{wrong_cost}; its gradient is {reason}"
                report = build_report(problem, base, INCORRECT, reason, notes, received=values)
                return replace(report, diagnosis=diagnose_wrong_cost(wrong_cost, run.octave), worst=None)
            again = _fresh_report(
                problem, run, attempt, rerun if fresh else None, seed, judged_as, base, notes, takes_lam
            )
            if again is not None:  # right on m ≤ 7, wrong on more rows or on a second call with a new θ
                return again
            return build_report(problem, base, CORRECT, reason, notes, received=values)
    if one_example is not None:  # its names say one example, and it ran so: judged as one
        return one_example
    if alpha_as_lam:
        notes.append(f"{run.call.function} takes α but no λ: α was tried as λ (scikit-learn's name) and as a step size")
    candidates = _likeliest(problem, run, judged)
    if not candidates:
        return build_report(problem, base, UNDECIDED, nothing_ran(run), notes)
    if target is COST:  # its loss states another penalty convention: its gradient is judged against that cost
        for attempt in candidates:
            stated = _stated(problem, probe, run, attempt) if _right_size(problem, judged[attempt.key][3]) else None
            if stated is not None and not stated.own_penalty:
                return _judged_by_stated(problem, run, attempt, probe, stated, judged, base, notes)
    reports = (_diagnosed(problem, run, judged, attempt, base, notes, takes_lam) for attempt in candidates)
    first = next(reports)
    if first.diagnosis is not None and first.diagnosis.exact:
        return first
    # A hint may have put a convention first that the function does not use: a fault that explains the
    # values exactly under another right-sized convention is the better account of what it computes.
    return next((r for r in reports if r.diagnosis is not None and r.diagnosis.exact), first)


def _fresh_report(problem, run, attempt, rerun, seed, target, base, notes, takes_lam) -> GradientReport | None:
    """The report on a function right on the model's datasets but wrong on the fresh calls of
    :mod:`.fresh_calls` (m = 67; the same X again with a new θ, in the same process); None when right there too."""
    if rerun is None or attempt.layout == "one-example":
        return None
    fresh = fresh_problem(problem, seed)
    again = rerun(fresh.problem.datasets)
    base["method"] = fresh_method(base["method"], fresh)
    results = again.results.get(attempt.key) if again.failure is None else None
    count = len(fresh.problem.datasets)
    if results is None or (len(results) < count and _error(results) is None):
        why = f"right on the model's datasets, but run again on more examples (m = {LARGE_M}) it gave no result: "
        why += again.failure or "that convention was not tried"
        return build_report(problem, base, UNDECIDED, why, notes)
    stepped = _stepped(fresh.problem, attempt, results)
    if _error(stepped) is not None:
        words, index = fresh_words(fresh, stepped, stepped, None)
        return build_report(fresh.problem, base, INCORRECT, f"{words} (called with {attempt.shapes()})", notes)
    status, _, bad, values, _ = _judge(fresh.problem, stepped, COST if attempt.step else target)
    if status == CORRECT:
        return None
    words, index = fresh_words(fresh, stepped, values, bad)
    reason = f"{words} (called with {attempt.shapes()})"
    return build_report(fresh.problem, base, INCORRECT, reason, notes, values, index, lam=takes_lam)


def _stated(problem: Problem, probe: stated_cost.Probe, run: UserRun, attempt: Attempt):
    """The cost the loss states under ``attempt``, when it returns one that is not the model's; else None."""
    if attempt.step or attempt.layout == "one-example" or problem.model.matrix_cost is None:
        return None
    roles = run.call.roles()
    if problem.model.parameters and "lam" not in roles and "alpha" not in roles:
        return None  # its penalty uses its own λ: nothing to read it against (α not a step size is λ)
    costs = run.returned_costs(attempt.key, len(problem.datasets))
    model = model_costs(problem)
    if costs is None or model is None or costs_match(costs, model):
        return None
    return probe.stated(attempt.key, costs)


def _lam_name(run: UserRun) -> str:
    """The user's name for λ (``lambda_``, ``reg``, ``alpha``), for the words about its penalty."""
    return next((n.removeprefix("self.") for n, role in run.call.names if role in ("lam", "alpha")), "λ")


_FD_WORDS = "central differences of that loss agree with it"


def _letter(attempt: Attempt) -> str:
    """How the function names the weights in the words about its penalty: w (with a separate b), else θ."""
    return "w" if attempt.intercept == "split" else "θ"


def _model_gradient_of_stated(problem, run, attempt, probe, stated, base, reason, notes, values) -> GradientReport:
    """The model's gradient beside a loss that states the model's cost plus a constant (right: the gradient is the
    same), or another penalty (wrong: the gradient is not that loss's)."""
    if stated.own_penalty:
        if not probe.agrees(attempt.key, values):
            why = "its gradient is the model's, but not the gradient of the loss it returns (central differences)"
            return build_report(problem, base, UNDECIDED, why, notes, received=values)
        said, explanation = stated_cost.constant_reason(problem, stated)
        report = build_report(problem, base, CORRECT, f"{reason}; {said}", notes, received=values)
        return replace(report, diagnosis=Diagnosis("wrong-cost", FAULTS["wrong-cost"], explanation))
    name = _lam_name(run)
    loss, gradient = stated_cost.penalty_words(problem, stated, name, _letter(attempt))
    reason = (
        f"its gradient is {problem.model.name}'s, but not the gradient of the loss it returns: that loss adds "
        f"{loss}, whose gradient is {gradient}"
    )
    theirs = stated_cost.gradient_words(problem, values, name, _letter(attempt)) or (
        f"(λ/m)·θ_j with λ = {name}",
        variants.PENALTY,
    )
    diagnosis = _penalties_disagree(loss, gradient, theirs)
    return build_report(problem, base, INCORRECT, reason, notes, received=values, diagnosis=diagnosis)


def _penalties_disagree(loss: str, gradient: str, theirs: tuple[str, str]) -> Diagnosis:
    """The loss's penalty (and its gradient) against the one the returned gradient is the gradient of."""
    explanation = (
        f"the loss it returns adds {loss} (the convention it uses), whose gradient is {gradient}; its gradient has "
        f"{theirs[0]}, the gradient of {theirs[1]}: write {gradient} in the gradient (or {theirs[1]} in the loss)"
    )
    return Diagnosis("penalty-scale", FAULTS["penalty-scale"], explanation)


def _judged_by_stated(problem, run, attempt, probe, stated, judged, base, notes) -> GradientReport:
    """A gradient judged against the cost its loss states (the model's data term, the loss's penalty convention):
    right when it is that cost's gradient and the loss's central differences agree; else the two conventions said."""
    base, notes = dict(base), list(notes)
    _, _, _, values, note = judged[attempt.key]
    notes.extend(n for n in (note, run.took.get(attempt.key)) if n)
    base["convention"] = _convention(run, attempt)
    loss, gradient = stated_cost.penalty_words(problem, stated, _lam_name(run), _letter(attempt))
    own = copy.copy(problem)  # the problem of the cost it states: its expected gradient is that cost's
    own.expected, own._cache = stated_cost.stated_gradient(problem, stated), {}
    status, reason, bad = verdict(own, values)
    said = f"its penalty {loss}, the convention the loss it returns uses (its gradient {gradient})"
    if stated.constant:
        said += f"; that loss also adds a constant ({stated_cost.constant_words(problem, stated)})"
    if status == CORRECT and probe.agrees(attempt.key, values):
        reason = (
            f"equal to the gradient of the cost its loss states on all {len(values)} datasets: {problem.model.name}'s "
            f"data term with {said}; {_FD_WORDS} (called with {attempt.shapes()})"
        )
        return build_report(own, base, CORRECT, reason, notes, received=values)
    if status == CORRECT:
        status, reason = (
            UNDECIDED,
            "equal to the gradient of the cost its loss states, but the loss's central differences differ",
        )
    else:
        reason = f"not the gradient of the loss it returns ({problem.model.name}'s data term with {said}): {reason}"
    reason += f" (called with {attempt.shapes()})"
    theirs = (
        stated_cost.gradient_words(problem, values, _lam_name(run), _letter(attempt)) if status == INCORRECT else None
    )
    diagnosis = _penalties_disagree(loss, gradient, theirs) if theirs is not None else None
    return build_report(own, base, status, reason, notes, values, bad, lam=True, diagnosis=diagnosis)


def _wrong_cost(problem: Problem, run: UserRun, attempt: Attempt, target) -> str | None:
    """The line saying the cost it returns beside the gradient is not the model's (J, or ℓ for ℓ's gradient); or None.

    A step (θ after one step, and its cost history) and a function without the model's λ are not checked.
    """
    costs = run.returned_costs(attempt.key, len(problem.datasets))
    if costs is None or attempt.step or problem.model.matrix_cost is None:
        return None
    if problem.model.parameters and "lam" not in run.call.roles():
        return None
    model = model_costs(problem)
    if model is None:
        return None
    factors = [lambda d: 1.0] if target is COST else [f for _, f in target.factors]
    for factor in factors:
        expected = [factor(d) * c for d, c in zip(problem.datasets, model, strict=True)]
        if costs_match(costs, expected):
            return None
    return cost_mismatch(costs, [factors[0](d) * c for d, c in zip(problem.datasets, model, strict=True)])


def _summed_or_none(problem: Problem, run: UserRun, attempt: Attempt) -> bool:
    """Whether the cost it returns beside its gradient, if any, is the summed cost m·J."""
    costs = run.returned_costs(attempt.key, len(problem.datasets))
    model = model_costs(problem) if costs is not None else None
    return costs is None or (
        model is not None and costs_match(costs, [d.m * c for d, c in zip(problem.datasets, model, strict=True)])
    )


# the model with the penalty a function of a model without one may have (its λ was passed as 0)
_PENALISED = {"logistic": "logistic-l2", "linear": "ridge", "logistic-sum": "logistic-l2", "linear-mean": "ridge"}


def _penalty(problem: Problem, run: UserRun, attempt: Attempt, probe: stated_cost.Probe):
    """A function that takes λ, of a model without a penalty, right at λ = 0: is its penalty right too?

    "" when its result does not change with λ.  When it does and the loss it returns at λ ≠ 0 is the penalised
    model's (logistic-l2 for logistic), in its convention or another (reg·Σθ²: :mod:`.stated_cost`), its
    gradient there is judged against that loss's: the words for the verdict line when right, else (that
    problem, its verdict, the values, the loss in words, a diagnosis or None).  Without such a loss, words
    saying the penalty was not checked and with which model to check it.
    """
    if problem.model.parameters or "lam" not in run.call.roles():
        return ""
    twin_key = replace(attempt, reg="on").key
    twin, results = run.results.get(twin_key, []), run.results[attempt.key]
    if len(twin) != len(results) or _error(twin) is not None:
        return ""
    if all(np.shape(a) == np.shape(b) and np.allclose(a, b) for a, b in zip(results, twin, strict=True)):
        return ""
    name = _PENALISED.get(problem.model.name)
    costs = run.returned_costs(twin_key, len(problem.datasets))
    if name is not None and costs is not None:
        other = Problem(get_model(name), problem.datasets)
        expected = model_costs(other)
        if expected is not None and costs_match(costs, expected, atol=1e-8):  # NumPy's default absolute tolerance
            found = verdict(other, twin)
            if found[0] == CORRECT:
                return f"; with λ ≠ 0 its loss is {name}'s and its gradient {name}'s: its penalty is right too"
            return other, found, twin, f"{name}'s", None
        stated = _stated(other, probe.reading(other), run, replace(attempt, reg="on"))
        if stated is not None and not stated.own_penalty and not stated.constant:  # its own convention
            own = copy.copy(other)
            own.expected, own._cache = stated_cost.stated_gradient(other, stated), {}
            found = verdict(own, twin)
            loss, gradient = stated_cost.penalty_words(other, stated, _lam_name(run), _letter(attempt))
            said = f"{name}'s data term with the penalty {loss}"
            if found[0] == CORRECT and probe.reading(other).agrees(twin_key, twin):
                agreed = f"its gradient that loss's ({_FD_WORDS})"
                return f"; with λ ≠ 0 its loss is {said} and {agreed}: its penalty is right too"
            theirs = stated_cost.gradient_words(other, twin, _lam_name(run), _letter(attempt))
            return own, found, twin, said, _penalties_disagree(loss, gradient, theirs) if theirs else None
    return (
        f", at λ = 0 only: its result changes with λ, and its penalty was not checked ({problem.model.name} has "
        f"none): check it with {name or 'a model with a penalty (derivation models lists them)'}"
    )


def _alpha_note(run: UserRun, attempt: Attempt) -> str:
    """What α was, for a model with a penalty and a function that takes α but no λ: a step size, or λ itself."""
    name = next((n for n, role in run.call.names if role == "alpha"), "alpha")
    if attempt.step:
        return f"{name} is read as a step size (one step); {run.call.function} takes no λ, so any penalty uses its own"
    return f"{name} is read as λ, the penalty strength (scikit-learn's name for it): it does not take a step"


def _one_example(problem: Problem, run: UserRun, attempt: Attempt, base: dict, notes: list) -> GradientReport:
    """A function of one example (x_i, y_i), called on each example: each must be that example's own gradient
    (the gradient of the model's term for it, plus the penalty's share)."""
    base = base | {"convention": _convention(run, attempt)}
    for index, (d, rows) in enumerate(zip(problem.datasets, run.results[attempt.key], strict=True)):
        expected = per_example.own_gradients(problem, index)
        rows = np.asarray(rows, dtype=float)
        if rows.shape != expected.shape:
            reason = f"one example's gradient has {rows.shape[1]} entries where θ has {expected.shape[1]}"
            return build_report(problem, base, INCORRECT, reason, notes)
        scale = max(float(np.max(np.abs(expected))), 1e-300)
        wrong = np.flatnonzero(np.max(np.abs(rows - expected), axis=1) > RTOL * scale)
        if wrong.size:
            k = int(wrong[0])
            shown = lambda v: "[" + ", ".join(f"{x:.6g}" for x in v) + "]"  # noqa: E731
            reason = (
                f"one example's gradient differs on example {k + 1} of dataset {index + 1} (m = {d.m}, n = {d.n}): "
                f"expected {shown(expected[k])}, received {shown(rows[k])}"
            )
            report = build_report(problem, base, INCORRECT, reason, notes)
            if np.allclose(rows, -expected, rtol=1e-8, atol=1e-12 * scale):
                explanation = (
                    "each example's gradient is negated: (y_i − h) x_i, the log-likelihood's, for (h − y_i) x_i"
                )
                report = replace(report, diagnosis=Diagnosis("sign", FAULTS["sign"], explanation))
            return report
    count = sum(d.m for d in problem.datasets)
    reason = (
        f"one example's gradient: equal to the gradient of the model's term for that example on all {count} "
        f"examples of the {len(problem.datasets)} datasets (an SGD step's gradient; ∇J is their mean)"
    )
    return build_report(problem, base, CORRECT, reason, notes)


def _stepped(problem: Problem, attempt: Attempt, results: list) -> list:
    """A step's (θ − θ_new)/α is the gradient of what is minimised; of a climbed model (ℓ), its negative."""
    if not (attempt.step and climbed(problem)):
        return results
    return [r if isinstance(r, CallError) else -r for r in results]


def _judge(problem: Problem, results: list[np.ndarray], target) -> tuple:
    """(status, reason, bad, values, note) for one convention's results."""
    values, note = normalise(problem, results, target)
    status, reason, bad = verdict(problem, values)
    return status, reason, bad, values, note


def _diagnosed(problem, run, judged, chosen, base, notes, takes_lam) -> GradientReport:
    """The incorrect (or undecided) report with the values returned under convention ``chosen``."""
    base, notes = dict(base), list(notes)
    status, reason, bad, values, note = judged[chosen.key]
    if note:
        notes.append(note)
    if chosen.key in run.rows:
        notes.append("grad comes back a 1×(n+1) row where θ is an (n+1)×1 column: its values were read as the column")
    if chosen.key in run.took:
        notes.append(run.took[chosen.key])
    first = run.attempts[0]
    same_data = (first.intercept, first.labels) == (chosen.intercept, chosen.labels)
    if chosen != first and same_data and _error(run.results[first.key]) is not None:  # a shape it refused
        notes.append(f"with {first.shapes()} it {_error(run.results[first.key]).message}")
    base["convention"] = _convention(run, chosen)
    if chosen.intercept == "added":  # a wrong function: that it adds the ones is what was tried, not a finding (o03)
        tried = "(tried as for a function that adds it: the convention closest to what it returned)"
        base["convention"] = base["convention"].replace("(the function adds it)", tried)
    if chosen.intercept != "given" and bad is not None:
        notes.append("the counterexample's X shows the column of ones; the function was given X without it")
    reason += f" (called with {chosen.shapes()})"
    report = build_report(problem, base, status, reason, notes, values, bad, lam=takes_lam)
    if report.diagnosis is not None and report.diagnosis.fault == "a-cost" and run.siblings:
        others = " or ".join(f"--python {s}" for s in run.siblings[:2])
        report = replace(report, notes=(*report.notes, f"its file has a gradient function too: check it with {others}"))
    return _descent_for_ascent(report) if _named_likelihood(problem, run) and not chosen.step else report


def _named_likelihood(problem: Problem, run: UserRun) -> bool:
    """A function named for the log-likelihood is read as ℓ's gradient, unless the model already is ℓ (climbed)."""
    return run.likelihood and not climbed(problem)


def _nll_target(problem: Problem, run: UserRun) -> object | None:
    """For a function named for the negative log-likelihood of a mean cost J, the NLL's gradient (m·∇J or ∇J).

    NLL = −Σᵢ log p(y⁽ⁱ⁾|x⁽ⁱ⁾) is m·J, so X.T @ (h − y) is right for neg_log_likelihood_grad (and still "summed
    instead of averaged" for a function named only for the gradient).  None for any other name or model.
    """
    if likelihood_name(run.call.name) == "negative" and not climbed(problem):
        return None if data_summed(problem) else NEGATIVE_LOG_LIKELIHOOD
    return None


def _descent_for_ascent(report: GradientReport) -> GradientReport:
    """A function named for the log-likelihood that returns the cost's gradient: its sign is what is wrong.

    Its values were read as the log-likelihood's (divided by −m or −1) before the diagnosis,
    so "ascent and descent swapped" there means the cost's gradient here.
    """
    if report.diagnosis is None or report.diagnosis.fault != "ascent":
        return report
    explanation = (
        "it returns the cost's gradient (the descent direction, h − y) where its name says the "
        "log-likelihood's (y − h): negate it, or rename it"
    )
    return replace(report, diagnosis=Diagnosis("sign", FAULTS["sign"], explanation))


def _likeliest(problem: Problem, run: UserRun, judged: dict[str, tuple]) -> list[Attempt]:
    """The conventions to diagnose in, likeliest first: close but not exact, else the right size, else any that ran."""
    ran = [a for a in run.attempts if a.key in judged]
    close = [a for a in ran if judged[a.key][0] == UNDECIDED and _finite(judged[a.key][3])]
    sized = [a for a in ran if _right_size(problem, judged[a.key][3])]
    for group in (close, sized, ran):
        if group:
            return group
    return []


_MISSING = re.compile(r"missing \d+ required positional arguments?: (.+)$")


def _missing(run: UserRun) -> list[str]:
    """The parameters every call left out ('l' of costFunctionReg(theta, X, y, l) called with three), or none."""
    found: set[str] = set()
    for attempt in run.attempts:
        error = _error(run.results.get(attempt.key, []))
        match = _MISSING.search(error.message) if error is not None else None
        if match is None:
            return []
        found |= set(re.findall(r"'(\w+)'", match.group(1)))
    return sorted(found)


def _error(results: list) -> CallError | None:
    """The first failed call of a convention (the runner stops trying it there)."""
    return next((r for r in results if isinstance(r, CallError)), None)


def _finite(values: list[np.ndarray]) -> bool:
    return all(np.all(np.isfinite(np.asarray(v, dtype=float))) for v in values)


def _right_size(problem: Problem, values: list[np.ndarray]) -> bool:
    return all(np.size(v) == g.size for v, g in zip(values, problem.expected, strict=True))


def nothing_ran(run: UserRun, classes: bool = False) -> str:
    """One line: what the function did under each convention (the same failure is said once); for a model over W
    (``classes``, where W's layout multiplies the ways to call it) what to do: say how to call it."""
    said: dict[str, list[str]] = {}
    for attempt in run.attempts:
        message = _error(run.results[attempt.key]).message
        said.setdefault(message, []).append(attempt.shapes())
    hint = (
        f"; if the function is right, say how to call it: --call '{run.call.function}(…)' with W, X, y, lam, b in "
        "the places of its parameters, and --layout n+1,K or K,n+1 for W's shape"
        if classes
        else ""
    )
    imports = next((n for n in run.notes if n.startswith("importing the whole file raised ModuleNotFoundError")), None)
    if imports is not None:  # its names are missing because its imports failed: not a question of how to call it
        missing = re.search(r"No module named '([\w.]+)'", imports)
        top = missing.group(1).split(".")[0] if missing else "?"
        hint = f"; module '{top}' is not installed: the file's import of it failed first (note below), install it"
    missing = _missing(run)
    if missing and not classes:  # c11c: --call "costFunctionReg(theta, X, y)" for costFunctionReg(theta, X, y, l)
        hint = (
            f"; the call passes nothing for {', '.join(missing)}: add {'it' if len(missing) == 1 else 'them'} to "
            "--call, in its place, as lam for λ (or b for the bias)"
        )
    if len(said) == 1:
        return f"could not get a gradient from it: it {next(iter(said))} (under every convention tried){hint}"
    parts = [f"with {shapes[0]}{' and others' if len(shapes) > 1 else ''} it {msg}" for msg, shapes in said.items()]
    return "could not get a gradient from it under any convention: " + "; ".join(parts[:4]) + hint


def _convention(run: UserRun, attempt: Attempt) -> str:
    call = f"called as {run.call.text(attempt.order)}"
    if attempt.order:
        named = ", ".join(f"{n} = {r}" for n, r in zip(run.call.free_names, attempt.order, strict=True))
        call += f" (its parameters {', '.join(run.call.free_names)} say nothing: found by running, {named})"
    if "h" in run.call.roles():
        call += "; h is the model's prediction at θ (σ(θᵀx) for logistic models, θᵀx for linear)"
    names = () if attempt.reg == "inverse" else run.call.names  # C = 1/λ: the attempt's text says how C is read
    named = [_NAMES[name.removeprefix("self.")] for name, _ in names if name.removeprefix("self.") in _NAMES]
    return "; ".join([attempt.text(), call, *named])


def _correct_notes(problem: Problem, run: UserRun, attempt: Attempt, judged: dict, note: str | None) -> list[str]:
    notes = [note] if note else []
    if attempt.key in run.took:
        notes.append(run.took[attempt.key])
    if attempt.layout == "flat" and any(np.ndim(r) == 2 for r in run.results[attempt.key]):
        notes.append("it returns (n+1, 1) for θ of shape (n+1,): θ − α·grad would broadcast to (n+1, n+1)")
    if attempt.layout in ("column", "theta-column") and any(np.ndim(r) == 1 for r in run.results[attempt.key]):
        notes.append("it returns (n+1,) for θ of shape (n+1, 1): θ − α·grad would broadcast to (n+1, n+1)")
    if attempt.layout in ("column", "theta-column") and not run.octave:  # Octave has column vectors only
        what = _plain_outcome(run, attempt, judged)
        notes.append(f"it is right only with column vectors; with {_flat(attempt).shapes()}: {what or 'not tried'}")
    return notes


def _column_outcome(problem: Problem, run: UserRun, attempt: Attempt, judged: dict, target) -> str | None:
    """What a function right with 1-D θ and y does with θ a column (n+1, 1) beside 1-D y (d2l's w (n, 1)), when that
    is not right: its result depends on the shapes ((m, 1) − (m,) broadcasts to (m, m)).  None when it holds.

    Asked of w and b apart (d2l's linreg X @ w + b, whose w is drawn (n, 1)) or where its own code makes θ a
    column; θ with its bias is passed 1-D or, as course code ported from Octave has it, with y a column too.
    """
    if attempt.layout != "flat" or (attempt.intercept != "split" and not run.column_weights):
        return None
    twin = replace(attempt, layout="theta-column")
    results = run.results.get(twin.key)
    if not results:
        return None
    error = _error(results)
    if error is not None:
        return f"it {error.message}"
    if twin.key not in judged:
        judged[twin.key] = _judge(problem, _stepped(problem, twin, results), COST if twin.step else target)
    status, reason = judged[twin.key][:2]
    return None if status == CORRECT else f"{status}, {reason}"


def _column_note(attempt: Attempt, outcome: str) -> str:
    twin = replace(attempt, layout="theta-column")
    why = " (the prediction a column, minus y (m,), broadcasts to (m, m))" if _broadcasts(outcome) else ""
    return (
        f"it holds with {_vectors(attempt)} only: with {_vectors(twin)} it {_short(outcome)}{why}; reshape y as "
        "the prediction (y.reshape(y_hat.shape)) to hold for both"
    )


def _broadcasts(outcome: str) -> bool:
    """Whether the outcome with a column θ is a shape's: an (m, m) difference, not a wrong value."""
    return "wrong shape" in outcome or "broadcast" in outcome


def _vectors(attempt: Attempt) -> str:
    """The shapes of θ (w) and y under ``attempt``, without X's (the same in both)."""
    return attempt.shapes().removeprefix("X of shape (m, n) without the column of ones, ")


_BROADCAST = "its prediction is a column (m, 1) with {name} ({rows}, 1); minus y (m,) it broadcasts to (m, m)"


def _wrong_as_column(problem, run, judged, attempt, base, notes, takes_lam, outcome: str) -> GradientReport:
    """✗ with θ (w) a column beside 1-D y, the shapes its own code gives θ, though it holds with 1-D vectors."""
    twin = replace(attempt, layout="theta-column")
    name, rows = ("w", "n") if twin.intercept == "split" else ("θ", "n+1")
    said = f"its code makes {name} a column ({rows}, 1); with {_vectors(attempt)} it holds"
    notes = [*notes, f"{said}: reshape y as the prediction (y.reshape(y_hat.shape)) to hold for both"]
    diagnosis = Diagnosis("broadcast", FAULTS["broadcast"], _BROADCAST.format(name=name, rows=rows), exact=False)
    diagnosis = diagnosis if _broadcasts(outcome) else None
    if twin.key in judged:
        report = _diagnosed(problem, run, judged, twin, base, notes, takes_lam)
    else:
        base = {**base, "convention": _convention(run, twin)}
        report = build_report(problem, base, INCORRECT, f"{outcome} (called with {twin.shapes()})", notes)
    # said first: the verdict rests on the shapes its code gives θ (and is no shape error to retry otherwise)
    reason = f"with {name} a column, as its code makes it: {report.reason}"
    return replace(report, reason=reason, diagnosis=diagnosis or report.diagnosis)


def _flat(attempt: Attempt) -> Attempt:
    """The same convention with the plain shapes: θ (n+1,), y (m,), examples in rows."""
    return Attempt(attempt.intercept, "flat", attempt.labels, attempt.order, step=attempt.step)


def _plain_outcome(run: UserRun, attempt: Attempt, judged: dict) -> str | None:
    """What the function did with the plain shapes, when ``attempt`` has others and they did not work.

    None when ``attempt`` is the plain layout, or the plain one was not tried or was right.
    """
    if attempt.layout == "flat":
        return None
    flat = _flat(attempt)
    error = _error(run.results.get(flat.key, []))
    if error is not None:
        return f"it {error.message}"
    if flat.key in judged and judged[flat.key][0] != CORRECT:
        return f"{judged[flat.key][0]}, {judged[flat.key][1]}"
    return None


def _short(outcome: str) -> str:
    """The head of an outcome for the reason line ("raised IndexError", "incorrect, wrong shape"); the note has it all.

    >>> _short("it raised IndexError: tuple index out of range (f.py line 3)"), _short("incorrect, wrong shape: …")
    ('raised IndexError', 'is incorrect (wrong shape)')
    """
    head = outcome.split(":", 1)[0].split(" (", 1)[0]
    if head.startswith("it "):
        return head.removeprefix("it ")
    status, _, why = head.partition(", ")
    return f"is {status} ({why})" if why else f"is {status}"


__all__ = ["judge_run", "nothing_ran"]
