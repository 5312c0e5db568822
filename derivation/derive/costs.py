r"""A cost you write is a model: its gradient derived by the engine and checked before it is used.

:func:`model_from_cost` reads a cost (:mod:`derivation.models.costs`) and builds a
:class:`~derivation.core.models.Model` from it: the sum form with the goal ∂J/∂θ_j; the gradient
our engine derives, in matrix form when its vectorise step reaches one, else in sum form; the
cost in matrix form when it has one, else in sum form; and the kind of labels its data needs.

The engine's own gradient is not an independent answer, so nothing here is trusted unchecked:
each form is compared numerically with central differences of the cost itself before it is
used, and :func:`~derivation.derive.api.derive_model` checks a cost model against ``sympy.diff``
of the cost and finite differences (never against the engine's result).

Forms kept for the numeric checks are in *sum form with rows from 0* (Σ_{i=0}^{m−1}): the rows of
the data are numbered from 0 where they are evaluated; renumbering the examples of a sum over all
of them does not change its value.

>>> model = model_from_cost(r"\frac{1}{m}\sum_{i=1}^m \log(1+e^{-y^{(i)}\theta^T x^{(i)}})")
>>> model.labels, model.matrix_gradient is not None
('pm1', True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import sympy as sp

from ..core.catalog import LABELS
from ..core.dependence import depends_on
from ..core.functions import softplus
from ..core.models import cost_model
from ..core.notation import E0, EXAMPLES, FEATURES, K, Theta, W, c, i, j, m, n, theta, x, y
from ..core.steps import Derivation
from ..models.costs import (
    CostError,
    OneExampleLossError,
    check_size,
    infer_labels,
    labels_note,
    parameter_of,
    read_written_cost,
    zero_based,
)
from ..oracle.datasets import Evaluator, make_datasets
from ..oracle.numbers import EvalError
from ..parsing import parse_latex
from ..parsing.latex import LatexContext, beta_as_theta
from ..printing.expr import to_unicode
from . import engine
from .vectorise import NoMatrixFormError, column_of, vectorise_cost


@dataclass(frozen=True)
class CostForms:
    """What the engine and the numeric checks made of a cost (before it becomes a Model)."""

    cost: sp.Expr  # as read, examples i = 1..m
    variable: sp.Indexed  # θ_j, or W_jc for a cost over the classes' weight matrix
    labels: str
    labels_note: str  # which labels, and why
    gradient: sp.Expr  # the engine's sum form (examples 1..m), for show
    matrix_cost: sp.Basic  # a 1×1 matrix expression, or the sum form with rows from 0
    matrix_gradient: sp.Basic  # an (n+1)×1 matrix expression, or the sum form (free j) with rows from 0
    vectorised: bool  # both matrix forms are matrices: a kernel can be generated


# --- forms: derived, vectorised, and checked against the cost itself -------------------------


def cost_forms(cost: sp.Expr, labels: str | None = None, *, seed: int = 0) -> CostForms:
    """The engine's gradient of ``cost`` (matrix form when reached) and the matrix cost, each checked numerically.

    >>> from derivation.core.notation import inner
    >>> forms = cost_forms(sp.Sum((inner(i) - y[i]) ** 2, EXAMPLES) / (2 * m))
    >>> forms.vectorised, forms.labels
    (True, 'real')
    """

    inferred = infer_labels(cost)
    chosen = labels if labels is not None else inferred
    if chosen not in LABELS:
        raise CostError(f"unknown labels {chosen!r}: write one of {', '.join(LABELS)}")
    variable = parameter_of(cost)
    derivation = engine.derive(cost, variable, index_range=(FEATURES[1], FEATURES[2]), vectorise=vectorise_cost)
    steps = derivation.steps
    last = steps[-1]
    sum_form = steps[-2].expr if last.rule == "vectorise" and len(steps) > 1 else derivation.result
    if last.rule == "stopped" or sum_form.has(sp.Derivative):
        raise CostError("our rules could not finish this derivative; `derivation derive` shows how far they got")
    data = _datasets(chosen, seed)
    index_cost = zero_based(cost)
    index_gradient = zero_based(sum_form)
    varying = zero_based(_varying_part(cost, variable))  # what the central differences need
    _require_defined(index_cost, data, chosen, inferred)
    why = _misfit(index_gradient, varying, data, variable)
    if why is not None:  # never used unchecked: the engine's result is not its own judge
        raise CostError(f"our derivative of this cost is not usable: {why}; please report it")
    gradient = index_gradient
    if last.rule == "vectorise" and _misfit(last.expr.args[0], varying, data, variable) is None:
        gradient = last.expr.args[0]
    matrix_cost = _matrix_cost(cost) if variable.base == theta else None
    if matrix_cost is None or not _same_value(matrix_cost, index_cost, data):
        matrix_cost = index_cost
    if variable.base == W and not isinstance(gradient, sp.MatrixExpr):
        # no matrix form reached: the sum form entry by entry, so the checks can evaluate ∂J/∂W whole
        gradient = sp.FunctionMatrix(n + 1, K, sp.Lambda((j, c), gradient))
    vectorised = isinstance(gradient, sp.MatrixExpr) and isinstance(matrix_cost, sp.MatrixExpr)
    note = labels_note(chosen, labels is None)
    return CostForms(cost, variable, chosen, note, sum_form, matrix_cost, gradient, vectorised)


def _varying_part(cost: sp.Expr, variable: sp.Indexed) -> sp.Expr:
    """``cost`` without its terms free of the parameter, inside sums and constant factors too: a constant such as
    the Poisson likelihood's log y⁽ⁱ⁾! (log Γ(y + 1), which NumPy lacks) changes no central difference.

    >>> t, y0 = sp.IndexedBase("theta")[0], sp.IndexedBase("y")[0]
    >>> _varying_part(sp.exp(t) - y0 * t + sp.log(sp.gamma(y0 + 1)), t)
    exp(theta[0]) - theta[0]*y[0]
    """
    if isinstance(cost, sp.Add):
        kept = [t for t in cost.args if depends_on(t, variable)]
        return sp.Add(*(_varying_part(t, variable) for t in kept)) if kept else cost
    if isinstance(cost, sp.Sum):
        return sp.Sum(_varying_part(cost.function, variable), *cost.limits)
    if isinstance(cost, sp.Mul):
        varying = [f for f in cost.args if depends_on(f, variable)]
        if len(varying) == 1:  # c·(u + const): only through a constant factor is a constant term additive
            others = [f for f in cost.args if f is not varying[0]]
            return sp.Mul(*others, _varying_part(varying[0], variable))
    return cost


def _datasets(labels: str, seed: int):
    class _Labels:  # make_datasets needs only the labels
        pass

    stub = _Labels()
    stub.labels = labels  # type: ignore[attr-defined]
    stub.matrix_cost = None  # type: ignore[attr-defined]
    return make_datasets(stub, seed, ((4, 2), (6, 3)))


def _value(expr: sp.Basic, data, parameter: tuple[str, np.ndarray] | None = None) -> np.ndarray:
    overrides = None if parameter is None else dict([parameter])
    return np.asarray(Evaluator(data, overrides=overrides).value(expr), dtype=float).reshape(-1)


def _require_defined(index_cost: sp.Expr, datasets, labels: str, inferred: str) -> None:
    """A CostError in the user's terms when the cost is no finite number on the sampled data (log y at y = 0)."""
    for d in datasets:
        try:
            with np.errstate(all="ignore"):
                value = _value(index_cost, d)
        except (EvalError, TypeError, ValueError, KeyError, NotImplementedError):
            return  # the checks below say what cannot be evaluated
        if not np.all(np.isfinite(value)):
            hint = (
                f"with --labels {inferred} ({LABELS[inferred]}) it is"
                if inferred != labels
                else "write it where it is defined (a logarithm of a positive number)"
            )
            raise CostError(
                f"the cost is not a finite number on data with {LABELS[labels]} (y = {d.y.tolist()}): {hint}"
            )


