"""``check`` on the tester's fourth round of inputs written as users write them (tester4).

Probit's φ/Φ next to Bishop's letters, a class whose penalty strength is ``self.l2_penalty``, Murphy's
``\\mathrm{sigm}``, NumPy's einsum/matmul/expit and SciPy's ``norm.pdf`` in ``--grad``, δ for ∂, …
Every right input has a one-slip twin; whether each is right is decided here by NumPy central finite
differences of the cost (or sympy.diff), never by the tool.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from central import central_differences as fd_gradient

from derivation.check import check_gradient
from derivation.parsing import ParseError

RNG = np.random.default_rng(4)
M, N = 7, 3
X = np.hstack([np.ones((M, 1)), RNG.normal(size=(M, N - 1))])
LABELS = (RNG.random(M) < 0.5).astype(float)
THETA = RNG.normal(size=N) * 0.5


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def Phi(z):  # the normal CDF by math.erf, not the tool's ndtr
    return np.array([0.5 * (1 + math.erf(v / math.sqrt(2))) for v in np.ravel(z)]).reshape(np.shape(z))


def phi(z):
    return np.exp(-np.square(z) / 2) / math.sqrt(2 * math.pi)


def logistic_fd(penalty: float = 0.0) -> np.ndarray:
    def J(v):
        p = sigmoid(X @ v)
        return -np.mean(LABELS * np.log(p) + (1 - LABELS) * np.log(1 - p)) + penalty * (v[1:] @ v[1:])

    return fd_gradient(J, THETA)


def probit_fd() -> np.ndarray:
    def J(v):
        p = Phi(X @ v)
        return -np.mean(LABELS * np.log(p) + (1 - LABELS) * np.log(1 - p))

    return fd_gradient(J, THETA)


# --- 1. probit's φ/Φ: Φ( triggers Bishop's letters, and y^{(i)} there crashed the reader --------------------

PROBIT = (
    r"\frac{\partial J}{\partial \theta_j} = -\frac{1}{m}\sum_{i=1}^m \left[ y^{(i)} "
    r"\frac{%(f)s(\theta^T x^{(i)})}{\Phi(\theta^T x^{(i)})} %(op)s (1-y^{(i)})"
    r"\frac{%(f)s(\theta^T x^{(i)})}{1-\Phi(\theta^T x^{(i)})}\right] x_j^{(i)}"
)


def probit_as_written(op: str) -> np.ndarray:
    """The tester's formula transcribed by hand into NumPy, ``op`` the sign between its two terms."""
    z = X @ THETA
    sign = -1 if op == "-" else 1
    return -X.T @ (LABELS * phi(z) / Phi(z) + sign * (1 - LABELS) * phi(z) / (1 - Phi(z))) / M


@pytest.mark.parametrize(("f", "op"), [(r"\phi", "-"), (r"\phi", "+"), (r"\varphi", "-")])
def test_probit_phi_over_Phi(f, op):
    right = np.allclose(probit_as_written(op), probit_fd(), rtol=1e-6)
    assert right == (op == "-")  # the oracle: the tester's text is right, the '+' twin is not
    report = check_gradient("probit", latex=PROBIT % {"f": f, "op": op})
    assert report.status == ("correct" if right else "incorrect"), report.reason


def test_bishop_phi_n_is_still_the_feature_map():
    text = (
        r"\nabla E(\mathbf{w}) = \sum_{n=1}^{N} (y_n - t_n) \boldsymbol{\phi}_n"
        r" \quad \text{where } y_n = \sigma(\mathbf{w}^{\mathrm{T}}\boldsymbol{\phi}_n)"
    )
    assert np.allclose(X.T @ (sigmoid(X @ THETA) - LABELS) / M, logistic_fd(), rtol=1e-6)
    assert check_gradient("logistic-sum", latex=text).status == "correct"
    assert check_gradient("logistic-sum", latex=text.replace("(y_n - t_n)", "(t_n - y_n)")).status == "incorrect"


def test_no_internal_exception_text_reaches_the_user():
    from derivation.parsing.errors import cannot_build

    message = cannot_build("this", AttributeError("'NoneType' object has no attribute 'data'"))
    assert "NoneType" not in message and "attribute" not in message


