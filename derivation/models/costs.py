r"""A cost as text: read safely into SymPy, its size bounded, the labels its data needs inferred.

:func:`read_cost` reads a cost over θ (θ_j, j = 0..n; examples i = 1..m) with our own
readers — LaTeX by default, Python syntax with ``latex=False``, never ``eval``.  The catalog's
models written as cost text (core/catalog.py) and the costs users write both come through here;
:mod:`derivation.derive.costs` derives and checks a user's cost.

>>> infer_labels(read_cost(r"\frac{1}{m}\sum_{i=1}^m \log(1+e^{-y^{(i)}\theta^T x^{(i)}})"))
'pm1'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.catalog import LABELS
from ..core.dependence import depends_on
from ..core.functions import abbreviation, expand_abbreviations, logcosh
from ..core.notation import EXAMPLES, W, X, c, i, j, m, theta, x, y, y_example, zero_based_classes
from ..parsing import ParseError, guess_kind, matrix_names, parse_latex, read_expr
from ..parsing.bounds import check_derivative
from ..parsing.expr import one_based
from ..parsing.latex import LatexContext
from ..parsing.names import index_names
from ..parsing.statement import text_context, with_text_counts
from .matrix_costs import MatrixCostError, lower, without_left_side

_WHY = {
    "01": "the cost has y·log(…) and (1 − y)·log(…), or 2y − 1 (a ±1 label made of y ∈ {0, 1})",
    "pm1": "y multiplies θᵀx inside a function, or the cost has (1 + y)/2 and (1 − y)/2 (a 0/1 label made of y = ±1)",
    "counts": "y multiplies a term in θ beside e^{±θᵀx} (a Poisson- or Gamma-like likelihood)",
    "real": "no other kind of label fits the cost",
    "positive": "the cost takes the logarithm of y (a deviance), defined for y > 0",
    "prob": "the cost takes log y and log(1 − y)",
    "onehot": "the cost has a label per class, y_c⁽ⁱ⁾",
}
_NAMES = {"m", "n", "lambda", "theta", "x", "y", "W", "K"}  # what a cost may mention besides its bound indices
_BOUND = {"k", "l", "a", "b", "c"}  # summation letters over the features and the classes
ZERO_BASED = (i, 0, m - 1)  # rows as the evaluator numbers them
_MATRIX_NAMES = {**matrix_names(), "x": X}  # NumPy code: X the data, x[i] (or X[i]) example i, theta, y vectors
_BARE_H = re.compile(r"(?<![\\A-Za-z_])h(?![A-Za-z_(\[])|(?<![\\A-Za-z_])h\(")  # h, h(x): a name for the model
_MATRIX_SPELLING = re.compile(r"\bnp\.|\bnumpy\.|\.dot\(|\bX\b(?!\s*\[[^\]]*,)")  # what only matrix form writes


class CostError(ValueError):
    """A cost that cannot be read or used: one line, in the user's terms."""


def read_cost(text: str, *, latex: bool = True) -> sp.Expr:
    r"""The cost written in ``text`` as a SymPy expression (examples i = 1..m), or a :class:`CostError`.

    Index form (Σ over the examples with x⁽ⁱ⁾) or matrix form (``(X\theta - y)^T(X\theta - y)``,
    ``np.mean((X @ theta - y)**2)``), with or without a left side ``J(\theta) =``; the matrix form is
    read entry by entry into the index form (:mod:`derivation.models.matrix_costs`).

    >>> read_cost("Sum((Sum(theta[k]*x[i,k], (k, 0, n)) - y[i])**2, (i, 0, m-1))/(2*m)", latex=False)
    Sum((-y[i] + Sum(theta[k]*x[i, k], (k, 0, n)))**2, (i, 1, m))/(2*m)
    >>> read_cost("J = np.sum((X @ theta - y)**2) / (2*m)", latex=False)
    Sum((-y[i] + Sum(theta[k]*x[i, k], (k, 0, n)))**2, (i, 1, m))/(2*m)
    >>> read_cost(r"\sum_{i=1}^m \theta_j x_j^{(i)}")
    Traceback (most recent call last):
    ...
    derivation.models.costs.CostError: the cost has a free j: a cost is a number, write θᵀx⁽ⁱ⁾ or sum over j
    """
    return read_written_cost(text, latex=latex).cost


@dataclass(frozen=True)
class WrittenCost:
    """A cost as read: its index form, and the matrix form it was written in (None when written by index)."""

    cost: sp.Expr
    matrix: sp.Basic | None
    reading: str | None = None  # what the text leaves unsaid and we read: an undefined prediction's model


class OneExampleLossError(CostError):
    """The loss of one example (x and y without (i)): not a cost, but ``show`` derives it per example."""

    def __init__(self, message: str, loss: sp.Expr, reading: str | None = None) -> None:
        super().__init__(message)
        self.loss, self.reading = loss, reading


