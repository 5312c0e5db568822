"""The rule table: one small registered function per law of differentiation or algebra.

A derivative rule receives one ``Derivative(f, v)`` node and returns what it
equals, or None when the law does not fit.  An algebra rule receives the whole
expression and returns a rewritten one, or None.  Each docstring's first line
states the rule as a rewrite; that line is what a derivation shows.  Rules
explain, they do not decide: the checker in verify.py proves every step anew.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.dependence import depends_on
from ..core.exprtools import bound_apart, free_names, reevaluate, transform
from ..core.functions import ML_FUNCTIONS, Abbreviation, Definition

DERIVATIVE, ALGEBRA, NOTATION = "derivative", "algebra", "notation"
# Tried after ALGEBRA, in this order: tidying to a textbook's form (derive/tidy.py), then the matrix form.
TIDY, MATRIX = "tidy", "matrix"


@dataclass(frozen=True)
class Context:
    """What the rules may know beyond the expression: the variable and its index range, the definitions."""

    variable: sp.Expr
    definitions: tuple[Definition, ...] = ()
    index_range: tuple[sp.Expr, sp.Expr] | None = None  # θ_j with j in [lo, hi]
    vectorise: Callable[[sp.Expr], sp.Expr | None] | None = None


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    apply: Callable

    @property
    def rewrite(self) -> str:
        return (self.apply.__doc__ or "").strip().splitlines()[0]


RULES: dict[str, Rule] = {}


def rule(name: str, kind: str):
    """Register ``fn`` under ``name``; the table order is the order rules are tried in.

    How a rule is worded beside an "=" is printing's label table (derivation.printing.labels).
    """

    def register(fn: Callable) -> Callable:
        RULES[name] = Rule(name, kind, fn)
        return fn

    return register


def rules_of(kind: str) -> list[Rule]:
    return [r for r in RULES.values() if r.kind == kind]


# --- helpers -------------------------------------------------------------------------------


def d(f: sp.Expr, v: sp.Expr) -> sp.Expr:
    """An unevaluated ∂f/∂v, or 0 when f does not depend on v."""
    return sp.Derivative(f, v, evaluate=False) if depends_on(f, v) else sp.S.Zero


def _parts(node: sp.Derivative) -> tuple[sp.Expr, sp.Expr] | None:
    if len(node.variable_count) != 1 or node.variable_count[0][1] != 1:
        return None
    return node.expr, node.variable_count[0][0]


def at_every_node(rewrite: Callable) -> Callable:
    """An algebra rule from a rewrite of one node: applied top-down, None when nothing changed."""

    def apply(expr, ctx):
        out = transform(expr, lambda node: rewrite(node, ctx))
        return out if out != expr else None

    apply.__doc__ = rewrite.__doc__
    apply.__name__ = rewrite.__name__
    return apply


# --- derivative rules, tried in this order -------------------------------------------------


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


# --- algebra rules, tried in this order once no derivative is left -------------------------


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
    c = sp.expand(base - numerator)
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


def _collapse(term: sp.Expr, limits: list, ctx) -> sp.Expr | None:
    """Σ over ``limits`` of ``term`` with each δ on a summation letter collapsed, or None when none is."""
    done = False
    while limits:
        hit = next(
            (
                (f, (v, lo, hi))
                for f in sp.Mul.make_args(term)
                if isinstance(f, sp.KroneckerDelta)
                for v, lo, hi in limits
                if v in f.args and not (f.args[0] if f.args[1] == v else f.args[1]).has(v)
            ),
            None,
        )
        if hit is None:
            break
        delta, (v, lo, hi) = hit
        other = delta.args[0] if delta.args[1] == v else delta.args[1]
        if any(lim[0] != v and (lim[1].has(v) or lim[2].has(v)) for lim in limits):
            break  # another bound mentions v: the order of summation matters, leave it
        rest = sp.Mul(*(f for f in sp.Mul.make_args(term) if f is not delta)).xreplace({v: other})
        # Where `other` runs: its own Σ's range when it is a summation letter too (δ_kl), else θ_j's.
        full = next(((a, b) for u, a, b in limits if u == other), ctx.index_range if ctx else None)
        indicator = _indicator(other, lo, hi, full)
        if indicator is None:  # the range of j is unknown: keep the condition visible
            rest = sp.Piecewise((rest, sp.And(lo <= other, other <= hi)), (0, True))
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


def term_by_term(rewrite: Callable[[sp.Expr], sp.Expr | None], evaluate: bool = True) -> Callable:
    """An algebra rule from a rewrite of one term of the top-level sum; None when no term changes."""

    def apply(expr, ctx):
        terms = sp.Add.make_args(expr)
        new = [rewrite(t) for t in terms]
        if all(t is None for t in new):
            return None
        return sp.Add(*(t if n is None else n for t, n in zip(terms, new, strict=True)), evaluate=evaluate)

    apply.__doc__ = rewrite.__doc__
    apply.__name__ = rewrite.__name__
    return apply


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
    monomials = [mono for t in parts for mono in sp.Add.make_args(sp.expand(t))]
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
    flipped = summand.xreplace({brackets[0]: sp.expand(-brackets[0])})
    others = [a for a in rest.args if a is not sums[0]]
    return sp.Mul(-coeff, *others, sp.Sum(flipped, *sums[0].limits))


sign_rule = rule("sign", ALGEBRA)(term_by_term(_flip_sign))


@rule("vectorise", MATRIX)
def vectorise_rule(expr, ctx):
    """c·Σ_i (h_i − y_i) x_ij → [c·Xᵀ(h − y)]_j"""
    if ctx.vectorise is None or isinstance(expr, MatrixElement):
        return None
    return ctx.vectorise(expr)
