"""`check --python`: the conventions a user's function keeps and the tester found judged wrongly.

Each input is a file under tests/data/conventions/, written as users write them (CS231n's
``softmax_loss_vectorized(W, X, y, reg)``, Andrew Ng's ex2 ``costFunction``, …).  Right ones must be
correct and name the convention that held; wrong ones must be incorrect and name the fault.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from derivation.check.gradient import check_gradient
from derivation.core.family import CLASS_MODELS

DATA = Path(__file__).parent / "data" / "conventions"


@functools.cache
def _check(model: str, spec: str):
    chosen = CLASS_MODELS[model]() if model in CLASS_MODELS else model
    return check_gradient(chosen, python=f"{DATA / spec}")


# --- 1. the penalty's convention over W is the one the returned loss uses ----------------------


def test_cs231n_half_reg_loss_with_reg_w_gradient_is_right():
    """loss += 0.5·reg·ΣW², dW += reg·W: consistent (finite differences agree); the loss says reg = λ/m."""
    report = _check("softmax-l2", "softmax_half_reg.py:softmax_loss_vectorized")
    assert report.status == "correct", report.reason
    assert "(reg/2)·ΣW² with reg = λ/m" in report.reason and "the loss it returns uses" in report.reason


def test_half_reg_loss_with_2_reg_w_gradient_is_wrong():
    """loss += 0.5·reg·ΣW², dW += 2·reg·W: the gradient of another penalty than its own loss's."""
    report = _check("softmax-l2", "bad_softmax_half_reg_2reg_grad.py:softmax_loss_vectorized")
    assert report.status == "incorrect"
    assert report.diagnosis.fault == "penalty-scale"
    assert "0.5·reg·ΣW²" in report.diagnosis.explanation and "dW += reg * W" in report.diagnosis.explanation
    assert "reg = λ/m" in report.convention


def test_no_loss_returned_says_which_penalty_the_gradient_matches():
    report = _check("softmax-l2", "softmax_grad_only_lam.py:softmax_grad")
    assert report.status == "correct"
    assert "the convention its gradient matches" in report.reason and "no loss" in report.reason


# --- 2. a model without a penalty and a function that takes one ---------------------------------


def test_svm_penalty_gradient_that_disagrees_with_its_loss_is_wrong():
    """loss + reg·ΣW², dW + reg·W: right at λ = 0 only; its loss says 2·reg·W."""
    report = _check("svm-multiclass", "bad_svm_reg_forgot_2.py:svm_loss_vectorized")
    assert report.status == "incorrect"
    assert report.diagnosis.fault == "penalty-scale" and "dW += 2 * reg * W" in report.diagnosis.explanation


def test_svm_penalty_that_agrees_with_its_loss_is_right_and_checked():
    report = _check("svm-multiclass", "svm_reg_right.py:svm_loss_vectorized")
    assert report.status == "correct"
    assert "reg·ΣW² with reg = λ/(2m)" in report.reason
    assert any("penalty is checked too" in n for n in report.notes)


# --- 3. the cost returned beside the gradient -------------------------------------------------


def test_ex2_cost_with_the_wrong_sign_is_incorrect():
    report = _check("logistic", "bad_ex2_cost_sign.py:costFunction")
    assert report.status == "incorrect"
    assert report.diagnosis.fault == "wrong-cost" and "its sign" in report.reason
    assert report.reason.startswith("the cost it returns is wrong: expected")


def test_ex2_cost_right_is_correct():
    assert _check("logistic", "ex2_cost_right.py:costFunction").status == "correct"


def test_a_dict_whose_loss_is_another_cost_is_incorrect():
    report = _check("ridge", "bad_ridge_dict_cost_no_half.py:ridge_loss")
    assert report.status == "incorrect" and report.diagnosis.fault == "wrong-cost"


@pytest.mark.parametrize(
    ("model", "spec"),
    [("softmax-l2", "softmax_half_reg.py:softmax_loss_vectorized"), ("logistic", "ex2_cost_right.py:costFunction")],
)
def test_a_right_cost_changes_nothing(model, spec):
    assert _check(model, spec).status == "correct"


# --- 2. over θ: a model without a penalty and a function that takes λ ---------------------------


def test_a_penalty_its_loss_names_is_checked_against_the_penalised_model():
    """Right at λ = 0, but with λ ≠ 0 its loss is logistic-l2's and its gradient has twice that penalty's."""
    report = _check("logistic", "logistic_reg_for_plain_model.py:costFunctionReg")
    assert report.status == "incorrect" and report.reason.startswith("its penalty is wrong")
    assert report.diagnosis.fault == "penalty-scale"


def test_a_right_penalty_for_a_plain_model_is_said_checked():
    report = _check("logistic", "logistic_reg_right_for_plain_model.py:costFunctionReg")
    assert report.status == "correct" and "its penalty is right too" in report.reason


# --- 4. θ flat beside y as a column (np.matrix blog code) ---------------------------------------


def test_wittenauer_matrix_gradient_with_y_a_column():
    report = _check("logistic", "wittenauer_matrix.py:gradient")
    assert report.status == "correct"
    assert report.holds_for == "θ of shape (n+1,) and y of shape (m, 1)"


# --- 5. one example's gradient (SGD) ------------------------------------------------------------


def test_sgd_gradient_of_one_example_is_right():
    report = _check("logistic", "sgd_one_example.py:grad_single")
    assert report.status == "correct" and report.reason.startswith("one example's gradient")


def test_sgd_gradient_of_one_example_with_the_wrong_sign():
    report = _check("logistic", "bad_sgd_one_example.py:sgd_grad")
    assert report.status == "incorrect" and report.diagnosis.fault == "sign"
    assert report.reason.startswith("one example's gradient differs on example 1")


# --- 6. names: alpha as λ, a keyword with a default ----------------------------------------------


def test_lasso_alpha_is_read_as_lambda():
    report = _check("lasso", "lasso_subgradient.py:lasso_subgradient")
    assert report.status == "correct"
    assert any(n.startswith("alpha is read as λ") for n in report.notes)
    assert not any("takes no λ" in n for n in report.notes)


def test_a_keyword_with_a_default_keeps_it():
    """pos_weight=3.0 names no role (weight is only a word of it): the call leaves it out, so it keeps 3.0."""
    report = _check("logistic", "weighted_ce.py:weighted_logloss_grad")
    assert report.convention.endswith("called as weighted_logloss_grad(theta, X, y)")
    assert report.status == "incorrect"  # a weighted cross-entropy is not logistic's


def test_np_matrix_arguments():
    """Code of the np.matrix era multiplies with *: X, y (m, 1) and θ (1, n+1) are passed as np.matrix."""
    report = _check("logistic", "np_matrix_gradient.py:gradient")
    assert report.status == "correct" and "np.matrix" in report.holds_for


def test_ex4_unrolled_network_says_what_to_do():
    from derivation.check.usersource import InputError

    with pytest.raises(InputError, match=r"unrolled .* ex4: not a model over θ; for check mlp, wrap it"):
        _check("logistic", "ex4_nncost.py:nnCostFunction")
