r"""A feed-forward network of any depth, written as data: affine layers, elementwise activations and an output loss.

Each layer l is ``Zˡ = Aˡ⁻¹Wˡ + 𝟏bˡᵀ`` (row layout: one example a row, X (m, n), Wˡ (nₗ₋₁, nₗ)) or
``Zˡ = WˡAˡ⁻¹ + bˡ𝟏ᵀ`` (column layout, as in Andrew Ng's course: X (n, m), Wˡ (nₗ, nₗ₋₁)), then ``Aˡ = f(Zˡ)``
with f any activation of the function registry with a derivative (or none).  The last layer's output is
softmax, an elementwise function or the identity; the loss is

* cross-entropy ``−c Σ Y ⊙ log P`` after softmax,
* binary cross-entropy ``−c Σ [Y ⊙ log P + (1 − Y) ⊙ log(1 − P)]`` after σ,
* squared error ``c ‖A − Y‖²`` after anything elementwise,

with c a number times 1/m or not, plus ``R = c_R·λ·Σ‖Wˡ‖²`` over the penalised weights.  The two-layer
:class:`~.network.Network` is a preset (:meth:`~.network.Network.graph`); a user's own network comes from
:mod:`derivation.parsing.layers`.  The forward pass and the cost here are the oracle's: the derivation
(:mod:`.backprop`) differences them, so they are written only from the layers, stably (log-sum-exp,
softplus), with any intermediate replaceable (``override``) to difference the cost in it.

>>> net = Graph.two_layer("tanh", "softmax", sp.Rational(1, 2))
>>> params, X, Y = net.problem(seed=0)
>>> [p.shape for p in params.values()], X.shape, Y.shape
([(4, 6), (6,), (6, 3), (3,)], (5, 4), (5, 3))
>>> bool(np.isfinite(net.cost(params, X, Y, reg=0.1)))
True
"""

# ruff: noqa: N803 - X, Y, Z keep their case, as in the equations
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise

import numpy as np
import sympy as sp

from ..core.functions import ML_FUNCTIONS, FunctionEntry, softplus
from ..core.functions.softmax import LogSumExp, Softmax
from ..parsing.layers import read_layers

Params = dict[str, np.ndarray]
m = sp.Symbol("m", integer=True, positive=True)  # the examples: a loss's factor may hold 1/m
IDENTITY, SOFTMAX = "identity", "softmax"
CROSS_ENTROPY, BINARY_CROSS_ENTROPY, SQUARED_ERROR = "cross-entropy", "binary cross-entropy", "squared error"
LOSSES = (CROSS_ENTROPY, BINARY_CROSS_ENTROPY, SQUARED_ERROR)
KINKED = ("relu", "Abs")  # activations with a kink at 0: draws near it are skipped
SIZES = {"m": 5, "n": 4, "K": 3, "h": 6}  # the sizes of the checks' random data; hidden layers take h each


def activations() -> dict[str, type[FunctionEntry]]:
    """The registry's functions usable as an activation: one argument, a derivative that is a function (no jump)."""
    return {name: e for name, e in ML_FUNCTIONS.items() if not e.jump and name != "step"}


@cache
def slope(name: str) -> Callable[[np.ndarray], np.ndarray]:
    """f′ entry by entry from the registry's derivative, evaluated with the registry's NumPy forms (ReLU′(0) = 0)."""
    u = sp.Symbol("u")
    modules = [{n: e.numpy_eval for n, e in ML_FUNCTIONS.items()}, "numpy"]
    derivative = sp.lambdify(u, ML_FUNCTIONS[name].derivative(u), modules=modules)
    return lambda Z: np.broadcast_to(derivative(np.asarray(Z, dtype=float)), np.shape(Z)).astype(float)


def apply(name: str, Z: np.ndarray) -> np.ndarray:
    """f(Z): softmax over each example, the identity, or a registry function entry by entry (overflow-free)."""
    if name == IDENTITY:
        return Z
    if name == SOFTMAX:
        return Softmax.numpy_eval(Z)
    return ML_FUNCTIONS[name].numpy_eval(Z)


@cache
def _number(expr: sp.Expr, m_value: int) -> float:
    return float(expr.subs(m, m_value))


def _words(factor: sp.Expr) -> str:
    """1/(2m), λ/2: a factor as a course writes it."""
    return sp.sstr(factor).replace("*", "")


