"""The re-test's set D refusals in ``check`` (retest4): Murphy's NLL and μ_i, Bishop's 3.27 without a left side and
φ(x_n)ᵀ, (dw, db) joined into one vector, a cost where a gradient is checked, and a fit() that trains.

Every right input has a one-slip twin; whether each is right is decided here by NumPy central finite differences
of the cost (tests/central.py), never by the tool.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences as fd_gradient

from derivation.check import check_gradient
from derivation.cli import main

RNG = np.random.default_rng(6)
M, N = 7, 3
X = np.hstack([np.ones((M, 1)), RNG.normal(size=(M, N - 1))])
LABELS = (RNG.random(M) < 0.5).astype(float)
TARGETS = RNG.normal(size=M)
THETA = RNG.normal(size=N) * 0.5
LAM = 0.7


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def nll(v):
    """Murphy's NLL(w): the summed cross-entropy (logistic-sum's cost)."""
    p = sigmoid(X @ v)
    return -np.sum(LABELS * np.log(p) + (1 - LABELS) * np.log(1 - p))


def mean_nll(v):
    return nll(v) / M


# --- 1. Murphy: ∇_w NLL(w) = Σ_i (μ_i − y_i) x_i = Xᵀ(μ − y), μ_i the prediction -----------------------------

NLL_LEFT = r"\nabla_{\mathbf{w}} %s(\mathbf{w}) = "


@pytest.mark.parametrize(
    ("name", "right_side", "numpy"),
    [
        (r"\mathrm{NLL}", r"\sum_i (\mu_i - y_i)\mathbf{x}_i", lambda p: X.T @ (p - LABELS)),
        (r"\text{NLL}", r"\sum_i (y_i - \mu_i)\mathbf{x}_i", lambda p: X.T @ (LABELS - p)),
        (r"\mathrm{NLL}", r"\mathbf{X}^T(\boldsymbol{\mu} - \mathbf{y})", lambda p: X.T @ (p - LABELS)),
        (r"\text{NLL}", r"\frac{1}{N}\mathbf{X}^T(\boldsymbol{\mu} - \mathbf{y})", lambda p: X.T @ (p - LABELS) / M),
    ],
)
def test_murphy_nll(name, right_side, numpy):
    right = np.allclose(numpy(sigmoid(X @ THETA)), fd_gradient(nll, THETA), rtol=1e-6)
    report = check_gradient("logistic-sum", latex=NLL_LEFT % name + right_side)
    assert report.status == ("correct" if right else "incorrect")
    assert any("μ_i read as the model's prediction" in note for note in report.notes)
    if not right:
        assert report.diagnosis is not None and report.diagnosis.exact


@pytest.mark.parametrize(("residual", "right"), [(r"\mu_i - y_i", True), (r"y_i - \mu_i", False)])
def test_murphy_nll_under_the_mean_cost(residual, right):
    """Under logistic (J = NLL/m) ∇NLL is m·∇J, as ∇ℓ is −m·∇J: Murphy's Σ(μ_i − y_i)x_i holds, its ℓ twin does not."""
    sign = 1 if right else -1
    assert np.allclose(sign * X.T @ (sigmoid(X @ THETA) - LABELS), fd_gradient(nll, THETA), rtol=1e-6) == right
    report = check_gradient("logistic", latex=NLL_LEFT % r"\mathrm{NLL}" + rf"\sum_i ({residual})\mathbf{{x}}_i")
    assert report.status == ("correct" if right else "incorrect")
    assert any("negative log-likelihood NLL = m·J" in note for note in report.notes)
    if not right:
        assert report.diagnosis.fault == "sign" and "negative log-likelihood" in report.diagnosis.explanation


def test_plain_mu_is_still_a_step_size():
    """An update θ := θ − μ·g keeps μ a step size: only μ_i and a bold μ are the predictions."""
    report = check_gradient(
        "logistic", latex=r"\theta_j := \theta_j - \mu \frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}"
    )
    assert report.status == "correct"
    assert not any("μ_i read" in note for note in report.notes)


# --- 2. Bishop: 3.27 without a left side, and 3.13's φ(x_n)ᵀ --------------------------------------------------

RIDGE = (
    r"\frac{1}{2}\sum_{n=1}^{N}\{t_n - \mathbf{w}^{\mathrm{T}}\boldsymbol{\phi}_n\}^2"
    r" + \frac{\lambda}{2}\mathbf{w}^{\mathrm{T}}\mathbf{w}"
)


