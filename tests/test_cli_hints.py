"""Usage slips users make between commands, answered in one line that says what to write (exit code 2)."""

from derivation.cli import main


def test_check_python_flag_after_cost_names_cost_python(capsys):
    # show and verify read a Python --cost with the flag --python; check's --python is the user's FILE:FUNCTION
    code = main(["check", "--cost", "np.mean((X @ theta - y)**2)", "--python", "--grad", "X.T @ (X @ theta - y)"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1
    assert "--cost-python" in err and "FILE:FUNCTION" in err


def test_other_missing_arguments_keep_their_own_words(capsys):
    code = main(["check", "logistic", "--grad"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert "--grad" in err and "--cost-python" not in err
