r"""Gradient-descent update rules in a derivation: ``θ_j := θ_j − α …``, ``θ := θ − αg``, Bishop's
``w^{(τ+1)} = w^{(τ)} + η(…)``, and the ``g`` they step along.

An update is no definition: its step is checked against the gradient of the text's cost (descent subtracts
α·∇J, ascent adds α·∇ℓ).  The rule is split by :func:`~derivation.parsing.statement.split_update`, the reading
``check --latex`` uses; this module finds the rows, says what they are, and checks each step
(:func:`update_step`).
"""

from __future__ import annotations

import dataclasses
import re

import sympy as sp

from ..core.functions import expand_abbreviations
from ..core.notation import Theta, i, j, m, n
from ..core.status import ProofStatus
from ..core.step_factors import STEP_FACTORS
from ..parsing import LatexContext
from ..parsing.atoms import CATCH
from ..parsing.errors import ParseError
from ..parsing.layout import Line
from ..parsing.left import read_left
from ..parsing.statement import split_update, text_context
from ..printing.expr import to_unicode
from .compare import sides_of, verdict_of
from .diagnose import Diagnosis, diagnose
from .document import Document
from .extract import Chain, Side
from .read import chain_context
from .report import FAILS, HOLDS, ProofStep, step_fields

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


def update_document(text: str, chains, model, own: bool, declared, named: bool) -> Document:
    """The document that reads update rules: in Bishop's notation (Σ_n, t_n, φ_n) with the parameter vector read
    entry by entry (w + η(t_n − wᵀφ_n)φ_n as θ_j + η(…)x_j), as check --latex reads it; else as the steps are."""
    _, bishop = text_context(chain_context(model, False, own), text)

    def bishops(example: bool) -> LatexContext:
        return dataclasses.replace(text_context(chain_context(model, example, own), text)[0], feature=j)

    reading = bishops if bishop else (lambda example: chain_context(model, example, own))
    return Document(text, chains, reading, declared, named=named, own=own)


def update_parts(chain: Chain, document: Document) -> tuple[sp.Basic, sp.Basic, str] | None:
    """(θ as read, the step g, "descent" or "ascent") of an update-rule chain; None for any other chain."""
    if not is_update(chain):
        return None
    left, right = (document.read(stripped(side)) for side in chain.sides)
    if left.error is not None or right.error is not None:
        return None
    parameter, value = left.expr, right.expr
    if isinstance(value, sp.MatrixExpr) and not isinstance(parameter, sp.MatrixExpr):  # θ − (α/m)Xᵀ(…): θ the vector
        value, parameter = value.xreplace({parameter: Theta}), Theta
    try:
        g, target = split_update(value, parameter)
    except (ValueError, *CATCH):
        return None
    return parameter, g, target


