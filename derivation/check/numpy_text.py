"""NumPy text as --grad reads it: the shapes NumPy gives it with 1-D θ and y, or with columns (what breaks, and what
to write), the .T of a 1-D reduction, and the names read as θ (beta, w, coef)."""

from __future__ import annotations

import ast
import dataclasses

from ..parsing import matrix_names
from .usercode import InputError
from .usernames import ROLES
from .verdict import CORRECT, GradientReport

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


def one_d_caveat(report: GradientReport, text: str) -> GradientReport:
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


def named_theta(report: GradientReport, text: str) -> GradientReport:
    """``report`` with a note of the name read as θ (beta, w), as check --python reads its parameters."""
    alias = theta_alias(text)
    if alias is None:
        return report
    return dataclasses.replace(report, notes=(*report.notes, f"{alias} is read as θ (theta), the parameters"))


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


def one_d_transposes(text: str) -> str:
    """``text`` with the ``.T`` of 1-D reductions dropped, as NumPy computes them (the reader reads the reduction
    as a column, so its .T would be a row); ``text`` itself when it has none (or does not parse).

    >>> one_d_transposes("np.sum(X * r[:, None], axis=0).T / m")
    'np.sum(X * r[:, None], axis=0) / m'
    >>> one_d_transposes("X.T @ r / m")
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
