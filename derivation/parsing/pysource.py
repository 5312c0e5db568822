"""Python source to a syntax tree, past a CPython 3.11 fault.

CPython 3.11 keeps the depth of its AST construction in state shared by the whole interpreter
(gh-106905): a parse that runs while another one is under way (a thread, a finalizer) can end
with ``SystemError: AST constructor recursion depth mismatch`` although the text is fine. The
fault is transient, so the parse is tried again; a real syntax error is raised as usual.
"""

from __future__ import annotations

import ast

_TRIES = 5


def parse_python(text: str, *, mode: str = "exec", filename: str = "<unknown>") -> ast.AST:
    """``ast.parse(text, filename, mode)``, tried again when CPython reports its own depth mismatch.

    >>> type(parse_python("1 + 2", mode="eval").body.op).__name__
    'Add'
    """
    for attempt in range(_TRIES):
        try:
            return ast.parse(text, filename=filename, mode=mode)
        except SystemError as error:
            if "recursion depth mismatch" not in str(error) or attempt == _TRIES - 1:
                raise
    raise AssertionError("unreachable")


__all__ = ["parse_python"]
