r"""The registry of ML functions: one entry a function, everything about it in one place.

An entry is a class decorated with :func:`register`.  It says what the function
is (:meth:`~FunctionEntry.elementary`, its rewrite to exp/log), its derivative
(:meth:`~FunctionEntry.derivative`, with the rule's label), how it is written
(Unicode, ASCII, LaTeX), how the readers accept it (LaTeX commands, words inside
``\operatorname{…}``, Python-syntax names), its stable NumPy form for generated
code and its numeric evaluation for checking (NumPy and mpmath).  Our own
functions are SymPy classes that are their own entry (:class:`MLFunction`); a
function SymPy already has, such as tanh, gets an entry whose ``function`` is
SymPy's class.  Readers, printers, the code generator and the checker look
functions up here and name none of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

import mpmath
import sympy as sp
from mpmath.libmp.libmpf import prec_to_dps
from sympy.core.function import ArgumentIndexError

from ..notation import z as _z
from .abbreviations import Definition


class FunctionEntry:
    """What the project knows about one function of one argument; subclass it and decorate with :func:`register`.

    Numbers in ``numpy_eval`` are arrays (real, or complex for the complex step);
    ``mpmath_eval`` takes and returns mpmath numbers at the working precision.
    """

    function: ClassVar[type[sp.Function]]  # the SymPy class (the entry itself for our own functions)
    unicode_name: ClassVar[str]  # σ
    ascii_name: ClassVar[str]  # sigma
    latex_name: ClassVar[str]  # \sigma, as printed before \left( … \right)
    latex_commands: ClassVar[tuple[str, ...]] = ()  # commands the LaTeX reader takes for it: \sigma
    latex_words: ClassVar[tuple[str, ...]] = ()  # words it takes in \operatorname{…}, \mathrm{…}, \text{…}
    latex_letters: ClassVar[tuple[str, ...]] = ()  # letters read as it before "(": g(z); alone they are symbols
    python_names: ClassVar[tuple[str, ...]] = ()  # names Python syntax may call it by, the usual one first
    numpy_names: ClassVar[tuple[str, ...]] = ()  # np.<name> the Python-syntax reader also accepts
    numpy_form: ClassVar[str]  # stable NumPy code, "{}" for the argument's code: never overflows
    rule_label: ClassVar[str]  # the derivative rule in words: σ′ = σ(1−σ)
    rule_latex: ClassVar[str]
    slope_bound: ClassVar[float | None] = None  # sup |f′| over the reals (away from a jump), for error bounds
    jump: ClassVar[bool] = False  # jumps at 0 (a step): near 0 the checker's fast path defers to the exact one
    # Commands read as the function only before "(" and outside Bishop's notation, where \Phi is the
    # design matrix and \phi(x) the feature map: the LaTeX reader consults them after its Bishop letters.
    latex_paren_commands: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def elementary(cls, z: sp.Expr) -> sp.Expr:
        """f(z) written with exp and log only."""
        raise NotImplementedError

    @classmethod
    def derivative(cls, u: sp.Expr) -> sp.Expr:
        """f′(u) as an expression: what a chain rule multiplies ∂u by."""
        raise NotImplementedError

    @staticmethod
    def numpy_eval(z: Any) -> Any:
        """f at every entry of an array, without overflow for real input."""
        raise NotImplementedError

    @staticmethod
    def mpmath_eval(z: Any) -> Any:
        """f at one mpmath number, to the working precision."""
        raise NotImplementedError

    @classmethod
    def kernel_rewrite(cls, expr: sp.Expr) -> sp.Expr:
        """Identities the kernels apply before the basis, so that precision is kept (1 − σ(u) → σ(−u))."""
        return expr

    # f(sign·u) in the kernels' overflow-free basis ``pos = [u ≥ 0]``, ``sa = σ(−|u|)``,
    # ``la = log(1 + e^(−|u|))``: a classmethod (sign, u, pos, sa, la) -> expression, where the
    # function has one; None where its NumPy form is used as it is (tanh).
    kernel_basis: ClassVar[Callable[[int, sp.Expr, sp.Symbol, sp.Symbol, sp.Symbol], sp.Expr] | None] = None

    @classmethod
    def as_definition(cls) -> Definition:
        """f(z) = its elementary form, for folding and unfolding: σ(z) = 1/(1 + e^(−z))."""
        return Definition((_z,), cls.function(_z), cls.elementary(_z))

    @classmethod
    def numpy_code(cls, argument: str, module_format=lambda name: name.replace("numpy.", "np.")) -> str:
        """The stable NumPy form around ``argument``; ``module_format`` spells ``numpy.<name>``.

        >>> from derivation.core.functions import softplus
        >>> softplus.numpy_code("z")
        'np.logaddexp(0, z)'
        """
        form = re.sub(r"\bnp\.(\w+)", lambda m: module_format("numpy." + m.group(1)), cls.numpy_form)
        return form.format(argument)


ML_FUNCTIONS: dict[str, type[FunctionEntry]] = {}  # name (the SymPy class's) -> entry
_BY_FUNCTION: dict[type, type[FunctionEntry]] = {}


def register(entry: type[FunctionEntry]) -> type[FunctionEntry]:
    """Class decorator: add ``entry`` to :data:`ML_FUNCTIONS` (an :class:`MLFunction` is its own function)."""
    if issubclass(entry, MLFunction):
        entry.function = entry
    missing = [
        a
        for a in ("function", "unicode_name", "ascii_name", "latex_name", "numpy_form", "rule_label", "rule_latex")
        if not hasattr(entry, a)
    ]
    if missing:
        raise TypeError(f"{entry.__name__} does not say its {', '.join(missing)}")
    name = entry.function.__name__
    if name in ML_FUNCTIONS:
        raise ValueError(f"a function {name!r} is registered already")
    ML_FUNCTIONS[name] = entry
    _BY_FUNCTION[entry.function] = entry
    return entry


def entry_of(function: Any) -> type[FunctionEntry] | None:
    """The entry of a registered function, given its SymPy class or an application of it; else None.

    >>> from derivation.core.functions import sigmoid
    >>> entry_of(sigmoid(sp.Symbol("z"))).rule_label, entry_of(sp.exp)
    ('σ′ = σ(1−σ)', None)
    """
    cls = function if isinstance(function, type) else getattr(function, "func", None)
    return _BY_FUNCTION.get(cls)


def functions() -> tuple[type[sp.Function], ...]:
    """The SymPy classes of every registered function, for ``isinstance``, ``atoms`` and ``has``."""
    return tuple(_BY_FUNCTION)


def spellings(kind: str) -> dict[str, type[FunctionEntry]]:
    r"""Each spelling of ``kind`` ("python", "numpy", "latex_command", "latex_word", "latex_letter",
    "latex_paren_command") -> entry.

    >>> sorted(spellings("python"))[:6]
    ['Phi', 'abs', 'absolute', 'expit', 'logcosh', 'ndtr']
    >>> spellings("latex_command")[r"\sigma"].function.__name__
    'sigmoid'
    """
    attribute = {
        "python": "python_names",
        "numpy": "numpy_names",
        "latex_command": "latex_commands",
        "latex_word": "latex_words",
        "latex_letter": "latex_letters",
        "latex_paren_command": "latex_paren_commands",
    }[kind]
    return {spelling: e for e in ML_FUNCTIONS.values() for spelling in getattr(e, attribute)}


class MLFunction(FunctionEntry, sp.Function):
    """A function of ours: SymPy differentiates it by :meth:`derivative`, printers ask it for its names.

    Subclasses are decorated with :func:`register`; SymPy's printers dispatch to
    ``_latex`` and ``_numpycode`` here, our Unicode/ASCII printer to ``_derivation_text``.
    """

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return type(self).derivative(self.args[0])

    def _eval_rewrite_as_exp(self, z, **kwargs):
        return type(self).elementary(z)

    def _eval_rewrite_as_log(self, z, **kwargs):
        return type(self).elementary(z)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_evalf(self, prec):
        """A number at a number, by the entry's mpmath form (SymPy knows none for φ, log cosh, …)."""
        if not self.args[0].is_number:  # symbolic: nothing to evaluate (and as_real_imag would be slow)
            return None
        re, im = self.args[0].evalf(prec_to_dps(prec)).as_real_imag()
        if not (re.is_Number and im.is_Number):
            return None
        with mpmath.workprec(prec):
            z = mpmath.mpf(re._to_mpmath(prec)) if im == 0 else mpmath.mpc(re._to_mpmath(prec), im._to_mpmath(prec))
            try:
                value = self.mpmath_eval(z)
            except TypeError:  # no complex form (Φ, ReLU): left unevaluated
                return None
            return sp.Expr._from_mpmath(value, prec)

    def _latex(self, printer, exp=None):
        body = rf"{self.latex_name}\left({printer._print(self.args[0])}\right)"
        return body if exp is None else rf"{body}^{{{exp}}}"

    def _derivation_text(self, printer) -> str:
        name = self.ascii_name if getattr(printer, "ascii", False) else self.unicode_name
        return name + "(" + ", ".join(printer._print(a) for a in self.args) + ")"

    def _numpycode(self, printer):
        return self.numpy_code(printer._print(self.args[0]), printer._module_format)


