r"""``check`` (session 30): review 10's R4 and tester 12/13's open findings, written the way users write them.

* ỹ (``\tilde{y}``) is a name of its own, a smoothed or ±1 label, never y: defined nowhere it is refused with words
  that say to define it (it was read as y, and a gradient with it got ✓); defined beside the gradient, or only beside
  the cost (``, \quad \tilde{y}^{(i)} = …``), it is that definition.  θ̃ likewise; X̃ stays X.
* Label smoothing's ε beside the cost is a constant, as λ is (c21 was refused "unknown name epsilon").
* Goodfellow's ζ(u) = log(1 + eᵘ) in a cost is the softplus (k19 was refused "unknown name zeta").
* An update rule with Σ and no 1/m (Ng's slip, CS229's batch LMS rule) is right only as m·∇J: the first line says
  the rule steps by m·∇J (t13, t02), not a bare "read as an update rule".

Truth: central differences (tests/central.py) of the cost transcribed in NumPy on data of our own; never the tool's
own numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli
from verdicts import check_verdict as _verdict


def _sigmoid(u):
    return 1.0 / (1.0 + np.exp(-u))


def _data(seed: int = 30, m: int = 9, n: int = 2):
    rng = np.random.default_rng(seed)
    x = np.hstack([np.ones((m, 1)), rng.normal(size=(m, n))])
    y = (rng.random(m) < 0.5).astype(float)
    y[:2] = (0.0, 1.0)
    return x, y, rng.normal(size=n + 1) * 0.7


DJ = r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m}"


def CE(x, y):
    """The logistic cost, as the course writes it."""
    return lambda t: float(-np.mean(y * np.log(_sigmoid(x @ t)) + (1 - y) * np.log(1 - _sigmoid(x @ t))))


# --- 1. ỹ defined nowhere: refused, never read as y (review 10 R4, L08) ----------------------------------------------


@pytest.mark.parametrize(
    ("model", "latex", "said"),
    [
        ("logistic", DJ + r"(h_\theta(x^{(i)}) - \tilde{y}^{(i)})x_j^{(i)}", "y\u0303"),
        ("logistic", DJ + r"\left(\sigma(\theta^T x^{(i)}) - \widetilde{y}^{(i)}\right)x_j^{(i)}", "y\u0303"),
        ("logistic", r"\frac{1}{m}X^T(\sigma(X\theta) - \tilde{y})", "y\u0303"),
        ("logistic-l2", r"\frac{1}{m}X^T(\sigma(X\theta) - y) + \frac{\lambda}{m}\tilde{\theta}", "\u03b8\u0303"),
    ],
)
def test_an_undefined_tilde_is_refused_not_read_as_the_letter(model, latex, said):
    x, y, t = _data()
    # the plain letter would make the gradient right: reading ỹ as y would be a ✓ on a name the text never defines
    assert np.allclose(x.T @ (_sigmoid(x @ t) - y) / len(y), central_differences(CE(x, y), t), atol=1e-6)
    result = run_cli("check", model, "--latex", latex)
    assert result.returncode == 2, result.stdout
    assert said in result.stderr and "definition" in result.stderr, result.stderr


def test_tilde_x_is_still_x_with_its_ones_column():
    x, y, t = _data()
    assert np.allclose(x.T @ (_sigmoid(x @ t) - y) / len(y), central_differences(CE(x, y), t), atol=1e-6)
    result = run_cli("check", "logistic", "--latex", r"\frac{1}{m}\tilde{X}^\top(\sigma(\tilde X\theta) - y)")
    assert _verdict(result) == "correct", result.stdout


@pytest.mark.parametrize(
    ("clause", "label"),
    [
        (r"\tilde{y}^{(i)} = y^{(i)}", lambda y: y),
        (r"\tilde{y}^{(i)} = 0.9y^{(i)} + 0.05", lambda y: 0.9 * y + 0.05),
        (r"\tilde y^{(i)} = 2y^{(i)} - 1", lambda y: 2 * y - 1),  # the ±1 label: the false ✓ R4 feared
    ],
)
def test_a_tilde_defined_beside_the_gradient_is_its_definition(clause, label):
    x, y, t = _data()
    holds = np.allclose(x.T @ (_sigmoid(x @ t) - label(y)) / len(y), central_differences(CE(x, y), t), atol=1e-6)
    latex = DJ + r"\left(h_\theta(x^{(i)}) - \tilde{y}^{(i)}\right)x_j^{(i)}, \quad " + clause
    assert _verdict(run_cli("check", "logistic", "--latex", latex)) == ("correct" if holds else "incorrect")


# --- 2. ỹ (and ε) defined only beside the cost, then used in the gradient (c21) -------------------------------------

SMOOTHED = (
    r"J(\theta) = -\frac{1}{m}\sum_{i=1}^{m}\left[\tilde{y}^{(i)}\log\sigma(\theta^T x^{(i)}) + "
    r"(1-\tilde{y}^{(i)})\log(1-\sigma(\theta^T x^{(i)}))\right], \quad \tilde{y}^{(i)} = "
)
SMOOTH_NUMBERS = SMOOTHED + r"0.9y^{(i)} + 0.05"
SMOOTH_EPSILON = SMOOTHED + r"(1-\epsilon)y^{(i)} + \frac{\epsilon}{2}"


def _smoothed(x, y, eps):
    s = (1 - eps) * y + eps / 2
    return lambda t: float(-np.mean(s * np.log(_sigmoid(x @ t)) + (1 - s) * np.log(1 - _sigmoid(x @ t))))


@pytest.mark.parametrize(
    ("cost", "latex", "formula"),
    [
        (SMOOTH_NUMBERS, r"\left(\sigma(\theta^T x^{(i)}) - \tilde{y}^{(i)}\right) x_j^{(i)}", "s"),
        (SMOOTH_NUMBERS, r"\left(\tilde{y}^{(i)} - \sigma(\theta^T x^{(i)})\right) x_j^{(i)}", "-s"),
        (SMOOTH_NUMBERS, r"\left(\sigma(\theta^T x^{(i)}) - y^{(i)}\right) x_j^{(i)}", "y"),
        (SMOOTH_EPSILON, r"\left(\sigma(\theta^T x^{(i)}) - \tilde{y}^{(i)}\right) x_j^{(i)}", "s"),
        (
            SMOOTH_EPSILON,
            r"\left(\sigma(\theta^T x^{(i)}) - (1-\epsilon)y^{(i)} - \frac{\epsilon}{2}\right) x_j^{(i)}",
            "s",
        ),
        (SMOOTH_EPSILON, r"\left(\sigma(\theta^T x^{(i)}) - (1-\epsilon)y^{(i)} - \epsilon\right) x_j^{(i)}", "eps"),
        (SMOOTH_EPSILON, r"\left(\sigma(\theta^T x^{(i)}) - y^{(i)}\right) x_j^{(i)}", "y"),
    ],
)
def test_label_smoothing_defined_beside_the_cost(cost, latex, formula):
    x, y, t = _data()
    holds = True
    for eps in (0.1, 0.35) if "epsilon" in cost else (0.1,):  # the cost's ỹ = 0.9y + 0.05 is ε = 0.1
        s = (1 - eps) * y + eps / 2
        residual = {
            "s": _sigmoid(x @ t) - s,
            "-s": s - _sigmoid(x @ t),
            "y": _sigmoid(x @ t) - y,
            "eps": _sigmoid(x @ t) - (1 - eps) * y - eps,
        }[formula]
        holds &= np.allclose(x.T @ residual / len(y), central_differences(_smoothed(x, y, eps), t), atol=1e-6)
    result = run_cli("check", "--cost", cost, "--latex", DJ + latex)
    assert _verdict(result) == ("correct" if holds else "incorrect"), result.stdout


# --- 3. Goodfellow's ζ, the softplus, in --cost (k19) ---------------------------------------------------------------

ZETA = r"J(\theta) = \frac{1}{m}\sum_{i=1}^{m}\zeta\left((1 - 2y^{(i)})\theta^Tx^{(i)}\right)"


@pytest.mark.parametrize(
    ("latex", "formula"),
    [
        (r"\left(\sigma(\theta^Tx^{(i)}) - y^{(i)}\right)x_j^{(i)}", lambda x, y, t: _sigmoid(x @ t) - y),
        (
            r"\sigma\left((1 - 2y^{(i)})\theta^Tx^{(i)}\right)(1 - 2y^{(i)})x_j^{(i)}",
            lambda x, y, t: _sigmoid((1 - 2 * y) * (x @ t)) * (1 - 2 * y),
        ),
        (  # the inner derivative (1 − 2y) lost
            r"\sigma\left((1 - 2y^{(i)})\theta^Tx^{(i)}\right)x_j^{(i)}",
            lambda x, y, t: _sigmoid((1 - 2 * y) * (x @ t)),
        ),
        (r"\left(y^{(i)} - \sigma(\theta^Tx^{(i)})\right)x_j^{(i)}", lambda x, y, t: y - _sigmoid(x @ t)),
    ],
)
def test_zeta_is_the_softplus(latex, formula):
    x, y, t = _data()  # labels {0, 1}, as Goodfellow's 3.10 has them

    def cost(v):
        return float(np.mean(np.log1p(np.exp((1 - 2 * y) * (x @ v)))))

    holds = np.allclose(x.T @ formula(x, y, t) / len(y), central_differences(cost, t), atol=1e-6)
    result = run_cli("check", "--cost", ZETA, "--latex", DJ + latex)
    assert _verdict(result) == ("correct" if holds else "incorrect"), result.stdout
    assert "softplus" in result.stdout


# --- 4. Σ with no 1/m in an update rule: the first line says it steps by m·∇J (t13, t02) -------------------------

NG_RULE = r"\theta_j := \theta_j - \alpha \sum_{i=1}^{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right)x_j^{(i)}"
LMS_RULE = r"\theta_j := \theta_j + \alpha \sum_{i=1}^{m} \left(y^{(i)} - h_\theta(x^{(i)})\right) x_j^{(i)}"
NG_MEAN = r"\theta_j := \theta_j - \frac{\alpha}{m} \sum_{i=1}^{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right)x_j^{(i)}"


@pytest.mark.parametrize(
    ("model", "rule", "said"),
    [
        ("logistic", NG_RULE, "steps by m·∇J"),
        ("linear", LMS_RULE, "steps by −m·∇J"),
        ("logistic", NG_MEAN, None),
    ],
)
def test_a_rule_without_one_over_m_says_its_step_on_the_first_line(model, rule, said):
    x, y, t = _data()
    m = len(y)
    if model == "logistic":
        grad = central_differences(CE(x, y), t)
        step = x.T @ (_sigmoid(x @ t) - y) / (m if rule is NG_MEAN else 1)  # what θ −= α·step subtracts
    else:
        grad = central_differences(lambda v: float(np.sum((x @ v - y) ** 2) / (2 * m)), t)
        step = -(x.T @ (y - x @ t))  # θ += α·Σ(y − h)x as a descent step
    assert np.allclose(step, (m if said else 1) * grad, atol=1e-5)  # the rule's step is m·∇J (or ∇J)
    result = run_cli("check", model, "--latex", rule)
    assert _verdict(result) == "correct", result.stdout
    first = result.stdout.splitlines()[0]
    if said:
        assert said in first and "m times" in first, first
    else:
        assert "steps by" not in first, first


# --- 5. d2l's mini-batch SGD, Σ over i ∈ ℬ with 1/|ℬ| (t09): the batch read as all the examples --------------------

D2L_W = r"\mathbf{w} \leftarrow \mathbf{w} - \frac{\eta}{|\mathcal{B}|} \sum_{i \in \mathcal{B}} \mathbf{x}^{(i)} "
D2L_B = r"b \leftarrow b - \frac{\eta}{|\mathcal{B}|} \sum_{i \in \mathcal{B}} "


@pytest.mark.parametrize(
    ("rule", "residual", "part"),
    [
        (D2L_W + r"\left(\mathbf{w}^\top \mathbf{x}^{(i)} + b - y^{(i)}\right)", lambda u, y: u - y, "w"),
        (D2L_W + r"\left(\mathbf{w}^\top \mathbf{x}^{(i)} + b + y^{(i)}\right)", lambda u, y: u + y, "w"),
        (D2L_W + r"\left(y^{(i)} - \mathbf{w}^\top \mathbf{x}^{(i)} - b\right)", lambda u, y: y - u, "w"),
        (D2L_B + r"\left(\mathbf{w}^\top \mathbf{x}^{(i)} + b - y^{(i)}\right)", lambda u, y: u - y, "b"),
        (D2L_B + r"\left(\mathbf{w}^\top \mathbf{x}^{(i)} - y^{(i)}\right)", None, "b"),  # b dropped inside
    ],
)
def test_d2l_minibatch_rule(rule, residual, part):
    x, y, t = _data()
    y = x @ np.array([0.3, -1.1, 0.8]) + np.random.default_rng(9).normal(size=len(y))  # real labels
    m = len(y)
    grad = central_differences(lambda v: float(np.sum((x @ v - y) ** 2) / (2 * m)), t)
    u = x @ t
    step = x.T @ (residual(u, y) if residual else u - t[0] - y) / m
    holds = np.allclose(step[1:] if part == "w" else step[:1], grad[1:] if part == "w" else grad[:1], atol=1e-6)
    result = run_cli("check", "linear", "--latex", rule)
    assert _verdict(result) == ("correct" if holds else "incorrect"), result.stdout
    assert "mini-batch" in result.stdout


# --- 6. A cost numbered 0..m−1 and a gradient 1..m (review 9 G05): a note, the verdict from the numbers ---------------

ZERO_BASED = r"J(\theta) = \frac{1}{2m}\sum_{i=0}^{m-1}\left(\theta^T x_i - y_i\right)^2"


@pytest.mark.parametrize(
    ("latex", "sign", "mixed"),
    [
        (r"\frac{1}{m}\sum_{i=1}^{m}\left(\theta^T x_i - y_i\right) x_{ij}", 1, True),
        (r"\frac{1}{m}\sum_{i=1}^{m}\left(y_i - \theta^T x_i\right) x_{ij}", -1, True),
        (r"\frac{1}{m}\sum_{i=0}^{m-1}\left(\theta^T x_i - y_i\right) x_{ij}", 1, False),
    ],
)
def test_mixed_example_numbering_is_said(latex, sign, mixed):
    x, _, t = _data()
    y = np.random.default_rng(5).normal(size=len(x))
    grad = central_differences(lambda v: float(np.sum((x @ v - y) ** 2) / (2 * len(y))), t)
    holds = np.allclose(sign * x.T @ (x @ t - y) / len(y), grad, atol=1e-6)
    result = run_cli("check", "--cost", ZERO_BASED, "--latex", r"\frac{\partial J}{\partial \theta_j} = " + latex)
    assert _verdict(result) == ("correct" if holds else "incorrect"), result.stdout
    assert ("numbers the examples i = 0..m−1" in result.stdout) == mixed, result.stdout


# --- 7. Bishop's Ẽ(w) named on the left of the cost (k10, k11) -----------------------------------------------------

PRML_RIDGE = (
    r"\widetilde{E}(\mathbf{w}) = \frac{1}{2}\sum_{n=1}^{N}\{t_n - \mathbf{w}^T\boldsymbol{\phi}_n\}^2"
    r" + \frac{\lambda}{2}\mathbf{w}^T\mathbf{w}"
)


@pytest.mark.parametrize("half", [False, True])
def test_prml_regularised_error_named_e_tilde(half):
    x, _, w = _data()
    t = np.random.default_rng(11).normal(size=len(x))
    lam = 0.7
    grad = central_differences(lambda v: float(0.5 * np.sum((t - x @ v) ** 2) + lam / 2 * v @ v), w)
    holds = np.allclose(x.T @ (x @ w - t) + (lam / 2 if half else lam) * w, grad, atol=1e-6)
    penalty = r"\frac{\lambda}{2}\mathbf{w}" if half else r"\lambda\mathbf{w}"
    latex = (
        r"\nabla \widetilde{E}(\mathbf{w}) = "
        r"\sum_{n=1}^{N}(\mathbf{w}^T\boldsymbol{\phi}_n - t_n)\boldsymbol{\phi}_n + "
    )
    result = run_cli("check", "--cost", PRML_RIDGE, "--latex", latex + penalty, "--wrt", "w")
    assert _verdict(result) == ("correct" if holds else "incorrect"), result.stdout


@pytest.mark.parametrize(
    "rule",
    [
        r"\theta_j := \theta_j - \frac{\alpha}{m}\sum_{i \in \mathcal{B}}"
        r"\left(h_\theta(x^{(i)}) - y^{(i)}\right)x_j^{(i)}",
        r"\mathbf{w} \leftarrow \mathbf{w} - \frac{\eta}{m} \sum_{i \in \mathcal{B}} \mathbf{x}^{(i)} "
        r"\left(\mathbf{w}^\top \mathbf{x}^{(i)} + b - y^{(i)}\right)",
    ],
)
def test_a_batch_sum_divided_by_the_sets_m_is_never_a_tick(rule):
    """Review 12 F2: on a batch ℬ = {1, 4, 6} of m = 8 the 1/m rule is |ℬ|/m of the batch gradient (truth by
    central differences of the batch's cost), so it is refused in words, not read as the 1/|ℬ| rule."""
    rng = np.random.default_rng(3)
    X, y, theta = rng.standard_normal((8, 3)), (rng.random(8) < 0.5).astype(float), rng.standard_normal(3)
    batch = [0, 3, 5]

    def batch_cost(t):
        z = X[batch] @ t
        return float(np.mean(np.logaddexp(0, z) - y[batch] * z))

    true = central_differences(batch_cost, theta)
    over_m = X[batch].T @ (1 / (1 + np.exp(-X[batch] @ theta)) - y[batch]) / 8
    assert not np.allclose(true, over_m, rtol=1e-4)
    done = run_cli("check", "logistic" if "theta" in rule else "linear", "--latex", rule)
    assert done.returncode == 2 and "divides by its size |ℬ|" in done.stderr, done.stdout + done.stderr
