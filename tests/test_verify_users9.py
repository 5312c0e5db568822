r"""verify on a sixth tester's documents: Φ' = φ in prose, weighted least squares (c_i, w_i, W = diag), one tanh unit
(a = tanh(wx + b)) and a matrix rule stated in a sentence (∇_θ(θᵀAθ) = 2Aθ for symmetric A).

Each was flagged on a right line (Φ' = φ read as Φ = φ, w_i read as θ, the text's weighted cost replaced by the
logistic one, w and x of one unit forced into θ and x_j) or refused whole.  Which line of each text is right is decided
here by NumPy central differences on random data, never by the tool: a right text's checked steps all hold, its
one-slip twin's first wrong step is the slip's line.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from central import central_differences
from line_verdicts import assert_lines

from derivation.proof.verifier import verify_text

DATA = Path(__file__).parent / "data" / "verify_users9"
RNG = np.random.default_rng(9)
M, P = 6, 3
X = RNG.normal(size=(M, P))
Y = RNG.normal(size=M)
THETA = RNG.normal(size=P) * 0.7
C = RNG.uniform(0.2, 2.0, size=M)  # example weights, positive
LAM = 0.8


def _close(a, b) -> bool:
    return bool(np.allclose(a, b, rtol=1e-5, atol=1e-7))


def _phi_cdf(z):
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def _phi(z):
    return math.exp(-z * z / 2) / math.sqrt(2 * math.pi)


def _probit(slip: bool) -> list[tuple[int, bool]]:
    """Φ' = φ (line 1) and ∂ℓ/∂θ_j of ℓ = −y log Φ(θᵀx) − (1 − y) log(1 − Φ(θᵀx)) (lines 6, 7)."""
    x, y, z0 = X[0], 0.3, 0.37  # y between 0 and 1: both terms count (the steps are linear in y)
    prime = central_differences(lambda v: _phi_cdf(v[0]), np.array([z0]))[0]
    loss = lambda t: -y * math.log(_phi_cdf(t @ x)) - (1 - y) * math.log(1 - _phi_cdf(t @ x))  # noqa: E731
    truth = central_differences(loss, THETA)
    z = THETA @ x
    big, small = _phi_cdf(z), _phi(z)
    sign = 1 if slip else -1  # the slip drops the minus of ∂(1 − Φ) = −φ
    line6 = -y * small / big * x - (1 - y) * sign * small / (1 - big) * x
    line7 = ((1 - y) * small / (1 - big) - y * small / big) * x
    return [(1, _close(prime, _phi(z0))), (6, _close(line6, truth)), (7, _close(line7, truth))]


def _wls(slip: bool) -> list[tuple[int, bool]]:
    """J = ½Σ c_i(θᵀx_i − y_i)² and its gradient Σ c_i(θᵀx_i − y_i)x_i (the slip: y_i − θᵀx_i) on line 5."""
    cost = lambda t: 0.5 * np.sum(C * (X @ t - Y) ** 2)  # noqa: E731
    residual = (Y - X @ THETA) if slip else (X @ THETA - Y)
    return [(5, _close(X.T @ (C * residual), central_differences(cost, THETA)))]


def _tanh(slip: bool) -> list[tuple[int, bool]]:
    """∂a/∂w = (1 − tanh²(wx + b))x (the slip: 1 + tanh²) on line 3, ∂a/∂b = 1 − tanh²(wx + b) on line 5."""
    w, b, x = 0.7, -0.3, 1.4
    unit = lambda v: math.tanh(v[0] * x + v[1])  # noqa: E731
    by_w, by_b = central_differences(unit, np.array([w, b]))
    t = math.tanh(w * x + b)
    return [(3, _close((1 + t * t if slip else 1 - t * t) * x, by_w)), (5, _close(1 - t * t, by_b))]


def _ridge(factor: float) -> list[tuple[int, bool]]:
    """The rule ∇_θ(θᵀAθ) = factor·Aθ for a symmetric A (line 8), the ridge gradient's three forms (lines 10-12)."""
    half = RNG.normal(size=(P, P))
    a = half + half.T
    rule = _close(factor * a @ THETA, central_differences(lambda t: t @ a @ t, THETA))
    cost = lambda t: 0.5 * np.sum((X @ t - Y) ** 2) + LAM / 2 * t @ t  # noqa: E731
    truth = central_differences(cost, THETA)
    gradient = X.T @ (X @ THETA - Y) + LAM * THETA
    return [(8, rule)] + [(line, _close(gradient, truth)) for line in (10, 11, 12)]


