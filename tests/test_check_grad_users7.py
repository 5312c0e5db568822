r"""Leftovers of tester 7 and its helpers, written as users write them; every expected verdict is NumPy's.

- ``check --grad`` with the names GLM libraries give θ (dask-glm's and glimpy's ``beta``, ya_glm's ``w``);
- NumPy's 1-D broadcasting: ``X.T * r`` with r (m,) is a row times each row of Xᵀ, and ``(…).sum(axis=1)``;
- a log-likelihood's fault worded at the scale of the numbers the user's function returned (−m·∇J), and the values a
  flipped-sign LaTeX gradient gave, as it gave them;
- the Poisson cost's log y⁽ⁱ⁾! (log Γ) in the oracle and in a generated kernel (scipy.special.gammaln);
- a cost scaled by a letter ``a`` (a constant, as λ is) and a where-clause ``z^{(i)} = \theta^T x^{(i)}``.

Each expectation comes from NumPy here: central differences of the cost written in NumPy, or what NumPy itself
returns (or raises) on 1-D arrays; never from the tool.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from scipy.special import expit, gammaln

from derivation.check.gradient import check_gradient
from derivation.derive.costs import derive_cost, model_from_cost
from derivation.kernels.runtime import kernel_source

RNG = np.random.default_rng(7)
M, P = 9, 4  # m examples and n+1 parameters: m ≠ n+1, so a wrong broadcast raises in NumPy
X = np.c_[np.ones(M), RNG.normal(size=(M, P - 1))]
THETA = RNG.normal(size=P) * 0.5
Y01 = (RNG.random(M) < 0.5).astype(float)
COUNTS = RNG.poisson(2.0, size=M).astype(float)
REAL = RNG.normal(size=M)

COSTS = {  # the models' costs, in NumPy, and labels of the right kind
    "logistic": (lambda t, y: np.mean(-y * np.log(expit(X @ t)) - (1 - y) * np.log(1 - expit(X @ t))), Y01),
    "logistic-sum": (lambda t, y: np.sum(-y * np.log(expit(X @ t)) - (1 - y) * np.log(1 - expit(X @ t))), Y01),
    "poisson": (lambda t, y: np.mean(np.exp(X @ t) - y * (X @ t)), COUNTS),
    "linear": (lambda t, y: np.mean((X @ t - y) ** 2) / 2, REAL),
}


def central(cost, theta: np.ndarray, h: float = 1e-6) -> np.ndarray:
    return np.array([(cost(theta + h * e) - cost(theta - h * e)) / (2 * h) for e in np.eye(theta.size)])


def numpy_value(text: str, y: np.ndarray, theta_name: str = "theta"):
    """What NumPy computes for ``text`` with 1-D θ and y (our own fixed strings: the test's oracle)."""
    scope = {"np": np, "X": X, "y": y, theta_name: THETA, "m": M, "sigmoid": expit, "len": len}
    return eval(text, scope)  # the test's own literals above, never user input


def numpy_verdict(model: str, text: str, theta_name: str = "theta") -> str:
    cost, y = COSTS[model]
    try:
        value = np.asarray(numpy_value(text, y, theta_name), dtype=float)
    except ValueError:  # NumPy refuses the broadcast
        return "raises"
    fd = central(lambda t: cost(t, y), THETA)
    right = value.shape in ((P,), (P, 1)) and np.allclose(value.reshape(-1), fd, rtol=1e-6, atol=1e-8)
    return "correct" if right else "incorrect"


# --- 1. beta, w: θ as GLM libraries name it ------------------------------------------------------------------------

GLM = [  # (model, text, the name written for θ)
    ("logistic-sum", "X.T.dot(sigmoid(X.dot(beta)) - y)", "beta"),  # dask-glm's Logistic.gradient
    ("logistic-sum", "X.T.dot(sigmoid(X.dot(beta)) - y) / len(y)", "beta"),  # the mean, against the summed cost
    ("poisson", "X.T @ (np.exp(X @ w) - y) / X.shape[0]", "w"),  # ya_glm
    ("poisson", "X.T @ (np.exp(X @ w) - y * (X @ w)) / X.shape[0]", "w"),  # the cost pasted into the gradient
    ("logistic", "X.T @ (sigmoid(X @ coef) - y) / m", "coef"),
]


@pytest.mark.parametrize(("model", "text", "name"), GLM, ids=[t for _, t, _ in GLM])
def test_glm_names_for_theta_are_read_as_theta(model, text, name):
    expected = numpy_verdict(model, text.replace("X.shape[0]", "m"), name)
    report = check_gradient(model, grad=text)
    assert report.status == expected
    assert f"{name} is read as θ (theta), the parameters" in report.notes


def test_two_names_for_theta_are_refused():
    with pytest.raises(Exception, match="two names for θ: 'theta' and 'w'"):
        check_gradient("linear", grad="X.T @ (X @ w - y * theta) / m")


# --- 2. NumPy's 1-D broadcasting and the method forms ----------------------------------------------------------------

BROADCAST = [
    "np.sum(X.T * (X @ theta - y), axis=1) / m",
    "(X.T * (X @ theta - y)).sum(axis=1) / m",
    "(X.T * (X @ theta - y)).mean(axis=1)",
    "((X @ theta - y) * X.T).sum(axis=1) / m",
    "(X * (X @ theta - y)[:, None]).mean(axis=0)",
    "(X * (X @ theta - y)[:, None]).sum(axis=0) / m",
    "np.sum(X.T * (X @ theta - y), axis=1)",  # the 1/m lost
    "(X.T * (X @ theta - y)).sum(axis=0) / m",  # summed over the features: one value per example
]


@pytest.mark.parametrize("text", BROADCAST)
def test_one_d_broadcasting_is_read_as_numpy_computes_it(text):
    expected = numpy_verdict("linear", text)
    assert expected != "raises"  # each is legal NumPy with 1-D arrays
    report = check_gradient("linear", grad=text)
    assert report.status == expected
    if expected == "correct":
        assert report.holds_for is None  # right for the 1-D arrays NumPy code passes


def test_a_row_broadcast_says_what_columns_would_do():
    """With column θ (n+1, 1) and y (m, 1), X.T * r raises in NumPy: the ✓ says it is for 1-D arrays."""
    text = "np.sum(X.T * (X @ theta - y), axis=1) / m"
    with pytest.raises(ValueError):
        X.T * (X @ THETA[:, None] - REAL[:, None])
    report = check_gradient("linear", grad=text)
    assert report.status == "correct"
    assert any(n.startswith("right for 1-D theta (n+1,) and y (m,)") and "do not broadcast" in n for n in report.notes)


def test_a_method_sum_of_a_column_broadcast_holds_for_columns_only():
    """((X @ theta - y) * X).sum(axis=0) raises on 1-D arrays and is right on columns, as np.sum(…, axis=0) is."""
    text = "((X @ theta - y) * X).sum(axis=0) / m"
    assert numpy_verdict("linear", text) == "raises"
    column = ((X @ THETA[:, None] - REAL[:, None]) * X).sum(axis=0) / M
    np.testing.assert_allclose(column, central(lambda t: COSTS["linear"][0](t, REAL), THETA), rtol=1e-6)
    report = check_gradient("linear", grad=text)
    assert report.status == "correct" and report.holds_for == "θ of shape (n+1, 1) and y of shape (m, 1)"


def test_an_explicit_column_is_never_read_as_a_row():
    """X.T * r[:, None] raises in NumPy whatever the layout: it is not read as X.T * r."""
    with pytest.raises(ValueError):
        X.T * (X @ THETA - REAL)[:, None]
    with pytest.raises(Exception, match="shapes do not match for '\\*'"):
        check_gradient("linear", grad="np.sum(X.T * (X @ theta - y)[:, None], axis=1) / m")


# --- 3. the log-likelihood's scale -----------------------------------------------------------------------------------

COURSE = """
import numpy as np


def sigmoid(scores):
    return 1 / (1 + np.exp(-scores))


def log_likelihood_gradient_penalised(features, target, weights):
    predictions = sigmoid(np.dot(features, weights))
    return np.dot(features.T, target - predictions) + 0.5 * weights


def log_likelihood_gradient(features, target, weights):
    return np.dot(features.T, target - sigmoid(np.dot(features, weights)))
"""


def test_an_extra_term_of_a_log_likelihood_is_worded_at_the_scale_it_returned(tmp_path):
    path = tmp_path / "ascent.py"
    path.write_text(COURSE, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("ascent", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    report = check_gradient("logistic", python=f"{path}:log_likelihood_gradient_penalised")
    example = report.counterexample
    Xc, yc, tc = (np.asarray(example[k], dtype=float) for k in ("X", "y", "theta"))
    returned = module.log_likelihood_gradient_penalised(Xc, yc, tc)
    right = module.log_likelihood_gradient(Xc, yc, tc)
    np.testing.assert_allclose(example["received"], returned)
    coefficient = (returned - right) / tc  # the extra term, as NumPy sees it: c·θ
    np.testing.assert_allclose(coefficient, coefficient[0])
    assert coefficient[0] == pytest.approx(0.5)
    assert report.diagnosis.fault == "extra-regularisation"
    assert "received = expected + 1/2·θ" in report.diagnosis.explanation


def test_a_flipped_log_likelihood_gradient_shows_what_the_expression_gave():
    text = r"\frac{\partial \ell}{\partial\theta_j} = \sum_i (h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}"
    report = check_gradient("logistic", latex=text)
    assert report.status == "incorrect" and report.diagnosis.fault == "sign"
    example = report.counterexample
    Xc, yc, tc = (np.asarray(example[k], dtype=float) for k in ("X", "y", "theta"))
    gave = Xc.T @ (expit(Xc @ tc) - yc)  # Σᵢ (h − y) x_j, in NumPy
    np.testing.assert_allclose(np.asarray(example["received"], dtype=float).reshape(-1), gave, rtol=1e-9)
    # the expected values at the same scale: ∇ℓ = −m·∇J = Σ (y − h) x_j
    np.testing.assert_allclose(np.asarray(example["expected"], dtype=float).reshape(-1), -gave, rtol=1e-9)
    assert report.worst["received"] == pytest.approx(gave[report.worst["component"]])


# --- 4. log y⁽ⁱ⁾!: Γ in the oracle and in a kernel -------------------------------------------------------------------

POISSON_FULL = r"\frac{1}{m}\sum_{i=1}^m \left(e^{\theta^T x^{(i)}} - y^{(i)}\theta^T x^{(i)} + \log y^{(i)}!\right)"


def test_the_poisson_kernel_with_log_y_factorial_uses_gammaln_and_is_right(tmp_path):
    source = kernel_source(model_from_cost(POISSON_FULL))
    assert "scipy.special.gammaln(yb + 1)" in source and "math.gamma" not in source
    path = tmp_path / "poisson_kernel.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("poisson_kernel", path)
    kernel = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(kernel)

    def cost(t):
        return np.mean(np.exp(X @ t) - COUNTS * (X @ t) + gammaln(COUNTS + 1))

    assert kernel.cost(THETA, X, COUNTS) == pytest.approx(cost(THETA), rel=1e-12)
    np.testing.assert_allclose(kernel.grad(THETA, X, COUNTS), central(cost, THETA), rtol=1e-6, atol=1e-9)


def test_the_oracle_evaluates_gamma_and_log_gamma():
    import mpmath
    import sympy as sp

    from derivation.oracle.numbers import row

    values = np.array([0.0, 1.0, 3.0, 4.5])
    np.testing.assert_allclose(row(sp.factorial).numpy(values), [1, 1, 6, 52.34277778455352])
    np.testing.assert_allclose(row(sp.loggamma).numpy(values + 1), gammaln(values + 1))
    assert float(row(sp.gamma).mpmath(mpmath.mpf(5))) == 24.0


# --- 5. a constant a, a where-clause ----------------------------------------------------------------------------------


def test_a_cost_scaled_by_a_is_read_as_a_constant_like_lambda():
    text = r"\frac{a}{m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2"
    derivation = derive_cost(text)
    assert derivation.verified
    assert "a is read as a constant parameter, as λ is" in derivation.title
    a = 0.7  # NumPy: the gradient of (a/m)Σ(θᵀx − y)² is (2a/m)Xᵀ(Xθ − y)
    fd = central(lambda t: a / M * np.sum((X @ t - REAL) ** 2), THETA)
    np.testing.assert_allclose(2 * a / M * X.T @ (X @ THETA - REAL), fd, rtol=1e-6)
    model = model_from_cost(text)
    assert check_gradient(model, grad="2 * a * X.T @ (X @ theta - y) / m").status == "correct"
    assert check_gradient(model, grad="a * X.T @ (X @ theta - y) / m").status == "incorrect"


def test_a_letter_with_an_index_is_never_read_as_the_constant():
    # t^{(i)} (a target named t) is data: refused as an unknown name, not turned into λ^{(i)} ("please report it")
    from derivation.models.costs import CostError

    with pytest.raises(CostError, match=r"unknown name\(s\) t in the cost") as error:
        model_from_cost(r"\frac{1}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - t^{(i)})^2")
    assert "lambda" not in str(error.value) and "report" not in str(error.value)


@pytest.mark.parametrize(
    "text",
    [
        r"\frac{1}{m}\sum_{i=1}^m \log(1 + e^{-y^{(i)} z^{(i)}}), \quad z^{(i)} = \theta^T x^{(i)}",
        r"\frac{1}{m}\sum_{i=1}^m \log(1 + e^{-y^{(i)} z^{(i)}}) \quad \text{where } z^{(i)} = \theta^T x^{(i)}",
        r"z^{(i)} = \theta^T x^{(i)}; J = \frac{1}{m}\sum_{i=1}^m \log(1 + e^{-y^{(i)} z^{(i)}})",
    ],
)
def test_a_definition_beside_the_cost_is_a_where_clause(text):
    derivation = derive_cost(text)
    assert derivation.verified and "z⁽ⁱ⁾ = θᵀx⁽ⁱ⁾ is read as a where-clause" in derivation.title
    y = np.where(Y01 > 0, 1.0, -1.0)  # the labels ±1 this cost goes with

    def cost(t):
        return np.mean(np.log1p(np.exp(-y * (X @ t))))

    right = "-X.T @ (y * sigmoid(-y * (X @ theta))) / m"
    np.testing.assert_allclose(-X.T @ (y * expit(-y * (X @ THETA))) / M, central(cost, THETA), rtol=1e-6, atol=1e-9)
    model = model_from_cost(text)
    assert check_gradient(model, grad=right).status == "correct"
    assert check_gradient(model, grad=right.replace("-y * (X", "y * (X")).status == "incorrect"


def test_a_letter_that_is_a_summation_index_is_still_refused():
    with pytest.raises(Exception, match="free"):
        derive_cost(r"\frac{1}{m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2 + \lambda \theta_a^2")


LOG_COSH = r"\frac{1}{m}\sum_{i=1}^m \log\cosh\left(\theta^T x^{(i)} - y^{(i)}\right)"


@pytest.mark.parametrize(
    "grad",
    ["X.T @ np.sinh(X @ theta - y) / m", "X.T @ (np.sinh(X @ theta - y) / np.cosh(X @ theta - y)) / m"],
)
def test_log_cosh_written_with_sinh_is_judged_not_refused(grad):
    # tester 8's cost_08: np.sinh was "not allowed", so the slip (the /cosh forgotten) was never judged
    r = X @ THETA - REAL
    want = central(lambda t: np.mean(np.log(np.cosh(X @ t - REAL))), THETA)
    given = X.T @ (np.sinh(r) / np.cosh(r) if "cosh" in grad else np.sinh(r)) / M
    right = np.allclose(given, want, rtol=1e-6)
    assert right == ("cosh" in grad)
    assert check_gradient(model_from_cost(LOG_COSH), grad=grad).status == ("correct" if right else "incorrect")