# √(vᵀv): the Euclidean norm written out, \sqrt{(X\theta - y)^T(X\theta - y)} or \sqrt{\theta^T\theta}
_GROUP = r"\((?P<v>[^(){}]*(?:\([^()]*\)[^(){}]*)*)\)"
_SQRT_NORM = re.compile(
    rf"\\sqrt\s*\{{\s*(?:{_GROUP}\s*\^\s*\{{?\s*(?:T|\\top)\s*\}}?\s*\(\s*(?P=v)\s*\)"
    r"|(?P<w>\\theta|w|\\mathbf\s*\{\s*w\s*\})\s*\^\s*\{?\s*(?:T|\\top)\s*\}?\s*(?P=w))\s*\}"
)


def sqrt_norms(text: str) -> str:
    r"""``text`` with each √(vᵀv) written as the norm ‖v‖, which the reader takes as a number.

    >>> sqrt_norms(r"\sqrt{(X\theta - y)^T(X\theta - y)} + \sqrt{\theta^T\theta}")
    '\\left\\|X\\theta - y\\right\\| + \\left\\|\\theta\\right\\|'
    """
    return _SQRT_NORM.sub(lambda use: rf"\left\|{use.group('v') or use.group('w')}\right\|", text)


def read_written_cost(text: str, *, latex: bool = True) -> WrittenCost:
    r""":func:`read_cost`, keeping the matrix form the cost was written in (for the step that reads it).

    >>> written = read_written_cost(r"J(\theta) = \frac{1}{m}\mathbf{1}^T\log(1 + e^{-y \odot X\theta})")
    >>> written.matrix is not None, written.cost
    (True, Sum(log(1 + exp(-y[i]*Sum(theta[k]*x[i, k], (k, 0, n)))), (i, 1, m))/m)
    """
    return _read_written(text, latex)


_BESIDE = re.compile(r"(?:,|\\q?quad|\\text\s*\{\s*where\s*\})(?:\s|\\q?quad)*(?P<name>[^=,]{1,60}?)\s*=(?!.*=)")
_CONSTANTS = (
    "a cost may use θ (or W and K for classes), x⁽ⁱ⁾, y⁽ⁱ⁾, m, n and the penalty constant λ (two of them: λ_1 and "
    "λ_2); write any other constant as a number (e.g. 0.5), in the gradient too"
)


def _defined_beside(names: list[str], written: str) -> str:
    """The words for a name defined beside the cost (, \\quad \\mu^{(i)} = e^{…}), which is not read: only
    h_θ(x) = … may be defined there."""
    for name in names:
        if re.search(rf"(?:,|\\q?quad)(?:\s|\\q?quad)*\\?{re.escape(name)}\b[^=,]*=", written):
            return (
                f"; {name} is defined beside the cost, and only the hypothesis h_\\theta(x) = … may be: write what "
                f"{name} stands for in its place, in the cost and in the gradient"
            )
    return ""


def _unread_hint(message: str, text: str) -> str:
    """What to write instead, for a cost the reader refused with ``message``: a weight per example w⁽ⁱ⁾, or a
    definition beside the cost (, \\quad ỹ⁽ⁱ⁾ = …), which only h_θ(x) = … may be."""
    if "weights per example are not read" in message:
        return "; check the cost and its gradient with a number in place of the weight (e.g. 2), or without it"
    beside = _BESIDE.search(text)
    if message.startswith("'=' makes this an equation") and beside is not None:
        name = beside.group("name").strip()
        return (
            f"; only the hypothesis h_\\theta(x) = … may be defined beside the cost: write what {name} stands for "
            f"in its place, in the cost and in the gradient ({_CONSTANTS})"
        )
    return ""


@lru_cache(maxsize=64)  # one reading per text: check reads the cost again for its report and its diagnosis
def _read_written(text: str, latex: bool) -> WrittenCost:
    """:func:`read_written_cost`, read once per text (a WrittenCost is immutable)."""
    written = text  # as the user wrote it, for the words of a refusal
    context, named = LatexContext(cost_notation=True), {}
    if latex:
        text, context = _defined_model(text)
    else:
        text, named = _python_definitions(text)
    text = sqrt_norms(without_left_side(text, latex=latex)) if latex else without_left_side(text, latex=latex)
    reading = None
    try:
        value = parse_latex(text, context) if latex else _read_python(text, named)
    except ParseError as error:
        hint = ""
        implied = _implied_prediction(text, context) if latex and context.hypothesis is None else None
        if implied is not None:
            value, reading = implied
        elif latex and _MODEL_NAMES.search(text) and context.hypothesis is None:
            hint = "; " + _DEFINE_IT
        elif _BARE_H.search(text):
            hint = (
                r"; write h out: \sigma(X\theta)"
                if latex
                else "; write h out: sigmoid(X @ theta) (or first: h = …; J = …)"
            )
        if implied is None:
            raise CostError(f"cannot read the cost: {error}{hint or _unread_hint(error.message, text)}") from None
    if latex and context.examples_n:
        reading = "; ".join(filter(None, (_BISHOP_READING, reading)))
    if latex:
        value = expand_abbreviations(value).xreplace({_ONE_W: theta[1]})  # one feature: w x⁽ⁱ⁾ + b, w is θ₁
    matrix = None
    if isinstance(value, sp.MatrixExpr) or (isinstance(value, sp.Basic) and value.has(sp.MatrixExpr, MatrixElement)):
        matrix = value
        try:
            value = lower(value, shift=1 if latex else 0)
        except MatrixCostError as error:
            raise CostError(f"cannot read the cost: {error}") from None
    cost = one_based(_examples_by_i(value))  # Σ_{i=0}^{m−1} (or Bishop's Σ_{n=0}^{N−1}): the m examples, 1..m
    if not isinstance(cost, sp.Expr) or isinstance(cost, sp.Derivative) or cost.has(sp.Derivative):
        raise CostError("the cost must be an expression in θ, x⁽ⁱ⁾ and y⁽ⁱ⁾, with no derivative in it")
    cost = cost.replace(  # \log\cosh u is the log-cosh loss, whose rule (log cosh)′ = tanh the engine names
        lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.cosh), lambda e: logcosh(e.args[0].args[0])
    )
    _check_names(cost, reading, written)
    return WrittenCost(cost, matrix, reading)


