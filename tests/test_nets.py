"""Backprop through the two-layer network: the derivation, its oracle, and the generated kernel.

Independent judges: central differences of the network's cost (float64), scikit-learn's
``MLPClassifier._backprop`` (its own forward pass, loss and backward pass, with our weights set as its
``coefs_``/``intercepts_``), and SciPy's ``logsumexp``/``log_expit`` for the loss at extreme scores.
"""

# ruff: noqa: N803 - X, Y, Z1, W1 keep their case, as in the equations
from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pytest
import sympy as sp

from derivation.core.functions import sigmoid
from derivation.core.notation import elementwise
from derivation.core.steps import FAILS
from derivation.nets import backprop
from derivation.nets.backprop import (
    A1,
    DELTA2,
    W2,
    Z1,
    P,
    Y,
    central_differences,
    derive_network,
    equations,
    m,
    verify_equations,
)
from derivation.nets.kernel import compile_kernel, mlp_kernel_source
from derivation.nets.network import NETWORKS, Network, one_hot, targets
from derivation.printing import render

IDS = [net.name for net in NETWORKS]


# --- the derivation -----------------------------------------------------------------------------
@pytest.mark.parametrize("net", NETWORKS, ids=IDS)
def test_every_step_and_the_whole_gradient_verified(net):
    d = derive_network(net)
    assert d.verified, render(d, "text")
    assert all(s.verdict.method == "finite differences" for s in d.steps)
    rules = [s.rule for s in d.steps]
    expected = 8 + 2 * (net.l2 != "none")  # δ², W2, b2, A1, δ¹ twice, W1, b1 (+ the L2 term of each weight)
    assert len(rules) == expected
    assert rules[0] == ("softmax with cross-entropy" if net.output == "softmax" else "sigmoid with cross-entropy")
    assert rules.count(backprop.L2_RULE) == 2 * (net.l2 != "none")
    if net.hidden == "relu":  # the kink is stated, and the draws near it are accounted for
        step = next(s for s in d.steps if "elementwise" in s.rule)
        assert "kink" in step.rule and "kink" in step.rewrite
        assert "ReLU's kink" in d.checks[0].verdict.detail


def test_printed_as_courses_write_it():
    text = render(derive_network(Network("sigmoid", "softmax", "sum")), "text")
    for line in ("δ² = ∂J/∂Z2 = (1/m) (P − Y)", "∂J/∂W2 = ∂R/∂W2 + A1ᵀ δ²", "∂R/∂W2 = 2λ W2", "∂J/∂b2 = δ²ᵀ 𝟏",
                 "∂J/∂A1 = δ² W2ᵀ", "δ¹ = ∂J/∂Z1 = ∂J/∂A1 ⊙ σ(Z1) (1 − σ(Z1))", "δ¹ = (δ² W2ᵀ) ⊙ σ(Z1) (1 − σ(Z1))",
                 "∂J/∂b1 = δ¹ᵀ 𝟏", "where Z1 = XW1 + 𝟏 b1ᵀ", "where P = softmax(Z2)"):  # fmt: skip
        assert line in text, line
    assert "{\\delta^{(2)}}^{\\top}" in render(derive_network(Network()), "latex")  # no double superscript
    assert "(1/m) (σ(Z2) − Y)" in render(derive_network(Network("tanh", "sigmoid", "none")), "text")


def _mutated(net, index, side):
    """``net``'s equations with the last side of step ``index`` replaced."""
    eqs, result = equations(net)
    eqs[index] = replace(eqs[index], sides=(*eqs[index].sides[:-1], side))
    return verify_equations(net, eqs, result)


