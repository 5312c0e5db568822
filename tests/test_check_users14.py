r"""``check`` on tester 10's findings (session 26, round 2).

* Soft labels: a KL / cross-entropy cost with y log y and (1 − y) log(1 − y) is read with labels 0 < y < 1 (it was
  refused: labels above 1 were sampled and the cost blamed); ``show --cost`` derives it, ``check --cost … --latex``
  gives ✓ to its gradient and ✗ to a wrong one; labels asked for where the cost is no number keep a one-line error.
* scikit-learn's C: a class that divides by C (w / (C·m)) is called with C = 1/λ, said in the first line; a C it
  multiplies stays λ.
* d2l's linreg without y.reshape(y_hat.shape): right with w (n,), wrong with w (n, 1) beside 1-D y ((m, 1) − (m,)
  broadcasts to (m, m)): ✓ with a note saying for which shapes, ✗ when its own file makes w a column.
* [0; θ_{1:n}] in a --latex column: the rows θ₁ … θ_n (it was refused as several formulas without a left side).

Which is right is decided here by central differences (tests/central.py) of the cost transcribed to NumPy, on data
of our own (tests/data_setup.py), never by the tool.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli
from data_setup import example_data, sigma

DATA = example_data(14, 6, 2)
X, THETA = DATA.X, DATA.theta
SOFT = np.random.default_rng(14).uniform(0.05, 0.95, DATA.m)  # soft labels, where KL is a number


# --- 1. soft labels: KL(y ‖ σ(θᵀx)) -------------------------------------------------------------------------------

_H = r"\sigma(\theta^T x^{(i)})"
_MEAN = r"\frac{1}{m}\sum_{i=1}^m "
_DJ = r"\frac{\partial J}{\partial\theta_j} = " + _MEAN
KL = _MEAN + (
    r"\left[y^{(i)}\log y^{(i)} - y^{(i)}\log H + (1 - y^{(i)})\log(1 - y^{(i)}) - (1 - y^{(i)})\log(1 - H)\right]"
).replace("H", _H)
KL_RATIOS = _MEAN + (  # the same divergence as users also write it, log of ratios
    r"\left[y^{(i)}\log\frac{y^{(i)}}{H} + (1 - y^{(i)})\log\frac{1 - y^{(i)}}{1 - H}\right]"
).replace("H", _H)
GRADIENTS = {  # name: (LaTeX of ∂J/∂θ_j, its NumPy transcription on our data)
    "(1/m)Σ(σ − y)x_j": (
        _DJ + rf"\left({_H} - y^{{(i)}}\right)x_j^{{(i)}}",
        lambda t: X.T @ (sigma(X @ t) - SOFT) / DATA.m,
    ),
    "twin: + (log y − log σ)": (
        _DJ + rf"\left({_H} - y^{{(i)}} + \log y^{{(i)}} - \log{_H}\right)x_j^{{(i)}}",
        lambda t: X.T @ (sigma(X @ t) - SOFT + np.log(SOFT) - np.log(sigma(X @ t))) / DATA.m,
    ),
}


def _kl(t: np.ndarray) -> float:
    h = sigma(X @ t)
    return float(np.mean(SOFT * np.log(SOFT / h) + (1 - SOFT) * np.log((1 - SOFT) / (1 - h))))


def _right(name: str) -> bool:
    return bool(np.allclose(GRADIENTS[name][1](THETA), central_differences(_kl, THETA), atol=1e-7))


@pytest.mark.parametrize("cost", [KL, KL_RATIOS], ids=["y log y", "log of ratios"])
def test_a_kl_cost_with_soft_labels_is_derived(cost):
    assert _right("(1/m)Σ(σ − y)x_j")  # the last line it must reach, by central differences
    result = run_cli("show", "--cost", cost)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "= (1/m) Σᵢ₌₁ᵐ (σ(θᵀx⁽ⁱ⁾) − y⁽ⁱ⁾) x_j⁽ⁱ⁾" in result.stdout and "all verified" in result.stdout


@pytest.mark.parametrize("name", GRADIENTS)
def test_a_kl_gradient_is_checked_on_soft_labels(name):
    result = run_cli("check", "--cost", KL, "--latex", GRADIENTS[name][0])
    right = _right(name)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect")
    assert "soft labels 0 < y < 1" in result.stdout


def test_labels_asked_for_where_the_kl_cost_is_no_number_are_one_line():
    with np.errstate(all="ignore"):
        assert not np.isfinite(np.mean(np.array([0.0, 1.0]) * np.log(np.array([0.0, 1.0]))))  # 0·log 0 is nan
    result = run_cli("show", "--cost", KL, "--labels", "01")
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "--labels prob" in result.stderr and "Traceback" not in result.stderr


def test_soft_labels_can_be_asked_for():
    result = run_cli("check", "--cost", KL, "--labels", "prob", "--latex", GRADIENTS["(1/m)Σ(σ − y)x_j"][0])
    assert _right("(1/m)Σ(σ − y)x_j") and result.returncode == 0, result.stdout + result.stderr
    assert "as asked (--labels)" in result.stdout


# --- 2. scikit-learn's C, the inverse penalty strength -------------------------------------------------------------

LAM = 0.7  # our λ for the transcription: the tool samples its own, the formula holds for every λ
Y01 = DATA.y01
CLASS = """import numpy as np


