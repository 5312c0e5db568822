"""``verify`` and ``check`` on the tester's third round of inputs written as users write them.

Menon's plain-text y = m x + c (m the slope, not the example count), a ridge derivation that ends by
"setting the gradient to zero" (an equation to solve, not an identity), …  Each ``*_ok`` is correct and
every step holds; each ``*_slip`` has one real slip and fails at that line.  Each verdict is also
confirmed by NumPy finite differences of the cost (the oracle has the last word).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from central import central_differences as fd_gradient

from derivation.proof import verify_text

DATA = Path(__file__).parent / "data" / "readers_users3"
RNG = np.random.default_rng(3)


def first_failure(name: str, hypothesis=None) -> tuple[int | None, object]:
    report = verify_text((DATA / name).read_text(), hypothesis=hypothesis, seed=0)
    assert all(step.status != "not understood" for step in report.steps), [s.unreadable for s in report.steps]
    assert all(step.status != "undecided" for step in report.steps), [s.verdict for s in report.steps]
    failed = [step.line for step in report.steps if step.status == "fails"]
    return (failed[0] if failed else None), report


# --- R4: y = m x + c, m the slope -------------------------------------------------------------------------


@pytest.mark.parametrize("hypothesis", [None, "linear-mean"])
@pytest.mark.parametrize(("name", "line"), [("menon_slope_ok.txt", None), ("menon_slope_slip.txt", 10)])
def test_slope_m_is_no_example_count(name, line, hypothesis):
    found, report = first_failure(name, hypothesis)
    assert found == line
    assert report.exit_code == (0 if line is None else 1)
    assert any("slope m" in words for s in report.steps for words in s.interpretations)


def test_slope_m_by_finite_differences():
    x, y = RNG.normal(size=7), RNG.normal(size=7)
    n = x.size

    def E(p):
        return np.mean((y - (p[0] * x + p[1])) ** 2)

    p = np.array([0.7, -0.3])
    fd = fd_gradient(E, p)
    d_m = (-2 / n) * np.sum(x * (y - (p[0] * x + p[1])))  # line 10 of the _ok text
    d_c = (-2 / n) * np.sum(y - (p[0] * x + p[1]))  # line 14
    np.testing.assert_allclose([d_m, d_c], fd, rtol=1e-6)
    slipped = (-1 / n) * np.sum(x * (y - (p[0] * x + p[1])))  # line 10 of the _slip text
    assert not np.isclose(slipped, fd[0], rtol=1e-3)


# --- X1: setting the gradient to zero --------------------------------------------------------------------

RIDGE_COST = r"\frac{1}{2}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2 + \frac{\lambda}{2}\sum_{j=0}^n \theta_j^2"


@pytest.mark.parametrize("cost", [False, True])
@pytest.mark.parametrize(("name", "line"), [("ridge_normal_ok.md", None), ("ridge_normal_slip.md", 9)])
def test_gradient_set_to_zero_is_an_equation(name, line, cost):
    from derivation.derive.costs import model_from_cost

    hypothesis = model_from_cost(RIDGE_COST, "theta", latex=True, labels=None) if cost else None
    found, report = first_failure(name, hypothesis)
    assert found == line
    condition = next(s for s in report.steps if s.line == 9 and s.status != "definition")
    assert "equation to solve" in condition.note
    if not cost:  # the text's own J(w), not the default logistic model
        assert report.hypothesis == "the text's cost"


def test_gradient_set_to_zero_by_finite_differences():
    X, y, lam = RNG.normal(size=(6, 3)), RNG.normal(size=6), 0.8

    def J(w):
        return 0.5 * np.sum((X @ w - y) ** 2) + lam / 2 * np.sum(w**2)

    w = RNG.normal(size=3)
    np.testing.assert_allclose(X.T @ (X @ w - y) + lam * w, fd_gradient(J, w), rtol=1e-6)  # line 5
    solved = np.linalg.solve(X.T @ X + lam * np.eye(3), X.T @ y)  # line 9: XᵀXw + λw = Xᵀy
    np.testing.assert_allclose(fd_gradient(J, solved), 0, atol=1e-6)
    slipped = np.linalg.solve(X.T @ X + 2 * lam * np.eye(3), X.T @ y)  # the slip: XᵀXw + 2λw = Xᵀy
    assert np.abs(fd_gradient(J, slipped)).max() > 1e-3


# --- R7: ∇θᵀAθ = 2Aθ for symmetric A, ∇θᵀb = b ------------------------------------------------------------


@pytest.mark.parametrize(("name", "line"), [("ols_rules_ok.md", None), ("ols_rules_slip.md", 7)])
def test_matrix_calculus_rules_with_own_letters(name, line):
    found, report = first_failure(name)
    assert found == line
    assert any("symmetric" in words for s in report.steps if s.line == 7 for words in s.interpretations)


def test_matrix_calculus_rules_by_finite_differences():
    B = RNG.normal(size=(4, 4))
    A, b, theta = B + B.T, RNG.normal(size=4), RNG.normal(size=4)
    fd = fd_gradient(lambda t: t @ A @ t, theta)
    np.testing.assert_allclose(fd, 2 * A @ theta, rtol=1e-6)  # line 7 of the _ok text
    assert not np.allclose(fd, A @ theta)  # the _slip text's Aθ
    np.testing.assert_allclose(fd_gradient(lambda t: t @ b, theta), b, rtol=1e-6)


# --- R5: e_i the text's own error term ----------------------------------------------------------------------


@pytest.mark.parametrize("hypothesis", [None, "linear"])
@pytest.mark.parametrize(("name", "line"), [("error_e_ok.md", None), ("error_e_slip.md", 7)])
def test_error_term_named_e(name, line, hypothesis):
    found, report = first_failure(name, hypothesis)
    assert found == line
    assert sum(s.status == "holds" for s in report.steps) >= 3


def test_error_term_named_e_by_finite_differences():
    X, y = RNG.normal(size=(5, 2)), RNG.normal(size=5)
    n = y.size

    def L(p):
        e = X @ p[:2] + p[2] - y
        return np.sum(e**2) / (2 * n)

    p = RNG.normal(size=3)
    e = X @ p[:2] + p[2] - y
    fd = fd_gradient(L, p)
    np.testing.assert_allclose(fd[2], np.sum(e) / n, rtol=1e-6)  # line 7 of the _ok text
    np.testing.assert_allclose(fd[:2], (e @ X) / n, rtol=1e-6)  # line 9
    assert not np.isclose(fd[2], 2 * np.sum(e) / n)  # the _slip text's 2/n


# --- R6: one example's true class y, 1{k = y} ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "line"), [("softmax_true_class_ok.md", None), ("softmax_true_class_slip.md", 7)])
def test_softmax_true_class_indicator(name, line):
    found, report = first_failure(name)
    assert found == line
    assert sum(s.status == "holds" for s in report.steps) == (3 if line is None else 2)


def test_softmax_true_class_by_finite_differences():
    z, label = RNG.normal(size=4), 2

    def L(v):
        return -(v[label] - np.log(np.sum(np.exp(v))))

    p = np.exp(z) / np.sum(np.exp(z))
    fd = fd_gradient(L, z)
    indicator = (np.arange(4) == label).astype(float)
    np.testing.assert_allclose(fd, p - indicator, rtol=1e-6)  # line 7 of the _ok text
    assert not np.allclose(fd, indicator - p)  # the _slip text's last side


# --- check: ∂MSE/∂w_j and ŷ_i under linear-mean (R8, R9), h_{\mathbf{w}} (R11), np.transpose (R13) -----------

MSE_GRAD = r"\frac{\partial %s}{\partial w_j} = -\frac{2}{N}\sum_{i=1}^{N} x_{ij}\,(y_i %s \hat{y}_i)"
H_W = (
    r"\frac{\partial J}{\partial \mathbf{w}} = "
    r"\frac{1}{m}\sum_{i=1}^{m}(h_{\mathbf{w}}(\mathbf{x}^{(i)}) %s y^{(i)})\mathbf{x}^{(i)}"
)
H_W_LINEAR = r" \quad \text{where } h_{\mathbf{w}}(\mathbf{x}) = \mathbf{w}^T\mathbf{x}"
TRANSPOSE = "%s @ (1 / (1 + np.exp(-X @ theta)) - y) / X.shape[%d]"


@pytest.mark.parametrize(
    ("model", "kind", "written", "status"),
    [
        ("linear-mean", "latex", MSE_GRAD % (r"\mathrm{MSE}", "-"), "correct"),
        ("linear-mean", "latex", MSE_GRAD % (r"\mathrm{MSE}", "+"), "incorrect"),  # y_i + ŷ_i
        ("linear-mean", "latex", MSE_GRAD % ("J", "-"), "correct"),
        ("linear-mean", "latex", MSE_GRAD % ("J", "+"), "incorrect"),
        ("logistic", "latex", H_W % "-", "correct"),
        ("logistic", "latex", H_W % "+", "incorrect"),  # h + y
        ("logistic", "latex", H_W % "-" + H_W_LINEAR, "incorrect"),  # where h_w(x) = wᵀx: not the model's
        ("logistic", "grad", TRANSPOSE % ("np.transpose(X)", 0), "correct"),
        ("logistic", "grad", TRANSPOSE % ("X.transpose()", 0), "correct"),
        ("logistic", "grad", TRANSPOSE % ("np.transpose(X)", 1), "incorrect"),  # / (n + 1) for / m
    ],
)
def test_check_reads_them(model, kind, written, status):
    from derivation.check import check_gradient

    report = check_gradient(model, **{kind: written})
    assert report.status == status, report.reason


def test_check_cases_by_finite_differences():
    X = np.hstack([np.ones((6, 1)), RNG.normal(size=(6, 2))])
    y, w = RNG.normal(size=6), RNG.normal(size=3)
    N = y.size
    fd = fd_gradient(lambda v: np.mean((y - X @ v) ** 2), w)
    np.testing.assert_allclose(-2 / N * X.T @ (y - X @ w), fd, rtol=1e-6)  # −(2/N) Σ x_ij (y_i − ŷ_i)
    assert not np.allclose(-2 / N * X.T @ (y + X @ w), fd)
    labels = (RNG.random(6) < 0.5).astype(float)

    def J(v):
        p = 1 / (1 + np.exp(-X @ v))
        return -np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))

    fd = fd_gradient(J, w)
    h = 1 / (1 + np.exp(-X @ w))
    np.testing.assert_allclose(X.T @ (h - labels) / N, fd, rtol=1e-6)  # h_w and np.transpose(X) ... / X.shape[0]
    assert not np.allclose(X.T @ (X @ w - labels) / N, fd)  # h_w(x) = wᵀx
    assert not np.allclose(X.T @ (h - labels) / X.shape[1], fd)  # / X.shape[1]
