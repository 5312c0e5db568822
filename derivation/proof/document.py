r"""Reading the sides of one document: its own names, its loose notation, its slips.

A :class:`Document` reads every side of every chain of a user's text in the model's context,
with what the document itself says: the names it defines (:mod:`derivation.proof.define`),
the names it writes with arguments (``L(w)``), whether its sums start at 1.  A side the reader
rejects is read again under the interpretations of :mod:`derivation.proof.interpret`; what was
assumed is kept with the reading, for the report.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from dataclasses import dataclass

import sympy as sp

from ..core.functions import expand_abbreviations, sigmoid
from ..core.notation import X, i, j, k, m, n, theta, x
from ..core.steps import FAILS
from ..oracle.equality import checked_equality
from ..parsing import LatexContext, ParseError, line_of, split_chain
from ..parsing.letters import letter_sign
from ..printing.expr import to_unicode
from .conventions import N_AS_M, as_m, example_count, n_as_m, numbered_from_zero, rename, slips, widen_sums
from .define import NameDefinition, expand, in_effect, key_of
from .extract import Chain, Side
from .facts import (
    INTERCEPT_WORDS,
    SLOPE_WORDS,
    SUPERSCRIPT_WORDS,
    as_subscripts,
    biased_cost,
    for_one_example,
    intercept_as_wb,
    intercept_line,
    intercept_squash,
    is_label_sum,
    is_own_cost,
    one_example_said,
    one_feature_superscripts,
    says_one_example,
    says_one_hot,
    scalar_network,
    slope_as_w,
    slope_form,
    w_from_one,
    weighted_cost,
)
from .interpret import (
    MODEL_H_WORDS,
    likelihood,
    loosen,
    placeholders_free,
    primed_names,
    strip_arguments,
    with_names,
)
from .nodes import find_nodes, is_node_name
from .read import read_side, with_norms

BOLD_OPEN = r"\\(?:mathbf|boldsymbol|bm)\s*\{\s*"  # \mathbf{, \boldsymbol{, \bm{
# A lone name on the left of "=": p, p_i, z_{i}, \alpha_i, \hat{y}_i, L(w), \ell(\theta), x^{(i)}-free.
LONE_NAME = re.compile(
    r"^\s*(?P<name>\\(?:hat|widehat|tilde|bar)\s*\{\s*[A-Za-z]\s*\}|\\(?:bar|overline)\s*\{\s*\\[A-Za-z]+\s*\}|\\(?:hat|widehat|tilde|bar)\s+[A-Za-z]|"
    r"\\(?:mathcal|mathscr|mathrm|operatorname)\s*\{\s*[A-Za-z]+\s*\}|\\mathcal\s+[A-Za-z]|"
    + BOLD_OPEN
    + r"\\(?:delta|epsilon|varepsilon)\s*\}|"  # 𝛅 = σ(Xθ) − y: a name
    r"[A-Za-z]|\\[A-Za-z]+)(?P<sub>_\{?[A-Za-z0-9]\}?)?(?P<example>\^\{\s*\(\s*[a-z]\s*\)\s*\})?"
    r"(?P<sub2>_\{?[A-Za-z0-9]\}?)?\s*(?P<args>(\\left\s*)?\(.*\))?\s*$",
    re.DOTALL,
)
CHECKED_FUNCTIONS = {"h", "J", "G", "g", r"\sigma", r"\log", r"\ln", r"\exp"}
# -log P(D|w), p(y | X, w): a likelihood, written out on the next side.
LIKELIHOOD = re.compile(r"(?<![A-Za-z\\])[Pp]\s*(\\left\s*)?\((?:[^()]|\([^()]*\))*(\||\\mid|\\vert)")


# Σ_j θ_j², Σ_{j} |θ_j| with no limits: a penalty, whose range the model says
_LIMITLESS_PENALTY = re.compile(
    r"\\sum\s*_\s*(?:\{\s*j\s*\}|j)(?![A-Za-z0-9])(?!\s*\^)(?=\s*(\\left\s*)?(\||\\lvert)?\s*\\theta\s*_\s*\{?\s*j)"
)
_PENALTY_WORDS = "read the penalty's Σ_j with no limits as j = 1, …, n: θ₀ left out, as in the model's cost"
_PREDICTION_NAME = re.compile(r"h|\\(?:hat|widehat)\s*\{\s*y\s*\}")  # names the reader takes for the model's
_ENTRY_INDEX = r"\s*(?:_\s*\{?\s*[a-z]\s*\}?(?![A-Za-z])|\^\s*\{\s*\(\s*[a-z]\s*\)\s*\})"  # _i, _{i}, ^{(i)}
# a letter standing for a vector of the text's own, never a parameter (θ, β, w), σ, λ or α: δ = σ(Xθ) − y, 𝛅, ε
_ERROR_GREEK = r"delta|epsilon|varepsilon|eta|xi|zeta|rho|mu|nu|tau|phi|varphi|psi|omega|gamma|kappa|chi"
_BOLD_GREEK = rf"{BOLD_OPEN}\\(?:{_ERROR_GREEK})\s*\}}"  # \boldsymbol{\delta}
# h = g(Xθ), \hat{y} = \sigma(X\theta), δ = σ(Xθ) − y, \boldsymbol{\delta} = …
_VECTOR_NAME = rf"[A-Za-z]|\\(?:hat|widehat)\s*\{{\s*y\s*\}}|\\(?:{_ERROR_GREEK})|{_BOLD_GREEK}"
# A loss written with the parameters as its arguments, 𝓛(w), L(w, b), E(\theta): the arguments are no product
_PARAMETER = rf"({BOLD_OPEN}(?:w|\\theta)\s*\}}|w|\\theta|b)"
_LOSS_OF_PARAMETERS = re.compile(
    r"(?P<name>\\mathcal\s*\{\s*[LJE]\s*\}|\\ell|(?<![A-Za-z\\])[LEC])\s*(\\left\s*)?\(\s*"
    + _PARAMETER
    + r"(\s*,\s*"
    + _PARAMETER
    + r")?\s*(\\right\s*)?\)"
)
IMPLIED_LOSS = "the model's loss of one example, with the prediction ŷ: not defined in the text"
IMPLIED_LOSS_OF_A = "the model's loss of one example, of the text's a = σ(z): not defined in the text"
_WHERE = re.compile(r"^\s*,?\s*(where|with|let|here|and|for)\b\s*(?P<rest>[^=]+=[^=]+)$", re.DOTALL)
# The notation's own letters: an equation with one of them on the left is a case or an update, not a name.
_NOTATION = {"x", "y", "theta", "X", "m", "n", "i", "j", "k", "w", "J"}


@dataclass(frozen=True)
class Reading:
    """A side as SymPy (``expr``), or why it could not be read (``error``, positioned in the document)."""

    expr: sp.Basic | None
    error: ParseError | None = None
    interpretations: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


# log μ_i = x_iᵀβ: a GLM's link, which defines μ_i (as e^{x_iᵀβ}); not an identity at any μ
_LINK = re.compile(r"^\s*\\(?:log|ln)\s*(?:\\left\s*)?(?P<open>\()?(?P<name>[^()=]+?)(?(open)\s*(?:\\right\s*)?\))\s*$")


def link_name(latex: str) -> str | None:
    r"""The name a link defines (``\mu_i`` of ``\log\mu_i``, ``\log(\mu_i)``), else None."""
    found = _LINK.match(latex)
    if found is None:
        return None
    name = found["name"].strip()
    # a mean's small letter (μ_i, λ, p_i), never a likelihood's L or ℓ: log L = Σ … is a step to check
    # (\mathcal{L}, \operatorname, \text: a command that dresses a letter is not a small letter)
    small = re.fullmatch(
        r"(\\(?!ell(?![A-Za-z])|math|operatorname|text|bold)[a-z]+|[a-z])(?![A-Za-z]).*", name, re.DOTALL
    )
    match = LONE_NAME.match(name)
    function = match is not None and match.group("name") in (*CHECKED_FUNCTIONS, r"\phi", "f")  # log σ = …: a claim
    return name if small and match is not None and not match.group("args") and not function else None


def is_definition(latex: str) -> bool:
    """True when the side is a lone name (not h_θ(…), J(…), σ(…) of the model), or a link's log μ_i: the equation
    defines it."""
    match = LONE_NAME.match(latex) or LONE_NAME.match(with_names(latex, placeholders=False).text)  # θj := …
    if match is None:
        return link_name(latex) is not None or is_node_name(latex)
    # J_i(θ) = …: a per-example cost of the text's own, not the model's J(θ)
    return not (match.group("args") and match.group("name") in CHECKED_FUNCTIONS and not match.group("sub"))


def defines_a_name(note: str | None) -> bool:
    r"""True when the words on an ``=`` define a name (``where h_i = \sigma(z_i)``) rather than name a rule."""
    return bool(note) and _WHERE.match(_words(note)) is not None


def _words(note: str) -> str:
    return re.sub(r"\\text\s*\{([^{}]*)\}", r" \1 ", note).replace("$", " ")


def is_likelihood(latex: str) -> bool:
    return LIKELIHOOD.search(latex) is not None


# the ML Specialization's f_{\vec w,b}(\vec x) = \vec w \cdot \vec x + b: θᵀx with x₀ = 1, b its θ₀ and w_j its θ_j
_VECTOR = r"(?:\\(?:vec|mathbf|boldsymbol|bm)\s*(?:\{\s*%s\s*\}|%s)|%s)"
_DOT_PLUS_B = re.compile(
    _VECTOR % ("w", "w", "w")
    + r"\s*\\cdot\s*"
    + _VECTOR % ("x", "x", "x")
    + r"(?P<example>\s*\^\s*\{\s*\(\s*i\s*\)\s*\})?\s*\+\s*b(?![A-Za-z])"
)
_TRANSPOSED_PLUS_B = re.compile(
    _VECTOR % ("w", "w", "w")
    + r"\s*\^\s*(?:\{\s*(?:T|\\top|\\intercal)\s*\}|T|\\top|\\intercal)\s*"
    + _VECTOR % ("x", "x", "x")
    + r"(?P<example>\s*\^\s*\{\s*\(\s*i\s*\)\s*\}|\s*_\s*(?:\{\s*i\s*\}|i))?\s*\+\s*b(?![A-Za-z])"
)
_J_OF_W_B = re.compile(r"J\s*(\\left\s*)?\(\s*" + _VECTOR % ("w", "w", "w") + r"\s*,\s*b\s*(\\right\s*)?\)")
_BY_B = re.compile(r"\\partial\s*b(?![A-Za-z])")  # ∂J/∂b: by the bias, θ₀
_DOTTED_WORDS = "read {written} + b as θᵀx (x₀ = 1): b is θ₀ and w_j is θ_j, so ∂/∂b is ∂/∂θ₀"

_NAMED_E = re.compile(r"^\s*e\s*_\s*(\{\s*)?[a-z](\s*\})?\s*$")  # e_i = …: the text names its error term e
_NAMED_E_WORDS = "read e_i as ε_i, the text's own name for its error term (not Euler's number e)"


# one example's true class y (an integer, not a one-hot vector): 1{k = y}, 𝟙[y = k], z_y, p_y
_INDICATOR_Y = re.compile(
    r"\\mathbb\s*\{?\s*1\s*\}?\s*(\\left\s*)?(\\\{|\[)\s*"
    r"((?P<k>[a-z])\s*=\s*y|y\s*=\s*(?P<k2>[a-z]))\s*(\\right\s*)?(\\\}|\])"
)
_TRUE_CLASS = re.compile(r"\b(true|correct|target)\s+(class|label)\s+\$?\s*y\s*\$?(?![A-Za-z])")
_CLASS_Y_WORDS = (
    "read the true class y as one fixed class (class 2 of the K = 3 sampled): k runs over every class, so k = y "
    "and k ≠ y are both checked (the classes are interchangeable)"
)


# (a^{(1)}, a^{(2)}, ..., a^{(m)}): the columns of the matrix the chain defines, one per example
COLUMNS = re.compile(
    r"^\s*(\\left\s*)?\(\s*(?P<name>[a-z])\s*\^\s*\{\s*\(\s*1\s*\)\s*\}\s*,.*,\s*(?P=name)\s*\^\s*\{\s*\(\s*m\s*\)\s*\}"
    r"\s*(\\right\s*)?\)\s*$"
)


_NORM = re.compile(r"\\\||\\[lr]?Vert(?![A-Za-z])")
_NORM_WORDS = "read ‖v‖ as the Euclidean norm √(vᵀv) and ‖θ‖₁ as Σ_j |θ_j|"


def _with_norms(loose, context) -> tuple[sp.Basic | None, list[str]]:
    """A side with a norm left after ‖v‖² was read as vᵀv (λ‖θ‖₁, ‖v‖): read as ``--cost`` reads norms; else None."""
    if _NORM.search(loose.text) is None:
        return None, []
    try:
        return read_side(loose.text, with_norms(context)), [*loose.used, _NORM_WORDS]
    except ParseError:
        return None, []


class Document:
    """The reading of every side of ``text``, in the context of the model ``hypothesis``."""

    def __init__(
        self,
        text: str,
        chains: list[Chain],
        context_of,
        declared: list[Chain] = (),
        named: bool = False,
        own: bool = False,
        summed: tuple[int, bool] | None = None,
        own_words: str | None = None,
    ):
        self.text = text
        self.own_words = own_words  # why J is the text's own cost, where no fact of facts.py says it (its own h)
        self.summed = (
            summed  # (line, mean?) of the text's J = (1/m)Σ…: J in a one-example chain too (facts.summed_cost)
        )
        self.own_cost = own  # J(w, b) is the text's own one-feature cost (facts.own_cost), w a number
        self.example_weight = weighted_cost(text, chains)  # J(θ) = ½Σ w_i(θᵀx_i − y_i)²: w_i data, not θ
        self.slope = slope_form(text)  # y = m x + c: m the slope (read w), c the intercept (b), n the count
        self.smoothed = smoothed_labels(chains)  # ỹ⁽ⁱ⁾ = 0.9y⁽ⁱ⁾ + 0.05: put in wherever ỹ is used (review 12 F6)
        self.intercept_line = intercept_line(text)  # h_θ(x) = θ₀ + θ₁x: θ₁ read w, θ₀ read b, x⁽ⁱ⁾ read x_i
        self.intercept = self.intercept_line is not None
        self.squash = intercept_squash(text)  # h_θ(x) = σ(θ₀ + θ₁x): h_θ(x⁽ⁱ⁾) read σ(w x_i + b)
        self.superscripts = own and one_feature_superscripts(text)  # ŷ⁽ⁱ⁾ = w x⁽ⁱ⁾ + b: x⁽ⁱ⁾ read x_i
        # f_{w,b}(x) = wx + b of one feature (the Specialization's week 1): f_{w,b}(x⁽ⁱ⁾) read as w x_i + b
        self.own_f = _scalar_f(chains) if self.superscripts else None
        # f_{w,b}(x) = w·x + b (the ML Specialization), σ(wᵀx + b), z_i = wᵀx_i + b: b the intercept beside w (no x₀)
        self.plus_b = next((p for p in (_DOT_PLUS_B, _TRANSPOSED_PLUS_B) if p.search(text)), None)
        if self.plus_b is _TRANSPOSED_PLUS_B and (biased_cost(text, chains) or not _J_OF_W_B.search(text)):
            # wᵀx + b read as θᵀx only in the course's J(w, b) = …: a bare J is the text's own cost, its b apart
            # (facts.biased_cost), and z = wᵀx + b of one example's L keeps b, the variable its ∂L/∂b is by
            self.plus_b = None
        self.dotted = self.plus_b is not None
        self.named_e = any(_NAMED_E.match(chain.sides[0].latex) for chain in chains if len(chain.sides) == 2)
        self.class_y = _INDICATOR_Y.search(text) is not None or _TRUE_CLASS.search(text) is not None
        self.named = named  # the user named the model (--hypothesis): an undefined L can be its cost
        self.context_of = context_of  # example: bool → LatexContext
        written = "\n".join([text, *(f"$${c.sides[0].text} = {c.sides[1].text}$$" for c in declared)])
        self.placeholders = placeholders_free(written)
        self.own_h: NameDefinition | None = None  # the text's own h = σ(−θᵀx), once every name is collected
        # h(x) = g(θᵀx), ℓ(θ; x, y) = …: applied to other arguments, the body at those arguments
        self.functions = _defined_functions(text, chains)
        self.bars = _defined_bars(text, chains)  # x̄ = (1/m)Σ x⁽ⁱ⁾: the text's name, read with a letter it never uses
        self.nodes = find_nodes(written)  # net_{o1}, O_3, a^{[2]}: one name each
        self.scalar_network = scalar_network(text)
        self.w_from_one = w_from_one(text)  # Σ_{j=1}^n |w_j|, no w_0 nor b: the rows j ≥ 1 are the text's w
        self.count = example_count(text)  # Σ_{i=1}^{N}: N is m
        self.sums_from_one = bool(re.search(r"\\sum\s*_\s*\{?\s*i\s*=\s*1", text))
        # "with Σ_k y_k = 1": the line of the fact the text states of its labels (the steps use it)
        facts = [line_of(text, chain.sides[0].start) for chain in chains if is_label_sum(chain)]
        self.labels_sum_line = facts[0] if facts else says_one_hot(text)  # or "with a one-hot $y$" in the prose
        self.one_example = says_one_example(text)  # CS229's "working with just one training example (x, y)"
        self.said_one = one_example_said(text, chains)  # J = (1/m)Σ… on this line, and "SGD, one example at a time"
        self.with_arguments = {
            m.group("name") if m.group("name") not in CHECKED_FUNCTIONS else m.group("name") + m.group("sub")  # J_i(θ)
            for chain in chains
            if (m := LONE_NAME.match(chain.sides[0].latex)) and m.group("args") and is_definition(chain.sides[0].latex)
        } | {m.group("name") for m in _LOSS_OF_PARAMETERS.finditer(text)}  # 𝓛(w) the text never defines
        self.with_arguments |= ({"J"} if own else set()) | self.nodes.called(text)
        # h = g(X\theta): a bare name the text defines as a vector of the matrix form, put in where it is used
        self.vectors = _vector_names([*chains, *declared])
        self.diagonals = [  # W = diag(w_1, …, w_m): the example weights as a matrix, which no step is read with
            chain.sides[0].latex.strip()
            for chain in chains
            if re.fullmatch(r"[A-Z]", chain.sides[0].latex.strip()) and _DIAG.match(chain.sides[1].latex)
        ]
        self._cache: dict[tuple[str, bool, str], Reading] = {}
        # g(z) = 1/(1 + e^{z}), σ(z) = 1/(1 + e^{z}): the text's own g or σ, not the sigmoid (read as its body)
        own = tuple(f for name in ("g", r"\sigma") if (f := self._own_g(text, chains, name)) is not None)
        if own:
            self.functions = _Functions((*self.functions.found, *own))
            self._cache.clear()
        # σ (or g) redefined: the model's h_θ, and its J where no J = … is written, are the sigmoid's (refused)
        self.writes_j = any(len(c.sides) >= 2 and _J_WRITTEN.match(c.sides[0].latex) for c in chains)
        self.sigma_line = next((f.line for f in own), None)
        # "the sigmoid with a temperature τ, σ(z) = 1/(1 + e^{−z/τ})": ✗ as a claim; the steps after it use the text's σ
        misnamed = (self._misnamed_sigmoid(text, chains, name) for name in ("g", r"\sigma"))
        self.misnamed = next((found for found in misnamed if found is not None), None)
        self._costs: dict[tuple[sp.Basic, sp.Basic], tuple[str, bool]] = {}
        self.definitions: list[NameDefinition] = []
        self.checked_links: set[int] = set()  # where log p_i = … follows p_i's definition: a step, not a link
        self.unread: dict[sp.Basic, ParseError] = {}  # names defined only by sides that cannot be read
        for chain in declared:  # before the whole text: the text's own definition of a name wins where it is
            self._collect(chain, declared=True)
        for chain in chains:
            self._collect(chain)
            for relation in chain.relations:
                self._collect_note(relation)
            self._collect_columns(chain)
        self.own_h_starts = self._collect_written_h(chains)  # h_θ(x) = σ(−θᵀx): the text's h, a definition
        self.own_h = self._own_h()
        if self.own_h is not None:  # h = σ(−θᵀx), then h(x⁽ⁱ⁾): the text's h at example i, in every name read so far
            self._cache.clear()
            own, put = self.own_h, self._put_own_h
            self.definitions = [d if d is own else dataclasses.replace(d, body=put(d.body)) for d in self.definitions]

    # --- reading -----------------------------------------------------------------------------------

    def read(self, side: Side, example: bool = False, variable: str = "z") -> Reading:
        """The side as read; ``variable`` is what a σ written without argument is σ of."""
        key = (side.text, example, variable)
        if key not in self._cache:
            reading = self._read(side, example, variable)
            error = reading.error
            if error is not None and _DOTS_ADVICE.search(error.message):  # \cdots is an ellipsis, not a mistyped \cdot
                words = _DOTS_ADVICE.sub(_DOTS_WORDS, error.message)
                reading = dataclasses.replace(reading, error=ParseError(words, error.position, self.text))
            self._cache[key] = reading
        return self._cache[key]

    def _at_both(self, side: Side, example: bool, variable: str, general: re.Match) -> Reading:
        """θ_j of a text of one feature read at j = 0 and at j = 1: δ_j0·(at 0) + (1 − δ_j0)·(at 1), so both sides of a
        step agree at every sampled j only when the step holds for θ₀ and for θ₁."""
        letter = general.group("letter")
        at = [
            self._read(
                dataclasses.replace(
                    side, text=_GENERAL_THETA.sub(lambda f, v=v: f.group().replace(letter, v), side.text)
                ),
                example,
                variable,
            )
            for v in "01"
        ]
        failed = next((r for r in at if r.error is not None or r.expr is None), None)
        if failed is not None:
            return failed
        delta = sp.KroneckerDelta({"j": j, "k": k}[letter], 0)
        words = _GENERAL_THETA_WORDS.format(letter=letter, line=self.intercept_line)
        expr = delta * at[0].expr + (1 - delta) * at[1].expr
        used = tuple(dict.fromkeys((*at[0].interpretations, *at[1].interpretations, words)))
        return dataclasses.replace(at[1], expr=expr, interpretations=used)

    def _read(self, side: Side, example: bool, variable: str) -> Reading:
        context: LatexContext = self.context_of(example)
        # 2.(w_0 + w_1 x^{(i)}), 2.x^{(i)}.(…) (notebook.community D5): '.' between two factors is their product; and
        # h_\mathbf{w}(x)^{(i)}, h at example i; both in place (positions stay)
        text = _DOT_PRODUCT.sub(" ", side.text)
        smoothed = self.smoothed is not None and side.start != self.smoothed[0] and TILDE_Y.search(text) is not None
        if smoothed:
            text = TILDE_Y.sub(lambda found: smoothed_at(self.smoothed, found), text)
        text = _H_THEN_EXAMPLE.sub(lambda found: f"{found['h']}(x{found['example']}){' ' * len(found['close'])}", text)
        dotted = [_DOT_WORDS] if _DOT_PRODUCT.search(side.text) else []
        dotted += [_H_THEN_EXAMPLE_WORDS] if _H_THEN_EXAMPLE.search(side.text) else []
        dotted += [_SMOOTHED_WORDS.format(line=line_of(self.text, self.smoothed[0]))] if smoothed else []
        reading = self._read_rewritten(dataclasses.replace(side, text=text), example, variable, context)
        if dotted and reading.error is None:
            return dataclasses.replace(reading, interpretations=(*reading.interpretations, *dotted))
        return reading

    def _read_rewritten(self, side: Side, example: bool, variable: str, context: LatexContext) -> Reading:
        # before J(θ₀, θ₁) loses its arguments
        text = intercept_as_wb(side.text, self.squash) if self.intercept else side.text
        text = _ELLIPSIS_SUM.sub(r"\\theta^T x", text)  # θ₀ + θ₁x₁ + θ₂x₂ + …. (IvanHalim): θᵀx, x₀ = 1
        text = _ELLIPSIS_TO_N.sub(lambda f: r"\theta^T x" + (f["example"] or ""), text)  # θ₀ + θ₁x₁ + ⋯ + θ_n x_n
        general = _GENERAL_THETA.search(side.text) if self.intercept else None
        mixed = _GENERAL_SUM.search(self.text) if general is not None else None
        if mixed is not None:  # h = θ₀ + θ₁x, then Σ_{i=0}^n θ_i x_i (geeksmental): one feature or n? not guessed
            words = _MIXED_WORDS.format(line=self.intercept_line, sum_line=line_of(self.text, mixed.start()))
            return Reading(None, ParseError(words, side.start + general.start(), self.text))
        if general is not None:  # ∂/∂θ_j of a one-feature text: j is 0 or 1, read at each, δ_j0 picking one
            return self._at_both(side, example, variable, general)
        text = cases_as_delta(text)  # \begin{cases} A & j = 0 \\ B & j \geq 1 \end{cases}: δ_j0 A + (1 − δ_j0) B
        if self.own_f is not None and side.start != self.own_f[1]:
            text = _F_APPLIED.sub(lambda found: _f_at(self.own_f[0], found.group("arg")), text)
        subscripted = as_subscripts(text) if self.superscripts else text
        superscripts = subscripted != text
        entry = self._vector_entry(subscripted)
        if entry is not None:  # ŷ⁽ⁱ⁾ of ŷ = σ(−Xθ): the reader would take ŷ⁽ⁱ⁾ for the model's σ(θᵀx⁽ⁱ⁾)
            return Reading(None, ParseError(entry, side.start, self.text))
        # h = σ(−Xθ), ŷ = … the text defines: put in before reading, or the reader takes them for the model's σ(Xθ)
        subscripted, used_vectors = self._put_vectors(subscripted, side.text, _PREDICTION_NAME)
        if self.functions and side.start not in self.functions.starts:  # h(x⁽ⁱ⁾): h's body with x⁽ⁱ⁾ for x
            try:
                subscripted, applied = self.functions.applied(subscripted)
            except ParseError as error:  # g′(θᵀx) of the text's own g: said in words, never read as σ′
                return Reading(None, ParseError(error.message, side.start, self.text))
            used_functions = [_APPLIED_WORDS.format(name=f.shown, line=f.line) for f in applied]
        else:
            used_functions = []
        zeta = _ZETA_APPLIED.search(subscripted)
        if zeta is not None and _ZETA_DEFINED.search(self.text) is None:  # Goodfellow's ζ(…), defined nowhere
            return Reading(None, ParseError(ZETA_WORDS, side.start, self.text))
        text = strip_arguments(primed_names(subscripted, self.with_arguments), self.with_arguments)
        text, squared = _squared_diagonals(text, self.diagonals)  # XᵀS²X: S S, a product the reader builds
        counted_n = (
            not self.slope and self.count == "n" and re.search(r"(?<![A-Za-z\\])n(?![A-Za-z])", text) is not None
        )
        text = n_as_m(text) if counted_n else text  # before reading: θᵀx's own n (the features) stays
        sloped = self.slope and re.search(r"(?<![A-Za-z\\])[mc](?![A-Za-z])", text) is not None
        text = slope_as_w(text) if self.slope else text  # the slope m is no example count: read as w
        dotted = self.dotted and (self.plus_b.search(text) or _BY_B.search(text))
        if dotted:  # the ML Specialization's w·x + b and ∂J/∂b: θᵀx with b its θ₀
            text = _BY_B.sub(r"\\partial \\theta_0", self.plus_b.sub(r"\\theta^T x\g<example>", text))
        rewritten = self.nodes.rewrite(with_names(text, self.placeholders))
        if _H_OF_EXAMPLE_RE.search(rewritten.text):  # h(x_i): h at example i (the text's or the model's), not h·x_i
            rewritten.sub(_H_OF_EXAMPLE, r"h_\\theta(x^{(\g<example>)})", _H_OF_EXAMPLE_WORDS)
        for pattern, placeholder, _ in self.bars:
            rewritten.sub(pattern, lambda _, written=placeholder: written)
        if self.scalar_network:  # ∇_{w^{(2)}} L of a network of numbers
            self.nodes.gradients(rewritten)
        if self.named_e:  # e_i = wᵀx_i + b − y_i: the text's own error term, not Euler's e
            rewritten.sub(r"(?<![A-Za-z\\])e(?=\s*_)", r"\\epsilon ", _NAMED_E_WORDS)
        if self.class_y:  # −log p_y, 1{k = y}: y the true class, one class of the K, k runs over all of them
            rewritten.sub(r"(?<=[zpa])\s*_\s*(\{\s*y\s*\}|y)(?![A-Za-z])", "_2", _CLASS_Y_WORDS)
            rewritten.sub(_INDICATOR_Y, lambda found: rf"\delta_{{{found['k'] or found['k2']}2}}", _CLASS_Y_WORDS)
        if self.penalty_from_one:  # Ng's λ/(2m) Σ_j θ_j²: the bias θ₀ is left out, as in the model's penalty
            rewritten.sub(_LIMITLESS_PENALTY, r"\\sum_{j=1}^{n} ", _PENALTY_WORDS)
        try:
            expr = read_side(rewritten.text, context)
            used: list[str] = list(rewritten.used)
        except ParseError:
            loose = loosen(likelihood(rewritten, example), variable)
            loose.text = strip_arguments(loose.text, self.with_arguments)  # ∇J → ∂J(θ)/∂θ, J the text's own name
            try:
                expr = read_side(loose.text, context)
                used = list(loose.used)
            except ParseError as error:
                expr, used = _with_norms(loose, context)
                if expr is None:  # a = σ(−z), z = Xθ: the other names the text defines as vectors
                    vectors, used = self._put_vectors(text, side.text)
                    expr, used = self._read_vectors(vectors, context, variable, used) if used else (None, [])
                if expr is None:
                    where = side.start + (loose.position(error.position) or 0)
                    diagonal = self._diagonal_in(side.text)
                    shapes = self._shape_fault(text, side.text, context) if diagonal is not None else None
                    if shapes is not None:  # X S Xᵀ with S = diag(…) put in: the product's shapes, not S
                        return Reading(None, ParseError(shapes, side.start, self.text))
                    if diagonal is not None:
                        where = side.start + diagonal[1]
                        return Reading(None, ParseError(_DIAGONAL_WORDS.format(name=diagonal[0]), where, self.text))
                    return Reading(None, ParseError(error.message, where, self.text))
        expr = _bars_as_written(self.nodes.as_written(expr), self.bars)
        used = used_vectors + used + squared
        used += self.nodes.used(side.text) + ([N_AS_M] if counted_n else []) + ([SLOPE_WORDS] if sloped else [])
        intercepted = self.intercept and text != side.text and not used_functions
        form = f"{'σ' if self.squash == chr(92) + 'sigma' else self.squash}(θ₀ + θ₁x)" if self.squash else "θ₀ + θ₁x"
        used += [INTERCEPT_WORDS.format(line=self.intercept_line, form=form)] if intercepted else []
        used += [_DOTTED_WORDS.format(written="w·x" if self.plus_b is _DOT_PLUS_B else "wᵀx")] if dotted else []
        used += used_functions
        used += [SUPERSCRIPT_WORDS] if superscripts and not self.intercept else []
        expr, renamed = rename(expr, scalar_w=self.own_cost, weight=self.example_weight)
        expr = _over_examples(expr)
        expr, widened = widen_sums(expr)
        expr, counted = as_m(expr, None if self.count == "n" else self.count)  # n: done on the text
        expr, shifted = numbered_from_zero(expr)
        counted += shifted
        widened += counted
        expr, warnings = slips(expr, self.sums_from_one)
        if self.own_h is not None and (put := self._put_own_h(expr)) != expr:
            expr = put
            words = _OWN_H_AT.format(line=self.own_h.line, body=to_unicode(self.own_h.body))
            used = [words if w in (MODEL_H_WORDS, _H_OF_EXAMPLE_WORDS) else w for w in used] + [words]
        return Reading(expr, None, tuple(dict.fromkeys(used + renamed + widened)), tuple(warnings))

    def _collect_written_h(self, chains: list[Chain]) -> frozenset[int]:
        """h_θ(x) = …, h(x⁽ⁱ⁾) = … the text writes, not the model's h_θ: defined as its bare h of one example (where the
        first sides start)."""
        written = [c for c in chains if len(c.sides) == 2 and _WRITTEN_H.match(c.sides[0].latex)]
        if not written:  # the usual text: nothing to read (this runs once per model inferred_hypothesis tries)
            return frozenset()
        model = self.context_of(True).example_hypothesis
        h = key_of(self.read(Side("h", 0, 0, ())).expr or sp.S.Zero)
        if model is None or h is None or any(str(d.key) == "h" and not d.params for d in self.definitions):
            return frozenset()
        for chain in written:
            body = self.read(chain.sides[1]).expr
            if not isinstance(body, sp.Expr) or body.has(X) or body.has(model):
                continue
            body = body.replace(  # h_θ(x⁽ⁱ⁾) = σ(−θᵀx⁽ⁱ⁾): of one example, as h = … is
                lambda e: isinstance(e, sp.Indexed) and e.base == x and len(e.indices) == 2 and e.indices[0] == i,
                lambda e: x[e.indices[1]],
            )
            if not _of_one_example(body):
                continue
            if _is_models_h(body, model().definition()):
                # h_θ(x) = σ(θᵀx), then "writing the sigmoid out, h_θ(x) = 1/(1 + e^{θᵀx})": the first rules, the
                # later h is a claim about it (checked), not the text's own h replacing it
                return frozenset()
            first = chain.sides[0]
            line = line_of(self.text, first.start)
            self.definitions.append(NameDefinition(h[0], (), body, line, first.start))
            return frozenset({first.start})
        return frozenset()

    def _own_h(self) -> NameDefinition | None:
        """The text's own h = … of one example (no Σ, no X, no x⁽ⁱ⁾) that h(x⁽ⁱ⁾), h_θ(x⁽ⁱ⁾) or h(x) stand for."""
        own = self.own_prediction
        return own if own is not None and _of_one_example(own.body) else None

    def _put_own_h(self, expr: sp.Basic) -> sp.Basic:
        """``expr`` with the model's h_θ(x⁽ⁱ⁾) (h_θ(x) of one example) replaced by the text's h at that example."""
        example, indexed = self.context_of(True), self.context_of(False)
        written = (example.hypothesis, indexed.hypothesis, example.example_hypothesis)  # h_θ(x⁽ⁱ⁾) and h_θ(x)
        models = tuple({h for h in written if h is not None})
        if not isinstance(expr, sp.Basic) or not models or not expr.has(*models):
            return expr

        def at(application: sp.Basic) -> sp.Basic:
            if not application.args:
                return self.own_h.body
            example = application.args[0]
            return self.own_h.body.replace(
                lambda e: isinstance(e, sp.Indexed) and e.base == x and len(e.indices) == 1,
                lambda e: x[example, e.indices[0]],
            )

        return expr.replace(lambda e: isinstance(e, models), at)

    def _diagonal_in(self, text: str) -> tuple[str, int] | None:
        """The name the text defines as diag(w_1, …, w_m) and where ``text`` uses it, if it does."""
        for name in self.diagonals:
            found = re.search(r"(?<![A-Za-z\\])" + re.escape(name) + r"(?![A-Za-z])", text)
            if found is not None:
                return name, found.start()
        return None

    def _read_vectors(self, text: str, context, variable: str, used: list[str]) -> tuple[sp.Basic | None, list[str]]:
        """The side with the text's vector names put in (``text``), read as written or loosened; None if no help."""
        rewritten = self.nodes.rewrite(with_names(text, self.placeholders))
        for attempt in (rewritten, loosen(rewritten, variable)):
            try:
                return read_side(attempt.text, context), used + list(attempt.used)
            except ParseError:
                continue
        return None, []

    def _own_g(self, text: str, chains: list[Chain], name: str = "g") -> _Function | None:
        """g(z) = … (or σ(z) = …, σ: z ↦ …, "σ(z) denotes …") that is not σ(z) (1/(1 + e^{z})): the text's own
        function, put in wherever it is applied (the reader takes g and σ for the sigmoid); None where it is σ or cannot
        be read."""
        written = _OWN_NAME.get(name, re.escape(name))
        found = _written_function(chains, name)
        said = min(
            (m for pattern in _own_in_words(written) if (m := pattern.search(text)) is not None),
            key=re.Match.start,
            default=None,
        )
        if said is not None and not re.search(rf"(?<![A-Za-z\\]){re.escape(said['param'])}(?![A-Za-z])", said["body"]):
            said = None  # "σ(z) is defined by 0.5 at z = 0": no function of its parameter, not a definition
        if said is not None and (found is None or said.start() < found[0]):
            # σ: z ↦ 1/(1 + e^{z}), "σ(z) denotes 1/(1 + e^{z})": no step to check it by, so never the sigmoid silently
            body = said["body"].strip().rstrip(".,;").strip()
            side = Side(body, said.start("body"), said.start("body") + len(body), (body,))
            z, start = said["param"], said.start()
            read = self.read(side).expr
            if read is not None and _is_sigmoid(read, z):
                return None
            return _Function(name, (z,), body, line_of(text, start), start, True)
        if found is None:
            return None
        start, z, side = found
        body = self.read(side).expr
        if body is None or _is_sigmoid(body, z) or _NAMED_SIGMOID.search(text, max(0, start - 100), start):
            return None  # "the sigmoid g(z) = 1/(1 + e^{z})": a claim that it is σ, checked as one (or not read)
        # not σ (1/(1 + e^{z}), or 1/(1 + e^{−z/T}) with a temperature T): its body wherever applied, never σ
        return _Function(name, (z,), side.text, line_of(text, start), start, True)

    def _misnamed_sigmoid(self, text: str, chains: list[Chain], name: str) -> tuple[int, int] | None:
        """The line and end of "the sigmoid σ(z) = …" (or g) whose body is not σ or cannot be read: a claim, checked
        as one, after which a step of σ, g or the model's h_θ must not be checked under the real sigmoid."""
        found = _written_function(chains, name)
        if found is None or not _NAMED_SIGMOID.search(text, max(0, found[0] - 100), found[0]):
            return None
        start, z, side = found
        body = self.read(side).expr
        return None if body is not None and _is_sigmoid(body, z) else (line_of(text, start), side.end)

    def _vector_entry(self, text: str) -> str | None:
        """The words for an entry (ŷ⁽ⁱ⁾, ŷ_i, h_i) of a prediction the text defines as a vector (ŷ = σ(−Xθ)), if
        ``text`` uses one: read as the model's h_θ(x⁽ⁱ⁾) it would silently replace the text's definition."""
        for name in self.vectors:
            if not _PREDICTION_NAME.fullmatch(name):
                continue
            if re.search(r"(?<![A-Za-z\\])" + re.escape(name) + _ENTRY_INDEX, text):
                shown = "ŷ" if "y" in name else name
                return (
                    f"{shown}⁽ⁱ⁾ is an entry of the vector {shown} the text defines as {self.vectors[name].strip()}: "
                    f"write that entry out (with θᵀx⁽ⁱ⁾ for Xθ), or write the step with the vector {shown}"
                )
        return None

    def _shape_fault(self, text: str, written: str, context) -> str | None:
        """Why the side, with the text's matrices put in (S = diag(…)), does not read when its shapes are the fault
        (X S Xᵀ: m × (n+1) times m × m), else None: the blame is on the product, not on S's definition."""
        put, used = self._put_vectors(text, written)
        if not used:
            return None
        for name in self.diagonals:  # S = diag(σ(Xθ)(1 − σ(Xθ))): S's own product is the fault, said of S
            try:
                read_side(self.vectors[name], context) if name in self.vectors else None
            except ParseError:
                return None
        try:
            read_side(self.nodes.rewrite(with_names(put, self.placeholders)).text, context)
        except ParseError as error:
            return f"{error.message} (with {'; '.join(used)})" if "shapes do not match" in error.message else None
        return None

    def _put_vectors(self, text: str, written: str, only: re.Pattern | None = None) -> tuple[str, list[str]]:
        """``text`` with the names the text defines as vectors put in (yᵀlog(h), h = g(Xθ); a = σ(−z), z = Xθ), and
        what was read so; ``only`` those names; not on the left of a name's own definition (the name alone)."""
        names = {n: b for n, b in self.vectors.items() if only is None or only.fullmatch(n)}
        if not names or written.strip() in self.vectors:
            return text, []
        used = []
        for _ in range(len(self.vectors)):  # a = σ(−z), z = Xθ: a round per name at most, never a loop
            found = False
            for name, body in (names if not used else self.vectors).items():
                matrix = _DIAG.match(body) is not None  # Lᵀ of L = diag(0, 1, …, 1); h^{(i)} is an entry of h
                pattern = name_pattern(name, "[A-Za-z_(]" if matrix else _ENTRY_AFTER)
                if re.search(pattern, text):
                    text = re.sub(pattern, lambda _, b=body: rf"\left({b}\right)", text)
                    kind = "matrix" if matrix else "vector"
                    used.append(f"read {name} as the {kind} {body.strip()} the text defines")
                    found = True
            if not found:
                break
        return text, list(dict.fromkeys(used))

    def cost_words(self, definition: NameDefinition, seed: int = 0) -> tuple[str, bool]:
        """What a name the document differentiates is, next to the model's cost; (words, is it a warning)."""
        if self.nodes.placeholders:  # a network written node by node: its own loss, not the model's cost
            return "", False
        key = (definition.key, definition.body)  # ℓ's sum, or its one example's term
        if key not in self._costs:
            body = expand(definition.body, self.names_at(definition.start))  # as the steps read it
            self._costs[key] = _as_cost(definition, body, self.context_of, seed)
        return self._costs[key]

    def names_at(self, position: int, example: bool = False, one_example: bool | None = None):
        """The document's names in effect at ``position`` (see :func:`~derivation.proof.define.in_effect`).

        A prediction ŷ and a loss L, E or C the text uses without defining are the model's: ŷ its
        hypothesis, L its cost of one example written with ŷ (said in the report when used).  In a
        one-example chain of a text that says it works with one example, a name defined as a sum over
        the examples is its term for that example (:func:`~derivation.proof.facts.for_one_example`);
        ``one_example`` says what the text does not, to tell the user a step holds if it did.
        """
        implied = {key: d for key, d in self.implied.items() if key not in self.unread}
        written = in_effect(self.definitions, position)
        if example and (self.one_example if one_example is None else one_example):
            context, indexed = self.context_of(True), self.context_of(False).hypothesis
            written = {key: for_one_example(d, indexed, context.example_hypothesis) for key, d in written.items()}
        return {**implied, **written}

    @functools.cached_property
    def implied(self) -> dict:
        context = self.context_of(True)
        indexed = self.context_of(False).hypothesis
        if context.example_hypothesis is None or indexed is None:
            return {}
        out = {}
        for written, params in ((r"\hat{y}", ()), (r"\hat{y}_i", (i,)), ("h", ()), ("h_i", (i,))):
            found = key_of(self.read(Side(written, 0, 0, ())).expr)
            if found is not None:
                body = indexed(*params) if params else context.example_hypothesis()
                out[found[0]] = NameDefinition(found[0], params, body, 0, 0, "the model's prediction")
        loss = context.costs.get("G")
        predictions = {len(d.params): d.key for d in out.values() if str(d.key) == "ŷ"}
        if loss is None or len(predictions) != 2 or abs(loss.definition().as_coeff_Mul()[0]) != 1:
            return out  # (ŷ − y)²/2 or (ŷ − y)²: which loss an undefined L is, is not clear
        y, h = sp.Symbol("y", real=True), context.example_hypothesis()
        # a⁽ⁱ⁾ = σ(z⁽ⁱ⁾) (the deep-learning course's activation): the text's prediction, what its L⁽ⁱ⁾ is of
        activations = {len(d.params): d.key for d in self.definitions if str(d.key) == "a" and d.body.has(sigmoid)}
        for letter in ("L", "E", "C"):
            for written, params in ((letter, ()), (letter + "_i", (i,))):
                found = key_of(self.read(Side(written, 0, 0, ())).expr)
                prediction = activations.get(len(params), predictions[len(params)])
                if found is None or not (params or isinstance(found[0], sp.Symbol)):
                    continue
                ŷ = prediction[params] if params else prediction
                body = loss.definition().xreplace({h: ŷ, **({y: sp.IndexedBase(y)[i]} if params else {})})
                words = IMPLIED_LOSS if len(params) not in activations else IMPLIED_LOSS_OF_A
                out[found[0]] = NameDefinition(found[0], params, body, 0, 0, words)
        return out

    @functools.cached_property
    def penalty_from_one(self) -> bool:
        """True when the model's penalty runs over j = 1..n (θ₀ left out) and the text writes Σ_j θ_j with no limits."""
        if _LIMITLESS_PENALTY.search(with_names(self.text, placeholders=False).text) is None:
            return False
        cost = self.context_of(False).costs.get("J")
        body = cost.definition() if hasattr(cost, "definition") else sp.S.Zero
        return any(s.limits[0][1:] == (1, n) and s.function.has(theta) for s in body.atoms(sp.Sum))

    # --- definitions -------------------------------------------------------------------------------

    def _collect_note(self, relation) -> None:
        r"""A definition in the words on an ``=``: ``\quad\text{where } h_i = \sigma(\theta^T x^{(i)})``."""
        note = relation.annotation or ""
        match = _WHERE.match(_words(note))
        if match is None:
            return
        try:
            links = split_chain(match.group("rest"))
        except ParseError:
            return
        if len(links) == 2:
            left, right = (Side(link.text, relation.start, relation.end, (link.text,)) for link in links)
            self._collect(Chain((left, right), ()))

    def _collect_columns(self, chain: Chain) -> None:
        """``A = σ(wᵀX + b) = (a^{(1)}, …, a^{(m)})`` (X's columns the examples): a⁽ⁱ⁾ is σ(wᵀx⁽ⁱ⁾ + b)."""
        if len(chain.sides) < 3 or (found := COLUMNS.match(chain.sides[-1].latex)) is None:
            return
        side = chain.sides[-2]
        column = re.sub(r"(?<![A-Za-z\\])X(?![A-Za-z])", "x^{(i)}", side.text)
        body = self.read(Side(column, side.start, side.end, ()))
        name = self.read(Side(found["name"] + "^{(i)}", side.start, side.end, ())).expr
        key = key_of(name) if name is not None else None
        if key and key[1] == (i,) and isinstance(body.expr, sp.Expr) and i in body.expr.free_symbols:
            line = line_of(self.text, side.start)
            self.definitions.append(NameDefinition(key[0], (i,), body.expr, line, side.start))

    def _collect(self, chain: Chain, declared: bool = False) -> None:
        first = chain.sides[0]
        link = link_name(first.latex)
        if link is not None:  # log μ_i = x_iᵀβ: μ_i = e^{x_iᵀβ}
            first = Side(link, first.start, first.end, (link,))
        match = LONE_NAME.match(first.latex)
        own = self.own_cost and is_own_cost(first.latex)
        if not (is_definition(first.latex) or own):
            return
        # the name as written, with its index and its example's superscript (p_c^{(i)}, μ^{(i)}); or a node: net_{o1}
        written = "".join(match.group(g) or "" for g in ("name", "sub", "example", "sub2")) if match else first.latex
        name = self.read(Side(written, first.start, first.end, ()))
        found = key_of(name.expr) if name.expr is not None else None
        if link is not None and found is not None and any(d.key == found[0] for d in self.definitions):
            self.checked_links.add(chain.sides[0].start)
            return  # log p_i = … after p_i = …: a step to check against that definition, not a new one
        if found is not None and any(d.key == found[0] and d.body.has(sp.Derivative) for d in self.definitions):
            self.checked_links.add(chain.sides[0].start)
            return  # δ_1 = ∂E/∂z_1, then δ_1 = δ_2 w_2(1 − a_1): a step to check against that definition
        per_example = found is not None and str(found[0]) == "J" and found[1] == (i,)  # J_i = …: not the model's J
        if found is None or (str(getattr(found[0], "label", found[0])) in _NOTATION and not (own or per_example)):
            if declared:
                raise ValueError(
                    f"{first.latex} is not a name a declaration can give (a letter or node: O_1, net_{{o1}})"
                )
            return  # θ_j := θ_j − α…, "if y = 1": not names the document gives
        bodies = []  # the sides as read, up to the first that cannot be read; the likelihood is read through
        error = None
        for side in chain.sides[1:]:
            body = self.read(side)
            error = error or body.error
            if body.expr is None and not is_likelihood(side.latex):
                break
            if isinstance(body.expr, sp.Expr) and not body.expr.has(found[0]) and not body.expr.is_number:
                bodies.append((is_likelihood(side.latex) or bool(body.interpretations), body.expr))
        if bodies:
            expr = min(bodies, key=lambda b: b[0])[1]  # as written, rather than through P(D|w) or Π
            expr = sp.exp(expr) if link is not None else expr
            if not declared and any(d.key == found[0] and d.params == found[1] and d.line for d in self.definitions):
                # ℓ = Σ[y log h + …], then "Hence ℓ = Σ[yθᵀx − log(1 + e^{−θᵀx})]": a claim about the ℓ defined
                # first, checked against it (as a restated J is against the model's); the first definition rules
                self.checked_links.add(chain.sides[0].start)
                return
            if declared:
                implied = chain.relations[0].annotation or "declared"  # or where the prose says it
                self.definitions.append(NameDefinition(found[0], found[1], expr, 0, -1, implied))
                return
            line = line_of(self.text, first.start)
            self.definitions.append(NameDefinition(found[0], found[1], expr, line, first.start))
        elif declared:
            raise ValueError(f"the declaration {first.latex} = … could not be read: {error.message if error else '?'}")
        elif error is not None:
            self.unread.setdefault(found[0], error)

    @functools.cached_property
    def own_prediction(self) -> NameDefinition | None:
        """The text's definition of a bare h when it is not the model's h_θ(x) (h = θᵀx under a logistic model)."""
        hypothesis = self.context_of(True).example_hypothesis
        for definition in self.definitions:
            if str(definition.key) == "h" and not definition.params and hypothesis is not None:
                if not _is_models_h(definition.body, hypothesis().definition()):
                    return definition
        return None

    def unread_in(self, *sides: sp.Basic) -> tuple[sp.Basic, ParseError] | None:
        """A name the sides use whose only definition could not be read (and the reason), else None."""
        for key, error in self.unread.items():
            if any(side.has(key) for side in sides) and key not in {d.key for d in self.definitions}:
                return key, error
        return None


