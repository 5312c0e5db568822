"""Small tree utilities shared by the rules and the checker."""

from __future__ import annotations

import signal
import sys
import threading
import time
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


class OutOfTimeError(BaseException):
    """A bounded computation ran out of its time.

    A BaseException, as KeyboardInterrupt is: SymPy's own ``except Exception`` must not swallow the alarm.
    """


_REFIRE_SECONDS = 0.01  # an alarm swallowed by a finaliser fires again this much later


def _quiet_about_the_alarm(hook: Callable) -> Callable:
    """sys.unraisablehook that leaves out our own swallowed alarm (it fires again) and passes on the rest."""

    def quiet(unraisable) -> None:
        if not isinstance(unraisable.exc_value, OutOfTimeError):
            hook(unraisable)

    return quiet


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise OutOfTimeError in the block after ``seconds`` (main thread only; elsewhere no limit).

    SymPy's expand/cancel can run for minutes on inputs a few lines long; callers
    that have a cheaper fallback wrap them in this.  Limits nest: an inner one never
    outlives the outer one, and the outer one runs on, with the time left, after it.

    >>> with time_limit(1.0):
    ...     1 + 1
    2
    >>> with time_limit(0.5):
    ...     with time_limit(60.0):
    ...         signal.getitimer(signal.ITIMER_REAL)[0] <= 0.5
    True
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    left = [True]  # False once the block is over: an alarm then raises nothing

    def expire(signum, frame):
        if not left[0]:  # it landed in the clean-up below: raised there, it would skip the clean-up and leave the
            return  # alarm armed, to fire later anywhere (a test worker died of it on a loaded machine)
        # An alarm that lands in a finaliser or a garbage-collector callback is swallowed there (Python only
        # prints it as unraisable) and the block would run on unlimited: it fires again until it gets out.
        signal.setitimer(signal.ITIMER_REAL, _REFIRE_SECONDS)
        raise OutOfTimeError(f"over {seconds} s")

    outer_left = signal.getitimer(signal.ITIMER_REAL)[0]  # 0: no limit is running
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _quiet_about_the_alarm(previous_hook)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left else seconds)
    try:
        yield
    finally:
        left[0] = False  # first, before any call (where a pending alarm handler runs)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = previous_hook
        if outer_left:  # the outer limit goes on; if it passed meanwhile, it fires at once
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - started), 1e-6))


# --- bound indices ---------------------------------------------------------------------------
# Σ_j θ_j² differentiated by θ_j once came out (λ/m)Σ_j θ_j, verified: the bound j had captured
# the free j in the engine, the checker and sympy.diff alike.  Every consumer renames first.

_FRESH_NAMES = ("k", "p", "q", "r", "s", "t", "u", "v")
_BINDERS = (sp.Sum, sp.Product)


def free_names(expr: sp.Basic) -> set[sp.Symbol]:
    """Symbols that occur free anywhere, including inside a derivative's variable (θ_j frees j).

    SymPy's ``free_symbols`` hides j in ``Derivative(f, θ_j)``; this does not.

    >>> t = sp.IndexedBase("t"); j = sp.Symbol("j", integer=True); n = sp.Symbol("n")
    >>> sorted(free_names(sp.Derivative(sp.Sum(t[j]**2, (j, 1, n)), t[j])), key=str)
    [j, n, t]
    """
    if isinstance(expr, sp.Symbol):
        return {expr}
    if isinstance(expr, sp.IndexedBase):
        return {expr.label} if isinstance(expr.label, sp.Symbol) else set()
    if isinstance(expr, _BINDERS):
        out = free_names(expr.function)
        for index, *bounds in reversed(expr.limits):
            out.discard(index)
            for b in bounds:
                out |= free_names(b)
        return out
    out: set[sp.Symbol] = set()
    for a in expr.args:
        out |= free_names(a)
    return out


def bound_apart(expr: sp.Basic, avoid: set[sp.Symbol] | frozenset = frozenset()) -> sp.Basic:
    """``expr`` with every Σ/∏ index renamed where it equals a free symbol (or an enclosing index).

    Untouched where no index clashes, so catalog expressions keep their letters.

    >>> t = sp.IndexedBase("t"); j = sp.Symbol("j", integer=True); n = sp.Symbol("n")
    >>> bound_apart(sp.Derivative(sp.Sum(t[j]**2, (j, 1, n)), t[j]))
    Derivative(Sum(t[k]**2, (k, 1, n)), t[j])
    >>> bound_apart(sp.Sum(t[j]**2, (j, 1, n)), {j})
    Sum(t[k]**2, (k, 1, n))
    """
    if not expr.has(*_BINDERS):  # the common case: nothing to rename, no walk
        return expr
    taken = free_names(expr) | set(avoid)
    used = {s.name for s in expr.atoms(sp.Symbol)} | {s.name for s in taken}
    return _rename(expr, taken, used)


def _rename(node: sp.Basic, taken: set[sp.Symbol], used: set[str]) -> sp.Basic:
    if not node.args:
        return node
    if isinstance(node, _BINDERS):
        # Σ(f, L1, …, Lr) is Σ(…Σ(f, L1)…, Lr): peel the outermost limit, the others are inside it.
        *inside, (index, *bounds) = node.limits
        bounds = [_rename(b, taken, used) for b in bounds]
        inner = node.func(node.function, *inside) if inside else node.function
        if index in taken:
            fresh = _fresh(index, used)
            inner, index = _substitute_free(inner, index, fresh), fresh
        inner = _rename(inner, taken | {index}, used)
        if inside and isinstance(inner, node.func):
            rebuilt = node.func(inner.function, *inner.limits, (index, *bounds))
        else:
            rebuilt = node.func(inner, (index, *bounds))
        return node if rebuilt == node else rebuilt
    new_args = tuple(_rename(a, taken, used) for a in node.args)
    return node if new_args == node.args else node.func(*new_args)


def _substitute_free(node: sp.Basic, old: sp.Symbol, new: sp.Symbol) -> sp.Basic:
    """``old`` → ``new`` where ``old`` is free; an inner Σ that binds ``old`` again is left alone inside."""
    if node == old:
        return new
    if not node.args or old not in node.atoms(sp.Symbol):
        return node
    if isinstance(node, _BINDERS):
        *inside, (index, *bounds) = node.limits
        bounds = [_substitute_free(b, old, new) for b in bounds]
        inner = node.func(node.function, *inside) if inside else node.function
        if index != old:
            inner = _substitute_free(inner, old, new)
        if inside and isinstance(inner, node.func):
            return node.func(inner.function, *inner.limits, (index, *bounds))
        return node.func(inner, (index, *bounds))
    return node.func(*(_substitute_free(a, old, new) for a in node.args))


def _fresh(index: sp.Symbol, used: set[str]) -> sp.Symbol:
    name = next((c for c in _FRESH_NAMES if c not in used), None)
    counter = 1
    while name is None or name in used:
        name, counter = f"{index.name}{counter}", counter + 1
    used.add(name)
    return sp.Symbol(name, **index.assumptions0)
