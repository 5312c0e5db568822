"""Review 12: a step true only for 0/1 labels is re-checked at the model's labels, unless the text says its
labels are soft (label smoothing, y ∈ [0, 1], ε/2): there it stays ✗.  Truth by NumPy on concrete numbers."""

from __future__ import annotations

import numpy as np
import pytest
from cli_runner import run_cli

SIG = r"\sigma(\theta^Tx^{(i)})"
ROW = (
    rf"$$J(\theta) = -\frac{{1}}{{m}}\sum_{{i=1}}^m"
    rf"\left[y^{{(i)}}\log{SIG} + (1-y^{{(i)}})\log\left(1-{SIG}\right)\right]"
    rf" = -\frac{{1}}{{m}}\sum_{{i=1}}^m \log\left(y^{{(i)}}{SIG} + (1-y^{{(i)}})\left(1-{SIG}\right)\right)$$"
)


def _identity_gap(label: float, h: float = 0.7) -> float:
    """y log h + (1 − y) log(1 − h) against log(y h + (1 − y)(1 − h)): 0 only for y ∈ {0, 1}."""
    return abs(label * np.log(h) + (1 - label) * np.log(1 - h) - np.log(label * h + (1 - label) * (1 - h)))


@pytest.mark.parametrize(
    "said",
    [
        r"We train with **soft targets** $y^{(i)} \in [0, 1]$.",
        r"With label smoothing the targets are no longer 0 or 1: $y^{(i)} \in \{\epsilon/2,\ 1 - \epsilon/2\}$.",
        "Soft labels (probabilities) are used as targets.",
    ],
)
def test_a_text_with_soft_labels_keeps_its_wrong_step_wrong(tmp_path, said):
    assert _identity_gap(0.3) > 1e-3  # wrong at a soft label
    doc = tmp_path / "soft.md"
    doc.write_text(f"{said}\n\n{ROW}\n", encoding="utf-8")
    done = run_cli("verify", str(doc), "--hypothesis", "logistic")
    assert done.returncode == 1 and "fail" in done.stdout, done.stdout


def test_the_same_step_with_binary_labels_holds_for_them(tmp_path):
    assert _identity_gap(0.0) < 1e-15 and _identity_gap(1.0) < 1e-15
    doc = tmp_path / "binary.md"
    doc.write_text(f"The labels are $y^{{(i)}} \\in \\{{0, 1\\}}$.\n\n{ROW}\n", encoding="utf-8")
    done = run_cli("verify", str(doc), "--hypothesis", "logistic")
    assert done.returncode == 0 and "y ∈ {0, 1}" in done.stdout, done.stdout
