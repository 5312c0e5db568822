r"""verify on tester 10's texts that define a name WITH an argument: h(x) = …, L_i(θ) = …, J_i(θ) = …, ℓ(θ; x, y) = ….

Each was read as a product (h x, θ L_i, θ J_i) or with its arguments dropped (ℓ at one x for every i), so a right
derivation got a ✗ at the definition. A function the text defines, applied to arguments, is its definition with the
arguments put in. Each text has a one-line slip twin, ✗ at that line. Which line is right is decided here by NumPy
central differences, never by the tool.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli
from verdicts import sigmoid, verify_marks

from derivation.proof.verifier import verify_text

RNG = np.random.default_rng(14)
M, P = 6, 3
X = RNG.normal(size=(M, P))
Y = RNG.integers(0, 2, size=M).astype(float)
THETA = RNG.normal(size=P) * 0.5
_sigmoid, _verify = sigmoid, verify_marks


def _log_loss(theta, x_row, y):  # ℓ(θ; x, y), J_i(θ): one example's loss
    h = _sigmoid(x_row @ theta)
    return -y * np.log(h) - (1 - y) * np.log(1 - h)


def _mean_log_loss(theta):
    return np.mean([_log_loss(theta, X[r], Y[r]) for r in range(M)])


def _squares(theta):  # (1/m)Σ L_i(θ), L_i(θ) = (θᵀx_i − y_i)²
    return np.mean((X @ theta - Y) ** 2)


H = _sigmoid(X @ THETA)
R = 0  # one example, for the per-example lines


def test_the_oracle_says_which_line_is_right():
    # h(x) = 1/(1+e^{−θᵀx}): ∂h(x⁽ⁱ⁾)/∂θ_j = h(1 − h)x_j, not −h(1 − h)x_j
    dh = central_differences(lambda t: _sigmoid(X[R] @ t), THETA)
    assert np.allclose(dh, H[R] * (1 - H[R]) * X[R], rtol=1e-6) and not np.allclose(dh, -dh)
    # the mean log-loss: (1/m)Σ(h − y)x_j, and not (1/m)Σ(y − h)x_j
    dj = central_differences(_mean_log_loss, THETA)
    assert np.allclose(dj, X.T @ (H - Y) / M, rtol=1e-6) and not np.allclose(dj, X.T @ (Y - H) / M, rtol=1e-3)
    # ℓ(θ; x, y): ∇ℓ = (σ − y)x; J_i(θ) of one example: (h − y)x_j, not (1/m)(h − y)x_j
    dl = central_differences(lambda t: _log_loss(t, X[R], Y[R]), THETA)
    assert np.allclose(dl, (H[R] - Y[R]) * X[R], rtol=1e-6) and not np.allclose(dl, dl / M)
    # L_i = (θᵀx_i − y_i)²: ∂J/∂θ_j = (2/m)Σ(θᵀx_i − y_i)x_ij, not (1/m)Σ…
    ds = central_differences(_squares, THETA)
    assert np.allclose(ds, 2 * X.T @ (X @ THETA - Y) / M, rtol=1e-6) and not np.allclose(ds, ds / 2)


H_OF_X = (  # tester 10's w39 / w40 (the sign slip on line 2)
    r"Let $h(x) = \frac{1}{1+e^{-\theta^T x}}$. Then for each example"
    "\n"
    r"$$\frac{\partial h(x^{(i)})}{\partial\theta_j} = {s}h(x^{(i)})\left(1-h(x^{(i)})\right)x_j^{(i)}$$"
    "\n"
    r"and with $J(\theta) = -\frac{1}{m}\sum_{i=1}^{m}\left[y^{(i)}\log h(x^{(i)}) + (1-y^{(i)})\log(1-h(x^{(i)}))"
    r"\right]$,"
    "\n"
    r"$$\frac{\partial J}{\partial\theta_j} = \frac{1}{m}\sum_{i=1}^{m}\left(h(x^{(i)}) - y^{(i)}\right)x_j^{(i)}$$"
    "\n"
)
ELL = (  # w55 / w56 (the sign slip on line 4)
    r"Define the per-example loss $\ell(\theta; x, y) = -y\log\sigma(\theta^T x) - (1-y)\log(1-\sigma(\theta^T x))$"
    " and\n"
    r"$$J(\theta) = \frac{1}{m}\sum_{i=1}^{m}\ell(\theta; x^{(i)}, y^{(i)})$$"
    "\n"
    r"Since $\nabla_\theta\,\ell(\theta; x, y) = (\sigma(\theta^T x) - y)x$,"
    "\n"
    r"$$\frac{\partial J}{\partial\theta_j} = \frac{1}{m}\sum_{i=1}^{m}{s}x_j^{(i)}$$"
    "\n"
)
L_I = (  # w41 / w42 (the 2 lost on line 3)
    r"Let $L_i(\theta) = (\theta^T x_i - y_i)^2$ and $J(\theta) = \frac{1}{m}\sum_{i=1}^{m}L_i(\theta)$."
    "\n"
    r"$$\frac{\partial L_i}{\partial\theta_j} = 2(\theta^T x_i - y_i)x_{ij}$$"
    "\n"
    r"$$\frac{\partial J}{\partial\theta_j} = \frac{{s}}{m}\sum_{i=1}^{m}(\theta^T x_i - y_i)x_{ij}$$"
    "\n"
)
J_I = (  # w10 / w11 (a stray 1/m on line 4); w50 writes J_i without (θ)
    "We train with stochastic gradient descent, one example at a time. The loss on example $i$ is\n"
    r"$$J_i(\theta) = -y^{(i)}\log h_\theta(x^{(i)}) - (1-y^{(i)})\log(1-h_\theta(x^{(i)}))$$"
    "\n"
    "so the SGD step uses\n"
    r"$$\frac{\partial J_i(\theta)}{\partial\theta_j} = {s}\left(h_\theta(x^{(i)}) - y^{(i)}\right)x_j^{(i)}$$"
    "\n"
)
RIGHT_H = r"\left(\sigma(\theta^T x^{(i)}) - y^{(i)}\right)"


@pytest.mark.parametrize(
    ("text", "right", "slip", "line"),
    [
        (H_OF_X, "", "-", 2),
        (ELL, RIGHT_H, r"\left(y^{(i)} - \sigma(\theta^T x^{(i)})\right)", 4),
        (L_I, "2", "1", 3),
        (J_I, "", r"\frac{1}{m}", 4),
    ],
    ids=["h(x)", "ell(theta; x, y)", "L_i(theta)", "J_i(theta)"],
)
def test_a_function_the_text_defines_is_its_definition_at_the_arguments(text, right, slip, line):
    code, marks, out = _verify(text.replace("{s}", right))
    assert code == 0 and "✗" not in marks.values() and "?" not in marks.values(), out
    code, marks, out = _verify(text.replace("{s}", slip))
    assert code == 1 and [k for k, mark in sorted(marks.items()) if mark == "✗"][:1] == [line], out


def test_a_per_example_cost_written_without_its_argument_is_defined_too():
    code, marks, out = _verify(J_I.replace(r"J_i(\theta)", "J_i").replace("{s}", ""))
    assert (code, marks.get(4)) == (0, "✓") and "not defined" not in out, out


ROUTE = (  # tester 10's w37 (right) / w38 (x_j/(1 + e^{θᵀx}) for σ x_j): y x_j written yx_j, with no space
    r"Write $h = \sigma(\theta^T x)$. For one example,"
    "\n"
    r"$$y\log h + (1-y)\log(1-h) = y\theta^T x - \log(1+e^{\theta^T x})$$"
    "\n"
    "so\n"
    r"$$\frac{\partial}{\partial\theta_j}\left[y\log h + (1-y)\log(1-h)\right] = yx_j - {s}x_j"
    r" = (y - \sigma(\theta^T x))x_j$$"
    "\n"
)


def test_yx_j_without_a_space_is_y_times_x_j():
    for y in (0.0, 1.0):
        numeric = central_differences(lambda t, y=y: -_log_loss(t, X[R], y), THETA)
        assert np.allclose(numeric, y * X[R] - H[R] * X[R], rtol=1e-6)  # yx_j − σ x_j
        assert not np.allclose(numeric, y * X[R] - (1 - H[R]) * X[R], rtol=1e-3)  # yx_j − x_j/(1 + e^{θᵀx})
    code, marks, out = _verify(ROUTE.replace("{s}", r"\frac{e^{\theta^T x}}{1+e^{\theta^T x}}"))
    assert (code, marks.get(4)) == (0, "✓") and "✗" not in marks.values(), out
    code, marks, out = _verify(ROUTE.replace("{s}", r"\frac{1}{1+e^{\theta^T x}}"))
    assert (code, marks.get(4)) == (1, "✗"), out


NG = (  # tester 10's w57 (right) / w58 (∂J/∂w_j written with the vector x⁽ⁱ⁾): a bias b beside w, wᵀx + b
    r"With $f_{\mathbf{w},b}(\mathbf{x}) = \sigma(\mathbf{w}^T\mathbf{x} + b)$ and"
    "\n"
    r"$$J(\mathbf{w},b) = -\frac{1}{m}\sum_{i=1}^{m}\left[y^{(i)}\log f_{\mathbf{w},b}(\mathbf{x}^{(i)})"
    r" + (1-y^{(i)})\log\left(1-f_{\mathbf{w},b}(\mathbf{x}^{(i)})\right)\right]$$"
    "\n"
    "the gradient with respect to the weight vector is\n"
    r"$${left} = \frac{1}{m}\sum_{i=1}^{m}\left(f_{\mathbf{w},b}(\mathbf{x}^{(i)}) - y^{(i)}\right)\mathbf{x}^{(i)}$$"
    "\n"
)
BIAS = 0.3


def test_a_bias_beside_w_transposed_is_the_intercept_counted_once():
    def cost(w):
        f = _sigmoid(X @ w + BIAS)  # X without a ones column: b is apart, counted once
        return -np.mean(Y * np.log(f) + (1 - Y) * np.log(1 - f))

    gradient = X.T @ (_sigmoid(X @ THETA + BIAS) - Y) / M  # (1/m)Σ(f − y)x⁽ⁱ⁾: the vector ∇_w J
    assert np.allclose(central_differences(cost, THETA), gradient, rtol=1e-6)
    code, marks, out = _verify(NG.replace("{left}", r"\nabla_{\mathbf{w}}J"))
    assert code == 0 and set(marks.values()) == {"✓"} and "added term" not in out, out
    code, marks, out = _verify(NG.replace("{left}", r"\frac{\partial J}{\partial w_j}"))  # one number = a vector
    assert (code, marks.get(1), marks.get(4)) == (1, "✓", "✗"), out


BRACKETED = r"\frac{1}{m}\left[X^T(\sigma(X\theta) - y) + {c}\begin{bmatrix}0 \\ \theta_{1:n}\end{bmatrix}\right]"
LAMBDA = 0.7


def test_a_bmatrix_inside_brackets_is_one_term_of_the_gradient():
    ones = np.column_stack([np.ones(M), X])  # x₀ = 1: θ₀ the bias, not penalised
    theta = np.append(0.2, THETA)

    def cost(t):
        h = _sigmoid(ones @ t)
        return -np.mean(Y * np.log(h) + (1 - Y) * np.log(1 - h)) + LAMBDA / (2 * M) * np.sum(t[1:] ** 2)

    bracketed = (ones.T @ (_sigmoid(ones @ theta) - Y) + LAMBDA * np.append(0.0, theta[1:])) / M
    assert np.allclose(central_differences(cost, theta), bracketed, rtol=1e-6)
    halved = (ones.T @ (_sigmoid(ones @ theta) - Y) + LAMBDA / 2 * np.append(0.0, theta[1:])) / M
    assert not np.allclose(central_differences(cost, theta), halved, rtol=1e-3)
    done = run_cli("check", "logistic-l2", "--latex", BRACKETED.replace("{c}", r"\lambda"))
    assert done.returncode == 0 and done.stdout.startswith("✓"), done.stdout + done.stderr
    done = run_cli("check", "logistic-l2", "--latex", BRACKETED.replace("{c}", r"\frac{\lambda}{2}"))
    assert done.returncode == 1 and done.stdout.startswith("✗"), done.stdout + done.stderr


PRIMED = (  # tester 10's w13: "Using h′ = h(1 − h)" in prose, h the model's σ(θᵀx); the twin writes h(1 + h)
    r"$$J(\theta) = -\frac{1}{m}\sum_{i=1}^{m}\left[y^{(i)}\log h_\theta(x^{(i)})"
    r" + (1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right]$$"
    "\n\n"
    r"Using $h' = h(1{s}h)$:"
    "\n\n"
    r"$$\frac{\partial J}{\partial\theta_j} = \frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right)"
    r"x_j^{(i)}$$"
    "\n"
)


def test_a_stated_derivative_of_the_prediction_is_the_rule_for_sigma():
    z = np.linspace(-3, 3, 7)
    numeric = (_sigmoid(z + 1e-6) - _sigmoid(z - 1e-6)) / 2e-6
    assert np.allclose(numeric, _sigmoid(z) * (1 - _sigmoid(z)), rtol=1e-6)  # h′ = h(1 − h), h = σ
    assert not np.allclose(numeric, _sigmoid(z) * (1 + _sigmoid(z)), rtol=1e-3)
    code, marks, out = _verify(PRIMED.replace("{s}", "-"))
    assert code == 0 and (marks.get(3), marks.get(5)) == ("✓", "✓"), out
    code, marks, out = _verify(PRIMED.replace("{s}", "+"))
    assert (code, marks.get(3), marks.get(5)) == (1, "✗", "✓"), out


PROBIT = (  # tester 10's w26 (Φ′ = φ, right) / w27 (Φ′ = Φ(1 − Φ) and the logistic-form gradient: line 3 false)
    r"For the probit model $p = \Phi(\theta^T x)$ and one example,"
    "\n"
    r"$$J(\theta) = -y\log\Phi(\theta^T x) - (1-y)\log(1-\Phi(\theta^T x))$$"
    "\n"
    r"With $\Phi'(z) = {rule}$,"
    "\n"
    r"$$\frac{\partial J}{\partial\theta_j} = {gradient}$$"
    "\n"
)
RIGHT_PROBIT = (
    r"\left[-\frac{y\,\phi(\theta^T x)}{\Phi(\theta^T x)}"
    r" + \frac{(1-y)\,\phi(\theta^T x)}{1-\Phi(\theta^T x)}\right]x_j"
)
LOGISTIC_FORM = r"\left(\Phi(\theta^T x) - y\right)x_j"


def _normal_cdf(z):
    return 0.5 * (1 + np.vectorize(math.erf)(z / np.sqrt(2)))


def test_a_probit_derivation_is_judged_against_the_probit_cost():
    x_row, u = X[R], X[R] @ THETA
    density = np.exp(-(u**2) / 2) / np.sqrt(2 * np.pi)
    cdf = _normal_cdf(u)
    for y in (0.0, 1.0):
        numeric = central_differences(lambda t, y=y: -y * np.log(_normal_cdf(x_row @ t)) - (1 - y) * np.log(
            1 - _normal_cdf(x_row @ t)), THETA)  # fmt: skip
        assert np.allclose(numeric, (-y * density / cdf + (1 - y) * density / (1 - cdf)) * x_row, rtol=1e-5)
        assert not np.allclose(numeric, (cdf - y) * x_row, rtol=1e-3)  # the logistic form is not probit's
    assert not np.isclose(density, cdf * (1 - cdf), rtol=1e-3)  # Φ′ = φ, not Φ(1 − Φ)
    code, marks, out = _verify(PROBIT.replace("{rule}", r"\phi(z)").replace("{gradient}", RIGHT_PROBIT))
    assert code == 0 and "✗" not in marks.values() and "model probit" in out, out
    slip = PROBIT.replace("{rule}", r"\Phi(z)(1-\Phi(z))").replace("{gradient}", LOGISTIC_FORM)
    report = verify_text(slip, hypothesis="probit", explain=False, rules=False)
    first = next(step.line for step in report.steps if str(step.status) == "fails")
    assert (report.exit_code, first) == (1, 3), str(report)


Z_I = (  # tester 10's w43 (right) / w44 (an extra a_i(1 − a_i) on ∂J/∂b, line 4)
    r"Notation: $z_i = w^T x_i + b$, $a_i = \sigma(z_i)$, and"
    "\n"
    r"$$J(w,b) = -\frac{1}{m}\sum_{i=1}^{m}\left[y_i\log a_i + (1-y_i)\log(1-a_i)\right]$$"
    "\n"
    r"$$\frac{\partial J}{\partial z_i} = \frac{1}{m}(a_i - y_i)$$"
    "\n"
    r"$$\frac{\partial J}{\partial b} = \frac{1}{m}\sum_{i=1}^{m}(a_i - y_i){s}$$"
    "\n"
)


def test_z_i_with_a_separate_bias_reads_the_bias_once():
    def cost(b):
        a = _sigmoid(X @ THETA + b[0])
        return -np.mean(Y * np.log(a) + (1 - Y) * np.log(1 - a))

    a = _sigmoid(X @ THETA + BIAS)
    numeric = central_differences(cost, np.array([BIAS]))[0]
    assert np.isclose(numeric, np.mean(a - Y), rtol=1e-6)
    assert not np.isclose(numeric, np.mean((a - Y) * a * (1 - a)), rtol=1e-3)
    code, marks, out = _verify(Z_I.replace("{s}", ""))
    assert (marks.get(2), marks.get(4)) == ("✓", "✓") and "added term" not in out, out  # J and ∂J/∂b: b once
    assert marks.get(3) == "?" and "J is the model's cost, a function of θ (w and b), not of the text's z_i" in out
    code, marks, out = _verify(Z_I.replace("{s}", "a_i(1-a_i)"))
    assert (code, marks.get(2), marks.get(4)) == (1, "✓", "✗"), out


LMS = (  # tester 10's w70: J a mean over the examples, then "for a single training example" in prose
    "The cost is\n"
    r"$$J(\theta) = \frac{1}{2m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right)^2,"
    r" \quad h_\theta(x) = \theta^T x$$"
    "\nFor a single training example the LMS rule uses\n"
    r"$$\frac{\partial J(\theta)}{\partial\theta_j} = \left(h_\theta(x) - y\right)x_j$$"
    "\n"
)


def test_the_one_example_reading_the_prose_asks_for_is_said_on_the_step():
    x_row, y = X[R], Y[R]
    one = central_differences(lambda t: 0.5 * (x_row @ t - y) ** 2, THETA)  # m = 1
    assert np.allclose(one, (x_row @ THETA - y) * x_row, rtol=1e-6)
    whole = central_differences(lambda t: np.mean((X @ t - Y) ** 2) / 2, THETA)
    assert not np.allclose(whole, (x_row @ THETA - y) * x_row, rtol=1e-3)  # not ∂J/∂θ_j of the mean
    code, marks, out = _verify(LMS)
    assert (code, marks.get(4)) == (0, "✓"), out
    assert "holds for one example (m = 1), as the text says" in out and "the J(θ) of line 2 is a mean" in out, out
