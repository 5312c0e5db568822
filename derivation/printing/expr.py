"""One-line printers for our notation: Unicode (terminal), ASCII and LaTeX.

``theta[j]`` is θ_j, ``x[i, j]`` is x_j⁽ⁱ⁾ (example i, feature j), ``y[i]`` is
y⁽ⁱ⁾, ``Sum(theta[k]*x[i, k], (k, 0, n))`` is θᵀx⁽ⁱ⁾, and an unevaluated
``Derivative`` is ∂/∂θ_j [f].  Products with a coefficient read −(1/m) Σ …;
unevaluated Add/Mul keep their order so a step can show h(1−h)/h before the
next step cancels it.  The printers dispatch by ``_print_<ClassName>`` like
SymPy's own; the LaTeX printer lives in :mod:`derivation.printing.latex`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import sympy as sp
from sympy.printing.str import StrPrinter

from ..functions import Abbreviation, sigmoid
from ..notation import n as _n

GREEK = {
    name: unicodedata.lookup(f"GREEK SMALL LETTER {'LAMDA' if name == 'lambda' else name.upper()}")
    for name in (
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau phi chi psi omega"
    ).split()
}
_SUP = dict(zip("0123456789+-−=()Tabcdefghijklmnoprstuvwxyz", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵀᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"))
_SUB = dict(zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
_FROM_SUP = {v: k for k, v in _SUP.items() if k != "−"}
_FROM_SUB = {v: k for k, v in _SUB.items() if k != "−"}
_ASCII = {"−": "-", "∂": "d", "Σ": "sum", "𝟏": "1", "⊙": ".*", "·": "*", "′": "'", "√": "sqrt", "✓": "ok",
          "✗": "FAIL", "…": "...", "→": "->", "≠": "!=", "≤": "<=", "≥": ">=", "×": "x", "—": "-", "–": "-",
          "⁄": "/", "≈": "~", "∞": "oo"} | {g: name for name, g in GREEK.items()}
EXAMPLE_INDEXED = frozenset({"y"})  # bases whose single index counts examples: y⁽ⁱ⁾, not y_i


def superscript(text: str) -> str | None:
    """``text`` in Unicode superscript letters, or None when one has none.

    >>> superscript("(i+1)"), superscript("q")
    ('⁽ⁱ⁺¹⁾', None)
    """
    text = text.replace(" ", "")
    return "".join(_SUP[c] for c in text) if all(c in _SUP for c in text) else None


def subscript(text: str) -> str | None:
    """``text`` in Unicode subscript letters, or None when one has none.

    >>> subscript("i=1")
    'ᵢ₌₁'
    """
    text = text.replace(" ", "")
    return "".join(_SUB[c] for c in text) if all(c in _SUB for c in text) else None


def ascii_text(text: str) -> str:
    """Transliterate our Unicode notation to ASCII: θ → theta, ⁽ⁱ⁾ → ^(i), − → -.

    >>> ascii_text("h_θ(x⁽ⁱ⁾) = σ(θᵀx⁽ⁱ⁾) − y")
    'h_theta(x^(i)) = sigma(theta^T x^(i)) - y'
    """
    out: list[str] = []
    pos = 0
    while pos < len(text):
        c = text[pos]
        table = _FROM_SUP if c in _FROM_SUP else _FROM_SUB if c in _FROM_SUB else None
        if table is not None:
            end = pos
            while end < len(text) and text[end] in table:
                end += 1
            run = "".join(table[ch] for ch in text[pos:end])
            if table is _FROM_SUP:
                word = "^" + (run if len(run) == 1 or run.startswith("(") else f"({run})")
            else:
                word = "_" + (run if len(run) == 1 else "{" + run + "}")
            pos = end
        else:
            word = _ASCII.get(c, c)
            if not word.isascii():
                word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode() or "?"
            pos += 1
            if word[0].isalpha() and len(word) > 1 and out and out[-1][-1:].isalnum():
                word = " " + word
        if len(word) > 1 and pos < len(text) and text[pos].isalpha() and text[pos] not in _FROM_SUB:
            word += " "
        out.append(word)
    return "".join(out)


def is_inner_product(expr: sp.Basic) -> bool:
    """Whether ``expr`` is Σ_{k=0}^{n} θ_k x_k (or x_k⁽ʳ⁾), printed θᵀx.

    >>> from derivation.notation import inner
    >>> is_inner_product(inner(sp.Symbol("i")))
    True
    """
    if not isinstance(expr, sp.Sum) or len(expr.limits) != 1:
        return False
    k, low, high = expr.limits[0]
    factors = sp.Mul.make_args(expr.function)
    if low != 0 or high != _n or len(factors) != 2 or not all(isinstance(f, sp.Indexed) for f in factors):
        return False
    by_name = {f.base.label.name: f for f in factors}
    theta, x = by_name.get("theta"), by_name.get("x")
    if theta is None or x is None or theta.indices != (k,) or x.indices[-1] != k:
        return False
    return len(x.indices) == 1 or (len(x.indices) == 2 and not x.indices[0].has(k))


@dataclass
class Product:
    """A product taken apart: ``sign · (coeff_p / coeff_q) · Π num / Π den``, order kept."""

    negative: bool = False
    p: int = 1
    q: int = 1
    num: list[sp.Basic] = field(default_factory=list)
    den: list[sp.Basic] = field(default_factory=list)

    @classmethod
    def of(cls, expr: sp.Basic) -> Product:
        prod = cls()
        evaluated = isinstance(expr, sp.Mul) and expr.func(*expr.args) == expr
        factors = list(expr.as_ordered_factors()) if evaluated else _flat_mul(expr)
        for pos, f in enumerate(factors):
            if f.is_Rational and (evaluated or pos == 0):
                prod.p *= int(f.p)
                prod.q *= int(f.q)
            elif isinstance(f, sp.Pow) and f.exp.is_number and f.exp.is_negative:
                prod.den.append(f.base if f.exp == -1 else sp.Pow(f.base, -f.exp, evaluate=False))
            else:
                prod.num.append(f)
        prod.negative = prod.p < 0
        prod.p = abs(prod.p)
        prod.num.sort(key=_factor_rank if evaluated else _is_operator)
        return prod


def _is_operator(f: sp.Basic) -> bool:
    """Σ and ∂/∂θ reach to the end of a product, so they go last."""
    return isinstance(f, (sp.Sum, sp.Derivative)) and not is_inner_product(f)


def _factor_rank(f: sp.Basic) -> int:
    """Order of evaluated factors as courses write them: y h (1 − h) x_j, y log(h), then Σ and ∂."""
    if _is_operator(f):
        return 5
    base = f.base if isinstance(f, sp.Pow) else f
    if isinstance(base, sp.Symbol) or (isinstance(base, sp.Indexed) and base.base.label.name in EXAMPLE_INDEXED):
        return 0
    if isinstance(base, (Abbreviation, sigmoid)):
        return 1
    if isinstance(base, sp.Add):
        return 2
    return 4 if isinstance(base, sp.Function) else 3


def _flat_mul(expr: sp.Basic) -> list[sp.Basic]:
    if isinstance(expr, sp.Mul):
        return [f for a in expr.args for f in _flat_mul(a)]
    return [expr]


def is_simple(expr: sp.Basic) -> bool:
    """Symbols, integers and their powers: may join a coefficient as in (λ/m) or 1/(2m).

    >>> is_simple(sp.Symbol("m")), is_simple(sp.Symbol("m") + 1)
    (True, False)
    """
    if isinstance(expr, sp.Pow):
        return is_simple(expr.base) and expr.exp.is_Integer
    return isinstance(expr, (sp.Symbol, sp.Integer)) and not isinstance(expr, sp.Dummy)


def ordered_terms(printer, expr: sp.Add) -> list[sp.Basic]:
    """Terms as written for an unevaluated Add; SymPy's order otherwise, positive term first."""
    if expr.func(*expr.args) != expr:
        return [t for a in expr.args for t in (ordered_terms(printer, a) if isinstance(a, sp.Add) else [a])]
    terms = list(printer._as_ordered_terms(expr))
    if terms and terms[0].could_extract_minus_sign():
        positive = next((t for t in terms if not t.could_extract_minus_sign()), None)
        if positive is not None:
            terms.remove(positive)
            terms.insert(0, positive)
    return terms


