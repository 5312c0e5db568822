r"""What users read in reports: the numbers their own function returned, and ASCII that spells every symbol.

A function named for the log-likelihood (the gradient-ascent blogs' ``log_likelihood(features, target, weights)``
and its gradient ``np.dot(features.T, target - predictions)``) is read as ℓ's gradient, −m·∇J or −∇J: its values
are divided by that factor before the verdict.  A wrong one's counterexample shows what the function returned and
what it should have returned at its own scale, so the numbers compare with the user's print(): each is checked here
against the user's function called in this process on the printed data, and against its right twin.
``--ascii`` gives every symbol an ASCII spelling: every command of the README's tour prints pure ASCII and no "?"
that its input did not have.
"""

from __future__ import annotations

import ast
import importlib.util
import io
import re
import shlex
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from cli_runner import run_cli

from derivation.printing.expr import ascii_text

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "derivation"

# One module in the style of the gradient-ascent blogs and course notebooks, a right and a wrong gradient per
# convention: the summed log-likelihood (−m·∇J), its mean (−∇J) and the negative log-likelihood (the cost's, ∇J).
COURSE_CODE = """
import numpy as np


def sigmoid(scores):
    return 1 / (1 + np.exp(-scores))


def log_likelihood(features, target, weights):
    scores = np.dot(features, weights)
    return np.sum(target * scores - np.log(1 + np.exp(scores)))


def log_likelihood_gradient(features, target, weights):
    predictions = sigmoid(np.dot(features, weights))
    return np.dot(features.T, target - predictions)


def log_likelihood_gradient_wrong(features, target, weights):
    scores = np.dot(features, weights)
    return np.dot(features.T, target - scores)  # the scores where the predictions go


def loglik_grad(X, y, theta):
    return X.T @ (y - sigmoid(X @ theta)) / len(y)


def loglik_grad_wrong(X, y, theta):
    return X.T @ (y - sigmoid(X @ theta)) / len(y) + 0.1 * theta  # a penalty the model does not have


def neg_log_likelihood_grad(features, target, weights):
    predictions = sigmoid(np.dot(features, weights))
    return np.dot(features.T, predictions - target) / target.size


def neg_log_likelihood_grad_wrong(features, target, weights):
    predictions = sigmoid(np.dot(features, weights))
    return np.dot(features.T, predictions - target) / target.size + 0.5 * weights
"""
PAIRS = [  # (right, wrong, how the report writes the expected values' scale)
    ("log_likelihood_gradient", "log_likelihood_gradient_wrong", "−m·∇J(θ)"),
    ("loglik_grad", "loglik_grad_wrong", "−∇J(θ)"),
    ("neg_log_likelihood_grad", "neg_log_likelihood_grad_wrong", "∇J(θ)"),
]


