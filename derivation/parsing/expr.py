"""A safe reader for Python-syntax math: an ``ast`` whitelist, never ``eval``.

``sympify`` and SymPy's ``parse_expr`` run the text they are given and hang on
``9**9**9**9``.  Here the text is parsed by :func:`ast.parse` only, and a walker
builds SymPy objects from an explicit whitelist of nodes; everything else is a
:class:`~derivation.parsing.errors.ParseError` pointing at the node.  Sizes are
bounded before anything is computed: text length, tree depth, integer literals,
exponents and the bits of any number the input could make.

Semantics follow NumPy, so a gradient typed as code means what NumPy would
compute: ``@`` is the matrix product, ``*`` between two matrices is the
element-wise (Hadamard) product, ``**`` on a matrix is element-wise, functions
of a matrix apply element-wise, a scalar added to a matrix is broadcast
(``c + M`` → ``c·𝟙 + M``), ``sum(M)`` adds every entry and ``M.T`` transposes.

NumPy's spellings of the ML functions read as the registered functions: ``max(0, u)``, ``np.maximum(u, 0)``
→ ReLU(u) (``max(c, u)`` = c + ReLU(u − c); a max of two varying terms is refused), ``np.logaddexp(0, u)``
and ``np.log1p(np.exp(u))`` → softplus(u), ``abs``/``np.abs``/``np.absolute`` → |u|, ``sign``/``np.sign``
→ sign(u), and a comparison as the indicator where NumPy makes it a number: ``(u > 0)*1.0``,
``(u > 0).astype(float)``, ``np.where(u > 0, a, b)``, ``np.heaviside(u, 0)`` → 1[u > 0] (a strict > or <
is read as step, ≥ and ≤ as its complement: 1[u ≥ 0] = 1 − 1[−u > 0]).

Costs as NumPy code writes them: ``np.mean(M)`` (the sum of the entries over their number), ``np.square``,
``np.dot(a, b)`` and ``a.dot(b)`` (``@``), ``np.linalg.norm(v)`` (√(vᵀv), a 1×1 matrix), ``X[i]`` (row i, as a
column like θ), ``theta[1:]`` (θ without θ₀), ``sum(f(i) for i in range(m))`` (Σ_{i=0}^{m−1}); a 1×1 matrix
where a number is expected is its one entry; with ``numpy_vectors`` a vector is a 1-D array in ``@``.
"""

from __future__ import annotations

import ast
import math
import re
import warnings
from collections.abc import Mapping

import sympy as sp
from sympy.matrices.expressions.diagonal import DiagMatrix, DiagonalOf
from sympy.matrices.expressions.matexpr import MatrixElement
from sympy.matrices.expressions.slice import MatrixSlice

from ..core.functions import logcosh, normal_cdf, normal_pdf, relu, sigmoid, softplus, step
from ..core.functions.softmax import Softmax
from ..core.notation import E0, K, elementwise, i, j, k, l, m
from .bounds import (
    MAX_CALL_NESTING,
    MAX_CONSTANT_NESTING,
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_INT,
    MAX_LENGTH,
    check_power,
    check_text,
    function_nesting,
    same_dim,
    shape_text,
    too_deep,
    too_many_terms,
)
from .errors import ParseError, cannot_build
from .names import ELEMENTWISE, FUNCTIONS, NUMPY_FUNCTIONS, SPECIAL, default_names, guess_kind
from .pysource import parse_python
from .values import above_floor, indicator, transposed_product

_INDICES = {"i": i, "j": j, "k": k, "l": l}  # the notation's index letters, as a loop variable of a sum
_REJECTED = {
    "Lambda": "lambda is not allowed",
    "ListComp": "comprehensions are not allowed",
    "SetComp": "comprehensions are not allowed",
    "DictComp": "comprehensions are not allowed",
    "GeneratorExp": "comprehensions are not allowed",
    "BoolOp": "'and'/'or' are not allowed",
    "IfExp": "conditional expressions are not allowed",
    "JoinedStr": "f-strings are not allowed",
    "NamedExpr": "':=' is not allowed",
    "Starred": "'*' unpacking is not allowed",
    "List": "lists are not allowed",
    "Set": "sets are not allowed",
    "Dict": "dicts are not allowed",
    "Tuple": "tuples are only allowed as Sum limits (i, lo, hi)",
    "Slice": "slices are not allowed",
    "Await": "await is not allowed",
    "Yield": "yield is not allowed",
    "YieldFrom": "yield is not allowed",
}


