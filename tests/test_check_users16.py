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
