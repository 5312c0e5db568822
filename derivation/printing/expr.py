"""One-line printers for our notation: Unicode (terminal), ASCII and LaTeX.

``theta[j]`` is θ_j, ``x[i, j]`` is x_j⁽ⁱ⁾ (example i, feature j), ``y[i]`` is
y⁽ⁱ⁾, ``Sum(theta[k]*x[i, k], (k, 0, n))`` is θᵀx⁽ⁱ⁾, and an unevaluated
``Derivative`` is ∂/∂θ_j [f].  Products with a coefficient read −(1/m) Σ …;
unevaluated Add/Mul are printed as built (nothing cancels), so a step can show
h(1−h)/h before the next step cancels it.  The printers dispatch by ``_print_<ClassName>`` like
SymPy's own: :class:`NotationMixin` holds the structure, the Unicode/ASCII
printer (:mod:`.text`) and the LaTeX printer (:mod:`.latex`) the spelling.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

import sympy as sp

from ..core.functions import Abbreviation, functions
from ..core.notation import n as _n

GREEK = {
    name: unicodedata.lookup(f"GREEK SMALL LETTER {'LAMDA' if name == 'lambda' else name.upper()}")
    for name in (
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau phi chi psi omega"
    ).split()
}
_SUP = dict(
    zip("0123456789+-−=()Tabcdefghijklmnoprstuvwxyz", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵀᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", strict=True)
)
_SUB = dict(zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
_FROM_SUP = {v: k for k, v in _SUP.items() if k != "−"}
_FROM_SUB = {v: k for k, v in _SUB.items() if k != "−"}
# Every symbol the tool prints has an ASCII spelling (--ascii); what NFKD reduces (é, ℓ, ½ → 1⁄2) needs no entry.
_ASCII = {g.upper(): name.capitalize() for name, g in GREEK.items()} | {g: name for name, g in GREEK.items()}
_ASCII |= dict(
    zip(
        "−∂Σ∑Π∏∇𝟏⊙·⋅∗′″‴√✓✗…→←↦⇒⇔⟺≠≤≥≡×—–⁄≈∝∞‖±∓∈∉∘⊕⊗⟨⟩∴µŷŶ",
        "- d sum sum prod prod grad 1 .* * * * ' '' ''' sqrt ok FAIL ... -> <- |-> => <=> <=> != <= >= == x - - / ~ ~ "
        "oo || +/- -/+ in notin o (+) (x) < > so mu y_hat Y_hat".split(),
        strict=True,
    )
)
_ASCII |= {"\u0304": "_bar", "\u0302": "_hat", "\u0303": "_tilde"}  # combining accents: x̄ → x_bar, θ̂ → theta_hat, θ̃
_ASCII |= {"ỹ": "y_tilde", "Ỹ": "Y_tilde", "⊤": "T", "⋯": "..."}  # precomposed ỹ; θ⊤ as some write θᵀ; ⋯
_ASCII |= {"≔": ":=", "≜": "=def", "≝": "=def", "∼": "~"}  # definitions as users type them; θ_j ∼ N(0, 1)
_ASCII |= {"ᵦ": "_beta", "ᵧ": "_gamma", "ᵨ": "_rho", "ᵩ": "_phi", "ᵪ": "_chi"}  # Greek sub- and superscripts
_ASCII |= {"ᵝ": "^beta", "ᵞ": "^gamma", "ᵟ": "^delta", "ᶿ": "^theta", "ᵠ": "^phi", "ᵡ": "^chi"}
EXAMPLE_INDEXED = frozenset({"y"})  # bases whose single index counts examples: y⁽ⁱ⁾, not y_i
CLASS_INDICES = frozenset({"j", "k", "a", "b", "c"})  # y by one of these is one example's one-hot entry: y_k


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


INVISIBLE = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"))


def visible(text: str, escape: Callable[[str], str] | None = None, keep: str = "\n\t") -> str:
    r"""``text`` with control, format and bidi characters shown as escapes, so a terminal shows what was there.

    A user's file may carry ESC/OSC sequences, NUL, U+202E (right-to-left override) or U+200B (zero
    width space); printed raw they recolour or retitle the terminal, hide text or reorder it.
    Newlines and tabs stay (``keep``); ``escape`` spells one character (default ``\x1b``, ``\u202e``).

    >>> visible("a\x1b]0;t\x07b \u202ec\u200b\x00 θ\n")
    'a\\x1b]0;t\\x07b \\u202ec\\u200b\\x00 θ\n'
    """
    if text.isprintable():
        return text
    escape = escape or _escape
    return "".join(escape(c) if c not in keep and unicodedata.category(c) in INVISIBLE else c for c in text)


def _escape(c: str) -> str:
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


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
                word = _spelled(word)
            pos += 1
            if word[0].isalpha() and len(word) > 1 and out and out[-1][-1:].isalnum() and text[pos - 2] != "∂":
                word = " " + word
            two = text[pos : pos + 2]
            if c == "∂" and len(two) == 2 and two.isalpha() and not set(two) & _FROM_SUP.keys():
                word += " "  # ∂log u → d log u, but ∂θ_j → dtheta_j and ∂²J → d^2 J
        nxt = text[pos] if pos < len(text) else ""
        if len(word) > 1 and word[-1] not in " |" and nxt.isalpha() and nxt not in _FROM_SUB and nxt not in _FROM_SUP:
            word += " "
        out.append(word)
    return "".join(out)


def _spelled(c: str) -> str:
    r"""A character the table lacks: its NFKD parts spelled (½ → 1/2, é → e), else its escape (never "?").

    >>> _spelled("½"), _spelled("é"), _spelled("ȳ"), _spelled(chr(0x2605))
    ('1/2', 'e', 'y_bar', '\\u2605')
    """
    parts = "".join(
        _ASCII.get(p, p) for p in unicodedata.normalize("NFKD", c) if p in _ASCII or not unicodedata.combining(p)
    )
    return parts if parts and parts.isascii() else _escape(c)  # a "?" would read as one the user typed


def is_inner_product(expr: sp.Basic) -> bool:
    """Whether ``expr`` is Σ_{k=0}^{n} θ_k x_k (or x_k⁽ʳ⁾), printed θᵀx.

    >>> from derivation.core.notation import inner
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
    """A product taken apart: ``sign · (p/q) · Π num / Π den``, numerator factors in reading order."""

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
        prod.num.sort(key=_factor_rank)
        return prod


