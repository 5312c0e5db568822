"""Named shorthands (h_θ(x⁽ⁱ⁾), J(θ)) and definitions ``short = long`` that fold and unfold them."""

from __future__ import annotations

import sympy as sp

from ..exprtools import transform


class Abbreviation(sp.Function):
    """A named shorthand such as h_θ(x⁽ⁱ⁾) that stands for a longer expression.

    Subclasses are made by :func:`abbreviation`; ``definition`` maps the
    arguments to the expression the name stands for.  SymPy treats the node as
    opaque (its derivative is not taken through the definition), so the
    engine must substitute the definition before differentiating and the
    checker expands every abbreviation before comparing.
    """

    parameters: tuple[sp.Symbol, ...] = ()
    body: sp.Expr = sp.S.Zero
    unicode_template = "{0}"
    latex_template = "{0}"

    def definition(self) -> sp.Expr:
        """The expression this node abbreviates, with its arguments put in."""
        return self.body.xreplace(dict(zip(self.parameters, self.args, strict=False)))

    def _latex(self, printer, exp=None):
        args = [printer._print(a) for a in self.args]
        body = self.latex_template.format(*args)
        return body if exp is None else rf"\left({body}\right)^{{{exp}}}"


def abbreviation(
    name: str,
    parameters: tuple[sp.Symbol, ...],
    body: sp.Expr,
    unicode_template: str,
    latex_template: str,
) -> type[Abbreviation]:
    """Make a function class ``name(*parameters)`` that abbreviates ``body``.

    >>> i = sp.Symbol("i")
    >>> sq = abbreviation("sq", (i,), i**2, "sq({0})", r"\\operatorname{sq}({0})")
    >>> sq(3).definition()
    9
    """
    return type(
        name,
        (Abbreviation,),
        {
            "nargs": len(parameters),
            "parameters": tuple(parameters),
            "body": body,
            "unicode_template": unicode_template,
            "latex_template": latex_template,
        },
    )


def expand_abbreviations(expr: sp.Expr) -> sp.Expr:
    """Replace every abbreviation by its definition, innermost first.

    >>> i = sp.Symbol("i")
    >>> sq = abbreviation("sq", (i,), i**2, "sq({0})", "sq({0})")
    >>> expand_abbreviations(sq(i) + 1)
    i**2 + 1
    """
    while True:
        nodes = expr.atoms(Abbreviation)
        if not nodes:
            return expr
        expr = expr.xreplace({a: a.definition() for a in nodes})


class Definition:
    """``short`` stands for ``long``; both may use ``parameters`` as pattern variables.

    >>> z = sp.Symbol("z")
    >>> d = Definition((z,), sp.Function("s")(z), 1 / (1 + sp.exp(-z)))
    >>> d.fold(1 / (1 + sp.exp(-2 * z)))
    s(2*z)
    """

    def __init__(self, parameters: tuple[sp.Symbol, ...], short: sp.Expr, long: sp.Expr):
        self.parameters = tuple(parameters)
        self.short = short
        self.long = long
        self._wilds = {p: sp.Wild(f"w_{p.name}") for p in self.parameters}

    @classmethod
    def of(cls, abbrev: type[Abbreviation]) -> Definition:
        """The definition carried by an abbreviation class."""
        return cls(abbrev.parameters, abbrev(*abbrev.parameters), abbrev.body)

    def fold(self, expr: sp.Expr, evaluate: bool = True) -> sp.Expr:
        """Replace every instance of the long form by the short name."""
        return self._replace(expr, self.long, self.short, evaluate)

    def unfold(self, expr: sp.Expr, evaluate: bool = True) -> sp.Expr:
        """Replace every instance of the short name by the long form."""
        return self._replace(expr, self.short, self.long, evaluate)

    def _replace(self, expr: sp.Expr, source: sp.Expr, target: sp.Expr, evaluate: bool) -> sp.Expr:
        pattern = source.xreplace(self._wilds)
        wild_target = target.xreplace(self._wilds)

        def visit(node: sp.Basic) -> sp.Basic | None:
            found = node.match(pattern) if isinstance(node, sp.Expr) else None
            if found is None or any(v is None for v in found.values()):
                return None
            return wild_target.xreplace(found)

        return transform(expr, visit, evaluate)

    def __repr__(self) -> str:
        return f"Definition({self.short} = {self.long})"
