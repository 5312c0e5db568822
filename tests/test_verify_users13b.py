r"""verify on tester 12's texts, round 2.

1. a ``\propto`` row was dropped from the chain, so a wrong one (θ_j where x_j belongs, x_j missing) ended
   "3 steps: 3 hold", exit 0: it is now checked as a = c·b for one positive constant c.
2. with x₀⁽ⁱ⁾ = 1 said, ∂J/∂θ_j = (1/m)Σ(h − y)x_j failed at j = 0 (x_j drawn at j = 0, x₀ = 1 inside θᵀx); and
   ∂J/∂θ₀ = (1/m)Σ(h − y) "for the intercept" failed with x₀ drawn at random.
3. f_{w,b}(x) = wx + b of one feature: the definition got ✗ (read as h_θ) and x⁽ⁱ⁾ "not understood".
4. a⁽ⁱ⁾ = σ(z⁽ⁱ⁾) with an undefined L⁽ⁱ⁾: L was read as the loss of an undefined ŷ, so ∂L/∂a was 0.
5. \begin{cases} … & j = 0 \\ … & j \geq 1 \end{cases} and ``\qquad \text{for } j = 0`` were refused.

Which row of each text is right is decided here by NumPy central differences on random numbers, never by the tool:
a row a ∝ b is right when a/b is one positive number on several random data sets and θ.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli

RNG = np.random.default_rng(1313)
M, P = 6, 3
_STEP = re.compile(r"^(✓|✗|\?|:=) step \d+ \(line (\d+)\)", re.MULTILINE)


def _cli(tmp_path, text: str, *options: str):
    """(exit code, {line: mark}, output) of ``derivation verify`` on ``text``."""
    path = tmp_path / "derivation.md"
    path.write_text(text)
    done = run_cli("verify", str(path), *options)
    return done.returncode, {int(line): mark for mark, line in _STEP.findall(done.stdout)}, done.stdout + done.stderr


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _data(labels: str):
    xs = RNG.normal(size=(M, P))
    y = RNG.integers(0, 2, size=M).astype(float) if labels == "01" else RNG.normal(size=M)
    return xs, y, RNG.normal(size=P) * 0.5


def _costs():
    return {
        "linear": (lambda xs, y, t: np.sum((xs @ t - y) ** 2) / (2 * len(y)), "real"),
        "linear-mean": (lambda xs, y, t: np.mean((xs @ t - y) ** 2), "real"),
        "logistic": (
            lambda xs, y, t: -np.mean(y * np.log(_sigmoid(xs @ t)) + (1 - y) * np.log(1 - _sigmoid(xs @ t))),
            "01",
        ),
    }


# the right side of the ∝ row, written in NumPy (one entry per feature j)
_RIGHTS = {
    "residual-x": lambda xs, y, t: xs.T @ (xs @ t - y),
    "residual-theta": lambda xs, y, t: np.sum(xs @ t - y) * t,
    "residual": lambda xs, y, t: np.full(P, np.sum(xs @ t - y)),
    "minus-residual-x": lambda xs, y, t: -(xs.T @ (xs @ t - y)),
    "sigma-x": lambda xs, y, t: xs.T @ (_sigmoid(xs @ t) - y),
    "two-sigma-x": lambda xs, y, t: 2 * xs.T @ (_sigmoid(xs @ t) - y),
}
_LATEX = {
    "residual-x": r"\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)x_j^{(i)}",
    "residual-theta": r"\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)\theta_j",
    "residual": r"\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)",
    "minus-residual-x": r"-\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)x_j^{(i)}",
    "sigma-x": r"\sum_{i=1}^m \left(\sigma(\theta^T x^{(i)}) - y^{(i)}\right)x_j^{(i)}",
    "two-sigma-x": r"2\sum_{i=1}^m \left(\sigma(\theta^T x^{(i)}) - y^{(i)}\right)x_j^{(i)}",
}
_COST_LATEX = {
    "linear": r"J(\theta) = \frac{1}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2",
    "linear-mean": r"J(\theta) = \frac{1}{m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2",
    "logistic": r"J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}\log \sigma(\theta^T x^{(i)}) + "
    r"(1 - y^{(i)})\log(1 - \sigma(\theta^T x^{(i)}))\right]",
}


def _proportional(cost: str, right: str) -> bool:
    """The oracle: ∂J/∂θ_j / right_j one positive number over features and over five random data sets and θ."""
    f, labels = _costs()[cost]
    ratios = []
    for _ in range(5):
        xs, y, t = _data(labels)
        gradient = central_differences(lambda th, xs=xs, y=y: f(xs, y, th), t)
        ratios += list(gradient / _RIGHTS[right](xs, y, t))
    ratios = np.array(ratios)
    return bool(np.all(ratios > 0) and np.ptp(ratios) < 1e-5 * np.abs(ratios).max())


_CASES = [
    ("linear", "residual-x"),
    ("linear", "residual-theta"),
    ("linear", "residual"),
    ("linear", "minus-residual-x"),
    ("linear-mean", "residual-x"),
    ("logistic", "sigma-x"),
    ("logistic", "two-sigma-x"),
    ("logistic", "residual-x"),
]


@pytest.mark.parametrize(("cost", "right"), _CASES)
def test_a_proportional_row_is_checked_as_one_positive_constant_times(tmp_path, cost: str, right: str) -> None:
    expected = _proportional(cost, right)
    text = (
        f"The cost is ${_COST_LATEX[cost]}$.\n$$\n\\begin{{aligned}}\n"
        f"\\frac{{\\partial J(\\theta)}}{{\\partial \\theta_j}} &\\propto {_LATEX[right]}\n"
        "\\end{aligned}\n$$\n"
    )
    code, marks, out = _cli(tmp_path, text)
    assert marks.get(4) == ("✓" if expected else "✗"), out
    assert code == (0 if expected else 1), out
    if expected:
        assert "a ∝ b read as a = c·b for one positive constant c" in out


@pytest.mark.parametrize(
    ("row", "line"),
    [
        (r"&\propto \sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)\theta_j", 5),  # tester 12's v88
        (r"&\propto \sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)x_j^{(i)}", None),
    ],
)
def test_tester12_v88_a_wrong_proportional_row_after_a_chain_is_not_passed(tmp_path, row: str, line) -> None:
    right = "residual-theta" if line else "residual-x"
    assert _proportional("linear", right) is (line is None)  # the oracle agrees with the case's expectation
    text = (
        r"Linear regression, $h_\theta(x) = \theta^T x$, cost "
        r"$J(\theta) = \frac{1}{2m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})^2$." + "\n$$\n\\begin{aligned}\n"
        r"\frac{\partial J(\theta)}{\partial \theta_j} &= \frac{1}{m}\sum_{i=1}^m "
        r"\left(\theta^T x^{(i)} - y^{(i)}\right)x_j^{(i)} \\" + f"\n{row}\n\\end{{aligned}}\n$$\n"
    )
    code, marks, out = _cli(tmp_path, text, "--hypothesis", "linear")
    if line is None:
        assert code == 0 and marks.get(5) == "✓", out
    else:
        assert code == 1 and marks.get(5) == "✗", out
        assert "1 fails" in out.splitlines()[-1]


def test_tester12_v91_proportional_on_one_line_drops_x_j(tmp_path) -> None:
    assert not _proportional("linear", "residual")
    text = (
        r"Linear regression, $h_\theta(x) = \theta^T x$, cost "
        r"$J(\theta) = \frac{1}{2m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})^2$." + "\n"
        r"$$\frac{\partial J(\theta)}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m \left(\theta^T x^{(i)} - "
        r"y^{(i)}\right)x_j^{(i)} \propto \sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)$$" + "\n"
    )
    code, marks, out = _cli(tmp_path, text, "--hypothesis", "linear")
    assert code == 1 and marks.get(2) == "✗", out


def test_a_proportional_row_then_equalities_goes_on_from_the_proportional_side(tmp_path) -> None:
    assert _proportional("linear-mean", "residual-x")
    text = (
        f"Cost ${_COST_LATEX['linear-mean']}$.\n$$\n\\begin{{aligned}}\n"
        r"\frac{\partial J(\theta)}{\partial \theta_j} &\propto " + _LATEX["residual-x"] + r" \\" + "\n"
        r"&= \sum_{i=1}^m x_j^{(i)}\left(\theta^T x^{(i)} - y^{(i)}\right) \\" + "\n"
        r"&= \sum_{i=1}^m x_j^{(i)}\left(y^{(i)} - \theta^T x^{(i)}\right)" + "\n\\end{aligned}\n$$\n"
    )
    code, marks, out = _cli(tmp_path, text)
    assert (code, marks.get(4), marks.get(5), marks.get(6)) == (1, "✓", "✓", "✗"), out


# --- 2. x₀⁽ⁱ⁾ = 1: the general row and the intercept's row use the same column of ones ------------------------------

_V80 = (
    r"For logistic regression, $h_\theta(x) = \sigma(\theta^T x)$ and, as derived in class," + "\n"
    r"$$\frac{\partial J(\theta)}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m \left(h_\theta(x^{(i)}) - "
    r"y^{(i)}\right)GENERAL$$" + "\n"
    r"SENTENCE" + "\n"
    r"$$\frac{\partial J(\theta)}{\partial \theta_0} = \frac{1}{m}\sum_{i=1}^m \left(h_\theta(x^{(i)}) - "
    r"y^{(i)}\right)INTERCEPT$$" + "\n"
)


def _logistic_truth(ones: bool) -> dict[str, bool]:
    """Which rows hold, by central differences of the logistic cost on data whose x₀ is 1 (or drawn)."""
    f, _ = _costs()["logistic"]
    xs, y, t = _data("01")
    if ones:
        xs[:, 0] = 1.0
    gradient = central_differences(lambda th: f(xs, y, th), t)
    residual = _sigmoid(xs @ t) - y
    return {
        "general x_j": np.allclose(gradient, xs.T @ residual / M, atol=1e-7),
        "general none": np.allclose(gradient, np.full(P, residual.mean()), atol=1e-7),
        "intercept none": np.isclose(gradient[0], residual.mean(), atol=1e-7),
        "intercept x_1": np.isclose(gradient[0], residual @ xs[:, 1] / M, atol=1e-7),
    }


_ROWS = {"x_j": r"x_j^{(i)}", "none": "", "x_1": r"x_1^{(i)}"}


@pytest.mark.parametrize(
    ("sentence", "general", "intercept"),
    [
        ("For the intercept, $x_0^{(i)} = 1$, so", "x_j", "none"),  # tester 12's v80: both hold
        ("For the intercept, $x_0^{(i)} = 1$, so", "x_j", "x_1"),  # the intercept's row with x_1: wrong
        ("For the intercept, $x_0^{(i)} = 1$, so", "none", "none"),  # x_j dropped from the general row: wrong
        ("and for the intercept", "x_j", "none"),  # tester 12's v80c: no x₀ sentence, θ₀ the intercept
        ("and for the intercept", "x_j", "x_1"),
    ],
)
def test_tester12_v80_x0_is_one_for_both_rows(tmp_path, sentence: str, general: str, intercept: str) -> None:
    truth = _logistic_truth(ones=True)
    expected = (truth[f"general {general}"], truth[f"intercept {intercept}"])
    text = _V80.replace("SENTENCE", sentence).replace("GENERAL", _ROWS[general]).replace("INTERCEPT", _ROWS[intercept])
    code, marks, out = _cli(tmp_path, text, "--hypothesis", "logistic")
    assert (marks.get(2), marks.get(4)) == tuple("✓" if ok else "✗" for ok in expected), out
    assert code == (0 if all(expected) else 1), out


def test_without_an_intercept_theta0_is_a_weight_like_any_other(tmp_path) -> None:
    truth = _logistic_truth(ones=False)
    assert truth["general x_j"] and not truth["intercept none"]
    text = (
        _V80.replace("SENTENCE", "There is no intercept: $x_0^{(i)}$ is a feature like the others, and")
        .replace("GENERAL", _ROWS["x_j"])
        .replace("INTERCEPT", "")
    )
    code, marks, out = _cli(tmp_path, text, "--hypothesis", "logistic")
    assert code == 1 and marks.get(2) == "✓" and marks.get(4) == "✗", out


# --- 3. the Specialization's week 1: f_{w,b}(x⁽ⁱ⁾) = w x⁽ⁱ⁾ + b with one feature, x⁽ⁱ⁾ a number ----------------------


def _wb_truth() -> dict[str, float]:
    """∂J/∂w and ∂J/∂b of J(w, b) = (1/2m)Σ(w x⁽ⁱ⁾ + b − y⁽ⁱ⁾)² by central differences, and the rows' values."""
    xs, y = RNG.normal(size=M), RNG.normal(size=M)
    w, b = RNG.normal(size=2)

    def cost(p):
        return np.sum((p[0] * xs + p[1] - y) ** 2) / (2 * M)

    dw, db = central_differences(cost, np.array([w, b]))
    r = w * xs + b - y
    return {"dw": dw, "db": db, "r x": np.mean(r * xs), "r": np.mean(r)}


