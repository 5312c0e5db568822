r"""verify on a ninth tester's documents: a gradient written for one example (no Σ, no 1/m, no x⁽ⁱ⁾) under a J the
text itself defines as (1/m)Σ over the examples; h = σ(−θᵀx) defined in prose and J written with it.

Each was judged wrongly: the one-example line was ✓ under "J read as the cost of one example", although the text had
just defined J as the mean; J written with the text's own h was ✗ against the default model's cost.  Which line of
each text is right is decided here by NumPy central differences on random numbers, never by the tool.
"""

from __future__ import annotations

import numpy as np
from central import central_differences
from line_verdicts import assert_lines
from verdicts import close, sigmoid, verify_fast, verify_marks

from derivation.proof.verifier import verify_text

RNG = np.random.default_rng(12)
M, P = 7, 3
X = RNG.normal(size=(M, P))
LABELS = RNG.integers(0, 2, size=M).astype(float)
TARGETS = RNG.normal(size=M)
THETA = RNG.normal(size=P) * 0.5


_verify = verify_fast


_close = close


_sigmoid = sigmoid


def _log_loss(h, y):
    return -y * np.log(h) - (1 - y) * np.log(1 - h)


# --- 1. J defined as the mean, then one example's gradient ------------------------------------------------------------

LOGISTIC_MEAN = (
    r"$$J(\theta) = -\frac{1}{m}\sum_{i=1}^m\left[y^{(i)}\log h_\theta(x^{(i)})"
    r" + (1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right]$$"
    "\n"
    r"$$\frac{\partial J(\theta)}{\partial\theta_j} = \left(h_\theta(x) - y\right)x_j$$"
    "\n"
)
LINEAR_MEAN = r"""The cost of linear regression is
$$J(\theta) = \frac{1}{2m}\sum_{i=1}^m\left(h_\theta(x^{(i)}) - y^{(i)}\right)^2, \quad h_\theta(x) = \theta^T x$$
Taking the derivative,
$$\frac{\partial J(\theta)}{\partial\theta_j} = \left(h_\theta(x) - y\right)x_j$$
"""
SAID_ONE = r"""For a single training example $(x, y)$ the loss is
$$J(\theta) = -y\log h_\theta(x) - (1-y)\log(1-h_\theta(x))$$
and its derivative is
$$\frac{\partial J(\theta)}{\partial\theta_j} = \left(h_\theta(x) - y\right)x_j$$
"""
STOCHASTIC = "In stochastic gradient descent each update uses the gradient of one term:\n" + LOGISTIC_MEAN


def _one_example_is_the_mean_gradient(cost, one) -> bool:
    """True when the one-example form (h(x) − y)x_j, at any example of the data, is ∂J/∂θ of the mean cost J."""
    full = central_differences(cost, THETA)
    return any(_close(one(X[k], k), full) for k in range(M))


def test_one_example_gradient_under_a_mean_logistic_cost_fails_at_its_line():
    right = _one_example_is_the_mean_gradient(
        lambda t: float(np.mean(_log_loss(_sigmoid(X @ t), LABELS))),
        lambda x, k: (_sigmoid(x @ THETA) - LABELS[k]) * x,
    )
    report = _verify(LOGISTIC_MEAN)
    assert_lines(report, [(1, True), (2, right)])
    assert not right
    why = verify_text(LOGISTIC_MEAN).first_failure.diagnosis.message
    assert "the Σ and the 1/m are missing" in why and "line 1" in why


def test_one_example_gradient_under_a_mean_linear_cost_fails_at_its_line():
    right = _one_example_is_the_mean_gradient(
        lambda t: float(np.mean((X @ t - TARGETS) ** 2) / 2), lambda x, k: (x @ THETA - TARGETS[k]) * x
    )
    report = _verify(LINEAR_MEAN)
    assert not right
    assert_lines(report, [(4, right)])
    assert "Σ" in verify_text(LINEAR_MEAN).first_failure.diagnosis.message


def test_one_example_said_or_stochastic_keeps_its_check():
    # the twin: the text's J is one example's cost (or the prose says a step uses one term): the line is its gradient
    x, y = X[0], LABELS[0]
    one = central_differences(lambda t: float(_log_loss(_sigmoid(x @ t), y)), THETA)
    right = _close((_sigmoid(x @ THETA) - y) * x, one)
    assert right
    assert_lines(_verify(SAID_ONE), [(2, True), (4, right)])
    assert_lines(_verify(STOCHASTIC), [(2, True), (3, right)])


# --- 2. the text's own h = σ(−θᵀx), and J written with it ------------------------------------------------------------

