r"""``check`` (session 29): tester 12's and review 9's open findings, written the way users write them.

* ⊙ binds looser than a product side by side everywhere, not only in a cost: ``\exp(-y \odot X\theta)`` in the
  gradient is exp(−(y ⊙ (Xθ))), as in the cost beside it (c61, c62 were refused as (y ⊙ X)θ).
* The W models (softmax, softmax-l2, svm-multiclass): code right on the model's datasets (m ≤ 7) is called again on
  the first X with a new W in the same process and on m = 67, as code over θ is: a cache keyed on X.shape and a loop
  over the first 10 or 16 rows are wrong (m37, m42, m43 on W).

Truth: central differences (tests/central.py) of the cost transcribed in NumPy, on data of our own and on the
counterexample the tool prints; never the tool's own numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli

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
    "softmax_reg_capped": ("softmax-l2", _softmax_cost, "m = 67"),
    "svm_first_batch": ("svm-multiclass", _svm_cost, "m = 67"),
}


@pytest.fixture(scope="module")
def code(tmp_path_factory):
    path = tmp_path_factory.mktemp("users18") / "classifiers.py"
    path.write_text(CODE, encoding="utf-8")
    namespace: dict = {}
    exec(compile(CODE, str(path), "exec"), namespace)  # our own test code, to run it on data of our own
    return path, namespace


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
    assert said in report.reason and "m = 67" in report.method
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
    assert "m = 67" in report.method
