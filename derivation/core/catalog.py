"""The catalog's light data: each model's name, title, one-line summary and which forms exist.

No SymPy here: the command line lists the catalog and checks its arguments from
this table alone, so ``derivation --help``, ``derivation models`` and a usage
error answer at once.  The expressions themselves are built on first use by
:func:`derivation.core.models.get_model`, which takes its names and words from here.

>>> entry("logistic").forms, entry("sigmoid").matrix
(('sum', 'example'), False)
"""

from __future__ import annotations

from dataclasses import dataclass

# The labels a model's data may need, by the name --labels takes (which one a cost needs: core.costs).
LABELS: dict[str, str] = {
    "01": "labels y ∈ {0, 1}",
    "pm1": "labels y ∈ {−1, +1}",
    "counts": "counts y ∈ {0, 1, 2, …}",
    "real": "real-valued y",
}


@dataclass(frozen=True)
class Entry:
    """What is known of a catalog model before its expressions are built."""

    name: str
    title: str
    summary: str
    forms: tuple[str, ...] = ("sum",)  # ways of writing the cost: "sum" (over examples), "example" (one)
    matrix: bool = False  # a matrix cost and gradient: gradient checks and generated kernels
    hessian: bool = False  # a matrix Hessian: show --hessian


CATALOG: dict[str, Entry] = {
    e.name: e
    for e in (
        Entry(
            "logistic",
            "Logistic regression",
            "cross-entropy cost of σ(θᵀx): −(1/m) Σ [y log h + (1−y) log(1−h)]",
            ("sum", "example"),
            matrix=True,
            hessian=True,
        ),
        Entry(
            "logistic-l2",
            "Logistic regression with an L2 penalty",
            "cross-entropy of σ(θᵀx) plus (λ/2m)·Σ_{j≥1} θ_j² (bias not penalised)",
            matrix=True,
            hessian=True,
        ),
        Entry("linear", "Linear regression", "squared error (1/2m) Σ (θᵀx − y)²", ("sum", "example"), True, True),
        Entry("sigmoid", "The sigmoid function", "σ(z) = 1/(1+e^(−z)), whose derivative is σ(1−σ)"),
    )
}


def entry(name: str) -> Entry:
    """The entry called ``name``; a KeyError that lists the catalog otherwise.

    >>> entry("nope")
    Traceback (most recent call last):
    ...
    KeyError: "unknown model 'nope'; the catalog has: logistic, logistic-l2, linear, sigmoid"
    """
    try:
        return CATALOG[name]
    except KeyError:
        raise KeyError(f"unknown model {name!r}; the catalog has: {', '.join(CATALOG)}") from None


def no_gradient_to_check(name: str) -> str:
    """Why model ``name`` (one without a matrix form) has no gradient over θ to check."""
    have = ", ".join(e.name for e in CATALOG.values() if e.matrix)
    return f"model {name!r} has no gradient over θ to check; models with one: {have}"


def no_kernel(name: str) -> str:
    """Why model ``name`` (one without a matrix form) has no generated kernel."""
    have = ", ".join(sorted(e.name for e in CATALOG.values() if e.matrix))
    return (
        f"model {name!r} has no matrix form (matrix_cost / matrix_gradient), "
        f"and kernels are generated from the matrix form; models with one: {have}"
    )


__all__ = ["CATALOG", "LABELS", "Entry", "entry", "no_gradient_to_check", "no_kernel"]
