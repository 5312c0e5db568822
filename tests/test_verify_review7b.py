"""Review 7, items 9 and s7: the text's own regularised J after h_θ(x) = σ(θᵀx), and a 'sigmoid' that is not σ.

1. h_θ(x) = σ(θᵀx), then J = cross-entropy + (λ/2m)Σ_{j≥1}θ_j²: that J is the text's cost (logistic-l2), so
   ∂J/∂θ_j = (1/m)Σ(h − y)x_j without λθ_j/m is ✗ and the J line ✓ (it was the other way round).
2. "the sigmoid with a temperature τ, σ(z) = 1/(1 + e^{−z/τ})": the definition is ✗ and no later step of σ or h_θ
   is ✓ under the standard sigmoid (they were, off by 1/τ).
The truth is the test's own central differences.
"""

from __future__ import annotations

import numpy as np
from central import central_differences
from verdicts import MARKS, sigmoid, verify_fast, verify_marks

RNG = np.random.default_rng(71)
X = RNG.normal(size=(6, 3))
Y = RNG.integers(0, 2, size=6).astype(float)
THETA = RNG.normal(size=3) * 0.5
LAM, TAU = 0.7, 2.5

_H = r"Logistic regression, $h_\theta(x) = \sigma(\theta^T x)$, and" + "\n\n"
_CE = r"-\frac{1}{m}\sum_{i=1}^{m}\left[y^{(i)}\log h_\theta(x^{(i)}) + (1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right]"
_J_L2 = rf"$$J(\theta) = {_CE} + \frac{{\lambda}}{{2m}}\sum_{{j=1}}^{{n}}\theta_j^2$$" + "\n\nHence\n\n"
_DATA = r"\frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right)x_j^{(i)}"


def _l2_cost(t):
    h = sigmoid(X @ t)
    return -np.mean(Y * np.log(h) + (1 - Y) * np.log(1 - h)) + LAM / (2 * len(Y)) * np.sum(t[1:] ** 2)


def test_the_penalty_has_a_gradient() -> None:
    data = X.T @ (sigmoid(X @ THETA) - Y) / len(Y)
    truth = central_differences(_l2_cost, THETA)
    assert not np.allclose(truth[1:], data[1:])  # without λθ_j/m: wrong for j ≥ 1
    assert np.allclose(truth[1:], data[1:] + LAM / len(Y) * THETA[1:], atol=1e-7)
    assert np.isclose(truth[0], data[0])  # θ₀ is not penalised


def test_the_texts_regularised_cost_rules_after_its_h_line() -> None:
    code, marks, _ = verify_marks(_H + _J_L2 + rf"$$\frac{{\partial J}}{{\partial \theta_j}} = {_DATA}$$")
    assert code == 1 and marks == {1: "✓", 3: "✓", 7: "✗"}


def test_the_right_regularised_gradient_holds() -> None:
    right = rf"$$\frac{{\partial J}}{{\partial \theta_j}} = {_DATA} + \frac{{\lambda}}{{m}}\theta_j \quad (j \ge 1)$$"
    code, marks, _ = verify_marks(_H + _J_L2 + right)
    assert code == 0 and marks == {1: "✓", 3: "✓", 7: "✓"}


def _tempered(body: str) -> str:
    return (
        rf"We use the sigmoid with a temperature $\tau > 0$, $\sigma(z) = {body}$, and the model "
        r"$h_\theta(x) = \sigma(\theta^T x)$." + "\n\n"
        r"$$\frac{d}{dz}\sigma(z) = \sigma(z)(1-\sigma(z))$$" + "\n\n"
        rf"$$J(\theta) = {_CE}$$" + "\n\n"
        rf"$$\frac{{\partial J}}{{\partial \theta_j}} = {_DATA}$$"
    )


def test_a_temperature_divides_the_gradient() -> None:
    def cost(t):
        h = sigmoid(X @ t / TAU)
        return -np.mean(Y * np.log(h) + (1 - Y) * np.log(1 - h))

    written = X.T @ (sigmoid(X @ THETA / TAU) - Y) / len(Y)
    assert np.allclose(central_differences(cost, THETA), written / TAU, atol=1e-7)
    assert not np.allclose(central_differences(cost, THETA), written)
    s = lambda z: sigmoid(z / TAU)  # noqa: E731
    z = 0.8
    assert not np.isclose((s(z + 1e-6) - s(z - 1e-6)) / 2e-6, s(z) * (1 - s(z)))


def test_no_step_holds_under_the_sigmoid_the_text_does_not_use() -> None:
    report = verify_fast(_tempered(r"\frac{1}{1+e^{-z/\tau}}"))
    marks = [(step.line, MARKS[str(step.status)]) for step in report.steps]
    assert report.exit_code == 1 and marks == [(1, "✗"), (1, "?"), (3, "?"), (5, "?"), (7, "?")], str(report)
    assert "'sigmoid' (line 1) is another function" in str(report)


def test_an_unread_temperature_refuses_too() -> None:
    code, marks, _ = verify_marks(_tempered(r"\frac{1}{1+e^{-z/T}}").replace(r"\tau > 0", "T > 0"))
    assert code == 2 and "✓" not in marks.values()


def test_the_real_sigmoid_named_so_keeps_its_steps() -> None:
    code, marks, _ = verify_marks(_tempered(r"\frac{1}{1+e^{-z}}"))
    assert code == 0 and set(marks.values()) == {"✓"}
