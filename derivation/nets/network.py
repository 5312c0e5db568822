r"""The two-layer network, written once as data, with its forward pass and cost in NumPy.

Layout (row-major batches, as CS231n and most assignments write it)::

    X  (m, n)   one example a row          Y  (m, K)   one-hot (softmax) or 0/1 (sigmoid outputs)
    W1 (n, h)   b1 (h,)                     Z1 = X W1 + 1 b1ᵀ        (m, h)
    A1 = f(Z1)  f ∈ {sigmoid, tanh, relu}   (m, h)
    W2 (h, K)   b2 (K,)                     Z2 = A1 W2 + 1 b2ᵀ       (m, K)

    softmax output:  J = −(1/m) Σ_i Σ_k Y_ik log softmax(Z2)_ik + R
    sigmoid output:  J = −(1/m) Σ_i Σ_k [Y_ik log σ(Z2_ik) + (1 − Y_ik) log(1 − σ(Z2_ik))] + R
    R = reg·(‖W1‖² + ‖W2‖²)  ("sum"),  (reg/2)·(‖W1‖² + ‖W2‖²)  ("half")  or 0 ("none");  biases never penalised

Every number here comes from the function registry (:mod:`derivation.core.functions`): the activation
and its derivative (the entry's ``numpy_eval`` and ``derivative``), softplus for log σ
(log σ(z) = −softplus(−z), NumPy's logaddexp) and log-sum-exp for log-softmax (shifted by each
row's maximum), so nothing overflows at |Z| = 1000.  The derivation (:mod:`.backprop`), the
generated kernel (:mod:`.kernel`) and the checker of users' code (:mod:`.check`) all start here.

>>> net = Network("relu", "softmax", "half")
>>> params, X, Y = net.problem(m=4, n=3, h=5, K=2, seed=0)
>>> sorted(params), X.shape, Y.shape
(['W1', 'W2', 'b1', 'b2'], (4, 3), (4, 2))
>>> bool(np.isfinite(net.cost(params, X, Y, reg=0.1)))
True
"""

# ruff: noqa: N803 - X, Y, Z1, A1, K keep their case, as in the equations
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import sympy as sp

from ..core.functions import FunctionEntry, relu, sigmoid, tanh_entry
from ..core.functions.softmax import Softmax
from .graph import Graph, slope

Params = dict[str, np.ndarray]
PARAMS = ("W1", "b1", "W2", "b2")
HIDDEN: dict[str, type[FunctionEntry]] = {"sigmoid": sigmoid, "tanh": tanh_entry, "relu": relu}
OUTPUTS = ("softmax", "sigmoid")
L2_FACTORS = {"sum": 1.0, "half": 0.5, "none": 0.0}  # R = factor · reg · (‖W1‖² + ‖W2‖²)
# Bars, not ‖: a derivation's title goes into LaTeX, whose title transliteration has no ‖.
L2_WORDS = {"sum": "reg·(||W1||² + ||W2||²)", "half": "(reg/2)·(||W1||² + ||W2||²)", "none": "no penalty"}


