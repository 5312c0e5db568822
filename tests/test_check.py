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
from derivation.check.gradient import CORRECT, INCORRECT, UNDECIDED, GradientReport, check_gradient
from derivation.check.usercode import InputError
from derivation.check.verdict import build_report, verdict
from derivation.kernels.runtime import kernel
from derivation.models import get_model
from derivation.oracle.datasets import Evaluator, cost_gradient, make_datasets
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
    start = time.process_time()
    with pytest.raises(ParseError):
        check_gradient("logistic", grad=text.format(marker=marker))
    assert time.process_time() - start < 1.0
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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # no wall clock: CI is loaded
@given(st.lists(_TOKENS, max_size=14).map("".join))
def test_fuzz_python_math_gives_a_report_or_a_parse_error(text):
    try:
        report = check_gradient("logistic", grad=text)
    except ParseError as error:
        assert "\n" not in str(error)
        return
    assert isinstance(report, GradientReport) and report.status in (CORRECT, INCORRECT, UNDECIDED)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # no wall clock: CI is loaded
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
    assert any(line.startswith("  diagnosis: ascent and descent swapped — ") for line in lines)
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
    start = time.process_time()
    check_gradient("logistic", latex=SEED_LATEX, seed=11)
    assert time.process_time() - start < 5.0  # generous; the benchmark measures it (benchmarks/bench_check.py)


# --- what a wrong gradient is: the variants of the cost, each against a plain NumPy oracle ------


def _sigma(z):
    return 1 / (1 + np.exp(-z))


def _data_term(name, d):
    """∇ of the model's mean data cost, written out here apart from the catalog and the checker."""
    residual = d.X @ d.theta - d.y if name == "linear" else _sigma(d.X @ d.theta) - d.y
    return d.X.T @ residual / d.m


def _theta_j(d, bias=False):
    """θ with θ₀ set to 0 unless ``bias``: the components a penalty acts on."""
    return d.theta if bias else np.r_[0.0, d.theta[1:]]


def _oracle(name, d):
    g = _data_term(name, d)
    return g + d.lam / d.m * _theta_j(d) if name == "logistic-l2" else g


VARIANTS = [  # model, received as a plain NumPy formula, fault, words the explanation must hold
    ("logistic", lambda d: d.m * _oracle("logistic", d), "summed", ["summed cost", "divide by m"]),
    ("linear", lambda d: d.X.T @ (d.X @ d.theta - d.y), "summed", ["(1/2)Σᵢ(θᵀx⁽ⁱ⁾ − y⁽ⁱ⁾)²", "divide by m"]),
    (
        "logistic-l2",
        lambda d: d.X.T @ (_sigma(d.X @ d.theta) - d.y) + d.lam * _theta_j(d),
        "summed",
        ["summed cost", "(λ/2)Σ_{j≥1}θ_j²", "divide by m"],
    ),
    (
        "logistic-l2",
        lambda d: d.X.T @ (_sigma(d.X @ d.theta) - d.y) + d.lam / d.m * _theta_j(d),
        "summed",
        ["while the penalty (λ/m)·θ_j is the mean cost's", "divide the data term by m"],
    ),
    (
        "logistic",
        lambda d: d.X.T @ (d.y - _sigma(d.X @ d.theta)),
        "ascent",
        ["log-likelihood ℓ = Σᵢ[y⁽ⁱ⁾ log h", "ascent direction", "negate it and divide by m"],
    ),
    ("logistic", lambda d: d.X.T @ (d.y - _sigma(d.X @ d.theta)) / d.m, "ascent", ["mean log-likelihood", "negate it"]),
    (
        "logistic-l2",
        lambda d: d.X.T @ (d.y - _sigma(d.X @ d.theta)) - d.lam * _theta_j(d),
        "ascent",
        ["− (λ/2)Σ_{j≥1}θ_j²", "negate it and divide by m"],
    ),
    (
        "logistic-l2",
        lambda d: d.X.T @ (d.y - _sigma(d.X @ d.theta)) + d.lam * _theta_j(d),
        "sign",
        ["(ascent) while the penalty +λ·θ_j is the cost's (descent)"],
    ),
    ("linear", lambda d: d.X.T @ (d.y - d.X @ d.theta) / d.m, "sign", ["received = −expected"]),
    (
        "logistic-l2",
        lambda d: _data_term("logistic", d) + d.lam / d.m * d.theta,
        "bias-regularised",
        ["correct for L2 on all of θ, θ₀ included", "drop the penalty on θ₀"],
    ),
    (
        "logistic-l2",
        lambda d: _data_term("logistic", d) + d.lam * _theta_j(d),
        "penalty-scale",
        ["gradient is λ·θ_j", "penalty (λ/2)·Σ_{j≥1}θ_j²", "use (λ/m)·θ_j"],
    ),
    (
        "logistic-l2",
        lambda d: _data_term("logistic", d) + 2 * d.lam * _theta_j(d),
        "penalty-scale",
        ["gradient is 2λ·θ_j", "penalty λ·Σ_{j≥1}θ_j²"],
    ),
    (
        "logistic-l2",
        lambda d: _data_term("logistic", d) + d.lam / (2 * d.m) * _theta_j(d),
        "penalty-scale",
        ["gradient is (λ/2m)·θ_j", "penalty (λ/4m)·Σ_{j≥1}θ_j²"],
    ),
    (
        "logistic-l2",
        lambda d: _data_term("logistic", d) + d.lam * _theta_j(d, bias=True),
        "penalty-scale",
        ["penalty (λ/2)·Σ_{j≥0}θ_j²", "drop the penalty on θ₀"],
    ),
    ("logistic-l2", lambda d: _data_term("logistic", d), "missing-regularisation", ["penalty's (λ/m)·θ_j"]),
    ("logistic", lambda d: _oracle("logistic", d) + d.lam / d.m * d.theta, "extra-regularisation", ["(λ/m)·θ"]),
    ("logistic", lambda d: 2 * _oracle("logistic", d), "scale", ["an extra factor 2"]),
]


