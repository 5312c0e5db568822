"""parse_python: CPython 3.11's transient AST depth mismatch (gh-106905) is retried; real errors are not."""

from __future__ import annotations

import ast
import gc

import pytest

from derivation.parsing import pysource


def _flaky(failures: int, seen: list[bool]):
    real = ast.parse

    def parse(text, **kwargs):
        seen.append(gc.isenabled())
        if len(seen) <= failures:
            raise SystemError("AST constructor recursion depth mismatch (before=33, after=27)")
        return real(text, **kwargs)

    return parse


def test_the_mismatch_is_retried_with_the_collector_paused(monkeypatch):
    seen: list[bool] = []
    monkeypatch.setattr(pysource.ast, "parse", _flaky(len(pysource._PAUSES) - 1, seen))
    tree = pysource.parse_python("x = 1")
    assert isinstance(tree.body[0], ast.Assign)
    assert seen[0] is True and not any(seen[1:])  # retries run without the garbage collector
    assert gc.isenabled()


def test_a_mismatch_that_persists_is_raised_and_the_collector_is_back(monkeypatch):
    monkeypatch.setattr(pysource.ast, "parse", _flaky(len(pysource._PAUSES), []))
    with pytest.raises(SystemError, match="recursion depth mismatch"):
        pysource.parse_python("x = 1")
    assert gc.isenabled()


def test_a_syntax_error_is_raised_at_once():
    with pytest.raises(SyntaxError):
        pysource.parse_python("x = (")
