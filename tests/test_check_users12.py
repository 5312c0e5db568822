r"""``check`` on tester 9's inputs, written as the users wrote them.

* One example's gradient named ∂J/∂θ_j (fq_01, fq_02, fr_03): ``\frac{\partial J}{\partial\theta_j} =
  (h_\theta(x) - y)x_j`` reads J as one example's cost, CS229's LMS rule "for one training example": ✓ as one
  example's gradient, said on the first line, the next saying what ∂J/∂θ_j of the mean cost is.  After a J the text
  defines as the mean over the examples it is ✗, saying what ∂J/∂θ_j is and that as one example's gradient it is
  right.  Its twins stay a plain ✓: the same right side under ∂L/∂θ_j (one example's loss), as CS229's stochastic
  update, or after a J the text defines for one example; and a one-example form wrong as one example's gradient stays
  ✗ with its own diagnosis.
* A constant letter the cost reading renames to λ (LCC_ok/LCC_c: ``\frac{1}{c}\log\cosh(c(…))``, and a): the
  gradient is read with the same renaming.

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

DATA = example_data(12, 6, 2)
M, N, X, Y01, YR, THETA = DATA.m, DATA.n, DATA.X, DATA.y01, DATA.yr, DATA.theta


def _logistic_loss(t, x, y):
    h = sigma(x @ t)
    return -(y * np.log(h) + (1 - y) * np.log(1 - h))


def _squares_loss(t, x, y):
    return 0.5 * (x @ t - y) ** 2


def _smoothed_loss(t, x, y):  # label smoothing ε = 0.1: ỹ = 0.9y + 0.05
    h = sigma(x @ t)
    return -((0.9 * y + 0.05) * np.log(h) + (0.95 - 0.9 * y) * np.log(1 - h))


LOSSES = {"logistic": (_logistic_loss, Y01), "linear": (_squares_loss, YR), "smoothed": (_smoothed_loss, YR)}
# the right sides as the users wrote them (x and y of one example, no index), transcribed
RIGHTS = {
    "(h − y)x_j": lambda t, x, y: (sigma(x @ t) - y) * x,
    "(y − h)x_j": lambda t, x, y: (y - sigma(x @ t)) * x,
    "(θᵀx − y)x_j": lambda t, x, y: (x @ t - y) * x,
    "(σ − 0.9y − 0.05)x_j": lambda t, x, y: (sigma(x @ t) - 0.9 * y - 0.05) * x,
    "(σ − y)x_j": lambda t, x, y: (sigma(x @ t) - y) * x,
}
SMOOTHED = (
    r"-\frac{1}{m}\sum_{i=1}^m \left[\left(0.9y^{(i)} + 0.05\right)\log \sigma(\theta^T x^{(i)}) + \left(0.95 - "
    r"0.9y^{(i)}\right)\log\left(1 - \sigma(\theta^T x^{(i)})\right)\right]"
)
PER_EXAMPLE = {  # name: (the loss, what the left side names: "J" the cost not defined, "mean" J defined as the mean
    # over the examples, "one" one example's loss, the right side as transcribed, the command's arguments, the LaTeX)
    "fq_01 logistic ∂J/∂θ_j": (
        "logistic", "J", "(h − y)x_j", ("logistic",),
        r"\frac{\partial J}{\partial\theta_j} = (h_\theta(x) - y)x_j",
    ),
    "fq_01 with J(θ) and ∂/∂θ_j J(θ)": (
        "logistic", "J", "(h − y)x_j", ("logistic",),
        r"\frac{\partial}{\partial\theta_j} J(\theta) = (h_\theta(x) - y)x_j",
    ),
    "fq_01 twin: ∂L/∂θ_j": (
        "logistic", "one", "(h − y)x_j", ("logistic",),
        r"\frac{\partial L}{\partial\theta_j} = (h_\theta(x) - y)x_j",
    ),
    "fq_01 twin: Ng's Cost(h(x), y)": (
        "logistic", "one", "(h − y)x_j", ("logistic",),
        r"\frac{\partial}{\partial\theta_j} Cost(h_\theta(x), y) = (h_\theta(x) - y)x_j",
    ),
    "fq_01 twin: J defined for one example": (
        "logistic", "one", "(h − y)x_j", ("logistic",),
        r"J(\theta) = -y\log h_\theta(x) - (1-y)\log(1-h_\theta(x)) \\ "
        r"\frac{\partial J}{\partial\theta_j} = (h_\theta(x) - y)x_j",
    ),
    "fq_01 the sign slip under ∂J": (
        "logistic", "J", "(y − h)x_j", ("logistic",),
        r"\frac{\partial J}{\partial\theta_j} = (y - h_\theta(x))x_j",
    ),
    "fq_02 linear ∂J/∂θ_j": (
        "linear", "J", "(θᵀx − y)x_j", ("linear",),
        r"\frac{\partial J}{\partial\theta_j} = (\theta^T x - y)x_j",
    ),
    "fq_02 after J = (1/2m)Σ written": (
        "linear", "mean", "(θᵀx − y)x_j", ("linear",),
        r"J(\theta) = \frac{1}{2m}\sum_{i=1}^m\left(\theta^T x^{(i)} - y^{(i)}\right)^2 \\ "
        r"\frac{\partial J(\theta)}{\partial\theta_j} = (\theta^T x - y)x_j",
    ),
    "fq_02 twin: ∂L/∂θ_j": (
        "linear", "one", "(θᵀx − y)x_j", ("linear",),
        r"\frac{\partial L}{\partial\theta_j} = (\theta^T x - y)x_j",
    ),
    "fr_03 label smoothing under --cost": (
        "smoothed", "J", "(σ − 0.9y − 0.05)x_j", ("--cost", SMOOTHED),
        r"\frac{\partial J}{\partial\theta_j} = \left(\sigma(\theta^T x) - 0.9y - 0.05\right)x_j",
    ),
    "fr_03 twin: ∂L/∂θ_j": (
        "smoothed", "one", "(σ − 0.9y − 0.05)x_j", ("--cost", SMOOTHED),
        r"\frac{\partial L}{\partial\theta_j} = \left(\sigma(\theta^T x) - 0.9y - 0.05\right)x_j",
    ),
    "fr_03 twin: ∂L/∂θ_j with the unsmoothed labels": (
        "smoothed", "one", "(σ − y)x_j", ("--cost", SMOOTHED),
        r"\frac{\partial L}{\partial\theta_j} = \left(\sigma(\theta^T x) - y\right)x_j",
    ),
}  # fmt: skip


def _right_as_written(loss: str, names: str, right: str) -> tuple[bool, bool]:
    """(whether the equation holds, whether the right side is one example's gradient), by central differences.

    The right side has x and y of one example; as an equation about the mean cost J the text defines it must equal
    ∇J whichever example it is evaluated at, as one about one example's loss ℓ (or a J not defined, read as one
    example's cost) it must equal ∇ℓ at that example.
    """
    f, y = LOSSES[loss]
    g = RIGHTS[right]
    own = all(
        np.allclose(g(THETA, X[k], y[k]), central_differences(lambda t, k=k: f(t, X[k], y[k]), THETA), atol=1e-7)
        for k in range(M)
    )
    mean = central_differences(lambda t: float(np.mean(f(t, X, y))), THETA)
    of_j = all(np.allclose(g(THETA, X[k], y[k]), mean, atol=1e-7) for k in range(M))
    return (of_j if names == "mean" else own), own


@pytest.mark.parametrize("name", PER_EXAMPLE)
def test_one_example_gradient_named_by_its_left_side(name):
    loss, names, right, args, latex = PER_EXAMPLE[name]
    holds, own = _right_as_written(loss, names, right)
    result = run_cli("check", *args, "--latex", latex)
    assert result.returncode == (0 if holds else 1), result.stdout + result.stderr
    headline = result.stdout.splitlines()[0]
    as_one = r"✓ correct (for|as) one example's gradient \(∂ℓ/∂θ_j, an SGD step\):"
    # ∂J/∂θ_j with J not defined, right for one example: ✓ as that, on the first line, never a plain ✓
    assert bool(re.match(as_one, headline)) == (names == "J" and own), headline
    assert headline.startswith("✓ correct" if holds else "✗ incorrect"), headline
    rows = np.array([RIGHTS[right](THETA, X[k], LOSSES[loss][1][k]) for k in range(M)])
    mean = central_differences(lambda t: float(np.mean(LOSSES[loss][0](t, X, LOSSES[loss][1]))), THETA)
    if names == "J" and own:  # the next line: ∂J/∂θ_j of the mean cost, the mean of the rows
        assert result.stdout.splitlines()[2].startswith("  of the mean cost J: ∂J/∂θ_j = (1/m) Σᵢ₌₁ᵐ")
        assert np.allclose(rows.mean(axis=0), mean, atol=1e-7)
    said = "one example's gradient (no Σ over the examples), but ∂J/∂θ_j = (1/m) Σᵢ₌₁ᵐ"
    # ✗ after a J defined as the mean, with a right side right for one example: said, and that it is right as that
    assert (said in result.stdout) == (names == "mean" and own), result.stdout
    if names == "mean" and own:
        assert "as one example's gradient (∂ℓ/∂θ_j, an SGD step) yours is right" in result.stdout
        assert np.allclose(rows.mean(axis=0), mean, atol=1e-7)  # what it says ∂J/∂θ_j is: their mean
    if names != "one" and not own:  # wrong as one example's gradient too: its own diagnosis, not this one
        assert "one example's gradient, not J's" not in result.stdout


def test_the_stochastic_update_stays_right():
    # CS229's θ_j := θ_j − α(h_θ(x) − y)x_j: a step for one example, no J named
    holds, own = _right_as_written("logistic", "one", "(h − y)x_j")
    assert holds and own
    result = run_cli("check", "logistic", "--latex", r"\theta_j := \theta_j - \alpha(h_\theta(x) - y)x_j")
    assert result.returncode == 0 and "one example's gradient, not J's" not in result.stdout


# --- a constant letter of the cost read as λ: the gradient is read with it ---------------------------------------

LOG_COSH = r"\frac{1}{m}\sum_{i=1}^m \frac{1}{c}\log\cosh\left(c\left(\theta^T x^{(i)} - y^{(i)}\right)\right)"
TANH = r"\tanh\left(c\left(\theta^T x^{(i)} - y^{(i)}\right)\right) x_j^{(i)}"
HALF_A = r"\frac{a}{2m}\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)^2"
CONSTANTS = {  # name: (cost in NumPy of (θ, constant), gradient in NumPy, cost LaTeX, gradient LaTeX)
    "LCC_ok": (
        lambda t, c: np.mean(np.log(np.cosh(c * (X @ t - YR)))) / c,
        lambda t, c: X.T @ np.tanh(c * (X @ t - YR)) / M,
        LOG_COSH, r"\frac{\partial J}{\partial\theta_j} = \frac{1}{m}\sum_{i=1}^m " + TANH,
    ),
    "LCC_c": (
        lambda t, c: np.mean(np.log(np.cosh(c * (X @ t - YR)))) / c,
        lambda t, c: c * X.T @ np.tanh(c * (X @ t - YR)) / M,
        LOG_COSH, r"\frac{\partial J}{\partial\theta_j} = \frac{1}{m}\sum_{i=1}^m c" + TANH,
    ),
    "a/(2m) with a/m": (
        lambda t, a: a * np.sum((X @ t - YR) ** 2) / (2 * M),
        lambda t, a: a * X.T @ (X @ t - YR) / M,
        HALF_A, r"\frac{a}{m}\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)x_j^{(i)}",
    ),
    "a/(2m) with 1/m": (
        lambda t, a: a * np.sum((X @ t - YR) ** 2) / (2 * M),
        lambda t, a: X.T @ (X @ t - YR) / M,
        HALF_A, r"\frac{1}{m}\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)x_j^{(i)}",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", CONSTANTS)
def test_a_constant_letter_is_read_in_the_gradient_as_in_the_cost(name):
    cost, gradient, cost_latex, latex = CONSTANTS[name]
    right = all(
        np.allclose(gradient(THETA, c), central_differences(lambda t, c=c: cost(t, c), THETA), atol=1e-7)
        for c in (0.5, 2.0)
    )
    assert right == name.endswith(("ok", "a/m"))  # the twins are wrong, by the central differences
    result = run_cli("check", "--cost", cost_latex, "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect")
    letter = "c" if cost_latex == LOG_COSH else "a"
    assert f"{letter} read as λ, the constant of your cost" in result.stdout


# --- the model's own mean: λ and μ for Poisson's rate, and the hint for a bare letter ------------------------------

COUNTS = DATA.counts
Y_PROBIT = Y01


def _poisson_cost(t):
    return float(np.mean(np.exp(X @ t) - COUNTS * (X @ t)))


def _probit_cost(t):
    from scipy.stats import norm  # the tests' own Φ, not the tool's

    p = norm.cdf(X @ t)
    return float(-np.mean(Y_PROBIT * np.log(p) + (1 - Y_PROBIT) * np.log(1 - p)))


def _rate_gradient(sign: int):
    return sign * X.T @ (np.exp(X @ THETA) - COUNTS) / M


RATES = {  # name: (LaTeX, its transcription with λ = μ = e^{Xθ})
    "fv_17 Xᵀ(λ − y)/m": (r"\frac{1}{m}X^T(\lambda - y)", _rate_gradient(1)),
    "T25 Xᵀ(μ − y)/m": (r"\frac{1}{m}X^T(\mu - y)", _rate_gradient(1)),
    "Σ(λ_i − y_i)x_ij/m": (r"\frac{1}{m}\sum_{i=1}^m (\lambda_i - y_i)x_{ij}", _rate_gradient(1)),
    "twin Xᵀ(y − λ)/m": (r"\frac{1}{m}X^T(y - \lambda)", _rate_gradient(-1)),
}


@pytest.mark.parametrize("name", RATES)
def test_the_poisson_rate_written_lambda_or_mu(name):
    latex, transcribed = RATES[name]
    right = np.allclose(transcribed, central_differences(_poisson_cost, THETA), atol=1e-6)
    assert right == (not name.startswith("twin"))
    result = run_cli("check", "poisson", "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect")
    assert "read as the Poisson rate e^(θᵀx⁽ⁱ⁾)" in result.stdout


def test_lambda_beside_y_in_a_model_without_the_rate_stays_a_constant():
    # linear has neither a penalty nor a rate: λ stays the constant it reads, and (1/m)Xᵀ(λ − y) is wrong
    result = run_cli("check", "linear", "--latex", r"\frac{1}{m}X^T(\lambda - y)")
    assert result.returncode == 1 and "Poisson rate" not in result.stdout


@pytest.mark.parametrize(
    "model, hint", [("probit", r"\Phi(X\theta)"), ("poisson", r"e^{X\theta}"), ("logistic", r"\sigma(X\theta)")]
)
def test_a_bare_mean_letter_is_told_the_models_own_mean(model, hint):
    # T27: p under probit was told "write e.g. \sigma(X\theta)", which is not probit's mean
    result = run_cli("check", model, "--latex", r"\frac{1}{m}X^T(p - y)")
    assert result.returncode == 2 and result.stderr.strip().endswith("write e.g. " + hint), result.stderr


def test_the_probit_hint_written_out_is_judged_by_central_differences():
    # what the hint says to write, with the logistic form carried over: wrong for probit
    from scipy.stats import norm

    carried = X.T @ (norm.cdf(X @ THETA) - Y_PROBIT) / M
    assert not np.allclose(carried, central_differences(_probit_cost, THETA), atol=1e-6)
    result = run_cli("check", "probit", "--latex", r"\frac{1}{m}X^T(\Phi(X\theta) - y)")
    assert result.returncode == 1


# --- the Euclidean norm ‖Xθ − y‖ and √((Xθ − y)ᵀ(Xθ − y)) (NRM, NRMs) ---------------------------------------------


def _norm_cost(t):
    return float(np.linalg.norm(X @ t - YR))


NORM = r"\left\|X\theta - y\right\|"
SQRT = r"\sqrt{(X\theta - y)^T(X\theta - y)}"
BY_ENTRIES = (
    r"\frac{\partial J}{\partial\theta_j} = \frac{\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)}) x_j^{(i)}}"
    r"{\sqrt{\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2}}"
)
NORMS = {  # name: (cost, gradient LaTeX, its transcription)
    "NRMs by entries": (SQRT, BY_ENTRIES, lambda t: X.T @ (X @ t - YR) / np.linalg.norm(X @ t - YR)),
    "NRMs_sq 2Xᵀ(Xθ − y)": (SQRT, r"\nabla_\theta J = 2X^T(X\theta - y)", lambda t: 2 * X.T @ (X @ t - YR)),
    "NRM Xᵀ(Xθ − y)": (NORM, r"\nabla_\theta J = X^T\left(X\theta - y\right)", lambda t: X.T @ (X @ t - YR)),
    "NRM_ok over the norm": (
        NORM, r"\nabla_\theta J = \frac{X^T\left(X\theta - y\right)}{" + NORM + "}",
        lambda t: X.T @ (X @ t - YR) / np.linalg.norm(X @ t - YR),
    ),
    "NRM_ok the norm's inverse first": (
        NORM, r"\nabla_\theta J = \frac{1}{" + NORM + r"}X^T\left(X\theta - y\right)",
        lambda t: X.T @ (X @ t - YR) / np.linalg.norm(X @ t - YR),
    ),
    "NRMs_ok over the square root": (
        SQRT, r"\nabla_\theta J = \frac{X^T(X\theta - y)}{" + SQRT + "}",
        lambda t: X.T @ (X @ t - YR) / np.linalg.norm(X @ t - YR),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", NORMS)
def test_the_norm_cost_and_its_gradient(name):
    cost, latex, transcribed = NORMS[name]
    right = np.allclose(transcribed(THETA), central_differences(_norm_cost, THETA), atol=1e-6)
    assert right == ("ok" in name or "entries" in name)
    result = run_cli("check", "--cost", cost, "--latex", latex)
    if "over" in name or "inverse" in name:  # a norm dividing a matrix form: read (✓), or refused saying what to write
        assert result.returncode in (0, 2), result.stdout + result.stderr  # never ✗ on a right gradient
        assert result.returncode == 0 or "write it by its entries" in result.stderr
        return
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect")


def test_the_l2_norm_gradient_for_an_l1_penalty_is_never_right():
    # L1n_l2: ‖θ‖₁ given λθ/‖θ‖ (the L2 norm's gradient): wrong by central differences, never ✓
    lam = 0.7

    def cost(t):
        return float(np.sum((X @ t - YR) ** 2) / (2 * M) + lam * np.sum(np.abs(t)))

    given = X.T @ (X @ THETA - YR) / M + lam * THETA / np.linalg.norm(THETA)
    assert not np.allclose(given, central_differences(cost, THETA), atol=1e-6)
    result = run_cli(
        "check", "--cost", r"\frac{1}{2m}\left\|X\theta - y\right\|^2 + \lambda\left\|\theta\right\|_1",
        "--latex", r"\nabla_\theta J = \frac{1}{m}X^T(X\theta - y) + \frac{\lambda\theta}{\sqrt{\theta^T\theta}}",
    )  # fmt: skip
    assert result.returncode in (1, 2), result.stdout + result.stderr


def test_one_examples_loss_named_by_its_index_is_never_right_with_a_sum():
    # ∂J^{(i)}/∂θ_j names one example's loss: the mean gradient on the right is not it (read, ✗; or refused)
    holds, own = _right_as_written("logistic", "one", "(h − y)x_j")
    assert holds and own
    f, y = LOSSES["logistic"]
    mean = central_differences(lambda t: float(np.mean(f(t, X, y))), THETA)
    assert not np.allclose(mean, central_differences(lambda t: f(t, X[0], y[0]), THETA), atol=1e-6)
    summed = r"\frac{1}{m}\sum_{i=1}^m(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}"
    result = run_cli("check", "logistic", "--latex", r"\frac{\partial J^{(i)}}{\partial\theta_j} = " + summed)
    assert result.returncode in (1, 2), result.stdout
    one = run_cli("check", "logistic", "--latex", r"\frac{\partial J^{(i)}}{\partial\theta_j} = (h_\theta(x) - y)x_j")
    assert one.returncode in (0, 2), one.stdout  # right for one example: read (✓) or refused, never ✗
