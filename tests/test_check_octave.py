"""`check --python FILE.m`: Octave/MATLAB gradient code as Andrew Ng's course has it written (ex1, ex2, ex3, ex5).

The files in tests/data/octave are written the way students write them: vectorised and with loops, calling
``sigmoid`` or ``computeCost`` from a file beside them, and with the classic mistakes (no 1/m, θ₀ regularised,
y − h for h − y, λ/(2m) in the gradient, X * (h − y), θ(1) zeroed before h is computed, a sequential update in
gradient descent).  Each is judged by the checker's own oracle (finite differences on random data), as a NumPy
file is.  The translator is also checked expression by expression against NumPy values computed by hand.
"""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import numpy as np
import pytest
from cli_runner import run_cli

from derivation.check.gradient import check_gradient
from derivation.check.verdict import CORRECT, INCORRECT, UNDECIDED
from derivation.parsing import ParseError
from derivation.parsing.octave import octave_name, python_name, tokenize, translate_text

DATA = Path(__file__).parent / "data" / "octave"

CASES = [  # (file, model, expected status, fault named or None)
    ("costFunction.m", "logistic", CORRECT, None),
    ("costFunction_loop.m", "logistic", CORRECT, None),
    ("costFunction_transposed.m", "logistic", CORRECT, None),
    ("costFunction_no_m.m", "logistic", INCORRECT, "summed instead of averaged"),
    ("costFunction_sign.m", "logistic", INCORRECT, "ascent and descent swapped"),
    ("costFunction_cost_typo.m", "logistic", INCORRECT, "the cost it returns is wrong"),
    ("costFunction_X_not_transposed.m", "logistic", UNDECIDED, None),  # Octave stops too: nonconformant arguments
    ("costFunctionReg.m", "logistic-l2", CORRECT, None),
    ("costFunctionReg_loop.m", "logistic-l2", CORRECT, None),
    ("costFunctionReg_calls.m", "logistic-l2", CORRECT, None),
    ("lrCostFunction.m", "logistic-l2", CORRECT, None),
    ("costFunctionReg_theta0.m", "logistic-l2", INCORRECT, "bias θ₀ regularised"),
    ("costFunctionReg_2m.m", "logistic-l2", INCORRECT, "another penalty convention"),
    ("costFunctionReg_zeroed_early.m", "logistic-l2", INCORRECT, None),
    ("gradientDescent.m", "linear", CORRECT, None),
    ("gradientDescentMulti.m", "linear", CORRECT, None),
    ("gradientDescent_no_m.m", "linear", INCORRECT, "summed instead of averaged"),
    ("gradientDescent_sequential.m", "linear", INCORRECT, None),
    ("linearRegCostFunction.m", "ridge", CORRECT, None),
    ("linearRegCostFunction_theta0.m", "ridge", INCORRECT, "bias θ₀ regularised"),
    ("linearRegCostFunction_sign.m", "ridge", INCORRECT, "sign flipped"),
]


# The suite runs one of each kind (a check starts a process: about half a second each, a wrong one twice that);
# `python tests/test_check_octave.py` runs them all and counts the right verdicts.
QUICK = ["costFunction_loop.m", "costFunctionReg_theta0.m", "gradientDescent.m"]


def verdict(file: str, model: str, status: str, fault: str | None) -> str | None:
    """Why ``file``'s verdict is not the expected one; None when it is."""
    report = check_gradient(model, python=str(DATA / file), timeout=20.0)
    if report.status != status:
        return f"{report.status}: {report.reason}"
    if fault is not None and (report.diagnosis is None or report.diagnosis.name != fault):
        return f"fault {report.diagnosis.name if report.diagnosis else None}, not {fault}"
    if status == CORRECT and "θ (n+1, 1), y (m, 1)" not in (report.convention or ""):  # Octave's column vectors
        return f"convention {report.convention}"
    return None


@pytest.mark.parametrize("file, model, status, fault", [c for c in CASES if c[0] in QUICK], ids=QUICK)
def test_course_files_get_the_right_verdict(file, model, status, fault):
    assert verdict(file, model, status, fault) is None