def _problem(name):
    model = get_model(name)
    return Problem(model, make_datasets(model))


@pytest.mark.parametrize(
    "name, formula, fault, words", VARIANTS, ids=[f"{v[0]}-{v[2]}-{i}" for i, v in enumerate(VARIANTS)]
)
def test_a_variant_of_the_cost_is_named_with_the_cost_it_is_the_gradient_of(name, formula, fault, words):
    problem = _problem(name)
    # the oracle is the checker's expected gradient, so the received values below are what they claim to be
    assert all(
        np.allclose(_oracle(name, d), g, rtol=1e-12) for d, g in zip(problem.datasets, problem.expected, strict=True)
    )
    received = [formula(d) for d in problem.datasets]
    assert verdict(problem, received)[0] == INCORRECT
    found = diagnose(problem, received)
    assert found is not None and found.fault == fault and found.exact, found
    for word in words:
        assert word in found.explanation, (word, found.explanation)


@pytest.mark.parametrize("precision", [np.float64, np.float32])
def test_variants_are_named_in_either_precision(precision):
    problem = _problem("logistic-l2")
    for formula, fault in [
        (VARIANTS[2][1], "summed"),
        (VARIANTS[10][1], "penalty-scale"),
        (VARIANTS[9][1], "bias-regularised"),
    ]:
        received = [formula(d).astype(precision) for d in problem.datasets]
        assert diagnose(problem, received).fault == fault


def test_datasets_have_a_column_of_ones():
    for name in ("logistic", "logistic-l2", "linear"):
        assert all(np.all(d.X[:, 0] == 1.0) and d.X.shape == (d.m, d.n + 1) for d in make_datasets(get_model(name)))
    assert not np.all(make_datasets(get_model("linear"), intercept=False)[0].X[:, 0] == 1.0)


# --- float32 -------------------------------------------------------------------------------------


def _in_float32(name, d):
    """The model's gradient computed in float32 arithmetic throughout, as float32 code would."""
    X, y, t = (a.astype(np.float32) for a in (d.X, d.y, d.theta))
    z = X @ t
    residual = z - y if name == "linear" else np.float32(1) / (np.float32(1) + np.exp(-z)) - y
    g = X.T @ residual / np.float32(d.m)
    if name == "logistic-l2":
        g = g + np.float32(d.lam / d.m) * np.r_[np.float32(0), t[1:]]
    assert g.dtype == np.float32
    return g


@pytest.mark.parametrize("name", ["logistic", "logistic-l2", "linear"])
def test_a_correct_float32_gradient_is_correct_and_says_its_tolerance(name):
    problem = _problem(name)
    received = [_in_float32(name, d) for d in problem.datasets]
    assert any(verdict_error > 1e-8 for verdict_error in _errors(problem, received))  # float64's 1e-8 would fail it
    status, reason, _ = verdict(problem, received)
    assert status == CORRECT and "float32 precision (relative tolerance 1e-04)" in reason
    assert verdict(problem, [r.astype(np.float64) for r in received])[0] == UNDECIDED  # the dtype decides, not luck


