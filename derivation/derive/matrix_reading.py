r"""The first steps of a cost written in matrix form: the form as written, then its reading entry by entry.

:mod:`derivation.models.matrix_costs` lowers a vectorised cost ((Xθ − y)ᵀ(Xθ − y)/2m, ‖Xθ − y‖², NumPy's
``np.mean``) to the sum over the examples that the engine differentiates.  Here that reading becomes a step
of the derivation, ``∂/∂θ_j [matrix form] = ∂/∂θ_j [Σ over the examples]``, and the oracle checks it: both
forms evaluated with NumPy on random data.  What ``show --cost`` prints first.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import sympy as sp

from ..core.steps import FAILS, HOLDS, UNDECIDED, Derivation, Step, Verdict
from ..models.costs import read_written_cost, zero_based
from ..oracle.datasets import Evaluator, make_datasets
from ..oracle.numbers import EvalError

READ_RULE = "vectorised form read entry by entry"


def reading_verdict(matrix: sp.MatrixExpr, index: sp.Expr, datasets) -> Verdict:
    """The oracle's word on ``matrix = index``: the matrix form evaluated with NumPy on each dataset (X, θ, y as
    arrays) against the index form (its examples numbered from 0, as rows are) on the same data."""
    written = zero_based(index)
    try:
        for d in datasets:
            got = np.asarray(Evaluator(d).value(matrix), dtype=float).reshape(-1)
            want = np.asarray(Evaluator(d).value(written), dtype=float).reshape(-1)
            if got.shape != want.shape or not np.allclose(got, want, rtol=1e-10, atol=1e-12):
                return Verdict(FAILS, "numeric", f"the two forms differ on random data (m = {d.m}, n = {d.n})")
    except (EvalError, TypeError, ValueError, KeyError, NotImplementedError) as error:
        return Verdict(UNDECIDED, "none", f"the matrix form was not evaluated: {error}")
    sizes = ", ".join(f"(m, n) = ({d.m}, {d.n})" for d in datasets)
    return Verdict(HOLDS, "numeric", f"the matrix form and the sum equal on random data: {sizes}")


def reading_step(matrix: sp.MatrixExpr, index: sp.Expr, datasets, expr: sp.Expr | None = None) -> Step:
    """The step ``… = expr`` (by default the index form itself) that reads the matrix form as the sum over examples."""
    return Step(READ_RULE, READ_RULE, index if expr is None else expr, reading_verdict(matrix, index, datasets))


def with_reading_step(derivation: Derivation, matrix: sp.Basic | None, index: sp.Expr, datasets) -> Derivation:
    r"""``derivation`` of a cost written in matrix form, its first steps saying so:
    ∂J/∂θ_j = ∂/∂θ_j [the matrix form] (by definition) = ∂/∂θ_j [the sum over the examples] (read entry by entry,
    checked on numbers).  Unchanged when the cost was written by index, or when the oracle cannot evaluate the
    matrix form (nothing is claimed then); a reading the oracle finds wrong is kept, with its ✗.
    """
    first = derivation.steps[0] if derivation.steps else None
    if not isinstance(matrix, sp.MatrixExpr) or first is None or first.rule != "definition":
        return derivation
    if not (isinstance(first.expr, sp.Derivative) and first.expr.expr == index):
        return derivation
    read = reading_step(matrix, index, datasets, first.expr)
    if read.verdict.status is UNDECIDED:
        return derivation
    as_written = dataclasses.replace(first, expr=sp.Derivative(matrix, *first.expr.variables, evaluate=False))
    return dataclasses.replace(derivation, steps=(as_written, read, *derivation.steps[1:]))


def with_matrix_reading(derivation: Derivation, model, *, latex: bool = True, seed: int = 0) -> Derivation:
    """:func:`with_reading_step` for the derivation of a model read from a cost (``model.cost_text``), on the data
    the model's labels call for: what ``show --cost`` prints first when the cost was written in matrix form."""
    if model.cost_text is None:
        return derivation
    written = read_written_cost(model.cost_text, latex=latex)
    return with_reading_step(derivation, written.matrix, written.cost, make_datasets(model, seed, ((4, 2), (6, 3))))


__all__ = ["READ_RULE", "reading_step", "reading_verdict", "with_matrix_reading", "with_reading_step"]
