"""Reading a user's document from a file or standard input, with a size limit and only as text.

Light on purpose (no SymPy): the command line reads before it imports anything heavy.  At most
``limit + 1`` bytes are ever read, so ``/dev/zero`` or ``yes |`` cannot grow memory or hang.
A Jupyter notebook (``.ipynb``) is read as the text of its cells (JSON, never executed): its
Markdown cells for a derivation, its code cells for ``check --python``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

MAX_FILE_BYTES = 100_000  # a derivation of a few pages is ~5 kB; 100 kB verifies in a few seconds
MAX_NOTEBOOK_BYTES = 20_000_000  # a notebook's JSON holds its outputs (plots as base64): MBs for kB of text


class UnreadableInputError(ValueError):
    """A file or stream that is missing, too large or not text: ``str()`` is one line for the user."""


def read_user_text(source: str, limit: int = MAX_FILE_BYTES, *, code: bool = False) -> str:
    """The UTF-8 text of the file ``source`` (``-`` for standard input), newlines as ``\\n``.

    A document (``code`` False): a notebook gives its Markdown cells' text, a ``.py`` file is refused (it is
    code: ``check --python`` reads it).  Code (``code`` True): a notebook gives its code cells' text.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "d.tex")
    >>> _ = open(path, "wb").write(b"$$a = b$$\\r\\n")
    >>> read_user_text(path)
    '$$a = b$$\\n'
    >>> read_user_text("/dev/zero")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    derivation.userinput.UnreadableInputError: /dev/zero is larger than 100000 bytes, the limit for one document: ...
    """
    name = "standard input" if source == "-" else source
    if not code and source.lower().endswith(".py"):
        raise UnreadableInputError(
            f"{name} is Python code, not a derivation: check its gradient with "
            f"`derivation check MODEL --python {name}:FUNCTION`"
        )
    if not is_notebook(source):
        return decode_text(_read_bytes(source, limit), name, limit)
    kind = "code" if code else "markdown"
    text = cells_text(read_notebook(source), kind)[0]
    if not text.strip():
        what = "code cell" if code else "Markdown cell (write the derivation in one, with $$…$$)"
        raise UnreadableInputError(f"{name} has no {what}")
    return decode_text(text.encode("utf-8"), f"the {kind} cells of {name}", limit)


def read_notebook(source: str) -> list[Cell]:
    """The cells of the notebook file ``source`` (:func:`notebook_cells`), its JSON at most
    :data:`MAX_NOTEBOOK_BYTES`; :class:`UnreadableInputError` if it cannot be read."""
    return notebook_cells(decode_text(_read_bytes(source, MAX_NOTEBOOK_BYTES), source, MAX_NOTEBOOK_BYTES), source)


def _read_bytes(source: str, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the file ``source`` (``-``: standard input)."""
    try:
        if source == "-":
            return sys.stdin.buffer.read(limit + 1)
        with open(source, "rb") as f:
            return f.read(limit + 1)
    except OSError as error:
        name = "standard input" if source == "-" else source
        raise UnreadableInputError(f"cannot read {name}: {error.strerror or error}") from None


