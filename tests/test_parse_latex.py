"""The ML-notation LaTeX reader on the seed material: what parses, to what, and what is rejected where."""

from __future__ import annotations

import ast
import random
import re
import time
from pathlib import Path

import pytest
import sympy as sp
from derived import derived, derived_hessian
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.matrices.expressions.diagonal import DiagMatrix
from sympy.matrices.expressions.matexpr import MatrixElement

from derivation import render
from derivation.core.catalog import CATALOG
from derivation.core.functions import expand_abbreviations, rewrite_ml_functions, sigmoid
from derivation.core.notation import (
    E0,
    Theta,
    X,
    Y,
    elementwise,
    example_inner,
    i,
    inner,
    j,
    k,
    l,
    m,
    n,
    theta,
    x,
    y,
    z,
)
from derivation.models import MODELS, get_model
from derivation.oracle.equality import verify_equality
from derivation.parsing import LatexContext, ParseError, parse_latex, split_chain, split_equalities
from derivation.proof.read import model_context

LOGISTIC = model_context("logistic")  # the course's reading of h_θ, J and G, which the seed material uses


def parse(text: str, context: LatexContext | None = None, **bounds) -> sp.Basic:
    """:func:`parse_latex` with logistic regression's h_θ, J and G unless another context is given."""
    return parse_latex(text, LOGISTIC if context is None else context, **bounds)


# Seed 000, accepted answer: the long chain and the derivative of the sigmoid, verbatim.
SEED_000_CHAIN = (
    r"\small \frac{\partial J(\theta)}{\partial \theta_j} = \frac{\partial}{\partial \theta_j} \,\frac{-1}"
    r"{m}\sum_{i=1}^m \left[ y^{(i)}\log\left(h_\theta \left(x^{(i)}\right)\right) + (1 -y^{(i)})\log\left"
    r"(1-h_\theta \left(x^{(i)}\right)\right)\right] \\[2ex]"
    r"\small\underset{\text{linearity}}= \,\frac{-1}{m}\,\sum_{i=1}^m \left[ y^{(i)}\frac{\partial}{\parti"
    r"al \theta_j}\log\left(h_\theta \left(x^{(i)}\right)\right) + (1 -y^{(i)})\frac{\partial}{\partial \t"
    r"heta_j}\log\left(1-h_\theta \left(x^{(i)}\right)\right) \right] \\[2ex]"
    r"\Tiny\underset{\text{chain rule}}= \,\frac{-1}{m}\,\sum_{i=1}^m \left[ y^{(i)}\frac{\frac{\partial}{"
    r"\partial \theta_j}h_\theta \left(x^{(i)}\right)}{h_\theta\left(x^{(i)}\right)} + (1 -y^{(i)})\frac{\f"
    r"rac{\partial}{\partial \theta_j}\left(1-h_\theta \left(x^{(i)}\right)\right)}{1-h_\theta\left(x^{(i)"
    r"}\right)} \right] \\[2ex]"
    r"\small\underset{h_\theta(x)=\sigma\left(\theta^\top x\right)}=\,\frac{-1}{m}\,\sum_{i=1}^m \left[ y^"
    r"{(i)}\frac{\frac{\partial}{\partial \theta_j}\sigma\left(\theta^\top x^{(i)}\right)}{h_\theta\left(x"
    r"^{(i)}\right)} + (1 -y^{(i)})\frac{\frac{\partial}{\partial \theta_j}\left(1-\sigma\left(\theta^\top"
    r" x^{(i)}\right)\right)}{1-h_\theta\left(x^{(i)}\right)} \right] \\[2ex]"
    r"\Tiny\underset{\sigma'}=\frac{-1}{m}\,\sum_{i=1}^m \left[ y^{(i)}\, \frac{\sigma\left(\theta^\top x^"
    r"{(i)}\right)\left(1-\sigma\left(\theta^\top x^{(i)}\right)\right)\frac{\partial}{\partial \theta_j}\l"
    r"eft(\theta^\top x^{(i)}\right)}{h_\theta\left(x^{(i)}\right)} - (1 -y^{(i)})\,\frac{\sigma\left(\the"
    r"ta^\top x^{(i)}\right)\left(1-\sigma\left(\theta^\top x^{(i)}\right)\right)\frac{\partial}{\partial "
    r"\theta_j}\left(\theta^\top x^{(i)}\right)}{1-h_\theta\left(x^{(i)}\right)} \right] \\[2ex]"
    r"\small\underset{\sigma\left(\theta^\top x\right)=h_\theta(x)}= \,\frac{-1}{m}\,\sum_{i=1}^m \left[ y"
    r"^{(i)}\frac{h_\theta\left( x^{(i)}\right)\left(1-h_\theta\left( x^{(i)}\right)\right)\frac{\partial}"
    r"{\partial \theta_j}\left(\theta^\top x^{(i)}\right)}{h_\theta\left(x^{(i)}\right)} - (1 -y^{(i)})\fr"
    r"ac{h_\theta\left( x^{(i)}\right)\left(1-h_\theta\left(x^{(i)}\right)\right)\frac{\partial}{\partial "
    r"\theta_j}\left( \theta^\top x^{(i)}\right)}{1-h_\theta\left(x^{(i)}\right)} \right] \\[2ex]"
    r"\small\underset{\frac{\partial}{\partial \theta_j}\left(\theta^\top x^{(i)}\right)=x_j^{(i)}}=\,\fra"
    r"c{-1}{m}\,\sum_{i=1}^m \left[y^{(i)}\left(1-h_\theta\left(x^{(i)}\right)\right)x_j^{(i)}- \left(1-y^"
    r"{i}\right)\,h_\theta\left(x^{(i)}\right)x_j^{(i)} \right] \\[2ex]"
    r"\small\underset{\text{distribute}}=\,\frac{-1}{m}\,\sum_{i=1}^m \left[y^{i}-y^{i}h_\theta\left(x^{(i"
    r")}\right)- h_\theta\left(x^{(i)}\right)+y^{(i)}h_\theta\left(x^{(i)}\right) \right]\,x_j^{(i)} \\[2e"
    r"x]"
    r"\small\underset{\text{cancel}}=\,\frac{-1}{m}\,\sum_{i=1}^m \left[y^{(i)}-h_\theta\left(x^{(i)}\righ"
    r"t)\right]\,x_j^{(i)} \\[2ex]"
    r"\small=\frac{1}{m}\sum_{i=1}^m\left[h_\theta\left(x^{(i)}\right)-y^{(i)}\right]\,x_j^{(i)} "
)

