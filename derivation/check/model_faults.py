"""The faults of the model itself in a wrong gradient: σ missing or doubled, x_j missing, another model, ∂J/∂X.

Each function gives, per dataset, the values one mistake produces (``{explanation: arrays}``),
computed from the model's own matrix forms (its gradient with σ removed or doubled, its cost
differentiated by X or y with the complex step), so they follow the catalog and need no
per-model code; :mod:`derivation.check.diagnose` registers them as hypotheses.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from ..core.functions import sigmoid
from ..core.functions.piecewise import step
from ..core.notation import E0, Theta, X, Y, elementwise, m, y
from ..models import MODELS
from ..oracle.datasets import cost_gradient, labels_of
from .compare import Arrays, Problem


def _map_applied(expr: sp.Basic, function: type, replace: Callable[[sp.MatrixExpr], sp.MatrixExpr]) -> sp.Basic:
    """``expr`` with every element-wise ``function``(A) (σ, the step) replaced by ``replace(A)``."""
    if isinstance(expr, ElementwiseApplyFunction) and isinstance(expr.function.expr, function):
        return replace(_map_applied(expr.expr, function, replace))
    if not expr.args or isinstance(expr, sp.MatrixSymbol):
        return expr
    args = tuple(_map_applied(a, function, replace) for a in expr.args)
    return expr if args == expr.args else expr.func(*args)


def _map_sigmoid(expr: sp.Basic, replace: Callable[[sp.MatrixExpr], sp.MatrixExpr]) -> sp.Basic:
    """``expr`` with every element-wise σ(A) replaced by ``replace(A)``."""
    return _map_applied(expr, sigmoid, replace)


def _applied(problem: Problem, function: type) -> list[sp.MatrixExpr]:
    """The arguments A of every element-wise ``function``(A) in the model's gradient."""
    atoms = problem.model.matrix_gradient.atoms(ElementwiseApplyFunction)
    return [e.expr for e in atoms if isinstance(e.function.expr, function)]


def _has_sigmoid(problem: Problem) -> bool:
    return bool(_applied(problem, sigmoid))


def sigmoid_missing(problem: Problem) -> dict[str, Arrays]:
    """Sigmoid missing: Xθ where σ(Xθ) belongs."""
    if not _has_sigmoid(problem):
        return {}
    return {
        "Xθ where σ(Xθ) belongs: h_θ(x) = σ(θᵀx), not θᵀx": problem.values(
            _map_sigmoid(problem.model.matrix_gradient, lambda a: a)
        )
    }


def sigmoid_twice(problem: Problem) -> dict[str, Arrays]:
    """Sigmoid applied twice: σ(σ(Xθ)), e.g. σ applied to h that already is σ(θᵀx)."""
    if not _has_sigmoid(problem):
        return {}
    twice = _map_sigmoid(problem.model.matrix_gradient, lambda a: elementwise(sigmoid, elementwise(sigmoid, a)))
    return {"σ(σ(Xθ)): σ applied to h, which already is σ(θᵀx)": problem.values(twice)}


def inner_derivative(problem: Problem) -> dict[str, Arrays]:
    """Inner derivative missing: Σ(h − y)/m without the factor x_j from ∂(θᵀx)/∂θ_j."""
    parts = problem.residual_parts()
    if parts is None:  # a gradient not in the form c·Xᵀ(h − y) (a cost's own, one feature): θ₀'s entry everywhere
        return _inner_derivative_by_entries(problem)
    sums = [np.asarray(c * v.sum()) for c, v, _ in parts]
    return {
        "(1/m) Σ (h − y) without the factor x_j⁽ⁱ⁾ that ∂(θᵀx⁽ⁱ⁾)/∂θ_j gives (one number)": sums,
        "(1/m) Σ (h − y) in every component: the factor x_j⁽ⁱ⁾ is missing": [
            np.full(d.p, s) for s, d in zip(sums, problem.datasets, strict=True)
        ],
    }


def _inner_derivative_by_entries(problem: Problem) -> dict[str, Arrays]:
    """Every entry the θ₀ one (x₀ = 1): what ∂J/∂θ_j is with the factor x_j⁽ⁱ⁾ left out, for any cost whose data
    enter through θᵀx⁽ⁱ⁾."""
    expected = [np.asarray(g, dtype=float) for g in problem.expected]
    if any(g.ndim != 1 or g.size < 2 for g in expected) or any(not np.all(d.X[:, 0] == 1) for d in problem.datasets):
        return {}
    missing = "the factor x_j⁽ⁱ⁾ that ∂(θᵀx⁽ⁱ⁾)/∂θ_j gives is missing"
    return {
        f"every entry is the θ₀ one, Σᵢ ∂J/∂(θᵀx⁽ⁱ⁾): {missing}": [np.full(g.size, g[0]) for g in expected],
        f"one number, the θ₀ entry Σᵢ ∂J/∂(θᵀx⁽ⁱ⁾): {missing}": [np.asarray(g[0]) for g in expected],
    }


