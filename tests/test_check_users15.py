r"""``check``, users' forms, round 2: a fixed entry ∂J/∂θ_d, Huber's gradient by np.clip, the polynomial's bare x.

1. ``\frac{\partial J}{\partial \theta_2} = …`` (a fixed index d ≥ 2; θ_1 with x_1⁽ⁱ⁾ on data with n > 1; θ_1 on a cost
   that names θ₂, which was a traceback) is judged on that entry alone.
2. ``X.T @ np.clip(X @ theta - y, -2, 2) / len(y)`` and ``np.where(np.abs(r) <= 2, r, 2*np.sign(r))``, Huber's
   gradient as users write it, are read (they were refused with a message listing the very form written).
3. ``∇_θ J = (1/m)Σ(θ₀ + θ₁x + θ₂x² − y)x⁽ⁱ⁾`` on the polynomial cost: x beside θ_k is the feature x, the last x⁽ⁱ⁾
   the example's vector (1, x, x²) (it was a false ✗: every bare x read as x_j).
4. Ng's gradient by rows says once that x⁽ⁱ⁾ is read as the number x₁⁽ⁱ⁾.

Which answer is right is decided here: the cost transcribed to NumPy, differentiated by central differences
(tests/central.py), against the gradient transcribed to NumPy, on data of our own; never by the tool.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli

from derivation.parsing import ParseError
from derivation.parsing.statement import read_gradient
from derivation.proof.read import model_context

RNG = np.random.default_rng(15)
M = 8
X = np.hstack([np.ones((M, 1)), RNG.normal(size=(M, 2))])
THETA = RNG.normal(size=3)
Y = RNG.normal(size=M) * 3  # residuals beyond 2 and below −2: the clip matters


def _verdict(right: bool) -> int:
    return 0 if right else 1


# --- 2. Huber's gradient with np.clip / np.where (δ = 2) --------------------------------------------------------------

HUBER = "np.mean(0.5 * (X @ theta - y)**2 - 0.5 * np.maximum(0, np.abs(X @ theta - y) - 2)**2)"


def _huber(t: np.ndarray) -> float:
    r = X @ t - Y
    return float(np.mean(0.5 * r**2 - 0.5 * np.maximum(0, np.abs(r) - 2) ** 2))


def _clipped(delta: float) -> np.ndarray:
    r = X @ THETA - Y
    return X.T @ np.clip(r, -delta, delta) / M


GRADS = {  # --grad text: its value on our data
    "X.T @ np.clip(X @ theta - y, -2, 2) / len(y)": _clipped(2),
    "X.T @ np.clip(X @ theta - y, -1, 1) / len(y)": _clipped(1),  # twin: another δ
    "X.T @ np.where(np.abs(X @ theta - y) <= 2, X @ theta - y, 2*np.sign(X @ theta - y)) / len(y)": _clipped(2),
    "X.T @ np.where(np.abs(X @ theta - y) <= 1, X @ theta - y, 1*np.sign(X @ theta - y)) / len(y)": _clipped(1),
    "X.T @ (X @ theta - y).clip(-2, 2) / len(y)": _clipped(2),
}


def test_our_data_reach_past_the_clip():
    r = np.abs(X @ THETA - Y)
    assert (r > 2).any() and (r < 2).any()  # clipped and not


@pytest.mark.parametrize("grad", GRADS, ids=["clip 2", "clip 1 (twin)", "where 2", "where 1 (twin)", ".clip 2"])
def test_huber_clip_is_read_and_judged(grad):
    right = np.allclose(GRADS[grad], central_differences(_huber, THETA), atol=1e-7)
    result = run_cli("check", "--cost", HUBER, "--cost-python", "--grad", grad)
    assert result.returncode == _verdict(right), result.stdout + result.stderr


def test_an_unread_where_does_not_offer_the_users_own_form():
    grad = "X.T @ np.where(X @ theta - y <= 2, X @ theta - y, 2) / len(y)"
    result = run_cli("check", "--cost", HUBER, "--cost-python", "--grad", grad)
    assert result.returncode == 2 and "np.where(X @ theta - y <= 2" not in result.stderr, result.stderr
    assert "np.where(np.abs(r) <= d, r, d*np.sign(r))" not in result.stderr, result.stderr


def test_clip_with_array_bounds_is_refused_in_words():
    result = run_cli("check", "huber", "--grad", "X.T @ np.clip(X @ theta - y, -1, y) / len(y)")
    assert result.returncode == 2 and "numbers for its bounds" in result.stderr, result.stdout + result.stderr


# --- 1. a fixed entry ∂J/∂θ_d ----------------------------------------------------------------------------------------


def _squares(t: np.ndarray) -> float:
    return float(np.sum((X @ t - Y) ** 2) / (2 * M))


def _entry(d: int, k: int, scale: float = 1.0) -> float:
    """(scale/m) Σ (θᵀx⁽ⁱ⁾ − y⁽ⁱ⁾) x_k⁽ⁱ⁾, the right side written for ∂J/∂θ_d."""
    return float(scale * (X @ THETA - Y) @ X[:, k] / M)


def _reads_fixed_entries() -> bool:
    """Whether the left-side reader takes θ_2 (the parsing patch /tmp/work/s27/c2_index.patch)."""
    try:
        read_gradient(r"\frac{\partial J}{\partial \theta_2} = x_2^{(i)}", model_context("linear"))
    except ParseError:
        return False
    return True


_R = r"\frac{1}{m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})"
ENTRIES = {  # (d, LaTeX, the right side's value)
    "θ_2, x_2": (2, rf"\frac{{\partial J}}{{\partial \theta_2}} = {_R} x_2^{{(i)}}", _entry(2, 2)),
    "θ_2, x_1 (twin)": (2, rf"\frac{{\partial J}}{{\partial \theta_2}} = {_R} x_1^{{(i)}}", _entry(2, 1)),
    "θ_1, x_1": (1, rf"\frac{{\partial J}}{{\partial \theta_1}} = {_R} x_1^{{(i)}}", _entry(1, 1)),
    "θ_1, x_2 (twin)": (1, rf"\frac{{\partial J}}{{\partial \theta_1}} = {_R} x_2^{{(i)}}", _entry(1, 2)),
}


@pytest.mark.parametrize("case", ENTRIES)
def test_a_fixed_entry_is_judged_alone(case):
    d, latex, value = ENTRIES[case]
    if d >= 2 and not _reads_fixed_entries():
        pytest.skip("θ_d, d ≥ 2, on the left needs parsing/statement.py and left.py to read it (c2_index.patch)")
    right = np.isclose(value, central_differences(_squares, THETA)[d], atol=1e-7)
    result = run_cli("check", "linear", "--latex", latex)
    assert result.returncode == _verdict(right), result.stdout + result.stderr
    assert re.search(r"\(\d+, [2-9]\)", result.stdout), result.stdout  # judged on data with n ≥ 2 too


@pytest.mark.parametrize("second", ["2", "j"])
def test_two_entries_on_the_left_are_refused_in_words(second):
    """∂J/∂θ_1 = …x_1 with ∂J/∂θ_2 = …x_1 (a slip) was read as two formulas for θ_1: a false ✓."""
    if second.isdigit() and not _reads_fixed_entries():
        pytest.skip("θ_d, d ≥ 2, on the left needs parsing/statement.py and left.py to read it (c2_index.patch)")
    latex = (
        rf"\frac{{\partial J}}{{\partial \theta_1}} = {_R} x_1^{{(i)}} \\ "
        rf"\frac{{\partial J}}{{\partial \theta_{second}}} = {_R} x_1^{{(i)}}"
    )
    result = run_cli("check", "linear", "--latex", latex)
    assert result.returncode == 2 and "one fixed entry at a time" in result.stderr, result.stdout + result.stderr


TWO = r"\frac{1}{2m}\sum_{i=1}^m (\theta_0 + \theta_1 x_1^{(i)} + \theta_2 x_2^{(i)} - y^{(i)})^2"
_H = r"(\theta_0 + \theta_1 x_1^{(i)} + \theta_2 x_2^{(i)} - y^{(i)})"


@pytest.mark.parametrize("scale", [1, 2], ids=["1/m", "twin: 1/(2m)"])
def test_theta_1_on_a_cost_that_names_theta_2(scale):
    half = "" if scale == 1 else "2"
    latex = rf"\frac{{\partial J}}{{\partial \theta_1}} = \frac{{1}}{{{half}m}}\sum_{{i=1}}^m {_H} x_1^{{(i)}}"
    right = np.isclose(_entry(1, 1, 1 / scale), central_differences(_squares, THETA)[1], atol=1e-7)
    result = run_cli("check", "--cost", TWO, "--latex", latex)
    assert result.returncode == _verdict(right), result.stdout + result.stderr  # it was a traceback


# --- 3. the polynomial's bare x --------------------------------------------------------------------------------------

POLY = r"\frac{1}{2m}\sum_{i=1}^m (\theta_0 + \theta_1 x^{(i)} + \theta_2 (x^{(i)})^2 - y^{(i)})^2"
_HP = r"(\theta_0 + \theta_1 x^{(i)} + \theta_2 (x^{(i)})^2 - y^{(i)})"
DESIGN = X[:, 1:2] ** np.arange(3)  # [1, x, x²]


def _poly(t: np.ndarray) -> float:
    return float(np.sum((DESIGN @ t - Y) ** 2) / (2 * M))


POLY_GRADIENTS = {
    rf"\nabla_\theta J = \frac{{1}}{{m}}\sum_{{i=1}}^m {_HP} x^{{(i)}}": DESIGN.T @ (DESIGN @ THETA - Y) / M,
    rf"\nabla_\theta J = \frac{{1}}{{2m}}\sum_{{i=1}}^m {_HP} x^{{(i)}}": DESIGN.T @ (DESIGN @ THETA - Y) / (2 * M),
}


@pytest.mark.parametrize("latex", POLY_GRADIENTS, ids=["1/m", "twin: 1/(2m)"])
def test_the_polynomials_bare_x_beside_theta_is_the_feature(latex):
    right = np.allclose(POLY_GRADIENTS[latex], central_differences(_poly, THETA), atol=1e-7)
    result = run_cli("check", "--cost", POLY, "--latex", latex)
    assert result.returncode == _verdict(right), result.stdout + result.stderr


# --- 4. one note for Ng's rows ----------------------------------------------------------------------------------------


def test_ng_rows_say_x_is_a_number_once():
    h = r"(\theta_0 + \theta_1 x^{(i)} - y^{(i)})"
    latex = (
        rf"\frac{{\partial J}}{{\partial \theta_0}} = \frac{{1}}{{m}}\sum_{{i=1}}^m {h} \\ "
        rf"\frac{{\partial J}}{{\partial \theta_1}} = \frac{{1}}{{m}}\sum_{{i=1}}^m {h} x^{{(i)}}"
    )
    result = run_cli("check", "linear", "--latex", latex)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("read as the number x_1^{(i)}") == 1, result.stdout
