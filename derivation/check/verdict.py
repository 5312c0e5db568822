"""The verdict on received gradient values, and the one place a report is put together.

:func:`verdict` compares the received values with the expected ones dataset by
dataset; :func:`build_report` adds the diagnosis (:mod:`derivation.check.diagnose`)
and the counterexample.  Both serve every kind of input (expressions, LaTeX,
NumPy functions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

import numpy as np

from ..core.notation import m as m_symbol
from ..core.status import GradientStatus
from ..core.step_factors import STEP_FACTORS, factor_label, factor_value
from .compare import SINGLE_RTOL, single_precision
from .diagnose import Diagnosis, Problem, Scaled, diagnose, shape_kind

CORRECT, INCORRECT, UNDECIDED = GradientStatus.CORRECT, GradientStatus.INCORRECT, GradientStatus.UNDECIDED
RTOL = 1e-8  # relative to the largest expected component
CLOSE = 1e-4  # closer than this but not within RTOL: undecided (finite differences? float32?)
# A result computed in float32 carries ~7 digits: it is judged to float32's precision, with the
# same undecided band above it (a correct float32 gradient is off by ~1e-6 on our datasets).
SINGLE_CLOSE = 1e-3


def tolerances(received: list[np.ndarray]) -> tuple[float, float, str]:
    """(rtol, close, precision) for received values: float64 results to 1e-8, float32 ones to 1e-4.

    >>> tolerances([np.zeros(2)]), tolerances([np.zeros(2, dtype=np.float32)])
    ((1e-08, 0.0001, 'float64'), (0.0001, 0.001, 'float32'))
    """
    if single_precision(received):
        return SINGLE_RTOL, SINGLE_CLOSE, "float32"
    return RTOL, CLOSE, "float64"


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
    of: str = "∇J"  # the model's gradient the factors multiply: ∇ℓ for a model that is ℓ (climbed)


def _factors(*factors: Any) -> tuple[tuple[str, Callable[[Any], float]], ...]:
    """(label, factor of a dataset) for each factor: a number or an expression in m (see core.step_factors)."""
    return tuple((factor_label(k), partial(_factor_of, k)) for k in factors)


def _factor_of(factor: Any, dataset: Any) -> float:
    return factor_value(factor, dataset.m)


COST = Target("the gradient of the cost J", _factors(1))
LOG_LIKELIHOOD = Target(
    "the gradient of the log-likelihood ℓ = −m·J (or the mean log-likelihood −J)", _factors(-m_symbol, -1)
)
# Murphy's NLL(w): the summed negative log-likelihood m·J of a mean cost J (or its mean, J itself); for a model whose
# data term is already a sum (logistic-sum) it is J alone: see gradient.py
NEGATIVE_LOG_LIKELIHOOD = Target(
    "the gradient of the negative log-likelihood NLL = m·J (or the mean NLL, J)", _factors(m_symbol, 1)
)
DESCENT = Target("the step of a gradient-descent update θ := θ − α·g", _factors(*STEP_FACTORS["descent"]))
ASCENT = Target("the step of a gradient-ascent update θ := θ + α·g", _factors(*STEP_FACTORS["ascent"]))


def _of_likelihood(kind: str) -> tuple[tuple[str, Callable[[Any], float]], ...]:
    """A step's factors of ∇ℓ for a model that is ℓ = −m·J: k·∇J is −(k/m)·∇ℓ (the plain one first)."""
    return _factors(*(-k / m_symbol for k in reversed(STEP_FACTORS[kind])))


