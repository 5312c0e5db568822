r"""The layout around a user's gradient formula: delimiters, environments, rows, relations and conditions.

:func:`blank_layout` blanks with spaces what only places the formula (``$$``, ``\[``,
``\begin{cases}``, ``\label{}``, ``\left.``, ``\vdots``), never cutting, so positions still
point into the user's text.  :func:`lines_of` cuts it into rows at ``\\``, reads each row's
condition on the index (``& \text{if } j = 0``, ``, \quad j \geq 1``, ``(j=0)``, ``\text{otherwise}``)
and remarks (``\quad \text{(vectorised)}``), and splits it at its relations (``=``, ``:=``,
``\leftarrow``, ``\gets``) into a :class:`Line`: a left side and its right sides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .rows import DEFINES, LAYOUT_ENVIRONMENTS, blank, matching

BIAS, WEIGHTS_SCOPE, ALL = "bias", "weights", "all"

_BLOCKS = r"cases|dcases|rcases|array|matrix|bmatrix|pmatrix|Bmatrix|vmatrix|smallmatrix"
_ENV = re.compile(r"\\(begin|end)\s*\{(" + _BLOCKS + "|" + LAYOUT_ENVIRONMENTS + r")\*?\}(\s*\{[^{}]*\})?")
_BLANKED = re.compile(
    r"(?<!\\)\$\$?|(?<!\\)\\[\[\]()]|\\(label|tag\*?|hspace\*?|vspace\*?)\s*\{[^{}]*\}|\\(left|right)\s*\.|"
    r"\\(nonumber|notag|displaystyle|textstyle|hline|noindent|vdots|ddots|tiny|Tiny|scriptsize|footnotesize|small|"
    r"normalsize|large|Large|LARGE|huge|Huge)(?![A-Za-z])"
)
# \left\{ \begin{array} … \end{array} \right\}: the braces of a block of cases
_CASE_BRACES = re.compile(r"\\left\s*\\\{(?=\s*\\begin)|(?<=\\end)(\{[^{}]*\})?\s*\\right\s*\\\}")
_ROW_BREAK = re.compile(r"\\\\(\s*\[[^\]\n]*\])?|\\(cr|newline)(?![A-Za-z])")
_DISPLAY = re.compile(r"(?<!\\)\$\$|(?<!\\)\\[\[\]]")
# =, the update rules' :=, ← and \gets, and the relations that define a name (rows.DEFINES, shared with verify):
# \equiv, \triangleq, \coloneqq, and "=" with "def" (or any note) above it, \stackrel{\text{def}}{=}
_RELATIONS = re.compile(
    r":=|" + DEFINES.pattern + r"|\\(stackrel|overset)\s*\{([^{}]|\{[^{}]*\})*\}\s*(\{\s*=\s*\}|=)"
    r"|\\(long)?leftarrow(?![A-Za-z])|\\gets(?![A-Za-z])|←|=|[≔≜≝≡]"
)
_TEXT = re.compile(r"\\(text|textrm|textit|textbf|mbox|mathrm|operatorname)\s*\{")
_PROSE = frozenset(
    "for if when where otherwise and all each every repeat until convergence simultaneously update updates with "
    "bias intercept weights weight the of in is vectorized vectorised form i.e. e.g. rule step then do while "
    "loop".split()
)
# "for i = 1 to m:", "for i = 1, …, m {": the loop over the examples around a stochastic update rule
_LOOP = re.compile(
    r"(\s|\\q?quad(?![A-Za-z])|\\[,;: ])*(\\\{\s*)?(\\(text|textrm|mathrm|mbox)\s*\{\s*for\s*\}\s*|for\s+)i\s*=\s*1\s*"
    r"(\\(text|textrm|mathrm|mbox)\s*\{\s*to\s*\}|,\s*(\\[lc]?dots|\.\.\.?)\s*,)\s*m"
    r"(\s|\\[,;: ]|\\q?quad(?![A-Za-z]))*(:|,|\\colon|\\\{)?"
)
# ", \quad \text{where } …", "\text{ with } …", "where …": what follows defines a name the formula uses
_GIVING = (
    r"[\s,;&]*((\\q?quad(?![A-Za-z])|\\[,;: ]|~)\s*)*"
    r"(\\(text|mbox|textrm)\s*\{\s*(WORDS)\s*:?\s*\}|(WORDS)\b)(\s|\\q?quad(?![A-Za-z])|\\[,;: ]|~)*"
)
_WHERE = re.compile(_GIVING.replace("WORDS", "where|with"))
_AND = re.compile(_GIVING.replace("WORDS", "and|where|with"))  # where h_θ(x) = σ(θᵀx) and σ(z) = …: one more
# dw = … \text{ and } dz = …: a second equation (its words dropped with the rest, it was: a slip there got ✓)
_ALSO = re.compile(_GIVING.replace("WORDS", r"and|also|and also|as well as|similarly|and similarly|likewise|plus"))
_SPACING = re.compile(r"\\q?quad(?![A-Za-z])|\\[,;:! ]|~")
_INDEX = r"(?:j|k)"
_CONDITIONS = (  # (pattern on the flattened remark, scope); the first that matches decides
    (re.compile(_INDEX + r":?=0(\.\.|,\.\.\.?|\\[lc]?dots)"), ALL),  # j = 0..n-1: features from 0 (w without b)
    (re.compile(_INDEX + r"=0,(1,)?(\\[lcv]?dots|\.\.\.?|\\ldots)"), ALL),
    (re.compile(r"\\forall" + _INDEX + r"(?![a-z])|forall" + _INDEX + r"(?![a-z])"), ALL),
    (re.compile(_INDEX + r"=0(?![0-9.,])"), BIAS),
    (re.compile(_INDEX + r"(\\geq?|\\geqslant|>=|≥)1|" + _INDEX + r">0|" + _INDEX + r"(\\neq?|!=|≠)0"), WEIGHTS_SCOPE),
    (
        re.compile(_INDEX + r"=1,|" + _INDEX + r"=1(\\[lc]?dots|\.\.)|" + _INDEX + r"\\in\\?1|1(\\leq?|<=|≤)" + _INDEX),
        WEIGHTS_SCOPE,
    ),
    (re.compile(r"otherwise|else"), WEIGHTS_SCOPE),
    (re.compile(r"bias|intercept|\\theta_\{?0\}?(?![0-9])|" + _INDEX + r"=0"), BIAS),
)


@dataclass
class Line:
    """One equation or update rule: where it starts, its left side, its right sides, the entries it is for."""

    start: int
    left: tuple[int, int] | None
    rights: list[tuple[int, int]] = field(default_factory=list)
    condition: str | None = None  # BIAS, WEIGHTS_SCOPE or ALL when a condition was written, else None
    block: bool = False  # a row of a cases/matrix block
    where: bool = False  # written after "where" or "with": a definition the formula uses (h_θ(x) = θᵀx)


def blank_layout(text: str) -> str:
    """``text`` with delimiters, layout environments and their options, labels and sizing blanked to spaces."""
    work = list(text)
    for pattern in (_ENV, _BLANKED, _CASE_BRACES):
        for match in pattern.finditer(text):
            blank(work, match.start(), match.end())
    _vectors_by_entries(text, work)
    return _outer_group("".join(work))


# \begin{bmatrix} 0 \\ \theta_1 \\ \vdots \\ \theta_n \end{bmatrix}: a vector written by its entries, not rows of cases
_ENTRY_COLUMN = re.compile(r"\\begin\s*\{([bp])matrix\}((?:(?!\\(?:begin|end)\b).)*?)\\end\s*\{\1matrix\}", re.S)
_ENTRY_DOTS = re.compile(r"\\[vlc]?dots(?![A-Za-z])")
_ENTRY_RANGE = re.compile(r"(\\theta|w)\s*_\s*\{\s*1\s*:\s*n\s*\}")  # θ_{1:n}: the entries 1 to n
_ENTRY = re.compile(r"0|\\[vlc]?dots|(\\theta|w)\s*_\s*(\{\s*[0-9a-z]\s*\}|[0-9a-z])")  # θ_k, w_k, 0 or dots


def _vectors_by_entries(text: str, work: list[str]) -> None:
    r"""A matrix column with a row of dots written ``[a; b; \dots; c]`` in place: one item for the reader, not rows."""
    for match in _ENTRY_COLUMN.finditer(text):
        rows = [row.strip() for row in _ROW_BREAK.split(match.group(2)) if row is not None and row.strip()]
        ranged = _ENTRY_RANGE.fullmatch(rows[1]) if len(rows) == 2 and rows[0] == "0" else None
        written = rf"[0;{ranged.group(1)}_1;\dots;{ranged.group(1)}_n]" if ranged else ""
        if ranged and len(written) <= match.end() - match.start():  # [0; θ_{1:n}]: θ with its bias entry zeroed
            blank(work, match.start(), match.end())
            work[match.start() : match.start() + len(written)] = list(written)
            continue
        if not any(_ENTRY_DOTS.fullmatch(r) for r in rows) or not all(_ENTRY.fullmatch(r) for r in rows):
            continue  # rows of formulas (the bias's entry, …, entry j): cases by index, read by lines_of
        opening, closing = ("[", "]") if match.group(1) == "b" else ("(", ")")
        work[match.start()] = opening
        work[match.end() - 1] = closing
        for row_break in _ROW_BREAK.finditer(text, match.start(2), match.end(2)):
            blank(work, *row_break.span())
            work[row_break.start()] = ";"
        for dots in _ENTRY_DOTS.finditer(text, match.start(2), match.end(2)):
            blank(work, *dots.span())
            work[dots.start() : dots.start() + 5] = list("\\dots")


def block_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the cases and matrix blocks in ``text``: their rows are cases by index."""
    spans, opened = [], []
    for match in _ENV.finditer(text):
        if not re.fullmatch(_BLOCKS, match.group(2)):
            continue
        if match.group(1) == "begin":
            opened.append(match.end())
        elif opened:
            spans.append((opened.pop(), match.start()))
    return spans


