r"""``check`` on the review's false ✓ (/tmp/work/review2, finding 5) and the risks it named in ``check``.

* One example's gradient under ∂J/∂θ_j, with the example's index written (``(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}``,
  ``\nabla_\theta J = …x^{(i)}``, ``(h_\theta(x_i) - y_i)x_{ij}``) or not: never a plain ✓.  Right as one example's
  gradient it is ✓ as that, said on the first line, the next saying what ∂J/∂θ_j of the mean cost is; wrong as that,
  ✗ with its own diagnosis.

Which is right is decided here: the cost transcribed to NumPy, differentiated by central differences
(tests/central.py), against the right side transcribed to NumPy, on data of our own; never by the tool.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli
from data_setup import example_data, sigma

DATA = example_data(25, 5, 2)
M, N, X, Y01, YR, THETA = DATA.m, DATA.n, DATA.X, DATA.y01, DATA.yr, DATA.theta


LOSSES = {  # model: (one example's loss ℓ(θ; x, y), the labels); the model's J is the mean of ℓ over the examples
    "linear": (lambda t, x, y: 0.5 * (x @ t - y) ** 2, YR),
    "logistic": (lambda t, x, y: -(y * np.log(sigma(x @ t)) + (1 - y) * np.log(1 - sigma(x @ t))), Y01),
}
PREDICT = {"linear": lambda t, x: x @ t, "logistic": lambda t, x: sigma(x @ t)}

# --- one example's gradient under ∂J/∂θ_j (finding 5) ---------------------------------------------------------------

H_I = r"h_\theta(x^{(i)})"
AS_ONE = r"✓ correct (for|as) one example's gradient \(∂ℓ/∂θ_j, an SGD step\): "  # "as": c3_printing_as.patch
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
        assert re.match(AS_ONE, lines[0]), lines[0]
        assert lines[2].startswith("  of the mean cost J: ∂J/∂θ_j = (1/m) Σᵢ₌₁ᵐ "), lines[2]
        loss, labels = LOSSES[model]
        rows = [transcribed(X[k], labels[k], PREDICT[model](THETA, X[k])) for k in range(M)]
        mean = central_differences(lambda t: float(np.mean([loss(t, X[k], labels[k]) for k in range(M)])), THETA)
        assert np.allclose(np.mean(rows, axis=0), mean, atol=1e-7)  # what it says ∂J/∂θ_j is: the rows' mean
    else:
        assert lines[0].startswith("✗ incorrect: "), lines[0]
        assert "one example's gradient, not J's" not in result.stdout


# --- a cost's constant letter (c read as λ): a gradient writes the cost's own letter --------------------------------

LOG_COSH = r"\frac{1}{m}\sum_{i=1}^m \frac{1}{c}\log\cosh\left(c\left(\theta^T x^{(i)} - y^{(i)}\right)\right)"


def _log_cosh(t, c):
    return float(np.mean(np.log(np.cosh(c * (X @ t - YR)))) / c)


def _tanh_gradient(t, c):
    return X.T @ np.tanh(c * (X @ t - YR)) / M


TANH = r"\frac{1}{m}\sum_{i=1}^m \tanh\left(%s\left(\theta^T x^{(i)} - y^{(i)}\right)\right) x_j^{(i)}"
WRITTEN_CONSTANTS = [  # (kind, gradient, whether it is refused): λ is not the cost's letter
    ("--latex", TANH % "\\lambda", True),
    ("--grad", "X.T @ np.tanh(lam * (X @ theta - y)) / m", True),
    ("--latex", TANH % "c", False),
    ("--grad", "X.T @ np.tanh(c * (X @ theta - y)) / m", False),
]


@pytest.mark.parametrize("kind, gradient, refused", WRITTEN_CONSTANTS)
def test_a_gradient_writes_the_costs_own_constant(kind, gradient, refused):
    # with c the cost's constant, tanh(c·r) is its gradient and tanh(λ·r) for a λ ≠ c is not: λ is refused, not ✓
    for c in (0.5, 2.0):
        assert np.allclose(_tanh_gradient(THETA, c), central_differences(lambda t, c=c: _log_cosh(t, c), THETA))
    assert not np.allclose(_tanh_gradient(THETA, 2.0), central_differences(lambda t: _log_cosh(t, 0.5), THETA))
    result = run_cli("check", "--cost", LOG_COSH, kind, gradient)
    if refused:
        assert result.returncode == 2 and result.stdout == "", result.stdout
        assert result.stderr.strip().endswith("the cost names its constant c: write c"), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    else:
        assert result.returncode == 0 and result.stdout.startswith("✓ correct"), result.stdout + result.stderr


# --- b: the bias only where it is added to wᵀx; elsewhere a constant, as a and c are -------------------------------

B_PENALTY = r"\frac{1}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2 + b\sum_{j=1}^n|\theta_j|"
DATA_TERM = r"\frac{1}{m}\sum_{i=1}^m(\theta^T x^{(i)} - y^{(i)})"
B_GRADIENTS = {  # name: (LaTeX, its transcription of (θ, b))
    "b sign(θ_j) for every j, θ₀ too": (
        rf"\frac{{\partial J}}{{\partial\theta_j}} = {DATA_TERM}x_j^{{(i)}} + b\,\mathrm{{sign}}(\theta_j)",
        lambda t, b: X.T @ (X @ t - YR) / M + b * np.sign(t),
    ),
    "b sign(θ_j) for j ≥ 1": (
        rf"\frac{{\partial J}}{{\partial\theta_0}} = {DATA_TERM} \\ "
        rf"\frac{{\partial J}}{{\partial\theta_j}} = {DATA_TERM}x_j^{{(i)}} + b\,\mathrm{{sign}}(\theta_j)",
        lambda t, b: X.T @ (X @ t - YR) / M + b * np.sign(t) * (np.arange(N + 1) > 0),
    ),
    "b read as θ₀: Σ|θ_j| in the θ₀ line": (
        rf"\frac{{\partial J}}{{\partial\theta_0}} = {DATA_TERM} + \sum_{{j=1}}^n|\theta_j| \\ "
        rf"\frac{{\partial J}}{{\partial\theta_j}} = {DATA_TERM}x_j^{{(i)}} + \theta_0\,\mathrm{{sign}}(\theta_j)",
        lambda t, b: X.T @ (X @ t - YR) / M + np.r_[np.sum(np.abs(t[1:])), t[0] * np.sign(t[1:])],
    ),
}


def _b_penalised(t, b):
    return float(np.sum((X @ t - YR) ** 2) / (2 * M) + b * np.sum(np.abs(t[1:])))


@pytest.mark.parametrize("name", B_GRADIENTS)
def test_b_beside_no_linear_form_is_a_constant(name):
    latex, transcribed = B_GRADIENTS[name]
    right = all(
        np.allclose(transcribed(THETA, b), central_differences(lambda t, b=b: _b_penalised(t, b), THETA))
        for b in (0.5, 2.0)
    )
    assert right == name.endswith("j ≥ 1")  # θ₀ is not in the penalty Σ_{j=1}^n: its sign term is wrong
    result = run_cli("check", "--cost", B_PENALTY, "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert "b is read as a constant parameter, as λ is" in result.stdout  # said, not θ₀ silently


@pytest.mark.parametrize("sign, right", [("-", True), ("+", False)])
def test_b_added_to_w_x_stays_the_bias(sign, right):
    # (wᵀx + b − y)²/2m: ∂J/∂b = (1/m)Σ(wᵀx + b − y), by central differences in b; "+ y" is wrong
    def cost(p):
        return float(np.sum((X[:, 1:] @ p[1:] + p[0] - YR) ** 2) / (2 * M))

    given = np.sum(X[:, 1:] @ THETA[1:] + THETA[0] + (-1 if sign == "-" else 1) * YR) / M
    assert np.isclose(given, central_differences(cost, THETA)[0]) == right
    bias = rf"\frac{{\partial J}}{{\partial b}} = \frac{{1}}{{m}}\sum_{{i=1}}^m (w^T x^{{(i)}} + b {sign} y^{{(i)}})"
    result = run_cli("check", "--cost", r"\frac{1}{2m}\sum_{i=1}^m (w^T x^{(i)} + b - y^{(i)})^2", "--latex", bias)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert "b is read as a constant" not in result.stdout


# --- Poisson's λ or μ beside y, read as the model's mean: said on the first line -------------------------------------

COUNTS = DATA.counts


def _poisson_cost(t):
    return float(np.mean(np.exp(X @ t) - COUNTS * (X @ t)))


@pytest.mark.parametrize("latex, sign", [(r"\frac{1}{m}X^T(\lambda - y)", 1), (r"\frac{1}{m}X^T(y - \mu)", -1)])
def test_the_rate_read_as_the_models_mean_is_said_first(latex, sign):
    right = np.allclose(sign * X.T @ (np.exp(X @ THETA) - COUNTS) / M, central_differences(_poisson_cost, THETA))
    assert right == (sign == 1)
    result = run_cli("check", "poisson", "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    letter = "λ" if "lambda" in latex else "μ"
    verdict = "✓ correct" if right else "✗ incorrect"
    first = f"{verdict} for {letter} read as the Poisson rate e^(θᵀx⁽ⁱ⁾), the model's mean: poisson, "
    assert result.stdout.startswith(first), result.stdout


def test_one_examples_gradient_of_a_summed_cost_is_said_as_a_sum():
    # logistic-sum: J = Σᵢ ℓ_i (no 1/m), so ∂J/∂θ_j is the sum of the rows, not their mean; "(1/m)…" is wrong for both
    loss, labels = LOSSES["logistic"]
    rows = [(sigma(X[k] @ THETA) - labels[k]) * X[k] for k in range(M)]
    total = central_differences(lambda t: float(sum(loss(t, X[k], labels[k]) for k in range(M))), THETA)
    assert np.allclose(np.sum(rows, axis=0), total, atol=1e-7) and _one_example_right(
        "logistic", ONE_EXAMPLE["∂J/∂θ_j, x^{(i)}"][1]
    )
    result = run_cli("check", "logistic-sum", "--latex", ONE_EXAMPLE["∂J/∂θ_j, x^{(i)}"][0])
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and re.match(AS_ONE, lines[0]), lines
    assert lines[2].startswith("  of the cost J, a sum over the examples: ∂J/∂θ_j = Σᵢ₌₁ᵐ "), lines[2]


NG_F_WB = {  # --grad: its value on one feature (X = [1, x⁽ⁱ⁾], θ = (b, w))
    "X.T @ (X @ theta - y) / m": lambda x, t: x.T @ (x @ t - YR) / M,
    "X.T @ (X @ theta - y) / (2 * m)": lambda x, t: x.T @ (x @ t - YR) / (2 * M),  # twin: the ½ kept
}


@pytest.mark.parametrize("grad", NG_F_WB, ids=["right", "twin: ½ kept"])
def test_ngs_f_wb_written_wx_plus_b_is_w_times_x(grad):
    # f_{w,b}(x) = wx + b (Ng's one feature, no space): w times x, as "w x + b" is; it was 'unknown symbol x, please
    # report it'.  The cost is then (1/2m)Σ(θ₁x₁ + θ₀ − y)², on the one feature it names: X = [1, x].  (This test
    # once took our n = 2 data and expected ✗ of Xᵀ(Xθ − y)/m for its θ₂ entry, 0 for a feature the cost never
    # names; the user means one feature, where central differences make that gradient right.)
    from derivation.derive.costs import model_from_cost

    cost = r"\frac{1}{2m}\sum_{i=1}^m (f_{w,b}(x^{(i)}) - y^{(i)})^2, \quad f_{w,b}(x) = %s + b"
    joined, spaced = model_from_cost(cost % "wx"), model_from_cost(cost % "w x")
    assert joined.matrix_gradient == spaced.matrix_gradient
    one, theta = X[:, :2], THETA[:2]

    def one_feature(t):
        return float(np.sum((t[0] + t[1] * one[:, 1] - YR) ** 2) / (2 * M))

    right = np.allclose(NG_F_WB[grad](one, theta), central_differences(one_feature, theta))
    result = run_cli("check", "--cost", cost % "wx", "--grad", grad)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
