r"""Backpropagation through a feed-forward network, derived step by step, each step checked by finite differences.

Any network of :mod:`.graph` (affine layers, elementwise activations, softmax/σ cross-entropy or squared
error, L2; row or column layout) is derived by one loop over its layers, last first; the two-layer
:class:`~.network.Network` is its preset.  For it, in the row layout: X (m, n) one example a row, W1 (n, h),
b1 (h,), Z1 = X W1 + 𝟏b1ᵀ, A1 = f(Z1), W2 (h, K), b2 (K,), Z2 = A1 W2 + 𝟏b2ᵀ.  The steps are the
recurrences courses write (the column layout's are their transposes: ∂J/∂W = δAᵀ, ∂J/∂b = δ𝟏, ∂J/∂A = Wᵀδ;
a squared error gives δᴸ = 2c(A − Y) ⊙ f′(Zᴸ) in two steps)::

    δ² = ∂J/∂Z2 = (1/m)(P − Y)                       softmax (or sigmoid) with cross-entropy
    ∂J/∂W2 = A1ᵀδ² + ∂R/∂W2,  ∂R/∂W2 = 2·reg·W2      chain rule through an affine layer; the L2 term
    ∂J/∂b2 = δ²ᵀ𝟏                                    summed over the batch
    ∂J/∂A1 = δ²W2ᵀ
    δ¹ = ∂J/∂Z1 = ∂J/∂A1 ⊙ f′(Z1) = (δ²W2ᵀ) ⊙ f′(Z1)  f′ from the registry: σ(1−σ), 1 − tanh², 1[Z1 > 0]
    ∂J/∂W1 = Xᵀδ¹ + ∂R/∂W1,  ∂J/∂b1 = δ¹ᵀ𝟏

The oracle shares nothing with these rules.  On random float64 data (m=5, n=4, h=6, K=3) the
network's own forward pass and cost (:class:`~.graph.Graph`, run from its layers) give every intermediate; the cost
is differentiated by central differences with respect to the quantity a step is about (perturb
each entry of Z2 and evaluate the cost from there, or of A1, Z1, W2, …); every other side of the
step is evaluated by the oracle's evaluator (:class:`~derivation.oracle.evaluator.Evaluator`) from
those values, with δ² and δ¹ taken as the *measured* ∂J/∂Z2 and ∂J/∂Z1, so each step stands on
its own.  The whole gradient, the steps composed, is checked against central differences of J.
"""

# ruff: noqa: N803 - X, Y, Z1, A1, K keep their case, as in the equations
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from ..core.functions import ML_FUNCTIONS, Definition, sigmoid
from ..core.functions.softmax import Softmax
from ..core.notation import elementwise
from ..core.steps import FAILS, HOLDS, Check, Derivation, Step, Verdict
from ..oracle.evaluator import Evaluator
from ..oracle.numbers import EXACT
from ..oracle.policy import DIGITS
from ..printing import render as _render  # noqa: F401 - importing printing lets a Derivation print itself
from .graph import (
    BINARY_CROSS_ENTROPY,
    CROSS_ENTROPY,
    IDENTITY,
    KINKED,
    SIZES,
    SQUARED_ERROR,
    Graph,
    Params,
)
from .network import Network

# --- symbols ------------------------------------------------------------------------------------
m, n, h, K = sp.symbols("m n h K", integer=True, positive=True)
reg = sp.Symbol("lambda", positive=True)  # λ: the L2 strength, reg in CS231n's code
J, R = sp.Symbol("J"), sp.Symbol("R")  # the cost and its penalty term
ONES = sp.OneMatrix(m, 1)  # 𝟏: the column of m ones that spreads a bias over the batch


class Delta(sp.MatrixSymbol):
    """δˡ = ∂J/∂Zˡ, printed δ² (Unicode), delta2 (ASCII), \\delta^{(2)} (LaTeX) as courses write it."""

    @property
    def layer(self) -> str:
        return self.name.removeprefix("delta")

    def _derivation_text(self, printer) -> str:
        return f"delta{self.layer}" if getattr(printer, "ascii", False) else "δ" + "⁰¹²³⁴⁵⁶⁷⁸⁹"[int(self.layer)]

    def _latex(self, printer, exp=None) -> str:
        return rf"{{\delta^{{({self.layer})}}}}"  # braced: δ⁽²⁾ᵀ is {\delta^{(2)}}^{\top}, not a double superscript


