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

This module is the step loop: which model the text means (:func:`inferred_hypothesis`), and each chain checked
step by step.  What a step found is :mod:`.report`; why a step is not checked, in words, :mod:`.refusals`; the
rule a holding step applied and the slip of a failing one, :mod:`.explain`; a chain read another way first,
:mod:`.rewrites` and :mod:`.hessian`; update rules, :mod:`.update`; ∇J = 0 solved, :mod:`.solving`; the text's
own cost and its Y, :mod:`.owncost`; the column of ones, :mod:`.ones`.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence
from functools import lru_cache

import sympy as sp

from ..core.functions import expand_abbreviations
from ..core.functions import sigmoid as core_sigmoid
from ..core.notation import K, Theta, X, Y, i, j, lam, theta
from ..core.notation import y as y_indexed
from ..core.status import ProofStatus
from ..core.steps import Verdict
from ..models import MODELS
from ..oracle.canonical import CANONICAL_MEMOS, memoised_on_tree, plain, side_indices
from ..oracle.datasets import labels_of
from ..oracle.policy import SIZES
from ..parsing import LatexContext, line_of
from ..parsing.atoms import CATCH
from ..parsing.prose import affirmed, says_each_j, zeroed_identity
from ..printing.expr import to_unicode
from .compare import ENTRY_J_WORDS, condition, differentiated_name, sides_of, undefined_name, verdict_of
from .conventions import W_AS_THETA as _W_AS_THETA
from .define import NameDefinition, key_of
from .diagnose import Diagnosis
from .document import (
    COLUMNS,
    IMPLIED_LOSS,
    IMPLIED_LOSS_OF_A,
    LONE_NAME,
    Document,
    is_definition,
    is_likelihood,
    name_pattern,
    smoothed_labels,
)
from .explain import explain_holding, explain_step
from .extract import Chain, Side, extract_chains
from .facts import (
    LABELS_WORDS,
    OWN_COST_WORDS,
    W_FROM_ONE_WORDS,
    biased_cost,
    class_index,
    class_names,
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
from .hessian import DIAGONAL_ENTRY, HESSIAN_ENTRIES, HESSIAN_WORDS, hessian_entries, hessian_name, unread_hessian
from .interpret import BARE_WORDS, chain_variable
from .listed import listed_vector
from .ones import (
    CONVENTION_WORDS,
    INTERCEPT_SAID,
    INTERCEPT_WORDS,
    NO_INTERCEPT,
    ONES_SAID,
    ONES_WORDS,
    X0_OTHER,
    bias_of_ones,
    by_theta0,
    in_matrix_form,
    with_ones,
)
from .owncost import CAPITAL_Y_WORDS, lower_targets, named_terms_cost, said_of_y, text_cost
from .proportional import is_proportional, proportional_verdict, proportional_words
from .read import chain_context, model_context, read_side
from .refusals import (
    declared_vectors,
    free_letter,
    misfit,
    own_prediction,
    shape_misfit,
    unread_definition,
    unread_matrix,
    unread_side,
)
from .report import (
    DEFINITION,
    FAILS,
    HOLDS,
    NOT_UNDERSTOOD,
    UNDECIDED,
    ProofReport,
    ProofStep,
    Unreadable,
    step_fields,
)
from .rewrites import (
    DIFFERENTIAL,
    DIFFERENTIAL_WORDS,
    E_VARIABLE_WORDS,
    FEATURE_SUM_WORDS,
    N_EXAMPLES_WORDS,
    bare_primes,
    e_as_variable,
    examples_by_n,
    feature_sums,
    general_letters,
    primed_prediction,
)
from .solving import (
    IMPLIES,
    equation_step,
    inline,
    is_zero,
    minimiser_step,
    said_to_zero,
    solution_step,
    solvable,
)
from .update import is_update, step_names, update_document, update_parts, update_step


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
        chain_context(hypothesis)  # an unknown model: the catalog's KeyError before anything is read
    text, by_n = examples_by_n(
        text
    )  # Σ_{n=1}^{N} over x_n, y_n: n the example index i, N their number m (tester 15 v1)
    text, k_letter = feature_sums(text)  # Σ_{i=0}^{n} θ_i x_i: over the features, i no example (tester 15 F2)
    text, e_letter = e_as_variable(text)  # d/de log cosh(e) = tanh(e): e a variable, not Euler's number (tester 15 F1)
    typed, text = text, lower_targets(text)  # de Freitas's (Xθ − Y)ᵀ(Xθ − Y): Y the targets, read as y
    lowered, text = text, summed_classes(text)  # p_c = e^{z_c}/Σ_k e^{z_k}: Σ_k over the classes 1..K
    chains = extract_chains(text)
    smoothing = _smoothing_as_lambda(text, chains)  # ỹ = (1 − ε)y + ε/2: ε a constant, read as λ is (as --cost does)
    if smoothing != text:
        text, chains = smoothing, extract_chains(smoothing)
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
    terms = named_terms_cost(hypothesis, chains, text) if hypothesis is not None and not own and not widened else None
    # J(θ) of ỹ⁽ⁱ⁾ = 0.9y⁽ⁱ⁾ + 0.05 under --hypothesis logistic: the text's own cost of soft labels (review 12 F6)
    soft = _soft_cost(hypothesis, chains, text) if hypothesis is not None and not own and not widened else None
    widened = widened or terms or soft
    model = widened[0] if widened else hypothesis or (found[0] if found else DEFAULT_HYPOTHESIS)
    named = hypothesis is not None or found is not None  # by the user, or by the text's own h_θ or J
    summed = summed_cost(text, chains)  # J = (1/m)Σ… of the text, which never says it works with one example
    document = Document(
        text, chains, lambda example: chain_context(model, example and summed is None, own), declared, named=named,
        own=own, summed=summed,
    )  # fmt: skip
    prediction = None if own or hypothesis is not None else _own_h_cost(chains, document)  # a model named: its J
    if prediction is not None:  # h = σ(−θᵀx) and J written with it: the text's J, not the model's
        document = Document(
            text, chains, lambda example: chain_context(model, example and summed is None, True), declared, named=named,
            own=True, summed=summed, own_words=_OWN_H_WORDS.format(line=prediction.line),
        )  # fmt: skip
    steps: list[ProofStep] = []
    updating = update_document(text, chains, model, own, declared, named)  # Bishop's w^{(τ+1)} = …: its notation
    stepped = {name for chain in chains if (parts := update_parts(chain, updating)) for name in step_names(parts[1])}
    gradient, solving, end, since = None, None, 0, 0  # the latest ∇J written, the line of an equation ∇J = 0 read
    pending = False  # "setting the gradient to zero:" read, and only names defined since (J(θ) = …)
    previous = None  # the chain before's ∇J = … (its left side a gradient): "Setting it to zero:" means that one
    for chain_number, chain in enumerate(chains, start=1):
        prose, end = text[end : chain.sides[0].start], chain.sides[-1].end
        zero, written = is_zero(chain.sides[-1].latex), _gradient_of(chain, document)
        after = previous is not None and not previous  # the chain before: ∇J = …, not ∇J = 0 already
        setting = pending or said_to_zero(text, since, chain.sides[0].start, after)
        since = since if inline(text, chain.sides[0].start) else end  # a sentence goes on past its $J(θ) = …$
        previous = None if written is None else is_zero(chain.sides[-1].latex)
        equation = zero or (written is None and solvable(chain, document))  # ∇J = Xᵀ(Xθ − y) stays an identity
        # ⇒ XᵀXθ = Xᵀy after ∇J = 0, or the next row of the same align (\\ only between): a condition on θ, not an
        # identity (tester 12's v76-v78: rows 2 and 3 were checked at random θ and got ✗)
        then = IMPLIES.search(prose) or _ROW_BREAK.match(prose)
        if solving is not None and then and len(chain.relations) == 1 and equation:
            steps.append(solution_step(text, chain, chain_number, len(steps), solving, document, model, gradient, seed))
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
        updated = update_step(text, chain, chain_number, len(steps), updating, chains, seed, stepped)
        if updated is not None:  # θ_j := θ_j − α…: the step checked against the cost's gradient
            steps.append(updated)
            continue
        if DIFFERENTIAL.match(chain.sides[0].latex):  # dJ = … dwᵀx_n: a total differential, not read as d·J
            steps.extend(_differential(text, chain, chain_number, len(steps)))
            continue
        chain, stood = general_letters(chain, text)
        costed = document.named or document.writes_j  # a Hessian is of a cost the text writes or names
        chain, stood = hessian_entries(chain, text, costed) if stood is None else (chain, stood)
        chain, stood = bare_primes(chain) if stood is None else (chain, stood)
        chain, stood = primed_prediction(chain, document) if stood is None else (chain, stood)
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
        why = (
            "written with the names it defines"
            if terms
            else "of the smoothed labels ỹ it defines"
            if soft
            else f"--hypothesis {hypothesis} has no penalty"
        )
        shown += f", the text's own cost J, read from line {widened[1]} ({why})"
    if document.intercept:  # θ₀ + θ₁x: the steps are read with one feature, as check reads such a gradient
        shown += f", read for one feature (n = 1): θ₀ + θ₁x⁽ⁱ⁾ as the text writes it (line {document.intercept_line})"
    if found is not None:
        shown += f", read from line {found[1]}"
    elif prediction is not None:  # the text's own h and J: the model is not what the steps are checked against
        shown += f", not used: the text defines its own h (line {prediction.line}) and J"
    elif hypothesis is None and any(step.status == FAILS for step in steps):
        shown += ", the default (--hypothesis MODEL if your text means another model)"
    name = "the text's cost" if not isinstance(model, str) else model
    if typed != lowered:
        steps = [said_of_y(step, chains, typed, CAPITAL_Y_WORDS) for step in steps]
    if smoothing != lowered:
        steps = [_said_of_epsilon(step, chains, lowered) for step in steps]
    if e_letter is not None:
        steps = [_said_of_e(step, chains, e_letter) for step in steps]
    if _CAPITAL_EXAMPLE.search(text):  # jiskha's Y_i X_i^T β: X_i is example i, not an element of the matrix X
        steps = [_capital_example(step) for step in steps]
    if by_n:
        named = r"(?<![A-Za-z\\])[im](?![A-Za-z])"
        steps = [_said_of_letter(step, chains, named, N_EXAMPLES_WORDS, "") for step in steps]
    if k_letter is not None:
        summed = rf"_\s*\{{?\s*{k_letter}\s*="
        steps = [_said_of_letter(step, chains, summed, FEATURE_SUM_WORDS, k_letter) for step in steps]
    return ProofReport(tuple(steps), tuple(chains), name, shown, seed, typed)


DEFAULT_HYPOTHESIS = "logistic"
_EPSILON = re.compile(r"\\(var)?epsilon(?![A-Za-z])")
_EPSILON_WORDS = "ε of the label smoothing is a constant: read as λ is (sampled as one number), ε shown as λ"


def _soft_cost(hypothesis: str, chains: list[Chain], text: str) -> tuple | None:
    """The text's own J(θ) = … of the labels ỹ it smooths (ỹ⁽ⁱ⁾ = 0.9y⁽ⁱ⁾ + 0.05 defined), with its line, when its h_θ
    is ``hypothesis``'s; else None."""
    if smoothed_labels(chains) is None or hypothesis not in MODELS:
        return None
    found = text_cost(chains, text)
    if found is None:
        return None
    mine, theirs = chain_context(hypothesis).hypothesis, model_context(found[0]).hypothesis
    same = mine is not None and theirs is not None and mine(i).definition() == theirs(i).definition()
    return found if same else None


def _smoothing_as_lambda(text: str, chains: list[Chain]) -> str:
    """``text`` with ε written λ (in place, positions stay) where the text smooths its labels with ε (ỹ⁽ⁱ⁾ = (1 − ε)y⁽ⁱ⁾
    + ε/2 defined) and writes no λ: ε is a constant, as the text's own cost reads it (review 12 F6)."""
    found = smoothed_labels(chains)
    if found is None or not _EPSILON.search(found[1]) or re.search(r"\\lambda(?![A-Za-z])|λ", text):
        return text
    return _EPSILON.sub(lambda e: r"\lambda" + " " * (len(e.group(0)) - len(r"\lambda")), text)


def _said_of_epsilon(step: ProofStep, chains: list[Chain], written: str) -> ProofStep:
    """``step`` with the words that ε is read as λ when its chain, as written, has an ε."""
    chain = chains[step.chain - 1] if 0 < step.chain <= len(chains) else None
    if chain is None or not _EPSILON.search(written[chain.sides[0].start : chain.sides[-1].end]):
        return step
    return dataclasses.replace(step, interpretations=(*step.interpretations, _EPSILON_WORDS))


_CAPITAL_EXAMPLE = re.compile(r"(?<![A-Za-z\\])X\s*_\s*(?:\{\s*[in]\s*\}|[in](?![A-Za-z]))")
_ELEMENT_OF_X = "for one element of X write x_j^{(i)}"
_CAPITAL_EXAMPLE_WORDS = (
    "X_i (capital) is not read as example i: X is the data matrix here; for the features of example i write x_i "
    "or x^{(i)} (and y_i for Y_i), e.g. y_i x_i^T\\beta - e^{x_i^T\\beta}"
)


def _capital_example(step: ProofStep) -> ProofStep:
    """``step`` refused for X_i with the words that say what to write for example i (tester 15 v3), not "one
    element of X"."""
    if step.unreadable is None or step.unreadable.message != _ELEMENT_OF_X:
        return step
    return dataclasses.replace(step, unreadable=dataclasses.replace(step.unreadable, message=_CAPITAL_EXAMPLE_WORDS))


def _differential(text: str, chain: Chain, number: int, before: int) -> list[ProofStep]:
    """Each step of a chain dJ = … (a total differential), not understood, with the words that say what to write."""
    out = []
    for k, relation in enumerate(chain.relations):
        left, right = chain.sides[k], chain.sides[k + 1]
        base = step_fields(text, relation, number, before + k + 1, left.latex, right.latex)
        unreadable = Unreadable("left", DIFFERENTIAL_WORDS, "", line_of(text, relation.start))
        out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=unreadable, **base))
    return out


