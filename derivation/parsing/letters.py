r"""Reading the letters and commands of ML-course LaTeX: x, y, θ, X, e, I, h_θ, ŷ, w and b, Greek letters, \\sum.

What a letter means depends on its scripts (``x_j^{(i)}``, ``x_{ij}``, ``\\hat{y}^{(i)}``) and on the
context: the model's hypothesis and costs, the names a document defines
(:attr:`LatexContext.defined <derivation.parsing.latex.LatexContext.defined>`), the (w, b)
convention (``weights``) and, in a vector formula, the index of its entries (``feature``).
"""

from __future__ import annotations

import difflib
import unicodedata

import lark
import sympy as sp

from ..core.functions import spellings
from ..core.notation import E0, W, X, Y, c, elementwise, i, inner, lam, m, theta, x, y
from .atoms import _DEFAULT_LIMITS, _ELEMENTARY, DIAG, GREEK, INDEX_LETTERS, LETTERS, SIGN_WORDS, AtomReader
from .values import Head, Shapeless, Vec, function_head, is_matrixish

_SWAPPED = "x_{{{j}i}}: write x_{{i{j}}} (example i, feature {j}) or x_{j}^{{(i)}}"
_MARKS = {r"\hat": ("\u0302", ""), r"\bar": ("\u0304", " (e.g. its mean)")}


def _undefined(accent: str, name: str) -> str:
    """The one line for x̄, θ̂ a text uses without saying what it is."""
    mark, example = _MARKS[accent]
    return (
        f"{letter_sign(name or 'x')}{mark} is used but not defined: write {accent}{{{name or 'x'}}} = …{example} first"
    )


_ACCENTS = {r"\hat": r"\hat", r"\widehat": r"\hat", r"\bar": r"\bar", r"\overline": r"\bar"}


def letter_sign(name: str) -> str:
    """A letter as printed: \\theta as θ, y as y."""
    if not name.startswith("\\"):
        return name
    case = "CAPITAL" if name[1:2].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name[1:].upper()}")
    except KeyError:
        return name


# f′, h′ of a letter: which derivative it means is not written; say what to write instead
_PRIME_WORDS = (
    "' is only read after \\sigma or a parenthesised expression: write the derivative by its variable, "
    "\\frac{dh}{dz} = … (with h = … defined), or the rule itself, \\sigma'(z) = \\sigma(z)(1-\\sigma(z))"
)


