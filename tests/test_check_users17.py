r"""``check`` (session 28, tester 12): a NumPy (or Octave) gradient that is right only on small data, or only on its
first call, is ✗; labels ±1 read from (1+y)/2 and 2y − 1.

The model's datasets have m ≤ 7, so a gradient of the first 16 rows (a mini-batch) or a loop capped at 10 rows was
right on every one, and a gradient that caches σ(Xθ) keyed by X.shape was right because each dataset has its own
shape: all three got ✓ (tester 12's m42, m43, m37).  The function is now also called on a dataset of m = 257 and, in
the same process, twice on the same X with a new θ.

Truth: central differences (tests/central.py) of the cost transcribed in NumPy, on the counterexample the tool
prints and on data of our own; never the tool's own numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from data_setup import user_module

from derivation.check.gradient import check_gradient


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _logistic(x, y):
    return lambda t: float(-np.mean(y * np.log(_sigmoid(x @ t)) + (1 - y) * np.log(1 - _sigmoid(x @ t))))


def _linear(x, y):
    return lambda t: float(np.sum((x @ t - y) ** 2) / (2 * len(y)))


COST = {"logistic": _logistic, "linear": _linear}

CODE = """import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


_cache = {}


def cached(theta, X, y):
    key = X.shape
    if key not in _cache:
        _cache[key] = sigmoid(X @ theta)  # stale for a new theta
    return X.T @ (_cache[key] - y) / len(y)


def first_batch(theta, X, y, batch_size=16):
    Xb, yb = X[:batch_size], y[:batch_size]
    return Xb.T @ (sigmoid(Xb @ theta) - yb) / len(yb)


_by_id = {}


def id_cache(theta, X, y):  # review 10's P03: σ(Xθ) kept under id(X), stale for a new θ on the same X
    if id(X) not in _by_id:
        _by_id[id(X)] = sigmoid(X @ theta)
    return X.T @ (_by_id[id(X)] - y) / len(y)


def minibatch_100(theta, X, y):  # tester 13's n22: the first 100 rows, divided by all m
    m = len(y)
    Xb, yb = X[:100], y[:100]
    return Xb.T @ (sigmoid(Xb @ theta) - yb) / m


def capped(X, y, theta, max_rows=10):
    m = X.shape[0]
    g = np.zeros_like(theta, dtype=float)
    for i in range(min(m, max_rows)):
        g += (X[i] @ theta - y[i]) * X[i]
    return g / m


def full(theta, X, y):
    return X.T @ (sigmoid(X @ theta) - y) / len(y)


def loop_all(X, y, theta):
    g = np.zeros_like(theta, dtype=float)
    for i in range(X.shape[0]):
        g += (X[i] @ theta - y[i]) * X[i]
    return g / X.shape[0]


_seen = {}


def honest_cache(theta, X, y):  # cached on the inputs themselves: never stale
    key = (X.tobytes(), theta.tobytes(), y.tobytes())
    if key not in _seen:
        _seen[key] = X.T @ (sigmoid(X @ theta) - y) / len(y)
    return _seen[key]
