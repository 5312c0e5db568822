"""The input bounds as a user meets them: one line that names the bound and what to write instead."""

from __future__ import annotations

import subprocess
import sys

import pytest
from cli_runner import run_cli

from derivation.parsing import ParseError, parse_latex, read_expr
from derivation.parsing.bounds import MAX_DEPTH, MAX_TERMS
from derivation.userinput import MAX_FILE_BYTES, UnreadableInputError, decode_text, read_user_text

UNDECODABLE = b"w + \xff".decode("utf-8", "surrogateescape")  # what Python makes of a non-UTF-8 argument


@pytest.mark.parametrize("reader", [read_expr, parse_latex])
def test_an_undecodable_argument_is_not_valid_text(reader):
    # before: "input too deeply nested or too complex"
    with pytest.raises(ParseError) as error:
        reader(UNDECODABLE)
    assert "not valid text (a byte that is not UTF-8)" in str(error.value)
    assert error.value.position == 4  # where the byte is


def test_a_nul_character_is_not_valid_text():
    with pytest.raises(ParseError, match="not valid text \\(a NUL character\\)"):
        read_expr("w\0 + 1", allow_new_symbols=True)


@pytest.mark.parametrize(("op", "kind"), [("+", "sum"), ("-", "sum"), ("*", "product")])
def test_a_long_flat_sum_or_product_counts_its_terms(op, kind):
    # before: a flat sum of 199 terms said "expression nested too deeply (limit 200)"
    with pytest.raises(ParseError) as error:
        read_expr(op.join(["w"] * 199), allow_new_symbols=True)
    message = str(error.value)
    assert f"too many terms in one {kind} (199 > {MAX_TERMS})" in message
    assert "nested" not in message and "group them in brackets" in message


def test_the_longest_flat_sum_allowed_reads():
    assert read_expr("+".join(f"w{i}" for i in range(MAX_TERMS)), allow_new_symbols=True).is_Add


def test_terms_grouped_as_the_message_says_read():
    half = MAX_TERMS // 2
    groups = ["(" + "+".join(f"w{i}" for i in range(start, start + half)) + ")" for start in range(0, 199, half)]
    assert read_expr(" + ".join(groups), allow_new_symbols=True).is_Add


def test_real_nesting_is_still_said_to_be_nesting():
    with pytest.raises(ParseError, match=f"nested too deeply \\(limit {MAX_DEPTH}\\)"):
        read_expr("sigmoid(" * MAX_DEPTH + "w" + ")" * MAX_DEPTH, allow_new_symbols=True)
    brackets = "(" * 150 + "w" + ")" * 150
    assert read_expr(brackets, allow_new_symbols=True).is_Symbol  # brackets alone add no level


def test_a_document_at_the_size_limit_reads_and_one_byte_more_does_not(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_bytes(b"x" * MAX_FILE_BYTES)
    assert len(read_user_text(str(doc))) == MAX_FILE_BYTES
    doc.write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(UnreadableInputError, match=f"larger than {MAX_FILE_BYTES} bytes"):
        read_user_text(str(doc))


def test_text_checks_name_the_byte():
    with pytest.raises(UnreadableInputError, match="a NUL byte at byte 2"):
        decode_text(b"a\0", "f.md")
    with pytest.raises(UnreadableInputError, match="byte 3 is 0xc3"):
        decode_text(b"ab\xc3(", "f.md")
    assert decode_text("θ := θ − α∇J\r\n".encode(), "f.md") == "θ := θ − α∇J\n"


def test_an_undecodable_argument_on_the_command_line_is_one_line_exit_2():
    # before: "cannot read the input: col 0: input too deeply nested or too complex"
    out = subprocess.run(
        [sys.executable, "-m", "derivation", "derive", b"w + \xff", "--wrt", "w"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "not valid text" in out.stderr and "Traceback" not in out.stderr


def _check_python(target: str, *extra: str) -> subprocess.CompletedProcess:
    return run_cli("check", "linear", "--python", target, *extra)


def test_a_python_file_is_read_with_a_size_limit_and_only_as_text(tmp_path):
    endless = _check_python("/dev/zero:grad")
    assert endless.returncode == 2 and "larger than 1000000 bytes" in endless.stderr
    binary = tmp_path / "g.py"
    binary.write_bytes(b"def grad(theta, X, y):\n    return theta\0\n")
    refused = _check_python(f"{binary}:grad")
    assert refused.returncode == 2 and "NUL byte" in refused.stderr and "\n" not in refused.stderr.strip()


def test_a_complex_gradient_is_called_complex(tmp_path):
    path = tmp_path / "g.py"
    path.write_text("def grad(theta, X, y):\n    return X.T @ (X @ theta - y) / len(y) + 0j\n")
    out = _check_python(f"{path}:grad")
    assert out.returncode == 1 and "a complex array" in out.stdout


def test_isolate_runs_the_function_and_says_how(tmp_path):
    path = tmp_path / "g.py"
    path.write_text("def grad(theta, X, y):\n    return X.T @ (X @ theta - y) / len(y)\n")
    out = _check_python(f"{path}:grad", "--isolate")
    assert out.returncode == 0, out.stdout + out.stderr
