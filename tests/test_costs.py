"""A cost you write is a model: read, labels inferred, derived, vectorised, checked, compiled (issue 12)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from derivation.check.gradient import check_gradient
from derivation.cli import main
from derivation.derive.api import derive_hessian, derive_model
from derivation.derive.costs import model_from_cost
from derivation.kernels.runtime import kernel_source
from derivation.models.costs import CostError, read_cost
from derivation.oracle.datasets import Evaluator, make_datasets

PM1 = r"\frac{1}{m}\sum_{i=1}^m \log(1+e^{-y^{(i)}\theta^T x^{(i)}})"
POISSON = r"\frac{1}{m}\sum_{i=1}^m (e^{\theta^T x^{(i)}} - y^{(i)}\theta^T x^{(i)})"
POISSON_PY = "Sum(exp(Sum(theta[k]*x[i,k], (k, 0, n))) - y[i]*Sum(theta[k]*x[i,k], (k, 0, n)), (i, 0, m-1))/m"
QUARTIC = r"\frac{1}{m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^4"  # no matrix form: checked in sum form
CROSS_ENTROPY = (
    r"-\frac{1}{m}\sum_{i=1}^m [y^{(i)}\log\sigma(\theta^T x^{(i)}) + (1-y^{(i)})\log(1-\sigma(\theta^T x^{(i)}))]"
)
RIDGE = r"\frac{1}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2 + \frac{\lambda}{2m}\sum_{j=1}^n \theta_j^2"


@pytest.fixture(scope="module")
def models():
    return {
        "pm1": model_from_cost(PM1),
        "poisson": model_from_cost(POISSON),
        "quartic": model_from_cost(QUARTIC),
        "ridge": model_from_cost(RIDGE),
    }


def _numpy_gradient(name: str, d) -> np.ndarray:
    """The gradients written by hand in NumPy, independently of the engine."""
    X, y, t, m = d.X, d.y, d.theta, d.m
    z = X @ t
    if name == "pm1":
        return -X.T @ (y / (1 + np.exp(y * z))) / m
    if name == "poisson":
        return X.T @ (np.exp(z) - y) / m
    if name == "quartic":
        return 4 * X.T @ (z - y) ** 3 / m
    mask = np.ones_like(t)
    mask[0] = 0
    return X.T @ (z - y) / m + d.lam / m * mask * t


@pytest.mark.parametrize("name", ["pm1", "poisson", "quartic", "ridge"])
def test_model_gradient_is_the_hand_written_one(models, name):
    model = models[name]
    for d in make_datasets(model, seed=3):
        got = np.asarray(Evaluator(d).value(model.matrix_gradient)).reshape(-1)
        assert np.allclose(got, _numpy_gradient(name, d), rtol=1e-10)


def test_matrix_forms_where_the_engine_reaches_them(models):
    assert models["pm1"].vectorised and models["poisson"].vectorised and models["ridge"].vectorised
    assert str(models["poisson"].matrix_gradient) == "1/m*X.T*(Lambda(u, exp(u)).(X*theta) - y)"
    assert not models["quartic"].vectorised  # (θᵀx − y)³ has no matrix counterpart: the sum form is used


def test_labels_inferred_and_overridable(models):
    assert models["pm1"].labels == "pm1" and "{−1, +1}" in models["pm1"].labels_note
    assert models["poisson"].labels == "counts"
    assert models["quartic"].labels == "real"
    assert model_from_cost(CROSS_ENTROPY).labels == "01"
    assert set(make_datasets(models["pm1"])[0].y) == {-1.0, 1.0}
    counts = np.concatenate([d.y for d in make_datasets(models["poisson"])])
    assert (counts >= 0).all() and (counts == counts.round()).all()
    chosen = model_from_cost(PM1, labels="real")
    assert chosen.labels == "real" and "as asked" in chosen.labels_note


def test_python_syntax_reads_the_same_cost(models):
    model = model_from_cost(POISSON_PY, latex=False)
    assert model.form("sum").cost == models["poisson"].form("sum").cost


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (r"\sum_{i=1}^m \theta_j x_j^{(i)}", "free j"),
        (r"\theta^T x^{(i)}", "free i"),
        (r"\sum_{i=1}^m \alpha y^{(i)}", "unknown name(s) alpha"),
        (r"\sum_{i=1}^m y^{(i)}", "does not depend on θ"),
        (r"h_\theta(x)", r"write h_θ out"),
        (r"\frac{1}{m}\sum_{i=1}^m (", "cannot read the cost"),
    ],
)
def test_unreadable_costs_say_why(text, words):
    with pytest.raises(CostError, match=words.replace("(", r"\(").replace(")", r"\)")):
        read_cost(text)


def test_derivation_is_checked_by_oracles_that_share_nothing_with_the_engine(models):
    derivation = derive_model(models["poisson"])
    assert derivation.verified and derivation.steps[-1].rule == "vectorise"
    names = [c.name for c in derivation.checks]
    assert names == ["sympy.diff of the cost", "finite differences of the cost"]


def test_hessian_of_a_cost_is_checked_by_sympy_twice_and_finite_differences(models):
    hessian = derive_hessian(models["poisson"])
    assert hessian.verified and str(hessian.result) == "(1/m*X.T*DiagMatrix(Lambda(u, exp(u)).(X*theta))*X)[j, l]"
    assert [c.name for c in hessian.checks] == ["sympy.diff of the cost, twice", "finite differences of the gradient"]


def test_check_accepts_a_right_gradient_and_names_a_wrong_one(models):
    right = check_gradient(models["poisson"], grad="X.T @ (exp(X @ theta) - y) / m")
    summed = check_gradient(models["poisson"], grad="X.T @ (exp(X @ theta) - y)")
    assert right.status == "correct"
    assert any(note.startswith("data sampled with counts") for note in right.notes)  # the report says which labels
    assert summed.status == "incorrect" and summed.diagnosis.fault == "summed"
    assert "e^(θᵀx⁽ⁱ⁾)" in summed.diagnosis.explanation  # the summed cost is this cost's, not least squares'
    tex = r"\frac{4}{m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^3 x_j^{(i)}"
    assert check_gradient(models["quartic"], latex=tex).status == "correct"
    assert check_gradient(models["quartic"], latex=tex.replace("{4}", "{2}")).status == "incorrect"


def test_kernel_is_stable_at_large_margins(models, tmp_path):
    path = tmp_path / "pm1_kernel.py"
    path.write_text(kernel_source(models["pm1"]), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("pm1_kernel", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    X, y = np.array([[1.0, 40.0], [1.0, -40.0]]), np.array([1.0, -1.0])
    for theta in ([0.0, 1.0], [0.0, -1.0], [0.0, 30.0], [0.0, -30.0]):  # margins yθᵀx = ±40, ±1200
        value, grad = module.value_and_grad(np.array(theta), X, y)
        assert np.isfinite(value) and np.isfinite(grad).all()
        margins = y * (X @ np.array(theta))
        assert value == pytest.approx(np.mean(np.logaddexp(0.0, -margins)), rel=1e-12, abs=1e-300)
        expected = -X.T @ (y * np.exp(-np.logaddexp(0.0, margins))) / 2  # σ(−margin), computed stably
        assert np.allclose(grad, expected, rtol=1e-12, atol=1e-300)


def test_cli_show_check_kernel(capsys, tmp_path):
    assert main(["show", "--cost", POISSON, "--format", "json"]) == 0
    assert main(["show", "--cost", POISSON, "--wrt", "theta[j]", "--format", "json"]) == 0  # as derive spells it
    assert '"verified": true' in capsys.readouterr().out
    assert main(["check", "--cost", POISSON, "--grad", "X.T @ (exp(X @ theta) - y) / m"]) == 0
    assert main(["check", "--cost", POISSON, "--grad", "X.T @ (exp(X @ theta) + y) / m"]) == 1
    capsys.readouterr()
    out = tmp_path / "k.py"
    assert main(["kernel", "--cost", POISSON_PY, "--python", "-o", str(out)]) == 0
    assert "def value_and_grad(" in out.read_text(encoding="utf-8")


def test_cli_check_runs_a_users_function_against_the_cost(capsys, tmp_path):
    source = tmp_path / "poisson_grad.py"
    source.write_text(
        "import numpy as np\n\n"
        "def grad(theta, X, y):\n    return X.T @ (np.exp(X @ theta) - y) / len(y)\n\n"
        "def summed(theta, X, y):\n    return X.T @ (np.exp(X @ theta) - y)\n",
        encoding="utf-8",
    )
    assert main(["check", "--cost", POISSON_PY, "--cost-python", "--python", f"{source}:grad"]) == 0
    assert main(["check", "--cost", POISSON, "--python", f"{source}:summed"]) == 1
    assert "summed instead of averaged" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("fmt", "mark"), [("latex", r"\begin{align*}"), ("markdown", "### Your cost"), ("json", '"verified": true')]
)
def test_cli_show_cost_in_every_format(capsys, fmt, mark):
    assert main(["show", "--cost", PM1, "--format", fmt]) == 0
    assert mark in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["show", "--cost", r"\sum_{i=1}^m \alpha"], "unknown name(s) alpha"),
        (["show", "logistic", "--cost", PM1], "not both"),
        (["show"], "give a MODEL"),
        (["show", "linear", "--labels", "01"], "go with --cost"),
        (["kernel", "--cost", QUARTIC], "no matrix form"),
        (["show", "--cost", PM1, "--wrt", "W"], "--wrt theta"),
        (["show", "--cost", PM1.replace("i=1", "i=0")], "the sum over i runs from 0 to m"),
        (["show", "--python", "--cost", "Sum(y[i]*theta[0], (i, 0, m))"], "the sum over i runs from 0 to m:"),
        (["show", "--cost", r"\sum_{i=1}^{m}" + r"\exp(" * 30 + r"\theta_0" + ")" * 30], "nested too deeply"),
    ],
)
def test_cli_usage_errors_are_one_line(capsys, argv, words):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err


POISSON_PROOF = r"""$$
\frac{\partial J}{\partial \theta_j}
= \frac{1}{m}\sum_{i=1}^m \frac{\partial}{\partial \theta_j}\left(e^{\theta^T x^{(i)}} - y^{(i)}\theta^T x^{(i)}\right)
= \frac{1}{m}\sum_{i=1}^m \left(e^{\theta^T x^{(i)}} - y^{(i)}\right) x_j^{(i)}
$$
"""


def test_cli_verify_takes_the_cost_as_the_hypothesis(capsys, tmp_path):
    right, wrong = tmp_path / "right.md", tmp_path / "wrong.md"
    right.write_text(POISSON_PROOF, encoding="utf-8")
    wrong.write_text(POISSON_PROOF.replace(r"- y^{(i)}\right) x_j", r"+ y^{(i)}\right) x_j"), encoding="utf-8")
    assert main(["verify", str(right), "--cost", POISSON]) == 0
    assert "(model your cost)" in capsys.readouterr().out
    assert main(["verify", str(wrong), "--cost", POISSON]) == 1
    assert "First wrong step: step 2" in capsys.readouterr().out


# --- costs beyond the catalog: each read, derived step by step and verified, its gradient = finite differences ---

_T = "Sum(theta[k]*x[i, k], (k, 0, n))"


def _tex(text: str) -> str:
    """LaTeX with @ standing for θᵀx⁽ⁱ⁾."""
    return text.replace("@", r"\theta^T x^{(i)}")


BEYOND = {  # name: (cost, LaTeX?, labels inferred)
    "log-cosh": (f"Sum(logcosh({_T} - y[i]), (i, 0, m-1))/m", False, "real"),
    "focal, γ = 2": (
        _tex(
            r"-\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}(1-\sigma(@))^2\log\sigma(@)"
            r" + (1-y^{(i)})\sigma(@)^2\log(1-\sigma(@))\right]"
        ),
        True,
        "01",
    ),
    "weighted cross-entropy": (
        _tex(r"-\frac{1}{m}\sum_{i=1}^m \left[3y^{(i)}\log\sigma(@) + (1-y^{(i)})\log(1-\sigma(@))\right]"),
        True,
        "01",
    ),
    "quantile, τ = 0.3": (f"Sum(3/10*relu(y[i] - {_T}) + 7/10*relu({_T} - y[i]), (i, 0, m-1))/m", False, "real"),
    "Gamma GLM, log link": (_tex(r"\frac{1}{m}\sum_{i=1}^m \left(y^{(i)}e^{-@} + @\right)"), True, "counts"),
    "probit": (f"-Sum(y[i]*log(Phi({_T})) + (1 - y[i])*log(1 - Phi({_T})), (i, 0, m-1))/m", False, "01"),
    "Cauchy": (_tex(r"\frac{1}{m}\sum_{i=1}^m \log\left(1 + (@ - y^{(i)})^2\right)"), True, "real"),
    "squared hinge": (f"Sum(relu(1 - y[i]*{_T})**2, (i, 0, m-1))/m", False, "pm1"),
    "pseudo-Huber": (_tex(r"\frac{1}{m}\sum_{i=1}^m \left(\sqrt{1 + (@ - y^{(i)})^2} - 1\right)"), True, "real"),
    "exponential (AdaBoost)": (_tex(r"\frac{1}{m}\sum_{i=1}^m e^{-y^{(i)}@}"), True, "pm1"),
    "least absolute deviations": (f"Sum(abs({_T} - y[i]), (i, 0, m-1))/m", False, "real"),
    "tanh regression": (f"Sum((tanh({_T}) - y[i])**2, (i, 0, m-1))/(2*m)", False, "real"),
    "lasso": (f"Sum(({_T} - y[i])**2, (i, 0, m-1))/(2*m) + lam*Sum(abs(theta[k]), (k, 1, n))", False, "real"),
    "elastic net": (
        f"Sum(({_T} - y[i])**2, (i, 0, m-1))/(2*m) + lam*Sum(abs(theta[k]), (k, 1, n))"
        " + lam/2*Sum(theta[k]**2, (k, 1, n))",
        False,
        "real",
    ),
    "softplus regression": (f"Sum((softplus({_T}) - y[i])**2, (i, 0, m-1))/(2*m)", False, "real"),
    "log-likelihood (ascent)": (
        _tex(r"\sum_{i=1}^m \left[y^{(i)}\log\sigma(@) + (1-y^{(i)})\log(1-\sigma(@))\right]"),
        True,
        "01",
    ),
    "cubic regression": (_tex(r"\frac{1}{m}\sum_{i=1}^m \left((@)^3 - y^{(i)}\right)^2"), True, "real"),
    "Gaussian negative log-likelihood, σ² = 4": (
        _tex(r"\frac{1}{m}\sum_{i=1}^m \left[\frac{1}{2}\log(8\pi) + \frac{(y^{(i)} - @)^2}{8}\right]"),
        True,
        "real",
    ),
    "binary GLM, complementary log-log link": (
        _tex(r"-\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}\log\left(1 - e^{-e^{@}}\right) - (1-y^{(i)})e^{@}\right]"),
        True,
        "01",
    ),
}


@pytest.mark.parametrize("name", list(BEYOND))
def test_a_cost_beyond_the_catalog_is_derived_and_verified(name):
    text, latex, labels = BEYOND[name]
    model = model_from_cost(text, latex=latex)  # its gradient is used only once it equals finite differences
    assert model.labels == labels
    derivation = derive_model(model)
    assert derivation.verified
    assert [c.name for c in derivation.checks][-1] == "finite differences of the cost"


# --- costs over a weight matrix W ((n+1) × K classes), written as users write them ----------------------------

SOFTMAX_TEX = (
    r"-\frac{1}{m}\sum_{i=1}^m \sum_{k=1}^K y_k^{(i)} \log \frac{e^{w_k^T x^{(i)}}}{\sum_{c=1}^K e^{w_c^T x^{(i)}}}"
)
SOFTMAX_GRAD = """
import numpy as np

