r"""A gradient as users write it in LaTeX: an equation, an update rule, or one line per index.

What users write is rarely a bare right side:

* equations: ``\frac{\partial J(\theta)}{\partial \theta_j} = …``, ``\nabla_\theta J = …``,
  ``\nabla(J)_j = …``, ``grad = …``, ``dw = …`` with ``db = …``, ``\frac{\partial \ell}{\partial \theta_j} = …``;
* update rules: ``\theta_j := \theta_j - \alpha …`` (also ``\leftarrow``, ``\gets``, ``=``, ``+\alpha``
  for ascent, the vector ``\theta := \theta - \alpha …``, ``w := w - \eta\, dw``), inside
  ``\text{repeat until convergence} \{ … \}``;
* cases by index: a ``cases``, ``matrix``, ``array`` or ``align`` block with a line for j = 0 and
  one for j ≥ 1 (``\text{for } j = 1, \dots, n``, ``j \geq 1``, ``(j=0)``), or two update rules.

* notations of the courses and books users learn from: the ML Specialization's ``f_{\mathbf{w},b}(\mathbf{x}^{(i)})``
  with ``\sum_{i=0}^{m-1}`` (examples from 0), Bishop's ``\nabla E(\mathbf{w}) = \sum_{n=1}^{N} (y_n - t_n)
  \boldsymbol\phi_n``, CS229's stochastic rule for one example i (no sum: checked example by example), and a
  cost defined before its gradient (``E(\mathbf{w}) = -\sum_n …``: what ∇E is the gradient of).

:func:`read_gradient` reads the left side of each line (what is differentiated, by what, which
entries), each right side with :func:`~derivation.parsing.latex.parse_latex`, and returns
a :class:`Statement`.  Layout is blanked with spaces, never cut, so every error points into
the text as the user wrote it.  The left sides are read in :mod:`derivation.parsing.left`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import sympy as sp

from ..core.exprtools import bound_apart
from ..core.functions import sigmoid
from ..core.notation import Theta, W_matrix, X, Y, c, i, inner, j, k, m, n, theta, x, y, y_example
from .errors import ParseError
from .latex import LatexContext, beta_as_theta, parse_latex
from .layout import ALL, BIAS, WEIGHTS_SCOPE, Line, blank_layout, lines_of
from .left import _EQUATION, WRITTEN_COST, Left, read_left
from .rows import blank, matching
from .values import WEIGHTS

_COLUMNS = re.compile(  # wᵀX, X(A − Y)ᵀ, (A − Y)ᵀ: one example per column
    r"w\s*\^\s*\{?\s*(T|\\top|\\intercal)\s*\}?\s*(\\mathbf\s*\{\s*)?X|\(\s*[AY]\s*-\s*[AY]\s*\)\s*\^|X\s*\(\s*[AY]"
)
_STEP_SIZES = ("alpha", "eta", "gamma", "epsilon", "mu", "rho", "tau")


@dataclass(frozen=True)
class Piece:
    """One right side: its value, and which entries of the gradient it gives (all, θ₀ only, j ≥ 1 only)."""

    value: sp.Basic
    scope: str  # ALL, BIAS or WEIGHTS_SCOPE
    line: int  # 0-based line of the text where it starts


@dataclass(frozen=True)
class Statement:
    """What a user's LaTeX gradient says: its pieces, and what they are the gradient (or step) of.

    ``target`` is "cost" (∇J), "log-likelihood" (∇ℓ), "negative-log-likelihood" (Murphy's ∇NLL), "descent" (the g
    of θ := θ − α·g) or "ascent" (the g of θ := θ + α·g); ``form`` says how it was written, for the report.
    """

    pieces: tuple[Piece, ...]
    target: str
    form: str
    notes: tuple[str, ...] = ()
    per_example: bool = False  # the pieces hold a free example index i: one example's gradient (a stochastic rule)
    costs: tuple[tuple[str, sp.Basic], ...] = ()  # the costs the text defines (E(w) = …), by their written names
    definitions: tuple[Definition, ...] = ()  # h_θ(x) = …, σ(z) = …: the model as the text defines it
    entry: int | None = None  # θ_1 named on the left (Ng's week 1): one feature, x⁽ⁱ⁾ a number


@dataclass(frozen=True)
class Definition:
    r"""A part of the model the text defines (``\text{where } h_\theta(x) = \theta^T x``), already put into the pieces.

    ``role`` is "hypothesis" (``value`` the prediction for example i, x as ``x[i, k]``), "sigmoid" (``value`` a
    function of ``argument``) or "probabilities" (``value`` P = softmax(XW) as written: a function of no indices,
    a matrix, or of (i, c), one probability); ``shown`` is its left side as written, Greek letters in Unicode, for
    the report.
    """

    role: str
    value: sp.Basic | Callable[..., sp.Basic]
    shown: str
    argument: sp.Symbol | None = None


def read_gradient(text: str, context: LatexContext | None = None, *, classes: bool = False) -> Statement:
    r"""Read a gradient written as an expression, an equation, an update rule or cases by index.

    With ``classes`` the parameter is the weight matrix W (softmax over K classes): ``\frac{\partial J}{\partial W}``,
    ``\nabla_W J``, a class column ``\nabla_{w_k} J`` (its index read as the class c, x⁽ⁱ⁾ as x_j⁽ⁱ⁾) or an entry
    ``\frac{\partial J}{\partial W_{jc}}``; ``P = …``, ``p_c^{(i)} = …`` define the probabilities.

    >>> from derivation.proof.read import model_context
    >>> logistic = model_context("logistic")
    >>> s = read_gradient(r"$$\frac{\partial J(\theta)}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m "
    ...                   r"(h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}.$$", logistic)
    >>> s.target, s.form, s.pieces[0].value
    ('cost', 'equation', Sum((h(i) - y[i])*x[i, j], (i, 1, m))/m)
    >>> ascent = r"\theta_j := \theta_j + \alpha \sum_{i=1}^m (y^{(i)} - h_\theta(x^{(i)})) x_j^{(i)}"
    >>> s = read_gradient(ascent, logistic)
    >>> s.target, s.pieces[0].value
    ('ascent', Sum((-h(i) + y[i])*x[i, j], (i, 1, m)))
    >>> read_gradient(r"\frac{\partial J}{\partial x_j} = \theta_j")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    derivation.parsing.errors.ParseError: col 0: the left side differentiates by x_j; the gradient is by ...
    """
    context = context if context is not None else LatexContext()
    if classes:
        return _read(_ufldl(text), context, classes=True)
    try:
        statement = _read(text, context)
        if beta_as_theta(text) or re.search(r"\\partial\s*\\beta(?![A-Za-z])", text):
            statement = replace(statement, notes=(*statement.notes, "β read as θ, the parameters (ESL's notation)"))
        return statement
    except ParseError as error:
        if not _COLUMNS.search(text):
            raise
        try:  # wᵀX, X(A − Y)ᵀ: the deep-learning layout, one example per column
            statement = _read(text, replace(context, columns=True))
        except ParseError:
            raise error from None
    note = "X read with one example per column (n × m), Y and A = σ(wᵀX + b) as rows"
    return replace(statement, notes=(*statement.notes, note))


def _read(text: str, context: LatexContext, classes: bool = False) -> Statement:
    work = blank_layout(text)
    lines = lines_of(work, text)
    if not lines:
        if re.search(r"=\s*$", work):  # ∂J/∂θ_j = and nothing after it
            raise ParseError("nothing after '=': write the gradient on the right", len(work.rstrip()) - 1, text)
        raise ParseError("empty input", 0, text)
    context, bishop = text_context(context, work)
    whole_w = context.whole_w
    notes, definitions = [], []
    lines, lefts = _lefts(text, lines, bishop, bishop or whole_w, notes, classes)
    if lefts[0] is None and len(lines) > 1:
        where = (lines[1].left or lines[1].rights[0])[0]
        raise ParseError("several formulas without a left side: write one equation per line", where, text)
    pieces, targets, skipped, costs, symbol_steps = [], [], [], [], []
    defining = [(line, left) for line, left in zip(lines, lefts, strict=True) if left and left.kind == "definition"]
    for line, left in _in_order(text, defining):  # ŷ⁽ⁱ⁾ = …, z = Xθ first: a where-clause defines them after
        try:
            context = _define(context, text, line, left)
        except ParseError as error:
            if not line.where:
                raise
            if _used(text, line):  # ŷ = … that the gradient uses: never judged without it
                raise _unread(text, line, error) from None
            notes.append(f"'{_written(text, line)}' after 'where' was not read: left out")
            continue
        definitions.extend(_prediction(text, line, left, context, bishop))
        if classes and left.name in _PROBABILITIES:
            definitions.append(Definition("probabilities", context.defined[left.name], _shown(text, line)))
    context, murphy = _murphy_mu(context, work)
    if murphy:
        notes.append(_MURPHY_NOTE)
    for line, left in zip(lines, lefts, strict=True):
        if left is not None and left.kind == "definition":
            continue
        if line.where and left is not None and left.kind == "function" and left.target != "model":
            continue  # \text{where } J(\theta) = …: the cost, said in passing
        if left is not None and left.kind == "function" and left.target == "model":
            found = _model_part(text, line, left, context)
            if found is not None:  # h_θ(x) = θᵀx, σ(z) = 1/(1 + e^{−z}): the user's model, put into the gradient
                definitions.append(found)
                continue
            if line.where and _used(text, line):  # judged with the model's own h or σ, the user's would be unchecked
                raise ParseError(
                    f"cannot read the definition '{_written(text, line)}' after 'where', and the gradient uses "
                    f"{_defined_name(text, line)}: write it as h_\\theta(x) = \\sigma(\\theta^T x) or "
                    "\\sigma(z) = \\frac{1}{1 + e^{-z}}",
                    line.left[0],
                    text,
                )
        if left is not None and left.kind == "function":  # J(θ) = …, h_θ(x) = …: what the model is, not checked
            skipped.append((line, left))
            if left.target == "cost":  # E(w) = −Σ_n …: what ∇E is the gradient of, when it can be read
                try:
                    costs.append((left.name, from_zero(_read_side(text, *line.rights[0], context, None))[0]))
                except ParseError:
                    pass
            continue
        if left is not None and left.cost is not None:  # ∂/∂θ_j of the cost written out: what the right side is of
            try:
                written = replace(context, cost_notation=True)  # \|Xθ − y\|², as a cost is written
                costs.insert(0, (WRITTEN_COST, from_zero(_read_side(text, *left.cost, written, None))[0]))
            except ParseError as error:
                raise ParseError(f"the cost on the left side: {error.message}", error.position, text) from None
        scope = _scope(text, line, left)
        for start, end in line.rights:
            value = _read_side(text, start, end, context, left)
            if _numerator_layout(text, line, left, value):  # ∂J/∂θ = (h − y)ᵀX/m: the derivative as a row
                value = value.T
                notes.append(_ROW)
            elif _ENDS_TRANSPOSED.search(text[start:end]) and not isinstance(value, sp.MatrixExpr):
                notes.append(_ROW_EXAMPLE)  # Σ_n{t_n − wᵀφ(x_n)}φ(x_n)ᵀ: Bishop's 3.13, the gradient as a row
            value, shifted = from_zero(value)
            if shifted and _FROM_ZERO not in notes:
                notes.append(_FROM_ZERO)
            target = left.target if left is not None else "cost"
            if left is not None and left.kind == "update":
                value, target = _step(text, start, value, left)
                if value.has(sp.Derivative):  # θ_j := θ_j − α ∂J/∂θ_j: the next line says what the derivative is
                    notes.append("the update rule is written with the derivative; its equation is checked")
                    # θ_j := θ_j + α ∂J/∂θ_j: that equation is the g of an ascent step, judged so (it was dropped,
                    # and ∂J/∂θ_j = (1/m)Σ(h − y)x_j alone got ✓ whatever the update did with it)
                    symbol_steps.append(target)
                    continue
            pieces.append(Piece(value, scope, text.count("\n", 0, start)))
            targets.append(target)
    if symbol_steps and set(symbol_steps) == {"ascent"}:
        targets = ["ascent" if t == "cost" else t for t in targets]
    if not pieces:
        if skipped and skipped[0][1].target == "cost":
            what = f"this is the cost {skipped[0][1].name}, not its gradient"
        elif skipped:
            what = f"this defines {skipped[0][1].name}, not the gradient"
        elif notes:
            what = "the update rule is written with the derivative, not the gradient itself"
        else:
            what = "no gradient here, only definitions"
        start = skipped[0][0].start if skipped else 0
        raise ParseError(f"{what}: write {_EQUATION}", start, text)
    for _, left in skipped:
        role = "the cost" if left.target == "cost" else "the model"
        notes.append(f"{left.name} = … is read as the definition of {role}; only the gradient is checked")
    # b := b + α… beside w := w − α…, or W := W + α… (W's only cost is J): each step read as θ := θ − α·g
    if set(targets) == {"descent", "ascent"} or (classes and "ascent" in targets):
        pieces = [replace(p, value=-p.value) if t == "ascent" else p for p, t in zip(pieces, targets, strict=True)]
        targets = ["descent"] * len(targets)
    if len(set(targets)) > 1:
        second = next(p for p, t in zip(pieces, targets, strict=True) if t != targets[0])
        where = sum(len(row) + 1 for row in text.split("\n")[: second.line])  # the start of its line
        kinds = ", ".join(dict.fromkeys(targets))
        raise ParseError(f"these lines give different things ({kinds}): write one kind of formula", where, text)
    if {p.scope for p in pieces} == {BIAS, ALL}:  # a line for θ₀ and one for θ_j: that one is for j ≥ 1
        pieces = [replace(p, scope=WEIGHTS_SCOPE) if p.scope == ALL else p for p in pieces]
    given = {p.scope for p in pieces}
    if given in ({BIAS}, {WEIGHTS_SCOPE}):
        which = "θ₀ (the bias)" if given == {BIAS} else "θ_j for j ≥ 1"
        entries = [left.index for left in lefts if left is not None and _is_entry(left)]
        which = f"θ_{entries[0]}" if given == {WEIGHTS_SCOPE} and entries else which
        notes.append(f"only the entries for {which} are given: the others were not checked")
    if bishop:
        labels = "t_n the targets, y_n the predictions" if context.targets_t else "y_n the labels, μ_n the predictions"
        notes.append(f"read with N examples indexed by n (Σ_{{n=1}}^N), {labels}, x_n or φ_n the inputs, w = θ")
    if context.count_n:
        letter = "N" if re.search(r"(?<![A-Za-z\\])N(?![A-Za-z])", work) else "n"
        notes.append(f"{letter} read as the number of examples m (Σ_{{i=1}}^{{{letter}}} over the examples, as in d2l)")
    if classes and targets[0] not in ("cost", "descent"):  # ∇ℓ and ascent are read for θ only
        raise ParseError(r"for W write the gradient: \frac{\partial J}{\partial W} = ...", pieces[0].line, text)
    entry = next((int(left.index) for left in lefts if left is not None and _is_entry(left)), None)
    if entry is not None:
        notes.append(
            f"θ_{entry} named on the left: x^{{(i)}} read as the number x_{entry}^{{(i)}} (one feature, n = 1)"
        )
    pieces, per_example = _per_example(text, pieces, context)
    if per_example:
        notes.append(_PER_EXAMPLE)
    pieces = [replace(p, value=_with_definitions(p.value, definitions, context)) for p in pieces]
    form = _form(pieces, lefts)
    return Statement(
        tuple(pieces), targets[0], form, tuple(notes), per_example, tuple(costs), tuple(definitions), entry
    )


def _lefts(text: str, lines: list[Line], bishop: bool, whole_w: bool, notes: list[str], classes: bool = False):
    """The lines and their left sides; a where-clause that is not a definition (``x_0 = 1``) is left out, saying so."""
    kept, lefts = [], []
    for line in lines:
        if line.left is None:
            kept.append(line)
            lefts.append(None)
            continue
        try:
            left = _left(text, line, bishop, whole_w, classes)
        except ParseError as error:
            if not line.where:
                raise
            left = None
            error_left = error
        if line.where and left is not None and left.kind == "derivative" and _used(text, line):
            left = Left("definition", None, _defined_name(text, line), None, ALL)  # θ := θ − αg where g = …
        value = " ".join(text[line.rights[0][0] : line.rights[-1][1]].split())
        number = re.fullmatch(r"-?[0-9.]+", value) is not None  # x_0 = 1, m = 100, \alpha = 0.01: sizes, not models
        # μ_i = σ(wᵀx_i) (Murphy) defines the prediction; μ alone is a step size
        plain = left is not None and ((left.name in _NOT_DEFINED and left.index is None) or number)
        if left is None and not number and _defined_name(text, line) not in _NOT_DEFINED and _used(text, line):
            raise _unread(text, line, error_left) from None  # \hat{\mathbf{p}} = … the gradient uses: never dropped
        if line.where and (left is None or left.kind not in ("definition", "function") or plain):
            notes.append(f"'{_written(text, line)}' after 'where' is not a definition the gradient uses: left out")
            continue
        kept.append(line)
        lefts.append(left)
    return kept, lefts


_NOT_DEFINED = ("m", "n", "N", r"\lambda", *(rf"\{name}" for name in _STEP_SIZES))  # sizes, not definitions


# μ_i, μ^{(i)} or a bold μ the text uses without defining it: Murphy's (and GLMs') mean, the model's prediction
_MU = re.compile(r"\\mu\s*(_|\^\s*\{?\s*\()|\\(mathbf|boldsymbol|bm|vec)\s*\{?\s*\\mu(?![A-Za-z])")
_MURPHY_NOTE = (
    "μ_i read as the model's prediction for example i, h_θ(x⁽ⁱ⁾) (Murphy's mean μ_i: sigm(wᵀx_i) for logistic "
    "regression), a bold μ as the vector of them"
)


def _murphy_mu(context: LatexContext, work: str) -> tuple[LatexContext, bool]:
    """``context`` reading an undefined μ_i as the prediction h_θ(x⁽ⁱ⁾) (bold μ: the vector of them), as Murphy
    writes ∇NLL(w) = Σ_i (μ_i − y_i)x_i = Xᵀ(μ − y); and whether it does.  A plain μ stays a step size."""
    hypothesis = context.hypothesis
    if hypothesis is None or r"\mu" in context.defined or context.examples_n or not _MU.search(work):
        return context, False

    def at(*given):
        return hypothesis(given[0] if given else i)

    return replace(context, defined={**context.defined, r"\mu": at}), True


def _written(text: str, line: Line) -> str:
    return " ".join(text[line.left[0] : line.rights[-1][1]].split())


_PREDICTIONS = (r"\hat{y}", r"\mu")  # names of the model's prediction a text defines (ŷ⁽ⁱ⁾ = σ(θᵀx⁽ⁱ⁾))
_SIGMOIDS = re.compile(r"(\\sigma|g|\\(operatorname|text|mathrm)\{sigmoid\})\((?P<arg>[a-z])\)")
_HYPOTHESES = re.compile(r"(h|f)(_.*)?\((?P<arg>.*)\)")


def _prediction(text: str, line: Line, left: Left, context: LatexContext, bishop: bool) -> list[Definition]:
    """ŷ⁽ⁱ⁾ = …, μ_n = … (Bishop's y_n = …): the prediction the text defines, to check against the model's."""
    if context.hypothesis is None or not (left.name in _PREDICTIONS or (bishop and left.name == "y")):
        return []
    value = context.defined[left.name](i) if left.index else context.defined[left.name]()
    value = _at_example_i(value) if not isinstance(value, sp.MatrixExpr) else example_row(value)
    if value is None or isinstance(value, sp.MatrixExpr) or not value.free_symbols - {i, m, n}:
        return []
    return [Definition("hypothesis", value, _shown(text, line))]


def _model_part(text: str, line: Line, left: Left, context: LatexContext) -> Definition | None:
    r"""``h_\theta(x) = …`` or ``\sigma(z) = …`` as a :class:`Definition`; None for other functions (or unreadable)."""
    name = re.sub(r"\s+", "", left.name)
    try:
        value = _read_side(text, *line.rights[0], context, None)
    except ParseError:
        return None
    if isinstance(value, sp.MatrixExpr):  # h_θ(X) = σ(Xθ): the predictions of all examples, one example's row
        value = example_row(value)
        if value is None or _SIGMOIDS.fullmatch(name):
            return None
    written = _SIGMOIDS.fullmatch(name)
    if written:
        argument = next((s for s in value.free_symbols if s.name == written.group("arg")), None)
        return None if argument is None else Definition("sigmoid", value, _shown(text, line), argument)
    if _HYPOTHESES.fullmatch(name) and context.hypothesis is not None:
        return Definition("hypothesis", _at_example_i(value), _shown(text, line))
    return None


def _at_example_i(value: sp.Basic) -> sp.Basic:
    """θᵀx with x one example (x[k]) as θᵀx⁽ⁱ⁾ (x[i, k])."""
    return value.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == x and len(e.indices) == 1, lambda e: x[i, e.indices[0]]
    )


def _shown(text: str, line: Line) -> str:
    r"""The left side as written, Greek letters in Unicode: ``h_\theta(x)`` → h_θ(x), ``\hat{y}^{(i)}`` → ŷ^{(i)}."""
    written = "".join(plain_names(text, *line.left)[line.left[0] : line.left[1]].split())
    for latex, letter in ((r"\theta", "θ"), (r"\sigma", "σ"), (r"\mu", "μ"), (r"\top", "T")):
        written = re.sub(re.escape(latex) + r"(?![A-Za-z])\s*", letter, written)
    return re.sub(r"\\(wide)?hat\s*(\{\s*y\s*\}|y)", "ŷ", written).replace("^{(i)}", "⁽ⁱ⁾")


_BOLD = re.compile(r"\\(mathbf|boldsymbol|bm|pmb)(?![A-Za-z])")


def plain_names(text: str, start: int = 0, end: int | None = None) -> str:
    r"""``text`` with bold fonts blanked (their braces too) in ``[start, end)``: ``\hat{\mathbf{y}}``,
    ``\hat{\boldsymbol{y}}``, ``\boldsymbol{\hat{y}}`` and ``\mathbf{\hat y}`` are all ŷ, as the right sides read them.

    >>> " ".join(plain_names(r"\hat{\mathbf{y}} = \boldsymbol{\hat{y}}").split())
    '\\hat{ y } = \\hat{y}'
    """
    end = len(text) if end is None else end
    chars = list(text)
    for found in _BOLD.finditer(text, start, end):
        after = found.end()
        while after < end and text[after].isspace():
            after += 1
        close = matching(text, after) if text.startswith("{", after) else None
        blank(chars, found.start(), after + 1 if close is not None else found.end())
        if close is not None:
            blank(chars, close, close + 1)
    return "".join(chars)


def example_row(value: sp.MatrixExpr) -> sp.Basic | None:
    """The predictions of all examples (Xθ, σ(Xθ), written as a vector) as example i's: θᵀx⁽ⁱ⁾, σ(θᵀx⁽ⁱ⁾); None
    for other vectors."""
    from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

    if value == X * Theta:
        return inner(i)
    if value == Y:
        return y[i]
    if isinstance(value, ElementwiseApplyFunction):
        row = example_row(value.expr)
        return None if row is None else value.function(row)
    if isinstance(value, sp.MatAdd):
        rows = [example_row(term) for term in value.args]
        return None if None in rows else sp.Add(*rows)
    if isinstance(value, sp.MatMul):
        factor, matrices = value.as_coeff_mmul()
        row = example_row(sp.MatMul(*matrices.args)) if factor != 1 else None
        return None if row is None else factor * row
    return None


_DEFINER = re.compile(r"\\(wide)?hat(\\[A-Za-z]+|[A-Za-z])|\\[A-Za-z]+|[A-Za-z]+")
_FLAT = re.compile(r"\\(mathbf|boldsymbol|bm|pmb|mathrm|operatorname|text|left|right)(?![A-Za-z])|[{}\s]")


def _defined_name(text: str, line: Line) -> str:
    r"""The name a where-clause defines, fonts dropped: ``\hat{\mathbf{y}}^{(i)}`` → ``\hat y``, ``h_\theta(x)`` → h."""
    flat = _FLAT.sub("", text[line.left[0] : line.left[1]])
    found = _DEFINER.match(flat)
    return found.group() if found else flat


def _used(text: str, line: Line) -> bool:
    """Whether the rest of the text (the gradient, other definitions) uses the name this where-clause defines."""
    return _mentions(text[: line.left[0]] + text[line.rights[-1][1] :], _defined_name(text, line))


def _mentions(source: str, name: str) -> bool:
    """Whether ``source`` uses ``name``, flattened joined (\\hat{y} as \\haty) and spaced (\\alpha g, not \\alphag)."""
    pattern = r"(?<![A-Za-z\\])" + re.escape(name) + r"(?![A-Za-z])"
    return any(re.search(pattern, _FLAT.sub(gap, source)) is not None for gap in ("", " "))


def _in_order(text: str, defining: list[tuple[Line, Left]]) -> list[tuple[Line, Left]]:
    """The definitions, each after those its right side uses: where ŷ = σ(z), z = θᵀx reads z first."""
    pending, ordered = list(defining), []
    while pending:

        def waits(d: tuple[Line, Left]) -> bool:
            right = text[d[0].rights[0][0] : d[0].rights[-1][1]]
            return any(o is not d and _mentions(right, _defined_name(text, o[0])) for o in pending)

        ready = next((d for d in pending if not waits(d)), pending[0])
        pending.remove(ready)
        ordered.append(ready)
    return ordered


def _unread(text: str, line: Line, error: ParseError) -> ParseError:
    """The error for a definition after "where" that cannot be read although the gradient uses what it defines."""
    message = f"'{_written(text, line)}' after 'where' defines {_defined_name(text, line)}, which the gradient uses"
    return ParseError(f"{message}, and cannot be read: {error.message}", error.position, text)


def _with_definitions(value: sp.Basic, definitions: list[Definition], context: LatexContext) -> sp.Basic:
    """The gradient with the model's parts as the text defines them: h_θ(x⁽ⁱ⁾) and σ(·) replaced by the user's."""
    for definition in definitions:
        if definition.role == "hypothesis" and context.hypothesis is not None:
            value = value.xreplace(
                {h: definition.value.xreplace({i: h.args[0]}) for h in value.atoms(context.hypothesis)}
            )
        elif definition.role == "sigmoid":
            # σ(·) everywhere, in σ(Xθ)'s elementwise Lambda too
            value = value.replace(sigmoid, sp.Lambda(definition.argument, definition.value))
    return value


_ENDS_TRANSPOSED = re.compile(r"\^\s*(\{\s*(\\mathrm\s*\{\s*T\s*\}|T|\\top|\\intercal)\s*\}|T|\\top)\s*$")
_ROW_EXAMPLE = "read as a row (as Bishop writes ∇ ln p): the transposed x_n or φ(x_n) ending it gives its entries"
_ROW = "read as a row (numerator layout): ∂J/∂θ written as a 1 × (n+1) row, the transpose of the gradient ∇J"


def _numerator_layout(text: str, line: Line, left: Left | None, value: sp.Basic) -> bool:
    """A row where ∂J/∂θ is written with ∂ (numerator layout writes the derivative by a column vector as a row)."""
    if left is None or left.kind != "derivative" or not isinstance(value, sp.MatrixExpr):
        return False
    rows, columns = value.shape
    return rows == 1 and columns != 1 and "\\partial" in text[line.left[0] : line.left[1]]


_PER_EXAMPLE = (
    "no sum over the examples: read as the gradient for one example i (x and y as x^{(i)}, y^{(i)}; a stochastic "
    "update), checked example by example and, summed over them, against m·∇J"
)


def _per_example(text: str, pieces: list[Piece], context: LatexContext) -> tuple[list[Piece], bool]:
    r"""Pieces for one example: with a free i (``(y^{(i)} - h_\theta(x^{(i)}))x_j^{(i)}``) or for a single x and y
    (``(h_\theta(x) - y)x_j``, read as example i); and whether there are any."""
    pieces = [replace(p, value=_as_example_i(p.value, context)) for p in pieces]
    free = [i in p.value.free_symbols for p in pieces]
    if any(free) and not all(free):
        where = sum(len(row) + 1 for row in text.split("\n")[: pieces[free.index(False)].line])
        raise ParseError(
            "one line is for a single example i and another sums over the examples: write both alike", where, text
        )
    return pieces, all(free)


def _as_example_i(value: sp.Basic, context: LatexContext) -> sp.Basic:
    """(h_θ(x) − y)x_j, θᵀx: one training example's gradient, written for example i; other values unchanged."""
    if isinstance(value, sp.MatrixExpr) or i in value.free_symbols or context.example_hypothesis is None:
        return value
    if any(limit[0] == i for s in value.atoms(sp.Sum) for limit in s.limits):  # Σ_i (h_θ(x) − y): not one example
        return value
    single = value.atoms(context.example_hypothesis) or any(
        isinstance(s, sp.Sum) and s.function.has(x[k]) for s in value.atoms(sp.Sum)
    )
    if not single:
        return value
    value = value.xreplace({h: context.hypothesis(i) for h in value.atoms(context.example_hypothesis)})
    value = value.xreplace({y_example: y[i]})
    return value.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == x and len(e.indices) == 1, lambda e: x[i, e.indices[0]]
    )


