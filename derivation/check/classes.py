"""Check a gradient by a weight matrix W: softmax regression and the multiclass SVM (labels "onehot").

The received ∂J/∂W is compared, dataset by dataset, with the model's closed form
(n+1) × K evaluated by the oracle.  A NumPy function is run under the conventions of
:func:`~derivation.check.usercode.class_attempts`: W as (n+1, K) or as scikit-learn's
coef_ (K, n+1) (its result transposed back), labels as integers 0..K−1 or one-hot Y,
X with or without its column of ones, and a penalty strength as λ, as CS231n's reg = λ/(2m) (a loss adding
reg·ΣW²) or as reg = λ/m (a loss adding (reg/2)·ΣW²): the loss the function returns says which it means and
its gradient is judged in that one (without a loss, the one its gradient matches is said in the verdict).  A
model without a penalty (the SVM) is also run with λ ≠ 0: a penalty there is judged too.  A returned loss
must be the model's (up to a constant: said, the gradient not failed; :mod:`derivation.check.stated_cost`).
The report states the convention that held.  A wrong gradient is diagnosed by the hypotheses of
:data:`CLASS_HYPOTHESES` (the variants of :mod:`derivation.check.variants` and the model's own slips: the
softmax over the wrong axis, integer labels for one-hot, the SVM's true-class column).  A function right on
our data is also called at scores of ±1000, where a softmax without the max shift overflows: that is
reported as a note, not a fault of the gradient.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import sympy as sp

from ..core.functions.softmax import Softmax
from ..core.models import Model
from ..core.notation import K, W, W_matrix, X, Y_onehot, b, c, i, l, lam, n, x, zero_based_classes
from ..oracle.datasets import Dataset, EvalError, Evaluator, make_datasets
from . import stated_cost, variants
from .compare import (
    Arrays,
    constant,
    cost_mismatch,
    costs_match,
    ratios,
    received_rtol,
    round_simple,
    same,
    scale_pattern,
    scale_text,
)
from .diagnose import FAULTS, Diagnosis
from .diagnose import wrong_cost as wrong_cost_diagnosis
from .fresh_calls import LARGE_M, Fresh, fresh_datasets, fresh_method, fresh_words
from .judge_code import nothing_ran
from .usercode import Attempt, CallError, run_user_function
from .usersource import lam_default_note
from .verdict import CORRECT, INCORRECT, UNDECIDED, GradientReport, verdict

LARGE_SCORES = 1000.0  # the probe: scores this large overflow e^z in float64 (e^710 = inf)


def is_class_model(model: Model) -> bool:
    """Whether ``model``'s parameter is the weight matrix W (one-hot labels over K classes)."""
    return getattr(model, "labels", None) == "onehot"


