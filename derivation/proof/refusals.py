"""Why a step is not checked, in words: each :class:`~derivation.proof.report.Unreadable` a step of ``verify`` can
end with (a name differentiated but never defined, a definition that does not fit the step, a side the reader
could not read), with the line it points at."""

from __future__ import annotations

import re

import sympy as sp

from ..parsing import LatexContext, line_of
from ..printing.expr import to_unicode
from .report import Unreadable


def free_letter(text: str, name: sp.Basic, position: int) -> Unreadable:
    shown = to_unicode(name)
    message = (
        f"{shown} is differentiated but not defined in the text: write what {shown} is ({shown} = …) first, "
        "or name the model whose cost it is (--hypothesis MODEL)"
    )
    return Unreadable("left", message, "", line_of(text, position))


def misfit(text: str, position: int) -> Unreadable:
    message = (
        "a name defined in the text does not fit this step (a vector or matrix where a number belongs?): "
        "define it as the step uses it, e.g. with \\theta^T x^{(i)} for a number"
    )
    return Unreadable("definition", message, "", line_of(text, position))


def declared_vectors(text: str, name: sp.Basic, position: int) -> Unreadable:
    shown = to_unicode(name)
    message = (
        f"the text writes vectors or matrices (∈ ℝ^…, a transpose, ⊙ or bold letters), but this step reads {shown} "
        "as one number, as a network of one unit per layer: write the step for one unit, or entry by entry"
    )
    return Unreadable("definition", message, "", line_of(text, position))


def shape_misfit(text: str, side: str, position: int) -> Unreadable:
    message = (
        "a vector is multiplied where a number belongs (w or x read as the vector θ or x⁽ⁱ⁾): write the step "
        "entry by entry (w_j, x_j) or as vectors (w^T x)"
    )
    return Unreadable(side, message, "", line_of(text, position))


def unread_matrix(text: str, name: sp.Basic, position: int) -> Unreadable:
    """A capital letter that multiplies a vector in the step but no formula defines: said in words (which are not
    read) or nowhere; it is not drawn as one number."""
    shown = to_unicode(name)
    said = [f for f in re.finditer(r"\$\s*" + re.escape(str(name)) + r"\s*\$", text) if f.start() < position]
    where = (
        f"line {line_of(text, said[-1].start())} says what {shown} is in words, which are not read"
        if said
        else f"the text does not say what {shown} is"
    )
    message = (
        f"{shown} multiplies a vector here, but no formula defines it ({where}); it is not checked as one number: "
        f"write {shown} as a formula, e.g. {shown} = \\mathrm{{diag}}(0, 1, \\dots, 1)"
    )
    return Unreadable("right", message, "", line_of(text, position))


# \mathrm{diag}(1, 0, \dots, 0): a diagonal matrix by its entries, of which only diag(0, 1, …, 1) and diag(1, …, 1) read
_DOTS = r"(?:\\dots|\\ldots|\\cdots|…)"
_DIAG_ENTRIES = re.compile(
    r"\\(?:(?:mathrm|operatorname|text)\s*\{\s*diag\s*\}|diag(?![A-Za-z]))\s*(?:\\left\s*)?"
    r"\((?P<entries>[^()]*" + _DOTS + r"[^()]*)(?:\\right\s*)?\)"
)
_DIAG_WORDS = (
    "{name} = diag({entries}) is defined on line {line}, but a diagonal matrix written by its entries is read only as "
    "diag(0, 1, …, 1) (the identity with its first entry 0) or diag(1, 1, …, 1): write the step entry by entry "
    "instead (∂J/∂θ_j = … for each j, with a case for j = 0 where it differs)"
)


def unread_definition(text: str, name: sp.Basic, error) -> Unreadable:
    line = line_of(text, error.position)
    start = text.rfind("\n", 0, error.position) + 1
    end = text.find("\n", error.position)
    diagonal = _DIAG_ENTRIES.search(text[start : end if end >= 0 else len(text)])
    if diagonal is not None and "by its entries" in error.message:  # the entries, not a vector of θ, are the issue
        entries = re.sub(_DOTS, "…", diagonal["entries"])
        entries = ", ".join(e.strip() for e in entries.split(","))
        message = _DIAG_WORDS.format(name=to_unicode(name), entries=entries, line=line)
        return Unreadable("definition", message, error.caret(), line)
    message = f"{to_unicode(name)} is defined on line {line} by an expression that could not be read: {error.message}"
    return Unreadable("definition", message, error.caret(), line)


def own_prediction(text: str, own, context: LatexContext) -> Unreadable:
    h = context.example_hypothesis()
    message = (
        f"h is defined on line {own.line} as {to_unicode(own.body)}, not the model's {to_unicode(h)} = "
        f"{to_unicode(h.definition())}: h in a Σ with no index is read as the model's; write the sum out "
        "with your h of x⁽ⁱ⁾, or name the model with --hypothesis"
    )
    return Unreadable("definition", message, "", own.line)


def unread_side(text: str, which: str, reading) -> Unreadable:
    error = reading.error
    return Unreadable(which, error.message, error.caret(), line_of(text, error.position))


__all__ = [
    "declared_vectors",
    "free_letter",
    "misfit",
    "own_prediction",
    "shape_misfit",
    "unread_definition",
    "unread_matrix",
    "unread_side",
]