def read_expr(
    text: str,
    names: Mapping[str, object] | None = None,
    *,
    allow_new_symbols: bool = False,
    max_int: int = MAX_INT,
    max_exponent: int = MAX_EXPONENT,
    max_length: int = MAX_LENGTH,
    max_depth: int = MAX_DEPTH,
    transposed: list[sp.MatrixExpr] | None = None,
    numpy_vectors: bool = False,
) -> sp.Basic:
    """Read Python-syntax math into SymPy without executing it.

    ``names`` maps names to SymPy objects (or SymPy function classes, which may
    then be called); None picks :func:`matrix_names` or :func:`index_names`
    by :func:`guess_kind`.  With ``allow_new_symbols`` an unknown simple name,
    or an indexed name used without a subscript, becomes a real Symbol.  With a
    ``transposed`` list, ``A @ B`` whose shapes match only with one factor transposed
    is read so, and that factor is appended to the list (the checker's fault "transposed").  With
    ``numpy_vectors`` a vector is a 1-D array, as in NumPy code: ``theta @ theta`` is θᵀθ (a cost's penalty).

    >>> read_expr("1/m * X.T @ (sigmoid(X @ theta) - y)")
    1/m*X.T*(Lambda(u, sigmoid(u)).(X*theta) - y)
    >>> read_expr("Sum((sigmoid(Sum(theta[k]*X[i,k], (k, 0, n))) - y[i])*X[i, j], (i, 0, m-1))/m")
    Sum((sigmoid(Sum(theta[k]*x[i, k], (k, 0, n))) - y[i])*x[i, j], (i, 0, m - 1))/m
    >>> read_expr("log(1 + exp(-y*w*x))", {}, allow_new_symbols=True)
    log(1 + exp(-w*x*y))
    >>> read_expr("9**9**9**9")
    Traceback (most recent call last):
    ...
    derivation.parsing.errors.ParseError: col 6: exponent 387420489 is too large (limit 100)
    """
    check_text(text, max_length)
    if names is None:
        names = default_names(guess_kind(text))
    shift = len(text) - len(text.lstrip())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. SyntaxWarning: invalid decimal literal
            tree = parse_python(text[shift:], mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(exc, text, shift) from None
    except (RecursionError, MemoryError, ValueError, OverflowError):
        raise ParseError("input too deeply nested or too complex", 0, text) from None
    builder = _Builder(text, shift, names, allow_new_symbols, max_int, max_exponent)
    builder.transposed = transposed
    builder.vectors = numpy_vectors
    builder.check_depth(tree.body, max_depth)
    return builder.build(tree.body)


def read_expr_auto(text: str, *, allow_new_symbols: bool = False) -> sp.Basic:
    """:func:`read_expr` with the name table :func:`guess_kind` picks.

    >>> read_expr_auto("sum(y)")
    1*y
    >>> read_expr_auto("x[i, j] * theta[j]")
    theta[j]*x[i, j]
    """
    return read_expr(text, default_names(guess_kind(text)), allow_new_symbols=allow_new_symbols)


def one_based(expr: sp.Basic) -> sp.Basic:
    """Python syntax's sums over all the examples (i, 0, m−1) and all the classes (·, 0, K−1), as arrays number them,
    counted 1..m and 1..K as the sum form counts them: the same sums, renumbered.

    >>> one_based(read_expr("Sum(Sum(y[i, k]*W[j, k], (k, 0, K-1)), (i, 0, m-1))"))
    Sum(y[i, k]*W[j, k], (k, 1, K), (i, 1, m))
    """

    def renumbered(limit: tuple) -> tuple:
        var, lo, hi = limit
        if lo == 0 and (hi == K - 1 or (var == i and hi == m - 1)):
            return var, 1, hi + 1
        return limit

    return expr.replace(
        lambda e: isinstance(e, sp.Sum) and any(renumbered(lim) != lim for lim in e.limits),
        lambda e: sp.Sum(e.function, *(renumbered(lim) for lim in e.limits)),
    )


def _syntax_error(exc: SyntaxError, text: str, shift: int) -> ParseError:
    message = exc.msg or "invalid syntax"
    if message.startswith("invalid syntax"):
        message = "invalid syntax"
    elif "integer string conversion" in message:
        message = "integer too large"
    line = (exc.lineno or 1) - 1
    col = max((exc.offset or 1) - 1, 0)
    lines = text[shift:].split("\n")
    position = shift + sum(len(s) + 1 for s in lines[:line]) + col
    if message == "invalid syntax" and not exc.offset:  # Python says "col 0" when the text stops too soon
        dangling = _DANGLING.search(text)
        if dangling is not None:
            op = dangling.group(1)
            return ParseError(
                f"'{op}' at the end has nothing after it: complete the formula or remove it", dangling.start(1), text
            )
        return ParseError("the formula stops too soon: something is missing at the end", len(text.rstrip()), text)
    if message.endswith("was never closed"):
        message += ": close it with " + {"(": "')'", "[": "']'", "{": "'}'"}.get(message[1], "its pair")
    return ParseError(message, min(position, len(text)), text)


_DANGLING = re.compile(r"(\*\*|//|[-+*/@%^,.=<>&|])\s*$")  # an operator with nothing after it


def _is_matrix(value: object) -> bool:
    return isinstance(value, sp.MatrixExpr)


class _Builder:
    def __init__(self, text, shift, names, allow_new_symbols, max_int, max_exponent):
        self.text = text
        self.shift = shift
        self.names = names
        self.allow_new = allow_new_symbols
        self.max_int = max_int
        self.max_exponent = max_exponent
        self.scopes: list[dict[str, sp.Symbol]] = []
        self.calls = 0  # function calls open around the node being built
        self.transposed: list[sp.MatrixExpr] | None = None
        self.vectors = False  # vectors as NumPy's 1-D arrays in '@' (read_expr's numpy_vectors)
        self.line_starts = [0]
        for index, char in enumerate(text[shift:]):
            if char == "\n":
                self.line_starts.append(index + 1)

    # --- errors and positions ------------------------------------------------------------
    def position(self, node: ast.AST, col: int | None = None) -> int:
        line = getattr(node, "lineno", 1) - 1
        col = getattr(node, "col_offset", 0) if col is None else col
        start = self.line_starts[min(line, len(self.line_starts) - 1)]
        body = self.text[self.shift :]
        end = body.find("\n", start)
        source_line = body[start : end if end >= 0 else len(body)]
        chars = len(source_line.encode("utf-8")[:col].decode("utf-8", errors="ignore"))
        return self.shift + start + chars

    def fail(self, node: ast.AST, message: str, col: int | None = None) -> ParseError:
        return ParseError(message, self.position(node, col), self.text)

    def check_depth(self, root: ast.AST, limit: int) -> None:
        many = too_many_terms(root)  # before the depth: a long flat sum is deep only in Python's tree
        if many is not None:
            raise self.fail(*many)
        deep = too_deep(root, ast.iter_child_nodes, limit)
        if deep is not None:
            raise self.fail(deep, f"expression nested too deeply (limit {limit})")

    # --- the walk ------------------------------------------------------------------------
    def build(self, node: ast.AST) -> sp.Basic:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            message = _REJECTED.get(type(node).__name__, f"{type(node).__name__} is not allowed")
            raise self.fail(node, message)
        try:
            return method(node)
        except ParseError:
            raise
        except (ArithmeticError, TypeError, ValueError, NotImplementedError, IndexError, AttributeError) as exc:
            raise self.fail(node, cannot_build("this expression", exc)) from None

    def scalar(self, node: ast.AST, what: str = "a number") -> sp.Expr:
        value = self.build(node)
        if _is_matrix(value) and value.shape == (1, 1):  # theta.T @ x[i]: a number, its one entry
            return MatrixElement(value, 0, 0)
        if _is_matrix(value):
            raise self.fail(node, f"expected {what}, got a {shape_text(value)} matrix")
        if not isinstance(value, sp.Expr) or isinstance(value, sp.IndexedBase):
            raise self.fail(node, f"expected {what}")
        return value

    def _Expression(self, node: ast.Expression) -> sp.Basic:
        return self.build(node.body)

    def _Constant(self, node: ast.Constant) -> sp.Basic:
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            raise self.fail(node, f"{value!r} is not allowed")
        if isinstance(value, (str, bytes)):
            raise self.fail(node, "strings are not allowed")
        if isinstance(value, complex):
            raise self.fail(node, "complex numbers are not allowed")
        if isinstance(value, int):
            if abs(value) > self.max_int:
                raise self.fail(node, f"integer too large (limit {self.max_int})")
            return sp.Integer(value)
        if isinstance(value, float):
            if not math.isfinite(value) or abs(value) > self.max_int:
                raise self.fail(node, f"number too large (limit {self.max_int})")
            return sp.Rational(repr(value))
        raise self.fail(node, f"{type(value).__name__} constants are not allowed")

    def _Name(self, node: ast.Name) -> sp.Basic:
        name = node.id
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        if name in self.names:
            value = self.names[name]
            if isinstance(value, sp.IndexedBase):
                if self.allow_new:
                    return sp.Symbol(name, real=True)
                raise self.fail(node, f"'{name}' is indexed: write {name}[...]")
            if isinstance(value, sp.FunctionClass):
                raise self.fail(node, f"'{name}' is a function: call it")
            return value
        if name in FUNCTIONS or name in ELEMENTWISE:
            raise self.fail(node, f"'{name}' is a function: call it")
        if self.allow_new and not name.startswith("_"):
            return sp.Symbol(name, real=True)
        raise self.fail(node, f"unknown name '{name}' (known: {self.known()})")

    def known(self) -> str:
        return ", ".join([*self.names, *(f for f in FUNCTIONS if f not in self.names)])

    def _UnaryOp(self, node: ast.UnaryOp) -> sp.Basic:
        if isinstance(node.op, ast.USub):
            return -self.build(node.operand)
        if isinstance(node.op, ast.UAdd):
            return self.build(node.operand)
        raise self.fail(node, f"operator {type(node.op).__name__} is not allowed")

    def _BinOp(self, node: ast.BinOp) -> sp.Basic:
        op = type(node.op).__name__
        if op not in ("Add", "Sub", "Mult", "Div", "Pow", "MatMult"):
            raise self.fail(node, f"operator {op} is not allowed")
        left = self.factor(node.left, op)
        if op == "Pow":
            return self.power(node, left, self.build(node.right))
        right = self.factor(node.right, op)
        for value, child in ((left, node.left), (right, node.right)):
            if not isinstance(value, sp.Expr) or isinstance(value, sp.IndexedBase):
                raise self.fail(child, "expected a number or a matrix here")
        if op in ("Add", "Sub"):
            return self.add(node, left, right if op == "Add" else -right)
        if op in ("Mult", "Div"):  # np.linalg.norm(v), r.T @ r: 1×1, a number beside a matrix (not in '@')
            left, right = _number_of(left, right), _number_of(right, left)
        if op == "Div":
            if _is_matrix(right):  # element-wise, as in NumPy: 1/(1 + exp(-X @ theta))
                reciprocal = sp.HadamardPower(right, -1)
                if _is_matrix(left):
                    self.same_shape(node, left, right, "/")
                    return sp.HadamardProduct(left, reciprocal)
                return left * reciprocal
            if right.is_zero:
                raise self.fail(node.right, "division by zero")
            return left / right
        if op == "MatMult":
            if not (_is_matrix(left) and _is_matrix(right)):
                raise self.fail(node, "'@' needs two matrices; use '*' with a number")
            return self.product(node, left, right, "'@'")
        if _is_matrix(left) and _is_matrix(right):  # '*' of two matrices: element-wise, as in NumPy
            left, right = _broadcast(left, right, (not _made_column(node.left), not _made_column(node.right)))
            self.same_shape(node, left, right, "*")
            return sp.HadamardProduct(left, right)
        return left * right

    def factor(self, node: ast.AST, op: str) -> sp.Basic:
        """An operand of ``op``; a comparison multiplied is the indicator NumPy makes of it: (u > 0)*1.0."""
        return self.indicator(node) if op == "Mult" and isinstance(node, ast.Compare) else self.build(node)

    def _Compare(self, node: ast.Compare) -> sp.Basic:
        raise self.fail(node, "a comparison is read as the indicator 1[u > 0] only as a number: write (u > 0)*1.0")

    def indicator(self, node: ast.AST) -> sp.Basic:
        """1[u > 0] for ``u > 0`` (``a < b`` is 1[b − a > 0], ``u >= 0`` is 1 − 1[−u > 0]); by entry for a matrix."""
        if not isinstance(node, ast.Compare):
            raise self.fail(node, "expected a comparison such as u > 0 here")
        if len(node.ops) != 1:
            raise self.fail(node, "one comparison at a time: (a < b) * (b < c)")
        op = type(node.ops[0]).__name__
        if op not in ("Gt", "Lt", "GtE", "LtE"):
            raise self.fail(node, f"a comparison {op} is not read: the indicator is written (u > 0)*1.0")
        left, right = self.build(node.left), self.build(node.comparators[0])
        for value, child in ((left, node.left), (right, node.comparators[0])):
            if not isinstance(value, sp.Expr) or isinstance(value, sp.IndexedBase):
                raise self.fail(child, "expected a number or a matrix here")
        gap = self.add(node, left, -right) if op in ("Gt", "GtE") else self.add(node, right, -left)
        return indicator(gap, strict=op in ("Gt", "Lt"))  # 1[u ≥ 0] = 1 − 1[−u > 0], exactly

    def same_shape(self, node: ast.AST, left: sp.MatrixExpr, right: sp.MatrixExpr, op: str) -> None:
        if not (same_dim(left.rows, right.rows) and same_dim(left.cols, right.cols)):
            raise self.fail(node, f"shapes do not match for '{op}': {shape_text(left)} and {shape_text(right)}")

    def add(self, node: ast.AST, left: sp.Expr, right: sp.Expr) -> sp.Expr:
        if _is_matrix(left) and _is_matrix(right):
            self.same_shape(node, left, right, "+" if isinstance(node.op, ast.Add) else "-")
            return left + right
        if _is_matrix(left):
            return left + right * sp.OneMatrix(*left.shape)
        if _is_matrix(right):
            return left * sp.OneMatrix(*right.shape) + right
        return left + right

    def power(self, node: ast.BinOp, base: sp.Basic, exponent: sp.Basic) -> sp.Basic:
        if _is_matrix(exponent) or not isinstance(exponent, sp.Expr):
            raise self.fail(node.right, "the exponent must be a number or a symbol")
        reason = check_power(base, exponent, self.max_exponent)
        if reason:
            raise self.fail(node.right, reason)
        if _is_matrix(base):
            return sp.HadamardPower(base, exponent)
        if not isinstance(base, sp.Expr) or isinstance(base, sp.IndexedBase):
            raise self.fail(node.left, "expected a number here")
        if base.is_zero and exponent.is_negative:
            raise self.fail(node, "division by zero")
        return base**exponent

    def _Attribute(self, node: ast.Attribute) -> sp.Basic:
        attr_col = node.end_col_offset - len(node.attr) if node.end_col_offset is not None else None
        if node.attr == "size":  # y.size: the number of entries (m for y)
            value = self.build(node.value)
            if not _is_matrix(value):
                raise self.fail(node, "'.size' needs an array", attr_col)
            return value.rows * value.cols
        if node.attr != "T":
            raise self.fail(node, f"attribute '.{node.attr}' is not allowed (read: {_READ})", attr_col)
        value = self.build(node.value)
        if not _is_matrix(value):
            raise self.fail(node, "'.T' needs a matrix", attr_col)
        return value.T

    def _Subscript(self, node: ast.Subscript) -> sp.Basic:
        if isinstance(node.value, ast.Attribute) and node.value.attr == "shape":  # X.shape[0]: m, X.shape[1]: n + 1
            return self.shape(node)
        if _is_numpy_attr(node.value, "r_"):  # np.r_[0, theta[1:]]: θ with θ₀ replaced by 0
            parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            return self.zero_first(node, parts)
        if _is_column_index(node.slice):  # v[:, None], v[:, np.newaxis]: a 1-D array as a column, which it is here
            return self.column(node, self.build(node.value))
        if _is_row_index(node.slice):  # v[None, :]: a 1-D array as a row (Octave's sum(M) is one, read as such)
            return self.column(node, self.build(node.value)).T
        if not isinstance(node.value, ast.Name) or node.value.id not in self.names:
            raise self.fail(node, "only names from the table can be subscripted")
        base = self.names[node.value.id]
        if isinstance(node.slice, ast.Slice):
            return self.sliced(node, base)
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        indices = [self.scalar(part, "an index") for part in parts]
        if isinstance(base, sp.IndexedBase):
            return base[tuple(indices)] if len(indices) > 1 else base[indices[0]]
        if isinstance(base, sp.MatrixSymbol):
            if len(indices) == 2:
                return base[indices[0], indices[1]]
            if len(indices) == 1 and base.cols == 1:
                return base[indices[0], 0]
            if len(indices) == 1 and base.rows == 1:
                return base[0, indices[0]]
            if len(indices) == 1:  # X[i]: row i, a 1-D array in NumPy, a column here as θ is
                return base[indices[0], :].T
            raise self.fail(node, f"'{node.value.id}' is a {shape_text(base)} matrix: give two indices")
        raise self.fail(node, f"'{node.value.id}' cannot be subscripted")

    def shape(self, node: ast.Subscript) -> sp.Expr:
        """``X.shape[0]`` (m) and ``X.shape[1]`` (n + 1)."""
        value = self.build(node.value.value)
        axis = node.slice.value if isinstance(node.slice, ast.Constant) else None
        if not _is_matrix(value) or axis not in (0, 1, -1):
            raise self.fail(node, "'.shape' is read as A.shape[0] or A.shape[1] of an array")
        return value.rows if axis == 0 else value.cols

    def column(self, node: ast.AST, value: sp.Basic) -> sp.MatrixExpr:
        """A vector made a column (``v[:, None]``, ``v.reshape(-1, 1)``, ``v.ravel()``): vectors are columns here."""
        if not _is_matrix(value) or 1 not in value.shape:
            raise self.fail(node, "a reshape is read on a vector only: v[:, None], v.reshape(-1, 1)")
        return value if value.cols == 1 else value.T

    def zero_first(self, node: ast.AST, parts: list[ast.AST]) -> sp.MatrixExpr:
        """``[0, theta[1:]]`` joined (np.r_, np.concatenate, np.hstack, np.append): θ with its first entry 0."""
        if len(parts) == 2 and isinstance(parts[0], ast.List) and len(parts[0].elts) == 1:
            parts = [parts[0].elts[0], parts[1]]  # np.concatenate(([0], theta[1:]))
        rest = parts[1] if len(parts) == 2 else None
        spelled = "np.r_[0, theta[1:]]"
        if rest is not None and isinstance(parts[0], ast.Constant) and parts[0].value == 0 and _is_ones_call(rest):
            ones = self.build(rest)  # np.r_[0, np.ones(n)]: 𝟏 − e₀, the penalty's mask that spares θ₀
            if not (isinstance(ones, sp.OneMatrix) and same_dim(ones.rows + 1, E0.rows)):
                raise self.fail(node, "np.r_[0, np.ones(k)] is read as θ's mask, k = len(theta) - 1")
            return sp.OneMatrix(E0.rows, 1) - E0
        if (
            rest is None
            or not (isinstance(parts[0], ast.Constant) and parts[0].value == 0)
            or not (isinstance(rest, ast.Subscript) and isinstance(rest.slice, ast.Slice))
        ):
            raise self.fail(node, f"a vector joined from parts is read as {spelled} (θ with θ₀ set to 0)")
        tail = self.build(rest)
        if not (isinstance(tail, MatrixSlice) and tail.rowslice[0] == 1 and tail.parent.cols == 1):
            raise self.fail(node, f"a vector joined from parts is read as {spelled} (θ with θ₀ set to 0)")
        vector = tail.parent
        if vector.rows != E0.rows:
            raise self.fail(node, f"{spelled} is read for θ (its first entry the bias θ₀)")
        return vector - E0 * (E0.T * vector)

    def sliced(self, node: ast.Subscript, base: sp.Basic) -> sp.Basic:
        """``theta[1:]``: the entries of a vector from a fixed one on (the weights after the bias)."""
        part = node.slice
        start = self.scalar(part.lower, "a start") if part.lower is not None else sp.S.Zero
        vector = isinstance(base, sp.MatrixSymbol) and base.cols == 1
        if not vector or part.upper or part.step or not start.is_Integer:
            raise self.fail(node, "slices are not allowed, except v[1:] on a vector (theta[1:]: θ without θ₀)")
        return base[start:, :]

    # --- calls ---------------------------------------------------------------------------
    def _Call(self, node: ast.Call) -> sp.Basic:
        if self.calls >= MAX_CALL_NESTING:
            raise self.fail(node, f"functions nested over {MAX_CALL_NESTING} deep: name an inner part and use the name")
        self.calls += 1
        try:
            value = self._call(node)
        finally:
            self.calls -= 1
        if isinstance(value, sp.Expr) and not value.free_symbols and function_nesting(value) >= MAX_CONSTANT_NESTING:
            raise self.fail(node, f"functions of a number nested over {MAX_CONSTANT_NESTING} deep: write the number")
        return value

    def _call(self, node: ast.Call) -> sp.Basic:
        if _spelled_softmax(node.func):
            return self.softmax(node)
        if _is_numpy_attr(node.func, "einsum"):
            return self.einsum(node)
        axis = self.axis(node)
        if axis is not None:
            return self.along(node, axis)
        if node.keywords:
            raise self.fail(node.keywords[0], "keyword arguments are not allowed")
        if _reduction_method(node) and not node.args:  # M.sum(), M.mean(): every entry, as np.sum(M)
            return self.total(self.build(node.func.value), node.func.attr)
        if isinstance(node.func, ast.Name) and node.func.id == "len" and len(node.args) == 1:
            return self.bound(node)  # len(y): m, len(theta): n + 1
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("reshape", "ravel", "flatten"):
            if node.func.attr == "reshape" and not _is_column_shape(node.args):
                raise self.fail(node, "'.reshape' is read as v.reshape(-1, 1) or v.reshape(-1): a vector")
            return self.column(node, self.build(node.func.value))
        if any(_is_numpy_attr(node.func, name) for name in ("concatenate", "hstack", "append")):
            joined = len(node.args) == 1 and isinstance(node.args[0], (ast.Tuple, ast.List))
            parts = node.args[0].elts if joined else node.args
            return self.zero_first(node, list(parts))
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail(arg, "'*' unpacking is not allowed")
        if isinstance(node.func, ast.Attribute) and node.func.attr == "astype":
            return self.astype(node)
        if _is_numpy_attr(node.func, "transpose") or (  # np.transpose(X), X.transpose(): X.T
            isinstance(node.func, ast.Attribute) and node.func.attr == "transpose" and not node.args
        ):
            if len(node.args) != 1 and _is_numpy_attr(node.func, "transpose"):
                raise self.fail(node, "np.transpose() is read with one argument, a matrix (no axes)")
            value = self.build(node.args[0]) if node.args else self.build(node.func.value)
            if not _is_matrix(value):
                raise self.fail(node, "transpose needs a matrix")
            return value.T
        if isinstance(node.func, ast.Attribute) and node.func.attr == "dot" and not _is_numpy(node.func.value):
            return self.matmul(node, self.build(node.func.value), self.one_argument(node, "dot"))  # X.dot(theta)
        if _spelled_norm(node.func):
            return self.norm(node)
        if _is_numpy_attr(node.func, "clip") or (
            isinstance(node.func, ast.Attribute) and node.func.attr == "clip" and not _is_numpy(node.func.value)
        ):
            return self.clip(node)
        if _is_numpy_attr(node.func, "eye") or _is_numpy_attr(node.func, "identity"):
            if len(node.args) != 1:
                raise self.fail(node, "np.eye() is read with one argument, its size: np.eye(X.shape[1])")
            return sp.Identity(self.bound(node.args[0]))
        if _is_numpy_attr(node.func, "diag"):
            return self.diag(node)
        if _is_ones_call(node):
            if len(node.args) != 1:
                raise self.fail(node, "np.ones() is read with one argument, a vector's length: np.ones(len(theta) - 1)")
            return sp.OneMatrix(self.bound(node.args[0]), 1)
        if isinstance(node.func, ast.Attribute) and ast.unparse(node.func.value) in (*_NORMAL, *_SCIPY_SPECIAL):
            return self.scipy(node)
        name = self.function_name(node.func)
        if isinstance(name, sp.FunctionClass):
            args = [self.scalar(arg, "a number") for arg in node.args]
            if name.nargs is not None and len(args) not in name.nargs:
                raise self.fail(node, f"{name.__name__}() takes {_count(name.nargs)} argument(s)")
            return name(*args)
        if name == "Sum":
            return self.sum_limits(node)
        if name in SPECIAL:
            return self.special(name, node)
        if name in ("dot", "matmul"):
            if len(node.args) != 2:
                raise self.fail(node, f"np.{name}() takes two arguments")
            left, right = self.build(node.args[0]), self.build(node.args[1])
            if name == "matmul" and not (_is_matrix(left) and _is_matrix(right)):
                raise self.fail(node, "np.matmul() needs two arrays; use '*' with a number")
            return self.matmul(node, left, right)
        if name == "sum" and len(node.args) == 1 and isinstance(node.args[0], ast.GeneratorExp):
            return self.generator_sum(node.args[0])
        if len(node.args) != 1:
            raise self.fail(node, f"{name}() takes exactly one argument")
        arg = self.build(node.args[0])
        if not isinstance(arg, sp.Expr) or isinstance(arg, sp.IndexedBase):
            raise self.fail(node.args[0], f"{name}() needs a number or a matrix")
        if name in ("sum", "mean"):
            return self.total(arg, name)
        if name == "square":
            return sp.HadamardPower(arg, 2) if _is_matrix(arg) else arg**2
        function = ELEMENTWISE[name]
        if name == "log" and isinstance(arg, sp.cosh):  # np.log(np.cosh(u)): log-cosh, as the registry has it
            return logcosh(arg.args[0])
        if name == "log" and _is_matrix(arg) and getattr(arg, "function", None) == elementwise(sp.cosh, arg).function:
            return elementwise(logcosh, arg.expr)
        if name == "log1p" and isinstance(arg, sp.exp):  # np.log1p(np.exp(u)): softplus, as the registry has it
            return softplus(arg.args[0])
        if name == "log1p" and _is_matrix(arg) and getattr(arg, "function", None) == elementwise(sp.exp, arg).function:
            return elementwise(softplus, arg.expr)  # np.log1p(np.exp(X @ theta)), entry by entry
        if _is_matrix(arg):
            return elementwise(function, arg)
        if name == "log" and arg.is_zero:
            raise self.fail(node.args[0], "log(0) is not finite")
        return function(arg)

    def total(self, arg: sp.Basic, name: str) -> sp.Basic:
        """np.sum(M) (every entry added) or np.mean(M) (over their number); a number is its own sum."""
        if not _is_matrix(arg):
            return arg
        total = sp.OneMatrix(1, arg.rows) * arg
        total = total if arg.cols == 1 else total * sp.OneMatrix(arg.cols, 1)
        return total if name == "sum" else total / (arg.rows * arg.cols)

    def softmax(self, node: ast.Call) -> sp.MatrixExpr:
        """softmax(X @ W) (also scipy.special.softmax(…, axis=1)): each row of scores made probabilities."""
        rows = [k for k in node.keywords if not (k.arg == "axis" and ast.unparse(k.value) in ("1", "-1"))]
        if len(node.args) != 1 or rows:
            raise self.fail(node, "softmax is read as softmax(X @ W): one matrix of scores, normalised along each row")
        scores = self.build(node.args[0])
        if not _is_matrix(scores):
            raise self.fail(node.args[0], "softmax needs a matrix of scores: softmax(X @ W)")
        return Softmax(scores)

    def axis(self, node: ast.Call) -> int | None:
        """The axis of ``np.sum(M, axis=0)``, ``np.mean(M, axis=1)`` or ``M.sum(axis=0)``; None without one."""
        if len(node.keywords) != 1 or node.keywords[0].arg != "axis":
            return None
        numpy = _is_numpy(getattr(node.func, "value", None))
        name = node.func.attr if numpy or _reduction_method(node) else None
        value = node.keywords[0].value
        if name not in ("sum", "mean") or len(node.args) != (1 if numpy else 0) or not isinstance(value, ast.Constant):
            raise self.fail(
                node.keywords[0], "axis= is read in np.sum(M, axis=0), np.mean(M, axis=0) and M.sum(axis=0) (or 1)"
            )
        if value.value not in (0, 1):
            raise self.fail(node.keywords[0], "axis is 0 (down the rows) or 1 (along each row)")
        return value.value

    def along(self, node: ast.Call, axis: int) -> sp.MatrixExpr:
        """np.sum(M, axis=0): the column sums, np.sum(M, axis=1): the row sums (np.mean divides), as a 1-D vector."""
        value = self.build(node.args[0] if node.args else node.func.value)
        if not _is_matrix(value):
            raise self.fail(node.args[0], "axis= needs an array")
        if axis == 0:
            total, count = value.T * sp.OneMatrix(value.rows, 1), value.rows
        else:
            total, count = value * sp.OneMatrix(value.cols, 1), value.cols
        return total if node.func.attr == "sum" else total / count

    def one_argument(self, node: ast.Call, name: str) -> sp.Basic:
        if len(node.args) != 1:
            raise self.fail(node, f".{name}() takes exactly one argument")
        return self.build(node.args[0])

    def matmul(self, node: ast.AST, left: sp.Basic, right: sp.Basic) -> sp.Basic:
        """np.dot(a, b) and a.dot(b): '@' for arrays, '*' when one is a number."""
        if not (_is_matrix(left) and _is_matrix(right)):
            if not (isinstance(left, sp.Expr) and isinstance(right, sp.Expr)):
                raise self.fail(node, "dot() needs numbers or matrices")
            return left * right
        return self.product(node, left, right, "dot")

    def product(self, node: ast.AST, left: sp.MatrixExpr, right: sp.MatrixExpr, op: str) -> sp.MatrixExpr:
        """``left @ right`` (or ``left.dot(right)``): 1-D vectors as NumPy reads them, or a transpose the text wrote."""
        if same_dim(left.cols, right.rows):
            return left * right
        vectors = _vector_product(left, right) if self.vectors else None
        if vectors is not None:
            return vectors
        found = transposed_product(left, right, self.transposed) if self.transposed is not None else None
        if found is None:
            raise self.fail(node, f"shapes do not match for {op}: {shape_text(left)} and {shape_text(right)}")
        return found

    def norm(self, node: ast.Call) -> sp.Basic:
        """np.linalg.norm(v): the Euclidean length √(vᵀv) of a vector (its square is vᵀv)."""
        v = self.one_argument(node, "norm")
        if not _is_matrix(v) or (v.cols != 1 and v.rows != 1):
            raise self.fail(node, "np.linalg.norm is read for a vector: np.linalg.norm(X @ theta - y)")
        column = v if v.cols == 1 else v.T
        return sp.HadamardPower(column.T * column, sp.Rational(1, 2))

    def diag(self, node: ast.Call) -> sp.MatrixExpr:
        """np.diag(v): the diagonal matrix of a vector; np.diag(M): the diagonal of a square matrix, a vector."""
        value = self.one_argument(node, "diag")
        if not _is_matrix(value):
            raise self.fail(node, "np.diag() needs a vector (or a square matrix): np.diag(p * (1 - p))")
        if 1 in value.shape:
            return DiagMatrix(value if value.cols == 1 else value.T)
        if not same_dim(value.rows, value.cols):
            raise self.fail(node, f"np.diag() of a {shape_text(value)} matrix: it is read on a square one")
        return DiagonalOf(value)

    def scipy(self, node: ast.Call) -> sp.Basic:
        """scipy.special.expit(u) (ndtr, log_expit, log_ndtr) and scipy.stats.norm.pdf(u) (cdf, sf = 1 − cdf,
        logpdf, logcdf) of the standard normal: the registered σ, Φ and φ, entry by entry on a matrix."""
        spelled = ast.get_source_segment(self.text[self.shift :], node.func) or node.func.attr
        home = ast.unparse(node.func.value)
        parts = _NORMAL_PARTS if home in _NORMAL else _SPECIAL_PARTS
        if node.func.attr not in parts:
            read = ", ".join(f"{home}.{name}" for name in parts)
            raise self.fail(node, f"{spelled} is not read: {read} are")
        if len(node.args) != 1 or node.keywords:
            raise self.fail(
                node, f"{spelled}() is read with one argument (the standard normal's): {spelled}(X @ theta)"
            )
        u = self.build(node.args[0])
        if not isinstance(u, sp.Expr) or isinstance(u, sp.IndexedBase):
            raise self.fail(node.args[0], f"{spelled}() needs a number or a matrix")
        function = parts[node.func.attr]
        return elementwise(function, u) if _is_matrix(u) else function(u)

    def einsum(self, node: ast.Call) -> sp.Basic:
        """np.einsum("ij,i->j", X, r): one product of two arrays (Xᵀr, Xθ, AB, AᵀB, a·b), or their entry-by-entry
        product ("i,i->i"); vectors are columns here, and the result's one label makes it a column too."""
        shown = 'np.einsum("ij,i->j", X, r)'
        spec = node.args[0] if node.args else None
        keywords = [k for k in node.keywords if k.arg != "optimize"]  # optimize= changes the speed, not the value
        if keywords or len(node.args) != 3 or not (isinstance(spec, ast.Constant) and isinstance(spec.value, str)):
            raise self.fail(node, f"np.einsum is read for two arrays and their subscripts: {shown}")
        found = _EINSUM.fullmatch(spec.value.replace(" ", ""))
        if found is None:
            raise self.fail(spec, f"np.einsum's subscripts are read with one or two letters an array: {shown}")
        a, b, out = found.group(1), found.group(2), found.group(3)
        if out is None:  # implicit: the letters seen once, in alphabetical order
            out = "".join(sorted(c for c in a + b if (a + b).count(c) == 1))
        left, right = self.build(node.args[1]), self.build(node.args[2])
        for value, labels, child in ((left, a, node.args[1]), (right, b, node.args[2])):
            if not _is_matrix(value):
                raise self.fail(child, "np.einsum needs arrays")
            if len(labels) != (1 if 1 in value.shape else 2) or len(set(labels)) != len(labels):
                raise self.fail(spec, f"'{labels}' does not fit a {shape_text(value)} array (vectors take one letter)")
        if len(set(out)) != len(out) or not set(out) <= set(a + b):
            raise self.fail(spec, f"np.einsum's output '{out}' is not read: {shown}")
        left, right = (_labelled(left, a), _labelled(right, b))
        shared = [c for c in a if c in b]
        if sorted(a) == sorted(b) and sorted(out) == sorted(a):  # "i,i->i", "ij,ij->ij": entry by entry
            value = sp.HadamardProduct(left[0], right[0] if right[1] == left[1] else right[0].T)
            return _oriented(value, left[1], out)
        if len(shared) != 1 or shared[0] in out or sorted(out) != sorted(set(a + b) - set(shared)):
            raise self.fail(spec, f"np.einsum is read for one product of two arrays, summed over one letter: {shown}")
        s = shared[0]
        first = left[0] if left[1][1] == s else left[0].T  # its columns along s
        second = right[0] if right[1][0] == s else right[0].T  # its rows along s
        rows = left[1][0] if left[1][1] == s else left[1][1]
        cols = right[1][1] if right[1][0] == s else right[1][0]
        return _oriented(self.product(node, first, second, "np.einsum"), (rows, cols), out)

    def generator_sum(self, node: ast.GeneratorExp) -> sp.Expr:
        """``sum(f(i) for i in range(m))``: Σ_{i=0}^{m−1} f(i) (also range(len(y)), range(1, n + 1))."""
        spelled = "sum(... for i in range(m))"
        if len(node.generators) != 1:
            raise self.fail(node, f"one 'for' in a sum: {spelled}")
        loop = node.generators[0]
        if loop.ifs or loop.is_async or not isinstance(loop.target, ast.Name):
            raise self.fail(node, f"a sum over a plain range is read: {spelled}")
        bounds = self.range_of(loop.iter, spelled)
        var_name = loop.target.id
        var = self.names.get(var_name, _INDICES.get(var_name))
        if not isinstance(var, sp.Symbol) or not var.is_integer:
            var = sp.Symbol(var_name, integer=True)
        self.scopes.append({var_name: var})
        try:
            body = self.scalar(node.elt, "a number (a sum over a range adds numbers)")
        finally:
            self.scopes.pop()
        return sp.Sum(body, (var, *bounds))

    def range_of(self, node: ast.AST, spelled: str) -> tuple[sp.Expr, sp.Expr]:
        """``range(m)``, ``range(len(y))``, ``range(a, b)`` as the bounds (a, b − 1) of a sum."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range"):
            raise self.fail(node, f"a sum over a range is read: {spelled}")
        if node.keywords or not 1 <= len(node.args) <= 2:
            raise self.fail(node, "range() takes one or two arguments here")
        bounds = [self.bound(arg) for arg in node.args]
        low, high = (sp.S.Zero, bounds[0]) if len(bounds) == 1 else bounds
        return low, high - 1

    def bound(self, node: ast.AST) -> sp.Expr:
        """A range bound: a number, m, n + 1, or len(y) / len(X) / X.shape[0] (m) and len(theta) (n + 1)."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len" and node.args:
            value = self.build(node.args[0])
            if _is_matrix(value):
                return value.rows
        return self.scalar(node, "a bound")

    def astype(self, node: ast.Call) -> sp.Basic:
        """``(u > 0).astype(float)``: the indicator 1[u > 0]."""
        kinds = ("float", "float64", "float32", "int", "int64", "int32", "double")
        ok = len(node.args) == 1 and (
            (isinstance(node.args[0], ast.Name) and node.args[0].id in kinds)
            or (isinstance(node.args[0], ast.Attribute) and node.args[0].attr in kinds)
        )
        if not ok:
            raise self.fail(node, "'.astype' is read as .astype(float) on a comparison: (u > 0).astype(float)")
        if not isinstance(node.func.value, ast.Compare):
            raise self.fail(node, "'.astype(float)' is read on a comparison only: (u > 0).astype(float)")
        return self.indicator(node.func.value)

    def special(self, name: str, node: ast.Call) -> sp.Basic:
        """max/min/np.maximum/np.minimum (ReLU), np.logaddexp (softplus), np.where and np.heaviside (the step)."""
        spelled = ast.get_source_segment(self.text[self.shift :], node.func) or name
        count = {"where": 3}.get(name, 2)
        if len(node.args) != count:
            raise self.fail(node, f"{spelled}() takes {count} arguments here")
        if name == "where":
            return self.where(node, spelled)
        if name == "heaviside":
            second = self.scalar(node.args[1], "a number")
            if second != 0:
                raise self.fail(node.args[1], f"{spelled}(u, 0) is read (1 where u > 0, else 0), not {second} at 0")
            u = self.build(node.args[0])
            return elementwise(step, u) if _is_matrix(u) else step(self.scalar(node.args[0]))
        a, b = (self.build(arg) for arg in node.args)
        for value, child in ((a, node.args[0]), (b, node.args[1])):
            if not isinstance(value, sp.Expr) or isinstance(value, sp.IndexedBase):
                raise self.fail(child, f"{spelled}() needs numbers or matrices")
        sign = -1 if name in ("min", "minimum") else 1  # min(a, b) = −max(−a, −b)
        function = softplus if name == "logaddexp" else relu  # log(eᶜ + eᵘ) = c + softplus(u − c)
        if _is_matrix(a) or _is_matrix(b):  # np.maximum(X @ theta, 0): entry by entry, against 0 only
            if (_is_matrix(a) and _is_matrix(b)) or not (b if _is_matrix(a) else a).is_zero:
                raise self.fail(node, f"{spelled}() of a matrix is read against 0 only: {spelled}(0, M)")
            return sign * elementwise(function, sign * (a if _is_matrix(a) else b))
        found = above_floor(function, sign * a, sign * b)
        if found is None:
            raise self.fail(node, f"{spelled}(a, b) of two varying terms is not read: write {spelled}(0, a - b) + b")
        return sign * found

    def clip(self, node: ast.Call) -> sp.Basic:
        """np.clip(u, lo, hi) (or u.clip(lo, hi)) with number bounds lo ≤ hi: max(lo, min(u, hi)), by entry on a
        matrix (Huber's gradient, np.clip(X @ theta - y, -d, d), as users write it)."""
        args = node.args if _is_numpy(getattr(node.func, "value", None)) else [node.func.value, *node.args]
        if len(args) != 3:
            raise self.fail(node, "np.clip is read with three arguments: np.clip(M, lo, hi), lo and hi numbers")
        u = self.build(args[0])
        if not isinstance(u, sp.Expr) or isinstance(u, sp.IndexedBase):
            raise self.fail(args[0], "np.clip() needs a number or a matrix to clip")
        lo, hi = (self.build(arg) for arg in args[1:])
        if not all(isinstance(b, sp.Expr) and b.is_number and b.is_real for b in (lo, hi)):
            raise self.fail(node, "np.clip is read with numbers for its bounds, as in np.clip(M, -2, 2)")
        if lo > hi:  # NumPy then gives hi everywhere: surely not what was meant
            raise self.fail(node, f"np.clip's lower bound {lo} is above its upper bound {hi}")
        return _clipped(u, lo, hi)

    def where(self, node: ast.Call, spelled: str) -> sp.Basic:
        """np.where(u > 0, a, b) = 1[u > 0]·a + (1 − 1[u > 0])·b; np.where(u > 0, u, 0) is ReLU(u);
        np.where(np.abs(M) <= d, M, d*np.sign(M)) of a matrix, d a number, is np.clip(M, -d, d)."""
        if not isinstance(node.args[0], ast.Compare):
            raise self.fail(node.args[0], f"{spelled} is read with a comparison first: {spelled}(u > 0, a, b)")
        s = self.indicator(node.args[0])
        a, b = (self.build(arg) for arg in node.args[1:])
        if _is_matrix(s):  # np.where(M > 0, M, 0) and np.where(M > 0, 1, 0), entry by entry
            gap = s.args[1]  # the matrix the step applies to
            if b == 0 and (a == gap or a == 1):
                return elementwise(relu, gap) if a == gap else s
            clipped = self.huber_where(node.args[0], a, b)
            if clipped is not None:
                return clipped
            raise self.fail(node, f"{spelled} of a matrix is read as {spelled}(M > 0, M, 0) or {spelled}(M > 0, 1, 0)")
        a, b = self.scalar(node.args[1]), self.scalar(node.args[2])
        gap = s.args[0]
        if b == 0 and a == gap:
            return relu(gap)
        return s * a + (1 - s) * b

    def huber_where(self, condition: ast.Compare, a: sp.Basic, b: sp.Basic) -> sp.Basic | None:
        """np.where(np.abs(M) <= d, M, d*np.sign(M)) (or < d), d a positive number: np.clip(M, -d, d); else None."""
        inner = condition.left
        if not (
            isinstance(condition.ops[0], (ast.LtE, ast.Lt))
            and isinstance(inner, ast.Call)
            and len(inner.args) == 1
            and (_is_numpy_attr(inner.func, "abs") or _is_numpy_attr(inner.func, "absolute"))
        ):
            return None
        d = self.build(condition.comparators[0])
        if not (isinstance(d, sp.Expr) and d.is_number and d.is_positive):
            return None
        matrix = self.build(inner.args[0])
        if not _is_matrix(matrix) or a != matrix or b != d * elementwise(ELEMENTWISE["sign"], matrix):
            return None
        return _clipped(matrix, -d, d)

    def function_name(self, func: ast.AST) -> str | sp.FunctionClass:
        if isinstance(func, ast.Name):
            name = func.id
            value = self.names.get(name)
            if isinstance(value, sp.FunctionClass):
                return value
            if value is None and (name in FUNCTIONS or name in ELEMENTWISE):
                return name
            raise self.fail(func, f"unknown function '{name}' (functions: {', '.join(FUNCTIONS)})")
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in ("np", "numpy")
            and func.attr in NUMPY_FUNCTIONS
        ):
            return func.attr
        if isinstance(func, ast.Attribute):
            col = func.end_col_offset - len(func.attr) if func.end_col_offset is not None else None
            raise self.fail(func, f"attribute '.{func.attr}' is not allowed (read: {_READ})", col)
        raise self.fail(func, "only named functions can be called")

    def sum_limits(self, node: ast.Call) -> sp.Expr:
        if len(node.args) < 2:
            raise self.fail(node, "Sum takes a summand and limits (i, lo, hi)")
        limits, scope = [], {}
        for arg in node.args[1:]:
            if not (isinstance(arg, ast.Tuple) and len(arg.elts) == 3 and isinstance(arg.elts[0], ast.Name)):
                raise self.fail(arg, "Sum limits are written (i, lo, hi)")
            var_name = arg.elts[0].id
            var = self.names.get(var_name)
            if not isinstance(var, sp.Symbol):
                if var_name.startswith("_"):
                    raise self.fail(arg.elts[0], f"bad summation variable '{var_name}'")
                var = sp.Symbol(var_name, integer=True)
            lo = self.scalar(arg.elts[1], "a bound")
            hi = self.scalar(arg.elts[2], "a bound")
            scope[var_name] = var
            limits.append((var, lo, hi))
        self.scopes.append(scope)
        try:
            body = self.scalar(node.args[0], "a number (Sum adds numbers; use sum() for matrices)")
        finally:
            self.scopes.pop()
        return sp.Sum(body, *limits)


