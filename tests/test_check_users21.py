r"""``check`` (session 31): tester 12's c46, tester 14's L14, review 12's F7, written as their authors wrote them.

* c46: a weight per example, ``w^{(i)}``, in the cost and the gradient is positive data (the oracle draws it), never
  θ_i: the weighted gradient is ✓, the gradient that drops w⁽ⁱ⁾ is ✗; ``verify`` on the same text agrees.

Truth: central differences (tests/central.py) of the cost transcribed in NumPy on data of our own; never the tool's
own numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli


def _sigmoid(u):
    return 1.0 / (1.0 + np.exp(-u))


def _data(seed: int = 21, m: int = 8, n: int = 2):
    rng = np.random.default_rng(seed)
    x = np.hstack([np.ones((m, 1)), rng.normal(size=(m, n))])
    y = (rng.random(m) < 0.5).astype(float)
    y[:2] = (0.0, 1.0)
    return x, y, rng.normal(size=n + 1) * 0.7, rng.uniform(0.2, 2.0, size=m)


def _verdict(result) -> str:
    assert result.returncode in (0, 1), result.stdout + result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith(("✓", "✗")), result.stdout
    return "correct" if first.startswith("✓") else "incorrect"


def _agrees(value, truth) -> bool:
    return bool(np.allclose(value, truth, rtol=1e-6, atol=1e-8))


# --- 1. c46: example weights w^{(i)} --------------------------------------------------------------------------------

C46_COST = (
    r"J(\theta) = -\frac{1}{m}\sum_{i=1}^{m} w^{(i)}\left[y^{(i)}\log\sigma(\theta^T x^{(i)}) + "
    r"(1-y^{(i)})\log(1-\sigma(\theta^T x^{(i)}))\right]"
)
C46_RIGHT = (
    r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m} w^{(i)}\left(\sigma(\theta^T x^{(i)}) - "
    r"y^{(i)}\right)x_j^{(i)}"
)
C46_GRADIENTS = {  # the gradient as written, and the same in NumPy
    C46_RIGHT: lambda x, y, t, w: x.T @ (w * (_sigmoid(x @ t) - y)) / len(y),
    C46_RIGHT.replace("w^{(i)}", ""): lambda x, y, t, w: x.T @ (_sigmoid(x @ t) - y) / len(y),  # weight dropped
    C46_RIGHT.replace(r"\frac{1}{m}", r"\frac{1}{2m}"): lambda x, y, t, w: (
        x.T @ (w * (_sigmoid(x @ t) - y)) / 2 / len(y)
    ),
    C46_RIGHT.replace("w^{(i)}", "w^{(i)} w^{(i)}"): lambda x, y, t, w: x.T @ (w**2 * (_sigmoid(x @ t) - y)) / len(y),
}


def _weighted_ce(x, y, w):
    return lambda t: float(-np.mean(w * (y * np.log(_sigmoid(x @ t)) + (1 - y) * np.log(1 - _sigmoid(x @ t)))))


@pytest.mark.parametrize("gradient", list(C46_GRADIENTS), ids=range(len(C46_GRADIENTS)))
def test_c46_a_weight_per_example_is_data_the_weighted_gradient_alone_passes(gradient):
    x, y, t, w = _data()
    truth = central_differences(_weighted_ce(x, y, w), t)
    expected = "correct" if _agrees(C46_GRADIENTS[gradient](x, y, t, w), truth) else "incorrect"
    assert expected == ("correct" if gradient == C46_RIGHT else "incorrect")  # the oracle tells them apart
    assert _verdict(run_cli("check", "--cost", C46_COST, "--latex", gradient)) == expected


def _squared(x, y, w):
    return lambda t: float(np.sum(w * (x @ t - y) ** 2) / 2)


SQUARED_COST = r"J(w) = \frac{1}{2}\sum_{i=1}^{m} w^{(i)} (w^T x^{(i)} - y^{(i)})^2"
SQUARED_GRADIENTS = {  # w without (i) is the weight vector θ, w^{(i)} example i's weight
    r"\nabla_w J = \sum_{i=1}^{m} w^{(i)} (w^T x^{(i)} - y^{(i)}) x^{(i)}": lambda x, y, t, w: x.T @ (w * (x @ t - y)),
    r"\nabla_w J = \sum_{i=1}^{m} (w^T x^{(i)} - y^{(i)}) x^{(i)}": lambda x, y, t, w: x.T @ (x @ t - y),
    r"\nabla_w J = \sum_{i=1}^{m} w^{(i)} (y^{(i)} - w^T x^{(i)}) x^{(i)}": lambda x, y, t, w: x.T @ (w * (y - x @ t)),
}


@pytest.mark.parametrize("gradient", list(SQUARED_GRADIENTS), ids=range(len(SQUARED_GRADIENTS)))
def test_c46_weighted_least_squares_in_w_notation(gradient):
    x, y, t, w = _data(22)
    y = x @ t + np.random.default_rng(5).normal(size=len(y))
    expected = (
        "correct"
        if _agrees(SQUARED_GRADIENTS[gradient](x, y, t, w), central_differences(_squared(x, y, w), t))
        else "incorrect"
    )
    assert _verdict(run_cli("check", "--cost", SQUARED_COST, "--latex", gradient)) == expected


def test_c46_verify_reads_the_weight_as_data_never_as_theta_i(tmp_path):
    x, y, t, w = _data()
    truth = central_differences(_weighted_ce(x, y, w), t)
    for gradient, formula in list(C46_GRADIENTS.items())[:2]:
        holds = _agrees(formula(x, y, t, w), truth)
        text = tmp_path / "notes.tex"
        text.write_text(f"The weighted cost is\n$${C46_COST}$$\nIts gradient is\n$${gradient}$$\n")
        result = run_cli("verify", str(text))
        assert result.returncode == (0 if holds else 1), result.stdout + result.stderr
        assert "θ_i" not in result.stdout and "theta_i" not in result.stdout
        assert ("✓ step 2" in result.stdout) == holds and ("✗ step 2" in result.stdout) == (not holds)


def test_c46_show_derives_the_weighted_cost_and_a_weight_in_the_gradient_alone_stays_wrong():
    """w^{(i)} was refused ("weights per example are not read"); the derivation now keeps it as data."""
    result = run_cli("show", "--cost", r"\frac{1}{2m}\sum_{i=1}^m w^{(i)}(\theta^T x^{(i)} - y^{(i)})^2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all verified" in result.stdout
    # the weight in the gradient of an unweighted model: the model's J has no weight, so the gradient is wrong
    x, y, t, w = _data()
    unweighted = central_differences(
        lambda s: float(-np.mean(y * np.log(_sigmoid(x @ s)) + (1 - y) * np.log(1 - _sigmoid(x @ s)))), t
    )
    assert not _agrees(C46_GRADIENTS[C46_RIGHT](x, y, t, w), unweighted)
    assert _verdict(run_cli("check", "logistic", "--latex", C46_RIGHT)) == "incorrect"
