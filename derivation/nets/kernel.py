r"""A NumPy module for the two-layer network: forward, loss, backward and value_and_grad, from the derived equations.

The backward pass is printed from the steps of :func:`~.backprop.equations` (the same SymPy
expressions the derivation shows and checks): ``∂J/∂W = Aᵀδ`` becomes ``A.T @ delta``, ``δᵀ𝟏``
becomes ``delta.sum(axis=0)`` (the bias summed over the batch), ``⊙`` is ``*``, and f′(Z1) is the
registry's derivative with f(Z1) written as the stored A1 (σ(1−σ) → ``A1*(1 - A1)``, 1 − tanh² →
``1 - A1**2``, 1[Z1 > 0] → the step's NumPy form).  The activation, softplus and the row shift of
softmax are the registry's stable NumPy forms, so nothing overflows at |Z| = 1000.  Two things are
the equations computed faster rather than printed: δ² = (P − Y)/m with integer labels subtracts 1/m
at each example's label instead of building Y (the 1/m folded into softmax's normaliser), and
intermediates are updated in place.  X is converted at most once per call (to the weights' dtype,
strided views made contiguous), so float32 stays float32 and no product copies its operand.

Speed (``benchmarks/bench_mlp.py``, against CS231n's hand-written NumPy): the large sizes are two
GEMMs (X W1 and Xᵀδ¹, ~90% of the call, the same BLAS calls in both), so the margin is the rest:
Z2 is stored column-major (softmax's row max and sum along contiguous memory), the ReLU mask is a
bool multiply rather than a masked assignment, and no BLAS call is added beyond the five products
(a threaded call waits for its threads, a scheduler slice each on a busy machine).  Tried and left
out: computing X W1 and Xᵀδ¹ as transposed products (≈10% faster on one BLAS thread with OpenBLAS,
but 1.3-2x slower with two threads on a loaded machine), and the bias sums as ``ones @ delta``
(faster alone, but one more threaded BLAS call each).

>>> source = mlp_kernel_source(Network("relu", "softmax", "sum"))
>>> "dW1 = X.T @ delta1 + 2*reg*W1" in source, "delta1 = dA1" in source
(True, True)
"""

from __future__ import annotations

import types

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from ..core.functions import entry_of, sigmoid, softplus
from ..printing.expr import to_unicode
from .backprop import Chain, Delta, Grad, definitions, equations, reg
from .network import Network

_Z1, _A1 = sp.Symbol("Z1"), sp.Symbol("A1")


def _scalar_code(expr: sp.Expr) -> str:
    """Python for a scalar expression, each registered function written as its stable NumPy form."""
    calls = {}
    for node in sorted(expr.atoms(sp.Function), key=sp.count_ops, reverse=True):
        entry = entry_of(node)
        if entry is not None:
            calls[node] = sp.Symbol(entry.numpy_code(_scalar_code(node.args[0])))
    return sp.pycode(expr.xreplace(calls).xreplace({reg: sp.Symbol("reg")}))


def _code(expr: sp.Basic, net: Network, penalties: dict[sp.Basic, sp.Expr]) -> str:
    """NumPy for one right side of the backward pass."""
    if isinstance(expr, Grad):
        if str(expr.cost) == "R":  # ∂R/∂W: the L2 step's right side
            return _code(penalties[expr.wrt], net, penalties)
        return f"d{expr.wrt.name}"
    if isinstance(expr, (Delta, sp.MatrixSymbol)):
        return expr.name
    if isinstance(expr, sp.Transpose):
        return _factor(expr.arg, net, penalties) + ".T"
    if isinstance(expr, sp.MatMul):
        scalars = [a for a in expr.args if not isinstance(a, sp.MatrixExpr)]
        matrices = [a for a in expr.args if isinstance(a, sp.MatrixExpr)]
        if isinstance(matrices[-1], sp.OneMatrix) and isinstance(matrices[0], sp.Transpose) and len(matrices) == 2:
            text = f"{_factor(matrices[0].arg, net, penalties)}.sum(axis=0)"  # δᵀ𝟏: summed over the batch
        else:
            text = " @ ".join(_factor(a, net, penalties) for a in matrices)
        return (_scalar_code(sp.Mul(*scalars)) + "*" if scalars else "") + text
    if isinstance(expr, sp.MatAdd):
        return " + ".join(_code(a, net, penalties) for a in sorted(expr.args, key=lambda a: isinstance(a, Grad)))
    if isinstance(expr, sp.HadamardProduct):
        return " * ".join(_factor(a, net, penalties) for a in expr.args)
    if isinstance(expr, ElementwiseApplyFunction):  # f′(Z1), written with the stored A1 = f(Z1)
        u = expr.function.variables[0]
        body = expr.function.expr.xreplace({net.entry.function(u): _A1}).xreplace({u: _Z1})
        return _scalar_code(body)
    raise TypeError(f"no NumPy for {type(expr).__name__}")


