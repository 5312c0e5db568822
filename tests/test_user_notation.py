r"""`check` on gradients and costs written the way users write them (course notes, blogs, forum posts).

Right ones are ✓, wrong ones ✗ with the named fault, unreadable ones a one-line error; the cases come from a
tester's run of realistic inputs (the definitions a formula carries, n for the number of examples, NumPy's 1-D @).
"""

from __future__ import annotations

import pytest

from derivation.check.gradient import check_gradient

_DJ = r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m "
_DJH = _DJ + r"(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}, \quad "  # the gradient written with h_θ, then a definition


# --- 1. a definition the formula carries is part of the answer --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (
            _DJ + r"(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}, \quad \text{where } h_\theta(x) = \theta^T x",
            "your h_θ(x) = θᵀx is not the model's σ(θᵀx)",
        ),
        (
            _DJ + r"(\sigma(\theta^T x^{(i)}) - y^{(i)})x_j^{(i)} \quad \text{where } \sigma(z) = \frac{1}{1+e^{z}}",
            "has the wrong sign in the exponent",
        ),
        (
            _DJ + r"(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}, \quad h_\theta(x) = \frac{1}{1+e^{\theta^T x}}",
            "is not the model's σ(θᵀx)",
        ),
        (
            _DJ + r"(\hat{y}^{(i)} - y^{(i)})x_j^{(i)} \text{ with } \hat{y}^{(i)} = \theta^T x^{(i)}",
            "your ŷ⁽ⁱ⁾ = θᵀx is not the model's σ(θᵀx)",
        ),
    ],
)
def test_a_wrong_definition_of_the_model_makes_the_gradient_incorrect_and_is_named(text: str, named: str) -> None:
    report = check_gradient("logistic", latex=text)
    assert report.status == "incorrect"
    assert named in report.diagnosis.explanation and named in report.reason


@pytest.mark.parametrize(
    ("model", "text"),
    [
        ("logistic", _DJH + r"\text{where } h_\theta(x) = \frac{1}{1+e^{-\theta^T x}}"),
        ("logistic", r"\nabla_\theta J = X^T (\sigma(X\theta) - y)/m, \text{ where } \sigma(z) = 1/(1+e^{-z})"),
        ("linear", _DJH + r"\text{where } h_\theta(x) = \theta^T x"),
    ],
)  # fmt: skip
def test_a_right_definition_is_checked_and_said_so(model: str, text: str) -> None:
    report = check_gradient(model, latex=text)
    assert report.status == "correct"
    assert any("your definition of the model: checked" in note for note in report.notes)


def test_a_where_clause_that_is_no_definition_is_left_out_saying_so() -> None:
    report = check_gradient(
        "logistic", latex=_DJ + r"(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}, \quad \text{where } x_0 = 1"
    )
    assert report.status == "correct"
    assert any("x_0 = 1" in note and "left out" in note for note in report.notes)


# --- 2. n (or N) the number of examples -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "text", "letter"),
    [
        ("linear-mean", r"\nabla_{\mathbf{w}} L = \frac{2}{n}\mathbf{X}^\top(\mathbf{X}\mathbf{w}-\mathbf{y})", "n"),
        (
            "logistic",
            r"\frac{\partial \ell}{\partial \theta_j} = \sum_{i=1}^{n} (y_i - \sigma(\theta^T x_i)) x_{ij}",
            "n",
        ),
        ("logistic", r"\frac{\partial J}{\partial \theta_j} = \frac{1}{N}\sum_{i=1}^{N} (\hat{y}_i - y_i) x_{ij}", "N"),
    ],
)
def test_n_as_the_number_of_examples_is_read_as_m_saying_so(model: str, text: str, letter: str) -> None:
    report = check_gradient(model, latex=text)
    assert report.status == "correct"
    assert any(note.startswith(f"{letter} read as the number of examples m") for note in report.notes)


def test_n_as_the_number_of_examples_still_catches_a_wrong_sign() -> None:
    report = check_gradient("logistic", latex=r"\nabla J = \frac{1}{n}\sum_{i=1}^{n} (y_i - \sigma(\theta^T x_i)) x_i")
    assert report.status == "incorrect" and report.diagnosis.fault in ("sign", "ascent")


# --- 3. NumPy's 1-D @ and the numerator layout -------------------------------------------------------------------


def test_a_1d_residual_at_x_is_x_transpose_times_it_as_numpy_computes_it() -> None:
    report = check_gradient("linear", grad="1/m * (X @ theta - y) @ X")
    assert report.status == "correct"
    assert any("1-D" in note for note in report.notes)
    wrong = check_gradient("linear", grad="1/m * (y - X @ theta) @ X")
    assert wrong.status == "incorrect" and wrong.diagnosis.fault in ("sign", "ascent")


