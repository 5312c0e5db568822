"""Each rule alone: what it rewrites, that it declines what it should not touch, and that the
checker (which trusts no rule) agrees the rewrite is an equality."""

from __future__ import annotations

import pytest
import sympy as sp

from derivation.core import notation
from derivation.core.functions import Definition, sigmoid
from derivation.core.notation import EXAMPLES, FEATURES, i, inner, j, k, m, n, theta, x, y, z
from derivation.derive.rules import RULES, Context
from derivation.derive.vectorise import vectorise
from derivation.models import get_model
from derivation.oracle.equality import verify_equality
from derivation.printing.labels import RULE_WORDS, rule_words

t = sp.Symbol("t", real=True)
a, b = sp.symbols("a b", positive=True)
CTX = Context(theta[j], index_range=(0, n))
H = type(get_model("logistic").form("sum").definitions[0].short)
LOGISTIC_DEFS = get_model("logistic").form("sum").definitions


def apply_derivative(name: str, f: sp.Expr, v: sp.Expr, ctx: Context = CTX):
    return RULES[name].apply(f, v, ctx)


def assert_equal_by_checker(before: sp.Expr, after: sp.Expr) -> None:
    verdict = verify_equality(before, after)
    assert verdict.ok, verdict


DERIVATIVE_CASES = [
    # rule, f, v, expected
    ("constant", y[i] * x[i, k], theta[j], 0),
    ("variable", theta[j], theta[j], 1),
    ("index", theta[k], theta[j], sp.KroneckerDelta(j, k)),
    ("inner-product", inner(i), theta[j], x[i, j]),
    ("log", sp.log(t**2 + 1), t, sp.Derivative(t**2 + 1, t) / (t**2 + 1)),
    ("exp", sp.exp(-t), t, sp.exp(-t) * sp.Derivative(-t, t)),
    ("sigmoid", sigmoid(a * t), t, sigmoid(a * t) * (1 - sigmoid(a * t)) * sp.Derivative(a * t, t)),
    ("reciprocal", 1 / (1 + sp.exp(-t)), t, -sp.Derivative(1 + sp.exp(-t), t) / (1 + sp.exp(-t)) ** 2),
    ("power", (t - a) ** 2, t, 2 * (t - a) * sp.Derivative(t - a, t)),
]


@pytest.mark.parametrize(("name", "f", "v", "expected"), DERIVATIVE_CASES, ids=[c[0] for c in DERIVATIVE_CASES])
def test_derivative_rule_rewrites_and_is_an_equality(name, f, v, expected):
    got = apply_derivative(name, f, v)
    assert got is not None
    assert sp.simplify(got - expected) == 0 or got == expected
    assert_equal_by_checker(sp.Derivative(f, v, evaluate=False), got)


def test_linearity_pushes_through_sum_constants_and_plus_and_drops_constants():
    f = -sp.Sum(y[i] * sp.log(H(i)) + (1 - y[i]) * sp.log(1 - H(i)), EXAMPLES) / m
    got = apply_derivative("linearity", f, theta[j])
    derivatives = got.atoms(sp.Derivative)
    assert {dv.expr for dv in derivatives} == {sp.log(H(i)), sp.log(1 - H(i))}
    assert_equal_by_checker(sp.Derivative(f, theta[j], evaluate=False), got)
    minus = apply_derivative("linearity", 1 - H(i), theta[j])
    assert minus == -sp.Derivative(H(i), theta[j], evaluate=False)


def test_product_and_quotient_rules():
    product = apply_derivative("product", t * sp.exp(t), t)
    assert_equal_by_checker(sp.Derivative(t * sp.exp(t), t), product)
    assert product.count(sp.Derivative) == 2
    quotient = apply_derivative("quotient", sp.exp(t) / (t + a), t)
    assert_equal_by_checker(sp.Derivative(sp.exp(t) / (t + a), t), quotient)
    assert apply_derivative("product", a * t, t) is None  # one dependent factor: linearity's job