# --- 2. the penalty strength on self.l2_penalty, and a constructor in --call --------------------------------

L2_CLASS = """import numpy as np


class LogisticRegressionL2:
    def __init__(self, learning_rate=0.01, l2_penalty=0.1):
        self.learning_rate = learning_rate
        self.l2_penalty = l2_penalty
        self.weights = None
        self.bias = None

    def compute_gradients(self, X, Y):
        p = 1 / (1 + np.exp(-(np.dot(X, self.weights) + self.bias)))
        dw = (1 / len(X)) * np.dot(X.T, (p - Y)) + %s * self.l2_penalty * self.weights
        db = (1 / len(X)) * np.sum(p - Y)
        return dw, db
"""


def l2_class_gradient(factor: str, lam: float) -> np.ndarray:
    """The class's (db, dw) at THETA, run here on our own data."""
    space: dict = {}
    exec(compile(L2_CLASS % factor, "l2.py", "exec"), space)  # the test's own fixed source, not user input
    model = space["LogisticRegressionL2"](l2_penalty=lam)
    model.weights, model.bias = THETA[1:], THETA[0]
    dw, db = model.compute_gradients(X[:, 1:], LABELS)
    return np.concatenate([[db], dw])


@pytest.mark.parametrize(
    ("factor", "call"),
    [("2", None), ("1", None), ("2", "LogisticRegressionL2(l2_penalty=lam).compute_gradients(X, y)")],
)
def test_l2_penalty_on_self_is_lambda(tmp_path, factor, call):
    lam = 0.3  # logistic-l2-lambda's cost: cross-entropy + λ Σ_{j≥1} θ_j², the class's BCE + l2_penalty·‖w‖²
    right = np.allclose(l2_class_gradient(factor, lam), logistic_fd(lam), rtol=1e-6)
    assert right == (factor == "2")
    path = tmp_path / "l2.py"
    path.write_text(L2_CLASS % factor)
    report = check_gradient("logistic-l2-lambda", python=f"{path}:LogisticRegressionL2.compute_gradients", call=call)
    assert report.status == ("correct" if right else "incorrect"), report.reason
    assert "self.l2_penalty = lam" in report.input_kind


def test_constructor_in_call_is_read_not_run():
    from derivation.check.usersource import InputError, parse_call

    spec = parse_call("Model(l2_penalty=lam, lr=0.1).grad(X, y)")
    assert (spec.owner, spec.function) == ("Model", "grad")
    assert spec.constructor == (("l2_penalty", ("role", "lam")), ("lr", ("const", 0.1)))
    with pytest.raises(InputError, match="by keyword"):
        parse_call("Model(lam).grad(X, y)")
    with pytest.raises(InputError, match="unknown name"):
        parse_call("Model(l2_penalty=__import__).grad(X, y)")


# --- 3. Murphy's \mathrm{sigm}, and \operatorname{logistic}: spellings of σ in the registry -------------------


def sigm_slope_holds(sign: int) -> bool:
    """By sympy.diff: is dμ/dw = μ(1 + sign·μ)x, for μ = sigm(wx) written out?"""
    import sympy as sp

    w, x = sp.symbols("w x", real=True)
    mu = 1 / (1 + sp.exp(-w * x))
    return sp.simplify(sp.diff(mu, w) - mu * (1 + sign * mu) * x) == 0


@pytest.mark.parametrize(
    ("word", "op"),
    [(r"\mathrm{sigm}", "-"), (r"\mathrm{sigm}", "+"), (r"\operatorname{logistic}", "-"), (r"\mathrm{logistic}", "+")],
)
def test_sigm_and_logistic_are_sigma(word, op):
    z = X @ THETA
    right = np.allclose(X.T @ (sigmoid(z) + (-LABELS if op == "-" else LABELS)) / M, logistic_fd(), rtol=1e-6)
    assert right == (op == "-")
    text = rf"\frac{{1}}{{m}}\sum_{{i=1}}^m ({word}(\theta^T x^{{(i)}}) {op} y^{{(i)}}) x_j^{{(i)}}"
    assert check_gradient("logistic", latex=text).status == ("correct" if right else "incorrect")


