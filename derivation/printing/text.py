"""Text for a terminal: the Unicode/ASCII expression printer, and the derivation with aligned ``=``.

    ∂J(θ)/∂θ_j = ∂/∂θ_j [−(1/m) Σᵢ₌₁ᵐ [...]]                 (definition of J) ✓
               = −(1/m) Σᵢ₌₁ᵐ [...]                                 (linearity) ✓

Lines longer than the width are broken at their outermost + or −, never cut.  A left side
longer than a third of the width stands on a line of its own, each "= …" under it at a small
indent, so the steps keep the whole width rather than a narrow column at the right.
"""

from __future__ import annotations

import re
import shutil
import sys
from typing import Any, ClassVar

import sympy as sp
from sympy.printing.str import StrPrinter

from ..core.functions import Abbreviation
from ..core.steps import FAILS, HOLDS, UNDECIDED, Derivation, Step, Verdict
from .expr import (
    GREEK,
    PRINTERS,
    NotationMixin,
    ascii_text,
    equation_sides,
    is_compact,
    subscript,
    superscript,
    to_ascii,
    to_unicode,
)
from .labels import step_words


class TextPrinter(NotationMixin, StrPrinter):
    """One-line Unicode printer (``ascii=True``: plain ASCII) for our notation.

    >>> from derivation.core.notation import theta, x, i, j
    >>> TextPrinter().doprint(theta[j] * x[i, j]), TextPrinter({"ascii": True}).doprint(theta[j] * x[i, j])
    ('θ_j x_j⁽ⁱ⁾', 'theta_j x_j^(i)')
    """

    printmethod = "_derivation_text"  # a hook for our own functions; SymPy's _sympystr would win over us
    _default_settings: ClassVar[dict] = {**StrPrinter._default_settings, "ascii": False}

    def __init__(self, settings: dict | None = None):
        super().__init__(settings)
        self.ascii = self._settings["ascii"]
        self.minus = "-" if self.ascii else "−"
        self.glyphs = (
            {"T": "^T", "T ": " ", "1": "1", "0": "0", "⊙": " .* ", "diag": "diag"}
            if self.ascii
            else {"T": "ᵀ", "T ": "", "1": "𝟏", "0": "0", "⊙": " ⊙ ", "diag": "diag"}
        )

    def paren(self, text: str) -> str:
        return f"({text})"

    def bracket(self, text: str) -> str:
        return f"[{text}]"

    def sub(self, text: str) -> str:
        text = text.replace(" ", "")
        return "_" + (text if len(text) == 1 else "{" + text + "}")

    def sup(self, text: str) -> str:
        text = text.replace(" ", "")
        if not self.ascii and superscript(text) is not None:
            return superscript(text)
        return "^" + (text if len(text) == 1 else f"({text})")

    def sup_paren(self, text: str) -> str:
        return self.sup(f"({text})") if not self.ascii and superscript(f"({text})") else f"^({text.replace(' ', '')})"

    def _print_Piecewise(self, expr: sp.Piecewise) -> str:
        """As a textbook writes a case split: e^(z_j)/Σ_k e^(z_k) for 1 ≤ j ≤ K, else 0."""
        parts = []
        for value, condition in expr.args:
            text = self._print(value)
            last = condition == sp.true and parts
            parts.append(f"else {text}" if last else f"{text} for {self._condition(condition)}")
        return self.paren(", ".join(parts))

    def _condition(self, condition: sp.Basic) -> str:
        """A condition in words and signs; a ≤ j and j ≤ b together as a ≤ j ≤ b."""
        le = "<=" if self.ascii else "≤"
        if isinstance(condition, sp.And):
            flip = (sp.GreaterThan, sp.StrictGreaterThan)
            bounds = [c.reversed if isinstance(c, flip) else c for c in condition.args]
            if len(bounds) == 2 and all(isinstance(b, sp.LessThan) for b in bounds):
                low, high = bounds if bounds[0].rhs == bounds[1].lhs else bounds[::-1]
                if low.rhs == high.lhs:
                    return f"{self._print(low.lhs)} {le} {self._print(low.rhs)} {le} {self._print(high.rhs)}"
            return " and ".join(self._condition(c) for c in condition.args)
        if isinstance(condition, sp.Or):
            return " or ".join(self._condition(c) for c in condition.args)
        if isinstance(condition, sp.core.relational.Relational):
            signs = {">=": ">=" if self.ascii else "≥", "<=": le, "!=": "!=" if self.ascii else "≠", "==": "="}
            sign = signs.get(condition.rel_op, condition.rel_op)
            return f"{self._print(condition.lhs)} {sign} {self._print(condition.rhs)}"
        return self._print(condition)

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        head, _, tail = expr.name.partition("_")
        return (head if self.ascii else GREEK.get(head, head)) + (self.sub(tail) if tail else "")

    def _print_Dummy(self, expr: sp.Dummy) -> str:
        return self._print_Symbol(expr)

    def _print_MatrixSymbol(self, expr: sp.MatrixSymbol) -> str:
        return self._print_Symbol(expr)

    def _print_Rational(self, expr: sp.Rational) -> str:
        return (self.minus if expr.p < 0 else "") + str(abs(expr.p)) + ("" if expr.q == 1 else f"/{expr.q}")

    def _print_Integer(self, expr: sp.Integer) -> str:
        return self._print_Rational(expr)

    def join_factors(self, texts: list[str]) -> str:
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

    def fraction(self, top: list[sp.Basic], den: list[sp.Basic]) -> str:
        top_text = self.paren(self._print(top[0])) if len(top) == 1 and top[0].is_Add else self._product(top)
        bottom = self._print(den[0]) if len(den) == 1 else self._product(den)
        if len(den) > 1 or not isinstance(den[0], (sp.Symbol, sp.Integer, sp.Function, sp.Indexed, sp.Pow)):
            bottom = self.paren(bottom)
        return f"{top_text}/{bottom}"

    def coefficient(self, frac: str) -> str:
        return self.paren(frac)

    def _print_Pow(self, expr: sp.Pow, rational=False) -> str:
        base, e = expr.base, expr.exp
        if e.is_number and e.is_negative:
            return self._print_Mul(sp.Mul(sp.S.One, expr, evaluate=False))
        text = self._print(base)
        if e == sp.S.Half:
            return ("sqrt" if self.ascii else "√") + (text if len(text) == 1 and not self.ascii else self.paren(text))
        atom = isinstance(base, (sp.Symbol, sp.Function, sp.Integer)) and not isinstance(base, Abbreviation)
        if not atom and not (isinstance(base, sp.Indexed) and "⁽" not in text and "^" not in text):
            text = self.paren(text)
        return text + self.sup(self._print(e))

    def sum_signs(self, limits: tuple) -> str:
        signs = []
        for var, low, high in reversed(limits):
            low_text, high_text = f"{self._print(var)}={self._print(low)}", self._print(high)
            sub, sup = subscript(low_text), superscript(high_text)
            if self.ascii or sub is None or sup is None:
                signs.append(("sum" if self.ascii else "Σ") + f"_{{{low_text}}}^{{{high_text}}}".replace(" ", ""))
            else:
                signs.append("Σ" + sub + sup)
        return " ".join(signs)

    def _print_Function(self, expr: sp.Function) -> str:
        args = [self._print(a) for a in expr.args]
        if isinstance(expr, Abbreviation):  # "h_θ(x⁽{0}⁾)": the argument goes up into the superscript

            def up(match: re.Match) -> str:
                return self.sup_paren(args[int(match.group(1))]).replace("{", "{{").replace("}", "}}")

            text = re.sub(r"⁽\{(\d+)\}⁾", up, expr.unicode_template).format(*args)
            return ascii_text(text) if self.ascii else text
        name = getattr(expr, "unicode_name", None) or expr.func.__name__
        return (ascii_text(name) if self.ascii else name) + "(" + ", ".join(args) + ")"

    def _print_exp(self, expr: sp.exp) -> str:
        arg = self._print(expr.args[0])
        return f"exp({arg})" if self.ascii else "e^" + (arg if len(arg) == 1 else self.paren(arg))

    def _print_KroneckerDelta(self, expr: sp.KroneckerDelta) -> str:
        a, b = (self._print(v) for v in sorted(expr.args, key=lambda v: v.is_number))
        if self.ascii:
            return f"delta({a},{b})"
        return "δ" + (f"_{a}{b}" if len(a) == len(b) == 1 else self.sub(f"{a},{b}"))  # δ_jk, δ_{j,k+1}: not δ_jk + 1

    def _print_Abs(self, expr: sp.Abs) -> str:
        return f"|{self._print(expr.args[0])}|"

    def derivative_parts(self, expr: sp.Derivative) -> tuple[str, str]:
        """("∂/∂θ_j", "∂f/∂θ_j") for ``expr``; d for a plain symbol (and always in ASCII)."""
        d = "d" if self.ascii or all(isinstance(v, sp.Symbol) for v, _ in expr.variable_count) else "∂"
        order = sum(int(c) for _, c in expr.variable_count)
        top = d + (self.sup(str(order)) if order > 1 else "")
        bottom = " ".join(d + self._print(v) + (self.sup(str(c)) if c > 1 else "") for v, c in expr.variable_count)
        bottom = self.paren(bottom) if " " in bottom else bottom
        body = self._print(expr.expr) if is_compact(expr.expr) else ""
        gap = " " if self.ascii and (top[-1].isdigit() or re.match(r"[a-zA-Z]{2}", body)) else ""
        return f"{top}/{bottom}", f"{top}{gap}{body}/{bottom}"

    def matrix_join(self, texts: list[str]) -> str:
        out = ""
        for text in texts:
            tight = not self.ascii and len(out.rsplit(" ", 1)[-1]) <= 2 and (len(text) <= 2 or text[0] == "(")
            out += ("" if tight or not out else " ") + text
        return out

    def matrix_coefficient(self, coeff: str) -> str:
        return self.paren(coeff) if "/" in coeff or " " in coeff else coeff


