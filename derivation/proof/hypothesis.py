r"""The hypothesis h_θ of a model written as its cost, read off the cost.

A catalog model built from its cost (logistic-sum, poisson, probit, ridge, …) has no h_θ
written anywhere, yet a derivation of it is written with h_θ(x⁽ⁱ⁾) as the course writes it.
The cost says what h_θ is: the one link applied to θᵀx⁽ⁱ⁾ (σ, exp or Φ), or θᵀx⁽ⁱ⁾ itself
when the cost is of the residual θᵀx⁽ⁱ⁾ − y⁽ⁱ⁾.  A cost with neither (log(1 + e^{−yθᵀx}),
the hinge) or with two links has no h_θ: reading one into it would be a guess.
"""

from __future__ import annotations

import dataclasses

import sympy as sp

from ..core.functions import abbreviation, expand_abbreviations, normal_cdf, sigmoid
from ..core.notation import example_inner, i, inner, m, x, y, y_example
from ..parsing import LatexContext

_LINKS = (sigmoid, sp.exp, normal_cdf)  # the mean of a Bernoulli (logit, probit) or Poisson (log link) model


def implied_link(cost: sp.Expr) -> type[sp.Function] | bool | None:
    """The function h_θ(x⁽ⁱ⁾) applies to θᵀx⁽ⁱ⁾ in ``cost`` (None for θᵀx⁽ⁱ⁾ itself); False when there is none.

    >>> from derivation.core.notation import m
    >>> implied_link(sp.Sum(sp.exp(inner(i)) - y[i] * inner(i), (i, 1, m)))
    exp
    >>> implied_link(sp.Sum((inner(i) - y[i]) ** 2, (i, 1, m))) is None
    True
    >>> implied_link(sp.Sum(sp.log(1 + sp.exp(-y[i] * inner(i))), (i, 1, m)))
    False
    """
    cost = expand_abbreviations(cost)
    row = inner(i)
    links = {node.func for node in cost.atoms(*_LINKS) if node.args == (row,)}
    if len(links) == 1:
        return links.pop()
    if links:
        return False
    residual = any(set(node.args) in ({row, -y[i]}, {-row, y[i]}) for node in cost.atoms(sp.Add))
    return None if residual else False


def with_implied_hypothesis(context: LatexContext) -> tuple[LatexContext, bool]:
    """``context`` with h_θ read off its cost J when it has none; whether it was."""
    cost = context.costs.get("J")
    if context.hypothesis is not None or not hasattr(cost, "definition"):  # none, or σ(z) itself: no θ
        return context, False
    link = implied_link(cost.definition())
    if link is False:
        return context, False
    apply = (lambda u: u) if link is None else link
    h = abbreviation("h", (i,), apply(inner(i)), "h_θ(x⁽{0}⁾)", r"h_\theta\left(x^{{({0})}}\right)")
    h_example = abbreviation("h", (), apply(example_inner()), "h_θ(x)", r"h_\theta\left(x\right)")
    costs = context.costs
    # probit's J of one example, as logistic's G: for a Bernoulli link only (an undefined L of a squared or Poisson
    # cost is read as its J, as before)
    if "G" not in costs and link in (sigmoid, normal_cdf) and (one := _one_example(cost.definition())) is not None:
        costs = {**costs, "G": abbreviation("G", (), one, "G(θ)", r"G\left(\theta\right)")()}
    return dataclasses.replace(context, hypothesis=h, example_hypothesis=h_example, costs=costs), True


def _one_example(cost: sp.Expr) -> sp.Expr | None:
    """``c Σ_{i=1}^{m} f⁽ⁱ⁾`` for the one example (x, y): c with m = 1, times f at x and y (a model written by its
    cost has no per-example form G; a one-example chain's J is this); None for any other shape."""
    factors = sp.Mul.make_args(expand_abbreviations(cost))
    sums = [f for f in factors if isinstance(f, sp.Sum) and f.limits == ((i, 1, m),)]
    if len(sums) != 1:
        return None
    coefficient = sp.Mul(*(f for f in factors if f is not sums[0]))
    term = sums[0].function.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base in (x, y) and e.indices[0] == i,
        lambda e: y_example if e.base == y else x[e.indices[1:]],
    )
    if i in term.free_symbols or i in coefficient.free_symbols:
        return None
    return coefficient.subs(m, 1) * term


__all__ = ["implied_link", "with_implied_hypothesis"]
