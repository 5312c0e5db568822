"""Small tree utilities shared by the rules and the checker."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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


class OutOfTimeError(Exception):
    """A bounded computation ran out of its time."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise OutOfTimeError in the block after ``seconds`` (main thread only; elsewhere no limit).

    SymPy's expand/cancel can run for minutes on inputs a few lines long; callers
    that have a cheaper fallback wrap them in this.

    >>> with time_limit(1.0):
    ...     1 + 1
    2
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise OutOfTimeError(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
