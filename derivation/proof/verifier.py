r"""Verify a user's derivation step by step and point at the first wrong step.

A derivation is a chain of equalities in LaTeX or Markdown (see
:mod:`derivation.proof.extract` for what is read).  Every ``=`` is judged on
its own by the checker (:func:`~derivation.oracle.equality.verify_equality`):

* **holds** – with the rule the step applied where it can be recognised, and
  whether the rule the user wrote on the ``=`` fits it;
* **fails** – with a counterexample (the values where the sides differ) and a
  diagnosis where a known slip fits (sign, factor, dropped term, σ′ = σ², …);
* **not understood** – naming the piece that could not be read;
* **undecided** – the checker could not evaluate the sides.

A two-sided equation whose left side is a lone name (``e = Ax - b``,
``y = 1``) is a **definition**: shown, not checked, and a name the document
defines (``p_i = \sigma(\theta^T x^{(i)})``, ``where \hat y_i = …``, ``L(w) = …``) is read
as its definition in the steps that use it (:mod:`derivation.proof.document`).
``h_\theta(x^{(i)})`` is the hypothesis of the model given as ``hypothesis``
(logistic: σ(θᵀx⁽ⁱ⁾)).  Loose notation (σ(x⁽ⁱ⁾), w for θ, ∂/∂θ for ∂/∂θ_j, Σ_{i=0}^{m})
is read under a stated interpretation (:mod:`derivation.proof.interpret`): each step
keeps what its reading assumed, and a slip that is typography is a warning, not the verdict.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.functions import abbreviation, expand_abbreviations
from ..core.functions import sigmoid as core_sigmoid
from ..core.notation import K, Theta, X, i, j, lam, m, n, theta, x
from ..core.notation import y as y_indexed
from ..core.status import ProofStatus
from ..core.steps import Verdict
from ..models import MODELS
from ..oracle.canonical import CANONICAL_MEMOS, memoised_on_tree, plain
from ..oracle.policy import SIZES
from ..parsing import LatexContext, line_of
from ..parsing.atoms import CATCH
from ..parsing.prose import affirmed, says_each_j, zeroed_identity
from ..parsing.statement import split_update, text_context
from ..printing.expr import to_unicode
from .claims import Claim, check_claim
from .compare import ENTRY_J_WORDS, condition, differentiated_name, only_a_condition, step_sides, undefined_name
from .conventions import W_AS_THETA as _W_AS_THETA
from .define import NameDefinition, key_of
from .diagnose import Diagnosis, diagnose
from .document import (
    COLUMNS,
    IMPLIED_LOSS,
    LONE_NAME,
    Document,
    defines_a_name,
    is_definition,
    is_likelihood,
    name_pattern,
)
from .extract import Chain, Side, extract_chains
from .facts import (
    LABELS_WORDS,
    OWN_COST_WORDS,
    W_FROM_ONE_WORDS,
    biased_cost,
    class_index,
    class_weights_gradient,
    intercept_line,
    is_intercept_definition,
    is_label_sum,
    is_own_cost,
    labels_summing_to_one,
    own_cost,
    scalar_unit,
    slope_form,
    stated_rule,
    summed_cost,
    weighted_cost,
)
from .hypothesis import with_implied_hypothesis
from .interpret import BARE_WORDS, WEIGHT_W, bare_primed, chain_variable
from .nearmiss import near_misses
from .read import model_context, read_side
from .recognise import Recognition, checked_equality, recognise
from .solving import IMPLIES, at_optimum, inline, is_zero, optimum, said_to_zero, second_size_failure
from .update import FACTORS, cost_name, derivative_text, is_update, named_gradient, step_names, stripped

HOLDS, FAILS, UNDECIDED = ProofStatus.HOLDS, ProofStatus.FAILS, ProofStatus.UNDECIDED
NOT_UNDERSTOOD, DEFINITION = ProofStatus.NOT_UNDERSTOOD, ProofStatus.DEFINITION


@dataclass(frozen=True)
class Unreadable:
    """Why a side could not be read: the parser's one-line message and a caret under the piece."""

    side: str  # "left" or "right"
    message: str
    caret: str
    line: int  # 1-based line of the piece in the input


@dataclass(frozen=True)
class ProofStep:
    """One ``=`` of the user's derivation and what the checker found.

    ``number`` counts steps through the whole input (1-based), ``chain`` the
    chain it belongs to, ``line`` the input line of its ``=``.  ``annotation``
    is the rule the user wrote on it; ``recognition`` the rule we recognised;
    ``claim`` whether the two agree.
    """

    number: int
    chain: int
    line: int
    lhs: str
    rhs: str
    annotation: str | None
    status: ProofStatus
    verdict: Verdict | None = None
    recognition: Recognition | None = None
    claim: Claim | None = None
    diagnosis: Diagnosis | None = None
    unreadable: Unreadable | None = None
    note: str | None = None
    start: int = 0
    end: int = 0
    reading: tuple[str, str] | None = None  # how both sides were read, in Unicode
    interpretations: tuple[str, ...] = ()  # what the reading assumed ("read σ(x⁽ⁱ⁾) as σ(θᵀx⁽ⁱ⁾)")
    warnings: tuple[str, ...] = ()  # slips noticed that are not the mathematics (Σ from i = 0)
    scope: str | None = None  # where a step holds, when not for the text's J as written ("for one example (m = 1)")

    @property
    def ok(self) -> bool:
        return self.status in (HOLDS, DEFINITION)


@dataclass(frozen=True)
class ProofReport:
    """Every step of every chain found in ``source``; ``exit_code`` is 0 all hold, 1 one fails, 2 unreadable."""

    steps: tuple[ProofStep, ...]
    chains: tuple[Chain, ...]
    hypothesis: str
    hypothesis_text: str
    seed: int
    source: str = field(repr=False, default="")

    @property
    def interpretations(self) -> tuple[tuple[int, str], ...]:
        """(line, words) of each interpretation the reading needed, at the first step that needed it."""
        return _first_lines(self.steps, "interpretations")

    @property
    def warnings(self) -> tuple[tuple[int, str], ...]:
        """(line, words) of each slip noticed: printed, never the verdict."""
        return _first_lines(self.steps, "warnings")

    def count(self, status: ProofStatus) -> int:
        return sum(1 for s in self.steps if s.status == status)

    @property
    def checked(self) -> tuple[ProofStep, ...]:
        """The steps that are not definitions."""
        return tuple(s for s in self.steps if s.status != DEFINITION)

    @property
    def ok(self) -> bool:
        """True when there is at least one checked step and every one holds."""
        return bool(self.checked) and all(s.status == HOLDS for s in self.checked)

    @property
    def first_failure(self) -> ProofStep | None:
        return next((s for s in self.steps if s.status == FAILS), None)

    @property
    def first_problem(self) -> ProofStep | None:
        """The first step that fails, is not understood or is undecided."""
        return next((s for s in self.steps if not s.ok), None)

    @property
    def exit_code(self) -> int:
        """0 when every step holds, 1 when one fails, 2 when nothing could be read or checked fully."""
        if self.first_failure is not None:
            return 1
        return 0 if self.ok else 2

    def _repr_markdown_(self) -> str:  # Jupyter: the user's own chain with a mark beside each '='
        from ..printing.proof_report import render_proof

        latex = render_proof(self, "latex")
        latex = re.sub(r"\\noindent\\textbf\{([^}]*)\}", r"**\1**", latex)
        latex = latex.replace(r"\begin{align*}", "$$\\begin{aligned}").replace(r"\end{align*}", "\\end{aligned}$$")
        summary = render_proof(self, "text").rstrip().splitlines()[-1]
        return f"{latex}\n\n{summary}\n"

    def __str__(self) -> str:
        from ..printing.proof_report import render_proof

        return render_proof(self, "text")

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))


def _first_lines(steps, field_name: str) -> tuple[tuple[int, str], ...]:
    seen: dict[str, int] = {}
    for step in steps:
        for words in getattr(step, field_name):
            seen.setdefault(words, step.line)
    return tuple((line, words) for words, line in seen.items())


