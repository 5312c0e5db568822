"""Labels in {−1, +1}: the other legitimate encoding of a classifier's labels.

A logistic model's cost is the same whether the labels are written y ∈ {0, 1} or
y' = 2y − 1 ∈ {−1, +1} (−Σ log σ(y'θᵀx)), so its gradient is too: a formula written for
±1 labels (−(1/m) Σ y'x/(1 + e^{y'θᵀx})) is right when evaluated on the same data with
y' = 2y − 1.  A NumPy function is tried that way by the runner; expressions and LaTeX
use :func:`signed_datasets`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from ..oracle.datasets import Dataset
from ..parsing import ParseError
from .compare import Problem
from .usercode import InputError
from .verdict import CORRECT, GradientReport

SIGNED = "labels in {−1, +1} (y' = 2y − 1: the same cost)"


def signed_datasets(datasets: tuple[Dataset, ...]) -> tuple[Dataset, ...] | None:
    """The datasets with y' = 2y − 1 when every label is 0 or 1 (a classifier), else None.

    >>> from derivation.oracle.datasets import make_datasets
    >>> from derivation.models import get_model
    >>> sorted(set(signed_datasets(make_datasets(get_model("logistic")))[0].y.tolist()))
    [-1.0, 1.0]
    >>> signed_datasets(make_datasets(get_model("linear"))) is None
    True
    """
    if not all(np.isin(d.y, (0.0, 1.0)).all() for d in datasets):
        return None
    return tuple(dataclasses.replace(d, y=2.0 * d.y - 1.0) for d in datasets)


def either_labels(problem: Problem, judge: Callable[[tuple[Dataset, ...]], GradientReport]) -> GradientReport:
    """``judge``'s report with labels in {0, 1}, else with y' = 2y − 1 where it is right or a fault explains it exactly.

    The cost is the same in both encodings, so the expected gradient is too; a formula
    wrong in both is diagnosed in the encoding where a known fault explains it exactly, {0, 1} first.
    """
    report = judge(problem.datasets)
    signed = signed_datasets(problem.datasets) if report.status != CORRECT else None
    if signed is None or (report.diagnosis is not None and report.diagnosis.exact):
        return report
    try:
        other = judge(signed)
    except (InputError, ParseError):
        return report
    exact = other.diagnosis is not None and other.diagnosis.exact
    if other.status != CORRECT and not exact:
        return report
    example = other.counterexample
    if example is not None:  # show the labels the values were computed with
        example = {**example, "y": (2 * np.asarray(example["y"]) - 1).tolist()}
    return dataclasses.replace(other, convention=SIGNED, counterexample=example)


__all__ = ["SIGNED", "either_labels", "signed_datasets"]
