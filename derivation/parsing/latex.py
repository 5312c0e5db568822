r"""A reader for LaTeX written in the notation of ML courses (grammar: ``latex.lark``).

SymPy's LaTeX parsers read ``x_j^{(i)}`` as a power and ``\theta^\top`` as
``theta**top`` without a word.  This reader knows the course notation and
rejects, with the position, whatever it does not understand:

* ``x_j^{(i)}``, ``x^{(i)}_j``, ``x_j^i`` → ``x[i, j]``; ``y^{(i)}``, ``y^i``, ``y_i`` → ``y[i]``;
  ``x_j`` → ``x[j]``; ``\theta_j`` → ``theta[j]``.  A superscript on x or y is
  the example index when it is parenthesised or the letter i; otherwise a power.
* ``\theta^T x^{(i)}`` (also ``^\top``, ``^{\intercal}``) → Σ_k θ_k x_k⁽ⁱ⁾ and ``\theta^T x`` →
  Σ_k θ_k x_k; ``h_\theta(x^{(i)})`` → the context's hypothesis ``h(i)``, ``h_\theta(x)``
  → its single-example form ``h()``; ``J(\theta)`` → the context's cost.
* bare x, y, θ are scalars, except next to a matrix: ``X``, ``X^T``, ``X\theta``,
  ``\sigma(X\theta) - y`` build matrix expressions (juxtaposed matrices multiply,
  ``\sigma``/``\log``/``e^{}`` of a matrix apply element-wise, a scalar added to a
  matrix is broadcast with a OneMatrix).
* the functions of the registry (:mod:`derivation.core.functions`) by their spellings: ``\sigma(z)``,
  ``g(z)``, ``\operatorname{sigmoid}(z)`` (also ``\mathrm``, ``\text``) → sigmoid, ``\tanh``,
  ``\operatorname{softplus}``; ``\log``, ``\ln`` → natural log; ``e^{u}``, ``\exp`` → exp;
  ``\sigma'(z)`` → the unevaluated derivative of sigmoid (any registered function takes ``'``);
  ``(f)'`` → d f/d v when f has one free symbol v.
* ``\frac{\partial f}{\partial v}``, ``\frac{d f}{dv}`` → ``Derivative(f, v, evaluate=False)``;
  ∂/∂θ with a bare θ differentiates by the vector θ (the MatrixSymbol);
  ``\frac{\partial^{2} J}{\partial \theta_j \partial \theta_l}``, ``\frac{d^2 f}{dz^2}`` → second derivatives.
* ``\delta_{jk}``, ``\delta_{j k}``, ``\delta_{j,k}``, ``\delta_{j0}`` → ``KroneckerDelta(j, k)``; letters and
  digits side by side in a subscript are indices, never a product (``w_{jk}`` → ``w[j, k]``; ``\theta_{jk}``
  and ``\delta_{10}`` are rejected).  i, j, k, l are the notation's index symbols.
* matrix form: ``\left[ M \right]_{j}`` → ``MatrixElement(M, j, 0)`` for a column M, ``[M]_{j,l}`` →
  ``MatrixElement(M, j, l)`` (along a length-m side the index numbers examples 1..m: ``[X\theta]_i`` is
  row i - 1); ``e_0`` → the unit vector E0; ``I`` → the identity and ``\mathbf{1}`` → a
  vector of ones, their size taken from the matrix next to them (``(I - e_0 e_0^T)\theta``, ``\mathbf{1} - y``);
  ``\operatorname{diag}(v)`` (also ``\mathrm``, ``\text``) → ``DiagMatrix(v)``; ``u \odot v``, ``u \circ v``
  → ``HadamardProduct(u, v)``.
* ``\sum_{i=1}^{m}``, ``\sum_{i=1}^m``, ``\sum_i`` (i runs 1..m, j and k run 0..n when no range is given); the
  letter a sum runs over is the one in its body (``\sum_{p=1}^{n} \theta_p``).
* kinked functions: ``|u|``, ``\left|u\right|``, ``\lvert u\rvert`` → Abs (a bare bar closes when an operand
  stands before it); ``\max(0, u)``, ``\max(u, 0)``, ``\max\{0, u\}`` → ReLU(u), ``\max(c, u)`` → c + ReLU(u − c),
  ``\min(a, b)`` → −max(−a, −b), a max of two varying terms refused; the indicator ``\mathbf{1}[u > 0]``,
  ``\mathbb{1}\{u > 0\}``, ``\mathbb{I}(u > 0)``, ``\mathbf{1}_{u > 0}``, Iverson's ``[u > 0]`` → step(u) (> or <
  only: 1[u ≥ 0] differs at 0), ``\mathbb{1}\{y^{(i)} = k\}`` → the one-hot y_k^{(i)};
  ``\operatorname{sign}(u)``, ``\operatorname{sgn}``, ``\sgn`` → sign; ``\tanh^2(z)``, ``\log^2 x`` → powers.
* several classes (W is (n+1) × K, column c for class c): ``W_{jk}``, ``W_{j,k}`` → W[j, k]; ``w_k^T x^{(i)}``,
  ``\theta_k^\top x^{(i)}``, ``\theta^{(k)\top} x^{(i)}``, ``(W^T x^{(i)})_k`` → Σ_l W[l, k] x[i, l];
  ``y_k^{(i)}``, ``y^{(i)}_k``, ``y_{ik}`` → the one-hot y[i, k]; K the number of classes, c the class index.
* ``\frac{a}{b}``, ``\frac12``, ``\cdot``, ``*``, ``\times``, ``/`` and juxtaposition; ``\left``, ``\right``,
  ``\big``…, spacing (``\,`` ``\;`` ``\!`` ``\quad``) and sizing (``\small``, ``\Tiny``…) are ignored;
  fonts (``\mathbf{y}``, ``\boldsymbol{\theta}``, ``\mathcal{J}``) change no meaning, but ``\mathbf{1}`` is 𝟏.

Also what users write: ``\hat{y}^{(i)}``, ``\hat y_i`` → h(i) (a bare ``\hat{y}`` or ``h_\theta(X)``: the vector
of predictions); ``X'``, ``\tilde X`` → X (it has the ones column); ``x_{ij}``, ``x_{i,j}`` → ``x[i, j]``;
``x_i`` after ``\theta^T`` or inside ``h_\theta`` → example i; ``\cfrac``, ``\dfrac``, ``\tfrac``; ``\{ \}`` as
parentheses; ``\vec`` changes no meaning; ``\tilde`` on any other letter than X (ỹ, θ̃) names something of the
text's own, read from its definition or refused; ``\theta^{(t)}`` is θ at step t;
``f_{\mathbf{w},b}(\mathbf{x}^{(i)})`` (also ``f_{w,b}``, ``f_\theta``) is h_θ(x⁽ⁱ⁾) and
``\mathbf{w} \cdot \mathbf{x}^{(i)}`` is wᵀx⁽ⁱ⁾; ``\lbrace``, ``\rbrace``.  The context adds the
(w, b) convention (``weights``: w_j = θ_j, wᵀx⁽ⁱ⁾ = Σ_{k≥1} θ_k x_k⁽ⁱ⁾, b = θ₀), the entry index of a vector
formula (``feature``: x⁽ⁱ⁾ as a number is x_j⁽ⁱ⁾), the names a document defines (``defined``) and Bishop's
notation (``examples_n``: Σ_{n=1}^{N} over the examples, t_n the targets, y_n the predictions, φ_n the inputs).
With ``LatexContext(cost_notation=True)`` (a cost as users write it, ``--cost``): ``\|v\|``, ``\lVert v\rVert``,
``\|v\|_2`` → √(vᵀv) as a 1×1 matrix (``\|v\|^2`` → vᵀv), and ⊙ binds looser than a product written side by
side (``y \odot X\theta`` → y ⊙ (Xθ)).  A number beside a 1×1 matrix is added to its entry.
Equations, update rules and cases by index are read by :func:`derivation.parsing.statement.read_gradient`.

Rejected with a position: unknown commands and characters, ``=`` (one side at a time here),
``x^23`` (write ``x^{23}``), ``h_{\alpha}``, ``\partial (\theta j)``,
a matrix followed by a number (``X^T [h_\theta(x) - y]``), shapes that do not match, a matrix product
next to ``\odot`` without parentheses, ``I`` or ``\mathbf{1}`` whose size nothing decides.

Argument scope: ``\log``, ``\sigma`` (and every registered function), ``g``, ``\exp`` and ``h_\theta`` take the
parenthesised group right after them, or else (not ``h_\theta``) the next factor,
so ``\log x y`` is log(x)·y.  ``\sum_{i=1}^{m}`` and the operator
``\frac{\partial}{\partial v}`` take the rest of the product term, up to the next
top-level ``+`` or ``-``; the operator takes only a parenthesised group that
follows it immediately, so ``\frac{\partial}{\partial \theta_j}(a) b`` is (∂a/∂θ_j)·b.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import lark
import sympy as sp
from sympy import DiagMatrix

from ..core.functions import spellings
from .atoms import PLAIN_WORDS, WORDS
from .bounds import MAX_DEPTH, MAX_LENGTH, check_text
from .chain import math_body, split_chain, split_equalities
from .errors import ParseError
from .reader import Reader
from .values import LazySum, Scores, Shapeless, Vec

__all__ = ["LatexContext", "parse_latex", "split_chain", "split_equalities"]


@dataclass(frozen=True)
class LatexContext:
    """What the model-specific names mean: h_θ(x⁽ⁱ⁾), h_θ(x) and the cost letters (J, G).

    ``hypothesis`` is a one-parameter function class (the example index),
    ``example_hypothesis`` a zero-parameter one, ``costs`` maps a letter to
    the expression it stands for.  The reader knows no model: the caller says what
    these are (:func:`derivation.proof.read.model_context` builds them from a catalog model);
    the empty context reads J and G as plain letters and rejects h_θ.
    """

    hypothesis: type | None = None
    example_hypothesis: type | None = None
    costs: dict[str, sp.Expr] = field(default_factory=dict)
    # Names a document (or the command line) defines, e.g. \hat{y}_i = \sigma(w^T x_i): the written base
    # name, normalised (r"\hat{y}", "p", r"\alpha", "z") → a function of the SymPy indices written on it
    # (none, one or more) returning the expression it stands for.  Read before the reader's own table.
    defined: dict[str, Callable[..., sp.Expr]] = field(default_factory=dict)
    # The (w, b) convention: w_j is θ_j (j ≥ 1), wᵀx skips the bias, b is θ₀ (x without its ones column).
    weights: bool = False
    # In a vector formula (∇J = Σ(h − y)x⁽ⁱ⁾, dw = Σ(ŷ_i − y_i)x_i), the index of its entries: x⁽ⁱ⁾ standing
    # as a number is read as x_j⁽ⁱ⁾.
    feature: sp.Expr | None = None
    # Deep-learning courses' layout: one example per column (X is n × m, Y and A = σ(wᵀX + b) are rows), so X
    # is read as the transpose of the data matrix and Y as the row of labels.
    columns: bool = False
    # Bishop's (PRML) notation: N examples indexed by n (Σ_{n=1}^{N}), targets t_n, y_n the prediction, inputs x_n
    # or features φ_n as vectors (Φ the design matrix) and w with the bias in it (φ₀ = 1), so w is θ.
    examples_n: bool = False
    # With examples_n: t names the targets (t_n, \mathbf{t}), so y_n is the prediction; without t, y_n is the label
    # and μ_n the prediction (Murphy's notation).
    targets_t: bool = False
    # n (or N) the number of examples, as d2l and many blogs write it (Σ_{i=1}^{n}, \frac{2}{n} X^T(Xw − y)): n and N
    # read as m; set only where the text writes no m.
    count_n: bool = False
    # When a list: a product whose shapes match only with one factor transposed (X(Xθ − y) for Xᵀ(Xθ − y)) is
    # read with it transposed, and the factor transposed is appended here; else the mismatch is an error.
    transposed: list[sp.MatrixExpr] | None = None
    # With weights: no b anywhere in the text, so w is all of θ (x with its ones, w₀ the bias), not θ without θ₀.
    whole_w: bool = False
    # A cost as users write it in matrix form (--cost): \|v\|, \lVert v\rVert, \|v\|_2 the Euclidean norm, and ⊙
    # looser than a product written side by side (y \odot X\theta is y ⊙ (Xθ)); elsewhere a proof's reader
    # rewrites ‖v‖² itself, saying so, and y \odot X\theta is refused as ambiguous.
    cost_notation: bool = False


@functools.lru_cache(maxsize=1)
def _parser() -> lark.Lark:
    grammar = Path(__file__).with_name("latex.lark").read_text(encoding="utf-8")
    words = sorted({*WORDS, *spellings("latex_word")}, key=lambda w: (-len(w), w))  # longest first
    grammar = grammar.replace("@WORDS@", "|".join(re.escape(w) for w in words))
    plain = sorted({*words, *PLAIN_WORDS} - {"diag", "step"}, key=lambda w: (-len(w), w))
    grammar = grammar.replace("@PLAIN@", "|".join(re.escape(w) for w in plain))
    return lark.Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=False)


def parse_latex(
    text: str, context: LatexContext | None = None, *, max_length: int = MAX_LENGTH, max_depth: int = MAX_DEPTH
) -> sp.Basic:
    r"""Read one LaTeX expression (no ``=``; equations: :func:`~derivation.parsing.statement.read_gradient`) into SymPy.

    >>> from derivation.proof.read import model_context
    >>> logistic = model_context("logistic")
    >>> parse_latex(r"\frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)})-y^{(i)}\right)x_j^{(i)}", logistic)
    Sum((h(i) - y[i])*x[i, j], (i, 1, m))/m
    >>> parse_latex(r"\frac{\partial}{\partial \theta_j} \log\left(1-h_\theta(x)\right)", logistic)
    Derivative(log(1 - h()), theta[j])
    >>> parse_latex(r"\sigma'(z)")
    Derivative(sigmoid(z), z)
    >>> parse_latex(r"\delta_{jk} + \delta_{j,0}")
    KroneckerDelta(0, j) + KroneckerDelta(j, k)
    >>> parse_latex(r"\left[ \frac{1}{m} X^{\top} \left(X \theta - y\right) \right]_{j}")
    (1/m*X.T*(X*theta - y))[j, 0]
    >>> parse_latex(r"x \foo")
    Traceback (most recent call last):
    ...
    derivation.parsing.errors.ParseError: col 2: unknown command \foo
    """
    context = context if context is not None else LatexContext()
    if context.hypothesis is not None and "p" not in context.defined and _esl_written(text):
        return _esl(text, context, max_length, max_depth)
    body = uncross_fonts(check_text(text, max_length, _strip_math_delimiters))
    body = pair_bars(pair_norms(body, text) if context.cost_notation else body, text)
    try:
        tree = _parser().parse(body)
    except lark.exceptions.UnexpectedInput as exc:
        raise _explained(_grammar_error(exc, body, text)) from None
    reader = Reader(text, context)
    reader.check_depth(tree, max_depth)
    try:
        value = reader.value(reader.expr(tree), tree)
    except ParseError as error:
        raise _explained(_ellipsis(error)) from None
    if isinstance(value, Shapeless):
        raise reader.fail(tree, f"cannot tell the size of {value.spelling} here: put it next to a matrix")
    value = reader.scalar(value, tree) if isinstance(value, (Vec, LazySum, Scores)) else value
    return diagonal_powers(value)


_UNKNOWN_DOTS = re.compile(r"unknown command (\\(?:c|l|v|d)?dots)\b")
_ELLIPSIS = (
    r"{dots} is an ellipsis (and so on), not a product (\cdot): it is not read here; write what it stands for, "
    r"e.g. \theta^T x^{{(i)}} or \sum_{{j=0}}^n \theta_j x_j^{{(i)}} for \theta_0 + \theta_1 x_1 + {dots} + "
    r"\theta_n x_n"
)


def _ellipsis(error: ParseError) -> ParseError:
    r"""``\cdots``, ``\dots``, ``\ldots`` where the reader has no list to fill: said to be an ellipsis, never
    "did you mean \cdot?" (a product) or \odot."""
    found = _UNKNOWN_DOTS.match(error.message)
    if found is None:
        return error
    return ParseError(_ELLIPSIS.format(dots=found.group(1)), error.position, error.text)


# x_i' (econometrics, statsmodels): the prime on an example's x is its transpose
_PRIMED_X = re.compile(
    r"(?<![A-Za-z\\])(?P<x>(?:x|\\mathbf\s*\{\s*x\s*\}|\\mathbf\s+x|\\boldsymbol\s*\{\s*x\s*\})\s*_\s*(?:\{[^{}]*\}|\w))"
    r"\s*(?P<prime>\^\s*\{\s*\\prime\s*\}|\^\s*\\prime|')"
)
_CASE_CONDITION = re.compile(r"\s*(?:&|\\text\s*\{\s*(?:for|if|when|otherwise|else)|\\quad|\\mbox|\\mathrm\s*\{\s*if)")


def _explained(error: ParseError) -> ParseError:
    r"""An error on notation of other fields said with what it means there and what to write here: x_i' (the
    transpose, econometrics), \Lambda (the logistic CDF), \dot p (a derivative, not \odot), a ',' before a
    case's condition; other errors unchanged."""
    text, message = error.text or "", error.message
    primed = _PRIMED_X.search(text) if text else None
    if primed is not None and (message.startswith("unknown command \\prime") or message.startswith("' is only read")):
        x = primed.group("x")
        return ParseError(
            f"{primed.group(0)} is econometrics' notation (statsmodels, Greene): the prime is the transpose, "
            "x_i' = x_i^T, a row; "
            f"write {x}^T, e.g. {x}^T\\beta",
            primed.start("prime"),
            text,
        )
    if message.startswith("unknown command \\Lambda"):
        return ParseError(
            "\\Lambda is not read here: in econometrics (statsmodels, Greene) \\Lambda_i or \\Lambda(x_i'\\beta) is "
            "the logistic CDF, the sigmoid of x_i^T\\beta: write \\sigma(x_i^T\\beta) for it (\\lambda is the penalty "
            "strength, another thing)",
            error.position,
            text,
        )
    if message.startswith("unknown command \\dot"):
        return ParseError(
            "\\dot is Newton's dot, a derivative (\\dot p = dp/dt), not the product \\odot, and it is not read here: "
            "write the derivative by its variable, \\frac{dp}{dz}, or the expression it stands for",
            error.position,
            text,
        )
    at = error.position
    if message == "unexpected ','" and at is not None and _CASE_CONDITION.match(text, at + 1):
        return ParseError(
            "the ',' ends a case's value before its condition (VALUE, & \\text{for } …): cases by a condition on a "
            "value (|a| \\le \\delta, otherwise) are not read as one expression here, only cases by the index j; "
            "write each case as a line of its own, without its condition",
            at,
            text,
        )
    return error