def _said_of_letter(step: ProofStep, chains: list[Chain], pattern: str, words: str, letter: str) -> ProofStep:
    """``step`` with ``words`` (of ``letter``) when its chain has ``pattern``."""
    chain = chains[step.chain - 1] if 0 < step.chain <= len(chains) else None
    if chain is None or not any(re.search(pattern, side.latex) for side in chain.sides):
        return step
    return dataclasses.replace(step, interpretations=(*step.interpretations, words.format(letter=letter)))


def _said_of_e(step: ProofStep, chains: list[Chain], letter: str) -> ProofStep:
    """``step`` with the words that e is read as a variable when its chain has the letter it was renamed to."""
    chain = chains[step.chain - 1] if 0 < step.chain <= len(chains) else None
    pattern = rf"(?<![A-Za-z\\]){letter}(?![A-Za-z])|d{letter}(?![A-Za-z])"
    if chain is None or not any(re.search(pattern, side.latex) for side in chain.sides):
        return step
    return dataclasses.replace(step, interpretations=(*step.interpretations, E_VARIABLE_WORDS.format(letter=letter)))


# p_c = \frac{e^{z_c}}{\sum_k e^{z_k}}: a bare Σ over the letter of a softmax's denominator runs over the classes
_SOFTMAX_SUM = re.compile(
    r"\\frac\s*\{\s*(?:e\s*\^|\\exp)\s*\{?\s*\(?\s*(?P<score>[a-z])\s*_\s*\{?\s*(?P<own>[a-z])\s*\}?\s*\)?\s*\}?\s*\}"
    r"\s*\{\s*\\sum\s*_\s*(?:\{\s*(?P<letter>[a-z])\s*\}|(?P<bare>[a-z])(?![A-Za-z]))\s*"
    r"(?:e\s*\^|\\exp)\s*\{?\s*\(?\s*(?P=score)\s*_\s*\{?\s*(?P=letter)?(?P=bare)?"
)


