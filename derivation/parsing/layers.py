r"""A network written as named layers, as courses and assignments write it, read into plain data (never eval).

One statement a line (or separated by ``;``), in plain notation, Python/NumPy syntax or LaTeX::

    Z1 = X W1 + b1              Z^{[1]} = W^{[1]} X + b^{[1]}        h = relu(x @ W1 + b1)
    A1 = relu(Z1)               A^{[1]} = \sigma(Z^{[1]})            scores = h @ W2 + b2
    Z2 = A1 W2 + b2             \hat{Y} = \sigma(Z^{[2]})            probs = softmax(scores)
    P = softmax(Z2)             J = -\frac{1}{m}\sum (Y\log\hat{Y} + (1-Y)\log(1-\hat{Y}))
    J = -(1/m) sum(Y * log(P)) + (lambda/2) (||W1||^2 + ||W2||^2)

An affine line is a product of a weight (a name starting with W) and the layer's input, plus a bias:
``A W + b`` is the row layout (one example a row), ``W A + b`` the column layout; an activation line applies
a function of the registry (σ, tanh, ReLU, softplus, …; ``max(0, Z)`` is ReLU) or softmax to the last
affine output, or both at once (``h = tanh(x W_1 + b_1)``).  The cost line (J, L, loss or cost) is a
cross-entropy (−c Σ Y log P, with (1 − Y) log(1 − P) after σ) or a squared error (c ‖A − Y‖², c Σ (A − Y)²),
c a number over m or not, plus an optional λ-penalty on the weights (‖W‖², Σ W², ``np.sum(W**2)``).

The reader is a small tokenizer and recursive-descent parser of its own: the catalog readers
(:mod:`.reader`, :mod:`.expr`) read costs over θ and examples, and a layer line is neither.  Every failure
is a :class:`~.errors.ParseError` with the line and column and what to write instead.

>>> net = read_layers("Z1 = X W1 + b1; A1 = tanh(Z1); Z2 = A1 W2 + b2; P = softmax(Z2); J = -(1/m) sum(Y * log(P))")
>>> net.layout, [layer[3] for layer in net.layers], net.loss, net.scale
('row', ['tanh', 'softmax'], 'cross-entropy', 1/m)
>>> read_layers("Z1 = X W1 + b1\nA1 = tanh(Z1)\nJ = sum(A1)")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
derivation.parsing.errors.ParseError: line 3, col 8: cannot read this term of the cost (A1): write a cross-entropy ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from ..core.functions import ML_FUNCTIONS
from .errors import ParseError

m = sp.Symbol("m", integer=True, positive=True)
lam = sp.Symbol("lambda", positive=True)
MAX_TEXT = 5000
MAX_LAYERS = 8

# --- tokens ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # num, name, func, sum, frac, bar, op (+ - mul / ^), (, ), ",", T
    value: object
    pos: int


_ACTIVATIONS = {name for name, e in ML_FUNCTIONS.items() if not e.jump and name != "step"}
_FUNCTION_WORDS = {
    **{word.lower(): name for name, e in ML_FUNCTIONS.items() for word in e.python_names},
    **{word.lower(): name for name, e in ML_FUNCTIONS.items() for word in e.latex_words},
    "softmax": "softmax",
    "log": "log",
    "ln": "log",
    "exp": "exp",
    "max": "max",
    "maximum": "max",
    "dot": "dot",
    "matmul": "dot",
    "square": "square",
    "norm": "norm",
    "sum": "sum",
    "mean": "mean",
    "identity": "identity",
    "id": "identity",
    "linear": "identity",
}
for _name, _entry in ML_FUNCTIONS.items():
    _FUNCTION_WORDS.setdefault(_name.lower(), _name)
_LATEX_FUNCTIONS = {**{c[1:]: name for name, e in ML_FUNCTIONS.items() for c in e.latex_commands},
                    "log": "log", "ln": "log", "exp": "exp", "max": "max", "tanh": "tanh"}  # fmt: skip
_LATEX_NAMES = {"lambda": "lambda", "alpha": "alpha", "theta": "theta", "mu": "mu", "epsilon": "epsilon"}
_SKIPPED = ("left", "right", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "big", "Big", "bigg", "Bigg",
            "quad", "qquad", "displaystyle", "limits", "nolimits")  # fmt: skip
_WRAPPERS = ("mathbf", "boldsymbol", "bm", "mathit", "mathsf", "vec", "mathrm", "text", "textrm", "operatorname",
             "mathcal")  # fmt: skip
_LAMBDA = {"lambda", "lambda_", "lam", "lmbda", "reg", "λ"}
_UNICODE_OPS = {"·": ("op", "mul"), "⊙": ("op", "mul"), "×": ("op", "mul"), "−": ("op", "-"), "ᵀ": ("T", None),
                "‖": ("bar", None), "²": ("square", None), "∘": ("op", "mul")}  # fmt: skip
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")
DIGITS = "0123456789"  # not str.isdigit, which takes ² as a digit
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
_MODULES = ("np", "numpy", "jnp", "torch", "F", "tf", "math", "nn", "special", "scipy", "linalg")


class _Tokenizer:
    def __init__(self, text: str, start: int, end: int):
        self.text, self.i, self.end = text, start, end
        self.tokens: list[Token] = []

    def fail(self, message: str, pos: int | None = None) -> ParseError:
        return ParseError(message, self.i if pos is None else pos, self.text)

    def group(self) -> tuple[str, int]:
        """The text of a {…} group (or one character) at self.i, and where it starts."""
        t = self.text
        while self.i < self.end and t[self.i] == " ":
            self.i += 1
        if self.i < self.end and t[self.i] == "{":
            depth, start = 0, self.i
            while self.i < self.end:
                depth += {"{": 1, "}": -1}.get(t[self.i], 0)
                self.i += 1
                if depth == 0:
                    return t[start + 1 : self.i - 1], start + 1
            raise self.fail("a { is never closed: close it with }", start)
        if self.i < self.end and t[self.i] == "\\":
            match = _COMMAND.match(t, self.i, self.end)
            if match is None:
                raise self.fail("a lone \\ at the end: write a command such as \\top, or a {…} group")
            self.i = match.end()
            return match.group(0), match.start()
        self.i += 1
        return t[self.i - 1 : self.i], self.i - 1

    def scripts(self) -> str | None:
        """A name's index scripts (_1, _{1}, ^{[1]}, ^{(1)}, _k, ^{(i)}): the layer number or letter, else None."""
        t, index = self.text, None
        while self.i < self.end and t[self.i] in "_^":
            mark, save = t[self.i], self.i
            self.i += 1
            body, _ = self.group()
            body = body.strip()
            if mark == "^" and not (body[:1] in "[(" and body[-1:] in "])"):
                self.i = save  # a power or a transpose, not an index
                break
            inner = body.strip("[]() ")
            if inner.isdigit() or (len(inner) == 1 and inner in "lL"):
                index = inner
        return index

    def skip_scripts(self) -> None:
        """\\sum_{i=1}^{m}: the bounds are not read (the cost sums every entry)."""
        while self.i < self.end and self.text[self.i] in "_^":
            self.i += 1
            self.group()

    def run(self) -> list[Token]:
        t = self.text
        while self.i < self.end:
            c, pos = t[self.i], self.i
            if c in " \t\r\n&$":
                self.i += 1
            elif c == "\\" and t.startswith("\\\\", self.i):
                self.i += 2
            elif c == "\\":
                self.command()
            elif c == "|" and t.startswith("||", self.i):
                self.i += 2
                self.bar(pos)
            elif c in DIGITS or (c == "." and t[self.i + 1 : self.i + 2] in tuple(DIGITS)):
                match = _NUMBER.match(t, self.i) if c in DIGITS else re.compile(r"\.\d+").match(t, self.i)
                self.i = match.end()
                self.tokens.append(Token("num", Fraction(match.group(0)), pos))
            elif c in _UNICODE_OPS:
                self.i += 1
                kind, value = _UNICODE_OPS[c]
                if kind == "bar":
                    self.bar(pos)
                elif kind == "square":
                    self.tokens += [Token("op", "^", pos), Token("num", Fraction(2), pos)]
                else:
                    self.tokens.append(Token(kind, value, pos))
            elif c in "λσΣ":
                self.i += 1
                kind, value = {"λ": ("name", ("lambda", None)), "σ": ("func", "sigmoid"), "Σ": ("sum", None)}[c]
                self.tokens.append(Token(kind, value, pos))
                if kind == "sum":
                    self.skip_scripts()
            elif (c.isascii() and c.isalpha()) or c == "_":
                self.identifier()
            elif t.startswith(".dot(", self.i):  # X.dot(W1), as CS231n writes it
                self.i += 4
                self.tokens.append(Token("op", "mul", pos))
            elif c == "." and t.startswith(".T", self.i) and not _NAME.match(t[self.i + 2 : self.i + 3] or " "):
                self.i += 2
                self.tokens.append(Token("T", None, pos))
            elif t.startswith("**", self.i):
                self.i += 2
                self.tokens.append(Token("op", "^", pos))
            elif c == "^":
                self.i += 1
                self.power(pos)
            elif c in "+-":
                self.i += 1
                self.tokens.append(Token("op", c, pos))
            elif c in "*@":
                self.i += 1
                self.tokens.append(Token("op", "mul", pos))
            elif c == "/":
                self.i += 1
                self.tokens.append(Token("op", "/", pos))
            elif c in "({[":
                self.i += 1
                self.tokens.append(Token("(", c, pos))
            elif c in ")}]":
                self.i += 1
                self.tokens.append(Token(")", c, pos))
            elif c == ",":
                self.i += 1
                self.tokens.append(Token(",", None, pos))
            else:
                raise self.fail(f"unexpected {c!r}: write +, −, products, /, ^, function calls and names")
        return self.tokens

    def bar(self, pos: int) -> None:
        self.tokens.append(Token("bar", None, pos))
        while self.i < self.end and self.text[self.i] == "_":  # ‖W‖_F, ‖W‖_2: the Frobenius norm either way
            self.i += 1
            self.group()

    def power(self, pos: int) -> None:
        body, start = self.group()
        if body.strip() in ("T", "\\top", "\\intercal", "\\mathsf{T}", "\\mathrm{T}", "\\prime"):
            self.tokens.append(Token("T", None, pos))
            return
        self.tokens.append(Token("op", "^", pos))
        self.tokens += _Tokenizer(self.text, start, start + len(body)).wrapped()

    def wrapped(self) -> list[Token]:
        start = self.i
        tokens = self.run()
        return [Token("(", "{", start), *tokens, Token(")", "}", self.end)]

    def command(self) -> None:
        t, pos = self.text, self.i
        match = _COMMAND.match(t, self.i, self.end)
        if match is None:
            raise self.fail("a lone \\ at the end: write a command such as \\sigma, or \\\\ between lines", pos)
        word = match.group(1)
        self.i = match.end()
        if word in _SKIPPED or word in (",", ";", "!", " ", ":"):
            if word in ("left", "right") and self.i < self.end and t[self.i] == ".":
                self.i += 1
            return
        if word in ("|", "Vert", "lVert", "rVert"):
            self.bar(pos)
        elif word in ("frac", "dfrac", "tfrac"):
            self.tokens.append(Token("frac", None, pos))
        elif word == "sum":
            self.tokens.append(Token("sum", None, pos))
            self.skip_scripts()
        elif word in ("cdot", "times", "odot", "circ", "ast"):
            self.tokens.append(Token("op", "mul", pos))
        elif word in ("hat", "widehat", "tilde", "bar"):
            body, _ = self.group()
            base = re.sub(r"\\[A-Za-z]+|[{}\s]", "", body)
            self.tokens.append(Token("name", (base + "hat", self.scripts()), pos))
        elif word in _WRAPPERS:
            body, _ = self.group()
            inner = re.sub(r"\\[A-Za-z]+\s*|[{}\s]", "", body)
            self.name_or_function(inner, pos)
        elif word in _LATEX_FUNCTIONS:
            self.tokens.append(Token("func", _LATEX_FUNCTIONS[word], pos))
            self.scripts()
        elif word in _LATEX_NAMES:
            self.tokens.append(Token("name", (_LATEX_NAMES[word], self.scripts()), pos))
        else:
            raise self.fail(f"unknown command \\{word}: write functions as \\sigma, \\tanh, \\text{{relu}}, \\log", pos)

    def name_or_function(self, word: str, pos: int) -> None:
        if word.lower() in _FUNCTION_WORDS:
            kind = "sum" if word.lower() == "sum" else "func"
            self.tokens.append(Token(kind, None if kind == "sum" else _FUNCTION_WORDS[word.lower()], pos))
            return
        base, index = _split_index(word)
        scripted = self.scripts()
        self.tokens.append(Token("name", (base, scripted if scripted is not None else index), pos))

    def identifier(self) -> None:
        t, pos = self.text, self.i
        match = _NAME.match(t, self.i)
        word = match.group(0)
        self.i = match.end()
        if word.endswith("_") and t[self.i : self.i + 1] in ("{", "\\"):  # W_{1}, W_\ell: the script is LaTeX's
            word, self.i = word[:-1], self.i - 1
        while word in _MODULES and t.startswith(".", self.i) and _NAME.match(t, self.i + 1):
            match = _NAME.match(t, self.i + 1)  # np.log, np.linalg.norm, torch.sigmoid: the last name counts
            word = match.group(0)
            self.i = match.end()
        rest = t[self.i : self.end].lstrip()
        if word.lower() in _FUNCTION_WORDS and (rest.startswith("(") or rest.startswith("\\left(")):
            self.name_or_function(word, pos)
        elif word.lower() in ("log", "ln") and _NAME.match(rest):  # Y log A (Andrew Ng's notes): log of the name
            self.name_or_function(word, pos)
        elif len(word) > 2 and t.startswith("(", self.i) and not re.search(r"\d$", word):
            self.tokens.append(Token("func", word, pos))  # leaky_relu(Z1): a call, of a function we may not know
        elif word == "e" and rest.startswith("^"):
            self.tokens.append(Token("func", "exp", pos))
            self.i = self.end - len(rest) + 1  # the exponent is the argument
            body, start = self.group()
            self.tokens += _Tokenizer(t, start, start + len(body)).wrapped()
        else:
            self.name_or_function(word if word.lower() not in _FUNCTION_WORDS else word + "_", pos)


