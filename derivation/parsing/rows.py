r"""The rows of one formula and the sides and relations of each row, with positions in the text.

A row ends at ``\\`` (``\\[2ex]``), at ``, \qquad`` before a second equation and at ``\implies``;
each row is split at its ``=`` (``\underset{…}{=}``, a trailing ``\quad\text{…}``, the comment column
``&& \text{…}`` and a condition ``\qquad (j \geq 1)`` carry the rule the user wrote on it).  Rows of
words (``\text{Take the minus sign out}``, ``\intertext{…}``) are notes on the next ``=``, not sides.
Layout is blanked with spaces, never cut, so positions still point into the text.
:mod:`derivation.parsing.chain` assembles rows into chains.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

LAYOUT_ENVIRONMENTS = (
    "align|aligned|alignat|alignedat|split|eqnarray|equation|gather|gathered|multline|displaymath|math|flalign"
)
SIZING = re.compile(
    r"\\(tiny|Tiny|scriptsize|footnotesize|small|normalsize|large|Large|LARGE|huge|Huge|displaystyle|textstyle|"
    r"nonumber|notag|displaybreak|begingroup|endgroup)(?![A-Za-z])"
)
_ENV = re.compile(r"\\(begin|end)\{(" + LAYOUT_ENVIRONMENTS + r")\*?\}(\{\d+\})?")
_LAYOUT_ENV = r"(" + LAYOUT_ENVIRONMENTS + r")\*?"
_ANY_ENV = re.compile(r"\\(begin|end)\{([A-Za-z]+\*?)\}")
# a formula that is one array of equations, one to a row: its rows are rows as in align (no "&" columns of numbers)
_WHOLE_ARRAY = re.compile(
    r"\s*\\begin\s*\{array\}\s*\{[lcr|\s]*\}(?P<body>(?:(?!\\(?:begin|end)\s*\{)[\s\S])*)\\end\s*\{array\}\s*"
)
_LEADING_SPACES = re.compile(r"(?:\s|\\ )*\\ \s*")  # control spaces "\ " that start a row, nothing after them
_GROUP_COMMANDS = re.compile(r"\\(hphantom|phantom|vphantom|label|tag\*?)\s*\{")
_ROW_BREAK = re.compile(r"\\\\(\s*\[[^\]\n]*\])?")
_SEPARATOR = re.compile(r",\s*\\q?quad(?![A-Za-z])")  # a = b, \qquad c = d: two equations
# a = b \implies c = d, a = b \quad\Rightarrow\quad c = d: two equations
_IMPLIES = re.compile(r"\\(implies|Rightarrow|Longrightarrow|therefore|iff|Leftrightarrow)(?![A-Za-z])")
_RELATION_NOTE = re.compile(r"\\(underset|overset|stackrel)\s*\{")
# a = b \quad\text{and}\quad c = d: two equations, each checked (an "=" on both sides of the words)
_AND = re.compile(
    r"(\\q?quad(?![A-Za-z])\s*|\\[,;:]\s*)*\\(text|textrm|mathrm|textnormal|mbox)\s*\{\s*(and|,\s*and|as\s+well\s+as)\s*\}"
    r"(\s*(\\q?quad(?![A-Za-z])|\\[,;:]|~))*"
)
# The relations that define a name, read as "=": a \equiv b, a \triangleq b, a \coloneqq b, a \mathrel{:}= b,
# a \mathrel{:=} b (":=" is read at its "=", \stackrel{\text{def}}{=} by _RELATION_NOTE). layout.py reads it too.
_DEFINES_SIGNS = "≔≜≝≡"  # the same relations typed as Unicode characters
DEFINES = re.compile(
    r"\\(coloneqq|coloneq|Coloneqq|equiv|triangleq|doteq|eqdef)(?![A-Za-z])|\\mathrel\s*\{\s*:\s*(\}\s*=|=\s*\})"
)
_WORDS_COMMAND = r"\\(?:text|textrm|textit|textbf|textsf|mbox|emph)\s*\{"
_TRAILING_TEXT = re.compile(r"(\s*(\\q?quad|\\[,;:]|~))+\s*\(?\s*" + _WORDS_COMMAND)
# What may follow a trailing \text{…}: a closing parenthesis, or a condition on an index ("for } j \geq 1").
_AFTER_NOTE = re.compile(r"\s*\)?\s*|\s*[a-z]\s*(\\geq?|\\leq?|\\neq?|\\ne|>|<|\\in)\s*[^=&]*")
# A row that is words, not mathematics: \intertext{…}, or \text{…} first (with a space in it, or no "=").
_INTERTEXT = re.compile(r"\s*\\(intertext|shortintertext)\s*\{")
_GIVEN = re.compile(r"\s*(where|with|let|here|and)\s*[,:]?\s*", re.IGNORECASE)
_SPACING = re.compile(r"\\q?quad|\\[,;:!]|~|\\hspace\*?\s*\{[^{}]*\}")
# An index condition written as mathematics: j \geq 1, j > 0, j \neq 0, j = 1, \dots, n.
INDEX_CONDITION = (
    r"[a-z]\s*(?:\\geq?|\\geqslant|\\neq?|\\ne|>|\\in|\\notin|\\leq?)(?![A-Za-z])\s*(?:\\[{}]|[^=&(){}])*?"
    r"|[a-z]\s*=\s*[0-9]\s*,\s*(?:\\dots|\\ldots|\\cdots|\.\.\.|…)\s*,?\s*[A-Za-z0-9]"
)
# The comment column of an align row: A &= B && \text{(linearity)}, && \text{using } \sigma' = \sigma(1-\sigma),
# &\quad\text{…}, && (j \geq 1).  A "&" after the row's "=" (never one that starts the row).
_COLUMN = re.compile(r"(?<=\S)[ \t]*(?P<amp>&&?)")
_COLUMN_WORDS = re.compile(
    r"(\s*(\\q?quad|\\[,;: ]|~))*\s*\(?\s*(" + _WORDS_COMMAND + r"|\\forall(?![A-Za-z])|\\because)"
)
# A condition at the end of a row, after spacing: \qquad (j \geq 1), \quad j \ge 1, ,\ j>0, \quad (j = 1, \dots, n),
# \quad\text{for } j = 1, \dots, n, \forall j \geq 1.
_TRAILING_CONDITION = re.compile(
    r"(\s*,)?(\s*(\\q?quad|\\[,;: ]|~))+\s*(?P<open>\(\s*)?"
    r"(\\(text|textrm|mbox)\s*\{\s*(for|if|when)(\s+(all|every))?\s*\}|\\forall(?![A-Za-z])|for\s)?\s*"
    r"(?P<condition>" + INDEX_CONDITION + r")\s*(?(open)\)|)\s*[.,]?\s*$"
)
# \qquad \text{for } j = 0 (the ex2 handout's intercept row): words first, so never an equation of its own
_TRAILING_AT_ZERO = re.compile(
    r"(\s*,)?(\s*(\\q?quad|\\[,;: ]|~))+\s*(?P<open>\(\s*)?\\(text|textrm|mbox)\s*\{\s*(for|if|when)\s*\}\s*"
    r"(?P<condition>[a-z]\s*=\s*0)\s*(?(open)\)|)\s*[.,]?\s*$"
)
_WORDS_FIRST = re.compile(
    r"(\s*(\\q?quad|\\[,;:!]|~|\\hspace\*?\s*\{[^{}]*\}))*\s*\\(text|textrm|textit|textbf|mbox|emph)\s*\{"
)


@dataclass
class Row:
    """One row of a formula: its sides' spans (None where empty), its ``=`` spans and their rules."""

    sides: list[tuple[int, int] | None]  # the first is None when the row starts with "="
    relations: list[tuple[int, int]]
    notes: list[str | None]
    commentary: str | None = None  # a row of words (\text{…}, \intertext{…}): a note on the next "="


