r"""verify on the adversarial review's false ✓ (/tmp/work/review2): backprop with L defined only in prose, a network
of vectors (x ∈ ℝ^n) read as numbers, a J written with the text's η_i, λ_i under --hypothesis poisson, the j ≥ 1
reading beside a stated intercept, a δ redefined after its ∂E/∂z definition, and x⁽ⁱ⁾ written where x_j⁽ⁱ⁾ belongs.

Each wrong line must not be ✓; its twin keeps its ✓.  Which lines are right is decided here by NumPy central
differences on random numbers, never by the tool.
"""

from __future__ import annotations

import numpy as np
from central import central_differences
from line_verdicts import assert_lines
from verdicts import close, sigmoid, verify_fast

RNG = np.random.default_rng(25)
M, P = 6, 3
X = RNG.normal(size=(M, P))
LABELS = RNG.integers(0, 2, size=M).astype(float)
COUNTS = RNG.poisson(2.0, size=M).astype(float)
TARGETS = RNG.normal(size=M)
THETA = RNG.normal(size=P) * 0.4


_verify = verify_fast


_close = close


_sigmoid = sigmoid


def _statuses(report) -> dict[int, str]:
    return {s.line: s.status for s in report.checked}


# --- 1. and 2. two units: L named only in prose, and a network of vectors read as numbers ---

LAYERS = (
    r"$$z^{(1)} = w^{(1)} x, \quad a^{(1)} = \sigma(z^{(1)}), \quad z^{(2)} = w^{(2)} a^{(1)}, \quad "
    r"a^{(2)} = \sigma(z^{(2)})$$"
)
LOSS = r"$$L = -y\log a^{(2)} - (1-y)\log(1-a^{(2)})$$"
PROSE_ONLY = (  # the review's u3: L is the cross-entropy in words only
    "Backpropagation through two units; L is the cross-entropy loss of the output.\n\n" + LAYERS + "\n\n"
    r"$$\delta^{(2)} = \frac{\partial L}{\partial z^{(2)}}$$" "\n\n"
    r"$$\frac{\partial L}{\partial z^{(1)}} = \delta^{(2)} w^{(2)}$$" "\n\n"
    r"$$\frac{\partial L}{\partial w^{(2)}} = \delta^{(2)} x$$" "\n"
)  # fmt: skip
DEFINED = (  # its twin: L written, the right backprop lines (lines 9 and 11)
    "Backpropagation through two units.\n\n" + LAYERS + "\n\n" + LOSS + "\n\n"
    r"$$\delta^{(2)} = \frac{\partial L}{\partial z^{(2)}}$$" "\n\n"
    r"$$\frac{\partial L}{\partial z^{(1)}} = \delta^{(2)} w^{(2)} a^{(1)}(1 - a^{(1)})$$" "\n\n"
    r"$$\frac{\partial L}{\partial w^{(2)}} = \delta^{(2)} a^{(1)}$$" "\n"
)  # fmt: skip
VECTORS = (  # the review's n3: x ∈ ℝ^n, W^{(1)} ∈ ℝ^{3×n}, the transpose slips x δ^{(1)} and W^{(2)} δ^{(2)}
    r"The input $x \in \mathbb{R}^n$, $W^{(1)} \in \mathbb{R}^{3 \times n}$, $W^{(2)} \in \mathbb{R}^{1 \times 3}$:"
    "\n\n" + LAYERS.replace("w^{(", "W^{(") + "\n\n" + LOSS + "\n\n"
    r"$$\delta^{(1)} = \frac{\partial L}{\partial z^{(1)}} = W^{(2)}\delta^{(2)} a^{(1)}(1 - a^{(1)})$$" "\n\n"
    r"$$\frac{\partial L}{\partial W^{(1)}} = x\,\delta^{(1)}$$" "\n"
)  # fmt: skip


def _two_units(w1, w2, x, y):
    a1 = _sigmoid(w1 * x)
    a2 = _sigmoid(w2 * a1)
    return -y * np.log(a2) - (1 - y) * np.log(1 - a2), a1, a2


def test_a_loss_named_only_in_prose_is_never_differentiated_to_zero():
    w1, w2, x, y = 0.7, -1.3, 0.4, 1.0
    _, a1, a2 = _two_units(w1, w2, x, y)
    by_z1 = central_differences(lambda t: float(-y * np.log(_sigmoid(w2 * _sigmoid(t[0]))) - 0), np.array([w1 * x]))
    by_w2 = central_differences(lambda t: float(_two_units(w1, t[0], x, y)[0]), np.array([w2]))
    delta2 = a2 - y
    assert not _close(delta2 * w2, by_z1) and not _close(delta2 * x, by_w2)  # the prose-only lines are wrong
    report = _verify(PROSE_ONLY)
    assert set(_statuses(report).values()) == {"not understood"}, _statuses(report)
    assert "L is differentiated but not defined in the text" in report.checked[0].unreadable.message
    assert report.exit_code != 0
    # the twin, with L written: both lines right by central differences, both ✓
    assert _close(delta2 * w2 * a1 * (1 - a1), by_z1) and _close(delta2 * a1, by_w2)
    report = _verify(DEFINED)
    assert_lines(report, [(9, True), (11, True)])
    assert all(any("names as numbers" in words for words in s.interpretations) for s in report.checked)  # said


