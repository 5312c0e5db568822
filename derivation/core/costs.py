r"""A cost you write is a model: read safely, its labels inferred, its gradient derived and checked.

:func:`model_from_cost` reads a cost over θ (θ_j, j = 0..n; examples i = 1..m) with our own
readers — LaTeX by default, Python syntax with ``latex=False``, never ``eval`` — and builds a
:class:`~derivation.core.models.Model` from it: the sum form with the goal ∂J/∂θ_j; the gradient
our engine derives, in matrix form when its vectorise step reaches one, else in sum form; the
cost in matrix form when it has one, else in sum form; and the kind of labels its data needs.

The engine's own gradient is not an independent answer, so nothing here is trusted unchecked:
each form is compared numerically with central differences of the cost itself before it is
used, and :func:`~derivation.derive.api.derive_model` checks a cost model against ``sympy.diff``
of the cost and finite differences (never against the engine's result).

Forms kept for the numeric checks are in *sum form with rows from 0* (Σ_{i=0}^{m−1}): the rows of
the data are numbered from 0 where they are evaluated; renumbering the examples of a sum over all
of them does not change its value.

>>> model = model_from_cost(r"\frac{1}{m}\sum_{i=1}^m \log(1+e^{-y^{(i)}\theta^T x^{(i)}})")
>>> model.labels, model.matrix_gradient is not None
('pm1', True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from .catalog import LABELS
from .notation import E0, EXAMPLES, FEATURES, Theta, i, j, m, n, theta, x, y

_WHY = {
    "01": "the cost has y·log(…) and (1 − y)·log(…)",
    "pm1": "y multiplies θᵀx inside a function",
    "counts": "y multiplies a term in θ beside e^{±θᵀx} (a Poisson- or Gamma-like likelihood)",
    "real": "no other kind of label fits the cost",
}
_NAMES = {"m", "n", "lambda", "theta", "x", "y"}  # what a cost may mention besides its bound indices
ZERO_BASED = (i, 0, m - 1)  # rows as the evaluator numbers them


class CostError(ValueError):
    """A cost that cannot be read or used: one line, in the user's terms."""


@dataclass(frozen=True)
class CostForms:
    """What the engine and the numeric checks made of a cost (before it becomes a Model)."""

    cost: sp.Expr  # as read, examples i = 1..m
    labels: str
    labels_note: str  # which labels, and why
    gradient: sp.Expr  # the engine's sum form (examples 1..m), for show
    matrix_cost: sp.Basic  # a 1×1 matrix expression, or the sum form with rows from 0
    matrix_gradient: sp.Basic  # an (n+1)×1 matrix expression, or the sum form (free j) with rows from 0
    vectorised: bool  # both matrix forms are matrices: a kernel can be generated


def read_cost(text: str, *, latex: bool = True) -> sp.Expr:
    r"""The cost written in ``text`` as a SymPy expression (examples i = 1..m), or a :class:`CostError`.

    >>> read_cost("Sum((Sum(theta[k]*x[i,k], (k, 0, n)) - y[i])**2, (i, 0, m-1))/(2*m)", latex=False)
    Sum((-y[i] + Sum(theta[k]*x[i, k], (k, 0, n)))**2, (i, 1, m))/(2*m)
    >>> read_cost(r"\sum_{i=1}^m \theta_j x_j^{(i)}")
    Traceback (most recent call last):
    ...
    derivation.core.costs.CostError: the cost has a free j: a cost is a number, write θᵀx⁽ⁱ⁾ or sum over j
    """
    from ..parsing import ParseError, parse_latex, read_expr
    from ..parsing.latex import LatexContext
    from ..parsing.names import index_names

    try:
        if latex:
            cost = parse_latex(text, LatexContext())
        else:
            cost = _one_based(read_expr(text, index_names()))
    except ParseError as error:
        hint = ""
        if latex and "h" in text and r"h_" in text:
            hint = r"; write h_θ out: \sigma(\theta^T x^{(i)}) or \theta^T x^{(i)}"
        raise CostError(f"cannot read the cost: {error}{hint}") from None
    if isinstance(cost, sp.MatrixExpr):
        where = r"\sum_{i=1}^{m} … x^{(i)} …" if latex else "Sum(…, (i, 0, m-1)) with x[i, k]"
        raise CostError(f"write the cost in index notation over the examples, e.g. {where}, not as a matrix")
    if not isinstance(cost, sp.Expr) or isinstance(cost, sp.Derivative) or cost.has(sp.Derivative):
        raise CostError("the cost must be an expression in θ, x⁽ⁱ⁾ and y⁽ⁱ⁾, with no derivative in it")
    _check_names(cost)
    return cost


