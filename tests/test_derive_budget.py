"""Deep or huge input to `derive`: refused before the work starts with a one-line error naming the
bound, or cut short by a budget with an explicit "stopped" step; never a traceback, hang or wrong verdict."""

from __future__ import annotations

import json
import subprocess
import time

import pytest
import sympy as sp
from cli_runner import run_cli
from fuzzing import cpu_bound

from derivation.derive import api, engine
from derivation.parsing import read_expr
from derivation.parsing.bounds import MAX_CALL_NESTING, MAX_DERIVATIVE_SIZE, MAX_NESTING, MAX_SUM_TERMS
from derivation.printing import render

REFUSED_WITHIN = 30.0  # s: refused before any rule runs; generous for a loaded 2-core machine
DONE_WITHIN = 90.0  # s: a bounded derivation, derived and checked
W = read_expr("w", allow_new_symbols=True)  # the w of the expressions read below


def nested(template: str, levels: int) -> str:
    text = "w"
    for _ in range(levels):
        text = template.format(text)
    return text


def run(*args: str, cpu_seconds: float = 120) -> tuple[subprocess.CompletedProcess, float]:
    """``derivation ARGS`` in this process (tests/cli_runner.py: the same main() without a new interpreter
    importing SymPy, a second or more of CPU each), stopped past ``cpu_seconds`` of CPU as a hang."""
    started = time.monotonic()
    with cpu_bound(cpu_seconds):
        out = run_cli(*args)
    return out, time.monotonic() - started


def refused(out: subprocess.CompletedProcess, seconds: float, bound: str) -> str:
    assert out.returncode == 2, out.stderr[-2000:]
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("derivation: error: "), out.stderr[-2000:]
    assert bound in lines[0]
    assert seconds < REFUSED_WITHIN
    return lines[0]


def test_thirty_nested_sigmoids_are_refused_naming_the_nesting_bound():
    # Python syntax: the reader's bound on calls inside calls comes first; LaTeX reaches derive's own.
    out, seconds = run("derive", "--wrt", "w", nested("sigmoid({})", 30))
    refused(out, seconds, f"functions nested over {MAX_CALL_NESTING} deep")
    out, seconds = run("derive", "--latex", "--wrt", "w", nested(r"\sigma({})", 30))
    line = refused(out, seconds, f"(30 levels, limit {MAX_NESTING})")
    assert "nested too deeply" in line


def test_a_product_of_forty_factors_is_refused_naming_the_size_bound():
    out, seconds = run("derive", "--wrt", "w", "*".join(f"(w+{i})" for i in range(40)))
    line = refused(out, seconds, f"limit {MAX_DERIVATIVE_SIZE})")
    assert "too large to show" in line


def test_twenty_nested_logs_are_refused_naming_the_nesting_bound():
    out, seconds = run("derive", "--wrt", "w", nested("log(1+({})**2)", 20))
    refused(out, seconds, f"functions nested over {MAX_CALL_NESTING} deep")
    out, seconds = run("derive", "--latex", "--wrt", "w", nested(r"\log(1+({})^2)", 20))
    refused(out, seconds, f"(40 levels, limit {MAX_NESTING})")


def test_a_latex_sum_of_a_million_terms_is_refused_naming_the_bound():
    out, seconds = run("derive", "--latex", "--wrt", "w", r"\sum_{i=1}^{1000000} w^i")
    refused(out, seconds, f"(1000000 terms, limit {MAX_SUM_TERMS})")


def test_a_latex_sum_of_a_googol_terms_is_refused_in_derive_and_in_check():
    out, seconds = run("derive", "--latex", "--wrt", "w", r"\sum_{i=1}^{10^{100}} w")
    refused(out, seconds, f"(about 10^100 terms, limit {MAX_SUM_TERMS})")
    out, seconds = run(
        "check", "logistic", "--latex", r"\frac{\partial J}{\partial \theta_j} = \sum_{i=1}^{10^{100}} w"
    )
    refused(out, seconds, "(limit 2000000 terms in all)")


def test_nine_nested_squares_still_derive_and_verify():
    out, seconds = run("derive", "--wrt", "w", nested("(({})+1)**2", 9))
    assert out.returncode == 0, out.stderr[-2000:]
    assert "all verified" in out.stdout and "result agrees with sympy.diff, finite differences" in out.stdout
    assert seconds < DONE_WITHIN


