r"""A step's two sides made comparable: the document's names put in, vectors read entry by entry.

The checker compares scalars.  ∂J/∂θ = Xᵀ(σ(Xθ) − y)/m is compared through its entry j; a result
written with the vector x (dz/dw = x) or x⁽ⁱ⁾ is read entry by entry; a row written "for j ≥ 1"
is checked there only.  Each reading that assumes something says so, for the report.
"""

from __future__ import annotations

import re
from functools import lru_cache

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.exprtools import transform
from ..core.notation import Theta, j, theta, x
from ..core.steps import Verdict
from ..models.matrix_costs import MatrixCostError, lower
from ..oracle.equality import checked_equality
from ..parsing.rows import INDEX_CONDITION
from .define import key_of, resolve

# the index j itself, not a subscript (w_j ≠ 0, θ_j > 0 speak of a value: no restriction of the rows)
_J = r"(?<![A-Za-z\\_])(?<!_\{)(?<!_\s)j"
_FROM_ONE = re.compile(
    _J + r"\s*(\\geq?|\\geqslant|>=|≥)\s*1(?![0-9])|" + _J + r"\s*(>|\\neq?|\\ne|≠)\s*0(?![0-9])"
    r"|" + _J + r"\s*(=|\\in\s*\\?\{)\s*1\s*,\s*(\\dots|\\ldots|\\cdots|\.\.\.|…)"
)
_HERE = re.compile(_J + r"\s*=\s*0(?![0-9]|\s*,\s*(\\dots|\\ldots|\\cdots|\.\.\.|…))")  # not θ_j = 0: a value


def restricts(words: str | None, prose: bool = False) -> bool:
    """True when ``words`` limit a step to j ≥ 1 (for j ≥ 1, j > 0, j ≠ 0, j = 1, …, n).

    Prose before a display that also speaks of j = 0 ("for j = 0 … ; for j ≥ 1 …") restricts nothing:
    the display may hold both cases.
    """
    if not words or _FROM_ONE.search(words) is None:
        return False
    return not (prose and _HERE.search(words))


def only_a_condition(words: str | None) -> bool:
    r"""True when the words on an ``=`` are a condition and nothing else (``for } j \geq 1``): no rule is named."""
    if not words:
        return False
    plain = " ".join(re.sub(r"\\text\s*\{([^{}]*)\}|\$", r" \1 ", words).split())
    plain = plain.replace("≥", r"\geq ").replace("≠", r"\neq ")  # plain text's "(j ≥ 1)"
    pattern = r"\(?\s*((for|when|if)\s+(all\s+|every\s+)?)?(" + INDEX_CONDITION + r")\s*\)?\s*[.,:]?"
    return re.fullmatch(pattern, plain, re.IGNORECASE) is not None


_AT_ZERO = re.compile(r"\s*\(?\s*for\s+j\s*=\s*0\s*\)?\s*[.,]?\s*")


def condition(annotation: str | None, where: str = "the row"):
    """A row written "for j ≥ 1": both sides checked there only (times 1 − δ_j0), and the words that say so; a row
    written "for j = 0" (the condition only, as rows.py returns it) is checked at j = 0 (times δ_j0)."""
    if annotation and _AT_ZERO.fullmatch(annotation):
        return sp.KroneckerDelta(j, 0), f"checked at j = 0, as {where} says"
    if not restricts(annotation):
        return None
    return 1 - sp.KroneckerDelta(j, 0), f"checked for j ≥ 1, as {where} says"


ENTRY_J_WORDS = "read ∂/∂θ as ∂/∂θ_j (the right side is entry j)"


