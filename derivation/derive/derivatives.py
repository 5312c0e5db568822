"""The laws of differentiation, tried in this order on each ``Derivative(f, v)`` node, and the renaming before them.

Each returns what ∂f/∂v equals (derivatives left inside it unevaluated, for the next
steps), or None where its law does not fit.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from ..core.dependence import depends_on
from ..core.exprtools import bound_apart, free_names
from ..core.functions import ML_FUNCTIONS, Abbreviation
from .registry import DERIVATIVE, NOTATION, d, rule


@rule("constant", DERIVATIVE)
def constant_rule(f, v, ctx):
    """∂c/∂θ = 0 for c free of θ"""
    return sp.S.Zero if not depends_on(f, v) else None


@rule("variable", DERIVATIVE)
def variable_rule(f, v, ctx):
    """∂θ/∂θ = 1"""
    return sp.S.One if f == v else None


@rule("index", DERIVATIVE)
def index_rule(f, v, ctx):
    """∂θ_k/∂θ_j = δ_jk"""
    if isinstance(f, sp.Indexed) and isinstance(v, sp.Indexed) and f.base == v.base and f.rank == v.rank and f != v:
        return sp.Mul(*(sp.KroneckerDelta(a, b) for a, b in zip(v.indices, f.indices, strict=True)))
    return None


@rule("inner-product", DERIVATIVE)
def inner_product_rule(f, v, ctx):
    """∂(Σ_k θ_k x_k)/∂θ_j = x_j  (the Kronecker delta collapses the sum)"""
    if not (isinstance(f, sp.Sum) and isinstance(v, sp.Indexed) and len(f.limits) == 1):
        return None
    k, lo, hi = f.limits[0]
    if ctx is None or ctx.index_range is None or (lo, hi) != tuple(ctx.index_range):
        return None
    const, dep = f.function.as_independent(v.base, as_Add=False)
    if dep != v.base[k] or depends_on(const, v):
        return None
    return const.xreplace({k: v.indices[0]})


@rule("linearity", DERIVATIVE)
def linearity_rule(f, v, ctx):
    """∂(a·u + b·w + c)/∂θ = a·∂u/∂θ + b·∂w/∂θ, also through Σ"""
    if isinstance(f, sp.Add):
        return sp.Add(*(_linear(t, v) for t in f.args))
    if isinstance(f, sp.Mul):
        const, rest = f.as_independent(*_dependence_atoms(f, v), as_Add=False)
        if const != 1 and rest != 1:
            return const * _linear(rest, v)
        return None
    if isinstance(f, sp.Sum) and not any(depends_on(lim, v) for lim in f.limits[0][1:]):
        return sp.Sum(_linear(f.function, v), *f.limits)
    return None


def _linear(f: sp.Expr, v: sp.Expr) -> sp.Expr:
    """Push ∂ through sums and constant factors as far as linearity goes."""
    if not depends_on(f, v):
        return sp.S.Zero
    pushed = linearity_rule(f, v, None)
    return d(f, v) if pushed is None else pushed


def _dependence_atoms(f: sp.Expr, v: sp.Expr) -> list[sp.Expr]:
    # The factors as_independent must keep on the dependent side.
    return [a for a in sp.Mul.make_args(f) if depends_on(a, v)]


@rule("log", DERIVATIVE)
def log_rule(f, v, ctx):
    """∂ log u/∂θ = (∂u/∂θ)/u"""
    if isinstance(f, sp.log) and len(f.args) == 1:
        return d(f.args[0], v) / f.args[0]
    return None


@rule("exp", DERIVATIVE)
def exp_rule(f, v, ctx):
    """∂ e^u/∂θ = e^u · ∂u/∂θ"""
    if isinstance(f, sp.exp):
        return f * d(f.args[0], v)
    return None


def _function_rule(entry) -> Callable:
    def apply(f, v, ctx):
        if isinstance(f, entry.function) and len(f.args) == 1:
            return entry.derivative(f.args[0]) * d(f.args[0], v)
        return None

    apply.__doc__ = f"∂f(u)/∂θ = f′(u) · ∂u/∂θ with {entry.rule_label}"
    return apply


# One chain rule per registered ML function (σ, softplus, tanh, …): its derivative comes from the registry.
for _name, _entry in ML_FUNCTIONS.items():
    rule(_name, DERIVATIVE)(_function_rule(_entry))


@rule("reciprocal", DERIVATIVE)
def reciprocal_rule(f, v, ctx):
    """∂(1/u)/∂θ = −(∂u/∂θ)/u²"""
    if isinstance(f, sp.Pow) and f.exp == -1:
        u = f.base
        return sp.Mul(-1, d(u, v), sp.Pow(u, -2), evaluate=False)
    return None


@rule("power", DERIVATIVE)
def power_rule(f, v, ctx):
    """∂(u^c)/∂θ = c·u^(c−1)·∂u/∂θ"""
    if isinstance(f, sp.Pow) and not depends_on(f.exp, v):
        u, c = f.base, f.exp
        # One Mul call keeps 2·(h − y) together; SymPy distributes 2 over a lone Add.
        return sp.Mul(c, u ** (c - 1), d(u, v))
    return None


@rule("quotient", DERIVATIVE)
def quotient_rule(f, v, ctx):
    """∂(u/w)/∂θ = (w·∂u/∂θ − u·∂w/∂θ)/w²"""
    if not isinstance(f, sp.Mul):
        return None
    num, den = f.as_numer_denom()
    if den == 1 or not depends_on(den, v) or not depends_on(num, v):
        return None
    return (den * d(num, v) - num * d(den, v)) / den**2


@rule("product", DERIVATIVE)
def product_rule(f, v, ctx):
    """∂(u·w)/∂θ = ∂u/∂θ·w + u·∂w/∂θ"""
    if not isinstance(f, sp.Mul):
        return None
    factors = f.args
    if sum(depends_on(a, v) for a in factors) < 2:
        return None
    terms = []
    for pos, a in enumerate(factors):
        if depends_on(a, v):
            others = factors[:pos] + factors[pos + 1 :]
            terms.append(sp.Mul(*others) * d(a, v))
    return sp.Add(*terms)


@rule("definition", DERIVATIVE)
def definition_rule(f, v, ctx):
    """∂h/∂θ = ∂(definition of h)/∂θ"""
    if isinstance(f, Abbreviation):
        return sp.Derivative(f.definition(), v, evaluate=False)
    if ctx is not None:
        for definition in ctx.definitions:
            unfolded = definition.unfold(f)
            if unfolded != f:
                return sp.Derivative(unfolded, v, evaluate=False)
    return None


# --- notation rules, applied once before differentiating ------------------------------------


@rule("rename-index", NOTATION)
def rename_index_rule(expr, ctx):
    """Σ_j u_j → Σ_k u_k where j is also free (as in ∂/∂θ_j): a bound letter must not capture a free one"""
    renamed = bound_apart(expr, free_names(ctx.variable))
    return renamed if renamed != expr else None
