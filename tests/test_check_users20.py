r"""``check`` (session 30, round 2): tester 14's real code and course notes, copied as their authors wrote them.

* numerade's ``l(\theta) = -\frac{1}{n}\sum[…]`` is the cross-entropy loss: ∂l/∂θ_j = (1/n)Σ(h − y)x_j is ✓ under
  MODEL logistic (it was "✗ sign flipped … log-likelihood ℓ"); a gradient that is neither J's nor ℓ's stays ✗.
* Octave: ``J_history = [computeCost(X, y, theta)]`` calls computeCost (o10b was refused "define it").
* A last parameter named ``l`` or ``regP`` is λ for a regularised model (c11, c12, o12); for another model the
  --call offered passes λ.
* ``class linearRegression: def gradientDescent(X, theta, y, alpha)`` is called on the class (c16).
* ``from pkg.sigmoid import sigmoid`` inside pkg/ imports (c19); a missing third-party module is named (c23a).
* LaTeX: ∇_{θ_j}J(θ) as a middle side (L01), H_Θ (L11), ``θ_j: =`` (L12), ``2.x^{(i)}.(…)`` (L13, L16),
  ``--wrt m`` on y = mx + c (L14).

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


def _data(seed: int = 20, m: int = 9, n: int = 2):
    rng = np.random.default_rng(seed)
    x = np.hstack([np.ones((m, 1)), rng.normal(size=(m, n))])
    y = (rng.random(m) < 0.5).astype(float)
    y[:2] = (0.0, 1.0)
    return x, y, rng.normal(size=n + 1) * 0.7


def _ce(x, y, lam: float = 0.0):
    """The (regularised) logistic cost of Ng's ex2: mean cross-entropy + λ/2m Σ_{j≥1} θ_j²."""
    m = len(y)

    def cost(t):
        h = _sigmoid(x @ t)
        return float(-np.mean(y * np.log(h) + (1 - y) * np.log(1 - h)) + lam / (2 * m) * np.sum(t[1:] ** 2))

    return cost


def _mse(x, y):
    return lambda t: float(np.sum((x @ t - y) ** 2) / (2 * len(y)))


# --- 1. l(θ), the loss, on the left of MODEL logistic (L03) ---------------------------------------------------------

DL = r"\frac{\partial l(\theta)}{\partial \theta_j} = "
RIGHT_SIDES = {  # the right side, and the same in NumPy (x, y, t, h)
    r"\frac{1}{n} \sum_{i=1}^{n} (h_{\theta}(x^{(i)}) - y^{(i)})x_j^{(i)}": lambda x, y, h: x.T @ (h - y) / len(y),
    r"\frac{1}{n} \sum_{i=1}^{n} (y^{(i)} - h_{\theta}(x^{(i)}))x_j^{(i)}": lambda x, y, h: x.T @ (y - h) / len(y),
    r"\sum_{i=1}^{n} (h_{\theta}(x^{(i)}) - y^{(i)})x_j^{(i)}": lambda x, y, h: x.T @ (h - y),
    r"\frac{2}{n} \sum_{i=1}^{n} (h_{\theta}(x^{(i)}) - y^{(i)})x_j^{(i)}": lambda x, y, h: 2 * x.T @ (h - y) / len(y),
    r"\frac{1}{n} \sum_{i=1}^{n} (h_{\theta}(x^{(i)}) - y^{(i)})": lambda x, y, h: np.full(x.shape[1], np.mean(h - y)),
}


@pytest.mark.parametrize("right", list(RIGHT_SIDES), ids=range(len(RIGHT_SIDES)))
def test_l_is_the_loss_or_the_log_likelihood_never_a_false_cross(right):
    x, y, t = _data()
    m = len(y)
    value = RIGHT_SIDES[right](x, y, _sigmoid(x @ t))
    loss = central_differences(_ce(x, y), t)  # l(θ) = J(θ), numerade's loss
    # or l is the log-likelihood: Σ log p = −m·J, or its mean −J
    readings = [loss, -m * loss, -loss]
    right_somehow = any(np.allclose(value, g, atol=1e-6) for g in readings)
    result = run_cli("check", "logistic", "--latex", DL + right)
    assert _verdict(result) == ("correct" if right_somehow else "incorrect"), result.stdout


