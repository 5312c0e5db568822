"""What changes with n, on a cost that fixes it (features named one by one, a polynomial in x): a gradient right at
the cost's n is evaluated again with one feature more, where the cost is extended the natural way, and its ✓ says
"for n = … only" when it is not the gradient there."""

from __future__ import annotations

import dataclasses

import numpy as np
import sympy as sp

from ..core.models import Model
from ..core.notation import i, j, theta, x
from ..oracle.datasets import EvalError, Evaluator
from ..parsing.statement import WEIGHTS_SCOPE
from .diagnose import Problem
from .formula import evaluate
from .judge_code import judge_run
from .problem_data import named_features, polynomial_degree
from .usercode import InputError, run_user_function
from .verdict import CORRECT, INCORRECT, RTOL, GradientReport


def _extension(model: Model) -> sp.Expr | None:
    """∂J/∂θ_j (rows 0..m−1, free j) of ``model``'s cost extended the natural way by a feature x_{n+1}: in its
    sums over the examples θ₀ → θ₀ + θ_{n+1}x_{n+1} (h + θ_{n+1}x_{n+1}; with no θ₀ there, the lowest θ_k →
    θ_k + θ_{n+1}x_{n+1}/x_k). None when no θ_k is there; :func:`_wider` checks that the extension fits the cost."""
    named = _in_examples(model)
    if not named:
        return None
    cost = model.forms["sum"].cost
    examples = [s for s in cost.atoms(sp.Sum) if s.variables == [i]]
    new, pivot = named_features(model)[0] + 1, named[0]
    shift = {theta[pivot]: theta[pivot] + theta[new] * x[i, new] / (x[i, pivot] if pivot else 1)}

    def wide(s: sp.Sum) -> sp.Sum:  # renumbered 0..m−1 as Evaluator reads x[i, k] (the cost's own sums run 1..m)
        return sp.Sum(s.function.xreplace(shift), (i, s.limits[0][1] - 1, s.limits[0][2] - 1))

    return sp.diff(cost.replace(lambda e: e in examples, wide), theta[j])


def _in_examples(model: Model) -> list[int]:
    """The k of the θ_k that the cost names in its sums over the examples (its hypothesis's)."""
    form = model.forms.get("sum")
    examples = [] if form is None else [s for s in form.cost.atoms(sp.Sum) if s.variables == [i]]
    named = {t.indices[0] for s in examples for t in s.function.atoms(sp.Indexed) if t.base == theta}
    return sorted(int(k) for k in named if k.is_Integer)


def _widened(d, column: np.ndarray):
    """``d`` with the feature ``column`` more, θ's entry for it 0."""
    return dataclasses.replace(d, n=d.n + 1, X=np.column_stack([d.X, column]), theta=np.append(d.theta, 0.0))


def _fits(model: Model, gradient: sp.Expr, datasets) -> bool:
    """Whether the extended cost's ``gradient`` is the cost's own where x_{n+1} repeats a feature x_k (θ's entry 0):
    ∂J/∂θ, then its θ_k entry again, for each θ_k of the hypothesis (λ = 0: a penalty is not extended)."""
    for d in datasets:
        d = dataclasses.replace(d, lam=0.0)
        own = np.ravel(Evaluator(d).value(model.matrix_gradient)).astype(float)
        for k in _in_examples(model):
            wide = np.ravel(Evaluator(_widened(d, d.X[:, k])).value(gradient)).astype(float)
            if not _extended(np.append(own, own[k]), wide):
                return False
    return True


def _wider(model: Model, datasets) -> tuple[tuple, Model]:
    """``datasets`` with one feature more, x_{n+1} nonzero (x^{d+1} for a polynomial of degree d, else random), and
    the model of the cost extended the natural way there (:func:`_extension`). θ's entry for x_{n+1} is 0, for a
    formula (--latex, --grad) and for code (--python) alike: a hypothesis written as the cost writes it (θ₀ + θ₁x₁,
    θ₀ + θ₁x + θ₂x², in a residual or in code's h) is the cost's own, what the user means for the cost they gave,
    so it keeps its plain ✓; what reads n or a feature's place off the data (1/(nm), X.shape, x_n or θ_j x_j for
    x_j, X[:, -1]) is still moved by the nonzero feature. An extension that does not fit the cost (:func:`_fits`)
    gives way to a feature of zeros, the old gradient with a 0 appended (it hides what changes with n)."""
    rng = np.random.default_rng(len(datasets))
    degree = polynomial_degree(model)
    gradient = _extension(model)
    if gradient is not None and _fits(model, gradient, datasets):
        columns = [d.X[:, 1] ** (degree + 1) if degree else rng.normal(size=d.m).round(2) for d in datasets]
        wider = tuple(_widened(d, c) for d, c in zip(datasets, columns, strict=True))
        return wider, dataclasses.replace(model, matrix_gradient=gradient)
    return tuple(_widened(d, np.zeros(d.m)) for d in datasets), model