def grad(W, X, Y):
    Z = X @ W
    Z -= Z.max(axis=1, keepdims=True)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    return X.T @ (P - Y) / X.shape[0]
"""


def test_a_softmax_cost_in_latex_is_derived_over_w_and_checks_a_users_gradient(tmp_path, capsys):
    model = model_from_cost(SOFTMAX_TEX, "W")
    assert model.labels == "onehot" and str(model.form().variable) == "W[j, c]"
    derivation = derive_model(model)
    assert derivation.verified
    assert [c.name for c in derivation.checks][-1] == "finite differences of the cost"
    right, wrong = tmp_path / "right.py", tmp_path / "wrong.py"
    right.write_text(SOFTMAX_GRAD, encoding="utf-8")
    wrong.write_text(SOFTMAX_GRAD.replace("(P - Y)", "(Y - P)"), encoding="utf-8")
    assert main(["check", "--cost", SOFTMAX_TEX, "--wrt", "W", "--python", f"{right}:grad"]) == 0
    assert main(["check", "--cost", SOFTMAX_TEX, "--wrt", "W", "--python", f"{wrong}:grad"]) == 1
    assert "sign flipped" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("Sum(Sum(W[k, a]**2, (k, 0, n)), (a, 0, K-1))*lam/2"
         " + Sum(Sum((Sum(W[k, a]*x[i, k], (k, 0, n)) - y[i, a])**2, (a, 0, K-1)), (i, 0, m-1))/(2*m)", False),
        (r"\frac{1}{m}\sum_{i=1}^m \sum_{k=1}^K (1 - y_k^{(i)}) \log\left(1 + e^{w_k^T x^{(i)}}\right)", True),
    ],
    ids=["multi-output ridge", "one-vs-rest logistic"],
)  # fmt: skip
def test_other_costs_over_w_are_verified_against_finite_differences(text, latex):
    derivation = derive_model(model_from_cost(text, "W", latex=latex))
    assert derivation.verified


def test_the_parameter_a_cost_is_over_must_match_wrt():
    with pytest.raises(CostError, match="function of the weight matrix W: write --wrt W"):
        model_from_cost(SOFTMAX_TEX, "theta")


def test_a_cost_in_matrix_form_is_the_model_of_the_same_cost_by_index():
    """The matrix form is read into the index form: labels, forms and matrix gradient are those of the sum."""
    matrix = model_from_cost(r"J(\theta) = \frac{1}{m}\mathbf{1}^T\log(1 + e^{-y \odot X\theta})")
    by_index = model_from_cost(PM1)
    assert matrix.form("sum").cost == by_index.form("sum").cost
    assert matrix.labels == by_index.labels == "pm1"
    assert matrix.matrix_gradient == by_index.matrix_gradient


@pytest.mark.parametrize(
    ("written", "as_theta"),
    [
        (  # d2l/Wikipedia: w with no b holds the bias too, n examples indexed by i
            r"\mathcal{L}(\mathbf{w}) = \frac{1}{n}\sum_{i=1}^{n}\left(y_i - \mathbf{w}^\top\mathbf{x}_i\right)^2",
            r"\frac{1}{m}\sum_{i=1}^{m}(y^{(i)} - \theta^T x^{(i)})^2",
        ),
        (
            r"\sum_{i=1}^{m}\log\left(1 + \exp(-y_i \mathbf{w}^T\mathbf{x}_i)\right)",
            r"\sum_{i=1}^{m}\log(1 + e^{-y^{(i)} \theta^T x^{(i)}})",
        ),
        (  # the matrix form with bold w (was 'a matrix times a number after it')
            r"\frac{1}{2}\|\mathbf{y} - \mathbf{X}\mathbf{w}\|_2^2 + \frac{\lambda}{2}\|\mathbf{w}\|_2^2",
            r"\frac{1}{2}\|y - X\theta\|_2^2 + \frac{\lambda}{2}\|\theta\|_2^2",
        ),
    ],
)
def test_a_cost_in_w_without_b_is_the_cost_in_theta(written, as_theta):
    assert read_cost(written) == read_cost(as_theta)


def test_numpy_cost_in_w_without_b_is_the_cost_in_theta():
    ours = read_cost("np.sum(np.log(1 + np.exp(-y * (X @ w)))) / len(y)", latex=False)
    assert ours == read_cost("np.sum(np.log(1 + np.exp(-y * (X @ theta)))) / len(y)", latex=False)
