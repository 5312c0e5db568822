"""The generated two-layer kernel's dtypes, input layouts and speed tricks, and its benchmark's honesty.

The kernel's gradients against finite differences, scikit-learn and huge scores are in test_nets.py; here the
judges are the kernel's own float64 result on a plain C-ordered copy of the data (layouts and dtypes must not
change the numbers beyond rounding), SciPy's logsumexp, and the benchmark's CS231n contender.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pytest

from derivation.nets.kernel import compile_kernel, mlp_kernel_source
from derivation.nets.network import Network

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_mlp.py"
NETS = [Network("relu", "softmax", "sum"), Network("sigmoid", "sigmoid", "half"), Network("tanh", "softmax", "none")]
IDS = [net.name for net in NETS]


def _problem(net: Network, m: int = 40, n: int = 6, h: int = 5, seed: int = 0):
    """Weights, data and integer labels (0/1 for a sigmoid output of one unit)."""
    K = 4 if net.output == "softmax" else 1
    rng = np.random.default_rng(seed)
    params = {"W1": rng.normal(size=(n, h)), "b1": rng.normal(size=h), "W2": rng.normal(size=(h, K)),
              "b2": rng.normal(size=K)}  # fmt: skip
    return params, rng.normal(size=(m, n)), rng.integers(0, max(K, 2), m)


@pytest.mark.parametrize("net", NETS, ids=IDS)
def test_float32_stays_float32_and_x_is_not_copied(net):
    kernel = compile_kernel(net)
    params, X, y = _problem(net)
    J64, g64 = kernel.value_and_grad(params, X, y, reg=0.1)
    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    X32 = X.astype(np.float32)
    assert kernel._inputs(p32, X32) is X32  # converted at most once, and not at all when it is already right
    assert kernel._inputs(p32, np.asfortranarray(X32)).flags.f_contiguous  # BLAS reads either order in place
    J32, g32 = kernel.value_and_grad(p32, X32, y, reg=0.1)
    assert J32 == pytest.approx(J64, rel=1e-5)
    for name, grad in g32.items():
        assert grad.dtype == np.float32, name
        np.testing.assert_allclose(grad, g64[name], rtol=1e-4, atol=1e-5, err_msg=name)
    assert all(v.dtype == np.float32 for v in kernel.forward(p32, X32).values())
    one_hot = np.eye(max(params["W2"].shape[1], 2))[y][:, -params["W2"].shape[1] :]  # float64 targets
    assert all(g.dtype == np.float32 for g in kernel.value_and_grad(p32, X32, one_hot, reg=0.1)[1].values())


@pytest.mark.parametrize("net", NETS, ids=IDS)
def test_any_layout_or_dtype_of_x_gives_the_same_numbers(net):
    kernel = compile_kernel(net)
    params, X, y = _problem(net)
    Xi = np.round(X * 3)  # integral values: exact as int64 and as float64
    J, g = kernel.value_and_grad(params, Xi, y, reg=0.3)
    wide = np.zeros((X.shape[0], 2 * X.shape[1]))
    wide[:, ::2] = Xi
    for variant in (Xi.astype(np.int64), np.asfortranarray(Xi), wide[:, ::2], Xi.astype(np.float32), Xi.tolist()):
        J2, g2 = kernel.value_and_grad(params, variant, y, reg=0.3)
        assert J2 == pytest.approx(J, rel=1e-14)
        for name in g:
            np.testing.assert_allclose(g2[name], g[name], rtol=1e-13, atol=1e-15, err_msg=name)
            assert g2[name].dtype == np.float64
        backward = kernel.backward(params, variant, y, kernel.forward(params, variant), reg=0.3)
        assert all(np.allclose(backward[k], g[k], rtol=1e-13, atol=1e-15) for k in g)


def test_softmax_exponentiates_once_and_folds_the_batch_mean():
    source = mlp_kernel_source(Network("relu", "softmax", "sum"))
    body = source.split("def _loss_and_delta2", 1)[1].split("\ndef ", 1)[0]
    assert body.count("np.exp(") == 1 and "np.log(S)" in body  # the loss and δ² share one exp
    assert "delta2 /= m" not in body and "S *= m" in body


@pytest.mark.parametrize("labels", ["integers", "one-hot"])
def test_float32_softmax_is_finite_at_huge_scores(labels):
    from scipy.special import logsumexp

    net = Network("relu", "softmax", "sum")
    kernel = compile_kernel(net)
    params, X, y = _problem(net, m=12)
    params = {k: (v * 40).astype(np.float32) for k, v in params.items()}
    Z2 = kernel.forward(params, X.astype(np.float32))["Z2"]
    scale = np.float32(1500 / np.max(np.abs(Z2)))
    params["W2"], params["b2"] = params["W2"] * scale, params["b2"] * scale  # max |Z2| = 1500
    target = y if labels == "integers" else np.eye(4)[y]
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        warnings.simplefilter("error")
        J, grads = kernel.value_and_grad(params, X.astype(np.float32), target, reg=0.0)
        Z2 = kernel.forward(params, X.astype(np.float32))["Z2"].astype(np.float64)
    assert np.max(np.abs(Z2)) > 1000 and all(np.all(np.isfinite(g)) for g in grads.values())
    reference = -np.mean(Z2[np.arange(12), y] - logsumexp(Z2, axis=1))
    assert J == pytest.approx(reference, rel=1e-5)


@pytest.mark.parametrize("net", NETS, ids=IDS)
def test_the_preset_and_its_graph_are_one_generator(net):
    """Network and Network.graph (what `kernel --network` reads the same text into) give the same code."""
    ours, general = mlp_kernel_source(net), mlp_kernel_source(net.graph)
    assert ours.split('\n"""\n', 1)[1] == general.split('\n"""\n', 1)[1]
    assert "derivation kernel mlp" in ours and "derivation kernel --network" in general


def _bench():
    spec = importlib.util.spec_from_file_location("bench_mlp", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_contenders_compute_the_same_and_it_runs(capsys):
    """Both contenders return the loss and all four gradients, equal; the benchmark's own check runs too."""
    bench = _bench()
    kernel = compile_kernel(Network("relu", "softmax", "sum"))
    params, X, y = bench.problem(30, 7, 6, 4, seed=2)
    ours, hand = kernel.value_and_grad(params, X, y, bench.REG), bench.hand(params, X, y, bench.REG)
    bench.agree(ours, hand)
    assert set(ours[1]) == set(hand[1]) == {"W1", "b1", "W2", "b2"}
    wrong = {**hand[1], "b1": hand[1]["b1"] * 1.001}
    with pytest.raises(AssertionError):
        bench.agree(ours, (hand[0], wrong))
    bench.run([(20, 5, 4, 3)], repeats=3, clock="cpu")
    table = capsys.readouterr().out
    assert "clock: cpu" in table and table.count("20, 5, 4, 3") == 2