def diagonal_powers(expr: sp.Basic) -> sp.Basic:
    """diag(v)^k as diag(v ∘ … ∘ v): SymPy folds (Lθ)ᵀ(Lθ) = θᵀLᵀLθ into diag(v)², a power no evaluator builds."""
    if not isinstance(expr, sp.Basic) or not expr.has(sp.MatPow):
        return expr
    return expr.replace(
        lambda e: isinstance(e, sp.MatPow) and isinstance(e.base, DiagMatrix) and e.exp.is_Integer and e.exp > 0,
        lambda e: DiagMatrix(sp.HadamardPower(e.base.args[0], e.exp)),
    )


# ESL's (Hastie–Tibshirani) notation under a model: β the parameters (where no θ is written), \mathbf{p} the vector
# of the probabilities p(x_i; β)
_BETA = re.compile(r"\\beta(?![A-Za-z])")
_BOLD_P = re.compile(r"\\(?:mathbf|boldsymbol|bm)\s*\{\s*p\s*\}|\\(?:mathbf|boldsymbol|bm)\s+p(?![A-Za-z])")
_THETA = re.compile(r"\\(?:var)?theta(?![A-Za-z])")
# β where parameters stand: x_i^T\beta, p(x_i;\beta), X\beta, \beta_j, \beta^T x, ∂/∂β (∇_β read as it); a lone β
# may be any constant
_BETA_PARAMETER = re.compile(
    r"(\^\s*(\{\s*)?(T|\\top|\\intercal)\s*\}?|;|X\s*\}?|\\partial)\s*\\beta(?![A-Za-z])"
    r"|\\beta\s*(_|\^\s*\{?\s*(T|\\top))"
)


