"""NumPy source from a model's matrix form: a small printer of our own.

:func:`generate_function` turns matrix expressions over ``X`` (m × (n+1)),
``theta`` and ``y`` into the source of a vectorised NumPy function.  Three
passes happen on the way:

* **lowering** — each matrix node becomes NumPy code by its kind (scalar,
  vector as a 1-D array, matrix, diagonal matrix kept as its diagonal, ones):
  ``Xᵀ diag(w) X`` becomes ``(X.T * w) @ X`` (never an m × m matrix),
  ``1ᵀv`` becomes ``np.sum(v)`` and ``I − e₀e₀ᵀ`` becomes the mask ``1 − e_0``;
  vector expressions made of element-wise pieces become one scalar SymPy
  expression over named leaves (``z0 = _mv(Xb, theta)``, ``yb``), shared between
  everything one function computes;
* **stability** — ``1 − σ(u) → σ(−u)``, ``log σ(u) → −softplus(−u)``, then σ
  and softplus are written in a basis that never overflows: the step
  ``pos = [u ≥ 0]`` (u's sign bit), ``ea = e^{−|u|}``, ``sa = σ(−|u|) = ea/(1+ea)``
  and ``la = log(1+ea)``, with ``pos² = pos``; ``(1 − 2·pos)·sa`` is ``−copysign(sa, u)``.
  The exact part (free of ``sa`` and ``la``) is evaluated first and the small part added after it, so
  ``σ(z) − y`` and the cross-entropy keep full relative precision;
* **row blocking** — every sum over the m examples (``Xᵀr``, ``yᵀv``,
  ``Xᵀ diag(w) X``) is an accumulator filled block by block in a loop over
  rows, so X is read from memory once per call and each BLAS call is small.
  Inside the loop each NumPy call counts (on a block it costs about what a
  small BLAS call does), and so does each new array: σ's basis is updated in
  place and sums are written into arrays the loop made and no later line reads.

The passes live in :mod:`.lowering`, :mod:`.stability` and :mod:`.statements`
(statements and their order); the NumPy and LaTeX printers in :mod:`.printers`.

>>> from derivation.models import get_model
>>> src = generate_function("grad", [get_model("logistic").matrix_gradient], ("grad",), "The gradient.")
>>> "_mv(Xb.T, " in src and "_neg_abs(z0)" in src and "np.exp(ea0, out=ea0)" in src
True
"""

from __future__ import annotations

import sympy as sp

from .lowering import Lowering
from .printers import in_x_dtype, matrix_latex, pycode, python_name
from .statements import BLOCK_NAMES, LOOP, POST, PRE, CodegenError, needed, schedule


def _docstring(text: str, indent: str) -> list[str]:
    lines = text.strip("\n").split("\n")
    out = [f'{indent}r"""{lines[0]}']
    out += [f"{indent}{line}" if line else "" for line in lines[1:]]
    out.append(f'{indent}"""')
    return out


def lower_function(exprs: list[sp.MatrixExpr], parameters: tuple[sp.Symbol, ...] = ()) -> tuple:
    """The lowering of ``exprs`` and its statements by section: (lowering, outputs, parameter names, before the
    row loop, in it, after it).  Per-row work no sum reads (a basis term a rewrite cancelled) is dropped."""
    symbols = {p: sp.Symbol(python_name(p)) for p in parameters}
    low = Lowering(symbols)
    outputs = [low.result(e) for e in exprs]
    params = [symbols[p].name for p in parameters]
    pre = [s for s in low.stmts if s.section == PRE]
    loop = [s for s in low.stmts if s.section == LOOP]
    live = {id(s) for s in needed(loop, set().union(*(s.deps for s in loop if s.accumulate)))}
    loop = [s for s in loop if s.accumulate or id(s) in live]
    post = [s for s in low.stmts if s.section == POST]
    return low, outputs, params, pre, loop, post


def generate_function(
    name: str,
    exprs: list[sp.MatrixExpr],
    returns: tuple[str, ...],
    doc: str,
    parameters: tuple[sp.Symbol, ...] = (),
) -> str:
    """Source of ``def name(theta, X, y, *, <parameters>, mapper=None)`` computing ``exprs``.

    ``returns`` names each result's convention: "cost" (a float), "grad" (θ's
    shape) or "hessian" (a (n+1) × (n+1) array).  The module around it must
    provide ``np``, ``_prepare``, ``_collect``, ``_block_rows``, ``_dot``, ``_mv`` and ``_shaped``.

    >>> from derivation.models import get_model
    >>> print(generate_function("cost", [get_model("linear").matrix_cost], ("cost",), "The cost."))
    ... # doctest: +ELLIPSIS
    def _cost_rows(theta, X, y, start, stop, serial=False):
    ...
            acc0 += _dot(r0, r0)
    ...
    """
    low, outputs, params, pre, loop, post = lower_function(exprs, parameters)
    tmp = sp.numbered_symbols("t")
    args = ", ".join(["theta", "X", "y", *params])
    lines: list[str] = []
    head = "m, n = X.shape[0], X.shape[1] - 1"
    accs = [a for a, _ in low.accumulators]
    if loop or accs:
        lines.append(f"def _{name}_rows({args}, start, stop, serial=False):")
        lines.append(f'    """Sums over rows start:stop of {name}, block by block (X is read once)."""')
        lines.append(f"    {head}")
        wanted = set().union(*(s.deps for s in loop))
        lines += [f"    {ln}" for ln in schedule(needed(pre, wanted), tmp)]
        lines += [f"    {a} = {init}" for a, init in low.accumulators]
        # X^T diag(w) X is a matrix product per block (compute-bound): bigger blocks; the rest streams X.
        gemm = any(init.startswith("np.zeros((") for _, init in low.accumulators)
        budget = "GEMM_BLOCK_BYTES" if gemm else "_serial_budget(X) if serial else BLOCK_BYTES"
        lines.append(f"    step = _block_rows(X, {budget}, serial)")
        lines.append("    for lo in range(start, stop, step):")
        lines.append("        hi = min(lo + step, stop)")
        for full in sorted(low.block_inputs):
            lines.append(f"        {BLOCK_NAMES[full]} = {full}[lo:hi]")
        lines += [f"        {ln}" for ln in schedule(loop, tmp, low.vectors)]
        lines.append(f"    return {', '.join(accs)}{',' if len(accs) == 1 else ''}")
        lines += ["", ""]
    keyword_args = "".join(f", {p}=1.0" for p in params)
    lines.append(f"def {name}(theta, X, y, *{keyword_args}, mapper=None):")
    lines += _docstring(doc, "    ")
    lines.append("    theta, X, y, column = _prepare(theta, X, y)")
    lines.append(f"    {head}")
    wanted = set().union(*(s.deps for s in post), {out for out, _ in outputs})
    lines += [f"    {ln}" for ln in schedule(needed(pre, wanted), tmp)]
    if loop or accs:
        lines.append(f"    {', '.join(accs)}{',' if len(accs) == 1 else ''} = _collect(_{name}_rows, ({args}), mapper)")
    lines += [f"    {ln}" for ln in schedule(post, tmp)]
    results = []
    for (out, _), convention in zip(outputs, returns, strict=True):
        if convention == "cost":
            results.append(f"float({out})")
        elif convention == "grad":
            results.append(f"_shaped({out}, column, X.dtype)")
        else:
            results.append(f"_shaped({out}, False, X.dtype)")
    lines.append(f"    return {', '.join(results)}")
    return in_x_dtype("\n".join(lines))


__all__ = ["CodegenError", "generate_function", "lower_function", "matrix_latex", "pycode", "python_name"]