# For a model that is the log-likelihood ℓ itself (logistic-loglik, climbed), the model's gradient is ∇ℓ:
# a left side ∂ℓ/∂θ is that gradient (not −m·∇J), and an update's step is a factor of ∇ℓ.
_CLIMBED = {
    # the model defines ℓ as the sum over the examples: (1/m)Σ(y − h)x_j is not ∂ℓ/∂θ_j (a step may scale it)
    id(LOG_LIKELIHOOD): Target("the gradient of the model's log-likelihood ℓ", _factors(1), "∇ℓ"),
    id(NEGATIVE_LOG_LIKELIHOOD): Target("the gradient of the model's negative log-likelihood −ℓ", _factors(-1), "∇ℓ"),
    id(DESCENT): Target(
        "the step of a gradient-descent update θ := θ − α·g on the cost −ℓ", _of_likelihood("descent"), "∇ℓ"
    ),
    id(ASCENT): Target(
        "the step of a gradient-ascent update θ := θ + α·g on the log-likelihood ℓ", _of_likelihood("ascent"), "∇ℓ"
    ),
}


def for_model(target: Target, climbed: bool) -> Target:
    """``target`` as factors of the model's own gradient: of ∇ℓ when the model is ℓ (``climbed``), else unchanged."""
    return _CLIMBED.get(id(target), target) if climbed else target


def normalise(problem: Problem, received: list[np.ndarray], target: Target) -> tuple[list[np.ndarray], str | None]:
    """The received values divided by the factor of ``target`` that brings them closest to ∇J, and a note.

    For :data:`COST` nothing changes and the note is None.

    >>> from derivation.oracle.datasets import make_datasets
    >>> from derivation.models import get_model
    >>> problem = Problem(get_model("linear"), make_datasets(get_model("linear")))
    >>> summed = [-d.m * g for d, g in zip(problem.datasets, problem.expected)]
    >>> values, note = normalise(problem, summed, LOG_LIKELIHOOD)
    >>> bool(np.allclose(values[0], problem.expected[0])), note
    (True, 'read as the gradient of the log-likelihood ℓ = −m·J (or the mean log-likelihood −J): −m·∇J')
    """
    if target is COST:
        return received, None
    label, factor = chosen_factor(problem, received, target)
    shown = target.of if label == "1" else "−" + target.of if label == "−1" else f"{label}·{target.of}"
    factors = [factor(d) for d in problem.datasets]
    values = [np.asarray(r) / k for k, r in zip(factors, received, strict=True)]
    return Scaled(values, received, factors, shown), f"read as {target.what}: {shown}"


def chosen_factor(problem: Problem, received: list[np.ndarray], target: Target) -> tuple[str, Callable[[Any], float]]:
    """(label, factor) of ``target`` that brings ``received`` closest to ∇J (see :func:`normalise`)."""

    def error(factor) -> float:
        worst = 0.0
        for d, g, r in zip(problem.datasets, problem.expected, received, strict=True):
            r = np.asarray(r, dtype=float)
            if r.size != g.size or not np.all(np.isfinite(r)):
                return np.inf
            worst = max(worst, float(np.max(np.abs(r.reshape(-1) / factor(d) - g))) / max(np.max(np.abs(g)), 1e-300))
        return worst

    def scaled(factor) -> list[np.ndarray]:
        return [np.asarray(r) / factor(d) for d, r in zip(problem.datasets, received, strict=True)]

    label, factor = min(target.factors, key=lambda item: error(item[1]))
    if error(factor) > CLOSE:
        # Wrong under every factor: the closest one need not be the one the user meant.  Diagnose under the
        # factor where a known fault explains the values exactly (Σ without 1/m in a rule, say, is factor m).
        # A fault with a name of its own (sign flipped) explains more than "scaled by a constant" does: a mean
        # NLL gradient with its sign flipped is not "m·∇J divided by m twice and negated".
        found = [(item, diagnose(problem, scaled(item[1]))) for item in target.factors]
        exact = [(item, why) for item, why in found if why is not None and why.exact]
        if exact:
            return min(exact, key=lambda pair: pair[1].fault == "scale")[0]
    return label, factor


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
    worst: dict[str, Any] | None = None  # the worst-differing entry: see :func:`worst_entry`
    holds_for: str | None = None  # correct only for these shapes: the plain ones (θ (n+1,), y (m,)) failed

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