class Chain(sp.Basic):
    """``a = b = c``: one step of the recurrences, a name, what it stands for and what it equals."""

    @property
    def sides(self) -> tuple[sp.Basic, ...]:
        return self.args

    def _derivation_text(self, printer) -> str:
        return " = ".join(printer._print(s) for s in self.args)

    def _latex(self, printer, exp=None) -> str:
        return " = ".join(printer._print(s) for s in self.args)

    def _sympystr(self, printer) -> str:
        return " = ".join(printer._print(s) for s in self.args)


class Grad(sp.MatrixExpr):
    """∂J/∂V for a matrix V: a matrix of V's shape (SymPy's Derivative of a scalar symbol is a scalar)."""

    def __new__(cls, cost: sp.Symbol, wrt: sp.MatrixSymbol):
        return sp.Basic.__new__(cls, cost, wrt)

    @property
    def cost(self) -> sp.Symbol:
        return self.args[0]

    @property
    def wrt(self) -> sp.MatrixSymbol:
        return self.args[1]

    @property
    def shape(self) -> tuple[sp.Expr, sp.Expr]:
        return self.wrt.shape

    def _derivation_text(self, printer) -> str:
        d = "d" if getattr(printer, "ascii", False) else "∂"
        return f"{d}{printer._print(self.cost)}/{d}{printer._print(self.wrt)}"

    def _latex(self, printer, exp=None) -> str:
        return rf"\frac{{\partial {printer._print(self.cost)}}}{{\partial {printer._print(self.wrt)}}}"


class SquaredNorm(sp.Expr):
    """‖W‖², the sum of the squared entries of a matrix (the L2 penalty's term), as printed only."""

    def _derivation_text(self, printer) -> str:
        return (
            f"||{printer._print(self.args[0])}||^2"
            if getattr(printer, "ascii", False)
            else (f"‖{printer._print(self.args[0])}‖²")
        )

    def _latex(self, printer, exp=None) -> str:
        return rf"\lVert {printer._print(self.args[0])} \rVert^{{2}}"


class Elementwise(ElementwiseApplyFunction):
    """f applied entry by entry, bracketed where its body is a sum: ∂J/∂A1 ⊙ (1 − tanh(Z1)²), not ⊙ 1 − tanh².

    (The shared printers bracket a Hadamard factor only when it is a matrix sum or product.)
    """

    def _derivation_text(self, printer) -> str:
        text = printer._print_ElementwiseApplyFunction(self)
        return printer.paren(text) if self.function.expr.is_Add else text

    def _latex(self, printer, exp=None) -> str:
        text = printer._print_ElementwiseApplyFunction(self)
        return rf"\left({text}\right)" if self.function.expr.is_Add else text


def slope_of(activation: str, Z: sp.MatrixExpr) -> Elementwise:
    """f′(Z) entry by entry, the registry's derivative: σ(Z)(1 − σ(Z)), 1 − tanh(Z)², 1[Z > 0]."""
    u = sp.Dummy("u")
    return Elementwise(sp.Lambda(u, ML_FUNCTIONS[activation].derivative(u)), Z)


X = sp.MatrixSymbol("X", m, n)
W1, b1 = sp.MatrixSymbol("W1", n, h), sp.MatrixSymbol("b1", h, 1)
W2, b2 = sp.MatrixSymbol("W2", h, K), sp.MatrixSymbol("b2", K, 1)
Z1, A1 = sp.MatrixSymbol("Z1", m, h), sp.MatrixSymbol("A1", m, h)
Z2, P, Y = sp.MatrixSymbol("Z2", m, K), sp.MatrixSymbol("P", m, K), sp.MatrixSymbol("Y", m, K)
DELTA2, DELTA1 = Delta("delta2", m, K), Delta("delta1", m, h)
SHAPES = {"m": 5, "n": 4, "h": 6, "K": 3}  # small: every entry of every matrix is differenced

