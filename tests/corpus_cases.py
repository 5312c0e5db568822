"""Our own corpus of users' input (tests/corpus/): cases written the way people write them, labelled.

Every case is one file whose first lines are a header of ``key: value`` lines behind
the language's comment sign (``#`` in .py, ``%`` in .tex/.md); the rest is the body,
given to the tool as a user would give it.  Keys:

* ``model`` — the catalog model the user means (logistic, logistic-l2, linear).
* ``label`` — ``correct`` or ``incorrect`` (for derivations: every step holds, or one fails).
* ``fault`` — for an incorrect gradient, the tag the checker must name (a key of
  ``derivation.check.diagnose.FAULTS``); ``none`` when no known fault explains it.
* ``wrong-line`` — for an incorrect derivation, the file line of the ``=`` (or
  ``:=``/``\\leftarrow``) that starts the first wrong step.
* ``function`` / ``call`` — for NumPy files: ``FILE:FUNCTION`` target and an optional ``--call``.
* ``style`` — free words on the convention or notation the case exercises (for the report).

The labelling policy is in tests/corpus/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).with_name("corpus")
_HEADER = re.compile(r"^\s*(#|%)\s*(?P<key>[a-z][a-z-]*)\s*:\s*(?P<value>.*?)\s*$")
KINDS = ("numpy", "latex", "derivations")


@dataclass(frozen=True)
class Case:
    kind: str
    path: Path
    headers: dict[str, str]
    body: str
    header_lines: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.kind}/{self.path.name}"

    @property
    def model(self) -> str:
        return self.headers.get("model", "logistic")

    @property
    def correct(self) -> bool:
        return self.headers["label"] == "correct"

    @property
    def fault(self) -> str | None:
        return self.headers.get("fault")

    @property
    def wrong_line(self) -> int | None:
        value = self.headers.get("wrong-line")
        return int(value) if value else None


def read_case(kind: str, path: Path) -> Case | None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    headers: dict[str, str] = {}
    count = 0
    for line in lines:
        match = _HEADER.match(line)
        if not match:
            break
        headers[match["key"]] = match["value"]
        count += 1
    if not headers:
        return None  # a helper module a case imports (utils.py beside it), not a case
    if headers.get("label") not in ("correct", "incorrect"):
        raise ValueError(f"{path}: the header needs 'label: correct' or 'label: incorrect'")
    return Case(kind, path, headers, "".join(lines[count:]), count)


def load(kind: str) -> list[Case]:
    """Every case of ``kind`` ("numpy", "latex" or "derivations"), in file-name order.

    A file without a header is a module that a NumPy case imports (utils.py beside it), not a case.
    """
    folder = ROOT / kind
    paths = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".py", ".tex", ".md", ".txt"))
    return [case for case in (read_case(kind, p) for p in paths) if case is not None]


class Judged:
    """Each case judged once per session by ``judge(case)``; input it cannot read is kept as the error.

    The tests of a kind share the verdicts: the label, the fault and the confusion matrix.
    """

    def __init__(self, judge, unreadable: type[Exception]):
        self.judge, self.unreadable, self.found = judge, unreadable, {}

    def report(self, case: Case):
        """The report on ``case``; a test that needs one fails when the input was unreadable."""
        import pytest

        outcome = self.outcome(case)
        if isinstance(outcome, self.unreadable):
            pytest.fail(f"{case.name}: unreadable: {outcome}")
        return outcome

    def outcome(self, case: Case):
        if case.name not in self.found:
            try:
                self.found[case.name] = self.judge(case)
            except self.unreadable as error:
                self.found[case.name] = error
        return self.found[case.name]

    def status(self, case: Case) -> str:
        outcome = self.outcome(case)
        return "unreadable" if isinstance(outcome, self.unreadable) else str(outcome.status)

    def fault(self, case: Case) -> str:
        diagnosis = getattr(self.outcome(case), "diagnosis", None)
        return diagnosis.fault if diagnosis is not None else "none"

    def matrix(self, title: str, cases: list[Case]) -> str:
        """Label × verdict, the faults named and every miss, as printed by ``pytest -s``."""
        from collections import Counter

        verdicts = ("correct", "incorrect", "undecided", "unreadable")
        counts = Counter((c.headers["label"], self.status(c)) for c in cases)
        wrong = [c for c in cases if not c.correct]
        named = [c for c in wrong if self.status(c) == "incorrect" and self.fault(c) == c.fault]
        lines = [f"{title}: {len(cases)} cases", f"{'label':<10}" + "".join(f"{v:>12}" for v in verdicts)]
        for label in ("correct", "incorrect"):
            lines.append(f"{label:<10}" + "".join(f"{counts[label, v]:>12}" for v in verdicts))
        lines.append(f"faults named: {len(named)} of {len(wrong)}")
        for c in cases:
            if self.status(c) != c.headers["label"]:
                lines.append(f"  missed: {c.path.stem}: labelled {c.headers['label']}, judged {self.status(c)}")
            elif not c.correct and c not in named:
                lines.append(f"  missed: {c.path.stem}: {c.fault} named {self.fault(c)}")
        return "\n".join(lines)


def by_stem(cases: list[Case], stem: str) -> Case:
    """The case whose file name (without its suffix) is ``stem``."""
    return next(case for case in cases if case.path.stem == stem)


def assert_varied(cases: list[Case], size: int, per_label: int, faults: set[str]) -> None:
    """The issue's floor: ``size`` cases, ``per_label`` of each label, all three models, these faults among them."""
    labels = [case.correct for case in cases]
    assert len(cases) >= size
    assert labels.count(True) >= per_label and labels.count(False) >= per_label
    assert {case.model for case in cases} == {"logistic", "logistic-l2", "linear"}
    assert faults <= {case.fault for case in cases if not case.correct}
    for case in cases:
        assert case.correct or case.fault, f"{case.name}: an incorrect case needs a 'fault:' header"
