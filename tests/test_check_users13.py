r"""``check`` on the reviewers' open risks (session 26).

* NumPy with np.sqrt, np.linalg.norm, np.abs in a gradient (√(‖Xθ − y‖² + ε), a penalty with ‖θ‖², Huber with
  np.where/np.sign): ``--python`` checks it (✓ / ✗); ``--grad`` checks it, or refuses in one line that says to give
  --python (never "shapes do not match" or a hint about X[i] the text does not have).
* σ(wᵀx) + b, b outside σ: ``--cost`` and ``show --cost`` refuse it in words (b was read as a constant); in a
  gradient under a named model it is ✗ with that diagnosis; σ(wᵀx + b) keeps working.
* The Specialization's f_{w,b}(x) = wx + b, one feature: ∂J/∂w and ∂J/∂b alone or together, under ``linear`` and
  under the course's J(w,b) as ``--cost``, ✓ when right, ✗ with a diagnosis when not (the x⁽ⁱ⁾ missing, the 1/(2m)
  kept); the course labs' compute_gradient (one feature, and w a vector returning (dj_db, dj_dw)) with ``--python``.
* Three slips that ended at "none of the common faults": dw alone scaled (db right), one partial with a stray
  factor (the 1/(2m) kept), the square of the squared error kept.

Which is right is decided here by central differences (tests/central.py) of the cost transcribed to NumPy, on data
of our own (tests/data_setup.py), never by the tool.
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli
from data_setup import example_data, sigma

DATA = example_data(13, 6, 2)
X, YR, Y01, THETA, M = DATA.X, DATA.yr, DATA.y01, DATA.theta, DATA.m
R = X @ THETA - YR  # the residual on our data


def _grad(cost) -> np.ndarray:
    return central_differences(cost, THETA)


# --- 1. np.sqrt, np.linalg.norm, np.abs in a user's gradient ----------------------------------------------------------

ROOT = r"\sqrt{\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2 + 0.01}"
QUARTIC = r"\frac{1}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2 + \frac{\lambda}{4}\|\theta\|^4"
LAM = 0.3  # our λ for the transcription; the tool samples its own, the formula holds for every λ
COSTS = {  # cost's name: (NumPy transcription of J(θ), how the command names it)
    "root": (lambda t: np.sqrt(np.sum((X @ t - YR) ** 2) + 0.01), ("--cost", ROOT)),
    "quartic": (
        lambda t: np.sum((X @ t - YR) ** 2) / (2 * M) + LAM / 4 * np.sum(t**2) ** 2,
        ("--cost", QUARTIC),
    ),
    "huber": (lambda t: np.mean(np.where(np.abs(X @ t - YR) <= 1, (X @ t - YR) ** 2 / 2, np.abs(X @ t - YR) - 0.5)),
              ("huber",)),
}  # fmt: skip
GRADIENTS = {  # name: (cost, NumPy body of grad(theta, X, y, lam) with r = X @ theta - y, the same as --grad)
    "√(‖r‖² + ε)": ("root", "X.T @ (X @ theta - y) / np.sqrt(np.sum((X @ theta - y)**2) + 0.01)"),
    "√(‖r‖² + ε), ε dropped": ("root", "X.T @ (X @ theta - y) / np.sqrt(np.sum((X @ theta - y)**2))"),
    "np.linalg.norm(r)": ("root", "X.T @ (X @ theta - y) / np.linalg.norm(X @ theta - y)"),
    "‖θ‖² θ": ("quartic", "X.T @ (X @ theta - y) / len(y) + lam * np.linalg.norm(theta)**2 * theta"),
    "‖θ‖ θ": ("quartic", "X.T @ (X @ theta - y) / len(y) + lam * np.linalg.norm(theta) * theta"),
    "Huber np.where/np.sign": (
        "huber",
        "X.T @ np.where(np.abs(X @ theta - y) <= 1, X @ theta - y, np.sign(X @ theta - y)) / len(y)",
    ),
    "Huber np.sign alone": ("huber", "X.T @ np.sign(X @ theta - y) / len(y)"),
}


def _right(name: str) -> bool:
    cost, body = GRADIENTS[name]
    value = eval(body, {"np": np, "X": X, "y": YR, "theta": THETA, "lam": LAM})  # our own text, not the user's
    return bool(np.allclose(value, _grad(COSTS[cost][0]), atol=1e-6))


@pytest.mark.parametrize("name", ["√(‖r‖² + ε)", "√(‖r‖² + ε), ε dropped", "‖θ‖² θ", "Huber np.where/np.sign"])
def test_norms_and_roots_in_numpy_are_checked_with_python(name, tmp_path):
    cost, body = GRADIENTS[name]
    source = tmp_path / "grads.py"
    source.write_text(f"import numpy as np\n\n\ndef grad(theta, X, y, lam):\n    return {body}\n")
    call = "grad(theta, X, y, lam)" if cost == "quartic" else "grad(theta, X, y, 0.3)"
    result = run_cli("check", *COSTS[cost][1], "--python", f"{source}:grad", "--call", call)
    right = _right(name)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect")


@pytest.mark.parametrize("name", GRADIENTS)
def test_norms_and_roots_with_grad_are_checked_or_refused_saying_what_to_write(name):
    cost, body = GRADIENTS[name]
    result = run_cli("check", *COSTS[cost][1], "--grad", body.replace("len(y)", "m"))
    if result.returncode == 2:  # refused: one line, saying to give --python, blaming no shape of theirs
        assert result.stderr.count("\n") == 1 and "--python FILE:FUNCTION" in result.stderr, result.stderr
        assert "shapes do not match" not in result.stderr and "X[i]" not in result.stderr
        return
    right = _right(name)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect")


def test_an_inner_product_of_two_vectors_is_not_blamed_on_x_i():
    grad = "X.T @ (X @ theta - y) / np.sqrt((X @ theta - y) @ (X @ theta - y) + 0.01)"
    assert np.allclose(X.T @ R / np.sqrt(R @ R + 0.01), _grad(COSTS["root"][0]))  # right
    result = run_cli("check", "--cost", ROOT, "--grad", grad)
    assert result.returncode in (0, 2), result.stdout + result.stderr
    if result.returncode == 2:
        assert "X[i]" not in result.stderr and "np.sum(a * b)" in result.stderr, result.stderr
    else:
        assert result.stdout.startswith("✓ correct")


# --- 2. σ(wᵀx) + b: b outside σ -----------------------------------------------------------------------------------

OUTSIDE = r"\frac{1}{2m}\sum_{i=1}^m (\sigma(w^T x^{(i)}) + b - y^{(i)})^2"
INSIDE = r"\frac{1}{2m}\sum_{i=1}^m (\sigma(w^T x^{(i)} + b) - y^{(i)})^2"
SQUARED_SIGMA = r"\frac{\partial J}{\partial w_j} = \frac{1}{m}\sum_{i=1}^m (\sigma(w^T x^{(i)} + b) - y^{(i)})"
SQUARED_SIGMA += r"\sigma(w^T x^{(i)} + b)(1 - \sigma(w^T x^{(i)} + b))x_j^{(i)}"


@pytest.mark.parametrize("command", ["show", "check"])
def test_a_cost_with_b_outside_sigma_is_refused_in_words(command):
    extra = ("--latex", SQUARED_SIGMA.replace("x^{(i)} + b)", "x^{(i)}) + b")) if command == "check" else ()
    result = run_cli(command, "--cost", OUTSIDE, *extra)
    assert result.returncode == 2 and "b is added outside σ" in result.stderr, result.stdout + result.stderr
    assert "constant" not in result.stderr.split("outside it")[0]


def test_its_twin_with_b_inside_sigma_is_checked():
    def cost(t):  # θ₀ = b inside σ, θ_1.. = w
        return np.sum((sigma(X @ t) - YR) ** 2) / (2 * M)

    h = sigma(X @ THETA)
    assert np.allclose(X.T @ ((h - YR) * h * (1 - h)) / M, _grad(cost))  # the formula, for every j
    assert run_cli("show", "--cost", INSIDE).returncode == 0
    result = run_cli("check", "--cost", INSIDE, "--latex", SQUARED_SIGMA)
    assert result.returncode == 0 and result.stdout.startswith("✓ correct"), result.stdout + result.stderr


@pytest.mark.parametrize("outside", [True, False])
def test_b_outside_sigma_in_a_logistic_gradient_is_wrong_and_said(outside):
    def cost(t):
        h = sigma(X @ t)
        return -np.mean(Y01 * np.log(h) + (1 - Y01) * np.log(1 - h))

    weights = X[:, 1:] @ THETA[1:]  # wᵀx; b = θ₀
    h = sigma(weights) + THETA[0] if outside else sigma(weights + THETA[0])
    right = np.allclose(X.T @ (h - Y01) / M, _grad(cost))
    assert right == (not outside)
    inner = r"\sigma(w^T x^{(i)}) + b" if outside else r"\sigma(w^T x^{(i)} + b)"
    result = run_cli(
        "check",
        "logistic",
        "--latex",
        rf"\frac{{\partial J}}{{\partial b}} = \frac{{1}}{{m}}\sum_{{i=1}}^m ({inner} - y^{{(i)}})",
    )
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert ("diagnosis: b added outside σ" in result.stdout) == outside


# --- 3. f_{w,b}(x) = wx + b, one feature -----------------------------------------------------------------------------

x1 = X[:, 1]  # one feature
WB = np.array([0.4, -0.8])  # (b, w)


def _one_feature_cost(p):  # J(w, b) = (1/2m) Σ (w x⁽ⁱ⁾ + b − y⁽ⁱ⁾)², p = (b, w)
    return np.sum((p[1] * x1 + p[0] - YR) ** 2) / (2 * M)


F = r"f_{w,b}(x^{(i)})"
NG_COST = r"J(w,b) = \frac{1}{2m}\sum_{i=1}^m (f_{w,b}(x^{(i)}) - y^{(i)})^2, \quad f_{w,b}(x) = wx + b"
DW = rf"\frac{{\partial J(w,b)}}{{\partial w}} = \frac{{1}}{{m}}\sum_{{i=1}}^m ({F} - y^{{(i)}})x^{{(i)}}"
DB = rf"\frac{{\partial J(w,b)}}{{\partial b}} = \frac{{1}}{{m}}\sum_{{i=1}}^m ({F} - y^{{(i)}})"
NG = {  # name: (LaTeX, transcription of its entries (b, w) to NumPy, None where not given, the diagnosis when wrong)
    "∂J/∂w": (DW, lambda r: (None, np.mean(r * x1)), None),
    "∂J/∂b": (DB, lambda r: (np.mean(r), None), None),
    "∂J/∂w written out": (
        r"\frac{\partial J}{\partial w} = \frac{1}{m}\sum_{i=1}^m (w x^{(i)} + b - y^{(i)})x^{(i)}",
        lambda r: (None, np.mean(r * x1)),
        None,
    ),
    "both": (DW + r" \\ " + DB, lambda r: (np.mean(r), np.mean(r * x1)), None),
    "twin: ∂J/∂w without x⁽ⁱ⁾": (
        rf"\frac{{\partial J(w,b)}}{{\partial w}} = \frac{{1}}{{m}}\sum_{{i=1}}^m ({F} - y^{{(i)}})",
        lambda r: (None, np.mean(r)),
        "inner derivative x_j missing",
    ),
    "twin: ∂J/∂w with 1/(2m)": (DW.replace(r"\frac{1}{m}", r"\frac{1}{2m}"), lambda r: (None, np.mean(r * x1) / 2),
                                "a stray factor 1/2 (a J written with 1/(2m)"),
}  # fmt: skip


def _ng_right(transcribed) -> bool:
    r = WB[1] * x1 + WB[0] - YR
    expected = central_differences(_one_feature_cost, WB)
    return all(v is None or np.isclose(v, e) for v, e in zip(transcribed(r), expected, strict=True))


@pytest.mark.parametrize("model", [("linear",), ("--cost", NG_COST)], ids=["linear", "J(w,b)"])
@pytest.mark.parametrize("name", NG)
def test_ngs_one_feature_partials(name, model):
    latex, transcribed, said = NG[name]
    right = _ng_right(transcribed)
    assert right == (not name.startswith("twin"))
    result = run_cli("check", *model, "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect")
    assert "w read as θ₁, b as θ₀" in result.stdout
    if said is not None:
        assert said in result.stdout and "none of the common faults" not in result.stdout, result.stdout


def test_f_wb_not_defined_in_the_cost_is_refused_saying_what_to_write():
    result = run_cli("check", "--cost", r"\frac{1}{2m}\sum_{i=1}^m (w x^{(i)} + b - y^{(i)})^2", "--latex", DW)
    assert result.returncode == 2 and "f_{w,b} is not defined in your cost" in result.stderr, result.stderr


LAB = """import numpy as np