def _misfit(gradient: sp.Basic, index_cost: sp.Expr, datasets, variable: sp.Indexed = theta[j]) -> str | None:
    """Why ``gradient`` is not the cost's gradient on the data (None when it equals central differences).

    Over W the sum form is evaluated one class c at a time (the evaluator leaves only i and j free), a matrix
    form whole; both are compared with central differences in every entry of W.
    """
    rtol = 1e-5
    with np.errstate(all="ignore"):  # a non-finite number is reported in words, not warned about
        try:
            for d in datasets:
                name, base = ("W", d.W) if variable.base == W else ("theta", d.theta.reshape(-1, 1))
                got = _gradient_value(gradient, d, variable)
                fd = np.empty(base.shape)
                for entry in np.ndindex(base.shape):
                    h = 1e-6 * max(1.0, abs(float(base[entry])))
                    step = np.zeros_like(base)
                    step[entry] = h
                    up, down = (_value(index_cost, d, (name, base + s))[0] for s in (step, -step))
                    fd[entry] = (up - down) / (2 * h)
                if got.shape != fd.shape or not np.all(np.isfinite(got)):
                    return "it is not a finite number on sampled data"
                if not np.allclose(got, fd, rtol=rtol, atol=rtol * max(1.0, float(np.max(np.abs(fd))))):
                    return "it disagrees with finite differences of the cost"
        except (EvalError, TypeError, ValueError, KeyError, NotImplementedError) as error:
            return f"it cannot be evaluated on sampled data ({error})"
    return None


def _gradient_value(gradient: sp.Basic, data, variable: sp.Indexed) -> np.ndarray:
    """The gradient on ``data`` in the parameter's shape: (n+1, 1) for θ, (n+1, K) for W."""
    if variable.base != W:
        return _value(gradient, data).reshape(-1, 1)
    if isinstance(gradient, sp.MatrixExpr):
        return np.asarray(Evaluator(data).value(gradient), dtype=float).reshape(data.p, data.K)
    return np.stack([_value(gradient.subs(c, cls), data) for cls in range(data.K)], axis=1)


def _same_value(a: sp.Basic, b: sp.Basic, datasets) -> bool:
    try:
        return all(np.allclose(_value(a, d), _value(b, d), rtol=1e-10, atol=1e-12) for d in datasets)
    except (EvalError, TypeError, ValueError, KeyError, NotImplementedError):
        return False


