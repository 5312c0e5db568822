"""Running a user's NumPy gradient: the call inferred or given, a separate process, a time limit, clear reports."""

from __future__ import annotations

import os
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from derivation.check.gradient import CORRECT, INCORRECT, UNDECIDED, check_gradient
from derivation.check.usercode import CallError, InputError, infer_call, parse_call, run_user_function
from derivation.models import get_model
from derivation.oracle.datasets import make_datasets

DATA = Path(__file__).parent / "data"
LOGISTIC = make_datasets(get_model("logistic"))


def write(tmp_path: Path, source: str, name: str = "user.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


# --- the call -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "signature, call",
    [
        ("X, y, w", "g(X, y, theta)"),
        ("theta, X, y", "g(theta, X, y)"),
        ("params, features, labels, lam", "g(theta, X, y, lam)"),
        ("weights, data, targets, lambda_=0.0", "g(theta, X, y, lambda_=lam)"),
        ("theta, X, y, m, alpha=0.01", "g(theta, X, y, m, alpha=alpha)"),  # a step size: one step is tried
        ("theta, X, y, m, gamma=0.01", "g(theta, X, y, m)"),
        ("theta, X, y, *, reg", "g(theta, X, y, reg=lam)"),
        ("theta_, X_, y_, **kwargs", "g(theta, X, y)"),
    ],
)
def test_the_call_is_inferred_from_parameter_names(tmp_path, signature, call):
    path = write(tmp_path, f"def g({signature}):\n    return 0\n")
    assert infer_call(path, "g").text() == call


@pytest.mark.parametrize(
    "signature, match",
    [
        ("a, d, e, f", "cannot tell what to pass as 'a' of g.. in user.py.*--call"),
        ("a, c, *, e", "cannot tell what to pass as 'e' of g.. in user.py.*--call"),
        ("w, theta, X, y", "both 'w' and 'theta' of g.. look like theta"),
        ("theta, X", "has no parameter for y"),
    ],
)
def test_a_call_that_cannot_be_inferred_asks_for_call(tmp_path, signature, match):
    path = write(tmp_path, f"def g({signature}):\n    return 0\n")
    with pytest.raises(InputError, match=match):
        infer_call(path, "g")


def test_the_call_can_be_given_and_is_read_without_evaluation():
    spec = parse_call("grad(X, y, w, 0.5, reg=lam, m=m)")
    assert spec.args == (("role", "X"), ("role", "y"), ("role", "theta"), ("const", 0.5))
    assert spec.kwargs == (("reg", ("role", "lam")), ("m", ("role", "m")))
    for bad in ("grad(X, y, os.system('x'))", "grad(X, y, theta, **opts)", "__import__('os')", "grad(X, y, [1])"):
        with pytest.raises(InputError):
            parse_call(bad)
    with pytest.raises(InputError) as info:
        parse_call("grad(X, y, thta)")
    assert info.value.position == len("grad(X, y, ")


@pytest.mark.parametrize(
    "spec, match",
    [
        ("nowhere.py:grad", "no such file: nowhere.py"),
        (
            f"{DATA / 'crashes.py'}:gradient",
            r"no function 'gradient' at the top level of crashes.py \(its functions: grad\)",
        ),
        (f"{DATA / 'seed000_verbatim.py'}:compute_grad", "line 3: expected an indented block"),
        (str(DATA / "crashes.py"), "name the function"),
    ],
)
def test_unreadable_files_and_functions_are_input_errors(spec, match):
    with pytest.raises(InputError, match=match):
        run_user_function(spec, LOGISTIC)


def test_the_function_can_be_named_by_call_alone(tmp_path):
    path = write(tmp_path, "def g(a, b, c):\n    return a.T @ (a @ c - b) / a.shape[0]\n")
    report = check_gradient("linear", python=str(path), call="g(X, y, theta)")
    assert report.status == CORRECT
    with pytest.raises(InputError, match="--call calls 'h' but the function given is 'g'"):
        check_gradient("linear", python=f"{path}:g", call="h(X, y, theta)")


