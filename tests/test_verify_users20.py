r"""verify on tester 15's real derivations (session 31, round 4).

1. F1 (v5, mohdvasim.com's log-cosh loss): a variable named e (d/de log cosh(e) = sinh(e)/cosh(e) = tanh(e)) is a
   variable everywhere in that text, not Euler's number on one side; a text that writes e^{…} keeps Euler's number.
2. F2 (v2, Math.SE 2653579): "based on $m$ = one single element" says the derivation is for one example;
   Σ_{i=0}^{n} θ_i x_i is a sum over the features; the "3. $\Rightarrow …$" row is the next side of the chain.

Which row is right is decided here by sympy.diff and by central differences of the author's cost on concrete data,
never by the tool.  Each document's planted slip (tester 15's v5s, v2s) must stay ✗ on its own line.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from central import central_differences
from verdicts import MARKS, verify_fast

RNG = np.random.default_rng(2031)
M, N = 9, 3
X = np.hstack([np.ones((M, 1)), RNG.normal(size=(M, N - 1))])
Y = RNG.normal(size=M)
THETA = RNG.normal(size=N)


def _marks(text: str, hypothesis: str | None = None) -> tuple[list[tuple[int, str]], str]:
    """[(line, ✓ ✗ := ?)] of every step in order, and the report."""
    report = verify_fast(text, hypothesis)
    return [(step.line, MARKS.get(str(step.status), "?")) for step in report.steps], str(report)


# --- 1. F1: e a variable (tester 15's v5_logcosh.md, copied as written) -------------------------------------------

_V5 = (
    r"For the linear model $\hat y_i = \theta^T x_i$ the log-cosh loss is" + "\n"
    r"$$L(\theta) = \frac{1}{n}\sum_{i=1}^{n} \log\left(\cosh(\theta^T x_i - y_i)\right)$$" + "\n"
    r"Since $\frac{d}{de}\log\cosh(e) = \frac{\sinh(e)}{\cosh(e)} = \tanh(e)$, the chain rule gives" + "\n"
    r"$$\frac{\partial L}{\partial \theta_j} = \frac{1}{n}\sum_{i=1}^{n} \frac{\sinh(\theta^T x_i - y_i)}"
    r"{\cosh(\theta^T x_i - y_i)}\, x_{ij}$$" + "\n"
    r"$$\frac{\partial L}{\partial \theta_j} = \frac{1}{n}\sum_{i=1}^{n} LAST\, x_{ij}$$" + "\n"
)
_LAST = {  # line 5's last side, the right one (tanh) and tester 15's planted v5s slip (sech² for tanh)
    "tanh": (r"\tanh(\theta^T x_i - y_i)", lambda r: np.tanh(r)),
    "sech2": (r"\frac{1}{\cosh^2(\theta^T x_i - y_i)}", lambda r: 1 / np.cosh(r) ** 2),
}


def _v5(last: str = "tanh", line3: str | None = None) -> str:
    text = _V5.replace("LAST", _LAST[last][0])
    return text if line3 is None else text.replace(r"\frac{\sinh(e)}{\cosh(e)} = \tanh(e)", line3)


def _logcosh(t: np.ndarray) -> float:
    return float(np.mean(np.log(np.cosh(X @ t - Y))))


def test_the_oracle_on_log_cosh() -> None:
    """sympy: d/de log cosh e = sinh e / cosh e = tanh e; central differences: line 4 right, v5s's line 5 wrong."""
    e = sp.Symbol("e")
    assert sp.simplify(sp.diff(sp.log(sp.cosh(e)), e) - sp.sinh(e) / sp.cosh(e)) == 0
    assert sp.simplify(sp.sinh(e) / sp.cosh(e) - sp.tanh(e)) == 0
    numeric = central_differences(_logcosh, THETA)
    r = X @ THETA - Y
    assert np.allclose(X.T @ (np.sinh(r) / np.cosh(r)) / M, numeric, atol=1e-7)
    assert np.allclose(X.T @ _LAST["tanh"][1](r) / M, numeric, atol=1e-7)
    assert not np.allclose(X.T @ _LAST["sech2"][1](r) / M, numeric, atol=1e-3)


