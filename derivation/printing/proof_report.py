r"""A :class:`~derivation.proof.verifier.ProofReport` as text (✓ ✗ ?), JSON, or the user's own LaTeX annotated.

The annotated LaTeX rebuilds each chain as an ``align*`` from the user's own
sides and relations (``\underset{…}{=}`` kept as written) and puts a mark and a
short reason beside every ``=``: ``\checkmark`` (amssymb) when the step holds,
``\times`` when it fails, ``?`` when it was not understood or undecided.
"""

from __future__ import annotations

import re

from ..core.status import Fit, ProofStatus
from ..parsing.errors import line_of
from .expr import ascii_text, visible
from .json import dumps, jsonable
from .labels import recognition_words
from .latex import latex_math, latex_prose, latex_text, pasteable
from .text import wrap

PROOF_FORMATS = ("text", "json", "latex")
HOLDS, FAILS, UNDECIDED = ProofStatus.HOLDS, ProofStatus.FAILS, ProofStatus.UNDECIDED
NOT_UNDERSTOOD, DEFINITION = ProofStatus.NOT_UNDERSTOOD, ProofStatus.DEFINITION
_MARKS = {HOLDS: "✓", FAILS: "✗", NOT_UNDERSTOOD: "?", UNDECIDED: "?", DEFINITION: ":="}
_LATEX_MARKS = {HOLDS: r"\checkmark", FAILS: r"\times", NOT_UNDERSTOOD: "?", UNDECIDED: "?", DEFINITION: ":="}
_INDEXED = re.compile(r"^(theta|x|y|Q\d+)\[([^\]]+)\]$")
_SHOWN_VALUES = 6


def render_proof(
    report, fmt: str = "text", *, ascii: bool = False, standalone: bool = False, width: int | None = None
) -> str:
    r"""``report`` as text, json or latex (``standalone``: a whole document for pdflatex).

    ``width``: text lines are wrapped at this many columns (carets keep theirs); None leaves them whole.

    >>> import json
    >>> from derivation.proof.verifier import verify_text
    >>> report = verify_text(r"\frac{d}{dz} e^{2z} = e^{2z}")
    >>> print(render_proof(report, ascii=True).splitlines()[-1])
    1 step: 1 fails. First wrong step: step 1 (line 1).
    >>> json.loads(render_proof(report, "json"))["steps"][0]["diagnosis"]["kind"]
    'factor'
    """
    if fmt not in PROOF_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; valid formats: {', '.join(PROOF_FORMATS)}")
    if standalone and fmt != "latex":
        raise ValueError(f"option 'standalone' applies to format 'latex' only, not {fmt!r}")
    if fmt == "json":
        return dumps(proof_data(report), ascii=ascii)
    if fmt == "latex":
        return _latex(report, standalone)
    text = visible(_text(report, width))  # the user's own characters, escaped where a terminal would act on them
    return ascii_text(text) if ascii else text


# --- text ------------------------------------------------------------------------------------------


def summary(report) -> str:
    """One sentence: how many steps hold, fail, were not understood; the first wrong step."""
    if not report.steps:
        return "No chain of equalities found: nothing to verify."
    counts = [(report.count(status), status) for status in (HOLDS, FAILS, NOT_UNDERSTOOD, UNDECIDED)]
    parts = [f"{count} {'hold' if status == HOLDS and count != 1 else status}" for count, status in counts if count]
    definitions = report.count(DEFINITION)
    if definitions:
        parts.append(f"{definitions} definition{'s' * (definitions != 1)} not checked")
    n = len(report.steps)
    text = f"{n} step{'s' * (n != 1)}: " + ", ".join(parts) + "."
    first = report.first_failure or report.first_problem
    if first is not None:
        what = "wrong step" if first.status == FAILS else "step not verified"
        text += f" First {what}: step {first.number} (line {first.line})."
        if first.interpretations:
            text += " Read with: " + "; ".join(first.interpretations) + "."
    warnings = len(report.warnings)
    if warnings:
        text += f" {warnings} warning{'s' * (warnings != 1)} (not the verdict)."
    return text


