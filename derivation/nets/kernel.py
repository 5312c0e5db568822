r"""A NumPy module for a feed-forward network: forward, loss, backward and value_and_grad, from the derived equations.

Any :class:`~.graph.Graph` (the two-layer :class:`~.network.Network` preset, or a user's own network read by
``derivation kernel --network``) goes through the one generator below, in the network's own names and layout.
The backward pass is printed from the steps of :func:`~.backprop.equations` (the same SymPy expressions the
derivation shows and checks): ``∂J/∂W = Aᵀδ`` becomes ``A.T @ delta`` (``δAᵀ``, ``delta @ A.T`` in the column
layout), ``δᵀ𝟏`` becomes ``delta.sum(axis=0)`` (``δ𝟏``: ``delta.sum(axis=1)``), the bias summed over the batch,
``⊙`` is ``*``, and f′(Zˡ) is the registry's derivative with f(Zˡ) written as the stored Aˡ (σ(1−σ) →
``A1*(1 - A1)``, 1 − tanh² → ``1 - A1**2``, 1[Z1 > 0] → the step's NumPy form).  The activations, softplus and
the row shift of softmax are the registry's stable NumPy forms, so nothing overflows at |Z| = 1500.  The output
layer's δᴸ is the equation computed with the loss, in example rows (a column-layout network's scores are
read transposed, a view): δᴸ = c(P − Y) with integer labels subtracts c at each example's label instead of
building Y (the c folded into softmax's normaliser); σ's cross-entropy is softplus(Z) − Y⊙Z (logaddexp);
a squared error's 2c(A − Y) ⊙ f′(Zᴸ) is printed from its two steps.  Intermediates are updated in place.  X is
converted at most once per call (to the weights' dtype, strided views made contiguous), so float32 stays
float32 and no product copies its operand.

Speed (``benchmarks/bench_mlp.py``, the two-layer preset against CS231n's hand-written NumPy): the large sizes
are two GEMMs (X W1 and Xᵀδ¹, ~90% of the call, the same BLAS calls in both), so the margin is the rest: the
row layout's last scores are stored column-major (softmax's row max and sum along contiguous memory), the
ReLU mask is a bool multiply rather than a masked assignment, and no BLAS call is added beyond the products
(a threaded call waits for its threads, a scheduler slice each on a busy machine).  Tried and left out:
computing X W1 and Xᵀδ¹ as transposed products (≈10% faster on one BLAS thread with OpenBLAS, but 1.3-2x
slower with two threads on a loaded machine), and the bias sums as ``ones @ delta`` (faster alone, but one
more threaded BLAS call each).

>>> source = mlp_kernel_source(Network("relu", "softmax", "sum"))
>>> "dW1 = X.T @ delta1 + 2*reg*W1" in source, "delta1 = dA1" in source
(True, True)
>>> column = Graph.read("Z1 = W1 X + b1; A1 = tanh(Z1); Z2 = W2 A1 + b2; A2 = sigmoid(Z2); J = 1/(2m) ||A2 - Y||^2")
>>> "dW1 = delta1 @ X.T" in mlp_kernel_source(column), "db1 = delta1.sum(axis=1)" in mlp_kernel_source(column)
(True, True)
"""

from __future__ import annotations

import keyword
import re
import textwrap
import types
from itertools import pairwise

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from ..core.functions import ML_FUNCTIONS, entry_of, sigmoid, softplus
from ..printing.expr import to_unicode
from .backprop import AFFINE_W, RECURRENCE, Chain, Delta, Grad, as_graph, definitions, equations, reg
from .graph import CROSS_ENTROPY, IDENTITY, SQUARED_ERROR, Graph
from .network import Network

# The generated module's own locals: a network name equal to one of them is written with a trailing _.
_RESERVED = {"np", "scipy", "params", "X", "y", "cache", "reg", "m", "E", "S", "D", "shift", "log_S", "rows", "loss"}


class _Names:
    """The graph and the Python identifier of each of its names (the input is X in the code)."""

    def __init__(self, graph: Graph):
        self.graph = graph
        L = len(graph.layers)
        taken = _RESERVED | {f"delta{k}" for k in range(1, L + 1)}
        self.ident = {graph.input: "X"}
        for layer in graph.layers:
            for name in (layer.weight, layer.bias, layer.pre, layer.post):
                if name in self.ident:
                    continue
                code = re.sub(r"\W", "_", name)
                while code in taken or keyword.iskeyword(code) or f"d{code}" in taken:
                    code += "_"
                taken |= {code, f"d{code}"}
                self.ident[name] = code

    def __getitem__(self, name: str) -> str:
        return self.ident[name]

    def layer_of(self, pre: str):
        return next(layer for layer in self.graph.layers if layer.pre == pre)