def test_v5_every_row_holds_with_e_a_variable() -> None:
    marks, report = _marks(_v5())
    assert marks == [(1, ":="), (2, ":="), (3, "✓"), (3, "✓"), (4, "✓"), (5, "✓")], report
    assert "read e as a variable" in report


def test_v5s_sech2_is_found_on_its_own_line_first() -> None:
    marks, report = _marks(_v5("sech2"))
    assert marks == [(1, ":="), (2, ":="), (3, "✓"), (3, "✓"), (4, "✓"), (5, "✗")], report
    assert "First wrong step: step 6 (line 5)" in report


@pytest.mark.parametrize(
    "wrong",
    [r"\frac{\cosh(e)}{\sinh(e)} = \tanh(e)", r"\frac{\sinh(e)}{\cosh(e)} = \tanh(e)^2", r"\sinh(e) = \tanh(e)"],
)
def test_a_wrong_derivative_of_log_cosh_by_e_stays_wrong(wrong: str) -> None:
    """Mutants of line 3 (false by sympy at e = 0.7): at least one ✗ on line 3, never all ✓."""
    e = sp.Symbol("e")
    truth = {
        r"\frac{\cosh(e)}{\sinh(e)} = \tanh(e)": sp.cosh(e) / sp.sinh(e),
        r"\frac{\sinh(e)}{\cosh(e)} = \tanh(e)^2": sp.tanh(e) ** 2,
        r"\sinh(e) = \tanh(e)": sp.sinh(e),
    }[wrong]
    assert abs(float((sp.diff(sp.log(sp.cosh(e)), e) - truth).subs(e, 0.7))) > 1e-3 or wrong.endswith("^2")
    marks, report = _marks(_v5(line3=wrong))
    assert (3, "✗") in marks, report


def test_a_text_that_writes_e_power_keeps_euler() -> None:
    """d/dz e^{z} = e^{z} (true) and = e (false: Euler's number, not a variable)."""
    marks, report = _marks(r"$$\frac{d}{dz} e^{z} = e^{z}$$")
    assert marks == [(1, "✓")], report
    assert "read e as a variable" not in report
    marks, report = _marks(r"$$\frac{d}{dz} e^{2z} = 2e^{2z} = e$$")
    assert marks == [(1, "✓"), (1, "✗")], report


# --- 2. F2: Math.SE 2653579, one example (tester 15's v2_mathse_single.md, copied as written) ------------------------

_V2 = (
    r"So basically given the definition of the cost function (Mean Squared Error): $J(\theta) = \dfrac {1}{2m} "
    r"\displaystyle \sum _{i=1}^m \left (h_\theta (x_{i}) - y_{i} \right)^2$" + "\n\n"
    r"With a bit of explanation but based on $m$ = one single element:" + "\n\n"
    r"1. $\frac{\partial}{\partial \theta_j} J(\theta)=\frac{\partial}{\partial \theta_j} \frac{1}{2} "
    r"(h_{\theta}(x) - y)^2$" + "\n\n"
    r"2. $\Leftrightarrow 2 \frac{1}{2} (h_{\theta}(x) - y) \frac{\partial}{\partial \theta_j} (h_{\theta}(x) - y) "
    r"= (h_{\theta}(x) - y) \frac{\partial}{\partial \theta_j}(\sum_{i=0}^{n} \theta_i x_i - y )$" + "\n\n"
    r"3. $\Rightarrow LAST$" + "\n"
)
X1, Y1 = X[0], Y[0]


def _one(t: np.ndarray) -> float:
    return float(0.5 * (X1 @ t - Y1) ** 2)


def test_the_oracle_on_one_example() -> None:
    """m = 1: ∂J/∂θ = (θᵀx − y)x (line 10 right); without x_j (v2s) wrong."""
    numeric = central_differences(_one, THETA)
    assert np.allclose((X1 @ THETA - Y1) * X1, numeric, atol=1e-7)
    assert not np.allclose((X1 @ THETA - Y1) * np.ones(N), numeric, atol=1e-3)


@pytest.mark.parametrize("hypothesis", ["linear", None])
def test_v2_holds_for_the_one_example_it_says(hypothesis: str | None) -> None:
    marks, report = _marks(_V2.replace("LAST", r"(h_{\theta}(x) - y) x_j"), hypothesis)
    assert [mark for _, mark in marks] == ["✓"] * 4 and [line for line, _ in marks][-1] == 9, report
    assert "Σ is missing" not in report and "j ≥ 1 only" not in report
    assert "sum over the features" in report