def beta_as_theta(text: str) -> bool:
    """Whether ``text`` writes β as the parameters (x_i^T\beta, \beta_j, ∂/∂β) and no θ: β is then read as θ."""
    return bool(_BETA_PARAMETER.search(text)) and not _THETA.search(text)


def _esl_written(text: str) -> bool:
    """Whether ``text`` writes a bold p, or β as the parameters and no θ."""
    return bool(_BOLD_P.search(text)) or beta_as_theta(text)


def _esl(text: str, context: LatexContext, max_length: int, max_depth: int) -> sp.Basic:
    r"""``text`` read with β as θ (when it writes no θ) and a bold p as the predictions ŷ; errors point into ``text``.

    >>> from derivation.proof.read import model_context
    >>> parse_latex(r"\sum_{i=1}^{m} x_{ij} (y_i - \sigma(x_i^T\beta))", model_context("logistic-loglik"))
    Sum((-sigmoid(Sum(theta[k]*x[i, k], (k, 0, n))) + y[i])*x[i, j], (i, 1, m))
    """
    text = _BOLD_P.sub(lambda bold: r"\hat{y}".ljust(len(bold.group())), text)  # no longer: positions kept
    if _THETA.search(text):
        return parse_latex(text, context, max_length=max_length, max_depth=max_depth)
    widened = [found.start() for found in _BETA.finditer(text)]  # \beta → \theta: one character more each
    try:
        return parse_latex(
            _BETA.sub(r"\\theta", text),
            context,
            max_length=max_length + len(widened),
            max_depth=max_depth,
        )
    except ParseError as error:
        at = error.position
        if at is not None:
            at -= sum(1 for k, start in enumerate(widened) if start + k < at)
        raise ParseError(error.message, at, text) from None