def _scalar_code(expr: sp.Expr) -> str:
    """Python for a scalar expression, each registered function written as its stable NumPy form."""
    calls = {}
    for node in sorted(expr.atoms(sp.Function), key=sp.count_ops, reverse=True):
        entry = entry_of(node)
        if entry is not None:
            calls[node] = sp.Symbol(entry.numpy_code(_scalar_code(node.args[0])))
        elif isinstance(node, sp.sign):  # |·|′: pycode would write a scalar conditional
            calls[node] = sp.Symbol(f"np.sign({_scalar_code(node.args[0])})")
    return sp.pycode(expr.xreplace(calls).xreplace({reg: sp.Symbol("reg")}))


def _slope_code(function: sp.Lambda, pre: str, names: _Names) -> str:
    """f′(Zˡ) entry by entry, with f(Zˡ) written as the stored Aˡ; a 0/1 mask left bool (it multiplies in place
    as its float form does, without the float copy: a quarter of the time of the small benchmark size)."""
    layer = names.layer_of(pre)
    u = function.variables[0]
    f = ML_FUNCTIONS[layer.activation].function
    body = function.expr.xreplace({f(u): sp.Symbol(names[layer.post])}).xreplace({u: sp.Symbol(names[pre])})
    return _scalar_code(body).removesuffix(".astype(np.float64)")


def _code(expr: sp.Basic, names: _Names, penalties: dict[sp.Basic, sp.Expr]) -> str:
    """NumPy for one right side of the backward pass."""
    if isinstance(expr, Grad):
        if str(expr.cost) == "R":  # ∂R/∂W: the L2 step's right side
            return _code(penalties[expr.wrt], names, penalties)
        return f"d{names[expr.wrt.name]}"
    if isinstance(expr, Delta):
        return expr.name
    if isinstance(expr, sp.MatrixSymbol):
        return names[expr.name]
    if isinstance(expr, sp.Transpose):
        return _factor(expr.arg, names, penalties) + ".T"
    if isinstance(expr, sp.MatMul):
        scalars = [a for a in expr.args if not isinstance(a, sp.MatrixExpr)]
        matrices = [a for a in expr.args if isinstance(a, sp.MatrixExpr)]
        if len(matrices) == 2 and isinstance(matrices[-1], sp.OneMatrix):  # δᵀ𝟏 or δ𝟏: summed over the batch
            first = matrices[0]
            row = isinstance(first, sp.Transpose)
            text = f"{_factor(first.arg if row else first, names, penalties)}.sum(axis={0 if row else 1})"
        else:
            text = " @ ".join(_factor(a, names, penalties) for a in matrices)
        return (_scalar_code(sp.Mul(*scalars)) + "*" if scalars else "") + text
    if isinstance(expr, sp.MatAdd):
        return " + ".join(_code(a, names, penalties) for a in sorted(expr.args, key=lambda a: isinstance(a, Grad)))
    if isinstance(expr, sp.HadamardProduct):
        return " * ".join(_factor(a, names, penalties) for a in expr.args)
    if isinstance(expr, ElementwiseApplyFunction):  # f′(Zˡ), written with the stored Aˡ = f(Zˡ)
        return _slope_code(expr.function, expr.expr.name, names)
    raise TypeError(f"no NumPy for {type(expr).__name__}")


def _factor(expr: sp.Basic, names: _Names, penalties: dict) -> str:
    text = _code(expr, names, penalties)
    return f"({text})" if isinstance(expr, (sp.MatAdd, sp.MatMul, sp.HadamardProduct)) else text


def _output_count(eqs: list) -> int:
    """How many of the steps give δᴸ (computed with the loss): those before the last layer's weights."""
    return next(k for k, eq in enumerate(eqs) if eq.rule == AFFINE_W)


