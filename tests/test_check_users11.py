r"""``check`` on tester 8's inputs, written as the users wrote them.

Ng's week 1 gradient as a column, ``\begin{bmatrix} \frac{1}{m}\sum(\theta_0 + \theta_1 x^{(i)} - y^{(i)}) \\ …
x^{(i)} \end{bmatrix}`` (one feature: x⁽ⁱ⁾ is a number in both rows), with ``\nabla J(\theta) =`` and alone
under ``--cost``; each with a wrong twin.  Which is right is decided here: the cost transcribed to NumPy,
differentiated by central differences (tests/central.py), against the right side transcribed to NumPy, on one
feature data of our own; never by the tool.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli

RNG = np.random.default_rng(11)
M = 6
X1 = RNG.normal(size=M)  # the one feature x⁽ⁱ⁾
Y = RNG.normal(size=M)
THETA = RNG.normal(size=2)


def _half_squares(t: np.ndarray) -> float:
    return float(np.sum((t[0] + t[1] * X1 - Y) ** 2) / (2 * M))


def _right(t: np.ndarray, bias_times_x: bool = False, half_weight: bool = False) -> np.ndarray:
    """The column's two rows transcribed: the bias row (times x⁽ⁱ⁾ in the slip), the θ₁ row (1/(2m) in the slip)."""
    r = t[0] + t[1] * X1 - Y
    bias = np.sum(r * X1) / M if bias_times_x else np.sum(r) / M
    weight = np.sum(r * X1) / (2 * M if half_weight else M)
    return np.array([bias, weight])


def _rows(bias_times_x: bool = False, half_weight: bool = False) -> tuple[str, str]:
    r = r"\left(\theta_0 + \theta_1 x^{(i)} - y^{(i)}\right)"
    bias = rf"\frac{{1}}{{m}}\sum_{{i=1}}^m{r}" + ("x^{(i)}" if bias_times_x else "")
    return bias, rf"\frac{{1}}{{{'2m' if half_weight else 'm'}}}\sum_{{i=1}}^m{r}x^{{(i)}}"


def _column(**slips: bool) -> str:
    return r"\begin{{bmatrix}} {} \\ {} \end{{bmatrix}}".format(*_rows(**slips))


def _equations(**slips: bool) -> str:
    bias, weight = _rows(**slips)
    return rf"\frac{{\partial J}}{{\partial \theta_0}} = {bias} \\ \frac{{\partial J}}{{\partial \theta_1}} = {weight}"


def _updates(**slips: bool) -> str:
    bias, weight = _rows(**slips)
    return rf"\theta_0 := \theta_0 - \alpha {bias} \\ \theta_1 := \theta_1 - \alpha {weight}"


COST = r"\frac{1}{2m}\sum_{i=1}^m\left(\theta_0 + \theta_1 x^{(i)} - y^{(i)}\right)^2"
NAMED = r"\nabla J(\theta) = "
COLUMNS = {  # name: (the slips, the command's arguments before --latex, the LaTeX)
    "tex_08 named": ({}, ("linear",), NAMED + _column()),
    "tex_08 named, bias row times x": ({"bias_times_x": True}, ("linear",), NAMED + _column(bias_times_x=True)),
    "fu5_02 alone under --cost": ({}, ("--cost", COST), _column()),
    "fu5_02 alone, 1/(2m) in the θ₁ row": ({"half_weight": True}, ("--cost", COST), _column(half_weight=True)),
    "∂J/∂θ₀ and ∂J/∂θ₁ lines": ({}, ("linear",), _equations()),  # the θ₀ line's x⁽ⁱ⁾ was refused as a vector
    "update rules, 1/(2m) for θ₁": ({"half_weight": True}, ("linear",), _updates(half_weight=True)),
}


@pytest.mark.parametrize("name", COLUMNS)
def test_one_feature_column(name):
    slips, args, latex = COLUMNS[name]
    right = np.allclose(_right(THETA, **slips), central_differences(_half_squares, THETA), rtol=1e-6, atol=1e-8)
    assert right == (not slips)  # the twins are wrong, by the central differences
    result = run_cli("check", *args, "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect")
    assert "x_1^{(i)}" in result.stdout  # it says how x⁽ⁱ⁾ was read


# tester 8's py_15 (p15_twolayer_tuple.py): a two-layer network with W1, w2 and no biases, (loss, dW1, dw2)
NO_BIAS = """import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def backprop(W1, w2, X, y):
    m = X.shape[0]
    a1 = sigmoid(X @ W1)
    a2 = sigmoid(a1 @ w2)
    loss = -np.mean(y * np.log(a2) + (1 - y) * np.log(1 - a2))
    delta2 = (a2 - y) / m
    return loss, X.T @ (np.outer(delta2, w2) * a1 * (1 - a1)), a1.T @ delta2
"""