_BISHOP_READING = (
    "read in Bishop's notation: N examples indexed by n (Σ_{n=1}^N over i = 1..m), t_n the labels y⁽ⁱ⁾, y_n the "
    "predictions, φ_n the inputs x⁽ⁱ⁾, w = θ with the bias in it (φ₀ = 1)"
)


def written_parameter(text: str, wrt: str, *, latex: bool = True) -> str:
    r"""``--wrt`` as the cost's parameter: Bishop's w (the bias in it, φ₀ = 1) is θ in a cost in his notation.

    >>> written_parameter(r"\frac{1}{2}\sum_{n=1}^{N}\{t_n - \mathbf{w}^T\boldsymbol{\phi}_n\}^2", "w")
    'theta'
    >>> written_parameter(r"\frac{1}{m}\sum_{i=1}^{m} \log(1 + e^{-y^{(i)} \theta^T x^{(i)}})", "w")
    'w'
    """
    bishop = latex and wrt.replace(" ", "") in ("w", r"\mathbf{w}", r"\boldsymbol{w}") and text_context(_PLAIN, text)[1]
    return "theta" if bishop and _W.search(text) and not _B.search(text) else wrt


_PLAIN = LatexContext()
_W = re.compile(r"(?<![A-Za-z\\])w(?![A-Za-z])")


# h_θ(x), f_{w,b}(x), ŷ: the model's prediction, as a cost text names it (defined beside it, or not)
_MODEL_NAMES = re.compile(r"h_\s*\{?\s*\\theta|f_\s*\{(?:[^{}]|\{[^{}]*\})*\}|f_\s*\\theta|\\hat\s*\{?\s*y(?![A-Za-z])")
_DEFINE_IT = (
    r"write h_θ out (\theta^T x^{(i)}, \sigma(\theta^T x^{(i)})) or define it beside the cost: "
    r"J(\theta) = \frac{1}{2m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})^2, \quad h_\theta(x) = \theta^T x"
)
# a definition after (or before) the cost: ", \quad h_\theta(x) = \theta^T x", "; f_{w,b}(x) = w x + b", a new line
_DEFINITION = re.compile(
    r"(?P<lead>(^|,|;|\\\\|\s)\s*((\\q?quad|\\[,;: ])\s*)*(\\text\s*\{\s*(where|with)\s*\}\s*)?)"
    r"(?P<name>y_\s*\{?\s*n\s*\}?(?=\s*=)|h_\s*\{?\s*\\theta\s*\}?|f_\s*\{(?:[^{}]|\{[^{}]*\})*\}|f_\s*\\theta|\\hat\s*\{\s*y\s*\}|\\hat\s+y)\s*"
    r"(\((?P<arg>[^()=]*(\([^()]*\))?[^()=]*)\)|\^\s*\{\s*\(i\)\s*\}|_\s*i)?\s*="
    r"(?P<body>.*?)(?=\s*(;|\\\\|\n|,?\s*\\q?quad|$))"
)
_B = re.compile(r"(?<![A-Za-z\\])b(?![A-Za-z])")
_VECTORS = r"\^\s*\{?\s*(T|\\top|\\intercal)|\\cdot|\\mathbf|\\boldsymbol|\\vec"  # θᵀx, w·x: x a vector
_ONE_W = sp.Symbol("w", real=True)
_ONE_X = re.compile(r"(?<![A-Za-z\\{])x\s*\^\s*\{\s*\(\s*i\s*\)\s*\}(?!\s*_)")  # x^{(i)} as a number


