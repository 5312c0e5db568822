"""The normal equations derived from ∂J/∂θ = 0: each step checked, the result against NumPy and scikit-learn.

The oracles here share nothing with the derivation: numpy.linalg.lstsq on X (no normal equations
formed), scikit-learn's LinearRegression and Ridge on X without its column of ones, and wrong
steps written by hand that the "same solutions" check must reject.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from sklearn.linear_model import LinearRegression, Ridge

from derivation.core.notation import E0, Theta, X, Y, lam, m, n
from derivation.core.steps import FAILS, HOLDS
from derivation.derive.normal_equations import SOLVABLE, normal_equations, same_solutions, solution
from derivation.models import get_model
from derivation.oracle.datasets import make_datasets
from derivation.printing import render

SIZES = ((5, 1), (12, 4), (30, 6))  # not the module's own sizes
MASK = sp.Identity(n + 1) - E0 * E0.T  # the ridge penalty leaves the bias θ_0 alone


def eq(lhs, rhs=None) -> sp.Eq:
    return sp.Eq(lhs, sp.ZeroMatrix(n + 1, 1) if rhs is None else rhs, evaluate=False)


@pytest.fixture(scope="module")
def derivations():
    return {name: normal_equations(name) for name in SOLVABLE}


@pytest.mark.parametrize("name", SOLVABLE)
def test_every_step_and_check_holds(name, derivations):
    d = derivations[name]
    assert d.verified
    assert [s.verdict.status for s in d.steps] == [HOLDS] * len(d.steps)
    assert d.steps[0].rule == "zero-gradient" and d.steps[-1].rule == "solve"
    assert d.result.lhs == Theta and d.result.rhs.has(sp.Inverse)
    assert all(isinstance(s.expr, sp.Eq) for s in d.steps)


def test_ridge_reaches_the_penalised_system_and_factors_theta(derivations):
    rules = [s.rule for s in derivations["ridge"].steps]
    assert rules == ["zero-gradient", "multiply-both-sides", "distribute", "move-term", "factor", "solve"]
    factored = derivations["ridge"].steps[-2].expr
    assert sp.srepr(factored.lhs) == sp.srepr((X.T * X + lam * MASK) * Theta) and factored.rhs == X.T * Y
    assert derivations["ridge"].result.rhs == sp.Inverse(X.T * X + lam * MASK) * X.T * Y


@pytest.mark.parametrize("name", ["linear", "linear-mean"])
def test_least_squares_reaches_theta_equals_inverse_gram_times_xty(name, derivations):
    assert derivations[name].result.rhs == sp.Inverse(X.T * X) * X.T * Y
    assert derivations[name].steps[-2].expr.lhs == X.T * X * Theta


def test_multiplying_by_m_is_seen_as_m_times_the_residual(derivations):
    scaled = derivations["linear"].steps[1]
    assert scaled.rewrite == "multiply both sides by m (≠ 0)"
    assert "c = 6 at m = 6, 9 at m = 9" in scaled.verdict.detail
    assert "2" in derivations["linear-mean"].steps[1].rewrite  # (2/m)·Xᵀ(Xθ − y): multiply by m/2


@pytest.mark.parametrize("name", ["linear", "linear-mean"])
def test_theta_equals_lstsq_and_scikit_learn_linear_regression(name, derivations):
    for data in make_datasets(get_model(name), seed=3, sizes=SIZES):
        theta = solution(derivations[name], data)
        assert np.allclose(theta, np.linalg.lstsq(data.X, data.y, rcond=None)[0], rtol=1e-9, atol=1e-10)
        fit = LinearRegression().fit(data.X[:, 1:], data.y)  # its own intercept in place of the ones column
        assert np.allclose(theta, [fit.intercept_, *fit.coef_], rtol=1e-8, atol=1e-9)


def test_ridge_theta_equals_scikit_learn_ridge_with_alpha_lambda(derivations):
    # J = (1/2m)(‖Xθ − y‖² + λΣ_{j≥1} θ_j²) has the minimiser of ‖y − Xw − b‖² + α‖w‖² with α = λ (the 1/2m
    # multiplies both terms); w = θ_1..n, b = θ_0 is not penalised, as with fit_intercept=True.
    for data in make_datasets(get_model("ridge"), seed=4, sizes=SIZES):
        theta = solution(derivations["ridge"], data)
        fit = Ridge(alpha=data.lam, fit_intercept=True, solver="cholesky").fit(data.X[:, 1:], data.y)
        assert np.allclose(theta, [fit.intercept_, *fit.coef_], rtol=1e-8, atol=1e-9)
        for alpha in (data.lam / data.m, 2 * data.lam, data.lam / (2 * data.m)):  # the comparison can fail
            other = Ridge(alpha=alpha, fit_intercept=True, solver="cholesky").fit(data.X[:, 1:], data.y)
            assert not np.allclose(theta, [other.intercept_, *other.coef_], rtol=1e-6, atol=1e-8)


RIDGE = eq(X.T * (X * Theta - Y) + lam * MASK * Theta)  # m·∂J/∂θ = 0 for ridge
WRONG_STEPS = {
    "λ dropped": eq(X.T * X * Theta - X.T * Y),
    "bias penalised too": eq(X.T * X * Theta - X.T * Y + lam * Theta),
    "sign of Xᵀy lost": eq(X.T * X * Theta + X.T * Y + lam * MASK * Theta),
    "Xᵀy moved without its sign flipped": eq(X.T * X * Theta + lam * MASK * Theta, -X.T * Y),
    "λ term scaled by m twice": eq(X.T * (X * Theta - Y) + m * lam * MASK * Theta),
    "solved with a factor 2": eq(Theta, 2 * sp.Inverse(X.T * X + lam * MASK) * X.T * Y),
    "solved without λ": eq(Theta, sp.Inverse(X.T * X) * X.T * Y),
    "multiplied by a singular e₀e₀ᵀ": eq(E0 * E0.T * (X.T * (X * Theta - Y) + lam * MASK * Theta)),
}
RIGHT_STEPS = {
    "multiply by 3": eq(3 * X.T * (X * Theta - Y) + 3 * lam * MASK * Theta),
    "multiply by an invertible matrix": eq(
        (X.T * X + sp.Identity(n + 1)) * (X.T * (X * Theta - Y) + lam * MASK * Theta)
    ),
    "solve": eq(Theta, sp.Inverse(X.T * X + lam * MASK) * X.T * Y),
}


@pytest.fixture(scope="module")
def ridge_data():
    return make_datasets(get_model("ridge"), seed=5, sizes=((7, 2), (10, 3)))


@pytest.mark.parametrize("what", WRONG_STEPS)
def test_a_step_that_changes_the_solutions_fails(what, ridge_data):
    verdict = same_solutions(RIDGE, WRONG_STEPS[what], ridge_data)
    assert verdict.status is FAILS, verdict.detail


@pytest.mark.parametrize("what", RIGHT_STEPS)
def test_a_step_that_keeps_the_solutions_holds(what, ridge_data):
    verdict = same_solutions(RIDGE, RIGHT_STEPS[what], ridge_data)
    assert verdict.status is HOLDS, verdict.detail


def test_a_wrong_catalog_gradient_fails_the_first_step_and_the_result():
    from dataclasses import replace

    ridge = get_model("ridge")
    wrong = replace(ridge, matrix_gradient=X.T * (X * Theta - Y) / m)  # the penalty's gradient forgotten
    d = normal_equations(wrong)
    assert d.steps[0].verdict.status is FAILS  # against central differences of the cost as written
    assert all(s.verdict.status is HOLDS for s in d.steps[1:])  # the algebra after it is right...
    assert [c.verdict.status for c in d.checks] == [FAILS, FAILS]  # ...but θ is not the minimiser
    assert not d.verified


@pytest.mark.parametrize("name", ["logistic", "poisson", "lasso"])
def test_models_without_a_closed_form_are_refused_by_name(name):
    with pytest.raises(KeyError, match=f"model '{name}' has no closed-form minimiser; --solve works for: linear, "):
        normal_equations(name)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "latex"])
def test_every_format_prints_each_step(fmt, derivations):
    out = render(derivations["ridge"], fmt)
    assert out.count("solve") >= 1 and out.count("distribute") >= 1
    assert ("X^{\\top} y" if fmt in ("latex", "markdown") else "Xᵀy") in out


@pytest.mark.parametrize("name", SOLVABLE)
def test_standalone_latex_compiles(name, derivations, compile_latex):
    pdf = compile_latex(render(derivations[name], "latex", standalone=True))
    assert pdf.stat().st_size > 1000


def test_cli_show_solve_prints_each_step_verified(capsys):
    from derivation.cli import main

    assert main(["show", "ridge", "--solve", "--width", "120"]) == 0
    out = capsys.readouterr().out
    assert "θ = (λ (I − e_0 e_0ᵀ) + XᵀX)⁻¹ Xᵀy" in out and "6 steps, all verified" in out


@pytest.mark.parametrize("name", SOLVABLE)
def test_cli_show_solve_json_says_verified(name, capsys):
    import json

    from derivation.cli import main

    assert main(["show", name, "--solve", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verified"] and data["steps"][-1]["rule"] == "solve"
    assert [c["status"] for c in data["checks"]] == ["holds", "holds"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["logistic"], "model 'logistic' has no closed-form minimiser; --solve works for: linear, linear-mean, ridge"),
        (["linear", "--hessian"], "--solve takes a catalog MODEL only (no --cost, --hessian or --form example)"),
        (["nope"], "unknown model 'nope'; the catalog has: logistic, "),
    ],
)
def test_cli_solve_usage_errors_are_one_line_exit_2(args, message, capsys):
    from derivation.cli import main

    assert main(["show", *args, "--solve"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"derivation: error: {message}") and err.count("\n") == 1
