r"""Costs as users write them: J(θ) = on the left, matrix (vectorised) form, NumPy spelling.

Each cost text is read (the matrix form lowered entry by entry to the index form), derived by the
engine, and judged against oracles written here: the cost evaluated in NumPy on random X, y, θ, and
its central differences.  The reading must also be the one the index notation of the same cost gives.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derivation.core.notation import X
from derivation.derive.api import derive_model
from derivation.derive.costs import cost_forms, model_from_cost
from derivation.derive.matrix_reading import (
    READ_RULE,
    reading_step,
    reading_verdict,
    with_matrix_reading,
    with_reading_step,
)
from derivation.models.costs import CostError, read_cost, read_written_cost, zero_based
from derivation.models.matrix_costs import lower
from derivation.oracle.datasets import Dataset, Evaluator
from derivation.parsing import parse_latex
from tests.cli_runner import run_cli

# --- the costs, in NumPy, written here: the independent judge ------------------------------------


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _squares(xs, y, t, lam):
    return np.sum((xs @ t - y) ** 2) / (2 * len(y))


def _mean_squares(xs, y, t, lam):
    return np.mean((xs @ t - y) ** 2)


def _ridge(xs, y, t, lam):  # the bias θ₀ not penalised
    return _squares(xs, y, t, lam) + lam / (2 * len(y)) * np.sum(t[1:] ** 2)


def _ridge_all(xs, y, t, lam):  # θᵀθ: every θ_k penalised
    return _squares(xs, y, t, lam) + lam / (2 * len(y)) * t @ t


def _cross_entropy(xs, y, t, lam):
    h = _sigmoid(xs @ t)
    return -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))


def _logistic_pm1(xs, y, t, lam):
    return np.mean(np.log(1 + np.exp(-y * (xs @ t))))


def _sigmoid_squares(xs, y, t, lam):
    return np.sum((_sigmoid(xs @ t) - y) ** 2) / len(y)


def _sum_of_scores(xs, y, t, lam):
    return np.sum(xs @ t)


SQUARES = r"\frac{1}{2m}\sum_{i=1}^{m}(\theta^T x^{(i)} - y^{(i)})^2"
MEAN_SQUARES = r"\frac{1}{m}\sum_{i=1}^{m}(\theta^T x^{(i)} - y^{(i)})^2"
RIDGE = SQUARES + r" + \frac{\lambda}{2m}\sum_{j=1}^n \theta_j^2"
RIDGE_ALL = SQUARES + r" + \frac{\lambda}{2m}\sum_{k=0}^n \theta_k^2"
CROSS_ENTROPY = (
    r"-\frac{1}{m}\sum_{i=1}^m (y^{(i)}\log(\sigma(\theta^T x^{(i)})) + (1-y^{(i)})\log(1-\sigma(\theta^T x^{(i)})))"
)
PM1 = r"\frac{1}{m}\sum_{i=1}^m \log(1+e^{-y^{(i)}\theta^T x^{(i)}})"
SIGMOID_SQUARES = r"\frac{1}{m}\sum_{i=1}^m (\sigma(\theta^T x^{(i)}) - y^{(i)})^2"
SCORES = r"\sum_{i=1}^m \theta^T x^{(i)}"

H = "sigmoid(X @ theta)"
# (text, LaTeX?, the same cost in index notation, the NumPy cost)
COSTS = [
    # LaTeX, as courses write it
    (r"J(\theta) = \frac{1}{2m}\sum_{i=1}^{m}(\theta^T x^{(i)} - y^{(i)})^2", True, SQUARES, _squares),
    (r"\frac{1}{2m}(X\theta - y)^T(X\theta - y)", True, SQUARES, _squares),
    (r"J(\theta) = \frac{1}{2m}\|X\theta - y\|^2", True, SQUARES, _squares),
    (r"\frac{1}{2m}\left\lVert X\theta - y\right\rVert_2^2", True, SQUARES, _squares),
    (r"L(w) = \frac{1}{m}\|X\theta - y\|_2^2", True, MEAN_SQUARES, _mean_squares),
    (r"\frac{1}{2m}(X\theta - y)^T(X\theta - y) + \frac{\lambda}{2m}\sum_{j=1}^n \theta_j^2", True, RIDGE, _ridge),
    (r"\frac{1}{2m}\|X\theta - y\|^2 + \frac{\lambda}{2m}\theta^T\theta", True, RIDGE_ALL, _ridge_all),
    (r"\frac{1}{2m}\|X\theta - y\|^2 + \frac{\lambda}{2m}\|\theta\|^2", True, RIDGE_ALL, _ridge_all),
    (r"-\frac{1}{m}(y^T\log(\sigma(X\theta)) + (1-y)^T\log(1-\sigma(X\theta)))", True, CROSS_ENTROPY, _cross_entropy),
    (r"J(\theta) = \frac{1}{m}\mathbf{1}^T \log(1+e^{-y \odot X\theta})", True, PM1, _logistic_pm1),
    (r"\frac{1}{m}\sum_i \log(1+\exp(-y_i x_i^T\theta))", True, PM1, _logistic_pm1),
    (r"\frac{1}{m}\sum_{i=1}^{m} \log(1+\exp(-y_i \theta^T x_i))", True, PM1, _logistic_pm1),
    (
        r"\mathcal{J}(\theta) := \frac{1}{m}(\sigma(X\theta) - y)^T(\sigma(X\theta) - y)",
        True,
        SIGMOID_SQUARES,
        _sigmoid_squares,
    ),
    (r"\mathbf{1}^T X\theta", True, SCORES, _sum_of_scores),
    (r"J(\theta)=\frac{1}{2}(X\theta-y)^T(X\theta-y)/m", True, SQUARES, _squares),
    (r"\frac{1}{2m}\sum_{i=1}^m (x^{(i)T}\theta - y^{(i)})^2", True, SQUARES, _squares),
    (r"\frac{1}{m}\sum_{i=1}^m ((X\theta)_i - y_i)^2", True, MEAN_SQUARES, _mean_squares),
    (
        r"\frac{1}{2m}(\mathbf{X}\boldsymbol{\theta} - \mathbf{y})^\top(\mathbf{X}\boldsymbol{\theta} - \mathbf{y})",
        True,
        SQUARES,
        _squares,
    ),
    # NumPy, as exercises and blog posts write it
    (
        "J = (-1/m) * (y.T @ np.log(h) + (1 - y).T @ np.log(1 - h))".replace("h", H),
        False,
        CROSS_ENTROPY,
        _cross_entropy,
    ),  # Andrew Ng's ex2, h written out)
    (f"-np.mean(y*np.log({H}) + (1-y)*np.log(1-{H}))", False, CROSS_ENTROPY, _cross_entropy),
    (f"cost = -np.sum(y*np.log({H}) + (1-y)*np.log(1-{H}))/m", False, CROSS_ENTROPY, _cross_entropy),
    ("J = 1/m * sum((sigmoid(X @ theta) - y)**2)", False, SIGMOID_SQUARES, _sigmoid_squares),
    ("1/m * sum((sigmoid(X @ theta) - y)**2)", False, SIGMOID_SQUARES, _sigmoid_squares),
    ("sum((sigmoid(theta.T @ x[i]) - y[i])**2 for i in range(m)) / m", False, SIGMOID_SQUARES, _sigmoid_squares),
    ("np.mean((X @ theta - y)**2)", False, MEAN_SQUARES, _mean_squares),
    ("np.sum((X @ theta - y)**2)/(2*m)", False, SQUARES, _squares),
    ("(1/(2*m)) * (X@theta - y).T @ (X@theta - y)", False, SQUARES, _squares),
    ("np.linalg.norm(X@theta - y)**2 / (2*m)", False, SQUARES, _squares),
    ("loss = np.sum((np.dot(X, theta) - y)**2) / (2*m)", False, SQUARES, _squares),
    ("J = np.sum(np.square(X.dot(theta) - y)) / (2*m) + lam/(2*m) * np.sum(theta[1:]**2)", False, RIDGE, _ridge),
    ("np.sum((X @ theta - y)**2)/(2*m) + lam/(2*m) * theta @ theta", False, RIDGE_ALL, _ridge_all),
    ("sum((theta @ x[j] - y[j])**2 for j in range(m)) / (2*m)", False, SQUARES, _squares),  # j: not ∂/∂θ_j's
    ("np.mean(np.log(1 + np.exp(-y * (X @ theta))))", False, PM1, _logistic_pm1),
    ("sum(np.log(1 + np.exp(-y[i] * x[i] @ theta)) for i in range(len(y))) / m", False, PM1, _logistic_pm1),
]
IDS = [f"{k}-{text[:40]}" for k, (text, *_rest) in enumerate(COSTS)]


@functools.cache
def _data(m: int = 7, n: int = 3, seed: int = 5) -> Dataset:
    rng = np.random.default_rng(seed)
    X = np.hstack([np.ones((m, 1)), rng.normal(size=(m, n))])
    y = rng.uniform(0.1, 0.9, size=m)  # in (0, 1): every cost here is finite on it (logs of σ, ±y products)
    return Dataset(m, n, X, y, rng.normal(size=n + 1) * 0.5, lam=0.7)


def _central_differences(cost, d: Dataset) -> np.ndarray:
    h = 1e-6
    out = np.empty(d.n + 1)
    for k in range(d.n + 1):
        step = np.zeros(d.n + 1)
        step[k] = h
        out[k] = (cost(d.X, d.y, d.theta + step, d.lam) - cost(d.X, d.y, d.theta - step, d.lam)) / (2 * h)
    return out


def _value(expr: sp.Basic, d: Dataset) -> np.ndarray:
    return np.asarray(Evaluator(d).value(expr), dtype=float).reshape(-1)


@functools.cache
def _forms(cost: sp.Expr):
    return cost_forms(cost)


@pytest.mark.parametrize(("text", "latex", "index", "numpy_cost"), COSTS, ids=IDS)
def test_a_cost_as_users_write_it_is_read_and_derived_right(text, latex, index, numpy_cost):
    d = _data()
    cost = read_cost(text, latex=latex)
    truth = numpy_cost(d.X, d.y, d.theta, d.lam)
    assert np.isclose(_value(zero_based(cost), d)[0], truth, rtol=1e-10)
    gradient = _value(_forms(cost).matrix_gradient, d)
    assert np.allclose(gradient, _central_differences(numpy_cost, d), rtol=1e-5, atol=1e-7)
    same = read_cost(index)  # the index notation of the same cost: the same tree, or one that differs in names only
    if cost != same:
        assert _value(zero_based(same), d)[0] == pytest.approx(truth, rel=1e-12)
        assert np.allclose(_value(_forms(same).matrix_gradient, d), gradient, rtol=1e-12)


def test_the_index_form_is_the_one_the_notation_gives_exactly():
    """Not only equal in value: the same tree, so derive/costs.py, the kernels and show see one cost."""
    assert read_cost(r"\frac{1}{2m}(X\theta - y)^T(X\theta - y)") == read_cost(SQUARES)
    assert read_cost(r"\mathbf{1}^T X\theta") == read_cost(SCORES)
    assert read_cost(r"\frac{1}{2m}(\theta^T X^T X\theta - 2y^T X\theta + y^Ty)") == read_cost(
        r"\frac{1}{2m}\sum_{i=1}^m ((\theta^T x^{(i)})^2 - 2y^{(i)}\theta^T x^{(i)} + (y^{(i)})^2)"
    )
    assert read_cost(r"\frac{1}{m}\mathbf{1}^T \log(1+e^{-y \odot X\theta})") == read_cost(PM1)
    assert read_cost("np.sum((X @ theta - y)**2)/(2*m)", latex=False) == read_cost(SQUARES)
    matrix_entropy = r"-\frac{1}{m}(y^T\log(\sigma(X\theta)) + (1-y)^T\log(1-\sigma(X\theta)))"
    assert read_cost(matrix_entropy) == read_cost(CROSS_ENTROPY)  # 1ᵀu + 1ᵀv shares one Σ_i
    assert read_cost(r"\frac{1}{2m}(X\theta - y)^T(X\theta - y) + \frac{\lambda}{2m}\sum_{j=1}^n \theta_j^2") == (
        read_cost(RIDGE)
    )


def test_sympy_entry_would_capture_indices_ours_does_not():
    """SymPy's expr[0, 0] reuses one dummy for two sums here (X[_i_1, _i_1]): a different cost.  Ours is right."""
    d = _data()
    written = r"-\frac{1}{m}(y^T\log(\sigma(X\theta)) + (1-y)^T\log(1-\sigma(X\theta)))"
    matrix = parse_latex(written)
    truth = _cross_entropy(d.X, d.y, d.theta, d.lam)
    ours = lower(matrix)
    assert np.isclose(_value(zero_based(ours), d)[0], truth, rtol=1e-12)
    assert np.isclose(_value(matrix, d)[0], truth, rtol=1e-12)  # the matrix form itself, evaluated by NumPy
    # x_k⁽ⁱ⁾: example and feature indices apart by name too (printers, the evaluator and kernels go by names)
    ours_x = [a for a in ours.atoms(sp.Indexed) if a.base.label.name == "x"]
    assert ours_x and all(str(a.indices[0]) != str(a.indices[1]) for a in ours_x)
    assert len({str(s) for s in _bound(ours)}) == len(_bound(ours))
    captured = matrix[0, 0]  # what a lowering by SymPy gives: X[_i_1, _i_1], two indices under one name
    assert any(e.parent == X and str(e.i) == str(e.j) for e in captured.atoms(MatrixElement))