def _split_index(word: str) -> tuple[str, str | None]:
    """W1 → (W, 1); b_2 → (b, 2); lambda_ → (lambda, None); h → (h, None)."""
    if word in _LAMBDA:
        return "lambda", None
    letter = re.fullmatch(r"([A-Za-z]+)_([A-Za-z])", word)  # y_k, x_i: an entry's index, l or L a layer's
    if letter:
        return letter.group(1), letter.group(2) if letter.group(2) in "lL" else None
    match = re.fullmatch(r"([A-Za-z_]*?[A-Za-z])_?(\d+)", word)
    if match:
        return match.group(1), match.group(2)
    return word.rstrip("_") or word, None


# --- the expression tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    kind: str  # num, name, call, sum, norm, add, neg, mul, div, pow, T
    args: tuple
    pos: int


class _Parser:
    def __init__(self, tokens: list[Token], text: str, end: int):
        self.tokens, self.k, self.text, self.end = tokens, 0, text, end
        self.norms = 0

    def peek(self) -> Token | None:
        return self.tokens[self.k] if self.k < len(self.tokens) else None

    def take(self, kind: str, what: str) -> Token:
        token = self.peek()
        if token is None or token.kind != kind:
            pos = token.pos if token else self.end
            raise ParseError(f"expected {what} here", pos, self.text)
        self.k += 1
        return token

    def whole(self) -> Node:
        if not self.tokens:
            raise ParseError("nothing after =: write the layer's formula", self.end, self.text)
        node = self.expr()
        token = self.peek()
        if token is not None:
            shown = (self.text[token.pos : token.pos + 8].split() or ["?"])[0]
            raise ParseError(f"unexpected {shown!r}: an operator or a bracket may be missing", token.pos, self.text)
        return node

    def expr(self) -> Node:
        first = self.peek()
        terms = [self.term()]
        while (token := self.peek()) is not None and token.kind == "op" and token.value in "+-":
            self.k += 1
            term = self.term()
            terms.append(term if token.value == "+" else Node("neg", (term,), token.pos))
        return terms[0] if len(terms) == 1 else Node("add", tuple(terms), first.pos)

    def starts_atom(self, token: Token | None) -> bool:
        if token is None:
            return False
        if token.kind == "bar":
            return self.norms == 0
        return token.kind in ("num", "name", "func", "sum", "frac", "(")

    def term(self) -> Node:
        node = self.unary()
        while True:
            token = self.peek()
            if token is not None and token.kind == "op" and token.value in ("mul", "/"):
                self.k += 1
                right = self.unary()
                node = Node("mul" if token.value == "mul" else "div", (node, right), token.pos)
            elif self.starts_atom(token):  # juxtaposition: X W1, \frac{1}{m} \sum …, (1 − y) log(1 − p)
                node = Node("mul", (node, self.unary()), token.pos)
            else:
                return node

    def unary(self) -> Node:
        token = self.peek()
        if token is not None and token.kind == "op" and token.value in "+-":
            self.k += 1
            inner = self.unary()
            return inner if token.value == "+" else Node("neg", (inner,), token.pos)
        return self.power()

    def power(self) -> Node:
        node = self.postfix()
        token = self.peek()
        if token is not None and token.kind == "op" and token.value == "^":
            self.k += 1
            exponent = self.unary()
            node = Node("pow", (node, exponent), token.pos)
            while (t := self.peek()) is not None and t.kind == "T":
                self.k += 1
                node = Node("T", (node,), t.pos)
        return node

    def postfix(self) -> Node:
        node = self.atom()
        while (token := self.peek()) is not None and (token.kind == "T" or self._indexing(token)):
            if token.kind == "T":
                self.k += 1
                node = Node("T", (node,), token.pos)
            else:  # P[np.arange(N), y]: each example's entry at its label (integer labels, as CS231n writes it)
                node = Node("pick", (node, *self.arguments(token)), token.pos)
        return node

    def _indexing(self, token: Token) -> bool:
        """``[`` right after a name or a call's ``)``, with a comma inside: NumPy's indexing, not a bracket."""
        if token.kind != "(" or token.value != "[" or self.text[token.pos - 1 : token.pos] in ("", " "):
            return False
        depth = 0
        for t in self.tokens[self.k :]:
            depth += {"(": 1, ")": -1}.get(t.kind, 0)
            if depth == 1 and t.kind == ",":
                return True
            if depth == 0:
                return False
        return False

    def atom(self) -> Node:
        token = self.peek()
        if token is None:
            raise ParseError("the formula ends too soon: something is missing here", self.end, self.text)
        self.k += 1
        if token.kind == "num":
            return Node("num", (token.value,), token.pos)
        if token.kind == "name":
            return Node("name", token.value, token.pos)
        if token.kind == "(":
            inner = self.expr()
            self.take(")", "a closing bracket")
            return inner
        if token.kind == "frac":
            self.take("(", "{ after \\frac")
            top = self.expr()
            self.take(")", "} closing \\frac's numerator")
            self.take("(", "{ for \\frac's denominator")
            bottom = self.expr()
            self.take(")", "} closing \\frac's denominator")
            return Node("div", (top, bottom), token.pos)
        if token.kind == "bar":
            self.norms += 1
            inner = self.expr()
            self.norms -= 1
            self.take("bar", "‖ closing the norm")
            return Node("norm", (inner,), token.pos)
        if token.kind == "sum":
            nxt = self.peek()
            if nxt is not None and nxt.kind == "(" and nxt.value == "(" and self._call_like():
                return Node("sum", (self.arguments(token)[0],), token.pos)
            return Node("sum", (self.term(),), token.pos)
        if token.kind == "func":
            nxt = self.peek()
            if nxt is not None and nxt.kind == "(":
                return Node("call", (token.value, *self.arguments(token)), token.pos)
            return Node("call", (token.value, self.power()), token.pos)  # \log P, \sigma z
        raise ParseError("unexpected here: write a name, a number or a bracket", token.pos, self.text)

    def _call_like(self) -> bool:
        """sum(…) with its argument in brackets right after it (Python), not \\sum (a − b)² (LaTeX, a term)."""
        depth = 0
        for j in range(self.k, len(self.tokens)):
            depth += {"(": 1, ")": -1}.get(self.tokens[j].kind, 0)
            if depth == 0:
                after = self.tokens[j + 1] if j + 1 < len(self.tokens) else None
                return after is None or (after.kind == "op" and after.value != "^") or after.kind in (")", ",", "bar")
        return True

    def arguments(self, head: Token) -> list[Node]:
        self.take("(", "( after the function")
        args = [self.expr()]
        while (token := self.peek()) is not None and token.kind == ",":
            self.k += 1
            if (t := self.peek()) is not None and t.kind == "name" and self.text[t.pos :].startswith("axis"):
                raise ParseError("axis= is not read: the cost sums every entry", t.pos, self.text)
            args.append(self.expr())
        self.take(")", "a closing bracket for the call")
        return args