def _is_operator(f: sp.Basic) -> bool:
    """Σ and ∂/∂θ reach to the end of a product, so they go last."""
    return isinstance(f, (sp.Sum, sp.Derivative)) and not is_inner_product(f)


def _factor_rank(f: sp.Basic) -> int:
    """Order of evaluated factors as courses write them: y h (1 − h) x_j, y log(h), then Σ and ∂."""
    if _is_operator(f):
        return 5
    if f.is_Number:
        return -1
    base = f.base if isinstance(f, sp.Pow) else f
    if isinstance(base, sp.Symbol) or (isinstance(base, sp.Indexed) and base.base.label.name in EXAMPLE_INDEXED):
        return 0
    if isinstance(base, (Abbreviation, *functions())):  # h_θ(x⁽ⁱ⁾), σ(z), softplus(z): like a variable
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


def is_compact(f: sp.Basic) -> bool:
    """Whether ∂f/∂v reads better than ∂/∂v [f]: J(θ), h_θ(x⁽ⁱ⁾), σ(z), θ_k.

    >>> is_compact(sp.Symbol("z")), is_compact(sp.log(sp.Symbol("z") + 1))
    (True, False)
    """
    if isinstance(f, (Abbreviation, sp.Symbol, sp.Indexed, sp.MatrixSymbol)):
        return True
    return isinstance(f, sp.Function) and all(isinstance(a, (sp.Symbol, sp.Indexed, sp.Number)) for a in f.args)