def test_the_loss_reading_is_said_and_ell_keeps_its_log_likelihood():
    right = r"\frac{1}{n} \sum_{i=1}^{n} (h_{\theta}(x^{(i)}) - y^{(i)})x_j^{(i)}"
    x, y, t = _data()
    assert np.allclose(x.T @ (_sigmoid(x @ t) - y) / len(y), central_differences(_ce(x, y), t), atol=1e-6)
    said = run_cli("check", "logistic", "--latex", DL + right)
    assert _verdict(said) == "correct" and "l on the left is read as the model's cost" in said.stdout
    # ℓ is the log-likelihood (CS229): the cost's gradient under it is the wrong sign, and the words say what to write
    ell = run_cli("check", "logistic", "--latex", DL.replace("l(", r"\ell(") + right)
    assert _verdict(ell) == "incorrect" and "write J on the left" in ell.stdout


# --- 2. Octave: a helper called inside [ ] (o10b) -------------------------------------------------------------------

GD = """function [theta, J_history] = gradientDescent(X, y, theta, alpha, num_iters)
m = length(y);
J_history = [computeCost(X, y, theta)]

for i=1:num_iters,
    theta = theta {sign} (alpha / m) .* (X'* (X * theta - y));
    J_history = [J_history, computeCost(X, y, theta)];
end

end
"""
COMPUTE_COST = """function J = computeCost(X, y, theta)
m = length(y);
J = sum((X * theta - y) .^ 2) / (2 * m);
end
"""


@pytest.mark.parametrize("sign", ["-", "+"])
def test_a_helper_called_inside_brackets_is_read_from_its_file(tmp_path, sign):
    x, y, t = _data()
    y = x @ np.array([0.3, -1.0, 0.5]) + np.linspace(-1, 1, len(y))
    alpha = 0.1
    step = t + (1 if sign == "+" else -1) * (alpha / len(y)) * (x.T @ (x @ t - y))
    right = np.allclose((t - step) / alpha, central_differences(_mse(x, y), t), atol=1e-6)
    (tmp_path / "gradientDescent.m").write_text(GD.format(sign=sign))
    (tmp_path / "computeCost.m").write_text(COMPUTE_COST)
    result = run_cli("check", "linear", "--python", f"{tmp_path / 'gradientDescent.m'}:gradientDescent")
    assert _verdict(result) == ("correct" if right else "incorrect"), result.stdout + result.stderr
    assert "computeCost was read from computeCost.m" in result.stdout


# --- 3. λ named l or regP (c11, c12, o12) ---------------------------------------------------------------------------

KIMALAMSYAH = """import numpy as np
from numpy import log

def sigmoid(z):
    return 1 / (1 + np.exp(-z))

#costFunction with regularization
def costFunctionReg(theta, X, y, l):
    #initializing terms
    m = X.shape[0]
    h = sigmoid(X.dot(theta))

    #cost function
    J = {cost}

    #gradient descent
    delta = np.subtract(h, y)

    grad = {grad}
    grad[0] = {first}

    return J, grad.flatten()
"""
COST = (  # the author's one line
    "-(1 / m) * (y.transpose().dot(log(h)) + (np.subtract(1, y)).transpose().dot(log(1-h))) "
    "+ ( l / (2*m)) * np.sum(np.power((theta[1:, 0]), 2))"
)
WRONG = ("(1/m) * ((X.transpose().dot(delta)) + ((1 / m) * theta))", "0")  # the author's own: θ/m², θ₀ zeroed
FIXED = ("(1/m) * X.transpose().dot(delta) + (l / m) * theta", "(1/m) * X.transpose().dot(delta)[0]")


def _run_kimalamsyah(source: str, x, y, t, lam):
    space: dict = {}
    exec(compile(source, "c11.py", "exec"), space)  # the test's own copy of the user's code, run for the oracle
    return space["costFunctionReg"](t.reshape(-1, 1), x, y.reshape(-1, 1), lam)[1]


