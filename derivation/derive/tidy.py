"""Tidy rules: the last algebra, so a result ends where a textbook ends.

Tried once no derivative is left and no other algebra rule applies, before the
matrix form: merge like terms under a shared factor ((h − y) x_j), pull a shared
factor out of a sum of fractions (φ(z) x (…/Φ − …/(1 − Φ))), and write e^u/(1 + e^u)
as σ(u).  Each docstring's first line is the rewrite a derivation shows; the checker
proves each step anew.
"""

from __future__ import annotations

import sympy as sp

from ..core.functions import sigmoid
from .registry import TIDY, at_every_node, rule


def _size(expr: sp.Basic) -> int:
    return int(sp.count_ops(expr))


def _shared(node: sp.Add) -> tuple[sp.Expr, sp.Add]:
    """(a, u + w) with a·(u + w) = node, a the factor every term shares (1 when none)."""
    together = sp.gcd_terms(node, fraction=False)
    brackets = [f for f in sp.Mul.make_args(together) if isinstance(f, sp.Add)]
    if isinstance(together, sp.Mul) and len(brackets) == 1:
        return sp.Mul(*(f for f in together.args if f is not brackets[0])), brackets[0]
    return sp.S.One, node


def _monomials(bracket: sp.Expr) -> list[sp.Expr]:
    # Each term's brackets multiplied out, function arguments left alone: −y(1 − h) → −y, y·h.
    return [mono for t in sp.Add.make_args(bracket) for mono in sp.Add.make_args(sp.expand_mul(t, deep=False))]


def _one_letter(node: sp.Add) -> sp.Expr:
    """Σ_l θ_l x_l + Σ_k θ_k x_k → 2 Σ_k θ_k x_k: sums equal but for their bound letter, written with one."""
    seen: list[sp.Sum] = []
    renames: dict[sp.Sum, sp.Sum] = {}
    sums = {f for t in node.args for f in sp.Mul.make_args(t) if isinstance(f, sp.Sum)}
    for s in sorted(sums, key=sp.default_sort_key):
        if len(s.limits) != 1:
            continue
        v, lo, hi = s.limits[0]
        for t in seen:
            w = t.limits[0][0]
            if t.limits[0][1:] == (lo, hi) and w not in s.free_symbols and s.function.xreplace({v: w}) == t.function:
                renames[s] = t
                break
        else:
            seen.append(s)
    merged = node.xreplace(renames)
    return merged if len(sp.Add.make_args(merged)) < len(node.args) else node  # only when terms merge


@rule("collect", TIDY)
@at_every_node
def collect_rule(node, ctx):
    """a·u + a·w → a·(u + w) multiplied out and collected: −y(1 − h)x_j − h(y − 1)x_j → (h − y)x_j"""
    if not isinstance(node, sp.Add) or node.has(sp.Derivative):
        return None
    merged = _one_letter(node)
    if merged != node:
        return merged
    common, bracket = _shared(node)
    monomials = _monomials(bracket)
    collected = sp.Add(*monomials)
    if len(sp.Add.make_args(collected)) >= len(monomials):  # no like terms: multiplying out is no gain
        return None
    new = common * collected
    return new if _size(new) < _size(node) else None


def _positive_bracket(term: sp.Expr) -> sp.Expr:
    """−c·(y − 1)·u → c·(1 − y)·u: the minus taken into the one bracket of the term."""
    coeff, rest = term.as_coeff_Mul()
    brackets = [f for f in sp.Mul.make_args(rest) if isinstance(f, sp.Add)]
    if not (coeff.is_negative and len(brackets) == 1):
        return term
    return -coeff * rest.xreplace({brackets[0]: sp.expand(-brackets[0], deep=False)})


def _names_something(common: sp.Expr) -> bool:
    # A factor worth pulling out: a function value or a datum (φ(z), x_j), not a constant like 1/m.
    factors = sp.Mul.make_args(common)  # a Σ inside a function's argument is fine: 1[w_cᵀx − Σ_b y_b w_bᵀx + 1 > 0]
    return any(isinstance(f, (sp.Function, sp.Indexed)) for f in factors) and not any(
        isinstance(f, sp.Sum) for f in factors
    )


@rule("common-factor", TIDY)
@at_every_node
def common_factor_rule(node, ctx):
    """a·u + a·w → a·(u + w) for a shared a such as φ(z)·x_j"""
    if not isinstance(node, sp.Add) or node.has(sp.Derivative):
        return None
    common, bracket = _shared(node)
    if common == 1 or not _names_something(common) or len(bracket.args) < 2:
        return None
    return sp.Mul(common, sp.Add(*(_positive_bracket(t) for t in bracket.args)))


def _one_plus_exp(expr: sp.Basic) -> sp.Expr | None:
    """u for 1 + e^u, else None."""
    if isinstance(expr, sp.Add) and len(expr.args) == 2 and sp.S.One in expr.args:
        other = expr.args[0] if expr.args[1] == 1 else expr.args[1]
        if isinstance(other, sp.exp):
            return other.args[0]
    return None


@rule("fold-sigma", TIDY)
@at_every_node
def fold_sigma_rule(node, ctx):
    """e^u/(1 + e^u) → σ(u), 1/(1 + e^(−u)) → σ(u): fold into σ"""
    factors = list(sp.Mul.make_args(node))
    if not isinstance(node, (sp.Mul, sp.Pow)):
        return None
    for pos, f in enumerate(factors):
        if not (isinstance(f, sp.Pow) and f.exp.is_Integer and f.exp < 0):
            continue
        u = _one_plus_exp(f.base)
        if u is None:
            continue
        rest = factors[:pos] + factors[pos + 1 :]
        if f.exp == -1 and sp.exp(u) in rest:  # e^u/(1 + e^u) = σ(u)
            rest.remove(sp.exp(u))
            return sp.Mul(*rest, sigmoid(u))
        return sp.Mul(*rest, sigmoid(-u) ** -f.exp)  # 1/(1 + e^u)^p = σ(−u)^p
    return None
