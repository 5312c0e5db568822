r"""``check`` (session 31): tester 12's c46, tester 14's L14, review 12's F7, written as their authors wrote them.

* c46: a weight per example, ``w^{(i)}``, in the cost and the gradient is positive data (the oracle draws it), never
  θ_i: the weighted gradient is ✓, the gradient that drops w⁽ⁱ⁾ is ✗; ``verify`` on the same text agrees.

Truth: central differences (tests/central.py) of the cost transcribed in NumPy on data of our own; never the tool's
own numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli
from verdicts import check_verdict as _verdict


def _sigmoid(u):
    return 1.0 / (1.0 + np.exp(-u))


def _data(seed: int = 21, m: int = 8, n: int = 2):
    rng = np.random.default_rng(seed)
    x = np.hstack([np.ones((m, 1)), rng.normal(size=(m, n))])
    y = (rng.random(m) < 0.5).astype(float)
    y[:2] = (0.0, 1.0)
    return x, y, rng.normal(size=n + 1) * 0.7, rng.uniform(0.2, 2.0, size=m)


def _agrees(value, truth) -> bool:
    return bool(np.allclose(value, truth, rtol=1e-6, atol=1e-8))


# --- 1. c46: example weights w^{(i)} --------------------------------------------------------------------------------

C46_COST = (
    r"J(\theta) = -\frac{1}{m}\sum_{i=1}^{m} w^{(i)}\left[y^{(i)}\log\sigma(\theta^T x^{(i)}) + "
    r"(1-y^{(i)})\log(1-\sigma(\theta^T x^{(i)}))\right]"
)
C46_RIGHT = (
    r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m} w^{(i)}\left(\sigma(\theta^T x^{(i)}) - "
    r"y^{(i)}\right)x_j^{(i)}"
)
C46_GRADIENTS = {  # the gradient as written, and the same in NumPy
    C46_RIGHT: lambda x, y, t, w: x.T @ (w * (_sigmoid(x @ t) - y)) / len(y),
    C46_RIGHT.replace("w^{(i)}", ""): lambda x, y, t, w: x.T @ (_sigmoid(x @ t) - y) / len(y),  # weight dropped
    C46_RIGHT.replace(r"\frac{1}{m}", r"\frac{1}{2m}"): lambda x, y, t, w: (
        x.T @ (w * (_sigmoid(x @ t) - y)) / 2 / len(y)
    ),
    C46_RIGHT.replace("w^{(i)}", "w^{(i)} w^{(i)}"): lambda x, y, t, w: x.T @ (w**2 * (_sigmoid(x @ t) - y)) / len(y),
}


def _weighted_ce(x, y, w):
    return lambda t: float(-np.mean(w * (y * np.log(_sigmoid(x @ t)) + (1 - y) * np.log(1 - _sigmoid(x @ t)))))


@pytest.mark.parametrize("gradient", list(C46_GRADIENTS), ids=range(len(C46_GRADIENTS)))
def test_c46_a_weight_per_example_is_data_the_weighted_gradient_alone_passes(gradient):
    x, y, t, w = _data()
    truth = central_differences(_weighted_ce(x, y, w), t)
    expected = "correct" if _agrees(C46_GRADIENTS[gradient](x, y, t, w), truth) else "incorrect"
    assert expected == ("correct" if gradient == C46_RIGHT else "incorrect")  # the oracle tells them apart
    assert _verdict(run_cli("check", "--cost", C46_COST, "--latex", gradient)) == expected


def _squared(x, y, w):
    return lambda t: float(np.sum(w * (x @ t - y) ** 2) / 2)


SQUARED_COST = r"J(w) = \frac{1}{2}\sum_{i=1}^{m} w^{(i)} (w^T x^{(i)} - y^{(i)})^2"
SQUARED_GRADIENTS = {  # w without (i) is the weight vector θ, w^{(i)} example i's weight
    r"\nabla_w J = \sum_{i=1}^{m} w^{(i)} (w^T x^{(i)} - y^{(i)}) x^{(i)}": lambda x, y, t, w: x.T @ (w * (x @ t - y)),
    r"\nabla_w J = \sum_{i=1}^{m} (w^T x^{(i)} - y^{(i)}) x^{(i)}": lambda x, y, t, w: x.T @ (x @ t - y),
    r"\nabla_w J = \sum_{i=1}^{m} w^{(i)} (y^{(i)} - w^T x^{(i)}) x^{(i)}": lambda x, y, t, w: x.T @ (w * (y - x @ t)),
}


@pytest.mark.parametrize("gradient", list(SQUARED_GRADIENTS), ids=range(len(SQUARED_GRADIENTS)))
def test_c46_weighted_least_squares_in_w_notation(gradient):
    x, y, t, w = _data(22)
    y = x @ t + np.random.default_rng(5).normal(size=len(y))
    expected = (
        "correct"
        if _agrees(SQUARED_GRADIENTS[gradient](x, y, t, w), central_differences(_squared(x, y, w), t))
        else "incorrect"
    )
    assert _verdict(run_cli("check", "--cost", SQUARED_COST, "--latex", gradient)) == expected


def test_c46_verify_reads_the_weight_as_data_never_as_theta_i(tmp_path):
    x, y, t, w = _data()
    truth = central_differences(_weighted_ce(x, y, w), t)
    for gradient, formula in list(C46_GRADIENTS.items())[:2]:
        holds = _agrees(formula(x, y, t, w), truth)
        text = tmp_path / "notes.tex"
        text.write_text(f"The weighted cost is\n$${C46_COST}$$\nIts gradient is\n$${gradient}$$\n")
        result = run_cli("verify", str(text))
        assert result.returncode == (0 if holds else 1), result.stdout + result.stderr
        assert "θ_i" not in result.stdout and "theta_i" not in result.stdout
        assert ("✓ step 2" in result.stdout) == holds and ("✗ step 2" in result.stdout) == (not holds)


def test_c46_show_derives_the_weighted_cost_and_a_weight_in_the_gradient_alone_stays_wrong():
    """w^{(i)} was refused ("weights per example are not read"); the derivation now keeps it as data."""
    result = run_cli("show", "--cost", r"\frac{1}{2m}\sum_{i=1}^m w^{(i)}(\theta^T x^{(i)} - y^{(i)})^2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all verified" in result.stdout
    # the weight in the gradient of an unweighted model: the model's J has no weight, so the gradient is wrong
    x, y, t, w = _data()
    unweighted = central_differences(
        lambda s: float(-np.mean(y * np.log(_sigmoid(x @ s)) + (1 - y) * np.log(1 - _sigmoid(x @ s)))), t
    )
    assert not _agrees(C46_GRADIENTS[C46_RIGHT](x, y, t, w), unweighted)
    assert _verdict(run_cli("check", "logistic", "--latex", C46_RIGHT)) == "incorrect"


# --- 2. tester 14 L14/L14b: the line y = mx + c, --wrt m or c ------------------------------------------------------

LINE_COST = r"\sum_{i=1}^n \left( y_i - (mx_i + c) \right)^2"
LINE_GRADIENTS = {  # (--wrt, the gradient as written, the same in NumPy of the points x, y at slope s, intercept c)
    ("m", r"\frac{\partial J}{\partial m} = -2 \sum_{i=1}^n x_i \cdot \left( y_i - (mx_i + c) \right)"): (
        lambda x, y, s, c: -2 * np.sum(x * (y - (s * x + c)))
    ),
    ("c", r"\frac{\partial J}{\partial c} = -2 \sum_{i=1}^n \left( y_i - (mx_i + c) \right)"): (
        lambda x, y, s, c: -2 * np.sum(y - (s * x + c))
    ),
    ("m", r"\frac{\partial J}{\partial m} = 2 \sum_{i=1}^n x_i \cdot \left( y_i - (mx_i + c) \right)"): (
        lambda x, y, s, c: 2 * np.sum(x * (y - (s * x + c)))
    ),
    ("m", r"\frac{\partial J}{\partial m} = -2 \sum_{i=1}^n \left( y_i - (mx_i + c) \right)"): (
        lambda x, y, s, c: -2 * np.sum(y - (s * x + c))
    ),
    ("c", r"\frac{\partial J}{\partial c} = -2 \sum_{i=1}^n x_i \left( y_i - (mx_i + c) \right)"): (
        lambda x, y, s, c: -2 * np.sum(x * (y - (s * x + c)))
    ),
    ("m", r"\frac{\partial J}{\partial m} = -\frac{2}{n} \sum_{i=1}^n x_i \left( y_i - (mx_i + c) \right)"): (
        lambda x, y, s, c: -2 * np.mean(x * (y - (s * x + c)))
    ),
}


@pytest.mark.parametrize("wrt, gradient", list(LINE_GRADIENTS), ids=range(len(LINE_GRADIENTS)))
def test_l14_the_line_read_with_its_slope_and_intercept(wrt, gradient):
    rng = np.random.default_rng(14)
    x, y, s, c = rng.normal(size=7), rng.normal(size=7), 0.8, -0.3
    cost = lambda p: float(np.sum((y - (p[0] * x + p[1])) ** 2))  # noqa: E731
    truth = central_differences(cost, np.array([s, c]))[0 if wrt == "m" else 1]
    expected = "correct" if np.isclose(LINE_GRADIENTS[wrt, gradient](x, y, s, c), truth, rtol=1e-6) else "incorrect"
    result = run_cli("check", "--cost", LINE_COST, "--wrt", wrt, "--latex", gradient)
    assert _verdict(result) == expected
    assert "m = θ_1 (the slope)" in result.stdout and "n = 1 only" not in result.stdout


def test_l14_m_that_also_counts_the_examples_is_refused_with_the_theta_spelling():
    result = run_cli("check", "--cost", r"\frac{1}{m}\sum_{i=1}^m ( y_i - (mx_i + c) )^2", "--wrt", "m", "--latex", "0")
    assert result.returncode == 2 and r"\theta_1" in result.stderr


# --- 3. \cdots, \dots, \ldots are ellipses: never "did you mean \cdot?" ------------------------------------------


@pytest.mark.parametrize("dots", [r"\cdots", r"\dots", r"\ldots"])
def test_an_ellipsis_is_said_to_be_one(dots):
    gradient = (
        r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m (\theta_0 + \theta_1 x_1^{(i)} + "
        + dots
        + r" + \theta_n x_n^{(i)} - y^{(i)}) x_j^{(i)}"
    )
    result = run_cli("check", "linear", "--latex", gradient)
    assert result.returncode == 2
    assert "ellipsis" in result.stderr and "did you mean" not in result.stderr


# --- 4. review 12 F7: the mini-batch's size written B or b (c06, c09) --------------------------------------------

MB = (
    r"\theta_j := \theta_j - \frac{\alpha}{%s}\sum_{i \in \mathcal{B}} \left(h_\theta(x^{(i)}) - "
    r"y^{(i)}\right)x_j^{(i)}"
)


@pytest.mark.parametrize("size", ["B", "b", "2B", "|\\mathcal{B}|"])
def test_the_batch_size_written_b(size):
    """The rule on a batch of the whole set: α/B Σ_{i∈ℬ}(h − y)x_j is α times the mean's gradient (truth: CD of J)."""
    x, y, t, _ = _data()
    truth = central_differences(
        lambda s: float(-np.mean(y * np.log(_sigmoid(x @ s)) + (1 - y) * np.log(1 - _sigmoid(x @ s)))), t
    )
    divisor = 2 * len(y) if size == "2B" else len(y)  # the batch is all m examples
    step = x.T @ (_sigmoid(x @ t) - y) / divisor
    expected = "correct" if _agrees(step, truth) else "incorrect"
    assert _verdict(run_cli("check", "logistic", "--latex", MB % size)) == expected


