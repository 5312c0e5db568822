r"""Reading a gradient as users write it in LaTeX: equations, update rules, cases by index (parsing/statement.py)."""

from __future__ import annotations

import re

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derivation.check.gradient import check_gradient
from derivation.core.notation import i, j, m, theta, x, y
from derivation.parsing import ParseError
from derivation.parsing.statement import ALL, BIAS, WEIGHTS_SCOPE, read_gradient
from derivation.proof.read import model_context

LOGISTIC = model_context("logistic")
H = LOGISTIC.hypothesis
RIGHT = r"\frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right)x_j^{(i)}"
MEAN = sp.Sum((H(i) - y[i]) * x[i, j], (i, 1, m)) / m


@pytest.mark.parametrize(
    "left",
    [
        r"\frac{\partial J(\theta)}{\partial \theta_j}",
        r"\frac{\partial}{\partial\theta_j}J(\theta)",
        r"\dfrac{\partial \mathcal{J}}{\partial \theta_{j}}",
        r"\frac{\mathrm{d}J}{\mathrm{d}\theta_j}",
        r"\partial_{\theta_j} J",
        r"\nabla(J)_j",
        r"(\nabla J)_j",
        r"\nabla_{\theta_j} J(\theta)",
        r"\frac{\partial J}{\partial \theta_k}",
        r"\operatorname{grad}_j",
    ],
)
def test_left_sides_of_the_cost(left):
    statement = read_gradient(f"{left} = {RIGHT}".replace("x_j^{(i)}", "x_k^{(i)}" if "_k" in left else "x_j^{(i)}"),
                              LOGISTIC)  # fmt: skip
    assert (statement.target, statement.form) == ("cost", "equation")
    assert statement.pieces[0].value == MEAN and statement.pieces[0].scope == ALL


@pytest.mark.parametrize(
    "left",
    [
        r"\frac{\partial \ell}{\partial\theta_j}",
        r"\frac{\partial}{\partial\theta_j}\log L(\theta)",
        r"\nabla \ell(\theta)_j",
    ],
)
def test_left_sides_of_the_log_likelihood(left):
    assert read_gradient(f"{left} = {RIGHT}", LOGISTIC).target == "log-likelihood"


@pytest.mark.parametrize(
    ("rule", "target", "value"),
    [
        (r"\theta_j := \theta_j - \alpha " + RIGHT, "descent", MEAN),
        (
            r"\theta_j \leftarrow \theta_j - \frac{\alpha}{m}\sum_{i=1}^{m}(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}",
            "descent",
            MEAN,
        ),
        (r"\theta_j = \theta_j + \eta \sum_{i=1}^{m}(y^{(i)} - h_\theta(x^{(i)}))x_j^{(i)}", "ascent", -m * MEAN),
        (r"\theta_j \gets \theta_j(1 - \alpha\frac{\lambda}{m}) - \alpha " + RIGHT, "descent", None),
    ],
)
def test_update_rules_give_what_they_subtract(rule, target, value):
    statement = read_gradient(rule, LOGISTIC)
    assert statement.target == target and statement.form == "update rule"
    if value is not None:
        assert sp.simplify(statement.pieces[0].value - value) == 0
    else:  # the shrinking form: the step is the data term plus (λ/m)θ_j
        assert statement.pieces[0].value.has(sp.Symbol("lambda", positive=True)) and statement.pieces[0].value.has(
            theta[j]
        )


def test_a_row_of_words_is_a_remark_on_the_line_above():
    text = (
        r"\theta_j := \theta_j - \alpha "
        + RIGHT
        + r" \\ \text{(simultaneously update } \theta_j \text{ for all } j\text{)}"
    )
    statement = read_gradient(text, LOGISTIC)
    assert [p.value for p in statement.pieces] == [MEAN]


def test_a_vector_update_rule_and_a_repeat_wrapper():
    vector = read_gradient(r"\theta := \theta - \frac{\alpha}{m} X^T(\sigma(X\theta) - y)", LOGISTIC)
    assert vector.target == "descent" and isinstance(vector.pieces[0].value, sp.MatrixExpr)
    wrapped = read_gradient(
        r"\text{repeat until convergence } \{ \\ \theta_j := \theta_j - \alpha " + RIGHT + r" \\ \}", LOGISTIC
    )
    assert wrapped.pieces[0].value == MEAN