def _defined_model(text: str) -> tuple[str, LatexContext]:
    r"""The cost text without the model's definition it carries (``, \quad h_\theta(x) = \theta^T x``), blanked,
    and the context that reads h_θ(x⁽ⁱ⁾), f_{w,b}(x⁽ⁱ⁾) and ŷ⁽ⁱ⁾ as that definition.

    With one feature (``\theta_0 + \theta_1 x^{(i)}``, ``w x^{(i)} + b``: no θᵀx, no bold x) x⁽ⁱ⁾ is the number
    x₁⁽ⁱ⁾ and w is θ₁.
    """
    context, bishop = text_context(LatexContext(cost_notation=True), text)  # Σ_n, t_n, φ_n: as check reads them
    found = [d for d in _DEFINITION.finditer(text) if bishop or not d.group("name").startswith("y")]  # y_n = σ(wᵀφ_n)
    wb = bool(_B.search(text))
    work = list(text)
    body = None
    for match in found:
        body = match.group("body")
        for k in range(match.start(), match.end()):
            if work[k] != "\n":
                work[k] = " "
    text = re.sub(r"^\s*(;|\\\\|,)", lambda lead: " " * len(lead.group()), "".join(work))  # after a first definition
    if not found and not _MODEL_NAMES.search(text) and not re.search(_VECTORS, text):
        text = _ONE_X.sub(lambda mm: "x_1" + mm.group()[1:], text)  # Ng's one feature: x^{(i)} a number
    context = with_text_counts(context, text, bishop)  # whole_w: w and no b, w is all of θ
    context = replace(context, weights=wb or context.whole_w)
    if body is None or not body.strip():
        return text, context
    hypothesis = abbreviation("h", (i,), _model_body(body, context, found[-1].group("name")), *_H_SPELLED)
    return text, replace(context, hypothesis=hypothesis)


_H_SPELLED = ("h_θ(x⁽{0}⁾)", r"h_\theta(x^{{({0})}})")


def defined_hypothesis(text: str):
    r"""The h_θ a LaTeX cost text defines beside it (``, \quad h_\theta(x) = \theta_0 + \theta_1 x``), as its cost
    reads h_θ(x⁽ⁱ⁾) (an abbreviation of i); None when it defines no h_θ or its definition is not read. A gradient
    that names h_θ(x⁽ⁱ⁾) of that cost means it.

    >>> cost = r"\frac{1}{2m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})^2, \quad h_\theta(x) = \theta_0 + \theta_1 x"
    >>> defined_hypothesis(cost)(i).definition()
    theta[0] + theta[1]*x[i, 1]
    """
    if not any(d.group("name").startswith("h") for d in _DEFINITION.finditer(text)):
        return None
    try:
        return _defined_model(text)[1].hypothesis
    except CostError:
        return None


def one_feature_definition(text: str) -> str | None:
    r"""The body of the one-feature model a cost text defines beside it (``f_{w,b}(x) = wx + b``: no θᵀx, no bold x,
    no x_j), or None; a gradient that names f_{w,b}(x⁽ⁱ⁾) of that cost means it.

    >>> one_feature_definition(r"\frac{1}{2m}\sum_{i=1}^m (f_{w,b}(x^{(i)}) - y^{(i)})^2, \quad f_{w,b}(x) = wx + b")
    'wx + b'
    """
    found = [d for d in _DEFINITION.finditer(text) if not d.group("name").startswith("y")]
    if not found or re.search(_VECTORS + r"|x\s*_", found[-1].group("body")):
        return None
    return found[-1].group("body").strip() or None


# x alone in a one-feature model (wx + b, wx^2 + b), not x^{(i)}: w times x
_BARE_X = re.compile(r"(?<![A-Za-vx-z\\])x(?![A-Za-z_])(?P<power>\s*\^)?")


def bare_x(body: str, written: str) -> str:
    r"""``body`` (a one-feature model, x one number) with each bare x written as ``written``, in parentheses before
    a power (wx^2 + b: w(x_1^{(i)})^2); x^{(i)} is left as it is.

    >>> bare_x("wx^2 + b", "x_1^{(i)}"), bare_x("wx + b", "x_1^{(i)}")
    ('w(x_1^{(i)})^2 + b', 'wx_1^{(i)} + b')
    """

    def one(use: re.Match) -> str:
        if use.group("power") is None:
            return written
        if re.match(r"\s*\{\s*\(", body[use.end() :]):  # x^{(i)}: already one example's
            return use.group()
        return f"({written}){use.group('power')}"

    return _BARE_X.sub(one, body)


def _model_body(body: str, context: LatexContext, name: str) -> sp.Expr:
    """The model's prediction for example i, as ``body`` (LaTeX, x one example) writes it."""
    written = body.strip()
    if not re.search(_VECTORS + r"|x\s*_", body):  # f_{w,b}(x) = w x + b: one feature, x a number
        body = bare_x(body, "x_1^{(i)}")
    try:
        value = parse_latex(body, context)
    except ParseError as error:
        raise CostError(f"cannot read the model's definition {name} = …: {error}") from None
    if isinstance(value, sp.MatrixExpr):
        raise CostError("the model's definition is read for one example: h_\\theta(x) = \\theta^T x")
    letters = value.xreplace({row: sp.Dummy() for row in value.atoms(sp.Indexed)}).free_symbols  # x[i, 1]: read
    if any(str(letter).startswith("x") for letter in letters):  # bx: one letter of its own, not b times x
        raise CostError(
            f"cannot read the x in the model's definition {name} = {written}: write a space or \\cdot "
            "between x and the letter beside it (b x, not bx)"
        )
    value = value.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == x and len(e.indices) == 1, lambda e: x[i, e.indices[0]]
    )
    return value.xreplace({_ONE_W: theta[1]})