@functools.lru_cache(maxsize=1024)
def _is_models_h(body: sp.Basic, model_h: sp.Basic) -> bool:
    """Whether the text's h is the model's (checked_equality), asked once per pair: inferred_hypothesis asks it of
    ~24 models, and the sampled points alone tell most of them apart at a fraction of the exact attempt's cost."""
    from ..oracle.sampling import numeric_verdict  # NumPy only when a text writes its own h

    try:
        if numeric_verdict(body, model_h, 0, 2).status == FAILS:
            return False
    except (ValueError, TypeError, ArithmeticError, NotImplementedError, AttributeError, IndexError, KeyError):
        pass  # the exact check says what it can
    return checked_equality(body, model_h).ok


_MATRIX_X = re.compile(r"(?<![A-Za-z\\])X(?![A-Za-z])")


# after a vector's name: h^{(i)} is an entry of h (not put in), δ^T its transpose (put in)
_ENTRY_AFTER = r"[A-Za-z_(]|\^(?!\s*\{?\s*(?:T|\\top|\\intercal)(?![A-Za-z]))"


def name_pattern(name: str, after: str = "[A-Za-z]") -> str:
    """A regular expression for ``name`` where it stands alone: no letter (or backslash) before a letter, none before
    a command (X^T\\delta: \\delta after T), and nothing of ``after`` after it."""
    before = r"(?<!\\)" if name.startswith("\\") else r"(?<![A-Za-z\\])"
    return before + re.escape(name) + rf"(?!{after})"


