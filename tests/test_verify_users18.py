r"""verify on tester 14's real derivations (session 30, round 2).

1. Univariate linear regression (mltutor D6, CS229 notes D4): h_θ(x) = θ₀ + θ₁x, J(θ₀, θ₁), x⁽ⁱ⁾ a number.  verify
   sampled n = 2 and read x⁽ⁱ⁾ as x_j⁽ⁱ⁾, so correct steps were ✗; they are now read with one feature (n = 1), θ_j of
   such a text at j = 0 and at j = 1, J(\theta_0,\theta_1) with its comma, and --hypothesis linear's J for one
   feature where the text differentiates J without defining it.
2. ∂J/∂θ₀ = (1/m)Σ(h − y) with no x₀ (review 10 V01): θ₀ is the intercept, x₀⁽ⁱ⁾ = 1, unless the text gives x₀
   another value.  A general-j step that drops x_j stays ✗.
3. "\ \ \ =" alignment spaces continue the chain above (geeksmental D7).

Which row is right is decided here by NumPy on random data (the cost computed directly, its gradient by central
differences), never by the tool.  Each text has mutants: the same document with a real slip, which must stay ✗.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from verdicts import close, sigmoid, verify_marks

from derivation.proof.verifier import verify_text

RNG = np.random.default_rng(1830)
M = 6
XS = RNG.normal(size=M)
YS = RNG.normal(size=M)
T = RNG.normal(size=2)


def _cost1(t: np.ndarray) -> float:
    """Cost of D6/D4: (1/2m) Σ (θ₀ + θ₁x⁽ⁱ⁾ − y⁽ⁱ⁾)²."""
    return float(np.sum((t[0] + t[1] * XS - YS) ** 2) / (2 * M))


GRAD1 = central_differences(_cost1, T)
H = T[0] + T[1] * XS

# (written right side in LaTeX, its value in NumPy, the entry of the gradient it claims): every one of these is
# compared with central differences here, so the expected mark is the oracle's
_THETA0_SIDES = {
    "right": (r"\frac{1}{m} \sum_{i=1}^{m} (h_\theta(x^{(i)}) - y^{(i)})", np.sum(H - YS) / M),
    "x kept": (r"\frac{1}{m} \sum_{i=1}^{m} (h_\theta(x^{(i)}) - y^{(i)}) \cdot x^{(i)}", np.sum((H - YS) * XS) / M),
    "no 1/m": (r"\sum_{i=1}^{m} (h_\theta(x^{(i)}) - y^{(i)})", np.sum(H - YS)),
    "y+": (r"\frac{1}{m} \sum_{i=1}^{m} (h_\theta(x^{(i)}) + y^{(i)})", np.sum(H + YS) / M),
}
_THETA1_SIDES = {
    "right": (r"\frac{1}{m} \sum_{i=1}^{m} (h_\theta(x^{(i)}) - y^{(i)}) \cdot x^{(i)}", np.sum((H - YS) * XS) / M),
    "x dropped": (r"\frac{1}{m} \sum_{i=1}^{m} (h_\theta(x^{(i)}) - y^{(i)})", np.sum(H - YS) / M),
    "2m": (r"\frac{1}{2m} \sum_{i=1}^{m} (h_\theta(x^{(i)}) - y^{(i)}) \cdot x^{(i)}", np.sum((H - YS) * XS) / (2 * M)),
}


def _d6(theta0: str, theta1: str) -> str:
    """mltutor's "Gradient Derivation for Linear Regression", as written, with the two last right sides given."""
    return (
        "Gradient Derivation for Linear Regression\n\n"
        r"\[ \text{Cost} = \frac{1}{2m} \sum_{i=1}^{m} (\theta_0 + \theta_1 x^{(i)} - y^{(i)})^2 \]" + "\n\n"
        "Step 1: Rewrite the cost function\n\n"
        r"\[ \text{Cost} = \frac{1}{2m} \sum_{i=1}^{m} (h_\theta(x^{(i)}) - y^{(i)})^2 \]" + "\n\n"
        "where h_θ(x⁽ⁱ⁾) = θ₀ + θ₁x⁽ⁱ⁾ is the hypothesis function.\n\n"
        "Step 2: Compute the partial derivative with respect to θ₀\n\n"
        r"\[ \frac{\partial \text{Cost}}{\partial \theta_0} = \frac{1}{2m} \sum_{i=1}^{m} 2(h_\theta(x^{(i)}) - "
        r"y^{(i)}) \cdot \frac{\partial}{\partial \theta_0} (h_\theta(x^{(i)}) - y^{(i)}) \]" + "\n\n"
        "Since ∂/∂θ₀(h_θ(x⁽ⁱ⁾) - y⁽ⁱ⁾) = 1, this simplifies to:\n\n"
        rf"\[ \frac{{\partial \text{{Cost}}}}{{\partial \theta_0}} = {theta0} \]" + "\n\n"
        "Step 3: Compute the partial derivative with respect to θ₁\n\n"
        r"\[ \frac{\partial \text{Cost}}{\partial \theta_1} = \frac{1}{2m} \sum_{i=1}^{m} 2(h_\theta(x^{(i)}) - "
        r"y^{(i)}) \cdot \frac{\partial}{\partial \theta_1} (h_\theta(x^{(i)}) - y^{(i)}) \]" + "\n\n"
        "Since ∂/∂θ₁(h_θ(x⁽ⁱ⁾) - y⁽ⁱ⁾) = x⁽ⁱ⁾, this simplifies to:\n\n"
        rf"\[ \frac{{\partial \text{{Cost}}}}{{\partial \theta_1}} = {theta1} \]" + "\n"
    )


