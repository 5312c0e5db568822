r"""A gradient written for one example i, with no sum (a stochastic update, CS229's
``\theta_j := \theta_j + \alpha (y^{(i)} - h_\theta(x^{(i)})) x_j^{(i)}``): checked example by example.

Summed over the examples its values must be what the left side names (m·∇J for one example's
gradient of the cost, as the rule's target allows for a step), and each example's values must be
that example's own gradient: the data term on that example alone plus its share of the penalty,
up to one constant per dataset (the step size, or the 1/m of the example's term).
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import sympy as sp

from ..core.notation import X, i
from ..oracle.datasets import Evaluator
from ..parsing.layout import blank_layout, lines_of
from ..parsing.left import tokens_of
from .compare import Problem
from .verdict import Target

EXAMPLE_COST = Target(
    "one example's gradient of the cost J (its term, ∇ℓ_i or ∇ℓ_i/m), summed over the examples",
    (("m", lambda d: float(d.m)), ("1", lambda d: 1.0)),
)
_RTOL = 1e-6


def rows(problem: Problem, values: list[np.ndarray]) -> list[np.ndarray]:
    """One row per example on every dataset: (m, n+1) for a line for all θ_j, (m, 1) for θ₀ alone."""
    return [np.asarray(v, dtype=float).reshape(d.m, -1) for d, v in zip(problem.datasets, values, strict=True)]


def summed(per_example: list[np.ndarray]) -> list[np.ndarray]:
    """The rows added up over the examples: what a batch rule would give."""
    return [r.sum(axis=0) for r in per_example]


def wrong_example(
    problem: Problem, given: dict[str, list[np.ndarray]], entries: dict[str, slice]
) -> tuple[int, int] | None:
    """The first dataset and example (1-based) whose row is not one constant times its own gradient, or None.

    ``given`` maps a scope to its rows on every dataset; ``entries`` the scope to the entries of θ it gives.
    """
    for index, d in enumerate(problem.datasets):
        own = own_gradients(problem, index)
        pairs = [(_entries(given[scope][index], entries[scope], d.p), own[:, entries[scope]]) for scope in given]
        received = np.concatenate([r.reshape(d.m, -1) for r, _ in pairs], axis=1)
        expected = np.concatenate([g.reshape(d.m, -1) for _, g in pairs], axis=1)
        scale = float(np.vdot(received, expected) / max(np.vdot(expected, expected), 1e-300))
        error = np.max(np.abs(received - scale * expected), axis=1)
        bad = np.flatnonzero(error > _RTOL * max(float(np.max(np.abs(expected))), 1e-300))
        if bad.size:
            return index, int(bad[0]) + 1
    return None


def _entries(rows: np.ndarray, entries: slice, p: int) -> np.ndarray:
    """The entries a line gives: a line for θ_j written for every j gives those of its scope; θ₀'s line one."""
    rows = rows.reshape(rows.shape[0], -1)
    return rows[:, entries] if rows.shape[1] == p else rows


def own_gradients(problem: Problem, index: int) -> np.ndarray:
    """Each example's gradient on dataset ``index``: its data term alone plus the mean penalty's gradient."""
    d = problem.datasets[index]
    penalty = np.asarray(problem.reg[index], dtype=float).reshape(-1)
    out = []
    for k in range(d.m):
        alone = dataclasses.replace(d, m=1, X=d.X[k : k + 1], y=d.y[k : k + 1])
        data = np.asarray(Evaluator(alone).value(problem.data_expr), dtype=float).reshape(-1)
        out.append(data + penalty)
    return np.array(out)


