"""Near misses of a backprop step: the user's right side with one node put for another, or one factor put back.

Blog posts' per-partial chains go wrong in a few ways the sides' values show: a chain factor taken at
the wrong node (O_1 where O_2 belongs, x_2 for x_1, the pre-activation z_1 where h_1 = max(0, z_1)
belongs) or a factor left out (the weight w_5 on the path, the σ′ = O_1(1 − O_1) of a hidden node).
Each near miss is the right side as the user wrote it (names kept) with one change; the caller
resolves it with the document's definitions and :func:`~derivation.proof.diagnose.diagnose` says the
slip when the changed side equals the left side.
"""

from __future__ import annotations

import re

import sympy as sp

from ..core.functions import sigmoid
from ..core.functions.piecewise import relu, step
from ..printing.expr import to_unicode

_FAMILY = re.compile(r"^(?P<family>.*?)[0-9]+\]?$")


def family(name: sp.Basic) -> tuple | None:
    """O_3 → ("O_",), out_h1 → ("out_h",), x_2 → (x, 1 index): names that differ only by their number."""
    if isinstance(name, sp.Indexed):
        return (name.base, len(name.indices)) if all(a.is_Integer for a in name.indices) else None
    found = _FAMILY.match(str(name)) if isinstance(name, sp.Symbol) else None
    return (found.group("family"),) if found else None


def _nodes(expr: sp.Basic) -> set:
    return {a for a in (*expr.free_symbols, *expr.atoms(sp.Indexed)) if family(a) is not None}


def _local_derivative(key: sp.Symbol, body: sp.Expr) -> sp.Expr | None:
    """The activation's derivative written with the node's own name: σ → N(1 − N), tanh → 1 − N², ReLU → 1[u > 0]."""
    if isinstance(body, sigmoid):
        return key * (1 - key)
    if isinstance(body, sp.tanh):
        return 1 - key**2
    if isinstance(body, relu):
        return step(body.args[0])
    return None


def near_misses(right: sp.Basic, names: dict) -> list[tuple]:
    """(the right side with one change, kind, the slip in words) for each near miss of ``right``."""
    if not isinstance(right, sp.Expr):
        return []
    written = sorted(_nodes(right), key=sp.default_sort_key)
    keys = {d.key: d.body for d in names.values() if isinstance(d.key, sp.Symbol)}
    known = sorted(set().union(*(_nodes(e) for e in (right, *keys, *keys.values()))), key=sp.default_sort_key)
    out = []
    for wrong in written:
        for node in known:
            adjacent = keys.get(node, sp.S.Zero).has(wrong) or keys.get(wrong, sp.S.Zero).has(node)
            if node != wrong and (family(node) == family(wrong) or adjacent):
                words = f"chain factor at the wrong node: {to_unicode(wrong)} where {to_unicode(node)} belongs"
                out.append((right.xreplace({wrong: node}), "wrong-node", words))
    plain = {a for body in keys.values() for a in body.free_symbols if a not in keys and a.name not in ("y", "e")}
    candidates = sorted(set(known) | plain, key=sp.default_sort_key)
    factors = [(node, to_unicode(node)) for node in candidates if node not in keys]
    for key, body in keys.items():
        local = _local_derivative(key, body)
        if local is not None:
            factors.append((local, f"{to_unicode(local)}, the derivative of {to_unicode(key)} = {to_unicode(body)}"))
    for factor, shown in factors:
        out.append((right * factor, "missing-factor", f"missing factor: {shown} was left out of the chain"))
    for node in written:
        out.append((right / node, "extra-factor", f"extra factor: {to_unicode(node)} should not be in the chain"))
    out.extend(_local_derivative_swaps(right, keys))
    return out


def _local_derivative_swaps(right: sp.Expr, keys: dict) -> list[tuple]:
    """σ′ = N(1 − N) written at another σ node, or written for a tanh node (whose derivative is 1 − N²)."""
    sigmoids = [key for key, body in keys.items() if isinstance(body, sigmoid)]
    pairs = [(w, k, "σ′ taken at the wrong node") for w in sigmoids for k in sigmoids if w != k]
    pairs += [(k, k, "σ′ used for tanh′") for k, body in keys.items() if isinstance(body, sp.tanh)]
    out = []
    for written, key, slip in pairs:
        local = _local_derivative(key, keys[key])
        changed = right.subs(written * (1 - written), local)
        if changed != right:
            words = f"{slip}: {to_unicode(written * (1 - written))} where {to_unicode(local)} belongs"
            out.append((changed, "wrong-local-derivative", words))
    return out


__all__ = ["family", "near_misses"]
