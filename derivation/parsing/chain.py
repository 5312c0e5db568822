r"""Split LaTeX chains ``a = b \underset{\text{rule}}{=} c`` into their sides, annotations and positions.

Each side is then read by :func:`~derivation.parsing.latex.parse_latex` and each
``=`` checked on its own.  Rows (``\\``, ``\\[2ex]``) decide the shape: a row that
starts with ``=`` continues the chain, a row with its own left side starts a new
equation, and a row with no ``=`` continues the side above it (a long side broken
over lines, as in our exports' ``\\ &\hphantom{\underset{…}{=}} \qquad - …``).
``, \qquad`` between two equations separates them.  The rule on an ``=`` is
written ``\underset{…}{=}``, ``\overset``, ``\stackrel``, or as a trailing
``\quad \text{…}``.

Layout is blanked with spaces, never cut, so every position still points into the
text: ``$``, the ``align``, ``aligned``, ``split``, ``eqnarray``, ``equation``,
``gather``, ``multline`` … environments, ``&``, ``\\``, ``\\[2ex]``, ``\hphantom{…}``,
``\label{…}``, sizing (``\small``, ``\Tiny``, ``\displaystyle``).

:func:`split_chain` reads one chain; :func:`split_rows` and :class:`ChainBuilder`
are the pieces :mod:`derivation.proof.extract` assembles a whole document with.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from .errors import ParseError

LAYOUT_ENVIRONMENTS = (
    "align|aligned|alignat|alignedat|split|eqnarray|equation|gather|gathered|multline|displaymath|math|flalign"
)
SIZING = re.compile(
    r"\\(tiny|Tiny|scriptsize|footnotesize|small|normalsize|large|Large|LARGE|huge|Huge|displaystyle|textstyle|"
    r"nonumber|notag|displaybreak|begingroup|endgroup)(?![A-Za-z])"
)
_ENV = re.compile(r"\\(begin|end)\{(" + LAYOUT_ENVIRONMENTS + r")\*?\}(\{\d+\})?")
_ANY_ENV = re.compile(r"\\(begin|end)\{([A-Za-z]+\*?)\}")
_GROUP_COMMANDS = re.compile(r"\\(hphantom|phantom|vphantom|label|tag\*?)\s*\{")
_ROW_BREAK = re.compile(r"\\\\(\s*\[[^\]\n]*\])?")
_SEPARATOR = re.compile(r",\s*\\q?quad(?![A-Za-z])")  # a = b, \qquad c = d: two equations
# a = b \implies c = d, a = b \quad\Rightarrow\quad c = d: two equations
_IMPLIES = re.compile(r"\\(implies|Rightarrow|Longrightarrow|therefore|iff|Leftrightarrow)(?![A-Za-z])")
_RELATION_NOTE = re.compile(r"\\(underset|overset|stackrel)\s*\{")
_TRAILING_TEXT = re.compile(r"(\s*(\\q?quad|\\[,;:]|~))+\s*\(?\s*\\text\{")
# What may follow a trailing \text{…}: a closing parenthesis, or a condition on an index ("for } j \geq 1").
_AFTER_NOTE = re.compile(r"\s*\)?\s*|\s*[a-z]\s*(\\geq?|\\leq?|\\neq?|\\ne|>|<|\\in)\s*[^=&]*")
# A row that is words, not mathematics: \intertext{…}, or \text{…} first (with a space in it, or no "=").
_INTERTEXT = re.compile(r"\s*\\(intertext|shortintertext)\s*\{")
_GIVEN = re.compile(r"\s*(where|with|let|here|and)\s*[,:]?\s*", re.IGNORECASE)
_WORDS_FIRST = re.compile(r"\s*\\(text|textrm|textit|textbf|mbox|emph)\s*\{")
_DELIMITERS = (("$$", "$$"), ("$", "$"), (r"\[", r"\]"), (r"\(", r"\)"))


class ChainLink(NamedTuple):
    r"""One side of a chain, with the rule written on the ``=`` before it.

    ``annotation`` is that rule (None when the ``=`` is plain or the side is first);
    ``text`` the side on one line, layout removed; ``start``/``end`` its span in the
    text given; ``source`` the text of that span with layout blanked to spaces (so
    ``start + position`` of an error in ``source`` points into the text); ``rows``
    the side as it was broken over rows; ``relation`` the span of the ``=`` before
    it (None for the first side of a chain that does not start with ``=``).
    """

    annotation: str | None
    text: str
    start: int = 0
    end: int = 0
    source: str = ""
    rows: tuple[str, ...] = ()
    relation: tuple[int, int] | None = None


@dataclass
class Row:
    """One row of a formula: its sides' spans (None where empty), its ``=`` spans and their rules."""

    sides: list[tuple[int, int] | None]  # the first is None when the row starts with "="
    relations: list[tuple[int, int]]
    notes: list[str | None]
    commentary: str | None = None  # a row of words (\text{…}, \intertext{…}): a note on the next "="


