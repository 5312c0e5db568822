r"""Find the chains of equalities in a user's LaTeX or Markdown, with their positions.

A chain is ``side = side = …``; each ``=`` may carry the rule the user claims
(``\underset{\text{linearity}}{=}``, a ``[bracketed reason]`` on its own line
between two formula blocks, the prose just before a block that starts with ``=``,
a ``\text{…}`` or ``\intertext{…}`` row before it, or a trailing ``\quad\text{(by …)}``).
Formulas are found in ``$$…$$``, ``$…$``, ``\[…\]``, ``\(…\)`` and in bare ``align``,
``align*``, ``aligned``, ``eqnarray``, ``split``, ``equation``, ``gather`` and ``multline``
environments; in text with no formula delimiter at all, each line is a row, read without the
words around it (words between two equations on a line split them), a line of mathematics with
no ``=`` goes on with the side above, and a blank line ends a chain.  An inline ``$u = v$`` in a
sentence is an equation of its own: it does not end the display chain around it.  LaTeX comment
lines (``%``) are not read.

Inside a formula, rows and sides are split by :func:`~derivation.parsing.chain.split_rows`
and assembled by :class:`~derivation.parsing.chain.ChainBuilder`, the splitter of
:func:`~derivation.parsing.split_chain`: a row that starts with ``=`` continues the
chain, a row with its own left side starts a new one, and a row with no ``=``
continues the side above it (``\\ &\hphantom{\underset{…}{=}} \qquad - …``).
Across formulas, a block that starts with ``=`` continues the chain of the block
before it, and one that starts with ``+`` continues its last side.  Layout is
blanked with spaces, so every position still points into the user's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..parsing.chain import ChainBuilder, ChainLink
from ..parsing.rows import INDEX_CONDITION, LAYOUT_ENVIRONMENTS, SIZING, matching, split_rows
from .compare import restricts
from .interpret import DECORATION, decoration_body
from .nodes import named_words

_NOTE_LINE = re.compile(r"^[ \t]*\[(.*)\][ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]*```.*?^[ \t]*```[ \t]*$", re.MULTILINE | re.DOTALL)
_PROSE_WORD = re.compile(r"(?<![\\A-Za-z_^{/])[A-Za-z]{2,}(?![A-Za-z_^(])")  # /dz: a denominator
_MATH_WORDS = {"log", "ln", "exp", "sin", "cos", "tanh", "max", "min", "diag"}
# Shorthand typed in plain text, not words: xj, xij, yi (indices), thetaj, dJ (of dJ/dθ); sigmoid( is no word already
_SHORTHAND = re.compile(r"[xyhw][ijk]{1,2}|theta[ijk0-9]?|d[JLE]|dtheta[ijk]?|lambda|alpha|sum")
_PROSE_NOTE = 300  # longer prose between two blocks is explanation, not the reason for one "="
_TEXT_GROUP = re.compile(r"\\(?:text|textrm|textit|mbox|intertext)\s*\{[^{}]*\}")
# A parenthesised condition on j closing a line of plain text: "(j ≥ 1)", "(j > 0)"; read as words, not as 1[j ≥ 1]
_CLOSING_CONDITION = re.compile(r"\(\s*(?:for\s+)?j\s*(?:≥|>=|>|≠|!=)\s*[01]\s*\)\s*[.,;]?\s*$")
_SPACED_WORD = re.compile(r"[\s,.;:][A-Za-z]+[\s,:]")  # "and", "where" between two equations
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# a formula that is only ⇒ and an expression, after an equation (Math.SE 2653579's "3. $\Rightarrow (h − y) x_j$"):
# the next side of that equation, as "= …" would be
_ARROW_ROW = re.compile(r"\s*(?:&\s*)?(?P<arrow>\\(?:Rightarrow|implies|Longrightarrow)(?![A-Za-z])|⇒)")
_CONTINUATION = re.compile(r"\s*[-+−*·/]")  # a line of plain text that goes on with the side above
_COMMENT_LINE = re.compile(r"^[ \t]*%.*$", re.MULTILINE)  # a LaTeX comment line: not read


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
    restriction: str | None = None  # the prose before the display, when it limits the steps ("For $j \ge 1$:")
    restriction_where: str = "the text before it"  # or "the end of its line" (a line "… = …   for j ≥ 1")


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
    text = _unwrapped(text)
    work = _blank_outside_math(text)
    builder = ChainBuilder(text)
    aside = ChainBuilder(text)  # inline $…$ equations in prose: chains of their own
    previous_end = 0
    restricted: list[tuple[int, int, str, str]] = []  # displays the prose around them limits to j ≥ 1
    for start, end, inline, plain in _regions(work):
        rows = split_rows(work, start, end, proportional=True)  # a ∝ b: checked as a = c·b
        arrow = _ARROW_ROW.match(work, start, end) if not any(row.relations for row in rows) else None
        if arrow is not None and (builder.sides or aside.sides):  # "3. $\Rightarrow (h − y) x_j$": "= (h − y) x_j"
            at = arrow.start("arrow")
            work = work[:at] + "=" + " " * (arrow.end("arrow") - at - 1) + work[arrow.end("arrow") :]
            rows = split_rows(work, start, end, proportional=True)
        if inline and (
            not any(row.relations for row in rows) or _is_condition(work[start:end]) or _EXCEPT.search(text, 0, start)
        ):
            continue  # $\log h_\theta$, "for $j = 1, \dots, n$", "(away from $\theta_j = 0$)": no equation
        after = None
        if not inline:
            before, after = _restriction_before(work, previous_end, start), _restriction_after(work, end)
            if before is not None or after is not None:
                where = "the text before it" if before is not None else after[2]
                restricted.append((start, end, before or after[0], where))
        if inline and rows[0].sides[0] is not None:
            aside.close()
            for row in rows:
                aside.add(row)
            continue
        if rows:
            first = rows[0]
            target = builder
            if first.sides[0] is None:
                note = _note_between(text, previous_end, start)
                # a row of words has no "=" (an arrow row's "3. $" before it is no note)
                if note is not None and arrow is None and first.notes and first.notes[0] is None:
                    first.notes[0] = note
                target = builder if builder.sides or not aside.sides else aside  # "= …" continues an equation
            elif not (builder.pending or (not first.relations and _continues(work, previous_end, start, end, plain))):
                builder.close()
                aside.close()
            elif plain and _BLANK_LINE.search(work, previous_end, start):  # a blank line ends a chain
                builder.close()
            for row in rows:
                target.add(row)
        else:
            builder.close()
        previous_end = end
        if after is not None:  # the condition after the formula is its own, not the next "="'s note
            previous_end = after[1]
    builder.close()
    aside.close()
    found = [links for links in builder.chains + aside.chains if len(links) > 1]
    chains = [_chain(links, restricted) for links in sorted(found, key=lambda links: links[0].start)]
    return [piece for chain in chains for piece in _listed(chain)]


# "y_n = \sigma(a_n),\ a_n = w^T\phi_n": a comma and a space before a lone name start the next equation of the line
# (plain text: "z₁ = w₁x, a₁ = σ(z₁)", a comma and a space before a name with its number, outside brackets)
_LISTED = re.compile(
    r"^(?P<body>.*\S)\s*,\s*(\\[ ,;:]|\\q?quad|~)\s*(?P<name>(\\[A-Za-z]+\s*\{\s*[A-Za-z]\s*\}|\\?[A-Za-z]+)"
    r"(_\s*(\{[^{}]*\}|[A-Za-z0-9]))?)\s*$"
    r"|^(?P<plain>.*\S)\s*,\s+(?P<numbered>[A-Za-zδ][₀-₉]?)\s*$",
    re.DOTALL,
)


def _listed(chain: Chain) -> list[Chain]:
    """The chain cut where a middle side is ``σ(a_n),\\ a_n``: two equations listed on one line."""
    for k, side in enumerate(chain.sides[1:-1], start=1):
        found = _LISTED.match(side.text)
        if found is None or (found["plain"] and not _balanced(found["plain"])):
            continue
        first_part, named = ("body", "name") if found["body"] else ("plain", "numbered")
        body = Side(found[first_part], side.start, side.start + found.end(first_part), (found[first_part].strip(),))
        name = Side(found[named], side.start + found.start(named), side.end, (found[named].strip(),))
        first = Chain((*chain.sides[:k], body), chain.relations[:k])
        return [first, *_listed(Chain((name, *chain.sides[k + 1 :]), chain.relations[k:]))]
    return [chain]


def _balanced(text: str) -> bool:
    return all(text.count(a) == text.count(b) for a, b in ("()", "[]", "{}"))


def _chain(links: list[ChainLink], restricted: list[tuple[int, int, str, str]]) -> Chain:
    sides = tuple(Side(link.source, link.start, link.end, link.rows) for link in links)
    relations = []
    for link in links[1:]:
        found = next(((w, where) for a, b, w, where in restricted if a <= link.relation[0] < b), None)
        relations.append(Relation(link.annotation, *link.relation, *(found or ())))
    return Chain(sides, tuple(relations))


# "(away from $\theta_j = 0$)", "except at $w = 0$": the inline equation after these words is where a step does not hold
_EXCEPT = re.compile(r"(?i)\b(?:away\s+from|except\s+(?:at|where|when)|unless|excluding)\s*\$+\s*\Z")


def _is_condition(body: str) -> bool:
    return re.fullmatch(INDEX_CONDITION, body.strip()) is not None


def _restriction_before(text: str, start: int, end: int) -> str | None:
    r"""The last paragraph of prose before a display when it limits the display's steps to j ≥ 1.

    ``For $j \ge 1$:``, ``When $j \neq 0$``, ``(for $j = 1, \dots, n$)``; None otherwise.
    """
    prose = _last_paragraph(text, start, end)
    return prose if prose is not None and restricts(prose.replace("$", " "), prose=True) else None


def _restriction_after(text: str, end: int) -> tuple[str, int, str] | None:
    r"""The words after a formula that limit it to j ≥ 1, where they end, and where they are: on its line
    (``… = (λ/m)θ_j   for j ≥ 1``), or, the line ending with the formula, a parenthesis on the next line
    (``(for $j \geq 1$)`` under a display).

    >>> _restriction_after("$$a = b$$\n(for $j \\geq 1$)\nmore", 9)
    ('(for $j \\geq 1$)', 26, 'the line after it')
    """
    close = text.find("\n", end)
    close = close if close >= 0 else len(text)
    words = text[end:close].strip(" \t$.,;:")
    if words:
        return (words, close, "the end of its line") if restricts(words) else None
    following = text.find("\n", close + 1)
    following = following if following >= 0 else len(text)
    line = text[close + 1 : following].strip().rstrip(".")
    if line.startswith("(") and line.endswith(")") and restricts(line.replace("$", " ")):
        return line, following, "the line after it"
    return None


def _last_paragraph(text: str, start: int, end: int) -> str | None:
    """The last paragraph of prose in ``text[start:end]`` on one line, when short enough to be about one formula."""
    between = re.sub(r"\$\$|\\\[|\\\]|\\begin\{[^}]*\}|\\end\{[^}]*\}", " ", text[start:end])
    paragraphs = [p for p in re.split(r"\n\s*\n", between) if p.strip() and not p.lstrip().startswith(("#", "%"))]
    prose = " ".join(paragraphs[-1].split()) if paragraphs else ""
    return prose if 0 < len(prose) <= _PROSE_NOTE else None


# --- regions of mathematics ------------------------------------------------------------------------


# \boxed{J = …}, \textcolor{red}{a = b}: a wrapper around a whole equation hid its "=" inside braces, and the
# boxed answer (the one a reader checks) was dropped unread.  Its groups before the body say nothing of the value.
_WRAPPERS = frozenset(("boxed", "fbox", "textcolor", "colorbox"))  # the decorations that hold a whole equation


def _unwrapped(text: str) -> str:
    r"""``text`` with each ``\boxed{…}`` (``\fbox``, ``\textcolor{c}{…}``, ``\colorbox{c}{…}``) that holds an "="
    blanked down to its body: spaces of the same length, so positions do not move.

    >>> _unwrapped(r"$$\boxed{a = b}$$").strip("$ ")
    'a = b'
    """
    chars = list(text)
    for match in DECORATION.finditer(text):
        if match.group(1) not in _WRAPPERS:
            continue
        body = decoration_body(text, match)
        close = matching(text, body) if text.startswith("{", body) else None
        if close is None or "=" not in text[body:close]:
            continue  # a boxed side of an equation is read as written (the reader drops the box)
        for k in (*range(match.start(), body + 1), close):
            chars[k] = " "
    return "".join(chars)


def _blank_outside_math(text: str) -> str:
    """``text`` with fenced code blocks (their $ are not math) and LaTeX comment lines blanked."""
    for pattern in (_FENCE, _COMMENT_LINE):
        text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    return text


def _regions(work: str) -> list[tuple[int, int, bool, bool]]:
    """(start, end, inline, plain) of each formula body, delimiters excluded; notes in [brackets] are skipped.

    ``plain``: a line of text with no formula delimiter anywhere (see :func:`_plain_lines`).
    """
    notes = [(m.start(), m.end()) for m in _NOTE_LINE.finditer(work)]
    found: list[tuple[int, int, bool]] = []
    pos = 0
    opener = re.compile(r"\$\$|\$|\\\[|\\\(|\\begin\{(" + LAYOUT_ENVIRONMENTS + r")(\*?)\}")
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
            found.append((body_start, body_end, token in ("$", r"\("), False))
        pos = close.end()
    if not found and not notes and "=" in work:
        found = _plain_lines(work)
    return found


def _plain_lines(work: str) -> list[tuple[int, int, bool, bool]]:
    """No formula delimiters: the mathematics of each line, without the words around it.

    Each line is a formula of its own: one with "=" (its words cut off), or one of mathematics alone, which
    continues the side above in the same paragraph (in a text with prose, only when it starts with an
    operator: ``+ (1 − y) log(1 − h)``).  A blank line ends a chain (see :func:`extract_chains`).
    """
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", work) if work[m.start() : m.end()].strip()]
    names = frozenset(named_words(work))  # BCE = …, ∂BCE/∂ŷ: a name, not a word of prose
    prose = any(_prose(work[a:b], names) for a, b in lines)
    found = []
    for a, b in lines:
        line = work[a:b]
        if "=" in line:
            found += [(*span, False, True) for span in _equations(work, *_math_span(work, a, b, names)[:2], names)]
        elif not prose or (_CONTINUATION.match(line) and not _prose(line, names)):
            found.append((a, b, False, True))
    return found


def _equations(work: str, start: int, end: int, names: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """The equations of one line's mathematics: split at words between them (``h = σ(θᵀx) and σ′ = σ(1 − σ)``)."""
    spans, left = [], start
    for word in _prose_words(work[start:end], names):
        if not _SPACED_WORD.fullmatch(work, max(start + word.start() - 1, 0), min(start + word.end() + 1, end)):
            continue  # 2ex in \\[2ex], a word glued to the mathematics: not between two equations
        spans.append((left, start + word.start()))
        left = start + word.end()
    spans.append((left, end))
    out = []
    for a, b in spans:
        while a < b and work[a] in " \t,.;:":
            a += 1
        while b > a and work[b - 1] in " \t,;:":
            b -= 1
        if "=" in work[a:b]:
            out.append((a, b))
    return out


