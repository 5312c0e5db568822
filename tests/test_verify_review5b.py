"""Review 5's leftovers in verify: a σ the text redefines, and "θ_j = 0 for all j" said of the starting values.

Expected verdicts from central differences in NumPy here, never from the tool: with the text's σ(z) = 1/(1 + e^{z}),
h = σ(θᵀx) and J the cross-entropy written with that h, ∂J/∂θ_j = (1/m)Σ(y⁽ⁱ⁾ − h)x_j⁽ⁱ⁾ (the usual (h − y) is
−1 × it); ∇_θ J is a vector, so a right side with the one number x_j⁽ⁱ⁾ is false as written."""

from __future__ import annotations

import numpy as np
import pytest

from derivation.proof.verifier import DEFINITION, FAILS, HOLDS, NOT_UNDERSTOOD, verify_text


def _own_sigma(z):
    return 1 / (1 + np.exp(z))  # the text's σ, not the sigmoid


def _data(seed: int = 3):
    rng = np.random.default_rng(seed)
    m, p = 6, 3
    X = np.column_stack([np.ones(m), rng.normal(size=(m, p - 1))])
    return X, rng.integers(0, 2, m).astype(float), rng.normal(size=p)


def _own_cost(theta, features, y):
    h = _own_sigma(features @ theta)
    return -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))


def test_under_the_texts_sigma_the_gradient_is_y_minus_h():
    X, y, theta = _data()
    central = np.array([(_own_cost(theta + e, X, y) - _own_cost(theta - e, X, y)) / 2e-6 for e in np.eye(3) * 1e-6])
    h = _own_sigma(X @ theta)
    assert np.allclose(central, X.T @ (y - h) / len(y), atol=1e-7)
    assert not np.allclose(central, X.T @ (h - y) / len(y), atol=1e-3)
    z = np.linspace(-2, 2, 9)  # σ′ of the text's σ: −σ(1 − σ)
    assert np.allclose((_own_sigma(z + 1e-6) - _own_sigma(z - 1e-6)) / 2e-6, -_own_sigma(z) * (1 - _own_sigma(z)))


OWN_SIGMA = (
    r"Let $h_\theta(x) = \sigma(\theta^T x)$, where $\sigma(z) = \frac{1}{1 + e^{z}}$." + "\n\n"
    r"$$J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[ y^{(i)} \log h_\theta(x^{(i)}) "
    r"+ (1 - y^{(i)}) \log(1 - h_\theta(x^{(i)})) \right]$$" + "\n\n"
    r"$$\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m %s x_j^{(i)}$$" + "\n"
)


@pytest.mark.parametrize(
    ("difference", "status"),
    [(r"(h_\theta(x^{(i)}) - y^{(i)})", FAILS), (r"(y^{(i)} - h_\theta(x^{(i)}))", HOLDS)],
)
def test_a_sigma_the_text_redefines_rules_its_steps_and_its_definition_is_not_a_step(difference, status):
    """review5 a4: σ(z) = 1/(1 + e^{z}) was ✗ as a claim and the J and (h − y)x_j steps ✓ under the sigmoid."""
    report = verify_text(OWN_SIGMA % difference)
    by_line = {s.line: s.status for s in report.steps if s.line != 1}
    assert by_line == {3: DEFINITION, 5: status}
    assert all(s.status == DEFINITION for s in report.steps if s.line == 1)


OWN_SIGMA_PRIME = r"Let $\sigma(z) = \frac{1}{1 + e^{z}}$." + "\n\n$$\\sigma'(z) = %s$$\n"


@pytest.mark.parametrize(
    ("right", "status"), [(r"\sigma(z)(1 - \sigma(z))", FAILS), (r"-\sigma(z)(1 - \sigma(z))", HOLDS)]
)
def test_the_prime_of_a_redefined_sigma_is_the_derivative_of_the_texts_sigma(right, status):
    report = verify_text(OWN_SIGMA_PRIME % right)
    assert [s.status for s in report.steps if s.line == 3] == [status]


def test_a_bare_sigma_under_the_texts_own_sigma_is_not_read_as_the_sigmoid():
    text = (
        r"Let $\sigma(z) = \frac{1}{1 + e^{z}}$ and $h = \sigma(z)$."
        + "\n\n$$\\frac{dh}{dz} = \\sigma(1 - \\sigma)$$\n"
    )
    report = verify_text(text)
    assert [s.status for s in report.steps if s.line == 3] == [NOT_UNDERSTOOD] and not report.ok