def _matrix_cost(cost: sp.Expr) -> sp.MatrixExpr | None:
    """The cost as a 1×1 matrix expression: c·Σ_i f⁽ⁱ⁾ → c·1ᵀf(…), Σ_k θ_k² → θᵀθ (θᵀ(I − e₀e₀ᵀ)θ from k = 1)."""

    cost = cost.replace(  # log(1 + e^u) = softplus(u): its kernel never overflows
        lambda e: isinstance(e, sp.log) and _one_plus_exp(e.args[0]) is not None,
        lambda e: softplus(_one_plus_exp(e.args[0])),
    )
    pieces = []
    try:
        for term in sp.Add.make_args(sp.expand(cost, deep=False)):
            coeff, rest = term.as_independent(theta, x, y, as_Add=False)
            if isinstance(rest, sp.Sum) and rest.limits == (EXAMPLES,):
                body = rest.function
                if isinstance(body, sp.Pow) and body.exp == 2:  # Σ_i r_i² = rᵀr
                    r = column_of(body.base, i)
                    pieces.append(coeff * r.T * r)
                else:
                    pieces.append(coeff * sp.OneMatrix(m, 1).T * column_of(body, i))
            elif isinstance(rest, sp.Sum) and len(rest.limits) == 1:
                index, low, high = rest.limits[0]
                if rest.function != theta[index] ** 2 or high != n or low not in (0, 1):
                    return None
                mask = sp.Identity(n + 1) - E0 * E0.T if low == 1 else sp.Identity(n + 1)
                pieces.append(coeff * Theta.T * mask * Theta if low == 1 else coeff * Theta.T * Theta)
            else:
                return None
    except NoMatrixFormError:
        return None
    return pieces[0] if len(pieces) == 1 else sp.MatAdd(*pieces)


def _one_plus_exp(arg: sp.Expr) -> sp.Expr | None:
    """u when ``arg`` is 1 + e^u."""
    terms = sp.Add.make_args(arg)
    if len(terms) == 2 and sp.S.One in terms:
        other = terms[0] if terms[1] == sp.S.One else terms[1]
        if isinstance(other, sp.exp):
            return other.args[0]
    return None


_WRT = {
    **dict.fromkeys(("theta", r"\theta", "θ", "theta[j]", r"\theta_j", "θ_j"), "theta"),
    **dict.fromkeys(("W", "w", "W[j,c]", "W_{jc}", "W_{j,c}", "W_jc"), "W"),
}
_WEIGHTS_VECTOR = frozenset(("w", r"\mathbf{w}", "w[j]", "w_j", r"\mathbf{w}_j", r"\boldsymbol{w}"))
_SPELLED = {"theta": "θ", "W": "the weight matrix W"}
_WB = re.compile(r"(?<![A-Za-z\\])b(?![A-Za-z])")  # b, the bias: the loss is over w and b, read as θ
_W = re.compile(r"(?<![A-Za-z\\])w(?![A-Za-z])")  # w and no b: w is all of θ


# --- the model --------------------------------------------------------------------------------


def model_from_cost(
    text: str,
    wrt: str = "theta",
    *,
    latex: bool = True,
    name: str | None = None,
    labels: str | None = None,
    title: str | None = None,
):
    r"""The :class:`~derivation.core.models.Model` of the cost in ``text`` (LaTeX; Python syntax with ``latex=False``).

    What the text leaves unsaid and was read (an undefined h_θ: :func:`derive_cost`) follows the text in the model's
    summary, which the generated kernel's docstring repeats.

    >>> model = model_from_cost("Sum(exp(Sum(theta[k]*x[i,k], (k,0,n))) - y[i]*Sum(theta[k]*x[i,k], (k,0,n)),"
    ...                         " (i, 0, m-1))/m", latex=False)
    >>> model.labels, model.matrix_gradient
    ('counts', 1/m*X.T*(Lambda(u, exp(u)).(X*theta) - y))
    """
    return _model_and_reading(text, wrt, latex=latex, name=name, labels=labels, title=title)[0]


# y = mx + c (tester 14 L14): --wrt m or c names the line's slope m and intercept c (or b) as the parameters; the
# points x_i, y_i are the examples and n their number. Read as θ_1 (the slope) and θ_0 (the intercept), one feature.
_LINE_NAMES = ("m", "c", "b")
_SLOPE_TIMES_X = re.compile(r"(?<![A-Za-z\\])m\s*(?:\\cdot\s*|\\times\s*)?x")
_SLOPE = re.compile(r"(?<![A-Za-z\\])m(?![A-Za-wyzA-Z])")  # m alone, or before x (mx_i)
_INTERCEPTS = {letter: re.compile(rf"(?<![A-Za-z\\]){letter}(?![A-Za-z])") for letter in ("c", "b")}
_POINT = re.compile(r"(?<![A-Za-z\\])([xy])_\s*(?:i|\{\s*i\s*\})(?![A-Za-z])")  # x_i, y_{i}: point i
_M_COUNTS = re.compile(r"\^\s*\{?\s*m(?![A-Za-z])|\{\s*[0-9]*\s*m\s*\}")  # Σ^m, \frac{1}{m}: m the count
LINE_NOTE = "read the line mx + {c} with m = θ_1 (the slope) and {c} = θ_0 (the intercept), x_i, y_i as point i"
THROUGH_ORIGIN_NOTE = "read the line mx with m = θ_1 (the slope) and no intercept, x_i, y_i as point i"
_LINE_WORDS = (
    "--wrt {wrt}: in a cost m is the number of examples, so the line y = mx + c is not read with m and c as its "
    "parameters: write them θ_1 (the slope) and θ_0 (the intercept), the examples with (i), e.g. --cost "
    "'\\sum_{{i=1}}^n (y^{{(i)}} - (\\theta_1 x^{{(i)}} + \\theta_0))^2' and the gradient "
    "'\\frac{{\\partial J}}{{\\partial \\theta_1}} = ...' (\\theta_0 for c), with no --wrt"
)


