"""Render a :class:`~derivation.core.steps.Derivation` or one expression as text, LaTeX, Markdown or JSON.

All formats share one data model; ``render(d, "text")`` is what the terminal shows.
"""

from __future__ import annotations

import json as _json

import sympy as sp

from ..core.steps import Derivation, set_renderer
from .expr import to_ascii, to_latex, to_unicode, visible
from .json import render_json
from .latex import render_latex
from .markdown import render_markdown
from .text import WIDTH, render_text, step_label

FORMATS = ("text", "latex", "markdown", "json")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; valid formats: {', '.join(FORMATS)}")


def render(
    derivation: Derivation,
    fmt: str = "text",
    *,
    ascii: bool = False,
    standalone: bool = False,
    jupyter: bool = False,
    width: int | None = None,
) -> str:
    """``derivation`` in format ``fmt`` (text, latex, markdown or json).

    ``ascii`` keeps text, Markdown prose and JSON strings to ASCII (LaTeX always is);
    ``standalone`` (a whole document) and ``jupyter`` (``$$aligned$$``) apply to latex only;
    ``width``: columns of text (default 100).

    >>> from derivation.models import get_model
    >>> from derivation.core.steps import Step
    >>> f = get_model("sigmoid").form()
    >>> d = Derivation("", f.goal, f.variable, (Step("sigmoid", "", f.gradient),))
    >>> print(render(d).splitlines()[0])
    dσ(z)/dz = σ(z) (1 − σ(z))  (σ′ = σ(1−σ)) ·
    >>> render(d, "pdf")
    Traceback (most recent call last):
    ...
    ValueError: unknown format 'pdf'; valid formats: text, latex, markdown, json
    """
    _check_format(fmt)
    if (standalone or jupyter) and fmt != "latex":
        option = "standalone" if standalone else "jupyter"
        raise ValueError(f"option {option!r} applies to format 'latex' only, not {fmt!r}")
    if standalone and jupyter:
        raise ValueError("options 'standalone' and 'jupyter' exclude each other: choose one")
    if fmt == "text":
        return visible(render_text(derivation, ascii=ascii, width=width or WIDTH))
    if fmt == "latex":
        return render_latex(derivation, standalone=standalone, jupyter=jupyter)
    if fmt == "markdown":
        return visible(render_markdown(derivation, ascii=ascii))
    return render_json(derivation, ascii=ascii)


set_renderer(render)  # str(derivation) and Jupyter print through here; core.steps does not import us


def render_expr(expr: sp.Basic, fmt: str = "text", *, ascii: bool = False) -> str:
    """One expression in format ``fmt``: text (Unicode, or ASCII), latex, markdown (``$…$``) or json.

    >>> from derivation.core.notation import theta, j
    >>> render_expr(theta[j]), render_expr(theta[j], ascii=True), render_expr(theta[j], "markdown")
    ('θ_j', 'theta_j', '$\\\\theta_{j}$')
    """
    _check_format(fmt)
    if fmt == "text":
        return to_ascii(expr) if ascii else to_unicode(expr)
    if fmt == "latex":
        return to_latex(expr)
    if fmt == "markdown":
        return f"${to_latex(expr)}$"
    text = to_ascii(expr) if ascii else to_unicode(expr)
    return _json.dumps({"text": text, "latex": to_latex(expr)}, ensure_ascii=ascii)


__all__ = ["FORMATS", "render", "render_expr", "step_label", "to_ascii", "to_latex", "to_unicode"]