# --- 5. review 12 F7: the user's own ζ, ε/K for a binary model, x̃, ε beside λ ------------------------------------


def _pm1_data(seed: int = 12):
    x, y, t, _ = _data(seed)
    return x, 2 * y - 1, t


OWN_ZETA = {  # the user's ζ, and the cost in NumPy of margins u = y θᵀx
    r"\zeta(z) = \log(1 + e^{-z})": lambda u: np.log1p(np.exp(-u)),
    r"\zeta(z) = \log(1 + e^{z})": lambda u: np.log1p(np.exp(u)),
}
PM1_GRADIENTS = {
    r"-\frac{1}{m}\sum_{i=1}^{m} \sigma(-y^{(i)}\theta^T x^{(i)}) y^{(i)} x_j^{(i)}": (
        lambda x, y, t: -x.T @ (_sigmoid(-y * (x @ t)) * y) / len(y)
    ),
    r"\frac{1}{m}\sum_{i=1}^{m} \sigma(y^{(i)}\theta^T x^{(i)}) y^{(i)} x_j^{(i)}": (
        lambda x, y, t: x.T @ (_sigmoid(y * (x @ t)) * y) / len(y)
    ),
}


@pytest.mark.parametrize("zeta", list(OWN_ZETA), ids=range(len(OWN_ZETA)))
@pytest.mark.parametrize("gradient", list(PM1_GRADIENTS), ids=range(len(PM1_GRADIENTS)))
def test_the_users_own_zeta_is_read_as_they_define_it(zeta, gradient):
    """z_cost1: ζ(z) = log(1 + e^{−z}) beside the cost was refused as 'write what softplus(z) stands for'."""
    x, y, t = _pm1_data()
    truth = central_differences(lambda s: float(np.mean(OWN_ZETA[zeta](y * (x @ s)))), t)
    expected = "correct" if _agrees(PM1_GRADIENTS[gradient](x, y, t), truth) else "incorrect"
    cost = r"J(\theta) = \frac{1}{m}\sum_{i=1}^{m}\zeta\left(y^{(i)}\theta^Tx^{(i)}\right), \quad " + zeta
    result = run_cli(
        "check", "--cost", cost, "--labels", "pm1", "--latex", r"\frac{\partial J}{\partial \theta_j} = " + gradient
    )
    assert _verdict(result) == expected
    assert "as the text defines it" in result.stdout and "read as the softplus function" not in result.stdout


