"""derive(expr, wrt): apply one named rule per step until no derivative is left, then tidy up.

Phase 1 finds the first unevaluated ``Derivative`` (outermost, leftmost), picks
the first rule in the table that explains it, and applies that rule to every
derivative it fits, so one step is one law.  A derivative no rule explains is
evaluated by SymPy and the step is labelled "unexplained": the gap is visible.
Phase 2 applies algebra rules (fold definitions, cancel, distribute, sign), then
the tidy rules of tidy.py (collect, factor, fold into σ), then vectorise, one step at a
time, until none changes the expression.

Both phases share a budget of :data:`MAX_STEPS` steps and, when given, of seconds:
past it the derivation ends with the steps done so far and a "stopped" step that
says which budget ran out (:func:`stopped`), never a hang.
"""

from __future__ import annotations

from collections.abc import Container
from contextlib import nullcontext
from dataclasses import replace

import sympy as sp

from ..core.exprtools import OutOfTimeError, time_limit, transform
from ..core.functions import Abbreviation, Definition, expand_abbreviations
from ..core.notation import CLASSES, FEATURES, W, theta
from ..core.steps import UNDECIDED, Derivation, Step, Verdict
from .rules import ALGEBRA, DERIVATIVE, MATRIX, RULES, TIDY, Context, Rule, rules_of

MAX_STEPS = 60  # steps of one derivation
UNEXPLAINED = Step("unexplained", "evaluated by SymPy", sp.S.Zero)
# What running out of a budget raises mid-rule: the alarm of time_limit, or SymPy's recursion on a deep tree.
OUT_OF_BUDGET = (OutOfTimeError, RecursionError)
TOO_DEEP = "nested too deeply for the symbolic work"  # why a RecursionError stopped it


def stopped(expr: sp.Expr, why: str) -> Step:
    """The last step of a derivation cut short: the expression reached so far, undecided, and why.

    >>> stopped(sp.Symbol("x"), "budget of 60 steps").rewrite
    'stopped: budget of 60 steps'
    """
    return Step("stopped", f"stopped: {why}", expr, Verdict(UNDECIDED, "none", "the work stopped here"))


def budget_words(seconds: float) -> str:
    """How a stop by time names its budget.

    >>> budget_words(20.0), budget_words(0.5)
    ('budget of 20 s', 'budget of 0.5 s')
    """
    return f"budget of {seconds:g} s"


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
    budget: float | None = None,
) -> Derivation:
    """The step-by-step derivation of ∂expr/∂wrt (unverified: see verify.verify_derivation).

    ``budget``: seconds of symbolic work, or None for no time limit; :data:`MAX_STEPS` always holds.

    >>> x = sp.Symbol("x")
    >>> d = derive(sp.log(x**2 + 1), x)
    >>> [s.rule for s in d.steps], d.result
    (['log', 'linearity', 'power', 'variable'], 2*x/(x**2 + 1))
    """
    ranges: tuple = ()
    if index_range is None and isinstance(wrt, sp.Indexed) and wrt.base in (theta, W):
        index_range = (FEATURES[1], FEATURES[2])  # θ_0 … θ_n, θ_0 the bias, as the notation says
    if isinstance(wrt, sp.Indexed) and wrt.base == W and wrt.rank == 2:
        ranges = ((wrt.indices[1], *CLASSES[1:]),)  # W_jc: the class c runs 1..K
    # A name the expression uses (h_θ(x)) is folded back at the end, as the catalog's definitions are.
    definitions = tuple(definitions) or tuple(Definition.of(a) for a in _abbreviations(expr))
    ctx = Context(wrt, definitions, index_range, vectorise, ranges)
    start = sp.Derivative(expr, wrt, evaluate=False)
    steps: list[Step] = []
    if goal is not None and goal != start:
        steps.append(Step("definition", "by definition", start))
    try:
        with time_limit(budget) if budget is not None else nullcontext():
            _run(expr, wrt, ctx, start, steps)
    except OUT_OF_BUDGET as error:
        why = budget_words(budget) if isinstance(error, OutOfTimeError) and budget is not None else TOO_DEEP
        steps.append(stopped(steps[-1].expr if steps else start, why))
    return Derivation(
        title=title or "Derivative",
        goal=goal if goal is not None else start,
        variable=wrt,
        steps=tuple(steps),
        definitions=tuple(definitions),
        model=model,
    )


def _abbreviations(expr: sp.Expr) -> list[type]:
    """The kinds of named shorthand (h_θ, J) that occur in ``expr``, in a stable order."""
    return sorted({type(a) for a in expr.atoms(Abbreviation)}, key=lambda t: t.__name__)


def _run(expr: sp.Expr, wrt: sp.Expr, ctx: Context, current: sp.Expr, steps: list[Step]) -> None:
    """Apply the rules from ``current``, appending to ``steps``, until nothing is left to do or MAX_STEPS."""
    # A Σ_j in the cost must not capture the j of θ_j: rename it, as a step of its own.
    renamed = RULES["rename-index"].apply(expr, ctx)
    if renamed is not None:
        current = sp.Derivative(renamed, wrt, evaluate=False)
        steps.append(_step(RULES["rename-index"], current))
    seen = {current}
    while True:  # phase 1 while a derivative is left, then phase 2
        node = _first_derivative(current)
        step = _differentiate_once(current, node, ctx)[1] if node is not None else _algebra_once(current, ctx, seen)
        if step is None:
            return
        if len(steps) >= MAX_STEPS:
            steps.append(stopped(current, f"budget of {MAX_STEPS} steps"))
            return
        current = step.expr
        seen.add(current)
        steps.append(step)


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


def _algebra_once(expr: sp.Expr, ctx: Context, seen: Container[sp.Expr] = ()) -> Step | None:
    """The first algebra rule that rewrites ``expr`` to a form not ``seen`` before (two rules that undo each
    other would otherwise go round until the step budget runs out)."""
    for r in (*rules_of(ALGEBRA), *rules_of(TIDY), *rules_of(MATRIX)):
        new = r.apply(expr, ctx)
        if new is not None and new != expr and new not in seen:
            return _step(r, new)
    return None


def _step(r: Rule, expr: sp.Expr) -> Step:
    return Step(r.name, r.rewrite, expr)