def _vector_names(chains: list[Chain]) -> dict[str, str]:
    """h = g(Xθ), ŷ = σ(Xθ), and a = σ(−z) after z = Xθ: each bare name the text defines (first) as a vector of the
    matrix form, its body as written (LaTeX)."""
    defined: dict[str, str] = {}
    for chain in chains:
        name = chain.sides[0].latex.strip()
        if len(chain.sides) == 2 and re.fullmatch(_VECTOR_NAME, name) and name not in _NOTATION:
            defined.setdefault(name, chain.sides[1].text)
    vectors: dict[str, str] = {}
    for _ in range(len(defined)):
        before = len(vectors)
        for name, body in defined.items():
            uses = [_MATRIX_X, *(re.compile(name_pattern(v, _ENTRY_AFTER)) for v in vectors)]
            # L = diag(0, 1, …, 1): a matrix the reader reads written out (θᵀLθ cannot be read with L a number)
            if name not in vectors and (any(p.search(body) for p in uses) or _DIAG.match(body)):
                vectors[name] = body
        if len(vectors) == before:
            break
    return vectors


_FUNCTION_NAME = r"(?:h|\\ell|\\zeta|\\mathcal\s*\{\s*L\s*\}|[A-Za-fk-ln-wz](?:_\{?[A-Za-z0-9]\}?)?|\\ell_\{?[a-z]\}?)"
_PARAMETER = r"(?:[a-z]|\\theta|\\beta|\\mathbf\s*\{\s*[a-z]\s*\})"
# h(x) = …, \ell(\theta; x, y) = …: a function of the text's own, with its parameters (letters)
_FUNCTION_DEFINED = re.compile(
    rf"^\s*(?P<name>{_FUNCTION_NAME})\s*(?:\\left\s*)?\(\s*(?P<params>{_PARAMETER}(?:\s*[,;]\s*{_PARAMETER})*)\s*"
    r"(?:\\right\s*)?\)\s*$"
)


