r"""``check`` (session 28): one answer for "n = … only" from every reader, on a cost that fixes n.

A cost that names its features one by one (θ₀ + θ₁x₁, the polynomial θ₀ + θ₁x + θ₂x²) fixes n; its ✓ says "for
n = … only" when the gradient given is not the gradient with one feature more (x³ for the polynomial, the cost
extended the natural way, h + θ_{n+1}x_{n+1}). --latex and --grad ran that with θ's entry for the feature more 0,
--python with it nonzero, so code with the cost's h written out got "n = 2 only" where the same gradient in LaTeX got
a plain ✓. A user who writes the hypothesis as the cost writes it means the cost they gave: θ's entry is 0 for every
reader now, and what reads n or a feature's place off the data (2/(nm), X.shape, X[:, -1]) is still said.

Which gradient holds with one feature more is decided here by central differences (tests/central.py) of the extended
cost transcribed to NumPy, at θ with a 0 appended, on data of our own; the tool's first line must agree with it.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli
from data_setup import example_data

DATA = example_data(28, 6, 2)
M, Y = DATA.m, DATA.yr
_X = DATA.X[:, 1]  # the one feature x
POWERS3, POWERS4 = _X[:, None] ** np.arange(3), _X[:, None] ** np.arange(4)  # [1, x, x²], [1, x, x², x³]
T3 = np.array([0.3, -0.6, 0.5])


def _squared(cols: np.ndarray):
    return lambda t: float(np.sum((cols @ t - Y) ** 2) / (2 * M))


def _holds_wider(transcribed) -> bool:
    """Whether ``transcribed`` (cols, θ) → gradient is the gradient of the cost at its n = 2, where it must be, and
    with x³ more, θ's entry 0 (the cost extended)."""
    assert np.allclose(transcribed(POWERS3, T3), central_differences(_squared(POWERS3), T3), atol=1e-7)
    t4 = np.append(T3, 0.0)
    return bool(np.allclose(transcribed(POWERS4, t4), central_differences(_squared(POWERS4), t4), atol=1e-7))


POLY = r"\frac{1}{2m}\sum_{i=1}^m (\theta_0 + \theta_1 x^{(i)} + \theta_2 (x^{(i)})^2 - y^{(i)})^2"
_POLY_R = r"(\theta_0 + \theta_1 x^{(i)} + \theta_2 (x^{(i)})^2 - y^{(i)})"


def _h_written(c: np.ndarray, t: np.ndarray) -> np.ndarray:
    return t[0] + t[1] * c[:, 1] + t[2] * c[:, 1] ** 2


CODE = """import numpy as np


def written(X, y, theta):
    x = X[:, 1]
    h = theta[0] + theta[1] * x + theta[2] * x**2  # the cost's h
    return X.T @ (h - y) / len(y)


def last_column(X, y, theta):
    h = theta[0] + theta[1] * X[:, 1] + theta[2] * X[:, -1]  # x² read as the last column
    return X.T @ (h - y) / len(y)


def by_n(X, y, theta):
    return 2 * X.T @ (X @ theta - y) / ((X.shape[1] - 1) * len(y))
"""