def lines_of(work: str, text: str) -> list[Line]:
    """The lines of the formula ``work`` (``text`` with its layout blanked)."""
    chars = list(work)
    blocks = block_spans(text)
    rows, start = [], 0
    # rows end at \\ and \newline, and at a display's delimiters: $$…$$ on one line and $$…$$ on the next are two
    breaks = sorted([m.span() for m in _ROW_BREAK.finditer(work)] + [m.span() for m in _DISPLAY.finditer(text)])
    for begin, end in breaks:
        if begin < start:
            continue
        rows.append((start, begin))
        blank(chars, begin, end)
        start = end
    rows.append((start, len(work)))
    lines: list[Line] = []
    pending: list[tuple[int, int, bool]] = []  # rows cut in two at ", \quad dw = …" (or at "where h_θ(x) = …")
    for row in rows:
        pending.append((*row, False))
        while pending:
            a, b, where = pending.pop(0)
            condition, second = _clean_row(chars, a, b, where)
            if where and second is None:  # where ŷ = σ(z), z = θᵀx: one definition after the other
                second = _next_definition(chars, a, b)
            if second is not None:
                pending.insert(0, second)
            in_block = any(s <= a < e or s < b <= e for s, e in blocks)
            _add_row(lines, chars, a, second[0] if second else b, condition, in_block, where)
    lines = [line for line in lines if line.rights]
    _entries_by_row(lines)
    return lines