def step_sides(left, right, names):
    """Both sides comparable: the document's names put in, matrix forms element by element; what was assumed."""
    left, right, used = resolve(left, right, names)
    assumed = [d.words for d in used]
    bare_x = [side.has(x.label) and _bare(side, x.label) for side in (left, right)]
    if any(bare_x) and (_is_vector(left) or _is_vector(right)):  # dz/dw = x: the vector x, entry by entry
        left, right = (_bare(side, x.label, x[j]) for side in (left, right))
        assumed.append("read the vector x entry by entry, as x_j")
    rows = [_example_vectors(side) for side in (left, right)]
    if any(rows) and (_is_vector(left) or _is_vector(right)):  # Σ 2(wᵀx_i − y_i) x_i = (2/m)Xᵀ(Xw − y)
        left, right = (side.xreplace(row) for side, row in zip((left, right), rows, strict=True))
        assumed.append("read the vector x_i entry by entry, as x_j⁽ⁱ⁾")
    lhs, rhs, note = comparable(_primes_taken(left), _primes_taken(right))
    if note and _is_vector(left) and not _is_vector(right):
        assumed.append(ENTRY_J_WORDS)
    return lhs, rhs, note, assumed


def _example_vectors(side: sp.Basic) -> dict:
    """x_i written beside x_k⁽ⁱ⁾ (wᵀx_i read as θᵀx⁽ⁱ⁾): the features of example i, each to be read as entry j.

    >>> from derivation.core.notation import i, k
    >>> _example_vectors(x[i] * x[i, k])
    {x[i]: x[i, j]}
    """
    indexed = [a for a in side.atoms(sp.Indexed) if a.base == x]
    examples = {a.indices[0] for a in indexed if len(a.indices) == 2}
    return {a: x[a.indices[0], j] for a in indexed if len(a.indices) == 1 and a.indices[0] in examples}


def _primes_taken(side: sp.Basic) -> sp.Basic:
    """σ′(u) as read (dσ(t)/dt at t = u, a Subs, which the checker does not evaluate) taken: σ(u)(1 − σ(u))."""
    return side.replace(lambda e: isinstance(e, sp.Subs) and isinstance(e.expr, sp.Derivative), lambda e: e.doit())


def differentiated_name(side: sp.Basic, names: dict):
    """The document's name a step's left side differentiates by a parameter (∂L/∂w_j, ∂ℓ/∂θ), else None."""
    if not isinstance(side, sp.Derivative) or not all(v == Theta or _is_parameter(v) for v in side.variables):
        return None
    found = key_of(side.expr)
    return names.get(found[0]) if found else None


def undefined_name(*sides: sp.Basic) -> sp.Basic | None:
    """A bare name differentiated that nothing defines (∂L/∂ŷ with no L = … in the text), else None."""
    for side in sides:
        for d in side.atoms(sp.Derivative):
            found = key_of(d.expr)
            if found is None or d.expr in d.variables or getattr(found[0], "label", found[0]) in _NOTATION:
                continue
            return d.expr
    return None


_NOTATION = {theta.label, x.label, sp.Symbol("y", real=True), theta}


def _is_parameter(v: sp.Basic) -> bool:
    return isinstance(v, sp.Indexed) and v.base == theta


def comparable(lhs: sp.Expr, rhs: sp.Expr) -> tuple[sp.Expr, sp.Expr, str | None]:
    """Matrix-form sides compared through their element j (∂J/∂θ = Xᵀ(σ(Xθ) − y)/m, row j)."""
    if not (_is_vector(lhs) or _is_vector(rhs)):
        return _one_element(lhs), _one_element(rhs), None
    return _element(lhs), _element(rhs), "compared element by element: row j of both sides"


def _one_element(e: sp.Basic) -> sp.Basic:
    """c·[u]_j + d·[v]_j as the single element [c·u + d·v]_j (the checker evaluates a lone element only)."""
    if isinstance(e, MatrixElement) or not e.has(MatrixElement):
        return e
    parts = []
    for term in sp.Add.make_args(e):
        factors = sp.Mul.make_args(term)
        elements = [f for f in factors if isinstance(f, MatrixElement)]
        rest = sp.Mul(*(f for f in factors if not isinstance(f, MatrixElement)))
        if len(elements) != 1 or elements[0].j != 0 or elements[0].i != j or rest.has(j, MatrixElement):
            return e
        parts.append(rest * elements[0].parent)
    return MatrixElement(sp.Add(*parts) if len(parts) > 1 else parts[0], j, 0)


def _is_vector(e: sp.Basic) -> bool:
    if isinstance(e, sp.MatrixExpr):
        return True
    return any(v == Theta for d in e.atoms(sp.Derivative) for v in d.variables)