@pytest.mark.parametrize("sign", [-1, 1])
def test_murphy_dmu_dw_with_sigm(sign):
    from derivation.proof import verify_text

    holds = sigm_slope_holds(sign)
    assert holds == (sign == -1)
    factor = "(1 - \\mu_i)" if sign == -1 else "(1 + \\mu_i)"
    doc = (
        r"$$\mathrm{NLL}(\mathbf{w}) = -\sum_{i=1}^N \left[ y_i \log \mu_i + (1 - y_i) \log (1 - \mu_i) \right], "
        r"\qquad \mu_i = \mathrm{sigm}(\mathbf{w}^T \mathbf{x}_i)$$" + "\n\n"
        rf"Since $\frac{{d\mu_i}}{{d\mathbf{{w}}}} = \mu_i {factor} \mathbf{{x}}_i$."
    )
    report = verify_text(doc, seed=0)
    statuses = [s.status for s in report.steps if s.line == 3]
    assert statuses == (["holds"] if holds else ["fails"]), [(s.line, s.status, s.verdict) for s in report.steps]


# --- 4a. --grad as NumPy and SciPy write it: einsum, matmul, eye, diag, expit, norm.pdf/cdf ---------------

LOGISTIC_GRADS = [  # (the text, the same gradient in NumPy here, as the text means it)
    ('np.einsum("ij,i->j", X, sigmoid(X @ theta) - y) / m', lambda h: np.einsum("ij,i->j", X, h - LABELS) / M),
    ('np.einsum("ij,i->j", X, sigmoid(X @ theta) + y) / m', lambda h: np.einsum("ij,i->j", X, h + LABELS) / M),
    ('np.einsum("ji,j", X, y - sigmoid(np.einsum("ij,j->i", X, theta))) / -m', lambda h: X.T @ (LABELS - h) / -M),
    ('np.einsum("ji,j", X, y - sigmoid(np.einsum("ij,j->i", X, theta))) / m', lambda h: X.T @ (LABELS - h) / M),
    ("np.matmul(X.T, special.expit(np.matmul(X, theta)) - y) / m", lambda h: np.matmul(X.T, h - LABELS) / M),
    ("X.T @ (scipy.special.expit(X @ theta) - y) / len(y)", lambda h: X.T @ (h - LABELS) / M),
    ("X.T @ (scipy.special.expit(X @ theta) - y) / X.shape[1]", lambda h: X.T @ (h - LABELS) / N),
]


@pytest.mark.parametrize(("text", "numpy"), LOGISTIC_GRADS)
def test_numpy_spellings_in_grad(text, numpy):
    right = np.allclose(numpy(sigmoid(X @ THETA)), logistic_fd(), rtol=1e-6)
    assert check_gradient("logistic", grad=text).status == ("correct" if right else "incorrect")


def test_eye_and_diag_in_grad():
    lam = 0.7
    rest = "X.T @ (sigmoid(X @ theta) - y) / m + "

    def J(v):  # logistic-l2-all: the penalty (λ/2m) Σ_{j≥0} θ_j²
        p = sigmoid(X @ v)
        return -np.mean(LABELS * np.log(p) + (1 - LABELS) * np.log(1 - p)) + lam / (2 * M) * (v @ v)

    fd, h = fd_gradient(J, THETA), sigmoid(X @ THETA)
    for penalty, numpy in [
        ("lam / m * np.eye(X.shape[1]) @ theta", lam / M * np.eye(N) @ THETA),
        ("lam * np.eye(len(theta)) @ theta", lam * np.eye(N) @ THETA),
    ]:
        right = np.allclose(X.T @ (h - LABELS) / M + numpy, fd, rtol=1e-6)
        assert check_gradient("logistic-l2-all", grad=rest + penalty).status == ("correct" if right else "incorrect")
    # np.diag(v) as a weighting: Xᵀ diag(h − y) 𝟏 / m is the same gradient
    text = "X.T @ np.diag(sigmoid(X @ theta) - y) @ (y - y + 1) / m"
    right = np.allclose(X.T @ np.diag(h - LABELS) @ np.ones(M) / M, logistic_fd(), rtol=1e-6)
    assert check_gradient("logistic", grad=text).status == ("correct" if right else "incorrect")