# Rule ids, readable as they are; NET_RULE_WORDS is how labels.RULE_WORDS would word them (Unicode, LaTeX).
SOFTMAX_CE, SIGMOID_CE = "softmax with cross-entropy", "sigmoid with cross-entropy"
SQUARED = "squared error"
AFFINE_W = "chain rule: affine layer (weights)"
AFFINE_B = "chain rule: affine layer (bias)"
AFFINE_A = "chain rule: affine layer (input)"
L2_RULE = "L2 penalty"
RECURRENCE = "backprop recurrence"
ACTIVATION = "chain rule: elementwise {}"
NET_RULE_WORDS: dict[str, tuple[str, str]] = {
    SOFTMAX_CE: ("softmax with cross-entropy: ∂J/∂Z = (P − Y)/m", r"\text{softmax with cross-entropy}"),
    SIGMOID_CE: ("sigmoid with cross-entropy: ∂J/∂Z = (σ(Z) − Y)/m", r"\text{sigmoid with cross-entropy}"),
    SQUARED: ("∂(c‖A − Y‖²)/∂A = 2c(A − Y)", r"\frac{\partial\, c\lVert A - Y\rVert^2}{\partial A} = 2c(A - Y)"),
    AFFINE_W: ("chain rule through Z = AW + 𝟏bᵀ: ∂J/∂W = Aᵀδ", r"\frac{\partial J}{\partial W} = A^{\top}\delta"),
    AFFINE_B: ("chain rule through Z = AW + 𝟏bᵀ: ∂J/∂b = δᵀ𝟏, summed over the batch",
               r"\frac{\partial J}{\partial b} = \delta^{\top}\mathbf{1}"),
    AFFINE_A: ("chain rule through Z = AW + 𝟏bᵀ: ∂J/∂A = δWᵀ", r"\frac{\partial J}{\partial A} = \delta W^{\top}"),
    RECURRENCE: ("the recurrence: ∂J/∂A1 = δ²W2ᵀ put in",
                 r"\text{put in } \frac{\partial J}{\partial A_1} = \delta^{(2)} W_2^{\top}"),
    L2_RULE: ("∂(cλ‖W‖²)/∂W = 2cλW", r"\frac{\partial\, c\lambda\lVert W\rVert^2}{\partial W} = 2c\lambda W"),
}  # fmt: skip
KINK = "at the kink Z1 = 0 the subgradient 0 is used"


def as_graph(net: Network | Graph) -> Graph:
    """The general description of ``net``: a Graph as it is, the two-layer Network as its preset."""
    return net if isinstance(net, Graph) else net.graph


class Symbols:
    """The SymPy names of a graph's quantities, shaped by its layout: row X (m, n), W (n, h); column X (n, m)."""

    def __init__(self, graph: Graph):
        self.graph = graph
        size = [sp.Symbol(s, integer=True, positive=True) for s in graph.sizes]
        self.size = size
        self.row = graph.layout == "row"
        self.by_name: dict[str, sp.MatrixSymbol] = {graph.input: self.data(graph.input, size[0])}
        self.by_name[graph.target] = self.data(graph.target, size[-1])
        self.deltas: list[Delta] = []
        for k, layer in enumerate(graph.layers, 1):
            a, b = size[k - 1], size[k]
            self.by_name[layer.weight] = sp.MatrixSymbol(layer.weight, *((a, b) if self.row else (b, a)))
            self.by_name[layer.bias] = sp.MatrixSymbol(layer.bias, b, 1)
            self.by_name[layer.pre] = self.data(layer.pre, b)
            self.by_name[layer.post] = self.data(layer.post, b)
            self.deltas.append(Delta(f"delta{k}", *self.by_name[layer.pre].shape))
        self.ones = sp.OneMatrix(m, 1)  # 𝟏: spreads a bias over the batch

    def data(self, name: str, width: sp.Symbol) -> sp.MatrixSymbol:
        return sp.MatrixSymbol(name, m, width) if self.row else sp.MatrixSymbol(name, width, m)

    def __getitem__(self, name: str) -> sp.MatrixSymbol:
        return self.by_name[name]

    # The affine layer's four faces in the layout: forward, ∂J/∂W, ∂J/∂b, ∂J/∂A.
    def affine(self, A: sp.MatrixExpr, W: sp.MatrixExpr, b: sp.MatrixExpr) -> sp.MatrixExpr:
        if self.row:
            return A * W + self.ones * b.T
        spread = sp.MatMul(b, sp.Transpose(self.ones), evaluate=False)  # 𝟏ᵀ kept: SymPy would print it as 𝟏
        return sp.MatAdd(W * A, spread, evaluate=False)

    def weight_grad(self, A: sp.MatrixExpr, delta: sp.MatrixExpr) -> sp.MatrixExpr:
        return A.T * delta if self.row else delta * A.T

    def bias_grad(self, delta: sp.MatrixExpr) -> sp.MatrixExpr:
        return delta.T * self.ones if self.row else delta * self.ones

    def upstream(self, delta: sp.MatrixExpr, W: sp.MatrixExpr) -> sp.MatrixExpr:
        return delta * W.T if self.row else W.T * delta

    def total(self, M: sp.MatrixExpr, factor: sp.Expr) -> sp.MatrixExpr:
        """factor·𝟏ᵀM𝟏, the sum of M's entries, left unevaluated (SymPy would print 𝟏ᵀ as a 1 × m 𝟏)."""
        rows, cols = M.shape
        return sp.MatMul(factor, sp.Transpose(sp.OneMatrix(rows, 1)), M, sp.OneMatrix(cols, 1), evaluate=False)