def names_mean_cost(text: str, costs: tuple = ()) -> bool:
    r"""Whether a derivative on the left names the cost J (∂J/∂θ_j, ∇_θ J(θ), 𝒥): with one example's gradient on the
    right (no Σ over the examples, with or without the index i), an equation whose J is read as one example's cost.

    One example's loss (∂ℓ/∂θ_j, ∂L/∂θ_j, J^{(i)}, Cost(h(x), y)), no left side and update rules are not, nor a J
    the text (``costs``, as :class:`~derivation.parsing.statement.Statement` holds them) defines for one example.

    >>> names_mean_cost(r"\frac{\partial J(\theta)}{\partial\theta_j} = (h_\theta(x) - y)x_j")
    True
    >>> names_mean_cost(r"\frac{\partial J}{\partial\theta_j} = (h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}")
    True
    >>> names_mean_cost(r"\frac{\partial L}{\partial\theta_j} = (h_\theta(x) - y)x_j")
    False
    """
    if any(not _over_examples(value) for _, value in costs):  # J(θ) = −y log h − …: the text's J is one example's
        return False
    for line in lines_of(blank_layout(text), text):
        if line.left is None:
            continue
        tokens = tokens_of(text[line.left[0] : line.left[1]])
        if ("\\partial" in tokens or "\\nabla" in tokens) and any(
            t == "J" and tokens[k + 1 : k + 2] not in (["^"], ["_"]) for k, t in enumerate(tokens)
        ):
            return True
    return False


def defines_mean_cost(costs: tuple) -> bool:
    """Whether the text itself defines its cost as a sum over the examples (J(θ) = (1/2m)Σᵢ …): then ∂J/∂θ_j names
    that sum, and one example's gradient is not it."""
    return bool(costs) and all(_over_examples(value) for _, value in costs)


def names_example_loss(text: str) -> bool:
    r"""Whether a derivative on the left names one example's loss by its index (J^{(i)}, L_i, ℓ^{(i)}).

    >>> names_example_loss(r"\frac{\partial J^{(i)}}{\partial\theta_j} = (h_\theta(x) - y)x_j")
    True
    """
    for line in lines_of(blank_layout(text), text):
        tokens = tokens_of(text[line.left[0] : line.left[1]]) if line.left is not None else []
        if "\\partial" in tokens or "\\nabla" in tokens:
            after = ["".join(tokens[k + 1 : k + 7]) for k, t in enumerate(tokens) if t in ("J", "L", "\\ell")]
            if any(a.startswith(("^{(i)}", "_{i}")) or re.match(r"_i(?![a-z])", a) for a in after):
                return True
    return False


def _over_examples(value) -> bool:
    """Whether a cost the text defines sums over the examples (or holds their index i, or the matrix X)."""
    if isinstance(value, sp.Basic) and value.has(X):  # J(θ) = (1/2m)‖Xθ − y‖²: the whole training set
        return True
    return i in value.free_symbols or any(limit[0] == i for s in value.atoms(sp.Sum) for limit in s.limits)


def not_the_cost_gradient(mean: str, term: bool = False) -> tuple[str, str]:
    """The one-line reason, and the diagnosis, for one example's gradient (right as that) given as ∂J/∂θ_j of a J the
    text defines as a sum over the examples, whose gradient is ``mean`` (Unicode); ``term`` when it is the gradient
    of the example's term ℓ_i/m of J."""
    reason = (
        f"your right side is one example's gradient (no Σ over the examples), but {mean}; "
        f"as {_one(term)} yours is right"
    )
    explanation = (
        f"J sums (or averages) over the examples, so its gradient does too: write {mean}, or name the left side "
        "as one example's loss (∂ℓ/∂θ_j) or write the SGD update θ_j := θ_j − α(…)"
    )
    return reason, explanation


def as_one_example(mean: str, term: bool = False, summed: bool = False) -> tuple[str, str]:
    """What a right one example's gradient under ∂J/∂θ_j (J not defined by the text) is correct for, said on the
    report's first line, and the reason line: ∂J/∂θ_j, ``mean`` (Unicode), is not it.  ``summed``: J is a sum over
    the examples (no 1/m), whose gradient sums one example's gradients."""
    cost = "the cost J, a sum over the examples" if summed else "the mean cost J"
    of = "sum" if term or summed else "mean"
    reason = f"of {cost}: {mean}, the {of} of yours over the examples (yours has no Σ over them)"
    return _one(term), reason


def _one(term: bool) -> str:
    return "one example's term ℓ_i/m of J" if term else "one example's gradient (∂ℓ/∂θ_j, an SGD step)"


EXAMPLE_ONE = "received: example 1's gradient (yours at i = 1) on the counterexample's data, against ∇J"