def _strip_math_delimiters(text: str) -> str:
    """Blank out surrounding $…$, $$…$$, \\[…\\] or \\(…\\), keeping every position."""
    start, end = math_body(text)
    return " " * start + text[start:end] + " " * (len(text) - end)


_FONT_OPEN = re.compile(r"\\(?:mathbf|boldsymbol|bm|pmb|mathrm|mathit|mathsf)\s*\{")


def uncross_fonts(body: str) -> str:
    r"""A font whose braces cross a parenthesis, as in Géron's ``\mathbf{\sigma(\boldsymbol{\theta}}^T x)``, blanked
    out: a font changes no meaning, and without it the parentheses pair.  Every position is kept.

    >>> uncross_fonts(r"\mathbf{\sigma(\theta}^T x)")
    '        \\sigma(\\theta ^T x)'
    >>> uncross_fonts(r"\mathbf{x}^T \mathbf{(a + b)}")
    '\\mathbf{x}^T \\mathbf{(a + b)}'
    """
    out = list(body)
    for match in _FONT_OPEN.finditer(body):
        depth, parens, end = 1, 0, match.end()
        while end < len(body) and depth:
            if body[end] == "\\":
                end += 2  # \{, \}, \(: escaped, not a brace or a parenthesis
                continue
            depth += {"{": 1, "}": -1}.get(body[end], 0)
            parens += {"(": 1, ")": -1}.get(body[end], 0) if depth else 0
            end += 1
        if depth == 0 and parens != 0:
            out[match.start() : match.end()] = " " * (match.end() - match.start())
            out[end - 1] = " "
    return "".join(out)


