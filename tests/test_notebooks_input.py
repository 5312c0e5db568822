"""Jupyter notebooks as users bring them: `verify` reads the Markdown cells, `check --python` the code cells.

The two notebooks under data/notebooks_input are nbformat 4 files as Jupyter saves them (outputs, a plot, magics,
a raw cell): a linear-regression derivation and its gradient code, and a slip twin that differs in one line of the
derivation and one factor in each function.  Which line is the first wrong one, and which function is right, is
decided here by NumPy central differences of the cost, never by the tool.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from cli_runner import run_cli

from derivation.userinput import cell_line, cells_text, notebook_cells, read_notebook

DATA = Path(__file__).parent / "data" / "notebooks_input"
ELASTIC_COST = (
    r"\frac{1}{2m}\sum_{i=1}^m\left(\theta^T x^{(i)} - y^{(i)}\right)^2"
    r" + 0.005\sum_{j=0}^n|\theta_j| + 0.0025\sum_{j=0}^n\theta_j^2"
)

_rng = np.random.default_rng(3)
X = np.c_[np.ones(7), _rng.normal(size=(7, 3))]
Y = _rng.normal(size=7)
THETA = _rng.normal(size=4)
M = len(Y)


def _squares(theta):
    return np.sum((X @ theta - Y) ** 2) / (2 * M)


def _elastic(theta):
    return _squares(theta) + 0.005 * np.sum(np.abs(theta)) + 0.0025 * np.sum(theta**2)


def _central(cost, theta, h=1e-6):
    return np.array([(cost(theta + h * e) - cost(theta - h * e)) / (2 * h) for e in np.eye(len(theta))])


# Each right side of the derivations, transcribed by hand into NumPy (as the vector over j), keyed by its LaTeX.
RIGHT_SIDES = {
    r"\frac{1}{2m}\sum_{i=1}^m 2\left(": lambda t: X.T @ (2 * (X @ t - Y)) / (2 * M),
    r"= \frac{1}{m}\sum_{i=1}^m": lambda t: X.T @ (X @ t - Y) / M,
    r"= \frac{2}{m}\sum_{i=1}^m": lambda t: 2 * X.T @ (X @ t - Y) / M,
    r"\frac{1}{m}X^T\left(X\theta - y\right)": lambda t: X.T @ (X @ t - Y) / M,
}


def _json_cells(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))["cells"]


def _first_wrong_line(name: str) -> str | None:
    """The first derivation line (in cell order) whose right side differs from central differences of J."""
    fd = _central(_squares, THETA)
    seen = 0
    for number, cell in enumerate(_json_cells(name), 1):
        if cell["cell_type"] != "markdown":
            continue
        for line_number, line in enumerate("".join(cell["source"]).splitlines(), 1):
            for key, side in RIGHT_SIDES.items():
                if key in line:
                    seen += 1
                    if not np.allclose(side(THETA), fd, rtol=1e-6, atol=1e-8):
                        return f"cell {number}, line {line_number}"
    assert seen == 3, "every line of the derivation is transcribed"
    return None


def _own_function(name: str, defined: str):
    """The code cell of ``name`` that defines ``defined``, run here (our own test data) to judge it by hand."""
    cell = next(c for c in _json_cells(name) if c["cell_type"] == "code" and defined in "".join(c["source"]))
    scope = {"np": np}
    exec("".join(cell["source"]), scope)  # the test's own fixture, not user input
    return scope


@pytest.mark.parametrize("name", ["linear_ok.ipynb", "linear_slip.ipynb"])
def test_verify_reads_the_markdown_cells_and_finds_the_first_wrong_line(name):
    expected = _first_wrong_line(name)
    result = run_cli("verify", str(DATA / name), "--format", "json")
    report = json.loads(result.stdout)
    statuses = [step["status"] for step in report["steps"]]
    assert statuses and "not understood" not in statuses
    if expected is None:  # the raw cell's "J(θ) = 0" is not read: every step holds
        assert result.returncode == 0 and set(statuses) == {"holds"}, result.stdout
        return
    assert result.returncode == 1
    first = next(step for step in report["steps"] if step["status"] != "holds")
    starts = cells_text(read_notebook(str(DATA / name)), "markdown")[1]
    assert cell_line(starts, first["line"]) == expected


@pytest.mark.parametrize("name", ["linear_ok.ipynb", "linear_slip.ipynb"])
def test_check_python_reads_the_code_cells(name):
    gradient = _own_function(name, "def gradient")["gradient"]
    right = np.allclose(gradient(THETA, X, Y), _central(_squares, THETA), rtol=1e-6, atol=1e-8)
    assert right == (name == "linear_ok.ipynb")  # the fixture is what it says
    result = run_cli("check", "linear", "--python", f"{DATA / name}:gradient", "--format", "json")
    assert json.loads(result.stdout)["status"] == ("correct" if right else "incorrect"), result.stdout
    assert result.returncode == (0 if right else 1)


@pytest.mark.parametrize("name", ["linear_ok.ipynb", "linear_slip.ipynb"])
def test_a_class_gets_its_own_defaults_when_the_cost_fixes_the_penalty(name):
    """ElasticNet(alpha=0.01, l1_ratio=0.5): a cost with 0.005Σ|θ_j| + 0.0025Σθ_j² is what its defaults mean."""
    model = _own_function(name, "class ElasticNet")["ElasticNet"]()
    right = np.allclose(model._gradient(X, Y, THETA), _central(_elastic, THETA), rtol=1e-6, atol=1e-8)
    assert right == (name == "linear_ok.ipynb")
    result = run_cli("check", "--cost", ELASTIC_COST, "--python", f"{DATA / name}:ElasticNet._gradient")
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect"), result.stdout
    assert "self.alpha = 0.01 (its __init__ default" in result.stdout  # the values used are said
    assert "self.l1_ratio = 0.5 (its __init__ default)" in result.stdout


def _notebook(tmp_path: Path, *cells: tuple[str, str], nbformat: int = 4) -> Path:
    path = tmp_path / "nb.ipynb"
    body = [{"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True)} for kind, text in cells]
    path.write_text(json.dumps({"cells": body, "metadata": {}, "nbformat": nbformat, "nbformat_minor": 5}))
    return path


def test_a_failure_in_a_code_cell_is_placed_in_its_cell(tmp_path):
    path = _notebook(
        tmp_path,
        ("markdown", "# Logistic regression\n"),
        ("code", "import numpy as np\n"),
        ("code", "def gradient(theta, X, y):\n    return X.T @ (sigmoid(X @ theta) - y) / len(y)\n"),
    )
    result = run_cli("check", "logistic", "--python", f"{path}:gradient")
    assert "name 'sigmoid' is not defined (nb.ipynb cell 3, line 2, in gradient" in result.stdout, result.stdout
    broken = _notebook(tmp_path, ("code", "import numpy as np\n"), ("code", "%time x = 1\ndef gradient(theta, X, y:\n"))
    result = run_cli("check", "logistic", "--python", f"{broken}:gradient")
    assert result.returncode == 2 and "nb.ipynb cell 2, line 2:" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("cells", "nbformat", "command", "words"),
    [
        ([("code", "x = 1\n")], 4, "verify", "has no Markdown cell"),
        ([("markdown", "$$a = b$$\n")], 4, "check", "has no code cell"),
        ([], 3, "verify", "nbformat 3"),
    ],
)
def test_a_notebook_without_what_is_read_is_one_line(tmp_path, cells, nbformat, command, words):
    path = _notebook(tmp_path, *cells, nbformat=nbformat)
    if nbformat == 3:
        path.write_text(json.dumps({"worksheets": [{"cells": []}], "nbformat": 3}))
    args = ["verify", str(path)] if command == "verify" else ["check", "linear", "--python", f"{path}:gradient"]
    result = run_cli(*args)
    assert result.returncode == 2 and words in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_notebook_that_is_not_json_and_a_python_file_are_refused_in_one_line(tmp_path):
    cut = tmp_path / "cut.ipynb"
    cut.write_text((DATA / "linear_slip.ipynb").read_text(encoding="utf-8")[:300])
    result = run_cli("verify", str(cut))
    assert result.returncode == 2 and "is not a Jupyter notebook: its JSON breaks at line 10" in result.stderr
    code = tmp_path / "grad.py"
    code.write_text("def gradient(theta, X, y):\n    return X.T @ (X @ theta - y) / len(y)\n")
    result = run_cli("verify", str(code))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert f"derivation check MODEL --python {code}:FUNCTION" in result.stderr


def test_cells_are_joined_in_order_and_placed_back():
    text = json.dumps(
        {
            "nbformat": 4,
            "cells": [
                {"cell_type": "markdown", "source": "$$a = b$$"},
                {"cell_type": "code", "source": ["%%bash\n", "ls\n"]},
                {"cell_type": "code", "source": ["%%time\n", "x = 1\n"]},
                {"cell_type": "raw", "source": "$$a = c$$"},
                {"cell_type": "markdown", "source": ["First\n", "$$b = c$$\n"]},
            ],
        }
    )
    cells = notebook_cells(text, "n.ipynb")
    markdown, starts = cells_text(cells, "markdown")
    assert markdown == "$$a = b$$\n\nFirst\n$$b = c$$\n"
    assert cell_line(starts, markdown.splitlines().index("$$b = c$$") + 1) == "cell 5, line 2"
    assert cells_text(cells, "code")[0] == "%%time\nx = 1\n"  # a %%bash cell is not Python