def verify_text(
    text: str,
    *,
    hypothesis: str | None = None,
    seed: int = 0,
    explain: bool = True,
    rules: bool = True,
    definitions: Sequence[str] = (),
) -> ProofReport:
    r"""Check every ``=`` of the derivation(s) in ``text`` (LaTeX, Markdown or a plain chain).

    ``hypothesis`` names the catalog model whose h_θ, J and G the text means
    (logistic: h_θ(x⁽ⁱ⁾) = σ(θᵀx⁽ⁱ⁾)); without one, the model is read from the text's own
    h_θ(x) = … and J(θ) = … lines (:func:`inferred_hypothesis`), else logistic; ``seed`` fixes the numeric sampling;
    ``explain`` recognises rules and diagnoses failures (off: verdicts only); ``rules`` off skips
    naming the rule of each step that holds (the slow part), failures still diagnosed.
    ``definitions`` declare names the text uses without defining them (``O_1 = \\sigma(w_1 x_1 + w_2 x_2)``),
    in effect until the text defines the name itself; one that is not ``name = expression`` is a ValueError.

    >>> report = verify_text(r"\frac{d}{dz}\sigma(z) \underset{\sigma'}{=} \sigma(z)^2")
    >>> [(s.number, s.status) for s in report.steps], report.exit_code
    ([(1, 'fails')], 1)
    >>> print(report.steps[0].diagnosis.message)
    σ′ written as σ² (it is σ(1−σ))
    >>> verify_text(r"$$(1 - \sigma(z)) \sigma(z) = \sigma(z) - \sigma(z)^2$$").steps[0].status
    'holds'
    """
    if hypothesis is not None:
        _context(hypothesis)  # an unknown model: the catalog's KeyError before anything is read
    typed, text = text, _lower_targets(text)  # de Freitas's (Xθ − Y)ᵀ(Xθ − Y): Y the targets, read as y
    chains = extract_chains(text)
    declared = declarations(definitions) + _zeroed_identity(text, chains)
    # J(w, b) = … of one weight and one feature, or y = m x + c: the text's own cost, no model's
    own = (
        own_cost(text, chains)
        or slope_form(text)
        or intercept_line(text) is not None
        or biased_cost(text, chains)
        or scalar_unit(text)
        or weighted_cost(text, chains) is not None
    )
    found = inferred_hypothesis(text, chains, declared, seed) if hypothesis is None and not own else None
    if hypothesis is None and not own and found is None:  # ½‖Xw − y‖² + λ/2‖w‖²: no catalog model, the text's own
        found = text_cost(chains, text)
    widened = _penalised(hypothesis, text, chains, declared, seed) if hypothesis is not None and not own else None
    # Σ(λ_i − y⁽ⁱ⁾η_i) of --hypothesis poisson, λ_i and η_i the text's names: its own J, no 1/m missing
    terms = _named_terms_cost(hypothesis, chains, text) if hypothesis is not None and not own and not widened else None
    widened = widened or terms
    model = widened[0] if widened else hypothesis or (found[0] if found else DEFAULT_HYPOTHESIS)
    named = hypothesis is not None or found is not None  # by the user, or by the text's own h_θ or J
    summed = summed_cost(text, chains)  # J = (1/m)Σ… of the text, which never says it works with one example
    document = Document(
        text, chains, lambda example: _context(model, example and summed is None, own), declared, named=named, own=own,
        summed=summed,
    )  # fmt: skip
    prediction = None if own or hypothesis is not None else _own_h_cost(chains, document)  # a model named: its J
    if prediction is not None:  # h = σ(−θᵀx) and J written with it: the text's J, not the model's
        document = Document(
            text, chains, lambda example: _context(model, example and summed is None, True), declared, named=named,
            own=True, summed=summed, own_words=_OWN_H_WORDS.format(line=prediction.line),
        )  # fmt: skip
    steps: list[ProofStep] = []
    updating = _update_document(text, chains, model, own, declared, named)  # Bishop's w^{(τ+1)} = …: its notation
    stepped = {name for chain in chains if (parts := _update_parts(chain, updating)) for name in step_names(parts[1])}
    gradient, solving, end, since = None, None, 0, 0  # the latest ∇J written, the line of an equation ∇J = 0 read
    pending = False  # "setting the gradient to zero:" read, and only names defined since (J(θ) = …)
    for chain_number, chain in enumerate(chains, start=1):
        prose, end = text[end : chain.sides[0].start], chain.sides[-1].end
        setting = pending or said_to_zero(text, since, chain.sides[0].start)
        since = since if inline(text, chain.sides[0].start) else end  # a sentence goes on past its $J(θ) = …$
        zero, written = is_zero(chain.sides[-1].latex), _gradient_of(chain, document)
        equation = zero or (written is None and _solvable(chain, document))  # ∇J = Xᵀ(Xθ − y) stays an identity
        if solving is not None and IMPLIES.search(prose) and len(chain.relations) == 1 and equation:
            steps.append(_solution(text, chain, chain_number, len(steps), solving, document, model, gradient, seed))
            solving = steps[-1].line
            continue
        solving = None
        following = chain_number < len(chains) and IMPLIES.search(text[end : chains[chain_number].sides[0].start])
        if (setting or (following and zero)) and equation:  # ∇J = … = 0, XᵀXθ = Xᵀy: the last '=' is solved
            grad = written or gradient
            solved = _solved(text, chain, chain_number, len(steps), document, model, grad, seed, (explain, rules))
            if solved is not None:
                steps.extend(solved)
                gradient, solving, pending = grad, steps[-1].line, False
                continue
        updated = _update_step(text, chain, chain_number, len(steps), updating, chains, seed, stepped)
        if updated is not None:  # θ_j := θ_j − α…: the step checked against the cost's gradient
            steps.append(updated)
            continue
        chain, stood = _general_letters(chain, text)
        costed = document.named or document.writes_j  # a Hessian is of a cost the text writes or names
        chain, stood = _hessian_entries(chain, text, costed) if stood is None else (chain, stood)
        chain, stood = _bare_primes(chain) if stood is None else (chain, stood)
        chain, stood = _primed_prediction(chain, document) if stood is None else (chain, stood)
        checked = _check_chain(text, chain, chain_number, len(steps), document, model, seed, (explain, rules))
        steps.extend(
            dataclasses.replace(s, interpretations=(*s.interpretations, stood)) if stood else s for s in checked
        )
        gradient = written or gradient
        if setting and checked:  # "setting the gradient to zero": ∇J = (1/m)Xᵀ(Xθ − y), then ⇒ the equations
            solving = checked[-1].line
        pending = setting and LONE_NAME.match(chain.sides[0].latex) is not None and not is_update(chain)
    shown = _hypothesis_text(model)
    if widened is not None:
        why = "written with the names it defines" if terms else f"--hypothesis {hypothesis} has no penalty"
        shown += f", the text's own cost J, read from line {widened[1]} ({why})"
    if found is not None:
        shown += f", read from line {found[1]}"
    elif prediction is not None:  # the text's own h and J: the model is not what the steps are checked against
        shown += f", not used: the text defines its own h (line {prediction.line}) and J"
    elif hypothesis is None and any(step.status == FAILS for step in steps):
        shown += ", the default (--hypothesis MODEL if your text means another model)"
    name = "the text's cost" if not isinstance(model, str) else model
    if typed != text:
        steps = [_said(step, chains, typed, _CAPITAL_Y_WORDS) for step in steps]
    return ProofReport(tuple(steps), tuple(chains), name, shown, seed, typed)


# Y the targets in matrix form with θ (Xθ − Y, XᵀY), where the text writes no y and no A (the deep-learning A − Y)
_CAPITAL_Y = re.compile(
    r"X\s*\\(?:theta|beta)\s*-\s*Y(?![A-Za-z])|(?<![A-Za-z\\])Y\s*-\s*X\s*\\(?:theta|beta)"
    r"|X\s*\^\s*\{?\s*(?:T|\\top)\s*\}?\s*Y(?![A-Za-z])"
)
_LETTER_Y, _LETTER_A = (re.compile(rf"(?<![A-Za-z\\]){letter}(?![A-Za-z])") for letter in "yA")
_CAPITAL_Y_WORDS = "read Y as y, the vector of the targets (the text writes Xθ − Y)"


def _lower_targets(text: str) -> str:
    """``text`` with Y read as y where Y is the targets' vector in matrix form (the same length: positions stay)."""
    if _CAPITAL_Y.search(text) is None or _LETTER_Y.search(text) or _LETTER_A.search(text):
        return text
    return re.sub(r"(?<![A-Za-z\\])Y(?![A-Za-z])", "y", text)


def _said(step: ProofStep, chains: list[Chain], written: str, words: str) -> ProofStep:
    """``step`` with ``words`` among its interpretations when its chain, as written, has a Y."""
    chain = chains[step.chain - 1] if 0 < step.chain <= len(chains) else None
    if chain is None or "Y" not in written[chain.sides[0].start : chain.sides[-1].end]:
        return step
    return dataclasses.replace(step, interpretations=(*step.interpretations, words))


DEFAULT_HYPOTHESIS = "logistic"


def _penalised(hypothesis: str, text: str, chains, declared, seed: int) -> tuple[str, int] | None:
    """The catalog model the text's own J(θ) = … line is when it is ``hypothesis``'s h_θ with a cost of its own (a
    penalty added to --hypothesis linear's J), with that line; None otherwise: the text's cost is its own definition."""
    found = inferred_hypothesis(text, chains, declared, seed)
    if found is None or found[0] == hypothesis or found[0] not in MODELS or hypothesis not in MODELS:
        return None
    if lam not in MODELS[found[0]].parameters or lam in MODELS[hypothesis].parameters:
        return None  # only a penalty the text's J adds to the named model widens it (an h_θ line names no penalty)
    mine, theirs = _context(hypothesis).hypothesis, _context(found[0]).hypothesis
    same = mine is not None and theirs is not None and mine(i).definition() == theirs(i).definition()
    return found if same else None


def _named_terms_cost(hypothesis: str, chains: list[Chain], text: str):
    """The text's own J(θ) = … written with names it defines (λ_i = e^{η_i}, η_i = θᵀx⁽ⁱ⁾) when it is of
    ``hypothesis``'s h_θ: the text's definition of its J (a sum without 1/m is no slip), with its line; else None."""
    lines = [c for c in chains if len(c.sides) >= 2 and _TEXT_COST_NAME.match(c.sides[0].latex)]
    if not lines or _spelled_out(lines[0].sides[1].latex, chains) == lines[0].sides[1].latex:
        return None
    found = text_cost(chains, text)
    if found is None or hypothesis not in MODELS:
        return None
    mine, theirs = _context(hypothesis), model_context(found[0])
    h, own = mine.hypothesis, theirs.hypothesis
    same = h is not None and own is not None and h(i).definition() == own(i).definition()
    return found if same and _same_cost(mine.costs.get("J"), theirs.costs.get("J")) else None


def _same_cost(model, own) -> bool:
    """True when the text's J is the named model's J, or m times it (a sum without 1/m is no slip): a J of its own
    (the sign of y flipped, a square) is checked against the model's J, as the same J spelled out would be."""
    if not (hasattr(model, "definition") and hasattr(own, "definition")):
        return False
    theirs, mine = model.definition(), own.definition()
    return any(checked_equality(mine, scale * theirs, 0).ok for scale in (1, m))


_MODEL_NAMES = re.compile(r"^\s*(h|J)\s*(_\s*\{?\s*\\theta\s*\}?)?\s*(\\left\s*)?\(")


def inferred_hypothesis(text: str, chains: list[Chain], declared: list[Chain], seed: int) -> tuple[str, int] | None:
    r"""The catalog model whose h_θ and J the text's own ``h_\theta(x) = …`` and ``J(\theta) = …`` lines are,
    and the first such line; None when the text writes none, when the default model's fit, or when no model's do.

    >>> inferred_hypothesis(r"$$J(\theta) = \frac{1}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2$$", [], [], 0)
    ('linear', 1)
    >>> inferred_hypothesis(r"$$h_\theta(x) = \sigma(\theta^T x)$$", [], [], 0) is None
    True
    """
    chains = chains or extract_chains(text)
    written = [Chain(c.sides[:2], c.relations[:1]) for c in chains if _MODEL_NAMES.match(c.sides[0].latex)]
    if not written:
        return None
    for name in dict.fromkeys([DEFAULT_HYPOTHESIS, *MODELS]):
        try:
            context = _context(name)
        except (KeyError, ValueError):
            continue
        if context.hypothesis is None and "J" not in context.costs:
            continue
        document = Document(text, chains, lambda example, name=name: _context(name, example), declared)
        steps = []
        for chain in written:  # the first line that fails rules the model out: the rest are not checked
            steps += _check_chain(text, chain, 1, 0, document, name, seed, (False, False))
            if any(step.status != HOLDS for step in steps):
                break
        if steps and all(step.status == HOLDS for step in steps):
            return None if name == DEFAULT_HYPOTHESIS else (name, steps[0].line)
    return None


_TEXT_COST_NAME = re.compile(r"^\s*J\s*(\\left\s*)?\(")
_NOT_POLYNOMIAL = re.compile(r"\\(log|ln|exp|sigma|hat|max|min)(?![A-Za-z])|h_|σ|log|exp|[gh]\s*\(")
_MAX_ZERO = re.compile(r"\\max\s*(?:\\left\s*)?\(\s*0\s*,")
_BOLD_OPEN = r"\\(?:mathbf|boldsymbol|bm)\s*\{\s*"  # \mathbf{, \boldsymbol{, \bm{
_BOLD = re.compile(_BOLD_OPEN + r"([A-Za-z])\s*\}")


def text_cost(chains: list[Chain], text: str):
    r"""The text's own squared-error cost ``J(\mathbf{w}) = ½‖Xw − y‖² + λ/2‖w‖²`` that no catalog model is, as a
    model (as ``--cost`` reads it), with its line; None when the text writes none or it cannot be read.

    Only costs with no log, σ, exp, ŷ or h: the default logistic model stays the reading of the others.
    """
    from ..derive.costs import model_from_cost
    from ..models.costs import CostError

    for chain in chains:
        if len(chain.sides) < 2 or not _TEXT_COST_NAME.match(chain.sides[0].latex):
            continue
        written = chain.sides[1].latex
        if _NOT_POLYNOMIAL.search(_MAX_ZERO.sub("(", written)):  # max(0, 1 − yθᵀx): the hinge, read as --cost does
            return None
        cost = re.sub(WEIGHT_W, r"\\theta ", _spelled_out(written, chains))  # w the weights, as read everywhere
        cost = _BOLD.sub(lambda found: r"\theta " if found.group(1) == "w" else found.group(1), cost)
        line = line_of(text, chain.sides[0].start)
        try:
            return model_from_cost(cost, "theta", latex=True, labels=None), line
        except (CostError, ValueError, TypeError):
            return None
    return None


