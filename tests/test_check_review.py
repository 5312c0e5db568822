r"""``check`` on the review's false ✓ (/tmp/work/review2, finding 5) and the risks it named in ``check``.

* One example's gradient under ∂J/∂θ_j, with the example's index written (``(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}``,
  ``\nabla_\theta J = …x^{(i)}``, ``(h_\theta(x_i) - y_i)x_{ij}``) or not: never a plain ✓.  Right as one example's
  gradient it is ✓ as that, said on the first line, the next saying what ∂J/∂θ_j of the mean cost is; wrong as that,
  ✗ with its own diagnosis.

Which is right is decided here: the cost transcribed to NumPy, differentiated by central differences
(tests/central.py), against the right side transcribed to NumPy, on data of our own; never by the tool.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli

RNG = np.random.default_rng(25)
M, N = 5, 2
X = np.column_stack([np.ones(M), RNG.normal(size=(M, N))])
Y01 = (RNG.random(M) < 0.5).astype(float)
YR = RNG.normal(size=M)
THETA = RNG.normal(size=N + 1) * 0.7


def _sigma(z):
    return 1 / (1 + np.exp(-z))


LOSSES = {  # model: (one example's loss ℓ(θ; x, y), the labels); the model's J is the mean of ℓ over the examples
    "linear": (lambda t, x, y: 0.5 * (x @ t - y) ** 2, YR),
    "logistic": (lambda t, x, y: -(y * np.log(_sigma(x @ t)) + (1 - y) * np.log(1 - _sigma(x @ t))), Y01),
}
PREDICT = {"linear": lambda t, x: x @ t, "logistic": lambda t, x: _sigma(x @ t)}

# --- one example's gradient under ∂J/∂θ_j (finding 5) ---------------------------------------------------------------

H_I = r"h_\theta(x^{(i)})"
ONE_EXAMPLE = {  # name: (LaTeX, its transcription for one example (θ, x, y, h), h the model's prediction)
    "∂J/∂θ_j, x^{(i)}": (
        rf"\frac{{\partial J}}{{\partial\theta_j}} = ({H_I} - y^{{(i)}})x_j^{{(i)}}",
        lambda x, y, h: (h - y) * x,
    ),
    "∇_θ J, x^{(i)}": (rf"\nabla_\theta J = ({H_I} - y^{{(i)}})x^{{(i)}}", lambda x, y, h: (h - y) * x),
    "∂J/∂θ_j, x_i": (
        r"\frac{\partial J}{\partial\theta_j} = (h_\theta(x_i) - y_i)x_{ij}",
        lambda x, y, h: (h - y) * x,
    ),
    "∂J/∂θ_j, no index (CS229)": (
        r"\frac{\partial}{\partial\theta_j} J(\theta) = (h_\theta(x) - y)x_j",
        lambda x, y, h: (h - y) * x,
    ),
    "twin: y − h, x^{(i)}": (
        rf"\frac{{\partial J}}{{\partial\theta_j}} = (y^{{(i)}} - {H_I})x_j^{{(i)}}",
        lambda x, y, h: (y - h) * x,
    ),
    "twin: ∇_θ J, 2(h − y)x^{(i)}": (
        rf"\nabla_\theta J = 2({H_I} - y^{{(i)}})x^{{(i)}}",
        lambda x, y, h: 2 * (h - y) * x,
    ),
    "twin: x_i, y − h": (
        r"\frac{\partial J}{\partial\theta_j} = (y_i - h_\theta(x_i))x_{ij}",
        lambda x, y, h: (y - h) * x,
    ),
}


def _one_example_right(model: str, transcribed) -> bool:
    """Whether the right side is, at every example, that example's gradient ∇ℓ (central differences)."""
    loss, labels = LOSSES[model]
    return all(
        np.allclose(
            transcribed(X[k], labels[k], PREDICT[model](THETA, X[k])),
            central_differences(lambda t, k=k: loss(t, X[k], labels[k]), THETA),
            atol=1e-7,
        )
        for k in range(M)
    )


@pytest.mark.parametrize("model", LOSSES)
@pytest.mark.parametrize("name", ONE_EXAMPLE)
def test_one_examples_gradient_under_j_is_never_a_plain_tick(model, name):
    latex, transcribed = ONE_EXAMPLE[name]
    right = _one_example_right(model, transcribed)
    assert right == (not name.startswith("twin")), name  # the twins are wrong, by the central differences
    result = run_cli("check", model, "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    lines = result.stdout.splitlines()
    if right:  # ✓ as one example's gradient, said first; the next line: ∂J/∂θ_j of the mean cost
        assert lines[0].startswith("✓ correct for one example's gradient (∂ℓ/∂θ_j, an SGD step): "), lines[0]
        assert lines[2].startswith("  of the mean cost J: ∂J/∂θ_j = (1/m) Σᵢ₌₁ᵐ "), lines[2]
        loss, labels = LOSSES[model]
        rows = [transcribed(X[k], labels[k], PREDICT[model](THETA, X[k])) for k in range(M)]
        mean = central_differences(lambda t: float(np.mean([loss(t, X[k], labels[k]) for k in range(M)])), THETA)
        assert np.allclose(np.mean(rows, axis=0), mean, atol=1e-7)  # what it says ∂J/∂θ_j is: the rows' mean
    else:
        assert lines[0].startswith("✗ incorrect: "), lines[0]
        assert "one example's gradient, not J's" not in result.stdout
