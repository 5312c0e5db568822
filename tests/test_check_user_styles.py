"""`check --python` on two styles of course code that a matrix X and a gradient-returning function do not cover.

* Single-variable labs: ``compute_gradient(x, y, w, b)`` with x of shape (m,) and w, b numbers, returning
  (dj_dw, dj_db) or (dj_db, dj_dw): called on datasets with one feature; the returned names (or, unnamed,
  both orders) say which number is which.
* Gradient descent: ``gradientDescent(X, y, theta, alpha, num_iters)`` returning θ after the steps (and often
  the cost history): one step of size α is run and the gradient is (θ − θ_returned)/α.

Each file's function is judged against the model's gradient on random data (the checker's own datasets),
and the wrong ones must be rejected, named where a common fault explains them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from derivation.check.gradient import check_gradient
from derivation.check.verdict import CORRECT, INCORRECT

DATA = Path(__file__).parent / "data" / "user_styles"

CASES = [  # (file, function, model, expected status, fault named or None)
    ("one_feature.py", "compute_gradient", "linear", CORRECT, None),
    ("one_feature.py", "compute_gradient_db_first", "linear", CORRECT, None),
    ("one_feature.py", "compute_gradient_unnamed", "linear", CORRECT, None),
    ("one_feature.py", "compute_gradient_bias_not_averaged", "linear", INCORRECT, None),
    ("one_feature.py", "compute_gradient_logistic", "logistic", CORRECT, None),
    ("one_feature.py", "compute_gradient_logistic_sign", "logistic", INCORRECT, "ascent and descent swapped"),
    ("descent.py", "gradientDescent", "linear", CORRECT, None),
    ("descent.py", "gradient_descent_in_place", "linear", CORRECT, None),
    ("descent.py", "gradientDescent_summed", "linear", INCORRECT, "summed instead of averaged"),
    ("descent.py", "gradient_descent", "linear", CORRECT, None),
    ("descent.py", "logistic_descent", "logistic", CORRECT, None),
    ("descent.py", "logistic_ascent_sign_slip", "logistic", INCORRECT, "ascent and descent swapped"),
    ("descent.py", "gradient_step", "linear", CORRECT, None),
    # ascent on the summed ℓ: right for the climbed log-likelihood model, "summed" against the mean cost
    ("descent.py", "logistic_gradient_ascent", "logistic-loglik", CORRECT, None),
    ("descent.py", "logistic_gradient_ascent", "logistic", INCORRECT, "summed instead of averaged"),
]


@pytest.mark.parametrize("file, function, model, status, fault", CASES, ids=[f"{c[1]}-{c[2]}" for c in CASES])
def test_course_styles_are_judged_right(file, function, model, status, fault):
    report = check_gradient(model, python=f"{DATA / file}:{function}", timeout=20.0)
    assert report.status == status, report.reason
    if fault is not None:
        assert report.diagnosis is not None and report.diagnosis.name == fault, report.diagnosis
    if status == CORRECT and "descent" in file and function != "gradient_step":
        assert "one gradient-descent step" in (report.convention or "")
    if "one_feature" in file and status == CORRECT:
        assert any("one feature (n = 1)" in note for note in report.notes)


def test_the_order_of_two_returned_numbers_comes_from_their_names():
    report = check_gradient("linear", python=f"{DATA / 'one_feature.py'}:compute_gradient_db_first", timeout=20.0)
    assert any("returns a (db, dw) tuple, by the names it returns" in note for note in report.notes)


def test_a_function_that_needs_no_step_is_not_read_as_one():
    """α taken but unused: the gradient it returns is judged as a gradient (the step reading comes second)."""
    report = check_gradient("linear", python=f"{DATA / 'descent.py'}:gradient_step", timeout=20.0)
    assert report.status == CORRECT and "one gradient-descent step" not in (report.convention or "")
