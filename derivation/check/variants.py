"""The costs a wrong gradient may really be the gradient of: the variants users write of the model's cost.

A gradient that is not ∇J is often the exact gradient of another cost a user had in
mind: the summed cost m·J (no 1/m), the log-likelihood ℓ = −m·J (the ascent direction),
L2 on all of θ (the bias included), or another penalty convention ((λ/2)Σθ², λΣθ²).
Each function here gives the values of those variants on every dataset, with a one-line
explanation that says which cost the values are the gradient of and what to change;
:mod:`derivation.check.diagnose` registers them as hypotheses, in the order that lets
the most specific description win.

The variants are built from the model's own data term D (∇ of the data cost, 1/m
included) and its penalty's gradient (λ/m)·θ_j (j ≥ 1): m·D, −D, D + λ·θ_j, …, so they
need no per-model code beyond the words for the data cost.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from ..core.notation import m as m_symbol
from ..core.notation import y as y_symbol
from .compare import Arrays, Problem, constant, minus, ratios, round_simple, same

PENALTY = "(λ/2m)Σ_{j≥1}θ_j²"  # the catalog's penalty (logistic-l2)


def likelihood_cost(problem: Problem) -> bool:
    """Whether the model's data cost is a negative log-likelihood (a cross-entropy), so −m·∇J is ∇ℓ."""
    cost = problem.model.matrix_cost
    return cost is not None and cost.has(sp.log)


def _summed_data(problem: Problem) -> str:
    if problem.model.cost_text is not None:  # a model read from a cost: m times that cost
        from ..printing.expr import to_unicode

        return to_unicode(m_symbol * problem.model.form("sum").cost)
    if likelihood_cost(problem):
        return "−Σᵢ[y⁽ⁱ⁾ log h + (1−y⁽ⁱ⁾) log(1−h)]"
    return "(1/2)Σᵢ(θᵀx⁽ⁱ⁾ − y⁽ⁱ⁾)²"


_LOG_LIKELIHOOD = "ℓ = Σᵢ[y⁽ⁱ⁾ log h + (1−y⁽ⁱ⁾) log(1−h)]"


def lam_text(k: float, m_power: int) -> str:
    """k·λ/m^m_power written as a user would: λ, 2λ, λ/2, λ/(2m), 3λ/m².

    >>> [lam_text(k, p) for k, p in [(1, 0), (2, 0), (0.5, 0), (0.5, 1), (1, 1), (3, 2), (-1, 1)]]
    ['λ', '2λ', 'λ/2', 'λ/(2m)', 'λ/m', '3λ/m²', '−λ/m']
    """
    f = Fraction(k).limit_denominator(12)
    sign = "−" if f < 0 else ""
    top = "λ" if abs(f.numerator) == 1 else f"{abs(f.numerator)}λ"
    m_part = {0: "", 1: "m", 2: "m²"}.get(m_power, f"m^{m_power}")
    bottom = m_part if f.denominator == 1 else f"{f.denominator}{m_part}"
    if not bottom:
        return sign + top
    return f"{sign}{top}/({bottom})" if f.denominator != 1 and m_part else f"{sign}{top}/{bottom}"


def _factor(text: str) -> str:
    """A coefficient as it stands before θ_j or Σ: λ/(2m) as (λ/2m), 2λ as 2λ.

    >>> _factor("λ/(2m)"), _factor("2λ"), _factor("λ/m")
    ('(λ/2m)·', '2λ·', '(λ/m)·')
    """
    text = text.replace("(", "").replace(")", "")
    return f"({text})·" if "/" in text else f"{text}·"


def _theta(problem: Problem, with_bias: bool) -> Arrays:
    """θ per dataset, with θ₀ set to 0 unless ``with_bias``."""
    return [p * d.m / d.lam for p, d in zip(problem.penalty(with_bias), problem.datasets, strict=True)]


