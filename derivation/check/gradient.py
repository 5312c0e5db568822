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

import ast
import dataclasses
import re
from typing import Any

import numpy as np
import sympy as sp

from ..core.catalog import no_gradient_to_check
from ..core.functions import normal_pdf, sigmoid
from ..core.models import Model
from ..core.notation import E0, i, j, lam, m, theta, x
from ..core.notation import X as X_MATRIX
from ..derive.costs import bias_outside, renamed_constant
from ..models import get_model
from ..models.costs import _ONE_X as ONE_X  # x^{(i)} a number: one definition, show --cost's
from ..models.costs import _SQRT_NORM, _VECTORS, bare_x, defined_hypothesis, one_feature_definition, sqrt_norms
from ..oracle.datasets import SIZES, EvalError, Evaluator, make_datasets
from ..parsing import ParseError, guess_kind, index_names, matrix_names, read_expr
from ..parsing.layout import blank_layout, lines_of
from ..parsing.left import WRITTEN_COST
from ..parsing.letters import letter_sign
from ..parsing.prose import says_each_j
from ..parsing.statement import ALL, BIAS, WEIGHTS_SCOPE, read_gradient
from ..proof.read import model_context
from . import per_example
from .classes import (
    ClassProblem,
    check_class_expression,
    check_class_function,
    class_context,
    class_symbols,
    is_class_model,
    probabilities_fault,
)
from .defined_cost import cost_target, written_problem
from .diagnose import FAULTS, Diagnosis, Problem, Scaled, diagnose_entries
from .exact import CONFIRMED, Gap, exact_gap
from .judge_code import judge_run
from .labels import either_labels
from .usercode import InputError, run_user_function
from .usernames import ROLES
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
    UNDECIDED,
    GradientReport,
    build_report,
    chosen_factor,
    for_model,
    normalise,
    verdict,
)

_PROBLEMS: dict[tuple[int, int], tuple[Model, Problem]] = {}
_CLASS_PROBLEMS: dict[tuple[int, int], tuple[Model, Any]] = {}


def _problem(model: Model, seed: int) -> Problem:
    key = (id(model), seed)
    if key not in _PROBLEMS:
        if len(_PROBLEMS) > 32:
            _PROBLEMS.clear()
        _PROBLEMS[key] = (model, Problem(model, _datasets(model, seed, _sizes(model))))
    return _PROBLEMS[key][1]


def _named(model: Model) -> tuple[int, bool, int]:
    """(the highest θ_k or x_k the cost names, whether it names its features one by one (no x_k under a sum over
    k), the highest x_k it names)."""
    form = model.forms.get("sum")
    rows = [] if form is None else [r for r in form.cost.atoms(sp.Indexed) if r.base in (theta, x)]
    top = max((int(r.indices[-1]) for r in rows if r.indices[-1].is_Integer), default=0)
    features = [r.indices[-1] for r in rows if r.base == x]
    one_by_one = bool(top) and all(k.is_Integer for k in features)
    return top, one_by_one, max((int(k) for k in features if k.is_Integer), default=0)


def _sizes(model: Model) -> tuple[tuple[int, int], ...]:
    """The datasets' (m, n). A cost that names its features one by one (θ₀ + θ₁x₁ + θ₂x₂, f_{w,b}(x) = wx + b, the
    polynomial θ₀ + θ₁x + θ₂x²: no x_k under a sum over k) has exactly the features it names, n the highest θ_k or x_k
    (more features gave the right per-j formula a ✗: ∂J/∂θ₃ is 0 on data it never mentions); any other, at least that
    many (θ₂ on n = 1 was a traceback)."""
    top, one_by_one, _ = _named(model)
    if one_by_one:
        return tuple((m, top) for m, _ in SIZES)
    return tuple((m, max(n, top)) for m, n in SIZES) if top > min(n for _, n in SIZES) else SIZES


def polynomial_degree(model: Model) -> int:
    """The degree d of a cost that is a polynomial in its one feature (θ₀ + θ₁x + θ₂x²: 2; its features named one
    by one, θ_d the highest, x₁ the only x), else 0. Its data have x_k = x₁^k, the design matrix [1, x, x², …] the
    user means: with x₂ random, Xᵀ(Xθ − y)/m and (1/m)Σ(h − y)x_j got a false ✗."""
    top, one_by_one, features = _named(model)
    return top if one_by_one and features == 1 and top > 1 else 0


def _datasets(model: Model, seed: int, sizes: tuple[tuple[int, int], ...]):
    """The model's random datasets of ``sizes``; a polynomial in one feature has x_k = x₁^k (:func:`polynomial_degree`,
    n its degree whatever ``sizes`` says, so θ₂ exists: it was a traceback on one-feature data)."""
    degree = polynomial_degree(model)
    if not degree:
        return make_datasets(model, seed, sizes)
    datasets = make_datasets(model, seed, tuple((m, degree) for m, _ in sizes))
    # x on a grid of quarters: its powers are exact in binary, so the exact recheck sees x² where the cost has it
    return tuple(dataclasses.replace(d, X=((d.X[:, 1:2] * 4).round() / 4) ** np.arange(degree + 1)) for d in datasets)


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
    if letter is not None and (grad is not None or latex is not None):  # c of the cost read as λ: the gradient's too
        report = _check_renamed(model, letter, grad, latex, seed)
    else:
        report = _check(model, grad, latex, python, call, seed, timeout, isolate)
    if model.cost_text is not None and model.labels_note and not model.independent:  # which labels, and why
        report = dataclasses.replace(report, notes=(*report.notes, model.labels_note))
    return report


def _check_renamed(model: Model, letter: str, grad: str | None, latex: str | None, seed: int) -> GradientReport:
    """A gradient of a cost whose constant ``letter`` was read as λ (``show --cost``'s note), read with the same
    renaming: λ in LaTeX, lam in Python syntax."""
    name = "\\lambda " if latex is not None else "lam"

    def run(text: str) -> GradientReport:
        return _check(model, *((None, text) if latex is not None else (text, None)), None, None, seed, 10.0, False)

    written = latex if latex is not None else grad
    own = _LAMBDA_LATEX.search(written) if latex is not None else _LAMBDA_PYTHON.search(written)
    if own is not None:  # λ is not the cost's: reading it as c would make a gradient in another constant right
        raise InputError(f"the cost names its constant {letter}: write {letter}", own.start(), written)
    spelled = re.compile(rf"(?<![A-Za-z\\]){letter}(?![A-Za-z])")
    note = f"{letter} read as λ, the constant of your cost"
    return _renamed(written, spelled, lambda _: name, run, note)


_LAMBDA_LATEX = re.compile(r"\\lambda(?![A-Za-z])|λ")
_LAMBDA_PYTHON = re.compile(r"(?<![\w.])(lam|lambda_|lmbda|lambd)(?!\w)|λ")


def _renamed(written: str, pattern: re.Pattern, name, run, note: str) -> GradientReport:
    """``run`` on ``written`` with each match of ``pattern`` replaced by ``name(match)``, the report with ``note``;
    the report and any error speak of the text as written."""
    pieces, spans, at, length = [], [], 0, 0  # spans: (start, end) of each replacement, then of what it replaced
    for use in pattern.finditer(written):
        new = name(use)
        length += use.start() - at
        spans.append((length, length + len(new), use.start(), use.end()))
        pieces += [written[at : use.start()], new]
        length += len(new)
        at = use.end()
    try:
        report = run("".join(pieces) + written[at:])
    except (ParseError, InputError) as error:
        raise type(error)(error.message, _written_position(error.position, spans), written) from None
    return dataclasses.replace(report, received=written, notes=(*report.notes, note))


def _written_position(position: int | None, spans: list[tuple[int, int, int, int]]) -> int | None:
    """A position in the renamed text, in the text as written (a replacement's own characters: its start)."""
    if position is None:
        return None
    shift = 0
    for start, end, old_start, old_end in spans:
        if position < start:
            break
        if position < end:
            return old_start
        shift += (old_end - old_start) - (end - start)
    return position + shift


