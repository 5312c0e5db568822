"""Every registered ML function: read, printed, differentiated and evaluated from its one entry."""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
import scipy.special
import sympy as sp

from derivation.core.functions import (
    ML_FUNCTIONS,
    FunctionEntry,
    MLFunction,
    entry_of,
    register,
    rewrite_ml_functions,
    sigmoid,
    softplus,
    spellings,
)
from derivation.core.notation import Theta, X, z
from derivation.kernels.codegen import generate_function, pycode
from derivation.parsing import parse_latex, read_expr
from derivation.printing.expr import to_ascii, to_latex, to_unicode

ENTRIES = list(ML_FUNCTIONS.values())
IDS = list(ML_FUNCTIONS)
# Written otherwise than name(z): (Unicode of f(z), ASCII of f(z)³; SymPy writes |z|³ as z²|z|).
WRITTEN = {"Abs": ("|z|", "z^2 |z|"), "step": ("1[z > 0]", "1[z > 0]^3")}
GRID = [-800.0, -700.0, -36.0, -20.0, -3.5, -1.0, -1e-3, 0.0, 1e-8, 0.5, 2.0, 19.0, 40.0, 700.0, 800.0]


def test_the_registry_holds_sigmoid_softplus_and_tanh():
    assert set(ML_FUNCTIONS) >= {"sigmoid", "softplus", "tanh", "relu", "Abs", "normal_cdf", "normal_pdf", "logcosh"}
    assert ML_FUNCTIONS["tanh"].function is sp.tanh  # SymPy's own class, not a copy
    assert entry_of(sigmoid(z)) is sigmoid and entry_of(sp.tanh) is ML_FUNCTIONS["tanh"] and entry_of(sp.log) is None


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_reads_from_latex_in_every_spelling(entry):
    f = entry.function
    texts = [rf"{command}(z)" for command in entry.latex_commands]
    texts += [rf"\{form}{{{word}}}(z)" for word in entry.latex_words for form in ("operatorname", "mathrm", "text")]
    texts += [f"{letter}(z)" for letter in entry.latex_letters]
    assert texts, "a function the LaTeX reader cannot read"
    for text in texts:
        assert parse_latex(text) == f(z), text
    assert parse_latex(texts[0].replace("(z)", r"\left(X\theta\right)")).shape == (X * Theta).shape
    assert parse_latex(texts[0].replace("(z)", "'(z)")) == sp.Derivative(f(z), z)


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_reads_from_python_syntax_by_every_name(entry):
    f = entry.function
    names = [*entry.python_names, *(f"np.{name}" for name in entry.numpy_names)]
    assert names
    for name in names:
        assert read_expr(f"{name}(z) + 1", {"z": z}) == f(z) + 1, name
    matrix = read_expr(f"{entry.python_names[0]}(X @ theta)")
    assert matrix.shape == (X * Theta).shape and matrix.function.expr.func is f


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_prints_in_unicode_ascii_and_latex(entry):
    f = entry.function
    unicode, ascii_cubed = WRITTEN.get(f.__name__, (f"{entry.unicode_name}(z)", f"{entry.ascii_name}(z)^3"))
    assert to_unicode(f(z)) == unicode
    assert to_ascii(f(z) ** 3) == ascii_cubed
    latex = to_latex(f(z))
    assert latex.startswith(r"\left|" if f is sp.Abs else entry.latex_name)


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_what_we_write_in_latex_we_read(entry):
    f = entry.function
    assert parse_latex(to_latex(f(z))) == f(z)


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_derivative_is_the_derivative_of_the_elementary_form(entry):
    f = entry.function
    u = sp.Symbol("u", real=True)
    ours = f(u).diff(u)  # SymPy asks the entry (fdiff) for our own functions
    assert sp.simplify(ours - entry.derivative(u)) == 0
    independent = sp.diff(entry.elementary(u), u)
    gap = rewrite_ml_functions(ours).rewrite(sp.exp) - independent
    if not gap.has(sp.Piecewise, sp.Heaviside, sp.DiracDelta):  # a step: equal away from its jump, checked below
        simplified = sp.simplify(gap)
        assert simplified == 0 or (simplified.has(sp.Piecewise) and simplified.subs(u, 1) == 0)  # ≠ 0 at u = 0 only
    for value in (-3, sp.Rational(1, 3), 2):  # and numerically, in case simplify is too kind (away from kinks)
        assert abs(sp.N(gap.subs(u, value), 30)) < 1e-25


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_slope_bound_holds_and_is_tight(entry):
    u = sp.Symbol("u", real=True)
    slope = sp.lambdify(u, rewrite_ml_functions(entry.derivative(u)), "mpmath")
    with mpmath.workdps(30):
        largest = max(abs(slope(mpmath.mpf(v))) for v in np.linspace(-40.0, 40.0, 8001))
    assert largest <= entry.slope_bound <= largest * (1 + 1e-6)


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_elementary_form_is_the_function(entry):
    for value in GRID[2:-2]:
        with mpmath.workdps(40):
            exact = entry.mpmath_eval(mpmath.mpf(value))
            elementary = sp.N(entry.elementary(sp.Float(value, 40)), 40)
        assert abs(float(elementary) - float(exact)) <= 1e-14 * max(1.0, abs(float(exact)))


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_numpy_evaluation_is_stable_and_agrees_with_mpmath(entry):
    grid = np.array(GRID)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow or invalid-value warning fails the test
        values = entry.numpy_eval(grid)
    assert np.all(np.isfinite(values))
    with mpmath.workdps(50):
        exact = np.array([float(entry.mpmath_eval(mpmath.mpf(v))) for v in GRID])
    tiny = np.abs(exact) < 1e-300  # e^(−800) underflows to 0 in float64: agree absolutely there
    assert np.all(np.abs(values[tiny] - exact[tiny]) <= 1e-300)
    rel = np.abs(values[~tiny] - exact[~tiny]) / np.abs(exact[~tiny])
    assert rel.max() <= 4e-16, dict(zip(grid[~tiny], rel, strict=True))


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_numpy_form_in_generated_code_is_stable(entry):
    f = entry.function
    assert pycode(f(sp.Symbol("a"))) == entry.numpy_code("a")
    code = sp.lambdify(z, f(z), [{"scipy": scipy}, "numpy"])  # SymPy's own NumPy printer takes the same form
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = code(np.array(GRID))
    assert np.allclose(values, entry.numpy_eval(np.array(GRID)), rtol=1e-12, atol=1e-15)


