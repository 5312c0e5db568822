r"""The walk over a LaTeX parse tree (grammar ``latex.lark``) that builds SymPy.

The grammar leaves each product as a flat list of items; :class:`Reader` gives
them meaning: which item is a function waiting for its argument (``\log``,
``\sigma``, ``h_\theta``), which opens an operator over the rest of the term
(``\sum``, ``\frac{\partial}{\partial v}``), and what x, y and θ are from their
scripts and neighbours.  See :mod:`derivation.parsing.latex` for the notation.
"""

from __future__ import annotations

import dataclasses
import re

import lark
import sympy as sp
from sympy.matrices.expressions.diagonal import DiagMatrix

from ..core.functions import normal_pdf, relu
from ..core.functions.softmax import Softmax
from ..core.notation import K, Theta, X, elementwise, example_inner, inner, lam, m, n, theta, x
from .atoms import CATCH, GREEK, UNMULTIPLIED
from .bounds import MAX_CONSTANT_NESTING, MAX_EXPONENT, check_power, function_nesting, same_dim, shape_text
from .errors import ParseError, cannot_build
from .letters import LetterReader
from .values import (
    Apply,
    Entry,
    Head,
    LazySum,
    Scores,
    Shapeless,
    Vec,
    above_floor,
    class_inner,
    example_vector,
    is_bare_vec,
    is_matrixish,
    is_plain,
    pos_of,
    transposed_product,
    weights_inner,
)

_GREEK = GREEK | {"sigma"}  # functions named by a Greek letter (\sigma, \Phi): σ² may be a variance


def _row(value) -> bool:
    """Whether ``value`` is a row vector (1×k, k ≠ 1), which only a product after it makes a number."""
    shape = getattr(value, "shape", None)
    return is_matrixish(value) and shape is not None and shape[0] == 1 and shape[1] != 1


def _constant(value) -> bool:
    """True for a number or a fraction of the sizes m, n, K and λ: nothing a derivative acts on."""
    return isinstance(value, sp.Expr) and value.free_symbols <= {m, n, K, lam}


def _data_only(value) -> bool:
    """True for an expression of the data x, y and sizes only (1 − y⁽ⁱ⁾): no parameter, function, Σ or ∂ a derivative
    by θ could act on, so ∂/∂θ written before it in brackets is of the whole product that follows."""
    if not isinstance(value, sp.Expr) or value.atoms(sp.Function, sp.Derivative, sp.Sum, sp.MatrixSymbol):
        return False
    bases = {str(a.base) for a in value.atoms(sp.Indexed)}
    names = {str(s) for s in value.free_symbols - set().union(*(a.free_symbols for a in value.atoms(sp.Indexed)))}
    return bases <= {"x", "y"} and names <= {"x", "y", "m", "n", "K", "lambda", "i", "j", "k"} | bases


def _hidden_sums(value: sp.Basic, hidden: dict[sp.Symbol, sp.Sum]) -> sp.Basic:
    """``value`` with its Σ over data (Σ_i (θᵀx⁽ⁱ⁾ − y⁽ⁱ⁾)²) as placeholders recorded in ``hidden``: a matrix
    product or sum calls doit() on every argument, and a Σ of data is never done but costs a second to try."""
    sums = {s: sp.Dummy("sum") for s in value.atoms(sp.Sum) if s.function.has(sp.Indexed)} if value.has(sp.Sum) else {}
    hidden.update({d: s for s, d in sums.items()})
    return value.xreplace(sums) if sums else value


