"""`check --python`: the gaps in judging users' NumPy code, each case written the way users write it.

1. The penalty's convention comes from the loss the function returns: reg·Σθ² with 2·reg·θ is right (its loss
   says so, and the loss's central differences agree), 0.5·reg·Σθ² with 2·reg·θ is wrong, and the verdict names
   the loss's convention; with no loss returned, the ✗ names the convention the gradient matches.
2. A returned cost that differs from the model's by a constant (log y! of a Poisson NLL, a dropped yᵀy/(2m)) is
   said, and the gradient is not failed for it.
3. The hinge's subgradient without its indicator is named.
4. The runner words what it took from a (θ, cost history) tuple once.

The inputs are files under tests/data/check_gaps/ (ex2's costFunctionReg, CS231n's loss(W, X, y, reg), the
Machine Learning Specialization's compute_gradient_logistic_reg(X, y, w, b, lambda_), an sklearn-like class).
"""

from __future__ import annotations

import functools
from math import lgamma
from pathlib import Path

import numpy as np
import pytest

from derivation.check import stated_cost
from derivation.check.compare import Problem
from derivation.check.gradient import check_gradient
from derivation.core.family import CLASS_MODELS
from derivation.models import get_model
from derivation.oracle.datasets import make_datasets

DATA = Path(__file__).parent / "data" / "check_gaps"


@functools.cache
def _check(model: str, spec: str):
    chosen = CLASS_MODELS[model]() if model in CLASS_MODELS else model
    return check_gradient(chosen, python=f"{DATA / spec}")


# --- 1. the penalty's convention is the one the returned loss uses -------------------------------------


def test_reg_sum_loss_with_its_own_gradient_is_right_and_named():
    """loss + reg·Σ_{j≥1}θ_j², gradient + 2·reg·θ_j: the gradient of the loss it states (no ✗ against λ/(2m))."""
    report = _check("logistic-l2", "l2_reg_sum.py:loss_and_grad")
    assert report.status == "correct", report.reason
    assert "its penalty reg·Σ_{j≥1}θ_j², the convention the loss it returns uses" in report.reason
    assert "central differences of that loss agree" in report.reason


def test_half_reg_loss_with_a_2_reg_gradient_is_wrong_and_both_conventions_are_named():
    report = _check("logistic-l2", "bad_l2_half_reg_2.py:loss_and_grad")
    assert report.status == "incorrect"
    assert "(reg/2)·Σ_{j≥1}θ_j², the convention the loss it returns uses" in report.reason
    assert report.diagnosis.fault == "penalty-scale"
    assert "whose gradient is reg·θ_j; its gradient has 2·reg·θ_j" in report.diagnosis.explanation


def test_ex2_catalog_convention_is_still_right():
    report = _check("logistic-l2", "ex2_costfunctionreg.py:costFunctionReg")
    assert report.status == "correct" and report.reason.startswith("equal to the gradient of logistic-l2")


def test_ex2_loss_without_its_2m_beside_the_catalog_gradient_is_wrong():
    """J adds lambda_·Σθ², grad the catalog's (lambda_/m)·θ: the model's gradient, not the gradient of its loss."""
    report = _check("logistic-l2", "bad_ex2_loss_lambda_grad_catalog.py:costFunctionReg")
    assert report.status == "incorrect" and "not the gradient of the loss it returns" in report.reason
    assert report.diagnosis.fault == "penalty-scale"
    assert "lambda_·Σ_{j≥1}θ_j²" in report.diagnosis.explanation and "2·lambda_·θ_j" in report.diagnosis.explanation


def test_ex2_catalog_loss_with_half_the_penalty_gradient_is_wrong():
    report = _check("logistic-l2", "bad_ex2_half_penalty_grad.py:costFunctionReg")
    assert report.status == "incorrect" and report.diagnosis.fault == "penalty-scale"


def test_sklearn_like_alpha_norm_squared_is_right():
    """Ridge's alpha·‖w‖² with a separate intercept, (loss, dw, db) returned by a method."""
    report = _check("ridge", "sklearn_ridge.py:RidgeGD.loss_and_gradients")
    assert report.status == "correct", report.reason
    assert "alpha·Σ_j w_j², the convention the loss it returns uses" in report.reason
    assert "w and a separate bias b" in report.convention


def test_sklearn_like_alpha_norm_squared_with_alpha_w_gradient_is_wrong():
    report = _check("ridge", "bad_sklearn_ridge.py:RidgeGD.loss_and_gradients")
    assert report.status == "incorrect" and report.diagnosis.fault == "penalty-scale"
    assert "its gradient has alpha·w_j, the gradient of (alpha/2)·Σ_j w_j²" in report.diagnosis.explanation


