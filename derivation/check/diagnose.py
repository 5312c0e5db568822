"""Name the mistake behind a wrong gradient: each common fault is a small registered hypothesis.

A hypothesis either computes the gradient a common mistake produces on given data
(an *alternative*: σ left out, the bias regularised, ∂J/∂X instead of ∂J/∂θ, …) or
tests a relation between the received and the expected values (a *relation*:
received = −expected, = c·expected with c constant or proportional to m).  The
diagnosis is the first hypothesis, in registry order, that explains the received
values exactly on every sampled dataset; then alternatives times a constant or m
(σ missing *and* sign flipped); then, when nothing fits, the received shape alone
(marked ``exact=False``).

Alternatives are computed from the model's own matrix forms (its gradient with σ
removed or doubled, its cost differentiated by X or y with the complex step:
:mod:`derivation.check.model_faults`), so they follow the catalog and need no
per-model code.  The first ones are the variants
of the cost users have in mind (:mod:`derivation.check.variants`): their explanation
says which cost the received values *are* the gradient of (the summed cost, the
log-likelihood, another penalty) and what to change.  Values computed in float32 are
compared to float32's precision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from . import model_faults, variants
from .compare import (
    Arrays,
    Problem,
    coefficient_text,
    constant,
    costs_match,
    flat_vector,
    minus,
    model_costs,
    pretty,
    ratios,
    received_rtol,
    round_simple,
    same,
    scale_formula,
    scale_pattern,
    scale_text,
    shape_kind,
)

FAULTS = {
    "sign": "sign flipped",
    "bias-sign": "sign flipped on b",
    "bias-scale": "b's component alone scaled",
    "weights-scale": "w's components alone scaled",
    "square-kept": "the square kept",
    "stray-square": "a stray square",
    "bias-outside": "b added outside σ",
    "constant-scale": "scaled by the cost's constant λ",
    "precedence": "/ 2*m read as (…/2)·m",
    "scale": "scaled by a constant",
    "missing-regularisation": "regularisation term missing",
    "extra-regularisation": "extra regularisation term",
    "bias-regularised": "bias θ₀ regularised",
    "bias-penalised": "bias θ₀ penalised",
    "labels-dropped": "labels dropped",
    "transposed": "transposed",
    "wrong-axis": "summed over the wrong axis",
    "broadcast": "(m,1) against (m,) broadcast into an (m,m) matrix",
    "sigmoid-missing": "sigmoid missing",
    "sigmoid-twice": "sigmoid applied twice",
    "inner-derivative": "inner derivative x_j missing",
    "indicator-missing": "the subgradient's indicator missing",
    "other-model": "gradient of another model",
    "wrong-variable": "derivative with respect to the wrong variable",
    "zero": "zero gradient",
    "summed": "summed instead of averaged",
    "one-example": "one example's gradient, not J's",
    "entry-for-vector": "one entry where the vector belongs",
    "ascent": "ascent and descent swapped",
    "penalty-scale": "another penalty convention",
    "added-constant": "a constant added",
    "wrong-cost": "the cost it returns is wrong",
    "a-cost": "a cost, not a gradient",
    # models over a weight matrix W (softmax regression, the multiclass SVM)
    "layout": "W's layout: (K, n+1) for (n+1, K), a transpose missing",
    "labels": "one-hot and integer labels confused",
    "bias-row": "bias row of W penalised otherwise than the model",
    "softmax-axis": "softmax normalised over the examples (axis 0)",
    "overflow": "overflow at large scores (exp without the max shift)",
    "svm-true-class": "the true class's column missing",
    "svm-margin": "margin Δ = 1 missing",
}


@dataclass(frozen=True)
class Diagnosis:
    """The fault that explains a wrong gradient: its tag (a key of :data:`FAULTS`), name and explanation.

    ``exact`` is False when only the shape of the received value points at the fault.

    >>> Diagnosis("sign", FAULTS["sign"], "received = −expected").name
    'sign flipped'
    """

    fault: str
    name: str
    explanation: str
    exact: bool = True


def wrong_cost(line: str, octave: bool = False) -> Diagnosis:
    """The gradient is right but the cost returned beside it (``line`` says how) is not: an optimiser reads both.

    ``octave``: the function is Octave's, given to fminunc with optimset('GradObj', 'on'), not to SciPy.

    >>> "fminunc" in wrong_cost("the cost it returns is wrong (its sign)", octave=True).explanation
    True
    """
    if line.startswith("the loss it returns has no penalty"):
        explanation = "its loss and its gradient disagree: the gradient has a penalty term the loss lacks"
        return Diagnosis("wrong-cost", FAULTS["wrong-cost"], explanation)
    slip = line[line.rfind("(") + 1 : -1] if line.endswith(")") else ""
    optimiser = (
        "[J, grad], e.g. fminunc with optimset('GradObj', 'on')"
        if octave
        else "(cost, grad), e.g. scipy.optimize.minimize(jac=True)"
    )
    explanation = (
        f"the gradient is right, but the cost it returns beside it is not the model's{f' ({slip})' if slip else ''}: "
        f"an optimiser given {optimiser}, minimises that cost, so its line search fails or it climbs"
    )
    return Diagnosis("wrong-cost", FAULTS["wrong-cost"], explanation)


class Scaled(list):
    """The values of :func:`normalise` (∇J's), remembering the values as received and each dataset's factor.

    A report shows the numbers the user's code returned, and the expected ones at its scale (``of``, as
    −m·∇J), so they compare with the user's own print() (verdict.build_report); a diagnosis that names a term
    names it at that scale too.
    """

    def __init__(self, values: list[np.ndarray], received: list[np.ndarray], factors: list[float], of: str) -> None:
        super().__init__(values)
        self.received, self.factors, self.of = list(received), factors, of


@dataclass(frozen=True)
class Hypothesis:
    fault: str
    kind: str  # "alternative" (variants: explanation → one array per dataset) or "relation"
    function: Callable
    scalable: bool = True  # may the alternative also be off by a constant or m?


HYPOTHESES: list[Hypothesis] = []


def alternative(fault: str, *, scalable: bool = True):
    """Register ``function(problem) -> {explanation: arrays}``, the values one mistake produces.

    >>> [h.fault for h in HYPOTHESES][:4]
    ['zero', 'summed', 'ascent', 'sign']
    """

    def register(function):
        HYPOTHESES.append(Hypothesis(fault, "alternative", function, scalable))
        return function

    return register


def relation(fault: str):
    """Register ``function(problem, received, rtol) -> Diagnosis | None``, a test of received against expected.

    ``rtol`` is the relative tolerance the received values' precision allows (float32 or float64).
    """

    def register(function):
        HYPOTHESES.append(Hypothesis(fault, "relation", function, False))
        return function

    return register


def diagnose(problem: Problem, received: Arrays) -> Diagnosis | None:
    """The first hypothesis that explains ``received`` (one array per dataset) exactly; else a shape hint.

    >>> from derivation.models import get_model
    >>> from derivation.oracle.datasets import make_datasets
    >>> problem = Problem(get_model("logistic"), make_datasets(get_model("logistic")))
    >>> diagnose(problem, [-g for g in problem.expected]).fault
    'ascent'
    >>> diagnose(problem, [d.m * g for d, g in zip(problem.datasets, problem.expected)]).explanation[:47]
    'it is the gradient of the summed cost m·J = −Σᵢ'
    >>> diagnose(problem, [3 * d.m * g for d, g in zip(problem.datasets, problem.expected)]).explanation
    'received = 3·m × expected: scaled by 3·m (the 1/m missing)'

    Values in float32 are compared to float32's precision (:func:`~derivation.check.compare.received_rtol`).
    """
    flat = [flat_vector(np.asarray(r)) for r in received]
    if isinstance(received, Scaled):  # the relations that word a term say it at the scale received
        flat = Scaled(flat, received.received, received.factors, received.of)
    received = flat
    rtol = received_rtol(received)
    for hyp in HYPOTHESES:
        if hyp.kind == "relation":
            found = hyp.function(problem, received, rtol)
            if found is not None:
                return found
            continue
        for explanation, arrays in problem.alternatives(hyp).items():
            if all(same(a, r, rtol) for a, r in zip(arrays, received, strict=True)):
                return Diagnosis(hyp.fault, FAULTS[hyp.fault], explanation)
    for hyp in HYPOTHESES:
        if hyp.kind != "alternative" or not hyp.scalable:
            continue
        for explanation, arrays in problem.alternatives(hyp).items():
            pattern = scale_pattern(problem.datasets, arrays, received, rtol)
            if pattern is not None and pattern != ("1", 1.0):
                return Diagnosis(
                    hyp.fault,
                    FAULTS[hyp.fault],
                    f"{explanation}; and {scale_text(*pattern, summed=variants.data_summed(problem))}",
                )
    return _from_shape(problem, received)


def diagnose_entries(problem: Problem, received: Arrays, entries: list[slice]) -> Diagnosis | None:
    """The first alternative that explains ``received`` on the ``entries`` a statement gives (θ_j for j ≥ 1 only,
    say; the others were filled in as right): an explanation of the values written, not of the ones filled in.

    >>> from derivation.models import get_model
    >>> from derivation.oracle.datasets import make_datasets
    >>> problem = Problem(get_model("logistic-l2"), make_datasets(get_model("logistic-l2")))
    >>> wrong = [np.concatenate([g[:1], d[1:]]) for g, d in zip(problem.expected, problem.data)]  # no penalty
    >>> diagnose_entries(problem, wrong, [slice(1, None)]).fault
    'missing-regularisation'
    """
    vectors = [flat_vector(np.asarray(r, dtype=float)) for r in received]
    if any(v.ndim != 1 for v in vectors):
        return None
    masks = []
    for v in vectors:
        mask = np.zeros(v.size, dtype=bool)
        for entry in entries:
            mask[entry] = True
        masks.append(mask)
    rtol = received_rtol(received)
    for hyp in HYPOTHESES:
        if hyp.kind != "alternative":
            continue
        for explanation, arrays in problem.alternatives(hyp).items():
            if all(
                np.shape(a) == v.shape and same(np.asarray(a)[k], v[k], rtol)
                for a, v, k in zip(arrays, vectors, masks, strict=True)
            ):
                return Diagnosis(hyp.fault, FAULTS[hyp.fault], f"{explanation} (on the entries it gives)")
    given = [[np.where(k, np.asarray(a, dtype=float), 0.0) for a, k in zip(vs, masks, strict=True)] for vs in
             (problem.expected, vectors)]  # fmt: skip
    if any(np.shape(g) != v.shape for g, v in zip(given[0], vectors, strict=True)):
        return None
    pattern = scale_pattern(problem.datasets, *given, rtol)  # one partial written with a stray factor
    if pattern is None or pattern in (("1", 1.0), ("1", 0.0)):
        return None
    text = scale_text(*pattern, summed=variants.data_summed(problem))
    return Diagnosis("scale", FAULTS["scale"], f"the entries it gives are off: {text}{_half(problem, pattern)}")


# --- relations -----------------------------------------------------------------------------


@relation("zero")
def _zero(problem: Problem, received: Arrays, rtol: float) -> Diagnosis | None:
    """Zero gradient: every component is 0."""
    if all(r.size and not np.any(r) for r in received) and any(np.any(g) for g in problem.expected):
        return Diagnosis("zero", FAULTS["zero"], "every component is 0")
    return None


# The variants of the cost (variants.py) come before the generic sign and scale: m·∇J is
# "the summed cost" before it is "scaled by m", −∇J of a cross-entropy "the log-likelihood"
# before it is "sign flipped".
alternative("summed", scalable=False)(variants.summed)
alternative("ascent", scalable=False)(variants.ascent)


@alternative("sign", scalable=False)
def _sign(problem: Problem) -> dict[str, Arrays]:
    """Sign flipped: −expected, or the data term's sign flipped beside a correct penalty."""
    out = {"received = −expected: (h − y) and (y − h) swapped, or a stray minus": [-g for g in problem.expected]}
    return out | variants.mixed_signs(problem)


