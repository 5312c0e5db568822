"""The per-line expectation the verify tests share: every claimed line checked, then all hold or the first fails."""

from __future__ import annotations


def assert_lines(report, claims: list[tuple[int, bool]]) -> None:
    """``claims``: (line, right) decided by the test's own central differences; the report must agree."""
    wrong = next((line for line, right in claims if not right), None)
    checked = {s.line for s in report.checked}
    assert {line for line, _ in claims} <= checked, checked  # every claimed line was read and checked
    if wrong is None:
        assert all(s.status == "holds" for s in report.checked), [(s.line, s.status) for s in report.checked]
        assert report.exit_code == 0
    else:
        assert report.first_problem.line == wrong and report.first_problem.status == "fails"
        assert report.exit_code == 1