# --- the network ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerProgram:
    """What a layer text says: layers (weight, bias, pre, activation, post, source), loss, factors, layout, names."""

    layers: tuple[tuple[str, str, str, str, str, str], ...]
    loss: str  # cross-entropy | binary cross-entropy | squared error
    scale: sp.Expr
    l2: sp.Expr
    penalised: tuple[str, ...]
    layout: str  # row | column
    input: str
    target: str


_COST_NAMES = {"J", "L", "loss", "cost", "Loss", "Cost", "mathcalL", "E", "l"}
_INPUTS = {"X", "x", "A0", "a0", "inputs", "input", "H0", "h0"}
_TARGETS = {"Y", "y", "T", "t", "targets", "labels", "Ytrue", "ytrue", "target"}


def _display(name: Node) -> str:
    base, index = name.args
    return base + (index or "")


class _Builder:
    """Reads the statements in order into layers, then the cost."""

    def __init__(self, text: str):
        self.text = text
        self.layers: list[dict] = []
        self.names: dict[str, str] = {}  # user name → role: input, target, pre k, post k
        self.alias: dict[str, str] = {}
        self.layout: str | None = None
        self.input: str | None = None
        self.current: str | None = None  # the value the next affine layer reads
        self.cost: tuple[Node, int] | None = None

    def fail(self, message: str, pos: int) -> ParseError:
        return ParseError(message, pos, self.text)

    def key(self, node: Node) -> str:
        base, index = node.args
        name = base + (index or "")
        return self.alias.get(name, name)

    # the parts of a line
    def statement(self, lhs: Node, rhs: Node) -> None:
        name = self.key(lhs)
        if (lhs.args[0] in _COST_NAMES and lhs.args[1] is None) or name in ("J", "L"):
            self.cost = (rhs, lhs.pos)
            return
        if self.cost is not None:
            raise self.fail("a line after the cost: write the cost J = … last", lhs.pos)
        if rhs.kind == "name" and rhs.args[1] != "L":
            source = self.key(rhs)
            if source in _INPUTS and not self.layers:
                self.alias[name] = source  # A0 = X
                return
            if source in self.names:
                self.alias[name] = source  # \hat{Y} = A^{[2]}
                return
        affine = self.affine(rhs)
        if affine is not None:
            self.add_layer(name, affine, lhs.pos)
            return
        rhs = _written_out(rhs)
        if rhs.kind == "call" and len(rhs.args) >= 2:
            function = self.activation(rhs)
            argument = rhs.args[-1]
            inner = self.affine(argument)
            if inner is not None:  # h = tanh(x W1 + b1): the pre-activation gets a name of its own
                self.add_layer(f"Z{len(self.layers) + 1}", inner, argument.pos)
            elif argument.kind != "name" or self.key(argument) != self.pending(argument.pos):
                raise self.fail(f"{function} must be applied to the last layer's affine output, e.g. "
                                f"A1 = {function}(Z1)", argument.pos)  # fmt: skip
            self.activate(name, function, lhs.pos)
            return
        raise self.fail("cannot read this layer: write an affine layer Z1 = X W1 + b1 (or W1 X + b1), an activation "
                        "A1 = relu(Z1), or the cost J = …", rhs.pos)  # fmt: skip

    def pending(self, pos: int) -> str:
        if not self.layers or self.layers[-1]["activation"] is not None:
            raise self.fail("an activation needs an affine layer before it: Z1 = X W1 + b1", pos)
        return self.layers[-1]["pre"]

    def activation(self, call: Node) -> str:
        function = call.args[0]
        if function == "max" and len(call.args) == 3 and any(_is_number(a, 0) for a in call.args[1:]):
            return "relu"
        if function == "softmax" or function == IDENTITY or function in _ACTIVATIONS:
            if len(call.args) != 2:
                raise self.fail(f"{function} takes one argument here (no axis=): the layer's output", call.pos)
            return function
        known = ", ".join(sorted(_ACTIVATIONS | {"softmax"}))
        raise self.fail(f"{function} is not an activation with a derivative in the registry: use one of {known}",
                        call.pos)  # fmt: skip

    def affine(self, node: Node) -> tuple[str, str, str, str] | None:
        """(weight, source, bias, layout) of ``A W + b`` / ``W A + b`` / ``b + …``; None if not affine."""
        if node.kind != "add" or len(node.args) != 2:
            return None
        product, bias = node.args
        if product.kind == "name":
            product, bias = bias, product
        if bias.kind != "name":
            return None
        if product.kind == "call" and product.args[0] == "dot" and len(product.args) == 3:
            left, right = product.args[1:]
        elif product.kind == "mul":
            left, right = product.args
        else:
            return None
        for side in (left, right):
            if side.kind == "T":
                raise self.fail("write the weight without a transpose: X W1 + b1 (row) or W1 X + b1 (column)", side.pos)
            if side.kind != "name":
                return None
        weights = [side for side in (left, right) if side.args[0][:1] in "Ww" and self.key(side) not in self.names]
        if len(weights) != 1:
            raise self.fail("cannot tell the weight from the layer's input: name the weights W1, W2, … "
                            "and write X W1 + b1 or W1 X + b1", product.pos)  # fmt: skip
        weight = weights[0]
        source = right if weight is left else left
        return self.key(weight), self.resolve_source(source), self.key(bias), "column" if weight is left else "row"

    def resolve_source(self, node: Node) -> str:
        name = self.key(node)
        if not self.layers:
            if name in self.names and self.names[name] != "input":
                raise self.fail(f"{_display(node)} is not the input", node.pos)
            self.names.setdefault(name, "input")
            self.input = name
            return name
        if name != self.current_value():
            raise self.fail(f"this layer reads {_display(node)}, but the last layer's output is "
                            f"{self.current_value()}: layers run in order, each on the one before",
                            node.pos)  # fmt: skip
        return name

    def current_value(self) -> str:
        last = self.layers[-1]
        if last["activation"] is None:  # no activation: the affine output is the next layer's input
            last["activation"], last["post"] = IDENTITY, last["pre"]
        return last["post"]

    def add_layer(self, pre: str, affine: tuple[str, str, str, str], pos: int) -> None:
        weight, source, bias, layout = affine
        if self.layout is not None and layout != self.layout:
            raise self.fail(f"this layer is in the {layout} layout but the first is in the {self.layout} layout: "
                            "write every layer as X W + b (rows) or every one as W X + b (columns)", pos)  # fmt: skip
        if len(self.layers) >= MAX_LAYERS:
            raise self.fail(f"more than {MAX_LAYERS} layers: the derivation checks every entry numerically", pos)
        for name in (weight, bias, pre):
            if name in self.names or any(name in (lay["weight"], lay["bias"]) for lay in self.layers):
                raise self.fail(f"{name} is defined twice: give each layer its own names", pos)
        self.layout = layout
        self.layers.append({"weight": weight, "bias": bias, "pre": pre, "activation": None, "post": None,
                            "source": source})  # fmt: skip
        self.names[pre] = "pre"

    def activate(self, post: str, function: str, pos: int) -> None:
        last = self.layers[-1]
        if function == IDENTITY:  # A2 = identity(Z2): the same values under a second name
            self.alias[post] = last["pre"]
            return
        if post in self.names:
            raise self.fail(f"{post} is defined twice: give each layer's output its own name", pos)
        last["activation"], last["post"] = function, post
        self.names[post] = "post"

    # the network
    def program(self) -> LayerProgram:
        if not self.layers:
            raise self.fail("no affine layer: write Z1 = X W1 + b1 (or W1 X + b1) first", 0)
        if self.cost is None:
            raise self.fail("no cost: end with J = … (a cross-entropy or a squared error)", len(self.text))
        for k, layer in enumerate(self.layers[:-1]):
            if layer["activation"] == "softmax":
                raise self.fail(f"softmax is for the output layer; layer {k + 1} is hidden", 0)
        self.current_value()
        rhs, _ = self.cost
        cost = _Cost(self, rhs)
        loss, scale, l2, penalised, target = cost.read()
        last = self.layers[-1]
        if cost.output == "softmax" and last["activation"] == IDENTITY:  # softmax(scores) written in the cost
            last["activation"], last["post"] = "softmax", _fresh("P", self)
        layers = tuple((lay["weight"], lay["bias"], lay["pre"], lay["activation"], lay["post"], lay["source"])
                       for lay in self.layers)  # fmt: skip
        return LayerProgram(layers, loss, scale, l2, penalised, self.layout or "row", self.input or "X", target)