SMOOTH_COST = (
    r"J(\theta) = -\frac{1}{m}\sum_{i=1}^{m}\left[\tilde{y}^{(i)}\log\sigma(\theta^T x^{(i)}) + "
    r"(1-\tilde{y}^{(i)})\log(1-\sigma(\theta^T x^{(i)}))\right]%s, \quad \tilde{y}^{(i)} = (1-\epsilon)y^{(i)} + "
    r"\frac{\epsilon}{2}"
)


def _smoothed(x, y, eps, lam=0.0):
    def cost(t):
        target, h = (1 - eps) * y + eps / 2, _sigmoid(x @ t)
        penalty = lam / (2 * len(y)) * np.sum(t[1:] ** 2)
        return float(-np.mean(target * np.log(h) + (1 - target) * np.log(1 - h)) + penalty)

    return cost


EPS_K = {  # e03: ε/K beside a binary model; K = 2 classes
    r"\frac{\epsilon}{K}": lambda eps: eps / 2,
    r"\frac{\epsilon}{2K}": lambda eps: eps / 4,
    r"\epsilon K": lambda eps: 2 * eps,
}


@pytest.mark.parametrize("term", list(EPS_K), ids=range(len(EPS_K)))
def test_eps_over_k_of_a_binary_model_reads_k_as_two(term):
    x, y, t, _ = _data()
    eps = 0.2
    truth = central_differences(_smoothed(x, y, eps), t)
    value = x.T @ (_sigmoid(x @ t) - (1 - eps) * y - EPS_K[term](eps)) / len(y)
    expected = "correct" if _agrees(value, truth) else "incorrect"
    gradient = (
        r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m}\left(\sigma(\theta^T x^{(i)}) - "
        rf"(1-\epsilon)y^{{(i)}} - {term}\right) x_j^{{(i)}}"
    )
    result = run_cli("check", "--cost", SMOOTH_COST % "", "--latex", gradient)
    assert _verdict(result) == expected and "K read as 2" in result.stdout