def summed_classes(text: str) -> str:
    r"""``text`` with each bare ``\sum_k`` written ``\sum_{k=1}^{K}`` where k is the letter a softmax's denominator
    sums over (p_c = e^{z_c}/Σ_k e^{z_k}, L = −Σ_k y_k log p_k): read bare, Σ_k ran over the features 0..n.  A text
    that also writes k on θ, x or w (a feature index) is left as it is.

    >>> summed_classes(r"p_c = \frac{e^{z_c}}{\sum_k e^{z_k}}, L = -\sum_k y_k \log p_k")
    'p_c = \\frac{e^{z_c}}{\\sum_{k=1}^{K} e^{z_k}}, L = -\\sum_{k=1}^{K} y_k \\log p_k'
    """
    letters = set()
    for found in _SOFTMAX_SUM.finditer(text):
        letter = found["letter"] or found["bare"]
        if letter != found["own"] and letter not in "jin":
            letters.add(letter)
    for letter in letters:
        if re.search(rf"(?:\\theta|\\beta|(?<![A-Za-z\\])[xw])\s*_\s*\{{?\s*{letter}(?![A-Za-z])", text):
            continue
        bare = rf"\\sum\s*_\s*(?:\{{\s*{letter}\s*\}}|{letter}(?![A-Za-z]))(?!\s*\^)(?!\s*=)"
        text = re.sub(bare, lambda _, k=letter: rf"\sum_{{{k}=1}}^{{K}}", text)
    return text