@pytest.mark.parametrize(
    "text",
    [
        r"\frac{\partial J}{\partial\theta_j} = \begin{cases} P & j = 0 \\ Q & j \geq 1 \end{cases}",
        r"\frac{\partial J}{\partial\theta_j} = \begin{cases} P & (j=0) \\ Q & \text{otherwise} \end{cases}",
        r"\begin{align} \frac{\partial J}{\partial\theta_0} &= P \\ "
        r"\frac{\partial J}{\partial\theta_j} &= Q, \quad \text{for } j = 1, \dots, n \end{align}",
        r"\theta_0 := \theta_0 - \alpha P \\ \theta_j := \theta_j - \alpha Q \qquad j \ge 1",
        r"db = P \\ dw = Q",
        r"\nabla J = \left\{ \begin{array}{ll} P & j = 0 \\ Q & j > 0 \end{array} \right.",
    ],
)
def test_cases_by_index(text):
    a, b = sp.Symbol("P", real=True), sp.Symbol("Q", real=True)
    statement = read_gradient(text, LOGISTIC)
    assert {(p.scope, p.value) for p in statement.pieces} == {(BIAS, a), (WEIGHTS_SCOPE, b)}
    assert "by index" in statement.form


@pytest.mark.parametrize(
    ("text", "fragment", "position"),
    [
        (r"\frac{\partial J}{\partial x_j} = \theta_j", r"differentiates by x_j; the gradient is by the parameters", 0),
        (
            r"\frac{\partial h_\theta(x)}{\partial \theta_j} = h(1-h)x_j",
            r"the derivative of h_\theta, not of the cost",
            0,
        ),
        (r"J(\theta) = \frac{1}{m}\theta_j", "this is the cost J(\\theta), not its gradient", 0),
        (r"\theta_j := \theta_j - " + RIGHT, "needs one step size", 12),
        (r"\theta_j := \theta_0 - \alpha " + RIGHT, "starts from the parameter it updates", 12),
        (r"\frac{\partial^2 J}{\partial \theta_j^2} = 1", "second derivative", 0),
        (r"\frac{\partial J}{\partial \theta_j} = ", "nothing after '='", 37),
        # ∂J/∂θ_3 is a fixed entry that check judges (c2_index: 10ca7f3's scope); an index expression is not
        (r"\frac{\partial J}{\partial \theta_{j+1}} = x_{j+1}", r"differentiates by \theta_{j+1}", 0),
        (r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m} \foo", r"unknown command \foo", 51),
        (r"f(x) + g = 2", "cannot read the left side", 0),
        (r"\nabla J = \frac{1}{m} X^T(\sigm(X\theta) - y)", r"unknown command \sigm: did you mean \sigma?", 27),
    ],
)
def test_unreadable_statements_say_where_why_and_what_to_write(text, fragment, position):
    with pytest.raises(ParseError) as info:
        read_gradient(text, LOGISTIC)
    message = str(info.value)
    assert fragment in message and "\n" not in message and "()" not in message
    assert info.value.position == position, message


def test_a_multiline_error_points_at_its_line():
    with pytest.raises(ParseError) as info:
        read_gradient("db = A \\\\\n\\frac{\\partial J}{\\partial z} = B", LOGISTIC)
    assert str(info.value).startswith("line 2, col 0:")


def test_check_gradient_judges_the_statement_against_its_target():
    rule = check_gradient(
        "logistic", latex=r"\theta_j := \theta_j - \alpha \sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}"
    )
    assert rule.status == "correct" and "update rule" in rule.input_kind
    assert any("gradient-descent" in note for note in rule.notes)
    wrong = check_gradient("logistic", latex=r"\theta_j := \theta_j + \alpha " + RIGHT)
    assert wrong.status == "incorrect"
    half = check_gradient(
        "logistic-l2",
        latex=r"\frac{\partial J}{\partial \theta_0} = \frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})",
    )
    assert half.status == "correct" and any("were not checked" in note for note in half.notes)


