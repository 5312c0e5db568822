"""The catalog's light data: each model's name, title, one-line summary and which forms exist.

No SymPy here: the command line lists the catalog and checks its arguments from
this table alone, so ``derivation --help``, ``derivation models`` and a usage
error answer at once.  The expressions themselves are built on first use by
:func:`derivation.core.models.get_model`, which takes its names and words from here.

>>> entry("logistic").forms, entry("sigmoid").matrix
(('sum', 'example'), False)
"""

from __future__ import annotations

from dataclasses import dataclass

# The labels a model's data may need, by the name --labels takes (which one a cost needs: models/costs.py).
LABELS: dict[str, str] = {
    "01": "labels y ∈ {0, 1}",
    "pm1": "labels y ∈ {−1, +1}",
    "counts": "counts y ∈ {0, 1, 2, …}",
    "real": "real-valued y",
    "positive": "positive real y > 0",
    "prob": "soft labels 0 < y < 1",
    "onehot": "one-hot labels y_c⁽ⁱ⁾ (m × K)",
}


@dataclass(frozen=True)
class Entry:
    """What is known of a catalog model before its expressions are built."""

    name: str
    title: str
    summary: str
    forms: tuple[str, ...] = ("sum",)  # ways of writing the cost: "sum" (over examples), "example" (one)
    matrix: bool = False  # a matrix cost and gradient: gradient checks and generated kernels
    hessian: bool = False  # a matrix Hessian: show --hessian
    # The cost, written once in the notation a user writes with --cost (LaTeX unless ``python``); the model's
    # closed forms are written by hand, independently (core.family), and every derivation is checked against them.
    cost: str | None = None
    python: bool = False
    labels: str | None = None  # the data's labels (LABELS); None: inferred from the cost


_INNER = "Sum(theta[k]*x[i, k], (k, 0, n))"  # θᵀx⁽ⁱ⁾ in Python syntax
_CROSS_ENTROPY = (
    r"-\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}\log\sigma(\theta^T x^{(i)})"
    r" + (1-y^{(i)})\log\left(1-\sigma(\theta^T x^{(i)})\right)\right]"
)

