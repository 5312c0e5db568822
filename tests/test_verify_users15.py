r"""verify on tester 11's texts that restate their own names, name a Hessian, or write x₀ = 1.

A second ``ℓ = …`` (``E = …``, ``h_θ(x) = …``) after "Hence" or "writing the sigmoid out" was read as a new
definition: a wrong restatement was not checked and replaced the first, so a derivation built on it got ✓ rc 0 (or
the right first line was blamed). It is a claim about the name the text defined first, which keeps ruling.
``H = (1/m)XᵀX`` after ∂²J/∂θ_j∂θ_k was a definition, not checked (rc 0 with S dropped): it is refused in words,
and ``H_{jk} = …`` is read as ∂²J/∂θ_j∂θ_k. "With x_0^{(i)} = 1" or a bare θ₀ beside θ₁x₁: the data have their
column of ones. Which line is right is decided here by NumPy central differences, never by the tool.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from verdicts import sigmoid, verify_marks

RNG = np.random.default_rng(15)
M, P = 6, 3
X = RNG.normal(size=(M, P))
ONES = np.column_stack([np.ones(M), X[:, 1:]])  # x₀⁽ⁱ⁾ = 1
Y = RNG.integers(0, 2, size=M).astype(float)
THETA = RNG.normal(size=P) * 0.5
_sigmoid, _verify = sigmoid, verify_marks


def _first_wrong(marks: dict) -> int | None:
    return next((line for line, mark in sorted(marks.items()) if mark == "✗"), None)


def _log_likelihood(theta, data=X):  # ℓ(θ) = Σ[y log h + (1 − y) log(1 − h)]
    h = _sigmoid(data @ theta)
    return np.sum(Y * np.log(h) + (1 - Y) * np.log(1 - h))


ROUTE = (  # tester 11's v14 (right) / v47 (ℓ restated with e^{−θᵀx}, then differentiated consistently)
    "Start from the log-likelihood\n\n"
    r"$$\ell(\theta) = \sum_{i=1}^{m}\left[y^{(i)}\log h_\theta(x^{(i)}) + (1-y^{(i)})\log(1-h_\theta(x^{(i)}))"
    r"\right]$$"
    "\n"
    r"Hence, using $\log h = \theta^T x - \log(1+e^{\theta^T x})$ and $\log(1-h) = -\log(1+e^{\theta^T x})$,"
    "\n\n"
    r"$$\ell(\theta) = \sum_{i=1}^{m}\left[y^{(i)}\theta^T x^{(i)} - \log\left(1+e^{{s}\theta^T x^{(i)}}\right)"
    r"\right]$$"
    "\n"
    "Therefore\n\n"
    r"$$\frac{\partial \ell(\theta)}{\partial \theta_j} = \sum_{i=1}^{m}\left[y^{(i)}x_j^{(i)} {d}"
    r"x_j^{(i)}\right]$$"
    "\n"
    r"$$= \sum_{i=1}^{m}\left({f}\right)x_j^{(i)}$$"
    "\n"
)
ROUTE_RIGHT = {
    "{s}": "",
    "{d}": r"- \frac{e^{\theta^T x^{(i)}}}{1+e^{\theta^T x^{(i)}}}",
    "{f}": r"y^{(i)} - h_\theta(x^{(i)})",
}
ROUTE_WRONG = {
    "{s}": "-",
    "{d}": r"+ \frac{e^{-\theta^T x^{(i)}}}{1+e^{-\theta^T x^{(i)}}}",
    "{f}": r"y^{(i)} + 1 - h_\theta(x^{(i)})",
}


def _fill(text: str, parts: dict) -> str:
    for key, value in parts.items():
        text = text.replace(key, value)
    return text


def test_the_oracle_says_which_restatement_is_right():
    h, t = _sigmoid(X @ THETA), X @ THETA
    assert np.isclose(_log_likelihood(THETA), np.sum(Y * t - np.log1p(np.exp(t))))  # v14's line 6
    assert not np.isclose(_log_likelihood(THETA), np.sum(Y * t - np.log1p(np.exp(-t))), rtol=1e-3)  # v47's
    numeric = central_differences(_log_likelihood, THETA)
    assert np.allclose(numeric, X.T @ (Y - h), rtol=1e-6)  # v14's lines 9, 10
    assert not np.allclose(numeric, X.T @ (Y + 1 - h), rtol=1e-3)  # v47's line 10


def test_a_restated_name_is_a_claim_about_its_first_definition():
    code, marks, out = _verify(_fill(ROUTE, ROUTE_RIGHT))
    assert code == 0 and marks.get(6) == "✓" and set(marks.values()) <= {"✓", ":="}, out
    code, marks, out = _verify(_fill(ROUTE, ROUTE_WRONG))  # was ✓ rc 0: line 6 "a definition: not checked"
    assert code == 1 and _first_wrong(marks) == 6 and marks.get(9) == "✗", out


E_TEXT = (  # tester 11's v60 (E restated wrongly, the rest consistent with it) and its right twin
    r"$$E(\theta) = -\frac{1}{m}\sum_{i=1}^{m}\left[y^{(i)}\log\sigma(\theta^T x^{(i)}) + (1-y^{(i)})"
    r"\log(1-\sigma(\theta^T x^{(i)}))\right]$$"
    "\nSimplifying the logarithms,\n\n"
    r"$$E(\theta) = \frac{1}{m}\sum_{i=1}^{m}\left[\log\left(1+e^{{s}\theta^T x^{(i)}}\right) - {y}\theta^T x^{(i)}"
    r"\right]$$"
    "\nso\n\n"
    r"$$\frac{\partial E}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m}\left(\sigma(\theta^T x^{(i)}) {c}"
    r"- y^{(i)}\right)x_j^{(i)}$$"
    "\n"
)


def test_a_restated_own_cost_e_is_checked_too():
    t = X @ THETA
    assert np.isclose(-_log_likelihood(THETA) / M, np.mean(np.log1p(np.exp(t)) - Y * t))
    assert not np.isclose(-_log_likelihood(THETA) / M, np.mean(np.log1p(np.exp(-t)) - Y * t), rtol=1e-3)
    numeric = central_differences(lambda th: -_log_likelihood(th) / M, THETA)
    assert np.allclose(numeric, X.T @ (_sigmoid(t) - Y) / M, rtol=1e-6)
    code, marks, out = _verify(_fill(E_TEXT, {"{s}": "", "{y}": "y^{(i)}", "{c}": ""}))
    assert code == 0 and marks.get(4) == "✓" and marks.get(7) == "✓", out
    code, marks, out = _verify(_fill(E_TEXT, {"{s}": "-", "{y}": "y^{(i)}", "{c}": "- 1"}))  # was ✓ rc 0
    assert code == 1 and _first_wrong(marks) == 4 and marks.get(7) == "✗", out


H_TEXT = (  # tester 11's v62: h_θ(x) = σ(θᵀx) first, then "writing the sigmoid out" wrongly (e^{θᵀx})
    r"Logistic regression: $h_\theta(x) = \sigma(\theta^T x)$ and"
    "\n\n"
    r"$$J(\theta) = -\frac{1}{m}\sum_{i=1}^{m}\left[y^{(i)}\log h_\theta(x^{(i)}) + (1-y^{(i)})"
    r"\log(1-h_\theta(x^{(i)}))\right]$$"
    "\n"
    r"Writing the sigmoid out, $h_\theta(x) = \frac{1}{1+e^{{s}\theta^T x}}$, so $\frac{\partial h_\theta(x)}"
    r"{\partial \theta_j} = {d}h_\theta(x)(1-h_\theta(x))x_j$ and"
    "\n\n"
    r"$$\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m}\left({f}\right)x_j^{(i)}$$"
    "\n"
)


def test_a_later_h_does_not_replace_the_first_one():
    row = X[0]
    assert not np.isclose(_sigmoid(row @ THETA), 1 / (1 + np.exp(row @ THETA)))  # line 4's h is not σ(θᵀx)
    dh = central_differences(lambda th: _sigmoid(row @ th), THETA)
    assert np.allclose(dh, _sigmoid(row @ THETA) * (1 - _sigmoid(row @ THETA)) * row, rtol=1e-6)
    numeric = central_differences(lambda th: -_log_likelihood(th) / M, THETA)
    assert not np.allclose(numeric, X.T @ (Y - _sigmoid(X @ THETA)) / M, rtol=1e-3)  # line 6's (y − h)
    code, marks, out = _verify(_fill(H_TEXT, {"{s}": "-", "{d}": "", "{f}": r"h_\theta(x^{(i)}) - y^{(i)}"}))
    assert code == 0 and set(marks.values()) <= {"✓", ":="}, out
    code, marks, out = _verify(_fill(H_TEXT, {"{s}": "", "{d}": "-", "{f}": r"y^{(i)} - h_\theta(x^{(i)})"}))
    assert code == 1 and marks.get(1) == "✓" and _first_wrong(marks) == 4 and marks.get(6) == "✗", out  # was line 1


HESSIAN = (  # tester 11's v53 (the matrix form, S dropped) and v79 / v74 (entries, x_k lost)
    r"The gradient of the cost is $\frac{\partial J}{\partial\theta_j} = \frac{1}{m}\sum_{i=1}^{m}"
    r"(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}$. Differentiating once more,"
    "\n\n"
    r"$${left} = \frac{1}{m}\sum_{i=1}^{m} h_\theta(x^{(i)})\left(1-h_\theta(x^{(i)})\right)x_j^{(i)}{k}$$"
    "\n"
)


def _hessian():
    def gradient(theta):
        return X.T @ (_sigmoid(X @ theta) - Y) / M

    return np.column_stack([central_differences(lambda t, c=c: gradient(t)[c], THETA) for c in range(P)])


def test_the_hessian_by_its_entries_is_checked_and_in_matrix_form_refused():
    h = _sigmoid(X @ THETA)
    numeric = _hessian()
    assert np.allclose(numeric, X.T @ np.diag(h * (1 - h)) @ X / M, atol=1e-8)  # H_{jk}, and H = (1/m)XᵀSX
    assert not np.allclose(numeric, X.T @ X / M, atol=1e-3)  # S dropped (v53)
    assert not np.allclose(np.diag(numeric), X.T @ (h * (1 - h)) / M, atol=1e-3)  # x_k lost (v74)
    code, marks, out = _verify(_fill(HESSIAN, {"{left}": "H_{jk}", "{k}": "x_k^{(i)}"}))  # was ✗ (H read as data)
    assert code == 0 and marks.get(3) == "✓", out
    code, marks, out = _verify(_fill(HESSIAN, {"{left}": "H_{jk}", "{k}": ""}))
    assert code == 1 and marks.get(3) == "✗", out
    right = r"\frac{\partial^2 J}{\partial\theta_j\partial\theta_k}"
    for matrix in (r"\frac{1}{m}X^T X", r"\frac{1}{m}X^T S X"):  # v53 was rc 0: H = … "a definition: not checked"
        text = _fill(HESSIAN, {"{left}": right, "{k}": "x_k^{(i)}"}) + f"so in matrix form\n\n$$H = {matrix}$$\n"
        code, marks, out = _verify(text)
        assert code != 0 and marks.get(3) == "✓" and marks.get(6) == "?" and "Hessian" in out, out


BIAS = (  # tester 11's v69 (right) / v70 (∂J/∂θ₁ with no x₁): "with x_0^{(i)} = 1"
    r"With $h_\theta(x) = \sigma(\theta^T x)$ and $x_0^{(i)} = 1$, the bias component of the gradient is"
    "\n\n"
    r"$$\frac{\partial J}{\partial \theta_{j}} = \frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right)$$"
    "\n"
)
TWO = (  # tester 11's v10 (right) / v11 (x_1 for x_2): a bare θ₀ beside θ₁x₁
    r"With two features, $h_\theta(x) = \sigma(\theta_0 + \theta_1 x_1 + \theta_2 x_2)$ and the usual cross-entropy "
    r"$J(\theta)$."
    "\n\nFor the second weight:\n\n"
    r"$$\frac{\partial J(\theta)}{\partial \theta_2} = \frac{1}{m}\sum_{i=1}^{m}\left(\sigma(\theta_0 + \theta_1 "
    r"x_1^{(i)} + \theta_2 x_2^{(i)}) - y^{(i)}\right) x_{j}^{(i)}$$"
    "\n"
)


def test_x0_is_one_when_the_text_says_so_or_writes_a_bare_theta0():
    h = _sigmoid(ONES @ THETA)
    numeric = central_differences(lambda t: -_log_likelihood(t, ONES) / M, THETA)
    assert np.isclose(numeric[0], np.mean(h - Y), rtol=1e-6)  # ∂J/∂θ₀ = (1/m)Σ(h − y)
    assert not np.isclose(numeric[1], np.mean(h - Y), rtol=1e-3)  # ∂J/∂θ₁ ≠ it
    assert np.isclose(numeric[2], np.mean((h - Y) * ONES[:, 2]), rtol=1e-6)
    assert not np.isclose(numeric[2], np.mean((h - Y) * ONES[:, 1]), rtol=1e-3)
    code, marks, out = _verify(BIAS.replace("{j}", "0"))  # was ✗: x₀ sampled at random
    assert code == 0 and marks.get(3) == "✓" and "x₀⁽ⁱ⁾ = 1" in out, out
    code, marks, out = _verify(BIAS.replace("{j}", "1"))
    assert code == 1 and marks.get(3) == "✗", out
    code, marks, out = _verify(TWO.replace("{j}", "2"))  # was ✗
    assert code == 0 and marks.get(5) == "✓", out
    code, marks, out = _verify(TWO.replace("{j}", "1"))
    assert code == 1 and marks.get(5) == "✗", out


@pytest.mark.parametrize("said", [r"$x_0 = 1$", r"$x_0^{(i)} = 1$", r"$\theta_0 + \theta_1 x_1$"])
def test_the_column_of_ones_is_read_from_these_words(said):
    from derivation.proof.ones import ONES_SAID

    assert ONES_SAID.search(said) is not None
    assert ONES_SAID.search(r"$x_0 = 1.5$, $x_{01} = 1$, $\theta_0 = 0$") is None


L1 = (  # tester 11's v25 (right) / v26 (λθ_j for λ sign(θ_j)): "(away from θ_j = 0)" is where, not a definition
    r"$$J(\theta) = \frac{1}{2m}\sum_{i=1}^{m}(\theta^T x^{(i)} - y^{(i)})^2"
    r" + \frac{\lambda}{m}\sum_{j=1}^{n}|\theta_j|$$"
    "\n"
    r"For $j \geq 1$ (away from $\theta_j = 0$) the derivative is"
    "\n\n"
    r"$$\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m}(\theta^T x^{(i)} - y^{(i)})x_j^{(i)}"
    r" + \frac{\lambda}{m}{s}$$"
    "\n"
)
LAM = 0.7


def test_away_from_a_kink_is_a_condition_not_a_definition():
    def cost(theta):
        return np.sum((X @ theta - Y) ** 2) / (2 * M) + LAM / M * np.sum(np.abs(theta[1:]))

    numeric = central_differences(cost, THETA)[1:]  # j ≥ 1, θ_j away from 0
    smooth = (X.T @ (X @ THETA - Y) / M)[1:]
    assert np.allclose(numeric, smooth + LAM / M * np.sign(THETA[1:]), rtol=1e-6)
    assert not np.allclose(numeric, smooth + LAM / M * THETA[1:], rtol=1e-3)
    code, marks, out = _verify(L1.replace("{s}", r"\operatorname{sign}(\theta_j)"))  # was ✗ at line 4
    assert code == 0 and marks.get(4) == "✓" and 2 not in marks, out
    code, marks, out = _verify(L1.replace("{s}", r"\theta_j"))
    assert code == 1 and marks.get(4) == "✗", out


HINGE = (  # tester 11's v39 (right) / v40 (the indicator reversed): the text's own hinge J, not logistic's
    r"$$J(\theta) = \frac{1}{m}\sum_{i=1}^{m}\max\left(0, 1 - y^{(i)}\theta^T x^{(i)}\right)$$"
    "\nAway from the kink, so\n\n"
    r"$$\frac{\partial J}{\partial \theta_j} = -\frac{1}{m}\sum_{i=1}^{m}\mathbf{1}\left[{c}\right]y^{(i)}x_j^{(i)}$$"
    "\n"
)


def test_the_texts_own_hinge_cost_is_its_cost():
    labels = np.where(Y > 0, 1.0, -1.0)

    def hinge(theta):
        return np.mean(np.maximum(0, 1 - labels * (X @ theta)))

    margin = labels * (X @ THETA)
    assert np.all(np.abs(margin - 1) > 1e-3)  # away from the kink
    numeric = central_differences(hinge, THETA)
    assert np.allclose(numeric, -X.T @ ((margin < 1) * labels) / M, rtol=1e-6)
    assert not np.allclose(numeric, -X.T @ ((margin > 1) * labels) / M, rtol=1e-3)
    code, marks, out = _verify(HINGE.replace("{c}", r"y^{(i)}\theta^T x^{(i)} < 1"))  # was ✗ at line 1 (logistic)
    assert code == 0 and marks == {1: "✓", 4: "✓"}, out
    code, marks, out = _verify(HINGE.replace("{c}", r"y^{(i)}\theta^T x^{(i)} > 1"))
    assert code == 1 and marks == {1: "✓", 4: "✗"}, out