@dataclass(frozen=True)
class Layer:
    """One affine layer and the function after it: pre = Z, post = f(Z) (post == pre for the identity)."""

    weight: str
    bias: str
    pre: str
    activation: str  # a registry name, "identity", or "softmax" (last layer only)
    post: str
    source: str  # the layer's input: X or the previous post


@dataclass(frozen=True)
class Graph:
    """A network: its layers in order, its loss and factor, its L2 penalty, its layout and its names."""

    layers: tuple[Layer, ...]
    loss: str  # one of LOSSES
    scale: sp.Expr  # the data term's factor c: 1/m, 1/(2m), 1, …
    l2: sp.Expr = sp.S.Zero  # R = l2·λ·Σ‖W‖² over ``penalised``
    penalised: tuple[str, ...] = ()
    layout: str = "row"  # row: X (m, n); column: X (n, m)
    input: str = "X"
    target: str = "Y"
    sizes: tuple[str, ...] = ()  # the size names n, h…, K of the layers' widths (n first)
    title: str = ""  # one line: what the network is, for the derivation's title

    def __post_init__(self) -> None:
        if not self.sizes:
            hidden = ("h",) if len(self.layers) == 2 else tuple(f"h{k}" for k in range(1, len(self.layers)))
            object.__setattr__(self, "sizes", ("n", *hidden, "K"))

    @staticmethod
    def two_layer(hidden: str, output: str, l2: sp.Expr, title: str = "a two-layer network") -> Graph:
        """The course's two-layer net: X → W1, b1 → f → W2, b2 → softmax or σ with its cross-entropy."""
        loss = CROSS_ENTROPY if output == SOFTMAX else BINARY_CROSS_ENTROPY
        layers = (Layer("W1", "b1", "Z1", hidden, "A1", "X"), Layer("W2", "b2", "Z2", output, "P", "A1"))
        penalised = ("W1", "W2") if l2 else ()
        return Graph(layers, loss, 1 / m, l2, penalised, title=title)

    @staticmethod
    def read(text: str) -> Graph:
        """The network written in ``text`` as named layers (:func:`derivation.parsing.layers.read_layers`)."""
        program = read_layers(text)
        return Graph(
            tuple(Layer(*layer) for layer in program.layers),
            program.loss,
            program.scale,
            program.l2,
            program.penalised,
            program.layout,
            program.input,
            program.target,
        ).titled("your network")

    def titled(self, title: str) -> Graph:
        """This network with ``title``: its words, then what it is (:meth:`describe`)."""
        return replace(self, title=f"{title}: {self.describe()}")

    def describe(self) -> str:
        """One line: depth, activations, loss, penalty and layout, in the network's own names."""
        acts = ", ".join(layer.activation for layer in self.layers)
        depth = f"{len(self.layers)} affine layer{'s' if len(self.layers) > 1 else ''} ({acts})"
        loss = f"{self.loss} × {_words(self.scale)}"
        squares = " + ".join(f"||{w}||²" for w in self.penalised)  # bars, not ‖: LaTeX titles have no ‖
        pen = f"L2 {_words(self.l2 * sp.Symbol('λ'))}·({squares})" if self.penalised else "no L2"
        first, n, h = self.layers[0].weight, self.sizes[0], self.sizes[1]
        shapes = f"{self.input} (m, {n}), {first} ({n}, {h})" if self.layout == "row" else (
            f"{self.input} ({n}, m), {first} ({h}, {n})")  # fmt: skip
        return f"{depth}, {loss}, {pen}; {self.layout} layout: {shapes}"

    # --- names ---------------------------------------------------------------------------------
    @property
    def output(self) -> str:
        return self.layers[-1].activation

    @property
    def prediction(self) -> str:
        return self.layers[-1].post

    @property
    def params(self) -> tuple[str, ...]:
        """W1, b1, W2, b2, … in layer order."""
        return tuple(name for layer in self.layers for name in (layer.weight, layer.bias))

    def kinked(self) -> bool:
        return any(layer.activation in KINKED for layer in self.layers)

    def width(self, name: str) -> int:
        """The number of units of size name ``name`` in the checks' data."""
        return SIZES.get(name, SIZES["h"])

    # --- forward pass and cost (the oracle's) -------------------------------------------------------
    def forward(self, params: Params, X: np.ndarray, override: dict[str, np.ndarray] | None = None) -> dict:
        """Every intermediate by name; a name in ``override`` takes that value instead of being computed."""
        override = override or {}
        values = {self.input: X}
        for layer in self.layers:
            A, W, b = values[layer.source], params[layer.weight], params[layer.bias]
            Z = override.get(layer.pre)
            if Z is None:
                Z = A @ W + b if self.layout == "row" else W @ A + b[:, None]
            values[layer.pre] = Z
            if layer.post != layer.pre:
                post = override.get(layer.post)
                values[layer.post] = post if post is not None else self._apply(layer.activation, Z)
        return values

    def _apply(self, name: str, Z: np.ndarray) -> np.ndarray:
        # softmax normalises over the classes: the columns' entries in the row layout, the rows' in the column one
        return apply(name, Z) if (name != SOFTMAX or self.layout == "row") else apply(name, Z.T).T

    def factor(self, expr: sp.Expr, m_value: int) -> float:
        """A factor such as 1/(2m) at m examples (cached: the oracle asks for it at every difference)."""
        return _number(expr, m_value)

    def data_loss(self, values: dict[str, np.ndarray], Y: np.ndarray) -> float:
        """The loss of the last layer's values against Y (see :meth:`loss_of`)."""
        last = self.layers[-1]
        return self.loss_of(values[last.pre], values[last.post], Y)

    def loss_of(self, Z: np.ndarray, A: np.ndarray | None, Y: np.ndarray) -> float:
        """The loss of the last scores Z (and output A = f(Z), read by the squared error only) against Y, stably:
        log-sum-exp and softplus of the scores, never log of a probability."""
        if self.layout == "column":  # one example a row from here on
            Z, A, Y = Z.T, (None if A is None else A.T), Y.T
        c = self.factor(self.scale, Z.shape[0])
        if self.loss == CROSS_ENTROPY:
            return float(-c * np.sum(Y * (Z - LogSumExp.numpy_eval(Z))))
        if self.loss == BINARY_CROSS_ENTROPY:
            return float(c * np.sum(Y * softplus.numpy_eval(-Z) + (1 - Y) * softplus.numpy_eval(Z)))
        return float(c * np.sum((A - Y) ** 2))

    def penalty(self, params: Params, reg: float, m_value: int) -> float:
        """R = l2·λ·Σ‖W‖² over the penalised weights; biases are not penalised."""
        if not self.penalised:
            return 0.0
        return self.factor(self.l2, m_value) * reg * float(sum(np.sum(params[w] ** 2) for w in self.penalised))

    def examples(self, X: np.ndarray) -> int:
        return X.shape[0] if self.layout == "row" else X.shape[1]

    def cost(
        self, params: Params, X: np.ndarray, Y: np.ndarray, reg: float = 0.0, override: dict | None = None
    ) -> float:
        """J = the loss + R, from the layers (with ``override``'s intermediates put in)."""
        m_value = self.examples(X)
        return self.data_loss(self.forward(params, X, override), Y) + self.penalty(params, reg, m_value)

    # --- data for checks ---------------------------------------------------------------------------
    def problem(self, seed: int = 0, scale: float = 1.0) -> tuple[Params, np.ndarray, np.ndarray]:
        """Random float64 (params, X, Y) in the network's layout: every class present (softmax), 0/1 or real."""
        rng = np.random.default_rng(seed)
        widths = [self.width(s) for s in self.sizes]
        M, K = SIZES["m"], widths[-1]
        params: Params = {}
        for layer, (a, b) in zip(self.layers, pairwise(widths), strict=True):
            params[layer.weight] = rng.normal(0, scale, (a, b) if self.layout == "row" else (b, a))
            params[layer.bias] = rng.normal(0, scale, b)
        X = rng.normal(0, 1, (M, widths[0]))
        if self.loss == CROSS_ENTROPY:
            Y = np.eye(K)[rng.permutation(np.arange(M) % K)]
        elif self.loss == BINARY_CROSS_ENTROPY:
            Y = (rng.random((M, K)) < 0.5).astype(float)
        else:
            Y = rng.normal(0, 1, (M, K))
            if self.output != IDENTITY:  # a target the output can reach: σ, tanh… have bounded ranges
                Y = apply(self.output, rng.normal(0, 1, (M, K)))
        return (params, X, Y) if self.layout == "row" else (params, X.T.copy(), Y.T.copy())


__all__ = [
    "BINARY_CROSS_ENTROPY",
    "CROSS_ENTROPY",
    "Graph",
    "IDENTITY",
    "LOSSES",
    "Layer",
    "Params",
    "SIZES",
    "SOFTMAX",
    "SQUARED_ERROR",
    "activations",
    "apply",
    "slope",
]