def test_iteration_superscripts_and_vector_rules_written_with_sums():
    matrix = read_gradient(r"\theta^{(t+1)} = \theta^{(t)} - \frac{\eta}{m} X^T(\sigma(X\theta^{(t)}) - y)", LOGISTIC)
    assert matrix.target == "descent" and isinstance(matrix.pieces[0].value, sp.MatrixExpr)
    sums = read_gradient(r"\theta := \theta - \alpha " + RIGHT.replace("x_j^{(i)}", "x^{(i)}"), LOGISTIC)
    assert sums.pieces[0].value == MEAN
    with pytest.raises(ParseError, match="starts from the parameter"):
        read_gradient(r"\theta := \theta_0 - \alpha X^T y", LOGISTIC)


STATEMENT_TOKENS = [
    "=", ":=", r"\leftarrow", r"\\", "&", r"\theta_j", r"\theta", r"\theta_0", "w", "b", r"\alpha", "-", "+",
    r"\frac{\partial J}{\partial \theta_j}", r"\nabla_\theta J", "dw", "db", r"\begin{cases}", r"\end{cases}",
    r"j = 0", r"j \geq 1", r"\text{for } ", r"\quad", ",", ".", r"\{", r"\}", "(", ")", r"\hat{y}_i", "y_i",
    r"x_{ij}", r"x^{(i)}", r"\sum_{i=1}^m", r"\frac{1}{m}", "X^T", r"X\theta", r"\sigma(", r"\lambda", " ",
    r"f_{\mathbf{w},b}(", r"\sum_{i=0}^{m-1}", r"\sum_{n=1}^{N}", "t_n", "y_n", r"\phi_n", r"\phi(", r"\newline",
    "$$", r"\lbrace", r"\rbrace", r"\mathbf{w} \cdot", r"\text{for } i = 1 \text{ to } m:", "E(w)", r"\tag{1}",
]  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # no wall clock: CI is loaded
@given(st.lists(st.sampled_from(STATEMENT_TOKENS), max_size=14).map("".join))
def test_fuzz_statements_give_a_report_or_a_one_line_error(text):
    try:
        report = check_gradient("logistic-l2", latex=text)
    except ParseError as error:  # InputError is a ParseError too
        assert "\n" not in str(error) and not re.search(r"(?<![\\\w])[a-z_]{3,}\(\)", str(error))
        return
    assert report.status in ("correct", "incorrect", "undecided")


def test_the_deep_learning_layout_with_one_example_per_column():
    text = (
        r"A = \sigma(w^T X + b) \\ dw = \frac{1}{m} X (A - Y)^T \\ db = \frac{1}{m} \sum_{i=1}^{m} (a^{(i)} - y^{(i)})"
    )
    statement = read_gradient(text, LOGISTIC)
    assert {p.scope for p in statement.pieces} == {BIAS, WEIGHTS_SCOPE}
    assert any("one example per column" in note for note in statement.notes)
    assert check_gradient("logistic", latex=text).status == "correct"
    with pytest.raises(ParseError, match="shapes do not match"):  # a layout that fits neither: the first error
        read_gradient(r"dw = \frac{1}{m} X (A - Y)", LOGISTIC)


SPECIALIZATION = (
    r"\frac{\partial J(\mathbf{w},b)}{\partial w_j} = \frac{1}{m} \sum\limits_{i = 0}^{m-1} "
    r"(f_{\mathbf{w},b}(\mathbf{x}^{(i)}) - y^{(i)})x_j^{(i)} \\"
    r"\frac{\partial J(\mathbf{w},b)}{\partial b} = \frac{1}{m} \sum\limits_{i = 0}^{m-1} "
    r"(f_{\mathbf{w},b}(\mathbf{x}^{(i)}) - y^{(i)})"
)


