r"""A sixth tester's inputs to ``check`` and ``show --cost``, each right one with a one-slip twin.

First, NumPy functions named for the NEGATIVE log-likelihood (neg_log_likelihood_grad, neg_loglik_grad,
minus_loglik_grad, poisson_neg_log_likelihood_grad): they return the cost's gradient, so they are read as the cost's.
The name rule once ignored the "neg": right functions were ✗ "sign flipped" and their sign slips were ✓.  Then
∂J/∂b with x_j, the elastic net's λ₁ and λ₂, w^{(i)}, softmax by entry with \mathbb{1}\{…\}, a generator over rows
in --grad and --wrt w.  Which input is right is decided here by NumPy central differences of the cost
(tests/central.py), with the user's code called in this process on the same data, never by the tool.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from central import central_differences

from derivation.check import check_gradient
from derivation.cli import main
from derivation.derive.costs import model_from_cost

DATA = Path(__file__).parent / "data" / "check_users8"
RNG = np.random.default_rng(8)
M, P = 9, 3
X = np.hstack([np.ones((M, 1)), RNG.normal(size=(M, P - 1))])
THETA = RNG.normal(size=P) * 0.5
LABELS = (RNG.random(M) < 0.5).astype(float)
COUNTS = RNG.poisson(1.5, size=M).astype(float)


def cross_entropy_sum(t):
    h = 1 / (1 + np.exp(-X @ t))
    return -np.sum(LABELS * np.log(h) + (1 - LABELS) * np.log(1 - h))


COSTS = {  # the catalog's costs, written out here: (cost of θ, labels)
    "logistic-sum": (cross_entropy_sum, LABELS),
    "logistic": (lambda t: cross_entropy_sum(t) / M, LABELS),
    "poisson": (lambda t: np.mean(np.exp(X @ t) - COUNTS * (X @ t)), COUNTS),
}

CASES = [  # file, function, model
    ("a31_logsum_loop_ok.py", "neg_log_likelihood_grad", "logistic-sum"),
    ("x02_negative_ll_name.py", "negative_log_likelihood_grad", "logistic-sum"),
    ("x12_minus_loglik_ok.py", "minus_loglik_grad", "logistic-sum"),
    ("x03_neg_ll_mean.py", "neg_log_likelihood_gradient", "logistic"),
    ("x04_minus_ll_mean_slip.py", "neg_log_likelihood_gradient", "logistic"),
    ("x17_neg_loglik_name.py", "neg_loglik_grad", "logistic"),
    ("x18_neg_loglik_name_slip.py", "neg_loglik_grad", "logistic"),
    ("x19_poisson_nll_name.py", "poisson_neg_log_likelihood_grad", "poisson"),
    ("x20_poisson_nll_name_slip.py", "poisson_neg_log_likelihood_grad", "poisson"),
]


def _user_function(file: str, name: str):
    spec = importlib.util.spec_from_file_location(file[:-3], DATA / file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # our own test data, written as the tester's users write
    return getattr(module, name)


@pytest.mark.parametrize(("file", "function", "model"), CASES)
def test_a_negative_log_likelihood_is_read_as_the_cost(file, function, model):
    cost, labels = COSTS[model]
    returned = _user_function(file, function)(THETA, X, labels)
    right = np.allclose(returned, central_differences(cost, THETA), rtol=1e-6, atol=1e-9)
    report = check_gradient(model, python=f"{DATA / file}:{function}")
    assert report.status == ("correct" if right else "incorrect")
    assert not any("read as the gradient of the log-likelihood" in note for note in report.notes)
    assert ("slip" in file) == (not right)  # the tester's labels agree with the finite differences


@pytest.mark.parametrize(
    ("file", "function"),
    [(f, fn) for f, fn, model in CASES if model == "logistic-sum"]
    + [("x18_neg_loglik_name_slip.py", "neg_loglik_grad")],
)
def test_a_summed_negative_log_likelihood_is_right_for_the_mean_cost_too(file, function):
    # NLL = −Σ log p = m·J for logistic's mean J: X.T @ (h − y) is its gradient, not "summed instead of averaged"
    cost, labels = COSTS["logistic-sum"]
    returned = _user_function(file, function)(THETA, X, labels)
    right = np.allclose(returned, central_differences(cost, THETA), rtol=1e-6, atol=1e-9) or np.allclose(
        returned, central_differences(COSTS["logistic"][0], THETA), rtol=1e-6, atol=1e-9
    )
    report = check_gradient("logistic", python=f"{DATA / file}:{function}")
    assert report.status == ("correct" if right else "incorrect")
    assert ("slip" in file) == (not right)


def test_the_twins_cover_both_verdicts():
    verdicts = set()
    for file, function, model in CASES:
        cost, labels = COSTS[model]
        returned = _user_function(file, function)(THETA, X, labels)
        verdicts.add(bool(np.allclose(returned, central_differences(cost, THETA), rtol=1e-6, atol=1e-9)))
    assert verdicts == {True, False}


def test_from_the_command_line_a_sign_slip_under_a_negative_name_exits_1(capsys):
    code = main(["check", "logistic", "--python", f"{DATA / 'x18_neg_loglik_name_slip.py'}:neg_loglik_grad"])
    out = capsys.readouterr().out
    assert code == 1 and out.startswith("✗ incorrect") and "negate it" in out


def test_a_function_named_for_the_log_likelihood_itself_is_still_read_as_its_gradient(tmp_path):
    source = tmp_path / "ll.py"
    source.write_text(
        "import numpy as np\n\ndef log_likelihood_grad(theta, X, y):\n"
        "    h = 1 / (1 + np.exp(-X @ theta))\n    return X.T @ (y - h)\n"
    )
    report = check_gradient("logistic-sum", python=f"{source}:log_likelihood_grad")
    assert report.status == "correct"
    assert any("log-likelihood" in note for note in report.notes)


# --- ∂J/∂b = (1/m)Σ(f − y)x_j⁽ⁱ⁾: the course's classic slip, once read with j = 0 and given ✓ -------------------

BIAS_LEFT = (
    r"\frac{\partial J(\mathbf{w},b)}{\partial b} = "
    r"\frac{1}{m}\sum_{i=1}^{m}\left(f_{\mathbf{w},b}(\mathbf{x}^{(i)}) - y^{(i)}\right)"
)


def test_the_bias_derivative_with_x_j_is_wrong_by_finite_differences():
    """In the (w, b) notation x has no column of ones: (1/m)Σ r x_j is not ∂J/∂b for any feature j."""
    features = X[:, 1:]  # the features alone, b apart
    w, b = THETA[1:], THETA[0]

    def cost(bias):
        return np.mean((features @ w + bias[0] - COUNTS) ** 2) / 2

    d_bias = central_differences(cost, np.array([b]))[0]
    residual = features @ w + b - COUNTS
    assert np.isclose(d_bias, residual.mean(), rtol=1e-6)
    assert not any(np.isclose(d_bias, (residual * features[:, k]).mean(), rtol=1e-3) for k in range(P - 1))


@pytest.mark.parametrize("model", ["linear", "logistic"])
def test_a_free_feature_index_beside_the_bias_is_refused_in_one_line(model, capsys):
    code = main(["check", model, "--latex", BIAS_LEFT + "x_j^{(i)}"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "the left side is the bias b" in err and "no x_j" in err


@pytest.mark.parametrize(
    "left",
    [
        BIAS_LEFT,
        r"\frac{\partial J}{\partial \theta_0} = "
        r"\frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right)x_0^{(i)}",
    ],
)
def test_the_bias_derivative_written_right_still_reads(left):
    assert check_gradient("logistic", latex=left).status == "correct"


# --- elastic net with λ₁ and λ₂: once "unknown symbol 'lambda'; please report it" ------------------------------

ELASTIC = (
    r"\frac{1}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2"
    r" + \lambda_1\sum_{j=1}^n|\theta_j| + \frac{\lambda_2}{2}\sum_{j=1}^n\theta_j^2"
)
DATA_TERM = r"\frac{1}{m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})x_j^{(i)}"


def _elastic_gradients(l1: float, l2: float):
    """(central differences of the elastic net, the right formula, the one with λ₁ and λ₂ swapped), j ≥ 1."""
    targets = RNG.normal(size=M)

    def cost(t):
        return np.mean((X @ t - targets) ** 2) / 2 + l1 * np.abs(t[1:]).sum() + l2 / 2 * (t[1:] ** 2).sum()

    data = X.T @ (X @ THETA - targets) / M
    right = data[1:] + l1 * np.sign(THETA[1:]) + l2 * THETA[1:]
    swapped = data[1:] + l2 * np.sign(THETA[1:]) + l1 * THETA[1:]
    return central_differences(cost, THETA)[1:], right, swapped


def test_the_elastic_net_is_derived_with_two_penalty_weights(capsys):
    assert main(["show", "--cost", ELASTIC]) == 0
    out = capsys.readouterr().out
    assert "λ_1 sign(θ_j)" in out and "λ_2 θ_j" in out and "all verified" in out


def test_a_gradient_with_lambda_1_and_lambda_2_swapped_is_caught():
    fd, right, swapped = _elastic_gradients(0.8, 1.3)
    assert np.allclose(fd, right, rtol=1e-6) and not np.allclose(fd, swapped, rtol=1e-3)
    good = DATA_TERM + r" + \lambda_1 \mathrm{sign}(\theta_j) + \lambda_2\theta_j \quad (j \ge 1)"
    bad = DATA_TERM + r" + \lambda_2 \mathrm{sign}(\theta_j) + \lambda_1\theta_j \quad (j \ge 1)"
    model = model_from_cost(ELASTIC)
    assert check_gradient(model, latex=good).status == "correct"
    assert check_gradient(model, latex=bad).status == "incorrect"


# --- softmax by entry W_jk with \mathbb{1}\{y^{(i)} = k\} and W_k^T x: once "unexpected end of input" ----------

SOFTMAX_LEFT = r"\frac{\partial J}{\partial W_{jk}} = \frac{1}{m}\sum_{i=1}^m x_j^{(i)}\left(\frac{e^{%s_k^T x^{(i)}}}"
SOFTMAX_RIGHT = r"{\sum_{c=1}^{%s} e^{%s_c^T x^{(i)}}} - %s\{y^{(i)} = k\}\right)"


def _softmax_entries(classes_in_denominator: int) -> tuple[np.ndarray, np.ndarray]:
    """(central differences of the softmax cross-entropy by W, the entry formula with the denominator summed over
    the first ``classes_in_denominator`` classes)."""
    K, rng = 3, np.random.default_rng(81)  # the same data for every call
    labels = rng.integers(0, K, M)
    W0 = rng.normal(size=(P, K)) * 0.5
    onehot = np.eye(K)[labels]

    def cost(w):
        s = X @ w
        return -np.mean(np.sum(onehot * (s - np.log(np.exp(s).sum(axis=1, keepdims=True))), axis=1))

    e = np.exp(X @ W0)
    written = X.T @ (e / e[:, :classes_in_denominator].sum(axis=1, keepdims=True) - onehot) / M
    return central_differences(cost, W0), written


@pytest.mark.parametrize("indicator", [r"\mathbb{1}", r"\mathbf{1}", "1"])
@pytest.mark.parametrize("weights", ["W", "w"])
def test_the_softmax_entry_with_a_blackboard_indicator_reads(indicator, weights):
    fd, right = _softmax_entries(3)
    _, slip = _softmax_entries(2)
    assert np.allclose(fd, right, rtol=1e-6) and not np.allclose(fd, slip, rtol=1e-3)
    good = SOFTMAX_LEFT % weights + SOFTMAX_RIGHT % ("K", weights, indicator)
    bad = SOFTMAX_LEFT % weights + SOFTMAX_RIGHT % ("K-1", weights, indicator)
    assert check_gradient("softmax", latex=good).status == "correct"
    assert check_gradient("softmax", latex=bad).status == "incorrect"


# --- --grad with a generator over rows: X[i] @ theta is a number in NumPy, not a shape fault ---------------------


@pytest.mark.parametrize("product", ["X[i] @ theta", "np.dot(X[i], theta)"])
def test_a_generator_over_rows_is_refused_in_one_line_not_marked_incorrect(product, capsys):
    h = 1 / (1 + np.exp(-X @ THETA))
    by_rows = sum((1 / (1 + np.exp(-(X[i] @ THETA))) - LABELS[i]) * X[i] for i in range(M)) / M
    assert np.allclose(by_rows, X.T @ (h - LABELS) / M)  # the user's NumPy is right
    grad = f"sum((sigmoid({product}) - y[i]) * X[i] for i in range(m)) / m"
    assert main(["check", "logistic", "--grad", grad]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "write it with the whole X" in err


def test_wrt_w_names_the_weights_a_cost_in_w_is_read_over(capsys):
    """J(w) = … + (λ/2)‖w‖² is read over θ; --wrt w was refused with "write --wrt theta" (tester 5, S01)."""
    cost = r"J(\mathbf{w}) = \frac{1}{2m}\sum_{i=1}^{m}\left(\mathbf{w}^\top\mathbf{x}^{(i)} - y^{(i)}\right)^2"
    assert main(["show", "--cost", cost, "--wrt", "w"]) == 0
    assert "all verified" in capsys.readouterr().out
    assert main(["show", "--cost", cost, "--wrt", "W"]) == 2  # the weight matrix of a model over classes
    assert "write --wrt theta" in capsys.readouterr().err


@pytest.mark.parametrize(("penalty", "right"), [(r"\theta_j", True), (r"\sum_{j=1}^n\theta_j", False)])
def test_an_update_rule_written_with_mathrel_colon_equals_reads(penalty, right):
    r"""θ_j \mathrel{:=} θ_j − α[…] (tester 5, L36/L37) was refused at the ':'; \mathrel{:}= was read already."""
    h = 1 / (1 + np.exp(-X @ THETA))
    lam = 0.7

    def cost(t):
        p = 1 / (1 + np.exp(-X @ t))
        data = -np.mean(LABELS * np.log(p) + (1 - LABELS) * np.log(1 - p))
        return data + lam / (2 * M) * np.sum(t[1:] ** 2)

    written = X.T @ (h - LABELS) / M + lam / M * (THETA if right else np.full(P, THETA[1:].sum()))
    assert np.allclose(written[1:], central_differences(cost, THETA)[1:], rtol=1e-6) == right
    rule = (
        r"\theta_j \mathrel{:=} \theta_j - \alpha\left[\frac{1}{m}\sum_{i=1}^m\left(h_\theta(x^{(i)}) - y^{(i)}\right)"
        rf"x_j^{{(i)}} + \frac{{\lambda}}{{m}}{penalty}\right] \quad j = 1, \dots, n"
    )
    assert check_gradient("logistic-l2", latex=rule).status == ("correct" if right else "incorrect")


def test_a_summed_nll_with_its_summed_cost_is_right_and_a_mean_cost_beside_it_is_not(tmp_path):
    # (Σ(μ − yη), Xᵀ(μ − y)): the NLL and its gradient, both summed; the mean cost beside the summed gradient is the
    # pair test_check_gaps has (its gradient "summed instead of averaged")
    source = tmp_path / "nll_pair.py"
    body = "    eta = X @ beta\n    mu = np.exp(eta)\n"
    source.write_text(
        "import numpy as np\n\n\ndef poisson_nll(beta, X, y):\n"
        + body
        + "    return np.sum(mu - y * eta), X.T @ (mu - y)\n"
        "\n\ndef poisson_nll_mixed(beta, X, y):\n" + body + "    return np.mean(mu - y * eta), X.T @ (mu - y)\n"
    )
    counts = COUNTS
    summed = lambda t: np.sum(np.exp(X @ t) - counts * (X @ t))  # noqa: E731
    module = {}
    exec(compile(source.read_text(), str(source), "exec"), module)  # our own test file, written above
    cost, grad = module["poisson_nll"](THETA, X, counts)
    assert np.isclose(cost, summed(THETA)) and np.allclose(grad, central_differences(summed, THETA), rtol=1e-6)
    assert check_gradient("poisson", python=f"{source}:poisson_nll").status == "correct"
    mixed = check_gradient("poisson", python=f"{source}:poisson_nll_mixed")
    assert mixed.status == "incorrect" and mixed.diagnosis.fault == "summed"