def backward_lines(net: Network | Graph) -> list[str]:
    """The backward pass below δᴸ, one assignment per derived step (the L2 steps folded into the weights' lines)."""
    names = _Names(as_graph(net))
    eqs, _ = equations(net)
    penalties = {eq.sides[0].wrt: eq.sides[-1] for eq in eqs if isinstance(eq.sides[0], Grad) and eq.cost == "R"}
    lines = []
    for eq in eqs[_output_count(eqs) :]:
        name = eq.sides[0]
        if eq.cost == "R" or eq.rule == RECURRENCE:
            continue  # the penalty is in the weights' line; the recurrence is the two steps before it
        if isinstance(name, Delta) and isinstance(eq.sides[-1], sp.HadamardProduct):
            # δˡ = ∂J/∂Aˡ ⊙ f′(Zˡ), in place in dAˡ (the recurrence says the same)
            (grad,) = (a for a in eq.sides[-1].args if isinstance(a, Grad))
            (slope,) = (a for a in eq.sides[-1].args if not isinstance(a, Grad))
            lines += [f"{name.name} = {_code(grad, names, penalties)}", f"{name.name} *= {_code(slope, names, {})}"]
        elif isinstance(name, Delta):  # no activation: δˡ = ∂J/∂Zˡ is the upstream product
            lines.append(f"{name.name} = {_code(eq.sides[-1], names, penalties)}")
        else:
            lines.append(f"d{names[name.wrt.name]} = {_code(eq.sides[-1], names, penalties)}")
    return lines


def _equations_text(net: Network | Graph) -> list[str]:
    eqs, _ = equations(net)
    forward = [f"{to_unicode(d.short)} = {to_unicode(d.long)}" for d in definitions(net)]
    return forward + [to_unicode(Chain(*eq.sides)) for eq in eqs]


def _shapes(graph: Graph) -> tuple[str, str, str]:
    """The docstring's layout words: X's shape, the parameters' shapes, the targets' shape."""
    row = graph.layout == "row"
    sizes = graph.sizes
    params = []
    for layer, (a, b) in zip(graph.layers, pairwise(sizes), strict=True):
        params += [f'"{layer.weight}": ({a if row else b}, {b if row else a})', f'"{layer.bias}": ({b},)']
    K = sizes[-1]
    return (f"X (m, {sizes[0]}) one example a row" if row else f"X ({sizes[0]}, m) one example a column",
            "{" + ", ".join(params) + "}", f"(m, {K})" if row else f"({K}, m)")  # fmt: skip


_HEADER = '''"""{title}: forward, loss, backward and value_and_grad in NumPy.

Generated by derivation (`{command}`) from its derived, checked equations:

{equations}

{describe}.
Layout: {x_shape}; params {params}; {forward_rule}.
{labels}; reg is λ.{kink}
dtype: NumPy's promotion of X and {first} (float32 data and weights stay float32, without copies).
{stable}
"""

import numpy as np
{imports}

def _inputs(params, X):
    """X in the products' dtype (NumPy's promotion of X and {first}: float32 with float32 weights stays float32),
    converted once here, not inside each product; a strided view made contiguous once (BLAS copies it per product)."""
    X = np.asarray(X)
    dtype = np.result_type(X.dtype, params["{first}"].dtype)
    if X.dtype == dtype and (X.flags.c_contiguous or X.flags.f_contiguous):
        return X  # C or Fortran order: the products read it in place
    return np.ascontiguousarray(X, dtype=dtype)


def forward(params, X):
    """{forward_doc}"""
    X = _inputs(params, X)
{forward}
    return {{{cache}}}


def _sum_of_products(A, B):
    """sum(A * B) without a temporary, and without BLAS: OpenBLAS threads a ddot of 10^4+ numbers, and each threaded
    call is one more rendezvous of its threads, which on a busy machine can wait a whole scheduler slice."""
    return np.einsum("ij,ij->", A, B)


def _penalty(params, reg, m):
    """R = {penalty_doc}; biases are not penalised."""
{penalty}


def _targets(y, Z):
    """Targets one example a row: an (m, K) matrix in the scores' dtype{integers}."""
    y = np.asarray(y)
    if y.ndim == 2:
        return y{transpose}.astype(Z.dtype, copy=False)
{labels_code}
'''
_INTEGER_LABELS = (
    """    return y.astype(np.intp, copy=False)  # indices: P − Y subtracts 1 at each label, no one-hot built"""
)
_ONE_HOT_LABELS = """    if Z.shape[1] == 1:
        return y.astype(Z.dtype).reshape(-1, 1)
    out = np.zeros(Z.shape, Z.dtype)
    out[np.arange(y.shape[0]), y.astype(np.intp)] = 1.0
    return out"""
_ONE_OUTPUT = """    if Z.shape[1] != 1:
        raise ValueError(f"targets of {Z.shape[1]} outputs are a matrix, one per example")
    return y.astype(Z.dtype).reshape(-1, 1)"""

