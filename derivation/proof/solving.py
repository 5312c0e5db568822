r"""Solving ∇J = 0 in a written derivation: which lines are equations to solve, and the minimiser they hold at.

"Setting the gradient of $J$ to zero: ∇J = (1/m)Xᵀ(Xθ − y) = 0 ⇒ XᵀXθ = Xᵀy ⇒ θ = (XᵀX)⁻¹Xᵀy": the "= 0" and
the lines after ⇒ (\iff, \Rightarrow, "hence") are equations in θ, not identities.  Such a line is right when it
holds at the true minimiser θ* of the model's cost; for a cost whose gradient is affine in θ (least squares, ridge)
θ* = −H⁻¹∇J(0) with H = ∂∇J/∂θ, a formula of the data the checker evaluates on its sampled data
(:func:`optimum`).  At the checker's sizes (m = 3, n = 2) X is square and Xθ = y holds at θ*, so every check at
θ* is repeated at a second size where m > n + 1 (:func:`second_size_failure`).  The steps: a claimed minimiser
(:func:`minimiser_step`), an equation after ⇒ (:func:`equation_step`), the line after "setting the gradient to
zero" (:func:`solution_step`).
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.notation import Theta, X, j, m, n, theta
from ..core.status import ProofStatus
from ..core.steps import Verdict
from ..models import MODELS
from ..oracle.policy import complex_or_float
from ..parsing.atoms import CATCH
from ..printing.expr import to_unicode
from .compare import sides_of, verdict_of
from .diagnose import Diagnosis, Evaluator, diagnose
from .document import LONE_NAME, Document
from .extract import Chain
from .factors import SECOND_SIZES
from .interpret import chain_variable
from .ones import NO_INTERCEPT, ONES_SAID, X0_OTHER, bias_of_ones, with_ones
from .refusals import misfit, unread_side
from .report import DEFINITION, FAILS, HOLDS, NOT_UNDERSTOOD, UNDECIDED, ProofStep, step_fields
from .update import is_update

# "Setting the gradient to zero:", "equating the derivative to 0 gives": the display is an equation to solve
TO_ZERO = re.compile(
    r"\b(set|sets|setting|equat\w*|putting)\s+(\w+\s+){0,3}?(gradient|derivatives?|∇|\\nabla|partials?)\b"
    r"[^.$]{0,40}?\b(to|equal\s+to|=)\s*(zero|0)\b",
    re.IGNORECASE,
)
# "At the minimum the gradient vanishes:", "the derivatives are zero there"
_VANISHES = re.compile(
    r"\b(gradient|derivatives?|∇|\\nabla|partials?)\s+(vanish(es)?|(is|are|becomes?|must\s+be)\s+(zero|0))\b",
    re.IGNORECASE,
)
# "Setting it to zero", "We set it equal to zero and solve for θ"
_IT_TO_ZERO = re.compile(
    r"\b(set|sets|setting|putting|equating)\s+(it|this|them|these|this\s+gradient)\s+(equal\s+)?(to\s+)?(zero|0)\b",
    re.IGNORECASE,
)
_GRADIENT_WORD = re.compile(r"\b(gradient|derivatives?|partials?)\b|∇|\\nabla", re.IGNORECASE)
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


def said_to_zero(text: str, since: int, start: int, after_gradient: bool = False) -> bool:
    """Whether the sentence just before ``start`` (after ``since``, the end of the display before) sets a gradient
    to zero ("Setting the gradient of $J$ to zero:"), formulas inside the sentence read as words.  "Setting it to
    zero:" sets the gradient to zero when the words before name one, or (``after_gradient``) when the display just
    before is ∇J = … (CS229's layout: the gradient in its own display, then "Setting it to zero:")."""
    before = _INLINE.sub(" J ", text[max(since, start - 600) : start])
    before = re.sub(r"\\begin\s*\{\s*(align|aligned|equation|gather)\*?\s*\}\s*$|\$\$\s*$|\\\[\s*$", "", before)
    ends = list(_SENTENCE_END.finditer(before.rstrip()))
    sentence = before[ends[-1].end() :] if ends else before
    if TO_ZERO.search(sentence) or _VANISHES.search(sentence):
        return True
    # "the gradient is ∇J = …. Setting it to zero:": "it" is the gradient the window before names
    named = after_gradient or bool(_GRADIENT_WORD.search(before[: len(before) - len(sentence)]))
    return named and bool(_IT_TO_ZERO.search(sentence))


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


# (1/2m)(2XᵀXθ − 2Xᵀy) = 0 ⇔ XᵀXθ = Xᵀy: k = m; ∇J = 0 itself: k = 1
_MULTIPLES = (1, -1, m, -m, 2, sp.Rational(1, 2), m / 2, 2 * m, 1 / m, -1 / m, 1 / (2 * m))


def equation_step(text: str, chain: Chain, k: int, number: int, before: int, document: Document, model, gradient, seed):
    """``XᵀXθ = Xᵀy`` after "setting the gradient to zero" (or ⇒ from such a line): an equation to solve, never an
    identity in θ.  Checked where it must hold, at the minimiser θ* of the model's cost when its gradient is affine
    (:func:`~.solving.optimum`); else as ∇J = 0 rearranged (left − right a multiple of the ∇J written before);
    else None (the caller says so).  One that holds for every θ (0 = 0) has lost the equation: it fails."""
    relation, left, right = chain.relations[k], chain.sides[k], chain.sides[k + 1]
    base = step_fields(text, relation, number, before + 1, QUAD_PREFIX.sub("", left.latex), right.latex)
    variable = chain_variable([side.text for side in chain.sides])
    readings = [document.read(side, False, variable) for side in (left, right)]
    unread = [(name, r) for name, r in zip(("left", "right"), readings, strict=True) if r.error is not None]
    if unread:
        return ProofStep(status=NOT_UNDERSTOOD, unreadable=unread_side(text, *unread[0]), **base)
    try:
        lhs, rhs, _, _ = sides_of(readings[0].expr, readings[1].expr, document.names_at(relation.start))
    except CATCH:
        return ProofStep(status=NOT_UNDERSTOOD, unreadable=misfit(text, relation.start), **base)
    base |= {
        "interpretations": tuple(dict.fromkeys(readings[0].interpretations + readings[1].interpretations)),
        "reading": (to_unicode(readings[0].expr), to_unicode(readings[1].expr)),
    }
    matrix = _matrix_gradient(model if document.named else None)
    sides = _gradient_put_in(lhs, rhs, matrix, seed) if optimum(matrix) is not None else None
    solved = None if sides is None else _at_minimiser(*sides, optimum(matrix), base, seed)
    if solved is not None and solved.status == FAILS and gradient is not None:  # Σ(θᵀx⁽ⁱ⁾ − y⁽ⁱ⁾) = 0: x₀ drawn
        entry = _intercept_step(text, lhs, rhs, gradient, base, seed)
        solved = entry if entry is not None else solved
    if solved is not None:
        return _scaled_gradient(solved, lhs, rhs, matrix, seed)
    if gradient is not None:
        return _rearranged(text, lhs, rhs, gradient, base, seed)
    return None


_SCALES = (sp.Integer(2), sp.Rational(1, 2), sp.Integer(-1), m, 1 / m, 2 * m, 1 / (2 * m))
_SCALED_WORDS = (
    "the left side is {factor}·∇J, not ∇J (J of the model, --hypothesis or the text's J): the equation holds at θ* "
    "all the same, but as a gradient it is off by the factor {factor}"
)


def _scaled_gradient(step: ProofStep, lhs, rhs, matrix, seed: int) -> ProofStep:
    """``step`` (lhs = 0 held at θ*) with a warning where lhs is c·∇J for a constant c ≠ 1 ((2/m)Xᵀ(Xθ − y) = 0 for
    J = (1/2m)‖Xθ − y‖²): the zero is the same, the gradient written is not."""
    if step.status != HOLDS or matrix is None or not (rhs == 0 or isinstance(rhs, sp.ZeroMatrix)):
        return step

    def entry(gradient):  # ∇J's entry j where the side is one (read entry by entry)
        return MatrixElement(gradient, *lhs.args[1:]) if isinstance(lhs, MatrixElement) else gradient

    try:
        if verdict_of(lhs, entry(matrix), seed).ok:
            return step
        for factor in _SCALES:
            if verdict_of(lhs, entry(factor * matrix), seed).ok:
                words = _SCALED_WORDS.format(factor=to_unicode(factor))
                return dataclasses.replace(step, warnings=(*step.warnings, words))
    except CATCH:
        return step
    return step


_NAME_THE_MODEL = "name the model, --hypothesis linear, or write the cost J(θ) = … and its gradient"


QUAD_PREFIX = re.compile(r"^(\s*\\q?quad\s*)+")


_LOST_WORDS = (
    "holds for every θ, so it says nothing about θ: the equation ∇J = 0 was lost on the way (a term that cancels "
    "or was dropped?)"
)


def _at_minimiser(lhs, rhs, solved, base: dict, seed: int) -> ProofStep | None:
    """The equation ``lhs = rhs`` at θ = ``solved`` (θ*), at the checker's sizes and at a second size; None when it
    has no θ to put in (and is no identity)."""
    if verdict_of(lhs, rhs, seed).ok:
        verdict = Verdict(FAILS, "numeric", "equal for every θ: no equation left to solve")
        note = "an equation to solve, not an identity: none is left to solve"
        return ProofStep(status=FAILS, verdict=verdict, note=note, diagnosis=Diagnosis("lost θ", _LOST_WORDS), **base)
    left, right = at_optimum(lhs, solved), at_optimum(rhs, solved)
    if left == lhs and right == rhs:  # ∑(x_i − μ) = 0: an equation in another unknown than θ, not solved here
        return None
    verdict = verdict_of(left, right, seed)
    if verdict.ok:
        verdict = second_size_failure(left, right, seed) or verdict
    if verdict.ok:
        note = "an equation to solve, not an identity: it holds at the minimiser θ* of J, where ∇J = 0 (sampled data)"
        return ProofStep(status=HOLDS, verdict=verdict, note=note, **base)
    note = "an equation to solve, not an identity: it does not hold at the minimiser θ* of J, where ∇J = 0"
    if verdict.status != FAILS:
        return ProofStep(status=ProofStatus(verdict.status), verdict=verdict, note=note, **base)
    note += " (the sides below are at θ*)"
    try:
        diagnosis = diagnose(left, right, seed=seed)
    except CATCH:
        diagnosis = None
    return ProofStep(status=FAILS, verdict=verdict, note=note, diagnosis=diagnosis, **base)


def _gradient_put_in(lhs, rhs, matrix, seed: int) -> tuple[sp.Basic, sp.Basic] | None:
    """The sides with each ∂J/∂θ_j written in them replaced by the model's gradient (row j), when it is that;
    None when a derivative is left that is not."""
    derivatives = lhs.atoms(sp.Derivative) | rhs.atoms(sp.Derivative)
    if not derivatives:
        return lhs, rhs
    try:
        row, _, _, _ = sides_of(matrix, matrix, {})
    except CATCH:
        return None
    swap = {d: row for d in derivatives if verdict_of(d, row, seed).ok}
    if len(swap) != len(derivatives):
        return None
    return lhs.xreplace(swap), rhs.xreplace(swap)


def _rearranged(text: str, lhs, rhs, gradient, base: dict, seed: int) -> ProofStep:
    """The equation as ∇J = 0 rearranged: left − right a multiple of the ∇J written before (no minimiser known); a
    number equation (no entry j) as the θ₀ entry of ∇J = 0 with x₀⁽ⁱ⁾ = 1 (Σσ(θᵀx⁽ⁱ⁾) = Σy⁽ⁱ⁾ for logistic
    regression), unless the text gives x₀ another value or says there is no intercept."""
    grad, line = gradient
    try:
        difference = lhs - rhs
        scale, verdict = _multiple(difference, grad, seed)
    except CATCH:
        return ProofStep(status=UNDECIDED, verdict=Verdict(UNDECIDED, "none", "not comparable with ∇J"), **base)
    entry = ""
    if verdict is None and _intercept_entry(text, difference, grad):
        if J_FROM_ONE.search(text):
            # the row written is for j ≥ 1 (θ₀ unpenalised): j = 0 in it is not the θ₀ entry (review 13 F0 was a ✓)
            note = (f"the θ₀ entry of ∇J = 0 is not written: line {line}'s ∂J/∂θ_j is for j ≥ 1 only (or the penalty "
                    "starts at j = 1); write ∂J/∂θ₀ = … to have this row checked")  # fmt: skip
            return ProofStep(status=UNDECIDED, verdict=Verdict(UNDECIDED, "none", note), note=note, **base)
        try:
            scale, verdict = _multiple(with_ones(difference), with_ones(bias_of_ones(grad.subs(j, 0))), seed)
        except CATCH:
            scale, verdict = None, None
        entry = f"the θ₀ entry ({THETA0_ENTRY_WORDS}) of "
    if verdict is None:
        note = (f"an equation to solve, not an identity: it is not ∇J = 0 of line {line} (left − right is no multiple "
                f"of ∇J: compared here with ∇J)")  # fmt: skip
        verdict = verdict_of(difference, grad, seed)
        return ProofStep(status=ProofStatus(verdict.status), verdict=verdict, note=note, **base)
    times = "" if scale == 1 else f" multiplied by {to_unicode(scale)}"
    if not entry and line == base.get("line") and scale == 1 and rhs == 0:
        note = "an equation to solve, not an identity: ∇J = 0, the condition the minimiser θ* meets"
    else:
        note = f"an equation to solve, not an identity: it is {entry}∇J = 0 of line {line}{times}, rearranged"
    return ProofStep(status=HOLDS, verdict=verdict, note=note, **base)


def _intercept_step(text: str, lhs, rhs, gradient, base: dict, seed: int) -> ProofStep | None:
    """A number equation that fails at θ* with x₀⁽ⁱ⁾ drawn (Σ(θᵀx⁽ⁱ⁾ − y⁽ⁱ⁾) = 0 for linear regression) checked as the
    θ₀ entry of the ∇J written (∂J/∂θ_j of it at j = 0, x₀⁽ⁱ⁾ = 1), as :func:`_rearranged` does for logistic
    regression; None when it is no such entry (the step at θ* stands)."""
    grad, line = gradient
    by_entry = grad.replace(
        lambda d: isinstance(d, sp.Derivative) and Theta in d.variables, lambda d: sp.Derivative(d.expr, theta[j])
    )
    try:
        difference = lhs - rhs
    except CATCH:
        return None
    if not _intercept_entry(text, difference, by_entry):
        return None
    step = _rearranged(text, lhs, rhs, (by_entry, line), base, seed)
    return step if step.status == HOLDS else None


THETA0_ENTRY_WORDS = "x₀⁽ⁱ⁾ = 1: θ₀ the intercept, its feature the column of ones"
# x⁽ⁱ⁾ = (x_1, …, x_n) or θ, w, x ∈ ℝⁿ (not ℝ^{n+1}): the features start at 1 and there is no x₀ (review 14 F2)
FEATURES_FROM_ONE = re.compile(
    r"=\s*\(\s*x\s*_\s*\{?\s*1\s*\}?(?:\s*\^\s*\{\s*\(\s*i\s*\)\s*\})?\s*,"
    r"|\\in\s*\\mathbb\s*\{?\s*R\s*\}?\s*\^\s*(?:\{\s*n\s*\}|n)(?!\s*\+)(?![A-Za-z0-9])|∈\s*ℝⁿ(?!⁺)"
)
# A gradient row or penalty that leaves θ₀ out: "(j ≥ 1)", "for j = 1, …, n", "j > 0", Σ_{j=1}^n θ_j²
J_FROM_ONE = re.compile(
    r"j\s*(?:\\geq?|\\geqslant|≥|>=)\s*1|j\s*(?:>|\\gt)\s*0|j\s*=\s*1\s*,\s*(?:\\[lc]?dots|…|\.\.\.|2)"
    r"|j\s*=\s*1\s*(?:\.\.|:|\\ldots|to)\s*n|j\s*\\in\s*\\\{\s*1|\\sum_\{?\s*j\s*=\s*1\s*\}?\s*\^\{?\s*n\s*\}?\s*\\?theta_\{?j\}?\s*\^\{?2",
)


def _multiple(difference, grad, seed: int):
    """(k, verdict) for the first k of :data:`_MULTIPLES` with difference = k·grad on sampled data, else None twice."""
    for k in _MULTIPLES:
        verdict = verdict_of(difference, k * grad, seed)
        if verdict.ok:
            return k, verdict
    return None, None


def _intercept_entry(text: str, difference, grad) -> bool:
    """Whether ``difference`` = 0 may be the θ₀ entry of ∇J = 0: a number (no feature index j) where ∇J is written
    entry by entry (∂J/∂θ_j), in a text that does not give x₀ another value or deny an intercept."""
    if isinstance(difference, sp.MatrixExpr) or difference.has(j) or not grad.has(j):
        return False
    if FEATURES_FROM_ONE.search(text) and ONES_SAID.search(text) is None:  # x = (x_1, …, x_n), θ ∈ ℝⁿ: no x₀
        return False
    return X0_OTHER.search(text) is None and NO_INTERCEPT.search(text) is None


def _matrix_gradient(model) -> sp.MatrixExpr | None:
    """The model's gradient in matrix form (1/m)Xᵀ(Xθ − y), or None (no model named, or no matrix form)."""
    if model is None:
        return None
    return (MODELS[model] if isinstance(model, str) else model).matrix_gradient


def minimiser_step(text: str, base: dict, readings, model, seed: int) -> ProofStep | None:
    """``θ = (XᵀX)⁻¹Xᵀy``: the parameter set to a formula of the data claims the minimiser, checked as ∇J = 0 there
    (the model's matrix gradient at it, on sampled data, at two sizes); None when the chain is no such claim."""
    if readings[0].error is not None or not _is_parameter(readings[0].expr):
        return None
    if readings[1].error is not None:  # θ = (XᵀX)⁻¹Xy: a claim that cannot be read is not a definition either
        if not re.search(r"(?<![A-Za-z\\])X(?![A-Za-z])", base["rhs"]):
            return None
        if readings[1].error.message.startswith(_NO_PRODUCT):  # θ = Xᵀy(XᵀX)⁻¹: a product that is not defined
            shapes = readings[1].error.message
            verdict = Verdict(FAILS, "symbolic", shapes)
            diagnosis = Diagnosis("shapes", f"{shapes}: the right side is no vector θ (the factors in another order?)")
            note = "not the minimiser: no vector θ is written"
            return ProofStep(status=FAILS, verdict=verdict, note=note, diagnosis=diagnosis, **base)
        return ProofStep(status=NOT_UNDERSTOOD, unreadable=unread_side(text, "right", readings[1]), **base)
    solved = readings[1].expr
    if not isinstance(solved, sp.MatrixExpr) or solved.has(Theta) or not solved.has(X) or solved.shape != Theta.shape:
        return None
    gradient = _matrix_gradient(model)
    if gradient is None:  # the default hypothesis, or a cost without a matrix form: the claim stays open
        verdict = Verdict(UNDECIDED, "none", "no cost in matrix form to take the gradient of")
        note = "a claimed minimiser, not checked: name the model (--hypothesis linear) or write the cost J(θ) = …"
        return ProofStep(status=UNDECIDED, verdict=verdict, note=note, **base)
    try:
        lhs, rhs, _, _ = sides_of(gradient.xreplace({Theta: solved}), sp.ZeroMatrix(*gradient.shape), {})
        verdict = verdict_of(lhs, rhs, seed)
        if verdict.ok:  # X is square at m = 3, n = 2: θ = Xᵀ(XXᵀ)⁻¹y is the minimiser there only
            verdict = second_size_failure(lhs, rhs, seed) or verdict
    except CATCH:
        return None
    if verdict.ok:
        note = "the minimiser: ∇J is zero at this θ (checked on sampled data)"
    else:
        note = "not the minimiser: ∇J is not zero at this θ (the left side below is ∇J there)"
    reading = (to_unicode(readings[0].expr), to_unicode(solved))
    return ProofStep(status=ProofStatus(verdict.status), verdict=verdict, note=note, reading=reading, **base)


_NO_PRODUCT = "shapes do not match for a product"


def _is_parameter(name: sp.Basic) -> bool:
    """θ, w or β alone on a definition's left (read as the name it defines, or as θ): the model's parameters."""
    return name == Theta or (isinstance(name, sp.Symbol) and re.sub(r"[^a-z]", "", name.name) in _PARAMETER_NAMES)


_PARAMETER_NAMES = frozenset(("theta", "w", "beta", "thetahat", "hattheta", "what", "hatw", "hatbeta", "betahat"))


def solvable(chain: Chain, document: Document) -> bool:
    """Whether a chain can be an equation to solve: no update rule, no definition of a name but the parameters'."""
    left = chain.sides[0]
    if is_update(chain):
        return False
    if LONE_NAME.match(left.latex) is None:  # XᵀXθ = Xᵀy; not J(θ) = …, h_θ(x) = …: the text's names
        return True
    if len(chain.relations) > 1:
        return False
    reading = document.read(left, False, chain_variable([side.text for side in chain.sides]))
    return reading.error is None and _is_parameter(reading.expr)


def solution_step(text: str, chain: Chain, number: int, before: int, line: int | None, document, model, gradient, seed):
    """``⇒ w = (XᵀX + λI)⁻¹Xᵀy`` after the condition ∇J = 0: its solution, checked as ∇J = 0 there
    (:func:`minimiser_step`) when the model's gradient has a matrix form, else said so, not checked; ``⇒ XᵀXθ = Xᵀy``,
    not solved for θ yet: an equation to solve (:func:`equation_step`)."""
    relation, (left, right) = chain.relations[0], chain.sides
    base = step_fields(text, relation, number, before + 1, QUAD_PREFIX.sub("", left.latex), right.latex)
    variable = chain_variable([side.text for side in chain.sides])
    readings = [document.read(side, False, variable) for side in chain.sides]
    solved = minimiser_step(text, base, readings, model if document.named else None, seed)
    if solved is None:
        equation = equation_step(text, chain, 0, number, before, document, model, gradient, seed)
        if equation is not None or line is None:
            return equation
        verdict = Verdict(UNDECIDED, "none", "no cost whose minimiser has a closed form")
        note = f"an equation to solve after line {line}, not an identity: not checked ({_NAME_THE_MODEL})"
        return ProofStep(status=UNDECIDED, verdict=verdict, note=note, **base)
    if line is None:  # the first line after "setting the gradient to zero": a claimed minimiser, checked or not
        return solved
    if solved.status != UNDECIDED:
        return dataclasses.replace(solved, note=f"the solution of the equation of line {line}: {solved.note}")
    note = f"the solution of the equation of line {line} (∇J = 0): not checked"
    return ProofStep(status=DEFINITION, note=note, **base)