def test_a_network_without_biases_is_refused_first_for_its_biases(tmp_path):
    source = tmp_path / "p15_twolayer_tuple.py"
    source.write_text(NO_BIAS)
    args = ("--output-layer", "sigmoid", "--l2", "none", "--activation", "sigmoid")
    result = run_cli("check", "mlp", "--python", f"{source}:backprop", *args)
    assert result.returncode == 2 and "\n" not in result.stderr.strip() and "Traceback" not in result.stderr
    message = result.stderr.removeprefix("derivation: error: ")
    assert message.startswith("backprop() in p15_twolayer_tuple.py has no biases, and check mlp checks networks with")
    assert "W1, b1, W2, b2" in message and "nothing it reads" not in message


# tester 8's tex_06: λ sign(θ) beside (1/m)Xᵀ(Xθ − y), the sign of every θ_j (the lasso subgradient away from 0);
# right for a penalty on every θ_j (Σ from j = 0, under --cost), wrong for lasso, which leaves θ₀ out
DATA2 = np.hstack([np.ones((M, 1)), RNG.normal(size=(M, 2))])
TARGETS = RNG.normal(size=M)
THETA_AWAY = np.array([0.8, -0.6, 1.1])  # no θ_j near the kink at 0
SIGN = r"\frac{1}{m}X^\top(X\theta - y) + 0.3\operatorname{sign}(\theta)"
PENALTIES = {"every θ_j (Σ from j = 0)": "0", "lasso's θ_j for j ≥ 1, tex_06": "1"}


@pytest.mark.parametrize("name", PENALTIES)
def test_sign_of_theta_in_matrix_form(name):
    first = int(PENALTIES[name])

    def cost(t: np.ndarray) -> float:
        return float(np.sum((DATA2 @ t - TARGETS) ** 2) / (2 * M) + 0.3 * np.sum(np.abs(t[first:])))

    right_side = DATA2.T @ (DATA2 @ THETA_AWAY - TARGETS) / M + 0.3 * np.sign(THETA_AWAY)
    right = np.allclose(right_side, central_differences(cost, THETA_AWAY), rtol=1e-6, atol=1e-8)
    assert right == (first == 0)  # by the central differences
    written = (
        r"\frac{1}{2m}\sum_{i=1}^m\left(\theta^T x^{(i)} - y^{(i)}\right)^2 + 0.3\sum_{j="
        + PENALTIES[name]
        + r"}^n|\theta_j|"
    )
    result = run_cli("check", "--cost", written, "--latex", SIGN)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect")
    assert "sign(θ)" in result.stdout  # read as the sign of the vector θ, entry by entry


def test_tex_06_lasso_with_the_sign_of_every_theta_is_the_bias_penalised():
    def lasso(t: np.ndarray, lam: float = 0.5) -> float:  # the catalog's lasso: θ₀ not penalised
        return float(np.sum((DATA2 @ t - TARGETS) ** 2) / (2 * M) + lam * np.sum(np.abs(t[1:])))

    right_side = DATA2.T @ (DATA2 @ THETA_AWAY - TARGETS) / M + 0.5 * np.sign(THETA_AWAY)
    assert not np.allclose(right_side, central_differences(lasso, THETA_AWAY), rtol=1e-6, atol=1e-8)
    result = run_cli(
        "check", "lasso", "--latex", r"\frac{1}{m}X^\top(X\theta - y) + \lambda\operatorname{sign}(\theta)"
    )
    assert result.returncode == 1 and result.stdout.startswith("✗ incorrect"), result.stdout + result.stderr
    assert "bias θ₀ penalised" in result.stdout


# tester 8's ver_05 as check input: Xᵀ times the element-wise fraction e^{Xθ}/(1 + e^{Xθ}) (a column over a column)
DATA = np.hstack([np.ones((M, 1)), RNG.normal(size=(M, 2))])
LABELS = (RNG.random(M) < 0.5).astype(float)
THETA3 = RNG.normal(size=3)


def _log_likelihood(t: np.ndarray) -> float:
    z = DATA @ t
    return float(LABELS @ z - np.sum(np.log1p(np.exp(z))))


FRACTIONS = {  # the fraction's numerator as LaTeX and as NumPy (of z = Xθ)
    "e^{Xθ}/(1 + e^{Xθ}), ver_05": (r"e^{X\theta}", np.exp),
    "1/(1 + e^{Xθ}), σ(−Xθ)": ("1", np.ones_like),
}


@pytest.mark.parametrize("name", FRACTIONS)
def test_an_element_wise_fraction_of_columns(name):
    top, numpy_top = FRACTIONS[name]
    z = DATA @ THETA3
    right_side = DATA.T @ LABELS - DATA.T @ (numpy_top(z) / (1 + np.exp(z)))
    right = np.allclose(right_side, central_differences(_log_likelihood, THETA3), rtol=1e-6, atol=1e-8)
    assert right == name.startswith("e^")  # the twin is wrong, by the central differences
    latex = rf"\nabla_\theta \ell(\theta) = X^T y - X^T\frac{{{top}}}{{1+e^{{X\theta}}}}"
    result = run_cli("check", "logistic", "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect")


def test_a_weight_matrix_is_refused_in_one_line():
    # tester 8's fu_20: weighted least squares' W is no matrix of the sampled data: said, not "a matrix times a number"
    result = run_cli("check", "linear", "--latex", r"\nabla_\theta J(\theta) = -2X^T W(y - X\theta)")
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "weight matrix W (weighted least squares)" in result.stderr
