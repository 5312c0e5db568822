"""The LaTeX (and Python-syntax) text rewritten before it is read: each rewrite a pattern, what replaces it and the
note that says so, run by the caller on the rewritten text (:func:`run_renamed`), whose report and errors speak of the
text as written."""

from __future__ import annotations

import dataclasses
import re

from ..core.models import Model
from ..models.costs import _ONE_X as ONE_X  # x^{(i)} a number: one definition, show --cost's
from ..models.costs import _SQRT_NORM, _VECTORS, bare_x, one_feature_definition, sqrt_norms
from ..parsing import ParseError
from ..proof.read import model_context
from .usercode import InputError
from .verdict import GradientReport

LAMBDA_LATEX = re.compile(r"\\lambda(?![A-Za-z])|λ")
LAMBDA_PYTHON = re.compile(r"(?<![\w.])(lam|lambda_|lmbda|lambd)(?!\w)|λ")


def run_renamed(written: str, pattern: re.Pattern, name, run, note: str) -> GradientReport:
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
# first equation only: a slip in the second got a plain ✓). The left sides are those parsing.left reads: ∂J/∂θ_j,
# ∇J, \frac{dJ}{dw}, the Specialization's dw, db (dW, dB, d\mathbf{b}, d_b, δb, dJ, grad, gradient, dtheta: review 9's
# D16-D32 dropped dB's line) and updates θ_j :=, θ :=, w :=,
# b := (after \text{ and } the second of dw, db or w :=, b := was dropped, its slip a plain ✓; after a comma refused)
_WORDS = r"\\(?:text|textrm|textit|mbox|mathrm)\s*\{[^{}]{0,40}\}"
_SPACING = rf"(?:\s|\\[,;:! ]|\\q?quad(?![A-Za-z])|~|{_WORDS})"
_SUBSCRIPT = r"(?:_\s*\{?\s*\w+\s*\}?\s*)?"
_LEFT_SIDE = (
    r"\\[dt]?frac\s*\{\s*(?:\\partial|d(?=[A-Za-z\\}\s]))|\\nabla|\\partial|∂|∇"
    rf"|(?:d[wWbB]|dJ|grad(?:ient|J)?|d\\?theta|d\s*\\(?:mathbf|boldsymbol|bm)\s*\{{\s*[wWbB]\s*\}}"
    rf"|d_\s*\{{?\s*[wWbB]\s*\}}?|\\delta\s*(?:_\s*)?\{{?\s*[wWbB]\s*\}}?)(?![A-Za-z])\s*{_SUBSCRIPT}=(?!=)"
    rf"|(?:\\theta|[wWb])(?![A-Za-z])\s*{_SUBSCRIPT}:="
)
_QUAD_EQUATIONS = rf"\s*(?:[,;]{_SPACING}*|\\q?quad(?![A-Za-z]){_SPACING}*|(?:\\ )?{_WORDS}{_SPACING}*)(?={_LEFT_SIDE})"
# Only a gap (a newline, \hspace{1cm}, ~, \; alone) before a whole left side and its = (∂J/∂θ_j =, ∇_θ J =, dB =,
# θ_j :=): a line of its own too, when an equation came before it on its line and the gap does not sit inside a
# product (θ_j := θ_j − α~∂J/∂θ_j = … keeps its α): the reader saw one equation and named a free j as the fault.
_BRACED = r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}"
_EQUATION_LEFT = (
    rf"\\[dt]?frac\s*{_BRACED}\s*{_BRACED}\s*(?:J\s*(?:\([^()]*\))?\s*)?=(?!=)"
    rf"|\\nabla\s*(?:_\s*(?:{_BRACED}|\\[A-Za-z]+|\w))?\s*(?:J|\\ell|L)\s*(?:\([^()]*\))?\s*=(?!=)"
    r"|\\partial\s*J\s*/\s*\\partial[^=\n]{0,30}=(?!=)|[∂∇][^=\n]{0,30}=(?!=)"
    rf"|(?:d[wWbB]|dJ|grad(?:ient|J)?|d\\?theta|d\s*\\(?:mathbf|boldsymbol|bm)\s*\{{\s*[wWbB]\s*\}}"
    rf"|d_\s*\{{?\s*[wWbB]\s*\}}?|\\delta\s*(?:_\s*)?\{{?\s*[wWbB]\s*\}}?)(?![A-Za-z])\s*{_SUBSCRIPT}=(?!=)"
    rf"|(?:\\theta|[wWb])(?![A-Za-z])\s*{_SUBSCRIPT}:="
)
_GAP = r"\s|\\hspace\s*\*?\s*\{[^{}]*\}|~|(?<!\\)\\[,;:! ]|\\enspace(?![A-Za-z])|\\q?quad(?![A-Za-z])"
_APART = re.compile(rf"(?P<quad>{_QUAD_EQUATIONS})|(?P<gap>(?:{_GAP})+)(?={_EQUATION_LEFT})")
_IN_A_PRODUCT = re.compile(r"(?:[-+*/=(\[{,]|\\cdot|\\times|\\(?:alpha|eta)|\\left)\s*$")
_QUAD_NOTE = (
    "the formulas after a comma, \\quad, words or a gap (a new line, \\hspace, ~) between them read as lines of "
    "their own (as if after \\\\)"
)