def test_definition_rule_unfolds_the_hypothesis_only():
    got = apply_derivative("definition", H(i), theta[j])
    assert got == sp.Derivative(sigmoid(inner(i)), theta[j], evaluate=False)
    assert apply_derivative("definition", sp.log(t), t) is None


@pytest.mark.parametrize(
    ("name", "f", "v"),
    [
        ("variable", theta[k], theta[j]),
        ("index", theta[j], theta[j]),
        ("inner-product", sp.Sum(theta[k] ** 2, FEATURES), theta[j]),
        ("inner-product", sp.Sum(theta[k] * x[i, k], (k, 1, n)), theta[j]),  # not the whole range
        ("log", sp.exp(t), t),
        ("sigmoid", sp.log(t), t),
        ("power", t**t, t),
    ],
)
def test_derivative_rules_decline_what_they_do_not_cover(name, f, v):
    assert apply_derivative(name, f, v) is None


def algebra(name: str, expr: sp.Expr, ctx: Context = CTX):
    return RULES[name].apply(expr, ctx)


def test_fold_writes_the_long_form_by_its_name_without_cancelling():
    ctx = Context(theta[j], LOGISTIC_DEFS, (0, n))
    s = sigmoid(inner(i))
    expr = y[i] * s * (1 - s) / H(i)
    folded = algebra("fold", expr, ctx)
    assert not folded.has(sigmoid)
    assert sp.count_ops(folded) > sp.count_ops(y[i] * (1 - H(i)))  # h/h is still visible
    assert_equal_by_checker(expr, folded)
    cancelled = algebra("cancel", folded, ctx)
    assert cancelled == y[i] * (1 - H(i))


def test_seed_001_algebra_for_the_sigmoid():
    ctx = Context(z, (Definition((z,), sigmoid(z), 1 / (1 + sp.exp(-z))),))
    e = sp.exp(-z) / (1 + sp.exp(-z)) ** 2
    added = algebra("add-subtract", e, ctx)
    split = algebra("split", added, ctx)
    assert split == 1 / (1 + sp.exp(-z)) - 1 / (1 + sp.exp(-z)) ** 2
    factored = algebra("factor", split, ctx)
    folded = algebra("fold", factored, ctx)
    assert sp.expand(folded - sigmoid(z) * (1 - sigmoid(z))) == 0
    for before, after in [(e, added), (added, split), (split, factored), (factored, folded)]:
        assert_equal_by_checker(before, after)


def test_kronecker_collapse_knows_the_excluded_bias():
    expr = sp.Sum(2 * sp.KroneckerDelta(j, k) * theta[k], (k, 1, n))
    got = algebra("kronecker", expr)
    assert sp.expand(got - 2 * theta[j] * (1 - sp.KroneckerDelta(j, 0))) == 0
    assert_equal_by_checker(expr, got)


def test_distribute_cancel_and_sign():
    summand = y[i] * (1 - H(i)) * x[i, j] - (1 - y[i]) * H(i) * x[i, j]
    expr = -sp.Sum(summand, EXAMPLES) / m
    spread = algebra("distribute", expr)
    assert_equal_by_checker(expr, spread)
    assert "h(i)*y[i]" in str(spread).replace(" ", "")  # the opposite terms are still shown
    cancelled = algebra("cancel", spread)
    assert cancelled == sp.Sum((H(i) - y[i]) * x[i, j], EXAMPLES) / m
    flipped = algebra("sign", -sp.Sum((y[i] - H(i)) * x[i, j], EXAMPLES) / m)
    assert flipped == sp.Sum((H(i) - y[i]) * x[i, j], EXAMPLES) / m


def test_constant_out_of_sum():
    expr = sp.Sum(2 * (H(i) - y[i]) * x[i, j], EXAMPLES) / (2 * m)
    assert algebra("constant-out-of-sum", expr) == sp.Sum((H(i) - y[i]) * x[i, j], EXAMPLES) / m


