"""verify on derivations over the weight matrix W (softmax regression), written as course notes write them.

The document defines p_c⁽ⁱ⁾ itself; each wrong copy changes one line and must be rejected exactly there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from derivation.proof.verifier import verify_text


def verdicts(text: str, hypothesis: str):
    """The verifier's statuses only (explain=False: no rule named, no slip diagnosed, which changes no status)."""
    return verify_text(text, hypothesis=hypothesis, explain=False, rules=False)


SOFTMAX = (Path(__file__).parent / "derivations_classes" / "softmax.md").read_text(encoding="utf-8")

_SIX = r"\frac{1}{m}\sum_{i=1}^m \sum_{k=1}^K y_k^{(i)} \left("  # line 6's start after "&= -"
SLIPS = [  # (what, old text, new text, line of the slip)
    ("the minus sign of the cross-entropy dropped", "&= -" + _SIX, "&= " + _SIX, 6),
    ("x_j forgotten (the chain rule's inner factor)", r"- p_c^{(i)}\right) x_j^{(i)} \\", r"- p_c^{(i)}\right) \\", 6),
    ("(y − p) for (p − y)", r"\left(p_c^{(i)} - y_c^{(i)}\right) x_j", r"\left(y_c^{(i)} - p_c^{(i)}\right) x_j", 8),
    ("the 1/m dropped", r"&= \frac{1}{m}\sum_{i=1}^m \left(p_c", r"&= \sum_{i=1}^m \left(p_c", 8),
    ("p_k for p_c in log p_k's derivative", r"\left(\delta_{kc} - p_c^{(i)}", r"\left(\delta_{kc} - p_k^{(i)}", 6),
]  # fmt: skip


def test_a_softmax_derivation_written_by_hand_is_accepted():
    report = verdicts(SOFTMAX, "softmax")
    assert report.ok, [(s.number, s.line, s.status) for s in report.steps]


@pytest.mark.parametrize(("what", "old", "new", "line"), SLIPS, ids=[s[0] for s in SLIPS])
def test_a_slip_in_the_softmax_derivation_is_rejected_at_its_line(what, old, new, line):
    assert old in SOFTMAX, what
    report = verdicts(SOFTMAX.replace(old, new, 1), "softmax")
    problem = report.first_problem
    assert problem is not None and problem.status == "fails", what
    assert problem.line == line, (what, problem.line)


SVM = (Path(__file__).parent / "derivations_classes" / "svm_multiclass.md").read_text(encoding="utf-8")
SVM_SLIPS = [  # (what, old text, new text, line of the slip)
    ("the true class's push forgotten", r"\left(\delta_{kc} - y_c^{(i)}\right)", r"\delta_{kc}", 7),
    ("(1 − y_k) dropped", r"(1 - y_k^{(i)}) \mathbf{1}[u_k^{(i)} > 0] \left(", r"\mathbf{1}[u_k^{(i)} > 0] \left(", 7),
]  # fmt: skip


def test_a_multiclass_svm_subgradient_written_by_hand_is_accepted():
    report = verdicts(SVM, "svm-multiclass")
    assert report.ok, [(s.number, s.line, s.status) for s in report.steps]


@pytest.mark.parametrize(("what", "old", "new", "line"), SVM_SLIPS, ids=[s[0] for s in SVM_SLIPS])
def test_a_slip_in_the_svm_subgradient_is_rejected_at_its_line(what, old, new, line):
    assert old in SVM, what
    problem = verdicts(SVM.replace(old, new, 1), "svm-multiclass").first_problem
    assert problem is not None and problem.status == "fails" and problem.line == line, (what, problem)