# Σ_{n=1}^{N}, Σ_n, t_n: Bishop's (PRML) notation, N examples indexed by n
_BISHOP = re.compile(
    r"\\sum\s*(\\limits\s*)?_\s*(\{\s*n\s*(=\s*1\s*)?\}|n)(?![A-Za-z])|(?<![A-Za-z\\])t_\s*\{?\s*n(?![A-Za-z])"
    r"|\\(var)?phi\s*_\s*\{?\s*n(?![A-Za-z])|\\Phi(?![A-Za-z])(?!\s*(\(|\\left))|\\(mathbf|boldsymbol|bm)\s*\{?\s*t(?![A-Za-z])"
)
_TARGETS_T = re.compile(  # t_n, t_{nk} (Bishop 4.109's one-hot target), a bold t
    r"(?<![A-Za-z\\])t_\s*(\{\s*n\s*,?\s*[a-z]\s*\}|\{?\s*n(?![A-Za-z]))|\\(mathbf|boldsymbol|bm)\s*\{?\s*t(?![A-Za-z])"
)


def _left(text: str, line: Line, bishop: bool, whole_w: bool, classes: bool = False) -> Left:
    r"""The line's left side; in Bishop's notation ``y_n = …`` defines the prediction.

    With ``whole_w`` (Bishop's notation, or no b written anywhere) w is all of θ, its bias included.  With
    ``classes`` W is the weight matrix (w_c its column c, W_{jc} an entry) and P, p_c^{(i)} the probabilities.
    """
    text = plain_names(text, *line.left)
    written = re.sub(r"[{}\s]", "", text[line.left[0] : line.left[1]])
    if bishop and written in ("y_n", "y", r"\mu_n", r"\mu"):
        name = "y" if written.startswith("y") else r"\mu"
        return Left("definition", None, name, "i" if written.endswith("_n") else None, ALL)
    if classes and _PROBABILITY.fullmatch(written):  # P = softmax(XW), p_c^{(i)} = e^{w_c^T x}/Σ…
        matrix = _PROBABILITY.fullmatch(written).group("matrix")
        return Left("definition", None, "P" if matrix else "p", None if matrix else "ic", ALL)
    entry = (_CLASS_ENTRY if classes else _ENTRY).search(text, *line.left)
    if entry is not None:  # θ_1, W_{jc}: an entry the left reader refuses; read with its subscript blanked
        blanked = text[: entry.start("sub")] + " " * (entry.end("sub") - entry.start("sub")) + text[entry.end("sub") :]
        left = read_left(blanked, line, written=not classes)
        if classes:
            return replace(left, name="W", index=entry.group("row") + entry.group("col"), scope=ALL)
        return replace(left, index=entry.group("digit"), scope=WEIGHTS_SCOPE) if left.index is None else left
    left = read_left(text, line, written=not classes)
    if classes and (left.name == "w" or (left.name == "theta" and left.index not in (None, "j", "0"))):
        return replace(left, name="W", scope=ALL)  # W, or class c's column w_c (Géron's θ^{(k)})
    if whole_w and left.name == "w" and left.scope == WEIGHTS_SCOPE:  # w_1 with w_0 written: the entry θ_1 alone
        return replace(left, name="theta", scope=WEIGHTS_SCOPE if _is_entry(left) else ALL)
    return left


