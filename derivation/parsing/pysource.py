"""Python source to a syntax tree, past a CPython 3.11 fault.

CPython 3.11 keeps the depth of its AST construction in state shared by the whole interpreter
(gh-106905): a parse that runs while another one is under way (another thread, or a finalizer that
the garbage collector runs in the middle of building the tree) can end with
``SystemError: AST constructor recursion depth mismatch`` although the text is fine. The fault is
transient: the parse is tried again with the collector paused (no finalizer can start a parse inside
it) and, between tries, a pause growing to 50 ms (another thread's parse finishes); a real syntax
error is raised as usual.
"""

from __future__ import annotations

import ast
import gc
import time

_PAUSES = (0.0, 0.0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.05)  # seconds before each try: 0.14 s in all


def parse_python(text: str, *, mode: str = "exec", filename: str = "<unknown>") -> ast.AST:
    """``ast.parse(text, filename, mode)``, tried again when CPython reports its own depth mismatch.

    >>> type(parse_python("1 + 2", mode="eval").body.op).__name__
    'Add'
    """
    for attempt, pause in enumerate(_PAUSES):
        time.sleep(pause)
        paused = gc.isenabled() and attempt > 0  # the first try as usual; the retries without the collector
        if paused:
            gc.disable()
        try:
            return ast.parse(text, filename=filename, mode=mode)
        except SystemError as error:
            if "recursion depth mismatch" not in str(error) or attempt == len(_PAUSES) - 1:
                raise
        finally:
            if paused:
                gc.enable()
    raise AssertionError("unreachable")


__all__ = ["parse_python"]
