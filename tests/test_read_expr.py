"""The safe Python-syntax parser: right meaning, exact rejections, bounded time on any input."""

from __future__ import annotations

import time

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derivation.core.functions import sigmoid
from derivation.core.notation import Theta, X, Y, i, j, m, n, theta, x, y
from derivation.parsing import (
    FUNCTIONS,
    ParseError,
    default_names,
    guess_kind,
    index_names,
    matrix_names,
    read_expr,
    read_expr_auto,
)

MATRIX_GRADIENT = "1/m * X.T @ (sigmoid(X @ theta) - y)"
INDEX_GRADIENT = "Sum((sigmoid(Sum(theta[k]*X[i,k], (k, 0, n))) - y[i])*X[i, j], (i, 0, m-1))/m"
ROWS, COLS = 3, 3  # m = 3 examples, n + 1 = 3 features (n = 2)


@pytest.fixture
def data():
    rng = np.random.default_rng(7)
    return rng.normal(size=(ROWS, COLS)), rng.normal(size=(COLS, 1)), rng.integers(0, 2, size=(ROWS, 1)).astype(float)


def numpy_gradient(xv, tv, yv):
    return xv.T @ (1 / (1 + np.exp(-(xv @ tv))) - yv) / ROWS


def concrete_matrix(expr, xv, tv, yv) -> np.ndarray:
    """Evaluate a matrix expression at m=3, n=2 with the given arrays."""
    expr = expr.subs({m: ROWS, n: COLS - 1})
    expr = expr.xreplace(
        {
            sp.MatrixSymbol("X", ROWS, COLS): sp.ImmutableMatrix(xv),
            sp.MatrixSymbol("theta", COLS, 1): sp.ImmutableMatrix(tv),
            sp.MatrixSymbol("y", ROWS, 1): sp.ImmutableMatrix(yv),
        }
    )
    explicit = expr.doit().as_explicit()
    explicit = explicit.applyfunc(lambda e: e.rewrite(sp.exp) if e.has(sigmoid) else e)
    return np.array(explicit.evalf(), dtype=float)


def concrete_index(expr, xv, tv, yv, column: int) -> float:
    """Evaluate an index-form expression (0-based rows in the text) at m=3, n=2."""
    expr = expr.subs({m: ROWS, n: COLS - 1, j: column}).doit()
    values = {theta[c]: tv[c, 0] for c in range(COLS)}
    values.update({y[r]: yv[r, 0] for r in range(ROWS)})
    values.update({x[r, c]: xv[r, c] for r in range(ROWS) for c in range(COLS)})
    return float(expr.xreplace(values).rewrite(sp.exp).evalf())


# --- meaning -------------------------------------------------------------------------------


def test_matrix_gradient_is_a_matrix_expression(data):
    expr = read_expr(MATRIX_GRADIENT)
    assert isinstance(expr, sp.MatrixExpr)
    assert expr.shape == (n + 1, 1)
    assert expr.has(sp.matrices.expressions.applyfunc.ElementwiseApplyFunction)
    assert np.allclose(concrete_matrix(expr, *data), numpy_gradient(*data))


def test_index_gradient_equals_numpy_column_by_column(data):
    expr = read_expr(INDEX_GRADIENT)
    assert isinstance(expr, sp.Expr) and not isinstance(expr, sp.MatrixExpr)
    expected = numpy_gradient(*data)
    for column in range(COLS):
        assert concrete_index(expr, *data, column) == pytest.approx(expected[column, 0])


def test_matrix_and_index_forms_agree(data):
    matrix = concrete_matrix(read_expr(MATRIX_GRADIENT), *data)
    index = [concrete_index(read_expr(INDEX_GRADIENT), *data, c) for c in range(COLS)]
    assert np.allclose(matrix[:, 0], index)


def test_numpy_semantics_for_star_scalars_and_sum(data):
    xv, tv, yv = data
    hadamard = read_expr("y * y", matrix_names())
    assert isinstance(hadamard, sp.HadamardProduct)
    assert np.allclose(concrete_matrix(hadamard, *data), yv * yv)
    broadcast = read_expr("1 - sigmoid(X @ theta)")
    assert np.allclose(concrete_matrix(broadcast, *data), 1 - 1 / (1 + np.exp(-(xv @ tv))))
    total = read_expr("sum(np.log(sigmoid(X @ theta)))")
    assert np.allclose(concrete_matrix(total, *data), np.log(1 / (1 + np.exp(-(xv @ tv)))).sum())
    squares = read_expr("(X @ theta - y)**2", matrix_names())
    assert np.allclose(concrete_matrix(squares, *data), (xv @ tv - yv) ** 2)
    assert read_expr("X.T") == X.T