SEED_000_SIGMOID = (
    r"\Tiny\begin{align}\frac{d}{dx}\sigma(x)&=\frac{d}{dx}\left(\frac{1}{1+e^{-x}}\right)\\[2ex]"
    r" &=\frac{-(1+e^{-x})'}{(1+e^{-x})^2}\\[2ex]"
    r" &=\frac{e^{-x}}{(1+e^{-x})^2}\\[2ex]"
    r" &=\left(\frac{1}{1+e^{-x}}\right)\left(\frac{e^{-x}}{1+e^{-x}}\right)\\[2ex]"
    r" &=\left(\frac{1}{1+e^{-x}}\right)\,\left(\frac{1+e^{-x}}{1+e^{-x}}-\frac{1}{1+e^{-x}}\right)\\[2ex]"
    r" &=\sigma(x)\,\left(\frac{1+e^{-x}}{1+e^{-x}}-\sigma(x)\right)\\[2ex]"
    r" &=\sigma(x)\,(1-\sigma(x)) \end{align}"
)

SEED_000_ANNOTATIONS = [
    None,
    None,
    "linearity",
    "chain rule",
    r"h_\theta(x)=\sigma\left(\theta^\top x\right)",
    r"\sigma'",
    r"\sigma\left(\theta^\top x\right)=h_\theta(x)",
    r"\frac{\partial}{\partial \theta_j}\left(\theta^\top x^{(i)}\right)=x_j^{(i)}",
    "distribute",
    "cancel",
    None,
]

# Seed 002, course notes: every displayed formula (each side of each '=').
H = r"h_{\boldsymbol{\theta}}(\mathbf{x})"
G = r"g(\boldsymbol{\theta}^\top \mathbf{x})"
D = r"\frac{\partial}{\partial \theta_j}"
SEED_002 = [
    rf"{D} \mathcal{{J}}(\boldsymbol{{\theta}})",
    rf"{D} \left( -y \cdot \log({H}) - (1-y) \cdot \log(1-{H}) \right)",
    rf"-y \cdot {D} \left( \log({H}) \right) - (1-y) \cdot {D} \left( \log(1-{H}) \right)",
    r"(\log x)'",
    r"\frac{1}{x}",
    rf"\frac{{-y}}{{{H}}} \cdot {D} ({H}) - \frac{{1-y}}{{1-{H}}} \cdot {D} (1-{H})",
    rf"\left( \frac{{-y}}{{{H}}} + \frac{{1-y}}{{1-{H}}} \right) \cdot {D} {H}",
    rf"\frac{{-y \cdot (1-{H}) + (1-y) \cdot {H}}}{{{H} \cdot (1-{H})}} \cdot {D} {H}",
    rf"\frac{{-y + y \cdot {H} + {H} - y \cdot {H}}}{{{H} \cdot (1-{H})}} \cdot {D} {H}",
    rf"\frac{{{H} - y}}{{{H} \cdot (1-{H})}} \cdot {D} {H}",
    H,
    G,
    rf"\frac{{{G} - y}}{{{G} \cdot (1-{G})}} \cdot {D} {G}",
    rf"\frac{{{G} - y}}{{{G} \cdot (1-{G})}} \cdot {G} \cdot (1-{G}) \cdot {D} \boldsymbol{{\theta}}^\top \mathbf{{x}}",
    rf"({G} - y) \cdot {D} \boldsymbol{{\theta}}^\top \mathbf{{x}}",
    rf"({G} - y) \cdot x_j",
]

# Seed 002's derivation is one '=' chain: the first two are the aligned lines, the rest continue it.
SEED_002_CHAIN = [SEED_002[0], SEED_002[1], SEED_002[2], *SEED_002[5:10], *SEED_002[12:]]

SEED_003_MATRIX = r"\frac{1}{m} \cdot X^T\big(\sigma(X\theta)-y\big)"
SEED_000_COMMENT_MATRIX = r"\frac{1}{m}X^\top\left( \sigma(X\theta)-\mathbf y\right)"

# Seed 001: extracted from a web page, formulas damaged on the way.
SEED_001_DAMAGED = [
    r"\frac{\partial \left(J(\theta)\right)}{\partial t}",
    r"-\frac{1}{2}*\left(\sum_{i=1}^{m} \left[v^{(i)} * \left(1 - h_{\alpha}(x^{(i)})\right) * x_{i}^{i} - "
    r"\left(1 - v^{(i)}\right) * h_{\alpha}(x^{(i)}) * x_{i}^{i}\right]\right) + \frac{1}{2}",
    r"\frac{\partial (J(\theta))}{\partial (\theta j)}",
    r"\frac{\partial(\theta j)}{\partial(\theta j)}",
    r"-\frac{1}{m} \star \left( \sum_{i=1}^m \left[ y^{(i)} - h_\theta(x^{(i)}) \right] * x_j^i \right)",
    r"-\frac{1}{m} * \left( \sum_{i=1}^{m} \left[ y^{(i)} * \frac{1}{h_{\theta}(x^{(i)})} * \sigma(z) \left( 1 - "
    r"\sigma(z) \right) * \frac{\partial (\theta^{T} x)}{\partial (\theta j)} \right] + \sum_{i=1}^{m} \left[ "
    r"\left( 1 - y^{(i)} \right) * \frac{1}{\left( 1 - h_{\theta}(x^{(i)}) \right)} * \left( -\sigma(z) \left( 1 - "
    r"\sigma(z) \right) * \frac{\partial (\theta^{T} x)}{\partial (\theta j)} \right] \right)",
    r"\frac{\partial (J(\theta))}{\partial (\theta)} = \frac{1}{m} X^{T} [h_{\theta}(x) - y]",
    r"\frac{1}{m} X^{T} [h_{\theta}(x) - y]",
    r"\begin{bmatrix} \frac{\partial T}{\partial \theta_1} \\ \vdots \\ \frac{\partial J(\theta)}{\partial \theta_n} "
    r"\end{bmatrix}",
    r"\frac{1}{m} x^T (h(x) - y)",
    r"cost (h_{\theta}(\boldsymbol{x}), \ y)",
    r"h_{\boldsymbol{\theta}}(\boldsymbol{x})",
    r"\frac{1}{1 + e^{-\boldsymbol{\theta}^T \boldsymbol{x}}}",
    r"\frac{0 * (1 + e^{-x}) - (1) * (e^{-x} * (-1))}{(1 + e^{-x})^2}",
    r"\frac{d(\sigma(x))}{dx}",
    r"\frac{1}{1 + e^{-x}} * \left(1 - \frac{1}{1 + e^{-x}}\right)",
]


# --- helpers -------------------------------------------------------------------------------

SIZES = {m: 3, n: 2, j: 1}


def _data(seed: int = 0) -> dict:
    rng = random.Random(seed)
    values = {y[r]: rng.choice([0, 1]) for r in range(1, 4)}
    values.update({x[r, c]: sp.Float(rng.uniform(-1, 1)) for r in range(1, 4) for c in range(3)})
    values.update({theta[c]: sp.Float(rng.uniform(-1, 1)) for c in range(3)})
    values.update({x[c]: sp.Float(rng.uniform(-1, 1)) for c in range(3)})
    values[sp.Symbol("y", real=True)] = sp.Rational(1)
    return values