def line_intercept(text: str) -> str | None:
    r"""The intercept's letter (c or b) of a cost over the line y = mx + c whose m is the slope, not the number of
    examples (no Σ^m, no \frac{1}{m}); None when the text is not such a line.

    >>> line_intercept(r"\sum_{i=1}^n ( y_i - (mx_i + c) )^2"), line_intercept(r"\frac{1}{m}\sum (y_i - (mx_i + c))^2")
    ('c', None)
    """
    if not _SLOPE_TIMES_X.search(text) or _M_COUNTS.search(text):
        return None
    found = [letter for letter, pattern in _INTERCEPTS.items() if pattern.search(text)]
    if not found:
        return ""  # y = mx: a line through the origin (review 13 F6: it was refused as "m counts the examples")
    return found[0] if len(found) == 1 else None


def as_line(text: str, intercept: str) -> str:
    r"""``text`` with the line's m and ``intercept`` written θ_1 and θ_0 and point i's x_i, y_i written x⁽ⁱ⁾, y⁽ⁱ⁾.

    >>> print(as_line(r"\frac{\partial J}{\partial m} = -2 \sum_{i=1}^n x_i ( y_i - (mx_i + c) )", "c"))
    \frac{\partial J}{\partial \theta_1 } = -2 \sum_{i=1}^n x^{(i)} ( y^{(i)} - (\theta_1 x^{(i)} + \theta_0 ) )
    """
    text = _SLOPE.sub(r"\\theta_1 ", text)  # first: mx_i's x is then a letter of its own
    text = _POINT.sub(lambda found: found.group(1) + "^{(i)}", text)
    return _INTERCEPTS[intercept].sub(r"\\theta_0 ", text) if intercept else text


_BETA = re.compile(r"\\beta(?![A-Za-z])")
_BETA_WRT = frozenset(("beta", r"\beta", "β", "beta[j]", r"\beta_j", "β_j"))
_COLUMN = re.compile(r"\bcol (\d+)")
BETA_NOTE = "β read as θ, the parameters (the text writes no θ)"


def _unshifted(found: re.Match, starts: list[int]) -> str:
    """A column of the text with every \\beta written \\theta, back in the text as written."""
    column = int(found.group(1))
    return f"col {column - sum(1 for k, start in enumerate(starts) if start + k < column)}"


def _model_and_reading(text: str, wrt: str, *, latex: bool, labels: str | None, name=None, title=None):
    """:func:`model_from_cost`, and the note on what was read that the text does not say (None when nothing)."""
    line = latex and wrt.strip() in _LINE_NAMES and _SLOPE_TIMES_X.search(text)
    if line:
        intercept = line_intercept(text)
        if intercept is None or wrt.strip() not in ("m", intercept):
            raise CostError(_LINE_WORDS.format(wrt=wrt.strip()))
        model, reading = _model_and_reading(
            as_line(text, intercept), "theta", latex=True, labels=labels, name=name, title=title
        )
        note = LINE_NOTE.format(c=intercept) if intercept else THROUGH_ORIGIN_NOTE
        reading = note if reading is None else f"{note}; {reading}"
        said = note if model.labels_note is None else f"{note}; {model.labels_note}"
        return replace(model, summary=f"{text}\n{reading}", labels_note=said), reading
    if latex and beta_as_theta(text):  # x_i^T\beta, \beta^T x^{(i)} and no θ (tester 15 L03): β is θ
        starts = [found.start() for found in _BETA.finditer(text)]
        theirs = "theta" if wrt.replace(" ", "") in _BETA_WRT else wrt
        try:
            model, reading = _model_and_reading(
                _BETA.sub(r"\\theta", text), theirs, latex=True, labels=labels, name=name, title=title
            )
        except CostError as error:  # its columns in the user's text: \theta is one character longer than \beta
            raise CostError(_COLUMN.sub(lambda c: _unshifted(c, starts), str(error))) from None
        reading = BETA_NOTE if reading is None else f"{BETA_NOTE}; {reading}"
        said = BETA_NOTE if model.labels_note is None else f"{BETA_NOTE}; {model.labels_note}"
        return replace(model, summary=f"{text}\n{reading}", labels_note=said), reading
    read, written, said = _read_with_clauses(text, latex)
    reading = "; ".join(filter(None, (written.reading, *said))) or None
    _check_wrt(written.cost, wrt)
    check_size(written.cost)
    forms = cost_forms(written.cost, labels)
    if reading is not None:  # said where the model's notes go: the kernel's docstring, check's report
        forms = replace(forms, labels_note=f"{reading}; {forms.labels_note}")
    summary = text if reading is None else f"{text}\n{reading}"
    model = cost_model(forms, name or "your cost", title or "Your cost", read, summary)  # read: the text as read
    return model, reading