"""


@pytest.fixture(scope="module")
def code(tmp_path_factory):
    return user_module(tmp_path_factory.mktemp("users17"), "grads.py", CODE)


def _own_data(m: int, n: int = 3, labels: bool = True, seed: int = 17):
    rng = np.random.default_rng(seed)
    X = np.hstack([np.ones((m, 1)), rng.normal(size=(m, n))])
    y = rng.integers(0, 2, m).astype(float) if labels else rng.normal(size=m)
    return X, y, rng.normal(size=n + 1)


def _call(namespace, name, x, y, t):
    f = namespace[name]
    return f(x, y, t) if name in ("capped", "loop_all") else f(t, x, y)


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("first_batch", "logistic"),
        ("capped", "linear"),
        ("cached", "logistic"),
        ("minibatch_100", "logistic"),
        ("id_cache", "logistic"),
    ],
)
def test_right_on_small_data_only_is_wrong(code, name, model):
    path, namespace = code
    # the oracle: right on m = 7, wrong on m = 150 (or on a second θ at the same shape), by central differences
    X, y, t = _own_data(7, labels=model == "logistic")
    namespace["_cache"].clear()
    namespace["_by_id"].clear()
    assert np.allclose(_call(namespace, name, X, y, t), central_differences(COST[model](X, y), t), atol=1e-7)
    if name in ("cached", "id_cache"):
        t2 = t + 0.5
        assert not np.allclose(_call(namespace, name, X, y, t2), central_differences(COST[model](X, y), t2), atol=1e-4)
    else:
        X, y, t = _own_data(150, labels=model == "logistic")
        assert not np.allclose(_call(namespace, name, X, y, t), central_differences(COST[model](X, y), t), atol=1e-4)
    report = check_gradient(model, python=f"{path}:{name}")
    assert report.status == "incorrect", report.reason
    # the counterexample it prints: expected is ∇J there, received is not
    example = report.counterexample
    X, y, t = (np.array(example[k], dtype=float) for k in ("X", "y", "theta"))
    truth = central_differences(COST[model](X, y), t)
    assert np.allclose(example["expected"], truth, atol=1e-6)
    assert not np.allclose(example["received"], truth, atol=1e-4)
    if name in ("cached", "id_cache"):
        assert "the second call, with a new θ" in report.reason
    else:
        assert "m = 257" in report.reason and "first rows" in report.reason


@pytest.mark.parametrize(
    ("name", "model"), [("full", "logistic"), ("loop_all", "linear"), ("honest_cache", "logistic")]
)
def test_right_on_all_data_stays_right(code, name, model):
    path, namespace = code
    for m in (3, 40):
        X, y, t = _own_data(m, labels=model == "logistic")
        assert np.allclose(_call(namespace, name, X, y, t), central_differences(COST[model](X, y), t), atol=1e-6)
    report = check_gradient(model, python=f"{path}:{name}")
    assert report.status == "correct", report.reason
    assert "m = 257" in report.method


def test_octave_loop_capped_is_wrong(tmp_path):
    (tmp_path / "grad.m").write_text(
        "function g = grad(theta, X, y)\n"
        "  m = length(y);\n"
        "  g = zeros(size(theta));\n"
        "  for i = 1:min(m, 10)\n"
        "    g = g + (X(i,:) * theta - y(i)) * X(i,:)';\n"
        "  end\n"
        "  g = g / m;\n"
        "end\n",
        encoding="utf-8",
    )
    report = check_gradient("linear", python=f"{tmp_path / 'grad.m'}:grad")
    assert report.status == "incorrect", report.reason
    example = report.counterexample
    X, y, t = (np.array(example[k], dtype=float) for k in ("X", "y", "theta"))
    assert X.shape[0] > 10
    truth = central_differences(_linear(X, y), t)
    assert np.allclose(example["expected"], truth, atol=1e-6)
    assert not np.allclose(example["received"], truth, atol=1e-4)


# --- labels made of y: (1 ± y)/2 means y = ±1, 2y − 1 means y ∈ {0, 1} (tester 12's c67, c72) ---------------------

CE_PM1 = (
    r"J(\theta) = -\frac{1}{m}\sum_{i=1}^{m}\left[\frac{1+y^{(i)}}{2}\log\sigma(\theta^T x^{(i)}) + "
    r"\frac{1-y^{(i)}}{2}\log(1-\sigma(\theta^T x^{(i)}))\right]"
)
LOG_2Y = r"J(\theta) = \frac{1}{m}\sum_{i=1}^{m}\log\left(1 + e^{-(2y^{(i)}-1)\theta^T x^{(i)}}\right)"
DJ = r"\frac{\partial J}{\partial \theta_j} = "
PM1_GRAD = DJ + r"-\frac{1}{m}\sum_{i=1}^{m} y^{(i)}\sigma(-y^{(i)}\theta^T x^{(i)})x_j^{(i)}"
ZO_GRAD = DJ + r"\frac{1}{m}\sum_{i=1}^{m}\left(\sigma(\theta^T x^{(i)}) - y^{(i)}\right)x_j^{(i)}"
ASCENT = DJ + r"\frac{1}{m}\sum_{i=1}^{m}\left(y^{(i)} - \sigma(\theta^T x^{(i)})\right)x_j^{(i)}"


def _ce_pm1(x, y):
    return lambda t: float(-np.mean((1 + y) / 2 * np.log(_sigmoid(x @ t)) + (1 - y) / 2 * np.log(1 - _sigmoid(x @ t))))


def _log_2y(x, y):
    return lambda t: float(np.mean(np.log(1 + np.exp(-(2 * y - 1) * (x @ t)))))


def _pm1_grad(x, y, t):
    return -(x.T @ (y * _sigmoid(-y * (x @ t)))) / len(y)


def _zo_grad(x, y, t):
    return x.T @ (_sigmoid(x @ t) - y) / len(y)


@pytest.mark.parametrize(
    ("cost", "oracle", "labels", "gradient", "formula", "expected"),
    [
        (CE_PM1, _ce_pm1, (-1.0, 1.0), PM1_GRAD, _pm1_grad, 0),
        (CE_PM1, _ce_pm1, (-1.0, 1.0), ZO_GRAD, _zo_grad, 1),
        (LOG_2Y, _log_2y, (0.0, 1.0), ZO_GRAD, _zo_grad, 0),
        (LOG_2Y, _log_2y, (0.0, 1.0), ASCENT, lambda x, y, t: -_zo_grad(x, y, t), 1),
    ],
)
def test_labels_made_of_y(cost, oracle, labels, gradient, formula, expected):
    from cli_runner import run_cli

    rng = np.random.default_rng(67)
    x = np.hstack([np.ones((9, 1)), rng.normal(size=(9, 2))])
    y = rng.choice(labels, 9)
    y[:2] = labels  # both labels present
    t = rng.normal(size=3)
    holds = np.allclose(formula(x, y, t), central_differences(oracle(x, y), t), atol=1e-7)
    assert holds == (expected == 0)  # the oracle's verdict, on labels of the kind the cost is written for
    done = run_cli("check", "--cost", cost, "--latex", gradient)
    assert done.returncode == expected, done.stdout + done.stderr
    kind = "labels y ∈ {−1, +1}" if labels[0] < 0 else "labels y ∈ {0, 1}"
    assert f"data sampled with {kind}" in done.stdout, done.stdout


# --- a cost by its own name (MAE(θ) = …, ∂MAE/∂θ_j), and refusals that say what to write (c14, c46, c21, α) ------

MAE = r"\mathrm{MAE}(\theta) = \frac{1}{m}\sum_{i=1}^{m}\left|\theta^T x^{(i)} - y^{(i)}\right|"
_SIGN = r"\operatorname{sign}\left(\theta^T x^{(i)} - y^{(i)}\right) x_j^{(i)}"


@pytest.mark.parametrize(("scale", "latex_scale"), [(1.0, r"\frac{1}{m}"), (0.5, r"\frac{1}{2m}")])
def test_a_cost_by_its_own_name(scale, latex_scale):
    from cli_runner import run_cli

    rng = np.random.default_rng(14)
    x = np.hstack([np.ones((8, 1)), rng.normal(size=(8, 2))])
    y, t = rng.normal(size=8), rng.normal(size=3)
    mae = lambda th: float(np.mean(np.abs(x @ th - y)))  # noqa: E731
    holds = np.allclose(scale * x.T @ np.sign(x @ t - y) / 8, central_differences(mae, t), atol=1e-7)
    assert holds == (scale == 1.0)
    done = run_cli(
        "check",
        "--cost",
        MAE,
        "--latex",
        rf"\frac{{\partial\, \mathrm{{MAE}}}}{{\partial \theta_j}} = {latex_scale}\sum_{{i=1}}^{{m}}{_SIGN}",
    )
    assert done.returncode == (0 if holds else 1), done.stdout + done.stderr
    assert "∂MAE read as ∂J" in done.stdout
    other = run_cli(
        "check",
        "--cost",
        MAE,
        "--latex",
        rf"\frac{{\partial Q}}{{\partial \theta_j}} = \frac{{1}}{{m}}\sum_{{i=1}}^{{m}}{_SIGN}",
    )
    assert other.returncode == 2 and "derivative of Q, not of the cost" in other.stderr


CE = r"y^{(i)}\log\sigma(\theta^T x^{(i)}) + (1-y^{(i)})\log(1-\sigma(\theta^T x^{(i)}))"


@pytest.mark.parametrize(
    ("cost", "said"),
    [
        # w^{(i)}, a weight per example, is read now: tests/test_check_users21.py checks it by differences
        # ε beside the cost is read as a constant now: tests/test_check_users19.py checks it by differences
        (
            rf"J(\theta) = -\frac{{1}}{{m}}\sum_{{i=1}}^{{m}}\left[{CE}\right] + \alpha\sum_{{j=1}}^{{n}}|\theta_j|",
            "λ_1 and λ_2",
        ),
    ],
)
def test_refusals_say_what_to_write(cost, said):
    from cli_runner import run_cli

    done = run_cli("check", "--cost", cost, "--latex", r"\frac{1}{m}X^T(\sigma(X\theta) - y)")
    assert done.returncode == 2 and said in done.stderr, done.stderr