def _ridge(v):
    return 0.5 * np.sum((TARGETS - X @ v) ** 2) + LAM / 2 * v @ v


@pytest.mark.parametrize(("penalty", "factor"), [(r"\lambda\mathbf{w}", 1.0), (r"\frac{\lambda}{2}\mathbf{w}", 0.5)])
def test_bishop_327_right_side_only(penalty, factor, capsys):
    right = np.allclose(-X.T @ (TARGETS - X @ THETA) + factor * LAM * THETA, fd_gradient(_ridge, THETA), rtol=1e-6)
    latex = r"-\sum_{n=1}^{N}\{t_n - \mathbf{w}^{\mathrm{T}}\boldsymbol{\phi}_n\}\boldsymbol{\phi}_n + " + penalty
    code = main(["check", "--cost", RIDGE, "--wrt", "w", "--latex", latex])
    out = capsys.readouterr().out
    assert code == (0 if right else 1)
    if not right:  # the user's own penalty (λ/2)wᵀw, not the catalog's (λ/2m)Σ_{j≥1}: said as a stray 1/2
        assert "penalty alone is off: a stray factor 1/2" in out and "(λ/2m)" not in out


SQUARES = (
    r"E_D(\mathbf{w}) = \frac{1}{2}\sum_{n=1}^{N}\{t_n - \mathbf{w}^{\mathrm{T}}\boldsymbol{\phi}(\mathbf{x}_n)\}^2"
)


@pytest.mark.parametrize("sign", [-1, 1])
def test_bishop_phi_of_x_n_transposed(sign, capsys):
    """∇E_D = −Σ{t_n − wᵀφ(x_n)}φ(x_n)ᵀ (the gradient as Bishop's row); its twin is 3.13's ∇ ln p, the other sign."""
    right = np.allclose(
        sign * X.T @ (TARGETS - X @ THETA), fd_gradient(lambda v: 0.5 * np.sum((TARGETS - X @ v) ** 2), THETA)
    )
    latex = (
        r"\nabla E_D(\mathbf{w}) = " + ("-" if sign < 0 else "") + r"\sum_{n=1}^{N}\{t_n - \mathbf{w}^{\mathrm{T}}"
        r"\boldsymbol{\phi}(\mathbf{x}_n)\}\boldsymbol{\phi}(\mathbf{x}_n)^{\mathrm{T}}"
    )
    code = main(["check", "--cost", SQUARES, "--wrt", "w", "--latex", latex])
    out = capsys.readouterr().out
    assert code == (0 if right else 1)
    assert "read as a row" in out
    if not right:
        assert "sign flipped" in out


# --- 3. NumPy: (dw, db) joined into one vector, a cost, a fit() that trains -----------------------------------

JOINED = """import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def grad(w, b, X, y):
    m = X.shape[0]
    err = sigmoid(X @ w + b) - y
    dw = X.T @ err / m
    db = {db}
    return {joined}
"""


def _joined_numpy(db_summed: bool) -> np.ndarray:
    """The gradient the file returns, computed here in θ's order (the bias first)."""
    err = sigmoid(X @ THETA) - LABELS
    dw = X[:, 1:].T @ err / M
    return np.concatenate([[err.sum() if db_summed else err.sum() / M], dw])


@pytest.mark.parametrize(
    ("joined", "db", "summed"),
    [
        ("np.append(dw, db)", "np.mean(err)", False),
        ("np.concatenate(([db], dw))", "np.sum(err)", True),
        ("np.hstack((dw, db))", "err.sum() / m", False),
    ],
)
def test_joined_dw_db(tmp_path, joined, db, summed):
    right = np.allclose(_joined_numpy(summed), fd_gradient(mean_nll, THETA), rtol=1e-6)
    path = tmp_path / "joined.py"
    path.write_text(JOINED.format(db=db, joined=joined), encoding="utf-8")
    report = check_gradient("logistic", python=f"{path}:grad")
    assert report.status == ("correct" if right else "incorrect")
    if not right:  # db alone without its 1/m
        assert report.diagnosis.fault == "bias-scale" and "the 1/m is missing" in report.diagnosis.explanation


