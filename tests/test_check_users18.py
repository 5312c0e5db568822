r"""``check`` (session 29): tester 12's and review 9's open findings, written the way users write them.

* ⊙ binds looser than a product side by side everywhere, not only in a cost: ``\exp(-y \odot X\theta)`` in the
  gradient is exp(−(y ⊙ (Xθ))), as in the cost beside it (c61, c62 were refused as (y ⊙ X)θ).
* The W models (softmax, softmax-l2, svm-multiclass): code right on the model's datasets (m ≤ 7) is called again on
  the first X with a new W in the same process and on m = 257, as code over θ is: a cache keyed on X.shape and a loop
  over the first 10 or 16 rows are wrong (m37, m42, m43 on W).

Truth: central differences (tests/central.py) of the cost transcribed in NumPy, on data of our own and on the
counterexample the tool prints; never the tool's own numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli
from data_setup import user_module

from derivation.check.gradient import check_gradient

# --- 1. ⊙ looser than a product: the exponential loss in matrix form (c61, c62) -----------------------------------

EXP_COST = r"J(\theta) = \frac{1}{m}\mathbf{1}^T \exp(-y \odot X\theta)"


def _exp_cost(x, y):
    return lambda t: float(np.mean(np.exp(-y * (x @ t))))


def _pm1_data(seed: int = 29, m: int = 8, n: int = 2):
    rng = np.random.default_rng(seed)
    x = np.hstack([np.ones((m, 1)), rng.normal(size=(m, n))])
    y = rng.choice([-1.0, 1.0], m)
    y[:2] = (-1.0, 1.0)
    return x, y, rng.normal(size=n + 1) * 0.5


@pytest.mark.parametrize(
    ("latex", "formula"),
    [
        (  # c61: right
            r"\nabla_\theta J = -\frac{1}{m}X^T\left(y \odot \exp(-y \odot X\theta)\right)",
            lambda x, y, t: -x.T @ (y * np.exp(-y * (x @ t))) / len(y),
        ),
        (  # c62: y dropped outside the exponential
            r"\nabla_\theta J = -\frac{1}{m}X^T\exp(-y \odot X\theta)",
            lambda x, y, t: -x.T @ np.exp(-y * (x @ t)) / len(y),
        ),
        (  # the product first, then ⊙: (Xθ) ⊙ y
            r"\nabla_\theta J = -\frac{1}{m}X^T\left(\exp(-X\theta \odot y) \odot y\right)",
            lambda x, y, t: -x.T @ (y * np.exp(-y * (x @ t))) / len(y),
        ),
        (  # a sign slip, written the same way
            r"\nabla_\theta J = \frac{1}{m}X^T\left(y \odot \exp(-y \odot X\theta)\right)",
            lambda x, y, t: x.T @ (y * np.exp(-y * (x @ t))) / len(y),
        ),
    ],
)
def test_hadamard_looser_than_a_product_in_the_gradient(latex, formula):
    x, y, t = _pm1_data()
    holds = np.allclose(formula(x, y, t), central_differences(_exp_cost(x, y), t), atol=1e-7)
    result = run_cli("check", "--cost", EXP_COST, "--latex", latex)
    assert result.returncode == (0 if holds else 1), result.stdout + result.stderr
    assert ("✓ correct" if holds else "✗ incorrect") in result.stdout.splitlines()[0]


# --- 2. the W models called again: a cache keyed on X.shape, the first rows only ----------------------------------

CODE = """import numpy as np

_cache = {}


def softmax_cached(W, X, y):
    # probabilities cached by X's shape: stale for a new W
    key = X.shape
    if key not in _cache:
        scores = X @ W
        scores -= scores.max(axis=1, keepdims=True)
        P = np.exp(scores)
        P /= P.sum(axis=1, keepdims=True)
        _cache[key] = P
    P = _cache[key].copy()
    num_train = X.shape[0]
    P[np.arange(num_train), y.astype(int)] -= 1
    return X.T @ P / num_train