# --- a prediction named and not defined: read as the model its textbook cost goes with -------------------

_P = sp.IndexedBase("p")  # the undefined prediction of example i, while its use in the cost is looked at
_P0 = sp.Symbol("p0")  # the same for one example (h_θ(x), no (i))
_PLACEHOLDER = LatexContext(cost_notation=True)
# the two textbook pairings, and nothing else: the cross-entropy goes with σ(θᵀx), the squared error with θᵀx
_IMPLIED = {
    "logistic": (r"\sigma({})", "σ({})", "logistic regression", "the cross-entropy"),
    "linear": ("{}", "{}", "linear regression", "the squared error"),
}


def _implied_prediction(text: str, context: LatexContext) -> tuple[sp.Basic, str] | None:
    r"""The cost with its undefined prediction (h_θ(x⁽ⁱ⁾), f_{w,b}(x⁽ⁱ⁾), ŷ⁽ⁱ⁾) read as σ(θᵀx⁽ⁱ⁾) when the cost is its
    cross-entropy, θᵀx⁽ⁱ⁾ when it is its squared error (with w and b: wᵀx⁽ⁱ⁾ + b), and the note that says so;
    None for any other use (the caller refuses it as before).

    >>> value, note = _implied_prediction(r"\frac{1}{2m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})^2", _PLACEHOLDER)
    >>> value
    Sum((-y[i] + Sum(theta[k]*x[i, k], (k, 0, n)))**2, (i, 1, m))/(2*m)
    >>> _implied_prediction(r"\frac{1}{m}\sum_{i=1}^m e^{h_\theta(x^{(i)})}", _PLACEHOLDER) is None
    True
    """
    name = _MODEL_NAMES.search(text)
    if name is None:
        return None
    row = abbreviation("h", (i,), _P[i], *_H_SPELLED)
    one = abbreviation("h", (), _P0, "h_θ(x)", r"h_\theta(x)")
    try:
        value = parse_latex(text, replace(context, hypothesis=row, example_hypothesis=one))
    except ParseError:
        return None
    if isinstance(value, sp.MatrixExpr) or not isinstance(value, sp.Expr):
        return None
    value = expand_abbreviations(value)
    kind = _pairing(value)
    if kind is None:
        return None
    latex_form, unicode_form, model, cost = _IMPLIED[kind]
    weights = context.weights and not context.whole_w
    linear = (r"\mathbf{w}^T\mathbf{x} + b", "wᵀx + b") if weights else (r"\theta^T x", "θᵀx")
    if context.weights and context.whole_w:
        linear = (r"\mathbf{w}^T\mathbf{x}", "wᵀx")
    body = _model_body(latex_form.format(linear[0]), context, name.group())
    one_body = body.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == x and len(e.indices) == 2, lambda e: x[e.indices[1]]
    )
    value = value.xreplace({_P[i]: body, _P0: one_body})
    spelled, define = _spelled(name.group())
    role = "hypothesis" if spelled.startswith("h") else "prediction" if spelled == "ŷ" else "model"
    note = (
        f"{spelled} is not defined in the cost: read as {unicode_form.format(linear[1])}, the {role} of {model} "
        f"(its cost is {cost}); define it beside the cost (, \\quad {define} = …) to use another"
    )
    return value, note


def _spelled(name: str) -> tuple[str, str]:
    r"""The prediction as the note names it: in Unicode, and in LaTeX to define it (h_θ(x), h_\theta(x))."""
    if name.startswith("\\hat"):
        return "ŷ", r"\hat{y}"
    if name.startswith("h"):
        return "h_θ(x)", r"h_\theta(x)"
    sub = re.sub(r"\\(mathbf|boldsymbol|vec)\s*", "", name[2:]).replace("\\theta", "θ").replace(" ", "")
    sub = sub.strip("{}").replace("{", "").replace("}", "")
    spelled = f"f_{{{sub}}}(x)" if len(sub) > 1 else f"f_{sub}(x)"
    return spelled, name.strip() + (r"(\mathbf{x})" if "mathbf" in name else "(x)")