def test_the_cli_checks_an_octave_file_and_says_where_sigmoid_came_from():
    result = run_cli("check", "logistic", "--python", str(DATA / "costFunction.m"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓ correct" in result.stdout and "from costFunction.m" in result.stdout
    assert "sigmoid was read from sigmoid.m beside costFunction.m" in result.stdout


def test_octave_is_an_alias_and_a_function_can_be_named(tmp_path):
    source = (DATA / "costFunctionReg.m").read_text() + "\nfunction g = unused(theta, X, y)\n  g = X;\nend\n"
    (tmp_path / "both.m").write_text(source)
    ok = run_cli("check", "logistic-l2", "--octave", f"{tmp_path / 'both.m'}:costFunctionReg")
    assert ok.returncode == 0 and "course's sigmoid" in ok.stdout, ok.stdout + ok.stderr  # no sigmoid.m there
    missing = run_cli("check", "logistic-l2", "--octave", f"{tmp_path / 'both.m'}:grad")
    assert missing.returncode == 2
    assert missing.stderr.strip().endswith("no function 'grad' in both.m (its functions: costFunctionReg, unused)")
    wrong = run_cli("check", "logistic", "--octave", str(DATA.parent / "correct_columns.py"))
    assert wrong.returncode == 2 and "--octave takes an Octave/MATLAB file" in wrong.stderr


def test_a_runtime_error_is_told_at_the_octave_line_in_octave_words():
    report = check_gradient("logistic", python=str(DATA / "costFunction_X_not_transposed.m"), timeout=20.0)
    assert "operator *: nonconformant arguments (op1 is 3x2, op2 is 3x1)" in report.reason
    assert "costFunction_X_not_transposed.m line 5" in report.reason and "grad = (1/m) * X * (h - y);" in report.reason
    assert "Error" not in report.reason and ".py" not in report.reason


UNSUPPORTED = [  # (source, line, column, words of the message)
    ("function g = f(theta, X, y)\n  c = {X, y};\n  g = X;\nend\n", 2, 7, "cell arrays ({…}) are not supported"),
    ("function g = f(theta, X, y)\n  s.X = X;\n  g = X;\nend\n", 2, 4, "structures (s.field) are not supported"),
    ("function g = f(theta, X, y)\n  switch 1\n    case 1\n      g = X;\n  end\nend\n", 2, 3, "write if/elseif/else"),
    ("function g = f(theta, X, y)\n  g = mystery(X);\nend\n", 2, 7, "'mystery' is not a variable set before"),
    ("function g = f(theta, X, y)\n  for i = 1:3\n    g = X;\n", 2, 3, "this 'for' has no 'end'"),
    ("function g = f(theta, X, y)\n  g = X' * (X * theta - y;\nend\n", 2, 12, "'(' is never closed"),
    ("function g = f(theta, X, y)\n  g = 2i * X;\nend\n", 2, 7, "complex numbers are not supported"),
    ("function g = f(theta, X, y)\n  i++;\n  g = X;\nend\n", 2, 4, "write i = i + 1"),
]


@pytest.mark.parametrize("source, line, column, words", UNSUPPORTED, ids=[c[3][:24] for c in UNSUPPORTED])
def test_unsupported_syntax_is_one_line_with_where_and_what_to_write(tmp_path, source, line, column, words):
    (tmp_path / "f.m").write_text(source)
    result = run_cli("check", "linear", "--python", str(tmp_path / "f.m"))
    assert result.returncode == 2 and result.stdout == ""
    message = result.stderr.strip()
    assert message.count("\n") == 0 and "Traceback" not in message
    assert f"f.m line {line}, column {column}: " in message and words in message, message
    assert not any(word in message for word in ("Python", "lambda_", "SyntaxError", "ast."))


def test_nesting_past_reason_is_one_line(tmp_path):
    (tmp_path / "deep.m").write_text("function g = f(theta, X, y)\n  g = " + "(" * 5000 + "X" + ")" * 5000 + ";\nend\n")
    result = run_cli("check", "linear", "--python", str(tmp_path / "deep.m"))
    assert result.returncode == 2 and "nested too deeply" in result.stderr and "Traceback" not in result.stderr


def test_a_script_without_functions_is_refused(tmp_path):
    (tmp_path / "ex1.m").write_text("data = load('ex1data1.txt');\nplot(data(:, 1), data(:, 2), 'rx');\n")
    result = run_cli("check", "linear", "--python", str(tmp_path / "ex1.m"))
    assert result.returncode == 2 and "no function in it" in result.stderr


# ---------------------------------------------------------------- the translator, against NumPy by hand


def _load(tmp_path: Path, text: str):
    translation = translate_text(text, "f.m")
    path = tmp_path / f"m{abs(hash(text))}.py"
    path.write_text(translation.source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _value(tmp_path: Path, expression: str, **values):
    names = ", ".join(values)
    module = _load(tmp_path, f"function r = f({names})\n  r = {expression};\nend\n")
    return module.f(*values.values())


A = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
COL = np.array([[1.0], [-2.0], [3.0]])
ROW = np.array([[2.0, -1.0, 0.5]])
EXPRESSIONS = [  # (Octave, variables, the NumPy value expected)
    ("A' * v", {"A": A, "v": np.array([[1.0], [2.0]])}, A.T @ np.array([[1.0], [2.0]])),
    ("2 * A", {"A": A}, 2 * A),
    ("A .* A ./ 2", {"A": A}, A * A / 2),
    ("A .^ 2 - A", {"A": A}, A**2 - A),
    ("2 ^ -1 + -2 ^ 2", {}, np.array([[0.5 - 4.0]])),
    ("sum(A)", {"A": A}, np.array([[5.0, 7.0, 9.0]])),
    ("sum(A, 2)", {"A": A}, np.array([[6.0], [15.0]])),
    ("sum(r)", {"r": ROW}, np.array([[1.5]])),
    ("sum(c .^ 2)", {"c": COL}, np.array([[14.0]])),
    ("mean(A)", {"A": A}, np.array([[2.5, 3.5, 4.5]])),
    ("max(A)", {"A": A}, np.array([[4.0, 5.0, 6.0]])),
    ("max(c, 0)", {"c": COL}, np.array([[1.0], [0.0], [3.0]])),
    ("min(A, [], 2)", {"A": A}, np.array([[1.0], [4.0]])),
    ("size(A, 1) + 10 * size(A, 2)", {"A": A}, np.array([[32.0]])),
    ("size(A)", {"A": A}, np.array([[2.0, 3.0]])),
    ("length(A) + numel(A)", {"A": A}, np.array([[9.0]])),
    ("zeros(size(c)) + ones(3, 1)", {"c": COL}, np.ones((3, 1))),
    ("zeros(2)", {}, np.zeros((2, 2))),
    ("c(2:end)", {"c": COL}, np.array([[-2.0], [3.0]])),
    ("r(end)", {"r": ROW}, np.array([[0.5]])),
    ("A(:, 2)", {"A": A}, np.array([[2.0], [5.0]])),
    ("A(end, :)", {"A": A}, np.array([[4.0, 5.0, 6.0]])),
    ("A(:)", {"A": A}, np.array([[1.0], [4.0], [2.0], [5.0], [3.0], [6.0]])),
    ("A(4)", {"A": A}, np.array([[5.0]])),  # column-major: 1, 4, 2, 5
    ("c(c > 0)", {"c": COL}, np.array([[1.0], [3.0]])),
    ("[0; c(2:end)]", {"c": COL}, np.array([[0.0], [-2.0], [3.0]])),
    ("[ones(2, 1) A]", {"A": A}, np.hstack([np.ones((2, 1)), A])),
    ("[1 -2]", {}, np.array([[1.0, -2.0]])),
    ("[1 - 2]", {}, np.array([[-1.0]])),
    ("[r' c]", {"r": ROW, "c": COL}, np.hstack([ROW.T, COL])),
    ("log(exp(c)) + abs(c) + sqrt(c .^ 2)", {"c": COL}, COL + 2 * np.abs(COL)),
    ("(c ~= 1) + (c != 3) + (c == -2)", {"c": COL}, np.array([[1.0], [3.0], [1.0]])),
    ("1 ./ (1 + e .^ -c)", {"c": COL}, 1 / (1 + np.exp(-COL))),
    ("c.'", {"c": COL}, COL.T),
    ("A(2, 3) ...\n + 1", {"A": A}, np.array([[7.0]])),
    ("(c .^ 2)(2:end)", {"c": COL}, np.array([[4.0], [9.0]])),  # Octave indexes an expression's value
    ("bsxfun(@times, c, r)", {"c": COL, "r": ROW}, COL * ROW),
    ("1 .- c", {"c": COL}, 1 - COL),
    ("1:3", {}, np.array([[1.0, 2.0, 3.0]])),
    ("10:-4:1", {}, np.array([[10.0, 6.0, 2.0]])),
]


@pytest.mark.parametrize("expression, values, expected", EXPRESSIONS, ids=[e[0] for e in EXPRESSIONS])
def test_an_expression_gives_octaves_value(tmp_path, expression, values, expected):
    got = _value(tmp_path, expression, **values)
    assert got.shape == expected.shape and np.allclose(got, expected), (got, expected)


STATEMENTS = """
function [s, t, u, k] = f(c, A)
  %{
    a block comment: t = 99;
  %}
  s = 0;              # a loop over a range
  for i = 1:length(c)
    s += c(i) ^ 2;
  endfor
  t = c;
  t(1) = 0;           % changes t, never c
  t(2:end) += 1;
  if s > 100
    u = 1;
  elseif any(c < 0) && ~isempty(A)
    u = 2;
  else
    u = 3;
  end
  [m, n] = size(A);
  [~, k] = max(c);
  k = k + 10 * m + 100 * n;
  disp('it''s done'); fprintf("%f\\n", s);
  while u < 5, u = u + 1; end
end
"""


def test_statements_run_as_in_octave_and_leave_the_arguments_alone(tmp_path):
    c, A0 = COL.copy(), A.copy()
    s, t, u, k = _load(tmp_path, STATEMENTS).f(c, A0)
    assert np.allclose(s, 14.0) and np.allclose(t, [[0.0], [-1.0], [4.0]])
    assert np.allclose(u, 5.0) and np.allclose(k, 3 + 20 + 300)
    assert np.array_equal(c, COL) and np.array_equal(A0, A)  # Octave passes values: no argument changed


def test_a_one_d_argument_is_a_column_and_keywords_are_renamed(tmp_path):
    module = _load(tmp_path, "function g = f(theta, lambda)\n  g = lambda * theta;\nend\n")
    assert module.f(np.array([1.0, 2.0]), 3.0).shape == (2, 1)
    assert python_name("lambda") == "lambda_" and octave_name("lambda_") == "lambda" and octave_name("x_") == "x_"
    assert python_name("range") == "range_"  # a user's range must not hide the one the helpers call


def test_transpose_and_strings_are_told_apart():
    texts = [(t.kind, t.text) for t in tokenize("x = [a' 'b'] + c';  y = a'';")]
    assert texts[4:7] == [("op", "'"), ("str", "b"), ("op", "]")]
    assert ("op", "'") in texts[7:] and texts.count(("op", "'")) == 4


def test_a_function_in_a_file_beside_is_read_and_a_missing_sigmoid_is_the_courses():
    beside = translate_text((DATA / "costFunctionReg_calls.m").read_text(), "costFunctionReg_calls.m", DATA)
    assert "costFunction was read from costFunction.m beside costFunctionReg_calls.m" in beside.notes
    alone = translate_text("function g = f(z)\n  g = sigmoid(z);\nend\n", "f.m")
    assert any("course's sigmoid" in note for note in alone.notes)
    with pytest.raises(ParseError, match=r"f\.m line 2, column 7: 'sigmoid2' is not a variable"):
        translate_text("function g = f(z)\n  g = sigmoid2(z);\nend\n", "f.m")


def test_an_indexed_assignment_grows_the_array_as_octave_does(tmp_path):
    module = _load(
        tmp_path,
        "function [h, c, M] = f(c)\n  for i = 1:3\n    h(i) = i;\n  end\n  c(5) = 7;\n  M = [];\n  M(2, 3) = 1;\nend\n",
    )
    h, c, M = module.f(COL)
    assert np.array_equal(h, [[1.0, 2.0, 3.0]]) and np.array_equal(c, [[1.0], [-2.0], [3.0], [0.0], [7.0]])
    assert np.array_equal(M, [[0.0, 0.0, 0.0], [0.0, 0.0, 1.0]])


def test_index_out_of_bound_is_octaves_error(tmp_path):
    module = _load(tmp_path, "function g = f(c)\n  g = c(4);\nend\n")
    with pytest.raises(Exception, match=r"index \(4\): out of bound 3"):
        module.f(COL)


def test_every_helper_the_translator_names_is_in_the_module():
    translation = translate_text(STATEMENTS, "f.m")
    defined = {line.split("(")[0][4:] for line in translation.source.splitlines() if line.startswith("def _")}
    defined |= {line.split(" = ")[0] for line in translation.source.splitlines() if line.startswith("_")}
    used = {word for word in itertools.chain.from_iterable(
        line.replace("(", " ").replace(")", " ").replace(",", " ").split()
        for line in translation.source.split("def f(")[1].splitlines()
    ) if word.startswith("_") and word.isidentifier() and word != "_"}  # fmt: skip
    assert used <= defined, used - defined


if __name__ == "__main__":  # every file: python tests/test_check_octave.py
    wrong = [(case[0], why) for case in CASES if (why := verdict(*case)) is not None]
    for file, why in wrong:
        print(f"{file}: {why}")
    print(f"{len(CASES) - len(wrong)} of {len(CASES)} Octave files get the right verdict")


def test_an_output_never_set_is_named_at_the_functions_end():
    from derivation.check.usercode import _as_octave

    text = "function [J, grad] = f(theta, X, y)\n  J = 0;\n  gard = X' * y;\nend\n"
    translation = translate_text(text, "typo.m")
    line = next(k for k, s in enumerate(translation.source.splitlines(), 1) if s.strip() == "return J, grad")
    message = "cannot access local variable 'grad' where it is not associated with a value"
    error = {"type": "UnboundLocalError", "message": message}
    error["where"] = {"file": "typo.py", "line": line, "function": "f", "source": "    return J, grad"}
    _as_octave(error, translation)
    assert error["message"] == "'grad' undefined: the output grad is never set" and error["type"] == "an error"
    assert error["where"] == {"file": "typo.m", "line": 4, "function": "f", "source": "end"}


# ---------------------------------------------------------------- check --grad written in Octave

GRADS = [  # (model, the gradient as a Coursera answer writes it, a fault the report names or None)
    ("logistic", "(1/m) * X' * (sigmoid(X*theta) - y)", None),
    ("logistic", "1/m * sum((sigmoid(X*theta) - y) .* X)'", None),
    ("logistic", "grad = X'*(h - y)/m;", None),
    ("logistic", "X' * (h - y)", "summed instead of averaged"),
    ("logistic", "(1/m) * X' * (y - h)", "ascent and descent swapped"),
    ("linear", "X'*(X*theta-y)/m", None),
    ("linear", "(1/length(y)) * sum((X*theta - y) .* X)'", None),
    ("logistic-l2", "(1/m) * (X' * (h - y)) + (lambda/m) * [0; theta(2:end)]", None),
    ("logistic-l2", "(X'*(h-y) + lambda*[0;theta(2:end)]) / m", None),
    ("logistic-l2", "(1/m) * X' * (h - y) + (lambda/m) * theta", "bias θ₀ regularised"),
]


def _octave_gradient(tmp_path: Path, model: str, expression: str, x, theta, y, lam):
    """The expression's value as Octave computes it: a function of the course's variables (the file translator)."""
    body = expression.split("=", 1)[1] if expression.startswith("grad =") else expression
    h = "sigmoid(X*theta)" if model.startswith("logistic") else "X*theta"
    source = f"function g = f(theta, X, y, lambda)\n  m = length(y);\n  h = {h};\n  g = {body.rstrip(';')};\nend\n"
    return _load(tmp_path, source).f(theta, x, y, lam)


def _numeric_gradient(model: str, x, theta, y, lam, step=1e-6):
    """Central differences of the model's cost as the course writes it (independent of derivation)."""

    def cost(t):
        m, z = len(y), x @ t
        if model == "linear":
            return float(np.sum((z - y) ** 2) / (2 * m))
        h = 1 / (1 + np.exp(-z))
        penalty = lam / (2 * m) * float(np.sum(t[1:] ** 2)) if model == "logistic-l2" else 0.0
        return float(-np.sum(y * np.log(h) + (1 - y) * np.log(1 - h)) / m) + penalty

    unit = np.eye(len(theta))
    return np.array([[(cost(theta + step * e[:, None]) - cost(theta - step * e[:, None])) / (2 * step)] for e in unit])


@pytest.mark.parametrize("model, expression, fault", GRADS, ids=[g[1] for g in GRADS])
def test_an_octave_gradient_expression_gets_the_verdict_of_its_octave_value(tmp_path, model, expression, fault):
    rng = np.random.default_rng(7)
    X = np.hstack([np.ones((6, 1)), rng.normal(size=(6, 2))])
    theta, lam = rng.normal(size=(3, 1)), 0.8
    y = (rng.random((6, 1)) < 0.5).astype(float) if model.startswith("logistic") else rng.normal(size=(6, 1))
    right = np.allclose(_octave_gradient(tmp_path, model, expression, X, theta, y, lam),
                        _numeric_gradient(model, X, theta, y, lam), rtol=1e-6, atol=1e-8)  # fmt: skip
    assert right == (fault is None)  # the table's own claim, by finite differences
    result = run_cli("check", model, "--grad", expression)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect"), result.stdout
    assert "note: Octave syntax, read as the NumPy " in result.stdout
    if fault is not None:
        assert f"diagnosis: {fault}" in result.stdout, result.stdout


def test_x_times_h_minus_y_is_wrong_in_octave_and_told_which_factor_to_transpose(tmp_path):
    X, theta, y = np.ones((4, 2)), np.zeros((2, 1)), np.ones((4, 1))
    with pytest.raises(Exception, match="nonconformant"):  # Octave stops: X * (h - y) has no value
        _octave_gradient(tmp_path, "logistic", "(1/m) * X * (h - y)", X, theta, y, 0.0)
    result = run_cli("check", "logistic", "--grad", "(1/m) * X * (h - y)")
    assert result.returncode == 1 and result.stdout.startswith("✗ incorrect"), result.stdout + result.stderr
    assert "diagnosis: transposed" in result.stdout and "write X.T" in result.stdout


def test_octave_is_told_apart_from_python_and_translated_with_static_shapes():
    from derivation.check.usersource import octave_gradient

    assert octave_gradient("X.T @ (sigmoid(X @ theta) - y) / m", "logistic") is None  # Python: read as it is
    assert octave_gradient("Sum((h(i) - y[i]) * X[i, j], (i, 0, m - 1)) / m", "logistic") is None
    assert octave_gradient("X' * (h - y) / m", "linear") == "X.T @ (X @ theta - y) / m"
    assert octave_gradient("(1/m) * X' * (h - y)", "poisson") == "1 / m * X.T @ (exp(X @ theta) - y)"
    assert octave_gradient("sum(X .* (h - y), 1)' ./ m", "logistic") == (
        "np.sum(X * (sigmoid(X @ theta) - y), axis=0) / m"  # Octave's row of sums, transposed: NumPy's 1-D sum
    )
    result = run_cli("check", "logistic", "--grad", "(1/m) * X' * (h - y) + bias")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "--grad line 1, column 24: unknown name 'bias'" in result.stderr
    weird = run_cli("check", "logistic", "--grad", "(1/m) * X' * (h - y) + [1; 2]")
    assert weird.returncode == 2 and "read as [0; theta(2:end)] only" in weird.stderr
