"""`check` on what a tester wrote (fourth round): the log-likelihood ℓ on the left under the model that is ℓ
(logistic-loglik) and under the mean cost (logistic), the ascent and descent steps, and NumPy's 1-D r.dot(X).

Each text's truth is measured here first, independently of derivation: its right side computed in NumPy on
concrete data against central differences of ℓ(θ) = Σ[y log h + (1−y) log(1−h)] written in NumPy; then the
check must say ✓ exactly for the right ones, under both models.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences as _fd

from derivation.check.gradient import CORRECT, INCORRECT, check_gradient
from derivation.check.usercode import InputError, infer_call

RNG = np.random.default_rng(4)
X = np.column_stack([np.ones(7), RNG.normal(size=(7, 2))])
Y = np.array([0.0, 1, 1, 0, 1, 0, 1])
THETA = np.array([0.3, -0.8, 1.2])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def _loglik(theta: np.ndarray) -> float:
    h = _sigmoid(X @ theta)
    return float(np.sum(Y * np.log(h) + (1 - Y) * np.log(1 - h)))


H = _sigmoid(X @ THETA)
GRAD_LL = _fd(_loglik, THETA)  # ∇ℓ by finite differences
DL = r"\frac{\partial \ell(\theta)}{\partial \theta_j} = "
HY = r"\sum_{i=1}^{m}(h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}"
YH = r"\sum_{i=1}^{m}(y^{(i)} - h_\theta(x^{(i)})) x_j^{(i)}"
STEP = r"\theta_j := \theta_j "
# (text, what its right side claims to be as a multiple of ∇ℓ, its right side in NumPy)
CASES = [
    (DL + HY, 1, X.T @ (H - Y)),
    (DL + YH, 1, X.T @ (Y - H)),
    (DL + r"\frac{1}{m}" + YH, 1 / len(Y), X.T @ (Y - H) / len(Y)),
    (r"\nabla_\theta \ell(\theta) = X^T(y - \sigma(X\theta))", 1, X.T @ (Y - H)),
    (r"\nabla_\theta \ell(\theta) = X^T(\sigma(X\theta) - y)", 1, X.T @ (H - Y)),
    # update rules: (θ_new − θ)/α must be a positive multiple of ∇ℓ (ascent climbs ℓ, descent descends −ℓ)
    (STEP + r"+ \alpha" + YH, 1, X.T @ (Y - H)),
    (STEP + r"+ \alpha" + HY, 1, X.T @ (H - Y)),
    (STEP + r"- \alpha" + HY, 1, -(X.T @ (H - Y))),
    (STEP + r"- \alpha" + YH, 1, -(X.T @ (Y - H))),
]


@pytest.mark.parametrize("model", ["logistic-loglik", "logistic"])
@pytest.mark.parametrize(("text", "scale", "value"), CASES, ids=range(len(CASES)))
def test_likelihood_on_the_left_is_judged_by_finite_differences(model, text, scale, value):
    right = bool(np.allclose(value, scale * GRAD_LL, rtol=1e-6, atol=1e-8))
    wrong = bool(np.allclose(value, -scale * GRAD_LL, rtol=1e-6, atol=1e-8))
    assert right != wrong  # the NumPy oracle decides each case one way
    if model == "logistic-loglik" and scale != 1 and not text.startswith(STEP):
        right = False  # that model defines ℓ as the sum: (1/m)∇ℓ is not ∂ℓ/∂θ_j (logistic leaves ℓ to the text)
    report = check_gradient(model, latex=text)
    assert report.status == (CORRECT if right else INCORRECT), report.reason


def test_one_d_dot_of_the_residual_is_x_transpose_r():
    m = len(Y)
    cost = lambda t: -_loglik(t) / m  # noqa: E731  the mean cross-entropy J
    value = (1 / m) * (_sigmoid(X @ THETA) - Y).dot(X)  # NumPy: a 1-D r.dot(X) is Xᵀr
    assert np.allclose(value, _fd(cost, THETA), rtol=1e-6)
    assert check_gradient("logistic", grad="(1 / m) * (sigmoid(X @ theta) - y).dot(X)").status == CORRECT
    assert check_gradient("logistic", grad="(1 / m) * (y - sigmoid(X @ theta)).dot(X)").status == INCORRECT


def test_a_cost_function_given_for_a_gradient_is_named_a_cost(tmp_path):
    path = tmp_path / "compute_cost.py"
    path.write_text("def compute_cost(X, y, theta):\n    return ((X @ theta - y) ** 2).sum() / (2 * len(y))\n")
    yr = RNG.normal(size=len(Y))
    assert np.ndim(((X @ THETA - yr) ** 2).sum() / (2 * len(yr))) == 0  # one number: J, not ∇J
    report = check_gradient("linear", python=f"{path}:compute_cost")
    assert report.status == INCORRECT and report.diagnosis.fault == "a-cost", report.diagnosis
    assert "not its gradient" in report.diagnosis.explanation


def test_a_learning_rate_is_never_offered_as_theta(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(
        "import numpy as np\n\ndef train(features, target, num_steps, learning_rate):\n"
        "    weights = np.zeros(features.shape[1])\n    return weights\n"
    )
    with pytest.raises(InputError) as info:
        infer_call(path, "train")
    assert "learning_rate is θ" not in str(info.value) and "give --call" in str(info.value)


def test_phi_of_a_number_under_probit_is_the_normal_pdf():
    """−(1/m) Σ φ(z)(y − Φ(z)) / (Φ(z)(1 − Φ(z))) x_j is probit's gradient (the derivative of
    −(1/m) Σ [y log Φ(z) + (1 − y) log(1 − Φ(z))], z = θᵀx, by hand); with y + Φ it is not."""
    h, pdf = r"\Phi(\theta^T x^{(i)})", r"\phi(\theta^T x^{(i)})"  # the tester's text
    ratio = rf"\frac{{{pdf}\left(y^{{(i)}} - {h}\right)}}{{{h}\left(1 - {h}\right)}}"
    text = r"-\frac{1}{m}\sum_{i=1}^{m}" + ratio + r" x_j^{(i)}"
    assert check_gradient("probit", latex=text).status == CORRECT
    slip = text.replace(r"\left(y^{(i)} - ", r"\left(y^{(i)} + ")
    assert check_gradient("probit", latex=slip).status == INCORRECT


@pytest.mark.parametrize(("model", "words"), [("logistic-loglik", "an extra 1/m"), ("logistic", "divided by m twice")])
def test_a_stray_one_over_m_is_said_in_the_model_s_terms(model, words):
    """(1/m)·∇ℓ under a model whose ℓ is a sum has one 1/m too many; (1/m²)Σ under a mean cost divides by m twice."""
    text = DL + r"\frac{1}{m}" + YH if model == "logistic-loglik" else r"\nabla J = \frac{1}{m^2}" + HY
    report = check_gradient(model, latex=text)
    assert report.status == INCORRECT and words in report.diagnosis.explanation, report.reason
