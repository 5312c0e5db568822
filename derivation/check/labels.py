"""Labels in {−1, +1}: the other legitimate encoding of a classifier's labels.

A logistic model's cost is the same whether the labels are written y ∈ {0, 1} or
y' = 2y − 1 ∈ {−1, +1} (−Σ log σ(y'θᵀx)), so its gradient is too: a formula written for
±1 labels (−(1/m) Σ y'x/(1 + e^{y'θᵀx})) is right when evaluated on the same data with
y' = 2y − 1.  A NumPy function is tried that way by the runner; expressions and LaTeX
use :func:`signed_datasets`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .evaluate import Dataset

SIGNED = "labels in {−1, +1} (y' = 2y − 1: the same cost)"
COUNTEREXAMPLE_NOTE = "the counterexample shows y in {0, 1}; the gradient was evaluated with y' = 2y − 1"


def signed_datasets(datasets: tuple[Dataset, ...]) -> tuple[Dataset, ...] | None:
    """The datasets with y' = 2y − 1 when every label is 0 or 1 (a classifier), else None.

    >>> from derivation.check.evaluate import make_datasets
    >>> from derivation.core.models import get_model
    >>> sorted(set(signed_datasets(make_datasets(get_model("logistic")))[0].y.tolist()))
    [-1.0, 1.0]
    >>> signed_datasets(make_datasets(get_model("linear"))) is None
    True
    """
    if not all(np.isin(d.y, (0.0, 1.0)).all() for d in datasets):
        return None
    return tuple(dataclasses.replace(d, y=2.0 * d.y - 1.0) for d in datasets)


__all__ = ["COUNTEREXAMPLE_NOTE", "SIGNED", "signed_datasets"]
