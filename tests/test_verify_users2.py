"""``verify`` on derivations written as users write them: the tester's remaining false ✗ and refusals, and new ones.

The tester's (tests/data/verify_users2/tester/): a one-example softmax derivation with "Σ_k y_k = 1"
(a fact, not a step; j a class), CS229's "just one training example (x, y)" with ℓ = Σ_i …, d2l's n
examples and ∂_w l^{(i)}(w, b), yᵀlog(h) with h = g(Xθ), ∂/∂w max(0, 1 − ywx) with one weight,
∇_w L with L defined nowhere.  The new ones (tests/data/verify_users2/): Markdown with [bracket
comments], a StackExchange answer, CS229/Ng notes, Medium-blog d/dz, d2l, plain text; linear,
logistic, softmax, ridge, hinge; each ``*_ok`` correct, each ``*_slip`` the same with one real slip.
Every verdict here is also checked against finite differences of the cost in NumPy (the oracle has
the last word): the correct results equal them, the slipped ones do not.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from central import central_differences as _fd

from derivation.proof import verify_text

DATA = Path(__file__).parent / "data" / "verify_users2"

# (file, model, line of the first ✗ or None when every step holds)
CASES = [
    ("md_brackets_logistic_ok.md", "logistic", None),
    ("md_brackets_logistic_slip.md", "logistic", 19),  # sign of the result flipped
    ("se_linear_ok.md", "linear", None),
    ("se_linear_slip.md", "linear", 7),  # x_j dropped
    ("cs229_ridge_ok.tex", "ridge", None),
    ("cs229_ridge_slip.tex", "ridge", 3),  # − λθ_j/m
    ("cs229_one_example_ok.tex", "linear", None),
    ("cs229_one_example_slip.tex", "linear", 6),  # x_k for x_j
    ("medium_sigmoid_ok.md", "logistic", None),
    ("medium_sigmoid_slip.md", "logistic", 5),  # −e^{−z} in the quotient rule
    ("medium_logloss_ok.md", "logistic", None),
    ("medium_logloss_slip.md", "logistic", 3),  # a factor ŷ left in
    ("medium_wb_linear_ok.md", None, None),  # J(w, b) with w x_i + b: the text's own one-feature cost
    ("medium_wb_linear_slip.md", None, 5),  # −(1/m) for −(2/m) in ∂J/∂b
    ("medium_w_logistic_ok.md", None, None),
    ("medium_w_logistic_slip.md", None, 3),  # x_i dropped
    ("d2l_linear_ok.md", "linear", None),
    ("d2l_linear_slip.md", "linear", 5),  # b dropped from ∂_b l
    ("d2l_mse_n_ok.md", "linear-mean", None),
    ("d2l_mse_n_slip.md", "linear-mean", 3),  # Xw + y
    ("softmax_onehot_ok.md", "softmax", None),
    ("softmax_onehot_slip.md", "softmax", 6),  # δ_kj − p_k
    ("softmax_class_i_ok.md", "softmax", None),  # i the class: ∂L/∂z_i = p_i − y_i
    ("softmax_class_i_slip.md", "softmax", 3),  # p_i + y_i
    ("softmax_hat_ok.md", "softmax", None),
    ("softmax_hat_slip.md", "softmax", 3),  # y_j − ŷ_j
    ("hinge_one_weight_ok.md", "hinge", None),
    ("hinge_one_weight_slip.md", "hinge", 1),  # the indicator dropped
    ("plain_unicode_linear_ok.txt", "linear", None),  # ∂/∂θ_j (1/2m) Σ …: the operator acts on all after it
    ("plain_unicode_linear_slip.txt", "linear", 1),  # (1/2m) kept after differentiating
    ("ridge_plain_ok.txt", "ridge", None),
    ("ridge_plain_slip.txt", "ridge", 2),  # λ/(2m) θ_j
    ("ridge_plain_unrestricted.txt", "ridge", 2),  # λ/m θ_j with no "(j ≥ 1)": wrong at j = 0
    ("medium_vectorised_yhat_ok.md", "logistic", None),  # ŷ = σ(Xθ) a vector the text defines
    ("medium_vectorised_yhat_slip.md", "logistic", 3),  # Xᵀ(y − ŷ)
    ("logistic_vectorised_ok.tex", "logistic", None),
    ("logistic_vectorised_slip.tex", "logistic", 7),  # Xᵀ(y − h)
    ("tester/softmax_derivation.md", "softmax", None),
    ("tester/cs229_loglik_prose.tex", None, None),
    ("tester/cs229_loglik.tex", None, 3),  # no "one training example": ℓ is the sum over the examples
    ("tester/mse_n_examples.md", "linear-mean", None),
    ("tester/d2l_style.md", "linear", None),
    ("tester/logistic_vectorised.tex", None, None),
    ("tester/mse_bold_xi_min.md", "linear-mean", None),
    ("tester/mse_bold_xi_min2.md", "linear-mean", None),
]


def verify(name: str, model: str | None, explain: bool = False):
    return verify_text((DATA / name).read_text(), hypothesis=model, explain=explain)


@pytest.mark.parametrize(("name", "model", "line"), CASES, ids=[c[0] for c in CASES])
def test_verdict(name, model, line):
    report = verify(name, model)
    if line is None:
        assert report.exit_code == 0, report
    else:
        assert report.exit_code == 1 and report.first_failure.line == line, report


def test_the_slips_are_single_edits_of_the_correct_texts():
    for name, _, line in CASES:
        if name.endswith(("_slip.md", "_slip.tex", "_slip.txt")):
            ok = (DATA / name.replace("_slip", "_ok")).read_text().splitlines()
            slip = (DATA / name).read_text().splitlines()
            assert [k + 1 for k, (a, b) in enumerate(zip(ok, slip, strict=True)) if a != b] == [line], name


def test_a_one_example_softmax_states_its_labels_sum_to_one():
    report = verify("tester/softmax_derivation.md", "softmax")
    fact = next(step for step in report.steps if step.lhs.strip() == r"\sum_k y_k")
    assert fact.status == "definition" and "not checked" in fact.note
    words = " ".join(w for _, w in report.interpretations)
    assert "sum to 1 as the text says (line 1)" in words and "read j as a class" in words
    # without the fact the last step, which needs it, fails: Σ_k y_k = 1 is what makes it hold
    text = (DATA / "tester/softmax_derivation.md").read_text().replace(r" with $\sum_k y_k = 1$", "")
    assert verify_text(text, hypothesis="softmax", explain=False).first_failure.line == 8


def test_one_training_example_said_in_the_prose_reads_the_sum_as_its_term():
    report = verify("tester/cs229_loglik_prose.tex", None)
    assert any("for the one training example (x, y)" in w for _, w in report.interpretations)


def test_n_examples_and_a_penalty_without_limits_are_said():
    words = [w for _, w in verify("tester/mse_n_examples.md", "linear-mean").interpretations]
    assert any(w.startswith("read n as m, the number of examples") for w in words)
    report = verify("ridge_plain_ok.txt", None)  # the model is read from the text's J(θ)
    assert report.hypothesis == "ridge" and report.exit_code == 0
    assert any("Σ_j with no limits as j = 1, …, n" in w for _, w in report.interpretations)


def test_a_row_right_for_j_from_one_only_says_to_write_so():
    step = verify("ridge_plain_unrestricted.txt", "ridge", explain=True).first_failure
    assert step.diagnosis.kind == "j = 0" and "write (j ≥ 1) beside the row" in step.diagnosis.message


def test_a_one_feature_cost_of_w_and_b_is_the_texts_own():
    report = verify("medium_wb_linear_ok.md", None)
    assert report.steps[0].status == "definition" and "the text's own cost" in report.steps[0].note
    # the same steps under a model's J(θ) with vectors would not be the text's: each needs the text's J
    assert report.exit_code == 0 and verify("medium_wb_linear_slip.md", None).first_failure.line == 5


def test_one_weight_and_an_undefined_loss():
    report = verify("hinge_one_weight_slip.md", None)
    assert report.exit_code == 1 and any("one weight, a number" in w for _, w in report.interpretations)
    report = verify("tester/mse_bold_xi_min2.md", "linear-mean")
    assert any("the model's cost (--hypothesis linear-mean)" in w for _, w in report.interpretations)
    refused = verify("tester/mse_bold_xi_min2.md", None).first_problem  # no model named: say what to add
    assert refused.status == "not understood" and "\n" not in refused.unreadable.message
    assert "write what L is (L = …) first, or name the model" in refused.unreadable.message


# --- the independent judge: finite differences of the cost, in NumPy ----------------------------------


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


RNG = np.random.default_rng(7)
X, Y01, THETA, LAM = RNG.normal(size=(6, 3)), RNG.uniform(0.1, 0.9, 6), RNG.normal(size=3), 0.7
M = len(X)


def test_finite_differences_agree_with_each_verdict():
    close = np.allclose
    # logistic, one example (md_brackets, medium_logloss with one feature): (σ − y)x; slips: (y − σ)x, (σ − y)σx
    x, y = X[0], Y01[0]
    loss = lambda t: -y * np.log(_sigmoid(t @ x)) - (1 - y) * np.log(1 - _sigmoid(t @ x))  # noqa: E731
    s = _sigmoid(THETA @ x)
    assert close(_fd(loss, THETA), (s - y) * x) and not close(_fd(loss, THETA), (y - s) * x)
    assert not close(_fd(loss, THETA), (s - y) * s * x)
    # linear (se_linear, cs229_one_example): (1/m)Σ(h − y)x_j; slips: x_j dropped, x_k for x_j
    cost = lambda t: ((X @ t - Y01) ** 2).sum() / (2 * M)  # noqa: E731
    assert close(_fd(cost, THETA), X.T @ (X @ THETA - Y01) / M)
    assert not close(_fd(cost, THETA), np.full(3, (X @ THETA - Y01).sum() / M))
    one = lambda t: 0.5 * (t @ x - y) ** 2  # noqa: E731
    assert close(_fd(one, THETA), (THETA @ x - y) * x) and not close(_fd(one, THETA), (THETA @ x - y) * x[::-1])
    # ridge (cs229_ridge, ridge_plain): entries j ≥ 1 are (1/m)Σ(h − y)x_j + (λ/m)θ_j; slips −λ, λ/(2m); j = 0 has no λ
    ridge = lambda t: cost(t) + LAM * (t[1:] ** 2).sum() / (2 * M)  # noqa: E731
    data = X.T @ (X @ THETA - Y01) / M
    g = _fd(ridge, THETA)
    assert close(g[1:], (data + LAM * THETA / M)[1:]) and not close(g[1:], (data - LAM * THETA / M)[1:])
    assert not close(g[1:], (data + LAM * THETA / (2 * M))[1:]) and not close(g[0], (data + LAM * THETA / M)[0])
    # d2l: ∂_b of ½(wᵀx + b − y)² is wᵀx + b − y (slip: b dropped); mean over n: (1/n)Xᵀ(Xw − y) (slip Xw + y)
    b = 0.3
    assert close(_fd(lambda v: 0.5 * (THETA @ x + v[0] - y) ** 2, np.array([b]))[0], THETA @ x + b - y)
    assert not close(THETA @ x - y, THETA @ x + b - y)
    mse = lambda t: ((X @ t - Y01) ** 2).sum() / (2 * M)  # noqa: E731
    assert close(_fd(mse, THETA), X.T @ (X @ THETA - Y01) / M) and not close(
        _fd(mse, THETA), X.T @ (X @ THETA + Y01) / M
    )
    # vectorised logistic: (1/m)Xᵀ(σ(Xθ) − y); slip Xᵀ(y − σ)
    ce = lambda t: -(Y01 @ np.log(_sigmoid(X @ t)) + (1 - Y01) @ np.log(1 - _sigmoid(X @ t))) / M  # noqa: E731
    assert close(_fd(ce, THETA), X.T @ (_sigmoid(X @ THETA) - Y01) / M)
    assert not close(_fd(ce, THETA), X.T @ (Y01 - _sigmoid(X @ THETA)) / M)


def test_finite_differences_softmax_sigmoid_and_one_weight():
    close = np.allclose
    z, onehot = RNG.normal(size=4), np.eye(4)[2]
    p = np.exp(z) / np.exp(z).sum()
    loss = lambda v: -(onehot * np.log(np.exp(v) / np.exp(v).sum())).sum()  # noqa: E731
    assert close(_fd(loss, z), p - onehot)
    # the slip's row −Σ_k y_k(δ_kj − p_k) = p·y − y_j is not the gradient
    assert not close(_fd(loss, z), np.full(4, p @ onehot) - onehot)
    # σ′ = e^{−z}/(1 + e^{−z})² (slip: its negative)
    t = np.array([0.4])
    assert close(_fd(lambda v: _sigmoid(v[0]), t)[0], np.exp(-0.4) / (1 + np.exp(-0.4)) ** 2)
    # ∂/∂w max(0, 1 − ywx) = −yx·1[ywx < 1]: where ywx > 1 it is 0, not −yx (the slip)
    w, xx, yy = 1.5, 1.2, 0.9
    d = _fd(lambda v: max(0.0, 1 - yy * v[0] * xx), np.array([w]))[0]
    assert d == 0.0 and -yy * xx != 0.0
    assert close(_fd(lambda v: max(0.0, 1 - yy * v[0] * xx), np.array([0.2]))[0], -yy * xx)


def test_a_step_right_under_what_the_text_leaves_unsaid_names_it():
    step = verify("tester/cs229_loglik.tex", None, explain=True).first_failure  # no "one training example"
    assert step.diagnosis.kind == "one example" and "say the derivation is for one training example" in (
        step.diagnosis.message
    )
    text = (DATA / "tester/softmax_derivation.md").read_text().replace(r" with $\sum_k y_k = 1$", "")
    step = verify_text(text, hypothesis="softmax").first_failure
    assert step.diagnosis.kind == "labels" and "Σ_k y_k = 1" in step.diagnosis.message