class LogisticRegressionGD:
    def __init__(self, lr=0.1, n_iter=100, C=1.0):
        self.lr, self.n_iter, self.C = lr, n_iter, C

    def _grad(self, X, y, w, b):
        p = 1 / (1 + np.exp(-(X @ w + b)))
        dw = X.T @ (p - y) / X.shape[0] + PENALTY
        db = np.mean(p - y)
        return dw, db
"""
PENALTIES = {  # name: (the penalty's gradient as the class writes it, its value at C, w, m; divides by C?)
    "w / (C·m), C = 1/λ": ("w / (self.C * X.shape[0])", lambda c, w, m: w / (c * m), True),
    "twin: w / (2·C·m)": ("w / (2 * self.C * X.shape[0])", lambda c, w, m: w / (2 * c * m), True),
    "C·w/m, C read as λ": ("self.C * w / X.shape[0]", lambda c, w, m: c * w / m, False),
}


def _logistic_l2(t: np.ndarray) -> float:  # logistic-l2: mean cross-entropy + (λ/2m)Σ_{j≥1} θ_j²
    h = sigma(X @ t)
    return float(-np.mean(Y01 * np.log(h) + (1 - Y01) * np.log(1 - h)) + LAM / (2 * DATA.m) * np.sum(t[1:] ** 2))


def _class_right(name: str, c: float) -> bool:
    w, b, features = THETA[1:], THETA[0], X[:, 1:]
    p = sigma(features @ w + b)
    received = np.r_[np.mean(p - Y01), features.T @ (p - Y01) / DATA.m + PENALTIES[name][1](c, w, DATA.m)]
    return bool(np.allclose(received, central_differences(_logistic_l2, THETA), atol=1e-7))


@pytest.mark.parametrize("name", PENALTIES)
def test_scikit_learns_c_is_read_as_the_inverse_where_the_code_divides_by_it(name, tmp_path):
    source = tmp_path / "fit.py"
    source.write_text(CLASS.replace("PENALTY", PENALTIES[name][0]))
    result = run_cli("check", "logistic-l2", "--python", f"{source}:LogisticRegressionGD._grad")
    divides = PENALTIES[name][2]
    right = _class_right(name, 1 / LAM if divides else LAM)  # C = 1/λ where it divides by C, else C = λ
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("✓ correct" if right else "✗ incorrect"), result.stdout
    assert ("self.C = 1/lam" if divides else "self.C = lam") in first  # the reading tried, in the first line
    assert not divides or not _class_right(name, LAM)  # C read as λ would have judged it otherwise


# --- 3. d2l's linreg: a function whose result depends on w's shape -------------------------------------------------

D2L = """import numpy as np

USAGE
def linreg(X, w, b):
    return X @ w + b


def grad(w, b, X, y):
    \"\"\"Gradient of the squared loss (y_hat - y)**2 / 2, averaged over the minibatch.\"\"\"
    y_hat = linreg(X, w, b)
    err = y_hat - Y
    dw = X.T @ err / len(y)
    db = err.sum() / len(y)
    return dw, db
