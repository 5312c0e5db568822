"""derive(expr, wrt): apply one named rule per step until no derivative is left, then tidy up.

Phase 1 finds the first unevaluated ``Derivative`` (outermost, leftmost), picks
the first rule in the table that explains it, and applies that rule to every
derivative it fits, so one step is one law.  A derivative no rule explains is
evaluated by SymPy and the step is labelled "unexplained": the gap is visible.
Phase 2 applies algebra rules (fold definitions, cancel, distribute, sign,
vectorise) until none changes the expression.
"""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from ..core.exprtools import transform
from ..core.functions import Definition, expand_abbreviations
from ..core.notation import FEATURES, theta
from ..core.steps import Derivation, Step
from .rules import ALGEBRA, DERIVATIVE, RULES, Context, Rule, rules_of

MAX_STEPS = 60
UNEXPLAINED = Step("unexplained", "evaluated by SymPy", sp.S.Zero)


def derive(
    expr: sp.Expr,
    wrt: sp.Expr,
    *,
    goal: sp.Expr | None = None,
    definitions: tuple[Definition, ...] = (),
    index_range: tuple[sp.Expr, sp.Expr] | None = None,
    vectorise=None,
    title: str = "",
    model: str | None = None,
) -> Derivation:
    """The step-by-step derivation of ∂expr/∂wrt (unverified: see verify.verify_derivation).

    >>> x = sp.Symbol("x")
    >>> d = derive(sp.log(x**2 + 1), x)
    >>> [s.rule for s in d.steps], d.result
    (['log', 'linearity', 'power', 'variable'], 2*x/(x**2 + 1))
    """
    if index_range is None and isinstance(wrt, sp.Indexed) and wrt.base == theta:
        index_range = (FEATURES[1], FEATURES[2])  # θ_0 … θ_n, θ_0 the bias, as the notation says
    ctx = Context(wrt, tuple(definitions), index_range, vectorise)
    start = sp.Derivative(expr, wrt, evaluate=False)
    steps: list[Step] = []
    if goal is not None and goal != start:
        steps.append(Step("definition", "by definition", start))
    current = start
    # A Σ_j in the cost must not capture the j of θ_j: rename it, as a step of its own.
    renamed = RULES["rename-index"].apply(expr, ctx)
    if renamed is not None:
        current = sp.Derivative(renamed, wrt, evaluate=False)
        steps.append(_step(RULES["rename-index"], current))
    while len(steps) < MAX_STEPS:
        node = _first_derivative(current)
        if node is None:
            break
        current, step = _differentiate_once(current, node, ctx)
        steps.append(step)
    while len(steps) < MAX_STEPS:
        step = _algebra_once(current, ctx)
        if step is None:
            break
        current = step.expr
        steps.append(step)
    return Derivation(
        title=title or "Derivative",
        goal=goal if goal is not None else start,
        variable=wrt,
        steps=tuple(steps),
        definitions=tuple(definitions),
        model=model,
    )


def _first_derivative(expr: sp.Basic) -> sp.Derivative | None:
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Derivative):
            return node
    return None


def _split(node: sp.Derivative):
    (variable, count), *more = node.variable_count
    return node.expr, variable, (count == 1 and not more)


def _differentiate_once(expr: sp.Expr, first: sp.Derivative, ctx: Context) -> tuple[sp.Expr, Step]:
    f, v, simple = _split(first)
    chosen = next((r for r in rules_of(DERIVATIVE) if simple and r.apply(f, v, ctx) is not None), None)
    if chosen is None:
        gap = sp.diff(expand_abbreviations(f), v)
        new = expr.xreplace({first: gap})
        return new, replace(UNEXPLAINED, expr=new)

    def visit(node: sp.Basic) -> sp.Basic | None:
        if not isinstance(node, sp.Derivative):
            return None
        f, v, simple = _split(node)
        return chosen.apply(f, v, ctx) if simple else None

    new = transform(expr, visit)
    return new, _step(chosen, new)


def _algebra_once(expr: sp.Expr, ctx: Context) -> Step | None:
    for r in rules_of(ALGEBRA):
        new = r.apply(expr, ctx)
        if new is not None and new != expr:
            return _step(r, new)
    return None


def _step(r: Rule, expr: sp.Expr) -> Step:
    return Step(r.name, r.rewrite, expr)
