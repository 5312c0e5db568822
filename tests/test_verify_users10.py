r"""verify on a seventh tester's documents: a loss named by a word (niaza64's BCE, mihai2014's dLoss/dw_1), a GLM's
link written log μ_i = x_iᵀβ with ∇_β ℓ, a softmax δ whose prose says "with a one-hot $y$", de Freitas's
∇_θ (Xθ − Y)ᵀ(Xθ − Y) with a capital Y and with (θᵀXᵀ − yᵀ)(Xθ − y), and Unicode Σᵢ₌₁ᵐ.

Each was flagged on a right line (BCE read B·C·E, the link checked as an identity at a negative μ, the one-hot prose
unread) or refused (Y a number, SymPy's "noncommutative scalars", '₌').  Which line of each text is right is decided
here by NumPy central differences on random data, never by the tool: a right text's checked steps all hold, its
one-slip twin's first wrong step is the slip's line.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from central import central_differences
from line_verdicts import assert_lines

from derivation.parsing import ParseError
from derivation.parsing.latex import parse_latex
from derivation.proof.read import model_context
from derivation.proof.verifier import verify_text

RNG = np.random.default_rng(10)
M, P = 7, 3
X = RNG.normal(size=(M, P))
Y = RNG.normal(size=M)
COUNTS = RNG.poisson(2.0, size=M).astype(float)
THETA = RNG.normal(size=P) * 0.5


def _close(a, b) -> bool:
    return bool(np.allclose(a, b, rtol=1e-5, atol=1e-7))


def _sigmoid(z):
    return 1 / (1 + math.exp(-z))


# --- 1. a loss named by a word ------------------------------------------------------------------------------------

BCE = r"""Binary cross entropy with $\hat{y} = \sigma(z)$, $z = ax + b$:

$$BCE = -\left[y\log\hat{y} + (1-y)\log(1-\hat{y})\right]$$

$$\frac{\partial BCE}{\partial \hat{y}} = -\left[\frac{y}{\hat{y}} - \frac{1-y}{1-\hat{y}}\right] = \frac{\hat{y} - y}{\hat{y}(1-\hat{y})}$$

$$\frac{\partial \hat{y}}{\partial z} = \hat{y}(1-\hat{y})$$

$$\frac{\partial BCE}{\partial a} = \frac{\hat{y} - y}{\hat{y}(1-\hat{y})}\cdot\hat{y}(1-\hat{y})\cdot x = RESULT$$
"""  # noqa: E501 (the text as the user wrote it)


def _bce(slip: bool) -> list[tuple[int, bool]]:
    """Lines 5, 7, 9 of BCE; the slip writes (y − ŷ)x for (ŷ − y)x on line 9."""
    a, b, x, y = 0.4, -0.2, 1.3, 0.8
    h = _sigmoid(a * x + b)
    loss = lambda p: -(y * math.log(p) + (1 - y) * math.log(1 - p))  # noqa: E731
    by_h = central_differences(lambda v: loss(v[0]), np.array([h]))[0]
    line5 = _close(-(y / h - (1 - y) / (1 - h)), by_h) and _close((h - y) / (h * (1 - h)), by_h)
    line7 = _close(h * (1 - h), central_differences(lambda v: _sigmoid(v[0]), np.array([a * x + b]))[0])
    by_a = central_differences(lambda v: loss(_sigmoid(v[0] * x + b)), np.array([a]))[0]
    result = (y - h) * x if slip else (h - y) * x
    line9 = _close((h - y) / (h * (1 - h)) * h * (1 - h) * x, by_a) and _close(result, by_a)
    return [(5, line5), (7, line7), (9, line9)]


PLAIN_BCE = """Binary cross entropy, the chain of dependencies:

BCE = -[y·log(ŷ) + (1-y)·log(1-ŷ)]
ŷ = σ(z)
z = ax + b

∂BCE/∂ŷ = -[y/ŷ - (1-y)/(1-ŷ)]
= SECOND

∂ŷ/∂z = ŷ(1-ŷ)

∂BCE/∂a = (ŷ - y)/(ŷ(1-ŷ)) · ŷ(1-ŷ) · x = (ŷ - y)·x
"""


def _plain_bce(slip: bool) -> list[tuple[int, bool]]:
    """niaza64's plain text: lines 7, 8, 10, 12 (BCE and z = ax + b its names); the slip writes y − ŷ on line 8."""
    claims = dict(_bce(False))
    a, b, x, y = 0.4, -0.2, 1.3, 0.8
    h = _sigmoid(a * x + b)
    by_h = central_differences(lambda v: -(y * math.log(v[0]) + (1 - y) * math.log(1 - v[0])), np.array([h]))[0]
    second = _close(((y - h) if slip else (h - y)) / (h * (1 - h)), by_h)
    return [(7, _close(-(y / h - (1 - y) / (1 - h)), by_h)), (8, second), (10, claims[7]), (12, claims[9])]


