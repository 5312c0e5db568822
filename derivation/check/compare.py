"""What a diagnosis works on: the sampled problem, and how received values are compared with expected ones.

:class:`Problem` holds the model, the datasets, the expected gradient and its parts
(the data term c·Xᵀv and the penalty), each evaluated once.  The comparisons are
exact to a relative tolerance: :func:`same` (equal, with compatible shapes),
:func:`ratios` (received = c·alternative on each dataset) and :func:`scale_pattern`
(c constant, or proportional to m, 1/m or m/(n+1) across datasets), with wording
for the patterns.  Values a user computed in float32 are compared to float32's
precision (:func:`received_rtol`), so a float32 result is diagnosed like a float64 one.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from ..core.models import Model
from ..core.notation import X, lam
from ..oracle.datasets import Dataset, Evaluator
from ..oracle.policy import RECEIVED_RTOL

RTOL = RECEIVED_RTOL  # a hypothesis explains the received values when they agree to this relative tolerance
# Values computed in single precision: about 1000 units in the last place of float32 relative to the
# largest component, room for sums, exp and cancellation (a correct float32 gradient is off by ~1e-6
# on our datasets), and still far below what any fault changes (1e-2 and more).
SINGLE_RTOL = 1e-4
Arrays = list[np.ndarray]


def single_precision(received: Arrays) -> bool:
    """Whether any received array is float32 (or narrower): its numbers carry ~7 significant digits.

    >>> single_precision([np.zeros(2)]), single_precision([np.zeros(2, dtype=np.float32)])
    (False, True)
    """
    for r in received:
        dtype = np.asarray(r).dtype
        if dtype.kind in "fc" and np.finfo(dtype).eps > 1e-10:
            return True
    return False


def received_rtol(received: Arrays) -> float:
    """The tolerance to compare ``received`` with an alternative: :data:`SINGLE_RTOL` for float32, else :data:`RTOL`.

    >>> received_rtol([np.zeros(2)]) == RTOL, received_rtol([np.zeros(2, dtype=np.float32)])
    (True, 0.0001)
    """
    return SINGLE_RTOL if single_precision(received) else RTOL


class Problem:
    """The model, the datasets and what the hypotheses need from them, each computed once.

    >>> from derivation.models import get_model
    >>> from derivation.oracle.datasets import make_datasets
    >>> model = get_model("logistic")
    >>> problem = Problem(model, make_datasets(model))
    >>> [g.shape for g in problem.expected][:2], problem.regularised
    ([(2,), (3,)], False)
    """

    def __init__(self, model: Model, datasets: tuple[Dataset, ...]):
        self.model = model
        self.datasets = datasets
        self.evaluators = [Evaluator(d) for d in datasets]
        self.expected = self.values(model.matrix_gradient)
        gradient = model.matrix_gradient  # a matrix, or a sum form with free j (a cost without a matrix form)
        terms = gradient.args if isinstance(gradient, sp.MatAdd) else sp.Add.make_args(gradient)
        self.reg_expr = _add([t for t in terms if lam in t.free_symbols])
        self.data_expr = _add([t for t in terms if lam not in t.free_symbols])
        self.regularised = self.reg_expr is not None
        self.data = self.values(self.data_expr) if self.data_expr is not None else self.expected
        self.reg = self.values(self.reg_expr) if self.regularised else [0 * g for g in self.expected]
        self.residual = _residual(self.data_expr)
        self._cache: dict[int, dict[str, Arrays]] = {}

    def values(self, expr: sp.Basic) -> Arrays:
        """``expr`` on every dataset; columns flattened to (p,)."""
        return [_flat(ev.value(expr)) for ev in self.evaluators]

    def alternatives(self, hypothesis) -> dict[str, Arrays]:
        """The variants of a registered hypothesis on every dataset, computed once."""
        key = id(hypothesis)
        if key not in self._cache:
            self._cache[key] = hypothesis.function(self)
        return self._cache[key]

    def penalty(self, with_bias: bool) -> Arrays:
        """(λ/m)θ, with or without the bias component."""
        out = []
        for d in self.datasets:
            t = d.lam / d.m * d.theta.copy()
            if not with_bias:
                t[0] = 0.0
            out.append(t)
        return out

    def residual_parts(self) -> list[tuple[float, np.ndarray, np.ndarray]] | None:
        """Per dataset (c, v, f) when the data term is c·Xᵀv with v = f − y; else None."""
        if self.residual is None:
            return None
        coeff, vector = self.residual
        out = []
        for ev, d in zip(self.evaluators, self.datasets, strict=True):
            c = float(ev.value(coeff))
            v = np.asarray(ev.value(vector)).reshape(-1)
            out.append((c, v, v + d.y))
        return out


def _add(terms: list[sp.Basic]) -> sp.Basic | None:
    if not terms:
        return None
    if len(terms) == 1:
        return terms[0]
    return sp.MatAdd(*terms) if isinstance(terms[0], sp.MatrixExpr) else sp.Add(*terms)


def _residual(term: sp.MatrixExpr | None) -> tuple[sp.Expr, sp.MatrixExpr] | None:
    """(c, v) when ``term`` is c·Xᵀ·v."""
    if not isinstance(term, sp.MatMul):
        return None
    mats = [a for a in term.args if isinstance(a, sp.MatrixExpr)]
    if len(mats) != 2 or mats[0] != X.T:
        return None
    return sp.Mul(*(a for a in term.args if not isinstance(a, sp.MatrixExpr))), mats[1]


def flat_vector(value: np.ndarray) -> np.ndarray:
    """(k, 1) and (k,) both as (k,); anything else unchanged.

    >>> flat_vector(np.zeros((3, 1))).shape, flat_vector(np.zeros((1, 3))).shape
    ((3,), (1, 3))
    """
    return value.reshape(-1) if shape_kind(value)[0] == "vector" else value


def minus(received: np.ndarray, known: np.ndarray) -> np.ndarray:
    """received − known when both are vectors of one length; else received (no relation will hold).

    >>> minus(np.array([[3.0], [4.0]]), np.array([1.0, 1.0])).tolist()
    [2.0, 3.0]
    """
    if shape_kind(received) == shape_kind(known) and shape_kind(known)[0] == "vector":
        return received.reshape(-1) - known.reshape(-1)
    return received


def _flat(value: np.ndarray) -> np.ndarray:
    value = np.asarray(value)
    return value.reshape(-1) if value.ndim == 2 and value.shape[1] == 1 else value


def shape_kind(value: np.ndarray) -> tuple:
    """("scalar",), ("vector", k) for (k,) and (k, 1), ("row", k) for (1, k), else ("array", shape).

    >>> [shape_kind(np.zeros(s)) for s in [(3, 1), (3,), (1, 3), (1, 1)]]
    [('vector', 3), ('vector', 3), ('row', 3), ('scalar',)]
    """
    value = np.asarray(value)
    if value.size == 1 and value.ndim <= 2:
        return ("scalar",)
    if value.ndim == 1 or (value.ndim == 2 and value.shape[1] == 1):
        return ("vector", value.shape[0])
    if value.ndim == 2 and value.shape[0] == 1:
        return ("row", value.shape[1])
    return ("array", value.shape)


def same(alternative: np.ndarray, received: np.ndarray, rtol: float = RTOL) -> bool:
    """Equal to ``rtol``, with the same :func:`shape_kind` ((k,) and (k, 1) alike; not (1, k)).

    >>> same(np.array([1.0, 2.0]), np.array([[1.0], [2.0]])), same(np.array([1.0, 2.0]), np.array([[1.0, 2.0]]))
    (True, False)
    """
    if shape_kind(alternative) != shape_kind(received):
        return False
    a, r = np.asarray(alternative, dtype=float).reshape(-1), np.asarray(received).reshape(-1)
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(r))):
        return False
    return bool(np.max(np.abs(a - r), initial=0.0) <= rtol * max(np.max(np.abs(a), initial=0.0), 1e-300) + 1e-12)


def ratios(alternatives: Arrays, received: Arrays, rtol: float = RTOL) -> list[float] | None:
    """Per dataset c with received = c·alternative exactly (same shape kind); None when no such c.

    >>> ratios([np.array([1.0, 2.0])], [np.array([3.0, 6.0])]), ratios([np.array([1.0, 2.0])], [np.array([3.0, 5.0])])
    ([3.0], None)
    """
    out = []
    for a, r in zip(alternatives, received, strict=True):
        if shape_kind(a) != shape_kind(r) or shape_kind(a) == ("scalar",):
            return None
        a, r = np.asarray(a, dtype=float).reshape(-1), np.asarray(r).reshape(-1)
        if not (np.all(np.isfinite(a)) and np.all(np.isfinite(r))) or np.iscomplexobj(r):
            return None
        norm = float(a @ a)
        if norm < 1e-24:
            return None
        c = float(a @ r) / norm
        if np.max(np.abs(r - c * a)) > rtol * max(np.max(np.abs(r)), np.max(np.abs(a))) + 1e-12:
            return None
        out.append(c)
    return out


_PATTERNS = (("1", lambda d: 1.0), ("m", lambda d: d.m), ("1/m", lambda d: 1.0 / d.m), ("m/(n+1)", lambda d: d.m / d.p))


def scale_pattern(
    datasets: tuple[Dataset, ...], alternatives: Arrays, received: Arrays, rtol: float = RTOL
) -> tuple[str, float] | None:
    """(pattern, k) with received = k·pattern(m, n)·alternative on every dataset, or None.

    >>> from derivation.oracle.datasets import make_datasets
    >>> from derivation.models import get_model
    >>> ds = make_datasets(get_model("linear"))
    >>> a = [d.theta for d in ds]
    >>> scale_pattern(ds, a, [d.m * t for d, t in zip(ds, a)]), scale_pattern(ds, a, [-t for t in a])
    (('m', 1.0), ('1', -1.0))
    """
    found = ratios(alternatives, received, rtol)
    if found is None:
        return None
    for label, factor in _PATTERNS:
        ks = [c / factor(d) for c, d in zip(found, datasets, strict=True)]
        if constant(ks, rtol):
            return label, round_simple(ks[0], rtol)
    return None


def constant(values: list[float], rtol: float = RTOL) -> bool:
    """All equal to the first, to ``rtol`` relative.

    >>> constant([2.0, 2.0 + 1e-12]), constant([1.0, 2.0]), constant([2.0, 2.00001], SINGLE_RTOL)
    (True, False, True)
    """
    return all(abs(v - values[0]) <= rtol * max(abs(values[0]), 1e-300) for v in values)


def round_simple(k: float, rtol: float = RTOL) -> float:
    """``k`` snapped to a fraction with a denominator up to 12 when that close, e.g. 0.4999999999 → 0.5.

    >>> round_simple(0.49999999999), round_simple(0.123456), round_simple(0.50001, SINGLE_RTOL)
    (0.5, 0.123456, 0.5)
    """
    f = Fraction(k).limit_denominator(12)
    return float(f) if abs(float(f) - k) <= rtol * max(abs(k), 1e-300) else k


def pretty(k: float) -> str:
    """A short spelling of ``k``: a simple fraction when it is one.

    >>> pretty(0.5), pretty(-2.0), pretty(0.123456)
    ('1/2', '-2', '0.1235')
    """
    f = Fraction(k).limit_denominator(12)
    return str(f) if abs(float(f) - k) <= 1e-9 * max(abs(k), 1e-300) else f"{k:.4g}"


def coefficient_text(k: float, label: str) -> str:
    """``k`` times ``label`` for an explanation.

    >>> coefficient_text(1.0, "λ/m"), coefficient_text(0.5, "λ/m"), coefficient_text(0.1, "")
    ('(λ/m)', '1/2·(λ/m)', '1/10')
    """
    if not label:
        return pretty(k)
    if k == 1:
        return f"({label})"
    return f"{pretty(k)}·({label})"


def scale_formula(label: str, k: float) -> str:
    """The factor of a pattern as a formula.

    >>> scale_formula("m", 1.0), scale_formula("1", -1.0), scale_formula("1/m", 2.0)
    ('m', '-1', '2·1/m')
    """
    if label == "1":
        return pretty(k)
    return label if k == 1 else f"{pretty(k)}·{label}"


def scale_text(label: str, k: float, summed: bool = False) -> str:
    """What a scale pattern means in words; ``summed``: the model's gradient is a sum with no 1/m in it.

    >>> scale_text("m", 1.0), scale_text("1", 2.0), scale_text("1", -1.0)
    ('the 1/m is missing', 'an extra factor 2', 'the sign is flipped')
    >>> scale_text("1/m", 1.0, summed=True)
    'an extra 1/m: it is the gradient of the mean over the examples, and the model sums over them'
    """
    sign = " and the sign flipped" if k < 0 else ""
    size = abs(k)
    if summed and label in ("m", "1/m") and size == 1:
        if label == "m":
            return "an extra factor m: the model's gradient is already a sum over the examples" + sign
        return "an extra 1/m: it is the gradient of the mean over the examples, and the model sums over them" + sign
    if label == "m":
        return "the 1/m is missing" + sign if size == 1 else f"scaled by {pretty(k)}·m (the 1/m missing)"
    if label == "1/m":
        return "divided by m twice" + sign if size == 1 else f"scaled by {pretty(k)}/m"
    if label == "m/(n+1)":
        return "divided by n+1 (the number of parameters) instead of m" + sign
    if k == -1:
        return "the sign is flipped"
    if size == 2:
        return "an extra factor 2" + sign
    if size == 0.5:
        return "a stray factor 1/2" + sign
    return f"scaled by {pretty(k)}"


__all__ = [
    "RTOL",
    "SINGLE_RTOL",
    "received_rtol",
    "single_precision",
    "Arrays",
    "Problem",
    "coefficient_text",
    "constant",
    "flat_vector",
    "minus",
    "pretty",
    "ratios",
    "round_simple",
    "same",
    "costs_match",
    "scale_formula",
    "scale_pattern",
    "scale_text",
    "shape_kind",
]


COST_RTOL = 1e-5  # a cost returned beside the gradient: a float32 loss is still read right


def costs_match(received: list[float], expected: list[float], atol: float = 1e-12) -> bool:
    """Whether the costs a function returned are the expected ones, dataset by dataset (relative COST_RTOL)."""
    return all(np.isclose(c, e, rtol=COST_RTOL, atol=atol) for c, e in zip(received, expected, strict=True))


def model_costs(problem: Problem) -> list[float] | None:
    """The model's cost J on every dataset; None when the evaluator cannot take it numerically."""
    try:
        cost = problem.model.matrix_cost
        return [float(np.asarray(Evaluator(d).value(cost)).reshape(-1)[0]) for d in problem.datasets]
    except Exception:  # the gradient's verdict then stands alone
        return None


def cost_mismatch(received: list[float], expected: list[float]) -> str:
    """The line "the cost it returns is wrong: expected …, received …", and the likely slip (its sign, a factor)."""
    index = max(range(len(expected)), key=lambda i: abs(received[i] - expected[i]) / max(abs(expected[i]), 1e-300))
    e, r = expected[index], received[index]
    text = f"the cost it returns is wrong: expected {e:.6g}, received {r:.6g} on dataset {index + 1}"
    ratio = [c / x for c, x in zip(received, expected, strict=True) if x]
    if ratio and all(np.isclose(k, -1.0, rtol=1e-6) for k in ratio):
        return text + " (its sign)"
    if ratio and all(np.isclose(k, ratio[0], rtol=1e-6) for k in ratio):
        return text + f" (a factor {ratio[0]:.4g})"
    return text
