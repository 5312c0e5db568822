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

import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from ..core.catalog import no_gradient_to_check
from ..core.models import Model, get_model
from ..core.notation import E0, lam
from ..core.status import GradientStatus
from ..parsing import ParseError, guess_kind, index_names, matrix_names, parse_latex, read_expr
from ..proof.read import model_context
from .diagnose import Diagnosis, Problem, diagnose, shape_kind
from .evaluate import EvalError, Evaluator, make_datasets
from .usercode import CONVENTIONS, CallError, InputError, UserRun, run_user_function

CORRECT, INCORRECT, UNDECIDED = GradientStatus.CORRECT, GradientStatus.INCORRECT, GradientStatus.UNDECIDED
RTOL = 1e-8  # relative to the largest expected component
CLOSE = 1e-4  # closer than this but not within RTOL: undecided (finite differences? float32?)


@dataclass(frozen=True)
class GradientReport:
    """The verdict on one received gradient, as plain data (see :func:`check_gradient`).

    >>> r = check_gradient("linear", grad="X.T @ (X @ theta - y) / m")
    >>> r.status, r.exit_code, r.to_dict()["diagnosis"]
    ('correct', 0, None)
    """

    status: GradientStatus
    reason: str
    model: str
    input_kind: str
    received: str  # as the user gave it
    reading: str | None  # how we read it (Unicode), for expressions and LaTeX
    diagnosis: Diagnosis | None
    counterexample: dict[str, Any] | None
    method: str
    seed: int
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def exit_code(self) -> int:
        """0 correct, 1 incorrect or undecided."""
        return 0 if self.status == CORRECT else 1

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        out = asdict(self)
        out["notes"] = list(self.notes)
        return out

    def __str__(self) -> str:
        from ..printing.gradient_report import render_report

        return render_report(self, "text")

    def _repr_markdown_(self) -> str:  # Jupyter renders the report itself
        from ..printing.gradient_report import render_report

        return render_report(self, "markdown")

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))


_PROBLEMS: dict[tuple[int, int], tuple[Model, Problem]] = {}


def _problem(model: Model, seed: int) -> Problem:
    key = (id(model), seed)
    if key not in _PROBLEMS:
        if len(_PROBLEMS) > 32:
            _PROBLEMS.clear()
        _PROBLEMS[key] = (model, Problem(model, make_datasets(model, seed)))
    return _PROBLEMS[key][1]


def check_gradient(
    model_name: str | Model,
    *,
    grad: str | None = None,
    latex: str | None = None,
    python: str | None = None,
    call: str | None = None,
    seed: int = 0,
    timeout: float = 10.0,
) -> GradientReport:
    r"""Decide whether a gradient of ``model_name``'s cost is right; exactly one of grad/latex/python.

    ``grad`` is Python-syntax math (matrix form with ``@`` and ``.T``, or index form with
    ``Sum`` and 0-based ``X[i, j]``); ``latex`` is course notation (``\sum_{i=1}^{m}``,
    1-based); ``python`` is ``FILE:FUNCTION`` run in a subprocess (``call`` as in
    ``"grad(X, y, theta)"``).  Unreadable input raises :class:`~derivation.parsing.ParseError`
    (an :class:`~derivation.check.usercode.InputError` for files and calls).

    >>> check_gradient("logistic", grad="1/m * X.T @ (sigmoid(X @ theta) - y)").status
    'correct'
    >>> r = check_gradient("logistic", grad="X.T @ (y - sigmoid(X @ theta)) / m")
    >>> r.status, r.diagnosis.name
    ('incorrect', 'sign flipped')
    """
    given = [name for name, v in (("grad", grad), ("latex", latex), ("python", python)) if v is not None]
    if len(given) != 1:
        raise InputError(
            "give exactly one of --grad, --latex, --python" + (f" (got {', '.join(given)})" if given else "")
        )
    if call is not None and python is None:
        raise InputError("--call goes with --python")
    model = _model(model_name)
    problem = _problem(model, seed)
    method = _method(problem, seed, python is not None)
    if python is not None:
        run = run_user_function(python, problem.datasets, call=call, timeout=timeout, lam=bool(model.parameters))
        return _judge_run(problem, run, python, method, seed)
    if grad is not None:
        expr, kind, offset = _read_python_math(grad, model)
        text = grad
    else:
        expr, kind, offset = _read_latex(latex, model)
        text = latex
    received = _evaluate(expr, problem, offset, text, kind)
    reading = _reading(expr)
    status, reason, bad = _verdict(problem, received)
    base = {"model": model.name, "input_kind": kind, "received": text, "reading": reading, "method": method}
    return _report(problem, base | {"seed": seed}, status, reason, received=received, bad=bad, lam=expr.has(lam))


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