def update_step(text, chain: Chain, number: int, before: int, document: Document, chains, seed, stepped):
    """The step of an update rule (θ := θ − α·g) or a name it steps along (g = …, "the gradient is g = …"),
    checked against the gradient of the text's cost; None when the chain is neither (or cannot be read so)."""
    parts = update_parts(chain, document)
    if parts is not None:
        parameter, g, target = parts
        variable = stripped(chain.sides[0]).latex.strip()
        if not isinstance(parameter, sp.Indexed):
            variable = r"\theta_j" if str(parameter) not in ("b", "w") else variable  # θ, w: checked entry by entry
    elif named_gradient(text, chain, stepped):
        right = document.read(chain.sides[1])
        if right.error is not None:
            return None
        g, target, variable = right.expr, "descent", r"\theta_j"
    else:
        return None
    relation = chain.relations[0]
    cost, maximised, where = cost_name(chains, chain.sides[0].start)
    derivative = document.read(Side(derivative_text(cost, variable), relation.start, relation.start, ()))
    if derivative.error is not None:
        return None
    written = next((d for d in document.definitions if d.start == where), None)
    if written is not None:  # E_D(w) = ½Σ…: the text's own cost, by its definition
        by = document.read(Side(variable, relation.start, relation.start, ())).expr
        derivative = dataclasses.replace(derivative, expr=sp.Derivative(written.body, by))
    try:
        lhs, rhs, _, assumed = sides_of(derivative.expr, g, document.names_at(relation.start))
        one = i in rhs.free_symbols and i not in lhs.free_symbols
        if one:  # one example's step (stochastic): the gradient of its term
            lhs = expand_abbreviations(lhs).replace(
                lambda e: isinstance(e, sp.Sum) and list(e.variables) == [i], lambda e: e.function
            )
        factors = [-k if maximised else k for k in FACTORS[target]]
        verdicts = [(k, verdict_of(k * lhs, rhs, seed)) for k in factors]
    except CATCH:
        return None
    base = step_fields(text, relation, number, before + 1, chain.sides[0].latex, chain.sides[1].latex)
    base |= {"reading": (to_unicode(lhs), to_unicode(rhs)), "interpretations": tuple(dict.fromkeys(assumed))}
    name = _cost_letter(cost) if written is not None or maximised else "J"
    if parts is None:
        what = f"{stripped(chain.sides[0]).latex.strip()} read as the gradient ∇{name} (the text steps along it)"
    else:
        what = f"an update rule (gradient {target}): its step g checked against ∇{name}"
    for k, verdict in verdicts:
        if verdict.ok:
            times = "" if k in (1, -1) else "m·"
            absorbs = "" if k in (1, -1) else " (the step size absorbs m)"
            note = f"{what}: g = {'−' if k < 0 else ''}{times}∇{name}{absorbs}"
            note += " of one example's term (a stochastic step)" if one else ""
            return ProofStep(status=HOLDS, verdict=verdict, note=note, **base)
    verdict = verdicts[0][1]
    if verdict.status != FAILS:  # undecided: said as it is
        return ProofStep(status=ProofStatus(verdict.status), verdict=verdict, note=what, **base)
    climbs = any(verdict_of(-k * lhs, rhs, seed).ok for k in factors)
    if climbs:
        message = _climbs(g, target, name, maximised, parts is None)
        diagnosis = Diagnosis("sign", message)
    else:
        diagnosis = diagnose(factors[0] * lhs, rhs, seed=seed)
    return ProofStep(status=FAILS, verdict=verdict, note=what, diagnosis=diagnosis, **base)


def _climbs(g: sp.Basic, target: str, name: str, maximised: bool, named: bool) -> str:
    """The sign slip of an update (or of the g it steps along) in the user's terms."""
    written, right = to_unicode(g), to_unicode(_negated(g))
    if isinstance(g, sp.Symbol):  # θ := θ − αg: g's own line says what it is
        right = f"−{written}"
    if named:
        return f"{written} is −∇{name}, not the gradient: ∇{name} = {right} (descent subtracts α∇{name})"
    if maximised and target == "descent":
        return f"this update descends {name}: {written} is ∇{name}; ascent adds α·({written})"
    if maximised:
        return f"this update descends {name}: {written} is −∇{name}; ascent adds α·({right})"
    if target == "descent":
        return f"this update climbs {name}: {written} is −∇{name}; descent subtracts α·({right})"
    return f"this update climbs {name}: it adds α∇{name}; descent subtracts it, ascent adds α·{right} = −α∇{name}"


def _cost_letter(cost: str) -> str:
    r"""The cost's name as the report prints it: ``E_D(\mathbf{w})`` → E_D, ``\ell(\theta)`` → ℓ."""
    name = re.sub(r"\\(mathcal|mathrm|operatorname)\s*\{\s*([A-Za-z]+)\s*\}", r"\2", cost.strip())
    name = re.sub(r"\s*(\\left\s*)?\(.*\)\s*$", "", name, flags=re.DOTALL)
    return re.sub(r"\\ell", "ℓ", re.sub(r"\\(log|ln)\s*", r"\1 ", name)).replace("{", "").replace("}", "") or "J"


def _negated(g: sp.Basic) -> sp.Basic:
    """−g written as the user would: the first sum inside negated ((y − h) → (h − y)), else −g."""
    for node in sp.preorder_traversal(g):
        if node.free_symbols <= {m, n}:  # a shape (n + 1), not the residual
            continue
        if isinstance(node, sp.Add):
            return g.xreplace({node: sp.Add(*[-t for t in node.args])})
        if isinstance(node, sp.MatAdd):
            return g.xreplace({node: sp.MatAdd(*[-t for t in node.args])})
    return -g


__all__ = [
    "FACTORS",
    "cost_name",
    "derivative_text",
    "is_update",
    "named_gradient",
    "step_names",
    "stripped",
    "without_iteration",
    "update_document",
    "update_parts",
    "update_step",
]
