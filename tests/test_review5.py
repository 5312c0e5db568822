"""The last review's false ✓ of the day: the text's own g differentiated with a prime, and "the j-th component"
said of x (not of the gradient) switching off the ∇-with-x_j rule.

Expected verdicts from central differences in NumPy here: for g(z) = 1/(1 + e^{z}), g′(z) = −g(z)(1 − g(z)); ∇_θ J is
a vector, so a right side with the one number x_j⁽ⁱ⁾ is false as written."""

from __future__ import annotations

import numpy as np
import pytest

from derivation.proof.verifier import verify_text

OWN_G = r"Let $g(z) = \frac{1}{1 + e^{z}}$." + "\n\n$$g'(z) = %s$$\n"


def _g(z):
    return 1 / (1 + np.exp(z))


def test_the_own_g_prime_is_minus_g_one_minus_g():
    z, h = np.linspace(-2, 2, 9), 1e-6
    central = (_g(z + h) - _g(z - h)) / (2 * h)
    assert np.allclose(central, -_g(z) * (1 - _g(z)), atol=1e-8)
    assert not np.allclose(central, _g(z) * (1 - _g(z)), atol=1e-3)


@pytest.mark.parametrize(("right", "status"), [("g(z)(1 - g(z))", "fails"), ("-g(z)(1 - g(z))", "holds")])
def test_the_texts_own_g_is_differentiated_as_defined_not_as_sigma(right, status):
    report = verify_text(OWN_G % right)
    assert [s.status for s in report.steps if s.line == 3] == [status]


NABLA = r"$$\nabla_\theta J(\theta) = \frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}$$"


@pytest.mark.parametrize(
    ("prose", "ok"),
    [
        (r"Here $x_j^{(i)}$ is the $j$-th component of the feature vector $x^{(i)}$.", False),
        (r"Below, the $j$-th component of the gradient:", True),
    ],
)
def test_the_j_th_component_switches_the_rule_off_only_when_said_of_the_gradient(prose, ok):
    report = verify_text(f"{prose}\n\n{NABLA}\n")
    assert report.ok is ok


def test_the_own_g_prime_at_an_expression_is_not_understood_and_says_what_to_write():
    report = verify_text(
        r"Let $g(z) = \frac{1}{1 + e^{z}}$." + "\n\n$$g'(\\theta^T x) = g(\\theta^T x)(1 - g(\\theta^T x))$$\n"
    )
    (step,) = [s for s in report.steps if s.line == 3]
    assert step.status == "not understood" and not report.ok


@pytest.mark.parametrize("sign", ["-", ""])
def test_an_entry_of_a_vector_prediction_the_text_defines_is_not_read_as_the_models(sign):
    """ŷ = σ(−Xθ) then (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)x⁽ⁱ⁾: ŷ⁽ⁱ⁾ was read as logistic's σ(θᵀx⁽ⁱ⁾), a ✓ whatever the text defined."""
    text = (
        rf"Let $\hat{{y}} = \sigma({sign}X\theta)$ be the vector of predictions." + "\n\n"
        r"$$\nabla_\theta J = \frac{1}{m}\sum_{i=1}^m (\hat{y}^{(i)} - y^{(i)}) x^{(i)}$$" + "\n"
    )
    report = verify_text(text)
    assert [s.status for s in report.steps if s.line == 3] == ["not understood"]