def split_chain(text: str) -> list[ChainLink]:
    r"""The sides of one equality chain, each with the annotation on the ``=`` before it.

    >>> for link in split_chain(r"a \underset{\text{linearity}}= b \\[2ex] &= c"):
    ...     print(link.annotation, link.text, (link.start, link.end))
    None a (0, 1)
    linearity b (31, 32)
    None c (44, 45)
    >>> [(link.annotation, link.text) for link in split_chain(r"\underset{\text{lin}}= b")]
    [('lin', 'b')]

    A row with no ``=`` continues the side above it; a row with its own left side,
    or ``, \qquad``, starts a second equation, which is an error here (see
    :func:`split_rows` and :class:`ChainBuilder` for documents).
    """
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}", None, "")
    start, end = math_body(text)
    _check_braces(text, start, end)
    rows = split_rows(text, start, end)
    for k, row in enumerate(rows):
        empty = [index for index, side in enumerate(row.sides) if side is None and 0 < index < len(row.sides) - 1]
        ends_open = row.relations and row.sides[-1] is None
        if ends_open and (k + 1 == len(rows) or rows[k + 1].sides[0] is None):
            empty.append(len(row.sides) - 1)
        if empty:
            raise ParseError("one side of '=' is empty", row.relations[empty[0] - 1][1], text)
    builder = ChainBuilder(text)
    for row in rows:
        builder.add(row)
    builder.close()
    if not builder.chains:
        raise ParseError("empty input", 0, text)
    if len(builder.chains) > 1:
        where = builder.chains[1][0]
        raise ParseError("a second equation starts here: one chain is read at a time", where.start, text)
    return builder.chains[0]


def split_equalities(text: str) -> list[str]:
    r"""The sides of ``a = b = c`` (outside braces), annotations dropped.

    >>> split_equalities(r"\begin{align*} f(x) &= x^{2} \\ &= x x \end{align*}")
    ['f(x)', 'x^{2}', 'x x']
    """
    return [link.text for link in split_chain(text)]


def split_rows(text: str, start: int = 0, end: int | None = None) -> list[Row]:
    r"""The rows of the formula ``text[start:end]`` (at ``\\`` and ``, \qquad``), each split at its ``=``.

    Spans are positions in ``text``; empty rows are left out.

    >>> [(row.sides, row.notes) for row in split_rows(r"a = b \\ &\underset{\text{lin}}{=} c")]
    [([(0, 1), (4, 5)], [None]), ([None, (35, 36)], ['lin'])]
    """
    end = len(text) if end is None else end
    rows = (_split_row(text, a, b) for a, b in _row_spans(text, start, end))
    return [row for row in rows if row is not None]


def _commentary(body: str) -> tuple[str | None, int]:
    r"""The words a row starts with (``\intertext{…}``, or a ``	ext{…}`` row) and where the mathematics resumes.

    A ``	ext{…}`` row is commentary when its words have a space or the row has no ``=``
    (``	ext{Take the minus sign out}``); ``	ext{cost}(h, y) = …`` is mathematics.
    """
    match = _INTERTEXT.match(body)
    if match:
        close = _matching(body, match.end() - 1)
        if close is not None:
            return _clean_note(body[match.end() : close]), close + 1
    match = _WORDS_FIRST.match(body)
    if match:
        close = _matching(body, match.end() - 1)
        words = body[match.end() : close] if close is not None else ""
        if close is not None and _GIVEN.fullmatch(words) and "=" in body[close:]:
            return None, close + 1  # \text{where } p_i = …: the equation that follows defines a name
        if close is not None and (" " in words.strip() or words.endswith(" ") or "=" not in body):
            return " ".join(_clean_note(part) for part in _text_pieces(body)), len(body)
    return None, 0


def _text_pieces(body: str) -> list[str]:
    r"""The words of a commentary row: each ``	ext{…}`` and the mathematics between them, as written."""
    return [piece for piece in re.split(r"\\(?:text|textrm|textit|textbf|mbox|emph)\s*\{([^{}]*)\}", body)
            if piece.strip()]  # fmt: skip