def _check_names(cost: sp.Expr) -> None:
    free = {str(s) for s in cost.free_symbols if isinstance(s, sp.Symbol)}
    free |= {str(a.base.label) for a in cost.atoms(sp.Indexed)}
    for s in cost.atoms(sp.Sum):
        for index, low, high in s.limits:
            if index == i and (low, high) != EXAMPLES[1:]:
                raise CostError(
                    f"the sum over i runs from {low} to {high}: a cost sums over all the examples, "
                    "\\sum_{i=1}^{m} in LaTeX, Sum(…, (i, 0, m-1)) in Python"
                )
    for index, word in (("i", "sum over the examples: \\sum_{i=1}^{m}"), ("j", "write θᵀx⁽ⁱ⁾ or sum over j")):
        if index in free:
            raise CostError(f"the cost has a free {index}: a cost is a number, {word}")
    unknown = sorted(free - _NAMES - {"k", "l"})
    if unknown:
        raise CostError(f"unknown name(s) {', '.join(unknown)} in the cost: it may use θ, x⁽ⁱ⁾, y⁽ⁱ⁾, m, n and λ")
    if not cost.has(theta):
        raise CostError("the cost does not depend on θ: write θ_j or θᵀx⁽ⁱ⁾ in it")


def _one_based(expr: sp.Basic) -> sp.Basic:
    """Python syntax sums the examples over i = 0..m−1; the sum form counts them 1..m (the same sum)."""
    return expr.replace(
        lambda e: isinstance(e, sp.Sum) and e.limits[0] == ZERO_BASED,
        lambda e: sp.Sum(e.function, EXAMPLES, *e.limits[1:]),
    )


def zero_based(expr: sp.Basic) -> sp.Basic:
    """The sum form with its examples numbered from 0, as the evaluator numbers the rows of X."""
    return expr.replace(
        lambda e: isinstance(e, sp.Sum) and e.limits[0] == EXAMPLES,
        lambda e: sp.Sum(e.function, ZERO_BASED, *e.limits[1:]),
    )


def check_size(cost: sp.Expr) -> None:
    """The bounds ``derive`` enforces (nesting, size, terms of a sum), before any rule runs."""
    from ..core.dependence import depends_on
    from ..parsing.bounds import check_derivative

    too_much = check_derivative(cost, lambda node: depends_on(node, theta[j]), "θ_j")
    if too_much is not None:
        raise CostError(too_much)


# --- which labels the data needs ------------------------------------------------------------


def infer_labels(cost: sp.Expr) -> str:
    r"""The labels a cost's data needs: "01", "pm1", "counts" or "real" (see :data:`LABELS`).

    >>> infer_labels(read_cost(r"\sum_{i=1}^m (e^{\theta^T x^{(i)}} - y^{(i)}\theta^T x^{(i)})"))
    'counts'
    >>> infer_labels(read_cost(r"\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2"))
    'real'
    """
    ys = [a for a in cost.atoms(sp.Indexed) if a.base == y]
    if not ys:
        return "real"
    if cost.has(sp.log) and any(_one_minus_label(a) for a in cost.atoms(sp.Add)):
        return "01"
    if any(_label_times_theta(arg) for f in cost.atoms(sp.Function) for arg in f.args):
        return "pm1"
    if cost.atoms(sp.exp) and any(a.has(theta) for a in cost.atoms(sp.exp)) and _label_times_theta(cost):
        return "counts"
    return "real"


def _one_minus_label(add: sp.Add) -> bool:
    """1 − y⁽ⁱ⁾ (or y⁽ⁱ⁾ − 1)."""
    terms = set(add.args)
    return any({sp.S.One, -a} == terms or {-sp.S.One, a} == terms for a in add.atoms(sp.Indexed) if a.base == y)


