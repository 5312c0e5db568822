"""The catalog's models, each built the first time it is asked for, then kept.

Four are written out by hand in every form (:data:`derivation.core.models.HAND_BUILT`); the
others are their cost text in the catalog (core/catalog.py), read like a user's cost, with
closed forms written by hand (core/family.py) as the independent answer.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping

from ..core.catalog import CATALOG, entry
from ..core.family import CLASS_MODELS, FAMILY
from ..core.models import HAND_BUILT, Form, Model, cost_symbol, goal
from ..core.notation import j, lam, theta
from .costs import check_size, infer_labels, labels_note, read_cost


def _from_cost(name: str) -> Model:
    """A catalog model written as its cost (catalog.py) and closed forms by hand (family.py)."""
    e = CATALOG[name]
    cost = read_cost(e.cost, latex=not e.python)
    check_size(cost)
    closed = FAMILY[name]()
    J = cost_symbol("J", cost, "J(θ)", r"J\left(\theta\right)")
    labels = e.labels or infer_labels(cost)
    return Model(
        name,
        e.title,
        e.summary,
        {"sum": Form(cost, goal(J, theta[j]), theta[j], closed.gradient, ())},
        closed.matrix_cost,
        closed.matrix_gradient,
        closed.matrix_hessian,
        parameters=(lam,) if cost.has(lam) else (),
        labels=labels,
        labels_note=labels_note(labels, e.labels is None),
        cost_text=e.cost,
    )


@functools.cache
def _built(name: str) -> Model:
    build = HAND_BUILT.get(name) or CLASS_MODELS.get(name)
    return build() if build is not None else _from_cost(name)


def get_model(name: str) -> Model:
    """The catalog entry called ``name``, built on first use.

    >>> get_model("logistic").title
    'Logistic regression'
    """
    entry(name)  # an unknown name: the catalog's KeyError, which lists the catalog
    return _built(name)


class _Models(Mapping[str, Model]):
    """The catalog as a read-only mapping name → :class:`Model`; a model is built when first looked up."""

    def __getitem__(self, name: str) -> Model:
        if name not in CATALOG:
            raise KeyError(name)
        return _built(name)

    def __contains__(self, name: object) -> bool:
        return name in CATALOG

    def __iter__(self) -> Iterator[str]:
        return iter(CATALOG)

    def __len__(self) -> int:
        return len(CATALOG)

    def __repr__(self) -> str:
        return f"<the catalog: {', '.join(CATALOG)}>"


MODELS: Mapping[str, Model] = _Models()


__all__ = ["MODELS", "Model", "get_model"]
