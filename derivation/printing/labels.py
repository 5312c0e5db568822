r"""The label table: how each rule, recognised step and claim is worded, in Unicode and in LaTeX.

Steps, recognitions and claims carry what happened (a rule id, the definition
used, the expressions); the words beside an "=" are chosen here, once, for every
format.  ASCII is the Unicode words transliterated (:func:`~derivation.printing.expr.ascii_text`).

>>> rule_words("sigmoid")
('σ′ = σ(1−σ)', "\\sigma' = \\sigma\\left(1-\\sigma\\right)")
>>> rule_words("a rule we do not know")
('a rule we do not know', '\\text{a rule we do not know}')
"""

from __future__ import annotations

import sympy as sp

from ..core.functions import ML_FUNCTIONS
from ..core.steps import Step
from .expr import to_latex, to_unicode

# rule id (or a kind of step the proof reader recognises) -> (Unicode, LaTeX); LaTeX None means \text{Unicode}
RULE_WORDS: dict[str, tuple[str, str | None]] = {
    # derivative rules
    "constant": ("constant rule", None),
    "variable": ("∂v/∂v = 1", r"\frac{\partial v}{\partial v} = 1"),
    "index": ("∂θ_k/∂θ_j = δ_jk", r"\frac{\partial \theta_k}{\partial \theta_j} = \delta_{jk}"),
    "inner-product": ("∂(θᵀx)/∂θ_j = x_j", r"\frac{\partial\, \theta^{\top} x}{\partial \theta_j} = x_j"),
    "linearity": ("linearity", None),
    "log": ("chain rule: ∂log u = ∂u/u", r"\text{chain rule: } \partial \log u = \frac{\partial u}{u}"),
    "exp": ("chain rule: ∂e^u = e^u ∂u", r"\text{chain rule: } \partial e^{u} = e^{u}\, \partial u"),
    "reciprocal": ("reciprocal rule", None),
    "power": ("power rule", None),
    "quotient": ("quotient rule", None),
    "product": ("product rule", None),
    "definition": ("substitute the definition", None),
    # notation rules
    "rename-index": ("rename the summation index", None),
    # algebra rules
    "add-subtract": ("add and subtract a constant", None),
    "split": ("split the fraction", None),
    "factor": ("factor out the common factor", None),
    "fold": ("substitute the definition back", None),
    "cancel": ("cancel", None),
    "kronecker": ("Σ_k δ_jk u_k = u_j", r"\textstyle\sum_k \delta_{jk} u_k = u_j"),
    "constant-out-of-sum": ("linearity of Σ", r"\text{linearity of } \textstyle\sum"),
    "distribute": ("distribute", None),
    "sign": ("take the sign inside", None),
    "collect": ("collect", None),
    "common-factor": ("factor", None),
    "fold-sigma": (
        "fold into σ: e^u/(1 + e^u) = σ(u)",
        r"\text{fold into } \sigma:\ \frac{e^{u}}{1 + e^{u}} = \sigma(u)",
    ),
    "vectorise": ("vectorise", None),
    # sums over the classes (derive/classes.py) and merge-sums
    "class-score": ("∂(w_aᵀx)/∂W_jc = δ_ac x_j", r"\frac{\partial\, w_a^{\top} x}{\partial W_{jc}} = \delta_{ac} x_j"),
    "log-softmax": (
        "log softmax = score − log-sum-exp",
        r"\log \frac{e^{u_a}}{\sum_b e^{u_b}} = u_a - \log \textstyle\sum_b e^{u_b}",
    ),
    "log-sum-exp": (
        "∂ log Σ_b e^(u_b) = Σ_b softmax_b(u) ∂u_b",
        r"\partial \log \textstyle\sum_b e^{u_b} = \sum_b \operatorname{softmax}_b(u)\, \partial u_b",
    ),
    "one-hot": ("one-hot: Σ_a y_a⁽ⁱ⁾ = 1", r"\text{one-hot: } \textstyle\sum_a y_a^{(i)} = 1"),
    "merge-sums": ("Σ u − Σ w = Σ (u − w)", r"\textstyle\sum u - \sum w = \sum (u - w)"),
    # steps of the normal equations (derive/normal_equations.py): equations, each with the same solutions
    "zero-gradient": ("set the gradient to zero", None),
    "multiply-both-sides": ("multiply both sides by m", r"\text{multiply both sides by } m"),
    "move-term": ("move a term across", None),
    "solve": ("solve for θ", r"\text{solve for } \theta"),
    # steps of a user's derivation that are not a rule of the table
    "common-denominator": ("common denominator", None),
    "sigma-definition": ("σ(z) = 1/(1 + e^(−z))", r"\sigma(z) = \frac{1}{1 + e^{-z}}"),
    "fold:sigma": ("1/(1 + e^(−z)) = σ(z)", r"\frac{1}{1 + e^{-z}} = \sigma(z)"),
}
# Each registered ML function words its own chain rule (σ′ = σ(1−σ), tanh′ = 1 − tanh², …).
RULE_WORDS.update({name: (e.rule_label, e.rule_latex) for name, e in ML_FUNCTIONS.items()})
UNEXPLAINED = ("unexplained: no rule", r"\text{unexplained: no rule}")  # a step of ours that no rule explains
NOT_RECOGNISED = ("not recognised", r"\text{not recognised}")  # a step of a user's that holds, by no rule we know