def test_mls_lab_gradient_is_right():
    report = _check("logistic-l2", "mls_gradient_reg.py:compute_gradient_logistic_reg")
    assert report.status == "correct"


def test_no_loss_returned_names_the_convention_the_gradient_matches():
    report = _check("logistic-l2", "bad_mls_gradient_reg_2lambda.py:compute_gradient_logistic_reg")
    assert report.status == "incorrect" and report.diagnosis.fault == "penalty-scale"
    assert "the penalty λ·Σ_{j≥1}θ_j²" in report.diagnosis.explanation


def test_cs231n_reg_sum_over_w_is_right_and_reg_w_is_wrong():
    right = _check("softmax-l2", "cs231n_softmax_reg.py:softmax_loss_vectorized")
    assert right.status == "correct" and "reg·ΣW² with reg = λ/(2m), the convention the loss it returns uses" in (
        right.reason
    )
    wrong = _check("softmax-l2", "bad_cs231n_softmax_reg_w.py:softmax_loss_vectorized")
    assert wrong.status == "incorrect" and wrong.diagnosis.fault == "penalty-scale"
    assert "dW += 2 * reg * W" in wrong.diagnosis.explanation


def test_a_model_without_a_penalty_checks_the_penalty_its_loss_states():
    """`check logistic` of a function with an optional reg: at λ ≠ 0 its loss says reg·Σθ², and its gradient is
    that loss's; with reg·θ instead, the penalty is wrong and both are named."""
    right = _check("logistic", "logistic_reg_param.py:loss_and_grad")
    assert right.status == "correct"
    assert "its loss is logistic-l2's data term with the penalty reg·Σ_{j≥1}θ_j²" in right.reason
    assert "its penalty is right too" in right.reason
    wrong = _check("logistic", "bad_logistic_reg_param.py:loss_and_grad")
    assert wrong.status == "incorrect" and wrong.reason.startswith("its penalty is wrong")
    assert wrong.diagnosis.fault == "penalty-scale" and "its gradient has reg·θ_j" in wrong.diagnosis.explanation


# --- 2. a cost off by a constant ----------------------------------------------------------------------


def test_poisson_nll_with_log_y_factorial_differs_by_a_constant_and_the_gradient_stands():
    report = _check("poisson", "poisson_full_nll.py:poisson_nll")
    assert report.status == "correct"
    assert report.diagnosis.fault == "wrong-cost"
    assert report.diagnosis.explanation.startswith("your cost differs by a constant (it adds (1/m)Σ log y⁽ⁱ⁾!")
    assert "its gradient is the same" in report.diagnosis.explanation


def test_the_constant_is_the_mean_log_factorial_of_the_labels():
    """The value said is (1/m)Σ log y! on dataset 1, computed here independently."""
    report = _check("poisson", "poisson_full_nll.py:poisson_nll")
    d = make_datasets(get_model("poisson"), 0)[0]
    assert f"{sum(lgamma(v + 1) for v in d.y) / d.m:+.6g} on dataset 1" in report.reason


def test_least_squares_without_its_constant_term():
    report = _check("linear", "linear_cost_no_constant.py:cost_and_grad")
    assert report.status == "correct" and report.diagnosis.fault == "wrong-cost"
    assert "leaves out the constant yᵀy/(2m)" in report.diagnosis.explanation


def test_cs231n_loss_less_log_k_differs_by_a_constant_over_w():
    """The same reading over W: CS231n's loss less log K (chance level), dW right."""
    report = _check("softmax-l2", "cs231n_softmax_minus_log_k.py:softmax_loss_vectorized")
    assert report.status == "correct" and report.diagnosis.fault == "wrong-cost"
    assert "it subtracts log K, the loss at chance level" in report.diagnosis.explanation
    assert "reg·ΣW² with reg = λ/(2m), the convention the loss it returns uses (up to a constant)" in report.reason


def test_a_constant_does_not_hide_a_wrong_gradient():
    report = _check("poisson", "bad_poisson_full_nll.py:poisson_nll")
    assert report.status == "incorrect" and report.diagnosis.fault == "summed"


# --- 3. the hinge's indicator --------------------------------------------------------------------------


def test_hinge_without_its_indicator_is_named():
    report = _check("hinge", "bad_hinge_no_indicator.py:hinge_grad")
    assert report.status == "incorrect"
    assert report.diagnosis.fault == "indicator-missing"
    assert "the subgradient's indicator [1 − y θᵀx > 0] is missing" in report.diagnosis.explanation