# θ_1 on a derivative's or an update's left side: Ng's week-1 single-feature θ₁ (x⁽ⁱ⁾ a number), or any fixed θ_d
_ENTRY = re.compile(r"\\theta\s*(?P<sub>_\s*\{?\s*(?P<digit>[1-9][0-9]*)\s*\}?)(?![0-9])")
_CLASS_ENTRY = re.compile(r"W\s*(?P<sub>_\s*\{\s*(?P<row>[a-z])\s*,?\s*(?P<col>[a-z])\s*\})")  # W_{jc}, W_{j,c}
_PROBABILITY = re.compile(r"(?P<matrix>P|\\hat(Y|P))|(p|\\hat(y|p))(_[a-z]\^\(i\)|\^\(i\)_[a-z]|_[a-z][a-z])")
_PROBABILITIES = ("P", "p")


def _is_entry(left: Left) -> bool:
    """θ_1 named on the left: a digit index other than 0."""
    return left.index is not None and left.index.isdigit() and left.index != "0"


def text_context(context: LatexContext, work: str) -> tuple[LatexContext, bool]:
    """``context`` as the text's notation reads: Bishop's (Σ_n, t_n, φ_n: N examples indexed by n, t the targets)
    and its counts (:func:`with_text_counts`); and whether it is Bishop's.  For gradients and verify's updates."""
    bishop = bool(_BISHOP.search(work))
    if bishop:
        context = replace(context, examples_n=True, targets_t=bool(_TARGETS_T.search(work)))
    return with_text_counts(context, work, bishop), bishop


