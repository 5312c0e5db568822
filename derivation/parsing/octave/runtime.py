"""The runtime of a translated Octave module: the helpers that give NumPy Octave's semantics (2-D values, 1-based
indices, ``*`` the matrix product unless a factor is a number, reductions along the first non-singleton dimension),
inlined at the top of each module (:func:`runtime_source`: the child running it needs NumPy only), and the names the
reader knows: Octave's functions, constants and the calls that only print or plot."""

from __future__ import annotations

import inspect

import numpy as _np


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


def _inquire(index, value):
    """The shape Octave gives an empty (0×0) ``a`` in ``a(i, j) = value`` (its ``zero_dims_inquire``): a colon
    takes the next extent of ``value`` (its singleton dimensions dropped), another index its largest entry."""
    first, second = index
    colon = [isinstance(ix, _Colon) for ix in index]
    if all(colon):
        return value.shape

    def extent(ix):
        k = _positions(ix, _m(ix).size, "", grow=True)
        return int(k.max()) + 1 if k.size else 0

    def scalar(ix):
        return not isinstance(ix, _Colon) and _m(ix).size == 1

    if not scalar(first) and not scalar(second):
        return tuple(value.shape[d] if colon[d] else extent(index[d]) for d in (0, 1))
    rest = [d for d in value.shape if d != 1] + [1, 1]
    shape, k = [], 0
    for d in (0, 1):
        if colon[d]:
            shape.append(rest[k])
            k += 1
        else:
            shape.append(extent(index[d]))
            k += 0 if scalar(index[d]) else 1
    return tuple(shape)


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
        if a.shape == (0, 0):  # W(:, j) = v on an empty or unset W: its colons take v's extents (Octave's rule)
            a = _np.zeros(_inquire(index, value), dtype=a.dtype)
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
    _positions, _index, _inquire, _assign, _cat, _dim, _sum, _sumsq, _prod, _mean, _std, _extreme, _max, _min, _size,
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
COMMANDS = {"hold", "format", "more", "clc", "close", "clear", "pkg", "warning", "figure", "grid", "axis"}


_RUNTIME: list[str] = []


def runtime_source() -> str:
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
