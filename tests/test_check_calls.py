"""`check --python`: how a user's function is called, as users write it.

The slope and intercept of ``y = mx + c`` (``gradients(m, c, X, Y)``, a well-read blog's code): m is the slope, not
the example count, and c the intercept, not λ, whether the call is inferred or given with the function's own names;
a function with no θ is told which --call would work; a data file loaded at the script's top level
(``np.loadtxt('ex2data1.txt')``) is found beside it, as when the user runs it.  The verdicts of the (m, c) files are
measured here first by central differences of the mean squared error.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest
from cli_runner import run_cli

from derivation.check import usercode
from derivation.check.usercode import InputError, copy_data_files, infer_call, parse_call

DATA = Path(__file__).parent / "data" / "check_calls"


def _function(file: str, name: str):
    spec = importlib.util.spec_from_file_location(Path(file).stem, DATA / file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def _slope_intercept_right(file: str) -> bool:
    """Whether gradients(m, c, X, Y) returns (∂E/∂m, ∂E/∂c) of E = mean((y − (m x + c))²), by central differences."""
    rng = np.random.default_rng(5)
    x, y, m, c = rng.normal(size=7), rng.normal(size=7), 0.7, -0.4
    cost = lambda m, c: float(np.mean((y - (m * x + c)) ** 2))  # noqa: E731
    step = 1e-6
    expected = (
        (cost(m + step, c) - cost(m - step, c)) / (2 * step),
        (cost(m, c + step) - cost(m, c - step)) / (2 * step),
    )
    return bool(np.allclose(_function(file, "gradients")(m, c, x, y), expected, rtol=1e-6))


@pytest.mark.parametrize("file, right", [("menon_mc.py", True), ("menon_mc_sign.py", False)])
def test_slope_and_intercept_named_m_and_c_are_w_and_b(file, right):
    assert _slope_intercept_right(file) == right  # the files are what their names say
    assert infer_call(DATA / file, "gradients").text() == "gradients(w, b, X, y)"
    given = ("--call", "gradients(m, c, X, Y)") if right else ()  # its own names keep their roles
    result = run_cli("check", "linear-mean", "--python", f"{DATA / file}:gradients", *given)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect"), result.stdout
    assert "called as gradients(w, b, X, y)" in result.stdout and "lam" not in result.stdout.split("\n")[2]
    if not right:  # the intercept's sign is flipped: its entry (θ₀ = b) is the one off
        assert "worst entry: θ_0 on dataset 1 (m = 3, n = 1): expected 4.53567, received -4.53567" in result.stdout


def test_signature_roles_keep_a_real_count_and_the_call_names_w_and_b(tmp_path):
    path = tmp_path / "g.py"
    path.write_text("def cost(theta, X, y, m):\n    return theta\n\ndef step(m, b, x, y, lr):\n    return m, b\n")
    assert infer_call(path, "cost").text() == "cost(theta, X, y, m)"  # m beside θ is the example count
    assert infer_call(path, "step").text() == "step(w, b, X, y, alpha)"
    assert infer_call(path, "cost", "cost(w, X, y, m)").args[-1] == ("role", "m")
    with pytest.raises(InputError, match=r"unknown name 'slope' in --call: use theta \(or w\), b, X, y, lam, m"):
        parse_call("f(slope, X, y)")


def test_a_function_without_theta_is_told_which_call_would_work():
    with pytest.raises(InputError) as info:
        infer_call(DATA / "slope_only.py", "grad")
    assert str(info.value) == (
        "grad() in slope_only.py has no parameter for theta: give --call; "
        "if its m is θ (a slope), --call 'grad(theta, X, y)'"
    )


def test_a_data_file_beside_the_script_is_loaded_as_when_the_user_runs_it():
    result = run_cli("check", "logistic", "--python", f"{DATA / 'ex2' / 'ex2.py'}:costFunction")
    assert result.returncode == 0 and result.stdout.startswith("✓ correct"), result.stdout + result.stderr
    assert "importing the whole file" not in result.stdout and "FileNotFoundError" not in result.stdout
    assert "not copied" not in result.stdout  # nothing to say when it worked


def test_only_small_regular_data_files_are_copied(tmp_path, monkeypatch):
    folder, work = tmp_path / "user", tmp_path / "work"
    folder.mkdir()
    work.mkdir()
    for name, size in [("a.txt", 10), ("b.csv", 20), ("big.npy", 200), ("script.py", 5), ("data.npz", 5)]:
        (folder / name).write_bytes(b"1" * size)
    (folder / "sub").mkdir()
    (folder / "sub" / "c.txt").write_text("2")
    os.symlink("/etc/hostname", folder / "link.txt")
    os.mkfifo(folder / "pipe.csv")  # reading it would block
    monkeypatch.setattr(usercode, "DATA_BYTES", 100)
    left_out = copy_data_files(folder, work)
    assert sorted(p.name for p in work.iterdir()) == ["a.txt", "b.csv", "data.npz"]  # the child runs apart from ours
    assert left_out == ["big.npy"]