"""
D2L_USAGE = "w = np.random.normal(0, 0.01, size=(2, 1))  # d2l draws w as a column\nb = 0.0\n"
D2L_CASES = {  # name: (how y enters, whether the file makes w a column)
    "no reshape, 1-D w": ("y", False),
    "y.reshape(y_hat.shape), 1-D w": ("y.reshape(y_hat.shape)", False),
    "no reshape, w (n, 1) in the file": ("y", True),
    "y.reshape(y_hat.shape), w (n, 1) in the file": ("y.reshape(y_hat.shape)", True),
}


def _d2l_right(name: str, column: bool) -> bool:
    """The function, run by us with w (n,) or w (n, 1) beside 1-D y, against central differences of (1/2m)Σ(f − y)²."""
    y_as, _ = D2L_CASES[name]
    space: dict = {}
    exec(D2L.replace("USAGE", "").replace("Y", y_as), space)  # our own text, not a user's
    features, w, b, yr = X[:, 1:], THETA[1:], THETA[0], DATA.yr
    dw, db = space["grad"](w.reshape(-1, 1) if column else w, b, features, yr)
    received = np.r_[np.ravel(db), np.ravel(dw)]
    expected = central_differences(lambda t: float(np.mean((X @ t - yr) ** 2) / 2), THETA)
    return received.shape == expected.shape and bool(np.allclose(received, expected, atol=1e-7))


@pytest.mark.parametrize("name", D2L_CASES)
def test_a_function_right_for_one_shape_of_w_says_so(name, tmp_path):
    y_as, column_in_file = D2L_CASES[name]
    source = tmp_path / "d2l.py"
    source.write_text(D2L.replace("USAGE", D2L_USAGE if column_in_file else "").replace("Y", y_as))
    result = run_cli("check", "linear", "--python", f"{source}:grad")
    flat, column = _d2l_right(name, False), _d2l_right(name, True)
    assert flat  # every case is right with 1-D w
    right = column or not column_in_file  # wrong only with the shapes its own file gives w
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect"), result.stdout
    if right and not column:  # right with 1-D w only: a note says under which shapes it holds
        assert "it holds with w of shape (n,) and y of shape (m,) only: with w of shape (n, 1)" in result.stdout
    if right and column:
        assert "holds with" not in result.stdout
    if not right:
        assert "w of shape (n, 1) and y of shape (m,)" in result.stdout.splitlines()[1]
        assert "broadcast into an (m,m) matrix" in result.stdout and "it holds" in result.stdout


# --- 4. [0; θ_{1:n}]: a slice of θ in a column ------------------------------------------------------------------------

_VECTOR = r"\frac{1}{m}\left[X^T(\sigma(X\theta) - y) + LAMBDA\begin{bmatrix}TOP \\ \theta_{1:n}\end{bmatrix}\right]"
SLICES = {  # name: (LaTeX, its NumPy transcription: the penalty's factor on θ_1.. and whether θ₀ is in the column)
    "(1/m)[Xᵀ(σ − y) + λ[0; θ_{1:n}]]": (_VECTOR.replace("LAMBDA", r"\lambda").replace("TOP", "0"), 1.0, False),
    "twin: λ/2": (_VECTOR.replace("LAMBDA", r"\frac{\lambda}{2}").replace("TOP", "0"), 0.5, False),
    "twin: [θ₀; θ_{1:n}]": (_VECTOR.replace("LAMBDA", r"\lambda").replace("TOP", r"\theta_0"), 1.0, True),
}


def _slice_right(name: str) -> bool:
    _, factor, bias = SLICES[name]
    column = np.r_[THETA[0] if bias else 0.0, THETA[1:]]
    received = (X.T @ (sigma(X @ THETA) - Y01) + factor * LAM * column) / DATA.m
    return bool(np.allclose(received, central_differences(_logistic_l2, THETA), atol=1e-7))


@pytest.mark.parametrize("name", SLICES)
def test_a_slice_of_theta_in_a_column_is_read_as_its_rows(name):
    result = run_cli("check", "logistic-l2", "--latex", SLICES[name][0])
    right = _slice_right(name)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect"), result.stdout
    assert "θ_{a:b} in a column read as its rows" in result.stdout


THETA_COLUMN = """import numpy as np

theta = np.zeros((3, 1))  # θ as a column
LOAD

def gradient(theta, X, y):
    return X.T @ (1 / (1 + np.exp(-(X @ theta))) - y) / len(y)
"""
THETA_CASES = {  # name: (how the file loads y), whether y is a column there
    "θ (n+1, 1) in the file, y 1-D": ("y = data[:, 2]", False),
    "twin: θ (n+1, 1) and y a column in the file": ("y = data[:, 2:3]", True),
}


@pytest.mark.parametrize("name", THETA_CASES)
def test_theta_made_a_column_by_its_file_is_judged_so_unless_y_is_one_too(name, tmp_path):
    load, y_column = THETA_CASES[name]
    source = tmp_path / "course.py"
    source.write_text(THETA_COLUMN.replace("LOAD", f"data = np.zeros((5, 3))\nX = data[:, :2]\n{load}\n"))
    features, column = X, THETA.reshape(-1, 1)
    y = Y01.reshape(-1, 1) if y_column else Y01  # the shapes the file gives y, beside θ (n+1, 1)
    received = features.T @ (sigma(features @ column) - y) / DATA.m
    expected = central_differences(
        lambda t: -float(np.mean(Y01 * np.log(sigma(X @ t)) + (1 - Y01) * np.log(1 - sigma(X @ t)))), THETA
    )
    right = received.shape == (DATA.n + 1, 1) and np.allclose(received.ravel(), expected, atol=1e-7)
    assert right == y_column
    result = run_cli("check", "logistic", "--python", f"{source}:gradient")
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect"), result.stdout
    if not right:
        assert "θ of shape (n+1, 1) and y of shape (m,)" in result.stdout.splitlines()[1]