def _apart(text: str, use: re.Match) -> bool:
    """Whether ``use`` (a match of :data:`_APART`) ends one equation and starts the next."""
    if use.group("quad") is not None:
        return True
    gap = use.group("gap")
    if not gap.strip() and "\n" not in gap:  # spaces alone: a product written side by side
        return False
    before = text[: use.start()].rsplit("\\\\", 1)[-1]  # this line, from the last \\
    return "=" in before and _IN_A_PRODUCT.search(before) is None


# Ng's Specialization, one feature: f_{w,b}(x) = wx + b, w and b numbers, ∂J/∂w and ∂J/∂b by name
_NG_LEFT = re.compile(r"\\partial\s*(?:w|b)(?![A-Za-z_^])")
# x_j^{(i)} beside a number w is x⁽ⁱ⁾'s one feature (j = 1: review 9's F18 dw_j = …x_j^{(i)}); x_1, x_2, w_j are vectors
_NG_VECTORS = re.compile(
    _VECTORS + r"|(?<![A-Za-z\\])w\s*_|(?<![A-Za-z\\])x\s*_(?!\s*\{?\s*j(?![A-Za-z]))|\\theta|\\sum_\s*\{?\s*j|X"
)
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


_INDEX = r"(?P<index>\s*(_\s*\{\s*i\s*\}|_\s*i(?![A-Za-z])|\^\s*\{\s*\(\s*i\s*\)\s*\}))?"
_RATE = re.compile(r"\\(lambda|mu)(?![A-Za-z])" + _INDEX)  # λ, λ_i, μ^{(i)}: the Poisson rate
_Y = r"y(\s*(_\s*\{?\s*i\s*\}?|\^\s*\{\s*\(\s*i\s*\)\s*\}))?"
_RATE_BESIDE_Y = re.compile(rf"{_RATE.pattern}\s*-\s*{_Y}|{_Y}\s*-\s*{_RATE.pattern.replace('(?P<index>', '(')}")


# θ_{1:n}, θ_{1:n+1}: a slice of θ, the rows of a column [0; θ_{1:n}] (Ng's regularised gradient written compactly)
_SLICE = re.compile(r"\\theta\s*_\s*\{\s*(?P<a>\d+)\s*:\s*(?P<b>\d+|n(?:\s*[+-]\s*1)?)\s*\}")
MATRIX_ENV = re.compile(r"\\begin\s*\{[bpBv]?matrix\}")


def lines_apart(text: str, run) -> GradientReport | None:
    r"""∂J/∂θ₀ = …, \quad ∂J/∂θ₁ = … (a comma, \quad or words between them; a new line, \hspace or ~ before a whole
    left side): ``run`` with each a line of its own, as after \\ (the second was dropped: a false ✓ on its slip);
    None when the text joins no two."""
    if not any(_apart(text, use) for use in _APART.finditer(text)):
        return None
    return run_renamed(text, _APART, lambda use: " \\\\ " if _apart(text, use) else use.group(), run, _QUAD_NOTE)


