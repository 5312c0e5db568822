r"""verify on an eighth tester's documents: backprop through one and two sigmoid units in the text's own letters
(w, u, v, θ₁, θ₂), with layer names a_1, z_2, δ_1 and a^{(1)}, δ^{(2)} the text defines, typed in Unicode plain text
too; UW's ridge in w, J(w) = (y − Xw)ᵀ(y − Xw) + λwᵀw; Poisson with η_i, λ_i named in prose; an elastic net with
‖Xθ − y‖₂², ‖θ‖₁ and λ₁ sign(θ).

Each was flagged on a right line (w sampled apart from the ∂/∂θ, a_2 read as entry 2 of a vector a, z^{(1)} as a
power, J read as the default model's) or refused.  Which line of each text is right is decided here by NumPy central
differences on random numbers, never by the tool: a right text's checked steps all hold, its one-slip twin's first
wrong step is the slip's line.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from central import central_differences
from line_verdicts import assert_lines

from derivation.proof.verifier import verify_text

RNG = np.random.default_rng(11)
M, P = 7, 3
X = RNG.normal(size=(M, P))
Y = RNG.normal(size=M)
COUNTS = RNG.poisson(2.0, size=M).astype(float)
THETA = RNG.normal(size=P) * 0.5
LAM, LAM1, LAM2 = 0.7, 0.3, 0.9


def _verify(text: str, hypothesis: str | None = None):
    """The verdicts only (no rule names, no slip diagnosis): what the per-line expectations are about, and fast."""
    return verify_text(text, hypothesis=hypothesis, explain=False, rules=False)


def _close(a, b) -> bool:
    return bool(np.allclose(a, b, rtol=1e-5, atol=1e-7))


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def _d(f, at: float) -> float:
    """df/dv at ``at`` by central differences."""
    return float(central_differences(lambda v: f(v[0]), np.array([at]))[0])


# --- 1. one sigmoid unit, its weight the letter w --------------------------------------------------------------------

ONE_UNIT = r"""One sigmoid unit with a scalar weight and squared error:

$$z = w x, \quad a = \sigma(z), \quad E = \frac{1}{2}(a - y)^2$$

$$\frac{\partial E}{\partial w} = (a - y)\,a(ONE - a)\,x$$
"""


def _one_unit(slip: bool) -> list[tuple[int, bool]]:
    """Line 5; the slip writes a(1 + a) for σ′."""
    w, x, y = 0.8, -1.3, 0.4
    a = _sigmoid(w * x)
    written = (a - y) * a * ((1 + a) if slip else (1 - a)) * x
    return [(5, _close(written, _d(lambda v: 0.5 * (_sigmoid(v * x) - y) ** 2, w)))]


@pytest.mark.parametrize("slip", [False, True])
def test_one_unit_in_w(slip):
    text = ONE_UNIT.replace("ONE - a", "1 + a" if slip else "1 - a")
    assert_lines(_verify(text), _one_unit(slip))


# --- 2. two units, the layers' names written with subscripts ---------------------------------------------------------

TWO_UNITS = r"""A network with one hidden unit, sigmoid activations and squared error. Forward pass:

$$z_1 = FIRST x, \quad a_1 = \sigma(z_1), \quad z_2 = SECOND a_1, \quad a_2 = \sigma(z_2), \quad E = \frac{1}{2}(a_2 - y)^2$$

Output layer:

$$\frac{\partial E}{\partial SECOND} = (a_2 - y)\,a_2(1 - a_2)\,a_1$$

Hidden layer, one more link in the chain:

$$\frac{\partial E}{\partial FIRST} = (a_2 - y)\,a_2(1 - a_2)\,BACK a_1(1 - a_1)\,x$$
"""  # noqa: E501 (the text as the user wrote it)


def _two_units(slip: bool) -> list[tuple[int, bool]]:
    """Lines 7 and 11; the slip drops the weight w₂ from the hidden unit's chain (line 11)."""
    w1, w2, x, y = 0.9, -1.2, 0.7, 0.3
    a1 = _sigmoid(w1 * x)
    a2 = _sigmoid(w2 * a1)
    error = lambda u, v: 0.5 * (_sigmoid(v * _sigmoid(u * x)) - y) ** 2  # noqa: E731
    line7 = _close((a2 - y) * a2 * (1 - a2) * a1, _d(lambda v: error(w1, v), w2))
    written = (a2 - y) * a2 * (1 - a2) * (1 if slip else w2) * a1 * (1 - a1) * x
    return [(7, line7), (11, _close(written, _d(lambda u: error(u, w2), w1)))]


