r"""``check`` on review 5's argued risks (session 27): a cost that names its features one by one fixes n.

* ∂J/∂θ₀ = …, \quad ∂J/∂θ₁ = …: the line after \quad was dropped, so a slip in it got a plain ✓.
* θ₀ + θ₁x₁ fixes n = 1: a formula that names n (1/(nm), 2/((n+1)m)) equals the gradient there; its ✓ says it holds
  for the cost's n = 1 only (it was a plain ✓), a formula free of n keeps its plain ✓.
* θ₀ + θ₁x + θ₂x², the polynomial in one feature: its data have x₂ = x² (the design matrix [1, x, x²] the user
  means), so Xᵀ(Xθ − y)/m is ✓ and its ½ twin ✗ (x₂ was random: the right gradient got ✗); θ_d alone on the left
  with x⁽ⁱ⁾ bare, the number x, is judged as that entry (it was a traceback, a ✗ of a right entry, then refused).

Which gradient is right is decided here by central differences (tests/central.py) of the cost transcribed to NumPy on
data of our own (tests/data_setup.py); the tool's verdict must agree with it.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli
from data_setup import example_data

DATA = example_data(27, 6, 1)
X1, THETA, M, Y = DATA.X, DATA.theta, DATA.m, DATA.yr  # one feature: X1 = [1, x]
ONE = r"\frac{1}{2m}\sum_{i=1}^m (\theta_0 + \theta_1 x^{(i)} - y^{(i)})^2"
ONE_1 = ONE.replace("x^{(i)}", "x_1^{(i)}")
_R = r"(\theta_0 + \theta_1 x^{(i)} - y^{(i)})"


def _one_cost(t: np.ndarray) -> float:
    return float(np.sum((X1 @ t - Y) ** 2) / (2 * M))


TRUTH = central_differences(_one_cost, THETA)


# --- 1. a second line after \quad is judged --------------------------------------------------------------------------

QUAD = {  # the θ₁ line's factor: (LaTeX, NumPy) — the θ₀ line is right in both
    "x": (r"x^{(i)}", X1[:, 1]),
    "twin: x²": (r"(x^{(i)})^2", X1[:, 1] ** 2),
}


@pytest.mark.parametrize("factor", QUAD)
def test_a_line_after_quad_is_judged(factor):
    written, values = QUAD[factor]
    entries = np.array([np.mean(X1 @ THETA - Y), np.mean((X1 @ THETA - Y) * values)])
    right = np.allclose(entries, TRUTH, atol=1e-7)
    latex = (
        rf"\frac{{\partial J}}{{\partial \theta_0}} = \frac{{1}}{{m}}\sum_{{i=1}}^m {_R}, \quad "
        rf"\frac{{\partial J}}{{\partial \theta_1}} = \frac{{1}}{{m}}\sum_{{i=1}}^m {_R} {written}"
    )
    result = run_cli("check", "--cost", ONE, "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert "j ≥ 1:" in result.stdout  # the θ₁ line was read, not dropped


# --- 2. a formula that names n, on a cost that fixes n = 1 -----------------------------------------------------------

N_FORMULAS = {  # the factor in front of Σ(h − y)x_j: (LaTeX, its value at n = 1, whether it names n)
    "1/(nm)": (r"\frac{1}{nm}", 1 / M, True),
    "2/((n+1)m)": (r"\frac{2}{(n+1)m}", 1 / M, True),
    "twin: 1/m": (r"\frac{1}{m}", 1 / M, False),
    "twin: 1/(2m)": (r"\frac{1}{2m}", 1 / (2 * M), False),
}


@pytest.mark.parametrize("name", N_FORMULAS)
def test_a_formula_naming_n_holds_at_the_costs_n_only(name):
    written, factor, names_n = N_FORMULAS[name]
    right = np.allclose(factor * X1.T @ (X1 @ THETA - Y), TRUTH, atol=1e-7)
    latex = (
        rf"\frac{{\partial J}}{{\partial \theta_j}} = {written}\sum_{{i=1}}^m "
        + _R.replace("x^", "x_1^")
        + " x_j^{(i)}"
    )
    result = run_cli("check", "--cost", ONE_1, "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert ("n = 1 only" in result.stdout.splitlines()[0]) == (right and names_n), result.stdout


# --- 3. θ₀ + θ₁x + θ₂x²: x₂ is x² ------------------------------------------------------------------------------------

POLY = r"\frac{1}{2m}\sum_{i=1}^m (\theta_0 + \theta_1 x^{(i)} + \theta_2 (x^{(i)})^2 - y^{(i)})^2"
DESIGN = np.column_stack([X1, X1[:, 1] ** 2])  # [1, x, x²]
THETA3 = np.append(THETA, 0.4)


def _poly_cost(t: np.ndarray) -> float:
    return float(np.sum((t[0] + t[1] * X1[:, 1] + t[2] * X1[:, 1] ** 2 - Y) ** 2) / (2 * M))


POLY_GRADIENTS = {  # LaTeX: its value on [1, x, x²]
    r"\nabla_\theta J = \frac{1}{m} X^T(X\theta - y)": DESIGN.T @ (DESIGN @ THETA3 - Y) / M,
    r"\nabla_\theta J = \frac{1}{2m} X^T(X\theta - y)": DESIGN.T @ (DESIGN @ THETA3 - Y) / (2 * M),  # twin
    r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m "
    r"(\theta_0 + \theta_1 x_1^{(i)} + \theta_2 x_2^{(i)} - y^{(i)}) x_j^{(i)}": DESIGN.T @ (DESIGN @ THETA3 - Y) / M,
}


@pytest.mark.parametrize("latex", POLY_GRADIENTS, ids=["Xᵀ(Xθ − y)/m", "twin: 1/(2m)", "per j, x_j"])
def test_a_polynomial_is_judged_on_x_squared(latex):
    right = np.allclose(POLY_GRADIENTS[latex], central_differences(_poly_cost, THETA3), atol=1e-7)
    result = run_cli("check", "--cost", POLY, "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr


POLY_ENTRIES = {  # ∂J/∂θ_d with x⁽ⁱ⁾ bare, the number x: (d, the factor after the residual, its NumPy values)
    "θ_1, x": (1, r"x^{(i)}", X1[:, 1]),
    "θ_2, x²": (2, r"(x^{(i)})^2", X1[:, 1] ** 2),
    "twin: θ_2, x": (2, r"x^{(i)}", X1[:, 1]),
}


@pytest.mark.parametrize("name", POLY_ENTRIES)
def test_theta_d_alone_with_bare_x_on_a_polynomial_is_judged(name):
    d, factor, values = POLY_ENTRIES[name]
    right = np.isclose(np.mean((DESIGN @ THETA3 - Y) * values), central_differences(_poly_cost, THETA3)[d], atol=1e-7)
    latex = (
        rf"\frac{{\partial J}}{{\partial \theta_{d}}} = \frac{{1}}{{m}}\sum_{{i=1}}^m "
        rf"(\theta_0 + \theta_1 x^{{(i)}} + \theta_2 (x^{{(i)}})^2 - y^{{(i)}}) {factor}"
    )
    result = run_cli("check", "--cost", POLY, "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr


# --- 4. the Specialization's two lines, dw alone scaled: named, not 'none of the common faults' ----------------------

DATA2 = example_data(28, 6, 2)
_F = r"\left(f_{\mathbf{w},b}(\mathbf{x}^{(i)}) - y^{(i)}\right)"


@pytest.mark.parametrize("scale", ["2m", "m"], ids=["dw with 1/(2m)", "twin: 1/m"])
def test_dw_alone_scaled_beside_db_is_named(scale):
    X, t, y, m = DATA2.X, DATA2.theta, DATA2.yr, DATA2.m

    def cost(v: np.ndarray) -> float:
        return float(np.sum((X @ v - y) ** 2) / (2 * m))

    residual = X @ t - y
    written = np.concatenate([[residual.sum() / m], X[:, 1:].T @ residual / (2 * m if scale == "2m" else m)])
    right = np.allclose(written, central_differences(cost, t), atol=1e-7)
    latex = (
        rf"\frac{{\partial J(\mathbf{{w}},b)}}{{\partial w_j}} = \frac{{1}}{{{scale}}} "
        rf"\sum\limits_{{i = 0}}^{{m-1}} {_F} x_{{j}}^{{(i)}} \\ "
        rf"\frac{{\partial J(\mathbf{{w}},b)}}{{\partial b}} = \frac{{1}}{{m}} "
        rf"\sum\limits_{{i = 0}}^{{m-1}} {_F}"
    )
    result = run_cli("check", "linear", "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert right or "w's components alone scaled" in result.stdout, result.stdout


# --- 5. --python on a cost that fixes n = 1: a function that reads n off X ----------------------------------------

CODE = """import numpy as np


