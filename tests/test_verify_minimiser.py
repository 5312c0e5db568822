"""A solved θ in a written derivation (θ = (XᵀX)⁻¹Xᵀy) is a claim, checked as ∇J = 0 there, never a definition.

The fifth tester's normal-equation slips, θ = (XᵀX + I)⁻¹Xᵀy, had been shown as "a definition: not checked".  Whether
each θ minimises the cost is decided here by NumPy central differences of the cost at that θ (tests/central.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences

from derivation.proof.verifier import verify_text

COST = r"For linear regression, $J(\theta) = \frac{1}{2m}\|X\theta - y\|^2$. Setting its gradient to zero gives"
RNG = np.random.default_rng(22)
X, Y = RNG.normal(size=(6, 3)), RNG.normal(size=6)


def _gradient_norm_at(solved: np.ndarray) -> float:
    cost = lambda t: np.sum((X @ t - Y) ** 2) / (2 * len(Y))  # noqa: E731
    return float(np.linalg.norm(central_differences(cost, solved)))


@pytest.mark.parametrize(
    ("written", "solved"),
    [
        (r"(X^TX)^{-1}X^Ty", np.linalg.inv(X.T @ X) @ X.T @ Y),
        (r"(X^TX + I)^{-1}X^Ty", np.linalg.inv(X.T @ X + np.eye(3)) @ X.T @ Y),
        (r"(X^TX)^{-1}X^T y \cdot 2", 2 * np.linalg.inv(X.T @ X) @ X.T @ Y),
    ],
)
def test_a_solved_theta_is_checked_as_the_minimiser(written, solved):
    right = _gradient_norm_at(solved) < 1e-6
    report = verify_text(COST + "\n$$\\theta = " + written + "$$\n")
    step = report.steps[-1]
    assert step.status == ("holds" if right else "fails"), step
    assert ("the minimiser" if right else "not the minimiser") in step.note
    assert report.exit_code == (0 if right else 1)


def test_the_solution_after_setting_the_gradient_to_zero_is_checked_too():
    text = (
        "$$J(\\mathbf{w}) = \\frac{1}{2}\\|\\mathbf{X}\\mathbf{w} - \\mathbf{y}\\|^2"
        " + \\frac{\\lambda}{2}\\|\\mathbf{w}\\|^2$$\n\n"
        "$$\\nabla_{\\mathbf{w}} J = \\mathbf{X}^T(\\mathbf{X}\\mathbf{w} - \\mathbf{y}) + \\lambda\\mathbf{w}$$\n\n"
        "Setting the gradient to zero:\n\n"
        "$$\\mathbf{X}^T\\mathbf{X}\\mathbf{w} + \\lambda\\mathbf{w} = \\mathbf{X}^T\\mathbf{y}"
        " \\quad\\Rightarrow\\quad \\mathbf{w} = (\\mathbf{X}^T\\mathbf{X} + %s)^{-1}\\mathbf{X}^T\\mathbf{y}$$\n"
    )
    lam = 0.7
    ridge = lambda w: 0.5 * np.sum((X @ w - Y) ** 2) + lam / 2 * np.sum(w**2)  # noqa: E731
    good = np.linalg.solve(X.T @ X + lam * np.eye(3), X.T @ Y)
    bad = np.linalg.solve(X.T @ X + np.eye(3), X.T @ Y)
    assert np.linalg.norm(central_differences(ridge, good)) < 1e-6 < np.linalg.norm(central_differences(ridge, bad))
    assert verify_text(text % r"\lambda I").steps[-1].status == "holds"
    slipped = verify_text(text % "I").steps[-1]
    assert slipped.status == "fails" and "not the minimiser" in slipped.note


def test_without_a_cost_the_claim_stays_open_and_an_unreadable_one_is_not_a_definition():
    open_claim = verify_text("The least-squares solution is\n$$\\theta = (X^TX)^{-1}X^Ty$$\n").steps[-1]
    assert open_claim.status == "undecided" and "--hypothesis linear" in open_claim.note
    unread = verify_text(COST + "\n$$\\theta = (X^TX)^{-1}X^T[y$$\n").steps[-1]
    assert unread.status == "not understood"
    undefined = verify_text(COST + "\n$$\\theta = (X^TX)^{-1}Xy$$\n").steps[-1]  # Xy: m×(n+1) times m×1
    assert undefined.status == "fails" and undefined.diagnosis.kind == "shapes"
