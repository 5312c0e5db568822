"""The cost a NumPy function returns beside its gradient: the cost the user states, read against the model's.

A model's cost is J = D + P (its data term and its penalty).  The loss a function returns is read as
D + ρ·P + c on every dataset: ρ = k·m^p the penalty's convention (λΣθ², (λ/2)Σθ², sklearn's alpha·‖w‖²,
…: the catalog's λ/(2m) is ρ = 1) and c a constant (log y! in a Poisson NLL, a dropped yᵀy/(2m)).  Read
from the loss at two θ on each dataset (differences J(θ₁) − J(θ₂) take the constant out), it gives the
penalty convention the user means, and the gradient of the cost they state: D's gradient + ρ·∇P, from the
model's closed forms.  :func:`fd_gradient` takes the returned loss's central differences, which have the
last word: no ✓ on a gradient that is not the gradient of the returned loss.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import lgamma
from typing import Any

import numpy as np
import sympy as sp

from ..core.notation import lam
from ..oracle.datasets import Dataset, Evaluator
from .compare import Arrays, Problem, constant, ratios, received_rtol, round_simple
from .variants import lam_text

STEP = 1e-5  # central differences of the returned loss: error ~STEP² (truncation) + 1e-16·|J|/STEP (rounding)
FD_RTOL = 1e-6  # the returned gradient agrees with the loss's differences to this, relative to its largest entry
_OFFSET_RTOL = 1e-9  # a difference between costs smaller than this (relative to |J|) is no constant
FD_DATASETS = 2  # the loss's differences on the first (smallest) datasets: a veto; the closed form checks all
_POWERS = (0, 1, -1)  # ρ = k·m^p: the conventions users write for (λ/2m)Σθ² or λΣ|θ|


@dataclass(frozen=True)
class StatedCost:
    """The returned loss as D + ρ·P + c, per dataset (``rho`` and ``offsets``); see the module docstring.

    P's θ₀ is the model's: a loss that penalises θ₀ where the model does not is a fault, not a convention.
    """

    rho: tuple[float, ...]  # per dataset; all 1 for the model's own penalty (or a model without one)
    k: float
    power: int
    offsets: tuple[float, ...]  # c per dataset: loss − (D + ρ·P) at θ₁
    scale: tuple[float, ...]  # |J| per dataset, for "is the offset 0?"

    @property
    def own_penalty(self) -> bool:
        """The penalty is the model's (or the model has none): only a constant may differ."""
        return self.k == 1 and self.power == 0

    @property
    def constant(self) -> bool:
        """The loss adds a constant (a term without θ) to what it otherwise states."""
        return any(abs(c) > _OFFSET_RTOL * max(s, 1.0) for c, s in zip(self.offsets, self.scale, strict=True))


def _parameter(d: Dataset) -> str:
    """The dataset's parameter: W for a model over classes, else θ."""
    return "W" if d.classes else "theta"


def second_point(datasets: Sequence[Dataset], seed: int) -> list[Dataset]:
    """The datasets with another θ (or W; the same X, y, λ): the loss there takes a constant out of the comparison."""
    rng = np.random.default_rng([seed, 20260601])
    out = []
    for d in datasets:
        value = getattr(d, _parameter(d))
        out.append(dataclasses.replace(d, **{_parameter(d): value + rng.normal(0.0, 0.5, value.shape)}))
    return out


def shifted(datasets: Sequence[Dataset]) -> list[Dataset]:
    """For each dataset and entry of θ (or W), that entry ± STEP: the points of the loss's central differences."""
    out = []
    for d in datasets:
        value = getattr(d, _parameter(d)).astype(float)
        for index in np.ndindex(value.shape):
            for sign in (1.0, -1.0):
                moved = value.copy()
                moved[index] += sign * STEP
                out.append(dataclasses.replace(d, **{_parameter(d): moved}))
    return out


def fd_gradient(datasets: Sequence[Dataset], costs: list[float]) -> Arrays:
    """The central differences of the returned loss, from its values at :func:`shifted`'s points, in θ's (W's) shape."""
    out, at = [], 0
    for d in datasets:
        shape = getattr(d, _parameter(d)).shape
        size = int(np.prod(shape))
        pairs = np.asarray(costs[at : at + 2 * size], dtype=float).reshape(size, 2)
        out.append(((pairs[:, 0] - pairs[:, 1]) / (2 * STEP)).reshape(shape))
        at += 2 * size
    return out