@dataclass(frozen=True)
class _Equation:
    """One step before it is checked: its rule, its sides, and the derivative ∂cost/∂wrt its sides equal."""

    rule: str
    rewrite: str
    sides: tuple[sp.Basic, ...]
    cost: str  # "J" or "R"
    wrt: str  # the quantity differenced: Z2, A1, Z1, W1, b1, W2, b2


def _activation_rule(activation: str) -> str:
    return ACTIVATION.format("ReLU (subgradient 0 at the kink)" if activation == "relu" else activation)


def _superscript(k: int) -> str:
    return "".join("⁰¹²³⁴⁵⁶⁷⁸⁹"[int(d)] for d in str(k))


def _times(factor: sp.Expr, words: str) -> str:
    """'(P − Y)/m' for 1/m, else 'c·(P − Y)'."""
    if factor == 1 / m:
        return f"{words}/m"
    return words if factor == 1 else f"{sp.sstr(factor)}·{words}"


def _output_equations(graph: Graph, s: Symbols) -> list[_Equation]:
    """δᴸ = ∂J/∂Zᴸ from the output rule: (P − Y)·c after softmax or σ with cross-entropy; 2c(A − Y) ⊙ f′ for MSE."""
    last, L = graph.layers[-1], len(graph.layers)
    Z, A, T, delta = s[last.pre], s[last.post], s[graph.target], s.deltas[-1]
    sup = _superscript(L)
    if graph.loss in (CROSS_ENTROPY, BINARY_CROSS_ENTROPY):
        softmax = graph.loss == CROSS_ENTROPY
        probs = A if softmax else elementwise(sigmoid, Z)
        words = f"{A} = softmax({Z})" if softmax else f"{A} = σ({Z})"
        difference = "P − Y" if (A.name, T.name) == ("P", "Y") else f"{A} − {T}"
        rewrite = f"∂J/∂{Z} = {_times(graph.scale, f'({difference})')} with {words}"
        rule = SOFTMAX_CE if softmax else SIGMOID_CE
        return [_Equation(rule, rewrite, (delta, Grad(J, Z), (probs - T) * graph.scale), "J", Z.name)]
    twice = 2 * graph.scale
    if last.activation == IDENTITY:
        rewrite = f"δ{sup} = ∂J/∂{Z} = {_times(twice, f'({Z} − {T})')}: the squared error differentiated"
        return [_Equation(SQUARED, rewrite, (delta, Grad(J, Z), (Z - T) * twice), "J", Z.name)]
    f = last.activation
    return [
        _Equation(SQUARED, f"∂J/∂{A} = {_times(twice, f'({A} − {T})')}", (Grad(J, A), (A - T) * twice), "J", A.name),
        _Equation(_activation_rule(f), f"δ{sup} = ∂J/∂{A} ⊙ f′({Z}), {ML_FUNCTIONS[f].rule_label}",
                  (delta, Grad(J, Z), sp.HadamardProduct(Grad(J, A), slope_of(f, Z))), "J", Z.name),
    ]  # fmt: skip