def _softplus(slip: bool) -> list[tuple[int, bool]]:
    """s'(z) of s(z) = log(1 + e^z): e^z/(1 + e^z) = 1/(1 + e^{−z}) (the slip: 1/(1 + e^z)) = σ(z), all on line 3."""
    z = 0.6
    truth = central_differences(lambda v: math.log(1 + math.exp(v[0])), np.array([z]))[0]
    middle = 1 / (1 + math.exp(z if slip else -z))
    return [(3, _close(math.exp(z) / (1 + math.exp(z)), truth) and _close(middle, truth))]


CASES = {  # file: the lines it claims, each with whether the claim holds by central differences
    "w13_probit.md": _probit(False),
    "w14_probit_slip.md": _probit(True),
    "w27_wls_c.md": _wls(False),
    "w28_wls_c_slip.md": _wls(True),
    "w31_tanh_prime.md": _tanh(False),
    "w31_tanh_prime_slip.md": _tanh(True),
    "w30_softplus.md": _softplus(False),
    "w30_softplus_slip.md": _softplus(True),
    "w01_ridge_matrix.md": _ridge(2),
    "w01_ridge_matrix_slip.md": _ridge(1),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_line_is_judged_as_central_differences_say(name):
    claims = CASES[name]
    wrong = next((line for line, right in claims if not right), None)
    assert (wrong is None) == ("slip" not in name)  # the tester's labels agree with the finite differences
    report = verify_text((DATA / name).read_text(), rules=False)
    assert_lines(report, claims)


def test_weights_w_i_are_data_and_w_diag_is_refused_not_flagged():
    """W = diag(w_i): the index forms hold, the matrix forms are refused in one line (never a ✓ nor a false ✗);
    the slip twin's XᵀW(y − Xθ) is one of the refused ones, so its text is never all ✓."""
    truth = central_differences(lambda t: 0.5 * np.sum(C * (X @ t - Y) ** 2), THETA)
    assert _close(X.T @ (C * (X @ THETA - Y)), truth) and not _close(X.T @ (C * (Y - X @ THETA)), truth)
    for name in ("w23_wls.md", "w24_wls_slip.md"):
        report = verify_text((DATA / name).read_text(), rules=False)
        assert not any(s.status == "fails" for s in report.steps)
        assert [s.status for s in report.steps if s.line == 5] == ["holds", "not understood"]
        refused = [s for s in report.steps if s.status == "not understood"]
        assert [s.line for s in refused] == [3, 5] and all("diag" in s.unreadable.message for s in refused)
        assert report.exit_code == 2
        assert not any("w as θ" in words for s in report.steps for words in s.interpretations)


def test_a_bare_prime_in_prose_is_a_derivative_and_a_wrong_one_fails():
    z0 = 0.37
    prime = central_differences(lambda v: _phi_cdf(v[0]), np.array([z0]))[0]
    assert not _close(prime, _phi_cdf(z0))  # Φ' = Φ is wrong
    steps = verify_text(r"with $\Phi' = \phi$ and $\Phi' = \Phi$.", rules=False).steps
    assert [s.status for s in steps] == ["holds", "fails"]


def test_a_rule_of_a_letter_the_text_never_uses_is_stated_not_refused():
    """∇_θ(θᵀMθ) = 2Mθ for symmetric M, M in no other formula: a stated fact, not checked; the steps hold."""
    report = verify_text((DATA / "w01_ridge_matrix_m.md").read_text(), rules=False)
    stated = [s for s in report.steps if s.line == 8]
    assert [s.status for s in stated] == ["definition"] and "M" in stated[0].note
    assert all(s.status == "holds" for s in report.checked) and report.exit_code == 0


WEIGHTED_SUPERSCRIPT = r"""$$J(\theta) = \frac12\sum_{i=1}^{m} w^{(i)}\left(\theta^T x^{(i)} - y^{(i)}\right)^2$$

$$\frac{\partial J}{\partial \theta_j} = \sum_{i=1}^{m} w^{(i)}\left(RESIDUAL\right)x_j^{(i)}$$
"""


@pytest.mark.parametrize("slip", [False, True])
def test_a_weight_per_example_written_w_i_is_data_not_theta(slip):
    """w⁽ⁱ⁾ with θ the parameter: w is no θ; the gradient's line 3 holds exactly when central differences say so."""
    ((_, right),) = _wls(slip)
    residual = r"y^{(i)} - \theta^T x^{(i)}" if slip else r"\theta^T x^{(i)} - y^{(i)}"
    report = verify_text(WEIGHTED_SUPERSCRIPT.replace("RESIDUAL", residual), rules=False)
    assert [(s.line, s.status) for s in report.checked] == [(3, "holds" if right else "fails")]
    assert right == (not slip)