def with_text_counts(context: LatexContext, work: str, bishop: bool = False) -> LatexContext:
    """``context`` reading n/N as the number of examples where the text writes no m (Σ_{i=1}^{n}, \\frac{2}{n}, N),
    and w as all of θ (bias included) where it writes w and no b: one reading for gradients, derivations and costs.
    """
    count_n = not bishop and _COUNT_N.search(work) is not None and _M.search(work) is None
    return replace(context, count_n=count_n or context.count_n, whole_w=bool(_W.search(work)) and not _B.search(work))


# n or N the number of examples: a sum over i up to n or N, a division by n or N, or N anywhere (with no m written)
_COUNT_N = re.compile(
    r"\\sum\s*(\\limits\s*)?_\s*\{\s*i\s*=\s*[01]\s*\}\s*\^\s*(\{\s*[nN]\s*\}|[nN])(?![A-Za-z])"
    r"|\\frac\s*(\{[^{}]*\}|[0-9])\s*(\{\s*[nN]\s*\}|[nN])(?![A-Za-z])|/\s*[nN](?![A-Za-z])|(?<![A-Za-z\\])N(?![A-Za-z])"
)
_M = re.compile(r"(?<![A-Za-z\\])m(?![A-Za-z])")


# w without any b (the bias b, db, ∂J/∂b, f_{w,b}): w holds the bias, as θ does (x with its column of ones)
_W = re.compile(r"(?<![A-Za-z\\])w(?![A-Za-z])")
_B = re.compile(r"(?<![A-Za-z\\])d?b(?![A-Za-z])")