_WB = (
    r"Univariate linear regression with $f_{w,b}(x) = wx + b$ and" + "\n"
    r"$$J(w,b) = \frac{1}{2m}\sum_{i=1}^m \left(f_{w,b}(x^{(i)}) - y^{(i)}\right)^2$$" + "\n"
    r"The partial derivatives are" + "\n"
    r"$$\frac{\partial J(w,b)}{\partial w} = \frac{1}{2m}\sum_{i=1}^m 2\left(wx^{(i)} + b - y^{(i)}\right)x^{(i)} = "
    r"\frac{1}{m}\sum_{i=1}^m \left(f_{w,b}(x^{(i)}) - y^{(i)}\right)DW$$" + "\n"
    r"$$\frac{\partial J(w,b)}{\partial b} = \frac{1}{2m}\sum_{i=1}^m 2\left(wx^{(i)} + b - y^{(i)}\right) = "
    r"\frac{1}{m}\sum_{i=1}^m \left(f_{w,b}(x^{(i)}) - y^{(i)}\right)DB$$" + "\n"
)


@pytest.mark.parametrize(
    ("dw", "db", "options"),
    [
        ("x", "", ()),  # tester 12's v81: every row holds
        ("x", "", ("--hypothesis", "linear")),  # v81b
        ("x", "x", ()),  # v82: ∂J/∂b carries x⁽ⁱ⁾, wrong at line 5's last row
        ("", "", ()),  # ∂J/∂w without its x⁽ⁱ⁾: wrong at line 4's last row
    ],
)
def test_tester12_v81_scalar_f_wb_of_one_feature(tmp_path, dw: str, db: str, options: tuple) -> None:
    truth = _wb_truth()
    right_dw = np.isclose(truth["dw"], truth["r x" if dw else "r"], atol=1e-7)
    right_db = np.isclose(truth["db"], truth["r x" if db else "r"], atol=1e-7)
    text = _WB.replace("DW", "x^{(i)}" if dw else "").replace("DB", "x^{(i)}" if db else "")
    code, _, out = _cli(tmp_path, text, *options)
    steps = re.findall(r"^(✓|✗|\?|:=) step (\d+)", out, re.MULTILINE)
    got = {int(number): mark for mark, number in steps}
    assert got.get(1) == ":=" and got.get(2) == ":=", out  # f_{w,b}(x) = wx + b and J(w, b): definitions
    assert (got.get(3), got.get(5)) == ("✓", "✓"), out
    assert (got.get(4), got.get(6)) == ("✓" if right_dw else "✗", "✓" if right_db else "✗"), out
    assert code == (0 if right_dw and right_db else 1), out


