"""Softmax regression and the multiclass SVM: closed forms, functions and the engine's derivation, against oracles
that share nothing with them: NumPy/SciPy costs written here, central differences, scikit-learn's optimum.

Classes are 1..K in the sum form and columns 0..K−1 of W and ys here (core.notation).
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.special
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derivation.core.family import CLASS_MODELS, softmax_cost, svm_cost
from derivation.core.functions.softmax import LogSumExp, Softmax
from derivation.core.notation import K, W, c, j, m, n, x, y
from derivation.derive import engine
from derivation.derive.vectorise import vectorise
from derivation.oracle.canonical import evaluate_derivatives, plain, write_out_sums
from derivation.oracle.evaluator import Evaluator
from derivation.printing.expr import to_unicode

SIZES = (5, 2, 3)  # m, n, K: m ≠ n + 1 ≠ K, so a transposed or misplaced axis shows


def _data(seed: int, sizes=SIZES):
    rng = np.random.default_rng(seed)
    rows, features, classes = sizes
    xs = rng.normal(size=(rows, features + 1)).round(2)
    xs[:, 0] = 1.0
    labels = np.arange(rows) % classes  # every class present
    rng.shuffle(labels)
    return xs, rng.normal(size=(features + 1, classes)).round(2), np.eye(classes)[labels]


# --- the costs, written here in NumPy/SciPy (independent of our trees) -----------------------------


def _softmax_cost(xs, ws, ys, lam=0.0):
    return -np.sum(ys * scipy.special.log_softmax(xs @ ws, axis=1)) / len(xs) + lam / (2 * len(xs)) * np.sum(ws**2)


def _svm_cost(xs, ws, ys):
    scores = xs @ ws
    true = np.sum(scores * ys, axis=1, keepdims=True)
    return np.sum((1 - ys) * np.maximum(0.0, scores - true + 1)) / len(xs)


def _central(cost, ws, h=1e-6):
    out = np.zeros_like(ws)
    for idx in np.ndindex(ws.shape):
        up, down = ws.copy(), ws.copy()
        up[idx] += h
        down[idx] -= h
        out[idx] = (cost(up) - cost(down)) / (2 * h)
    return out


class _Leaves:
    """X, W, ys and λ for the one evaluator; a free j or c (sum form) runs over every feature / class."""

    points = 1

    def __init__(self, xs, ws, ys, lam=0.7):
        self.mats = {"X": xs, "W": ws, "Y": ys}
        self.lam = lam
        rows, cols = xs.shape[0], xs.shape[1] - 1
        self.sizes = {m: rows, n: cols, K: ws.shape[1]}

    def symbol(self, node):
        from derivation.oracle.evaluator import EXAMPLE, FEATURE, on_axis

        if node in self.sizes:
            return self.sizes[node]
        if node == j:
            return on_axis(np.arange(self.sizes[n] + 1), FEATURE)
        if node == c:
            return on_axis(np.arange(1, self.sizes[K] + 1), EXAMPLE)  # classes 1..K as written
        if node.name == "lambda":
            return self.lam
        raise KeyError(node)

    def indexed(self, node, indices):
        name = str(node.base.label)
        if name == "x":
            return self.mats["X"][np.asarray(indices[0]) - 1, indices[1]]
        if name == "y":
            return self.mats["Y"][np.asarray(indices[0]) - 1, np.asarray(indices[1]) - 1]
        if name == "W":
            return self.mats["W"][indices[0], np.asarray(indices[1]) - 1]
        raise KeyError(name)

    def matrix(self, node):
        return self.mats[node.name][np.newaxis]


def _matrix_value(expr, xs, ws, ys, lam=0.7):
    return np.asarray(Evaluator(_Leaves(xs, ws, ys, lam)).matrix(expr), dtype=float)[0]


def _sum_form_value(expr, xs, ws, ys, lam=0.7):
    """A sum form with free j and c as an (n+1) × K array."""
    value = np.asarray(Evaluator(_Leaves(xs, ws, ys, lam)).scalar(expr), dtype=float)
    return value.reshape(value.shape[1], value.shape[2]).T


# --- functions -------------------------------------------------------------------------------------


def test_softmax_and_log_sum_exp_are_stable_and_agree_with_scipy_and_mpmath():
    Z = np.array([[1000.0, 999.0, -1000.0], [-800.0, -801.0, -799.5], [0.1, 0.2, 0.3]])
    assert np.allclose(Softmax.numpy_eval(Z), scipy.special.softmax(Z, axis=1), rtol=1e-14, atol=0)
    assert np.allclose(LogSumExp.numpy_eval(Z)[:, 0], scipy.special.logsumexp(Z, axis=1), rtol=1e-15)
    with mpmath.workdps(30):
        for row in Z:
            exact = Softmax.mpmath_eval([mpmath.mpf(v) for v in row])
            assert np.allclose([float(v) for v in exact], scipy.special.softmax(row), rtol=1e-14)
            assert float(LogSumExp.mpmath_eval([mpmath.mpf(v) for v in row])[0]) == pytest.approx(
                scipy.special.logsumexp(row), rel=1e-15
            )
    # the generated code is the same function
    code = {"np": np}
    assert np.array_equal(eval(Softmax.numpy_code("Z"), code, {"Z": Z}), Softmax.numpy_eval(Z))
    assert np.array_equal(eval(LogSumExp.numpy_code("Z"), code, {"Z": Z}), LogSumExp.numpy_eval(Z))


def test_softmax_prints_as_textbooks_write_it():
    model = CLASS_MODELS["softmax"]()
    assert to_unicode(model.form("sum").gradient) == "(1/m) Σᵢ₌₁ᵐ (p_c⁽ⁱ⁾ − y_c⁽ⁱ⁾) x_j⁽ⁱ⁾"
    assert to_unicode(model.matrix_gradient) == "(1/m) Xᵀ(softmax(XW) − Y)"
    assert to_unicode(W[j, c]) == "W_jc"


# --- closed forms ----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("name", ["softmax", "softmax-l2"])
def test_softmax_closed_forms_equal_finite_differences(name, seed):
    xs, ws, ys = _data(seed)
    lam = 0.7 if name == "softmax-l2" else 0.0
    model = CLASS_MODELS[name]()
    fd = _central(lambda v: _softmax_cost(xs, v, ys, lam), ws)
    assert _matrix_value(model.matrix_cost, xs, ws, ys)[0, 0] == pytest.approx(
        _softmax_cost(xs, ws, ys, lam), rel=1e-12
    )
    assert np.allclose(_matrix_value(model.matrix_gradient, xs, ws, ys), fd, rtol=1e-7, atol=1e-9)
    assert np.allclose(_sum_form_value(model.form("sum").gradient, xs, ws, ys), fd, rtol=1e-7, atol=1e-9)


def test_the_matrix_cost_is_finite_where_the_scores_overflow():
    xs, ws, ys = _data(2)
    big = ws * 2000.0  # scores in the thousands: e^{XW} overflows, log-sum-exp does not
    value = _matrix_value(CLASS_MODELS["softmax"]().matrix_cost, xs, big, ys)[0, 0]
    assert np.isfinite(value) and value == pytest.approx(_softmax_cost(xs, big, ys), rel=1e-12)


def test_softmax_l2_gradient_vanishes_at_scikit_learns_optimum():
    from sklearn.linear_model import LogisticRegression

    rows, lam = 40, 0.8
    xs, _, _ = _data(3, (rows, 3, 3))
    labels = np.random.default_rng(4).integers(0, 3, rows)
    # sklearn minimises C Σ_i loss_i + ½‖W‖²; ours (1/m) Σ_i loss_i + (λ/2m)‖W‖² is the same times λ/m: C = 1/λ.
    fit = LogisticRegression(C=1 / lam, fit_intercept=False, tol=1e-12, max_iter=10_000).fit(xs, labels)
    ws, ys = fit.coef_.T, np.eye(3)[labels]
    gradient = _matrix_value(CLASS_MODELS["softmax-l2"]().matrix_gradient, xs, ws, ys, lam)
    assert np.max(np.abs(gradient)) < 1e-6
    # and not at a penalty λ/m or 2λ: the convention is pinned
    assert np.max(np.abs(_matrix_value(CLASS_MODELS["softmax-l2"]().matrix_gradient, xs, ws, ys, 2 * lam))) > 1e-3


def _away_from_kinks(xs, ws, ys, gap=1e-3) -> bool:
    scores = xs @ ws
    margins = scores - np.sum(scores * ys, axis=1, keepdims=True) + 1
    return bool(np.all(np.abs(margins[ys == 0]) > gap))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_svm_subgradient_equals_finite_differences_away_from_kinks(seed):
    xs, ws, ys = _data(seed)
    assert _away_from_kinks(xs, ws, ys)
    model = CLASS_MODELS["svm-multiclass"]()
    fd = _central(lambda v: _svm_cost(xs, v, ys), ws)
    assert _matrix_value(model.matrix_cost, xs, ws, ys)[0, 0] == pytest.approx(_svm_cost(xs, ws, ys), rel=1e-12)
    assert np.allclose(_matrix_value(model.matrix_gradient, xs, ws, ys), fd, rtol=1e-7, atol=1e-8)
    assert np.allclose(_sum_form_value(model.form("sum").gradient, xs, ws, ys), fd, rtol=1e-7, atol=1e-8)


def test_the_costs_as_built_are_the_catalog_texts():
    from derivation.core import notation
    from derivation.core.catalog import CLASS_ENTRIES
    from derivation.parsing import read_expr
    from derivation.parsing.names import index_names

    names = {**index_names(), "W": W, "K": K, "a": notation.a, "b": notation.b, "c": c}
    xs, ws, ys = _data(5)
    for name, cost in (("softmax", softmax_cost()), ("softmax-l2", softmax_cost(True)), ("svm-multiclass", svm_cost())):
        read = read_expr(CLASS_ENTRIES[name].cost, names)  # Python syntax: examples 0..m−1, classes 0..K−1
        shifted = read.xreplace({sp.Symbol(s.name, **s.assumptions0): s for s in (notation.a, notation.b)})
        written = Evaluator(_Leaves(xs, ws, ys)).scalar(cost)
        as_read = Evaluator(_ZeroBased(xs, ws, ys)).scalar(shifted)
        assert float(np.asarray(written).ravel()[0]) == pytest.approx(float(np.asarray(as_read).ravel()[0]), rel=1e-12)


class _ZeroBased(_Leaves):
    def indexed(self, node, indices):
        name = str(node.base.label)
        table = {"x": self.mats["X"], "y": self.mats["Y"], "W": self.mats["W"]}
        return table[name][indices[0], indices[1]]


# --- the engine's derivation, every step against central differences of the NumPy cost -------------


def _step_value(expr, xs, ws, ys, lam, jv, cv):
    """One step's ∂J/∂W_jc at feature jv, class cv (1-based): derivatives left in it taken by SymPy."""
    if isinstance(expr, MatrixElement):
        return _matrix_value(expr.parent, xs, ws, ys, lam)[jv, cv - 1]
    sizes = {m: xs.shape[0], n: xs.shape[1] - 1, K: ws.shape[1], j: jv, c: cv, sp.Symbol("lambda", positive=True): lam}
    concrete = evaluate_derivatives(write_out_sums(plain(expr).xreplace(sizes)))
    leaves = {a: _leaf(a, xs, ws, ys) for a in concrete.atoms(sp.Indexed)}
    return float(concrete.xreplace(leaves))


