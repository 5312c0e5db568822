r"""verify on review 12's texts and tester 14's notes (session 31).

1. F3: CS229's layout, the gradient ∇J = (1/m)Xᵀ(Xθ − y) in its own display, then "Setting it to zero:" and the
   normal equations.  The rows after it are equations that hold at the minimiser θ*, not identities in θ.
2. F5: Σᵢσ(θᵀx⁽ⁱ⁾) = Σᵢy⁽ⁱ⁾ after ∇J = 0 for logistic regression is the θ₀ entry of ∇J = 0 (x₀⁽ⁱ⁾ = 1).
3. ∂J/∂w_1 with w_0 written and no b (notebook.community's L16): the entry θ₁, not all of θ.

Which row is right is decided here by NumPy (lstsq and Newton minimisers, central differences of the cost), never by
the tool.  Each text has mutants, the same document with a real slip, which must stay ✗.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from verdicts import MARKS, close, sigmoid, verify_fast

from derivation.check import CORRECT, INCORRECT, check_gradient
from derivation.parsing.statement import WEIGHTS_SCOPE, read_gradient

RNG = np.random.default_rng(1931)
M, N = 9, 3
X = np.hstack([np.ones((M, 1)), RNG.normal(size=(M, N - 1))])  # the column of ones: θ₀ the intercept
Y = RNG.normal(size=M)
LABELS = np.array([0, 1, 1, 0, 1, 0, 0, 1, 0.0])


def _marks(text: str, hypothesis: str | None = None) -> tuple[list[tuple[int, str]], str]:
    """[(line, ✓ ✗ := ?)] of every step in order (several steps share a line in an align), and the report."""
    report = verify_fast(text, hypothesis)
    return [(step.line, MARKS.get(str(step.status), "?")) for step in report.steps], str(report)


# --- 1. "Setting it to zero:" after the gradient's own display (review 12 F3) -----------------------------------

_LS = lambda t: float(np.sum((X @ t - Y) ** 2) / (2 * M))  # noqa: E731  J = (1/2m)‖Xθ − y‖²
THETA_STAR = np.linalg.lstsq(X, Y, rcond=None)[0]
_HEAD = (
    r"For linear regression $J(\theta) = \frac{1}{2m}\lVert X\theta - y\rVert^2$ the gradient is" + "\n\n"
    r"$$\nabla_\theta J(\theta) = GRADIENT$$" + "\n\n"
)
_GRADIENTS = {  # the display's right side, and ∇J as NumPy computes it
    "right": (r"\frac{1}{m}X^T(X\theta - y)", lambda t: X.T @ (X @ t - Y) / M),
    "2/m": (r"\frac{2}{m}X^T(X\theta - y)", lambda t: 2 * X.T @ (X @ t - Y) / M),
    "sign": (r"\frac{1}{m}X^T(y - X\theta)", lambda t: X.T @ (Y - X @ t) / M),
}


def _s21(gradient: str = "right", rows: str = r"\nabla J(\theta) &= 0 \\ X^TX\theta &= X^Ty") -> str:
    """Review 12's s21: the gradient displayed, then "Setting it to zero:" and an align of the equations."""
    return (
        _HEAD.replace("GRADIENT", _GRADIENTS[gradient][0])
        + "Setting it to zero:\n\n\\begin{align*}\n"
        + rows
        + "\n\\end{align*}\n"
    )


def test_the_oracle_on_the_normal_equations() -> None:
    at_star = central_differences(_LS, THETA_STAR)
    assert close(at_star, np.zeros(N))  # ∇J(θ*) = 0
    assert close(X.T @ X @ THETA_STAR, X.T @ Y)  # XᵀXθ* = Xᵀy
    theta = RNG.normal(size=N)
    assert not close(X.T @ X @ theta, X.T @ Y)  # not an identity: at a random θ it fails
    assert close(_GRADIENTS["right"][1](theta), central_differences(_LS, theta))
    assert not close(_GRADIENTS["2/m"][1](theta), central_differences(_LS, theta))
    assert not close(_GRADIENTS["sign"][1](theta), central_differences(_LS, theta))


def test_s21_setting_it_to_zero_after_the_displayed_gradient() -> None:
    marks, report = _marks(_s21())
    assert [mark for _, mark in marks] == ["✓"] * 4, report
    assert "holds at the minimiser θ*" in report