def _written_function(chains: list[Chain], name: str) -> tuple[int, str, Side] | None:
    """The first σ(z) = … (or g) chain: its start, parameter and body (σ(z) = … = …: the first body rules)."""
    defined = re.compile(_G_DEFINED.format(name=_OWN_NAME.get(name, re.escape(name))))
    for chain in chains:
        if len(chain.sides) >= 2 and (match := defined.match(chain.sides[0].latex)) is not None:
            return chain.sides[0].start, match["param"], chain.sides[1]
    return None


def _is_sigmoid(body: sp.Basic | None, param: str) -> bool:
    """Whether ``body``, read, is 1/(1 + e^{−z}) of its one parameter ``param`` (checked at two points)."""
    free = body.free_symbols if isinstance(body, sp.Expr) else {None}
    if len(free) != 1 or str(next(iter(free))) != param.lstrip("\\"):  # \xi read as ξ
        return False
    (z,) = free
    try:
        return all(abs(float(body.subs(z, v)) - 1 / (1 + math.exp(-v))) < 1e-9 for v in (-1.3, 0.4))
    except (TypeError, ValueError):
        return False


_NAMED_SIGMOID = re.compile(r"sigmoid|logistic function", re.IGNORECASE)  # said just before g(z) = …: g is σ
_J_WRITTEN = re.compile(r"^\s*J\s*(?:\\left\s*)?(?:\(|$)")  # J(θ) = …, J = …
# a one-letter parameter: z, or a Greek letter (σ(ξ) = …), never θ, σ or π, which stand for other things
_GREEK = r"alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|iota|kappa|mu|nu|xi|rho|tau|phi|varphi|chi|psi|omega"
_ONE_PARAMETER = rf"(?P<param>[a-z]|\\(?:{_GREEK})(?![A-Za-z]))"
_G_DEFINED = r"^\s*{name}\s*(?:\\left\s*)?\(\s*" + _ONE_PARAMETER + r"\s*(?:\\right\s*)?\)\s*$"  # g(z) = …, σ(z) = …
_OWN_NAME = {r"\sigma": r"(?:\\sigma(?![A-Za-z])|σ)"}  # σ typed as \sigma or as the Unicode letter