E10_GRADIENTS = {  # ε and λ in their places, swapped, λ's term dropped
    (r"(1-\epsilon)y^{(i)} - \frac{\epsilon}{2}", r"\frac{\lambda}{m}"): (0.2, 0.7),
    (r"(1-\lambda)y^{(i)} - \frac{\lambda}{2}", r"\frac{\epsilon}{m}"): (0.7, 0.2),
    (r"y^{(i)}", r"\frac{\lambda}{m}"): (0.0, 0.7),
}


@pytest.mark.parametrize("target, penalty", list(E10_GRADIENTS), ids=range(len(E10_GRADIENTS)))
def test_e10_label_smoothing_beside_a_penalty(target, penalty):
    """ε and λ are two constants: the gradient is right only with each in its place (truth at ε = 0.2, λ = 0.7)."""
    x, y, t, _ = _data()
    truth = central_differences(_smoothed(x, y, 0.2, 0.7), t)[1:]
    eps, lam = E10_GRADIENTS[target, penalty]
    value = (x.T @ (_sigmoid(x @ t) - (1 - eps) * y - eps / 2) / len(y) + lam / len(y) * t)[1:]
    expected = "correct" if _agrees(value, truth) else "incorrect"
    gradient = (
        r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m}\left(\sigma(\theta^T x^{(i)}) - "
        rf"{target}\right) x_j^{{(i)}} + {penalty}\theta_j \quad (j \ge 1)"
    )
    result = run_cli(
        "check", "--cost", SMOOTH_COST % r" + \frac{\lambda}{2m}\sum_{j=1}^{n}\theta_j^2", "--latex", gradient
    )
    assert _verdict(result) == expected