_FROM_ZERO = "examples numbered from 0 (x^{(0)} the first): Σ_{i=0}^{m−1} read as the sum over the m examples"


def from_zero(value: sp.Basic) -> tuple[sp.Basic, bool]:
    r"""Σ_{i=0}^{m−1} (examples numbered from 0, as in course code) as Σ_{i=1}^{m}: the same m examples.

    The summed i is a dummy, so renumbering it changes nothing but which number names an example.

    >>> from derivation.core.notation import i, m, y
    >>> from_zero(sp.Sum(y[i], (i, 0, m - 1)))
    (Sum(y[i], (i, 1, m)), True)
    """
    found = {s for s in value.atoms(sp.Sum) if any(limit == (i, 0, m - 1) for limit in s.limits)}
    if not found:
        return value, False
    renumbered = {
        s: sp.Sum(s.function, *[(i, 1, m) if limit == (i, 0, m - 1) else limit for limit in s.limits]) for s in found
    }
    return value.xreplace(renumbered), True


def _form(pieces: list[Piece], lefts: list[Left | None]) -> str:
    kinds = {left.kind for left in lefts if left is not None}
    if len({piece.scope for piece in pieces}) > 1:
        return "update rules by index" if "update" in kinds else "cases by index"
    if "update" in kinds:
        return "update rule"
    return "equation" if kinds else "expression"


