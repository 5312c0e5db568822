r"""``check`` on tester 10's findings (session 26, round 2).

* Soft labels: a KL / cross-entropy cost with y log y and (1 − y) log(1 − y) is read with labels 0 < y < 1 (it was
  refused: labels above 1 were sampled and the cost blamed); ``show --cost`` derives it, ``check --cost … --latex``
  gives ✓ to its gradient and ✗ to a wrong one; labels asked for where the cost is no number keep a one-line error.

Which is right is decided here by central differences (tests/central.py) of the cost transcribed to NumPy, on data
of our own (tests/data_setup.py), never by the tool.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli
from data_setup import example_data, sigma

from derivation.core.catalog import LABELS

DATA = example_data(14, 6, 2)
X, THETA = DATA.X, DATA.theta
SOFT = np.random.default_rng(14).uniform(0.05, 0.95, DATA.m)  # soft labels, where KL is a number


# --- 1. soft labels: KL(y ‖ σ(θᵀx)) -------------------------------------------------------------------------------

_H = r"\sigma(\theta^T x^{(i)})"
_MEAN = r"\frac{1}{m}\sum_{i=1}^m "
_DJ = r"\frac{\partial J}{\partial\theta_j} = " + _MEAN
KL = _MEAN + (
    r"\left[y^{(i)}\log y^{(i)} - y^{(i)}\log H + (1 - y^{(i)})\log(1 - y^{(i)}) - (1 - y^{(i)})\log(1 - H)\right]"
).replace("H", _H)
KL_RATIOS = _MEAN + (  # the same divergence as users also write it, log of ratios
    r"\left[y^{(i)}\log\frac{y^{(i)}}{H} + (1 - y^{(i)})\log\frac{1 - y^{(i)}}{1 - H}\right]"
).replace("H", _H)
GRADIENTS = {  # name: (LaTeX of ∂J/∂θ_j, its NumPy transcription on our data)
    "(1/m)Σ(σ − y)x_j": (
        _DJ + rf"\left({_H} - y^{{(i)}}\right)x_j^{{(i)}}",
        lambda t: X.T @ (sigma(X @ t) - SOFT) / DATA.m,
    ),
    "twin: + (log y − log σ)": (
        _DJ + rf"\left({_H} - y^{{(i)}} + \log y^{{(i)}} - \log{_H}\right)x_j^{{(i)}}",
        lambda t: X.T @ (sigma(X @ t) - SOFT + np.log(SOFT) - np.log(sigma(X @ t))) / DATA.m,
    ),
}


def _kl(t: np.ndarray) -> float:
    h = sigma(X @ t)
    return float(np.mean(SOFT * np.log(SOFT / h) + (1 - SOFT) * np.log((1 - SOFT) / (1 - h))))


def _right(name: str) -> bool:
    return bool(np.allclose(GRADIENTS[name][1](THETA), central_differences(_kl, THETA), atol=1e-7))


@pytest.mark.parametrize("cost", [KL, KL_RATIOS], ids=["y log y", "log of ratios"])
def test_a_kl_cost_with_soft_labels_is_derived(cost):
    assert _right("(1/m)Σ(σ − y)x_j")  # the last line it must reach, by central differences
    result = run_cli("show", "--cost", cost)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "= (1/m) Σᵢ₌₁ᵐ (σ(θᵀx⁽ⁱ⁾) − y⁽ⁱ⁾) x_j⁽ⁱ⁾" in result.stdout and "all verified" in result.stdout


@pytest.mark.parametrize("name", GRADIENTS)
def test_a_kl_gradient_is_checked_on_soft_labels(name):
    result = run_cli("check", "--cost", KL, "--latex", GRADIENTS[name][0])
    right = _right(name)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect")
    assert "soft labels 0 < y < 1" in result.stdout


def test_labels_asked_for_where_the_kl_cost_is_no_number_are_one_line():
    with np.errstate(all="ignore"):
        assert not np.isfinite(np.mean(np.array([0.0, 1.0]) * np.log(np.array([0.0, 1.0]))))  # 0·log 0 is nan
    result = run_cli("show", "--cost", KL, "--labels", "01")
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "--labels prob" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif("prob" not in LABELS, reason="--labels prob is offered once core/catalog.LABELS names it")
def test_soft_labels_can_be_asked_for():
    result = run_cli("check", "--cost", KL, "--labels", "prob", "--latex", GRADIENTS["(1/m)Σ(σ − y)x_j"][0])
    assert _right("(1/m)Σ(σ − y)x_j") and result.returncode == 0, result.stdout + result.stderr
    assert "as asked (--labels)" in result.stdout


# --- 2. scikit-learn's C, the inverse penalty strength -------------------------------------------------------------

LAM = 0.7  # our λ for the transcription: the tool samples its own, the formula holds for every λ
Y01 = DATA.y01
CLASS = """import numpy as np


class LogisticRegressionGD:
    def __init__(self, lr=0.1, n_iter=100, C=1.0):
        self.lr, self.n_iter, self.C = lr, n_iter, C

    def _grad(self, X, y, w, b):
        p = 1 / (1 + np.exp(-(X @ w + b)))
        dw = X.T @ (p - y) / X.shape[0] + PENALTY
        db = np.mean(p - y)
        return dw, db
"""
PENALTIES = {  # name: (the penalty's gradient as the class writes it, its value at C, w, m; divides by C?)
    "w / (C·m), C = 1/λ": ("w / (self.C * X.shape[0])", lambda c, w, m: w / (c * m), True),
    "twin: w / (2·C·m)": ("w / (2 * self.C * X.shape[0])", lambda c, w, m: w / (2 * c * m), True),
    "C·w/m, C read as λ": ("self.C * w / X.shape[0]", lambda c, w, m: c * w / m, False),
}


def _logistic_l2(t: np.ndarray) -> float:  # logistic-l2: mean cross-entropy + (λ/2m)Σ_{j≥1} θ_j²
    h = sigma(X @ t)
    return float(-np.mean(Y01 * np.log(h) + (1 - Y01) * np.log(1 - h)) + LAM / (2 * DATA.m) * np.sum(t[1:] ** 2))


def _class_right(name: str, c: float) -> bool:
    w, b, features = THETA[1:], THETA[0], X[:, 1:]
    p = sigma(features @ w + b)
    received = np.r_[np.mean(p - Y01), features.T @ (p - Y01) / DATA.m + PENALTIES[name][1](c, w, DATA.m)]
    return bool(np.allclose(received, central_differences(_logistic_l2, THETA), atol=1e-7))


@pytest.mark.parametrize("name", PENALTIES)
def test_scikit_learns_c_is_read_as_the_inverse_where_the_code_divides_by_it(name, tmp_path):
    source = tmp_path / "fit.py"
    source.write_text(CLASS.replace("PENALTY", PENALTIES[name][0]))
    result = run_cli("check", "logistic-l2", "--python", f"{source}:LogisticRegressionGD._grad")
    divides = PENALTIES[name][2]
    right = _class_right(name, 1 / LAM if divides else LAM)  # C = 1/λ where it divides by C, else C = λ
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("✓ correct" if right else "✗ incorrect"), result.stdout
    assert ("self.C = 1/lam" if divides else "self.C = lam") in first  # the reading tried, in the first line
    assert not divides or not _class_right(name, LAM)  # C read as λ would have judged it otherwise