_ROW_BREAK = re.compile(r"^\s*&?\s*\\\\\s*&?\s*$")  # ' \\\n' between two rows of one align: the same system


def _penalised(hypothesis: str, text: str, chains, declared, seed: int) -> tuple[str, int] | None:
    """The catalog model the text's own J(θ) = … line is when it is ``hypothesis``'s h_θ with a cost of its own (a
    penalty added to --hypothesis linear's J), with that line; None otherwise: the text's cost is its own definition."""
    found = inferred_hypothesis(text, chains, declared, seed)
    if found is None or found[0] == hypothesis or found[0] not in MODELS or hypothesis not in MODELS:
        return None
    if lam not in MODELS[found[0]].parameters or lam in MODELS[hypothesis].parameters:
        return None  # only a penalty the text's J adds to the named model widens it (an h_θ line names no penalty)
    mine, theirs = chain_context(hypothesis).hypothesis, chain_context(found[0]).hypothesis
    same = mine is not None and theirs is not None and mine(i).definition() == theirs(i).definition()
    return found if same else None


# h_θ(x) = …, J(θ) = …, or a bare J = … (techqa 3152743's J = (1/N)Σ_n [wᵀx_n − y_n]²)
_MODEL_NAMES = re.compile(r"^\s*(h|J)\s*(_\s*\{?\s*\\theta\s*\}?)?\s*(\\left\s*)?\(|^\s*J\s*$")


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
            context = chain_context(name)
        except (KeyError, ValueError):
            continue
        if context.hypothesis is None and "J" not in context.costs:
            continue
        document = Document(text, chains, lambda example, name=name: chain_context(name, example), declared)
        steps = []
        for chain in written:  # the first line that fails rules the model out: the rest are not checked
            steps += _check_chain(text, chain, 1, 0, document, name, seed, (False, False))
            if any(step.status != HOLDS for step in steps):
                break
        if steps and all(step.status == HOLDS for step in steps):
            return None if name == DEFAULT_HYPOTHESIS else (name, steps[0].line)
    return None


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


def _gradient_of(chain: Chain, document: Document) -> tuple[sp.Basic, int] | None:
    """∂J/∂θ as the chain's left side means it (names put in), with its line; None when the left is no derivative."""
    first = document.read(chain.sides[0], False, chain_variable([side.text for side in chain.sides]))
    if first.error is not None or not first.expr.has(sp.Derivative):
        return None
    try:
        lhs, _, _, _ = sides_of(first.expr, first.expr, document.names_at(chain.relations[0].start))
    except CATCH:
        return None
    return lhs, line_of(document.text, chain.sides[0].start)


