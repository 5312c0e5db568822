"""Every notebook runs top to bottom, and the committed outputs are what the current code produces."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
_needed = ("nbclient", "nbformat", "ipykernel", "matplotlib")
_missing = [name for name in _needed if importlib.util.find_spec(name) is None]
if _missing:
    pytest.skip(f"notebook tests need {', '.join(_missing)}: pip install -e '.[notebooks]'", allow_module_level=True)

sys.path.insert(0, str(NOTEBOOKS))
import build  # noqa: E402 - the notebooks' own build script, found above
import nbformat  # noqa: E402


@pytest.mark.parametrize("name", build.names())
def test_notebook_runs_and_is_up_to_date(name):
    problems = build.check(name)
    assert not problems, "\n".join(problems) + "\nregenerate with: python notebooks/build.py"


def test_the_check_catches_a_changed_output():
    name = build.names()[0]
    committed = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    before = build.content(committed)
    cell = next(c for c in committed.cells if c.get("outputs"))
    output = next(o for o in cell.outputs if "data" in o or "text" in o)
    if "data" in output:
        key = next(k for k in output["data"] if k.startswith("text/"))
        output["data"][key] += " tampered"
    else:
        output["text"] += " tampered"
    assert build.content(committed) != before


def test_numbers_compare_to_three_digits_and_words_exactly():
    assert build._same_text("eigenvalue 1.0990e-05", "eigenvalue 1.0991e-05")
    assert not build._same_text("eigenvalue 1.09e-05", "eigenvalue 2.09e-05")
    assert not build._same_text("holds (numeric)", "fails (numeric)")


def test_every_notebook_has_a_source_and_a_committed_copy():
    sources = {p.stem for p in (NOTEBOOKS / "src").glob("*.py")}
    committed = {p.stem for p in NOTEBOOKS.glob("*.ipynb")}
    assert sources == committed
    assert len(sources) >= 3


def test_one_print_cut_into_chunks_reads_as_one_output():
    # The kernel flushes stdout wherever it likes; CI once saw a report arrive in two chunks.
    def cell(*chunks):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(report)")])
        nb.cells[0].outputs = [nbformat.v4.new_output("stream", name=n, text=t) for n, t in chunks]
        return build.content(nb)[0][1]

    whole = cell(("stdout", "Time: 1.25 s\nexit code 0\n"))
    assert cell(("stdout", "Time: 1."), ("stdout", "25 s\n"), ("stdout", "exit code 0\n")) == whole
    assert cell(("stdout", "a\n"), ("stderr", "warning\n"), ("stdout", "b\n")) == ["a\n", "warning\n", "b\n"]