def summed(problem: Problem) -> dict[str, Arrays]:
    """The gradient of the summed cost m·J, and the mixes users write (a summed data term, a mean penalty)."""
    D, ms = problem.data, [d.m for d in problem.datasets]
    data = _summed_data(problem)
    if not problem.regularised:
        return {
            f"it is the gradient of the summed cost m·J = {data} (no 1/m): divide by m": [
                m * g for m, g in zip(ms, problem.expected, strict=True)
            ]
        }
    theta, full = _theta(problem, False), _theta(problem, True)
    lams = [d.lam for d in problem.datasets]
    return {
        f"it is the gradient of the summed cost m·J = {data} + (λ/2)Σ_{{j≥1}}θ_j² (no 1/m): divide by m": [
            m * g for m, g in zip(ms, problem.expected, strict=True)
        ],
        f"the data term is the gradient of the summed cost {data} (no 1/m) while the penalty (λ/m)·θ_j is "
        "the mean cost's: divide the data term by m": [m * g + r for m, g, r in zip(ms, D, problem.reg, strict=True)],
        f"it is the gradient of the summed cost {data} + (λ/2)Σ_{{j≥0}}θ_j², with θ₀ penalised too: "
        "divide by m and drop the penalty on θ₀": [
            m * g + lm * t for m, g, lm, t in zip(ms, D, lams, full, strict=True)
        ],
        f"it is the gradient of the summed cost {data} + λΣ_{{j≥1}}θ_j²: divide the data term by m and use "
        f"(λ/m)·θ_j, the derivative of {PENALTY}, for the penalty": [
            m * g + 2 * lm * t for m, g, lm, t in zip(ms, D, lams, theta, strict=True)
        ],
    }


def ascent(problem: Problem) -> dict[str, Arrays]:
    """The gradient of the log-likelihood or of its negative, the other direction from the model's (a cross-entropy).

    The words follow how the model writes its data term: the mean cost J = −ℓ/m (logistic), the summed
    cost J = −ℓ (logistic-sum) or the log-likelihood itself, climbed (logistic-loglik).
    """
    if not likelihood_cost(problem):
        return {}
    ms = [d.m for d in problem.datasets]
    scale = _likelihood_scale(problem)
    if scale == "summed":
        return {
            f"it is the gradient of the log-likelihood {_LOG_LIKELIHOOD} = −J, the ascent direction: negate it "
            "for the cost's gradient": [-g for g in problem.expected],
            "it is the gradient of the mean log-likelihood ℓ/m = −J/m: negate it and multiply by m for the cost's "
            "gradient": [-g / m for m, g in zip(ms, problem.expected, strict=True)],
        }
    if scale == "likelihood":
        return {
            "it is the gradient of the negative log-likelihood −ℓ (the cost, for descent), not of ℓ: negate it "
            "to climb ℓ": [-g for g in problem.expected],
            "it is the gradient of the mean cross-entropy −ℓ/m (descent), not of ℓ: negate it and multiply by m": [
                -g / m for m, g in zip(ms, problem.expected, strict=True)
            ],
        }
    penalty = " − (λ/2)Σ_{j≥1}θ_j²" if problem.regularised else ""
    mean_penalty = f" − {PENALTY}" if problem.regularised else ""
    summed_values = [-m * g for m, g in zip(ms, problem.expected, strict=True)]
    out = {
        f"it is the gradient of the log-likelihood {_LOG_LIKELIHOOD}{penalty} = −m·J, the ascent direction: "
        "negate it and divide by m for the cost's gradient": summed_values,
        f"it is the gradient of the mean log-likelihood ℓ/m{mean_penalty} = −J, the ascent direction: "
        "negate it for the cost's gradient": [-g for g in problem.expected],
    }
    if problem.regularised:
        out[
            f"it is the gradient of the log-likelihood ℓ − {PENALTY} (summed data term, mean penalty), the ascent "
            "direction: negate it and divide the data term by m"
        ] = [-m * g - r for m, g, r in zip(ms, problem.data, problem.reg, strict=True)]
    return out


def climbed(problem: Problem) -> bool:
    """Whether the model is a log-likelihood to climb (logistic-loglik), not a cost to descend."""
    return likelihood_cost(problem) and _likelihood_scale(problem) == "likelihood"


def data_summed(problem: Problem) -> bool:
    """Whether the model's data term is a sum over the examples with no 1/m (logistic-sum, logistic-loglik)."""
    cost = problem.model.form("sum").cost
    terms = [t.as_independent(sp.Sum, as_Add=False) for t in sp.Add.make_args(sp.expand(cost, deep=False))]
    data = [coeff for coeff, rest in terms if rest.has(sp.Sum) and rest.has(y_symbol)]
    return bool(data) and not any(coeff.has(m_symbol) for coeff in data)