def _solved(text, chain: Chain, number: int, before: int, document, model, gradient, seed, explained):
    """∇J = (1/m)Xᵀ(Xθ − y) = 0, XᵀXθ = Xᵀy or θ = (XᵀX)⁻¹Xᵀy where the text sets the gradient to zero: identities up
    to the last '=', which is solved (:func:`~.solving.equation_step`, :func:`~.solving.solution_step`); None when it
    cannot be checked so."""
    last = len(chain.relations) - 1
    if not last:
        step = solution_step(text, chain, number, before, None, document, model, gradient, seed)
        return None if step is None else [step]
    step = equation_step(text, chain, last, number, before + last, document, model, gradient, seed)
    if step is None:
        return None
    head = Chain(chain.sides[:-1], chain.relations[:-1])
    return [*_check_chain(text, head, number, before, document, model, seed, explained), step]


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
    from .compare import _memo_sides
    from .define import _taken
    from .diagnose import clear_caches as clear_diagnosis
    from .read import _read

    memos = (verdict_of, explain_holding, chain_context, _memo_sides, _taken, _shape_error, _read, *CANONICAL_MEMOS)
    for cached in memos:
        cached.cache_clear()
    clear_diagnosis()


# --- one chain -----------------------------------------------------------------------------------


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
    hessian = hessian_name(text, chain.sides[0])
    entries = chain.sides[0].text == HESSIAN_ENTRIES  # ∇²J = M read entry by entry: a claim, never a definition
    if hessian:  # H_{jk} = … in a text about the Hessian: a claim about ∂²J/∂θ_j∂θ_k, read as that
        first = chain.sides[0]
        chain = dataclasses.replace(chain, sides=(dataclasses.replace(first, text=hessian, rows=(hessian,)),
                                                  *chain.sides[1:]))  # fmt: skip
    readings = [document.read(side, example, variable) for side in chain.sides]
    read = [r.expr if r.error is None else r.error.message for r in readings]
    # J = … with J the model's cost letter is checked like J(θ) = …: a wrong cost is caught where it is written
    defining = not entries and (
        DIAGONAL_ENTRY.match(chain.sides[0].latex) is not None  # S_{ii} = σ(θᵀx⁽ⁱ⁾)(1 − σ(θᵀx⁽ⁱ⁾)): S's entries
        or (document.own_cost and is_own_cost(chain.sides[0].latex))
        or chain.sides[0].start in document.own_h_starts  # h_θ(x) = σ(−θᵀx): the text's own h
        or chain.sides[0].start in document.functions.starts  # h(x) = g(θᵀx), ℓ(θ; x, y) = …: a function it defines
        or (document.own_f is not None and chain.sides[0].start == document.own_f[1])  # f_{w,b}(x) = wx + b
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
        base = step_fields(text, relation, number, before + k + 1, left.latex, right.latex)
        proportional = is_proportional(text, relation)  # a ∝ b: checked as a = c·b for one constant c > 0
        if k == 0 and len(chain.relations) == 1 and not proportional:  # θ = (XᵀX)⁻¹Xᵀy: a claim, not a definition
            solved = minimiser_step(text, base, readings, hypothesis if document.named else None, seed)
            if solved is not None:
                out.append(solved)
                continue
        if k == 0 and hessian == "":  # H = (1/m)XᵀSX after ∂²J/∂θ_j∂θ_k: the text's result, which verify cannot read
            unreadable = Unreadable("left", HESSIAN_WORDS, "", line_of(text, relation.start))
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=unreadable, **base))
            continue
        if k == 0 and defining and not proportional:
            own = document.own_cost and is_own_cost(left.latex)
            words = _WEIGHTED_WORDS.format(c=document.example_weight) if document.example_weight else OWN_COST_WORDS
            words = document.own_words or words
            note = f"a definition: not checked ({words})" if own else "a definition: not checked"
            out.append(ProofStep(status=DEFINITION, note=note, **base))
            continue
        if is_label_sum(chain):
            out.append(ProofStep(status=DEFINITION, note=_GIVEN_WORDS, **base))
            continue
        listed = listed_vector(left.latex, right.latex) if len(chain.relations) == 1 else None
        if listed is not None:  # \mathbf{w} = (w_0, w_1), ∇J = (∂J/∂w_0, ∂J/∂w_1): the entries named, nothing claimed
            out.append(ProofStep(status=DEFINITION, note=listed, **base))
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
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=own_prediction(text, own, context), **base))
            continue
        letter = stated_rule(text, chain) if unread else None
        if letter is not None:  # "using ∇(θᵀMθ) = 2Mθ for symmetric M": a fact the steps may use, not one of them
            out.append(ProofStep(status=DEFINITION, note=_STATED_WORDS.format(letter=letter), **base))
            continue
        if unread:
            side_name, _, reading = unread[0]
            unreadable = unread_hessian(text, relation, reading) if entries else unread_side(text, side_name, reading)
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=unreadable, **base))
            continue
        names = document.names_at(relation.start, example)
        pair, one_weight = _one_weight(read[k], read[k + 1], readings[k : k + 2])
        try:
            lhs, rhs, note, assumed = sides_of(*pair, names)
        except CATCH:  # SymPy refuses the result, e.g. a name defined as a vector put where a number is
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=misfit(text, relation.start), **base))
            continue
        if document.dotted:  # ∂J/∂b of w·x + b: ∂J/∂θ₀ with x₀ = 1
            lhs, rhs = bias_of_ones(lhs), bias_of_ones(rhs)
        elif affirmed(ONES_SAID, document.text) or (
            by_theta0(lhs, rhs)  # ∂J/∂θ₀: θ₀ the intercept, x₀ = 1, unless x₀ is given another value or denied
            and X0_OTHER.search(document.text) is None
            and ONES_SAID.search(document.text) is None
            and NO_INTERCEPT.search(document.text) is None
        ):  # x_0^{(i)} = 1 said (not 'we do not assume'), or θ₀ + θ₁x₁, or a step by θ₀ in a text giving x₀ no value
            words = (
                ONES_WORDS
                if affirmed(ONES_SAID, document.text)
                else INTERCEPT_WORDS
                if affirmed(INTERCEPT_SAID, document.text)
                else CONVENTION_WORDS
            )
            try:  # by entries only: a side in matrix form (its X drawn whole) keeps the data as drawn
                ones = (lhs, rhs) if in_matrix_form(lhs, rhs) else (with_ones(lhs), with_ones(rhs))
            except CATCH:  # a side SymPy cannot work out: sampled as read
                ones = lhs, rhs
            if ones != (lhs, rhs):
                lhs, rhs, assumed = *ones, [*assumed, words]
        missing = document.unread_in(lhs, rhs)
        if missing is not None:  # L = Π … that could not be read: L is not a free letter
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=unread_definition(text, *missing), **base))
            continue
        free = undefined_name(lhs, rhs)
        if free is not None and document.named and _by_parameters(free, lhs, rhs) and "J" in context.costs:
            # ∇_w L with L defined nowhere, under a model the user named: the model's cost, said so
            cost = context.costs["J"]
            names = {**names, free: NameDefinition(free, (), cost, 0, 0, _cost_words(free, cost, hypothesis))}
            lhs, rhs, note, assumed = sides_of(read[k], read[k + 1], names)
            free = undefined_name(lhs, rhs)
        one = _ONE_FEATURE_COSTS.get(hypothesis) if document.intercept and document.named else None
        if free is not None and str(free) == "J" and one is not None:
            # J(θ₀, θ₁) of --hypothesis linear in a text of one feature (CS229, D4): the model's J with n = 1
            cost = document.read(Side(one, relation.start, relation.start, (one,)), example)
            if cost.error is None and cost.expr is not None:
                words = _ONE_COST_WORDS.format(model=hypothesis)
                names = {**names, free: NameDefinition(free, (), cost.expr, 0, 0, words)}
                lhs, rhs, note, assumed = sides_of(read[k], read[k + 1], names)
                free = undefined_name(lhs, rhs)
        if free is not None:  # ∂L/∂ŷ with no L = … anywhere: nothing to differentiate
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=free_letter(text, free, relation.start), **base))
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
            unreadable = declared_vectors(text, declared, relation.start)
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=unreadable, **base))
            continue
        if any(_LAYER.search(str(s)) for s in lhs.atoms(sp.Symbol) | rhs.atoms(sp.Symbol)):
            assumed = [*assumed, _LAYER_WORDS]  # z^{(1)}, w^{(2)} one number each: said, as the reading assumes it
        letter = _undefined_matrix(lhs, rhs, read[k + 1])
        if letter is not None:  # (λ/m)Lθ with L said in words only: L would be sampled as one number
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=unread_matrix(text, letter, relation.start), **base))
            continue
        misshapen = _misshapen(lhs, rhs)
        if misshapen is not None:  # w read as the vector θ, then used as a number
            unreadable = shape_misfit(text, misshapen, relation.start)
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=unreadable, **base))
            continue
        assumed = [*readings[k].interpretations, *readings[k + 1].interpretations, *assumed, *one_weight]
        assumed = [words for words in assumed if not (one_weight and words == _W_AS_THETA)]
        stray = _stray_index(read[k], read[k + 1])  # ∂L/∂z_k = p_k − y_c: c free on the right only, as written
        written_classes = (lhs, rhs)
        lhs, rhs, classes, other_classes = class_index(lhs, rhs)
        class_letters = class_names(*written_classes, other_classes) if classes else {}
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
        if proportional:
            verdict = proportional_verdict(lhs, rhs, seed)
            interpretations = tuple(dict.fromkeys(assumed))
            words = proportional_words(verdict)
            failed = ProofStatus(verdict.status) == FAILS
            out.append(ProofStep(status=ProofStatus(verdict.status), verdict=verdict, note=None if failed else words,
                                 reading=(_unicode(read[k]), _unicode(read[k + 1])), interpretations=interpretations,
                                 diagnosis=Diagnosis("not-proportional", words) if failed else None,
                                 **base))  # fmt: skip
            continue
        verdict = _each_class(lhs, rhs, other_classes, seed, class_letters)
        binary = None
        if verdict.status == FAILS and not other_classes:  # true only for the model's own labels (y ∈ {0, 1})?
            binary = _at_model_labels(lhs, rhs, seed, class_letters, document, hypothesis)
            verdict = binary[0] if binary is not None else verdict
        # L guessed as the default model's loss in a step with no ŷ to say so: a failure may be the guess's
        guessed = [] if document.named or _HAT.search(left.text + right.text) else used_implied(assumed)
        if guessed and (not verdict.ok or _constant_of(guessed, read[k], lhs, rhs)):
            unreadable = free_letter(text, sp.Symbol(guessed[0]), relation.start)
            out.append(ProofStep(status=NOT_UNDERSTOOD, unreadable=unreadable, **base))
            continue
        scope = binary[1] if binary is not None else None
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
            step = explain_step(step, lhs, rhs, (hypothesis, example), out, read, k, seed, document)
        if stray is not None and step.status == FAILS:  # the index the right side should not have, named
            step = dataclasses.replace(step, diagnosis=Diagnosis("stray-index", stray))
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
_GIVEN_WORDS = "a fact the text states of the labels (they sum to 1): not checked, used in the steps"
_LIKELIHOOD_WORDS = "read the likelihood P(D|w) as the product of the model's probabilities, written out next"