def equations(net: Network | Graph) -> tuple[list[_Equation], dict[str, sp.MatrixExpr]]:
    """The steps of ``net``'s backprop, and each gradient's final right side in the forward quantities."""
    graph = as_graph(net)
    s = Symbols(graph)
    eqs = _output_equations(graph, s)
    last = eqs[0].sides[-1]
    if len(eqs) == 2:  # squared error after f: δᴸ = 2c(A − Y) ⊙ f′(Zᴸ)
        last = sp.HadamardProduct(last, *(a for a in eqs[1].sides[-1].args if not isinstance(a, Grad)))
    back = {s.deltas[-1]: last}
    c = 2 * graph.l2
    result = {}
    for k in range(len(graph.layers), 0, -1):
        layer, delta = graph.layers[k - 1], s.deltas[k - 1]
        W, b, A = s[layer.weight], s[layer.bias], s[layer.source]
        if k < len(graph.layers):  # back through the layer above and this layer's activation
            above, A_out, Z = graph.layers[k], s[layer.post], s[layer.pre]
            up_delta, up_W = s.deltas[k], s[above.weight]
            upstream = s.upstream(up_delta, up_W)
            here, there = _superscript(k), _superscript(k + 1)
            flow = f"δ{there}{up_W}ᵀ" if s.row else f"{up_W}ᵀδ{there}"
            if layer.activation == IDENTITY:  # no activation: ∂J/∂Z is ∂J/∂A
                eqs.append(_Equation(AFFINE_A, f"δ{here} = ∂J/∂{Z} = {flow}", (delta, Grad(J, Z), upstream), "J",
                                     Z.name))  # fmt: skip
                back[delta] = upstream.xreplace(back)
            else:
                f = layer.activation
                slope = slope_of(f, Z)
                kink = f"; at the kink {Z} = 0 the subgradient 0 is used" if f == "relu" else ""
                eqs.append(_Equation(AFFINE_A, f"∂J/∂{A_out} = {flow}", (Grad(J, A_out), upstream), "J", A_out.name))
                eqs.append(
                    _Equation(
                        _activation_rule(f),
                        f"δ{here} = ∂J/∂{A_out} ⊙ f′({Z}), {ML_FUNCTIONS[f].rule_label}{kink}",
                        (delta, Grad(J, Z), sp.HadamardProduct(Grad(J, A_out), slope)),
                        "J",
                        Z.name,
                    )
                )
                eqs.append(
                    _Equation(
                        RECURRENCE,
                        f"δ{here} = ({flow}) ⊙ f′({Z}): ∂J/∂{A_out} = {flow} put in",
                        (delta, sp.HadamardProduct(upstream, slope)),
                        "J",
                        Z.name,
                    )
                )
                back[delta] = sp.HadamardProduct(upstream, slope).xreplace(back)
        name = W.name
        weight = s.weight_grad(A, delta)
        form = f"{A}ᵀδ" if s.row else f"δ{A}ᵀ"
        if W.name in graph.penalised:
            eqs.append(_Equation(AFFINE_W, f"∂J/∂{name} = {form} + ∂R/∂{name}", (Grad(J, W), weight + Grad(R, W)),
                                 "J", name))  # fmt: skip
            eqs.append(_Equation(L2_RULE, f"∂R/∂{name} = {sp.sstr(c)}·λ·{name}", (Grad(R, W), c * reg * W), "R", name))
        else:
            eqs.append(_Equation(AFFINE_W, f"∂J/∂{name} = {form}", (Grad(J, W), weight), "J", name))
        summed = "δᵀ𝟏" if s.row else "δ𝟏"
        eqs.append(_Equation(AFFINE_B, f"∂J/∂{b} = {summed} (summed over the batch)", (Grad(J, b), s.bias_grad(delta)),
                             "J", b.name))  # fmt: skip
        # The gradient with every name put back: what the result check compares with differences of J.
        full = s.weight_grad(A, back[delta])
        result[name] = full + c * reg * W if W.name in graph.penalised else full
        result[b.name] = s.bias_grad(back[delta])
    return eqs, dict(sorted(result.items(), key=lambda item: graph.params.index(item[0])))


def _probabilities(graph: Graph, s: Symbols, Z: sp.MatrixExpr, f: str) -> sp.MatrixExpr:
    if f == "softmax":
        return Softmax(Z) if s.row else sp.Transpose(Softmax(sp.Transpose(Z)))
    return elementwise(ML_FUNCTIONS[f].function, Z)


def _data_term(graph: Graph, s: Symbols) -> sp.MatrixExpr:
    """The loss as printed: −c𝟏ᵀ(Y ⊙ log P)𝟏 (+ the (1 − Y) part), or c𝟏ᵀ((A − Y) ⊙ (A − Y))𝟏."""
    A, T = s[graph.prediction], s[graph.target]
    if graph.loss == SQUARED_ERROR:
        return s.total(sp.HadamardProduct(A - T, A - T), graph.scale)
    logs = sp.HadamardProduct(T, elementwise(sp.log, A))
    if graph.loss == BINARY_CROSS_ENTROPY:
        ones = sp.OneMatrix(*T.shape)
        logs = logs + sp.HadamardProduct(ones - T, elementwise(sp.log, ones - A))
    return s.total(logs, -graph.scale)