_SOFTMAX = '''

def _loss_and_delta{L}(cache, y):
    """J's data term and delta{L} = dJ/d{Z} = {c}(P - Y), sharing the exponentials (P = softmax({Z}))."""
{scores}
    m = {Z}.shape[0]
    shift = {Z}.max(axis=1, keepdims=True)  # log-softmax with each row shifted by its largest score
    E = {Z} - shift
    np.exp(E, out=E)
    S = E.sum(axis=1, keepdims=True)
    log_S = np.log(S)
{fold}    delta{L} = np.divide(E, S, out=E)
    if y.ndim == 1:
        rows = np.arange(m)
        loss = -(np.sum({Z}[rows, y] - shift[:, 0] - log_S[:, 0])){scale}
        delta{L}[rows, y] -= {c_value}
    else:
        loss = -_sum_of_products(y, {Z} - shift - log_S){scale}
        delta{L} -= {y_scaled}
    return loss, delta{L}{out}
'''

_SIGMOID = '''

def _loss_and_delta{L}(cache, y):
    """J's data term {c}·sum[softplus({Z}) - Y {Z}] and delta{L} = dJ/d{Z} = {c}(sigmoid({Z}) - Y)."""
{scores}
    m = {Z}.shape[0]
    loss = np.sum({softplus} - y * {Z}){scale}
    delta{L} = {sigmoid}
    delta{L} -= y
{divide}    return loss, delta{L}{out}
'''

_SQUARED = '''

def _loss_and_delta{L}(cache, y):
    """J's data term {c}·||{A} - Y||² and delta{L} = dJ/d{Z} = 2·{c}({A} - Y){times_slope}."""
{scores}
    m = {Z}.shape[0]
    D = {A} - y
    loss = _sum_of_products(D, D){scale}
    D *= {twice}  # dJ/d{A} = 2·{c}({A} - Y)
{slope}    return loss, D{out}
'''

_REST = '''

def loss(params, X, y, reg=0.0):
    """J = {loss_words} + R."""
    X = _inputs(params, X)
    return float(_loss_and_delta{L}(forward(params, X), y)[0] + _penalty(params, reg, X.shape[{axis}]))


def backward(params, X, y, cache, reg=0.0):
    """Gradients {{{grad_names}}} from the forward cache (the derived recurrences)."""
    return _backward(params, _inputs(params, X), cache, _loss_and_delta{L}(cache, y)[1], reg)


def _backward(params, X, cache, delta{L}, reg):
{unpack}
{backward}
    return {{{grads}}}


def value_and_grad(params, X, y, reg=0.0):
    """(J, gradients) in one forward and one backward pass."""
    X = _inputs(params, X)
    cache = forward(params, X)
    data, delta{L} = _loss_and_delta{L}(cache, y)
    return float(data + _penalty(params, reg, X.shape[{axis}])), _backward(params, X, cache, delta{L}, reg)
'''


def _words(expr: sp.Expr) -> str:
    return sp.sstr(expr).replace("*", "")


def _forward_lines(names: _Names) -> tuple[list[str], list[str], list[str]]:
    """The forward pass's lines, its docstring's equations, and the names it caches (what the losses read)."""
    graph = names.graph
    row, lines, doc, cache = graph.layout == "row", [], [], []
    last = graph.layers[-1]
    for layer in graph.layers:
        Z, A, source = names[layer.pre], names[layer.post], names[layer.source]
        if row and layer is last:
            # Z column-major (as the transpose of Wᵀ Aᵀ, no copy): softmax's row max and row sum then run along
            # contiguous columns, 3-10x faster than over rows of K numbers (5% of the whole call at K = 10).
            lines += [f'{Z} = (params["{layer.weight}"].T @ {source}.T).T', f'{Z} += params["{layer.bias}"]']
        elif row:
            lines += [f'{Z} = {source} @ params["{layer.weight}"]', f'{Z} += params["{layer.bias}"]']
        else:
            lines += [f'{Z} = params["{layer.weight}"] @ {source}', f'{Z} += params["{layer.bias}"][:, None]']
        doc.append(f"{layer.pre} = {layer.source} {layer.weight} + 1 {layer.bias}^T" if row else
                   f"{layer.pre} = {layer.weight} {layer.source} + {layer.bias} 1^T")  # fmt: skip
        cache.append(layer.pre)
        if layer.activation == IDENTITY:
            continue
        # The output's softmax or σ is not computed here: the loss reads the scores (log-softmax, softplus).
        if layer is not last or graph.loss == SQUARED_ERROR:
            lines.append(f"{A} = {ML_FUNCTIONS[layer.activation].numpy_code(Z)}")
            cache.append(layer.post)
            doc.append(f"{layer.post} = {layer.activation}({layer.pre})")
    return lines, doc, cache


