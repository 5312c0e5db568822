"""Our corpus of users' LaTeX gradients (tests/corpus/latex/): equations, update rules, cases by index.

Every case runs through :func:`check_gradient` as ``check MODEL --latex TEXT`` would; a few run
through the command line for its exit codes.  ``pytest -s`` prints the confusion matrix
(label × verdict) and the faults named.
"""

from __future__ import annotations

import pytest
from cli_runner import run_cli
from corpus_cases import Case, Judged, assert_varied, by_stem, load

from derivation.check.gradient import CORRECT, INCORRECT, check_gradient
from derivation.check.verdict import GradientReport
from derivation.parsing import ParseError

CASES = load("latex")


def _judge(case: Case) -> GradientReport:
    return check_gradient(case.model, latex=case.body)


JUDGED = Judged(_judge, ParseError)
report_for = JUDGED.report


def test_the_corpus_is_as_large_and_varied_as_the_issue_asks():
    faults = {"sign", "summed", "ascent", "penalty-scale", "bias-regularised", "missing-regularisation"}
    assert_varied(CASES, 40, 18, faults)
    bodies = [case.body for case in CASES]
    for written in (":=", r"\leftarrow", r"\gets", r"\begin{cases}", r"\begin{array}", r"\begin{align", r"\nabla"):
        assert any(written in body for body in bodies), written


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.stem)
def test_every_case_is_judged_as_labelled(case):
    report = report_for(case)
    expected = CORRECT if case.correct else INCORRECT
    assert report.status == expected, f"{case.name} ({case.headers.get('style')}): {report.reason}; {report.notes}"
    assert "\n" not in report.reason


@pytest.mark.parametrize("case", [c for c in CASES if not c.correct], ids=lambda c: c.path.stem)
def test_every_fault_is_named(case):
    report, named = report_for(case), JUDGED.fault(case)
    assert named == case.fault, f"{case.name}: named {named!r}; {report.reason}"


def _case(stem: str) -> Case:
    return by_stem(CASES, stem)


def test_the_reading_says_what_the_left_side_and_the_rule_mean():
    ascent = report_for(_case("ok_logistic_ascent_rule"))
    assert "update rule" in ascent.input_kind and any("ascent" in note for note in ascent.notes)
    likelihood = report_for(_case("ok_logistic_loglik_partial"))
    assert any("log-likelihood" in note for note in likelihood.notes)
    cases = report_for(_case("ok_l2_cases"))
    assert "cases by index" in cases.input_kind and "j = 0: " in cases.reading and "j ≥ 1: " in cases.reading


@pytest.mark.parametrize(
    ("stem", "code"),
    [("ok_l2_two_rules_align", 0), ("ok_logistic_dw_db", 0), ("bad_logistic_rule_sign", 1), ("bad_l2_penalty_no_m", 1)],
)
def test_the_command_line_exit_codes(stem, code):
    case = _case(stem)
    run = run_cli("check", case.model, "--latex", case.body)
    assert run.returncode == code, run.stdout + run.stderr


def test_an_unreadable_formula_exits_2_with_one_line_in_latex_terms():
    wrong = r"\frac{\partial J}{\partial x_j} = \theta_j"
    run = run_cli("check", "logistic", "--latex", wrong)
    assert run.returncode == 2
    message = run.stderr.strip()
    assert "\n" not in message and r"\partial \theta_j" in message and "()" not in message


def test_confusion_matrix(capsys):
    matrix = JUDGED.matrix("LaTeX corpus", CASES)
    with capsys.disabled():
        print("\n" + matrix)
    assert "missed" not in matrix
