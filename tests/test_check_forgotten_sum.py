r"""∂J/∂θ_j = (1/m)(h_θ(x⁽ⁱ⁾) − y⁽ⁱ⁾)x_j⁽ⁱ⁾, the Σ over the examples forgotten (tester 12's m52), got "✓ correct as one
example's term ℓ_i/m of J", exit 0, while verify calls the same line ✗.  A J of one example has no 1/m: the 1/m says
this J is the mean cost, whose gradient sums over the examples, so the line is false as written.  Without the 1/m
(CS229's LMS rule "for one training example") it stays ✓ as one example's gradient, said on the first line.

Truth: central differences of the mean cross-entropy, against the right side at one example.
"""

from __future__ import annotations

import numpy as np
from central import central_differences
from cli_runner import run_cli

LEFT = r"\frac{\partial J(\theta)}{\partial \theta_j} = "
ROW = r"\left(h_\theta(x^{(i)}) - y^{(i)}\right)x_j^{(i)}"


def _mean_cost_gradient_equals_one_term() -> bool:
    """Whether (1/m)(σ(θᵀx⁽¹⁾) − y⁽¹⁾)x⁽¹⁾ equals ∇ of the mean cross-entropy on random data (it does not)."""
    rng = np.random.default_rng(52)
    X = np.column_stack([np.ones(5), rng.normal(size=(5, 2))])
    y, theta = (rng.random(5) < 0.5).astype(float), rng.normal(size=3)

    def cost(t):
        h = 1 / (1 + np.exp(-X @ t))
        return -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))

    term = (1 / (1 + np.exp(-X[0] @ theta)) - y[0]) * X[0] / len(y)
    return bool(np.allclose(term, central_differences(cost, theta), atol=1e-7))


def test_the_mean_costs_term_without_its_sum_is_wrong():
    assert not _mean_cost_gradient_equals_one_term()
    run = run_cli("check", "logistic", "--latex", LEFT + r"\frac{1}{m}" + ROW)
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stdout.startswith("✗ incorrect"), run.stdout
    assert "no Σ over the examples" in run.stdout


def test_one_examples_gradient_without_the_1_over_m_stays_right_as_that():
    run = run_cli("check", "logistic", "--latex", LEFT + ROW)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("✓ correct as one example's gradient (∂ℓ/∂θ_j, an SGD step)"), run.stdout
