"""Verdicts near the edge (issue 11): a difference float64 cannot see is still a difference.

Users' attacks, as they wrote them: a constant 10⁻⁹ or 10⁻³⁰ slipped into a step or a
gradient, and e^{1000z} beside +1, where float64 (and 30-digit) sampling sees equal numbers.
"""

from __future__ import annotations

import sympy as sp

from derivation.check.gradient import check_gradient
from derivation.core.functions import sigmoid
from derivation.core.steps import FAILS, HOLDS
from derivation.oracle.equality import verify_equality
from derivation.proof.verifier import verify_text

z = sp.Symbol("z")


def test_a_constant_difference_is_decided_exactly_however_small():
    for tiny in (sp.Rational(1, 10**9), sp.Rational(1, 10**30)):
        verdict = verify_equality(sigmoid(100 * z), sigmoid(100 * z) + tiny)
        assert verdict.status is FAILS and verdict.method == "symbolic"
        assert "differ by exactly" in verdict.detail


def test_a_difference_of_one_beside_a_huge_exponential_fails_rather_than_overflowing():
    verdict = verify_equality(sp.exp(1000 * z), sp.exp(1000 * z) + 1)
    assert verdict.status is FAILS
    assert verdict.detail.startswith("the sides differ by exactly -1")


def test_equal_constants_written_differently_still_hold():
    assert verify_equality(sigmoid(sp.Integer(0)), sp.Rational(1, 2)).status is HOLDS
    assert verify_equality(sp.log(sp.exp(z)) + sp.Rational(1, 10), z + sp.Float(0.5) / 5).status is HOLDS


def test_a_users_step_with_ten_to_the_minus_nine_added_is_caught():
    report = verify_text(r"$$\sigma(z) = \frac{1}{1+e^{-z}} + 10^{-9}$$")
    assert [s.status for s in report.steps] == [FAILS]


def test_a_gradient_off_by_a_constant_below_float64_tolerance_is_incorrect():
    good = "1/m * X.T @ (sigmoid(X @ theta) - y)"
    for tiny in ("1e-9", "1e-30"):
        report = check_gradient("logistic", grad=f"{good} + {tiny}")
        assert report.status == "incorrect", tiny
        assert report.diagnosis is not None and report.diagnosis.fault == "added-constant"
        assert "exact arithmetic" in report.reason
    correct = check_gradient("logistic", grad=good)
    assert correct.status == "correct" and "confirmed in exact arithmetic" in correct.method


def test_latex_gradients_and_update_rules_are_checked_exactly():
    rule = r"\theta_j := \theta_j - \alpha \sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}"
    assert check_gradient("logistic", latex=rule).status == "correct"  # CS229: the step absorbs m
    off = r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m (\sigma(\theta^T x^{(i)}) - y^{(i)})"
    off += r" x_j^{(i)}"
    assert check_gradient("logistic", latex=off).status == "correct"
    report = check_gradient("logistic", latex=off + " + 10^{-12}")
    assert report.status == "incorrect" and report.diagnosis.fault == "added-constant"
    assert report.worst is None  # no "worst entry … ≤ 1e-08" beside a verdict of incorrect


def test_a_non_constant_tiny_term_is_caught_in_exact_arithmetic():
    report = check_gradient("linear", grad="X.T @ (X @ theta - y) / m + 1e-15 * theta")
    assert report.status == "incorrect"
    assert report.diagnosis is None or report.diagnosis.fault != "added-constant"


def test_a_constant_slipped_into_a_step_is_named_even_beside_e_to_the_1000z():
    for text, constant in (
        (r"$$e^{1000z} = e^{1000z}+1$$", "1"),
        (r"$$\sigma(100z)=\sigma(100z)+10^{-30}$$", "1/1" + "0" * 30),
    ):
        report = verify_text(text)
        (step,) = report.steps
        assert step.status == "fails"
        assert step.diagnosis.message == f"added term: the constant {constant} should not be there"


def test_ten_to_the_minus_nine_written_as_a_fraction_is_read_and_caught():
    report = check_gradient("logistic", grad="1/m * X.T @ (sigmoid(X @ theta) - y) + 1/1000000000")
    assert report.status == "incorrect" and report.diagnosis.fault == "added-constant"


def test_a_sum_too_long_to_write_out_is_undecided_at_once_with_the_bound_named():
    import time

    started = time.monotonic()
    huge = r"\sum_{i=1}^{1000000000000}"
    report = verify_text(rf"$$\frac{{\partial}}{{\partial z}} {huge} z^2 = {huge} 3z$$")
    (step,) = report.steps
    assert step.status == "undecided" and "more than the 10000 a check writes out" in step.verdict.detail
    assert time.monotonic() - started < 20


def test_values_past_float64_are_compared_in_exact_arithmetic():
    big = (z + 2) ** 1024  # about 10^600 at the sampled points
    assert verify_equality(sp.Derivative(big, z), 1024 * (z + 2) ** 1023).status is HOLDS
    assert verify_equality(sp.Derivative(big, z), 1023 * (z + 2) ** 1023).status is FAILS