alternative("bias-sign", scalable=False)(model_faults.intercept_sign)


def _part_scaled(problem: Problem, received: Arrays, rtol: float, bias: bool) -> Diagnosis | None:
    """One part alone scaled, the other right: ``bias``, θ₀'s (db = Σ(h − y) beside dw = Xᵀ(h − y)/m), else the
    weights' θ_j, j ≥ 1 (dw = Xᵀ(h − y)/(2m) beside db = Σ(h − y)/m); None unless a constant factor, not a sign
    flip, explains the scaled part on every dataset (:func:`scale_pattern`)."""
    expected = problem.expected
    if any(g.ndim != 1 or g.size < 2 or np.shape(r) != g.shape for g, r in zip(expected, received, strict=True)):
        return None
    scaled, right = (slice(None, 1), slice(1, None)) if bias else (slice(1, None), slice(None, 1))
    if not all(same(g[right], r[right], rtol) for g, r in zip(expected, received, strict=True)):
        return None

    def part(v: np.ndarray) -> np.ndarray:  # the scaled components, 0 elsewhere
        out = np.zeros(v.size)
        out[scaled] = v[scaled]
        return out

    pattern = scale_pattern(problem.datasets, *([part(v) for v in vs] for vs in (expected, received)), rtol)
    if pattern is None or pattern in (("1", 1.0), ("1", 0.0), ("1", -1.0)):
        return None
    text = scale_text(*pattern, summed=variants.data_summed(problem))
    if bias:
        said = (
            f"component 0 (the intercept: db, or θ₀) alone is off: {text}; the other components are right: "
            "scale it as they are"
        )
    else:
        said = (
            f"the weights' components (dw, or θ_j for j ≥ 1) alone are off: {text}{_half(problem, pattern)}; "
            "component 0 (the intercept: db, or θ₀) is right: scale them as it is"
        )
    fault = "bias-scale" if bias else "weights-scale"
    return Diagnosis(fault, FAULTS[fault], said)


