r"""``check`` on review 6's F5 and argued risk (session 27): what changes with n, on a cost that fixes n.

A cost that names its features one by one (θ₀ + θ₁x₁, the polynomial θ₀ + θ₁x + θ₂x²) fixes n; a ✓ there says
"for n = … only" when the formula is not the gradient with one feature more. That run had a feature of zeros and θ's
entry 0, which hid a residual θ₀ + θ_j x_j (F5: right at n = 1 only) and gave the caveat to (x⁽ⁱ⁾)^j on the
polynomial (right for any degree: the zero column is not x³). Now the feature more is nonzero, x³ for the polynomial,
and the truth is the gradient of the cost extended the natural way, h + θ_{n+1}x_{n+1}:

* θ_{n+1} = 0, for LaTeX and --python alike (session 28; --python had it nonzero): a residual the formula writes
  out (θ₀ + θ₁x₁ − y), or code's h written as the cost writes it (h = θ₀ + θ₁X[:, 1]), is still the cost's there.

Which formula holds with one feature more is decided here by central differences (tests/central.py) of the extended
cost transcribed to NumPy on data of our own (tests/data_setup.py); the tool's first line must agree with it.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli
from data_setup import example_data

DATA = example_data(61, 6, 2)
M, Y = DATA.m, DATA.yr
X2 = DATA.X  # [1, x₁, x₂]: x₂ the feature more
X1 = X2[:, :2]


def _squared(cols: np.ndarray):
    return lambda t: float(np.sum((cols @ t - Y) ** 2) / (2 * M))


# --- F5: θ₀ + θ₁x₁, a residual written with θ_j x_j -----------------------------------------------------------------

ONE = r"\frac{1}{2m}\sum_{i=1}^m (\theta_0 + \theta_1 x_1^{(i)} - y^{(i)})^2"
_BIAS = (
    r"\frac{\partial J}{\partial \theta_0} = \frac{1}{m}\sum_{i=1}^m (\theta_0 + \theta_1 x_1^{(i)} - y^{(i)}), \quad "
)
RESIDUALS = {  # the line for θ_j: (LaTeX residual, NumPy residual for entry j on columns c)
    "θ₀ + θ_j x_j": (r"\theta_0 + \theta_j x_j^{(i)}", lambda c, t, k: t[0] + t[k] * c[:, k]),
    "twin: θ₀ + θ₁x₁ (the cost's)": (r"\theta_0 + \theta_1 x_1^{(i)}", lambda c, t, k: t[0] + t[1] * c[:, 1]),
    "twin: θᵀx": (r"\theta^T x^{(i)}", lambda c, t, k: c @ t),
}
_J = r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m"


def _per_j(cols: np.ndarray, t: np.ndarray, residual) -> np.ndarray:
    """The two lines on columns ``cols``: θ₀'s as written, then θ_j's for each j ≥ 1."""
    bias = np.mean(t[0] + t[1] * cols[:, 1] - Y)
    return np.array([bias] + [np.mean((residual(cols, t, k) - Y) * cols[:, k]) for k in range(1, cols.shape[1])])


@pytest.mark.parametrize("name", RESIDUALS)
def test_a_residual_with_theta_j_holds_at_the_costs_n_only(name):
    written, residual = RESIDUALS[name]
    t1, t2 = DATA.theta[:2], np.append(DATA.theta[:2], 0.0)  # LaTeX: the feature more with θ's entry 0
    assert np.allclose(_per_j(X1, t1, residual), central_differences(_squared(X1), t1), atol=1e-7)
    wider = np.allclose(_per_j(X2, t2, residual), central_differences(_squared(X2), t2), atol=1e-7)
    latex = _BIAS + rf"{_J} ({written} - y^{{(i)}}) x_j^{{(i)}}"
    result = run_cli("check", "--cost", ONE, "--latex", latex)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("n = 1 only" in result.stdout.splitlines()[0]) == (not wider), result.stdout


CODE = """import numpy as np


def grad(X, y, theta):
    h = theta[0] + theta[1] * X[:, 1]  # the first feature only
    return X.T @ (h - y) / len(y)


def grad_twin(X, y, theta):
    return X.T @ (X @ theta - y) / len(y)
"""


@pytest.mark.parametrize("function", ["grad", "grad_twin"])
def test_code_writing_the_costs_h_holds_for_the_cost(function, tmp_path):
    def transcribed(cols: np.ndarray, t: np.ndarray) -> np.ndarray:  # CODE, in NumPy
        h = t[0] + t[1] * cols[:, 1] if function == "grad" else cols @ t
        return cols.T @ (h - Y) / M

    t1, t2 = DATA.theta[:2], np.append(DATA.theta[:2], 0.0)  # the feature more with θ's entry 0, as for LaTeX
    assert np.allclose(transcribed(X1, t1), central_differences(_squared(X1), t1), atol=1e-7)
    wider = np.allclose(transcribed(X2, t2), central_differences(_squared(X2), t2), atol=1e-7)
    path = tmp_path / "code.py"
    path.write_text(CODE, encoding="utf-8")
    result = run_cli("check", "--cost", ONE, "--python", f"{path}:{function}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("n = 1 only" in result.stdout.splitlines()[0]) == (not wider), result.stdout


# --- the polynomial θ₀ + θ₁x + θ₂x²: the feature more is x³ ---------------------------------------------------------

POLY = r"\frac{1}{2m}\sum_{i=1}^m (\theta_0 + \theta_1 x^{(i)} + \theta_2 (x^{(i)})^2 - y^{(i)})^2"
_X = X2[:, 1]
POWERS3, POWERS4 = _X[:, None] ** np.arange(3), _X[:, None] ** np.arange(4)  # [1, x, x²], [1, x, x², x³]
_POLY_R = r"(\theta_0 + \theta_1 x^{(i)} + \theta_2 (x^{(i)})^2 - y^{(i)})"
FACTORS = {  # ∂J/∂θ_j = (scale) Σ (residual) (factor): (LaTeX scale, LaTeX factor, scale at n)
    "(x^{(i)})^j": (r"\frac{1}{m}", r"(x^{(i)})^j", lambda n: 1 / M),
    "x_j^{(i)}": (r"\frac{1}{m}", r"x_j^{(i)}", lambda n: 1 / M),
    "twin: 2/(nm)": (r"\frac{2}{nm}", r"x_j^{(i)}", lambda n: 2 / (n * M)),
}


@pytest.mark.parametrize("name", FACTORS)
def test_a_polynomial_is_widened_by_x_cubed(name):
    scale, factor, value = FACTORS[name]
    t3 = np.array([0.3, -0.6, 0.5])
    t4 = np.append(t3, 0.0)  # LaTeX: x³ with θ's entry 0, the residual as written
    right, wider = (
        np.allclose(value(n) * c.T @ (c @ t - Y), central_differences(_squared(c), t), atol=1e-7)
        for n, c, t in ((2, POWERS3, t3), (3, POWERS4, t4))
    )
    assert right
    latex = rf"\frac{{\partial J}}{{\partial \theta_j}} = {scale}\sum_{{i=1}}^m {_POLY_R} {factor}"
    result = run_cli("check", "--cost", POLY, "--latex", latex)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("n = 2 only" in result.stdout.splitlines()[0]) == (not wider), result.stdout