def test_joined_without_names_says_so(tmp_path):
    """np.append(a, c): which of a and c is db its source does not say (with one feature both are one number)."""
    path = tmp_path / "anon.py"
    source = JOINED.format(db="np.mean(err)", joined="np.append(a, c)")
    path.write_text(source.replace("    dw =", "    a =").replace("    db =", "    c ="), encoding="utf-8")
    report = check_gradient("logistic", python=f"{path}:grad")
    assert report.status == "undecided"
    assert "does not say which is db" in report.reason


COST = """import numpy as np


def compute_cost(X, y, w, b):
    f = 1 / (1 + np.exp(-(X @ w + b)))
    return -np.mean(y * np.log(f) + (1 - y) * np.log(1 - f))


def compute_gradient(X, y, w, b):
    err = 1 / (1 + np.exp(-(X @ w + b))) - y
    return X.T @ err / len(y), err.mean()
"""


def test_a_cost_of_w_and_b_is_said_a_cost(tmp_path):
    path = tmp_path / "cost.py"
    path.write_text(COST, encoding="utf-8")
    report = check_gradient("logistic", python=f"{path}:compute_cost")
    assert report.status == "incorrect" and report.diagnosis.fault == "a-cost"
    assert any(f"{path}:compute_gradient" in note for note in report.notes)