class NotationMixin:
    """The structure of our notation, shared by the text and the LaTeX printer.

    A printer supplies the spelling: ``minus``, ``glyphs`` (transpose mark, 𝟏, ⊙, diag …) and
    the hooks ``paren``, ``bracket``, ``sub``, ``sup``, ``sup_paren``, ``join_factors``,
    ``fraction``, ``coefficient``, ``sum_signs``, ``derivative_parts``, ``matrix_join`` and
    ``matrix_coefficient``.  Dispatch stays SymPy's: ``_print_<ClassName>``.
    """

    minus = "-"
    glyphs: ClassVar[dict[str, str]] = {}

    def _print_Verbatim(self, expr: Verbatim) -> str:
        return expr.name

    def _print_IndexedBase(self, expr: sp.IndexedBase) -> str:
        return self._print(expr.label)

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        base = self._print(expr.base)
        idx = [self._print(a) for a in expr.indices]
        if len(idx) == 2:  # x[i, j]: example i up, feature j down
            return base + self.sub(idx[1]) + self.sup_paren(idx[0])
        index = expr.indices[0]
        if len(idx) == 1 and expr.base.label.name in EXAMPLE_INDEXED and str(index) not in CLASS_INDICES:
            return base + self.sup_paren(idx[0])
        return base + self.sub(",".join(idx))

    def _print_Add(self, expr: sp.Add, order=None) -> str:
        out = ""
        for term in ordered_terms(self, expr):
            text = self._print(term)
            text = self.paren(text) if isinstance(term, sp.Add) else text
            if text.startswith(self.minus):
                out += (f" {self.minus} " if out else self.minus) + text[len(self.minus) :].lstrip()
            else:
                out += (" + " if out else "") + text
        return out

    def _print_MatAdd(self, expr: sp.MatAdd) -> str:
        return self._print_Add(expr)

    def _factor(self, f: sp.Basic, last: bool = True) -> str:
        text = self._print(f)
        if isinstance(f, (sp.Add, sp.MatAdd)) or text.startswith(self.minus) or (f.is_Rational and f.q != 1):
            return self.paren(text)
        if isinstance(f, sp.Sum) and not last and not is_inner_product(f):
            return self.paren(text)  # Σ reaches to the end of a product
        return text

    def _product(self, factors: list[sp.Basic]) -> str:
        return self.join_factors([self._factor(f, k == len(factors) - 1) for k, f in enumerate(factors)])

    def _print_Mul(self, expr: sp.Mul) -> str:
        prod = Product.of(expr)
        sign = self.minus if prod.negative else ""
        den = ([sp.Integer(prod.q)] if prod.q != 1 else []) + prod.den
        if not den:
            head = [] if prod.p == 1 and prod.num else [sp.Integer(prod.p)]
            return sign + self._product(head + prod.num)
        # (λ/m) θ_j and −(1/m) Σ …: symbols over symbols join the coefficient; Σ and ∂ stay outside a fraction
        simple = all(is_simple(d) for d in prod.den)
        in_lead = [is_simple(f) if simple else not _is_operator(f) for f in prod.num]
        lead = [f for f, keep in zip(prod.num, in_lead, strict=True) if keep]
        rest = [f for f, keep in zip(prod.num, in_lead, strict=True) if not keep]
        top = ([sp.Integer(prod.p)] if prod.p != 1 or not lead else []) + lead
        frac = self.fraction(top, den)
        return sign + (self.join_factors([self.coefficient(frac), self._product(rest)]) if rest else frac)

    def _print_Sum(self, expr: sp.Sum) -> str:
        if is_inner_product(expr):
            theta, x = sorted(sp.Mul.make_args(expr.function), key=lambda f: f.base.label.name != "theta")
            row = self.sup_paren(self._print(x.indices[0])) if len(x.indices) == 2 else ""
            return self._print(theta.base) + self.glyphs["T"] + self.glyphs["T "] + self._print(x.base) + row
        body = self._print(expr.function)
        if isinstance(expr.function, sp.Add) or body.startswith(self.minus):
            body = self.bracket(body)
        return self.sum_signs(expr.limits) + " " + body

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        operator, compact = self.derivative_parts(expr)
        if is_compact(expr.expr):
            return compact
        body = self._print(expr.expr)
        return f"{operator} {body if isinstance(expr.expr, sp.Function) else self.bracket(body)}"

    def _print_Subs(self, expr: sp.Subs) -> str:
        """f′(u) for SymPy's Subs(df(t)/dt, t, u): a user's σ′(θᵀx⁽ⁱ⁾) as they wrote it."""
        derivative, (variable,), (point,) = expr.args[0], expr.args[1], expr.args[2]
        inner = derivative.expr if isinstance(derivative, sp.Derivative) else None
        order = derivative.derivative_count if inner is not None else 0
        if (
            isinstance(inner, sp.Function)
            and inner.args == (variable,)
            and order in (1, 2)
            and len(derivative.variables) == order
        ):
            applied = self._print(inner.func(point))
            if "(" in applied:
                at = applied.index("(")
                return applied[:at] + ("′" if order == 1 else "″") + applied[at:]
        return super()._print_Subs(expr)

    def _print_Equality(self, expr: sp.Eq) -> str:
        return f"{self._print(expr.lhs)} = {self._print(expr.rhs)}"

    # --- matrices -------------------------------------------------------------------------------
    def _matrix_factor(self, m: sp.Basic) -> str:
        text = self._print(m)
        return self.paren(text) if isinstance(m, (sp.MatAdd, sp.MatMul, sp.HadamardProduct)) else text

    def _print_Transpose(self, expr: sp.Transpose) -> str:
        return self._matrix_factor(expr.arg) + self.glyphs["T"]

    def _print_MatMul(self, expr: sp.MatMul) -> str:
        scalars = [a for a in expr.args if not getattr(a, "is_Matrix", False)]
        matrices = [self._matrix_factor(a) for a in expr.args if getattr(a, "is_Matrix", False)]
        coeff = self._print(sp.Mul(*scalars)) if scalars else ""
        sign = ""
        if coeff.startswith(self.minus):
            sign, coeff = self.minus, coeff[len(self.minus) :].lstrip()
        out = self.matrix_join(matrices)
        return sign + (out if coeff in ("", "1") else self.matrix_coefficient(coeff) + " " + out)

    def _print_ElementwiseApplyFunction(self, expr) -> str:
        return self._print(elementwise_body(expr, self._print(expr.expr), self.paren("{}")))

    def _print_MatrixElement(self, expr) -> str:
        idx = [self._print(a) for a in (expr.i, expr.j)]
        idx = idx[:1] if expr.j == 0 and expr.parent.shape[1] == 1 else idx
        parent = self._print(expr.parent)
        parent = parent if isinstance(expr.parent, sp.MatrixSymbol) else self.bracket(parent)
        return parent + self.sub(",".join(idx))

    def _print_OneMatrix(self, expr) -> str:
        return self.glyphs["1"]

    def _print_ZeroMatrix(self, expr) -> str:
        return self.glyphs["0"]

    def _print_Identity(self, expr) -> str:
        return "I"

    def _print_HadamardProduct(self, expr) -> str:
        return self.glyphs["⊙"].join(self._matrix_factor(a) for a in expr.args)

    def _print_HadamardPower(self, expr) -> str:
        # Element-wise power, as NumPy reads 1/(1 + exp(-X @ theta)).
        base = self._print(expr.base)
        base = base if isinstance(expr.base, sp.MatrixSymbol) else self.paren(base)
        if expr.exp == -1:
            return "1/" + base
        return base + self.sup(self._print(expr.exp))

    def _print_DiagMatrix(self, expr) -> str:
        return self.glyphs["diag"] + self.paren(self._print(expr.args[0]))

    def _print_Inverse(self, expr) -> str:
        return self._matrix_factor(expr.arg) + self.sup("-1")