def _mark(truth: bool) -> str:
    return "✓" if truth else "✗"


@pytest.mark.parametrize("kind", sorted(_THETA0_SIDES))
def test_d6_by_theta0(kind: str) -> None:
    side, value = _THETA0_SIDES[kind]
    _, marks, report = verify_marks(_d6(side, _THETA1_SIDES["right"][0]), "linear")
    truth = close(value, GRAD1[0])
    assert truth == (kind == "right")  # the oracle tells the mutants apart
    assert marks[17] == _mark(truth), report
    assert marks[25] == "✓", report  # the θ₁ row is right
    assert all(marks[line] == "✓" for line in (7, 13, 21)), report  # the rows before: all right
    assert "one feature (n = 1)" in report.splitlines()[0]


@pytest.mark.parametrize("kind", sorted(_THETA1_SIDES))
def test_d6_by_theta1(kind: str) -> None:
    side, value = _THETA1_SIDES[kind]
    code, marks, report = verify_marks(_d6(_THETA0_SIDES["right"][0], side), "linear")
    truth = close(value, GRAD1[1])
    assert truth == (kind == "right")
    assert marks[25] == _mark(truth), report
    assert code == (0 if truth else 1)


def test_d6_a_wrong_rewrite_of_the_cost_is_caught() -> None:
    text = _d6(_THETA0_SIDES["right"][0], _THETA1_SIDES["right"][0]).replace(
        r"\[ \text{Cost} = \frac{1}{2m} \sum_{i=1}^{m} (h_\theta(x^{(i)}) - y^{(i)})^2 \]",
        r"\[ \text{Cost} = \frac{1}{m} \sum_{i=1}^{m} (h_\theta(x^{(i)}) - y^{(i)})^2 \]",
    )
    wrong = np.sum((H - YS) ** 2) / M
    assert not np.isclose(wrong, _cost1(T))
    _, marks, report = verify_marks(text, "linear")
    assert marks[7] == "✗", report


def _d4(theta0: str, theta1: str, step1: str = r"\theta_0+\theta_1x^{(i)}-y^{(i)}") -> str:
    """CS229 notes (shuhanyu), as written: ∂/∂θ_j J(θ₀,θ₁), then the rows for j = 0 and j = 1."""
    return (
        "Gradient Descent for Linear Regression (Stanford CS229)\n\nDerivative term of $\\theta_j$\n\n"
        r"$$\frac{\partial}{\partial\theta_j}J(\theta_0,\theta_1)=\frac{\partial}{\partial\theta_j}\frac{1}{2m}"
        r"\sum_{i=1}^m(h_{\theta}(x^{(i)})-y^{(i)})^2$$" + "\n"
        rf"$$=\frac{{\partial}}{{\partial\theta_j}}\frac{{1}}{{2m}}\sum_{{i=1}}^m({step1})^2\tag{{1}}$$" + "\n\n"
        "for $j=0,$\n"
        rf"$$\frac{{\partial}}{{\partial\theta_0}}J(\theta_0,\theta_1)={theta0}\tag{{1.1}}$$" + "\n\n"
        "for $j=1,$\n"
        rf"$$\frac{{\partial}}{{\partial\theta_1}}J(\theta_0,\theta_1)={theta1}\tag{{1.2}}$$" + "\n"
    )


_D4_THETA0 = r"\frac{1}{m}\sum_{i=1}^m(h_{\theta}(x^{(i)})-y^{(i)})*1"
_D4_THETA1 = r"\frac{1}{m}\sum_{i=1}^m(h_{\theta}(x^{(i)})-y^{(i)})*x^{(i)}"


