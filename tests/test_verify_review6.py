"""Review 6 (and tester 11) in verify: the text's own σ written in ways the reader did not see, and the one-feature
logistic h_θ(x) = σ(θ₀ + θ₁x) with a scalar x⁽ⁱ⁾.

Expected verdicts from central differences in NumPy here, never from the tool: with the text's σ(z) = 1/(1 + e^{z}),
σ′ = −σ(1 − σ) (not σ(1 − σ)) and ∂J/∂θ_j = (1/m)Σ(y⁽ⁱ⁾ − h)x_j⁽ⁱ⁾ (the usual (h − y) is −1 × it); with the sigmoid and
h = σ(θ₀ + θ₁x), ∂J/∂θ₁ = (1/m)Σ(h − y)x⁽ⁱ⁾ and ∂J/∂θ₀ = (1/m)Σ(h − y), x⁽ⁱ⁾ one number."""

from __future__ import annotations

import numpy as np
import pytest
from verdicts import sigmoid, verify_fast

from derivation.proof.verifier import DEFINITION, FAILS, HOLDS


def _own_sigma(z):
    return 1 / (1 + np.exp(z))  # the text's σ, not the sigmoid


def _central(f, at, h=1e-6):
    return np.array([(f(at + e) - f(at - e)) / (2 * h) for e in np.eye(len(at)) * h])


def _cross_entropy(squash, features, y):
    def cost(theta):
        p = squash(features @ theta)
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    return cost


def _data(columns: int, seed: int = 5):
    rng = np.random.default_rng(seed)
    m = 7
    X = np.column_stack([np.ones(m), rng.normal(size=(m, columns - 1))])
    return X, rng.integers(0, 2, m).astype(float), rng.normal(size=columns)


def test_truth_under_the_texts_sigma():
    X, y, theta = _data(3)
    central, h = _central(_cross_entropy(_own_sigma, X, y), theta), _own_sigma(X @ theta)
    assert np.allclose(central, X.T @ (y - h) / len(y), atol=1e-7)
    assert not np.allclose(central, X.T @ (h - y) / len(y), atol=1e-3)
    z = np.linspace(-2, 2, 9)
    derivative = (_own_sigma(z + 1e-6) - _own_sigma(z - 1e-6)) / 2e-6
    assert np.allclose(derivative, -_own_sigma(z) * (1 - _own_sigma(z)))
    assert not np.allclose(derivative, _own_sigma(z) * (1 - _own_sigma(z)), atol=1e-3)


# the reviewer's texts: σ defined in line 3, σ′ on line 7, J on line 11, ∂J/∂θ_j on line 15
_SAID = {
    "mapsto": r"In this note $\sigma: z \mapsto \frac{1}{1+e^{z}}$ is our squashing function, and we take the model "
    r"$h_\theta(x) = \sigma(\theta^T x)$.",
    "denotes": r"In this note $\sigma(z)$ denotes $\frac{1}{1+e^{z}}$, and we take the model "
    r"$h_\theta(x) = \sigma(\theta^T x)$.",
    "denotes the": r"In this note $\sigma(z)$ denotes the squashing function $\frac{1}{1+e^{z}}$, and we take the "
    r"model $h_\theta(x) = \sigma(\theta^T x)$.",
    "unicode": r"In this note we define $σ(z) = \frac{1}{1+e^{z}}$ and the model $h_\theta(x) = \sigma(\theta^T x)$.",
    "xi": r"In this note we define $\sigma(\xi) = \frac{1}{1+e^{\xi}}$ and the model "
    r"$h_\theta(x) = \sigma(\theta^T x)$.",
    "three": r"In this note we define $\sigma(z) = \frac{1}{1+e^{z}} = \frac{e^{-z}}{e^{-z}+1}$ and the model "
    r"$h_\theta(x) = \sigma(\theta^T x)$.",
}
_TEXT = (
    "# Logistic regression with our own squashing function\n\n%s\n\nFirst the derivative of the squashing function:\n\n"
    r"$$\sigma'(z) = %s\sigma(z)(1-\sigma(z))$$" + "\n\nThe cost is\n\n"
    r"$$J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}\log h_\theta(x^{(i)}) + (1-y^{(i)})"
    r"\log(1-h_\theta(x^{(i)}))\right]$$" + "\n\nand its gradient is\n\n"
    r"$$\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m %s x_j^{(i)}$$" + "\n"
)
_WRONG = ("", r"(h_\theta(x^{(i)}) - y^{(i)})")  # σ(1 − σ) and (h − y): the sigmoid's
_RIGHT = ("-", r"(y^{(i)} - h_\theta(x^{(i)}))")