def test_the_specialization_model_f_wb_and_examples_numbered_from_zero():
    statement = read_gradient(SPECIALIZATION, LOGISTIC)
    assert statement.pieces[0].value == MEAN  # f_{w,b}(x⁽ⁱ⁾) is h_θ(x⁽ⁱ⁾); Σ_{i=0}^{m−1} the m examples
    assert {p.scope for p in statement.pieces} == {WEIGHTS_SCOPE, BIAS}
    assert any("numbered from 0" in note for note in statement.notes)
    for model in ("logistic", "linear"):
        assert check_gradient(model, latex=SPECIALIZATION).status == "correct"
    summed = SPECIALIZATION.replace(r"\frac{1}{m}", "")
    assert check_gradient("logistic", latex=summed).diagnosis.fault == "summed"


@pytest.mark.parametrize(
    "model, right",
    [
        (r"f_{\vec{w},b}(\vec{x}^{(i)})", r"g(\vec{w} \cdot \vec{x}^{(i)} + b)"),
        (r"f_{w,b}(x^{(i)})", r"\sigma(w \cdot x^{(i)} + b)"),
    ],
)
def test_the_dot_product_w_dot_x_skips_the_bias(model, right):
    gradient = rf"\frac{{1}}{{m}}\sum_{{i=0}}^{{m-1}}({model} - y^{{(i)}})x_j^{{(i)}}"
    text = rf"{model} = {right} \\ \frac{{\partial J(w,b)}}{{\partial w_j}} = {gradient}"
    assert check_gradient("logistic", latex=text).status == "correct"
    direct = rf"\frac{{\partial J}}{{\partial w_j}} = \frac{{1}}{{m}}\sum_{{i=1}}^{{m}}({right} - y^{{(i)}})x_j^{{(i)}}"
    assert check_gradient("logistic", latex=direct).status == "correct"


def test_a_sum_from_zero_to_m_is_not_renumbered():
    with pytest.raises(ParseError, match="out of range"):
        check_gradient("logistic", latex=r"\frac{1}{m}\sum_{i=0}^{m}(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}")


@pytest.mark.parametrize("wrong", ["dw", "db"])
def test_the_sign_of_one_line_of_dw_and_db_is_named(wrong):
    lines = {
        "dw": r"dw = \frac{1}{m}\sum_{i=1}^{m}(\hat y_i - y_i)\,x_i",
        "db": r"db = \frac{1}{m}\sum_{i=1}^{m}(\hat y_i - y_i)",
    }
    lines[wrong] = lines[wrong].replace(r"(\hat y_i - y_i)", r"(y_i - \hat y_i)")
    report = check_gradient("logistic", latex=lines["dw"] + r" \\ " + lines["db"])
    assert report.status == "incorrect" and report.diagnosis.fault == "sign"
    named = "weights" if wrong == "dw" else "bias"
    assert report.diagnosis.explanation.startswith(f"the line for the {named}")


def test_a_line_for_theta_0_makes_the_theta_j_line_the_weights():
    text = (
        r"\theta_0 := \theta_0 - \alpha \frac{1}{m}\sum_{i=1}^{m}(h_\theta(x^{(i)}) - y^{(i)}) \\"
        r"\theta_j := \theta_j - \alpha \frac{1}{m}\sum_{i=1}^{m}(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}"
    )
    assert [p.scope for p in read_gradient(text, LOGISTIC).pieces] == [BIAS, WEIGHTS_SCOPE]
    flipped = text.replace(r"(h_\theta(x^{(i)}) - y^{(i)}) \\", r"(y^{(i)} - h_\theta(x^{(i)})) \\")
    assert check_gradient("logistic", latex=flipped).status == "incorrect"  # was read over by the θ_j line


BISHOP = r"\nabla E(\mathbf{w}) = \frac{1}{N}\sum_{n=1}^N (y_n - t_n)\boldsymbol\phi_n"


def test_bishops_notation_n_over_examples_t_the_targets_y_the_predictions():
    statement = read_gradient(BISHOP, LOGISTIC)
    assert statement.target == "cost" and statement.pieces[0].scope == ALL
    assert statement.pieces[0].value == MEAN
    assert any("N examples indexed by n" in note and "t_n the targets" in note for note in statement.notes)
    assert check_gradient("logistic", latex=BISHOP).status == "correct"
    # E is the model's mean cost here: Bishop's summed E(w) is the summed fault (labelling policy)
    assert check_gradient("logistic", latex=BISHOP.replace(r"\frac{1}{N}", "")).diagnosis.fault == "summed"