def _likelihood_scale(problem: Problem) -> str:
    """How the model writes its log-likelihood term: "mean" (−ℓ/m), "summed" (−ℓ) or "likelihood" (+ℓ, climbed)."""
    cost = problem.model.form("sum").cost
    for term in sp.Add.make_args(sp.expand(cost, deep=False)):
        coeff, rest = term.as_independent(sp.Sum, as_Add=False)
        if rest.has(sp.log):
            if coeff.is_positive:
                return "likelihood"
            return "mean" if coeff.has(m_symbol) else "summed"
    return "mean"


def mixed_signs(problem: Problem) -> dict[str, Arrays]:
    """The log-likelihood's data term (ascent) with the cost's penalty (descent): the signs are mixed."""
    if not problem.regularised:
        return {}
    ms, lams = [d.m for d in problem.datasets], [d.lam for d in problem.datasets]
    theta = _theta(problem, False)
    return {
        "the data term is the log-likelihood's gradient Σᵢ(y − h)x_j (ascent) while the penalty +λ·θ_j is the "
        "cost's (descent): negate the data term and divide everything by m": [
            -m * g + lm * t for m, g, lm, t in zip(ms, problem.data, lams, theta, strict=True)
        ],
        "the data term has the wrong sign ((y − h) for (h − y)); the penalty is right": [
            r - g for g, r in zip(problem.data, problem.reg, strict=True)
        ],
    }


def missing_regularisation(problem: Problem) -> dict[str, Arrays]:
    """The regularisation term missing: the data term alone."""
    if not problem.regularised:
        return {}
    return {"the gradient of the data term alone: the penalty's (λ/m)·θ_j (j ≥ 1) is missing": problem.data}


def bias_regularised(problem: Problem) -> dict[str, Arrays]:
    """L2 on all of θ, θ₀ included: D + (λ/m)·θ."""
    if not problem.regularised:
        return {}
    full = problem.penalty(True)
    return {
        "correct for L2 on all of θ, θ₀ included ((λ/2m)Σ_{j≥0}θ_j²); the model leaves θ₀ unpenalised: "
        "drop the penalty on θ₀ (component 0 has no λ term)": [g + p for g, p in zip(problem.data, full, strict=True)]
    }


_PENALTY_PATTERNS = ((0, lambda d: d.lam), (1, lambda d: d.lam / d.m), (2, lambda d: d.lam / d.m**2))


def catalog_penalty(problem: Problem) -> bool:
    """Whether the model's penalty is the catalog's (λ/2m)Σ_{j≥1}θ_j², its gradient (λ/m)θ_j (not a --cost's own)."""
    if not problem.regularised:
        return False
    return all(same(p, r) for p, r in zip(problem.penalty(False), problem.reg, strict=True))


def penalty_scale(problem: Problem, received: Arrays, rtol: float) -> str | None:
    """The explanation when received = D + c·θ_j with another coefficient c than λ/m (λ, 2λ, λ/(2m), …), else None.

    c must be a constant multiple of λ, λ/m or λ/m² on every dataset; θ₀ in or out.
    """
    if not catalog_penalty(problem):
        return None
    rest = [minus(r, g) for r, g in zip(received, problem.data, strict=True)]
    for with_bias in (False, True):
        found = ratios(_theta(problem, with_bias), rest, rtol)
        if found is None:
            continue
        for power, factor in _PENALTY_PATTERNS:
            ks = [c / factor(d) for c, d in zip(found, problem.datasets, strict=True)]
            if not constant(ks, rtol):
                continue
            k = round_simple(ks[0], rtol)
            if k <= 0 or (power == 1 and k == 1):
                return None  # no penalty, a flipped one, or the model's own: other hypotheses say so
            c, half = _factor(lam_text(k, power)), _factor(lam_text(k / 2, power))
            which = "j≥0" if with_bias else "j≥1"
            bias = "; and θ₀ is penalised too: drop the penalty on θ₀" if with_bias else ""
            return (
                f"the penalty's gradient is {c}θ_j: it is the gradient of the same data term with the penalty "
                f"{half}Σ_{{{which}}}θ_j²; the model's {PENALTY} gives (λ/m)·θ_j: use (λ/m)·θ_j{bias}"
            )
    return None


__all__ = [
    "PENALTY",
    "ascent",
    "bias_regularised",
    "lam_text",
    "likelihood_cost",
    "missing_regularisation",
    "mixed_signs",
    "penalty_scale",
    "summed",
]


# --- models over a weight matrix W (softmax regression, the multiclass SVM) ----------------------
# The same variants for ∇_W J = D + R (D the data term, R = (λ/m)W the penalty's gradient of (λ/2m)ΣW²),
# on a :class:`~derivation.check.classes.ClassProblem`; every array is (n+1, K).