def test_s01_normal_equations_then_the_solution() -> None:
    """Review 12's s01: XᵀXθ = Xᵀy ⟹ θ = (XᵀX)⁻¹Xᵀy on the line after "Setting it to zero:"."""
    assert close(np.linalg.inv(X.T @ X) @ X.T @ Y, THETA_STAR)
    text = (
        _HEAD.replace("GRADIENT", _GRADIENTS["right"][0])
        + "Setting it to zero:\n\n$$X^TX\\theta = X^Ty \\implies \\theta = (X^TX)^{-1}X^Ty$$\n"
    )
    marks, report = _marks(text)
    assert [mark for _, mark in marks] == ["✓"] * 4, report


def test_s23_setting_it_to_zero_gives_the_normal_equations() -> None:
    text = (
        _HEAD.replace("GRADIENT", _GRADIENTS["right"][0])
        + "Setting it to zero gives the normal equations\n\n\\begin{align*}\nX^TX\\theta &= X^Ty\n\\end{align*}\n"
    )
    marks, report = _marks(text)
    assert [mark for _, mark in marks] == ["✓"] * 3, report


@pytest.mark.parametrize("rows", [r"X^TX\theta &= -X^Ty", r"X^TX\theta &= 2X^Ty", r"X^T\theta &= X^Ty"])
def test_s21_a_wrong_equation_after_it_fails(rows: str) -> None:
    """XᵀXθ = −Xᵀy or 2Xᵀy does not hold at θ* (nor Xᵀθ = Xᵀy, a shape slip): ✗ (or refused), never ✓."""
    assert not close(X.T @ X @ THETA_STAR, -X.T @ Y) and not close(X.T @ X @ THETA_STAR, 2 * X.T @ Y)
    marks, report = _marks(_s21(rows=rows))
    assert marks[-1][1] in ("✗", "?"), report
    assert marks[-1][1] == "✗" or "shape" in report or "match" in report, report


@pytest.mark.parametrize("gradient", ["2/m", "sign"])
def test_s21_a_wrong_displayed_gradient_fails(gradient: str) -> None:
    """The displayed ∇J itself is an identity, checked at every θ: a wrong one is ✗ though it is set to zero after."""
    marks, report = _marks(_s21(gradient))
    assert marks[1] == (3, "✗"), report


@pytest.mark.parametrize("said", ["At the minimum the gradient vanishes:", "Setting it equal to 0, with the gradient"])
def test_s31_s34_a_wrong_gradient_said_to_vanish_stays_wrong(said: str) -> None:
    """Review 12's s31/s34: the words come before a wrong ∇J: it is still an identity to check, ✗."""
    text = (
        r"For linear regression $J(\theta) = \frac{1}{2m}\lVert X\theta - y\rVert^2$. " + said + "\n\n"
        r"$$\nabla J(\theta) = \frac{2}{m}X^T(X\theta - y)$$" + "\n"
    )
    marks, report = _marks(text)
    assert marks[-1][1] == "✗", report


# --- 2. Σσ(θᵀx⁽ⁱ⁾) = Σy⁽ⁱ⁾ at the logistic minimiser (review 12 F5) ------------------------------------------------


def _newton(a: np.ndarray) -> np.ndarray:
    """The logistic MLE on data ``a`` (Newton's method)."""
    t = np.zeros(a.shape[1])
    for _ in range(60):
        h = sigmoid(a @ t)
        t -= np.linalg.solve(a.T @ (a * (h * (1 - h))[:, None]), a.T @ (h - LABELS))
    return t


def _ce(a: np.ndarray):
    return lambda t: float(-np.mean(LABELS * np.log(sigmoid(a @ t)) + (1 - LABELS) * np.log(1 - sigmoid(a @ t))))


_L05 = (
    r"For logistic regression $J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}\log h_\theta(x^{(i)}) + "
    r"(1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right]$ with $h_\theta(x) = \sigma(\theta^T x)$, the gradient is "
    r"$\nabla J(\theta) = \frac{1}{m}X^T(\sigma(X\theta) - y)$. PROSESetting it to zero:" + "\n\n"
    r"\begin{align*}" + "\n" + r"\nabla J(\theta) &= 0 \\ ROW" + "\n" + r"\end{align*}" + "\n"
)
_ROWS = {  # the row after ∇J = 0, and its two sides at θ (NumPy)
    "Σσ = Σy": (
        r"\sum_{i=1}^m \sigma(\theta^Tx^{(i)}) &= \sum_{i=1}^m y^{(i)}",
        lambda a, t: (sigmoid(a @ t).sum(), LABELS.sum()),
    ),
    "Σσ² = Σy": (
        r"\sum_{i=1}^m \sigma(\theta^Tx^{(i)})^2 &= \sum_{i=1}^m y^{(i)}",
        lambda a, t: ((sigmoid(a @ t) ** 2).sum(), LABELS.sum()),
    ),
    "Σσ = Σyx₁": (
        r"\sum_{i=1}^m \sigma(\theta^Tx^{(i)}) &= \sum_{i=1}^m y^{(i)} x_1^{(i)}",
        lambda a, t: (sigmoid(a @ t).sum(), (LABELS * a[:, 1]).sum()),
    ),
}


