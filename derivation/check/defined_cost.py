r"""The cost a LaTeX answer defines before its gradient (``E(\mathbf{w}) = -\sum_{n=1}^{N} …``, Bishop's summed
cross-entropy; ``J(\theta) = \frac{1}{2}\sum_i …``): what its ∇E or ∂J/∂θ_j is then the gradient of.

The left side names the cost, so when the text defines that cost as the model's summed cost m·J the
gradient is checked against m·∇J (its own cost, a legitimate convention), and said; defined as J it
changes nothing; defined as anything else the gradient is checked against ∇J and that is said.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..oracle.datasets import Evaluator
from .compare import Problem
from .verdict import Target

SUMMED_COST = Target("the gradient of the summed cost m·J the text defines", (("m", lambda d: float(d.m)),))
_RTOL = 1e-7


def cost_target(problem: Problem, name: str, value: sp.Basic, target: Target) -> tuple[Target, str | None]:
    """The target for a gradient of the cost ``name`` defined as ``value``, and the note that says why."""
    model = problem.model
    if model.matrix_cost is None:
        return target, None
    try:
        offset = 0 if isinstance(value, sp.MatrixExpr) else 1
        defined = [
            float(np.asarray(Evaluator(d, row_offset=offset).value(value)).reshape(-1)[0]) for d in problem.datasets
        ]
        cost = [float(np.asarray(Evaluator(d).value(model.matrix_cost)).reshape(-1)[0]) for d in problem.datasets]
    except Exception:  # a definition we cannot evaluate says nothing: the left side's usual reading stands
        return target, None
    ratios = [a / b if b else np.inf for a, b in zip(defined, cost, strict=True)]
    if all(abs(r - 1) <= _RTOL for r in ratios):
        return target, f"{name} = … is the model's cost J"
    if all(abs(r - d.m) <= _RTOL * d.m for r, d in zip(ratios, problem.datasets, strict=True)):
        return SUMMED_COST, f"{name} = … is the summed cost m·J (no 1/m)"
    return target, f"{name} = … is neither the model's cost J nor m·J: the gradient is checked against ∇J"