@pytest.mark.parametrize(
    "model, text",
    [
        ("linear", r"\nabla_{\mathbf{w}} E = \frac{1}{N}\sum_{n=1}^{N} (\mathbf{w}^T\mathbf{x}_n - t_n)\mathbf{x}_n"),
        (
            "linear",
            r"\frac{\partial E}{\partial w_j} = \frac{1}{N}\sum_{n=1}^{N} (\mathbf{w}^T\mathbf{x}_n - t_n)x_{nj}",
        ),
        ("logistic", r"\nabla E(\mathbf{w}) = \frac{1}{N}\boldsymbol\Phi^T(\mathbf{y} - \mathbf{t})"),
        (
            "logistic",
            r"y_n = \sigma(\mathbf{w}^T\boldsymbol\phi_n) \\ \nabla E = \frac{1}{N}\sum_{n} (y_n - t_n)\phi_n",
        ),
        ("logistic", r"\mathbf{w}^{(\tau+1)} = \mathbf{w}^{(\tau)} - \eta \sum_{n=1}^{N} (y_n - t_n)\boldsymbol\phi_n"),
    ],
)
def test_bishops_notation_in_its_forms(model, text):
    assert check_gradient(model, latex=text).status == "correct"


def test_bishops_y_n_defined_is_used():
    wrong = r"y_n = \mathbf{w}^T\boldsymbol\phi_n \\ " + BISHOP  # the σ left out of the definition
    assert check_gradient("logistic", latex=wrong).diagnosis.fault == "sigmoid-missing"


CS229_STOCHASTIC = r"\theta_j := \theta_j + \alpha\left(y^{(i)} - h_\theta(x^{(i)})\right)x_j^{(i)}"


def test_a_stochastic_rule_is_one_examples_gradient_checked_example_by_example():
    statement = read_gradient(CS229_STOCHASTIC, LOGISTIC)
    assert statement.per_example and any("one example i" in note for note in statement.notes)
    for model in ("logistic", "linear"):
        assert check_gradient(model, latex=CS229_STOCHASTIC).status == "correct"
    wrong = CS229_STOCHASTIC.replace(r"\theta_j + \alpha", r"\theta_j - \alpha")
    assert check_gradient("logistic", latex=wrong).diagnosis.fault == "sign"


def test_a_stochastic_rule_right_only_in_sum_is_caught_at_an_example():
    # (i − (m+1)/2) adds up to zero over the examples: the batch sum is right, each example's step is not
    text = r"\theta_j := \theta_j - \alpha\left[(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)} + i - \frac{m+1}{2}\right]"
    report = check_gradient("logistic", latex=text)
    assert report.status == "incorrect" and "not for example 1 alone" in report.reason


def test_one_training_example_without_an_index():
    text = r"\frac{\partial}{\partial\theta_j} J(\theta) = (h_\theta(x) - y)x_j"
    value = read_gradient(text, LOGISTIC).pieces[0].value
    assert value == (H(i) - y[i]) * x[i, j]
    # CS229's LMS rule "for one training example": ✓ as one example's gradient, said first, with ∂J/∂θ_j of the mean
    report = check_gradient("linear", latex=text)
    assert report.status == "correct" and report.holds_for.startswith("one example's gradient")
    assert report.reason.startswith("of the mean cost J: ∂J/∂θ_j = (1/m) Σᵢ₌₁ᵐ")
    loss = text.replace("J(\\theta)", "L")  # one example's loss: right, and a plain ✓
    plain = check_gradient("linear", latex=loss)
    assert (plain.status, plain.holds_for) == ("correct", None)
    assert check_gradient("linear", latex=loss.replace("h_\\theta(x)", "\\theta^T x")).status == "correct"
    assert check_gradient("logistic", latex=text.replace("(h_\\theta(x) - y)", "(y - h_\\theta(x))")).status == (
        "incorrect"
    )


