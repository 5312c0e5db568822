r"""LaTeX: the expression printer and the derivation as an ``align*`` block.

Each ``=`` carries its rule underneath, as in the accepted answer we aim for
(``\underset{\text{linearity}}{=}``); long right-hand sides are broken at their
outermost + and − so that a line fits an A4 page.  The output is pure ASCII.
"""

from __future__ import annotations

import re
from typing import ClassVar

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement
from sympy.printing.latex import LatexPrinter

from ..core.steps import FAILS, HOLDS, UNDECIDED, Derivation, Step
from . import text as _text
from .expr import (
    _SUB,
    _SUP,
    GREEK,
    PRINTERS,
    NotationMixin,
    Product,
    ascii_text,
    equation_sides,
    is_compact,
    is_inner_product,
    is_simple,
    ordered_terms,
    visible,
)
from .labels import step_words

WIDTH = 84  # letter widths (see latex_width) that fit one line of an A4 page with 1.6 cm margins


class NotationLatexPrinter(NotationMixin, LatexPrinter):
    r"""SymPy's LaTeX printer with our notation: \theta^{\top} x^{(i)}, x_{j}^{(i)}, -\frac{1}{m} \sum …

    >>> from derivation.core.notation import x, i, j
    >>> NotationLatexPrinter().doprint(x[i, j])
    'x_{j}^{(i)}'
    """

    minus = "-"
    glyphs: ClassVar[dict[str, str]] = {
        "T": r"^{\top}",
        "T ": " ",
        "1": r"\mathbf{1}",
        "0": r"\mathbf{0}",
        "⊙": r" \odot ",
        "diag": r"\operatorname{diag}",
    }

    def paren(self, text: str) -> str:
        return rf"\left({text}\right)"

    def bracket(self, text: str) -> str:
        return rf"\left[ {text} \right]"

    def sub(self, text: str) -> str:
        return f"_{{{text}}}"

    def sup(self, text: str) -> str:
        return f"^{{{text}}}"

    def sup_paren(self, text: str) -> str:
        return f"^{{({text})}}"

    def join_factors(self, texts: list[str]) -> str:
        out = ""
        for text in texts:
            out += (r" \cdot " if out[-1:].isdigit() and text[0].isdigit() else " " if out else "") + text
        return out

    def fraction(self, top: list[sp.Basic], den: list[sp.Basic]) -> str:
        top_text = self._print(top[0]) if len(top) == 1 else self._product(top)
        bottom = self._print(den[0]) if len(den) == 1 else self._product(den)
        return rf"\frac{{{top_text}}}{{{bottom}}}"

    def coefficient(self, frac: str) -> str:
        return frac

    def _print_Pow(self, expr: sp.Pow) -> str:
        base, e = expr.base, expr.exp
        if e.is_number and e.is_negative:
            return self._print_Mul(sp.Mul(sp.S.One, expr, evaluate=False))
        if e == sp.S.Half or isinstance(base, (sp.Function, sp.Symbol)):
            return super()._print_Pow(expr)
        text = self._print(base)
        if not (isinstance(base, sp.Indexed) and "^" not in text):
            text = self.paren(text)
        return text + self.sup(self._print(e))

    def sum_signs(self, limits: tuple) -> str:
        return " ".join(
            rf"\sum_{{{self._print(v)}={self._print(a)}}}^{{{self._print(b)}}}" for v, a, b in reversed(limits)
        )

    def derivative_parts(self, expr: sp.Derivative) -> tuple[str, str]:
        r"""(``\frac{\partial}{\partial \theta_{j}}``, ``\frac{\partial f}{\partial \theta_{j}}``) for ``expr``."""
        d = "d" if all(isinstance(v, sp.Symbol) for v, _ in expr.variable_count) else r"\partial"
        order = sum(int(c) for _, c in expr.variable_count)
        top = d + (self.sup(str(order)) if order > 1 else "")
        gap = "" if d == "d" else " "
        bottom = " ".join(
            f"{d}{gap}{self._print(v)}" + (self.sup(str(c)) if c > 1 else "") for v, c in expr.variable_count
        )
        body = self._print(expr.expr) if is_compact(expr.expr) else ""
        return rf"\frac{{{top}}}{{{bottom}}}", rf"\frac{{{top} {body}}}{{{bottom}}}"

    def _print_sign(self, expr: sp.sign, exp: str | None = None) -> str:
        return r"\operatorname{sign}" + self.paren(self._print(expr.args[0])) + (self.sup(exp) if exp else "")

    def _print_log(self, expr: sp.log, exp: str | None = None) -> str:
        return r"\log" + (self.sup(exp) if exp else "") + self.paren(self._print(expr.args[0]))

    def _print_exp(self, expr: sp.exp, exp: str | None = None) -> str:
        body = f"e^{{{self._print(expr.args[0])}}}"
        return self.paren(body) + self.sup(exp) if exp else body

    def _print_KroneckerDelta(self, expr: sp.KroneckerDelta, exp: str | None = None) -> str:
        a, b = (self._print(v) for v in sorted(expr.args, key=lambda v: v.is_number))
        return rf"\delta_{{{a} {b}}}" + (self.sup(exp) if exp else "")

    def matrix_join(self, texts: list[str]) -> str:
        return " ".join(texts)

    def matrix_coefficient(self, coeff: str) -> str:
        return self.paren(coeff) if " " in coeff and r"\frac" not in coeff else coeff


