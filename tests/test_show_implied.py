r"""`show --cost` meets two common ways of writing a cost: an undefined prediction (h_θ, f_{w,b}, ŷ) read as
the model its textbook cost goes with, and the loss of one example, derived per example.

Every shown result is judged here, not by the tool's own checks: it is evaluated on random data (its sums done,
its matrices made explicit) and compared with ``sympy.diff`` of the cost written out in plain SymPy, and with
NumPy central differences of the same cost as a NumPy function.
"""

from __future__ import annotations

import functools
import json

import numpy as np
import pytest
import sympy as sp

from derivation.cli import main
from derivation.core.notation import E0, Theta, X, Y, j, m, n, theta, x, y, y_example
from derivation.derive import costs as derive_costs
from derivation.models.costs import CostError, OneExampleLossError, read_cost

derive_cost = functools.lru_cache(derive_costs.derive_cost)  # the CLI's tests below reuse these derivations

ROWS, FEATURES = 4, 2  # m examples, n features (θ has n + 1 entries, x_0 = 1)
RNG = np.random.default_rng(7)
DATA_X = np.hstack([np.ones((ROWS, 1)), RNG.normal(size=(ROWS, FEATURES))])
THETA = RNG.normal(size=FEATURES + 1) * 0.5
LABELS01 = np.array([1.0, 0.0, 1.0, 0.0])
REAL = RNG.normal(size=ROWS)


def _sigmoid(u):
    return 1 / (1 + np.exp(-u))


# --- the oracle: the costs written out by hand, sympy.diff and NumPy finite differences ------------------------


def _sympy_gradient(cost_of, data_x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """sympy.diff of ``cost_of(t, rows, labels)``, the cost written out over symbols t_0..t_n, at THETA."""
    t = sp.symbols(f"t0:{FEATURES + 1}", real=True)
    rows = [sp.Matrix(1, FEATURES + 1, list(map(sp.Float, r))) for r in data_x]
    cost = cost_of(sp.Matrix(t), rows, [sp.Float(v) for v in labels])
    at = dict(zip(t, map(sp.Float, THETA), strict=True))
    return np.array([float(sp.diff(cost, tk).subs(at)) for tk in t])


def _finite_differences(cost_of, data_x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    h = 1e-6
    steps = np.eye(FEATURES + 1) * h
    return np.array(
        [(cost_of(THETA + s, data_x, labels) - cost_of(THETA - s, data_x, labels)) / (2 * h) for s in steps]
    )


def _shown(expr: sp.Expr, data_x: np.ndarray, labels: np.ndarray, one: bool = False) -> np.ndarray:
    """The shown result ∂/∂θ_j evaluated for j = 0..n on the data: sums done, θ, x, y (or X, θ, y) made numbers.
    ``one``: a one-example result, x the first row of the data and y its label."""
    sizes = {m: ROWS, n: FEATURES}
    matrices = {
        X: sp.ImmutableMatrix(data_x),
        Theta: sp.ImmutableMatrix(THETA),
        Y: sp.ImmutableMatrix(labels),
        E0: sp.ImmutableMatrix(np.eye(FEATURES + 1)[:, :1]),  # the unit vector that picks the bias θ_0
    }
    values = []
    for jj in range(FEATURES + 1):
        e = expr.xreplace({j: sp.Integer(jj), **matrices}).xreplace(sizes).doit()
        e = e.replace(lambda a: isinstance(a, sp.Indexed), lambda a: _number(a, data_x, labels, one))
        e = e.subs(y_example, labels[0])
        values.append(float(sp.N(e.doit())))
    return np.array(values)


def _number(a: sp.Indexed, data_x: np.ndarray, labels: np.ndarray, one: bool) -> sp.Float:
    indices = [int(v) for v in a.indices]
    if a.base == theta:
        return sp.Float(THETA[indices[0]])
    if a.base == x:
        return sp.Float(data_x[0, indices[0]] if one else data_x[indices[0] - 1, indices[1]])  # examples 1..m
    if a.base == y:
        return sp.Float(labels[indices[0] - 1])
    raise AssertionError(f"unexpected {a}")


def _agrees(shown: np.ndarray, *oracles: np.ndarray) -> None:
    for oracle in oracles:
        np.testing.assert_allclose(shown, oracle, rtol=1e-6, atol=1e-8)


# the costs as written by hand: average cross-entropy of σ(θᵀx), half mean squared error of θᵀx
def _ce_sympy(t, rows, labels):
    return -sum(
        yy * sp.log(1 / (1 + sp.exp(-(r * t)[0]))) + (1 - yy) * sp.log(1 - 1 / (1 + sp.exp(-(r * t)[0])))
        for r, yy in zip(rows, labels, strict=True)
    ) / len(rows)


def _ce_numpy(th, data_x, labels):
    p = _sigmoid(data_x @ th)
    return -np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))