def _spelled_out(cost: str, chains: list[Chain]) -> str:
    r"""``cost`` with the names the text defines (η_i = θᵀx⁽ⁱ⁾, λ_i = e^{η_i}, said in prose) put in as written,
    innermost last: J(θ) = Σ(λ_i − y⁽ⁱ⁾η_i) is the text's own cost of θ."""
    defined = {
        c.sides[0].latex.strip(): c.sides[1].latex
        for c in chains
        if len(c.sides) == 2 and _DEFINED_NAME.fullmatch(c.sides[0].latex.strip())
    }
    for _ in range(len(defined)):
        found = [name for name in defined if re.search(re.escape(name) + r"(?![A-Za-z0-9])", cost)]
        if not found:
            break
        for name in found:
            body = defined[name].replace("\\", "\\\\")
            cost = re.sub(re.escape(name) + r"(?![A-Za-z0-9])", rf"\\left({body}\\right)", cost)
    return cost


_DEFINED_NAME = re.compile(r"\\[a-z]+\s*_\s*(\{\s*i\s*\}|i)")  # η_i, λ_i, μ_i: a quantity of example i
_SCALES = (1, -1, m, -m, 2, sp.Rational(1, 2), m / 2, 2 * m)  # (1/2m)(2XᵀXθ − 2Xᵀy) = 0 ⇔ XᵀXθ = Xᵀy: k = m


# ∇_θ θᵀAθ = 2Aθ "for symmetric A", ∇_θ θᵀb = b: matrix-calculus rules the text states with letters of its own
_RULE_LEFT = re.compile(
    r"^\s*\\nabla\s*_\s*\{?\s*\\theta\s*\}?\s*(\\[,;!]\s*)?(\\left\s*)?\(?\s*\\theta\s*\^\s*\{?\s*(T|\\top)\s*\}?\s*[Ab]"
)
_STAND_INS = {
    "A": ("(X^T X)", "A as XᵀX, a symmetric matrix (the text says A is symmetric)"),
    "b": ("(X^T y)", "b as Xᵀy, a vector"),
}


def _general_letters(chain: Chain, text: str) -> tuple[Chain, str | None]:
    """A rule of matrix calculus the text states with its own letters (``∇_θ θᵀAθ = 2Aθ`` for symmetric A), its
    letters put in as a random symmetric matrix XᵀX and a vector Xᵀy (a rule linear in A and b that holds for
    them holds for all: the data are sampled); the words that say so.  A only where the text says "symmetric"."""
    if not _RULE_LEFT.match(chain.sides[0].latex):
        return chain, None
    written = " ".join(side.latex for side in chain.sides)
    letters = [k for k in _STAND_INS if re.search(rf"(?<![A-Za-z\\]){k}(?![A-Za-z])", written)]
    if "A" in letters and not re.search(r"symmetric", text, re.IGNORECASE):
        return chain, None
    pattern = re.compile(r"(?<![A-Za-z\\])([Ab])(?![A-Za-z])")

    def put_in(written: str) -> str:
        return pattern.sub(lambda found: _STAND_INS[found.group(1)][0], written)

    sides = tuple(
        dataclasses.replace(side, text=put_in(side.text), rows=tuple(put_in(row) for row in side.rows))
        for side in chain.sides
    )
    words = "read " + " and ".join(_STAND_INS[k][1] for k in letters) + ": the rule checked on them"
    return dataclasses.replace(chain, sides=sides), words


def _bare_primes(chain: Chain) -> tuple[Chain, str | None]:
    """``Φ' = φ`` in prose, with no argument: the derivative rule Φ′(z) = φ(z), as σ′ = σ(1 − σ) is read."""
    variable = chain_variable([side.text for side in chain.sides])
    texts, latex = (bare_primed([getattr(side, f) for side in chain.sides], variable) for f in ("text", "latex"))
    if texts is None or latex is None:
        return chain, None
    sides = tuple(dataclasses.replace(side, text=texts[k], rows=(latex[k],)) for k, side in enumerate(chain.sides))
    names = dict.fromkeys(_GREEK.get(name, name) for name in re.findall(r"\\(Phi|phi|tanh)", " ".join(latex)))
    words = f"read {', '.join(names)} written without an argument as functions of {variable}"
    return dataclasses.replace(chain, sides=sides), words


_GREEK = {"Phi": "Φ", "phi": "φ"}
_BY_NAME_WORDS = (
    "∂J/∂{name}: J is the model's cost, a function of θ (w and b), not of the text's {name}: write the step for one "
    "example's loss (L_i = … defined, then ∂L_i/∂{name}), or by a parameter (∂J/∂b, ∂J/∂w_j)"
)


_OWN_SIGMA_WORDS = {
    "h_θ": "h_θ is read here as the model's σ(θᵀx), of the sigmoid, but the text defines its own σ or g (line {line}) "
    "and it could not be put in here: write h_θ out with the text's function",
    "J": "J is the model's cost, of the sigmoid, but the text defines its own σ or g (line {line}): write J(θ) = … "
    "with the text's function first",
}


_MISNAMED_WORDS = (
    "σ (or g) here would be read as the sigmoid 1/(1 + e^(−z)), but the text's 'sigmoid' (line {line}) is another "
    "function: not checked under the sigmoid (write the step with the text's function written out)"
)


def _has_sigmoid(sides: list) -> bool:
    """Whether a side uses σ (or g) read as the sigmoid."""
    return any(isinstance(side, sp.Basic) and side.has(core_sigmoid) for side in sides)


def _of_the_sigmoid(sides: list, context: LatexContext, cost: bool) -> str | None:
    """The model's h_θ (or, with ``cost``, its J) that a step uses, both of the sigmoid σ; None if neither."""
    found = [(context.hypothesis, "h_θ"), (context.example_hypothesis, "h_θ")]
    if cost and hasattr(context.costs.get("J"), "definition"):
        found.append((type(context.costs["J"]), "J"))
    for kind, name in found:
        if kind is not None and any(isinstance(side, sp.Basic) and side.has(kind) for side in sides):
            return name
    return None


def _cost_by_name(side: sp.Basic, names: dict, context: LatexContext) -> sp.Basic | None:
    """The text's own name (z_i, a_i) that ``side`` differentiates the model's J by, else None."""
    cost = context.costs.get("J")
    if not isinstance(side, sp.Basic) or cost is None or not hasattr(cost, "definition"):
        return None
    for derivative in side.atoms(sp.Derivative):
        if not derivative.expr.has(type(cost)):
            continue
        for variable in derivative.variables:
            key = key_of(variable)
            if key is not None and key[0] in names:
                return variable
    return None


_PRIMED_H = re.compile(r"^\s*h\s*(?:'|\^\s*\{?\s*\\prime\s*\}?)\s*$")  # h′, h^\prime
_LETTER_H = re.compile(r"(?<![A-Za-z\\])h(?![A-Za-z_])")
_PRIMED_H_WORDS = "read h′ and h as σ′ and σ: h = σ(θᵀx) is the model's prediction, h′ its σ′ (the rule σ′ = σ(1 − σ))"


def _primed_prediction(chain: Chain, document: Document) -> tuple[Chain, str | None]:
    """``h' = h(1-h)`` in prose, h the model's σ(θᵀx) (not the text's own h): the rule σ′ = σ(1 − σ), as written
    of σ; under a model whose h is no σ it stays as written (and is refused)."""
    if not _PRIMED_H.match(chain.sides[0].latex) or document.own_prediction is not None:
        return chain, None
    context = document.context_of(True)
    hypothesis = context.example_hypothesis or context.hypothesis
    if hypothesis is None or type(hypothesis().definition()).__name__ != "sigmoid":
        return chain, None
    sides = tuple(
        dataclasses.replace(
            side,
            text=_LETTER_H.sub(r"\\sigma", side.text),
            rows=tuple(_LETTER_H.sub(r"\\sigma", row) for row in side.rows),
        )
        for side in chain.sides
    )
    return dataclasses.replace(chain, sides=sides), _PRIMED_H_WORDS


def _gradient_of(chain: Chain, document: Document) -> tuple[sp.Basic, int] | None:
    """∂J/∂θ as the chain's left side means it (names put in), with its line; None when the left is no derivative."""
    first = document.read(chain.sides[0], False, chain_variable([side.text for side in chain.sides]))
    if first.error is not None or not first.expr.has(sp.Derivative):
        return None
    try:
        lhs, _, _, _ = _step_sides(first.expr, first.expr, document.names_at(chain.relations[0].start))
    except CATCH:
        return None
    return lhs, line_of(document.text, chain.sides[0].start)


def _where(text: str, relation, chain: int, number: int, lhs: str, rhs: str) -> dict:
    """Where a step stands and what it writes: the fields every :class:`ProofStep` of one ``=`` shares."""
    return {"number": number, "chain": chain, "line": line_of(text, relation.start), "lhs": lhs, "rhs": rhs,
            "annotation": relation.annotation, "start": relation.start, "end": relation.end}  # fmt: skip


def _equation(text: str, chain: Chain, k: int, number: int, before: int, document: Document, model, gradient, seed):
    """``XᵀXθ = Xᵀy`` after "setting the gradient to zero" (or ⇒ from such a line): an equation to solve, never an
    identity in θ.  Checked where it must hold, at the minimiser θ* of the model's cost when its gradient is affine
    (:func:`~.solving.optimum`); else as ∇J = 0 rearranged (left − right a multiple of the ∇J written before);
    else None (the caller says so).  One that holds for every θ (0 = 0) has lost the equation: it fails."""
    relation, left, right = chain.relations[k], chain.sides[k], chain.sides[k + 1]
    base = _where(text, relation, number, before + 1, _PREFIX.sub("", left.latex), right.latex)
    variable = chain_variable([side.text for side in chain.sides])
    readings = [document.read(side, False, variable) for side in (left, right)]
    unread = [(name, r) for name, r in zip(("left", "right"), readings, strict=True) if r.error is not None]
    if unread:
        return ProofStep(status=NOT_UNDERSTOOD, unreadable=_unreadable(text, *unread[0]), **base)
    try:
        lhs, rhs, _, _ = _step_sides(readings[0].expr, readings[1].expr, document.names_at(relation.start))
    except CATCH:
        return ProofStep(status=NOT_UNDERSTOOD, unreadable=_misfit(text, relation.start), **base)
    base |= {
        "interpretations": tuple(dict.fromkeys(readings[0].interpretations + readings[1].interpretations)),
        "reading": (to_unicode(readings[0].expr), to_unicode(readings[1].expr)),
    }
    matrix = _matrix_gradient(model if document.named else None)
    sides = _gradient_put_in(lhs, rhs, matrix, seed) if optimum(matrix) is not None else None
    solved = None if sides is None else _at_minimiser(*sides, optimum(matrix), base, seed)
    if solved is not None:
        return solved
    if gradient is not None:
        return _rearranged(lhs, rhs, gradient, base, seed)
    return None


_NAME_THE_MODEL = "name the model, --hypothesis linear, or write the cost J(θ) = … and its gradient"


_PREFIX = re.compile(r"^(\s*\\q?quad\s*)+")
_LOST_WORDS = (
    "holds for every θ, so it says nothing about θ: the equation ∇J = 0 was lost on the way (a term that cancels "
    "or was dropped?)"
)


