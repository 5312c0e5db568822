r"""Output never carries what it should not: a user's file cannot run or read anything through our LaTeX,
nor act on the terminal through our text, Markdown or JSON (issue 11, "Output never carries what it should not")."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import unicodedata

import pytest

from derivation import render
from derivation.check.gradient import check_gradient
from derivation.core.steps import Derivation, Step
from derivation.models import get_model
from derivation.printing.gradient_report import render_report
from derivation.printing.latex import pasteable
from derivation.printing.proof_report import render_proof
from derivation.proof.verifier import verify_text

HOSTILE = "\x1b]0;owned\x07 \x1b[31m red \u202e evil \u200b\x00 \x9b2J \u2066"


def _attack(target: str) -> str:
    return (
        "$$\n"
        rf"\frac{{d}}{{dz}} e^{{2z}} = \immediate\write18{{touch {target}}} = \input{{/etc/passwd}}"
        r" \underset{\input{/etc/passwd}}{=} 2 e^{2z} = ^^5cinput{/etc/passwd} = 2e^{2z}"
        "\n$$\n\n"  # a readable \text{...} and a side after an unreadable one were pasted raw before
        rf"$$z = \text{{\immediate\write18{{touch {target}}}}} = z$$"
        "\n\n$$z = \\input{/etc/passwd} = \\immediate\\write18{touch " + target + r"}\frac{1}{2} = z$$" + "\n"
    )


def _unescaped_commands(document: str) -> list[str]:
    r"""The file-touching commands still live in ``document`` once escaped backslashes are taken out."""
    live = document.replace(r"\textbackslash{}", "")
    return re.findall(r"\\(?:input|write18|immediate|include|openout|read)\b|\^\^", live)


def test_unreadable_sides_never_reach_latex_raw(tmp_path):
    document = render_proof(verify_text(_attack(str(tmp_path / "pwned"))), "latex", standalone=True)
    assert _unescaped_commands(document) == []
    assert r"\textbackslash{}write18" in document and r"\textbackslash{}input\{/etc/passwd\}" in document


def test_hostile_document_compiles_under_shell_escape_without_effect(tmp_path):
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed: apt-get install texlive-latex-base texlive-latex-recommended")
    pwned = tmp_path / "pwned"
    document = render_proof(verify_text(_attack(str(pwned))), "latex", standalone=True)
    (tmp_path / "d.tex").write_text(document)
    run = subprocess.run(
        ["pdflatex", "-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "d.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:]
    assert not pwned.exists()
    log = (tmp_path / "d.log").read_text(errors="replace")
    assert "/etc/passwd" not in re.findall(r"\(([^()\s]+)", log)  # pdflatex logs every file it opens as "(path"
    assert "root:" not in log
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "d.pdf", "-"], cwd=tmp_path, capture_output=True, text=True).stdout
        assert "root:" not in text and "write18" in text  # the attack is shown as text, not obeyed


@pytest.mark.parametrize(
    "tex",
    [r"\input{/etc/passwd}", r"\immediate\write18{ls}", "^^5cinput x", r"\begin{filecontents}{a}x\end{filecontents}",
     r"\csname input\endcsname", r"x % y", r"\def\x{1}", "\\", r"\catcode`\^=7", "θ"],
)  # fmt: skip
def test_only_harmless_math_is_pasteable(tex):
    assert not pasteable(tex)


@pytest.mark.parametrize(
    "tex",
    [r"\frac{1}{m} \sum_{i=1}^{m} \left( h_\theta(x^{(i)}) - y^{(i)} \right) x_j^{(i)}",
     r"\underset{\text{chain rule}}{=}", r"\begin{bmatrix} 1 \\ x \end{bmatrix}", r"\lVert w \rVert^2 \, \%"],
)  # fmt: skip
def test_ordinary_math_is_pasted_as_written(tex):
    assert pasteable(tex)


def test_prose_title_cannot_smuggle_a_backslash():
    d = Derivation("θ^^5cinput{/etc/passwd} \\input{/etc/passwd}", *_sigmoid_parts())
    assert _unescaped_commands(render(d, "latex", standalone=True)) == []


def _sigmoid_parts():
    f = get_model("sigmoid").form()
    return f.goal, f.variable, (Step("result", "", f.gradient),), f.definitions


def _raw_invisibles(text: str) -> list[str]:
    return [c for c in text if c not in "\n\t" and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]


def test_proof_text_shows_control_and_bidi_characters_escaped():
    report = verify_text(f"$$\\frac{{d}}{{dz}} e^{{2z}} {HOSTILE} = 2 e^{{2z}}$$\n")
    text = render_proof(report)
    assert _raw_invisibles(text) == []
    assert all(e in text for e in (r"\x1b]0;owned\x07", r"\u202e", r"\u200b", r"\x00", r"\x9b", r"\u2066"))
    assert _raw_invisibles(render_proof(report, ascii=True)) == []
    lines = text.splitlines()
    marker = next(k for k, line in enumerate(lines) if line.strip() == "^")
    assert lines[marker - 1][lines[marker].index("^") :].startswith(r"\x00 ")  # still under the NUL it names


def test_proof_json_escapes_and_round_trips():
    source = f"$$a {HOSTILE} = b$$\n"
    for ascii in (False, True):
        out = render_proof(verify_text(source), "json", ascii=ascii)
        assert _raw_invisibles(out) == []
        assert json.loads(out)["chains"][0]["sides"][0] == f"a {HOSTILE}"


def test_derivation_text_and_markdown_escape_the_title():
    d = Derivation(f"Sigmoid {HOSTILE}", *_sigmoid_parts())
    for fmt in ("text", "markdown", "json"):
        out = render(d, fmt)
        assert _raw_invisibles(out) == [], fmt
    assert r"\u202e" in render(d, "markdown") and r"\x1b[31m" in render(d, "text")
    assert json.loads(render(d, "json"))["title"] == f"Sigmoid {HOSTILE}"


def test_gradient_report_escapes_what_it_echoes():
    report = check_gradient("linear", grad="X.T @ (X @ theta - y) / m")
    report = dataclasses.replace(report, reading=f"read {HOSTILE}", notes=(f"note {HOSTILE}",))
    for fmt in ("text", "markdown", "json"):
        assert _raw_invisibles(render_report(report, fmt)) == [], fmt
    assert r"\x1b]0;owned\x07" in render_report(report) and r"\u202e" in render_report(report, "markdown")
    assert json.loads(render_report(report, "json"))["notes"] == [f"note {HOSTILE}"]


def test_unicode_math_is_pasted_as_latex_commands_not_raw():
    document = render_proof(verify_text("$$σ′(z) = σ(z)(1 − σ(z))$$\n"), "latex", standalone=True)
    assert document.isascii() and r"\sigma" in document and "ttfamily" not in document


def test_gradient_markdown_keeps_the_users_backticks_inside_the_code_block():
    report = check_gradient("linear", grad="X.T @ (X @ theta - y) / m")
    report = dataclasses.replace(report, notes=("```\n[click](https://evil.example) **bold**",))
    out = render_report(report, "markdown")
    fence = out.splitlines()[2]
    assert set(fence) == {"`"} and len(fence) > 3 and out.endswith("\n" + fence)
    assert out.count(fence) == 2  # nothing the user wrote closes the block early