def definitions(net: Network | Graph) -> tuple[Definition, ...]:
    """The forward pass, printed under the steps: Z1 = XW1 + 𝟏b1ᵀ, A1 = f(Z1), Z2, P and the cost J."""
    graph = as_graph(net)
    s = Symbols(graph)
    rows = []
    for layer in graph.layers:
        Z = s[layer.pre]
        rows.append((Z, s.affine(s[layer.source], s[layer.weight], s[layer.bias])))
        if layer.activation != IDENTITY:
            f = layer.activation
            rows.append((s[layer.post], Softmax(Z) if f == "softmax" else elementwise(ML_FUNCTIONS[f].function, Z)))
    data = _data_term(graph, s)
    if not graph.penalised:
        rows.append((J, data))
    else:  # J = L + R: the data term is a 1×1 matrix, R a number, and SymPy adds no matrix to a number
        loss = sp.Symbol("L")
        penalty = graph.l2 * reg * sp.Add(*(SquaredNorm(s[w]) for w in graph.penalised))
        rows += [(J, loss + R), (loss, data), (R, penalty)]
    return tuple(Definition((), short, long) for short, long in rows)


# --- the oracle ---------------------------------------------------------------------------------
STEP = 1e-6  # central differences in float64: truncation ~1e-12·f‴, rounding ~1e-16/1e-6 ≈ 1e-10
TOLERANCE = 1e-6  # relative to the largest entry of the measured derivative (and 1e-8 absolute)
KINK_MARGIN = 1e-3  # a draw with some kinked |Z| below this is skipped: a difference could cross the kink
DRAWS = 2


def central_differences(f: Callable[[np.ndarray], float], at: np.ndarray, step: float = STEP) -> np.ndarray:
    """∂f/∂at entry by entry: (f(at + h·e) − f(at − h·e)) / 2h.

    >>> central_differences(lambda v: float(np.sum(v**3)), np.array([1.0, 2.0])).round(6).tolist()
    [3.0, 12.0]
    """
    grad = np.zeros_like(at, dtype=float)
    for index in np.ndindex(at.shape):
        up, down = at.copy(), at.copy()
        up[index] += step
        down[index] -= step
        grad[index] = (f(up) - f(down)) / (2 * step)
    return grad


def cost_from(
    net: Network | Graph, params: Params, X_: np.ndarray, Y_: np.ndarray, reg_: float
) -> dict[tuple[str, str], Callable]:
    """The cost as a function of each quantity, the rest of the forward pass run from it (and R of the weights)."""
    graph = as_graph(net)
    m_value = graph.examples(X_)
    costs: dict[tuple[str, str], Callable] = {}
    for layer in graph.layers:
        names = [layer.pre]
        if layer.post != layer.pre and (layer is not graph.layers[-1] or graph.loss == SQUARED_ERROR):
            names.append(layer.post)  # not P after cross-entropy: the stable loss reads the scores
        for name in names:
            costs["J", name] = lambda v, name=name: graph.cost(params, X_, Y_, reg_, {name: v})
    for name in graph.params:
        costs["J", name] = lambda v, name=name: graph.cost({**params, name: v}, X_, Y_, reg_)
        costs["R", name] = lambda v, name=name: graph.penalty({**params, name: v}, reg_, m_value)
    return costs


class _Values:
    """Leaves for the oracle's evaluator: one draw's matrices (as (1, rows, cols)) and sizes."""

    points = 1

    def __init__(self, matrices: dict[sp.Basic, np.ndarray], scalars: dict[sp.Symbol, float]):
        self.matrices, self.scalars = matrices, scalars

    def symbol(self, node):
        return self.scalars[node]

    def indexed(self, node, indices):
        raise KeyError(node)

    def matrix(self, node):
        value = self.matrices[node]
        return value.reshape(1, *(value.shape if value.ndim == 2 else (value.shape[0], 1)))


@dataclass
class _Draw:
    values: _Values
    measured: dict[tuple[str, str], np.ndarray]  # (cost, wrt) -> central differences

    def evaluate(self, side: sp.Basic) -> np.ndarray:
        return np.asarray(Evaluator(self.values).matrix(side), dtype=float)[0]


def gradient(
    net: Network | Graph, params: Params, X_: np.ndarray, Y_: np.ndarray, reg_: float = 0.0
) -> dict[str, np.ndarray]:
    """The derived gradient (:func:`equations`' result) evaluated on data: each parameter's ∂J/∂V, shaped like it.

    >>> net = Network("tanh", "softmax", "half")
    >>> params, X_, Y_ = net.problem(seed=1)
    >>> grads = gradient(net, params, X_, Y_, 0.1)
    >>> exact = central_differences(lambda v: net.cost({**params, "W1": v}, X_, Y_, 0.1), params["W1"])
    >>> bool(np.allclose(grads["W1"], exact, atol=1e-8))
    True
    """
    graph = as_graph(net)
    s = Symbols(graph)
    at = {**graph.forward(params, X_), **params}
    values = {s[name]: value for name, value in at.items()}
    values[s[graph.target]] = Y_
    widths = (X_.shape[1 if s.row else 0], *(params[layer.bias].shape[0] for layer in graph.layers))
    leaves = _Values(values, {**dict(zip(s.size, widths, strict=True)), m: graph.examples(X_), reg: reg_})
    _, result = equations(graph)
    return {name: np.asarray(Evaluator(leaves).matrix(expr), dtype=float)[0].reshape(params[name].shape)
            for name, expr in result.items()}  # fmt: skip


