r"""The cost a LaTeX answer defines before its gradient (``E(\mathbf{w}) = -\sum_{n=1}^{N} …``, Bishop's summed
cross-entropy; ``J(\theta) = \frac{1}{2}\sum_i …``), or writes out on its left side
(``\frac{\partial}{\partial\theta_j}\frac{1}{2m}\sum_i …``): what its ∇E or ∂J/∂θ_j is then the gradient of.

The left side names the cost, so when the text defines that cost as the model's summed cost m·J the
gradient is checked against m·∇J (its own cost, a legitimate convention), and said; defined as J it
changes nothing; defined as anything else the gradient is checked against ∇J and that is said.

A cost written out on the left is what the user differentiated: the right side is checked against its
derivative whatever it is.  It is read against the model's J on every dataset at three θ: c·J (plus a
constant; c = k·m^p) makes the target c·∇J, said when c ≠ 1 ("your cost has 1/m where the model has
1/(2m)"); any other cost gets its own gradient, by the complex step of its values confirmed by central
differences (:func:`written_problem`), and the check is against that.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..core.notation import i, m
from ..oracle.datasets import Dataset, EvalError, Evaluator
from ..parsing import ParseError
from ..parsing.left import WRITTEN_COST
from .compare import Problem, constant, round_simple
from .per_example import EXAMPLE_COST
from .stated_cost import second_point
from .verdict import COST, Target

SUMMED_COST = Target("the gradient of the summed cost m·J the text defines", (("m", lambda d: float(d.m)),))
_RTOL = 1e-7
_FIT = 1e-8  # the written cost is c·J + constant when the third θ fits the line through the first two to this
_POWERS = (0, 1, -1)  # c = k·m^p: the scalings users write (1/m for 1/(2m), no 1/m, 1/m²)
_STEP = 1e-20  # the complex step: Im W(θ + ih·e_k)/h, exact to float64's rounding (no cancellation)
_CENTRAL = 1e-5  # the central difference that confirms it: error ~1e-10 relative (h² truncation, 1e-16/h rounding)
_AGREE = 1e-6  # the two agree to this (relative to the gradient's largest entry); else the central difference stands


def cost_target(problem: Problem, name: str, value: sp.Basic, target: Target) -> tuple[Target, str | None]:
    """The target for a gradient of the cost ``name`` defined as ``value``, and the note that says why."""
    model = problem.model
    if model.matrix_cost is None:
        return target, None
    if name == WRITTEN_COST:
        return _written_target(problem, _summed(value, target is EXAMPLE_COST), target is EXAMPLE_COST)
    try:
        defined = _costs(value, problem.datasets)
        cost = _costs(model.matrix_cost, problem.datasets)
    except Exception:  # a definition we cannot evaluate says nothing: the left side's usual reading stands
        return target, None
    ratios = [a / b if b else np.inf for a, b in zip(defined, cost, strict=True)]
    if all(abs(r - 1) <= _RTOL for r in ratios):
        return target, f"{name} = … is the model's cost J"
    if all(abs(r - d.m) <= _RTOL * d.m for r, d in zip(ratios, problem.datasets, strict=True)):
        return SUMMED_COST, f"{name} = … is the summed cost m·J (no 1/m)"
    return target, f"{name} = … is neither the model's cost J nor m·J: the gradient is checked against ∇J"


@dataclass(frozen=True)
class Scaling:
    """The written cost as k·m^p·J + c on every dataset; ``offset`` whether some c ≠ 0."""

    k: float
    power: int
    offset: bool

    @property
    def factor(self) -> sp.Expr:
        return sp.nsimplify(self.k) * m**self.power

    @property
    def label(self) -> str:
        return _shown(self.factor)


_SCALINGS: dict[tuple[int, sp.Basic], tuple[Problem, Scaling | None]] = {}  # the target and the problem ask both


def scaling(problem: Problem, value: sp.Basic) -> Scaling | None:
    """The written cost ``value`` as k·m^p times the model's J plus a constant, from its values at three θ on every
    dataset (the dataset's and two more draws); None when it is not of that form (another cost)."""
    key = (id(problem), value)
    if key not in _SCALINGS or _SCALINGS[key][0] is not problem:
        if len(_SCALINGS) > 32:
            _SCALINGS.clear()
        _SCALINGS[key] = (problem, _scaling(problem, value))
    return _SCALINGS[key][1]


def _scaling(problem: Problem, value: sp.Basic) -> Scaling | None:
    points = [problem.datasets, second_point(problem.datasets, 1), second_point(problem.datasets, 2)]
    written = [_costs(value, ds) for ds in points]
    model = [_costs(problem.model.matrix_cost, ds) for ds in points]
    ratios, offset = [], False
    for index in range(len(problem.datasets)):
        (w1, w2, w3), (j1, j2, j3) = ([v[index] for v in values] for values in (written, model))
        scale = max(abs(w1), abs(w2), abs(w3), 1e-300)
        if abs(j1 - j2) <= 1e-12 * max(abs(j1), abs(j2), 1e-300):
            return None
        a = (w1 - w2) / (j1 - j2)
        c = w1 - a * j1
        if abs(w3 - (a * j3 + c)) > _FIT * scale:
            return None
        ratios.append(a)
        offset = offset or abs(c) > _FIT * scale
    for power in _POWERS:
        ks = [a / d.m**power for a, d in zip(ratios, problem.datasets, strict=True)]
        if constant(ks, _RTOL) and abs(ks[0]) > 1e-12:
            found = Scaling(round_simple(ks[0], _RTOL), power, offset)
            return found if _gradients_agree(problem, value, found) else None
    return None


def _gradients_agree(problem: Problem, value: sp.Basic, found: Scaling) -> bool:
    """The values say c·J + constant; the written cost's own differences must say c·∇J too (values at three θ are
    not a gradient): entry by entry on every dataset, to the differences' precision."""
    for d, g in zip(problem.datasets, problem.expected, strict=True):
        mine = gradient_of(value, d)
        expected = found.k * float(d.m) ** found.power * np.asarray(g, dtype=float).reshape(-1)
        if mine.shape != expected.shape or np.max(np.abs(mine - expected)) > _AGREE * max(np.max(np.abs(expected)), 1):
            return False
    return True


def _summed(value: sp.Basic, per_example: bool) -> sp.Basic:
    """One example's cost written on the left (a free i, CS229's ½(h_θ(x⁽ⁱ⁾) − y⁽ⁱ⁾)²) summed over the examples: what
    the right side's rows, summed, must be the gradient of.  Only beside a right side for one example i."""
    if i not in getattr(value, "free_symbols", ()):
        return value
    if not per_example:
        raise ParseError(
            "the cost on the left side has a free i (one example's cost, or a term outside the Σ over i: put the "
            "sum's terms in parentheses), and the right side sums over the examples",
            None,
            "",
        )
    return sp.Sum(value, (i, 1, m))


def _written_target(problem: Problem, value: sp.Basic, per_example: bool) -> tuple[Target, str]:
    """∂/∂θ of the cost written on the left: c·∇J when it is c·J (+ a constant), said; else ∇J, and
    :func:`written_problem` puts that cost's own gradient in its place (not for a right side for one example i,
    whose rows are checked against the model's examples: refused)."""
    try:
        found = scaling(problem, value)
    except (EvalError, ArithmeticError, TypeError, ValueError) as error:
        raise ParseError(f"cannot evaluate the cost on the left side: {error}", None, "") from None
    if found is None and per_example:
        raise ParseError(
            "the cost on the left side is not the model's (nor a multiple of it), and the right side is for one "
            "example i: a gradient for one example is checked against the model's; write the model's cost",
            None,
            "",
        )
    if found is None:
        return COST, (
            "the cost on your left side is not the model's J (nor a multiple of it): the right side is checked "
            "against the derivative of the cost you wrote (its complex step, confirmed by central differences)"
        )
    constant_words = " plus a term without θ (its gradient is the same)" if found.offset else ""
    if found.k == 1 and found.power == 0:
        return COST, f"the cost on your left side is the model's cost J{constant_words}"
    if per_example and found.k == 1 and found.power == 1:  # ½(h − y)²: the model's term for example i
        return _factor_target(found), f"the cost on your left side is the model's cost of one example{constant_words}"
    words = _difference(value, found) if not per_example else f"summed over the examples yours is {found.label}·J"
    return _factor_target(found), f"your cost differs from the model's: {words}{constant_words}"


def _factor_target(found: Scaling) -> Target:
    """c·∇J, the gradient of the written cost c·J (+ a constant)."""
    label = found.label
    factor = lambda d, k=found.k, p=found.power: k * float(d.m) ** p  # noqa: E731 - one factor of a Target
    times = "−J" if label == "−1" else f"{label}·J"
    return Target(f"the derivative of the cost on your left side, {times}", ((label, factor),))


def _difference(value: sp.Basic, found: Scaling) -> str:
    """How the written cost differs, as a user says it: "your cost has 1/m where the model has 1/(2m)"."""
    factor = _front(value)
    model = sp.simplify(factor / found.factor)
    if found.factor == -1:
        return "its sign is flipped: yours is −J, the mean log-likelihood (which is maximised, not minimised)"
    if model.free_symbols <= {m} and factor != model:
        mine = "no factor in front" if factor == 1 else _shown(factor)
        theirs = "none" if model == 1 else _shown(model)
        return f"your cost has {mine} where the model has {theirs} (yours is {found.label}·J)"
    return f"yours is {found.label}·J"


def _front(value: sp.Basic) -> sp.Expr:
    """The factor written in front of the cost: numbers and powers of m (1/(2m) of (1/2m)Σ…), else 1."""
    if isinstance(value, sp.MatrixExpr):
        args = value.args if isinstance(value, sp.MatMul) else ()
    else:
        args = sp.Mul.make_args(value)
    front = [a for a in args if not isinstance(a, sp.MatrixExpr) and a.free_symbols <= {m}]
    return sp.Mul(*front) if front else sp.Integer(1)


def _shown(expr: sp.Expr) -> str:
    """1/(2m), 2, −1/m: a factor as written, not as SymPy prints it."""
    numerator, denominator = sp.fraction(sp.factor(expr))
    top = str(numerator).replace("*", "").replace("-", "−")
    bottom = str(denominator).replace("*", "")
    if denominator == 1:
        return top
    return f"{top}/{bottom}" if len(bottom) == 1 else f"{top}/({bottom})"


def written_problem(problem: Problem, name: str, value: sp.Basic, datasets: Sequence[Dataset]) -> Problem | None:
    """For a cost written on the left that is not c·J (:func:`scaling`): ``problem`` with that cost's gradient as the
    expected values (on ``datasets``, those the right side is evaluated on), named so in the report; else None.

    Its model has no closed-form gradient, so the exact recheck does not run (nothing to claim in 50 digits), and
    the model's own faults are not offered as diagnoses of a gradient of another cost.
    """
    if name != WRITTEN_COST or problem.model.matrix_cost is None or scaling(problem, value) is not None:
        return None
    gradients = [gradient_of(value, d) for d in datasets]
    other = copy.copy(problem)
    other.model = dataclasses.replace(problem.model, name="the cost on your left side", matrix_gradient=None)
    other.expected = other.data = gradients
    other.reg = [0 * g for g in gradients]
    other.regularised = False
    other.alternatives = lambda hypothesis: {}
    return other


def gradient_of(value: sp.Basic, data: Dataset) -> np.ndarray:
    """∂W/∂θ of a cost ``value`` on ``data``, entry by entry: the complex step where a central difference confirms
    it (a cost that is not analytic, such as a |·|, gets the central difference)."""
    theta = data.theta.astype(float).reshape(-1)
    out = np.empty(theta.shape)
    for k in range(theta.size):
        fine = _cost(value, data, theta + 1j * _STEP * _unit(theta.size, k))
        h = _CENTRAL * max(1.0, abs(theta[k]))
        up, down = (_cost(value, data, theta + s * h * _unit(theta.size, k)).real for s in (1.0, -1.0))
        out[k] = fine.imag / _STEP if np.isfinite(fine) else np.nan
        rough = (up - down) / (2 * h)
        if not abs(out[k] - rough) <= _AGREE * max(abs(rough), 1e-3 * abs(up), 1e-300):
            out[k] = rough
    return out


def _unit(size: int, k: int) -> np.ndarray:
    e = np.zeros(size)
    e[k] = 1.0
    return e


def _cost(value: sp.Basic, data: Dataset, theta: np.ndarray) -> complex:
    moved = dataclasses.replace(data, theta=theta)
    return complex(_costs(value, [moved])[0])


def _costs(value: sp.Basic, datasets: Sequence[Dataset]) -> list:
    """A cost (index form with 1-based examples, or a matrix expression) on each dataset, as numbers."""
    offset = 0 if isinstance(value, sp.MatrixExpr) else 1
    out = []
    for d in datasets:
        found = np.asarray(Evaluator(d, row_offset=offset).value(value)).reshape(-1)
        if found.size != 1:
            raise EvalError("the cost is not one number")
        out.append(found[0] if np.iscomplexobj(found) else float(found[0]))
    return out


__all__ = ["SUMMED_COST", "Scaling", "cost_target", "gradient_of", "scaling", "written_problem"]
