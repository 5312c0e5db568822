"""A gradient in Python syntax (--grad): read, judged on the data, and the NumPy it does not read refused in words."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import sympy as sp

from ..core.models import Model
from ..core.notation import E0, lam
from ..parsing import ParseError, guess_kind, index_names, matrix_names, read_expr
from ..parsing.statement import ALL
from .at_own_n import at_own_n
from .diagnose import Problem
from .exact import Gap
from .formula import evaluate, hypothesis_class, reading_of, shape_fault, with_model_symbols
from .labels import either_labels
from .numpy_text import named_theta, one_d_caveat, one_d_transposes, theta_alias
from .problem_data import exactly, method_after
from .usercode import InputError
from .verdict import INCORRECT, GradientReport, build_report, verdict

# A number a vector is scaled by (np.linalg.norm(v), np.sqrt(np.sum(r**2)), np.sum(theta**2)) is 1×1 in the
# reader; np.where / np.minimum against another bound and np.clip of varying bounds are not read: none of it is the
# user's fault, and --python runs the same NumPy as it is.
_ONE_BY_ONE = re.compile(r"shapes do not match for '[*/]': (.+ and 1×1|1×1 and .+)$")
_UNREAD_NUMPY = ("np.where of a matrix is read as", "np.minimum() of a matrix", "np.maximum() of a matrix")
_EXAMPLE_ROW = re.compile(r"\[\s*i\s*[\],]")  # X[i], X[i, :]: one example's row
# what --grad reads of them (parsing.expr), so a refusal names those, not the user's own call, as the way out
_READ_CLIPS = (
    "it reads np.clip(M, lo, hi) with numbers lo ≤ hi, np.where(np.abs(M) <= d, M, d*np.sign(M)) with the same M "
    "throughout and a number d > 0, and np.where(M > 0, M, 0)"
)
_PYTHON_INSTEAD = "put it in a function and give --python FILE:FUNCTION, which runs it as NumPy does"
_INNER_PRODUCT = (
    "a @ b of two vectors is the number aᵀb in NumPy, which --grad reads as a product of matrices: write "
    "np.sum(a * b), or " + _PYTHON_INSTEAD
)


def _refuse_unread_numpy(error: ParseError, grad: str) -> None:
    """A one-line refusal, saying what to do, for legal NumPy that --grad does not read (the reader's own words
    would blame the shapes or the user's np.where)."""
    if _ONE_BY_ONE.search(error.message):
        raise InputError(
            "a vector times or divided by a number computed from arrays (np.linalg.norm(v), np.sqrt(np.sum(r**2)),"
            " np.sum(theta**2)) is not read by --grad: " + _PYTHON_INSTEAD,
            error.position,
            grad,
        ) from None
    if error.message.startswith(_UNREAD_NUMPY) or "'.clip' is not allowed" in error.message:
        name = "np.clip" if ".clip" in error.message else error.message.split(" ")[0]
        raise InputError(
            f"{name} with these arguments is not read by --grad ({_READ_CLIPS}): " + _PYTHON_INSTEAD,
            error.position,
            grad,
        ) from None


# "shapes do not match for '@': (n + 1)×1 and (n + 1)×1": legal NumPy for 1-D arrays, an inner product
_TWO_VECTORS = re.compile(r"shapes do not match for (?:'@'|dot): (?P<shape>.+?)×1 and (?P=shape)×1$")


_ONE_D = "NumPy's 1-D semantics: r @ X (or r.dot(X)) with r of shape (m,) is Xᵀr (a 1-D array has no orientation)"


def _numpy_1d(problem: Problem, grad: str, method: str, seed: int) -> GradientReport | None:
    """``(X @ theta - y) @ X`` as NumPy computes it with 1-D θ and y, Xᵀ(Xθ − y): its report, when a vector is
    what stands on the left of the mismatched '@'."""
    written: list[sp.MatrixExpr] = []
    try:
        report = _check_expr(problem, grad, method, seed, written, one_d=True)
    except (ParseError, InputError):
        return None
    if len(written) != 1 or written[0].shape[1] != 1:
        return None  # only a vector (1-D in NumPy) on the left of '@' has no orientation to get wrong
    return dataclasses.replace(report, notes=(_ONE_D, *report.notes))


def _check_expr(
    problem: Problem, grad: str, method: str, seed: int, transposed=None, one_d: bool = False
) -> GradientReport:
    """A gradient in Python syntax; with a ``transposed`` list, a mismatched '@' is read with one factor transposed
    (and, ``one_d``, a row result as the 1-D vector NumPy gives)."""
    expr, kind, offset = _read_python_math(grad, problem.model, transposed)
    if one_d and isinstance(expr, sp.MatrixExpr) and expr.shape[0] == 1 and expr.shape[1] != 1:
        expr = expr.T
    base = {"model": problem.model.name, "input_kind": kind, "received": grad, "reading": reading_of(expr)}

    def judge(datasets) -> GradientReport:
        received = evaluate(expr, problem, offset, grad, kind, datasets)
        status, reason, bad = found = verdict(problem, received)
        gap = exactly(problem, found, expr, offset, datasets)
        if isinstance(gap, Gap):
            status, reason, bad = INCORRECT, gap.reason, gap.dataset
        report_base = base | {"method": method_after(method, gap), "seed": seed}
        report = build_report(problem, report_base, status, reason, received=received, bad=bad, lam=expr.has(lam))
        if isinstance(gap, Gap):
            return dataclasses.replace(report, worst=None, diagnosis=gap.diagnosis)
        return at_own_n(problem, report, [(expr, offset, ALL)], datasets, grad, kind)

    return either_labels(problem, judge)


def _read_python_math(text: str, model: Model, transposed=None) -> tuple[sp.Basic, str, int]:
    kind = guess_kind(text) if isinstance(text, str) else "matrix"
    if kind == "matrix":
        names: dict[str, Any] = {**matrix_names(), "e0": E0, "e_0": E0}
    else:
        names = {**index_names(), "KroneckerDelta": sp.KroneckerDelta}
        hypothesis = hypothesis_class(model)
        if hypothesis is not None:
            names["h"] = hypothesis
    alias = theta_alias(text) if isinstance(text, str) else None
    if alias is not None:
        names[alias] = names["theta"]
    try:
        expr = read_expr(one_d_transposes(text) if kind == "matrix" else text, names, transposed=transposed)
    except ParseError as error:
        raise with_model_symbols(error, model, kind) from None
    if isinstance(expr, sp.MatrixExpr):
        return expr, "expression (matrix form)", 0
    return expr, "expression (index form: examples i = 0..m−1, features j = 0..n)", 0


def check_expression(problem: Problem, grad: str, method: str, seed: int) -> GradientReport:
    """A gradient in Python syntax: its report, with what NumPy's 1-D shapes do to it and the name read as θ; a
    mismatched '@' read as NumPy computes it on 1-D arrays, refused in words where --grad does not read the NumPy, or
    judged as a shape fault (transposed, or not)."""
    try:
        return named_theta(one_d_caveat(_check_expr(problem, grad, method, seed), grad), grad)
    except ParseError as error:
        _refuse_unread_numpy(error, grad)
        if not error.message.startswith(("shapes do not match for '@'", "shapes do not match for dot")):
            raise
        one_d = _numpy_1d(problem, grad, method, seed)
        if one_d is not None:
            return one_d
        if _TWO_VECTORS.search(error.message) and not _EXAMPLE_ROW.search(grad):  # r @ r: rᵀr, a number
            raise InputError(_INNER_PRODUCT, error.position, grad) from None
        if _TWO_VECTORS.search(error.message):  # X[i] @ theta: a number in NumPy, no fault of theirs
            raise InputError(
                "X[i] @ theta (or np.dot(X[i], theta)) is the number x⁽ⁱ⁾ᵀθ in NumPy, but a sum of vectors over the "
                "examples (sum(… * X[i] for i in range(m))) is not read here: write it with the whole X, "
                "X.T @ (… - y) / m",
                error.position,
                grad,
            ) from None
        base = {
            "model": problem.model.name,
            "input_kind": "expression (matrix form)",
            "received": grad,
            "reading": None,
        }
        reread = lambda written: _check_expr(problem, grad, method, seed, written)  # noqa: E731
        return shape_fault(problem, base | {"method": method, "seed": seed}, error, reread, ".T")