# The Unicode/ASCII printer (.text) and the LaTeX printer (.latex) subclass NotationMixin and register
# here when imported (derivation.printing imports both), so this module never imports its subclasses.
PRINTERS: dict[str, type] = {}


def to_unicode(expr: sp.Basic) -> str:
    """``expr`` in one line of Unicode.

    >>> from derivation.models import get_model
    >>> to_unicode(get_model("logistic").form("sum").gradient)
    '(1/m) Σᵢ₌₁ᵐ (h_θ(x⁽ⁱ⁾) − y⁽ⁱ⁾) x_j⁽ⁱ⁾'
    """
    return PRINTERS["text"]().doprint(expr)


def to_ascii(expr: sp.Basic) -> str:
    """``expr`` in one line of plain ASCII.

    >>> from derivation.models import get_model
    >>> to_ascii(get_model("logistic").form("sum").gradient)
    '(1/m) sum_{i=1}^{m} (h_theta(x^(i)) - y^(i)) x_j^(i)'
    """
    return PRINTERS["text"]({"ascii": True}).doprint(expr)


def to_latex(expr: sp.Basic) -> str:
    r"""``expr`` in LaTeX (math mode).

    >>> from derivation.core.notation import theta, j
    >>> to_latex(theta[j])
    '\\theta_{j}'
    """
    return PRINTERS["latex"]().doprint(expr)


def equation_sides(expr: sp.Basic) -> tuple[sp.Basic, ...]:
    """The sides of an equation step, ``a = b`` (an Eq) or ``a = b = c`` (anything with ``sides``); else (expr,)."""
    if isinstance(expr, sp.Eq):
        return expr.lhs, expr.rhs
    sides = getattr(expr, "sides", None)
    return tuple(sides) if sides else (expr,)


__all__ = [
    "equation_sides",
    "NotationMixin",
    "ascii_text",
    "subscript",
    "superscript",
    "to_ascii",
    "to_latex",
    "to_unicode",
    "visible",
]