def test_scalar_functions_aliases_and_literals():
    a = sp.Symbol("a", real=True)
    names = {"a": a}
    assert read_expr("expit(a)", names) == sigmoid(a)
    assert read_expr("np.exp(a) + numpy.log(a)", names) == sp.exp(a) + sp.log(a)
    assert read_expr("sqrt(a)", names) == sp.sqrt(a)
    assert read_expr("0.5 * a", names) == a / 2  # floats become exact rationals
    assert read_expr("a**-1", names) == 1 / a
    assert read_expr("+a - -a", names) == 2 * a


def test_index_names_and_summation_variables():
    assert read_expr("theta[j] * x[i, j]") == theta[j] * x[i, j]
    assert read_expr("X[i, j]") == x[i, j]  # X and x name the same data
    bound = read_expr("Sum(theta[l]**2, (l, 1, n))")  # a new summation variable is allowed
    assert isinstance(bound, sp.Sum) and bound.variables[0].name == "l"
    lam = sp.Symbol("lambda", positive=True)
    assert read_expr("lam * theta[j] + lambda_", index_names()) == lam * theta[j] + lam


def test_new_symbols_for_derive():
    w, xs, ys = (sp.Symbol(s, real=True) for s in "wxy")
    expr = read_expr("log(1 + exp(-y*w*x))", allow_new_symbols=True)
    assert expr == sp.log(1 + sp.exp(-ys * w * xs))
    assert read_expr("w**2", {}, allow_new_symbols=True) == w**2


def test_user_function_class_in_the_table():
    h = sp.Function("h")
    assert read_expr("h(i) - y[i]", {**index_names(), "h": h}) == h(i) - y[i]


def test_name_tables_and_kind():
    assert matrix_names()["theta"] == Theta and matrix_names()["y"] == Y
    assert default_names("index")["x"] == x
    with pytest.raises(ValueError):
        default_names("tensor")
    assert guess_kind(MATRIX_GRADIENT) == "matrix"
    assert guess_kind("np.sum(y)") == "matrix"
    assert guess_kind(INDEX_GRADIENT) == "index"
    assert isinstance(read_expr_auto(MATRIX_GRADIENT), sp.MatrixExpr)
    assert set(FUNCTIONS) >= {"sigmoid", "exp", "log", "sum", "Sum"}


# --- rejections ----------------------------------------------------------------------------

REJECTED = [
    ("__import__('os').system('echo hi')", "not allowed"),
    ("__import__('os')", "unknown function '__import__'"),
    ("().__class__", "attribute '.__class__' is not allowed"),
    ("X.T.T.__class__", "attribute '.__class__' is not allowed"),
    ("lambda: 1", "lambda is not allowed"),
    ("9**9**9**9", "too large"),
    ("10**10**10", "too large"),
    ("((10**6)**100)**100", "number too large"),
    ("2**n**1000", "too large"),
    ("10**1000000", "too large"),
    ("1" * 5000, "integer too large"),
    ("1e400", "too large"),
    ("[x for x in y]", "comprehensions are not allowed"),
    ('"abc"', "strings are not allowed"),
    ("f'{m}'", "f-strings are not allowed"),
    ("open('f')", "unknown function 'open'"),
    ("thetaa + 1", "unknown name 'thetaa' (known: X, x, theta"),
    ("(m + 1", "'(' was never closed: close it with ')'"),
    ("X.T @ (sigmoid(X @ theta) - y) / m +", "'+' at the end has nothing after it"),
    ("m *", "'*' at the end has nothing after it"),
    ("m + 1)", "unmatched ')'"),
    ("", "empty input"),
    ("   ", "empty input"),
    ("m < n", "a comparison is read as the indicator 1[u > 0] only as a number"),
    ("(n := 1)", "':=' is not allowed"),
    ("sigmoid(m, n)", "exactly one argument"),
    ("exp(m, base=2)", "keyword arguments are not allowed"),
    ("sum(*y)", "unpacking is not allowed"),
    ("m if n else 1", "conditional expressions are not allowed"),
    ("m % n", "operator Mod is not allowed"),
    ("theta @ theta", "shapes do not match"),
    ("X @ m", "'@' needs two matrices"),
    ("X.T / theta", "shapes do not match for '/'"),
    ("1/0", "division by zero"),
    ("theta[1:2]", "slices are not allowed"),
    ("np.linalg.inv(X)", "attribute '.inv' is not allowed"),
    ("m.T", "'.T' needs a matrix"),
    ("sigmoid", "is a function: call it"),
    ("theta + 1", "'theta' is indexed"),
    ("True", "True is not allowed"),
    ("1j", "complex numbers are not allowed"),
    ("m\nn", "invalid syntax"),
    ("m" + "+m" * 300, "too many terms in one sum (301 > 180)"),
    ("(" * 300 + "m" + ")" * 300, "too many nested parentheses"),
    ("-" * 9000 + "m", "nested"),
    ("m" * 20_000, "input too long"),
]