def _bound(expr: sp.Basic) -> set:
    return {limit[0] for s in expr.atoms(sp.Sum) for limit in s.limits}


def test_the_reading_step_is_checked_on_numbers_and_fails_a_wrong_reading():
    d = (_data(), _data(5, 2, 9))
    written = read_written_cost(r"J(\theta) = \frac{1}{m}\mathbf{1}^T\log(1 + e^{-y \odot X\theta})")
    assert written.matrix is not None
    step = reading_step(written.matrix, written.cost, d)
    assert step.verdict.ok and step.rule == "vectorised form read entry by entry"
    # y ⊙ Xθ read as (y ⊙ X)θ, or the mean read as a sum: the oracle says the step fails
    wrong = read_cost(r"\sum_{i=1}^m \log(1+e^{-y^{(i)}\theta^T x^{(i)}})")
    assert not reading_step(written.matrix, wrong, d).verdict.ok
    assert read_written_cost(PM1).matrix is None  # written by index: no such step


def test_the_derivation_says_first_that_the_matrix_form_was_read_as_the_sum():
    text = r"J(\theta) = \frac{1}{2m}\|X\theta - y\|^2"
    model = model_from_cost(text)
    written = read_written_cost(text)
    data = (_data(), _data(5, 2, 9))
    derivation = with_reading_step(derive_model(model), written.matrix, written.cost, data)
    first, read = derivation.steps[:2]
    assert first.rule == "definition" and first.expr.expr == written.matrix
    assert read.rule == READ_RULE and read.verdict.ok and read.expr.expr == written.cost
    assert derivation.verified
    wrong = read_cost(r"\frac{1}{m}\sum_{i=1}^{m}(\theta^T x^{(i)} - y^{(i)})^2")  # a reading off by 2
    assert not reading_verdict(written.matrix, wrong, data).ok
    assert with_matrix_reading(derive_model(model, verify=False), model).steps[1].rule == READ_RULE  # as show does
    python = model_from_cost("np.sum((X @ theta - y)**2)/(2*m)", latex=False)
    assert with_matrix_reading(derive_model(python, verify=False), python, latex=False).steps[1].verdict.ok
    by_index = derive_model(model_from_cost(SQUARES))
    assert with_reading_step(by_index, read_written_cost(SQUARES).matrix, by_index.steps[0].expr.expr, data) is by_index