# --- what a cost's text says beside the cost: a where-clause z⁽ⁱ⁾ = θᵀx⁽ⁱ⁾, a constant a -----------------------

# a name for a part of example i's loss, defined before or after the cost ("…, \quad z^{(i)} = \theta^T x^{(i)}"):
# a Latin letter (not e, x, y, X, Y, the model's h and f, the indices i, j, m, n) or η, μ, ν, ζ; with (i) or _i
# or y with an accent: ỹ (label smoothing), ŷ, ȳ (tester 12's c21, c40)
_ACCENT = r"\\(?:tilde|widetilde|hat|widehat|bar|overline)"
_NAMED = (
    r"(?P<name>(?<![A-Za-z\\])[a-dgk-lo-wzA-WZ](?![A-Za-z])|\\(?:eta|mu|nu|zeta)(?![A-Za-z])"
    rf"|{_ACCENT}\s*(?:\{{\s*y\s*\}}|y(?![A-Za-z])))"
)
_EXAMPLE = r"\s*(?:\^\s*\{\s*\(\s*i\s*\)\s*\}|_\s*\{\s*i\s*\}|_\s*i(?![A-Za-z]))"
_SEPARATOR = r"(?:,|;|\\\\|\n|\\q?quad|\\text\s*\{\s*(?:where|with|and)\s*\})"
_CLAUSE = re.compile(
    rf"(?P<lead>(?:^|{_SEPARATOR})(?:\s*(?:{_SEPARATOR}|\\[,;: ]))*)\s*{_NAMED}{_EXAMPLE}\s*="
    rf"(?P<body>(?:(?!{_SEPARATOR}).)+?)\s*(?={_SEPARATOR}|$)",
    re.S,
)
_CONSTANT_LETTERS = frozenset("abcdgpqrstuv")  # a lone letter a cost may scale by: read as the constant λ
_FREE = re.compile(r"^(?:the cost has a free (?P<a>\w)\b|unknown name\(s\) (?P<b>\w) in the cost)")


def _read_with_clauses(text: str, latex: bool):
    r"""The text as read (its where-clauses put in, a lone constant letter written λ), the cost, and what was read so.

    >>> _, written, said = _read_with_clauses(r"\frac{1}{m}\sum_{i=1}^m (z^{(i)} - y^{(i)})^2, \quad z^{(i)} = "
    ...                                    r"\theta^T x^{(i)}", True)
    >>> said
    ['z⁽ⁱ⁾ = θᵀx⁽ⁱ⁾ is read as a where-clause: put in the cost for z⁽ⁱ⁾']
    """
    said: list[str] = []
    if latex:
        text = _TILDE_NAME.sub(lambda use: " " * (use.end("name") - use.start() - 1) + use["letter"], text, count=1)
        text, said = _where_clauses(text)
    if latex and bias_outside(text):
        raise CostError(BIAS_OUTSIDE)
    if latex and _B.search(text) and not any(_is_bias(text, use) for use in _B.finditer(text)):
        if "\\lambda" in text:  # b is no bias here, and λ is taken: no letter to read it as
            raise CostError(_NOT_THE_BIAS)
        text = _B.sub(r"\\lambda ", text)  # + b\sum|θ_j|, \frac{b}{2m}: a constant, as a and c are
        said = [*said, _CONSTANT_NOTE.format("b")]
    if latex and _OWN_ZETA.search(text):  # ζ(z) = log(1 + e^{−z}) beside the cost: the user's own ζ, put in
        text, said = own_function(text), [*said, _OWN_ZETA_NOTE]
    if latex and _ZETA_CALL.search(text) and not re.search(_used(r"\zeta") + _EXAMPLE + r"\s*=", text):
        text = _ZETA_CALL.sub(r"\\operatorname{softplus}", text)  # Goodfellow's ζ(x) = log(1 + eˣ)
        said = [*said, _ZETA_NOTE]
    try:
        return text, read_written_cost(text, latex=latex), said
    except CostError as error:
        if latex and _FREE_EPSILON.match(str(error)) and _LONE_LAMBDA.search(text) and "lambda_" not in text:
            text = _EPSILON.sub(r"\\lambda_2 ", _LONE_LAMBDA.sub(r"\\lambda_1 ", text))  # ε beside λ (e10)
            return text, read_written_cost(text, latex=latex), [*said, TWO_CONSTANTS_NOTE]
        if latex and "\\lambda" not in text and _FREE_EPSILON.match(str(error)):  # label smoothing's ε: a constant
            text = _EPSILON.sub(r"\\lambda ", text)
            return text, read_written_cost(text, latex=latex), [*said, _CONSTANT_NOTE.format("ε")]
        found = _FREE.match(str(error)) if latex and "\\lambda" not in text else None
        letter = found and (found.group("a") or found.group("b"))
        if not letter or letter not in _CONSTANT_LETTERS:
            raise
        spelled = re.compile(rf"(?<![A-Za-z\\]){letter}(?![A-Za-z])")
        after = [text[use.end() :].lstrip() for use in spelled.finditer(text)]
        if any(re.match(r"_|\^\s*\{?\s*\(", rest) for rest in after):
            raise  # t^{(i)}, a_j: a letter with an index is data, not a constant
        if all(re.match(r"\(|\\left\s*\(", rest) for rest in after):
            raise  # g(…) and nowhere alone: a function; c(θᵀx − y) beside a 1/c is the constant times a bracket
        text = spelled.sub(r"\\lambda ", text)
        return text, read_written_cost(text, latex=latex), [*said, _CONSTANT_NOTE.format(letter)]


