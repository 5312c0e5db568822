r"""verify on a ninth tester's documents: a gradient written for one example (no Σ, no 1/m, no x⁽ⁱ⁾) under a J the
text itself defines as (1/m)Σ over the examples; h = σ(−θᵀx) defined in prose and J written with it.

Each was judged wrongly: the one-example line was ✓ under "J read as the cost of one example", although the text had
just defined J as the mean; J written with the text's own h was ✗ against the default model's cost.  Which line of
each text is right is decided here by NumPy central differences on random numbers, never by the tool.
"""

from __future__ import annotations

import numpy as np
from central import central_differences
from line_verdicts import assert_lines

from derivation.proof.verifier import verify_text

RNG = np.random.default_rng(12)
M, P = 7, 3
X = RNG.normal(size=(M, P))
LABELS = RNG.integers(0, 2, size=M).astype(float)
TARGETS = RNG.normal(size=M)
THETA = RNG.normal(size=P) * 0.5


def _verify(text: str, hypothesis: str | None = None):
    return verify_text(text, hypothesis=hypothesis, explain=False, rules=False)


def _close(a, b) -> bool:
    return bool(np.allclose(a, b, rtol=1e-5, atol=1e-7))


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _log_loss(h, y):
    return -y * np.log(h) - (1 - y) * np.log(1 - h)


# --- 1. J defined as the mean, then one example's gradient ------------------------------------------------------------

LOGISTIC_MEAN = (
    r"$$J(\theta) = -\frac{1}{m}\sum_{i=1}^m\left[y^{(i)}\log h_\theta(x^{(i)})"
    r" + (1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right]$$"
    "\n"
    r"$$\frac{\partial J(\theta)}{\partial\theta_j} = \left(h_\theta(x) - y\right)x_j$$"
    "\n"
)
LINEAR_MEAN = r"""The cost of linear regression is
$$J(\theta) = \frac{1}{2m}\sum_{i=1}^m\left(h_\theta(x^{(i)}) - y^{(i)}\right)^2, \quad h_\theta(x) = \theta^T x$$
Taking the derivative,
$$\frac{\partial J(\theta)}{\partial\theta_j} = \left(h_\theta(x) - y\right)x_j$$
"""
SAID_ONE = r"""For a single training example $(x, y)$ the loss is
$$J(\theta) = -y\log h_\theta(x) - (1-y)\log(1-h_\theta(x))$$
and its derivative is
$$\frac{\partial J(\theta)}{\partial\theta_j} = \left(h_\theta(x) - y\right)x_j$$
"""
STOCHASTIC = "In stochastic gradient descent each update uses the gradient of one term:\n" + LOGISTIC_MEAN


def _one_example_is_the_mean_gradient(cost, one) -> bool:
    """True when the one-example form (h(x) − y)x_j, at any example of the data, is ∂J/∂θ of the mean cost J."""
    full = central_differences(cost, THETA)
    return any(_close(one(X[k], k), full) for k in range(M))


def test_one_example_gradient_under_a_mean_logistic_cost_fails_at_its_line():
    right = _one_example_is_the_mean_gradient(
        lambda t: float(np.mean(_log_loss(_sigmoid(X @ t), LABELS))),
        lambda x, k: (_sigmoid(x @ THETA) - LABELS[k]) * x,
    )
    report = _verify(LOGISTIC_MEAN)
    assert_lines(report, [(1, True), (2, right)])
    assert not right
    why = verify_text(LOGISTIC_MEAN).first_failure.diagnosis.message
    assert "the Σ and the 1/m are missing" in why and "line 1" in why


def test_one_example_gradient_under_a_mean_linear_cost_fails_at_its_line():
    right = _one_example_is_the_mean_gradient(
        lambda t: float(np.mean((X @ t - TARGETS) ** 2) / 2), lambda x, k: (x @ THETA - TARGETS[k]) * x
    )
    report = _verify(LINEAR_MEAN)
    assert not right
    assert_lines(report, [(4, right)])
    assert "Σ" in verify_text(LINEAR_MEAN).first_failure.diagnosis.message


def test_one_example_said_or_stochastic_keeps_its_check():
    # the twin: the text's J is one example's cost (or the prose says a step uses one term): the line is its gradient
    x, y = X[0], LABELS[0]
    one = central_differences(lambda t: float(_log_loss(_sigmoid(x @ t), y)), THETA)
    right = _close((_sigmoid(x @ THETA) - y) * x, one)
    assert right
    assert_lines(_verify(SAID_ONE), [(2, True), (4, right)])
    assert_lines(_verify(STOCHASTIC), [(2, True), (3, right)])