CASES = {  # name: (reader, text (a function name for --python), NumPy transcription (cols, θ) → gradient)
    "latex: h written out": (
        "--latex",
        rf"\frac{{\partial J}}{{\partial \theta_j}} = \frac{{1}}{{m}}\sum_{{i=1}}^m {_POLY_R} x_j^{{(i)}}",
        lambda c, t: c.T @ (_h_written(c, t) - Y) / M,
    ),
    "python: h written out": ("--python", "written", lambda c, t: c.T @ (_h_written(c, t) - Y) / M),
    "grad: Xθ": ("--grad", "X.T @ (X @ theta - y) / m", lambda c, t: c.T @ (c @ t - Y) / M),
    "twin latex: 2/(nm)": (
        "--latex",
        rf"\frac{{\partial J}}{{\partial \theta_j}} = \frac{{2}}{{nm}}\sum_{{i=1}}^m {_POLY_R} x_j^{{(i)}}",
        lambda c, t: 2 * c.T @ (_h_written(c, t) - Y) / ((c.shape[1] - 1) * M),
    ),
    "twin python: X[:, -1] for x²": (
        "--python",
        "last_column",
        lambda c, t: c.T @ (t[0] + t[1] * c[:, 1] + t[2] * c[:, -1] - Y) / M,
    ),
    "twin python: n off X": ("--python", "by_n", lambda c, t: 2 * c.T @ (c @ t - Y) / ((c.shape[1] - 1) * M)),
    "twin grad: 2/(nm)": (  # n: 2 at the cost's n, 3 with x³ more
        "--grad",
        "2 * X.T @ (X @ theta - y) / (n * m)",
        lambda c, t: 2 * c.T @ (c @ t - Y) / ((c.shape[1] - 1) * M),
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_every_reader_says_n_only_alike_on_a_polynomial(name, tmp_path):
    reader, text, transcribed = CASES[name]
    wider = _holds_wider(transcribed)
    if reader == "--python":
        path = tmp_path / "code.py"
        path.write_text(CODE, encoding="utf-8")
        text = f"{path}:{text}"
    result = run_cli("check", "--cost", POLY, reader, text)
    assert result.returncode == 0, result.stdout + result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("✓"), result.stdout
    assert ("n = 2 only" in first) == (not wider), result.stdout


ONE = r"\frac{1}{2m}\sum_{i=1}^m (\theta_0 + \theta_1 x_1^{(i)} - y^{(i)})^2"
ONE_CODE = """def grad(X, y, theta):
    h = theta[0] + theta[1] * X[:, 1]  # the cost's h
    return X.T @ (h - y) / len(y)
"""
ONE_LATEX = (
    r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m (\theta_0 + \theta_1 x_1^{(i)} - y^{(i)}) "
    r"x_j^{(i)}"
)


def test_the_costs_own_h_gets_one_answer_from_code_and_latex(tmp_path):
    cols = DATA.X  # [1, x₁, x₂]: x₂ the feature more

    def transcribed(c: np.ndarray, t: np.ndarray) -> np.ndarray:
        return c.T @ (t[0] + t[1] * c[:, 1] - Y) / M

    t1, t2 = DATA.theta[:2], np.append(DATA.theta[:2], 0.0)
    assert np.allclose(transcribed(cols[:, :2], t1), central_differences(_squared(cols[:, :2]), t1), atol=1e-7)
    wider = np.allclose(transcribed(cols, t2), central_differences(_squared(cols), t2), atol=1e-7)
    path = tmp_path / "code.py"
    path.write_text(ONE_CODE, encoding="utf-8")
    firsts = [
        run_cli("check", "--cost", ONE, *given).stdout.splitlines()[0]
        for given in (("--python", f"{path}:grad"), ("--latex", ONE_LATEX))
    ]
    assert all(f.startswith("✓") and ("n = 1 only" in f) == (not wider) for f in firsts), firsts


# --- two lines on one line, the Specialization's names: dw, db, dJ/dw, w :=, b := ----------------------------------
# 3bd30ae made a short \text note between two gradient lines a joint for ∂/∇/θ_j := left sides only: after
# "\text{ and }" a second line named dw, db, \frac{dJ}{db} or b := was dropped, so its slip (1/(2m) for 1/m) got a plain
# ✓ rc 0; after a bare comma it was refused with "unexpected ','". The truth of each line is decided by central
# differences of the logistic cost on our own data, w = θ₁…θ_n and b = θ₀.

LOGISTIC = example_data(16, 7, 2)


def _logistic_cost(t: np.ndarray) -> float:
    z = LOGISTIC.X @ t
    y = LOGISTIC.y01
    return float(-np.mean(y * np.log(1 / (1 + np.exp(-z))) + (1 - y) * np.log(1 - 1 / (1 + np.exp(-z)))))


_W = r"\frac{1}{m}\sum_{i=1}^m (\sigma(w^T x^{(i)} + b) - y^{(i)}) x^{(i)}"
_B = r"\frac{{{scale}}}{{m}}\sum_{{i=1}}^m (\sigma(w^T x^{{(i)}} + b) - y^{{(i)}})"
PAIRS = {  # the two lines, w's then b's ({b}: b's right side, 1/m or 1/(2m))
    "dw, db": ("dw = " + _W, "db = {b}"),
    "dJ/dw, dJ/db": (r"\frac{dJ}{dw} = " + _W, r"\frac{dJ}{db} = {b}"),
    "∂J/∂w, db": (r"\frac{\partial J}{\partial w} = " + _W, "db = {b}"),
    "w :=, b :=": (r"w := w - \alpha " + _W, r"b := b - \alpha {b}"),
}
JOINTS = [r" \text{ and } ", r", \text{ and } ", ", ", r", \; "]


@pytest.mark.parametrize("scale", ["1", "2"])
@pytest.mark.parametrize("joint", JOINTS)
@pytest.mark.parametrize("pair", PAIRS)
def test_the_second_of_two_named_lines_is_judged(pair, joint, scale):
    t = LOGISTIC.theta
    h = 1 / (1 + np.exp(-LOGISTIC.X @ t))
    truth = central_differences(_logistic_cost, t)
    w_line = LOGISTIC.X[:, 1:].T @ (h - LOGISTIC.y01) / LOGISTIC.m
    b_line = np.sum(h - LOGISTIC.y01) / (int(scale) * LOGISTIC.m)
    assert np.allclose(w_line, truth[1:], atol=1e-7)  # the first line is right: the second decides
    right = bool(np.isclose(b_line, truth[0], atol=1e-7))
    first, second = PAIRS[pair]
    text = first + joint + second.replace("{b}", _B.format(scale=scale))
    result = run_cli("check", "logistic", "--latex", text)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.splitlines()[0].startswith("✓" if right else "✗"), result.stdout


def test_an_update_after_the_gradient_is_never_dropped():
    # ∇J right, then "\text{ so } θ := θ − (α/2m) Xᵀ(σ(Xθ) − y)": the update's step is not α∇J (central differences),
    # and it was dropped (a plain ✓ rc 0); it is read now, and the two kinds of line are refused together
    t = LOGISTIC.theta
    h = 1 / (1 + np.exp(-LOGISTIC.X @ t))
    step = LOGISTIC.X.T @ (h - LOGISTIC.y01) / (2 * LOGISTIC.m)  # per unit α
    assert not np.allclose(step, central_differences(_logistic_cost, t), atol=1e-7)
    text = (
        r"\nabla J = \frac{1}{m} X^T(\sigma(X\theta) - y), \text{ so } "
        r"\theta := \theta - \frac{\alpha}{2m} X^T(\sigma(X\theta) - y)"
    )
    result = run_cli("check", "logistic", "--latex", text)
    assert result.returncode != 0 and not result.stdout.startswith("✓"), result.stdout + result.stderr


# --- Octave's sum(M) is a row: --grad read it as the column -------------------------------------------------------
# check --grad "1/m * sum((sigmoid(X*theta) - y) .* X)" (the ' forgotten) got ✓ where the same line in a .m file is ✗
# (a (1, n+1) row, the README's 'transposed'): the translation wrote np.sum(M, axis=0).T, and .T of NumPy's 1-D sum is
# the same 1-D array. The expected verdict: the values by NumPy with Octave's 2-D shapes (keepdims) against central
# differences of the logistic cost, ✓ only for a column of the right values.

OCTAVE = {  # the Octave right side: its values with Octave's shapes (h, X, y columns)
    "sum(M) without '": (
        "1/m * sum((sigmoid(X*theta) - y) .* X)",
        lambda h, xs, y, m: np.sum((h - y) * xs, 0, keepdims=True) / m,
    ),
    "sum(M)'": (
        "1/m * sum((sigmoid(X*theta) - y) .* X)'",
        lambda h, xs, y, m: np.sum((h - y) * xs, 0, keepdims=True).T / m,
    ),
    "mean(M) without '": (
        "mean((sigmoid(X*theta) - y) .* X)",
        lambda h, xs, y, m: np.mean((h - y) * xs, 0, keepdims=True),
    ),
    "mean(M)'": ("mean((sigmoid(X*theta) - y) .* X)'", lambda h, xs, y, m: np.mean((h - y) * xs, 0, keepdims=True).T),
    "X' * r": ("(1/m) * X' * (sigmoid(X*theta) - y)", lambda h, xs, y, m: xs.T @ (h - y) / m),
}


@pytest.mark.parametrize("name", OCTAVE)
def test_octave_sums_are_rows_in_grad_as_in_a_file(name, tmp_path):
    written, transcribed = OCTAVE[name]
    t = LOGISTIC.theta.reshape(-1, 1)
    y = LOGISTIC.y01.reshape(-1, 1)
    h = 1 / (1 + np.exp(-LOGISTIC.X @ t))
    value = transcribed(h, LOGISTIC.X, y, LOGISTIC.m)
    truth = central_differences(_logistic_cost, LOGISTIC.theta).reshape(-1, 1)
    right = value.shape == truth.shape and bool(np.allclose(value, truth, atol=1e-7))
    path = tmp_path / "grad_octave.m"
    path.write_text(f"function grad = grad_octave(theta, X, y)\n  m = length(y);\n  grad = {written};\nend\n")
    # a file's 1×(n+1) row of the right values is ✓ and says it is a row (Octave's fminunc takes grad(:)); an
    # expression (--grad) must have the gradient's shape
    row = value.shape == (1, truth.size) and bool(np.allclose(value.ravel(), truth.ravel(), atol=1e-7))
    for given in (("--grad", written), ("--python", str(path))):
        result = run_cli("check", "logistic", *given)
        ok = right or (row and given[0] == "--python")
        assert result.returncode == (0 if ok else 1), (given, result.stdout + result.stderr)
        first = result.stdout.splitlines()[0]
        assert first.startswith("✓" if ok else "✗"), (given, result.stdout)
        if ok and not right:
            assert "1×(n+1) row" in first, first


# --- the Specialization's dw, db and dJ/dw of one feature, as ∂J/∂w and ∂J/∂b are read -------------------------------
# On J(w,b) = (1/2m)Σ(wx⁽ⁱ⁾ + b − y⁽ⁱ⁾)², ∂J/∂w and ∂J/∂b are read with w, b and x⁽ⁱ⁾ numbers (plain ✓); written dw = …
# with db = … they were refused ("unknown symbol 'w'"), and dw = … or \frac{dJ}{dw} = … alone got "✓ correct for n = 1
# only" (w read as θ_j for every j). The truth: central differences of the cost on one feature, (w, b) = (θ₁, θ₀).

SPEC = r"J(w,b) = \frac{1}{2m}\sum_{i=1}^m (w x^{(i)} + b - y^{(i)})^2"
ONE_F = example_data(17, 6, 1)
_R = r"(w x^{(i)} + b - y^{(i)})"
SPEC_LINES = {  # name: (w's line or None, b's line or None), each {s} the scale's denominator: m or 2m
    "dw": (r"dw = \frac{1}{{s}}\sum_{i=1}^m " + _R + " x^{(i)}", None),
    "db": (None, r"db = \frac{1}{{s}}\sum_{i=1}^m " + _R),
    "dJ/dw": (r"\frac{dJ}{dw} = \frac{1}{{s}}\sum_{i=1}^m " + _R + " x^{(i)}", None),
    "dw, db": (r"dw = \frac{1}{{s}}\sum_{i=1}^m " + _R + " x^{(i)}", r"db = \frac{1}{{s}}\sum_{i=1}^m " + _R),
    "dJ/dw, dJ/db": (
        r"\frac{dJ}{dw} = \frac{1}{{s}}\sum_{i=1}^m " + _R + " x^{(i)}",
        r"\frac{dJ}{db} = \frac{1}{{s}}\sum_{i=1}^m " + _R,
    ),
}


@pytest.mark.parametrize("scale", ["m", "2m"])
@pytest.mark.parametrize("name", SPEC_LINES)
def test_dw_and_db_of_one_feature_are_read_as_their_partials(name, scale):
    t = ONE_F.theta  # (b, w)
    truth = central_differences(_squared_on(ONE_F), t)
    r = ONE_F.X @ t - ONE_F.yr
    by = ONE_F.m * (2 if scale == "2m" else 1)
    given = {0: np.sum(r) / by, 1: np.sum(r * ONE_F.X[:, 1]) / by}
    w_line, b_line = SPEC_LINES[name]
    lines = [(k, line) for k, line in ((1, w_line), (0, b_line)) if line is not None]
    right = all(np.isclose(given[k], truth[k], atol=1e-7) for k, _ in lines)
    text = r" \\ ".join(line.replace("{s}", scale) for _, line in lines)
    result = run_cli("check", "--cost", SPEC, "--latex", text)
    first = result.stdout.splitlines()[0] if result.stdout else result.stderr
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert first.startswith("✓ correct:" if right else "✗"), first  # a plain ✓: the cost is one feature's


def _squared_on(data):
    return lambda t: float(np.sum((data.X @ t - data.yr) ** 2) / (2 * data.m))