OWN_H = r"""Let $h = \sigma(-\theta^T x)$ be the predicted probability. The loss for one example is
$$J(\theta) = -y\log h - (1-y)\log(1-h)$$
$$\frac{\partial J}{\partial\theta_j} = GRAD$$
"""


def test_a_cost_written_with_the_texts_own_h_is_the_texts():
    x, h = X[1], _sigmoid(-X[1] @ THETA)
    fd = {y: central_differences(lambda t, y=y: float(_log_loss(_sigmoid(-x @ t), y)), THETA) for y in (0.0, 1.0)}
    # the tester's text as written: the text's own h rules it, J's own line a definition
    right = all(_close((h - y) * x, fd[y]) for y in fd)
    assert not right
    assert_lines(_verify(OWN_H.replace("GRAD", "(h - y)x_j")), [(3, right)])
    # under a model the user names (--hypothesis logistic), J is checked against that model's cost: line 2 is ✗
    # (σ(−θᵀx) is not logistic's h), whatever the gradient (the review's finding 3, h_v3)
    assert_lines(_verify(OWN_H.replace("GRAD", "(y - h)x_j"), "logistic"), [(2, False)])


# --- 3. ∇_θ of a 1×1 matrix expression the matrix rules do not differentiate (𝟏ᵀlog(𝟏 + e^{Xθ})) ------------------

MATRIX_LOGLIK = r"""In matrix form the log-likelihood of logistic regression is

$$\ell(\theta) = y^T X\theta - \mathbf{1}^T\log\left(1 + e^{X\theta}\right)$$

Differentiating term by term,

$$\nabla_\theta \ell(\theta) = X^T y - X^T\frac{e^{X\theta}}{1+e^{X\theta}} = X^T\left(RESIDUAL\right)$$
"""


def test_the_gradient_of_a_matrix_log_likelihood_is_decided():
    fd = central_differences(lambda t: float(LABELS @ X @ t - np.sum(np.log1p(np.exp(X @ t)))), THETA)
    fraction = X.T @ LABELS - X.T @ (np.exp(X @ THETA) / (1 + np.exp(X @ THETA)))
    for residual, value in (("y - \\sigma(X\\theta)", LABELS - _sigmoid(X @ THETA)), ("\\sigma(X\\theta) - y", None)):
        value = _sigmoid(X @ THETA) - LABELS if value is None else value
        report = _verify(MATRIX_LOGLIK.replace("RESIDUAL", residual))
        assert_lines(report, [(7, _close(fraction, fd)), (7, _close(X.T @ value, fd))])
        expected = ["holds" if _close(v, fd) else "fails" for v in (fraction, X.T @ value)]
        assert [s.status for s in report.checked] == expected  # each '=' of line 7 decided, none undecided


# --- 4. the normal equations with a rule stated in prose; the unsquared norm as √(rᵀr) ------------------------------

NORMAL = r"""We minimise the sum of squares in matrix form.

$$J(\theta) = \frac{1}{2}(X\theta - y)^T(X\theta - y)$$
$$J(\theta) = \frac{1}{2}\left(\theta^T X^T X\theta - TWICE y^T X\theta + y^T y\right)$$
Using $\nabla_\theta\,\theta^T A\theta = 2A\theta$ for symmetric $A$ and $\nabla_\theta\, b^T\theta = b$:
$$\nabla_\theta J = \frac{1}{2}\left(2X^T X\theta - 2X^T y\right) = X^T X\theta - X^T y$$
"""
NORM = r"""$$J(\theta) = \sqrt{(X\theta - y)^T(X\theta - y)}$$
$$\nabla_\theta J(\theta) = \frac{FACTOR X^T(X\theta - y)}{\sqrt{(X\theta - y)^T(X\theta - y)}}$$
"""


def test_a_rule_stated_of_a_lower_case_vector_is_a_fact_not_a_step():
    def cost(t):
        r = X @ t - TARGETS
        return float(r @ r / 2)

    for twice in ("2", ""):  # the twin lost the 2 of −2yᵀXθ
        t = RNG.normal(size=P)  # line 4 is an identity in θ: checked at a fresh θ
        expanded = (t @ X.T @ X @ t - (2 if twice else 1) * TARGETS @ X @ t + TARGETS @ TARGETS) / 2
        gradient = central_differences(cost, THETA)
        claims = [(4, bool(np.isclose(expanded, cost(t)))), (6, _close(X.T @ X @ THETA - X.T @ TARGETS, gradient))]
        report = _verify(NORMAL.replace("TWICE ", twice))
        assert_lines(report, claims)
        assert [s.line for s in report.steps if s.status == "definition"] == [5]  # the stated rule


