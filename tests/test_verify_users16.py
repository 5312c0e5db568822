r"""verify on review 9's and tester 12's texts (session 29).

1. The softmax identity with a free c on the right side: ``∂L/∂z_k = … = p_k Σ_c y_c − y_c`` (y_c for y_k, c free
   outside its Σ) got ✓, exit 0: the free c was taken for k (the class index read as the sampler's c, which the
   text's own c then was too).  A right side with a free index the left side lacks is now checked at every value of
   that index, and the failing step names the index.  The same for j, k and i: ∂J/∂θ_j = …x_k⁽ⁱ⁾, i left free after
   the Σ over the examples is gone.

Which row of each text is right is decided here by NumPy central differences on random numbers, never by the tool:
a row with a free index the left side lacks is right only when it is right at every value of that index.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from central import central_differences
from verdicts import sigmoid, verify_fast

RNG = np.random.default_rng(1629)
K = 4  # classes in the NumPy truth
M, P = 6, 3


def _last_step(text: str, hypothesis: str | None = None):
    """The report and its last step (the row each test is about)."""
    report = verify_fast(text, hypothesis)
    return report, report.steps[-1]


def _mark(step) -> str:
    return {"holds": "✓", "fails": "✗"}.get(str(step.status), "?")


# --- 1. the softmax identity: the truth of a last row p_k Σ_c y_c − y_k, written with the text's letters ----------


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def _softmax_truth(sums_to_one: bool):
    """(z, y, ∂L/∂z by central differences) for L = −Σ_c y_c log softmax(z)_c, y positive (summing to 1 or not)."""
    z, y = RNG.normal(size=K), RNG.uniform(0.2, 1.5, size=K)
    y = y / y.sum() if sums_to_one else y
    return z, y, central_differences(lambda v: -np.sum(y * np.log(_softmax(v))), z)


def _right_at_every_index(row, sums_to_one: bool) -> bool:
    """The row (a NumPy function of p, y, the differentiated class k and a second class c) equals ∂L/∂z_k for every
    k and every c, on three random (z, y): a row with a free c is a claim for each c."""
    for _ in range(3):
        z, y, truth = _softmax_truth(sums_to_one)
        p = _softmax(z)
        for k, c in itertools.product(range(K), repeat=2):
            if not np.isclose(row(p, y, k, c), truth[k], rtol=1e-5, atol=1e-7):
                return False
    return True


_SOFTMAX = r"""For one example with $p_k = \frac{e^{z_k}}{\sum_c e^{z_c}}$ and loss $L = -\sum_c y_c \log p_c$:
$$\frac{\partial L}{\partial z_k} = -\sum_c y_c \frac{\partial \log p_c}{\partial z_k} = -\sum_c y_c (\delta_{ck} - p_k) = LAST$$
"""  # noqa: E501 (the text as the user wrote it)

# (LaTeX of the last row, the same in NumPy, the index the right side has and the left lacks)
_SOFTMAX_ROWS = [
    (r"p_k \sum_c y_c - y_k", lambda p, y, k, c: p[k] * y.sum() - y[k], None),
    (r"p_k \sum_c y_c - y_c", lambda p, y, k, c: p[k] * y.sum() - y[c], "c"),  # review 9's B09
    (r"p_k \sum_c y_c - y_{c}", lambda p, y, k, c: p[k] * y.sum() - y[c], "c"),  # B24's braces
    (r"p_c \sum_c y_c - y_k", lambda p, y, k, c: p[c] * y.sum() - y[k], "c"),  # B17
    (r"p_k \sum_c y_c - y_j", lambda p, y, k, c: p[k] * y.sum() - y[c], "j"),  # another letter: any other class
    (r"\sum_c y_c p_k - y_k", lambda p, y, k, c: y.sum() * p[k] - y[k], None),
    (r"p_c - y_c", lambda p, y, k, c: p[c] - y[c], "c"),
]


@pytest.mark.parametrize(("last", "row", "stray"), _SOFTMAX_ROWS, ids=[r[0] for r in _SOFTMAX_ROWS])
def test_a_class_index_free_on_the_right_only_is_not_the_differentiated_class(last, row, stray):
    right = _right_at_every_index(row, sums_to_one=False)
    report, step = _last_step(_SOFTMAX.replace("LAST", last))
    assert _mark(step) == ("✓" if right else "✗"), (last, str(report))
    assert report.exit_code == (0 if right else 1)
    if stray is not None:
        assert not right  # the oracle's own answer: each of these is wrong at some c ≠ k
        message = step.diagnosis.message if step.diagnosis else ""
        assert message.startswith(f"{stray} is free on the right side but not on the left"), message


_SUMMED = (
    _SOFTMAX.replace("LAST", r"p_k \sum_c y_c - y_k")
    + r"""Since $\sum_c y_c = 1$,
