r"""Functions with a kink: ReLU and |·|, and the unit step their derivatives are written with.

Their derivatives are subgradients: the rule labels say "for z ≠ 0", where the
function has no derivative.  At 0 we take the value frameworks take (ReLU′(0) = 0,
|·|′(0) = sign(0) = 0), a valid subgradient.  The step 1[z > 0] is a function of its
own (``step``) rather than SymPy's Heaviside, whose value at 0 (½) is not ours and
whose two-argument form the checker does not evaluate.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from .registry import FunctionEntry, MLFunction, register


@register
class step(MLFunction):  # noqa: N801 - SymPy functions are lower-case by convention
    r"""The unit step 1[z > 0]: 1 where z > 0, 0 elsewhere (0 at z = 0); written 1[z > 0] as textbooks do.

    >>> z = sp.Symbol("z")
    >>> step(z).rewrite(sp.exp), step(-2), step(0), step(3)
    (sign(z)**2/2 + sign(z)/2, 0, 0, 1)
    >>> step(z).diff(z)
    0
    """

    unicode_name = "1[·]"
    ascii_name = "step"
    latex_name = r"\mathbf{1}"  # \mathbf{1}\left[z > 0\right]
    latex_words = ("step",)  # \operatorname{step}(z); the indicator \mathbf{1}[z > 0] awaits the reader
    python_names = ("step",)
    numpy_form = "np.greater({}, 0).astype(np.float64)"
    rule_label = "1[z > 0]′ = 0 (for z ≠ 0)"
    rule_latex = r"\mathbf{1}[z > 0]' = 0 \quad (z \neq 0)"
    slope_bound = 0.0
    jump = True

    @classmethod
    def eval(cls, z):
        if z.is_extended_positive:
            return sp.S.One
        if z.is_extended_nonpositive:
            return sp.S.Zero

    def _eval_is_nonnegative(self):
        return True if self.args[0].is_real else None

    @classmethod
    def elementary(cls, z):
        # (sign z + sign² z)/2: 1, 0 and 0 at z > 0, z < 0 and z = 0, with no Piecewise, which SymPy pulls
        # out of an enclosing Σ_a 1[u_a > 0] leaving a free, so the checker evaluated such sums wrongly
        return (sp.sign(z) + sp.sign(z) ** 2) / 2

    def _derivation_text(self, printer) -> str:
        return f"1[{printer._print(self.args[0])} > 0]"

    def _latex(self, printer, exp=None):
        body = rf"\mathbf{{1}}\left[{printer._print(self.args[0])} > 0\right]"
        return body if exp is None else rf"{body}^{{{exp}}}"

    @classmethod
    def derivative(cls, u):
        return sp.S.Zero  # away from the jump

    @staticmethod
    def numpy_eval(z):
        import numpy as np

        z = np.asarray(z)
        return np.where(np.real(z) > 0, 1.0, 0.0) + (0j if np.iscomplexobj(z) else 0.0)

    @staticmethod
    def mpmath_eval(z):
        return mpmath.mpf(1) if z > 0 else mpmath.mpf(0)


@register
class relu(MLFunction):  # noqa: N801 - SymPy functions are lower-case by convention
    r"""The rectifier ReLU(z) = max(0, z), printed ReLU(z).

    >>> z = sp.Symbol("z")
    >>> relu(z).diff(z), relu(z).rewrite(sp.exp), relu(-3), relu(2)
    (step(z), z/2 + Abs(z)/2, 0, 2)
    """

    unicode_name = "ReLU"
    ascii_name = "ReLU"
    latex_name = r"\operatorname{ReLU}"
    latex_words = ("ReLU", "relu")
    python_names = ("relu",)
    numpy_form = "np.maximum({}, 0.0)"
    rule_label = "ReLU′ = 1[z > 0] (for z ≠ 0)"
    rule_latex = r"\operatorname{ReLU}'(z) = \mathbf{1}[z > 0] \quad (z \neq 0)"
    slope_bound = 1.0

    @classmethod
    def eval(cls, z):
        if z.is_Number:
            return sp.Max(0, z)

    def _eval_is_nonnegative(self):
        return True if self.args[0].is_real else None

    @classmethod
    def elementary(cls, z):
        # max(0, z) as (z + |z|)/2: SymPy differentiates it to (1 + sign z)/2, which the checker
        # evaluates; SymPy's derivative of Max is a Heaviside(z, ½) that the checker cannot.
        return (z + sp.Abs(z)) / 2

    @classmethod
    def derivative(cls, u):
        return step(u)

    @classmethod
    def kernel_rewrite(cls, expr):
        """k·u² − k·ReLU(|u| − d)² → k·min(|u|, d)(2|u| − min(|u|, d)) and k·u − k·ReLU(|u| − d)·sign(u) →
        k·sign(u)·min(|u|, d): Huber's loss and its clipped residual without subtracting two large numbers (at
        u = 1e8 the first form kept 8 digits of the loss, at 1e16 none)."""
        return expr.replace(lambda e: e.is_Add, _clipped_forms)

    @staticmethod
    def numpy_eval(z):
        import numpy as np

        z = np.asarray(z)
        if np.iscomplexobj(z):  # the complex step: the branch of the real part, continued analytically
            return np.where(z.real > 0, z, 0j)
        return np.maximum(z, 0.0)

    @staticmethod
    def mpmath_eval(z):
        return z if z > 0 else mpmath.mpf(0)


def _clipped_forms(add: sp.Add) -> sp.Expr:
    """The sum ``add`` with each pair of terms of :meth:`relu.kernel_rewrite` replaced by its clipped form."""
    for term in add.args:
        coeff, rest = term.as_coeff_Mul()
        squared = rest.is_Pow and rest.exp == 2 and isinstance(rest.base, relu)
        factors = sp.Mul.make_args(rest)
        if squared:
            inner = rest.base.args[0]
        elif len(factors) == 2 and any(isinstance(f, relu) for f in factors):  # ReLU(|u| − d)·sign(u)
            inner = next(f for f in factors if isinstance(f, relu)).args[0]
        else:
            continue
        minus_d, magnitude = inner.as_coeff_Add()
        if not (isinstance(magnitude, sp.Abs) and minus_d.is_negative):
            continue
        d = -minus_d
        others = sp.Add.make_args(add - term)
        for u in (magnitude.args[0], -magnitude.args[0]):  # |u| = |−u|: the pair may write either
            if not squared and sp.sign(u) not in factors:
                continue
            partner = (-coeff * u**2,) if squared else sp.Add.make_args(sp.expand(-coeff * u))
            if not all(p in others for p in partner):
                continue
            clip = sp.Min(sp.Abs(u), d)
            clipped = clip * (2 * sp.Abs(u) - clip) if squared else sp.sign(u) * clip
            done = sp.Add(*(t for t in others if t not in partner)) + (-coeff) * clipped
            return _clipped_forms(done) if done.is_Add else done  # the sum's other pairs, if any
    return add


@register
class abs_entry(FunctionEntry):  # noqa: N801 - named after the function it describes
    """|·|: SymPy's Abs, whose derivative of a real argument is sign(·); printed |u|."""

    function = sp.Abs
    unicode_name = "|·|"
    ascii_name = "abs"
    latex_name = r"\left|\cdot\right|"  # SymPy's LaTeX printer writes \left|u\right|
    latex_words = ("abs",)
    python_names = ("abs", "absolute")
    numpy_names = ("abs", "absolute")
    numpy_form = "np.abs({})"
    rule_label = "|z|′ = sign(z) (for z ≠ 0)"
    rule_latex = r"|z|' = \operatorname{sign}(z) \quad (z \neq 0)"
    slope_bound = 1.0

    @classmethod
    def elementary(cls, z):
        return sp.Abs(z)

    @classmethod
    def derivative(cls, u):
        return sp.sign(u)

    @staticmethod
    def numpy_eval(z):
        import numpy as np

        z = np.asarray(z)
        if np.iscomplexobj(z):  # the complex step: sign(a)·(a + ib), not the modulus
            return np.where(z.real < 0, -z, z)
        return np.abs(z)

    @staticmethod
    def mpmath_eval(z):
        return abs(z)


__all__ = ["abs_entry", "relu", "step"]