def _check(model: Model, grad, latex, python, call, seed: int, timeout: float, isolate: bool) -> GradientReport:
    problem = _problem(model, seed)
    method = _method(problem, seed, python is not None)
    if python is not None:
        again = dict(call=call, timeout=timeout, lam=bool(model.parameters), isolate=isolate)
        run = run_user_function(python, problem.datasets, **again)
        report = judge_run(problem, run, python, method, seed, lambda ds: run_user_function(python, ds, **again))
        if report.status == CORRECT:
            return _code_at_own_n(problem, report, python, again, method, seed)
        if run.failure is not None:
            return report
        if "b" in run.call.roles():
            return _one_feature(model, report, python, call, seed, timeout, isolate, labs=True)
        returned_cost = report.diagnosis is not None and report.diagnosis.fault == "a-cost"  # J: no θ₀, θ₁ to read
        if report.status == UNDECIDED or (report.reason.startswith("wrong shape") and not returned_cost):
            return _one_feature(model, report, python, call, seed, timeout, isolate, labs=False)
        return report
    if latex is not None:
        return _check_latex(model, problem, latex, method, seed)
    try:
        return _named_theta(_one_d_caveat(_check_expr(problem, grad, method, seed), grad), grad)
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
        base = {"model": model.name, "input_kind": "expression (matrix form)", "received": grad, "reading": None}
        reread = lambda written: _check_expr(problem, grad, method, seed, written)  # noqa: E731
        return _shape_fault(problem, base | {"method": method, "seed": seed}, error, reread, ".T")


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


# --- NumPy's 1-D shapes ---------------------------------------------------------------------------
# The reader takes every vector for a column, so (X @ theta - y) * X is (m,1) ⊙ (m, n+1): right.  NumPy code passes
# θ (n+1,) and y (m,), and there the same text pairs an (m,) array with the (m, n+1) one on their last axes: an error
# when m ≠ n+1, a wrong vector when m = n+1.  The text is walked once more with NumPy's 1-D shapes to say so.

_M, _P, _ONE = "m", "n+1", "1"  # the dimensions: examples, parameters, a length-1 axis
_ONE_D_NAMES: dict[str, tuple[str, ...]] = {"X": (_M, _P), "theta": (_P,), "y": (_M,), "m": (), "n": ()}
# the parameters' names check --python reads as θ (a GLM library's beta, w, coef): --grad reads them so too
_THETA_NAMES = frozenset(a for a in ROLES["theta"] if a.isidentifier())
_COLUMN_NAMES = {**_ONE_D_NAMES, "theta": (_P, _ONE), "y": (_M, _ONE)}  # the layout of Octave and column code
_ELEMENTWISE = frozenset(
    "exp log log1p expm1 tanh abs absolute sqrt sign square pdf cdf logpdf logcdf sigmoid expit".split()
)
_REDUCTIONS = frozenset(("sum", "mean"))


@dataclasses.dataclass(frozen=True)
class _Mismatch:
    """Two operands whose 1-D shapes meet badly in an element-wise operation."""

    operation: ast.BinOp
    vector: ast.AST  # the 1-D (m,) or (n+1,) operand
    other: ast.AST
    shapes: tuple[tuple[str, ...], tuple[str, ...]]
    outer: bool  # it broadcasts to an (m, m) or (n+1, n+1) array instead of failing


def _spelled(shape: tuple[str, ...]) -> str:
    """(m,) and (m, n+1), as NumPy prints shapes."""
    return f"({shape[0]},)" if len(shape) == 1 else f"({', '.join(shape)})"


class _OneDShapes:
    """The shapes NumPy gives the parts of a --grad text with θ (n+1,) and y (m,); None where it cannot say."""

    def __init__(self, shapes: dict[str, tuple[str, ...]] = _ONE_D_NAMES) -> None:
        self.mismatches: list[_Mismatch] = []
        self.names = {**dict.fromkeys(matrix_names(), ()), **shapes}  # λ and its spellings: numbers
        self.names |= dict.fromkeys(_THETA_NAMES, shapes["theta"])

    def shape(self, node: ast.AST) -> tuple[str, ...] | None:
        if isinstance(node, ast.Constant):
            return () if isinstance(node.value, (int, float)) else None
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.UnaryOp):
            return self.shape(node.operand)
        if isinstance(node, ast.BinOp):
            left, right = self.shape(node.left), self.shape(node.right)
            if isinstance(node.op, ast.MatMult):
                return _matmul(left, right)
            return self.broadcast(node, left, right)
        if isinstance(node, ast.Attribute):
            inner = self.shape(node.value)
            return inner[::-1] if node.attr == "T" and inner is not None else None
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        return None

    def broadcast(self, node: ast.BinOp, sa, sb) -> tuple[str, ...] | None:
        if sa is None or sb is None:
            return None
        width = max(len(sa), len(sb))
        pa, pb = (None,) * (width - len(sa)) + sa, (None,) * (width - len(sb)) + sb
        out, stretched = [], [False, False]
        for da, db in zip(pa, pb, strict=True):
            if da == db or db is None or db == _ONE:
                out.append(da)
                stretched[1] |= da not in (None, _ONE) and sb != ()
            elif da is None or da == _ONE:
                out.append(db)
                stretched[0] |= sa != ()
            else:  # m against n+1: NumPy raises, or multiplies the wrong entries when m = n+1
                self._record(node, sa, sb, outer=False)
                return None
        if all(stretched) and len(set(out)) < len(out):  # (m, 1) against (m,): an (m, m) array
            self._record(node, sa, sb, outer=True)
        return tuple(out)

    def _record(self, node: ast.BinOp, sa, sb, outer: bool) -> None:
        first = len(sa) == 1
        vector, other = (node.left, node.right) if first else (node.right, node.left)
        self.mismatches.append(_Mismatch(node, vector, other, (sa, sb) if first else (sb, sa), outer))

    def subscript(self, node: ast.Subscript) -> tuple[str, ...] | None:
        inner = self.shape(node.value)
        index = node.slice
        if inner is None or len(inner) != 1 or not isinstance(index, ast.Tuple) or len(index.elts) != 2:
            return None
        full = [isinstance(e, ast.Slice) and e.lower is e.upper is e.step is None for e in index.elts]
        new = [_is_new_axis(e) for e in index.elts]
        if full == [True, False] and new[1]:  # v[:, None]: a column
            return (inner[0], _ONE)
        if full == [False, True] and new[0]:  # v[None, :]: a row
            return (_ONE, inner[0])
        return None

    def call(self, node: ast.Call) -> tuple[str, ...] | None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        method = isinstance(func, ast.Attribute) and not _is_module(func.value)
        args = ([func.value] if method else []) + list(node.args)
        if name in _ELEMENTWISE and len(args) == 1:
            return self.shape(args[0])
        if name == "dot" and len(args) == 2:
            return _matmul(self.shape(args[0]), self.shape(args[1]))
        if name in _REDUCTIONS and len(args) in (1, 2):
            inner = self.shape(args[0])
            axis = next((k.value for k in node.keywords if k.arg == "axis"), args[1] if len(args) == 2 else None)
            if inner is None or (node.keywords and any(k.arg != "axis" for k in node.keywords)):
                return None
            if axis is None:
                return ()
            if isinstance(axis, ast.UnaryOp) and isinstance(axis.operand, ast.Constant):  # axis=-1
                axis = ast.Constant(-axis.operand.value)
            if not (
                isinstance(axis, ast.Constant)
                and isinstance(axis.value, int)
                and -len(inner) <= axis.value < len(inner)
            ):
                return None
            return tuple(d for pos, d in enumerate(inner) if pos != axis.value % len(inner))
        if name == "reshape" and method:
            inner = self.shape(func.value)
            sizes = [ast.unparse(a).replace(" ", "") for a in node.args]
            if inner is None or len([d for d in inner if d != _ONE]) != 1:
                return None
            length = next(d for d in inner if d != _ONE)
            return {"-1": (length,), "-1,1": (length, _ONE), "1,-1": (_ONE, length)}.get(",".join(sizes))
        return None


def _is_new_axis(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and node.value is None) or (
        isinstance(node, ast.Attribute) and node.attr == "newaxis"
    )


def _is_module(node: ast.AST) -> bool:
    """np, numpy, norm (scipy.stats.norm), scipy.special: a function's module, not an array it is a method of."""
    return (isinstance(node, ast.Name) and node.id in ("np", "numpy", "norm", "special", "scipy", "stats")) or (
        isinstance(node, ast.Attribute) and _is_module(node.value)
    )