relation("bias-scale")(partial(_part_scaled, bias=True))
relation("weights-scale")(partial(_part_scaled, bias=False))


def _half(problem: Problem, pattern: tuple[str, float]) -> str:
    """The commonest stray ½ in words, J's 1/(2m) copied into the gradient, where the cost has a square to cancel
    it; '' for any other factor or cost."""
    if pattern != ("1", 0.5) or not model_faults.squares_residual(problem):
        return ""
    return " (a J written with 1/(2m) has its ½ cancelled by the 2 the square brings down)"


alternative("missing-regularisation")(variants.missing_regularisation)
alternative("bias-regularised")(variants.bias_regularised)
alternative("bias-penalised")(model_faults.bias_penalised)


@relation("penalty-scale")
def _penalty_scale(problem: Problem, received: Arrays, rtol: float) -> Diagnosis | None:
    """Another penalty convention: the data term right, the penalty's gradient λθ_j, 2λθ_j, (λ/2m)θ_j, …"""
    explanation = variants.penalty_scale(problem, received, rtol)
    return None if explanation is None else Diagnosis("penalty-scale", FAULTS["penalty-scale"], explanation)


@relation("constant-scale")
def _constant_scale(problem: Problem, received: Arrays, rtol: float) -> Diagnosis | None:
    """received = λ^p·expected (p = ±1, ±2), λ the cost's constant sampled anew on each dataset: a stray λ, as
    c·tanh(c·r) for the gradient of (1/c)·log cosh(c·r), whose chain-rule c cancels the 1/c."""
    if not problem.model.parameters:
        return None
    found = ratios(problem.expected, received, rtol)
    if found is None or len({d.lam for d in problem.datasets}) < 2:
        return None
    for power, text in ((1, "λ"), (-1, "1/λ"), (2, "λ²"), (-2, "1/λ²")):
        ks = [c / d.lam**power for c, d in zip(found, problem.datasets, strict=True)]
        if constant(ks, rtol) and round_simple(ks[0], rtol) == 1:
            how = "an extra factor" if power > 0 else "divided by"
            return Diagnosis(
                "constant-scale",
                FAULTS["constant-scale"],
                f"received = {text} × expected: {how} {text.removeprefix('1/')} (the cost's constant; when J is "
                "(1/λ)·f(λ·u), the λ the chain rule brings down cancels the 1/λ in front)",
            )
    return None


