"""check --grad on element-wise forms whose NumPy shapes matter (tester 7): (X @ theta - y) * X is right only with
column θ and y; with 1-D arrays NumPy raises (m ≠ n+1) or gives a wrong vector (m = n+1).  The tool's verdict is
compared with what NumPy itself does with each text on 1-D and on column arrays (our own fixed strings, run here)."""

from __future__ import annotations

import numpy as np
import pytest

from derivation.check.gradient import check_gradient
from derivation.check.numpy_text import one_d_mismatch
from derivation.cli import main

COLUMNS_ONLY = {  # right only for θ (n+1, 1) and y (m, 1)
    "np.mean((X @ theta - y) * X, axis=0)": "linear",
    "np.sum((X @ theta - y) * X, axis=0) / m": "linear",
    "np.mean(X * (X @ theta - y), axis=0)": "linear",
    "np.mean((sigmoid(X @ theta) - y) * X, axis=0)": "logistic",
}
ONE_D = {  # right with θ (n+1,) and y (m,)
    "np.mean((X @ theta - y)[:, None] * X, axis=0)": "linear",
    "np.mean(X * (X @ theta - y).reshape(-1, 1), axis=0)": "linear",
    "X.T @ (X @ theta - y) / m": "linear",
    "(sigmoid(X @ theta) - y) @ X / m": "logistic",
}


def _numpy(text: str, m: int, p: int, column: bool, model: str):
    """What NumPy returns for ``text`` (a fixed string of this file) and the true gradient, on random data."""
    rng = np.random.default_rng(m * 10 + p)
    X = np.column_stack([np.ones(m), rng.normal(size=(m, p - 1))])
    theta, y = rng.normal(size=p), rng.integers(0, 2, size=m).astype(float)
    h = X @ theta if model == "linear" else 1 / (1 + np.exp(-X @ theta))
    truth = X.T @ (h - y) / m
    names = {"np": np, "X": X, "m": m, "sigmoid": lambda z: 1 / (1 + np.exp(-z))}
    names |= {"theta": theta[:, None], "y": y[:, None]} if column else {"theta": theta, "y": y}
    try:
        return np.asarray(eval(text, names)), truth
    except ValueError:
        return None, truth


@pytest.mark.parametrize("text", list(COLUMNS_ONLY))
def test_columns_only_forms_are_not_correct_for_1d_arrays(text):
    model = COLUMNS_ONLY[text]
    got, truth = _numpy(text, 9, 4, column=True, model=model)  # the premise, by NumPy itself
    assert np.allclose(got.reshape(-1), truth)
    assert _numpy(text, 9, 4, column=False, model=model)[0] is None  # ValueError when m ≠ n+1
    got, truth = _numpy(text, 4, 4, column=False, model=model)
    assert not np.allclose(got.reshape(-1), truth)  # m = n+1: it runs, and is wrong
    report = check_gradient(model, grad=text)
    assert report.holds_for == "θ of shape (n+1, 1) and y of shape (m, 1)"
    said = [n for n in report.notes if n.startswith("right only if theta and y are columns")]
    assert len(said) == 1 and "[:, None]" in said[0] and "ValueError when m ≠ n+1" in said[0]


@pytest.mark.parametrize("text", list(ONE_D))
def test_1d_forms_keep_their_plain_tick(text):
    model = ONE_D[text]
    got, truth = _numpy(text, 9, 4, column=False, model=model)
    assert np.allclose(got.reshape(-1), truth)
    report = check_gradient(model, grad=text)
    assert report.status == "correct" and report.holds_for is None
    assert not any("columns" in n for n in report.notes)


def test_the_fix_keeps_the_users_order_and_works_in_numpy():
    said = one_d_mismatch("np.mean(X * (X @ theta - y), axis=0)")
    fix = said.split("for 1-D arrays write ")[1]
    assert fix == "X * (X @ theta - y)[:, None]"
    got, truth = _numpy(f"np.mean({fix}, axis=0)", 9, 4, column=False, model="linear")
    assert np.allclose(got, truth)


def test_a_column_met_by_a_1d_vector_is_an_outer_broadcast():
    said = one_d_mismatch("X.T @ (sigmoid(X @ theta) - y.reshape(-1, 1)) / m")
    assert said is not None and "broadcast to shape (m, m)" in said


def test_cli_first_line_says_for_which_shapes(capsys):
    main(["check", "linear", "--grad", "np.mean((X @ theta - y) * X, axis=0)"])
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("✓ correct for θ of shape (n+1, 1) and y of shape (m, 1)")
