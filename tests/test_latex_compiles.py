"""The standalone LaTeX of every catalog derivation (gradient and Hessian) compiles with pdflatex.

The documents share one preamble, so they are first compiled together, six in one pdflatex run (6 processes, not 36):
each body in an environment of its own (an environment it leaves open is an error there, and what it defines
stays in it), then a page break; the log says where each starts and ends and how many pages it made.  When
that run fails, each document is compiled alone, as before, and a test fails with its own document's run;
a test passes on the shared run only if that run succeeded and its document made a page.
"""

from __future__ import annotations

import re

import pytest
from derived import derived, derived_hessian

from derivation import render
from derivation.models import MODELS

CASES = [(name, form) for name, model in MODELS.items() for form in model.forms]
HESSIANS = [name for name, model in MODELS.items() if model.matrix_hessian is not None]


def document(key: str) -> str:
    """The standalone LaTeX of ``NAME-FORM`` or ``hessian-NAME``."""
    if key.startswith("hessian-"):
        return render(derived_hessian(key.removeprefix("hessian-")), "latex", standalone=True)
    name, form = next((n, f) for n, f in CASES if key == f"{n}-{f}")
    return render(derived(name, form), "latex", standalone=True)


KEYS = [f"{n}-{f}" for n, f in CASES] + [f"hessian-{n}" for n in HESSIANS]
_BEGIN, _END = r"\begin{document}", r"\end{document}"
_WRAP = "testbatchdocument"


def batch_source(sources: dict[str, str]) -> str | None:
    """One document holding every one of ``sources`` (the same preamble), each marked in the log; else None."""
    parts = {key: source.partition(_BEGIN) for key, source in sources.items()}
    preambles = {preamble for preamble, _, _ in parts.values()}
    if len(preambles) != 1 or any(not begin or rest.count(_END) != 1 for _, begin, rest in parts.values()):
        return None
    bodies = {key: rest.partition(_END) for key, (_, _, rest) in parts.items()}
    if any(after.strip() for _, _, after in bodies.values()):
        return None
    out = [preambles.pop(), rf"\newenvironment{{{_WRAP}}}{{}}{{}}", _BEGIN]
    for key, (body, _, _) in bodies.items():
        out += [
            rf"\typeout{{<<start {key} \the\value{{page}}>>}}",
            rf"\begin{{{_WRAP}}}{body}\end{{{_WRAP}}}\clearpage",
            rf"\typeout{{<<end {key} \the\value{{page}}>>}}",
        ]
    return "\n".join([*out, _END, ""])


# Documents compiled together: a few at a time in collection order, so that a worker given only part of this file
# (xdist hands out runs of consecutive tests) derives few documents it does not test.
CHUNK = 6


@pytest.fixture(scope="module")
def compiled_together(tmp_path_factory, run_pdflatex):
    """``pages(key)``: pages the document made in the shared run of its chunk; None when that run failed."""
    runs: dict[int, dict[str, int]] = {}

    def pages(key: str) -> int | None:
        chunk = KEYS.index(key) // CHUNK
        if chunk not in runs:
            keys = KEYS[chunk * CHUNK : (chunk + 1) * CHUNK]
            runs[chunk] = shared_run(tmp_path_factory.mktemp("latex_batch"), keys, run_pdflatex)
        return runs[chunk].get(key)

    return pages


def shared_run(folder, keys: list[str], run_pdflatex) -> dict[str, int]:
    """Pages each of ``keys`` made in one pdflatex run of them all; empty when that run failed."""
    source = batch_source({key: document(key) for key in keys})
    if source is None:
        return {}
    run = run_pdflatex(folder, source)
    if run.returncode != 0 or (folder / "d.pdf").stat().st_size <= 1000:
        return {}  # an error at the end (a font written out) may belong to any of them: each is compiled alone
    start = {k: int(p) for k, p in re.findall(r"^<<start (\S+) (\d+)>>$", run.stdout, re.MULTILINE)}
    end = {k: int(p) for k, p in re.findall(r"^<<end (\S+) (\d+)>>$", run.stdout, re.MULTILINE)}
    return {key: end[key] - start[key] for key in keys if key in start and key in end}


def assert_compiles(key: str, compiled_together, compile_latex) -> None:
    pages = compiled_together(key)
    if pages is not None:
        assert pages >= 1, f"{key}: no page"
        return
    pdf = compile_latex(document(key))  # alone, as a user compiles it: its own error and log
    assert pdf.stat().st_size > 1000


@pytest.mark.parametrize(("name", "form"), CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_standalone_latex_compiles(name, form, compiled_together, compile_latex):
    assert_compiles(f"{name}-{form}", compiled_together, compile_latex)


@pytest.mark.parametrize("name", HESSIANS)
def test_hessian_standalone_latex_compiles(name, compiled_together, compile_latex):
    assert_compiles(f"hessian-{name}", compiled_together, compile_latex)


def test_a_document_that_fails_in_the_shared_run_is_named_and_the_others_still_count(tmp_path, run_pdflatex):
    """The shared run's bookkeeping: a broken document stops it there, in its own environment, named in the log."""
    good = r"\documentclass{article}\begin{document}Hello $x^2$.\end{document}"
    broken = r"\documentclass{article}\begin{document}\begin{align*} x \end{document}"
    source = batch_source({"a": good, "b": broken, "c": good})
    run = run_pdflatex(tmp_path, source)
    assert run.returncode != 0
    assert "<<end a 2>>" in run.stdout and "<<start b 2>>" in run.stdout and "<<end b" not in run.stdout
    assert batch_source({"a": good, "b": good.replace("article", "report")}) is None  # preambles differ