def _pairing(value: sp.Expr) -> str | None:
    """ "logistic" when the cost uses its placeholder prediction p only as c·Σᵢ [y log p + (1 − y) log(1 − p)] (or for
    one example c·[…]), "linear" when only as c·Σᵢ (p − y)², c free of everything but m; else None."""
    rows, ones = value.has(_P), value.has(_P0)
    if rows == ones:  # neither, or both h_θ(x⁽ⁱ⁾) and h_θ(x)
        return None
    placeholder, label = (_P[i], y[i]) if rows else (_P0, y_example)
    if rows and any(a.base == _P and a.indices != (i,) for a in value.atoms(sp.Indexed)):
        return None
    summand = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(value, deep=False)):
        if not term.has(placeholder):
            continue  # a penalty beside the loss
        if ones:
            summand += term
            continue
        inside = [f for f in sp.Mul.make_args(term) if f.has(placeholder)]
        if len(inside) != 1 or not isinstance(inside[0], sp.Sum) or inside[0].limits != (EXAMPLES,):
            return None
        summand += (term / inside[0]) * inside[0].function
    p, label_y, log_p, log_q = sp.Dummy("p"), sp.Dummy("y"), sp.Dummy("lp"), sp.Dummy("lq")
    summand = summand.xreplace({placeholder: p, label: label_y})
    if summand.free_symbols - {p, label_y, m} or summand.atoms(sp.Indexed):
        return None
    pairs = (
        ("logistic", label_y * log_p + (1 - label_y) * log_q, {sp.log(p): log_p, sp.log(1 - p): log_q}),
        ("linear", (p - label_y) ** 2, {}),
    )
    for kind, form, logs in pairs:
        scale = sp.cancel(sp.expand(summand).xreplace(logs) / sp.expand(form))
        if scale != 0 and scale.free_symbols <= {m} and not scale.has(sp.log):
            return kind
    return None


def _examples_by_i(cost: sp.Basic) -> sp.Basic:
    """A sum over all the examples by another letter (Σ_{t=1}^m, ``for j in range(m)``) written over i, as the
    notation's rules expect (a sum over j would capture the j of ∂/∂θ_j)."""

    def renamed(s: sp.Sum) -> sp.Sum:
        (var, low, high), *rest = s.limits
        return sp.Sum(s.function.xreplace({var: i}), (i, low, high), *rest)

    return cost.replace(
        lambda e: (
            isinstance(e, sp.Sum)
            and tuple(e.limits[0][1:]) in (EXAMPLES[1:], ZERO_BASED[1:])
            and e.limits[0][0] != i
            and not e.function.has(i)
            and i not in {lim[0] for lim in e.limits}
        ),
        renamed,
    )


def _python_definitions(text: str) -> tuple[str, dict[str, sp.Basic]]:
    """``h = sigmoid(X @ theta); J = -np.mean(y*np.log(h) + (1-y)*np.log(1-h))``: the cost line (the last; the lines
    before it blanked, positions kept) and the names the lines before it define, read in matrix form."""
    cuts = [match.end() for match in re.finditer(r";|\n", text)]
    if not cuts or not text[cuts[-1] :].strip():
        return text, {}
    named: dict[str, sp.Basic] = {}
    for start, end in zip([0, *cuts[:-1]], cuts, strict=True):
        line = text[start : end - 1]
        if not line.strip():
            continue
        found = re.fullmatch(r"\s*([A-Za-z_]\w*)\s*=(?!=)(.+)", line)
        if found is None or found.group(1) in _MATRIX_NAMES:
            raise CostError(f"a line before the cost defines a name: h = sigmoid(X @ theta); not '{line.strip()}'")
        try:
            named[found.group(1)] = read_expr(found.group(2), {**_MATRIX_NAMES, **named}, numpy_vectors=True)
        except ParseError as error:
            raise CostError(f"cannot read {found.group(1)} = …: {error}") from None
    return " " * cuts[-1] + text[cuts[-1] :], named


def _read_python(text: str, named: dict[str, sp.Basic] | None = None) -> sp.Basic:
    """Index form (``x[i, k]``, ``Sum``) first; else NumPy's matrix form (``X @ theta``, ``np.mean``, ``x[i]``), with
    the ``named`` parts the text defined before the cost."""
    if not named:
        try:
            return read_expr(text, index_names())
        except ParseError as error:
            by_index = error
    else:
        by_index = None
    names = {**_MATRIX_NAMES, **(named or {})}
    if re.search(r"\bw\b", text) and not re.search(r"\bb\b", text):  # X @ w with no b: w is θ, bias included
        names.setdefault("w", names["theta"])
    try:
        return read_expr(text, names, numpy_vectors=True)
    except ParseError as error:
        matrix = by_index is None or guess_kind(text) == "matrix" or _MATRIX_SPELLING.search(text)
        raise error if matrix else by_index from None