# --- the process ------------------------------------------------------------------------------


def test_the_user_file_runs_in_another_process_never_in_ours(tmp_path):
    marker = tmp_path / "pid"
    path = write(
        tmp_path,
        f"""
        import os
        open({str(marker)!r}, "w").write(str(os.getpid()))
        def grad(theta, X, y):
            return X.T @ (X @ theta - y) / len(y)
        """,
    )
    report = check_gradient("linear", python=f"{path}:grad")
    assert report.status == CORRECT
    assert int(marker.read_text()) != os.getpid()
    assert "user_gradient" not in sys.modules and not any("user.py" in str(m) for m in sys.modules)


def test_a_hang_is_stopped_and_reported(tmp_path):
    start = time.perf_counter()
    report = check_gradient("logistic", python=f"{DATA / 'hangs.py'}:grad", timeout=1.0)
    assert time.perf_counter() - start < 10.0  # the child is stopped at 1 s; the rest is start-up on a loaded runner
    assert report.status == UNDECIDED
    assert "timed out after 1 s while calling it on dataset 1 (m=3, n=1)" in report.reason


def test_a_hang_while_importing_is_reported(tmp_path):
    path = write(tmp_path, "import time\nclass Slow:\n    time.sleep(60)\ndef grad(theta, X, y):\n    return theta\n")
    report = check_gradient("logistic", python=f"{path}:grad", timeout=1.0)
    assert report.status == UNDECIDED and "while importing the file" in report.reason


def test_top_level_script_code_that_hangs_is_left_out(tmp_path):
    path = write(tmp_path, "import time\ntime.sleep(60)\ndef grad(theta, X, y):\n    return theta\n")
    # 3 s: a third to import the whole file, the rest for the runs; 1 s left the runs too little on a loaded runner
    report = check_gradient("logistic", python=f"{path}:grad", timeout=3.0)
    assert report.status == INCORRECT
    assert any(
        "importing the whole file did not finish in 1 s (line 2); its top-level script code was left out" in note
        for note in report.notes
    )


def test_top_level_script_code_that_fails_is_left_out_and_module_names_are_our_data(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        data = np.loadtxt("ex2data1.txt", delimiter=",")
        X, y = data[:, :2], data[:, 2]
        m = len(y)
        EPS = 1e-12
        sigmoid = lambda z: 1 / (1 + np.exp(-z))

        def gradient(theta):
            h = sigmoid(X @ theta)
            return X.T @ (h - y) / m

        print(gradient(np.zeros(3)))
        """,
    )
    report = check_gradient("logistic", python=f"{path}:gradient")
    assert report.status == CORRECT, report.reason
    assert "called as gradient(theta), the module's m, X, y set to our data" in report.convention
    assert any("importing the whole file raised FileNotFoundError" in note for note in report.notes)


@pytest.mark.parametrize(
    "source, reason",
    [
        (
            "def grad(theta, X, y):\n    return X.T @ (h - y)\n",
            "raised NameError: name 'h' is not defined (user.py line 2, in grad",
        ),
        ("def grad(theta, X, y):\n    return 'done'\n", "returned a str, not an array of numbers"),
        ("def grad(theta, X, y):\n    theta = theta * 2\n", "returned None: is a return statement missing?"),
        (
            "import sys\nclass Config:\n    sys.exit(3)\ndef grad(theta, X, y):\n    return 0\n",
            "importing the file raised SystemExit: 3",
        ),
        ("def grad(theta, X, y):\n    return 1 / 0\n", "raised ZeroDivisionError: division by zero"),
        ("import os\ndef grad(theta, X, y):\n    os._exit(9)\n", "the process running it failed (exit 9)"),
    ],
)
def test_crashes_and_garbage_are_one_line_reasons(tmp_path, source, reason):
    report = check_gradient("logistic", python=f"{write(tmp_path, source)}:grad")
    assert report.status == UNDECIDED
    assert reason in report.reason and "\n" not in report.reason


def test_the_seed_code_as_written_names_the_missing_import():
    run = run_user_function(f"{DATA / 'seed000_compute_grad.py'}:compute_grad", LOGISTIC)
    first = run.results["given-flat-binary"][0]
    assert isinstance(first, CallError)
    assert "the file imports numpy as 'numpy' but uses 'np'" in first.message


# --- shapes and conventions --------------------------------------------------------------------


def test_column_convention_and_a_cost_grad_pair_are_recognised():
    report = check_gradient("logistic", python=f"{DATA / 'correct_columns.py'}:cost_function")
    assert report.status == CORRECT
    assert any("(cost, grad) pair" in note for note in report.notes)
    assert any("θ − α·grad would broadcast" in note for note in report.notes)


def test_a_function_right_only_for_columns_is_correct_with_a_note(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        def grad(theta, X, y):
            h = 1 / (1 + np.exp(-X @ theta))
            return X.T @ (h - y.reshape(-1, 1)) / len(y)
        """,
    )
    report = check_gradient("logistic", python=f"{path}:grad")
    assert report.status == CORRECT and "θ of shape (n+1, 1)" in report.reason
    assert any("right only with column vectors" in note for note in report.notes)