# a word of "the squashing function" before the formula: "the sigmoid and its complement is $…$", "the sigmoid
# evaluated at $z$" go on to say something else of another formula (they were read as σ's definition)
_NOUN_WORD = r"\s+(?!(?:and|or|but|is|are|its|while|whereas|which|whose|of|at|in|on|for|with|to|from|by)\b)[A-Za-z-]+"


@functools.cache
def _own_in_words(name: str) -> tuple[re.Pattern, ...]:
    """σ: z ↦ …, g: ℝ → ℝ, z ↦ … (in one formula) and $σ(z)$ denotes $…$ (two): the text's σ or g given in words."""
    applied = name + r"\s*(?:\\left\s*)?\(\s*" + _ONE_PARAMETER + r"\s*(?:\\right\s*)?\)"
    return (
        re.compile(
            r"(?<![A-Za-z\\])"
            + name
            + r"\s*:\s*(?:[^$]*?(?:,|\\[,;:! ]|\\quad)\s*)?"
            + _ONE_PARAMETER
            + r"\s*(?:\\mapsto|↦)\s*(?P<body>[^$]+?)\s*(?:\$|\\\]|\\end\s*\{|\n\s*\n)"
        ),
        re.compile(
            r"\$\s*" + applied + r"\s*\$\s*(?:denotes|stands\s+for|is\s+defined\s+(?:as|to\s+be|by)|means"
            r"|is\s+short\s+for|is\s+given\s+by)(?:\s+the(?:" + _NOUN_WORD + r"){0,4})?\s*:?\s*\$\$?(?P<body>[^$]+?)\$"
        ),
    )