class ClassProblem:
    """The model over W, its datasets and the parts the hypotheses need: ∇J = D + R, W, the scores.

    >>> from derivation.core.family import CLASS_MODELS
    >>> problem = ClassProblem(CLASS_MODELS["softmax-l2"](), 0)
    >>> [g.shape for g in problem.expected][:2], problem.regularised
    ([(2, 3), (3, 2)], True)
    """

    def __init__(self, model: Model, seed: int, datasets: tuple[Dataset, ...] | None = None):
        self.model = model
        self.datasets = make_datasets(model, seed) if datasets is None else datasets
        self.evaluators = [Evaluator(d) for d in self.datasets]
        self.expected = self.values(model.matrix_gradient)
        terms = model.matrix_gradient.args if isinstance(model.matrix_gradient, sp.MatAdd) else ()
        reg = [t for t in terms if lam in t.free_symbols]
        self.regularised = bool(reg)  # the penalty is a term of its own: the variants can take it apart
        self.takes_lam = bool(model.parameters)  # the data gets a λ (a cost read from text may not split)
        self.reg = self.values(sp.MatAdd(*reg)) if reg else [0 * g for g in self.expected]
        self.data = [g - r for g, r in zip(self.expected, self.reg, strict=True)]
        self.weights = [d.W for d in self.datasets]
        self.softmax = model.matrix_gradient.has(Softmax)  # the cross-entropy of softmax(XW), not the hinge
        self._cache: dict[str, dict[str, Arrays]] = {}
        # the penalty (λ/2m)ΣW² over all of W (the models' own), for a function with a penalty the model lacks
        self.penalty_costs = [d.lam / (2 * d.m) * float(np.sum(d.W**2)) for d in self.datasets]
        self.model_costs = [float(np.asarray(ev.value(model.matrix_cost)).reshape(-1)[0]) for ev in self.evaluators]
        pairs = zip(self.model_costs, self.penalty_costs, strict=True)
        self.data_costs = [c - p for c, p in pairs] if reg else self.model_costs
        # the penalty conventions of a λ parameter: "split" (the model's (λ/2m)ΣW²), "none" (the model has no λ:
        # called with λ = 0 and λ ≠ 0), "own" (a cost read from text: its penalty is its own, λ passed as λ)
        self.penalty = "split" if reg else ("own" if self.takes_lam else "none")

    def penalised(self) -> ClassProblem:
        """This model with the penalty (λ/2m)ΣW² added (itself when it has one): for a function that takes λ."""
        if self.takes_lam:
            return self
        other = copy.copy(self)
        other.reg = [d.lam / d.m * d.W for d in self.datasets]
        other.expected = [g + r for g, r in zip(self.data, other.reg, strict=True)]
        other.regularised, other.takes_lam, other._cache = True, True, {}
        return other

    def costs(self, reg: str) -> list[float]:
        """The model's cost on every dataset as a function called under penalty convention ``reg`` should return it."""
        if reg in ("", "zero") or self.takes_lam:  # the λ passed in its convention makes its cost the model's
            return self.model_costs
        return [c + p for c, p in zip(self.data_costs, self.penalty_costs, strict=True)]

    def values(self, expr: sp.Basic) -> Arrays:
        """``expr`` on every dataset, as (n+1, K) arrays."""
        return [np.asarray(ev.value(expr), dtype=float) for ev in self.evaluators]

    def alternatives(self, fault: str, function: Callable) -> dict[str, Arrays]:
        """The values of hypothesis ``fault`` on every dataset, computed once."""
        if fault not in self._cache:
            self._cache[fault] = function(self)
        return self._cache[fault]

    def large(self) -> tuple[Dataset, np.ndarray]:
        """A dataset whose largest score is ±:data:`LARGE_SCORES`, and the oracle's gradient there (max-shifted)."""
        d = self.datasets[3]
        W = d.W * (LARGE_SCORES / np.max(np.abs(d.X @ d.W)))
        big = replace(d, W=W)
        return big, np.asarray(Evaluator(big).value(self.model.matrix_gradient), dtype=float)


# --- the slips particular to these models ----------------------------------------------------------


def _integer_labels(problem: ClassProblem) -> dict[str, Arrays]:
    """Integer labels where the one-hot Y belongs: Xᵀ(P − y𝟏ᵀ)/m, y broadcast across the classes."""
    if not problem.softmax:
        return {}
    values = [
        d.X.T @ (Softmax.numpy_eval(d.X @ d.W) - d.y[:, None]) / d.m + r
        for d, r in zip(problem.datasets, problem.reg, strict=True)
    ]
    return {"P − y with y the integer labels (m, 1) where the one-hot Y (m, K) belongs: use Y = np.eye(K)[y]": values}


def _softmax_axis(problem: ClassProblem) -> dict[str, Arrays]:
    """The softmax normalised over the examples (axis 0), with the rows' max shift or without any."""
    if not problem.softmax:
        return {}
    plain, shifted = [], []
    for d, r in zip(problem.datasets, problem.reg, strict=True):
        Z = d.X @ d.W
        plain.append(d.X.T @ (Softmax.numpy_eval(Z.T).T - d.Y) / d.m + r)
        E = np.exp(Z - Z.max(axis=1, keepdims=True))  # a row shift changes a softmax over the columns
        shifted.append(d.X.T @ (E / E.sum(axis=0, keepdims=True) - d.Y) / d.m + r)
    column = "softmax normalised over the examples (axis=0) instead of over the classes (axis=1)"
    return {column: plain, f"{column}, after shifting each row by its max": shifted}


