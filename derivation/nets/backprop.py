r"""Backpropagation through the two-layer network, derived step by step, each step checked by finite differences.

Layout: X (m, n) one example a row, W1 (n, h), b1 (h,), Z1 = X W1 + 𝟏b1ᵀ, A1 = f(Z1), W2 (h, K),
b2 (K,), Z2 = A1 W2 + 𝟏b2ᵀ (see :mod:`.network`).  The steps are the recurrences courses write::

    δ² = ∂J/∂Z2 = (1/m)(P − Y)                       softmax (or sigmoid) with cross-entropy
    ∂J/∂W2 = A1ᵀδ² + ∂R/∂W2,  ∂R/∂W2 = 2·reg·W2      chain rule through an affine layer; the L2 term
    ∂J/∂b2 = δ²ᵀ𝟏                                    summed over the batch
    ∂J/∂A1 = δ²W2ᵀ
    δ¹ = ∂J/∂Z1 = ∂J/∂A1 ⊙ f′(Z1) = (δ²W2ᵀ) ⊙ f′(Z1)  f′ from the registry: σ(1−σ), 1 − tanh², 1[Z1 > 0]
    ∂J/∂W1 = Xᵀδ¹ + ∂R/∂W1,  ∂J/∂b1 = δ¹ᵀ𝟏

The oracle shares nothing with these rules.  On random float64 data (m=5, n=4, h=6, K=3) the
network's own forward pass and cost (:class:`~.network.Network`) give every intermediate; the cost
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

from ..core.functions import Definition, sigmoid
from ..core.functions.softmax import Softmax
from ..core.notation import elementwise
from ..core.steps import FAILS, HOLDS, Check, Derivation, Step, Verdict
from ..oracle.evaluator import Evaluator
from ..oracle.numbers import EXACT
from ..oracle.policy import DIGITS
from ..printing import render as _render  # noqa: F401 - importing printing lets a Derivation print itself
from .network import Network, Params

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


def slope_of(net: Network, Z: sp.MatrixExpr) -> Elementwise:
    """f′(Z) entry by entry, the registry's derivative: σ(Z)(1 − σ(Z)), 1 − tanh(Z)², 1[Z > 0]."""
    u = sp.Dummy("u")
    return Elementwise(sp.Lambda(u, net.entry.derivative(u)), Z)


X = sp.MatrixSymbol("X", m, n)
W1, b1 = sp.MatrixSymbol("W1", n, h), sp.MatrixSymbol("b1", h, 1)
W2, b2 = sp.MatrixSymbol("W2", h, K), sp.MatrixSymbol("b2", K, 1)
Z1, A1 = sp.MatrixSymbol("Z1", m, h), sp.MatrixSymbol("A1", m, h)
Z2, P, Y = sp.MatrixSymbol("Z2", m, K), sp.MatrixSymbol("P", m, K), sp.MatrixSymbol("Y", m, K)
DELTA2, DELTA1 = Delta("delta2", m, K), Delta("delta1", m, h)
SHAPES = {"m": 5, "n": 4, "h": 6, "K": 3}  # small: every entry of every matrix is differenced

# Rule ids, readable as they are; NET_RULE_WORDS is how labels.RULE_WORDS would word them (Unicode, LaTeX).
SOFTMAX_CE, SIGMOID_CE = "softmax with cross-entropy", "sigmoid with cross-entropy"
AFFINE_W = "chain rule: affine layer (weights)"
AFFINE_B = "chain rule: affine layer (bias)"
AFFINE_A = "chain rule: affine layer (input)"
L2_RULE = "L2 penalty"
RECURRENCE = "backprop recurrence"
ACTIVATION = "chain rule: elementwise {}"
NET_RULE_WORDS: dict[str, tuple[str, str]] = {
    SOFTMAX_CE: ("softmax with cross-entropy: ∂J/∂Z = (P − Y)/m", r"\text{softmax with cross-entropy}"),
    SIGMOID_CE: ("sigmoid with cross-entropy: ∂J/∂Z = (σ(Z) − Y)/m", r"\text{sigmoid with cross-entropy}"),
    AFFINE_W: ("chain rule through Z = AW + 𝟏bᵀ: ∂J/∂W = Aᵀδ", r"\frac{\partial J}{\partial W} = A^{\top}\delta"),
    AFFINE_B: ("chain rule through Z = AW + 𝟏bᵀ: ∂J/∂b = δᵀ𝟏, summed over the batch",
               r"\frac{\partial J}{\partial b} = \delta^{\top}\mathbf{1}"),
    AFFINE_A: ("chain rule through Z = AW + 𝟏bᵀ: ∂J/∂A = δWᵀ", r"\frac{\partial J}{\partial A} = \delta W^{\top}"),
    RECURRENCE: ("the recurrence: ∂J/∂A1 = δ²W2ᵀ put in",
                 r"\text{put in } \frac{\partial J}{\partial A_1} = \delta^{(2)} W_2^{\top}"),
    L2_RULE: ("∂(cλ‖W‖²)/∂W = 2cλW", r"\frac{\partial\, c\lambda\lVert W\rVert^2}{\partial W} = 2c\lambda W"),
}  # fmt: skip
KINK = "at the kink Z1 = 0 the subgradient 0 is used"


