"""Printers of the code generator: NumPy source for scalar and element-wise expressions, LaTeX for matrix forms.

The stability pass (:mod:`.stability`) leaves two nodes of its own in the expressions
it hands over, :class:`Ordered` and :class:`FlipSign`; the NumPy printer writes them.
Our ML functions print themselves (their ``_numpycode``, from the function registry); Φ and
log Φ print as ``scipy.special.ndtr`` and ``log_ndtr``, and log y! (log Γ) as ``scipy.special.gammaln``, so a kernel
that uses them imports SciPy (Python's math.gamma takes one number, not an array).
"""

from __future__ import annotations

import functools
import keyword

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.precedence import precedence

from ..core.functions import entry_of


class Ordered(sp.Function):
    """``a + b`` evaluated in this order: the exact part first, then the small part."""

    nargs = 2


class FlipSign(sp.Function):
    """``FlipSign(sa, u) = (1 − 2·pos)·sa``: −sa where u ≥ 0, +sa elsewhere, kept apart from the exact part.

    Printed as ``-_copysign(sa, u)`` (the kernels' np.copysign for sa ≥ 0); ``pos`` reads the same sign bit of u.
    """

    nargs = 2


class _Printer(NumPyPrinter):
    """SymPy's NumPy printer writing ``np.`` and our helper nodes."""

    def _module_format(self, fqn, register=True):
        if fqn.startswith("numpy."):
            return "np." + fqn[len("numpy.") :]
        return super()._module_format(fqn, register)

    def _print_Add(self, expr, order=None):
        """Positive term first: ``z0 - yb`` is one NumPy operation, ``-yb + z0`` two."""
        terms = list(self._as_ordered_terms(expr, order=order))
        first = next((t for t in terms if not t.could_extract_minus_sign()), terms[0])
        terms.remove(first)
        out = self.parenthesize(first, precedence(expr))
        for t in terms:
            if t.could_extract_minus_sign():
                out += " - " + self.parenthesize(-t, precedence(expr) + 1)
            else:
                out += " + " + self.parenthesize(t, precedence(expr))
        return out

    def _print_Pow(self, expr, rational=False):
        if expr.exp == -1:
            return f"1/{self.parenthesize(expr.base, 100)}"
        return super()._print_Pow(expr, rational)

    def _print_Abs(self, expr):
        """|u| as the registry writes it (np.abs), not Python's builtin abs."""
        return entry_of(expr).numpy_code(self._print(expr.args[0]), self._module_format)

    def _print_log(self, expr):
        """log y! and log Γ(u) as scipy.special.gammaln, which takes arrays and does not overflow."""
        arg = expr.args[0]
        if isinstance(arg, sp.factorial):
            return self._print(sp.loggamma(arg.args[0] + 1))
        if isinstance(arg, sp.gamma):
            return self._print(sp.loggamma(arg.args[0]))
        return super()._print_log(expr)

    def _print_loggamma(self, expr):
        return f"scipy.special.gammaln({self._print(expr.args[0])})"

    def _print_gamma(self, expr):
        return f"scipy.special.gamma({self._print(expr.args[0])})"

    def _print_factorial(self, expr):
        return self._print(sp.gamma(expr.args[0] + 1))

    def _print_Min(self, expr):  # two numbers: one ufunc call (SymPy's reduce over a list builds the list)
        if len(expr.args) != 2:
            return super()._print_Min(expr)
        return f"np.minimum({self._print(expr.args[0])}, {self._print(expr.args[1])})"

    def _print_Max(self, expr):
        if len(expr.args) != 2:
            return super()._print_Max(expr)
        return f"np.maximum({self._print(expr.args[0])}, {self._print(expr.args[1])})"

    def _print_Ordered(self, expr):
        exact, small = expr.args
        if isinstance(small, FlipSign):  # a − copysign(sa, u): no negation of its own
            return f"({self._print(exact)} - {self._copysign(small)})"
        if small.could_extract_minus_sign() and isinstance(-small, FlipSign):
            return f"({self._print(exact)} + {self._copysign(-small)})"
        return f"({self._print(exact)} + {self._print(small)})"

    def _copysign(self, flip):
        return f"_copysign({self._print(flip.args[0])}, {self._print(flip.args[1])})"

    def _print_FlipSign(self, expr):
        return f"(-{self._copysign(expr)})"


class _OneExamplePrinter(_Printer):
    """The same source for one example (numbers, not arrays: a compiled loop's lines): np.copysign for σ's sign,
    and an indicator's boolean made a float by np.float64 (a boolean number has no astype)."""

    _AS_FLOAT = ".astype(np.float64)"

    def _copysign(self, flip):
        return f"np.copysign({self._print(flip.args[0])}, {self._print(flip.args[1])})"

    def _print(self, expr, **kwargs):
        text = super()._print(expr, **kwargs)
        if hasattr(expr, "_numpycode") and text.endswith(self._AS_FLOAT):
            return f"np.float64({text[: -len(self._AS_FLOAT)]})"
        return text


_PRINTER = _Printer({"fully_qualified_modules": True})
_ONE_EXAMPLE = _OneExamplePrinter({"fully_qualified_modules": True})