def _clipped(u: sp.Basic, lo: sp.Expr, hi: sp.Expr) -> sp.Basic:
    """max(lo, min(u, hi)): u clipped to [lo, hi], by entry on a matrix."""
    if _is_matrix(u):
        return elementwise(lambda e: sp.Max(lo, sp.Min(e, hi)), u)
    return sp.Max(lo, sp.Min(u, hi))


# What the attributes and modules read are, for the message on any other
_READ = (
    "np.exp, np.log, np.sum, np.mean, np.dot, np.matmul, np.einsum, np.eye, np.diag, np.ones, np.maximum, np.where, "
    "NumPy's other math, scipy.special.expit/.ndtr, scipy.stats.norm.pdf/.cdf/.sf, and .T, .dot, .shape, .size"
)
_SCIPY_SPECIAL = ("special", "scipy.special", "sp.special")
_NORMAL = ("norm", "stats.norm", "scipy.stats.norm", "st.norm")
_SPECIAL_PARTS = {
    "expit": sigmoid,
    "ndtr": normal_cdf,
    "log_expit": lambda u: sp.log(sigmoid(u)),
    "log_ndtr": lambda u: sp.log(normal_cdf(u)),
}
_NORMAL_PARTS = {
    "pdf": normal_pdf,
    "cdf": normal_cdf,
    "sf": lambda u: normal_cdf(-u),  # the survival function 1 − Φ(u) = Φ(−u)
    "logpdf": lambda u: sp.log(normal_pdf(u)),
    "logcdf": lambda u: sp.log(normal_cdf(u)),
}
_EINSUM = re.compile(r"([a-z]{1,2}),([a-z]{1,2})(?:->([a-z]{0,2}))?")