def split_rows(text: str, start: int = 0, end: int | None = None, proportional: bool = False) -> list[Row]:
    r"""The rows of the formula ``text[start:end]`` (at ``\\`` and ``, \qquad``), each split at its ``=``.

    Spans are positions in ``text``; empty rows are left out.  A ``\propto`` row is left out of the chain, or with
    ``proportional`` split there like an ``=`` (its relation's span is the ``\propto``: ``verify`` checks it as
    ``a = c·b`` for one positive constant c).

    >>> [(row.sides, row.notes) for row in split_rows(r"a = b \\ &\underset{\text{lin}}{=} c")]
    [([(0, 1), (4, 5)], [None]), ([None, (35, 36)], ['lin'])]
    """
    end = len(text) if end is None else end
    whole = _WHOLE_ARRAY.fullmatch(text, start, end)
    if whole is not None:  # \begin{array}{l} a = b \\ c = d \end{array} (D3): its rows, each checked
        start, end = whole.start("body"), whole.end("body")
    rows = (_split_row(text, a, b, proportional) for a, b in _row_spans(text, start, end))
    return [row for row in rows if row is not None]


def _commentary(body: str) -> tuple[str | None, int]:
    r"""The words a row starts with (``\intertext{…}``, or a ``	ext{…}`` row) and where the mathematics resumes.

    A ``	ext{…}`` row is commentary when its words have a space or the row has no ``=``
    (``	ext{Take the minus sign out}``); ``	ext{cost}(h, y) = …`` is mathematics.
    """
    match = _INTERTEXT.match(body)
    if match:
        close = matching(body, match.end() - 1)
        if close is not None:
            return _clean_note(body[match.end() : close]), close + 1
    match = _WORDS_FIRST.match(body)
    if match:
        close = matching(body, match.end() - 1)
        words = body[match.end() : close] if close is not None else ""
        if close is not None and _GIVEN.fullmatch(words) and "=" in body[close:]:
            return None, close + 1  # \text{where } p_i = …: the equation that follows defines a name
        if close is not None and (" " in words.strip() or words.endswith(" ") or "=" not in body):
            return " ".join(_clean_note(part) for part in _text_pieces(body)), len(body)
    return None, 0


