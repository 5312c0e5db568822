r"""Find the chains of equalities in a user's LaTeX or Markdown, with their positions.

A chain is ``side = side = …``; each ``=`` may carry the rule the user claims
(``\underset{\text{linearity}}{=}``, a ``[bracketed reason]`` on its own line
between two formula blocks, or a trailing ``\quad\text{…}``).  Formulas are
found in ``$$…$$``, ``$…$``, ``\[…\]``, ``\(…\)`` and in bare ``align``, ``align*``,
``aligned``, ``eqnarray``, ``split``, ``equation``, ``gather`` and ``multline``
environments; text with no formula delimiter at all is read as one chain.

Rows (``\\``, ``\\[2ex]``) decide the shape: a row that starts with ``=``
continues the chain, a row with its own left side starts a new one, and a row
with no ``=`` continues the side above it (a long side broken over lines, as in
``\\ &\hphantom{\underset{…}{=}} \qquad - …``).  A formula block that starts with
``=`` continues the chain of the block before it.  Layout (``&``, ``\\``,
``\hphantom{…}``, ``\small``, ``\Tiny``, ``\label{…}``) is blanked with spaces, so
every position still points into the user's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LAYOUT_ENVS = (
    "align|aligned|alignat|alignedat|split|eqnarray|equation|gather|gathered|multline|displaymath|math|flalign"
)
_ENV = re.compile(r"\\(begin|end)\{(" + _LAYOUT_ENVS + r")\*?\}(\{\d+\})?")
_ANY_ENV = re.compile(r"\\(begin|end)\{([A-Za-z]+\*?)\}")
_SIZING = re.compile(
    r"\\(tiny|Tiny|scriptsize|footnotesize|small|normalsize|large|Large|LARGE|huge|Huge|displaystyle|textstyle|"
    r"nonumber|notag|displaybreak|begingroup|endgroup)(?![A-Za-z])"
)
_GROUP_COMMANDS = re.compile(r"\\(hphantom|phantom|vphantom|label|tag\*?)\s*\{")
_ROW_BREAK = re.compile(r"\\\\(\s*\[[^\]\n]*\])?")
_SEPARATOR = re.compile(r",\s*\\q?quad(?![A-Za-z])")  # a = b, \qquad c = d: two equations
_RELATION_NOTE = re.compile(r"\\(underset|overset|stackrel)\s*\{")
_TRAILING_TEXT = re.compile(r"(\s*(\\q?quad|\\[,;:]|~))+\s*\(?\s*\\text\{")
_NOTE_LINE = re.compile(r"^[ \t]*\[(.*)\][ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]*```.*?^[ \t]*```[ \t]*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Side:
    """One side of a chain: ``text`` is the user's text from ``start`` to ``end`` with layout blanked.

    ``rows`` is the side as the user broke it over lines, layout removed (for printing).
    """

    text: str
    start: int
    end: int
    rows: tuple[str, ...]

    @property
    def latex(self) -> str:
        """The side on one line, layout removed."""
        return " ".join(self.rows)


@dataclass(frozen=True)
class Relation:
    """An ``=`` of a chain: where it is, and the rule written on it (None when plain)."""

    annotation: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Chain:
    """``sides[0] = sides[1] = …``; ``relations[k]`` stands between ``sides[k]`` and ``sides[k + 1]``."""

    sides: tuple[Side, ...]
    relations: tuple[Relation, ...]


def extract_chains(text: str) -> list[Chain]:
    r"""Every chain of equalities in ``text`` (LaTeX, Markdown, or a plain chain), in reading order.

    >>> [s.latex for s in extract_chains(r"a \underset{\text{lin}}{=} b \\[2ex] &= c")[0].sides]
    ['a', 'b', 'c']
    >>> chains = extract_chains("We have $$x = y$$\n[by magic]\n$$= z.$$")
    >>> [s.latex for s in chains[0].sides], [r.annotation for r in chains[0].relations]
    (['x', 'y', 'z'], [None, 'by magic'])
    """
    work = _blank_outside_math(text)
    assembler = _Assembler(text)
    previous_end = 0
    for start, end in _regions(work):
        rows = [r for r in (_split_row(work, a, b) for a, b in _rows(work, start, end)) if r is not None]
        if rows:
            first = rows[0]
            if first.sides[0] is None:
                note = _note_between(text, previous_end, start)
                if note is not None and first.notes[0] is None:
                    first.notes[0] = note
            elif not (assembler.pending or (not first.relations and _is_operator_start(work, start, end))):
                assembler.close()
            for row in rows:
                assembler.add(row)
        else:
            assembler.close()
        previous_end = end
    assembler.close()
    return assembler.chains


# --- regions of mathematics ------------------------------------------------------------------------


def _blank_outside_math(text: str) -> str:
    """``text`` with fenced code blocks blanked (their $ are not math)."""
    return _FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _regions(work: str) -> list[tuple[int, int]]:
    """(start, end) of each formula body, delimiters excluded; notes in [brackets] are skipped."""
    notes = [(m.start(), m.end()) for m in _NOTE_LINE.finditer(work)]
    found: list[tuple[int, int]] = []
    pos = 0
    opener = re.compile(r"\$\$|\$|\\\[|\\\(|\\begin\{(" + _LAYOUT_ENVS + r")(\*?)\}")
    while True:
        match = opener.search(work, pos)
        if match is None:
            break
        if match.start() > 0 and work[match.start() - 1] == "\\" and match.group(0).startswith("$"):
            pos = match.end()
            continue
        token = match.group(0)
        if token.startswith("\\begin"):
            closer = re.compile(r"\\end\{" + re.escape(match.group(1) + match.group(2)) + r"\}")
            body_start = match.start()  # keep \begin…\end: the row logic blanks them
        else:
            closer = {"$$": re.compile(r"\$\$"), "$": re.compile(r"(?<!\\)\$"), r"\[": re.compile(r"\\\]"),
                      r"\(": re.compile(r"\\\)")}[token]  # fmt: skip
            body_start = match.end()
        close = closer.search(work, match.end())
        limit = work.find("\n\n", match.end()) if token == "$" else -1
        if close is None or (limit >= 0 and close.start() > limit):
            pos = match.end()
            continue
        body_end = close.end() if token.startswith("\\begin") else close.start()
        if not any(a <= match.start() < b for a, b in notes):
            found.append((body_start, body_end))
        pos = close.end()
    if not found and not notes and "=" in work:
        found.append((0, len(work)))
    return found


def _note_between(text: str, start: int, end: int) -> str | None:
    """The last ``[reason]`` line between two formula blocks, if any."""
    notes = list(_NOTE_LINE.finditer(text, start, end))
    return " ".join(notes[-1].group(1).split()) if notes else None


def _is_operator_start(work: str, start: int, end: int) -> bool:
    body = _SIZING.sub("", work[start:end]).lstrip()
    return body.startswith("+")


# --- rows and sides ---------------------------------------------------------------------------------


def _blank(chars: list[str], start: int, end: int) -> None:
    for index in range(start, end):
        if chars[index] != "\n":
            chars[index] = " "


def _matching(work: str, index: int) -> int | None:
    """Index of the brace closing the one opened at ``index``; None when unbalanced."""
    depth, pos = 0, index
    while pos < len(work):
        c = work[pos]
        if c == "\\":
            pos += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    return None


def _rows(work: str, start: int, end: int) -> list[tuple[int, int]]:
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
            if env and not re.fullmatch(r"(" + _LAYOUT_ENVS + r")\*?", env.group(2)):
                envs += 1 if env.group(1) == "begin" else -1
                pos = env.end()
                continue
            brk = _ROW_BREAK.match(work, pos)
            if brk and depth == 0 and envs <= 0:
                rows.append((row_start, pos))
                row_start = pos = brk.end()
                continue
            pos += 2
            continue
        pos += 1
    rows.append((row_start, end))
    return rows


@dataclass
class _Row:
    sides: list[tuple[int, int] | None]  # absolute spans; the first is None when the row starts with "="
    relations: list[tuple[int, int]]
    notes: list[str | None]  # the rule written on each relation


def _split_row(work: str, start: int, end: int) -> _Row | None:
    """The sides and relations of one row, or None for an empty row."""
    body = _layout_blanked(work[start:end])
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
    if not relations and sides[0] is None:
        return None
    return _Row([None if s is None else (start + s[0], start + s[1]) for s in sides], relations, notes)


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
        elif body[end - 1] in ".," and not body[:end].endswith("\\right.") and body[end - 2 : end - 1] != "\\":
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
        if close is not None and segment[close + 1 :].strip() in ("", ")"):
            note = _clean_note(segment[m.end() - 6 : close + 1])
            return _trim(body, start, start + m.start()), note
    return span, None


def _clean_note(note: str) -> str:
    note = " ".join(note.split())
    match = re.fullmatch(r"\\(text|textrm|mathrm|operatorname|textbf)\{([^{}]*)\}", note)
    return match.group(2).strip() if match else note


# --- assembling chains ------------------------------------------------------------------------------


class _Assembler:
    """Collects rows into chains: ``=`` at a row start continues, a new left side starts a new chain."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.chains: list[Chain] = []
        self.sides: list[list[tuple[int, int]]] = []
        self.relations: list[Relation] = []

    @property
    def pending(self) -> bool:
        """The last row ended with "=": the next side completes it."""
        return bool(self.sides) and not self.sides[-1]

    def close(self) -> None:
        if self.pending:
            self.sides.pop()
            self.relations.pop()
        if self.relations:
            sides = tuple(_make_side(self.text, spans) for spans in self.sides)
            self.chains.append(Chain(sides, tuple(self.relations)))
        self.sides, self.relations = [], []

    def add(self, row: _Row) -> None:
        first, *rest = row.sides
        if first is not None:
            if self.pending:
                self.sides[-1].append(first)
            elif self.sides and not row.relations:
                self.sides[-1].append(first)  # no "=" in the row: the side above goes on
            else:
                self.close()
                self.sides.append([first])
        elif not row.relations:
            return
        for (a, b), note, side in zip(row.relations, row.notes, rest, strict=True):
            if self.pending:  # "… =" then "= …": one relation
                self.sides.pop()
                old = self.relations.pop()
                note, a, b = old.annotation or note, old.start, old.end
            if not self.sides:
                self.sides.append([])  # no left side to compare with: this "=" is dropped below
            self.relations.append(Relation(note, a, b))
            self.sides.append([side] if side is not None else [])
        if self.sides and not self.sides[0]:
            self.sides.pop(0)
            self.relations.pop(0)


def _make_side(text: str, spans: list[tuple[int, int]]) -> Side:
    start, end = spans[0][0], spans[-1][1]
    chars = [c if c == "\n" else " " for c in text[start:end]]
    rows = []
    for a, b in spans:
        blanked = _layout_blanked(text[a:b])
        chars[a - start : b - start] = list(blanked)
        rows.append(" ".join(blanked.split()))
    return Side("".join(chars), start, end, tuple(rows))


def _layout_blanked(piece: str) -> str:
    """``piece`` with layout blanked: environments, sizing, row breaks, phantoms, labels, ``&``."""
    chars = list(piece)
    for pattern in (_ENV, _SIZING, _ROW_BREAK):
        for m in pattern.finditer(piece):
            _blank(chars, m.start(), m.end())
    body = "".join(chars)
    for m in _GROUP_COMMANDS.finditer(body):
        close = _matching(body, m.end() - 1)
        if close is not None:
            _blank(chars, m.start(), close + 1)
    return "".join(chars).replace("&", " ")