def _at_minimiser(lhs, rhs, solved, base: dict, seed: int) -> ProofStep | None:
    """The equation ``lhs = rhs`` at θ = ``solved`` (θ*), at the checker's sizes and at a second size; None when it
    has no θ to put in (and is no identity)."""
    if _verify(lhs, rhs, seed).ok:
        verdict = Verdict(FAILS, "numeric", "equal for every θ: no equation left to solve")
        note = "an equation to solve, not an identity: none is left to solve"
        return ProofStep(status=FAILS, verdict=verdict, note=note, diagnosis=Diagnosis("lost θ", _LOST_WORDS), **base)
    left, right = at_optimum(lhs, solved), at_optimum(rhs, solved)
    if left == lhs and right == rhs:  # ∑(x_i − μ) = 0: an equation in another unknown than θ, not solved here
        return None
    verdict = _verify(left, right, seed)
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
        row, _, _, _ = _step_sides(matrix, matrix, {})
    except CATCH:
        return None
    swap = {d: row for d in derivatives if _verify(d, row, seed).ok}
    if len(swap) != len(derivatives):
        return None
    return lhs.xreplace(swap), rhs.xreplace(swap)


def _rearranged(lhs, rhs, gradient, base: dict, seed: int) -> ProofStep:
    """The equation as ∇J = 0 rearranged: left − right a multiple of the ∇J written before (no minimiser known)."""
    grad, line = gradient
    try:
        difference = lhs - rhs
        verdicts = ((k, _verify(difference, k * grad, seed)) for k in _SCALES)
        scale, verdict = next(((k, v) for k, v in verdicts if v.ok), (None, None))
    except CATCH:
        return ProofStep(status=UNDECIDED, verdict=Verdict(UNDECIDED, "none", "not comparable with ∇J"), **base)
    if verdict is None:
        note = (f"an equation to solve, not an identity: it is not ∇J = 0 of line {line} (left − right is no multiple "
                f"of ∇J: compared here with ∇J)")  # fmt: skip
        verdict = _verify(difference, grad, seed)
        return ProofStep(status=ProofStatus(verdict.status), verdict=verdict, note=note, **base)
    times = "" if scale == 1 else f" multiplied by {to_unicode(scale)}"
    note = f"an equation to solve, not an identity: it is ∇J = 0 of line {line}{times}, rearranged"
    return ProofStep(status=HOLDS, verdict=verdict, note=note, **base)


def _matrix_gradient(model) -> sp.MatrixExpr | None:
    """The model's gradient in matrix form (1/m)Xᵀ(Xθ − y), or None (no model named, or no matrix form)."""
    if model is None:
        return None
    return (MODELS[model] if isinstance(model, str) else model).matrix_gradient


def _minimiser(text: str, base: dict, readings, model, seed: int) -> ProofStep | None:
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
        return ProofStep(status=NOT_UNDERSTOOD, unreadable=_unreadable(text, "right", readings[1]), **base)
    solved = readings[1].expr
    if not isinstance(solved, sp.MatrixExpr) or solved.has(Theta) or not solved.has(X) or solved.shape != Theta.shape:
        return None
    gradient = _matrix_gradient(model)
    if gradient is None:  # the default hypothesis, or a cost without a matrix form: the claim stays open
        verdict = Verdict(UNDECIDED, "none", "no cost in matrix form to take the gradient of")
        note = "a claimed minimiser, not checked: name the model (--hypothesis linear) or write the cost J(θ) = …"
        return ProofStep(status=UNDECIDED, verdict=verdict, note=note, **base)
    try:
        lhs, rhs, _, _ = _step_sides(gradient.xreplace({Theta: solved}), sp.ZeroMatrix(*gradient.shape), {})
        verdict = _verify(lhs, rhs, seed)
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


def _solvable(chain: Chain, document: Document) -> bool:
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


def _solved(text, chain: Chain, number: int, before: int, document, model, gradient, seed, explained):
    """∇J = (1/m)Xᵀ(Xθ − y) = 0, XᵀXθ = Xᵀy or θ = (XᵀX)⁻¹Xᵀy where the text sets the gradient to zero: identities up
    to the last '=', which is solved (:func:`_equation`, :func:`_solution`); None when it cannot be checked so."""
    last = len(chain.relations) - 1
    if not last:
        step = _solution(text, chain, number, before, None, document, model, gradient, seed)
        return None if step is None else [step]
    step = _equation(text, chain, last, number, before + last, document, model, gradient, seed)
    if step is None:
        return None
    head = Chain(chain.sides[:-1], chain.relations[:-1])
    return [*_check_chain(text, head, number, before, document, model, seed, explained), step]


def _solution(text: str, chain: Chain, number: int, before: int, line: int | None, document, model, gradient, seed):
    """``⇒ w = (XᵀX + λI)⁻¹Xᵀy`` after the condition ∇J = 0: its solution, checked as ∇J = 0 there
    (:func:`_minimiser`) when the model's gradient has a matrix form, else said so, not checked; ``⇒ XᵀXθ = Xᵀy``,
    not solved for θ yet: an equation to solve (:func:`_equation`)."""
    relation, (left, right) = chain.relations[0], chain.sides
    base = _where(text, relation, number, before + 1, _PREFIX.sub("", left.latex), right.latex)
    variable = chain_variable([side.text for side in chain.sides])
    readings = [document.read(side, False, variable) for side in chain.sides]
    solved = _minimiser(text, base, readings, model if document.named else None, seed)
    if solved is None:
        equation = _equation(text, chain, 0, number, before, document, model, gradient, seed)
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


def declarations(definitions: Sequence[str]) -> list[Chain]:
    """Each ``name = expression`` declared (on the command line) as a chain; a ValueError names one that is not."""
    out = []
    for written in definitions:
        found = extract_chains(f"$${written}$$") if "=" in written else []
        if len(found) != 1 or len(found[0].sides) != 2 or not is_definition(found[0].sides[0].latex):
            raise ValueError(
                f"a declaration is written name = expression, e.g. O_1 = \\sigma(w_1 x_1): not {written!r}"
            )
        out.append(found[0])
    return out


def _zeroed_identity(text: str, chains: list[Chain]) -> list[Chain]:
    """ "$L$ is the identity with its first entry set to 0" (no L = … written): L = diag(0, 1, …, 1), declared."""
    said = zeroed_identity(text)
    if said is None or any(chain.sides[0].latex.strip() == said[0] for chain in chains):
        return []
    (chain,) = declarations([rf"{said[0]} = \mathrm{{diag}}(0, 1, \dots, 1)"])
    words = f"the identity with its first entry 0, line {line_of(text, said[1])}"
    return [dataclasses.replace(chain, relations=(dataclasses.replace(chain.relations[0], annotation=words),))]


def clear_caches() -> None:
    """Forget memoised readings, verdicts and explanations (for benchmarks; results do not change)."""
    from .define import _taken
    from .diagnose import clear_caches as clear_diagnosis
    from .read import _read

    for cached in (_verify, _explain_holding, _context, _sides, _taken, _shape_error, _read, *CANONICAL_MEMOS):
        cached.cache_clear()
    clear_diagnosis()


# "with x_0^{(i)} = 1", or a bare θ₀ beside θ₁x₁ (σ(θ_0 + θ_1 x_1 + θ_2 x_2)): X has its column of ones
_THETA0 = r"\\theta\s*_\s*(?:\{\s*0\s*\}|0(?![0-9]))"
_ONES_SAID = re.compile(
    r"(?:(?<![A-Za-z\\])x\s*_\s*(?:\{\s*0\s*\}|0(?![0-9]))(?:\s*\^\s*\{\s*\(\s*i\s*\)\s*\})?|x₀)\s*=\s*1(?![0-9.])"
    rf"|{_THETA0}\s*\+\s*\\theta\s*_\s*\{{?\s*1\s*\}}?\s*x\s*_\s*\{{?\s*1"
)


_ONES_WORDS = "x₀⁽ⁱ⁾ = 1 (the column of ones the text writes θ₀ for): the data are sampled so"


def _in_matrix_form(*sides: sp.Basic) -> bool:
    return any(expand_abbreviations(side).has(X) for side in sides)


def _with_ones(side: sp.Basic) -> sp.Basic:
    """``side`` worked out with x₀ = 1 in every example: Σ_k θ_k x_k split into θ₀ + Σ_{k≥1} θ_k x_k."""
    worked = expand_abbreviations(side)  # not doit: SymPy would try each Σ in closed form (seconds); kept unevaluated
    if not worked.has(x):
        return side

    def split(s: sp.Sum) -> sp.Basic:
        k, low, high = s.limits[0]
        first = s.function.subs(k, 0)
        return first + sp.Sum(s.function, (k, low + 1, high)) if first.has(x) and low == 0 else s

    worked = worked.replace(lambda e: isinstance(e, sp.Sum) and len(e.limits) == 1, split)
    return worked.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == x and e.indices[-1] == 0, lambda e: sp.S.One
    )


def _bias_of_ones(side: sp.Basic) -> sp.Basic:
    """A derivative by θ₀ worked out with x₀⁽ⁱ⁾ = 1 (the bias b of w·x + b is θ₀); any other side as it is."""
    if not any(theta[0] in d.variables for d in side.atoms(sp.Derivative)):
        return side
    worked = expand_abbreviations(side).doit()
    worked = worked.replace(
        lambda s: isinstance(s, sp.Sum) and len(s.variables) == 1 and s.function.has(sp.KroneckerDelta),
        lambda s: s.function.subs(s.variables[0], 0),
    )
    return worked.xreplace({x[i, 0]: 1})


# --- update rules ----------------------------------------------------------------------------------


def _update_document(text: str, chains, model, own: bool, declared, named: bool) -> Document:
    """The document that reads update rules: in Bishop's notation (Σ_n, t_n, φ_n) with the parameter vector read
    entry by entry (w + η(t_n − wᵀφ_n)φ_n as θ_j + η(…)x_j), as check --latex reads it; else as the steps are."""
    _, bishop = text_context(_context(model, False, own), text)

    def bishops(example: bool) -> LatexContext:
        return dataclasses.replace(text_context(_context(model, example, own), text)[0], feature=j)

    reading = bishops if bishop else (lambda example: _context(model, example, own))
    return Document(text, chains, reading, declared, named=named, own=own)


def _update_parts(chain: Chain, document: Document) -> tuple[sp.Basic, sp.Basic, str] | None:
    """(θ as read, the step g, "descent" or "ascent") of an update-rule chain; None for any other chain."""
    if not is_update(chain):
        return None
    left, right = (document.read(stripped(side)) for side in chain.sides)
    if left.error is not None or right.error is not None:
        return None
    parameter, value = left.expr, right.expr
    if isinstance(value, sp.MatrixExpr) and not isinstance(parameter, sp.MatrixExpr):  # θ − (α/m)Xᵀ(…): θ the vector
        value, parameter = value.xreplace({parameter: Theta}), Theta
    try:
        g, target = split_update(value, parameter)
    except (ValueError, *CATCH):
        return None
    return parameter, g, target