$$\frac{\partial L}{\partial z_k} = LAST$$
"""
)
_SUMMED_ROWS = [
    (r"p_k - y_k", lambda p, y, k, c: p[k] - y[k]),
    (r"p_k - y_c", lambda p, y, k, c: p[k] - y[c]),  # review 9's B19
    (r"p_c - y_k", lambda p, y, k, c: p[c] - y[k]),
    (r"p_k - 1", lambda p, y, k, c: p[k] - 1),
]


@pytest.mark.parametrize(("last", "row"), _SUMMED_ROWS, ids=[r[0] for r in _SUMMED_ROWS])
def test_after_the_labels_sum_to_one_a_free_c_is_still_another_class(last, row):
    right = _right_at_every_index(row, sums_to_one=True)
    report, step = _last_step(_SUMMED.replace("LAST", last))
    assert _mark(step) == ("✓" if right else "✗"), (last, str(report))
    assert report.exit_code == (0 if right else 1)


def test_a_wrong_middle_row_is_caught_though_the_final_row_is_right():
    """Review 9's B24: the slip (y_c) in the middle row, the final p_k − y_k right: ✗ at the middle row."""
    text = _SUMMED.replace(r"- y_k$$", r"- y_{c}$$", 1).replace("LAST", r"p_k - y_k")
    assert _right_at_every_index(lambda p, y, k, c: p[k] * y.sum() - y[c], sums_to_one=False) is False
    report = verify_fast(text)
    assert report.exit_code == 1
    assert [s.line for s in report.steps if str(s.status) == "fails"] == [2]


# the classes written j, the Σ's own index k: the free k of y_k put at each class hit the Σ's limits (a crash)
_BY_J = r"""For one example with $p_j = \frac{e^{z_j}}{\sum_{k=1}^K e^{z_k}}$ and loss $L = -\sum_{k=1}^K y_k \log p_k$:
$$\frac{\partial L}{\partial z_j} = -\sum_{k=1}^K y_k(\delta_{kj} - p_j) = LAST$$
"""
_BY_J_ROWS = [
    (r"p_j \sum_{k=1}^K y_k - y_j", lambda p, y, j, c: p[j] * y.sum() - y[j]),
    (r"p_j \sum_{k=1}^K y_k - y_k", lambda p, y, j, c: p[j] * y.sum() - y[c]),
    (r"p_k \sum_{k=1}^K y_k - y_j", lambda p, y, j, c: p[c] * y.sum() - y[j]),
]


@pytest.mark.parametrize(("last", "row"), _BY_J_ROWS, ids=[r[0] for r in _BY_J_ROWS])
def test_classes_written_j_with_the_sums_own_k_free_outside_it(last, row):
    right = _right_at_every_index(row, sums_to_one=False)
    report, step = _last_step(_BY_J.replace("LAST", last))
    assert _mark(step) == ("✓" if right else "✗"), (last, str(report))


# --- the same for the features' j and the examples' i ---------------------------------------------------------------