@pytest.mark.parametrize("hypothesis", ["linear", None])
def test_v2s_x_j_dropped_is_found_on_its_line(hypothesis: str | None) -> None:
    marks, report = _marks(_V2.replace("LAST", r"(h_{\theta}(x) - y)"), hypothesis)
    assert marks[-1] == (9, "✗") and all(mark == "✓" for _, mark in marks[:-1]), report


def test_without_the_one_example_words_the_missing_sum_stays_wrong() -> None:
    """J is a mean over m examples: ∂J/∂θ_j = ∂/∂θ_j ½(h(x) − y)² is false unless the text says m = 1."""
    text = _V2.replace("LAST", r"(h_{\theta}(x) - y) x_j").replace("based on $m$ = one single element", "so")
    marks, report = _marks(text, "linear")
    assert marks[0] == (1, "✓") and marks[1] == (5, "✗"), report


def test_a_feature_sum_with_a_wrong_derivative_stays_wrong() -> None:
    """∂/∂θ_j Σ_{i=0}^{n} θ_i x_i = x_j; written as x_i summed (Σ x_i) it is wrong."""
    text = _V2.replace("LAST", r"(h_{\theta}(x) - y) \sum_{i=0}^{n} x_i")
    marks, report = _marks(text, "linear")
    assert marks[-1][1] == "✗", report


# --- 3. Σ(θᵀx⁽ⁱ⁾ − y⁽ⁱ⁾) = 0 after ∇J = 0 for linear regression: the θ₀ entry, x₀⁽ⁱ⁾ = 1 ----------------------------

_LIN = (
    r"For linear regression $J(\theta) = \frac{1}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2$." + "\n\n"
    "Setting the gradient to zero:\n\n"
    r"$$\nabla J(\theta) = 0$$" + "\n\n"
    r"$$\Rightarrow ROW = 0$$" + "\n"
)
_ROWS = {  # the row, and its left side at the lstsq minimiser θ* (X with its column of ones), as NumPy computes it
    "residuals": (r"\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})", lambda t: np.sum(X @ t - Y)),
    "plus y": (r"\sum_{i=1}^m (\theta^T x^{(i)} + y^{(i)})", lambda t: np.sum(X @ t + Y)),
    "squared": (r"\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2", lambda t: np.sum((X @ t - Y) ** 2)),
    "x_1": (r"\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)}) x_1^{(i)}", lambda t: np.sum((X @ t - Y) * X[:, 1])),
}
THETA_STAR = np.linalg.lstsq(X, Y, rcond=None)[0]


@pytest.mark.parametrize("row", sorted(_ROWS))
def test_the_oracle_at_the_least_squares_minimiser(row: str) -> None:
    """θ* of lstsq: ∇J(θ*) = 0; residuals sum to 0 with the column of ones, not without it; the mutants are not 0."""
    assert np.allclose(central_differences(lambda t: float(np.sum((X @ t - Y) ** 2) / (2 * M)), THETA_STAR), 0)
    value = _ROWS[row][1](THETA_STAR)
    assert (abs(value) < 1e-9) == (row in ("residuals", "x_1"))
    drawn = X.copy()
    drawn[:, 0] = RNG.normal(size=M)  # x₀ drawn as any feature: the residuals no longer sum to 0
    star = np.linalg.lstsq(drawn, Y, rcond=None)[0]
    assert abs(np.sum(drawn @ star - Y)) > 1e-6


@pytest.mark.parametrize("row", sorted(_ROWS))
def test_linear_residuals_sum_to_zero_after_the_gradient_is_zero(row: str) -> None:
    marks, report = _marks(_LIN.replace("ROW", _ROWS[row][0]))
    right = abs(_ROWS[row][1](THETA_STAR)) < 1e-9
    assert marks[-1] == (7, "✓" if right else "✗"), report
    if row == "residuals":
        assert "θ₀ entry" in report