# two levels of parentheses inside the argument: ζ((1 − 2y^{(i)})θᵀx^{(i)})
_ARGUMENTS = r"\s*(?:\\left\s*)?\((?P<args>(?:[^()]|\((?:[^()]|\([^()]*\))*\))*)(?:\\right\s*)?\)"
_APPLIED_WORDS = "read {name}(…) as its definition (line {line}) at the arguments written"
# ζ(…) applied (Goodfellow's softplus) in a text that never says what ζ is: a function, never the product ζ·(…)
_ZETA_APPLIED = re.compile(r"(?:\\zeta(?![A-Za-z])|ζ)\s*(?:\\left\s*|\\big\w*\s*)?\(")
_ZETA_DEFINED = re.compile(
    r"(?:\\zeta(?![A-Za-z])|ζ)\s*(?:(?:\\left\s*)?\([^()=$]*(?:\\right\s*)?\))?\s*(?::=|=|\\equiv|\\triangleq|\\coloneqq)"
)
ZETA_WORDS = (
    "ζ is not defined: write ζ(z) = \\log(1 + e^{z}) (Goodfellow's softplus) in the text before using it, or write the "
    "function out; ζ(…) is not read as the product ζ·(…)"
)
# the model's J, σ's g, a probability, f_{w,b}: read elsewhere
_NOT_FUNCTIONS = {"J", "g", "G", "p", "P", "f", "e", "d"}


@dataclass(frozen=True)
class _Function:
    name: str  # as written: h, \ell, L_i
    params: tuple[str, ...]
    body: str
    line: int
    start: int
    always: bool = False  # put in even at its own parameters: a name the reader reads otherwise (g as σ)

    @property
    def shown(self) -> str:
        return letter_sign(self.name)


@dataclass(frozen=True)
class _Functions:
    """The functions a text defines with parameters; applied to other arguments, read as the body with those put in
    (ℓ(θ; x⁽ⁱ⁾, y⁽ⁱ⁾) is the body of ℓ(θ; x, y) with x⁽ⁱ⁾ for x and y⁽ⁱ⁾ for y), as the text defines it."""

    found: tuple[_Function, ...]

    @property
    def starts(self) -> frozenset[int]:
        return frozenset(f.start for f in self.found)

    def __bool__(self) -> bool:
        return bool(self.found)

    def applied(self, text: str) -> tuple[str, list[_Function]]:
        used = []
        if any(f.always and f.name == r"\sigma" for f in self.found):  # the text's σ typed as \sigma or as σ
            text = text.replace("σ", r"\sigma ")
        for f in self.found:  # the text's own g′(z): d/dz of its body, never the loose reading σ′ (g the sigmoid)
            if f.always and len(f.params) == 1:
                # dσ/dz, \frac{d\sigma}{dz}: d/dz of the text's σ(z) (the d before \sigma hid it from the check below)
                d = r"(?:d|\\partial)\s*"  # dσ/dz, ∂σ/∂z, dσ(z)/dz
                own = rf"{re.escape(f.name)}\s*(?:\(\s*(?P=arg)\s*\))?"
                fraction = rf"\\frac\s*\{{\s*{d}(?=[^}}]*\}}\s*\{{\s*{d}(?P<arg>\\?[A-Za-z]+)\s*\}})"
                fraction += rf"{own}\s*\}}\s*\{{\s*{d}(?P=arg)\s*\}}"
                as_d = lambda found, f=f: rf"\frac{{d}}{{d {found['arg']}}} {f.name}({found['arg']})"  # noqa: E731
                text = re.sub(fraction, as_d, text)
                prime = rf"(?<![A-Za-z\\]){re.escape(f.name)}\s*{_PRIME}(?:\s*\((?P<arg>[^()]*)\))?"
                text = re.sub(prime, lambda found, f=f: _derivative_of(f, found["arg"]), text)
        for _ in range(4):  # h(x⁽ⁱ⁾) = g(θᵀx⁽ⁱ⁾), g defined too: a few rounds, never a loop
            changed = False
            for f in self.found:
                pattern = rf"(?<![A-Za-z\\]){re.escape(f.name)}(?![A-Za-z_]){_ARGUMENTS}"

                def put(found: re.Match, f: _Function = f) -> str:
                    nonlocal changed
                    written = re.sub(r"\\right\s*$", "", found.group("args"))  # ζ\left(…\right): \right no argument
                    args = [a.strip() for a in re.split(r"[,;]", written)]
                    if len(args) != len(f.params) or (
                        not f.always and all(_same(a, p) for a, p in zip(args, f.params, strict=True))
                    ):
                        return found.group(0)  # ℓ(θ; x, y) as defined: the name, read through its definition
                    changed = True
                    used.append(f)
                    body = f.body
                    for param, arg in zip(f.params, args, strict=True):
                        if not _same(arg, param):  # −θᵀx into 1 − z: in parentheses; 2θᵀx into e^x: braced
                            name = rf"(?<![A-Za-z\\]){re.escape(param)}(?![A-Za-z])"
                            body = re.sub(rf"\^\s*{name}", lambda _, a=arg: f"^{{{a}}}", body)
                            grouped = arg if re.fullmatch(r"\\?[A-Za-z]+", arg) else rf"\left({arg}\right)"
                            body = re.sub(rf"{name}(?=\s*\^)", lambda _, a=grouped: a, body)  # x^2 at 2θᵀx
                            arg = rf"\left({arg}\right)" if re.search(r"[-+]", arg) else arg
                            body = re.sub(name, lambda _, a=arg: a, body)
                    return rf"\left({body}\right)"

                text = re.sub(pattern, put, text)
            if not changed:
                break
        for f in self.found:  # σ(z) = 1/(1 + e^{z}) the text's own: a σ not put in would be read as the sigmoid
            before = r"(?<!\\)" if f.name.startswith("\\") else r"(?<![A-Za-z\\])"  # d\sigma: \sigma all the same
            left = re.search(rf"{before}{re.escape(f.name)}(?![A-Za-z])", text) if f.always else None
            if left is not None:
                raise ParseError(
                    f"{f.shown} here is not read as the text's own {f.shown} (line {f.line}): write it applied to "
                    f"its argument, {f.shown}(…), or write its definition out"
                )
        return text, list(dict.fromkeys(used))