_LOGISTIC = r"""For logistic regression with $J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}\log h_\theta(x^{(i)}) + (1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right]$:
$$\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m \left(h_\theta(x^{(i)}) - y^{(i)}\right) x_j^{(i)} = LAST$$
"""  # noqa: E501 (the text as the user wrote it)


def _logistic_truth():
    xs, y, t = RNG.normal(size=(M, P)), RNG.integers(0, 2, size=M).astype(float), RNG.normal(size=P) * 0.5
    cost = lambda v: -np.mean(y * np.log(sigmoid(xs @ v)) + (1 - y) * np.log(1 - sigmoid(xs @ v)))  # noqa: E731
    return xs, y, t, central_differences(cost, t)


_LOGISTIC_ROWS = [  # (LaTeX, NumPy of (xs, y, θ, j, the other index), the stray index)
    (
        r"\frac{1}{m}\sum_{i=1}^m x_j^{(i)}\left(h_\theta(x^{(i)}) - y^{(i)}\right)",
        lambda xs, y, t, j, o: np.mean(xs[:, j] * (sigmoid(xs @ t) - y)),
        None,
    ),
    (
        r"\frac{1}{m}\sum_{i=1}^m \left(h_\theta(x^{(i)}) - y^{(i)}\right) x_k^{(i)}",
        lambda xs, y, t, j, o: np.mean((sigmoid(xs @ t) - y) * xs[:, o]),
        "k",
    ),
    (  # the Σ over the examples gone, i left free
        r"\frac{1}{m}\left(h_\theta(x^{(i)}) - y^{(i)}\right) x_j^{(i)}",
        lambda xs, y, t, j, o: (sigmoid(xs[o] @ t) - y[o]) * xs[o, j] / M,
        "i",
    ),
]


@pytest.mark.parametrize(("last", "row", "stray"), _LOGISTIC_ROWS, ids=[r[0] for r in _LOGISTIC_ROWS])
def test_a_feature_or_example_index_free_on_the_right_only(last, row, stray):
    xs, y, t, truth = _logistic_truth()
    others = range(M) if stray == "i" else range(P)
    right = all(np.isclose(row(xs, y, t, j, o), truth[j], rtol=1e-5, atol=1e-7) for j in range(P) for o in others)
    report, step = _last_step(_LOGISTIC.replace("LAST", last))
    assert _mark(step) == ("✓" if right else "✗"), (last, str(report))
    if stray is not None:
        assert step.diagnosis is not None and step.diagnosis.message.startswith(f"{stray} is free on the right side")


# --- 3. a ∝ row is printed with ∝ ------------------------------------------------------------------------------------

_PROPTO = r"""The cost is $J(\theta) = \frac{1}{2m}\sum_{i=1}^m (\theta^T x^{(i)} - y^{(i)})^2$.
$$\frac{\partial J(\theta)}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)x_j^{(i)} \propto RIGHT$$
"""  # noqa: E501 (the text as the user wrote it)
_PROPTO_ROWS = [  # (LaTeX, NumPy of (xs, y, θ): the vector over j)
    (r"\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)x_j^{(i)}", lambda xs, y, t: xs.T @ (xs @ t - y)),
    (r"\sum_{i=1}^m \left(\theta^T x^{(i)} - y^{(i)}\right)\theta_j", lambda xs, y, t: np.sum(xs @ t - y) * t),
]


@pytest.mark.parametrize(("right", "row"), _PROPTO_ROWS, ids=["x_j", "theta_j"])
def test_a_proportional_row_is_printed_with_its_sign(right, row):
    ratios = []
    for _ in range(4):
        xs, y, t = RNG.normal(size=(M, P)), RNG.normal(size=M), RNG.normal(size=P)
        gradient = central_differences(lambda v, xs=xs, y=y: np.sum((xs @ v - y) ** 2) / (2 * M), t)
        ratios += list(gradient / row(xs, y, t))
    proportional = bool(np.all(np.array(ratios) > 0) and np.ptp(ratios) < 1e-5 * np.abs(ratios).max())
    report, step = _last_step(_PROPTO.replace("RIGHT", right))
    assert _mark(step) == ("✓" if proportional else "✗"), str(report)
    printed = [line for line in str(report).splitlines() if line.startswith(f"{_mark(step)} step {step.number} ")]
    assert len(printed) == 1 and f"(line {step.line}): ∝ " in printed[0], str(report)
    equal = [line for line in str(report).splitlines() if line.startswith(f"✓ step {step.number - 1} ")]
    assert len(equal) == 1 and ": = " in equal[0]  # the '=' before it stays '='


