r"""Whether the rule a user wrote on an ``=`` fits what the step did.

A claim written as an equation (``\underset{h_\theta(x)=\sigma(\theta^\top x)}{=}``,
or ``$…$`` inside a note in words) is checked by substituting it on both sides
of the step: the claim fits when the two sides then agree as algebra.  A claim in
words (``linearity``, ``[Use the derivative of the log function]``) is checked by
its keywords against the rules :func:`~derivation.proof.recognise.recognise`
found.  A claimed identity that does not occur literally (a schematic rule such as
``\sum_k \delta_{jk} u_k = u_j``) is "unknown", not "differs".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import sympy as sp

from ..core.functions import Definition
from ..core.notation import i, x
from ..core.status import Fit
from ..derive.rules import DERIVATIVE, rules_of
from ..parsing import LatexContext, ParseError, split_chain
from ..printing.labels import claim_words
from .read import read_side
from .recognise import ALGEBRA_KINDS, Recognition, algebra_level

_KEYWORDS = (  # (pattern in the claim, rules it names); "algebra" stands for any algebra step
    (r"linearity of|of \\sum|split|add and subtract|rearrang|simplif|combine|collect|regroup", ("algebra",)),
    (r"linear|sum rule|constant factor|constant multiple", ("linearity",)),
    (r"chain rule", ("log", "exp", "sigmoid", "power", "reciprocal", "inner-product", "definition", "linearity")),
    (r"\\log|\blog\b|\\ln|\bln\b|logarithm", ("log",)),
    (r"\\sigma'|σ′|σ'|sigma'|sigmoid|logistic|g'", ("sigmoid",)),
    (r"\\exp|\bexp|e\^", ("exp",)),
    (r"power rule", ("power",)),
    (r"reciprocal|quotient", ("reciprocal", "quotient")),
    (r"product rule", ("product",)),
    (r"scalar product|inner product|dot product|\\theta\^\\top x|\\theta\^t x", ("inner-product",)),
    (r"definition|model function|substitut|plug|hypothesis", ("definition", "fold", "sigma-definition")),
    (r"cancel|redundant", ("cancel", "algebra")),
    (r"distribut|expand|multiply out|multiplying out", ("distribute", "algebra")),
    (r"common denominator", ("common-denominator", "algebra")),
    (r"factor", ("factor", "algebra")),
    (r"\bsign\b", ("algebra",)),
    (r"vectori[sz]|matrix", ("vectorise",)),
)


@dataclass(frozen=True)
class Claim:
    """Whether the rule written on an ``=`` fits the step (``status``), and why, as data.

    ``reason`` says which case it is ("applies", "algebra", "other-rule",
    "substitutes", "wrong-substitution", "absent", "unnamed"); ``recognition`` is
    what the step did, ``equation`` the claimed identity read as two sides,
    ``written`` the claim in plain words.  :attr:`message` puts it in a sentence.
    """

    status: Fit
    reason: str
    recognition: Recognition | None = None
    equation: tuple[sp.Expr, sp.Expr] | None = None
    written: str | None = None

    @property
    def message(self) -> str:
        """The reason in words (:func:`derivation.printing.labels.claim_words`)."""
        return claim_words(self)


def check_claim(
    annotation: str, lhs: sp.Expr, rhs: sp.Expr, recognition: Recognition, context: LatexContext | None = None
) -> Claim:
    r"""Whether the rule the user wrote on the ``=`` fits what the step did.

    >>> from derivation.core.functions import sigmoid
    >>> from derivation.core.notation import z
    >>> from derivation.proof.recognise import recognise
    >>> step = (sp.Derivative(sigmoid(z), z), sigmoid(z) * (1 - sigmoid(z)))
    >>> check_claim(r"\sigma'", *step, recognise(*step)).status
    'matches'
    >>> check_claim("linearity", *step, recognise(*step)).message
    'the step applies σ′ = σ(1−σ), not linearity'
    """
    absent = None
    for equation in _equations(annotation):
        claim = _substitution_claim(equation, lhs, rhs, context)
        if claim is not None and claim.reason == "absent":
            absent = replace(claim, recognition=recognition)
        elif claim is not None:
            return claim
    named = _keywords(annotation)
    if not named:
        return absent or Claim(Fit.UNKNOWN, "unnamed")
    done = set(recognition.rules)
    algebra = set(ALGEBRA_KINDS) | {"algebra"}
    pure_algebra = not done & ({r.name for r in rules_of(DERIVATIVE)} - {"definition"})
    if named & done:
        return Claim(Fit.MATCHES, "applies", recognition)
    if named & algebra and (done & algebra or pure_algebra):
        return Claim(Fit.MATCHES, "algebra", recognition)
    return Claim(Fit.DIFFERS, "other-rule", recognition, written=_plain_note(annotation))


# --- substitutions and keywords -----------------------------------------------------------------------


def _equations(annotation: str) -> list[tuple[str, str]]:
    """``A = B`` pieces of a claim: the claim itself, or each ``$…$`` inside a note in words."""
    pieces = re.findall(r"\$([^$]+)\$", annotation) or [annotation]
    out = []
    for piece in pieces:
        try:
            links = split_chain(piece)
        except ParseError:
            continue
        if len(links) == 2:
            out.append((links[0].text, links[1].text))
    return out


def _substitution_claim(equation, lhs, rhs, context) -> Claim | None:
    try:
        a, b = (read_side(side, context) for side in equation)
    except ParseError:
        return None
    if not isinstance(a, sp.Expr) or not isinstance(b, sp.Expr):
        return None
    occurs = False
    for pattern, replacement, parameters in _patterns(a, b, context):
        definition = Definition(parameters, pattern, replacement)
        new_l, new_r = definition.unfold(lhs), definition.unfold(rhs)
        if new_l == lhs and new_r == rhs:
            continue
        occurs = True
        if algebra_level(new_l, new_r) == "algebra":
            return Claim(Fit.MATCHES, "substitutes", equation=(a, b))
    if not occurs:
        return Claim(Fit.UNKNOWN, "absent", equation=(a, b))
    return Claim(Fit.DIFFERS, "wrong-substitution", equation=(a, b))


def _patterns(a: sp.Expr, b: sp.Expr, context):
    """The claim as written, and its form for example i (h_θ(x) → h_θ(x⁽ⁱ⁾), x_j → x_j⁽ⁱ⁾)."""
    yield a, b, ()
    h = context.example_hypothesis if context is not None else None
    h_i = context.hypothesis if context is not None else None

    def indexed(e):
        if h is not None and h_i is not None:
            e = e.replace(lambda t: isinstance(t, h), lambda t: h_i(i))
        return e.replace(lambda t: isinstance(t, sp.Indexed) and t.base == x and len(t.indices) == 1,
                         lambda t: x[i, t.indices[0]])  # fmt: skip

    a_i, b_i = indexed(a), indexed(b)
    if (a_i, b_i) != (a, b):
        yield a_i, b_i, (i,)


def _keywords(annotation: str) -> set[str]:
    text = annotation.lower()
    named: set[str] = set()
    for pattern, rules in _KEYWORDS:
        if re.search(pattern, text):
            named.update(rules)
            if "algebra" in rules and rules[0] == "algebra":
                text = re.sub(pattern, " ", text)
    return named


def _plain_note(annotation: str) -> str:
    note = re.sub(r"\\(text|mathrm|textrm|operatorname)\{([^{}]*)\}", r"\2", annotation)
    return " ".join(note.replace("$", "").split())


__all__ = ["Claim", "check_claim"]