def fd_agrees(received: Arrays, differences: Arrays) -> bool:
    """Whether the returned gradient is the returned loss's (its central differences), dataset by dataset."""
    for r, f in zip(received, differences, strict=True):
        r, f = np.asarray(r, dtype=float).reshape(-1), f.reshape(-1)
        if r.shape != f.shape or np.max(np.abs(r - f)) > FD_RTOL * max(float(np.max(np.abs(r))), 1.0):
            return False
    return True


Rerun = Callable[[Sequence[Dataset]], Any]  # a UserRun of the same function on other datasets


class Probe:
    """The user's function run once more, on demand: at a second θ (or W) and at the points of central differences.

    ``rerun(datasets)`` runs it (the same call and conventions) and returns its UserRun; results are read by
    convention key, like the first run's.
    """

    def __init__(self, problem, rerun: Rerun | None, seed: int):
        self.problem, self.rerun = problem, rerun
        self.other = second_point(problem.datasets, seed)
        self.points = shifted(problem.datasets[:FD_DATASETS])
        self._ran: dict[str, Any] = {}  # the one rerun, shared with the probes of :meth:`reading`

    def reading(self, problem) -> Probe:
        """This probe read against another model on the same datasets (a penalised twin): the same rerun."""
        twin = copy.copy(self)
        twin.problem = problem
        return twin

    def costs(self, key: str) -> tuple[list[float], list[float]] | None:
        """(the loss at the second point, at the difference points) under convention ``key``; None if not had."""
        if self.rerun is None:
            return None
        if "run" not in self._ran:
            from .usersource import InputError

            try:
                self._ran["run"] = self.rerun([*self.other, *self.points])
            except InputError:
                self._ran["run"] = None
        if self._ran["run"] is None:
            return None
        costs = self._ran["run"].returned_costs(key, len(self.other) + len(self.points))
        return None if costs is None else (costs[: len(self.other)], costs[len(self.other) :])

    def stated(self, key: str, costs: list[float]) -> StatedCost | None:
        """The cost the loss states under convention ``key`` (``costs``: its values at the problem's point)."""
        more = self.costs(key)
        return None if more is None else read_stated(self.problem, costs, self.other, more[0])

    def agrees(self, key: str, values: Arrays) -> bool:
        """Whether ``values`` are the returned loss's central differences (the gradient of the cost it states)."""
        more = self.costs(key)
        differences = fd_gradient(self.problem.datasets[:FD_DATASETS], more[1]) if more is not None else None
        return differences is not None and fd_agrees(values[:FD_DATASETS], differences)


def constant_reason(problem, stated: StatedCost) -> tuple[str, str]:
    """(the words for the verdict line, the diagnosis's explanation) for a loss that is J plus a constant."""
    words = constant_words(problem, stated)
    return (
        f"the cost it returns differs from J by a constant ({words}): its gradient is the same",
        f"your cost differs by a constant ({words}); its gradient is the same, so gradient descent and any "
        "optimiser are not affected: only the value it reports is not J",
    )


def _parts(problem: Problem) -> tuple[sp.Basic | None, sp.Basic | None]:
    """(D, P): the model's cost split into its data term and its penalty (the terms with λ)."""
    cost = problem.model.matrix_cost
    terms = cost.args if isinstance(cost, sp.MatAdd) else sp.Add.make_args(cost)
    penalty = [t for t in terms if lam in t.free_symbols]
    data = [t for t in terms if lam not in t.free_symbols]
    return _sum(data), _sum(penalty)


def _sum(terms: list[sp.Basic]) -> sp.Basic | None:
    if len(terms) < 2:
        return terms[0] if terms else None
    return sp.MatAdd(*terms) if isinstance(terms[0], sp.MatrixExpr) else sp.Add(*terms)


def _value(expr: sp.Basic | None, d: Dataset) -> float:
    return 0.0 if expr is None else float(np.asarray(Evaluator(d).value(expr)).reshape(-1)[0])