def _text_pieces(body: str) -> list[str]:
    r"""The words of a commentary row: each ``	ext{…}`` and the mathematics between them, as written."""
    pieces = re.split(r"\\(?:text|textrm|textit|textbf|mbox|emph)\s*\{([^{}]*)\}", body)
    return [piece for piece in pieces if _SPACING.sub("", piece).strip()]


def braces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(position, depth after it) of each brace in ``text[start:end]``; ``\\{`` and ``\\}`` are not braces."""
    depth, index = 0, start
    while index < end:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char in "{}":
            depth += 1 if char == "{" else -1
            yield index, depth
        index += 1


def blank(chars: list[str], start: int, end: int) -> None:
    """Spaces over ``chars[start:end]``, newlines kept so that lines and columns still match."""
    for index in range(start, end):
        if chars[index] != "\n":
            chars[index] = " "


def matching(work: str, index: int) -> int | None:
    """Index of the brace closing the one opened at ``index``; None when unbalanced."""
    return next((pos for pos, depth in braces(work, index, len(work)) if depth == 0), None)


def _row_spans(work: str, start: int, end: int) -> list[tuple[int, int]]:
    """The rows of a formula body: split at ``\\`` outside braces and outside matrix environments."""
    rows, row_start, depth, envs, pos = [], start, 0, 0, start
    while pos < end:
        c = work[pos]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif (
            c == "," and depth == 0 and envs <= 0 and _SEPARATOR.match(work, pos) and not _condition_at(work, pos, end)
        ):
            rows.append((row_start, pos))
            row_start = pos = _SEPARATOR.match(work, pos).end()
            continue
        elif c == "\\":
            env = _ANY_ENV.match(work, pos)
            if env and not re.fullmatch(_LAYOUT_ENV, env.group(2)):
                envs += 1 if env.group(1) == "begin" else -1
                pos = env.end()
                continue
            brk = _ROW_BREAK.match(work, pos) or (_IMPLIES.match(work, pos) if depth == 0 else None)
            brk = brk or (_and_at(work, row_start, pos, end) if depth == 0 else None)
            if brk and depth == 0 and envs <= 0:
                rows.append((row_start, pos))
                row_start = pos = brk.end()
                continue
            pos += 2
            continue
        pos += 1
    rows.append((row_start, end))
    return rows


def _and_at(work: str, row_start: int, pos: int, end: int) -> re.Match | None:
    r"""``\quad\text{and}\quad`` at ``pos`` between two equations of one row (an "=" before it in the row and one after
    it before the next ``\\``), else None: "a = b \text{ and } c" alone stays one row."""
    found = _AND.match(work, pos)
    if found is None:
        return None
    rest = _ROW_BREAK.split(work[found.end() : end], maxsplit=1)[0]
    return found if _EQUALS.search(work, row_start, pos) and _EQUALS.search(rest) else None


_EQUALS = re.compile(r"(?<![<>!:\\])=")


def _condition_at(work: str, pos: int, end: int) -> bool:
    r"""True when ``, \quad j \geq 1`` at ``pos`` is the row's closing condition, not a second equation."""
    rest = _ROW_BREAK.split(work[pos:end], maxsplit=1)[0]
    return _TRAILING_CONDITION.fullmatch(rest.rstrip()) is not None


