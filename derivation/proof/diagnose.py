"""What went wrong in a failing step: compare the user's side with candidate corrections, numerically.

The checker (:func:`~derivation.oracle.equality.verify_equality`) decides that ``lhs = rhs``
fails; this module only explains it.  Both sides are evaluated at a few random
points (m = 3, n = 2, j = 0..2) by :class:`Evaluator` (the checker's one evaluator,
sizes, tolerance and seed policy: :mod:`derivation.oracle.policy`), then compared
with what the right side would be under a known slip:

* **sign** – rhs = −lhs;  **constant factor** – rhs = c·lhs, c written as m, 1/m, n + 1 … when
  the ratio at a second size (m = 5, n = 3) says it is one (the document's letters, not m = 3);
* **sum limit** – a sum of rhs that stops or starts one term off (Σ up to m − 1 for Σ up to m);
* **dropped / added term**, **sign of one term** – rhs equals lhs with one term
  left out (or flipped), or lhs equals rhs without one of its terms;
* **wrong derivative** – rhs equals lhs differentiated with σ′ = σ², σ′ = σ,
  log′ u = 1/u², e^u′ = e^−u, or the chain factor ∂u forgotten;
* **σ′ counted twice** – rhs = lhs · σ(1 − σ) for a σ of the step (after a sigmoid cross-entropy);
* **σ(1−σ) written as σ²** and **index mix-up** (x_i⁽ʲ⁾ for x_j⁽ⁱ⁾, θ_i for θ_j):
  the corrected rhs equals lhs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import sympy as sp

from ..core.exprtools import transform
from ..core.functions import Abbreviation, expand_abbreviations, sigmoid
from ..core.notation import j, m, n
from ..oracle.canonical import exact_difference
from ..oracle.evaluator import Evaluator as OneEvaluator
from ..oracle.numbers import NUMPY
from ..oracle.policy import SIZES, TOLERANCE, agree
from ..oracle.sampling import POINT_ERRORS, SampledLeaves, exact_at
from ..printing.expr import to_unicode
from .factors import SECOND_SIZES, constant_ratio, in_sizes, missing, shown

POINTS = ((0, 0), (1, 1), (2, 2), (1, 3))  # (j, sample point): four points, every feature index
_ERRORS = (*POINT_ERRORS, KeyError, RecursionError)  # a candidate that cannot be evaluated explains nothing


@dataclass(frozen=True)
class Diagnosis:
    """A known slip that explains a failing step: ``kind`` (sign, factor, dropped-term, …) and a sentence."""

    kind: str
    message: str


# --- numeric evaluation ------------------------------------------------------------------------------


class Evaluator:
    """Values of expressions at fixed sample points (the checker's evaluator and seeds; m = 3, n = 2 or ``sizes``).

    Derivatives are differentiated once per node, in the world of a wrong rule
    when asked; a free index other than j takes a drawn value in 1..n.

    >>> t = sp.Symbol("t", real=True)
    >>> ev = Evaluator(seed=0)
    >>> a, b = ev.values(sp.Derivative(t**2, t)), ev.values(2 * t)
    >>> ev.same(a, b), ev.same(a, ev.values(t))
    (True, False)
    """

    def __init__(self, seed: int = 0, sizes: dict | None = None):
        self.seed = seed
        assignments = [{j: value} for value, _ in POINTS]
        ids = [point for _, point in POINTS]
        self.leaves = SampledLeaves(seed, assignments, ids, stray_indices=True, sizes=sizes or SIZES)
        self.walker = OneEvaluator(self.leaves, NUMPY)  # one memo: candidates share most subtrees

    def values(self, expr: sp.Expr, world: str = "") -> tuple[complex, ...] | None:
        """The value of ``expr`` at each point, or None when it cannot be evaluated.

        NumPy first; a point where it gives no finite number (a log of a negative
        number, say) is computed by the exact path, as in the checker.
        """
        try:
            tree = _prepared(expr, world)
            with np.errstate(all="ignore"):
                fast = np.asarray(self.walker.at_points(tree))
        except _ERRORS:
            fast = None
        out = []
        for point in range(len(POINTS)):
            if fast is not None and np.isfinite(fast[point]):
                out.append(complex(fast[point]))
                continue
            try:
                exact = exact_at((_prepared(expr, world),), self.leaves.at(point))
            except _ERRORS:
                return None
            if exact is None:
                return None
            out.append(complex(exact[0]))
        return tuple(out)

    def same(self, a, b, scale: float = 1.0) -> bool:
        if a is None or b is None:
            return False
        return all(agree(u, v, TOLERANCE, scale) for u, v in zip(a, b, strict=True))


@lru_cache(maxsize=2048)
def _prepared(expr: sp.Expr, world: str) -> sp.Expr:
    """``expr`` with every derivative taken (in ``world``) and every substitution done: ready to evaluate."""

    def visit(node):
        if isinstance(node, sp.Derivative):
            return _prepared(_derivative(node, world), world)
        if isinstance(node, sp.Subs):
            return _prepared(node.doit(), world)
        return None

    return transform(expr, visit)


# σ′, log′ and exp′ as a student might get them wrong; "" is the true world.
_WORLDS = {
    "sigma-squared": ("sigmoid", lambda s, u: s**2, "σ′ written as σ² (it is σ(1−σ))"),
    "sigma-itself": ("sigmoid", lambda s, u: s, "σ′ written as σ (it is σ(1−σ))"),
    "sigma-one-minus": ("sigmoid", lambda s, u: 1 - s, "σ′ written as 1−σ (it is σ(1−σ))"),
    "sigma-plus": ("sigmoid", lambda s, u: s * (1 + s), "σ′ written as σ(1+σ) (it is σ(1−σ))"),
    "log-square": ("log", lambda s, u: 1 / u**2, "log′ u written as 1/u² (it is 1/u)"),
    "exp-minus": ("exp", lambda s, u: sp.exp(-u), "(e^u)′ written as e^(−u) (it is e^u)"),
}


def _world_class(world: str, kind: str) -> type[sp.Function] | None:
    spec = _WORLDS.get(world)
    if spec is None or spec[0] != kind:
        return None
    return _world_classes()[world]


@cache
def _world_classes() -> dict[str, type[sp.Function]]:
    classes = {}
    for name, (kind, wrong, _) in _WORLDS.items():
        real = {"sigmoid": sigmoid, "log": sp.log, "exp": sp.exp}[kind]

        def fdiff(self, argindex=1, wrong=wrong, real=real):
            return wrong(real(self.args[0]), self.args[0])

        classes[name] = type(f"wrong_{kind}", (sp.Function,), {"nargs": 1, "fdiff": fdiff})
    return classes


@lru_cache(maxsize=2048)
def _derivative(node: sp.Derivative, world: str) -> sp.Expr:
    """``node`` differentiated by SymPy (σ by its exp form), in the given world of wrong rules."""
    body = expand_abbreviations(node.expr)
    if world.startswith("chain-"):
        return _forgotten_chain(body, node.variables, world[6:])
    for kind, real in (("sigmoid", sigmoid), ("log", sp.log), ("exp", sp.exp)):
        wrong = _world_class(world, kind)
        if wrong is not None:
            body = body.replace(lambda e, real=real: isinstance(e, real), lambda e, wrong=wrong: wrong(e.args[0]))
    body = body.replace(lambda e: isinstance(e, sigmoid), lambda e: 1 / (1 + sp.exp(-e.args[0])))
    out = sp.diff(body, *node.variables)
    return out.replace(lambda e: type(e).__name__.startswith("wrong_"), lambda e: _REAL[type(e).__name__](e.args[0]))


_REAL = {"wrong_sigmoid": sigmoid, "wrong_log": sp.log, "wrong_exp": sp.exp}


def _forgotten_chain(body: sp.Expr, variables: tuple, kind: str) -> sp.Expr:
    """∂F(u) taken as F′(u), the factor ∂u forgotten (only when the body is F(u) itself)."""
    outer = {"sigmoid": (sigmoid, lambda u: sigmoid(u) * (1 - sigmoid(u))), "log": (sp.log, lambda u: 1 / u),
             "exp": (sp.exp, sp.exp)}[kind]  # fmt: skip
    if isinstance(body, outer[0]) and len(variables) == 1 and body.args[0] != variables[0]:
        return outer[1](body.args[0])
    return sp.diff(body.replace(lambda e: isinstance(e, sigmoid), lambda e: 1 / (1 + sp.exp(-e.args[0]))), *variables)


def clear_caches() -> None:
    """Forget the derivatives taken so far (for benchmarks)."""
    _derivative.cache_clear()
    _prepared.cache_clear()


# --- diagnosis ---------------------------------------------------------------------------------------


def diagnose(lhs: sp.Expr, rhs: sp.Expr, *, seed: int = 0, near: Iterable = ()) -> Diagnosis | None:
    """The slip that turns ``lhs`` into the wrong ``rhs``, or None when no known slip fits.

    ``near`` are (the right side with one change, kind, the slip in words): a backprop step's near misses
    (:mod:`derivation.proof.nearmiss`, a node for another, a factor left out), tried after σ′ counted twice.

    >>> from derivation.core.notation import z
    >>> s = sigmoid(z)
    >>> diagnose(sp.Derivative(s, z), s**2).kind
    'wrong-derivative'
    >>> diagnose(sp.Derivative(s, z), -s * (1 - s)).message
    'sign: the right side is −1 × the left side'
    >>> diagnose(z + s, z).message
    'dropped term: σ(z) is missing'
    >>> diagnose(sp.exp(1000 * z), sp.exp(1000 * z) + 1).message
    'added term: the constant 1 should not be there'
    """
    ev = Evaluator(seed)
    left, right = ev.values(lhs), ev.values(rhs)
    # sides equal at these points (a ReLU's kink on the other side of every one): no slip can be read off them
    if left is not None and right is not None and not ev.same(left, right):
        for check in (_sign_or_factor, _sigma_twice, _wrong_derivative, _corrected_rhs, _sum_limit, _one_term):
            found = check(ev, lhs, rhs, left, right)
            if found is not None:
                return found
            if check is _sigma_twice:  # one node for another (O_1 for O_2): more telling than a term's factor
                found = next((Diagnosis(kind, words) for fixed, kind, words in near
                              if ev.same(ev.values(fixed), left)), None)  # fmt: skip
                if found is not None:
                    return found
    return _constant_offset(lhs, rhs)


def _constant_offset(lhs: sp.Expr, rhs: sp.Expr) -> Diagnosis | None:
    """The sides differ by a number, decided exactly: 10⁻³⁰ is seen, and so is 1 beside e^{1000z}."""
    offset = exact_difference(rhs, lhs)
    if offset is None or offset == 0:
        return None
    if offset.is_extended_negative:
        return Diagnosis("dropped-term", f"dropped term: the constant {to_unicode(-offset)} is missing")
    return Diagnosis("added-term", f"added term: the constant {to_unicode(offset)} should not be there")


def _sign_or_factor(ev, lhs, rhs, left, right) -> Diagnosis | None:
    c = constant_ratio(right, left)
    if c == -1:
        return Diagnosis("sign", "sign: the right side is −1 × the left side")
    if c is not None and c not in (0, 1):
        factor = in_sizes(c, rhs, lhs, Evaluator(ev.seed, SECOND_SIZES).values)
        return Diagnosis(
            "factor", f"constant factor: the right side is {shown(factor)} × the left side{missing(factor)}"
        )
    return None


def _sigma_twice(ev, lhs, rhs, left, right) -> Diagnosis | None:
    """The right side is the left times σ′ = σ(1 − σ) once more: the classic slip after a sigmoid cross-entropy."""
    for s in sorted(expand_abbreviations(rhs).atoms(sigmoid), key=sp.default_sort_key):
        if not ev.same(ev.values(lhs * s * (1 - s)), right):
            continue
        if _has_error_factor(expand_abbreviations(rhs), s):  # (ŷ − y)·σ′: σ′ cancelled against log′ already
            why = "∂L/∂z of the cross-entropy through a sigmoid is already ŷ − y (σ′ cancelled against log′)"
        else:
            why = "the chain has σ′ once"
        return Diagnosis("sigma-twice", f"σ′ counted twice: {why}; the right side multiplies by σ(1 − σ) again")
    return None


def _has_error_factor(expr: sp.Expr, s: sp.Expr) -> bool:
    """True when ``expr`` has a factor ±(s − y): the prediction minus a label, the cross-entropy's ∂L/∂z."""
    for factor in sp.Mul.make_args(sp.factor_terms(expr)):
        for rest in (factor - s, factor + s):
            if factor.is_Add and not rest.has(sigmoid) and not rest.is_number and rest != 0:
                return True
    return False


def _sum_limit(ev, lhs, rhs, left, right) -> Diagnosis | None:
    """A sum of the right side that starts or stops one term off (Σ up to m − 1 where the sum runs to m)."""
    for total in sorted(rhs.atoms(sp.Sum), key=sp.default_sort_key):
        for place, (i, lo, hi) in enumerate(total.limits):
            for end, shift in (("to", 1), ("to", -1), ("from", -1), ("from", 1)):
                bounds = (i, lo, hi + shift) if end == "to" else (i, lo + shift, hi)
                limits = [*total.limits[:place], bounds, *total.limits[place + 1 :]]
                fixed = rhs.xreplace({total: sp.Sum(total.function, *limits)})
                if ev.same(ev.values(fixed), left):
                    return Diagnosis("sum-limit", _limit_message(i, lo, hi, end, shift))
    return None


def _limit_message(i: sp.Symbol, lo: sp.Expr, hi: sp.Expr, end: str, shift: int) -> str:
    """The off-by-one in the user's letters: "the sum over i runs to m − 1: it leaves out the term i = m"."""
    name, at = to_unicode(i), {"to": hi, "from": lo}[end]
    said = f"sum limit: the sum over {name} {'runs to' if end == 'to' else 'starts at'} {to_unicode(at)}"
    if (end, shift) in (("to", 1), ("from", -1)):
        return f"{said}: it leaves out the term {name} = {to_unicode(at + shift)}"
    verb = "stops" if end == "to" else "starts"
    return f"{said}: the term {name} = {to_unicode(at)} should not be there (it {verb} at {to_unicode(at + shift)})"


def _wrong_derivative(ev, lhs, rhs, left, right) -> Diagnosis | None:
    if not lhs.has(sp.Derivative):
        return None
    plain = expand_abbreviations(lhs)
    worlds = [w for w, (kind, _, _) in _WORLDS.items() if plain.has(_KINDS[kind])]
    worlds += [f"chain-{kind}" for kind, cls in _KINDS.items() if plain.has(cls)]
    for world in worlds:
        if ev.same(ev.values(lhs, world), right):
            if world.startswith("chain-"):
                name = {"sigmoid": "σ", "log": "log", "exp": "exp"}[world[6:]]
                return Diagnosis("wrong-derivative", f"chain rule: the factor ∂u of ∂{name}(u) was left out")
            return Diagnosis("wrong-derivative", _WORLDS[world][2])
    return None


_KINDS = {"sigmoid": sigmoid, "log": sp.log, "exp": sp.exp}


def _corrected_rhs(ev, lhs, rhs, left, right) -> Diagnosis | None:
    for fixed, message, kind in _corrections(rhs):
        if fixed != rhs and ev.same(ev.values(fixed), left):
            return Diagnosis(kind, message)
    for slipped in _square_slips(lhs):
        if ev.same(ev.values(slipped), right):
            return Diagnosis("sigma-square", "σ(1−σ) written as a square: σ² where σ(1 − σ) was")
    return None


def _square_slips(expr: sp.Expr, limit: int = 8):
    """``expr`` with products s·(1 − s) (s a σ or an h_θ) written s·s: all at once, then one at a time."""
    products = [node for node in sp.preorder_traversal(expr) if isinstance(node, sp.Mul) and _slip(node) is not None]
    if products:
        yield transform(expr, _slip)
    if len(products) > 1:
        for node in products[:limit]:
            yield expr.xreplace({node: _slip(node)})


def _slip(node: sp.Basic) -> sp.Expr | None:
    if not isinstance(node, sp.Mul):
        return None
    probs = [f for f in node.args if _is_probability(f)]
    factors = [next((s for s in probs if sp.expand(f - (1 - s)) == 0), f) for f in node.args]
    return sp.Mul(*factors) if factors != list(node.args) else None


def _corrections(rhs: sp.Expr):
    """(corrected rhs, what was wrong, kind) for the slips we know how to undo."""
    squares = {p: p.base * (1 - p.base) for p in rhs.atoms(sp.Pow) if p.exp == 2 and _is_probability(p.base)}
    if squares:
        name = to_unicode(next(iter(squares)).base)
        yield rhs.xreplace(squares), f"σ(1−σ) written as a square: {name}² should be {name}(1 − {name})", "sigma-square"
    for atom in sorted(rhs.atoms(sp.Indexed), key=str):
        for swapped in _swaps(atom):
            message = f"index mix-up: {to_unicode(atom)} should be {to_unicode(swapped)}"
            yield rhs.xreplace({atom: swapped}), message, "index"


def _is_probability(e: sp.Expr) -> bool:
    return isinstance(e, (sigmoid, Abbreviation))


def _swaps(atom: sp.Indexed):
    indices = atom.indices
    if len(indices) == 2:
        yield atom.base[indices[1], indices[0]]
    names = [s for s in atom.free_symbols if isinstance(s, sp.Symbol) and s.is_integer and s not in (m, n)]
    for old in names:
        for new in (sp.Symbol(c, integer=True, nonnegative=True) for c in "ijk"):
            if new != old:
                yield atom.xreplace({old: new})


def _one_term(ev, lhs, rhs, left, right) -> Diagnosis | None:
    """One term left out, added, with its sign flipped or multiplied by a constant (terms of both sides)."""
    unfolded = _costs_unfolded(lhs)
    for side, values, other, role in ((unfolded, left, right, "left"), (rhs, right, left, "right")):
        for term, without in _terms(side):
            rest = ev.values(without)
            if rest is None or ev.same(rest, values):
                continue
            c = constant_ratio([o - r for o, r in zip(other, rest, strict=True)],
                                [v - r for v, r in zip(values, rest, strict=True)])  # fmt: skip
            if c is None or c == 1:
                continue
            name = to_unicode(term)
            if c == 0:
                if role == "left":
                    return Diagnosis("dropped-term", f"dropped term: {name} is missing")
                return Diagnosis("added-term", f"added term: {name} should not be there")
            if c == -1:
                return Diagnosis("term-sign", f"sign of one term: {name} has the wrong sign")
            second = Evaluator(ev.seed, SECOND_SIZES).values
            factor = in_sizes(c, (rhs if role == "left" else unfolded) - without, side - without, second)
            factor = factor if role == "left" else 1 / factor
            message = f"constant factor on one term: {name} is multiplied by {shown(factor)}{missing(factor)}"
            return Diagnosis("term-factor", message)
    return None


def _costs_unfolded(expr: sp.Expr) -> sp.Expr:
    """J(θ) and G(θ) replaced by their definitions, so their terms can be named."""
    return expr.xreplace({a: a.definition() for a in expr.atoms(Abbreviation) if not a.args})


def _terms(expr: sp.Expr, limit: int = 40):
    """(term, expr without that term) for each summand of each sum in ``expr``, outermost first."""
    seen = 0
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Add):
            for term in node.args:
                seen += 1
                if seen > limit:
                    return
                yield term, expr.xreplace({node: node - term})