def at_own_n(problem: Problem, report: GradientReport, values, datasets, text: str, kind: str) -> GradientReport:
    """A ✓ on data of one n (a cost that names its features one by one fixes it) for a formula that holds at that n
    only (1/(nm) for 1/m, x_n or x_1 for x_j, θ_j x_j for the residual: equal at the cost's n = 1): said on the ✓
    line (it was a plain ✓). Each piece is evaluated again on :func:`_wider` data, where a formula right for any n
    gives its values and the extended cost's entry for θ_{n+1}."""
    if report.status != CORRECT or len({d.n for d in problem.datasets}) != 1:
        return report
    wider, extended = _wider(problem.model, datasets)
    try:
        extra = [float(np.ravel(Evaluator(d).value(extended.matrix_gradient))[-1]) for d in wider]
    except EvalError:
        return report
    for value, offset, scope in values:
        try:
            same = evaluate(value, problem, offset, text, kind, datasets)
            moved = evaluate(value, problem, offset, text, kind, wider)
        except (InputError, EvalError, IndexError):  # θ₂ written out on data of n = 1 + 1: nothing to compare
            continue
        if scope == WEIGHTS_SCOPE and all(np.size(v) == 1 for v in moved):  # one number for every θ_j, j ≥ 1 (x_1)
            same = [np.full(d.n, v) for v, d in zip(same, datasets, strict=True)]
            moved = [np.full(d.n, v) for v, d in zip(moved, wider, strict=True)]
        if not all(_extended(a, b, e) for a, b, e in zip(same, moved, extra, strict=True)):
            own = problem.datasets[0].n
            said = f"n = {own} only: with one feature more the formula is not the gradient"
            return dataclasses.replace(report, holds_for="; ".join(filter(None, (report.holds_for, said))))
    return report


def _extended(value: np.ndarray, wider: np.ndarray, extra: float = 0.0) -> bool:
    """Whether ``wider`` is ``value`` (a number, or a vector with ``extra``, θ_{n+1}'s entry, appended)."""
    a, b = np.ravel(value).astype(float), np.ravel(wider).astype(float)
    if b.size == a.size + 1:
        a = np.append(a, extra)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=RTOL * (1 + np.max(np.abs(a), initial=0))))


def code_at_own_n(problem: Problem, report: GradientReport, python: str, again: dict, method: str, seed: int):
    """A function right on data of one n (the cost fixes it), run again on :func:`_wider` data, as a formula is: a
    function that reads n off X (/ X.shape[1]) or a feature's place (X[:, -1] for x₁) is wrong there, with the right
    shape, and its ✓ holds for the cost's n only (it was a plain ✓); h written as the cost writes it keeps its ✓."""
    if len({d.n for d in problem.datasets}) != 1:
        return report
    wider, extended = _wider(problem.model, problem.datasets)
    try:
        run = run_user_function(python, wider, **again)
        if run.failure is not None:
            return report
        wide = Problem(extended, wider)
        rerun = lambda ds: run_user_function(python, ds, **again)  # noqa: E731
        other = judge_run(wide, run, python, method, seed, rerun, fresh=False)  # the fresh calls ran at its own n
    except (InputError, EvalError):
        return report
    if other.status != INCORRECT or other.reason.startswith("wrong shape"):
        return report
    own = problem.datasets[0].n
    said = f"n = {own} only: with one feature more it is not the gradient: does it read n or a feature's place off X?"
    return dataclasses.replace(report, holds_for="; ".join(filter(None, (report.holds_for, said))))