@pytest.mark.parametrize("name", ["g", r"\sigma"])
@pytest.mark.parametrize("way", sorted(_SAID))
@pytest.mark.parametrize("right", [False, True])
def test_the_texts_sigma_however_written_rules_its_steps(way, name, right):
    """s2_mapsto, s2_denotes (✓ rc 0), s6_1_u, s1_xi, s4_three (definition ✗, then ✓ under the sigmoid): σ′ and the
    gradient are judged under the text's σ (or g), the wrong ones never ✓, their right twins ✓."""
    text = _TEXT % (_SAID[way], *(_RIGHT if right else _WRONG))
    report = verify_fast(text if name == r"\sigma" else text.replace(r"\sigma", "g").replace("σ", "g"))
    by_line = {}
    for step in report.steps:
        by_line.setdefault(step.line, []).append(step.status)
    assert by_line[7] == [HOLDS if right else FAILS] and by_line[15] == [HOLDS if right else FAILS]
    assert by_line[11] == [DEFINITION]
    if way == "three":  # σ(z) = 1/(1 + e^{z}) = e^{−z}/(e^{−z} + 1): the first side the definition, the second a claim
        assert by_line[3][:2] == [DEFINITION, HOLDS]


def test_a_sigmoid_said_in_words_stays_the_sigmoid():
    for way in ("mapsto", "denotes"):
        said = _SAID[way].replace("1+e^{z}", "1+e^{-z}")
        report = verify_fast(_TEXT % (said, *_WRONG))
        assert {s.status for s in report.steps} <= {HOLDS, DEFINITION}


def test_truth_one_feature_logistic():
    X, y, theta = _data(2)
    central, h = _central(_cross_entropy(sigmoid, X, y), theta), sigmoid(X @ theta)
    x = X[:, 1]  # one number per example
    assert np.isclose(central[0], np.mean(h - y)) and np.isclose(central[1], np.mean((h - y) * x))
    assert not np.isclose(central[1], np.mean((h - y) * x) / 2)  # 1/(2m)
    assert not np.isclose(central[0], np.mean((h - y) * x))  # θ₀ with x
    own = _central(_cross_entropy(_own_sigma, X, y), theta)  # σ(z) = 1/(1 + e^{z}) of the text: the sign flips
    assert np.isclose(own[0], np.mean(y - _own_sigma(X @ theta)))


# tester 11's v12/v72: h_θ(x) = σ(θ₀ + θ₁x), x⁽ⁱ⁾ a number; the x⁽ⁱ⁾ was read as x_j⁽ⁱ⁾ beside a scalar x (a false ✗)
_ONE = (
    r"Here %s$h_\theta(x) = \sigma(\theta_0 + \theta_1 x)$ and $J = -\frac{1}{m}\sum_{i=1}^{m}\left(y^{(i)}\log "
    r"h_\theta(x^{(i)}) + (1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right)$." + "\n\n"
    r"$$\frac{\partial J}{\partial \theta_1} = -\frac{1}{m} \sum_{i=1}^{m} \left( y^{(i)} (1 - h_{\theta}(x^{(i)})) "
    r"x^{(i)}  - (1-y^{(i)}) h_{\theta}(x^{(i)}) x^{(i)} \right) $$" + "\n"
    r"$$= %s \sum_{i=1}^{m} ( h_{\theta}(x^{(i)}) - y^{(i)} ) x^{(i)}.  $$" + "\n\n"
    r"$$\frac{\partial J}{\partial \theta_0} = \frac{1}{m} \sum_{i=1}^{m} ( h_{\theta}(x^{(i)}) - y^{(i)} )%s$$" + "\n"
)


@pytest.mark.parametrize(
    ("fraction", "bias_x", "verdicts"),
    [
        (r"\frac{1}{m}", "", [HOLDS, HOLDS, HOLDS]),
        (r"\frac{1}{2m}", "", [HOLDS, FAILS, HOLDS]),
        (r"\frac{1}{m}", r" x^{(i)}", [HOLDS, HOLDS, FAILS]),
    ],
)
def test_one_feature_logistic_keeps_its_sigma_and_scalar_x(fraction, bias_x, verdicts):
    report = verify_fast(_ONE % ("", fraction, bias_x))
    checked = [s.status for s in report.steps if s.status != DEFINITION]
    assert checked == verdicts


def test_one_feature_logistic_under_the_texts_own_sigma():
    """σ(z) = 1/(1 + e^{z}) of the text inside σ(θ₀ + θ₁x): (h − y) is −1 × the gradient, so ✗ (the sign)."""
    report = verify_fast(_ONE % (r"$\sigma(z) = \frac{1}{1+e^{z}}$, ", r"\frac{1}{m}", ""))
    checked = [s.status for s in report.steps if s.status != DEFINITION]
    assert checked[0] == FAILS and checked[-1] == FAILS