def _assumptions(report) -> list[str]:
    """The interpretations the reading needed and the slips it noticed, one line each, with their lines."""
    out = []
    if report.interpretations:
        out += ["", "Read under these interpretations:"]
        out += [f"  line {line}: {words}" for line, words in report.interpretations]
    if report.warnings:
        out += ["", "Warnings (the mathematics was judged as read above):"]
        out += [f"  line {line}: {words}" for line, words in report.warnings]
    return out


def _text(report, width: int | None = None) -> str:
    lines = _fit(
        [
            f"Hypothesis: {report.hypothesis_text} (model {report.hypothesis}); "
            f"numeric checks with seed {report.seed}.",
            *_assumptions(report),
        ],
        width,
    )
    chain = None
    for step in report.steps:
        if step.chain != chain:
            chain = step.chain
            first = report.chains[chain - 1].sides[0]
            head = f"  {step.reading[0] if step.reading else first.latex}"
            lines += ["", f"Chain {chain} (line {step.line})", *_fit([head], width)]
        lines += _text_step(step, width)
    lines += ["", *_fit([summary(report)], width)]
    return "\n".join(lines) + "\n"


def _text_step(step, width: int | None = None) -> list[str]:
    mark = _MARKS.get(step.status, "?")
    right = step.reading[1] if step.reading else step.rhs
    out = [f"{mark} step {step.number} (line {step.line}): {_relation(step)} {right}"]
    pad = "      "
    if step.status == HOLDS:
        rule = recognition_words(step.recognition)[0] if step.recognition else "holds"
        scope = f" {step.scope}" if step.scope else ""  # "for one example (m = 1), as the text says"
        out.append(f"{pad}holds{scope} ({step.verdict.method}) — {rule}")
    elif step.status == FAILS:
        out.append(f"{pad}fails: {step.diagnosis.message if step.diagnosis else 'no known slip explains it'}")
        if step.verdict and step.verdict.counterexample:
            out.append(f"{pad}{counterexample_text(step.verdict.counterexample)}")
    elif step.status == NOT_UNDERSTOOD and step.unreadable:
        u = step.unreadable
        out.append(f"{pad}not understood ({u.side} side, line {u.line}): {u.message}")
        carets, at = [pad + line for line in _caret(u.caret)], len(out)
    elif step.status == UNDECIDED:
        out.append(f"{pad}undecided: {step.verdict.detail if step.verdict else ''}")
    else:
        out.append(f"{pad}{step.note or step.status}")
    if step.annotation:
        claim = f" — {step.claim.status}: {step.claim.message}" if step.claim else ""
        out.append(f"{pad}you wrote: {_plain(step.annotation)}{claim}")
    if step.note and step.status != DEFINITION:
        out.append(f"{pad}note: {step.note}")
    if step.status == NOT_UNDERSTOOD and step.unreadable:  # the caret lines keep their columns
        return [*_fit(out[:at], width), *carets, *_fit(out[at:], width)]
    return _fit(out, width)


def _relation(step) -> str:
    """'∝' for a step the text writes a ∝ b (checked as a = c·b: its note or its slip says so), else '='."""
    proportional = (step.note or "").startswith("a ∝ b") or (
        step.diagnosis is not None and step.diagnosis.kind == "not-proportional"
    )
    return "∝" if proportional else "="


def _fit(lines: list[str], width: int | None) -> list[str]:
    """``lines`` wrapped at ``width`` columns, continuations under the step's text; None: as they are."""
    return lines if width is None else [piece for line in lines for piece in wrap(line, width, indent=8)]


def _caret(caret: str) -> list[str]:
    r"""The source line and its ``^`` marker, the marker moved to where it points once ``visible`` escapes the line.

    >>> _caret("a\x1b= b\n   ^")
    ['a\\x1b= b', '      ^']
    """
    lines = caret.splitlines()
    if len(lines) != 2 or not lines[1].strip().startswith("^"):
        return lines
    source, marker = lines
    column = len(marker) - len(marker.lstrip(" "))
    return [visible(source), " " * len(visible(source[:column])) + marker.lstrip(" ")]


