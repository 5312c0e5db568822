r"""Which rule a step that holds applied.

The derivative nodes the step removed are expanded with the rule table
(:data:`~derivation.derive.rules.RULES`) until they reach the derivative nodes the
right side still has; if the left side so rewritten equals the right side as
algebra (derivatives, h_θ and σ kept as opaque leaves, proved by the checker),
the rules used are the step's explanation.  A step that takes no derivative is
algebra (distribute, cancel, common denominator, factor, vectorise) or a
substitution of a definition (h_θ(x) = σ(θᵀx), σ(z) = 1/(1 + e^(−z))).
Whether the rule the user wrote on the ``=`` fits is :mod:`derivation.proof.claims`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.exprtools import transform
from ..core.functions import Abbreviation, Definition, expand_abbreviations, rewrite_ml_functions, sigmoid
from ..core.notation import i, n
from ..derive.rules import DERIVATIVE, Context, rules_of
from ..oracle.equality import checked_equality
from ..parsing import LatexContext

ALGEBRA_KINDS = ("distribute", "cancel", "common-denominator", "factor", "sign", "rearrange", "vectorise")


@dataclass(frozen=True)
class Recognition:
    """The rules a step applied (registry keys or algebra kinds), as data.

    ``keys`` are what to name, in order ("definition:h", "sigma-definition", "log", …;
    empty when no rule explains the step); ``hypothesis`` is h_θ as the step reads it
    (h_θ(x⁽ⁱ⁾), or h_θ(x) in a one-example chain) when a key substitutes it.  The
    words are :func:`derivation.printing.labels.recognition_words`.
    """

    rules: tuple[str, ...]
    keys: tuple[str, ...] = ()
    hypothesis: sp.Expr | None = None


def recognise(
    lhs: sp.Expr, rhs: sp.Expr, context: LatexContext | None = None, texts: tuple[str, str] | None = None
) -> Recognition:
    """The rule(s) that turn ``lhs`` into ``rhs`` (a step already known to hold).

    ``texts`` (the two sides as written) tell cancel from distribute when the
    reader already simplified both sides to the same expression.

    >>> from derivation.core.notation import z
    >>> recognise(sp.Derivative(sigmoid(z) + 3 * z, z), sp.Derivative(sigmoid(z), z) + 3).keys
    ('linearity',)
    >>> recognise(sp.Derivative(sigmoid(z), z), sigmoid(z) * (1 - sigmoid(z))).rules
    ('sigmoid', 'variable')
    """
    if isinstance(rhs, MatrixElement) and not isinstance(lhs, MatrixElement):
        return Recognition(("vectorise",), ("vectorise",))
    example = context is not None and context.example_hypothesis is not None
    speak = (context, example and (lhs.has(context.example_hypothesis) or rhs.has(context.example_hypothesis)))
    ctx = _rule_context(context)
    targets = {expand_abbreviations(d) for d in _derivatives(rhs)}
    taken = [d for d in _derivatives(lhs) if expand_abbreviations(d) not in targets]
    if not taken:
        return _algebra(lhs, rhs, speak, texts)
    candidates = []
    for choose in _strategies(taken, ctx):
        replacement, used = {}, []
        for node in taken:
            new, rules = _expand(node, targets, ctx, choose(node), depth=6)
            replacement[node], used = new, used + rules
        candidate = lhs.xreplace(replacement)
        if candidate == rhs:
            return _recognition(used, speak)
        candidates.append((candidate, used))
    for level in _LEVELS:
        for candidate, used in candidates:
            if algebra_level(candidate, rhs, level) is not None:
                return _recognition([*used, _algebra(candidate, rhs, speak).rules[0]], speak)
    return _NOT_RECOGNISED


# --- derivative steps -------------------------------------------------------------------------------


def _rule_context(context: LatexContext | None) -> Context:
    definitions = []
    if context is not None and context.hypothesis is not None:
        definitions.append(Definition.of(context.hypothesis))
    definitions.append(sigmoid.as_definition())
    return Context(sp.S.Zero, tuple(definitions), (sp.S.Zero, n))


def _derivatives(expr: sp.Basic) -> list[sp.Derivative]:
    found: list[sp.Derivative] = []

    def visit(node):
        if isinstance(node, sp.Derivative):
            if node not in found:
                found.append(node)
            return node
        return None

    transform(expr, visit)
    return found


def _strategies(taken: list[sp.Derivative], ctx: Context):
    """Ways to pick the first rule for each node: the engine's choice, then each rule that fits."""
    yield lambda node: None
    seen = set()
    for node in taken:
        for rule in _fitting(node, ctx):
            if rule.name not in seen:
                seen.add(rule.name)
                yield lambda other, rule=rule: rule if rule.apply(*_parts(other), ctx) is not None else None


def _parts(node: sp.Derivative) -> tuple[sp.Expr, sp.Expr]:
    return node.expr, node.variables[0]


def _fitting(node: sp.Derivative, ctx: Context):
    if len(node.variables) != 1:
        return []
    return [r for r in rules_of(DERIVATIVE) if r.apply(*_parts(node), ctx) is not None]


def _expand(node: sp.Derivative, targets: set, ctx: Context, first, depth: int) -> tuple[sp.Expr, list[str]]:
    """``node`` rewritten by rules until only derivative nodes of ``targets`` are left."""
    if expand_abbreviations(node) in targets:
        return node, []
    fitting = _fitting(node, ctx)
    rule = first or (fitting[0] if fitting else None)
    if rule is None or depth == 0:
        return node, ["unexplained"]
    out = rule.apply(*_parts(node), ctx)
    used = [_rule_key(rule.name, node)]
    for inner in _derivatives(out):
        new, more = _expand(inner, targets, ctx, None, depth - 1)
        out, used = out.xreplace({inner: new}), used + more
    return out, used