LOSS = r"""$z = w_1 x_1 + w_2 x_2 + b$, $\hat{y} = \sigma(z) = \frac{1}{1+e^{-z}}$ and $Loss = -y\ln(\hat{y}) - (1-y)\ln(1-\hat{y})$.

$$\frac{dLoss}{d\hat{y}} = -\frac{y}{\hat{y}} + \frac{1-y}{1-\hat{y}} = \frac{\hat{y} - y}{\hat{y}(1-\hat{y})}$$

$$\frac{d\hat{y}}{dz} = \hat{y}(1-\hat{y})$$

$$\frac{dLoss}{dw_1} = \frac{dLoss}{d\hat{y}}\cdot\frac{d\hat{y}}{dz}\cdot\frac{dz}{dw_1} = (\hat{y} - y)x_INDEX$$
"""  # noqa: E501 (the text as the user wrote it)


def _loss(slip: bool) -> list[tuple[int, bool]]:
    """Lines 3, 5, 7 of mihai2014's dLoss/dw_1; the slip writes x_2 for x_1 on line 7."""
    w, b, x, y = np.array([0.3, -0.6]), 0.2, np.array([1.1, -0.7]), 1.0
    h = _sigmoid(w @ x + b)
    loss = lambda p: -y * math.log(p) - (1 - y) * math.log(1 - p)  # noqa: E731
    by_h = central_differences(lambda v: loss(v[0]), np.array([h]))[0]
    line3 = _close(-y / h + (1 - y) / (1 - h), by_h) and _close((h - y) / (h * (1 - h)), by_h)
    line5 = _close(h * (1 - h), central_differences(lambda v: _sigmoid(v[0]), np.array([w @ x + b]))[0])
    by_w1 = central_differences(lambda v: loss(_sigmoid(v[0] * x[0] + w[1] * x[1] + b)), np.array([w[0]]))[0]
    line7 = _close(by_h * h * (1 - h) * x[0], by_w1) and _close((h - y) * x[1 if slip else 0], by_w1)
    return [(3, line3), (5, line5), (7, line7)]


MSE = r"""$$MSE(\theta) = \frac{1}{2m}\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)^2$$

$$\frac{\partial MSE(\theta)}{\partial \theta_j} = \frac{SCALE}{m}\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)x_j^{(i)}$$

$$\nabla_\theta MSE(\theta) = \frac{SCALE}{m}X^T(X\theta - y)$$
"""  # noqa: E501 (the text as the user wrote it)


def _mse(slip: bool) -> list[tuple[int, bool]]:
    """A loss named by a word used as a function, MSE(θ): lines 3 and 5; the slip writes 2/m for 1/m on both."""
    truth = central_differences(lambda t: np.sum((X @ t - Y) ** 2) / (2 * M), THETA)
    written = (2 if slip else 1) / M * X.T @ (X @ THETA - Y)
    return [(3, _close(written, truth)), (5, _close(written, truth))]


# --- 2. Poisson regression with its link ---------------------------------------------------------------------------

POISSON = r"""Poisson regression with the log link: $y_i \sim \text{Poisson}(\mu_i)$, $\log\mu_i = x_i^T\beta$. Dropping the constant $\log y_i!$,

$$\ell(\beta) = \sum_{i=1}^n \left(y_i x_i^T\beta - e^{x_i^T\beta}\right)$$

$$\nabla_\beta \ell(\beta) = \sum_{i=1}^n \left(y_i - e^{x_i^T\beta}\right)x_i = X^T\left(RESIDUAL\right)$$
"""  # noqa: E501 (the text as the user wrote it)


def _poisson(slip: bool) -> list[tuple[int, bool]]:
    """Line 5 of the matrix-form Poisson gradient; the slip writes e^{Xβ} − y for y − e^{Xβ}."""
    loglik = lambda b: np.sum(COUNTS * (X @ b) - np.exp(X @ b))  # noqa: E731
    truth = central_differences(loglik, THETA)
    by_example = sum((COUNTS[k] - math.exp(X[k] @ THETA)) * X[k] for k in range(M))
    residual = np.exp(X @ THETA) - COUNTS if slip else COUNTS - np.exp(X @ THETA)
    return [(5, _close(by_example, truth) and _close(X.T @ residual, truth))]


