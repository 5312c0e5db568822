"""`check` for the models over a weight matrix W: softmax, softmax-l2 and the multiclass SVM.

A mutation suite of NumPy functions written as users write them (CS231n's
``softmax_loss_vectorized(W, X, y, reg)``, loops over examples and classes, scikit-learn's
coef_ layout (K, n+1), one-hot Y or integer labels, with and without a penalty): every
wrong one must be judged incorrect and its injected fault named, every correct one
correct.  The confusion matrix is printed with ``-s``.  The data itself (W, one-hot Y,
K per dataset) is checked against an independent softmax (SciPy's) and the complex step.
"""

from __future__ import annotations

import collections
import functools
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from scipy.special import softmax as scipy_softmax

from derivation.check.gradient import check_gradient
from derivation.check.usersource import InputError
from derivation.core.family import CLASS_MODELS
from derivation.oracle.datasets import Evaluator, cost_gradient, make_datasets


@functools.cache
def model(name: str):
    """The model over W (until the catalog joins them: CLASS_MODELS)."""
    return CLASS_MODELS[name]()


# --- the data -----------------------------------------------------------------------------------


def test_datasets_have_w_one_hot_y_and_every_class():
    for d in make_datasets(model("softmax")):
        assert d.W.shape == (d.n + 1, d.K) and d.Y.shape == (d.m, d.K) and 2 <= d.K <= 4
        assert np.array_equal(d.Y.argmax(axis=1), d.y) and np.all(d.Y.sum(axis=1) == 1)
        assert set(d.y) == set(range(d.K)) or d.m < d.K
    assert len({d.K for d in make_datasets(model("softmax"))}) >= 3


@pytest.mark.parametrize("name", ["softmax", "softmax-l2", "svm-multiclass"])
def test_the_matrix_gradient_is_the_complex_step_gradient_of_the_matrix_cost(name):
    for d in make_datasets(model(name))[:3]:
        expected = Evaluator(d).value(model(name).matrix_gradient)
        assert np.allclose(cost_gradient(model(name).matrix_cost, d, "W"), expected, rtol=1e-12, atol=1e-14)
        if name != "svm-multiclass":  # against SciPy's softmax, written here
            penalty = d.lam / d.m * d.W if name == "softmax-l2" else 0.0
            mine = d.X.T @ (scipy_softmax(d.X @ d.W, axis=1) - d.Y) / d.m + penalty
            assert np.allclose(expected, mine, rtol=1e-12)


# --- the mutation suite -------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    model: str
    name: str
    source: str
    fault: str | None  # None: correct
    function: str | None = None  # Class.method; default: the last function defined

    def __str__(self) -> str:
        return f"{self.model}:{self.name}"


HEAD = "import numpy as np\n\n"

CS231N = """
def softmax_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    scores = X.dot(W)
    scores -= np.max(scores, axis=1, keepdims=True)
    probs = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(num_train), y])) / num_train + reg * np.sum(W * W)
    dscores = probs.copy()
    dscores[np.arange(num_train), y] -= 1
    dW = X.T.dot(dscores) / num_train
    dW += {penalty}
    return loss, dW
"""

NAIVE = """
def softmax_loss_naive(W, X, y, reg):
    dW = np.zeros_like(W)
    num_train, num_classes = X.shape[0], W.shape[1]
    loss = 0.0
    for i in range(num_train):
        scores = X[i].dot(W)
        scores -= np.max(scores)
        p = np.exp(scores) / np.sum(np.exp(scores))
        loss -= np.log(p[y[i]])
        for c in range(num_classes):
            dW[:, c] += {sign}(p[c] - (c == y[i])) * X[i]
    loss /= num_train
    loss += reg * np.sum(W * W)
    dW /= {scale}
    dW += 2 * reg * W
    return loss, dW
"""

ONE_HOT = """
def grad(W, X, Y, lam):
    m = X.shape[0]
    Z = X @ W
    {shift}
    E = np.exp(Z)
    P = E / E.sum(axis={axis}, keepdims=True)
    return {result}
"""

