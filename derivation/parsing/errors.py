"""The one error both parsers raise: a message, where it happened, and the text it came from."""

from __future__ import annotations

_WINDOW = 72  # characters of the offending line shown by ParseError.caret()
# Exceptions that mean a reader's own slip, not the input's fault: their text names our internals, never shown
_INTERNAL = (AttributeError, KeyError, IndexError, TypeError)


class ParseError(ValueError):
    """Unreadable input: ``str()`` is one line ``col N: message``, ready for a CLI to print.

    ``position`` is the 0-based character offset into ``text`` (for one-line
    input, the column), or None when the error concerns the whole input.

    >>> err = ParseError("unknown name 'thetaa'", 6, "1/m * thetaa")
    >>> str(err)
    "col 6: unknown name 'thetaa'"
    >>> print(err.caret())
    1/m * thetaa
          ^
    """

    def __init__(self, message: str, position: int | None = None, text: str = ""):
        self.message = " ".join(str(message).split())  # always one line
        self.text = text
        if position is not None:
            position = max(0, min(int(position), len(text)))
        self.position = position
        super().__init__(self.__str__())

    @property
    def line(self) -> int:
        """0-based line of the position (0 for one-line input)."""
        if self.position is None:
            return 0
        return self.text.count("\n", 0, self.position)

    @property
    def column(self) -> int | None:
        """0-based column of the position within its line."""
        if self.position is None:
            return None
        return self.position - (self.text.rfind("\n", 0, self.position) + 1)

    def __str__(self) -> str:
        if self.position is None:
            return self.message
        where = f"col {self.column}"
        if "\n" in self.text:
            where = f"line {self.line + 1}, {where}"
        return f"{where}: {self.message}"

    def __reduce__(self):
        return (type(self), (self.message, self.position, self.text))

    def caret(self) -> str:
        """Two lines: the offending source line (cut to a window) and a ``^`` under the position.

        >>> print(ParseError("unexpected ')'", 3, "a+b)").caret())
        a+b)
           ^
        """
        if self.position is None:
            return self.text.split("\n", 1)[0][:_WINDOW]
        start = self.position - self.column
        end = self.text.find("\n", start)
        line = self.text[start : end if end >= 0 else len(self.text)].replace("\t", " ")
        col = self.column
        if len(line) > _WINDOW:
            left = max(0, min(col - _WINDOW // 2, len(line) - _WINDOW))
            shown = line[left : left + _WINDOW]
            prefix = "…" if left > 0 else ""
            suffix = "…" if left + _WINDOW < len(line) else ""
            line = prefix + shown + suffix
            col = col - left + len(prefix)
        return f"{line}\n{' ' * col}^"


def line_of(text: str, position: int | None) -> int:
    r"""The 1-based line of ``text`` the character at ``position`` is on (line 1 when there is no position).

    >>> line_of("a = b\n\nc = d", 7)
    3
    """
    return text.count("\n", 0, position or 0) + 1


def cannot_build(what: str, exc: Exception) -> str:
    """The message for an expression SymPy refused to build; an internal slip's text is not shown to the user.

    >>> cannot_build("this sum", ValueError("shapes (2, 1) and (3, 1) differ"))
    'cannot build this sum: shapes (2, 1) and (3, 1) differ'
    >>> cannot_build("this", AttributeError("'NoneType' object has no attribute 'data'"))
    'cannot build this: this notation is not read here: write it another way'
    """
    if isinstance(exc, _INTERNAL):
        return f"cannot build {what}: this notation is not read here: write it another way"
    return f"cannot build {what}: {exc}"