def evaluate(expr: sp.Expr, values: dict) -> float:
    """The number an index-form expression stands for at m=3, n=2, j=1 (abbreviations expanded)."""
    expr = expand_abbreviations(expr.subs(SIZES)).subs(SIZES)
    expr = rewrite_ml_functions(expr).doit().subs(SIZES)
    return float(expr.xreplace(values).evalf())


def assert_parse_or_positioned_error(text: str) -> None:
    start = time.process_time()
    try:
        result = parse(text)
    except ParseError as err:
        assert err.position is not None
        assert "\n" not in str(err)
        err.caret()
    else:
        assert isinstance(result, sp.Basic)
    assert time.process_time() - start < 1.0


# --- seed 000: the accepted answer ---------------------------------------------------------


def test_seed_000_chain_splits_into_sides_and_annotations():
    links = split_chain(SEED_000_CHAIN)
    assert len(links) == 11
    assert [link.annotation for link in links] == SEED_000_ANNOTATIONS
    assert links[0].text == r"\frac{\partial J(\theta)}{\partial \theta_j}"
    assert links[-1].text.startswith(r"\frac{1}{m}\sum_{i=1}^m")
    assert split_equalities(SEED_000_CHAIN) == [link.text for link in links]


def test_seed_000_every_side_parses_and_all_sides_agree():
    values = _data()
    expected = evaluate(get_model("logistic").form("sum").gradient, values)
    sides = [parse(link.text) for link in split_chain(SEED_000_CHAIN)]
    assert sides[0] == sp.Derivative(LOGISTIC.costs["J"], theta[j], evaluate=False)
    for side in sides:
        assert evaluate(side, values) == pytest.approx(expected, rel=1e-9)


def test_seed_000_annotations_that_are_equations_hold():
    values = _data(1)
    for annotation in SEED_000_ANNOTATIONS:
        if annotation is None or "=" not in annotation:
            continue
        left, right = (parse(side) for side in split_equalities(annotation))
        assert evaluate(left - right, values) == pytest.approx(0, abs=1e-12)


def test_seed_000_last_side_is_the_catalog_gradient_exactly():
    model = get_model("logistic")
    parsed = parse(r"\frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)})-y^{(i)}\right)x_j^{(i)}")
    assert parsed == model.form("sum").gradient
    assert expand_abbreviations(parsed) == expand_abbreviations(model.form("sum").gradient)
    assert expand_abbreviations(parsed) == sp.Sum((sigmoid(inner(i)) - y[i]) * x[i, j], (i, 1, m)) / m
    last = split_chain(SEED_000_CHAIN)[-1].text
    assert parse(last) == model.form("sum").gradient


def test_seed_000_sigmoid_derivative_chain():
    links = split_chain(SEED_000_SIGMOID)
    assert len(links) == 8
    sides = [parse(link.text) for link in links]
    xs = sp.Symbol("x", real=True)
    assert sides[0] == sp.Derivative(sigmoid(xs), xs, evaluate=False)
    assert sides[-1] == sigmoid(xs) * (1 - sigmoid(xs))
    expected = float(rewrite_ml_functions(sigmoid(xs) * (1 - sigmoid(xs))).subs(xs, 0.3))
    for side in sides:
        value = rewrite_ml_functions(side).doit().subs(xs, sp.Rational(3, 10))
        assert float(value) == pytest.approx(expected)


def test_seed_000_comment_and_seed_003_matrix_form():
    gradient = get_model("logistic").matrix_gradient
    for text in (SEED_003_MATRIX, SEED_000_COMMENT_MATRIX, r"\frac{1}{m}X^T(\sigma(X\theta)-y)"):
        parsed = parse(text)
        assert isinstance(parsed, sp.MatrixExpr)
        assert parsed == gradient
    cost = LOGISTIC.costs["J"]
    assert parse(r"\frac{\partial J(\theta)}{\partial \theta}") == sp.Derivative(cost, Theta, evaluate=False)


# --- seed 002: course notes ----------------------------------------------------------------


@pytest.mark.parametrize("text", SEED_002)
def test_seed_002_every_formula_parses(text):
    assert isinstance(parse(text), sp.Expr)


def test_seed_002_chain_agrees_with_the_single_example_gradient():
    values = _data(2)
    example = get_model("logistic").form("example")
    expected = evaluate(example.gradient, values)
    for text in SEED_002_CHAIN[1:]:  # the first side is J, the full cost in the default context
        assert evaluate(parse(text), values) == pytest.approx(expected, rel=1e-9)
    assert expand_abbreviations(parse(SEED_002_CHAIN[-1])) == expand_abbreviations(example.gradient)


# --- seed 001: damaged formulas ------------------------------------------------------------


@pytest.mark.parametrize("text", SEED_001_DAMAGED)
def test_seed_001_parses_or_fails_with_a_position(text):
    assert_parse_or_positioned_error(text)


def test_seed_001_specific_readings():
    cost = LOGISTIC.costs["J"]
    t = sp.Symbol("t", real=True)
    assert parse(SEED_001_DAMAGED[0]) == sp.Derivative(cost, t, evaluate=False)
    with pytest.raises(ParseError, match=r"hypothesis is written h_\\theta") as info:
        parse(SEED_001_DAMAGED[1])
    assert SEED_001_DAMAGED[1][info.value.position :].startswith(r"{\alpha}")
    with pytest.raises(ParseError, match="parenthesised") as info:
        parse(SEED_001_DAMAGED[2])
    assert info.value.position == SEED_001_DAMAGED[2].index(r"(\theta j)")
    with pytest.raises(ParseError, match=r"unknown command \\star"):
        parse(SEED_001_DAMAGED[4])
    with pytest.raises(ParseError, match="is a number, not a vector"):
        parse(SEED_001_DAMAGED[7])
    h_example = LOGISTIC.example_hypothesis
    assert parse(SEED_001_DAMAGED[11]) == h_example()
    assert parse(SEED_001_DAMAGED[12]) == 1 / (1 + sp.exp(-example_inner()))


# --- the notation, construct by construct --------------------------------------------------

h = LOGISTIC.hypothesis
xs, ys = sp.Symbol("x", real=True), sp.Symbol("y", real=True)