@dataclass(frozen=True)
class _Equation:
    """One step before it is checked: its rule, its sides, and the derivative ∂cost/∂wrt its sides equal."""

    rule: str
    rewrite: str
    sides: tuple[sp.Basic, ...]
    cost: str  # "J" or "R"
    wrt: str  # the quantity differenced: Z2, A1, Z1, W1, b1, W2, b2


def _activation_rule(net: Network) -> str:
    return ACTIVATION.format("ReLU (subgradient 0 at the kink)" if net.hidden == "relu" else net.hidden)


def equations(net: Network) -> tuple[list[_Equation], dict[str, sp.MatrixExpr]]:
    """The steps of ``net``'s backprop, and each gradient's final right side in the forward quantities."""
    entry = net.entry
    slope = slope_of(net, Z1)
    out_rule = SOFTMAX_CE if net.output == "softmax" else SIGMOID_CE
    out_words = "P = softmax(Z2)" if net.output == "softmax" else "P = σ(Z2)"
    upstream = DELTA2 * W2.T
    probs = P if net.output == "softmax" else elementwise(sigmoid, Z2)
    eqs = [_Equation(out_rule, f"∂J/∂Z2 = (P − Y)/m with {out_words}", (DELTA2, Grad(J, Z2), (probs - Y) / m),
                     "J", "Z2")]  # fmt: skip
    penalised = net.l2 != "none"
    c = 2 * sp.Rational(net.l2_factor)
    for W, A, delta, b in ((W2, A1, DELTA2, b2), (W1, X, DELTA1, b1)):
        if W is W1:  # back through the activation: δ¹ = ∂J/∂A1 ⊙ f′(Z1)
            act_words = f"δ¹ = ∂J/∂A1 ⊙ f′(Z1), {entry.rule_label}" + (f"; {KINK}" if net.hidden == "relu" else "")
            eqs.append(_Equation(AFFINE_A, "∂J/∂A1 = δ²W2ᵀ", (Grad(J, A1), upstream), "J", "A1"))
            eqs.append(
                _Equation(
                    _activation_rule(net),
                    act_words,
                    (DELTA1, Grad(J, Z1), sp.HadamardProduct(Grad(J, A1), slope)),
                    "J",
                    "Z1",
                )
            )
            eqs.append(_Equation(RECURRENCE, "δ¹ = (δ²W2ᵀ) ⊙ f′(Z1): ∂J/∂A1 = δ²W2ᵀ put in",
                                 (DELTA1, sp.HadamardProduct(upstream, slope)), "J", "Z1"))  # fmt: skip
        name = str(W)
        weight = A.T * delta
        if penalised:
            eqs.append(_Equation(AFFINE_W, f"∂J/∂{name} = {A}ᵀδ + ∂R/∂{name}",
                                 (Grad(J, W), weight + Grad(R, W)), "J", name))  # fmt: skip
            eqs.append(_Equation(L2_RULE, f"∂R/∂{name} = {c}·λ·{name}", (Grad(R, W), c * reg * W), "R", name))
        else:
            eqs.append(_Equation(AFFINE_W, f"∂J/∂{name} = {A}ᵀδ", (Grad(J, W), weight), "J", name))
        eqs.append(_Equation(AFFINE_B, f"∂J/∂{b} = δᵀ𝟏 (summed over the batch)",
                             (Grad(J, b), delta.T * ONES), "J", str(b)))  # fmt: skip
    # The gradient with every name put back: what the result check compares with differences of J.
    back = {DELTA2: eqs[0].sides[-1]}
    back[DELTA1] = sp.HadamardProduct(upstream, slope).xreplace(back)
    pen = {W: c * reg * W for W in (W1, W2)} if penalised else {}
    result = {}
    for W, A, delta, b in ((W2, A1, DELTA2, b2), (W1, X, DELTA1, b1)):
        result[str(W)] = A.T * back[delta] + pen[W] if penalised else A.T * back[delta]
        result[str(b)] = back[delta].T * ONES
    return eqs, result