def _entries_by_row(lines: list[Line]) -> None:
    r"""A vector as a two-row matrix without conditions (``\begin{bmatrix} … \\ … \end{bmatrix}``): θ₀, then θ_j."""
    rows = [line for line in lines if line.block]
    if len(rows) == 2 and rows[0].left == rows[1].left and all(line.condition is None for line in rows):
        rows[0].condition, rows[1].condition = BIAS, WEIGHTS_SCOPE


def _outer_group(text: str) -> str:
    r"""Blank braces around the whole formula (``{\small … }``)."""
    stripped = text.strip()
    if not stripped.startswith("{"):
        return text
    start = text.index("{")
    close = matching(text, start)
    if close is None or text[close + 1 :].strip():
        return text
    return text[:start] + " " + text[start + 1 : close] + " " + text[close + 1 :]


def _add_row(
    lines: list[Line], chars: list[str], a: int, b: int, condition: str | None, in_block: bool, where: bool = False
) -> None:
    relations = _relations(chars, a, b)
    edges = [a, *[x for span in relations for x in span], b]
    sides = [_trim(chars, edges[k], edges[k + 1]) for k in range(0, len(edges), 2)]
    if sides == [None] and condition is None:
        return
    if not relations:  # a case of a block, or the rest of a side broken over rows
        if sides[0] is None:
            if condition is not None and lines:
                lines[-1].condition = condition  # the condition on a row of its own
            return
        last = lines[-1] if lines else None
        if last is not None and (in_block or last.block or not last.rights):
            lines.append(Line(a, last.left, [sides[0]], condition, block=True))
            if not last.rights:
                lines.remove(last)
            return
        if last is not None and last.rights:
            s, _ = last.rights[-1]
            last.rights[-1] = (s, sides[0][1])
            last.condition = last.condition or condition
            return
        lines.append(Line(a, None, [sides[0]], condition))
        return
    left, *rights = sides
    rights = [side for side in rights if side is not None]
    if left is None and lines:
        lines[-1].rights.extend(rights)
        lines[-1].condition = lines[-1].condition or condition
        return
    lines.append(Line(a, left, rights, condition, block=in_block, where=where))