def _scope(text: str, line: Line, left: Left | None) -> str:
    scopes = {s for s in (line.condition, left.scope if left is not None else None) if s not in (None, ALL)}
    if len(scopes) > 1:
        raise ParseError("the left side and the condition name different entries (j = 0 and j ≥ 1)", line.start, text)
    return scopes.pop() if scopes else ALL


def _read_side(text: str, start: int, end: int, context: LatexContext, left: Left | None) -> sp.Basic:
    source = blank_layout(text)  # \tag{1}, \label{} and the like inside the side's span are layout too
    piece = "".join(c if start <= k < end or c == "\n" else " " for k, c in enumerate(source))
    vector = left is not None and (left.vector or _is_entry(left) or (left.name == "W" and left.index is not None))
    # ∇_{w_j}E (Bishop 4.109): j is the class, so the entries of φ_n are read with another letter first
    feature = k if left is not None and left.name == "W" and left.index == "j" else j
    # in a gradient, w is the weights and b the bias (θ₀) whether or not the left side says so
    context = replace(context, weights=left is None or left.name != "W", feature=feature if vector else None)
    try:
        value = parse_latex(piece, context)
    except ParseError as error:
        try:  # no left side to say so: Σ_n{t_n − wᵀφ_n}φ_n alone is a vector formula too, as ∇E = … would be
            value = parse_latex(piece, replace(context, feature=j)) if left is None else None
        except ParseError:
            value = None
        if value is None:
            raise ParseError(error.message, error.position, text) from None
    if left is not None and left.name == "W" and left.index is not None:  # w_k: column k; W_{jk}: row j, column k
        *row, column = left.index
        named = {sp.Symbol(s, integer=True, nonnegative=True): to for s, to in ((column, c), *((r, j) for r in row))}
        named |= {feature: j} if feature != j else {}
        renamed = {s: to for s, to in named.items() if s != to}
        # the letters k becomes (c, j) may be bound in a Σ of the right side (Σ_{c=1}^K e^{w_c^T x}): renamed first
        return bound_apart(value, set(renamed.values())).xreplace(renamed)
    if left is not None and left.scope == BIAS and j in getattr(value, "free_symbols", ()):
        # ∂J/∂b = (1/m)Σ(f − y)x_j⁽ⁱ⁾ (the course's classic slip): j read as 0 made x_j the bias's 1 and gave ✓
        at = re.search(r"_\{?\s*j\b", piece[start:end])
        bias = "b" if left.name in ("b", "w") else "θ_0"
        raise ParseError(
            f"free index 'j' on the right, but the left side is the bias {bias}, one number: its x is 1, "
            "so the sum has no x_j (write x_0^{(i)} if you mean the column of ones)",
            start + (at.start() + 1 if at else 0),
            text,
        )
    if left is not None and left.index not in (None, "j", "0") and not _is_entry(left):
        other = sp.Symbol(left.index, integer=True, nonnegative=True)
        if j in getattr(value, "free_symbols", ()):  # ∂J/∂θ_k = … x_j⁽ⁱ⁾: renaming k to j would hide the slip
            at = re.search(r"_\{?\s*j\b", piece[start:end])
            raise ParseError(
                f"free index 'j' on the right, but the left side names the entry {left.index}: write "
                f"x_{left.index}^{{(i)}} (the same letter on both sides)",
                start + (at.start() + 1 if at else 0),
                text,
            )
        value = value.xreplace({other: j})  # ∂J/∂θ_k = … x_k⁽ⁱ⁾: the entry index is k
    return value