PRINTERS["text"] = TextPrinter

WIDTH = 100  # columns when the output is not a terminal: files, pipes and tests stay the same everywhere
LONG_INDENT = 2  # where "= …" stands under a left side too long to align with


def terminal_width() -> int:
    """The terminal's columns when printing to one, else :data:`WIDTH`.

    A pipe or a file gets the fixed width, so saved output does not depend on the window.
    """
    if not sys.stdout.isatty():
        return WIDTH
    return max(40, shutil.get_terminal_size((WIDTH, 24)).columns)


_MARKS = {HOLDS: ("✓", "ok"), FAILS: ("✗", "FAIL"), UNDECIDED: ("?", "?"), None: ("·", "-")}
_OPEN, _CLOSE = "([{", ")]}"


def mark(verdict: Verdict | None, ascii: bool = False) -> str:
    """✓, ✗ or ? for a verdict (ok, FAIL, ? in ASCII); · when the step was not checked.

    >>> mark(Verdict("holds", "symbolic", "")), mark(Verdict("fails", "numeric", ""), ascii=True)
    ('✓', 'FAIL')
    """
    return _MARKS.get(verdict.status if verdict else None, ("?", "?"))[ascii]


def step_label(step: Step, ascii: bool = False) -> str:
    """What stands beside a step's "=": its label, or a visible mark for a gap no rule explains.

    >>> step_label(Step("unexplained", "", sp.S.Zero)), step_label(Step("sigmoid", "", sp.S.Zero), ascii=True)
    ('unexplained (no rule)', "sigma' = sigma(1-sigma)")
    """
    label = "unexplained (no rule)" if step.rule == "unexplained" else step_words(step)[0]
    return ascii_text(label) if ascii else label