def _update_step(text, chain: Chain, number: int, before: int, document: Document, chains, seed, stepped):
    """The step of an update rule (θ := θ − α·g) or a name it steps along (g = …, "the gradient is g = …"),
    checked against the gradient of the text's cost; None when the chain is neither (or cannot be read so)."""
    parts = _update_parts(chain, document)
    if parts is not None:
        parameter, g, target = parts
        variable = stripped(chain.sides[0]).latex.strip()
        if not isinstance(parameter, sp.Indexed):
            variable = r"\theta_j" if str(parameter) not in ("b", "w") else variable  # θ, w: checked entry by entry
    elif named_gradient(text, chain, stepped):
        right = document.read(chain.sides[1])
        if right.error is not None:
            return None
        g, target, variable = right.expr, "descent", r"\theta_j"
    else:
        return None
    relation = chain.relations[0]
    cost, maximised, where = cost_name(chains, chain.sides[0].start)
    derivative = document.read(Side(derivative_text(cost, variable), relation.start, relation.start, ()))
    if derivative.error is not None:
        return None
    written = next((d for d in document.definitions if d.start == where), None)
    if written is not None:  # E_D(w) = ½Σ…: the text's own cost, by its definition
        by = document.read(Side(variable, relation.start, relation.start, ())).expr
        derivative = dataclasses.replace(derivative, expr=sp.Derivative(written.body, by))
    try:
        lhs, rhs, _, assumed = _step_sides(derivative.expr, g, document.names_at(relation.start))
        one = i in rhs.free_symbols and i not in lhs.free_symbols
        if one:  # one example's step (stochastic): the gradient of its term
            lhs = expand_abbreviations(lhs).replace(
                lambda e: isinstance(e, sp.Sum) and list(e.variables) == [i], lambda e: e.function
            )
        factors = [-k if maximised else k for k in FACTORS[target]]
        verdicts = [(k, _verify(k * lhs, rhs, seed)) for k in factors]
    except CATCH:
        return None
    base = _where(text, relation, number, before + 1, chain.sides[0].latex, chain.sides[1].latex)
    base |= {"reading": (to_unicode(lhs), to_unicode(rhs)), "interpretations": tuple(dict.fromkeys(assumed))}
    name = _cost_letter(cost) if written is not None or maximised else "J"
    if parts is None:
        what = f"{stripped(chain.sides[0]).latex.strip()} read as the gradient ∇{name} (the text steps along it)"
    else:
        what = f"an update rule (gradient {target}): its step g checked against ∇{name}"
    for k, verdict in verdicts:
        if verdict.ok:
            times = "" if k in (1, -1) else "m·"
            absorbs = "" if k in (1, -1) else " (the step size absorbs m)"
            note = f"{what}: g = {'−' if k < 0 else ''}{times}∇{name}{absorbs}"
            note += " of one example's term (a stochastic step)" if one else ""
            return ProofStep(status=HOLDS, verdict=verdict, note=note, **base)
    verdict = verdicts[0][1]
    if verdict.status != FAILS:  # undecided: said as it is
        return ProofStep(status=ProofStatus(verdict.status), verdict=verdict, note=what, **base)
    climbs = any(_verify(-k * lhs, rhs, seed).ok for k in factors)
    if climbs:
        message = _climbs(g, target, name, maximised, parts is None)
        diagnosis = Diagnosis("sign", message)
    else:
        diagnosis = diagnose(factors[0] * lhs, rhs, seed=seed)
    return ProofStep(status=FAILS, verdict=verdict, note=what, diagnosis=diagnosis, **base)


def _climbs(g: sp.Basic, target: str, name: str, maximised: bool, named: bool) -> str:
    """The sign slip of an update (or of the g it steps along) in the user's terms."""
    written, right = to_unicode(g), to_unicode(_negated(g))
    if isinstance(g, sp.Symbol):  # θ := θ − αg: g's own line says what it is
        right = f"−{written}"
    if named:
        return f"{written} is −∇{name}, not the gradient: ∇{name} = {right} (descent subtracts α∇{name})"
    if maximised and target == "descent":
        return f"this update descends {name}: {written} is ∇{name}; ascent adds α·({written})"
    if maximised:
        return f"this update descends {name}: {written} is −∇{name}; ascent adds α·({right})"
    if target == "descent":
        return f"this update climbs {name}: {written} is −∇{name}; descent subtracts α·({right})"
    return f"this update climbs {name}: it adds α∇{name}; descent subtracts it, ascent adds α·{right} = −α∇{name}"


def _cost_letter(cost: str) -> str:
    r"""The cost's name as the report prints it: ``E_D(\mathbf{w})`` → E_D, ``\ell(\theta)`` → ℓ."""
    name = re.sub(r"\\(mathcal|mathrm|operatorname)\s*\{\s*([A-Za-z]+)\s*\}", r"\2", cost.strip())
    name = re.sub(r"\s*(\\left\s*)?\(.*\)\s*$", "", name, flags=re.DOTALL)
    return re.sub(r"\\ell", "ℓ", re.sub(r"\\(log|ln)\s*", r"\1 ", name)).replace("{", "").replace("}", "") or "J"


def _negated(g: sp.Basic) -> sp.Basic:
    """−g written as the user would: the first sum inside negated ((y − h) → (h − y)), else −g."""
    for node in sp.preorder_traversal(g):
        if node.free_symbols <= {m, n}:  # a shape (n + 1), not the residual
            continue
        if isinstance(node, sp.Add):
            return g.xreplace({node: sp.Add(*[-t for t in node.args])})
        if isinstance(node, sp.MatAdd):
            return g.xreplace({node: sp.MatAdd(*[-t for t in node.args])})
    return -g


# --- one chain -----------------------------------------------------------------------------------

# H, \mathbf{H} or H_{jk} on a left side, in a text that differentiates twice or says "Hessian"
_HESSIAN = re.compile(
    rf"^\s*(?:H|{_BOLD_OPEN}H\s*\}})\s*(?:_\s*\{{\s*(?P<j>[a-z])\s*,?\s*(?P<k>[a-z])\s*\}}"
    r"|_\s*(?:J|\\theta|\{\s*(?:J|\\theta)\s*\}))?"  # H_J, H_θ: the Hessian of J
    rf"\s*(?:(?:\\left\s*)?\(\s*(?:\\theta|w|{_BOLD_OPEN}(?:\\theta|w)\s*\}})\s*(?:\\right\s*)?\))?\s*$"  # H(θ), H(𝛉)
)
_TWICE = re.compile(
    r"(?i)Hessian|second\s+derivative|differentiat\w*\s+(?:\w+\s+)?(?:once\s+more|again|twice)"
    r"|\\(?:partial|nabla)\s*\^\s*\{?\s*2"
)
_HESSIAN_WORDS = (
    "this is the Hessian of J (the text differentiates twice), checked entry by entry against the second derivatives "
    "of the cost, and the text writes no J(θ) = … and names no model: not checked (write J(θ) = …, or name the "
    "model with --hypothesis MODEL: linear regression's Hessian is (1/m)XᵀX, logistic regression's (1/m)XᵀSX)"
)


# ∇²_θ J(θ), ∇_θ² J, ∇²J, \nabla\nabla^T J: the Hessian of the text's cost as a matrix
_NABLA_SQUARED = re.compile(
    r"^\s*\\nabla\s*(?:\^\s*\{?\s*2\s*\}?\s*(?:_\s*(?:\{\s*)?(?:\\theta|w)\s*\}?)?"
    r"|_\s*(?:\{\s*)?(?:\\theta|w)\s*\}?\s*\^\s*\{?\s*2\s*\}?)"
    r"\s*J\s*(?:(?:\\left\s*)?\(\s*(?:\\theta|w)\s*(?:\\right\s*)?\))?\s*$"
)
_DIAGONAL_ENTRY = re.compile(r"^\s*[A-Z]\s*_\s*\{\s*([a-z])\s*,?\s*\1\s*\}\s*$")  # S_{ii}: a diagonal matrix's entry
_HESSIAN_ENTRIES = r"\frac{\partial^2 J}{\partial\theta_j\partial\theta_k}"
_HESSIAN_ENTRY_WORDS = (
    "read the Hessian {name} = M entry by entry: ∂²J/∂θ_j∂θ_k = [M]_jk, checked at sampled j, k against "
    "the second derivatives of J"
)


def _hessian_entries(chain: Chain, text: str, named: bool) -> tuple[Chain, str | None]:
    """∇²_θ J(θ) = (1/m)XᵀSX (or the matrix H = … in a text that differentiates twice) where the text writes its J or
    names its model: each side read as its entry (j, k), the first as ∂²J/∂θ_j∂θ_k, the others as [M]_{jk}; the
    words that say so.  With no model named (logistic by default) the Hessian is refused (:data:`_HESSIAN_WORDS`):
    linear regression's is (1/m)XᵀX, logistic's (1/m)XᵀSX."""
    first = chain.sides[0]
    nabla = _NABLA_SQUARED.match(first.latex) is not None
    if not named or _hessian_name(text, first) != "":
        return chain, None
    entry = []
    for side in chain.sides:  # H = ∇²J = …: each name of the Hessian its entry, each matrix [M]_{jk}
        named = not entry or _NABLA_SQUARED.match(side.latex) or _hessian_name(text, side) == ""
        written = _HESSIAN_ENTRIES if named else rf"\left[{side.text}\right]_{{jk}}"
        entry.append(dataclasses.replace(side, text=written, rows=(written,)))
    return dataclasses.replace(chain, sides=tuple(entry)), _HESSIAN_ENTRY_WORDS.format(name="∇²J" if nabla else "H")


def _hessian_name(text: str, first) -> str | None:
    """For a side that names the Hessian: ∂²J/∂θ_j∂θ_k for H_{jk}, "" for the matrix H or ∇²J; else None."""
    if _NABLA_SQUARED.match(first.latex) is not None:
        return ""
    found = _HESSIAN.match(first.latex)
    if found is None or _TWICE.search(text) is None:
        return None
    if found["j"] is None:
        return ""
    return rf"\frac{{\partial^2 J}}{{\partial\theta_{found['j']}\partial\theta_{found['k']}}}"


@lru_cache(maxsize=512)
def _cached_unicode(expr) -> str:
    return to_unicode(expr)


def _unicode(expr) -> str:
    """to_unicode, once per expression: inferred_hypothesis checks the same sides under ~24 models (half its time
    went to printing readings no one sees)."""
    try:
        return _cached_unicode(expr)
    except TypeError:  # unhashable
        return to_unicode(expr)


