r"""The smooth ML functions the project knows: σ, softplus, tanh and log cosh, each written once.

To add one, write its entry here (see :class:`~derivation.core.functions.registry.FunctionEntry`)
and its row in ``tests/test_functions.py``; readers, printers, kernels and checker find it.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from .registry import FunctionEntry, MLFunction, reflect_one_minus, register


@register
class sigmoid(MLFunction):  # noqa: N801 - SymPy functions are lower-case by convention
    r"""The logistic function σ(z) = 1/(1 + e^(−z)).

    >>> z = sp.Symbol("z")
    >>> sigmoid(z).diff(z)
    (1 - sigmoid(z))*sigmoid(z)
    >>> sigmoid(z).rewrite(sp.exp)
    1/(1 + exp(-z))
    >>> sigmoid(0)
    1/2
    """

    unicode_name = "σ"
    ascii_name = "sigma"
    latex_name = r"\sigma"
    latex_commands = (r"\sigma",)
    latex_words = ("sigmoid", "sigm", "logistic")  # sigm: Murphy (MLaPP)
    latex_letters = ("g",)
    python_names = ("sigmoid", "expit")
    # scipy-free and overflow-free: 0.5*(1 + tanh(z/2)).
    numpy_form = "(0.5*(1.0 + np.tanh(0.5*({}))))"
    rule_label = "σ′ = σ(1−σ)"
    rule_latex = r"\sigma' = \sigma\left(1-\sigma\right)"
    slope_bound = 0.25  # σ′(0)

    @classmethod
    def eval(cls, z):
        if z.is_zero:
            return sp.S.Half

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None

    @classmethod
    def elementary(cls, z):
        return 1 / (1 + sp.exp(-z))

    @classmethod
    def derivative(cls, u):
        s = cls(u)
        return s * (1 - s)

    @staticmethod
    def numpy_eval(z):
        import numpy as np

        z = np.asarray(z)
        if np.iscomplexobj(z):  # the complex step: small imaginary parts, the plain formula
            return 1.0 / (1.0 + np.exp(-z))
        e = np.exp(-np.abs(z))  # ≤ 1: never overflows; each branch keeps full relative precision
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    @staticmethod
    def mpmath_eval(z):
        return 1 / (1 + mpmath.exp(-z))

    @classmethod
    def kernel_rewrite(cls, expr):
        """1 − σ(u) → σ(−u) and log σ(u) → −softplus(−u): no cancellation where σ is near 1."""
        expr = expr.replace(lambda e: e.is_Add, lambda e: reflect_one_minus(e, sigmoid))
        return expr.replace(
            lambda e: isinstance(e, sp.log) and isinstance(e.args[0], cls),
            lambda e: -softplus(-e.args[0].args[0]),
        )

    @classmethod
    def kernel_basis(cls, sign, u, pos, sa, la):
        plus = pos + (1 - 2 * pos) * sa  # σ(u) = 1 − σ(−|u|) where u ≥ 0, σ(−|u|) elsewhere
        return plus if sign > 0 else 1 - plus


@register
class softplus(MLFunction):  # noqa: N801 - SymPy functions are lower-case by convention
    r"""softplus(z) = log(1 + e^z), whose derivative is σ(z).

    >>> z = sp.Symbol("z")
    >>> softplus(z).diff(z), softplus(z).rewrite(sp.log)
    (sigmoid(z), log(exp(z) + 1))
    """

    unicode_name = "softplus"
    ascii_name = "softplus"
    latex_name = r"\operatorname{softplus}"
    latex_words = ("softplus",)
    python_names = ("softplus",)
    numpy_form = "np.logaddexp(0, {})"
    rule_label = "softplus′ = σ"
    rule_latex = r"\operatorname{softplus}' = \sigma"
    slope_bound = 1.0  # σ < 1

    @classmethod
    def eval(cls, z):
        if z.is_zero:
            return sp.log(2)

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None

    @classmethod
    def elementary(cls, z):
        return sp.log(1 + sp.exp(z))

    @classmethod
    def derivative(cls, u):
        return sigmoid(u)

    @staticmethod
    def numpy_eval(z):
        import numpy as np

        z = np.asarray(z)
        if np.iscomplexobj(z):
            return np.log(1.0 + np.exp(z))
        return np.logaddexp(0.0, z)

    @staticmethod
    def mpmath_eval(z):
        return mpmath.log1p(mpmath.exp(z))

    @classmethod
    def kernel_basis(cls, sign, u, pos, sa, la):
        # softplus(u) = max(u, 0) + log(1 + e^(−|u|)); softplus(−u) = softplus(u) − u.
        return pos * u + la if sign > 0 else (pos - 1) * u + la


@register
class tanh_entry(FunctionEntry):  # noqa: N801 - named after the function it describes
    """tanh: SymPy's own function; here only how we read, write and evaluate it."""

    function = sp.tanh
    unicode_name = "tanh"
    ascii_name = "tanh"
    latex_name = r"\tanh"
    latex_commands = (r"\tanh",)
    latex_words = ("tanh",)
    python_names = ("tanh",)
    numpy_names = ("tanh",)
    numpy_form = "np.tanh({})"
    rule_label = "tanh′ = 1 − tanh²"
    rule_latex = r"\tanh' = 1 - \tanh^{2}"
    slope_bound = 1.0  # tanh′(0)

    @classmethod
    def elementary(cls, z):
        return sp.tanh(z).rewrite(sp.exp)

    @classmethod
    def derivative(cls, u):
        return 1 - sp.tanh(u) ** 2

    @staticmethod
    def numpy_eval(z):
        import numpy as np

        return np.tanh(z)

    @staticmethod
    def mpmath_eval(z):
        return mpmath.tanh(z)