def read_stated(
    problem: Problem, costs: list[float], other: list[Dataset], other_costs: list[float]
) -> StatedCost | None:
    """The returned loss (``costs`` at the problem's θ, ``other_costs`` at ``other``'s) as D + ρ·P + c; None when
    it is not of that form (another data term, a penalty of another shape, θ₀ penalised otherwise)."""
    data, penalty = _parts(problem)
    pairs = list(zip(problem.datasets, other, costs, other_costs, strict=True))
    scale = tuple(abs(c) for c in costs)
    if penalty is None:  # no penalty: the loss is J + c, or something else
        offsets = []
        for d1, d2, c1, c2 in pairs:
            change = (c1 - c2) - (_value(data, d1) - _value(data, d2))
            if abs(change) > 1e-8 * max(abs(c1), abs(c2), 1.0):
                return None
            offsets.append(c1 - _value(data, d1))
        return StatedCost((1.0,) * len(pairs), 1.0, 0, tuple(offsets), scale)
    rhos = []  # the penalty's θ₀ is the model's: a loss that penalises θ₀ where the model does not is no convention
    for d1, d2, c1, c2 in pairs:
        change = _value(penalty, d1) - _value(penalty, d2)
        if abs(change) < 1e-12:
            return None
        rhos.append(((c1 - c2) - (_value(data, d1) - _value(data, d2))) / change)
    for power in _POWERS:
        ks = [rho / d.m**power for rho, d in zip(rhos, problem.datasets, strict=True)]
        if not constant(ks, 1e-6) or ks[0] <= 1e-9:
            continue
        k = round_simple(ks[0], 1e-6)
        rho = tuple(k * d.m**power for d in problem.datasets)
        offsets = tuple(
            c1 - _value(data, d1) - r * _value(penalty, d1) for (d1, _, c1, _), r in zip(pairs, rho, strict=True)
        )
        return StatedCost(rho, k, power, offsets, scale)
    return None


def stated_gradient(problem: Problem, stated: StatedCost) -> Arrays:
    """The gradient of the cost the loss states: D's gradient + ρ·(the penalty's gradient)."""
    return [data + rho * reg for data, reg, rho in zip(problem.data, problem.reg, stated.rho, strict=True)]


def _sums(letter: str) -> dict[tuple[str, int], tuple[str, str]]:
    """(the penalty's sum, the entry of its gradient) per (shape, first index), in θ's letters or in (w, b)'s."""
    if letter == "w":  # θ₀ is b, θ_j (j ≥ 1) is w_j
        return {
            ("square", 1): ("Σ_j w_j²", "w_j"),
            ("square", 0): ("(Σ_j w_j² + b²)", "w_j (and b)"),
            ("abs", 1): ("Σ_j |w_j|", "sign(w_j)"),
            ("abs", 0): ("(Σ_j |w_j| + |b|)", "sign(w_j) (and sign(b))"),
        }
    return {
        ("square", 1): ("Σ_{j≥1}θ_j²", "θ_j"),
        ("square", 0): ("Σ_{j≥0}θ_j²", "θ_j"),
        ("abs", 1): ("Σ_{j≥1}|θ_j|", "sign(θ_j)"),
        ("abs", 0): ("Σ_{j≥0}|θ_j|", "sign(θ_j)"),
    }


def penalty_words(problem: Problem, stated: StatedCost, name: str = "λ", letter: str = "θ") -> tuple[str, str]:
    """(the penalty the loss adds, its gradient), as a user writes them: (lam·Σ_{j≥1}θ_j², 2·lam·θ_j),
    ((alpha/2)·Σ_j w_j², alpha·w_j) for (w, b) (``letter`` "w"), ((λ/2m)·Σ_{j≥1}|θ_j|, (λ/2m)·sign(θ_j))."""
    _, penalty = _parts(problem)
    shapes = (("square", np.square, 2.0), ("abs", np.abs, 1.0))
    for (kind, shape, slope), first in itertools.product(shapes, (1, 0)):  # θ₀ left out, or in
        coefficients = []
        for d, rho in zip(problem.datasets, stated.rho, strict=True):
            total = float(np.sum(shape(d.theta[first:])))
            if total < 1e-12:
                break
            coefficients.append(rho * _value(penalty, d) / total / d.lam)
        if len(coefficients) != len(problem.datasets):
            continue
        for power in (0, 1, 2):  # the coefficient c·λ/m^power
            ks = [c * d.m**power for c, d in zip(coefficients, problem.datasets, strict=True)]
            if constant(ks, 1e-6):
                k = round_simple(ks[0], 1e-6)
                total, entry = _sums(letter)[kind, first]
                return f"{_times(k, power, name)}{total}", f"{_times(slope * k, power, name)}{entry}"
    factor = f"{stated.k:g}·m^{stated.power}" if stated.power else f"{stated.k:g}"
    return f"{factor} × {problem.model.name}'s penalty", f"{factor} × its gradient"


