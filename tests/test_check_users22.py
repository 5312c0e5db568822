r"""``check`` (session 31, round 4): tester 15's F3, F4 and the weights of a weighted cost's counterexample.

* F3 (p10): ``lrGradient(theta, X, y, l=1)`` of a regularised model was called with l's default and judged ✗ "takes no
  λ"; its trailing parameter with a number for default is read as λ, and the report says so.
* F4 (o03, zuoweifu's costFunctionReg.m): ``grad = sum((sigmoid(X*theta) - y) .* X) / m + …`` is a 1×(n+1) row where
  θ is a column: right values in another layout, ✓ with a warning naming the shape, never "with more features it
  gave no gradient of n+1 entries"; the same row with x_j dropped (o03s) stays ✗.
* A ✗ on a weighted cost Σ w⁽ⁱ⁾ℓᵢ prints the weights w⁽ⁱ⁾ of its counterexample.

Truth: central differences (tests/central.py) of the cost transcribed in NumPy on data of our own, the user's code
run (the Octave files transliterated by hand); never the tool's own numbers.
"""

from __future__ import annotations

import json
import types
from pathlib import Path

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli
from verdicts import check_verdict as _verdict


def _sigmoid(u):
    return 1.0 / (1.0 + np.exp(-u))


RNG = np.random.default_rng(22)
M, N = 9, 2
X = np.c_[np.ones(M), RNG.normal(size=(M, N))]
Y = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1.0])
THETA = RNG.normal(size=N + 1) * 0.7
LAM = 0.7


def _cost_l2(theta, x=X, y=Y, lam=LAM):
    """The regularised logistic cost of ex2 (θ₀ not penalised)."""
    h = _sigmoid(x @ theta)
    m = len(y)
    return -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h)) + lam / (2 * m) * np.sum(theta[1:] ** 2)


TRUTH_L2 = central_differences(_cost_l2, THETA)


def _agrees(value, truth) -> bool:
    return bool(np.allclose(np.ravel(value), np.ravel(truth), rtol=1e-6, atol=1e-8))


# --- F3: p10, a λ parameter with a default ---------------------------------------------------------------------------

P10 = """import numpy as np
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def gradient(theta, X, y):
    return (1 / len(X)) * X.T @ (sigmoid(X @ theta) - y)


def lrGradient(theta, X, y, l=1):
    theta_j1_to_n = theta[1:]
    regularized_theta = (l / len(X)) * theta_j1_to_n

    regularized_term = np.concatenate([np.array([0]), regularized_theta])

    return gradient(theta, X, y) + regularized_term
"""
P10S = P10.replace(
    "regularized_term = np.concatenate([np.array([0]), regularized_theta])",
    "regularized_term = (l / len(X)) * theta  # SLIP: lambda on theta0",
)
P10_MEAN = P10.replace("(1 / len(X)) * X.T", "X.T")  # the 1/m dropped from the data term


def _module(text: str) -> types.ModuleType:
    module = types.ModuleType("user_code")
    exec(compile(text, "user_code.py", "exec"), module.__dict__)  # the test's own copy of the user's code
    return module


@pytest.mark.parametrize("name, text", [("p10", P10), ("p10s", P10S), ("p10_no_mean", P10_MEAN)])
def test_a_lambda_parameter_with_a_default_is_read_as_lambda(tmp_path, name, text):
    right = _agrees(_module(text).lrGradient(THETA, X, Y, LAM), TRUTH_L2)
    assert right == (name == "p10")  # the truth: p10 right, its slips wrong
    path = tmp_path / f"{name}.py"
    path.write_text(text)
    result = run_cli("check", "logistic-l2", "--python", f"{path}:lrGradient")
    assert _verdict(result) == ("correct" if right else "incorrect"), result.stdout
    assert "takes no λ" not in result.stdout
    assert "l (default 1) is read as λ" in result.stdout, result.stdout
    assert 'give --call "lrGradient(theta, X, y)"' in result.stdout


def test_a_default_named_for_another_constant_is_not_lambda(tmp_path):
    text = P10.replace("l=1", "l=1, eps=1e-12").replace("+ regularized_term", "+ regularized_term + eps")
    path = tmp_path / "p10_eps.py"
    path.write_text(text)
    result = run_cli("check", "logistic-l2", "--python", f"{path}:lrGradient")
    assert "eps (default" not in result.stdout, result.stdout


def test_the_call_as_the_user_gives_it_still_decides(tmp_path):
    path = tmp_path / "p10.py"
    path.write_text(P10)
    result = run_cli("check", "logistic-l2", "--python", f"{path}:lrGradient", "--call", "lrGradient(theta, X, y, lam)")
    assert _verdict(result) == "correct", result.stdout
    assert "default 1" not in result.stdout


