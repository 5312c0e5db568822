"""How a LaTeX gradient is read for check: the statement (a column of entries alone, Ng's rows of one feature), a
fixed entry θ_d on the left, the model's context and mean, and the words for what is not read or not meant."""

from __future__ import annotations

import dataclasses
import re

import sympy as sp

from ..core.functions import normal_pdf
from ..core.models import Model
from ..core.notation import i, j, x
from ..models.costs import _ONE_X as ONE_X  # x^{(i)} a number: one definition, show --cost's
from ..parsing import ParseError
from ..parsing.layout import blank_layout, lines_of
from ..parsing.letters import letter_sign
from ..parsing.prose import says_each_j
from ..parsing.statement import ALL, BIAS, read_gradient
from ..proof.read import model_context
from .diagnose import Problem
from .formula import own_context
from .latex_rewrites import MATRIX_ENV
from .problem_data import dataset_sizes, model_datasets, named_features
from .usercode import InputError

# what only Python syntax writes: X.T, @, **, np., .dot(, sigmoid(
# X' beside a product only Xᵀ fits: Octave's transpose (X' alone, or X' where X fits, is X with its ones column)
OCTAVE_TRANSPOSE = re.compile(r"(?<![A-Za-z\\])X\s*'(?!')")
_PYTHON = re.compile(r"[\w)\]]\.T\b|@|\*\*|\bnp\.|\.dot\(|(?<!\\)\b(sigmoid|exp|log)\(")


# φ of one example is Bishop's feature map φ(x_n); of a number, φ(θᵀx⁽ⁱ⁾), the normal pdf of the probit gradient
_PDF_HINT = (
    "\\phi(·) of one example is read as Bishop's feature map φ(x_n); for the normal pdf write it of a number, "
    "\\phi(\\theta^T x^{(i)}), or of X\\theta"
)


POLYNOMIAL_ENTRY = (
    "θ_{d} on the left with x^{{(i)}} bare on the right: your cost is a polynomial in x up to θ_{degree}, where "
    "x^{{(i)}} is the number x and θ_{d}'s feature is x^{d}: write it as x_{d}^{{(i)}} (x_k = x^k, the columns of "
    "X = [1, x, x², …]), or \\frac{{\\partial J}}{{\\partial \\theta_j}} with x_j^{{(i)}}, or X^T(X\\theta - y)"
)
FIXED_SCOPE = "entry "  # the scope of one fixed entry θ_d (∂J/∂θ_2 = …), named with its d: "entry 2"
_MOST_FEATURES = 20  # θ_d up to θ_20: data with d features are made for it
_X_NUMBERED = re.compile(r"(?<![A-Za-z\\])x\s*_\s*\{?\s*([0-9]{1,2})(?![0-9])")  # x_2^{(i)}: the features it needs
# θ₀ in a right side (θ₀ + θ₁x₁⁽ⁱ⁾ written out: one feature meant), not ∂J/∂θ₀ on a left side
_THETA_ZERO = re.compile(r"\\theta\s*_\s*\{?\s*0(?![0-9])")
_BY_THETA_ZERO = re.compile(r"\\partial\s*\\theta\s*_\s*\{?\s*0(?![0-9])")


def fixed_entry(model: Model, statement, text: str, one_feature: bool) -> int | None:
    r"""The d of a fixed entry θ_d named on the left, judged alone on data with n ≥ d; None for Ng's week 1, θ_1 of
    one feature (x⁽ⁱ⁾ with no index, or θ₀ + θ₁x₁⁽ⁱ⁾ written out), judged on one-feature data.

    θ_1 with x_1⁽ⁱ⁾ beside θᵀx⁽ⁱ⁾ or h_θ(x⁽ⁱ⁾) is that entry for any n (it was judged on n = 1 only); on a cost that
    names θ₂ (θ₀ + θ₁x₁ + θ₂x₂) it is judged on the cost's own data (one-feature data were a traceback)."""
    if statement.entry is None or one_feature:
        return None
    top, one_by_one, _ = named_features(model)
    if statement.entry >= 2 or (one_by_one and top >= 2):
        return statement.entry
    written_out = _THETA_ZERO.search(_BY_THETA_ZERO.sub(" ", text))
    return statement.entry if X_SUBSCRIPT.search(text) and not written_out else None


def entry_problem(model: Model, problem: Problem, entry: int, seed: int, text: str) -> Problem:
    """The problem for a fixed entry θ_d: the model's own when every dataset has θ_d (a cost that fixes n must),
    else its datasets' sizes with at least d features."""
    top, one_by_one, _ = named_features(model)
    if one_by_one and entry > top:
        raise InputError(f"θ_{entry} named on the left, but your cost has θ_0 … θ_{top} only", None, text)
    if entry > _MOST_FEATURES:
        raise InputError(f"θ_{entry} named on the left: entries up to θ_{_MOST_FEATURES} are checked", None, text)
    features = max((entry, *(int(k) for k in _X_NUMBERED.findall(text))))  # x_2⁽ⁱ⁾ beside ∂J/∂θ_1 too
    if all(d.n >= features for d in problem.datasets):
        return problem
    return Problem(
        model, model_datasets(model, seed, tuple((size, max(n, features)) for size, n in dataset_sizes(model)))
    )


