r"""Reading single items of ML-course LaTeX: letters, commands, scripts, and the values they make.

x, y and θ without a subscript stay a :class:`Vec` until their neighbours
decide whether they are scalars (``\sigma(x)``), vectors (``\theta^T x``) or
the data vectors of the matrix form (``X\theta``, ``\sigma(X\theta) - y``).
Functions and operators are :class:`Head` objects until the product they stand
in gives them their argument (:mod:`derivation.parsing.reader`).  ``I`` and
``\mathbf{1}`` stay :class:`Shapeless` until a neighbour gives them their size.
"""

from __future__ import annotations

import re

import lark
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.functions import spellings
from ..core.notation import E0, K, Theta, W_matrix, X, Y, c, elementwise, i, j, k, l, m, n, theta, x, y, z
from .bounds import MAX_EXPONENT, MAX_INT, check_power, same_dim, shape_text, too_deep
from .errors import ParseError, cannot_build
from .values import (
    WEIGHTS,
    Head,
    LazySum,
    Scores,
    Shapeless,
    Vec,
    class_inner,
    function_head,
    indicator,
    is_matrixish,
    pos_of,
)

GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta iota kappa mu nu xi rho tau upsilon phi varphi chi psi "
    "omega Gamma Delta Phi Psi Omega".split()
)
LETTERS = {"m": m, "n": n, "i": i, "j": j, "k": k, "l": l, "z": z, "K": K}
_CLASS = sp.Symbol("c", real=True)  # c as written, a letter: as an index or a summation variable, the class c
INDEX_LETTERS = "ijkl"
_TRANSPOSE = ("T", r"\top", r"\intercal")
_ELEMENTARY = {
    r"\log": (sp.log, r"\log"),
    r"\ln": (sp.log, r"\log"),
    r"\exp": (sp.exp, r"\exp"),
    r"\cosh": (sp.cosh, r"\cosh"),
    r"\sinh": (sp.sinh, r"\sinh"),
}
DIAG = r"\operatorname{diag}"
_NORMS = "a norm is read as the Euclidean one, \\|v\\| or \\|v\\|_2, or as the L1 penalty \\|\\theta\\|_1"
SIGN_WORDS = ("sign", "sgn")  # \operatorname{sign}(u): SymPy's sign, the derivative of |u| (not a registered function)
WORDS = ("diag", "max", "min", "softmax", *SIGN_WORDS)  # words \operatorname{…} names besides the registered functions
PLAIN_WORDS = ("exp", "log", "ln")  # read as plain letters before "(" too, besides WORDS and the registered words
# SymPy's "noncommutative scalars in MatMul" in the user's terms: a derivative of a vector times what follows it
UNMULTIPLIED = (
    "a derivative of a vector or matrix is multiplied by what follows it here: put what is differentiated in "
    "brackets, \\nabla_\\theta [(X\\theta - y)^T(X\\theta - y)]"
)
CATCH = (ArithmeticError, TypeError, ValueError, NotImplementedError, IndexError, AttributeError, KeyError)
_DEFAULT_LIMITS = {"i": (1, m), "j": (0, n), "k": (0, n), "c": (1, K)}  # \sum_k over the classes: see reader.py
_BOLD = frozenset((r"\mathbf", r"\boldsymbol", r"\bm", r"\pmb", r"\mathbb", r"\mathds", r"\mathbbm"))
_CONDITIONS = ("iverson", "condition")  # u > 0 in brackets, parentheses or braces
_HATS = frozenset((r"\hat", r"\widehat", r"\bar", r"\overline"))  # a name of its own: ŷ the prediction, x̄ a mean
# ỹ, θ̃, w̃: a name of its own too (a smoothed or ±1 label, a θ with θ₀ = 0), never the letter without its tilde
# (review 10 R4: ỹ defined nowhere was read as y, and a gradient with it got ✓); X̃ stays X, which has its ones column
_TILDES = frozenset((r"\tilde", r"\widetilde"))
_ONE_DIGIT = re.compile(r"[0-9]")
# w⁽ⁱ⁾: example i's weight in a weighted cost Σ_i w⁽ⁱ⁾ℓ_i, positive data (the oracle draws it; never θ, see
# proof.conventions.rename)
EXAMPLE_WEIGHT = sp.IndexedBase("w", positive=True)