def _leaf(entry, xs, ws, ys):
    r, s = (int(v) for v in entry.indices)
    name = str(entry.base.label)
    return xs[r - 1, s] if name == "x" else ys[r - 1, s - 1] if name == "y" else ws[r, s - 1]


@pytest.mark.parametrize("name", ["softmax", "softmax-l2", "svm-multiclass"])
def test_every_step_of_the_derivation_equals_finite_differences(name):
    model = CLASS_MODELS[name]()
    f = model.form("sum")
    derivation = engine.derive(f.cost, f.variable, goal=f.goal, definitions=f.definitions, vectorise=vectorise)
    xs, ws, ys = _data(6, (2, 1, 3))  # small: each step is written out and differentiated by SymPy
    lam = 0.7 if name == "softmax-l2" else 0.0
    numpy_cost = _svm_cost if name == "svm-multiclass" else (lambda xs_, v, ys_: _softmax_cost(xs_, v, ys_, lam))
    assert name != "svm-multiclass" or _away_from_kinks(xs, ws, ys)
    fd = _central(lambda v: numpy_cost(xs, v, ys), ws)
    for jv, cv in ((0, 1), (1, 3)):
        for step in derivation.steps:
            assert _step_value(step.expr, xs, ws, ys, lam, jv, cv) == pytest.approx(
                fd[jv, cv - 1], rel=1e-6, abs=1e-8
            ), step.rule
    rules = [s.rule for s in derivation.steps]
    assert rules[-1] == "vectorise" and "stopped" not in rules and "unexplained" not in rules
    derived, closed = (
        _matrix_value(g, xs, ws, ys, lam) for g in (derivation.steps[-1].expr.parent, model.matrix_gradient)
    )
    assert np.allclose(derived, closed, rtol=1e-12, atol=1e-14)