_STRAY_WORDS = (
    "{index} is free on the right side but not on the left ({left}): the right side is another number at each "
    "{index}, the left is not; {hint}"
)


def _stray_index(lhs: sp.Basic, rhs: sp.Basic) -> str | None:
    """Words naming an index free on the right side and not on the left (∂L/∂z_k = p_k − y_c: c), else None: such a
    right side is a different number at each value of that index, while the left is one number."""
    try:
        left, right = side_indices(lhs), side_indices(rhs)
    except CATCH:
        return None
    extra = sorted(right - left, key=str)
    if not extra:
        return None
    index = extra[0]
    names = sorted(left, key=str)
    shown = ", ".join(str(s) for s in names)
    where = f"whose free index{'es are' if len(names) > 1 else ' is'} {shown}" if names else "which has no free index"
    if index == i:  # x⁽ⁱ⁾ with no Σ over the examples left: the sum dropped, not another letter
        hint = "a Σ over the examples dropped?"
    elif names:
        hint = f"a wrong index ({names[0]} meant?)"
    else:
        hint = f"a wrong index, or a Σ over {index} dropped?"
    return _STRAY_WORDS.format(index=index, left=where, hint=hint)


def _each_class(lhs, rhs, others: tuple, seed: int, letters: dict[str, str] | None = None) -> Verdict:
    """``lhs = rhs`` with each free class index in ``others`` put at every class 1..K in turn (the sampler runs one
    class index, c): ∂p_k/∂z_j = p_k(δ_kj − p_j) over every pair of classes.  ``letters``: the text's letter of a
    renamed class index, for the counterexample (the sampler's c is the text's k)."""
    if not others:
        return _lettered(verdict_of(lhs, rhs, seed), letters)
    verdict = None
    for values in itertools.product(range(1, SIZES[K] + 1), repeat=len(others)):
        put = dict(zip(others, values, strict=True))
        verdict = verdict_of(lhs.xreplace(put), rhs.xreplace(put), seed)
        if not verdict.ok:
            example = None if verdict.counterexample is None else {str(o): v for o, v in put.items()}
            verdict = dataclasses.replace(verdict, counterexample=example and example | verdict.counterexample)
            return _lettered(verdict, letters)
    return verdict