def _rule_key(name: str, node: sp.Derivative) -> str:
    if name != "definition":
        return name
    if isinstance(node.expr, Abbreviation):
        return "definition:h" if node.expr.args else f"definition:{type(node.expr).__name__}"
    return "sigma-definition"


_NOT_RECOGNISED = Recognition(("unexplained",))


def _recognition(used: list[str], speak: tuple) -> Recognition:
    """The rules and what to name; ``speak`` = (context, one-example chain) decides which h_θ is meant."""
    keys = [u for u in dict.fromkeys(used) if u not in ("variable", "constant", "rearrange")]
    keys = keys or [u for u in dict.fromkeys(used)]
    keys.sort(key=lambda key: key == "linearity")
    rules = tuple(dict.fromkeys(u.split(":")[0] for u in used))
    context, example = speak
    hypothesis = None
    if {"definition:h", "fold:h"} & set(keys) and context is not None and context.hypothesis is not None:
        hypothesis = context.example_hypothesis() if example else context.hypothesis(i)
    return Recognition(rules, tuple(keys), hypothesis)


# --- algebra steps ---------------------------------------------------------------------------------


def _algebra(lhs: sp.Expr, rhs: sp.Expr, speak: tuple, texts=None) -> Recognition:
    level = algebra_level(lhs, rhs)
    if level == "algebra":
        kind = _algebra_kind(lhs, rhs, texts)
    elif level == "h":
        costs = [a for a in lhs.atoms(Abbreviation) if not a.args and a not in rhs.atoms(Abbreviation)]
        if costs:
            kind = f"definition:{type(costs[0]).__name__}"
        else:
            kind = "fold:h" if _count(rhs, sigmoid) < _count(lhs, sigmoid) else "definition:h"
    elif level == "sigma":
        kind = "fold:sigma" if _count(rhs, sigmoid) > _count(lhs, sigmoid) else "sigma-definition"
        if kind == "sigma-definition" and _count(lhs, Abbreviation) > _count(rhs, Abbreviation):
            return _recognition(["definition:h", kind], speak)
    else:
        return _NOT_RECOGNISED
    return _recognition([kind], speak)


def _count(expr: sp.Basic, cls) -> int:
    return sum(1 for e in sp.preorder_traversal(expr) if isinstance(e, cls))


def _algebra_kind(lhs: sp.Expr, rhs: sp.Expr, texts=None) -> str:
    if lhs == rhs:  # the reader already simplified: judge by what the user wrote
        if texts is None:
            return "rearrange"
        before, after = (len(re.findall(r"(?<![\^{(])[+-]", t)) for t in texts)
        if after != before:
            return "distribute" if after > before else "cancel"
        return "cancel" if len(texts[1]) < 0.9 * len(texts[0]) else "rearrange"
    terms = lambda e: sum(len(a.args) for a in sp.preorder_traversal(e) if isinstance(a, sp.Add))  # noqa: E731
    size = lambda e: sum(1 for _ in sp.preorder_traversal(e))  # noqa: E731
    if lhs.could_extract_minus_sign() != rhs.could_extract_minus_sign() and abs(size(lhs) - size(rhs)) <= 4:
        return "sign"
    if _fractions_in_sums(rhs) < _fractions_in_sums(lhs):
        return "common-denominator"
    if terms(rhs) > terms(lhs):
        return "distribute"
    if size(rhs) < size(lhs):
        return "cancel"
    return "factor" if terms(rhs) < terms(lhs) else "rearrange"


def _fractions_in_sums(expr: sp.Basic) -> int:
    return sum(
        1
        for add in sp.preorder_traversal(expr)
        if isinstance(add, sp.Add)
        for term in add.args
        if any(isinstance(p, sp.Pow) and p.exp.is_negative for p in sp.Mul.make_args(term))
    )


_LEVELS = ("algebra", "h", "sigma")


def algebra_level(a: sp.Expr, b: sp.Expr, only: str | None = None) -> str | None:
    """How much must be unfolded for ``a = b`` to hold as algebra: "algebra", "h", "sigma", or None."""
    opaque = (sp.Derivative, Abbreviation, sigmoid)
    for name, prepare, kinds in (
        ("algebra", lambda e: e, opaque),
        ("h", expand_abbreviations, (sp.Derivative, sigmoid)),
        ("sigma", lambda e: rewrite_ml_functions(expand_abbreviations(e)), (sp.Derivative,)),
    ):
        if only is not None and name != only:
            continue
        table: dict = {}
        try:
            left, right = _opaque(prepare(a), table, kinds), _opaque(prepare(b), table, kinds)
        except (TypeError, ValueError):
            continue
        if left == right or checked_equality(left, right).ok:
            return name
    return None


def _opaque(expr: sp.Expr, table: dict, kinds: tuple) -> sp.Expr:
    """``expr`` with every node of ``kinds`` (outermost) replaced by a leaf; equal nodes, equal leaves."""

    def visit(node):
        if not isinstance(node, kinds):
            return None
        if node not in table:
            name = f"Q{len(table)}"
            idx = sorted((s for s in node.free_symbols if isinstance(s, sp.Symbol) and s.is_integer), key=str)
            table[node] = sp.IndexedBase(name, real=True)[tuple(idx)] if idx else sp.Symbol(name, real=True)
        return table[node]

    return transform(expr, visit)


__all__ = ["ALGEBRA_KINDS", "Recognition", "algebra_level", "checked_equality", "recognise"]
