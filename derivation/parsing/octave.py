"""Read the Octave/MATLAB that gradient functions are written in (Andrew Ng's ex1/ex2/ex5) and translate it to NumPy.

Our own tokenizer and parser (never eval, never Octave): ``function [J, grad] = costFunction(theta, X, y)``
becomes ``def costFunction(theta, X, y): … return J, grad`` over 2-D arrays, as in Octave, with the
small helpers below inlined at the top of the module (the child running it needs NumPy only):
``_mtimes`` (a scalar times a matrix, or the matrix product), ``_index`` and ``_assign`` (1-based,
``end``, ranges, ``:``, linear indices in column-major order), ``_sum``/``_max``/… along the first
non-singleton dimension.  Values keep Octave's semantics: an argument is copied on entry and an
indexed assignment makes a new array, so ``theta(1) = 0`` never changes the caller's θ.

Functions the file calls but does not define are read from ``NAME.m`` beside it (``sigmoid.m``,
``computeCost.m``); ``sigmoid`` without a file is the course's σ, and a note says so.  Anything
outside the subset is one :class:`~derivation.parsing.ParseError` line with the file, line and
column, what is not supported and what to write instead.

>>> t = translate_text("function g = f(theta, X, y)\\n  g = X' * (X*theta - y) / length(y);\\nend\\n", "f.m")
>>> t.functions
('f',)
>>> print(t.source[t.source.index("def f"):].rstrip())
def f(theta, X, y):
    theta = _arg(theta)
    X = _arg(X)
    y = _arg(y)
    g = _m(_mrdivide(_mtimes(_t(X), _minus(_mtimes(X, theta), y)), _length(y)))
    return g
"""

from __future__ import annotations

import builtins
import inspect
import keyword
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as _np

from .errors import ParseError

# ---------------------------------------------------------------- the runtime: inlined into the emitted module


class _Colon:
    """``:`` alone as an index: every row, column or entry."""


_COLON = _Colon()


class OctaveRuntimeError(Exception):
    """An error as Octave reports it (nonconformant arguments, an index out of bound)."""


def _m(a):
    """A 2-D array, as Octave's values are: a number is 1×1, a 1-D array a column (np.matrix a plain array)."""
    if a is None:  # a variable that only an indexed assignment further on sets
        raise OctaveRuntimeError("a variable is used before it is set: set it (e.g. with zeros) first")
    a = _np.asarray(a)
    if a.ndim == 0:
        return a.reshape(1, 1)
    if a.ndim == 1:
        return a.reshape(-1, 1)
    if a.ndim > 2:
        raise OctaveRuntimeError(f"an array of {a.ndim} dimensions: only matrices are supported")
    return a


def _f(a):
    """A 2-D array of numbers for arithmetic (a logical becomes 0/1, an integer a double)."""
    a = _m(a)
    return a if a.dtype.kind in "fc" else a.astype(float)


def _arg(a):
    """An argument on entry to a function: a copy (Octave passes values), as a 2-D array."""
    return _f(a).copy()


def _dims(a):
    return f"{a.shape[0]}x{a.shape[1]}"


def _binary(name, a, b):
    a, b = _f(a), _f(b)
    for k in (0, 1):
        if a.shape[k] != b.shape[k] and 1 not in (a.shape[k], b.shape[k]):
            raise OctaveRuntimeError(f"operator {name}: nonconformant arguments (op1 is {_dims(a)}, op2 is {_dims(b)})")
    return a, b


def _plus(a, b):
    a, b = _binary("+", a, b)
    return a + b


def _minus(a, b):
    a, b = _binary("-", a, b)
    return a - b


def _times(a, b):
    a, b = _binary(".*", a, b)
    return a * b


def _rdivide(a, b):
    a, b = _binary("./", a, b)
    with _np.errstate(all="ignore"):
        return a / b


def _ldivide(a, b):
    return _rdivide(b, a)


def _power(a, b):
    a, b = _binary(".^", a, b)
    with _np.errstate(all="ignore"):
        return a**b


def _mtimes(a, b):
    """``a * b``: a scalar times a matrix entry by entry, else the matrix product."""
    a, b = _f(a), _f(b)
    if a.size == 1 or b.size == 1:
        return a * b
    if a.shape[1] != b.shape[0]:
        raise OctaveRuntimeError(f"operator *: nonconformant arguments (op1 is {_dims(a)}, op2 is {_dims(b)})")
    return a @ b


def _mrdivide(a, b):
    """``a / b``: by a scalar entry by entry, else a times the (pseudo-)inverse of b."""
    a, b = _f(a), _f(b)
    if b.size == 1:
        with _np.errstate(all="ignore"):
            return a / b
    if a.shape[1] != b.shape[1]:
        raise OctaveRuntimeError(f"operator /: nonconformant arguments (op1 is {_dims(a)}, op2 is {_dims(b)})")
    return _np.linalg.lstsq(b.T, a.T, rcond=None)[0].T


def _mldivide(a, b):
    """``a \\ b``: b divided by a scalar, else the least-squares solution of a x = b."""
    a, b = _f(a), _f(b)
    if a.size == 1:
        with _np.errstate(all="ignore"):
            return b / a
    if a.shape[0] != b.shape[0]:
        raise OctaveRuntimeError(f"operator \\: nonconformant arguments (op1 is {_dims(a)}, op2 is {_dims(b)})")
    return _np.linalg.lstsq(a, b, rcond=None)[0]


def _mpower(a, b):
    """``a ^ b``: of scalars, or a square matrix to an integer power."""
    a, b = _f(a), _f(b)
    if a.size == 1 and b.size == 1:
        with _np.errstate(all="ignore"):
            return a**b
    if b.size == 1 and a.shape[0] == a.shape[1] and float(b[0, 0]).is_integer():
        return _np.linalg.matrix_power(a, int(b[0, 0]))
    raise OctaveRuntimeError(f"operator ^: for a {_dims(a)} matrix to the power {_dims(b)}: use .^ entry by entry")


def _uminus(a):
    return -_f(a)


def _t(a):
    return _m(a).T


def _not(a):
    return _f(a) == 0


def _compare(op, a, b):
    a, b = _binary(op, a, b)
    return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _and(a, b):
    a, b = _binary("&", a, b)
    return (a != 0) & (b != 0)


def _or(a, b):
    a, b = _binary("|", a, b)
    return (a != 0) | (b != 0)


def _true(a):
    """An ``if``/``while`` condition: true when not empty and every entry is nonzero."""
    a = _m(a)
    return bool(a.size) and bool(_np.all(a != 0))


def _scalar(a, what):
    a = _m(a)
    if a.size == 0:
        raise OctaveRuntimeError(f"{what}: an empty value where a number was expected")
    return float(a.reshape(-1)[0])


def _range(start, step, stop=None):
    """``start:stop`` or ``start:step:stop`` as a row (a vector bound counts by its first entry, as in Octave)."""
    if stop is None:
        step, stop = 1.0, step
    start, step, stop = _scalar(start, "range"), _scalar(step, "range"), _scalar(stop, "range")
    if step == 0 or (stop - start) / step < 0:
        return _np.zeros((1, 0))
    count = int(_np.floor((stop - start) / step * (1 + 1e-15) + 1e-10)) + 1
    return (start + step * _np.arange(count)).reshape(1, -1)


def _columns(a):
    """What ``for v = a`` runs over: the columns of a (each number of a row)."""
    a = _m(a)
    return [a[:, [k]] for k in range(a.shape[1])]


def _end(a, position, count):
    """``end`` in index ``position`` of ``count``: the last entry (one index) or the size of that dimension."""
    a = _m(a)
    return float(a.size if count == 1 else (a.shape[position] if position < 2 else 1))


def _positions(index, extent, where, grow=False):
    """0-based integer positions of a 1-based index (numbers, a range, a logical mask, ``:``) into ``extent``
    (beyond it only when ``grow``: an assignment grows the array, as in Octave)."""
    if isinstance(index, _Colon):
        return _np.arange(extent)
    index = _m(index)
    flat = index.reshape(-1, order="F")
    if index.dtype.kind == "b":
        if flat.size > extent and flat[extent:].any():
            raise OctaveRuntimeError(f"index ({where}): out of bound {extent}")
        return _np.nonzero(flat)[0]
    flat = flat.astype(float)
    bad = flat[(flat != _np.round(flat)) | (flat < 1)]
    if bad.size:
        raise OctaveRuntimeError(f"index ({bad[0]:g}{where}): subscripts must be either integers 1 to (2^63)-1")
    if flat.size and flat.max() > extent and not grow:
        raise OctaveRuntimeError(f"index ({flat.max():g}{where}): out of bound {extent}")
    return flat.astype(int) - 1


def _index(a, *index):
    """``a(i)`` (linear, column-major) or ``a(i, j)``, 1-based, with the shapes Octave gives."""
    a = _m(a)
    if len(index) == 1:
        k = _positions(index[0], a.size, "")
        flat = a.reshape(-1, order="F")[k]
        if isinstance(index[0], _Colon):
            return flat.reshape(-1, 1)
        shape = _m(index[0]).shape
        if a.shape[0] == 1 and min(shape) == 1:
            return flat.reshape(1, -1)
        if a.shape[1] == 1 and min(shape) == 1:
            return flat.reshape(-1, 1)
        return flat.reshape(shape, order="F")
    if len(index) == 2:
        rows = _positions(index[0], a.shape[0], ",_")
        cols = _positions(index[1], a.shape[1], "_,")
        return a[_np.ix_(rows, cols)]
    raise OctaveRuntimeError(f"an index of {len(index)} subscripts: only matrices (two subscripts) are supported")