@pytest.mark.parametrize(
    ("text", "latex", "numpy_cost"),
    [
        (r"\frac{1}{m}\mathbf{1}^T \log(1+e^{-y \odot X\theta})", True, _logistic_pm1),  # y ⊙ (Xθ), not (y ⊙ X)θ
        (r"\frac{1}{m}\mathbf{1}^T \log(1+e^{-X\theta \odot y})", True, _logistic_pm1),
        ("np.mean((X @ theta - y)**2)", False, _mean_squares),  # mean divides by m
        ("(X@theta - y).T @ (X@theta - y) / m", False, _mean_squares),  # .T on a vector: an inner product
        ("np.mean(np.log(1 + np.exp(-y * (X @ theta.T))))", False, _logistic_pm1),  # .T of a 1-D θ changes nothing
    ],
)
def test_readings_that_look_alike_are_told_apart_by_value(text, latex, numpy_cost):
    d = _data(6, 2, 3)
    got = _value(zero_based(read_cost(text, latex=latex)), d)[0]
    assert np.isclose(got, numpy_cost(d.X, d.y, d.theta, d.lam), rtol=1e-12)


def test_show_derives_a_matrix_cost_and_a_numpy_one_from_the_command_line():
    done = run_cli("show", "--cost", r"J(\theta) = \frac{1}{2m}\|X\theta - y\|^2")
    assert done.returncode == 0 and "all verified" in done.stdout, done.stderr
    done = run_cli("show", "--python", "--cost", "J = 1/m * sum((sigmoid(X @ theta) - y)**2)")
    assert done.returncode == 0 and "all verified" in done.stdout, done.stderr