# The first three are built by hand in sum, example and matrix form (core.models); their cost text here is
# checked to be the same cost (tests/test_catalog_models.py).  The others are built from their cost text.
CATALOG: dict[str, Entry] = {
    e.name: e
    for e in (
        Entry(
            "logistic",
            "Logistic regression",
            "cross-entropy cost of σ(θᵀx): −(1/m) Σ [y log h + (1−y) log(1−h)]",
            ("sum", "example"),
            matrix=True,
            hessian=True,
            cost=_CROSS_ENTROPY,
        ),
        Entry(
            "logistic-l2",
            "Logistic regression with an L2 penalty",
            "cross-entropy of σ(θᵀx) plus (λ/2m)·Σ_{j≥1} θ_j² (bias not penalised)",
            matrix=True,
            hessian=True,
            cost=_CROSS_ENTROPY + r" + \frac{\lambda}{2m}\sum_{k=1}^n \theta_k^2",
        ),
        Entry(
            "linear",
            "Linear regression",
            "squared error (1/2m) Σ (θᵀx − y)²",
            ("sum", "example"),
            True,
            True,
            cost=r"\frac{1}{2m}\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)^2",
        ),
        Entry("sigmoid", "The sigmoid function", "σ(z) = 1/(1+e^(−z)), whose derivative is σ(1−σ)"),
        *(
            Entry(name, title, summary, matrix=True, hessian=True, cost=cost, labels=labels)
            for name, title, summary, cost, labels in (
                (
                    "logistic-sum",
                    "Logistic regression, summed",
                    "cross-entropy of σ(θᵀx) summed, not averaged: −Σ [y log h + (1−y) log(1−h)]",
                    _CROSS_ENTROPY.replace(r"\frac{1}{m}", ""),
                    None,
                ),
                (
                    "logistic-l2-all",
                    "Logistic regression with an L2 penalty on all of θ",
                    "cross-entropy of σ(θᵀx) plus (λ/2m)·Σ_{j≥0} θ_j² (bias penalised too)",
                    _CROSS_ENTROPY + r" + \frac{\lambda}{2m}\sum_{k=0}^n \theta_k^2",
                    None,
                ),
                (
                    "logistic-pm1",
                    "Logistic regression with labels ±1",
                    "(1/m) Σ log(1 + e^(−y θᵀx)), labels y ∈ {−1, +1}",
                    r"\frac{1}{m}\sum_{i=1}^m \log\left(1+e^{-y^{(i)}\theta^T x^{(i)}}\right)",
                    None,
                ),
                (
                    "logistic-l2-lambda",
                    "Logistic regression with an L2 penalty λ·Σθ²",
                    "cross-entropy of σ(θᵀx) plus λ·Σ_{j≥1} θ_j² (λ not divided by m; bias not penalised)",
                    _CROSS_ENTROPY + r" + \lambda\sum_{k=1}^n \theta_k^2",
                    None,
                ),
                (
                    "logistic-loglik",
                    "Logistic log-likelihood (gradient ascent)",
                    "ℓ(θ) = Σ [y log h + (1−y) log(1−h)], maximised: its gradient Xᵀ(y − σ(Xθ)) is climbed",
                    _CROSS_ENTROPY.replace(r"-\frac{1}{m}", ""),
                    None,
                ),
                (
                    "linear-mean",
                    "Linear regression, mean squared error",
                    "squared error (1/m) Σ (θᵀx − y)² (no 1/2)",
                    r"\frac{1}{m}\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)^2",
                    None,
                ),
                (
                    "ridge",
                    "Ridge regression",
                    "squared error (1/2m) Σ (θᵀx − y)² plus (λ/2m)·Σ_{j≥1} θ_j² (bias not penalised)",
                    r"\frac{1}{2m}\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)^2"
                    r" + \frac{\lambda}{2m}\sum_{k=1}^n \theta_k^2",
                    None,
                ),
                (
                    "poisson",
                    "Poisson regression (log link)",
                    "negative log-likelihood (1/m) Σ (e^(θᵀx) − y θᵀx), counts y",
                    r"\frac{1}{m}\sum_{i=1}^m \left(e^{\theta^T x^{(i)}} - y^{(i)}\theta^T x^{(i)}\right)",
                    None,
                ),
                (
                    "sigmoid-squared",
                    "Squared error through the sigmoid",
                    "(1/2m) Σ (σ(θᵀx) − y)², labels {0, 1}: not convex in θ",
                    r"\frac{1}{2m}\sum_{i=1}^m \left(\sigma(\theta^T x^{(i)}) - y^{(i)}\right)^2",
                    "01",
                ),
            )
        ),
        Entry(
            "hinge",
            "Linear SVM (hinge loss)",
            "(1/m) Σ max(0, 1 − y θᵀx) plus (λ/2m)·Σ_{j≥1} θ_j², labels ±1: a subgradient, kink at y θᵀx = 1",
            matrix=True,
            cost="Sum(relu(1 - y[i]*Sum(theta[k]*x[i, k], (k, 0, n))), (i, 0, m-1))/m"
            " + lam/(2*m)*Sum(theta[k]**2, (k, 1, n))",
            python=True,
            labels="pm1",
        ),
        Entry(
            "probit",
            "Probit regression",
            "negative log-likelihood −(1/m) Σ [y log Φ(θᵀx) + (1−y) log(1 − Φ(θᵀx))], labels {0, 1}",
            matrix=True,
            hessian=True,
            cost="-Sum(y[i]*log(Phi(Sum(theta[k]*x[i, k], (k, 0, n))))"
            " + (1 - y[i])*log(1 - Phi(Sum(theta[k]*x[i, k], (k, 0, n)))), (i, 0, m-1))/m",
            python=True,
        ),
        Entry(
            "huber",
            "Huber regression (δ = 1)",
            "(1/m) Σ H(θᵀx − y): r²/2 for |r| ≤ 1, |r| − 1/2 beyond; kinks of the second derivative at |r| = 1",
            matrix=True,
            cost=f"Sum(({_INNER} - y[i])**2 - relu(abs({_INNER} - y[i]) - 1)**2, (i, 0, m-1))/(2*m)",
            python=True,
        ),
        Entry(
            "lasso",
            "Lasso (L1-penalised least squares)",
            "(1/2m) Σ (θᵀx − y)² plus λ·Σ_{j≥1} |θ_j|: a subgradient, sign(θ_j), kink at θ_j = 0",
            matrix=True,
            cost=f"Sum(({_INNER} - y[i])**2, (i, 0, m-1))/(2*m) + lam*Sum(abs(theta[k]), (k, 1, n))",
            python=True,
        ),
        Entry(
            "elastic-net",
            "Elastic net (L1 and L2 penalties, half each)",
            "(1/2m) Σ (θᵀx − y)² plus (λ/2)·Σ_{j≥1} |θ_j| + (λ/4)·Σ_{j≥1} θ_j²: a subgradient, kink at θ_j = 0",
            matrix=True,
            cost=f"Sum(({_INNER} - y[i])**2, (i, 0, m-1))/(2*m) + lam/2*Sum(abs(theta[k]), (k, 1, n))"
            " + lam/4*Sum(theta[k]**2, (k, 1, n))",
            python=True,
        ),
    )
}


