r"""The Hessian a text writes after its gradient: H_{jk} = …, the matrix H = … or ∇²_θ J(θ) = (1/m)XᵀSX.

Each is read entry by entry, ∂²J/∂θ_j∂θ_k = [M]_{jk}, and checked against the second derivatives of the text's
cost at sampled j, k; where the text writes no cost and names no model (linear regression's Hessian is (1/m)XᵀX,
logistic regression's (1/m)XᵀSX) it is refused in words, as is a side that cannot be read.
"""

from __future__ import annotations

import dataclasses
import re

from ..parsing import line_of
from .document import BOLD_OPEN
from .extract import Chain
from .report import Unreadable

# H, \mathbf{H} or H_{jk} on a left side, in a text that differentiates twice or says "Hessian"
_HESSIAN = re.compile(
    rf"^\s*(?:H|{BOLD_OPEN}H\s*\}})\s*(?:_\s*\{{\s*(?P<j>[a-z])\s*,?\s*(?P<k>[a-z])\s*\}}"
    r"|_\s*(?:J|\\theta|\{\s*(?:J|\\theta)\s*\}))?"  # H_J, H_θ: the Hessian of J
    rf"\s*(?:(?:\\left\s*)?\(\s*(?:\\theta|w|{BOLD_OPEN}(?:\\theta|w)\s*\}})\s*(?:\\right\s*)?\))?\s*$"  # H(θ), H(𝛉)
)


_TWICE = re.compile(
    r"(?i)Hessian|second\s+derivative|differentiat\w*\s+(?:\w+\s+)?(?:once\s+more|again|twice)"
    r"|\\(?:partial|nabla)\s*\^\s*\{?\s*2"
)


HESSIAN_WORDS = (
    "this is the Hessian of J (the text differentiates twice), checked entry by entry against the second derivatives "
    "of the cost, and the text writes no J(θ) = … and names no model: not checked (write J(θ) = …, or name the "
    "model with --hypothesis MODEL: linear regression's Hessian is (1/m)XᵀX, logistic regression's (1/m)XᵀSX)"
)


# ∇²_θ J(θ), ∇_θ² J, ∇²J, \nabla\nabla^T J: the Hessian of the text's cost as a matrix
_NABLA_SQUARED = re.compile(
    r"^\s*\\nabla\s*(?:\^\s*\{?\s*2\s*\}?\s*(?:_\s*(?:\{\s*)?(?:\\theta|w)\s*\}?)?"
    r"|_\s*(?:\{\s*)?(?:\\theta|w)\s*\}?\s*\^\s*\{?\s*2\s*\}?)"
    r"\s*J\s*(?:(?:\\left\s*)?\(\s*(?:\\theta|w)\s*(?:\\right\s*)?\))?\s*$"
)


DIAGONAL_ENTRY = re.compile(r"^\s*[A-Z]\s*_\s*\{\s*([a-z])\s*,?\s*\1\s*\}\s*$")  # S_{ii}: a diagonal matrix's entry


HESSIAN_ENTRIES = r"\frac{\partial^2 J}{\partial\theta_j\partial\theta_k}"


_HESSIAN_ENTRY_WORDS = (
    "read the Hessian {name} = M entry by entry: ∂²J/∂θ_j∂θ_k = [M]_jk, checked at sampled j, k against "
    "the second derivatives of J"
)


def hessian_entries(chain: Chain, text: str, named: bool) -> tuple[Chain, str | None]:
    """∇²_θ J(θ) = (1/m)XᵀSX (or the matrix H = … in a text that differentiates twice) where the text writes its J or
    names its model: each side read as its entry (j, k), the first as ∂²J/∂θ_j∂θ_k, the others as [M]_{jk}; the
    words that say so.  With no model named (logistic by default) the Hessian is refused (:data:`HESSIAN_WORDS`):
    linear regression's is (1/m)XᵀX, logistic's (1/m)XᵀSX."""
    first = chain.sides[0]
    nabla = _NABLA_SQUARED.match(first.latex) is not None
    if not named or hessian_name(text, first) != "":
        return chain, None
    entry, outers = [], False
    for side in chain.sides:  # H = ∇²J = …: each name of the Hessian its entry, each matrix [M]_{jk}
        named = not entry or _NABLA_SQUARED.match(side.latex) or hessian_name(text, side) == ""
        outer = not named and _OUTER.search(side.text) is not None and _MATRIX_SIGNS.search(side.text) is None
        if named:
            written = HESSIAN_ENTRIES
        elif outer:  # Σ_i σ(1 − σ) x⁽ⁱ⁾x⁽ⁱ⁾ᵀ: entry jk of x⁽ⁱ⁾x⁽ⁱ⁾ᵀ is x_j⁽ⁱ⁾x_k⁽ⁱ⁾, every other factor a number
            written = _OUTER.sub(lambda f: rf"x_j^{{({f['i']})}} x_k^{{({f['i']})}}", side.text)
        else:
            written = rf"\left[{side.text}\right]_{{jk}}"
        entry.append(dataclasses.replace(side, text=written, rows=(written,)))
        outers = outers or outer
    words = _HESSIAN_ENTRY_WORDS.format(name="∇²J" if nabla else "H")
    words += "; x⁽ⁱ⁾x⁽ⁱ⁾ᵀ read entry by entry as x_j⁽ⁱ⁾x_k⁽ⁱ⁾" if outers else ""
    return dataclasses.replace(chain, sides=tuple(entry)), words