def _matmul(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """NumPy's '@' on 1-D or 2-D shapes; None on a mismatch (the reader reports those)."""
    if a is None or b is None or not a or not b or a[-1] != b[-(min(len(b), 2))]:
        return None
    return a[:-1] + b[:-2] + b[-1:] if len(b) == 2 else a[:-1]


def one_d_mismatch(text: str) -> str | None:
    """What goes wrong when the matrix-form ``text`` runs on θ (n+1,) and y (m,): the broadcast of a 1-D array
    against a matrix, and what to write instead; None when nothing does (or the text is beyond this walk).

    >>> print(one_d_mismatch("np.mean((X @ theta - y) * X, axis=0)"))  # doctest: +NORMALIZE_WHITESPACE
    right only if theta and y are columns, (n+1, 1) and (m, 1): with 1-D theta (n+1,) and y (m,), X @ theta - y has
    shape (m,) and NumPy pairs it with X (m, n+1) on the last axis (ValueError when m ≠ n+1, a wrong vector when
    m = n+1); for 1-D arrays write (X @ theta - y)[:, None] * X
    >>> one_d_mismatch("np.mean((X @ theta - y)[:, None] * X, axis=0)") is None
    True
    """
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        return None
    walk = _OneDShapes()
    walk.shape(tree.body)
    if not walk.mismatches:
        return None
    first = walk.mismatches[0]
    vector, other = ast.unparse(first.vector), ast.unparse(first.other)
    va, vb = first.shapes
    if first.outer:
        what = f"{vector} {_spelled(va)} and {other} {_spelled(vb)} broadcast to shape {_spelled((va[0],) * 2)}"
        fix = "write both as 1-D arrays, or both as columns"
    else:
        what = (
            f"{vector} has shape {_spelled(va)} and NumPy pairs it with {other} {_spelled(vb)} on the last axis "
            "(ValueError when m ≠ n+1, a wrong vector when m = n+1)"
        )
        column = ast.Subscript(first.vector, ast.Tuple([ast.Slice(), ast.Constant(None)], ast.Load()), ast.Load())
        fixed = ast.BinOp(
            *(
                (column, first.operation.op, first.other)
                if first.vector is first.operation.left
                else (first.other, first.operation.op, column)
            )
        )
        fix = f"for 1-D arrays write {ast.unparse(fixed)}"
    return (
        f"right only if theta and y are columns, (n+1, 1) and (m, 1): with 1-D theta (n+1,) and y (m,), {what}; {fix}"
    )


def column_mismatch(text: str) -> str | None:
    """What goes wrong when the matrix-form ``text``, right for 1-D θ and y, runs on columns θ (n+1, 1), y (m, 1):
    X.T * r pairs a 1-D r (m,) with X.T's rows, an (m, 1) column fails against (n+1, m); None when nothing does.

    >>> print(column_mismatch("np.sum(X.T * (X @ theta - y), axis=1) / m"))  # doctest: +NORMALIZE_WHITESPACE
    right for 1-D theta (n+1,) and y (m,), as NumPy code passes them; with columns (n+1, 1) and (m, 1), X.T (n+1, m)
    and X @ theta - y (m, 1) do not broadcast (ValueError when m ≠ n+1, a wrong vector when m = n+1)
    """
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        return None
    walk = _OneDShapes(_COLUMN_NAMES)
    walk.shape(tree.body)
    found = [w for w in walk.mismatches if not w.outer]
    if not found:
        return None
    left, right = found[0].operation.left, found[0].operation.right
    shapes = [_spelled(walk.shape(part) or ()) for part in (left, right)]
    return (
        "right for 1-D theta (n+1,) and y (m,), as NumPy code passes them; with columns (n+1, 1) and (m, 1), "
        f"{ast.unparse(left)} {shapes[0]} and {ast.unparse(right)} {shapes[1]} do not broadcast "
        "(ValueError when m ≠ n+1, a wrong vector when m = n+1)"
    )


def _one_d_caveat(report: GradientReport, text: str) -> GradientReport:
    """``report`` with what NumPy does to ``text`` with 1-D θ and y (:func:`one_d_mismatch`): a right reading holds
    for columns only, as ``check --python`` says of the same body; or, right for 1-D arrays, with what columns do
    (:func:`column_mismatch`)."""
    said = one_d_mismatch(text) if report.input_kind == "expression (matrix form)" else None
    if said is None:
        right = report.status == CORRECT and report.input_kind == "expression (matrix form)"
        said = column_mismatch(text) if right else None
        return report if said is None else dataclasses.replace(report, notes=(said, *report.notes))
    holds_for = "θ of shape (n+1, 1) and y of shape (m, 1)" if report.status == CORRECT else report.holds_for
    return dataclasses.replace(report, holds_for=holds_for, notes=(said, *report.notes))


# "shapes do not match for '@': (n + 1)×1 and (n + 1)×1": legal NumPy for 1-D arrays, an inner product
_TWO_VECTORS = re.compile(r"shapes do not match for (?:'@'|dot): (?P<shape>.+?)×1 and (?P=shape)×1$")

ONE_FEATURE_SIZES = ((3, 1), (4, 1), (5, 1), (6, 1), (7, 1))


def _one_feature_problem(model: Model, seed: int) -> Problem:
    """The model on datasets with one feature (n = 1): x⁽ⁱ⁾ a number, θ = (θ₀, θ₁)."""
    return Problem(model, _datasets(model, seed, ONE_FEATURE_SIZES))


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
    problem = _one_feature_problem(model, seed)
    method = _method(problem, seed, True)
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
    method = _method(problem, seed, python is not None)
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
    report = check_class_expression(problem, None, statement, method, seed, latex, _FORMS[statement.form])
    return _with_definitions(problem, statement, report, None)


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
    base = {"model": problem.model.name, "input_kind": kind, "received": grad, "reading": _reading(expr)}

    def judge(datasets) -> GradientReport:
        received = _evaluate(expr, problem, offset, grad, kind, datasets)
        status, reason, bad = found = verdict(problem, received)
        gap = _exactly(problem, found, expr, offset, datasets)
        if isinstance(gap, Gap):
            status, reason, bad = INCORRECT, gap.reason, gap.dataset
        report_base = base | {"method": _method_after(method, gap), "seed": seed}
        report = build_report(problem, report_base, status, reason, received=received, bad=bad, lam=expr.has(lam))
        if isinstance(gap, Gap):
            return dataclasses.replace(report, worst=None, diagnosis=gap.diagnosis)
        return _at_own_n(problem, report, [(expr, offset, ALL)], datasets, grad, kind)

    return either_labels(problem, judge)


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
    return _own_context(model).hypothesis


def _own_context(model: Model):
    """The model's LaTeX context; a model read from a cost that defines h_θ beside it (h_θ(x) = θ₀ + θ₁x, which
    the model does not imply) reads h_θ(x⁽ⁱ⁾) as that definition (it was 'this model has no hypothesis h_θ')."""
    context = model_context(model)
    if context.hypothesis is not None or model.cost_text is None:
        return context
    defined = defined_hypothesis(model.cost_text)
    return context if defined is None else dataclasses.replace(context, hypothesis=defined)


def theta_alias(text: str) -> str | None:
    """The one name ``text`` writes for θ other than theta (beta, w, coef: the names of check --python's
    parameters, :data:`~derivation.check.usernames.ROLES`); None for theta or none.

    >>> theta_alias("X.T.dot(sigmoid(X.dot(beta)) - y)"), theta_alias("X.T @ (X @ theta - y)")
    ('beta', None)
    """
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        return None
    found = sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in _THETA_NAMES})
    if len(found) > 1:
        raise InputError(f"two names for θ: {' and '.join(repr(f) for f in found)}; write one of them", None, text)
    return found[0] if found and found[0] != "theta" else None


def _named_theta(report: GradientReport, text: str) -> GradientReport:
    """``report`` with a note of the name read as θ (beta, w), as check --python reads its parameters."""
    alias = theta_alias(text)
    if alias is None:
        return report
    return dataclasses.replace(report, notes=(*report.notes, f"{alias} is read as θ (theta), the parameters"))


