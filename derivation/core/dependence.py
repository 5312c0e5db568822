"""Whether an expression can change with a variable: the one test the engine, the bounds and the readers share."""

from __future__ import annotations

import sympy as sp

from .functions import expand_abbreviations


def depends_on(expr: sp.Expr, v: sp.Expr) -> bool:
    """Whether ``expr`` can change with ``v``; θ_k depends on θ_j since k may equal j.

    >>> t = sp.IndexedBase("theta"); j, k = sp.symbols("j k")
    >>> depends_on(t[k] ** 2, t[j]), depends_on(sp.IndexedBase("y")[k], t[j])
    (True, False)
    """
    expr = expand_abbreviations(expr)
    if isinstance(v, sp.Indexed):
        return any(a.base == v.base for a in expr.atoms(sp.Indexed))
    return v in expr.free_symbols


__all__ = ["depends_on"]