COEF = """
def gradient(coef, X, Y):
    m = X.shape[0]
    Z = X @ coef.T
    Z = Z - Z.max(axis=1, keepdims=True)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    return {result}
"""

SVM = """
def svm_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    scores = X.dot(W)
    correct = scores[np.arange(num_train), y][:, None]
    margins = np.maximum(0, scores - correct + {delta})
    margins[np.arange(num_train), y] = 0
    loss = margins.sum() / num_train + reg * np.sum(W * W)
    binary = (margins > 0).astype(float)
    {true_class}
    dW = {sign}X.T.dot(binary) / {scale} + 2 * reg * W
    return {result}
"""

SVM_NAIVE = """
def svm_loss_naive(W, X, y, reg):
    dW = np.zeros(W.shape)
    num_classes, num_train = W.shape[1], X.shape[0]
    loss = 0.0
    for i in range(num_train):
        scores = X[i].dot(W)
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[j] - scores[y[i]] + 1
            if margin > 0:
                loss += margin
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
    return loss / num_train + reg * np.sum(W * W), dW / num_train + 2 * reg * W
"""

ADDS_ONES = """
def softmax_grad(W, X, y):
    Xb = np.hstack([np.ones((X.shape[0], 1)), X])
    Z = Xb @ W
    Z -= Z.max(axis=1, keepdims=True)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    P[np.arange(len(y)), y] -= 1
    return Xb.T @ P / len(y)
"""

DICT = """
def loss_and_grads(W, X, Y, lambda_):
    m = len(X)
    Z = X @ W - np.max(X @ W, axis=1, keepdims=True)
    P = np.exp(Z) / np.sum(np.exp(Z), axis=1, keepdims=True)
    loss = -np.sum(Y * np.log(P)) / m + lambda_ / (2 * m) * np.sum(W ** 2)
    return {{"loss": loss, "dW": {result}}}
"""

LABEL_MIX = """
def softmax_gradient(W, X, y):
    m, K = X.shape[0], W.shape[1]
    Y = np.eye(K)[y]
    Z = X @ W - (X @ W).max(axis=1, keepdims=True)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    loss = -np.sum(Y * np.log(P)) / m
    return loss, X.T @ (P - y.reshape(-1, 1)) / m
"""

FLAT = """
def softmax_objective_grad(w, X, y, lam):
    m, K = X.shape[0], int(y.max()) + 1
    W = w.reshape(X.shape[1], K)
    Z = X @ W
    Z -= Z.max(axis=1, keepdims=True)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    P[np.arange(m), y] -= 1
    return {result}
"""

CLASSIFIER = """
class SoftmaxClassifier:
    def __init__(self, reg=0.0, lr=0.1):
        self.reg = reg
        self.lr = lr
        self.W = None

    def gradient(self, X, y):
        m = X.shape[0]
        scores = X @ self.W
        scores -= scores.max(axis=1, keepdims=True)
        P = np.exp(scores)
        P /= P.sum(axis=1, keepdims=True)
        P[np.arange(m), y] -= 1
        return X.T @ P / m + {penalty}
"""

SHIFT = "Z = Z - Z.max(axis=1, keepdims=True)"
SVM_TRUE = "binary[np.arange(num_train), y] = -binary.sum(axis=1)"


