"""The θ family of the catalog (issue 12): each model is its cost as written plus closed forms written by hand.

Each model: `show` (every step verified, the result equal to the closed forms, sympy.diff and finite
differences), `--hessian`, a kernel (finite and right at Xθ = ±40), `check` of a right and a wrong
gradient, and, where one exists, an independent implementation (scikit-learn) at its optimum.
"""

from __future__ import annotations

import numpy as np
import pytest
from derived import derived, derived_hessian

from derivation.check.gradient import check_gradient
from derivation.cli import main
from derivation.core.catalog import CATALOG, NETWORK_ENTRIES
from derivation.kernels.runtime import kernel
from derivation.models import get_model
from derivation.models.costs import read_cost, zero_based
from derivation.oracle.datasets import Evaluator, make_datasets

FAMILY = [
    "logistic-sum",
    "logistic-l2-all",
    "logistic-pm1",
    "linear-mean",
    "ridge",
    "poisson",
    "sigmoid-squared",
    "hinge",
    "probit",
    "huber",
    "lasso",
    "elastic-net",
]
KINKED = {"hinge", "huber", "lasso", "elastic-net"}  # a kink: no Hessian in the catalog
SMOOTH = [name for name in FAMILY if name not in KINKED]
# The engine's vectorise step reads neither φ/Φ nor sign(θ_j) yet: show ends in sum form
SUM_FORM_ONLY = {"probit", "lasso", "elastic-net"}
LAM = 0.7


def _textbook(name: str, theta, X, y, lam: float = LAM):  # noqa: N803 - X as in the formulas
    """Cost, gradient and Hessian written out in NumPy from the textbook, independently of the package."""
    m, z = len(y), X @ theta
    s = 1 / (1 + np.exp(-z))
    if name.startswith("logistic") and name != "logistic-pm1":
        scale = 1.0 if name == "logistic-sum" else 1 / m
        cost = scale * np.sum(np.logaddexp(0.0, z) - y * z)  # −[y log σ + (1−y) log(1−σ)], exact at |z| = 40
        grad, hess = scale * X.T @ (s - y), scale * (X.T * (s * (1 - s))) @ X
        if name == "logistic-l2-all":
            cost += lam / (2 * m) * theta @ theta
            grad, hess = grad + lam / m * theta, hess + lam / m * np.eye(len(theta))
        return cost, grad, hess
    if name == "logistic-pm1":
        u = y * z
        w = 1 / (1 + np.exp(u))
        return np.mean(np.log1p(np.exp(-u))), -X.T @ (y * w) / m, (X.T * (w * (1 - w))) @ X / m
    if name in ("linear-mean", "ridge"):
        r = z - y
        if name == "linear-mean":
            return r @ r / m, 2 * X.T @ r / m, 2 * X.T @ X / m
        mask = np.r_[0.0, np.ones(len(theta) - 1)]
        cost = r @ r / (2 * m) + lam / (2 * m) * (mask * theta) @ theta
        return cost, X.T @ r / m + lam / m * mask * theta, X.T @ X / m + np.diag(lam / m * mask)
    if name == "poisson":
        mu = np.exp(z)
        return np.mean(mu - y * z), X.T @ (mu - y) / m, (X.T * mu) @ X / m
    if name == "probit":
        stats = pytest.importorskip("scipy.stats")
        a, b = np.exp(stats.norm.logpdf(z) - stats.norm.logcdf(z)), np.exp(stats.norm.logpdf(z) - stats.norm.logsf(z))
        cost = -np.mean(y * stats.norm.logcdf(z) + (1 - y) * stats.norm.logsf(z))
        w = y * a * (a + z) + (1 - y) * b * (b - z)
        return cost, -X.T @ (y * a - (1 - y) * b) / m, (X.T * w) @ X / m
    if name in ("lasso", "elastic-net"):
        mask, r = np.r_[0.0, np.ones(len(theta) - 1)], z - y
        l1, l2 = (lam, 0.0) if name == "lasso" else (lam / 2, lam / 2)
        cost = r @ r / (2 * m) + l1 * np.abs(mask * theta).sum() + l2 / 2 * (mask * theta) @ theta
        return cost, X.T @ r / m + l1 * mask * np.sign(theta) + l2 * mask * theta, None
    if name == "huber":
        r = z - y
        return np.mean(np.where(np.abs(r) <= 1, r**2 / 2, np.abs(r) - 0.5)), X.T @ np.clip(r, -1, 1) / m, None
    if name == "hinge":
        mask, active = np.r_[0.0, np.ones(len(theta) - 1)], (y * z < 1).astype(float)
        cost = np.mean(np.maximum(0.0, 1 - y * z)) + lam / (2 * m) * (mask * theta) @ theta
        return cost, -X.T @ (y * active) / m + lam / m * mask * theta, None
    r = s - y  # sigmoid-squared
    w = s * (1 - s) * (s * (1 - s) + r * (1 - 2 * s))
    return r @ r / (2 * m), X.T @ (r * s * (1 - s)) / m, (X.T * w) @ X / m