@relation("precedence")
def _precedence(problem: Problem, received: Arrays, rtol: float) -> Diagnosis | None:
    """/ 2*m: Python divides by 2, then multiplies by m: received = k·m²·expected (k = 1/2 for / 2*m)."""
    found = ratios(problem.expected, received, rtol)
    if found is None:
        return None
    ks = [c / d.m**2 for c, d in zip(found, problem.datasets, strict=True)]
    if not constant(ks, rtol) or round_simple(ks[0], rtol) <= 0:
        return None
    k = round_simple(ks[0], rtol)
    c = pretty(1 / k)
    how = (
        "it multiplies by m where the gradient divides by m"
        if k == 1
        else f"Python reads '… / {c}*m' as (… / {c})·m: it divides by {c}, then multiplies by m"
    )
    return Diagnosis(
        "precedence",
        FAULTS["precedence"],
        f"received = {scale_formula('m²', k)} × expected: {how}; the gradient divides by m (the 1/(2m) of the "
        "cost differentiates to 1/m): write '… / m'",
    )


@relation("scale")
def _scale(problem: Problem, received: Arrays, rtol: float) -> Diagnosis | None:
    """Scaled by a constant: received = c·expected (c constant, or c·m: the 1/m missing), or one term scaled."""
    pattern = scale_pattern(problem.datasets, problem.expected, received, rtol)
    if pattern is not None and pattern not in (("1", 1.0), ("1", 0.0)):
        fault = "sign" if pattern == ("1", -1.0) else "scale"
        text = scale_text(*pattern, summed=variants.data_summed(problem))
        return Diagnosis(fault, FAULTS[fault], "received = " + scale_formula(*pattern) + " × expected: " + text)
    if not problem.regularised:
        return None
    for scaled, fixed, what in ((problem.data, problem.reg, "data term"), (problem.reg, problem.data, "penalty")):
        rest = [minus(r, f) for r, f in zip(received, fixed, strict=True)]
        pattern = scale_pattern(problem.datasets, scaled, rest, rtol)
        if pattern is not None and pattern not in (("1", 1.0), ("1", 0.0)):
            fault = "sign" if pattern == ("1", -1.0) else "scale"
            text = scale_text(*pattern, summed=what == "data term" and variants.data_summed(problem))
            if what == "penalty" and pattern == ("1", 0.5) and variants.catalog_penalty(problem):
                text += ": λ/(2m)·θ where the derivative of (λ/2m)θ² is (λ/m)·θ"
            return Diagnosis(fault, FAULTS[fault], f"the {what} alone is off: {text}; the other term is right")
    return None