@pytest.mark.parametrize(
    "first, second, slip",
    [("w_1", "w_2", False), ("w_1", "w_2", True), ("u", "v", False), (r"\theta_1", r"\theta_2", True)],
)
def test_two_units_subscripted_layers(first, second, slip):
    text = TWO_UNITS.replace("FIRST", first).replace("SECOND", second)
    text = text.replace("BACK", "" if slip else rf"{second}\,")
    assert_lines(_verify(text), _two_units(slip))


# --- 3. the errors δ of the layers, subscripted or in parentheses ----------------------------------------------------

DELTAS = r"""Two layers, sigmoid hidden unit, sigmoid output with cross-entropy. For one example,

$$z_1 = W1 x, \quad a_1 = \sigma(z_1), \quad z_2 = W2 a_1, \quad a_2 = \sigma(z_2)$$

$$L = -y\log a_2 - (1-y)\log(1-a_2)$$

The output error is

$$\delta_2 = \frac{\partial L}{\partial z_2} = a_2 - y$$

and it is sent back through the weight:

$$\delta_1 = \frac{\partial L}{\partial z_1} = W2\delta_2SIGMA$$

$$\frac{\partial L}{\partial W2} = \delta_2a_1$$

$$\frac{\partial L}{\partial W1} = \delta_1x$$
"""


def _deltas(slip: bool) -> list[tuple[int, bool]]:
    """Lines 9, 13, 15, 17; the slip writes σ(z₁)(1 − z₁) for σ′(z₁) on line 13."""
    w1, w2, x, y = 0.9, -1.2, 0.7, 1.0
    z1 = w1 * x
    a1 = _sigmoid(z1)
    z2 = w2 * a1
    a2 = _sigmoid(z2)
    loss = lambda a: -y * math.log(a) - (1 - y) * math.log(1 - a)  # noqa: E731
    delta2 = _d(lambda z: loss(_sigmoid(z)), z2)
    delta1 = _d(lambda z: loss(_sigmoid(w2 * _sigmoid(z))), z1)
    written = w2 * delta2 * (a1 * (1 - z1) if slip else a1 * (1 - a1))
    by_w2 = _d(lambda v: loss(_sigmoid(v * a1)), w2)
    by_w1 = _d(lambda u: loss(_sigmoid(w2 * _sigmoid(u * x))), w1)
    return [
        (9, _close(a2 - y, delta2)),
        (13, _close(written, delta1)),
        (15, _close(delta2 * a1, by_w2)),
        (17, _close(delta1 * x, by_w1)),
    ]


def _layers_in_parentheses(text: str) -> str:
    """The same text with the layers on top, as in compphysics' notes: z^{(1)}, δ^{(2)}, w^{(2)}, and ∇_{w^{(2)}} L."""
    for letter in ("z", "a", r"\delta", "w"):
        for layer in "12":
            text = text.replace(f"{letter}_{layer}", f"{letter}^{{({layer})}}")
    return text.replace(r"\frac{\partial L}{\partial w^{(2)}}", r"\nabla_{w^{(2)}} L")


@pytest.mark.parametrize(
    "weights, parenthesised, slip",
    [
        (("u", "v"), False, False),
        (("u", "v"), False, True),
        (("w_1", "w_2"), True, False),
        (("w_1", "w_2"), True, True),
    ],
)
def test_layer_errors(weights, parenthesised, slip):
    sigma = r"\sigma(z_1)(1 - z_1)" if slip else "a_1(1 - a_1)"
    text = DELTAS.replace("SIGMA", sigma).replace("W1", weights[0]).replace("W2", weights[1])
    text = _layers_in_parentheses(text) if parenthesised else text
    assert_lines(_verify(text), _deltas(slip))


UNICODE = """Forward: z₁ = w₁x, a₁ = σ(z₁), z₂ = w₂a₁, a₂ = σ(z₂), L = −y log a₂ − (1 − y) log(1 − a₂)

δ₂ = ∂L/∂z₂ = a₂ − y
∂L/∂w₂ = δ₂ LAST
δ₁ = ∂L/∂z₁ = δ₂ w₂ a₁(1 − a₁)
∂L/∂w₁ = δ₁ x
"""


