"""Plain data: a derivation is a goal and a chain of labelled whole-expression steps.

Nothing here prints or differentiates; printers and the checker read these.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import sympy as sp

from .functions import Definition

HOLDS, FAILS, UNDECIDED = "holds", "fails", "undecided"


@dataclass(frozen=True)
class Verdict:
    """The checker's word on one equality.

    ``status`` is "holds", "fails" or "undecided"; ``method`` says how it was
    decided ("symbolic", "numeric" or "none"); ``detail`` says with what (sizes,
    points, seed); ``counterexample`` holds the values where the sides differ.

    >>> Verdict(HOLDS, "symbolic", "difference expands to 0").ok
    True
    """

    status: str
    method: str
    detail: str
    counterexample: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.status == HOLDS


@dataclass(frozen=True)
class Step:
    """``previous = expr`` by ``rule``.

    ``rule`` is the registry key (e.g. "linearity"), ``label`` what the reader
    sees beside the "=" (``label_latex`` the same in LaTeX), ``rewrite`` the
    rule's one-line statement.  A step whose rule is "unexplained" marks a gap
    that no rule covered.
    """

    rule: str
    label: str
    label_latex: str
    rewrite: str
    expr: sp.Expr
    verdict: Verdict | None = None


@dataclass(frozen=True)
class Check:
    """A check of the final result against an independent answer (closed form, sympy.diff)."""

    name: str
    verdict: Verdict


@dataclass(frozen=True)
class Derivation:
    """``goal = steps[0].expr = steps[1].expr = …``; the last step is the result.

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
        from ..printing import render

        return render(self, "latex", jupyter=True)

    def _repr_markdown_(self) -> str:
        from ..printing import render

        return render(self, "markdown")

    def __str__(self) -> str:
        from ..printing import render

        return render(self, "text")

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # IPython's plain-text view
        printer.text(str(self))


__all__ = ["Check", "Derivation", "FAILS", "HOLDS", "Step", "UNDECIDED", "Verdict"]
