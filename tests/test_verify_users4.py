"""``verify`` on the tester's course notes (tests/data/verify_users4/), as users write them.

Ng's week 1 (h_θ(x) = θ₀ + θ₁x, J(θ₀, θ₁)), regularised linear regression under --hypothesis linear,
the Poisson log-likelihood with log(y!), a one-weight J(w, b) for one example, and the unbracketed
Σ of the cross-entropy.  Each ``*_ok`` holds everywhere, each ``*_slip`` is ✗ at its own line; every
expected verdict is confirmed here by central differences of the cost in NumPy (the oracle has the last word).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.special import gammaln

from derivation.proof import verify_text

DATA = Path(__file__).parent / "data" / "verify_users4"
RNG = np.random.default_rng(4)
EPS = 1e-6

# (file, --hypothesis, line of the first ✗ or None when every step holds)
CASES = [
    ("v14_ng_update.md", "linear", None),
    ("v14_ng_update.md", None, None),
    ("v15_ng_update_slip.md", "linear", 7),  # (x⁽ⁱ⁾)² for x⁽ⁱ⁾
    ("v18_h_only.md", "linear", None),
    ("v09_ridge.md", "linear", None),  # the text's own J has the penalty: its cost, not linear's
    ("v10_ridge_slip.md", "linear", 7),  # λ/2 θ_j for λθ_j
    ("v05_poisson.md", "poisson", None),  # − log(y!): a constant in θ
    ("v06_poisson_slip.md", None, 9),  # θ_j e^{θᵀx} for x_j e^{θᵀx}
    ("wb_one_example_slip.md", None, 7),  # (x_i)² (was a crash)
    ("unbracketed_sum_ok.md", None, None),  # −(1/m) Σ y log h + (1 − y) log(1 − h), the bracket left out
    ("unbracketed_sum_slip.md", None, 1),  # − (1 − y) log(1 − h)
]


@pytest.mark.parametrize(("name", "model", "wrong_line"), CASES)
def test_verdicts(name: str, model: str | None, wrong_line: int | None) -> None:
    report = verify_text((DATA / name).read_text(), hypothesis=model, seed=0, rules=False)
    statuses = [s.status for s in report.steps]
    assert "not_understood" not in statuses, [(s.line, s.status) for s in report.steps]
    failing = [s.line for s in report.steps if s.status == "fails"]
    assert (failing[0] if failing else None) == wrong_line, [(s.line, s.status) for s in report.steps]
    assert wrong_line is not None or any(s.status == "holds" for s in report.steps)  # not only definitions


def _central(f, p: np.ndarray, k: int) -> float:
    e = np.zeros_like(p)
    e[k] = EPS
    return (f(p + e) - f(p - e)) / (2 * EPS)


def test_one_feature_gradients_against_finite_differences() -> None:
    """J(θ₀, θ₁) = 1/(2m) Σ(θ₀ + θ₁x − y)²: ∂/∂θ₁ is (1/m)Σ(h − y)x (v14, v18 ✓), not (1/m)Σ(h − y)x² (v15 ✗)."""
    x, y, p = RNG.normal(size=7), RNG.normal(size=7), RNG.normal(size=2)

    def cost(q):
        return np.mean((q[0] + q[1] * x - y) ** 2) / 2

    r = p[0] + p[1] * x - y
    assert np.isclose(_central(cost, p, 0), np.mean(r), atol=1e-7)
    assert np.isclose(_central(cost, p, 1), np.mean(r * x), atol=1e-7)
    assert not np.isclose(_central(cost, p, 1), np.mean(r * x**2), atol=1e-3)


def test_ridge_gradient_against_finite_differences() -> None:
    """J = 1/(2m)[Σ(Xθ − y)² + λΣ_{j≥1}θ_j²]: ∂/∂θ_j = (1/m)[Σ(h − y)x_j + λθ_j] for j ≥ 1 (v09), not λ/2 (v10)."""
    X = np.column_stack([np.ones(6), RNG.normal(size=(6, 2))])
    y, p, lam = RNG.normal(size=6), RNG.normal(size=3), 0.8

    def cost(q):
        return (np.sum((X @ q - y) ** 2) + lam * np.sum(q[1:] ** 2)) / (2 * len(y))

    residual = X @ p - y
    for j in (1, 2):
        right = (residual @ X[:, j] + lam * p[j]) / len(y)
        assert np.isclose(_central(cost, p, j), right, atol=1e-7)
        assert not np.isclose(_central(cost, p, j), (residual @ X[:, j] + lam * p[j] / 2) / len(y), atol=1e-3)


def test_poisson_gradient_against_finite_differences() -> None:
    """ℓ = yθᵀx − e^{θᵀx} − log(y!): ∂ℓ/∂θ_j = (y − e^{θᵀx})x_j (v05), not y x_j − θ_j e^{θᵀx} (v06)."""
    x, p, y = RNG.normal(size=3), RNG.normal(size=3) / 2, 3.0

    def loglik(q):
        return y * (q @ x) - np.exp(q @ x) - gammaln(y + 1)

    for j in range(3):
        assert np.isclose(_central(loglik, p, j), (y - np.exp(p @ x)) * x[j], atol=1e-6)
        assert not np.isclose(_central(loglik, p, j), y * x[j] - p[j] * np.exp(p @ x), atol=1e-3)


def test_unbracketed_sum_is_the_cross_entropy() -> None:
    """−(1/m)Σ y log h + (1 − y) log(1 − h) read with the bracket is the NumPy cross-entropy; the minus slip is not."""
    h, y = 1 / (1 + np.exp(-RNG.normal(size=5))), RNG.integers(0, 2, size=5).astype(float)
    cross_entropy = -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))
    assert np.isclose(cross_entropy, -(np.sum(y * np.log(h)) + np.sum((1 - y) * np.log(1 - h))) / len(y))
    assert not np.isclose(cross_entropy, -np.mean(y * np.log(h) - (1 - y) * np.log(1 - h)))


@pytest.mark.parametrize(
    ("name", "verdict"), [("v19_dlai_markdown.md", "holds"), ("v20_dlai_markdown_slip.md", "fails")]
)
def test_dlai_propagate_cell(name: str, verdict: str) -> None:
    """A = σ(wᵀX + b) = (a⁽¹⁾, …, a⁽ᵐ⁾) ties a⁽ⁱ⁾ to σ(wᵀx⁽ⁱ⁾ + b); J is the text's own: ∂J/∂b on line 9 judged."""
    report = verify_text((DATA / name).read_text(), seed=0, rules=False)
    assert [s.status for s in report.steps if s.line == 9] == [verdict]
    assert not any(s.status == "fails" and s.line != 9 for s in report.steps)


def test_dlai_a_defined() -> None:
    report = verify_text((DATA / "dlai_a_defined_ok.md").read_text(), seed=0, rules=False)
    assert [s.status for s in report.steps] == ["definition", "definition", "holds"]


def test_bias_gradient_against_finite_differences() -> None:
    """J = −(1/m)Σ y log a + (1 − y) log(1 − a), a = σ(wᵀx + b): ∂J/∂b = (1/m)Σ(a − y) (v19), not Σ(a − y) (v20)."""
    X, y, w = RNG.normal(size=(3, 5)), RNG.integers(0, 2, size=5).astype(float), RNG.normal(size=3)

    def cost(q):
        a = 1 / (1 + np.exp(-(w @ X + q[0])))
        return -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))

    b = np.array([0.3])
    a = 1 / (1 + np.exp(-(w @ X + b[0])))
    assert np.isclose(_central(cost, b, 0), np.mean(a - y), atol=1e-7)
    assert not np.isclose(_central(cost, b, 0), np.sum(a - y), atol=1e-3)
