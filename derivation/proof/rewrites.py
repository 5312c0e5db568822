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


# e as a variable: differentiated by (d/de, \frac{d}{de}, ∂/∂e) or a function's argument (cosh(e), f(e))
_BY_E = re.compile(r"\{\s*(?:d|\\partial)\s*e\s*\}|(?<![A-Za-z\\])d\s*/\s*de(?![A-Za-z])|\\partial\s*e(?![A-Za-z])")
_OF_E = re.compile(r"(?:\\[A-Za-z]+|(?<![A-Za-z\\])[A-Za-z])\s*(?:\\left\s*)?\(\s*e\s*(?:\\right\s*)?\)")
_EULER = re.compile(r"(?<![A-Za-z\\])e\s*\^")  # e^{…}, e^x: Euler's number
_LONE_E = re.compile(
    r"(?<![A-Za-z\\])e(?![A-Za-z])|(?<=\{d)e(?=\s*\})|(?<=[{/]d)e(?![A-Za-z])|(?<=\\partial )e(?![A-Za-z])"
)
_MATH = re.compile(r"\$\$.*?\$\$|\$.*?\$|\\\[.*?\\\]|\\\(.*?\\\)", re.DOTALL)
E_VARIABLE_WORDS = (
    "read e as a variable, shown as {letter}, not Euler's number (the text differentiates by e, or applies a function"
    " to e, and never writes e^{{…}})"
)


def e_as_variable(text: str) -> tuple[str, str | None]:
    r"""``text`` with a variable named e renamed to a letter the text does not use (the same length: positions stay),
    and that letter, when the text differentiates by e (``\frac{d}{de}``, ∂/∂e) or applies a function to it
    (``\cosh(e)``) and never writes e^{…} (then e is Euler's number everywhere); else ``(text, None)``.
    Only inside $…$ when the text has any: e in the prose (e.g.) stays.

    >>> e_as_variable(r"$\frac{d}{de}\log\cosh(e) = \tanh(e)$")
    ('$\\frac{d}{du}\\log\\cosh(u) = \\tanh(u)$', 'u')
    >>> e_as_variable(r"$\frac{d}{dz} e^{z} = e^{z}$")[1] is None
    True
    """
    if _EULER.search(text) or not (_BY_E.search(text) or _OF_E.search(text)):
        return text, None
    letter = next((c for c in "uvwstr" if not re.search(rf"(?<![A-Za-z\\]){c}(?![A-Za-z])", text)), None)
    if letter is None:
        return text, None

    def renamed(math: re.Match) -> str:
        return _LONE_E.sub(letter, math.group(0))

    spans = _MATH if "$" in text or "\\[" in text or "\\(" in text else re.compile(r".+", re.DOTALL)
    return spans.sub(renamed, text), letter


# Σ_{i=0}^{n} θ_i x_i (Math.SE 2653579): i runs over the features 0..n of θ_i x_i, not over the examples
_I = r"\s*_\s*(?:\{\s*i\s*\}|i(?![A-Za-z]))"
_FEATURE_SUM_I = re.compile(
    r"\\sum\s*_\s*\{\s*i\s*=\s*[01]\s*\}\s*\^\s*(?:\{\s*n\s*\}|n(?![A-Za-z]))\s*(?:\\left\s*)?\(?\s*"
    rf"(?:(?:\\theta|w){_I}\s*(?:\\,|\\cdot|\s)*x{_I}|x{_I}\s*(?:\\,|\\cdot|\s)*(?:\\theta|w){_I})"
)
FEATURE_SUM_WORDS = (
    "read Σ_{{i=0}}^{{n}} θ_i x_i as the sum over the features (i = 0..n, shown as {letter}), not over the examples"
)


def feature_sums(text: str) -> tuple[str, str | None]:
    r"""``text`` with the i of each ``\sum_{i=0}^{n}\theta_i x_i`` (a sum over the features: θ_i) written as a letter
    the text does not use (same length: positions stay), and that letter; else ``(text, None)``.

    >>> feature_sums(r"$\sum_{i=0}^{n} \theta_i x_i - y$")
    ('$\\sum_{k=0}^{n} \\theta_k x_k - y$', 'k')
    >>> feature_sums(r"$\sum_{i=1}^{n} (\theta^T x_i - y_i)$")[1] is None
    True
    """
    if _FEATURE_SUM_I.search(text) is None:
        return text, None
    letter = next((c for c in "klpq" if not re.search(rf"(?<![A-Za-z\\]){c}(?![A-Za-z])", text)), None)
    if letter is None:
        return text, None

    def renamed(found: re.Match) -> str:
        return re.sub(r"(?<![A-Za-z\\])i(?![A-Za-z])", letter, found.group(0))

    return _FEATURE_SUM_I.sub(renamed, text), letter