def _depths(text: str) -> list[int]:
    depth, out = 0, []
    for c in text:
        depth -= c in _CLOSE
        out.append(depth)
        depth += c in _OPEN
    return out


def _break_cost(text: str, p: int, depth: int) -> int:
    """Outer levels first; a + or − is a level better than a product; keep Σ and ∂/∂θ with their [ … ]."""
    return depth + (text[p + 1 : p + 3] not in ("+ ", "− ", "- ")) + (text[p + 1 : p + 2] == "[")


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """Break ``text`` at spaces, preferring a + or − at the outermost bracket level; drop nothing.

    >>> wrap("a + (b + c) + d", 12)
    ['a + (b + c)', '+ d']
    """
    lines: list[str] = []
    while len(text) > width:
        depths = _depths(text)
        start = len(text) - len(text.lstrip(" ")) + 1  # never break inside the indentation
        spaces = [p for p in range(max(start, int(width * 0.4)), min(width, len(text) - 1) + 1) if text[p] == " "]
        spaces = spaces or [p for p in range(start, len(text) - 1) if text[p] == " "][:1]
        if not spaces:
            break
        cut = min(spaces, key=lambda p: (_break_cost(text, p, depths[p]), depths[p], -p))
        lines.append(text[:cut])
        text = " " * indent + text[cut + 1 :]
    return [*lines, text]