def _step(text: str, start: int, value: sp.Basic, left: Left) -> tuple[sp.Basic, str]:
    r"""The g of θ := θ − α·g (descent) or θ := θ + α·g (ascent), from the right side of an update rule."""
    name = {"w": "w", "b": "b"}.get(left.name, r"\theta" + ("" if left.index is None else f"_{left.index}"))
    try:
        return split_update(value, _parameter(left), name)
    except ValueError as error:
        raise ParseError(str(error), start, text) from None


def split_update(value: sp.Basic, parameter: sp.Basic, name: str = r"\theta_j") -> tuple[sp.Basic, str]:
    r"""(g, "descent") for the right side θ − α·g of an update rule, (g, "ascent") for θ + α·g; ``parameter`` is
    the θ updated (as read), ``name`` how to write it in a message.  A ValueError says what is not an update.

    One reading of update rules for ``check --latex`` and ``verify``.

    >>> alpha, g = sp.symbols("alpha g")
    >>> split_update(theta[j] - alpha * g, theta[j]), split_update(theta[j] + alpha * g, theta[j])
    ((g, 'descent'), (g, 'ascent'))
    """
    if isinstance(parameter, sp.MatrixExpr) and not isinstance(value, sp.MatrixExpr):
        parameter = theta[j]  # a vector rule written with sums: read entry by entry
    sizes = [s for s in value.free_symbols if isinstance(s, sp.Symbol) and s.name in _STEP_SIZES]
    if len(sizes) != 1:
        what = "no step size" if not sizes else "several step sizes"
        raise ValueError(
            f"an update rule needs one step size, here {what}: write \\theta_j := \\theta_j - \\alpha (gradient)"
        )
    alpha = sizes[0]
    if isinstance(value, sp.MatAdd):
        terms = value.args
    else:  # θ_j(1 − αλ/m) − α·…: the shrinking form, multiplied out one level
        terms = [t for a in sp.Add.make_args(value) for t in sp.Add.make_args(sp.expand(a, deep=False))]
    moving = [t for t in terms if t.has(alpha)]
    base = [t for t in terms if not t.has(alpha)]
    if not moving:
        raise ValueError("the update does not move the parameter: write \\theta_j - \\alpha (gradient)")
    if isinstance(value, sp.MatrixExpr):
        step = sp.MatAdd(*[t * (1 / alpha) for t in moving]) if len(moving) > 1 else moving[0] * (1 / alpha)
        rest = sp.MatAdd(*base).doit() if base else None
    else:
        step = sp.Add(*[t / alpha for t in moving])
        rest = sp.Add(*base)
    if step.has(alpha):
        raise ValueError("the step size should multiply the whole gradient: \\theta_j - \\alpha (…)")
    if rest is None or isinstance(rest, sp.MatrixExpr) != isinstance(parameter, sp.MatrixExpr):
        rest = None  # a vector on one side, a number on the other
    if rest is not None and rest.has(parameter) and not isinstance(rest, sp.MatrixExpr):
        extra = sp.simplify(rest - parameter)
        if extra != 0:
            raise ValueError(
                f"a term without the step size: {sp.latex(extra)}; write \\theta_j := \\theta_j - \\alpha (gradient)"
            )
    if rest is None or (rest != parameter and sp.simplify(rest - parameter) != 0):
        raise ValueError(f"an update rule starts from the parameter it updates: {name} := {name} - \\alpha …")
    if _negative(step):
        return -step, "descent"
    return step, "ascent"