@pytest.mark.parametrize("difference", ["h - y", "y - h"])
def test_the_models_cost_under_the_texts_sigma_is_refused_in_words(difference):
    """review5 a7: h = σ(Xθ) with the text's σ and no J written: the model's J is the sigmoid's cost, so neither
    (1/m)Xᵀ(h − y) (the sigmoid's gradient) nor (1/m)Xᵀ(y − h) (the text-σ cost's) is judged against it."""
    text = (
        r"Let $h = \sigma(X\theta)$, where $\sigma(z) = \frac{1}{1 + e^{z}}$." + "\n\n"
        rf"$$\nabla_\theta J = \frac{{1}}{{m}} X^T ({difference})$$" + "\n"
    )
    report = verify_text(text)
    assert [s.status for s in report.steps if s.line == 1] == [DEFINITION, DEFINITION]
    (step,) = [s for s in report.steps if s.line == 3]
    assert step.status == NOT_UNDERSTOOD and "its own σ" in step.unreadable.message and not report.ok


STARTING = r"We start from $\theta_j = 0$ for all $j$." + "\n\n$$%s = \\frac{1}{m}\\sum_{i=1}^m %s$$\n"
ERROR = r"\left(h_\theta(x^{(i)}) - y^{(i)}\right)"


@pytest.mark.parametrize(
    ("left", "right", "ok"),
    [
        (r"\nabla_\theta J(\theta)", ERROR + r" x_j^{(i)}", False),  # one number for the vector ∇_θ J
        (r"\nabla_\theta J(\theta)", ERROR + r" x^{(i)}", True),
        (r"\frac{\partial J}{\partial \theta_j}", ERROR + r" x_j^{(i)}", True),
    ],
)
def test_for_all_j_of_the_starting_values_does_not_switch_the_gradient_rule_off(left, right, ok):
    """review5 f3: 'θ_j = 0 for all j' is said of the initial values, not of the gradient's entries."""
    report = verify_text(STARTING % (left, right))
    assert report.ok is ok


def test_the_logistic_gradient_is_the_vector_of_h_minus_y_times_x():
    X, y, theta = _data()

    def cost(t):
        h = 1 / (1 + np.exp(-(X @ t)))
        return -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))

    central = np.array([(cost(theta + e) - cost(theta - e)) / 2e-6 for e in np.eye(3) * 1e-6])
    assert np.allclose(central, X.T @ (1 / (1 + np.exp(-(X @ theta))) - y) / len(y), atol=1e-7)


def test_with_a_temperature_the_usual_gradient_is_off_by_one_over_t():
    X, y, theta = _data()
    t = 2.5

    def cost(th):
        h = 1 / (1 + np.exp(-(X @ th) / t))
        return -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))

    central = np.array([(cost(theta + e) - cost(theta - e)) / 2e-6 for e in np.eye(3) * 1e-6])
    h = 1 / (1 + np.exp(-(X @ theta) / t))
    assert np.allclose(central, X.T @ (h - y) / (len(y) * t), atol=1e-7)
    assert not np.allclose(central, X.T @ (h - y) / len(y), atol=1e-3)


@pytest.mark.parametrize("scale", [r"\frac{1}{m}", r"\frac{1}{mT}"])
def test_a_sigma_the_reader_cannot_put_in_refuses_the_steps_that_use_the_models_h(scale):
    """σ(z) = 1/(1 + e^{−z/T}) (two free letters): the steps were read with the sigmoid, (1/m)Σ(h − y)x_j ✓."""
    text = (
        r"Let $h_\theta(x) = \sigma(\theta^T x)$, where $\sigma(z) = \frac{1}{1 + e^{-z/T}}$." + "\n\n"
        rf"$$\frac{{\partial J}}{{\partial \theta_j}} = {scale}"
        r"\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}$$" + "\n"
    )
    report = verify_text(text)
    assert HOLDS not in [s.status for s in report.steps] and not report.ok
    (step,) = [s for s in report.steps if s.line == 3]
    assert step.status == NOT_UNDERSTOOD and "its own σ or g" in step.unreadable.message