# Bishop's regularised error Ẽ(w) = … named on the left: the cost's name, as E is (k10, k11)
_TILDE_NAME = re.compile(r"^\s*\\(?:wide)?tilde\s*\{\s*(?P<letter>[EJL])\s*(?P<name>\})(?=[^=]*=)")
_FREE_EPSILON = re.compile(r"^unknown name\(s\) (?:var)?epsilon in the cost")
EPSILON = r"\\(?:var)?epsilon(?![A-Za-z])"
_EPSILON = re.compile(EPSILON)
_ZETA_CALL = re.compile(r"\\zeta(?=\s*(?:\\left\s*|\\[bB]igg?l?\s*)?[(\[])")  # ζ(…), ζ\left(…\right)
_ZETA_NOTE = "ζ(u) read as the softplus function log(1 + eᵘ), as Goodfellow et al. write it"
# the user's own ζ(z) = … beside the cost (review 12 F7): its definition put in for every ζ(…), not the softplus
_OWN_ZETA = re.compile(
    rf"(?P<lead>{_SEPARATOR})(?:\s*(?:{_SEPARATOR}|\\[,;: ]))*\s*\\zeta\s*(?:\\left\s*)?\(\s*(?P<var>[a-z])\s*"
    rf"(?:\\right\s*)?\)\s*=(?P<body>(?:(?!{_SEPARATOR}).)+?)\s*(?={_SEPARATOR}|$)",
    re.S,
)
_OWN_ZETA_NOTE = "ζ(…) read as the text defines it beside the cost, not as the softplus"


def own_function(text: str) -> str:
    r"""``text`` with its clause ``\zeta(z) = body`` taken out and every call ζ(u) written (body with z = (u)).

    >>> print(own_function(r"\sum_i \zeta(y_i t), \quad \zeta(z) = \log(1 + e^{-z})"))
    \sum_i \left(\log(1 + e^{-(y_i t)})\right)
    """
    found = _OWN_ZETA.search(text)
    assert found is not None
    body, var = found["body"].strip(), found["var"]
    text = text[: found.start()] + text[found.end() :]
    letter = re.compile(rf"(?<![A-Za-z\\]){var}(?![A-Za-z])")
    out, at = [], 0
    for call in _ZETA_CALL.finditer(text):
        if call.start() < at:
            continue
        start = text.index("(", call.end()) if "(" in text[call.end() : call.end() + 8] else -1
        if start < 0:
            continue
        depth, end = 0, None
        for k in range(start, len(text)):
            depth += {"(": 1, ")": -1}.get(text[k], 0)
            if depth == 0:
                end = k
                break
        if end is None:
            break
        argument = re.sub(r"\\right\s*$", "", text[start + 1 : end]).strip()
        out += [text[at : call.start()], r"\left(", letter.sub(lambda _, put=argument: f"({put})", body), r"\right)"]
        at = end + 1
    return "".join(out) + text[at:]


# label smoothing's ε beside the penalty λ (review 12 e10): two constants, the elastic net's λ_1 and λ_2
_LONE_LAMBDA = re.compile(r"\\lambda(?![A-Za-z])(?!\s*_)")
TWO_CONSTANTS_NOTE = "ε is read as a second constant beside λ: the derivation writes λ as λ_1, ε as λ_2 (both sampled)"
_CONSTANT_NOTE = "{} is read as a constant parameter, as λ is: the derivation writes it λ (sampled as λ)"
# b: the bias only where it is added to a linear form (wᵀx + b, b + θᵀx) or named a parameter (f_{w,b}, J(w, b))
_B = re.compile(r"(?<![A-Za-z\\])b(?![A-Za-z])(?!\s*(_|\^\s*\{?\s*\())")
_LINEAR = re.compile(r"(\\theta|(?<![A-Za-z\\])w|\\mathbf\s*\{\s*w|\\boldsymbol\s*\{\s*w|\\vec\s*\{\s*w).*x", re.S)
_NOT_THE_BIAS = (
    "b is the bias only where it is added to wᵀx or θᵀx (w^T x + b); here it is a constant, and λ is in the cost "
    "too: write a number for it, or fold it into λ"
)


# σ(wᵀx), \sigma\left(θᵀx\right), g(θᵀx): a squashing function of the linear form, as a whole term
_SQUASHED = re.compile(r"^\s*(\\sigma|\\tanh|\\Phi|g|\\operatorname\s*\{\s*sigmoid\s*\})\s*(\\left\s*)?[(\[{]")
BIAS_OUTSIDE = (
    "b is added outside σ (σ(wᵀx) + b): the bias goes inside, σ(w^T x^{(i)} + b); outside it b is no parameter "
    "of the model here: write \\sigma(w^T x^{(i)} + b), or a number for b"
)