def _clean_row(
    chars: list[str], a: int, b: int, where: bool = False
) -> tuple[str | None, tuple[int, int, bool] | None]:
    """Blank the row's prose, remark, wrapper braces and final punctuation; its condition, and a second equation
    (flagged when it follows "where" or "with": a definition the first one uses)."""
    row = "".join(chars[a:b])
    lead = _leading_prose(row)
    loop = _LOOP.match(row) or _LOOP.match(row, lead)
    if loop and (_relations(chars, a + loop.end(), b) or not row[loop.end() :].strip()):
        blank(chars, a + loop.start(), a + loop.end())  # for i = 1 to m: θ_j := …, the loop of a stochastic rule
        row = "".join(chars[a:b])
    blank(chars, a, a + lead)
    if lead and not _relations(chars, a, b):  # a row of words with some math in them: a remark on the line above
        flat = _flatten(row)
        blank(chars, a, b)
        return next((scope for pattern, scope in _CONDITIONS if pattern.search(flat)), None), None
    row = "".join(chars[a:b])
    condition, second = None, None
    cut = _remark_start(row)
    if cut is not None:
        remark = row[cut:]
        flat = _flatten(remark)
        condition = next((scope for pattern, scope in _CONDITIONS if pattern.search(flat)), None)
        words = re.match(r"[\s,&]*(\\q?quad(?![A-Za-z])|\\[,;: ]|~|\s)*\\(text|mbox|textrm)\s*\{", remark)
        if condition is None and not words and _RELATIONS.search(remark) and re.search(r"[A-Za-z]", flat.split("=")[0]):
            # dw = …, \quad db = …: a second equation on the same row
            begin = re.match(r"[\s,&]*(\\q?quad(?![A-Za-z])|\\[,;: ]|~|\s)*", remark).end()
            second = (a + cut + begin, b, where)  # after a where-clause: another definition
            blank(chars, a + cut, a + cut + begin)
        elif (
            condition is None
            and (given := (_AND if where else _WHERE).match(remark))
            and _RELATIONS.search(remark, given.end())
        ):
            begin = given.end()  # \text{where } h_\theta(x) = \theta^T x: the definition it uses
            second = (a + cut + begin, b, True)
            blank(chars, a + cut, a + cut + begin)
        elif condition is None and (also := _ALSO.match(remark)) and _RELATIONS.search(remark, also.end()):
            second = (a + cut + also.end(), b, where)  # \text{ and } dB = …: read, judged or refused, never dropped
            blank(chars, a + cut, a + cut + also.end())
        else:
            blank(chars, a + cut, b)
    _blank_wrappers(chars, a, b if second is None else second[0])
    return condition, second


def _next_definition(chars: list[str], a: int, b: int) -> tuple[int, int, bool] | None:
    """Where a second definition starts after a top-level comma in a where-clause (its comma blanked), or None."""
    row = "".join(chars[a:b])
    depth = 0
    for k, c in enumerate(row):
        if row.startswith(("\\{", "\\}"), k - 1) and k and row[k - 1] == "\\":
            continue
        depth += (c in "{([") - (c in "})]")
        if c == "," and depth == 0 and _relations(chars, a, a + k) and _relations(chars, a + k + 1, b):
            chars[a + k] = " "
            return a + k + 1, b, True
    return None


def _leading_prose(row: str) -> int:
    r"""How many characters of ``row`` are words before the mathematics (``\text{repeat until convergence} \{``)."""
    end = 0
    while True:
        rest = row[end:]
        match = re.match(r"\s*(" + _TEXT.pattern + r")", rest)
        if not match:
            return end
        close = matching(rest, match.end() - 1)
        if close is None or not _is_prose(rest[match.end() : close]):
            return end
        end += close + 1