def _read_python_math(text: str, model: Model, transposed=None) -> tuple[sp.Basic, str, int]:
    kind = guess_kind(text) if isinstance(text, str) else "matrix"
    if kind == "matrix":
        names: dict[str, Any] = {**matrix_names(), "e0": E0, "e_0": E0}
    else:
        names = {**index_names(), "KroneckerDelta": sp.KroneckerDelta}
        hypothesis = _hypothesis_class(model)
        if hypothesis is not None:
            names["h"] = hypothesis
    alias = theta_alias(text) if isinstance(text, str) else None
    if alias is not None:
        names[alias] = names["theta"]
    try:
        expr = read_expr(_one_d_transposes(text) if kind == "matrix" else text, names, transposed=transposed)
    except ParseError as error:
        raise _with_model_symbols(error, model, kind) from None
    if isinstance(expr, sp.MatrixExpr):
        return expr, "expression (matrix form)", 0
    return expr, "expression (index form: examples i = 0..m−1, features j = 0..n)", 0


class _Untranspose(ast.NodeTransformer):
    """``np.sum(M, axis=0).T`` → ``np.sum(M, axis=0)``: a reduction over one axis is 1-D, and .T leaves it as it is."""

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        value = node.value
        reduced = (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr in ("sum", "mean")
            and [k.arg for k in value.keywords] == ["axis"]
        )
        return value if node.attr == "T" and reduced else node


def _one_d_transposes(text: str) -> str:
    """``text`` with the ``.T`` of 1-D reductions dropped, as NumPy computes them (the reader reads the reduction
    as a column, so its .T would be a row); ``text`` itself when it has none (or does not parse).

    >>> _one_d_transposes("np.sum(X * r[:, None], axis=0).T / m")
    'np.sum(X * r[:, None], axis=0) / m'
    >>> _one_d_transposes("X.T @ r / m")
    'X.T @ r / m'
    """
    if ".T" not in text:
        return text
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        return text
    before = ast.dump(tree)
    tree = _Untranspose().visit(tree)
    return text if ast.dump(tree) == before else ast.unparse(tree)


# what only Python syntax writes: X.T, @, **, np., .dot(, sigmoid(
# X' beside a product only Xᵀ fits: Octave's transpose (X' alone, or X' where X fits, is X with its ones column)
_OCTAVE_TRANSPOSE = re.compile(r"(?<![A-Za-z\\])X\s*'(?!')")
_PYTHON = re.compile(r"[\w)\]]\.T\b|@|\*\*|\bnp\.|\.dot\(|(?<!\\)\b(sigmoid|exp|log)\(")
_TARGETS = {
    "cost": COST,
    "log-likelihood": LOG_LIKELIHOOD,
    "negative-log-likelihood": NEGATIVE_LOG_LIKELIHOOD,
    "descent": DESCENT,
    "ascent": ASCENT,
}
_FORMS = {  # how the statement was read, for the report
    "expression": "",
    "equation": "an equation",
    "update rule": "an update rule",
    "cases by index": "cases by index (j = 0, j ≥ 1)",
    "update rules by index": "update rules by index (j = 0, j ≥ 1)",
}


# φ of one example is Bishop's feature map φ(x_n); of a number, φ(θᵀx⁽ⁱ⁾), the normal pdf of the probit gradient
_PDF_HINT = (
    "\\phi(·) of one example is read as Bishop's feature map φ(x_n); for the normal pdf write it of a number, "
    "\\phi(\\theta^T x^{(i)}), or of X\\theta"
)


def _check_latex(
    model: Model, problem: Problem, text: str, method: str, seed: int, one_feature: bool = False
) -> GradientReport:
    r"""A gradient in LaTeX: an expression, an equation, an update rule or cases by index (:func:`read_gradient`).

    θ_1 named on the left (Ng's week 1, x⁽ⁱ⁾ a number) is judged on one-feature datasets, as :func:`_one_feature`;
    so is ∂J/∂w or ∂J/∂b of the Specialization's f_{w,b}(x) = wx + b (``one_feature``: :func:`_ng_one_feature`).
    The Poisson rate written λ or μ beside y (Xᵀ(λ − y)) is the model's mean e^{Xθ}, in a model with no penalty λ.
    """
    if _QUAD_EQUATIONS.search(text):  # ∂J/∂θ₀ = …, \quad ∂J/∂θ₁ = …: the second was dropped (a false ✓ on its slip)

        def lines(renamed: str) -> GradientReport:
            return _check_latex(model, problem, renamed, method, seed, one_feature)

        return _renamed(text, _QUAD_EQUATIONS, lambda _: " \\\\ ", lines, _QUAD_NOTE)
    if not one_feature and _NG_LEFT.search(text) and _ng_scalars(text):
        return _ng_one_feature(model, problem, text, method, seed)
    if _RATE_BESIDE_Y.search(text) and not problem.model.parameters and _mean_latex(problem.model) == _EXP_MEAN:
        index_form = "\\sum" in text or "(i)" in text

        def rate(use: re.Match) -> str:
            return "h_\\theta(x^{(i)})" if use.group("index") or index_form else "h"

        def run(renamed: str) -> GradientReport:
            return _check_latex(model, problem, renamed, method, seed)

        letters = " and ".join(sorted({"λ" if use.group(1) == "lambda" else "μ" for use in _RATE.finditer(text)}))
        reading = f"{letters} read as the Poisson rate e^(θᵀx⁽ⁱ⁾), the model's mean"
        report = _renamed(text, _RATE, rate, run, f"{reading} ({model.name} has no penalty λ)")
        held = "; ".join(filter(None, (report.holds_for, reading)))  # on the first line: the verdict rests on it
        return dataclasses.replace(report, holds_for=held)
    if _SQRT_NORM.search(text):  # √(vᵀv): the norm ‖v‖, a number, as --cost reads it
        norm = sqrt_norms  # one definition of the rewrite: the cost's

        def again(renamed: str) -> GradientReport:
            return _check_latex(model, problem, renamed, method, seed)

        return _renamed(text, _SQRT_NORM, lambda use: norm(use.group()), again, "√(vᵀv) read as the norm ‖v‖")
    if _SLICE.search(text) and _MATRIX_ENV.search(text):  # [0; θ_{1:n}]: the rows θ₁ … θ_n of a column

        def rows(use: re.Match) -> str:
            return rf"\theta_{{{use['a']}}} \\ \vdots \\ \theta_{{{use['b']}}}"

        def read(renamed: str) -> GradientReport:
            return _check_latex(model, problem, renamed, method, seed)

        return _renamed(text, _SLICE, rows, read, "θ_{a:b} in a column read as its rows θ_a … θ_b")
    try:
        statement = _read_statement(text, _context(problem.model, text))
        if statement.entry is not None and polynomial_degree(model) and not _X_SUBSCRIPT.search(text):
            if ONE_X.search(text):  # θ_d with x⁽ⁱ⁾ the number x, as the cost reads it: x₁⁽ⁱ⁾, θ_d's own entry judged

                def entry_of(renamed: str) -> GradientReport:
                    return _check_latex(model, problem, renamed, method, seed)

                return _renamed(text, ONE_X, lambda use: "x_1" + use.group()[1:], entry_of, _ONE_X_NOTE)
            raise ParseError(_POLYNOMIAL_ENTRY.format(d=statement.entry, degree=polynomial_degree(model)), None, text)
        if statement.entry is None and polynomial_degree(model) and _THETA_X.search(text):

            def terms(renamed: str) -> GradientReport:  # ∇J = (1/m)Σ(θ₀ + θ₁x + θ₂x² − y)x⁽ⁱ⁾: x beside θ_k is x₁
                return _check_latex(model, problem, renamed, method, seed)

            return _renamed(text, _THETA_X, lambda use: f"{use['before']}x_1{use['after']}", terms, _THETA_X_NOTE)
        entry = _fixed_entry(model, statement, text, one_feature)
        if entry is not None:  # ∂J/∂θ_2 = …: that entry alone, on data with that feature
            problem = _entry_problem(model, problem, entry, seed, text)
            method = _method(problem, seed, False)
            statement = _as_entry(statement, entry, text)
        elif statement.entry is not None or one_feature:
            problem = _one_feature_problem(model, seed)
            method = _method(problem, seed, False)
    except ParseError as error:
        _, one_by_one, features = _named(model)
        if error.message.startswith(_VECTOR_X) and one_by_one and features == 1 and not one_feature:

            def number(renamed: str) -> GradientReport:
                return _check_latex(model, problem, renamed, method, seed)

            return _renamed(text, ONE_X, lambda use: "x_1" + use.group()[1:], number, _ONE_X_NOTE)
        accented = _accented(error.message)
        if accented is not None:
            raise ParseError(accented, error.position, text) from None
        if _PYTHON.search(text) and "--grad" not in error.message:
            raise ParseError(f"{error.message}; this looks like Python: use --grad", error.position, text) from None
        if error.message.startswith("\\phi takes one example") and problem.model.matrix_gradient.has(normal_pdf):
            raise ParseError(_PDF_HINT, error.position, text) from None
        mean = _mean_latex(problem.model)
        if error.message.endswith(_SIGMA_HINT) and mean not in (None, _SIGMA_MEAN):  # the model's own mean, not σ
            raise ParseError(error.message[: -len(_SIGMA_MEAN)] + mean, error.position, text) from None
        if _NORM.search(text) and "1×1" in error.message:  # ‖v‖ = √(vᵀv) is 1×1 there: not a transposed slip
            raise ParseError(_NORM_BY_ENTRIES, error.position, text) from None
        if not error.message.startswith("shapes do not match for a product"):
            raise
        base = {"model": problem.model.name, "input_kind": "LaTeX (matrix form)", "received": text, "reading": None}

        def reread(written: list[sp.MatrixExpr]) -> GradientReport:
            again = read_gradient(text, dataclasses.replace(_own_context(problem.model), transposed=written))
            return either_labels(problem, lambda ds: _judge_latex(problem, again, text, method, seed, ds))

        if _OCTAVE_TRANSPOSE.search(text):  # X'(Xθ − y): Octave's transpose, not a slip to diagnose
            written: list[sp.MatrixExpr] = []
            try:
                again = reread(written)
            except (ParseError, InputError):
                again = None
            if again is not None and written == [X_MATRIX]:
                return dataclasses.replace(again, notes=(*again.notes, "X' read as Xᵀ, the transpose (Octave's X')"))
        return _shape_fault(problem, base | {"method": method, "seed": seed}, error, reread)
    report = either_labels(problem, lambda datasets: _judge_latex(problem, statement, text, method, seed, datasets))
    if report.status == CORRECT and statement.form == "equation" and _entry_for_vector(text):
        diagnosis = Diagnosis("entry-for-vector", FAULTS["entry-for-vector"], _VECTOR_SLIP)
        return dataclasses.replace(report, status=INCORRECT, reason=_ENTRY_REASON, diagnosis=diagnosis, worst=None)
    sigmoid_model = _mean_latex(problem.model) == _SIGMA_MEAN
    if report.status == INCORRECT and report.diagnosis is None and sigmoid_model and bias_outside(text):  # σ(wᵀx) + b
        return dataclasses.replace(report, diagnosis=Diagnosis("bias-outside", FAULTS["bias-outside"], _OUTSIDE))
    return report


