r"""check --latex for the W models written as equations (∂J/∂W = …, ∇_{w_k} J = … as UFLDL, ∂J/∂W_{jc} = …), with
P = … or p_c^{(i)} = … defined beside them; and Ng's week-1 per-entry gradients ∂J/∂θ_0, ∂J/∂θ_1 (one feature).

The judge is the oracle's closed form on random datasets; the fault names come from the class diagnoses.
"""

from __future__ import annotations

import re

import pytest

from derivation.check import check_gradient
from derivation.check.usersource import InputError
from derivation.parsing import ParseError
from tests.cli_runner import run_cli

MATRIX = r"\frac{1}{m} X^T (P - Y)"
UFLDL = r"\nabla_{w_k} J = -\frac{1}{m}\sum_{i=1}^m x^{(i)}\left(1\{y^{(i)}=k\} - p(y^{(i)}=k|x^{(i)};\theta)\right)"
COLUMN = r"\frac{\partial J}{\partial w_c} = \frac{1}{m}\sum_{i=1}^m \left(p_c^{(i)} - y_c^{(i)}\right)x^{(i)}"
ENTRY = (
    r"\frac{\partial J}{\partial W_{jc}} = \frac{1}{m}\sum_{i=1}^m x_j^{(i)}\left(\frac{e^{w_c^T x^{(i)}}}"
    r"{\sum_{k=1}^K e^{w_k^T x^{(i)}}} - y_c^{(i)}\right)"
)
P_DEFINED = r"p_c^{(i)} = \frac{e^{w_c^T x^{(i)}}}{\sum_{k=1}^K e^{w_k^T x^{(i)}}}"


@pytest.mark.parametrize(
    "latex",
    [
        rf"\frac{{\partial J}}{{\partial W}} = {MATRIX}",  # row 89
        rf"\nabla_W J = {MATRIX}",
        r"\frac{\partial L}{\partial W} = \frac{1}{N} X^T (\hat{Y} - Y)",  # row 78
        UFLDL,  # row 79
        COLUMN,  # row 90
        ENTRY,  # row 91
        rf"\frac{{\partial J}}{{\partial W}} = {MATRIX}, \quad P = \mathrm{{softmax}}(XW)",
        rf"{COLUMN}, \quad {P_DEFINED}",
        rf"W := W - \alpha {MATRIX}",
        r"W := W + \alpha \frac{1}{m} X^T (Y - P)",  # ascent written with Y − P: the same step
    ],
)
def test_right_equations_are_correct(latex):
    report = check_gradient("softmax", latex=latex)
    assert report.status == "correct", report.reason


@pytest.mark.parametrize(
    ("latex", "fault"),
    [
        (r"\frac{\partial J}{\partial W} = \frac{1}{m} X^T (Y - P)", "sign"),  # P and Y swapped
        (r"\frac{\partial J}{\partial W} = X^T (P - Y)", "summed"),  # no 1/m
        (UFLDL.replace(r"= -\frac", r"= \frac"), "sign"),
        (COLUMN.replace(r"\frac{1}{m}", ""), "summed"),
        (ENTRY.replace(r"\frac{1}{m}", r"-\frac{1}{m}"), "sign"),
        (rf"W := W + \alpha {MATRIX}", "sign"),  # up the cost
    ],
)
def test_wrong_equations_are_incorrect_and_named(latex, fault):
    report = check_gradient("softmax", latex=latex)
    assert report.status == "incorrect"
    assert report.diagnosis is not None and report.diagnosis.fault == fault


def test_wrong_definition_of_p_is_named():
    report = check_gradient(
        "softmax", latex=rf"\frac{{\partial J}}{{\partial W}} = {MATRIX} \quad \text{{where }} P = \exp(XW)"
    )
    assert report.status == "incorrect"
    assert "not the model's probabilities" in report.reason


def test_penalised_model_takes_its_penalty():
    right = check_gradient("softmax-l2", latex=rf"\nabla_W J = {MATRIX} + \frac{{\lambda}}{{m}} W")
    wrong = check_gradient("softmax-l2", latex=rf"\nabla_W J = {MATRIX}")
    assert (right.status, wrong.status) == ("correct", "incorrect")


def test_unreadable_is_one_line():
    run = run_cli("check", "softmax", "--latex", r"\frac{\partial J}{\partial W} = \frac{1}{m} X^T (P - Y")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.count("\n") == 1 and "expected ')'" in run.stderr


def test_a_class_index_the_left_side_does_not_name_is_refused():
    with pytest.raises(InputError, match=r"free index 'k'.*left side names"):
        check_gradient("softmax", latex=COLUMN.replace("_c^{(i)}", "_k^{(i)}"))


def test_unreadable_raises_input_error():
    with pytest.raises((InputError, ParseError)):
        check_gradient(
            "softmax", latex=r"\frac{\partial J}{\partial W} = X^T (P - Y), \quad P = \mathrm{softmax}(XW^T)"
        )


NG_0 = r"\frac{\partial J}{\partial \theta_0} = \frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})"
NG_1 = r"\frac{\partial J}{\partial \theta_1} = \frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x^{(i)}"
NG_RULES = (
    r"\theta_0 := \theta_0 - \alpha\frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) \\ "
    r"\theta_1 := \theta_1 - \alpha\frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x^{(i)}"
)


@pytest.mark.parametrize("latex", [rf"{NG_0}, \quad {NG_1}", NG_RULES, NG_1])  # rows 124, 125
def test_ng_week_one_is_correct_on_one_feature(latex):
    report = check_gradient("linear", latex=latex)
    assert report.status == "correct", report.reason
    assert any("one feature" in note for note in report.notes)
    sizes = re.findall(r"\((\d+), (\d+)\)", report.method)
    assert sizes and {n for _, n in sizes} == {"1"}  # judged on one-feature datasets only


@pytest.mark.parametrize(
    ("latex", "fault"),
    [
        (rf"{NG_0}, \quad {NG_1.replace(' x^{(i)}', '')}", "inner-derivative"),  # θ_1 without its x⁽ⁱ⁾
        (NG_RULES.replace(r"\theta_1 - \alpha", r"\theta_1 + \alpha"), "sign"),
    ],
)
def test_ng_week_one_slips_are_named(latex, fault):
    report = check_gradient("linear", latex=latex)
    assert report.status == "incorrect"
    assert report.diagnosis is not None and report.diagnosis.fault == fault