def decode_text(data: bytes, name: str, limit: int = MAX_FILE_BYTES) -> str:
    """``data`` as text once it is at most ``limit`` bytes of UTF-8 without NUL bytes; else UnreadableInputError.

    >>> decode_text(b"ok\\r\\n", "f")
    'ok\\n'
    >>> decode_text(b"a\\xffb", "f")
    Traceback (most recent call last):
    ...
    derivation.userinput.UnreadableInputError: f is not UTF-8 text (byte 2 is 0xff): save it as UTF-8
    """
    if len(data) > limit:
        raise UnreadableInputError(
            f"{name} is larger than {limit} bytes, the limit for one document: split it into smaller files"
        )
    nul = data.find(b"\0")
    if nul >= 0:
        raise UnreadableInputError(f"{name} is not text (a NUL byte at byte {nul + 1}): give a .tex, .md or .txt file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise UnreadableInputError(
            f"{name} is not UTF-8 text (byte {error.start + 1} is {byte:#04x}): save it as UTF-8"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as text-mode reading did


def is_notebook(source: str) -> bool:
    """A Jupyter notebook: its name ends in .ipynb."""
    return source.lower().endswith(".ipynb")


@dataclass(frozen=True)
class Cell:
    """One cell of a notebook: its type (markdown, code, raw), its number as Jupyter counts them (1 first), its text."""

    kind: str
    number: int
    text: str


def notebook_cells(text: str, name: str) -> list[Cell]:
    """The cells of the nbformat 4 notebook ``text`` (its JSON, read with :mod:`json`; nothing is run).

    >>> nb = '{"nbformat": 4, "cells": [{"cell_type": "markdown", "source": ["Then ", "$$a = b$$"]}]}'
    >>> notebook_cells(nb, "n.ipynb")
    [Cell(kind='markdown', number=1, text='Then $$a = b$$')]
    >>> notebook_cells("{", "n.ipynb")
    Traceback (most recent call last):
    ...
    derivation.userinput.UnreadableInputError: n.ipynb is not a Jupyter notebook: its JSON breaks at line 1, \
column 2 (expecting property name enclosed in double quotes)
    """
    try:
        notebook = json.loads(text)
    except (ValueError, RecursionError) as error:
        where = "it is not JSON"
        if isinstance(error, json.JSONDecodeError):
            where = f"its JSON breaks at line {error.lineno}, column {error.colno} ({error.msg.lower()})"
        raise UnreadableInputError(f"{name} is not a Jupyter notebook: {where}") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        if isinstance(notebook, dict) and "worksheets" in notebook:  # nbformat 3 kept its cells in worksheets
            raise UnreadableInputError(f"{name} is an nbformat 3 notebook: open and save it in Jupyter (nbformat 4)")
        raise UnreadableInputError(f"{name} is not a Jupyter notebook: it has no list of cells (nbformat 4)")
    cells = []
    for number, cell in enumerate(notebook["cells"], 1):
        source = cell.get("source", "") if isinstance(cell, dict) else None
        if isinstance(source, list) and all(isinstance(piece, str) for piece in source):
            source = "".join(source)  # nbformat stores a cell as its lines, or as one string
        if not isinstance(source, str):
            raise UnreadableInputError(f"{name} is not a Jupyter notebook: cell {number} has no text (its source)")
        cells.append(Cell(str(cell.get("cell_type", "")), number, source.replace("\r\n", "\n")))
    return cells


def cells_text(cells: list[Cell], kind: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The text of the cells of type ``kind`` in order, a blank line between two (a formula never runs on into the
    next cell), and where each starts: (its first line in the text, its cell number).

    A code cell run by a cell magic other than ``%%time``/``%%capture`` (``%%bash``, ``%%writefile``) is not
    Python and is left out; line magics and ``!shell`` lines stay for the reader of code to blank.

    >>> cells = [Cell("markdown", 1, "a\\nb"), Cell("code", 2, "x = 1"), Cell("markdown", 3, "c\\n")]
    >>> cells_text(cells, "markdown")
    ('a\\nb\\n\\nc\\n', ((1, 1), (4, 3)))
    """
    parts, starts, line = [], [], 1
    for cell in cells:
        if cell.kind != kind or not cell.text.strip() or (kind == "code" and _not_python(cell.text)):
            continue
        text = cell.text if cell.text.endswith("\n") else cell.text + "\n"
        if parts:
            parts.append("\n")
            line += 1
        parts.append(text)
        starts.append((line, cell.number))
        line += text.count("\n")
    return "".join(parts), tuple(starts)


def cell_line(starts: tuple[tuple[int, int], ...], line: int) -> str:
    """Where ``line`` of the joined text (:func:`cells_text`) is in the notebook: "cell K, line L".

    >>> cell_line(((1, 1), (4, 3)), 5)
    'cell 3, line 2'
    """
    first, number = max((s for s in starts if s[0] <= line), default=(1, starts[0][1] if starts else 1))
    return f"cell {number}, line {line - first + 1}"


_PYTHON_CELL_MAGICS = ("%%time", "%%timeit", "%%capture", "%%prun")


def _not_python(text: str) -> bool:
    first = text.split(None, 1)[0]
    return first.startswith("%%") and first not in _PYTHON_CELL_MAGICS