# --- regularisation ------------------------------------------------------------------------


@relation("extra-regularisation")
def _extra_regularisation(problem: Problem, received: Arrays, rtol: float) -> Diagnosis | None:
    """Extra regularisation term: received − expected = c·θ (with or without θ₀), c constant, ∝ λ, λ/m or 1/m."""
    for with_bias in (False, True):
        extra = [p / d.lam * d.m for p, d in zip(problem.penalty(with_bias), problem.datasets, strict=True)]  # θ
        rest = [minus(r, g) for r, g in zip(received, problem.expected, strict=True)]
        found = ratios(extra, rest, rtol)
        if found is None:
            continue
        if isinstance(received, Scaled) and received.of != "∇J":  # −m·∇J + c·θ, as the function returned it
            found = [c * k for c, k in zip(found, received.factors, strict=True)]
        for label, factor in (
            ("λ/m", lambda d: d.lam / d.m),
            ("λ", lambda d: d.lam),
            ("1/m", lambda d: 1 / d.m),
            ("", lambda d: 1.0),
        ):
            ks = [c / factor(d) for c, d in zip(found, problem.datasets, strict=True)]
            if constant(ks, rtol) and abs(ks[0]) > 1e-12:
                coefficient = coefficient_text(round_simple(ks[0], rtol), label)
                bias = "θ (θ₀ included)" if with_bias else "θ_j for j ≥ 1"
                hint = "" if not problem.regularised else " on top of the model's own penalty"
                return Diagnosis(
                    "extra-regularisation",
                    FAULTS["extra-regularisation"],
                    f"received = expected + {coefficient}·{bias}{hint}: {problem.model.name} has no such term",
                )
    return None


# --- shapes --------------------------------------------------------------------------------


@alternative("transposed")
def _transposed(problem: Problem) -> dict[str, Arrays]:
    """Transposed: a (1, n+1) row where the (n+1)-column gradient is expected."""
    return {
        "a (1, n+1) row, e.g. (h − y)ᵀX/m, where a column Xᵀ(h − y)/m is expected": [
            g.reshape(1, -1) for g in problem.expected
        ]
    }


@alternative("wrong-axis")
def _wrong_axis(problem: Problem) -> dict[str, Arrays]:
    """Summed over the wrong axis: one value per example (features summed), or everything summed to one number."""
    parts = problem.residual_parts()
    if parts is None:
        return {}
    per_example = [c * (d.X.sum(axis=1) * v) for (c, v, _), d in zip(parts, problem.datasets, strict=True)]
    total = [np.asarray(g.sum()) for g in problem.data]
    return {
        "summed over the features instead of the examples: one value per example, (X ⊙ r).sum(axis=1)": per_example,
        "summed over both axes: one number, the sum of all components": total,
    }


