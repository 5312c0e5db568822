"""Our corpus of users' written derivations (tests/corpus/derivations/): each judged at the right step.

Every case is the whole file given to :func:`verify_text` as ``verify FILE --hypothesis MODEL`` would
read it (the ``%`` header lines are LaTeX comments, not read); a few run through the command line
for their exit codes.  A correct case must have every step hold (warnings allowed); an incorrect
one must fail first at its ``wrong-line``.  Nothing in the corpus may stop at "not understood".
``pytest -s`` prints the confusion matrix (label × verdict).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from cli_runner import run_cli
from corpus_cases import Case, load

from derivation.proof.verifier import NOT_UNDERSTOOD, ProofReport, verify_text

CASES = load("derivations")
_REPORTS: dict[str, ProofReport] = {}


def report_for(case: Case) -> ProofReport:
    """Each case is verified once per session: its test and the matrix share the report."""
    if case.name not in _REPORTS:
        _REPORTS[case.name] = verify_text(case.path.read_text(encoding="utf-8"), hypothesis=case.model)
    return _REPORTS[case.name]


def verdict(report: ProofReport) -> str:
    return {0: "all steps hold", 1: "a step fails", 2: "unreadable"}[report.exit_code]


def test_the_corpus_is_as_large_and_varied_as_the_issue_asks():
    assert len(CASES) >= 20
    labels = Counter(case.headers["label"] for case in CASES)
    assert labels["correct"] >= 8 and labels["incorrect"] >= 8
    assert {case.model for case in CASES} == {"logistic", "logistic-l2", "linear"}
    suffixes = Counter(case.path.suffix for case in CASES)
    assert suffixes[".md"] >= 5 and suffixes[".tex"] >= 5
    for case in CASES:
        assert case.headers.get("style"), f"{case.name}: no '% style:' header"
        assert case.correct or case.wrong_line, f"{case.name}: an incorrect case needs '% wrong-line:'"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_each_derivation_is_judged_at_its_wrong_step(case: Case):
    report = report_for(case)
    unread = [(s.line, s.unreadable.message) for s in report.steps if s.status == NOT_UNDERSTOOD]
    assert not unread, f"{case.name}: not understood at {unread}"
    if case.correct:
        problems = [(s.line, s.status) for s in report.checked if s.status != "holds"]
        assert report.exit_code == 0 and not problems, f"{case.name}: {problems}"
    else:
        first = report.first_failure
        assert report.exit_code == 1 and first is not None, f"{case.name}: no step fails"
        assert first.line == case.wrong_line, f"{case.name}: first wrong step at line {first.line}"
        lines = case.path.read_text(encoding="utf-8").splitlines()
        assert "=" in lines[case.wrong_line - 1], "the wrong-line header points at a line with an '='"


def test_interpretations_and_warnings_are_stated_with_their_lines():
    by_name = {case.path.name: case for case in CASES}
    loose = report_for(by_name["loose_sigma_of_x.tex"])
    assert any("σ(x⁽ⁱ⁾) as σ(θᵀx⁽ⁱ⁾)" in words for _, words in loose.interpretations)
    slip = report_for(by_name["sum_from_zero_slip.tex"])
    assert slip.exit_code == 0 and [line for line, _ in slip.warnings] == [7]
    defined = report_for(by_name["notes_where_yhat_w_notation.md"])
    assert any(words.startswith("read ŷ_i = σ(") for _, words in defined.interpretations)
    assert any("w as θ" in words for _, words in defined.interpretations)
    wrong = report_for(by_name["blog_per_partial_wrong_local.md"])
    assert "ŷ_i = σ(z_i)" in " ".join(wrong.first_failure.interpretations)


run = run_cli


@pytest.mark.parametrize(
    ("name", "code", "expected"),
    [
        ("sum_from_zero_slip.tex", 0, "Warnings"),
        ("loose_sigma_of_x.tex", 0, "Read under these interpretations"),
        ("blog_per_partial_wrong_local.md", 1, "First wrong step: step 5 (line 17)"),
        ("linear_regression_half_kept.md", 1, "First wrong step"),
    ],
)
def test_the_command_line_exit_codes(name: str, code: int, expected: str):
    case = next(c for c in CASES if c.path.name == name)
    out = run("verify", str(case.path), "--hypothesis", case.model)
    assert out.returncode == code, out.stdout + out.stderr
    assert expected in out.stdout


def test_prose_alone_is_unreadable_with_exit_code_2(tmp_path):
    path = tmp_path / "prose.md"
    path.write_text("The gradient is the average error times the feature.\n", encoding="utf-8")
    assert run("verify", str(path)).returncode == 2


def test_confusion_matrix(capsys):
    matrix: Counter = Counter()
    at_wrong_line = 0
    for case in CASES:
        report = report_for(case)
        matrix[(case.headers["label"], verdict(report))] += 1
        first = report.first_failure
        at_wrong_line += bool(not case.correct and first is not None and first.line == case.wrong_line)
    columns = ("all steps hold", "a step fails", "unreadable")
    with capsys.disabled():
        print(f"\nderivations ({len(CASES)} cases): label × verdict")
        print(f"{'':>10} " + " ".join(f"{c:>15}" for c in columns))
        for label in ("correct", "incorrect"):
            print(f"{label:>10} " + " ".join(f"{matrix[(label, c)]:>15}" for c in columns))
        wrong = sum(1 for case in CASES if not case.correct)
        print(f"wrong derivations caught at their wrong line: {at_wrong_line}/{wrong}")
    assert matrix[("incorrect", "all steps hold")] == 0, "false accepts"
    assert matrix[("correct", "a step fails")] == 0, "false rejects"


def _one_sign_flipped(text: str, start: int, end: int) -> str | None:
    """The text with the first + (else −) between two terms of text[start:end] turned round; None when there is none."""
    side = text[start:end]
    found = re.search(r"(?<=[^\s{(\[=^_])\s*\+\s*", side) or re.search(r"(?<=[^\s{(\[=^_])\s*-\s*", side)
    if found is None:
        return None
    sign = "-" if "+" in found.group(0) else "+"
    return text[: start + found.start()] + f" {sign} " + text[start + found.end() :]


# Every other correct case in each half, so xdist runs the two halves (about 30 mutants each) side by side
CORRECT_HALVES = [[case for case in CASES if case.correct][half::2] for half in (0, 1)]


@pytest.mark.parametrize("cases", CORRECT_HALVES, ids=["first-half", "second-half"])
def test_a_sign_turned_round_in_a_correct_derivation_is_caught_at_that_step(cases: list[Case]):
    """Mutants of our correct cases: one + or − turned round in the right side of one step (two steps a case)."""
    caught, mutants, missed = 0, 0, []
    for case in cases:
        text = case.path.read_text(encoding="utf-8")
        report = report_for(case)
        for step in report.checked[:2]:
            side = next(s for s in report.chains[step.chain - 1].sides if s.start >= step.end)
            mutated = _one_sign_flipped(text, side.start, side.end)
            if mutated is None:
                continue
            mutants += 1
            # the verdicts only (explain=False: no rule named, no slip diagnosed): the statuses are the same
            first = verify_text(mutated, hypothesis=case.model, explain=False, rules=False).first_failure
            if first is not None and first.line == step.line:
                caught += 1
            else:
                missed.append((case.path.name, step.line))
    assert mutants >= 15  # each half's share of the whole set's 30
    assert caught >= 0.95 * mutants, missed  # the rest: mutants that are equal (0·(1 + u) = 0·(1 − u))
