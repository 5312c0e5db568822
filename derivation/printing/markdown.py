r"""Markdown for GitHub and Q&A sites: a heading, one ``$$\begin{aligned}…\end{aligned}$$`` block, the checks."""

from __future__ import annotations

from ..core.steps import Derivation
from . import text as _text
from .expr import ascii_text
from .latex import NotationLatexPrinter, join_rows, latex_rows


def render_markdown(derivation: Derivation, *, ascii: bool = False) -> str:
    r"""The derivation as Markdown with MathJax/KaTeX display math.

    >>> import sympy as sp
    >>> from derivation.models import get_model
    >>> from derivation.core.steps import Step
    >>> f = get_model("sigmoid").form()
    >>> steps = (Step("result", "", f.gradient),)
    >>> d = Derivation("Sigmoid", f.goal, f.variable, steps, f.definitions)
    >>> print(render_markdown(d))  # doctest: +NORMALIZE_WHITESPACE
    ### Sigmoid
    <BLANKLINE>
    where $\sigma\left(z\right) = \frac{1}{1 + e^{-z}}$
    <BLANKLINE>
    $$
    \begin{aligned}
    \frac{d \sigma\left(z\right)}{dz} &\underset{\text{result}}{=}
        \sigma\left(z\right) \left(1 - \sigma\left(z\right)\right)
    \end{aligned}
    $$
    <BLANKLINE>
    *1 step; 1 not checked (step 1); seed 0*
    """
    printer = NotationLatexPrinter()
    prose = ascii_text if ascii else str
    out = [f"### {prose(derivation.title)}", ""] if derivation.title else []
    if derivation.definitions:
        where = ", ".join(f"${printer.doprint(d.short)} = {printer.doprint(d.long)}$" for d in derivation.definitions)
        out += [f"where {where}", ""]
    out += ["$$", r"\begin{aligned}", join_rows(latex_rows(derivation)), r"\end{aligned}", "$$", ""]
    problems = _text.problem_lines(derivation, ascii)
    if problems:
        out += ["**Problems**", "", *(f"- {line}" for line in problems), ""]
    if derivation.checks:
        out += ["**Checks**", "", *(f"- {line}" for line in _text.check_lines(derivation, ascii)), ""]
    out.append(f"*{prose(_text.summary(derivation))}*")
    return "\n".join(out)


__all__ = ["render_markdown"]