@pytest.mark.parametrize(
    ("net", "index", "side", "slip"),
    [
        (Network("sigmoid", "softmax", "none"), 0, P - Y, "1/m missing"),
        (
            Network("tanh", "sigmoid", "none"),
            0,
            sp.HadamardProduct(
                (elementwise(sigmoid, backprop.Z2) - Y) / m, elementwise(sigmoid.derivative, backprop.Z2)
            ),
            "σ′ twice",
        ),
        (Network("relu", "softmax", "none"), 1, (DELTA2.T * A1).T * 2, "factor 2"),
        (Network("relu", "softmax", "none"), 1, A1.T * DELTA2 * sp.Identity(backprop.K) / m, "1/m twice"),
        (Network("tanh", "softmax", "none"), 2, DELTA2 * sp.OneMatrix(backprop.K, 1), "bias summed over classes"),
        (
            Network("sigmoid", "softmax", "none"),
            4,
            sp.HadamardProduct(DELTA2 * W2.T, elementwise(sigmoid.derivative, A1)),
            "f′ at A1, not Z1",
        ),
        (Network("relu", "softmax", "sum"), 2, backprop.reg * W2, "L2: λW for reg·ΣW²"),
        (Network("relu", "softmax", "half"), 2, 2 * backprop.reg * W2, "L2: 2λW for (λ/2)ΣW²"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_wrong_step_fails_where_it_is(net, index, side, slip):
    d = _mutated(net, index, side)
    failed = [k for k, s in enumerate(d.steps) if s.verdict.status is FAILS]
    assert failed == [index], (slip, failed)


def test_a_wrong_shape_fails_with_the_shapes():
    net = Network("tanh", "softmax", "none")
    eqs, result = equations(net)
    b2_step = next(k for k, e in enumerate(eqs) if e.wrt == "b2")
    d = verify_equations(net, [*eqs[:b2_step], replace(eqs[b2_step], sides=(*eqs[b2_step].sides[:-1], DELTA2)),
                               *eqs[b2_step + 1:]], result)  # fmt: skip
    assert d.steps[b2_step].verdict.status is FAILS and "shape (5, 3)" in d.steps[b2_step].verdict.detail


def test_a_wrong_result_fails_the_result_check():
    net = Network("sigmoid", "softmax", "none")
    eqs, result = equations(net)
    assert verify_equations(net, eqs, result).checks[0].verdict.ok
    wrong = backprop.X.T * sp.HadamardProduct((P - Y) / m * W2.T, elementwise(sigmoid, Z1))  # σ for σ′
    d = verify_equations(net, eqs, {**result, "W1": wrong})
    assert d.checks[0].verdict.status is FAILS and all(s.verdict.ok for s in d.steps)


def test_relu_draws_near_the_kink_are_skipped(monkeypatch):
    monkeypatch.setattr(backprop, "KINK_MARGIN", 0.3)  # most draws have some |Z1| < 0.3
    d = derive_network(Network("relu", "sigmoid", "none"))
    assert d.verified
    skipped = int(d.checks[0].verdict.detail.rsplit(": ", 1)[1])
    assert skipped > 0


def test_reLU_slope_is_the_strict_step():
    net = Network("relu")
    assert net.activation_slope(np.array([-1.0, 0.0, 1e-300, 2.0])).tolist() == [0.0, 0.0, 1.0, 1.0]


# --- the kernel ---------------------------------------------------------------------------------
@pytest.mark.parametrize("net", NETWORKS, ids=IDS)
def test_kernel_equals_finite_differences_and_the_cost(net):
    kernel = compile_kernel(net)
    params, X, Y_ = net.problem(m=7, n=4, h=5, K=3, seed=3)
    J, grads = kernel.value_and_grad(params, X, Y_, reg=0.2)
    assert J == pytest.approx(net.cost(params, X, Y_, reg=0.2), rel=1e-13)
    assert kernel.loss(params, X, Y_, reg=0.2) == pytest.approx(J, rel=1e-14)
    cache = kernel.forward(params, X)
    backward = kernel.backward(params, X, Y_, cache, reg=0.2)
    for name in ("W1", "b1", "W2", "b2"):
        numeric = central_differences(lambda v, name=name: net.cost({**params, name: v}, X, Y_, 0.2), params[name])
        np.testing.assert_allclose(grads[name], numeric, rtol=1e-6, atol=1e-8, err_msg=name)
        np.testing.assert_array_equal(backward[name], grads[name])
        assert grads[name].shape == params[name].shape


@pytest.mark.parametrize("output", ["softmax", "sigmoid"])
def test_kernel_takes_integer_labels_and_one_hot_alike(output):
    net = Network("tanh", output, "half")
    kernel = compile_kernel(net)
    params, X, _ = net.problem(m=6, n=3, h=4, K=3, seed=5)
    labels = np.array([0, 2, 1, 1, 0, 2])
    J1, g1 = kernel.value_and_grad(params, X, labels, reg=0.1)
    J2, g2 = kernel.value_and_grad(params, X, one_hot(labels, 3), reg=0.1)
    assert J1 == pytest.approx(J2, rel=1e-14)
    for name in g1:
        np.testing.assert_allclose(g1[name], g2[name], rtol=1e-13, atol=1e-16)
    binary = Network("sigmoid", "sigmoid", "none")  # one output, labels 0/1 as a vector
    params, X, _ = binary.problem(m=6, n=3, h=4, K=1, seed=6)
    y = np.array([0, 1, 1, 0, 1, 0])
    assert compile_kernel(binary).loss(params, X, y) == pytest.approx(binary.cost(params, X, targets(y, 1)))


def _sklearn_backprop(net: Network, params, X, Y_, alpha: float):
    """scikit-learn's own loss and gradients for our weights: MLPClassifier._backprop."""
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(hidden_layer_sizes=(params["W1"].shape[1],), alpha=alpha,
                        activation={"sigmoid": "logistic", "tanh": "tanh", "relu": "relu"}[net.hidden])  # fmt: skip
    clf.coefs_ = [params["W1"].copy(), params["W2"].copy()]
    clf.intercepts_ = [params["b1"].copy(), params["b2"].copy()]
    clf.n_layers_ = 3
    clf.out_activation_ = "softmax" if net.output == "softmax" else "logistic"
    activations = [X, None, None]
    coef_grads = [np.empty_like(c) for c in clf.coefs_]
    intercept_grads = [np.empty_like(b) for b in clf.intercepts_]
    loss, cg, ig = clf._backprop(X, Y_, None, activations, [None, None], coef_grads, intercept_grads)
    return loss, {"W1": cg[0], "b1": ig[0], "W2": cg[1], "b2": ig[1]}


@pytest.mark.parametrize("net", [n for n in NETWORKS if n.l2 == "half"], ids=lambda n: n.name)
def test_kernel_equals_scikit_learn_backprop(net):
    pytest.importorskip("sklearn")
    params, X, Y_ = net.problem(m=9, n=4, h=6, K=3, seed=11, scale=0.7)
    alpha = 0.3  # sklearn's penalty is (alpha/2m)·ΣW²: our (reg/2)·ΣW² with reg = alpha/m
    loss, expected = _sklearn_backprop(net, params, X, Y_, alpha)
    J, grads = compile_kernel(net).value_and_grad(params, X, Y_, reg=alpha / X.shape[0])
    assert J == pytest.approx(loss, rel=1e-12)
    for name in grads:
        np.testing.assert_allclose(grads[name], expected[name], rtol=1e-11, atol=1e-14, err_msg=name)


@pytest.mark.parametrize("net", [n for n in NETWORKS if n.l2 == "sum"], ids=lambda n: n.name)
def test_kernel_is_stable_at_huge_scores(net):
    from scipy.special import log_expit, logsumexp

    params, X, Y_ = net.problem(m=6, n=3, h=4, K=3, seed=2)
    params = {k: v * 400 for k, v in params.items()}  # |Z1| in the hundreds (e^−2000 → 0 is fine)
    kernel = compile_kernel(net)
    top = np.max(np.abs(kernel.forward(params, X)["Z2"]))
    params["W2"], params["b2"] = params["W2"] * 1500 / top, params["b2"] * 1500 / top  # max |Z2| = 1500
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        warnings.simplefilter("error")
        J, grads = kernel.value_and_grad(params, X, Y_, reg=1e-3)
        Z2 = kernel.forward(params, X)["Z2"]
    assert np.max(np.abs(Z2)) > 1000
    assert np.isfinite(J) and all(np.all(np.isfinite(g)) for g in grads.values())
    penalty = 1e-3 * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    if net.output == "softmax":
        reference = -np.sum(Y_ * (Z2 - logsumexp(Z2, axis=1, keepdims=True))) / 6
    else:
        reference = -np.sum(Y_ * log_expit(Z2) + (1 - Y_) * log_expit(-Z2)) / 6
    assert J == pytest.approx(reference + penalty, rel=1e-12)
    assert np.all(np.abs(grads["b2"]) <= 1.0 + 1e-12)  # δ² = (P − Y)/m: every entry in [−1/m, 1/m]


def test_kernel_source_is_printed_from_the_derivation():
    source = mlp_kernel_source(Network("tanh", "softmax", "half"))
    for line in ("dW2 = A1.T @ delta2 + reg*W2", "db2 = delta2.sum(axis=0)", "dA1 = delta2 @ W2.T",
                 "delta1 *= 1 - A1**2", "dW1 = X.T @ delta1 + reg*W1", "db1 = delta1.sum(axis=0)",
                 "δ¹ = ∂J/∂Z1 = ∂J/∂A1 ⊙ (1 − tanh(Z1)²)", "δ¹ = (δ² W2ᵀ) ⊙ (1 − tanh(Z1)²)"):  # fmt: skip
        assert line in source, line
    assert "import numpy as np" in source and "scipy" not in source and "derivation" not in source.split('"""')[2]


def test_latex_compiles(compile_latex):
    compile_latex(render(derive_network(Network("tanh", "sigmoid", "sum")), "latex", standalone=True))