def _poisson_text(slip: bool, theta: bool = False) -> str:
    text = POISSON.replace("RESIDUAL", r"e^{X\beta} - y" if slip else r"y - e^{X\beta}")
    if theta:  # the same text in θ (x_i^T\theta written \theta^T x_i)
        text = text.replace(r"x_i^T\beta", r"\theta^T x_i").replace(r"\beta", r"\theta")
    return text


# --- 3. the softmax δ with a one-hot y said in prose ---------------------------------------------------------------

SOFTMAX = r"""Let $p_k = \frac{e^{z_k}}{\sum_{c=1}^K e^{z_c}}$ and $L = -\sum_{k=1}^K y_k \log p_k$ with a one-hot $y$.

The Jacobian of the softmax is

$$\frac{\partial p_k}{\partial z_j} = JACOBIAN$$

so

$$\frac{\partial L}{\partial z_j} = -\sum_{k=1}^K \frac{y_k}{p_k}\frac{\partial p_k}{\partial z_j} = -\sum_{k=1}^K y_k(\delta_{kj} - p_j) = -y_j + p_j\sum_{k=1}^K y_k = RESULT$$
"""  # noqa: E501 (the text as the user wrote it)
JACOBIANS = {"row": r"p_k(\delta_{kj} - p_j)", "swapped": r"p_j(\delta_{kj} - p_k)"}


def _softmax(jacobian: str, result: str) -> list[tuple[int, bool]]:
    """Lines 5 and 9 at K = 4 classes and a one-hot y; ``result`` is the last form, p_j − y_j or a slip."""
    z, label = RNG.normal(size=4), np.eye(4)[2]
    soft = lambda v: np.exp(v) / np.sum(np.exp(v))  # noqa: E731
    p = soft(z)
    jac = np.array([central_differences(lambda v, k=k: soft(v)[k], z) for k in range(4)])  # jac[k, j] = ∂p_k/∂z_j
    written = p[:, None] * (np.eye(4) - p[None, :]) if jacobian == "row" else p[None, :] * (np.eye(4) - p[:, None])
    truth = central_differences(lambda v: -np.sum(label * np.log(soft(v))), z)
    last = {"p_j - y_j": p - label, "p_j + y_j": p + label}[result]
    forms = [-(label / p) @ jac, -label @ (np.eye(4) - p[None, :]), -label + p * label.sum(), last]
    return [(5, _close(written, jac)), (9, all(_close(form, truth) for form in forms))]


# --- 4. de Freitas's least squares, Unicode sums -------------------------------------------------------------------

FREITAS = r"""We want the $\theta$ that minimizes $J(\theta) = (X\theta - Y)^{T}(X\theta - Y)$, where $\theta \in \mathbb{R}^{N \times 1}$, $X \in \mathbb{R}^{M \times N}$ and $Y \in \mathbb{R}^{M \times 1}$.

$$\nabla_{\theta}J(\theta) = \nabla_{\theta} (X\theta - Y)^{T}(X\theta - Y)$$

$$= \nabla_{\theta} (\theta^{T} X^{T} - Y^{T})(X\theta - Y)$$

$$= \nabla_{\theta} (\theta^{T} X^{T}X\theta - \theta^{T} X^{T}Y - Y^{T}X\theta + Y^{T}Y)$$

Note that $\theta^{T} X^{T}Y$ is a scalar, so it equals its transpose $Y^{T} X \theta$:

$$= \nabla_{\theta}(\theta^{T} X^{T}X\theta - TWICE Y^{T} X \theta + Y^{T}Y)$$

$$= 2 X^{T}X \theta - 2 X^{T} Y$$
"""  # noqa: E501 (the text as the user wrote it)


def _freitas(slip: bool) -> list[tuple[int, bool]]:
    """Lines 3 to 13 (each ∇ of what it writes, by central differences); the slip drops the 2 of 2YᵀXθ on line 11."""
    truth = central_differences(lambda t: (X @ t - Y) @ (X @ t - Y), THETA)
    expanded = lambda t: t @ X.T @ X @ t - t @ X.T @ Y - Y @ X @ t + Y @ Y  # noqa: E731
    merged = lambda t: t @ X.T @ X @ t - (1 if slip else 2) * Y @ X @ t + Y @ Y  # noqa: E731
    return [
        (3, _close(central_differences(lambda t: (X @ t - Y) @ (X @ t - Y), THETA), truth)),
        (5, _close(central_differences(lambda t: (t @ X.T - Y) @ (X @ t - Y), THETA), truth)),
        (7, _close(central_differences(expanded, THETA), truth)),
        (11, _close(central_differences(merged, THETA), truth)),
        (13, _close(2 * X.T @ X @ THETA - 2 * X.T @ Y, truth)),
    ]


