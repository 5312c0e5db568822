"""A NumPy function right only for column vectors: correct, and every format says for which shapes (issue 11).

The cases are written as course code is: θ initialised as ``np.zeros((n + 1, 1))``, so the
function indexes ``theta[1:, :]`` or asks ``theta.shape[1]`` and raises for a 1-D θ.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from derivation.check.gradient import CORRECT, INCORRECT, check_gradient
from derivation.printing.gradient_report import render_report

COLUMNS = "θ of shape (n+1, 1) and y of shape (m, 1)"


def write(tmp_path: Path, source: str, name: str = "ex2.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def check(tmp_path: Path, model: str, source: str, function: str):
    return check_gradient(model, python=f"{write(tmp_path, source)}:{function}")


# Andrew Ng's ex2, ported line by line: grad(2:end) becomes grad[1:, :], which a 1-D θ cannot index.
EX2_REG = """
    import numpy as np

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    def costFunctionReg(theta, X, y, lambda_):
        m = y.shape[0]
        h = sigmoid(X.dot(theta))
        grad = (1 / m) * X.T.dot(h - y)
        grad[1:, :] = grad[1:, :] + (lambda_ / m) * theta[1:, :]
        return grad
"""

# A check written by someone who was bitten by (m,) against (m, 1) once.
ASSERTS_COLUMNS = """
    import numpy as np

    def gradient(theta, X, y):
        m, n = X.shape
        assert theta.shape == (n, 1), "theta must be a column vector"
        h = 1 / (1 + np.exp(-(X @ theta)))
        return X.T @ (h - y) / m
"""

# Runs with a 1-D θ but reshapes y into a column: (m,) − (m, 1) broadcasts to (m, m) there.
Y_AS_COLUMN = """
    import numpy as np

    def compute_grad(theta, X, y):
        m = len(y)
        error = X @ theta - y.reshape(m, 1)
        return (X.T @ error) / m
"""


def test_a_function_that_raises_for_1d_theta_is_correct_for_columns_and_says_so(tmp_path):
    report = check(tmp_path, "logistic-l2", EX2_REG, "costFunctionReg")
    assert report.status == CORRECT and report.exit_code == 0
    assert report.holds_for == COLUMNS
    assert "only with those: with θ of shape (n+1,) and y of shape (m,) it raised IndexError" in report.reason
    head = render_report(report).splitlines()[0]
    assert head.startswith(f"✓ correct for {COLUMNS}: logistic-l2, NumPy function costFunctionReg(")


def test_every_format_carries_the_shapes_it_holds_for(tmp_path):
    report = check(tmp_path, "logistic", ASSERTS_COLUMNS, "gradient")
    assert report.status == CORRECT
    assert render_report(report, "markdown").splitlines()[0] == (
        f"**✓ correct for {COLUMNS}: logistic, NumPy function gradient(theta, X, y) from ex2.py**"
    )
    data = json.loads(render_report(report, "json"))
    assert (data["status"], data["exit_code"], data["holds_for"]) == ("correct", 0, COLUMNS)
    assert "it raised AssertionError" in data["reason"]
    ascii_head = render_report(report, ascii=True).splitlines()[0]
    assert "correct for" in ascii_head and "(n+1, 1)" in ascii_head


def test_a_function_wrong_for_1d_theta_says_how_it_was_wrong(tmp_path):
    report = check(tmp_path, "linear", Y_AS_COLUMN, "compute_grad")
    assert report.status == CORRECT and report.holds_for == COLUMNS
    assert "with θ of shape (n+1,) and y of shape (m,) it is incorrect (wrong shape)" in report.reason
    assert any("right only with column vectors" in note for note in report.notes)  # the whole message


def test_a_function_right_for_both_layouts_names_no_restriction(tmp_path):
    source = """
        import numpy as np

        def gradient(theta, X, y):
            return X.T @ (X @ theta - y) / len(y)
    """
    report = check(tmp_path, "linear", source, "gradient")
    assert report.status == CORRECT and report.holds_for is None
    assert render_report(report).startswith("✓ correct: linear,")
    assert json.loads(render_report(report, "json"))["holds_for"] is None


def test_a_wrong_column_function_is_still_incorrect_with_no_shapes_in_its_head(tmp_path):
    source = EX2_REG.replace("(lambda_ / m) * theta[1:, :]", "lambda_ * theta[1:, :]")
    report = check(tmp_path, "logistic-l2", source, "costFunctionReg")
    assert report.status == INCORRECT and report.holds_for is None
    assert render_report(report).startswith("✗ incorrect: logistic-l2,")


def test_examples_in_columns_are_named_in_the_head_when_rows_fail(tmp_path):
    # deep-learning course style: X is (n, m), one example per column, w a column, b apart
    source = """
        import numpy as np

        def propagate(w, b, X, Y):
            m = X.shape[1]
            A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))
            dw = np.dot(X, (A - Y).T) / m
            db = np.sum(A - Y) / m
            return {"dw": dw, "db": db}
    """
    report = check(tmp_path, "logistic", source, "propagate")
    assert report.status == CORRECT
    assert report.holds_for.startswith("examples in columns: X of shape (n, m)")
    assert render_report(report).startswith(f"✓ correct for {report.holds_for}: logistic,")