def bias_outside(text: str) -> bool:
    r"""Whether ``text`` adds b to σ of a linear form (``\sigma(w^T x^{(i)}) + b``, ``b + \sigma(\theta^T x)``): the
    bias written outside σ, which neither the bias θ₀ (inside σ) nor a constant reads as meant.

    >>> bias_outside(r"\sigma(w^T x^{(i)}) + b - y^{(i)}"), bias_outside(r"\sigma(w^T x^{(i)} + b) - y^{(i)}")
    (True, False)
    """
    for use in _B.finditer(text):
        before, after = text[: use.start()].rstrip(), text[use.end() :].lstrip()
        terms = [_term(before[:-1], -1, keep=True)] if before.endswith(("+", "-")) else []
        terms += [_term(after[1:], 1, keep=True)] if re.match(r"[+-]", after) else []
        if any(_SQUASHED.match(t) and _LINEAR.search(t) for t in terms):
            return True
    return False


def _is_bias(text: str, use: re.Match) -> bool:
    r"""Whether the b at ``use`` is the bias: added to a linear form (``w^T x^{(i)} + b``, ``b + \theta^T x``) or
    named beside w as a parameter (``f_{w,b}``, ``J(w, b)``).

    >>> text = r"\frac{1}{2m}\sum_{i=1}^m (w^T x^{(i)} + b - y^{(i)})^2"
    >>> [_is_bias(text, u) for u in _B.finditer(text)]
    [True]
    >>> text = r"\frac{1}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2 + b\sum_{j=1}^n |\theta_j|"
    >>> [_is_bias(text, u) for u in _B.finditer(text)]
    [False]
    """
    before, after = text[: use.start()].rstrip(), text[use.end() :].lstrip()
    if re.search(r"[{(,]$", before) and re.match(r"[,)}]", after) and re.search(r"w\s*\}?\s*,\s*$", before):
        return True  # f_{w,b}, J(w, b), J(\mathbf{w}, b)
    if before.endswith(("+", "-")) and _LINEAR.search(_term(before[:-1], -1)):
        return True
    return bool(re.match(r"[+-]", after)) and bool(_LINEAR.search(_term(after[1:], 1)))


def _term(text: str, direction: int, keep: bool = False) -> str:
    """The term of ``text`` next to its end (``direction`` −1) or its start (1), up to a + or − outside brackets,
    without what its own brackets hold (``keep``: with it)."""
    depth, out = 0, []
    opening, closing = ("({[", ")}]") if direction > 0 else (")}]", "({[")
    for char in text[::-1] if direction < 0 else text:
        if char in opening:
            depth += 1
        elif char in closing:
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and char in "+-=":
            break
        out.append(char)
    term, before = "".join(out[::-1] if direction < 0 else out), None
    if keep:
        return term
    while term != before:  # σ(wᵀx) + b, (θᵀx − y)² + b: b is added to a bracket, not to the linear form in it
        before, term = term, re.sub(r"\([^()]*\)|\[[^\[\]]*\]", "", term)
    return term


_CONSTANT_READ = re.compile(r"(?:^|; )([a-zε]) is read as a constant parameter, as λ is", re.M)


def renamed_constant(model) -> str | None:
    r"""The letter a cost's model reads as the constant λ (``\frac{1}{c}\log\cosh(c(…))``), or None: a gradient
    of that cost names it the same way, so ``check`` reads it with the same renaming.

    >>> renamed_constant(model_from_cost(r"\frac{a}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2"))
    'a'
    """
    if model.cost_text is None or not model.labels_note:
        return None
    found = _CONSTANT_READ.search(model.labels_note)
    return found.group(1) if found else None


def _where_clauses(text: str) -> tuple[str, list[str]]:
    """``text`` with each definition of a part of example i's loss (z⁽ⁱ⁾ = θᵀx⁽ⁱ⁾) put in for its name, and a note
    for each; ``text`` as it is when it has none."""
    clauses = list(_CLAUSE.finditer(text))
    if not clauses:
        return text, []
    work = list(text)
    for clause in clauses:
        work[clause.start() : clause.end()] = [" "] * (clause.end() - clause.start())
    cost = re.sub(r"^\s*(?:,|;|\\\\)", " ", "".join(work))
    said = []
    for clause in clauses:
        name, body = clause.group("name"), clause.group("body").strip()
        if not body:
            continue
        use = re.compile(_used(name) + _EXAMPLE)
        if not use.search(cost):
            continue
        cost = use.sub(lambda _m, b=body: rf"\left({b}\right)", cost)
        shown = f"{_unicode_name(name)}⁽ⁱ⁾ = {_latex_reading(body)}"
        said.append(f"{shown} is read as a where-clause: put in the cost for {_unicode_name(name)}⁽ⁱ⁾")
    return (cost, said) if said else (text, [])


def _used(name: str) -> str:
    r"""Where a where-clause's ``name`` is used: a Latin letter on its own (not the x of \exp); a command (\mu) after
    anything, \log\mu too; ỹ written \tilde{y} or \tilde y."""
    accent = re.match(_ACCENT, name)
    if accent:
        return re.escape(accent.group()) + r"\s*(?:\{\s*y\s*\}|y(?![A-Za-z]))"
    if name.startswith("\\"):
        return rf"(?<!\\){re.escape(name)}(?![A-Za-z])"
    return rf"(?<![A-Za-z\\]){re.escape(name)}(?![A-Za-z])"


_SMOOTHED = re.compile(rf"\\(?:tilde|widetilde|bar|overline)\s*(?:\{{\s*y\s*\}}|y(?![A-Za-z])){_EXAMPLE}\s*=")