READINGS = [
    (r"x_j^{(i)}", x[i, j]),
    (r"x^{(i)}_j", x[i, j]),
    (r"x_{j}^{(i)}", x[i, j]),
    (r"x_j^i", x[i, j]),
    (r"x_{j}^{i}", x[i, j]),
    (r"x_j", x[j]),
    (r"y^{(i)}", y[i]),
    (r"y^{i}", y[i]),
    (r"y^i", y[i]),
    (r"y_i", y[i]),
    (r"y^{(2)}", y[2]),
    (r"y^2", ys**2),
    (r"\theta_j", theta[j]),
    (r"\theta_{0}", theta[0]),
    (r"\theta^T x^{(i)}", inner(i)),
    (r"\theta^\top x^{(i)}", inner(i)),
    (r"\theta^{\intercal} x^{(i)}", inner(i)),
    (r"\boldsymbol{\theta}^{T}\mathbf{x}^{(i)}", inner(i)),
    (r"\theta^T x", example_inner()),
    (r"x^T \theta", example_inner()),
    (r"2\theta^T x", 2 * example_inner()),
    (r"h_\theta(x^{(i)})", h(i)),
    (r"h_{\theta}\left(x^{(i)}\right)", h(i)),
    (r"h_\theta \left(x^{(i)}\right)", h(i)),
    (r"\sigma(z)", sigmoid(z)),
    (r"g(z)", sigmoid(z)),
    (r"\sigma\left(\theta^\top x^{(i)}\right)", sigmoid(inner(i))),
    (r"\log x", sp.log(xs)),
    (r"\ln(z)", sp.log(z)),
    (r"\log \sigma(z)", sp.log(sigmoid(z))),
    (r"e^{-z}", sp.exp(-z)),
    (r"e^z", sp.exp(z)),
    (r"\exp(-z)", sp.exp(-z)),
    (r"e", sp.E),
    (r"2 \cdot z", 2 * z),
    (r"2 * z", 2 * z),
    (r"2 \times z", 2 * z),
    (r"2z", 2 * z),
    (r"z/2", z / 2),
    (r"\frac{-1}{m}", -1 / m),
    (r"-\frac{1}{m}", -1 / m),
    (r"\frac12", sp.Rational(1, 2)),
    (r"\dfrac{1}{2}", sp.Rational(1, 2)),
    (r"z^2", z**2),
    (r"z^{-1}", 1 / z),
    (r"0.5 z", z / 2),
    (r"\sqrt{z}", sp.sqrt(z)),
    (r"\lambda", sp.Symbol("lambda", positive=True)),
    (r"m + n", m + n),
    (r"\left[ z \right]", z),
    (r"\big( z \big)", z),
    (r"\Bigl( z \Bigr)", z),
    (r"\,z\;\!\quad\qquad~", z),
    (r"\small z", z),
    (r"\Tiny\displaystyle z", z),
    (r"\mathbf{y}", ys),
    (r"\boldsymbol{x}", xs),
    (r"$x_j$", x[j]),
    (r"$$ z $$", z),
    (r"\frac{\partial}{\partial \theta_j} z", sp.Derivative(z, theta[j], evaluate=False)),
    (r"\frac{d}{dz} \sigma(z)", sp.Derivative(sigmoid(z), z, evaluate=False)),
    (r"\frac{d\sigma(z)}{dz}", sp.Derivative(sigmoid(z), z, evaluate=False)),
    (r"\frac{\mathrm{d}}{\mathrm{d}z} e^z", sp.Derivative(sp.exp(z), z, evaluate=False)),
    (r"\sigma'(z)", sp.Derivative(sigmoid(z), z, evaluate=False)),
    (r"\sigma''(z)", sp.Derivative(sigmoid(z), (z, 2), evaluate=False)),
    (r"(z^2)'", sp.Derivative(z**2, z, evaluate=False)),
    (r"X", X),
    (r"X^T", X.T),
    (r"X^\top y", X.T * Y),
    (r"y^T X", Y.T * X),
    (r"X\theta", X * Theta),
    (r"1 - \sigma(X\theta)", sp.OneMatrix(m, 1) - elementwise(sigmoid, X * Theta)),
    (r"(1-y)^T", (sp.OneMatrix(m, 1) - Y).T),
    (r"(1-y) \cdot \log z", (1 - ys) * sp.log(z)),
]


@pytest.mark.parametrize(("text", "expected"), READINGS)
def test_reading(text, expected):
    assert parse(text) == expected


SCOPES = [
    (r"\log x y", sp.log(xs) * ys),
    (r"\log(x) y", sp.log(xs) * ys),
    (r"\log(x)^2", sp.log(xs) ** 2),
    (r"\log x^2", sp.log(xs**2)),
    (r"\sum_{i=1}^{m} y^{(i)} x_j^{(i)} + z", sp.Sum(y[i] * x[i, j], (i, 1, m)) + z),
    (r"\sum_{i=1}^m y^{(i)}", sp.Sum(y[i], (i, 1, m))),
    (r"\sum^{m}_{i=1} y^{(i)}", sp.Sum(y[i], (i, 1, m))),
    (r"\sum_i y^{(i)}", sp.Sum(y[i], (i, 1, m))),
    (r"\sum_{k} \theta_k", sp.Sum(theta[k], (k, 0, n))),
    (r"\sum_{i=1}^{m} -y^{(i)}", -sp.Sum(y[i], (i, 1, m))),
    (r"\frac{\partial}{\partial \theta_j}(z) z", sp.Derivative(z, theta[j], evaluate=False) * z),
    (r"\frac{\partial}{\partial \theta_j} z \cdot z", sp.Derivative(z**2, theta[j], evaluate=False)),
    (r"\frac{\partial}{\partial \theta_j} \log(z) + z", sp.Derivative(sp.log(z), theta[j], evaluate=False) + z),
]


@pytest.mark.parametrize(("text", "expected"), SCOPES)
def test_argument_scope(text, expected):
    assert parse(text) == expected


def test_prime_of_a_compound_argument_is_a_substituted_derivative():
    value = parse(r"\sigma'(2z)")
    assert value.doit() == sigmoid(2 * z) * (1 - sigmoid(2 * z))


def test_context_from_another_model():
    linear = model_context("linear")
    parsed = parse(r"\frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)})-y^{(i)}\right)x_j^{(i)}", linear)
    assert parsed == get_model("linear").form("sum").gradient
    assert expand_abbreviations(parsed) == sp.Sum((inner(i) - y[i]) * x[i, j], (i, 1, m)) / m
    with pytest.raises(ParseError, match="no hypothesis"):
        parse(r"h_\theta(x^{(i)})", LatexContext())
    custom = LatexContext(costs={"L": sp.Symbol("L")})
    assert parse(r"\frac{\partial L}{\partial \theta_j}", custom) == sp.Derivative(sp.Symbol("L"), theta[j])


