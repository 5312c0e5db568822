r"""Tester 12's zero-based costs: a cost written Σ_{i=0}^{m−1} (θᵀx_i − y_i)², as Python-minded users number their
examples, was refused with "a cost sums over all the examples" (c27, c28), which it does.

Σ_{i=0}^{m−1} is the sum over the same m examples as Σ_{i=1}^{m}: the cost is read renumbered, and the gradient
judged as usual.  Which gradients are right is decided by central differences of the cost written here in NumPy,
never by the tool; a sum that misses an example (Σ_{i=0}^{m−2}) is still refused in words.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli

COST = r"J(\theta) = \frac{1}{2m}\sum_{i=0}^{m-1}\left(\theta^T x_i - y_i\right)^2"
HAT_COST = (
    r"J(\theta) = \frac{1}{2m}\sum_{i=0}^{m-1}\left(\hat{y}^{(i)} - y^{(i)}\right)^2, "
    r"\quad \hat{y}^{(i)} = \theta^T x^{(i)}"
)
GRADIENTS = {  # the user's gradient → (its value in NumPy as a function of θ, X, y)
    r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=0}^{m-1}\left(\theta^T x_i - y_i\right) x_{ij}": (
        lambda t, a, y: a.T @ (a @ t - y) / len(y)
    ),
    r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m-1}\left(\theta^T x_i - y_i\right) x_{ij}": (
        lambda t, a, y: a[1:].T @ (a[1:] @ t - y[1:]) / len(y)  # one example left out
    ),
    r"\frac{\partial J}{\partial \theta_j} = \frac{1}{2m}\sum_{i=0}^{m-1}\left(\theta^T x_i - y_i\right) x_{ij}": (
        lambda t, a, y: a.T @ (a @ t - y) / (2 * len(y))
    ),
}


def _truth(gradient) -> bool:
    """Whether ``gradient`` is the cost's, by central differences of (1/2m)‖Xθ − y‖² on random data."""
    rng = np.random.default_rng(12)
    X = np.column_stack([np.ones(6), rng.normal(size=(6, 2))])
    y, theta = rng.normal(size=6), rng.normal(size=3)
    numeric = central_differences(lambda t: np.sum((X @ t - y) ** 2) / (2 * len(y)), theta)
    return bool(np.allclose(gradient(theta, X, y), numeric, rtol=1e-6, atol=1e-8))


@pytest.mark.parametrize("cost", [COST, HAT_COST], ids=["x_i", "y-hat"])
@pytest.mark.parametrize("latex", list(GRADIENTS), ids=["right", "one-example-left-out", "half"])
def test_a_zero_based_cost_is_the_sum_over_the_m_examples(cost, latex):
    run = run_cli("check", "--cost", cost, "--latex", latex)
    right = _truth(GRADIENTS[latex])
    assert run.returncode == (0 if right else 1), run.stderr
    assert run.stdout.startswith("✓ correct" if right else "✗ incorrect"), run.stdout
    if "i=0" in latex:
        assert "Σ_{i=0}^{m−1} read as the sum over the m examples" in run.stdout


def test_a_sum_that_misses_an_example_is_still_refused_in_words():
    run = run_cli("check", "--cost", COST.replace("m-1", "m-2"), "--latex", "0")
    assert run.returncode == 2
    assert "runs from 0 to m - 2" in run.stderr and "Traceback" not in run.stderr
