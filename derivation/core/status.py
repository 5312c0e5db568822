"""The words a check can end in, as str-valued Enums.

Each member is also its plain word ("holds", "not understood"): it compares,
hashes, formats and serialises to JSON as that word, so reports read the same
while code names the outcome instead of spelling it.

>>> Status.HOLDS == "holds", f"{ProofStatus.NOT_UNDERSTOOD}", [GradientStatus.CORRECT]
(True, 'not understood', ['correct'])
"""

from __future__ import annotations

from enum import Enum


class Word(str, Enum):
    """A str-valued Enum that prints as its value (``str``, f-strings, ``repr``), as the plain word did."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        return repr(self.value)


class Status(Word):
    """The checker's word on one equality (a :class:`~derivation.core.steps.Verdict`)."""

    HOLDS = "holds"
    FAILS = "fails"
    UNDECIDED = "undecided"


class ProofStatus(Word):
    """One ``=`` of a user's derivation: a verdict, or not read, or a definition (shown, not checked)."""

    HOLDS = "holds"
    FAILS = "fails"
    NOT_UNDERSTOOD = "not understood"
    UNDECIDED = "undecided"
    DEFINITION = "definition"


class GradientStatus(Word):
    """The verdict on a user's gradient."""

    CORRECT = "correct"
    INCORRECT = "incorrect"
    UNDECIDED = "undecided"


class Fit(Word):
    """Whether the rule a user wrote on an ``=`` fits what the step did."""

    MATCHES = "matches"
    DIFFERS = "differs"
    UNKNOWN = "unknown"


__all__ = ["Fit", "GradientStatus", "ProofStatus", "Status", "Word"]