@pytest.mark.parametrize("slip", [False, True])
def test_unicode_plain_backprop(slip):
    """The same, typed in plain text: lines 3–6; the slip writes δ₂w₂ for δ₂a₁ on line 4."""
    claims = dict(_deltas(False))
    w1, w2, x, y = 0.9, -1.2, 0.7, 1.0
    a1 = _sigmoid(w1 * x)
    delta2 = _sigmoid(w2 * a1) - y
    by_w2 = _d(lambda v: -y * math.log(_sigmoid(v * a1)) - (1 - y) * math.log(1 - _sigmoid(v * a1)), w2)
    line4 = _close(delta2 * (w2 if slip else a1), by_w2)
    report = _verify(UNICODE.replace("LAST", "w₂" if slip else "a₁"))
    assert_lines(report, [(3, claims[9]), (4, line4), (5, claims[13]), (6, claims[17])])


# --- 4. UW's ridge in w ----------------------------------------------------------------------------------------------

RIDGE = r"""Ridge regression. The total cost is

$$J(w) = (y - Xw)^T(y - Xw) + \lambda w^T w$$

Expanding the residual sum of squares,

$$J(w) = y^T y - 2w^T X^T y + w^T X^T X w + \lambda w^T w$$

$$\nabla_w J(w) = -2X^T y + 2X^T X w + 2\lambda w$$

$$= -2X^T(y - Xw) + LAST\lambda w$$
"""


def test_ridge_in_w():
    """Lines 7, 9, 11 against central differences of the text's J; the slip writes λw for 2λw on line 11."""
    cost = lambda w: (Y - X @ w) @ (Y - X @ w) + LAM * w @ w  # noqa: E731
    w = THETA
    by_w = central_differences(cost, w)
    line7 = _close(Y @ Y - 2 * w @ X.T @ Y + w @ X.T @ X @ w + LAM * w @ w, cost(w))
    line9 = _close(-2 * X.T @ Y + 2 * X.T @ X @ w + 2 * LAM * w, by_w)
    for slip in (False, True):
        line11 = _close(-2 * X.T @ (Y - X @ w) + (1 if slip else 2) * LAM * w, by_w)
        report = _verify(RIDGE.replace("LAST", "" if slip else "2"))
        assert_lines(report, [(7, line7), (9, line9), (11, line11)])


# --- 5. Poisson with η_i and λ_i named in prose ----------------------------------------------------------------------

POISSON = r"""Poisson regression. For example $i$ let $\eta_i = \theta^T x^{(i)}$, and write $\lambda_i = e^{\eta_i}$ for its mean. The negative log-likelihood, dropping $\log y^{(i)}!$, is

$$J(\theta) = \sum_{i=1}^m\left(\lambda_i - y^{(i)}\eta_i\right)$$

$$\frac{\partial J}{\partial \theta_j} = \sum_{i=1}^m\left(\lambda_i x_j^{(i)} - y^{(i)}x_j^{(i)}\right) = \sum_{i=1}^m\left(e^{\theta^T x^{(i)}} - y^{(i)}\right)LAST$$
"""  # noqa: E501 (the text as the user wrote it)


@pytest.mark.parametrize("hypothesis", [None, "poisson"])
def test_poisson_with_named_terms(hypothesis):
    """Line 5 against central differences of the sum the text defines; the slip writes x_i^{(j)} (the index mix-up)."""
    cost = lambda t: float(np.sum(np.exp(X @ t) - COUNTS * (X @ t)))  # noqa: E731
    by_theta = central_differences(cost, THETA)
    right = _close((np.exp(X @ THETA) - COUNTS) @ X, by_theta)
    assert right
    report = _verify(POISSON.replace("LAST", "x_j^{(i)}"), hypothesis=hypothesis)
    assert_lines(report, [(5, right)])
    if hypothesis is None:  # x_i^{(j)}: example j's features at entry i, another number: never the gradient
        assert_lines(_verify(POISSON.replace("LAST", "x_i^{(j)}")), [(5, False)])


# --- 6. an elastic net written with norms ----------------------------------------------------------------------------

ELASTIC = r"""Elastic net, with $m$ examples:

$$J(\theta) = \frac{1}{2m}\|X\theta - y\|_2^2 + \lambda_1\|\theta\|_1 + \frac{\lambda_2}{2}\|\theta\|_2^2$$

$$\nabla_\theta J(\theta) = \frac{1}{m}X^T(X\theta - y) + \lambda_1\operatorname{sign}(\theta) + LAST\theta$$
"""