def _method(problem: Problem, seed: int, subprocess: bool) -> str:
    sizes = ", ".join(f"({d.m}, {d.n})" for d in problem.datasets)
    where = " in a subprocess" if subprocess else ""
    return (
        f"numeric{where}: {len(problem.datasets)} random datasets, (m, n) = {sizes}; seed {seed}; "
        f"relative tolerance {RTOL:g}"
    )


# --- reading -------------------------------------------------------------------------------


def _hypothesis_class(model: Model):
    context = model_context(model)
    return context.hypothesis


def _read_python_math(text: str, model: Model) -> tuple[sp.Basic, str, int]:
    kind = guess_kind(text) if isinstance(text, str) else "matrix"
    if kind == "matrix":
        names: dict[str, Any] = {**matrix_names(), "e0": E0, "e_0": E0}
    else:
        names = {**index_names(), "KroneckerDelta": sp.KroneckerDelta}
        hypothesis = _hypothesis_class(model)
        if hypothesis is not None:
            names["h"] = hypothesis
    try:
        expr = read_expr(text, names)
    except ParseError as error:
        raise _with_model_symbols(error, model, kind) from None
    if isinstance(expr, sp.MatrixExpr):
        return expr, "expression (matrix form)", 0
    return expr, "expression (index form: examples i = 0..m−1, features j = 0..n)", 0


def _read_latex(text: str, model: Model) -> tuple[sp.Basic, str, int]:
    expr = parse_latex(text, model_context(model))
    if isinstance(expr, sp.MatrixExpr):
        return expr, "LaTeX (matrix form)", 0
    return expr, "LaTeX (index form: examples i = 1..m, features j = 0..n)", 1