@pytest.mark.parametrize(
    ("text", "latex", "words"),
    [
        (r"\frac{1}{2m}(X\theta - y)(X\theta - y)^T", True, "m×m matrix, not a number"),
        (r"X\theta - y", True, "m×1 matrix, not a number"),
        (r"\|X\|^2", True, r"\|v\| is read for a vector"),
        (r"\|X\theta - y\|_1", True, "the Euclidean one"),
        (r"\|X\theta - y", True, r"a \| with no closing one"),
        ("np.mean((X @ theta - y)**2", False, "'(' was never closed"),
        ("theta[1:3] @ theta[1:3]", False, "slices are not allowed, except v[1:]"),
        ("sum(y[i] for i in y)", False, "a sum over a range is read"),
        ("np.sum(X @ y)", False, "shapes do not match for '@'"),
        ("J = np.median(X @ theta - y)", False, "attribute '.median' is not allowed"),
        (r"\theta^T (I - e_0 e_0^T)\theta", True, r"write the penalty as \sum_{j=1}^n \theta_j^2"),
        ("cost = X", False, "the cost is a m×(n + 1) matrix, not a number"),
        (r"-\frac{1}{m}(y^T\log(h) + (1-y)^T\log(1-h))", True, r"write h out: \sigma(X\theta)"),
        ("-np.mean(y*np.log(h) + (1-y)*np.log(1-h))", False, "write h out: sigmoid(X @ theta)"),
    ],
)
def test_bad_costs_say_why_in_one_line(text, latex, words):
    with pytest.raises(CostError, match=None) as caught:
        read_cost(text, latex=latex)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_cli_errors_are_one_line_exit_2():
    done = run_cli("show", "--cost", r"\frac{1}{2m}(X\theta - y)(X\theta - y)^T")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "not a number" in done.stderr
    done = run_cli("show", "--python", "--cost", "np.mean((X @ theta - y)**2")
    assert done.returncode == 2 and done.stderr.count("\n") == 1


