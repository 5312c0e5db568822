r"""ReLU, |·|, Φ, φ and log cosh (issue 12): each against an independent reference, read, printed, derived.

The registry-wide properties (every spelling read, derivative = d/dz of the elementary form,
slope bounds, the complex step) are in ``tests/test_functions.py``; here each new function
meets SciPy or mpmath at extreme inputs, its kink, and ``derive`` end to end.
"""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
import scipy.special
import scipy.stats
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from derivation.core.functions import (
    ML_FUNCTIONS,
    abs_entry,
    logcosh,
    normal_cdf,
    normal_pdf,
    relu,
    rewrite_ml_functions,
    spellings,
    step,
)
from derivation.core.functions.probit import log_ndtr
from derivation.core.notation import Theta, X, m, z
from derivation.derive.api import derive
from derivation.kernels import runtime
from derivation.kernels.codegen import generate_function
from derivation.oracle.equality import verify_equality
from derivation.parsing import parse_latex, read_expr
from derivation.printing.expr import to_ascii, to_latex, to_unicode

EXTREMES = np.array([-1e3, -40.0, -38.0, -36.0, -20.0, -1.0, -1e-8, 0.0, 1e-8, 0.7, 5.0, 20.0, 40.0, 1e3])

# name -> (independent float64 reference, independent mpmath reference)
REFERENCES = {
    "relu": (lambda v: np.where(v > 0, v, 0.0), lambda t: mpmath.mpf(max(t, 0))),
    "Abs": (np.fabs, mpmath.fabs),
    "normal_cdf": (scipy.special.ndtr, lambda t: mpmath.erfc(-t / mpmath.sqrt(2)) / 2),
    "normal_pdf": (scipy.stats.norm.pdf, lambda t: mpmath.exp(-(t**2) / 2) / mpmath.sqrt(2 * mpmath.pi)),
    "logcosh": (lambda v: np.logaddexp(v, -v) - np.log(2.0), lambda t: mpmath.log(mpmath.cosh(t))),
}
NEW = [ML_FUNCTIONS[name] for name in REFERENCES]


def _close(values, exact, rel):
    tiny = np.abs(exact) < 1e-300  # below float64's smallest normal number: agree absolutely
    assert np.all(np.abs(values[tiny] - exact[tiny]) <= 1e-300)
    gap = np.abs(values[~tiny] - exact[~tiny]) / np.abs(exact[~tiny])
    assert gap.max() <= rel, dict(zip(EXTREMES[~tiny], gap, strict=True))


@pytest.mark.parametrize("entry", NEW, ids=list(REFERENCES))
def test_numpy_and_mpmath_forms_agree_with_an_independent_reference_at_extremes(entry):
    fast, exact = REFERENCES[entry.function.__name__]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow or invalid-value warning fails the test
        values = entry.numpy_eval(EXTREMES)
    assert np.all(np.isfinite(values))
    with mpmath.workdps(50):
        reference = np.array([float(exact(mpmath.mpf(v))) for v in EXTREMES])
        ours = np.array([float(entry.mpmath_eval(mpmath.mpf(v))) for v in EXTREMES])
    _close(values, reference, 4e-16)
    _close(ours, reference, 1e-16)
    with np.errstate(all="ignore"):
        library = fast(EXTREMES)
    # The library forms are less precise (SciPy's Φ(−36) is 1e−13 off, rounding z/√2; logaddexp(z, −z) − log 2
    # is 1e−16 absolute near 0) and SciPy flushes Φ(−38) = 2.9e−316 to 0: a looser cross-check.
    normal = np.isfinite(library) & (np.abs(library) > 1e-300)
    assert np.allclose(values[normal], library[normal], rtol=1e-12, atol=2e-16)