@pytest.mark.parametrize("row", sorted(_ROWS))
def test_l05_the_intercept_entry_of_the_logistic_condition(row: str) -> None:
    star = _newton(X)
    assert close(central_differences(_ce(X), star), np.zeros(N))  # the minimiser
    truth = close(*_ROWS[row][1](X, star))
    assert truth == (row == "Σσ = Σy")  # the oracle tells the mutants apart
    marks, report = _marks(_L05.replace("PROSE", "").replace("ROW", _ROWS[row][0]))
    assert marks[-1][1] == ("✓" if truth else "✗"), report
    if truth:
        assert "θ₀ entry" in report and "x₀⁽ⁱ⁾ = 1" in report, report


def test_l05_without_an_intercept_the_row_fails() -> None:
    """With "There is no intercept", x₀ is a feature like the others, and Σσ = Σy does not hold at the MLE."""
    plain = X.copy()
    plain[:, 0] = RNG.normal(size=M)
    star = _newton(plain)
    assert close(central_differences(_ce(plain), star), np.zeros(N))
    assert not close(*_ROWS["Σσ = Σy"][1](plain, star))
    text = _L05.replace("PROSE", "There is no intercept. ").replace("ROW", _ROWS["Σσ = Σy"][0])
    marks, report = _marks(text)
    assert marks[-1][1] == "✗", report


def test_l01_the_condition_itself_has_no_contradicting_note() -> None:
    """∇J(θ) = 0 after "Setting it to zero" holds as the condition; its note no longer says it is not ∇J = 0."""
    marks, report = _marks(_L05.replace("PROSE", "").replace("ROW", r"X^T\sigma(X\theta) &= X^Ty"))
    assert [mark for _, mark in marks][-2:] == ["✓", "✓"], report
    assert "it is not ∇J = 0" not in report, report


# --- 3. ∂J/∂w_1 with w_0 written and no b (notebook.community, tester 14 L16) ------------------------------------

_L16 = (
    r"\frac{\partial J(\mathbf{w})}{\partial w_1} = \displaystyle \frac{1}{2 n} \displaystyle \sum_{i=1}^{n} "
    r"2 \cdot x^{(i)} \cdot (w_0 + w_1 x^{(i)} - y^{(i)})"
)


def test_l16_w1_is_the_entry_theta1() -> None:
    statement = read_gradient(_L16)
    assert [piece.scope for piece in statement.pieces] == [WEIGHTS_SCOPE]


@pytest.mark.parametrize("slip", ["", "x kept out"])
def test_l16_checked_against_central_differences(slip: str) -> None:
    xs, ys, w = RNG.normal(size=M), RNG.normal(size=M), RNG.normal(size=2)
    cost = lambda v: float(np.sum((v[0] + v[1] * xs - ys) ** 2) / (2 * M))  # noqa: E731
    written = (xs if not slip else 1) * (w[0] + w[1] * xs - ys)
    truth = close(np.sum(2 * written) / (2 * M), central_differences(cost, w)[1])
    assert truth == (not slip)
    latex = _L16.replace(r"2 \cdot x^{(i)} \cdot", r"2 \cdot") if slip else _L16
    report = check_gradient("linear", latex=latex)
    assert report.status == (CORRECT if truth else INCORRECT), report


# --- 4. \mathrm{and} between two rows (a06), Goodfellow's ζ(…) defined nowhere (z13) ---------------------------

_A06 = (
    r"The logistic cost is $J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}\log h_\theta(x^{(i)}) + "
    r"(1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right]$ with $h_\theta(x) = \sigma(\theta^T x)$. Its partial derivatives are"
    "\n$$\n"
    r"\frac{\partial J}{\partial\theta_0} = \frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})"
    r" \quad\mathrm{and}\quad "
    r"\frac{\partial J}{\partial\theta_j} = \frac{1}{m}\sum_{i=1}^m ROW x_j^{(i)}"
    "\n$$\n"
)
_A06_ROWS = {"right": r"(h_\theta(x^{(i)}) - y^{(i)})", "sign": r"(y^{(i)} - h_\theta(x^{(i)}))"}


