r"""Review 9's false ✓ (D16-D32): dW = … \text{ and } dB = … on one line kept only the dW line when the second left side
was spelled dB, d\mathbf{b}, d_b or \delta b, so 1/(2m) in the bias line got "✓ correct", exit 0.

Whatever the second line's spelling, it is now read as a line of its own: judged, or refused in words; never dropped.
Truth: the bias line (1/2m)Σ(σ − y) against central differences of the mean cross-entropy in b.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli
from verdicts import sigmoid

RESIDUAL = r"(\sigma(w^T x^{(i)} + b) - y^{(i)})"
FIRST = r"dW = \frac{1}{m}\sum_{i=1}^m " + RESIDUAL + r" x^{(i)} \text{ and } "


def _half_is_the_bias_derivative() -> bool:
    rng = np.random.default_rng(16)
    x, y, w = rng.normal(size=(5, 2)), (rng.random(5) < 0.5).astype(float), rng.normal(size=2)

    def cost(b):
        h = sigmoid(x @ w + b[0])
        return -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))

    b = np.array([0.3])
    return bool(np.allclose(np.sum(sigmoid(x @ w + b[0]) - y) / 10, central_differences(cost, b), atol=1e-7))


@pytest.mark.parametrize("left", ["dB", r"d\mathbf{b}", "d_b", r"\delta b"])
def test_the_second_line_is_never_dropped(left):
    assert not _half_is_the_bias_derivative()
    run = run_cli("check", "logistic", "--latex", FIRST + left + r" = \frac{1}{2m}\sum_{i=1}^m " + RESIDUAL)
    assert run.returncode in (1, 2), run.stdout
    assert "✓" not in run.stdout.splitlines()[0] if run.stdout else True