def _data(name: str, m: int = 40, p: int = 4, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(m), rng.standard_normal((m, p - 1))])
    labels = get_model(name).labels
    y = {
        "01": (rng.random(m) < 0.5).astype(float),
        "pm1": np.where(rng.random(m) < 0.5, -1.0, 1.0),
        "counts": rng.poisson(2.0, m).astype(float),
    }.get(labels, rng.standard_normal(m))
    return 0.5 * rng.standard_normal(p), X, y


def test_models_lists_every_model_on_one_line(capsys):
    assert main(["models"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(CATALOG) + len(NETWORK_ENTRIES)
    for name in FAMILY:
        assert sum(line.split()[0] == name for line in lines) == 1


@pytest.mark.parametrize("name", FAMILY)
def test_show_and_hessian_are_verified_against_the_hand_written_forms(name):
    # Each case derives its own model (a module fixture deriving all of them ran again on every xdist worker)
    gradient, hessian = derived(name), derived_hessian(name) if name in SMOOTH else None
    assert gradient.verified and (gradient.steps[-1].rule == "vectorise") == (name not in SUM_FORM_ONLY)
    checks = {c.name for c in gradient.checks}
    assert {"closed form", "closed form (matrix)", "sympy.diff of the cost", "finite differences of the cost"} <= checks
    if hessian is None:
        assert main(["show", name, "--hessian"]) == 2
        return
    assert hessian.verified
    assert {"closed form (matrix)", "sympy.diff of the cost, twice"} <= {c.name for c in hessian.checks}


@pytest.mark.parametrize("name", FAMILY)
def test_closed_forms_are_the_textbook_ones_and_the_kernel_agrees(name):
    model, k = get_model(name), kernel(name)
    kw = {"lam": LAM} if model.parameters else {}
    theta, X, y = _data(name)
    cost, grad, hess = _textbook(name, theta, X, y)
    assert k.cost(theta, X, y, **kw) == pytest.approx(cost, rel=1e-12)
    np.testing.assert_allclose(k.grad(theta, X, y, **kw), grad, rtol=1e-11, atol=1e-14)
    if hess is not None:
        np.testing.assert_allclose(k.hessian(theta, X, y, **kw), hess, rtol=1e-11, atol=1e-14)
    d = make_datasets(model, seed=1)[3]  # the symbolic closed forms themselves, on the checker's data
    ev = Evaluator(d)
    cost, grad, hess = _textbook(name, d.theta, d.X, d.y, d.lam)
    assert float(ev.value(model.matrix_cost).reshape(-1)[0]) == pytest.approx(cost, rel=1e-12)
    np.testing.assert_allclose(ev.value(model.matrix_gradient).reshape(-1), grad, rtol=1e-11, atol=1e-14)
    if hess is not None:
        np.testing.assert_allclose(ev.value(model.matrix_hessian), hess, rtol=1e-11, atol=1e-14)


@pytest.mark.parametrize("name", FAMILY)
def test_kernel_is_finite_and_right_at_z_40(name):
    model, k = get_model(name), kernel(name)
    kw = {"lam": LAM} if model.parameters else {}
    X = np.array([[1.0, 40.0], [1.0, -40.0], [1.0, 0.5]])
    y = {"01": [1.0, 0.0, 1.0], "pm1": [-1.0, 1.0, 1.0], "counts": [3.0, 0.0, 1.0]}.get(model.labels, [2.0, -1.0, 0])
    y = np.array(y)
    for theta in (np.array([0.0, 1.0]), np.array([0.0, -1.0])):
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            value, grad = k.value_and_grad(theta, X, y, **kw)
            hess = k.hessian(theta, X, y, **kw) if model.matrix_hessian is not None else np.zeros(1)
        assert np.isfinite(value) and np.isfinite(grad).all() and np.isfinite(hess).all()
        cost, want, _ = _textbook(name, theta, X, y)  # |z| = 40: the direct formulas are still exact enough
        assert value == pytest.approx(cost, rel=1e-9, abs=1e-12)
        np.testing.assert_allclose(grad, want, rtol=1e-9, atol=1e-12)


RIGHT_AND_WRONG = {
    "logistic-sum": ("X.T @ (sigmoid(X @ theta) - y)", "X.T @ (sigmoid(X @ theta) - y) / m"),
    "logistic-l2-all": (
        "X.T @ (sigmoid(X @ theta) - y) / m + lam / m * theta",
        "X.T @ (sigmoid(X @ theta) - y) / m",
    ),
    "logistic-pm1": ("-X.T @ (y * sigmoid(-y * (X @ theta))) / m", "X.T @ (y * sigmoid(-y * (X @ theta))) / m"),
    "linear-mean": ("2 / m * X.T @ (X @ theta - y)", "1 / m * X.T @ (X @ theta - y)"),
    "ridge": ("X.T @ (X @ theta - y) / m + lam / m * (theta - e0 * theta[0])", "X.T @ (X @ theta - y) / m"),
    "poisson": ("X.T @ (exp(X @ theta) - y) / m", "X.T @ (exp(X @ theta) + y) / m"),
    "sigmoid-squared": (
        "X.T @ ((sigmoid(X @ theta) - y) * sigmoid(X @ theta) * (1 - sigmoid(X @ theta))) / m",
        "X.T @ (sigmoid(X @ theta) - y) / m",
    ),
    "probit": (
        "-X.T @ (y * phi(X @ theta) / Phi(X @ theta) - (1 - y) * phi(X @ theta) / (1 - Phi(X @ theta))) / m",
        "-X.T @ (y * phi(X @ theta) / Phi(X @ theta) + (1 - y) * phi(X @ theta) / (1 - Phi(X @ theta))) / m",
    ),
    # sign(u) is written 2·step(u) − 1: the Python reader has no sign yet, and θ_j ≠ 0 on the sampled data
    "lasso": ("X.T @ (X @ theta - y) / m + lam * (2*step(theta) - 1) * (1 - e0)", "X.T @ (X @ theta - y) / m"),
    "elastic-net": (
        "X.T @ (X @ theta - y) / m + lam/2 * (2*step(theta) - 1 + theta) * (1 - e0)",
        "X.T @ (X @ theta - y) / m + lam/2 * (2*step(theta) - 1 + theta)",
    ),
    "huber": (
        "X.T @ ((X @ theta - y) - relu(abs(X @ theta - y) - 1) * (2*step(X @ theta - y) - 1)) / m",
        "X.T @ (X @ theta - y) / m",
    ),
    "hinge": (
        "-X.T @ (y * step(1 - y * (X @ theta))) / m + lam / m * (theta - e0 * theta[0])",
        "-X.T @ (y * step(1 - y * (X @ theta))) / m + lam / m * theta",
    ),
}


@pytest.mark.parametrize("name", FAMILY)
def test_check_accepts_the_right_gradient_and_rejects_a_wrong_one(name):
    right, wrong = RIGHT_AND_WRONG[name]
    assert check_gradient(name, grad=right).status == "correct"
    assert check_gradient(name, grad=wrong).status == "incorrect"


@pytest.mark.parametrize("name", ["logistic", "logistic-l2", "linear"])
def test_the_hand_built_models_are_the_cost_their_catalog_text_writes(name):
    model = get_model(name)
    written = zero_based(read_cost(CATALOG[name].cost))
    built = zero_based(model.form("sum").cost.replace(lambda e: hasattr(e, "definition"), lambda e: e.definition()))
    for d in make_datasets(model, seed=2):
        assert float(Evaluator(d).value(written)) == pytest.approx(float(Evaluator(d).value(built)), rel=1e-12)


# --- independent implementations at their optimum: our gradient there is ≈ 0 ---------------------------


def _sklearn_data(seed: int = 0, m: int = 200):
    rng = np.random.default_rng(seed)
    features = rng.standard_normal((m, 3))
    return features, np.column_stack([np.ones(m), features]), rng


def test_logistic_sum_and_pm1_vanish_at_scikit_learns_optimum():
    linear_model = pytest.importorskip("sklearn.linear_model")
    features, X, rng = _sklearn_data(1)
    y = (rng.random(len(X)) < 1 / (1 + np.exp(-(features @ [1.0, -2.0, 0.5])))).astype(float)
    fit = linear_model.LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(features, y)
    theta = np.r_[fit.intercept_, fit.coef_.ravel()]
    assert np.abs(kernel("logistic-sum").grad(theta, X, y)).max() < 1e-5 * len(y)
    assert np.abs(kernel("logistic-pm1").grad(theta, X, 2 * y - 1)).max() < 1e-5


def test_ridge_vanishes_at_scikit_learns_optimum():
    linear_model = pytest.importorskip("sklearn.linear_model")
    features, X, rng = _sklearn_data(2)
    y = features @ [1.0, -2.0, 0.5] + 0.3 + 0.1 * rng.standard_normal(len(X))
    fit = linear_model.Ridge(alpha=LAM, tol=1e-12).fit(features, y)  # ‖y − Xw − b‖² + α‖w‖², b free
    theta = np.r_[fit.intercept_, fit.coef_]
    assert np.abs(kernel("ridge").grad(theta, X, y, lam=LAM)).max() < 1e-9


def test_linear_mean_vanishes_at_the_least_squares_solution():
    linear_model = pytest.importorskip("sklearn.linear_model")
    features, X, rng = _sklearn_data(7)
    y = features @ [1.0, 2.0, -1.0] + rng.standard_normal(len(X))
    fit = linear_model.LinearRegression().fit(features, y)
    assert np.abs(kernel("linear-mean").grad(np.r_[fit.intercept_, fit.coef_], X, y)).max() < 1e-10


def test_poisson_vanishes_at_scikit_learns_optimum():
    linear_model = pytest.importorskip("sklearn.linear_model")
    features, X, rng = _sklearn_data(3)
    y = rng.poisson(np.exp(features @ [0.3, -0.2, 0.1] + 0.5)).astype(float)
    fit = linear_model.PoissonRegressor(alpha=0.0, tol=1e-12, max_iter=10_000).fit(features, y)
    theta = np.r_[fit.intercept_, fit.coef_]
    assert np.abs(kernel("poisson").grad(theta, X, y)).max() < 1e-6


def test_probit_vanishes_at_scipys_optimum():
    stats, optimize = pytest.importorskip("scipy.stats"), pytest.importorskip("scipy.optimize")
    features, X, rng = _sklearn_data(4)
    y = (rng.random(len(X)) < stats.norm.cdf(features @ [0.8, -0.5, 0.3] + 0.2)).astype(float)

    def nll(theta):  # written with SciPy's log Φ, nothing of ours
        z = X @ theta
        return -np.mean(y * stats.norm.logcdf(z) + (1 - y) * stats.norm.logsf(z))

    theta = optimize.minimize(
        nll, np.zeros(4), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20_000}
    ).x
    assert np.abs(kernel("probit").grad(theta, X, y)).max() < 1e-5


def test_lasso_and_elastic_net_vanish_at_scikit_learns_optimum():
    linear_model = pytest.importorskip("sklearn.linear_model")
    features, X, rng = _sklearn_data(5)
    y = features @ [2.0, -3.0, 1.5] + 0.4 + 0.1 * rng.standard_normal(len(X))  # no weight is driven to 0
    for name, fit in (
        ("lasso", linear_model.Lasso(alpha=0.1, tol=1e-14, max_iter=100_000)),  # (1/2m)‖r‖² + α‖w‖₁
        ("elastic-net", linear_model.ElasticNet(alpha=0.1, l1_ratio=0.5, tol=1e-14, max_iter=100_000)),
    ):
        fit.fit(features, y)
        theta = np.r_[fit.intercept_, fit.coef_]
        assert (fit.coef_ != 0).all()
        assert np.abs(kernel(name).grad(theta, X, y, lam=0.1)).max() < 1e-8


def test_huber_vanishes_at_scipys_optimum():
    special, optimize = pytest.importorskip("scipy.special"), pytest.importorskip("scipy.optimize")
    features, X, rng = _sklearn_data(6)
    y = features @ [1.0, -1.0, 0.5] + rng.standard_t(2, len(X))  # heavy tails: both pieces of H are used
    theta = optimize.minimize(
        lambda t: np.mean(special.huber(1.0, X @ t - y)), np.zeros(4), method="BFGS", options={"gtol": 1e-12}
    ).x
    assert np.abs(kernel("huber").grad(theta, X, y)).max() < 1e-6


def test_sigmoid_squared_hessian_shows_it_is_not_convex():
    theta, X = np.array([0.0, 4.0]), np.array([[1.0, 1.0], [1.0, -1.0]])
    hessian = kernel("sigmoid-squared").hessian(theta, X, np.array([0.0, 1.0]))  # both examples on the wrong side
    assert np.linalg.eigvalsh(hessian).min() < 0


MUTANTS = {  # how a right gradient is broken → the faults that name it
    "scale": (lambda g: f"2 * ({g})", {"scale"}),
    "sign": (lambda g: f"-({g})", {"sign", "ascent"}),  # −∇J of a likelihood is its ascent direction
    "summed": (lambda g: f"({g}) * m", {"summed"}),
    "transposed": (lambda g: f"({g}).T", {"transposed"}),
}


def test_mutants_of_every_new_model_are_rejected_and_named():
    """48 mutants (4 per model): no false accept, and each named by the fault that made it."""
    named, total = 0, 0
    for name, (right, _) in RIGHT_AND_WRONG.items():
        for kind, (mutate, faults) in MUTANTS.items():
            mutant = mutate(right) if not (name == "logistic-sum" and kind == "summed") else f"({right}) / m"
            report = check_gradient(name, grad=mutant)
            assert report.status == "incorrect", (name, kind)
            expected = {"scale"} if name == "logistic-sum" and kind == "summed" else faults  # 1/m of a sum
            named += report.diagnosis is not None and report.diagnosis.fault in expected
            total += 1
    assert total == 4 * len(RIGHT_AND_WRONG) and named == total


HAND_PROOFS = {  # derivations written by hand, and a slip in their last step
    "linear-mean": (
        r"""$$
\frac{\partial J}{\partial \theta_j}
= \frac{1}{m}\sum_{i=1}^m 2\left(\theta^T x^{(i)} - y^{(i)}\right)\frac{\partial}{\partial
  \theta_j}\left(\theta^T x^{(i)} - y^{(i)}\right)
= \frac{2}{m}\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right) x_j^{(i)}
$$
""",
        (r"= \frac{2}{m}\sum", r"= \frac{1}{m}\sum"),
    ),
    "logistic-pm1": (
        r"""$$
\frac{\partial J}{\partial \theta_j}
= \frac{1}{m}\sum_{i=1}^m \frac{1}{1+e^{-y^{(i)}\theta^T x^{(i)}}}\, e^{-y^{(i)}\theta^T x^{(i)}}
  \left(-y^{(i)} x_j^{(i)}\right)
= -\frac{1}{m}\sum_{i=1}^m y^{(i)} x_j^{(i)}\, \sigma\left(-y^{(i)}\theta^T x^{(i)}\right)
$$
""",
        (r"= -\frac{1}{m}\sum", r"= \frac{1}{m}\sum"),
    ),
    "ridge": (
        r"""$$
\frac{\partial J}{\partial \theta_j}
= \frac{1}{m}\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right) x_j^{(i)} +
  \frac{\lambda}{2m}\frac{\partial}{\partial \theta_j}\sum_{k=1}^n \theta_k^2
= \frac{1}{m}\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right) x_j^{(i)} +
  \frac{\lambda}{m}\theta_j \quad (j \ge 1)
$$
""",
        (r"\frac{\lambda}{m}\theta_j", r"\frac{\lambda}{2m}\theta_j"),
    ),
    "sigmoid-squared": (
        r"""$$
\frac{\partial J}{\partial \theta_j}
= \frac{1}{m}\sum_{i=1}^m \left(\sigma(\theta^T x^{(i)}) - y^{(i)}\right)\frac{\partial}{\partial
  \theta_j}\sigma(\theta^T x^{(i)})
= \frac{1}{m}\sum_{i=1}^m \left(\sigma(\theta^T x^{(i)}) - y^{(i)}\right)\sigma(\theta^T
  x^{(i)})\left(1-\sigma(\theta^T x^{(i)})\right) x_j^{(i)}
$$
""",
        (r"\left(1-\sigma(\theta^T x^{(i)})\right) x_j", r"x_j"),
    ),
}


@pytest.mark.parametrize("name", list(HAND_PROOFS))
def test_verify_a_hand_written_derivation_and_catch_a_slip(capsys, tmp_path, name):
    text, (right, slip) = HAND_PROOFS[name]
    assert text.count(right) == 1
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(text, encoding="utf-8")
    bad.write_text(text.replace(right, slip), encoding="utf-8")
    assert main(["verify", str(good), "--hypothesis", name]) == 0
    assert main(["verify", str(bad), "--hypothesis", name]) == 1
    assert "First wrong step: step 2" in capsys.readouterr().out


LOGLIK_GRADIENTS = """
import numpy as np

def ascent(theta, X, y):
    return X.T @ (y - 1 / (1 + np.exp(-X @ theta)))

def descent(theta, X, y):
    return X.T @ (1 / (1 + np.exp(-X @ theta)) - y)
"""


def test_the_log_likelihood_model_is_climbed_and_a_descent_gradient_is_named(tmp_path, capsys):
    source = tmp_path / "loglik.py"
    source.write_text(LOGLIK_GRADIENTS, encoding="utf-8")
    assert main(["check", "logistic-loglik", "--python", f"{source}:ascent"]) == 0
    capsys.readouterr()
    assert main(["check", "logistic-loglik", "--python", f"{source}:descent"]) == 1
    out = capsys.readouterr().out
    assert "ascent and descent swapped" in out and "negative log-likelihood −ℓ" in out
    # the same function is right for the summed cost J = −ℓ, whose ascent direction the first one is
    assert main(["check", "logistic-sum", "--python", f"{source}:descent"]) == 0


def test_hinge_cost_is_scikit_learns_hinge_loss():
    metrics = pytest.importorskip("sklearn.metrics")
    features, X, rng = _sklearn_data(8)
    y = np.where(features @ np.array([1.0, -2.0, 0.5]) + 0.3 * rng.standard_normal(len(X)) > 0, 1.0, -1.0)
    hinge = kernel("hinge")
    for theta in rng.standard_normal((5, X.shape[1])):
        penalty = 0.5 / (2 * len(X)) * np.sum(theta[1:] ** 2)  # (λ/2m)Σ_{j≥1}θ_j², λ = 0.5
        assert np.isclose(hinge.cost(theta, X, y, lam=0.5) - penalty, metrics.hinge_loss(y, X @ theta), rtol=1e-12)
    # (liblinear's LinearSVC penalises its intercept, so its optimum is not this model's: the gradient is checked
    # against finite differences away from the kink instead, in test_kernel_is_finite_and_right_at_z_40)