def test_a_network_the_text_says_is_of_vectors_is_not_read_as_numbers():
    report = _verify(VECTORS)
    assert "holds" not in _statuses(report).values(), _statuses(report)
    assert any("vectors or matrices" in s.unreadable.message for s in report.checked if s.unreadable)
    # the review's n2: w^{(2)T} in a text of vectors; T is never a sampled number
    n2 = VECTORS.replace(r"W^{(2)} a^{(1)}, \quad a^{(2)}", r"w^{(2)T} a^{(1)}, \quad a^{(2)}")
    assert "holds" not in _statuses(_verify(n2)).values()


# --- 3. a J written with the text's own η_i, λ_i under --hypothesis poisson ---

POISSON = r"""Poisson regression. For example $i$ let $\eta_i = \theta^T x^{(i)}$, and write $\lambda_i = e^{\eta_i}$.

$$J(\theta) = \sum_{i=1}^m\left(\lambda_i SIGN y^{(i)}\eta_i\right)$$

$$\frac{\partial J}{\partial \theta_j} = \sum_{i=1}^m\left(e^{\theta^T x^{(i)}} SIGN y^{(i)}\right)x_j^{(i)}$$
"""


def test_a_cost_in_the_texts_names_is_checked_against_the_named_model():
    def nll(t):
        return float(np.sum(np.exp(X @ t) - COUNTS * (X @ t)))

    fd = central_differences(nll, THETA)
    for sign, right in (("+", False), ("-", True)):
        gradient = X.T @ (np.exp(X @ THETA) + (1 if sign == "+" else -1) * COUNTS)
        assert _close(gradient, fd) == right
        report = _verify(POISSON.replace("SIGN", sign), "poisson")
        assert_lines(report, [(3, right), (5, right)])


# --- 4. the j ≥ 1 reading beside a stated intercept ---

RIDGE = r"""Ridge regression PROSE

$$J(w) = \frac{1}{2}\|Xw - y\|^2 + \frac{\lambda}{2}\sum_{j=1}^n w_j^2$$

$$\nabla_w J(w) = X^T(Xw - y) + \lambda w$$
"""


def test_an_intercept_the_text_speaks_of_is_checked_at_j_zero():
    lam = 0.8

    def ridge(t):
        return float(0.5 * np.sum((X @ t - TARGETS) ** 2) + lam / 2 * np.sum(t[1:] ** 2))

    fd, gradient = central_differences(ridge, THETA), X.T @ (X @ THETA - TARGETS) + lam * THETA
    assert not _close(gradient[0], fd[0]) and _close(gradient[1:], fd[1:])  # wrong at j = 0 only
    stated = RIDGE.replace("PROSE", r"with an unpenalised intercept: each row of $X$ starts with $x_0^{(i)} = 1$.")
    assert_lines(_verify(stated), [(5, False)])
    # (its twin, a text that says nothing of an intercept, is checked on the rows j ≥ 1: tests/test_verify_users11)


# --- 5. a δ redefined after its definition as ∂E/∂z ---

DELTAS = r"""Two units, squared error:

$$z_1 = w_1 x, \quad a_1 = \sigma(z_1), \quad z_2 = w_2 a_1, \quad a_2 = \sigma(z_2), \quad E = \frac{1}{2}(a_2 - y)^2$$

Write $\delta_2 = \frac{\partial E}{\partial z_2}$ and $\delta_1 = \frac{\partial E}{\partial z_1}$. Then

$$\delta_2 = (a_2 - y)a_2(1 - a_2)$$

$$\delta_1 = DELTA$$
"""


def test_a_delta_written_again_is_a_step_to_check():
    w1, w2, x, y = 0.6, -0.9, 1.2, 0.3
    a1 = _sigmoid(w1 * x)
    a2 = _sigmoid(w2 * a1)
    fd = central_differences(lambda t: float(0.5 * (_sigmoid(w2 * _sigmoid(t[0])) - y) ** 2), np.array([w1 * x]))
    delta2 = (a2 - y) * a2 * (1 - a2)
    for written, value in ((r"\delta_2 w_2 (1 - a_1)", delta2 * w2 * (1 - a1)),
                           (r"\delta_2 w_2 a_1(1 - a_1)", delta2 * w2 * a1 * (1 - a1))):  # fmt: skip
        right = _close(value, fd)
        assert right == ("a_1(" in written)
        assert_lines(_verify(DELTAS.replace("DELTA", written)), [(7, True), (9, right)])


# --- 6. x⁽ⁱ⁾ written where its entry x_j⁽ⁱ⁾ is meant ---

ENTRY = (
    r"$$J(\theta) = -\frac{1}{m}\sum_{i=1}^m\left[y^{(i)}\log\sigma(\theta^T x^{(i)}) + (1-y^{(i)})"
    r"\log(1-\sigma(\theta^T x^{(i)}))\right]$$"
    "\n"
    r"$$LEFT = \frac{1}{m}\sum_{i=1}^m\left(\sigma(\theta^T x^{(i)}) - y^{(i)}\right)x^{(i)}$$"
    "\n"
)


def test_a_vector_written_where_its_entry_is_meant_fails():
    def cost(t):
        h = _sigmoid(X @ t)
        return float(-np.mean(LABELS * np.log(h) + (1 - LABELS) * np.log(1 - h)))

    gradient = X.T @ (_sigmoid(X @ THETA) - LABELS) / M
    assert _close(gradient, central_differences(cost, THETA))  # right as the whole gradient, a vector
    report = _verify(ENTRY.replace("LEFT", r"\frac{\partial J}{\partial\theta_j}"))
    assert_lines(report, [(2, False)])
    assert "x_j⁽ⁱ⁾" in report.first_problem.diagnosis.message
    assert_lines(_verify(ENTRY.replace("LEFT", r"\nabla_\theta J")), [(2, True)])
