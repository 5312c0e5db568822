r"""verify on tester 13's and review 10's texts (session 30).

1. A step true only for the model's own labels: the cross-entropy written as the logistic loss of the ±1 label
   2y − 1, Goodfellow's softplus((1 − 2y)θᵀx), the ±1 gradient written with (1 + y)/2.  verify sampled y in
   (0.05, 0.95) and marked them ✗ even under --hypothesis logistic (labels 0/1), logistic-pm1 (±1) or --cost with
   --labels.  A step that fails at such labels is now checked again at the model's labels and, where it holds there,
   holds "for y ∈ {0, 1} (the model's labels)".  The same step under a model of real labels stays ✗, and so does
   every slip that is wrong at binary labels too (y and 1 − y swapped, the factor 2 of 2y − 1 dropped, the inner
   derivative lost).
2. ζ(x) = log(1 + e^x) defined in the text and applied to ((1 − 2y⁽ⁱ⁾)θᵀx⁽ⁱ⁾): read as the call (it was the product
   ζ·(1 − 2y)θᵀx).

Which row of each text is right is decided here by NumPy on random data, never by the tool: a row of J is compared
with the cost computed directly, a row of ∂J/∂θ_j with central differences of that cost, with labels of the model's
kind (0/1, ±1, or real numbers).
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from verdicts import close, sigmoid, verify_fast

from derivation.derive.costs import model_from_cost
from derivation.proof.verifier import verify_text

RNG = np.random.default_rng(1730)
M, P = 7, 4  # examples, columns of the data a = X (x_0 = 1)


def _data(labels: str):
    a = np.hstack([np.ones((M, 1)), RNG.normal(size=(M, P - 1))])
    theta = RNG.normal(size=P)
    if labels == "01":
        y = np.array([0.0, 1.0] * (M // 2) + [1.0] * (M % 2))
    elif labels == "pm1":
        y = np.array([-1.0, 1.0] * (M // 2) + [1.0] * (M % 2))
    else:
        y = RNG.uniform(0.05, 0.95, size=M)
    return theta, a, RNG.permutation(y)


def _ce(theta, a, y):  # logistic's J, labels 0/1
    h = sigmoid(a @ theta)
    return -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))


def _pm1(theta, a, y):  # logistic-pm1's J, labels ±1
    return np.mean(np.log1p(np.exp(-y * (a @ theta))))


def _softplus(u):
    return np.log1p(np.exp(u))


def _truth(rows, cost, labels: str, gradient: bool) -> list[str]:
    """The mark of each step rows[k−1] = rows[k]: ✓ where the two rows agree on three datasets, rows[0] the cost (or
    its central-difference gradient)."""
    marks = []
    values = []
    for _ in range(3):
        theta, a, y = _data(labels)
        first = central_differences(lambda t, a=a, y=y: cost(t, a, y), theta) if gradient else cost(theta, a, y)
        values.append([first, *(row(theta, a, y) for row in rows[1:])])
    for k in range(1, len(rows)):
        marks.append("✓" if all(close(v[k - 1], v[k]) for v in values) else "✗")
    return marks


def _marks(report, chain: int) -> list[str]:
    return [{"holds": "✓", "fails": "✗"}.get(str(s.status), "?") for s in report.steps if s.chain == chain]


CE = (
    r"-\frac{1}{m}\sum_{i=1}^m\left[y^{(i)}\log\sigma(\theta^Tx^{(i)}) + (1-y^{(i)})\log\left(1-\sigma(\theta^Tx^{(i)})"
    r"\right)\right]"
)
PM1_COST = r"\frac{1}{m}\sum_{i=1}^m \log\left(1 + e^{-y^{(i)}\theta^Tx^{(i)}}\right)"


def _pm1_form(sign_of):
    return lambda theta, a, y: np.mean(_softplus(-sign_of(y) * (a @ theta)))


# --- 1a. J = the cross-entropy = the logistic loss of the ±1 label (tester 13's v36) and its slips --------------

PM1_FORMS = {  # the exponent's label as written, and the same in NumPy
    "2y^{(i)} - 1": lambda y: 2 * y - 1,  # v36: right for y ∈ {0, 1}
    "1 - 2y^{(i)}": lambda y: 1 - 2 * y,  # y and 1 − y swapped: wrong at 0/1 labels too
    "y^{(i)} - 1": lambda y: y - 1,  # the factor 2 dropped
}


@pytest.mark.parametrize("written", list(PM1_FORMS))
@pytest.mark.parametrize("how", ["hypothesis", "cost", "cost-real"])
def test_cross_entropy_as_pm1_loss(written, how):
    text = (
        r"For labels $y^{(i)} \in \{0, 1\}$ the cross-entropy is the logistic loss of the $\pm 1$ label "
        r"$2y^{(i)} - 1$:" + "\n\n$$J(\\theta) = " + CE + r" = \frac{1}{m}\sum_{i=1}^m\log\left(1 + e^{-("
        + written + r")\theta^Tx^{(i)}}\right)$$" + "\n"
    )  # fmt: skip
    labels = "real" if how == "cost-real" else "01"
    if how == "hypothesis":
        report = verify_fast(text, "logistic")
    else:
        model = model_from_cost(CE, "theta", latex=True, labels=labels)
        report = verify_text(text, hypothesis=model, explain=False, rules=False)
    rows = [_ce, _ce, _pm1_form(PM1_FORMS[written])]
    expected = _truth(rows, _ce, labels, gradient=False)
    assert _marks(report, 1) == expected, str(report)
    last = report.steps[-1]
    if expected[-1] == "✓":
        assert last.scope == "for y ∈ {0, 1} (the model's labels)"
        assert "holds for y ∈ {0, 1} (the model's labels)" in str(report)
    assert report.exit_code == (0 if expected == ["✓", "✓"] else 1)


# --- 1b. the ±1 gradient written with (1 + y)/2 (v37), under logistic-pm1 and under --cost --labels pm1 -----------

PM1_GRADIENTS = {
    r"\frac{1 + y^{(i)}}{2}": lambda y: (1 + y) / 2,  # v37: right for y = ±1
    r"\frac{1 - y^{(i)}}{2}": lambda y: (1 - y) / 2,  # the label's sign turned
    r"(1 + y^{(i)})": lambda y: 1 + y,  # the 1/2 dropped
}


@pytest.mark.parametrize("written", list(PM1_GRADIENTS))
@pytest.mark.parametrize("how", ["hypothesis", "cost"])
def test_pm1_gradient_in_01_form(written, how):
    text = (
        r"With labels $y^{(i)} \in \{-1, +1\}$ and $J(\theta) = " + PM1_COST + "$,\n\n"
        r"$$\frac{\partial J}{\partial \theta_j} = -\frac{1}{m}\sum_{i=1}^m y^{(i)}x_j^{(i)}\,"
        r"\sigma\left(-y^{(i)}\theta^Tx^{(i)}\right) = \frac{1}{m}\sum_{i=1}^m\left(\sigma(\theta^Tx^{(i)}) - "
        + written + r"\right)x_j^{(i)}$$" + "\n"
    )  # fmt: skip
    if how == "hypothesis":
        report = verify_fast(text, "logistic-pm1")
    else:
        model = model_from_cost(PM1_COST, "theta", latex=True, labels="pm1")
        report = verify_text(text, hypothesis=model, explain=False, rules=False)
    shift = PM1_GRADIENTS[written]
    rows = [
        _pm1,
        lambda t, a, y: -(a.T @ (y * sigmoid(-y * (a @ t)))) / M,
        lambda t, a, y: a.T @ (sigmoid(a @ t) - shift(y)) / M,
    ]
    expected = _truth(rows, _pm1, "pm1", gradient=True)
    assert _marks(report, 2) == expected, str(report)
    if expected[-1] == "✓":
        assert report.steps[-1].scope == "for y ∈ {−1, +1} (the model's labels)"


# --- 1c. Goodfellow's softplus((1 − 2y)θᵀx), as \operatorname{softplus} (v33) and as ζ defined in the text (v28) -----

SOFTPLUS_GRADIENTS = {
    r"\sigma\left((1 - 2y^{(i)})\theta^Tx^{(i)}\right)(1 - 2y^{(i)})x_j^{(i)}": True,  # right
    r"\sigma\left((1 - 2y^{(i)})\theta^Tx^{(i)}\right)x_j^{(i)}": False,  # v29: inner derivative (1 − 2y) lost
}


def _softplus_cost(theta, a, y):
    return np.mean(_softplus((1 - 2 * y) * (a @ theta)))


@pytest.mark.parametrize("middle", list(SOFTPLUS_GRADIENTS))
@pytest.mark.parametrize("name", ["operatorname", "zeta"])
def test_softplus_cost_and_gradient(middle, name):
    if name == "zeta":
        head = (
            r"Goodfellow et al. write the logistic loss with the softplus $\zeta(x) = \log(1 + e^x)$ and labels "
            r"$y \in \{0, 1\}$:" + "\n\n"
        )
        applied = r"\zeta"
    else:
        head = r"With the softplus and labels $y \in \{0, 1\}$:" + "\n\n"
        applied = r"\operatorname{softplus}"
    text = (
        head + r"$$J(\theta) = \frac{1}{m}\sum_{i=1}^{m}" + applied + r"\left((1 - 2y^{(i)})\theta^Tx^{(i)}\right)$$"
        + "\n\n" + r"$$\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m}" + middle
        + r" = \frac{1}{m}\sum_{i=1}^{m}\left(\sigma(\theta^Tx^{(i)}) - y^{(i)}\right)x_j^{(i)}$$" + "\n"
    )  # fmt: skip
    report = verify_fast(text, "logistic")
    chains = sorted({s.chain for s in report.steps})
    cost_rows = [_ce, _softplus_cost]
    inner = (lambda y: 1 - 2 * y) if SOFTPLUS_GRADIENTS[middle] else (lambda y: 1)
    grad_rows = [
        _ce,
        lambda t, a, y: a.T @ (sigmoid((1 - 2 * y) * (a @ t)) * inner(y)) / M,
        lambda t, a, y: a.T @ (sigmoid(a @ t) - y) / M,
    ]
    assert _marks(report, chains[-2]) == _truth(cost_rows, _ce, "01", gradient=False), str(report)
    expected = _truth(grad_rows, _ce, "01", gradient=True)
    assert _marks(report, chains[-1]) == expected, str(report)
    first = report.first_failure
    assert (first is None) == ("✗" not in expected)
    if first is not None:  # v29 was blamed on the right cost row (line 3); the slip is line 7's
        assert first.chain == chains[-1]


# --- 1d. no model's labels, no second chance: a regression identity true only for 0/1 labels stays ✗ -------------


def test_real_labels_stay_wrong():
    text = (
        r"$$J(\theta) = \frac{1}{2m}\sum_{i=1}^m\left(\theta^Tx^{(i)} - y^{(i)}\right)^2 = "
        r"\frac{1}{2m}\sum_{i=1}^m\left((\theta^Tx^{(i)})^2 - 2y^{(i)}\theta^Tx^{(i)} + y^{(i)}\right)$$" + "\n"
    )

    def mse(t, a, y):
        return np.mean((a @ t - y) ** 2) / 2

    rows = [mse, mse, lambda t, a, y: np.mean((a @ t) ** 2 - 2 * y * (a @ t) + y) / 2]
    expected = _truth(rows, mse, "real", gradient=False)
    assert expected == ["✓", "✗"]
    for hypothesis in ("linear", None):
        report = verify_fast(text, hypothesis)
        assert _marks(report, 1) == expected, str(report)


# --- 2. "Setting it to zero:", "At the minimum the gradient vanishes:" (review 10's X1): rows checked at θ* ----------

PHRASES = [
    "Setting it to zero:",
    "At the minimum the gradient vanishes:",
    r"We set it equal to zero and solve for $\theta$:",
]
LINEAR_ROWS = {  # an align row after the phrase, and its two sides in NumPy at θ (X, y the data)
    r"\nabla J(\theta) &= 0": (lambda t, a, y: a.T @ (a @ t - y) / len(y), lambda t, a, y: 0 * t),
    r"\frac{1}{m}X^T(X\theta + y) &= 0": (lambda t, a, y: a.T @ (a @ t + y) / len(y), lambda t, a, y: 0 * t),
    r"X^T X\theta &= X^T y": (lambda t, a, y: a.T @ a @ t, lambda t, a, y: a.T @ y),
    r"X^T X\theta &= -X^T y": (lambda t, a, y: a.T @ a @ t, lambda t, a, y: -a.T @ y),
    r"\theta &= (X^T X)^{-1}X^T y": (lambda t, a, y: t, lambda t, a, y: np.linalg.solve(a.T @ a, a.T @ y)),
    r"\theta &= 2(X^T X)^{-1}X^T y": (lambda t, a, y: t, lambda t, a, y: 2 * np.linalg.solve(a.T @ a, a.T @ y)),
}
ALIGNS = [
    (r"\nabla J(\theta) &= 0", r"X^T X\theta &= X^T y", r"\theta &= (X^T X)^{-1}X^T y"),
    (r"\frac{1}{m}X^T(X\theta + y) &= 0", r"X^T X\theta &= X^T y", r"\theta &= (X^T X)^{-1}X^T y"),
    (r"\nabla J(\theta) &= 0", r"X^T X\theta &= -X^T y"),
    (r"\nabla J(\theta) &= 0", r"X^T X\theta &= X^T y", r"\theta &= 2(X^T X)^{-1}X^T y"),
]


def _at_minimiser(row: str) -> str:
    """✓ where the row's sides agree at the least-squares θ* of three datasets (NumPy's lstsq), else ✗."""
    left, right = LINEAR_ROWS[row]
    for _ in range(3):
        _, a, y = _data("real")
        star = np.linalg.lstsq(a, y, rcond=None)[0]
        if not close(left(star, a, y), right(star, a, y)):
            return "✗"
    return "✓"


@pytest.mark.parametrize("phrase", PHRASES)
@pytest.mark.parametrize("rows", ALIGNS, ids=range(len(ALIGNS)))
def test_rows_after_setting_to_zero(phrase, rows):
    text = (
        r"For linear regression $J(\theta) = \frac{1}{2m}\|X\theta - y\|^2$, the gradient is "
        r"$\nabla J(\theta) = \frac{1}{m}X^T(X\theta - y)$. " + phrase + "\n\n\\begin{align*}\n"
        + " \\\\\n".join(rows) + "\n\\end{align*}\n"
    )  # fmt: skip
    report = verify_fast(text)
    expected = [_at_minimiser(row) for row in rows]
    lines = {s.line: s for s in report.steps}
    marks = [{"holds": "✓", "fails": "✗"}.get(str(lines[4 + k].status), "?") for k in range(len(rows))]
    wrong = [k for k, mark in enumerate(expected) if mark == "✗"]
    if not wrong:
        assert marks == expected, str(report)
        assert report.exit_code == 0
    else:  # the first wrong row is ✗ (a later row may be refused as following from it); never a ✓ on a wrong row
        assert marks[wrong[0]] == "✗", str(report)
        assert all(marks[k] != "✓" for k in wrong), str(report)
        assert marks[: wrong[0]] == expected[: wrong[0]], str(report)


def test_logistic_setting_it_to_zero():
    """A06: Xᵀσ(Xθ) = Xᵀy after "Setting it to zero" holds at the minimiser (NumPy's Newton steps find it)."""
    _, a, y = _data("01")
    t = np.zeros(a.shape[1])
    for _ in range(50):
        h = sigmoid(a @ t)
        t -= np.linalg.solve(a.T @ (a * (h * (1 - h))[:, None]) + 1e-12 * np.eye(len(t)), a.T @ (h - y))
    assert close(a.T @ sigmoid(a @ t), a.T @ y) and not close(a.T @ sigmoid(a @ t), -a.T @ y)
    head = (
        r"For logistic regression $J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}\log h_\theta(x^{(i)}) + "
        r"(1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right]$ with $h_\theta(x) = \sigma(\theta^T x)$, the gradient is "
        r"$\nabla J(\theta) = \frac{1}{m}X^T(\sigma(X\theta) - y)$. Setting it to zero:" + "\n\n\\begin{align*}\n"
        r"\nabla J(\theta) &= 0 \\" + "\n"
    )
    right = verify_fast(head + "X^T\\sigma(X\\theta) &= X^T y\n\\end{align*}\n")
    assert right.exit_code == 0, str(right)
    wrong = verify_fast(head + "X^T\\sigma(X\\theta) &= -X^T y\n\\end{align*}\n")
    assert str(wrong.steps[-1].status) != "holds", str(wrong)


# --- 4. two equations in one display joined by \quad\text{and}\quad (review 10's R1): each read and checked ---------

LOGISTIC_COST = (
    r"J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}\log h_\theta(x^{(i)}) + "
    r"(1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right]"
)
PARTIALS = {  # a right side as written, and its entries in NumPy (θ₀'s only, or every j)
    r"\frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})x_0^{(i)}": lambda t, a, y: a.T @ (sigmoid(a @ t) - y) / M,
    r"\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})x_0^{(i)}": lambda t, a, y: a.T @ (sigmoid(a @ t) - y),
    r"\frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}": lambda t, a, y: a.T @ (sigmoid(a @ t) - y) / M,
    r"\frac{1}{m}\sum_{i=1}^m (y^{(i)} - h_\theta(x^{(i)})) x_j^{(i)}": lambda t, a, y: a.T @ (y - sigmoid(a @ t)) / M,
}
FIRSTS = [r for r in PARTIALS if "x_0" in r]
SECONDS = [r for r in PARTIALS if "x_j" in r]


@pytest.mark.parametrize("first", FIRSTS)
@pytest.mark.parametrize("second", SECONDS)
@pytest.mark.parametrize("display", ["$$", "align"])
def test_two_equations_joined_by_and(first, second, display):
    pair = (
        r"\frac{\partial J}{\partial\theta_0} " + ("&" if display == "align" else "") + "= " + first
        + r" \quad\text{and}\quad \frac{\partial J}{\partial\theta_j} = " + second
    )  # fmt: skip
    shown = f"$$\n{pair}\n$$" if display == "$$" else "\\begin{align*}\n" + pair + "\n\\end{align*}"
    text = f"The logistic cost is ${LOGISTIC_COST}$ with $h_\\theta(x) = \\sigma(\\theta^T x)$. Its partial derivatives are\n{shown}\n"  # noqa: E501
    report = verify_fast(text)
    truths = []
    for row, entries in ((first, slice(0, 1)), (second, slice(None))):
        ok = True
        for _ in range(3):
            t, a, y = _data("01")
            grad = central_differences(lambda s, a=a, y=y: _ce(s, a, y), t)
            ok = ok and close(grad[entries], PARTIALS[row](t, a, y)[entries])
        truths.append("✓" if ok else "✗")
    by_line = [s for s in report.steps if s.line == 3]
    assert [{"holds": "✓", "fails": "✗"}.get(str(s.status), "?") for s in by_line] == truths, str(report)
    assert report.exit_code == (0 if truths == ["✓", "✓"] else 1)


# --- 3. softmax differentiated at class c, the loss summed over k (review 10's X2 S08): Σ_k runs over the classes -----

SOFTMAX_ROWS = {  # a right side of ∂L/∂z_c, and the same in NumPy (p the softmax, y labels summing to 1)
    r"-\sum_k y_k (\delta_{kc} - p_c)": lambda p, y, c: -np.sum(y * ((np.arange(len(p)) == c) - p[c])),
    r"-\sum_k y_k (\delta_{kc} - p_k)": lambda p, y, c: -np.sum(y * ((np.arange(len(p)) == c) - p)),
    r"p_c - y_c": lambda p, y, c: p[c] - y[c],
    r"y_c - p_c": lambda p, y, c: y[c] - p[c],
}


@pytest.mark.parametrize("middle", [r for r in SOFTMAX_ROWS if "sum" in r])
@pytest.mark.parametrize("last", [r for r in SOFTMAX_ROWS if "sum" not in r])
def test_softmax_class_c_summed_over_k(middle, last):
    text = (
        r"For one example with $p_c = \frac{e^{z_c}}{\sum_k e^{z_k}}$ and loss $L = -\sum_k y_k \log p_k$, where "
        r"$\sum_k y_k = 1$:" + "\n" + r"$$\frac{\partial L}{\partial z_c} = " + middle + " = " + last + "$$\n"
    )
    report = verify_fast(text)
    rows = [None, SOFTMAX_ROWS[middle], SOFTMAX_ROWS[last]]
    marks = []
    values = []
    for _ in range(3):
        z, raw = RNG.normal(size=5), RNG.uniform(0.05, 0.95, size=5)
        y = raw / raw.sum()

        def loss(v, y=y):
            return -np.sum(y * (v - np.log(np.sum(np.exp(v)))))

        grad = central_differences(loss, z)
        p = np.exp(z) / np.exp(z).sum()
        values.append([grad, *([row(p, y, c) for c in range(5)] for row in rows[1:])])
    for k in (1, 2):
        marks.append("✓" if all(close(np.array(v[k - 1]), np.array(v[k])) for v in values) else "✗")
    got = [{"holds": "✓", "fails": "✗"}.get(str(s.status), "?") for s in report.steps if s.line == 2]
    if marks[0] == "✗":  # a wrong middle row: ✗, and the last row never ✓ unless right against the middle
        assert got[0] == "✗", str(report)
    else:
        assert got == marks, str(report)


# --- 2b. "(2/m)Xᵀ(Xθ − y) = 0" after setting the gradient of J = (1/2m)Σ… to zero (review 10's F5): ⚠ 2∇J ---------


@pytest.mark.parametrize("factor", [r"\frac{2}{m}", r"\frac{1}{m}", ""])
def test_scaled_gradient_set_to_zero(factor):
    text = (
        r"For linear regression $J(\theta) = \frac{1}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2$." + "\n\n"
        "Setting the gradient of $J$ to zero:\n\n\\begin{align*}\n" + factor + r"X^T(X\theta - y) &= 0 \\" + "\n"
        r"X^T X\theta &= X^T y" + "\n\\end{align*}\n"
    )
    t, a, y = _data("real")
    grad = central_differences(lambda s: np.mean((a @ s - y) ** 2) / 2, t)
    written = {r"\frac{2}{m}": 2 / M, r"\frac{1}{m}": 1 / M, "": 1.0}[factor] * a.T @ (a @ t - y)
    ratio = written / grad
    assert np.allclose(ratio, ratio[0], rtol=1e-5)  # a multiple of ∇J: the same zero, so the rows hold at θ*
    report = verify_fast(text)
    assert report.exit_code == 0, str(report)
    warned = [w for _, w in report.warnings if "∇J, not ∇J" in w]
    if close(ratio[0], 1.0):
        assert not warned, str(report)
    elif close(ratio[0], 2.0):
        assert warned and warned[0].startswith("the left side is 2·∇J"), str(report)
    else:  # m·∇J (no 1/m): said as the factor m
        assert warned and warned[0].startswith("the left side is m·∇J"), str(report)