# x⁽ⁱ⁾x⁽ⁱ⁾ᵀ written x^{(i)} x^{(i)T}, x^{(i)} (x^{(i)})^T, x^{(i)} {x^{(i)}}^T, x^{(i)}x^{(i)\top}: an outer product
_T = r"(?:T|\\top|\\intercal)"
_OUTER = re.compile(
    r"(?<![A-Za-z\\])x\s*\^\s*\{\s*\(\s*(?P<i>[a-z])\s*\)\s*\}\s*(?:\\,\s*)?"
    r"(?:x\s*\^\s*\{\s*\(\s*(?P=i)\s*\)\s*" + _T + r"\s*\}"
    r"|(?:\(|\\left\s*\(|\{)\s*x\s*\^\s*\{\s*\(\s*(?P=i)\s*\)\s*\}\s*(?:\)|\\right\s*\)|\})\s*\^\s*\{?\s*"
    + _T
    + r"\s*\}?)"
)
# X, S, a diag(…), a transpose other than the outer product's: a side in matrix form, read as [M]_jk
_MATRIX_SIGNS = re.compile(r"(?<![A-Za-z\\])[XS](?![A-Za-z])|\\(?:mathrm|operatorname)\s*\{\s*diag|\\odot")


def hessian_name(text: str, first) -> str | None:
    """For a side that names the Hessian: ∂²J/∂θ_j∂θ_k for H_{jk}, "" for the matrix H or ∇²J; else None."""
    if _NABLA_SQUARED.match(first.latex) is not None:
        return ""
    found = _HESSIAN.match(first.latex)
    if found is None or _TWICE.search(text) is None:
        return None
    if found["j"] is None:
        return ""
    return rf"\frac{{\partial^2 J}}{{\partial\theta_{found['j']}\partial\theta_{found['k']}}}"


_UNREAD_HESSIAN = (
    "the Hessian is checked entry by entry, [M]_jk against ∂²J/∂θ_j∂θ_k, and this side could not be read: {why}; "
    "not checked (write each matrix in it as a formula, e.g. S = \\mathrm{{diag}}(\\sigma(X\\theta)\\odot"
    "(1-\\sigma(X\\theta))))"
)


_MISSHAPEN_HESSIAN = (
    "the Hessian is checked entry by entry, [M]_jk against ∂²J/∂θ_j∂θ_k, and this side is no (n+1) × (n+1) matrix: "
    "{why}; not checked (the Hessian of J(θ) is (n+1) × (n+1), e.g. XᵀSX with X m × (n+1))"
)


_NUMBER_NOT_MATRIX = re.compile(r"^(?P<name>\S+) is read as a number here, not a matrix\b.*$")
# document's words for W = diag(w_1, …, w_m), said of any diag(…) it could not read: here, the S of the Hessian
_UNREAD_DIAGONAL = re.compile(r"^(?P<name>\S+) = diag\(…\), a diagonal matrix of weights\b.*$")


def unread_hessian(text: str, relation, reading) -> Unreadable:
    """A side of ∇²J = M read as [M]_{jk} that could not be read: said of the Hessian (the caret of the bracketed side
    would point elsewhere), a letter never defined as a matrix named so."""
    why = _NUMBER_NOT_MATRIX.sub(r"\g<name> is not defined as a matrix by a formula", reading.error.message)
    why = _UNREAD_DIAGONAL.sub(
        r"\g<name> = diag(…) could not be read (a product of vectors in it is written with ⊙)", why
    )
    if "shapes do not match" in why:  # X S Xᵀ: the product's shapes are the fault, not how S is written
        return Unreadable("right", _MISSHAPEN_HESSIAN.format(why=why), "", line_of(text, relation.start))
    return Unreadable("right", _UNREAD_HESSIAN.format(why=why), "", line_of(text, relation.start))


__all__ = ["DIAGONAL_ENTRY", "HESSIAN_ENTRIES", "HESSIAN_WORDS", "hessian_entries", "hessian_name", "unread_hessian"]
