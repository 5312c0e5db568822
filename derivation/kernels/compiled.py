"""The optional compiled kernels: each sum over the examples as one numba loop over rows, fused.

``pip install "derivation[fast]"`` (numba) and ``kernel(name, compiled=True)``.  The NumPy module stays the
default and the whole of the source: :func:`compiled_source` is that module plus, for each sum over the
examples, a loop that takes one example at a time (its dot product xᵢ·θ, the element-wise work on numbers,
then r·xᵢ added to the gradient), so X is read once and nothing of size m is written.  The lines of that loop
are the statements' own one-example forms (``Stmt.scalar``: the same stability basis, σ(z) − y as the exact part
then the small one).  The dot products run in X's dtype within a block (float32 X: eight products to a vector, as
BLAS's sgemv), the element-wise work in float64, and the sums from block to block in float64.  From ``PARALLEL_MIN``
entries of X the rows go in spans that one thread per CPU takes in turn.  A sum whose statements have no
one-example form (the Hessian's Xᵀ diag(w) X, SciPy's Φ) stays NumPy's, as does any X that is not C-contiguous
and float32 X with rows of 128 columns or more (BLAS's sgemv wins there: ``numba_prelude._blas_wins``).

numba compiles each loop on its first call (seconds) and keeps it on disk (``cache=True``) beside the module
file :func:`load_compiled` writes under the user's cache directory, one file per source (its hash in the name).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import sympy as sp

from ..core.models import Model
from .codegen import lower_function
from .source import _ENTRY_POINTS, _entries, module_source
from .statements import BLOCK_NAMES, CodegenError, RowOp, needed, schedule

_PRELUDE_FILE = Path(__file__).with_name("numba_prelude.py")  # its text goes into every compiled module


# A RowOp's block form: (before the loop over a block's rows, in it, after it), each a template over the op's
# target and value.  A row's dot product is the block's, read back row by row; what an accumulator adds for a row
# goes to a buffer, summed over the block after the loop (a sum inside the loop would keep the compiler from
# vectorising it).
_BLOCK_FORMS = {
    "dot": ("_block_dot(Xb, {value}, {target}_rows)", "{target} = {target}_rows[k]", None),
    "axpy": (None, "{target}_rows[k] = {value}", "_block_axpy({target}, Xb, {target}_rows)"),
    "add": (None, "{target}_rows[k] = {value}", "{target} += _block_sum({target}_rows, rows)"),
}


def _in_blocks(name: str, body: list[str | RowOp]) -> tuple[list[str], list[str], list[str], list[str]]:
    """One example's lines as (before the loop over a block's rows, in it, after it, the buffers they use)."""
    before, inside, after, buffers = [], [], [], []
    for line in body:
        if isinstance(line, RowOp):
            first, each, last = _BLOCK_FORMS[line.kind]
            fill = {"target": line.target, "value": line.value}
            buffers.append(f"{line.target}_rows")
            before += [first.format(**fill)] if first else []
            inside.append(each.format(**fill))
            after += [last.format(**fill)] if last else []
        elif re.search(r"\bXb\b", line):  # a number's line over the block: a form this loop cannot take
            raise CodegenError(f"{name}: no form for one example of {line}")
        else:
            inside.append(line)
    return before, inside, after, buffers


def compiled_rows(name: str, exprs: list[sp.MatrixExpr], parameters: tuple[sp.Symbol, ...] = ()) -> str:
    """The numba loops and the Python function ``_{name}_rows_fast(theta, X, y, *params)`` for one entry.

    Raises CodegenError when a statement of its row loop has no one-example form.
    """
    low, _, params, pre, loop, _ = lower_function(exprs, parameters)
    if not loop:
        raise CodegenError(f"{name} has no sum over the examples")
    tmp = sp.numbered_symbols("t")
    body = schedule(loop, tmp, scalar=True)
    if any("scipy." in str(line) for line in body):  # Φ, log Φ, log Γ: numba has no scipy.special
        raise CodegenError(f"{name} uses scipy.special, which numba cannot compile")
    wanted = set().union(*(s.deps for s in loop))
    before = needed(pre, wanted)
    extra = [s.target for s in before]  # what θ alone gives, computed once before the loop and passed in
    args = ", ".join(["theta", "X", "y", *params, *extra])
    accs = [a for a, _ in low.accumulators]
    vectors = []
    for _, init in low.accumulators:
        if init not in ("0.0", "np.zeros(n + 1)"):
            raise CodegenError(f"{name} accumulates {init}, not a number or a vector of θ's size")
        vectors.append(init != "0.0")
    ret = f"{', '.join(accs)}{',' if len(accs) == 1 else ''}"
    dots, inside, after, buffers = _in_blocks(name, body)
    lines = [
        '@numba.njit(cache=True, nogil=True, error_model="numpy", fastmath=SPAN_FASTMATH)',
        f"def _{name}_span({args}, lo, hi):",
    ]
    lines += ["    m, n = X.shape[0], X.shape[1] - 1"]
    lines += [f"    {a} = {init}" for a, init in low.accumulators]
    lines += [f"    {b} = np.empty(COMPILED_BLOCK_ROWS)" for b in buffers]
    lines += ["    block = _block_rows_of(X)", "    for start in range(lo, hi, block):"]
    lines += ["        rows = min(block, hi - start)", "        Xb = X[start : start + rows]"]
    lines += [f"        {line}" for line in dots]
    lines += ["        for k in range(rows):"]
    lines += [f"            {BLOCK_NAMES['y']} = np.float64(y[start + k])"] if "y" in low.block_inputs else []
    lines += [f"            {line}" for line in inside]
    lines += [f"        {line}" for line in after]
    lines += [f"    return {ret}", "", ""]
    head = ", ".join(["theta", "X", "y", *params])
    lines += [f"def _{name}_rows_fast({head}):", "    m, n = X.shape[0], X.shape[1] - 1"]
    lines += [f"    {line}" for line in schedule(before, tmp)]
    lines += [f"    return _over_spans(_{name}_span, ({args}), X)"]
    return "\n".join(lines)


def compiled_source(model: Model) -> str:
    """:func:`~derivation.kernels.source.module_source` of ``model`` with a compiled loop for each sum over the
    examples that has one (needs numba to import).  Models over W (softmax) have no compiled loops."""
    if getattr(model, "labels", None) == "onehot":
        raise ValueError(f"model {model.name!r} (a matrix W of class scores) has no compiled kernel")
    source = module_source(model)
    # the header is the NumPy module's: say what this one is and needs
    source = source.replace('r"""NumPy kernels for', 'r"""Compiled (numba) and NumPy kernels for', 1)
    source = source.replace(
        "This module imports only NumPy",
        "Import it by its name (import f, or importlib with the module put in sys.modules): numba's disk cache\n"
        "finds the compiled loops through the module's name.  This module imports numba (each sum's loop) and NumPy",
        1,
    )
    parts, table = [], []
    for entry in _entries(model):
        exprs = [getattr(model, a) for a in _ENTRY_POINTS[entry][0]]
        try:
            parts.append(compiled_rows(entry, exprs, model.parameters))
        except CodegenError:
            continue  # this sum stays NumPy's
        table.append(f'"_{entry}_rows": _{entry}_rows_fast')
    if not table:
        raise ValueError(
            f"model {model.name!r} has no sum over the examples numba can compile: its kernel is NumPy's only"
        )
    prelude = _PRELUDE_FILE.read_text(encoding="utf-8")
    prelude = (
        "# ---- compiled loops over rows (numba), from derivation/kernels/numba_prelude.py\n"
        + prelude.split('"""', 2)[2]
    )
    dispatch = f"_collect = _compiled_collect({{{', '.join(table)}}}, _collect)"
    blocks = [source.rstrip("\n"), prelude.strip("\n"), *parts, dispatch]
    return "\n\n\n".join(blocks) + "\n"


def _cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    target = Path(root) / "derivation" / "kernels"
    try:
        target.mkdir(parents=True, exist_ok=True)
        return target
    except OSError:  # a read-only home: the temporary directory (compiled again in each new one)
        target = Path(tempfile.gettempdir()) / "derivation-kernels"
        target.mkdir(parents=True, exist_ok=True)
        return target


def load_compiled(model: Model) -> ModuleType:
    """Import :func:`compiled_source` of ``model`` from a file named by its hash (numba's cache= needs a file)."""
    try:
        import numba  # noqa: F401 - the optional extra, imported here to fail early and clearly
    except ImportError as error:
        raise ImportError('compiled kernels need numba: pip install "derivation[fast]"') from error
    source = compiled_source(model)
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    module_name = f"derivation_compiled_{model.name.replace('-', '_')}_{digest}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    path = _cache_dir() / f"{module_name}.py"
    if not path.exists() or path.read_text(encoding="utf-8") != source:
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(source, encoding="utf-8")
        os.replace(partial, path)  # atomic: two processes writing the same file never leave half of it
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:  # a module that did not load is not left behind for the next call to find
        del sys.modules[module_name]
        raise
    return module


__all__ = ["compiled_rows", "compiled_source", "load_compiled"]
