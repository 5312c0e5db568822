r"""Names a document defines itself, and steps read through them.

``Let $p_i = \sigma(\theta^T x^{(i)})$``, ``where $\hat{y}_i = \sigma(w^T x_i)$``, ``z_i = w^T x_i``,
``L(w) = -\sum_i …``: an equation whose left side is a lone name defines that name (for the index
written on it).  A step that uses the name is checked with the definition put in, the one written
nearest before the step (else the first after it, as in "…, where ŷ_i = σ(wᵀx_i)").

A derivative *with respect to* a defined name (∂L/∂ŷ_i, ∂ŷ_i/∂z_i, the per-partial equations of a
computation graph) keeps that name as a variable: what is above it is put in, what is below it is
not, so ∂L/∂ŷ_i = −y_i/ŷ_i + (1−y_i)/(1−ŷ_i) is checked as an identity in ŷ_i.  A step that also
differentiates by a parameter (∂L/∂w_j = ∂L/∂ŷ_i · ∂ŷ_i/∂z_i · ∂z_i/∂w_j) is checked with every
name put in: the local derivatives are taken (SymPy's diff, σ written with exp) and evaluated at the
name's definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from ..core.exprtools import bound_apart, transform
from ..core.functions import rewrite_ml_functions

_DEPTH = 8  # definitions inside definitions: ŷ = σ(z), z = wᵀx, L = f(ŷ) …


@dataclass(frozen=True)
class NameDefinition:
    """``key`` (a Symbol or an IndexedBase) with ``params`` (its written indices) stands for ``body``."""

    key: sp.Basic
    params: tuple[sp.Symbol, ...]
    body: sp.Expr
    line: int
    start: int
    implied: str | None = None  # not written in the text: what the reading took it to be, in words

    @property
    def shown(self) -> str:
        from ..printing.expr import to_unicode

        name = self.key[self.params] if self.params else self.key
        return f"{to_unicode(name)} = {to_unicode(self.body)}"

    @property
    def words(self) -> str:
        """The interpretation in the report: where the definition is written, or what was implied."""
        return f"read {self.shown} ({self.implied})" if self.implied else f"read {self.shown} (line {self.line})"


def key_of(expr: sp.Basic) -> tuple[sp.Basic, tuple] | None:
    """(name, indices) of a lone name as read: ``p`` → (p, ()), ``p_i`` → (p, (i,)); None otherwise."""
    if isinstance(expr, sp.Symbol):
        return expr, ()
    if isinstance(expr, sp.Indexed) and all(isinstance(a, sp.Symbol) for a in expr.indices):
        return expr.base, tuple(expr.indices)
    return None


def in_effect(definitions: list[NameDefinition], position: int) -> dict[sp.Basic, NameDefinition]:
    """For each name, the definition written nearest before ``position`` (else the first after it)."""
    chosen: dict[sp.Basic, NameDefinition] = {}
    for d in sorted(definitions, key=lambda d: d.start):  # the preceding ones first, the nearest last
        if d.start <= position or d.key not in chosen:
            chosen[d.key] = d
    return chosen


def resolve(lhs: sp.Basic, rhs: sp.Basic, names: dict[sp.Basic, NameDefinition]):
    """Both sides of a step with the document's names put in; the definitions used (in order)."""
    if not names or not (_mentions(lhs, names) or _mentions(rhs, names)):
        return lhs, rhs, []
    variables = [v for side in (lhs, rhs) for d in side.atoms(sp.Derivative) for v in d.variables]
    local = {key_of(v)[0] for v in variables if key_of(v) and key_of(v)[0] in names}
    grounded = any(not (key_of(v) and key_of(v)[0] in names) for v in variables)
    keep: set = set()
    if not grounded:
        keep = {k for k in local if not _mentions(_expand(names[k].body, names, local - {k}), names, local - {k})}
    used: list[NameDefinition] = []
    out = [_expand(_local_derivatives(side, names, keep, used), names, keep, used) for side in (lhs, rhs)]
    return out[0], out[1], list(dict.fromkeys(used))