def _freitas_text(slip: bool, lower: bool) -> str:
    text = FREITAS.replace("TWICE ", "" if slip else "2 ")
    return text.replace("Y", "y") if lower else text


UNICODE = """Cost: J(θ) = (1/2m) Σᵢ₌₁ᵐ (θᵀx⁽ⁱ⁾ − y⁽ⁱ⁾)²

Differentiate w.r.t. θⱼ:

∂J/∂θⱼ = (1/2m) Σᵢ₌₁ᵐ 2(θᵀx⁽ⁱ⁾ − y⁽ⁱ⁾) xⱼ⁽ⁱ⁾
       = SCALE Σᵢ₌₁ᵐ (θᵀx⁽ⁱ⁾ − y⁽ⁱ⁾) xⱼ⁽ⁱ⁾
"""


def _unicode(slip: bool) -> list[tuple[int, bool]]:
    """Lines 5 and 6 of the plain-text linear gradient; the slip drops the 1/m on line 6."""
    truth = central_differences(lambda t: np.sum((X @ t - Y) ** 2) / (2 * M), THETA)
    residual = X @ THETA - Y
    return [(5, _close(X.T @ (2 * residual) / (2 * M), truth)), (6, _close(X.T @ residual / (1 if slip else M), truth))]


CASES = {  # name: (text, the lines it claims, each with whether central differences say it holds)
    "bce": (BCE.replace("RESULT", r"(\hat{y} - y)x"), _bce(False)),
    "bce_slip": (BCE.replace("RESULT", r"(y - \hat{y})x"), _bce(True)),
    "bce_text": (BCE.replace("BCE", r"\text{BCE}").replace("RESULT", r"(\hat{y} - y)x"), _bce(False)),
    "bce_text_slip": (BCE.replace("BCE", r"\text{BCE}").replace("RESULT", r"(y - \hat{y})x"), _bce(True)),
    "bce_plain": (PLAIN_BCE.replace("SECOND", "(ŷ - y)/(ŷ(1-ŷ))"), _plain_bce(False)),
    "bce_plain_slip": (PLAIN_BCE.replace("SECOND", "(y - ŷ)/(ŷ(1-ŷ))"), _plain_bce(True)),
    "loss": (LOSS.replace("INDEX", "1"), _loss(False)),
    "loss_slip": (LOSS.replace("INDEX", "2"), _loss(True)),
    "mse": (MSE.replace("SCALE", "1"), _mse(False)),
    "mse_slip": (MSE.replace("SCALE", "2"), _mse(True)),
    "poisson_beta": (_poisson_text(False), _poisson(False)),
    "poisson_beta_slip": (_poisson_text(True), _poisson(True)),
    "poisson_theta": (_poisson_text(False, theta=True), _poisson(False)),
    "poisson_theta_slip": (_poisson_text(True, theta=True), _poisson(True)),
    "softmax": (
        SOFTMAX.replace("JACOBIAN", JACOBIANS["row"]).replace("RESULT", "p_j - y_j"),
        _softmax("row", "p_j - y_j"),
    ),
    "softmax_swapped": (
        SOFTMAX.replace("JACOBIAN", JACOBIANS["swapped"]).replace("RESULT", "p_j - y_j"),
        _softmax("swapped", "p_j - y_j"),
    ),
    "softmax_slip": (
        SOFTMAX.replace("JACOBIAN", JACOBIANS["row"]).replace("RESULT", "p_j + y_j"),
        _softmax("row", "p_j + y_j"),
    ),
    "freitas_capital_y": (_freitas_text(False, lower=False), _freitas(False)),
    "freitas_capital_y_slip": (_freitas_text(True, lower=False), _freitas(True)),
    "freitas_lower_y": (_freitas_text(False, lower=True), _freitas(False)),
    "freitas_lower_y_slip": (_freitas_text(True, lower=True), _freitas(True)),
    "unicode_sum": (UNICODE.replace("SCALE", "(1/m)"), _unicode(False)),
    "unicode_sum_slip": (UNICODE.replace("SCALE ", ""), _unicode(True)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_line_is_judged_as_central_differences_say(name):
    text, claims = CASES[name]
    wrong = next((line for line, right in claims if not right), None)
    assert (wrong is None) == ("slip" not in name)  # the twins' labels agree with the finite differences
    report = verify_text(text, rules=False)
    assert not any("noncommutative" in s.unreadable.message for s in report.steps if s.unreadable)
    if "capital_y" in name:  # Y read as y, and said
        assert all(any("read Y as y" in words for words in s.interpretations) for s in report.checked)
    assert_lines(report, claims)


def test_a_word_is_one_name_and_is_shown_as_written():
    report = verify_text(CASES["bce"][0], rules=False)
    assert [s.line for s in report.steps if s.status == "definition"] == [1, 1, 3]  # ŷ, z and BCE: no B·C·E
    assert any("read BCE = " in words for s in report.steps for words in s.interpretations)


def test_a_link_defines_its_mean():
    steps = verify_text(_poisson_text(False), rules=False).steps
    assert steps[0].line == 1 and steps[0].status == "definition"  # log μ_i = x_iᵀβ: μ_i = e^{x_iᵀβ}, not checked


def test_one_hot_prose_is_what_the_labels_summing_to_one_was_and_without_it_the_hint_stays():
    said = SOFTMAX.replace("JACOBIAN", JACOBIANS["row"]).replace("RESULT", "p_j - y_j")
    assert verify_text(said, rules=False).exit_code == 0
    unsaid = verify_text(said.replace(" with a one-hot $y$", ""), rules=False)
    assert unsaid.first_problem.line == 9 and "Σ_k y_k = 1" in unsaid.first_problem.diagnosis.message


def test_products_of_letters_stay_products():
    """mJ(θ) = … is m·J, ∂xy is ∂(x·y); a word neither defined nor differentiated is the letters' product."""
    steps = verify_text(r"$$\frac{\partial}{\partial x} xy = y$$ and $$\frac{\partial}{\partial x} ab\,x = ab$$").steps
    assert [s.status for s in steps] == ["holds", "holds"]


def test_a_derivative_times_a_vector_is_refused_in_the_users_terms():
    with pytest.raises(ParseError) as error:
        parse_latex(r"\frac{\partial}{\partial \theta} (X\theta - y) (X\theta - y)^T X", model_context("linear"))
    assert "noncommutative" not in error.value.message and "brackets" in error.value.message


def test_a_capital_y_read_as_a_number_says_write_y():
    with pytest.raises(ParseError) as error:
        parse_latex(r"X^T(X\theta - Y)", model_context("linear"))
    assert "write y" in error.value.message


# --- the review's false ✓: a likelihood's log and an already-defined p_i are steps, not links; denied one-hot ---

LOG_OF = {  # the definition, the left side, the right side around the log-likelihood's terms
    "likelihood": (r"\mathcal{L} = \prod_{i=1}^m h_i^{y_i}(1-h_i)^{1-y_i}", r"\log\mathcal{L}", r"\sum_{i=1}^m [BODY]"),
    "p_i": (r"p_i = h_i^{y_i}(1-h_i)^{1-y_i}", r"\log p_i", "BODY"),
}


@pytest.mark.parametrize("slip", [False, True])
@pytest.mark.parametrize("kind", LOG_OF)
def test_the_log_of_a_defined_name_is_checked_not_taken_as_a_link(kind, slip):
    rng = np.random.default_rng(3)
    h, y = rng.uniform(0.1, 0.9, 5), (rng.random(5) < 0.5).astype(float)
    sign = 1 if slip else -1  # (1 + y) log(1 − h) is the slip
    assert np.isclose(
        np.sum(np.log(h**y * (1 - h) ** (1 - y))), np.sum(y * np.log(h) + (1 + sign * y) * np.log(1 - h))
    ) == (not slip)
    definition, left, wrap = LOG_OF[kind]
    body = rf"y_i \log h_i + (1{'+' if slip else '-'}y_i)\log(1-h_i)"
    text = (
        f"Let ${definition}$ with $h_i = \\sigma(\\theta^T x_i)$.\n\nTaking logs,\n\n"
        f"$${left} = {wrap.replace('BODY', body)}$$\n"
    )
    report = verify_text(text, rules=False)
    if slip:
        assert report.first_problem is not None and report.first_problem.line == 5, text
    else:
        assert report.exit_code == 0 and any(s.line == 5 and s.status == "holds" for s in report.checked)


def test_prose_that_denies_one_hot_labels_says_nothing():
    from derivation.proof.facts import says_one_hot

    assert says_one_hot("Here $y$ is one-hot.") == 1 and says_one_hot("with a one-hot $y$") == 1
    denials = ["We do not assume one-hot labels: $y$ may be any vector.", "Unlike one-hot labels, our $y$ are counts."]
    for denied in [*denials, "Without one-hot targets the sum stays.", "y isn't one-hot here"]:
        assert says_one_hot(denied) is None, denied