def test_inputs_just_inside_the_bounds_are_derived():
    out, _ = run("derive", "--wrt", "w", "*".join(f"(w+{i})" for i in range(20)), "--format", "json")
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout)["verified"] is True


def test_out_of_steps_ends_with_a_stopped_step_after_steps_that_hold(monkeypatch):
    """20 nested log(1+u²) once ended at 60 steps with derivatives left and "result check FAILED":
    the steps were right, the result was unfinished.  Now the last step says so and nothing says FAILED."""
    monkeypatch.setattr(engine, "MAX_STEPS", 8)
    d = api.derive(read_expr(nested("log(1+({})**2)", 5), allow_new_symbols=True), W)
    *done, last = d.steps
    assert len(done) == 8 and all(s.verdict.ok for s in done)
    assert last.rule == "stopped" and last.rewrite == "stopped: budget of 8 steps"
    assert last.verdict.status == "undecided" and not d.verified
    assert d.checks == ()  # no result to compare: it still holds a derivative
    text = render(d)
    assert "FAILED" not in text and "(stopped: budget of 8 steps) ?" in text


def slow_rules(monkeypatch, seconds: float) -> None:
    """Every derivative step takes ``seconds`` more: a budget is then reached the same way on any machine."""
    once = engine._differentiate_once

    def slow(*args):
        time.sleep(seconds)
        return once(*args)

    monkeypatch.setattr(engine, "_differentiate_once", slow)


@pytest.mark.parametrize("fmt", ["text", "latex", "markdown", "json"])
def test_a_time_budget_ends_the_derivation_with_a_stopped_step_in_every_format(monkeypatch, fmt):
    slow_rules(monkeypatch, 0.2)
    started = time.monotonic()
    d = api.derive(read_expr(nested("log(1+({})**2)", 5), allow_new_symbols=True), W, budget=0.5)
    assert time.monotonic() - started < 0.5 + 10.0
    *done, last = d.steps
    assert 1 <= len(done) <= 3, "the steps done before the budget ran out are kept"
    assert last.rule == "stopped" and last.rewrite == "stopped: budget of 0.5 s"
    assert last.expr == done[-1].expr and last.expr.has(sp.Derivative)
    assert not d.verified
    shown = render(d, fmt)
    assert "stopped: budget of 0.5 s" in shown
    if fmt == "json":
        assert json.loads(shown)["steps"][-1]["rule"] == "stopped"


def test_a_budget_that_runs_out_while_checking_says_so(monkeypatch):
    check = api.verify_derivation

    def slow(*args, **kwargs):
        time.sleep(30)
        return check(*args, **kwargs)

    monkeypatch.setattr(api, "verify_derivation", slow)
    started = time.monotonic()
    d = api.derive(sp.log(1 + W**2), W, budget=1.0)
    assert time.monotonic() - started < 1.0 + 10.0
    last = d.steps[-1]
    assert last.rewrite == "stopped: budget of 1 s (while checking)"
    assert last.expr == d.steps[-2].expr and not last.expr.has(sp.Derivative)
    assert not d.verified


def test_the_budget_leaves_no_alarm_behind(monkeypatch):
    import signal

    with monkeypatch.context() as patched:
        slow_rules(patched, 0.2)
        api.derive(read_expr(nested("log(1+({})**2)", 5), allow_new_symbols=True), W, budget=0.3)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    d = api.derive(sp.log(1 + W**2), W)
    assert d.verified and all(s.rule != "stopped" for s in d.steps)


@pytest.mark.parametrize(
    ("template", "levels", "verdict"),
    [
        ("exp({})", 6, "undecided"),  # e^(e^(…)) varies too fast for differences: the checks say so
        ("(({})+1)**2", 12, "agrees"),  # values past float64's range, compared in mpmath: decided
    ],
)
def test_values_past_float_range_are_checked_or_undecided_never_a_traceback(template, levels, verdict):
    out, seconds = run("derive", "--wrt", "w", nested(template, levels))
    assert out.returncode == (1 if verdict == "undecided" else 0), out.stderr[-2000:]
    assert "Traceback" not in out.stderr
    assert verdict in out.stdout.strip().split("\n\n")[-1] and "FAILED" not in out.stdout
    assert seconds < DONE_WITHIN