def test_the_reader_knows_no_model_unless_told():
    with pytest.raises(ParseError, match="no hypothesis"):
        parse_latex(r"h_\theta(x^{(i)})")
    assert parse_latex(r"J + y^{(i)}") == sp.Symbol("J", real=True) + y[i]  # J is a letter, not a cost
    assert parse_latex(r"\sigma(z)") == sigmoid(z)  # functions are the notation's, not a model's
    for module in Path(parse_latex.__code__.co_filename).parent.glob("*.py"):  # nor imports the catalog
        imports = [node for node in ast.walk(ast.parse(module.read_text())) if isinstance(node, ast.ImportFrom)]
        assert not [node.module for node in imports if node.module and node.module.endswith("models")], module


# --- rejections ----------------------------------------------------------------------------

REJECTED = [
    (r"x \foo", "unknown command \\foo", 2),
    (r"\|x\|", "unknown command \\|", 0),
    (r"a = b", "'=' makes this an equation", 2),
    (r"\frac{a}{b", "unexpected end of input", 10),
    (r"(a]", "unexpected ']', expected ')'", 2),
    (r"|x", "a | with no closing one", 2),
    (r"\max(a, b)", "write \\max(0, a - b) + b", 4),
    (r"a \\ b", "write one formula on one line", 2),
    (r"a & b", "write one formula on one line", 2),
    (r"x^23", "in braces", 2),
    (r"\sigma", "needs an argument", 0),
    (r"\frac{1}{20000000000000000000}", "number too large", 9),  # one bound for both readers
    (r"\sigma + 1", "needs an argument", 0),
    (r"h_\theta", "needs an argument", 0),
    (r"h_\theta x", "in parentheses", 9),
    (r"h_\theta(z)", "takes x^{(i)} or x", 8),
    (r"h_{\alpha}(x)", "hypothesis is written", 2),
    (r"\partial x", "\\partial is read only", 0),
    (r"\frac{\partial J}{\partial (\theta j)}", "parenthesised", 27),
    (r"\frac{\partial J}{x}", "a derivative is written", 0),
    (r"\frac{\partial}{\partial \theta_j}", "needs something to act on", 0),
    (r"\sum x", "needs limits", 0),
    (r"\sum_{l=1} x", "upper limit", 0),
    (r"\sum_l x", "give the range", 5),
    (r"X y^{(i)}", "a matrix times a number", 2),
    (r"X^T (h_\theta(x) - y)", "is a number, not a vector", 5),
    (r"X\theta + z", "is a number, not a vector", 10),
    (r"\theta^T X", "shapes do not match", 9),
    (r"X + y^T", "shapes do not match", 4),
    (r"X^2", "only takes ^T", 2),
    (r"z^T", "^T needs a matrix or a vector", 2),
    (r"x^{(i)}", "vector of example i", 0),
    (r"x^T", "row vector", 0),
    (r"\frac{1}{m} x^T y", "lowercase x is one example", 12),
    (r"\text{hi}", "not math", 0),
    (r"\top", "only as a superscript", 0),
    (r"\log_2 x", "takes no scripts", 5),
    (r"(x+z)'", "ambiguous", 0),
    (r"f'", "is only read after", 0),
    (r"\frac{z}{0}", "division by zero", 8),
    (r"\log 0", "not finite", 5),
    (r"9^{9^{9}}", "too large", 2),
    (r"10^{10^{10^{10}}}", "too large", 7),
    (r"((2^{100})^{100})^{100}", "number too large", 11),
    (r"x_j_k", "double subscript", 0),
    (r"", "empty input", 0),
    (r"$$", "empty input", 0),
    ("{" * 150 + "z" + "}" * 150, "nested too deeply", None),
    ("z" * 20_000, "input too long", 10_000),
]


@pytest.mark.parametrize(("text", "fragment", "position"), REJECTED)
def test_rejected_with_position(text, fragment, position):
    start = time.process_time()
    with pytest.raises(ParseError) as info:
        parse(text)
    assert time.process_time() - start < 1.0
    assert fragment in str(info.value)
    if position is not None:
        assert info.value.position == position, str(info.value)
    assert "\n" not in str(info.value)


def test_error_message_and_caret():
    with pytest.raises(ParseError) as info:
        parse(r"\frac{1}{m} \foo")
    assert str(info.value) == r"col 12: unknown command \foo"
    assert info.value.caret() == "\\frac{1}{m} \\foo\n" + " " * 12 + "^"


# --- split_chain ---------------------------------------------------------------------------


def test_split_chain_layouts():
    aligned = (
        r"\begin{equation} \begin{aligned} \sigma(z) &= \frac{1}{1+e^{-z}} \\ "
        r"&= \frac{e^{z}}{1+e^{z}} \end{aligned} \end{equation}"
    )
    assert split_equalities(aligned) == [r"\sigma(z)", r"\frac{1}{1+e^{-z}}", r"\frac{e^{z}}{1+e^{z}}"]
    marked = r"a \overset{\text{def}}{=} b \stackrel{(1)}{=} c \underset{\mathrm{cancel}}{=} d"
    assert [link.annotation for link in split_chain(marked)] == [None, "def", "(1)", "cancel"]
    assert split_equalities(r"$$a=b.$$") == ["a", "b"]
    assert split_equalities(r"\begin{align*} &= a \\ &= b \end{align*}") == ["a", "b"]
    assert split_equalities(r"f_{a=b} = c") == ["f_{a=b}", "c"]
    assert split_equalities(r"\underset{x}{y} = z") == [r"\underset{x}{y}", "z"]
    assert split_equalities("a") == ["a"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("a == b", "empty"), ("a = {b", "unbalanced '{'"), ("a} = b", "unbalanced '}'"), ("  ", "empty input")],
)
def test_split_chain_rejections(text, fragment):
    with pytest.raises(ParseError, match=fragment):
        split_chain(text)


# --- fuzzing -------------------------------------------------------------------------------

LATEX_ALPHABET = "xyzXJhgdemnij0129 ^_{}()[]+-*/'=&|\\,.!$~abcfrtsulopq"
LATEX_TOKENS = [
    r"\frac",
    r"\dfrac",
    r"\sum",
    "_",
    "^",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "x",
    "y",
    "X",
    "J",
    "h",
    "g",
    "d",
    r"\theta",
    r"\sigma",
    r"\log",
    r"\ln",
    r"\exp",
    "e",
    "i",
    "j",
    "k",
    "m",
    "n",
    "z",
    "1",
    "2",
    "9",
    "0.5",
    "-",
    "+",
    "*",
    "/",
    r"\cdot",
    r"\times",
    "'",
    r"\partial",
    r"\top",
    "T",
    r"\mathbf",
    r"\boldsymbol",
    r"\mathcal",
    r"\left",
    r"\right",
    r"\big",
    r"\sqrt",
    r"\lambda",
    r"\alpha",
    r"\foo",
    r"\text",
    r"\,",
    r"\small",
    "=",
    " ",
    r"\\",
    "&",
    r"\underset",
    r"\intercal",
    "$",
]