def _kinked(graph: Graph) -> list[str]:
    """The pre-activations entering a kink (ReLU, |·|): their draws near 0 are skipped."""
    return [layer.pre for layer in graph.layers if layer.activation in KINKED]


def _draws(graph: Graph, seed: int, reg_: float) -> tuple[list[_Draw], int]:
    """Random problems with their forward values and every measured derivative; skipped draws counted."""
    s = Symbols(graph)
    draws, skipped, serial = [], 0, 0
    while len(draws) < DRAWS:
        params, X_, Y_ = graph.problem(seed=seed * 1000 + serial)
        serial += 1
        forward = graph.forward(params, X_)
        if any(np.min(np.abs(forward[z])) < KINK_MARGIN for z in _kinked(graph)):
            skipped += 1
            continue
        at = {**forward, **params}
        measured = {
            key: central_differences(f, at[key[1]]) for key, f in cost_from(graph, params, X_, Y_, reg_).items()
        }
        matrices = {s[name]: value for name, value in at.items()}
        matrices[s[graph.target]] = Y_
        for k, layer in enumerate(graph.layers):
            matrices[s.deltas[k]] = measured["J", layer.pre]
        for (cost, wrt), value in measured.items():  # ∂J/∂V and ∂R/∂W as the oracle measured them
            matrices[_measured_leaf(cost, s[wrt])] = value
        scalars = {size: graph.width(str(size)) for size in s.size}
        scalars.update({m: SIZES["m"], reg: reg_})
        draws.append(_Draw(_Values(matrices, scalars), measured))
    return draws, skipped


def _measured_leaf(cost: str, wrt: sp.MatrixSymbol) -> sp.MatrixSymbol:
    return sp.MatrixSymbol(f"d{cost}_d{wrt.name}", *wrt.shape)


def _leafy(side: sp.Basic) -> sp.Basic:
    """A side with every ∂J/∂V and ∂R/∂W replaced by the leaf holding its measured value."""
    return side.replace(
        lambda e: isinstance(e, Grad),
        lambda e: _measured_leaf(str(e.cost), e.wrt),
    )


def _compare(measured: np.ndarray, claimed: np.ndarray) -> tuple[bool, float, tuple[int, ...]]:
    """(equal within the tolerance, largest error over the largest entry, where); a wrong shape is unequal."""
    if claimed.shape != (measured.reshape(-1, 1) if measured.ndim == 1 else measured).shape:
        return False, float("inf"), ()
    claimed = claimed.reshape(measured.shape)
    error = np.abs(claimed - measured)
    scale = max(1.0, float(np.max(np.abs(measured))))
    worst = np.unravel_index(int(np.argmax(error)), error.shape)
    return bool(np.all(error <= TOLERANCE * scale + 1e-8)), float(np.max(error) / scale), tuple(int(i) for i in worst)


def _sizes(graph: Graph) -> str:
    return ", ".join(f"{k}={graph.width(k) if k != 'm' else SIZES['m']}" for k in ("m", *graph.sizes))


def _detail(what: str, graph: Graph, skipped: int, worst: float) -> str:
    text = f"central differences of {what} (step {STEP:g}) on {DRAWS} random draws, {_sizes(graph)}, float64; "
    text += f"largest error {worst:.1e} of the largest entry"
    kinked = _kinked(graph)
    if kinked:
        where = ", ".join(f"|{z}|" for z in kinked)
        text += f"; draws with some {where} < {KINK_MARGIN:g} skipped (ReLU's kink): {skipped}"
    return text


