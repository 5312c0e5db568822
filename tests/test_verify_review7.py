"""Review 7: x₀ = 1 said in a negated sentence ("we do not assume x_0^{(i)} = 1") is not the assumption.

∂J/∂θ₀ = (1/m)Σ(h − y) is ∂J/∂θ₀ only where x₀⁽ⁱ⁾ = 1; with the features as given it is (1/m)Σ(h − y)x₀⁽ⁱ⁾.
The truth is the test's own central differences on data with x₀ ≠ 1.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from verdicts import sigmoid, verify_marks

RNG = np.random.default_rng(7)
X = RNG.normal(size=(6, 3))
Y = RNG.integers(0, 2, size=6).astype(float)
THETA = RNG.normal(size=3) * 0.5

_J = (
    r"$$J(\theta) = -\frac{1}{m}\sum_{i=1}^{m}"
    r"\left[y^{(i)}\log h_\theta(x^{(i)}) + (1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right]$$"
)
_BIAS = r"$$\frac{\partial J}{\partial \theta_0} = \frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right)$$"


def _text(sentence: str) -> str:
    return r"Logistic regression with $h_\theta(x) = \sigma(\theta^T x)$. " + sentence + "\n\n" + _J + "\n\n" + _BIAS


def test_the_bias_formula_needs_the_column_of_ones() -> None:
    residual = sigmoid(X @ THETA) - Y
    drawn = central_differences(lambda t: cost_on(X, t), THETA)[0]
    assert not np.isclose(drawn, residual.mean())  # x₀ as drawn: not this formula
    ones = np.column_stack([np.ones(6), X[:, 1:]])
    assert np.isclose(central_differences(lambda t: cost_on(ones, t), THETA)[0], (sigmoid(ones @ THETA) - Y).mean())


def cost_on(data, t):
    h = sigmoid(data @ t)
    return -np.mean(Y * np.log(h) + (1 - Y) * np.log(1 - h))


def test_a_negated_x0_is_not_the_assumption() -> None:
    code, marks, _ = verify_marks(_text(r"We do not assume $x_0^{(i)} = 1$: the features are used as given."))
    assert code == 1 and marks[max(marks)] == "✗"


@pytest.mark.parametrize(
    "sentence",
    (
        r"Here $x_0^{(i)} = 1$ is not assumed: the features are used as given.",
        r"$x_0^{(i)} = 1$ does not hold in general.",
    ),
)
def test_x0_denied_after_it_is_not_the_assumption_either(sentence: str) -> None:  # review 8
    code, marks, _ = verify_marks(_text(sentence))
    assert code == 1 and marks[max(marks)] == "✗"


def test_instead_of_a_bias_x0_is_the_assumption() -> None:  # review 8: "instead" does not deny it
    code, marks, _ = verify_marks(_text(r"Instead of a separate bias we set $x_0^{(i)} = 1$."))
    assert code == 0 and marks[max(marks)] == "✓"


def test_the_affirmed_x0_is() -> None:
    code, marks, _ = verify_marks(_text(r"With $x_0^{(i)} = 1$ for every example."))
    assert code == 0 and marks[max(marks)] == "✓"


def test_a_hessian_written_with_its_argument_is_not_a_definition() -> None:
    # review 7: H(θ) = (1/m)XᵀX (S dropped: the Hessian is (1/m)XᵀSX) slipped past the H = … refusal, ":=" rc 0
    text = (
        r"We differentiate once more to get the Hessian." + "\n\n"
        r"$$H(\theta) = \frac{1}{m}X^T X$$"
    )
    code, marks, _ = verify_marks(text)
    assert code == 2 and marks == {3: "?"}


_SIGMA_PRIME = r"$$\sigma'(z) = SIGN\sigma(z)(1-\sigma(z))$$"


@pytest.mark.parametrize(
    ("words", "sign"),
    [
        # review 8: "the sigmoid and its complement is $1/(1+e^z)$" names the complement, not σ: σ′ = +σ(1 − σ)
        (r"Here $\sigma(z)$ denotes the sigmoid and its complement is $\frac{1}{1+e^{z}}$.", ""),
        (r"Here $\sigma(z)$ denotes the sigmoid evaluated at $z$.", ""),
        # σ(z) denotes the text's own 1/(1 + e^z): σ′ = −σ(1 − σ) (central differences in test_where_definitions)
        (r"Here $\sigma(z)$ denotes the squashing function $\frac{1}{1+e^{z}}$.", "-"),
    ],
)
def test_what_sigma_denotes(words: str, sign: str) -> None:
    text = words + "\n\n" + _SIGMA_PRIME
    right = verify_marks(text.replace("SIGN", sign))[1]
    wrong = verify_marks(text.replace("SIGN", "-" if sign == "" else ""))[1]
    assert right[max(right)] == "✓" and wrong[max(wrong)] == "✗"


@pytest.mark.parametrize("name", [r"H_J(\theta)", r"H(\boldsymbol{\theta})"])
def test_other_spellings_of_the_hessian_are_refused_too(name: str) -> None:  # review 8: ":=" rc 0
    text = "We differentiate once more to get the Hessian.\n\n$$" + name + r" = \frac{1}{m}X^T X$$"
    code, marks, _ = verify_marks(text)
    assert code == 2 and marks == {3: "?"}


def test_a_quadratic_h_is_not_read_as_one_feature_linear() -> None:
    # review 8: h = θ₀ + θ₁x + θ₂x² was read as θ₀ + θ₁x (θ₂x² dropped), and ∂J/∂θ₁ without θ₂x² got ✓ rc 0
    x, y, t = RNG.normal(size=5), RNG.normal(size=5), RNG.normal(size=3)

    def cost(th):
        return np.mean((th[0] + th[1] * x + th[2] * x**2 - y) ** 2) / 2

    assert not np.isclose(central_differences(cost, t)[1], np.mean((t[0] + t[1] * x - y) * x))
    text = (
        r"Quadratic regression: $h_\theta(x) = \theta_0 + \theta_1 x + \theta_2 x^2$." + "\n\n"
        r"$$J(\theta) = \frac{1}{2m}\sum_{i=1}^m \left(h_\theta(x^{(i)}) - y^{(i)}\right)^2$$" + "\n\n"
        r"$$\frac{\partial J}{\partial \theta_1} = \frac{1}{m}\sum_{i=1}^m "
        r"\left(\theta_0 + \theta_1 x^{(i)} - y^{(i)}\right) x^{(i)}$$"
    )
    code, marks, _ = verify_marks(text)
    assert code != 0 and marks[max(marks)] != "✓"