_PROPTO = re.compile(r"\\propto(?![A-Za-z])")


def _split_row(work: str, start: int, end: int, proportional: bool = False) -> Row | None:
    """The sides and relations of one row, or None for an empty row (``proportional``: ∝ is a relation)."""
    body, column = _comment_column(layout_blanked(work[start:end], columns=False))
    body = body.replace("&", " ")
    lead = _LEADING_SPACES.match(body)  # $\ \ \ = …$: spaces that align the "=" under the one above (D7)
    body = " " * lead.end() + body[lead.end() :] if lead else body
    found = None if proportional else _PROPTO.search(body)
    if found is not None:  # a ∝ b: not an equality to check here; the chain goes on without it
        body = body[: found.start()] + " " * (len(body) - found.start())
        if not body.strip():
            return None
    commentary, resume = _commentary(body)
    body = " " * resume + body[resume:]
    if commentary is not None and not body.strip():
        return Row([None], [], [], commentary)
    body, reason = _trailing_reason(body)
    if reason is None:
        body, reason = _trailing_condition(body)
    reason = reason or column
    sides: list[tuple[int, int] | None] = []
    relations: list[tuple[int, int]] = []
    notes: list[str | None] = []
    side_start = depth = pos = envs = 0
    inside = _bracketed(body)  # an "=" in (…), […] or \{…\} is no relation: P(y=1 | x), \mathbb{1}\{y = k\}
    while pos < len(body):
        c = body[pos]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        if c in _DEFINES_SIGNS and depth == 0 and envs <= 0 and not inside[pos]:  # σ(z) ≔ …: as \coloneqq
            sides.append(_trim(body, side_start, pos))
            relations.append((start + pos, start + pos + 1))
            notes.append(None)
            side_start = pos = pos + 1
            continue
        if c == "\\":
            env = _ANY_ENV.match(body, pos)
            if env:
                envs += 1 if env.group(1) == "begin" else -1
                pos = env.end()
                continue
            propto = _PROPTO.match(body, pos) if proportional and depth == 0 and envs <= 0 else None
            if propto is not None:  # a ∝ b: a relation of its own, checked as a = c·b by verify
                sides.append(_trim(body, side_start, pos))
                relations.append((start + pos, start + propto.end()))
                notes.append(None)
                side_start = pos = propto.end()
                continue
            defines = DEFINES.match(body, pos) if depth == 0 and envs <= 0 and not inside[pos] else None
            if defines is not None:  # σ(z) \equiv …: a definition, an equality like "="
                sides.append(_trim(body, side_start, pos))
                relations.append((start + pos, start + defines.end()))
                notes.append(None)
                side_start = pos = defines.end()
                continue
            note = _RELATION_NOTE.match(body, pos)
            close = matching(body, note.end() - 1) if note and depth == 0 and envs <= 0 else None
            after = _relation_after(body, close + 1) if close is not None else None
            if after is not None:
                sides.append(_trim(body, side_start, pos))
                relations.append((start + pos, start + after))
                notes.append(_clean_note(body[note.end() : close]))
                side_start = pos = after
                continue
            pos += 2
            continue
        elif c == "=" and depth == 0 and envs <= 0 and not inside[pos]:
            sides.append(_trim(body, side_start, pos))
            relations.append((start + pos, start + pos + 1))
            notes.append(None)
            side_start = pos + 1
        pos += 1
    last = _trim(body, side_start, len(body))
    if last is not None and relations:
        last, trailing = _trailing_note(body, last)
        if trailing and notes[-1] is None:
            notes[-1] = trailing
    sides.append(last)
    if commentary is not None and notes and notes[0] is None:
        notes[0] = commentary
    if reason is not None and notes and notes[-1] is None:
        notes[-1] = reason
    if not relations and sides[0] is None:
        return None
    return Row([None if s is None else (start + s[0], start + s[1]) for s in sides], relations, notes)