def test_check_and_kernel_take_a_matrix_cost(tmp_path):
    ridge = r"J(\theta) = \frac{1}{2m}\|X\theta - y\|^2 + \frac{\lambda}{2m}\sum_{j=1}^n \theta_j^2"
    right = "X.T @ (X @ theta - y) / m + lam / m * (theta - theta[0] * e0)"
    done = run_cli("check", "--cost", ridge, "--grad", right)
    assert done.returncode == 0 and "correct" in done.stdout, done.stdout + done.stderr
    assert run_cli("check", "--cost", ridge, "--grad", "X.T @ (X @ theta - y) / m").returncode == 1
    out = tmp_path / "k.py"
    done = run_cli("kernel", "--python", "--cost", "np.mean(np.log(1 + np.exp(-y * (X @ theta))))", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "def value_and_grad(" in out.read_text(encoding="utf-8")


_VECTORS = {
    True: [r"X\theta", "y", r"(X\theta - y)", r"\sigma(X\theta)", r"\log(1+e^{-y \odot X\theta})", r"(1-y)"],
    False: ["(X @ theta)", "y", "(X @ theta - y)", "sigmoid(X @ theta)", "np.exp(-y * X.dot(theta))", "(1 - y)"],
}
_TERMS = {
    True: [
        r"({a})^T{b}",
        r"\|{a}\|^2",
        r"\mathbf{{1}}^T ({a} \odot {b})",
        r"\frac{{1}}{{2m}}({a})^T {b}",
        r"\theta^T\theta",
    ],
    False: ["{a}.T @ {b}", "np.linalg.norm({a})**2", "np.mean({a} * {b})", "{a} @ {b} / m", "np.sum(np.square({a}))"],
}


@pytest.mark.parametrize("latex", [True, False])
def test_random_matrix_costs_read_entry_by_entry_equal_the_matrix_form_evaluated_by_numpy(latex):
    """Compositions of products, ⊙, norms, sums and functions: the oracle evaluates the matrix form as arrays."""
    rng = np.random.default_rng(11 if latex else 12)
    data = (_data(), _data(5, 2, 9))
    for _ in range(12):
        terms = []
        for _ in range(rng.integers(1, 3, endpoint=True)):
            a, b = (_VECTORS[latex][k] for k in rng.integers(0, len(_VECTORS[latex]), 2))
            terms.append(_TERMS[latex][rng.integers(0, len(_TERMS[latex]))].format(a=a, b=b))
        terms.append(r"\theta^T\theta" if latex else "theta @ theta")  # so that every cost depends on θ
        written = read_written_cost(" + ".join(terms), latex=latex)
        verdict = reading_verdict(written.matrix, written.cost, data)
        assert verdict.ok, (" + ".join(terms), verdict)