def poisson_rate(text: str, run, model_name: str) -> GradientReport | None:
    """λ or μ beside y (Xᵀ(λ − y)) read as the Poisson rate e^(θᵀx⁽ⁱ⁾), the model's mean, said on the first line (the
    verdict rests on it); None when the text writes no rate beside y."""
    if not _RATE_BESIDE_Y.search(text):
        return None
    index_form = "\\sum" in text or "(i)" in text

    def rate(use: re.Match) -> str:
        return "h_\\theta(x^{(i)})" if use.group("index") or index_form else "h"

    letters = " and ".join(sorted({"λ" if use.group(1) == "lambda" else "μ" for use in _RATE.finditer(text)}))
    reading = f"{letters} read as the Poisson rate e^(θᵀx⁽ⁱ⁾), the model's mean"
    report = run_renamed(text, _RATE, rate, run, f"{reading} ({model_name} has no penalty λ)")
    held = "; ".join(filter(None, (report.holds_for, reading)))  # on the first line: the verdict rests on it
    return dataclasses.replace(report, holds_for=held)


# d2l's mini-batch: Σ_{i ∈ ℬ} over the batch and its size |ℬ|: read as the whole batch, Σ_{i=1}^m and m
_BATCH = r"(?:\\mathcal\s*\{\s*B\s*\}|\\mathcal\s+B|B)"
_MINIBATCH = re.compile(
    rf"(?P<sum>\\sum\s*_\s*\{{\s*i\s*(?:\\in|∈)\s*{_BATCH}\s*\}})"
    rf"|(?P<size>(?:\\left\s*)?(?:\||\\lvert|\\vert)\s*{_BATCH}\s*(?:\\right\s*)?(?:\||\\rvert|\\vert))"
)
# \frac{\alpha}{B}, \frac{1}{b}: the batch's size written B or b (review 12 F7, c06/c09), when that letter is nowhere
# else (b alone is also the bias of (w, b))
_BARE_SIZE = re.compile(r"(?P<before>\\[dt]?frac\s*\{[^{}]*\}\s*\{\s*[0-9]*\s*)(?P<letter>[Bb])(?P<after>\s*\})")
_LETTER = {letter: re.compile(rf"(?<![A-Za-z\\]){letter}(?![A-Za-z])") for letter in "Bb"}
_OWN_M = re.compile(r"(?<![A-Za-z\\])m(?![A-Za-z])")  # the user's own m (the set's size), not \mathcal or \frac
MINIBATCH_NOTE = (
    "the mini-batch ℬ read as all m examples (Σ_{i∈ℬ} as Σ_{i=1}^m, |ℬ| as m): the rule for any batch is this one "
    "on the batch's examples"
)


def minibatch(text: str, run) -> GradientReport | None:
    r"""``\sum_{i \in \mathcal{B}}`` and ``|\mathcal{B}|`` (d2l's mini-batch SGD, t09) read as the full batch; None
    when the text sums over no batch."""
    if not any(use.group("sum") for use in _MINIBATCH.finditer(text)):
        return None
    own_m = _OWN_M.search(_MINIBATCH.sub(" ", text))
    if own_m is not None:  # read as Σ_{i=1}^m, a 1/m would pass for the batch's 1/|ℬ| (review 12 F2)
        raise InputError(
            "a sum over the mini-batch ℬ with m beside it: the batch's mean divides by its size |ℬ|, not by m "
            r"(the examples of the whole set); write \frac{1}{|\mathcal{B}|}\sum_{i \in \mathcal{B}}",
            None,
            text,
        )
    sizes = list(_BARE_SIZE.finditer(text))
    letters = {use["letter"] for use in sizes}
    if len(letters) == 1 and len(_LETTER[min(letters)].findall(_MINIBATCH.sub(" ", text))) == len(sizes):
        letter = min(letters)
        said = f"{MINIBATCH_NOTE}; {letter} read as the batch's size |ℬ|"
        text = _BARE_SIZE.sub(lambda use: f"{use['before']}|\\mathcal{{B}}|{use['after']}", text)
        return run_renamed(text, _MINIBATCH, _full_batch, run, said)
    return run_renamed(text, _MINIBATCH, _full_batch, run, MINIBATCH_NOTE)


def _full_batch(use: re.Match) -> str:
    return r"\sum_{i=1}^{m}" if use.group("sum") else " m "


def sqrt_norm(text: str, run) -> GradientReport | None:
    """√(vᵀv) read as the norm ‖v‖, a number, as --cost reads it (one definition of the rewrite: the cost's); None
    when the text has none."""
    if not _SQRT_NORM.search(text):
        return None
    return run_renamed(text, _SQRT_NORM, lambda use: sqrt_norms(use.group()), run, "√(vᵀv) read as the norm ‖v‖")