def test_broadcasting_into_m_by_m_is_diagnosed(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        def grad(theta, X, y):
            h = 1 / (1 + np.exp(-X @ theta.ravel()))
            return X.T @ (h - y.reshape(-1, 1)) / len(h)
        """,
    )
    report = check_gradient("logistic", python=f"{path}:grad")
    assert report.status == INCORRECT and report.diagnosis.fault == "broadcast"
    m, n = report.counterexample["m"], report.counterexample["n"]
    assert report.counterexample["received_shape"] == [n + 1, m]


def test_in_place_changes_to_theta_are_noted(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        def grad(theta, X, y, lam):
            m = len(y)
            reg = theta
            reg[0] = 0
            return X.T @ (1 / (1 + np.exp(-X @ theta)) - y) / m + lam / m * reg
        """,
    )
    report = check_gradient("logistic-l2", python=f"{path}:grad")
    assert report.status == INCORRECT
    assert any("changes its argument theta in place" in note for note in report.notes)


def test_lambda_is_zero_for_a_model_without_a_penalty(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        def grad(theta, X, y, lam):
            reg = lam / len(y) * theta
            reg[0] = 0
            return X.T @ (1 / (1 + np.exp(-X @ theta)) - y) / len(y) + reg
        """,
    )
    assert check_gradient("logistic", python=f"{path}:grad").status == CORRECT
    assert check_gradient("logistic-l2", python=f"{path}:grad").status == CORRECT


# --- users' conventions (issue 10) -------------------------------------------------------------


def test_a_function_that_adds_its_own_ones_column_is_recognised_by_running_it(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        def grad(theta, x, y):
            X = np.c_[np.ones((x.shape[0], 1)), x]
            return X.T @ (1 / (1 + np.exp(-X @ theta)) - y) / len(y)
        """,
    )
    report = check_gradient("logistic", python=f"{path}:grad")
    assert report.status == CORRECT
    assert "without its column of ones (the function adds it)" in report.convention
    assert "called as grad(theta, X, y)" in report.convention and "labels in {0, 1}" in report.convention


def test_a_wrong_function_is_diagnosed_in_the_convention_where_it_ran(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        def grad(theta, x, y):
            X = np.hstack([np.ones((len(x), 1)), x])
            return X.T @ (y - 1 / (1 + np.exp(-X @ theta))) / len(y)
        """,
    )
    report = check_gradient("logistic", python=f"{path}:grad")
    assert report.status == INCORRECT and report.diagnosis.fault == "ascent"  # −∇J: the log-likelihood's gradient
    assert report.convention.startswith("X without its column of ones")


def test_none_for_one_shape_convention_leads_to_the_others(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        def grad(theta, X, y):
            if theta.ndim != 2:
                print("theta must be a column vector")
                return None
            return X.T @ (X @ theta - y) / len(y)
        """,
    )
    report = check_gradient("linear", python=f"{path}:grad")
    assert report.status == CORRECT and "θ (n+1, 1), y (m, 1)" in report.convention