# --- F4: o03, an Octave grad returned as a row -----------------------------------------------------------------------

O03 = """function [J, grad] = costFunctionReg(theta, X, y, lambda)
% Initialize some useful values
m = length(y); % number of training examples

% You need to return the following variables correctly
J = 0;
grad = zeros(size(theta));

J = sum(-y.*log(sigmoid(X*theta))-(1-y).*log(1-sigmoid(X*theta)))/m+lambda*(sum(theta.*theta)-theta(1)*theta(1))/(2*m);

temp = theta;
temp(1) = 0;
grad = sum((sigmoid(X*theta) - y) .* X) / m + lambda * temp.' / m;
end
"""
O03S = O03.replace(
    "grad = sum((sigmoid(X*theta) - y) .* X) / m", "grad = sum((sigmoid(X*theta) - y)) / m"
)  # tester 15's planted slip: x_j dropped
O03B = O03.replace("\nend\n", "\ngrad = grad(:);\nend\n")
O03_TWICE = O03.replace("lambda * temp.' / m", "2 * lambda * temp.' / m")  # a wrong penalty, in a row


def _o03_numpy(name: str, theta=THETA, x=X, y=Y, lam=LAM):
    """The files transliterated by hand: sum(A .* X) sums each column (a 1×(n+1) row), temp.' a row."""
    h = _sigmoid(x @ theta)
    temp = theta.copy()
    temp[0] = 0
    m = len(y)
    if name == "o03s":
        return (np.sum(h - y) / m + lam * temp / m).reshape(1, -1)
    factor = 2 if name == "o03_twice" else 1
    row = (np.sum((h - y)[:, None] * x, axis=0) / m + factor * lam * temp / m).reshape(1, -1)
    return row.reshape(-1, 1) if name == "o03b" else row


@pytest.mark.parametrize("name, text", [("o03", O03), ("o03b", O03B), ("o03s", O03S), ("o03_twice", O03_TWICE)])
def test_an_octave_row_gradient_is_judged_by_its_values(tmp_path, name, text):
    values = _o03_numpy(name)
    right = _agrees(values, TRUTH_L2)
    assert right == (name in ("o03", "o03b"))
    path = tmp_path / "costFunctionReg.m"
    path.write_text(text)
    result = run_cli("check", "logistic-l2", "--octave", str(path))
    assert _verdict(result) == ("correct" if right else "incorrect"), result.stdout
    assert "with more features it gave no gradient" not in result.stdout
    if name == "o03":
        assert "1×(n+1) row" in result.stdout.splitlines()[0], result.stdout
        assert "grad = grad(:)" in result.stdout
    if name == "o03b":
        assert "row" not in result.stdout.splitlines()[0]


def test_a_numpy_row_stays_a_wrong_shape_without_the_one_feature_note(tmp_path):
    text = (
        "import numpy as np\n"
        "def grad(theta, X, y):\n"
        "    h = 1 / (1 + np.exp(-(X @ theta)))\n"
        "    return np.reshape((h - y) @ X / len(y), (1, -1))\n"
    )
    path = tmp_path / "row.py"
    path.write_text(text)
    result = run_cli("check", "logistic", "--python", f"{path}:grad")
    assert _verdict(result) == "incorrect", result.stdout
    assert "transposed" in result.stdout
    assert "with more features it gave no gradient" not in result.stdout


# --- a weighted cost's counterexample shows w⁽ⁱ⁾ ---------------------------------------------------------------------

WEIGHTED_COST = (
    r"J(\theta) = -\frac{1}{m}\sum_{i=1}^{m} w^{(i)}\left[y^{(i)}\log\sigma(\theta^T x^{(i)}) + "
    r"(1-y^{(i)})\log(1-\sigma(\theta^T x^{(i)}))\right]"
)
DROPPED = (
    r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m}"
    r"\left(\sigma(\theta^T x^{(i)}) - y^{(i)}\right)x_j^{(i)}"
)


def test_the_counterexample_of_a_weighted_cost_carries_its_weights():
    result = run_cli("check", "--cost", WEIGHTED_COST, "--latex", DROPPED, "--json")
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["status"] == "incorrect"
    example = report["counterexample"]
    x, y, theta, w = (np.array(example[k], dtype=float) for k in ("X", "y", "theta", "w"))

    def cost(t):
        h = _sigmoid(x @ t)
        return -np.mean(w * (y * np.log(h) + (1 - y) * np.log(1 - h)))

    truth = central_differences(cost, theta)
    assert _agrees(example["expected"], truth)  # the weights printed are the ones the expected value used
    assert not _agrees(example["received"], truth)
    text = run_cli("check", "--cost", WEIGHTED_COST, "--latex", DROPPED).stdout
    assert "w⁽ⁱ⁾ = [" in text, text