def format_value(value: Any, ascii: bool = False) -> str:
    """A counterexample value in a few significant digits.

    >>> format_value({"theta_0": sp.Float(0.123456789), "m": 3})
    'theta_0 = 0.123457, m = 3'
    """
    if isinstance(value, dict):
        return ", ".join(f"{format_value(k, ascii)} = {format_value(v, ascii)}" for k, v in value.items())
    if hasattr(value, "tolist") and not isinstance(value, sp.Basic):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value(v, ascii) for v in value) + "]"
    if isinstance(value, sp.Basic) and value.is_number and not value.is_Integer:
        try:
            value = float(value)
        except TypeError:
            pass
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, sp.Basic):
        return to_ascii(value) if ascii else to_unicode(value)
    return ascii_text(str(value)) if ascii else str(value)


def _verdict_text(v: Verdict, ascii: bool) -> str:
    dash = "-" if ascii else "—"
    text = f"{v.status} ({v.method})" + (f" {dash} {v.detail}" if v.detail else "")
    return ascii_text(text) if ascii else text


def check_entries(derivation: Derivation, ascii: bool = False) -> list[tuple[Verdict, str]]:
    """Each result check as (verdict, "name: status (method) — detail; counterexample: …")."""
    entries = []
    for check in derivation.checks:
        line = f"{check.name}: {_verdict_text(check.verdict, ascii)}"
        if check.verdict.counterexample:
            line += "; counterexample: " + format_value(check.verdict.counterexample, ascii)
        entries.append((check.verdict, ascii_text(line) if ascii else line))
    return entries


def problem_entries(derivation: Derivation, ascii: bool = False) -> list[tuple[Verdict, str]]:
    """Each checked step that does not hold as (verdict, "step 4 (rule): fails … counterexample: …")."""
    entries = []
    for number, step in enumerate(derivation.steps, 1):
        if step.verdict is None or step.verdict.ok:
            continue
        line = f"step {number} ({step_label(step, ascii)}): {_verdict_text(step.verdict, ascii)}"
        if step.verdict.counterexample:
            line += "; counterexample: " + format_value(step.verdict.counterexample, ascii)
        entries.append((step.verdict, ascii_text(line) if ascii else line))
    return entries


def check_lines(derivation: Derivation, ascii: bool = False) -> list[str]:
    """One line per result check: mark, name, verdict, detail and any counterexample."""
    return [f"{mark(v, ascii)} {line}" for v, line in check_entries(derivation, ascii)]


def problem_lines(derivation: Derivation, ascii: bool = False) -> list[str]:
    """One line per checked step that does not hold, with its counterexample."""
    return [f"{mark(v, ascii)} {line}" for v, line in problem_entries(derivation, ascii)]


def summary(derivation: Derivation) -> str:
    """One line: how many steps, whether all hold and how, the result checks, the seed.

    >>> ok = Verdict("holds", "symbolic", "")
    >>> summary(Derivation("t", sp.S.Zero, sp.S.Zero, (Step("r", "", sp.S.Zero, ok),)))
    '1 step, all verified (1 symbolic); seed 0'
    """
    steps = derivation.steps
    by_status: dict[str | None, list[int]] = {}
    for number, step in enumerate(steps, 1):
        by_status.setdefault(step.verdict.status if step.verdict else None, []).append(number)
    parts = [f"{len(steps)} step{'s' * (len(steps) != 1)}" if steps else "no steps"]
    if steps and len(by_status.get(HOLDS, [])) == len(steps):
        methods: dict[str, int] = {}
        for step in steps:
            methods[step.verdict.method] = methods.get(step.verdict.method, 0) + 1
        parts[0] += ", all verified (" + ", ".join(f"{c} {m}" for m, c in methods.items()) + ")"
    for status, words in ((FAILS, "FAIL"), (UNDECIDED, "undecided"), (None, "not checked")):
        if by_status.get(status):
            numbers = by_status[status]
            parts.append(f"{len(numbers)} {words} (step{'s' * (len(numbers) > 1)} {', '.join(map(str, numbers))})")
    gaps = [n for n, s in enumerate(steps, 1) if s.rule == "unexplained"]
    if gaps:
        parts.append(f"{len(gaps)} unexplained (step{'s' * (len(gaps) > 1)} {', '.join(map(str, gaps))})")
    if derivation.checks:
        failed = [c.name for c in derivation.checks if c.verdict.status is FAILS]
        open_ = [c.name for c in derivation.checks if c.verdict.status is UNDECIDED]  # not a failure: say so
        parts += [f"result check FAILED: {', '.join(failed)}"] if failed else []
        parts += [f"result check undecided: {', '.join(open_)}"] if open_ else []
        if not failed and not open_:
            parts.append(f"result agrees with {', '.join(c.name for c in derivation.checks)}")
    parts.append(f"seed {derivation.seed}")
    return "; ".join(parts)


