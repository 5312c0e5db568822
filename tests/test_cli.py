"""The command line as a user meets it: its output and its exit code.

Most commands run in this process (tests/cli_runner.py: the same main(), without a new interpreter each
time); what needs a real process (the installed script, standard input, a pipe that never ends) starts one.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_runner import run_cli

from derivation.core.catalog import NETWORK_ENTRIES
from derivation.models import MODELS

run = run_cli


def test_models_lists_the_catalog_one_line_each():
    out = run("models")
    assert out.returncode == 0
    lines = out.stdout.strip().splitlines()
    assert [line.split()[0] for line in lines] == [*MODELS, *NETWORK_ENTRIES]


@pytest.mark.parametrize("name", list(MODELS))
def test_show_every_model_in_json_says_every_step_verifies(name):
    out = run("show", name, "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["verified"] is True
    assert data["steps"], "no steps"
    for step in data["steps"]:
        assert step["rule"] and step["latex"] and step["text"]
        assert step["verdict"]["status"] == "holds"
    assert all(c["status"] == "holds" for c in data["checks"])


def test_show_logistic_text_ends_at_the_matrix_form():
    out = run("show", "logistic")
    assert out.returncode == 0
    assert "(1/m) Σᵢ₌₁ᵐ (h_θ(x⁽ⁱ⁾) − y⁽ⁱ⁾) x_j⁽ⁱ⁾" in out.stdout
    assert "[(1/m) Xᵀ(σ(Xθ) − y)]_j" in out.stdout
    assert "σ′ = σ(1−σ)" in out.stdout


def test_ascii_output_is_ascii():
    out = run("show", "logistic", "--ascii")
    assert out.returncode == 0
    assert out.stdout.isascii()
    assert "sigma" in out.stdout


@pytest.mark.parametrize("fmt", ["latex", "markdown"])
def test_other_formats(fmt):
    out = run("show", "linear", "--format", fmt)
    assert out.returncode == 0
    assert r"\frac" in out.stdout
    assert ("$$" in out.stdout) == (fmt == "markdown")


def test_output_file(tmp_path):
    target = tmp_path / "logistic.tex"
    out = run("show", "logistic", "--format", "latex", "--standalone", "-o", str(target))
    assert out.returncode == 0 and out.stdout == ""
    text = target.read_text()
    assert text.startswith(r"\documentclass") and r"\end{document}" in text


def test_example_form():
    out = run("show", "logistic", "--form", "example")
    assert out.returncode == 0
    assert "x_j" in out.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["show", "logstic"], "unknown model 'logstic'; the catalog has: logistic, logistic-l2, linear, sigmoid"),
        (["show", "logistic", "--format", "pdf"], "invalid choice: 'pdf'"),
        (["show", "logistic", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["show", "sigmoid", "--form", "matrix"], "has no 'matrix' form; it has: sum"),
        (["show", "logistic", "--standalone"], "--standalone goes with --format latex"),
        (["show", "logistic", "-o", "/nonexistent/dir/x.txt"], "cannot write /nonexistent/dir/x.txt"),
        (["explode"], "invalid choice: 'explode'"),
        ([], "required: COMMAND"),
    ],
)
def test_errors_are_one_line_with_exit_code_2(args, fragment):
    out = run(*args)
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert fragment in lines[0]


def test_console_script_is_installed():
    exe = shutil.which("derivation")
    if exe is None:
        pytest.skip("the console script is not on PATH: the package is not installed (pip install .)")
    out = subprocess.run([exe, "models"], capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 0 and "logistic" in out.stdout


def test_derive_any_expression():
    out = run("derive", "log(1 + exp(-y*w*x))", "--wrt", "w", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["verified"] and data["steps"][0]["rule"] == "log"


def test_derive_reads_latex():
    out = run("derive", r"\frac{1}{1+e^{-z}}", "--latex", "--wrt", "z")
    assert out.returncode == 0, out.stderr
    assert "reciprocal rule" in out.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["derive", "log(1 + exp(-y*w*x)", "--wrt", "w"], "col 3: '(' was never closed"),
        (["derive", "log(1 + exp(-y*w*x))", "--wrt", "q"], "'q' does not occur in the expression (its symbols: w, x"),
        (["derive", "__import__('os').system('echo pwned')", "--wrt", "w"], "cannot read the input"),
        (["derive", "9**9**9**9", "--wrt", "w"], "cannot read the input"),
        (["derive", "x**2", "--wrt", "x + 1"], "--wrt takes one variable"),
    ],
)
def test_derive_errors(args, fragment):
    out = run(*args, timeout=20)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and fragment in out.stderr
    assert "pwned" not in out.stdout + out.stderr


def test_show_hessian():
    out = run("show", "logistic", "--hessian")
    assert out.returncode == 0, out.stderr
    assert "diag" in out.stdout and "∂²J(θ)" in out.stdout
    bad = run("show", "sigmoid", "--hessian")
    assert bad.returncode == 2 and "has no Hessian" in bad.stderr


DATA = Path(__file__).resolve().parent / "data"


def test_check_correct_matrix_form_exits_0():
    out = run("check", "logistic", "--grad", "1/m * X.T @ (sigmoid(X @ theta) - y)")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("✓ correct")


def test_check_latex_and_json():
    latex = r"\frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)})-y^{(i)}\right)x_j^{(i)}"
    out = run("check", "logistic", "--latex", latex, "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["status"] == "correct"


@pytest.mark.parametrize(
    ("latex", "code", "fragment"),
    [
        (
            r"$$\frac{\partial J(\theta)}{\partial \theta_j} = "
            r"\frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)})-y^{(i)})x_j^{(i)}$$",
            0,
            "equation",
        ),
        (r"\theta := \theta - \frac{\alpha}{m} X^T(\sigma(X\theta) - y)", 0, "gradient-descent"),
        (r"\theta := \theta + \frac{\alpha}{m} X^T(\sigma(X\theta) - y)", 1, "incorrect"),
    ],
)
def test_check_latex_equations_and_update_rules(latex, code, fragment):
    out = run("check", "logistic", "--latex", latex)
    assert out.returncode == code, out.stdout + out.stderr
    assert fragment in out.stdout


def test_check_seed_000_compute_grad_as_written_and_fixed():
    broken = run("check", "logistic", "--python", f"{DATA / 'seed000_compute_grad.py'}:compute_grad")
    assert broken.returncode == 1
    assert "NameError" in broken.stdout and "import numpy as np" in broken.stdout
    fixed = run("check", "logistic", "--python", f"{DATA / 'seed000_compute_grad_fixed.py'}:compute_grad")
    assert fixed.returncode == 1
    assert "incorrect" in fixed.stdout and "ascent and descent swapped" in fixed.stdout
    assert "counterexample" in fixed.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["check", "logistic", "--grad", "1/m * X.T @ (sigmoid(X @ thetaa) - y)"], "unknown name 'thetaa'"),
        (["check", "logistic", "--grad", "__import__('os').system('echo pwned')"], "col"),
        (["check", "logistic", "--latex", r"\frac{1}{m} \foo"], "unknown command"),
        (
            ["check", "logistic", "--latex", r"\frac{\partial J}{\partial x} = x"],
            r"\frac{\partial J(\theta)}{\partial \theta_j}",
        ),
        (["check", "logistic", "--latex", r"\theta_j := \theta_j - \sum_{i=1}^m x_j^{(i)}"], "step size"),
        (["check", "logistic", "--latex", "a \\\\\n b = c"], "line 2, col"),
        (["check", "logistic", "--python", "nonexistent.py:grad"], "nonexistent.py"),
        (["check", "logistic"], "one of the arguments --grad --latex --python is required"),
        (["check", "nomodel", "--grad", "X"], "nomodel"),
    ],
)
def test_check_unreadable_input_exits_2(args, fragment):
    out = run(*args, timeout=30)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert len(out.stderr.strip().splitlines()) == 1 and fragment in out.stderr
    assert "Traceback" not in out.stderr and "pwned" not in out.stdout


def test_kernel_writes_an_importable_numpy_only_module(tmp_path):
    target = tmp_path / "model_grad.py"
    out = run("kernel", "logistic", "-o", str(target))
    assert out.returncode == 0, out.stderr
    code = "import model_grad, numpy as np; print(model_grad.grad(np.zeros(2), np.eye(2), np.ones(2)))"
    check = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert "-0.25" in check.stdout
    printed = run("kernel", "linear")
    assert printed.returncode == 0 and "import numpy" in printed.stdout
    assert run("kernel", "sigmoid").returncode == 2


PROOFS = DATA / "proofs"


def test_verify_seed_000_holds_and_a_broken_copy_fails_at_the_right_step(tmp_path):
    good = run("verify", str(PROOFS / "seed000_accepted_answer.md"))
    assert good.returncode == 0, good.stdout[-2000:]
    assert "✗" not in good.stdout
    broken = tmp_path / "broken.tex"
    broken.write_text(
        r"\begin{align*}\frac{d}{dz}\sigma(z) &= \frac{d}{dz}\frac{1}{1+e^{-z}} \\ &= \sigma(z)^2\end{align*}"
    )
    out = run("verify", str(broken), "--format", "json")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    failing = [s for s in data["steps"] if s["status"] == "fails"]
    assert failing and failing[0]["number"] == 2


def test_verify_reads_standard_input_and_rejects_unreadable_files():
    out = subprocess.run(
        [sys.executable, "-m", "derivation", "verify", "-"],
        input=r"$$\frac{d}{dx} x^2 = 2x$$", capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout
    missing = run("verify", "/nonexistent.tex")
    assert missing.returncode == 2 and "cannot read /nonexistent.tex" in missing.stderr
    assert run("verify", "-", "--hypothesis", "nomodel").returncode == 2


def one_line_usage_error(out: subprocess.CompletedProcess) -> str:
    """The one stderr line of a usage error (exit 2, no traceback), for further asserts."""
    assert out.returncode == 2, (out.stdout[-500:], out.stderr[-2000:])
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    return lines[0]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "0", "-5", "0.01", "3601", "ten"])
def test_a_timeout_out_of_its_bounds_is_a_usage_error_naming_them(value, tmp_path):
    # before: nan → ValueError traceback, inf/1e300 → OverflowError, 0/-5 ran and said "timed out after -5 s"
    grad = tmp_path / "g.py"
    grad.write_text("def grad(theta, X, y):\n    return X.T @ (X @ theta - y) / len(y)\n")
    line = one_line_usage_error(run("check", "logistic", "--python", f"{grad}:grad", f"--timeout={value}"))
    assert "--timeout" in line and "from 0.1 to 3600" in line and "--timeout 30" in line


def test_a_timeout_within_its_bounds_is_used(tmp_path):
    grad = tmp_path / "g.py"
    grad.write_text("import time\ndef grad(theta, X, y):\n    time.sleep(30)\n")
    out = run("check", "logistic", "--python", f"{grad}:grad", "--timeout", "0.5", timeout=30)
    assert out.returncode == 1 and "timed out after 0.5 s" in out.stdout  # undecided


def run_verify_on(source: str, stdin=None, process: bool = True) -> tuple[subprocess.CompletedProcess, float]:
    """``derivation verify SOURCE`` and how long it took: in a process of its own with a hard 20 s cap, or in this one.

    An input that never ends (a device, a pipe) is read by a process of its own: were the size limit broken, it
    would fill that process's memory, not the test runner's.  A finite file is read in this process (no second
    interpreter to start and import SymPy).
    """
    start = time.monotonic()
    if not process:
        return run("verify", source), time.monotonic() - start
    out = subprocess.run(
        [sys.executable, "-m", "derivation", "verify", source],
        stdin=stdin, capture_output=True, timeout=20, check=False,
    )  # fmt: skip
    out.stdout, out.stderr = out.stdout.decode("utf-8", "replace"), out.stderr.decode("utf-8", "replace")
    return out, time.monotonic() - start


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_verify_reads_at_most_the_size_limit_of_an_endless_file(device):
    # before: /dev/zero grew to 3 GB in 10 s, /dev/urandom to 1.8 GB
    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    out, seconds = run_verify_on(device)
    assert f"{device} is larger than 100000 bytes" in one_line_usage_error(out)
    assert seconds < 10


def test_verify_reads_at_most_the_size_limit_of_an_endless_standard_input():
    # before: `yes | derivation verify -` never ended
    yes = subprocess.Popen([sys.executable, "-c", "import sys\nwhile True: sys.stdout.write('y\\n')"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        out, _ = run_verify_on("-", stdin=yes.stdout)
    finally:
        yes.kill()
        yes.wait()
    assert "standard input is larger than 100000 bytes" in one_line_usage_error(out)


def test_verify_refuses_a_large_file_before_checking_any_step(tmp_path):
    # before: a 1 MB file of valid chains took 28 s
    chain = "$$\\frac{d}{dz}\\sigma(z) = \\sigma(z)(1-\\sigma(z))$$\n\n"
    big = tmp_path / "big.md"
    big.write_text(chain * (1_000_000 // len(chain)))
    out, seconds = run_verify_on(str(big), process=False)
    assert "split it into smaller files" in one_line_usage_error(out)
    assert seconds < 5


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"$$a = b$$\0\0", "not text (a NUL byte at byte 10)"),
        (b"$$a = \xff b$$", "not UTF-8 text (byte 7 is 0xff): save it as UTF-8"),
        (b"\x89PNG\r\n\x1a\n", "not UTF-8 text (byte 1 is 0x89)"),
    ],
)
def test_verify_refuses_a_file_that_is_not_text(content, said, tmp_path):
    # before: NUL bytes were read as text; invalid UTF-8 said only "not UTF-8 text"
    doc = tmp_path / "doc.tex"
    doc.write_bytes(content)
    assert said in one_line_usage_error(run_verify_on(str(doc), process=False)[0])


def test_verify_reads_windows_line_endings_as_before(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_bytes(b"$$\\frac{d}{dx} x^2 = 2x$$\r\n\r\n$$\\frac{d}{dx} x^3 = 3x^2$$\r\n")
    out, _ = run_verify_on(str(doc), process=False)
    assert out.returncode == 0, out.stdout


# --- the two-layer network (issue 13): show, kernel and check from the command line ---------------------------

MLP_CASES = Path(__file__).parent / "mlp_cases"


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_show_mlp_verifies_every_backprop_step(activation):
    out = run("show", "mlp", "--activation", activation, "--l2", "half", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["verified"] and all(step["verdict"]["status"] == "holds" for step in data["steps"])
    assert any("δ" in step["text"] for step in data["steps"])


def test_kernel_mlp_writes_a_module_with_forward_and_backward(tmp_path):
    target = tmp_path / "mlp_kernel.py"
    assert run("kernel", "mlp", "--output-layer", "sigmoid", "-o", str(target)).returncode == 0
    source = target.read_text()
    assert "def value_and_grad" in source and "def backward" in source and "import numpy as np" in source


def test_check_mlp_accepts_a_right_backprop_and_names_a_transpose():
    right = run("check", "mlp", "--python", f"{MLP_CASES / 'cs231n_class.py'}:TwoLayerNet.loss")
    assert right.returncode == 0 and "CORRECT" in right.stdout
    wrong = run("check", "mlp", "--python", f"{MLP_CASES / 'cs231n_class.py'}:NetW2Transposed.loss")
    assert wrong.returncode == 1 and "transpose" in wrong.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["check", "logistic", "--grad", "X.T @ y", "--activation", "relu"], "--activation goes with"),
        (["check", "mlp", "--grad", "X.T @ y"], "takes your backprop as --python"),
        (["show", "mlp", "--hessian"], "mlp takes no --cost, --solve, --hessian or --form"),
        (["check", "softmax", "--python", "f.py:g", "--layout", "row"], "--layout row|column goes with mlp"),
    ],
)
def test_network_options_are_usage_errors_elsewhere(args, fragment):
    out = run(*args)
    assert out.returncode == 2 and fragment in out.stderr


def test_verify_takes_a_name_the_text_uses_as_a_declaration(tmp_path):
    text = (Path(__file__).parent / "backprop_derivations" / "numbered_nodes.md").read_text(encoding="utf-8")
    undefined = tmp_path / "nodes.md"
    undefined.write_text("\n".join(line for line in text.splitlines() if not line.startswith("$$O_1 =")))
    declared = run("verify", str(undefined), "--define", r"O_1 = \sigma(w_1 x_1 + w_2 x_2)")
    assert declared.returncode == 0, declared.stdout
    bad = run("verify", str(undefined), "--define", "O_1 = ")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_a_reader_that_stops_early_gets_no_traceback():
    """`derivation models | head -1`: the reader closes the pipe (here before the first line is written)."""
    import subprocess

    proc = subprocess.Popen(
        [sys.executable, "-m", "derivation", "models"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()
    assert proc.returncode == 0