def _check_chain(text, chain: Chain, number: int, before: int, document: Document, hypothesis, seed, explain):
    example = _example_form(chain, document.vectors)
    context = document.context_of(example)
    variable = chain_variable([side.text for side in chain.sides])
    hessian = _hessian_name(text, chain.sides[0])
    entries = chain.sides[0].text == _HESSIAN_ENTRIES  # ∇²J = M read entry by entry: a claim, never a definition
    if hessian:  # H_{jk} = … in a text about the Hessian: a claim about ∂²J/∂θ_j∂θ_k, read as that
        first = chain.sides[0]
        chain = dataclasses.replace(chain, sides=(dataclasses.replace(first, text=hessian, rows=(hessian,)),
                                                  *chain.sides[1:]))  # fmt: skip
    readings = [document.read(side, example, variable) for side in chain.sides]
    read = [r.expr if r.error is None else r.error.message for r in readings]
    # J = … with J the model's cost letter is checked like J(θ) = …: a wrong cost is caught where it is written
    defining = not entries and (
        _DIAGONAL_ENTRY.match(chain.sides[0].latex) is not None  # S_{ii} = σ(θᵀx⁽ⁱ⁾)(1 − σ(θᵀx⁽ⁱ⁾)): S's entries
        or (document.own_cost and is_own_cost(chain.sides[0].latex))
        or chain.sides[0].start in document.own_h_starts  # h_θ(x) = σ(−θᵀx): the text's own h
        or chain.sides[0].start in document.functions.starts  # h(x) = g(θᵀx), ℓ(θ; x, y) = …: a function it defines
        or (document.intercept and is_intercept_definition(chain.sides[0].latex))
        or (
            is_definition(chain.sides[0].latex)
            and chain.sides[0].start not in document.checked_links
            and not (chain.sides[0].latex.strip() == "J" and hasattr(context.costs.get("J"), "definition"))
        )
    )
    out: list[ProofStep] = []
    earlier = None  # the restriction to j ≥ 1 an earlier step of the chain stated
    # "… = (λ/m)θ_j  (j ≥ 1)" on the chain's last row: the whole chain is about j ≥ 1, as a display's closing
    # condition means (its first steps, with the penalty's derivative in them, hold there only)
    closing = condition(chain.relations[-1].annotation, "the chain's last row") if len(chain.relations) > 1 else None
    for k, relation in enumerate(chain.relations):
        left, right = chain.sides[k], chain.sides[k + 1]
        base = _where(text, relation, number, before + k + 1, left.latex, right.latex)
        if k == 0 and len(chain.relations) == 1:  # θ = (XᵀX)⁻¹Xᵀy: a claim, not a definition
            solved = _minimiser(text, base, readings, hypothesis if document.named else None, seed)
            if solved is not None:
                out.append(solved)
                continue
        if k == 0 and hessian == "":  # H = (1/m)XᵀSX after ∂²J/∂θ_j∂θ_k: the text's result, which verify cannot read
            unreadable = Unreadable("left", _HESSIAN_WORDS, "", line_of(text, relation.start))
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=unreadable, **base))
            continue
        if k == 0 and defining:
            own = document.own_cost and is_own_cost(left.latex)
            words = _WEIGHTED_WORDS.format(c=document.example_weight) if document.example_weight else OWN_COST_WORDS
            words = document.own_words or words
            note = f"a definition: not checked ({words})" if own else "a definition: not checked"
            out.append(ProofStep(status=DEFINITION, note=note, **base))
            continue
        if is_label_sum(chain):
            out.append(ProofStep(status=DEFINITION, note=_GIVEN_WORDS, **base))
            continue
        if k == len(chain.relations) - 1 and k > 0 and COLUMNS.match(right.latex):
            note = "a definition: not checked (the columns of the matrix, one per example x⁽ⁱ⁾)"
            out.append(ProofStep(status=DEFINITION, note=note, **base))
            continue
        unread = [(name, side, r) for name, side, r in (("left", left, readings[k]), ("right", right, readings[k + 1]))
                  if r.error is not None]  # fmt: skip
        if unread and defining and any(is_likelihood(side.latex) for _, side, _ in unread):
            note = "the likelihood, read as the sum the chain writes out next: not checked"
            out.append(ProofStep(status=DEFINITION, note=note, interpretations=(_LIKELIHOOD_WORDS,), **base))
            continue
        own = document.own_prediction
        if not unread and own is not None and any(BARE_WORDS in r.interpretations for r in readings[k : k + 2]):
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=_own_prediction(text, own, context), **base))
            continue
        letter = stated_rule(text, chain) if unread else None
        if letter is not None:  # "using ∇(θᵀMθ) = 2Mθ for symmetric M": a fact the steps may use, not one of them
            out.append(ProofStep(status=DEFINITION, note=_STATED_WORDS.format(letter=letter), **base))
            continue
        if unread:
            side_name, _, reading = unread[0]
            unreadable = _unread_hessian(text, relation, reading) if entries else _unreadable(text, side_name, reading)
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=unreadable, **base))
            continue
        names = document.names_at(relation.start, example)
        pair, one_weight = _one_weight(read[k], read[k + 1], readings[k : k + 2])
        try:
            lhs, rhs, note, assumed = _step_sides(*pair, names)
        except CATCH:  # SymPy refuses the result, e.g. a name defined as a vector put where a number is
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=_misfit(text, relation.start), **base))
            continue
        if document.dotted:  # ∂J/∂b of w·x + b: ∂J/∂θ₀ with x₀ = 1
            lhs, rhs = _bias_of_ones(lhs), _bias_of_ones(rhs)
        elif affirmed(_ONES_SAID, document.text):  # x_0^{(i)} = 1 said (not 'we do not assume'), or θ₀ + θ₁x₁
            try:  # by entries only: a side in matrix form (its X drawn whole) keeps the data as drawn
                ones = (lhs, rhs) if _in_matrix_form(lhs, rhs) else (_with_ones(lhs), _with_ones(rhs))
            except CATCH:  # a side SymPy cannot work out: sampled as read
                ones = lhs, rhs
            if ones != (lhs, rhs):
                lhs, rhs, assumed = *ones, [*assumed, _ONES_WORDS]
        missing = document.unread_in(lhs, rhs)
        if missing is not None:  # L = Π … that could not be read: L is not a free letter
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=_undefined(text, *missing), **base))
            continue
        free = undefined_name(lhs, rhs)
        if free is not None and document.named and _by_parameters(free, lhs, rhs) and "J" in context.costs:
            # ∇_w L with L defined nowhere, under a model the user named: the model's cost, said so
            cost = context.costs["J"]
            names = {**names, free: NameDefinition(free, (), cost, 0, 0, _cost_words(free, cost, hypothesis))}
            lhs, rhs, note, assumed = _step_sides(read[k], read[k + 1], names)
            free = undefined_name(lhs, rhs)
        if free is not None:  # ∂L/∂ŷ with no L = … anywhere: nothing to differentiate
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=_free(text, free, relation.start), **base))
            continue
        by_name = _cost_by_name(read[k], names, context)
        if by_name is not None:  # ∂J/∂z_i: the model's J is of θ; by the text's z_i it would read 0
            unreadable = Unreadable(
                "left", _BY_NAME_WORDS.format(name=to_unicode(by_name)), "", line_of(text, relation.start)
            )
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=unreadable, **base))
            continue
        sigmoid = _of_the_sigmoid(read[k : k + 2], context, cost=not document.writes_j)
        if document.sigma_line is not None and sigmoid is not None:
            words = _OWN_SIGMA_WORDS[sigmoid].format(line=document.sigma_line)
            unreadable = Unreadable("left", words, "", line_of(text, relation.start))
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=unreadable, **base))
            continue
        misnamed = document.misnamed
        if misnamed is not None and relation.start > misnamed[1] and (sigmoid or _has_sigmoid(read[k : k + 2])):
            words = _MISNAMED_WORDS.format(line=misnamed[0])
            unreadable = Unreadable("left", words, "", line_of(text, relation.start))
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=unreadable, **base))
            continue
        declared = _declared_in(document.text, lhs, rhs)
        if declared is not None:  # x ∈ ℝ^n, W ∈ ℝ^{3×n} read as numbers: transpose slips would hold
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=_declared(text, declared, relation.start), **base))
            continue
        if any(_LAYER.search(str(s)) for s in lhs.atoms(sp.Symbol) | rhs.atoms(sp.Symbol)):
            assumed = [*assumed, _LAYER_WORDS]  # z^{(1)}, w^{(2)} one number each: said, as the reading assumes it
        misshapen = _misshapen(lhs, rhs)
        if misshapen is not None:  # w read as the vector θ, then used as a number
            unreadable = _shape_misfit(text, misshapen, relation.start)
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=unreadable, **base))
            continue
        assumed = [*readings[k].interpretations, *readings[k + 1].interpretations, *assumed, *one_weight]
        assumed = [words for words in assumed if not (one_weight and words == _W_AS_THETA)]
        lhs, rhs, classes, other_classes = class_index(lhs, rhs)
        lhs, rhs, by_class = class_weights_gradient(lhs, rhs)  # UFLDL's ∂J/∂θ_k: column k of W
        assumed += classes + by_class
        if document.labels_sum_line is not None and (lhs.has(y_indexed) or rhs.has(y_indexed)):
            lhs, rhs = labels_summing_to_one(lhs), labels_summing_to_one(rhs)
            assumed.append(LABELS_WORDS.format(line=document.labels_sum_line))
        cost = differentiated_name(read[k], names)
        warned = ()
        if cost is not None:
            words, warning = document.cost_words(cost, seed)
            if warning:
                warned = (words,)
            elif words:
                assumed.append(words)
        restricted = (
            condition(relation.annotation)
            or condition(relation.restriction, relation.restriction_where)
            or closing
            or (earlier and (earlier[0], "checked for j ≥ 1, as stated earlier in the chain"))
            or _from_one(document, assumed, lhs, rhs)
        )
        if restricted is not None:  # a chain restricted to j ≥ 1 goes on about the same j
            earlier = restricted if earlier is None else earlier
            lhs, rhs = lhs * restricted[0], rhs * restricted[0]
            assumed.append(restricted[1])
        verdict = _each_class(lhs, rhs, other_classes, seed)
        # L guessed as the default model's loss in a step with no ŷ to say so: a failure may be the guess's
        guessed = [] if document.named or _HAT.search(left.text + right.text) else used_implied(assumed)
        if guessed and (not verdict.ok or _constant_of(guessed, read[k], lhs, rhs)):
            unreadable = _free(text, sp.Symbol(guessed[0]), relation.start)
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=unreadable, **base))
            continue
        scope = None
        cost_j = context.costs.get("J")  # (the sigmoid's "cost" is σ(z) itself: no J to read)
        if (
            example
            and document.summed is None
            and hasattr(cost_j, "definition")
            and (lhs.has(cost_j.func) or rhs.has(cost_j.func))
        ):
            note = "J(θ) read as the cost of one example: the chain has no Σ and no x⁽ⁱ⁾"
            if document.said_one is not None:  # "SGD, one example at a time" after J = (1/m)Σ…: the text's context
                scope, note = _ONE_EXAMPLE_SCOPE, _ONE_EXAMPLE_SAID.format(line=document.said_one)
        reading = (_unicode(read[k]), _unicode(read[k + 1]))
        warnings = tuple(dict.fromkeys(readings[k].warnings + readings[k + 1].warnings + warned))
        slip = None
        if verdict.ok and _ENTRY_WORDS in readings[k + 1].interpretations and _BY_ENTRY.search(chain.sides[0].latex):
            # ∂J/∂θ_j = (1/m)Σ(σ − y)x⁽ⁱ⁾: a vector where the number x_j⁽ⁱ⁾ belongs, false as written
            slip = Diagnosis("vector-for-entry", _ENTRY_SLIP)
        elif (
            verdict.ok
            and _X_J.search(right.text)
            and (
                (
                    k == 0
                    and ENTRY_J_WORDS in assumed
                    and not any("entry by entry" in words for words in assumed)  # x⁽ⁱ⁾, x_i written: the vector
                    and _NABLA.search(left.text)
                )
                # ∇_θ J = (1/m)Σ(h − y)x⁽ⁱ⁾ = (1/m)Σ(h − y)x_j⁽ⁱ⁾: the chain's vector, then one of its entries
                or (k > 0 and _vector_head(chain.sides[0].latex) and not _X_J.search(left.text))
            )
            and not _each_j(text, relation.start)
        ):
            # ∇_θ J = (1/m)Σ(σ − y)x_j⁽ⁱ⁾: one number where the vector belongs, unless the text says "for each j"
            slip = Diagnosis("entry-for-vector", _VECTOR_SLIP)
        if slip is not None:  # (∂/∂θ read as ∂/∂θ_j is what the step is refused for: not a reading it was given)
            kept = tuple(dict.fromkeys(w for w in assumed if slip.kind != "entry-for-vector" or w != ENTRY_J_WORDS))
            out.append(ProofStep(status=FAILS, verdict=verdict, diagnosis=slip, reading=reading,
                                 interpretations=kept, **base))  # fmt: skip
            continue
        step = ProofStep(status=ProofStatus(verdict.status), verdict=verdict, note=note, reading=reading,
                         interpretations=tuple(dict.fromkeys(assumed)), warnings=warnings, scope=scope,
                         **base)  # fmt: skip
        if explain[0] and (explain[1] or step.status != HOLDS):
            step = _explain(step, lhs, rhs, (hypothesis, example), out, read, k, seed, document)
        out.append(step)
    return out