_BINARY_VALUES = {"01": ((0.0, 1.0), "{0, 1}"), "pm1": ((-1.0, 1.0), "{−1, +1}")}
_BINARY_WORDS = "for y ∈ {values} (the model's labels)"
_LABEL_LEAVES = (y_indexed, y_indexed.label, Y)


# A text whose labels are not 0/1 (or ±1): soft targets, label smoothing, y ∈ [0, 1], ỹ, ε/2 as a label
_SOFT_LABELS = re.compile(
    r"soft\s+(?:labels?|targets?)|label[\s-]+smoothing|smooth(?:ed|ing)\s+(?:the\s+)?(?:labels?|targets?)"
    r"|(?:labels?|targets?)\s+(?:are\s+)?(?:no\s+longer|not)\s+(?:0|binary|\$?\\?\{?0)"
    r"|\\tilde\s*\{?\s*y|ỹ|\\(?:var)?epsilon\s*/\s*2|\\frac\s*\{\s*\\(?:var)?epsilon\s*\}"
    r"|y[^$\n]{0,20}?(?:\\in|∈)\s*(?:\\left\s*)?[\[(]\s*0\s*,\s*1\s*(?:\\right\s*)?[\])]"
    r"|probabilit(?:y|ies)\s+(?:as\s+)?(?:labels?|targets?)",
    re.IGNORECASE,
)