def gradient_words(problem: Problem, received: Arrays, name: str = "λ", letter: str = "θ") -> tuple[str, str] | None:
    """(the penalty's gradient in ``received``, the quadratic penalty it is the gradient of), when ``received`` is
    the model's data term plus c·θ_j with c = k·λ/m^p: ("2·lam·θ_j", "lam·Σ_{j≥1}θ_j²"); else None."""
    rtol = received_rtol(received)
    rest = [np.asarray(r, dtype=float).reshape(-1) - g for r, g in zip(received, problem.data, strict=True)]
    for first in (1, 0):
        thetas = [np.concatenate([np.zeros(first), d.theta[first:]]) for d in problem.datasets]
        found = ratios(thetas, rest, rtol)
        if found is None:
            continue
        for power in (0, 1, 2):
            ks = [c * d.m**power / d.lam for c, d in zip(found, problem.datasets, strict=True)]
            if constant(ks, rtol) and ks[0] > 0:
                k = round_simple(ks[0], rtol)
                total, entry = _sums(letter)["square", first]
                return f"{_times(k, power, name)}{entry}", f"{_times(k / 2, power, name)}{total}"
    return None


def _times(k: float, power: int, name: str) -> str:
    """k·λ/m^power before a Σ or θ_j, with the user's name for λ: lam·, 2·lam·, (lam/2)·, (lam/2m)·."""
    text = re.sub(r"(\d)λ", r"\1·λ", lam_text(k, power)).replace("λ", name)
    if "/" in text:
        return f"({text.replace('(', '').replace(')', '')})·"
    return f"{text}·"


def constant_words(problem: Problem, stated: StatedCost) -> str:
    """What the constant is: its value on dataset 1, and log y! when that is what it is (a Poisson NLL)."""
    d, c = problem.datasets[0], stated.offsets[0]
    known = (  # (the constant, the words when the loss adds it, the words when it leaves it out)
        (
            lambda e: sum(lgamma(v + 1) for v in e.y) / e.m,
            "it adds (1/m)Σ log y⁽ⁱ⁾!, the log y! of the Poisson likelihood, which the model leaves out",
            "it subtracts (1/m)Σ log y⁽ⁱ⁾!",
        ),
        (
            lambda e: float(e.y @ e.y) / (2 * e.m),
            "it adds yᵀy/(2m)",
            "it leaves out the constant yᵀy/(2m) of the expanded square ‖Xθ − y‖²/(2m)",
        ),
        (lambda e: np.log(e.K) if e.K else np.nan, "it adds log K", "it subtracts log K, the loss at chance level"),
    )
    letter = "W" if d.classes else "θ"
    what = f"a term without {letter}"
    for value, added, dropped in known:
        for sign, words in ((1.0, added), (-1.0, dropped)):
            expected = [sign * value(e) for e in problem.datasets]
            if all(np.isclose(o, x, rtol=1e-8, atol=1e-12) for o, x in zip(stated.offsets, expected, strict=True)):
                what = words
    return f"{what}: {c:+.6g} on dataset 1 (m = {d.m}), the same at every {letter}"


__all__ = [
    "FD_DATASETS",
    "FD_RTOL",
    "Probe",
    "Rerun",
    "constant_reason",
    "STEP",
    "StatedCost",
    "constant_words",
    "fd_agrees",
    "fd_gradient",
    "gradient_words",
    "penalty_words",
    "read_stated",
    "second_point",
    "shifted",
    "stated_gradient",
]
