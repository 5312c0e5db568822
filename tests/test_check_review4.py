r"""``check`` on review 4's findings (session 26, round 3): a false ✓ and diagnoses that named the wrong slip.

* ∇_θ J = (1/m)Σ(h − y)x_j⁽ⁱ⁾ (also x_{ij}, \mathbf{x}_j): the whole vector on the left, one entry on the right;
  it was ✓ (verify says ✗); its twins with x⁽ⁱ⁾, (∇J)_j on the left, or "for each j" stay ✓.
* "the square kept" and "½ cancelled by the 2 the square brings down" only where the cost has a square; on
  logistic and Poisson regression (no square) "a stray square" and a bare "stray factor 1/2".
* A summed cost's ∂J/∂θ_j with x_j missing (one number, Σ(θᵀx − y)): "inner derivative x_j missing", not
  "summed over the wrong axis".
* --cost with f_{w,b}(x) = wx^2 + b is read (it was "our derivative … unknown symbol 'x'; please report it").
* x̄ in check --latex: the error says what check reads (the mean written out), which was not followable.
* A cost that names its features one by one (θ₀ + θ₁x₁ + θ₂x₂) is judged on exactly those features; a gradient that
  uses the h_θ(x) = θ₀ + θ₁x the cost defines beside it is read with it (it was "this model has no hypothesis").

Which gradient is right is decided here by central differences (tests/central.py) of the cost transcribed to NumPy on
data of our own (tests/data_setup.py); the tool's verdict must agree with it.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli
from data_setup import example_data, sigma

DATA = example_data(26, 6, 2)
X, THETA, M = DATA.X, DATA.theta, DATA.m
Y01, YR, COUNTS = DATA.y01, DATA.yr, DATA.counts


def _logistic(t: np.ndarray) -> float:
    h = sigma(X @ t)
    return float(-np.mean(Y01 * np.log(h) + (1 - Y01) * np.log(1 - h)))


def _poisson(t: np.ndarray) -> float:  # the Poisson likelihood without its constant log y!
    return float(np.mean(np.exp(X @ t) - COUNTS * (X @ t)))


def _linear(t: np.ndarray) -> float:
    return float(np.sum((X @ t - YR) ** 2) / (2 * M))


def _agrees(gradient: np.ndarray, cost) -> bool:
    """Whether ``gradient`` (any shape) is ∇J(θ) as a vector of n+1 entries, by central differences."""
    truth = central_differences(cost, THETA)
    gradient = np.asarray(gradient, dtype=float)
    return gradient.shape in (truth.shape, (truth.size, 1)) and bool(np.allclose(gradient.ravel(), truth, atol=1e-7))


# --- 1. ∇_θ J with one entry x_j⁽ⁱ⁾ on the right --------------------------------------------------------------------

_SUM = r"\frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) "
_RESIDUAL = sigma(X @ THETA) - Y01
NABLA = {  # LaTeX: what it says, transcribed (for each j, its entries; else the vector as written)
    r"\nabla_\theta J = " + _SUM + "x_j^{(i)}": None,  # one entry's formula: a number per j, not the vector
    r"\nabla_\theta J = " + _SUM + "x_{ij}": None,
    r"\nabla_\theta J = " + _SUM + r"\mathbf{x}_j^{(i)}": None,
    r"\nabla_\theta J = " + _SUM + "x^{(i)}": X.T @ _RESIDUAL / M,  # twin: the vector x⁽ⁱ⁾
    r"(\nabla_\theta J)_j = " + _SUM + "x_j^{(i)}": X.T @ _RESIDUAL / M,  # twin: entry j named on the left
    r"\nabla_\theta J = " + _SUM + r"x_j^{(i)} \quad \text{for each } j": X.T @ _RESIDUAL / M,  # twin: said
}


@pytest.mark.parametrize("latex", NABLA, ids=range(len(NABLA)))
def test_nabla_with_one_entry_on_the_right_is_false_as_written(latex):
    entries = np.array([_RESIDUAL @ X[:, k] / M for k in range(X.shape[1])])
    assert _agrees(entries, _logistic)  # each entry right: only the vector-for-number reading is false
    said = NABLA[latex]
    right = said is not None and _agrees(said, _logistic)
    result = run_cli("check", "logistic", "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    if not right:
        assert "∇_θ J is a vector; x_j⁽ⁱ⁾ is one number: write x⁽ⁱ⁾ or ∂J/∂θ_j" in result.stdout


# --- 2. the square kept / ½ cancelled by the square: only where the cost has a square ------------------------------

SQUARED = {  # model: (its cost, the residual r = h − y of its gradient Xᵀr/m, its predictions' NumPy)
    "logistic": (_logistic, lambda t: sigma(X @ t) - Y01, "sigmoid(X @ theta)"),
    "poisson": (_poisson, lambda t: np.exp(X @ t) - COUNTS, "exp(X @ theta)"),
    "linear": (_linear, lambda t: X @ t - YR, "X @ theta"),
}


@pytest.mark.parametrize("model", SQUARED)
def test_a_squared_residual_is_named_by_the_cost(model):
    cost, residual, numpy = SQUARED[model]
    wrong = X.T @ residual(THETA) ** 2 / M
    assert not _agrees(wrong, cost) and _agrees(X.T @ residual(THETA) / M, cost)  # twin: the square gone
    squared = model == "linear"  # the only one of the three whose cost squares its residual
    result = run_cli("check", model, "--grad", f"1/m * X.T @ (({numpy} - y)**2)")
    assert result.returncode == 1, result.stdout + result.stderr
    assert ("the square kept" in result.stdout) == squared and ("a stray square" in result.stdout) != squared
    twin = run_cli("check", model, "--grad", f"1/m * X.T @ ({numpy} - y)")
    assert twin.returncode == 0, twin.stdout + twin.stderr


HALF = """import numpy as np