def _se_sympy(t, rows, labels):
    return sum(((r * t)[0] - yy) ** 2 for r, yy in zip(rows, labels, strict=True)) / (2 * len(rows))


def _se_numpy(th, data_x, labels):
    return np.sum((data_x @ th - labels) ** 2) / (2 * len(labels))


CE_H = r"-\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}\log h_\theta(x^{(i)}) + (1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right]"
SE_H = r"\frac{1}{2m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})^2"
SE_F = r"\frac{1}{2m}\sum_{i=1}^m (f_{\mathbf{w},b}(\mathbf{x}^{(i)}) - y^{(i)})^2"
CE_HAT = r"-\frac{1}{m}\sum_{i=1}^m \left[(1-y^{(i)})\log(1-\hat{y}^{(i)}) + y^{(i)}\log \hat{y}^{(i)}\right]"
SE_HAT_REVERSED = r"\frac{1}{2m}\sum_{i=1}^m (y^{(i)} - \hat{y}^{(i)})^2"


@pytest.mark.parametrize(
    ("text", "labels", "sympy_cost", "numpy_cost", "read_as"),
    [
        (CE_H, LABELS01, _ce_sympy, _ce_numpy, "h_θ(x) is not defined in the cost: read as σ(θᵀx)"),
        (SE_H, REAL, _se_sympy, _se_numpy, "h_θ(x) is not defined in the cost: read as θᵀx,"),
        (SE_F, REAL, _se_sympy, _se_numpy, "f_{w,b}(x) is not defined in the cost: read as wᵀx + b,"),
        (CE_HAT, LABELS01, _ce_sympy, _ce_numpy, "ŷ is not defined in the cost: read as σ(θᵀx)"),
        (SE_HAT_REVERSED, REAL, _se_sympy, _se_numpy, "ŷ is not defined in the cost: read as θᵀx,"),
    ],
)
def test_an_undefined_prediction_is_read_as_its_textbook_model(text, labels, sympy_cost, numpy_cost, read_as):
    d = derive_cost(text)
    title, note = d.title.split("\n")
    assert title == "Your cost: ∂J(θ)/∂θ_j" and note.startswith(read_as)
    assert "define it beside the cost (, \\quad" in note
    shown = _shown(d.result, DATA_X, labels)
    _agrees(shown, _sympy_gradient(sympy_cost, DATA_X, labels), _finite_differences(numpy_cost, DATA_X, labels))


def test_a_penalty_beside_the_textbook_cost_keeps_the_reading():
    d = derive_cost(SE_H + r" + \frac{\lambda}{2m}\sum_{j=1}^n \theta_j^2")
    assert "read as θᵀx" in d.title
    lam = sp.Symbol("lambda", positive=True)
    shown = _shown(d.result.subs(lam, sp.Rational(3, 10)), DATA_X, REAL)
    penalty = np.r_[0.0, THETA[1:]] * 0.3 / ROWS
    _agrees(shown, _sympy_gradient(_se_sympy, DATA_X, REAL) + penalty)


def test_a_definition_beside_the_cost_wins():
    d = derive_cost(SE_H + r", \quad h_\theta(x) = \sigma(\theta^T x)")
    assert "\n" not in d.title  # nothing implied

    def sq_sigmoid(t, rows, labels):
        return sum((1 / (1 + sp.exp(-(r * t)[0])) - yy) ** 2 for r, yy in zip(rows, labels, strict=True)) / (
            2 * len(rows)
        )

    def sq_sigmoid_np(th, data_x, labels):
        return np.sum((_sigmoid(data_x @ th) - labels) ** 2) / (2 * len(labels))

    shown = _shown(d.result, DATA_X, REAL)
    _agrees(shown, _sympy_gradient(sq_sigmoid, DATA_X, REAL), _finite_differences(sq_sigmoid_np, DATA_X, REAL))


@pytest.mark.parametrize(
    "text",
    [
        r"\frac{1}{m}\sum_{i=1}^m e^{h_\theta(x^{(i)})}",  # another use of h: never guessed
        r"\frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})^4",
        r"-\frac{1}{m}\sum_{i=1}^m y^{(i)}\log h_\theta(x^{(i)})",  # half the cross-entropy
        r"\frac{1}{m}\sum_{i=1}^m \log(1 + e^{-y^{(i)} h_\theta(x^{(i)})})",
        r"\frac{1}{2m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})^2 + h_\theta(x^{(1)})",
    ],
)
def test_any_other_use_of_an_undefined_prediction_is_still_refused(text):
    with pytest.raises(CostError, match="has no hypothesis h_\\\\theta; write h_θ out"):
        read_cost(text)