_POLYNOMIAL_ENTRY = (
    "θ_{d} on the left with x^{{(i)}} bare on the right: your cost is a polynomial in x up to θ_{degree}, where "
    "x^{{(i)}} is the number x and θ_{d}'s feature is x^{d}: write it as x_{d}^{{(i)}} (x_k = x^k, the columns of "
    "X = [1, x, x², …]), or \\frac{{\\partial J}}{{\\partial \\theta_j}} with x_j^{{(i)}}, or X^T(X\\theta - y)"
)
_FIXED = "entry "  # the scope of one fixed entry θ_d (∂J/∂θ_2 = …), named with its d: "entry 2"
_MOST_FEATURES = 20  # θ_d up to θ_20: data with d features are made for it
_X_NUMBERED = re.compile(r"(?<![A-Za-z\\])x\s*_\s*\{?\s*([0-9]{1,2})(?![0-9])")  # x_2^{(i)}: the features it needs
# θ₀ in a right side (θ₀ + θ₁x₁⁽ⁱ⁾ written out: one feature meant), not ∂J/∂θ₀ on a left side
_THETA_ZERO = re.compile(r"\\theta\s*_\s*\{?\s*0(?![0-9])")
_BY_THETA_ZERO = re.compile(r"\\partial\s*\\theta\s*_\s*\{?\s*0(?![0-9])")


def _fixed_entry(model: Model, statement, text: str, one_feature: bool) -> int | None:
    r"""The d of a fixed entry θ_d named on the left, judged alone on data with n ≥ d; None for Ng's week 1, θ_1 of
    one feature (x⁽ⁱ⁾ with no index, or θ₀ + θ₁x₁⁽ⁱ⁾ written out), judged on one-feature data.

    θ_1 with x_1⁽ⁱ⁾ beside θᵀx⁽ⁱ⁾ or h_θ(x⁽ⁱ⁾) is that entry for any n (it was judged on n = 1 only); on a cost that
    names θ₂ (θ₀ + θ₁x₁ + θ₂x₂) it is judged on the cost's own data (one-feature data were a traceback)."""
    if statement.entry is None or one_feature:
        return None
    top, one_by_one, _ = _named(model)
    if statement.entry >= 2 or (one_by_one and top >= 2):
        return statement.entry
    written_out = _THETA_ZERO.search(_BY_THETA_ZERO.sub(" ", text))
    return statement.entry if _X_SUBSCRIPT.search(text) and not written_out else None


def _entry_problem(model: Model, problem: Problem, entry: int, seed: int, text: str) -> Problem:
    """The problem for a fixed entry θ_d: the model's own when every dataset has θ_d (a cost that fixes n must),
    else its datasets' sizes with at least d features."""
    top, one_by_one, _ = _named(model)
    if one_by_one and entry > top:
        raise InputError(f"θ_{entry} named on the left, but your cost has θ_0 … θ_{top} only", None, text)
    if entry > _MOST_FEATURES:
        raise InputError(f"θ_{entry} named on the left: entries up to θ_{_MOST_FEATURES} are checked", None, text)
    features = max((entry, *(int(k) for k in _X_NUMBERED.findall(text))))  # x_2⁽ⁱ⁾ beside ∂J/∂θ_1 too
    if all(d.n >= features for d in problem.datasets):
        return problem
    return Problem(model, _datasets(model, seed, tuple((size, max(n, features)) for size, n in _sizes(model))))


# θ_2, θ_j, (∇J)_2 on a left side: the entry it names
_LEFT_INDEX = re.compile(r"(?:\\theta|\)|\])\s*_\s*\{?\s*([0-9]+|[a-z])(?![0-9A-Za-z])")


def _left_indices(text: str) -> set[str]:
    """The entries the left sides of ``text`` name (θ_0, θ_2, θ_j: "0", "2", "j")."""
    found: set[str] = set()
    for line in lines_of(blank_layout(text), text):
        if line.left is not None:
            found |= set(_LEFT_INDEX.findall(text[line.left[0] : line.left[1]]))
    return found


def _as_entry(statement, entry: int, text: str):
    """The statement with its lines for θ_d (read as for every j ≥ 1, or all of θ) given the scope of that entry
    alone; a right side with an index j left (x⁽ⁱ⁾ with no index read as x_j⁽ⁱ⁾) is refused: which feature?"""
    named = sorted(_left_indices(text) - {"0"})
    if len(named) > 1:  # θ_1 and θ_2 (or θ_j) on the left: the lines were all read as the first (a false ✓ on a slip)
        shown = ", ".join(f"θ_{index}" for index in named)
        raise InputError(
            f"the left sides name {shown}: check one fixed entry at a time, or write "
            "\\frac{\\partial J}{\\partial \\theta_j} with x_j^{(i)} for every j",
            None,
            text,
        )
    scope = f"{_FIXED}{entry}"
    pieces = []
    for piece in statement.pieces:
        if piece.scope == BIAS:
            pieces.append(piece)
            continue
        if j in piece.value.free_symbols:
            raise InputError(
                f"θ_{entry} named on the left, but the right side has x^{{(i)}} with no index (or x_j): write "
                f"x_{entry}^{{(i)}}, the feature θ_{entry} multiplies",
                None,
                text,
            )
        pieces.append(dataclasses.replace(piece, scope=scope))
    said = (f"θ_{entry} named on the left: x^{{(i)}} read as", f"only the entries for θ_{entry} are given")
    notes = [n for n in statement.notes if not n.startswith(said)]
    notes.append(
        f"θ_{entry} named on the left: that entry alone is checked (the others were not), on data with n ≥ {entry}"
    )
    return dataclasses.replace(statement, pieces=tuple(pieces), notes=tuple(notes))


