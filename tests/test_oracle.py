"""The one numeric oracle: one evaluator, one tolerance, one seed policy, two paths that agree in meaning.

The fast path (float64 with a bound on its rounding) and the exact path (mpmath
at 30 digits) must evaluate the same constructs to the same values; the fast
path may only ever say "equal" where its bound proves it.
"""

from __future__ import annotations

import subprocess
import sys

import mpmath
import numpy as np
import pytest
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derivation.core.functions import sigmoid, softplus
from derivation.core.notation import E0, FEATURES, Theta, X, Y, elementwise, i, j, lam, m, n, theta, x, y
from derivation.core.steps import FAILS, HOLDS
from derivation.models import get_model
from derivation.oracle import equality, sampling
from derivation.oracle.bounded import Bounded, lift
from derivation.oracle.datasets import Evaluator as CheckEvaluator
from derivation.oracle.datasets import make_datasets
from derivation.oracle.equality import checked_equality, verify_equality
from derivation.oracle.evaluator import Evaluator
from derivation.oracle.numbers import FUNCTIONS, NUMPY, BoundedNumbers, EvalError
from derivation.oracle.policy import DIGITS, TOLERANCE, agree, draw, sample_points
from derivation.oracle.sampling import SampledLeaves, concrete, exact_at, numeric_verdict
from derivation.proof.diagnose import Evaluator as DiagnosisEvaluator

z, w = sp.symbols("z w", real=True)
k = FEATURES[0]
ONES = sp.OneMatrix(m, 1)
SCALARS = {
    "add, mul, pow": (z + 2) * w**3 - z / (w**2 + 1),
    "exp": sp.exp(z - w),
    "log": sp.log(z**2 + 1),
    "sqrt": sp.sqrt(w**2 + 2),
    "abs": sp.Abs(z - w),
    "sign": sp.sign(z) * w,
    "kronecker delta": sp.KroneckerDelta(j, 0) * theta[j] + sp.KroneckerDelta(j, 1),
    "piecewise": sp.Piecewise((z, z > 0), (-2 * z, True)),
    "max and min": sp.Max(z, w) - sp.Min(z, 0),
    "sigmoid": sigmoid(z),
    "softplus": softplus(w),
    "tanh": sp.tanh(z),
    "sin and cos": sp.sin(z) * sp.cos(w),
    "indexed leaves": x[1, j] * theta[j] + y[2],
    "sum": sp.Sum(theta[k] * x[2, k], (k, 0, n)) / m,
    "rational and pi": sp.Rational(1, 3) * z + sp.pi,
    "lambda": lam * theta[j] ** 2,
}
MATRICES = {
    "product and transpose": X.T * (X * Theta - Y) / m,
    "element-wise sigmoid": X.T * (elementwise(sigmoid, X * Theta) - Y),
    "hadamard": sp.HadamardProduct(X * Theta, Y),
    "hadamard power": sp.HadamardPower(X * Theta, 2),
    "diag": X.T * sp.DiagMatrix(elementwise(sp.exp, X * Theta)) * X * E0,
    "ones": X.T * (ONES - Y),
    "identity": (sp.Identity(n + 1) + lam * E0 * E0.T) * Theta,
    "e_0": lam * E0,
}


def leaves(seed: int = 0) -> SampledLeaves:
    return SampledLeaves(seed, sample_points([j], seed, 2))


def fast_and_exact(expr: sp.Expr, seed: int = 0):
    """Each point's fast value (with bound) and exact value."""
    sampled = leaves(seed)
    numbers = BoundedNumbers(sampled.points)
    with np.errstate(all="ignore"):
        fast = lift(Evaluator(sampled, numbers).at_points(expr))
    exact = [exact_at((expr,), sampled.at(p))[0] for p in range(sampled.points)]
    return fast, exact, numbers.doubt


def entry(matrix: sp.MatrixExpr) -> sp.Expr:
    return MatrixElement(matrix, j, 0)