def test_residuals_without_an_intercept_stay_wrong() -> None:
    """The text says "there is no intercept": x₀ is a feature like the others, Σ residuals ≠ 0 at θ* (lstsq above)."""
    text = "There is no intercept in this model.\n\n" + _LIN.replace("ROW", _ROWS["residuals"][0])
    marks, report = _marks(text)
    assert marks[-1][1] == "✗", report


# --- 4. techqa 3152743 (tester 15's v1): Σ_{n=1}^{N} over the examples x_n, y_n; dJ = … a total differential -------

_V1 = (
    "The cost function is given by\n"
    r"$$J = \dfrac{1}{N}\sum_{n=1}^{N}\left[\boldsymbol{w}^T\boldsymbol{x}_n-y_n \right]^2.$$" + "\n"
    "Take the total derivative\n"
    r"$$dJ = \dfrac{1}{N}\sum_{n=1}^N\{2\left[\boldsymbol{w}^T\boldsymbol{x}_n-y_n \right]d\boldsymbol{w}^T"
    r"\boldsymbol{x}_n \}.$$" + "\n"
    r"As $d\boldsymbol{w}^T$ is not dependent on the summation index $n$ we can pull it out of the sum. Hence we "
    "obtain\n"
    r"$$dJ = d\boldsymbol{w}^T\left[\dfrac{1}{N}\sum_{n=1}^N\{2\left[\boldsymbol{w}^T\boldsymbol{x}_n-y_n \right]"
    r"\boldsymbol{x}_n \}\right].$$" + "\n"
    r"Now, we know that the term in the bracket is the gradient of $J$ with respect to $\boldsymbol{w}$. Hence," + "\n"
    r"$$\text{grad}_{\boldsymbol{w}}J=\dfrac{1}{N}\sum_{n=1}^N\{TWO\left[\boldsymbol{w}^T\boldsymbol{x}_n-y_n "
    r"\right]\boldsymbol{x}_n \}.$$" + "\n"
)


def _mse(w: np.ndarray) -> float:
    return float(np.mean((X @ w - Y) ** 2))


def test_the_oracle_on_the_mean_squared_error() -> None:
    """∇J = (1/N)Σ 2(wᵀx_n − y_n)x_n; without the 2 (v1s) it is half of it."""
    numeric = central_differences(_mse, THETA)
    assert np.allclose(2 * X.T @ (X @ THETA - Y) / M, numeric, atol=1e-7)
    assert not np.allclose(X.T @ (X @ THETA - Y) / M, numeric, atol=1e-3)


@pytest.mark.parametrize("hypothesis", ["linear-mean", None])
@pytest.mark.parametrize("two", ["2", ""])
def test_v1_sums_over_n_examples(hypothesis: str | None, two: str) -> None:
    """J ✓ (line 2), the two dJ rows refused in words (d is no number), grad_w J ✓ with the 2, ✗ without (v1s)."""
    marks, report = _marks(_V1.replace("TWO", two), hypothesis)
    assert marks == [(2, "✓"), (4, "?"), (6, "?"), (8, "✓" if two else "✗")], report
    assert "total differential" in report and "read n as i" in report


# --- 5. jiskha 2057827 (tester 15's v3): capital X_i for example i is refused in one line that says what to write ---

_V3 = (
    r"Let $\ell _2({\boldsymbol \beta }) = \sum _{i=1}^2 \frac{Y_ i X_ i^ T {\boldsymbol \beta }- "
    r"e^{X_ i^ T {\boldsymbol \beta }}}{\phi } + c$. For the Poisson GLM, recall that $\phi =1$." + "\n\n"
    "First, let's simplify the expression inside the summation:\n\n"
    r"$$\frac{Y_i X_i^T \boldsymbol{\beta} - e^{X_i^T \boldsymbol{\beta}}}{\phi} = \frac{Y_i X_i^T \boldsymbol{\beta}"
    r" - e^{X_i^T \boldsymbol{\beta}}}{1} = Y_i X_i^T \boldsymbol{\beta} - e^{X_i^T \boldsymbol{\beta}}$$" + "\n"
)


def test_v3_capital_x_i_is_refused_with_what_to_write() -> None:
    marks, report = _marks(_V3, "poisson")
    assert all(mark in ("?", ":=") for _, mark in marks), report
    assert "X_i (capital) is not read as example i" in report and "one element of X" not in report