def softmax_reg_capped(W, X, y, reg, max_rows=10):
    num_train = X.shape[0]
    loss = 0.0
    dW = np.zeros_like(W)
    for i in range(min(num_train, max_rows)):
        scores = X[i].dot(W)
        scores -= np.max(scores)
        p = np.exp(scores) / np.sum(np.exp(scores))
        loss += -np.log(p[int(y[i])])
        for c in range(W.shape[1]):
            dW[:, c] += (p[c] - (c == y[i])) * X[i]
    loss = loss / num_train + reg * np.sum(W * W)
    dW = dW / num_train + 2 * reg * W
    return loss, dW


def softmax_loop(W, X, y):
    num_train = X.shape[0]
    dW = np.zeros_like(W)
    for i in range(num_train):
        scores = X[i].dot(W)
        scores -= np.max(scores)
        p = np.exp(scores) / np.sum(np.exp(scores))
        for c in range(W.shape[1]):
            dW[:, c] += (p[c] - (c == y[i])) * X[i]
    return dW / num_train


def svm_first_batch(W, X, y, batch_size=16):
    X, y = X[:batch_size], y[:batch_size].astype(int)
    num_train = X.shape[0]
    scores = X.dot(W)
    margins = np.maximum(0, scores - scores[np.arange(num_train), y][:, None] + 1)
    margins[np.arange(num_train), y] = 0
    mask = (margins > 0).astype(float)
    mask[np.arange(num_train), y] = -mask.sum(axis=1)
    return X.T.dot(mask) / num_train


def svm_vectorized(W, X, y):
    y = y.astype(int)
    num_train = X.shape[0]
    scores = X.dot(W)
    margins = np.maximum(0, scores - scores[np.arange(num_train), y][:, None] + 1)
    margins[np.arange(num_train), y] = 0
    mask = (margins > 0).astype(float)
    mask[np.arange(num_train), y] = -mask.sum(axis=1)
    return X.T.dot(mask) / num_train