def _assign(a, index, value):
    """``a(index) = value`` as a new array (Octave's values are never shared), grown with zeros past its end as
    Octave grows it; ``a`` None is a variable not set before (``J_history(iter) = …`` with no zeros first)."""
    a = _np.zeros((0, 0)) if a is None else _f(a).copy()
    value = _f(value)
    if value.dtype.kind == "c" and a.dtype.kind != "c":
        a = a.astype(complex)
    if len(index) == 1:
        k = _positions(index[0], a.size, "", grow=True)
        if k.size and k.max() >= a.size:
            if a.size and min(a.shape) > 1:
                raise OctaveRuntimeError(f"Octave:index-out-of-bounds: A(I) = X: X must fit in the {_dims(a)} A")
            shape = (k.max() + 1, 1) if a.shape[1] == 1 and a.shape[0] > 1 else (1, k.max() + 1)
            a = _np.concatenate([a.reshape(-1, order="F"), _np.zeros(k.max() + 1 - a.size)]).reshape(shape)
        flat = a.reshape(-1, order="F")
        if value.size not in (1, k.size):
            raise OctaveRuntimeError(f"=: nonconformant arguments (op1 is 1x{k.size}, op2 is {_dims(value)})")
        flat[k] = value.reshape(-1, order="F")
        return flat.reshape(a.shape, order="F")
    if len(index) == 2:
        rows = _positions(index[0], a.shape[0], ",_", grow=True)
        cols = _positions(index[1], a.shape[1], "_,", grow=True)
        shape = (
            max(a.shape[0], rows.max() + 1 if rows.size else 0),
            max(a.shape[1], cols.max() + 1 if cols.size else 0),
        )
        if shape != a.shape:
            grown = _np.zeros(shape, dtype=a.dtype)
            grown[: a.shape[0], : a.shape[1]] = a
            a = grown
        if value.size not in (1, rows.size * cols.size):
            raise OctaveRuntimeError(
                f"=: nonconformant arguments (op1 is {rows.size}x{cols.size}, op2 is {_dims(value)})"
            )
        block = value if value.size == 1 else value.reshape(-1, order="F").reshape(rows.size, cols.size, order="F")
        a[_np.ix_(rows, cols)] = block
        return a
    raise OctaveRuntimeError(f"an index of {len(index)} subscripts: only matrices (two subscripts) are supported")


def _cat(rows):
    """``[a, b; c, d]``: each row side by side, the rows stacked (empty ``[]`` left out)."""
    joined = []
    for row in rows:
        parts = [_f(p) for p in row if _m(p).size]
        if parts:
            if any(p.shape[0] != parts[0].shape[0] for p in parts):
                shapes = ", ".join(_dims(p) for p in parts)
                raise OctaveRuntimeError(f"horizontal dimensions mismatch ({shapes})")
            joined.append(_np.hstack(parts))
    if not joined:
        return _np.zeros((0, 0))
    if any(r.shape[1] != joined[0].shape[1] for r in joined):
        raise OctaveRuntimeError(f"vertical dimensions mismatch ({', '.join(_dims(r) for r in joined)})")
    return _np.vstack(joined)


def _dim(a, dim):
    """The dimension a reduction runs along: the one given (1-based), else the first that is not 1."""
    if dim is not None:
        return int(_scalar(dim, "dimension")) - 1
    return 1 if a.shape[0] == 1 else 0


def _sum(a, dim=None):
    a = _f(a)
    return _np.sum(a, axis=_dim(a, dim), keepdims=True)


def _sumsq(a, dim=None):
    return _sum(_times(a, a), dim)


def _prod(a, dim=None):
    a = _f(a)
    return _np.prod(a, axis=_dim(a, dim), keepdims=True)


def _mean(a, dim=None):
    a = _f(a)
    return _np.mean(a, axis=_dim(a, dim), keepdims=True)


def _std(a, opt=None, dim=None):
    a = _f(a)
    ddof = 0 if opt is not None and _scalar(opt, "std") == 1 else 1
    return _np.std(a, axis=_dim(a, dim), ddof=ddof, keepdims=True)


def _extreme(pick, arg, a, b=None, dim=None, nargout=1):
    """``max(a)``/``max(a, [], dim)`` along a dimension (with 1-based indices as a second output), ``max(a, b)``."""
    a = _f(a)
    if b is not None and _m(b).size:
        a, b = _binary("max" if pick is _np.max else "min", a, b)
        return (_np.maximum if pick is _np.max else _np.minimum)(a, b)
    axis = _dim(a, dim)
    value = pick(a, axis=axis, keepdims=True)
    if nargout > 1:
        return value, arg(a, axis=axis, keepdims=True).astype(float) + 1
    return value


def _max(a, b=None, dim=None, nargout=1):
    return _extreme(_np.max, _np.argmax, a, b, dim, nargout)


def _min(a, b=None, dim=None, nargout=1):
    return _extreme(_np.min, _np.argmin, a, b, dim, nargout)


def _size(a, dim=None, nargout=1):
    """``size(a)`` as a row, ``size(a, d)``, or ``[m, n] = size(a)``."""
    a = _m(a)
    if dim is not None:
        k = int(_scalar(dim, "size"))
        return _np.array([[float(a.shape[k - 1] if k <= 2 else 1)]])
    if nargout > 1:
        return tuple(_np.array([[float(a.shape[k] if k < 2 else 1)]]) for k in range(nargout))
    return _np.array([[float(a.shape[0]), float(a.shape[1])]])


def _length(a):
    a = _m(a)
    return _np.array([[float(max(a.shape) if a.size else 0)]])


def _numel(a):
    return _np.array([[float(_m(a).size)]])


def _rows(a):
    return _np.array([[float(_m(a).shape[0])]])


def _cols(a):
    return _np.array([[float(_m(a).shape[1])]])


def _shape(args, what):
    """The (rows, columns) of ``zeros(n)``, ``zeros(m, n)`` or ``zeros([m n])`` / ``zeros(size(theta))``."""
    if not args:
        return 1, 1
    if len(args) == 1:
        first = _m(args[0]).reshape(-1)
        if first.size >= 2:
            return int(first[0]), int(first[1])
        n = int(_scalar(args[0], what))
        return n, n
    return int(_scalar(args[0], what)), int(_scalar(args[1], what))


def _zeros(*args):
    return _np.zeros(_shape(args, "zeros"))


def _ones(*args):
    return _np.ones(_shape(args, "ones"))


def _eye(*args):
    rows, cols = _shape(args, "eye")
    return _np.eye(rows, cols)


def _repmat(a, rows, cols=None):
    rows, cols = _shape((rows,) if cols is None else (rows, cols), "repmat")
    return _np.tile(_f(a), (rows, cols))


def _reshape(a, rows, cols=None):
    rows, cols = _shape((rows,) if cols is None else (rows, cols), "reshape")
    return _f(a).reshape(-1, order="F").reshape(rows, cols, order="F")


def _elementwise(function):
    def apply(a):
        with _np.errstate(all="ignore"):
            return function(_f(a))

    return apply


def _sigmoid(z):
    """The course's σ, used where the file calls sigmoid and no sigmoid.m is beside it."""
    with _np.errstate(all="ignore"):
        return 1.0 / (1.0 + _np.exp(-_f(z)))


def _number(value):
    return _np.array([[float(value)]])


def _isempty(a):
    return _np.array([[_m(a).size == 0]])


def _any(a, dim=None):
    a = _f(a) != 0
    return _np.any(a, axis=_dim(a, dim), keepdims=True)


def _all(a, dim=None):
    a = _f(a) != 0
    return _np.all(a, axis=_dim(a, dim), keepdims=True)


def _dot(a, b):
    return _sum(_times(_m(a).reshape(-1, 1), _m(b).reshape(-1, 1)))


def _norm(a):
    a = _f(a)
    return _number(_np.linalg.norm(a.reshape(-1)) if min(a.shape) == 1 else _np.linalg.norm(a, 2))


def _error(*args):
    message = str(args[0]) if args else "error"
    raise OctaveRuntimeError(message)


def _bsxfun(function, a, b):
    """``bsxfun(@times, a, b)``: Octave broadcasts on its own, as NumPy does."""
    return function(a, b)


def _first(result):
    """The first output of a function with several."""
    return result[0] if isinstance(result, tuple) else result


RUNTIME_FUNCTIONS = (
    _m, _f, _arg, _dims, _binary, _plus, _minus, _times, _rdivide, _ldivide, _power, _mtimes, _mrdivide,
    _mldivide, _mpower, _uminus, _t, _not, _compare, _and, _or, _true, _scalar, _range, _columns, _end,
    _positions, _index, _assign, _cat, _dim, _sum, _sumsq, _prod, _mean, _std, _extreme, _max, _min, _size,
    _length, _numel, _rows, _cols, _shape, _zeros, _ones, _eye, _repmat, _reshape, _elementwise, _sigmoid,
    _number, _isempty, _any, _all, _dot, _norm, _error, _bsxfun, _first,
)  # fmt: skip
# Octave's functions of one matrix, entry by entry: name -> NumPy's function (its helper is _NAME in the module)
ELEMENTWISE = {
    "log": "log", "exp": "exp", "abs": "abs", "sqrt": "sqrt", "sign": "sign", "floor": "floor", "ceil": "ceil",
    "round": "round", "fix": "trunc", "log1p": "log1p", "expm1": "expm1", "log2": "log2", "log10": "log10",
    "tanh": "tanh", "pinv": "linalg.pinv", "inv": "linalg.inv",
}  # fmt: skip