def _labelled(value: sp.MatrixExpr, labels: str) -> tuple[sp.MatrixExpr, tuple[str, str]]:
    """An einsum operand with a label on its rows and one on its columns ("" on a vector's length-1 side)."""
    if len(labels) == 2:
        return value, (labels[0], labels[1])
    return (value, (labels, "")) if value.cols == 1 else (value.T, (labels, ""))


def _oriented(value: sp.MatrixExpr, labels: tuple[str, str], out: str) -> sp.MatrixExpr:
    """The einsum result in the order ``out`` asks; a result of one label a column, of none its 1×1 matrix."""
    rows, cols = labels
    if len(out) == 2:
        return value if (rows, cols) == (out[0], out[1]) else value.T
    if len(out) == 1 and cols == out:
        return value.T
    return value


def _is_ones_call(node: ast.AST) -> bool:
    """np.ones(…): a vector of ones."""
    return isinstance(node, ast.Call) and _is_numpy_attr(node.func, "ones")


def _is_numpy(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id in ("np", "numpy")


def _spelled_softmax(func: ast.AST) -> bool:
    """softmax, special.softmax, scipy.special.softmax."""
    if isinstance(func, ast.Name):
        return func.id == "softmax"
    return isinstance(func, ast.Attribute) and func.attr == "softmax" and ast.unparse(func.value) in _SOFTMAX_HOMES


_SOFTMAX_HOMES = ("special", "scipy.special", "sp.special")


def _is_numpy_attr(node: ast.AST, name: str) -> bool:
    """np.name (or numpy.name)."""
    return isinstance(node, ast.Attribute) and node.attr == name and _is_numpy(node.value)


def _is_column_index(index: ast.AST) -> bool:
    """``[:, None]`` or ``[:, np.newaxis]``."""
    if not (isinstance(index, ast.Tuple) and len(index.elts) == 2):
        return False
    whole, new = index.elts
    empty = isinstance(whole, ast.Slice) and whole.lower is None and whole.upper is None and whole.step is None
    return empty and ((isinstance(new, ast.Constant) and new.value is None) or _is_numpy_attr(new, "newaxis"))


def _is_row_index(index: ast.AST) -> bool:
    """``[None, :]`` or ``[np.newaxis, :]``."""
    if not (isinstance(index, ast.Tuple) and len(index.elts) == 2):
        return False
    new, whole = index.elts
    empty = isinstance(whole, ast.Slice) and whole.lower is None and whole.upper is None and whole.step is None
    return empty and ((isinstance(new, ast.Constant) and new.value is None) or _is_numpy_attr(new, "newaxis"))


def _is_column_shape(args: list[ast.AST]) -> bool:
    """The arguments of v.reshape(-1, 1) or v.reshape(-1)."""
    return [ast.unparse(a).replace(" ", "") for a in args] in (["-1", "1"], ["-1"])


def _broadcast(
    left: sp.MatrixExpr, right: sp.MatrixExpr, one_d: tuple[bool, bool] = (True, True)
) -> tuple[sp.MatrixExpr, sp.MatrixExpr]:
    """NumPy's broadcasting in '*': a column (m, 1) against an (m, p) matrix, the column repeated p times; a vector
    that may be 1-D (``one_d``: not made a column by v[:, None]) against a (p, m) matrix is a row, as NumPy pairs a
    1-D (m,) with the last axis: X.T * r with r (m,) is (n+1, m), each row times r."""
    if left.cols == 1 and right.cols != 1 and same_dim(left.rows, right.rows):
        return left * sp.OneMatrix(1, right.cols), right
    if right.cols == 1 and left.cols != 1 and same_dim(left.rows, right.rows):
        return left, right * sp.OneMatrix(1, left.cols)
    if one_d[0] and left.cols == 1 and right.cols != 1 and same_dim(left.rows, right.cols):
        return sp.OneMatrix(right.rows, 1) * left.T, right
    if one_d[1] and right.cols == 1 and left.cols != 1 and same_dim(right.rows, left.cols):
        return left, sp.OneMatrix(left.rows, 1) * right.T
    return left, right


def _number_of(value: sp.Basic, other: sp.Basic) -> sp.Basic:
    """A 1×1 matrix (np.linalg.norm(v), √(rᵀr)) beside a matrix of another shape as the number it holds, as NumPy
    broadcasts it; ``value`` itself otherwise."""
    if _is_matrix(value) and value.shape == (1, 1) and _is_matrix(other) and other.shape != (1, 1):
        return value[0, 0]
    return value


def _made_column(node: ast.AST) -> bool:
    """``v[:, None]`` or ``v.reshape(-1, 1)`` somewhere in ``node``: a column in NumPy too, never a 1-D row."""
    for part in ast.walk(node):
        if isinstance(part, ast.Subscript) and _is_column_index(part.slice):
            return True
        if isinstance(part, ast.Call) and isinstance(part.func, ast.Attribute) and part.func.attr == "reshape":
            return True
    return False


def _reduction_method(node: ast.Call) -> bool:
    """``M.sum(…)`` or ``M.mean(…)``, a method of an array (not np.sum)."""
    func = node.func
    return isinstance(func, ast.Attribute) and func.attr in ("sum", "mean") and not _is_numpy(func.value)


def _spelled_norm(func: ast.AST) -> bool:
    """np.linalg.norm (or numpy.linalg.norm)."""
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "norm"
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "linalg"
        and _is_numpy(func.value.value)
    )


def _vector_product(left: sp.MatrixExpr, right: sp.MatrixExpr) -> sp.MatrixExpr | None:
    """``a @ b`` as NumPy computes it when each vector is a 1-D array (no orientation): ``theta @ theta`` is θᵀθ,
    ``X @ theta.T`` is Xθ, ``r @ X`` is rᵀX; None when no reading fits."""

    def column(v: sp.MatrixExpr) -> sp.MatrixExpr:
        return v if v.cols == 1 else v.T

    if 1 in left.shape and 1 in right.shape:
        a, b = column(left), column(right)
        return a.T * b if same_dim(a.rows, b.rows) else None
    if 1 in left.shape:
        a = column(left).T
        return a * right if same_dim(a.cols, right.rows) else None
    if 1 in right.shape:
        b = column(right)
        return left * b if same_dim(left.cols, b.rows) else None
    return None


def _count(nargs) -> str:
    return " or ".join(str(v) for v in sorted(nargs))
