r"""`check` on gradients and costs written the way users write them (course notes, blogs, forum posts).

Right ones are ✓, wrong ones ✗ with the named fault, unreadable ones a one-line error; the cases come from a
tester's run of realistic inputs (the definitions a formula carries, n for the number of examples, NumPy's 1-D @).
"""

from __future__ import annotations

import pytest

from derivation.check.gradient import check_gradient

_DJ = r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m "
_DJH = _DJ + r"(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}, \quad "  # the gradient written with h_θ, then a definition


# --- 1. a definition the formula carries is part of the answer --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (
            _DJ + r"(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}, \quad \text{where } h_\theta(x) = \theta^T x",
            "your h_θ(x) = θᵀx is not the model's σ(θᵀx)",
        ),
        (
            _DJ + r"(\sigma(\theta^T x^{(i)}) - y^{(i)})x_j^{(i)} \quad \text{where } \sigma(z) = \frac{1}{1+e^{z}}",
            "has the wrong sign in the exponent",
        ),
        (
            _DJ + r"(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}, \quad h_\theta(x) = \frac{1}{1+e^{\theta^T x}}",
            "is not the model's σ(θᵀx)",
        ),
        (
            _DJ + r"(\hat{y}^{(i)} - y^{(i)})x_j^{(i)} \text{ with } \hat{y}^{(i)} = \theta^T x^{(i)}",
            "your ŷ⁽ⁱ⁾ = θᵀx is not the model's σ(θᵀx)",
        ),
    ],
)
def test_a_wrong_definition_of_the_model_makes_the_gradient_incorrect_and_is_named(text: str, named: str) -> None:
    report = check_gradient("logistic", latex=text)
    assert report.status == "incorrect"
    assert named in report.diagnosis.explanation and named in report.reason


@pytest.mark.parametrize(
    ("model", "text"),
    [
        ("logistic", _DJH + r"\text{where } h_\theta(x) = \frac{1}{1+e^{-\theta^T x}}"),
        ("logistic", r"\nabla_\theta J = X^T (\sigma(X\theta) - y)/m, \text{ where } \sigma(z) = 1/(1+e^{-z})"),
        ("linear", _DJH + r"\text{where } h_\theta(x) = \theta^T x"),
    ],
)  # fmt: skip
def test_a_right_definition_is_checked_and_said_so(model: str, text: str) -> None:
    report = check_gradient(model, latex=text)
    assert report.status == "correct"
    assert any("your definition of the model: checked" in note for note in report.notes)


def test_a_where_clause_that_is_no_definition_is_left_out_saying_so() -> None:
    report = check_gradient(
        "logistic", latex=_DJ + r"(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}, \quad \text{where } x_0 = 1"
    )
    assert report.status == "correct"
    assert any("x_0 = 1" in note and "left out" in note for note in report.notes)