@register
class logcosh(MLFunction):  # noqa: N801 - SymPy functions are lower-case by convention
    r"""log cosh(z): the smooth absolute loss, ≈ z²/2 near 0 and |z| − log 2 far from it.

    >>> z = sp.Symbol("z")
    >>> logcosh(z).diff(z), logcosh(0)
    (tanh(z), 0)
    """

    unicode_name = "logcosh"
    ascii_name = "logcosh"
    latex_name = r"\operatorname{logcosh}"
    latex_words = ("logcosh",)
    python_names = ("logcosh",)
    # |z| + log(1 + e^(−2|z|)) − log 2: e^(−2|z|) ≤ 1, never overflows (cosh(800) does).
    numpy_form = "(np.abs({0}) + np.log1p(np.exp(-2.0*np.abs({0}))) - 0.6931471805599453)"
    rule_label = "(log cosh)′ = tanh"
    rule_latex = r"\left(\log\cosh\right)' = \tanh"
    slope_bound = 1.0  # |tanh| < 1

    @classmethod
    def eval(cls, z):
        if z.is_zero:
            return sp.S.Zero

    def _eval_is_nonnegative(self):
        return True if self.args[0].is_real else None

    @classmethod
    def elementary(cls, z):
        return sp.log((sp.exp(z) + sp.exp(-z)) / 2)

    @classmethod
    def derivative(cls, u):
        return sp.tanh(u)

    @staticmethod
    def numpy_eval(z):
        import numpy as np

        z = np.asarray(z)
        if np.iscomplexobj(z):
            return np.log(np.cosh(z))
        a = np.abs(z)
        half = np.sinh(0.5 * np.minimum(a, 1.0))
        # Near 0, log1p(2 sinh²(z/2)) keeps the relative precision of z²/2 that the form below loses.
        return np.where(a < 1.0, np.log1p(2.0 * half * half), a + np.log1p(np.exp(-2.0 * a)) - np.log(2.0))

    @staticmethod
    def mpmath_eval(z):
        return mpmath.log(mpmath.cosh(z))


__all__ = ["logcosh", "sigmoid", "softplus", "tanh_entry"]