PRINTERS["latex"] = NotationLatexPrinter

# --- text inside LaTeX ---------------------------------------------------------------------------

_SPECIALS = {c: "\\" + c for c in "{}$&#_%"} | {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\textasciitilde{}"}
_COMMANDS = r"- ' \partial \sum \cdot \odot \mathbf{1} \neq \leq \geq \times \ldots \to \sqrt".split()
_MATH_GLYPHS = {
    g: c + " " if c[0] == "\\" and c[-1] != "}" else c for g, c in zip("−′∂Σ·⊙𝟏≠≤≥×…→√", _COMMANDS, strict=True)
}
_MATH_GLYPHS |= {g: f"\\{name} " for name, g in GREEK.items()}
_SCRIPT_RUN = re.compile("[{}]+|[{}]+".format(re.escape("".join(_SUP.values())), re.escape("".join(_SUB.values()))))


def latex_text(text: str) -> str:
    r"""Plain text made safe for LaTeX text mode, in ASCII (θ becomes theta).

    >>> latex_text("σ′ = σ(1−σ) & 50%")
    "sigma' = sigma(1-sigma) \\& 50\\%"
    """
    text = visible(text.replace("—", "---").replace("–", "--"))
    return "".join(_SPECIALS.get(c, c) for c in ascii_text(text))


# Commands a user's math may keep when pasted into our document: math that article + amsmath + amssymb
# typeset and that neither reads nor writes files nor defines anything (no \input, \write18, \def, \catcode).
_MATH_COMMANDS = frozenset(
    r"""alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi varpi rho
    varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi
    Omega ell partial nabla infty sum prod int lim max min arg argmax argmin sup inf det log ln exp sin cos tan tanh
    frac dfrac tfrac cfrac sqrt left right bigl bigr Bigl Bigr biggl biggr Biggl Biggr big Big bigg Bigg middle
    cdot cdots ldots dots vdots ddots times odot otimes oplus circ star ast bullet top intercal prime mid
    leq geq le ge neq ne approx equiv sim propto in notin subset forall exists to gets mapsto leftarrow rightarrow
    Leftarrow Rightarrow implies iff colon lVert rVert lvert rvert Vert vert langle rangle lbrace rbrace lfloor rfloor
    lceil rceil pm mp setminus cup cap quad qquad text mathrm textrm textit textbf mathbf boldsymbol mathcal mathbb
    mathit operatorname hat widehat bar overline tilde widetilde vec dot ddot underset overset stackrel underbrace
    overbrace limits nolimits displaystyle textstyle scriptstyle hphantom phantom vphantom begin end
    """.split()
)
_ENVIRONMENTS = frozenset("matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix smallmatrix cases array aligned".split())
_COMMAND = re.compile(r"\\([A-Za-z]+|.?)")


def pasteable(tex: str) -> bool:
    r"""True when a user's math may go into our LaTeX as written: braces balanced, harmless math commands only.

    Anything else is printed as text (``latex_text``): a command we do not list may read or write files
    (``\input``, ``\write18``), ``^^5c`` spells a backslash, ``%`` and ``#`` break the document around it.

    >>> pasteable(r"\frac{1}{m} \sum_{i=1}^{m} x_j^{(i)}"), pasteable(r"\immediate\write18{touch x}")
    (True, False)
    >>> pasteable(r"\input{/etc/passwd}"), pasteable("^^5cinput x"), pasteable(r"\begin{filecontents}")
    (False, False, False)
    """
    if not tex.isascii() or "^^" in tex or _unbalanced(tex):
        return False
    for match in _COMMAND.finditer(tex):
        name = match.group(1)
        if name.isalpha():
            if name not in _MATH_COMMANDS:
                return False
            if name in ("begin", "end"):
                env = re.match(r"\s*\{([A-Za-z]+\*?)\}", tex[match.end() :])
                if env is None or env.group(1) not in _ENVIRONMENTS:
                    return False
        elif name not in tuple(",;:! {}|_&%#$\\"):
            return False
    return re.search(r"(?<!\\)[%#]", re.sub(r"\\\\", "", tex)) is None


def _unbalanced(tex: str) -> bool:
    depth = 0
    for c in re.sub(r"\\[\\{}]", "", tex):
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return True
    return depth != 0 or len(re.findall(r"\\left(?![A-Za-z])", tex)) != len(re.findall(r"\\right(?![A-Za-z])", tex))


def latex_math(text: str) -> str:
    r"""A math-mode label with any Unicode notation turned into LaTeX commands.

    >>> latex_math("σ′ = σ(1−σ)")
    "\\sigma ' = \\sigma (1-\\sigma )"
    """

    def script(match: re.Match) -> str:
        run = match.group(0)
        sup = {v: k for k, v in _SUP.items()}
        table, mark = (sup, "^") if run[0] in sup else ({v: k for k, v in _SUB.items()}, "_")
        return mark + "{" + "".join(table[c] for c in run).replace("T", r"\top ") + "}"

    text = _SCRIPT_RUN.sub(script, text)
    return "".join(_MATH_GLYPHS.get(c, c if c.isascii() else ascii_text(c)) for c in text)


# --- the derivation ------------------------------------------------------------------------------

_NARROW = {"left", "right", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr"}
_SPACES = {"quad": 2.0, "qquad": 4.0, ",": 0.3, ";": 0.5, " ": 0.5}


def latex_width(tex: str) -> float:
    r"""Rough printed width of math-mode LaTeX, in widths of one letter; fractions count their wider part.

    >>> latex_width(r"\frac{1}{m} x_{j}^{(i)}") < latex_width("1/m x_j^(i)")
    True
    """
    return _group_width(tex, 0)[0]


def _group_width(tex: str, pos: int) -> tuple[float, int]:
    """Width of ``tex[pos:]`` up to the closing brace of the current group; returns (width, end)."""
    total = 0.0
    while pos < len(tex):
        c = tex[pos]
        if c == "}":
            return total, pos + 1
        if c == "{":
            width, pos = _group_width(tex, pos + 1)
            total += width
            continue
        if c in "^_":
            width, pos = _argument(tex, pos + 1)
            total += 0.7 * width
            continue
        if c == "\\":
            match = re.match(r"\\([a-zA-Z]+|.)", tex[pos:])
            name = match.group(1)
            pos += len(match.group(0))
            if name == "frac":
                top, pos = _argument(tex, pos)
                bottom, pos = _argument(tex, pos)
                total += max(top, bottom) + 0.4
            elif name in ("underset", "overset"):
                under, pos = _argument(tex, pos)
                over, pos = _argument(tex, pos)
                total += max(0.7 * under, over)
            elif name in ("text", "textbf", "operatorname", "mathbf", "hphantom", "phantom"):
                width, pos = _argument(tex, pos)
                total += width * (0.8 if name.startswith("text") else 1.0)
            elif name in _NARROW:
                pos += 1 if pos < len(tex) and tex[pos] in "()[]|." else 0
                total += 0.9
            elif name == "sum":
                total += 3.0
                while pos < len(tex) and tex[pos] in "^_":  # limits sit above and below
                    limit, pos = _argument(tex, pos + 1)
                    total = max(total, total - 3.0 + 0.7 * limit)
            else:
                total += _SPACES.get(name, 1.1 * len(name) if name in ("log", "exp", "diag") else 1.1)
            continue
        total += {"+": 2.4, "-": 2.4, "=": 2.7, " ": 0.0, "(": 0.8, ")": 0.8, "[": 0.6, "]": 0.6, ",": 0.6}.get(c, 1.0)
        pos += 1
    return total, pos


def _argument(tex: str, pos: int) -> tuple[float, int]:
    if pos < len(tex) and tex[pos] == "{":
        return _group_width(tex, pos + 1)
    if pos < len(tex) and tex[pos] == "\\":
        match = re.match(r"\\([a-zA-Z]+|.)", tex[pos:])
        return 1.0, pos + len(match.group(0))
    return 1.0, pos + 1


def split_latex(expr: sp.Basic, printer: NotationLatexPrinter, width: int = WIDTH) -> list[str]:
    r"""``expr`` in LaTeX as one or more lines, broken at the outermost + and − when too wide.

    >>> from derivation.core.notation import z
    >>> split_latex(z + 1, NotationLatexPrinter())
    ['z + 1']
    """
    tex = printer.doprint(expr)
    if latex_width(tex) <= width:
        return [tex]
    if isinstance(expr, sp.Add):
        return _split_terms(ordered_terms(printer, expr), printer, width)
    if isinstance(expr, sp.Derivative) and not is_compact(expr.expr) and not isinstance(expr.expr, sp.Function):
        return _wrap(printer.derivative_parts(expr)[0], expr.expr, printer, width, brackets=True)
    if isinstance(expr, sp.Sum) and not is_inner_product(expr):
        body = expr.function
        brackets = isinstance(body, sp.Add) or printer.doprint(body).startswith("-")
        return _wrap(printer.sum_signs(expr.limits), body, printer, width, brackets)
    if isinstance(expr, sp.Mul):
        prod = Product.of(expr)
        last = prod.num[-1] if prod.num else None
        if isinstance(last, (sp.Sum, sp.Derivative, sp.Add)) and all(is_simple(d) for d in prod.den):
            coeff = sp.Mul(sp.Rational(prod.p, prod.q), *prod.num[:-1], *[1 / d for d in prod.den])
            head_text = ("-" if prod.negative else "") + ("" if coeff == 1 else printer.doprint(coeff))
            return _wrap(head_text, last, printer, width, brackets=isinstance(last, sp.Add))
    if isinstance(expr, MatrixElement) and tex.startswith(r"\left[") and r"\right]" in tex:
        return _break_element(expr, printer, width, tex)  # [ (1/m) Xᵀ(A − B) ]_{j,0}
    if isinstance(expr, sp.MatAdd):
        return _split_terms(list(expr.args), printer, width)
    if isinstance(expr, (sp.Mul, sp.MatMul)):
        sums = [f for f in expr.args if isinstance(f, (sp.Add, sp.MatAdd))]
        if sums:  # (θᵀx⁽ⁱ⁾ − ReLU(…) sign(…) − y⁽ⁱ⁾) x_j⁽ⁱ⁾, Xᵀ(A − B): break inside the parentheses
            return _break_inside(expr, max(sums, key=lambda f: latex_width(printer.doprint(f))), printer, width, tex)
    return [tex]


def _break_element(expr: MatrixElement, printer: NotationLatexPrinter, width: int, tex: str) -> list[str]:
    r"""``[M]_{j,0}`` with M broken over lines inside ``\Bigl[ … \Bigr]_{j,0}``; else on one line, ``tex``."""
    lines = split_latex(expr.parent, printer, width - 8)
    if len(lines) == 1:
        return [tex]
    size = "Bigg" if any(r"\frac" in line for line in lines) else "Big"
    lines[0] = f"\\{size}l[ {lines[0]}"
    lines[-1] = f"{lines[-1]} \\{size}r]" + tex[tex.rindex(r"\right]") + len(r"\right]") :]
    return lines


_MARK = sp.Symbol("BREAKMARK")  # where the parenthesised sum stands while the rest of the product is printed


def _break_inside(expr: sp.Basic, factor: sp.Basic, printer: NotationLatexPrinter, width: int, tex: str) -> list[str]:
    r"""A product whose parenthesised sum ``factor`` is broken over lines, in ``\Bigl( … \Bigr)`` sized by hand.

    Only where the sum stands at the top level of the product (not inside a fraction or a function's
    ``\left( … \right)``, which cannot span rows); else the product on one line, ``tex``.
    """
    mark = sp.MatrixSymbol(_MARK.name, *factor.shape) if isinstance(factor, sp.MatrixExpr) else _MARK
    marked = printer.doprint(expr.xreplace({factor: mark}))
    if marked.count(_MARK.name) != 1:
        return [tex]
    before, after = marked.split(_MARK.name)
    opened = len(re.findall(r"\\left(?![A-Za-z])", before)) - len(re.findall(r"\\right(?![A-Za-z])", before))
    if opened or before.count("{") != before.count("}"):
        return [tex]
    lines = split_latex(factor, printer, width - 8)
    if len(lines) == 1:
        return [tex]
    size = "Bigg" if any(r"\frac" in line for line in lines) else "Big"
    lines[0] = f"{before}\\{size}l( {lines[0]}".strip()
    lines[-1] = f"{lines[-1]} \\{size}r){after}".rstrip()
    return lines


def _wrap(prefix: str, inner: sp.Basic, printer: NotationLatexPrinter, width: int, brackets: bool) -> list[str]:
    """``prefix [inner]`` with inner split over lines; brackets that span lines are sized by hand."""
    lines = split_latex(inner, printer, width - 8)
    if len(lines) == 1:
        return [f"{prefix} {printer.bracket(lines[0]) if brackets else lines[0]}".strip()]
    if brackets:
        size = "Bigg" if any(r"\frac" in line for line in lines) else "Big"
        lines[0] = f"\\{size}l[ {lines[0]}"
        lines[-1] = f"{lines[-1]} \\{size}r]"
    lines[0] = f"{prefix} {lines[0]}".strip()
    return lines


def _split_terms(terms: list[sp.Basic], printer: NotationLatexPrinter, width: int) -> list[str]:
    lines: list[str] = []
    current, used = "", 0
    for term in terms:
        pieces = split_latex(term, printer, width)
        for k, piece in enumerate(pieces):
            if k == 0 and current:
                piece = ("- " + piece[1:].lstrip()) if piece.startswith("-") else "+ " + piece
            cost = latex_width(piece) if len(pieces) == 1 else width
            if current and used + cost > width:
                lines.append(current)
                current, used = "", 0
            current = f"{current} {piece}".strip()
            used += cost
    return [*lines, current] if current else lines


def step_label(step: Step) -> str:
    r"""The rule under an "=": the step's words in LaTeX (made ASCII), or a mark for a gap.

    >>> from derivation.core.steps import Step
    >>> step_label(Step("linearity", "", sp.S.Zero)), step_label(Step("unexplained", "", sp.S.Zero))
    ('\\text{linearity}', '\\textbf{unexplained (no rule)}')
    """
    if step.rule == "unexplained":
        return r"\textbf{unexplained (no rule)}"
    return latex_math(step_words(step)[1])


def latex_rows(derivation: Derivation, width: int = WIDTH) -> list[str]:
    r"""The rows of the aligned chain: ``lhs &\underset{rule}{=} …``, continuation rows, ``\\[1ex]`` between steps."""
    printer = NotationLatexPrinter()
    goal = printer.doprint(derivation.goal)
    lhs_width = latex_width(goal)
    rows = []
    for index, step in enumerate(derivation.steps):
        # A chain: goal &= step, &= step …; equivalent equations: &⇔ from the second on; a system: each
        # equation's left side before the & and the rest of it after its first "=".
        left, expr = (goal if index == 0 else ""), step.expr
        symbol = "=" if derivation.joins == "=" or index == 0 else r"\iff"
        if derivation.joins == "system":
            sides = equation_sides(step.expr)
            left, expr, symbol = printer.doprint(sides[0]), (sides[1:] if len(sides) > 1 else sides), "="
            expr = expr[0] if len(expr) == 1 else _Equal(*expr)
        relation = rf"\underset{{{step_label(step)}}}{{{symbol}}}"
        status = step.verdict.status if step.verdict is not None else None
        note = {FAILS: r" \qquad \text{[\textbf{fails}]}", UNDECIDED: r" \qquad \text{[undecided]}"}.get(status, "")
        room = width - max(lhs_width, latex_width(left)) - latex_width(relation) - latex_width(note) - 4
        lines = split_latex(expr, printer, max(30, room))
        if len(lines) > 1:  # the lines after the first start a \qquad further in
            lines = split_latex(expr, printer, max(30, room - latex_width(r"\qquad")))
        rows.append(f"{left} &{relation} {lines[0]}")
        rows.extend(rf"&\hphantom{{{relation}}} \qquad {line}" for line in lines[1:])
        rows[-1] += note
    return rows or [f"{goal} &"]


class _Equal(sp.Basic):
    """``b = c``: the sides of an equation after its first "=", printed joined (a system's row)."""

    def _latex(self, printer, exp=None) -> str:
        return " = ".join(printer._print(side) for side in self.args)


def render_latex(derivation: Derivation, *, standalone: bool = False, jupyter: bool = False) -> str:
    r"""The chain as ``align*`` (a whole document when ``standalone``; ``$$aligned$$`` for Jupyter).

    >>> from derivation.models import get_model
    >>> from derivation.core.steps import Step
    >>> f = get_model("sigmoid").form()
    >>> d = Derivation("σ′", f.goal, f.variable, (Step("result", "", f.gradient),))
    >>> print(render_latex(d))  # doctest: +NORMALIZE_WHITESPACE
    \begin{align*}
    \frac{d \sigma\left(z\right)}{dz} &\underset{\text{result}}{=}
        \sigma\left(z\right) \left(1 - \sigma\left(z\right)\right)
    \end{align*}
    """
    rows = join_rows(latex_rows(derivation))
    if jupyter:
        return "$$\\begin{aligned}\n" + rows + "\n\\end{aligned}$$"
    body = "\\begin{align*}\n" + rows + "\n\\end{align*}"
    return _document(derivation, body) if standalone else body


def join_rows(rows: list[str]) -> str:
    """Rows joined by ``\\``, with a little more room before each new "="."""
    out = rows[0] if rows else ""
    for row in rows[1:]:
        out += (" \\\\\n" if row.startswith(r"&\hphantom") else " \\\\[1ex]\n") + row
    return out


def latex_prose(text: str) -> str:
    r"""Prose with Unicode math in it (a title): words with math glyphs become ``$…$``.

    >>> latex_prose("Logistic regression: ∂J(θ)/∂θ_j")
    'Logistic regression: $\\partial J(\\theta )/\\partial \\theta _j$'
    """
    words = []
    for word in text.split(" "):
        bare = word.replace("_", "").replace("^", "")
        mathy = not word.isascii() and "^^" not in word and not any(c in _SPECIALS for c in bare)
        words.append(f"${latex_math(word)}$" if mathy else latex_text(word))
    return " ".join(words)


_ITEM_MARKS = {HOLDS: r"$\checkmark$", FAILS: r"$\times$", UNDECIDED: "?", None: "--"}


def _document(derivation: Derivation, body: str) -> str:
    printer = NotationLatexPrinter()
    where = ", \\quad ".join(f"{printer.doprint(d.short)} = {printer.doprint(d.long)}" for d in derivation.definitions)
    parts = [
        r"\documentclass[11pt]{article}",
        r"\usepackage[a4paper,margin=1.6cm]{geometry}",
        r"\usepackage{amsmath,amssymb}",
        r"\allowdisplaybreaks",
        r"\pagestyle{empty}",
        r"\begin{document}",
        r"\section*{" + latex_prose(derivation.title) + "}",
    ]
    if where:
        parts.append(r"\noindent where $" + where + "$.")
    parts.append(body)
    entries = _text.problem_entries(derivation) + _text.check_entries(derivation)
    if entries:
        parts.append(r"\subsection*{Checks}")
        items = [rf"\item[{_ITEM_MARKS.get(v.status if v else None, '?')}] {latex_text(line)}" for v, line in entries]
        parts.append("\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}")
    parts.append(r"\noindent " + latex_text(_text.summary(derivation)) + ".")
    parts.append(r"\end{document}")
    return "\n".join(parts) + "\n"


__all__ = ["NotationLatexPrinter", "latex_math", "latex_prose", "latex_text", "render_latex", "split_latex"]