def _verdict(
    sides: list[sp.Basic], cost: str, wrt: str, draws: list[_Draw], graph: Graph, skipped: int
) -> tuple[Verdict, float]:
    """Whether every side equals the measured ∂cost/∂wrt on every draw; and the largest relative error."""
    worst = 0.0
    for number, draw in enumerate(draws, 1):
        measured = draw.measured[cost, wrt]
        for side in sides:
            claimed = draw.evaluate(_leafy(side))
            same, error, where = _compare(measured, claimed)
            worst = max(worst, error)
            if not same and not where:
                detail = f"a side has shape {claimed.shape}, but ∂{cost}/∂{wrt} has shape {measured.shape}"
                return Verdict(FAILS, "finite differences", detail), error
            if not same:
                example = {"draw": number, "entry": where, "finite difference": float(measured[where]),
                           "claimed": float(claimed.reshape(measured.shape)[where])}  # fmt: skip
                detail = _detail(f"{cost} in {wrt}", graph, skipped, error)
                return Verdict(FAILS, "finite differences", detail, example), error
    return Verdict(HOLDS, "finite differences", _detail(f"{cost} in {wrt}", graph, skipped, worst)), worst


def _cost_check(graph: Graph, draws: list[_Draw]) -> Check:
    """The loss as printed (−(1/m) 𝟏ᵀ(Y ⊙ log P)𝟏 …), evaluated, against the network's own stable loss."""
    s = Symbols(graph)
    printed = _data_term(graph, s)
    last = graph.layers[-1]
    # P written out and evaluated at 30 digits: log(1 − P) of a float64 P near 1 would lose the digits compared.
    if last.post != last.pre:
        printed = printed.xreplace({s[last.post]: _probabilities(graph, s, s[last.pre], last.activation)})
    worst = 0.0
    with mpmath.workdps(DIGITS):
        for draw in draws:
            value = float(Evaluator(draw.values, EXACT).matrix(printed)[0, 0, 0])
            values = {name: draw.values.matrices[s[name]] for name in (last.pre, last.post)}
            expected = graph.data_loss(values, draw.values.matrices[s[graph.target]])
            worst = max(worst, abs(value - expected) / max(1.0, abs(expected)))
    status = HOLDS if worst <= 1e-12 else FAILS
    detail = f"at 30 digits on the {len(draws)} draws, largest relative difference {worst:.1e}"
    return Check("the printed cost is the network's cost", Verdict(status, "numeric", detail))


def derive_network(net: Network | Graph | None = None, *, reg_value: float = 0.1, seed: int = 0) -> Derivation:
    """Backprop through ``net`` step by step, every step and the whole gradient checked by finite differences.

    >>> d = derive_network(Network("tanh", "softmax", "none"))
    >>> d.verified, [s.rule for s in d.steps][:2]
    (True, ['softmax with cross-entropy', 'chain rule: affine layer (weights)'])
    """
    net = net or Network()
    eqs, result = equations(net)
    return verify_equations(net, eqs, result, reg_value=reg_value, seed=seed)


def verify_equations(
    net: Network | Graph,
    eqs: list[_Equation],
    result: dict[str, sp.MatrixExpr],
    *,
    reg_value: float = 0.1,
    seed: int = 0,
) -> Derivation:
    """The derivation of ``eqs`` (steps) and ``result`` (each gradient's right side), every one checked."""
    graph = as_graph(net)
    s = Symbols(graph)
    draws, skipped = _draws(graph, seed, reg_value)
    steps = []
    for eq in eqs:
        checked = [side for side in eq.sides[1:] if not (isinstance(side, Grad) and str(side.cost) == eq.cost)]
        verdict, _ = _verdict(checked, eq.cost, eq.wrt, draws, graph, skipped)
        steps.append(Step(eq.rule, eq.rewrite, Chain(*eq.sides), verdict))
    worst, failed = 0.0, None
    for name, expr in result.items():
        verdict, error = _verdict([expr], "J", name, draws, graph, skipped)
        worst = max(worst, error)
        failed = failed or (None if verdict.ok else verdict)
    names = ", ".join(graph.params)
    whole = failed or Verdict(HOLDS, "finite differences", _detail(f"J in {names}", graph, skipped, worst))
    variables = [s[p] for p in graph.params]
    return Derivation(
        title=f"Backpropagation through {graph.title}",
        goal=sp.Tuple(*(Grad(J, v) for v in variables)),
        variable=sp.Tuple(*variables),
        steps=tuple(steps),
        definitions=definitions(graph),
        checks=(Check(f"finite differences of J ({names})", whole), _cost_check(graph, draws)),
        model="mlp" if isinstance(net, Network) else "network",
        seed=seed,
        joins="system",
    )


__all__ = [
    "NET_RULE_WORDS",
    "Symbols",
    "as_graph",
    "central_differences",
    "cost_from",
    "derive_network",
    "equations",
    "gradient",
    "verify_equations",
]