@pytest.fixture(scope="module")
def course_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("course") / "logistic_ascent.py"
    path.write_text(COURSE_CODE, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def course_module(course_file):
    spec = importlib.util.spec_from_file_location("logistic_ascent", course_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def printed_arrays(out: str) -> dict[str, np.ndarray]:
    """The counterexample's arrays as printed: ``X = [[1, -0.13], …]`` (over lines), ``θ = […]``, ``received = […]``."""
    block = out.split("counterexample", 1)[1].split("\n  note:", 1)[0].split("\n  method:", 1)[0]
    found = {}
    for name, value in re.findall(r"^    (\S.*?) = (\[.*?\])(?=\n    \S|\s*$)", block, flags=re.S | re.M):
        found[name] = np.array(ast.literal_eval(re.sub(r"\s+", " ", value)), dtype=float)
    return found


@pytest.mark.parametrize(("right", "wrong", "scale"), PAIRS, ids=[p[0] for p in PAIRS])
def test_a_wrong_function_shows_what_it_returned_and_should_have(course_file, course_module, right, wrong, scale):
    assert run_cli("check", "logistic", "--python", f"{course_file}:{right}").returncode == 0
    result = run_cli("check", "logistic", "--python", f"{course_file}:{wrong}")
    out = result.stdout
    assert result.returncode == 1 and out.startswith("✗ incorrect"), out
    assert "X with its column of ones" in out  # called with the X printed
    arrays = printed_arrays(out)
    X, y, theta = arrays["X"], arrays["y"], arrays["θ"]
    returned = getattr(course_module, wrong)(X, y, theta)
    should = getattr(course_module, right)(X, y, theta)
    assert not np.allclose(returned, should)  # the pair differs on the printed data
    np.testing.assert_allclose(arrays["received"], returned, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(arrays[f"expected {scale}"], should, rtol=1e-5, atol=1e-6)
    # the worst entry names one of these numbers at the same scale
    worst = re.search(r"worst entry: θ_(\d+) on dataset \d+ .*?: expected (\S+)(?: \(as .*?\))?, received (\S+);", out)
    component = int(worst[1])
    assert float(worst[2].rstrip(",")) == pytest.approx(should[component], rel=1e-5, abs=1e-6)
    assert float(worst[3]) == pytest.approx(returned[component], rel=1e-5, abs=1e-6)


def test_the_json_counterexample_holds_the_returned_values_and_their_scale(course_file, course_module):
    import json

    result = run_cli("check", "logistic", "--python", f"{course_file}:log_likelihood_gradient_wrong", "--json")
    example = json.loads(result.stdout)["counterexample"]
    X, y, theta = (np.asarray(example[k], dtype=float) for k in ("X", "y", "theta"))
    assert example["expected_of"] == "−m·∇J"
    np.testing.assert_allclose(example["received"], course_module.log_likelihood_gradient_wrong(X, y, theta))
    np.testing.assert_allclose(example["expected"], course_module.log_likelihood_gradient(X, y, theta))


# --- ASCII ---------------------------------------------------------------------------------------------------------

SPELLINGS = {  # the symbols the tool prints most, as --ascii spells them
    "∇J": "grad J",
    "∂J/∂θ_j": "dJ/dtheta_j",
    "σ(z)": "sigma(z)",
    "Σᵢ₌₁ᵐ": "sum_{i=1}^m",
    "x⁽ⁱ⁾": "x^(i)",
    "✓ ✗": "ok FAIL",
    "a ≥ b − c·d": "a >= b - c*d",
    "‖W1‖²": "||W1||^2",
    "y ∈ {0, 1}": "y in {0, 1}",
    "e^{±θᵀx}": "e^{+/- theta^T x}",
    "ŷ − y": "y_hat - y",
    "Φ(w)": "Phi(w)",
    "½": "1/2",
    "∂²J": "d^2 J",
}


@pytest.mark.parametrize("text", list(SPELLINGS))
def test_ascii_spells_the_notation(text):
    assert ascii_text(text) == SPELLINGS[text]


def test_every_symbol_in_the_package_has_an_ascii_spelling():
    """Every non-ASCII character of the package's source (messages, notes, printers) spells as ASCII, no "?"."""
    symbols = {c for path in PACKAGE.rglob("*.py") for c in path.read_text(encoding="utf-8") if not c.isascii()}
    unspelled = {c: unicodedata.name(c, "") for c in symbols if not _plain(ascii_text(c))}
    assert not unspelled


def _plain(text: str) -> bool:
    return text.strip() != "" and text.isascii() and "?" not in text and "\\u" not in text and "\\U" not in text


def tour() -> list[tuple[list[str], str]]:
    """Every ``$ derivation …`` command of the README, as (arguments, standard input), files as the tests hold them."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    latex = re.search(r"```latex\n(.*?)```", readme, flags=re.S).group(1)  # my_derivation.tex
    commands, last_cost = [], None
    for found in re.finditer(r"^\$ derivation (.*?)$", readme, flags=re.M):
        line, end = found[1], found.end()
        while True:  # a quoted argument over lines (the network's layers)
            try:
                args = shlex.split(line.split(" | ")[0])
                break
            except ValueError:
                following = readme[end + 1 :].split("\n", 1)[0]
                line, end = f"{line}\n{following}", end + 1 + len(following)
        if "--cost" in args:
            at = args.index("--cost") + 1
            args[at] = last_cost if "the same cost" in args[at] else args[at]
            last_cost = args[at]
        args = [
            "tests/data/seed000_compute_grad_fixed.py:compute_grad" if a == "my_grad.py:compute_grad" else a
            for a in args
        ]
        stdin = ""
        if "my_derivation.tex" in args:
            args[args.index("my_derivation.tex")], stdin = "-", latex
        commands.append((args, stdin))
    return commands


TOUR = tour()


def test_the_tour_is_read_whole():
    assert len(TOUR) >= 14 and {args[0] for args, _ in TOUR} >= {"check", "verify", "derive", "show"}


@pytest.mark.parametrize(("args", "stdin"), TOUR, ids=[" ".join(a)[:60] for a, _ in TOUR])
def test_every_tour_command_prints_pure_ascii_with_ascii(args, stdin, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    result = run_cli(*args, "--ascii")
    out = result.stdout + result.stderr
    assert result.returncode in (0, 1), out
    assert out.isascii(), sorted({c for c in out if not c.isascii()})
    assert "?" not in out or "?" in " ".join(args) + stdin, [line for line in out.splitlines() if "?" in line]


def test_a_log_likelihood_report_in_ascii(course_file):
    out = run_cli("check", "logistic", "--python", f"{course_file}:log_likelihood_gradient_wrong", "--ascii").stdout
    assert out.isascii() and "?" not in out
    assert "expected -m*grad J(theta) = [" in out and "(as -m*grad J)" in out