@pytest.mark.parametrize("row", sorted(_A06_ROWS))
def test_a06_mathrm_and_splits_the_two_rows(row: str) -> None:
    theta = RNG.normal(size=N)
    g = central_differences(_ce(X), theta)
    h = sigmoid(X @ theta)
    assert close(np.mean(h - LABELS), g[0])  # the θ₀ row, x₀ = 1
    written = X.T @ ((h - LABELS) if row == "right" else (LABELS - h)) / M
    truth = close(written, g)
    assert truth == (row == "right")
    marks, report = _marks(_A06.replace("ROW", _A06_ROWS[row]))
    assert marks[-2:] == [(3, "✓"), (3, "✓" if truth else "✗")], report
    assert "a·d·n" not in report and "mathrm" not in report, report


_Z = (
    r"With labels $y \in \{0, 1\}$WHERE:" + "\n\n"
    r"$$J(\theta) = \frac{1}{m}\sum_{i=1}^{m}\zeta\left((2y^{(i)} - 1)\theta^Tx^{(i)}\right)$$" + "\n"
)


def test_z13_an_undefined_zeta_is_refused_in_words() -> None:
    marks, report = _marks(_Z.replace("WHERE", ""), "logistic")
    assert marks == [(3, "?")], report
    assert "ζ is not defined: write ζ(z) = \\log(1 + e^{z})" in report, report


@pytest.mark.parametrize("sign", ["-u", "u"])
def test_z10_a_zeta_the_text_defines_is_read_as_written(sign: str) -> None:
    """ζ(u) = log(1 + e^{−u}) defined: J = mean ζ((2y − 1)θᵀx) is the logistic cost; with e^{u} it is not."""
    theta = RNG.normal(size=N)
    s = 2 * LABELS - 1
    zeta = (lambda u: np.log1p(np.exp(-u))) if sign == "-u" else (lambda u: np.log1p(np.exp(u)))
    truth = close(np.mean(zeta(s * (X @ theta))), _ce(X)(theta))
    assert truth == (sign == "-u")
    where = rf" we write the logistic loss with $\zeta(u) = \log(1 + e^{{{sign}}})$"
    marks, report = _marks(_Z.replace("WHERE", where), "logistic")
    assert marks[-1] == (3, "✓" if truth else "✗"), report


# --- 5. tester 14's D8 (y = mx + c, J(m, c)) and D5 (h_w(x) = w_0 + w_1 x, '2.(', (w_0, w_1)) -----------------

XS, YS = RNG.normal(size=M), RNG.normal(size=M)


def _d8(middle: str = r"2 \cdot \left( y_i - (mx_i + c) \right) \cdot (-x_i)", last: str = "-2") -> str:
    """lexai's text as written: J(m, c) with the slope m, the intercept c and n points, then ∂J/∂m twice."""
    return (
        "Let's write the cost function again:\n\n$$\n"
        "J(m, c) = \\sum_{i=1}^n \\left( y_i - (mx_i + c) \\right)^2\n$$\n\n"
        "Let's derive $\\frac{\\partial J}{\\partial m}$:\n\n$$\n"
        f"\\frac{{\\partial J}}{{\\partial m}} = \\sum_{{i=1}}^n {middle}\n$$\n\n"
        "So, putting it all together:\n\n$$\n"
        f"\\frac{{\\partial J}}{{\\partial m}} = {last} "
        "\\sum_{i=1}^n x_i \\cdot \\left( y_i - (mx_i + c) \\right)\n$$\n"
    )


def _d8_truth(middle_sign: float, factor: float) -> tuple[bool, bool]:
    """(middle row right, last row right) at a random (m, c), by central differences of J(m, c)."""
    mc = RNG.normal(size=2)
    g = central_differences(lambda v: float(np.sum((YS - (v[0] * XS + v[1])) ** 2)), mc)[0]
    residual = YS - (mc[0] * XS + mc[1])
    return close(np.sum(2 * residual * middle_sign * XS), g), close(factor * np.sum(XS * residual), g)