def _mentions(expr: sp.Basic, names: dict, among=None) -> bool:
    among = names.keys() if among is None else among
    bases = {e.base for e in expr.atoms(sp.Indexed)}
    symbols = expr.free_symbols - {b.label for b in bases}
    return any(k in bases or k in symbols for k in among)


def _local_derivatives(expr: sp.Basic, names: dict, keep: set, used: list) -> sp.Basic:
    """Each derivative by a defined name, with what is above the name put in (taken unless the name is kept)."""

    def visit(node):
        if not isinstance(node, sp.Derivative) or len(node.variables) != 1:
            return None
        v = node.variables[0]
        key = key_of(v)
        if not key or key[0] not in names:
            return None
        body = _expand(node.expr, names, {key[0]}, used)
        if key[0] in keep:
            return node if body == node.expr else sp.Derivative(body, v, evaluate=False)
        return _taken(body, v)

    return transform(expr, visit)


@lru_cache(maxsize=2048)
def _taken(body: sp.Expr, v: sp.Basic) -> sp.Expr:
    """d body / d v, taken by SymPy (σ written with exp); memoised: copies of a document share their steps."""
    t = sp.Dummy("t", real=True)
    taken = sp.diff(rewrite_ml_functions(body.xreplace({v: t})), t)
    return taken.xreplace({t: v})


def expand(expr: sp.Basic, names: dict) -> sp.Basic:
    """Every name of ``names`` in ``expr`` replaced by its definition, to a fixed point."""
    return _expand(expr, names, set())


def _expand(expr: sp.Basic, names: dict, keep: set, used: list | None = None) -> sp.Basic:
    """Every defined name not in ``keep`` replaced by its definition, to a fixed point."""
    for _ in range(_DEPTH):
        replacement = {}
        for e in expr.atoms(sp.Indexed):
            d = names.get(e.base)
            if d is not None and e.base not in keep and len(d.params) == len(e.indices):
                # the body's own Σ indices renamed apart from the indices put in (p_k of p_c = e^{Σ_k …}/…) and
                # from the side's free letters (a Σ_c inside u_k would shadow the c of ∂J/∂W_jc)
                clash = set().union(expr.free_symbols, *(index.free_symbols for index in e.indices))
                body = _taken_body(d, names, used)
                replacement[e] = bound_apart(body, clash).xreplace(dict(zip(d.params, e.indices, strict=True)))
                if used is not None:
                    used.append(d)
        labels = {b.label for b in expr.atoms(sp.IndexedBase)}
        for s in expr.free_symbols - labels:
            d = names.get(s)
            if d is not None and s not in keep and not d.params:
                replacement[s] = _taken_body(d, names, used)
                if used is not None:
                    used.append(d)
        if not replacement:
            return expr
        expr = _replace_outside_variables(expr, replacement)
    return expr


def _taken_body(d: NameDefinition, names: dict, used: list | None) -> sp.Expr:
    """δ_2 = ∂L/∂z_2: a body that differentiates by a defined name has its derivative taken before it is put in
    (put in as written, z_2 in L would be expanded under the ∂/∂z_2 and the derivative read as 0)."""
    if not any(key_of(v) and key_of(v)[0] in names for dv in d.body.atoms(sp.Derivative) for v in dv.variables):
        return d.body
    return _local_derivatives(d.body, names, set(), [] if used is None else used)


def _replace_outside_variables(expr: sp.Basic, replacement: dict) -> sp.Basic:
    """``expr.xreplace(replacement)``, except the variables of derivatives (∂/∂ŷ_i stays by ŷ_i)."""

    def visit(node):
        if isinstance(node, sp.Derivative):
            body = _replace_outside_variables(node.expr, replacement)
            return sp.Derivative(body, *node.variable_count, evaluate=False)
        if node in replacement:
            return replacement[node]
        if isinstance(node, sp.Indexed):
            return node  # its label is not the plain name
        return None

    return transform(expr, visit)


__all__ = ["NameDefinition", "expand", "in_effect", "key_of", "resolve"]
