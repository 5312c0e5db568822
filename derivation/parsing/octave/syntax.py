"""Octave's syntax tree: the functions of a file, their statements and expressions, read by a recursive-descent
parser over the subset gradient functions are written in; anything outside it is one :class:`ParseError` line
saying what to write instead."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ParseError
from .runtime import COMMANDS, QUIET
from .tokens import ENDS, OPENERS, Source, Token


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


class Parser:
    def __init__(self, tokens: list[Token], reader: Source):
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
            raise self.error(self.token, f"expected '{text}' {what}, found {show_token(self.token)}")
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
            if token.kind == "kw" and token.text in OPENERS:
                depth += 1
            elif token.kind == "kw" and token.text in ENDS and depth:
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
            raise self.error(self.token, f"expected {what}, found {show_token(self.token)}")
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
            if token.kind == "kw" and (token.text in ENDS or token.text in closers):
                return body
            body.append(self.statement())

    def close(self, opener: Token) -> None:
        if not (self.token.kind == "kw" and self.token.text in ENDS):
            raise self.error(self.token, f"expected 'end' to close the '{opener.text}' of line {opener.line}")
        self.advance()

    def statement(self) -> Statement:
        token = self.token
        if token.kind == "kw":
            return self.keyword_statement(token)
        if token.kind == "name" and token.text in COMMANDS and self.peek().kind in ("name", "end", "eof"):
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
        if self.token.kind not in ("end", "eof") and not (self.token.kind == "kw" and self.token.text in ENDS):
            raise self.error(self.token, f"expected the end of the statement, found {show_token(self.token)}")

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
                raise self.error(self.token, f"expected a variable name in [a, b] = …, found {show_token(self.token)}")
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
        raise self.error(token, f"expected a value, found {show_token(token)}")

    def matrix_literal(self) -> Node:
        token = self.advance()
        self.matrix += 1  # inside an index, end in [ ] is still the indexed value's: theta([2:end], :), x([1, end])
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
        return Node("matrix", token, [row for row in rows if row])


def show_token(token: Token) -> str:
    if token.kind == "eof":
        return "the end of the file"
    if token.kind == "end":
        return "the end of the line" if token.text == "\n" else f"'{token.text}'"
    return f"'{token.text}'"