def test_the_unsquared_norm_written_as_a_square_root_is_read():
    def norm(t):
        return float(np.sqrt((X @ t - TARGETS) @ (X @ t - TARGETS)))

    fd = central_differences(norm, THETA)
    for factor in ("", "2"):
        value = (2 if factor else 1) * X.T @ (X @ THETA - TARGETS) / norm(THETA)
        assert_lines(_verify(NORM.replace("FACTOR ", factor)), [(1, True), (2, _close(value, fd))])


# --- 5. tester 11's v45: the penalty in matrix form with L = diag(0, 1, …, 1) (the bias left out) ------------------

LAMBDA = 0.7
ZEROED = np.diag([0.0] + [1.0] * (P - 1))  # L: the identity with its first entry 0
CROSS_ENTROPY = r"-\frac{1}{m}\left[y^T\log\sigma(X\theta) + (1-y)^T\log(1-\sigma(X\theta))\right]"
SAY_L = {
    "mathrm": r"where $L = \mathrm{diag}(0,1,\dots,1)$.",
    "operatorname": r"with $L = \operatorname{diag}(0, 1, \ldots, 1)$",
    "text": r"where $L = \text{diag}(0,1,\dots,1)$ leaves the bias out.",
    "words": r"where $L$ is the identity matrix with its first diagonal entry set to $0$.",
}
# (the penalty as written in J, its value) and (the penalty's gradient as written, its value)
PENALTIES = {
    "quadratic": (r"\frac{\lambda}{2m}\theta^T L\theta", lambda t: LAMBDA / (2 * M) * t @ ZEROED @ t),
    "norm": (r"\frac{\lambda}{2m}\|L\theta\|^2", lambda t: LAMBDA / (2 * M) * (ZEROED @ t) @ (ZEROED @ t)),
    "all": (r"\frac{\lambda}{2m}\theta^T\theta", lambda t: LAMBDA / (2 * M) * t @ t),
}
GRADIENTS = {
    "right": (r"\frac{\lambda}{m}L\theta", LAMBDA / M * ZEROED @ THETA),
    "bias penalised": (r"\frac{\lambda}{m}\theta", LAMBDA / M * THETA),
    "half": (r"\frac{\lambda}{2m}L\theta", LAMBDA / (2 * M) * ZEROED @ THETA),
    "symmetrised": (r"\frac{\lambda}{2m}(L + L^T)\theta", LAMBDA / M * ZEROED @ THETA),
}


def _penalised_text(say: str, penalty: str, gradient: str) -> str:
    return (
        f"The regularised cost is\n$$J(\\theta) = {CROSS_ENTROPY} + {penalty}$$\n{say}\nDifferentiating,\n"
        f"$$\\nabla_\\theta J(\\theta) = \\frac{{1}}{{m}}X^T(\\sigma(X\\theta) - y) + {gradient}$$\n"
    )


def _penalised_truth(penalty, gradient) -> bool:
    def cost(t):
        h = _sigmoid(X @ t)
        return float(np.mean(_log_loss(h, LABELS)) + penalty(t))

    return _close(X.T @ (_sigmoid(X @ THETA) - LABELS) / M + gradient, central_differences(cost, THETA))


def test_a_penalty_written_with_the_zeroed_identity_is_read_in_every_spelling():
    # Every gradient under the first spelling; under each other spelling the two that tell its reading apart: the
    # right one (✓ only if L is read as a matrix at all) and the bias penalised (✓ if L were read as the identity).
    # The half and the symmetrised gradient test the gradient's own reading, the same under every spelling of L.
    penalty, value = PENALTIES["quadratic"]
    for n, say in enumerate(SAY_L.values()):
        for key, (written, gradient) in GRADIENTS.items():
            if n and key not in ("right", "bias penalised"):
                continue
            right = _penalised_truth(value, gradient)
            assert_lines(_verify(_penalised_text(say, penalty, written)), [(5, right)])
    assert _penalised_truth(value, GRADIENTS["right"][1]) and not _penalised_truth(value, GRADIENTS["half"][1])


def test_the_penalty_as_the_squared_norm_of_l_theta_and_a_penalised_bias():
    say = SAY_L["mathrm"]
    for penalty, value in (PENALTIES["norm"], PENALTIES["all"]):
        for written, gradient in (GRADIENTS["right"], GRADIENTS["bias penalised"]):
            right = _penalised_truth(value, gradient)
            assert_lines(_verify(_penalised_text(say, penalty, written)), [(5, right)])