def grads(X, y, w, b):
    m = X.shape[0]
    err = PREDICTION - y
    return X.T @ err / (2 * m), np.sum(err) / m
"""
PREDICTIONS = {"logistic": "1 / (1 + np.exp(-(X @ w + b)))", "poisson": "np.exp(X @ w + b)", "linear": "X @ w + b"}


@pytest.mark.parametrize("model", SQUARED)
def test_a_half_is_said_cancelled_by_the_square_only_where_there_is_one(model, tmp_path):
    cost, residual, _ = SQUARED[model]
    dw = X[:, 1:].T @ residual(THETA) / (2 * M)
    db = np.sum(residual(THETA)) / M
    assert not _agrees(np.r_[db, dw], cost) and _agrees(np.r_[db, 2 * dw], cost)  # dw alone off by ½
    path = tmp_path / "grads.py"
    path.write_text(HALF.replace("PREDICTION", PREDICTIONS[model]))
    result = run_cli("check", model, "--python", f"{path}:grads")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "a stray factor 1/2" in result.stdout
    assert ("the square brings down" in result.stdout) == (model == "linear"), result.stdout


# --- 3. a summed cost with x_j missing -------------------------------------------------------------------------------

SUMMED = r"\frac{1}{2}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2"
_DJ = r"\frac{\partial J}{\partial \theta_j} = \sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})"
PARTIALS = {_DJ: np.sum(X @ THETA - YR), _DJ + " x_j^{(i)}": X.T @ (X @ THETA - YR)}  # ∂J/∂θ_j as written: its value


@pytest.mark.parametrize("latex", PARTIALS, ids=["x_j missing", "twin"])
def test_a_summed_cost_without_x_j_is_named_inner_derivative(latex):
    def summed(t: np.ndarray) -> float:
        return float(np.sum((X @ t - YR) ** 2) / 2)

    right = _agrees(PARTIALS[latex], summed)
    result = run_cli("check", "--cost", SUMMED, "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    if not right:
        assert "inner derivative x_j missing" in result.stdout and "wrong axis" not in result.stdout


# --- 4. f_{w,b}(x) = wx^2 + b -----------------------------------------------------------------------------------------

SQUARE_MODEL = r"\frac{1}{2m}\sum_{i=1}^m (f_{w,b}(x^{(i)}) - y^{(i)})^2, \quad f_{w,b}(x) = wx^2 + b"
_LEFT = r"\frac{\partial J}{\partial w} = \frac{1}{m}\sum_{i=1}^m (f_{w,b}(x^{(i)}) - y^{(i)}) "
ONE_X = X[:, 1]
DW = {  # ∂J/∂w as written: its value, w = θ₁ and b = θ₀ on one feature
    _LEFT + "(x^{(i)})^2": lambda w, b: np.mean((w * ONE_X**2 + b - YR) * ONE_X**2),
    _LEFT + "x^{(i)}": lambda w, b: np.mean((w * ONE_X**2 + b - YR) * ONE_X),  # twin: the inner derivative of wx
}


@pytest.mark.parametrize("latex", DW, ids=["x²", "twin: x"])
def test_a_one_feature_model_with_x_squared_is_read(latex):
    def cost(t: np.ndarray) -> float:
        return float(np.mean((t[1] * ONE_X**2 + t[0] - YR) ** 2) / 2)

    b, w = THETA[:2]
    right = bool(np.isclose(DW[latex](w, b), central_differences(cost, np.array([b, w]))[1], atol=1e-7))
    result = run_cli("check", "--cost", SQUARE_MODEL, "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert "please report" not in result.stdout + result.stderr


def test_an_x_glued_to_a_letter_is_refused_in_words():
    result = run_cli("show", "--cost", SQUARE_MODEL.replace("wx^2 + b", "wx^2 + bx"))
    assert result.returncode == 2 and "please report" not in result.stderr, result.stderr
    assert "(b x, not bx)" in result.stderr and result.stderr.count("\n") == 1


# --- 5. x̄ in check --latex: the error says what check reads -------------------------------------------------------


@pytest.mark.parametrize(
    "where", ["", r", \quad \bar{y} = \frac{1}{m}\sum_{i=1}^m y^{(i)}"], ids=["undefined", "defined beside"]
)
def test_a_mean_bar_points_to_what_check_reads(where):
    result = run_cli("check", "linear", "--latex", r"\frac{\partial J}{\partial \theta_0} = \theta_0 - \bar{y}" + where)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    advice = r"\frac{1}{m}\sum_{i=1}^m y^{(i)}"
    assert advice in result.stderr and "= … first" not in result.stderr
    # the advice can be followed: the cost (1/2m)Σ(θ₀ − y)², whose ∂/∂θ₀ is θ₀ − ȳ by central differences
    cost = r"\frac{1}{2m}\sum_{i=1}^m (\theta_0 - y^{(i)})^2"
    truth = central_differences(lambda t: float(np.mean((t[0] - YR) ** 2) / 2), THETA[:1])[0]
    assert np.isclose(truth, THETA[0] - YR.mean())
    followed = run_cli(
        "check", "--cost", cost, "--latex", r"\frac{\partial J}{\partial \theta_0} = \theta_0 - " + advice
    )
    assert followed.returncode == 0, followed.stdout + followed.stderr


# --- 4b. a cost that names θ₂: data with that many features (it was a traceback on n = 1) ----------------------------

TWO = r"\frac{1}{2m}\sum_{i=1}^m (\theta_0 + \theta_1 x_1^{(i)} + \theta_2 x_2^{(i)} - y^{(i)})^2"
_DJ_TWO = r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m (\theta_0 + \theta_1 x_1^{(i)} "


@pytest.mark.parametrize("sign", ["-", "+"], ids=["right", "twin: + y"])
def test_a_cost_naming_theta_2_is_judged_on_the_features_it_names(sign):
    # θ₀ + θ₁x₁ + θ₂x₂: exactly two features (on n = 3 the right per-j formula was ✗, ∂J/∂θ₃ being 0 there)
    def cost(t: np.ndarray) -> float:  # the cost on our data of n = 2 features: θ₀, θ₁, θ₂ all in it
        return float(np.sum((X @ t - YR) ** 2) / (2 * M))

    right = _agrees(X.T @ (X @ THETA - YR * (1 if sign == "-" else -1)) / M, cost)
    result = run_cli(
        "check", "--cost", TWO, "--latex", _DJ_TWO + rf"+ \theta_2 x_2^{{(i)}} {sign} y^{{(i)}}) x_j^{{(i)}}"
    )
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert "(m, n) = (3, 2), (4, 2), (5, 2), (6, 2), (7, 2)" in result.stdout


def test_a_polynomial_in_one_feature_is_no_traceback():
    cost = SQUARE_MODEL.replace("f_{w,b}(x) = wx^2 + b", r"f_{w,b}(x) = \theta_0 + \theta_1 x + \theta_2 x^2")
    result = run_cli("check", "--cost", cost, "--latex", _DJ_TWO + r"- y^{(i)})")
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr, result.stdout + result.stderr


# --- 6. h_θ(x) = θ₀ + θ₁x defined beside the cost: a gradient that names h_θ means it ---------------------------------

DEFINED_H = r"\frac{1}{2m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})^2, \quad h_\theta(x) = \theta_0 + \theta_1 x"
_H_SUM = r"\frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})"
_ONE = X[:, :2]  # the one feature the cost names: [1, x⁽ⁱ⁾]
DEFINED_H_GRADIENTS = {  # LaTeX: its entries on one feature, (∂J/∂θ₀, ∂J/∂θ₁) or the one named
    r"\frac{\partial J}{\partial \theta_j} = " + _H_SUM + "x_j^{(i)}": lambda t: _ONE.T @ (_ONE @ t - YR) / M,
    r"\frac{\partial J}{\partial \theta_j} = " + _H_SUM: lambda t: np.full(2, np.mean(_ONE @ t - YR)),  # twin
    r"\frac{\partial J}{\partial \theta_0} = " + _H_SUM: lambda t: np.mean(_ONE @ t - YR),
    r"\frac{\partial J}{\partial \theta_1} = " + _H_SUM: lambda t: np.mean(_ONE @ t - YR),  # twin: x⁽ⁱ⁾ missing
}


@pytest.mark.parametrize("latex", DEFINED_H_GRADIENTS, ids=["∂θ_j", "twin: x_j missing", "∂θ_0", "twin: ∂θ_1"])
def test_the_h_the_cost_defines_is_read_in_the_gradient(latex):
    def cost(t: np.ndarray) -> float:
        return float(np.mean((t[0] + t[1] * _ONE[:, 1] - YR) ** 2) / 2)

    truth = central_differences(cost, THETA[:2])
    expected = truth if r"\theta_j" in latex else truth[1 if r"\theta_1" in latex else 0]  # the entries it names
    right = np.allclose(DEFINED_H_GRADIENTS[latex](THETA[:2]), expected, atol=1e-7)
    result = run_cli("check", "--cost", DEFINED_H, "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert "no hypothesis" not in result.stderr
