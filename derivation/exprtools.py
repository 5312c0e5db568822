"""Small tree utilities shared by the rules and the checker."""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

_EVALUATING = (sp.Add, sp.Mul, sp.Pow)


def rebuild(node: sp.Basic, args: tuple, evaluate: bool = True) -> sp.Basic:
    """``node`` with new ``args``; Add/Mul/Pow are left unevaluated on request.

    Unevaluated nodes let a step show ``h(1-h)/h`` before the next step cancels it.

    >>> a = sp.Symbol("a")
    >>> rebuild(a * 2, (a, 1 / a), evaluate=False)
    a/a
    """
    if not evaluate and isinstance(node, _EVALUATING):
        return node.func(*args, evaluate=False)
    return node.func(*args)


def transform(
    expr: sp.Basic,
    visit: Callable[[sp.Basic], sp.Basic | None],
    evaluate: bool = True,
) -> sp.Basic:
    """Rewrite top-down: where ``visit`` returns a node it replaces the subtree.

    >>> a = sp.Symbol("a")
    >>> transform(sp.sin(a) + a, lambda e: sp.cos(e.args[0]) if e.func == sp.sin else None)
    a + cos(a)
    """
    replaced = visit(expr)
    if replaced is not None:
        return replaced
    if not expr.args:
        return expr
    new_args = tuple(transform(a, visit, evaluate) for a in expr.args)
    if new_args == expr.args:
        return expr
    return rebuild(expr, new_args, evaluate)


def reevaluate(expr: sp.Basic) -> sp.Basic:
    """Rebuild every node with SymPy's automatic simplification switched back on.

    >>> a = sp.Symbol("a")
    >>> reevaluate(sp.Mul(a, 1 / a, evaluate=False))
    1
    """
    if not expr.args or isinstance(expr, (sp.Indexed, sp.IndexedBase)):
        return expr
    return expr.func(*(reevaluate(a) for a in expr.args))