class LetterReader(AtomReader):
    """Letters, commands and accents with their scripts; the subclass supplies ``expr`` and ``frac``."""

    def defined(self, name: str, sub, sup, primes: int, node):
        r"""A name the document defines (``\hat{y}_i = \sigma(w^T x_i)``): its value at the indices written on it."""
        indices = []
        row = self.row(sup)
        if row is not None:
            indices.append(row)
            sup = None
        if sub is not None:
            indices.extend(self.indices(sub))
        if not indices and self.is_predictions(self.context.defined[name]()):
            return self.finish(Vec("yhat"), sup, primes, node)  # \boldsymbol{\mu} where μ_i = σ(wᵀx_i): all of them
        try:
            value = self.context.defined[name](*indices)
        except TypeError:
            raise self.fail(node, f"{name} is defined with another number of indices than {len(indices)}") from None
        return self.finish(value, sup, primes, node)

    def is_predictions(self, value) -> bool:
        """Whether ``value`` is the model's prediction for example i (μ_i = σ(θᵀx⁽ⁱ⁾) under logistic regression)."""
        if self.context.hypothesis is None or not isinstance(value, sp.Expr) or not value.has(i):
            return False
        h = self.context.hypothesis(i)
        return value == h or value == h.definition()

    def hat(self, atom: lark.Tree, sub, sup, primes: int, node):
        r"""``\hat{y}^{(i)}``, ``\hat y_i``: the prediction h_θ(x⁽ⁱ⁾); a bare ``\hat{y}``: the vector of predictions."""
        letter = self.single_atom(atom.children[0]) if atom.data == "hat" else None
        name = str(letter.children[0]) if letter is not None and letter.data in ("letter", "command") else ""
        accent = _ACCENTS.get(str(atom.children[-1]), r"\hat") if atom.data == "hat" else r"\hat"
        key = rf"{accent}{{{name}}}"
        if key in self.context.defined:
            return self.defined(key, sub, sup, primes, node)
        if accent == r"\bar":  # x̄, ȳ, θ̄: a mean or a name of the text's own, never the letter without its bar
            raise self.fail(node, _undefined(accent, name))
        if name == "Y" and "P" in self.context.defined and sub is None and sup is None:  # Ŷ: the probabilities P
            return self.defined("P", sub, sup, primes, node)
        if name == "p" and "p" in self.context.defined:  # Géron's \hat{p}_k^{(i)}: the estimated probability p_k^{(i)}
            return self.defined("p", sub, sup, primes, node)
        if name != "y":  # θ̂, x̂: a name of the text's own (ŷ alone is the model's prediction)
            raise self.fail(node, _undefined(accent, name))
        row = self.row(sup)
        if row is not None:
            sup = None
        if sub is not None:
            if row is not None:
                raise self.fail(sub, "\\hat{y} has one index: \\hat{y}^{(i)} or \\hat{y}_i")
            row = self.one_index(sub, r"\hat{y}")
        if self.context.hypothesis is None:
            raise self.fail(node, "\\hat{y} is the prediction h_\\theta(x), and this reading has no model")
        if row is None:
            return self.finish(Vec("yhat"), sup, primes, node)
        return self.finish(self.context.hypothesis(row), sup, primes, node)

    def predictions(self, node) -> sp.MatrixExpr:
        r"""The vector ŷ of all predictions in matrix form (σ(Xθ) for logistic regression, Xθ for linear)."""
        definition = self.context.hypothesis(i).definition()
        if definition == inner(i):
            return X * self.matrix(Vec("theta"), node)
        if isinstance(definition, sp.Function) and definition.args == (inner(i),):
            return elementwise(definition.func, X * self.matrix(Vec("theta"), node))
        raise self.fail(node, "\\hat{y} without an index: write \\hat{y}^{(i)} for one example")

    def weights(self, name: str, sub, sup, node):
        r"""The (w, b) convention: w_j = θ_j (j ≥ 1), w the weights, b = θ₀ (x without its ones column)."""
        sup = None if self.iteration(sup) else sup
        if name == "b":
            if sub is not None:
                raise self.fail(sub, "b, the bias, takes no index")
            return self.finish(theta[0], sup, 0, node)
        if self.context.whole_w:  # no b written: w holds the bias too, as θ does
            base = Vec("theta") if sub is None else theta[self.one_index(sub, "w")]
        else:
            base = Vec("w") if sub is None else theta[self.one_index(sub, "w")]
        return self.finish(base, sup, 0, node)

    def iteration(self, sup) -> bool:
        r"""``\theta^{(t)}``, ``w^{(k+1)}``: the step of an iteration, which names the same parameter."""
        atom = self.single_atom(sup) if sup is not None else None
        if atom is None or atom.data != "paren":
            return False
        letters = {
            str(t) for t in atom.scan_values(lambda v: isinstance(v, lark.Token) and v.type in ("LETTER", "CMD"))
        }
        return letters in ({"t"}, {"k"}, {r"\tau"})  # θ^{(t)}, w^{(k+1)}, Bishop's w^{(τ+1)}

    def bishop(self, name: str, sub, sup, primes: int, node):
        r"""Bishop's letters: N = m, n the example index, t_n the target, y_n (μ_n) the prediction, w = θ; or None."""
        if name in ("n", "N") and sub is None:
            return self.finish(i if name == "n" else m, sup, primes, node)
        # y is the prediction where t names the targets (Bishop); else y_n is the label and μ_n the prediction (Murphy)
        predicted = "y" if self.context.targets_t else "mu"
        if name in ("x", "y", "t", predicted) and self.row(sup) is not None:
            return None  # y^{(i)}, x_j^{(i)}: the course's example superscript, read as outside Bishop's notation
        if name in ("t", "y", predicted) and sub is None and sup is None:
            return Vec("yhat") if name == predicted else Vec("y")
        if name in ("t", "y", predicted) and sub is not None and len(found := self.indices(sub)) == 2:
            if name != predicted:  # t_{nk}: the one-hot target of class k (Bishop 4.109)
                return self.finish(y[found[0], found[1]], sup, primes, node)
            if "p" in self.context.defined:  # y_{nk}: the probability of class k for example n
                return self.finish(self.context.defined["p"](*found), sup, primes, node)
        if name in ("t", "y", predicted) and sub is not None:
            row = self.one_index(sub, name)
            if name != predicted:
                return self.finish(y[row], sup, primes, node)
            if self.context.hypothesis is None:
                raise self.fail(node, f"{name}_n is the prediction, and this reading has no model")
            return self.finish(self.context.hypothesis(row), sup, primes, node)
        if name in ("x", "phi", "varphi") and sub is not None:  # x_n, φ_n: the input vector of example n
            found = self.indices(sub)
            if len(found) == 2:  # x_{nj}: feature j of example n
                return self.finish(x[found[0], found[1]], sup, primes, node)
            return self.finish(Vec("x", self.one_index(sub, name)), sup, primes, node)
        if name == "w":
            base = Vec("theta") if sub is None else theta[self.one_index(sub, "w")]
            return self.finish(base, None if self.iteration(sup) else sup, primes, node)
        if name in ("phi", "varphi") and sub is None and sup is None and not primes:
            return Head("features", spelling="\\" + name)  # φ(x_n); of a number, φ(u) is the normal density
        if name == "Phi" and sub is None and sup is None and not primes:  # Φ the design matrix; Φ(u) the normal CDF
            return function_head(spellings("latex_paren_command")[r"\Phi"].function, r"\Phi", letter=True)
        if name == "Phi":
            return self.finish(X, sup, primes, node)
        return None

    def letter(self, name: str, sub, sup, primes: int, node):
        column = name == "W" and sub is not None and sup is not None and self.is_transpose(sup)
        if column and len(self.indices(sub)) == 1:
            return self.class_weights(name, sub)  # W_k^T x⁽ⁱ⁾: column k of W, class k's weights, as w_k^T
        if name in self.context.defined:
            return self.defined(name, sub, sup, primes, node)
        if self.context.examples_n and (found := self.bishop(name, sub, sup, primes, node)) is not None:
            return found
        if self.context.count_n and name in ("n", "N") and sub is None:  # n examples (d2l): the count m
            return self.finish(m, sup, primes, node)
        if name == "X":  # X' and \tilde X: X with its column of ones, which X is here
            if sub is not None:
                raise self.fail(sub, "for one element of X write x_j^{(i)}")
            return self.finish(X.T if self.context.columns else X, sup, 0, node)
        if primes:
            raise self.fail(node, _PRIME_WORDS)
        if name in ("w", "W") and sup is not None and self.is_transpose(sup) and (sub is None) == (name == "W"):
            return self.class_weights(name, sub)
        if name == "w" and sub is None and sup is not None and self.is_transpose(sup) and not self.context.weights:
            raise self.fail(node, "w^T x is read in a (w, b) document; here write \\theta^T x^{(i)} (θ₀ the bias)")
        if self.context.weights and name in ("w", "b"):
            return self.weights(name, sub, sup, node)
        if self.context.weights and name in ("Y", "A") and sub is None:  # the labels and the predictions
            row = self.row(sup)
            if row is not None:
                return self.finish(y[row] if name == "Y" else self.context.hypothesis(row), None, 0, node)
            value = Y if name == "Y" else self.predictions(node)
            return self.finish(value.T if self.context.columns else value, sup, 0, node)
        if self.context.weights and name == "a" and self.context.hypothesis is not None:
            row = self.row(sup)  # a^{(i)}, a_i: the activation, the prediction h_θ(x⁽ⁱ⁾)
            index = row if row is not None else (self.one_index(sub, "a") if sub is not None else None)
            if index is not None:
                return self.finish(self.context.hypothesis(index), None if row is not None else sup, 0, node)
        if name == "x" and sub is None and (example := self.class_superscript(sup)) is not None:
            return Vec("x", example, transposed=True)  # x^{(i)T}\theta: example i, transposed
        if name in ("x", "y"):
            row = self.row(sup)
            if row is not None:
                sup = None
            if sub is not None:
                found = self.indices(sub)
                if name == "y" and row is not None:  # y_k^{(i)}, y^{(i)}_k: the one-hot label of class k
                    return self.finish(y[row, self.one_index(sub, "y^{(i)}")], sup, primes, node)
                if name == "x" and len(found) == 2 and found[1] == i != found[0] and not self.context.columns:
                    raise self.fail(sub, _SWAPPED.format(j=found[0]))  # x_{ji}: feature first, example i second
                if row is None and len(found) == 2 and (name == "x" or found[0] == i):  # x_{ij}; y_{ik}: one-hot
                    return self.finish((x if name == "x" else y)[found[0], found[1]], sup, primes, node)
                idx = self.one_index(sub, name)
                if name == "x" and row is None and idx == i and self.context.feature is not None:
                    return self.finish(Vec("x", i), sup, primes, node)  # Σ_i (ŷ_i − y_i) x_i: example i
                if name == "x" and row is None and idx == i and sup is not None and self.is_transpose(sup):
                    return self.finish(Vec("x", i), sup, primes, node)  # x_i^T\theta: example i, transposed
                base = x[row, idx] if row is not None else (x[idx] if name == "x" else y[idx])
            elif row is not None:
                base = y[row] if name == "y" else Vec("x", row)
            else:
                base = Vec(name)
            return self.finish(base, sup, primes, node)
        if name == "e":
            if sub is not None:
                if self.indices(sub) != [0]:
                    raise self.fail(sub, "e takes no subscript, except e_0: the first unit vector")
                return self.finish(E0, sup, primes, node)
            if sup is None:
                return sp.E
            exponent = self.value(self.script(sup), sup)
            if is_matrixish(exponent):
                return elementwise(sp.exp, self.matrix(exponent, sup))
            return sp.exp(self.scalar(exponent, sup))
        if name == "I":
            base = Shapeless("identity")
            if sub is not None:
                size = self.one_index(sub, "I")
                if not (size.is_positive or size.free_symbols):
                    raise self.fail(sub, "the size of I_n is a positive number")
                base = sp.Identity(size)
            return self.finish(base, sup, primes, node)
        if name in self.context.costs and sub is None and sup is None:
            return Head("cost", self.context.costs[name])
        letters = spellings("latex_letter")
        if name in letters and sub is None and sup is None:
            return function_head(letters[name].function, name, letter=True)
        if name == "f" and sub is not None and (sub.data == "indices" or self.model_subscript(sub)):
            if not self.model_subscript(sub):
                raise self.fail(sub, "the model is written f_{\\mathbf{w},b}(\\mathbf{x}^{(i)}) or f_\\theta(x^{(i)})")
            if sup is not None:
                raise self.fail(sup, "f_{w,b} takes no superscript")
            return Head("h", spelling="f_{w,b}")  # the Specialization's model f_{w,b}(x) = g(w·x + b): h_θ
        if name == "h" and sub is not None:
            if self.token(sub) not in (r"\theta", r"\vartheta", "w"):  # h_{\mathbf{w}}: the weights w are θ
                raise self.fail(sub, "the hypothesis is written h_\\theta or h_{\\mathbf{w}}")
            if sup is not None:
                raise self.fail(sup, "h_\\theta takes no superscript")
            return Head("h", spelling=r"h_\theta")
        return self.indexed(name, LETTERS.get(name) or sp.Symbol(name, real=True), sub, sup, primes, node)

    def indexed(self, name: str, base, sub, sup, primes: int, node):
        r"""Any other letter: ``\mu_j`` is μ[j] (``W_{jc}`` the notation's W); ``\mu^{(i)}`` and ``p_k^{(i)}`` are
        entries of example i (μ[i], p[i, k]), as x^{(i)} is, not powers."""
        atom = self.single_atom(sup) if sup is not None else None
        example = atom is not None and atom.data == "paren" and self.row(sup) == i
        indices = ([i] if example else []) + (self.indices(sub) if sub is not None else [])
        if indices:
            base = (W if name == "W" and len(indices) == 2 else sp.IndexedBase(name, real=True))[tuple(indices)]
        return self.finish(base, None if example else sup, primes, node)

    def class_weights(self, name: str, sub) -> Vec:
        r"""w_k^T (also \theta_k^T), class k's weights, and W^T: they pair with x^{(i)} (Σ_l W_{lk} x_l^{(i)})."""
        if sub is None:
            return Vec("W", transposed=True)
        return Vec("class", self.one_index(sub, name), transposed=True)

    def class_superscript(self, sup) -> sp.Expr | None:
        r"""The class k of ``^{(k)\top}`` or ``^{(k)T}`` (θ^{(k)}, class k's parameters, transposed); else None."""
        if sup is None or sup.data != "group" or len(sup.children[0].children) != 1:
            return None
        items = sup.children[0].children[0].children
        if len(items) != 2 or any(isinstance(t, lark.Token) or len(t.children) != 1 for t in items):
            return None
        paren, mark = items[0].children[0], items[1].children[0]
        if paren.data != "paren" or not self.is_transpose(mark):
            return None
        return self.one_index(lark.Tree("group", [paren.children[0]], meta=paren.meta), "\\theta^{(k)}")

    def model_subscript(self, sub) -> bool:
        r"""``{\mathbf{w},b}``, ``{w,b}``, ``{\vec{w},b}``, ``\theta``: the parameters subscripted on a model f."""
        if sub.data != "indices":
            return self.token(sub) in (r"\theta", r"\vartheta")
        names = [self.token(lark.Tree("group", [e])) for e in sub.children]
        return names == ["w", "b"]

    def row(self, sup) -> sp.Expr | None:
        """The example index of x^{(i)}, x^i, y^{(i)}, y^i; None when the superscript is a power."""
        if sup is None:
            return None
        atom = self.single_atom(sup)
        if atom is None:
            return None
        if atom.data == "paren":
            return self.scalar(self.expr(atom.children[0]), atom)
        if atom.data == "letter" and str(atom.children[0]) == "i":
            return i
        return None

    def command(self, command: str, sub, sup, primes: int, node):
        name = command[1:]
        if command in self.context.defined and not (name == "lambda" and sub is None):  # λ_i defined, λ the penalty
            return self.defined(command, sub, sup, primes, node)
        if name in ("nabla", "triangledown"):
            message = (  # ∇ on the left by θ or w is read before this; another variable (∇_{W^{(1)}}, ∇_{θ_k}) is not
                f"{command} is read as the gradient by \\theta or w (\\nabla_\\theta J(\\theta) = ...): by another "
                "variable write the derivative, \\frac{\\partial L}{\\partial v}"
            )
            raise self.fail(node, message)
        registered = spellings("latex_command").get(command)
        if primes and registered is None and command not in spellings("latex_paren_command"):  # σ′, Φ′
            raise self.fail(node, _PRIME_WORDS)
        if name in ("theta", "vartheta"):
            if sub is not None and sup is not None and self.is_transpose(sup):  # \theta_k^T x^{(i)}: class k
                return self.class_weights(command, sub)
            if sub is None and (cls := self.class_superscript(sup)) is not None:  # UFLDL's \theta^{(k)\top} x^{(i)}
                return Vec("class", cls, transposed=True)
            base = theta[self.one_index(sub, command)] if sub is not None else Vec("theta")
            return self.finish(base, None if self.iteration(sup) else sup, primes, node)
        if registered is not None or command in _ELEMENTARY:
            if sub is not None or (sup is not None and self.is_transpose(sup)):
                raise self.fail(sub if sub is not None else sup, f"{command} takes no scripts here")
            power = self.scalar(self.script(sup), sup) if sup is not None else None  # \tanh^2(z) = (\tanh z)^2
            if registered is not None:
                return function_head(registered.function, command, primes, power=power)
            return function_head(*_ELEMENTARY[command], power=power)
        if name == "partial":
            raise self.fail(node, "\\partial is read only in \\frac{\\partial f}{\\partial v}")
        if name in ("top", "intercal"):
            raise self.fail(node, f"{command} is read only as a superscript: ^\\top")
        if name == "text":
            raise self.fail(node, "\\text{...} is not math: put words after \\quad at the end of the line")
        if name == "delta" and sub is not None:
            return self.finish(self.delta(sub), sup, primes, node)
        if name == "diag":
            if sub is not None or sup is not None:
                raise self.fail(node, "\\diag takes no scripts")
            return Head("diag", spelling=DIAG)
        if name in ("max", "min", *SIGN_WORDS):  # \max(0, u), \sgn(u)
            if sub is not None or sup is not None:
                raise self.fail(sub if sub is not None else sup, f"{command} takes no scripts here")
            return Head(name, spelling=command) if name in ("max", "min") else function_head(sp.sign, command, primes)
        if self.context.examples_n and (found := self.bishop(name, sub, sup, primes, node)) is not None:
            return found
        paren = spellings("latex_paren_command").get(command)
        if paren is not None and sub is None and sup is None:  # \Phi(z): the function only before "(", else a letter
            return function_head(paren.function, command, primes, letter=True)
        if name in GREEK or name in ("lambda", "pi"):
            base = {"lambda": lam, "pi": sp.pi}.get(name) or sp.Symbol(name, real=True)
            return self.indexed(name, base, sub, sup, primes, node)
        raise self.fail(node, f"unknown command {command}" + did_you_mean(command))

    def delta(self, sub) -> sp.Expr:
        r"""``\delta_{jk}``, ``\delta_{j k}``, ``\delta_{j,k}``, ``\delta_{j0}``: Kronecker's delta; ``\delta_j``: δ_j.

        A number of several digits is ambiguous (``\delta_{10}``) and rejected.
        """
        found = self.indices(sub)
        if len(found) == 2:
            return sp.KroneckerDelta(*found)
        if len(found) != 1:
            raise self.fail(sub, f"the Kronecker delta takes two indices, not {len(found)}")
        atom = self.single_atom(sub)
        if atom is not None and atom.data == "number" and len(str(atom.children[0])) > 1:
            raise self.fail(sub, "\\delta with a number of several digits is ambiguous: write \\delta_{1,0}")
        return sp.IndexedBase("delta", real=True)[found[0]]

    def bigsum(self, tree: lark.Tree) -> Head:
        if len(tree.children) < 2:
            raise self.fail(tree, "\\sum needs limits: \\sum_{i=1}^{m}")
        limits = tree.children[1]
        lower, upper = limits.children if len(limits.children) == 2 else (limits.children[0], None)
        if limits.data == "limits_swapped":
            upper, lower = limits.children
        name = str(lower.children[0])
        if self.context.examples_n and name == "n":  # Σ_{n=1}^{N}: over the examples
            name = "i"
        var = LETTERS.get(name) if name in INDEX_LETTERS else (c if name == "c" else sp.Symbol(name, integer=True))
        if lower.data == "lower_range":
            lo = self.scalar(self.expr(lower.children[2]), lower)
        elif name in _DEFAULT_LIMITS:
            lo = _DEFAULT_LIMITS[name][0]
        else:
            raise self.fail(lower, f"give the range of {name}: \\sum_{{{name}=1}}^{{m}}")
        if upper is not None:
            hi = self.scalar(self.script(upper), upper)
        elif lower.data == "lower_var" and name in _DEFAULT_LIMITS:
            hi = _DEFAULT_LIMITS[name][1]
        else:
            raise self.fail(tree, "\\sum needs an upper limit")
        guessed = lower.data == "lower_var" and upper is None  # \sum_k: its range read from what it sums
        return Head("sum", (var, lo, hi), "guessed" if guessed else "")


_KNOWN = (
    *(rf"\{name}" for name in (*GREEK, "lambda", "pi", "theta", "vartheta", "sum", "frac", "dfrac", "cfrac", "sqrt")),
    *_ELEMENTARY,
    r"\partial", r"\cdot", r"\times", r"\odot", r"\left", r"\right", r"\mathbf", r"\boldsymbol", r"\hat", r"\top",
    r"\max", r"\min", r"\lvert", r"\rvert", r"\mathbb",
)  # fmt: skip


def did_you_mean(command: str) -> str:
    r"""``: did you mean \sigma?`` for a command close to one the reader knows; else nothing.

    >>> did_you_mean(r"\sigm"), did_you_mean(r"\fooo")
    (': did you mean \\sigma?', '')
    """
    known = (*_KNOWN, *spellings("latex_command"))
    close = difflib.get_close_matches(command, known, n=1, cutoff=0.75)
    return f": did you mean {close[0]}?" if close else ""
