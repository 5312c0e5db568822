"""What a model is, and the models written out by hand: each model is data, never code in the engine.

A model gives its cost in sum form (θ_j, x_j⁽ⁱ⁾, y⁽ⁱ⁾, m), per-example form and
matrix form, the definitions its notation abbreviates (h_θ(x) = σ(θᵀx)), and
its closed-form gradient (sum and matrix form) and Hessian (matrix form), so
that every derivation can be checked against an answer it did not produce.
Names, titles and summaries are :mod:`derivation.core.catalog`'s.  :data:`HAND_BUILT` holds the
models written out here in every form; :mod:`derivation.models` builds the catalog from them and from
the catalog's cost texts, each on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp
from sympy.matrices.expressions.diagonal import DiagMatrix

from .catalog import CATALOG
from .functions import Abbreviation, Definition, abbreviation, sigmoid
from .notation import (
    E0,
    EXAMPLES,
    FEATURES,
    Theta,
    X,
    Y,
    elementwise,
    example_inner,
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
    y_example,
    z,
)


@dataclass(frozen=True)
class Form:
    """One way of writing a model's cost: the expression, what it is called, by what we differentiate."""

    cost: sp.Expr
    goal: sp.Expr  # the left-hand side as printed, e.g. ∂J/∂θ_j
    variable: sp.Expr
    gradient: sp.Expr  # closed form of the derivative, written independently of the engine
    definitions: tuple[Definition, ...]


@dataclass(frozen=True, eq=False)  # hashed by identity: a model (also one read from a cost) keys caches
class Model:
    """A catalog entry; ``forms`` maps "sum" / "example" to a :class:`Form`."""

    name: str
    title: str
    summary: str
    forms: dict[str, Form]
    matrix_cost: sp.MatrixExpr | None = None
    matrix_gradient: sp.MatrixExpr | None = None
    matrix_hessian: sp.MatrixExpr | None = None
    parameters: tuple[sp.Symbol, ...] = field(default_factory=tuple)
    labels: str | None = None  # the data's labels (core.catalog.LABELS); None: {0, 1} when the cost takes a log
    labels_note: str | None = None  # which labels, and why, for reports
    cost_text: str | None = None  # the cost as its author wrote it, for a model read from a cost
    # Whether forms' gradients and the matrix forms were written independently of the engine (the catalog's
    # closed forms); a cost's model has only what the engine derived, checked numerically.
    independent: bool = True

    @property
    def vectorised(self) -> bool:
        """Whether the matrix cost and gradient are matrix expressions (a kernel can be generated)."""
        return isinstance(self.matrix_cost, sp.MatrixExpr) and isinstance(self.matrix_gradient, sp.MatrixExpr)

    def form(self, name: str = "sum") -> Form:
        """The cost written in form ``name``."""
        try:
            return self.forms[name]
        except KeyError:
            raise KeyError(f"model {self.name!r} has no {name!r} form; it has: {', '.join(self.forms)}") from None


def cost_symbol(name: str, body: sp.Expr, unicode: str, latex: str) -> sp.Expr:
    """The cost's name, e.g. J(θ), standing for ``body`` (a definition the printers can write out)."""
    return abbreviation(name, (), body, unicode, latex)()


def goal(cost: sp.Expr, variable: sp.Expr) -> sp.Derivative:
    """The left-hand side as printed, e.g. ∂J/∂θ_j."""
    return sp.Derivative(cost, variable, evaluate=False)


def _ones(rows: sp.Expr) -> sp.MatrixExpr:
    return sp.OneMatrix(rows, 1)


def _hypothesis(body_of_row, unicode: str = "h_θ(x⁽{0}⁾)", latex: str = r"h_\theta\left(x^{{({0})}}\right)"):
    return abbreviation("h", (i,), body_of_row(i), unicode, latex)


def _example_hypothesis(body: sp.Expr) -> type[Abbreviation]:
    return abbreviation("h", (), body, "h_θ(x)", r"h_\theta\left(x\right)")


# --- logistic regression -------------------------------------------------------------------