def reflect_one_minus(add: sp.Add, function: type[sp.Function]) -> sp.Expr:
    """``1 − f(u) + …`` → ``f(−u) + …`` for f with 1 − f(u) = f(−u) (σ, Φ): no cancellation where f is near 1.

    >>> from derivation.core.functions import sigmoid
    >>> u = sp.Symbol("u")
    >>> reflect_one_minus(1 - sigmoid(u) + u, sigmoid)
    u + sigmoid(-u)
    """
    terms = list(add.args)
    if sp.S.One not in terms:
        return add
    for t in terms:
        if t.is_Mul and t.args[0] == -1 and len(t.args) == 2 and isinstance(t.args[1], function):
            terms.remove(sp.S.One)
            terms.remove(t)
            return sp.Add(function(-t.args[1].args[0]), *terms)
    return add


def rewrite_ml_functions(expr: sp.Expr) -> sp.Expr:
    """Rewrite every function of ours (σ, softplus, …) into exp/log, so no rule of ours is trusted.

    SymPy's own functions (tanh) stay: SymPy's derivative of them is not ours to doubt.

    >>> from derivation.core.functions import sigmoid
    >>> z = sp.Symbol("z")
    >>> rewrite_ml_functions(sigmoid(z) + 1)
    1 + 1/(1 + exp(-z))
    """
    return expr.replace(lambda e: isinstance(e, MLFunction), lambda e: type(e).elementary(*e.args))


__all__ = [
    "ML_FUNCTIONS",
    "FunctionEntry",
    "MLFunction",
    "entry_of",
    "functions",
    "reflect_one_minus",
    "register",
    "rewrite_ml_functions",
    "spellings",
]
