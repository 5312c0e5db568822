"""The slips people make in a two-layer network's backprop, as data: each a gradient users really compute.

A two-layer network in the row layout (X (m, n), W1 (n, h), b1 (h,), W2 (h, K), b2 (K,)):
Z1 = X W1 + b1, A1 = f(Z1), Z2 = A1 W2 + b2, P = softmax(Z2) (or σ(Z2) with K = 1), and
J = −(1/m) Σ log-likelihood + c·(ΣW1² + ΣW2²), with c = reg, reg/2, λ/(2m) or 0 (the L2 conventions
of CS231n's newer and older assignments, Andrew Ng's course, none).  Its gradient, as courses write it:

    δ² = (P − Y)/m,  ∂J/∂W2 = A1ᵀδ² + 2c·W2,  ∂J/∂b2 = 1ᵀδ²,
    δ¹ = (δ²W2ᵀ) ⊙ f′(Z1),  ∂J/∂W1 = Xᵀδ¹ + 2c·W1,  ∂J/∂b1 = 1ᵀδ¹.

Each :class:`Fault` is one slip written as the gradient it gives (the same equations with one thing
changed), for the parameters it changes.  :mod:`derivation.nets.judge` names a user's fault by the
variant whose values the user's function returns, parameter by parameter, as
:mod:`derivation.check.variants` does for θ models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from .network import HIDDEN, OUTPUTS, PARAMS, Network

PARAMETERS = PARAMS
ACTIVATIONS = tuple(HIDDEN)
L2 = {  # convention → (the penalty as written, the network's convention, the reg it is given for reg and m)
    "sum": ("reg·ΣW²", "sum", lambda reg, m: reg),
    "half": ("(reg/2)·ΣW²", "half", lambda reg, m: reg),
    "half-m": ("(λ/2m)·ΣW²", "half", lambda reg, m: reg / m),  # Andrew Ng's: (reg/m)/2 · ΣW²
    "none": ("no penalty", "none", lambda reg, m: 0.0),
}


def slope_of_activation(name: str, a: np.ndarray) -> np.ndarray:
    """f′ written in terms of the activation a = f(z): a(1 − a), 1 − a², 1[a > 0] (a variant, not f′(z))."""
    if name == "relu":
        return (a > 0).astype(float)
    return a * (1 - a) if name == "sigmoid" else 1 - a * a


@cache
def network(activation: str, output: str, l2: str) -> Network:
    """One Network per kind, so its f′ (lambdified from the registry once) is shared by every dataset."""
    return Network(activation, output, l2)


@dataclass
class Net:
    """One dataset and the network's forward pass on it (row layout, float64): what every variant is built from.

    The forward pass and the cost are :class:`derivation.nets.network.Network`'s; ``l2`` adds Andrew Ng's
    (λ/2m)·ΣW² as the network's (reg/2)·ΣW² with reg = λ/m.
    """

    X: np.ndarray
    Y: np.ndarray  # one-hot (m, K); (m, 1) of 0/1 for a sigmoid output
    params: dict[str, np.ndarray]
    reg: float
    activation: str
    output: str
    l2: str
    cache: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.network = network(self.activation, self.output, L2[self.l2][1])
        self.cache = self.network.forward(self.params, self.X)

    @property
    def m(self) -> int:
        return self.X.shape[0]

    @property
    def c(self) -> float:
        """The penalty's coefficient: J's penalty is c·(ΣW1² + ΣW2²)."""
        return self.network.l2_factor * L2[self.l2][2](self.reg, self.m)

    def loss(self) -> float:
        """J: the mean cross-entropy plus the penalty."""
        return self.network.cost(self.params, self.X, self.Y, L2[self.l2][2](self.reg, self.m))

    def slope(self, z: np.ndarray) -> np.ndarray:
        """f′ at z (ReLU′(0) = 0)."""
        return self.network.activation_slope(z)

    def backward(
        self,
        delta2: np.ndarray | None = None,
        back: Callable[[np.ndarray], np.ndarray] | None = None,
        local: np.ndarray | None = None,
        penalty: float = 1.0,
    ) -> dict[str, np.ndarray]:
        """The gradient, with δ², δ²'s way back to the hidden layer, f′ or the penalty's factor replaced.

        The defaults give ∇J; a variant passes the one piece it gets wrong.
        """
        c, W1, W2 = self.cache, self.params["W1"], self.params["W2"]
        d2 = (c["P"] - self.Y) / self.m if delta2 is None else delta2
        d_a1 = back(d2) if back is not None else d2 @ W2.T
        d1 = d_a1 * (self.slope(c["Z1"]) if local is None else local)
        r = 2 * self.c * penalty
        return {"W1": self.X.T @ d1 + r * W1, "b1": d1.sum(axis=0), "W2": c["A1"].T @ d2 + r * W2, "b2": d2.sum(axis=0)}

    def deltas(self) -> dict[str, np.ndarray]:
        """δ¹ and δ² of ∇J, keyed by the bias they sum into."""
        c = self.cache
        d2 = (c["P"] - self.Y) / self.m
        return {"b1": (d2 @ self.params["W2"].T) * self.slope(c["Z1"]), "b2": d2}

    def penalty_gradient(self) -> dict[str, np.ndarray]:
        """The penalty's part of ∇J: 2c·W for the weights, nothing for the biases."""
        p = self.params
        return {"W1": 2 * self.c * p["W1"], "b1": 0 * p["b1"], "W2": 2 * self.c * p["W2"], "b2": 0 * p["b2"]}


