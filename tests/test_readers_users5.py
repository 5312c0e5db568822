"""The tester's fifth round (tester4): ESL's β for the parameters in ``check --latex``, Bishop's Σ_n in ``--cost``.

Every right input has a one-slip twin; whether each is right is decided here by NumPy central finite differences
of the cost or by evaluating the cost in NumPy, never by the tool.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from central import central_differences as fd_gradient

from derivation.check import check_gradient
from derivation.cli import main
from derivation.core.notation import m, n, theta, x, y
from derivation.models.costs import read_cost, written_parameter

RNG = np.random.default_rng(5)
M, N = 6, 3
X = np.hstack([np.ones((M, 1)), RNG.normal(size=(M, N - 1))])
LABELS = (RNG.random(M) < 0.5).astype(float)
TARGETS = RNG.normal(size=M)
THETA = RNG.normal(size=N) * 0.5


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def loglik(v):
    p = sigmoid(X @ v)
    return np.sum(LABELS * np.log(p) + (1 - LABELS) * np.log(1 - p))


# --- 1. ESL's β: ∂ℓ(β)/∂β = Σ x_i (y_i − p(x_i; β)), read with β as θ and N as m ------------------------------

ESL = r"\frac{\partial \ell(\beta)}{\partial \beta%s} = "


@pytest.mark.parametrize(
    ("by", "right_side", "numpy"),
    [
        ("", r"\sum_{i=1}^{N} x_i (y_i - p(x_i;\beta))", lambda h: X.T @ (LABELS - h)),
        ("", r"\sum_{i=1}^{N} x_i (p(x_i;\beta) - y_i)", lambda h: X.T @ (h - LABELS)),
        ("_j", r"\sum_{i=1}^{N} x_{ij} (y_i - \sigma(x_i^T\beta))", lambda h: X.T @ (LABELS - h)),
        ("_j", r"\sum_{i=1}^{N} x_{ij} (y_i + \sigma(x_i^T\beta))", lambda h: X.T @ (LABELS + h)),
        ("", r"\mathbf{X}^T(\mathbf{y} - \mathbf{p})", lambda h: X.T @ (LABELS - h)),
        ("", r"\mathbf{X}^T(\mathbf{p} - \mathbf{y})", lambda h: X.T @ (h - LABELS)),
    ],
)
def test_esl_beta_is_theta(by, right_side, numpy):
    right = np.allclose(numpy(sigmoid(X @ THETA)), fd_gradient(loglik, THETA), rtol=1e-6)
    report = check_gradient("logistic-loglik", latex=ESL % by + right_side)
    assert report.status == ("correct" if right else "incorrect")


def test_beta_beside_theta_is_not_theta():
    """β where θ is written too is another letter: refused, not silently read as θ."""
    with pytest.raises(Exception, match=r"beta|β"):
        check_gradient(
            "logistic-loglik", latex=r"\frac{\partial \ell}{\partial \theta_j} = \sum_{i=1}^m \beta x_{ij} y_i"
        )


# --- 2. Bishop's Σ_{n=1}^{N} in --cost: t_n the labels, y_n = σ(wᵀφ_n), w with the bias in it -------------------

CROSS = (
    r"E(\mathbf{w}) = - \sum_{n=1}^{N} \{ t_n \ln y_n + (1 %s t_n) \ln (1 - y_n) \}, "
    r"\quad y_n = \sigma(\mathbf{w}^{\mathrm{T}}\boldsymbol{\phi}_n)"
)
SQUARES = (
    r"E_D(\mathbf{w}) = \frac{1}{2}\sum_{n=1}^{N}\{t_n %s \mathbf{w}^{\mathrm{T}}\boldsymbol{\phi}(\mathbf{x}_n)\}^2"
)


def _value(cost: sp.Expr, labels: np.ndarray, v: np.ndarray) -> float:
    """The read cost on this data, its sums done by SymPy and its entries put in by hand."""
    done = cost.subs({m: M, n: N - 1}).doit()
    entries = {a: X[int(a.indices[0]) - 1, int(a.indices[1])] for a in done.atoms(sp.Indexed) if a.base == x}
    entries |= {a: labels[int(a.indices[0]) - 1] for a in done.atoms(sp.Indexed) if a.base == y}
    entries |= {a: v[int(a.indices[0])] for a in done.atoms(sp.Indexed) if a.base == theta}
    return float(done.xreplace(entries))


def _cross(v, sign):
    p = sigmoid(X @ v)
    return -np.sum(LABELS * np.log(p) + (1 + sign * LABELS) * np.log(1 - p))


@pytest.mark.parametrize(
    ("text", "labels", "numpy", "right"),
    [
        (CROSS % "-", LABELS, lambda v: _cross(v, -1), True),
        (CROSS % "+", LABELS, lambda v: _cross(v, -1), False),
        (SQUARES % "-", TARGETS, lambda v: 0.5 * np.sum((TARGETS - X @ v) ** 2), True),
        (SQUARES % "+", TARGETS, lambda v: 0.5 * np.sum((TARGETS - X @ v) ** 2), False),
    ],
)
def test_bishop_cost_reads_as_written(text, labels, numpy, right):
    cost = read_cost(text)
    assert np.isclose(_value(cost, labels, THETA), numpy(THETA)) == right
    by_sympy = [_value(sp.diff(cost, theta[k]), labels, THETA) for k in range(N)]
    assert np.allclose(by_sympy, fd_gradient(numpy, THETA), rtol=1e-5) == right


@pytest.mark.parametrize("wrt", [[], ["--wrt", "w"]])
@pytest.mark.parametrize("text", [CROSS % "-", SQUARES % "-"])
def test_show_bishop_cost(text, wrt, capsys):
    assert main(["show", "--cost", text, *wrt]) == 0
    assert "Bishop" in capsys.readouterr().out


@pytest.mark.parametrize(("op", "right"), [("-", True), ("", False)])
def test_check_bishop_squares_gradient(op, right):
    """∇E_D = −Σ{t_n − wᵀφ(x_n)}φ(x_n) against the cost given with --cost; its twin drops the minus."""
    gradient = -X.T @ (TARGETS - X @ THETA) if op else X.T @ (TARGETS - X @ THETA)
    expected = np.allclose(gradient, fd_gradient(lambda v: 0.5 * np.sum((TARGETS - X @ v) ** 2), THETA), rtol=1e-6)
    assert expected == right
    latex = (
        r"\nabla E_D(\mathbf{w}) = " + op + r"\sum_{n=1}^{N}\{t_n - \mathbf{w}^{\mathrm{T}}"
        r"\boldsymbol{\phi}(\mathbf{x}_n)\}\boldsymbol{\phi}(\mathbf{x}_n)"
    )
    code = main(["check", "--cost", SQUARES % "-", "--wrt", "w", "--latex", latex])
    assert code == (0 if right else 1)


def test_wrt_w_is_theta_only_in_bishop_notation():
    assert written_parameter(SQUARES % "-", "w") == "theta"
    assert written_parameter(r"\frac{1}{m}\sum_{i=1}^m (w_j x_j^{(i)} - y^{(i)})^2 + b", "w") == "w"
