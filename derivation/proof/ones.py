"""x₀⁽ⁱ⁾ = 1, the column of ones a text writes θ₀ for ("with x_0^{(i)} = 1", or a bare θ₀ beside θ₁x₁): the data of
a step written entry by entry are sampled with it (a side in matrix form keeps X as drawn), and the ML
Specialization's ∂J/∂b of w·x + b is ∂J/∂θ₀ with x₀ = 1."""

from __future__ import annotations

import re

import sympy as sp

from ..core.functions import expand_abbreviations
from ..core.notation import X, i, theta, x

# "with x_0^{(i)} = 1", or a bare θ₀ beside θ₁x₁ (σ(θ_0 + θ_1 x_1 + θ_2 x_2)): X has its column of ones
_THETA0 = r"\\theta\s*_\s*(?:\{\s*0\s*\}|0(?![0-9]))"


ONES_SAID = re.compile(
    r"(?:(?<![A-Za-z\\])x\s*_\s*(?:\{\s*0\s*\}|0(?![0-9]))(?:\s*\^\s*\{\s*\(\s*i\s*\)\s*\})?|x₀)\s*=\s*1(?![0-9.])"
    rf"|{_THETA0}\s*\+\s*\\theta\s*_\s*\{{?\s*1\s*\}}?\s*x\s*_\s*\{{?\s*1"
)


ONES_WORDS = "x₀⁽ⁱ⁾ = 1 (the column of ones the text writes θ₀ for): the data are sampled so"
# "for the intercept", "the bias term": a step by θ₀ in such a text is about the intercept, whose x₀⁽ⁱ⁾ is 1
INTERCEPT_SAID = re.compile(
    r"(?<!\bno )(?<!without )(?<!without an )(?<!without a )(?<!without the )\b(intercept|bias)(es)?\b", re.IGNORECASE
)
INTERCEPT_WORDS = "x₀⁽ⁱ⁾ = 1: θ₀ is the intercept, as the text says, so its feature is the column of ones"


# x₀ given a value other than 1 ("x_0^{(i)} = 0.5", "x_0 = c"), or x₀ said not to be 1: the course convention is off
X0_OTHER = re.compile(
    r"(?:(?<![A-Za-z\\])x\s*_\s*(?:\{\s*0\s*\}|0(?![0-9]))(?:\s*\^\s*\{\s*\(\s*i\s*\)\s*\})?|x₀)"
    r"\s*(?:=\s*(?!1(?![0-9]|\.[0-9]))[^\s$]|\\neq?\b|≠)"
)
# "There is no intercept: $x_0^{(i)}$ is a feature like the others": θ₀ is a weight, x₀ drawn as any feature
_NOT_PENALTY = r"(?![^.$]{0,40}(?:\bpenalt|\bregulari[sz]|\bweight\s+decay|λ|\\lambda))"
NO_INTERCEPT = re.compile(
    r"\bno\s+(?:intercept|bias)|\bwithout\s+(?:an?\s+|the\s+)?(?:intercept|bias)"
    r"|x\s*_\s*\{?\s*0\s*\}?(?:\s*\^\s*\{\s*\(\s*i\s*\)\s*\})?\s*\$?\s*is\s+a\s+feature"
    # review 13 F3: "we omit the bias term", "through the origin (no $\theta_0$)", "no column of ones"; never "omit the
    # bias from the penalty" or "the bias is left out of the regularisation", which keep the intercept
    r"|\b(?:omit|drop|remov)\w*\s+(?:an?\s+|the\s+)?(?:intercept|bias|constant\s+term)(?:\s+term)?"
    + _NOT_PENALTY
    + r"|through\s+the\s+origin|\bno\s+(?:column|col\.?)\s+of\s+(?:ones|1s)"
    r"|\bno\s+\$?\s*(?:\\theta_\{?0\}?|θ₀|theta_?0)(?![^.]{0,40}(?:\bpenalt|\bregulari[sz]|λ|\\lambda))"
    r"|\b(?:intercept|bias)\s+(?:term\s+)?(?:is\s+|was\s+)?(?:omitted|dropped|removed)" + _NOT_PENALTY,
    re.IGNORECASE,
)
CONVENTION_WORDS = (
    "x₀⁽ⁱ⁾ = 1: the step is by θ₀, the intercept (the course convention: X's first column is ones), and the text"
    " gives x₀ no other value"
)


