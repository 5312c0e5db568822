"""A :class:`~derivation.check.gradient.GradientReport` as text (✓/✗, a counterexample you can retype) or JSON.

Every format shows the convention a NumPy function was called under and the worst-differing
entry (which component, expected against received, the relative error and the tolerance of
the received precision), for correct gradients too: the agreement achieved.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ..core.status import GradientStatus
from .expr import ascii_text, visible
from .json import dumps, jsonable

REPORT_FORMATS = ("text", "json", "markdown")
_MARK = {GradientStatus.CORRECT: "✓", GradientStatus.INCORRECT: "✗", GradientStatus.UNDECIDED: "?"}
_WIDTH = 120


def render_report(report, fmt: str = "text", *, ascii: bool = False) -> str:
    """``report`` as "text" (Unicode; ``ascii`` for plain terminals), "markdown" or "json".

    >>> import json
    >>> from derivation.check.gradient import check_gradient
    >>> r = check_gradient("linear", grad="X.T @ (X @ theta - y) / m")
    >>> print(render_report(r).splitlines()[0])
    ✓ correct: linear, expression (matrix form)
    >>> json.loads(render_report(r, "json"))["status"]
    'correct'
    >>> render_report(r, "pdf")
    Traceback (most recent call last):
    ...
    ValueError: unknown format 'pdf' for a gradient check; valid formats: text, json, markdown
    """
    if fmt not in REPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r} for a gradient check; valid formats: {', '.join(REPORT_FORMATS)}")
    if fmt == "json":
        return render_report_json(report, ascii=ascii)
    lines = _text_lines(report)
    text = visible("\n".join(lines))  # names and messages may carry the user's control characters
    if ascii:
        text = ascii_text(text)
    if fmt == "markdown":
        head, _, rest = text.partition("\n")
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall("`+", rest)), default=0))  # ``` in it stays in
        return f"**{_markdown_line(head)}**\n\n{fence}\n{rest}\n{fence}"
    return text


def _markdown_line(text: str) -> str:
    r"""The user's words as literal Markdown: ``*``, ``[``, ``<``, ``_`` at a word's edge … neither format nor link.

    >>> _markdown_line("a*b [x](y) <img> _c_ compute_grad")
    'a\\*b \\[x\\](y) \\<img\\> \\_c\\_ compute_grad'
    """
    return re.sub(r"([\\`*{}\[\]<>#|!~]|(?<!\w)_|_(?!\w))", r"\\\1", text)  # compute_grad's _ stays plain


def render_report_json(report, *, ascii: bool = False) -> str:
    """The report as JSON: status, reason, diagnosis, counterexample (lists of numbers), method, seed, exit_code.

    >>> import json
    >>> from derivation.check.gradient import check_gradient
    >>> data = json.loads(render_report_json(check_gradient("linear", grad="-X.T @ (X @ theta - y) / m")))
    >>> data["status"], data["diagnosis"]["fault"], data["exit_code"]
    ('incorrect', 'sign', 1)
    """
    data: dict[str, Any] = jsonable(report.to_dict())
    data["exit_code"] = report.exit_code
    if ascii:
        data = _ascii_strings(data)
    return dumps(data, ascii=ascii)


def _ascii_strings(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _ascii_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_ascii_strings(v) for v in value]
    return ascii_text(value) if isinstance(value, str) else value


def _text_lines(report) -> list[str]:
    status = str(report.status)
    if report.holds_for:  # correct, but only for some shapes or under a reading: say which
        word = "as" if report.holds_for.startswith("one example's") else "for"  # a reading, not shapes
        status += f" {word} {report.holds_for}"
    lines = [f"{_MARK.get(report.status, '?')} {status}: {report.model}, {report.input_kind}"]
    if report.reading:
        lines.append(f"  read as: {report.reading}")
    lines.append(f"  {report.reason}")
    if report.convention:
        lines.append(f"  convention: {report.convention}")
    if report.worst:
        lines.append(_worst_line(report.worst))
    if report.diagnosis is not None:
        d = report.diagnosis
        exact = "" if d.exact else " (from the shape only)"
        lines.append(f"  diagnosis: {d.name}{exact} — {d.explanation}")
    elif report.status == GradientStatus.INCORRECT:
        lines.append("  diagnosis: none of the common faults explains the difference exactly")
    if report.counterexample is not None:
        lines.extend(_counterexample_lines(report.counterexample))
    lines.extend(f"  note: {note}" for note in report.notes)
    lines.append(f"  method: {report.method}")
    return lines


def _worst_line(worst: dict[str, Any]) -> str:
    """One line: which component differs most, expected against received, and the relative error.

    >>> print(_worst_line({"dataset": 1, "m": 4, "n": 2, "component": 2, "expected": 0.25, "received": 0.75,
    ...                    "relative_error": 2.0, "tolerance": 1e-8, "precision": "float64"}))
      worst entry: θ_2 on dataset 2 (m = 4, n = 2): expected 0.25, received 0.75; relative error 2 > 1e-08 (float64)
    """
    error, tolerance = worst["relative_error"], worst["tolerance"]
    within = "≤" if error <= tolerance else ">"
    where = f"θ_{worst['component']} on dataset {worst['dataset'] + 1} (m = {worst['m']}, n = {worst['n']})"
    scale = f" (as {worst['expected_of']})" if "expected_of" in worst else ""  # at the scale of the values received
    values = f"expected {_number(worst['expected'])}{scale}, received {_number(worst['received'])}"
    return (
        f"  worst entry: {where}: {values}; relative error {error:.2g} {within} {tolerance:.0e} ({worst['precision']})"
    )


def _counterexample_lines(example: dict[str, Any]) -> list[str]:
    lines = [f"  counterexample (m = {example['m']}, n = {example['n']}):"]
    lines.extend(_array_lines("X", example["X"]))
    lines.extend(_array_lines("y", example["y"]))
    if "w" in example:  # a weighted cost Σ w⁽ⁱ⁾ℓᵢ: example i's weight
        lines.extend(_array_lines("w⁽ⁱ⁾", example["w"]))
    lines.extend(_array_lines("θ", example["theta"]))
    if "lam" in example:
        lines.append(f"    λ = {example['lam']:g}")
    lines.extend(_array_lines(f"expected {example.get('expected_of', '∇J')}(θ)", example["expected"]))
    shape = tuple(example.get("received_shape", ()))
    if len(shape) == 2 and shape[1] == 1:
        lines.extend(_array_lines("received (a column)", np.asarray(example["received"]).reshape(-1)))
    else:
        label = "received" if len(shape) == 1 else "received (" + "×".join(map(str, shape)) + ")"
        lines.extend(_array_lines(label, example["received"]))
    return lines


def _array_lines(name: str, values: Any) -> list[str]:
    array = np.asarray(values, dtype=float)
    if array.ndim == 0:
        return [f"    {name} = {_number(float(array))}"]
    if array.ndim == 1:
        return [f"    {name} = [{', '.join(_number(v) for v in array)}]"]
    cells = [[_number(v) for v in row] for row in array.reshape(array.shape[0], -1)]
    widths = [max(len(row[c]) for row in cells) for c in range(len(cells[0]))]
    rows = [", ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)) for row in cells]
    pad = " " * (len(name) + 8)
    body = f",\n{pad}".join(f"[{row}]" for row in rows)
    return f"    {name} = [{body}]".split("\n")


def _number(value: float) -> str:
    if value == 0:
        return "0"
    if float(value).is_integer() and abs(value) < 1e6:
        return str(int(value))
    return f"{value:.6g}"


__all__ = ["REPORT_FORMATS", "render_report", "render_report_json"]
