r"""Gradient-descent update rules in a derivation: ``θ_j := θ_j − α …``, ``θ := θ − αg``, Bishop's
``w^{(τ+1)} = w^{(τ)} + η(…)``, and the ``g`` they step along.

An update is no definition: its step is checked against the gradient of the text's cost (descent subtracts
α·∇J, ascent adds α·∇ℓ).  The rule is split by :func:`~derivation.parsing.statement.split_update`, the reading
``check --latex`` uses; this module finds the rows and says what they are.
"""

from __future__ import annotations

import re

import sympy as sp

from ..core.step_factors import STEP_FACTORS
from ..parsing.errors import ParseError
from ..parsing.layout import Line
from ..parsing.left import read_left
from .extract import Chain, Side

# θ^{(τ)}, w^{(t+1)}, w^{(k)}: the iteration, not a power; the transpose after it, w^{(τ)T}, stays a transpose
_ITERATION = re.compile(r"\^\s*\{\s*\(\s*(\\tau|t|k)\s*(\+\s*1\s*)?\)\s*(?P<rest>(?:[^{}]|\{[^{}]*\})*)\}")
# the cost a text defines, by its written name: J(θ), E(w), E_D(w), L(w, b), C; ℓ(θ) and log L are maximised
_COST = re.compile(
    r"^\s*(?P<name>J|E|L|C|E_D|E_\{D\}|\\mathcal\s*\{[LJE]\}|\\ell|\\log\s*L)\s*(\\left\s*)?(\(.*\))?\s*$", re.DOTALL
)
_MAXIMISED = re.compile(r"\\ell|\\log")
# "The gradient is", "the gradient g": prose that names the next display's name as ∇J
_GRADIENT_PROSE = re.compile(r"\bgradient\b[^.$]{0,30}$", re.IGNORECASE)
# what the step g of each kind of rule is, as multiples of the minimised cost's gradient: check's verdict.py reads
# received values by the same factors
FACTORS = STEP_FACTORS


def without_iteration(text: str) -> str:
    r"""``w^{(\tau)T}`` as ``w^{T}``, ``w^{(\tau+1)}`` as ``w``, padded with spaces to the same length."""

    def drop(found: re.Match) -> str:
        rest = found["rest"].strip()
        return (f"^{{{rest}}}" if rest else "").ljust(len(found[0]))

    return _ITERATION.sub(drop, text)


def stripped(side: Side) -> Side:
    """The side with the iteration superscripts blanked (positions kept)."""
    return Side(without_iteration(side.text), side.start, side.end, tuple(without_iteration(r) for r in side.rows))


def is_update(chain: Chain) -> bool:
    r"""True when the chain is one update rule: its left side is the parameter (θ_j, θ, w, b, w^{(τ+1)})."""
    if len(chain.sides) != 2:
        return False
    left = re.sub(r"_\s*\{?\s*[1-9]\s*\}?\s*$", "_j", chain.sides[0].latex)  # θ_1 of Ng's week 1: one entry
    try:
        return read_left(left, Line(0, (0, len(left)))).kind == "update"
    except (ParseError, ValueError, IndexError):
        return False


def cost_name(chains: list[Chain], before: int) -> tuple[str, bool, int]:
    r"""The LaTeX of the cost the text defines last before ``before`` (``J(\theta)``, ``E_D(\mathbf{w})``),
    whether it is maximised (ℓ, log L) and where it is written; the model's ``J(\theta)`` (at -1) when the text
    defines none."""
    found, where = r"J(\theta)", -1
    for chain in chains:
        if chain.sides[0].start >= before or len(chain.sides) < 2:
            break
        if _COST.match(chain.sides[0].latex):
            found, where = chain.sides[0].latex, chain.sides[0].start
    return found, _MAXIMISED.match(found.strip()) is not None, where


def derivative_text(cost: str, parameter: str) -> str:
    r"""``\frac{\partial J(\theta)}{\partial \theta_j}``: the gradient the step of an update of ``parameter`` is."""
    return rf"\frac{{\partial {cost}}}{{\partial {parameter}}}"


def named_gradient(text: str, chain: Chain, stepped: set[str]) -> bool:
    """True when the chain defines a lone name that an update steps along (θ := θ − αg) or that the prose just
    before calls the gradient ("The gradient is g = …"): the definition is a claim about ∇J, checked."""
    if len(chain.sides) != 2:
        return False
    name = chain.sides[0].latex.strip()
    letter = re.fullmatch(r"([A-Za-z])|\\(?:mathbf|boldsymbol|bm)\s*\{\s*([A-Za-z])\s*\}", name)
    if letter is None:
        return False
    if (letter[1] or letter[2]) in stepped:
        return True
    if (letter[1] or letter[2]) != "g":  # δ = h − y after "the gradient with respect to z": not ∇J
        return False
    before = text[max(0, chain.sides[0].start - 60) : chain.sides[0].start]
    before = re.sub(r"[\s$\\\[(]+$", "", before)  # the display's opening
    return _GRADIENT_PROSE.search(before) is not None


def step_names(g: sp.Basic) -> set[str]:
    """The names a step is written with alone (θ − αg: g), to check their definitions as the gradient."""
    _, rest = g.as_coeff_Mul() if isinstance(g, sp.Expr) else (1, g)
    return {str(rest)} if isinstance(rest, sp.Symbol) else set()


__all__ = [
    "FACTORS",
    "cost_name",
    "derivative_text",
    "is_update",
    "named_gradient",
    "step_names",
    "stripped",
    "without_iteration",
]