def test_an_unweighted_counterexample_has_no_weights():
    result = run_cli("check", "logistic", "--latex", DROPPED.replace(r"\frac{1}{m}", r"\frac{2}{m}"), "--json")
    report = json.loads(result.stdout)
    assert report["status"] == "incorrect"
    assert "w" not in report["counterexample"]


# --- 4. notation of other fields: said with what it means and what to write, or read --------------------------------

L02 = (
    r"\frac{\partial\ln L}{\partial\beta}=\sum_{i=1}^{n}\left[\frac{q_{i}\phi\left(q_{i}x_{i}^{\prime}\beta\right)}"
    r"{\Phi\left(q_{i}x_{i}^{\prime}\beta\right)}\right]x_{i}"
)
L10 = r"\frac{\partial\ln L}{\partial\beta}=\sum_{i=1}^{n}\left(y_{i}-\Lambda_{i}\right)x_{i}"


def _refusal(*args) -> str:
    result = run_cli(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    return result.stderr


def test_a_primed_x_is_said_to_be_the_transpose_where_it_is():
    message = _refusal("check", "probit", "--latex", L02)
    assert "x_{i}^{\\prime} is econometrics' notation" in message and "write x_{i}^T" in message, message
    assert f"col {L02.index('^{' + chr(92) + 'prime}')}:" in message, message


def _loglik(theta, x=X, y=Y):
    u = x @ theta
    return np.sum(y * u - np.log1p(np.exp(u)))


@pytest.mark.parametrize("wrong", [False, True])
def test_lambda_is_said_to_be_the_logistic_cdf_and_sigma_is_then_decided(wrong):
    message = _refusal("check", "logistic-loglik", "--latex", L10)
    assert "logistic CDF" in message and "\\sigma(x_i^T\\beta)" in message and "did you mean" not in message, message
    rewritten = L10.replace(r"y_{i}-\Lambda_{i}", r"y_{i}-\sigma\left(x_{i}^T\beta\right)")
    values = X.T @ (Y - _sigmoid(X @ THETA))
    if wrong:  # the sign slip stays ✗
        rewritten = rewritten.replace(
            r"\left(y_{i}-\sigma\left(x_{i}^T\beta\right)\right)", r"\left(\sigma\left(x_{i}^T\beta\right)-y_{i}\right)"
        )
        values = -values
    right = _agrees(values, central_differences(_loglik, THETA))
    assert right != wrong
    result = run_cli("check", "logistic-loglik", "--latex", rewritten)
    assert _verdict(result) == ("correct" if right else "incorrect"), result.stdout + result.stderr


def test_newtons_dot_is_not_offered_as_odot():
    message = _refusal("check", "logistic", "--latex", r"\dot p \frac{1}{m}\sum_{i=1}^m x_j^{(i)}")
    assert "Newton's dot" in message and "did you mean" not in message and "\\frac{dp}{dz}" in message, message


def test_a_comma_before_a_cases_condition_is_said(tmp_path):
    text = r"L_{\delta}(a) = \begin{cases} a, & \text{for } |a| \le \delta \\ \delta, & \text{otherwise} \end{cases}"
    path = tmp_path / "huber.md"
    path.write_text(f"$$ {text} $$\n")
    result = run_cli("verify", str(path))
    assert "unexpected ','" not in result.stdout, result.stdout
    assert "before its condition" in result.stdout, result.stdout


WEIGHTED_CE = r"-\sum_{i=1}^m a_i\left[y_i\log\sigma(\theta^Tx_i)+(1-y_i)\log(1-\sigma(\theta^Tx_i))\right]"
WEIGHTED_RULE = r"\theta_j := \theta_j + \eta\sum_{i=1}^m a_i x_{ij}\left(y_i - \sigma(\theta^T x_i)\right)"


@pytest.mark.parametrize("rule", ["right", "weight dropped"])
def test_per_example_weights_a_i_say_to_write_w_i_and_are_then_read(rule):
    message = _refusal("check", "--cost", WEIGHTED_CE, "--latex", WEIGHTED_RULE)
    assert "a_i inside the sum over the examples" in message and "w^{(i)}" in message, message
    weights = RNG.uniform(0.2, 2.0, M)

    def cost(t):
        h = _sigmoid(X @ t)
        return -np.sum(weights * (Y * np.log(h) + (1 - Y) * np.log(1 - h)))

    written = WEIGHTED_RULE.replace("a_i", "w^{(i)}")
    step = X.T @ (weights * (Y - _sigmoid(X @ THETA)))  # θ_new − θ per unit η, as written
    if rule == "weight dropped":
        written = written.replace("w^{(i)} ", "")
        step = X.T @ (Y - _sigmoid(X @ THETA))
    right = _agrees(-step, central_differences(cost, THETA))  # a descent step is −∇J
    assert right == (rule == "right")
    result = run_cli("check", "--cost", WEIGHTED_CE.replace("a_i", "w^{(i)}"), "--latex", written)
    assert _verdict(result) == ("correct" if right else "incorrect"), result.stdout + result.stderr


POISSON = r"\sum_{i=1}^m \left(y_i x_i^T\beta - e^{x_i^T\beta}\right)"  # jiskha's log-likelihood, as written
POISSON_B = r"\sum_{i=1}^m \left(y^{(i)}\beta^Tx^{(i)} - e^{\beta^Tx^{(i)}}\right)"


def _poisson(theta, x=X, y=Y):
    u = x @ theta
    return np.sum(y * u - np.exp(u))


@pytest.mark.parametrize(
    "cost, gradient, values",
    [
        (POISSON, r"\sum_{i=1}^m \left(y_i x_i^T - e^{x_i^T \beta} x_i\right)", lambda e: X.T @ (Y - e)),
        (POISSON, r"\sum_{i=1}^m \left(e^{x_i^T \beta} x_i - y_i x_i^T\right)", lambda e: X.T @ (e - Y)),
        (POISSON_B, r"\sum_{i=1}^m \left(y^{(i)} - e^{\beta^T x^{(i)}}\right)x_j^{(i)}", lambda e: X.T @ (Y - e)),
        (
            POISSON_B,
            r"\sum_{i=1}^m \left(y^{(i)} - e^{\beta^T x^{(i)}}\right)",
            lambda e: np.full(N + 1, np.sum(Y - e)),
        ),
    ],
)
def test_beta_with_wrt_beta_is_read_as_theta(cost, gradient, values):
    right = _agrees(values(np.exp(X @ THETA)), central_differences(_poisson, THETA))
    result = run_cli("check", "--cost", cost, "--wrt", "beta", "--latex", gradient)
    assert _verdict(result) == ("correct" if right else "incorrect"), result.stdout + result.stderr
    assert "β read as θ" in result.stdout


def test_an_error_in_a_beta_cost_points_into_the_text_as_written():
    cost = POISSON_B + r" + \foo"
    message = _refusal("check", "--cost", cost, "--latex", r"\sum_{i=1}^m x_j^{(i)}")
    assert f"col {cost.index(chr(92) + 'foo')}:" in message, message


# --- o07c: --call with the data transposed (X.T, X') -----------------------------------------------------------------

O07 = (Path(__file__).parent / "data" / "octave_users15" / "o07_aswin_ridge.m").read_text(encoding="utf-8")  # verbatim
O07S = O07.replace(" + 2 * lambda * w;", ";")  # the penalty's gradient dropped
RIDGE = r"\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2 + \lambda\sum_{j=0}^n \theta_j^2"
YR = RNG.normal(size=M)


@pytest.mark.parametrize("call", ["ridge(theta, X.T, y.T, lam)", "ridge(theta, X', y', lam)"])
@pytest.mark.parametrize("name, text", [("o07", O07), ("o07s", O07S)])
def test_a_call_with_the_data_transposed_is_the_examples_in_columns(tmp_path, call, name, text):
    def cost(t):
        return np.sum((X @ t - YR) ** 2) + LAM * np.sum(t**2)

    xtr, ytr = X.T, YR.reshape(1, -1)  # the file transliterated: xTr (d, n), yTr (1, n)
    values = 2 * xtr @ (THETA @ xtr).T - 2 * xtr @ ytr.ravel() + (2 * LAM * THETA if name == "o07" else 0)
    right = _agrees(values, central_differences(cost, THETA))
    assert right == (name == "o07")
    path = tmp_path / "ridge.m"
    path.write_text(text)
    result = run_cli("check", "--cost", RIDGE, "--octave", str(path), "--call", call)
    assert _verdict(result) == ("correct" if right else "incorrect"), result.stdout + result.stderr
    assert "examples in columns" in result.stdout


def test_only_the_data_may_be_transposed_in_a_call(tmp_path):
    path = tmp_path / "ridge.m"
    path.write_text(O07)
    message = _refusal("check", "--cost", RIDGE, "--octave", str(path), "--call", "ridge(theta.T, X.T, y.T, lam)")
    assert "only the data may be transposed" in message and "col 6" in message, message