def _errors(problem, received):
    return [np.max(np.abs(r - g)) / np.max(np.abs(g)) for r, g in zip(received, problem.expected, strict=True)]


def test_a_wrong_float32_gradient_is_incorrect_with_its_fault_named():
    problem = _problem("logistic")
    summed = [d.m * _in_float32("logistic", d) for d in problem.datasets]
    assert verdict(problem, summed)[0] == INCORRECT and diagnose(problem, summed).fault == "summed"
    flipped = [-_in_float32("logistic", d) for d in problem.datasets]
    assert diagnose(problem, flipped).fault == "ascent"
    nearly = [(_in_float32("logistic", d) * np.float32(1.0005)) for d in problem.datasets]
    assert verdict(problem, nearly)[0] == UNDECIDED  # 5e-4 is beyond float32 rounding: not passed as correct


def test_a_float32_function_is_judged_in_float32(tmp_path):
    path = tmp_path / "f32.py"
    path.write_text(
        "import numpy as np\n"
        "def grad(theta, X, y):\n"
        "    X, y, theta = X.astype(np.float32), y.astype(np.float32), theta.astype(np.float32)\n"
        "    h = 1 / (1 + np.exp(-X @ theta))\n"
        "    return X.T @ (h - y) / np.float32(len(y))\n"
        "def summed(theta, X, y):\n"
        "    return grad(theta, X, y) * np.float32(len(y))\n",
        encoding="utf-8",
    )
    right = check_gradient("logistic", python=f"{path}:grad")
    assert right.status == CORRECT and right.worst["precision"] == "float32" and right.worst["tolerance"] == 1e-4
    assert right.method.endswith("float32 results: relative tolerance 1e-04")
    wrong = check_gradient("logistic", python=f"{path}:summed")
    assert wrong.status == INCORRECT and wrong.diagnosis.fault == "summed"


# --- the worst entry and the convention in every format ---------------------------------------------


def test_the_worst_entry_is_the_component_that_differs_most():
    problem = _problem("linear")
    received = [g.copy() for g in problem.expected]
    received[3][1] += 0.25
    received[3][2] -= 1.0
    worst = build_report(problem, {**BASE, "model": "linear"}, INCORRECT, "r", received=received, bad=3).worst
    d = problem.datasets[3]
    assert (worst["dataset"], worst["m"], worst["n"], worst["component"]) == (3, d.m, d.n, 2)
    assert worst["expected"] == pytest.approx(problem.expected[3][2]) and worst["received"] == pytest.approx(
        problem.expected[3][2] - 1.0
    )
    assert worst["relative_error"] == pytest.approx(1.0 / np.max(np.abs(problem.expected[3])))


BASE = {"input_kind": "NumPy function g(theta, X, y)", "received": "f.py:g", "reading": None, "method": "m", "seed": 0}


@pytest.mark.parametrize("status", [CORRECT, INCORRECT])
def test_report_shows_worst_entry_relative_error_and_convention_in_every_format(status):
    problem = _problem("logistic")
    received = (
        [g.copy() for g in problem.expected]
        if status == CORRECT
        else [d.m * g for d, g in zip(problem.datasets, problem.expected, strict=True)]
    )
    convention = "X without its column of ones (the function adds it); θ (n+1, 1), y (m, 1)"
    base = {**BASE, "model": "logistic", "convention": convention}
    found, reason, bad = verdict(problem, received)
    assert found == status
    report = build_report(problem, base, found, reason, received=received, bad=bad)
    text = render_report(report)
    assert f"  convention: {convention}" in text.splitlines()
    worst_line = next(line for line in text.splitlines() if line.startswith("  worst entry: θ_"))
    assert ("≤ 1e-08 (float64)" if status == CORRECT else "relative error 2 > 1e-08") in worst_line
    assert worst_line in render_report(report, "markdown")
    data = json.loads(render_report(report, "json"))
    assert data["convention"] == convention
    assert set(data["worst"]) == {
        "dataset",
        "m",
        "n",
        "component",
        "expected",
        "received",
        "relative_error",
        "tolerance",
        "precision",
    }
    assert (data["worst"]["relative_error"] == 0.0) == (status == CORRECT)