_PAIRS = {")": "(", "]": "[", "\\}": "\\{"}
_BRACKET = re.compile(r"\\[{}]|\\.|[()\[\]]")


def _bracketed(body: str) -> list[bool]:
    r"""For each position, whether it lies inside a matched pair of (…), […] or \{…\}; unmatched ones do not count.

    >>> "".join("x" if b else "." for b in _bracketed(r"P(y=1) = [0, 1) \{k\}"))
    '..xxx.............x..'
    """
    marks = [0] * (len(body) + 1)
    open_at: dict[str, list[int]] = {"(": [], "[": [], "\\{": []}  # one stack a kind: linear on any input
    for match in _BRACKET.finditer(body):
        token = match.group()
        if token in open_at:
            open_at[token].append(match.end())
        elif token in _PAIRS and open_at[_PAIRS[token]]:
            marks[open_at[_PAIRS[token]].pop()] += 1
            marks[match.start()] -= 1
    inside, depth = [], 0
    for mark in marks[:-1]:
        depth += mark
        inside.append(depth > 0)
    return inside


def _trailing_reason(body: str) -> tuple[str, str | None]:
    r"""A reason at the end of a row that has its own ``=`` (``\quad\text{(by } \sigma' = \sigma(1-\sigma)\text{)}``).

    Blanked from the row and returned as the note of the row's last ``=``; a reason without ``=``
    is left to :func:`_trailing_note`.
    """
    for m in _TRAILING_TEXT.finditer(body):
        tail = body[m.start() :]
        if "=" not in tail or "&" in tail or not re.search(r"\}\s*\)?\s*$", tail):
            continue
        if _open_at(body, m.start()):
            continue
        return body[: m.start()] + " " * len(tail), _reason_words(tail)
    return body, None


def _reason_words(tail: str) -> str | None:
    r"""The words of a reason as the user wrote them: ``\text{…}`` unwrapped, spacing and outer brackets dropped."""
    words = re.sub(r"\\(text|textrm|textit|textbf|textsf|mbox|emph|mathrm)\s*\{([^{}]*)\}", r"\2", tail)
    words = re.sub(r"\\q?quad|\\[,;: ]|~", " ", words)
    words = " ".join(words.split())
    if words.startswith("(") and words.endswith(")"):
        words = words[1:-1].strip()
    return words or None


def _comment_column(piece: str) -> tuple[str, str | None]:
    r"""The comment column at the end of an align row, blanked (positions kept), and its words.

    ``A &= B && \text{(linearity)}`` or ``&\quad\text{…}``: words (or a condition) after the row's "=";
    ``&& …`` with no "=" in it is a comment too.  A second equation after ``&&`` (alignat), a "&" inside
    braces or inside a ``cases`` or matrix environment is not.
    """
    for m in _COLUMN.finditer(piece):
        before, rest = piece[: m.start()], piece[m.end() :]
        if "=" not in before or "&" in rest or not rest.strip() or _open_at(piece, m.start()):
            continue
        opened = [e.group(1) for e in _ANY_ENV.finditer(before) if not re.fullmatch(_LAYOUT_ENV, e.group(2))]
        if opened.count("begin") > opened.count("end"):
            continue
        condition = _TRAILING_CONDITION.fullmatch("~" + rest.rstrip())
        if condition is not None:
            note = "for " + " ".join(condition.group("condition").split())
        elif _COLUMN_WORDS.match(rest) or (m.group("amp") == "&&" and "=" not in rest):
            note = _reason_words(rest)
        else:
            continue
        return before + re.sub(r"[^\n]", " ", piece[m.start() :]), note
    return piece, None