def _cases() -> list[Case]:
    c = []

    def add(name, source, fault, *, model_name="softmax", function=None):
        c.append(Case(model_name, name, HEAD + textwrap.dedent(source), fault, function))

    # correct ones
    add("cs231n", CS231N.format(penalty="2 * reg * W"), None)
    add("cs231n-reg", CS231N.format(penalty="2 * reg * W"), None, model_name="softmax-l2")
    add("naive-loops", NAIVE.format(sign="", scale="num_train"), None, model_name="softmax")
    add("one-hot-unshifted", ONE_HOT.format(shift="", axis=1, result="X.T @ (P - Y) / m"), None)
    add(
        "one-hot-l2",
        ONE_HOT.format(shift=SHIFT, axis=1, result="X.T @ (P - Y) / m + lam / m * W"),
        None,
        model_name="softmax-l2",
    )
    add("coef-layout", COEF.format(result="(P - Y).T @ X / m"), None)
    add("adds-ones", ADDS_ONES, None)
    add("dict-l2", DICT.format(result="X.T @ (P - Y) / m + lambda_ / m * W"), None, model_name="softmax-l2")
    svm = dict(delta=1, true_class=SVM_TRUE, sign="", scale="num_train", result="loss, dW")
    add("svm-cs231n", SVM.format(**svm), None, model_name="svm-multiclass")
    add("svm-naive", SVM_NAIVE, None, model_name="svm-multiclass")
    method = "SoftmaxClassifier.gradient"
    add("class-reg", CLASSIFIER.format(penalty="2 * self.reg * self.W"), None, model_name="softmax-l2", function=method)
    add("scipy-flat", FLAT.format(result="(X.T @ P / m + lam / m * W).ravel()"), None, model_name="softmax-l2")

    # wrong ones
    add("no-1/m", ONE_HOT.format(shift=SHIFT, axis=1, result="X.T @ (P - Y)"), "summed")
    add("Y-P", ONE_HOT.format(shift=SHIFT, axis=1, result="X.T @ (Y - P) / m"), "sign")
    add("transposed", ONE_HOT.format(shift=SHIFT, axis=1, result="(P - Y).T @ X / m"), "layout")
    add("coef-returns-n+1,K", COEF.format(result="X.T @ (P - Y) / m"), "layout")
    add("labels-mixed", LABEL_MIX, "labels")
    add("axis-0", ONE_HOT.format(shift=SHIFT, axis=0, result="X.T @ (P - Y) / m"), "softmax-axis")
    add("loops-no-1/m", NAIVE.format(sign="", scale="1"), "summed")
    add("loops-sign", NAIVE.format(sign="-", scale="num_train"), "sign")
    add("twice", ONE_HOT.format(shift=SHIFT, axis=1, result="2 * X.T @ (P - Y) / m"), "scale")
    add("zero", ONE_HOT.format(shift=SHIFT, axis=1, result="np.zeros_like(W)"), "zero")
    add(
        "2-lam-W",
        ONE_HOT.format(shift=SHIFT, axis=1, result="X.T @ (P - Y) / m + 2 * lam * W"),
        "penalty-scale",
        model_name="softmax-l2",
    )
    add(
        "lam-W",
        ONE_HOT.format(shift=SHIFT, axis=1, result="X.T @ (P - Y) / m + lam * W"),
        "penalty-scale",
        model_name="softmax-l2",
    )
    add("cs231n-reg-W", CS231N.format(penalty="reg * W"), "penalty-scale", model_name="softmax-l2")
    add(
        "no-penalty",
        ONE_HOT.format(shift=SHIFT, axis=1, result="X.T @ (P - Y) / m"),
        "missing-regularisation",
        model_name="softmax-l2",
    )
    bias_row = "X.T @ (P - Y) / m + lam / m * np.vstack([np.zeros((1, W.shape[1])), W[1:]])"
    add("bias-row", ONE_HOT.format(shift=SHIFT, axis=1, result=bias_row), "bias-row", model_name="softmax-l2")
    add(
        "summed-data",
        ONE_HOT.format(shift=SHIFT, axis=1, result="X.T @ (P - Y) + lam / m * W"),
        "summed",
        model_name="softmax-l2",
    )
    add(
        "Y-P-l2",
        ONE_HOT.format(shift=SHIFT, axis=1, result="X.T @ (Y - P) / m + lam / m * W"),
        "sign",
        model_name="softmax-l2",
    )
    add("dict-no-1/m", DICT.format(result="X.T @ (P - Y) + lambda_ * W"), "summed", model_name="softmax-l2")
    add("scipy-flat-no-1/m", FLAT.format(result="(X.T @ P + lam * W).ravel()"), "summed", model_name="softmax-l2")
    # no loss returned: reg·W is right for (reg/2)·ΣW² with reg = λ/m, and the verdict line says so
    add("class-no-2", CLASSIFIER.format(penalty="self.reg * self.W"), None, model_name="softmax-l2", function=method)
    add("plus-0.01", ONE_HOT.format(shift=SHIFT, axis=1, result="X.T @ (P - Y) / m + 0.01"), "unexplained")
    add("P-squared", ONE_HOT.format(shift=SHIFT, axis=1, result="X.T @ (P**2 - Y) / m"), "unexplained")
    add("svm-true-class", SVM.format(**svm | {"true_class": ""}), "svm-true-class", model_name="svm-multiclass")
    add("svm-no-delta", SVM.format(**svm | {"delta": 0}), "svm-margin", model_name="svm-multiclass")
    add("svm-no-1/m", SVM.format(**svm | {"scale": "1"}), "summed", model_name="svm-multiclass")
    add("svm-sign", SVM.format(**svm | {"sign": "-"}), "sign", model_name="svm-multiclass")
    add("svm-transposed", SVM.format(**svm | {"result": "loss, dW.T"}), "layout", model_name="svm-multiclass")
    return c


