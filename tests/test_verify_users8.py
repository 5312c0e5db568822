r"""verify on a sixth tester's documents: an answer wrapped whole in \boxed{…} (Markdown and a LaTeX article).

The box hid the answer's "=" inside braces and the boxed gradient, the line a reader checks, was dropped unread: a
sign slip or a lost 1/m passed with "all steps hold".  Which boxed answer is right is decided here by NumPy central
differences of the cross-entropy on random data, never by the tool.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from central import central_differences

from derivation.proof.verifier import verify_text

DATA = Path(__file__).parent / "data" / "verify_users8"
RNG = np.random.default_rng(8)
M, P = 7, 3
X = np.column_stack([np.ones(M), RNG.normal(size=(M, P - 1))])
Y = (RNG.random(M) < 0.5).astype(float)
THETA = RNG.normal(size=P) * 0.7


def _cross_entropy(theta):
    h = 1 / (1 + np.exp(-X @ theta))
    return -np.mean(Y * np.log(h) + (1 - Y) * np.log(1 - h))


H = 1 / (1 + np.exp(-X @ THETA))
BOXED = {  # file: (the boxed answer's line, its value as written)
    "w36_boxed.md": (3, X.T @ (H - Y) / M),
    "w37_boxed_slip.md": (3, X.T @ (Y - H) / M),
    "w47_boxed_tex.tex": (6, X.T @ (H - Y) / M),
    "w48_boxed_tex_slip.tex": (6, X.T @ (H - Y)),
}


@pytest.mark.parametrize("name", sorted(BOXED))
def test_a_boxed_answer_is_read_and_checked(name):
    line, written = BOXED[name]
    right = np.allclose(written, central_differences(_cross_entropy, THETA), rtol=1e-6)
    assert right == ("slip" not in name)  # the tester's labels agree with the finite differences
    report = verify_text((DATA / name).read_text(), rules=False)
    boxed = [s for s in report.steps if s.line == line]
    assert boxed, f"the boxed answer on line {line} was not read"
    assert all(s.status == "holds" for s in boxed) if right else boxed[-1].status == "fails"
    assert report.exit_code == (0 if right else 1)


def test_a_boxed_side_inside_a_chain_still_reads():
    text = r"$$\frac{d}{dz}\sigma(z) = \boxed{\sigma(z)(1 - \sigma(z))}$$"
    assert [s.status for s in verify_text(text, rules=False).steps] == ["holds"]