def grad(X, y, theta):
    n = X.shape[1] - 1  # the number of features, 1 for this cost
    return X.T @ (X @ theta - y) / (n * len(y))


def grad_twin(X, y, theta):
    return X.T @ (X @ theta - y) / len(y)
"""


@pytest.mark.parametrize("function", ["grad", "grad_twin"])
def test_code_reading_n_off_x_holds_at_the_costs_n_only(function, tmp_path):
    n = X1.shape[1] - 1  # CODE transcribed: both are Xᵀ(Xθ − y)/m at the cost's n = 1
    right = np.allclose(X1.T @ (X1 @ THETA - Y) / ((n if function == "grad" else 1) * M), TRUTH, atol=1e-7)
    assert right  # both equal at n = 1: only the first line tells them apart
    path = tmp_path / "code.py"
    path.write_text(CODE, encoding="utf-8")
    result = run_cli("check", "--cost", ONE_1, "--python", f"{path}:{function}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("n = 1 only" in result.stdout.splitlines()[0]) == (function == "grad"), result.stdout


# --- 6. x⁽ⁱ⁾ in the residual, as the polynomial cost writes it: read as its one feature, not refused ---------------

_POLY_R = r"(\theta_0 + \theta_1 x^{(i)} + \theta_2 (x^{(i)})^2 - y^{(i)})"
POLY_BARE_X = {  # the factor after the residual: its NumPy columns
    "x_j^{(i)}": DESIGN,
    "(x^{(i)})^j": DESIGN,
    "x^{(i)}": np.column_stack([X1[:, 1]] * 3),  # twin: x for every j (θ₀'s entry needs 1, θ₂'s x²)
}


@pytest.mark.parametrize("factor", POLY_BARE_X)
def test_x_in_a_polynomials_residual_is_its_one_feature(factor):
    residual = DESIGN @ THETA3 - Y
    right = np.allclose(POLY_BARE_X[factor].T @ residual / M, central_differences(_poly_cost, THETA3), atol=1e-7)
    latex = rf"\frac{{\partial J}}{{\partial \theta_j}} = \frac{{1}}{{m}}\sum_{{i=1}}^m {_POLY_R} {factor}"
    result = run_cli("check", "--cost", POLY, "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr


# --- 7. x_1 (or x_n) for x_j in the line for j ≥ 1: equal at n = 1, said on the ✓ line -----------------------------

_R1 = _R.replace("x^", "x_1^")
ROWS = {  # the line for θ_j, j ≥ 1 (or θ₁ named): (left side's index, factor, whether it claims every j)
    "x_1 for x_j": ("j", "x_1^{(i)}", True),
    "x_n for x_j": ("j", "x_n^{(i)}", True),
    "twin: x_j": ("j", "x_j^{(i)}", False),
    "twin: θ_1 named": ("1", "x_1^{(i)}", False),
}


@pytest.mark.parametrize("row", ROWS)
def test_a_feature_named_for_every_j_holds_at_the_costs_n_only(row):
    index, factor, slip = ROWS[row]
    entries = np.array([np.mean(X1 @ THETA - Y), np.mean((X1 @ THETA - Y) * X1[:, 1])])  # x_1 = x_n = x_j at n = 1
    assert np.allclose(entries, TRUTH, atol=1e-7)
    latex = (
        rf"\frac{{\partial J}}{{\partial \theta_0}} = \frac{{1}}{{m}}\sum_{{i=1}}^m {_R1} \\ "
        rf"\frac{{\partial J}}{{\partial \theta_{index}}} = \frac{{1}}{{m}}\sum_{{i=1}}^m {_R1} {factor}"
    )
    result = run_cli("check", "--cost", ONE_1, "--latex", latex)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("n = 1 only" in result.stdout.splitlines()[0]) == slip, result.stdout