def slice_rows(text: str, run) -> GradientReport | None:
    """[0; θ_{1:n}]: θ_{a:b} in a column read as its rows θ_a … θ_b; None when the text has no slice in a column."""
    if not (_SLICE.search(text) and MATRIX_ENV.search(text)):
        return None

    def rows(use: re.Match) -> str:
        return rf"\theta_{{{use['a']}}} \\ \vdots \\ \theta_{{{use['b']}}}"

    return run_renamed(text, _SLICE, rows, run, "θ_{a:b} in a column read as its rows θ_a … θ_b")


def x_as_feature(text: str, run) -> GradientReport:
    """x⁽ⁱ⁾ with no index read as the number x₁⁽ⁱ⁾, as a cost in one feature x reads it."""
    return run_renamed(text, ONE_X, lambda use: "x_1" + use.group()[1:], run, _ONE_X_NOTE)


def x_beside_theta(text: str, run) -> GradientReport | None:
    """∇J = (1/m)Σ(θ₀ + θ₁x + θ₂x² − y)x⁽ⁱ⁾ on a polynomial in x: the x⁽ⁱ⁾ beside θ_k read as x₁⁽ⁱ⁾, the other as
    the example's vector; None when no x⁽ⁱ⁾ stands beside a θ_k."""
    if not _THETA_X.search(text):
        return None
    return run_renamed(text, _THETA_X, lambda use: f"{use['before']}x_1{use['after']}", run, _THETA_X_NOTE)


# The Specialization's dw = …, db = … and \frac{dJ}{dw} (J(w,b) too): the same left sides as ∂J/∂w and ∂J/∂b
_D_LEFT = re.compile(
    r"\\[dt]?frac\s*\{\s*d\s*J\s*(?:\(\s*w\s*,\s*b\s*\)\s*)?\}\s*\{\s*d\s*(?P<frac>[wb])\s*\}"
    r"|(?<![A-Za-z\\])(?:d\s*_\s*|\\delta\s*_?\s*|d)\{?\s*(?P<bare>[wbB])\s*\}?(?:\s*_\s*\{?\s*j\s*\}?)?(?=\s*=)"
)  # dB, d_b, \delta b: db; dw_j: dw (one feature: j = 1)


def ng_written(text: str) -> bool:
    """Whether ``text`` is Ng's one-feature ∂J/∂w, ∂J/∂b (or dw, db, dJ/dw) with w, b and x⁽ⁱ⁾ numbers."""
    return (_NG_LEFT.search(text) is not None or _D_LEFT.search(text) is not None) and _ng_scalars(text)


def ng_names(model: Model, text: str, run) -> GradientReport:
    r"""∂J/∂w and ∂J/∂b of f_{w,b}(x) = wx + b (one feature, w and b numbers) as ∂J/∂θ₁ and ∂J/∂θ₀: w read as θ₁,
    b as θ₀, x⁽ⁱ⁾ as x₁⁽ⁱ⁾, f_{w,b}(x⁽ⁱ⁾) as the model's h_θ(x⁽ⁱ⁾) (or as the definition the cost gives,
    f_{w,b}(x) = wx + b); dw, db and \frac{dJ}{dw} as ∂J/∂w and ∂J/∂b (dw alone was read as θ_j's line for every
    j: 'n = 1 only', and db's w was unknown); ``run`` judges it on one-feature data."""
    if _D_LEFT.search(text):

        def partial(use: re.Match) -> str:
            return rf"\frac{{\partial J}}{{\partial {(use['frac'] or use['bare']).lower()}}}"

        def named(rewritten: str) -> GradientReport:
            return ng_names(model, rewritten, run)

        return run_renamed(text, _D_LEFT, partial, named, "dw, db read as ∂J/∂w, ∂J/∂b")
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

    report = run_renamed(text, _NG, name, run, _NG_NOTE)
    notes = tuple(n for n in report.notes if not n.startswith("θ_1 named on the left"))  # _NG_NOTE says it
    return dataclasses.replace(report, notes=notes)