# Octave's functions this reader knows: name -> (the helper, the most arguments, whether it has several outputs)
BUILTINS: dict[str, tuple[str, int, bool]] = {
    "sum": ("_sum", 2, False),
    "sumsq": ("_sumsq", 2, False),
    "prod": ("_prod", 2, False),
    "mean": ("_mean", 2, False),
    "std": ("_std", 3, False),
    "max": ("_max", 3, True),
    "min": ("_min", 3, True),
    "size": ("_size", 2, True),
    "length": ("_length", 1, False),
    "numel": ("_numel", 1, False),
    "rows": ("_rows", 1, False),
    "columns": ("_cols", 1, False),
    "zeros": ("_zeros", 2, False),
    "ones": ("_ones", 2, False),
    "eye": ("_eye", 2, False),
    "repmat": ("_repmat", 3, False),
    "reshape": ("_reshape", 3, False),
    "double": ("_f", 1, False),
    **{name: (f"_{name}", 1, False) for name in ELEMENTWISE},
    "transpose": ("_t", 1, False),
    "isempty": ("_isempty", 1, False),
    "any": ("_any", 2, False),
    "all": ("_all", 2, False),
    "dot": ("_dot", 2, False),
    "norm": ("_norm", 1, False),
    "error": ("_error", 9, False),
    "bsxfun": ("_bsxfun", 3, False),
    "plus": ("_plus", 2, False),
    "minus": ("_minus", 2, False),
    "times": ("_times", 2, False),
    "rdivide": ("_rdivide", 2, False),
    "ldivide": ("_ldivide", 2, False),
    "power": ("_power", 2, False),
    "mtimes": ("_mtimes", 2, False),
    "mrdivide": ("_mrdivide", 2, False),
    "mpower": ("_mpower", 2, False),
}
CONSTANTS = {
    "pi": "_number(_np.pi)",
    "e": "_number(_np.e)",
    "Inf": "_number(_np.inf)",
    "inf": "_number(_np.inf)",
    "NaN": "_number(_np.nan)",
    "nan": "_number(_np.nan)",
    "eps": "_number(_np.finfo(float).eps)",
    "true": "_np.array([[True]])",
    "false": "_np.array([[False]])",
}
# Calls that only print, plot or tune the session: nothing to run when checking a gradient
QUIET = {
    "fprintf", "printf", "disp", "display", "fflush", "puts", "fputs", "fdisp", "plot", "hold", "figure",
    "xlabel", "ylabel", "zlabel", "title", "legend", "axis", "grid", "pause", "drawnow", "warning", "format",
    "more", "clc", "close", "clear", "pkg", "keyboard", "input", "tic", "toc", "subplot", "print", "assert",
}  # fmt: skip
_COMMANDS = {"hold", "format", "more", "clc", "close", "clear", "pkg", "warning", "figure", "grid", "axis"}

# ---------------------------------------------------------------- tokens