@pytest.mark.parametrize(
    ("middle", "last", "signs"),
    [
        (r"2 \cdot \left( y_i - (mx_i + c) \right) \cdot (-x_i)", "-2", (-1.0, -2.0)),
        (r"2 \cdot \left( y_i - (mx_i + c) \right) \cdot (x_i)", "-2", (1.0, -2.0)),
        (r"2 \cdot \left( y_i - (mx_i + c) \right) \cdot (-x_i)", "-1", (-1.0, -1.0)),
    ],
)
def test_d8_slope_m_and_intercept_c(middle: str, last: str, signs: tuple[float, float]) -> None:
    truth = _d8_truth(*signs)
    marks, report = _marks(_d8(middle, last))
    assert marks[0] == (4, ":="), report  # J(m, c) = …: the text's own cost
    assert [mark for _, mark in marks[1:]] == ["✓" if t else "✗" for t in truth], report
    assert "Σᵢ₌₁ʷ" not in report and "not defined" not in report, report


_D5 = (
    r"Hypothesis function for univariate data $h_\mathbf{w}(x) = w_0 + w_1 x$ with parameters "
    r"$\mathbf{w}=(w_0, w_1)$" + "\nGiven $n$ data points, the goal is to minimize the cost given below:\n"
    r"$$ \begin{align} J(\mathbf{w}) & = \frac{1}{2 n} \displaystyle \sum_{i=1}^{n}\left(h_\mathbf{w}(x)^{(i)} - "
    r"y^{(i)}\right)^2 \\ & = \frac{1}{2 n} \displaystyle \sum_{i=1}^{n}\left(w_0 + w_1 x^{(i)} - y^{(i)}\right)^2 "
    r"\end{align} $$Moving in the direction of Gradient (first derivative) of the cost function:" + "\n"
    r"$$\nabla J(\mathbf{w}) = \left(\frac{\partial J(\mathbf{w})}{\partial w_0}, \frac{\partial J(\mathbf{w})}"
    r"{\partial w_1} \right)$$where the partial derivatives is given as follows" + "\n"
    r"$$\begin{align} \frac{\partial J(\mathbf{w})}{\partial w_0} & = \displaystyle \frac{1}{2 n} \displaystyle "
    r"\sum_{i=1}^{n} 2.(w_0 + w_1 x^{(i)} - y^{(i)}) = \displaystyle \frac{1}{n} \displaystyle \sum_{i=1}^{n} "
    r"(w_0 + w_1 x^{(i)} - y^{(i)}) \\ \frac{\partial J(\mathbf{w})}{\partial w_1} & = \displaystyle \frac{1}{2 n} "
    r"\displaystyle \sum_{i=1}^{n} 2.x^{(i)}.(w_0 + w_1 x^{(i)} - y^{(i)}) = \displaystyle \frac{1}{n} "
    r"\displaystyle \sum_{i=1}^{n} x^{(i)} (w_0 + w_1 x^{(i)} - y^{(i)}) \end{align}$$"
)


def _d5_gradient() -> tuple[np.ndarray, np.ndarray]:
    w = RNG.normal(size=2)
    return w, central_differences(lambda v: float(np.sum((v[0] + v[1] * XS - YS) ** 2) / (2 * M)), w)


def test_d5_as_written() -> None:
    w, g = _d5_gradient()
    r = w[0] + w[1] * XS - YS
    assert close(np.sum(2 * r) / (2 * M), g[0]) and close(np.sum(2 * XS * r) / (2 * M), g[1])
    marks, report = _marks(_D5, "linear")
    assert [mark for _, mark in marks] == [":=", ":=", ":=", "✓", ":=", "✓", "✓", "✓", "✓"], report
    assert "'.' between two factors" in report and "h(x^{(i)})" in report


@pytest.mark.parametrize(
    ("written", "slip"),
    [
        (r"2.x^{(i)}.(w_0 + w_1 x^{(i)} - y^{(i)}) =", r"2.(w_0 + w_1 x^{(i)} - y^{(i)}) ="),  # x dropped
        (r"2.(w_0 + w_1 x^{(i)} - y^{(i)}) =", r"2.(w_0 + w_1 x^{(i)} + y^{(i)}) ="),  # +y
    ],
)
def test_d5_a_slip_in_a_dotted_row_fails(written: str, slip: str) -> None:
    w, g = _d5_gradient()
    r = w[0] + w[1] * XS - YS
    if "x^{(i)}.(" in written:
        assert not close(np.sum(2 * r) / (2 * M), g[1])
    else:
        assert not close(np.sum(2 * (w[0] + w[1] * XS + YS)) / (2 * M), g[0])
    marks, report = _marks(_D5.replace(written, slip), "linear")
    assert "✗" in [mark for _, mark in marks], report
    assert [mark for _, mark in marks].count("✓") < 5, report