_PRIME = r"(?:'|\^\s*\{?\s*\\prime\s*\}?)"  # g', g^{\prime}


def _derivative_of(f: _Function, arg: str | None) -> str:
    """f′(arg) for the text's own one-parameter f: d/d(arg) of its body at a single-letter argument; at anything else
    a ParseError that says what to write (the step is not understood rather than read as σ′)."""
    arg = f.params[0] if arg is None else arg.strip()
    if not re.fullmatch(r"\\?[A-Za-z]+", arg):
        name, z = f.shown, f.params[0]
        raise ParseError(
            f"{name}′({arg}) of the text's own {name}: write \\frac{{d}}{{d{z}}} {name}({z}) = … first, then "
            f"put {arg} in for {z}"
        )
    body = re.sub(rf"(?<![A-Za-z\\]){re.escape(f.params[0])}(?![A-Za-z])", lambda _: arg, f.body)
    return rf"\frac{{d}}{{d {arg}}}\left({body}\right)"


def _same(written: str, param: str) -> bool:
    return re.sub(r"\s+", "", written) == re.sub(r"\s+", "", param)


_CASES = re.compile(r"\\begin\s*\{cases\}(?P<body>.*?)\\end\s*\{cases\}", re.DOTALL)
_IF = r"\s*(?:,\s*)?(?:\\q?quad\s*|\\[,;: ]\s*)*(?:\\text\s*\{\s*(?:if|for|when)\s*\}\s*|(?:if|for)\s+)?"
_AT_ZERO = re.compile(_IF + r"j\s*=\s*0\s*[.,]?\s*$")
_FROM_ONE_CASE = re.compile(
    _IF + r"(?:j\s*(?:\\geq?|\\geqslant|\\ge|>=|≥)\s*1|j\s*(?:>|\\neq?|\\ne|≠)\s*0"
    r"|j\s*=\s*1\s*,\s*(?:\\dots|\\ldots|\\cdots|\.\.\.|…)\s*,?\s*n"
    r"|\\text\s*\{\s*otherwise\s*\}|\\text\s*\{\s*else\s*\})\s*[.,]?\s*$"
)


_CONDITION_J = (
    r"(?:(?:\\text\s*\{\s*(?:if|for|when)\s*\}\s*|(?:if|for)\s+)?j\s*(?:=\s*0|(?:\\geq?|\\geqslant|\\ge|>=|≥)\s*1"
    r"|(?:>|\\neq?|\\ne|≠)\s*0|=\s*1\s*,\s*(?:\\dots|\\ldots|\\cdots|\.\.\.|…)\s*,?\s*n)"
    r"|\\text\s*\{\s*(?:otherwise|else)\s*\})\s*[.,]?"
)
_BLANKED_CASES = re.compile(
    r"\s*(?P<a>.+?)\s+(?P<at_a>" + _CONDITION_J + r")\s+(?P<b>.+?)\s+(?P<at_b>" + _CONDITION_J + r")\s*", re.DOTALL
)


def cases_as_delta(latex: str) -> str:
    r"""The two cases of a gradient by j (j = 0, and j ≥ 1 or otherwise) as one expression: δ_j0 A + (1 − δ_j0) B.

    >>> cases_as_delta(r"\begin{cases} a & j = 0 \\ b & j \geq 1 \end{cases}")
    '\\left(\\delta_{j0}\\left( a \\right) + (1 - \\delta_{j0})\\left( b \\right)\\right)'
    >>> cases_as_delta(r"\begin{cases}b + 1 \text{if } j \geq 1 a j = 0\end{cases}")
    '\\left(\\delta_{j0}\\left(a\\right) + (1 - \\delta_{j0})\\left(b + 1\\right)\\right)'
    """

    def one(found: re.Match) -> str:
        body = found.group("body")
        rows = [row for row in re.split(r"\\\\(?:\s*\[[^\]]*\])?", body) if row.strip()]
        if len(rows) == 2 and all(row.count("&") == 1 for row in rows):
            (a, at_a), (b, at_b) = (row.split("&") for row in rows)
        else:  # the layout blanked (a chain's side): A j = 0 B j ≥ 1, each condition after its branch
            split = _BLANKED_CASES.fullmatch(body)
            if split is None:
                return found.group(0)
            a, at_a, b, at_b = split.group("a", "at_a", "b", "at_b")
        if _FROM_ONE_CASE.match(at_a) and _AT_ZERO.match(at_b):
            (a, at_a), (b, at_b) = (b, at_b), (a, at_a)
        if not (_AT_ZERO.match(at_a) and _FROM_ONE_CASE.match(at_b)):
            return found.group(0)
        return rf"\left(\delta_{{j0}}\left({a}\right) + (1 - \delta_{{j0}})\left({b}\right)\right)"

    return _CASES.sub(one, latex)


_F_WB = r"f\s*_\s*\{\s*w\s*,\s*b\s*\}\s*(?:\\left\s*)?\(\s*"
_F_DEFINED = re.compile(r"^\s*" + _F_WB + r"x\s*(?:\\right\s*)?\)\s*$")
_F_APPLIED = re.compile(_F_WB + r"(?P<arg>x\s*\^\s*\{\s*\(\s*i\s*\)\s*\}|x\s*_\s*\{?\s*i\s*\}?|x)\s*(?:\\right\s*)?\)")
_LONE_X = re.compile(r"(?:(?<![A-Za-z\\])|(?<=(?<![A-Za-z\\])w))x(?![A-Za-z_^])")


# ỹ, ỹ⁽ⁱ⁾, ỹ_i: the smoothed labels a text defines (\tilde{y}^{(i)} = 0.9y^{(i)} + 0.05), or uses
TILDE_Y = re.compile(
    r"\\(?:tilde|widetilde)\s*(?:\{\s*y\s*\}|y(?![A-Za-z]))(?P<index>\s*\^\s*\{\s*\(\s*i\s*\)\s*\}|\s*_\s*\{?\s*i\s*\}?(?![A-Za-z]))?"
)
_BARE_Y = re.compile(r"(?<![A-Za-z\\])y(?![A-Za-z])(?!\s*[\^_])")  # y with no example index: y⁽ⁱ⁾ where ỹ⁽ⁱ⁾ is used
_SMOOTHED_WORDS = "read ỹ as the text defines it (line {line}), put in where it is used"


def smoothed_labels(chains: list[Chain]) -> tuple[int, str, bool] | None:
    """(start, body, indexed) of the text's one ỹ⁽ⁱ⁾ = … (or ỹ = …) definition, None when there is none or several."""
    found = [
        (chain.sides[0].start, chain.sides[1].latex.strip(), bool(whole["index"]))
        for chain in chains
        if len(chain.sides) == 2
        and (whole := TILDE_Y.fullmatch(chain.sides[0].latex.strip())) is not None
        and not TILDE_Y.search(chain.sides[1].latex)
    ]
    return found[0] if len(found) == 1 else None


def smoothed_at(smoothed: tuple[int, str, bool], use: re.Match) -> str:
    """ỹ's body, in brackets, at the example the use names (ỹ⁽ⁱ⁾ of ỹ = 0.9y + 0.05: 0.9y⁽ⁱ⁾ + 0.05)."""
    _, body, indexed = smoothed
    if use["index"] and not indexed:
        body = _BARE_Y.sub(lambda _: "y^{(i)}", body)
    return rf"\left({body}\right)"


# '.' between two factors, 2.(…) or x^{(i)}.(…), never a decimal point (0.5) nor an ellipsis (....)
_DOT_PRODUCT = re.compile(r"(?<=[\w})])(?<!\.)\.(?![.\d])(?=\s*[A-Za-z\\({])")
_DOT_WORDS = "read '.' between two factors as multiplication (write \\cdot or a space)"
# h_\mathbf{w}(x)^{(i)}: h at example i, h(x^{(i)})
_H_THEN_EXAMPLE = re.compile(
    r"(?P<h>(?<![A-Za-z\\])h\s*_\s*(?:\{\s*)?(?:\\mathbf\s*\{\s*w\s*\}|\\theta|w)(?:\s*\})?\s*)\(\s*x\s*\)"
    r"(?P<example>\^\s*\{\s*\(\s*i\s*\)\s*\})(?P<close>)"
)
_H_THEN_EXAMPLE_WORDS = "read h(x)^{(i)} as h(x^{(i)}), h at example i"
# θ_j in a text of one feature (θ₀ + θ₁x): a step for j = 0 and one for j = 1 written as one (D4, CS229's notes)
_GENERAL_THETA = re.compile(r"\\theta\s*_\s*\{?\s*(?P<letter>[jk])(?![A-Za-z])")
# θ₀ + θ₁x₁ + θ₂x₂ + …, the terms written to a "....", "\dots", "\cdots" or "\ldots": θᵀx with x₀ = 1
_ELLIPSIS_SUM = re.compile(
    r"\\theta\s*_\s*\{?\s*0\s*\}?"
    r"(?:\s*\+\s*\\theta\s*_\s*\{?\s*(?P<k>[1-9])\s*\}?\s*(?:\\cdot\s*|\\,\s*)?x\s*_\s*\{?\s*(?P=k)\s*\}?)+"
    r"\s*\+\s*(?:\.{2,}|\\[lc]?dots(?![A-Za-z])|…|$)"  # the "...." may be gone already, the side ending in "+"
)
_DOTS_ADVICE = re.compile(r"unknown command \\([lc]?dots|ddots|vdots): did you mean [^\n]*")
_DOTS_WORDS = (
    r"\\\1 (an ellipsis: terms left out) is not read: write the sum whole, e.g. \\sum_{j=0}^{n} \\theta_j x_j^{(i)}"
    r" for \\theta_0 + \\theta_1 x_1^{(i)} + \\cdots + \\theta_n x_n^{(i)}"
)
_EXAMPLE = r"(?:\s*\^\s*\{\s*\(\s*i\s*\)\s*\})"
# θ₀ + θ₁x₁⁽ⁱ⁾ + ⋯ + θ_n x_n⁽ⁱ⁾ (amanai): θᵀx⁽ⁱ⁾ with x₀ = 1, every term but the ellipsis written
_ELLIPSIS_TO_N = re.compile(
    r"\\theta\s*_\s*\{?\s*0\s*\}?\s*\+\s*\\theta\s*_\s*\{?\s*1\s*\}?\s*(?:\\cdot\s*|\\,\s*)?x\s*_\s*\{?\s*1\s*\}?"
    rf"(?P<example>{_EXAMPLE})?"
    r"\s*\+\s*(?:\.{2,}|\\[lc]?dots(?![A-Za-z])|…)\s*\+\s*"
    r"\\theta\s*_\s*\{?\s*n\s*\}?\s*(?:\\cdot\s*|\\,\s*)?x\s*_\s*\{?\s*n\s*\}?"
    rf"(?(example){_EXAMPLE})"
)
_GENERAL_SUM = re.compile(r"\\theta\s*_\s*\{?\s*([ijkl])\s*\}?\s*(?:\\,\s*|\\cdot\s*)?x\s*_\s*\{?\s*\1(?![A-Za-z])")
_MIXED_WORDS = (
    "θ_j, with h_θ(x) = θ₀ + θ₁x (line {line}) of one feature but Σθ_i x_i (line {sum_line}) of n features: which one"
    " the steps mean is not guessed; write them by θ₀ and θ₁, or define h_θ(x) = θᵀx"
)
_GENERAL_THETA_WORDS = (
    "θ_{letter} in a text of one feature (θ₀ + θ₁x, line {line}): checked at {letter} = 0 and at {letter} = 1"
)


