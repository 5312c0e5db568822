"""Tester 15's real Octave files (public repositories, copied as written into tests/data/octave_users15).

F5: ``W(:,j) = …`` on a W never set (the Coursera loop style, o08, o11, o11s) raised a fake "nonconformant
arguments": Octave creates W and grows it to the index extents.  F6: ``theta([2: end], :)`` (o05, o05s) was
"expected a value, found 'end'": ``end`` inside brackets within an index is the indexed value's.  o07: ridge with
examples in columns (``w' * xTr``), which the Python twin is found right for.

Every expected verdict comes from central differences of the author's cost (tests/central.py) against a NumPy
transliteration of the file written by hand (tester 15's truth.py), never from the tool; the runtime's growth
rules are Octave's (its Array<T>::assign and zero_dims_inquire), written out by hand below.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli

from derivation.check.gradient import check_gradient
from derivation.check.verdict import CORRECT, INCORRECT
from derivation.parsing.octave import translate_text

DATA = Path(__file__).parent / "data" / "octave_users15"

# ---------------------------------------------------------------- the data and the authors' costs

RNG = np.random.default_rng(7)
M, N = 9, 2
X = np.c_[np.ones(M), RNG.normal(size=(M, N))]  # with the column of ones
THETA = RNG.normal(size=N + 1) * 0.7
Y01 = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1.0])
YR = RNG.normal(size=M)
LAM = 0.7


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def ridge(t):  # ex5: (1/2m) Σ (xθ − y)² + (λ/2m) Σ_{j≥1} θ_j²
    return np.sum((X @ t - YR) ** 2) / (2 * M) + LAM / (2 * M) * np.sum(t[1:] ** 2)


def cross_entropy(t):  # ex2: the mean negative log-likelihood
    h = _sigmoid(X @ t)
    return -np.mean(Y01 * np.log(h) + (1 - Y01) * np.log(1 - h))


def ridge_summed(t):  # o07's own loss: Σ (θᵀx − y)² + λ θᵀθ (θ₀ included, no 1/m)
    return np.sum((X @ t - YR) ** 2) + LAM * t @ t


def _by_hand(case: str) -> np.ndarray:
    """Each file's gradient, transliterated into NumPy by hand (tester 15's truth.py), at THETA."""
    r = X @ THETA - YR
    h = _sigmoid(X @ THETA)
    zeroed = THETA.copy()
    zeroed[0] = 0  # theta(1) = 0 inside o08's loop
    return {
        "o05": X.T @ r / M + LAM / M * np.r_[0, THETA[1:]],
        "o05s": X.T @ r / M + LAM / M * THETA,  # planted: λ on θ₀
        "o08": np.array([np.sum(r * X[:, j]) / M + LAM / M * zeroed[j] for j in range(N + 1)]),
        "o11": np.array([np.sum((h - Y01) * X[:, j]) / M for j in range(N + 1)]),
        "o11s": np.array([np.sum((Y01 - h) * X[:, j]) / M for j in range(N + 1)]),  # planted: y − h
        "o07": 2 * X.T @ (X @ THETA) - 2 * X.T @ YR + 2 * LAM * THETA,
        "o07s": 2 * X.T @ (X @ THETA) - 2 * X.T @ YR + 2 * THETA,  # planted: λ dropped
    }[case]


CASES = [  # (id, file, model, the cost it is the gradient of, its arguments in the file's order)
    ("o05", "o05_divyansh_linearRegCostFunction.m", "ridge", ridge, "X y theta lam"),
    ("o05s", "o05s_l0.m", "ridge", ridge, "X y theta lam"),
    ("o08", "o08_loop_linearRegCostFunction.m", "ridge", ridge, "X y theta lam"),
    ("o11", "o11_loop_costFunction.m", "logistic", cross_entropy, "theta X y"),
    ("o11s", "o11s_sign.m", "logistic", cross_entropy, "theta X y"),
]


def _truth(case: str, cost) -> str:
    reference = central_differences(cost, THETA)
    error = np.max(np.abs(_by_hand(case) - reference)) / np.max(np.abs(reference))
    return CORRECT if error < 1e-6 else INCORRECT


def _load(text: str, name: str, folder: Path):
    translation = translate_text(text, name)
    path = folder / f"m{abs(hash((text, name)))}.py"
    path.write_text(translation.source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, translation.functions[0]


def _arguments(order: str, y: np.ndarray) -> list[np.ndarray]:
    values = {"X": X, "y": y.reshape(-1, 1), "theta": THETA.reshape(-1, 1), "lam": np.array([[LAM]])}
    return [values[name] for name in order.split()]


@pytest.mark.parametrize("case, file, model, cost, order", CASES, ids=[c[0] for c in CASES])
def test_the_translation_computes_what_the_file_says(tmp_path, case, file, model, cost, order):
    """F5 and F6: each file now translates and runs, and gives the transliteration's values."""
    module, name = _load((DATA / file).read_text(), file, tmp_path)
    _, grad = getattr(module, name)(*_arguments(order, YR if model == "ridge" else Y01))
    assert grad.shape == (N + 1, 1)
    assert np.allclose(grad.ravel(), _by_hand(case), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case, file, model, cost, order", CASES, ids=[c[0] for c in CASES])
def test_the_verdict_is_the_one_central_differences_give(case, file, model, cost, order):
    expected = _truth(case, cost)
    assert expected == (INCORRECT if case.endswith("s") else CORRECT)  # the planted slips are wrong
    report = check_gradient(model, python=str(DATA / file), timeout=30.0)
    assert report.status == expected, f"{report.status}: {report.reason}"
    if expected == CORRECT:
        assert "θ (n+1, 1), y (m, 1)" in (report.convention or "")


@pytest.mark.parametrize("case, file", [("o07", "o07_aswin_ridge.m"), ("o07s", "o07s_nolam.m")])
def test_o07_ridge_with_examples_in_columns_is_judged(case, file):
    expected = _truth(case, ridge_summed)
    assert expected == (INCORRECT if case.endswith("s") else CORRECT)
    cost = r"\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2 + \lambda\sum_{j=0}^n \theta_j^2"
    result = run_cli("check", "--cost", cost, "--octave", str(DATA / file))
    first = "✓ correct" if expected == CORRECT else "✗ incorrect"
    assert result.stdout.startswith(first), result.stdout + result.stderr
    assert "examples in columns" in result.stdout


def test_o07_translates_and_runs_with_examples_in_columns(tmp_path):
    module, name = _load((DATA / "o07_aswin_ridge.m").read_text(), "o07_aswin_ridge.m", tmp_path)
    loss, grad = getattr(module, name)(THETA.reshape(-1, 1), X.T, YR.reshape(1, -1), np.array([[LAM]]))
    assert np.allclose(grad.ravel(), _by_hand("o07")) and np.isclose(loss[0, 0], ridge_summed(THETA))
    assert _truth("o07", ridge_summed) == CORRECT


# ---------------------------------------------------------------- Octave's rules, by hand

C3 = np.array([[1.0], [2.0], [3.0]])
GROWN = [  # (body setting r, its inputs, Octave's result)
    ("r(:, 3) = c;", {"c": C3}, np.c_[np.zeros((3, 2)), C3]),  # unset r: the colon takes c's 3 rows
    ("r(2, :) = c';", {"c": C3}, np.r_[np.zeros((1, 3)), C3.T]),
    ("r(:, 2) = c';", {"c": C3}, np.c_[np.zeros((3, 1)), C3]),  # a row into a colon: its singletons dropped
    ("r(3) = 5;", {}, np.array([[0.0, 0.0, 5.0]])),  # unset r, one index: a row
    ("r(2:3, 2) = [1; 2];", {}, np.array([[0.0, 0.0], [0.0, 1.0], [0.0, 2.0]])),
    ("r(:, :) = c;", {"c": C3}, C3),
    ("r = zeros(3, 1);\n  r(:, 2) = c;", {"c": C3}, np.c_[np.zeros((3, 1)), C3]),  # grown past its end
    ("r = c;\n  r(5) = 7;", {"c": C3}, np.array([[1.0], [2.0], [3.0], [0.0], [7.0]])),  # a column stays one
    ("r = [1 2];\n  r(2, 3) = 4;", {}, np.array([[1.0, 2.0, 0.0], [0.0, 0.0, 4.0]])),
    ("for j = 1:3\n    r(:, j) = c * j;\n  end", {"c": C3}, C3 * np.array([[1.0, 2.0, 3.0]])),
    ("r = c([1, end]);", {"c": C3}, np.array([[1.0], [3.0]])),  # F6: end inside [ ] of an index
    ("r = c(end-1:end);", {"c": C3}, np.array([[2.0], [3.0]])),
    ("r = c([2:end]);", {"c": C3}, np.array([[2.0], [3.0]])),
    ("r = c([2: end], :);", {"c": C3}, np.array([[2.0], [3.0]])),
    ("r = [0; c([2:end])];", {"c": C3}, np.array([[0.0], [2.0], [3.0]])),
    ("A = c * [1 2];\n  r = A([1 end], end);", {"c": C3}, np.array([[2.0], [6.0]])),
    ("r = c([end, 1]);\n  r(end + 1) = 9;", {"c": C3}, np.array([[3.0], [1.0], [9.0]])),
]


@pytest.mark.parametrize("body, inputs, expected", GROWN, ids=[g[0].split("\n")[0] for g in GROWN])
def test_indexed_assignment_and_end_as_octave_has_them(tmp_path, body, inputs, expected):
    names = ", ".join(inputs) or "unused"
    module, name = _load(f"function r = f({names})\n  {body}\nend\n", "f.m", tmp_path)
    result = getattr(module, name)(*(inputs.values() or [np.zeros((1, 1))]))
    assert result.shape == expected.shape and np.array_equal(result, expected), result


def test_a_value_that_does_not_fit_an_existing_array_is_still_octaves_error(tmp_path):
    module, name = _load("function r = f(c)\n  r = zeros(2, 2);\n  r(:, 3) = c;\nend\n", "f.m", tmp_path)
    with pytest.raises(Exception, match=r"=: nonconformant arguments \(op1 is 2x1, op2 is 3x1\)"):
        getattr(module, name)(C3)


def test_end_outside_an_index_is_still_refused(tmp_path):
    (tmp_path / "f.m").write_text("function g = f(theta, X, y)\n  g = [1, end];\nend\n")
    result = run_cli("check", "linear", "--octave", str(tmp_path / "f.m"))
    assert result.returncode == 2 and "end" in result.stderr and "Traceback" not in result.stderr


GRADS = [  # (--grad in Octave with [2: end] in brackets as o05 writes it, its NumPy by hand at THETA)
    (
        "(1 / m) * (X' * (X * theta - y)) + (lambda / m) * [0; theta([2: end], :)]",
        X.T @ (X @ THETA - YR) / M + LAM / M * np.r_[0, THETA[1:]],
    ),
    (  # a slip: λ/(2m), the cost's factor, in the gradient
        "(1 / m) * (X' * (X * theta - y)) + (lambda / (2 * m)) * [0; theta([2:end])]",
        X.T @ (X @ THETA - YR) / M + LAM / (2 * M) * np.r_[0, THETA[1:]],
    ),
]


@pytest.mark.parametrize("grad, by_hand", GRADS, ids=["right", "half-penalty"])
def test_grad_reads_end_inside_brackets_and_judges_as_central_differences_do(grad, by_hand):
    reference = central_differences(ridge, THETA)
    expected = CORRECT if np.allclose(by_hand, reference, rtol=1e-6, atol=1e-9) else INCORRECT
    result = run_cli("check", "ridge", "--grad", grad)
    first = "✓ correct" if expected == CORRECT else "✗ incorrect"
    assert result.stdout.startswith(first), result.stdout + result.stderr