# x⁽ⁱ⁾ beside θ₁, squared, in the residual of a cost that reads it as its one feature (θ₀ + θ₁x + θ₂x²)
_VECTOR_X = "x^{(i)} is the vector of example i"
_ONE_X_NOTE = "x^{(i)} read as the number x_1^{(i)}, as your cost reads it (one feature x)"
# θ₁x⁽ⁱ⁾, θ₂(x⁽ⁱ⁾)²: x⁽ⁱ⁾ right after a θ_k, in the polynomial's terms, is its one feature x; an x⁽ⁱ⁾ elsewhere (the
# factor of the residual in ∇J = (1/m)Σ(h − y)x⁽ⁱ⁾) is the example's vector (1, x, x², …)
_THETA_X = re.compile(
    r"(?P<before>\\theta\s*_\s*\{?\s*[1-9][0-9]*\s*\}?\s*(?:\\left\s*)?[({]?\s*)"
    r"x(?P<after>\s*\^\s*\{\s*\(\s*i\s*\)\s*\})(?!\s*_)"
)
_THETA_X_NOTE = (
    "x^{(i)} beside θ_k read as the number x_1^{(i)}, your cost's one feature; the x^{(i)} the residual multiplies "
    "as the vector of example i, (1, x, x², …)"
)
# A comma (with any spacing: \; \, ~~ \quad), \quad or a short note in words (\text{ and }, \text{ i.e. }, \mbox{ and
# similarly }) before another gradient's or update's left side: a line of its own, as after \\ (the reader kept the
# first equation only: a slip in the second got a plain ✓)
_WORDS = r"\\(?:text|textrm|textit|mbox|mathrm)\s*\{[^{}]{0,40}\}"
_SPACING = rf"(?:\s|\\[,;:! ]|\\q?quad(?![A-Za-z])|~|{_WORDS})"
_QUAD_EQUATIONS = re.compile(
    rf"\s*(?:[,;]{_SPACING}*|\\q?quad(?![A-Za-z]){_SPACING}*|(?:\\ )?{_WORDS}{_SPACING}*)"
    r"(?=\\[dt]?frac\s*\{\s*\\partial|\\nabla|\\partial|∂|∇|\\theta\s*_\s*\{?\s*\w+\s*\}?\s*:=)"
)
_QUAD_NOTE = "the formulas after a comma, \\quad or words between them read as lines of their own (as if after \\\\)"
# ∇_θ J = (1/m)Σ(h − y)x_j⁽ⁱ⁾: one number where the vector belongs, false as written (verify's words for it)
_VECTOR_SLIP = "∇_θ J is a vector; x_j⁽ⁱ⁾ is one number: write x⁽ⁱ⁾ or ∂J/∂θ_j"
_ENTRY_REASON = "its entries are right, but the left side is the whole vector ∇_θ J and the right side one entry"
_NABLA = re.compile(r"\\nabla(?![A-Za-z])|∇")
_J_WRITTEN = re.compile(r"(?<![A-Za-z\\])j(?![A-Za-z])")  # (∇J)_j, ∇_{θ_j} J: an entry on the left
_ENTRY_X = re.compile(  # x_j⁽ⁱ⁾, x⁽ⁱ⁾_j, x_{ij}, x_{i,j}, \mathbf{x}_j
    r"(?<![A-Za-z\\])(?:\\(?:mathbf|boldsymbol|vec)\s*\{\s*x\s*\}|x)\s*(?:\^\s*\{[^{}]*\}\s*)?"
    r"_\s*\{?\s*(?:i\s*,?\s*)?j(?![A-Za-z])"
)


def _entry_for_vector(text: str) -> bool:
    r"""Whether an equation gives ∇ (no j on its left) one entry's formula, x_j⁽ⁱ⁾ on its right, and the text
    does not say "for each j": ``\nabla_\theta J = \frac{1}{m}\sum_i (h - y) x_j^{(i)}``.

    >>> _entry_for_vector(r"\nabla_\theta J = \sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}")
    True
    >>> _entry_for_vector(r"(\nabla_\theta J)_j = \sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}")
    False
    """
    if says_each_j(text):  # "for each j", read as verify reads it
        return False
    for line in lines_of(blank_layout(text), text):
        if line.left is None or line.condition is not None:  # a condition on j: its entries, by j
            continue
        left = text[line.left[0] : line.left[1]]
        if not _NABLA.search(left) or _J_WRITTEN.search(left):
            continue
        rights = [text[start:end] for start, end in line.rights]
        if any(_ENTRY_X.search(r) and not _MATRIX_ENV.search(r) for r in rights):
            return True
    return False


# x̄, θ̂ used without a definition, or defined beside the gradient (, \quad \bar{y} = …): check reads no definition
# of them (verify does): say what it reads instead
_UNDEFINED_ACCENT = re.compile(
    r"^(?P<sign>\S+) is used but not defined: write (?P<accent>\\\w+)\{(?P<name>[^{}]*)\} = …"
)
_ACCENT_LEFT = re.compile(r"^cannot read the left side '(?P<accent>\\(?:bar|overline))\s*\{?\s*(?P<name>\\?\w+)")


def _accented(message: str) -> str | None:
    r"""The words for a ParseError on x̄ / θ̂ (undefined, or defined beside the gradient) that ``check`` can follow;
    None for any other error.

    >>> _accented("ȳ is used but not defined: write \\bar{y} = … (e.g. its mean) first").split("; ")[0]
    'ȳ: check --latex reads no definition of it'
    """
    found = _UNDEFINED_ACCENT.match(message) or _ACCENT_LEFT.match(message)
    if found is None:
        return None
    name = found["name"]
    sign = found.groupdict().get("sign") or letter_sign(name) + "\u0304"
    mean = rf"\frac{{1}}{{m}}\sum_{{i=1}}^m {name}^{{(i)}}"
    instead = f"for its mean, {mean}" if name in ("x", "y") and found["accent"] != r"\hat" else "its value"
    return f"{sign}: check --latex reads no definition of it; write it out in its place ({instead})"


_OUTSIDE = "b read as θ₀ added outside σ, σ(Σₖ θ_k x_k) + θ₀: the model's bias is inside, σ(wᵀx⁽ⁱ⁾ + b)"


# Ng's Specialization, one feature: f_{w,b}(x) = wx + b, w and b numbers, ∂J/∂w and ∂J/∂b by name
_NG_LEFT = re.compile(r"\\partial\s*(?:w|b)(?![A-Za-z_^])")
_NG_VECTORS = re.compile(_VECTORS + r"|(?<![A-Za-z\\])[wx]\s*_|\\theta|\\sum_\s*\{?\s*j|X")
_NG = re.compile(
    r"(?P<f>f_\s*\{\s*w\s*,\s*b\s*\}\s*\(\s*x\s*\^\s*\{\s*\(\s*i\s*\)\s*\}\s*\))"
    r"|(?P<J>J\s*\(\s*w\s*,\s*b\s*\))"
    r"|(?P<w>(?<![A-Za-z\\])w(?![A-Za-z]))|(?P<b>(?<![A-Za-z\\])b(?![A-Za-z]))"
    r"|(?P<x>(?<![A-Za-z\\{])x\s*\^\s*\{\s*\(\s*i\s*\)\s*\}(?!\s*_))"
)
_NG_NAMES = {"J": "J", "w": "\\theta_1 ", "b": "\\theta_0 ", "x": "x_1^{(i)}"}
_NO_F_WB = (
    "f_{w,b} is not defined in your cost: define it beside the cost (, \\quad f_{w,b}(x) = wx + b) or write it out "
    "in the gradient (w x^{(i)} + b)"
)
_NG_NOTE = "w and b numbers (one feature, n = 1): w read as θ₁, b as θ₀, x⁽ⁱ⁾ as the number x₁⁽ⁱ⁾"


def _ng_scalars(text: str) -> bool:
    """Whether ``text`` writes w, b and x⁽ⁱ⁾ as numbers: no transpose, dot, bold letter, index j, θ or X."""
    return _NG_VECTORS.search(text) is None