# --- the two paths agree, construct by construct ----------------------------------------------------


@pytest.mark.parametrize("name", [*SCALARS, *MATRICES])
def test_every_construct_evaluates_identically_on_the_fast_and_exact_paths(name):
    expr = SCALARS[name] if name in SCALARS else entry(MATRICES[name])
    fast, exact, doubt = fast_and_exact(expr)
    numpy = Evaluator(leaves(), NUMPY).at_points(expr)
    assert isinstance(fast, Bounded) and np.all(np.isfinite(fast.e))
    for p, value in enumerate(exact):
        assert abs(value.imag) < 1e-20
        assert abs(fast.v[p] - value.real) <= fast.e[p] + 1e-300, (name, p)  # the bound holds
        assert agree(fast.v[p], value.real, 1e-13) and agree(numpy[p], value.real, 1e-13)
        assert fast.e[p] < TOLERANCE * 1e-3 * (1 + abs(value))  # and the fast path is conclusive
    assert not doubt.any() or name in ("sign", "piecewise", "max and min")


def test_every_function_has_both_forms():
    for function, row in FUNCTIONS.items():
        assert callable(row.numpy) and callable(row.mpmath), function
        assert row.bound is not None or row.jump, function


@pytest.mark.parametrize("name", list(MATRICES))
def test_matrices_evaluate_on_the_same_leaves_as_their_entries(name):
    """[Xθ]_r equals Σ_k x_k⁽ʳ⁺¹⁾ θ_k at every point: X, θ, y are made of the scalar leaves."""
    sampled = leaves()
    whole = Evaluator(sampled, NUMPY).matrix(MATRICES[name])
    assert whole.shape[0] in (1, sampled.points)
    row = Evaluator(sampled, NUMPY).at_points(entry(X * Theta).xreplace({j: 1}))
    written = Evaluator(sampled, NUMPY).at_points(sum(x[2, c] * theta[c] for c in range(3)))
    assert np.allclose(row, written, rtol=1e-14)


def test_the_exact_path_decides_where_float64_cancels():
    """e⁴⁰ + z − e⁴⁰ is 0 in float64 for |z| < 16: the bound says so, and the exact path finds z."""
    lhs = sp.Add(sp.exp(40), z, -sp.exp(40), evaluate=False)
    fast, exact, _ = fast_and_exact(lhs)
    assert np.all(fast.v == 0) and np.all(fast.e > 1)
    assert all(agree(e.real, v, 1e-12) for e, v in zip(exact, Evaluator(leaves(), NUMPY).at_points(z), strict=True))
    verdict = numeric_verdict(lhs, sp.S.Zero, 0, 2)
    assert verdict.status == FAILS and abs(verdict.counterexample["lhs"] - verdict.counterexample["z"]) < 1e-12


def test_complex_values_and_undefined_points_go_to_the_exact_path():
    """log of a negative number: NaN in float64, iπ + … in mpmath; both sides agree there."""
    lhs = sp.log(-1 - z**2)
    fast, exact, _ = fast_and_exact(lhs)
    assert np.all(np.isnan(fast.v))
    assert all(abs(e.imag - np.pi) < 1e-12 for e in exact)
    assert numeric_verdict(lhs, sp.log(1 + z**2) + sp.I * sp.pi, 0, 2).status == HOLDS
    assert numeric_verdict(lhs, sp.log(1 + z**2), 0, 2).status == FAILS


def test_a_function_without_a_row_is_evaluated_by_the_exact_path_only():
    expr = sp.erf(z) + z
    with pytest.raises(EvalError):
        Evaluator(leaves(), BoundedNumbers(6)).at_points(expr)
    assert numeric_verdict(expr, z + sp.erf(z), 0, 2).status == HOLDS
    assert numeric_verdict(sp.Derivative(sp.erf(z), z), 2 * sp.exp(-(z**2)) / sp.sqrt(sp.pi), 0, 2).status == HOLDS
    assert numeric_verdict(sp.erf(z), sp.erf(2 * z), 0, 2).status == FAILS