# Models over W ((n+1) × K) with one-hot labels Y (m × K), classes 1..K (core.notation).  In Python syntax the
# classes are summed over 0..K−1 as the examples over 0..m−1; the sum form counts both from 1.  Their models are
# built whole in core.family (CLASS_MODELS): the cost readers do not read W and two-index y yet.
_SCORE = "Sum(W[k, {0}]*x[i, k], (k, 0, n))"  # w_{0}ᵀx⁽ⁱ⁾ in Python syntax
_SOFTMAX = (
    f"-Sum(Sum(y[i, a]*log(exp({_SCORE.format('a')})/Sum(exp({_SCORE.format('b')}), (b, 0, K-1))),"
    " (a, 0, K-1)), (i, 0, m-1))/m"
)
CLASS_ENTRIES: dict[str, Entry] = {
    e.name: e
    for e in (
        Entry(
            "softmax",
            "Softmax regression (multinomial logistic)",
            "cross-entropy −(1/m) Σ_i Σ_c y_c log p_c, p = softmax(Wᵀx), W (n+1) × K, one-hot y: (1/m) Xᵀ(P − Y)",
            matrix=True,
            cost=_SOFTMAX,
            python=True,
            labels="onehot",
        ),
        Entry(
            "softmax-l2",
            "Softmax regression with an L2 penalty",
            "softmax cross-entropy plus (λ/2m)·Σ_k Σ_c W_kc² over all of W (bias row too): (1/m) Xᵀ(P − Y) + (λ/m) W",
            matrix=True,
            cost=_SOFTMAX + " + lam/(2*m)*Sum(Sum(W[k, a]**2, (k, 0, n)), (a, 0, K-1))",
            python=True,
            labels="onehot",
        ),
        Entry(
            "svm-multiclass",
            "Multiclass SVM (Weston–Watkins hinge)",
            "(1/m) Σ_i Σ_{c≠y_i} max(0, w_cᵀx − w_{y_i}ᵀx + 1), one-hot y: a subgradient, kink at each margin = 0",
            matrix=True,
            cost=f"Sum(Sum((1 - y[i, a])*relu({_SCORE.format('a')}"
            f" - Sum(y[i, b]*{_SCORE.format('b')}, (b, 0, K-1)) + 1), (a, 0, K-1)), (i, 0, m-1))/m",
            python=True,
            labels="onehot",
        ),
    )
}


CATALOG.update(CLASS_ENTRIES)  # the catalog lists them after the θ family

# Networks: several parameters (W1, b1, W2, b2) derived by backpropagation (derivation.nets), listed with the
# catalog and taken by show, kernel and check, but not a Model over one parameter.
NETWORK_ENTRIES: dict[str, Entry] = {
    "mlp": Entry(
        "mlp",
        "Two-layer network (backpropagation)",
        "X → affine → σ/tanh/ReLU → affine → softmax or sigmoid cross-entropy (+ L2): ∂J/∂W1, b1, W2, b2",
        matrix=True,
    )
}


def entry(name: str) -> Entry:
    """The entry called ``name``; a KeyError that lists the catalog otherwise.

    >>> entry("nope")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "unknown model 'nope'; the catalog has: logistic, logistic-l2, linear, sigmoid, logistic-sum, ..."
    """
    try:
        return CATALOG[name]
    except KeyError:
        raise KeyError(f"unknown model {name!r}; the catalog has: {', '.join(CATALOG)}") from None


def no_gradient_to_check(name: str) -> str:
    """Why model ``name`` (one without a matrix form) has no gradient over θ to check."""
    have = ", ".join(e.name for e in CATALOG.values() if e.matrix)
    return f"model {name!r} has no gradient over θ to check; models with one: {have}"


def no_kernel(name: str) -> str:
    """Why model ``name`` (one without a matrix form) has no generated kernel."""
    have = ", ".join(sorted(e.name for e in CATALOG.values() if e.matrix))
    return (
        f"model {name!r} has no matrix form (matrix_cost / matrix_gradient), "
        f"and kernels are generated from the matrix form; models with one: {have}"
    )


__all__ = [
    "CATALOG",
    "CLASS_ENTRIES",
    "LABELS",
    "NETWORK_ENTRIES",
    "Entry",
    "entry",
    "no_gradient_to_check",
    "no_kernel",
]