# A bar of |u|: \left| and \lvert open, \right| and \rvert close; a bare | or \vert opens or closes by what precedes.
_BAR = re.compile(
    r"\\(?:left|bigl|Bigl|biggl|Biggl)\s*(?:\||\\[lv]?vert(?![A-Za-z]))|\\lvert(?![A-Za-z])"
    r"|(?P<close>\\(?:right|bigr|Bigr|biggr|Biggr)\s*(?:\||\\[rv]?vert(?![A-Za-z]))|\\rvert(?![A-Za-z]))"
    r"|(?P<either>(?:\\[bB]igg?\s*)?(?:(?<!\\)\||\\vert(?![A-Za-z])))"
)
# What may stand before a closing bar: the end of an operand (x|, 2|, }|, )|, ]|, '|, a command such as \theta|).
_OPERAND_END = re.compile(r"(?:[A-Za-z0-9})\]']|\\[A-Za-z]+)\s*$")
_NOT_OPERANDS = re.compile(r"\\(?:cdot|times|odot|circ|left|right|[bB]igg?[lrm]?|quad|qquad|frac|sum)\s*$")
ABS_OPEN, ABS_CLOSE = "\ue000", "\ue001"


def pair_bars(body: str, text: str) -> str:
    r"""Each bar of ``|u|`` (``\left|u\right|``, ``\lvert u\rvert``, ``\vert u\vert``) as an opening or a closing mark.

    The grammar cannot tell an opening bar from a closing one; this does, keeping every position: a bare bar
    closes the innermost open one when an operand (or a closing bar) stands before it, and opens one otherwise.

    >>> pair_bars("|x - |y||", "") == "\ue000x - \ue000y\ue001\ue001"
    True
    """
    out, depth, at, previous = [], 0, 0, None  # previous: (end, closing) of the last bar
    for match in _BAR.finditer(body):
        before = body[max(0, match.start() - 64) : match.start()]  # what stands just before (not all: quadratic)
        if match.group("close") is not None:
            closing = True
        elif match.group("either") is None:
            closing = False
        elif previous is not None and not body[previous[0] : match.start()].strip():
            closing = depth > 0 and previous[1]  # ||: a closing bar after a closing one, an opening after an opening
        else:
            closing = depth > 0 and bool(_OPERAND_END.search(before)) and not _NOT_OPERANDS.search(before)
        if closing and depth == 0:
            raise ParseError("a closing | with no opening one: write |u| with a bar on each side", match.start(), text)
        depth += -1 if closing else 1
        out += [body[at : match.start()], ABS_CLOSE if closing else ABS_OPEN, " " * (match.end() - match.start() - 1)]
        at, previous = match.end(), (match.end(), closing)
    if depth:
        raise ParseError("a | with no closing one: write |u| with a bar on each side", len(body.rstrip()), text)
    return "".join(out) + body[at:]