@pytest.mark.parametrize(("text", "fragment"), REJECTED)
def test_rejected_quickly_with_a_message(text, fragment):
    start = time.process_time()
    with pytest.raises(ParseError) as info:
        read_expr(text)
    assert time.process_time() - start < 1.0
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("col ") or str(info.value).startswith("line ")


def test_a_formula_that_stops_too_soon_points_at_its_end():
    text = "X.T @ (sigmoid(X @ theta) - y) / m +"
    with pytest.raises(ParseError) as info:
        read_expr(text)
    assert info.value.position == len(text) - 1


def test_error_positions_and_caret():
    with pytest.raises(ParseError) as info:
        read_expr("1/m * X.T @ (sigmoid(X @ thetaa) - y)")
    err = info.value
    assert err.position == 25 and err.column == 25
    assert str(err).startswith("col 25: unknown name 'thetaa'")
    source, caret = err.caret().split("\n")
    assert source == err.text and caret == " " * 25 + "^"
    with pytest.raises(ParseError) as info:
        read_expr("sigmoid(X @ theta")
    assert info.value.position == 7
    with pytest.raises(ParseError) as info:
        read_expr("m + θ")  # positions count characters, not UTF-8 bytes
    assert info.value.position == 4
    with pytest.raises(ParseError) as info:
        read_expr("  m + q")  # leading blanks are kept in the column
    assert info.value.position == 6


def test_parse_error_is_a_value_error_and_pickles():
    import pickle

    err = ParseError("boom", 2, "abcd")
    assert isinstance(err, ValueError)
    again = pickle.loads(pickle.dumps(err))
    assert (again.message, again.position, again.text) == ("boom", 2, "abcd")
    assert str(ParseError("whole input is bad")) == "whole input is bad"


# --- fuzzing -------------------------------------------------------------------------------

ALPHABET = "Xthetaysigmoidexplgum0123456789 .+-*/@()[],:'\"_T\n\\{}=<>!%&|^~#λθ"
TOKENS = [
    "X",
    "theta",
    "y",
    "x",
    "m",
    "n",
    "i",
    "j",
    "k",
    "lam",
    "sigmoid",
    "exp",
    "log",
    "sqrt",
    "sum",
    "Sum",
    "np.",
    "numpy.",
    ".T",
    "@",
    "*",
    "**",
    "/",
    "+",
    "-",
    "(",
    ")",
    "[",
    "]",
    ",",
    " ",
    "9",
    "0",
    "1",
    "2.5",
    "1e9",
    "__class__",
    "lambda",
    ":",
    "for",
    "in",
    "if",
    "'",
    "__import__",
    "open",
    ".",
]


def _never_crashes(text: str) -> None:
    start = time.process_time()
    try:
        result = read_expr(text)
    except ParseError as err:
        assert "\n" not in str(err)
        err.caret()
    else:
        assert isinstance(result, sp.Basic)
    assert time.process_time() - start < 1.0


@settings(deadline=1000, max_examples=300)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_fuzz_characters(text):
    _never_crashes(text)


@settings(deadline=1000, max_examples=300)
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_fuzz_tokens(text):
    _never_crashes(text)


@settings(deadline=1000, max_examples=200)
@given(st.from_regex(r"\A[0-9 ()*+-]{0,20}(\*\*[0-9 ()*+-]{0,8}){1,6}\Z"))
def test_fuzz_powers(text):
    _never_crashes(text)


def test_division_by_a_matrix_is_element_wise_as_in_numpy():
    from derivation.check.gradient import check_gradient

    report = check_gradient("logistic", grad="X.T @ (1/(1 + exp(-X @ theta)) - y) / m")
    assert report.status == "correct"
    assert check_gradient("logistic", grad="X.T @ (1/(1 + exp(X @ theta)) - y) / m").status == "incorrect"


def test_a_mismatched_product_is_read_transposed_only_when_asked() -> None:
    written: list = []
    value = read_expr("X @ (X @ theta - y)", transposed=written)
    assert value == X.T * (X * Theta - Y) and written == [X]
    with pytest.raises(ParseError, match="shapes do not match for '@'"):
        read_expr("X @ (X @ theta - y)")
    with pytest.raises(ParseError, match="shapes do not match for '@'"):
        read_expr("X @ X.T @ theta", transposed=[])