# --- 5. the regularised gradient by cases of j, as courses print it (\begin{cases}, \text{for } j = 0) ---


def _ridge_truth() -> dict[str, bool]:
    """Which rows of the ridge gradient hold, by central differences of (1/2m)Σ(θᵀx − y)² + (λ/2m)Σ_{j≥1} θ_j²."""
    xs, y, t = _data("real")
    lam = 0.7

    def cost(th):
        return np.sum((xs @ th - y) ** 2) / (2 * M) + lam / (2 * M) * np.sum(th[1:] ** 2)

    gradient = central_differences(cost, t)
    plain = xs.T @ (xs @ t - y) / M
    return {
        "plain at 0": np.isclose(gradient[0], plain[0], atol=1e-7),
        "penalised from 1": np.allclose(gradient[1:], plain[1:] + lam / M * t[1:], atol=1e-7),
        "penalised at 0": np.isclose(gradient[0], plain[0] + lam / M * t[0], atol=1e-7),
        "plain from 1": np.allclose(gradient[1:], plain[1:], atol=1e-7),
    }


_RIDGE = (
    r"Ridge regression (bias $\theta_0$ not penalised):" + "\n"
    r"$$J(\theta) = \frac{1}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2 + "
    r"\frac{\lambda}{2m}\sum_{j=1}^n \theta_j^2$$" + "\nHence\n$$\n\\begin{aligned}\n"
    r"\frac{\partial J(\theta)}{\partial \theta_j} &= \begin{cases}FIRST & j = 0\\ SECOND & j \geq 1\end{cases}"
    + "\n\\end{aligned}\n$$\n"
)
_PLAIN = r"\frac{1}{m}\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)x_j^{(i)}"
_PENALISED = _PLAIN + r" + \frac{\lambda}{m}\theta_j"