def squares_residual(problem: Problem) -> bool:
    """Whether the model's cost squares something of the labels ((h − y)², (θᵀx − y)²): only there are a kept square
    and a ½ cancelled by the square's 2 the slips of the chain rule they are named as."""
    form = problem.model.forms.get("sum")
    return form is not None and any(p.exp == 2 and p.base.has(y) for p in form.cost.atoms(sp.Pow))


def _residual_squared(problem: Problem) -> Arrays | None:
    """c·Xᵀ((h − y)²) per dataset: the residual squared inside the model's own data term; None without that form."""
    parts = problem.residual_parts()
    if parts is None:
        return None
    return [c * (d.X.T @ (v * v)) for (c, v, _), d in zip(parts, problem.datasets, strict=True)]


_SQUARED_WORDS = {  # whether the cost squares its residual: the square kept, else a square it never had
    True: "Σ (h − y)² x_j⁽ⁱ⁾ for Σ (h − y) x_j⁽ⁱ⁾: the square kept; d/du of ½u² is u, so the residual (h − y) "
    "appears once, not squared",
    False: "Σ (h − y)² x_j⁽ⁱ⁾ for Σ (h − y) x_j⁽ⁱ⁾: the residual (h − y) squared; the cost has no square, so (h − y) "
    "appears once",
}


def squared_residual(problem: Problem, kept: bool) -> dict[str, Arrays]:
    """The residual squared in the gradient: ``kept``, the square of a cost that squares it (Σ(h − y)²x_j/m, the
    power not brought down by the chain rule); else a stray one, where the cost has none (cross-entropy, Poisson)."""
    values = _residual_squared(problem) if squares_residual(problem) == kept else None
    return {} if values is None else {_SQUARED_WORDS[kept]: values}


def bias_outside(problem: Problem) -> dict[str, Arrays]:
    """σ(wᵀx) + b: the bias added after σ, in a model whose data term is c·Xᵀ(σ(Xθ) − y)."""
    parts = problem.residual_parts()
    if parts is None:
        return {}
    out = []
    for (c, _, f), d in zip(parts, problem.datasets, strict=True):
        if d.X.shape[1] < 2 or not np.allclose(f, 1 / (1 + np.exp(-(d.X @ d.theta))), rtol=1e-12, atol=0):
            return {}  # not σ(Xθ): no σ to put b outside of
        outside = 1 / (1 + np.exp(-(d.X[:, 1:] @ d.theta[1:]))) + d.theta[0]
        out.append(c * (d.X.T @ (outside - d.y)))
    return {"σ(wᵀx⁽ⁱ⁾) + b − y⁽ⁱ⁾ for σ(wᵀx⁽ⁱ⁾ + b) − y⁽ⁱ⁾: the bias goes inside σ": out}


# the margin of a step's argument as one example's, the way course notes write the indicator
_PER_EXAMPLE = {"𝟏 − ((Xθ) ⊙ y)": "1 − y θᵀx"}


def indicator_missing(problem: Problem) -> dict[str, Arrays]:
    """The subgradient's indicator 1[z > 0] dropped (every example counts) or reversed (1[z < 0])."""
    arguments = _applied(problem, step)
    if len(arguments) != 1:
        return {}
    from ..printing.expr import to_unicode

    written = to_unicode(arguments[0])
    z = _PER_EXAMPLE.get(written, written)
    gradient = problem.model.matrix_gradient
    dropped = _map_applied(gradient, step, lambda a: sp.OneMatrix(*a.shape))
    reversed_ = _map_applied(gradient, step, lambda a: elementwise(step, -a))
    return {
        f"the subgradient's indicator [{z} > 0] is missing: every example contributes, also those with "
        f"{z} ≤ 0 (zero loss there, so zero gradient): multiply each example's term by [{z} > 0]": problem.values(
            dropped
        ),
        f"the subgradient's indicator is reversed: [{z} < 0] where [{z} > 0] belongs (the examples with zero "
        "loss counted, the others not)": problem.values(reversed_),
    }


def intercept_sign(problem: Problem) -> dict[str, Arrays]:
    """Sign flipped on b: the intercept's component alone negated ((y − h) summed for db, (h − y) in dw)."""
    flipped = []
    for g in problem.expected:
        if g.ndim != 1 or not g[0] or not np.any(g[1:]):
            return {}
        flipped.append(np.concatenate([-g[:1], g[1:]]))
    return {
        "the sign is flipped on b (θ₀, the intercept) alone; the other components are right: compute db from the "
        "same residual as dw (h − y, not y − h)": flipped
    }