# --- 2. a matrix said in words, a diag(…) by entries the reader does not read, the Hessian's S² and X S Xᵀ ------------

_PENALISED = r"""The regularised cost is
$$J(\theta) = -\frac{1}{m}\left[y^T\log\sigma(X\theta) + (1-y)^T\log(1-\sigma(X\theta))\right] + \frac{\lambda}{2m}\sum_{j=1}^n \theta_j^2$$
WHERE
Differentiating,
$$\nabla_\theta J(\theta) = \frac{1}{m}X^T(\sigma(X\theta) - y) + \frac{\lambda}{m}L\theta$$
"""  # noqa: E501 (the text as the user wrote it)
LAM = 0.7


def _penalised_gradient_is(diagonal) -> bool:
    """Whether (1/m)Xᵀ(σ(Xθ) − y) + (λ/m)diag(``diagonal``)θ is the central differences of the penalised cost."""
    xs, y = RNG.normal(size=(M, P)), RNG.integers(0, 2, size=M).astype(float)
    t = RNG.normal(size=P)

    def cost(v):
        h = sigmoid(xs @ v)
        return -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h)) + LAM / (2 * M) * np.sum(v[1:] ** 2)

    written = xs.T @ (sigmoid(xs @ t) - y) / M + LAM / M * np.asarray(diagonal, dtype=float) * t
    return bool(np.allclose(written, central_differences(cost, t), rtol=1e-5, atol=1e-7))


@pytest.mark.parametrize(
    "words",
    [
        "where $L$ is the identity except that its first entry is 0.",  # review 9's A19
        "where $L$ is the identity with its first row set to $0$.",  # A34
    ],
)
def test_a_matrix_said_in_words_that_are_not_read_is_refused_not_drawn_as_a_number(words):
    assert _penalised_gradient_is([0, 1, 1])  # what the words mean: the row is right, a ✗ would be false
    report, step = _last_step(_PENALISED.replace("WHERE", words))
    assert str(step.status) == "not understood", str(report)
    assert report.exit_code == 2
    message = step.unreadable.message
    assert message.startswith("L multiplies a vector here, but no formula defines it (line 3 says what L is in words")
    assert r"L = \mathrm{diag}(0, 1, \dots, 1)" in message


def test_a_letter_used_and_never_said_is_refused_too():
    """Review 9's A05: M = diag(0, 1, …, 1) defined, the gradient written with L."""
    _, step = _last_step(_PENALISED.replace("WHERE", r"where $M = \mathrm{diag}(0,1,\dots,1)$."))
    assert str(step.status) == "not understood" and "the text does not say what L is" in step.unreadable.message


@pytest.mark.parametrize(
    ("entries", "diagonal"),
    [
        ("1,0,\\dots,0", [1, 0, 0]),
        ("1,\\dots,1,0", [1, 1, 0]),
        ("0,0,1,\\dots,1", [0, 0, 1]),
        ("0,2,\\dots,2", [0, 2, 2]),
    ],
)
def test_a_diagonal_by_entries_that_is_not_read_is_refused_for_that(entries, diagonal):
    """Review 9's A02, A11-A13: refused (each is wrong, so no ✓), with words about diag(…), not about vectors of θ."""
    assert not _penalised_gradient_is(diagonal)
    text = _PENALISED.replace("WHERE", f"where $L = \\mathrm{{diag}}({entries})$.")
    report, step = _last_step(text)
    assert str(step.status) in ("not understood", "fails"), str(report)
    if str(step.status) == "not understood":
        message = step.unreadable.message
        assert "a diagonal matrix written by its entries is read only as diag(0, 1, …, 1)" in message, message
        assert "vector by its entries" not in message


