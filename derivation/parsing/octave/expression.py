"""One Octave expression, as ``check --grad`` takes it: whether a text is Octave, and its NumPy spelling over static
shapes (X (m, n+1), θ and y columns)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ParseError
from .syntax import Node, Parser, show_token
from .tokens import Source, tokenize

# What only Octave writes in a gradient: a transpose ' after a value, .* ./ .^, (2:end), [0; theta(2:end)]
_OCTAVE_EXPR = re.compile(r"[\w)\]]\s*'|\.[*/^\\]|\(\s*\[?\s*\d+\s*:\s*end\s*\]?\s*[,)]|\[[^\]]*;[^\]]*\]")
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
    >>> looks_like_octave("lambda / m * theta([2:end])"), looks_like_octave("lam / m * theta[1:]")
    (True, False)
    """
    if re.search(r"@|\.T\b|\bnp\.|\*\*|\[(?![^\]]*\bend\b)\s*[\w:]+\s*(,\s*[\w:]+\s*)?\]|\bSum\(|\bfor\b", text):
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
    >>> translate_expression("(lambda/m) * [0; theta([2: end], :)]")
    'lam / m * np.r_[0, theta[1:]]'
    >>> translate_expression("X * (X*theta - y) / m")  # nonconformant: the checker says which factor to transpose
    'X @ (X @ theta - y) / m'
    """
    statement = re.sub(r"^\s*[A-Za-z]\w*\s*=(?!=)", lambda s: " " * len(s.group(0)), text.rstrip().rstrip(";"))
    reader = Source(statement, name)
    tokens = [t for t in tokenize(statement, name) if t.kind != "end" or t.text != "\n"]
    parser = Parser(tokens, reader)
    try:
        node = parser.expression()
    except RecursionError:
        raise ParseError(f"{name}: nested too deeply to read") from None
    if parser.token.kind != "eof":
        raise parser.error(parser.token, f"expected the end of the expression, found {show_token(parser.token)}")
    return _ExpressionEmitter(reader, hypothesis).value(node).text


class _ExpressionEmitter:
    def __init__(self, reader: Source, hypothesis: str | None):
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
        raise self.error(node, f"{show_token(node.token)} is not read in a gradient expression")

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
        if first is not None and first.kind == "matrix" and len(first.parts) == 1 and len(first.parts[0]) == 1:
            first = first.parts[0][0]  # theta([2:end]): the brackets around one range change nothing
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
        # NumPy's 1-D result, a column where Octave's is one; where Octave's is a row, [None, :] makes it a row in
        # NumPy too (.T of a 1-D array is the same array: sum(M) without its ' was a false ✓ as the column)
        axis = f"{function}({inner.text}, axis={dim - 1})"
        if dim == 1:
            return _Value(f"{axis}[None, :]", 5, ("1", cols), axis)
        return _Value(axis, 5, (rows, "1"), f"{axis}[None, :]")

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