class AtomReader:
    """Reads one item: a letter or command with its scripts, a group, a fraction; and converts values.

    The subclass :class:`~derivation.parsing.reader.Reader` supplies ``expr`` and ``frac``,
    which items call for groups and fractions.
    """

    def __init__(self, text: str, context):
        self.text = text
        self.context = context

    def fail(self, node, message: str) -> ParseError:
        return ParseError(message, node if isinstance(node, int) else pos_of(node), self.text)

    def check_depth(self, root: lark.Tree, limit: int) -> None:
        deep = too_deep(root, lambda node: node.children if isinstance(node, lark.Tree) else (), limit)
        if deep is not None:
            raise self.fail(deep, f"expression nested too deeply (limit {limit})")

    # --- kinds of value ------------------------------------------------------------------
    def value(self, v, node):
        if isinstance(v, Head):
            raise self.fail(node, f"{v.spelling or v.kind} needs an argument")
        return v

    def scalar(self, v, node) -> sp.Expr:
        v = self.value(v, node)
        if isinstance(v, Vec):
            if v.name == "class":
                raise self.fail(node, f"{self.spell(v)} is class {v.row}'s weights: write {self.spell(v)} x^{{(i)}}")
            if v.name == "W":
                raise self.fail(node, "W^T is a matrix: for class k's score write (W^T x^{(i)})_k or w_k^T x^{(i)}")
            if v.transposed:
                raise self.fail(node, f"{self.spell(v)} is a row vector; here a number is expected")
            if v.name in ("theta", "w") and self.context.feature is not None:
                return theta[self.context.feature]  # θ := θ − α Σ(h − y)x⁽ⁱ⁾ read entry by entry
            if v.row is not None:
                if self.context.feature is not None:  # ∇J = Σ(h − y)x⁽ⁱ⁾: entry j of the vector x⁽ⁱ⁾
                    return x[v.row, self.context.feature]
                raise self.fail(node, "x^{(i)} is the vector of example i: write x_j^{(i)} or \\theta^T x^{(i)}")
            return sp.Symbol(v.name, real=True)
        if isinstance(v, LazySum):
            return sp.Add(*(-self.scalar(t, n) if neg else self.scalar(t, n) for neg, t, n in v.terms))
        if isinstance(v, Shapeless):
            raise self.fail(node, f"{v.spelling} is a matrix (here of unknown size) where a number is expected")
        if isinstance(v, Scores):
            raise self.fail(node, "W^T x^{(i)} is the vector of the K class scores: take one, (W^T x^{(i)})_k")
        if isinstance(v, sp.MatrixExpr) and v.shape == (1, 1):  # \sqrt{r^T r}, \|r\|: a number, its one entry
            return MatrixElement(v, 0, 0)
        if isinstance(v, sp.MatrixExpr):
            raise self.fail(node, f"a {shape_text(v)} matrix where a number is expected")
        if not isinstance(v, sp.Expr):
            raise self.fail(node, "a number is expected here")
        return v

    def matrix(self, v, node):
        if isinstance(v, LazySum):
            return self.matrix_sum(v.terms)
        if isinstance(v, Shapeless):
            raise self.fail(node, f"cannot tell the size of {v.spelling} here: put it next to a matrix")
        if isinstance(v, Vec):
            if v.name in ("theta", "w"):
                vector = Theta if v.name == "theta" else WEIGHTS
                return vector.T if v.transposed else vector
            if v.name == "yhat":
                return self.predictions(node)
            if v.name == "y" and v.row is None:
                return Y.T if v.transposed else Y
            if v.name == "W":
                return W_matrix.T if v.transposed else W_matrix
            if v.name == "class":
                spelled = self.spell(v)
                raise self.fail(node, f"{spelled} is class {v.row}'s weight vector: write {spelled} x^{{(i)}}")
            raise self.fail(node, "lowercase x is one example, not a matrix: the data matrix is X")
        return v

    def spell(self, v: Vec) -> str:
        name = f"w_{{{v.row}}}" if v.name == "class" else {"theta": "\\theta"}.get(v.name, v.name)
        return name + ("^T" if v.transposed else "")

    # --- items ---------------------------------------------------------------------------
    def item(self, tree: lark.Tree):
        try:
            if tree.data == "bigsum":
                return self.bigsum(tree)
            atom, *posts = tree.children
            return self.atom(self.unwrap(atom), posts, tree)
        except ParseError:
            raise
        except CATCH as exc:
            if "noncommutative" in str(exc):
                raise self.fail(tree, UNMULTIPLIED) from None
            raise self.fail(tree, cannot_build("this", exc)) from None

    def unwrap(self, atom: lark.Tree) -> lark.Tree:
        r"""See through fonts and accents (\mathbf{y}, \boldsymbol\theta, \tilde X, \vec w): they change no meaning.

        Except 𝟏 = \mathbf{1}, and \hat{y}, the prediction: a ``hat`` tree around the letter.
        """
        while atom.data in ("font", "accent"):
            inner_atom = self.single_atom(atom.children[1])
            if inner_atom is None:
                break
            if str(atom.children[0]) in _BOLD and inner_atom.data == "number" and inner_atom.children[0] == "1":
                return lark.Tree("ones", [], meta=atom.meta)
            if str(atom.children[0]) == r"\mathbb" and inner_atom.data == "letter" and inner_atom.children[0] == "I":
                return lark.Tree("indicator", [], meta=atom.meta)  # \mathbb{I}(u > 0); alone, I
            if atom.data == "accent" and str(atom.children[0]) in _HATS:
                return lark.Tree("hat", [inner_atom, atom.children[0]], meta=atom.meta)
            if atom.data == "accent" and str(atom.children[0]) in _TILDES and self.tilde_named(inner_atom):
                return lark.Tree("tilde", [inner_atom, atom.children[0]], meta=atom.meta)
            if atom.data == "accent" and inner_atom.data == "letter" and inner_atom.children[0] == "I":
                # Ĩ, Ī, Î name a matrix made from the identity (review 10: Ĩ said in words to have a 0 first entry
                # was read as I, and a penalised bias got ✓): never I itself
                raise self.fail(
                    atom,
                    f"{atom.children[0]}{{I}} is not the identity: write the matrix it stands for, "
                    r"e.g. \mathrm{diag}(0, 1, \dots, 1)",
                )
            atom = inner_atom
        return atom

    @staticmethod
    def tilde_named(letter: lark.Tree) -> bool:
        r"""Whether a tilde on ``letter`` makes a name of its own: on any letter but X (\tilde X is X) and I (refused
        below as the identity it is not)."""
        return letter.data in ("letter", "command") and str(letter.children[0]) not in ("X", "I")

    def tilde(self, atom: lark.Tree, sub, sup, primes: int, node):
        r"""ỹ⁽ⁱ⁾, θ̃: the value a definition gives it (``\tilde{y} = …`` read by verify), else a refusal that says
        to define it: reading it as the plain letter would check another formula."""
        name = str(atom.children[0].children[0])
        for key in (rf"\tilde{{{name}}}", rf"\widetilde{{{name}}}"):
            if key in self.context.defined:
                return self.defined(key, sub, sup, primes, node)
        shown = {r"\theta": "θ", r"\mu": "μ", r"\beta": "β"}.get(name, name.removeprefix("\\"))
        raise self.fail(
            node,
            f"{shown}\u0303 is used but not defined: write \\tilde{{{name}}} = … first (it is not {shown} itself)",
        )

    def single_atom(self, script) -> lark.Tree | None:
        """The one bare atom a script or group consists of, or None."""
        while True:
            if script.data in ("letter", "command", "number"):
                return script
            if script.data in ("font", "accent"):
                if script.data == "accent" and str(script.children[0]) in _HATS:
                    return script
                script = script.children[1]
                continue
            if script.data != "group":
                return script if script.data == "paren" else None
            terms = script.children[0].children
            if len(terms) != 1 or len(terms[0].children) != 1:
                return None
            item = terms[0].children[0]
            if item.data != "item" or len(item.children) != 1:
                return None
            script = item.children[0]

    def token(self, script) -> str | None:
        atom = self.single_atom(script)
        return str(atom.children[0]) if atom is not None and atom.data in ("letter", "command") else None

    def is_transpose(self, script) -> bool:
        return self.token(script) in _TRANSPOSE

    def is_theta(self, tree) -> bool:
        atom = self.single_atom(tree) if tree.data != "expr" else self.single_atom(lark.Tree("group", [tree]))
        return atom is not None and atom.data == "command" and str(atom.children[0]) in (r"\theta", r"\vartheta")

    def script(self, script):
        """The value of a sub- or superscript, or of a \\frac argument."""
        if script.data == "indices":
            raise self.fail(script, "a list with ',' is read only as the indices of a subscript")
        if script.data == "number" and len(script.children[0]) > 1:
            raise self.fail(script, f"write {{{script.children[0]}}} in braces: a bare script takes one character")
        if script.data == "group":
            return self.expr(script.children[0])
        return self.atom(self.unwrap(script), [], script)

    def index(self, script) -> sp.Expr:
        return self.scalar(self.script(script), script)

    def indices(self, script) -> list[sp.Expr]:
        r"""The indices a subscript lists: ``{j,k}``, ``{jk}``, ``{j k}``, ``{j0}`` give two, ``j`` or ``{j+1}`` one.

        Letters, digits and commands side by side in a subscript are a list, never a
        product (write ``\theta_{2 \cdot j}`` for one index 2j); a number of several
        digits in such a list is ambiguous and rejected.
        """
        if script.data == "indices":
            found = [self.scalar(self.expr(e), e) for e in script.children]
        elif (listed := self.listed_atoms(script)) is None:
            found = [self.index(script)]
        else:
            for atom in listed:
                if atom.data == "number" and not _ONE_DIGIT.fullmatch(str(atom.children[0])):
                    raise self.fail(atom, "indices side by side take one digit each: separate them with ','")
            found = [self.index(atom) for atom in listed]
        return [index.xreplace({_CLASS: c}) for index in found]  # W_{jc}: the class c of the notation

    def listed_atoms(self, script) -> list[lark.Tree] | None:
        """The atoms of a subscript like ``{j k}`` (two or more letters, digits or commands side by side)."""
        if script.data != "group" or len(script.children[0].children) != 1:
            return None
        items = script.children[0].children[0].children
        if len(items) < 2 or any(isinstance(c, lark.Token) for c in items):
            return None
        atoms = []
        for item in items:
            if item.data != "item" or len(item.children) != 1:
                return None
            atom = self.unwrap(item.children[0])
            if atom.data not in ("letter", "number", "command"):
                return None
            atoms.append(atom)
        return atoms

    def one_index(self, script, name: str) -> sp.Expr:
        found = self.indices(script)
        if len(found) != 1:
            raise self.fail(script, f"{name} takes one index here, not {len(found)}")
        return found[0]

    def element(self, value, sub, node):
        r"""``[v]_j`` (row j of a column vector, or entry j of a row) and ``[M]_{j,l}``: a MatrixElement.

        Along a dimension of length m (one entry per example) the index is the example's
        number, 1..m, so ``[X\theta]_i`` is row i - 1: θᵀx⁽ⁱ⁾.
        """
        v = self.value(value, node)
        if isinstance(v, Scores):  # (W^T x^{(i)})_k: class k's score
            return class_inner(self.one_index(sub, "W^T x^{(i)}"), v.row)
        if isinstance(v, (Vec, LazySum)):
            v = self.matrix(v, node)
        if not isinstance(v, sp.MatrixExpr):
            raise self.fail(sub, "a subscript on a bracket takes a vector or a matrix inside: [X\\theta]_j")
        found = self.indices(sub)
        if len(found) == 1 and (v.shape[1] == 1 or v.shape[0] == 1):
            found = [found[0], 0] if v.shape[1] == 1 else [0, found[0]]
        elif len(found) != 2:
            raise self.fail(sub, f"a {shape_text(v)} matrix takes two indices: [M]_{{j,l}}")
        # features are numbered 0..n like the entries of θ; examples 1..m, and example i is row i - 1
        rows, cols = ((index - 1 if same_dim(size, m) else index) for index, size in zip(found, v.shape, strict=True))
        return MatrixElement(v, rows, cols)

    def atom(self, atom: lark.Tree, posts: list[lark.Tree], node):
        factorials = sum(1 for p in posts if p.data == "factorial")
        v = self._atom(atom, [p for p in posts if p.data != "factorial"], node)
        for _ in range(factorials):  # y! of the Poisson likelihood: Γ(y + 1), defined for every real y
            v = sp.gamma(self.scalar(v, node) + 1)
        return v

    def _atom(self, atom: lark.Tree, posts: list[lark.Tree], node):
        subs = [p.children[0] for p in posts if p.data == "sub"]
        sups = [p.children[0] for p in posts if p.data == "sup"]
        primes = sum(1 for p in posts if p.data == "prime")
        if len(subs) > 1 or len(sups) > 1:
            raise self.fail(node, "double subscript or superscript")
        sub, sup = (subs or [None])[0], (sups or [None])[0]
        kind = atom.data
        if kind == "letter" and self.example_weight(str(atom.children[0]), sub, sup, primes):
            return EXAMPLE_WEIGHT[i]  # w^{(i)}: example i's weight, data (never θ_i)
        if kind == "letter":
            return self.letter(str(atom.children[0]), sub, sup, primes, node)
        if kind == "command":
            return self.command(str(atom.children[0]), sub, sup, primes, node)
        if kind == "hat":
            return self.hat(atom, sub, sup, primes, node)
        if kind == "tilde":
            return self.tilde(atom, sub, sup, primes, node)
        if kind == "accent" and str(atom.children[0]) in _HATS:
            return self.hat(self.unwrap(atom), sub, sup, primes, node)
        if kind in ("ones", "indicator") and sub is not None and self.condition_of(sub) is not None:
            return self.finish(self.indicator(self.condition_of(sub)), sup, primes, node)  # \mathbf{1}_{u > 0}
        if kind == "indicator":
            return self.letter("I", sub, sup, primes, node)
        if kind == "ones":
            if sub is not None:
                raise self.fail(sub, "\\mathbf{1} takes no subscript")
            return self.finish(Shapeless("ones"), sup, primes, node)
        if kind == "condition":
            raise self.fail(atom, "a condition is read as an indicator: write \\mathbf{1}[u > 0] (or [u > 0])")
        if kind == "norm":
            return self.finish(self.norm(atom, sub), sup, primes, node)
        if kind == "abs" and sub is not None:
            raise self.fail(sub, "|u| takes no subscript: a norm is not read, write the sum of |u_j|")
        if sub is not None and kind != "paren":
            raise self.fail(sub, "a subscript is not allowed here")
        if kind in ("named", "plain"):
            base = self.named(atom, primes)
            primes = 0 if isinstance(base, Head) else primes
        elif kind == "number":
            base = sp.Rational(str(atom.children[0]))
            if abs(base) > MAX_INT:  # as in Python syntax: 10^{20} is a power, checked as one
                raise self.fail(atom, f"number too large (limit {MAX_INT})")
        elif kind in ("paren", "group"):
            base = self.expr(atom.children[0])
            if sub is not None:
                base = self.element(base, sub, node)
        elif kind == "abs":
            inside = self.value(self.expr(atom.children[0]), atom)
            base = (
                elementwise(sp.Abs, self.matrix(inside, atom))
                if is_matrixish(inside)
                else sp.Abs(self.scalar(inside, atom))
            )
        elif kind == "iverson":  # [u > 0]
            base = self.indicator(atom)
        elif kind in ("row_list", "column"):
            base = self.vector_by_entries(atom)
            base = base.T if kind == "row_list" else base
        elif kind == "frac":
            base = self.frac(atom)
        elif kind == "frac_digits":
            digits = [c for c in str(atom.children[0]) if c.isdigit()]
            if digits[1] == "0":
                raise self.fail(atom, "division by zero")
            base = sp.Rational(int(digits[0]), int(digits[1]))
        elif kind == "sqrt":
            base = sp.sqrt(self.scalar(self.script(atom.children[1]), atom))
        else:  # a font around more than one symbol
            base = self.script(atom.children[1])
        return self.finish(base, sup, primes, node)

    def example_weight(self, name: str, sub, sup, primes: int) -> bool:
        r"""Whether ``w^{(i)}`` (no subscript, no prime, i the example index) is a weight per example: a positive
        number of the data, as in J(θ) = Σ_i w^{(i)} ℓ_i. A w defined in the text keeps its definition."""
        if name != "w" or sub is not None or sup is None or primes or "w" in self.context.defined:
            return False
        atom = self.single_atom(sup)
        if atom is None or atom.data != "paren":
            return False
        tokens = list(atom.scan_values(lambda v: isinstance(v, lark.Token)))
        return [str(t) for t in tokens] == ["i"]

    def norm(self, atom: lark.Tree, sub) -> sp.MatrixExpr:
        r"""``\|v\|`` (also ``\|v\|_2``): the Euclidean length √(vᵀv) of a vector, as a 1×1 matrix; ``\|v\|_1`` the
        sum of the entries' absolute values (the L1 norm, 𝟏ᵀ|v|)."""
        which = self.single_atom(sub) if sub is not None else None
        which = str(which.children[0]) if which is not None and which.data == "number" else None
        if sub is not None and which not in ("1", "2"):
            raise self.fail(sub, _NORMS)
        inside = self.value(self.expr(atom.children[0]), atom)
        v = self.matrix(inside, atom) if is_matrixish(inside) or isinstance(inside, (Vec, LazySum)) else None
        if v is None or 1 not in v.shape:
            raise self.fail(atom, "\\|v\\| is read for a vector: \\|X\\theta - y\\|^2, \\|\\theta\\|^2")
        column = v if v.cols == 1 else v.T
        if which == "1" and (column.has(X) or column.has(Y) or not column.has(Theta)):
            raise self.fail(sub, _NORMS)  # an L1 loss of residuals is another model: the penalty on θ is read
        if which == "1":
            return sp.OneMatrix(1, column.rows) * elementwise(sp.Abs, column)
        return sp.HadamardPower(column.T * column, sp.Rational(1, 2))

    def condition_of(self, script) -> lark.Tree | None:
        """The condition ``u > 0`` a script or an item holds alone (``{u > 0}``, ``[u > 0]``), or None."""
        while script.data in ("group", "item", "expr", "term"):
            children = script.children if script.data != "item" else script.children[:1]
            if len(children) != 1 or not isinstance(children[0], lark.Tree):
                return None
            script = children[0]
        return script if script.data in _CONDITIONS else None

    def indicator(self, condition: lark.Tree):
        """1[a > b] = step(a − b) (also <, \\gt, \\lt); 1[a ≥ b] = 1 − step(b − a) exactly (\\geq, \\le …)."""
        left, relation, right = condition.children
        relation = str(relation)
        if relation == "=":
            return self.one_hot(left, right)
        a, b = self.value(self.expr(left), left), self.value(self.expr(right), right)
        if relation in ("<", r"\lt") or relation.startswith(r"\le"):
            a, b, left, right = b, a, right, left
        if is_matrixish(a) or is_matrixish(b):  # 1[Xθ > 0], entry by entry
            gap = self.matrix_sum([(False, a, left), (True, b, right)])
        else:
            gap = self.scalar(a, left) - self.scalar(b, right)
        return indicator(gap, strict=relation in (">", "<", r"\gt", r"\lt"))

    def one_hot(self, left: lark.Tree, right: lark.Tree) -> sp.Expr:
        r"""``\mathbb{1}\{y^{(i)} = k\}``: the one-hot label y_k^{(i)} of class k (labels read as classes)."""
        a, b = self.scalar(self.expr(left), left), self.scalar(self.expr(right), right)
        label, cls = (a, b) if isinstance(a, sp.Indexed) and a.base == y else (b, a)
        if not (isinstance(label, sp.Indexed) and label.base == y and len(label.indices) == 1) or cls.has(y):
            raise self.fail(left, "1[a = b] is read for a label and a class: \\mathbb{1}\\{y^{(i)} = k\\}")
        return y[label.indices[0], cls]

    def vector_by_entries(self, atom: lark.Tree) -> sp.MatrixExpr:
        r"""θ written by its entries, a column: (θ_0, θ_1, …, θ_n) is θ; (0, θ_1, …, θ_n) is θ with θ₀ zeroed;
        (0, 1, …, 1) the ones with θ₀'s entry zeroed (ridge's diag(0, 1, …, 1))."""
        shape = "write the vector as (0, \\theta_1, \\dots, \\theta_n) or (\\theta_0, \\theta_1, \\dots, \\theta_n)"
        items = atom.children
        dots = [k for k, e in enumerate(items) if _is_dots(e)]
        if not dots:  # f(a, b), (a, b): not a vector by its entries
            mark = "," if atom.data == "row_list" else ";"
            at = self.text.find(mark, items[0].meta.end_pos)
            hint = (
                " (p(x_i; \\theta), the model's probability, is read with \\theta or w after ';')"
                if mark == ";"
                else ""
            )
            raise self.fail(at if at >= 0 else atom, f"unexpected '{mark}'{hint}")
        if len(dots) != 1 or dots[0] in (0, len(items) - 1) or dots[0] != len(items) - 2:
            raise self.fail(atom, f"a vector by its entries is read with one \\dots before the last: {shape}")
        values = [self.expr(e) for k, e in enumerate(items) if k != dots[0]]
        first, known, last = values[0], values[1:-1], values[-1]
        if last == 1 and all(v == 1 for v in known) and first in (0, 1):  # diag(0, 1, …, 1): θ₀ left out
            ones = sp.OneMatrix(n + 1, 1)
            return ones if first == 1 else ones - E0
        if last != theta[n] or any(v != theta[k + 1] for k, v in enumerate(known)) or first not in (0, theta[0]):
            raise self.fail(atom, f"a vector by its entries is read for \\theta only: {shape}")
        if not known and first == 0:
            raise self.fail(atom, f"the entries after 0 are ambiguous: {shape}")
        return Theta if first == theta[0] else WEIGHTS

    def named(self, atom: lark.Tree, primes: int) -> Head:
        r"""``\operatorname{diag}``, or a registered function written as a word: ``\mathrm{sigmoid}``, ``sign(u)``."""
        token = str(atom.children[0])
        word = token[token.index("{") + 1 : -1].strip() if atom.data == "named" else token
        if word in PLAIN_WORDS:
            return function_head(*_ELEMENTARY["\\" + ("log" if word == "ln" else word)])
        if word == "diag":
            return Head("diag", spelling=DIAG)
        if word == "softmax":  # \mathrm{softmax}(XW): each row of scores made probabilities
            return Head("softmax", spelling=token)
        if word in ("max", "min"):
            return Head(word, spelling="\\" + word)
        if word in SIGN_WORDS:
            return function_head(sp.sign, token, primes)
        return function_head(spellings("latex_word")[word].function, token, primes)

    def finish(self, base, sup, primes: int, node):
        if isinstance(base, Head) and sup is None and not primes:
            return base
        v = self.value(base, node)
        for _ in range(primes):
            v = self.prime(v, node)
        if sup is None:
            return v
        if self.is_transpose(sup):
            if isinstance(v, Vec):
                return Vec(v.name, v.row, not v.transposed)
            if isinstance(v, Shapeless):
                return Shapeless(v.kind, v.kind == "ones" and not v.transposed, v.coeff)
            if isinstance(v, (sp.MatrixExpr, LazySum)):
                return self.matrix(v, node).T
            raise self.fail(sup, "^T needs a matrix or a vector")
        if isinstance(v, sp.MatrixExpr) and v.shape == (1, 1):  # \|v\|^2, (\theta^T\theta)^2: a number's power
            exponent = self.scalar(self.script(sup), sup)
            reason = check_power(v, exponent, MAX_EXPONENT)
            if reason:
                raise self.fail(sup, reason)
            if isinstance(v, sp.HadamardPower) and v.exp * exponent == 1:  # \|v\|^2 = vᵀv
                return v.base
            return sp.HadamardPower(v, exponent)
        if is_matrixish(v):
            inverse = self.inverse(v, sup)  # (XᵀX + λI)⁻¹: the normal equations' solution
            if inverse is not None:
                return inverse
            raise self.fail(sup, "a matrix only takes ^T here (and ^{-1} when it is square)")
        atom = self.single_atom(sup)
        if atom is not None and atom.data == "paren" and self.row(sup) == i:  # c^{(i)}: a weight per example, no power
            raise self.fail(
                sup,
                "^{(i)} names example i, and only x^{(i)}, y^{(i)} and the weight w^{(i)} are data: "
                "write an example's weight as w^{(i)}",
            )
        base, exponent = self.scalar(v, node), self.scalar(self.script(sup), sup)
        reason = check_power(base, exponent, MAX_EXPONENT)
        if reason:
            raise self.fail(sup, reason)
        if base.is_zero and exponent.is_negative:
            raise self.fail(sup, "division by zero")
        return base**exponent

    def postfix(self, v, posts, node):
        subs = [p.children[0] for p in posts if p.data == "sub"]
        if len(subs) > 1:
            raise self.fail(node, "double subscript")
        if subs:
            v = self.element(v, subs[0], node)
        sups = [p.children[0] for p in posts if p.data == "sup"]
        if len(sups) > 1:
            raise self.fail(node, "double superscript")
        return self.finish(v, (sups or [None])[0], sum(1 for p in posts if p.data == "prime"), node)

    def inverse(self, v, sup) -> sp.MatrixExpr | None:
        """v⁻¹ for a square matrix v written with ^{-1}; None for any other exponent or shape."""
        try:
            exponent = self.scalar(self.script(sup), sup)
        except ParseError:
            return None
        if exponent != -1 or not isinstance(v, sp.MatrixExpr) or v.shape[0] != v.shape[1] or v.shape == (1, 1):
            return None
        return sp.Inverse(v)

    def prime(self, v, node):
        expr = self.scalar(v, node)
        symbols = [s for s in expr.free_symbols if isinstance(s, sp.Symbol)]
        if len(symbols) != 1:
            raise self.fail(node, "' is ambiguous here: write \\frac{d}{dx} to say by what to differentiate")
        return sp.Derivative(expr, symbols[0], evaluate=False)


_DOTS = frozenset((r"\dots", r"\ldots", r"\cdots", r"\vdots", r"\ddots"))


def _is_dots(entry: lark.Tree) -> bool:
    r"""An entry that is only \dots (or \ldots, \cdots, \vdots): the entries in between."""
    tokens = list(entry.scan_values(lambda v: isinstance(v, lark.Token)))
    return len(tokens) == 1 and str(tokens[0]) in _DOTS