def test_numpy_evaluation_takes_the_complex_step():
    for entry in ENTRIES:
        step = entry.numpy_eval(np.array([0.3 + 1e-30j]))
        expected = float(entry.derivative(sp.Float(0.3)).evalf()) * 1e-30
        assert np.isclose(step.imag[0], expected, rtol=1e-12)


def test_softplus_in_a_kernel_is_one_overflow_free_expression():
    cost = read_expr("sum(softplus(-X @ theta)) / m")
    source = generate_function("f", [cost], ("cost",), "Softplus.")
    assert "_neg_abs(z0)" in source and "np.exp(ea0, out=ea0)" in source  # e^{−|z|} ≤ 1, computed in place
    assert "np.log1p(ea0)" in source and "logaddexp" not in source


def test_one_definition_of_each_function():
    d = sigmoid.as_definition()
    assert d.short == sigmoid(z) and d.long == 1 / (1 + sp.exp(-z))
    assert d.fold(1 / (1 + sp.exp(-2 * z))) == sigmoid(2 * z)
    assert softplus.as_definition().unfold(softplus(3 * z)) == sp.log(1 + sp.exp(3 * z))


def test_rewrite_leaves_sympy_functions_alone():
    assert rewrite_ml_functions(softplus(z) + sp.tanh(z)) == sp.log(1 + sp.exp(z)) + sp.tanh(z)


def test_spellings_are_unique_and_registration_is_checked():
    for kind in ("python", "latex_command", "latex_word", "latex_letter"):
        names = [s for e in ENTRIES for s in getattr(e, {"python": "python_names"}.get(kind, kind + "s"))]
        assert len(names) == len(set(names)) == len(spellings(kind)), kind
    with pytest.raises(TypeError, match="does not say its"):

        @register
        class nameless(MLFunction):  # noqa: N801
            pass

    with pytest.raises(ValueError, match="registered already"):

        @register
        class again(FunctionEntry):  # noqa: N801
            function = sp.tanh
            unicode_name = ascii_name = latex_name = numpy_form = rule_label = rule_latex = "tanh"