def elementwise_body(expr: sp.Basic, printed_arg: str, parens: str = "({})") -> sp.Basic:
    """The body of ``f.(M)`` with M replaced by a symbol that prints as ``printed_arg``."""
    var, body = expr.function.variables[0], expr.function.expr
    direct = all(isinstance(node, sp.Function) for node in sp.preorder_traversal(body) if var in node.args)
    if not direct and not isinstance(expr.expr, (sp.MatrixSymbol, sp.Symbol)):
        printed_arg = parens.format(printed_arg)
    return body.xreplace({var: Verbatim(printed_arg)})


class Verbatim(sp.Symbol):
    """A symbol printed exactly as its name (a stand-in for an already printed part)."""


class TextPrinter(StrPrinter):
    """One-line Unicode printer (``ascii=True``: plain ASCII) for our notation.

    >>> from derivation.notation import theta, x, i, j
    >>> TextPrinter().doprint(theta[j] * x[i, j])
    'θ_j x_j⁽ⁱ⁾'
    """

    printmethod = "_derivation_text"  # a hook for our own functions; SymPy's _sympystr would win over us
    _default_settings = {**StrPrinter._default_settings, "ascii": False}

    def __init__(self, settings: dict | None = None):
        super().__init__(settings)
        self.ascii = self._settings["ascii"]
        self.minus = "-" if self.ascii else "−"

    # --- names and indices ------------------------------------------------------------------
    def _name(self, name: str) -> str:
        head, _, tail = name.partition("_")
        head = head if self.ascii else GREEK.get(head, head)
        return head + (self._sub(tail) if tail else "")

    def _sub(self, text: str) -> str:
        text = text.replace(" ", "")
        return "_" + (text if len(text) == 1 else "{" + text + "}")

    def _sup(self, text: str, paren: bool = False) -> str:
        text = text.replace(" ", "")
        body = f"({text})" if paren else text
        if not self.ascii and superscript(body) is not None:
            return superscript(body)
        return "^" + (body if len(body) == 1 or paren else f"({body})")

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return self._name(expr.name)

    _print_Dummy = _print_Symbol

    def _print_Verbatim(self, expr: Verbatim) -> str:
        return expr.name

    def _print_IndexedBase(self, expr: sp.IndexedBase) -> str:
        return self._name(expr.label.name)

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        base = self._print(expr.base)
        idx = [self._print(a) for a in expr.indices]
        if len(idx) == 2:
            return base + self._sub(idx[1]) + self._sup(idx[0], paren=True)
        if len(idx) == 1 and expr.base.label.name in EXAMPLE_INDEXED:
            return base + self._sup(idx[0], paren=True)
        return base + self._sub(",".join(idx))

    _print_MatrixSymbol = _print_Symbol

    # --- numbers, sums, products, powers ----------------------------------------------------
    def _print_Rational(self, expr: sp.Rational) -> str:
        text = str(abs(expr.p)) + ("" if expr.q == 1 else f"/{expr.q}")
        return (self.minus if expr.p < 0 else "") + text

    _print_Integer = _print_Rational

    def _print_Add(self, expr: sp.Add, order=None) -> str:
        out = ""
        for term in ordered_terms(self, expr):
            text = self._print(term)
            text = f"({text})" if isinstance(term, sp.Add) else text
            if text.startswith(self.minus):
                out += (f" {self.minus} " if out else self.minus) + text[len(self.minus):]
            else:
                out += (" + " if out else "") + text
        return out

    def _factor(self, f: sp.Basic, last: bool = True) -> str:
        text = self._print(f)
        if isinstance(f, (sp.Add, sp.MatAdd)) or (isinstance(f, sp.Sum) and not last and not is_inner_product(f)):
            return f"({text})"
        if text.startswith(self.minus) or (isinstance(f, sp.Rational) and f.q != 1):
            return f"({text})"
        return text

    def _join(self, texts: list[str]) -> str:
        """Factors side by side; a number is written against what follows (2θ_j), never 2 3."""
        out = ""
        for text in texts:
            if out.isdigit() and text[0].isdigit():
                sep = "*" if self.ascii else "·"
            elif out.isdigit() and (not self.ascii or text[0] == "(" or len(re.match(r"[a-zA-Z]*", text)[0]) == 1):
                sep = ""
            else:
                sep = " " if out else ""
            out += sep + text
        return out

    def _product(self, factors: list[sp.Basic]) -> str:
        return self._join([self._factor(f, k == len(factors) - 1) for k, f in enumerate(factors)])

    def _print_Mul(self, expr: sp.Mul) -> str:
        prod = Product.of(expr)
        sign = self.minus if prod.negative else ""
        den = ([sp.Integer(prod.q)] if prod.q != 1 else []) + prod.den
        if not den:
            head = [] if prod.p == 1 and prod.num else [sp.Integer(prod.p)]
            return sign + self._product(head + prod.num)
        simple = all(is_simple(d) for d in prod.den)
        lead = [f for f in prod.num if is_simple(f)] if simple else [
            f for f in prod.num if not isinstance(f, (sp.Sum, sp.Derivative)) or is_inner_product(f)]
        rest = [f for f in prod.num if f not in lead]
        top = ([sp.Integer(prod.p)] if prod.p != 1 or not lead else []) + lead
        top_text = self._product(top)
        if len(top) == 1 and isinstance(top[0], (sp.Add, sp.MatAdd)):
            top_text = f"({self._print(top[0])})"
        bottom = self._product(den)
        if len(den) > 1 or not (isinstance(den[0], (sp.Symbol, sp.Integer, sp.Function, sp.Indexed))
                                or isinstance(den[0], sp.Pow)):
            bottom = f"({self._print(den[0]) if len(den) == 1 else bottom})"
        frac = f"{top_text}/{bottom}"
        if not rest:
            return sign + frac
        return sign + self._join([f"({frac})", self._product(rest)])

    def _print_Pow(self, expr: sp.Pow, rational=False) -> str:
        base, e = expr.base, expr.exp
        if e.is_number and e.is_negative:
            return self._print_Mul(sp.Mul(sp.S.One, expr, evaluate=False))
        if e == sp.S.Half:
            text = self._print(base)
            return ("sqrt" if self.ascii else "√") + (text if len(text) == 1 and not self.ascii else f"({text})")
        text = self._print(base)
        if not (isinstance(base, (sp.Symbol, sp.Function, sp.Integer)) and not isinstance(base, Abbreviation)):
            if not (isinstance(base, sp.Indexed) and len(base.indices) == 1 and "⁽" not in text and "^" not in text):
                text = f"({text})"
        return text + self._sup(self._print(e))

    def _print_Sum(self, expr: sp.Sum) -> str:
        if is_inner_product(expr):
            theta, x = sorted(sp.Mul.make_args(expr.function), key=lambda f: f.base.label.name != "theta")
            row = self._sup(self._print(x.indices[0]), paren=True) if len(x.indices) == 2 else ""
            transpose = "^T " if self.ascii else "ᵀ"
            return self._print(theta.base) + transpose + self._print(x.base) + row
        body = self._print(expr.function)
        if isinstance(expr.function, sp.Add) or body.startswith(self.minus):
            body = f"[{body}]"
        signs = []
        for var, low, high in reversed(expr.limits):
            low_text, high_text = f"{self._print(var)}={self._print(low)}", self._print(high)
            sub, sup = subscript(low_text), superscript(high_text)
            if self.ascii or sub is None or sup is None:
                signs.append(("sum" if self.ascii else "Σ") + f"_{{{low_text}}}^{{{high_text}}}".replace(" ", ""))
            else:
                signs.append("Σ" + sub + sup)
        return " ".join(signs) + " " + body

    # --- functions and derivatives ----------------------------------------------------------
    def _print_Function(self, expr: sp.Function) -> str:
        args = [self._print(a) for a in expr.args]
        if isinstance(expr, Abbreviation):
            template = re.sub(
                r"⁽\{(\d+)\}⁾", lambda mt: self._sup(args[int(mt.group(1))], paren=True).replace("{", "{{").replace(
                    "}", "}}"), expr.unicode_template)
            text = template.format(*args)
            return ascii_text(text) if self.ascii else text
        name = getattr(expr, "unicode_name", None) or expr.func.__name__
        return (ascii_text(name) if self.ascii else name) + "(" + ", ".join(args) + ")"

    def _print_exp(self, expr: sp.exp) -> str:
        arg = self._print(expr.args[0])
        if self.ascii:
            return f"exp({arg})"
        return "e^" + (arg if len(arg) == 1 else f"({arg})")

    def _print_KroneckerDelta(self, expr: sp.KroneckerDelta) -> str:
        a, b = sorted(expr.args, key=lambda v: v.is_number)
        if self.ascii:
            return f"delta({self._print(a)},{self._print(b)})"
        return "δ_" + self._print(a) + self._print(b)

    def _print_Abs(self, expr: sp.Abs) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        f = expr.expr
        d = "d" if all(isinstance(v, sp.Symbol) for v, _ in expr.variable_count) else "∂"
        d = "d" if self.ascii else d
        order = sum(int(c) for _, c in expr.variable_count)
        top = d + (self._sup(str(order)) if order > 1 else "")
        bottom = " ".join(d + self._print(v) + (self._sup(str(c)) if c > 1 else "") for v, c in expr.variable_count)
        bottom = f"({bottom})" if " " in bottom else bottom
        if is_compact(f):
            body = self._print(f)
            gap = " " if self.ascii and (top[-1].isdigit() or re.match(r"[a-zA-Z]{2}", body)) else ""
            return f"{top}{gap}{body}/{bottom}"
        body = self._print(f)
        if not isinstance(f, sp.Function):
            body = f"[{body}]"
        return f"{top}/{bottom} {body}"

    # --- matrices -----------------------------------------------------------------------------
    def _print_Transpose(self, expr: sp.Transpose) -> str:
        return self._factor_matrix(expr.arg) + ("^T" if self.ascii else "ᵀ")

    def _factor_matrix(self, m: sp.Basic) -> str:
        text = self._print(m)
        return f"({text})" if isinstance(m, (sp.MatAdd, sp.MatMul, sp.HadamardProduct)) else text

    def _print_MatMul(self, expr: sp.MatMul) -> str:
        scalars = [a for a in expr.args if not getattr(a, "is_Matrix", False)]
        mats = [a for a in expr.args if getattr(a, "is_Matrix", False)]
        coeff = self._print(sp.Mul(*scalars)) if scalars else ""
        sign = ""
        if coeff.startswith(self.minus):
            sign, coeff = self.minus, coeff[len(self.minus):]
        out = ""
        for m in mats:
            text = self._print(m)
            text = f"({text})" if isinstance(m, sp.MatAdd) else text
            tight = not self.ascii and out and len(out.rsplit(" ", 1)[-1]) <= 2 and (len(text) <= 2 or text[0] == "(")
            out += ("" if tight or not out else " ") + text
        if coeff in ("", "1"):
            return sign + out
        coeff = f"({coeff})" if "/" in coeff or " " in coeff else coeff
        return sign + coeff + " " + out

    def _print_MatAdd(self, expr: sp.MatAdd) -> str:
        return self._print_Add(expr)

    def _print_ElementwiseApplyFunction(self, expr) -> str:
        return self._print(elementwise_body(expr, self._print(expr.expr)))

    def _print_MatrixElement(self, expr) -> str:
        idx = [self._print(a) for a in (expr.i, expr.j)]
        idx = idx[:1] if expr.j == 0 and expr.parent.shape[1] == 1 else idx
        parent = self._print(expr.parent)
        parent = parent if isinstance(expr.parent, sp.MatrixSymbol) else f"[{parent}]"
        return parent + self._sub(",".join(idx))

    def _print_OneMatrix(self, expr) -> str:
        return "1" if self.ascii else "𝟏"

    def _print_Identity(self, expr) -> str:
        return "I"

    def _print_ZeroMatrix(self, expr) -> str:
        return "0"

    def _print_HadamardProduct(self, expr) -> str:
        return (" .* " if self.ascii else " ⊙ ").join(self._factor_matrix(a) for a in expr.args)

    def _print_DiagMatrix(self, expr) -> str:
        return f"diag({self._print(expr.args[0])})"

    def _print_Inverse(self, expr) -> str:
        return self._factor_matrix(expr.arg) + self._sup("-1")

    def _print_Equality(self, expr: sp.Eq) -> str:
        return f"{self._print(expr.lhs)} = {self._print(expr.rhs)}"