def _output_code(names: _Names, eqs: list) -> str:
    """The loss and δᴸ, in example rows (a column network's scores and outputs read transposed)."""
    graph = names.graph
    last, L = graph.layers[-1], len(graph.layers)
    Z, A = names[last.pre], names[last.post]
    T = ".T" if graph.layout == "column" else ""
    reads = [f'{Z} = cache["{last.pre}"]{T}']
    if graph.loss == SQUARED_ERROR and last.activation != IDENTITY:
        reads.append(f'{A} = cache["{last.post}"]{T}')
    reads.append(f"y = _targets(y, {Z})")
    scale = graph.scale
    inverse = _scalar_code(1 / scale)
    common = {"L": L, "Z": Z, "A": A, "c": f"({_words(scale)})", "out": T,
              "scores": "\n".join("    " + line for line in reads),
              "scale": "" if scale == 1 else f" / {_factor_text(inverse)}"}  # fmt: skip
    if graph.loss == CROSS_ENTROPY:
        # Not Softmax.numpy_code/LogSumExp.numpy_code: they would each exponentiate Z; the loss and δᴸ
        # share one exp of the same max-shifted rows (the registry's shift), which is the speed.
        fold = "" if scale == 1 else f"    S *= {inverse}  # delta = cP - cY: c goes into the normaliser\n"
        c_value = "1.0" if scale == 1 else f"1.0 / {_factor_text(inverse)}"
        y_scaled = "y" if scale == 1 else f"y / {_factor_text(inverse)}"
        return _SOFTMAX.format(fold=fold, c_value=c_value, y_scaled=y_scaled, **common)
    if graph.loss != SQUARED_ERROR:
        divide = "" if scale == 1 else f"    delta{L} /= {inverse}\n"
        return _SIGMOID.format(softplus=softplus.numpy_code(Z), sigmoid=sigmoid.numpy_code(Z), divide=divide,
                               **common)  # fmt: skip
    slope = ""
    if last.activation != IDENTITY:  # δᴸ = ∂J/∂Aᴸ ⊙ f′(Zᴸ), the derivation's second step
        function = next(a for a in eqs[1].sides[-1].args if not isinstance(a, Grad)).function
        slope = f"    D *= {_slope_code(function, last.pre, names)}  # delta{L} = dJ/d{A} * f'({Z})\n"
    times_slope = "" if last.activation == IDENTITY else f" * f'({Z})"
    return _SQUARED.format(twice=_scalar_code(2 * scale), slope=slope, times_slope=times_slope, **common)


def _factor_text(code: str) -> str:
    return code if re.fullmatch(r"[\w.]+", code) else f"({code})"


def _penalty_code(graph: Graph) -> tuple[str, str]:
    if not graph.penalised:
        return "    del reg, m  # this network has no L2 term\n    return 0.0", "0"
    squares = " + ".join(f'_sum_of_products(params["{w}"], params["{w}"])' for w in graph.penalised)
    factor = "" if graph.l2 == 1 else f"{_factor_text(_scalar_code(graph.l2))} * "
    code = f"    if not reg:\n        return 0.0\n    return {factor}reg * ({squares})"
    words = f"{_words(graph.l2)}·reg·(" + " + ".join(f"||{w}||²" for w in graph.penalised) + ")"
    return code, words


def _labels(graph: Graph, targets: str) -> tuple[str, str, str]:
    """The docstring's labels sentence, _targets's docstring tail and its code for 1-D labels."""
    if graph.loss == CROSS_ENTROPY:
        return (f"labels y as integers 0..K-1 (m,) or one-hot Y {targets}",
                ", or (softmax) integer labels as they are", _INTEGER_LABELS)  # fmt: skip
    if graph.loss != SQUARED_ERROR:
        return (f"labels y as 0/1 (m,) for one output, integers 0..K-1 (m,) or 0-1 targets Y {targets}",
                "", _ONE_HOT_LABELS)  # fmt: skip
    return f"targets Y {targets}, or (m,) for one output", "", _ONE_OUTPUT