_ONE_EXAMPLE_SCOPE = "for one example (m = 1), as the text says"
_ONE_EXAMPLE_SAID = (
    "the J(θ) of line {line} is a mean over the m examples; this step is its gradient for one example, as the "
    "text's prose says (for the whole sum, ∂J/∂θ_j is (1/m)Σᵢ of the same term at x⁽ⁱ⁾, y⁽ⁱ⁾)"
)
_OWN_H_WORDS = (
    "J is the text's own cost, written with its own h (line {line}), not the model's h_θ: the steps are checked "
    "against it as written"
)
_BARE_H = re.compile(r"(?<![A-Za-z\\])h(?![A-Za-z_])")
_APPLIED_H = re.compile(  # h(…), h_θ(…), θ bold or not
    r"(?<![A-Za-z\\])h\s*(?:_\s*\{?\s*(?:\\(?:boldsymbol|mathbf|bm)\s*\{?\s*)?\\theta\s*\}?\s*\}?\s*)?(?:\\left\s*)?\("
)


def _own_h_cost(chains: list[Chain], document: Document) -> NameDefinition | None:
    """The text's own h of one example (not the model's h_θ) when the text defines J(θ) = … with it: of one example
    with a bare h, or with h applied to an example (h(x⁽ⁱ⁾), h_θ(x_i)) with or without Σ; else None."""
    own, vectors = document.own_h, document.vectors
    vector = document.own_prediction
    if own is None and vector is not None and str(vector.key) in vectors:  # h = σ(−Xθ), then J = −(1/m)[yᵀlog h …]
        matrix = any(
            len(c.sides) >= 2 and is_own_cost(c.sides[0].latex) and _BARE_H.search(c.sides[1].latex) for c in chains
        )
        return vector if matrix else None
    if own is None:
        return None
    written = any(
        len(c.sides) >= 2
        and is_own_cost(c.sides[0].latex)
        and (
            _APPLIED_H.search(c.sides[1].latex)
            or (_BARE_H.search(c.sides[1].latex) and _example_form(Chain(c.sides[:2], c.relations[:1]), vectors))
        )
        for c in chains
    )
    return own if written else None


_STATED_WORDS = (
    "a rule the text states in a sentence, of {letter}, a letter no other formula of the text uses: not checked"
)
_WEIGHTED_WORDS = (
    "J is the text's own cost, {c}_i a weight of example i (data, not a parameter): the steps are checked against it "
    "as written, not against a model's J(θ)"
)
_FROM_ONE_WORDS = "holds for j ≥ 1 only, not at j = 0: write (j ≥ 1) beside the row, and j = 0 on its own"
_NO_PENALTY = " (the penalty leaves θ₀ out: ∂J/∂θ₀ has no λ term; Σ_{j=0}^{n} in J if θ₀ is penalised too)"
_GIVEN_WORDS = "a fact the text states of the labels (they sum to 1): not checked, used in the steps"
_LIKELIHOOD_WORDS = "read the likelihood P(D|w) as the product of the model's probabilities, written out next"


def _each_class(lhs, rhs, others: tuple, seed: int) -> Verdict:
    """``lhs = rhs`` with each free class index in ``others`` put at every class 1..K in turn (the sampler runs one
    class index, c): ∂p_k/∂z_j = p_k(δ_kj − p_j) over every pair of classes."""
    if not others:
        return _verify(lhs, rhs, seed)
    verdict = None
    for values in itertools.product(range(1, SIZES[K] + 1), repeat=len(others)):
        put = dict(zip(others, values, strict=True))
        verdict = _verify(lhs.xreplace(put), rhs.xreplace(put), seed)
        if not verdict.ok:
            example = None if verdict.counterexample is None else {str(o): v for o, v in put.items()}
            return dataclasses.replace(verdict, counterexample=example and example | verdict.counterexample)
    return verdict


def _explain(step: ProofStep, lhs, rhs, reading, done: list[ProofStep], read, k: int, seed: int, document) -> ProofStep:
    from dataclasses import replace

    if step.status == HOLDS:
        # "where p_i = …" and "for j ≥ 1" are no rule
        claimed = None if defines_a_name(step.annotation) or only_a_condition(step.annotation) else step.annotation
        recognition, claim = _explain_holding(lhs, rhs, reading, step.lhs, step.rhs, claimed)
        return replace(step, recognition=recognition, claim=claim)
    if step.status != FAILS:
        return step
    if done and done[-1].status == FAILS and k >= 1 and not isinstance(read[k - 1], str):
        try:
            earlier, _, _, _ = _step_sides(read[k - 1], read[k + 1], document.names_at(step.start, reading[1]))
        except CATCH:
            earlier = None
        if earlier is not None and _verify(earlier, rhs, seed).ok:
            message = (
                f"inherited: the right side equals the left side of step {done[-1].number}, whose right side is wrong"
            )
            return replace(step, diagnosis=Diagnosis("inherited", message))
    from_one = 1 - sp.KroneckerDelta(j, 0)
    if _by_theta_j(lhs) and not lhs.has(from_one) and _verify(lhs * from_one, rhs * from_one, seed).ok:
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
    mean, one = document.context_of(True).costs.get("J"), _context(hypothesis, True, document.own_cost).costs.get("J")
    if mean is None or one is None or mean == one or not (lhs.has(mean) or rhs.has(mean)):
        return None
    if not _verify(lhs.xreplace({mean: one}), rhs.xreplace({mean: one}), seed).ok:
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
            alternative = _step_sides(*sides, unsaid)[:2] if changed else None
        except CATCH:
            alternative = None
        if alternative is not None and _verify(*alternative, seed).ok:
            name = to_unicode(changed[0].key) + (f" (line {changed[0].line})" if changed[0].line else "")
            return Diagnosis("one example", _ONE_EXAMPLE_HINT.format(name=name))
    if document.labels_sum_line is None and (lhs.has(y_indexed) or rhs.has(y_indexed)):
        if _verify(labels_summing_to_one(lhs), labels_summing_to_one(rhs), seed).ok:
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
        if _step_sides(left, right, names)[1] != rhs:
            return  # a restriction (j ≥ 1) was put on the sides: the near misses are not comparable
        candidates = near_misses(right, names)
    except CATCH:
        return
    for changed, kind, words in candidates:
        try:
            yield _step_sides(left, changed, names)[1], kind, words
        except CATCH:
            continue


@lru_cache(maxsize=1024)
def _explain_holding(lhs, rhs, reading: tuple[str, bool], lhs_text: str, rhs_text: str, annotation: str | None):
    context = _context(*reading)
    recognition = recognise(lhs, rhs, context, (lhs_text, rhs_text))
    claim = check_claim(annotation, lhs, rhs, recognition, context) if annotation else None
    return recognition, claim


def _step_sides(left, right, names: dict):
    """:func:`step_sides`, memoised: the same step in another copy of a document is resolved once."""
    try:
        return _sides(left, right, tuple(names.items()))
    except TypeError:  # a mutable matrix: not hashable
        return step_sides(left, right, names)


@lru_cache(maxsize=4096)
def _sides(left, right, names: tuple):
    lhs, rhs, note, assumed = step_sides(left, right, dict(names))
    return lhs, rhs, note, tuple(assumed)


@lru_cache(maxsize=4096)
def _verify(lhs: sp.Expr, rhs: sp.Expr, seed: int) -> Verdict:
    return checked_equality(lhs, rhs, seed)


# --- reading one side ------------------------------------------------------------------------------


def _example_form(chain: Chain, vectors=()) -> bool:
    """True when the chain is about one training example: no Σ (but over features: Σ_k θ_k x_k), no superscript
    (i), no X nor a name for a vector
    of X's (``vectors``: h = g(Xθ)) anywhere."""
    pattern = (  # a Σ over the features (Σ_k θ_k x_k) is not over the examples; X^TX too
        r"\\sum(?!\s*_\s*\{?\s*[jkl]\s*(=|\}|\s|\\|$))|[Σ∑⁽]|\^\s*\{?\s*\(?\s*i\b"
        r"|((?<![\\A-Za-z])|(?<=\^T)|(?<=\\top))X(?![A-Za-z])"
    )
    typed = r"(?<![\\A-Za-z])(sum(?=\s*[_(\[{])|[xy](_\{?[a-z0-9]\}?)?\(\s*i\s*\))"  # sum(…), y(i) in plain text
    named = "|".join(name_pattern(name) for name in vectors)
    texts = [side.text for side in chain.sides[1:]] if vectors else []  # not the name's own definition
    return not any(re.search(pattern, side.text) or re.search(typed, side.text) for side in chain.sides) and not any(
        re.search(named, text) for text in texts
    )


def _free(text: str, name: sp.Basic, position: int) -> Unreadable:
    shown = to_unicode(name)
    message = (
        f"{shown} is differentiated but not defined in the text: write what {shown} is ({shown} = …) first, "
        "or name the model whose cost it is (--hypothesis MODEL)"
    )
    return Unreadable("left", message, "", line_of(text, position))


_COST_LETTERS = {"L", "E", "C", "J", "ℓ", "l"}


_HAT = re.compile(r"\\(wide)?hat|ŷ")


def used_implied(assumed: list[str]) -> list[str]:
    """The loss letters read as the model's loss though the text defines them nowhere (from the words assumed)."""
    return [words.split(" = ")[0].removeprefix("read ") for words in assumed if IMPLIED_LOSS in words]


def _by_parameters(name: sp.Basic, *sides: sp.Basic) -> bool:
    """True when ``name`` is a loss letter differentiated by the parameters only (∇_w L), not by ŷ or z."""
    variables = [v for side in sides for d in side.atoms(sp.Derivative) if d.expr == name for v in d.variables]
    is_parameter = [v == Theta or (isinstance(v, sp.Indexed) and v.base == theta) for v in variables]
    return str(name) in _COST_LETTERS and bool(variables) and all(is_parameter)


def _cost_words(name: sp.Basic, cost: sp.Basic, model: str) -> str:
    return f"the model's cost (--hypothesis {model}): {to_unicode(name)} is defined nowhere in the text"


def _misfit(text: str, position: int) -> Unreadable:
    message = (
        "a name defined in the text does not fit this step (a vector or matrix where a number belongs?): "
        "define it as the step uses it, e.g. with \\theta^T x^{(i)} for a number"
    )
    return Unreadable("definition", message, "", line_of(text, position))


def _misshapen(lhs: sp.Basic, rhs: sp.Basic) -> str | None:
    """The side that is not well formed at the checker's sizes (a vector θ where a number belongs), else None."""
    for name, side in (("left", lhs), ("right", rhs)):
        if _shape_error(side):
            return name
    return None


@memoised_on_tree
def _shape_error(side: sp.Basic) -> bool:
    """Whether sizing the side raises a ShapeError."""
    try:
        plain(side).xreplace(SIZES)
    except sp.ShapeError:
        return True
    except CATCH:  # anything else is the checker's to report
        return False
    return False