@pytest.mark.parametrize("slip", [False, True])
def test_elastic_net_norms(slip):
    """Line 5 against central differences (θ away from 0); the slip writes λ₂θ/2 for λ₂θ."""
    cost = lambda t: (X @ t - Y) @ (X @ t - Y) / (2 * M) + LAM1 * np.abs(t).sum() + LAM2 / 2 * t @ t  # noqa: E731
    written = X.T @ (X @ THETA - Y) / M + LAM1 * np.sign(THETA) + (0.5 if slip else 1) * LAM2 * THETA
    report = _verify(ELASTIC.replace("LAST", r"\frac{\lambda_2}{2}" if slip else r"\lambda_2"))
    assert_lines(report, [(5, _close(written, central_differences(cost, THETA)))])


# --- 7. UFLDL's softmax gradient by class k's weights ----------------------------------------------------------------

UFLDL = r"""Softmax regression (UFLDL notation), $K$ classes, parameters $\theta_1,\dots,\theta_K$:

$$J(\theta) = -\frac{1}{m}\sum_{i=1}^m\sum_{k=1}^K 1[y^{(i)} = k]\log\frac{e^{\theta_k^T x^{(i)}}}{\sum_{l=1}^K e^{\theta_l^T x^{(i)}}}$$

$$\nabla_{\theta_k} J(\theta) = SIGN\frac{1}{m}\sum_{i=1}^m x^{(i)}\left(1[y^{(i)} = k] - \frac{e^{\theta_k^T x^{(i)}}}{\sum_{l=1}^K e^{\theta_l^T x^{(i)}}}\right)$$
"""  # noqa: E501 (the text as the user wrote it)


@pytest.mark.parametrize("slip", [False, True])
def test_ufldl_gradient_by_class_weights(slip):
    """Line 5 against central differences by column k of the weights; the slip drops the leading minus."""
    classes, rng = 3, np.random.default_rng(12)
    labels = rng.integers(0, classes, size=M)
    weights = rng.normal(size=(P, classes)) * 0.5

    def cost(flat):
        scores = X @ flat.reshape(P, classes)
        log_p = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
        return -log_p[np.arange(M), labels].mean()

    scores = X @ weights
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    by_weights = central_differences(cost, weights.ravel()).reshape(P, classes)
    written = (-1 if not slip else 1) * X.T @ (np.eye(classes)[labels] - p) / M
    report = _verify(UFLDL.replace("SIGN", "" if slip else "-"))
    assert_lines(report, [(5, _close(written, by_weights))])


# --- 8. a lasso in w with its penalty from j = 1 (no intercept) ------------------------------------------------------

LASSO = r"""Lasso. For $w_j \neq 0$ the objective is differentiable:

$$J(w) = \frac{1}{2}\|y - Xw\|_2^2 + \lambda\sum_{j=1}^n |w_j|$$

$$\nabla_w J(w) = RESIDUAL + \lambda\,\mathrm{sign}(w)$$
"""


@pytest.mark.parametrize("slip", [False, True])
def test_lasso_in_w_from_one(slip):
    """Line 5 against central differences of the text's J, w = (w_1, …, w_n) with no intercept; the slip writes
    +Xᵀ(y − Xw) for −Xᵀ(y − Xw)."""
    cost = lambda w: 0.5 * (Y - X @ w) @ (Y - X @ w) + LAM * np.abs(w).sum()  # noqa: E731
    written = (1 if slip else -1) * X.T @ (Y - X @ THETA) + LAM * np.sign(THETA)
    report = _verify(LASSO.replace("RESIDUAL", "X^T(y - Xw)" if slip else "-X^T(y - Xw)"))
    assert_lines(report, [(5, _close(written, central_differences(cost, THETA)))])


LASSO_THETA = r"""Lasso:

$$J(\theta) = \frac{1}{2}\|y - X\theta\|_2^2 + \lambda\sum_{j=1}^n |\theta_j|$$

For $\theta_j \neq 0$,

$$\nabla_\theta J(\theta) = -X^T(y - X\theta) + \lambda\,\mathrm{sign}(\theta)$$
"""


def test_a_condition_on_a_value_restricts_no_row():
    """ "For θ_j ≠ 0" speaks of θ_j's value, not of the rows j ≥ 1: with θ₀ the intercept (x₀ = 1) and the penalty
    from j = 1, a gradient penalising θ₀ too is wrong at row 0 (central differences), so line 7 must fail."""
    ones = np.hstack([np.ones((M, 1)), X])
    theta = np.concatenate([[0.4], THETA])
    cost = lambda t: 0.5 * (Y - ones @ t) @ (Y - ones @ t) + LAM * np.abs(t[1:]).sum()  # noqa: E731
    written = -ones.T @ (Y - ones @ theta) + LAM * np.sign(theta)
    assert_lines(_verify(LASSO_THETA), [(7, _close(written, central_differences(cost, theta)))])