def _step_text(derivation: Derivation, index: int, lhs: str, alone: bool, show, ascii: bool) -> tuple[str, int]:
    """Step ``index`` as one line before wrapping, and the indent of its continuation lines.

    A chain writes "goal = step" then "= step" under it; equivalent equations write "⇔ equation" from the
    second on; a system writes each equation whole, its first "=" in the column of the widest left side.
    """
    step = derivation.steps[index]
    if derivation.joins == "system":
        sides = [show(side) for side in equation_sides(step.expr)]
        column = max(len(show(equation_sides(s.expr)[0])) for s in derivation.steps)
        line = sides[0].rjust(column) + "".join(f" = {side}" for side in sides[1:])
        return line, column + 5
    relation = "=" if derivation.joins == "=" or index == 0 else ("<=>" if ascii else "⇔")
    if alone:
        prefix = " " * LONG_INDENT + f"{relation} "
    else:
        prefix = f"{lhs} = " if index == 0 else " " * (len(lhs) + 1 - len(relation) + 1) + f"{relation} "
    return prefix + show(step.expr), len(prefix) + 2


def render_text(derivation: Derivation, *, ascii: bool = False, width: int = WIDTH) -> str:
    """The aligned chain with rules and marks, then definitions, problems, checks and a summary.

    >>> from derivation.models import get_model
    >>> from derivation.core.functions import sigmoid
    >>> from derivation.core.notation import z
    >>> f = get_model("sigmoid").form()
    >>> ok = Verdict("holds", "symbolic", "")
    >>> steps = (Step("definition", "", sp.Derivative(f.cost, f.variable), ok, unfolds=sigmoid(z)),)
    >>> print(render_text(Derivation("σ′", f.goal, f.variable, steps, f.definitions), width=60))
    σ′
    <BLANKLINE>
    dσ(z)/dz = d/dz [1/(1 + e^(−z))]  (definition of σ(z)) ✓
    <BLANKLINE>
    where σ(z) = 1/(1 + e^(−z))
    1 step, all verified (1 symbolic); seed 0
    """
    show = to_ascii if ascii else to_unicode
    lhs = show(derivation.goal)
    # A long left side gets a line of its own and every "= …" a small indent: the steps keep the width.
    alone = len(lhs) + 3 > width // 3 and derivation.joins != "system"
    rows: list[tuple[list[str], str]] = []
    for index, step in enumerate(derivation.steps):
        line, indent = _step_text(derivation, index, lhs, alone, show, ascii)
        lines = wrap(line, width, indent=indent)
        rows.append((lines, f"({step_label(step, ascii)}) {mark(step.verdict, ascii)}"))
    right = min(width, max((len(lines[-1]) + 2 + len(tag) for lines, tag in rows), default=0))
    out = [ascii_text(derivation.title) if ascii else derivation.title, ""] if derivation.title else []
    out += wrap(lhs, width, indent=LONG_INDENT + 2) if (alone or not rows) and derivation.joins != "system" else []
    for lines, tag in rows:
        out.extend(lines[:-1])
        if len(lines[-1]) + 2 + len(tag) <= right:
            out.append(lines[-1] + " " * (right - len(lines[-1]) - len(tag)) + tag)
        else:
            out.extend([lines[-1], tag.rjust(right)])
    out.append("")
    for d in derivation.definitions:
        out.append(f"where {show(d.short)} = {show(d.long)}")
    problems = problem_lines(derivation, ascii)
    if problems:
        out.append("problems:")
        out.extend(line for p in problems for line in wrap("  " + p, width, indent=6))
    if derivation.checks:
        out.append("result checks:")
        out.extend(line for c in check_lines(derivation, ascii) for line in wrap("  " + c, width, indent=6))
    out.extend(wrap(summary(derivation), width, indent=2))
    return "\n".join(out)


__all__ = [
    "TextPrinter",
    "check_entries",
    "check_lines",
    "problem_entries",
    "format_value",
    "mark",
    "problem_lines",
    "render_text",
    "step_label",
    "summary",
    "terminal_width",
    "wrap",
]