def test_fast_verdicts_are_the_exact_verdicts(monkeypatch):
    """The same verdicts, details and counterexamples with the fast path switched off."""
    model = get_model("logistic")
    f = model.form("sum")
    cases = [
        (sp.Derivative(f.cost, theta[j]), f.gradient),
        (sp.Derivative(f.cost, theta[j]), -f.gradient),
        (f.gradient, entry(model.matrix_gradient)),
        (f.gradient, entry(2 * model.matrix_gradient)),
        (sp.Derivative(sigmoid(z), z), sigmoid(z) ** 2),
    ]
    with_fast = [numeric_verdict(a, b, 3, 2) for a, b in cases]
    monkeypatch.setattr(sampling, "_surely_equal", lambda a, b, k: False)
    exact_only = [numeric_verdict(a, b, 3, 2) for a, b in cases]
    assert with_fast == exact_only
    assert [v.status for v in with_fast] == [HOLDS, FAILS, HOLDS, FAILS, FAILS]


# --- Abs (and the rest) evaluate everywhere --------------------------------------------------------------


def test_abs_evaluates_in_the_checker_the_gradient_checker_and_the_diagnoser():
    assert verify_equality(sp.Abs(z) ** 2, z**2).ok
    assert verify_equality(sp.Derivative(sp.Abs(z) ** 3, z), 3 * z * sp.Abs(z)).ok
    assert verify_equality(sp.Abs(z - w), z - w).status == FAILS
    d = make_datasets(get_model("linear"))[0]
    value = CheckEvaluator(d).value(sp.Abs(sp.MatrixSymbol("theta", n + 1, 1)[0, 0]) + 0 * m)
    assert value == pytest.approx(abs(d.theta[0]))
    ev = DiagnosisEvaluator(seed=0)
    assert ev.same(ev.values(sp.Abs(z) ** 2), ev.values(z**2))


def test_the_gradient_checker_and_the_step_checker_share_the_evaluator():
    d = make_datasets(get_model("logistic"))[1]
    ours = CheckEvaluator(d)
    assert isinstance(ours.walker, Evaluator)
    g = ours.value(get_model("logistic").matrix_gradient).ravel()
    h = 1 / (1 + np.exp(-(d.X @ d.theta)))
    assert np.allclose(g, d.X.T @ (h - d.y) / d.m, rtol=1e-13)


# --- wrong steps are refuted ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lhs", "wrong"),
    [
        (sp.Derivative(sigmoid(z), z), sigmoid(z) * (1 + sigmoid(z))),
        (sp.Derivative(sp.log(sigmoid(z)), z), sigmoid(z)),
        (sp.Derivative(sp.Sum(theta[k] ** 2, (k, 1, n)), theta[j]), 2 * theta[j]),  # wrong at j = 0
        (sp.Sum(x[i, j], (i, 1, m)), sp.Sum(x[i, j], (i, 1, m - 1))),
        (entry(X.T * Y), entry(X.T * ONES)),
    ],
)
def test_a_wrong_step_is_refuted_with_a_counterexample(lhs, wrong):
    verdict = verify_equality(lhs, wrong)
    assert verdict.status == FAILS and verdict.method == "numeric"
    example = verdict.counterexample
    assert not agree(example["lhs"], example["rhs"])
    assert example["m"] == 3 and example["n"] == 2


def test_a_checker_error_is_undecided():
    assert checked_equality is equality.checked_equality
    from derivation.proof import recognise

    assert recognise.checked_equality is checked_equality


# --- one seed policy ---------------------------------------------------------------------------------------


def test_seeds_reproduce_the_points_and_the_report():
    lhs, wrong = sp.Derivative(sigmoid(theta[j] * x[1, j]), theta[j]), sigmoid(theta[j] * x[1, j])
    a, b, c = (verify_equality(lhs, wrong, seed=s) for s in (5, 5, 6))
    assert a == b and a.counterexample != c.counterexample
    assert "seed 5" in a.detail


