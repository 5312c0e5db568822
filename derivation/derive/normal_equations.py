"""The normal equations: ∂J/∂θ = 0 solved for θ, step by step, for the least-squares models of the catalog.

Each step rewrites a whole equation L(θ) = R(θ) by one named rule (set the gradient to
zero, multiply both sides, distribute, move a term, factor θ out, solve) and is data: a
:class:`~derivation.core.steps.Step` whose ``expr`` is the equation (a ``sympy.Eq``).
The gradient comes from the catalog (the model's matrix gradient, written by hand).

How a step is checked, independently of the rule that wrote it (rules explain, numbers decide).
A step is an equation, not a value, so "the step holds" means "the new equation has the same
solutions θ as the one before it".  On random data (X with its column of ones, y, λ) write
r(θ) = L(θ) − R(θ), an (n+1)-vector, for each equation.  If r_new(θ) = T·r_old(θ) for every θ,
with T an invertible matrix that does not depend on θ, then r_new(θ) = 0 exactly when
r_old(θ) = 0: the same solutions.  T is not taken from the rule: it is fitted from the
residuals at n+2 random θ (differences against the first, as both residuals are affine in θ),
must be well conditioned (a step that loses information has no invertible T), and must then
predict r_new from r_old at fresh random θ that the fit never saw.  A step that changes the
solutions (a sign lost in one term, a dropped λ, a wrong inverse) leaves no such T and fails at
the fresh points.  When T is c·I the verdict says so (c = m for "multiply by m").
The first step, the gradient set to zero, is checked against the cost itself: its left side,
entry j, against central differences of J in θ_j (:func:`~derivation.oracle.finite.finite_difference_verdict`).

The result θ = A⁻¹b is compared with NumPy's least-squares solver on the stacked system
[X; √λ·D]θ ≈ [y; 0] (D: rows 1..n of I, the penalty without the bias), which never forms the
normal equations; and the gradient of the matrix cost, by the complex step, must vanish there.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.models import Model
from ..core.notation import Theta, Y, j, lam, n, theta
from ..core.steps import FAILS, HOLDS, UNDECIDED, Check, Derivation, Step, Verdict
from ..models import get_model
from ..oracle.datasets import Dataset, Evaluator, cost_gradient, make_datasets
from ..oracle.finite import finite_difference_verdict
from ..printing.expr import to_unicode

SOLVABLE = ("linear", "linear-mean", "ridge")  # the catalog's models whose ∂J/∂θ = 0 is linear in θ
SIZES = ((6, 2), (9, 3))  # (m, n) of the random datasets: m > n + 1, so X has full column rank
FRESH = 3  # random θ per dataset at which a fitted T is tested
TOLERANCE = 1e-8  # relative; residuals pass through (XᵀX)⁻¹, whose condition number is ~10² here
WORST_CONDITION = 1e8  # beyond this a fitted T (or the old residual's variation) counts as singular


def no_closed_form(name: str) -> str:
    """Why model ``name`` has no normal equations, naming those that have."""
    return f"model {name!r} has no closed-form minimiser; --solve works for: {', '.join(SOLVABLE)}"


# --- the rules: each rewrites a whole equation, or returns None when it does not apply -----------


@dataclass(frozen=True)
class EquationRule:
    """A named rewrite of a whole equation; ``apply``'s docstring states it."""

    name: str
    apply: Callable[[sp.Eq], tuple[sp.Eq, str] | None]  # (new equation, this step's rewrite) or None


EQUATION_RULES: dict[str, EquationRule] = {}  # tried in this order, each once, after ∂J/∂θ = 0


def _rule(name: str):
    def register(fn: Callable) -> Callable:
        EQUATION_RULES[name] = EquationRule(name, fn)
        return fn

    return register


def _eq(lhs: sp.MatrixExpr, rhs: sp.MatrixExpr) -> sp.Eq:
    return sp.Eq(lhs, rhs, evaluate=False)


def _terms(side: sp.MatrixExpr) -> tuple[sp.MatrixExpr, ...]:
    return side.args if isinstance(side, sp.MatAdd) else (side,)


