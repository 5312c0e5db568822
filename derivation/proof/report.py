"""What ``verify`` found: each ``=`` of the user's derivation as a :class:`ProofStep`, why a side could not be read
(:class:`Unreadable`), and the whole :class:`ProofReport` with its exit code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.status import ProofStatus
from ..core.steps import Verdict
from ..parsing import line_of
from .claims import Claim
from .diagnose import Diagnosis
from .extract import Chain
from .recognise import Recognition

HOLDS, FAILS, UNDECIDED = ProofStatus.HOLDS, ProofStatus.FAILS, ProofStatus.UNDECIDED
NOT_UNDERSTOOD, DEFINITION = ProofStatus.NOT_UNDERSTOOD, ProofStatus.DEFINITION


@dataclass(frozen=True)
class Unreadable:
    """Why a side could not be read: the parser's one-line message and a caret under the piece."""

    side: str  # "left" or "right"
    message: str
    caret: str
    line: int  # 1-based line of the piece in the input


@dataclass(frozen=True)
class ProofStep:
    """One ``=`` of the user's derivation and what the checker found.

    ``number`` counts steps through the whole input (1-based), ``chain`` the
    chain it belongs to, ``line`` the input line of its ``=``.  ``annotation``
    is the rule the user wrote on it; ``recognition`` the rule we recognised;
    ``claim`` whether the two agree.
    """

    number: int
    chain: int
    line: int
    lhs: str
    rhs: str
    annotation: str | None
    status: ProofStatus
    verdict: Verdict | None = None
    recognition: Recognition | None = None
    claim: Claim | None = None
    diagnosis: Diagnosis | None = None
    unreadable: Unreadable | None = None
    note: str | None = None
    start: int = 0
    end: int = 0
    reading: tuple[str, str] | None = None  # how both sides were read, in Unicode
    interpretations: tuple[str, ...] = ()  # what the reading assumed ("read σ(x⁽ⁱ⁾) as σ(θᵀx⁽ⁱ⁾)")
    warnings: tuple[str, ...] = ()  # slips noticed that are not the mathematics (Σ from i = 0)
    scope: str | None = None  # where a step holds, when not for the text's J as written ("for one example (m = 1)")

    @property
    def ok(self) -> bool:
        return self.status in (HOLDS, DEFINITION)


@dataclass(frozen=True)
class ProofReport:
    """Every step of every chain found in ``source``; ``exit_code`` is 0 all hold, 1 one fails, 2 unreadable."""

    steps: tuple[ProofStep, ...]
    chains: tuple[Chain, ...]
    hypothesis: str
    hypothesis_text: str
    seed: int
    source: str = field(repr=False, default="")

    @property
    def interpretations(self) -> tuple[tuple[int, str], ...]:
        """(line, words) of each interpretation the reading needed, at the first step that needed it."""
        return _first_lines(self.steps, "interpretations")

    @property
    def warnings(self) -> tuple[tuple[int, str], ...]:
        """(line, words) of each slip noticed: printed, never the verdict."""
        return _first_lines(self.steps, "warnings")

    def count(self, status: ProofStatus) -> int:
        return sum(1 for s in self.steps if s.status == status)

    @property
    def checked(self) -> tuple[ProofStep, ...]:
        """The steps that are not definitions."""
        return tuple(s for s in self.steps if s.status != DEFINITION)

    @property
    def ok(self) -> bool:
        """True when there is at least one checked step and every one holds."""
        return bool(self.checked) and all(s.status == HOLDS for s in self.checked)

    @property
    def first_failure(self) -> ProofStep | None:
        return next((s for s in self.steps if s.status == FAILS), None)

    @property
    def first_problem(self) -> ProofStep | None:
        """The first step that fails, is not understood or is undecided."""
        return next((s for s in self.steps if not s.ok), None)

    @property
    def exit_code(self) -> int:
        """0 when every step holds, 1 when one fails, 2 when nothing could be read or checked fully."""
        if self.first_failure is not None:
            return 1
        return 0 if self.ok else 2

    def _repr_markdown_(self) -> str:  # Jupyter: the user's own chain with a mark beside each '='
        from ..printing.proof_report import render_proof

        latex = render_proof(self, "latex")
        latex = re.sub(r"\\noindent\\textbf\{([^}]*)\}", r"**\1**", latex)
        latex = latex.replace(r"\begin{align*}", "$$\\begin{aligned}").replace(r"\end{align*}", "\\end{aligned}$$")
        summary = render_proof(self, "text").rstrip().splitlines()[-1]
        return f"{latex}\n\n{summary}\n"

    def __str__(self) -> str:
        from ..printing.proof_report import render_proof

        return render_proof(self, "text")

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))


def _first_lines(steps, field_name: str) -> tuple[tuple[int, str], ...]:
    seen: dict[str, int] = {}
    for step in steps:
        for words in getattr(step, field_name):
            seen.setdefault(words, step.line)
    return tuple((line, words) for words, line in seen.items())


def step_fields(text: str, relation, chain: int, number: int, lhs: str, rhs: str) -> dict:
    """Where a step stands and what it writes: the fields every :class:`ProofStep` of one ``=`` shares."""
    return {"number": number, "chain": chain, "line": line_of(text, relation.start), "lhs": lhs, "rhs": rhs,
            "annotation": relation.annotation, "start": relation.start, "end": relation.end}  # fmt: skip


__all__ = [
    "DEFINITION",
    "FAILS",
    "HOLDS",
    "NOT_UNDERSTOOD",
    "UNDECIDED",
    "ProofReport",
    "ProofStep",
    "Unreadable",
    "step_fields",
]