@pytest.mark.parametrize(
    "penalty, fault", [(r"\frac{\lambda}{m}\theta_j", None), (r"\lambda\theta_j", "penalty-scale")]
)
def test_a_stochastic_rule_with_a_penalty_shares_it_over_the_examples(penalty, fault):
    text = (
        r"\theta_0 := \theta_0 - \alpha(h_\theta(x^{(i)}) - y^{(i)}) \\"
        rf"\theta_j := \theta_j - \alpha\left[(h_\theta(x^{{(i)}}) - y^{{(i)}})x_j^{{(i)}} + {penalty}\right]"
    )
    report = check_gradient("logistic-l2", latex=text)
    assert (report.diagnosis.fault if report.diagnosis else None) == fault
    assert report.status == ("correct" if fault is None else "incorrect")


def test_a_rule_for_one_example_beside_a_summed_one_is_refused():
    text = (
        r"\theta_0 := \theta_0 - \alpha\frac{1}{m}\sum_{i=1}^m(h_\theta(x^{(i)}) - y^{(i)}) \\"
        r"\theta_j := \theta_j - \alpha (h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}"
    )
    with pytest.raises(ParseError, match="single example i and another sums"):
        read_gradient(text, LOGISTIC)


@pytest.mark.parametrize(
    "loop",
    [
        r"\text{for } i = 1 \text{ to } m: \quad ",
        r"\text{Loop } \{ \text{for } i = 1, \ldots, m \{ ",
        "for i=1,...,m: ",
    ],
)
def test_the_loop_over_the_examples_around_a_stochastic_rule(loop):
    closing = r" \} \}" if r"\{" in loop else ""
    assert check_gradient("logistic", latex=loop + CS229_STOCHASTIC + closing).status == "correct"


HALF_SUM = r"J(\theta) = \frac{1}{2}\sum_{i=1}^{m}(h_\theta(x^{(i)}) - y^{(i)})^2 \\ "
SUMMED_GRADIENT = r"\frac{\partial J}{\partial \theta_j} = \sum_{i=1}^{m}(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}"


def test_a_cost_the_text_defines_as_summed_makes_its_summed_gradient_right():
    report = check_gradient("linear", latex=HALF_SUM + SUMMED_GRADIENT)
    assert report.status == "correct" and any("summed cost m·J" in note for note in report.notes)
    mean = SUMMED_GRADIENT.replace(r"= \sum", r"= \frac{1}{m}\sum")  # the mean gradient of a summed cost
    assert check_gradient("linear", latex=HALF_SUM + mean).status == "incorrect"
    assert check_gradient("linear", latex=SUMMED_GRADIENT).diagnosis.fault == "summed"  # no cost defined


def test_a_cost_defined_as_the_models_or_as_something_else_leaves_the_mean_cost_the_target():
    mean_cost = HALF_SUM.replace(r"\frac{1}{2}", r"\frac{1}{2m}")
    report = check_gradient("linear", latex=mean_cost + SUMMED_GRADIENT)
    assert report.diagnosis.fault == "summed" and any("the model's cost J" in note for note in report.notes)
    other = HALF_SUM.replace(r"\frac{1}{2}", r"\frac{1}{3}")
    report = check_gradient("linear", latex=other + SUMMED_GRADIENT)
    assert report.diagnosis.fault == "summed" and any("neither" in note for note in report.notes)


def test_without_t_y_n_is_the_label_and_mu_n_the_prediction():
    murphy = r"\nabla J(\mathbf{w}) = \frac{1}{N}\sum_{n=1}^{N} (\mu_n - y_n)\mathbf{x}_n"
    report = check_gradient("logistic", latex=murphy)
    assert report.status == "correct" and any("y_n the labels" in note for note in report.notes)
    defined = r"\mu_n = \sigma(\mathbf{w}^T\mathbf{x}_n) \\ " + murphy
    assert check_gradient("logistic", latex=defined).status == "correct"
    assert check_gradient("logistic", latex=murphy.replace(r"(\mu_n - y_n)", r"(y_n - \mu_n)")).status == "incorrect"