def compute_gradient(x, y, w, b):
    m = x.shape[0]
    dj_dw = 0
    dj_db = 0
    for i in range(m):
        f_wb = w * x[i] + b
        dj_dw_i = {slip1}
        dj_db_i = f_wb - y[i]
        dj_db += dj_db_i
        dj_dw += dj_dw_i
    dj_dw = dj_dw / m
    dj_db = dj_db / m
    return dj_dw, dj_db


def compute_gradient_multi(X, y, w, b):
    m, n = X.shape
    dj_dw = np.zeros((n,))
    dj_db = 0.
    for i in range(m):
        err = (np.dot(X[i], w) + b) - y[i]
        for j in range(n):
            dj_dw[j] = dj_dw[j] + err * X[i, j]
        dj_db = dj_db + err
    dj_dw = dj_dw / {slip2}
    dj_db = dj_db / m
    return dj_db, dj_dw
"""
_DW_I = "(f_wb - y[i]) * x[i]"
LABS = {  # name: (function, slip1, slip2, the diagnosis when wrong)
    "one feature": ("compute_gradient", _DW_I, "m", None),
    "vector w, (dj_db, dj_dw)": ("compute_gradient_multi", _DW_I, "m", None),
    "twin: one feature, x[i] missing": ("compute_gradient", "f_wb - y[i]", "m", "inner derivative x_j missing"),
    "twin: vector w, dj_dw / (2m)": ("compute_gradient_multi", _DW_I, "(2 * m)", "w's components alone scaled"),
}


def _lab_right(function: str, slip1: str, slip2: str) -> bool:
    namespace: dict = {}
    exec(LAB.format(slip1=slip1, slip2=slip2), namespace)  # our own lab text, run on our own data
    if function == "compute_gradient":
        dw, db = namespace[function](x1, YR, WB[1], WB[0])
        return bool(np.allclose([db, dw], central_differences(_one_feature_cost, WB)))
    w, b = THETA[1:], THETA[0]
    db, dw = namespace[function](X[:, 1:], YR, w, b)
    return bool(np.allclose(np.concatenate([[db], dw]), _grad(lambda t: np.sum((X @ t - YR) ** 2) / (2 * M))))


@pytest.mark.parametrize("name", LABS)
def test_the_course_labs_compute_gradient(name, tmp_path):
    function, slip1, slip2, said = LABS[name]
    right = _lab_right(function, slip1, slip2)
    assert right == (not name.startswith("twin"))
    source = tmp_path / "lab.py"
    source.write_text(LAB.format(slip1=slip1, slip2=slip2))
    result = run_cli("check", "linear", "--python", f"{source}:{function}")
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert result.stdout.startswith("✓ correct" if right else "✗ incorrect")
    if said is not None:
        assert f"diagnosis: {said}" in result.stdout, result.stdout


# --- 4. slips that ended at "none of the common faults" ---------------------------------------------------------------

H = r"h_\theta(x^{(i)})"
SLIPS = {  # name: (LaTeX under linear, its transcription (all entries), the diagnosis)
    "the square kept": (
        rf"\frac{{\partial J}}{{\partial\theta_j}} = \frac{{1}}{{m}}\sum_{{i=1}}^m ({H} - y^{{(i)}})^2 x_j^{{(i)}}",
        lambda: X.T @ R**2 / M,
        "diagnosis: the square kept",
    ),
    "the square kept, 1/(2m)": (
        rf"\frac{{\partial J}}{{\partial\theta_j}} = \frac{{1}}{{2m}}\sum_{{i=1}}^m ({H} - y^{{(i)}})^2 x_j^{{(i)}}",
        lambda: X.T @ R**2 / (2 * M),
        "diagnosis: the square kept",
    ),
    "twin: right": (
        rf"\frac{{\partial J}}{{\partial\theta_j}} = \frac{{1}}{{m}}\sum_{{i=1}}^m ({H} - y^{{(i)}}) x_j^{{(i)}}",
        lambda: X.T @ R / M,
        None,
    ),
}


@pytest.mark.parametrize("name", SLIPS)
def test_the_square_kept_is_named(name):
    latex, transcribed, said = SLIPS[name]
    right = np.allclose(transcribed(), _grad(lambda t: np.sum((X @ t - YR) ** 2) / (2 * M)))
    assert right == (said is None)
    result = run_cli("check", "linear", "--latex", latex)
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    if said is not None:
        assert said in result.stdout and "none of the common" not in result.stdout, result.stdout


LOG_COSH = r"\frac{1}{m}\sum_{i=1}^m \frac{1}{c}\log\cosh\left(c\left(\theta^T x^{(i)} - y^{(i)}\right)\right)"
TANH = r"\frac{\partial J}{\partial\theta_j} = \frac{1}{m}\sum_{i=1}^m %s"
TANH += r"\tanh\left(c\left(\theta^T x^{(i)} - y^{(i)}\right)\right) x_j^{(i)}"


@pytest.mark.parametrize("factor", ["c", ""], ids=["LCC_c: c·tanh(c·r)", "twin: tanh(c·r)"])
def test_a_stray_factor_of_the_costs_constant_is_named(factor):
    for c in (0.5, 2.0):
        right = np.allclose(
            (c if factor else 1.0) * X.T @ np.tanh(c * R) / M,
            _grad(lambda t, c=c: np.mean(np.log(np.cosh(c * (X @ t - YR)))) / c),
        )
        assert right == (not factor)
    result = run_cli("check", "--cost", LOG_COSH, "--latex", TANH % factor)
    assert result.returncode == (1 if factor else 0), result.stdout + result.stderr
    if factor:
        assert "diagnosis: scaled by the cost's constant λ — received = λ × expected" in result.stdout, result.stdout


OUTSIDE_PY = """import numpy as np


def grad(X, y, w, b):
    m = X.shape[0]
    p = 1 / (1 + np.exp(-(X @ w{inside}))){outside}
    return X.T @ (p - y) / m, np.sum(p - y) / m
"""


@pytest.mark.parametrize("outside", [True, False])
def test_b_outside_sigma_in_numpy_is_named(outside, tmp_path):
    def cost(t):
        h = sigma(X @ t)
        return -np.mean(Y01 * np.log(h) + (1 - Y01) * np.log(1 - h))

    namespace: dict = {}
    text = OUTSIDE_PY.format(inside="" if outside else " + b", outside=" + b" if outside else "")
    exec(text, namespace)  # our own text, on our own data
    dw, db = namespace["grad"](X[:, 1:], Y01, THETA[1:], THETA[0])
    right = np.allclose(np.concatenate([[db], dw]), _grad(cost))
    assert right == (not outside)
    source = tmp_path / "outside.py"
    source.write_text(text)
    result = run_cli("check", "logistic", "--python", f"{source}:grad")
    assert result.returncode == (0 if right else 1), result.stdout + result.stderr
    assert ("diagnosis: b added outside σ" in result.stdout) == outside, result.stdout