class ChainBuilder:
    r"""Collects rows into chains of :class:`ChainLink`: ``=`` at a row start continues, a new left side starts anew.

    Feed it the rows of one formula or of several in turn (a formula that starts
    with ``=`` continues the chain of the one before), call :meth:`close` where a
    chain must end, and read :attr:`chains`.  A chain that starts with ``=`` keeps
    that ``=`` and its rule on its first link.

    >>> text = r"a = b \\ c = d \\ &= e"
    >>> builder = ChainBuilder(text)
    >>> for row in split_rows(text):
    ...     builder.add(row)
    >>> builder.close()
    >>> [[link.text for link in chain] for chain in builder.chains]
    [['a', 'b'], ['c', 'd', 'e']]
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.chains: list[list[ChainLink]] = []
        self.sides: list[list[tuple[int, int]]] = []
        self.relations: list[_Relation] = []
        self.opening: _Relation | None = None  # the "=" a chain starts with, when it has no left side
        self.commentary: str | None = None  # words on a row of their own: the note of the next "="

    @property
    def pending(self) -> bool:
        """The last row ended with "=": the next side completes it."""
        return bool(self.sides) and not self.sides[-1]

    def close(self) -> None:
        """End the chain being built (a final ``=`` with nothing after it is dropped)."""
        if self.pending:
            self.sides.pop()
            if self.relations:
                self.relations.pop()
            else:
                self.opening = None
        if self.sides:
            relations = [self.opening, *self.relations]
            links = [_make_link(self.text, spans, r) for spans, r in zip(self.sides, relations, strict=True)]
            self.chains.append(links)
        self.sides, self.relations, self.opening = [], [], None

    def add(self, row: Row) -> None:
        """Add one row: its first side continues the side above or starts a new chain; its ``=`` go on."""
        if row.commentary is not None and not row.relations:
            self.commentary = row.commentary
            return
        first, *rest = row.sides
        if first is not None:
            if self.pending or (self.sides and not row.relations):
                self.sides[-1].append(first)  # after "… =", or a row with no "=": the side goes on
            else:
                self.close()
                self.sides.append([first])
        elif not row.relations:
            return
        for (a, b), note, side in zip(row.relations, row.notes, rest, strict=True):
            note, self.commentary = note or self.commentary, None
            if self.pending:  # "… =" then "= …": one relation
                self.sides.pop()
                old = self.relations.pop() if self.relations else self.opening
                if old is self.opening:
                    self.opening = None
                if old is not None:
                    note, a, b = old.annotation or note, old.start, old.end
            if not self.sides:
                self.sides.append([])  # no left side: this "=" opens the chain
            self.relations.append(_Relation(note, a, b))
            self.sides.append([side] if side is not None else [])
        if self.sides and not self.sides[0]:
            self.sides.pop(0)
            opening = self.relations.pop(0)
            self.opening = self.opening or opening


# --- rows and sides ---------------------------------------------------------------------------------


class _Relation(NamedTuple):
    annotation: str | None
    start: int
    end: int


def math_body(text: str) -> tuple[int, int]:
    """The span inside surrounding ``$…$``, ``$$…$$``, ``\\[…\\]`` or ``\\(…\\)`` (the whole text otherwise)."""
    stripped = text.strip()
    start = text.find(stripped) if stripped else 0
    for left, right in _DELIMITERS:
        if len(stripped) >= len(left) + len(right) and stripped.startswith(left) and stripped.endswith(right):
            return start + len(left), start + len(stripped) - len(right)
    return 0, len(text)


def _braces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
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


def _check_braces(text: str, start: int, end: int) -> None:
    depth = 0
    for index, depth in _braces(text, start, end):
        if depth < 0:
            raise ParseError("unbalanced '}'", index, text)
    if depth:
        raise ParseError("unbalanced '{'", len(text), text)


def _blank(chars: list[str], start: int, end: int) -> None:
    for index in range(start, end):
        if chars[index] != "\n":
            chars[index] = " "


def _matching(work: str, index: int) -> int | None:
    """Index of the brace closing the one opened at ``index``; None when unbalanced."""
    return next((pos for pos, depth in _braces(work, index, len(work)) if depth == 0), None)


def _row_spans(work: str, start: int, end: int) -> list[tuple[int, int]]:
    """The rows of a formula body: split at ``\\`` outside braces and outside matrix environments."""
    rows, row_start, depth, envs, pos = [], start, 0, 0, start
    while pos < end:
        c = work[pos]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "," and depth == 0 and envs <= 0 and _SEPARATOR.match(work, pos):
            rows.append((row_start, pos))
            row_start = pos = _SEPARATOR.match(work, pos).end()
            continue
        elif c == "\\":
            env = _ANY_ENV.match(work, pos)
            if env and not re.fullmatch(r"(" + LAYOUT_ENVIRONMENTS + r")\*?", env.group(2)):
                envs += 1 if env.group(1) == "begin" else -1
                pos = env.end()
                continue
            brk = _ROW_BREAK.match(work, pos) or (_IMPLIES.match(work, pos) if depth == 0 else None)
            if brk and depth == 0 and envs <= 0:
                rows.append((row_start, pos))
                row_start = pos = brk.end()
                continue
            pos += 2
            continue
        pos += 1
    rows.append((row_start, end))
    return rows


def _split_row(work: str, start: int, end: int) -> Row | None:
    """The sides and relations of one row, or None for an empty row."""
    body = _layout_blanked(work[start:end])
    commentary, resume = _commentary(body)
    body = " " * resume + body[resume:]
    if commentary is not None and not body.strip():
        return Row([None], [], [], commentary)
    body, reason = _trailing_reason(body)
    sides: list[tuple[int, int] | None] = []
    relations: list[tuple[int, int]] = []
    notes: list[str | None] = []
    side_start = depth = pos = envs = 0
    while pos < len(body):
        c = body[pos]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "\\":
            env = _ANY_ENV.match(body, pos)
            if env:
                envs += 1 if env.group(1) == "begin" else -1
                pos = env.end()
                continue
            note = _RELATION_NOTE.match(body, pos)
            close = _matching(body, note.end() - 1) if note and depth == 0 and envs <= 0 else None
            after = _relation_after(body, close + 1) if close is not None else None
            if after is not None:
                sides.append(_trim(body, side_start, pos))
                relations.append((start + pos, start + after))
                notes.append(_clean_note(body[note.end() : close]))
                side_start = pos = after
                continue
            pos += 2
            continue
        elif c == "=" and depth == 0 and envs <= 0:
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
        words = re.sub(r"\\(text|textrm|mathrm)\s*\{([^{}]*)\}", r"\2", tail)
        words = re.sub(r"\\q?quad|\\[,;:]|~", " ", words)
        words = " ".join(words.split())
        if words.startswith("(") and words.endswith(")"):
            words = words[1:-1].strip()
        return body[: m.start()] + " " * len(tail), words or None
    return body, None


def _open_at(body: str, index: int) -> bool:
    """True when ``index`` is inside braces."""
    return sum(1 if body[pos] == "{" else -1 for pos, _ in _braces(body, 0, index)) > 0


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
        close = _matching(segment, m.end() - 1)
        if close is not None and _AFTER_NOTE.fullmatch(segment[close + 1 :]):
            note = _clean_note(segment[m.end() - 6 : close + 1])
            condition = segment[close + 1 :].strip()
            if condition not in ("", ")"):
                note = f"{note} {condition}".strip()
            return _trim(body, start, start + m.start()), note
    return span, None


def _clean_note(note: str) -> str:
    note = " ".join(note.split())
    match = re.fullmatch(r"\\(text|textrm|mathrm|operatorname|textbf)\{([^{}]*)\}", note)
    return match.group(2).strip() if match else note


def _make_link(text: str, spans: list[tuple[int, int]], relation: _Relation | None) -> ChainLink:
    start, end = spans[0][0], spans[-1][1]
    chars = [c if c == "\n" else " " for c in text[start:end]]
    rows = []
    for a, b in spans:
        blanked = _layout_blanked(text[a:b])
        chars[a - start : b - start] = list(blanked)
        rows.append(" ".join(blanked.split()))
    where = (relation.start, relation.end) if relation is not None else None
    annotation = relation.annotation if relation is not None else None
    return ChainLink(annotation, " ".join(rows), start, end, "".join(chars), tuple(rows), where)


def _layout_blanked(piece: str) -> str:
    """``piece`` with layout blanked: environments, sizing, row breaks, phantoms, labels, ``&``."""
    chars = list(piece)
    for pattern in (_ENV, SIZING, _ROW_BREAK):
        for m in pattern.finditer(piece):
            _blank(chars, m.start(), m.end())
    body = "".join(chars)
    for m in _GROUP_COMMANDS.finditer(body):
        close = _matching(body, m.end() - 1)
        if close is not None:
            _blank(chars, m.start(), close + 1)
    return "".join(chars).replace("&", " ")