def test_a_row_written_with_partial_is_the_numerator_layout() -> None:
    report = check_gradient(
        "logistic", latex=r"\frac{\partial J}{\partial \theta} = \frac{1}{m}(\sigma(X\theta)-y)^T X"
    )
    assert report.status == "correct"
    assert any(note.startswith("read as a row (numerator layout)") for note in report.notes)
    wrong = check_gradient("logistic", latex=r"\frac{\partial J}{\partial \theta} = \frac{1}{m}(y-\sigma(X\theta))^T X")
    assert wrong.status == "incorrect"


# --- 4. NumPy and LaTeX spellings of everyday code --------------------------------------------------------------

_H = "sigmoid(X @ theta) - y"


@pytest.mark.parametrize(
    ("model", "grad"),
    [
        ("logistic", "np.dot(X.T, (1/(1+np.exp(-np.dot(X, theta))) - y)) / len(y)"),
        ("logistic", f"X.T.dot({_H}) / y.size"),
        ("logistic", f"X.T @ ({_H}) / X.shape[0]"),
        ("logistic", f"np.mean(({_H})[:, None] * X, axis=0)"),
        ("logistic", f"np.sum(({_H}).reshape(-1, 1) * X, axis=0) / m"),
        ("logistic-l2", f"1/m * X.T @ ({_H}) + lam/m * np.r_[0, theta[1:]]"),
        ("logistic-l2", f"1/m * X.T @ ({_H}) + (lambda_/m) * np.concatenate(([0], theta[1:]))"),
        ("logistic-l2", f"(X.T @ ({_H}) + lmbda * np.append(0, theta[1:])) / m"),
        ("logistic-l2", f"(X.T @ ({_H}) + reg * np.hstack((0, theta[1:]))) / X.shape[0]"),
        ("ridge", "1/m * X.T @ (X @ theta - y) + lam / m * np.hstack([0, theta[1:]])"),
    ],
)
def test_numpy_spellings_are_read(model: str, grad: str) -> None:
    assert check_gradient(model, grad=grad).status == "correct"


def test_numpy_spellings_still_catch_faults() -> None:
    bias = check_gradient("logistic-l2", grad=f"(X.T @ ({_H}) + lambd * theta) / len(y)")
    assert bias.status == "incorrect" and bias.diagnosis.fault == "bias-regularised"
    rows = check_gradient("logistic", grad=f"np.sum(({_H})[:, None] * X, axis=1) / m")
    assert rows.status == "incorrect" and "wrong shape" in rows.reason


@pytest.mark.parametrize(
    "text", ["X.shape[2]", "np.r_[1, theta[1:]]", "np.sum(X, axis=2)", "y.reshape(2, 3)", "np.std(X, axis=0)"]
)
def test_numpy_spellings_outside_the_subset_are_one_line_errors(text: str) -> None:
    from derivation.parsing import ParseError, read_expr

    with pytest.raises(ParseError) as info:
        read_expr(text)
    assert "\n" not in info.value.message


def test_latex_cosh_and_the_l1_norm_are_read() -> None:
    from derivation.parsing.latex import LatexContext, parse_latex

    assert "cosh" in str(parse_latex(r"\log(\cosh(z))"))
    assert "Abs" in str(parse_latex(r"\|\theta\|_1", LatexContext(cost_notation=True)))