def vector_shape_problem(received: np.ndarray, expected: np.ndarray) -> str | None:
    """Why ``received`` cannot be a gradient over θ of ``expected``'s size (None: a vector or a column of it)."""
    if shape_kind(received) == ("vector", expected.size):
        return None
    shape = tuple(np.shape(received))
    got = f"a {shape} array" if np.size(received) != 1 else f"one number (shape {shape})"
    return f"wrong shape: received {got} where the gradient has shape ({expected.size},) or ({expected.size}, 1)"


def verdict(
    problem: Problem,
    received: list[np.ndarray],
    shape_problem: Callable[[np.ndarray, np.ndarray], str | None] = vector_shape_problem,
) -> tuple[str, str, int | None]:
    """(status, reason, index of the dataset to show) from the received values alone.

    The tolerance follows the precision of the received values (:func:`tolerances`): a
    correct gradient computed in float32 is correct, and the reason says to what tolerance.
    ``shape_problem`` says why a received array has the wrong shape (a gradient over θ by default;
    the models over W pass theirs).

    >>> from derivation.oracle.datasets import make_datasets
    >>> from derivation.models import get_model
    >>> problem = Problem(get_model("linear"), make_datasets(get_model("linear")))
    >>> verdict(problem, [g.astype(np.float32) for g in problem.expected])[:2]
    ('correct', 'equal to the gradient of linear on all 5 datasets to float32 precision (relative tolerance 1e-04)')
    """
    rtol, close_band, precision = tolerances(received)
    worst, nonfinite, close, differ = 0.0, [], None, []
    for index, (g, r) in enumerate(zip(problem.expected, received, strict=True)):
        wrong_shape = shape_problem(r, g)
        if wrong_shape is not None:
            return INCORRECT, wrong_shape, index
        values = np.asarray(r).reshape(-1)
        if not np.all(np.isfinite(values)):
            nonfinite.append(index)
            continue
        error = _relative_error(values, np.asarray(g).reshape(-1))
        if error > close_band:
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
    if worst > rtol:
        if precision == "float32":
            agree = f"correct float32 results agree to {rtol:.0e}"
            guess = "a finite-difference result, or a part computed in float16?"
        else:
            agree = f"exact gradients agree to {rtol:g}"
            guess = "a finite-difference or single-precision result?"
        return UNDECIDED, f"agrees only to a relative error of {worst:.2g} ({agree}): {guess}", close
    reason = f"equal to the gradient of {problem.model.name} on all {total} datasets"
    if precision == "float32":
        reason += f" to float32 precision (relative tolerance {rtol:.0e})"
    return CORRECT, reason, None


def _relative_error(values: np.ndarray, expected: np.ndarray, checked: np.ndarray | None = None) -> float:
    """max |received − expected| (over the ``checked`` entries) over the largest |expected|: the one measure of
    agreement."""
    values = np.asarray(values).reshape(-1)
    difference = np.abs(values - expected) if checked is None else np.abs(values - expected)[checked]
    return float(np.max(difference) / max(float(np.max(np.abs(expected))), 1e-300))


def _checked(size: int, given: list[slice] | None) -> np.ndarray:
    """A mask of the entries of θ ``given`` (all when None)."""
    mask = np.zeros(size, dtype=bool) if given else np.ones(size, dtype=bool)
    for entries in given or ():
        mask[entries] = True
    return mask