def rule_words(rule: str) -> tuple[str, str]:
    """(Unicode, LaTeX) words for ``rule``; a rule missing from the table is named by its id."""
    text, latex = RULE_WORDS.get(rule, (rule, None))
    return text, latex if latex is not None else rf"\text{{{text}}}"


def step_words(step: Step) -> tuple[str, str]:
    r"""(Unicode, LaTeX) words beside the "=" of a derivation step.

    A step that writes out a name says so ("definition of J(θ)"); a step that
    substituted one definition names it ("h_θ(x⁽ⁱ⁾) = σ(θᵀx⁽ⁱ⁾)", reversed for a fold).

    >>> from derivation.core.notation import z
    >>> from derivation.core.functions import Definition, sigmoid
    >>> sigma = Definition((z,), sigmoid(z), 1 / (1 + sp.exp(-z)))
    >>> step_words(Step("fold", "", z, definition=sigma))[0]
    '1/(1 + e^(−z)) = σ(z)'
    >>> step_words(Step("definition", "", z, unfolds=sigmoid(z)))
    ('definition of σ(z)', '\\text{definition of } \\sigma\\left(z\\right)')
    """
    if step.rule == "unexplained":
        return UNEXPLAINED
    if step.rule == "stopped":  # a derivation cut short says which budget ran out: "stopped: budget of 20 s"
        return step.rewrite, rf"\text{{{step.rewrite}}}"
    if step.unfolds is not None:
        if isinstance(step.unfolds, sp.Derivative):  # a result derived before, e.g. the gradient in a Hessian
            return f"the gradient {to_unicode(step.unfolds)}, derived step by step", (
                r"\text{the gradient, derived step by step}"
            )
        return f"definition of {to_unicode(step.unfolds)}", r"\text{definition of } " + to_latex(step.unfolds)
    if step.definition is not None and step.rule in ("definition", "fold"):
        short, long = step.definition.short, step.definition.long
        if step.rule == "fold":
            short, long = long, short
        return f"{to_unicode(short)} = {to_unicode(long)}", f"{to_latex(short)} = {to_latex(long)}"
    return rule_words(step.rule)


def recognition_words(recognition) -> tuple[str, str]:
    r"""(Unicode, LaTeX) words for the rules a :class:`~derivation.proof.recognise.Recognition` found.

    Several rules are joined by "+"; h_θ is spelled as the step reads it (h_θ(x⁽ⁱ⁾) or h_θ(x)).
    """
    if not recognition.keys:
        return NOT_RECOGNISED
    pairs = dict.fromkeys(_key_words(key, recognition.hypothesis) for key in recognition.keys)
    return " + ".join(a for a, _ in pairs), r" \;+\; ".join(b for _, b in pairs)


def _key_words(key: str, hypothesis: sp.Expr | None) -> tuple[str, str]:
    if key in ("definition:h", "fold:h") and hypothesis is not None:
        pairs = ((to_unicode(hypothesis), to_unicode(hypothesis.definition())),
                 (to_latex(hypothesis), to_latex(hypothesis.definition())))  # fmt: skip
        return tuple(f"{a} = {b}" if key == "definition:h" else f"{b} = {a}" for a, b in pairs)
    if key.startswith("definition:"):
        name = key.split(":")[1]
        return f"definition of {name}(θ)", rf"\text{{definition of }} {name}(\theta)"
    return rule_words(key)


def claim_words(claim) -> str:
    """The sentence that says whether a :class:`~derivation.proof.claims.Claim` fits the step, and why."""
    rule = recognition_words(claim.recognition)[0] if claim.recognition is not None else ""
    a, b = (to_unicode(side) for side in claim.equation) if claim.equation is not None else ("", "")
    sentences = {
        "applies": f"the step applies {rule}",
        "algebra": f"the step is algebra (read as {rule})",
        "other-rule": f"the step applies {rule}, not {claim.written}",
        "substitutes": f"the step substitutes {a} = {b}",
        "wrong-substitution": f"substituting {a} = {b} does not give the right side",
        "absent": f"{a} does not occur literally in this step" + (f"; the step applies {rule}" if rule else ""),
        "unnamed": "no rule we know is named here",
    }
    return sentences[claim.reason]


__all__ = ["RULE_WORDS", "claim_words", "recognition_words", "rule_words", "step_words"]