@pytest.mark.parametrize("swapped", [False, True])  # tester 12's v28 (right) and v29 (the two cases swapped)
def test_tester12_v28_cases_by_j_are_read_as_one_gradient(tmp_path, swapped: bool) -> None:
    truth = _ridge_truth()
    first, second = (_PENALISED, _PLAIN) if swapped else (_PLAIN, _PENALISED)
    if swapped:
        expected = truth["penalised at 0"] and truth["plain from 1"]
    else:
        expected = truth["plain at 0"] and truth["penalised from 1"]
    text = _RIDGE.replace("FIRST", first).replace("SECOND", second)
    code, marks, out = _cli(tmp_path, text, "--hypothesis", "ridge")
    assert marks.get(6) == ("✓" if expected else "✗"), out
    assert code == (0 if expected else 1), out


_EX2 = (
    r"The regularized cost function in logistic regression is" + "\n"
    r"$$J(\theta) = \frac{1}{m}\sum_{i=1}^m \left[-y^{(i)}\log(h_\theta(x^{(i)})) - "
    r"(1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right] + \frac{\lambda}{2m}\sum_{j=1}^n \theta_j^2$$" + "\n"
    r"Note that you should not regularize the parameter $\theta_0$. The gradient is" + "\n"
    r"$$\frac{\partial J(\theta)}{\partial \theta_0} = \frac{1}{m}\sum_{i=1}^m \left(h_\theta(x^{(i)}) - y^{(i)}\right)"
    r"ZERO \qquad \text{for } j = 0$$" + "\n"
    r"$$\frac{\partial J(\theta)}{\partial \theta_j} = \left(\frac{1}{m}\sum_{i=1}^m \left(h_\theta(x^{(i)}) - "
    r"y^{(i)}\right)x_j^{(i)}\right) + \frac{\lambda}{m}\theta_j \qquad \text{for } j \geq 1$$" + "\n"
)


