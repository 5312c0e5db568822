"""The public entry points: derive a catalog model or any expression, verified."""

from __future__ import annotations

import copy
import inspect
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from functools import partial, wraps

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.exprtools import OutOfTimeError, time_limit
from ..core.models import Model
from ..core.notation import FEATURES, class_entry, j, l, theta
from ..core.steps import Check, Derivation
from ..models import get_model
from ..oracle.equality import sympy_oracle, verify_derivation
from ..oracle.finite import finite_difference_verdict
from ..printing.expr import to_unicode
from . import engine
from .registry import RULES
from .vectorise import vectorise, vectorise_cost, vectorise_pair

BUDGET_SECONDS = 20.0  # symbolic work of one derive(): the rules and then the checks, together
CACHE_SIZE = 128  # derivations of catalog models (or Model objects) kept per process


def _code_state() -> frozenset[tuple]:
    """What a derivation depends on that a caller may change at run time: the rule table (in its order),
    each global of derivation's loaded modules and each class they define, attribute by attribute (a test
    monkeypatches a rule, ``engine.MAX_STEPS``, a checker or σ's ``fdiff``).  A few ms; deriving takes 0.3 s+.

    A change shows as an element gone: a global's new value, or a class's attributes, new ones included.
    Elements only added are modules (or their submodules) imported since, which change no code run before.
    """
    state = {("RULES", tuple((key, id(r)) for key, r in RULES.items()))}
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith("derivation."):
            continue
        for key, value in list(vars(module).items()):
            if isinstance(value, type) and value.__module__ == name:
                state.add((name, key, id(value), tuple((a, id(v)) for a, v in list(vars(value).items()))))
            else:
                state.add((name, key, id(value)))
    return frozenset(state)


def _kept(derive: Callable[..., Derivation]) -> Callable[..., Derivation]:
    """``derive`` (derive_model, derive_hessian) computed once per model and arguments in a process.

    A kept result is used while its :func:`_code_state` still holds (every element of it is in today's);
    it is recomputed after a change (a monkeypatched rule) and used again once the change is undone.
    Only a complete result is kept: none cut short by a caller's time limit (a "stopped" step) and, when
    checked, only one that verified.  Callers get their own copy of every counterexample (a dict, the only
    mutable part of a frozen Derivation).
    """
    signature = inspect.signature(derive)
    kept: OrderedDict = OrderedDict()
    lock = threading.Lock()  # the table only: two threads may derive the same model at once

    @wraps(derive)
    def cached(*args, **kwargs) -> Derivation:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        name = bound.arguments["name"]
        bound.arguments["name"] = name if isinstance(name, Model) else get_model(name)  # hashed by identity
        key = tuple(bound.arguments.items())
        before = _code_state()
        with lock:
            found = kept.get(key)
            if found is not None and found[0] <= before:
                kept.move_to_end(key)
                return _copied(found[1])
        derivation = derive(*bound.args, **bound.kwargs)
        complete = all(s.rule != "stopped" for s in derivation.steps)
        if complete and (derivation.verified or not bound.arguments["verify"]) and before <= _code_state():
            with lock:
                kept[key] = (before, derivation)
                kept.move_to_end(key)
                if len(kept) > CACHE_SIZE:
                    kept.popitem(last=False)
        return _copied(derivation)

    cached.cache_clear = kept.clear  # type: ignore[attr-defined]
    return cached


def _copied(derivation: Derivation) -> Derivation:
    """``derivation`` with its own copy of every counterexample: what a caller could change in place."""

    def own(verdict):
        if verdict is None or verdict.counterexample is None:
            return verdict
        return replace(verdict, counterexample=copy.deepcopy(verdict.counterexample))

    steps = tuple(replace(s, verdict=own(s.verdict)) for s in derivation.steps)
    return replace(derivation, steps=steps, checks=tuple(replace(c, verdict=own(c.verdict)) for c in derivation.checks))


@_kept
def derive_model(name: str | Model, form: str = "sum", *, seed: int = 0, verify: bool = True) -> Derivation:
    """The step-by-step derivative of catalog model ``name`` (or of a :class:`Model`), every step checked.

    The result is compared with the model's closed form (sum and matrix form)
    and with ``sympy.diff`` of the cost; a model read from a cost has no closed form
    written independently of the engine, so it is compared with ``sympy.diff`` alone.
    Finite differences of the cost have the last word.

    >>> d = derive_model("logistic")
    >>> d.verified, d.steps[-1].rule
    (True, 'vectorise')
    """
    model = name if isinstance(name, Model) else get_model(name)
    f = model.form(form)
    index_range = (FEATURES[1], FEATURES[2]) if isinstance(f.variable, sp.Indexed) else None
    derivation = engine.derive(
        f.cost,
        f.variable,
        goal=f.goal,
        definitions=f.definitions,
        index_range=index_range,
        vectorise=(vectorise if model.cost_text is None else vectorise_cost) if form == "sum" else None,
        title=f"{model.title}: {to_unicode(f.goal)}",
        model=model.name,
    )
    derivation = _label_definitions(replace(derivation, seed=seed))
    if not verify:
        return derivation
    answers = {"closed form": f.gradient} if model.independent else {}
    answers["sympy.diff of the cost"] = sympy_oracle(f.cost, f.variable)
    if model.independent and model.matrix_gradient is not None and form == "sum":
        # θ_j is entry (j, 0) of the column θ; W_jc (classes 1..K) is entry (j, c − 1) of W
        if f.variable.rank == 2:
            answers["closed form (matrix)"] = class_entry(model.matrix_gradient, *f.variable.indices)
        else:
            answers["closed form (matrix)"] = MatrixElement(model.matrix_gradient, j, 0)
    return _last_word(verify_derivation(derivation, answers), f.cost, f.variable, "finite differences of the cost")