_FILES = Path(tempfile.mkdtemp(prefix="test-check-classes-"))
_REPORTS: dict[Case, object] = {}  # each function runs once (a subprocess, ~0.3 s): the suite and the others share it


def _check(case: Case, tmp_path=None):
    if case not in _REPORTS:
        path = _FILES / f"case{len(_REPORTS)}.py"
        path.write_text(case.source, encoding="utf-8")
        function = (
            case.function
            or [line.split("def ", 1)[1].split("(")[0] for line in case.source.splitlines() if "def " in line][-1]
        )
        _REPORTS[case] = check_gradient(model(case.model), python=f"{path}:{function}")
    return _REPORTS[case]


def test_the_suite_is_big_enough():
    cases = _cases()
    assert (
        sum(1 for c in cases if c.fault not in (None, "unexplained")) >= 20
        and sum(1 for c in cases if not c.fault) >= 8
    )
    assert {c.model for c in cases if c.fault} == {"softmax", "softmax-l2", "svm-multiclass"}


@pytest.mark.parametrize("model_name", ["softmax", "softmax-l2", "svm-multiclass"])
def test_mutation_suite(model_name, tmp_path):
    """One model's cases a test (each case must be judged right), so xdist spreads the 39 checks."""
    confusion: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    problems = []
    cases = [case for case in _cases() if case.model == model_name]
    assert cases
    for case in cases:
        report = _check(case, tmp_path)
        injected = case.fault or "(correct)"
        found = "(correct)" if report.status == "correct" else "unexplained"
        if report.status != "correct" and report.diagnosis is not None:
            found = report.diagnosis.fault  # "unexplained": wrong in no catalogued way, and said so
        confusion[injected][found] += 1
        if found != injected:
            problems.append(f"{case}: {report.status}, {found} — {report.reason}; {report.diagnosis}")
    wrong = sum(1 for c in cases if c.fault)
    print(f"\n{_table(confusion)}\n{wrong} wrong, {len(cases) - wrong} correct")
    assert not problems, "\n".join(problems)


def _table(confusion) -> str:
    rows = sorted(confusion, key=lambda f: (f == "(correct)", f))
    columns = sorted({found for counts in confusion.values() for found in counts}, key=lambda f: (f.startswith("("), f))
    width = max(len(r) for r in rows) + 1
    head = "injected \\ diagnosed".ljust(width) + " | " + " | ".join(columns)
    lines = [head, "-" * len(head)]
    for r in rows:
        cells = [str(confusion[r][col] or ".").rjust(len(col)) for col in columns]
        lines.append(r.ljust(width) + " | " + " | ".join(cells))
    return "\n".join(lines)


# --- what the report says -----------------------------------------------------------------------


def test_the_report_states_the_layout_and_the_labels(tmp_path):
    cases = {c.name: c for c in _cases()}
    report = _check(cases["cs231n-reg"], tmp_path)
    assert "W of shape (n+1, K); labels as integers 0..K−1" in report.convention
    assert "reg = λ/(2m)" in report.convention and "(W, X, y, reg)" in report.convention
    report = _check(cases["coef-layout"], tmp_path)
    assert "W of shape (K, n+1)" in report.convention and "one-hot" in report.convention