_HESSIAN = r"""The logistic cost is
$$J(\theta) = -\frac{1}{m}\left[y^T\log\sigma(X\theta) + (1-y)^T\log(1-\sigma(X\theta))\right]$$
Its gradient is
$$\nabla_\theta J(\theta) = \frac{1}{m}X^T(\sigma(X\theta) - y)$$
Differentiating once more,
$$\nabla^2_\theta J(\theta) = HESSIAN$$
where $S = \mathrm{diag}(\sigma(X\theta)\odot(1-\sigma(X\theta)))$.
"""


def _hessian_truth():
    """(X, θ, the Hessian of the logistic cost by central differences of its gradient's central differences)."""
    xs, y, t = RNG.normal(size=(M, P)), RNG.integers(0, 2, size=M).astype(float), RNG.normal(size=P)

    def cost(v):
        h = sigmoid(xs @ v)
        return -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))

    rows = [central_differences(lambda v, k=k: central_differences(cost, v, 1e-4)[k], t, 1e-4) for k in range(P)]
    return xs, t, np.array(rows)


@pytest.mark.parametrize(
    ("written", "hessian"),
    [
        (r"\frac{1}{m}X^T S X", lambda xs, s: xs.T @ np.diag(s) @ xs / M),
        (r"\frac{1}{m}X^T S^2 X", lambda xs, s: xs.T @ np.diag(s**2) @ xs / M),  # review 9's C07
        (r"\frac{1}{m}X^T S^{2} X", lambda xs, s: xs.T @ np.diag(s**2) @ xs / M),
    ],
)
def test_a_squared_diagonal_in_the_hessian_is_read_and_judged(written, hessian):
    xs, t, truth = _hessian_truth()
    s = sigmoid(xs @ t) * (1 - sigmoid(xs @ t))
    right = bool(np.allclose(hessian(xs, s), truth, rtol=1e-4, atol=1e-6))
    report = verify_fast(_HESSIAN.replace("HESSIAN", written), "logistic")
    (step,) = [s for s in report.steps if s.line == 6]
    assert _mark(step) == ("✓" if right else "✗"), str(report)


def test_a_hessian_of_the_wrong_shape_is_refused_for_its_shape():
    """Review 9's C14: (1/m) X S Xᵀ is m × m (X is m × (n+1)): the blame is on the shapes, not on how S is written."""
    report = verify_fast(_HESSIAN.replace("HESSIAN", r"\frac{1}{m}X S X^T"), "logistic")
    (step,) = [s for s in report.steps if s.line == 6]
    assert str(step.status) == "not understood"
    assert "shapes do not match" in step.unreadable.message and "⊙" not in step.unreadable.message


# --- 4. the Hessian as a sum of outer products; a system of equations after ∇J = 0 ------------------------------------

_OUTER = r"""The logistic cost is
$$J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[y^{(i)}\log\sigma(\theta^T x^{(i)}) + (1-y^{(i)})\log(1-\sigma(\theta^T x^{(i)}))\right]$$
Differentiating twice,
$$\nabla^2_\theta J(\theta) = HESSIAN$$
"""  # noqa: E501 (the text as the user wrote it)


_SS = r"\sigma(\theta^T x^{(i)})\left(1-\sigma(\theta^T x^{(i)})\right)"  # σ(1 − σ) of example i


