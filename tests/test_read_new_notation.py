r"""The readers on what people write for |·|, max(0, ·), the indicator, sign, tanh, softplus and softmax.

Written as course notes, Stack Exchange answers and NumPy code write them, not in our export format.
Each reading is checked against an answer that does not come from the reader: the SymPy expression a
person means (built by hand here), the value Python or NumPy computes for the same text, or SciPy's
log-softmax for a softmax cross-entropy.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import scipy.special
import sympy as sp
from cli_runner import run_cli

from derivation.core.functions import normal_cdf, relu, rewrite_ml_functions, sigmoid, softplus, step
from derivation.core.notation import K, W, c, i, j, k, l, m, n, theta, x, y
from derivation.parsing import ParseError, index_names, one_based, parse_latex, read_expr, split_equalities
from derivation.printing.expr import to_latex

u, v, w = sp.symbols("u v w", real=True)
INNER = sp.Sum(theta[k] * x[i, k], (k, 0, n))  # θᵀx⁽ⁱ⁾ as the reader writes it out


def score(cls, row=i):
    """w_cᵀx⁽ʳᵒʷ⁾ = Σ_k W_kc x_k⁽ʳᵒʷ⁾ (Σ_l when the class is k)."""
    dummy = l if cls == k else k
    return sp.Sum(W[dummy, cls] * x[row, dummy], (dummy, 0, n))


# --- LaTeX: what each spelling means ------------------------------------------------------------

LATEX = [
    # |·|: plain bars, sized bars, \lvert…\rvert, and what our own printer writes
    (r"|u|", sp.Abs(u)),
    (r"\left|u\right|", sp.Abs(u)),
    (r"\lvert u \rvert", sp.Abs(u)),
    (r"\left\lvert u - v \right\rvert", sp.Abs(u - v)),
    (r"\left|{u}\right|", sp.Abs(u)),
    (r"\big| u \big|", sp.Abs(u)),
    (r"|u|^2 + |v|", sp.Abs(v) + u**2),
    (r"\lambda \sum_{j=1}^{n} |\theta_j|", sp.Symbol("lambda", positive=True) * sp.Sum(sp.Abs(theta[j]), (j, 1, n))),
    (r"|y^{(i)} - \theta^T x^{(i)}|", sp.Abs(y[i] - INNER)),
    (r"\bigl||u| - 1\bigr|", sp.Abs(sp.Abs(u) - 1)),
    # max(0, ·): the hinge as CS229 and Stack Exchange write it
    (r"\max(0, u)", relu(u)),
    (r"\max(u, 0)", relu(u)),
    (r"\max\{0, u\}", relu(u)),
    (r"\max\left(0, u\right)", relu(u)),
    (r"\max\left\{0,\; 1 - y^{(i)} \theta^T x^{(i)}\right\}", relu(1 - y[i] * INNER)),
    (r"\operatorname{max}(0, u)", relu(u)),
    (r"\max(1, u)", 1 + relu(u - 1)),  # max(c, u) = c + ReLU(u − c), exactly
    (r"\min(0, u)", -relu(-u)),
    (r"\max(0, u)^2 + 2\max\{0, v\}", relu(u) ** 2 + 2 * relu(v)),
    # the indicator 1[u > 0]
    (r"\mathbf{1}[u > 0]", step(u)),
    (r"\mathbf{1}\left[u > 0\right]", step(u)),
    (r"\mathbb{1}\{u>0\}", step(u)),
    (r"\mathbb{1}\left\{u > 0\right\}", step(u)),
    (r"\mathbb{I}(u > 0)", step(u)),
    (r"\mathbf{1}_{u>0}", step(u)),
    (r"\mathbb{1}_{\{u > 0\}}", step(u)),
    (r"[u > 0]", step(u)),  # Iverson's bracket
    (r"\mathbf{1}[u < v]", step(v - u)),
    (r"\mathbf{1}[u \gt 0]", step(u)),
    (r"\mathbb{I}(y^{(i)}\theta^T x^{(i)} < 1)", step(1 - y[i] * INNER)),
    (r"-y^{(i)} x_j^{(i)} \mathbf{1}\{y^{(i)} \theta^\top x^{(i)} < 1\}", -y[i] * x[i, j] * step(1 - y[i] * INNER)),
    (r"\mathbb{1}\{y^{(i)} = k\}", y[i, k]),  # CS229's softmax: the one-hot label
    (r"\mathbf{1}[u \geq 0]", 1 - step(-u)),  # 1[u ≥ 0] = 1 − 1[−u > 0], exactly (1 at 0, as written)
    (r"\mathbf{1}\left[\left|u\right| \le 1\right]", 1 - step(sp.Abs(u) - 1)),  # Huber's inner branch
    # sign, tanh, softplus, ReLU by name
    (r"\operatorname{sign}(u)", sp.sign(u)),
    (r"\operatorname{sgn}(u)", sp.sign(u)),
    (r"\text{sign}(u)", sp.sign(u)),
    (r"\mathrm{sgn}(\theta_j)", sp.sign(theta[j])),
    (r"\sgn(u)", sp.sign(u)),
    (r"\tanh(u)", sp.tanh(u)),
    (r"\tanh\left(\theta^T x^{(i)}\right)", sp.tanh(INNER)),
    (r"1 - \tanh^2(u)", 1 - sp.tanh(u) ** 2),  # tanh's derivative as textbooks print it
    (r"\log^2 u", sp.log(u) ** 2),
    (r"\sigma^{2}\left(u\right)", sigmoid(u) ** 2),
    (r"\operatorname{softplus}(u)", softplus(u)),
    (r"\operatorname{ReLU}(u)", relu(u)),
    (r"\text{ReLU}(u)", relu(u)),
    (r"\mathrm{ReLU}(u)", relu(u)),
    # typed as plain letters before the parenthesis, as in notes and plain-text answers
    (r"\lambda\, sign(\theta_j)", sp.Symbol("lambda", positive=True) * sp.sign(theta[j])),
    (r"max(0, 1 - y^{(i)}\theta^T x^{(i)})", relu(1 - y[i] * INNER)),
    (r"relu(u) + tanh\left(v\right)", relu(u) + sp.tanh(v)),
    (r"log(1 + exp(u))", sp.log(1 + sp.exp(u))),
    (r"\Phi'(u)", sp.Derivative(normal_cdf(u), u)),
]


@pytest.mark.parametrize(("text", "expected"), LATEX, ids=[t for t, _ in LATEX])
def test_latex_reads_what_courses_write(text, expected):
    assert parse_latex(text) == expected


SCALAR_MEANINGS = [  # LaTeX of one number u, and what it is in plain Python
    (r"|u|", abs),
    (r"\left|u - 1\right|", lambda a: abs(a - 1)),
    (r"\max(0, u)", lambda a: max(0.0, a)),
    (r"\max\{u, 2\}", lambda a: max(a, 2.0)),
    (r"\min(u, -1)", lambda a: min(a, -1.0)),
    (r"\mathbf{1}[u > 0]", lambda a: 1.0 if a > 0 else 0.0),
    (r"\mathbb{I}(u < 1)", lambda a: 1.0 if a < 1 else 0.0),
    (r"\mathbf{1}[u \geq 0]", lambda a: 1.0 if a >= 0 else 0.0),
    (r"\mathbf{1}\{|u| \leq 1\}", lambda a: 1.0 if abs(a) <= 1 else 0.0),
    (r"\operatorname{sign}(u)", lambda a: math.copysign(1.0, a) if a else 0.0),
    (r"\operatorname{softplus}(u)", lambda a: math.log1p(math.exp(a))),
    (r"\max(0, 1 - u) \mathbf{1}[u > 0]", lambda a: max(0.0, 1 - a) * (a > 0)),
]


@pytest.mark.parametrize(("text", "meaning"), SCALAR_MEANINGS, ids=[t for t, _ in SCALAR_MEANINGS])
def test_latex_readings_take_the_values_python_computes(text, meaning):
    expr = rewrite_ml_functions(parse_latex(text))  # the registry's functions unfolded to exp, log, |·|, Piecewise
    for value in (-2.5, -1.0, -0.25, 0.0, 0.5, 1.0, 3.0):
        assert float(expr.subs(u, value)) == pytest.approx(meaning(value), abs=1e-12), value


@pytest.mark.parametrize("function", [relu(u), step(u), sp.Abs(u), sp.sign(u), softplus(u), sp.tanh(u)])
def test_what_the_latex_printer_writes_reads_back(function):
    assert parse_latex(to_latex(function)) == function
    assert parse_latex(to_latex(v * function**2)) == v * function**2


# --- LaTeX: several classes ----------------------------------------------------------------------

SOFTMAX_K = sp.exp(score(k)) / sp.Sum(sp.exp(score(c)), (c, 1, K))  # p_k⁽ⁱ⁾ as written out
CLASSES = [
    (r"W_{jk}", W[j, k]),
    (r"W_{j,k}", W[j, k]),
    (r"W_{jc}", W[j, c]),
    (r"w_k^T x^{(i)}", score(k)),
    (r"w_k^\top x^{(i)}", score(k)),
    (r"\theta_k^T x^{(i)}", score(k)),
    (r"\mathbf{w}_c^\top \mathbf{x}^{(i)}", score(c)),
    (r"(W^T x^{(i)})_k", score(k)),
    (r"\theta^{(k)\top} x^{(i)}", score(k)),  # UFLDL's softmax: θ^{(k)}, class k's parameters
    (r"\theta^{(c)T}x^{(i)}", score(c)),
    (r"\left(W^\top x^{(i)}\right)_c", score(c)),
    (r"y_k^{(i)}", y[i, k]),
    (r"y^{(i)}_k", y[i, k]),
    (r"y_{ik}", y[i, k]),
    (r"p_k^{(i)}", sp.IndexedBase("p", real=True)[i, k]),  # a name of example i, not a power
    (r"\mu^{(i)}", sp.IndexedBase("mu", real=True)[i]),
    (r"\sum_{k=1}^K y_k^{(i)}", sp.Sum(y[i, k], (k, 1, K))),
    (r"\sum_{k=1}^{K} y_k^{(i)}", sp.Sum(y[i, k], (k, 1, K))),
    (r"\sum_{c=1}^{K} W_{jc}^2", sp.Sum(W[j, c] ** 2, (c, 1, K))),
    (r"\sum_c W_{jc}^2", sp.Sum(W[j, c] ** 2, (c, 1, K))),  # no range written: c runs over the classes
    (r"\sum_k y_k^{(i)} \log p_k^{(i)}", sp.Sum(y[i, k] * sp.log(sp.IndexedBase("p", real=True)[i, k]), (k, 1, K))),
    (r"\sum_k W_{kc} x_k^{(i)}", sp.Sum(W[k, c] * x[i, k], (k, 0, n))),  # k indexes features here: 0..n
    (
        r"\frac{e^{w_k^T x^{(i)}}}{\sum_{c=1}^K e^{w_c^T x^{(i)}}}",
        sp.exp(score(k)) / sp.Sum(sp.exp(score(c)), (c, 1, K)),
    ),
    (r"e^{w_k^T x^{(i)}} / \sum_{c=1}^{K} e^{w_c^T x^{(i)}}", sp.exp(score(k)) / sp.Sum(sp.exp(score(c)), (c, 1, K))),
]


@pytest.mark.parametrize(("text", "expected"), CLASSES, ids=[t for t, _ in CLASSES])
def test_latex_reads_softmax_notation(text, expected):
    assert parse_latex(text) == expected


def test_letters_that_only_contain_a_function_name_stay_letters():
    assert parse_latex("sign") == parse_latex("s i g n")  # no parenthesis: letters
    assert parse_latex("design(u)") == parse_latex("d e s i g n u")  # "sign" inside a longer word


def test_an_equals_sign_inside_brackets_is_no_relation_of_the_chain():
    assert split_equalities(r"P(y=1 \mid x) = \Phi(\theta^T x)") == [r"P(y=1 \mid x)", r"\Phi(\theta^T x)"]
    sides = split_equalities(
        r"J = -\sum_{k=1}^K \mathbb{1}\{y^{(i)} = k\} \log p_k = -\sum_{k=1}^K \mathbf{1}[y^{(i)}=k] \log p_k"
    )
    assert len(sides) == 3 and all(parse_latex(side).has(y[i, k]) for side in sides[1:])


def test_a_sum_binds_the_letter_it_runs_over():
    p = sp.Symbol("p", integer=True)
    assert parse_latex(r"\sum_{p=1}^{n} \theta_p") == sp.Sum(theta[p], (p, 1, n))  # the body's p was another symbol


CROSS_ENTROPY_LATEX = (
    r"-\frac{1}{m}\sum_{i=1}^{m}\sum_{k=1}^{K} y_k^{(i)} "
    r"\log \frac{e^{w_k^T x^{(i)}}}{\sum_{c=1}^{K} e^{w_c^T x^{(i)}}}"
)
CROSS_ENTROPY_CS229 = (
    r"-\frac{1}{m}\sum_{i=1}^{m}\sum_{k=1}^{K} \mathbb{1}\{y^{(i)} = k\}"
    r" \log\left(\frac{\exp(\theta_k^\top x^{(i)})}{\sum_{c=1}^{K}\exp(\theta_c^\top x^{(i)})}\right)"
)
CROSS_ENTROPY_PYTHON = (
    "-Sum(Sum(y[i, k]*log(exp(Sum(W[l, k]*x[i, l], (l, 0, n)))"
    " / Sum(exp(Sum(W[l, c]*x[i, l], (l, 0, n))), (c, 0, K-1))), (k, 0, K-1)), (i, 0, m-1))/m"
)


def _cross_entropy_data(seed: int = 3, rows: int = 3, features: int = 2, classes: int = 3):
    rng = np.random.default_rng(seed)
    xs = np.hstack([np.ones((rows, 1)), rng.normal(size=(rows, features - 1))])
    ws = rng.normal(size=(features, classes))
    labels = rng.integers(0, classes, size=rows)
    return xs, ws, np.eye(classes)[labels]


def _value(expr: sp.Expr, xs, ws, ys, first: int) -> float:
    """expr at these arrays, its examples and classes numbered from ``first`` (1: 1..m and 1..K; 0: as arrays)."""
    rows, features = xs.shape
    classes = ws.shape[1]
    concrete = expr.subs({m: rows, n: features - 1, K: classes}).doit()
    values = {x[r + first, f]: xs[r, f] for r in range(rows) for f in range(features)}
    values |= {W[f, q + first]: ws[f, q] for f in range(features) for q in range(classes)}
    values |= {y[r + first, q + first]: ys[r, q] for r in range(rows) for q in range(classes)}
    return float(concrete.xreplace(values).evalf())


def test_softmax_cross_entropy_in_latex_is_scipys():
    xs, ws, ys = _cross_entropy_data()
    expected = -np.mean(np.sum(ys * scipy.special.log_softmax(xs @ ws, axis=1), axis=1))
    for text in (CROSS_ENTROPY_LATEX, CROSS_ENTROPY_CS229):
        assert _value(parse_latex(text), xs, ws, ys, first=1) == pytest.approx(expected, rel=1e-12), text


def test_softmax_cross_entropy_in_python_syntax_is_scipys_in_either_numbering():
    xs, ws, ys = _cross_entropy_data(seed=5)
    expected = -np.mean(np.sum(ys * scipy.special.log_softmax(xs @ ws, axis=1), axis=1))
    written = read_expr(CROSS_ENTROPY_PYTHON, index_names())
    assert _value(written, xs, ws, ys, first=0) == pytest.approx(expected, rel=1e-12)
    counted = one_based(written)  # classes 1..K and examples 1..m, as the sum form counts them
    assert all(limit[1] == 1 for s in counted.atoms(sp.Sum) for limit in s.limits if limit[0] in (i, k, c))
    assert _value(counted, xs, ws, ys, first=1) == pytest.approx(expected, rel=1e-12)


# --- Python syntax: NumPy's spellings ------------------------------------------------------------

NUMPY = [  # the text, what it reads as
    ("sign(u)", sp.sign(u)),
    ("np.sign(u)", sp.sign(u)),
    ("max(0, u)", relu(u)),
    ("max(u, 0)", relu(u)),
    ("np.maximum(0, u)", relu(u)),
    ("np.maximum(u, 0)", relu(u)),
    ("np.maximum(0.0, 1 - y*w*u)", relu(1 - sp.Symbol("y", real=True) * w * u)),
    ("min(u, 0)", -relu(-u)),
    ("np.minimum(0, u)", -relu(-u)),
    ("abs(u)", sp.Abs(u)),
    ("np.abs(u)", sp.Abs(u)),
    ("np.absolute(u)", sp.Abs(u)),
    ("np.tanh(u)", sp.tanh(u)),
    ("np.log1p(np.exp(u))", softplus(u)),
    ("np.logaddexp(0, u)", softplus(u)),
    ("np.logaddexp(u, 0)", softplus(u)),
    ("(u > 0)*1.0", step(u)),
    ("1.0*(u > 0)", step(u)),
    ("(u > 0).astype(float)", step(u)),
    ("(u > 0).astype(np.float64)", step(u)),
    ("(u < v)*1", step(v - u)),
    ("(u >= 0)*1.0", 1 - step(-u)),
    ("(np.abs(u) <= 1).astype(float)", 1 - step(sp.Abs(u) - 1)),
    ("np.where(u > 0, u, 0)", relu(u)),
    ("np.where(u > 0, 1.0, 0.0)", step(u)),
    ("np.heaviside(u, 0)", step(u)),
    ("w*(u > 0)", w * step(u)),
]


@pytest.mark.parametrize(("text", "expected"), NUMPY, ids=[t for t, _ in NUMPY])
def test_python_syntax_reads_numpy_spellings(text, expected):
    assert read_expr(text, allow_new_symbols=True) == expected


NUMPY_VALUES = [
    "np.maximum(0, 1 - u*v)",
    "max(u, 2.0) - min(v, -1.0)",
    "np.abs(u - v) + np.sign(u)",
    "np.log1p(np.exp(u)) - np.logaddexp(0, v)",
    "np.logaddexp(u, 1.5)",
    "(u > 0)*v + (u < v).astype(float)",
    "(u >= 0)*v - (np.abs(u) <= 0.5)*1.0",
    "np.where(u > 0.5, u*v, v - 1)",
    "np.heaviside(u - v, 0) * np.tanh(v)",
    "np.expm1(u) + np.log1p(v*v)",
]


@pytest.mark.parametrize("text", NUMPY_VALUES)
def test_python_syntax_readings_take_the_values_numpy_computes(text):
    expr = rewrite_ml_functions(read_expr(text, {"u": u, "v": v}))
    for a, b in [(-2.0, 0.5), (-0.3, -1.2), (0.0, 0.7), (0.5, 0.5), (1.7, -0.4), (3.0, 2.0)]:
        numpy_value = eval(
            text, {"np": np, "max": max, "min": min, "u": np.float64(a), "v": np.float64(b)}
        )  # the test's own text: NumPy is the oracle
        ours = float(expr.subs({u: a, v: b}))
        assert ours == pytest.approx(float(numpy_value), rel=1e-12, abs=1e-12), (a, b)


def test_python_syntax_matrices_apply_entry_by_entry():
    for text, function in [
        ("np.maximum(X @ theta, 0)", relu),
        ("(X @ theta > 0) * 1.0", step),
        ("np.log1p(np.exp(X @ theta))", softplus),
        ("np.sign(X @ theta - y)", sp.sign),
        ("np.abs(X @ theta - y)", sp.Abs),
    ]:
        read = read_expr(text)
        assert isinstance(read, sp.MatrixExpr) and read.function.expr.func is function, text


def test_python_syntax_reads_class_weights_and_one_hot_labels():
    assert read_expr("W[j, k] * x[i, j]") == W[j, k] * x[i, j]
    assert read_expr("W[k, c]") == W[k, c] and read_expr("y[i, k]") == y[i, k]
    assert read_expr("Sum(W[j, c]**2, (c, 1, K))") == sp.Sum(W[j, c] ** 2, (c, 1, K))
    assert one_based(read_expr("Sum(W[j, c]**2, (c, 0, K-1))")) == sp.Sum(W[j, c] ** 2, (c, 1, K))
    assert one_based(read_expr("Sum(W[j, c]**2, (c, 0, K-2))")) == sp.Sum(W[j, c] ** 2, (c, 0, K - 2))  # not all


# --- what is refused, and what to write instead ---------------------------------------------------

REFUSED_LATEX = [
    (r"\max(a, b)", r"write \max(0, a - b) + b"),
    (r"\max(0, u, v)", r"\max takes two arguments, not 3"),
    (r"\max u", r"\max takes two arguments"),
    (r"\mathbf{1}[a = b]", r"\mathbb{1}\{y^{(i)} = k\}"),
    (r"(u > 0)", r"write \mathbf{1}[u > 0]"),
    (r"u > 0", "a comparison is read inside an indicator"),
    (r"|u", "a | with no closing one"),
    (r"|u|_1", "a norm is not read"),
    (r"w_k^T", r"write w_{k}^T x^{(i)}"),
    (r"W^T x^{(i)}", r"(W^T x^{(i)})_k"),
    (r"\max\{0, 1 - y_i w^T x_i\}", r"here write \theta^T x^{(i)}"),  # not "^T needs a matrix or a vector"
    (r"\sigma^2 \lambda", r"\sigma^2 is read as a square only before parentheses"),  # σ² may be a variance
]


@pytest.mark.parametrize(("text", "fragment"), REFUSED_LATEX, ids=[t for t, _ in REFUSED_LATEX])
def test_latex_refusals_are_one_line_in_the_users_terms(text, fragment):
    with pytest.raises(ParseError) as info:
        parse_latex(text)
    assert fragment in str(info.value) and "\n" not in str(info.value)


REFUSED_PYTHON = [
    ("max(a, b)", "write max(0, a - b) + b"),
    ("np.maximum(u, v)", "write np.maximum(0, a - b) + b"),
    ("max(0, u, v)", "max() takes 2 arguments"),
    ("u > 0", "write (u > 0)*1.0"),
    ("u.astype(float)", "on a comparison only"),
    ("np.heaviside(u, 0.5)", "np.heaviside(u, 0) is read"),
    ("(u == 0)*1.0", "the indicator is written (u > 0)*1.0"),
]


@pytest.mark.parametrize(("text", "fragment"), REFUSED_PYTHON, ids=[t for t, _ in REFUSED_PYTHON])
def test_python_refusals_are_one_line_in_the_users_terms(text, fragment):
    with pytest.raises(ParseError) as info:
        read_expr(text, allow_new_symbols=True)
    assert fragment in str(info.value) and "\n" not in str(info.value)


# --- from the command line -----------------------------------------------------------------------


run = run_cli  # main() in this process


@pytest.mark.parametrize(
    "args",
    [
        ("derive", "np.maximum(0, 1 - y*w*x)", "--wrt", "w"),
        ("derive", r"\max\{0, 1 - y w x\} + \lambda |w|", "--latex", "--wrt", "w"),
    ],
    ids=["python", "latex"],
)
def test_derive_takes_what_users_write_and_verifies_it(args):
    out = run(*args, "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["verified"]


def test_derive_refuses_a_max_of_two_varying_terms_in_one_line():
    out = run("derive", "max(w*x, y)", "--wrt", "w")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "write max(0, a - b) + b" in out.stderr


def test_show_cost_derives_cs229s_softmax_as_written_to_p_minus_y():
    out = run("show", "--cost", CROSS_ENTROPY_CS229, "--wrt", "W", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["verified"] and [c["name"] for c in data["checks"]][-1] == "finite differences of the cost"
    assert data["steps"][-1]["text"].endswith("− y_c⁽ⁱ⁾) x_j⁽ⁱ⁾")  # (p_c − y_c) x_j, the textbook's answer