@pytest.mark.parametrize("zero", [r"x_j^{(i)}", r"x_1^{(i)}"])  # tester 12's v85, and the j = 0 row with x_1: wrong
def test_tester12_v85_for_j_equals_0_is_the_rows_condition(tmp_path, zero: str) -> None:
    f, _ = _costs()["logistic"]
    xs, y, t = _data("01")
    lam = 0.7
    gradient = central_differences(lambda th: f(xs, y, th) + lam / (2 * M) * np.sum(th[1:] ** 2), t)
    column = 0 if zero == r"x_j^{(i)}" else 1  # the row at j = 0: x_j is x_0
    expected = np.isclose(gradient[0], (_sigmoid(xs @ t) - y) @ xs[:, column] / M, atol=1e-7)
    code, marks, out = _cli(tmp_path, _EX2.replace("ZERO", zero), "--hypothesis", "logistic-l2")
    assert marks.get(4) == ("✓" if expected else "✗") and marks.get(5) == "✓", out
    assert code == (0 if expected else 1), out


# --- 4. deep-learning notation: a⁽ⁱ⁾ = σ(z⁽ⁱ⁾) and an undefined L⁽ⁱ⁾, the loss of that a⁽ⁱ⁾ ---

_DL = (
    r"Let $z^{(i)} = \theta^T x^{(i)}$ and $a^{(i)} = \sigma(z^{(i)})$, with" + "\n"
    r"$J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}\log a^{(i)} + (1-y^{(i)})\log(1-a^{(i)})\right]$. "
    "By the chain rule,\n$$\n\\begin{aligned}\n"
    r"\frac{\partial J}{\partial \theta_j} &= \frac{1}{m}\sum_{i=1}^m \frac{\partial L^{(i)}}{\partial a^{(i)}}"
    r"\frac{\partial a^{(i)}}{\partial z^{(i)}}\frac{\partial z^{(i)}}{\partial \theta_j} \\" + "\n"
    r"&= \frac{1}{m}\sum_{i=1}^m \left(-\frac{y^{(i)}}{a^{(i)}} SIGN \frac{1-y^{(i)}}{1-a^{(i)}}\right)"
    r"a^{(i)}\left(1-a^{(i)}\right)x_j^{(i)} \\" + "\n"
    r"&= \frac{1}{m}\sum_{i=1}^m \left(a^{(i)} - y^{(i)}\right)x_j^{(i)}" + "\n\\end{aligned}\n$$\n"
)


@pytest.mark.parametrize("sign", ["+", "-"])  # tester 12's v94 (right) and v95 (∂L/∂a with a wrong sign)
def test_tester12_v94_the_loss_of_a_is_the_loss_of_the_texts_a(tmp_path, sign: str) -> None:
    f, _ = _costs()["logistic"]
    xs, y, t = _data("01")
    gradient = central_differences(lambda th: f(xs, y, th), t)
    a = _sigmoid(xs @ t)
    written = (-y / a + (1 if sign == "+" else -1) * (1 - y) / (1 - a)) * a * (1 - a) @ xs / M
    expected = np.allclose(gradient, written, atol=1e-7)
    assert np.allclose(gradient, (a - y) @ xs / M, atol=1e-7)  # the chain-rule row and the last row hold
    code, marks, out = _cli(tmp_path, _DL.replace("SIGN", sign), "--hypothesis", "logistic")
    assert (marks.get(5), marks.get(6)) == ("✓", "✓" if expected else "✗"), out
    assert code == (0 if expected else 1), out