_NORM_BAR = re.compile(r"\\(?P<open>lVert)(?![A-Za-z])|\\(?P<close>rVert)(?![A-Za-z])|\\(?:\||Vert(?![A-Za-z]))")
NORM_OPEN, NORM_CLOSE = "\ue002", "\ue003"


def pair_norms(body: str, text: str) -> str:
    r"""Each double bar of a norm (``\|v\|``, ``\lVert v\rVert``, ``\Vert v\Vert``) as an opening or a closing mark.

    ``\lVert`` opens and ``\rVert`` closes; a bare ``\|`` or ``\Vert`` opens when no norm is open, else closes
    (norms inside norms are written with \lVert and \rVert).  Every position is kept.

    >>> pair_norms(r"\|x\|", "") == "\ue002 x\ue003 "
    True
    """
    out, open_, at = [], False, 0
    for match in _NORM_BAR.finditer(body):
        closing = match.group("close") is not None or (match.group("open") is None and open_)
        if closing and not open_:
            message = "a closing \\| with no opening one: write \\|v\\| with a bar on each side"
            raise ParseError(message, match.start(), text)
        if not closing and open_:
            raise ParseError("a norm inside a norm: write the inner one with \\lVert … \\rVert", match.start(), text)
        open_ = not closing
        out += [body[at : match.start()], NORM_CLOSE if closing else NORM_OPEN, " " * (match.end() - match.start() - 1)]
        at = match.end()
    if open_:
        raise ParseError("a \\| with no closing one: write \\|v\\| with a bar on each side", len(body.rstrip()), text)
    return "".join(out) + body[at:]


