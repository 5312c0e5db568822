"""Results end where a textbook ends, every tidying step verified; long derivations keep the width."""

from __future__ import annotations

import subprocess
import sys

import sympy as sp

from derivation.derive import api
from derivation.printing import render
from derivation.printing.text import WIDTH, render_text

w, x, y = sp.symbols("w x y")
LONG = sp.log(1 + sp.exp(-y * w * x)) + sp.log(1 + sp.exp(-y * w * x * x)) + w**2


def test_a_long_left_side_stands_alone_and_the_steps_keep_the_width():
    text = render_text(api.derive(LONG, w))
    lines = text.splitlines()
    assert lines[2] == "d/dw [w² + log(1 + e^(−w x y)) + log(1 + e^(−w x² y))]"
    steps = [line for line in lines[3:] if line.startswith("  = ")]
    assert len(steps) == 8  # one "= …" per step, each at the small indent
    assert all(len(line) <= WIDTH for line in lines)
    assert max(len(line) for line in steps) > 80  # the right sides use the width, not a narrow column


def test_a_short_left_side_still_aligns_its_equals_signs():
    text = render_text(api.derive(sp.log(1 + sp.exp(-y * w * x)), w))
    first, second = text.splitlines()[2:4]
    assert first.startswith("d/dw log(1 + e^(−w x y)) = ")
    assert second.startswith(" " * len("d/dw log(1 + e^(−w x y)) ") + "= ")


def test_width_narrows_every_line_and_loses_nothing():
    d = api.derive(LONG, w)
    wide, narrow = render(d, width=100), render(d, width=50)
    assert max(len(line) for line in narrow.splitlines()) <= 50
    for piece in ("(∂v/∂v = 1) ✓", "x² y e^(−w x² y)/(1 + e^(−w x² y))"):
        assert piece in wide and "".join(piece.split()) in "".join(narrow.split())


def cli(*args: str) -> subprocess.CompletedProcess:
    code = "import sys; from derivation.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)


def test_the_cli_takes_width_and_refuses_a_useless_one():
    out = cli("derive", "--width", "60", "--wrt", "w", "log(1+exp(-y*w*x)) + log(1+exp(-y*w*x*x)) + w**2")
    assert out.returncode == 0, out.stderr
    assert max(len(line) for line in out.stdout.splitlines()) <= 60
    piped = cli("derive", "--wrt", "w", "log(1+exp(-y*w*x)) + log(1+exp(-y*w*x*x)) + w**2")
    assert max(len(line) for line in piped.stdout.splitlines()) > 60  # not a terminal: 100 columns
    bad = cli("derive", "--width", "5", "--wrt", "w", "w**2")
    assert bad.returncode == 2 and "--width 100" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
