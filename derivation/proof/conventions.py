r"""Conventions of a reading, applied to the expression read: what the sums, letters and indices mean.

A side read from the user's text keeps the user's conventions; these put it in the model's: w is θ
(:func:`rename`, which also turns the reader's placeholder letters back into ŷ, ℓ, h), N is m
(:func:`as_m`), Σ_{i=0}^{m−1} is the sum over the m examples (:func:`numbered_from_zero`), a Σ
without brackets runs over the terms that use i (:func:`widen_sums`), and Σ_{i=0}^{m} where the
other sums start at 1 is a slip read as i = 1 with a warning (:func:`slips`).  Each returns the
expression and the words of what it assumed, for the report.
"""

from __future__ import annotations

import re

import sympy as sp

from ..core.notation import Theta, i, m, theta

_SHOWN = {"psi": "ŷ", "chi": "ℓ", "upsilon": "h"}  # the reader's placeholder letters (interpret._NAMES)
W_AS_THETA = _W_AS_THETA = "read w as θ (the weights)"


def rename(expr: sp.Basic, scalar_w: bool = False, weight: str | None = None) -> tuple[sp.Basic, list[str]]:
    """Placeholders back to the user's names, and w read as θ (unless ``scalar_w``: one weight, a number); the
    letter ``weight`` of a weight per example (c_i, w_i) is data, positive (never θ); the interpretations used."""
    used: list[str] = []
    mapping = {}
    for base in expr.atoms(sp.IndexedBase):
        name = str(base.label)
        if name in _SHOWN:
            mapping[base] = sp.IndexedBase(_SHOWN[name])
        elif name == weight:  # positive, for a sampler that honours it (oracle.policy.leaf_range does not yet)
            mapping[base] = sp.IndexedBase(name, positive=True)
        elif name == "w" and base.is_positive:  # w⁽ⁱ⁾, example i's weight (parsing.atoms): data, never θ_i
            continue
        elif name == "w":
            mapping[base] = theta
            used.append(_W_AS_THETA)
    for symbol in expr.atoms(sp.Symbol):
        if symbol.name in _SHOWN:
            mapping[symbol] = sp.Symbol(_SHOWN[symbol.name], **symbol.assumptions0)
        elif symbol.name == "w" and not scalar_w and any(symbol in d.variables for d in expr.atoms(sp.Derivative)):
            mapping[symbol] = Theta  # ∂/∂w: the weight vector
            used.append(_W_AS_THETA)
    if not mapping:
        return expr, used
    return expr.xreplace(mapping), used


def widen_sums(expr: sp.Basic) -> tuple[sp.Basic, list[str]]:
    r"""``\sum_i -y_i \ln h_i - (1-y_i)\ln(1-h_i)`` without brackets: the Σ read over every term that uses i.

    The reader ends a Σ at the next + or −; a term after it that still uses the example index i
    outside any sum means the writer's Σ runs over it too.
    """
    if not isinstance(expr, sp.Add):
        return expr, []
    terms = list(expr.args)
    loose = [t for t in terms if i in t.free_symbols]
    sums = [t for t in terms if t not in loose and _sum_over_i(t) is not None]
    if len(sums) != 1 or not loose:
        return expr, []
    coefficient, total = _sum_over_i(sums[0])
    # −(1/m) Σ_i y log a + (1 − y) log(1 − a): the bracket left out after the Σ, so its factor −1/m is the term's too;
    # a bare sign may be the summand's own (Σ_i −y ln h − (1 − y) ln(1 − h), seed 003): the loose term keeps its own
    written = coefficient not in (sp.S.One, sp.S.NegativeOne)
    widened = coefficient * sp.Sum(total.function + sp.Add(*loose) / (1 if written else coefficient), *total.limits)
    rest = [t for t in terms if t is not sums[0] and t not in loose]
    return sp.Add(widened, *rest), ["read Σ_i as running over the terms after it that use i (no brackets written)"]