@pytest.mark.parametrize("op", ["-", "+"])
def test_norm_pdf_cdf_for_probit(op):
    z = X @ THETA
    sign = -1 if op == "-" else 1
    right = np.allclose(
        -X.T @ (LABELS * phi(z) / Phi(z) + sign * (1 - LABELS) * phi(z) / (1 - Phi(z))) / M, probit_fd()
    )
    assert right == (op == "-")
    pdf, cdf = "norm.pdf(X @ theta)", "scipy.stats.norm.cdf(X @ theta)"
    text = f"-X.T @ (y * {pdf} / {cdf} {op} (1 - y) * {pdf} / norm.sf(X @ theta)) / m"
    assert check_gradient("probit", grad=text).status == ("correct" if right else "incorrect")


# --- 4b. LaTeX as users write it: δ for ∂, Géron's crossed braces, p(x_i; θ) ------------------------------


@pytest.mark.parametrize("half", [False, True])
def test_delta_for_partial_in_a_derivation(half):
    import sympy as sp

    from derivation.proof import verify_text

    t, u, v = sp.symbols("t u v", real=True)
    holds = sp.simplify(sp.diff((t * u - v) ** 2 / 2, t) - (t * u - v) * u / (2 if half else 1)) == 0
    assert holds == (not half)  # by sympy.diff: d/dθ ½(θx − y)² = (θx − y)x, not half of it
    right = r"\left(\theta^T x^{(i)} - y^{(i)}\right) x_j^{(i)}" + (" / 2" if half else "")
    left = r"\frac{\delta}{\delta \theta_j} \frac{1}{2}\left(\theta^T x^{(i)} - y^{(i)}\right)^2"
    doc = f"$${left} = {right}$$"
    report = verify_text(doc, hypothesis="linear", seed=0)
    assert [s.status for s in report.steps] == (["holds"] if holds else ["fails"])


@pytest.mark.parametrize("penalty", [r"\frac{\lambda}{m}", r"\frac{\lambda}{2m}"])
def test_delta_for_partial_on_the_left_of_check(penalty):
    """Ng's ridge gradient with δ for ∂ (a student's LaTeX); λ/(2m) is the slip (by hand: ∂/∂w_j λ/(2m)Σw² = λw_j/m)."""
    text = (
        r"\frac{\delta}{\delta w_j}J(\vec w,b)=\frac{1}{m}\sum_{i=1}^m\left(f_{\vec w,b}\left(\vec x^{(i)}\right)"
        r"-y^{(i)}\right)x_j^{(i)}+" + penalty + "w_j"
    )
    assert check_gradient("ridge", latex=text).status == ("correct" if "2m" not in penalty else "incorrect")


def test_delta_is_still_a_letter_elsewhere():
    from derivation.parsing import parse_latex

    assert str(parse_latex(r"\frac{\delta}{2}")) == "delta/2"  # δ alone over a number: the letter δ
    assert "KroneckerDelta" in str(parse_latex(r"\delta_{jk}"))


GERON = (
    r"\dfrac{\partial}{\partial \theta_j} \text{J}(\boldsymbol{\theta}) = \dfrac{1}{m}\sum\limits_{i=1}^{m}"
    r"\left(\mathbf{\sigma(\boldsymbol{\theta}}^T \mathbf{x}^{(i)}) %s y^{(i)}\right)\, x_j^{(i)}"
)


@pytest.mark.parametrize("op", ["-", "+"])
def test_geron_crossed_braces(op):
    right = np.allclose(X.T @ (sigmoid(X @ THETA) + (-LABELS if op == "-" else LABELS)) / M, logistic_fd())
    assert right == (op == "-")
    assert check_gradient("logistic", latex=GERON % op).status == ("correct" if right else "incorrect")