IDENTITY = "identity"


def _fresh(name: str, builder: _Builder) -> str:
    """``name``, or name with primes, not yet a name of the network (the output written only inside the cost)."""
    taken = set(builder.names) | {v for lay in builder.layers for v in (lay["weight"], lay["bias"], lay["pre"])}
    while name in taken:
        name += "'"
    return name


def _is_number(node: Node, value: int) -> bool:
    return node.kind == "num" and node.args[0] == value


def _written_out(node: Node) -> Node:
    """1/(1 + exp(−Z)) is σ(Z), and max(Z, 0) is max(0, Z): the call the formula spells out."""
    if node.kind == "div" and _is_number(node.args[0], 1):
        bottom = node.args[1]
        if bottom.kind == "add" and len(bottom.args) == 2 and _is_number(bottom.args[0], 1):
            power = bottom.args[1]
            if power.kind == "call" and power.args[0] == "exp" and len(power.args) == 2 and power.args[1].kind == "neg":
                return Node("call", ("sigmoid", power.args[1].args[0]), node.pos)
    if node.kind == "call" and node.args[0] == "max" and len(node.args) == 3 and _is_number(node.args[2], 0):
        return Node("call", ("max", node.args[2], node.args[1]), node.pos)
    return node


class _Cost:
    """The cost line as terms c·core, each core a cross-entropy part, a squared error or a squared weight norm."""

    def __init__(self, builder: _Builder, rhs: Node):
        self.b, self.rhs = builder, rhs
        last = builder.layers[-1]
        self.prediction, self.pre, self.output = last["post"], last["pre"], last["activation"]
        self.weights = [lay["weight"] for lay in builder.layers]
        self.target: str | None = None

    def fail(self, message: str, node: Node) -> ParseError:
        return self.b.fail(message, node.pos)

    def scalar(self, node: Node) -> sp.Expr | None:
        """The number a node stands for (numbers, m, λ and their arithmetic), or None."""
        kind, args = node.kind, node.args
        if kind == "num":
            return sp.Rational(args[0].numerator, args[0].denominator)
        if kind == "name":
            name = self.b.key(node)
            return {"m": m, "lambda": lam, "N": m}.get(name)
        parts = [self.scalar(a) if isinstance(a, Node) else None for a in args]
        if kind in ("add", "neg", "mul", "div", "pow") and any(p is None for p in parts):
            return None
        if kind == "add":
            return sp.Add(*parts)
        if kind == "neg":
            return -parts[0]
        if kind == "mul":
            return parts[0] * parts[1]
        if kind == "div":
            return parts[0] / parts[1]
        if kind == "pow":
            return parts[0] ** parts[1]
        return None

    def terms(self, node: Node, coef: sp.Expr, summed: bool) -> list[tuple[sp.Expr, Node, bool]]:
        kind, args = node.kind, node.args
        if kind == "add":
            return [t for a in args for t in self.terms(a, coef, summed)]
        if kind == "neg":
            return self.terms(args[0], -coef, summed)
        if kind == "mul":
            for k in (0, 1):
                value = self.scalar(args[k])
                if value is not None:
                    return self.terms(args[1 - k], coef * value, summed)
        if kind == "div":
            value = self.scalar(args[1])
            if value is not None:
                return self.terms(args[0], coef / value, summed)
        if kind in ("sum", "call") and (kind == "sum" or args[0] in ("sum", "mean")):
            inner = args[0] if kind == "sum" else args[1]
            if kind == "call" and args[0] == "mean":
                if self.picked(inner) is None:
                    raise self.fail("write the mean as a sum with its factor: (1/m) sum(…) (mean divides by m·K)",
                                    node)  # fmt: skip
                return self.terms(inner, coef / m, True)  # one entry per example: the mean divides by m
            return self.terms(inner, coef, True)
        return [(coef, node, summed)]

    def name(self, node: Node) -> str | None:
        if node.kind != "name":
            return None
        base, index = node.args
        if index == "L":  # a^{[L]}: the last layer's output
            return self.prediction if base.lower() in ("a", "h") else None
        key = self.b.key(node)
        if key == self.prediction or key == self.pre:
            return key
        if key in _TARGETS and key not in self.b.names:
            if self.target not in (None, key):
                raise self.fail(f"two targets, {self.target} and {key}: name the labels once", node)
            self.target = key
            return "target"
        if key.lower() in (self.prediction.lower(), "yhat", "p", "probs", "ahat") and key not in self.b.names:
            return self.prediction  # \hat{y} for \hat{Y}: the sum's entries spelled in lower case
        return key

    def is_log_of(self, node: Node, inner_one_minus: bool) -> bool:
        if node.kind != "call" or node.args[0] != "log" or len(node.args) != 2:
            return False
        arg = node.args[1]
        if inner_one_minus:
            return self.one_minus(arg) == self.prediction
        return self.name(arg) == self.prediction

    def one_minus(self, node: Node) -> str | None:
        """The name x of ``1 − x``."""
        if node.kind == "add" and len(node.args) == 2:
            one, neg = node.args
            if one.kind == "num" and one.args[0] == 1 and neg.kind == "neg":
                return self.name(neg.args[0])
        return None

    def squared(self, node: Node) -> Node | None:
        """x of x², x**2, x ⊙ x written twice, square(x), ‖x‖² (summed or not)."""
        if node.kind == "pow" and self.scalar(node.args[1]) == 2:
            return node.args[0]
        if node.kind == "call" and node.args[0] == "square" and len(node.args) == 2:
            return node.args[1]
        if node.kind == "mul" and all(a.kind == "name" for a in node.args):
            if self.b.key(node.args[0]) == self.b.key(node.args[1]):
                return node.args[0]
        return None

    def picked(self, node: Node) -> str | None:
        """ "ylog" for log P[arange(m), y] (each example's log-probability of its label: Σ Y ⊙ log P with one-hot Y),
        P the output or softmax of the last affine layer written in the cost; else None."""
        if node.kind != "call" or node.args[0] != "log" or len(node.args) != 2 or node.args[1].kind != "pick":
            return None
        pick = node.args[1].args
        if len(pick) != 3 or pick[1].kind != "call" or pick[1].args[0] not in ("arange", "range"):
            return None
        if self.name(pick[2]) != "target":
            return None
        probs = pick[0]
        if probs.kind == "call" and probs.args[0] == "softmax" and len(probs.args) == 2:
            if self.name(probs.args[1]) != self.pre or self.output not in (IDENTITY, "softmax"):
                return None
            self.output = "softmax"  # softmax written in the cost: the output layer's activation
            return "ylog"
        return "ylog" if self.name(probs) == self.prediction else None

    def classify(self, coef: sp.Expr, node: Node, summed: bool) -> tuple[str, object]:
        if self.picked(node) is not None:
            return "ylog", None
        # cross-entropy parts: Y log P, (1 − Y) log(1 − P)
        if node.kind == "mul":
            for a, b in (node.args, node.args[::-1]):
                if self.name(a) == "target" and self.is_log_of(b, False):
                    return "ylog", None
                if self.one_minus(a) == "target" and self.is_log_of(b, True):
                    return "ylog1m", None
        inner = self.squared(node)
        if inner is not None and inner.kind == "norm":
            inner, summed = inner.args[0], True
        if inner is not None and inner.kind == "call" and inner.args[0] == "norm" and len(inner.args) == 2:
            inner, summed = inner.args[1], True
        if inner is not None and summed:
            if inner.kind == "add" and len(inner.args) == 2 and inner.args[1].kind == "neg":
                pair = {self.name(inner.args[0]), self.name(inner.args[1].args[0])}
                if pair == {self.prediction, "target"}:
                    return "squared", None
            if inner.kind == "name":
                base, index = inner.args
                key = self.b.key(inner)
                if key in self.weights:
                    return "norm", (key,)
                if base[:1] in "Ww" and (index is None or index.isalpha()):  # \sum_l ‖W^{[l]}‖²: every weight
                    return "norm", tuple(self.weights)
        return "unknown", None

    def read(self) -> tuple[str, sp.Expr, sp.Expr, tuple[str, ...], str]:
        parts: dict[str, list[sp.Expr]] = {}
        penalties: dict[str, sp.Expr] = {}
        for coef, node, summed in self.terms(self.rhs, sp.Integer(1), False):
            kind, extra = self.classify(coef, node, summed)
            if kind == "unknown":
                shown = _balanced(self.b.text[node.pos :].split("\n", 1)[0])
                raise self.fail(f"cannot read this term of the cost ({shown}): write a cross-entropy −(1/m) Σ Y log P, "
                                "a squared error (1/(2m)) ‖A − Y‖² or an L2 term (λ/2) ‖W‖²", node)  # fmt: skip
            if kind == "norm":
                for weight in extra:
                    if weight in penalties:
                        raise self.fail(f"{weight} is penalised twice", node)
                    penalties[weight] = coef
                continue
            if kind in ("ylog", "ylog1m") and not summed:
                raise self.fail("the cross-entropy sums over the examples and classes: write sum(…) or \\sum", node)
            parts.setdefault(kind, []).append(coef)
        loss, scale = self.loss(parts)
        l2, penalised = sp.Integer(0), ()
        if penalties:
            factors = set(penalties.values())
            if len(factors) > 1:
                raise self.fail("the weights' penalties have different factors: write one factor, (λ/2)(‖W1‖² + …)",
                                self.rhs)  # fmt: skip
            (factor,) = factors
            l2 = sp.simplify(factor / lam)
            if l2.has(lam) or not factor.has(lam) or not l2.is_positive or not _per_example(l2):
                raise self.fail("the L2 term needs a positive factor with λ (lambda, reg) in it, e.g. (λ/2)‖W‖²",
                                self.rhs)  # fmt: skip
            penalised = tuple(w for w in self.weights if w in penalties)
        return loss, scale, l2, penalised, self.target or "Y"

    def loss(self, parts: dict[str, list[sp.Expr]]) -> tuple[str, sp.Expr]:
        if any(len(v) > 1 for v in parts.values()) or len(parts) == 0:
            raise self.fail("the cost needs one data term: a cross-entropy −(1/m) Σ Y log P or a squared error "
                            "(1/(2m)) ‖A − Y‖²", self.rhs)  # fmt: skip
        if "squared" in parts:
            if len(parts) > 1:
                raise self.fail("the cost mixes a squared error with a cross-entropy: write one of them", self.rhs)
            if self.output == "softmax":
                raise self.fail("a squared error after softmax is not derived here: use the cross-entropy "
                                "−(1/m) Σ Y log P", self.rhs)  # fmt: skip
            scale = parts["squared"][0]
            self.positive(scale, "the squared error")
            return "squared error", scale
        scale = -parts.get("ylog", [None])[0] if "ylog" in parts else None
        if scale is None:
            raise self.fail("the cross-entropy needs its Y log P term", self.rhs)
        if "ylog1m" in parts:
            if -parts["ylog1m"][0] != scale:
                raise self.fail("Y log P and (1 − Y) log(1 − P) have different factors: write −(1/m) Σ [Y log P + "
                                "(1 − Y) log(1 − P)]", self.rhs)  # fmt: skip
            if self.output != "sigmoid":
                raise self.fail(f"the binary cross-entropy goes with a sigmoid output, not {self.output}: write "
                                f"{self.prediction} = sigmoid({self.pre})", self.rhs)  # fmt: skip
            self.positive(scale, "the cross-entropy's −factor")
            return "binary cross-entropy", scale
        if self.output != "softmax":
            hint = (f"after a sigmoid write −(1/m) Σ [Y log {self.prediction} + (1 − Y) log(1 − {self.prediction})]"
                    if self.output == "sigmoid" else f"write {self.prediction} = softmax({self.pre})")  # fmt: skip
            raise self.fail(f"−Σ Y log P is the cross-entropy of a softmax output: {hint}", self.rhs)
        self.positive(scale, "the cross-entropy's −factor")
        return "cross-entropy", scale

    def positive(self, scale: sp.Expr, what: str) -> None:
        if not (scale.free_symbols <= {m} and scale.subs(m, 5).is_positive and _per_example(scale)):
            raise self.fail(f"{what} must be a positive number, over m or not (e.g. 1/m or 1/(2m), with the brackets), "
                            f"not {sp.sstr(scale)}", self.rhs)  # fmt: skip