def test_no_convention_gives_a_gradient_says_what_each_did(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        def grad(theta, X, y):
            if theta.ndim == 1:
                return None
            raise ValueError("shapes")
        """,
    )
    report = check_gradient("linear", python=f"{path}:grad")
    assert report.status == UNDECIDED and "\n" not in report.reason
    assert report.reason.startswith("could not get a gradient from it under any convention")
    assert "returned None" in report.reason and "raised ValueError: shapes" in report.reason


@pytest.mark.parametrize(
    "signature, body, returned",
    [
        ("w, b, X, y", "return dw, db", "(dw, db)"),
        ("X, y, w, b", "return db, dw", "(db, dw)"),
        ("w, b, X, y", "return float(np.mean(p)), dw, db", "(cost, dw, db)"),
        ("w, b, X, y", 'return {"dw": dw, "db": db}, 0.5', "dict"),
    ],
)
def test_weights_and_a_separate_bias_are_assembled_bias_first(tmp_path, signature, body, returned):
    path = write(
        tmp_path,
        f"""
        import numpy as np
        def grad({signature}):
            p = 1 / (1 + np.exp(-(X @ w + b)))
            dw = X.T @ (p - y) / len(y)
            db = np.mean(p - y)
            {body}
        """,
    )
    report = check_gradient("logistic", python=f"{path}:grad")
    assert report.status == CORRECT, returned
    assert "w and a separate bias b" in report.convention


def test_a_method_reads_theta_and_lambda_from_self_without_running_the_constructor(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        class Model:
            def __init__(self, n_features, C, fit_intercept=True):
                raise RuntimeError("needs data")
            def _h(self, X):
                return 1 / (1 + np.exp(-X @ self.weights))
            def gradient(self, X, y):
                reg = self.C / len(y) * self.weights
                reg[0] = 0
                return X.T @ (self._h(X) - y) / len(y) + reg
        """,
    )
    report = check_gradient("logistic-l2", python=f"{path}:Model.gradient")
    assert report.status == CORRECT
    assert "self.weights = theta, self.C = lam" in report.convention
    assert "C is read as λ, the penalty strength" in report.convention


def test_float32_results_keep_their_dtype():
    path = Path(__file__).parent / "corpus" / "numpy" / "logistic_float32.py"
    run = run_user_function(f"{path}:grad_fn", LOGISTIC)
    assert run.results["given-flat-binary"][0].dtype == np.float32


def test_labels_in_minus_one_plus_one_are_a_convention(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        def grad(w, X, y):
            return -X.T @ (y / (1 + np.exp(y * (X @ w)))) / len(y)
        """,
    )
    report = check_gradient("logistic", python=f"{path}:grad")
    assert report.status == CORRECT and "labels in {−1, +1}" in report.convention
    assert check_gradient("linear", python=f"{path}:grad").status == INCORRECT  # no labels to recode for real y


def test_a_log_likelihood_function_is_judged_as_one(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        def loglik_grad(theta, X, y):
            return X.T @ (y - 1 / (1 + np.exp(-X @ theta)))
        def grad(theta, X, y):
            return X.T @ (y - 1 / (1 + np.exp(-X @ theta)))
        """,
    )
    report = check_gradient("logistic", python=f"{path}:loglik_grad")
    assert report.status == CORRECT and any("log-likelihood" in note for note in report.notes)
    assert check_gradient("logistic", python=f"{path}:grad").status == INCORRECT


def test_unknown_class_or_method_is_an_input_error(tmp_path):
    path = write(tmp_path, "class A:\n    def g(self, X, y):\n        return self.theta\n")
    with pytest.raises(InputError, match=r"no method 'h' in class A of user\.py"):
        run_user_function(f"{path}:A.h", LOGISTIC)
    with pytest.raises(InputError, match=r"no class 'B' at the top level of user\.py"):
        run_user_function(f"{path}:B.g", LOGISTIC)