@settings(deadline=None, max_examples=300)  # no wall clock: CI is loaded
@given(st.text(alphabet=LATEX_ALPHABET, max_size=80))
def test_fuzz_latex_characters(text):
    _never_crashes(text)


@settings(deadline=None, max_examples=300)  # no wall clock: CI is loaded
@given(st.lists(st.sampled_from(LATEX_TOKENS), max_size=50).map("".join))
def test_fuzz_latex_tokens(text):
    _never_crashes(text)


@settings(deadline=None, max_examples=200)  # no wall clock: CI is loaded
@given(st.sampled_from(split_equalities(SEED_000_CHAIN) + SEED_002), st.data())
def test_fuzz_mutated_seed_formulas(text, data):
    cut = data.draw(st.integers(0, len(text)))
    insert = data.draw(st.sampled_from(LATEX_TOKENS))
    _never_crashes(text[:cut] + insert + text[cut + data.draw(st.integers(0, 3)) :])


def _never_crashes(text: str) -> None:
    start = time.process_time()
    for reader in (parse_latex, split_chain):
        try:
            reader(text)
        except ParseError as err:
            assert err.position is None or 0 <= err.position <= len(text)
            assert "\n" not in str(err)
    assert time.process_time() - start < 1.0


# --- what our own exports print: Kronecker deltas, matrix elements, I, e_0, diag, ⊙, 𝟏 ------------

KRONECKER = [
    (r"\delta_{jk}", sp.KroneckerDelta(j, k)),
    (r"\delta_{j k}", sp.KroneckerDelta(j, k)),
    (r"\delta_{j,k}", sp.KroneckerDelta(j, k)),
    (r"\delta_{j0}", sp.KroneckerDelta(j, 0)),
    (r"\delta_{j 0}", sp.KroneckerDelta(j, 0)),
    (r"\delta_{0j}", sp.KroneckerDelta(0, j)),
    (r"\delta_{j l}", sp.KroneckerDelta(j, l)),
    (r"\delta_{j,k+1}", sp.KroneckerDelta(j, k + 1)),
    (r"1 - \delta_{j 0}", 1 - sp.KroneckerDelta(j, 0)),
    (r"\sum_{k=0}^{n} \delta_{j k} \theta_k", sp.Sum(sp.KroneckerDelta(j, k) * theta[k], (k, 0, n))),
]


@pytest.mark.parametrize(("text", "expected"), KRONECKER)
def test_kronecker_delta_is_read_with_the_notation_index_symbols(text, expected):
    parsed = parse(text)
    assert parsed == expected
    assert not parsed.atoms(sp.Indexed) - {theta[k]}  # no delta[j*k]


def test_indices_side_by_side_are_a_list_not_a_product():
    w = sp.IndexedBase("w", real=True)
    assert parse(r"w_{jk}") == w[j, k]
    assert parse(r"w_{j,k}") == w[j, k]
    assert parse(r"\theta_{2 \cdot j}") == theta[2 * j]  # an explicit product is one index
    assert parse(r"\theta_{10}") == theta[10]
    assert parse(r"x_{l}^{(i)}") == x[i, l]


@pytest.mark.parametrize(
    ("text", "fragment", "position"),
    [
        (r"\delta_{10}", "ambiguous", 7),
        (r"\delta_{j10}", "one digit each", 9),
        (r"\delta_{jkl}", "two indices, not 3", 7),
        (r"\theta_{jk}", "takes one index here, not 2", 7),
        (r"\theta_{2j}", "takes one index here, not 2", 7),
        (r"x_{jk}^{(i)}", "takes one index here, not 2", 2),
        (r"y_{j,k}", "takes one index here, not 2", 2),
        (r"\frac{a,b}{c}", "indices of a subscript", 5),
        (r"x^{a,b}", "indices of a subscript", 2),
        (r"f(a, b)", "unexpected ','", 3),
    ],
)
def test_index_lists_that_cannot_be_read_are_rejected(text, fragment, position):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert fragment in str(info.value) and info.value.position == position, str(info.value)


GRADIENT_ELEMENT = r"\left[ \frac{1}{m} X^{\top} \left(\sigma\left(X \theta\right) - y\right) \right]_{j}"


def test_a_subscript_on_a_bracketed_matrix_is_an_element():
    column = X.T * (elementwise(sigmoid, X * Theta) - Y) / m
    assert parse(GRADIENT_ELEMENT) == MatrixElement(column, j, 0)
    assert parse(GRADIENT_ELEMENT) == MatrixElement(get_model("logistic").matrix_gradient, j, 0)
    assert parse(r"-[X^T y]_j") == -MatrixElement(X.T * Y, j, 0)
    assert parse(r"[y^T X]_j") == MatrixElement(Y.T * X, 0, j)
    # one entry per example: examples are numbered 1..m, example i is row i - 1
    assert parse(r"(X\theta)_{i}") == MatrixElement(X * Theta, i - 1, 0)
    assert parse(r"\sigma(X\theta)_i") == MatrixElement(elementwise(sigmoid, X * Theta), i - 1, 0)
    rows = parse(r"\frac{1}{m} \sum_{i=1}^{m} \left[X\theta - y\right]_i x_j^{(i)}")
    assert verify_equality(rows, get_model("linear").form("sum").gradient).ok
    gram = X.T * X / m
    for text in (r"[\frac{1}{m} X^T X]_{j,l}", r"\left[ \frac{1}{m} X^{\top} X \right]_{j,l}"):
        assert parse(text) == MatrixElement(gram, j, l)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [(r"[z]_j", "vector or a matrix inside"), (r"[X^T X]_{j}", "takes two indices"), (r"[X\theta]_{j,k,l}", "two")],
)
def test_a_subscript_on_a_bracket_that_is_not_an_element_is_rejected(text, fragment):
    with pytest.raises(ParseError, match=fragment):
        parse(text)