def _svm_parts(d: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """(A, A with Δ = 0): the violated margins 1[w_aᵀx − w_yᵀx + Δ > 0] of the wrong classes."""
    Z = d.X @ d.W
    true = np.sum(Z * d.Y, axis=1, keepdims=True)
    wrong = 1.0 - d.Y
    return wrong * (Z - true + 1.0 > 0), wrong * (Z - true > 0)


def _svm_slips(problem: ClassProblem, which: str) -> dict[str, Arrays]:
    """The multiclass SVM's slips: the true class's column left out ("svm-true-class"), or Δ = 0 ("svm-margin")."""
    if problem.softmax:
        return {}
    out = []
    for d, r in zip(problem.datasets, problem.reg, strict=True):
        A, A0 = _svm_parts(d)
        if which == "svm-true-class":
            out.append(d.X.T @ A / d.m + r)
        else:
            out.append(d.X.T @ (A0 - d.Y * A0.sum(axis=1, keepdims=True)) / d.m + r)
    text = {
        "svm-true-class": "only the violating classes' columns get +x⁽ⁱ⁾: the true class's column needs −x⁽ⁱ⁾ "
        "once per violated margin (dW[:, y_i] -= x_i)",
        "svm-margin": "the margins are w_aᵀx − w_yᵀx without the + 1 (Δ = 1): a class must count as soon as its "
        "score comes within 1 of the true class's, not only when it beats it",
    }[which]
    return {text: out}


CLASS_HYPOTHESES: list[tuple[str, Callable[[ClassProblem], dict[str, Arrays]]]] = [
    ("summed", variants.class_summed),
    ("sign", variants.class_sign),
    ("missing-regularisation", variants.class_missing_regularisation),
    ("bias-row", variants.class_bias_row),
    ("labels", _integer_labels),
    ("softmax-axis", _softmax_axis),
    ("svm-true-class", lambda p: _svm_slips(p, "svm-true-class")),
    ("svm-margin", lambda p: _svm_slips(p, "svm-margin")),
]


def diagnose_classes(problem: ClassProblem, received: Arrays, reg: str | None = None) -> Diagnosis | None:
    """The first hypothesis that explains ``received`` ((n+1, K) arrays) exactly; then scaled ones; else None.

    >>> from derivation.core.family import CLASS_MODELS
    >>> problem = ClassProblem(CLASS_MODELS["softmax"](), 0)
    >>> diagnose_classes(problem, [-g for g in problem.expected]).fault
    'sign'
    """
    rtol = received_rtol(received)
    flat = [np.asarray(r, dtype=float).reshape(-1) for r in received]
    if all(not np.any(r) for r in flat) and any(np.any(g) for g in problem.expected):
        return Diagnosis("zero", FAULTS["zero"], "every entry is 0")
    for fault, function in CLASS_HYPOTHESES:
        for explanation, arrays in problem.alternatives(fault, function).items():
            if all(same(a.reshape(-1), r, rtol) for a, r in zip(arrays, flat, strict=True)):
                return Diagnosis(fault, FAULTS[fault], explanation)
    explanation = variants.class_penalty_scale(problem, received, rtol, reg)
    if explanation is not None:
        return Diagnosis("penalty-scale", FAULTS["penalty-scale"], explanation)
    expected = [g.reshape(-1) for g in problem.expected]
    pattern = scale_pattern(problem.datasets, expected, flat, rtol)
    if pattern is not None and pattern not in (("1", 1.0), ("1", 0.0)):
        return Diagnosis("scale", FAULTS["scale"], f"received = expected × a factor: {scale_text(*pattern)}")
    for fault, function in CLASS_HYPOTHESES:
        for explanation, arrays in problem.alternatives(fault, function).items():
            pattern = scale_pattern(problem.datasets, [a.reshape(-1) for a in arrays], flat, rtol)
            if pattern is not None and pattern != ("1", 1.0):
                return Diagnosis(fault, FAULTS[fault], f"{explanation}; and {scale_text(*pattern)}")
    return None


# --- the verdict ---------------------------------------------------------------------------------


def class_verdict(problem: ClassProblem, received: Arrays) -> tuple[str, str, int | None]:
    """(status, reason, dataset to show): every dataset (n+1, K) and equal to the tolerance of its precision."""
    return verdict(problem, received, shape_problem=_matrix_shape_problem)


def _matrix_shape_problem(received: np.ndarray, expected: np.ndarray) -> str | None:
    """Why ``received`` is not ∂J/∂W of ``expected``'s shape (n+1, K); None when it is."""
    shape = np.shape(received)
    if shape == expected.shape:
        return None
    if shape == expected.T.shape:
        return f"wrong shape: received {shape}, the transpose of ∂J/∂W's {expected.shape}"
    return f"wrong shape: received a {shape} array where ∂J/∂W has shape {expected.shape}"


def class_report(
    problem: ClassProblem,
    base: dict[str, Any],
    received: Arrays | None,
    notes: list[str],
    status: str | None = None,
    reason: str | None = None,
    reg: str | None = None,
    bad: int | None = None,
) -> GradientReport:
    """The report on received (n+1, K) arrays: verdict, diagnosis, counterexample (the printer's θ is W) at dataset
    ``bad`` (found by the verdict when ``status`` is not given)."""
    if status is None:
        status, reason, bad = class_verdict(problem, received)
    diagnosis = None
    if status == INCORRECT and received is not None:
        shaped = [np.asarray(r) for r in received]
        if all(r.shape == g.T.shape for r, g in zip(shaped, problem.expected, strict=True)):
            inner = diagnose_classes(problem, [r.T for r in shaped], reg)
            text = "it returns (K, n+1) for W of shape (n+1, K): (P − Y)ᵀX/m where Xᵀ(P − Y)/m is ∂J/∂W"
            if inner is not None:
                text += f"; besides, {inner.name}: {inner.explanation}"
            diagnosis = Diagnosis("layout", FAULTS["layout"], text)
        elif all(r.shape == g.shape for r, g in zip(shaped, problem.expected, strict=True)):
            diagnosis = diagnose_classes(problem, shaped, reg)
    example = None
    if bad is not None:
        d = problem.datasets[bad]
        example = d.as_lists() | {"theta": d.W.tolist(), "y": [int(v) for v in d.y]}
        if not problem.takes_lam:
            example.pop("lam")
        example |= {"expected": problem.expected[bad].tolist(), "received": np.asarray(received[bad]).tolist()}
        example["received_shape"] = list(np.shape(received[bad]))
    return GradientReport(status, reason, diagnosis=diagnosis, counterexample=example, notes=tuple(notes), **base)


# --- an expression ------------------------------------------------------------------------------


def class_context(problem: ClassProblem):
    """The LaTeX context of the W models: W, Y and (for softmax) P = softmax(XW) and p_c^{(i)}, its entries."""
    from ..parsing import LatexContext

    letters: dict[str, Callable[..., sp.Basic]] = {"W": lambda: W_matrix, "Y": lambda: Y_onehot}
    if problem.softmax:  # P = softmax(XW), the letter textbooks give the probabilities
        letters |= {"P": lambda: Softmax(X * W_matrix), "p": probability}
    return LatexContext(defined=letters)


def probability(*indices: sp.Expr) -> sp.Basic:
    """p_c^{(i)} = e^{w_cᵀx⁽ⁱ⁾} / Σ_b e^{w_bᵀx⁽ⁱ⁾}, example i (1..m) and class c (1..K); no indices: the matrix P."""
    if not indices:
        return Softmax(X * W_matrix)
    example, cls = (*indices, c)[:2]

    def score(of: sp.Expr) -> sp.Expr:
        return sp.exp(sp.Sum(W[l, of] * x[example, l], (l, 0, n)))

    return score(cls) / sp.Sum(score(b), (b, 1, K))


def class_values(problem: ClassProblem, expr: sp.Basic, examples: bool = False) -> Arrays:
    """``expr`` on every dataset as (n+1, K) arrays: a matrix, or an entry with free feature j and class c (1..K).

    With ``examples`` the free index is the example i: (m, K), the probabilities p_c^{(i)}.
    """
    if isinstance(expr, sp.MatrixExpr):
        return problem.values(expr)
    numbered = zero_based_classes(expr)
    out = []
    for d in problem.datasets:
        evaluator = Evaluator(d, row_offset=1)  # examples 1..m, as LaTeX numbers them
        rows = d.m if examples else d.p
        columns = [np.asarray(evaluator.value(numbered.xreplace({c: col})), dtype=float) for col in range(d.K)]
        out.append(np.column_stack([np.broadcast_to(v.reshape(-1), (rows,)) for v in columns]))
    return out


def probabilities_fault(problem: ClassProblem, value: sp.Basic | Callable[..., sp.Basic], shown: str) -> str | None:
    """What is wrong with the user's P = … (or p_c^{(i)} = …), measured on the data; None when it is softmax(XW)."""
    matrix = value() if callable(value) else value
    user = (
        problem.values(matrix)
        if isinstance(matrix, sp.MatrixExpr)
        else class_values(problem, value(i, c) if callable(value) else matrix, examples=True)
    )
    model = problem.values(Softmax(X * W_matrix))
    if all(u.shape == e.shape and np.allclose(u, e, rtol=1e-8, atol=1e-12) for u, e in zip(user, model, strict=True)):
        return None
    return f"your {shown} is not the model's probabilities softmax(XW) (each row e^{{z_c}}/Σ_b e^{{z_b}} of z = XW)"


def check_class_expression(
    problem: ClassProblem,
    grad: str | None,
    statement,
    method: str,
    seed: int,
    text: str | None = None,
    read_as: str = "",
) -> GradientReport:
    """A gradient by W: Python syntax in matrix form (``X.T @ (softmax(X @ W) - Y) / m``) or a LaTeX statement read
    by :func:`~derivation.parsing.statement.read_gradient` (∂J/∂W, a class column ∇_{w_k}J, an entry ∂J/∂W_jc)."""
    from ..parsing import ParseError, matrix_names, read_expr
    from ..printing.expr import to_unicode
    from .usersource import InputError

    if grad is not None:
        letters = {name: value() for name, value in class_context(problem).defined.items() if name != "p"}
        try:
            values = [read_expr(grad, {**matrix_names(), **letters, "K": K})]
        except ParseError as error:
            raise InputError(f"{error.message} ({class_symbols(problem, entries=False)})") from None
        text, kind = grad, "expression (matrix form)"
    else:
        values = [piece.value for piece in statement.pieces]
        matrix = all(isinstance(v, sp.MatrixExpr) for v in values)
        kind = "LaTeX " + (
            "(matrix form)" if matrix else "(index form: examples i = 1..m, features j, classes c = 1..K)"
        )
        if read_as:
            kind += f", read as {read_as}"
    report = None
    for expr in values:  # every right side of a chain holds
        base = {"model": problem.model.name, "input_kind": kind, "received": text, "reading": to_unicode(expr)}
        base |= {"method": method, "seed": seed}
        if grad is not None and not isinstance(expr, sp.MatrixExpr):
            raise InputError(f"read as {to_unicode(expr)}: write ∂J/∂W in matrix form, e.g. X.T @ (P - Y) / m")
        try:
            received = class_values(problem, expr)
        except (EvalError, ValueError, TypeError) as error:
            said = str(error)
            if said.startswith("free index"):  # the class named on the left (w_c, W_jc) is the only free class index
                said = said.split(":")[0] + ": an entry of ∂J/∂W has feature j and the class its left side names (w_c)"
            raise InputError(f"cannot evaluate {to_unicode(expr)}: {said}") from None
        notes = list(statement.notes) if statement is not None else []
        report = class_report(problem, base, received, notes)
        if report.status != CORRECT:
            break
    return report


def class_symbols(problem: ClassProblem, entries: bool = True) -> str:
    """What a gradient by W is written with, for an error message (``entries``: LaTeX's index form too)."""
    where = "P for softmax(XW), " if problem.softmax else ""
    return f"∂J/∂W in matrix form over X, W, Y, {where}m, λ" + ("; or its entry W_jc" if entries else "")


# --- a NumPy function ----------------------------------------------------------------------------


def check_class_function(
    problem: ClassProblem,
    spec: str,
    *,
    call: str | None,
    method: str,
    seed: int,
    timeout: float,
    isolate: bool,
    layout: str | None = None,
    labels: str | None = None,
) -> GradientReport:
    """Run the user's function under every convention for W (plus the large-score probe) and judge it."""
    big, big_expected = problem.large()
    # λ = 0 is one of the conventions tried for a model without a penalty
    again = {"call": call, "timeout": timeout, "lam": True, "isolate": isolate}
    again["classes"] = {"layout": layout, "labels": labels, "penalty": problem.penalty}
    run = run_user_function(spec, (*problem.datasets, big), **again)
    probe = stated_cost.Probe(problem, lambda datasets: run_user_function(spec, datasets, **again), seed)
    base = {
        "model": problem.model.name,
        "input_kind": f"{run.kind} {_named(run, run.label)}",
        "received": spec,
        "reading": None,
        "method": method,
        "seed": seed,
    }
    notes = list(run.notes)
    takes_lam = "lam" in run.call.roles()
    if problem.takes_lam and not takes_lam:
        notes.append(f"{run.call.function} takes no λ: it was called without one, so any penalty uses its own λ")
    if problem.takes_lam and lam_default_note(run.call):
        notes.append(lam_default_note(run.call))
    if run.failure is not None:
        return class_report(problem, base, None, notes, UNDECIDED, f"could not run it: {run.failure}")
    count = len(problem.datasets)
    ran = {}
    for attempt in run.attempts:
        results = run.results[attempt.key]
        if len(results) < count or any(isinstance(r, CallError) for r in results[:count]):
            continue
        ran[attempt.key] = [
            _unlaid(attempt, r, g.shape) for r, g in zip(results[:count], problem.expected, strict=True)
        ]
    if not ran:
        return class_report(problem, base, None, notes, UNDECIDED, nothing_ran(run, classes=True))
    candidates, said = _penalty_candidates(problem, run, ran, count)
    notes.extend(said)
    judged: dict[str, tuple[Attempt, Arrays, tuple]] = {}
    for attempt in candidates:
        received = ran[attempt.key]
        judging = _judging(problem, attempt)
        judged[attempt.key] = (attempt, received, class_verdict(judging, received))
        if judged[attempt.key][2][0] == CORRECT:
            base["convention"] = _convention(run, attempt)
            results = run.results[attempt.key]
            if any(np.ndim(r) == 1 for r in results[:count]):
                notes.append(f"{run.call.function} returns ∂J/∂W flattened (W.ravel()'s order): read as W's shape")
            penalty = big.lam / big.m * big.W if judging is not problem else 0.0
            notes.extend(_probe(results[count:], attempt, big_expected + penalty))
            if attempt.key in run.took:
                notes.append(run.took[attempt.key])
            _, reason, _ = judged[attempt.key][2]
            wrong_cost = _wrong_cost(problem, run, attempt, count)
            offset = _constant(problem, run, attempt, probe, received) if wrong_cost and judging is problem else None
            reason += _penalty_words(problem, run, attempt, offset is not None)
            if wrong_cost is None or offset is not None:  # right: called again on fresh data, in one process
                again_report = _fresh_report(problem, spec, again, attempt, seed, base, notes)
                if again_report is not None:
                    return again_report
            if offset is not None:  # the model's cost plus a term without W: the gradient is the same
                said, explanation = offset
                report = class_report(judging, base, received, notes, CORRECT, f"{reason}; {said}")
                return replace(report, diagnosis=Diagnosis("wrong-cost", FAULTS["wrong-cost"], explanation))
            if wrong_cost is not None:
                reason = f"{wrong_cost}; its gradient is {reason}"
                report = class_report(judging, base, received, notes, INCORRECT, reason)
                return replace(report, diagnosis=wrong_cost_diagnosis(wrong_cost, run.octave))
            return class_report(judging, base, received, notes, CORRECT, reason)
    reports = []
    for attempt, received, _ in judged.values():
        chosen = base | {"convention": _convention(run, attempt)}
        took = [run.took[attempt.key]] if attempt.key in run.took else []
        report = class_report(_judging(problem, attempt), chosen, received, notes + took)
        if report.diagnosis is not None and report.diagnosis.fault == "penalty-scale" and attempt.reg in _REG_FIX:
            explanation = _penalty_fault(problem, run, attempt, received)
            if explanation is not None:
                report = replace(report, diagnosis=Diagnosis("penalty-scale", FAULTS["penalty-scale"], explanation))
        if report.diagnosis is not None:
            return report
        reports.append(report)
    return reports[0]


def _fresh_report(problem: ClassProblem, spec: str, again: dict, attempt: Attempt, seed: int, base, notes):
    """The report on a function right on the model's datasets but wrong on the fresh calls of :mod:`.fresh_calls`
    (the first X again with a new W, in the same process, and m = 67: a cache keyed on X's shape, a loop over the
    first 10 rows); None when right there too.  ``base["method"]`` says the calls were made."""
    first = problem.datasets[0]
    datasets, repeated, large = fresh_datasets(problem.model, first, max(d.n for d in problem.datasets), seed)
    fresh = _judging(ClassProblem(problem.model, seed, datasets), attempt)
    said = Fresh(fresh, repeated, large)
    base["method"] = fresh_method(base["method"], said)
    rerun = run_user_function(spec, datasets, **again)
    results = rerun.results.get(attempt.key) if rerun.failure is None else None
    if results is None or (len(results) < len(datasets) and not any(isinstance(r, CallError) for r in results)):
        why = f"right on the model's datasets, but run again on more examples (m = {LARGE_M}) it gave no result: "
        why += rerun.failure or "that convention was not tried"
        return class_report(fresh, base, None, notes, UNDECIDED, why)
    if any(isinstance(r, CallError) for r in results):
        words, _ = fresh_words(said, results, results, None)
        return class_report(fresh, base, None, notes, INCORRECT, words)
    received = [_unlaid(attempt, r, g.shape) for r, g in zip(results, fresh.expected, strict=True)]
    status, _, bad = class_verdict(fresh, received)
    if status == CORRECT:
        return None
    words, index = fresh_words(said, received, received, bad)
    return class_report(fresh, base, received, notes, INCORRECT, words, bad=index)


# --- the penalty's convention and the returned cost ------------------------------------------------------

# per convention: the factor of reg·W its loss's penalty gives, and the line that writes it
_REG_FIX = {"reg": (2.0, "dW += 2 * {r} * W"), "half": (1.0, "dW += {r} * W")}


def _judging(problem: ClassProblem, attempt: Attempt) -> ClassProblem:
    """The problem an attempt's values are judged against: with the penalty when the function was given a λ."""
    return problem if attempt.reg in ("", "zero") or problem.takes_lam else problem.penalised()


def _cost_state(problem: ClassProblem, run, attempt: Attempt, count: int) -> bool | None:
    """Whether the cost the function returned under ``attempt`` is the model's; None when it returns none."""
    costs = run.returned_costs(attempt.key, count)
    if costs is None:
        return None
    expected = problem.costs(attempt.reg)
    return costs_match(costs, expected)


def _penalty_candidates(problem: ClassProblem, run, ran: dict, count: int) -> tuple[list[Attempt], list[str]]:
    """The conventions to judge, and what to say: the penalty convention its loss confirms, if it returns one.

    A model without a penalty: a function whose result does not change with λ is judged at λ = 0; one whose
    result changes has a penalty, judged as the models with one are.
    """
    attempts = [a for a in run.attempts if a.key in ran]
    notes = []
    zero = [a for a in attempts if a.reg == "zero"]
    if zero:
        others = [a for a in attempts if a.reg not in ("", "zero")]
        changes = any(
            not all(np.allclose(u, v) for u, v in zip(ran[z.key], ran[o.key], strict=True))
            for z in zero
            for o in others
            if replace(o, reg="zero") == z
        )
        if not changes:
            notes.append(f"called with λ = 0: {problem.model.name} has no penalty (its result does not change with λ)")
            return zero, notes
        notes.append(
            f"its result changes with λ: its penalty is checked too, as (λ/2m)ΣW² (the penalty of softmax-l2); "
            f"{problem.model.name} itself has none"
        )
        attempts = others
    regs = {a.reg for a in attempts} - {""}
    if not regs:
        return attempts, notes
    confirmed = {a.reg for a in attempts if _cost_state(problem, run, a, count)}
    if confirmed:
        return [a for a in attempts if a.reg in confirmed], notes
    if all(run.returned_costs(a.key, count) is None for a in attempts) and attempts[0].reg == "lam":
        # no loss to say which penalty it means, and a parameter named like λ: the model's λ, as named
        return [a for a in attempts if a.reg == "lam"], notes
    return attempts, notes


def _penalty_words(problem: ClassProblem, run, attempt: Attempt, up_to_constant: bool = False) -> str:
    """For the reason line: which penalty convention held, and whether its loss (``up_to_constant``: the loss
    less a constant) or only its gradient says so."""
    if attempt.reg in ("", "zero") or problem.penalty == "own":
        return ""
    costs = run.returned_costs(attempt.key, len(problem.datasets))
    name = _named(run, "lam")
    meaning = {"reg": f"{name}·ΣW² with {name} = λ/(2m)", "half": f"({name}/2)·ΣW² with {name} = λ/m"}
    penalty = meaning.get(attempt.reg, f"(λ/2m)ΣW² with {name} = λ")
    if up_to_constant:
        return f"; its penalty {penalty}, the convention the loss it returns uses (up to a constant)"
    if costs is not None and _cost_state(problem, run, attempt, len(problem.datasets)):
        return f"; its penalty {penalty}, the convention the loss it returns uses"
    others = len({a.reg for a in run.attempts} - {"", "zero"}) - 1
    why = "the loss it returns matches none" if costs is not None else "it returns no loss to say which it means"
    return f"; its penalty read as {penalty}, the convention its gradient matches ({others} other(s) tried): {why}"


def _wrong_cost(problem: ClassProblem, run, attempt: Attempt, count: int) -> str | None:
    """The line saying the returned cost is not the model's (its worst dataset), or None."""
    costs = run.returned_costs(attempt.key, count)
    if costs is None or _cost_state(problem, run, attempt, count):
        return None
    unpenalised = costs_match(costs, problem.data_costs, atol=1e-8)  # NumPy's default absolute tolerance
    if attempt.reg not in ("", "zero") and unpenalised:
        return (
            "the loss it returns has no penalty, but its gradient has one (it changes with λ): add the penalty to "
            "the loss, or take it out of the gradient"
        )
    return cost_mismatch(costs, problem.costs(attempt.reg))


def _constant(problem: ClassProblem, run, attempt: Attempt, probe, received: Arrays) -> tuple[str, str] | None:
    """(the verdict's words, the explanation) when the loss is the model's cost plus a constant and its central
    differences are the gradient: the same reading of a returned loss as over θ (:mod:`.stated_cost`)."""
    costs = run.returned_costs(attempt.key, len(problem.datasets))
    stated = probe.stated(attempt.key, costs) if costs is not None else None
    if stated is None or not (stated.own_penalty and stated.constant) or not probe.agrees(attempt.key, received):
        return None
    return stated_cost.constant_reason(problem, stated)


def _penalty_fault(problem: ClassProblem, run, attempt: Attempt, received: Arrays) -> str | None:
    """The penalty's gradient c·W against the factor its loss's penalty gives under ``attempt``'s convention."""
    judging = _judging(problem, attempt)
    rest = [r - g for r, g in zip(received, judging.data, strict=True)]
    found = ratios([w.reshape(-1) for w in judging.weights], [r.reshape(-1) for r in rest], received_rtol(received))
    if found is None:
        return None
    passed = [d.lam / (2 * d.m) if attempt.reg == "reg" else d.lam / d.m for d in judging.datasets]
    ks = [c / r for c, r in zip(found, passed, strict=True)]
    if not constant(ks, 1e-6):
        return None
    name = _named(run, "lam")
    factor, fix = _REG_FIX[attempt.reg]
    loss = f"{name}·ΣW²" if attempt.reg == "reg" else f"0.5·{name}·ΣW²"
    k = round_simple(ks[0], 1e-6)
    times = lambda c: name if c == 1 else f"{c:g}·{name}"  # noqa: E731
    said = "the loss it returns adds" if run.returned_costs(attempt.key, len(received)) else "its penalty read as"
    return (
        f"the penalty's gradient is {times(k)}·W where {said} {loss}, whose gradient is {times(factor)}·W: "
        f"write {fix.format(r=name)}"
    )


def _named(run, text: str) -> str:
    """``text`` (a call as made) with the user's names for W, Y and λ: the roles are called theta, y and lam."""
    names = {role: name for name, role in run.call.names}
    for role in ("theta", "y", "lam"):
        if role in names and not names[role].startswith("*"):
            written = "(theta|w)" if role == "theta" and "b" in names else role  # beside b, θ is shown as w
            text = re.sub(rf"(?<![.\w]){written}\b", names[role].removeprefix("self."), text)
    return text


def _convention(run, attempt: Attempt) -> str:
    """The convention and the call, with the user's names."""
    return f"{attempt.text()}; called as {_named(run, run.call.text(attempt.order))}"


def _unlaid(attempt: Attempt, result: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The result in the notation's layout ``shape`` (n+1, K): a coef_-layout (K, n+1) result transposed back.

    A flat result of (n+1)·K numbers (scipy.optimize wants flat parameters) is read in W's row-major order.
    """
    result = np.asarray(result)
    coef = attempt.weights == "K,n+1"
    if result.ndim == 1 and result.size == shape[0] * shape[1]:
        result = result.reshape(shape[::-1] if coef else shape)
    return result.T if coef and result.ndim == 2 else result


def _probe(results: list, attempt: Attempt, expected: np.ndarray) -> list[str]:
    """A note when the function overflows (or goes wrong) at scores of ±1000, where ours are max-shifted."""
    if not results:
        return []
    where = f"at scores of ±{LARGE_SCORES:g} (W scaled up)"
    if isinstance(results[0], CallError):
        return [f"{where} it {results[0].message}"]
    received = _unlaid(attempt, results[0], expected.shape)
    if received.shape != expected.shape:
        return []
    if not np.all(np.isfinite(received)):
        return [
            f"{FAULTS['overflow']}: {where} it returns NaN or ±∞ (e^z overflows past z ≈ 709); subtract each row's "
            "max score before exp — the gradient is right, the shift changes nothing else"
        ]
    error = float(np.max(np.abs(received - expected)) / max(float(np.max(np.abs(expected))), 1e-300))
    if error > 1e-6:
        return [f"{where} it differs from the gradient (relative error {error:.2g}): a loss of precision in exp?"]
    return []


__all__ = [
    "CLASS_HYPOTHESES",
    "ClassProblem",
    "check_class_expression",
    "check_class_function",
    "class_context",
    "class_symbols",
    "class_values",
    "probabilities_fault",
    "class_report",
    "class_verdict",
    "diagnose_classes",
    "is_class_model",
]