# --- 5. a cost written with h_θ, ŷ or f_{w,b} and its definition; Ng's one feature ------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            r"J(\theta) = \frac{1}{2m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})^2, \quad h_\theta(x) = \theta^T x",
            r"\frac{1}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2",
        ),
        (
            r"J = \frac{1}{2m}\sum_{i=1}^m (\hat{y}^{(i)} - y^{(i)})^2 \text{ with } \hat{y}^{(i)} = \theta^T x^{(i)}",
            r"\frac{1}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2",
        ),
        (
            "h_\\theta(x) = \\frac{1}{1+e^{-\\theta^T x}} \\\\ J(\\theta) = -\\frac{1}{m}\\sum_{i=1}^m "
            r"[y^{(i)}\log h_\theta(x^{(i)}) + (1-y^{(i)})\log(1-h_\theta(x^{(i)}))]",
            r"-\frac{1}{m}\sum_{i=1}^m [y^{(i)}\log \frac{1}{1+e^{-\theta^T x^{(i)}}} "
            r"+ (1-y^{(i)})\log(1-\frac{1}{1+e^{-\theta^T x^{(i)}}})]",
        ),
        (
            r"J(w,b) = \frac{1}{2m}\sum_{i=1}^m (f_{w,b}(x^{(i)}) - y^{(i)})^2; f_{w,b}(x) = w x + b",
            r"\frac{1}{2m}\sum_{i=1}^m (\theta_0 + \theta_1 x_1^{(i)} - y^{(i)})^2",
        ),
        (
            r"J(\theta_0, \theta_1) = \frac{1}{2m}\sum_{i=1}^m (\theta_0 + \theta_1 x^{(i)} - y^{(i)})^2",
            r"\frac{1}{2m}\sum_{i=1}^m (\theta_0 + \theta_1 x_1^{(i)} - y^{(i)})^2",
        ),
        (
            r"J(w,b) = \frac{1}{2m}\sum_{i=1}^m (w x^{(i)} + b - y^{(i)})^2",
            r"\frac{1}{2m}\sum_{i=1}^m (\theta_0 + \theta_1 x_1^{(i)} - y^{(i)})^2",
        ),
    ],
)
def test_a_cost_with_its_model_defined_beside_it_is_that_cost(text: str, expected: str) -> None:
    import sympy as sp

    from derivation.core.functions import expand_abbreviations
    from derivation.models.costs import read_cost

    got, want = read_cost(text), expand_abbreviations(read_cost(expected))
    assert sp.simplify(sp.expand(got.doit() - want.doit())) == 0 or got == want


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # an undefined h_θ in the squared error is read as θᵀx (tests/test_show_implied.py); inside exp it is not
        (r"\frac{1}{m}\sum_{i=1}^m e^{h_\theta(x^{(i)})}", r"h_\theta(x) = \theta^T x"),
        (r"\frac{1}{2}(\theta^T x - y)^2", "loss of one example"),
    ],
)
def test_a_cost_that_cannot_be_read_says_how_to_write_it_in_one_line(text: str, words: str) -> None:
    from derivation.models.costs import CostError, read_cost

    with pytest.raises(CostError) as info:
        read_cost(text)
    assert words in str(info.value) and "\n" not in str(info.value) and "report" not in str(info.value)


def test_a_proportional_row_is_left_out_of_the_chain() -> None:
    from derivation.parsing.rows import split_rows

    rows = split_rows(r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m} S \\ &\propto S")
    assert len(rows) == 1 and len(rows[0].relations) == 1


@pytest.mark.parametrize(
    ("how", "text"),
    [
        ("grad", "1/m * X.T @ (softmax(X @ W) - Y)"),
        ("grad", "X.T @ (scipy.special.softmax(X @ W, axis=1) - Y) / m"),
        ("latex", r"\frac{1}{m}X^T(\mathrm{softmax}(XW) - Y)"),
        ("latex", r"\frac{1}{m} X^T (\hat{Y} - Y)"),
    ],
)
def test_softmax_written_out_is_read_for_the_weight_matrix(how: str, text: str) -> None:
    assert check_gradient("softmax", **{how: text}).status == "correct"
    wrong = text.replace("- Y)", "+ Y)")
    assert check_gradient("softmax", **{how: wrong}).status == "incorrect"


@pytest.mark.parametrize(
    "text",
    [
        _DJ + r"(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)} \quad \text{where } m = 100",
        r"\theta_j := \theta_j - \alpha\frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}, \quad "
        r"\text{with } \alpha = 0.01",
        # "where ŷ = σ(z), z = θᵀx" is used by the gradient: read, see tests/test_where_definitions.py
    ],
)
def test_a_where_clause_the_gradient_does_not_use_is_left_out_saying_so(text: str) -> None:
    report = check_gradient("logistic", latex=text)
    assert report.status == "correct"
    assert any("after 'where'" in note and "left out" in note for note in report.notes)


@pytest.mark.parametrize(
    "text",
    [
        "h = sigmoid(X @ theta); J = -np.mean(y*np.log(h) + (1-y)*np.log(1-h))",
        "z = X @ theta\nh = 1/(1+np.exp(-z))\ncost = -(y @ np.log(h) + (1-y) @ np.log(1-h)) / len(y)",
    ],
)
def test_a_python_cost_with_its_parts_named_first_is_that_cost(text: str) -> None:
    from derivation.models import get_model
    from derivation.models.costs import read_cost
    from derivation.oracle.datasets import Evaluator, make_datasets

    want = read_cost("-np.mean(y*np.log(sigmoid(X @ theta)) + (1-y)*np.log(1-sigmoid(X @ theta)))", latex=False)
    got = read_cost(text, latex=False)
    for d in make_datasets(get_model("logistic"), 0)[:2]:
        a, b = (float(Evaluator(d, row_offset=1).value(c)) for c in (got, want))
        assert a == pytest.approx(b, rel=1e-12)