def test_unit_vector_identity_diag_hadamard_and_ones():
    mask = sp.Identity(n + 1) - E0 * E0.T
    assert parse(r"e_{0}") == E0 and parse(r"e_0^{\top}") == E0.T
    assert parse(r"\left(I - e_{0} e_{0}^{\top}\right) \theta") == mask * Theta
    assert parse(r"I_{n+1}") == sp.Identity(n + 1)
    h = elementwise(sigmoid, X * Theta)
    weights = sp.HadamardProduct(sp.OneMatrix(m, 1) - h, h)
    weighted = r"\left(\left(\mathbf{1} - \sigma\left(X \theta\right)\right) \odot \sigma\left(X \theta\right)\right)"
    for diag in (r"\operatorname{diag}", r"\mathrm{diag}", r"\text{diag}", r"\diag"):
        assert parse(diag + weighted) == DiagMatrix(weights)
    assert parse(r"y \circ (1 - y)") == sp.HadamardProduct(Y, sp.OneMatrix(m, 1) - Y)
    # ⊙ binds looser than a product side by side (83cf946): Xθ ⊙ y is (Xθ) ⊙ y on either side, as written
    assert parse(r"X\theta \odot y") == sp.HadamardProduct(X * Theta, Y)
    assert parse(r"y \odot X \theta") == sp.HadamardProduct(Y, X * Theta)
    assert parse(r"\mathbf{1}^T y") == sp.OneMatrix(1, m) * Y
    assert parse(r"X^T \mathbf{1}") == X.T * sp.OneMatrix(m, 1)
    hessian = sp.Symbol("lambda", positive=True) / m * mask + X.T * DiagMatrix(weights) * X / m
    text = (
        r"\frac{\lambda}{m} \left(I - e_{0} e_{0}^{\top}\right) + \frac{1}{m} X^{\top} \operatorname{diag}\left("
        r"\left(\mathbf{1} - \sigma\left(X \theta\right)\right) \odot \sigma\left(X \theta\right)\right) X"
    )
    assert verify_equality(MatrixElement(parse(text), j, l), MatrixElement(hessian, j, l)).ok


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("I", "size of I"),
        ("I + z", "size of I"),
        (r"\mathbf{1}", r"size of \mathbf{1}"),
        (r"\mathbf{1} X", r"length of \mathbf{1}"),
        (r"\sigma(\mathbf{1})", r"size of \mathbf{1}"),
        ("e_1", "except e_0"),
        ("e_{j}", "except e_0"),
        (r"2 \odot 3", r"\odot multiplies"),
        (r"\operatorname{diag}(z)", "diag takes a column vector"),
        (r"\operatorname{diag}(X)", "diag takes a column vector"),
    ],
)
def test_matrix_notation_that_cannot_be_read_is_rejected(text, fragment):
    with pytest.raises(ParseError, match=re.escape(fragment)):
        parse(text)


def test_second_derivatives():
    cost = LOGISTIC.costs["J"]
    hessian_goal = r"\frac{\partial^{2} J\left(\theta\right)}{\partial \theta_{j} \partial \theta_{l}}"
    assert parse(hessian_goal) == sp.Derivative(cost, theta[j], theta[l], evaluate=False)
    second = sp.Derivative(theta[j] ** 3, (theta[j], 2))
    assert parse(r"\frac{\partial^2}{\partial \theta_j^2} \theta_j^3") == second
    assert parse(r"\frac{d^2}{dz^2} z^3") == sp.Derivative(z**3, (z, 2))
    assert parse(r"\frac{\partial \theta_{j}}{\partial \theta_{l}}") == sp.Derivative(theta[j], theta[l])
    with pytest.raises(ParseError, match="order of the derivative does not match"):
        parse(r"\frac{\partial^2 J}{\partial \theta_j}")


def _derived(name: str, form: str):
    """Each catalog derivation once per test process (tests/derived.py): deriving them all costs seconds."""
    return derived_hessian(name) if form == "hessian" else derived(name, form)


def _catalog_exports():
    for name, model in MODELS.items():
        if CATALOG[name].python:  # written in Python syntax: the LaTeX readers of |·|, ReLU and Φ are not ready
            continue
        forms = [*model.forms, *(["hessian"] if name in ("logistic", "logistic-l2", "linear") else [])]
        for form in forms:
            yield f"{name}-{form}", name, form  # derived in the test: collection stays fast in every worker


@pytest.mark.parametrize("name", ["logistic", "logistic-l2", "linear"])
def test_every_line_of_the_gradient_and_hessian_exports_reads_back(name):
    context = model_context(name)
    for derivation in (_derived(name, "sum"), _derived(name, "hessian")):
        text = render(derivation, "latex")
        links = split_chain(text)
        expressions = [derivation.goal, *(step.expr for step in derivation.steps)]
        assert len(links) == len(expressions)
        for link, expected in zip(links, expressions, strict=True):
            parsed = parse(link.text, context)
            assert parsed == expected or verify_equality(parsed, expected).ok, (link.text, parsed, expected)


@pytest.mark.parametrize("label", [label for label, _, _ in _catalog_exports()])
def test_every_catalog_export_reads_back(label):
    _, name, form = next(e for e in _catalog_exports() if e[0] == label)
    derivation = _derived(name, form)
    own = model_context(name).hypothesis or MODELS[name].cost_text  # h_θ, or J is the cost the model writes
    context = model_context(name) if own else LOGISTIC
    links = split_chain(render(derivation, "latex"))
    expressions = [derivation.goal, *(step.expr for step in derivation.steps)]
    assert [link.annotation is None for link in links] == [True] + [False] * (len(links) - 1)
    for link, expected in zip(links, expressions, strict=True):
        parsed = parse(link.text, context)
        assert parsed == expected or verify_equality(parsed, expected).ok, (link.text, parsed, expected)


# --- split_chain: leading '=', continuation rows, positions ---------------------------------------


def test_split_chain_keeps_the_annotation_of_a_leading_equals():
    (link,) = split_chain(r"\underset{\text{lin}}= b")
    assert (link.annotation, link.text, link.relation) == ("lin", "b", (0, 22))
    links = split_chain(r"\begin{align*} &\underset{\text{def}}{=} a \\ &= b \end{align*}")
    assert [(link.annotation, link.text) for link in links] == [("def", "a"), (None, "b")]


def test_split_chain_joins_continuation_rows_into_the_side():
    text = (
        "a &\\underset{\\text{lin}}{=} b + c \\\\\n"
        "&\\hphantom{\\underset{\\text{lin}}{=}} \\qquad - d \\\\[1ex]\n"
        " &\\underset{\\text{cancel}}{=} e"
    )
    links = split_chain(text)
    assert [link.annotation for link in links] == [None, "lin", "cancel"]
    middle = links[1]
    assert middle.rows == ("b + c", r"\qquad - d") and middle.text == r"b + c \qquad - d"
    assert "hphantom" not in middle.text and "hphantom" not in middle.source
    assert text[middle.start : middle.end].startswith("b + c") and text[middle.start : middle.end].endswith("- d")
    assert len(middle.source) == middle.end - middle.start
    assert middle.source.split() == ["b", "+", "c", r"\qquad", "-", "d"]
    assert text[slice(*middle.relation)] == r"\underset{\text{lin}}{=}"
    assert parse(middle.text) == parse("b + c - d")


def test_split_chain_positions_point_into_the_text():
    text = r"$$\frac{d}{dz} z^2 \underset{\text{power rule}}{=} 2 \foo z$$"
    first, second = split_chain(text)
    assert text[first.start : first.end] == r"\frac{d}{dz} z^2" and first.relation is None
    assert text[slice(*second.relation)] == r"\underset{\text{power rule}}{=}"
    with pytest.raises(ParseError) as info:
        parse(second.source)
    assert text[second.start + info.value.position :].startswith(r"\foo")