@alternative("broadcast")
def _broadcast(problem: Problem) -> dict[str, Arrays]:
    """Broadcast: h of shape (m,) minus y of shape (m,1) (or the reverse) makes an (m,m) matrix."""
    parts = problem.residual_parts()
    if parts is None:
        return {}
    out: dict[str, Arrays] = {}
    for label, orient in (
        ("h as (m,) and y as (m,1): h − y became (m,m)", lambda f, y: f[None, :] - y[:, None]),
        ("h as (m,1) and y as (m,): h − y became (m,m)", lambda f, y: f[:, None] - y[None, :]),
    ):
        full, summed, flipped = [], [], []
        for (c, _, f), d, reg in zip(parts, problem.datasets, problem.reg, strict=True):
            product = c * (d.X.T @ orient(f, d.y)) + reg[:, None]
            full.append(product)
            summed.append(product.sum(axis=1))
            flipped.append(product.T)
        out[f"{label}, so Xᵀ(h − y) is (n+1, m)"] = full
        out[f"{label}; the (n+1, m) product was then summed over its columns"] = summed
        out[f"{label}, so (h − y)ᵀX is (m, n+1)"] = flipped
    return out


# --- the model (model_faults.py) -----------------------------------------------------------

alternative("sigmoid-missing")(model_faults.sigmoid_missing)
alternative("sigmoid-twice")(model_faults.sigmoid_twice)
alternative("inner-derivative")(model_faults.inner_derivative)
alternative("square-kept")(partial(model_faults.squared_residual, kept=True))
alternative("stray-square")(partial(model_faults.squared_residual, kept=False))
alternative("bias-outside")(model_faults.bias_outside)
alternative("indicator-missing")(model_faults.indicator_missing)
alternative("labels-dropped")(model_faults.labels_dropped)
alternative("other-model")(model_faults.other_model)
alternative("wrong-variable")(model_faults.wrong_variable)


def _from_shape(problem: Problem, received: Arrays) -> Diagnosis | None:
    """When no hypothesis fits the values: what the shape alone says (exact=False)."""
    kinds = {shape_kind(r)[0] for r in received}
    if len(kinds) != 1 or any(r.size == 0 for r in received):
        return None
    kind = shape_kind(received[0])
    shapes = [np.asarray(r).shape for r in received]
    if kind[0] == "row" and all(s[1] == d.p for s, d in zip(shapes, problem.datasets, strict=True)):
        inner = diagnose(problem, [r.reshape(-1) for r in received])
        if inner is not None:
            return Diagnosis(
                "transposed",
                FAULTS["transposed"],
                f"a (1, n+1) row instead of a column; besides, {inner.name}: {inner.explanation}",
                inner.exact,
            )
        return Diagnosis(
            "transposed", FAULTS["transposed"], "a (1, n+1) row instead of a column, and the values differ too", False
        )
    if kind[0] == "array" and all(
        s[0] in (d.m, d.p) and s[1] == d.m for s, d in zip(shapes, problem.datasets, strict=True)
    ):
        return Diagnosis(
            "broadcast", FAULTS["broadcast"], "an (n+1, m) or (m, m) array: an (m,) vector met an (m,1) one", False
        )
    if kind[0] == "vector" and all(s[0] == d.m for s, d in zip(shapes, problem.datasets, strict=True)):
        return Diagnosis(
            "wrong-axis",
            FAULTS["wrong-axis"],
            "one value per example: the sum over the examples is missing or over the wrong axis",
            False,
        )
    if kind == ("scalar",):
        costs = model_costs(problem) if problem.model.matrix_cost is not None else None
        numbers = [float(np.asarray(r).reshape(-1)[0]) for r in received]
        if costs is not None and costs_match(numbers, costs):  # computeCost.m given where a gradient is checked
            explanation = "it returned the model's cost J(θ), one number, not its gradient: return the n+1 ∂J/∂θ_j"
            return Diagnosis("a-cost", FAULTS["a-cost"], explanation)
        return Diagnosis(
            "wrong-axis", FAULTS["wrong-axis"], "one number where n+1 components are expected (a cost?)", False
        )
    if kind[0] == "array" and all(s == (d.m, d.p) for s, d in zip(shapes, problem.datasets, strict=True)):
        return Diagnosis("wrong-variable", FAULTS["wrong-variable"], "an (m, n+1) array, the shape of ∂J/∂X", False)
    return None


__all__ = [
    "FAULTS",
    "Problem",
    "Scaled",
    "shape_kind",
    "HYPOTHESES",
    "Diagnosis",
    "Hypothesis",
    "alternative",
    "diagnose",
    "diagnose_entries",
    "relation",
]