def _at_model_labels(lhs, rhs, seed: int, letters, document: Document, model) -> tuple[Verdict, str] | None:
    """``lhs = rhs`` with every label at the model's own two values (0/1 for logistic, ±1 for logistic-pm1, those of
    --labels for --cost) when it failed at labels in (0.05, 0.95): (the verdict, where it holds) if it holds there,
    else None.  Only for a model the user or the text names (never a guessed default), and only for a step whose
    sides have labels: 2y − 1 = ±1 and y² = y are true of 0/1 labels and of no others."""
    if not document.named or document.own_cost or not any(lhs.has(a) or rhs.has(a) for a in _LABEL_LEAVES):
        return None
    if _SOFT_LABELS.search(document.text):  # the text says its labels are not the model's two (review 12 F1)
        return None
    found = MODELS.get(model) if isinstance(model, str) else model
    kind = getattr(found, "labels", None)
    if kind is None and getattr(found, "matrix_cost", None) is not None:
        kind = labels_of(found)
    if kind not in _BINARY_VALUES:
        return None
    values, shown = _BINARY_VALUES[kind]
    verdict = _lettered(verdict_of(lhs, rhs, seed, values), letters)
    if verdict.status != HOLDS:
        return None
    return verdict, _BINARY_WORDS.format(values=shown)


def _lettered(verdict: Verdict, letters: dict[str, str] | None) -> Verdict:
    """The verdict's counterexample with the class indices named by the text's letters."""
    if not letters or not verdict.counterexample:
        return verdict
    example = {letters.get(key, key): value for key, value in verdict.counterexample.items()}
    return dataclasses.replace(verdict, counterexample=example)


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


_COST_LETTERS = {"L", "E", "C", "J", "ℓ", "l"}


_HAT = re.compile(r"\\(wide)?hat|ŷ")


def used_implied(assumed: list[str]) -> list[str]:
    """The loss letters read as the model's loss though the text defines them nowhere (from the words assumed)."""
    return [
        words.split(" = ")[0].removeprefix("read ")
        for words in assumed
        if IMPLIED_LOSS in words or IMPLIED_LOSS_OF_A in words
    ]


def _by_parameters(name: sp.Basic, *sides: sp.Basic) -> bool:
    """True when ``name`` is a loss letter differentiated by the parameters only (∇_w L), not by ŷ or z."""
    variables = [v for side in sides for d in side.atoms(sp.Derivative) if d.expr == name for v in d.variables]
    is_parameter = [v == Theta or (isinstance(v, sp.Indexed) and v.base == theta) for v in variables]
    return str(name) in _COST_LETTERS and bool(variables) and all(is_parameter)


# the catalog's J of a linear model written for one feature, read as the text's θ₀ + θ₁x is (its w x_i + b)
_ONE_FEATURE_COSTS = {
    "linear": r"\frac{1}{2m}\sum_{i=1}^{m}(\theta_0 + \theta_1 x^{(i)} - y^{(i)})^2",
    "linear-mean": r"\frac{1}{m}\sum_{i=1}^{m}(\theta_0 + \theta_1 x^{(i)} - y^{(i)})^2",
}
_ONE_COST_WORDS = "the model's cost (--hypothesis {model}) for one feature (n = 1)"


def _cost_words(name: sp.Basic, cost: sp.Basic, model: str) -> str:
    return f"the model's cost (--hypothesis {model}): {to_unicode(name)} is defined nowhere in the text"


_CAPITAL_LETTER = re.compile(r"[A-Z]")


def _undefined_matrix(lhs: sp.Basic, rhs: sp.Basic, written: sp.Basic) -> sp.Symbol | None:
    """A capital letter (L, M, D) the right side (``written``: as read, before the text's names are put in; ``rhs``:
    after) multiplies a vector or matrix by, which nothing defines (it is a plain number to the reader, so the sampler
    would draw it as one) and the left side does not have; else None.  (λ/m)Lθ with "where $L$ is the identity
    except that its first entry is 0" is such a letter."""
    if not isinstance(written, sp.Basic) or not written.has(sp.MatrixSymbol):
        return None
    try:
        left = expand_abbreviations(lhs).free_symbols if isinstance(lhs, sp.Basic) else set()
        right = rhs.free_symbols if isinstance(rhs, sp.Basic) else set()
    except CATCH:
        return None
    for term in sp.Add.make_args(written):
        if not isinstance(term, sp.MatrixExpr):
            continue
        for symbol in sorted(term.free_symbols, key=str):
            if (
                isinstance(symbol, sp.Symbol)
                and not isinstance(symbol, sp.Dummy)
                and not symbol.is_integer
                and _CAPITAL_LETTER.fullmatch(symbol.name)
                and symbol not in left
                and symbol in right  # still there once the names are put in: defined nowhere
            ):
                return symbol
    return None


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


def _hypothesis_text(hypothesis: str) -> str:
    context = chain_context(hypothesis)
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
