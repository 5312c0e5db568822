"""The derivation as JSON: every step with its rule, Unicode text, LaTeX and verdict."""

from __future__ import annotations

import json
import math
from typing import Any

import sympy as sp

from ..core.steps import Derivation, Verdict
from .expr import ascii_text, to_ascii, to_latex, to_unicode, visible
from .labels import step_words
from .text import step_label, summary


def jsonable(value: Any) -> Any:
    """``value`` with SymPy and NumPy numbers turned into int, float or str, so json.dumps takes it.

    >>> jsonable({sp.Symbol("m"): sp.Integer(3), "x": [sp.Rational(1, 2), sp.Float("nan")]})
    {'m': 3, 'x': [0.5, 'nan']}
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    if isinstance(value, sp.Basic):
        if value.is_Integer:
            return int(value)
        if value.is_number:
            try:
                value = float(value)
            except TypeError:
                return str(value)
        else:
            return str(value)
    if hasattr(value, "tolist"):  # NumPy arrays and scalars
        return jsonable(value.tolist())
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return str(value)


def dumps(data: Any, *, ascii: bool = False) -> str:
    r"""``json.dumps`` that also escapes what it leaves raw without ``ensure_ascii``: DEL, C1 controls, bidi and
    zero-width characters (U+202E, U+200B), so a terminal that shows the JSON does not act on them.

    >>> dumps({"a": "x\u202e\x9b\x1b"})
    '{\n  "a": "x\\u202e\\u009b\\u001b"\n}'
    """
    text = json.dumps(data, indent=2, ensure_ascii=ascii)
    # json.dumps already wrote every newline inside a string as \n: a raw one is the indentation
    return visible(text, escape=_json_escape, keep="\n")


def _json_escape(c: str) -> str:
    code = ord(c)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _verdict(v: Verdict | None) -> dict[str, Any] | None:
    if v is None:
        return None
    return {"status": v.status, "method": v.method, "detail": v.detail, "counterexample": jsonable(v.counterexample)}


def render_json(derivation: Derivation, *, ascii: bool = False) -> str:
    """``json.dumps`` of the derivation: title, model, goal, steps, checks, verified, seed.

    >>> from derivation.models import get_model
    >>> from derivation.core.steps import Step
    >>> f = get_model("sigmoid").form()
    >>> data = json.loads(render_json(Derivation("σ′", f.goal, f.variable, (Step("r", "", f.gradient),))))
    >>> data["goal"]["text"], data["steps"][0]["text"], data["verified"]
    ('dσ(z)/dz', 'σ(z) (1 − σ(z))', False)
    """
    show = to_ascii if ascii else to_unicode
    prose = ascii_text if ascii else str
    data = {
        "title": prose(derivation.title),
        "model": derivation.model,
        "variable": show(derivation.variable),
        "goal": {"text": show(derivation.goal), "latex": to_latex(derivation.goal)},
        "joins": derivation.joins,
        "definitions": [
            {"text": f"{show(d.short)} = {show(d.long)}", "latex": f"{to_latex(d.short)} = {to_latex(d.long)}"}
            for d in derivation.definitions
        ],
        "steps": [
            {
                "index": index,
                "rule": step.rule,
                "label": step_label(step, ascii),
                "label_latex": step_words(step)[1],
                "rewrite": prose(step.rewrite),
                "text": show(step.expr),
                "latex": to_latex(step.expr),
                "verdict": _verdict(step.verdict),
            }
            for index, step in enumerate(derivation.steps)
        ],
        "checks": [{"name": c.name, **_verdict(c.verdict)} for c in derivation.checks],
        "gaps": [index for index, step in enumerate(derivation.steps) if step.rule == "unexplained"],
        "verified": derivation.verified,
        "summary": summary(derivation),
        "seed": derivation.seed,
    }
    return dumps(data, ascii=ascii)


__all__ = ["dumps", "jsonable", "render_json"]
