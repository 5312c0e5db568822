"""`check --python` on code as users write it (third round): Octave course files, a softmax of W and a separate
bias b, Loy's backprop, and the faults that had no name (a flipped intercept sign, the bias penalised in lasso,
'/ 2*m', the hinge's labels dropped), NumPy's 1-D `.T` and a data.npz of the user's own.

Every file's verdict is measured here first, independently of derivation: its returned values against central
differences of the cost written in NumPy (the right file equal to them, the wrong one off by exactly the named
fault), then the check must say ✓ or ✗ with that fault.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from central import central_differences as _fd

from derivation.check.gradient import check_gradient
from derivation.check.usercode import InputError
from derivation.nets.check import check_mlp

DATA = Path(__file__).parent / "data" / "check_users3"
OCTAVE = Path(__file__).parent / "data" / "octave"
RNG = np.random.default_rng(11)
X1 = np.column_stack([np.ones(6), RNG.normal(size=(6, 2))])  # m = 6, n = 2, with the column of ones
THETA = np.array([0.4, -0.7, 1.1])
Y01 = np.array([0.0, 1, 1, 0, 1, 0])
YPM = 2 * Y01 - 1
YREAL = RNG.normal(size=6)
LAM = 0.8


def _function(file: str, name: str):
    spec = importlib.util.spec_from_file_location(Path(file).stem, DATA / file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _logistic(theta):
    h = _sigmoid(X1 @ theta)
    return -np.mean(Y01 * np.log(h) + (1 - Y01) * np.log(1 - h))


def _check(model: str, spec: str):
    return check_gradient(model, python=str(DATA / spec))


# --- faults named: each wrong file is the right gradient off by exactly the fault, by finite differences --------


def test_a_flipped_intercept_sign_in_a_w_b_function_is_named():
    expected = _fd(_logistic, THETA)
    db, dw = _function("wb_bias_sign.py", "compute_gradient")(X1[:, 1:], Y01, THETA[1:], THETA[0])
    assert np.isclose(db, -expected[0], rtol=1e-6) and np.allclose(dw, expected[1:], rtol=1e-6)
    db, dw = _function("wb_bias_sign.py", "compute_gradient_right")(X1[:, 1:], Y01, THETA[1:], THETA[0])
    assert np.allclose([db, *dw], expected, rtol=1e-6)
    assert _check("logistic", "wb_bias_sign.py:compute_gradient_right").status == "correct"
    report = _check("logistic", "wb_bias_sign.py:compute_gradient")
    assert report.status == "incorrect" and report.diagnosis.fault == "bias-sign"
    assert "sign flipped on b" in report.diagnosis.name


def test_slash_two_times_m_is_named_as_precedence():
    m = len(YREAL)
    expected = _fd(lambda t: np.sum((X1 @ t - YREAL) ** 2) / (2 * m), THETA)
    received = _function("precedence.py", "compute_gradient")(X1, YREAL, THETA)
    assert np.allclose(received, m**2 / 2 * expected, rtol=1e-6)  # (… / 2)·m, not … / (2m)
    assert np.allclose(_function("precedence.py", "compute_gradient_right")(X1, YREAL, THETA), expected, rtol=1e-6)
    assert _check("linear", "precedence.py:compute_gradient_right").status == "correct"
    report = _check("linear", "precedence.py:compute_gradient")
    assert report.status == "incorrect" and report.diagnosis.fault == "precedence"
    assert "'… / 2*m' as (… / 2)·m" in report.diagnosis.explanation


def test_the_bias_penalised_in_lasso_is_named():
    m = len(YREAL)
    cost = lambda t: np.sum((X1 @ t - YREAL) ** 2) / (2 * m) + LAM * np.sum(np.abs(t[1:]))  # noqa: E731
    expected = _fd(cost, THETA)  # no θ_j is 0: |θ_j| is differentiable there
    wrong = _function("lasso_bias.py", "lasso_gradient")(THETA, X1, YREAL, LAM)
    assert np.allclose(wrong[1:], expected[1:], rtol=1e-6) and np.isclose(wrong[0] - expected[0], LAM * np.sign(0.4))
    right = _function("lasso_bias.py", "lasso_gradient_right")(THETA, X1, YREAL, LAM)
    assert np.allclose(right, expected, rtol=1e-6)
    assert _check("lasso", "lasso_bias.py:lasso_gradient_right").status == "correct"
    report = _check("lasso", "lasso_bias.py:lasso_gradient")
    assert report.status == "incorrect" and report.diagnosis.fault == "bias-penalised"


def test_the_labels_dropped_from_the_hinge_are_named():
    m = len(YPM)
    cost = lambda t: np.mean(np.maximum(0, 1 - YPM * (X1 @ t))) + LAM / (2 * m) * t[1:] @ t[1:]  # noqa: E731
    assert np.min(np.abs(1 - YPM * (X1 @ THETA))) > 1e-3  # away from the kinks: the subgradient is the gradient
    expected = _fd(cost, THETA)
    right = _function("hinge_labels.py", "svm_subgradient_right")(THETA, X1, YPM, LAM)
    assert np.allclose(right, expected, rtol=1e-6)
    mask = (YPM * (X1 @ THETA) < 1).astype(float)
    wrong = _function("hinge_labels.py", "svm_subgradient")(THETA, X1, YPM, LAM)
    assert np.allclose(wrong - right, X1.T @ (mask * YPM - mask) / m)  # exactly the labels left out
    assert _check("hinge", "hinge_labels.py:svm_subgradient_right").status == "correct"
    report = _check("hinge", "hinge_labels.py:svm_subgradient")
    assert report.status == "incorrect" and report.diagnosis.fault == "labels-dropped"


# --- a softmax of W (K, n) or (n, K) and a separate bias b (K,), returning (dW, db) ---------------------------


def _softmax_cost(w, b, x, y):
    scores = x @ w.T + b
    scores = scores - scores.max(axis=1, keepdims=True)
    logp = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    return -np.mean(logp[np.arange(len(y)), y])


@pytest.mark.parametrize(
    ("name", "verdict", "fault"),
    [
        ("softmax_grad", "correct", None),
        ("softmax_grad_dk", "correct", None),
        ("softmax_grad_wrong", "incorrect", "sign"),
    ],
)
def test_a_softmax_with_a_separate_bias_b(name, verdict, fault):
    X, y = RNG.normal(size=(7, 2)), np.array([0, 1, 2, 1, 0, 2, 2])
    W, b = RNG.normal(size=(3, 2)), RNG.normal(size=3)  # scikit-learn's coef_ (K, n) and intercept_ (K,)
    expected_W = _fd(lambda w: _softmax_cost(w, b, X, y), W)
    expected_b = _fd(lambda v: _softmax_cost(W, v, X, y), b)
    function = _function("softmax_coef_bias.py", name)
    dW, db = function(W.T, b, X, y) if name.endswith("_dk") else function(W, b, X, y)
    dW = dW.T if name.endswith("_dk") else dW
    sign = -1 if fault == "sign" else 1
    assert np.allclose(dW, sign * expected_W, rtol=1e-5) and np.allclose(db, sign * expected_b, rtol=1e-5)
    report = _check("softmax", f"softmax_coef_bias.py:{name}")
    assert report.status == verdict, report.reason
    assert "separate bias b of shape (K,)" in report.convention
    assert (report.diagnosis.fault if report.diagnosis else None) == fault


# --- Octave: its words, and ex1's single-variable code right for one feature -------------------------------------


def test_an_octave_file_is_called_an_octave_function_without_the_column_vector_note():
    report = check_gradient("logistic", python=str(OCTAVE / "costFunction.m"))
    assert report.status == "correct" and report.input_kind.startswith("Octave function costFunction")
    assert not any("column vectors" in note for note in report.notes)
    wrong = check_gradient("logistic", python=str(OCTAVE / "costFunction_cost_typo.m"))
    assert wrong.diagnosis.fault == "wrong-cost" and "fminunc" in wrong.diagnosis.explanation
    assert "scipy" not in wrong.diagnosis.explanation


def _one_feature_step(name: str) -> tuple[np.ndarray, np.ndarray]:
    """(θ − θ after one step)/α of the NumPy twin, and finite differences of the linear cost, on one feature."""
    X, y, theta, alpha = X1[:, :2], YREAL, THETA[:2], 0.1
    cost = lambda t: np.sum((X @ t - y) ** 2) / (2 * len(y))  # noqa: E731
    stepped = _function("one_feature.py", name)(X, y, theta, alpha, 1)
    return (theta - stepped) / alpha, _fd(cost, theta)


@pytest.mark.parametrize("file", ["gradientDescentOne.m", "one_feature.py"])
def test_single_variable_code_is_right_for_one_feature(file):
    received, expected = _one_feature_step("gradient_descent")
    assert np.allclose(received, expected, rtol=1e-6)
    report = _check("linear", file + (":gradient_descent" if file.endswith(".py") else ""))
    assert report.status == "correct", report.reason
    assert any(note.startswith("right only for one feature (n = 1)") for note in report.notes)


def test_single_variable_code_without_the_1_over_m_is_named_on_one_feature():
    received, expected = _one_feature_step("gradient_descent_no_m")
    assert np.allclose(received, len(YREAL) * expected, rtol=1e-6)
    report = _check("linear", "gradientDescentOne_no_m.m")
    assert report.status == "incorrect" and report.diagnosis.fault == "summed"
    assert any(note.startswith("checked for one feature (n = 1)") for note in report.notes)
    assert not any(note.startswith("right") for note in report.notes)


# --- NumPy's .T of a 1-D reduction, Loy's backprop, a data.npz of the user's own ----------------------------------


_SUM = "np.sum(X * (sigmoid(X @ theta) - y)[:, None], axis=0).T"


@pytest.mark.parametrize(
    ("grad", "verdict"),
    [(f"{_SUM} / m", "correct"), (_SUM.replace("sum", "mean"), "correct"), (_SUM, "incorrect")],
)
def test_the_transpose_of_a_1d_sum_changes_nothing(grad, verdict):
    m = len(Y01)
    numpy = grad.replace("sigmoid", "_sigmoid")
    value = eval(numpy, {"np": np, "_sigmoid": _sigmoid, "X": X1, "y": Y01, "theta": THETA, "m": m})  # our text
    assert value.shape == (3,) and np.allclose(value, _fd(_logistic, THETA) * (m if verdict == "incorrect" else 1))
    report = check_gradient("logistic", grad=grad)
    assert report.status == verdict and not report.reason.startswith("wrong shape")
    if verdict == "incorrect":
        assert report.diagnosis.fault == "summed"


def test_loys_backprop_is_refused_in_plain_words():
    with pytest.raises(InputError) as error:
        check_mlp(f"{DATA / 'loy_nn.py'}:NeuralNetwork.backprop")
    message = error.value.args[0]
    assert "takes no the" not in message
    for said in ("self.input", "self.weights1", "squared error", "no biases", "in place", "returns no gradients"):
        assert said in message, message
    assert "check mlp reads a function that takes" in message


def test_a_data_npz_of_the_users_own_beside_the_script_is_theirs(tmp_path):
    script = tmp_path / "grad_npz.py"
    script.write_text(
        "import numpy as np\n\ndata = np.load('data.npz')\nX_train = data['X_train']  # theirs, not ours\n\n\n"
        "def gradient(theta, X, y):\n    return X.T @ (1 / (1 + np.exp(-X @ theta)) - y) / len(y)\n"
    )
    np.savez(tmp_path / "data.npz", X_train=np.ones((3, 2)))
    report = check_gradient("logistic", python=f"{script}:gradient")
    assert report.status == "correct"
    assert not any("importing the whole file" in note or "not copied" in note for note in report.notes), report.notes