def _check_names(cost: sp.Expr, reading: str | None = None, written: str = "") -> None:
    one_x = any(a.base == x and len(a.indices) == 1 for a in cost.atoms(sp.Indexed))
    bare_y = y_example in cost.replace(lambda e: isinstance(e, sp.Indexed), lambda e: sp.S.One).free_symbols
    weights = {a.base.label for a in cost.atoms(sp.Indexed) if _example_weight(a)}  # w⁽ⁱ⁾'s label, not a name
    free = {str(s) for s in cost.free_symbols if isinstance(s, sp.Symbol) and s not in weights}
    free |= {str(a.base.label) for a in cost.atoms(sp.Indexed) if not _example_weight(a)}
    for s in cost.atoms(sp.Sum):
        for index, low, high in s.limits:
            if index == i and (low, high) != EXAMPLES[1:]:
                raise CostError(
                    f"the sum over i runs from {low} to {high}: a cost sums over all the examples, "
                    "\\sum_{i=1}^{m} in LaTeX, Sum(…, (i, 0, m-1)) in Python"
                )
    for index, word in (("i", "sum over the examples: \\sum_{i=1}^{m}"), ("j", "write θᵀx⁽ⁱ⁾ or sum over j")):
        if index in free:
            raise CostError(f"the cost has a free {index}: a cost is a number, {word}")
    loose = sorted(free & _BOUND)
    per_example = [
        str(a.base.label) for a in cost.atoms(sp.Indexed) if a.indices == (i,) and str(a.base.label) in loose
    ]
    if per_example:  # a_i inside Σ_i (tester 15 L09): a weight per example, read when written w^{(i)}
        name = per_example[0]
        raise CostError(
            f"the cost has {name}_i inside the sum over the examples: if it is example i's weight, write it "
            f"w^{{(i)}} (a positive weight per example, drawn for the check), in the cost and in the gradient"
        )
    if loose:
        raise CostError(f"the cost has a free {loose[0]}: a cost is a number, sum over it (\\sum_{{{loose[0]}=…}})")
    unknown = sorted(free - _NAMES - _BOUND)
    if unknown:
        raise CostError(
            f"unknown name(s) {', '.join(unknown)} in the cost: {_CONSTANTS}{_defined_beside(unknown, written)}"
        )
    if cost.has(theta) and cost.has(W):
        raise CostError("the cost depends on θ and on W: write it over one parameter, θ_j or W_jc")
    if not cost.has(theta) and not cost.has(W):
        raise CostError("the cost does not depend on θ: write θ_j or θᵀx⁽ⁱ⁾ in it (W_jc for classes)")
    if one_x or bare_y:  # ½(θᵀx − y)²: the loss of one example, x and y without (i)
        raise OneExampleLossError(
            "this is the loss of one example (x and y without (i)): a cost sums it over the examples, "
            r"\frac{1}{m}\sum_{i=1}^m \ell(\theta; x^{(i)}, y^{(i)}) (`derivation show --cost` derives it per example)",
            cost,
            reading,
        )


def _example_weight(a: sp.Indexed) -> bool:
    """w⁽ⁱ⁾ of a weighted cost Σ_i w⁽ⁱ⁾ℓ_i: example i's weight, positive data the oracle draws (parsing.atoms)."""
    return str(a.base.label) == "w" and bool(a.base.is_positive) and len(a.indices) == 1


def uses_example_weights(model) -> bool:
    """Whether ``model``'s cost weighs its examples (Σ w⁽ⁱ⁾ℓᵢ): its counterexample then shows w⁽ⁱ⁾."""
    form = getattr(model, "forms", {}).get("sum")
    cost = getattr(form, "cost", None)
    return isinstance(cost, sp.Basic) and any(_example_weight(a) for a in cost.atoms(sp.Indexed))


def parameter_of(cost: sp.Expr) -> sp.Indexed:
    """What a cost is differentiated by: θ_j, or W_jc for a cost over the weight matrix of K classes.

    >>> parameter_of(read_cost("Sum(Sum(W[k, a]**2, (k, 0, n)), (a, 0, K-1))", latex=False))
    W[j, c]
    """
    return W[j, c] if cost.has(W) else theta[j]


def zero_based(expr: sp.Basic) -> sp.Basic:
    """The sum form with its examples (and classes) numbered from 0, as the evaluator numbers rows and columns."""
    return zero_based_classes(
        expr.replace(
            lambda e: isinstance(e, sp.Sum) and EXAMPLES in e.limits,
            lambda e: sp.Sum(e.function, *(ZERO_BASED if lim == EXAMPLES else lim for lim in e.limits)),
        )
    )


def check_size(cost: sp.Expr) -> None:
    """The bounds ``derive`` enforces (nesting, size, terms of a sum), before any rule runs."""
    wrt = parameter_of(cost)
    too_much = check_derivative(cost, lambda node: depends_on(node, wrt), "θ_j" if wrt.base == theta else "W_jc")
    if too_much is not None:
        raise CostError(too_much)


# --- which labels the data needs ------------------------------------------------------------


