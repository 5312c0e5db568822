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


def in_matrix_form(*sides: sp.Basic) -> bool:
    return any(expand_abbreviations(side).has(X) for side in sides)


def with_ones(side: sp.Basic) -> sp.Basic:
    """``side`` worked out with x₀ = 1 in every example: Σ_k θ_k x_k split into θ₀ + Σ_{k≥1} θ_k x_k."""
    worked = expand_abbreviations(side)  # not doit: SymPy would try each Σ in closed form (seconds); kept unevaluated
    if not worked.has(x):
        return side

    def split(s: sp.Sum) -> sp.Basic:
        k, low, high = s.limits[0]
        first = s.function.subs(k, 0)
        return first + sp.Sum(s.function, (k, low + 1, high)) if first.has(x) and low == 0 else s

    worked = worked.replace(lambda e: isinstance(e, sp.Sum) and len(e.limits) == 1, split)
    return worked.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == x and e.indices[-1] == 0, lambda e: sp.S.One
    )


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


__all__ = ["ONES_SAID", "ONES_WORDS", "bias_of_ones", "in_matrix_form", "with_ones"]