def test_a_leaf_value_depends_on_seed_point_and_name_only():
    one, two = leaves(0), leaves(0)
    two.symbol(w)  # another leaf read first, and more leaves in the expression: no effect
    assert two.symbol(z).tolist() == one.symbol(z).tolist()
    assert two.indexed(theta[1], [1]).tolist() == one.indexed(theta[1], [1]).tolist()
    assert leaves(1).symbol(z).tolist() != one.symbol(z).tolist()
    # not hash(): the same in another process (PYTHONHASHSEED differs)
    code = "from derivation.oracle.policy import draw; print(repr(draw(0, 3, 'x[1, 2]', -1.5, 1.5)))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert float(other) == draw(0, 3, "x[1, 2]", -1.5, 1.5)


def test_labels_are_sampled_in_0_1_by_identity_with_the_notation():
    sampled = leaves()
    labels = sampled.indexed(y[1], [1]).ravel()
    assert np.all((labels > 0.05) & (labels < 0.95))
    matrix = sampled.matrix(Y).ravel()
    assert np.all((matrix > 0.05) & (matrix < 0.95))
    plain_y = sampled.symbol(sp.Symbol("y")).ravel()  # a symbol merely named y is not the label
    assert plain_y.min() < 0.05 or plain_y.max() > 0.95
    lams = sampled.symbol(lam).ravel()
    assert np.all((lams >= 0.5) & (lams <= 2.0))


def test_free_indices_are_enumerated_never_sampled_as_numbers():
    points = sample_points([j, sp.Symbol("l", integer=True)], 0, 2)
    assert len(points) == 9 and all(isinstance(v, int) for p in points for v in p.values())
    with pytest.raises(EvalError, match="left unassigned"):
        leaves().symbol(sp.Symbol("q", integer=True))


def test_concrete_sides_keep_free_indices_and_write_out_only_derivatives():
    side = concrete(sp.Derivative(sp.Sum(theta[k] ** 2, (k, 0, n)), theta[j]) + sp.Sum(theta[k], (k, 0, n)))
    assert not side.has(sp.Derivative) and j in side.free_symbols
    assert side.has(sp.Sum)  # the sum outside the derivative is added up by the evaluator


def test_the_exact_path_works_at_thirty_digits():
    """1 + 10⁻²⁰ − 1 is 0 in float64 and 10⁻²⁰ at 30 digits."""
    tiny = sp.Add(1, sp.Rational(1, 10**20) * (2 + sp.tanh(z)), -1, evaluate=False)
    with mpmath.workdps(DIGITS):
        value = exact_at((tiny,), leaves().at(0))[0]
    assert 1e-20 < value.real < 3.1e-20


def random_tree(rng, depth: int) -> sp.Expr:
    if depth == 0:
        return rng.choice([z, w, theta[0], x[1, 2], sp.Rational(rng.randint(1, 9), rng.randint(1, 9)), sp.pi])
    a, b = random_tree(rng, depth - 1), random_tree(rng, depth - 1)
    return rng.choice(
        [
            a + b,
            a - b,
            a * b,
            a / (1 + b**2),
            sp.exp(a / 4),
            sp.log(1 + a**2),
            sigmoid(a),
            sp.sqrt(2 + b**2),
            a**3,
            sp.Abs(a) * b,
            (1 + a**2) ** sp.Rational(-3, 2),
        ]
    )


def test_the_fast_bound_holds_on_random_trees():
    """|fast − exact| ≤ the fast path's own bound, at every point of many random expressions."""
    import random

    rng = random.Random(7)
    for _ in range(60):
        expr = random_tree(rng, 4)
        fast, exact, _ = fast_and_exact(expr, seed=rng.randint(0, 99))
        for p, value in enumerate(exact):
            if np.isfinite(fast.v[p]) and np.isfinite(fast.e[p]):
                assert abs(fast.v[p] - value.real) <= fast.e[p] + 1e-300, (expr, p)