def test_log_phi_is_finite_and_right_in_both_tails():
    points = np.array([-1e3, -100.0, -40.0, -30.000001, -30.0, -29.999999, -8.0, -1.0, 0.0, 3.0, 9.0, 40.0, 1e3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = log_ndtr(points)
    with mpmath.workdps(60):
        exact = np.array([float(mpmath.log(mpmath.ncdf(mpmath.mpf(v)))) for v in points])
    assert np.all(np.isfinite(ours[:-2]))
    assert abs(ours[2] - -804.6084420137538) < 1e-12  # log Φ(−40), where Φ itself underflows
    nonzero = exact != 0
    assert np.all(np.abs(ours[nonzero] - exact[nonzero]) <= 2e-15 * np.abs(exact[nonzero]))
    assert np.allclose(ours, scipy.special.log_ndtr(points), rtol=1e-14, atol=0)


def test_kinked_derivatives_are_subgradients_that_say_so():
    u = sp.Symbol("u", real=True)
    assert relu(u).diff(u) == step(u) and step(u).diff(u) == 0
    assert "z ≠ 0" in relu.rule_label and "1[z > 0]" in relu.rule_label and "z ≠ 0" in abs_entry.rule_label
    assert [relu.numpy_eval(np.array([0.0]))[0], step.numpy_eval(np.array([0.0]))[0]] == [0.0, 0.0]  # ReLU′(0) = 0
    w, x = sp.symbols("w x", real=True)
    assert sp.Abs(w * x).diff(w) == x * sp.sign(w * x)  # SymPy's own rule for a real argument
    assert abs_entry.derivative(w * x) == sp.sign(w * x)
    for value in (-2.5, -0.1, 0.3, 4.0):  # away from the kink, the subgradient is the derivative
        exact = sp.diff(rewrite_ml_functions(relu(u)), u).subs(u, value)
        assert step(sp.Float(value)) == exact


def test_phi_derivatives():
    u = sp.Symbol("u", real=True)
    assert normal_cdf(u).diff(u) == normal_pdf(u)
    assert normal_pdf(u).diff(u) == -u * normal_pdf(u)
    assert sp.simplify(sp.diff(normal_cdf.elementary(u), u) - normal_pdf.elementary(u)) == 0
    assert logcosh(u).diff(u) == sp.tanh(u)


_W, _X = sp.symbols("w x", real=True)  # the symbols the reader makes of new names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("relu(w*x)", relu(_W * _X)),
        ("abs(w - x)", sp.Abs(_W - _X)),
        ("np.abs(w)", sp.Abs(_W)),
        ("Phi(w*x)", normal_cdf(_W * _X)),
        ("norm_cdf(w)", normal_cdf(_W)),
        ("phi(w)", normal_pdf(_W)),
        ("logcosh(w - x)", logcosh(_W - _X)),
    ],
)
def test_reads_from_python_syntax(text, expected):
    assert read_expr(text, allow_new_symbols=True) == expected


@pytest.mark.parametrize(
    ("text", "function"),
    [
        (r"\operatorname{ReLU}(z)", relu),
        (r"\mathrm{relu}(z)", relu),
        (r"\operatorname{abs}(z)", sp.Abs),
        (r"\operatorname{normcdf}(z)", normal_cdf),
        (r"\operatorname{normpdf}(z)", normal_pdf),
        (r"\operatorname{logcosh}(z)", logcosh),
    ],
)
def test_reads_from_latex(text, function):
    assert parse_latex(text) == function(z)


@pytest.mark.parametrize(
    "text",
    [
        r"\Phi(z)",
        r"\phi(z)",
        r"|z|",
        r"\mathbf{1}\left[z > 0\right]",
    ],
)
def test_reads_what_textbooks_write(text):
    assert parse_latex(text) in (normal_cdf(z), normal_pdf(z), sp.Abs(z), step(z))


def test_phi_letters_alone_stay_letters():
    assert parse_latex(r"\Phi") == sp.Symbol("Phi", real=True)
    assert parse_latex(r"\phi x") == sp.Symbol("phi", real=True) * sp.Symbol("x", real=True)


def test_phi_commands_wait_for_parentheses_and_leave_bishop_alone():
    paren = spellings("latex_paren_command")
    assert paren[r"\Phi"] is normal_cdf and paren[r"\phi"] is normal_pdf
    assert not set(paren) & set(spellings("latex_command"))  # never read unconditionally: Φ is Bishop's design matrix