def test_the_softmax_derivation_reads_like_a_textbook():
    model = CLASS_MODELS["softmax"]()
    f = model.form("sum")
    derivation = engine.derive(f.cost, f.variable, goal=f.goal, definitions=f.definitions, vectorise=vectorise)
    rules = [s.rule for s in derivation.steps]
    for named in ("log-softmax", "log-sum-exp", "class-score", "kronecker", "one-hot", "fold", "vectorise"):
        assert named in rules
    assert to_unicode(derivation.steps[-2].expr) == "(1/m) Σᵢ₌₁ᵐ (p_c⁽ⁱ⁾ − y_c⁽ⁱ⁾) x_j⁽ⁱ⁾"
    assert to_unicode(derivation.steps[-1].expr) == "[(1/m) Xᵀ(softmax(XW) − Y)]_{j,c}"


def test_the_one_hot_step_needs_labels_that_sum_to_one():
    """Σ_a y_a⁽ⁱ⁾ = 1 is what makes the step hold: with labels that do not sum to 1 it must not."""
    model = CLASS_MODELS["softmax"]()
    f = model.form("sum")
    steps = engine.derive(f.cost, f.variable, goal=f.goal, definitions=f.definitions).steps
    at = [s.rule for s in steps].index("one-hot")
    xs, ws, _ = _data(7, (3, 2, 3))
    soft = np.full((3, 3), 0.5)  # rows sum to 1.5
    before, after = (_step_value(steps[p].expr, xs, ws, soft, 0.0, 1, 2) for p in (at - 1, at))
    assert abs(before - after) > 1e-3
    assert y[1, 2] != x[1, 2]  # y with two indices is a label per class, not a feature


def test_derive_model_verifies_softmax_end_to_end():
    from derivation.derive.api import derive_model

    derivation = derive_model(CLASS_MODELS["softmax"]())
    assert derivation.verified and all(check.verdict.ok for check in derivation.checks)