@pytest.mark.parametrize("body", [WRONG, FIXED], ids=["author", "fixed"])
def test_a_last_parameter_named_l_is_lambda_of_a_regularised_model(tmp_path, body):
    source = KIMALAMSYAH.format(cost=COST, grad=body[0], first=body[1])
    x, y, t = _data()
    lam = 0.7
    right = np.allclose(_run_kimalamsyah(source, x, y, t, lam), central_differences(_ce(x, y, lam), t), atol=1e-6)
    path = tmp_path / "costFunctionReg.py"
    path.write_text(source)
    result = run_cli("check", "logistic-l2", "--python", f"{path}:costFunctionReg")
    assert _verdict(result) == ("correct" if right else "incorrect"), result.stdout + result.stderr
    assert "costFunctionReg(theta, X, y, lam)" in result.stdout
    # a model with no λ: refused, and the --call it offers passes λ (following it must not drop an argument)
    other = run_cli("check", "logistic", "--python", f"{path}:costFunctionReg")
    assert other.returncode == 2 and 'costFunctionReg(theta, X, y, lam)"' in other.stderr, other.stderr


PIYUSH = """%lost function for the model
function[j , grad] = costFunction(theta,X, y,regP)
	m = length(y);
	j = 0;
	h = X*theta - y;
	tempTheta = theta;
	tempTheta(1) = 0;
	{j} = (1/(2*m))*sum(h.^2) + ({lam}/(2*m))*sum(tempTheta.^2);
	grad = (1/m)*(X'*h) + ({lam}/m)*tempTheta;
end
"""


@pytest.mark.parametrize("lam", ["1", "regP"])
def test_an_octave_regp_is_lambda_of_ridge(tmp_path, lam):
    x, y, t = _data()
    y = x @ np.array([0.3, -1.0, 0.5]) + np.linspace(-1, 1, len(y))
    reg = 0.7
    ridge = lambda u: _mse(x, y)(u) + reg / (2 * len(y)) * np.sum(u[1:] ** 2)  # noqa: E731
    used = 1.0 if lam == "1" else reg  # the author's 1/m·θ ignores regP
    grad = x.T @ (x @ t - y) / len(y) + used / len(y) * np.r_[0, t[1:]]
    right = np.allclose(grad, central_differences(ridge, t), atol=1e-6)
    path = tmp_path / "costFunction.m"
    path.write_text(PIYUSH.format(lam=lam, j="J" if lam == "1" else "j"))  # the author returns j = 0: fixed too
    result = run_cli("check", "ridge", "--python", f"{path}:costFunction")
    assert _verdict(result) == ("correct" if right else "incorrect"), result.stdout + result.stderr


# --- 4. a function kept in a class, with no self (c16) --------------------------------------------------------------

GARDAYULADA = """class linearRegression:

    def gradientDescent(X, theta, y, alpha):
        import numpy as np
        m = len(X)
        theta = theta {sign} (alpha/m) * np.transpose(np.dot(np.transpose(np.dot(X, theta) - y), X))
        return theta
"""


@pytest.mark.parametrize("sign", ["-", "+"])
def test_a_function_in_a_class_without_self_is_called_on_the_class(tmp_path, sign):
    x, y, t = _data()
    y = x @ np.array([0.3, -1.0, 0.5]) + np.linspace(-1, 1, len(y))
    alpha = 0.5
    step = t + (1 if sign == "+" else -1) * (alpha / len(y)) * (x.T @ (x @ t - y))
    right = np.allclose((t - step) / alpha, central_differences(_mse(x, y), t), atol=1e-6)
    path = tmp_path / "c16.py"
    path.write_text(GARDAYULADA.format(sign=sign))
    spec = f"{path}:linearRegression.gradientDescent"
    assert _verdict(run_cli("check", "linear", "--python", spec)) == ("correct" if right else "incorrect")
    called = run_cli(
        "check", "linear", "--python", spec, "--call", "linearRegression.gradientDescent(X, theta, y, alpha)"
    )
    assert _verdict(called) == ("correct" if right else "incorrect"), called.stdout
    plain = run_cli("check", "linear", "--python", f"{path}:gradientDescent")
    assert plain.returncode == 2 and "c16.py:linearRegression.gradientDescent" in plain.stderr


# --- 5. imports: the file's package (c19), a module not installed (c23a) --------------------------------------------

HEMINCONG = """def compute_grad_reg(theta, x, y, _lambda):
    import numpy as np
    m, n = np.shape(x)
    from ex2_logistic_regression.sigmoid import sigmoid

    h = sigmoid(np.dot(x, theta.T))
    t = h - y
    {body}
    return grad
"""
AUTHOR = """grad = [sum(np.dot(t, x)) / m] * n

    for c in range(1, n):
        grad[c] = grad[c] + _lambda / m * theta[c]"""