def infer_labels(cost: sp.Expr) -> str:
    r"""The labels a cost's data needs: "01", "pm1", "counts", "positive", "prob" or "real" (see :data:`LABELS`).

    >>> infer_labels(read_cost(r"\sum_{i=1}^m (e^{\theta^T x^{(i)}} - y^{(i)}\theta^T x^{(i)})"))
    'counts'
    >>> infer_labels(read_cost(r"\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2"))
    'real'
    >>> infer_labels(read_cost(r"\sum_i (y^{(i)}\log\frac{y^{(i)}}{e^{\theta^T x^{(i)}}} + e^{\theta^T x^{(i)}})"))
    'positive'
    >>> infer_labels(read_cost(r"\sum_i (y^{(i)}\log y^{(i)} + (1 - y^{(i)})\log(1 - y^{(i)}) - \theta^T x^{(i)})"))
    'prob'
    """
    ys = [a for a in cost.atoms(sp.Indexed) if a.base == y]
    if not ys:
        return "real"
    if any(len(a.indices) == 2 for a in ys) or cost.has(W):
        return "onehot"
    logs = [f.args[0] for f in cost.atoms(sp.log)]
    if any(_label_under(arg) for arg in logs):  # y log(y/μ), log(y e^{−η}): y > 0; with log(1 − y) too: 0 < y < 1
        return "prob" if any(_label_under(arg, _one_minus_label) for arg in logs) else "positive"
    if _label_made(cost, sp.Rational(1, 2), sp.Rational(1, 2)):  # (1 + y)/2, (1 − y)/2: a 0/1 label made of y = ±1
        return "pm1"
    if _label_made(cost, 2, 1, with_theta=True):  # (2y − 1)θᵀx: a ±1 label made of y ∈ {0, 1}
        return "01"
    if cost.has(sp.log) and any(_one_minus_label(a) for a in cost.atoms(sp.Add)):
        return "01"
    if any(_label_times_theta(arg) for f in cost.atoms(sp.Function) for arg in f.args):
        return "pm1"
    if cost.atoms(sp.exp) and any(a.has(theta) for a in cost.atoms(sp.exp)) and _label_times_theta(cost):
        return "counts"
    return "real"


def _label_under(arg: sp.Basic, is_label=None) -> bool:
    """y⁽ⁱ⁾ as a factor of ``arg`` (log y, log(y/μ), log(y e^{−η})): the log is a number only for y > 0.

    Not log(1 + (u − y)²) nor log(1 + e^{−yθᵀx}), defined for every y.  ``is_label`` names the factor looked
    for instead of y⁽ⁱ⁾ (1 − y⁽ⁱ⁾: log(1 − y), log((1 − y)/(1 − σ)), defined for y < 1).
    """
    factors = arg.args if isinstance(arg, sp.Mul) else (arg,)
    # y² (an even power) is positive for every y ≠ 0: real labels test a log(y²) cost where it is defined
    bases = [f.base if isinstance(f, sp.Pow) and not (f.exp.is_integer and f.exp.is_even) else f for f in factors]
    if is_label is not None:
        return any(isinstance(b, sp.Add) and is_label(b) for b in bases)
    return any(isinstance(b, sp.Indexed) and b.base == y for b in bases)


def _label_made(cost: sp.Basic, q_size, p_size, with_theta: bool = False) -> bool:
    """Whether ``cost`` writes a label p + q·y⁽ⁱ⁾ with |q| = ``q_size``, |p| = ``p_size``: (1 ± y)/2 (1/2, 1/2: y = ±1
    made 0/1; also (1 ± y)·(1/2) when SymPy keeps the half outside) or ±(2y − 1) (2, 1: y ∈ {0, 1} made ±1).
    ``with_theta``: only as a factor of a product with θ in it ((2y − 1)θᵀx)."""
    half = sp.Rational(1, 2)
    for label in (a for a in cost.atoms(sp.Indexed) if a.base == y):
        for add in cost.atoms(sp.Add):
            q = add.coeff(label)
            rest = sp.expand(add - q * label)
            if not (q.is_Number and rest.is_Number):
                continue
            found = abs(q) == q_size and abs(rest) == p_size
            halved = q_size == half == p_size and abs(q) == 1 == abs(rest) and _factor_of(cost, add, half)
            if found or halved:
                if not with_theta or _factor_of(cost, add, theta):
                    return True
    return False


def _factor_of(cost: sp.Basic, add: sp.Add, other) -> bool:
    """``add`` a factor of a product in ``cost`` with ``other`` (a number: that factor; θ: a factor in θ) beside it."""
    for mul in cost.atoms(sp.Mul):
        if add in mul.args:
            rest = [f for f in mul.args if f != add]
            if (other in rest) if isinstance(other, sp.Number) else any(f.has(other) for f in rest):
                return True
    return False


def _one_minus_label(add: sp.Add) -> bool:
    """1 − y⁽ⁱ⁾ (or y⁽ⁱ⁾ − 1)."""
    terms = set(add.args)
    return any({sp.S.One, -a} == terms or {-sp.S.One, a} == terms for a in add.atoms(sp.Indexed) if a.base == y)


def _label_times_theta(expr: sp.Basic) -> bool:
    """Some product y⁽ⁱ⁾ · (something in θ) in ``expr``."""
    for mul in [expr, *expr.atoms(sp.Mul)]:
        if isinstance(mul, sp.Mul):
            factors = mul.args
            if any(isinstance(f, sp.Indexed) and f.base == y for f in factors) and any(f.has(theta) for f in factors):
                return True
    return False


def labels_note(labels: str, inferred: bool) -> str:
    """What the report says of the labels: which, and why (or that the user chose them)."""
    why = _WHY[labels] if inferred else "as asked (--labels)"
    return f"data sampled with {LABELS[labels]}: {why}"


__all__ = [
    "ZERO_BASED",
    "CostError",
    "OneExampleLossError",
    "WrittenCost",
    "check_size",
    "defined_hypothesis",
    "infer_labels",
    "labels_note",
    "parameter_of",
    "read_cost",
    "read_written_cost",
    "zero_based",
]