def _sum(terms: list[sp.MatrixExpr]) -> sp.MatrixExpr:
    if not terms:
        return sp.ZeroMatrix(n + 1, 1)
    return terms[0] if len(terms) == 1 else sp.MatAdd(*terms)


def _data_term(side: sp.MatrixExpr) -> sp.MatrixExpr:
    """The term that holds the labels y: (c) Xᵀ(Xθ − y)."""
    return next(t for t in _terms(side) if t.has(Y))


def zero_gradient(gradient: sp.MatrixExpr) -> tuple[sp.Eq, str]:
    """∂J/∂θ = 0 at a minimiser of the convex J: set the gradient to zero."""
    return _eq(gradient, sp.ZeroMatrix(n + 1, 1)), "a minimiser of the convex J is where ∂J/∂θ = 0"


@_rule("multiply-both-sides")
def multiply_both_sides(eq: sp.Eq) -> tuple[sp.Eq, str] | None:
    """c·L = c·R for a constant c ≠ 0: clear the data term's coefficient."""
    coeff, _ = _data_term(eq.lhs).as_coeff_matrices()
    if coeff == 1:
        return None
    factor = 1 / coeff
    lhs = _sum([sp.MatMul(factor, t).doit() for t in _terms(eq.lhs)])
    return _eq(lhs, eq.rhs), f"multiply both sides by {to_unicode(factor)} (≠ 0)"


@_rule("distribute")
def distribute(eq: sp.Eq) -> tuple[sp.Eq, str] | None:
    """A(B − C) = AB − AC: multiply Xᵀ into (Xθ − y)."""
    data = _data_term(eq.lhs)
    expanded = data.expand()
    if expanded == data:
        return None
    terms = [t for t in _terms(eq.lhs) if t != data]
    return _eq(_sum([*_terms(expanded), *terms]), eq.rhs), f"{to_unicode(data)} = {to_unicode(expanded)}"


@_rule("move-term")
def move_term(eq: sp.Eq) -> tuple[sp.Eq, str] | None:
    """L + c = R ⟺ L = R − c: terms without θ go to the right side."""
    constant = [t for t in _terms(eq.lhs) if not t.has(Theta)]
    if not constant:
        return None
    left = [t for t in _terms(eq.lhs) if t.has(Theta)]
    moved = [(-t).doit() for t in constant]
    right = [t for t in _terms(eq.rhs) if not isinstance(t, sp.ZeroMatrix)] + moved
    return _eq(_sum(left), _sum(right)), "add " + " + ".join(to_unicode(t) for t in moved) + " to both sides"


@_rule("factor")
def factor_theta(eq: sp.Eq) -> tuple[sp.Eq, str] | None:
    """Aθ + Bθ = (A + B)θ: factor θ out on the right."""
    terms = _terms(eq.lhs)
    if len(terms) < 2 or not all(isinstance(t, sp.MatMul) and t.args[-1] == Theta for t in terms):
        return None
    operator = sp.MatAdd(*(sp.MatMul(*t.args[:-1]) for t in terms))
    return _eq(sp.MatMul(operator, Theta), eq.rhs), "Aθ + Bθ = (A + B)θ"


@_rule("solve")
def solve(eq: sp.Eq) -> tuple[sp.Eq, str] | None:
    """Aθ = b ⟺ θ = A⁻¹b when A is invertible: multiply by A⁻¹ on the left."""
    lhs = eq.lhs
    if not (isinstance(lhs, sp.MatMul) and lhs.args[-1] == Theta and not lhs.args[:-1][0].has(Theta)):
        return None
    operator = sp.MatMul(*lhs.args[:-1]).doit()
    if operator.has(lam):
        why = (
            "A = XᵀX + λ(I − e₀e₀ᵀ) is invertible for λ > 0: vᵀAv = ‖Xv‖² + λΣ_{j≥1} v_j² > 0 for v ≠ 0, "
            "since X's column of ones gives ‖Xv‖² = m·v₀² when v₁ = … = v_n = 0"
        )
    else:
        why = "A = XᵀX is invertible when X has full column rank n + 1 (so m ≥ n + 1): vᵀAv = ‖Xv‖² > 0 for v ≠ 0"
    return _eq(Theta, sp.Inverse(operator) * eq.rhs), f"multiply by A⁻¹ on the left; {why}"


