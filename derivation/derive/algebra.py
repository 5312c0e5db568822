"""Algebra, tried in this order once no derivative is left: one rewrite of the whole expression per step."""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.exprtools import reevaluate
from .registry import ALGEBRA, MATRIX, at_every_node, rule, term_by_term


@rule("add-subtract", ALGEBRA)
@at_every_node
def add_subtract_rule(node, ctx):
    """N/B^p → (B − c)/B^p where N = B − c for a constant c"""
    if not isinstance(node, sp.Mul):
        return None
    powers = [a for a in node.args if isinstance(a, sp.Pow) and a.exp.is_integer and a.exp <= -2]
    if len(powers) != 1 or not isinstance(powers[0].base, sp.Add):
        return None
    base = powers[0].base
    numerator = sp.Mul(*(a for a in node.args if a is not powers[0]))
    c = multiply_out(base - numerator)
    if not c.is_number or c == 0:
        return None
    return sp.Mul(sp.Add(*base.args, -c, evaluate=False), powers[0], evaluate=False)


@rule("split", ALGEBRA)
@at_every_node
def split_rule(node, ctx):
    """(B − c)/B^p → 1/B^(p−1) − c/B^p"""
    if not (isinstance(node, sp.Mul) and len(node.args) == 2):
        return None
    num, power = node.args
    if not (isinstance(num, sp.Add) and isinstance(power, sp.Pow) and isinstance(power.base, sp.Add)):
        return None
    rest = sp.Add(*(t for t in num.args if t not in power.base.args))
    if set(power.base.args) - set(num.args) or not rest.is_number:
        return None
    return sp.Pow(power.base, power.exp + 1) + rest * power


@rule("factor", ALGEBRA)
def factor_rule(expr, ctx):
    """a·u + a·w → a·(u + w)"""
    if not isinstance(expr, sp.Add) or len(expr.args) < 2:
        return None
    common = sp.gcd_terms(expr, fraction=False)
    if not isinstance(common, sp.Mul) or common == expr:
        return None
    if any(isinstance(t, sp.Pow) and t.exp.is_negative for t in expr.args) and isinstance(common, sp.Mul):
        return common
    return None


@rule("fold", ALGEBRA)
def fold_rule(expr, ctx):
    """σ(θᵀx) → h_θ(x): write the long form by its short name"""
    if isinstance(expr, MatrixElement):  # the matrix form: SymPy's matching would rebuild ⊙ with scalars
        return None
    for definition in ctx.definitions:
        folded = definition.fold(expr, evaluate=False)
        if folded != expr:
            return folded
    return None


@rule("cancel", ALGEBRA)
def cancel_rule(expr, ctx):
    """u·w/u → w, a − a → 0: cancel common factors and opposite terms"""
    again = reevaluate(expr)
    return again if str(again) != str(expr) else None


@rule("kronecker", ALGEBRA)
@at_every_node
def kronecker_rule(node, ctx):
    """Σ_{k=a}^{b} δ_jk·u_k → u_j·[a ≤ j ≤ b]"""
    if not isinstance(node, sp.Sum):
        return None
    body, limits = node.function, list(node.limits)
    while isinstance(body, sp.Sum):  # Σ_k Σ_l u = Σ_{k,l} u: a δ_jk inside Σ_l still collapses Σ_k
        body, limits = body.function, [*body.limits, *limits]
    terms = sp.Add.make_args(sp.expand_mul(body, deep=False) if body.has(sp.KroneckerDelta) else body)
    collapsed = [_collapse(t, limits, ctx) for t in terms]
    if all(c is None for c in collapsed):
        return None
    # Σ (δ_jk u_k + w_k) = u_j + Σ w_k: the terms without a δ keep their sum.
    return sp.Add(*(sp.Sum(t, *limits) if c is None else c for t, c in zip(terms, collapsed, strict=True)))


def multiply_out(expr: sp.Expr) -> sp.Expr:
    """Products and powers of sums multiplied out, nothing else: e^(a+b) and e^(Σ_k …) stay whole (SymPy's
    expand would write them as e^a·e^b and as a Product, which no reader of the result wants)."""
    return sp.expand(expr, power_exp=False, power_base=False, log=False)