"""


def _softmax_cost(x, y, lam=0.0):
    def cost(w):
        z = x @ w
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-np.mean(logp[np.arange(len(y)), y.astype(int)]) + lam / (2 * len(y)) * np.sum(w * w))

    return cost


def _svm_cost(x, y, lam=0.0):  # the multiclass SVM has no penalty
    def cost(w):
        z = x @ w
        true = z[np.arange(len(y)), y.astype(int)][:, None]
        margins = np.maximum(0, z - true + 1)
        margins[np.arange(len(y)), y.astype(int)] = 0
        return float(margins.sum() / len(y))

    return cost


WRONG = {  # name: (model, its cost, what the tool must say)
    "softmax_cached": ("softmax", _softmax_cost, "second call"),
    "softmax_reg_capped": ("softmax-l2", _softmax_cost, "m = 257"),
    "svm_first_batch": ("svm-multiclass", _svm_cost, "m = 257"),
}


@pytest.fixture(scope="module")
def code(tmp_path_factory):
    return user_module(tmp_path_factory.mktemp("users18"), "classifiers.py", CODE)


def _class_data(m: int, n: int = 3, k: int = 3, seed: int = 29):
    rng = np.random.default_rng(seed)
    x = np.hstack([np.ones((m, 1)), rng.normal(size=(m, n))])
    y = rng.permutation(np.arange(m) % k).astype(float)
    return x, y, rng.normal(size=(n + 1, k))


def _gradient(namespace, name, x, y, w, lam):
    if name == "softmax_reg_capped":
        return namespace[name](w, x, y, lam / (2 * len(y)))[1]  # reg = λ/(2m): its loss adds reg·ΣW²
    return namespace[name](w, x, y)


def _truth(name, x, y, w, lam):
    cost = _softmax_cost if name.startswith("softmax") else _svm_cost
    return central_differences(cost(x, y, lam), w)


@pytest.mark.parametrize("name", list(WRONG))
def test_w_models_right_on_small_data_only_are_wrong(code, name):
    path, namespace = code
    model, cost, said = WRONG[name]
    lam = 0.8 if model == "softmax-l2" else 0.0
    namespace["_cache"].clear()
    x, y, w = _class_data(7)
    assert np.allclose(_gradient(namespace, name, x, y, w, lam), _truth(name, x, y, w, lam), atol=1e-6)
    if name == "softmax_cached":  # the same X, a new W: the cached probabilities are stale
        w2 = w * 1.5  # (not w + c: a softmax does not change when every score moves by the same amount)
        assert not np.allclose(_gradient(namespace, name, x, y, w2, lam), _truth(name, x, y, w2, lam), atol=1e-4)
    else:
        x, y, w = _class_data(40)
        assert not np.allclose(_gradient(namespace, name, x, y, w, lam), _truth(name, x, y, w, lam), atol=1e-4)
    report = check_gradient(model, python=f"{path}:{name}")
    assert report.status == "incorrect", report.reason
    assert said in report.reason and "m = 257" in report.method
    example = report.counterexample
    x, w = np.array(example["X"], dtype=float), np.array(example["theta"], dtype=float)
    y, lam = np.array(example["y"], dtype=float), float(example.get("lam", 0.0))
    truth = central_differences(cost(x, y, lam if model == "softmax-l2" else 0.0), w)
    assert np.allclose(example["expected"], truth, atol=1e-6)
    assert not np.allclose(example["received"], truth, atol=1e-4)


@pytest.mark.parametrize(("name", "model"), [("softmax_loop", "softmax"), ("svm_vectorized", "svm-multiclass")])
def test_w_models_right_on_all_data_stay_right(code, name, model):
    path, namespace = code
    for m in (5, 40):
        x, y, w = _class_data(m)
        assert np.allclose(_gradient(namespace, name, x, y, w, 0.0), _truth(name, x, y, w, 0.0), atol=1e-6)
    report = check_gradient(model, python=f"{path}:{name}")
    assert report.status == "correct", report.reason
    assert "m = 257" in report.method


# --- 3. two equations apart by a gap only: a new line, \hspace, ~ (each judged, never one dropped) ----------------


def _logistic_cost(x, y):
    return lambda t: float(-np.mean(y * np.log(_sigmoid(x @ t)) + (1 - y) * np.log(1 - _sigmoid(x @ t))))


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _01_data(seed: int = 18, m: int = 9, n: int = 2):
    rng = np.random.default_rng(seed)
    x = np.hstack([np.ones((m, 1)), rng.normal(size=(m, n))])
    y = (rng.random(m) < 0.5).astype(float)
    y[:2] = (0.0, 1.0)
    return x, y, rng.normal(size=n + 1)


BIAS_LINE = r"\frac{\partial J(\theta)}{\partial \theta_0} = \frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})"
J_LINE = (
    r"\frac{\partial J(\theta)}{\partial \theta_j} = \frac{1}{%s}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}"
)


@pytest.mark.parametrize("gap", ["\n", r"\hspace{1cm}", "~", "\n\n", r"\hspace*{2em}"])
@pytest.mark.parametrize("scale", ["m", "2m"])
def test_equations_apart_by_a_gap_are_each_judged(gap, scale):
    x, y, t = _01_data()
    truth = central_differences(_logistic_cost(x, y), t)
    factor = 1.0 if scale == "m" else 0.5
    given = np.concatenate([[np.mean(_sigmoid(x @ t) - y)], factor * (x.T @ (_sigmoid(x @ t) - y))[1:] / len(y)])
    holds = np.allclose(given, truth, atol=1e-7)
    result = run_cli("check", "logistic", "--latex", BIAS_LINE + " " + gap + " " + J_LINE % scale)
    assert result.returncode == (0 if holds else 1), result.stdout + result.stderr
    assert "j = 0:" in result.stdout and "j ≥ 1:" in result.stdout  # both lines read


def test_a_gap_inside_a_product_is_not_a_new_line():
    # θ_j := θ_j − α~∂J/∂θ_j = θ_j − (α/m)Σ(h − y)x_j: one update rule, the gap a space before the derivative
    x, y, t = _01_data()
    assert np.allclose(x.T @ (_sigmoid(x @ t) - y) / len(y), central_differences(_logistic_cost(x, y), t), atol=1e-7)
    text = (
        r"\theta_j := \theta_j - \alpha~\frac{\partial J(\theta)}{\partial \theta_j} = "
        r"\theta_j - \frac{\alpha}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}"
    )
    result = run_cli("check", "logistic", "--latex", text)
    assert result.returncode == 0, result.stdout + result.stderr


# --- 4. dB, d_b, \delta b read as db; dw_j on one feature (review 9's D16-D32, F18) -------------------------------

RESIDUAL = r"(\sigma(w^T x^{(i)} + b) - y^{(i)})"


def _wb_truth(seed: int = 32):
    rng = np.random.default_rng(seed)
    x, y, w, b = rng.normal(size=(7, 2)), (rng.random(7) < 0.5).astype(float), rng.normal(size=2), 0.4
    y[:2] = (0.0, 1.0)

    def cost(p):
        h = _sigmoid(x @ p[:2] + p[2])
        return -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))

    truth = central_differences(cost, np.append(w, b))
    return x, y, w, b, truth


@pytest.mark.parametrize("left", ["dB", "d_b", r"\delta b", r"\delta_b"])
@pytest.mark.parametrize(("scale", "sep"), [("m", r" \text{ and } "), ("2m", r" \text{ and } "), ("2m", "\n")])
def test_other_spellings_of_db_are_judged(left, scale, sep):
    x, y, w, b, truth = _wb_truth()
    residual = _sigmoid(x @ w + b) - y
    weights_holds = np.allclose(x.T @ residual / len(y), truth[:2], atol=1e-7)
    bias_holds = np.allclose(np.sum(residual) / (len(y) * (1 if scale == "m" else 2)), truth[2], atol=1e-7)
    assert weights_holds
    text = (
        r"dW = \frac{1}{m}\sum_{i=1}^m " + RESIDUAL + r" x^{(i)}" + sep + left + rf" = \frac{{1}}{{{scale}}}"
        r"\sum_{i=1}^m " + RESIDUAL
    )
    result = run_cli("check", "logistic", "--latex", text)
    assert result.returncode == (0 if bias_holds else 1), result.stdout + result.stderr
    assert "j = 0:" in result.stdout  # the bias line was read


@pytest.mark.parametrize("second", [r"dz = 5", r"\Delta b = 5"])
def test_a_second_equation_after_words_is_never_dropped(second):
    # its left side is not one we read: refused in words, not a ✓ on the first line alone
    text = r"dW = \frac{1}{m}\sum_{i=1}^m " + RESIDUAL + r" x^{(i)} \text{ and } " + second
    result = run_cli("check", "logistic", "--latex", text)
    assert result.returncode == 2 and "cannot read the left side" in result.stderr, result.stdout


ONE_FEATURE_COST = r"J(w,b) = \frac{1}{2m}\sum_{i=1}^m (w x^{(i)} + b - y^{(i)})^2"


@pytest.mark.parametrize("scale", ["m", "2m"])
def test_dw_j_on_one_feature(scale):
    rng = np.random.default_rng(18)
    x, y, p = rng.normal(size=6), rng.normal(size=6), np.array([0.7, -0.2])  # p = (w, b)

    def cost(q):
        return float(np.sum((q[0] * x + q[1] - y) ** 2) / (2 * len(y)))

    given = np.sum((p[0] * x + p[1] - y) * x) / (len(y) * (1 if scale == "m" else 2))
    holds = np.isclose(given, central_differences(cost, p)[0], atol=1e-7)
    text = rf"dw_j = \frac{{1}}{{{scale}}}\sum_{{i=1}}^m (w x^{{(i)}} + b - y^{{(i)}}) x_j^{{(i)}}"
    result = run_cli("check", "--cost", ONE_FEATURE_COST, "--latex", text)
    assert result.returncode == (0 if holds else 1), result.stdout + result.stderr


# --- 5. the worst entry is one that was checked (review 9's F16) ----------------------------------------------------


def test_the_worst_entry_is_a_checked_one():
    rng = np.random.default_rng(16)
    x, y, p = rng.normal(size=6), rng.normal(size=6), np.array([0.7, -0.2])

    def cost(q):
        return float(np.sum((q[0] * x + q[1] - y) ** 2) / (2 * len(y)))

    assert np.isclose(np.sum((p[0] * x + p[1] - y) * x) / len(y), central_differences(cost, p)[0], atol=1e-7)
    text = r"dw = \frac{1}{m}\sum_{i=1}^m (w x^{(i)} + b - y^{(i)}) x^{(i)}_j"
    result = run_cli("check", "--cost", ONE_FEATURE_COST, "--latex", text)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any("only the entries for θ_1" in line for line in lines)
    assert "worst entry: θ_1 " in result.stdout and "worst entry: θ_0" not in result.stdout


# --- 6. a part of the loss named beside the cost: μ⁽ⁱ⁾ (after \log too), ỹ⁽ⁱ⁾ (tester 12's c40, c41, c21) ----------

POISSON = (
    r"J(\theta) = \frac{1}{m}\sum_{i=1}^{m}\left(\mu^{(i)} - y^{(i)}\log\mu^{(i)}\right), \quad "
    r"\mu^{(i)} = e^{\theta^T x^{(i)}}"
)
SMOOTHED = (
    r"J(\theta) = -\frac{1}{m}\sum_{i=1}^{m}\left[\tilde{y}^{(i)}\log\sigma(\theta^T x^{(i)}) + "
    r"(1-\tilde{y}^{(i)})\log(1-\sigma(\theta^T x^{(i)}))\right], \quad \tilde{y}^{(i)} = 0.9y^{(i)} + 0.05"
)
DJ = r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m}"
TILDE_RESIDUAL = r"\left(\sigma(\theta^T x^{(i)}) - \tilde{y}^{(i)}\right) x_j^{(i)}"


def _poisson(x, y):
    return lambda t: float(np.mean(np.exp(x @ t) - y * (x @ t)))


def _smoothed(x, y):
    s = 0.9 * y + 0.05
    return lambda t: float(-np.mean(s * np.log(_sigmoid(x @ t)) + (1 - s) * np.log(1 - _sigmoid(x @ t))))


@pytest.mark.parametrize(
    ("cost", "oracle", "latex", "formula"),
    [
        (  # c40
            POISSON,
            _poisson,
            DJ + r"\left(\mu^{(i)} - y^{(i)}\right)x_j^{(i)}, \quad \mu^{(i)} = e^{\theta^T x^{(i)}}",
            lambda x, y, t: x.T @ (np.exp(x @ t) - y) / len(y),
        ),
        (  # c41: y/μ where y belongs
            POISSON,
            _poisson,
            DJ + r"\left(\mu^{(i)} - \frac{y^{(i)}}{\mu^{(i)}}\right)x_j^{(i)}, \quad \mu^{(i)} = e^{\theta^T x^{(i)}}",
            lambda x, y, t: x.T @ (np.exp(x @ t) - y / np.exp(x @ t)) / len(y),
        ),
        (  # c21, ỹ written out in the gradient
            SMOOTHED,
            _smoothed,
            DJ + r"\left(\sigma(\theta^T x^{(i)}) - 0.9y^{(i)} - 0.05\right) x_j^{(i)}",
            lambda x, y, t: x.T @ (_sigmoid(x @ t) - 0.9 * y - 0.05) / len(y),
        ),
        (  # ỹ defined beside the gradient too
            SMOOTHED,
            _smoothed,
            DJ + TILDE_RESIDUAL + r", \quad \tilde{y}^{(i)} = 0.9y^{(i)} + 0.05",
            lambda x, y, t: x.T @ (_sigmoid(x @ t) - 0.9 * y - 0.05) / len(y),
        ),
        (  # ... with its offset dropped there
            SMOOTHED,
            _smoothed,
            DJ
            + r"\left(\sigma(\theta^T x^{(i)}) - \tilde{y}^{(i)}\right) x_j^{(i)}, \quad \tilde{y}^{(i)} = 0.9y^{(i)}",
            lambda x, y, t: x.T @ (_sigmoid(x @ t) - 0.9 * y) / len(y),
        ),
        (  # ỹ's offset dropped
            SMOOTHED,
            _smoothed,
            DJ + r"\left(\sigma(\theta^T x^{(i)}) - 0.9y^{(i)}\right) x_j^{(i)}",
            lambda x, y, t: x.T @ (_sigmoid(x @ t) - 0.9 * y) / len(y),
        ),
    ],
)
def test_names_defined_beside_the_cost(cost, oracle, latex, formula):
    rng = np.random.default_rng(40)
    x = np.hstack([np.ones((8, 1)), rng.normal(size=(8, 2))])
    y = rng.poisson(2.0, 8).astype(float) if cost is POISSON else (rng.random(8) < 0.5).astype(float)
    t = rng.normal(size=3) * 0.5
    holds = np.allclose(formula(x, y, t), central_differences(oracle(x, y), t), atol=1e-6)
    result = run_cli("check", "--cost", cost, "--latex", latex)
    assert result.returncode == (0 if holds else 1), result.stdout + result.stderr


# --- 7. what the verdict rests on is in its first line ---------------------------------------------------------------


def test_one_feature_reading_of_a_model_of_many_features_is_said_first():
    # θ₁ named on the left, x⁽ⁱ⁾ a number: right for one feature (central differences on one-feature data)
    rng = np.random.default_rng(7)
    x, y, t = np.column_stack([np.ones(6), rng.normal(size=6)]), rng.normal(size=6), rng.normal(size=2)
    truth = central_differences(lambda p: float(np.sum((x @ p - y) ** 2) / (2 * len(y))), t)
    assert np.isclose(np.mean((t[0] + t[1] * x[:, 1] - y) * x[:, 1]), truth[1], atol=1e-7)
    left = r"\frac{\partial J}{\partial \theta_1} = "
    text = left + r"\frac{1}{m}\sum_{i=1}^m (\theta_0 + \theta_1 x^{(i)} - y^{(i)}) x^{(i)}"
    result = run_cli("check", "linear", "--latex", text)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct for one feature (n = 1): linear")
    # a cost in one feature itself: nothing to add
    result = run_cli(
        "check",
        "--cost",
        ONE_FEATURE_COST,
        "--latex",
        r"dw = \frac{1}{m}\sum_{i=1}^m (w x^{(i)} + b - y^{(i)}) x^{(i)}",
    )
    assert result.returncode == 0 and result.stdout.startswith("✓ correct: your cost"), result.stdout


def test_a_text_cost_that_is_not_the_models_is_said_first():
    # J written as (1/m)Σ(θᵀx − y)², twice linear's J: (2/m)Σ(θᵀx − y)x_j is its gradient, not ∇J of linear's J
    x, y, t = _01_data()
    mine = x.T @ (x @ t - y) * 2 / len(y)
    assert np.allclose(mine, central_differences(lambda p: float(np.mean((x @ p - y) ** 2)), t), atol=1e-6)
    assert not np.allclose(mine, central_differences(lambda p: float(np.mean((x @ p - y) ** 2) / 2), t), atol=1e-6)
    text = (
        r"J(\theta) = \frac{1}{m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2 \\ "
        r"\frac{\partial J}{\partial \theta_j} = \frac{2}{m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)}) x_j^{(i)}"
    )
    result = run_cli("check", "linear", "--latex", text)
    assert result.returncode == 1
    assert result.stdout.startswith("✗ incorrect for the model's cost J (your J = … is neither J nor m·J)")
