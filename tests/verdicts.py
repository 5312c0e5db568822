"""The verify and check tests' shared helpers: the fast verdicts of a text, the verdict of a `check` run, and the
sigmoid their NumPy truth uses."""

from __future__ import annotations

import numpy as np

from derivation.proof.verifier import verify_text

MARKS = {"holds": "✓", "fails": "✗", "definition": ":=", "not understood": "?"}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def verify_fast(text: str, hypothesis: str | None = None):
    """The verdicts only (no rule names, no slip diagnosis): what per-line expectations are about, and fast."""
    return verify_text(text, hypothesis=hypothesis, explain=False, rules=False)


def verify_marks(text: str, hypothesis: str | None = None) -> tuple[int, dict[int, str], str]:
    """(exit code, line → ✓ ✗ := ?, the report as printed)."""
    report = verify_fast(text, hypothesis)
    return report.exit_code, {step.line: MARKS.get(str(step.status), "?") for step in report.steps}, str(report)


def close(a, b) -> bool:
    """Equal to central differences' precision (a step of 1e-6: about 1e-7 relative)."""
    return bool(np.allclose(a, b, rtol=1e-5, atol=1e-7))


def check_verdict(result) -> str:
    """ "correct" or "incorrect" from the first line of a `check` run (exit code 0 or 1, never a refusal)."""
    assert result.returncode in (0, 1), result.stdout + result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith(("✓", "✗")), result.stdout
    return "correct" if first.startswith("✓") else "incorrect"