def test_hinge_without_its_indicator_in_latex_for_j_at_least_1_is_named():
    """The tester's LaTeX: only θ_j for j ≥ 1 is written, so the fault is read on those entries."""
    latex = r"-\frac{1}{m}\sum_{i=1}^{m} y^{(i)} x_j^{(i)} + \frac{\lambda}{m}\theta_j \qquad \text{for } j \geq 1"
    report = check_gradient("hinge", latex=latex)
    assert report.status == "incorrect" and report.diagnosis.fault == "indicator-missing"
    assert report.diagnosis.explanation.endswith("(on the entries it gives)")


def test_hinge_with_its_indicator_is_right():
    assert _check("hinge", "hinge_grad.py:hinge_grad").status == "correct"


# --- the reading of the loss itself (no subprocess) ----------------------------------------------------


def _logistic_loss(d, theta, coefficient):
    """The cross-entropy plus coefficient·Σ_{j≥1}θ_j², in NumPy: the oracle for the stated cost."""
    h = 1 / (1 + np.exp(-d.X @ theta))
    return float(-np.mean(d.y * np.log(h) + (1 - d.y) * np.log(1 - h)) + coefficient * np.sum(theta[1:] ** 2))


@pytest.mark.parametrize(
    ("coefficient", "words"),
    [
        (lambda d: d.lam, ("lam·Σ_{j≥1}θ_j²", "2·lam·θ_j")),
        (lambda d: d.lam / 2, ("(lam/2)·Σ_{j≥1}θ_j²", "lam·θ_j")),
        (lambda d: d.lam / d.m, ("(lam/m)·Σ_{j≥1}θ_j²", "(2·lam/m)·θ_j")),
    ],
)
def test_read_stated_finds_the_penalty_and_its_gradient(coefficient, words):
    problem = Problem(get_model("logistic-l2"), make_datasets(get_model("logistic-l2"), 0))
    other = stated_cost.second_point(problem.datasets, 0)
    costs = [_logistic_loss(d, d.theta, coefficient(d)) for d in problem.datasets]
    others = [_logistic_loss(d, d.theta, coefficient(d)) for d in other]
    stated = stated_cost.read_stated(problem, costs, other, others)
    assert stated is not None and not stated.own_penalty and not stated.constant
    assert stated_cost.penalty_words(problem, stated, "lam") == words
    for d, g in zip(problem.datasets, stated_cost.stated_gradient(problem, stated), strict=True):
        h = 1 / (1 + np.exp(-d.X @ d.theta))
        want = d.X.T @ (h - d.y) / d.m + 2 * coefficient(d) * np.concatenate([[0.0], d.theta[1:]])
        np.testing.assert_allclose(g, want, rtol=1e-12)


def test_central_differences_of_the_loss_are_its_gradient():
    problem = Problem(get_model("logistic-l2"), make_datasets(get_model("logistic-l2"), 0))
    points = stated_cost.shifted(problem.datasets)
    costs = [_logistic_loss(d, d.theta, d.lam) for d in points]
    differences = stated_cost.fd_gradient(problem.datasets, costs)
    stated = [
        d.X.T @ (1 / (1 + np.exp(-d.X @ d.theta)) - d.y) / d.m + 2 * d.lam * np.concatenate([[0.0], d.theta[1:]])
        for d in problem.datasets
    ]
    assert stated_cost.fd_agrees(stated, differences)
    assert not stated_cost.fd_agrees([g * (1 + 1e-4) for g in stated], differences)


def test_a_loss_that_penalises_the_bias_is_no_convention():
    """Σ_{j≥0}θ_j² where logistic-l2 leaves θ₀ out: a fault (bias-regularised), not a penalty convention."""
    problem = Problem(get_model("logistic-l2"), make_datasets(get_model("logistic-l2"), 0))
    other = stated_cost.second_point(problem.datasets, 0)

    def loss(d):
        return _logistic_loss(d, d.theta, 0.0) + d.lam / (2 * d.m) * float(np.sum(d.theta**2))

    costs = [loss(d) for d in problem.datasets]
    assert stated_cost.read_stated(problem, costs, other, [loss(d) for d in other]) is None


# --- 4. the runner's words ------------------------------------------------------------------------------


def test_a_step_function_says_it_took_theta_not_a_gradient():
    from derivation.check import runner

    entry: dict = {}
    runner.from_container((np.zeros(3), [1.0]), np, 3, entry, ("theta", "J_history"), step=True)
    assert entry["took"] == "a (θ, …) pair: θ after the step was taken from it"
    entry = {}
    runner.from_container((0.5, np.zeros(3)), np, 3, entry, ("J", "grad"))
    assert entry["took"] == "a (cost, grad) pair: the gradient was taken from it" and entry["cost"] == 0.5
