"""Rules for sums over the classes: the scores w_aᵀx⁽ⁱ⁾, log-softmax, log-sum-exp and one-hot labels.

Softmax regression's cross-entropy Σ_a y_a log(e^{w_aᵀx}/Σ_b e^{w_bᵀx}) is differentiated as a
textbook does: the log of the softmax is the score less the log-sum-exp, whose derivative is
the softmax itself (core/functions/softmax.py says so, once), and ∂(w_aᵀx)/∂W_jc = δ_ac x_j;
after the Kronecker deltas collapse the sums, Σ_a y_a⁽ⁱ⁾ = 1 for one-hot labels.
"""

from __future__ import annotations

import sympy as sp

from ..core.dependence import depends_on
from ..core.exprtools import free_names
from ..core.functions import Abbreviation
from ..core.functions.softmax import LogSumExp, is_log_sum_exp
from ..core.notation import y
from . import derivatives  # noqa: F401 - the derivative rules these are placed before
from .registry import ALGEBRA, DERIVATIVE, at_every_node, d, rule


@rule("class-score", DERIVATIVE, before="linearity")
def class_score_rule(f, v, ctx):
    """∂(w_aᵀx)/∂W_jc = δ_ac x_j: ∂W_ka/∂W_jc = δ_kj δ_ac collapses the sum over k"""
    if not (isinstance(v, sp.Indexed) and v.rank == 2 and ctx is not None and ctx.index_range is not None):
        return None
    body = f.definition() if isinstance(f, Abbreviation) else f
    if not (isinstance(body, sp.Sum) and len(body.limits) == 1 and tuple(body.limits[0][1:]) == ctx.index_range):
        return None
    k = body.limits[0][0]
    const, weight = body.function.as_independent(v.base, as_Add=False)
    if not (isinstance(weight, sp.Indexed) and weight.base == v.base and weight.indices[0] == k):
        return None
    if depends_on(const, v) or weight.indices[1].has(k):
        return None
    return sp.KroneckerDelta(weight.indices[1], v.indices[1]) * const.xreplace({k: v.indices[0]})


@rule("log-softmax", DERIVATIVE, before="log")
def log_softmax_rule(f, v, ctx):
    """log(e^{u_a}/Σ_b e^{u_b}) = u_a − log Σ_b e^{u_b}: the log of a softmax is the score less the log-sum-exp"""
    if not isinstance(f, sp.log):
        return None
    num, den = f.args[0].as_numer_denom()
    if not isinstance(num, sp.exp) or is_log_sum_exp(sp.log(den)) is None:
        return None
    return d(num.args[0], v) - d(sp.log(den), v)


@rule("log-sum-exp", DERIVATIVE, before="log")
def log_sum_exp_rule(f, v, ctx):
    """∂ log Σ_b e^{u_b}/∂θ = Σ_b softmax_b(u)·∂u_b/∂θ: the derivative of the log-sum-exp is the softmax"""
    found = is_log_sum_exp(f)
    if found is None:
        return None
    term, index, limits = found
    outer = _fresh(index, f, v)  # the softmax's own Σ keeps its letter; the new sum takes another
    weights = LogSumExp.derivative(term, index, limits).xreplace({index: outer})
    # xreplace renamed the bound letter of the softmax's denominator too: give it back
    weights = weights.xreplace({sp.Sum(sp.exp(term.xreplace({index: outer})), (outer, *limits)): f.args[0]})
    return sp.Sum(weights * d(term.xreplace({index: outer}), v), (outer, *limits))


def _fresh(index: sp.Symbol, *within: sp.Basic) -> sp.Symbol:
    """A summation letter that occurs nowhere in ``within``: r, s, t, … (with ``index``'s assumptions)."""
    taken = {s.name for e in within for s in e.atoms(sp.Symbol)} | {s.name for e in within for s in free_names(e)}
    candidates = ("r", "s", "t", "u", "v", "q", *(f"{index.name}{n}" for n in range(1, 99)))
    name = next(c for c in candidates if c not in taken)
    return sp.Symbol(name, **index.assumptions0)


@rule("one-hot", ALGEBRA)
@at_every_node
def one_hot_rule(node, ctx):
    """Σ_a y_a⁽ⁱ⁾·u = u for u free of a: one-hot labels sum to 1 over the classes"""
    if not (isinstance(node, sp.Sum) and ctx is not None and ctx.ranges):
        return None
    limits = list(node.limits)
    for pos, (a, lo, hi) in enumerate(limits):
        if (lo, hi) not in {(r_lo, r_hi) for _, r_lo, r_hi in ctx.ranges}:
            continue
        labels = [f for f in sp.Mul.make_args(node.function) if isinstance(f, sp.Indexed) and f.base == y]
        label = next((f for f in labels if f.rank == 2 and f.indices[1] == a and not f.indices[0].has(a)), None)
        if label is None:
            continue
        rest = sp.Mul(*(f for f in sp.Mul.make_args(node.function) if f is not label))
        if rest.has(a):
            continue
        others = limits[:pos] + limits[pos + 1 :]
        return sp.Sum(rest, *others) if others else rest
    return None
