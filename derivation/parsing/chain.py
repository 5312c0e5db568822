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

from typing import NamedTuple

from .errors import ParseError
from .rows import Row, braces, layout_blanked, split_rows

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
    _checkbraces(text, start, end)
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


def _checkbraces(text: str, start: int, end: int) -> None:
    depth = 0
    for index, depth in braces(text, start, end):
        if depth < 0:
            raise ParseError("unbalanced '}'", index, text)
    if depth:
        raise ParseError("unbalanced '{'", len(text), text)


def _make_link(text: str, spans: list[tuple[int, int]], relation: _Relation | None) -> ChainLink:
    start, end = spans[0][0], spans[-1][1]
    chars = [c if c == "\n" else " " for c in text[start:end]]
    rows = []
    for a, b in spans:
        blanked = layout_blanked(text[a:b])
        chars[a - start : b - start] = list(blanked)
        rows.append(" ".join(blanked.split()))
    where = (relation.start, relation.end) if relation is not None else None
    annotation = relation.annotation if relation is not None else None
    return ChainLink(annotation, " ".join(rows), start, end, "".join(chars), tuple(rows), where)
