"""Review 13's false ✓ in the at-the-minimiser rows of `verify` (texts in tests/data/verify_review13/).

F0: with θ₀ unpenalised (the penalty Σ_{j=1}^n, the row ∂J/∂θ_j "for j ≥ 1"), j = 0 in that row is not the θ₀ entry of
∇J = 0: Σσ(θᵀx⁽ⁱ⁾) = Σy⁽ⁱ⁾ − λθ₀ got ✓ (exit 0) and the true Σσ = Σy ✗.  F3: a text that says it has no intercept in
other words ("we omit the bias term", "through the origin (no θ₀)", "no column of ones") got ✓ for Σσ = Σy, which
holds only with an intercept.  The truth comes from Newton's minimiser of each cost on concrete data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from central import central_differences
from verdicts import MARKS, verify_fast

DATA = Path(__file__).parent / "data" / "verify_review13"
RNG = np.random.default_rng(13)
M, LAM = 12, 0.7
A = np.column_stack([np.ones(M), RNG.normal(size=(M, 2))])
Y = np.array([0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 1.0])


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _minimiser(a: np.ndarray, penalised: np.ndarray) -> np.ndarray:
    """Newton's method on −(1/m)Σ[y log σ + (1 − y) log(1 − σ)] + (λ/2m)Σ_{penalised} θ_j²."""
    t = np.zeros(a.shape[1])
    for _ in range(60):
        h = _sigmoid(a @ t)
        g = a.T @ (h - Y) / M + LAM / M * penalised * t
        hess = a.T @ (a * (h * (1 - h))[:, None]) / M + np.diag(LAM / M * penalised)
        t -= np.linalg.solve(hess, g)
    return t


def _cost(a, penalised):
    def cost(t):
        h = _sigmoid(a @ t)
        return float(-np.mean(Y * np.log(h) + (1 - Y) * np.log(1 - h)) + LAM / (2 * M) * np.sum(penalised * t**2))

    return cost


def _last_mark(name: str) -> tuple[str, str]:
    report = verify_fast((DATA / name).read_text(encoding="utf-8"), None)
    return MARKS.get(str(report.steps[-1].status), "?"), str(report)


def test_theta0_unpenalised_the_row_with_lambda_theta0_is_never_a_tick():
    free = np.array([0.0, 1, 1])  # (λ/2m)Σ_{j=1}^n θ_j²
    star = _minimiser(A, free)
    assert np.allclose(central_differences(_cost(A, free), star), 0, atol=1e-8)
    assert np.isclose(_sigmoid(A @ star).sum(), Y.sum())  # the θ₀ entry: Σσ = Σy ...
    assert not np.isclose(_sigmoid(A @ star).sum(), Y.sum() - LAM * star[0])  # ... not Σy − λθ₀
    for name in ("p04_pen1_sum_lam.md", "p05_split_sum_lam.md"):
        mark, report = _last_mark(name)
        assert mark != "✓", report  # was ✓ with exit 0
    mark, report = _last_mark("p02_pen1_sum_eq.md")
    assert mark != "✗", report  # the true row is not judged from the j ≥ 1 row (it was ✗)


def test_theta0_penalised_the_row_with_lambda_theta0_holds():
    every = np.ones(3)  # (λ/2m)Σ_{j=0}^n θ_j²: the θ₀ entry has λθ₀
    star = _minimiser(A, every)
    assert np.isclose(_sigmoid(A @ star).sum(), Y.sum() - LAM * star[0])
    mark, report = _last_mark("p03_penall_sum_lam.md")
    assert mark == "✓", report


@pytest.mark.parametrize("name", ["m27_log_noint_b.md", "m28_log_noint_c.md", "m30_log_noint_d.md"])
def test_no_intercept_in_other_words_and_sum_sigma_equals_sum_y_fails(name):
    plain = A.copy()
    plain[:, 0] = RNG.normal(size=M)  # no column of ones
    star = _minimiser(plain, np.zeros(3))
    assert np.allclose(central_differences(_cost(plain, np.zeros(3)), star), 0, atol=1e-8)
    assert not np.isclose(_sigmoid(plain @ star).sum(), Y.sum())
    mark, report = _last_mark(name)
    assert mark == "✗", report


