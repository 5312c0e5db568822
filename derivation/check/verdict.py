"""The verdict on received gradient values, and the one place a report is put together.

:func:`verdict` compares the received values with the expected ones dataset by
dataset; :func:`build_report` adds the diagnosis (:mod:`derivation.check.diagnose`)
and the counterexample.  Both serve every kind of input (expressions, LaTeX,
NumPy functions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ..core.status import GradientStatus
from .diagnose import Diagnosis, Problem, diagnose, shape_kind

CORRECT, INCORRECT, UNDECIDED = GradientStatus.CORRECT, GradientStatus.INCORRECT, GradientStatus.UNDECIDED
RTOL = 1e-8  # relative to the largest expected component
CLOSE = 1e-4  # closer than this but not within RTOL: undecided (finite differences? float32?)


@dataclass(frozen=True)
class Target:
    """What the received values are meant to be, as factors of the model's gradient ∇J.

    The received values are divided by the factor that fits them best before the verdict,
    so every diagnosis speaks of ∇J.  An update rule's step is any of its factors times
    ∇J, because the step size absorbs a positive constant (1/m included).

    >>> LOG_LIKELIHOOD.factors[0][0], DESCENT.what
    ('−m', 'the step of a gradient-descent update θ := θ − α·g')
    """

    what: str  # "the gradient of the log-likelihood ℓ = −m·J"
    factors: tuple[tuple[str, Callable[[Any], float]], ...]


COST = Target("the gradient of the cost J", (("1", lambda d: 1.0),))
LOG_LIKELIHOOD = Target(
    "the gradient of the log-likelihood ℓ = −m·J (or the mean log-likelihood −J)",
    (("−m", lambda d: -float(d.m)), ("−1", lambda d: -1.0)),
)
DESCENT = Target(
    "the step of a gradient-descent update θ := θ − α·g",
    (("1", lambda d: 1.0), ("m", lambda d: float(d.m))),
)
ASCENT = Target(
    "the step of a gradient-ascent update θ := θ + α·g",
    (("−1", lambda d: -1.0), ("−m", lambda d: -float(d.m))),
)


def normalise(problem: Problem, received: list[np.ndarray], target: Target) -> tuple[list[np.ndarray], str | None]:
    """The received values divided by the factor of ``target`` that brings them closest to ∇J, and a note.

    For :data:`COST` nothing changes and the note is None.

    >>> from derivation.check.evaluate import make_datasets
    >>> from derivation.core.models import get_model
    >>> problem = Problem(get_model("linear"), make_datasets(get_model("linear")))
    >>> summed = [-d.m * g for d, g in zip(problem.datasets, problem.expected)]
    >>> values, note = normalise(problem, summed, LOG_LIKELIHOOD)
    >>> bool(np.allclose(values[0], problem.expected[0])), note
    (True, 'read as the gradient of the log-likelihood ℓ = −m·J (or the mean log-likelihood −J): −m·∇J')
    """
    if target is COST:
        return received, None

    def error(factor) -> float:
        worst = 0.0
        for d, g, r in zip(problem.datasets, problem.expected, received, strict=True):
            r = np.asarray(r, dtype=float)
            if r.size != g.size or not np.all(np.isfinite(r)):
                return np.inf
            worst = max(worst, float(np.max(np.abs(r.reshape(-1) / factor(d) - g))) / max(np.max(np.abs(g)), 1e-300))
        return worst

    label, factor = min(target.factors, key=lambda item: error(item[1]))
    values = [np.asarray(r) / factor(d) for d, r in zip(problem.datasets, received, strict=True)]
    shown = "∇J" if label == "1" else f"{label}·∇J"
    return values, f"read as {target.what}: {shown}"


@dataclass(frozen=True)
class GradientReport:
    """The verdict on one received gradient, as plain data (see :func:`check_gradient`).

    >>> from derivation.check.gradient import check_gradient
    >>> r = check_gradient("linear", grad="X.T @ (X @ theta - y) / m")
    >>> r.status, r.exit_code, r.to_dict()["diagnosis"]
    ('correct', 0, None)
    """

    status: GradientStatus
    reason: str
    model: str
    input_kind: str
    received: str  # as the user gave it
    reading: str | None  # how we read it (Unicode), for expressions and LaTeX
    diagnosis: Diagnosis | None
    counterexample: dict[str, Any] | None
    method: str
    seed: int
    notes: tuple[str, ...] = field(default_factory=tuple)
    convention: str | None = None  # how a NumPy function was called (intercept, shapes, arguments)

    @property
    def exit_code(self) -> int:
        """0 correct, 1 incorrect or undecided."""
        return 0 if self.status == CORRECT else 1

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        out = asdict(self)
        out["notes"] = list(self.notes)
        return out

    def __str__(self) -> str:
        from ..printing.gradient_report import render_report

        return render_report(self, "text")

    def _repr_markdown_(self) -> str:  # Jupyter renders the report itself
        from ..printing.gradient_report import render_report

        return render_report(self, "markdown")

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))


def verdict(problem: Problem, received: list[np.ndarray]) -> tuple[str, str, int | None]:
    """(status, reason, index of the dataset to show) from the received values alone."""
    worst, nonfinite, close, differ = 0.0, [], None, []
    for index, (g, r) in enumerate(zip(problem.expected, received, strict=True)):
        if shape_kind(r) != ("vector", g.size):
            shape = tuple(np.shape(r))
            got = f"a {shape} array" if np.size(r) != 1 else f"one number (shape {shape})"
            reason = f"wrong shape: received {got} where the gradient has shape ({g.size},) or ({g.size}, 1)"
            return INCORRECT, reason, index
        values = np.asarray(r).reshape(-1)
        if not np.all(np.isfinite(values)):
            nonfinite.append(index)
            continue
        error = float(np.max(np.abs(values - g)) / max(float(np.max(np.abs(g))), 1e-300))
        if error > CLOSE:
            differ.append((index, error))
        elif error > worst:
            worst, close = error, index
    total = len(received)
    if differ:
        index, error = differ[0]
        return (
            INCORRECT,
            f"differs on {len(differ)} of {total} datasets (relative error {error:.2g} on the first)",
            index,
        )
    if nonfinite:
        where = "" if len(nonfinite) == total else ", and equal to it on the others"
        reason = (
            f"the received gradient is not finite (NaN or ±∞) on {len(nonfinite)} of {total} datasets{where}: "
            "a log of a negative number, or a division by zero?"
        )
        return UNDECIDED, reason, None
    if worst > RTOL:
        reason = (
            f"agrees only to a relative error of {worst:.2g} (exact gradients agree to {RTOL:g}): "
            "a finite-difference or single-precision result?"
        )
        return UNDECIDED, reason, close
    return CORRECT, f"equal to the gradient of {problem.model.name} on all {total} datasets", None


def build_report(
    problem: Problem,
    base: dict[str, Any],
    status: GradientStatus,
    reason: str,
    notes: list[str] | tuple[str, ...] = (),
    received: list[np.ndarray] | None = None,
    bad: int | None = None,
    lam: bool = False,
) -> GradientReport:
    """The one place a report is put together from what was checked (``base``) and the verdict.

    An incorrect gradient gets a diagnosis; dataset ``bad``, when given, becomes the counterexample.
    """
    diagnosis, example = None, None
    if status == INCORRECT and received is not None:
        diagnosis = diagnose(problem, received)
        if diagnosis is not None and not diagnosis.exact:
            reason += "; the diagnosis below is read from the shape only"
    if bad is not None:
        example = _counterexample(problem, bad, received[bad], lam or bool(problem.model.parameters))
    return GradientReport(status, reason, diagnosis=diagnosis, counterexample=example, notes=tuple(notes), **base)


def _counterexample(problem: Problem, index: int, received: np.ndarray, lam: bool) -> dict[str, Any]:
    d = problem.datasets[index]
    out = d.as_lists()
    if not lam:
        out.pop("lam")
    out["expected"] = problem.expected[index].tolist()
    out["received"] = np.asarray(received).tolist()
    out["received_shape"] = list(np.shape(received))
    return out


__all__ = [
    "ASCENT",
    "CLOSE",
    "CORRECT",
    "COST",
    "DESCENT",
    "INCORRECT",
    "LOG_LIKELIHOOD",
    "RTOL",
    "UNDECIDED",
    "GradientReport",
    "Target",
    "build_report",
    "normalise",
    "verdict",
]