# --- the loss of one example ---------------------------------------------------------------------------------


def _one(expr_of):
    """A one-example loss over the first row of the data, as sympy and NumPy costs of the oracle."""

    def as_sympy(t, rows, labels):
        return expr_of((rows[0] * t)[0], labels[0], sp)

    def as_numpy(th, data_x, labels):
        return expr_of(data_x[0] @ th, labels[0], np)

    return as_sympy, as_numpy


def _sq(u, label, lib):
    return (u - label) ** 2 / 2


def _xent(u, label, lib):
    s = 1 / (1 + lib.exp(-u))
    return -label * lib.log(s) - (1 - label) * lib.log(1 - s)


def _hinge(u, label, lib):
    return lib.Max(0, 1 - label * u) if lib is sp else np.maximum(0, 1 - label * u)


@pytest.mark.parametrize(
    ("text", "labels", "loss"),
    [
        (r"\frac{1}{2}(\theta^T x - y)^2", REAL, _sq),
        (r"\frac{1}{2}(w^T x + b - y)^2", REAL, _sq),
        (r"-y\log\sigma(\theta^T x) - (1-y)\log(1-\sigma(\theta^T x))", LABELS01, _xent),
        (r"-y\log h_\theta(x) - (1-y)\log(1-h_\theta(x))", LABELS01, _xent),
        (r"\max(0, 1 - y\,\theta^T x)", np.array([1.0, -1, 1, -1]), _hinge),
    ],
)
def test_the_loss_of_one_example_is_derived_per_example(text, labels, loss):
    d = derive_cost(text)
    lines = d.title.split("\n")
    assert lines[0] == "Your loss of one example: ∂ℓ/∂θ_j"
    assert "this is the loss of one example" in lines[-1] and "averages it: (1/m) Σᵢ" in lines[-1]
    assert ("h_θ(x) is not defined in the cost: read as σ(θᵀx)" in lines[1]) == ("h_" in text)
    as_sympy, as_numpy = _one(loss)
    shown = _shown(d.result, DATA_X, labels, one=True)
    _agrees(shown, _sympy_gradient(as_sympy, DATA_X, labels), _finite_differences(as_numpy, DATA_X, labels))


def test_one_example_stays_refused_where_a_cost_over_the_examples_is_needed():
    with pytest.raises(OneExampleLossError, match="a cost sums it over the examples"):
        read_cost(r"\frac{1}{2}(\theta^T x - y)^2")
    with pytest.raises(CostError, match="--hessian takes such a cost"):
        derive_cost(r"\frac{1}{2}(\theta^T x - y)^2", hessian=True)
    with pytest.raises(CostError, match="has no hypothesis"):  # an undefined h in another use, one example
        derive_cost(r"e^{h_\theta(x)} - y")


# --- the command line: the reading is the first line after the title in every format -------------------------


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(["show", *args])  # through derive_cost, cached
    return code, capsys.readouterr().out


def test_the_reading_comes_first_in_every_format(capsys, monkeypatch):
    monkeypatch.setattr(derive_costs, "derive_cost", lambda *args, **kw: derive_cost(*args, **kw))
    code, text = _run(capsys, "--cost", SE_H)
    lines = text.splitlines()
    assert code == 0 and lines[0] == "Your cost: ∂J(θ)/∂θ_j" and lines[1].startswith("h_θ(x) is not defined")
    code, markdown = _run(capsys, "--cost", SE_H, "--format", "markdown")
    assert markdown.splitlines()[2].startswith("h_θ(x) is not defined")
    code, latex = _run(capsys, "--cost", SE_H, "--format", "latex", "--standalone")
    after = latex.splitlines()[
        latex.splitlines().index(next(r for r in latex.splitlines() if r.startswith("\\section*"))) + 1
    ]
    assert after.startswith(r"\noindent $h_\theta (x)$ is not defined in the cost")
    code, raw = _run(capsys, "--cost", SE_H, "--format", "json")
    data = json.loads(raw)
    assert list(data)[:2] == ["title", "notes"] and data["notes"][0].startswith("h_θ(x) is not defined")
    code, text = _run(capsys, "--cost", r"\frac{1}{2}(\theta^T x - y)^2")
    assert code == 0 and text.splitlines()[1].startswith("this is the loss of one example")


def test_an_undefined_prediction_in_another_use_is_a_usage_error(capsys):
    assert main(["show", "--cost", r"\frac{1}{m}\sum_{i=1}^m e^{h_\theta(x^{(i)})}"]) == 2
    assert "write h_θ out" in capsys.readouterr().err