def model_symbols(model: Model, kind: str) -> str:
    """The names a user may write for ``model`` in input of ``kind`` ("matrix", "index" or "latex").

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


def _with_model_symbols(error: ParseError, model: Model, kind: str) -> ParseError:
    if not error.message.startswith("unknown name"):
        return error
    name = error.message.split("(")[0].strip()
    return ParseError(f"{name}; {model.name} uses: {model_symbols(model, kind)}", error.position, error.text)


def _evaluate(expr: sp.Basic, problem: Problem, offset: int, text: str, kind: str) -> list[np.ndarray]:
    out = []
    for d in problem.datasets:
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


def _reading(expr: sp.Basic) -> str | None:
    from ..printing.expr import to_unicode

    try:
        return to_unicode(expr)
    except Exception:  # the reading is a courtesy: a printer gap must not hide the verdict
        return None


# --- the verdict ---------------------------------------------------------------------------


def _verdict(problem: Problem, received: list[np.ndarray]) -> tuple[str, str, int | None]:
    """(status, reason, index of the dataset to show) from the received values alone."""
    worst, nonfinite, close, differ = 0.0, [], None, []
    for index, (g, r) in enumerate(zip(problem.expected, received, strict=True)):
        if shape_kind(r) != ("vector", g.size):
            shape = tuple(np.shape(r))
            got = f"a {shape} array" if np.size(r) != 1 else f"one number (shape {shape})"
            reason = f"wrong shape: received {got} where the gradient has shape ({g.size},) or ({g.size}, 1)"
            return INCORRECT, reason, index
        values = np.asarray(r).reshape(-1)
        if not np.all(np.isfinite(values)):
            nonfinite.append(index)
            continue
        error = float(np.max(np.abs(values - g)) / max(float(np.max(np.abs(g))), 1e-300))
        if error > CLOSE:
            differ.append((index, error))
        elif error > worst:
            worst, close = error, index
    total = len(received)
    if differ:
        index, error = differ[0]
        return (
            INCORRECT,
            f"differs on {len(differ)} of {total} datasets (relative error {error:.2g} on the first)",
            index,
        )
    if nonfinite:
        where = "" if len(nonfinite) == total else ", and equal to it on the others"
        reason = (
            f"the received gradient is not finite (NaN or ±∞) on {len(nonfinite)} of {total} datasets{where}: "
            "a log of a negative number, or a division by zero?"
        )
        return UNDECIDED, reason, None
    if worst > RTOL:
        reason = (
            f"agrees only to a relative error of {worst:.2g} (exact gradients agree to {RTOL:g}): "
            "a finite-difference or single-precision result?"
        )
        return UNDECIDED, reason, close
    return CORRECT, f"equal to the gradient of {problem.model.name} on all {total} datasets", None


def _report(
    problem: Problem,
    base: dict[str, Any],
    status: GradientStatus,
    reason: str,
    notes: list[str] | tuple[str, ...] = (),
    received: list[np.ndarray] | None = None,
    bad: int | None = None,
    lam: bool = False,
) -> GradientReport:
    """The one place a report is put together from what was checked (``base``) and the verdict.

    An incorrect gradient gets a diagnosis; dataset ``bad``, when given, becomes the counterexample.
    """
    diagnosis, example = None, None
    if status == INCORRECT and received is not None:
        diagnosis = diagnose(problem, received)
        if diagnosis is not None and not diagnosis.exact:
            reason += "; the diagnosis below is read from the shape only"
    if bad is not None:
        example = _counterexample(problem, bad, received[bad], lam or bool(problem.model.parameters))
    return GradientReport(status, reason, diagnosis=diagnosis, counterexample=example, notes=tuple(notes), **base)


def _counterexample(problem: Problem, index: int, received: np.ndarray, lam: bool) -> dict[str, Any]:
    d = problem.datasets[index]
    out = d.as_lists()
    if not lam:
        out.pop("lam")
    out["expected"] = problem.expected[index].tolist()
    out["received"] = np.asarray(received).tolist()
    out["received_shape"] = list(np.shape(received))
    return out


# --- NumPy functions -----------------------------------------------------------------------


def _judge_run(problem: Problem, run: UserRun, spec: str, method: str, seed: int) -> GradientReport:
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
        return _report(problem, base, UNDECIDED, f"could not run it: {run.failure}", notes)
    verdicts = {}
    for convention, results in run.results.items():
        errors = [r for r in results if isinstance(r, CallError)]
        if errors:
            verdicts[convention] = (None, errors[0].message, None)
        else:
            verdicts[convention] = _verdict(problem, results)
    flat, column = verdicts["flat"], verdicts["column"]
    for convention in ("flat", "column"):
        if verdicts[convention][0] == CORRECT:
            other = verdicts["column" if convention == "flat" else "flat"]
            notes.extend(_shape_notes(problem, run, convention, other))
            reason = verdicts[convention][1] + f" (called with {CONVENTIONS[convention]})"
            return _report(problem, base, CORRECT, reason, notes)
    chosen = "flat" if flat[0] is not None or column[0] is None else "column"
    status, reason, bad = verdicts[chosen]
    if status is None:
        return _report(problem, base, UNDECIDED, f"could not get a gradient from it: it {flat[1]}", notes)
    if chosen == "column":
        notes.append(f"with {CONVENTIONS['flat']} it {flat[1]}; judged with {CONVENTIONS['column']}")
    reason += f" (called with {CONVENTIONS[chosen]})"
    return _report(problem, base, status, reason, notes, run.results[chosen], bad, lam=takes_lam)


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


__all__ = ["CORRECT", "INCORRECT", "UNDECIDED", "GradientReport", "InputError", "check_gradient", "model_symbols"]