def _used(names: list[str], lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    return [n for n in names if re.search(rf"(?<![\w.]){re.escape(n)}\b", text)]


def mlp_kernel_source(net: Network | Graph | None = None) -> str:
    """A standalone NumPy module (source text) for ``net``: forward, loss, backward, value_and_grad.

    ``net`` is the two-layer preset (``derivation kernel mlp``) or any network read from layers
    (``derivation kernel --network``); both are written by the code below, in the network's own names.
    """
    net = net or Network()
    graph = as_graph(net)
    names = _Names(graph)
    eqs, _ = equations(graph)
    L = len(graph.layers)
    lines = backward_lines(graph)
    if not graph.penalised:  # no reg in the formulas: keep the argument, say it is unused
        lines.insert(0, "del reg  # this network has no L2 term")
    if re.search(r"\bm\b", "\n".join(lines)):  # a penalty such as (λ/2m)‖W‖²
        lines.insert(0, f"m = X.shape[{0 if graph.layout == 'row' else 1}]")
    forward, forward_doc, cache = _forward_lines(names)
    unpack_params = _used([names[w] for layer in graph.layers for w in (layer.weight,)], lines)
    unpack_cache = _used([names[n] for n in cache], lines)
    by_ident = {names[n]: n for n in (*graph.params, *cache)}
    unpack = [f"{', '.join(idents)} = {', '.join(f'{where}[{by_ident[i]!r}]' for i in idents)}".replace("'", '"')
              for where, idents in (("params", unpack_params), ("cache", unpack_cache)) if idents]  # fmt: skip
    x_shape, params_shapes, targets = _shapes(graph)
    labels, integers, labels_code = _labels(graph, targets)
    penalty, penalty_doc = _penalty_code(graph)
    if isinstance(net, Network):
        title = f"Two-layer network ({net.name})"
        command = "derivation kernel mlp"
        describe = net.describe()
    else:
        title = f"Your network ({L} layer{'s' if L > 1 else ''}, {graph.layout} layout)"
        command = "derivation kernel --network …"
        describe = graph.describe()
    stable = {CROSS_ENTROPY: "log-softmax by a shift of each example's scores",
              SQUARED_ERROR: "the registry's overflow-free activations",
              }.get(graph.loss, "log-sigmoid through softplus (logaddexp)")  # fmt: skip
    source = _HEADER.format(
        title=title,
        command=command,
        equations="\n".join("    " + line for line in _equations_text(graph)),
        describe=textwrap.fill(describe[0].upper() + describe[1:], 116),
        x_shape=x_shape,
        params=params_shapes,
        forward_rule="Z = A @ W + b" if graph.layout == "row" else "Z = W @ A + b[:, None]",
        labels=labels[0].upper() + labels[1:],
        kink="  ReLU'(0) = 0." if any(layer.activation == "relu" for layer in graph.layers) else "",
        first=graph.layers[0].weight,
        stable=f"Stable: {stable}, no overflow at |Z| = 1500.",
        imports="import scipy.special\n" if any("scipy." in line for line in forward) else "",
        forward_doc=textwrap.fill(", ".join(forward_doc) + ".", 110, subsequent_indent="    "),
        forward="\n".join("    " + line for line in forward),
        cache=", ".join(f'"{n}": {names[n]}' for n in cache),
        penalty=penalty,
        penalty_doc=penalty_doc,
        integers=integers,
        transpose=".T" if graph.layout == "column" else "",
        labels_code=labels_code,
    )
    source += _output_code(names, eqs)
    loss_words = {CROSS_ENTROPY: "cross-entropy", SQUARED_ERROR: "squared error"}.get(graph.loss, "cross-entropy")
    return source + _REST.format(
        L=L,
        loss_words=loss_words,
        axis=0 if graph.layout == "row" else 1,
        grad_names=", ".join(f'"{p}"' for p in graph.params),
        unpack="\n".join("    " + line for line in unpack) if unpack else "    pass",
        backward="\n".join("    " + line for line in lines),
        grads=", ".join(f'"{p}": d{names[p]}' for p in graph.params),
    )


def compile_kernel(net: Network | Graph | None = None) -> types.ModuleType:
    """The kernel of ``net`` as a module (our own generated source, never user input: names are identifiers)."""
    net = net or Network()
    label = net.name if isinstance(net, Network) else "network"
    module = types.ModuleType(f"mlp_{label.replace('-', '_')}")
    exec(compile(mlp_kernel_source(net), f"<mlp kernel {label}>", "exec"), module.__dict__)
    return module


__all__ = ["backward_lines", "compile_kernel", "mlp_kernel_source"]