def by_theta0(*sides: sp.Basic) -> bool:
    """A side differentiates by θ₀ itself (∂J/∂θ₀), not by θ_j."""
    return any(theta[0] in d.variables for side in sides for d in side.atoms(sp.Derivative))


def in_matrix_form(*sides: sp.Basic) -> bool:
    return any(expand_abbreviations(side).has(X) for side in sides)


def with_ones(side: sp.Basic) -> sp.Basic:
    """``side`` worked out with x₀ = 1 in every example: Σ_k θ_k x_k split into θ₀ + Σ_{k≥1} θ_k x_k."""
    worked = expand_abbreviations(side)  # not doit: SymPy would try each Σ in closed form (seconds); kept unevaluated
    if not worked.has(x):
        return side

    def split(s: sp.Sum) -> sp.Basic:
        k, low, high = s.limits[0]
        if not any(a.base == x and a.indices[-1] == k for a in s.function.atoms(sp.Indexed)):
            return s  # a sum over the examples (Σ_{i=0}^m, a slip of its own), not over the features θ_k x_k
        first = s.function.subs(k, 0)
        return first + sp.Sum(s.function, (k, low + 1, high)) if first.has(x) and low == 0 else s

    worked = worked.replace(lambda e: isinstance(e, sp.Sum) and len(e.limits) == 1, split)
    worked = worked.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == x and e.indices[-1] == 0, lambda e: sp.S.One
    )
    return worked.replace(_free_feature, _one_at_zero)


def _free_feature(e: sp.Basic) -> bool:
    """x_j⁽ⁱ⁾ with a feature index that may be 0 (j, not a number and not a k that a split sum starts at 1)."""
    if not (isinstance(e, sp.Indexed) and e.base == x and len(e.indices) in (1, 2)):  # x_j⁽ⁱ⁾, or x_j of one example
        return False
    index = e.indices[-1]
    return isinstance(index, sp.Symbol) and index.is_positive is not True


def _one_at_zero(e: sp.Indexed) -> sp.Basic:
    """x_j⁽ⁱ⁾ as 1 at j = 0 and as drawn elsewhere: x_j of a row holding for every j uses the same x₀ = 1 as θᵀx.

    >>> from derivation.core.notation import j
    >>> _one_at_zero(x[i, j])
    (1 - KroneckerDelta(0, j))*x[i, j] + KroneckerDelta(0, j)
    """
    index = e.indices[-1]
    return sp.KroneckerDelta(index, 0) + (1 - sp.KroneckerDelta(index, 0)) * e


def bias_of_ones(side: sp.Basic) -> sp.Basic:
    """A derivative by θ₀ worked out with x₀⁽ⁱ⁾ = 1 (the bias b of w·x + b is θ₀); any other side as it is."""
    if not any(theta[0] in d.variables for d in side.atoms(sp.Derivative)):
        return side
    worked = expand_abbreviations(side).doit()
    worked = worked.replace(
        lambda s: isinstance(s, sp.Sum) and len(s.variables) == 1 and s.function.has(sp.KroneckerDelta),
        lambda s: s.function.subs(s.variables[0], 0),
    )
    return worked.xreplace({x[i, 0]: 1})


__all__ = [
    "CONVENTION_WORDS",
    "INTERCEPT_SAID",
    "INTERCEPT_WORDS",
    "ONES_SAID",
    "ONES_WORDS",
    "NO_INTERCEPT",
    "X0_OTHER",
    "bias_of_ones",
    "by_theta0",
    "in_matrix_form",
    "with_ones",
]