X_TILDE = {  # t01: PRML's x̃ = (1, x) throughout; x̃ beside a plain x stays refused
    r"\frac{1}{m}\sum_{i=1}^{m}\left(\sigma(\theta^T\tilde{x}^{(i)}) - y^{(i)}\right)\tilde{x}_j^{(i)}": 1,
    r"\frac{1}{m}\sum_{i=1}^{m}\left(\sigma(\theta^T\tilde{x}^{(i)}) + y^{(i)}\right)\tilde{x}_j^{(i)}": -1,
}


@pytest.mark.parametrize("gradient", list(X_TILDE), ids=range(len(X_TILDE)))
def test_x_tilde_alone_is_the_augmented_input(gradient):
    x, y, t, _ = _data()
    truth = central_differences(
        lambda s: float(-np.mean(y * np.log(_sigmoid(x @ s)) + (1 - y) * np.log(1 - _sigmoid(x @ s)))), t
    )
    value = x.T @ (_sigmoid(x @ t) - X_TILDE[gradient] * y) / len(y)
    expected = "correct" if _agrees(value, truth) else "incorrect"
    result = run_cli("check", "logistic", "--latex", r"\frac{\partial J}{\partial \theta_j} = " + gradient)
    assert _verdict(result) == expected and "x̃ read as x" in result.stdout
    mixed = gradient.replace(r"\theta^T\tilde{x}^{(i)}", r"\theta^T x^{(i)}")
    assert run_cli("check", "logistic", "--latex", r"\frac{\partial J}{\partial \theta_j} = " + mixed).returncode == 2


# --- 6. tester 14 L12/L13: an unclosed '(' is pointed at ----------------------------------------------------------


@pytest.mark.parametrize(
    "gradient",
    [
        r"\theta_j: = \theta_j -\alpha . (1/m .\sum_{i=1}^{m}(h(\theta^{(i)} - y^{(i)}).X_0^{(i)})",
        r"\frac{\partial J(\theta)}{\partial \theta_j} = 1/m\sum_{i=1}^{m}(h(\theta^{(i)} - y^{(i)}).X_j^{(i)}",
    ],
)
def test_an_unclosed_parenthesis_is_pointed_at(gradient):
    result = run_cli("check", "linear", "--latex", gradient)
    assert result.returncode == 2 and "the '(' here is never closed" in result.stderr, result.stderr
    col = int(result.stderr.split("col ")[1].split(":")[0])
    assert gradient[col] == "("


# --- 7. tester 14 c11c: the user's own --call leaves a parameter out --------------------------------------------

C11 = """import numpy as np
from numpy import log

def sigmoid(z):
    return 1 / (1 + np.exp(-z))

#costFunction with regularization
def costFunctionReg(theta, X, y, l):
    #initializing terms
    m = X.shape[0]
    h = sigmoid(X.dot(theta))

    #cost function
    J = -(1 / m) * (y.transpose().dot(log(h)) + (np.subtract(1, y)).transpose().dot(log(1-h))) + \\
        ( l / (2*m)) * np.sum(np.power((theta[1:, 0]), 2))

    #gradient descent
    delta = np.subtract(h, y)

    grad = (1/m) * ((X.transpose().dot(delta)) + ((1 / m) * theta))
    grad[0] = 0

    return J, grad.flatten()
"""


def test_c11c_a_call_without_lambda_says_to_add_it(tmp_path):
    path = tmp_path / "c11.py"
    path.write_text(C11)
    left_out = run_cli(
        "check", "logistic-l2", "--python", f"{path}:costFunctionReg", "--call", "costFunctionReg(theta, X, y)"
    )
    assert left_out.returncode == 3 or left_out.stdout.startswith("?"), left_out.stdout + left_out.stderr
    assert "passes nothing for l" in left_out.stdout and "takes no λ" not in left_out.stdout
    # with λ passed it is judged: grad[0] = 0 and (1/m)θ_j/m are wrong (truth: central differences at λ = 1)
    x, y, t, _ = _data()
    lam, m = 1.0, len(y)

    def cost(s):
        h = _sigmoid(x @ s)
        return float(-np.mean(y * np.log(h) + (1 - y) * np.log(1 - h)) + lam / (2 * m) * np.sum(s[1:] ** 2))

    theirs = (x.T @ (_sigmoid(x @ t) - y) + t / m) / m
    theirs[0] = 0
    assert not _agrees(theirs, central_differences(cost, t))
    called = run_cli(
        "check", "logistic-l2", "--python", f"{path}:costFunctionReg", "--call", "costFunctionReg(theta, X, y, lam)"
    )
    assert _verdict(called) == "incorrect"