def _parameter(left: Left) -> sp.Basic:
    if left.name == "b" or left.index == "0":
        return theta[0]
    if _is_entry(left):
        return theta[int(left.index)]
    if left.name == "W" and left.index is None:  # W := W − α ∂J/∂W
        return W_matrix
    if left.index is not None:
        return theta[j]
    return WEIGHTS if left.name == "w" else Theta


def _negative(step: sp.Basic) -> bool:
    """Whether the step was written with a minus sign (θ − α·g), so g is its negation."""
    if isinstance(step, sp.MatAdd):
        return all(_negative(t) for t in step.args)
    if isinstance(step, sp.MatMul):
        return step.as_coeff_mmul()[0].could_extract_minus_sign()
    return step.could_extract_minus_sign()


def _define(context: LatexContext, text: str, line: Line, left: Left) -> LatexContext:
    r"""``\hat{y}^{(i)} = \sigma(\theta^T x^{(i)})``, ``z = X\theta``: a name the next lines use."""
    (start, end), *_ = line.rights
    value = _read_side(text, start, end, context, None)
    index = sp.Symbol(left.index, integer=True, nonnegative=True) if left.index and len(left.index) == 1 else None
    if left.index == "ic":  # p_c^{(i)}: example i, class c (the order the reader gives a letter's indices in)

        def at(*given, value=value):
            return value.xreplace(dict(zip((i, c), given, strict=False))) if given else value

    elif index is not None:
        index = next((s for s in value.free_symbols if s.name == left.index), index)

        def at(*given, value=value, index=index):
            return value.xreplace({index: given[0]}) if given else value

    else:

        def at(*given, value=value):
            return value

    return replace(context, defined={**context.defined, left.name: at})


# UFLDL's notation for softmax regression, rewritten in place (same length, so positions hold) to what the reader knows:
# 1\{y^{(i)} = k\} (or \mathbb{1}\{…\}) the one-hot label, P(y^{(i)} = k | x^{(i)}; W) the probability of class k
_UFLDL = (
    (
        re.compile(  # 1\{…\}, \mathbb{1}\{…\} (\mathbf, \mathds, \mathbbm): the "=" inside must not split the line
            r"(?:(?<![\\\w}])1|\\(?:mathbb|mathbf|mathds|mathbbm|bm|boldsymbol)\s*\{\s*1\s*\})"
            r"\s*\\\{\s*y\s*\^\s*\{\s*\(\s*i\s*\)\s*\}\s*=\s*(?P<k>[a-z])\s*\\\}"
        ),
        "y",
    ),
    (
        re.compile(
            r"(?<![\\\w])[pP]\s*(\\left)?\(\s*y\s*\^\s*\{\s*\(\s*i\s*\)\s*\}\s*=\s*(?P<k>[a-z])\s*(\\mid|\|)"
            r"\s*x\s*\^\s*\{\s*\(\s*i\s*\)\s*\}\s*(;\s*(\\theta|W)\s*)?(\\right)?\)"
        ),
        "p",
    ),
)


def _ufldl(text: str) -> str:
    r"""``1\{y^{(i)}=k\}`` as ``y_k^{(i)}``, ``p(y^{(i)}=k|x^{(i)};\theta)`` as ``p_k^{(i)}``, padded to length."""
    for pattern, letter in _UFLDL:
        text = pattern.sub(lambda found, a=letter: f"{a}_{found['k']}^{{(i)}}".ljust(len(found[0])), text)
    return text


__all__ = ["ALL", "BIAS", "WEIGHTS_SCOPE", "Piece", "Statement", "read_gradient", "split_update", "text_context"]