def _balanced(text: str) -> str:
    """The start of ``text`` up to its first unmatched closing bracket (or ``;``), at most 40 characters."""
    depth = 0
    for k, c in enumerate(text):
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(c, 0)
        if depth < 0 or c == ";":
            text = text[:k]
            break
    return " ".join(text.split())[:40].rstrip(" +-")


def _per_example(factor: sp.Expr) -> bool:
    """A number or a number over m: 1/(2m), not 1/2m read as m/2."""
    return factor.is_number or (factor * m).is_number


# --- statements ------------------------------------------------------------------------------------

_ENVIRONMENT = re.compile(r"\\(begin|end)\{[a-z*]+\}|\\\[|\\\]|\$\$?|\\tag\{[^}]*\}|\\label\{[^}]*\}")


def statements(text: str) -> list[tuple[int, int]]:
    """(start, end) of each statement: lines, ``;`` and LaTeX's ``\\\\`` separate them; blanks and comments skipped."""
    spans, start, newline = [], 0, False
    for match in re.finditer(r"\n|;|\\\\", text + "\n"):
        end = match.start()
        chunk = text[start:end]
        comment = min((k for k in (chunk.find("#"), chunk.find("%")) if k >= 0), default=-1)
        if comment >= 0:
            end = start + comment
        piece = text[start:end].strip()
        goes_on = piece[:1] in ("+", "-", "−", "*", "/", "·", "⊙") or piece.startswith("\\cdot")
        if piece and spans and newline and (goes_on or _open(text[spans[-1][0] : spans[-1][1]])):
            spans[-1] = (spans[-1][0], end)  # a formula continued on the next line
        elif piece:
            spans.append((start, end))
        start, newline = match.end(), match.group(0) != ";"
    return spans


