r"""A vector written as the list of its entries: ``\mathbf{w} = (w_0, w_1)``, ``\nabla J(\mathbf{w}) =
\left(\frac{\partial J}{\partial w_0}, \frac{\partial J}{\partial w_1}\right)`` (notebook.community's D5).  Such a
line names the entries, it claims nothing to check: a definition, not "unexpected ','"."""

from __future__ import annotations

import re

_BOLD = r"\\(?:mathbf|boldsymbol|bm|vec)\s*\{\s*(?:LETTER)\s*\}"
_LETTER = r"w|\\theta|\\beta"
# w, \mathbf{w}, θ, \boldsymbol{\theta}: the parameters as one vector
_BOLD_PARAMETERS = _BOLD.replace("LETTER", _LETTER)
_PARAMETERS = re.compile(rf"^\s*(?:(?P<plain>{_LETTER})|{_BOLD_PARAMETERS})\s*$")
# ∇J, ∇_w J(w), \nabla_{\mathbf{w}} J(\mathbf{w}): the gradient as one vector
_GRADIENT = re.compile(
    r"^\s*\\nabla\s*(?:_\s*(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|\\?\w+))?\s*J\s*(?:\\left\s*)?(?:\(.*\))?\s*$"
)
_ENTRY = r"(?P<letter>w|\\theta|\\beta)\s*_\s*(?:\{\s*(?P<k>\d)\s*\}|(?P<k2>\d))"
_PARTIAL = re.compile(
    r"^\s*\\frac\s*\{\s*\\partial\s*J\s*(?:\\left\s*)?(?:\([^{}]*(?:\{[^{}]*\}[^{}]*)*\))?\s*\}\s*"
    rf"\{{\s*\\partial\s*{_ENTRY}\s*\}}\s*$"
)
_AN_ENTRY = re.compile(rf"^\s*{_ENTRY}\s*$")
LISTED_WORDS = "a definition: not checked (the vector written by its entries, {first}, …, in order)"


def _items(latex: str) -> list[str] | None:
    """The items of ``(a, b, …)`` (or ``\\left( … \\right)``) split at its top-level commas; None for no such list."""
    found = re.fullmatch(r"\s*(?:\\left\s*)?\((?P<body>.*?)(?:\\right\s*)?\)\s*", latex, re.DOTALL)
    if found is None:
        return None
    items, depth, start, body = [], 0, 0, found["body"]
    for at, char in enumerate(body):
        depth += {"(": 1, "{": 1, "[": 1, ")": -1, "}": -1, "]": -1}.get(char, 0)
        if depth < 0:
            return None  # (a)(b): two groups, not one list
        if char == "," and depth == 0:
            items.append(body[start:at])
            start = at + 1
    items.append(body[start:])
    return items if len(items) >= 2 and depth == 0 else None


def _in_order(matches: list[re.Match | None]) -> bool:
    """Each item an entry of one letter, numbered 0, 1, 2, … (or 1, 2, …) in order."""
    if any(found is None for found in matches):
        return False
    letters = {found["letter"] for found in matches}
    numbers = [int(found["k"] or found["k2"]) for found in matches]
    return len(letters) == 1 and numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] <= 1


def listed_vector(left: str, right: str) -> str | None:
    """The note for ``left = (entries)`` when it writes the parameters or ∇J by their entries in order, else None."""
    items = _items(right)
    if items is None:
        return None
    if _PARAMETERS.match(left) and _in_order([_AN_ENTRY.match(item) for item in items]):
        return LISTED_WORDS.format(first=items[0].strip())
    if _GRADIENT.match(left) and _in_order([_PARTIAL.match(item) for item in items]):
        first = _PARTIAL.match(items[0])
        name = {"w": "w", r"\theta": "θ", r"\beta": "β"}[first["letter"]]
        return LISTED_WORDS.format(first=f"∂J/∂{name}_{first['k'] or first['k2']}")
    return None


__all__ = ["LISTED_WORDS", "listed_vector"]