def _logistic(regularised: bool) -> Model:
    h = _hypothesis(lambda row: sigmoid(inner(row)))
    h_example = _example_hypothesis(sigmoid(example_inner()))
    data_term = -sp.Sum(y[i] * sp.log(h(i)) + (1 - y[i]) * sp.log(1 - h(i)), EXAMPLES) / m
    data_gradient = sp.Sum((h(i) - y[i]) * x[i, j], EXAMPLES) / m
    penalty = lam / (2 * m) * sp.Sum(theta[k] ** 2, (k, 1, n)) if regularised else sp.S.Zero
    # d/dθ_j of the penalty: (λ/m) θ_j for j ≥ 1, nothing for the bias θ_0.
    penalty_gradient = lam / m * theta[j] * (1 - sp.KroneckerDelta(j, 0)) if regularised else sp.S.Zero
    cost = data_term + penalty
    J = cost_symbol("J", cost, "J(θ)", r"J\left(\theta\right)")

    example_cost = -(y_example * sp.log(h_example()) + (1 - y_example) * sp.log(1 - h_example()))
    G = cost_symbol("G", example_cost, "G(θ)", r"G\left(\theta\right)")
    example_gradient = (h_example() - y_example) * x[j]

    h_vec = elementwise(sigmoid, X * Theta)
    ones = _ones(m)
    matrix_cost = -(Y.T * elementwise(sp.log, h_vec) + (ones - Y).T * elementwise(sp.log, ones - h_vec)) / m
    matrix_gradient = X.T * (h_vec - Y) / m
    weights = sp.HadamardProduct(h_vec, ones - h_vec)
    matrix_hessian = X.T * DiagMatrix(weights) * X / m
    parameters: tuple[sp.Symbol, ...] = ()
    if regularised:
        # E zeroes the bias row: [0, 1, ..., 1] on the diagonal.
        mask = sp.Identity(n + 1) - _bias_selector()
        matrix_cost = matrix_cost + lam / (2 * m) * Theta.T * mask * Theta
        matrix_gradient = matrix_gradient + lam / m * mask * Theta
        matrix_hessian = matrix_hessian + lam / m * mask
        parameters = (lam,)

    forms = {
        "sum": Form(cost, goal(J, theta[j]), theta[j], data_gradient + penalty_gradient, (Definition.of(h),)),
    }
    if not regularised:
        forms["example"] = Form(
            example_cost, goal(G, theta[j]), theta[j], example_gradient, (Definition.of(h_example),)
        )
    name = "logistic-l2" if regularised else "logistic"
    return _model(name, forms, matrix_cost, matrix_gradient, matrix_hessian, parameters)


def _model(name: str, forms: dict[str, Form], *matrix_forms, **more) -> Model:
    """The model ``name`` with the catalog's title and summary."""
    return Model(name, CATALOG[name].title, CATALOG[name].summary, forms, *matrix_forms, **more)


def _bias_selector() -> sp.MatrixExpr:
    """The (n+1)×(n+1) matrix with a single 1 at (0, 0)."""
    return E0 * E0.T


# --- linear regression ---------------------------------------------------------------------


def _linear() -> Model:
    h = _hypothesis(inner)
    cost = sp.Sum((h(i) - y[i]) ** 2, EXAMPLES) / (2 * m)
    J = cost_symbol("J", cost, "J(θ)", r"J\left(\theta\right)")
    gradient = sp.Sum((h(i) - y[i]) * x[i, j], EXAMPLES) / m
    h_example = _example_hypothesis(example_inner())
    example_cost = (h_example() - y_example) ** 2 / 2
    G = cost_symbol("G", example_cost, "G(θ)", r"G\left(\theta\right)")
    residual = X * Theta - Y
    forms = {
        "sum": Form(cost, goal(J, theta[j]), theta[j], gradient, (Definition.of(h),)),
        "example": Form(
            example_cost, goal(G, theta[j]), theta[j], (h_example() - y_example) * x[j], (Definition.of(h_example),)
        ),
    }
    return _model(
        "linear",
        forms,
        matrix_cost=residual.T * residual / (2 * m),
        matrix_gradient=X.T * residual / m,
        matrix_hessian=X.T * X / m,
    )


# --- the sigmoid itself --------------------------------------------------------------------


def _sigmoid() -> Model:
    definition = sigmoid.as_definition()
    goal = sp.Derivative(sigmoid(z), z, evaluate=False)
    form = Form(definition.long, goal, z, sigmoid(z) * (1 - sigmoid(z)), (definition,))
    return _model("sigmoid", {"sum": form})


# --- a cost read from text ------------------------------------------------------------------


def cost_model(forms, name: str, title: str, text: str | None, summary: str | None = None) -> Model:
    """The model of a cost whose forms :func:`derivation.derive.costs.cost_forms` derived and checked."""
    over_w = forms.variable.base != theta
    J = cost_symbol(
        "J", forms.cost, "J(W)" if over_w else "J(θ)", r"J\left(W\right)" if over_w else r"J\left(\theta\right)"
    )
    form = Form(forms.cost, goal(J, forms.variable), forms.variable, forms.gradient, ())
    return Model(
        name,
        title,
        summary if summary is not None else (text or ""),
        {"sum": form},
        forms.matrix_cost,
        forms.matrix_gradient,
        parameters=(lam,) if forms.cost.has(lam) else (),
        labels=forms.labels,
        labels_note=forms.labels_note,
        cost_text=text,
        independent=False,
    )


# The models written out by hand in sum, example and matrix form; the others are built from their cost text.
HAND_BUILT: dict[str, Callable[[], Model]] = {
    "logistic": lambda: _logistic(False),
    "logistic-l2": lambda: _logistic(True),
    "linear": _linear,
    "sigmoid": _sigmoid,
}


__all__ = ["FEATURES", "HAND_BUILT", "Form", "Model", "cost_model", "cost_symbol", "goal"]
