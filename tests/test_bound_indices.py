"""A summation index never captures a free one: ∂/∂θ_j Σ_j θ_j² is 2θ_j on the sum's range, not Σ_j 2θ_j.

The first version printed (λ/m)Σⱼ θ_j with every step ✓ and "agrees with sympy.diff": the engine, the
checker and sympy.diff all confused the bound j with the free j.  These tests hold each of them to the
right answer and to an oracle that shares nothing with them (central differences of the cost).
"""

from __future__ import annotations

import os

import pytest
import sympy as sp
from cli_runner import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import derivation
from derivation.core.exprtools import bound_apart, free_names
from derivation.core.functions import sigmoid
from derivation.core.notation import i, j, k, lam, m, n, theta, x, y
from derivation.core.steps import FAILS, HOLDS
from derivation.oracle import finite_difference_verdict, sympy_oracle, verify_equality
from derivation.parsing import parse_latex

PENALTY_J = r"\frac{\lambda}{2m}\sum_{j=1}^{n}\theta_j^2"
PENALTY_K = r"\frac{\lambda}{2m}\sum_{k=1}^{n}\theta_k^2"
RIGHT = lam / m * theta[j] * (1 - sp.KroneckerDelta(j, 0))  # (λ/m)θ_j for j ≥ 1, 0 for the bias
OLD_WRONG = lam / m * sp.Sum(theta[j], (j, 1, n))  # what the first version printed, verified


cli = run_cli


@pytest.mark.parametrize("latex", [PENALTY_J, PENALTY_K], ids=["sum-over-j", "sum-over-k"])
def test_penalty_derivative_is_lambda_over_m_theta_j_without_the_bias(latex):
    d = derivation.derive(parse_latex(latex), theta[j])
    assert d.verified
    assert not d.result.has(sp.Sum)
    assert finite_difference_verdict(parse_latex(latex), theta[j], d.result).status == HOLDS
    assert verify_equality(d.result, RIGHT).status == HOLDS
    # at j = 0 (the bias, outside Σ_{j=1}) the derivative is exactly 0
    assert sp.simplify(d.result.subs(j, 0)) == 0


def test_cli_prints_the_right_penalty_gradient_and_the_renaming_step():
    out = cli("derive", "--latex", PENALTY_J, "--wrt", "theta[j]", "--ascii")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert any("rename the summation index" in line for line in lines)
    last_step = next(line for line in reversed(lines) if line.lstrip().startswith("="))
    # the step's expression, without its rule label when that fits on the same line
    assert last_step.split("=", 1)[1].split("  (")[0].strip() == "(lambda/m) (1 - delta(j,0)) theta_j"


def test_cli_accepts_a_sum_over_another_letter():
    out = cli("derive", "--latex", PENALTY_K, "--wrt", "theta[j]")
    assert out.returncode == 0, out.stderr
    assert "does not occur" not in out.stderr


def test_the_old_wrong_answer_is_refuted_as_a_claimed_step():
    cost = parse_latex(PENALTY_J)
    verdict = verify_equality(sp.Derivative(cost, theta[j]), OLD_WRONG)
    assert verdict.status == FAILS
    assert verdict.counterexample["j"] == 0  # the bias: the derivative is 0 there, the claim is not
    assert finite_difference_verdict(cost, theta[j], OLD_WRONG).status == FAILS


def test_sympy_oracle_is_not_captured():
    cost = lam / (2 * m) * sp.Sum(theta[j] ** 2, (j, 1, n))
    assert verify_equality(sympy_oracle(cost, theta[j]), RIGHT).status == HOLDS


def test_bound_apart_renames_only_what_clashes():
    untouched = sp.Sum(theta[k] * x[i, k], (k, 0, n))
    assert bound_apart(untouched) is untouched
    clash = sp.Sum(theta[j] ** 2, (j, 1, n)) + theta[j]
    renamed = bound_apart(clash)
    assert j in free_names(renamed)
    (inner,) = renamed.atoms(sp.Sum)
    assert inner.limits[0][0] != j
    nested = sp.Sum(sp.Sum(theta[k] * x[k, k], (k, 0, n)), (k, 1, m))  # the inner k shadows the outer one
    (renamed,) = bound_apart(nested).atoms(sp.Sum)
    (inner_index, _, inner_hi), (outer_index, _, outer_hi) = renamed.limits
    assert (inner_hi, outer_hi) == (n, m) and inner_index != outer_index
    assert renamed.function == theta[inner_index] * x[inner_index, inner_index]


# --- property: random costs over i and k agree with finite differences -------------------

LETTERS = st.sampled_from([j, k])  # j on purpose: the letter that used to capture the free j


@st.composite
def costs(draw) -> sp.Expr:
    """(1/m) Σ_i f(θᵀx⁽ⁱ⁾, y⁽ⁱ⁾) + c Σ_k g(θ_k), with the feature letter sometimes j."""
    letter = draw(LETTERS)
    z = sp.Sum(theta[letter] * x[i, letter], (letter, 0, n))
    data_terms = {
        "square": (z - y[i]) ** 2,
        "cross-entropy": -(y[i] * sp.log(sigmoid(z)) + (1 - y[i]) * sp.log(1 - sigmoid(z))),
        "log1p-square": sp.log(1 + z**2),
        "sigmoid-square": (sigmoid(z) - y[i]) ** 2,
        "softplus": sp.log(1 + sp.exp(z)) - y[i] * z,
    }
    cost = sp.Sum(data_terms[draw(st.sampled_from(sorted(data_terms)))], (i, 1, m)) / m
    if draw(st.booleans()):
        p = draw(LETTERS)
        lo = draw(st.sampled_from([0, 1]))
        g = draw(st.sampled_from([theta[p] ** 2, sp.log(1 + theta[p] ** 2), sigmoid(theta[p])]))
        cost += draw(st.sampled_from([lam / (2 * m), lam, sp.Rational(1, 2)])) * sp.Sum(g, (p, lo, n))
    return cost


@settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(costs())
def test_random_costs_agree_with_finite_differences(cost):
    d = derivation.derive(cost, theta[j])
    assert d.verified, [(s.rule, s.verdict) for s in d.steps if not s.verdict.ok]
    assert finite_difference_verdict(cost, theta[j], d.result).status == HOLDS