def counterexample_text(example: dict) -> str:
    """``at m=3, n=2, j=0: left side = …, right side = … (θ_0 = …, …)`` from a verdict's counterexample.

    >>> counterexample_text({"m": 3, "n": 2, "j": 0, "theta[0]": 0.5, "y[1]": 0.25, "lhs": 1.0, "rhs": -1.0})
    'at m=3, n=2, j=0: left side = 1, right side = -1 (θ_0 = 0.5, y⁽¹⁾ = 0.25)'
    >>> counterexample_text({"m": 3, "n": 2, "z": 1.5, "lhs": 0.2, "rhs": 0.5})  # sizes play no part here
    'at z = 1.5: left side = 0.2, right side = 0.5'
    """
    values = [(k, v) for k, v in example.items() if k not in ("m", "n", "j", "lhs", "rhs")]
    if not any("[" in k for k, _ in values) and "j" not in example:
        point = ", ".join(f"{_leaf_name(k)} = {_number(v)}" for k, v in values) or "a sampled point"
        return f"at {point}: left side = {_number(example.get('lhs'))}, right side = {_number(example.get('rhs'))}"
    sizes = ", ".join(f"{key}={example[key]}" for key in ("m", "n", "j") if key in example)
    shown = ", ".join(f"{_leaf_name(k)} = {_number(v)}" for k, v in values[:_SHOWN_VALUES])
    more = f", … {len(values) - _SHOWN_VALUES} more in the JSON" if len(values) > _SHOWN_VALUES else ""
    where = f" ({shown}{more})" if shown else ""
    return f"at {sizes}: left side = {_number(example.get('lhs'))}, right side = {_number(example.get('rhs'))}{where}"


def _leaf_name(key: str) -> str:
    match = _INDEXED.match(key)
    if match is None:
        return {"theta": "θ", "lambda": "λ"}.get(key, key)
    base, indices = match.group(1), [s.strip() for s in match.group(2).split(",")]
    if base == "theta":
        return f"θ_{indices[0]}"
    if base == "y":
        return f"y⁽{indices[0]}⁾".translate(_SUPERSCRIPT)
    if base == "x" and len(indices) == 2:
        return f"x_{indices[1]}" + f"⁽{indices[0]}⁾".translate(_SUPERSCRIPT)
    return f"{base}_{','.join(indices)}"


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _number(v) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _plain(note: str) -> str:
    note = re.sub(r"\\(text|mathrm|textrm|operatorname|textbf)\{([^{}]*)\}", r"\2", note)
    return " ".join(note.split())


# --- JSON ------------------------------------------------------------------------------------------


def proof_data(report) -> dict:
    """The report as plain data (what ``--format json`` prints)."""
    first_failure, first_problem = report.first_failure, report.first_problem
    return {
        "hypothesis": report.hypothesis,
        "hypothesis_text": report.hypothesis_text,
        "seed": report.seed,
        "summary": {
            "text": summary(report),
            "steps": len(report.steps),
            **{status: report.count(status) for status in ProofStatus},
            "first_failure": first_failure.number if first_failure else None,
            "first_problem": first_problem.number if first_problem else None,
            "exit_code": report.exit_code,
        },
        "chains": [
            {"number": k, "line": line_of(report.source, c.sides[0].start), "sides": [s.latex for s in c.sides]}
            for k, c in enumerate(report.chains, start=1)
        ],
        "interpretations": [{"line": line, "text": words} for line, words in report.interpretations],
        "warnings": [{"line": line, "text": words} for line, words in report.warnings],
        "steps": [_step_data(s) for s in report.steps],
    }


def _step_data(step) -> dict:
    u, v = step.unreadable, step.verdict
    verdict = None
    if v is not None:
        verdict = {"status": v.status, "method": v.method, "detail": v.detail, "counterexample": v.counterexample}
    return {
        "number": step.number,
        "chain": step.chain,
        "line": step.line,
        "status": step.status,
        "lhs": {"latex": step.lhs, "text": step.reading[0] if step.reading else None},
        "rhs": {"latex": step.rhs, "text": step.reading[1] if step.reading else None},
        "annotation": step.annotation,
        "rule": _rule_data(step.recognition),
        "claim": {"status": step.claim.status, "message": step.claim.message} if step.claim else None,
        "verdict": jsonable(verdict),
        "diagnosis": {"kind": step.diagnosis.kind, "message": step.diagnosis.message} if step.diagnosis else None,
        "not_understood": {"side": u.side, "message": u.message, "caret": u.caret, "line": u.line} if u else None,
        "note": step.note,
        "scope": step.scope,
        "interpretations": list(step.interpretations),
        "warnings": list(step.warnings),
    }


