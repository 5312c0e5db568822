r"""verify and check --latex on the third review's and the ninth tester's texts.

1. a text's own h applied to an example (h(x⁽ⁱ⁾), h_θ(x⁽ⁱ⁾) after h = σ(−θᵀx)) was read as the model's σ(θᵀx⁽ⁱ⁾),
   so a sign-wrong gradient was ✓; 2. ∇_θ J written with the number x_j⁽ⁱ⁾ was ✓ under "read ∂/∂θ as ∂/∂θ_j";
3. \bar{y}, \bar{\theta}, \hat{\theta} were "unknown command"; 4. x_{ji} was "example index of x out of range: 0".

Which line of each text is right is decided here by NumPy central differences on random numbers, never by the tool.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli

from derivation.proof.verifier import verify_text

RNG = np.random.default_rng(13)
M, P = 7, 3
X = RNG.normal(size=(M, P))
LABELS = RNG.integers(0, 2, size=M).astype(float)
THETA = RNG.normal(size=P) * 0.5
_STEP = re.compile(r"^(✓|✗|\?|:=) step \d+ \(line (\d+)\)", re.MULTILINE)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


_MARKS = {"holds": "✓", "fails": "✗", "definition": ":=", "not understood": "?"}


def _cli(tmp_path, text: str, *options: str):
    """(exit code, {line: mark}, output) of ``derivation verify`` on ``text``."""
    path = tmp_path / "derivation.md"
    path.write_text(text)
    done = run_cli("verify", str(path), *options)
    return done.returncode, {int(line): mark for mark, line in _STEP.findall(done.stdout)}, done.stdout + done.stderr


def _verify(text: str, hypothesis: str | None = None):
    """The same, in the test process and without naming rules (fast)."""
    report = verify_text(text, hypothesis=hypothesis, explain=False, rules=False)
    marks = {step.line: _MARKS.get(str(step.status), "?") for step in report.steps}
    return report.exit_code, marks, str(report)


def _mean_log_loss(h):
    return -np.mean(LABELS * np.log(h) + (1 - LABELS) * np.log(1 - h))


def _own_cost(theta):  # the text's J with its own h = σ(−θᵀx)
    return _mean_log_loss(_sigmoid(-(X @ theta)))


def _logistic_cost(theta):  # the model's J, with h_θ(x) = σ(θᵀx)
    return _mean_log_loss(_sigmoid(X @ theta))


GRADIENT = central_differences(_own_cost, THETA)
OWN_H = _sigmoid(-(X @ THETA))
WRITTEN = X.T @ (OWN_H - LABELS) / M  # (1/m)Σ(h(x⁽ⁱ⁾) − y⁽ⁱ⁾)x_j⁽ⁱ⁾, as the review's texts write it
TWIN = -X.T @ (OWN_H - LABELS) / M  # −(1/m)Σ(h(x⁽ⁱ⁾) − y⁽ⁱ⁾)x_j⁽ⁱ⁾


def test_the_oracle_says_which_gradient_is_right():
    assert not np.allclose(WRITTEN, GRADIENT, rtol=1e-5)
    assert np.allclose(TWIN, GRADIENT, rtol=1e-5, atol=1e-8)
    assert not np.isclose(_own_cost(THETA), _logistic_cost(THETA), rtol=1e-3)  # J is not logistic's J


J_LINE = (
    r"$$J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}\log {h}(x^{(i)}) + (1-y^{(i)})\log(1-{h}(x^{(i)}))\right]$$"
)
WRONG = r"$$\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m ({h}(x^{(i)}) - y^{(i)})x_j^{(i)}$$"
RIGHT = r"$$\frac{\partial J}{\partial \theta_j} = -\frac{1}{m}\sum_{i=1}^m ({h}(x^{(i)}) - y^{(i)})x_j^{(i)}$$"
DEFINED = {  # how the text defines its h (line 1), and how it writes h applied to an example
    "prose h": (r"Our model is $h = \sigma(-\theta^T x)$.", "h"),
    "display h": (r"$$h = \sigma(-\theta^T x)$$", "h"),
    "h_theta(x)": (r"$$h_\theta(x) = \sigma(-\theta^T x)$$", r"h_\theta"),
    "h_theta(x^(i))": (r"$$h_\theta(x^{(i)}) = \frac{1}{1+e^{\theta^T x^{(i)}}}$$", r"h_\theta"),
}


def _text(defined: str, gradient: str) -> str:
    definition, h = DEFINED[defined]
    return "\n\n".join([definition, J_LINE.replace("{h}", h), gradient.replace("{h}", h)]) + "\n"


def test_the_reviews_text_from_the_command_line(tmp_path):
    code, marks, out = _cli(tmp_path, _text("prose h", WRONG))
    assert (code, marks.get(5)) == (1, "✗"), out  # the review's false ✓: the sign-wrong gradient
    assert "the text's own h (line 1)" in out, out
    code, marks, out = _verify(_text("display h", RIGHT))
    assert (code, marks.get(5)) == (0, "✓"), out


@pytest.mark.parametrize("defined", ["h_theta(x)", "h_theta(x^(i))"])  # prose h and display h: the CLI's test
def test_the_texts_own_h_at_an_example_rules_the_gradient(defined):
    code, marks, out = _verify(_text(defined, WRONG))
    assert (code, marks.get(5)) == (1, "✗"), out
    assert marks.get(3) == ":=", out  # J is the text's own cost: not the model's, not a failure
    code, marks, out = _verify(_text(defined, RIGHT))
    assert (code, marks.get(5)) == (0, "✓"), out


def test_under_a_named_model_the_texts_cost_is_checked_against_the_models():
    code, marks, out = _verify(_text("prose h", RIGHT), "logistic")
    assert (code, marks.get(3)) == (1, "✗"), out  # J written with σ(−θᵀx⁽ⁱ⁾) is not logistic's J


def test_another_letter_for_the_texts_own_function_is_never_a_pass():
    text = re.sub(r"(?<![A-Za-z\\])h(?![A-Za-z])", "f", _text("display h", WRONG))
    code, marks, out = _verify(text)
    assert code != 0 and marks.get(5) != "✓", out


# --- 2. ∇_θ J written with the number x_j⁽ⁱ⁾ (tester 9's fv_02) -----------------------------------------------------

LOGISTIC_J = (
    r"$$J(\theta) = -\frac{1}{m}\sum_{i=1}^m\left[y^{(i)}\log\sigma(\theta^T x^{(i)})"
    r" + (1-y^{(i)})\log(1-\sigma(\theta^T x^{(i)}))\right]$$"
)
NABLA = r"$$\nabla_\theta J = \frac{1}{m}\sum_{i=1}^m\left(\sigma(\theta^T x^{(i)}) - y^{(i)}\right){x}$$"
LOGISTIC_GRADIENT = central_differences(_logistic_cost, THETA)


def test_the_oracle_says_the_gradient_is_a_vector_and_each_entry_is_a_number():
    errors = _sigmoid(X @ THETA) - LABELS
    assert np.allclose(X.T @ errors / M, LOGISTIC_GRADIENT, rtol=1e-5, atol=1e-8)  # x⁽ⁱ⁾: the whole vector
    for entry in range(P):  # x_j⁽ⁱ⁾: entry j only, one number where ∇_θ J has P of them
        assert np.isclose(X[:, entry] @ errors / M, LOGISTIC_GRADIENT[entry], rtol=1e-5, atol=1e-8)


def test_a_gradient_vector_written_with_one_entry_of_x_fails_unless_the_text_says_for_each_j():
    code, marks, out = _verify(LOGISTIC_J + "\n" + NABLA.replace("{x}", "x_j^{(i)}") + "\n")
    assert (code, marks.get(2)) == (1, "✗") and "∇_θ J is a vector; x_j⁽ⁱ⁾ is one number" in out, out
    code, marks, out = _verify(LOGISTIC_J + "\n" + NABLA.replace("{x}", "x^{(i)}") + "\n")
    assert (code, marks.get(2)) == (0, "✓"), out
    said = LOGISTIC_J + "\nComponent-wise, for each $j$:\n" + NABLA.replace("{x}", "x_j^{(i)}") + "\n"
    code, marks, out = _verify(said)
    assert (code, marks.get(3)) == (0, "✓"), out


# --- 3. x̄, θ̂: a name the text defines, else one line that says so (tester 9's fw_05/06/08) ---------------------------


@pytest.mark.parametrize(
    ("latex", "said"),
    [
        (r"\frac{1}{m}X^T(X\theta - \bar{y})", "y\u0304: check --latex reads no definition of it; write it out"),
        (r"\frac{1}{m}X^T(X\theta - y) + \frac{\lambda}{m}\overline{\theta}", "\u03b8\u0304: check --latex reads no"),
        (r"\frac{1}{m}X^T(\sigma(X\hat{\theta}) - y)", "\u03b8\u0302: check --latex reads no definition of it"),
    ],
)
def test_check_latex_says_an_accented_name_is_not_defined(latex, said):
    done = run_cli("check", "linear", "--latex", latex)
    assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr, done.stderr


MEAN = r"Let $\bar{y} = \frac{1}{m}\sum_{i=1}^m y^{(i)}$ be the mean label."
CENTRED = (
    r"$$\frac{\partial}{\partial \theta_j}\left(\theta^T x - \bar{y}\right)^2"
    r" = {c}\left(\theta^T x - \bar{y}\right)x_j$$"
)


def _centred_square(theta, x_row, mean):
    return (x_row @ theta - mean) ** 2


def test_verify_reads_a_mean_the_text_defines_and_refuses_one_it_does_not():
    x_row, mean = X[0], LABELS.mean()
    numeric = central_differences(lambda t: _centred_square(t, x_row, mean), THETA)
    assert np.allclose(numeric, 2 * (x_row @ THETA - mean) * x_row, rtol=1e-5)  # the factor 2 is right
    assert not np.allclose(numeric, (x_row @ THETA - mean) * x_row, rtol=1e-3)  # without it, wrong
    code, marks, out = _verify(MEAN + "\n\n" + CENTRED.replace("{c}", "2") + "\n")
    assert (code, marks.get(3)) == (0, "✓") and "ȳ = (1/m)" in out, out
    code, marks, out = _verify(MEAN + "\n\n" + CENTRED.replace("{c}", "") + "\n")
    assert (code, marks.get(3)) == (1, "✗"), out
    code, marks, out = _verify(CENTRED.replace("{c}", "2") + "\n")  # no ȳ = … anywhere
    assert code == 2 and marks.get(1) == "?" and "ȳ is used but not defined" in out, out


# --- 4. x_{ji}: the example's index second (tester 9's tex_12) ------------------------------------------------------

SWAPPED = r"\frac{\partial J(\theta)}{\partial\theta_j} = \frac{1}{m}\sum_{i=1}^m\left(h_\theta(x_i) - y_i\right)x_{ji}"


def test_x_with_its_indices_swapped_is_refused_with_the_spelling_to_write():
    errors = _sigmoid(X @ THETA) - LABELS
    assert np.allclose([X[:, j] @ errors / M for j in range(P)], LOGISTIC_GRADIENT, rtol=1e-5)  # x_{ij}: right
    for written in ("x_{ji}", "x_{j,i}"):
        done = run_cli("check", "logistic", "--latex", SWAPPED.replace("x_{ji}", written))
        assert done.returncode == 2, done.stdout + done.stderr
        assert "x_{ji}: write x_{ij} (example i, feature j) or x_j^{(i)}" in done.stderr, done.stderr
    done = run_cli("check", "logistic", "--latex", SWAPPED.replace("x_{ji}", "x_{ij}"))
    assert done.returncode == 0 and done.stdout.startswith("✓"), done.stdout + done.stderr


def test_the_texts_own_h_at_x_i_is_the_texts_h_at_example_i():
    text = _text("prose h", WRONG).replace("h = ", "h(x) = ").replace("x^{(i)})", "x_i)")
    code, marks, out = _verify(text)
    assert (code, marks.get(5)) == (1, "✗") and "(σ(−θᵀx⁽ⁱ⁾) − y⁽ⁱ⁾)" in out, out  # h(x_i): not h times x_i
    code, marks, out = _verify(_text("prose h", RIGHT).replace("h = ", "h(x) = ").replace("x^{(i)})", "x_i)"))
    assert (code, marks.get(5)) == (0, "✓"), out