def test_d4_as_written_holds() -> None:
    assert close(np.sum(H - YS) / M, GRAD1[0]) and close(np.sum((H - YS) * XS) / M, GRAD1[1])
    code, marks, report = verify_marks(_d4(_D4_THETA0, _D4_THETA1), "linear")
    assert code == 0, report
    assert [marks[line] for line in (5, 6, 9, 12)] == ["✓"] * 4, report


def test_d4_theta1_row_without_x_fails() -> None:
    assert not close(np.sum(H - YS) / M, GRAD1[1])
    _, marks, report = verify_marks(_d4(_D4_THETA0, _D4_THETA1.replace("*x^{(i)}", "")), "linear")
    assert marks[12] == "✗" and marks[9] == "✓", report


def test_d4_theta0_row_with_x_fails() -> None:
    assert not close(np.sum((H - YS) * XS) / M, GRAD1[0])
    _, marks, report = verify_marks(_d4(_D4_THETA0.replace("*1", "*x^{(i)}"), _D4_THETA1), "linear")
    assert marks[9] == "✗" and marks[12] == "✓", report


def test_d4_general_j_row_with_a_wrong_h_fails() -> None:
    """Row (1) with θ₁ dropped from h: wrong at j = 0 and j = 1 (its derivative by θ₁ is 0)."""
    wrong = lambda t: float(np.sum((t[0] - YS) ** 2) / (2 * M))  # noqa: E731
    assert not close(central_differences(wrong, T), GRAD1)
    _, marks, report = verify_marks(_d4(_D4_THETA0, _D4_THETA1, step1=r"\theta_0-y^{(i)}"), "linear")
    assert marks[6] == "✗", report


# --- V01: ∂J/∂θ₀ with x₀⁽ⁱ⁾ = 1 (θ₀ the intercept) -----------------------------------------------------------