_W_PENALTY = "(λ/2m)ΣW²"


def class_summed(problem) -> dict[str, Arrays]:
    """The summed cost (no 1/m): m·∇J, and a summed data term beside the mean cost's penalty."""
    ms = [d.m for d in problem.datasets]
    out = {
        "it is the gradient of the summed cost m·J (no 1/m): divide by m, (1/m)Xᵀ(P − Y)": [
            m * g for m, g in zip(ms, problem.expected, strict=True)
        ]
    }
    if problem.regularised:
        out["the data term Xᵀ(P − Y) has no 1/m while the penalty's (λ/m)W is right: divide the data term by m"] = [
            m * g + r for m, g, r in zip(ms, problem.data, problem.reg, strict=True)
        ]
    return out


def class_sign(problem) -> dict[str, Arrays]:
    """(Y − P) for (P − Y): the whole gradient negated, or the data term alone beside a right penalty."""
    out = {"received = −expected: (Y − P) where the cost's gradient has (P − Y)": [-g for g in problem.expected]}
    if problem.regularised:
        out["the data term has (Y − P) for (P − Y); the penalty's (λ/m)W is right"] = [
            r - g for g, r in zip(problem.data, problem.reg, strict=True)
        ]
    return out


def class_missing_regularisation(problem) -> dict[str, Arrays]:
    """The penalty's (λ/m)W missing: the data term alone."""
    if not problem.regularised:
        return {}
    return {f"the gradient of the data term alone: the penalty's (λ/m)W (of {_W_PENALTY}) is missing": problem.data}


def class_bias_row(problem) -> dict[str, Arrays]:
    """The penalty on W's bias row 0 handled otherwise than the model: left out (the model penalises all of W)."""
    if not problem.regularised:
        return {}
    skipped = []
    for g, r in zip(problem.data, problem.reg, strict=True):
        r = r.copy()
        r[0] = 0.0
        skipped.append(g + r)
    return {
        f"the penalty leaves W's bias row 0 out; {problem.model.name}'s {_W_PENALTY} penalises all of W, "
        "bias row included: add (λ/m)·W[0] to row 0": skipped
    }


def class_penalty_scale(problem, received: Arrays, rtol: float, reg: str | None = None) -> str | None:
    """received = D + c·W with another c than λ/m: CS231n's 2·reg·W with reg = λ, λ·W, (λ/2m)·W, …; else None.

    ``reg`` is the name of the function's parameter when it was passed CS231n's reg = λ/(2m): the
    explanation then speaks of it (reg·W where reg·ΣW² gives 2·reg·W).
    """
    if not problem.regularised:
        return None
    rest = [r - g for r, g in zip(received, problem.data, strict=True)]
    found = ratios([w.reshape(-1) for w in problem.weights], [r.reshape(-1) for r in rest], rtol)
    if found is None:
        return None
    if reg is not None:
        ks = [c * 2 * d.m / d.lam for c, d in zip(found, problem.datasets, strict=True)]  # c in units of reg
        if constant(ks, rtol) and round_simple(ks[0], rtol) > 0:
            k = round_simple(ks[0], rtol)
            return (
                f"the penalty's gradient is {_factor(lam_text(k, 0)).replace('λ', reg)}W where the loss's "
                f"{reg}·ΣW² gives 2·{reg}·W: write dW += 2 * {reg} * W"
            )
    for power, factor in _PENALTY_PATTERNS:
        ks = [c / factor(d) for c, d in zip(found, problem.datasets, strict=True)]
        if not constant(ks, rtol):
            continue
        k = round_simple(ks[0], rtol)
        if k <= 0 or (power == 1 and k == 1):
            return None
        c, half = _factor(lam_text(k, power)), _factor(lam_text(k / 2, power))
        cs231n = " (CS231n's dW += 2·reg·W with reg = λ)" if (power, k) == (0, 2) else ""
        return (
            f"the penalty's gradient is {c}W{cs231n}: the gradient of {half}ΣW²; the model's {_W_PENALTY} "
            "gives (λ/m)·W: use (λ/m)·W, or, for reg·ΣW², pass reg = λ/(2m) and keep 2·reg·W"
        )
    return None


__all__ += [
    "class_bias_row",
    "class_missing_regularisation",
    "class_penalty_scale",
    "class_sign",
    "class_summed",
]