def test_an_unshifted_softmax_is_correct_and_its_overflow_is_reported(tmp_path):
    cases = {c.name: c for c in _cases()}
    report = _check(cases["one-hot-unshifted"], tmp_path)
    assert report.status == "correct" and any("overflow" in note for note in report.notes)
    assert not any("overflow" in note for note in _check(cases["cs231n"], tmp_path).notes)


def test_a_fixed_layout_and_a_theta_model_refusing_it(tmp_path):
    cases = {c.name: c for c in _cases()}
    path = tmp_path / "coef.py"
    path.write_text(cases["coef-layout"].source, encoding="utf-8")
    fixed = check_gradient(model("softmax"), python=f"{path}:gradient", layout="n+1,K")
    assert fixed.status != "correct"
    with pytest.raises(InputError, match="weight matrix W"):
        check_gradient("logistic", python=f"{path}:gradient", layout="K,n+1")


def test_a_cost_over_w_read_from_text_gets_its_lambda(tmp_path):
    """A cost read from text has its gradient as one FunctionMatrix (no penalty term to split): λ is passed still."""
    from derivation.derive.costs import model_from_cost

    ridge = (
        "Sum(Sum(W[k, a]**2, (k, 0, n)), (a, 0, K-1))*lam/2"
        " + Sum(Sum((Sum(W[k, a]*x[i, k], (k, 0, n)) - y[i, a])**2, (a, 0, K-1)), (i, 0, m-1))/(2*m)"
    )
    path = tmp_path / "ridge.py"
    path.write_text(HEAD + "def grad(W, X, Y, lam):\n    return X.T @ (X @ W - Y) / X.shape[0] + lam * W\n")
    report = check_gradient(model_from_cost(ridge, "W", latex=False), python=f"{path}:grad")
    assert report.status == "correct" and "grad(W, X, Y, lam)" in report.convention


# --- expressions, LaTeX and the command line ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "text", "fault"),
    [
        ("softmax", "grad", "X.T @ (P - Y) / m", None),
        ("softmax", "latex", r"\frac{1}{m} X^T (P - Y)", None),
        ("softmax-l2", "latex", r"\frac{1}{m} X^T (P - Y) + \frac{\lambda}{m} W", None),
        ("softmax-l2", "latex", r"\frac{1}{m} X^T (Y - P) + \frac{\lambda}{m} W", "sign"),
        ("softmax-l2", "grad", "X.T @ (P - Y) / m", "missing-regularisation"),
        ("softmax", "grad", "(P - Y).T @ X / m", "layout"),
        ("softmax", "grad", "X.T @ (P - Y)", "summed"),
    ],
)
def test_expressions_by_w(name, kind, text, fault):
    report = check_gradient(model(name), **{kind: text})
    assert report.status == ("correct" if fault is None else "incorrect")
    assert (report.diagnosis.fault if report.diagnosis else None) == fault


def test_cli_check_and_kernel_over_w(tmp_path):
    from tests.cli_runner import run_cli

    cases = {c.name: c for c in _cases()}
    path = tmp_path / "cs.py"
    path.write_text(cases["cs231n-reg-W"].source, encoding="utf-8")
    result = run_cli("check", "softmax-l2", "--python", f"{path}:softmax_loss_vectorized")
    assert result.returncode == 1 and "2·reg·W" in result.stdout and "W of shape (n+1, K)" in result.stdout
    result = run_cli("check", "logistic", "--python", f"{path}:softmax_loss_vectorized", "--layout", "K,n+1")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and "--layout" in result.stderr
    result = run_cli("check", "softmax", "--grad", "X @ (P - Y) / m")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    result = run_cli("kernel", "softmax", "-o", str(tmp_path / "k.py"))
    assert result.returncode == 0 and "def cost_and_grad(W, X, Y, *, examples=None)" in (tmp_path / "k.py").read_text()
