"""`show --network`: users' own networks written as named layers, derived by backprop, every step checked.

Each network below is written the way a course, an assignment or a blog writes it, and each has its
forward pass written again here in plain NumPy (not through derivation's modules): the derived
gradient must equal central differences of that independent cost, every step must carry a ✓, and for
the two-layer ones the gradient must equal the two-layer preset's (derive_network of a Network).  Wrong
steps injected into the general equations must fail, and bad text must end in one line, exit 2.
"""

# ruff: noqa: N803 - X, Y, W1, Z1 keep their case, as in the equations
from __future__ import annotations

import io
import json
import sys
from dataclasses import replace

import numpy as np
import pytest
import sympy as sp

from derivation.core.steps import FAILS
from derivation.nets import backprop
from derivation.nets.backprop import derive_network, equations, gradient, verify_equations
from derivation.nets.graph import Graph
from derivation.nets.network import Network
from derivation.parsing.errors import ParseError
from derivation.parsing.layers import read_layers
from derivation.printing import render
from derivation.printing.text import to_unicode
from tests.cli_runner import run_cli

REG = 0.3


# --- the independent forward passes ----------------------------------------------------------------
def softmax_rows(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def relu(Z):
    return np.maximum(0, Z)


def softplus(Z):
    return np.log1p(np.exp(Z))


def ce(P, Y):
    return -np.sum(Y * np.log(P)) / Y.shape[0]


def bce(P, Y, m):
    return -np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P)) / m


def l2(p, names):
    return sum(np.sum(p[w] ** 2) for w in names)


def course(p, X, Y, lam):
    A1 = relu(X @ p["W1"] + p["b1"])
    A2 = np.tanh(A1 @ p["W2"] + p["b2"])
    P = softmax_rows(A2 @ p["W3"] + p["b3"])
    return ce(P, Y) + lam / 2 * l2(p, ("W1", "W2", "W3"))


def cs231n(p, X, Y, lam):
    hidden = relu(X @ p["W1"] + p["b1"])
    probs = softmax_rows(hidden @ p["W2"] + p["b2"])
    return ce(probs, Y) + lam * l2(p, ("W1", "W2"))


def ng_sigmoid(p, X, Y, lam):  # columns: X (n, m), W1 (h, n), b1 a column
    A1 = sigmoid(p["W1"] @ X + p["b1"][:, None])
    A2 = sigmoid(p["W2"] @ A1 + p["b2"][:, None])
    return bce(A2, Y, X.shape[1])


def ng_tanh_l2(p, X, Y, lam):
    m = X.shape[1]
    A1 = np.tanh(p["W1"] @ X + p["b1"][:, None])
    A2 = sigmoid(p["W2"] @ A1 + p["b2"][:, None])
    return bce(A2, Y, m) + lam / (2 * m) * l2(p, ("W1", "W2"))


def ng_three_softmax(p, X, Y, lam):
    A1 = relu(p["W1"] @ X + p["b1"][:, None])
    A2 = relu(p["W2"] @ A1 + p["b2"][:, None])
    P = softmax_rows((p["W3"] @ A2 + p["b3"][:, None]).T).T  # each column (example) sums to 1
    return -np.sum(Y * np.log(P)) / X.shape[1]


def keras(p, x, y, lam):
    h = relu(x @ p["W1"] + p["b1"])
    return ce(softmax_rows(h @ p["W2"] + p["b2"]), y)


def tanh_regression(p, x, y, lam):
    h = np.tanh(x @ p["W1"] + p["b1"])
    yhat = h @ p["W2"] + p["b2"]
    return np.sum((yhat - y) ** 2) / (2 * x.shape[0])


