"""`derivation kernel --network`: the generated NumPy module of a user's own network, against independent judges.

For the networks users write (tests/test_network_layers.py: 3 and 4 layers, the column layout, squared error,
σ multi-label, an L2 with 1/m), the kernel's ``value_and_grad`` must equal the cost written again in plain NumPy
there (not through derivation) and central differences of it, and the derivation's own gradient
(:func:`derivation.nets.backprop.gradient`, evaluated from the derived SymPy expressions).  float32 in must
give float32 out, huge scores must stay finite, and the command line must write a module that needs NumPy only.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import warnings

import numpy as np
import pytest

from derivation.nets.backprop import gradient
from derivation.nets.graph import Graph, activations
from derivation.nets.kernel import compile_kernel, mlp_kernel_source
from tests.cli_runner import run_cli
from tests.test_network_layers import NETWORKS, REG, numeric_gradient

CHOSEN = [
    "course, 3 layers, L2",
    "4 layers, softplus, λ ΣW²",
    "Andrew Ng, columns, sigmoid",
    "Andrew Ng, columns, L2 over m",
    "Andrew Ng, columns, 3 layers, softmax",
    "one hidden tanh, MSE, LaTeX",
    "MSE regression net, sigmoid output",
    "sigmoid multi-label",
    "CS231n two-layer net",
    "np.dot and np.maximum, 0.5/m",
    "no hidden activation",
    "squared error without 1/m",
    "logistic regression, one layer",
]


def _kernel(name: str):
    graph = Graph.read(NETWORKS[name][0])
    return graph, compile_kernel(graph)


@pytest.mark.parametrize("name", CHOSEN)
def test_value_and_grad_equals_the_written_cost_its_differences_and_the_derivation(name):
    graph, kernel = _kernel(name)
    params, X, Y = graph.problem(seed=7)
    cost = lambda p: NETWORKS[name][1](p, X, Y, REG)  # noqa: E731 - the user's cost, in NumPy
    J, grads = kernel.value_and_grad(params, X, Y, reg=REG)
    assert J == pytest.approx(cost(params), rel=1e-12)
    assert kernel.loss(params, X, Y, reg=REG) == pytest.approx(J, rel=1e-14)
    backward = kernel.backward(params, X, Y, kernel.forward(params, X), reg=REG)
    derived = gradient(graph, params, X, Y, REG)
    assert list(grads) == list(params)
    for p, value in params.items():
        assert grads[p].shape == value.shape, p
        np.testing.assert_allclose(grads[p], numeric_gradient(cost, params, p), rtol=1e-5, atol=1e-7, err_msg=p)
        np.testing.assert_allclose(grads[p], derived[p], rtol=1e-10, atol=1e-13, err_msg=p)
        np.testing.assert_array_equal(backward[p], grads[p])


@pytest.mark.parametrize(
    "name", ["Andrew Ng, columns, 3 layers, softmax", "course, 3 layers, L2", "sigmoid multi-label"]
)
def test_integer_labels_equal_one_hot(name):
    graph, kernel = _kernel(name)
    params, X, Y = graph.problem(seed=2)
    if graph.loss == "binary cross-entropy":  # 0/1 targets: integers stand for one-hot rows
        Y = np.eye(Y.shape[1])[np.arange(Y.shape[0]) % Y.shape[1]]
    labels = np.argmax(Y, axis=1 if graph.layout == "row" else 0)
    J1, g1 = kernel.value_and_grad(params, X, Y, reg=REG)
    J2, g2 = kernel.value_and_grad(params, X, labels, reg=REG)
    assert J2 == pytest.approx(J1, rel=1e-13)
    for p in g1:
        np.testing.assert_allclose(g2[p], g1[p], rtol=1e-12, atol=1e-15, err_msg=p)


@pytest.mark.parametrize("name", CHOSEN[:8])
def test_float32_in_float32_out(name):
    graph, kernel = _kernel(name)
    params, X, Y = graph.problem(seed=4)
    J64, g64 = kernel.value_and_grad(params, X, Y, reg=REG)
    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    J32, g32 = kernel.value_and_grad(p32, X.astype(np.float32), Y.astype(np.float32), reg=REG)
    assert J32 == pytest.approx(J64, rel=1e-5)
    assert all(v.dtype == np.float32 for v in kernel.forward(p32, X.astype(np.float32)).values())
    for p, grad in g32.items():
        assert grad.dtype == np.float32, p
        np.testing.assert_allclose(grad, g64[p], rtol=1e-3, atol=1e-5, err_msg=p)


@pytest.mark.parametrize("name", CHOSEN[:8])
def test_finite_at_huge_scores(name):
    graph, kernel = _kernel(name)
    params, X, Y = graph.problem(seed=5)
    params = {k: v * 50 for k, v in params.items()}
    last = graph.layers[-1]
    top = np.max(np.abs(kernel.forward(params, X)[last.pre]))
    params[last.weight], params[last.bias] = params[last.weight] * 1500 / top, params[last.bias] * 1500 / top
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        warnings.simplefilter("error")
        J, grads = kernel.value_and_grad(params, X, Y, reg=1e-3)
        Z = kernel.forward(params, X)[last.pre]
    assert np.max(np.abs(Z)) == pytest.approx(1500)
    assert np.isfinite(J) and all(np.all(np.isfinite(g)) for g in grads.values())
    assert J == pytest.approx(graph.cost(params, X, Y, reg=1e-3), rel=1e-9)  # the oracle's log-sum-exp, softplus


@pytest.mark.parametrize("f", list(activations()))
def test_every_registry_activation_hidden_and_at_the_output(f):
    """Its NumPy form forward, its derivative (f(Z) written as the stored A) backward: the derivation's gradient."""
    graph = Graph.read(f"Z1 = X W1 + b1; A1 = {f}(Z1); Z2 = A1 W2 + b2; A2 = {f}(Z2); J = 1/(2m) ||A2 - Y||^2")
    kernel = compile_kernel(graph)
    params, X, Y = graph.problem(seed=1)
    J, grads = kernel.value_and_grad(params, X, Y)
    assert J == pytest.approx(graph.cost(params, X, Y), rel=1e-12)
    for p, value in gradient(graph, params, X, Y).items():
        np.testing.assert_allclose(grads[p], value, rtol=1e-10, atol=1e-14, err_msg=p)
    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    assert {g.dtype for g in kernel.value_and_grad(p32, X.astype(np.float32), Y)[1].values()} == {np.dtype("float32")}


