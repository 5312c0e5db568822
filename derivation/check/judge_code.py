"""Judge a user's NumPy function from what it returned under each calling convention.

:func:`judge_run` picks the convention under which the function is right (or, when
none is, the one to diagnose in) and hands the values to :mod:`derivation.check.verdict`.
"""

from __future__ import annotations

import numpy as np

from .diagnose import Problem
from .usercode import CONVENTIONS, CallError, UserRun
from .verdict import CORRECT, UNDECIDED, GradientReport, build_report, verdict


def judge_run(problem: Problem, run: UserRun, spec: str, method: str, seed: int) -> GradientReport:
    """The report on a user's function from its run: right under some convention, or diagnosed in the likeliest."""
    base = {
        "model": problem.model.name,
        "input_kind": f"NumPy function {run.label}",
        "received": spec,
        "reading": None,
        "method": method,
        "seed": seed,
    }
    notes = list(run.notes)
    takes_lam = "lam" in run.call.roles()
    if problem.model.parameters and not takes_lam:
        notes.append(f"{run.call.function} takes no λ: it was called without one, so any penalty uses its own λ")
    elif takes_lam and not problem.model.parameters:
        notes.append(f"called with λ = 0: {problem.model.name} has no penalty")
    if run.failure is not None:
        return build_report(problem, base, UNDECIDED, f"could not run it: {run.failure}", notes)
    verdicts = {}
    for convention, results in run.results.items():
        errors = [r for r in results if isinstance(r, CallError)]
        if errors:
            verdicts[convention] = (None, errors[0].message, None)
        else:
            verdicts[convention] = verdict(problem, results)
    flat, column = verdicts["flat"], verdicts["column"]
    for convention in ("flat", "column"):
        if verdicts[convention][0] == CORRECT:
            other = verdicts["column" if convention == "flat" else "flat"]
            notes.extend(_shape_notes(problem, run, convention, other))
            reason = verdicts[convention][1] + f" (called with {CONVENTIONS[convention]})"
            return build_report(problem, base, CORRECT, reason, notes)
    chosen = "flat" if flat[0] is not None or column[0] is None else "column"
    status, reason, bad = verdicts[chosen]
    if status is None:
        return build_report(problem, base, UNDECIDED, f"could not get a gradient from it: it {flat[1]}", notes)
    if chosen == "column":
        notes.append(f"with {CONVENTIONS['flat']} it {flat[1]}; judged with {CONVENTIONS['column']}")
    reason += f" (called with {CONVENTIONS[chosen]})"
    return build_report(problem, base, status, reason, notes, run.results[chosen], bad, lam=takes_lam)


def _shape_notes(problem: Problem, run: UserRun, convention: str, other) -> list[str]:
    notes = []
    theta_shape, got = ("(n+1,)", "(n+1, 1)") if convention == "flat" else ("(n+1, 1)", "(n+1,)")
    expected_ndim = 1 if convention == "flat" else 2
    if any(np.ndim(r) != expected_ndim for r in run.results[convention]):
        notes.append(f"it returns {got} for θ of shape {theta_shape}: θ − α·grad would broadcast to (n+1, n+1)")
    if convention == "column":
        what = f"it {other[1]}" if other[0] is None else f"{other[0]}, {other[1]}"
        notes.append(f"it is right only with column vectors; with {CONVENTIONS['flat']}: {what}")
    return notes


__all__ = ["judge_run"]