def _sum_over_i(term: sp.Basic) -> tuple[sp.Expr, sp.Sum] | None:
    """(c, Σ_i f) when ``term`` is c·Σ_i f with c free of i; None otherwise."""
    factors = sp.Mul.make_args(term)
    found = [f for f in factors if isinstance(f, sp.Sum) and any(lim[0] == i for lim in f.limits)]
    if len(found) != 1:
        return None
    coefficient = sp.Mul(*(f for f in factors if f is not found[0]))
    return (coefficient, found[0]) if i not in coefficient.free_symbols and coefficient != 0 else None


_TO_N = r"\s*\}\s*\^\s*\{?\s*n(?![A-Za-z])"  # … }^{n}: a sum running to n
_N_EXAMPLES = re.compile(
    r"\\sum\s*_\s*\{\s*i\s*=\s*[01]"
    + _TO_N
    + r"|\bn\$?\s+(training\s+)?(examples|samples|data\s+points|observations)\b"
)
_N_FEATURES = re.compile(r"\\sum\s*_\s*\{\s*[jk]\s*=\s*[01]" + _TO_N + r"|\bn\$?\s+features\b")
N_AS_M = "read n as m, the number of examples (the text's sums over the examples i run to n)"


def example_count(document: str) -> str | None:
    """The letter a document's sums over examples run to when it is not m (Σ_{i=1}^{N}): N, M, or n.

    n counts the examples (d2l's 1/n Σ_i) when the sums over i run to n, or the prose says "n examples",
    and no sum over the features j, k runs to n.
    """
    found = re.search(r"\\sum\s*_\s*\{\s*i\s*=\s*[01]\s*\}\s*\^\s*\{?\s*([NM])(?![A-Za-z])", document)
    if found:
        return found.group(1)
    return "n" if _N_EXAMPLES.search(document) and not _N_FEATURES.search(document) else None


def n_as_m(text: str) -> str:
    """The user's letter n (not the notation's n inside θᵀx) written m, in place: positions stay."""
    return re.sub(r"(?<![A-Za-z\\])n(?![A-Za-z])", "m", text)


def as_m(expr: sp.Basic, letter: str | None) -> tuple[sp.Basic, list[str]]:
    """``letter`` (N) read as m, the number of examples, wherever it stands."""
    found = [s for s in expr.free_symbols if isinstance(s, sp.Symbol) and s.name == letter] if letter else []
    if not found:
        return expr, []
    return expr.xreplace({s: m for s in found}), [f"read {letter} as m, the number of examples"]


def slips(expr: sp.Basic, sums_from_one: bool) -> tuple[sp.Basic, list[str]]:
    """Σ_{i=0}^{m} read as Σ_{i=1}^{m} when the document's other sums start at 1; the warnings that says."""
    if not sums_from_one:
        return expr, []
    found = [s for s in expr.atoms(sp.Sum) if any(lim[0] == i and lim[1] == 0 and lim[2] == m for lim in s.limits)]
    if not found:
        return expr, []

    def fixed(s: sp.Sum) -> sp.Sum:
        limits = [(v, 1, hi) if (v, lo, hi) == (i, 0, m) else (v, lo, hi) for v, lo, hi in s.limits]
        return sp.Sum(s.function, *limits)

    warning = "the sum runs from i = 0 to m (m + 1 examples) where the others start at i = 1: read as i = 1"
    return expr.xreplace({s: fixed(s) for s in found}), [warning]


def numbered_from_zero(expr: sp.Basic) -> tuple[sp.Basic, list[str]]:
    """Σ_{i=0}^{m−1}: examples numbered from 0, the same m examples as Σ_{i=1}^{m} (the sum's i is a dummy)."""
    found = [s for s in expr.atoms(sp.Sum) if any((v, lo, hi) == (i, 0, m - 1) for v, lo, hi in s.limits)]
    if not found:
        return expr, []

    def shifted(s: sp.Sum) -> sp.Sum:
        return sp.Sum(
            s.function, *[(v, 1, m) if (v, lo, hi) == (i, 0, m - 1) else (v, lo, hi) for v, lo, hi in s.limits]
        )

    return expr.xreplace({s: shifted(s) for s in found}), ["read Σ_{i=0}^{m−1} as the sum over the m examples"]


__all__ = [
    "N_AS_M",
    "W_AS_THETA",
    "as_m",
    "example_count",
    "n_as_m",
    "numbered_from_zero",
    "rename",
    "slips",
    "widen_sums",
]