def _signed_terms(expr: sp.Expr) -> list[tuple[int, sp.Expr]] | None:
    """The terms of a sum in the order the printer adds them, each with its sign (None if not a sum).

    ``Ordered(exact, small)`` gives the exact part's terms, then the small part; a FlipSign is
    ``−copysign(sa, u)``, kept as the term ``FlipSign`` with the sign −1.
    """
    if isinstance(expr, Ordered):
        exact, small = expr.args
        head = _signed_terms(exact) or [(1, exact)]
        if isinstance(small, FlipSign):
            return [*head, (-1, small)]
        if small.could_extract_minus_sign():
            return [*head, (1, -small) if isinstance(-small, FlipSign) else (-1, -small)]
        return [*head, (1, small)]
    if not expr.is_Add:
        return None
    terms = list(_PRINTER._as_ordered_terms(expr))
    first = next((t for t in terms if not t.could_extract_minus_sign()), terms[0])
    terms.remove(first)
    return [(1, first)] + [(-1, -t) if t.could_extract_minus_sign() else (1, t) for t in terms]


def in_place(target: str, expr: sp.Expr, dead: set[str], arrays: set[str]) -> list[str] | None:
    """``target = expr`` for a sum of arrays as NumPy calls that write into arrays no later line reads.

    ``dead``: arrays this function made that nothing reads after this line; ``arrays``: every name holding an
    array.  The first addition writes into a dead operand (or a new array), the next ones into ``target``;
    a ``copysign(sa, u)`` writes into ``sa`` when ``sa`` is dead.  The operations and their order are those
    of :func:`pycode` (the same rounding); None where the expression is not such a sum.

    >>> a, b, c = sp.symbols("a b c")
    >>> in_place("r", a - b - c, {"a"}, {"a", "b", "c"})
    ['r = np.subtract(a, b, out=a)', 'np.subtract(r, c, out=r)']
    """
    terms = _signed_terms(expr)
    if terms is None or len(terms) < 2 or terms[0][0] < 0:
        return None

    def names(e: sp.Expr) -> set[str]:
        return {s.name for s in e.free_symbols}

    if not (names(terms[0][1]) | names(terms[1][1])) & arrays:
        return None  # the first operation would give a number, which cannot be written into
    reads = [names(t) for _, t in terms]
    claimed: set[str] = set()

    def free(name: str, k: int) -> bool:
        """``name`` may be overwritten by term k's operation: dead, and no other term reads it."""
        return name in dead and name not in claimed and not any(name in r for j, r in enumerate(reads) if j != k)

    def code(k: int) -> str:
        term = terms[k][1]
        if isinstance(term, FlipSign):
            sa, u = term.args
            out = f", out={sa.name}" if sa.is_Symbol and free(sa.name, k) else ""
            claimed.update({sa.name} if out else set())
            return f"_copysign({_PRINTER._print(sa)}, {_PRINTER._print(u)}{out})"
        return _PRINTER._print(term)

    def ufunc(sign: int) -> str:
        return "np.add" if sign > 0 else "np.subtract"

    later = set().union(*reads[2:])
    out = next((t.name for _, t in terms[:2] if t.is_Symbol and t.name in dead and t.name not in later), None)
    if out is not None and terms[0][1] == terms[1][1]:
        out = None
    claimed.update({out} if out else set())
    first, second = code(0), code(1)
    lines = [f"{target} = {ufunc(terms[1][0])}({first}, {second}{f', out={out}' if out else ''})"]
    lines += [f"{ufunc(sign)}({target}, {code(k)}, out={target})" for k, (sign, _) in enumerate(terms) if k >= 2]
    return lines


def pycode(expr: sp.Expr, one_example: bool = False) -> str:
    """NumPy source for a scalar or element-wise SymPy expression (``one_example``: for numbers only).

    >>> a, b = sp.symbols("a b")
    >>> pycode(sp.exp(a) * b)
    'b*np.exp(a)'
    >>> pycode(FlipSign(a, b), one_example=True)
    '(-np.copysign(a, b))'
    """
    return (_ONE_EXAMPLE if one_example else _PRINTER).doprint(expr)


def in_x_dtype(source: str) -> str:
    """Generated code computing in X's dtype: the registry writes indicators as float64 arrays, which would
    turn a float32 block into float64 (and make NumPy copy the block of X to multiply it).

    >>> in_x_dtype("np.greater(a, 0).astype(np.float64)")
    'np.greater(a, 0).astype(X.dtype)'
    """
    return source.replace(".astype(np.float64)", ".astype(X.dtype)")


def python_name(symbol: sp.Symbol) -> str:
    """The Python identifier a parameter symbol gets in generated code (λ → ``lam``).

    >>> python_name(sp.Symbol("lambda"))
    'lam'
    """
    name = symbol.name
    if name == "lambda":
        return "lam"
    name = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in name)
    if not name.isidentifier() or keyword.iskeyword(name):
        name += "_"
    return name


class _Verbatim(sp.Symbol):
    """A placeholder whose LaTeX is given verbatim."""

    def _latex(self, printer):
        return self.name


class _LatexPrinter(LatexPrinter):
    """LaTeX for matrix forms as people write them: σ(Xθ) element-wise, diag(w)."""

    def _print_ElementwiseApplyFunction(self, expr):
        variable = expr.function.variables[0]
        inner = _Verbatim(self._print(expr.expr))
        return self._print(expr.function.expr.xreplace({variable: inner}))

    def _print_DiagMatrix(self, expr):
        return rf"\operatorname{{diag}}\left({self._print(expr.args[0])}\right)"


@functools.lru_cache(maxsize=256)  # each formula is printed in the module's docstring and again in each function's
def matrix_latex(expr: sp.Basic) -> str:
    r"""LaTeX of a matrix expression with element-wise functions written as f(A).

    >>> from derivation.models import get_model
    >>> matrix_latex(get_model("logistic").matrix_gradient)
    '\\frac{1}{m} X^{T} \\left(\\sigma\\left(X \\theta\\right) - y\\right)'
    """
    return _LatexPrinter().doprint(expr)


__all__ = ["FlipSign", "Ordered", "in_place", "in_x_dtype", "matrix_latex", "pycode", "python_name"]