FIXED_BODY = """grad = np.dot(t, x) / m

    for c in range(1, n):
        grad[c] = grad[c] + _lambda / m * theta[c]"""


@pytest.mark.parametrize("body", [AUTHOR, FIXED_BODY], ids=["author", "fixed"])
def test_an_import_of_the_files_own_package_is_found(tmp_path, body):
    package = tmp_path / "ex2_logistic_regression"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "sigmoid.py").write_text("import numpy as np\n\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n")
    source = HEMINCONG.format(body=body)
    (package / "costFunctionReg.py").write_text(source)
    x, y, t = _data()
    lam = 0.7
    grad = np.dot(_sigmoid(x @ t) - y, x) / len(y)
    grad = np.full_like(grad, grad.sum()) if body == AUTHOR else grad  # the author's: every entry the sum
    grad = grad + np.r_[0, lam / len(y) * t[1:]]
    right = np.allclose(grad, central_differences(_ce(x, y, lam), t), atol=1e-6)
    result = run_cli("check", "logistic-l2", "--python", f"{package / 'costFunctionReg.py'}:compute_grad_reg")
    assert "ModuleNotFoundError" not in result.stdout
    assert _verdict(result) == ("correct" if right else "incorrect"), result.stdout


CS231N = """import numpy as np
from random import shuffle
from past.builtins import xrange

def softmax_loss_naive(W, X, y, reg):
  loss = 0.0
  dW = np.zeros_like(W)
  num_train = X.shape[0]
  for i in xrange(num_train):
    scores = X[i].dot(W)
    scores -= np.max(scores)
    p = np.exp(scores) / np.sum(np.exp(scores))
    loss += -np.log(p[y[i]])
    p[y[i]] -= 1
    dW += np.outer(X[i], p)
  loss = loss / num_train + reg * np.sum(W * W)
  dW = dW / num_train + 2 * reg * W
  return loss, dW
"""


def test_a_module_that_is_not_installed_is_named(tmp_path):
    path = tmp_path / "softmax.py"
    path.write_text(CS231N)
    result = run_cli("check", "softmax", "--python", f"{path}:softmax_loss_naive")
    assert result.stdout.startswith("?"), result.stdout
    assert "module 'past' is not installed" in result.stdout and "pip install future" in result.stdout
    assert "say how to call it" not in result.stdout


# --- 6. course notes' LaTeX (L01, L11, L12, L13, L16, L14) ----------------------------------------------------------

L01 = (
    r"\frac{\partial J(\theta)}{\partial \theta_j} = \nabla_{\theta_j}J(\theta) = {scale}\sum_{i=1}^{m}"
    r"\left(h_{\theta}\left(x^{(i)}\right)-y^{(i)}\right) x_{j}^{(i)}"
)


@pytest.mark.parametrize(("scale", "factor"), [("", 1.0), (r"\frac{1}{m}", 1 / 9), (r"-\frac{1}{m}", -1 / 9)])
def test_nabla_of_theta_j_as_a_middle_side_is_the_left_side_again(scale, factor):
    x, y, t = _data()
    assert len(y) == 9
    value = factor * x.T @ (_sigmoid(x @ t) - y)
    right = np.allclose(value, central_differences(_ce(x, y), t), atol=1e-6)
    result = run_cli("check", "logistic", "--latex", L01.replace("{scale}", scale))
    assert _verdict(result) == ("correct" if right else "incorrect"), result.stdout


def _one_feature(seed: int = 20, m: int = 8):
    rng = np.random.default_rng(seed)
    x = np.hstack([np.ones((m, 1)), rng.normal(size=(m, 1))])
    return x, rng.normal(size=m), rng.normal(size=2)


