"""The θ family of the catalog: each model is its cost as written (catalog.py) plus closed forms written by hand.

The closed forms here are the independent answer every derivation of these models is
checked against: the gradient in sum form and in matrix form, the cost in matrix form
(for kernels and the checker's complex step) and the Hessian.  They are written from
the textbook, never from the engine's output; the engine derives the cost as read from
its text and must arrive at them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions.diagonal import DiagMatrix

from .functions import Definition, abbreviation, normal_cdf, normal_pdf, relu, sigmoid, softplus, step
from .functions.softmax import LogSumExp, Softmax, margin, probability, score
from .notation import (
    CLASSES,
    E0,
    EXAMPLES,
    FEATURES,
    K,
    Theta,
    W,
    W_matrix,
    X,
    Y,
    Y_onehot,
    a,
    b,
    c,
    elementwise,
    i,
    inner,
    j,
    k,
    lam,
    m,
    n,
    theta,
    x,
    y,
)


@dataclass(frozen=True)
class ClosedForms:
    """∂J/∂θ_j in sum form (examples 1..m), and the matrix cost, gradient and Hessian."""

    gradient: sp.Expr
    matrix_cost: sp.MatrixExpr
    matrix_gradient: sp.MatrixExpr
    matrix_hessian: sp.MatrixExpr | None


def _ones() -> sp.MatrixExpr:
    return sp.OneMatrix(m, 1)


def _sum(term: sp.Expr) -> sp.Expr:
    return sp.Sum(term, EXAMPLES)


def _not_bias() -> sp.MatrixExpr:
    return sp.Identity(n + 1) - E0 * E0.T


def _h(row=i) -> sp.Expr:
    return sigmoid(inner(row))


def _cross_entropy(scale: sp.Expr) -> ClosedForms:
    """−scale·Σ[y log σ + (1−y) log(1−σ)]: gradient scale·Xᵀ(σ(Xθ) − y), Hessian scale·Xᵀ diag(σ(1−σ)) X."""
    h = elementwise(sigmoid, X * Theta)
    ones = _ones()
    cost = -scale * (Y.T * elementwise(sp.log, h) + (ones - Y).T * elementwise(sp.log, ones - h))
    weights = sp.HadamardProduct(h, ones - h)
    return ClosedForms(
        scale * _sum((_h() - y[i]) * x[i, j]),
        cost,
        scale * X.T * (h - Y),
        scale * X.T * DiagMatrix(weights) * X,
    )


def _logistic_l2_all() -> ClosedForms:
    base = _cross_entropy(1 / m)
    return ClosedForms(
        base.gradient + lam / m * theta[j],
        base.matrix_cost + lam / (2 * m) * Theta.T * Theta,
        base.matrix_gradient + lam / m * Theta,
        base.matrix_hessian + lam / m * sp.Identity(n + 1),
    )


def _logistic_l2_lambda() -> ClosedForms:
    """Cross-entropy (1/m) plus λ·Σ_{j≥1} θ_j² (λ not divided by m, as some courses write it): + 2λθ_j for j ≥ 1."""
    base = _cross_entropy(1 / m)
    return ClosedForms(
        base.gradient + 2 * lam * theta[j] * (1 - sp.KroneckerDelta(j, 0)),
        base.matrix_cost + lam * Theta.T * _not_bias() * Theta,
        base.matrix_gradient + 2 * lam * _not_bias() * Theta,
        base.matrix_hessian + 2 * lam * _not_bias(),
    )


def _logistic_pm1() -> ClosedForms:
    """(1/m)Σ log(1 + e^{−y θᵀx}): gradient −(1/m)Σ y σ(−y θᵀx) x_j; Hessian (1/m)Xᵀ diag(y²σ(u)σ(−u)) X, u = y⊙Xθ."""
    margin = sp.HadamardProduct(Y, X * Theta)
    weights = sp.HadamardProduct(Y, Y, elementwise(sigmoid, margin), elementwise(sigmoid, -margin))
    return ClosedForms(
        -_sum(y[i] * sigmoid(-y[i] * inner(i)) * x[i, j]) / m,
        _ones().T * elementwise(softplus, -margin) / m,
        -X.T * sp.HadamardProduct(Y, elementwise(sigmoid, -margin)) / m,
        X.T * DiagMatrix(weights) * X / m,
    )


def _least_squares(scale: sp.Expr, penalty: bool) -> ClosedForms:
    """scale·Σ(θᵀx − y)² (+ (λ/2m)Σ_{j≥1}θ_j²): gradient 2·scale·Xᵀ(Xθ − y) (+ (λ/m)θ without θ₀)."""
    residual = X * Theta - Y
    forms = ClosedForms(
        2 * scale * _sum((inner(i) - y[i]) * x[i, j]),
        scale * residual.T * residual,
        2 * scale * X.T * residual,
        2 * scale * X.T * X,
    )
    if not penalty:
        return forms
    return ClosedForms(
        forms.gradient + lam / m * theta[j] * (1 - sp.KroneckerDelta(j, 0)),
        forms.matrix_cost + lam / (2 * m) * Theta.T * _not_bias() * Theta,
        forms.matrix_gradient + lam / m * _not_bias() * Theta,
        forms.matrix_hessian + lam / m * _not_bias(),
    )


def _poisson() -> ClosedForms:
    """(1/m)Σ(e^{θᵀx} − y θᵀx): gradient (1/m)Xᵀ(e^{Xθ} − y), Hessian (1/m)Xᵀ diag(e^{Xθ}) X."""
    rate = elementwise(sp.exp, X * Theta)
    return ClosedForms(
        _sum((sp.exp(inner(i)) - y[i]) * x[i, j]) / m,
        _ones().T * (rate - sp.HadamardProduct(Y, X * Theta)) / m,
        X.T * (rate - Y) / m,
        X.T * DiagMatrix(rate) * X / m,
    )


def _sigmoid_squared() -> ClosedForms:
    """(1/2m)Σ(σ − y)²: gradient (1/m)Σ(σ − y)σ(1 − σ)x_j; the Hessian's weights σ(1−σ)[σ(1−σ) + (σ − y)(1 − 2σ)]
    are negative where σ is on the far side of y: the cost is not convex."""
    h = elementwise(sigmoid, X * Theta)
    ones = _ones()
    slope = sp.HadamardProduct(h, ones - h)
    residual = h - Y
    curvature = sp.HadamardProduct(slope, slope + sp.HadamardProduct(residual, ones - 2 * h))
    return ClosedForms(
        _sum((_h() - y[i]) * _h() * (1 - _h()) * x[i, j]) / m,
        residual.T * residual / (2 * m),
        X.T * sp.HadamardProduct(residual, slope) / m,
        X.T * DiagMatrix(curvature) * X / m,
    )


def _hinge() -> ClosedForms:
    """(1/m)Σ max(0, 1 − y θᵀx) + (λ/2m)Σ_{j≥1}θ_j²: the subgradient −(1/m)Σ y 1[y θᵀx < 1] x_j + (λ/m)θ_j (j ≥ 1),
    taking 0 at the kink; the Hessian is (λ/m) on the weights almost everywhere, and none is written."""
    slack = sp.OneMatrix(m, 1) - sp.HadamardProduct(X * Theta, Y)
    active = y[i] * step(1 - y[i] * inner(i))
    return ClosedForms(
        -_sum(active * x[i, j]) / m + lam / m * theta[j] * (1 - sp.KroneckerDelta(j, 0)),
        _ones().T * elementwise(relu, slack) / m + lam / (2 * m) * Theta.T * _not_bias() * Theta,
        -X.T * sp.HadamardProduct(elementwise(step, slack), Y) / m + lam / m * _not_bias() * Theta,
        None,
    )


def _probit() -> ClosedForms:
    """−(1/m)Σ[y log Φ(θᵀx) + (1−y) log(1 − Φ(θᵀx))]: the score with the ratios a = φ/Φ and b = φ/(1 − Φ),
    gradient −(1/m)Σ[y a − (1−y) b] x_j, Hessian (1/m)Xᵀ diag(y a(a + z) + (1−y) b(b − z)) X at z = θᵀx."""
    z = X * Theta
    ones = _ones()
    a = elementwise(lambda u: normal_pdf(u) / normal_cdf(u), z)
    b = elementwise(lambda u: normal_pdf(u) / (1 - normal_cdf(u)), z)
    log_cdf = elementwise(lambda u: sp.log(normal_cdf(u)), z)
    log_tail = elementwise(lambda u: sp.log(1 - normal_cdf(u)), z)
    u = inner(i)
    score = y[i] * normal_pdf(u) / normal_cdf(u) - (1 - y[i]) * normal_pdf(u) / (1 - normal_cdf(u))
    weights = sp.HadamardProduct(Y, a, a + z) + sp.HadamardProduct(ones - Y, b, b - z)
    return ClosedForms(
        -_sum(score * x[i, j]) / m,
        -(Y.T * log_cdf + (ones - Y).T * log_tail) / m,
        -X.T * (sp.HadamardProduct(Y, a) - sp.HadamardProduct(ones - Y, b)) / m,
        X.T * DiagMatrix(weights) * X / m,
    )


def _penalties(l1: sp.Expr, l2: sp.Expr) -> tuple[sp.Expr, sp.MatrixExpr, sp.MatrixExpr]:
    """l1·Σ_{j≥1}|θ_j| + (l2/2)·Σ_{j≥1}θ_j²: its derivative in sum form, its matrix cost and gradient.

    The subgradient of |θ_j| is sign(θ_j), which takes 0 at the kink θ_j = 0."""
    weights = sp.OneMatrix(n + 1, 1) - E0  # (0, 1, …, 1): the bias is not penalised
    sum_form = (l1 * sp.sign(theta[j]) + l2 * theta[j]) * (1 - sp.KroneckerDelta(j, 0))
    cost = l1 * weights.T * elementwise(sp.Abs, Theta) + l2 / 2 * Theta.T * _not_bias() * Theta
    gradient = l1 * sp.HadamardProduct(weights, elementwise(sp.sign, Theta)) + l2 * _not_bias() * Theta
    return sum_form, cost, gradient


def _least_squares_penalised(l1: sp.Expr, l2: sp.Expr) -> ClosedForms:
    """(1/2m)Σ(θᵀx − y)² plus :func:`_penalties`; no Hessian is written (|θ_j| has a kink)."""
    base = _least_squares(1 / (2 * m), False)
    sum_form, cost, gradient = _penalties(l1, l2)
    return ClosedForms(base.gradient + sum_form, base.matrix_cost + cost, base.matrix_gradient + gradient, None)


def _huber() -> ClosedForms:
    """(1/m)Σ H(θᵀx − y), H(r) = r²/2 − relu(|r| − 1)²/2 (r²/2 inside |r| ≤ 1, |r| − 1/2 outside):
    gradient (1/m)Σ [r − relu(|r| − 1)·sign(r)] x_j, the residual clipped to [−1, 1]."""
    r = inner(i) - y[i]
    residual = X * Theta - Y
    return ClosedForms(
        _sum((r - relu(sp.Abs(r) - 1) * sp.sign(r)) * x[i, j]) / m,
        _ones().T * elementwise(lambda u: (u**2 - relu(sp.Abs(u) - 1) ** 2) / 2, residual) / m,
        X.T * elementwise(lambda u: u - relu(sp.Abs(u) - 1) * sp.sign(u), residual) / m,
        None,
    )


# --- several classes: W ((n+1) × K), one-hot labels Y (m × K) ----------------------------------------


def _scores() -> sp.MatrixExpr:
    return X * W_matrix


def _all_ones(rows: sp.Expr, cols: sp.Expr) -> sp.MatrixExpr:
    return sp.OneMatrix(rows, 1) * sp.OneMatrix(cols, 1).T


def _explicit_score(row: sp.Expr, cls: sp.Expr) -> sp.Expr:
    """w_clsᵀx⁽ʳᵒʷ⁾ written out: Σ_k W_k,cls x_k⁽ʳᵒʷ⁾ (what a cost as read contains)."""
    return score(row, cls).definition()


def softmax_cost(regularised: bool = False) -> sp.Expr:
    """−(1/m) Σ_i Σ_a y_a⁽ⁱ⁾ log(e^{w_aᵀx⁽ⁱ⁾} / Σ_b e^{w_bᵀx⁽ⁱ⁾}) (+ (λ/2m) Σ_k Σ_a W_ka²), scores written out.

    >>> softmax_cost().has(W, y) and not softmax_cost().has(score)
    True
    """
    ratio = sp.exp(_explicit_score(i, a)) / sp.Sum(sp.exp(_explicit_score(i, b)), (b, *CLASSES[1:]))
    cost = -sp.Sum(y[i, a] * sp.log(ratio), CLASSES, EXAMPLES) / m
    if regularised:
        cost += lam / (2 * m) * sp.Sum(W[k, a] ** 2, FEATURES, CLASSES)
    return cost


def svm_cost() -> sp.Expr:
    """(1/m) Σ_i Σ_a (1 − y_a⁽ⁱ⁾) ReLU(w_aᵀx⁽ⁱ⁾ − Σ_b y_b⁽ⁱ⁾ w_bᵀx⁽ⁱ⁾ + 1): the multiclass hinge, scores written out."""
    margin = _explicit_score(i, a) - sp.Sum(y[i, b] * _explicit_score(i, b), (b, *CLASSES[1:])) + 1
    return sp.Sum((1 - y[i, a]) * relu(margin), CLASSES, EXAMPLES) / m


def _softmax(regularised: bool) -> ClosedForms:
    """The cross-entropy of softmax(XW): gradient (1/m) Σ_i (p_c⁽ⁱ⁾ − y_c⁽ⁱ⁾) x_j⁽ⁱ⁾ = [(1/m) Xᵀ(P − Y)]_jc.

    The matrix cost −(1/m) 1ᵀ[Y ⊙ (XW − LSE(XW) 1ᵀ)]1 takes the log-sum-exp of each row stably (and equals
    the sum form for any Y); the gradient uses Σ_c y_c⁽ⁱ⁾ = 1 (one-hot, or any rows of probabilities).
    The Hessian in W is (1/m) Σ_i (diag(p⁽ⁱ⁾) − p⁽ⁱ⁾p⁽ⁱ⁾ᵀ) ⊗ x⁽ⁱ⁾x⁽ⁱ⁾ᵀ, four indices: none is written."""
    ones_m, ones_k = sp.OneMatrix(m, 1), sp.OneMatrix(K, 1)
    log_p = _scores() - LogSumExp(_scores()) * ones_k.T
    forms = ClosedForms(
        _sum((probability(i, c) - y[i, c]) * x[i, j]) / m,
        -ones_m.T * sp.HadamardProduct(Y_onehot, log_p) * ones_k / m,
        X.T * (Softmax(_scores()) - Y_onehot) / m,
        None,
    )
    if not regularised:
        return forms
    return ClosedForms(
        forms.gradient + lam / m * W[j, c],
        forms.matrix_cost
        + lam / (2 * m) * ones_k.T * sp.HadamardProduct(W_matrix, W_matrix).T * sp.OneMatrix(n + 1, 1),
        forms.matrix_gradient + lam / m * W_matrix,
        None,
    )


def _svm_multiclass() -> ClosedForms:
    """(1/m) Σ_i Σ_a (1 − y_a) ReLU(u_a), u_a = w_aᵀx − Σ_b y_b w_bᵀx + 1: the subgradient, 1[u > 0] (0 at u = 0),
    (1/m) Σ_i [(1 − y_c) 1[u_c > 0] − y_c Σ_a (1 − y_a) 1[u_a > 0]] x_j: each violated margin pushes its class
    up and the true class down.  In matrix form A = (𝟏𝟏ᵀ − Y) ⊙ 1[U > 0], gradient (1/m) Xᵀ(A − Y ⊙ (A 𝟏𝟏ᵀ))."""
    ones = _all_ones(m, K)
    margins = _scores() - sp.HadamardProduct(Y_onehot, _scores()) * _all_ones(K, K) + ones
    wrong = ones - Y_onehot
    active = sp.HadamardProduct(wrong, elementwise(step, margins))
    # Σ_{i,a} as one sum, not Σ_i (… Σ_a 1[u_a > 0] …): SymPy's Sum pulls a Piecewise out of an inner sum
    # (leaving a free) when the checker rewrites the step, and the written-out value would be wrong.
    violations = sp.Sum(y[i, c] * (1 - y[i, a]) * step(margin(i, a)) * x[i, j], CLASSES, EXAMPLES)
    return ClosedForms(
        (_sum((1 - y[i, c]) * step(margin(i, c)) * x[i, j]) - violations) / m,
        sp.OneMatrix(m, 1).T * sp.HadamardProduct(wrong, elementwise(relu, margins)) * sp.OneMatrix(K, 1) / m,
        X.T * (active - sp.HadamardProduct(Y_onehot, active * _all_ones(K, K))) / m,
        None,
    )


def _class_model(name: str, cost: sp.Expr, closed: ClosedForms, definitions: tuple[Definition, ...], folded: int):
    """A model over W_jc: its cost written with the first ``folded`` names (w_aᵀx⁽ⁱ⁾, the margin u_a⁽ⁱ⁾; the softmax
    p_a⁽ⁱ⁾ stays written out, for the log-softmax rule), the goal ∂J(W)/∂W_jc and its closed forms."""
    from .catalog import CATALOG, CLASS_ENTRIES
    from .models import Form, Model

    e = CATALOG.get(name) or CLASS_ENTRIES[name]
    written = cost
    for definition in definitions[:folded]:  # w_aᵀx⁽ⁱ⁾ first: the later names are written with it
        written = definition.fold(written)
    J = abbreviation("J", (), written, "J(W)", r"J\left(W\right)")()
    goal = sp.Derivative(J, W[j, c], evaluate=False)
    return Model(
        name,
        e.title,
        e.summary,
        {"sum": Form(written, goal, W[j, c], closed.gradient, definitions)},
        closed.matrix_cost,
        closed.matrix_gradient,
        closed.matrix_hessian,
        parameters=(lam,) if cost.has(lam) else (),
        labels="onehot",
        labels_note="data sampled with one-hot labels y_c⁽ⁱ⁾ (m × K): the cost sums over the classes",
        cost_text=e.cost,
    )


_SOFTMAX_NAMES = (Definition.of(score), Definition.of(probability))

# The models over W, built whole here (the cost readers do not read W yet): name → Model.
CLASS_MODELS: dict[str, Callable] = {
    "softmax": lambda: _class_model("softmax", softmax_cost(), _softmax(False), _SOFTMAX_NAMES, 1),
    "softmax-l2": lambda: _class_model("softmax-l2", softmax_cost(True), _softmax(True), _SOFTMAX_NAMES, 1),
    "svm-multiclass": lambda: _class_model(
        "svm-multiclass", svm_cost(), _svm_multiclass(), (Definition.of(score), Definition.of(margin)), 2
    ),
}

FAMILY: dict[str, Callable[[], ClosedForms]] = {
    "logistic-sum": lambda: _cross_entropy(sp.S.One),
    "logistic-l2-all": _logistic_l2_all,
    "logistic-pm1": _logistic_pm1,
    "logistic-l2-lambda": _logistic_l2_lambda,
    # ℓ(θ) = Σ [y log h + (1−y) log(1−h)], maximised: gradient Xᵀ(y − σ(Xθ)), Hessian −Xᵀ diag(σ(1−σ)) X
    "logistic-loglik": lambda: _cross_entropy(-sp.S.One),
    "linear-mean": lambda: _least_squares(1 / m, False),
    "ridge": lambda: _least_squares(1 / (2 * m), True),
    "poisson": _poisson,
    "sigmoid-squared": _sigmoid_squared,
    "hinge": _hinge,
    "probit": _probit,
    "huber": _huber,
    "lasso": lambda: _least_squares_penalised(lam, sp.S.Zero),
    "elastic-net": lambda: _least_squares_penalised(lam / 2, lam / 2),
    "softmax": lambda: _softmax(False),
    "softmax-l2": lambda: _softmax(True),
    "svm-multiclass": _svm_multiclass,
}

__all__ = ["CLASS_MODELS", "FAMILY", "ClosedForms", "softmax_cost", "svm_cost"]