def is_compact(f: sp.Basic) -> bool:
    """Whether ∂f/∂v reads better than ∂/∂v [f]: J(θ), h_θ(x⁽ⁱ⁾), σ(z), θ_k."""
    if isinstance(f, Abbreviation) or isinstance(f, (sp.Symbol, sp.Indexed, sp.MatrixSymbol)):
        return True
    return isinstance(f, sp.Function) and all(isinstance(a, (sp.Symbol, sp.Indexed, sp.Number)) for a in f.args)


def to_unicode(expr: sp.Basic) -> str:
    """``expr`` in one line of Unicode.

    >>> from derivation.models import get_model
    >>> to_unicode(get_model("logistic").form("sum").gradient)
    '(1/m) Σᵢ₌₁ᵐ (h_θ(x⁽ⁱ⁾) − y⁽ⁱ⁾) x_j⁽ⁱ⁾'
    """
    return TextPrinter().doprint(expr)


def to_ascii(expr: sp.Basic) -> str:
    """``expr`` in one line of plain ASCII.

    >>> from derivation.models import get_model
    >>> to_ascii(get_model("logistic").form("sum").gradient)
    '(1/m) sum_{i=1}^{m} (h_theta(x^(i)) - y^(i)) x_j^(i)'
    """
    return TextPrinter({"ascii": True}).doprint(expr)


def to_latex(expr: sp.Basic) -> str:
    r"""``expr`` in LaTeX (math mode).

    >>> from derivation.notation import theta, j
    >>> to_latex(theta[j])
    '\\theta_{j}'
    """
    from .latex import NotationLatexPrinter

    return NotationLatexPrinter().doprint(expr)


__all__ = ["ascii_text", "superscript", "subscript", "to_ascii", "to_latex", "to_unicode"]