def test_the_zeroed_identity_said_after_the_gradient_and_denied():
    penalty, value = PENALTIES["quadratic"]
    text = (
        f"$$J(\\theta) = {CROSS_ENTROPY} + {penalty}$$\n"
        f"$$\\nabla_\\theta J(\\theta) = \\frac{{1}}{{m}}X^T(\\sigma(X\\theta) - y) + {GRADIENTS['right'][0]}$$\n"
        f"{SAY_L['mathrm']}\n"
    )
    assert_lines(_verify(text), [(2, _penalised_truth(value, GRADIENTS["right"][1]))])
    # L denied to be the zeroed identity, or another matrix said in words: not read as diag(0, 1, …, 1), so nothing
    # about L is checked (never a ✓ on a guess)
    for words in (
        r"where $L$ is not the identity with its first entry 0.",
        r"where $L$ is the identity with its first entry equal to 1 and the rest 0.",
    ):
        report = _verify(_penalised_text(words, penalty, GRADIENTS["right"][0]))
        assert report.exit_code != 0 and all(s.status != "holds" for s in report.steps if s.line == 5)


# --- 6. tester 11's v54: −Σ_c y_c(δ_ck − p_k) = p_k Σ_c y_c − y_k holds for any y (k read as a class) ---------------

SOFTMAX_STEPS = (
    r"For one example with $p_k = \frac{e^{z_k}}{\sum_c e^{z_c}}$ and loss $L = -\sum_c y_c \log p_c$:" + "\n"
    r"$$\frac{\partial L}{\partial z_k} = -\sum_c y_c \frac{\partial \log p_c}{\partial z_k}"
    r" = -\sum_c y_c (\delta_{ck} - p_k) = RHS$$" + "\n"
)
LABELS_SUM = "Since $\\sum_c y_c = 1$,\n$$\\frac{\\partial L}{\\partial z_k} = p_k - y_k$$\n"
SOFTMAX_RIGHT_SIDES = {  # as written, and its value at (p, y, k)
    r"p_k \sum_c y_c - y_k": lambda p, y: p * y.sum() - y,
    r"\sum_{c=1}^K y_c p_k - y_k": lambda p, y: p * y.sum() - y,
    r"y_k - p_k \sum_c y_c": lambda p, y: y - p * y.sum(),  # the sign slip
    r"p_k - y_k \sum_c y_c": lambda p, y: p - y * y.sum(),  # the sum on the wrong term: p_k − y_k only if Σy = 1
}


def test_the_softmax_identity_for_any_labels_and_its_slips():
    scores = RNG.normal(size=4)
    p = np.exp(scores) / np.exp(scores).sum()
    for stated in (True, False):
        labels = RNG.uniform(0.1, 1.0, size=4)
        labels = labels / labels.sum() if stated else labels  # the text says Σ_c y_c = 1: labels that do
        fd = central_differences(lambda z, y=labels: float(-y @ (z - np.log(np.exp(z).sum()))), scores)
        for rhs, value in SOFTMAX_RIGHT_SIDES.items():
            text = SOFTMAX_STEPS.replace("RHS", rhs) + (LABELS_SUM if stated else "")
            delta = -(labels - p * labels.sum())  # −Σ_c y_c(δ_ck − p_k), entry k
            claims = [(2, _close(delta, fd)), (2, _close(value(p, labels), fd))]
            claims += [(4, _close(p - labels, fd))] if stated else []
            assert_lines(_verify(text), claims)
    # the twins differ where the labels do not sum to 1: the slip and the misplaced sum are wrong there
    general = RNG.uniform(0.1, 1.0, size=4) * 3
    assert not _close(p - general * general.sum(), p * general.sum() - general)


# --- 7. the Hessian in matrix form after a logistic gradient; a vector the text names (δ = σ(Xθ) − y) ---------------

LOGISTIC_MATRIX = (
    "The logistic cost is\n$$J(\\theta) = " + CROSS_ENTROPY + "$$\nIts gradient is\n"
    r"$$\nabla_\theta J(\theta) = \frac{1}{m}X^T(\sigma(X\theta) - y)$$" + "\nDifferentiating once more,\n"
    "$$LEFT = RIGHT$$\nSAY\n"
)
DIAGONAL_S = r"where $S = \mathrm{diag}(\sigma(X\theta)\odot(1-\sigma(X\theta)))$."


def _logistic_hessian() -> np.ndarray:
    def gradient(t):
        return X.T @ (_sigmoid(X @ t) - LABELS) / M

    return np.column_stack([central_differences(lambda t, c=c: gradient(t)[c], THETA) for c in range(P)])


