"""Plain data: a derivation is a goal and a chain of whole-expression steps, each by one rule.

Nothing here prints or differentiates: printers and the checker read these.
How a step is worded beside its "=" is :mod:`derivation.printing.labels`; how a
:class:`Derivation` prints itself (``str``, Jupyter) is the renderer that
:mod:`derivation.printing` registers with :func:`set_renderer` when imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import sympy as sp

from .functions import Definition
from .status import Status

HOLDS, FAILS, UNDECIDED = Status.HOLDS, Status.FAILS, Status.UNDECIDED


@dataclass(frozen=True)
class Verdict:
    """The checker's word on one equality.

    ``status`` is a :class:`~derivation.core.status.Status` (holds, fails or
    undecided; a plain word is accepted); ``method`` says how it was decided
    ("symbolic", "numeric" or "none"); ``detail`` says with what (sizes, points,
    seed); ``counterexample`` holds the values where the sides differ.

    >>> Verdict("holds", "symbolic", "difference expands to 0").status is HOLDS
    True
    """

    status: Status
    method: str
    detail: str
    counterexample: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))

    @property
    def ok(self) -> bool:
        return self.status is HOLDS


@dataclass(frozen=True)
class Step:
    """``previous = expr`` by ``rule``.

    ``rule`` is the registry key (e.g. "linearity"), ``rewrite`` the rule's
    one-line statement.  ``definition`` is the :class:`Definition` a
    "definition" step substituted (or a "fold" step wrote back by its short
    name); ``unfolds`` is what a step writes out in full: the cost J(θ) of the
    goal, or an earlier result such as ∂J/∂θ_j.  A step whose rule is
    "unexplained" marks a gap that no rule covered.
    """

    rule: str
    rewrite: str
    expr: sp.Expr
    verdict: Verdict | None = None
    definition: Definition | None = None
    unfolds: sp.Expr | None = None


@dataclass(frozen=True)
class Check:
    """A check of the final result against an independent answer (closed form, sympy.diff)."""

    name: str
    verdict: Verdict


JOINS = ("=", "⇔", "system")


@dataclass(frozen=True)
class Derivation:
    """``goal = steps[0].expr = steps[1].expr = …``; the last step is the result.

    ``joins`` says how the steps hang together: "=" a chain of equal expressions (the default);
    "⇔" equations, each with the same solutions as the one before (the normal equations);
    "system" equations each standing on its own (backprop's recurrences, δ² = …, ∂J/∂W2 = …).
    Renders itself in Jupyter (``_repr_latex_``, ``_repr_markdown_``).
    """

    title: str
    goal: sp.Expr
    variable: sp.Expr
    steps: tuple[Step, ...]
    definitions: tuple[Definition, ...] = ()
    checks: tuple[Check, ...] = ()
    model: str | None = None
    seed: int = 0
    joins: str = "="

    def __post_init__(self) -> None:
        if self.joins not in JOINS:
            raise ValueError(f"joins must be one of {JOINS}, not {self.joins!r}")

    @property
    def result(self) -> sp.Expr:
        return self.steps[-1].expr

    @property
    def verified(self) -> bool:
        """True when every step and every result check holds."""
        steps_ok = all(s.verdict is not None and s.verdict.ok for s in self.steps)
        return steps_ok and all(c.verdict.ok for c in self.checks)

    @property
    def gaps(self) -> tuple[Step, ...]:
        """Steps no rule explained."""
        return tuple(s for s in self.steps if s.rule == "unexplained")

    def with_verdicts(self, verdicts: list[Verdict], checks: tuple[Check, ...] = ()) -> Derivation:
        """A copy with one verdict per step and the given result checks."""
        steps = tuple(replace(s, verdict=v) for s, v in zip(self.steps, verdicts, strict=True))
        return replace(self, steps=steps, checks=checks)

    def _repr_latex_(self) -> str:
        return _render(self, "latex", jupyter=True)

    def _repr_markdown_(self) -> str:
        return _render(self, "markdown")

    def __str__(self) -> str:
        return _render(self, "text")

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # IPython's plain-text view
        printer.text(str(self))


_RENDERER: list[Callable[..., str]] = []  # set by derivation.printing: data does not import its printers


def set_renderer(render: Callable[..., str]) -> None:
    """Make ``render(derivation, fmt, **options)`` what ``str(derivation)`` and Jupyter call."""
    _RENDERER[:] = [render]


def _render(derivation: Derivation, fmt: str, **options: Any) -> str:
    if not _RENDERER:
        raise RuntimeError("no renderer registered: import derivation (or derivation.printing) first")
    return _RENDERER[0](derivation, fmt, **options)


__all__ = ["JOINS", "Check", "Derivation", "FAILS", "HOLDS", "Status", "Step", "UNDECIDED", "Verdict", "set_renderer"]
