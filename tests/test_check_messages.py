"""What `check` says about input it cannot read: where, why and what to write instead."""

from __future__ import annotations

import pytest

from derivation.check.gradient import check_gradient
from derivation.parsing import ParseError


@pytest.mark.parametrize("text", ["grad = X.T @ (h - y)", "np.dot(X.T, sigmoid(X @ theta) - y) / m"])
def test_python_given_as_latex_is_told_to_use_grad(text: str) -> None:
    with pytest.raises(ParseError) as info:
        check_gradient("logistic", latex=text)
    assert "this looks like Python: use --grad" in str(info.value)


def test_latex_that_is_not_python_gets_no_python_hint() -> None:
    with pytest.raises(ParseError) as info:
        check_gradient("logistic", latex=r"\frac{1}{m} X^T (h - y")
    assert "Python" not in str(info.value)


def test_a_product_whose_shapes_match_only_transposed_is_the_fault_transposed() -> None:
    report = check_gradient("linear", latex=r"\nabla_\theta J(\theta) = \frac{1}{m} X (X\theta - \vec{y})")
    assert report.status == "incorrect" and report.exit_code == 1
    assert report.diagnosis.fault == "transposed"
    assert "write X^T" in report.diagnosis.explanation
    assert "shapes do not match" in report.reason


def test_a_shape_mismatch_no_transpose_mends_is_incorrect_with_the_shape_message() -> None:
    report = check_gradient("linear", latex=r"\nabla_\theta J = \frac{1}{m} X (\sigma(X\theta) - y)")
    assert report.status == "incorrect"
    assert report.diagnosis is None
    assert "shapes do not match for a product" in report.reason


def test_a_python_product_missing_its_transpose_is_the_fault_transposed() -> None:
    report = check_gradient("logistic", grad="X @ (sigmoid(X @ theta) - y) / m")
    assert report.status == "incorrect"
    assert report.diagnosis.fault == "transposed" and "write X.T" in report.diagnosis.explanation


def test_a_python_shape_mismatch_with_another_fault_too_names_no_fault() -> None:
    report = check_gradient("linear", grad="X @ (X @ theta - y) * 2 / m")
    assert report.status == "incorrect" and report.diagnosis is None
    assert "shapes do not match for '@'" in report.reason