def test_the_hessian_in_matrix_form_is_checked_entry_by_entry():
    hessian, h = _logistic_hessian(), _sigmoid(X @ THETA)
    s = np.diag(h * (1 - h))
    claims = {  # the right side as written: its value
        r"\frac{1}{m}X^T S X": X.T @ s @ X / M,
        r"\frac{1}{m}X^T X": X.T @ X / M,  # S dropped (v53)
        r"-\frac{1}{m}X^T S X": -X.T @ s @ X / M,
        r"\frac{1}{2m}X^T S X": X.T @ s @ X / (2 * M),
        r"\left(\frac{1}{m}X^T S X\right)\odot I": X.T @ s @ X / M * np.eye(P),  # wrong off the diagonal only
    }
    for left in (r"\nabla^2_\theta J(\theta)", r"\nabla_\theta^2 J", r"H(\theta)"):
        for right, value in claims.items():
            text = LOGISTIC_MATRIX.replace("LEFT", left).replace("RIGHT", right).replace("SAY", DIAGONAL_S)
            assert_lines(_verify(text), [(4, True), (6, _close(value, hessian))])


def test_a_hessian_that_cannot_be_read_is_refused_in_words():
    for say in (
        "",
        r"where $S$ is the diagonal matrix with $S_{ii} = \sigma(\theta^T x^{(i)})(1-\sigma(\theta^T x^{(i)}))$.",
    ):
        text = LOGISTIC_MATRIX.replace("LEFT", r"\nabla^2_\theta J(\theta)").replace("RIGHT", r"\frac{1}{m}X^T S X")
        code, marks, out = verify_marks(text.replace("SAY", say))
        assert code == 2 and marks[6] == "?" and "the Hessian is checked entry by entry" in out, out
        assert "S is not defined as a matrix by a formula" in out and "✗" not in marks.values(), out
    # S = diag(σ(Xθ)(1 − σ(Xθ))): a product of two vectors the reader does not read, said of S
    text = LOGISTIC_MATRIX.replace("LEFT", r"\nabla^2_\theta J(\theta)").replace("RIGHT", r"\frac{1}{m}X^T S X")
    code, marks, out = verify_marks(
        text.replace("SAY", r"where $S = \mathrm{diag}(\sigma(X\theta)(1-\sigma(X\theta)))$.")
    )
    assert code == 2 and marks[6] == "?" and "S = diag(…) could not be read" in out and "of weights" not in out, out
    # no J written and no model named: which cost's Hessian is unknown (linear regression's is (1/m)XᵀX)
    code, marks, out = verify_marks("Differentiating twice,\n\n$$\\nabla^2_\\theta J(\\theta) = \\frac{1}{m}X^T X$$")
    assert code == 2 and marks == {3: "?"} and "names no model" in out


DELTA = (
    "The logistic cost is\n$$J(\\theta) = " + CROSS_ENTROPY + "$$\nDEFINE\nThen\n$$\\nabla J(\\theta) = GRADIENT$$\n"
)


def test_a_vector_the_text_names_is_put_in_where_it_is_used():
    fd = central_differences(lambda t: float(np.mean(_log_loss(_sigmoid(X @ t), LABELS))), THETA)
    residuals = {
        "logistic": _sigmoid(X @ THETA) - LABELS,
        "linear": X @ THETA - LABELS,
        "sign": LABELS - _sigmoid(X @ THETA),
    }
    defined = {
        "logistic": r"\sigma(X\theta) - y",
        "linear": r"X\theta - y",  # the residual of linear regression under the logistic cost
        "sign": r"y - \sigma(X\theta)",
    }
    for name, body in defined.items():
        right = _close(X.T @ residuals[name] / M, fd)
        for define, gradient in (
            (rf"Let $\delta = {body}$ (a vector in $\mathbb{{R}}^m$).", r"\frac{1}{m}X^T\delta"),
            (rf"Let $\boldsymbol{{\delta}} = {body}$.", r"\frac{1}{m}X^T\boldsymbol{\delta}"),
            ("Let\n$$\\epsilon = " + body + "$$", r"\frac{1}{m}X^T\epsilon"),
            # δᵀX/m, a row: compared entry by entry with the gradient, as (σ(Xθ) − y)ᵀX/m written out is
            (rf"Let $\delta = {body}$.", r"\frac{1}{m}\delta^T X"),
        ):
            text = DELTA.replace("DEFINE", define).replace("GRADIENT", gradient)
            assert_lines(_verify(text), [(text.splitlines().index(f"$$\\nabla J(\\theta) = {gradient}$$") + 1, right)])
    assert _close(X.T @ residuals["logistic"] / M, fd) and not _close(X.T @ residuals["linear"] / M, fd)
