"""Golden files: the logistic derivation as a reader sees it, in text and LaTeX.

A change to the output is a change to the product: look at the diff, then
regenerate with `UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from derivation import derive_model, render

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(("fmt", "suffix"), [("text", "txt"), ("latex", "tex"), ("markdown", "md")])
def test_logistic_matches_golden(fmt, suffix):
    produced = render(derive_model("logistic"), fmt)
    path = GOLDEN / f"logistic.{suffix}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(produced, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert produced == expected, f"output changed; if intended, regenerate with UPDATE_GOLDEN=1 ({path})"