def _element(e: sp.Basic) -> sp.Basic:
    if isinstance(e, sp.MatrixExpr):
        return MatrixElement(e, j, 0) if e.shape[1] == 1 else MatrixElement(e, 0, j)
    e = e.replace(_of_matrix_form, _gradient_entry)
    return e.replace(  # ∂/∂θ anywhere in the side: its entry j (∂J/∂θ = Σ(…)∂h/∂θ, read entry by entry)
        lambda d: isinstance(d, sp.Derivative) and any(v == Theta for v in d.variables),
        lambda d: sp.Derivative(d.expr, *(theta[j] if v == Theta else v for v in d.variables), evaluate=False),
    )


def _of_matrix_form(d: sp.Basic) -> bool:
    """∂/∂θ of a 1×1 matrix expression (∇_θ (Xθ − y)ᵀ(Xθ − y)): not a sum the checker differentiates entry by entry."""
    return (
        isinstance(d, sp.Derivative)
        and d.variables == (Theta,)
        and isinstance(d.expr, sp.MatrixExpr)
        and d.expr.shape == (1, 1)
    )


def _gradient_entry(d: sp.Derivative) -> sp.Basic:
    """Entry j of the gradient, by the rules of matrix calculus (∂(aᵀθ)/∂θ = a, ∂(θᵀAθ)/∂θ = (A + Aᵀ)θ).

    Left as it was when those rules do not give a column vector of θ's shape (σ(Xθ) and the like).
    """
    try:
        gradient = d.expr.diff(Theta)
    except (TypeError, ValueError, NotImplementedError, AttributeError):
        gradient = None
    if not isinstance(gradient, sp.MatrixExpr) or gradient.shape != Theta.shape or gradient.has(sp.Derivative):
        return _by_entries(d)
    return MatrixElement(gradient, j, 0)


def _by_entries(d: sp.Derivative) -> sp.Basic:
    """∂/∂θ_j of the 1×1 matrix written out by entries (𝟏ᵀlog(𝟏 + e^{Xθ}) → Σ_i log(1 + e^{θᵀx⁽ⁱ⁾})), which the
    checker differentiates; ``d`` as it was when it has no such form."""
    try:
        scalar = lower(d.expr)
    except (MatrixCostError, TypeError, ValueError, NotImplementedError, AttributeError):
        return d
    return sp.Derivative(scalar, theta[j], evaluate=False)


def _bare(expr: sp.Basic, symbol: sp.Symbol, value: sp.Basic | None = None):
    """With ``value``: ``symbol`` replaced where it stands alone (not as the name of x_k); without: whether it does."""
    found = []

    def visit(node):
        if isinstance(node, (sp.Indexed, sp.IndexedBase)):
            return node
        if node == symbol:
            found.append(node)
            return value if value is not None else node
        return None

    out = transform(expr, visit)
    return out if value is not None else bool(found)


def sides_of(left, right, names: dict):
    """:func:`step_sides`, memoised: the same step in another copy of a document is resolved once."""
    try:
        return _memo_sides(left, right, tuple(names.items()))
    except TypeError:  # a mutable matrix: not hashable
        return step_sides(left, right, names)


@lru_cache(maxsize=4096)
def _memo_sides(left, right, names: tuple):
    lhs, rhs, note, assumed = step_sides(left, right, dict(names))
    return lhs, rhs, note, tuple(assumed)


@lru_cache(maxsize=4096)
def verdict_of(lhs: sp.Expr, rhs: sp.Expr, seed: int, labels: tuple[float, float] | None = None) -> Verdict:
    """``lhs = rhs`` at sampled points; with ``labels`` (0/1, ±1) every label y⁽ⁱ⁾ takes one of those two values."""
    if labels is None:
        return checked_equality(lhs, rhs, seed)
    from ..oracle.policy import binary_labels

    with binary_labels(labels):
        return checked_equality(lhs, rhs, seed)


__all__ = [
    "ENTRY_J_WORDS",
    "comparable",
    "condition",
    "only_a_condition",
    "restricts",
    "differentiated_name",
    "step_sides",
    "undefined_name",
    "sides_of",
    "verdict_of",
]
