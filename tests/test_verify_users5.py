r"""verify on the tester's fifth round (tester4): update rules are checked, not taken as definitions; Bishop's LMS
update w^{(τ+1)} = w^{(τ)} + η(…); the ML Specialization's f_{w,b}(x) = w·x + b with ∂J/∂b; Bishop's
y_n = σ(a_n),\ a_n = … on one line.  Every expectation is decided here by NumPy central differences of the cost
the document writes, on random data, never by the tool; each right document has a one-slip twin.
"""

from __future__ import annotations

import numpy as np
import pytest

from derivation.proof.verifier import verify_text

RNG = np.random.default_rng(5)
M, N = 6, 3
X = np.column_stack([np.ones(M), RNG.normal(size=(M, N - 1))])
Y = (RNG.random(M) < 0.5).astype(float)
THETA = RNG.normal(size=N) * 0.7


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _numeric_gradient(cost, theta, h=1e-6):
    """Central differences of ``cost`` at ``theta``."""
    out = np.zeros_like(theta)
    for k in range(theta.size):
        step = np.zeros_like(theta)
        step[k] = h
        out[k] = (cost(theta + step) - cost(theta - step)) / (2 * h)
    return out


def _cross_entropy(theta):
    p = _sigmoid(X @ theta)
    return -np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p))


def _descends(step) -> bool:
    """True when θ := θ − α·step is gradient descent on the cross-entropy J: step = ∇J (central differences)."""
    return np.allclose(step, _numeric_gradient(_cross_entropy, THETA), atol=1e-6)


_J = (
    r"$$J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[ y^{(i)}\log h_\theta(x^{(i)}) + (1-y^{(i)})"
    r"\log(1-h_\theta(x^{(i)})) \right], \qquad h_\theta(x) = \sigma(\theta^T x)$$" + "\n\n"
)
_RESIDUALS = {"h - y": _sigmoid(X @ THETA) - Y, "y - h": Y - _sigmoid(X @ THETA)}
_WRITTEN = {"h - y": r"h_\theta(x^{(i)}) - y^{(i)}", "y - h": r"y^{(i)} - h_\theta(x^{(i)})"}
_VECTOR = {"h - y": r"h_\theta(X) - y", "y - h": r"y - h_\theta(X)"}


@pytest.mark.parametrize("residual", ["h - y", "y - h"])
def test_ng_update_rule_is_checked_against_the_cost_gradient(residual):
    step = X.T @ _RESIDUALS[residual] / M  # θ_j := θ_j − α(1/m)Σ(residual)x_j, all j at once
    text = _J + (
        r"$$\theta_j := \theta_j - \alpha \frac{1}{m}\sum_{i=1}^m \left(" + _WRITTEN[residual] + r"\right) x_j^{(i)}$$"
    )
    report = verify_text(text, rules=False)
    update = report.steps[-1]
    if _descends(step):
        assert report.exit_code == 0 and update.status == "holds"
    else:
        assert report.exit_code == 1 and update.status == "fails"
        assert "climbs J" in update.diagnosis.message


@pytest.mark.parametrize("residual", ["h - y", "y - h"])
def test_where_g_and_the_update_along_it_are_checked(residual):
    step = X.T @ _RESIDUALS[residual] / M
    text = _J + (r"$$\theta := \theta - \alpha g, \quad \text{where } g = \frac{1}{m}X^T(" + _VECTOR[residual] + ")$$")
    report = verify_text(text, rules=False)
    checked = [s for s in report.steps if s.line == 3]
    assert [s.status for s in checked] == ["holds" if _descends(step) else "fails"] * 2
    assert report.exit_code == (0 if _descends(step) else 1)


