"""The checker decides equalities on its own: it must catch faults and must not lean on our rules."""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derivation.core.functions import sigmoid
from derivation.core.notation import EXAMPLES, i, inner, j, m, theta, x, y
from derivation.core.steps import FAILS, HOLDS, UNDECIDED
from derivation.models import get_model
from derivation.oracle.equality import verify_equality

z = sp.Symbol("z", real=True)
LOGISTIC = get_model("logistic")
H = type(LOGISTIC.form("sum").definitions[0].short)
GRADIENT = LOGISTIC.form("sum").gradient
DERIVATIVE = sp.Derivative(LOGISTIC.form("sum").cost, theta[j], evaluate=False)


def test_sigmoid_derivative_holds_and_the_classic_slips_fail():
    d = sp.Derivative(sigmoid(z), z, evaluate=False)
    assert verify_equality(d, sigmoid(z) * (1 - sigmoid(z))).ok
    for wrong in (sigmoid(z) ** 2, sigmoid(z) * (1 + sigmoid(z)), -sigmoid(z) * (1 - sigmoid(z))):
        verdict = verify_equality(d, wrong)
        assert verdict.status == FAILS, wrong
        assert {"lhs", "rhs"} <= set(verdict.counterexample)


def test_checker_does_not_trust_sigmoid_fdiff(monkeypatch):
    """Break σ's own derivative: the checker must still judge σ′ by exp, not by fdiff."""
    monkeypatch.setattr(sigmoid, "fdiff", lambda self, argindex=1: sigmoid(self.args[0]) ** 2)
    d = sp.Derivative(sigmoid(z), z, evaluate=False)
    assert verify_equality(d, sigmoid(z) * (1 - sigmoid(z))).ok
    assert not verify_equality(d, sigmoid(z) ** 2).ok


def test_the_logistic_gradient_and_its_usual_mistakes():
    assert verify_equality(DERIVATIVE, GRADIENT).ok
    wrong_answers = {
        "sign": -GRADIENT,
        "missing 1/m": GRADIENT * m,
        "y - h": sp.Sum((y[i] - H(i)) * x[i, j], EXAMPLES) / m,
        "no sigmoid": sp.Sum((inner(i) - y[i]) * x[i, j], EXAMPLES) / m,
        "wrong feature": sp.Sum((H(i) - y[i]) * x[i, 0], EXAMPLES) / m,
    }
    for name, wrong in wrong_answers.items():
        verdict = verify_equality(DERIVATIVE, wrong)
        assert verdict.status == FAILS, name
        example = verdict.counterexample
        assert example["m"] == 3 and example["n"] == 2 and "j" in example
        assert abs(example["lhs"] - example["rhs"]) > 1e-6


def test_wrong_feature_is_caught_only_because_every_j_is_sampled():
    verdict = verify_equality(DERIVATIVE, sp.Sum((H(i) - y[i]) * x[i, 0], EXAMPLES) / m)
    assert verdict.counterexample["j"] != 0  # at j = 0 both sides agree


def test_matrix_form_is_compared_entry_by_entry():
    assert verify_equality(GRADIENT, MatrixElement(LOGISTIC.matrix_gradient, j, 0)).ok
    transposed_wrong = MatrixElement(LOGISTIC.matrix_gradient * 2, j, 0)
    assert verify_equality(GRADIENT, transposed_wrong).status == FAILS


def test_verdicts_say_how_and_are_reproducible():
    symbolic = verify_equality(sp.Derivative(z**2, z), 2 * z)
    assert symbolic.method == "symbolic"
    numeric = verify_equality(DERIVATIVE, GRADIENT, seed=7)
    assert numeric.method == "numeric" and "seed 7" in numeric.detail
    wrong_a = verify_equality(DERIVATIVE, -GRADIENT, seed=3)
    wrong_b = verify_equality(DERIVATIVE, -GRADIENT, seed=3)
    assert wrong_a.counterexample == wrong_b.counterexample


def test_undefined_everywhere_is_undecided_not_holds():
    verdict = verify_equality(sp.log(-1 - z**2) * sp.zoo, z)
    assert verdict.status in (UNDECIDED, FAILS)
    assert verdict.status != HOLDS


def test_every_free_index_is_enumerated_not_sampled_as_a_number():
    """The Hessian entry ∂²J/∂θ_j∂θ_l has two free indices; a wrong index must be caught."""
    l_ = sp.Symbol("l", integer=True, nonnegative=True)
    second = sp.Derivative(GRADIENT, theta[l_], evaluate=False)
    right = sp.Sum(H(i) * (1 - H(i)) * x[i, j] * x[i, l_], EXAMPLES) / m
    wrong = sp.Sum(H(i) * (1 - H(i)) * x[i, j] * x[i, j], EXAMPLES) / m
    assert verify_equality(second, right).ok
    verdict = verify_equality(second, wrong)
    assert verdict.status == FAILS
    assert verdict.counterexample["j"] != verdict.counterexample["l"]


def test_an_index_bound_on_one_side_and_free_on_the_other():
    """k is summed on the left and free on the right: substituting k must not touch the Σ's limits."""
    from derivation.core.notation import k

    lhs = sp.Derivative(inner(i), theta[j], evaluate=False)
    assert verify_equality(lhs, x[i, j]).ok
    assert verify_equality(lhs, x[i, k]).status == FAILS


def test_matrix_entries_inside_larger_expressions():
    entry = MatrixElement(LOGISTIC.matrix_gradient, j, 0)
    assert verify_equality(-GRADIENT, -entry).ok
    assert verify_equality(2 * GRADIENT + m, 2 * entry + m).ok
    assert verify_equality(2 * GRADIENT + m, 2 * entry).status == FAILS