def _factor(expr: sp.Basic, net: Network, penalties: dict) -> str:
    text = _code(expr, net, penalties)
    return f"({text})" if isinstance(expr, (sp.MatAdd, sp.MatMul, sp.HadamardProduct)) else text


def backward_lines(net: Network) -> list[str]:
    """The backward pass, one assignment per derived step (the L2 steps folded into the weights' lines)."""
    eqs, _ = equations(net)
    penalties = {eq.sides[0].wrt: eq.sides[-1] for eq in eqs if isinstance(eq.sides[0], Grad) and eq.cost == "R"}
    lines = []
    for eq in eqs:
        name = eq.sides[0]
        if eq.cost == "R" or (isinstance(name, Delta) and name.name == "delta2"):
            continue  # the penalty is in the weights' line; δ² is computed with the loss
        if isinstance(name, Delta):  # δ¹ = ∂J/∂A1 ⊙ f′(Z1), in place in dA1 (the recurrence says the same)
            if isinstance(eq.sides[1], Grad):
                (slope,) = (a for a in eq.sides[2].args if not isinstance(a, Grad))
                # A 0/1 float mask (the step's NumPy form) multiplies in place as its bool mask does, without
                # the float copy: a quarter of the time of the small benchmark size.
                code = _code(slope, net, penalties).removesuffix(".astype(np.float64)")
                lines += [f"{name.name} = dA1", f"{name.name} *= {code}"]
            continue
        lines.append(f"d{name.wrt.name} = {_code(eq.sides[-1], net, penalties)}")
    return lines


def _equations_text(net: Network) -> list[str]:
    eqs, _ = equations(net)
    forward = [f"{to_unicode(d.short)} = {to_unicode(d.long)}" for d in definitions(net)]
    return forward + [to_unicode(Chain(*eq.sides)) for eq in eqs]


_HEADER = '''"""Two-layer network ({name}): forward, loss, backward and value_and_grad in NumPy.

Generated by derivation (`derivation kernel mlp`) from its derived, checked equations:

{equations}

{describe}.
Layout: X (m, n) one example a row; params {{"W1": (n, h), "b1": (h,), "W2": (h, K), "b2": (K,)}};
labels y as integers 0..K-1 (m,) or one-hot / 0-1 targets (m, K); reg is λ.  ReLU'(0) = 0.
dtype: NumPy's promotion of X and W1 (float32 data and weights stay float32, without copies).
Stable: log-softmax and log-sigmoid by shifts and logaddexp, no overflow at |Z| = 1000.
"""

import numpy as np

L2_FACTOR = {factor!r}  # R = L2_FACTOR * reg * (||W1||^2 + ||W2||^2); biases are not penalised


def _inputs(params, X):
    """X in the products' dtype (NumPy's promotion of X and W1: float32 with float32 weights stays float32),
    converted once here, not inside each product; a strided view made contiguous once (BLAS copies it per product)."""
    X = np.asarray(X)
    dtype = np.result_type(X.dtype, params["W1"].dtype)
    if X.dtype == dtype and (X.flags.c_contiguous or X.flags.f_contiguous):
        return X  # C or Fortran order: X @ W1 and X.T @ delta1 read it in place
    return np.ascontiguousarray(X, dtype=dtype)


def forward(params, X):
    """Z1 = X W1 + 1 b1^T, A1 = f(Z1), Z2 = A1 W2 + 1 b2^T."""
    X = _inputs(params, X)
    Z1 = X @ params["W1"]
    Z1 += params["b1"]
    A1 = {activation}
    # Z2 column-major (as the transpose of W2^T A1^T, no copy): softmax's row max and row sum then run along
    # contiguous columns, 3-10x faster than over rows of K numbers (5% of the whole call at K = 10, one thread).
    Z2 = (params["W2"].T @ A1.T).T
    Z2 += params["b2"]
    return {{"Z1": Z1, "A1": A1, "Z2": Z2}}


def _sum_of_products(A, B):
    """sum(A * B) without a temporary, and without BLAS: OpenBLAS threads a ddot of 10^4+ numbers, and each threaded
    call is one more rendezvous of its threads, which on a busy machine can wait a whole scheduler slice."""
    return np.einsum("ij,ij->", A, B)


def _penalty(params, reg):
    if not L2_FACTOR or not reg:
        return 0.0
    W1, W2 = params["W1"], params["W2"]
    return L2_FACTOR * reg * (_sum_of_products(W1, W1) + _sum_of_products(W2, W2))


def _targets(y, Z2):
    """Labels as the loss takes them: an (m, K) matrix in the scores' dtype, or (softmax) integer labels as they are."""
    y = np.asarray(y)
    if y.ndim == 2:
        return y.astype(Z2.dtype, copy=False)
{labels}
'''
_INTEGER_LABELS = (
    """    return y.astype(np.intp, copy=False)  # indices: P − Y subtracts 1 at each label, no one-hot built"""
)
_ONE_HOT_LABELS = """    if Z2.shape[1] == 1:
        return y.astype(Z2.dtype).reshape(-1, 1)
    out = np.zeros(Z2.shape, Z2.dtype)
    out[np.arange(y.shape[0]), y.astype(np.intp)] = 1.0
    return out"""