def test_two_displays_on_two_lines_are_two_rows():
    text = "$$J(\\theta) = \\frac{1}{2m}\\sum_{i=1}^{m}(h_\\theta(x^{(i)}) - y^{(i)})^2$$\n$$" + SUMMED_GRADIENT + "$$"
    statement = read_gradient(text, LOGISTIC)
    assert len(statement.pieces) == 1 and statement.costs[0][0] == "J(\\theta)"


def test_newline_lbrace_and_tag_are_layout():
    text = (
        r"\text{repeat} \; \lbrace \newline w_j = w_j - \alpha \frac{1}{m}\sum_{i=0}^{m-1}(f_{w,b}(x^{(i)}) - y^{(i)})"
        r"x_j^{(i)} \tag{1} \; & \text{for j := 0..n-1} \newline b = b - \alpha \frac{1}{m}\sum_{i=0}^{m-1}"
        r"(f_{w,b}(x^{(i)}) - y^{(i)}) \tag{2} \newline \rbrace"
    )
    statement = read_gradient(text, LOGISTIC)
    assert [p.scope for p in statement.pieces] == [WEIGHTS_SCOPE, BIAS]
    assert check_gradient("linear", latex=text).status == "correct"


def test_a_rule_that_adds_its_step_beside_one_that_subtracts_is_a_sign_on_that_line():
    text = (
        r"w_j := w_j - \alpha\frac{1}{m}\sum_{i=1}^{m}(\hat y_i - y_i)x_{ij} \\"
        r"b := b + \alpha\frac{1}{m}\sum_{i=1}^{m}(\hat y_i - y_i)"
    )
    report = check_gradient("logistic", latex=text)
    assert report.diagnosis.fault == "sign" and "the line for the bias" in report.diagnosis.explanation
    both = text.replace(
        r"b + \alpha\frac{1}{m}\sum_{i=1}^{m}(\hat y_i - y_i)",
        r"b + \alpha\frac{1}{m}\sum_{i=1}^{m}(y_i - \hat y_i)",
    )
    assert check_gradient("logistic", latex=both).status == "correct"  # b moves by −(ŷ − y) too: both descend


@pytest.mark.parametrize(
    "text",
    [
        r"\nabla E_D(\mathbf{w}) = \frac{1}{N}\sum_{n=1}^{N}(y_n - t_n)\boldsymbol\phi_n",
        r"\nabla E(\mathbf{w}) = \frac{1}{N}\sum_{n=1}^{N}(\sigma(\mathbf{w}^T\boldsymbol\phi(\mathbf{x}_n)) - t_n)"
        r"\boldsymbol\phi(\mathbf{x}_n)",
    ],
)
def test_bishops_data_term_and_features_of_an_input(text):
    assert check_gradient("logistic", latex=text).status == "correct"


def test_bishops_phi_takes_its_input_in_parentheses():
    with pytest.raises(ParseError, match=r"\\phi needs its argument in parentheses"):
        read_gradient(r"\nabla E = \frac{1}{N}\sum_{n=1}^{N}(y_n - t_n)\phi \mathbf{x}_n", LOGISTIC)


def test_f_theta_is_the_hypothesis_too():
    text = r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m}(f_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}"
    assert read_gradient(text, LOGISTIC).pieces[0].value == MEAN
    with pytest.raises(ParseError, match=r"the model is written f_\{\\mathbf\{w\},b\}"):
        read_gradient(text.replace(r"f_\theta", r"f_{\mathbf{w},c}"), LOGISTIC)


def test_w_with_no_b_anywhere_is_all_of_theta() -> None:
    alone = read_gradient(
        r"\nabla_w J = \frac{1}{m}\sum_{i=1}^m (\sigma(w^T x_i) - y_i) x_i", model_context("logistic")
    )
    assert [p.scope for p in alone.pieces] == [ALL]
    with_b = read_gradient(
        r"\nabla_w J = \frac{1}{m}\sum_{i=1}^m (\sigma(w^T x_i + b) - y_i) x_i", model_context("logistic")
    )
    assert [p.scope for p in with_b.pieces] == [WEIGHTS_SCOPE]
    assert check_gradient("logistic", latex=r"\nabla_w J = \frac{1}{m} X^T(\sigma(Xw) - y)").status == "correct"
