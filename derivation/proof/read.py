r"""One side of a user's chain as SymPy: :func:`~derivation.parsing.parse_latex` in the model's context.

The parser reads everything our own exports print, so nothing is rewritten here:
``\delta_{jk}`` is the Kronecker delta, ``\left[ v \right]_j`` row j of the column
vector v, ``[M]_{j,l}`` an entry of M, and error positions point into the side as given.

The LaTeX reader knows no model: what a model adds to reading (h_θ, J, G) is a
:class:`~derivation.parsing.LatexContext` that :func:`model_context` builds here, above both.
"""

from __future__ import annotations

import dataclasses
import functools

import sympy as sp

from ..core.functions import abbreviation
from ..core.models import Model
from ..core.notation import i, x
from ..models import get_model
from ..parsing import LatexContext, parse_latex
from .hypothesis import with_implied_hypothesis


def model_context(model: Model | str, implied: bool = True) -> LatexContext:
    """What a catalog model (a Model or its name) makes of h_θ(x⁽ⁱ⁾), h_θ(x), J(θ) and G(θ) in LaTeX; a model
    written by its cost alone (linear-mean: (1/m)Σ(θᵀx⁽ⁱ⁾ − y⁽ⁱ⁾)²) has the h_θ its cost reads, unless not ``implied``.

    >>> model_context("linear").hypothesis(sp.Symbol("i")).definition()
    Sum(theta[k]*x[i, k], (k, 0, n))
    >>> model_context("logistic").hypothesis(sp.Symbol("i")).definition()
    sigmoid(Sum(theta[k]*x[i, k], (k, 0, n)))
    """
    context = _context_of_name(model) if isinstance(model, str) else _context_of_model(model)
    return with_implied_hypothesis(context)[0] if implied else context


@functools.cache
def _context_of_name(name: str) -> LatexContext:
    return _context_of_model(get_model(name))


def _context_of_model(model: Model) -> LatexContext:
    hyp = example = None
    costs = {}
    for name, letter in (("sum", "J"), ("example", "G")):
        form = model.forms.get(name)
        if form is None:
            continue
        costs[letter] = form.goal.args[0]
        for definition in form.definitions:
            if definition.short.func.__name__ == "h":
                if name == "sum":
                    hyp = definition.short.func
                else:
                    example = definition.short.func
    if example is None and hyp is not None:  # logistic-l2 has no one-example form: h_θ(x) is still its h_θ(x⁽ⁱ⁾)
        example = _one_example_hypothesis(hyp)
    return LatexContext(hyp, example, costs)


def _one_example_hypothesis(hyp: type[sp.Function]) -> type[sp.Function] | None:
    """h_θ(x) of a model with h_θ(x⁽ⁱ⁾) alone: its body with x⁽ⁱ⁾ read as x; None when it uses i otherwise."""
    body = (
        hyp(i)
        .definition()
        .replace(lambda e: isinstance(e, sp.Indexed) and e.base == x and e.indices[0] == i, lambda e: x[e.indices[1:]])
    )
    if i in body.free_symbols:
        return None
    return abbreviation("h", (), body, "h_θ(x)", r"h_\theta\left(x\right)")


def read_side(text: str, context: LatexContext | None = None) -> sp.Basic:
    r"""One side of a chain as SymPy (h_θ, J and G as ``context`` defines them; logistic regression's by default).

    >>> read_side(r"\sum_{k=0}^{n} \delta_{j k} \theta_k")
    Sum(KroneckerDelta(j, k)*theta[k], (k, 0, n))
    >>> read_side(r"-\left[ \frac{1}{m} X^{\top} \left(X \theta - y\right) \right]_{j}")
    -(1/m*X.T*(X*theta - y))[j, 0]
    >>> read_side(r"h_\theta(x^{(i)}) - y^{(i)}")
    h(i) - y[i]
    """
    context = context if context is not None else model_context("logistic")
    if context.transposed is not None:  # the reader records its transposes in the context: read afresh
        return parse_latex(text, context)
    return _read(text, _Same(context))


class _Same:
    """A context as a memo key: the very same object (its dicts are not hashable; it is frozen, read only)."""

    __slots__ = ("context",)

    def __init__(self, context: LatexContext):
        self.context = context  # held: its id cannot be reused while the memo keeps it

    def __hash__(self) -> int:
        return id(self.context)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.context is self.context


def with_norms(context: LatexContext) -> LatexContext:
    r"""``context`` reading ``\|v\|`` and ``\|\theta\|_1`` as ``--cost`` does (the same object for the same context)."""
    return _with_norms(_Same(context))


@functools.lru_cache(maxsize=64)
def _with_norms(context: _Same) -> LatexContext:
    return dataclasses.replace(context.context, cost_notation=True)


@functools.lru_cache(maxsize=4096)
def _read(text: str, context: _Same) -> sp.Basic:
    """Memoised: copies of a document (and its sides read under several interpretations) share their sides; the
    reader is a pure function of the text and the context, and what it returns is immutable."""
    return parse_latex(text, context.context)


@functools.lru_cache(maxsize=256)  # every model, one example or not: inferred_hypothesis tries them all
def chain_context(hypothesis: str, example: bool = False, own: bool = False) -> LatexContext:
    """The model's reading of h_θ, J and G; for a one-example chain J means the cost of one example; with
    ``own`` the text defines J itself (J(w, b) = …): J is the text's name, not the model's."""
    context, _ = with_implied_hypothesis(model_context(hypothesis))
    if own:
        costs = {letter: cost for letter, cost in context.costs.items() if letter != "J"}
        return LatexContext(context.hypothesis, context.example_hypothesis, costs)
    if example and "G" in context.costs:
        body = context.costs["G"].definition()
        cost = abbreviation("J", (), body, "J(θ)", r"J\left(\theta\right)")()
        return LatexContext(context.hypothesis, context.example_hypothesis, {**context.costs, "J": cost})
    return context


__all__ = [
    "model_context",
    "read_side",
    "with_norms",
    "chain_context",
]
