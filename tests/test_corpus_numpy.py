"""Our corpus of users' NumPy gradients (tests/corpus/numpy/): each judged right, each fault named.

Every case runs through :func:`check_gradient` as ``check MODEL --python FILE:FUNCTION``
would; a few run through the command line for its exit codes.  ``pytest -s`` prints the
confusion matrix (label × verdict) and the faults named.
"""

from __future__ import annotations

import pytest
from cli_runner import run_cli
from corpus_cases import Case, Judged, assert_varied, by_stem, load

from derivation.check.gradient import CORRECT, INCORRECT, InputError, check_gradient
from derivation.check.verdict import GradientReport

CASES = load("numpy")


def _judge(case: Case) -> GradientReport:
    return check_gradient(case.model, python=f"{case.path}:{case.headers['function']}", call=case.headers.get("call"))


JUDGED = Judged(_judge, InputError)
report_for = JUDGED.report


def test_the_corpus_is_as_large_and_varied_as_the_issue_asks():
    faults = {"summed", "ascent", "bias-regularised", "penalty-scale", "sign", "missing-regularisation"}
    assert_varied(CASES, 60, 25, faults | {"sigmoid-missing", "transposed", "inner-derivative"})
    for case in CASES:
        assert case.headers.get("function"), f"{case.name}: no '# function:' header"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.stem)
def test_every_case_is_judged_as_labelled(case):
    report = report_for(case)
    expected = CORRECT if case.correct else INCORRECT
    assert report.status == expected, f"{case.name} ({case.headers.get('style')}): {report.reason}"
    assert "\n" not in report.reason
    if report.status == CORRECT:
        assert report.convention, "a correct function's report says the convention it was called in"


@pytest.mark.parametrize("case", [c for c in CASES if not c.correct], ids=lambda c: c.path.stem)
def test_every_fault_is_named(case):
    report, named = report_for(case), JUDGED.fault(case)
    assert named == case.fault, f"{case.name}: named {named!r}; {report.reason}"


def _case(stem: str) -> Case:
    return by_stem(CASES, stem)


@pytest.mark.parametrize(
    "stem, code",
    [("logistic_c_ones", 0), ("logistic_propagate", 0), ("bad_logistic_summed", 1), ("l2_class_lambda", 0)],
)
def test_the_command_line_exit_codes(stem, code):
    case = _case(stem)
    target = f"{case.path}:{case.headers['function']}"
    out = run_cli("check", case.model, "--python", target)
    assert out.returncode == code, out.stdout + out.stderr


def test_an_unknown_method_is_one_line_and_exit_code_2():
    case = _case("logistic_class_theta")
    target = f"{case.path}:LogisticRegression.gradeint"
    out = run_cli("check", "logistic", "--python", target)
    assert out.returncode == 2
    message = (out.stderr + out.stdout).strip()
    assert "no method 'gradeint' in class LogisticRegression" in message and "its methods:" in message
    assert "Error(" not in message and "Traceback" not in message


def test_print_the_confusion_matrix():
    """``pytest -s`` shows label × verdict and the faults named (the issue's report) of the cases this process judged.

    In a plain run the tests above have judged every case; under xdist (which hides the print) a worker has
    judged its share, and judging the others again (a child process each, ~10 s of CPU) would repeat the very
    checks the two tests above make case by case.  Run alone, it judges them all.
    """
    judged = [case for case in CASES if case.name in JUDGED.found] or CASES
    matrix = JUDGED.matrix("NumPy corpus", judged)
    print("\n" + matrix)
    assert "missed" not in matrix