def label_clauses(text: str) -> tuple[str, list[str]] | None:
    r"""A gradient's text with a label it defines beside it (``, \quad \tilde{y}^{(i)} = 0.9y^{(i)} + 0.05``) put in
    where it is used, and the notes; None when it defines none (the statement reader reads ŷ, μ, z itself)."""
    if not _SMOOTHED.search(text):
        return None
    rewritten, said = _where_clauses(text)
    return (rewritten, said) if said else None


def cost_labels(text: str, cost_text: str | None) -> str:
    r"""A gradient's ``text`` with the label clauses its cost defines (``, \quad \tilde{y}^{(i)} = 0.9y^{(i)} + 0.05``)
    that it uses without defining them itself written beside it, so :func:`label_clauses` puts them in: ỹ is the
    cost's ỹ, never y (review 10 R4)."""
    if not cost_text:
        return text
    added = []
    for clause in _CLAUSE.finditer(cost_text):
        name = clause.group("name")
        if not re.match(_ACCENT, name) or not clause.group("body").strip():
            continue
        used = re.compile(_used(name) + _EXAMPLE)
        if used.search(text) and not re.search(_used(name) + _EXAMPLE + r"\s*=", text):
            written = cost_text[clause.start("name") : clause.end("body")]
            if "\\lambda" not in cost_text:  # the cost's ε was read as λ (_read_with_clauses): the same here
                written = _EPSILON.sub(r"\\lambda ", written)
            added.append(written)
    return text + "".join(rf", \quad {clause}" for clause in added)


def _unicode_name(name: str) -> str:
    accent = re.match(_ACCENT, name)
    if accent:
        mark = {"tilde": "\u0303", "hat": "\u0302", "bar": "\u0304", "overline": "\u0304"}
        return "y" + mark[accent.group().removeprefix("\\").removeprefix("wide")]
    return {"\\eta": "η", "\\mu": "μ", "\\nu": "ν", "\\zeta": "ζ"}.get(name, name)


def _latex_reading(body: str) -> str:
    """A where-clause's body as the tool prints it (θᵀx⁽ⁱ⁾), else as written."""
    try:
        return to_unicode(parse_latex(body, LatexContext(cost_notation=True)))
    except Exception:  # the note is a courtesy: the cost itself is read and checked below
        return body


def _check_wrt(cost: sp.Expr, wrt: str) -> None:
    over = "W" if parameter_of(cost).base == W else "theta"
    written = wrt.replace(" ", "")
    if over == "theta" and written in _WEIGHTS_VECTOR:  # J(w) = … ‖w‖²: the reader took the vector w for θ
        return
    if _WRT.get(written) != over:
        raise CostError(f"--wrt {wrt!r}: this cost is a function of {_SPELLED[over]}: write --wrt {over}")


def derive_cost(
    text: str,
    wrt: str = "theta",
    *,
    latex: bool = True,
    labels: str | None = None,
    seed: int = 0,
    hessian: bool = False,
) -> Derivation:
    r"""What ``derivation show --cost`` shows: the derivation of the cost in ``text``, every step checked.

    A cost written in matrix form opens with its reading entry by entry (checked on data).  The loss of one
    example (x and y without (i), as CS229 writes ½(θᵀx − y)²) is derived per example as ``derive --wrt theta[j]``
    does.  What was read that the text does not say (that it is one example's loss, an undefined h_θ read as the
    model its cost goes with) is the title's second line.

    >>> d = derive_cost(r"\frac{1}{2}(\theta^T x - y)^2")
    >>> d.verified, d.title.splitlines()[1][:36]
    (True, 'this is the loss of one example (x a')
    """
    from .api import derive, derive_hessian, derive_model
    from .matrix_reading import with_matrix_reading

    try:
        model, reading = _model_and_reading(text, wrt, latex=latex, labels=labels)
    except OneExampleLossError as loss:
        _check_wrt(loss.loss, wrt)
        if hessian:
            raise CostError(f"{loss}; --hessian takes such a cost") from None
        variable = parameter_of(loss.loss)
        derivation = derive(loss.loss, variable, seed=seed)
        title = f"Your loss of one example: ∂ℓ/∂{to_unicode(variable)}"
        return replace(derivation, title="\n".join(filter(None, [title, loss.reading, _per_example(text)])))
    if hessian:
        derivation = derive_hessian(model, seed=seed)
    else:
        derivation = with_matrix_reading(derive_model(model, seed=seed), model, latex=latex, seed=seed)
    return derivation if reading is None else replace(derivation, title=f"{derivation.title}\n{reading}")


def _per_example(text: str) -> str:
    """The note on a loss of one example: its derivative is per example, and how a cost over m examples uses it."""
    weights = (
        "w_j is θ_j (j ≥ 1) and b is θ₀ below; " if _WB.search(text) else "w is θ below; " if _W.search(text) else ""
    )
    return (
        "this is the loss of one example (x and y without (i)): its derivative is per example; "
        f"{weights}a cost over m examples averages it: (1/m) Σᵢ ∂ℓ(x⁽ⁱ⁾, y⁽ⁱ⁾)/∂θ_j"
    )


__all__ = ["EPSILON", "CostForms", "cost_forms", "cost_labels", "derive_cost", "label_clauses", "model_from_cost"]