def definitions(net: Network) -> tuple[Definition, ...]:
    """The forward pass, printed under the steps: Z1 = XW1 + 𝟏b1ᵀ, A1 = f(Z1), Z2, P and the cost J."""
    f = net.entry.function
    probs = Softmax(Z2) if net.output == "softmax" else elementwise(sigmoid, Z2)
    rows = [(Z1, X * W1 + ONES * b1.T), (A1, elementwise(f, Z1)), (Z2, A1 * W2 + ONES * b2.T), (P, probs)]
    logs = sp.HadamardProduct(Y, elementwise(sp.log, P))
    if net.output == "sigmoid":
        logs = logs + sp.HadamardProduct(sp.OneMatrix(m, K) - Y, elementwise(sp.log, sp.OneMatrix(m, K) - P))
    # −(1/m) 𝟏ᵀ(Y ⊙ log P)𝟏, left unevaluated: SymPy would write 𝟏ᵀ as a 1 × m 𝟏 that prints without its ᵀ
    data = sp.MatMul(-1 / m, sp.Transpose(ONES), logs, sp.OneMatrix(K, 1), evaluate=False)
    penalty = sp.Rational(net.l2_factor) * reg * (SquaredNorm(W1) + SquaredNorm(W2))
    if net.l2 == "none":
        rows.append((J, data))
    else:  # J = L + R: the data term is a 1×1 matrix, R a number, and SymPy adds no matrix to a number
        loss = sp.Symbol("L")
        rows += [(J, loss + R), (loss, data), (R, penalty)]
    return tuple(Definition((), short, long) for short, long in rows)


# --- the oracle ---------------------------------------------------------------------------------
STEP = 1e-6  # central differences in float64: truncation ~1e-12·f‴, rounding ~1e-16/1e-6 ≈ 1e-10
TOLERANCE = 1e-6  # relative to the largest entry of the measured derivative (and 1e-8 absolute)
KINK_MARGIN = 1e-3  # a draw with some |Z1| below this is skipped for ReLU: a difference could cross the kink
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


def cost_from(net: Network, params: Params, X_: np.ndarray, Y_: np.ndarray, reg_: float) -> dict[str, Callable]:
    """The cost as a function of each quantity, the rest of the forward pass run from it (and R of W1, W2)."""
    penalty = net.penalty(params, reg_)

    def from_z2(z2):
        return net.data_loss(z2, Y_) + penalty

    def from_a1(a1):
        return from_z2(net.scores(params, a1))

    def from_z1(z1):
        return from_a1(net.activation(z1))

    costs: dict[str, Callable] = {("J", "Z2"): from_z2, ("J", "A1"): from_a1, ("J", "Z1"): from_z1}
    for name in ("W1", "b1", "W2", "b2"):
        costs["J", name] = lambda v, name=name: net.cost({**params, name: v}, X_, Y_, reg_)
        costs["R", name] = lambda v, name=name: net.penalty({**params, name: v}, reg_)
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


def _draws(net: Network, seed: int, reg_: float) -> tuple[list[_Draw], int]:
    """Random problems with their forward values and every measured derivative; skipped draws counted."""
    draws, skipped, serial = [], 0, 0
    while len(draws) < DRAWS:
        params, X_, Y_ = net.problem(**SHAPES, seed=seed * 1000 + serial)
        serial += 1
        forward = net.forward(params, X_)
        if net.hidden == "relu" and np.min(np.abs(forward["Z1"])) < KINK_MARGIN:
            skipped += 1
            continue
        at = {"Z2": forward["Z2"], "A1": forward["A1"], "Z1": forward["Z1"], **params}
        measured = {key: central_differences(f, at[key[1]]) for key, f in cost_from(net, params, X_, Y_, reg_).items()}
        matrices = {X: X_, Y: Y_, W1: params["W1"], b1: params["b1"], W2: params["W2"], b2: params["b2"],
                    Z1: forward["Z1"], A1: forward["A1"], Z2: forward["Z2"], P: forward["P"],
                    DELTA2: measured["J", "Z2"], DELTA1: measured["J", "Z1"]}  # fmt: skip
        for (cost, wrt), value in measured.items():  # ∂J/∂V and ∂R/∂W as the oracle measured them
            symbol = {"Z2": Z2, "A1": A1, "Z1": Z1, "W1": W1, "b1": b1, "W2": W2, "b2": b2}[wrt]
            matrices[_measured_leaf(cost, symbol)] = value
        scalars = {m: SHAPES["m"], n: SHAPES["n"], h: SHAPES["h"], K: SHAPES["K"], reg: reg_}
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