def worst_entry(
    problem: Problem, received: list[np.ndarray], index: int | None = None, given: list[slice] | None = None
) -> dict[str, Any] | None:
    """The entry that differs most: on dataset ``index`` (the counterexample), else on the worst dataset; among the
    entries of θ ``given`` (slices) when only those were written (the others filled in: never the one named).

    Plain data: dataset (its index), m, n, component j (of θ_j), expected, received,
    relative_error (max |received − expected| / max |expected| on that dataset), tolerance
    and precision (float64 or float32).  None when no dataset has n+1 finite numbers.

    >>> from derivation.oracle.datasets import make_datasets
    >>> from derivation.models import get_model
    >>> problem = Problem(get_model("linear"), make_datasets(get_model("linear")))
    >>> received = [g.copy() for g in problem.expected]
    >>> received[1][2] += 0.5
    >>> w = worst_entry(problem, received)
    >>> w["dataset"], w["component"], round(w["received"] - w["expected"], 12), w["precision"]
    (1, 2, 0.5, 'float64')
    """
    rtol, _, precision = tolerances(received)
    candidates = range(len(received)) if index is None else [index]
    best: tuple[float, int] | None = None
    for k in candidates:
        g, r = problem.expected[k], np.asarray(received[k])
        if shape_kind(r) != ("vector", g.size) or np.iscomplexobj(r) or not np.all(np.isfinite(r)):
            continue
        error = _relative_error(r, g, _checked(g.size, given))
        if best is None or error > best[0]:
            best = (error, k)
    if best is None:
        return None
    error, k = best
    d, g = problem.datasets[k], problem.expected[k]
    r = np.asarray(received[k], dtype=float).reshape(-1)
    j = int(np.argmax(np.where(_checked(g.size, given), np.abs(r - g), -np.inf)))
    return {
        "dataset": k,
        "m": d.m,
        "n": d.n,
        "component": j,
        "expected": float(g[j]),
        "received": float(r[j]),
        "relative_error": error,
        "tolerance": rtol,
        "precision": precision,
    }


def build_report(
    problem: Problem,
    base: dict[str, Any],
    status: GradientStatus,
    reason: str,
    notes: list[str] | tuple[str, ...] = (),
    received: list[np.ndarray] | None = None,
    bad: int | None = None,
    lam: bool = False,
    diagnosis: Diagnosis | None = None,
    given: list[slice] | None = None,
) -> GradientReport:
    """The one place a report is put together from what was checked (``base``) and the verdict.

    An incorrect gradient gets a diagnosis (``diagnosis`` when the caller knows the fault already); dataset
    ``bad``, when given, becomes the counterexample.
    With ``received`` the report carries the worst-differing entry (:func:`worst_entry`, among the entries ``given``
    when only those were written): on the counterexample, else over all datasets (for a correct gradient, the
    agreement achieved).
    Values :class:`Scaled` by :func:`normalise` are shown as received, the expected ones at their scale.
    """
    example, worst = None, None
    if diagnosis is None and status == INCORRECT and received is not None:
        diagnosis = diagnose(problem, received)
        if diagnosis is not None and not diagnosis.exact:
            reason += "; the diagnosis below is read from the shape only"
    scaled = received if isinstance(received, Scaled) and received.of != "∇J" else None
    if received is not None:
        worst = worst_entry(problem, received, bad, given)
        if worst is not None and scaled is not None:  # at the scale of the values received
            k = scaled.factors[worst["dataset"]]
            worst |= {"expected": k * worst["expected"], "received": k * worst["received"], "expected_of": scaled.of}
        rtol, _, precision = tolerances(received)
        if precision != "float64" and "method" in base:  # the method names float64's tolerance
            base = base | {"method": f"{base['method']}; {precision} results: relative tolerance {rtol:.0e}"}
    if bad is not None:
        example = _counterexample(problem, bad, received[bad], lam or bool(problem.model.parameters))
        if scaled is not None:  # what the code returned, and what it should have returned at its scale
            expected = scaled.factors[bad] * problem.expected[bad]
            example |= {"expected": expected.tolist(), "received": np.asarray(scaled.received[bad]).tolist()}
            example["expected_of"] = scaled.of
    return GradientReport(
        status, reason, diagnosis=diagnosis, counterexample=example, notes=tuple(notes), worst=worst, **base
    )


def _counterexample(problem: Problem, index: int, received: np.ndarray, lam: bool) -> dict[str, Any]:
    from ..models.costs import uses_example_weights

    d = problem.datasets[index]
    out = d.as_lists(weights=uses_example_weights(problem.model))
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
    "NEGATIVE_LOG_LIKELIHOOD",
    "RTOL",
    "SINGLE_CLOSE",
    "Scaled",
    "UNDECIDED",
    "GradientReport",
    "Target",
    "build_report",
    "normalise",
    "tolerances",
    "verdict",
    "worst_entry",
]