Variant = Callable[[Net], dict[str, np.ndarray]]


@dataclass(frozen=True)
class Fault:
    """A named slip: the gradient it gives, for the parameters it changes (the others stay ∇J's)."""

    key: str
    name: str  # what went wrong, as the report names it
    fix: str  # what to write instead
    gradient: Variant


def _transposed(p: str) -> Variant:
    return lambda net: {p: net.backward()[p].T}


def _delta_no_transpose(net: Net) -> dict[str, np.ndarray]:
    if net.params["W2"].shape[0] != net.params["W2"].shape[1]:  # δ²W2 only runs when h = K
        return {}
    g = net.backward(back=lambda d2: d2 @ net.params["W2"])
    return {"W1": g["W1"], "b1": g["b1"]}


def _slope_on_activation(net: Net) -> dict[str, np.ndarray]:
    g = net.backward(local=net.slope(net.cache["A1"]))
    return {"W1": g["W1"], "b1": g["b1"]}


def _activation_form_on_z(net: Net) -> dict[str, np.ndarray]:
    g = net.backward(local=slope_of_activation(net.activation, net.cache["Z1"]))
    return {"W1": g["W1"], "b1": g["b1"]}


def _slope_missing(net: Net) -> dict[str, np.ndarray]:
    g = net.backward(local=np.ones_like(net.cache["Z1"]))
    return {"W1": g["W1"], "b1": g["b1"]}


def _output_slope_twice(net: Net) -> dict[str, np.ndarray]:
    P = net.cache["P"]
    return net.backward(delta2=(P - net.Y) * P * (1 - P) / net.m)


def _not_summed(net: Net) -> dict[str, np.ndarray]:
    return dict(net.deltas())


def _wrong_axis(net: Net) -> dict[str, np.ndarray]:
    return {p: d.sum(axis=1) for p, d in net.deltas().items()}


def _no_mean(net: Net) -> dict[str, np.ndarray]:
    """m times the data term, the penalty as it was (the 1/m left out of δ²)."""
    g, r = net.backward(), net.penalty_gradient()
    return {p: net.m * (g[p] - r[p]) + r[p] for p in PARAMETERS}


def _no_mean_at_all(net: Net) -> dict[str, np.ndarray]:
    return {p: net.m * v for p, v in net.backward().items()}


def _biases_penalised(net: Net) -> dict[str, np.ndarray]:
    g = net.backward()
    return {"b1": g["b1"] + 2 * net.c * net.params["b1"], "b2": g["b2"] + 2 * net.c * net.params["b2"]}


def _relu_at_zero(net: Net) -> dict[str, np.ndarray]:
    if net.activation != "relu":
        return {}
    g = net.backward(local=(net.cache["Z1"] >= 0).astype(float))
    return {"W1": g["W1"], "b1": g["b1"]}


def _penalty_times(k: float | str) -> Variant:
    def variant(net: Net) -> dict[str, np.ndarray]:
        if net.c == 0:
            return {}
        g = net.backward(penalty=net.m if k == "m" else float(k))
        return {"W1": g["W1"], "W2": g["W2"]}

    return variant


def _negated(net: Net) -> dict[str, np.ndarray]:
    return {p: -v for p, v in net.backward().items()}


def _data_negated(net: Net) -> dict[str, np.ndarray]:
    g, r = net.backward(), net.penalty_gradient()
    return {p: -(g[p] - r[p]) + r[p] for p in PARAMETERS}