def _grammar_error(exc: lark.exceptions.UnexpectedInput, body: str, text: str) -> ParseError:
    at = getattr(exc, "pos_in_stream", None)
    at = getattr(getattr(exc, "token", None), "start_pos", None) if at is None else at
    if at is not None and body.startswith("'", at) and re.search(r"_\s*\{\s*[A-Za-z]\s*$", body[:at]):
        index = body[:at].rstrip()[-1]  # \sum_{k'} e^{z_{k'}}: a second index named by a prime
        return ParseError(
            f"a primed index {index}′ in a subscript: name it with another letter, e.g. \\sum_{{l}} e^{{z_l}}", at, text
        )
    if isinstance(exc, lark.exceptions.UnexpectedCharacters):
        pos = exc.pos_in_stream
        if body.startswith("\\\\", pos) or body[pos] == "&":
            message = "a line break or '&' inside one expression: write one formula on one line"
        elif body[pos] == "\\":
            message = f"unknown command {body[pos : pos + 2]}"
        else:
            message = f"unexpected character {body[pos]!r}"
        return ParseError(message, pos, text)
    token = getattr(exc, "token", None)
    if token is None or token.type == "$END":
        message, pos = "unexpected end of input", len(body)
    elif token.type == "EQUAL":
        message, pos = "'=' makes this an equation: give one side of it here", token.start_pos
    elif token.type in ("_ABSOPEN", "_ABSCLOSE"):
        message, pos = "unexpected '|'", token.start_pos
    elif token.type in ("_NORMOPEN", "_NORMCLOSE"):
        message, pos = "unexpected '\\|'", token.start_pos
    elif token.type == "RELOP":
        message, pos = (
            f"unexpected {str(token)!r}: a comparison is read inside an indicator, \\mathbf{{1}}[u > 0]",
            token.start_pos,
        )
    else:
        message, pos = f"unexpected {str(token)!r}", token.start_pos
    # a list of entries (0, \theta_1, \dots, \theta_n) may go on at "," or ";": the closing bracket is what is missing
    expected = sorted(set(getattr(exc, "expected", None) or ()) - {"COMMA", "SEMICOLON", "RELOP", "EQUAL"})
    names = {"RBRACE": "}", "RPAR": ")", "RSQB": "]", "LBRACE": "{"}
    if expected and len(expected) <= 2 and all(e in names for e in expected):
        message += ", expected " + " or ".join(repr(names[e]) for e in expected)
        unclosed = _unclosed(body) if token is None or token.type == "$END" else None
        if unclosed is not None:
            message, pos = message + unclosed[0], unclosed[1]
    return ParseError(message, pos or 0, text)


def _unclosed(body: str) -> tuple[str, int] | None:
    """What to say of a '(' that is never closed (tester 14 L12, L13: (h(θ⁽ⁱ⁾ − y⁽ⁱ⁾).x_j⁽ⁱ⁾), and where it stands (the
    first '(' left open); None when every '(' is closed.

    >>> _unclosed("(a(b) + c")
    (": 2 '(' and 1 ')': the '(' here is never closed", 0)
    """
    opened: list[int] = []
    for at, char in enumerate(body):
        if char == "(":
            opened.append(at)
        elif char == ")" and opened:
            opened.pop()
    if not opened:
        return None
    return f": {body.count('(')} '(' and {body.count(')')} ')': the '(' here is never closed", opened[0]
