r"""Solving ∇J = 0 in a written derivation: which lines are equations to solve, and the minimiser they hold at.

"Setting the gradient of $J$ to zero: ∇J = (1/m)Xᵀ(Xθ − y) = 0 ⇒ XᵀXθ = Xᵀy ⇒ θ = (XᵀX)⁻¹Xᵀy": the "= 0" and
the lines after ⇒ (\iff, \Rightarrow, "hence") are equations in θ, not identities.  Such a line is right when it
holds at the true minimiser θ* of the model's cost; for a cost whose gradient is affine in θ (least squares, ridge)
θ* = −H⁻¹∇J(0) with H = ∂∇J/∂θ, a formula of the data the checker evaluates on its sampled data
(:func:`optimum`).  At the checker's sizes (m = 3, n = 2) X is square and Xθ = y holds at θ*, so every check at
θ* is repeated at a second size where m > n + 1 (:func:`second_size_failure`).
"""

from __future__ import annotations

import re
from functools import lru_cache

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.notation import Theta, m, n, theta
from ..core.steps import Verdict
from ..oracle.policy import complex_or_float
from .diagnose import Evaluator
from .factors import SECOND_SIZES

# "Setting the gradient to zero:", "equating the derivative to 0 gives": the display is an equation to solve
TO_ZERO = re.compile(
    r"\b(set|sets|setting|equat\w*|putting)\s+(\w+\s+){0,3}?(gradient|derivatives?|∇|\\nabla|partials?)\b"
    r"[^.$]{0,40}?\b(to|equal\s+to|=)\s*(zero|0)\b",
    re.IGNORECASE,
)
# ⇒, \iff, "hence" opening the text between two equations: the second follows from the first
IMPLIES = re.compile(
    r"^[\s,.;:$&]*(\\(quad|qquad|;|,|:|\\)\s*&?\s*)*"
    r"(\\Rightarrow|\\implies|\\Longrightarrow|⇒|=>|\\iff|\\Leftrightarrow|\\Longleftrightarrow|⇔|\\therefore|∴"
    r"|(\\text\s*\{\s*)?(hence|thus|therefore|so|which gives|this gives|giving|rearranging|solving for)\b)",
    re.DOTALL | re.IGNORECASE,
)
_ZERO = re.compile(r"^\s*(\\(mathbf|boldsymbol|bm|vec)\s*\{?\s*0\s*\}?|0)\s*$")
_SPACING = re.compile(r"\\(q?quad|[,;:!])|&")
_INLINE = re.compile(r"(?<!\$)\$(?!\$)[^$]*\$(?!\$)")  # $…$ inside a sentence: a word of it
_SENTENCE_END = re.compile(r"[.!?](\s|$)|\n\s*\n")


def is_zero(latex: str) -> bool:
    r"""0, \mathbf{0}, \vec 0: the right side of ∇J = 0 (spacing around it, ``0 \quad``, left out)."""
    return bool(_ZERO.match(_SPACING.sub(" ", latex)))


def said_to_zero(text: str, since: int, start: int) -> bool:
    """Whether the sentence just before ``start`` (after ``since``, the end of the display before) sets a gradient
    to zero ("Setting the gradient of $J$ to zero:"), formulas inside the sentence read as words."""
    before = _INLINE.sub(" J ", text[max(since, start - 600) : start])
    before = re.sub(r"\\begin\s*\{\s*(align|aligned|equation|gather)\*?\s*\}\s*$|\$\$\s*$|\\\[\s*$", "", before)
    ends = list(_SENTENCE_END.finditer(before.rstrip()))
    sentence = before[ends[-1].end() :] if ends else before
    return bool(TO_ZERO.search(sentence))


def inline(text: str, start: int) -> bool:
    """Whether the formula starting at ``start`` is an inline ``$…$`` (a word of its sentence), not a display."""
    before = text[:start].rstrip()
    return before.endswith("$") and not before.endswith("$$")


@lru_cache(maxsize=64)
def optimum(gradient: sp.MatrixExpr | None) -> sp.MatrixExpr | None:
    """θ* = −H⁻¹∇J(0), the zero of a gradient ∇J(θ) = Hθ + ∇J(0) affine in θ; None for any other gradient
    (σ(Xθ) of logistic regression has no closed-form zero)."""
    if gradient is None or not gradient.has(Theta):
        return None
    try:
        hessian = sp.diff(gradient, Theta)
    except (TypeError, ValueError, NotImplementedError, AttributeError, sp.ShapeError):
        return None
    if not isinstance(hessian, sp.MatrixExpr) or hessian.has(Theta) or hessian.shape != (Theta.shape[0],) * 2:
        return None
    at_zero = gradient.xreplace({Theta: sp.ZeroMatrix(*Theta.shape)})
    return sp.MatMul(-1, sp.Inverse(hessian), at_zero)


def at_optimum(side: sp.Basic, solved: sp.MatrixExpr) -> sp.Basic:
    """``side`` with θ (the vector, or its entries θ_j) put equal to ``solved``."""
    side = side.xreplace({Theta: solved})
    return side.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == theta and len(e.indices) == 1,
        lambda e: MatrixElement(solved, e.indices[0], 0),
    )


def second_size_failure(lhs: sp.Basic, rhs: sp.Basic, seed: int) -> Verdict | None:
    """A failing verdict when ``lhs = rhs`` does not hold at m = 5, n = 3 (where X is not square), else None.

    At the checker's m = 3, n = 2, X is square: every θ with Xθ = y minimises the least-squares cost, so a claim that
    holds at θ* there (Xθ = y, θ = Xᵀ(XXᵀ)⁻¹y) may hold for no other m."""
    evaluator = Evaluator(seed, sizes=SECOND_SIZES)
    left, right = evaluator.values(lhs), evaluator.values(rhs)
    if left is None or right is None:
        return None
    for point, (a, b) in enumerate(zip(left, right, strict=True)):
        if not evaluator.same((a,), (b,)):
            example = evaluator.leaves.describe(point) | {"lhs": complex_or_float(a), "rhs": complex_or_float(b)}
            detail = f"sides differ at a sampled point at m = {SECOND_SIZES[m]}, n = {SECOND_SIZES[n]}, seed {seed}"
            return Verdict("fails", "numeric", detail, example)
    return None
