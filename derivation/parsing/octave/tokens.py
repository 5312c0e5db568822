"""Octave's tokens: numbers, names, strings, operators and statement ends, with comments, ``%{ … %}`` blocks and
``...`` continuations dropped; and the file an error is reported in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ParseError

KEYWORDS = {
    "function", "endfunction", "end", "endif", "endfor", "endwhile", "if", "elseif", "else", "for", "while",
    "break", "continue", "return", "switch", "case", "otherwise", "endswitch", "try", "catch", "end_try_catch",
    "do", "until", "global", "persistent", "parfor", "endparfor", "unwind_protect", "unwind_protect_cleanup",
    "end_unwind_protect", "classdef",
}  # fmt: skip
ENDS = {"end", "endfunction", "endif", "endfor", "endwhile", "endswitch", "end_try_catch", "endparfor"}
OPENERS = {"if", "for", "while", "switch", "try", "parfor", "do", "unwind_protect"}
_PAIRS = (
    ".+",
    ".-",
    ".*",
    "./",
    ".\\",
    ".^",
    ".'",
    ".**",
    "**",
    "==",
    "~=",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    "+=",
    "-=",
    "*=",
    "/=",
)
_OPERATORS = sorted([*_PAIRS, "^=", *"+-*/\\^<>&|~!=()[]{},;:@."], key=len, reverse=True)  # the longest first
_NUMBER = re.compile(r"(\d+(?:\.(?![*/\\^'])\d*)?|\.\d+)(?:[eEdD][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Token:
    """One token: ``kind`` is num, name, str, op, kw, end (a statement's end: newline, ``;`` or ``,``) or eof."""

    kind: str
    text: str
    line: int
    col: int
    space: bool = False  # whitespace before it: inside brackets it separates elements


class Source:
    """Where errors are reported: the file's name and its text."""

    def __init__(self, text: str, name: str):
        self.text, self.name = text, name
        self.lines = text.splitlines()

    def error(self, line: int, col: int, message: str) -> ParseError:
        return ParseError(f"{self.name} line {line}, column {col}: {message}")


def tokenize(text: str, name: str = "<octave>") -> list[Token]:
    """The tokens of ``text``: comments, ``%{ … %}`` blocks and ``...`` continuations dropped.

    >>> [t.text for t in tokenize("g = X' * (h - y); % the gradient")]
    ['g', '=', 'X', "'", '*', '(', 'h', '-', 'y', ')', ';', '\\n', '<eof>']
    >>> [t.kind for t in tokenize("s = 'it''s'")]
    ['name', 'op', 'str', 'end', 'eof']
    """
    text = text.removeprefix("\ufeff")  # the byte-order mark an editor on Windows may write
    reader = Source(text, name)
    tokens: list[Token] = []
    brackets: list[str] = []  # the open ( [ { around the position
    opened: list[tuple[int, int]] = []  # where each was opened
    lines = text.split("\n")
    block = 0  # depth of %{ … %} comment blocks
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped in ("%{", "#{"):
            block += 1
            continue
        if block:
            if stripped in ("%}", "#}"):
                block -= 1
            continue
        col, space, continued = 0, True, False
        while col < len(line):
            char = line[col]
            if char in " \t\r":
                col, space = col + 1, True
                continue
            if char in "%#":
                break
            if line.startswith("...", col):
                continued = True
                break
            start = col
            previous = tokens[-1] if tokens else None
            value_before = previous is not None and (
                previous.kind in ("num", "name", "str")
                or previous.text in (")", "]", "}", "'", ".'")
                or (previous.kind == "kw" and previous.text == "end" and brackets)
            )
            if char == "'" and value_before and not (space and brackets and brackets[-1] in "[{"):
                tokens.append(Token("op", "'", number, col + 1, space))
                col += 1
            elif char in "'\"":
                end = col + 1
                chunks = []
                while True:
                    if end >= len(line):
                        raise reader.error(number, start + 1, "a string without its closing quote")
                    if line[end] == char and line.startswith(char * 2, end):
                        chunks.append(char)
                        end += 2
                    elif line[end] == char:
                        break
                    elif char == '"' and line[end] == "\\" and end + 1 < len(line):
                        chunks.append(line[end : end + 2])
                        end += 2
                    else:
                        chunks.append(line[end])
                        end += 1
                tokens.append(Token("str", "".join(chunks), number, start + 1, space))
                col = end + 1
            elif (match := _NUMBER.match(line, col)) is not None:
                col = match.end()
                if col < len(line) and line[col] in "ijIJ" and not _NAME.match(line, col + 1):
                    raise reader.error(number, start + 1, "complex numbers are not supported: a gradient is real")
                tokens.append(Token("num", match.group(0), number, start + 1, space))
            elif (match := _NAME.match(line, col)) is not None:
                word = match.group(0)
                tokens.append(Token("kw" if word in KEYWORDS else "name", word, number, start + 1, space))
                col = match.end()
            else:
                op = next((o for o in _OPERATORS if line.startswith(o, col)), None)
                if op is None:
                    raise reader.error(number, start + 1, f"'{char}' is not Octave this reader knows")
                col += len(op)
                if op in "([{":
                    brackets.append(op)
                    opened.append((number, start + 1))
                elif op in ")]}":
                    if not brackets:
                        raise reader.error(number, start + 1, f"'{op}' without its opening bracket")
                    if "([{"[")]}".index(op)] != brackets[-1]:
                        line, col = opened[-1]
                        raise reader.error(line, col, f"'{brackets[-1]}' is closed by '{op}'")
                    brackets.pop()
                    opened.pop()
                op = {".+": "+", ".-": "-"}.get(op, op)  # Octave's old spellings of + and -
                if op in ";," and not brackets:
                    tokens.append(Token("end", op, number, start + 1, space))
                else:
                    tokens.append(Token("op", op, number, start + 1, space))
            space = False
        if continued:
            continue
        if brackets and brackets[-1] in "[{":
            if tokens and tokens[-1].text not in ("[", "{", ";"):
                tokens.append(Token("op", ";", number, len(line) + 1, True))  # a new line is a new row
        elif not brackets:
            tokens.append(Token("end", "\n", number, len(line) + 1, True))
    if brackets:
        line, col = opened[-1]
        raise reader.error(line, col, f"'{brackets[-1]}' is never closed")
    tokens.append(Token("eof", "<eof>", len(lines) + 1, 1, True))
    return tokens