def _shifted(delta: sp.KroneckerDelta, v: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """(other, c) when ``delta`` is δ(other, v + c) with other and c free of v (δ_jk: c = 0, δ_{j,k+1}: c = 1)."""
    for here, there in (delta.args, delta.args[::-1]):
        shift = sp.expand(here - v)
        if here.has(v) and not shift.has(v) and not there.has(v):
            return there, shift
    return None


def _collapse(term: sp.Expr, limits: list, ctx) -> sp.Expr | None:
    """Σ over ``limits`` of ``term`` with each δ on a summation letter collapsed, or None when none is.

    δ(j, k + c) keeps the one k = j − c: Σ_{k=a}^{b} δ_{j,k+c} u_k = u_{j−c}·[a + c ≤ j ≤ b + c]."""
    done = False
    while limits:
        hit = next(
            (
                (f, (v, lo, hi), found)
                for f in sp.Mul.make_args(term)
                if isinstance(f, sp.KroneckerDelta)
                for v, lo, hi in limits
                if (found := _shifted(f, v)) is not None
            ),
            None,
        )
        if hit is None:
            break
        delta, (v, lo, hi), (other, shift) = hit
        if any(lim[0] != v and (lim[1].has(v) or lim[2].has(v)) for lim in limits):
            break  # another bound mentions v: the order of summation matters, leave it
        rest = sp.Mul(*(f for f in sp.Mul.make_args(term) if f is not delta)).xreplace({v: other - shift})
        # Where `other` runs: its own Σ's range when it is a summation letter too (δ_kl), else θ_j's.
        full = next(((a, b) for u, a, b in limits if u == other), ctx.range_of(other) if ctx else None)
        indicator = _indicator(other, lo + shift, hi + shift, full)
        if indicator is None:  # the range of j is unknown: keep the condition visible
            rest = sp.Piecewise((rest, sp.And(lo + shift <= other, other <= hi + shift)), (0, True))
        else:
            rest = indicator * rest
        term, limits, done = rest, [lim for lim in limits if lim[0] != v], True
    if not done:
        return None
    return sp.Sum(term, *limits) if limits else term


def _indicator(j: sp.Expr, lo: sp.Expr, hi: sp.Expr, full: tuple[sp.Expr, sp.Expr] | None) -> sp.Expr | None:
    """[lo ≤ j ≤ hi] for j known to lie in ``full``, as 1 − Σ δ over the few excluded values."""
    if full is None:
        return None
    below, above = sp.simplify(lo - full[0]), sp.simplify(full[1] - hi)
    if not (below.is_Integer and above.is_Integer and 0 <= below <= 3 and 0 <= above <= 3):
        return None
    excluded = [full[0] + t for t in range(int(below))] + [full[1] - t for t in range(int(above))]
    return 1 - sp.Add(*(sp.KroneckerDelta(j, e) for e in excluded))


@rule("constant-out-of-sum", ALGEBRA)
@at_every_node
def constant_out_of_sum_rule(node, ctx):
    """Σ_i c·u_i → c·Σ_i u_i for c free of i"""
    if not isinstance(node, sp.Sum) or len(node.limits) != 1:
        return None
    index = node.limits[0][0]
    const, rest = sp.factor_terms(node.function).as_independent(index, as_Add=False)
    if const == 1:
        return None
    return const * sp.Sum(rest, *node.limits)


@rule("merge-sums", ALGEBRA)
@at_every_node
def merge_sums_rule(node, ctx):
    """Σ_i u_i − Σ_i w_i → Σ_i (u_i − w_i): sums over the same range written as one"""
    if not isinstance(node, sp.Add):
        return None
    groups: dict[tuple, list[sp.Expr]] = {}
    rest = []
    for term in node.args:
        sign, body = (-1, -term) if term.could_extract_minus_sign() else (1, term)
        if isinstance(body, sp.Sum):
            groups.setdefault(body.limits, []).append(sign * body.function)
        else:
            rest.append(term)
    if all(len(bodies) < 2 for bodies in groups.values()):
        return None
    merged = [sp.Sum(sp.Add(*bodies), *limits) for limits, bodies in groups.items()]
    return sp.Add(*merged, *rest)


def _distribute_term(term: sp.Expr) -> sp.Expr | None:
    """−c·Σ (a(b − d) + …)·u → c·Σ (−ab + ad − …)·u: multiply out, common factor u aside"""
    coeff, rest = term.as_coeff_Mul()
    sums = [a for a in sp.Mul.make_args(rest) if isinstance(a, sp.Sum)]
    if len(sums) != 1 or not isinstance(sums[0].function, sp.Add):
        return None
    summand = sums[0].function
    common = sp.gcd_terms(summand, fraction=False)
    factor = common.as_independent(sp.Add, as_Add=False)[0] if isinstance(common, sp.Mul) else sp.S.One
    parts = [t / factor for t in sp.Add.make_args(summand)]
    monomials = [mono for t in parts for mono in sp.Add.make_args(multiply_out(t))]
    if len(monomials) <= len(parts):
        return None
    if coeff.is_negative:  # the minus sign goes into the bracket too
        coeff, monomials = -coeff, [-mono for mono in monomials]
    body = sp.Add(*monomials, evaluate=False)
    if factor != 1:
        body = sp.Mul(body, factor, evaluate=False)
    others = [a for a in sp.Mul.make_args(rest) if a is not sums[0]]
    return sp.Mul(coeff, *others, sp.Sum(body, *sums[0].limits), evaluate=False)


distribute_rule = rule("distribute", ALGEBRA)(term_by_term(_distribute_term, evaluate=False))


def _flip_sign(term: sp.Expr) -> sp.Expr | None:
    """−c·Σ (a − b)·u → c·Σ (b − a)·u"""
    coeff, rest = term.as_coeff_Mul()
    if not (coeff.is_negative and isinstance(rest, sp.Mul)):
        return None
    sums = [a for a in rest.args if isinstance(a, sp.Sum)]
    if len(sums) != 1:
        return None
    summand = sums[0].function
    brackets = [a for a in sp.Mul.make_args(summand) if isinstance(a, sp.Add)]
    if len(brackets) != 1:
        return None
    negated = multiply_out(-brackets[0])
    if all(t.could_extract_minus_sign() for t in sp.Add.make_args(negated)):
        return None  # −Σ (y + e^u)·x would become Σ (−y − e^u)·x, which constant-out-of-sum turns back: a circle
    flipped = summand.xreplace({brackets[0]: negated})
    others = [a for a in rest.args if a is not sums[0]]
    return sp.Mul(-coeff, *others, sp.Sum(flipped, *sums[0].limits))


sign_rule = rule("sign", ALGEBRA)(term_by_term(_flip_sign))


@rule("vectorise", MATRIX)
def vectorise_rule(expr, ctx):
    """c·Σ_i (h_i − y_i) x_ij → [c·Xᵀ(h − y)]_j"""
    if ctx.vectorise is None or isinstance(expr, MatrixElement):
        return None
    return ctx.vectorise(expr)
