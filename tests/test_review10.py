r"""Review 10's false ✓ F1: an accented I (\tilde{I}, \widetilde{I}) was read as the identity, so a gradient whose
text says Ĩ has a 0 first entry (the bias not penalised) got ✓ against a cost that penalises every weight.

Truth: central differences of J(θ) = (1/2m)Σ(θᵀx − y)² + (λ/2m)Σ_{j=0}^n θ_j² differ from the written gradient in
its first entry when Ĩ zeroes it (the bias penalised in the cost), so the text may never get ✓.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli

TEXT = (
    r"For regression with every weight penalised, $J(\theta) = \frac{1}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - "
    r"y^{(i)})^2 + \frac{\lambda}{2m}\sum_{j=0}^n \theta_j^2$, the gradient is" "\n"
    r"$$\nabla_\theta J(\theta) = \frac{1}{m}X^T(X\theta - y) + \frac{\lambda}{m}ACCENT{I}\theta$$" "\n"
    r"where $ACCENT{I}$ is the identity matrix except that its first diagonal entry is $0$." "\n"
)  # fmt: skip


def test_the_written_gradient_is_wrong_by_central_differences():
    rng = np.random.default_rng(10)
    X = np.column_stack([np.ones(9), rng.standard_normal((9, 2))])
    y, theta, lam = rng.standard_normal(9), rng.standard_normal(3), 0.8

    def cost(t):
        return float(np.sum((X @ t - y) ** 2) / 18 + lam / 18 * t @ t)

    written = X.T @ (X @ theta - y) / 9 + lam / 9 * np.r_[0.0, theta[1:]]
    assert not np.allclose(written, central_differences(cost, theta), atol=1e-6)


@pytest.mark.parametrize("accent", [r"\tilde", r"\widetilde"])
def test_an_accented_identity_is_refused_in_words_not_read_as_i(accent, tmp_path):
    path = tmp_path / "tilde.md"
    path.write_text(TEXT.replace("ACCENT", accent), encoding="utf-8")
    done = run_cli("verify", str(path))
    assert done.returncode == 2, done.stdout
    assert "is not the identity" in done.stdout + done.stderr