# Tester 14's course notes, written as their authors wrote them: each read as the notation it stands for, said in a
# note.  ∂J/∂θ_j = ∇_{θ_j}J(θ) = …: a middle side that names the left side again (L01)
_RESTATED = re.compile(
    r"=\s*\\nabla\s*_\s*\{\s*\\theta\s*_\s*\{?\s*j\s*\}?\s*\}\s*(?:J|E|L)\s*(?:\(\s*\\theta\s*\)|\\left\(\s*\\theta\s*"
    r"\\right\))?\s*(?==)"
)
# H_Θ(x) with Θ the parameters (L11): h_θ(x), in a text that writes no θ of its own
_CAPITAL_THETA = re.compile(r"(?P<h>H\s*_\s*(?P<brace>\{\s*)?)?(?P<theta>\\Theta)(?![A-Za-z])")
_MODEL_THETA = re.compile(r"(?<![A-Za-z\\])[Hh]\s*_\s*\{?\s*\\Theta(?![A-Za-z])")
_COLON_GAP = re.compile(r":\s+=")  # θ_j: = θ_j − α … (L12): the assignment :=
# ∂J/∂w_1 with w_0 written (w includes its bias, no b): the entry θ_1 of all of θ, as ∂J/∂θ_1 reads (L16)
_W_ENTRY = re.compile(r"(?P<before>\\partial\s*)(?:\\mathbf\s*\{\s*w\s*\}|w)(?P<sub>\s*_\s*\{?\s*[1-9][0-9]*\s*\}?)")
_W_ZERO = re.compile(r"(?<![A-Za-z\\])w\s*_\s*\{?\s*0\s*\}?(?![0-9])")
# 2.x^{(i)}.(w_0 + …) (L13, L16): a dot between two factors, not a decimal point 0.5 and not a row of dots
_DOT = re.compile(r"(?<!\.)\.(?![.\d])(?=\s*[\w\\({])")
DOT_NOTE = "'.' between two factors read as multiplication (write \\cdot or a space)"


def restated_left(text: str, run) -> GradientReport | None:
    r"""``\frac{\partial J}{\partial\theta_j} = \nabla_{\theta_j}J(\theta) = …``: the middle side is the left side's
    other name, not a right side to judge; None when the text has none."""
    if not _RESTATED.search(text):
        return None
    note = "∇_{θ_j}J(θ) read as another name of ∂J/∂θ_j on the left, not a right side"
    return run_renamed(text, _RESTATED, lambda use: "", run, note)


def capital_theta(text: str, run) -> GradientReport | None:
    r"""``H_\Theta(x^i)`` in a text with no ``\theta``: Θ is the parameters θ, H_Θ the model h_θ; None otherwise."""
    if not _MODEL_THETA.search(text) or re.search(r"\\(?:var)?theta(?![A-Za-z])", text):
        return None  # Θ alone may be a network's weight matrices (Ng's Θ^{(1)}): read only beside H_Θ

    def lower(use: re.Match) -> str:
        return (("h_{" if use["brace"] else "h_") if use["h"] else "") + r"\theta "

    return run_renamed(text, _CAPITAL_THETA, lower, run, "Θ read as the parameters θ (H_Θ as the model h_θ)")


def colon_gap(text: str, run) -> GradientReport | None:
    """``θ_j: = …`` read as ``θ_j := …``; None when no colon stands apart from its '='."""
    if not _COLON_GAP.search(text):
        return None
    return run_renamed(text, _COLON_GAP, lambda use: ":=", run, "': =' read as the assignment ':='")


def w_entry(text: str, run) -> GradientReport | None:
    r"""``\frac{\partial J(\mathbf{w})}{\partial w_1}`` where w_0 is written (no b): θ_1, an entry of all of θ, as
    ∂J/∂θ_1 is read; None otherwise."""
    if not (_W_ENTRY.search(text) and _W_ZERO.search(text)) or re.search(r"(?<![A-Za-z\\])b(?![A-Za-z])", text):
        return None
    note = "w_0 is written: w is all of θ, its bias w_0 included, and w_d the entry θ_d"
    return run_renamed(text, _W_ENTRY, lambda use: use["before"] + r"\theta" + use["sub"], run, note)


def dots_as_products(text: str, run) -> GradientReport | None:
    """``2.x^{(i)}.(…)`` read with each dot between two factors as a product; None when there is no such dot."""
    if not _DOT.search(text):
        return None
    return run_renamed(text, _DOT, lambda use: r" \cdot ", run, DOT_NOTE)