def test_prints_in_text_and_latex():
    w, x = sp.symbols("w x", real=True)
    assert to_unicode(relu(1 - w * x)) == "ReLU(1 − w x)" and to_ascii(relu(w)) == "ReLU(w)"
    assert to_unicode(sp.Abs(w * x)) == "|w x|"
    assert to_unicode(normal_pdf(w) / normal_cdf(w)) == "φ(w)/Φ(w)" and to_ascii(normal_cdf(w)) == "Phi(w)"
    assert to_latex(relu(w)) == r"\operatorname{ReLU}\left(w\right)"
    assert to_latex(normal_cdf(w)) == r"\Phi\left(w\right)" and to_latex(normal_pdf(w)) == r"\phi\left(w\right)"
    assert to_latex(sp.Abs(w)) == r"\left|{w}\right|"
    assert to_unicode(logcosh(w)) == "logcosh(w)"
    assert to_unicode(x * step(1 - w * x)) == "x 1[1 − w x > 0]"  # the indicator, as textbooks write it
    assert to_latex(step(w)) == r"\mathbf{1}\left[w > 0\right]"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("relu(w*x)", "relu"),
        ("relu(1 - y*w*x) + lam*abs(w)", "Abs"),  # hinge with an L1 penalty
        ("abs(w*x - y)", "Abs"),
        ("-y*log(Phi(w*x)) - (1 - y)*log(1 - Phi(w*x))", "normal_cdf"),  # the probit likelihood
        ("phi(w*x)", "normal_pdf"),
        ("logcosh(w*x - y)", "logcosh"),
    ],
)
def test_derive_verifies_every_step_and_agrees_with_finite_differences(text, rule):
    expr = read_expr(text, allow_new_symbols=True)
    wrt = read_expr("w", allow_new_symbols=True)
    d = derive(expr, wrt)
    assert d.verified, [(s.rule, s.verdict) for s in d.steps]
    assert rule in {s.rule for s in d.steps}
    checks = {c.name: c.verdict.status for c in d.checks}
    assert checks == {"sympy.diff": "holds", "finite differences": "holds"}


def test_the_checker_evaluates_the_new_functions_and_their_derivatives():
    w, x = sp.symbols("w x", real=True)
    for cost, right, wrong in [
        (relu(w * x), x * step(w * x), x * step(-w * x)),
        (sp.Abs(w * x), x * sp.sign(w * x), x * sp.sign(w)),
        (normal_cdf(w * x), x * normal_pdf(w * x), x * normal_cdf(w * x)),
        (normal_pdf(w), -w * normal_pdf(w), w * normal_pdf(w)),
        (logcosh(w - x), sp.tanh(w - x), sp.tanh(w + x)),
    ]:
        assert verify_equality(sp.Derivative(cost, w), right).status == "holds", cost
        assert verify_equality(sp.Derivative(cost, w), wrong).status == "fails", (cost, wrong)


def _compile(source: str):
    namespace = {"np": np, "scipy": scipy}
    exec(runtime._PRELUDE, namespace)  # our generated code only
    exec(source, namespace)
    return namespace["f"]


def _at(zs):
    """θ and X with Xθ = zs: X = [1, z], θ = (0, 1)."""
    zs = np.asarray(zs, dtype=float)
    return np.array([0.0, 1.0]), np.column_stack([np.ones_like(zs), zs]), np.zeros_like(zs)


def test_kernels_of_the_probit_likelihood_are_stable_in_the_tails():
    u = sp.Symbol("u")
    cost = read_expr("-sum(log(Phi(X @ theta))) / m")
    score = X.T * ElementwiseApplyFunction(sp.Lambda(u, normal_pdf(u) / normal_cdf(u)), X * Theta) / m
    cost_src = generate_function("f", [cost], ("cost",), "Probit.")
    score_src = generate_function("f", [score], ("grad",), "Probit score.")
    assert "scipy.special.log_ndtr(z0)" in cost_src and "scipy.special.log_ndtr(z0)" in score_src
    with mpmath.workdps(60):
        for v in (-1e3, -40.0, -5.0, 0.0, 8.0, 40.0):
            theta, data, y = _at([v])
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                c = _compile(cost_src)(theta, data, y)
                g = _compile(score_src)(theta, data, y)
            t = mpmath.mpf(v)
            exact_cost = -mpmath.log(mpmath.ncdf(t))
            ratio = mpmath.npdf(t) / mpmath.ncdf(t)
            assert np.isfinite(c) and np.all(np.isfinite(g))
            assert abs(c - float(exact_cost)) <= 1e-14 * max(1.0, float(exact_cost))
            assert np.allclose(g, [float(ratio), float(t * ratio)], rtol=1e-10, atol=1e-300)