def _trailing_condition(body: str) -> tuple[str, str | None]:
    r"""A condition on the index at the end of a row (``\qquad (j \geq 1)``, ``\quad (j = 1, \dots, n)``).

    Blanked from the row (it may hold an "=") and returned as the note of the row's last ``=``: "for j ≥ 1".
    """
    match = _TRAILING_CONDITION.search(body) or _TRAILING_AT_ZERO.search(body)
    if match is None or _open_at(body, match.start()) or "=" not in body[: match.start()]:
        return body, None
    words = " ".join(match.group("condition").split())
    return body[: match.start()] + re.sub(r"[^\n]", " ", body[match.start() :]), f"for {words}"


def _open_at(body: str, index: int) -> bool:
    """True when ``index`` is inside braces."""
    return sum(1 if body[pos] == "{" else -1 for pos, _ in braces(body, 0, index)) > 0


def _relation_after(body: str, index: int) -> int | None:
    while index < len(body) and body[index].isspace():
        index += 1
    if body.startswith("=", index):
        return index + 1
    brace = re.match(r"\{\s*=\s*\}", body[index:])
    return index + brace.end() if brace else None


def _trim(body: str, start: int, end: int) -> tuple[int, int] | None:
    """The side's span without edge blanks, spacing and a final full stop or comma; None when empty."""
    while start < end and body[start].isspace():
        start += 1
    while end > start:
        if body[end - 1].isspace():
            end -= 1
        elif end - start >= 2 and body[end - 2] == "\\" and body[end - 1] in ",;:! ":
            end -= 2
        elif body[end - 1] in ".,:" and not body[:end].endswith("\\right.") and body[end - 2 : end - 1] != "\\":
            end -= 1
        else:
            break
    return (start, end) if end > start else None


def _trailing_note(body: str, span: tuple[int, int]) -> tuple[tuple[int, int] | None, str | None]:
    r"""Split ``… \quad \text{(by linearity)}`` into the side and its note."""
    start, end = span
    segment = body[start:end]
    for m in _TRAILING_TEXT.finditer(segment):
        close = matching(segment, m.end() - 1)
        if close is not None and _AFTER_NOTE.fullmatch(segment[close + 1 :]):
            note = _clean_note(segment[segment.rindex("\\", m.start(), m.end()) : close + 1])
            condition = segment[close + 1 :].strip()
            if condition not in ("", ")"):
                note = f"{note} {condition}".strip()
            return _trim(body, start, start + m.start()), note
    return span, None


def _clean_note(note: str) -> str:
    note = " ".join(note.split())
    match = re.fullmatch(r"\\(text|textrm|textit|textsf|mbox|emph|mathrm|operatorname|textbf)\s*\{([^{}]*)\}", note)
    return match.group(2).strip() if match else note


def layout_blanked(piece: str, columns: bool = True) -> str:
    """``piece`` with layout blanked: environments, sizing, row breaks, phantoms, labels, ``&`` (when ``columns``)."""
    chars = list(piece)
    for pattern in (_ENV, SIZING, _ROW_BREAK):
        for m in pattern.finditer(piece):
            blank(chars, m.start(), m.end())
    body = "".join(chars)
    for m in _GROUP_COMMANDS.finditer(body):
        close = matching(body, m.end() - 1)
        if close is not None:
            blank(chars, m.start(), close + 1)
    return "".join(chars).replace("&", " ") if columns else "".join(chars)


__all__ = ["DEFINES", "LAYOUT_ENVIRONMENTS", "SIZING", "Row", "braces", "layout_blanked", "matching", "split_rows"]