def _rule_data(recognition) -> dict | None:
    if recognition is None:
        return None
    return {"names": list(recognition.rules), "label": recognition_words(recognition)[0]}


# --- annotated LaTeX -------------------------------------------------------------------------------


def _latex(report, standalone: bool) -> str:
    blocks = [_latex_chain(report, number, chain) for number, chain in enumerate(report.chains, start=1)]
    body = "\n\n".join(blocks)
    if not standalone:
        return body + "\n"
    hypothesis = latex_prose(report.hypothesis_text)
    parts = [
        r"\documentclass[11pt]{article}",
        r"\usepackage[a4paper,margin=1.2cm]{geometry}",
        r"\usepackage{amsmath,amssymb}",
        r"\providecommand{\Tiny}{\tiny}",
        r"\allowdisplaybreaks",
        r"\pagestyle{empty}",
        r"\begin{document}",
        r"\section*{Step-by-step verification}",
        rf"\noindent Hypothesis: {hypothesis} (model {latex_text(report.hypothesis)}); seed {report.seed}. "
        + latex_text(summary(report)),
        *(latex_text(line.strip()) + r"\\" for line in _assumptions(report) if line.strip()),
        r"{\footnotesize",
        body,
        "}",
        r"\end{document}",
    ]
    return "\n".join(parts) + "\n"


def _latex_chain(report, number: int, chain) -> str:
    steps = [s for s in report.steps if s.chain == number]
    rows = []
    for k, step in enumerate(steps):
        relation = report.source[step.start : step.end]
        if not relation.lstrip().startswith(("\\underset", "\\overset", "\\stackrel")) or not pasteable(relation):
            relation = "="
        side_rows = _side_rows(chain.sides[k + 1])
        left = " ".join(_side_rows(chain.sides[0])) if k == 0 else ""
        reason = rf"&& {_LATEX_MARKS.get(step.status, '?')}\ {_latex_reason(step)}"
        lines = [f"{left} &{relation} {side_rows[0]}"] + [rf"&\qquad {row}" for row in side_rows[1:]]
        lines[-1] += " " + reason
        rows.append(" \\\\\n".join(lines))
    title = rf"\noindent\textbf{{Chain {number}}} (line {steps[0].line if steps else '?'})"
    return title + "\n\\begin{align*}\n" + " \\\\[1ex]\n".join(rows) + "\n\\end{align*}"


def _side_rows(side) -> tuple[str, ...]:
    """The user's side as written when it is harmless math LaTeX typesets, else as escaped typewriter text."""
    rows = tuple(latex_math(row) for row in side.rows)  # σ′ typed as Unicode becomes \sigma '
    if all(pasteable(row) for row in rows):
        return rows
    return (r"\text{\ttfamily " + latex_text(side.latex) + "}",)


def _latex_reason(step) -> str:
    """The short reason beside an "=", in math mode: the rule's own LaTeX, or plain words."""
    if step.status == HOLDS and step.recognition is not None:
        out = latex_math(recognition_words(step.recognition)[1])
        if step.claim is not None and step.claim.status == Fit.DIFFERS:
            out += r"\ \text{(you wrote: " + latex_text(_plain(step.annotation or "")) + ")}"
        return out
    if step.status == FAILS:
        text = step.diagnosis.message if step.diagnosis else "fails"
    elif step.status == NOT_UNDERSTOOD and step.unreadable:
        text = f"not understood: {step.unreadable.message}"
    else:
        text = step.note or step.status
    return r"\text{" + latex_text(text.replace("$", "")) + "}"


__all__ = ["PROOF_FORMATS", "counterexample_text", "proof_data", "render_proof", "summary"]