@pytest.mark.parametrize("sign", ["+", "-"])
def test_bishop_lms_update_of_one_example(sign):
    # E_D = ½Σ_n (t_n − wᵀφ_n)²; SGD on example n steps along −∇E_n: w := w − η∇E_n
    phi, t, w = X[1], 0.4, THETA

    def term(v):
        return 0.5 * (t - v @ phi) ** 2

    direction = (1 if sign == "+" else -1) * (t - w @ phi) * phi  # w^{(τ+1)} − w^{(τ)}, per unit η
    right = np.allclose(direction, -_numeric_gradient(term, w), atol=1e-6)
    text = (
        r"For $E_D(\mathbf{w}) = \frac{1}{2}\sum_{n=1}^{N}\{t_n - \mathbf{w}^{\mathrm{T}}\boldsymbol{\phi}_n\}^2$:"
        + "\n\n$$\\mathbf{w}^{(\\tau+1)} = \\mathbf{w}^{(\\tau)} "
        + sign
        + r" \eta\,(t_n - \mathbf{w}^{(\tau)\mathrm{T}}\boldsymbol{\phi}_n)\boldsymbol{\phi}_n$$"
    )
    report = verify_text(text, rules=False)
    assert report.steps[-1].status == ("holds" if right else "fails")
    assert report.exit_code == (0 if right else 1)


@pytest.mark.parametrize("residual", ["f - y", "y - f"])
def test_mls_bias_derivative(residual):
    # J(w, b) = (1/2m)Σ(w·x + b − y)², ∂J/∂b by central differences in b
    features, w, b = X[:, 1:], THETA[1:], THETA[0]

    def cost(v):
        return np.mean((features @ w + v[0] - Y) ** 2) / 2

    sign = 1 if residual == "f - y" else -1
    written = sign * np.mean(features @ w + b - Y)
    right = np.isclose(written, _numeric_gradient(cost, np.array([b]))[0], atol=1e-6)
    f = r"f_{\vec{w},b}(\vec{x}^{(i)})"
    inner = f"{f} - y^{{(i)}}" if residual == "f - y" else f"y^{{(i)}} - {f}"
    text = (
        r"The model is $f_{\vec{w},b}(\vec{x}) = \vec{w} \cdot \vec{x} + b$ and"
        + "\n\n$$J(\\vec{w},b) = \\frac{1}{2m} \\sum_{i=1}^{m} \\left("
        + f
        + r" - y^{(i)}\right)^2$$"
        + "\n\n$$\\frac{\\partial J(\\vec{w},b)}{\\partial b} = \\frac{1}{m} \\sum_{i=1}^{m} \\left("
        + inner
        + r"\right)$$"
    )
    report = verify_text(text, rules=False)
    assert [s.status for s in report.steps] == ["holds", "holds", "holds" if right else "fails"]


@pytest.mark.parametrize("numerator", ["y_n - t_n", "t_n - y_n"])
def test_bishop_definitions_listed_on_one_line(numerator):
    # E_n = −[t ln y + (1 − t) ln(1 − y)]: ∂E/∂y by central differences in y
    t, y = 1.0, 0.3

    def cost(v):
        return -(t * np.log(v[0]) + (1 - t) * np.log(1 - v[0]))

    written = ((y - t) if numerator == "y_n - t_n" else (t - y)) / (y * (1 - y))
    right = np.isclose(written, _numeric_gradient(cost, np.array([y]))[0], atol=1e-5)
    text = (
        r"\begin{equation}E(\mathbf{w}) = -\sum_{n=1}^{N} \left\{ t_n \ln y_n + (1-t_n)\ln(1-y_n) \right\}, "
        r"\qquad y_n = \sigma(a_n),\ a_n = \mathbf{w}^{\mathrm{T}}\bm{\phi}_n .\end{equation}" + "\n"
        r"\begin{align*}\frac{\partial E}{\partial y_n} &= -\frac{t_n}{y_n} + \frac{1-t_n}{1-y_n} = \frac{"
        + numerator
        + r"}{y_n(1-y_n)}, \\"
        "\n"
        r"\frac{\partial y_n}{\partial a_n} &= y_n(1-y_n)\end{align*}"
    )
    report = verify_text(text, rules=False)
    lefts = {s.lhs.strip(): s for s in report.steps}
    assert {"y_n", "a_n"} <= set(lefts)  # two definitions, not one chain y_n = σ(a_n), a_n = …
    simplified = next(s for s in report.steps if numerator in s.rhs)
    assert simplified.status == ("holds" if right else "fails")
    assert lefts[r"\frac{\partial y_n}{\partial a_n}"].status != "fails"