class Reader(LetterReader):
    """Builds SymPy from one parse tree; every failure is a ParseError at the node."""

    # --- sums and products ---------------------------------------------------------------
    def expr(self, tree: lark.Tree):
        terms, negative, pending = [], False, None
        for child in tree.children:
            if isinstance(child, lark.Token):
                negative = child == "-"
                continue
            neg, entries = self.entries(child)
            neg ^= negative
            if pending is not None:  # \sum_i -a: the operator takes the signed term after it
                neg ^= pending[0]
                entries = [*pending[1], Entry("juxt", entries[0].node, entries[0].pos), *entries[1:]]
                pending = None
            if self.ends_with_operator(entries) and child is not tree.children[-1]:
                pending = (neg, entries)
                continue
            terms.append((neg, self.value(self.product(entries, 0), child), child))
        if len(terms) == 1 and not terms[0][0]:
            return terms[0][1]
        try:
            if any(is_matrixish(v) for _, v, _ in terms):
                return self.matrix_sum(terms)
            if any(isinstance(v, LazySum) or (is_bare_vec(v) and v.name in ("y", "theta")) for _, v, _ in terms):
                return LazySum(tuple(terms))
            return sp.Add(*(-self.scalar(v, node) if neg else self.scalar(v, node) for neg, v, node in terms))
        except ParseError:
            raise
        except CATCH as exc:
            raise self.fail(tree, cannot_build("this sum", exc)) from None

    def matrix_sum(self, terms):
        values = [(neg, v if isinstance(v, Shapeless) else self.matrix(v, node), node) for neg, v, node in terms]
        shape = next((v.shape for _, v, _ in values if isinstance(v, sp.MatrixExpr)), None)
        if shape is None:
            unsized, node = next((v, node) for _, v, node in values if isinstance(v, Shapeless))
            raise self.fail(node, f"cannot tell the size of {unsized.spelling} here: add a matrix")
        parts, hidden = [], {}
        for neg, v, node in values:
            if isinstance(v, Shapeless):
                sized = v.sized(*shape)
                if sized is None:
                    raise self.fail(node, f"{v.spelling} cannot be added to a {shape_text(sp.ZeroMatrix(*shape))} one")
                v = sized
            if isinstance(v, sp.MatrixExpr):
                if not (same_dim(v.rows, shape[0]) and same_dim(v.cols, shape[1])):
                    raise self.fail(node, f"shapes do not match: {shape_text(v)} added to {shape[0]}×{shape[1]}")
            elif shape == (1, 1):  # vᵀv + λ Σ_j θ_j²: beside a 1×1 matrix any number is its one entry
                v = _hidden_sums(self.scalar(v, node), hidden) * sp.OneMatrix(1, 1)
            else:
                v = self.scalar(v, node)
                if self.bare_hypothesis(v) and same_dim(shape[0], m) and shape[1] == 1:  # Xᵀ(h − y): h of each example
                    parts.append(-self.predictions(node) if neg else self.predictions(node))
                    continue
                constant = v.free_symbols - {m, n, lam} <= theta[0].free_symbols
                vector = theta_multiple(v, shape)
                if vector is not None:  # (λ/m)θ beside Xᵀ(σ(Xθ) − y): the bare θ there is the vector
                    parts.append(-vector if neg else vector)
                    continue
                if not constant or v.atoms(sp.Function, sp.Derivative, sp.Sum):  # numbers and b = θ₀ broadcast
                    shown = sp.latex(v)  # in the user's terms: \theta_{j}, not theta[j]
                    if shown == "Y":  # (Xθ − Y): the targets, which the notation calls y
                        raise self.fail(node, "Y is read as a number here: write y for the vector of targets")
                    raise self.fail(
                        node, f"{shown} is a number, not a vector: in matrix form write e.g. \\sigma(X\\theta)"
                    )
                v = v * sp.OneMatrix(*shape)
            parts.append(-v if neg else v)
        total = sum(parts[1:], parts[0])
        return total.xreplace(hidden) if hidden else total

    def bare_hypothesis(self, v) -> bool:
        """h written alone (no argument): the model's prediction, which beside an m-vector is every example's."""
        return self.context.hypothesis is not None and isinstance(v, sp.Symbol) and v.name == "h"

    def entries(self, term: lark.Tree) -> tuple[bool, list[Entry]]:
        """The term's items, its operators, and the sign pulled out of its factors."""
        negative, op, out = False, "first", []
        for child in term.children:
            if isinstance(child, lark.Token):
                op = {"MULOP": "mul", "DIVOP": "div", "HADOP": "hadamard"}[child.type]
                continue
            while child.data == "signed":
                negative ^= child.children[0] == "-"
                child = child.children[1]
            out.append(Entry(op, child, pos_of(child)))
            op = "juxt"
        return negative, out

    def ends_with_operator(self, entries: list[Entry]) -> bool:
        last = entries[-1].node
        if last.data == "bigsum":
            return True
        if last.data == "item" and len(last.children) == 1 and last.children[0].data == "frac":
            # only \frac{\partial}{\partial v} is an operator: look before reading, since reading the frac here
            # and again in the product doubles the work at each level (\frac{1}{\frac{1}{…}} 20 deep: 60 s)
            numerator = self.script_entries(last.children[0].children[1])
            delta = self.delta_marks(numerator, self.script_entries(last.children[0].children[2]))
            if not (numerator and len(numerator[1]) == 1 and self.diff_mark(numerator[1][0], delta)):
                return False
            return isinstance(self.frac(last.children[0]), Head)
        return False

    def product(self, entries: list[Entry], start: int):
        if entries[start].op in ("div", "hadamard"):
            raise self.fail(entries[start].pos, "nothing to divide" if entries[start].op == "div" else "nothing to ⊙")
        cuts = [k for k in range(start + 1, len(entries)) if entries[k].op == "hadamard"]
        if cuts:  # ⊙ looser than a product side by side, as users mean it: y ⊙ Xθ is y ⊙ (Xθ), Xθ ⊙ y is (Xθ) ⊙ y
            acc = None
            for low, high in zip([start, *cuts], [*cuts, len(entries)], strict=True):
                group = [dataclasses.replace(entries[low], op="first"), *entries[low + 1 : high]]
                part = self.value(self.product(group, 0), entries[low].node)
                if isinstance(part, (Vec, LazySum)) and not is_plain(part):
                    part = self.matrix(part, entries[low].node)  # next to ⊙, y, θ and (1 - y) are vectors
                if acc is not None and not (is_matrixish(acc) and (is_matrixish(part) or isinstance(part, Shapeless))):
                    raise self.fail(entries[low].node, "\\odot multiplies two vectors or matrices entry by entry")
                acc = part if acc is None else self.hadamard(acc, part, entries[low].node)
            return acc
        acc, scalars, index = None, [], start
        while index < len(entries):
            entry = entries[index]
            operand, index = self.operand(entries, index)
            operand = self.value(operand, entry.node)
            try:
                if is_bare_vec(acc) and (is_plain(operand) or is_bare_vec(operand)):
                    acc, scalars = None, [self.scalar(acc, entry.node)]
                if acc is None and scalars and is_bare_vec(operand):
                    operand = self.scalar(operand, entry.node)
                if acc is None and index >= len(entries) and self.example_row(operand):
                    operand = x[operand.row, self.context.feature]  # Σ_n{…}φ(x_n)ᵀ: the gradient as a row (Bishop)
                if acc is None and is_plain(operand):  # numbers are multiplied once, at the end
                    if scalars and entry.op == "div":
                        if operand.is_zero:
                            raise self.fail(entry.node, "division by zero")
                        operand = sp.Pow(operand, -1)
                    scalars.append(operand)
                    continue
                if acc is None:
                    acc = operand if not scalars else self.combine(sp.Mul(*scalars), entry.op, operand, entry.node)
                    continue
                acc = self.combine(acc, entry.op, operand, entry.node)
            except ParseError:
                raise
            except CATCH as exc:
                if "noncommutative" in str(exc):  # SymPy's words for a derivative of a vector times a matrix
                    raise self.fail(entry.node, UNMULTIPLIED) from None
                raise self.fail(entry.node, cannot_build("this product", exc)) from None
        return acc if acc is not None else sp.Mul(*scalars)

    def example_row(self, v) -> bool:
        """x_nᵀ, φ(x_n)ᵀ ending a vector formula's product: a row whose entry j is x_j of example n."""
        return (
            isinstance(v, Vec)
            and v.name == "x"
            and v.transposed
            and v.row is not None
            and self.context.feature is not None
        )

    def combine(self, a, op: str, b, node):
        if op == "div":
            d = self.scalar(b, node)
            if d.is_zero:
                raise self.fail(node, "division by zero")
            if isinstance(a, Shapeless):
                return a.scaled(1 / d)
            return self.matrix(a, node) / d if is_matrixish(a) else self.scalar(a, node) / d
        if op == "hadamard":
            return self.hadamard(a, b, node)
        if is_matrixish(a) or is_matrixish(b):
            a2 = self.matrix(a, node) if isinstance(a, (Vec, LazySum, sp.MatrixExpr)) else a
            b2 = self.matrix(b, node) if isinstance(b, (Vec, LazySum, sp.MatrixExpr)) else b
            a2, b2 = self.sized_pair(a2, b2, node)
            if isinstance(a2, sp.MatrixExpr) and isinstance(b2, sp.MatrixExpr):
                if not same_dim(a2.cols, b2.rows):
                    return self.transposed_product(a2, b2, node)
                return a2 * b2
            if isinstance(a2, (sp.MatrixExpr, Shapeless)) and op == "juxt":
                if isinstance(b2, sp.Symbol) and re.fullmatch(r"[A-Z]", b2.name):  # (y − Xθ)ᵀW(y − Xθ): WLS's W
                    raise self.fail(
                        node,
                        f"{b2.name} is read as a number here, not a matrix: the sampled data has X and y only, so a "
                        f"weight matrix {b2.name} (weighted least squares) cannot be checked",
                    )
                raise self.fail(node, "a matrix times a number after it: in matrix form write vectors, e.g. X\\theta")
            if isinstance(a2, Shapeless) or isinstance(b2, Shapeless):
                return a2.scaled(b2) if isinstance(a2, Shapeless) else b2.scaled(a2)
            return a2 * b2
        return self.scalar(a, node) * self.scalar(b, node)

    def transposed_product(self, a, b, node):
        """A product whose shapes do not match: an error, or read with the one factor whose transpose fits."""
        written = self.context.transposed
        found = transposed_product(a, b, written) if written is not None else None
        if found is None:
            raise self.fail(node, f"shapes do not match for a product: {shape_text(a)} times {shape_text(b)}")
        return found

    def sized_pair(self, a, b, node):
        """The two factors of a product, I and 𝟏 given the size the other factor asks for; numbers made scalars."""
        if isinstance(a, Shapeless) and isinstance(b, Shapeless):
            raise self.fail(node, f"cannot tell the sizes of {a.spelling} and {b.spelling} here")
        if isinstance(a, Shapeless) and isinstance(b, sp.MatrixExpr):  # I B, 1ᵀ B
            a = self.fit(a, 1 if a.kind == "ones" else b.rows, b.rows, a.kind == "ones" and not a.transposed, node)
        elif isinstance(b, Shapeless) and isinstance(a, sp.MatrixExpr):  # A I, A 1
            b = self.fit(b, a.cols, 1 if b.kind == "ones" else a.cols, b.transposed, node)
        a = a if isinstance(a, (sp.MatrixExpr, Shapeless)) else self.scalar(a, node)
        b = b if isinstance(b, (sp.MatrixExpr, Shapeless)) else self.scalar(b, node)
        return a, b

    def fit(self, v: Shapeless, rows, cols, unknown: bool, node) -> sp.MatrixExpr:
        sized = None if unknown else v.sized(rows, cols)
        if sized is None:
            raise self.fail(node, f"cannot tell the length of {v.spelling} here: write e.g. \\mathbf{{1}}^T y")
        return sized

    def hadamard(self, a, b, node):
        """a ⊙ b: two vectors or matrices of one shape, entry by entry; 𝟏 and I take the other's shape."""
        a = self.matrix(a, node) if isinstance(a, (Vec, LazySum)) else a
        b = self.matrix(b, node) if isinstance(b, (Vec, LazySum)) else b
        if isinstance(a, Shapeless) and isinstance(b, sp.MatrixExpr):
            a = a.sized(*b.shape)
        elif isinstance(b, Shapeless) and isinstance(a, sp.MatrixExpr):
            b = b.sized(*a.shape)
        if not (isinstance(a, sp.MatrixExpr) and isinstance(b, sp.MatrixExpr)):
            raise self.fail(node, "\\odot multiplies two vectors or matrices of the same shape entry by entry")
        if not (same_dim(a.rows, b.rows) and same_dim(a.cols, b.cols)):
            raise self.fail(node, f"shapes do not match for \\odot: {shape_text(a)} and {shape_text(b)}")
        return sp.HadamardProduct(a, b)

    def operand(self, entries: list[Entry], index: int):
        """The value of the item at ``index``, after it took its argument; and the next index."""
        entry = entries[index]
        after = entries[index + 1] if index + 1 < len(entries) and entries[index + 1].op == "juxt" else None
        if after is not None and self.indicator_item(entry.node) and self.condition_of(after.node) is not None:
            atom, *posts = after.node.children  # \mathbf{1}[u > 0], \mathbb{I}(u > 0), \mathbb{1}\{u > 0\}
            return self.postfix(self.indicator(atom), posts, after.node), index + 2
        if after is not None and (probability := self.probability(entry.node, after.node)) is not None:
            return self.postfix(probability, after.node.children[1:], after.node), index + 2
        v = self.item(entry.node)
        if isinstance(v, Vec) and v.transposed and after is not None:
            w, following = self.paired(entries, index + 1)  # θᵀx⁽ⁱ⁾, wᵀx_i, xᵀθ pair before anything else multiplies
            pair = ((v.name, v.transposed), (w.name, w.transposed)) if isinstance(w, Vec) else None
            if pair in ((("theta", True), ("x", False)), (("x", True), ("theta", False))):
                row = w.row if w.name == "x" else v.row
                return (inner(row) if row is not None else example_inner()), following
            if pair == (("w", True), ("x", False)):  # the weights skip the bias: Σ_{k≥1} θ_k x_k⁽ⁱ⁾
                return weights_inner(w.row), following
            if pair == (("class", True), ("x", False)):  # w_k^T x^{(i)}: Σ_l W_{lk} x_l^{(i)}
                return class_inner(v.row, w.row), following
            if pair == (("W", True), ("x", False)):  # W^T x^{(i)}: the K scores, read by entry (W^T x^{(i)})_k
                return Scores(w.row), following
        dot = entries[index + 1] if index + 1 < len(entries) and entries[index + 1].op == "mul" else None
        if isinstance(v, Vec) and not v.transposed and v.row is None and v.name in ("w", "theta") and dot is not None:
            w = example_vector(self.item(dot.node))  # w · x⁽ⁱ⁾, the dot product of the Specialization's notes
            if isinstance(w, Vec) and w.name == "x" and not w.transposed:
                if v.name == "w":
                    return weights_inner(w.row), index + 2
                return (inner(w.row) if w.row is not None else example_inner()), index + 2
        if not isinstance(v, Head):
            return v, index + 1
        paren = after is not None and self.paren_item(after.node)
        if v.kind in ("sum", "deriv"):
            if index + 1 >= len(entries):
                raise self.fail(entry.node, "\\sum or \\frac{\\partial}{\\partial ...} needs something to act on")
            if v.kind == "deriv" and paren and len(after.node.children) == 1:
                arg = self.expr(after.node.children[0].children[0])
                # ∂/∂θ_j (1/2m) Σ …: a constant in brackets is the first factor of what is differentiated; so is a
                # row vector, ∇_θ (θᵀXᵀ − yᵀ)(Xθ − y) (de Freitas): only the whole product is a number
                # and so is data, (1 − y⁽ⁱ⁾) log(1 − h) (IvanHalim): ∂/∂θ of the whole product, as in mathematics
                if not (index + 2 < len(entries) and (_constant(arg) or _row(arg) or _data_only(arg))):
                    return self.derivative(arg, v.data, after.node), index + 2
            body = self.product(entries, index + 1)
            if v.kind == "deriv":
                return self.derivative(body, v.data, entry.node), len(entries)
            var = v.data[0]  # \sum_{p=1}^{n} \theta_p: the p written in the body is the summation variable
            summand = self.scalar(body, entry.node)
            # whatever the body's letter was read as (n, the number of features, in t_n), it is the bound index:
            # Σ_{n=1}^{N} t_n w² read t_n's n as the features' count, so t_n left the sum as a constant (tester 13)
            summand = summand.xreplace({s: var for s in summand.free_symbols if s.is_Symbol and s.name == var.name})
            limits = (var, 1, K) if v.spelling == "guessed" and counts_classes(summand, var) else v.data
            return sp.Sum(summand, limits), len(entries)
        if v.kind in ("max", "min"):
            return self.postfix(self.maximum(v, after), after.node.children[1:], after.node), index + 2
        if v.kind == "cost":
            if paren and self.is_theta(after.node.children[0].children[0]):
                return v.data, index + 2
            if paren:
                raise self.fail(after.node, "the cost is written J(\\theta)")
            return v.data, index + 1
        if v.kind == "function" and v.data.power is not None and not paren and v.spelling.strip("\\'") in _GREEK:
            written = v.spelling  # \sigma^2 alone may be a variance: the square of σ(z) only before "("
            raise self.fail(entry.node, f"{written}^2 is read as a square only before parentheses: {written}^2(z)")
        bishop_phi = v.kind == "function" and v.spelling == r"\Phi" and self.context.examples_n
        if v.kind == "function" and v.data.letter and not paren:  # g alone is a symbol; g(z) is σ(z)
            if bishop_phi:  # Bishop's Φ alone: the design matrix
                return X, index + 1
            return sp.Symbol(v.spelling.lstrip("\\").rstrip("'"), real=True), index + 1
        if after is None:
            raise self.fail(entry.node, f"{v.spelling} needs an argument")
        if paren:
            atom, *posts = after.node.children
            arg = self.expr(atom.children[0])
            if bishop_phi and (is_matrixish(arg) or isinstance(arg, (Vec, LazySum))):
                return X, index + 1  # Φ(y − t): the design matrix times a vector; Φ(θᵀx⁽ⁱ⁾) of a number is the cdf
            result = self.apply(v, arg, after.node)
            return self.postfix(result, posts, after.node), index + 2
        if v.kind in ("h", "features"):
            raise self.fail(after.node, f"{v.spelling} needs its argument in parentheses: {v.spelling}(x^{{(i)}})")
        arg, following = self.operand(entries, index + 1)
        return self.apply(v, self.value(arg, after.node), after.node), following

    def probability(self, node: lark.Tree, after: lark.Tree):
        r"""``p(x_i; \theta)``, ``p(x^{(i)}, \theta)``: the model's probability of example i, its prediction
        h_θ(x⁽ⁱ⁾) (ESL's p(x_i; β) with the parameters written θ or w); None when not that."""
        alone = node.data == "item" and len(node.children) == 1 and self.unwrap(node.children[0]).data == "letter"
        if not alone or str(self.unwrap(node.children[0]).children[0]) != "p" or "p" in self.context.defined:
            return None
        atom = after.children[0] if after.data == "item" else None
        if atom is None or atom.data not in ("column", "row_list") or len(atom.children) != 2:
            return None
        parameters = self.single_atom(lark.Tree("group", [atom.children[1]]))
        if parameters is None or parameters.data not in ("letter", "command"):
            return None
        if str(parameters.children[0]) not in (r"\theta", r"\vartheta", "w") or self.context.hypothesis is None:
            return None
        example = example_vector(self.value(self.expr(atom.children[0]), atom))
        if not (isinstance(example, Vec) and example.name == "x" and not example.transposed):
            raise self.fail(atom, "p(x; \\theta) takes one example first: p(x_i; \\theta) or p(x^{(i)}; \\theta)")
        if example.row is None:
            return self.context.example_hypothesis()
        return self.context.hypothesis(example.row)

    def indicator_item(self, node: lark.Tree) -> bool:
        r"""``\mathbf{1}``, ``\mathbb{1}``, ``\mathbb{I}`` alone: an indicator when a condition follows."""
        alone = node.data == "item" and len(node.children) == 1
        return alone and self.unwrap(node.children[0]).data in ("ones", "indicator")

    def maximum(self, head: Head, after: Entry | None):
        r"""``\max(0, u)``, ``\max\{u, 0\}``: ReLU(u); ``\max(c, u)`` = c + ReLU(u − c); \min(a, b) = −max(−a, −b)."""
        spelling = head.spelling
        atom = after.node.children[0] if after is not None and after.node.data == "item" else None
        if atom is None or atom.data not in ("row_list", "paren"):
            raise self.fail(after.node if after else 0, f"{spelling} takes two arguments: {spelling}(0, u)")
        parts = [self.value(self.expr(e), e) for e in atom.children if isinstance(e, lark.Tree)]
        if len(parts) != 2:
            raise self.fail(atom, f"{spelling} takes two arguments, not {len(parts)}: write {spelling}(0, u)")
        sign = -1 if head.kind == "min" else 1
        if any(is_matrixish(p) for p in parts):  # \max(0, 1 - y \odot X\theta): ReLU entry by entry
            zero = [p for p in parts if not is_matrixish(p) and self.scalar(p, atom) == 0]
            if not zero:
                raise self.fail(atom, f"{spelling} of a vector is read against 0 only: {spelling}(0, v)")
            vector = self.matrix(next(p for p in parts if is_matrixish(p)), atom)
            return sign * elementwise(relu, sign * vector)
        found = above_floor(relu, *(sign * self.scalar(p, atom) for p in parts))
        if found is None:
            message = f"{spelling}(a, b) of two varying terms is not read: write {spelling}(0, a - b) + b"
            raise self.fail(atom, message)
        return sign * found

    def paired(self, entries: list[Entry], index: int):
        """The vector at ``index`` a transposed one pairs with (x⁽ⁱ⁾, x_i, Bishop's φ(x_n)); the index after it."""
        v = self.item(entries[index].node)
        if isinstance(v, Head) and v.kind == "features":
            return self.operand(entries, index)
        return example_vector(v), index + 1

    def paren_item(self, node: lark.Tree) -> bool:
        return node.data == "item" and node.children[0].data == "paren"

    def apply(self, head: Head, arg, node):
        kind = head.kind
        if kind == "features":  # Bishop's φ(x_n): the features of example n, here its inputs
            arg = example_vector(arg)
            if is_plain(arg) or isinstance(arg, LazySum):  # φ(θᵀx⁽ⁱ⁾) of a number: the normal density (probit)
                return normal_pdf(self.scalar(arg, node))
            if isinstance(arg, sp.MatrixExpr):  # φ(Xθ): the normal density entry by entry
                return elementwise(normal_pdf, arg)
            if not (isinstance(arg, Vec) and arg.name == "x" and not arg.transposed):
                raise self.fail(node, "\\phi takes one example: \\phi(\\mathbf{x}_n)")
            return arg
        if kind == "h":
            if arg is X and self.context.hypothesis is not None:  # h_θ(X): the vector of predictions
                return self.predictions(node)
            arg = example_vector(arg)
            if isinstance(arg, Vec) and arg.name == "x" and not arg.transposed:
                function = self.context.hypothesis if arg.row is not None else self.context.example_hypothesis
                if function is None:
                    raise self.fail(node, "this model has no hypothesis h_\\theta")
                return function(arg.row) if arg.row is not None else function()
            raise self.fail(node, "h_\\theta takes x^{(i)} or x")
        if kind == "softmax":
            if not (isinstance(arg, sp.MatrixExpr) and arg.shape[1] != 1):
                raise self.fail(node, "softmax is read on a matrix of scores, normalised along each row: softmax(XW)")
            return Softmax(arg)
        if kind == "diag":
            v = self.matrix(arg, node) if isinstance(arg, (Vec, LazySum, Shapeless)) else arg
            if isinstance(v, sp.MatrixExpr) and v.shape[0] == 1 and v.shape[1] != 1:
                v = v.T  # diag(0, 1, …, 1): the entries written in a row
            if not (isinstance(v, sp.MatrixExpr) and v.shape[1] == 1):
                raise self.fail(node, "diag takes a column vector: \\operatorname{diag}(\\sigma(X\\theta))")
            return DiagMatrix(v)
        return self.apply_function(head.data, arg, node)

    def apply_function(self, apply: Apply, arg, node):
        """f(u); f of a matrix entry by entry; f′(u) (σ′(z)) as an unevaluated derivative; f²(u) = f(u)²."""
        if apply.power is not None:
            value = self.apply_function(dataclasses.replace(apply, power=None), arg, node)
            if is_matrixish(value):
                raise self.fail(node, "a power of a function of a matrix is not read: write it entry by entry")
            reason = check_power(value, apply.power, MAX_EXPONENT)
            if reason:
                raise self.fail(node, reason)
            return value**apply.power
        function = apply.function
        if apply.primes:
            u = self.scalar(arg, node)
            if isinstance(u, sp.Symbol):
                return sp.Derivative(function(u), (u, apply.primes), evaluate=False)
            t = sp.Dummy("t")
            return sp.Subs(sp.Derivative(function(t), (t, apply.primes), evaluate=False), t, u)
        if is_matrixish(arg):
            return elementwise(function, self.matrix(arg, node))
        u = self.scalar(arg, node)
        if not u.free_symbols and function_nesting(u) >= MAX_CONSTANT_NESTING:
            raise self.fail(node, f"functions of a number nested over {MAX_CONSTANT_NESTING} deep: write the number")
        if function is sp.log and u.is_zero:
            raise self.fail(node, "log(0) is not finite")
        return function(u)

    def derivative(self, body, variables: tuple, node):
        """∂ⁿbody/∂v₁…∂vₖ; ``variables`` holds (variable, count) pairs."""
        body = self.value(body, node)
        if isinstance(body, (Vec, LazySum, Shapeless)):
            body = self.scalar(body, node)
        return sp.Derivative(body, *variables, evaluate=False)

    # --- fractions and derivatives -------------------------------------------------------
    def frac(self, atom: lark.Tree):
        numerator, denominator = atom.children[1], atom.children[2]
        num = self.script_entries(numerator)
        den = self.script_entries(denominator)
        delta = self.delta_marks(num, den)
        num_mark = self.diff_mark(num[1][0], delta) if num and num[1] else None
        den_mark = self.diff_mark(den[1][0], delta) if den and den[1] else None
        partial = "partial" in (num_mark and num_mark[0], den_mark and den_mark[0])
        variables = self.differentials(den, num_mark, delta) if num_mark and den_mark and den_mark[1] == 1 else None
        if partial or (num_mark and num_mark[0] == "d" and variables is not None):
            if variables is None:
                raise self.fail(atom, "a derivative is written \\frac{\\partial f}{\\partial v} or \\frac{d f}{dv}")
            if sum(count for _, count in variables) != num_mark[1]:
                raise self.fail(atom, "the order of the derivative does not match its variables")
            negative, rest = num
            if len(rest) == 1:
                return Head("deriv", variables)
            if rest[1].op == "div":
                raise self.fail(rest[1].node, "nothing to divide")
            body = self.product([Entry("first", rest[1].node, rest[1].pos), *rest[2:]], 0)
            result = self.derivative(body, variables, numerator)
            return -result if negative else result
        top = self.value(self.script(numerator), numerator)
        bottom = self.value(self.script(denominator), denominator)
        one_by_one = isinstance(bottom, sp.MatrixExpr) and bottom.shape == (1, 1)  # ‖r‖, √(rᵀr): a number
        if is_matrixish(bottom) and not isinstance(bottom, Shapeless) and not one_by_one:
            return self.quotient(top, self.matrix(bottom, denominator), atom)
        bottom = self.scalar(bottom, denominator)
        if bottom.is_zero:
            raise self.fail(denominator, "division by zero")
        if isinstance(top, Shapeless):
            return top.scaled(1 / bottom)
        return self.matrix(top, numerator) / bottom if is_matrixish(top) else self.scalar(top, numerator) / bottom

    def quotient(self, top, bottom: sp.MatrixExpr, atom: lark.Tree) -> sp.MatrixExpr:
        r"""``\frac{e^{X\theta}}{1 + e^{X\theta}}``: a fraction of columns, entry by entry (as NumPy's / divides)."""
        reciprocal = sp.HadamardPower(bottom, -1)
        if not is_matrixish(top):
            return self.scalar(top, atom.children[1]) * reciprocal
        top = self.matrix(top, atom.children[1])
        if not (same_dim(top.rows, bottom.rows) and same_dim(top.cols, bottom.cols)):
            shapes = f"{shape_text(top)} divided entry by entry by {shape_text(bottom)}"
            raise self.fail(atom, f"shapes do not match: {shapes}")
        return sp.HadamardProduct(top, reciprocal)

    def delta_marks(self, num, den) -> bool:
        r"""``\frac{\delta}{\delta w_j}``, ``\frac{\delta J}{\delta w_j}``: δ written for ∂ (numerator and denominator
        both start with a bare δ, the denominator's followed by a variable), as some students write it."""

        def bare_delta(entry: Entry) -> bool:
            node = entry.node
            if node.data != "item" or len(node.children) != 1:
                return False
            atom = self.unwrap(node.children[0])
            return atom.data == "command" and atom.children[0] == r"\delta"

        return bool(num and num[1] and den and len(den[1]) == 2 and bare_delta(num[1][0]) and bare_delta(den[1][0]))

    def differentials(self, den, num_mark, delta: bool = False) -> tuple | None:
        r"""The (variable, count) pairs of ``\partial \theta_j \partial \theta_l`` or ``dz^2``; None when not that."""
        negative, entries = den
        if negative or len(entries) % 2 or any(e.op not in ("first", "juxt") for e in entries):
            return None
        out = []
        for mark, var in zip(entries[::2], entries[1::2], strict=True):
            if self.diff_mark(mark, delta) != (num_mark[0], 1):
                return None
            node, count = var.node, 1
            if num_mark[1] > 1 and node.data == "item" and len(node.children) > 1 and node.children[-1].data == "sup":
                power = self.value(self.script(node.children[-1].children[0]), node.children[-1])
                if isinstance(power, sp.Integer) and power > 0:
                    node, count = lark.Tree("item", node.children[:-1], meta=node.meta), int(power)
            out.append((self.variable(node), count))
        return tuple(out)

    def script_entries(self, script) -> tuple[bool, list[Entry]] | None:
        if script.data in ("letter", "command", "number"):
            return False, [Entry("first", lark.Tree("item", [script], meta=script.meta), pos_of(script))]
        if script.data != "group" or len(script.children[0].children) != 1:
            return None
        return self.entries(script.children[0].children[0])

    def diff_mark(self, entry: Entry, delta: bool = False) -> tuple[str, int] | None:
        r"""("partial", order) for ``\partial`` or ``\partial^{2}``, ("d", order) for ``d`` or ``d^2``; else None.

        With ``delta`` (see :meth:`delta_marks`) a bare ``\delta`` is ∂ too."""
        node = entry.node
        if node.data != "item" or len(node.children) not in (1, 2):
            return None
        atom = self.unwrap(node.children[0])
        if atom.data == "command" and (atom.children[0] == r"\partial" or (delta and atom.children[0] == r"\delta")):
            mark = "partial"
        elif atom.data == "letter" and atom.children[0] == "d":
            mark = "d"
        else:
            return None
        if len(node.children) == 1:
            return mark, 1
        post = node.children[1]
        if post.data != "sup":
            return None
        order = self.value(self.script(post.children[0]), post)
        if not (isinstance(order, sp.Integer) and 1 <= order <= 9):
            if mark == "d":
                return None  # d^2 may be a power of d
            raise self.fail(post, "the order of a derivative is a whole number from 1 to 9")
        return mark, int(order)

    def variable(self, node: lark.Tree):
        if self.paren_item(node):
            raise self.fail(node, "cannot differentiate by a parenthesised expression: write \\partial \\theta_j")
        v = self.value(self.item(node), node)
        if isinstance(v, Vec) and v.name == "theta" and not v.transposed:
            return Theta
        if isinstance(v, Vec):
            return self.scalar(v, node)
        if isinstance(v, (sp.Symbol, sp.Indexed, sp.MatrixSymbol)):
            return v
        raise self.fail(node, "differentiate by a variable such as \\theta_j, x or z")