def loglik_fd() -> np.ndarray:
    return -M * logistic_fd()  # ℓ(θ) = −m·J(θ): its gradient


@pytest.mark.parametrize(
    ("text", "numpy"),
    [
        (r"\sum_{i=1}^{N} x_i (y_i - p(x_i;\theta))", lambda h: X.T @ (LABELS - h)),
        (r"\sum_{i=1}^{N} x_i (y_i + p(x_i;\theta))", lambda h: X.T @ (LABELS + h)),
        (r"\sum_{i=1}^{m} (y^{(i)} - p(x^{(i)}, \theta)) x_j^{(i)}", lambda h: X.T @ (LABELS - h)),
    ],
)
def test_esl_probability_p_of_x_semicolon_theta(text, numpy):
    right = np.allclose(numpy(sigmoid(X @ THETA)), loglik_fd(), rtol=1e-6)
    by = r"\theta_j" if "x_j" in text else r"\theta"  # Σ x_i(…): the vector; Σ (…) x_j^{(i)}: entry j
    text = rf"\frac{{\partial \ell(\theta)}}{{\partial {by}}} = " + text
    assert check_gradient("logistic-loglik", latex=text).status == ("correct" if right else "incorrect")


def test_semicolon_message_says_semicolon():
    with pytest.raises(ParseError, match="unexpected ';'"):
        check_gradient("logistic-loglik", latex=r"\sum_{i=1}^{N} x_i (y_i - p(x_i;\gamma))")


@pytest.mark.parametrize("op", ["-", "+"])
def test_nabla_with_thin_space_before_text_mse(op):
    def mse(v):
        return np.mean((X @ v - LABELS) ** 2)

    right = np.allclose(2 / M * X.T @ (X @ THETA + (-LABELS if op == "-" else LABELS)), fd_gradient(mse, THETA))
    assert right == (op == "-")
    text = (
        r"\nabla_{\boldsymbol{\theta}}\, \text{MSE}(\boldsymbol{\theta}) = "
        rf"\dfrac{{2}}{{m}} \mathbf{{X}}^T (\mathbf{{X}} \boldsymbol{{\theta}} {op} \mathbf{{y}})"
    )
    assert check_gradient("linear-mean", latex=text).status == ("correct" if right else "incorrect")


@pytest.mark.parametrize("over", ["m", "(2 * m)"])
def test_ridge_mask_diag_of_ones(over):
    lam = 0.7

    def J(v):  # ridge: (1/2m) Σ (θᵀx − y)² + (λ/2m) Σ_{j≥1} θ_j²
        return np.sum((X @ v - LABELS) ** 2) / (2 * M) + lam / (2 * M) * (v[1:] @ v[1:])

    scale = M if over == "m" else 2 * M
    right = np.allclose(
        (X.T @ (X @ THETA - LABELS) + lam * np.diag([0.0, 1, 1]) @ THETA) / scale, fd_gradient(J, THETA)
    )
    assert right == (over == "m")
    text = f"(X.T @ (X @ theta - y) + lam * np.diag(np.r_[0, np.ones(len(theta) - 1)]) @ theta) / {over}"
    assert check_gradient("ridge", grad=text).status == ("correct" if right else "incorrect")


@pytest.mark.parametrize("transpose", [True, False])
def test_bishop_design_matrix_phi_still_a_matrix(transpose):
    # logistic-sum: ∇E = Φᵀ(y − t) with y = σ(Φw) (Bishop 4.96); Φ(y − t) has the wrong shape (m, not n + 1)
    fd = fd_gradient(
        lambda v: -M * np.mean(LABELS * np.log(sigmoid(X @ v)) + (1 - LABELS) * np.log(1 - sigmoid(X @ v))), THETA
    )
    residual = sigmoid(X @ THETA) - LABELS
    # Φ(y − t) is not even defined: Φ has n + 1 columns and y − t has m entries
    right = np.allclose(X.T @ residual, fd, rtol=1e-6) if transpose else X.shape[1] == residual.size
    assert right == transpose
    phi = r"\boldsymbol{\Phi}^{\mathrm{T}}" if transpose else r"\boldsymbol{\Phi}"
    where = r" \quad \text{where } \mathbf{y} = \sigma(\boldsymbol{\Phi}\mathbf{w})"
    text = rf"\nabla E(\mathbf{{w}}) = {phi}(\mathbf{{y}} - \mathbf{{t}})" + where
    report = check_gradient("logistic-sum", latex=text)
    assert report.status == ("correct" if right else "incorrect")
    assert "Φ(" not in report.reading  # Φ of a vector is the design matrix times it, never the normal cdf


