"""Costs users write with e^{−θᵀx} (ya_glm's docstring, tester 7) and with log y⁽ⁱ⁾!: derived to the end, every step
verified, the final derivative equal to central differences of the cost written here in NumPy."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy.special import gammaln

from derivation.check.gradient import check_gradient
from derivation.derive import engine
from derivation.derive.api import derive_model
from derivation.derive.costs import model_from_cost
from derivation.derive.registry import Context
from derivation.models.costs import parameter_of, read_cost
from derivation.oracle.datasets import Evaluator, make_datasets

SUM = r"\frac{1}{m}\sum_{i=1}^m "
YA_GLM = SUM + r"\left(e^{-\theta^T x^{(i)}} - y^{(i)}\theta^T x^{(i)}\right)"
POISSON_FACTORIAL = SUM + r"\left(e^{\theta^T x^{(i)}} - y^{(i)}\theta^T x^{(i)} + \log y^{(i)}!\right)"

# text → the cost in NumPy as a function of z = Xθ (1-D), the labels y and λ, written by hand
COSTS = {
    YA_GLM: lambda z, y, lam: np.mean(np.exp(-z) - y * z),
    SUM + r"\left(y^{(i)} e^{-\theta^T x^{(i)}} + \theta^T x^{(i)}\right)": lambda z, y, lam: np.mean(
        y * np.exp(-z) + z
    ),
    SUM + r"\left(e^{-\lambda\theta^T x^{(i)}} - y^{(i)}\theta^T x^{(i)}\right)": lambda z, y, lam: np.mean(
        np.exp(-lam * z) - y * z
    ),
    SUM + r"\log\left(1+e^{-2y^{(i)}\theta^T x^{(i)}}\right)": lambda z, y, lam: np.mean(np.logaddexp(0, -2 * y * z)),
    POISSON_FACTORIAL: lambda z, y, lam: np.mean(np.exp(z) - y * z + gammaln(y + 1)),
}
_MODELS: dict[str, object] = {}


def _model(text: str):
    if text not in _MODELS:
        _MODELS[text] = model_from_cost(text)
    return _MODELS[text]


def _central(cost, d, h=1e-6) -> np.ndarray:
    """Central differences of ``cost`` at the dataset's θ."""
    t, y = d.theta.reshape(-1), np.asarray(d.y, dtype=float).reshape(-1)
    out = np.empty_like(t)
    for k in range(t.size):
        e = np.zeros_like(t)
        e[k] = h
        out[k] = (cost(d.X @ (t + e), y, d.lam) - cost(d.X @ (t - e), y, d.lam)) / (2 * h)
    return out


@pytest.mark.parametrize("text", list(COSTS))
def test_cost_derives_to_the_end_and_equals_central_differences(text):
    model = _model(text)
    derivation = derive_model(model)  # what show --cost shows
    rules = [s.rule for s in derivation.steps]
    assert derivation.verified, rules
    assert "stopped" not in rules and "unexplained" not in rules
    for d in make_datasets(model, seed=5):
        got = np.asarray(Evaluator(d).value(model.matrix_gradient), dtype=float).reshape(-1)
        assert np.allclose(got, _central(COSTS[text], d), rtol=1e-6, atol=1e-8)


def test_no_expression_comes_back_in_a_derivation():
    # −Σ (y + e^u)·x and Σ (−y − e^u)·x: the sign rule and constant-out-of-sum once turned one into the other
    # until the step budget ran out
    cost = read_cost(YA_GLM)
    steps = engine.derive(cost, parameter_of(cost)).steps
    exprs = [s.expr for s in steps]
    assert len(set(exprs)) == len(exprs) and len(steps) < 15


def test_ya_glm_gradient_checked_against_its_cost():
    model = _model(YA_GLM)
    assert model.vectorised and derive_model(model).steps[-1].rule == "vectorise"
    right = check_gradient(model, grad="-X.T @ (np.exp(-X @ theta) + y) / m")
    wrong = check_gradient(model, grad="X.T @ (np.exp(X @ theta) - y) / m")  # the e^{+θᵀx} gradient
    assert (right.status, wrong.status) == ("correct", "incorrect")


def test_exp_is_read_as_e_to_the():
    assert read_cost(YA_GLM.replace(r"e^{-\theta^T x^{(i)}}", r"\exp(-\theta^T x^{(i)})")) == read_cost(YA_GLM)


def test_log_factorial_is_a_constant_of_the_poisson_cost():
    model = _model(POISSON_FACTORIAL)
    assert check_gradient(model, grad="X.T @ (np.exp(X @ theta) - y) / m").status == "correct"


def test_the_engine_skips_an_algebra_step_back_to_a_form_it_has_shown():
    i, m = sp.Symbol("i", integer=True), sp.Symbol("m", integer=True, positive=True)
    y = sp.IndexedBase("y")
    expr = sp.Sum(2 * y[i], (i, 0, m - 1))
    ctx = Context(sp.IndexedBase("theta")[0])
    taken = engine._algebra_once(expr, ctx)
    assert taken is not None and taken.rule == "constant-out-of-sum"
    again = engine._algebra_once(expr, ctx, {taken.expr})
    assert again is None or again.expr != taken.expr
