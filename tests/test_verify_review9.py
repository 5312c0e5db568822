r"""Review 9's false ✓: L said in words as "the identity with its first entry set to 0" and then something more.

The text's cost is the regularised cross-entropy with (λ/2m)Σ_{j≥1}θ_j², and its gradient (1/m)Xᵀ(σ(Xθ) − y) + (λ/m)Lθ
is right only for L = diag(0, 1, …, 1).  The reader took the first clause of each sentence below for the whole
definition of L and gave ✓ (exit 0); what the sentence says L is decides the truth, by central differences of the cost
against the gradient with that L.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from verdicts import sigmoid

from derivation.proof.verifier import verify_text

COST = (
    r"The regularised cost is" "\n"
    r"$$J(\theta) = -\frac{1}{m}\left[y^T\log\sigma(X\theta) + (1-y)^T\log(1-\sigma(X\theta))\right]"
    r" + \frac{\lambda}{2m}\sum_{j=1}^n \theta_j^2$$" "\n"
)  # fmt: skip
GRADIENT = (
    "\nDifferentiating,\n"
    r"$$\nabla_\theta J(\theta) = \frac{1}{m}X^T(\sigma(X\theta) - y) + \frac{\lambda}{m}L\theta$$" "\n"
)  # fmt: skip
ZEROED = "the identity with its first entry set to $0$"
SENTENCES = {  # the sentence → the diagonal of the L it says (n + 1 = 4 entries)
    f"where $L$ is {ZEROED}.": [0, 1, 1, 1],
    f"where $L$ is {ZEROED} and its second entry set to $0$.": [0, 0, 1, 1],
    f"where $L$ is {ZEROED} and its last entry set to $0$.": [0, 1, 1, 0],
    f"where $L$ is twice {ZEROED}.": [0, 2, 2, 2],
    "where $L$ is the negative identity with its first entry set to $0$.": [0, -1, -1, -1],
    f"where $L$ is {ZEROED}, scaled by $\\frac{{1}}{{2}}$.": [0, 0.5, 0.5, 0.5],
}


def _right(diagonal: list[float]) -> bool:
    rng = np.random.default_rng(9)
    X = np.column_stack([np.ones(6), rng.normal(size=(6, 3))])
    y, theta, lam = (rng.random(6) < 0.5).astype(float), rng.normal(size=4), 0.7

    def cost(t):
        h = sigmoid(X @ t)
        return -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h)) + lam / (2 * 6) * np.sum(t[1:] ** 2)

    gradient = X.T @ (sigmoid(X @ theta) - y) / 6 + lam / 6 * np.diag(diagonal) @ theta
    return bool(np.allclose(gradient, central_differences(cost, theta), atol=1e-7))


@pytest.mark.parametrize("sentence", list(SENTENCES), ids=range(len(SENTENCES)))
def test_l_is_what_the_whole_sentence_says(sentence):
    report = verify_text(COST + sentence + GRADIENT)
    if _right(SENTENCES[sentence]):
        assert report.first_problem is None, report.first_problem
    else:  # never a ✓ on the gradient: ✗ or refused
        assert report.first_problem is not None