def test_notebook_lines_missing_modules_and_lambdas_are_read(tmp_path):
    path = write(
        tmp_path,
        """
        %matplotlib inline
        import numpy as np
        from google.colab import drive
        drive.mount("/content/drive")
        sigmoid = lambda z: 1 / (1 + np.exp(-z))
        grad = lambda theta, X, y: X.T @ (sigmoid(X @ theta) - y) / len(y)
        """,
    )
    report = check_gradient("logistic", python=f"{path}:grad")
    assert report.status == CORRECT, report.reason
    assert any("its top-level script code was left out" in note for note in report.notes)


def test_a_module_it_needs_but_we_lack_is_named(tmp_path):
    path = write(tmp_path, "import nosuchmodule\ndef grad(theta, X, y):\n    return nosuchmodule.g(theta)\n")
    report = check_gradient("logistic", python=f"{path}:grad")
    assert report.status == UNDECIDED and "raised NameError: name 'nosuchmodule' is not defined" in report.reason
    assert any("importing the whole file raised ModuleNotFoundError: No module named" in n for n in report.notes)


@pytest.mark.parametrize(
    "source, function",
    [
        (
            "class M:\n    def grads(self, X, y, y_pred):\n"
            "        return X.T @ (y_pred - y) / len(y), np.mean(y_pred - y) + 0 * self.bias\n",
            "M.grads",
        ),
        ("def grad(X, y, h):\n    return X.T @ (h - y) / len(y)\n", "grad"),
        ("def grad(X, y, h):\n    return X.T @ (h - y) / len(y), np.mean(h - y)\n", "grad"),
    ],
)
def test_predictions_given_as_an_argument_are_computed_from_theta(tmp_path, source, function):
    path = write(tmp_path, "import numpy as np\n" + source)
    report = check_gradient("logistic", python=f"{path}:{function}")
    assert report.status == CORRECT, report.reason
    assert "h is the model's prediction at θ" in report.convention


def test_scipy_style_star_args_get_x_and_y(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        def gradient(theta, *args):
            X, y = args
            return X.T @ (X @ theta - y) / len(y)
        """,
    )
    report = check_gradient("linear", python=f"{path}:gradient")
    assert report.status == CORRECT and "called as gradient(theta, X, y)" in report.convention


def test_a_hang_under_one_convention_only_leaves_the_others(tmp_path):
    path = write(
        tmp_path,
        """
        def grad(theta, X, y):
            while theta.ndim == 1:
                pass
            return X.T @ (X @ theta - y) / len(y)
        """,
    )
    report = check_gradient("linear", python=f"{path}:grad", timeout=4.0)
    assert report.status == CORRECT and "θ (n+1, 1), y (m, 1)" in report.convention


def test_db_before_dw_as_one_element_arrays_is_read_on_one_feature_too(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        def grad(X, y, w, b):
            err = 1 / (1 + np.exp(-(X @ w + b))) - y
            return np.sum(err, keepdims=True) / len(y), X.T @ err / len(y)
        """,
    )
    assert check_gradient("logistic", python=f"{path}:grad").status == CORRECT


def test_parameters_whose_names_say_nothing_are_matched_by_running(tmp_path):
    path = write(tmp_path, "def g(t, A, z):\n    return A.T @ (A @ t - z) / A.shape[0]\n")
    report = check_gradient("linear", python=f"{path}:g")
    assert report.status == CORRECT
    assert "called as g(theta, X, y) (its parameters t, A, z say nothing: found by running" in report.convention
    wrong = write(tmp_path, "def g(t, A, z):\n    return A.T @ (A @ t - z)\n", "wrong.py")
    report = check_gradient("linear", python=f"{wrong}:g")
    assert report.status == INCORRECT and report.diagnosis.fault == "summed"