# θ_2, θ_j, (∇J)_2 on a left side: the entry it names
_LEFT_INDEX = re.compile(r"(?:\\theta|\)|\])\s*_\s*\{?\s*([0-9]+|[a-z])(?![0-9A-Za-z])")


def _left_indices(text: str) -> set[str]:
    """The entries the left sides of ``text`` name (θ_0, θ_2, θ_j: "0", "2", "j")."""
    found: set[str] = set()
    for line in lines_of(blank_layout(text), text):
        if line.left is not None:
            found |= set(_LEFT_INDEX.findall(text[line.left[0] : line.left[1]]))
    return found


def as_entry(statement, entry: int, text: str):
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
    scope = f"{FIXED_SCOPE}{entry}"
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
VECTOR_X = "x^{(i)} is the vector of example i"


_NABLA = re.compile(r"\\nabla(?![A-Za-z])|∇")
_J_WRITTEN = re.compile(r"(?<![A-Za-z\\])j(?![A-Za-z])")  # (∇J)_j, ∇_{θ_j} J: an entry on the left
_ENTRY_X = re.compile(  # x_j⁽ⁱ⁾, x⁽ⁱ⁾_j, x_{ij}, x_{i,j}, \mathbf{x}_j
    r"(?<![A-Za-z\\])(?:\\(?:mathbf|boldsymbol|vec)\s*\{\s*x\s*\}|x)\s*(?:\^\s*\{[^{}]*\}\s*)?"
    r"_\s*\{?\s*(?:i\s*,?\s*)?j(?![A-Za-z])"
)


def entry_for_vector(text: str) -> bool:
    r"""Whether an equation gives ∇ (no j on its left) one entry's formula, x_j⁽ⁱ⁾ on its right, and the text
    does not say "for each j": ``\nabla_\theta J = \frac{1}{m}\sum_i (h - y) x_j^{(i)}``.

    >>> entry_for_vector(r"\nabla_\theta J = \sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}")
    True
    >>> entry_for_vector(r"(\nabla_\theta J)_j = \sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}")
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
        if any(_ENTRY_X.search(r) and not MATRIX_ENV.search(r) for r in rights):
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
    if found["accent"] == r"\tilde":  # ỹ: a smoothed or ±1 label, never y itself (review 10 R4)
        beside = rf", \quad \tilde{{{name}}}^{{(i)}} = 0.9{name}^{{(i)}} + 0.05" if name == "y" else ""
        instead = f"its value; or define it beside the gradient{beside}" if beside else "its value"
    return f"{sign}: check --latex reads no definition of it; write it out in its place ({instead})"


_SIGMA_HINT = "in matrix form write e.g. \\sigma(X\\theta)"
SIGMA_MEAN, EXP_MEAN = "\\sigma(X\\theta)", "e^{X\\theta}"


def mean_latex(model: Model) -> str | None:
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


def latex_context(model: Model, text: str):
    r"""The model's LaTeX context; with a norm written (``\|X\theta - y\|``) read as ``--cost`` reads it, the
    Euclidean norm."""
    context = own_context(model)
    return dataclasses.replace(context, cost_notation=True) if _NORM.search(text) else context


# a matrix column alone, \begin{bmatrix} ∂J/∂θ₀ \\ ∂J/∂θ₁ \end{bmatrix}: the gradient written by its entries
_COLUMN_ALONE = re.compile(
    r"\s*(\$\$?|\\\[)?\s*\\begin\s*\{(?P<kind>[bpBv]?)matrix\}.*\\end\s*\{(?P=kind)matrix\}\s*(\$\$?|\\\])?\s*[.,]?\s*",
    re.S,
)
_UNNAMED_ROWS = "several formulas without a left side"


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


X_SUBSCRIPT = re.compile(r"(?<![A-Za-z\\])x\s*_")  # x_j^{(i)}, x_1^{(i)}: the features named by index
_THETA_ONE = re.compile(r"\\theta\s*_\s*\{?\s*1(?![0-9])")


def read_statement(text: str, context):
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
    if X_SUBSCRIPT.search(text) or not _THETA_ONE.search(text) or not ONE_X.search(text):
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


def say_unread(error: ParseError, text: str, model: Model) -> None:
    """Raise ``error`` again in words the user can act on, where some say what is meant: x̄ or θ̂ not defined,
    Python given to --latex, φ of one example for the normal pdf, σ where the model's mean is another, a norm read
    as a 1×1 matrix; nothing when none does."""
    accented = _accented(error.message)
    if accented is not None:
        raise ParseError(accented, error.position, text) from None
    if _PYTHON.search(text) and "--grad" not in error.message:
        raise ParseError(f"{error.message}; this looks like Python: use --grad", error.position, text) from None
    if error.message.startswith("\\phi takes one example") and model.matrix_gradient.has(normal_pdf):
        raise ParseError(_PDF_HINT, error.position, text) from None
    mean = mean_latex(model)
    if error.message.endswith(_SIGMA_HINT) and mean not in (None, SIGMA_MEAN):  # the model's own mean, not σ
        raise ParseError(error.message[: -len(SIGMA_MEAN)] + mean, error.position, text) from None
    if _NORM.search(text) and "1×1" in error.message:  # ‖v‖ = √(vᵀv) is 1×1 there: not a transposed slip
        raise ParseError(_NORM_BY_ENTRIES, error.position, text) from None