def _ng_one_feature(model: Model, problem: Problem, text: str, method: str, seed: int) -> GradientReport:
    r"""∂J/∂w and ∂J/∂b of f_{w,b}(x) = wx + b (one feature, w and b numbers) judged as ∂J/∂θ₁ and ∂J/∂θ₀ on
    one-feature datasets: w read as θ₁, b as θ₀, x⁽ⁱ⁾ as x₁⁽ⁱ⁾, f_{w,b}(x⁽ⁱ⁾) as the model's h_θ(x⁽ⁱ⁾) (or as
    the definition the cost gives, f_{w,b}(x) = wx + b)."""
    defined = one_feature_definition(model.cost_text) if model.cost_text is not None else None

    def name(use: re.Match) -> str:
        if use.group("f") is None:
            return _NG_NAMES[use.lastgroup]
        if defined is None and model_context(model).hypothesis is None:
            raise InputError(_NO_F_WB, use.start(), text)
        if defined is None:
            return "h_\\theta(x^{(i)})"
        return (
            "("
            + _NG.sub(lambda inner: _NG_NAMES.get(inner.lastgroup, inner.group()), bare_x(defined, " x^{(i)} "))
            + ")"
        )

    problem = _one_feature_problem(model, seed)
    method = _method(problem, seed, False)

    def run(renamed: str) -> GradientReport:
        return _check_latex(model, problem, renamed, method, seed, one_feature=True)

    report = _renamed(text, _NG, name, run, _NG_NOTE)
    notes = tuple(n for n in report.notes if not n.startswith("θ_1 named on the left"))  # _NG_NOTE says it
    return dataclasses.replace(report, notes=notes)


_INDEX = r"(?P<index>\s*(_\s*\{\s*i\s*\}|_\s*i(?![A-Za-z])|\^\s*\{\s*\(\s*i\s*\)\s*\}))?"
_RATE = re.compile(r"\\(lambda|mu)(?![A-Za-z])" + _INDEX)  # λ, λ_i, μ^{(i)}: the Poisson rate
_Y = r"y(\s*(_\s*\{?\s*i\s*\}?|\^\s*\{\s*\(\s*i\s*\)\s*\}))?"
_RATE_BESIDE_Y = re.compile(rf"{_RATE.pattern}\s*-\s*{_Y}|{_Y}\s*-\s*{_RATE.pattern.replace('(?P<index>', '(')}")
_SIGMA_HINT = "in matrix form write e.g. \\sigma(X\\theta)"
_SIGMA_MEAN, _EXP_MEAN = "\\sigma(X\\theta)", "e^{X\\theta}"


def _mean_latex(model: Model) -> str | None:
    r"""The model's predictions in matrix form as LaTeX (``e^{X\theta}``, ``\Phi(X\theta)``, ``X\theta``), or None
    when it has no h_θ."""
    hypothesis = model_context(model).hypothesis
    if hypothesis is None:
        return None
    definition = hypothesis(i).definition()
    if not (isinstance(definition, sp.Function) and len(definition.args) == 1):
        return "X\\theta" if definition.has(x) else None
    shown = sp.latex(definition.func(sp.Symbol("X\\theta")))
    return shown.replace("\\left(", "(").replace("\\right)", ")")


_NORM = re.compile(r"\\\||\\[lr]Vert(?![A-Za-z])")


_NORM_BY_ENTRIES = (
    "a norm \\|v\\| (or \\sqrt{v^T v}) in a matrix-form gradient is read as a 1×1 matrix, not as a number: "
    "write it by its entries and the gradient by entries, e.g. \\frac{\\partial J}{\\partial\\theta_j} = "
    "\\frac{\\sum_{i=1}^m (\\theta^T x^{(i)} - y^{(i)}) x_j^{(i)}}"
    "{\\sqrt{\\sum_{i=1}^m (\\theta^T x^{(i)} - y^{(i)})^2}} "
    "for \\|X\\theta - y\\| (\\sqrt{\\sum_{k=0}^n \\theta_k^2} for \\|\\theta\\|)"
)


def _context(model: Model, text: str):
    r"""The model's LaTeX context; with a norm written (``\|X\theta - y\|``) read as ``--cost`` reads it, the
    Euclidean norm."""
    context = _own_context(model)
    return dataclasses.replace(context, cost_notation=True) if _NORM.search(text) else context


# a matrix column alone, \begin{bmatrix} ∂J/∂θ₀ \\ ∂J/∂θ₁ \end{bmatrix}: the gradient written by its entries
_COLUMN_ALONE = re.compile(
    r"\s*(\$\$?|\\\[)?\s*\\begin\s*\{(?P<kind>[bpBv]?)matrix\}.*\\end\s*\{(?P=kind)matrix\}\s*(\$\$?|\\\])?\s*[.,]?\s*",
    re.S,
)
_UNNAMED_ROWS = "several formulas without a left side"
# θ_{1:n}, θ_{1:n+1}: a slice of θ, the rows of a column [0; θ_{1:n}] (Ng's regularised gradient written compactly)
_SLICE = re.compile(r"\\theta\s*_\s*\{\s*(?P<a>\d+)\s*:\s*(?P<b>\d+|n(?:\s*[+-]\s*1)?)\s*\}")
_MATRIX_ENV = re.compile(r"\\begin\s*\{[bpBv]?matrix\}")


def _read_column(text: str, context):
    r""":func:`read_gradient`, and a matrix column written alone (no ``\nabla J(\theta) =``) read as the gradient
    ∇J(θ) by its entries (its rows the θ₀ entry, then θ_j), as if the user had named it."""
    try:
        return read_gradient(text, context)
    except ParseError as error:
        if not (error.message.startswith(_UNNAMED_ROWS) and _COLUMN_ALONE.fullmatch(text)):
            raise
        try:
            statement = read_gradient("\\nabla J(\\theta) = " + text, context)
        except ParseError:
            raise error from None
    return dataclasses.replace(statement, notes=(*statement.notes, "the column of entries read as ∇J(θ)"))


_X_SUBSCRIPT = re.compile(r"(?<![A-Za-z\\])x\s*_")  # x_j^{(i)}, x_1^{(i)}: the features named by index
_THETA_ONE = re.compile(r"\\theta\s*_\s*\{?\s*1(?![0-9])")


def _read_statement(text: str, context):
    """The user's LaTeX gradient as :func:`_read_column` reads it, or as :func:`_one_feature_rows` does."""
    try:
        statement, error = _read_column(text, context), None
    except ParseError as failed:
        statement, error = None, failed
    rows = _one_feature_rows(text, context, statement)
    if rows is not None:
        return rows
    if error is not None:
        raise error
    return statement


def _one_feature_rows(text: str, context, statement):
    r"""Ng's week 1 written by rows, ``\theta_0 + \theta_1 x^{(i)}`` (θ₁ written out, x⁽ⁱ⁾ with no subscript, each
    row for θ₀ or θ₁): one feature, x⁽ⁱ⁾ the number x₁⁽ⁱ⁾ in every row, the θ₀ row too, as ``show --cost`` reads
    that cost, judged on one-feature datasets (``entry`` 1).  None when the text is not that, or reads as it is
    (``statement``, None when it did not read: the θ₀ row's x⁽ⁱ⁾ was a vector there, or x₀ = 1).
    """
    if _X_SUBSCRIPT.search(text) or not _THETA_ONE.search(text) or not ONE_X.search(text):
        return None
    if statement is not None and (statement.entry is not None or not _rows(statement)):
        return None
    try:
        again = _read_column(ONE_X.sub(lambda written: "x_1" + written.group()[1:], text), context)
    except ParseError:
        return None
    if not _rows(again):
        return None
    note = "θ_1 written out and x^{(i)} with no index: x^{(i)} read as the number x_1^{(i)} (one feature, n = 1)"
    notes = [n for n in again.notes if not n.startswith("θ_1 named on the left: x^{(i)} read as")]  # says it again
    return dataclasses.replace(again, entry=1, notes=(*notes, note))


def _rows(statement) -> bool:
    """Whether the statement gives θ₀ and θ_j by rows (cases, a column, one line each), in index form."""
    return all(p.scope != ALL and not isinstance(p.value, sp.MatrixExpr) for p in statement.pieces)


