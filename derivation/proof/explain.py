"""What a checked step is, beyond its verdict: the rule a holding step applied (and whether the rule the user wrote
on its ``=`` is that one), and why a failing step fails (inherited from the step before, true only for j ≥ 1, for
one example or for labels summing to 1 the text does not state, or a slip :mod:`.diagnose` names)."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.notation import j, lam, theta
from ..core.notation import y as y_indexed
from ..parsing.atoms import CATCH
from ..printing.expr import to_unicode
from .claims import check_claim
from .compare import only_a_condition, sides_of, verdict_of
from .diagnose import Diagnosis, diagnose
from .document import defines_a_name
from .facts import labels_summing_to_one
from .nearmiss import near_misses
from .read import chain_context
from .recognise import recognise
from .report import FAILS, HOLDS, ProofStep

_FROM_ONE_WORDS = "holds for j ≥ 1 only, not at j = 0: write (j ≥ 1) beside the row, and j = 0 on its own"


_NO_PENALTY = " (the penalty leaves θ₀ out: ∂J/∂θ₀ has no λ term; Σ_{j=0}^{n} in J if θ₀ is penalised too)"


def explain_step(
    step: ProofStep, lhs, rhs, reading, done: list[ProofStep], read, k: int, seed: int, document
) -> ProofStep:
    if step.status == HOLDS:
        # "where p_i = …" and "for j ≥ 1" are no rule
        claimed = None if defines_a_name(step.annotation) or only_a_condition(step.annotation) else step.annotation
        recognition, claim = explain_holding(lhs, rhs, reading, step.lhs, step.rhs, claimed)
        return replace(step, recognition=recognition, claim=claim)
    if step.status != FAILS:
        return step
    if done and done[-1].status == FAILS and k >= 1 and not isinstance(read[k - 1], str):
        try:
            earlier, _, _, _ = sides_of(read[k - 1], read[k + 1], document.names_at(step.start, reading[1]))
        except CATCH:
            earlier = None
        if earlier is not None and verdict_of(earlier, rhs, seed).ok:
            message = (
                f"inherited: the right side equals the left side of step {done[-1].number}, whose right side is wrong"
            )
            return replace(step, diagnosis=Diagnosis("inherited", message))
    from_one = 1 - sp.KroneckerDelta(j, 0)
    if _by_theta_j(lhs) and not lhs.has(from_one) and verdict_of(lhs * from_one, rhs * from_one, seed).ok:
        return replace(step, diagnosis=Diagnosis("j = 0", _FROM_ONE_WORDS + (_NO_PENALTY if rhs.has(lam) else "")))
    summed = _summed(lhs, rhs, seed, document, reading[0]) if reading[1] and document.summed else None
    unsaid = summed or _unsaid(lhs, rhs, read[k : k + 2], step.start, seed, document, reading[1])
    if unsaid is not None:
        return replace(step, diagnosis=unsaid)
    near = _near_misses(read[k], read[k + 1], document.names_at(step.start, reading[1]), rhs)
    return replace(step, diagnosis=diagnose(lhs, rhs, seed=seed, near=near))


_ONE_EXAMPLE_HINT = (
    "holds for one training example (x, y), but {name} is defined as the sum over the m examples: say the "
    "derivation is for one training example, or differentiate the sum"
)


_LABELS_HINT = "holds when the labels sum to 1 (a one-hot y): say so (Σ_k y_k = 1) before the step that uses it"


_SUMMED_HINT = (
    "holds for one training example (x, y), but J (line {line}) is defined as the {what} over the m examples: {lost} "
    "missing (∂J/∂θ_j = {factor}Σᵢ of this with x⁽ⁱ⁾, y⁽ⁱ⁾): write them, or say the derivation is for one "
    "training example"
)


def _summed(lhs, rhs, seed: int, document, hypothesis: str) -> Diagnosis | None:
    """A failing step of a one-example chain that holds with J read as one example's cost, while the text defines J
    as the (mean) sum over the examples: the Σ (and the 1/m) were dropped."""
    mean = document.context_of(True).costs.get("J")
    one = chain_context(hypothesis, True, document.own_cost).costs.get("J")
    if mean is None or one is None or mean == one or not (lhs.has(mean) or rhs.has(mean)):
        return None
    if not verdict_of(lhs.xreplace({mean: one}), rhs.xreplace({mean: one}), seed).ok:
        return None
    line, averaged = document.summed
    words = {"what": "mean", "lost": "the Σ and the 1/m are", "factor": "(1/m) "} if averaged else {
        "what": "sum", "lost": "the Σ is", "factor": ""}  # fmt: skip
    return Diagnosis("one example", _SUMMED_HINT.format(line=line, **words))


def _unsaid(lhs, rhs, sides, start: int, seed: int, document, example: bool) -> Diagnosis | None:
    """A failing step that holds under what the text does not say: one training example, labels summing to 1."""
    if example and not document.one_example:
        said, unsaid = document.names_at(start, example), document.names_at(start, example, one_example=True)
        changed = [d for key, d in unsaid.items() if said.get(key) != d]
        try:
            alternative = sides_of(*sides, unsaid)[:2] if changed else None
        except CATCH:
            alternative = None
        if alternative is not None and verdict_of(*alternative, seed).ok:
            name = to_unicode(changed[0].key) + (f" (line {changed[0].line})" if changed[0].line else "")
            return Diagnosis("one example", _ONE_EXAMPLE_HINT.format(name=name))
    if document.labels_sum_line is None and (lhs.has(y_indexed) or rhs.has(y_indexed)):
        if verdict_of(labels_summing_to_one(lhs), labels_summing_to_one(rhs), seed).ok:
            return Diagnosis("labels", _LABELS_HINT)
    return None


def _by_theta_j(side: sp.Basic) -> bool:
    """True when the side differentiates by θ_j itself (∂J/∂θ_j), not by an entry of a matrix form."""
    return not side.has(MatrixElement) and any(v == theta[j] for d in side.atoms(sp.Derivative) for v in d.variables)


def _near_misses(left, right, names: dict, rhs):
    """Near misses of the user's right side (:mod:`.nearmiss`), resolved one at a time as the diagnosis asks."""
    if isinstance(right, str) or not isinstance(right, sp.Expr) or right.has(sp.MatrixExpr) or not names:
        return  # near misses are of a network's scalar steps, written with the document's names
    try:
        if sides_of(left, right, names)[1] != rhs:
            return  # a restriction (j ≥ 1) was put on the sides: the near misses are not comparable
        candidates = near_misses(right, names)
    except CATCH:
        return
    for changed, kind, words in candidates:
        try:
            yield sides_of(left, changed, names)[1], kind, words
        except CATCH:
            continue


@lru_cache(maxsize=1024)
def explain_holding(lhs, rhs, reading: tuple[str, bool], lhs_text: str, rhs_text: str, annotation: str | None):
    context = chain_context(*reading)
    recognition = recognise(lhs, rhs, context, (lhs_text, rhs_text))
    claim = check_claim(annotation, lhs, rhs, recognition, context) if annotation else None
    return recognition, claim


__all__ = ["explain_holding", "explain_step"]