def test_kronecker_collapses_inside_a_sum_of_terms_and_a_double_sum():
    l = sp.Symbol("l", integer=True)  # the second feature index
    spread = sp.Sum(sp.KroneckerDelta(j, k) * x[k] + theta[k] * y[k], (k, 0, n))
    got = algebra("kronecker", spread)
    assert got == x[j] + sp.Sum(theta[k] * y[k], (k, 0, n))  # the term without δ keeps its Σ
    assert_equal_by_checker(spread, got)
    double = sp.Sum(sp.Sum(theta[l] * sp.KroneckerDelta(j, k) * x[k] * x[l], (l, 0, n)), (k, 0, n))
    got = algebra("kronecker", double)
    assert got == sp.Sum(theta[l] * x[j] * x[l], (l, 0, n))  # x_j leaves the sum at the next step
    assert_equal_by_checker(double, got)
    assert algebra("kronecker", sp.Sum(theta[k] * x[k], (k, 0, n))) is None


def test_collect_merges_like_terms_under_the_shared_factor_and_only_then():
    h, u = sp.Symbol("h"), sp.Symbol("u")
    expr = -u * (1 - h) * x[j] - h * (u - 1) * x[j]
    got = algebra("collect", expr)
    assert got == (h - u) * x[j]
    assert_equal_by_checker(expr, got)
    l = sp.Symbol("l", integer=True)
    twice = x[j] * sp.Sum(theta[l] * x[l], (l, 0, n)) + x[j] * sp.Sum(theta[k] * x[k], (k, 0, n))
    assert algebra("collect", twice) == 2 * x[j] * sp.Sum(theta[k] * x[k], (k, 0, n))
    assert algebra("collect", -u / a - (u - 1) / (1 - a)) is None  # nothing merges: left as written
    assert algebra("collect", u * x[j] + h * x[j]) is None


def test_common_factor_pulls_out_a_function_value_not_a_constant():
    from derivation.core.functions import normal_cdf, normal_pdf

    p, c = normal_pdf(t), normal_cdf(t)
    expr = -a * b * p / c - a * p * (b - 1) / (1 - c)
    got = algebra("common-factor", expr)
    assert got == a * p * ((1 - b) / (1 - c) - b / c)  # the minus taken into (1 − y)
    assert_equal_by_checker(expr, got)
    assert algebra("common-factor", a / m + b * theta[j] / m) is None  # 1/m stays where it is


def test_fold_sigma_writes_the_logistic_quotient_as_sigma():
    for expr, expected in [
        (sp.exp(t) / (1 + sp.exp(t)), sigmoid(t)),
        (a * sp.exp(-a * t) / (1 + sp.exp(-a * t)), a * sigmoid(-a * t)),
        (1 / (1 + sp.exp(-t)), sigmoid(t)),
        (b / (1 + sp.exp(t)) ** 2, b * sigmoid(-t) ** 2),
    ]:
        got = algebra("fold-sigma", expr)
        assert got == expected, (expr, got)
        assert_equal_by_checker(expr, got)
    assert algebra("fold-sigma", sp.exp(t) / (2 + sp.exp(t))) is None


@pytest.mark.parametrize("name", ["logistic", "logistic-l2", "linear"])
def test_vectorise_gives_the_models_matrix_form(name):
    model = get_model(name)
    got = algebra("vectorise", model.form("sum").gradient, Context(theta[j], vectorise=vectorise))
    assert got.parent == model.matrix_gradient
    assert_equal_by_checker(model.form("sum").gradient, got)


def test_every_rule_states_its_rewrite():
    for r in RULES.values():
        assert r.rewrite, f"rule {r.name} has no one-line rewrite docstring"
        assert r.name in RULE_WORDS, f"rule {r.name} has no words in printing's label table"
        assert all(ord(ch) < 128 for ch in rule_words(r.name)[1]), r.name