# --- numbers: residuals of an equation on concrete data ------------------------------------------


def _value(evaluator: Evaluator, expr: sp.Basic) -> np.ndarray:
    """``expr`` on the evaluator's data; the evaluator has no matrix inverse, so (A)⁻¹ is solved for here."""
    if not expr.has(sp.Inverse):
        return np.asarray(evaluator.value(expr), dtype=float)
    if not isinstance(expr, sp.MatMul):
        raise ValueError(f"an inverse inside {expr} (only products A⁻¹·b are evaluated)")
    coeff, factors = expr.as_coeff_matrices()
    out = None
    for f in reversed(factors):  # right to left: A⁻¹ b is solve(A, b), never an explicit inverse
        if isinstance(f, sp.Inverse):
            out = np.linalg.solve(_value(evaluator, f.arg), out)
        else:
            v = _value(evaluator, f)
            out = v if out is None else v @ out
    return float(evaluator.value(coeff)) * out


def _residual(eq: sp.Eq, data: Dataset, point: np.ndarray) -> np.ndarray:
    """L(θ) − R(θ) at θ = ``point``, as a flat vector."""
    evaluator = Evaluator(data, overrides={"theta": point.reshape(-1, 1)})
    return (_value(evaluator, eq.lhs) - _value(evaluator, eq.rhs)).ravel()


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.linalg.norm(a - b) <= TOLERANCE * (1 + np.linalg.norm(a) + np.linalg.norm(b)))


def same_solutions(old: sp.Eq, new: sp.Eq, datasets: tuple[Dataset, ...], seed: int = 0) -> Verdict:
    """Whether ``new`` has the solutions θ of ``old``: r_new = T·r_old, T invertible, at fresh random θ."""
    rng = np.random.default_rng(seed)
    scales = []
    for data in datasets:
        fit = rng.normal(0.0, 1.0, (data.p + 1, data.p))
        r_old = [_residual(old, data, t) for t in fit]
        r_new = [_residual(new, data, t) for t in fit]
        d_old = np.column_stack([r - r_old[0] for r in r_old[1:]])
        d_new = np.column_stack([r - r_new[0] for r in r_new[1:]])
        where = f"m={data.m}, n={data.n}"
        if np.linalg.cond(d_old) > WORST_CONDITION:
            return Verdict(UNDECIDED, "numeric", f"the previous residual does not vary in every direction ({where})")
        T = d_new @ np.linalg.inv(d_old)
        if np.linalg.cond(T) > WORST_CONDITION:
            return Verdict(FAILS, "numeric", f"r_new = T·r_old with T singular: solutions are lost or added ({where})")
        for t in rng.normal(0.0, 1.0, (FRESH, data.p)):
            a, b = _residual(new, data, t), T @ _residual(old, data, t)
            if not _close(a, b):
                example = {"m": data.m, "n": data.n, "θ": t.round(4), "r_new": a, "T·r_old": b}
                detail = f"no invertible T with r_new = T·r_old: the solutions differ ({where})"
                return Verdict(FAILS, "numeric", detail, example)
        c = T[0, 0]
        scalar = np.allclose(T, c * np.eye(data.p), rtol=TOLERANCE, atol=TOLERANCE)
        scales.append(f"{c:.6g} at m = {data.m}" if scalar else None)
    detail = f"same solutions: r_new = T·r_old, T invertible, at {FRESH} fresh random θ each ({_sizes(datasets)})"
    if all(scales):
        detail += "; T = c·I with c = " + ", ".join(scales)
    return Verdict(HOLDS, "numeric", detail + f"; seed {seed}")


# --- the derivation ----------------------------------------------------------------------------


def _sizes(datasets: tuple[Dataset, ...]) -> str:
    return "(m, n) = " + ", ".join(f"({d.m}, {d.n})" for d in datasets)


