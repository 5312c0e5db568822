"""The rule table's machinery: a rule is one small registered function per law of differentiation or algebra.

A derivative rule receives one ``Derivative(f, v)`` node and returns what it
equals, or None when the law does not fit.  An algebra rule receives the whole
expression and returns a rewritten one, or None.  Each docstring's first line
states the rule as a rewrite; that line is what a derivation shows.  Rules
explain, they do not decide: the checker (oracle/equality.py) proves every step anew.

The rules live by responsibility: :mod:`.derivatives` (the laws of differentiation),
:mod:`.algebra` (algebra once no derivative is left), :mod:`.classes` (sums over the
classes: log-softmax, log-sum-exp, the scores w_aᵀx, one-hot labels) and :mod:`.tidy`
(a textbook's last form); they import this module to register, and :mod:`.rules` imports them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from ..core.dependence import depends_on
from ..core.exprtools import transform
from ..core.functions import Definition

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
    ranges: tuple[tuple[sp.Symbol, sp.Expr, sp.Expr], ...] = ()  # other free indices: (c, 1, K) of W_jc

    def range_of(self, index: sp.Expr) -> tuple[sp.Expr, sp.Expr] | None:
        """Where a free index runs: its own entry in ``ranges``, else the parameter index's range."""
        return next(((lo, hi) for v, lo, hi in self.ranges if v == index), self.index_range)


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    apply: Callable

    @property
    def rewrite(self) -> str:
        return (self.apply.__doc__ or "").strip().splitlines()[0]


RULES: dict[str, Rule] = {}


def rule(name: str, kind: str, before: str | None = None):
    """Register ``fn`` under ``name``; the table order is the order rules are tried in (``before``: ahead of it).

    How a rule is worded beside an "=" is printing's label table (derivation.printing.labels).
    """

    def register(fn: Callable) -> Callable:
        entries = [(key, r) for key, r in RULES.items() if key != name]
        at = next((pos for pos, (key, _) in enumerate(entries) if key == before), len(entries))
        entries.insert(at, (name, Rule(name, kind, fn)))
        RULES.clear()
        RULES.update(entries)
        return fn

    return register


def rules_of(kind: str) -> list[Rule]:
    return [r for r in RULES.values() if r.kind == kind]


# --- helpers -------------------------------------------------------------------------------


def d(f: sp.Expr, v: sp.Expr) -> sp.Expr:
    """An unevaluated ∂f/∂v, or 0 when f does not depend on v."""
    return sp.Derivative(f, v, evaluate=False) if depends_on(f, v) else sp.S.Zero


def at_every_node(rewrite: Callable) -> Callable:
    """An algebra rule from a rewrite of one node: applied top-down, None when nothing changed."""

    def apply(expr, ctx):
        out = transform(expr, lambda node: rewrite(node, ctx))
        return out if out != expr else None

    apply.__doc__ = rewrite.__doc__
    apply.__name__ = rewrite.__name__
    return apply


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


__all__ = [
    "ALGEBRA",
    "DERIVATIVE",
    "MATRIX",
    "NOTATION",
    "RULES",
    "TIDY",
    "Context",
    "Rule",
    "at_every_node",
    "d",
    "depends_on",
    "rule",
    "rules_of",
    "term_by_term",
]
