r"""Backprop derivations as blog posts and course notes write them, judged step by step (issue 13).

tests/backprop_derivations/ holds correct derivations in the per-partial style: Matt Mazur's
``net_{o1}``/``out_{h1}`` with E_total = ½Σ(target − out)², a sigmoid cross-entropy output with
∂L/∂z = ŷ − y, nodes numbered O_1…O_3, a ReLU hidden unit with its indicator, a tanh hidden unit,
Andrew Ng's ``dz^{[2]} = a^{[2]} − y``.  Each must hold at every step.  ``MUTANTS`` are wrong
copies, each with one slip people make, put in at a known line: each must fail first at that line
(never a ✓ on the wrong step), and the slips a diagnosis can name must be named.
``pytest -s`` prints the confusion matrix.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest

from derivation.proof.verifier import HOLDS, ProofReport, verify_text

FOLDER = Path(__file__).with_name("backprop_derivations")
CORRECT = sorted(FOLDER.glob("*.md"))
SIGMA_TWICE = "σ′ counted twice"
WRONG_NODE = "chain factor at the wrong node"
MISSING = "missing factor"


class Mutant(NamedTuple):
    file: str
    line: int  # the file line of the step that becomes wrong
    old: str  # replaced (its first occurrence on that line) …
    new: str  # … by this
    slip: str
    named: str | None = None  # words the diagnosis must contain, where one can name the slip


MUTANTS = (
    # Mazur: net_{o1}, out_{h1}, target_{o1}, E_{total}
    Mutant("mazur_net_out.md", 16, "= -(target_{o1}", "= (target_{o1}", "sign of ∂E/∂out", "sign"),
    Mutant("mazur_net_out.md", 16, "= -(target_{o1}", r"= -\frac{1}{2}(target_{o1}", "½ not cancelled", "factor"),
    Mutant("mazur_net_out.md", 18, "out_{o1}(1 - out_{o1})", "out_{o1}(1 + out_{o1})", "σ′ = σ(1 + σ)"),
    Mutant("mazur_net_out.md", 20, "= out_{h1}", "= out_{h2}", "wrong node", WRONG_NODE),
    Mutant("mazur_net_out.md", 22, r"\cdot out_{h1}$$", r"\cdot out_{h2}$$", "wrong node", WRONG_NODE),
    Mutant(
        "mazur_net_out.md",
        22,
        r"out_{o1}(1 - out_{o1}) \cdot out_{h1}$$",
        r"out_{h1}(1 - out_{h1}) \cdot out_{h1}$$",
        "σ′ taken at the hidden node",
        "σ′ taken at the wrong node",
    ),
    Mutant("mazur_net_out.md", 26, "out_{o1}(1 - out_{o1}) w_5", "out_{o1}(1 - out_{o1})", "missing weight factor"),
    Mutant(
        "mazur_net_out.md",
        26,
        " - (target_{o2} - out_{o2}) out_{o2}(1 - out_{o2}) w_7",
        "",
        "second output's path dropped",
        "dropped term",
    ),
    Mutant("mazur_net_out.md", 26, "w_5", "w_6", "wrong weight on the path", WRONG_NODE),
    Mutant("mazur_net_out.md", 30, r"\cdot i_1$$", r"\cdot i_2$$", "wrong input", WRONG_NODE),
    Mutant("mazur_net_out.md", 30, r"\cdot out_{h1}(1 - out_{h1}) \cdot i_1", r"\cdot i_1", "σ′ missing", MISSING),
    # sigmoid output with cross-entropy
    Mutant(
        "sigmoid_cross_entropy.md",
        22,
        r"(\hat{y} - y) h_1",
        r"(\hat{y} - y)\hat{y}(1 - \hat{y}) h_1",
        "σ′ counted twice",
        SIGMA_TWICE,
    ),
    Mutant(
        "sigmoid_cross_entropy.md",
        24,
        r"= \hat{y} - y$$",
        r"= (\hat{y} - y)\hat{y}(1 - \hat{y})$$",
        "σ′ counted twice",
        SIGMA_TWICE,
    ),
    Mutant("sigmoid_cross_entropy.md", 18, r"= \hat{y} - y$$", r"= y - \hat{y}$$", "sign of ŷ − y", "sign"),
    Mutant(
        "sigmoid_cross_entropy.md",
        12,
        r"+ \frac{1 - y}{1 - \hat{y}}",
        r"- \frac{1 - y}{1 - \hat{y}}",
        "sign of one term",
        "sign of one term",
    ),
    Mutant("sigmoid_cross_entropy.md", 14, r"\hat{y}(1 - \hat{y})", r"\hat{y}^2", "σ′ written σ²"),
    Mutant("sigmoid_cross_entropy.md", 22, "h_1$$", "h_2$$", "wrong node", WRONG_NODE),
    # nodes numbered O_1, O_2, O_3
    Mutant("numbered_nodes.md", 11, "O_3(1 - O_3) O_2", "O_3(1 - O_3) O_1", "wrong node", WRONG_NODE),
    Mutant("numbered_nodes.md", 11, "O_3(1 - O_3) O_2", "O_2(1 - O_2) O_2", "σ′ at O_2", "σ′ taken at the wrong node"),
    Mutant("numbered_nodes.md", 15, r"O_3(1 - O_3) w_5 \cdot", r"O_3(1 - O_3) \cdot", "missing weight factor", MISSING),
    Mutant("numbered_nodes.md", 15, "w_5 \\cdot", "w_6 \\cdot", "wrong weight on the path", WRONG_NODE),
    Mutant("numbered_nodes.md", 15, "O_1(1 - O_1) x_1", "O_1(1 - O_1) x_2", "wrong input", WRONG_NODE),
    Mutant("numbered_nodes.md", 17, "= (O_3 - y) O_3", "= (y - O_3) O_3", "sign of the error", "sign"),
    Mutant("numbered_nodes.md", 17, "w_6 O_2(1 - O_2) x_2", "w_6 x_2", "hidden σ′ missing", MISSING),
    # ReLU hidden unit
    Mutant(
        "relu_hidden.md",
        12,
        r"= \hat{y} - y$$",
        r"= (\hat{y} - y)\hat{y}(1 - \hat{y})$$",
        "σ′ counted twice",
        SIGMA_TWICE,
    ),
    Mutant("relu_hidden.md", 16, "z_1 > 0", "z_1 < 0", "indicator turned round"),
    Mutant("relu_hidden.md", 18, r"v \, \mathbb{1}[z_1 > 0] \, x_1", r"v \, x_1", "ReLU′ missing"),
    Mutant("relu_hidden.md", 18, r"\mathbb{1}[z_1 > 0] \, x_1", r"h_1 \, x_1", "ReLU′ written as ReLU"),
    Mutant("relu_hidden.md", 14, r"(\hat{y} - y) h_1", r"(\hat{y} - y) z_1", "pre-activation for activation"),
    Mutant("relu_hidden.md", 20, r"\mathbb{1}[z_1 > 0]$$", r"\mathbb{1}[z_1 > 0] x_1$$", "db times x", "extra factor"),
    # tanh hidden unit
    Mutant("tanh_hidden.md", 13, "= 1 - a_1^2$$", "= 1 + a_1^2$$", "tanh′ = 1 + tanh²", "sign of one term"),
    Mutant("tanh_hidden.md", 19, "(1 - a_1^2)", "(1 - z_1^2)", "tanh′ at the pre-activation", WRONG_NODE),
    Mutant("tanh_hidden.md", 19, "(1 - a_1^2)", "a_1(1 - a_1)", "σ′ used for tanh′", "σ′ used for tanh′"),
    Mutant("tanh_hidden.md", 17, r"(\hat{y} - y) a_1", r"(\hat{y} - y) z_1", "z for a", WRONG_NODE),
    Mutant("tanh_hidden.md", 19, r"(\hat{y} - y) v (1", r"(\hat{y} - y) (1", "missing weight factor", MISSING),
    Mutant("tanh_hidden.md", 11, r"= \hat{y} - y", r"= 2(\hat{y} - y)", "½ not cancelled", "factor"),
    # Andrew Ng's layer superscripts
    Mutant(
        "ng_layer_superscripts.md",
        12,
        "= a^{[2]} - y",
        "= (a^{[2]} - y) a^{[2]}(1 - a^{[2]})",
        "σ′ counted twice",
        SIGMA_TWICE,
    ),
    Mutant("ng_layer_superscripts.md", 12, "= a^{[2]} - y", "= y - a^{[2]}", "sign of a − y", "sign"),
    Mutant("ng_layer_superscripts.md", 13, "a^{[1]T}", "a^{[2]T}", "activation of the wrong layer", WRONG_NODE),
    Mutant("ng_layer_superscripts.md", 14, "= dz^{[2]}", "= dz^{[2]} a^{[1]T}", "db times a", "extra factor"),
    Mutant("ng_layer_superscripts.md", 15, "(1 - (a^{[1]})^2)", "(1 - (z^{[1]})^2)", "tanh′ at z", WRONG_NODE),
    Mutant("ng_layer_superscripts.md", 15, " (1 - (a^{[1]})^2)", "", "tanh′ missing", MISSING),
    Mutant("ng_layer_superscripts.md", 16, "dz^{[1]} x", "dz^{[2]} x", "δ of the wrong layer"),
)

_REPORTS: dict[tuple[str, int], ProofReport] = {}


def mutated(mutant: Mutant) -> str:
    lines = (FOLDER / mutant.file).read_text(encoding="utf-8").splitlines(keepends=True)
    assert mutant.old in lines[mutant.line - 1], f"{mutant.file}:{mutant.line} has no {mutant.old!r}"
    lines[mutant.line - 1] = lines[mutant.line - 1].replace(mutant.old, mutant.new, 1)
    return "".join(lines)


def report_for(path: Path | Mutant) -> ProofReport:
    """Each text is verified once per session: its test and the matrix share the report."""
    key = (str(path), 0) if isinstance(path, Path) else (path.file, MUTANTS.index(path) + 1)
    if key not in _REPORTS:
        text = path.read_text(encoding="utf-8") if isinstance(path, Path) else mutated(path)
        _REPORTS[key] = verify_text(text, rules=False)  # verdicts and diagnoses; naming each rule is slow
    return _REPORTS[key]


def test_the_folder_has_the_styles_the_issue_names():
    assert len(CORRECT) >= 6 and len(MUTANTS) >= 40
    assert {m.file for m in MUTANTS} == {p.name for p in CORRECT}
    assert sum(m.named == SIGMA_TWICE for m in MUTANTS) >= 4


@pytest.mark.parametrize("path", CORRECT, ids=lambda p: p.name)
def test_each_correct_derivation_holds_at_every_step(path: Path):
    report = report_for(path)
    problems = [(s.line, s.status) for s in report.checked if s.status != HOLDS]
    assert report.exit_code == 0 and not problems, problems
    assert len(report.checked) >= 5


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: f"{m.file}:{m.line}:{m.slip}")
def test_each_slip_fails_first_at_its_line(mutant: Mutant):
    report = report_for(mutant)
    first = report.first_failure
    assert report.exit_code == 1 and first is not None, "no step fails"
    assert first.line == mutant.line, f"first wrong step at line {first.line}"
    if mutant.named:
        assert first.diagnosis is not None and mutant.named in first.diagnosis.message, first.diagnosis


def test_sigma_prime_counted_twice_says_why():
    mutant = next(m for m in MUTANTS if m.named == SIGMA_TWICE and m.file == "sigmoid_cross_entropy.md")
    message = report_for(mutant).first_failure.diagnosis.message
    assert "ŷ − y" in message and "∂L/∂z" in message, message


def test_node_names_are_shown_as_written():
    report = report_for(FOLDER / "mazur_net_out.md")
    words = " ".join(w for _, w in report.interpretations)
    assert "out_{o1} = σ(net_{o1})" in words
    ng = " ".join(w for _, w in report_for(FOLDER / "ng_layer_superscripts.md").interpretations)
    assert "read dz^[2] as ∂ℒ/∂z^[2]" in ng


def test_confusion_matrix(capsys):
    correct = Counter("accepted" if report_for(p).exit_code == 0 else "rejected" for p in CORRECT)
    wrong: Counter = Counter()
    named = diagnosed = 0
    for mutant in MUTANTS:
        first = report_for(mutant).first_failure
        wrong["missed" if first is None else "at its line" if first.line == mutant.line else "elsewhere"] += 1
        named += bool(mutant.named and first and first.diagnosis and mutant.named in first.diagnosis.message)
        diagnosed += bool(first and first.diagnosis)
    with capsys.disabled():
        print(f"\nbackprop derivations: {len(CORRECT)} correct, {len(MUTANTS)} wrong copies")
        print(f"  correct → accepted {correct['accepted']}, rejected {correct['rejected']}")
        print(f"  wrong   → caught at its line {wrong['at its line']}, elsewhere {wrong['elsewhere']}, "
              f"missed {wrong['missed']}")  # fmt: skip
        labelled = sum(bool(m.named) for m in MUTANTS)
        print(f"  slips named as labelled: {named}/{labelled}; a diagnosis given: {diagnosed}/{len(MUTANTS)}")
    assert correct["rejected"] == 0 and wrong["missed"] == 0 and wrong["elsewhere"] == 0


def _without_definitions(name: str) -> tuple[str, list[str]]:
    """The document with its definition lines blanked (line numbers kept), and those definitions as declarations."""
    lines = (FOLDER / name).read_text(encoding="utf-8").splitlines()
    definitions = [line.strip("$") for line in lines if line.startswith("$$") and line.count("=") == 1]
    kept = ["" if line.startswith("$$") and line.count("=") == 1 else line for line in lines]
    return "\n".join(kept) + "\n", definitions


def test_names_declared_instead_of_defined_are_read_as_their_declarations():
    text, definitions = _without_definitions("numbered_nodes.md")
    assert len(definitions) == 4 and definitions[2].startswith("O_3 = ")
    report = verify_text(text, definitions=definitions, rules=False)
    assert report.exit_code == 0 and len(report.checked) == 6, [(s.line, s.status) for s in report.steps]
    assert any(words == "read O_3 = σ(O_1 θ_5 + O_2 θ_6) (declared)" for _, words in report.interpretations)
    slip = next(m for m in MUTANTS if m.file == "numbered_nodes.md" and m.slip == "hidden σ′ missing")
    wrong = text.splitlines(keepends=True)
    wrong[slip.line - 1] = wrong[slip.line - 1].replace(slip.old, slip.new, 1)
    first = verify_text("".join(wrong), definitions=definitions, rules=False).first_failure
    assert first is not None and first.line == slip.line
    undeclared = verify_text(text, rules=False)  # O_3 differentiated, defined nowhere: not a ✓, not a guess
    assert undeclared.exit_code != 0 and not any(s.status == HOLDS for s in undeclared.steps if s.line == 11)
    assert "O_3 is differentiated but not defined" in undeclared.first_problem.unreadable.message


@pytest.mark.parametrize("written", ["O_3", r"O_3 = \frac{", "x = 2", r"\frac{a}{b} = 2"])
def test_a_declaration_that_is_not_name_equals_expression_is_a_value_error(written: str):
    with pytest.raises(ValueError, match=r"declaration|not a name"):
        verify_text("$$a = b$$", definitions=[written])


def test_a_chain_factor_at_the_wrong_node_names_both_nodes():
    mutant = next(m for m in MUTANTS if m.file == "numbered_nodes.md" and m.named == WRONG_NODE and m.line == 11)
    message = report_for(mutant).first_failure.diagnosis.message
    assert message == "chain factor at the wrong node: O_1 where O_2 belongs"
