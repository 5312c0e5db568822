r"""Split a LaTeX chain ``a = b \underset{\text{rule}}{=} c`` into its sides and annotations.

Groundwork for verifying a user's derivation: each side is then read by
:func:`~derivation.parsing.latex.parse_latex` and each ``=`` checked on its own.
Layout is removed first (``$``, ``\begin{align*}``…``\end{align*}`` and the
``aligned``, ``split``, ``eqnarray``, ``equation``, ``gather``, ``multline``
environments, ``&``, ``\\`` and ``\\[2ex]``), then the text is split at every
``=`` outside braces.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .errors import ParseError

_ENVIRONMENTS = "align|aligned|alignat|split|eqnarray|equation|gather|gathered|multline"
_ENVIRONMENT = re.compile(r"\\(begin|end)\{(" + _ENVIRONMENTS + r")\*?\}")
_LINE_BREAK = re.compile(r"\\\\(\s*\[[^\]\n]*\])?")
_ANNOTATED = ("underset", "overset", "stackrel")
_EDGE_NOISE = re.compile(
    r"^(\s|\\[,;:! ]|\\q?quad\b|\\(tiny|Tiny|scriptsize|footnotesize|small|normalsize|large|Large|LARGE|huge|Huge|"
    r"displaystyle|textstyle)\b)+"
)
_TEXT_ONLY = re.compile(r"^\\(text|textrm|mathrm|operatorname)\{([^{}]*)\}$")


class ChainLink(NamedTuple):
    """One side of a chain and the annotation written on the ``=`` before it (None if plain or first)."""

    annotation: str | None
    text: str


def split_chain(text: str) -> list[ChainLink]:
    r"""The sides of an equality chain, each with the annotation on the ``=`` before it.

    >>> for link in split_chain(r"a \underset{\text{linearity}}= b \\[2ex] &= c"):
    ...     print(link)
    ChainLink(annotation=None, text='a')
    ChainLink(annotation='linearity', text='b')
    ChainLink(annotation=None, text='c')
    """
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}", None, "")
    work = _blank_layout(text)
    links: list[ChainLink] = []
    annotation: str | None = None
    start = depth = index = 0
    while index < len(work):
        char = work[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                raise ParseError("unbalanced '}'", index, text)
        elif char == "=" and depth == 0:
            links.append(_link(text, work, annotation, start, index, len(links)))
            annotation, start = None, index + 1
        elif char == "\\":
            name = re.match(r"\\([A-Za-z]+|.?)", work[index:]).group(1)
            if depth == 0 and name in _ANNOTATED:
                found = _annotated_equals(work, index + 1 + len(name))
                if found is not None:
                    links.append(_link(text, work, annotation, start, index, len(links)))
                    note, end = found
                    annotation, start = _clean_annotation(note), end
                    index = end
                    continue
            index += 1 + max(len(name), 1)
            continue
        index += 1
    if depth != 0:
        raise ParseError("unbalanced '{'", len(text), text)
    links.append(_link(text, work, annotation, start, len(work), len(links)))
    if not links[0].text:
        if len(links) == 1:
            raise ParseError("empty input", 0, text)
        links = [ChainLink(None, links[1].text), *links[2:]]  # an align that starts with '&='
    return links


def split_equalities(text: str) -> list[str]:
    r"""The sides of ``a = b = c`` (outside braces), annotations dropped.

    >>> split_equalities(r"\begin{align*} f(x) &= x^{2} \\ &= x x \end{align*}")
    ['f(x)', 'x^{2}', 'x x']
    """
    return [link.text for link in split_chain(text)]


def _blank_layout(text: str) -> str:
    """The text with layout replaced by spaces, so positions still point into the original."""
    stripped = text.strip()
    work = text
    for mark in ("$$", "$"):
        if len(stripped) > 2 * len(mark) and stripped.startswith(mark) and stripped.endswith(mark):
            start = text.find(stripped)
            end = start + len(stripped)
            work = text[:start] + " " * len(mark) + text[start + len(mark) : end - len(mark)] + " " * len(mark)
            break
    for pattern in (_ENVIRONMENT, _LINE_BREAK):
        work = pattern.sub(lambda match: " " * len(match.group(0)), work)
    return work.replace("&", " ")


def _link(text: str, work: str, annotation: str | None, start: int, end: int, count: int) -> ChainLink:
    cleaned = _EDGE_NOISE.sub("", work[start:end]).strip()
    cleaned = re.sub(r"(\s|\\[,;:! ])+$", "", cleaned).rstrip(".,").strip()
    if not cleaned and count > 0:
        raise ParseError("one side of '=' is empty", min(start, len(text)), text)
    return ChainLink(annotation, cleaned)


def _annotated_equals(work: str, index: int) -> tuple[str, int] | None:
    r"""After ``\underset``: the annotation and the index after ``{=}`` or ``=``; None if not an equals sign."""
    index = _skip_space(work, index)
    if index >= len(work) or work[index] != "{":
        return None
    close = _matching_brace(work, index)
    if close is None:
        return None
    note = work[index + 1 : close]
    after = _skip_space(work, close + 1)
    if work.startswith("=", after):
        return note, after + 1
    brace = re.match(r"\{\s*=\s*\}", work[after:])
    if brace:
        return note, after + brace.end()
    return None


def _skip_space(work: str, index: int) -> int:
    while index < len(work) and work[index].isspace():
        index += 1
    return index


def _matching_brace(work: str, index: int) -> int | None:
    depth = 0
    for position in range(index, len(work)):
        if work[position] == "{" and work[position - 1 : position] != "\\":
            depth += 1
        elif work[position] == "}" and work[position - 1 : position] != "\\":
            depth -= 1
            if depth == 0:
                return position
    return None


def _clean_annotation(note: str) -> str:
    note = " ".join(note.split())
    match = _TEXT_ONLY.match(note)
    return match.group(2).strip() if match else note