# Σ_{n=1}^{N} over the data points with x_n, y_n (PRML, techqa 3152743): n the example index, N their number
_SUM_N = re.compile(r"\\sum\s*_\s*\{\s*n\s*=\s*1\s*\}\s*\^\s*(?:\{\s*N\s*\}|N(?![A-Za-z]))")
_BY_N = re.compile(r"x\s*\}?\s*_\s*(?:\{\s*n\s*\}|n(?![A-Za-z]))")
_LABEL_N = re.compile(r"(?<![A-Za-z\\])y\s*_\s*(?:\{\s*n\s*\}|n(?![A-Za-z]))")  # y_n: the label of example n
_WEIGHT_N = re.compile(r"(?:(?<![A-Za-z\\])w|\\theta|\\beta)\s*_\s*(?:\{\s*n\s*\}|n(?![A-Za-z]))")  # w_n: feature n's
# PRML's φ_n, t_n (the labels) and y_n = σ(a_n) (the prediction): Bishop's notation, read by its own path or refused
_BISHOP = re.compile(
    r"\\phi|(?<![A-Za-z\\])(?:t|a)\s*_\s*(?:\{\s*n\s*\}|n(?![A-Za-z]))|(?<![A-Za-z\\])y\s*_\s*\{?\s*n\s*\}?\s*="
)
N_EXAMPLES_WORDS = (
    "read n as i, the example index, and N as m, the number of examples (the text sums Σ_{{n=1}}^{{N}} over them)"
)
_GRAD_WORD = re.compile(r"\\(?:text|operatorname|mathrm)\s*\{\s*grad\s*\}")


def examples_by_n(text: str) -> tuple[str, bool]:
    r"""``text`` with n written i and N written m in its formulas (same length: positions stay) when it sums
    ``\sum_{n=1}^{N}`` over examples x_n, y_n and writes no i or m of its own; ``\text{grad}`` written ∇; and whether
    n was renamed.

    >>> examples_by_n(r"$J = \frac{1}{N}\sum_{n=1}^{N}(w^T x_n - y_n)^2$")
    ('$J = \\frac{1}{m}\\sum_{i=1}^{m}(w^T x_i - y_i)^2$', True)
    """
    text = _GRAD_WORD.sub(lambda found: "\\nabla".ljust(len(found.group(0))), text)
    if _SUM_N.search(text) is None or _BY_N.search(text) is None or _BISHOP.search(text):
        return text, False
    if _LABEL_N.search(text) is None or _WEIGHT_N.search(text):  # Σ_n w_n x_n: n runs over features (review 14 F5)
        return text, False
    if re.search(r"(?<![A-Za-z\\])[im](?![A-Za-z])", "".join(_math_spans(text))):
        return text, False

    def renamed(math: re.Match) -> str:
        written = re.sub(r"(?<![A-Za-z\\])n(?![A-Za-z])", "i", math.group(0))
        return re.sub(r"(?<![A-Za-z\\])N(?![A-Za-z])", "m", written)

    return _spans(text).sub(renamed, text), True


def _spans(text: str) -> re.Pattern:
    return _MATH if "$" in text or "\\[" in text or "\\(" in text else re.compile(r".+", re.DOTALL)


def _math_spans(text: str) -> list[str]:
    return [found.group(0) for found in _spans(text).finditer(text)]


# dJ = … d\boldsymbol{w}^T …: a total differential (the reader would take d for a number)
DIFFERENTIAL = re.compile(
    r"^\s*(?:\\mathrm\s*\{\s*d\s*\}|d)\s*(?:J|L|E|\\ell|\\mathcal\s*\{?\s*[JLE]\s*\}?)"
    r"\s*(?:(?:\\left\s*)?\([^()]*(?:\\right\s*)?\))?\s*$"
)
DIFFERENTIAL_WORDS = (
    "dJ = … is a total differential (d is no number): not checked; write the gradient, \\nabla_{w} J = …, "
    "or \\frac{\\partial J}{\\partial w_j} = …"
)


__all__ = [
    "DIFFERENTIAL",
    "DIFFERENTIAL_WORDS",
    "N_EXAMPLES_WORDS",
    "examples_by_n",
    "E_VARIABLE_WORDS",
    "FEATURE_SUM_WORDS",
    "bare_primes",
    "e_as_variable",
    "feature_sums",
    "general_letters",
    "primed_prediction",
]