def _from_one(document: Document, assumed: list[str], lhs: sp.Basic, rhs: sp.Basic):
    """A row j of a text whose w is w_1, …, w_n (:func:`~derivation.proof.facts.w_from_one`), w read as θ: checked
    for j ≥ 1 only (θ₀ is the model's intercept, no entry of the text's w); else None."""
    if not (document.w_from_one and _W_AS_THETA in assumed and j in lhs.free_symbols | rhs.free_symbols):
        return None
    return 1 - sp.KroneckerDelta(j, 0), W_FROM_ONE_WORDS


_ONE_WEIGHT = sp.Symbol("w", real=True)
_ONE_WEIGHT_WORDS = "read w as one weight, a number (w x with no transpose and no index: one feature x)"


def _one_weight(left, right, readings) -> tuple[tuple, tuple[str, ...]]:
    """∂/∂w max(0, 1 − ywx): w read as θ, then multiplied as a number, with no feature vector or index
    (x_j, x⁽ⁱ⁾, X) anywhere: w is one weight, a number; else the sides as read."""
    sides = (left, right)
    if (
        any(isinstance(e, str) for e in sides)
        or not any(_W_AS_THETA in r.interpretations for r in readings)
        or any(e.atoms(sp.Indexed) or e.has(X) or (e.atoms(sp.MatrixSymbol) - {Theta}) for e in sides)
        or _misshapen(left, right) is None
    ):
        return sides, ()
    return tuple(e.xreplace({Theta: _ONE_WEIGHT}) for e in sides), (_ONE_WEIGHT_WORDS,)


# x ∈ ℝ^n, W^{(1)} ∈ \mathbb{R}^{3 \times n}: the text says which letters are vectors or matrices
_DECLARED = re.compile(
    r"(?<![A-Za-z\\])([A-Za-z])(?:\s*\^\s*\{\s*\(\s*\w+\s*\)\s*\}|\s*_\s*\{?\s*\w+\s*\}?)?\s*"
    r"(?:\\in|∈)\s*(?:\\mathbb\s*\{?\s*R\s*\}?|ℝ)\s*\^\s*(\{[^}]*\}|\w)"
)


# a transpose of a letter other than θ (w^{(2)T}, W^T), ⊙, a bold or arrowed letter, ℝ^…: the text writes vectors
_VECTOR_SAID = re.compile(
    r"(?<!theta)(?<!θ)\s*\^\s*\{?[^{}$]*?(?<![A-Za-z\\])(?:T|\\top|\\intercal)(?![A-Za-z])|ᵀ"
    r"|\\(?:odot|mathbf|boldsymbol|bm|vec)(?![A-Za-z])|⊙|\\mathbb\s*\{?\s*R\s*\}?\s*\^|ℝ"
)
_LAYER_WORDS = "read the network's names as numbers (one unit per layer: the text writes no vector)"
_LAYER = re.compile(r"\^\(\d+\)")  # z^(1), W^(2): a layer's name, read as one number


@lru_cache(maxsize=8)
def _vector_signs(text: str) -> tuple[frozenset[str], bool]:
    """The letters ``text`` declares vectors or matrices, and whether it writes vectors at all: once per text (the
    two searches over a long document took ~4 ms, and every step asked)."""
    letters = {m.group(1) for m in _DECLARED.finditer(text) if m.group(2).strip("{} ") not in ("1", "1\\times1")}
    vectors = _VECTOR_SAID.search(re.sub(r"\\theta\s*\^\s*\{?\s*(T|\\top)\b|θᵀ", "", text)) is not None
    return frozenset(letters), vectors


def _declared_in(text: str, lhs: sp.Basic, rhs: sp.Basic) -> sp.Symbol | None:
    """A letter the text declares a vector or matrix (x ∈ ℝ^n, W ∈ ℝ^{3×n}) that the step reads as one number (a
    plain symbol, as layer names are read), or a layer's name (z^{(1)}) or a stray T read as a number in a text that
    writes vectors; else None: a network of vectors read as numbers proves transpose slips."""
    letters, vectors = _vector_signs(text)
    if not (letters or vectors):
        return None
    labels = {b.label for side in (lhs, rhs) for b in side.atoms(sp.IndexedBase)}
    for symbol in sorted(lhs.atoms(sp.Symbol) | rhs.atoms(sp.Symbol), key=str):  # free_symbols walks each Σ again
        if not isinstance(symbol, sp.Symbol) or symbol in labels:
            continue
        if re.split(r"[_^(]", str(symbol))[0] in letters or (
            vectors and (str(symbol) == "T" or _LAYER.search(str(symbol)))
        ):
            return symbol
    return None


def _declared(text: str, name: sp.Basic, position: int) -> Unreadable:
    shown = to_unicode(name)
    message = (
        f"the text writes vectors or matrices (∈ ℝ^…, a transpose, ⊙ or bold letters), but this step reads {shown} "
        "as one number, as a network of one unit per layer: write the step for one unit, or entry by entry"
    )
    return Unreadable("definition", message, "", line_of(text, position))


_ENTRY_WORDS = "read the vector x⁽ⁱ⁾ entry by entry, as x_j⁽ⁱ⁾"
_X_J = re.compile(  # x_j⁽ⁱ⁾, x_{ij}, \mathbf{x}_j⁽ⁱ⁾, \vec{x}_j⁽ⁱ⁾
    r"(?:(?<![A-Za-z\\])x|\\(?:mathbf|boldsymbol|bm|vec)\s*(?:\{\s*x\s*\}|\s+x(?![A-Za-z])))"
    r"\s*(\^\s*\{[^{}]*\}\s*)?_\s*\{?\s*(i\s*,?\s*)?j(?![A-Za-z])"
)
_NABLA = re.compile(r"\\nabla(?![A-Za-z])|∇")
_VECTOR_SLIP = '∇_θ J is a vector; x_j⁽ⁱ⁾ is one number: write x⁽ⁱ⁾ or ∂J/∂θ_j (or say "for each j")'
# (∇_θ J)_j, [∇J]_j, ∇_{θ_j} J: one entry of the gradient, not the vector
_ENTRY_OF_NABLA = re.compile(r"(?:\)|\]|\\right\s*[)\]])\s*_\s*\{?\s*j(?![A-Za-z])|\\theta\s*_\s*\{?\s*j(?![A-Za-z])")


def _vector_head(latex: str) -> bool:
    """True when a chain starts with the whole gradient ∇_θ J (a vector), not one entry of it."""
    return _NABLA.search(latex) is not None and _ENTRY_OF_NABLA.search(latex) is None


def _each_j(text: str, position: int) -> bool:
    """Whether the text near ``position`` says its formula holds for each j (for j = 0, …, n; the gradient
    component-wise), in a sentence that does not negate it."""
    return says_each_j(text, position - 300, position + 300)


_BY_ENTRY = re.compile(r"\\partial\s*(?:\\theta|\\mathbf\s*\{\s*w\s*\}|w|θ)\s*_\s*\{?\s*j(?![A-Za-z])|∂\s*θ\s*_\s*j")
_ENTRY_SLIP = (
    "x⁽ⁱ⁾ is the vector of example i, but ∂/∂θ_j is one number: write its entry x_j⁽ⁱ⁾ (or the whole gradient "
    "∇_θ J with the vector x⁽ⁱ⁾)"
)


def _constant_of(guessed: list[str], written: sp.Basic, lhs: sp.Basic, rhs: sp.Basic) -> bool:
    """True when a loss letter the text defines by no formula is differentiated in the written step and, as read,
    that side is 0 (∂L/∂z^{(1)} with L guessed as the model's loss of ŷ = h_θ(x)): the 0 is the guess's, not a fact."""
    if not any(str(d.expr) in guessed for d in written.atoms(sp.Derivative)):
        return False
    return any(_zero(side) for side in (lhs, rhs))


def _zero(side: sp.Basic) -> bool:
    try:
        return sp.simplify(side.doit()) == 0
    except CATCH:
        return False


def _shape_misfit(text: str, side: str, position: int) -> Unreadable:
    message = (
        "a vector is multiplied where a number belongs (w or x read as the vector θ or x⁽ⁱ⁾): write the step "
        "entry by entry (w_j, x_j) or as vectors (w^T x)"
    )
    return Unreadable(side, message, "", line_of(text, position))


def _undefined(text: str, name: sp.Basic, error) -> Unreadable:
    line = line_of(text, error.position)
    message = f"{to_unicode(name)} is defined on line {line} by an expression that could not be read: {error.message}"
    return Unreadable("definition", message, error.caret(), line)


def _own_prediction(text: str, own, context: LatexContext) -> Unreadable:
    h = context.example_hypothesis()
    message = (
        f"h is defined on line {own.line} as {to_unicode(own.body)}, not the model's {to_unicode(h)} = "
        f"{to_unicode(h.definition())}: h in a Σ with no index is read as the model's; write the sum out "
        "with your h of x⁽ⁱ⁾, or name the model with --hypothesis"
    )
    return Unreadable("definition", message, "", own.line)


_UNREAD_HESSIAN = (
    "the Hessian is checked entry by entry, [M]_jk against ∂²J/∂θ_j∂θ_k, and this side could not be read: {why}; "
    "not checked (write each matrix in it as a formula, e.g. S = \\mathrm{{diag}}(\\sigma(X\\theta)\\odot"
    "(1-\\sigma(X\\theta))))"
)
_NUMBER_NOT_MATRIX = re.compile(r"^(?P<name>\S+) is read as a number here, not a matrix\b.*$")


def _unread_hessian(text: str, relation, reading) -> Unreadable:
    """A side of ∇²J = M read as [M]_{jk} that could not be read: said of the Hessian (the caret of the bracketed side
    would point elsewhere), a letter never defined as a matrix named so."""
    why = _NUMBER_NOT_MATRIX.sub(r"\g<name> is not defined as a matrix by a formula", reading.error.message)
    return Unreadable("right", _UNREAD_HESSIAN.format(why=why), "", line_of(text, relation.start))


def _unreadable(text: str, which: str, reading) -> Unreadable:
    error = reading.error
    return Unreadable(which, error.message, error.caret(), line_of(text, error.position))


@lru_cache(maxsize=256)  # every model, one example or not: inferred_hypothesis tries them all
def _context(hypothesis: str, example: bool = False, own: bool = False) -> LatexContext:
    """The model's reading of h_θ, J and G; for a one-example chain J means the cost of one example; with
    ``own`` the text defines J itself (J(w, b) = …): J is the text's name, not the model's."""
    context, _ = with_implied_hypothesis(model_context(hypothesis))
    if own:
        costs = {letter: cost for letter, cost in context.costs.items() if letter != "J"}
        return LatexContext(context.hypothesis, context.example_hypothesis, costs)
    if example and "G" in context.costs:
        body = context.costs["G"].definition()
        cost = abbreviation("J", (), body, "J(θ)", r"J\left(\theta\right)")()
        return LatexContext(context.hypothesis, context.example_hypothesis, {**context.costs, "J": cost})
    return context


def _hypothesis_text(hypothesis: str) -> str:
    context = _context(hypothesis)
    implied = model_context(hypothesis, implied=False).hypothesis is None
    if context.hypothesis is None:
        return "no hypothesis h_θ"
    h = context.hypothesis(i)
    return f"{to_unicode(h)} = {to_unicode(h.definition())}" + (", as the cost reads" if implied else "")


__all__ = [
    "DEFINITION",
    "FAILS",
    "HOLDS",
    "NOT_UNDERSTOOD",
    "UNDECIDED",
    "ProofReport",
    "ProofStep",
    "Unreadable",
    "clear_caches",
    "declarations",
    "inferred_hypothesis",
    "read_side",
    "verify_text",
]