FAULTS: tuple[Fault, ...] = (
    Fault("transpose", "a missing transpose: it returns the gradient's transpose", "transpose it", _transposed("W1")),
    Fault("transpose", "a missing transpose: it returns the gradient's transpose", "transpose it", _transposed("W2")),
    Fault(
        "delta-transpose",
        "a missing transpose on the way back: δ¹ uses δ²W2 instead of δ²W2ᵀ",
        "δ¹ = (δ²W2ᵀ) ⊙ f′(Z1)",
        _delta_no_transpose,
    ),
    Fault(
        "slope-on-activation",
        "the activation's derivative taken at the activation: f′(A1) instead of f′(Z1)",
        "f′(Z1) (σ′(Z1) = A1(1 − A1), tanh′(Z1) = 1 − A1²)",
        _slope_on_activation,
    ),
    Fault(
        "slope-on-preactivation",
        "the activation's derivative written for A1 but applied to the pre-activation: Z1(1 − Z1) or 1 − Z1²",
        "A1(1 − A1) or 1 − A1², with A1 = f(Z1)",
        _activation_form_on_z,
    ),
    Fault(
        "slope-missing",
        "the activation's derivative left out: δ¹ = δ²W2ᵀ without ⊙ f′(Z1)",
        "δ¹ = (δ²W2ᵀ) ⊙ f′(Z1)",
        _slope_missing,
    ),
    Fault(
        "output-slope-twice",
        "σ′ counted twice: with cross-entropy δ² = (P − Y)/m already includes the output's derivative",
        "δ² = (P − Y)/m, without the extra ⊙ P(1 − P)",
        _output_slope_twice,
    ),
    Fault(
        "bias-not-summed",
        "the bias gradient not summed over the batch: it returns δ, one row per example",
        "sum δ over the examples: δ.sum(axis=0)",
        _not_summed,
    ),
    Fault(
        "bias-wrong-axis",
        "the bias gradient summed over the wrong axis (over units instead of examples)",
        "δ.sum(axis=0) in the row layout (axis=1 with examples in columns)",
        _wrong_axis,
    ),
    Fault(
        "no-mean",
        "a missing 1/m: the data term is the summed loss's gradient",
        "δ² = (P − Y)/m (J is the mean over the batch)",
        _no_mean,
    ),
    Fault(
        "no-mean",
        "a missing 1/m: the whole gradient is m times ∇J",
        "δ² = (P − Y)/m and the penalty's gradient as J has it",
        _no_mean_at_all,
    ),
    Fault(
        "bias-penalised",
        "regularisation applied to the bias: the penalty covers the weights only",
        "no penalty term in db",
        _biases_penalised,
    ),
    Fault(
        "relu-geq",
        "ReLU′ written with ≥ instead of >: at z = 0 it gives 1, ReLU′(0) = 0 here (1[z > 0])",
        "(Z1 > 0), not (Z1 >= 0)",
        _relu_at_zero,
    ),
    Fault(
        "reg-factor",
        "a wrong regularisation factor: the penalty's gradient is half what J's penalty gives",
        "∂(c·ΣW²)/∂W = 2c·W",
        _penalty_times(0.5),
    ),
    Fault(
        "reg-factor",
        "a wrong regularisation factor: the penalty's gradient is twice what J's penalty gives",
        "∂(c·ΣW²)/∂W = 2c·W",
        _penalty_times(2.0),
    ),
    Fault(
        "reg-factor",
        "a wrong regularisation factor: the penalty's gradient is m times what J's penalty gives (λ for λ/m)",
        "∂(c·ΣW²)/∂W = 2c·W",
        _penalty_times("m"),
    ),
    Fault(
        "reg-missing",
        "the penalty's gradient left out (the loss has it)",
        "add 2c·W to the weights' gradients",
        _penalty_times(0.0),
    ),
    Fault("sign", "the sign flipped: it returns −∇J", "negate it", _negated),
    Fault(
        "sign",
        "the sign flipped in δ²: (Y − P) instead of (P − Y)",
        "δ² = (P − Y)/m",
        _data_negated,
    ),
)


def fault_gradients(net: Net) -> list[tuple[Fault, dict[str, np.ndarray]]]:
    """Every fault's gradient on one dataset (only the parameters each changes)."""
    return [(fault, fault.gradient(net)) for fault in FAULTS]


__all__ = [
    "ACTIVATIONS",
    "FAULTS",
    "L2",
    "OUTPUTS",
    "PARAMETERS",
    "Fault",
    "Net",
    "fault_gradients",
    "slope_of_activation",
]
