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


def test_fit_takes_python_lists_as_scikit_learn_does():
    import numpy as np
    from scipy.optimize import minimize

    from derivation.fit import fit

    X = [[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0], [1.0, 1.5]]
    y = [0.0, 0.0, 1.0, 1.0, 0.0]
    lam = 0.5
    got = fit("logistic-l2", X, y, lam=lam).theta
    Xa, ya = np.array(X), np.array(y)

    def cost(t):  # the catalog's logistic-l2: mean cross-entropy + (λ/2m)Σ_{j≥1} θ_j²
        z = Xa @ t
        return np.mean(np.logaddexp(0, z) - ya * z) + lam / (2 * len(ya)) * np.sum(t[1:] ** 2)

    want = minimize(cost, np.zeros(2), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14}).x
    assert np.allclose(got, want, atol=1e-5)


def test_a_primed_index_says_to_name_it_with_another_letter():
    # tester 11 (v21/v22): \sum_{k'} e^{z_{k'}} gave only 'unexpected "'"'
    import pytest

    from derivation.parsing.errors import ParseError
    from derivation.parsing.latex import parse_latex

    with pytest.raises(ParseError, match="primed index k′") as info:
        parse_latex(r"\frac{e^{z_k}}{\sum_{k'} e^{z_{k'}}}")
    assert "\n" not in str(info.value) and "another letter" in str(info.value)
