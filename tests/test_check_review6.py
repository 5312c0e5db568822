"""Review 6: two gradient lines on one line of LaTeX, joined by a comma with spacing or 'and' (not only \\quad).

The reader kept the first equation only, so a slip in the second got a plain ✓. Truth by central differences of the
linear cost J(w, b) = (1/2m) Σ (w x + b − y)² on concrete data (the right ∂J/∂w has 1/m, the slip 1/(2m)).
"""

import numpy as np
import pytest

from derivation.check import check_gradient

_B = r"\frac{\partial J}{\partial b} = \frac{1}{m}\sum_{i=1}^m (w x^{(i)} + b - y^{(i)})"
_W = r"\frac{\partial J}{\partial w} = \frac{SCALE}\sum_{i=1}^m (w x^{(i)} + b - y^{(i)}) x^{(i)}"
JOINTS = (r", \; ", r", \, ", r", ~~ ", r" \text{ and } ", r", ", r", \quad ")
# review 7: words between them, as users write them
WORDS = (r" \text{ and similarly } ", r"\text{, and }", r"\mbox{ and }", r"\ \text{and}\ ", r" \text{ while } ")


def _central_differences() -> tuple[float, float, float]:
    """(∂J/∂w by central differences, the formula with 1/m, with 1/(2m)) on one dataset."""
    rng = np.random.default_rng(3)
    x, y, w, b = rng.normal(size=7), rng.normal(size=7), 0.7, -0.2
    cost = lambda w: np.mean((w * x + b - y) ** 2) / 2  # noqa: E731
    h = 1e-6
    r = w * x + b - y
    return (cost(w + h) - cost(w - h)) / (2 * h), np.mean(r * x), np.mean(r * x) / 2


def test_the_oracle_tells_the_twins_apart() -> None:
    fd, right, slip = _central_differences()
    assert abs(fd - right) < 1e-8 and abs(fd - slip) > 1e-2


@pytest.mark.parametrize("joint", JOINTS)
def test_a_slip_in_the_second_equation_is_found(joint: str) -> None:
    report = check_gradient("linear", latex=_B + joint + _W.replace("SCALE", "1}{2m"))
    assert report.status == "incorrect", report.reason


@pytest.mark.parametrize("joint", JOINTS[:2])
def test_the_right_pair_holds(joint: str) -> None:
    assert check_gradient("linear", latex=_B + joint + _W.replace("SCALE", "1}{m")).status == "correct"


@pytest.mark.parametrize("joint", WORDS)
def test_words_between_the_equations_are_a_joint_too(joint: str) -> None:
    assert check_gradient("linear", latex=_B + joint + _W.replace("SCALE", "1}{2m")).status == "incorrect"
    assert check_gradient("linear", latex=_B + joint + _W.replace("SCALE", "1}{m")).status == "correct"


def test_dfrac_left_sides_are_split_too() -> None:
    pair = (_B + ", \\; " + _W).replace("\\frac", "\\dfrac")
    assert check_gradient("linear", latex=pair.replace("SCALE", "1}{2m")).status == "incorrect"
    assert check_gradient("linear", latex=pair.replace("SCALE", "1}{m")).status == "correct"


def test_a_matrix_form_after_i_e_is_checked_too() -> None:
    # ∇_θ J = (1/2m)Xᵀ(h − y) after a right entry formula: half the gradient (review 7)
    entry = r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}"
    text = entry + r" \text{ for all } j, \text{ i.e. } \nabla_\theta J = \frac{1}{SCALE}X^T(h - y)"
    assert check_gradient("logistic", latex=text.replace("SCALE", "2m")).status == "incorrect"


def test_an_update_that_adds_the_costs_derivative_is_not_a_check_mark() -> None:
    # review 7 and 8: θ_j := θ_j + α ∂J/∂θ_j (or ∂L/∂θ_j) climbs J (J(θ + α∇J) > J(θ) for small α), yet the update
    # was dropped and the equation after it alone got ✓ rc 0. The equation is the g of that ascent step now.
    entry = r"\frac{\partial NAME}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}"
    update = r"\theta_j := \theta_j SIGN \alpha \frac{\partial NAME}{\partial \theta_j}, \quad " + entry
    for name in ("J", "L", "E"):
        climbs = update.replace("SIGN", "+").replace("NAME", name)
        assert check_gradient("logistic", latex=climbs).status == "incorrect", name
    assert check_gradient("logistic", latex=update.replace("SIGN", "-").replace("NAME", "J")).status == "correct"
    # ascent along the log-likelihood's derivative Σ(y − h)x_j: right
    likelihood = update.replace("SIGN", "+").replace("NAME", "L").replace(r"\frac{1}{m}", "")
    likelihood = likelihood.replace(r"h_\theta(x^{(i)}) - y^{(i)}", r"y^{(i)} - h_\theta(x^{(i)})")
    assert check_gradient("logistic", latex=likelihood).status == "correct"