def test_with_the_intercept_sum_sigma_equals_sum_y_still_holds():
    star = _minimiser(A, np.zeros(3))
    assert np.isclose(_sigmoid(A @ star).sum(), Y.sum())
    mark, report = _last_mark("m20_log_sum_right.md")
    assert mark == "✓", report


# --- F1: ỹ⁽ⁱ⁾ = 0.9y⁽ⁱ⁾ + 0.05 with the cost in h_θ notation: (h − y)x got ✓ against the 0/1-label J ---------------


def _soft_label_case(name: str, right: bool) -> None:
    """The text's gradient, (h − ỹ)x if ``right`` else (h − y)x, against central differences of the soft-label J
    (ỹ = 0.9y + 0.05), then the tool's mark on its last step."""
    soft = 0.9 * Y + 0.05
    theta = RNG.normal(size=3)

    def cost(t):
        h = _sigmoid(A @ t)
        return float(-np.mean(soft * np.log(h) + (1 - soft) * np.log(1 - h)))

    written = A.T @ (_sigmoid(A @ theta) - (soft if right else Y)) / M
    assert np.allclose(written, central_differences(cost, theta), atol=1e-7) is right  # the truth, by differences
    mark, report = _last_mark(name)
    assert mark == ("✓" if right else "✗"), report


@pytest.mark.parametrize(
    ("name", "right"), [("v10_09_right.md", True), ("v13_09_right_expand.md", True), ("v11_09_plain_y.md", False)]
)
def test_soft_labels_in_h_theta_notation_are_judged_against_the_texts_own_cost(name, right):
    _soft_label_case(name, right)


@pytest.mark.parametrize(
    ("words", "denies"),
    [
        ("where we omit the bias term", True),
        ("a model through the origin (no $\\theta_0$)", True),
        ("the raw feature matrix (no column of ones)", True),
        ("the intercept is dropped.", True),
        # leaving the intercept out of the penalty keeps the intercept: Σσ = Σy still holds there
        ("we omit the bias term from the penalty", False),
        ("the bias is removed from the regularization sum", False),
        ("we drop the intercept from the \\lambda term", False),
        ("there is no \\theta_0 in the penalty", False),
        ("leave the bias unpenalised", False),
    ],
)
def test_what_denies_an_intercept_and_what_only_leaves_it_out_of_the_penalty(words, denies):
    from derivation.proof.ones import NO_INTERCEPT

    assert (NO_INTERCEPT.search(words) is not None) is denies


# --- review 14: h_θ(x⁽ⁱ⁾) = σ(θᵀx⁽ⁱ⁾), or no definition of h_θ at all, under ỹ; features x_1..x_n with θ ∈ ℝⁿ ---------


@pytest.mark.parametrize(
    ("name", "right"),
    [("s_right_xi.md", True), ("s_right_none.md", True), ("s_plain_xi.md", False), ("s_plain_none.md", False)],
)
def test_soft_labels_with_h_theta_defined_at_an_example_or_not_at_all(name, right):
    _soft_label_case(name, right)


@pytest.mark.parametrize(
    ("name", "intercept"), [("b1_noint_vec.md", False), ("b1_w_Rn.md", False), ("b1_w_plain.md", True)]
)
def test_sum_of_residuals_at_the_minimiser_needs_a_column_of_ones(name, intercept):
    rng = np.random.default_rng(14)
    features = rng.normal(size=(15, 2))
    data = np.column_stack([np.ones(15), features]) if intercept else features
    y = rng.normal(size=15) + 3.0
    star = np.linalg.lstsq(data, y, rcond=None)[0]
    assert np.allclose(data.T @ (data @ star - y), 0, atol=1e-9)  # ∇J(θ*) = 0
    assert bool(np.isclose(np.sum(data @ star - y), 0, atol=1e-9)) is intercept  # Σ residuals = 0 only with x₀ = 1
    mark, report = _last_mark(name)
    assert mark == ("✓" if intercept else "✗"), report
