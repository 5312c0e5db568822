"""A chain read another way before it is checked, and the words that say so: a rule of matrix calculus the text
states with its own letters (∇_θ θᵀAθ = 2Aθ), Φ′ = φ written with no argument, h′ = h(1 − h) for the sigmoid's
prediction.  (The Hessian's ∇²J = M, read entry by entry, is :func:`~derivation.proof.hessian.hessian_entries`.)"""

from __future__ import annotations

import dataclasses
import re

from .document import Document
from .extract import Chain
from .interpret import bare_primed, chain_variable

# ∇_θ θᵀAθ = 2Aθ "for symmetric A", ∇_θ θᵀb = b: matrix-calculus rules the text states with letters of its own
_RULE_LEFT = re.compile(
    r"^\s*\\nabla\s*_\s*\{?\s*\\theta\s*\}?\s*(\\[,;!]\s*)?(\\left\s*)?\(?\s*\\theta\s*\^\s*\{?\s*(T|\\top)\s*\}?\s*[Ab]"
)


_STAND_INS = {
    "A": ("(X^T X)", "A as XᵀX, a symmetric matrix (the text says A is symmetric)"),
    "b": ("(X^T y)", "b as Xᵀy, a vector"),
}


def general_letters(chain: Chain, text: str) -> tuple[Chain, str | None]:
    """A rule of matrix calculus the text states with its own letters (``∇_θ θᵀAθ = 2Aθ`` for symmetric A), its
    letters put in as a random symmetric matrix XᵀX and a vector Xᵀy (a rule linear in A and b that holds for
    them holds for all: the data are sampled); the words that say so.  A only where the text says "symmetric"."""
    if not _RULE_LEFT.match(chain.sides[0].latex):
        return chain, None
    written = " ".join(side.latex for side in chain.sides)
    letters = [k for k in _STAND_INS if re.search(rf"(?<![A-Za-z\\]){k}(?![A-Za-z])", written)]
    if "A" in letters and not re.search(r"symmetric", text, re.IGNORECASE):
        return chain, None
    pattern = re.compile(r"(?<![A-Za-z\\])([Ab])(?![A-Za-z])")

    def put_in(written: str) -> str:
        return pattern.sub(lambda found: _STAND_INS[found.group(1)][0], written)

    sides = tuple(
        dataclasses.replace(side, text=put_in(side.text), rows=tuple(put_in(row) for row in side.rows))
        for side in chain.sides
    )
    words = "read " + " and ".join(_STAND_INS[k][1] for k in letters) + ": the rule checked on them"
    return dataclasses.replace(chain, sides=sides), words


def bare_primes(chain: Chain) -> tuple[Chain, str | None]:
    """``Φ' = φ`` in prose, with no argument: the derivative rule Φ′(z) = φ(z), as σ′ = σ(1 − σ) is read."""
    variable = chain_variable([side.text for side in chain.sides])
    texts, latex = (bare_primed([getattr(side, f) for side in chain.sides], variable) for f in ("text", "latex"))
    if texts is None or latex is None:
        return chain, None
    sides = tuple(dataclasses.replace(side, text=texts[k], rows=(latex[k],)) for k, side in enumerate(chain.sides))
    names = dict.fromkeys(_GREEK.get(name, name) for name in re.findall(r"\\(Phi|phi|tanh)", " ".join(latex)))
    words = f"read {', '.join(names)} written without an argument as functions of {variable}"
    return dataclasses.replace(chain, sides=sides), words


_GREEK = {"Phi": "Φ", "phi": "φ"}


_PRIMED_H = re.compile(r"^\s*h\s*(?:'|\^\s*\{?\s*\\prime\s*\}?)\s*$")  # h′, h^\prime


_LETTER_H = re.compile(r"(?<![A-Za-z\\])h(?![A-Za-z_])")


_PRIMED_H_WORDS = "read h′ and h as σ′ and σ: h = σ(θᵀx) is the model's prediction, h′ its σ′ (the rule σ′ = σ(1 − σ))"


def primed_prediction(chain: Chain, document: Document) -> tuple[Chain, str | None]:
    """``h' = h(1-h)`` in prose, h the model's σ(θᵀx) (not the text's own h): the rule σ′ = σ(1 − σ), as written
    of σ; under a model whose h is no σ it stays as written (and is refused)."""
    if not _PRIMED_H.match(chain.sides[0].latex) or document.own_prediction is not None:
        return chain, None
    context = document.context_of(True)
    hypothesis = context.example_hypothesis or context.hypothesis
    if hypothesis is None or type(hypothesis().definition()).__name__ != "sigmoid":
        return chain, None
    sides = tuple(
        dataclasses.replace(
            side,
            text=_LETTER_H.sub(r"\\sigma", side.text),
            rows=tuple(_LETTER_H.sub(r"\\sigma", row) for row in side.rows),
        )
        for side in chain.sides
    )
    return dataclasses.replace(chain, sides=sides), _PRIMED_H_WORDS


__all__ = ["bare_primes", "general_letters", "primed_prediction"]