@pytest.mark.parametrize(
    ("latex", "sign"),
    [
        (r"\frac{1}{m}\sum_{i=1}^{m}(H_\Theta(x^i)-y^i)x^i", 1),
        (r"\frac{1}{m}\sum_{i=1}^{m}(y^i-H_\Theta(x^i))x^i", -1),
        (r"\frac{1}{m}\sum_{i=1}^{m}(H_{\Theta}(x^i)-y^i)x^i", 1),
        (r"\theta_j: = \theta_j -\alpha \frac{1}{m}\sum_{i=1}^{m}(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}", 1),
        (r"\theta_j: = \theta_j +\alpha \frac{1}{m}\sum_{i=1}^{m}(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}", -1),
    ],
)
def test_capital_theta_and_a_spaced_assignment_are_read(latex, sign):
    x, y, t = _data()
    y = x @ np.array([0.3, -1.0, 0.5]) + np.linspace(-1, 1, len(y))
    right = np.allclose(sign * x.T @ (x @ t - y) / len(y), central_differences(_mse(x, y), t), atol=1e-6)
    assert _verdict(run_cli("check", "linear", "--latex", latex)) == ("correct" if right else "incorrect")


def test_a_capital_theta_with_no_model_beside_it_is_not_read_as_theta():
    result = run_cli("check", "linear", "--latex", r"\frac{1}{m}\sum_{i=1}^{m}(\Theta^T x^i-y^i)x^i")
    assert result.returncode == 2 and "\\Theta" in result.stderr, result.stderr


L16 = (
    r"\frac{\partial J(\mathbf{w})}{\partial w_1} = \displaystyle \frac{1}{2 n} \displaystyle \sum_{i=1}^{n} "
    r"{two}.x^{(i)}.(w_0 + w_1 x^{(i)} - y^{(i)}) = \displaystyle \frac{1}{n} \displaystyle \sum_{i=1}^{n} x^{(i)} "
    r"(w_0 + w_1 x^{(i)} - y^{(i)})"
)


@pytest.mark.parametrize("two", ["2", "4"])
def test_a_dot_between_factors_is_a_product(two):
    x, y, t = _one_feature()
    first = float(two) / (2 * len(y)) * np.sum(x[:, 1] * (x @ t - y))
    second = np.sum(x[:, 1] * (x @ t - y)) / len(y)
    truth = central_differences(_mse(x, y), t)[1]  # ∂J/∂w_1 of J = (1/2n)Σ(w_0 + w_1x − y)²
    right = np.isclose(first, truth, atol=1e-6) and np.isclose(second, truth, atol=1e-6)
    result = run_cli("check", "linear", "--latex", L16.replace("{two}", two))
    assert _verdict(result) == ("correct" if right else "incorrect"), result.stdout
    assert "'.' between two factors read as multiplication" in result.stdout


def test_an_ill_formed_dotted_rule_is_refused_with_words():
    # L13 as written: h(θ^{(i)} − y^{(i)}) leaves a parenthesis open
    latex = r"\frac{\partial J(\theta)}{\partial \theta_j} = 1/m\sum_{i=1}^{m}(h(\theta^{(i)} - y^{(i)}).X_j^{(i)}"
    result = run_cli("check", "linear", "--latex", latex)
    assert result.returncode == 2 and "expected ')'" in result.stderr, result.stderr


def test_wrt_m_on_a_line_says_how_to_write_it():
    cost = r"\sum_{i=1}^n \left( y_i - (mx_i + c) \right)^2"
    latex = r"\frac{\partial J}{\partial m} = -2 \sum_{i=1}^n x_i \cdot \left( y_i - (mx_i + c) \right)"
    result = run_cli("check", "--cost", cost, "--wrt", "m", "--latex", latex)
    assert _verdict(result) == "correct", result.stdout + result.stderr
    # what it says to write is judged, by central differences of Σ(y − (θ₁x + θ₀))²
    x, y, t = _one_feature()
    summed = lambda u: float(np.sum((y - x @ u) ** 2))  # noqa: E731
    slope = -2 * np.sum(x[:, 1] * (y - x @ t))
    assert np.isclose(slope, central_differences(summed, t)[1], atol=1e-5)
    written = run_cli(
        "check",
        "--cost",
        r"\sum_{i=1}^n (y^{(i)} - (\theta_1 x^{(i)} + \theta_0))^2",
        "--latex",
        r"\frac{\partial J}{\partial \theta_0} = -2 \sum_{i=1}^n (y^{(i)} - (\theta_1 x^{(i)} + \theta_0))",
    )
    assert _verdict(written) == "correct", written.stdout + written.stderr