def test_d5_a_gradient_listed_out_of_order_is_no_definition() -> None:
    swapped = _D5.replace(r"\partial w_0}, \frac", r"\partial w_1}, \frac", 1)
    marks, report = _marks(swapped, "linear")
    assert marks[4][1] != ":=" and marks[4][1] != "✓", report


def test_a_decimal_point_is_no_product() -> None:
    marks, report = _marks(r"$$\frac{d}{dz} 0.5 z^2 = 0.5 \cdot 2z = z$$")
    assert [mark for _, mark in marks] == ["✓", "✓"], report


# --- 6. ỹ defined in a verify text (review 12 F6: v22, v23, v20, v21) --------------------------------------------

_LS_TEXT = (
    r"Label smoothing: with $DEFINITION$ the cost is" + "\n\n"
    r"$$J(\theta) = -\frac{1}{m}\sum_{i=1}^m\left[\tilde{y}^{(i)}\log\sigma(\theta^Tx^{(i)}) + "
    r"(1-\tilde{y}^{(i)})\log\left(1-\sigma(\theta^Tx^{(i)})\right)\right]$$" + "\n\n"
    r"$$\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m\left(\sigma(\theta^Tx^{(i)}) - "
    r"FIRST\right)x_j^{(i)} = \frac{1}{m}\sum_{i=1}^m\left(\sigma(\theta^Tx^{(i)}) - y^{(i)}\right)x_j^{(i)} "
    r"SIGN \frac{CONSTANT}{m}\sum_{i=1}^m\left(y^{(i)} - \frac{1}{2}\right)x_j^{(i)}$$" + "\n"
)
_DEFINITIONS = {  # the text's ỹ, ε's value where it has one, and the constant of the last row
    "v22": (r"\tilde{y}^{(i)} = 0.9y^{(i)} + 0.05", 0.1, "0.1"),
    "v23": (r"\tilde{y} = 0.9y + 0.05", 0.1, "0.1"),
    "v21": (r"\tilde{y}^{(i)} = (1-\epsilon)y^{(i)} + \frac{\epsilon}{2}", None, r"\epsilon"),
}


def _smoothed_truth(eps: float, first: str, sign: float) -> tuple[bool, bool]:
    """(first row right, last row right) at a random θ, by central differences of the smoothed cost."""
    soft = (1 - eps) * LABELS + eps / 2

    def cost(t: np.ndarray) -> float:
        h = sigmoid(X @ t)
        return float(-np.mean(soft * np.log(h) + (1 - soft) * np.log(1 - h)))

    theta = RNG.normal(size=N)
    g, h = central_differences(cost, theta), sigmoid(X @ theta)
    target = soft if first == "ỹ" else LABELS
    last = X.T @ (h - LABELS) / M + sign * eps / M * X.T @ (LABELS - 0.5)
    return close(X.T @ (h - target) / M, g), close(last, g)


@pytest.mark.parametrize("case", sorted(_DEFINITIONS))
@pytest.mark.parametrize(("first", "sign"), [("ỹ", "+"), ("ỹ", "-"), ("y", "+")])
def test_smoothed_labels_defined_in_the_text(case: str, first: str, sign: str) -> None:
    definition, eps, constant = _DEFINITIONS[case]
    truth = _smoothed_truth(0.2 if eps is None else eps, first, 1.0 if sign == "+" else -1.0)
    assert truth[0] == (first == "ỹ")
    text = (
        _LS_TEXT.replace("DEFINITION", definition)
        .replace("FIRST", r"\tilde{y}^{(i)}" if first == "ỹ" else "y^{(i)}")
        .replace("SIGN", sign)
        .replace("CONSTANT", constant)
    )
    for hypothesis in (None, "logistic"):
        marks, report = _marks(text, hypothesis)
        assert marks[0] == (1, ":=") and marks[1] == (3, "✓"), report  # ỹ defined; the text's J of it
        assert marks[2] == (5, "✓" if truth[0] else "✗"), report
        if truth[0]:  # the second row is checked against the first
            assert marks[3] == (5, "✓" if truth[1] else "✗"), report
        assert "not defined" not in report and "y ∈ {0, 1}" not in report, report