def bias_penalised(problem: Problem) -> dict[str, Arrays]:
    """The bias penalised: the model's penalty (L1 and any other) applied to θ₀ too (lasso's λ·sign(θ₀))."""
    if problem.reg_expr is None or not problem.reg_expr.has(E0):
        return {}
    every = problem.reg_expr.subs(E0, sp.ZeroMatrix(*E0.shape))
    values = problem.values(every)
    return {
        f"the penalty's gradient is applied to θ₀ (the intercept) too; {problem.model.name} leaves θ₀ unpenalised "
        "(its penalty sums over j ≥ 1): component 0 has no penalty term": [
            d + v for d, v in zip(problem.data, values, strict=True)
        ]
    }


def _drop_labels(expr: sp.Basic) -> sp.Basic:
    """``expr`` with y dropped from every product indicator ⊙ y (the labels that weight the hinge's examples)."""
    if isinstance(expr, sp.HadamardProduct) and Y in expr.args and any(a.has(step) for a in expr.args):
        rest = [_drop_labels(a) for a in expr.args if a != Y]
        return rest[0] if len(rest) == 1 else sp.HadamardProduct(*rest)
    if not expr.args or isinstance(expr, sp.MatrixSymbol):
        return expr
    args = tuple(_drop_labels(a) for a in expr.args)
    return expr if args == expr.args else expr.func(*args)


def labels_dropped(problem: Problem) -> dict[str, Arrays]:
    """Labels dropped: Σ 𝟏[y θᵀx < 1]·x where the hinge's subgradient has Σ 𝟏[y θᵀx < 1]·y·x."""
    if not _applied(problem, step):
        return {}
    dropped = _drop_labels(problem.model.matrix_gradient)
    if dropped == problem.model.matrix_gradient:
        return {}
    return {
        "the labels y⁽ⁱ⁾ are dropped from the data term: each example with a margin below 1 contributes −x⁽ⁱ⁾ where "
        "the subgradient of max(0, 1 − y θᵀx) has −y⁽ⁱ⁾x⁽ⁱ⁾: multiply by y (X.T @ (mask * y))": problem.values(dropped)
    }


def _squared_error_of_sigmoid() -> sp.MatrixExpr:
    r = elementwise(sigmoid, X * Theta) - Y
    return r.T * r / (2 * m)


def _other_data(other, labels: str) -> bool:
    """A model of other data (counts, labels ±1, or over W with one-hot labels) is not what a user confuses
    this one with (and a model over W does not even evaluate on a dataset for θ)."""
    theirs = labels_of(other)
    return theirs != labels and (theirs in ("pm1", "counts", "onehot") or labels == "onehot")


def other_model(problem: Problem) -> dict[str, Arrays]:
    """Gradient of another model: another catalog model's, or the squared error of σ(Xθ)."""
    out: dict[str, Arrays] = {}
    labels = labels_of(problem.model)
    for other in MODELS.values():
        if other.matrix_gradient is None or other.name == problem.model.name or _other_data(other, labels):
            continue
        values = problem.values(other.matrix_gradient)
        out[f"the gradient of {other.title.lower()} ({other.name}), not of {problem.model.name}"] = values
        if problem.regularised and not other.parameters:
            out[f"the gradient of {other.title.lower()} ({other.name}) plus the penalty"] = [
                v + r for v, r in zip(values, problem.reg, strict=True)
            ]
    if _has_sigmoid(problem):
        cost = _squared_error_of_sigmoid()
        values = [cost_gradient(cost, d, "theta").reshape(-1) for d in problem.datasets]
        out["the gradient of the squared error (1/2m)‖σ(Xθ) − y‖², with its extra σ(1−σ) factor"] = values
        if problem.regularised:
            out["the gradient of the squared error of σ(Xθ) plus the penalty"] = [
                v + r for v, r in zip(values, problem.reg, strict=True)
            ]
    return out


def wrong_variable(problem: Problem) -> dict[str, Arrays]:
    """Derivative with respect to the wrong variable: ∂J/∂X or ∂J/∂y instead of ∂J/∂θ."""
    cost = problem.model.matrix_cost
    if cost is None:
        return {}
    by_x = [cost_gradient(cost, d, "X") for d in problem.datasets]
    return {
        "∂J/∂X (one value per example and feature), not ∂J/∂θ": by_x,
        "∂J/∂y (one value per example), not ∂J/∂θ": [cost_gradient(cost, d, "y") for d in problem.datasets],
        "Σ_i ∂J/∂x_j⁽ⁱ⁾ (θ_j where x_j⁽ⁱ⁾ belongs): differentiated by x, not θ": [g.sum(axis=0) for g in by_x],
    }


__all__ = [
    "bias_penalised",
    "indicator_missing",
    "inner_derivative",
    "intercept_sign",
    "labels_dropped",
    "other_model",
    "sigmoid_missing",
    "sigmoid_twice",
    "wrong_variable",
]