@pytest.mark.parametrize(("defined", "vector"), [(r"\sigma(\theta^T x^{(i)})", True), (r"\theta^T x^{(i)}", False)])
def test_bold_mu_is_all_predictions_when_mu_i_is_one(defined, vector):
    from dataclasses import replace

    from derivation.core.notation import i
    from derivation.parsing import parse_latex
    from derivation.proof.read import model_context

    context = model_context("logistic-sum")
    value = parse_latex(defined, context)

    def at(*given, value=value):
        return value.xreplace({i: given[0]}) if given else value

    context = replace(context, defined={r"\mu": at})
    if vector:  # μ_i = σ(θᵀx⁽ⁱ⁾), the prediction: \boldsymbol{\mu} is σ(Xθ), as Murphy's g = Xᵀ(μ − y) means
        assert parse_latex(r"X^T(\boldsymbol{\mu} - y)", context) == parse_latex(r"X^T(\sigma(X\theta) - y)", context)
    else:  # μ_i = θᵀx⁽ⁱ⁾ is not logistic regression's prediction: not made a vector
        with pytest.raises(ParseError, match="not a vector"):
            parse_latex(r"X^T(\boldsymbol{\mu} - y)", context)


@pytest.mark.parametrize("op", ["-", "+"])
def test_geron_hat_p_is_the_softmax_probability(op):
    K = 3
    W = RNG.normal(size=(N, K)) * 0.5
    onehot = np.eye(K)[RNG.integers(0, K, size=M)]

    def J(flat):
        scores = X @ flat.reshape(N, K)
        logp = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
        return -np.mean(np.sum(onehot * logp, axis=1))

    P = np.exp(X @ W) / np.exp(X @ W).sum(axis=1, keepdims=True)
    mine = X.T @ (P + (-onehot if op == "-" else onehot)) / M  # entry (j, k): (1/m) Σ_i (p̂_k − y_k) x_j
    right = np.allclose(mine.ravel(), fd_gradient(J, W.ravel()), rtol=1e-6)
    assert right == (op == "-")
    left = r"\frac{\partial J}{\partial W_{jk}} = \frac{1}{m}\sum_{i=1}^m "
    text = left + rf"(\hat{{p}}^{{(i)}}_k {op} y_k^{{(i)}}) x_j^{{(i)}}"
    assert check_gradient("softmax", latex=text).status == ("correct" if right else "incorrect")


@pytest.mark.parametrize(("model", "mu", "right"), [
    ("logistic-sum", r"\mathrm{sigm}(\mathbf{w}^T\mathbf{x}_i)", True),  # Murphy (8.5): g = Σ(μ_i − y_i)x_i
    ("poisson", r"\exp(\theta^T x_i)", True),
    ("poisson", r"\theta^T x_i", False),  # the linear residual under the Poisson cost: its gradient is e^{θᵀx} − y
])  # fmt: skip
def test_an_indexed_mu_after_where_defines_the_prediction(model, mu, right):
    """μ alone is a step size; μ_i = … beside a gradient is the prediction it uses (by hand: ∇J = Σ(μ_i − y_i)x_i
    with μ_i = σ(wᵀx_i) for the summed logistic cost, (1/m)Σ(e^{θᵀx_i} − y_i)x_i for Poisson)."""
    scale = "" if model == "logistic-sum" else r"\frac{1}{m}"
    text = rf"\nabla J(\theta) = {scale}\sum_{{i=1}}^m (\mu_i - y_i) x_i \quad \text{{where }} \mu_i = {mu}"
    assert check_gradient(model, latex=text).status == ("correct" if right else "incorrect")