def _label_times_theta(expr: sp.Basic) -> bool:
    """Some product y⁽ⁱ⁾ · (something in θ) in ``expr``."""
    for mul in [expr, *expr.atoms(sp.Mul)]:
        if isinstance(mul, sp.Mul):
            factors = mul.args
            if any(isinstance(f, sp.Indexed) and f.base == y for f in factors) and any(f.has(theta) for f in factors):
                return True
    return False


def labels_note(labels: str, inferred: bool) -> str:
    """What the report says of the labels: which, and why (or that the user chose them)."""
    why = _WHY[labels] if inferred else "as asked (--labels)"
    return f"data sampled with {LABELS[labels]}: {why}"


# --- forms: derived, vectorised, and checked against the cost itself -------------------------


def cost_forms(cost: sp.Expr, labels: str | None = None, *, seed: int = 0) -> CostForms:
    """The engine's gradient of ``cost`` (matrix form when reached) and the matrix cost, each checked numerically.

    >>> from .notation import inner
    >>> forms = cost_forms(sp.Sum((inner(i) - y[i]) ** 2, EXAMPLES) / (2 * m))
    >>> forms.vectorised, forms.labels
    (True, 'real')
    """
    from ..derive import engine
    from ..derive.vectorise import vectorise_cost

    chosen = labels if labels is not None else infer_labels(cost)
    if chosen not in LABELS:
        raise CostError(f"unknown labels {chosen!r}: write one of {', '.join(LABELS)}")
    derivation = engine.derive(cost, theta[j], index_range=(FEATURES[1], FEATURES[2]), vectorise=vectorise_cost)
    steps = derivation.steps
    last = steps[-1]
    sum_form = steps[-2].expr if last.rule == "vectorise" and len(steps) > 1 else derivation.result
    if last.rule == "stopped" or sum_form.has(sp.Derivative):
        raise CostError("our rules could not finish this derivative; `derivation derive` shows how far they got")
    data = _datasets(chosen, seed)
    index_cost = zero_based(cost)
    index_gradient = zero_based(sum_form)
    if not _gradient_fits(index_gradient, index_cost, data):
        raise CostError("our derivative of this cost disagrees with finite differences of the cost; please report it")
    gradient = index_gradient
    if last.rule == "vectorise" and _gradient_fits(last.expr.args[0], index_cost, data):
        gradient = last.expr.args[0]
    matrix_cost = _matrix_cost(cost)
    if matrix_cost is None or not _same_value(matrix_cost, index_cost, data):
        matrix_cost = index_cost
    vectorised = isinstance(gradient, sp.MatrixExpr) and isinstance(matrix_cost, sp.MatrixExpr)
    return CostForms(cost, chosen, labels_note(chosen, labels is None), sum_form, matrix_cost, gradient, vectorised)


def _datasets(labels: str, seed: int):
    from ..check.evaluate import make_datasets

    class _Labels:  # make_datasets needs only the labels
        pass

    stub = _Labels()
    stub.labels = labels  # type: ignore[attr-defined]
    stub.matrix_cost = None  # type: ignore[attr-defined]
    return make_datasets(stub, seed, ((4, 2), (6, 3)))


def _value(expr: sp.Basic, data, theta_column: np.ndarray | None = None) -> np.ndarray:
    from ..check.evaluate import Evaluator

    overrides = None if theta_column is None else {"theta": theta_column}
    return np.asarray(Evaluator(data, overrides=overrides).value(expr), dtype=float).reshape(-1)


def _gradient_fits(gradient: sp.Basic, index_cost: sp.Expr, datasets, rtol: float = 1e-5) -> bool:
    """Whether ``gradient`` equals central differences of the cost on every dataset."""
    from ..oracle.numbers import EvalError

    try:
        for d in datasets:
            got = _value(gradient, d)
            base = d.theta.reshape(-1, 1)
            fd = np.empty(d.p)
            for c in range(d.p):
                h = 1e-6 * max(1.0, abs(float(base[c, 0])))
                step = np.zeros_like(base)
                step[c, 0] = h
                fd[c] = (_value(index_cost, d, base + step)[0] - _value(index_cost, d, base - step)[0]) / (2 * h)
            if got.shape != fd.shape or not np.all(np.isfinite(got)):
                return False
            if not np.allclose(got, fd, rtol=rtol, atol=rtol * max(1.0, float(np.max(np.abs(fd))))):
                return False
    except (EvalError, TypeError, ValueError, KeyError, NotImplementedError):
        return False
    return True


