"""The data a gradient is judged on: the model's datasets (a cost that names its features one by one fixes n; a
polynomial in one feature has x_k = x^k), one-feature datasets, and the method line that says how it was judged."""

from __future__ import annotations

import dataclasses

import numpy as np
import sympy as sp

from ..core.models import Model
from ..core.notation import theta, x
from ..oracle.datasets import SIZES, make_datasets
from .diagnose import Problem
from .exact import CONFIRMED, Gap, exact_gap
from .verdict import CORRECT, RTOL

_PROBLEMS: dict[tuple[int, int], tuple[Model, Problem]] = {}


def problem_for(model: Model, seed: int) -> Problem:
    key = (id(model), seed)
    if key not in _PROBLEMS:
        if len(_PROBLEMS) > 32:
            _PROBLEMS.clear()
        _PROBLEMS[key] = (model, Problem(model, model_datasets(model, seed, dataset_sizes(model))))
    return _PROBLEMS[key][1]


def named_features(model: Model) -> tuple[int, bool, int]:
    """(the highest θ_k or x_k the cost names, whether it names its features one by one (no x_k under a sum over
    k), the highest x_k it names)."""
    form = model.forms.get("sum")
    rows = [] if form is None else [r for r in form.cost.atoms(sp.Indexed) if r.base in (theta, x)]
    top = max((int(r.indices[-1]) for r in rows if r.indices[-1].is_Integer), default=0)
    features = [r.indices[-1] for r in rows if r.base == x]
    one_by_one = bool(top) and all(k.is_Integer for k in features)
    return top, one_by_one, max((int(k) for k in features if k.is_Integer), default=0)


def dataset_sizes(model: Model) -> tuple[tuple[int, int], ...]:
    """The datasets' (m, n). A cost that names its features one by one (θ₀ + θ₁x₁ + θ₂x₂, f_{w,b}(x) = wx + b, the
    polynomial θ₀ + θ₁x + θ₂x²: no x_k under a sum over k) has exactly the features it names, n the highest θ_k or x_k
    (more features gave the right per-j formula a ✗: ∂J/∂θ₃ is 0 on data it never mentions); any other, at least that
    many (θ₂ on n = 1 was a traceback)."""
    top, one_by_one, _ = named_features(model)
    if one_by_one:
        return tuple((m, top) for m, _ in SIZES)
    return tuple((m, max(n, top)) for m, n in SIZES) if top > min(n for _, n in SIZES) else SIZES


def polynomial_degree(model: Model) -> int:
    """The degree d of a cost that is a polynomial in its one feature (θ₀ + θ₁x + θ₂x²: 2; its features named one
    by one, θ_d the highest, x₁ the only x), else 0. Its data have x_k = x₁^k, the design matrix [1, x, x², …] the
    user means: with x₂ random, Xᵀ(Xθ − y)/m and (1/m)Σ(h − y)x_j got a false ✗."""
    top, one_by_one, features = named_features(model)
    return top if one_by_one and features == 1 and top > 1 else 0


def model_datasets(model: Model, seed: int, sizes: tuple[tuple[int, int], ...]):
    """The model's random datasets of ``sizes``; a polynomial in one feature has x_k = x₁^k (:func:`polynomial_degree`,
    n its degree whatever ``sizes`` says, so θ₂ exists: it was a traceback on one-feature data)."""
    degree = polynomial_degree(model)
    if not degree:
        return make_datasets(model, seed, sizes)
    datasets = make_datasets(model, seed, tuple((m, degree) for m, _ in sizes))
    # x on a grid of quarters: its powers are exact in binary, so the exact recheck sees x² where the cost has it
    return tuple(dataclasses.replace(d, X=((d.X[:, 1:2] * 4).round() / 4) ** np.arange(degree + 1)) for d in datasets)


ONE_FEATURE_SIZES = ((3, 1), (4, 1), (5, 1), (6, 1), (7, 1))


def one_feature_problem(model: Model, seed: int) -> Problem:
    """The model on datasets with one feature (n = 1): x⁽ⁱ⁾ a number, θ = (θ₀, θ₁)."""
    return Problem(model, model_datasets(model, seed, ONE_FEATURE_SIZES))


def method_line(problem: Problem, seed: int, subprocess: bool) -> str:
    sizes = ", ".join(f"({d.m}, {d.n})" for d in problem.datasets)
    where = " in a subprocess" if subprocess else ""
    return (
        f"numeric{where}: {len(problem.datasets)} random datasets, (m, n) = {sizes}; seed {seed}; "
        f"relative tolerance {RTOL:g}"
    )


def exactly(problem: Problem, found: tuple, expr: sp.Basic, offset: int, datasets, factor=None) -> Gap | bool:
    """A float64 "correct" that exact arithmetic refutes (:mod:`.exact`); else whether exact arithmetic confirmed it."""
    if found[0] != CORRECT:
        return False
    return exact_gap(problem, expr, offset, problem.datasets if datasets is None else datasets, factor)


def method_after(method: str, gap: Gap | bool) -> str:
    return f"{method}; {CONFIRMED}" if gap is True else method
