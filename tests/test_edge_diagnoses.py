"""`verify` names a slip in the document's letters (issue 11): m, not the 3 it is sampled at; a sum limit, not "−1".

Each case is a derivation as a student writes one (Markdown notes with prose, or a LaTeX
align), wrong at one step; the test asserts the words of its diagnosis.
"""

from __future__ import annotations

from derivation.printing.proof_report import proof_data, render_proof
from derivation.proof.verifier import verify_text

LINEAR_COST = r"$$J(\theta) = \frac{1}{2m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right)^2$$"
LOGISTIC_COST = (
    r"$$J(\theta) = -\frac{1}{m}\sum_{i=1}^{m}\left[y^{(i)}\log h_\theta(x^{(i)})"
    r" + (1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right]$$"
)
ERROR = r"\left(h_\theta(x^{(i)}) - y^{(i)}\right)x_j^{(i)}"  # (h − y) x_j, as every course writes it


def failing(text: str, hypothesis: str = "logistic"):
    report = verify_text(text, hypothesis=hypothesis)
    wrong = report.first_failure
    assert wrong is not None, render_proof(report)
    return report, wrong


def test_a_sum_that_stops_at_m_minus_1_leaves_out_the_term_i_equals_m():
    text = r"""With the squared error

COST

the derivative with respect to $\theta_j$ is

$$\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m}ERROR$$

and since the examples are numbered from 1 to m,

$$= \frac{1}{m}\sum_{i=1}^{m-1}ERROR$$
""".replace("COST", LINEAR_COST).replace("ERROR", ERROR)
    report, wrong = failing(text, "linear")
    assert wrong.diagnosis.kind == "sum-limit"
    assert wrong.diagnosis.message == "sum limit: the sum over i runs to m − 1: it leaves out the term i = m"
    assert "should not be there" not in render_proof(report)


def test_a_feature_sum_from_1_leaves_out_the_bias_term():
    text = r"""Writing the prediction out feature by feature,
\begin{align*}
\frac{\partial J}{\partial \theta_j}
  &= \frac{1}{m}\sum_{i=1}^{m}\left(\theta^T x^{(i)} - y^{(i)}\right)x_j^{(i)} \\
  &= \frac{1}{m}\sum_{i=1}^{m}\left(\sum_{k=1}^{n}\theta_k x_k^{(i)} - y^{(i)}\right)x_j^{(i)}
\end{align*}
"""
    _, wrong = failing(text, "linear")
    assert wrong.diagnosis.kind == "sum-limit"
    assert wrong.diagnosis.message == "sum limit: the sum over k starts at 1: it leaves out the term k = 0"


def test_a_penalty_summed_from_0_has_the_bias_term_too_many():
    text = r"""The penalty leaves the bias alone:

$$\frac{\lambda}{2m}\sum_{k=1}^{n}\theta_k^2 = \frac{\lambda}{2m}\left(\sum_{k=0}^{n}\theta_k^2\right)$$
"""
    _, wrong = failing(text, "logistic-l2")
    assert wrong.diagnosis.message == (
        "sum limit: the sum over k starts at 0: the term k = 0 should not be there (it starts at 1)"
    )


def test_the_1_over_m_left_out_is_m_times_the_left_side_not_3():
    text = r"""The logistic regression cost is

COST

and its gradient, after the usual simplification, is

$$\frac{\partial J}{\partial \theta_j} = \sum_{i=1}^{m}ERROR$$
""".replace("COST", LOGISTIC_COST).replace("ERROR", ERROR)
    report, wrong = failing(text)
    assert wrong.diagnosis.message == "constant factor: the right side is m × the left side (the 1/m is missing)"
    assert "3 ×" not in render_proof(report)
    step = next(s for s in proof_data(report)["steps"] if s.get("diagnosis"))
    assert "m × the left side" in str(step["diagnosis"])


def test_the_1_over_m_dropped_in_matrix_form_is_m_too():
    text = r"""In matrix form,

$$\nabla_\theta J = \frac{1}{m} X^T (X\theta - y)$$

$$= X^T (X\theta - y)$$
"""
    _, wrong = failing(text, "linear")
    assert wrong.diagnosis.message == "constant factor: the right side is m × the left side (the 1/m is missing)"


def test_a_factor_that_is_a_number_stays_a_number():
    text = r"""COST

$$\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m}ERROR$$

The power rule brings down the 2:

$$= \frac{2}{m}\sum_{i=1}^{m}ERROR$$
""".replace("COST", LINEAR_COST).replace("ERROR", ERROR)
    _, wrong = failing(text, "linear")
    assert wrong.diagnosis.message == "constant factor: the right side is 2 × the left side"


def test_a_1_over_m_too_many_is_said_in_letters():
    text = r"""\begin{align}
\frac{\partial J}{\partial \theta_j} &= \frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right)x_j^{(i)} \\
&= \frac{1}{m^2}\sum_{i=1}^{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right)x_j^{(i)}
\end{align}
"""
    _, wrong = failing(text)
    assert wrong.diagnosis.message == "constant factor: the right side is 1/m × the left side (a 1/m too many)"


def test_a_penalty_without_its_1_over_m_is_m_times_that_term():
    text = r"""\begin{align*}
\frac{\partial J}{\partial \theta_j}
  &= \frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right)x_j^{(i)} + \frac{\lambda}{m}\theta_j \\
  &= \frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right)x_j^{(i)} + \lambda\theta_j
\end{align*}
"""
    last = verify_text(text, hypothesis="logistic-l2").steps[-1]
    assert last.diagnosis.message == "constant factor on one term: (λ/m) θ_j is multiplied by m (the 1/m is missing)"
