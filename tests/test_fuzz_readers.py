"""Fuzzing the readers: Python syntax, LaTeX, gradient statements and the chain splitter.

Random token soup and mutated real inputs (tests/corpus/, README) never crash a reader: each call returns
or raises :class:`ParseError` (one line, its position inside the text) within its CPU-time bound.
Counts and the long run: tests/fuzzing.py and tests/conftest.py (``DERIVATION_FUZZ=long``).
"""

from __future__ import annotations

import sympy as sp
from fuzzing import (
    CONTEXTS,
    DOCUMENT_INPUTS,
    LATEX_INPUTS,
    PYTHON_INPUTS,
    SIDE_INPUTS,
    cpu_bound,
    fuzz_settings,
)
from hypothesis import example, given
from hypothesis import strategies as st

from derivation.parsing import ParseError, parse_latex, read_expr, read_expr_auto, read_gradient, split_chain
from derivation.parsing.rows import split_rows
from derivation.proof.extract import extract_chains

READER_SECONDS = 3.0  # CPU seconds for one reading of one input of at most a few hundred characters


def refused_well(error: ParseError, text: str) -> None:
    """A refusal the CLI can print as it is: one line, and a position (if any) inside the text."""
    assert "\n" not in str(error) and str(error).strip(), repr(str(error))
    assert error.position is None or 0 <= error.position <= len(text)
    error.caret()


def read_bounded(reader, text: str, *args) -> object:
    try:
        with cpu_bound(READER_SECONDS):
            return reader(text, *args)
    except ParseError as error:
        refused_well(error, text)
        return None


@fuzz_settings(300)
@given(PYTHON_INPUTS, st.integers(0, 3))
def test_python_reader(text, how):
    if how:  # as derive and check --grad read it
        result = read_bounded(lambda t: read_expr_auto(t, allow_new_symbols=how > 1), text)
    else:
        result = read_bounded(read_expr, text)
    assert result is None or isinstance(result, sp.Basic)


# Found by the long run: each \frac was read twice (is it ∂/∂v?), 2ⁿ readings: 16 deep 5 s, 20 deep 60 s.
FRACS = r"\frac{1}{" * 20 + r"\theta_j" + "}" * 20


@fuzz_settings(300)
@given(SIDE_INPUTS, st.sampled_from(CONTEXTS))
@example(FRACS, CONTEXTS[0])
def test_latex_reader(text, context):
    result = read_bounded(parse_latex, text, context)
    assert result is None or isinstance(result, sp.Basic)


@fuzz_settings(300)
@given(LATEX_INPUTS, st.sampled_from(CONTEXTS))
@example(r"\frac{\partial J}{\partial \theta_j} = " + FRACS, CONTEXTS[0])
def test_gradient_statement_reader(text, context):
    statement = read_bounded(read_gradient, text, context)
    assert statement is None or statement.pieces


@fuzz_settings(300)
@given(DOCUMENT_INPUTS)
@example(r"\frac$$\text{for } j$$")  # found by the long run: IndexError in extract_chains (a display of words only)
def test_chain_splitter(text):
    links = read_bounded(split_chain, text)
    for link in links or ():
        assert 0 <= link.start <= link.end <= len(text)
    for row in read_bounded(split_rows, text) or ():
        assert all(0 <= a <= b <= len(text) for a, b in filter(None, row.sides))
    for chain in read_bounded(extract_chains, text) or ():
        for side in chain.sides:
            assert 0 <= side.start <= side.end <= len(text)