# --- the rules over classes (derive/classes.py) and merge-sums ------------------------------------------

W_CTX = Context(notation.W[j, notation.c], index_range=(0, n), ranges=((notation.c, 1, notation.K),))


def test_class_score_gives_the_feature_where_the_classes_agree():
    from derivation.core.functions.softmax import score

    cls, c = notation.a, notation.c
    assert (
        apply_derivative("class-score", score(i, cls), notation.W[j, c], W_CTX) == sp.KroneckerDelta(cls, c) * x[i, j]
    )
    written = sp.Sum(notation.W[k, cls] * x[i, k], FEATURES)
    assert apply_derivative("class-score", written, notation.W[j, c], W_CTX) == sp.KroneckerDelta(cls, c) * x[i, j]
    # θ's inner product, a sum over the wrong range, W_kk: not this rule
    assert apply_derivative("class-score", inner(i), notation.W[j, c], W_CTX) is None
    assert apply_derivative("class-score", sp.Sum(notation.W[k, cls], (k, 1, n)), notation.W[j, c], W_CTX) is None
    assert (
        apply_derivative("class-score", sp.Sum(notation.W[k, k] * x[i, k], FEATURES), notation.W[j, c], W_CTX) is None
    )


def test_log_sum_exp_sums_softmax_weights_under_a_letter_of_its_own():
    from derivation.core.functions.softmax import score

    cls = notation.b
    lse = sp.log(sp.Sum(sp.exp(score(i, cls)), (cls, 1, notation.K)))
    got = apply_derivative("log-sum-exp", lse, notation.W[j, notation.c], W_CTX)
    assert isinstance(got, sp.Sum) and got.limits[0][0] not in (cls, notation.c, j, i)
    assert got.function.has(lse.args[0])  # the softmax's denominator keeps its own Σ_b
    assert apply_derivative("log-sum-exp", sp.log(sp.Sum(score(i, cls), (cls, 1, 3))), notation.W[j, 0], W_CTX) is None


def test_log_softmax_is_the_score_less_the_log_sum_exp():
    from derivation.core.functions.softmax import score

    total = sp.Sum(sp.exp(score(i, notation.b)), (notation.b, 1, notation.K))
    v = notation.W[j, notation.c]
    got = apply_derivative("log-softmax", sp.log(sp.exp(score(i, notation.a)) / total), v, W_CTX)
    assert got == sp.Derivative(score(i, notation.a), v) - sp.Derivative(sp.log(total), v)
    assert apply_derivative("log-softmax", sp.log(sp.exp(score(i, notation.a)) / 2), v, W_CTX) is None


def test_one_hot_sums_the_labels_over_all_classes_only():
    yy, cls = notation.y, notation.a
    free = x[i, j]
    assert algebra("one-hot", sp.Sum(yy[i, cls] * free, (cls, 1, notation.K)), W_CTX) == free
    assert algebra("one-hot", sp.Sum(yy[i, cls] * free, (cls, 2, notation.K)), W_CTX) is None  # not every class
    assert algebra("one-hot", sp.Sum(yy[i, cls] * notation.W[j, cls], (cls, 1, notation.K)), W_CTX) is None
    assert algebra("one-hot", sp.Sum(yy[i, cls] * free, (cls, 1, notation.K)), CTX) is None  # θ: no classes


def test_merge_sums_joins_sums_over_the_same_range_only():
    u = sp.IndexedBase("u")
    got = algebra("merge-sums", sp.Sum(u[i], EXAMPLES) - sp.Sum(y[i], EXAMPLES), CTX)
    assert got == sp.Sum(u[i] - y[i], EXAMPLES)
    assert algebra("merge-sums", sp.Sum(u[i], EXAMPLES) - sp.Sum(y[i], (i, 1, n)), CTX) is None
