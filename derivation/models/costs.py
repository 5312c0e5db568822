r"""A cost as text: read safely into SymPy, its size bounded, the labels its data needs inferred.

:func:`read_cost` reads a cost over θ (θ_j, j = 0..n; examples i = 1..m) with our own
readers — LaTeX by default, Python syntax with ``latex=False``, never ``eval``.  The catalog's
models written as cost text (core/catalog.py) and the costs users write both come through here;
:mod:`derivation.derive.costs` derives and checks a user's cost.

>>> infer_labels(read_cost(r"\frac{1}{m}\sum_{i=1}^m \log(1+e^{-y^{(i)}\theta^T x^{(i)}})"))
'pm1'
"""

from __future__ import annotations

import sympy as sp

from ..core.catalog import LABELS
from ..core.dependence import depends_on
from ..core.notation import EXAMPLES, i, j, m, theta, y
from ..parsing import ParseError, parse_latex, read_expr
from ..parsing.bounds import check_derivative
from ..parsing.latex import LatexContext
from ..parsing.names import index_names

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


def read_cost(text: str, *, latex: bool = True) -> sp.Expr:
    r"""The cost written in ``text`` as a SymPy expression (examples i = 1..m), or a :class:`CostError`.

    >>> read_cost("Sum((Sum(theta[k]*x[i,k], (k, 0, n)) - y[i])**2, (i, 0, m-1))/(2*m)", latex=False)
    Sum((-y[i] + Sum(theta[k]*x[i, k], (k, 0, n)))**2, (i, 1, m))/(2*m)
    >>> read_cost(r"\sum_{i=1}^m \theta_j x_j^{(i)}")
    Traceback (most recent call last):
    ...
    derivation.models.costs.CostError: the cost has a free j: a cost is a number, write θᵀx⁽ⁱ⁾ or sum over j
    """
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


__all__ = ["ZERO_BASED", "CostError", "check_size", "infer_labels", "labels_note", "read_cost", "zero_based"]
