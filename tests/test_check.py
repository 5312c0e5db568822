"""Checking a user's gradient: verdicts, counterexamples, diagnoses, unreadable input and reports."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derivation.check.diagnose import Problem, diagnose
from derivation.check.evaluate import Evaluator, cost_gradient, make_datasets
from derivation.check.gradient import CORRECT, INCORRECT, UNDECIDED, GradientReport, check_gradient
from derivation.check.usercode import InputError
from derivation.core.models import get_model
from derivation.kernels.runtime import kernel
from derivation.parsing import ParseError, index_names, parse_latex, read_expr
from derivation.printing.gradient_report import render_report
from derivation.proof.read import model_context

DATA = Path(__file__).parent / "data"
SEED_LATEX = r"\frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)})-y^{(i)}\right)x_j^{(i)}"
PARELLADA_LATEX = r"\frac{1}{m} \cdot X^T\big(\sigma(X\theta)-y\big)"  # the comment under the answer in seed 000
PARELLADA_PYTHON = "1/m * X.T @ (sigmoid(X @ theta) - y)"


# --- seed 000 -------------------------------------------------------------------------------


def test_seed_compute_grad_as_written_is_reported_clearly():
    report = check_gradient("logistic", python=f"{DATA / 'seed000_compute_grad.py'}:compute_grad")
    assert report.status == UNDECIDED and report.exit_code == 1
    assert "NameError: name 'np' is not defined" in report.reason
    assert "seed000_compute_grad.py line 5, in sig" in report.reason
    assert "write 'import numpy as np'" in report.reason


def test_seed_compute_grad_with_the_import_fixed_has_its_sign_flipped():
    report = check_gradient("logistic", python=f"{DATA / 'seed000_compute_grad_fixed.py'}:compute_grad")
    assert report.status == INCORRECT
    # −∇J of the cross-entropy: the gradient of the mean log-likelihood, the ascent direction
    assert report.diagnosis.fault == "ascent" and "negate it" in report.diagnosis.explanation
    example = report.counterexample
    assert np.allclose(example["received"], -np.asarray(example["expected"]))


def test_seed_code_verbatim_from_the_page_is_unreadable_with_the_line():
    with pytest.raises(InputError, match=r"seed000_verbatim.py line 3: expected an indented block"):
        check_gradient("logistic", python=f"{DATA / 'seed000_verbatim.py'}:compute_grad")


@pytest.mark.parametrize("kind, text", [("latex", PARELLADA_LATEX), ("grad", PARELLADA_PYTHON), ("latex", SEED_LATEX)])
def test_parellada_and_the_course_formula_are_correct(kind, text):
    report = check_gradient("logistic", **{kind: text})
    assert report.status == CORRECT and report.exit_code == 0
    assert report.diagnosis is None and report.counterexample is None


# --- the numbers behind the verdict ---------------------------------------------------------


@pytest.mark.parametrize("name", ["logistic", "logistic-l2", "linear"])
def test_expected_gradient_agrees_with_the_kernels_and_the_complex_step(name):
    model = get_model(name)
    for d in make_datasets(model, seed=3):
        ours = Evaluator(d).value(model.matrix_gradient).ravel()
        params = {"lam": d.lam} if model.parameters else {}
        assert np.allclose(ours, kernel(name).grad(d.theta, d.X, d.y, **params), rtol=1e-12)
        assert np.allclose(ours, cost_gradient(model.matrix_cost, d, "theta").ravel(), rtol=1e-10)


def test_index_conventions_python_zero_based_latex_one_based():
    model = get_model("logistic")
    d = make_datasets(model)[2]
    truth = Evaluator(d).value(model.matrix_gradient).ravel()
    python = read_expr("Sum((sigmoid(Sum(theta[k]*X[i,k], (k, 0, n))) - y[i])*X[i, j], (i, 0, m-1))/m", index_names())
    latex = parse_latex(SEED_LATEX, model_context("logistic"))
    assert np.allclose(Evaluator(d, row_offset=0).value(python).ravel(), truth, rtol=1e-12)
    assert np.allclose(Evaluator(d, row_offset=1).value(latex).ravel(), truth, rtol=1e-12)


def test_datasets_are_reproducible_and_differ_by_seed():
    model = get_model("logistic")
    a, b, c = make_datasets(model, 0), make_datasets(model, 0), make_datasets(model, 1)
    assert all(np.array_equal(x.X, y.X) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a[0].X, c[0].X)
    assert len({d.m for d in a}) > 1 and all(d.m != d.p for d in a)


def test_the_seed_is_in_the_report_and_changes_the_counterexample():
    r0 = check_gradient("linear", grad="-X.T @ (X @ theta - y) / m", seed=0)
    r5 = check_gradient("linear", grad="-X.T @ (X @ theta - y) / m", seed=5)
    assert r0.seed == 0 and "seed 0" in r0.method and "seed 5" in r5.method
    assert r0.counterexample["X"] != r5.counterexample["X"]


# --- verdicts and diagnoses -----------------------------------------------------------------


@pytest.mark.parametrize(
    "model, grad, fault",
    [
        ("logistic", "X.T @ (sigmoid(X @ theta) - y)", "summed"),
        ("logistic", "X.T @ (X @ theta - y) / m", "sigmoid-missing"),
        ("logistic", "(sigmoid(X @ theta) - y).T @ X / m", "transposed"),
        ("logistic-l2", "X.T @ (sigmoid(X @ theta) - y) / m + lam/m * theta", "bias-regularised"),
        ("logistic-l2", "X.T @ (sigmoid(X @ theta) - y) / m", "missing-regularisation"),
        ("linear", "X.T @ (sigmoid(X @ theta) - y) / m", "other-model"),
        ("linear", "(X @ theta - y) @ theta.T / m", "wrong-variable"),
    ],
)
def test_a_diagnosis_names_the_fault(model, grad, fault):
    report = check_gradient(model, grad=grad)
    assert report.status == INCORRECT and report.diagnosis.fault == fault and report.diagnosis.exact


def test_missing_one_over_m_is_told_from_a_constant_factor():
    missing = check_gradient("logistic", grad="X.T @ (sigmoid(X @ theta) - y)").diagnosis
    double = check_gradient("logistic", grad="2 * X.T @ (sigmoid(X @ theta) - y) / m").diagnosis
    twice = check_gradient("logistic", grad="3 * X.T @ (sigmoid(X @ theta) - y)").diagnosis
    assert missing.fault == "summed" and missing.explanation.endswith("divide by m")
    assert double.fault == "scale" and "an extra factor 2" in double.explanation
    assert twice.fault == "scale" and "3·m" in twice.explanation  # 3m∇J is no cost's gradient a user means


def test_a_column_vector_is_accepted_and_a_row_is_transposed():
    assert check_gradient("linear", grad="X.T @ (X @ theta - y) / m").status == CORRECT  # (n+1, 1)
    row = check_gradient("linear", grad="(X @ theta - y).T @ X / m")
    assert row.status == INCORRECT and row.diagnosis.fault == "transposed"
    assert row.counterexample["received_shape"] == [1, row.counterexample["n"] + 1]


def test_a_scalar_where_a_vector_belongs_is_incorrect_with_its_shape():
    report = check_gradient("logistic", grad="sum(X.T @ (sigmoid(X @ theta) - y)) / m")
    assert report.status == INCORRECT and "one number" in report.reason
    assert report.diagnosis.fault == "wrong-axis"


def test_not_finite_everywhere_is_undecided_with_the_reason():
    report = check_gradient("logistic", grad="X.T @ (sigmoid(X @ theta) - y) * log(-m)")
    assert report.status == UNDECIDED and "not finite" in report.reason and report.exit_code == 1


def test_nearly_equal_is_undecided_not_correct():
    report = check_gradient("logistic", grad="X.T @ (sigmoid(X @ theta) - y) / m * (1 + 1/1000000)")
    assert report.status == UNDECIDED and "finite-difference" in report.reason


def test_an_unknown_fault_is_incorrect_without_an_invented_diagnosis():
    report = check_gradient("logistic", grad="X.T @ (exp(X @ theta) - y) / m")
    assert report.status == INCORRECT and report.diagnosis is None


def test_diagnose_on_raw_values():
    model = get_model("logistic-l2")
    problem = Problem(model, make_datasets(model))
    assert diagnose(problem, [2 * g for g in problem.expected]).fault == "scale"
    assert diagnose(problem, problem.data).fault == "missing-regularisation"
    assert diagnose(problem, [g.reshape(1, -1) for g in problem.expected]).fault == "transposed"
    assert diagnose(problem, [np.zeros_like(g) for g in problem.expected]).fault == "zero"


# --- unreadable input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"grad": "1/m * X.T @ (sigmoid(X @ theta) - y"}, r"^col \d+: "),
        ({"latex": r"\frac{1}{m} X^T(\sigma(X\theta) - y"}, r"^col \d+: "),
        ({"grad": "X.T @ (sigmoid(X @ thetaa) - y) / m"}, r"unknown name 'thetaa'; logistic uses: X, theta, y"),
        ({"latex": SEED_LATEX + " + a"}, r"unknown symbol 'a'; logistic uses: x_j\^\{\(i\)\}"),
        ({"grad": "(sigmoid(Sum(theta[k]*X[i,k], (k, 0, n))) - y[i])*X[i, k]"}, r"free index 'k'"),
        ({"grad": "Sum((h(i) - y[i])*X[i, j], (i, 1, m))/m"}, r"out of range.*0\.\.m−1 in Python syntax"),
    ],
)
def test_unreadable_input_raises_a_parse_error_with_a_position(kwargs, match):
    with pytest.raises(ParseError, match=match) as info:
        check_gradient("logistic", **kwargs)
    assert "\n" not in str(info.value)


def test_unknown_symbols_point_at_themselves():
    with pytest.raises(ParseError) as info:
        check_gradient("logistic", grad="X.T @ (sigmoid(X @ thetaa) - y) / m")
    assert info.value.caret().splitlines()[1].index("^") == "X.T @ (sigmoid(X @ thetaa) - y) / m".index("thetaa")


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('touch {marker}')",
        "X.__class__.__bases__[0].__subclasses__()",
        "np.linalg.inv(X)",
        "(lambda: 0)()",
        "9**9**9**9",
        "[x for x in ()]",
        "open('{marker}', 'w')",
    ],
)
def test_hostile_text_is_rejected_fast_without_executing(text, tmp_path):
    marker = tmp_path / "pwned"
    start = time.perf_counter()
    with pytest.raises(ParseError):
        check_gradient("logistic", grad=text.format(marker=marker))
    assert time.perf_counter() - start < 1.0
    assert not marker.exists()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({}, "exactly one of"),
        ({"grad": "X", "latex": "X"}, "exactly one of"),
        ({"grad": "X", "call": "g(X, y, theta)"}, "--call goes with --python"),
    ],
)
def test_usage_errors(kwargs, match):
    with pytest.raises(InputError, match=match):
        check_gradient("logistic", **kwargs)


def test_models_without_a_gradient_or_unknown_are_input_errors():
    with pytest.raises(InputError, match="unknown model 'logreg'; the catalog has: logistic"):
        check_gradient("logreg", grad="X")
    with pytest.raises(InputError, match="'sigmoid' has no gradient over θ"):
        check_gradient("sigmoid", grad="X")


_TOKENS = st.sampled_from(
    [
        "X",
        "theta",
        "y",
        "m",
        "n",
        "lam",
        "@",
        ".T",
        "(",
        ")",
        "-",
        "+",
        "*",
        "/",
        "**",
        "sigmoid(",
        "sum(",
        "exp(",
        "log(",
        "1",
        "2",
        "0",
        "Sum(",
        "X[i, j]",
        "theta[k]",
        "y[i]",
        ", (i, 0, m-1))",
        " ",
    ]
)
_LATEX_TOKENS = st.sampled_from(
    [
        r"\frac{1}{m}",
        r"\sum_{i=1}^{m}",
        "(",
        ")",
        "-",
        "+",
        r"h_\theta(x^{(i)})",
        "y^{(i)}",
        "x_j^{(i)}",
        "X^T",
        r"\sigma(X\theta)",
        r"\theta_j",
        r"\lambda",
        "y",
        "{",
        "}",
        "^",
        "_",
        "2",
        r"\log",
        " ",
    ]
)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TOKENS, max_size=14).map("".join))
def test_fuzz_python_math_gives_a_report_or_a_parse_error(text):
    try:
        report = check_gradient("logistic", grad=text)
    except ParseError as error:
        assert "\n" not in str(error)
        return
    assert isinstance(report, GradientReport) and report.status in (CORRECT, INCORRECT, UNDECIDED)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(_LATEX_TOKENS, max_size=12).map("".join), st.text(max_size=30)))
def test_fuzz_latex_gives_a_report_or_a_parse_error(text):
    try:
        report = check_gradient("logistic-l2", latex=text)
    except ParseError as error:
        assert "\n" not in str(error)
        return
    assert report.status in (CORRECT, INCORRECT, UNDECIDED)


# --- reports ----------------------------------------------------------------------------------


def test_text_report_shows_verdict_diagnosis_counterexample_and_method():
    text = render_report(check_gradient("logistic", grad="X.T @ (y - sigmoid(X @ theta)) / m"))
    lines = text.splitlines()
    assert lines[0] == "✗ incorrect: logistic, expression (matrix form)"
    assert any(line.startswith("  diagnosis: the log-likelihood's gradient (ascent) — ") for line in lines)
    assert "  counterexample (m = 3, n = 1):" in lines
    assert lines[-1].startswith("  method: numeric: 5 random datasets") and "seed 0" in lines[-1]
    assert render_report(check_gradient("logistic", grad=PARELLADA_PYTHON), ascii=True).startswith("ok correct")


def test_json_report_is_plain_data():
    report = check_gradient("logistic-l2", grad="X.T @ (sigmoid(X @ theta) - y) / m")
    data = json.loads(render_report(report, "json"))
    assert data["status"] == "incorrect" and data["exit_code"] == 1
    assert data["diagnosis"]["fault"] == "missing-regularisation"
    assert set(data["counterexample"]) >= {"m", "n", "X", "y", "theta", "lam", "expected", "received"}
    assert np.asarray(data["counterexample"]["X"]).shape == (
        data["counterexample"]["m"],
        data["counterexample"]["n"] + 1,
    )


def test_a_verdict_on_an_expression_is_fast():
    check_gradient("linear", grad="X.T @ (X @ theta - y) / m")  # warm the caches
    start = time.perf_counter()
    check_gradient("logistic", latex=SEED_LATEX, seed=11)
    assert time.perf_counter() - start < 5.0  # generous; the benchmark measures it (benchmarks/bench_check.py)
