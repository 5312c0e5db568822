"""Labels in {−1, +1}: a logistic gradient written for y' = 2y − 1 is right, stated as that convention."""

from __future__ import annotations

import pytest

from derivation.check.gradient import check_gradient
from derivation.check.labels import SIGNED

RIGHT = [
    ("grad", "-1/m * X.T @ (y * sigmoid(-y*(X@theta)))"),
    ("latex", r"\nabla_\theta J = -\frac{1}{m}\sum_{i=1}^{m}\frac{y^{(i)} x^{(i)}}{1 + e^{y^{(i)}\theta^T x^{(i)}}}"),
    ("latex", r"\frac{\partial J}{\partial \theta_j} = -\frac{1}{m}\sum_{i=1}^m y_i x_{ij}\sigma(-y_i \theta^T x_i)"),
]


@pytest.mark.parametrize(("kind", "text"), RIGHT)
def test_a_signed_label_gradient_is_correct_with_its_convention(kind: str, text: str) -> None:
    report = check_gradient("logistic", **{kind: text})
    assert report.status == "correct"
    assert report.convention == SIGNED


def test_a_zero_one_gradient_states_no_label_convention() -> None:
    report = check_gradient("logistic", grad="X.T @ (sigmoid(X @ theta) - y) / m")
    assert report.status == "correct" and report.convention is None


def test_a_wrong_signed_formula_is_incorrect() -> None:
    report = check_gradient("logistic", grad="-1/m * X.T @ (y * sigmoid(y*(X@theta)))")
    assert report.status == "incorrect"
    assert report.diagnosis is None or not report.diagnosis.exact


def test_a_signed_formula_with_its_sign_flipped_is_diagnosed_in_that_convention() -> None:
    report = check_gradient("logistic", grad="1/m * X.T @ (y * sigmoid(-y*(X@theta)))")
    assert report.status == "incorrect"
    assert report.convention == SIGNED
    assert report.diagnosis.fault == "ascent"
    assert set(report.counterexample["y"]) <= {-1.0, 1.0}


def test_real_labels_are_not_re_encoded() -> None:
    report = check_gradient("linear", grad="-1/m * X.T @ (y * (X@theta))")
    assert report.status == "incorrect" and report.convention is None
