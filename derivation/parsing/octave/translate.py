"""Read the Octave/MATLAB that gradient functions are written in (Andrew Ng's ex1/ex2/ex5) and translate it to NumPy.

Our own tokenizer and parser (never eval, never Octave): ``function [J, grad] = costFunction(theta, X, y)``
becomes ``def costFunction(theta, X, y): … return J, grad`` over 2-D arrays, as in Octave, with the
helpers of :mod:`.runtime` inlined at the top of the module (the child running it needs NumPy only):
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
import keyword
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ParseError
from .runtime import BUILTINS, CONSTANTS, QUIET, runtime_source
from .syntax import Function, Node, Parser, Statement, show_token
from .tokens import Source, Token, tokenize

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

    def __init__(self, functions: dict[str, Function], readers: dict[str, Source]):
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
        raise self.error(self.fn, node.token, f"{show_token(node.token)} is not supported here")

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
            elif isinstance(part, list):  # a matrix's rows: [computeCost(X, y, theta)] calls it too (tester 14 o10b)
                for element in part:
                    if isinstance(element, Node):
                        visit(element, bound)

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
    reader = Source(text, name)
    found = Parser(tokenize(text, name), reader).functions()
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
    readers = {name: Source(text, name)}
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
            readers[path.name] = Source(other, path.name)
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
        '"""Translated from Octave by derivation (parsing/octave/): 2-D arrays, 1-based indices."""',
        "import numpy as _np",
        "",
        *runtime_source().splitlines(),
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