KEYWORDS = {
    "function", "endfunction", "end", "endif", "endfor", "endwhile", "if", "elseif", "else", "for", "while",
    "break", "continue", "return", "switch", "case", "otherwise", "endswitch", "try", "catch", "end_try_catch",
    "do", "until", "global", "persistent", "parfor", "endparfor", "unwind_protect", "unwind_protect_cleanup",
    "end_unwind_protect", "classdef",
}  # fmt: skip
_ENDS = {"end", "endfunction", "endif", "endfor", "endwhile", "endswitch", "end_try_catch", "endparfor"}
_OPENERS = {"if", "for", "while", "switch", "try", "parfor", "do", "unwind_protect"}
_PAIRS = (
    ".+",
    ".-",
    ".*",
    "./",
    ".\\",
    ".^",
    ".'",
    ".**",
    "**",
    "==",
    "~=",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    "+=",
    "-=",
    "*=",
    "/=",
)
_OPERATORS = sorted([*_PAIRS, "^=", *"+-*/\\^<>&|~!=()[]{},;:@."], key=len, reverse=True)  # the longest first
_NUMBER = re.compile(r"(\d+(?:\.(?![*/\\^'])\d*)?|\.\d+)(?:[eEdD][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Token:
    """One token: ``kind`` is num, name, str, op, kw, end (a statement's end: newline, ``;`` or ``,``) or eof."""

    kind: str
    text: str
    line: int
    col: int
    space: bool = False  # whitespace before it: inside brackets it separates elements


class _Reader:
    """Where errors are reported: the file's name and its text."""

    def __init__(self, text: str, name: str):
        self.text, self.name = text, name
        self.lines = text.splitlines()

    def error(self, line: int, col: int, message: str) -> ParseError:
        return ParseError(f"{self.name} line {line}, column {col}: {message}")


def tokenize(text: str, name: str = "<octave>") -> list[Token]:
    """The tokens of ``text``: comments, ``%{ … %}`` blocks and ``...`` continuations dropped.

    >>> [t.text for t in tokenize("g = X' * (h - y); % the gradient")]
    ['g', '=', 'X', "'", '*', '(', 'h', '-', 'y', ')', ';', '\\n', '<eof>']
    >>> [t.kind for t in tokenize("s = 'it''s'")]
    ['name', 'op', 'str', 'end', 'eof']
    """
    text = text.removeprefix("\ufeff")  # the byte-order mark an editor on Windows may write
    reader = _Reader(text, name)
    tokens: list[Token] = []
    brackets: list[str] = []  # the open ( [ { around the position
    opened: list[tuple[int, int]] = []  # where each was opened
    lines = text.split("\n")
    block = 0  # depth of %{ … %} comment blocks
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped in ("%{", "#{"):
            block += 1
            continue
        if block:
            if stripped in ("%}", "#}"):
                block -= 1
            continue
        col, space, continued = 0, True, False
        while col < len(line):
            char = line[col]
            if char in " \t\r":
                col, space = col + 1, True
                continue
            if char in "%#":
                break
            if line.startswith("...", col):
                continued = True
                break
            start = col
            previous = tokens[-1] if tokens else None
            value_before = previous is not None and (
                previous.kind in ("num", "name", "str")
                or previous.text in (")", "]", "}", "'", ".'")
                or (previous.kind == "kw" and previous.text == "end" and brackets)
            )
            if char == "'" and value_before and not (space and brackets and brackets[-1] in "[{"):
                tokens.append(Token("op", "'", number, col + 1, space))
                col += 1
            elif char in "'\"":
                end = col + 1
                chunks = []
                while True:
                    if end >= len(line):
                        raise reader.error(number, start + 1, "a string without its closing quote")
                    if line[end] == char and line.startswith(char * 2, end):
                        chunks.append(char)
                        end += 2
                    elif line[end] == char:
                        break
                    elif char == '"' and line[end] == "\\" and end + 1 < len(line):
                        chunks.append(line[end : end + 2])
                        end += 2
                    else:
                        chunks.append(line[end])
                        end += 1
                tokens.append(Token("str", "".join(chunks), number, start + 1, space))
                col = end + 1
            elif (match := _NUMBER.match(line, col)) is not None:
                col = match.end()
                if col < len(line) and line[col] in "ijIJ" and not _NAME.match(line, col + 1):
                    raise reader.error(number, start + 1, "complex numbers are not supported: a gradient is real")
                tokens.append(Token("num", match.group(0), number, start + 1, space))
            elif (match := _NAME.match(line, col)) is not None:
                word = match.group(0)
                tokens.append(Token("kw" if word in KEYWORDS else "name", word, number, start + 1, space))
                col = match.end()
            else:
                op = next((o for o in _OPERATORS if line.startswith(o, col)), None)
                if op is None:
                    raise reader.error(number, start + 1, f"'{char}' is not Octave this reader knows")
                col += len(op)
                if op in "([{":
                    brackets.append(op)
                    opened.append((number, start + 1))
                elif op in ")]}":
                    if not brackets:
                        raise reader.error(number, start + 1, f"'{op}' without its opening bracket")
                    if "([{"[")]}".index(op)] != brackets[-1]:
                        line, col = opened[-1]
                        raise reader.error(line, col, f"'{brackets[-1]}' is closed by '{op}'")
                    brackets.pop()
                    opened.pop()
                op = {".+": "+", ".-": "-"}.get(op, op)  # Octave's old spellings of + and -
                if op in ";," and not brackets:
                    tokens.append(Token("end", op, number, start + 1, space))
                else:
                    tokens.append(Token("op", op, number, start + 1, space))
            space = False
        if continued:
            continue
        if brackets and brackets[-1] in "[{":
            if tokens and tokens[-1].text not in ("[", "{", ";"):
                tokens.append(Token("op", ";", number, len(line) + 1, True))  # a new line is a new row
        elif not brackets:
            tokens.append(Token("end", "\n", number, len(line) + 1, True))
    if brackets:
        line, col = opened[-1]
        raise reader.error(line, col, f"'{brackets[-1]}' is never closed")
    tokens.append(Token("eof", "<eof>", len(lines) + 1, 1, True))
    return tokens


# ---------------------------------------------------------------- syntax tree


@dataclass
class Node:
    """One node: ``kind`` says which (num, str, name, end, colon, call, binary, unary, transpose, range, matrix,
    lambda, handle, ignore), ``parts`` its children or values."""

    kind: str
    token: Token
    parts: list = field(default_factory=list)
    text: str = ""


@dataclass
class Statement:
    kind: str  # assign, expr, quiet, if, for, while, break, continue, return
    token: Token
    targets: list[Node] = field(default_factory=list)
    op: str = "="
    value: Node | None = None
    branches: list[tuple[Node | None, list[Statement]]] = field(default_factory=list)


@dataclass
class Function:
    name: str
    params: list[str]
    outputs: list[str]
    body: list[Statement]
    token: Token
    file: str
    close: Token  # its end


_BINARY_LEVELS = [
    ("||",),
    ("&&",),
    ("|",),
    ("&",),
    ("==", "~=", "!=", "<", "<=", ">", ">="),
    (":",),
    ("+", "-"),
    ("*", "/", "\\", ".*", "./", ".\\"),
]
_UNSUPPORTED_KEYWORDS = {
    "switch": "switch is not supported: write if/elseif/else",
    "try": "try/catch is not supported: write the code without it",
    "do": "do/until is not supported: write a while loop",
    "global": "global variables are not supported: pass the value as an argument",
    "persistent": "persistent variables are not supported: pass the value as an argument",
    "unwind_protect": "unwind_protect is not supported: write the code without it",
    "classdef": "classes are not supported: write a function",
    "parfor": "parfor is not supported: write a for loop",
}


class _Parser:
    def __init__(self, tokens: list[Token], reader: _Reader):
        self.tokens, self.reader, self.at = tokens, reader, 0
        self.matrix = 0  # inside [ ] (whitespace separates elements there)
        self.index_depth = 0  # inside ( ) of an index: end is a value there

    @property
    def token(self) -> Token:
        return self.tokens[self.at]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.at + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def error(self, token: Token, message: str) -> ParseError:
        return self.reader.error(token.line, token.col, message)

    def expect(self, text: str, what: str) -> Token:
        if self.token.text != text:
            raise self.error(self.token, f"expected '{text}' {what}, found {_show(self.token)}")
        return self.advance()

    def skip_ends(self) -> None:
        while self.token.kind == "end":
            self.advance()

    # -- the file: functions, with script code around them skipped

    def functions(self) -> list[Function]:
        found = []
        while True:
            self.skip_ends()
            if self.token.kind == "eof":
                return found
            if self.token.text == "function" and self.token.kind == "kw":
                found.append(self.function())
            else:
                self.skip_script_statement()

    def skip_script_statement(self) -> None:
        """Script code outside the functions (loading data, plotting): never run, only stepped over."""
        depth = 0
        while self.token.kind != "eof":
            token = self.advance()
            if token.kind == "kw" and token.text in _OPENERS:
                depth += 1
            elif token.kind == "kw" and token.text in _ENDS and depth:
                depth -= 1
            if token.kind == "end" and depth == 0:
                return
            if self.token.kind == "kw" and self.token.text == "function" and depth == 0:
                return

    def function(self) -> Function:
        start = self.advance()
        outputs: list[str] = []
        if self.token.text == "[":
            self.advance()
            while self.token.text != "]":
                if self.token.text in (",", ";") and self.token.kind == "op":
                    self.advance()
                    continue
                outputs.append(self.name("an output name"))
            self.advance()
            self.expect("=", "after the outputs of a function")
        elif self.peek().text == "=":
            outputs.append(self.name("an output name"))
            self.advance()
        name = self.name("the function's name")
        if self.token.text == ".":
            raise self.error(self.token, "class methods are not supported: write a plain function")
        params: list[str] = []
        if self.token.text == "(":
            self.advance()
            while self.token.text != ")":
                if self.token.text == ",":
                    self.advance()
                    continue
                if self.token.text in ("~", "!"):
                    params.append(f"_unused{len(params)}")
                    self.advance()
                    continue
                if self.token.text == "varargin":
                    raise self.error(self.token, "varargin is not supported: name each parameter")
                params.append(self.name("a parameter name"))
                if self.token.text == "=":
                    raise self.error(self.token, "default values of parameters are not supported: drop '= …'")
            self.advance()
        body = self.block(("function",))
        close = self.tokens[max(self.at - 1, 0)]  # where its outputs are returned: its end, or its last line
        if self.token.kind == "kw" and self.token.text in ("end", "endfunction"):
            close = self.advance()
        return Function(name, params, outputs, body, start, self.reader.name, close)

    def name(self, what: str) -> str:
        if self.token.kind != "name":
            raise self.error(self.token, f"expected {what}, found {_show(self.token)}")
        return self.advance().text

    # -- statements

    def block(self, closers: tuple[str, ...], opener: Token | None = None) -> list[Statement]:
        """Statements up to (not past) an end keyword, one of ``closers`` (elseif, else, function), or the end
        of the file (an error inside the block of ``opener``)."""
        body: list[Statement] = []
        while True:
            self.skip_ends()
            token = self.token
            if token.kind == "eof":
                if opener is None:
                    return body
                raise self.error(opener, f"this '{opener.text}' has no 'end': the file ends before it")
            if token.kind == "kw" and (token.text in _ENDS or token.text in closers):
                return body
            body.append(self.statement())

    def close(self, opener: Token) -> None:
        if not (self.token.kind == "kw" and self.token.text in _ENDS):
            raise self.error(self.token, f"expected 'end' to close the '{opener.text}' of line {opener.line}")
        self.advance()

    def statement(self) -> Statement:
        token = self.token
        if token.kind == "kw":
            return self.keyword_statement(token)
        if token.kind == "name" and token.text in _COMMANDS and self.peek().kind in ("name", "end", "eof"):
            while self.token.kind not in ("end", "eof"):  # command syntax: hold on, format long
                self.advance()
            return Statement("quiet", token)
        if token.kind == "name" and token.text in QUIET and self.peek().text in ("(", "\n", ";", ","):
            self.skip_statement()
            return Statement("quiet", token)
        if token.text == "[" and self.is_multiple_assignment():
            return self.multiple_assignment()
        expr = self.expression()
        if self.token.text in ("=", "+=", "-=", "*=", "/=", "^="):
            op = self.advance().text
            if expr.kind not in ("name", "call"):
                raise self.error(expr.token, "only a variable or an indexed variable can be assigned to")
            if expr.kind == "call" and expr.parts[0].kind != "name":
                raise self.error(expr.token, "only a variable or an indexed variable can be assigned to")
            value = self.expression()
            if self.token.text == "=":
                raise self.error(self.token, "chained assignments are not supported: write one per statement")
            self.statement_end()
            return Statement("assign", token, [expr], op, value)
        self.statement_end()
        return Statement("expr", token, value=expr)

    def skip_statement(self) -> None:
        depth = 0
        while self.token.kind != "eof" and not (self.token.kind == "end" and depth == 0):
            depth += {"(": 1, ")": -1}.get(self.token.text, 0) if self.token.kind == "op" else 0
            self.advance()

    def statement_end(self) -> None:
        if self.token.kind not in ("end", "eof") and not (self.token.kind == "kw" and self.token.text in _ENDS):
            raise self.error(self.token, f"expected the end of the statement, found {_show(self.token)}")

    def keyword_statement(self, token: Token) -> Statement:
        word = token.text
        if word in _UNSUPPORTED_KEYWORDS:
            raise self.error(token, _UNSUPPORTED_KEYWORDS[word])
        if word == "function":
            raise self.error(token, "a function inside a function is not supported: close the first one with 'end'")
        self.advance()
        if word in ("break", "continue", "return"):
            return Statement(word, token)
        if word in ("if", "while"):
            branches = [(self.expression(), self.block(("elseif", "else") if word == "if" else (), token))]
            while word == "if" and self.token.text == "elseif":
                self.advance()
                branches.append((self.expression(), self.block(("elseif", "else"), token)))
            if word == "if" and self.token.text == "else":
                self.advance()
                branches.append((None, self.block((), token)))
            self.close(token)
            return Statement(word, token, branches=branches)
        if word == "for":
            parenthesised = self.token.text == "(" and self.peek().kind == "name" and self.peek(2).text == "="
            if parenthesised:
                self.advance()
            variable = Node("name", self.token, text=self.name("the loop variable"))
            self.expect("=", "after the loop variable")
            values = self.expression()
            if parenthesised:
                self.expect(")", "closing 'for ('")
            body = self.block((), token)
            self.close(token)
            return Statement("for", token, [variable], value=values, branches=[(None, body)])
        raise self.error(token, f"'{word}' here is not supported")

    def is_multiple_assignment(self) -> bool:
        depth, ahead = 0, 0
        while True:
            token = self.peek(ahead)
            if token.kind in ("end", "eof"):
                return False
            if token.text in ("[", "(", "{"):
                depth += 1
            elif token.text in ("]", ")", "}"):
                depth -= 1
                if depth == 0:
                    return self.peek(ahead + 1).text == "="
            ahead += 1

    def multiple_assignment(self) -> Statement:
        token = self.advance()
        targets: list[Node] = []
        while self.token.text != "]":
            if self.token.text == "," or self.token.text == ";":
                self.advance()
            elif self.token.text in ("~", "!"):
                targets.append(Node("ignore", self.advance()))
            elif self.token.kind == "name":
                targets.append(Node("name", self.token, text=self.advance().text))
                if self.token.text == "(":
                    raise self.error(self.token, "indexed outputs in [a, b] = … are not supported: assign a variable")
            else:
                raise self.error(self.token, f"expected a variable name in [a, b] = …, found {_show(self.token)}")
        self.advance()
        self.expect("=", "after [a, b]")
        value = self.expression()
        if value.kind != "call":
            raise self.error(value.token, "[a, b] = … takes a function's outputs: call a function on the right")
        self.statement_end()
        return Statement("assign", token, targets, "=", value)

    # -- expressions

    def expression(self, level: int = 0) -> Node:
        if level == len(_BINARY_LEVELS):
            return self.unary()
        if _BINARY_LEVELS[level] == (":",):
            return self.range(level)
        left = self.expression(level + 1)
        if self.token.text in ("+", "-") and self.peek().text == self.token.text and not self.peek().space:
            if self.peek(2).kind in ("end", "eof"):
                raise self.error(self.token, "'++' and '--' are not supported: write i = i + 1")
        while self.token.kind == "op" and self.token.text in _BINARY_LEVELS[level] and not self.element_break():
            op = self.advance()
            right = self.expression(level + 1)
            left = Node("binary", op, [left, right], op.text)
        return left

    def element_break(self) -> bool:
        """Inside [ ], ``a -b`` is two elements: a sign after a space, touching its operand."""
        token = self.token
        return bool(self.matrix and token.text in ("+", "-") and token.space and not self.peek().space)

    def range(self, level: int) -> Node:
        if self.token.text == ":" and self.index_depth and self.peek().text in (",", ")"):
            return Node("colon", self.advance())
        first = self.expression(level + 1)
        if self.token.text != ":":
            return first
        token = self.advance()
        parts = [first, self.expression(level + 1)]
        if self.token.text == ":":
            self.advance()
            parts.append(self.expression(level + 1))
        return Node("range", token, parts)

    def unary(self) -> Node:
        token = self.token
        if token.kind == "op" and token.text in ("-", "+", "~", "!"):
            self.advance()
            operand = self.unary()
            if token.text == "+":
                return operand
            return Node("unary", token, [operand], "-" if token.text == "-" else "!")
        return self.power()

    def power(self) -> Node:
        base = self.postfix()
        while self.token.text in ("^", ".^", "**", ".**") and not self.element_break():
            op = self.advance()
            if self.token.text in ("-", "+", "~", "!"):  # 2^-1: the sign belongs to the exponent
                sign = self.advance()
                exponent = self.postfix()
                exponent = (
                    exponent if sign.text == "+" else Node("unary", sign, [exponent], "-" if sign.text == "-" else "!")
                )
            else:
                exponent = self.postfix()
            kind = "^" if op.text in ("^", "**") else ".^"
            base = Node("binary", op, [base, exponent], kind)
        return base

    def postfix(self) -> Node:
        node = self.primary()
        while True:
            token = self.token
            if token.text == "(" and not (self.matrix and token.space):
                self.advance()
                node = Node("call", token, [node, *self.arguments(")")])
            elif token.text in ("'", ".'") and token.kind == "op":
                self.advance()
                node = Node("transpose", token, [node])
            elif token.text == "{" and not (self.matrix and token.space):
                raise self.error(token, "cell arrays ({…}) are not supported: use a matrix or separate variables")
            elif token.text == "." and self.peek().kind == "name" and not token.space:
                raise self.error(token, "structures (s.field) are not supported: use separate variables")
            else:
                return node

    def arguments(self, closer: str) -> list[Node]:
        args: list[Node] = []
        saved, self.matrix = self.matrix, 0
        self.index_depth += 1
        while self.token.text != closer:
            if args:
                self.expect(",", "between arguments")
            args.append(self.expression())
        self.advance()
        self.index_depth -= 1
        self.matrix = saved
        return args

    def primary(self) -> Node:
        token = self.token
        if token.kind == "num":
            self.advance()
            return Node("num", token, text=token.text.replace("d", "e").replace("D", "e"))
        if token.kind == "str":
            self.advance()
            return Node("str", token, text=token.text)
        if token.kind == "name":
            self.advance()
            return Node("name", token, text=token.text)
        if token.kind == "kw" and token.text == "end" and self.index_depth:
            self.advance()
            return Node("end", token)
        if token.text == "(":
            self.advance()
            saved, self.matrix = self.matrix, 0
            inner = self.expression()
            self.matrix = saved
            self.expect(")", "closing '('")
            return Node("paren", token, [inner])
        if token.text == "[":
            return self.matrix_literal()
        if token.text == "@":
            self.advance()
            if self.token.kind == "name":
                return Node("handle", token, text=self.advance().text)
            self.expect("(", "after '@'")
            params = []
            while self.token.text != ")":
                if self.token.text == ",":
                    self.advance()
                    continue
                params.append(self.name("a parameter of the anonymous function"))
            self.advance()
            saved_index, self.index_depth = self.index_depth, 0
            body = self.expression()
            self.index_depth = saved_index
            return Node("lambda", token, [body], ",".join(params))
        if token.text == "{":
            raise self.error(token, "cell arrays ({…}) are not supported: use a matrix or separate variables")
        raise self.error(token, f"expected a value, found {_show(token)}")

    def matrix_literal(self) -> Node:
        token = self.advance()
        saved_index, self.index_depth = self.index_depth, 0
        self.matrix += 1
        rows: list[list[Node]] = [[]]
        while self.token.text != "]":
            if self.token.text == ";":
                self.advance()
                rows.append([])
            elif self.token.text == ",":
                self.advance()
            elif self.token.kind == "eof":
                raise self.error(token, "'[' is never closed")
            else:
                rows[-1].append(self.expression())
        self.advance()
        self.matrix -= 1
        self.index_depth = saved_index
        return Node("matrix", token, [row for row in rows if row])


def _show(token: Token) -> str:
    if token.kind == "eof":
        return "the end of the file"
    if token.kind == "end":
        return "the end of the line" if token.text == "\n" else f"'{token.text}'"
    return f"'{token.text}'"


# ---------------------------------------------------------------- Python source


_PY_BINARY = {
    "+": "_plus",
    "-": "_minus",
    ".*": "_times",
    "./": "_rdivide",
    ".\\": "_ldivide",
    ".^": "_power",
    "*": "_mtimes",
    "/": "_mrdivide",
    "\\": "_mldivide",
    "^": "_mpower",
    "&": "_and",
    "|": "_or",
}
_COMPARE = {"==": "==", "~=": "!=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def python_name(name: str) -> str:
    """An Octave name as a Python one: a Python keyword or builtin gets a trailing underscore (lambda → lambda_,
    a function named range must not hide the range the helpers use)."""
    taken = keyword.iskeyword(name) or keyword.issoftkeyword(name) or hasattr(builtins, name)
    return f"{name}_" if taken else name


def octave_name(name: str) -> str:
    """The Octave name a Python name was made from (lambda_ → lambda), for messages."""
    base = name[:-1] if name.endswith("_") else name
    return base if base != name and python_name(base) == name else name


@dataclass(frozen=True)
class Translation:
    """The Python module for an Octave file: its source, the functions of the file itself (the first first),
    where each Python line came from (Python line → (file, Octave line)), and notes."""

    source: str
    functions: tuple[str, ...]
    lines: dict[int, tuple[str, int]]
    notes: tuple[str, ...] = ()
    texts: dict[str, list[str]] = field(default_factory=dict)  # each file's lines, to quote a failing one
    params: dict[str, tuple[str, ...]] = field(default_factory=dict)  # each function's parameters (Octave names)

    def where(self, line: int) -> tuple[str, int, str] | None:
        """(file, line, its text) of the Octave line a Python line came from; None for the runtime's lines."""
        found = self.lines.get(line)
        if found is None:
            return None
        name, number = found
        text = self.texts.get(name, [])
        return name, number, text[number - 1].strip() if 0 < number <= len(text) else ""


class _Emitter:
    """Python lines for parsed functions, each with the Octave line it came from."""

    def __init__(self, functions: dict[str, Function], readers: dict[str, _Reader]):
        self.functions, self.readers = functions, readers
        self.out: list[tuple[str, tuple[str, int] | None]] = []
        self.uses_sigmoid = False

    def error(self, fn: Function, token: Token, message: str) -> ParseError:
        return self.readers[fn.file].error(token.line, token.col, message)

    def line(self, depth: int, text: str, fn: Function, token: Token) -> None:
        self.out.append(("    " * depth + text, (fn.file, token.line)))

    def function(self, fn: Function) -> None:
        self.fn = fn
        self.variables = set(fn.params) | set(fn.outputs) | _assigned(fn.body)
        self.handles = _handles(fn.body)
        params = ", ".join(python_name(p) for p in fn.params)
        self.line(0, f"def {python_name(fn.name)}({params}):", fn, fn.token)
        for p in fn.params:
            if not p.startswith("_unused"):
                self.line(1, f"{python_name(p)} = _arg({python_name(p)})", fn, fn.token)
        for name in sorted(_indexed(fn.body) - set(fn.params)):  # x(i) = … may be its first assignment
            self.line(1, f"{python_name(name)} = None", fn, fn.token)
        self.block(fn.body, 1)
        self.line(1, self.returned(), fn, fn.close)

    def returned(self) -> str:
        outputs = [python_name(o) for o in self.fn.outputs]
        if not outputs:
            return "return None"
        return f"return {outputs[0]}" if len(outputs) == 1 else f"return {', '.join(outputs)}"

    def block(self, body: list[Statement], depth: int) -> None:
        before = len(self.out)
        for statement in body:
            self.statement(statement, depth)
        if len(self.out) == before:
            self.line(depth, "pass", self.fn, self.fn.token)

    def statement(self, s: Statement, depth: int) -> None:
        fn = self.fn
        if s.kind in ("quiet", "expr"):
            if s.kind == "expr" and s.value is not None:
                self.expr(s.value)  # checked for unsupported syntax, then not run: it only displays a value
            self.line(depth, "pass", fn, s.token)
        elif s.kind in ("break", "continue"):
            self.line(depth, s.kind, fn, s.token)
        elif s.kind == "return":
            self.line(depth, self.returned(), fn, s.token)
        elif s.kind == "if":
            for k, (condition, body) in enumerate(s.branches):
                if condition is None:
                    self.line(depth, "else:", fn, s.token)
                else:
                    head = "if" if k == 0 else "elif"
                    self.line(depth, f"{head} _true({self.expr(condition)}):", fn, condition.token)
                self.block(body, depth + 1)
        elif s.kind == "while":
            condition, body = s.branches[0]
            self.line(depth, f"while _true({self.expr(condition)}):", fn, s.token)
            self.block(body, depth + 1)
        elif s.kind == "for":
            variable = python_name(s.targets[0].text)
            self.line(depth, f"for {variable} in _columns({self.expr(s.value)}):", fn, s.token)
            self.block(s.branches[0][1], depth + 1)
        elif s.kind == "assign":
            self.assignment(s, depth)

    def assignment(self, s: Statement, depth: int) -> None:
        fn, value = self.fn, s.value
        if len(s.targets) > 1 or s.targets[0].kind == "ignore":
            names = [python_name(t.text) if t.kind == "name" else "_" for t in s.targets]
            call = self.call(value, nargout=len(names))
            self.line(depth, f"{', '.join(names)} = {call}[:{len(names)}]", fn, s.token)
            return
        target = s.targets[0]
        right = self.expr(value)
        if s.op != "=":
            operator = {"+=": "+", "-=": "-", "*=": "*", "/=": "/", "^=": "^"}[s.op]
            right = f"{_PY_BINARY[operator]}({self.expr(target)}, {right})"
        if target.kind == "name":
            if value.kind == "lambda" or (value.kind == "handle"):
                self.line(depth, f"{python_name(target.text)} = {right}", fn, s.token)
            else:
                self.line(depth, f"{python_name(target.text)} = _m({right})", fn, s.token)
            return
        base = target.parts[0]
        if base.text not in self.variables or base.text in self.handles:
            raise self.error(fn, base.token, f"'{base.text}' is a function: assign to a variable")
        name = python_name(base.text)
        indices = self.indices(base.text, target.parts[1:])
        self.line(depth, f"{name} = _assign({name}, ({indices},), {right})", fn, s.token)

    def indices(self, name: str, args: list[Node]) -> str:
        if len(args) > 2:
            raise self.error(self.fn, args[2].token, "more than two subscripts are not supported: use a matrix")
        if not args:
            raise self.error(self.fn, self.fn.token, f"'{name}()' has no index")
        return ", ".join(self.expr(a, (name, k, len(args))) for k, a in enumerate(args))

    def expr(self, node: Node, end: tuple[str, int, int] | None = None) -> str:
        """The Python for ``node``; ``end`` is (the indexed variable, its subscript's place, how many) in an index."""
        kind = node.kind
        if kind == "num":
            value = float(node.text)
            return repr(value) if value != float("inf") else "_np.inf"
        if kind == "str":
            return repr(node.text)
        if kind == "paren":
            return self.expr(node.parts[0], end)
        if kind == "end":
            if end is None:
                raise self.error(self.fn, node.token, "'end' outside an index")
            return f"_end({python_name(end[0])}, {end[1]}, {end[2]})"
        if kind == "colon":
            return "_COLON"
        if kind == "name":
            return self.name(node)
        if kind == "binary":
            left, right = (self.expr(p, end) for p in node.parts)
            if node.text in _COMPARE:
                return f"_compare({_COMPARE[node.text]!r}, {left}, {right})"
            if node.text in ("&&", "||"):
                return f"(_true({left}) {'and' if node.text == '&&' else 'or'} _true({right}))"
            return f"{_PY_BINARY[node.text]}({left}, {right})"
        if kind == "unary":
            operand = self.expr(node.parts[0], end)
            return f"_uminus({operand})" if node.text == "-" else f"_not({operand})"
        if kind == "transpose":
            return f"_t({self.expr(node.parts[0], end)})"
        if kind == "range":
            return f"_range({', '.join(self.expr(p, end) for p in node.parts)})"
        if kind == "matrix":
            rows = ", ".join("[" + ", ".join(self.expr(p, end) for p in row) + "]" for row in node.parts)
            return f"_cat([{rows}])"
        if kind == "call":
            return self.call(node, end=end)
        if kind == "lambda":
            params = [p for p in node.text.split(",") if p]
            saved = self.variables
            self.variables = self.variables | set(params)
            body = self.expr(node.parts[0])
            self.variables = saved
            return f"(lambda {', '.join(python_name(p) for p in params)}: {body})"
        if kind == "handle":
            return self.function_value(node)
        raise self.error(self.fn, node.token, f"{_show(node.token)} is not supported here")

    def name(self, node: Node) -> str:
        name = node.text
        if name in self.variables:
            return python_name(name)
        if name in ("nargin", "nargout"):
            count = len(self.fn.params) if name == "nargin" else len(self.fn.outputs)
            return f"_number({count})"
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in self.functions or name in BUILTINS or name == "sigmoid":
            return self.call(Node("call", node.token, [node]))
        raise self.error(self.fn, node.token, self.unknown(name))

    def unknown(self, name: str) -> str:
        return (
            f"'{name}' is not a variable set before, a function in this file or in a {name}.m beside it, nor an "
            f"Octave function this reader knows: define it (in {name}.m beside the file), or write it with sum, "
            "size, zeros, log, exp, …"
        )

    def function_value(self, node: Node) -> str:
        name = node.text
        if name in self.functions:
            return python_name(name)
        if name in BUILTINS:
            return BUILTINS[name][0]
        if name == "sigmoid":
            self.uses_sigmoid = True
            return "_sigmoid"
        raise self.error(self.fn, node.token, self.unknown(name))

    def call(self, node: Node, nargout: int = 1, end: tuple[str, int, int] | None = None) -> str:
        head, args = node.parts[0], node.parts[1:]
        if head.kind != "name":  # (theta .^ 2)(2:end), as Octave allows: end is the value's
            if nargout > 1 or not args:
                raise self.error(self.fn, node.token, "only a variable or a function can be called or indexed here")
            return f"(lambda _v: _index(_v, {self.indices('_v', args)}))({self.expr(head, end)})"
        name = head.text
        if name in self.variables and name not in self.handles:
            if nargout > 1:
                raise self.error(self.fn, node.token, f"'{name}' is a variable: [a, b] = … takes a function")
            if not args:
                return python_name(name)
            return f"_index({python_name(name)}, {self.indices(name, args)})"
        values = ", ".join(self.expr(a, end) for a in args)
        if name in self.handles:
            return f"{python_name(name)}({values})"
        if name in self.functions:
            fn = self.functions[name]
            if len(args) > len(fn.params):
                raise self.error(self.fn, node.token, f"{name} takes {len(fn.params)} arguments, not {len(args)}")
            if len(args) < len(fn.params):
                raise self.error(
                    self.fn, node.token, f"{name} called with {len(args)} of its {len(fn.params)} arguments: give all"
                )
            call = f"{python_name(name)}({values})"
            if nargout > 1 and nargout > len(fn.outputs):
                raise self.error(self.fn, node.token, f"{name} has {len(fn.outputs)} outputs, not {nargout}")
            return (
                f"({call},)" if nargout > 1 and len(fn.outputs) == 1 else (call if nargout > 1 else f"_first({call})")
            )
        if name in BUILTINS:
            helper, most, several = BUILTINS[name]
            if len(args) > most:
                raise self.error(self.fn, node.token, f"{name} with {len(args)} arguments is not supported")
            if nargout > 1 and not several:
                raise self.error(self.fn, node.token, f"{name} has one output: [a, b] = {name}(…) is not supported")
            if name in ("max", "min") and len(args) == 3:
                values = f"{self.expr(args[0])}, None, {self.expr(args[2])}"
            extra = f", nargout={nargout}" if several and nargout > 1 else ""
            return f"{helper}({values}{extra})"
        if name == "sigmoid":
            self.uses_sigmoid = True
            return f"_sigmoid({values})"
        if name in CONSTANTS and not args:
            return CONSTANTS[name]
        if name in QUIET:
            raise self.error(self.fn, node.token, f"{name}(…) prints or plots: it gives no value to use here")
        raise self.error(self.fn, head.token, self.unknown(name))


def _statements(body: list[Statement]) -> Iterator[Statement]:
    """Every statement of a body, those inside if/for/while blocks included."""
    for s in body:
        yield s
        for _, inner in s.branches:
            yield from _statements(inner)


def _assigned(body: list[Statement]) -> set[str]:
    """Every name a function's statements assign (plain, indexed, [a, b] = …, loop variables)."""
    return {t.text for s in _statements(body) for t in s.targets if t.kind == "name"} | _indexed(body)


def _indexed(body: list[Statement]) -> set[str]:
    """The names a function assigns by index (``x(i) = …``), perhaps before anything else."""
    return {
        t.parts[0].text for s in _statements(body) for t in s.targets if t.kind == "call" and t.parts[0].kind == "name"
    }


def _handles(body: list[Statement]) -> set[str]:
    """The names a function assigns a function handle or an anonymous function to: calling them is a call."""
    return {
        t.text
        for s in _statements(body)
        if s.kind == "assign" and s.value is not None and s.value.kind in ("lambda", "handle")
        for t in s.targets
        if t.kind == "name"
    }


def _called(fn: Function) -> list[tuple[str, Token]]:
    """The names a function calls or reads that are not its variables (functions, perhaps in a NAME.m)."""
    variables = set(fn.params) | set(fn.outputs) | _assigned(fn.body)
    found: list[tuple[str, Token]] = []

    def visit(node: Node | None, bound: set[str]) -> None:
        if node is None:
            return
        if node.kind == "name" and node.text not in bound:
            found.append((node.text, node.token))
        if node.kind == "handle":
            found.append((node.text, node.token))
        if node.kind == "lambda":
            bound = bound | set(node.text.split(","))
        for part in node.parts:
            if isinstance(part, Node):
                visit(part, bound)

    def walk(body: list[Statement]) -> None:
        for s in body:
            if s.kind == "quiet":
                continue
            visit(s.value, variables)
            for target in s.targets:
                visit(target, variables)
            for condition, inner in s.branches:
                visit(condition, variables)
                walk(inner)

    walk(fn.body)
    return found


def read_functions(text: str, name: str) -> list[Function]:
    """The functions defined in one Octave file's ``text`` (``name`` is for errors)."""
    reader = _Reader(text, name)
    found = _Parser(tokenize(text, name), reader).functions()
    if not found:
        raise ParseError(
            f"{name}: no function in it: write function [J, grad] = costFunction(theta, X, y) … end "
            "(a script is not checked: its gradient must be a function)"
        )
    return found


MAX_FILES = 20  # functions read from NAME.m files beside the first, transitively


MAX_BYTES = 1_000_000  # a course function is a few kB


def read_beside(path: Path) -> str:
    """The text of an Octave file beside the one checked, never more than :data:`MAX_BYTES`."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as error:
        raise ParseError(f"cannot read {path.name}: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise ParseError(f"{path.name} is larger than {MAX_BYTES} bytes: not a gradient function")
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n")


def translate_text(
    text: str, name: str = "gradient.m", folder: Path | None = None, read: Callable[[Path], str] = read_beside
) -> Translation:
    """The Python module for the Octave ``text`` of the file ``name``; functions it calls but does not define
    are read (with ``read``) from ``NAME.m`` files in ``folder`` (none when None)."""
    try:
        return _translate(text, name, folder, read)
    except RecursionError:  # (((… a thousand deep: not a gradient someone wrote
        raise ParseError(f"{name}: expressions or blocks nested too deeply to read") from None


def _translate(text: str, name: str, folder: Path | None, read: Callable[[Path], str]) -> Translation:
    readers = {name: _Reader(text, name)}
    own = read_functions(text, name)
    functions: dict[str, Function] = {}
    for fn in own:
        functions.setdefault(fn.name, fn)
    pending, notes, seen = list(own), [], {name}
    while pending:
        fn = pending.pop(0)
        for called, _ in _called(fn):
            if called in functions or called in BUILTINS or called in CONSTANTS or called in QUIET:
                continue
            if called in ("nargin", "nargout"):
                continue
            path = folder / f"{called}.m" if folder is not None else None
            if path is None or not path.is_file() or path.name in seen or len(seen) >= MAX_FILES:
                continue
            seen.add(path.name)
            other = read(path)
            readers[path.name] = _Reader(other, path.name)
            for found in read_functions(other, path.name):
                if found.name not in functions:
                    functions[found.name] = found
                    pending.append(found)
            if called in functions and functions[called].file == path.name:
                notes.append(f"{called} was read from {path.name} beside {name}")
    emitter = _Emitter(functions, readers)
    for fn in functions.values():
        emitter.function(fn)
    if emitter.uses_sigmoid:
        notes.append(
            f"sigmoid is not defined in {name} nor in a sigmoid.m beside it: "
            "the course's sigmoid(z) = 1 ./ (1 + exp(-z)) was used"
        )
    head = [
        '"""Translated from Octave by derivation (parsing/octave.py): 2-D arrays, 1-based indices."""',
        "import numpy as _np",
        "",
        *_runtime_source().splitlines(),
        "",
    ]
    lines: dict[int, tuple[str, int]] = {}
    body: list[str] = []
    for text_line, origin in emitter.out:
        if text_line.startswith("def ") and body:
            body += ["", ""]
        body.append(text_line)
        if origin is not None:
            lines[len(head) + len(body)] = origin
    texts = {n: r.lines for n, r in readers.items()}
    params = {f.name: tuple(f.params) for f in functions.values()}
    own_names = tuple(dict.fromkeys(f.name for f in own))
    return Translation("\n".join(head + body) + "\n", own_names, lines, tuple(notes), texts, params)


def translate_file(path: Path) -> Translation:
    """The Python module for the Octave file at ``path`` (functions it calls read from NAME.m beside it)."""
    return translate_text(read_beside(path), path.name, path.parent)


# ---------------------------------------------------------------- one expression, as `check --grad` takes it

# What only Octave writes in a gradient: a transpose ' after a value, .* ./ .^, (2:end), [0; theta(2:end)]
_OCTAVE_EXPR = re.compile(r"[\w)\]]\s*'|\.[*/^\\]|\(\s*\d+\s*:\s*end\s*\)|\[[^\]]*;[^\]]*\]")
# X times something, unindexed: a matrix product, which Python's index form (X[i, j]) never writes
_OCTAVE_PRODUCT = re.compile(r"\bX\s*\*(?!\*)|(?<!\*)\*\s*X\b(?!\s*\[)")
_DIMS = {"m": "m", "p": "(n + 1)", "1": "1"}  # a static extent: examples, θ's entries (n+1) or one
_NUMBERS = {"m": "m", "n": "n", "lambda": "lam", "lam": "lam", "lambd": "lam", "alpha": "alpha"}
_SHAPES = {"X": ("m", "p"), "theta": ("p", "1"), "y": ("m", "1")}
_FUNCTIONS = {"sigmoid": "sigmoid", "exp": "np.exp", "log": "np.log", "sqrt": "np.sqrt", "abs": "np.abs"}
_LEVEL = {"+": 1, "-": 1, "*": 2, "@": 2, "/": 2, "neg": 3, "**": 4}  # Python's precedence; 5: an atom


@dataclass(frozen=True)
class _Value:
    """An emitted NumPy expression: its text, its precedence, its static Octave shape and its transpose's text."""

    text: str
    level: int
    shape: tuple[str, str]
    transposed: str | None = None

    @property
    def number(self) -> bool:
        return self.shape == ("1", "1")

    def atom(self) -> str:
        return self.text if self.level == 5 else f"({self.text})"


def looks_like_octave(text: str) -> bool:
    """Whether a ``--grad`` expression is Octave: a ``'`` transpose, ``.*``, ``./``, ``.^``, ``(2:end)``,
    ``[0; …]`` or X in a product unindexed (none of them Python), and no ``@``, ``.T``, ``np.``, ``**``, ``[i, j]``
    or ``Sum(`` (which only Python writes).

    >>> looks_like_octave("(1/m) * X' * (sigmoid(X*theta) - y)"), looks_like_octave("X.T @ (X @ theta - y) / m")
    (True, False)
    >>> looks_like_octave("1/m * X * (h - y)"), looks_like_octave("(h(i) - y[i]) * X[i, j] / m")
    (True, False)
    """
    if re.search(r"@|\.T\b|\bnp\.|\*\*|\[\s*[\w:]+\s*(,\s*[\w:]+\s*)?\]|\bSum\(|\bfor\b", text):
        return False  # Python: a product @, a transpose .T, NumPy, a power **, a subscript [i, j], a sum over i
    return bool(_OCTAVE_EXPR.search(text) or _OCTAVE_PRODUCT.search(text))


def translate_expression(text: str, hypothesis: str | None = None, name: str = "--grad") -> str:
    """The NumPy spelling (``X.T @ …``) of an Octave gradient expression, over static shapes: X (m, n+1), theta
    and y columns, m, n, lambda, alpha and literals numbers, ``sum`` of a vector a number, ``*`` between two
    non-numbers the matrix product.  ``h`` is ``hypothesis`` (the model's predictions, e.g. ``sigmoid(X @ theta)``).
    A leading ``grad =`` and a trailing ``;`` are dropped; anything else is a one-line :class:`ParseError`.

    >>> translate_expression("(1/m) * X' * (sigmoid(X*theta) - y)")
    '1 / m * X.T @ (sigmoid(X @ theta) - y)'
    >>> translate_expression("1/m * sum((h - y) .* X)'", "sigmoid(X @ theta)")
    '1 / m * np.sum((sigmoid(X @ theta) - y) * X, axis=0)'
    >>> translate_expression("(lambda/m) * [0; theta(2:end)]")
    'lam / m * np.r_[0, theta[1:]]'
    >>> translate_expression("X * (X*theta - y) / m")  # nonconformant: the checker says which factor to transpose
    'X @ (X @ theta - y) / m'
    """
    statement = re.sub(r"^\s*[A-Za-z]\w*\s*=(?!=)", lambda s: " " * len(s.group(0)), text.rstrip().rstrip(";"))
    reader = _Reader(statement, name)
    tokens = [t for t in tokenize(statement, name) if t.kind != "end" or t.text != "\n"]
    parser = _Parser(tokens, reader)
    try:
        node = parser.expression()
    except RecursionError:
        raise ParseError(f"{name}: nested too deeply to read") from None
    if parser.token.kind != "eof":
        raise parser.error(parser.token, f"expected the end of the expression, found {_show(parser.token)}")
    return _ExpressionEmitter(reader, hypothesis).value(node).text


class _ExpressionEmitter:
    def __init__(self, reader: _Reader, hypothesis: str | None):
        self.reader, self.hypothesis = reader, hypothesis

    def error(self, node: Node, message: str) -> ParseError:
        return self.reader.error(node.token.line, node.token.col, message)

    def value(self, node: Node) -> _Value:
        kind = node.kind
        if kind == "num":
            number = float(node.text)
            return _Value(
                str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number), 5, ("1", "1")
            )
        if kind == "paren":
            inner = self.value(node.parts[0])
            return _Value(inner.text, inner.level, inner.shape, inner.transposed)
        if kind == "name":
            return self.name(node)
        if kind == "transpose":
            inner = self.value(node.parts[0])
            if inner.number:
                return inner
            text = inner.transposed or f"{inner.atom()}.T"
            return _Value(text, 5, (inner.shape[1], inner.shape[0]), inner.text if inner.level == 5 else None)
        if kind == "unary" and node.text == "-":
            inner = self.value(node.parts[0])
            return _Value(f"-{self.operand(inner, 3)}", 3, inner.shape)
        if kind == "binary":
            return self.binary(node)
        if kind == "call":
            return self.call(node)
        if kind == "matrix":
            return self.matrix(node)
        raise self.error(node, f"{_show(node.token)} is not read in a gradient expression")

    def name(self, node: Node) -> _Value:
        name = node.text
        if name in _SHAPES:
            shape = _SHAPES[name]
            return _Value(name, 5, shape, f"{name}.T")
        if name in _NUMBERS:
            return _Value(_NUMBERS[name], 5, ("1", "1"))
        if name == "h" and self.hypothesis is not None:
            return _Value(self.hypothesis, 5 if "(" in self.hypothesis else 2, ("m", "1"))
        if name == "h":
            raise self.error(node, "h is not one function of X*theta for this model: write it out")
        known = "X, theta, y, m, n, lambda, alpha" + (", h" if self.hypothesis else "")
        raise self.error(node, f"unknown name '{name}' (known: {known})")

    @staticmethod
    def operand(value: _Value, level: int, right: bool = False) -> str:
        """``value``'s text as an operand at ``level``: in parentheses when it binds less tightly."""
        tight = value.level > level or (value.level == level and not right and level != 4)
        return value.text if tight else f"({value.text})"

    def binary(self, node: Node) -> _Value:
        op = node.text
        a, b = (self.value(p) for p in node.parts)
        if op in ("+", "-", ".*", "./", ".^"):
            shape = self.broadcast(node, a, b)
            python = {"+": "+", "-": "-", ".*": "*", "./": "/", ".^": "**"}[op]
            level = _LEVEL[python]
            return _Value(f"{self.operand(a, level)} {python} {self.operand(b, level, right=True)}", level, shape)
        if op == "*":
            if a.number or b.number:
                shape = b.shape if a.number else a.shape
                return _Value(f"{self.operand(a, 2)} * {self.operand(b, 2, right=True)}", 2, shape)
            # a nonconformant product (X * (h - y)) is read as written: the checker names the transposed factor
            return _Value(f"{self.operand(a, 2)} @ {self.operand(b, 2, right=True)}", 2, (a.shape[0], b.shape[1]))
        if op in ("/", "^") and b.number:
            python = "/" if op == "/" else "**"
            level = _LEVEL[python]
            return _Value(f"{self.operand(a, level)} {python} {self.operand(b, level, right=True)}", level, a.shape)
        raise self.error(
            node, f"'{op}' is not read here: in a gradient write *, .*, ./, .^, + or - (and / by a number)"
        )

    def broadcast(self, node: Node, a: _Value, b: _Value) -> tuple[str, str]:
        shape = []
        for x, y in zip(a.shape, b.shape, strict=True):
            if x != y and "1" not in (x, y):
                raise self.error(
                    node, f"'{node.text}' between a {self.dims(a)} and a {self.dims(b)} value: nonconformant"
                )
            shape.append(y if x == "1" else x)
        return (shape[0], shape[1])

    @staticmethod
    def dims(value: _Value) -> str:
        return "(" + ", ".join({"m": "m", "p": "n+1", "1": "1", "q": "n"}[d] for d in value.shape) + ")"

    def call(self, node: Node) -> _Value:
        head, args = node.parts[0], node.parts[1:]
        if head.kind != "name":
            raise self.error(node, "only a function or theta(…) may be called here")
        name = head.text
        if name == "theta":
            return self.theta_index(node, args)
        if name in _FUNCTIONS and len(args) == 1:
            inner = self.value(args[0])
            return _Value(f"{_FUNCTIONS[name]}({inner.text})", 5, inner.shape)
        if name in ("sum", "mean") and len(args) in (1, 2):
            return self.total(node, name, args)
        if name in ("length", "numel", "rows", "size") and args and args[0].kind == "name":
            return self.extent(node, name, args)
        raise self.error(node, f"{name}(…) is not read in a gradient expression")

    def theta_index(self, node: Node, args: list[Node]) -> _Value:
        if len(args) == 1 and args[0].kind == "num" and args[0].text == "1":
            return _Value("theta[0]", 5, ("1", "1"))
        first = args[0] if len(args) in (1, 2) else None
        rest = args[1:] == [] or (args[1].kind == "colon" or (args[1].kind == "num" and args[1].text == "1"))
        if first is not None and rest and first.kind == "range" and len(first.parts) == 2:
            start, stop = first.parts
            if start.kind == "num" and start.text == "2" and stop.kind == "end":
                return _Value("theta[1:]", 5, ("q", "1"))
        raise self.error(node, "theta is read indexed as theta(1) or theta(2:end) only")

    def total(self, node: Node, name: str, args: list[Node]) -> _Value:
        inner = self.value(args[0])
        if len(args) == 2 and not (args[1].kind == "num" and args[1].text in ("1", "2")):
            raise self.error(args[1], f"{name}(A, dim) takes dim 1 or 2")
        rows, cols = inner.shape
        dim = int(args[1].text) if len(args) == 2 else (2 if rows == "1" else 1)
        function = "np.sum" if name == "sum" else "np.mean"
        if inner.number or (dim == 1 and rows == "1") or (dim == 2 and cols == "1"):
            return inner if inner.number or len(args) == 2 else _Value(f"{function}({inner.text})", 5, ("1", "1"))
        if "1" in inner.shape:  # a vector along its length: a number
            return _Value(f"{function}({inner.text})", 5, ("1", "1"))
        axis = f"{function}({inner.text}, axis={dim - 1})"  # NumPy's 1-D result: read as a column
        if dim == 1:
            return _Value(f"{axis}.T", 5, ("1", cols), axis)
        return _Value(axis, 5, (rows, "1"), f"{axis}.T")

    def extent(self, node: Node, name: str, args: list[Node]) -> _Value:
        shape = self.value(args[0]).shape
        if name == "size" and len(args) == 2 and args[1].kind == "num" and args[1].text in ("1", "2"):
            extent = shape[int(args[1].text) - 1]
        elif name == "rows" or (name in ("length", "numel") and "1" in shape):
            extent = shape[0] if name == "rows" or shape[1] == "1" else shape[1]
        else:
            raise self.error(node, f"{name}(…) is read as length(y), numel(y), rows(X) or size(X, 1)")
        if extent not in _DIMS:
            raise self.error(node, f"{name}(…) of theta(2:end) is not read: write n")
        return _Value(_DIMS[extent], 5, ("1", "1"))

    def matrix(self, node: Node) -> _Value:
        rows = node.parts
        if len(rows) == 2 and len(rows[0]) == 1 and len(rows[1]) == 1:
            first, rest = rows[0][0], self.value(rows[1][0])
            if first.kind == "num" and float(first.text) == 0 and rest.text == "theta[1:]":
                return _Value("np.r_[0, theta[1:]]", 5, ("p", "1"))
        raise self.error(node, "a matrix [ … ] is read as [0; theta(2:end)] only (θ with θ₀ set to 0)")


_RUNTIME: list[str] = []


def _runtime_source() -> str:
    """The helpers' source, inlined in each module; their code is marked as the runtime's, so that a traceback's
    last line in the module is the user's line that called them."""
    if not _RUNTIME:
        parts = [inspect.getsource(_Colon), "_COLON = _Colon()", inspect.getsource(OctaveRuntimeError)]
        parts += [inspect.getsource(f) for f in RUNTIME_FUNCTIONS]
        parts += [f"_{name} = _elementwise(_np.{numpy})" for name, numpy in ELEMENTWISE.items()]
        parts.append(
            "for _fn in [_v for _v in list(globals().values()) if getattr(_v, '__code__', None) is not None]:\n"
            "    _fn.__code__ = _fn.__code__.replace(co_filename='<octave runtime>')\n"
        )
        _RUNTIME.append("\n".join(parts))
    return _RUNTIME[0]


__all__ = [
    "BUILTINS",
    "Translation",
    "looks_like_octave",
    "octave_name",
    "python_name",
    "read_functions",
    "tokenize",
    "translate_expression",
    "translate_file",
    "translate_text",
]