def _open(statement: str) -> bool:
    """Whether a statement ends inside a bracket or after an operator: its formula goes on."""
    depth = sum({"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(c, 0) for c in statement)
    return depth > 0 or statement.rstrip()[-1:] in ("+", "-", "*", "/", "=")


def read_layers(text: str) -> LayerProgram:
    """The network ``text`` writes, as plain data; a :class:`ParseError` (line, column, what to write) otherwise."""
    if len(text) > MAX_TEXT:
        raise ParseError(f"the network text is longer than {MAX_TEXT} characters", None, text)
    clean = _ENVIRONMENT.sub(lambda match: " " * len(match.group(0)), text)
    builder = _Builder(text)
    for start, end in statements(clean):
        equals = [mt for mt in re.finditer(r":?=(?!=)", clean[start:end])]
        if not equals:
            raise ParseError("a line without =: write NAME = formula, e.g. Z1 = X W1 + b1", start, text)
        split = start + equals[0].start()
        lhs_tokens = _Tokenizer(clean, start, split).run()
        if not lhs_tokens:
            raise ParseError("nothing before =: write the name the line defines", start, text)
        lhs = _left(lhs_tokens, text, split)
        rhs_start = start + equals[0].end()
        rhs = _Parser(_Tokenizer(clean, rhs_start, end).run(), text, end).whole()
        builder.statement(lhs, rhs)
    return builder.program()


def _left(tokens: list[Token], text: str, end: int) -> Node:
    """The defined name: the first name (J(W, b) and \\mathcal{L}(…) count as J and L)."""
    first = tokens[0]
    if first.kind != "name":
        raise ParseError("the left side must be a name, e.g. Z1, A^{[1]}, h or J", first.pos, text)
    if len(tokens) > 1 and tokens[1].kind != "(":
        raise ParseError("the left side must be one name, e.g. Z1 or A^{[1]}", tokens[1].pos, text)
    return Node("name", first.value, first.pos)


__all__ = ["LayerProgram", "read_layers", "statements"]
