"""The text's own cost where no catalog model is it (½‖Xw − y‖² + λ/2‖w‖², Σ(λ_i − y⁽ⁱ⁾η_i) with the text's own
names), read with the names the text defines spelled out; and Y read as the targets y in matrix form (Xθ − Y)."""

from __future__ import annotations

import dataclasses
import re

from ..core.notation import i, m
from ..models import MODELS
from ..oracle.equality import checked_equality
from ..parsing import line_of
from .document import BOLD_OPEN, TILDE_Y, smoothed_at, smoothed_labels
from .extract import Chain
from .interpret import WEIGHT_W
from .read import chain_context, model_context
from .report import ProofStep

# Y the targets in matrix form with θ (Xθ − Y, XᵀY), where the text writes no y and no A (the deep-learning A − Y)
_CAPITAL_Y = re.compile(
    r"X\s*\\(?:theta|beta)\s*-\s*Y(?![A-Za-z])|(?<![A-Za-z\\])Y\s*-\s*X\s*\\(?:theta|beta)"
    r"|X\s*\^\s*\{?\s*(?:T|\\top)\s*\}?\s*Y(?![A-Za-z])"
)


_LETTER_Y, _LETTER_A = (re.compile(rf"(?<![A-Za-z\\]){letter}(?![A-Za-z])") for letter in "yA")


CAPITAL_Y_WORDS = "read Y as y, the vector of the targets (the text writes Xθ − Y)"


def lower_targets(text: str) -> str:
    """``text`` with Y read as y where Y is the targets' vector in matrix form (the same length: positions stay)."""
    if _CAPITAL_Y.search(text) is None or _LETTER_Y.search(text) or _LETTER_A.search(text):
        return text
    return re.sub(r"(?<![A-Za-z\\])Y(?![A-Za-z])", "y", text)


def said_of_y(step: ProofStep, chains: list[Chain], written: str, words: str) -> ProofStep:
    """``step`` with ``words`` among its interpretations when its chain, as written, has a Y."""
    chain = chains[step.chain - 1] if 0 < step.chain <= len(chains) else None
    if chain is None or "Y" not in written[chain.sides[0].start : chain.sides[-1].end]:
        return step
    return dataclasses.replace(step, interpretations=(*step.interpretations, words))


def named_terms_cost(hypothesis: str, chains: list[Chain], text: str):
    """The text's own J(θ) = … written with names it defines (λ_i = e^{η_i}, η_i = θᵀx⁽ⁱ⁾) when it is of
    ``hypothesis``'s h_θ: the text's definition of its J (a sum without 1/m is no slip), with its line; else None."""
    lines = [c for c in chains if len(c.sides) >= 2 and _TEXT_COST_NAME.match(c.sides[0].latex)]
    if not lines or _spelled_out(lines[0].sides[1].latex, chains) == lines[0].sides[1].latex:
        return None
    found = text_cost(chains, text)
    if found is None or hypothesis not in MODELS:
        return None
    mine, theirs = chain_context(hypothesis), model_context(found[0])
    h, own = mine.hypothesis, theirs.hypothesis
    same = h is not None and own is not None and h(i).definition() == own(i).definition()
    return found if same and same_cost(mine.costs.get("J"), theirs.costs.get("J")) else None


def same_cost(model, own) -> bool:
    """True when the text's J is the named model's J, or m times it (a sum without 1/m is no slip): a J of its own
    (the sign of y flipped, a square) is checked against the model's J, as the same J spelled out would be."""
    if not (hasattr(model, "definition") and hasattr(own, "definition")):
        return False
    theirs, mine = model.definition(), own.definition()
    return any(checked_equality(mine, scale * theirs, 0).ok for scale in (1, m))


_TEXT_COST_NAME = re.compile(r"^\s*J\s*(\\left\s*)?\(")


_NOT_POLYNOMIAL = re.compile(r"\\(log|ln|exp|sigma|hat|max|min)(?![A-Za-z])|h_|σ|log|exp|[gh]\s*\(")


_MAX_ZERO = re.compile(r"\\max\s*(?:\\left\s*)?\(\s*0\s*,")


_BOLD = re.compile(BOLD_OPEN + r"([A-Za-z])\s*\}")


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
        smoothed = smoothed_cost(written, chains)  # ỹ⁽ⁱ⁾ = 0.9y⁽ⁱ⁾ + 0.05 defined: the text's own soft-label cost
        if smoothed is not None:
            written = smoothed + _hypothesis_beside(smoothed, chains)
        elif _NOT_POLYNOMIAL.search(_MAX_ZERO.sub("(", written)):  # max(0, 1 − yθᵀx): the hinge, read as --cost does
            return None
        cost = re.sub(WEIGHT_W, r"\\theta ", _spelled_out(written, chains))  # w the weights, as read everywhere
        cost = _BOLD.sub(lambda found: r"\theta " if found.group(1) == "w" else found.group(1), cost)
        line = line_of(text, chain.sides[0].start)
        try:
            return model_from_cost(cost, "theta", latex=True, labels=None), line
        except (CostError, ValueError, TypeError):
            return None
    return None


_HYPOTHESIS_USED = re.compile(r"h_\s*\{?\s*\\theta")
_HYPOTHESIS_DEFINED = re.compile(  # h_θ(x), h_θ(x^{(i)}), h_θ(x_i)
    r"h_\s*\{?\s*\\theta\s*\}?\s*\(\s*x\s*(?:\^\s*\{\s*\(\s*i\s*\)\s*\}|_\s*\{?\s*i\s*\}?)?\s*\)"
)


def _hypothesis_beside(cost: str, chains: list[Chain]) -> str:
    r"""``, \quad h_\theta(x) = …`` from the text's own definition of h_θ when ``cost`` uses it (the soft-label J
    in CS229's notation, review 13 F1: without it J was read as the 0/1-label model's and (h − y)x got ✓), else ""."""
    if not _HYPOTHESIS_USED.search(cost):
        return ""
    for chain in chains:
        if len(chain.sides) == 2 and _HYPOTHESIS_DEFINED.fullmatch(chain.sides[0].latex.strip()):
            return r", \quad h_\theta(x) = " + re.sub(
                r"x\s*(?:\^\s*\{\s*\(\s*i\s*\)\s*\}|_\s*\{?\s*i\s*\}?)", "x", chain.sides[1].latex
            )
    # h_θ in words or not defined: a cross-entropy of h_θ is the logistic one, h_θ(x) = σ(θᵀx) (review 14 F1: read as
    # the 0/1-label J, (h − y)x got ✓); the report's hypothesis line says what was read
    return r", \quad h_\theta(x) = \sigma(\theta^T x)" if re.search(r"\\log\s*\(?\s*1\s*-\s*h_", cost) else ""


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


__all__ = ["CAPITAL_Y_WORDS", "lower_targets", "named_terms_cost", "said_of_y", "same_cost", "text_cost"]


def smoothed_cost(written: str, chains: list[Chain]) -> str | None:
    """The cost ``written`` with the text's ỹ definition put in where it uses ỹ (label smoothing, review 12 F6), else
    None: such a J is the text's own, of soft labels, never the model's J of 0/1 labels."""
    found = smoothed_labels(chains)
    if found is None or not TILDE_Y.search(written):
        return None
    return TILDE_Y.sub(lambda use: smoothed_at(found, use), written)