N = 3
A = np.hstack([np.ones((M, 1)), RNG.normal(size=(M, N - 1))])  # x_0 = 1
Y01 = np.array([0.0, 1.0] * (M // 2))
TH = RNG.normal(size=N)
LAM = 0.7


def _logistic_l2(t: np.ndarray, a: np.ndarray = A) -> float:
    h = sigmoid(a @ t)
    return float(-np.mean(Y01 * np.log(h) + (1 - Y01) * np.log(1 - h)) + LAM / (2 * M) * np.sum(t[1:] ** 2))


_V01 = (
    r"The regularised logistic cost is $J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}\log h_\theta(x^{(i)}) + "
    r"(1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right] + \frac{\lambda}{2m}\sum_{j=1}^n \theta_j^2$. Its partial "
    "derivatives are\n$$\\frac{\\partial J}{\\partial\\theta_0} = \\frac{1}{m}\\sum_{i=1}^m (h_\\theta(x^{(i)}) - "
    "y^{(i)}) \\quad\\text{and}\\quad \\frac{\\partial J}{\\partial\\theta_j} = GENERAL$$\n"
    "where $h_\\theta(x) = \\sigma(\\theta^T x)$.OTHER\n"
)
_RIGHT_J = r"\frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)} + \frac{\lambda}{m}\theta_j"
_DROPPED_J = r"\frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) + \frac{\lambda}{m}\theta_j"


def test_v01_theta0_without_x0_holds() -> None:
    g = central_differences(_logistic_l2, TH)
    h = sigmoid(A @ TH)
    assert close(np.mean(h - Y01), g[0])
    assert close(A.T @ (h - Y01) / M + LAM / M * np.r_[0, TH[1:]], g)  # the general row, j ≥ 1 (θ₀ not penalised)
    _, _, report = verify_marks(_V01.replace("GENERAL", _RIGHT_J).replace("OTHER", ""))
    assert "✓ step 2 (line 2)" in report, report  # the ∂J/∂θ₀ row (the θ_j row after it is not asserted: j = 0?)
    assert "x₀⁽ⁱ⁾ = 1" in report


_PLAIN = _V01.replace(r" + \frac{\lambda}{2m}\sum_{j=1}^n \theta_j^2", "").replace("regularised ", "")


@pytest.mark.parametrize("dropped", (False, True))
def test_v01_general_row_dropping_x_j_fails(dropped: bool) -> None:
    """Without the penalty: the θ_j row keeping x_j holds at every j, the one dropping it (right at j = 0 only) not."""
    assert "lambda" not in _PLAIN
    plain = lambda t: _logistic_l2(t) - LAM / (2 * M) * np.sum(t[1:] ** 2)  # noqa: E731
    g = central_differences(plain, TH)
    h = sigmoid(A @ TH)
    written = np.full(N, np.mean(h - Y01)) if dropped else A.T @ (h - Y01) / M
    truth = close(written, g)
    assert truth == (not dropped)
    general = (_DROPPED_J if dropped else _RIGHT_J).replace(r" + \frac{\lambda}{m}\theta_j", "")
    code, _, report = verify_marks(_PLAIN.replace("GENERAL", general).replace("OTHER", ""))
    assert "✓ step 2 (line 2)" in report, report
    assert f"{_mark(truth)} step 3 (line 2)" in report, report
    assert code == (0 if truth else 1), report


def test_v01_x0_given_another_value_is_not_one() -> None:
    """The text sets x₀⁽ⁱ⁾ = 0.5: then ∂J/∂θ₀ is (1/m)Σ(h − y)·0.5, and the row without x₀ is wrong."""
    half = A.copy()
    half[:, 0] = 0.5
    g = central_differences(lambda t: _logistic_l2(t, half), TH)
    assert not close(np.mean(sigmoid(half @ TH) - Y01), g[0])
    text = _V01.replace("GENERAL", _RIGHT_J).replace("OTHER", " Here $x_0^{(i)} = 0.5$ for every example.")
    code, _, report = verify_marks(text)
    assert code == 1 and "✓ step 2" not in report, report


# --- D7: "\ \ \ =" continues the chain --------------------------------------------------------------------------


def test_alignment_spaces_continue_the_chain() -> None:
    text = (
        "$J(\\theta) = \\frac{1}{2m}\\sum_{i=1}^m (\\theta^T x^{(i)} - y^{(i)})^2$\n"
        "$\\ \\ \\ \\ \\ = \\frac{1}{2m}(X\\theta - y)^T(X\\theta - y)$\n"
    )
    _, marks, report = verify_marks(text, "linear")
    assert "unknown command" not in report and marks.get(2) == "✓", report
    wrong = text.replace("(X\\theta - y)^T(X\\theta - y)", "(X\\theta + y)^T(X\\theta + y)")
    _, marks, report = verify_marks(wrong, "linear")
    assert marks.get(2) == "✗", report


# --- D2 (IvanHalim): ∂/∂θ before (1 − y⁽ⁱ⁾) log(1 − h) is of the whole product ----------------------------------

XL = np.hstack([np.ones((M, 1)), RNG.normal(size=(M, N - 1))])


def _terms(t: np.ndarray, c: float = -1.0) -> tuple[float, float]:
    h = sigmoid(XL @ t)
    return float(np.sum(Y01 * np.log(h))), float(np.sum((1 + c * Y01) * np.log(1 - h)))


_D2 = (
    "$$J(\\theta) = -\\frac{1}{m} \\sum_{i=1}^m[y^{(i)}\\log(h_\\theta(x^{(i)})) + (1 - y^{(i)})\\log(1 - "
    "h_\\theta(x^{(i)}))]$$\n\nWe differentiate it.\n\n$\n\\begin{align}\n"
    "\\frac{\\partial}{\\partial\\theta_j}J(\\theta) &= -\\frac{1}{m}\\sum_{i=1}^m\\left[\\frac{\\partial}{\\partial"
    "\\theta_j}y^{(i)}\\log(h_\\theta(x^{(i)}))+\\frac{\\partial}{\\partial\\theta_j}(1SIGNy^{(i)})\\log(1-h_\\theta"
    "(x^{(i)}))\\right] \\\\\n"
    "&= -\\frac{1}{m}\\sum_{i=1}^m\\left[\\frac{y^{(i)}}{h_\\theta(x^{(i)})}\\frac{\\partial}{\\partial\\theta_j}"
    "h_\\theta(x^{(i)})-\\frac{1-y^{(i)}}{1-h_\\theta(x^{(i)})}\\frac{\\partial}{\\partial\\theta_j}h_\\theta(x^{(i)})"
    "\\right]\n\\end{align}\n$\n"
)


@pytest.mark.parametrize("sign", ("-", "+"))
def test_d2_derivative_of_the_whole_product(sign: str) -> None:
    """Linearity row: right with (1 − y), wrong with (1 + y) (a real slip), decided by central differences."""
    c = -1.0 if sign == "-" else 1.0
    cost = lambda t: -(sum(_terms(t)) / M)  # noqa: E731
    first = lambda t: _terms(t, c)[0]  # noqa: E731
    second = lambda t: _terms(t, c)[1]  # noqa: E731
    written = -(central_differences(first, TH) + central_differences(second, TH)) / M
    truth = close(written, central_differences(cost, TH))
    assert truth == (sign == "-")
    _, marks, report = verify_marks(_D2.replace("SIGN", sign), "logistic")
    assert marks[7] == _mark(truth), report
    if truth:
        assert marks[8] == "✓", report  # the next row, checked against a row read as written


def test_d2_ellipsis_in_z_is_theta_transpose_x() -> None:
    """z = θ₀ + θ₁x₁ + θ₂x₂ + …. then ∂z/∂θ₁ = x₁ (right) and ∂z/∂θ₁ = x₂ (a slip)."""
    text = (
        "$$z = \\theta_0 + \\theta_1 x_1 + \\theta_2 x_2 + ....$$\n\nTherefore,\n\n"
        "$$\\frac{\\partial}{\\partial\\theta_0}z = 1$$\n\nAnd,\n\n$$\\frac{\\partial}{\\partial\\theta_1}z = WHAT$$\n"
    )
    _, marks, report = verify_marks(text.replace("WHAT", "x_1"), "logistic")
    assert (marks[5], marks[9]) == ("✓", "✓"), report
    _, marks, report = verify_marks(text.replace("WHAT", "x_2"), "logistic")
    assert marks[9] == "✗", report


def test_sum_from_zero_is_diagnosed() -> None:
    text = _D2.split("\n\n")[0].replace("\\sum_{i=1}^m", "\\sum_{i=0}^m") + "\n"
    report = str(verify_text(text + "\nWhere $x_0$ is 1 and z = $\\theta_0 + \\theta_1 x_1$.\n", hypothesis="logistic"))
    assert "✗ step 1" in report and "the sum over i starts at 0" in report, report


# --- D3 (amanai): \begin{array} rows are checked; \cdots is an ellipsis --------------------------------------------

_D3_ARRAY = (
    "\\[\\begin{array}{c} \\log h_{\\theta}\\left(x^{(i)}\\right)=\\log \\frac{1}{1+e^{-\\theta x^{(i)}}}=-\\log "
    "\\left(1+e^{-\\theta x^{(i)}}\\right) \\\\ \\log \\left(1-h_{\\theta}\\left(x^{(i)}\\right)\\right)=\\log "
    "\\left(1-\\frac{1}{1+e^{-\\theta x^{(i)}}}\\right)=-\\theta x^{(i)}-\\log \\left(1+e^{-\\theta x^{(i)}}\\right)"
    " \\end{array}\\]\n"
)


@pytest.mark.parametrize("slip", (False, True))
def test_d3_array_rows_are_checked(slip: bool) -> None:
    z = XL @ TH
    h = sigmoid(z)
    written = (-z if not slip else z) - np.log(1 + np.exp(-z))
    truth = close(written, np.log(1 - h))
    assert truth == (not slip)
    text = _D3_ARRAY if not slip else _D3_ARRAY.replace("=-\\theta x^{(i)}-\\log", "=\\theta x^{(i)}-\\log")
    _, _, report = verify_marks(text, "logistic")
    assert report.count("✓ step") == (4 if truth else 3) and report.count("✗ step") == (0 if truth else 1), report


def test_cdots_is_called_an_ellipsis() -> None:
    text = (
        "$$J(\\theta) = \\frac{1}{2m}\\left[(\\theta^T x^{(1)} - y^{(1)})^2 + \\cdots + "
        "(\\theta^T x^{(m)} - y^{(m)})^2\\right]$$\n"
    )
    _, _, report = verify_marks(text, "linear")
    assert "did you mean" not in report and "ellipsis" in report, report


# --- D5 (notebook.community): the definition h_w(x) = w_0 + w_1 x is a definition, never ✗ -------------------------


def test_d5_definition_of_h_in_w_is_not_checked_against_the_model() -> None:
    text = (
        "Hypothesis function for univariate data $h_\\mathbf{w}(x) = w_0 + w_1 x$ with parameters "
        "$\\mathbf{w}=(w_0, w_1)$\nGiven $n$ data points, the goal is to minimize the cost given below:\n"
    )
    _, marks, report = verify_marks(text, "linear")
    assert marks[1] != "✗" and "✗" not in report, report


def test_w_notation_with_a_second_feature_is_not_one_feature() -> None:
    """w_0 + w_1 x_1 + w_2 x_2: two features, so the row by w_2 stays checked by the model (right: x_2 kept)."""
    text = "$$J(w) = \\frac{1}{2m}\\sum_{i=1}^m (w_0 + w_1 x^{(i)} + w_2 x_2^{(i)} - y^{(i)})^2$$\n"
    report = str(verify_text(text, hypothesis="linear"))
    assert "one feature" not in report, report