def test_users_names_and_layout_are_kept():
    graph, kernel = _kernel("CS231n two-layer net")
    assert set(kernel.forward(*graph.problem(seed=0)[:2])) == {"Z1", "hidden", "scores"}
    source = mlp_kernel_source(Graph.read(NETWORKS["Andrew Ng, columns, L2 over m"][0]))  # W^{[1]} is W1
    for line in ('Z1 = params["W1"] @ X', 'Z1 += params["b1"][:, None]', "dW1 = delta1 @ X.T + reg/m*W1",
                 "db1 = delta1.sum(axis=1)", "dA1 = W2.T @ delta2", "δ¹ = ∂J/∂Z1", "m = X.shape[1]"):  # fmt: skip
        assert line in source, line


def test_names_the_module_uses_itself_are_renamed():
    text = "S = X W1 + b1; D = tanh(S); rows = D W2 + b2; P = softmax(rows); J = -(1/m) sum(Y * log(P))"
    graph = Graph.read(text)
    kernel = compile_kernel(graph)
    params, X, Y = graph.problem(seed=1)
    J, grads = kernel.value_and_grad(params, X, Y)
    assert J == pytest.approx(graph.cost(params, X, Y), rel=1e-13)
    assert set(kernel.forward(params, X)) == {"S", "D", "rows"}
    for p, value in gradient(graph, params, X, Y).items():
        np.testing.assert_allclose(grads[p], value, rtol=1e-10, atol=1e-13, err_msg=p)


def test_cli_writes_a_module_that_needs_numpy_only(tmp_path):
    text = NETWORKS["Andrew Ng, columns, L2 over m"][0]
    path = tmp_path / "net.py"
    result = run_cli("kernel", "--network", text, "-o", str(path))
    assert result.returncode == 0, result.stderr
    tree = ast.parse(path.read_text())
    imports = [a.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
               for a in node.names]  # fmt: skip
    assert imports == ["numpy"]
    graph = Graph.read(text)
    params, X, Y = graph.problem(seed=3)
    np.savez(tmp_path / "data.npz", X=X, Y=Y, **params)
    script = (
        "import sys, numpy as np; sys.path.insert(0, sys.argv[1]); import net; d = dict(np.load(sys.argv[2]));"
        "X, Y = d.pop('X'), d.pop('Y'); J, g = net.value_and_grad(d, X, Y, reg=0.3);"
        "print(J, 'derivation' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-I", "-c", script, str(tmp_path), str(tmp_path / "data.npz")],
                         capture_output=True, text=True, timeout=60, cwd=tmp_path)  # fmt: skip
    assert run.returncode == 0, run.stderr
    J, imported = run.stdout.split()
    assert float(J) == pytest.approx(NETWORKS["Andrew Ng, columns, L2 over m"][1](params, X, Y, 0.3), rel=1e-12)
    assert imported == "False"


@pytest.mark.parametrize(
    "args",
    [
        ("kernel", "--network", "Z1 = X W1 +"),
        ("kernel", "--network", "no layers here"),
        ("kernel", "mlp", "--network", "Z = X W + b; P = sigmoid(Z); J = -(1/m) sum(Y log(P) + (1 - Y) log(1 - P))"),
        ("kernel", "--l2", "half", "--network", "Z = X W + b; P = softmax(Z); J = -(1/m) sum(Y * log(P))"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args):
    result = run_cli(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_no_kernel_is_written_from_equations_the_oracle_did_not_pass(monkeypatch, tmp_path):
    """The module is printed from the derivation's equations: when their check fails, nothing is written."""
    import dataclasses

    import derivation.nets.backprop as backprop

    real = backprop.derive_network

    def failing(*args, **kwargs):
        d = real(*args, **kwargs)
        step = dataclasses.replace(d.steps[0], verdict=dataclasses.replace(d.steps[0].verdict, status="fails"))
        return dataclasses.replace(d, steps=(step, *d.steps[1:]))

    monkeypatch.setattr(backprop, "derive_network", failing)
    path = tmp_path / "net.py"
    text = "Z1 = X W1 + b1; A1 = relu(Z1); Z2 = A1 W2 + b2; P = softmax(Z2); J = -(1/m) sum(Y * log(P))"
    result = run_cli("kernel", "--network", text, "-o", str(path))
    assert result.returncode == 1 and not path.exists()
    assert "did not pass its checks" in result.stderr