def sigmoid_regression(p, X, Y, lam):
    A2 = sigmoid(sigmoid(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"])
    return np.sum((A2 - Y) ** 2) / (2 * X.shape[0])


def multilabel(p, X, Y, lam):
    P = sigmoid(np.tanh(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"])
    return bce(P, Y, X.shape[0])


def four_layers(p, X, Y, lam):
    A = softplus(X @ p["W1"] + p["b1"])
    A = relu(A @ p["W2"] + p["b2"])
    A = np.tanh(A @ p["W3"] + p["b3"])
    P = softmax_rows(A @ p["W4"] + p["b4"])
    return ce(P, Y) + lam * l2(p, ("W1", "W2", "W3", "W4"))


def logistic(p, X, Y, lam):
    return bce(sigmoid(X @ p["W"] + p["b"]), Y, X.shape[0])


def relu_regression(p, X, Y, lam):
    Z2 = relu(np.dot(X, p["W1"]) + p["b1"]) @ p["W2"] + p["b2"]
    return 0.5 / X.shape[0] * np.sum((Z2 - Y) ** 2)


def unicode_course(p, X, Y, lam):
    P = softmax_rows(sigmoid(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"])
    return ce(P, Y) + lam / 2 * l2(p, ("W1", "W2"))


def linear_hidden(p, X, Y, lam):
    Z2 = (X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
    return ce(softmax_rows(Z2), Y)


def summed_squares(p, X, Y, lam):
    return np.sum((np.tanh(np.tanh(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]) - Y) ** 2)


def integer_labels(p, X, Y, lam):
    """CS231n's mean of −log p at each example's integer label (labels = the one-hot Y's argmax)."""
    scores = np.maximum(X @ p["W1"] + p["b1"], 0) @ p["W2"] + p["b2"]
    probs = softmax_rows(scores)
    labels = np.argmax(Y, axis=1)
    return -np.mean(np.log(probs[np.arange(len(labels)), labels]))


NETWORKS = {
    "course, 3 layers, L2": (
        """Z1 = X W1 + b1
        A1 = relu(Z1)
        Z2 = A1 W2 + b2
        A2 = tanh(Z2)
        Z3 = A2 W3 + b3
        P = softmax(Z3)
        J = -(1/m) sum(Y * log(P)) + (lambda/2) (||W1||^2 + ||W2||^2 + ||W3||^2)""",
        course,
    ),
    "CS231n two-layer net": (
        """hidden = np.maximum(0, X.dot(W1) + b1)   # ReLU
        scores = hidden.dot(W2) + b2
        probs = softmax(scores)
        loss = -np.sum(Y * np.log(probs)) / m + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))""",
        cs231n,
    ),
    "Andrew Ng, columns, sigmoid": (
        r"""Z^{[1]} = W^{[1]} X + b^{[1]}
        A^{[1]} = \frac{1}{1 + e^{-Z^{[1]}}}
        Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]}
        \hat{Y} = \sigma(Z^{[2]})
        J = -\frac{1}{m}\sum_{i=1}^{m} \left( y^{(i)} \log \hat{y}^{(i)}
            + (1 - y^{(i)}) \log(1 - \hat{y}^{(i)}) \right)""",
        ng_sigmoid,
    ),
    "Andrew Ng, columns, L2 over m": (
        r"""\begin{align}
        Z^{[1]} &= W^{[1]} X + b^{[1]} \\ A^{[1]} &= \tanh(Z^{[1]}) \\
        Z^{[2]} &= W^{[2]} A^{[1]} + b^{[2]} \\ A^{[2]} &= \sigma(Z^{[2]}) \\
        J &= -\frac{1}{m}\sum \left[ Y \log A^{[2]} + (1 - Y)\log(1 - A^{[2]}) \right]
             + \frac{\lambda}{2m}\sum_l \left\| W^{[l]} \right\|_F^2
        \end{align}""",
        ng_tanh_l2,
    ),
    "Andrew Ng, columns, 3 layers, softmax": (
        r"""Z^{[1]} = W^{[1]} X + b^{[1]}; A^{[1]} = \text{ReLU}(Z^{[1]})
        Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]}; A^{[2]} = \max(0, Z^{[2]})
        Z^{[3]} = W^{[3]} A^{[2]} + b^{[3]}; A^{[3]} = \operatorname{softmax}(Z^{[3]})
        \mathcal{L} = -\frac{1}{m} \sum Y \odot \log A^{[L]}""",
        ng_three_softmax,
    ),
    "Keras-ish Python": (
        """h = relu(x @ W1 + b1)
        logits = h @ W2 + b2
        p = softmax(logits)
        loss = -np.sum(y * np.log(p)) / m""",
        keras,
    ),
    "one hidden tanh, MSE, LaTeX": (
        r"""h = \tanh(x W_1 + b_1)
        \hat{y} = h W_2 + b_2
        J = \frac{1}{2m}\sum (\hat y - y)^2""",
        tanh_regression,
    ),
    "MSE regression net, sigmoid output": (
        "Z1 = X W1 + b1; A1 = sigmoid(Z1); Z2 = A1 W2 + b2; A2 = sigmoid(Z2)\nJ = 1/(2m) ||A2 - Y||^2",
        sigmoid_regression,
    ),
    "sigmoid multi-label": (
        """Z1 = X @ W1 + b1
        A1 = np.tanh(Z1)
        Z2 = A1 @ W2 + b2
        P = 1 / (1 + np.exp(-Z2))
        J = -(1/m) * np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P))""",
        multilabel,
    ),
    "4 layers, softplus, λ ΣW²": (
        "Z1 = X W1 + b1; A1 = softplus(Z1); Z2 = A1 W2 + b2; A2 = relu(Z2); Z3 = A2 W3 + b3; A3 = tanh(Z3)\n"
        "Z4 = A3 W4 + b4; P = softmax(Z4)\n"
        "J = -1/m * sum(Y * log(P)) + lambda * (sum(W1**2) + sum(W2**2) + sum(W3**2) + sum(W4**2))",
        four_layers,
    ),
    "logistic regression, one layer": (
        "Z = X W + b; P = sigmoid(Z); J = -(1/m) sum(Y log(P) + (1 - Y) log(1 - P))",
        logistic,
    ),
    "logistic regression, log without brackets": (  # Andrew Ng's notes: Y log A + (1 − Y) log(1 − A)
        "Z = X W + b; A = sigmoid(Z); J = -(1/m) sum(Y log A + (1 - Y) log(1 - A))",
        logistic,
    ),
    "np.dot and np.maximum, 0.5/m": (
        "Z1 = np.dot(X, W1) + b1\nA1 = np.maximum(Z1, 0)\nZ2 = np.dot(A1, W2) + b2\nJ = 0.5 / m * np.sum((Z2 - Y)**2)",
        relu_regression,
    ),
    "Unicode course notation": (
        "Z1 = X·W1 + b1\nA1 = σ(Z1)\nZ2 = A1·W2 + b2\nP = softmax(Z2)\nJ = −(1/m) Σ Y ⊙ log(P) + (λ/2)(‖W1‖² + ‖W2‖²)",
        unicode_course,
    ),
    "no hidden activation": (
        "Z1 = X W1 + b1; Z2 = Z1 W2 + b2; P = softmax(Z2); J = -(1/m) sum(Y * log(P))",
        linear_hidden,
    ),
    "integer labels picked by fancy indexing, softmax in the cost": (
        "h = relu(X @ W1 + b1); scores = h @ W2 + b2; loss = -np.mean(np.log(softmax(scores)[np.arange(N), y]))",
        integer_labels,
    ),
    "squared error without 1/m": (
        "Z1 = X W1 + b1; A1 = tanh(Z1); Z2 = A1 W2 + b2; A2 = tanh(Z2); J = sum((A2 - Y)**2)",
        summed_squares,
    ),
}
IDS = list(NETWORKS)


def numeric_gradient(cost, params, name, step=1e-6):
    """Central differences of ``cost`` in ``params[name]``, written here, not taken from derivation."""
    value = params[name]
    grad = np.zeros_like(value)
    for index in np.ndindex(value.shape):
        up, down = value.copy(), value.copy()
        up[index] += step
        down[index] -= step
        grad[index] = (cost({**params, name: up}) - cost({**params, name: down})) / (2 * step)
    return grad


@pytest.mark.parametrize("name", IDS)
def test_derived_verified_and_equal_to_differences_of_the_users_cost(name):
    text, forward = NETWORKS[name]
    graph = Graph.read(text)
    d = derive_network(graph)
    assert d.verified, render(d, "text")
    assert all(s.verdict.method == "finite differences" for s in d.steps)
    assert d.steps[0].rule in (backprop.SOFTMAX_CE, backprop.SIGMOID_CE, backprop.SQUARED)
    params, X, Y = graph.problem(seed=7)
    cost = lambda p: forward(p, X, Y, REG)  # noqa: E731
    assert np.isclose(graph.cost(params, X, Y, REG), cost(params), rtol=1e-12)  # the cost read is the cost written
    derived = gradient(graph, params, X, Y, REG)
    assert set(derived) == set(params)
    for p in params:
        np.testing.assert_allclose(derived[p], numeric_gradient(cost, params, p), rtol=1e-5, atol=1e-7, err_msg=p)


TWO_LAYER = {  # text → the preset it is, and the renaming of its parameters to W1, b1, W2, b2
    "CS231n two-layer net": Network("relu", "softmax", "sum"),
    "Keras-ish Python": Network("relu", "softmax", "none"),
    "Unicode course notation": Network("sigmoid", "softmax", "half"),
    "sigmoid multi-label": Network("tanh", "sigmoid", "none"),
    "Andrew Ng, columns, sigmoid": Network("sigmoid", "sigmoid", "none"),
}


@pytest.mark.parametrize("name", list(TWO_LAYER))
def test_two_layer_texts_equal_the_preset(name):
    graph, net = Graph.read(NETWORKS[name][0]), TWO_LAYER[name]
    params, X, Y = graph.problem(seed=3)
    row = graph.layout == "row"
    names = ("W1", "b1", "W2", "b2")
    preset = {p: (v if row or v.ndim == 1 else v.T) for p, v in zip(names, params.values(), strict=True)}
    mine = gradient(graph, params, X, Y, REG)
    theirs = gradient(net, preset, X if row else X.T, Y if row else Y.T, REG)
    for value, q in zip(mine.values(), names, strict=True):
        np.testing.assert_allclose(value if row or value.ndim == 1 else value.T, theirs[q], rtol=1e-10, atol=1e-12)


def test_the_course_text_is_the_preset_itself():
    text = "Z1 = X W1 + b1\nA1 = tanh(Z1)\nZ2 = A1 W2 + b2\nP = softmax(Z2)\n"
    text += "J = -(1/m) sum(Y * log(P)) + (lambda/2)(||W1||^2 + ||W2||^2)"
    mine, preset = derive_network(Graph.read(text)), derive_network(Network("tanh", "softmax", "half"))
    assert [(s.rule, s.rewrite, to_unicode(s.expr)) for s in mine.steps] == [
        (s.rule, s.rewrite, to_unicode(s.expr)) for s in preset.steps
    ]
    mine, preset = equations(Graph.read(text))[1], equations(Network("tanh", "softmax", "half"))[1]
    assert {p: to_unicode(e) for p, e in mine.items()} == {p: to_unicode(e) for p, e in preset.items()}


# --- a wrong step is never ✓ --------------------------------------------------------------------------
def _with_last_side(graph, index, side):
    eqs, result = equations(graph)
    eqs[index] = replace(eqs[index], sides=(*eqs[index].sides[:-1], side))
    return verify_equations(graph, eqs, result)


def test_dropping_the_activation_slope_fails_that_step():
    graph = Graph.read(NETWORKS["course, 3 layers, L2"][0])
    eqs, _ = equations(graph)
    index = next(k for k, e in enumerate(eqs) if e.rule == backprop.RECURRENCE and e.wrt == "Z2")
    upstream = next(a for a in eqs[index].sides[-1].args if not isinstance(a, backprop.Elementwise))
    d = _with_last_side(graph, index, upstream)  # δ² = δ³W3ᵀ, f′(Z2) forgotten
    assert [k for k, s in enumerate(d.steps) if s.verdict.status is FAILS] == [index]
    assert not d.verified


def test_a_transposed_weight_gradient_fails_that_step():
    graph = Graph.read(NETWORKS["Andrew Ng, columns, L2 over m"][0])
    eqs, _ = equations(graph)
    index = next(k for k, e in enumerate(eqs) if e.rule == backprop.AFFINE_W and e.wrt == "W1")
    s = backprop.Symbols(graph)
    d = _with_last_side(graph, index, s.deltas[0] * s["X"].T)  # ∂R/∂W1 left out: δ¹Xᵀ alone
    assert d.steps[index].verdict.status is FAILS
    d = _with_last_side(graph, index, s["X"] * s.deltas[0].T)  # Xδᵀ: W1's transpose
    assert d.steps[index].verdict.status is FAILS and "shape" in d.steps[index].verdict.detail


def test_squared_error_without_its_factor_two_fails():
    graph = Graph.read(NETWORKS["MSE regression net, sigmoid output"][0])
    eqs, _ = equations(graph)
    assert eqs[0].rule == backprop.SQUARED
    s = backprop.Symbols(graph)
    d = _with_last_side(graph, 0, (s["A2"] - s["Y"]) / (2 * backprop.m))  # c(A − Y), not 2c(A − Y)
    assert d.steps[0].verdict.status is FAILS


def test_a_wrong_result_fails_the_gradient_check_with_every_step_right():
    graph = Graph.read(NETWORKS["4 layers, softplus, λ ΣW²"][0])
    eqs, result = equations(graph)
    s = backprop.Symbols(graph)
    d = verify_equations(graph, eqs, {**result, "b4": s.deltas[3].T * s.ones * 2})
    assert all(step.verdict.ok for step in d.steps) and d.checks[0].verdict.status is FAILS


# --- reading -----------------------------------------------------------------------------------------
def test_layout_and_names_are_read_as_written():
    ng = read_layers(NETWORKS["Andrew Ng, columns, L2 over m"][0])
    assert (ng.layout, ng.loss, ng.l2, ng.penalised) == (
        "column",
        "binary cross-entropy",
        1 / (2 * backprop.m),
        ("W1", "W2"),
    )
    keras = read_layers(NETWORKS["Keras-ish Python"][0])
    assert keras.layout == "row" and keras.input == "x" and keras.target == "y"
    assert [layer[2:5] for layer in keras.layers] == [("Z1", "relu", "h"), ("logits", "softmax", "p")]
    assert "column layout: X (n, m), W1 (h, n)" in Graph.read(NETWORKS["Andrew Ng, columns, sigmoid"][0]).title


BAD = {
    "Z1 = X W1 + b1\nA1 = leaky_relu(Z1)\nZ2 = A1 W2 + b2\nJ = 1/(2m) ||Z2 - Y||^2": "line 2, col 5: leaky_relu is not",
    "Z1 = X W1 + b1; A1 = relu(Z1); Z2 = A1 W2 + b2; P = softmax(Z2)": "no cost",
    "Z1 = X W1 + b1; A1 = relu(Z1); Z2 = W2 A1 + b2; P = softmax(Z2); J = -(1/m) sum(Y*log(P))": "column layout",
    "Z1 = X W1 + b1; A1 = relu(Z1); Z2 = Z1 W2 + b2; P = softmax(Z2); J = -(1/m) sum(Y*log(P))": "layers run in order",
    "Z1 = X W1 + b1; P = softmax(Z1); J = 1/(2m) ||P - Y||^2": "squared error after softmax",
    "Z1 = X W1 + b1; P = sigmoid(Z1); J = -(1/m) sum(Y * log(P))": "after a sigmoid write",
    "Z1 = X W1 + b1; P = sigmoid(Z1); J = 1/2m sum((P - Y)**2)": "1/(2m)",
    "Z1 = (X W1 + b1; P = sigmoid(Z1)": "closing bracket",
    "Z1 = X W1 + b1 ? 2": "unexpected",
    "Z1 = X W1 + b1\nP = softmax(Z1)\nJ = -(1/m) sum(Y * log(P)) + ||W1||^2": "λ",
    "Z1 = X W1 + b1\nP = softmax(Z1)\nJ = -(1/m) sum(Y * exp(P))": "line 3",
    "Z1 = X W1 + b1; P = softmax(Z1); J = -(1/m) sum(Y * log(P)); Z2 = P W2 + b2": "cost J = … last",
    "Z1 = X * Y + b1; P = softmax(Z1); J = -(1/m) sum(Y * log(P))": "name the weights W1",
    "Z1 = X W1^T + b1; P = softmax(Z1); J = -(1/m) sum(Y * log(P))": "without a transpose",
    r"Z1 = X W1 + b1; P = \foo(Z1); J = 1": r"unknown command \foo",
    "Z1 = X W1 + b1\nA1 relu(Z1)": "line 2, col 0: a line without =",
    "Z1 X W1 + b1": "neither a file nor layers",
    "/no/such/file.txt": "neither a file nor layers",
}


@pytest.mark.parametrize("text", list(BAD), ids=range(len(BAD)))
def test_bad_text_is_one_line_and_exit_2(text):
    result = run_cli("show", "--network", text)
    assert result.returncode == 2, result.stdout
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("derivation: error: ")
    assert BAD[text] in result.stderr, result.stderr


def test_errors_say_line_and_column():
    with pytest.raises(ParseError) as error:
        read_layers("Z1 = X W1 + b1\nA1 = relu(Z1)\nZ2 = A1 W2 + b2\nP = softmax(Z2)\nJ = -(1/m) sum(Y * log(Q))")
    assert str(error.value).startswith("line 5, col ")


def test_options_of_the_preset_do_not_go_with_a_network():
    result = run_cli("show", "--network", NETWORKS["Keras-ish Python"][0], "--activation", "tanh")
    assert result.returncode == 2 and "--activation" in result.stderr


# --- the command line ----------------------------------------------------------------------------------
def test_every_format_from_text_file_and_stdin(tmp_path, monkeypatch):
    text = NETWORKS["Andrew Ng, columns, sigmoid"][0]
    out = run_cli("show", "--network", text)
    assert out.returncode == 0 and "δ² = ∂J/∂Z2 = (1/m) (σ(Z2) − y)" in out.stdout and "column layout" in out.stdout
    assert "∂J/∂W1 = δ¹Xᵀ" in out.stdout and "where Z1 = W1X + b1𝟏ᵀ" in out.stdout
    path = tmp_path / "net.tex"
    path.write_text(text, encoding="utf-8")
    latex = run_cli("show", "--network", str(path), "--format", "latex")
    assert latex.returncode == 0 and r"{\delta^{(2)}}" in latex.stdout
    data = json.loads(run_cli("show", "--network", str(path), "--format", "json").stdout)
    assert data["verified"] is True and data["model"] == "network"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    markdown = run_cli("show", "--network", "-", "--format", "markdown")
    assert markdown.returncode == 0 and "sigmoid with cross-entropy" in markdown.stdout


def test_never_evaluated():
    text = "Z1 = X W1 + b1; P = softmax(Z1); J = -(1/m) sum(Y * log(__import__('os').system('exit 3')))"
    with pytest.raises(ParseError):
        read_layers(text)


def test_factors_are_exact():
    program = read_layers(
        "Z1 = X W1 + b1; P = sigmoid(Z1); J = 0.5 / m * np.sum((P - Y)**2) + 0.25 * reg * np.sum(W1**2)"
    )
    assert program.scale == sp.Rational(1, 2) / backprop.m and program.l2 == sp.Rational(1, 4)