def _is_prose(words: str) -> bool:
    words = words.strip().lower()
    return not words or " " in words or words.strip(":,.()") in _PROSE


def _remark_start(row: str) -> int | None:
    """Where the row's remark or condition starts (top level only), or None."""
    depth = 0
    k = 0
    while k < len(row):
        c = row[k]
        if c == "\\" and row.startswith(("\\{", "\\}", "\\,", "\\;", "\\:", "\\!"), k):
            k += 2  # \{ \} are braces written, \, \; spacing: not a group, not a comma
            continue
        if c in "{(" or row.startswith("\\left", k):
            if (
                c == "("
                and depth == 0
                and re.match(r"\(\s*(\\text\{[^{}]*\}\s*)?(j|k)\s*(=|\\ge|\\geq|>|\\ne|\\neq|\\in)", row[k:])
            ):
                return k
            depth += c in "{("
        elif c in "})":
            depth -= 1
        elif depth <= 0:
            rest = row[k:]
            if c == "&" and not re.match(r"&\s*(" + _RELATIONS.pattern + ")", rest):
                return k
            if re.match(r"\\q?quad(?![A-Za-z])|\\forall(?![A-Za-z])", rest) and row[:k].strip():
                return k  # spacing that indents the row is not a remark
            match = _TEXT.match(rest)
            if match:
                close = matching(rest, match.end() - 1)
                if close is not None and _is_prose(rest[match.end() : close]):
                    return k
            if c == "," and re.match(
                r",\s*(\\text|\\mbox|\\q?quad|\\[,;: ]|~|\\forall|(j|k)\s*(=|\\ge|>|\\ne|\\in)|for\b)", rest
            ):
                return k
        k += 1
    return None


def _flatten(remark: str) -> str:
    r"""A remark's words and symbols, no ``\text{}``, spacing or braces: ``\text{for } j \geq 1`` → ``forj\geq1``."""
    flat = _TEXT.sub("", remark)
    flat = _SPACING.sub("", flat)
    flat = re.sub(r"\\(left|right)(?![A-Za-z])", "", flat)
    flat = flat.replace("{", "").replace("}", "").replace("$", "")
    return re.sub(r"\s+", "", flat)


def _blank_wrappers(chars: list[str], a: int, b: int) -> None:
    r"""Blank ``\{`` and ``\}`` left open on the row (a ``repeat \{ … \}`` wrapper) and a final ``.`` or ``,``."""
    row = "".join(chars[a:b])
    opened = []
    for match in re.finditer(r"\\\{|\\\}|\\[lr]brace(?![A-Za-z])", row):
        if match.group() in ("\\{", "\\lbrace"):
            opened.append(match.start())
        elif opened:
            opened.pop()
        else:
            blank(chars, a + match.start(), a + match.end())
    for start in opened:
        blank(chars, a + start, a + start + 2)
    row = "".join(chars[a:b]).rstrip()
    if row.endswith((".", ",", ";")) and not row.endswith("\\,"):
        chars[a + len(row) - 1] = " "
    for k in range(a, b):
        if chars[k] == "&":
            chars[k] = " "


def _relations(chars: list[str], a: int, b: int) -> list[tuple[int, int]]:
    """The spans of the row's top-level relations (the first may be :=, ← or =; later ones =)."""
    row = "".join(chars[a:b])
    out, depth, k = [], 0, 0
    while k < len(row):
        c = row[k]
        if row.startswith(("\\{", "\\}"), k):
            k += 2
            continue
        if c in "{":
            depth += 1
        elif c in "}":
            depth -= 1
        elif depth == 0:
            match = _RELATIONS.match(row, k)
            if match and not (match.group() == "=" and row[:k].rstrip().endswith(("\\le", "\\ge", "!", "<", ">"))):
                out.append((a + k, a + match.end()))
                k = match.end()
                continue
        k += 1
    return out


def _trim(chars: list[str], a: int, b: int) -> tuple[int, int] | None:
    piece = "".join(chars[a:b])
    if not _SPACING.sub("", piece).strip():  # nothing, or only spacing (a row "\quad \}" closing a loop)
        return None
    return a + len(piece) - len(piece.lstrip()), b - (len(piece) - len(piece.rstrip()))