@dataclass(frozen=True)
class Network:
    """A two-layer network: its hidden activation, its output (with its cross-entropy) and its L2 convention."""

    hidden: str = "sigmoid"  # sigmoid | tanh | relu
    output: str = "softmax"  # softmax (one-hot Y) | sigmoid (Y ∈ {0,1}^{m×K})
    l2: str = "none"  # sum: reg·ΣW² | half: (reg/2)·ΣW² | none

    def __post_init__(self) -> None:
        for value, valid, what in ((self.hidden, HIDDEN, "hidden activation"), (self.output, OUTPUTS, "output"),
                                   (self.l2, L2_FACTORS, "L2 convention")):  # fmt: skip
            if value not in valid:
                raise ValueError(f"unknown {what} {value!r}; valid: {', '.join(valid)}")

    # --- names ---------------------------------------------------------------------------------
    @property
    def entry(self) -> type[FunctionEntry]:
        """The registry entry of the hidden activation (its derivative, names and NumPy forms)."""
        return HIDDEN[self.hidden]

    @property
    def l2_factor(self) -> float:
        """R = l2_factor · reg · (‖W1‖² + ‖W2‖²): 1, ½ or 0."""
        return L2_FACTORS[self.l2]

    @property
    def name(self) -> str:
        """A short name: 'relu-softmax-half'."""
        return f"{self.hidden}-{self.output}-{self.l2}"

    def describe(self) -> str:
        """One line for reports: which activation, output and penalty."""
        output = "softmax cross-entropy" if self.output == "softmax" else "sigmoid cross-entropy"
        return f"hidden {self.entry.unicode_name}, output {output}, L2 {L2_WORDS[self.l2]} (biases not penalised)"

    # --- the activation, from the registry --------------------------------------------------------
    def activation(self, Z: np.ndarray) -> np.ndarray:
        """f(Z) entry by entry: the registry's overflow-free NumPy evaluation."""
        return self.entry.numpy_eval(Z)

    def activation_slope(self, Z: np.ndarray) -> np.ndarray:
        """f′(Z) entry by entry, the registry's derivative; ReLU′(0) = 0 (the subgradient frameworks use)."""
        return slope(self.hidden)(Z)

    @cached_property
    def graph(self) -> Graph:
        """This network as the general description: two affine layers, the derivation's and the oracle's input."""
        return Graph.two_layer(
            self.hidden, self.output, sp.Rational(self.l2_factor), f"a two-layer network: {self.describe()}"
        )

    # --- forward pass and cost ---------------------------------------------------------------------
    def hidden_layer(self, params: Params, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(Z1, A1): Z1 = X W1 + 1 b1ᵀ, A1 = f(Z1)."""
        Z1 = X @ params["W1"] + params["b1"]
        return Z1, self.activation(Z1)

    @staticmethod
    def scores(params: Params, A1: np.ndarray) -> np.ndarray:
        """Z2 = A1 W2 + 1 b2ᵀ."""
        return A1 @ params["W2"] + params["b2"]

    def forward(self, params: Params, X: np.ndarray) -> dict[str, np.ndarray]:
        """Every intermediate: Z1, A1, Z2 and P (softmax(Z2) row by row, or σ(Z2) entry by entry)."""
        Z1, A1 = self.hidden_layer(params, X)
        Z2 = self.scores(params, A1)
        return {"Z1": Z1, "A1": A1, "Z2": Z2, "P": self.probabilities(Z2)}

    def probabilities(self, Z2: np.ndarray) -> np.ndarray:
        """P = softmax(Z2) (rows sum to 1) or σ(Z2), stably."""
        return Softmax.numpy_eval(Z2) if self.output == "softmax" else sigmoid.numpy_eval(Z2)

    def data_loss(self, Z2: np.ndarray, Y: np.ndarray) -> float:
        """The cross-entropy of the scores Z2 against Y, averaged over the m examples; stable for any real Z2."""
        return self.graph.loss_of(Z2, None, Y)

    def penalty(self, params: Params, reg: float) -> float:
        """R = factor·reg·(‖W1‖² + ‖W2‖²); biases are not penalised."""
        if self.l2 == "none":
            return 0.0
        return float(self.l2_factor * reg * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2)))

    def cost(self, params: Params, X: np.ndarray, Y: np.ndarray, reg: float = 0.0) -> float:
        """J = cross-entropy + R.  ``Y`` one-hot / 0-1 of shape (m, K), or integer labels (see :func:`targets`)."""
        Y = targets(Y, params["W2"].shape[1])
        return self.data_loss(self.forward(params, X)["Z2"], Y) + self.penalty(params, reg)

    # --- data for checks ---------------------------------------------------------------------------
    def problem(
        self, m: int = 5, n: int = 4, h: int = 6, K: int = 3, seed: int = 0, scale: float = 1.0
    ) -> tuple[Params, np.ndarray, np.ndarray]:
        """Random float64 (params, X, Y) of the given sizes: every class present where m ≥ K."""
        rng = np.random.default_rng(seed)
        params = {
            "W1": rng.normal(0, scale, (n, h)),
            "b1": rng.normal(0, scale, h),
            "W2": rng.normal(0, scale, (h, K)),
            "b2": rng.normal(0, scale, K),
        }
        X = rng.normal(0, 1, (m, n))
        if self.output == "softmax":
            labels = rng.permutation(np.arange(m) % K)
            Y = one_hot(labels, K)
        else:
            Y = (rng.random((m, K)) < 0.5).astype(float)
        return params, X, Y


def one_hot(labels: np.ndarray, K: int) -> np.ndarray:
    """(m, K) float one-hot rows of integer labels 0..K−1.

    >>> one_hot(np.array([2, 0]), 3).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    labels = np.asarray(labels)
    if labels.size and (labels.min() < 0 or labels.max() >= K):
        raise ValueError(f"labels must lie in 0..{K - 1}, not {labels.min()}..{labels.max()}")
    out = np.zeros((labels.shape[0], K))
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


def targets(Y: np.ndarray, K: int) -> np.ndarray:
    """Y as an (m, K) float matrix: 2-D Y as given; 1-D integer labels one-hot (a 0/1 column when K = 1).

    >>> targets(np.array([1, 0]), 1).tolist(), targets(np.array([1, 0]), 2).tolist()
    ([[1.0], [0.0]], [[0.0, 1.0], [1.0, 0.0]])
    """
    Y = np.asarray(Y)
    if Y.ndim == 2:
        return Y.astype(float)
    if K == 1:
        return Y.astype(float).reshape(-1, 1)
    return one_hot(Y.astype(int), K)


NETWORKS = tuple(Network(f, o, r) for f in HIDDEN for o in OUTPUTS for r in L2_FACTORS)  # the 18 variants

__all__ = ["HIDDEN", "L2_FACTORS", "NETWORKS", "Network", "OUTPUTS", "PARAMS", "Params", "one_hot", "targets"]