@pytest.mark.parametrize(
    ("written", "weight"),
    [
        (r"\frac{1}{m}\sum_{i=1}^m " + _SS + r" x^{(i)} x^{(i)T}", 1),
        (r"\frac{1}{m}\sum_{i=1}^m " + _SS + r" x^{(i)} (x^{(i)})^T", 1),
        (r"\frac{1}{m}\sum_{i=1}^m \sigma(\theta^T x^{(i)})^2 x^{(i)} x^{(i)T}", 2),  # σ² for σ(1 − σ)
        (r"\sum_{i=1}^m " + _SS + r" x^{(i)} x^{(i)T}", 3),  # no 1/m
    ],
)
def test_a_hessian_written_as_a_sum_of_outer_products_is_read_entry_by_entry(written, weight):
    xs, t, truth = _hessian_truth()
    s = sigmoid(xs @ t)
    per_example = {1: s * (1 - s) / M, 2: s**2 / M, 3: s * (1 - s)}[weight]
    right = bool(np.allclose(xs.T @ np.diag(per_example) @ xs, truth, rtol=1e-4, atol=1e-6))
    report = verify_fast(_OUTER.replace("HESSIAN", written))
    (step,) = [s for s in report.steps if s.line == 4]
    assert _mark(step) == ("✓" if right else "✗"), str(report)


_SYSTEM = r"""Setting the gradient of $J(\theta) = \frac{1}{2m}\|X\theta - y\|^2 + \frac{\lambda}{2m}\|\theta\|^2$ to zero:

\begin{align*}
\frac{1}{m}X^T(X\theta - y) + \frac{\lambda}{m}\theta &= 0 \\
ROW2 &= 0 \\
\left(X^T X + \lambda I\right)\theta &= X^T y \\
\theta &= SOLUTION
\end{align*}
"""  # noqa: E501 (the text as the user wrote it)
_ROWS2 = {  # the second row's left side, in NumPy of (X, y, θ, λ)
    r"X^T X\theta - X^T y + \lambda\theta": lambda xs, y, t, lam: xs.T @ xs @ t - xs.T @ y + lam * t,
    r"X^T X\theta - X^T y + 2\lambda\theta": lambda xs, y, t, lam: xs.T @ xs @ t - xs.T @ y + 2 * lam * t,
}
_SOLUTIONS = {
    r"\left(X^T X + \lambda I\right)^{-1}X^T y": lambda xs, y, lam: np.linalg.solve(
        xs.T @ xs + lam * np.eye(P), xs.T @ y
    ),
    r"\left(X^T X + m\lambda I\right)^{-1}X^T y": lambda xs, y, lam: np.linalg.solve(
        xs.T @ xs + M * lam * np.eye(P), xs.T @ y
    ),
}


@pytest.mark.parametrize("row2", list(_ROWS2))
@pytest.mark.parametrize("solution", list(_SOLUTIONS))
def test_rows_of_a_system_after_the_gradient_set_to_zero_are_conditions(row2, solution):
    """Tester 12's v76-v78: each row is an equation in θ, true at the minimiser θ* (where the central differences of J
    vanish), not an identity at any θ; the last row is θ* itself."""
    xs, y, lam = RNG.normal(size=(M, P)), RNG.normal(size=M), 0.8
    cost = lambda v: np.sum((xs @ v - y) ** 2) / (2 * M) + lam / (2 * M) * v @ v  # noqa: E731
    star = _SOLUTIONS[r"\left(X^T X + \lambda I\right)^{-1}X^T y"](xs, y, lam)
    assert np.allclose(central_differences(cost, star), 0, atol=1e-7)  # θ* is where ∇J = 0
    row2_right = bool(np.allclose(_ROWS2[row2](xs, y, star, lam), 0, atol=1e-8))
    solution_right = bool(np.allclose(_SOLUTIONS[solution](xs, y, lam), star))
    report = verify_fast(_SYSTEM.replace("ROW2", row2).replace("SOLUTION", solution))
    marks = {s.line: _mark(s) for s in report.steps}
    assert marks[5] == ("✓" if row2_right else "✗"), str(report)
    assert marks[6] == "✓" and marks[4] == "✓", str(report)
    assert marks[7] == ("✓" if solution_right else "✗"), str(report)
    assert [n for s in report.steps if s.line in (5, 6) for n in [s.note or ""]][-1].startswith("an equation to solve")