def _judge_latex(problem: Problem, statement, text: str, method: str, seed: int, datasets) -> GradientReport:
    """The report on a statement read from ``text``, its values computed on ``datasets`` (the labels' encoding)."""
    target = for_model(_TARGETS[statement.target], climbed(problem))  # ∂ℓ/∂θ of a model that is ℓ: its own
    if target is NEGATIVE_LOG_LIKELIHOOD and data_summed(problem):  # the model's J is the summed NLL itself
        target = COST
    other = None  # the problem of a cost written on the left that is not the model's
    matrix = all(isinstance(p.value, sp.MatrixExpr) for p in statement.pieces)
    kind = "LaTeX " + ("(matrix form)" if matrix else "(index form: examples i = 1..m, features j = 0..n)")
    if _FORMS[statement.form]:
        kind += f", read as {_FORMS[statement.form]}"
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
        evaluated = _evaluate(value, problem, offset, text, kind, datasets)
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
            gap = _exactly(problem, found, tree, offset, datasets, factor)
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
        checked = base | {"seed": seed, "method": _method_after(method, gap)}
        report = build_report(problem, checked, status, reason, notes, values, bad, lam=lam_used)
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
    report = _at_own_n(problem, report, values, datasets, text, kind)
    return _with_definitions(problem, statement, report, datasets)


def _extension(model: Model) -> sp.Expr | None:
    """∂J/∂θ_j (rows 0..m−1, free j) of ``model``'s cost extended the natural way by a feature x_{n+1}: in its
    sums over the examples θ₀ → θ₀ + θ_{n+1}x_{n+1} (h + θ_{n+1}x_{n+1}; with no θ₀ there, the lowest θ_k →
    θ_k + θ_{n+1}x_{n+1}/x_k). None when no θ_k is there; :func:`_wider` checks that the extension fits the cost."""
    named = _in_examples(model)
    if not named:
        return None
    cost = model.forms["sum"].cost
    examples = [s for s in cost.atoms(sp.Sum) if s.variables == [i]]
    new, pivot = _named(model)[0] + 1, named[0]
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


def _at_own_n(problem: Problem, report: GradientReport, values, datasets, text: str, kind: str) -> GradientReport:
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
            same = _evaluate(value, problem, offset, text, kind, datasets)
            moved = _evaluate(value, problem, offset, text, kind, wider)
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


def _code_at_own_n(problem: Problem, report: GradientReport, python: str, again: dict, method: str, seed: int):
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
        other = judge_run(wide, run, python, method, seed, lambda ds: run_user_function(python, ds, **again))
    except (InputError, EvalError):
        return report
    if other.status != INCORRECT or other.reason.startswith("wrong shape"):
        return report
    own = problem.datasets[0].n
    said = f"n = {own} only: with one feature more it is not the gradient: does it read n or a feature's place off X?"
    return dataclasses.replace(report, holds_for="; ".join(filter(None, (report.holds_for, said))))


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
        f"{_LEFTS.get(scope, f'∂J/∂θ_{scope[len(_FIXED) :]}')} = "
        f"{_reading(sp.Sum(p.value, (i, 1, m)) / (m if mean else 1))}{_WHEN.get(scope, '')}"
        for scope, p in pieces.items()
    )
    if not per_example.defines_mean_cost(statement.costs):
        holds_for, reason = per_example.as_one_example(written, term=not (mean or sum_cost), summed=sum_cost)
        return dataclasses.replace(report, holds_for=holds_for, reason=reason)
    first = _assemble(problem, {scope: [r[0] for r in values] for scope, values in rows.items()}, target, text)
    reason, explanation = per_example.not_the_cost_gradient(written, term=not (mean or sum_cost))
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


def _with_definitions(problem: Problem, statement, report: GradientReport, datasets) -> GradientReport:
    """The report once the model's parts the text defines (h_θ(x) = …, σ(z) = …) are checked against the model's.

    They are already in the gradient judged; one that differs from the model's makes the answer incorrect, named.
    """
    faults, notes = [], []
    for definition in statement.definitions:
        value = definition.value() if callable(definition.value) else definition.value
        shown = f"{definition.shown} = {_reading(_one_example(value))}"
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
            return f"your {shown} is not the model's {_reading(_one_example(model_h))}"
    return None


def _one_example(value: sp.Basic) -> sp.Basic:
    """θᵀx⁽ⁱ⁾ as θᵀx, for showing a definition of the model."""
    return value.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == x and len(e.indices) == 2,
        lambda e: e.base[e.indices[1]],
    )


def _exactly(problem: Problem, found: tuple, expr: sp.Basic, offset: int, datasets, factor=None) -> Gap | bool:
    """A float64 "correct" that exact arithmetic refutes (:mod:`.exact`); else whether exact arithmetic confirmed it."""
    if found[0] != CORRECT:
        return False
    return exact_gap(problem, expr, offset, problem.datasets if datasets is None else datasets, factor)


def _method_after(method: str, gap: Gap | bool) -> str:
    return f"{method}; {CONFIRMED}" if gap is True else method


def _shape_fault(problem: Problem, base: dict[str, Any], error: ParseError, reread, mark: str = "^T") -> GradientReport:
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
    shown = (factor.name if isinstance(factor, sp.MatrixSymbol) else f"({_reading(factor)})") + mark
    explanation = f"with {shown} the shapes match and it is the gradient: write {shown}"
    if row:
        explanation = f"with {shown} the shapes match but give the gradient as a row: write X{mark} times the column"
    diagnosis = Diagnosis("transposed", FAULTS["transposed"], explanation)
    return dataclasses.replace(report, diagnosis=diagnosis, reading=repaired.reading)


def _flipped(problem: Problem, received: list[np.ndarray], target):
    """The negated values normalised, and the note, when they are right for ``target``: a wrong sign; else None."""
    values, note = normalise(problem, [-np.asarray(r) for r in received], target)
    return (values, note) if verdict(problem, values)[0] == CORRECT else None


def _wrong_direction(target: str) -> Diagnosis:
    """The sign of an update rule, or of ∂ℓ's right side: the cost's own direction where the other was written."""
    if target == "log-likelihood":
        explanation = "the right side is the gradient of the cost J, not of the log-likelihood ℓ on the left: negate it"
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
    shown = _reading(piece.value)
    if shown is None or piece.scope == ALL:
        return shown
    if piece.scope.startswith(_FIXED):
        return f"j = {piece.scope[len(_FIXED) :]}: {shown}"
    return ("j = 0: " if piece.scope == BIAS else "j ≥ 1: ") + shown


_ENTRIES = {ALL: slice(None), BIAS: slice(0, 1), WEIGHTS_SCOPE: slice(1, None)}  # the entries of θ a scope gives
_LEFTS = {ALL: "∂J/∂θ_j", BIAS: "∂J/∂θ_0", WEIGHTS_SCOPE: "∂J/∂θ_j"}
_WHEN = {ALL: "", BIAS: "", WEIGHTS_SCOPE: " (j ≥ 1)"}


def _given(scope: str) -> slice:
    """The entries of θ a scope gives: all of them, θ₀, θ_j for j ≥ 1, or one fixed θ_d."""
    if scope.startswith(_FIXED):
        entry = int(scope[len(_FIXED) :])
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
            if scope.startswith(_FIXED) and value.size == 1:  # ∂J/∂θ_d = …: that entry alone
                vector[_given(scope)] = value[0]
            elif scope == BIAS and value.size in (1, d.p):
                vector[0] = value[0]
            elif scope == WEIGHTS_SCOPE and value.size == 1 and d.p == 2:  # θ_1 with one feature: a number
                vector[1] = value[0]
            elif value.size == d.p:
                vector[_given(scope)] = value[_given(scope)]
            else:
                what = {WEIGHTS_SCOPE: "θ_j for j ≥ 1", ALL: "the gradient"}.get(scope, f"θ_{scope[len(_FIXED) :]}")
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


def _with_model_symbols(error: ParseError, model: Model, kind: str) -> ParseError:
    if not error.message.startswith("unknown name"):
        return error
    name = error.message.split("(")[0].strip()
    return ParseError(f"{name}; {model.name} uses: {model_symbols(model, kind)}", error.position, error.text)


def _evaluate(expr: sp.Basic, problem: Problem, offset: int, text: str, kind: str, datasets=None) -> list[np.ndarray]:
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


def _reading(expr: sp.Basic) -> str | None:
    from ..printing.expr import to_unicode

    try:
        return to_unicode(expr)
    except Exception:  # the reading is a courtesy: a printer gap must not hide the verdict
        return None


__all__ = ["CORRECT", "INCORRECT", "UNDECIDED", "GradientReport", "InputError", "check_gradient", "model_symbols"]