def _lstsq(data: Dataset, penalised: bool) -> np.ndarray:
    """The least-squares minimiser from the stacked system [X; √λ·D]θ ≈ [y; 0]; no normal equations formed."""
    A, b = data.X, data.y
    if penalised:
        D = np.eye(data.p)[1:]  # the penalty Σ_{j≥1} θ_j²: the bias is not penalised
        A, b = np.vstack([A, np.sqrt(data.lam) * D]), np.concatenate([b, np.zeros(data.n)])
    return np.linalg.lstsq(A, b, rcond=None)[0]


def solution(derivation: Derivation, data: Dataset) -> np.ndarray:
    """The θ of the derivation's last step, θ = A⁻¹b, on ``data``."""
    return _value(Evaluator(data), derivation.result.rhs).ravel()


def _result_checks(derivation: Derivation, model: Model, datasets: tuple[Dataset, ...]) -> tuple[Check, ...]:
    penalised = model.form("sum").cost.has(lam)  # from the cost as written, not from the gradient under test
    sizes = _sizes(datasets)
    lstsq_ok, flat = True, True
    worst = 0.0
    for data in datasets:
        ours = solution(derivation, data)
        lstsq_ok &= _close(ours, _lstsq(data, penalised))
        gradient = cost_gradient(model.matrix_cost, replace(data, theta=ours), "theta").ravel()
        scale = np.linalg.norm(data.X.T @ data.y) / data.m  # the gradient's size at θ = 0
        worst = max(worst, float(np.linalg.norm(gradient) / scale))
        flat &= worst <= TOLERANCE
    stacked = "[X; √(λ)·D]θ ≈ [y; 0]" if penalised else "Xθ ≈ y"
    return (
        Check(
            "numpy.linalg.lstsq",
            Verdict(HOLDS if lstsq_ok else FAILS, "numeric", f"θ equals lstsq of {stacked} ({sizes})"),
        ),
        Check(
            "zero gradient at the result (complex step of the cost)",
            Verdict(HOLDS if flat else FAILS, "numeric", f"|∂J/∂θ| ≤ {worst:.1e} × |Xᵀy|/m ({sizes})"),
        ),
    )


def normal_equations(model: str | Model, *, seed: int = 0, verify: bool = True) -> Derivation:
    """θ minimising a least-squares model's cost, derived from ∂J/∂θ = 0 in whole-equation steps, each checked.

    >>> d = normal_equations("linear")
    >>> d.verified, [s.rule for s in d.steps]
    (True, ['zero-gradient', 'multiply-both-sides', 'distribute', 'move-term', 'solve'])
    >>> normal_equations("logistic")
    Traceback (most recent call last):
    ...
    KeyError: "model 'logistic' has no closed-form minimiser; --solve works for: linear, linear-mean, ridge"
    """
    name = model if isinstance(model, str) else model.name
    if name not in SOLVABLE:
        raise KeyError(no_closed_form(name))
    model = get_model(model) if isinstance(model, str) else model
    form = model.form("sum")
    goal = sp.Derivative(form.goal.expr, Theta, evaluate=False)  # ∂J(θ)/∂θ, the gradient as a column
    eq, why = zero_gradient(model.matrix_gradient)
    steps = [Step("zero-gradient", why, eq)]
    for rule in EQUATION_RULES.values():
        applied = rule.apply(steps[-1].expr)
        if applied is not None:
            steps.append(Step(rule.name, applied[1], applied[0]))
    title = f"{model.title}: the normal equations, {to_unicode(goal)} = 0"
    derivation = Derivation(title, goal, Theta, tuple(steps), model=model.name, seed=seed, joins="⇔")
    if not verify:
        return derivation
    datasets = make_datasets(model, seed, SIZES)
    first = finite_difference_verdict(form.cost, theta[j], MatrixElement(eq.lhs, j, 0), seed=seed)
    pairs = enumerate(itertools.pairwise(steps), 1)
    verdicts = [first] + [same_solutions(a.expr, b.expr, datasets, seed + number) for number, (a, b) in pairs]
    derivation = derivation.with_verdicts(verdicts)
    return replace(derivation, checks=_result_checks(derivation, model, datasets))


__all__ = ["EQUATION_RULES", "SOLVABLE", "no_closed_form", "normal_equations", "same_solutions", "solution"]