def counts_classes(summand: sp.Expr, var: sp.Symbol) -> bool:
    """True when ``var`` indexes classes in ``summand`` (y_k⁽ⁱ⁾, p_k⁽ⁱ⁾, W_jk) and never features (x_k, θ_k, W_kc).

    >>> from derivation.core.notation import W, i, j, k, y
    >>> counts_classes(y[i, k] * W[j, k], k), counts_classes(y[i, k] * W[k, j], k)
    (True, False)
    """
    entries = [a for a in summand.atoms(sp.Indexed) if var in a.indices]
    as_class = [a for a in entries if len(a.indices) == 2 and a.indices[1] == var and a.base.label.name != "x"]
    return bool(as_class) and len(as_class) == len(entries)


def theta_multiple(value: sp.Expr, shape) -> sp.MatrixExpr | None:
    """c·θ as a vector when ``value`` is c·θ_j (c free of j) added to a vector of θ's size, else None.

    >>> from derivation.core.notation import j
    >>> theta_multiple(lam * theta[j] / m, (n + 1, 1))
    (lambda/m)*theta
    >>> theta_multiple(theta[0], (n + 1, 1)) is None
    True
    """
    if shape[1] != 1 or not same_dim(shape[0], n + 1):
        return None
    elements = {a for a in value.atoms(sp.Indexed) if a.base == theta}
    bare = sp.Symbol(theta.name, real=True)  # θ read as one letter, outside any matrix
    if not elements and value.has(bare) and not any(_varying(a) for a in value.atoms(sp.Indexed)):
        element, index = bare, bare
    elif len(elements) == 1:
        element = elements.pop()
        index = element.indices[0]
        if not isinstance(index, sp.Symbol):
            return None  # θ₀ is one number, broadcast as before
    else:
        return None
    calls = [f for f in value.atoms(sp.Function) if f.has(element)]
    if len(calls) == 1 and calls[0].args == (element,):  # λ sign(θ) beside (1/m)Xᵀ(Xθ − y): sign of each θ_j
        coefficient = sp.cancel(value / calls[0])
        if coefficient.has(element) or _constant_not(coefficient, index):
            return None
        return coefficient * elementwise(calls[0].func, Theta)
    coefficient = sp.cancel(value / element)
    return None if _constant_not(coefficient, index) else coefficient * Theta


def _varying(a: sp.Indexed) -> bool:
    """True unless ``a`` is a constant written with a number on it (λ_1, λ_2 of an elastic net)."""
    return not all(index.is_Integer for index in a.indices) or a.base.label.name in ("theta", "x", "y")


def _constant_not(coefficient: sp.Expr, index) -> bool:
    """True when ``coefficient`` of c·θ is no constant: it varies with the index, or holds a function, sum, ∂."""
    indexed = any(_varying(a) for a in coefficient.atoms(sp.Indexed))
    return indexed or coefficient.has(index) or bool(coefficient.atoms(sp.Function, sp.Derivative, sp.Sum))