def test_split_chain_reads_one_chain():
    assert split_equalities("a = \\\\ b = c") == ["a", "b", "c"]  # a line broken after '='
    with pytest.raises(ParseError, match="second equation") as info:
        split_chain(r"a &= b \\ c &= d")
    assert info.value.position == r"a &= b \\ c &= d".index("c")
    with pytest.raises(ParseError, match="second equation"):
        split_chain(r"a = b, \qquad c = d")
    with pytest.raises(ParseError, match="empty"):
        split_chain(r"a = \\ = b")


NEW_TOKENS = [
    r"\odot", r"\circ", r"\operatorname{diag}", r"\text{diag}", r"\mathbf{1}", "I", "e_0", "e", "_", "{", "}", ",",
    r"\delta", "j", "k", "0", "1", "(", ")", r"\left[", r"\right]", "[", "]", "X", r"\theta", "y", r"\partial",
    "^{2}", r"\frac", "=", r"\\", "&", r"\hphantom{", r"\underset{x}", "^T", " ",
]  # fmt: skip


@settings(deadline=None, max_examples=300)  # no wall clock: CI is loaded
@given(st.lists(st.sampled_from(NEW_TOKENS), max_size=40).map("".join))
def test_fuzz_matrix_and_index_notation(text):
    _never_crashes(text)


# --- what users write: ŷ, X', x_{ij}, x_i, \cfrac, \{ \}, (w, b), defined names -------------------------

H = model_context("logistic").hypothesis


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"\hat{y}^{(i)} - y^{(i)}", H(i) - y[i]),
        (r"\hat y_i - y_i", H(i) - y[i]),
        (r"\widehat{y}_{i}", H(i)),
        (r"x_{ij} + x_{i,j}", 2 * x[i, j]),
        (r"\cfrac{1}{m} + \tfrac12", 1 / m + sp.Rational(1, 2)),
        (r"\mathrm{d} + \vec{\theta}_j", sp.Symbol("d", real=True) + theta[j]),
        (r"\left\{ 1 - y^{(i)} \right\}", 1 - y[i]),
        (r"h_\theta(x_i)", H(i)),
        (r"\sigma(\theta^T x_i)", sigmoid(inner(i))),
    ],
)
def test_users_notation(text, expected):
    assert parse(text) == expected


def test_x_prime_and_tilde_x_are_x_with_its_ones_column():
    plain = parse(r"\frac{1}{m} X^T(\sigma(X\theta) - y)")
    assert parse(r"\frac{1}{m} X'^T(\sigma(X'\theta) - y)") == plain
    assert parse(r"\frac{1}{m} \tilde{X}^\top(\sigma(\tilde X\theta) - y)") == plain
    assert parse(r"\frac{1}{m} X^T(\hat{y} - y)") == plain  # ŷ without an index: the vector of predictions


def test_the_weights_and_bias_convention():
    wb = LatexContext(LOGISTIC.hypothesis, LOGISTIC.example_hypothesis, LOGISTIC.costs, weights=True)
    assert parse(r"w_j + b", wb) == theta[j] + theta[0]
    assert parse(r"w^T x_i", wb) == sp.Sum(theta[k] * x[i, k], (k, 1, n))  # x without its ones column
    with pytest.raises(ParseError, match=r"read in a \(w, b\) document; here write \\theta\^T x"):
        parse(r"w^T x_i", LOGISTIC)  # w is a plain letter otherwise, and the message says what to write
    assert isinstance(parse(r"X w + b", wb), sp.MatrixExpr)


def test_a_vector_formula_reads_x_of_example_i_as_its_entry_j():
    vector = LatexContext(LOGISTIC.hypothesis, LOGISTIC.example_hypothesis, LOGISTIC.costs, feature=j)
    expected = sp.Sum((H(i) - y[i]) * x[i, j], (i, 1, m))
    assert parse(r"\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x^{(i)}", vector) == expected
    assert parse(r"\sum_{i=1}^m (\hat y_i - y_i) x_i", vector) == expected
    with pytest.raises(ParseError, match="vector of example i"):
        parse(r"\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x^{(i)}")


def test_names_a_document_defines_are_read_first():
    p = sp.IndexedBase("p")
    defined = {"p": lambda row: p[row], r"\hat{y}": lambda row: sigmoid(inner(row)), r"\alpha": lambda: z}
    context = LatexContext(LOGISTIC.hypothesis, LOGISTIC.example_hypothesis, LOGISTIC.costs, defined=defined)
    assert parse(r"p_i - \hat{y}^{(i)} + \alpha", context) == p[i] - sigmoid(inner(i)) + z
    with pytest.raises(ParseError, match="another number of indices"):
        parse(r"\alpha_i", context)


def test_no_message_names_a_python_function():
    for text in (r"a = b", r"a \\ b", r"a & b"):
        with pytest.raises(ParseError) as info:
            parse(text)
        assert "()" not in str(info.value) and "split_chain" not in str(info.value)


# --- θ written by its entries -------------------------------------------------------------------

_ZEROED = r"\frac{\lambda}{m}"


@pytest.mark.parametrize(
    ("vector", "bias_kept"),
    [
        (r"\begin{bmatrix}0\\ \theta_1\\ \vdots\\ \theta_n\end{bmatrix}", False),
        (r"\begin{pmatrix}\theta_0 \\ \theta_1 \\ \vdots \\ \theta_n\end{pmatrix}", True),
        (r"[0, \theta_1, \dots, \theta_n]^T", False),
        (r"(0, \theta_1, \ldots, \theta_n)^T", False),
        (r"(\theta_0, \theta_1, \cdots, \theta_n)^T", True),
    ],
)
def test_theta_by_its_entries_is_a_column(vector: str, bias_kept: bool) -> None:
    from derivation.core.notation import E0, Theta
    from derivation.core.notation import lam as lam_symbol
    from derivation.parsing.layout import blank_layout

    value = parse_latex(blank_layout(_ZEROED + vector))
    expected = Theta if bias_kept else Theta - E0 * E0.T * Theta
    assert isinstance(value, sp.MatrixExpr) and value.shape[1] == 1
    assert value == lam_symbol / m * expected


@pytest.mark.parametrize(
    "vector",
    [r"(0, \theta_2, \dots, \theta_n)^T", r"(0, \dots, \theta_n)^T", r"(\theta_0, \theta_1, \dots)^T"],
)
def test_other_vectors_by_entries_say_how_to_write_them(vector: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_latex(vector)
    assert "write the vector as (0, \\theta_1, \\dots, \\theta_n)" in str(info.value)