FIT = """import numpy as np


class LogisticRegression:
    def __init__(self, lr=0.1, n_iters=100):
        self.lr, self.n_iters = lr, n_iters

    def _gradient(self, X, y):
        err = 1 / (1 + np.exp(-(X @ self.weights + self.bias))) - y
        return X.T @ err / len(y), err.mean()

    def fit(self, X, y):
        self.weights, self.bias = np.zeros(X.shape[1]), 0.0
        for _ in range(self.n_iters):
            {body}
            self.weights -= self.lr * dw
            self.bias -= self.lr * db
"""


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("dw, db = self._gradient(X, y)", "--python fit.py:LogisticRegression._gradient"),
        ("err = 1 / (1 + np.exp(-(X @ self.weights + self.bias))) - y; dw = X.T @ err / len(y); db = err.mean()",
         "its gradient is the locals dw, db computed in the loop"),
    ],
)  # fmt: skip
def test_fit_that_trains_is_refused_in_plain_words(tmp_path, capsys, body, said):
    path = tmp_path / "fit.py"
    path.write_text(FIT.format(body=body), encoding="utf-8")
    assert main(["check", "logistic", "--python", f"{path}:LogisticRegression.fit"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert "trains: its loop updates self.weights and self.bias" in err and said in err


# --- 4. Poisson's λ_i and a vector rule's g defined after 'where' ----------------------------------------------


@pytest.mark.parametrize(("mean", "right"), [(r"e^{\theta^T x_i}", True), (r"\theta^T x_i", False)])
def test_poisson_lambda_i_after_where(mean, right):
    counts = RNG.poisson(2.0, size=M).astype(float)

    def poisson(v):
        return np.mean(np.exp(X @ v) - counts * (X @ v))

    written = X.T @ ((np.exp(X @ THETA) if right else X @ THETA) - counts) / M
    assert np.allclose(written, fd_gradient(poisson, THETA), rtol=1e-6) == right
    latex = (
        r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m (\lambda_i - y_i) x_{ij} "
        r"\quad \text{where } \lambda_i = " + mean
    )
    assert check_gradient("poisson", latex=latex).status == ("correct" if right else "incorrect")


@pytest.mark.parametrize("residual", ["h_\\theta(X) - y", "y - h_\\theta(X)"])
def test_update_with_g_after_where(residual):
    """θ := θ − αg where g = (1/m)Xᵀ(h − y): g is the step; with (y − h) the rule climbs the cost."""
    step = X.T @ ((sigmoid(X @ THETA) - LABELS) if residual.startswith("h") else (LABELS - sigmoid(X @ THETA))) / M
    right = np.allclose(step, fd_gradient(mean_nll, THETA), rtol=1e-6)  # descent: the step is ∇J
    latex = r"\theta := \theta - \alpha g \quad \text{where } g = \frac{1}{m}X^T(" + residual + ")"
    report = check_gradient("logistic", latex=latex)
    assert report.status == ("correct" if right else "incorrect")
    if not right:
        assert report.diagnosis.fault == "sign"


# --- 5. Softmax: Géron's ∇_{θ^{(k)}} J(Θ) and Bishop's ∇_{w_j} E with y_{nj}, t_{nj} --------------------------

K = 3
CLASSES = RNG.integers(0, K, size=M)
ONE_HOT = np.eye(K)[CLASSES]
W = RNG.normal(size=(N, K)) * 0.5


def _probabilities(w):
    scores = X @ w
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _softmax_cost(flat):
    return -np.sum(ONE_HOT * np.log(_probabilities(flat.reshape(N, K)))) / M


@pytest.mark.parametrize(
    ("latex", "scale", "sign"),
    [
        (r"\nabla_{\boldsymbol{\theta}^{(k)}}\, J(\boldsymbol{\Theta}) = \dfrac{1}{m} \sum\limits_{i=1}^{m}"
         r"{ \left ( \hat{p}^{(i)}_k - y_k^{(i)} \right ) \mathbf{x}^{(i)}}", 1 / M, 1),
        (r"\nabla_{\boldsymbol{\theta}^{(k)}}\, J(\boldsymbol{\Theta}) = \dfrac{1}{m} \sum\limits_{i=1}^{m}"
         r"{ \left ( y_k^{(i)} - \hat{p}^{(i)}_k \right ) \mathbf{x}^{(i)}}", 1 / M, -1),
        (r"\nabla_{\mathbf{w}_j} E(\mathbf{w}_1, \ldots, \mathbf{w}_K) = \frac{1}{N}\sum_{n=1}^{N} (y_{nj} - t_{nj})"
         r" \boldsymbol{\phi}_n", 1 / M, 1),
        (r"\nabla_{\mathbf{w}_j} E(\mathbf{w}_1, \ldots, \mathbf{w}_K) = \sum_{n=1}^{N} (y_{nj} - t_{nj})"
         r" \boldsymbol{\phi}_n", 1.0, 1),
    ],
)  # fmt: skip
def test_softmax_class_gradients(latex, scale, sign):
    written = sign * scale * X.T @ (_probabilities(W) - ONE_HOT)
    right = np.allclose(written, fd_gradient(_softmax_cost, W.reshape(-1)).reshape(N, K), rtol=1e-6)
    report = check_gradient("softmax", latex=latex)
    assert report.status == ("correct" if right else "incorrect")
    if not right:
        assert report.diagnosis is not None and report.diagnosis.exact


@pytest.mark.parametrize(("residual", "sign"), [("h - y", 1), ("y - h", -1)])
def test_bare_h_beside_y_in_matrix_form(residual, sign):
    """∇J = (1/m)Xᵀ(h − y): h alone beside the vector y is every example's prediction σ(Xθ)."""
    right = np.allclose(sign * X.T @ (sigmoid(X @ THETA) - LABELS) / M, fd_gradient(mean_nll, THETA), rtol=1e-6)
    report = check_gradient("logistic", latex=r"\nabla_\theta J(\theta) = \frac{1}{m} X^T (" + residual + ")")
    assert report.status == ("correct" if right else "incorrect")


ASCENT_LOOP = """import numpy as np


def logistic_regression(features, target, num_steps, learning_rate):
    weights = np.zeros(features.shape[1])
    for step in range(num_steps):
        predictions = 1 / (1 + np.exp(-np.dot(features, weights)))
        gradient = np.dot(features.T, target - predictions)
        weights += learning_rate * gradient
    return weights
"""


def test_training_function_names_its_local_gradient(tmp_path, capsys):
    path = tmp_path / "loop.py"
    path.write_text(ASCENT_LOOP, encoding="utf-8")
    assert main(["check", "logistic-loglik", "--python", f"{path}:logistic_regression"]) == 2
    err = capsys.readouterr().err.strip()
    assert "its loop updates weights (line 9" in err and "the local gradient computed in the loop (lines 7–8)" in err
    assert "def gradient(w, X, y)" in err


@pytest.mark.parametrize(("first", "joiner"), [("0", r", \; "), ("1", r" \quad \text{where } ")])
def test_ridge_with_diag_defined_beside(first, joiner):
    """∇J = (1/m)(XᵀXθ − Xᵀy + λLθ), L = diag(0, 1, …, 1); its twin diag(1, 1, …, 1) penalises θ₀ too."""

    def ridge(v):
        return (np.sum((X @ v - TARGETS) ** 2) + LAM * np.sum(v[1:] ** 2)) / (2 * M)

    diagonal = np.r_[float(first), np.ones(N - 1)]
    written = (X.T @ X @ THETA - X.T @ TARGETS + LAM * diagonal * THETA) / M
    right = np.allclose(written, fd_gradient(ridge, THETA), rtol=1e-6)
    latex = (
        r"\nabla_\theta J(\theta) = \frac{1}{m}\left(X^T X\theta - X^T y + \lambda L \theta\right)"
        + joiner
        + rf"L = \mathrm{{diag}}({first}, 1, \dots, 1)"
    )
    report = check_gradient("ridge", latex=latex)
    assert report.status == ("correct" if right else "incorrect")
    if not right:
        assert report.diagnosis.fault == "bias-regularised"


def test_derivative_by_the_scores_is_refused_saying_so(capsys):
    """d2l's ∂_{o_j} l = softmax(o)_j − y_j is by the scores, not W: refused in one line that says so (exit 2)."""
    latex = r"\partial_{o_j} l(\mathbf{y}, \hat{\mathbf{y}}) = \mathrm{softmax}(\mathbf{o})_j - y_j"
    assert main(["check", "softmax", "--latex", latex]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "a score" in err and "by θ or W" in err


# --- tester5: ∂J/∂θ_k on the left with x_j on the right was read with k renamed to j (a false ✓) ----------------
_ENTRY_K = r"\frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right)x_%s^{(i)}"


@pytest.mark.parametrize(
    "statement",
    [
        r"\frac{\partial J(\theta)}{\partial \theta_k} = " + _ENTRY_K % "j",
        r"\theta_k := \theta_k - \alpha" + _ENTRY_K % "j",
        r"\frac{\partial J}{\partial w_k} = \frac{1}{m}\sum_{i=1}^m\left(w^Tx^{(i)} - y^{(i)}\right)x_j^{(i)}",
    ],
)
def test_a_left_index_k_beside_a_free_j_on_the_right_is_refused_not_renamed(statement, capsys):
    # Read literally, the right side is the same number for every k: a constant vector, never the gradient.
    assert main(["check", "logistic", "--latex", statement]) == 2
    err = capsys.readouterr().err
    assert "free index 'j'" in err and "x_k^{(i)}" in err and err.count("\n") == 1


def test_the_same_letter_on_both_sides_still_reads():
    mean = lambda v: -np.mean(LABELS * np.log(sigmoid(X @ v)) + (1 - LABELS) * np.log(1 - sigmoid(X @ v)))  # noqa: E731
    expected = fd_gradient(mean, THETA)
    assert np.allclose(X.T @ (sigmoid(X @ THETA) - LABELS) / M, expected, rtol=1e-6)  # the formula is the gradient
    statement = r"\frac{\partial J(\theta)}{\partial \theta_k} = " + _ENTRY_K % "k"
    assert check_gradient("logistic", latex=statement).status == "correct"


# --- tester5: Octave's X' in LaTeX was read as X, then "transposed — write X^T" (a false ✗) ---------------------
@pytest.mark.parametrize(("residual", "right"), [(r"X\theta - y", True), (r"X\theta + y", False)])
def test_octaves_x_prime_is_the_transpose(residual, right):
    half_mse = lambda v: np.sum((X @ v - TARGETS) ** 2) / (2 * M)  # noqa: E731
    written = X.T @ (X @ THETA + (-1 if right else 1) * TARGETS) / M
    assert np.allclose(written, fd_gradient(half_mse, THETA), rtol=1e-6) == right
    report = check_gradient("linear", latex=rf"\frac{{1}}{{m}} X'({residual})")
    assert report.status == ("correct" if right else "incorrect")
    assert "X' read as Xᵀ, the transpose (Octave's X')" in report.notes
    assert report.diagnosis is None or report.diagnosis.fault != "transposed"


def test_x_without_the_prime_is_still_the_transposed_slip():
    report = check_gradient("linear", latex=r"\frac{1}{m} X(X\theta - y)")
    assert report.status == "incorrect" and report.diagnosis.fault == "transposed"


# --- the normal equations' solution (XᵀX + λI)⁻¹Xᵀy reads; ^{-1} of a matrix that is not square does not ----------
def test_the_inverse_of_a_square_matrix_reads():
    import sympy as sp

    from derivation.parsing import ParseError
    from derivation.parsing.latex import parse_latex
    from derivation.proof.read import model_context

    context = model_context("linear")
    solved = parse_latex(r"(X^TX + \lambda I)^{-1}X^Ty", context)
    assert solved.has(sp.Inverse) and solved.shape[1] == 1
    with pytest.raises(ParseError, match=r"\^\{-1\} when it is square"):
        parse_latex(r"X^{-1}y", context)