def _scalar_f(chains: list[Chain]) -> tuple[str, int] | None:
    """(body, start) of f_{w,b}(x) = w x + b, the text's own model of one feature, where the text defines it."""
    for chain in chains:
        if len(chain.sides) >= 2 and _F_DEFINED.match(chain.sides[0].latex):
            return chain.sides[1].text, chain.sides[0].start
    return None


def _f_at(body: str, argument: str) -> str:
    r"""The body of f_{w,b}(x) at another argument, bracketed.

    >>> _f_at("wx + b", "x^{(i)}")
    '\\left(wx^{(i)} + b\\right)'
    """
    return r"\left(" + _LONE_X.sub(lambda _: argument, body) + r"\right)"


def _defined_functions(text: str, chains: list[Chain]) -> _Functions:
    """h(x) = g(θᵀx), ℓ(θ; x, y) = …, L_i(θ) = …: each function the text defines with parameters (its first such
    definition), the body as written (LaTeX)."""
    found: dict[str, _Function] = {}
    for chain in chains:
        if len(chain.sides) < 2:
            continue
        match = _FUNCTION_DEFINED.match(chain.sides[0].latex)
        if match is None or match.group("name") in _NOT_FUNCTIONS or match.group("name") in found:
            continue
        params = tuple(re.sub(r"\s+", "", p) for p in re.split(r"[,;]", match.group("params")))
        if len(set(params)) != len(params):
            continue
        first = chain.sides[0]
        found[match.group("name")] = _Function(
            match.group("name"), params, chain.sides[1].text, line_of(text, first.start), first.start
        )
    return _Functions(tuple(found.values()))


# h_θ(x) = …, h(x^{(i)}) = …, h_\theta(x_i) = …: the text writes its h of one example
_BOLD_THETA = r"(?:\\theta|\\(?:boldsymbol|mathbf|bm)\s*(?:\{\s*\\theta\s*\}|\\theta))"  # θ, bold θ
_BOLD_X = r"(?:x|\\(?:mathbf|boldsymbol|bm|vec)\s*(?:\{\s*x\s*\}|\s+x))"  # x, bold x
_WRITTEN_H = re.compile(
    r"^\s*h\s*(?:_\s*\{?\s*" + _BOLD_THETA + r"\s*\}?\s*)?(?:\\left\s*)?\(\s*" + _BOLD_X + r"\s*"
    r"(?:\^\s*\{\s*\(\s*i\s*\)\s*\}|_\s*\{?\s*i\s*\}?)?\s*(?:\\right\s*)?\)\s*$"
)
_H_OF_EXAMPLE = (
    r"(?<![A-Za-z\\])h\s*(?:_\s*\{?\s*\\theta\s*\}?\s*)?(?:\\left\s*)?\(\s*x\s*_\s*\{?\s*(?P<example>i)\s*\}?\s*"
    r"(?:\\right\s*)?\)"
)
_H_OF_EXAMPLE_RE = re.compile(_H_OF_EXAMPLE)
_H_OF_EXAMPLE_WORDS = "read h(x_i) as h_θ(x⁽ⁱ⁾)"
# \bar{y} = …, \overline{x}_j = …: a name the text defines with a bar on a letter
_BAR_DEFINED = re.compile(r"^\s*\\(?:bar|overline)\s*(?:\{\s*(\\?[A-Za-z]+)\s*\}|(?<=r)\s+([A-Za-z]))")
_BAR_PLACEHOLDERS = ("Psi", "Omega", "Gamma", "Xi")


def _defined_bars(text: str, chains: list[Chain]) -> tuple[tuple[str, str, str], ...]:
    """(pattern, placeholder command, the name shown) for each x̄ the text defines (x̄ = …), read as a letter it
    does not use; an x̄ it does not define stays for the reader to refuse."""
    letters = []
    for chain in chains:
        found = _BAR_DEFINED.match(chain.sides[0].latex) if len(chain.sides) >= 2 else None
        if found and LONE_NAME.match(chain.sides[0].latex):
            letters.append(found.group(1) or found.group(2))
    free = [p for p in _BAR_PLACEHOLDERS if not re.search(rf"\\{p}(?![A-Za-z])", text)]
    out = []
    for letter, placeholder in zip(dict.fromkeys(letters), free, strict=False):
        pattern = (
            r"\\(?:bar|overline)\s*(?:\{\s*"
            + re.escape(letter)
            + r"\s*\}"
            + (r"|\s+" + letter + r"(?![A-Za-z]))" if not letter.startswith("\\") else ")")
        )
        shown = letter_sign(letter) + "\u0304"
        out.append((pattern, f"\\{placeholder} ", shown))
    return tuple(out)


def _bars_as_written(expr, bars) -> sp.Basic:
    """The placeholders of :func:`_defined_bars` back to x̄, ȳ (a plain real name, or indexed: x̄_j)."""
    if not bars or not isinstance(expr, sp.Basic):
        return expr
    shown = {placeholder.strip("\\ "): name for _, placeholder, name in bars}
    mapping = {s: sp.Symbol(shown[s.name], real=True) for s in expr.atoms(sp.Symbol) if s.name in shown}
    mapping |= {
        b: sp.IndexedBase(shown[str(b.label)], real=True) for b in expr.atoms(sp.IndexedBase) if str(b.label) in shown
    }
    return expr.xreplace(mapping) if mapping else expr


def _of_one_example(body: sp.Basic) -> bool:
    """θ and the features x_k of one example only: no Σ over the examples, no X, no name of the text's own (z)."""
    return isinstance(body, sp.Expr) and not body.has(X) and body.atoms(sp.Symbol) <= {theta.label, x.label, k, n}


_OWN_H_AT = "read h(…) as the text's own h (line {line}) at that example: {body} with x⁽ⁱ⁾ for x"
_DIAG = re.compile(r"^\s*\\(operatorname|mathrm|text)\s*\{\s*diag\s*\}|^\s*\\diag(?![A-Za-z])")
_SQUARED_WORDS = "read {name}² as {name}{name} ({name} the diagonal matrix the text defines)"


def _squared_diagonals(text: str, names: list[str]) -> tuple[str, list[str]]:
    """``S^2`` of a name the text defines as diag(…) written ``S S`` (the same length: carets keep their columns), and
    the words that say so: the reader reads S as a number before the name is put in, so S² was refused, its blame on
    S's definition, while S S is the product of two diagonal matrices it reads."""
    words = []
    for name in names:
        pattern = r"(?<![A-Za-z\\])" + re.escape(name) + r"\s*\^\s*(?:\{\s*2\s*\}|2(?![0-9]))"
        if re.search(pattern, text):
            text = re.sub(pattern, lambda found, name=name: f"{name} {name}".ljust(len(found.group(0))), text)
            words.append(_SQUARED_WORDS.format(name=name))
    return text, words


_DIAGONAL_WORDS = (
    "{name} = diag(…), a diagonal matrix of weights, is not read in matrix form: this step is not checked "
    "(its sum over the examples is)"
)


def _over_examples(expr: sp.Basic) -> sp.Basic:
    """Bishop's Σ_{n=1}^{N} over the examples indexed by n, as Σ_i: n is the feature count wherever it is free
    (the sampler sets it), so a sum whose own index is n is renamed (its terms t_n, y_n, φ_n with it)."""
    if not isinstance(expr, sp.Basic) or not expr.has(sp.Sum):
        return expr
    return expr.replace(
        lambda s: isinstance(s, sp.Sum) and len(s.variables) == 1 and str(s.variables[0]) == "n" and not s.has(i),
        lambda s: s.xreplace({s.variables[0]: i, n: i}),  # φ_n may carry the notation's n: the same index
    )


_MULTIPLES = (  # (factor of the model's cost, what it is)
    (1, "the model's cost"),
    (m, "m times the model's cost: the summed cost"),
    (-1, "minus the model's cost: the mean log-likelihood"),
    (-m, "minus m times the model's cost: the log-likelihood"),
)


def _as_cost(definition: NameDefinition, body: sp.Expr, context_of, seed: int) -> tuple[str, bool]:
    """Which multiple of the model's cost (J, or G for one example) the definition is; a warning when none.

    Nothing is said of a cost with letters the model's has not (a bias b, a penalty λ): not comparable.
    """
    # one example: no i, and no Σ over i (θᵀx is a Σ over k)
    example = i not in body.free_symbols and not any(i in s.variables for s in body.atoms(sp.Sum))
    context = context_of(example)
    cost = context.costs.get("G" if example and "G" in context.costs else "J")
    shown = f"{definition.shown.split(' = ')[0]} (line {definition.line})"
    if cost is None or i in body.free_symbols or _letters(body) - _letters(expand_abbreviations(cost)):
        return "", False
    for factor, words in _MULTIPLES:
        if checked_equality(body, factor * cost, seed).ok:
            return f"{shown} is {words}", False
    return f"{shown} is not the model's cost (nor ±1 or ±m times it): the steps are checked against it as written", True


def _letters(expr: sp.Basic) -> set[str]:
    labels = {b.label for b in expr.atoms(sp.IndexedBase)}
    return {str(s) for s in expr.free_symbols - labels if not isinstance(s, sp.Indexed)} | {str(b) for b in labels}


__all__ = [
    "CHECKED_FUNCTIONS",
    "IMPLIED_LOSS",
    "IMPLIED_LOSS_OF_A",
    "LONE_NAME",
    "Document",
    "Reading",
    "defines_a_name",
    "is_definition",
    "link_name",
    "name_pattern",
    "is_likelihood",
]