def test_kernels_of_relu_abs_and_logcosh_never_overflow():
    zs = np.array([-1e3, -40.0, -0.5, 0.0, 1e-9, 3.0, 40.0, 1e3])
    for text, exact in [
        ("sum(relu(1 - X @ theta)) / m", lambda t: max(1 - t, 0)),
        ("sum(abs(X @ theta)) / m", abs),
        ("sum(logcosh(X @ theta)) / m", lambda t: mpmath.log(mpmath.cosh(t))),
    ]:
        f = _compile(generate_function("f", [read_expr(text)], ("cost",), "cost"))
        with mpmath.workdps(40):
            expected = sum(mpmath.mpf(exact(mpmath.mpf(v))) for v in zs) / len(zs)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            value = f(*_at(zs))
        assert abs(value - float(expected)) <= 1e-13 * float(expected), text
    assert m in read_expr("sum(relu(X @ theta)) / m").free_symbols


def test_finite_differences_cope_with_each_function():
    from derivation.oracle.finite import finite_difference_verdict

    w, x = sp.symbols("w x", real=True)
    for cost, right, wrong in [
        (relu(1 - w * x), -x * step(1 - w * x), x * step(1 - w * x)),
        (sp.Abs(w * x), x * sp.sign(w * x), sp.sign(w * x)),
        (sp.log(normal_cdf(w * x)), x * normal_pdf(w * x) / normal_cdf(w * x), x * normal_pdf(w * x)),
        (normal_pdf(w), -w * normal_pdf(w), w * normal_pdf(w)),
        (logcosh(w * x), x * sp.tanh(w * x), sp.tanh(w * x)),
    ]:
        assert finite_difference_verdict(cost, w, right).status == "holds", cost
        assert finite_difference_verdict(cost, w, wrong).status == "fails", (cost, wrong)


def test_the_whole_probit_likelihood_kernel_is_finite_where_the_labels_disagree_with_the_model():
    cost = read_expr("-(y.T @ log(Phi(X @ theta)) + (1 - y).T @ log(1 - Phi(X @ theta))) / m")
    source = generate_function("f", [cost], ("cost",), "Probit negative log-likelihood.")
    assert "scipy.special.log_ndtr(-z0)" in source  # log(1 − Φ(u)) as log Φ(−u)
    zs = np.array([-1e3, -40.0, 0.3, 40.0, 1e3])
    labels = np.array([1.0, 1.0, 0.0, 0.0, 0.0])  # the first two and the fourth are confidently wrong
    theta, data, _ = _at(zs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = _compile(source)(theta, data, labels)
    with mpmath.workdps(60):
        terms = [
            -mpmath.log(mpmath.ncdf(mpmath.mpf(v)) if t else mpmath.ncdf(-mpmath.mpf(v)))
            for v, t in zip(zs, labels, strict=True)
        ]
        exact = float(sum(terms) / len(zs))
    assert np.isfinite(value) and abs(value - exact) <= 1e-14 * exact


def test_an_elementwise_quotient_in_matrix_form_compiles_to_the_stable_ratio():
    """φ(Xθ) ⊘ Φ(Xθ) written as a Hadamard power −1 (as a matrix-calculus answer writes it)."""
    pdf, cdf = (
        ElementwiseApplyFunction(sp.Lambda(sp.Symbol("u"), f(sp.Symbol("u"))), X * Theta)
        for f in (normal_pdf, normal_cdf)
    )
    score = X.T * sp.HadamardProduct(pdf, sp.HadamardPower(cdf, -1))
    source = generate_function("f", [score], ("grad",), "Probit score, as a quotient.")
    assert "scipy.special.log_ndtr(z0)" in source
    theta, data, y = _at([-40.0, 0.5, 40.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = _compile(source)(theta, data, y)
    ratios = [float(mpmath.npdf(v) / mpmath.ncdf(v)) for v in (-40.0, 0.5, 40.0)]
    assert np.allclose(g, data.T @ np.array(ratios), rtol=1e-12)