_SOFTMAX = '''

def _loss_and_delta2(Z2, y):
    """J's data term and delta2 = dJ/dZ2 = (P - Y)/m, sharing the exponentials (P = softmax(Z2))."""
    m = Z2.shape[0]
    shift = Z2.max(axis=1, keepdims=True)  # log-softmax with each row shifted by its largest score
    E = Z2 - shift
    np.exp(E, out=E)
    S = E.sum(axis=1, keepdims=True)
    log_S = np.log(S)
    S *= m  # delta2 = P/m - Y/m: the 1/m goes into the normaliser, one pass over E fewer
    delta2 = np.divide(E, S, out=E)
    if y.ndim == 1:
        rows = np.arange(m)
        loss = -(np.sum(Z2[rows, y] - shift[:, 0] - log_S[:, 0])) / m
        delta2[rows, y] -= 1.0 / m
    else:
        loss = -_sum_of_products(y, Z2 - shift - log_S) / m
        delta2 -= y / m
    return loss, delta2
'''

_SIGMOID = '''

def _loss_and_delta2(Z2, y):
    """J's data term (1/m) sum[softplus(Z2) - Y Z2] and delta2 = dJ/dZ2 = (sigmoid(Z2) - Y)/m."""
    m = Z2.shape[0]
    loss = np.sum({softplus} - y * Z2) / m
    delta2 = {sigmoid}
    delta2 -= y
    delta2 /= m
    return loss, delta2
'''

_REST = '''

def loss(params, X, y, reg=0.0):
    """J = cross-entropy + R."""
    Z2 = forward(params, X)["Z2"]
    return float(_loss_and_delta2(Z2, _targets(y, Z2))[0] + _penalty(params, reg))


def backward(params, X, y, cache, reg=0.0):
    """Gradients {{"W1", "b1", "W2", "b2"}} from the forward cache (the derived recurrences)."""
    Z2 = cache["Z2"]
    return _backward(params, _inputs(params, X), cache, _loss_and_delta2(Z2, _targets(y, Z2))[1], reg)


def _backward(params, X, cache, delta2, reg):
    W1, W2 = params["W1"], params["W2"]
    Z1, A1 = cache["Z1"], cache["A1"]
{backward}
    return {{"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}}


def value_and_grad(params, X, y, reg=0.0):
    """(J, gradients) in one forward and one backward pass."""
    X = _inputs(params, X)
    cache = forward(params, X)
    data, delta2 = _loss_and_delta2(cache["Z2"], _targets(y, cache["Z2"]))
    return float(data + _penalty(params, reg)), _backward(params, X, cache, delta2, reg)
'''


def mlp_kernel_source(net: Network | None = None) -> str:
    """A standalone NumPy module (source text) for ``net``: forward, loss, backward, value_and_grad."""
    net = net or Network()
    lines = backward_lines(net)
    if net.l2 == "none":  # no reg in the formulas: keep the argument, say it is unused
        lines.insert(0, "del reg  # this network has no L2 term")
    equations_text = "\n".join("    " + line for line in _equations_text(net))
    source = _HEADER.format(
        name=net.name,
        equations=equations_text,
        describe=net.describe()[0].upper() + net.describe()[1:],
        factor=net.l2_factor,
        activation=net.entry.numpy_code("Z1"),
        labels=_INTEGER_LABELS if net.output == "softmax" else _ONE_HOT_LABELS,
    )
    if net.output == "softmax":
        # Not Softmax.numpy_code/LogSumExp.numpy_code: they would each exponentiate Z2; the loss and
        # δ² share one exp of the same max-shifted rows (the registry's shift), which is the speed.
        source += _SOFTMAX
    else:
        source += _SIGMOID.format(softplus=softplus.numpy_code("Z2"), sigmoid=sigmoid.numpy_code("Z2"))
    return source + _REST.format(backward="\n".join("    " + line for line in lines))


def compile_kernel(net: Network | None = None) -> types.ModuleType:
    """The kernel of ``net`` as a module (our own generated source, never user input)."""
    net = net or Network()
    module = types.ModuleType(f"mlp_{net.name.replace('-', '_')}")
    exec(compile(mlp_kernel_source(net), f"<mlp kernel {net.name}>", "exec"), module.__dict__)
    return module


__all__ = ["backward_lines", "compile_kernel", "mlp_kernel_source"]