@_kept
def derive_hessian(name: str | Model, *, seed: int = 0, verify: bool = True) -> Derivation:
    """∂²J/∂θ_j∂θ_l step by step: the gradient's closed form differentiated by θ_l, then vectorised.

    The result is compared with the model's matrix Hessian and with ``sympy.diff`` taken twice; a model
    read from a cost has no Hessian written independently, so it is compared with ``sympy.diff`` twice
    and finite differences of its gradient (itself checked against finite differences of the cost).

    >>> d = derive_hessian("logistic")
    >>> d.verified, d.steps[-1].rule
    (True, 'vectorise')
    """
    model = name if isinstance(name, Model) else get_model(name)
    f = model.form("sum")
    if (model.matrix_hessian is None and model.independent) or not isinstance(f.variable, sp.Indexed):
        raise KeyError(f"model {model.name!r} has no Hessian in the catalog")
    cost_symbol = f.goal.expr
    goal = sp.Derivative(cost_symbol, f.variable, theta[l], evaluate=False)
    derivation = engine.derive(
        f.gradient,
        theta[l],
        goal=goal,
        definitions=f.definitions,
        index_range=(FEATURES[1], FEATURES[2]),
        vectorise=partial(vectorise_pair, col=j, col2=l),
        title=f"{model.title}: {to_unicode(goal)}",
        model=model.name,
    )
    first = replace(derivation.steps[0], unfolds=f.goal)  # the gradient, derived step by step
    derivation = replace(derivation, steps=(first, *derivation.steps[1:]), seed=seed)
    derivation = _label_definitions(derivation, skip_first=True)
    if not verify:
        return derivation
    answers = {}
    if model.matrix_hessian is not None:
        answers["closed form (matrix)"] = MatrixElement(model.matrix_hessian, j, l)
    answers["sympy.diff of the cost, twice"] = sympy_oracle(sympy_oracle(f.cost, f.variable), theta[l])
    verified = verify_derivation(derivation, answers)
    which = "closed-form gradient" if model.independent else "gradient"
    return _last_word(verified, f.gradient, theta[l], f"finite differences of the {which}")


def derive(
    expr: sp.Expr, wrt: sp.Expr, *, seed: int = 0, verify: bool = True, budget: float = BUDGET_SECONDS
) -> Derivation:
    """The step-by-step derivative of any expression, each step checked, the result against ``sympy.diff``.

    Deriving and checking together get ``budget`` seconds; past it the derivation ends with
    the steps done so far and a "stopped: budget of N s" step (unchecked when the rules used it all).

    >>> w, x, y = sp.symbols("w x y")
    >>> d = derive(sp.log(1 + sp.exp(-y * w * x)), w)
    >>> d.verified, len(d.steps) > 2
    (True, True)
    """
    started = time.monotonic()
    title = f"Derivative with respect to {to_unicode(wrt)}"
    derivation = replace(engine.derive(expr, wrt, title=title, budget=budget), seed=seed)
    left = budget - (time.monotonic() - started)
    last = derivation.steps[-1]
    if not verify or (last.rule == "stopped" and left <= 0):
        return derivation  # the rules used the whole budget: no time left to check the steps
    try:
        if left <= 0:
            raise OutOfTimeError(f"over {budget} s")
        with time_limit(left):
            if last.rule == "stopped":  # check the steps done; there is no result to compare
                done = verify_derivation(replace(derivation, steps=derivation.steps[:-1]))
                return replace(done, steps=(*done.steps, last))
            verified = verify_derivation(derivation, {"sympy.diff": sympy_oracle(expr, wrt)})
            return _last_word(verified, expr, wrt, "finite differences")
    except engine.OUT_OF_BUDGET as error:
        why = engine.budget_words(budget) if isinstance(error, OutOfTimeError) else engine.TOO_DEEP
        return replace(
            derivation, steps=(*derivation.steps, engine.stopped(derivation.result, f"{why} (while checking)"))
        )


def _last_word(derivation: Derivation, cost: sp.Expr, wrt: sp.Expr, name: str) -> Derivation:
    """Add the check that shares nothing with the engine: central differences of ``cost`` itself."""
    verdict = finite_difference_verdict(cost, wrt, derivation.result, seed=derivation.seed)
    return replace(derivation, checks=(*derivation.checks, Check(name, verdict)))


def _label_definitions(derivation: Derivation, skip_first: bool = False) -> Derivation:
    """Record what a 'definition' or 'fold' step used: the goal's name it writes out, or the one definition."""
    steps = list(derivation.steps)
    for pos, step in enumerate(steps):
        if skip_first and pos == 0:
            continue
        if step.rule == "definition" and pos == 0 and isinstance(derivation.goal, sp.Derivative):
            steps[pos] = replace(step, unfolds=derivation.goal.expr)
        elif step.rule in ("definition", "fold") and len(derivation.definitions) == 1:
            steps[pos] = replace(step, definition=derivation.definitions[0])
    return replace(derivation, steps=tuple(steps))