def _prose(line: str, names: frozenset[str] = frozenset()) -> bool:
    return bool(_prose_words(line, names))


def _prose_words(line: str, names: frozenset[str] = frozenset()) -> list[re.Match]:
    r"""The words of prose in a line; those inside ``\text{…}`` belong to the formula (a note on its "="), and so do
    the ``names`` the text gives (BCE = …) and two letters between operators (z = ax + b: a·x)."""
    line = _TEXT_GROUP.sub(lambda m: " " * len(m.group(0)), line)
    words = _PROSE_WORD.finditer(line)
    return [
        m
        for m in words
        if m.group(0).lower() not in _MATH_WORDS
        and not _SHORTHAND.fullmatch(m.group(0))
        and m.group(0) not in names
        and not (len(m.group(0)) == 2 and _BETWEEN_OPERATORS.match(line[: m.start()] + "@" + line[m.end() :]))
    ]


# the @ of a word between an operator (or "=") and another or the line's end: ``= ax + b``
_BETWEEN_OPERATORS = re.compile(r"(?s).*[=+\-*/(]\s*@\s*([+\-*/=)]|$)")


def _math_span(work: str, start: int, end: int, names: frozenset[str] = frozenset()) -> tuple[int, int, bool]:
    """From after the last word of prose before the first "=" to the first word of prose after the last one."""
    line = work[start:end]
    first, last = line.index("="), line.rindex("=")
    words = _prose_words(line, names)
    before = [m.end() for m in words if m.end() <= first]
    after = [m.start() for m in words if m.start() > last]
    left = max(before) if before else 0
    while left < first and line[left] in " \t,.;:":
        left += 1
    right = min(after) if after else len(line)
    closing = _CLOSING_CONDITION.search(line, last, right)  # "… θ_j   (j ≥ 1)": a condition, not a factor
    return start + left, start + (closing.start() if closing else right), False


def _note_between(text: str, start: int, end: int) -> str | None:
    """The last ``[reason]`` line between two formula blocks, else the last paragraph of prose there."""
    notes = list(_NOTE_LINE.finditer(text, start, end))
    if notes:
        return " ".join(notes[-1].group(1).split())
    return _last_paragraph(text, start, end)


def _is_operator_start(work: str, start: int, end: int) -> bool:
    body = SIZING.sub("", work[start:end]).lstrip()
    return body.startswith("+")


def _continues(work: str, previous_end: int, start: int, end: int, plain: bool) -> bool:
    """True when a formula with no "=" goes on with the side above: it starts with +, or (plain text) it is
    the next line of the same paragraph."""
    if plain:
        return not _BLANK_LINE.search(work, previous_end, start)
    return _is_operator_start(work, start, end)
