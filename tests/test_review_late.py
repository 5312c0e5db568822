"""The last review's false ✓ (one example's gradient given as ∂J/∂θ_j of a J over the whole training set).

Expected verdicts: ∂J/∂θ_j of the mean logistic cost at a point is (1/m) Σ (σ(θᵀx⁽ⁱ⁾) − y⁽ⁱ⁾) x_j⁽ⁱ⁾, which no single
example's (σ(θᵀx) − y)x_j equals on the data below (central differences of the cost, in NumPy here)."""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences

from derivation.check.gradient import check_gradient
from derivation.parsing import ParseError
from derivation.proof.verifier import verify_text

J_SUM = (
    r"$$J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}\log h_\theta(x^{(i)}) + "
    r"(1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right]$$"
)
ONE = r"$$\frac{\partial J}{\partial \theta_j} = (h_\theta(x) - y)x_j$$"


def test_no_single_example_gradient_is_the_mean_costs_on_these_data():
    rng = np.random.default_rng(0)
    X, y, t = rng.normal(size=(6, 3)), rng.integers(0, 2, 6).astype(float), rng.normal(size=3)

    def cost(theta):
        p = 1 / (1 + np.exp(-X @ theta))
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    central = central_differences(cost, t)
    singles = [(1 / (1 + np.exp(-X[k] @ t)) - y[k]) * X[k] for k in range(6)]
    assert not any(np.allclose(s, central, atol=1e-6) for s in singles)


@pytest.mark.parametrize(
    "prose",
    [
        "Logistic regression, full batch (unlike stochastic gradient descent, we use all examples).",
        "Logistic regression (batch gradient descent, not SGD).",
        "The gradient is not for a single example: it is over the whole training set.",
        "The gradient below can be used by batch gradient descent or by SGD.",
    ],
)
def test_prose_that_denies_one_example_keeps_the_sum_in_j(prose):
    report = verify_text(f"{prose}\n\n{J_SUM}\n\n{ONE}\n")
    assert [s.status for s in report.steps if s.line == 5] == ["fails"]


def test_a_j_defined_with_x_then_one_examples_gradient_is_no_plain_tick():
    text = r"J(\theta) = \frac{1}{2m}\|X\theta - y\|^2 \\ \frac{\partial J}{\partial\theta_j} = (h_\theta(x) - y)x_j"
    assert check_gradient("linear", latex=text).status == "incorrect"


def test_one_examples_loss_by_index_with_a_one_over_m_is_not_accepted():
    text = r"\frac{\partial L_i}{\partial\theta_j} = \frac{1}{m}(h_\theta(x_i) - y_i)x_{ij}"
    try:
        status = check_gradient("linear", latex=text).status
    except ParseError:
        status = "refused"
    assert status != "correct"