def _sizes() -> str:
    return ", ".join(f"{k}={v}" for k, v in SHAPES.items())


def _detail(what: str, net: Network, skipped: int, worst: float) -> str:
    text = f"central differences of {what} (step {STEP:g}) on {DRAWS} random draws, {_sizes()}, float64; "
    text += f"largest error {worst:.1e} of the largest entry"
    if net.hidden == "relu":
        text += f"; draws with some |Z1| < {KINK_MARGIN:g} skipped (ReLU's kink): {skipped}"
    return text


def _verdict(
    sides: list[sp.Basic], cost: str, wrt: str, draws: list[_Draw], net: Network, skipped: int
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
                detail = _detail(f"{cost} in {wrt}", net, skipped, error)
                return Verdict(FAILS, "finite differences", detail, example), error
    return Verdict(HOLDS, "finite differences", _detail(f"{cost} in {wrt}", net, skipped, worst)), worst


def _cost_check(net: Network, draws: list[_Draw]) -> Check:
    """The cross-entropy as printed (−(1/m) 𝟏ᵀ(Y ⊙ log P)𝟏 …), evaluated, against the network's own stable cost."""
    printed = next(d.long for d in definitions(net) if d.short in (J, sp.Symbol("L")) and d.long.is_Matrix)
    # P written out and evaluated at 30 digits: log(1 − P) of a float64 P near 1 would lose the digits compared.
    printed = printed.xreplace({P: Softmax(Z2) if net.output == "softmax" else elementwise(sigmoid, Z2)})
    worst = 0.0
    with mpmath.workdps(DIGITS):
        for draw in draws:
            value = float(Evaluator(draw.values, EXACT).matrix(printed)[0, 0, 0])
            expected = net.data_loss(draw.values.matrices[Z2], draw.values.matrices[Y])
            worst = max(worst, abs(value - expected) / max(1.0, abs(expected)))
    status = HOLDS if worst <= 1e-12 else FAILS
    detail = f"at 30 digits on the {len(draws)} draws, largest relative difference {worst:.1e}"
    return Check("the printed cost is the network's cost", Verdict(status, "numeric", detail))


def derive_network(net: Network | None = None, *, reg_value: float = 0.1, seed: int = 0) -> Derivation:
    """Backprop through ``net`` step by step, every step and the whole gradient checked by finite differences.

    >>> d = derive_network(Network("tanh", "softmax", "none"))
    >>> d.verified, [s.rule for s in d.steps][:2]
    (True, ['softmax with cross-entropy', 'chain rule: affine layer (weights)'])
    """
    net = net or Network()
    eqs, result = equations(net)
    return verify_equations(net, eqs, result, reg_value=reg_value, seed=seed)


def verify_equations(
    net: Network, eqs: list[_Equation], result: dict[str, sp.MatrixExpr], *, reg_value: float = 0.1, seed: int = 0
) -> Derivation:
    """The derivation of ``eqs`` (steps) and ``result`` (each gradient's right side), every one checked."""
    draws, skipped = _draws(net, seed, reg_value)
    steps = []
    for eq in eqs:
        checked = [s for s in eq.sides[1:] if not (isinstance(s, Grad) and str(s.cost) == eq.cost)]
        verdict, _ = _verdict(checked, eq.cost, eq.wrt, draws, net, skipped)
        steps.append(Step(eq.rule, eq.rewrite, Chain(*eq.sides), verdict))
    worst, failed = 0.0, None
    for name, expr in result.items():
        verdict, error = _verdict([expr], "J", name, draws, net, skipped)
        worst = max(worst, error)
        failed = failed or (None if verdict.ok else verdict)
    whole = failed or Verdict(HOLDS, "finite differences", _detail("J in W1, b1, W2, b2", net, skipped, worst))
    gradient = sp.Tuple(*(Grad(J, v) for v in (W1, b1, W2, b2)))
    return Derivation(
        title=f"Backpropagation through a two-layer network: {net.describe()}",
        goal=gradient,
        variable=sp.Tuple(W1, b1, W2, b2),
        steps=tuple(steps),
        definitions=definitions(net),
        checks=(Check("finite differences of J (W1, b1, W2, b2)", whole), _cost_check(net, draws)),
        model="mlp",
        seed=seed,
        joins="system",
    )


__all__ = ["NET_RULE_WORDS", "central_differences", "cost_from", "derive_network", "equations", "verify_equations"]