def _same_value(a: sp.Basic, b: sp.Basic, datasets) -> bool:
    from ..oracle.numbers import EvalError

    try:
        return all(np.allclose(_value(a, d), _value(b, d), rtol=1e-10, atol=1e-12) for d in datasets)
    except (EvalError, TypeError, ValueError, KeyError, NotImplementedError):
        return False


def _matrix_cost(cost: sp.Expr) -> sp.MatrixExpr | None:
    """The cost as a 1×1 matrix expression: c·Σ_i f⁽ⁱ⁾ → c·1ᵀf(…), Σ_k θ_k² → θᵀθ (θᵀ(I − e₀e₀ᵀ)θ from k = 1)."""
    from ..derive.vectorise import NoMatrixFormError, _vector
    from .functions import softplus

    cost = cost.replace(  # log(1 + e^u) = softplus(u): its kernel never overflows
        lambda e: isinstance(e, sp.log) and _one_plus_exp(e.args[0]) is not None,
        lambda e: softplus(_one_plus_exp(e.args[0])),
    )
    pieces = []
    try:
        for term in sp.Add.make_args(sp.expand(cost, deep=False)):
            coeff, rest = term.as_independent(theta, x, y, as_Add=False)
            if isinstance(rest, sp.Sum) and rest.limits == (EXAMPLES,):
                body = rest.function
                if isinstance(body, sp.Pow) and body.exp == 2:  # Σ_i r_i² = rᵀr
                    r = _vector(body.base, i)
                    pieces.append(coeff * r.T * r)
                else:
                    pieces.append(coeff * sp.OneMatrix(m, 1).T * _vector(body, i))
            elif isinstance(rest, sp.Sum) and len(rest.limits) == 1:
                index, low, high = rest.limits[0]
                if rest.function != theta[index] ** 2 or high != n or low not in (0, 1):
                    return None
                mask = sp.Identity(n + 1) - E0 * E0.T if low == 1 else sp.Identity(n + 1)
                pieces.append(coeff * Theta.T * mask * Theta if low == 1 else coeff * Theta.T * Theta)
            else:
                return None
    except NoMatrixFormError:
        return None
    return pieces[0] if len(pieces) == 1 else sp.MatAdd(*pieces)


def _one_plus_exp(arg: sp.Expr) -> sp.Expr | None:
    """u when ``arg`` is 1 + e^u."""
    terms = sp.Add.make_args(arg)
    if len(terms) == 2 and sp.S.One in terms:
        other = terms[0] if terms[1] == sp.S.One else terms[1]
        if isinstance(other, sp.exp):
            return other.args[0]
    return None


# --- the model --------------------------------------------------------------------------------


def model_from_cost(
    text: str,
    wrt: str = "theta",
    *,
    latex: bool = True,
    name: str | None = None,
    labels: str | None = None,
    title: str | None = None,
):
    r"""The :class:`~derivation.core.models.Model` of the cost in ``text`` (LaTeX; Python syntax with ``latex=False``).

    >>> model = model_from_cost("Sum(exp(Sum(theta[k]*x[i,k], (k,0,n))) - y[i]*Sum(theta[k]*x[i,k], (k,0,n)),"
    ...                         " (i, 0, m-1))/m", latex=False)
    >>> model.labels, model.matrix_gradient
    ('counts', 1/m*X.T*(Lambda(u, exp(u)).(X*theta) - y))
    """
    from .models import cost_model

    if wrt.replace(" ", "") not in ("theta", r"\theta", "θ", "theta[j]", r"\theta_j", "θ_j"):
        raise CostError(f"--wrt {wrt!r}: costs over the vector θ are supported (write --wrt theta)")
    cost = read_cost(text, latex=latex)
    check_size(cost)
    return cost_model(cost_forms(cost, labels), name or "your cost", title or "Your cost", text)


__all__ = [
    "LABELS",
    "CostError",
    "CostForms",
    "cost_forms",
    "infer_labels",
    "labels_note",
    "model_from_cost",
    "read_cost",
    "zero_based",
]
