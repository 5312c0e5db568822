"""`derive --wrt z_j` where the expression writes a vector of its own (z_k inside Σ_k), as users of softmax do.

Tester 13's d04: ∂/∂z_j log Σ_k e^{z_k} was refused ("only names from the table can be subscripted"); a
Piecewise the derivation reached was "undecided" because the kink finder named sympy.Relational, which does not
exist.  Expected values come from central differences of the expression written here in NumPy.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli

LSE = r"\log\left(\sum_{k=1}^{K} e^{z_k}\right)"


@pytest.mark.parametrize("wrt", ["z_j", "z_{j}", "z[j]"])
def test_the_derivative_of_log_sum_exp_by_one_entry_is_softmax_and_every_step_is_checked(wrt):
    done = run_cli("derive", "--latex", LSE, "--wrt", wrt)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "undecided" not in done.stdout and "✗" not in done.stdout
    last = [line for line in done.stdout.splitlines() if line.lstrip().startswith("= ")][-1]
    assert "e^(z_j)/(Σ_{k=1}^{K} e^(z_k)) for 1 ≤ j ≤ K, else 0" in last  # softmax_j(z), for j in 1..K
    # the same number as central differences of log Σ e^z by z_j (an entry inside 1..K)
    z = np.array([0.3, -1.2, 2.0, 0.5])
    numeric = central_differences(lambda v: np.log(np.sum(np.exp(v))), z)
    np.testing.assert_allclose(numeric, np.exp(z) / np.sum(np.exp(z)), rtol=1e-8)


def test_a_wrong_entry_in_the_same_expression_is_not_confused_with_theta():
    done = run_cli("derive", "--latex", LSE + " - z_c", "--wrt", "z_j")
    assert done.returncode == 0, done.stdout + done.stderr
    last = [line for line in done.stdout.splitlines() if line.lstrip().startswith("= ")][-1]
    assert re.search(r"e\^\(z_j\)/\(Σ_\{k=1\}\^\{K\} e\^\(z_k\)\).* − δ_cj", last), last  # softmax_j − [j = c]
    assert "✗" not in done.stdout and "undecided" not in done.stdout


def test_an_entry_of_a_name_the_expression_does_not_use_is_still_refused_in_words():
    done = run_cli("derive", "--latex", LSE, "--wrt", "q_j")
    assert done.returncode == 2
    assert done.stderr.startswith("derivation: error:") and "Traceback" not in done.stderr


def test_a_case_split_prints_as_a_textbook_writes_it():
    import sympy as sp

    from derivation.printing.text import TextPrinter

    j, big_k, a = sp.symbols("j K a")
    split = sp.Piecewise((a, sp.And(j >= 1, big_k >= j)), (0, True))
    assert TextPrinter().doprint(split) == "(a for 1 ≤ j ≤ K, else 0)"
    assert TextPrinter({"ascii": True}).doprint(sp.Piecewise((a, j > 2), (a**2, True))) == "(a for j > 2, else a^2)"


def test_a_neighbour_sum_collapses_its_shifted_delta_and_prints_it_with_braces():
    # Σ_k z_k z_{k+1} by z_j: z_j sits in the terms k = j and k = j − 1, so z_{j+1} [1 ≤ j ≤ K] + z_{j−1} [2 ≤ j ≤ K+1]
    # (review 12: δ_{j,k+1} printed as "δ_jk + 1" and Σ_k z_k δ_{j,k+1} was left uncollapsed).
    done = run_cli("derive", "--latex", r"\sum_{k=1}^{K} z_k z_{k+1}", "--wrt", "z_j")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "δ_jk + 1" not in done.stdout and "δ_{j,k+1}" in done.stdout
    assert "✗" not in done.stdout and "undecided" not in done.stdout
    last = [line for line in done.stdout.splitlines() if line.lstrip().startswith("= ")][-1]
    assert "(z_{j+1} for 1 ≤ j ≤ K, else 0)" in last and "(z_{j−1} for 2 ≤ j ≤ K + 1, else 0)" in last, last
    # central differences of Σ_{k=1}^{K} z_k z_{k+1} (K = 4, z_1..z_5) give exactly those entries
    z = np.array([0.3, -1.2, 2.0, 0.5, 1.7])
    numeric = central_differences(lambda v: float(np.sum(v[:-1] * v[1:])), z)
    big_k = 4
    want = [(z[j] if j <= big_k else 0) + (z[j - 2] if 2 <= j <= big_k + 1 else 0) for j in range(1, 6)]
    np.testing.assert_allclose(numeric, want, rtol=1e-8)


def test_an_entry_written_with_two_indices_is_refused_in_words_not_a_traceback():
    # review 13: z_{2k} reads as z_{2,k} (two indices, as x_{ij}); --wrt z_j crashed in SymPy with a traceback
    done = run_cli("derive", "--latex", r"\sum_{k=1}^{K} z_{2k}", "--wrt", "z_j")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "z_{2,k}" in done.stderr and "one index" in done.stderr
