r"""The standard normal CDF Φ and density φ, for probit: Φ′ = φ, φ′ = −zφ.

Elementary forms are erf-based: Φ(z) = (1 + erf(z/√2))/2, φ(z) = e^(−z²/2)/√(2π).

Numbers.  NumPy has no erf.  The checker's NumPy path uses the C library's erfc
(Python's ``math.erfc``, element by element, the checker's arrays being small) with
the rounding of z/√2 corrected to first order, so Φ keeps full relative precision in
the left tail (Φ(−36) ≈ 2e−284), and :func:`log_ndtr` switches to the asymptotic
series below z = −30, so log Φ(−40) = −804.608… and log Φ(−1000) are finite and right.
Generated kernels use SciPy's ``scipy.special.ndtr`` and ``log_ndtr`` (Cephes,
vectorised, the same precision): a kernel that uses Φ imports SciPy.  The stability
pass rewrites log Φ(u) → log_ndtr(u), 1 − Φ(u) → Φ(−u) and φ(u)/Φ(u) →
exp(log φ(u) − log Φ(u)), so the probit score has no 0/0 in the tails.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp

from .registry import MLFunction, reflect_one_minus, register

_SQRT_2PI = math.sqrt(2 * math.pi)
_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)
with mpmath.workdps(40):
    _C_HI = float(1 / mpmath.sqrt(2))  # 1/√2 as hi + lo: z·(1/√2) with its rounding error
    _C_LO = float(1 / mpmath.sqrt(2) - mpmath.mpf(_C_HI))
_SPLIT = 134217729.0  # 2^27 + 1, Dekker's splitting constant
_TAIL = -30.0  # below this log Φ is its asymptotic series (Φ(−30) ≈ 5e−198, far from underflow)
_erfc = np.frompyfunc(math.erfc, 1, 1)


def _scaled(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x ≈ z/√2 rounded, and dx = z/√2 − x to first order (Dekker's exact product)."""
    z = np.clip(z, -60.0, 60.0)  # Φ(±60) is 0 or 1 in float64; the clip keeps the split finite
    x = z * _C_HI
    t = _SPLIT * z
    zh = t - (t - z)
    zl = z - zh
    t = _SPLIT * _C_HI
    ch = t - (t - _C_HI)
    cl = _C_HI - ch
    err = ((zh * ch - x) + zh * cl + zl * ch) + zl * cl
    return x, err + z * _C_LO


def ndtr(z) -> np.ndarray:
    """Φ at every entry of a real array, to full relative precision in both tails (0 below −38.5)."""
    z = np.asarray(z, dtype=np.float64)
    x, dx = _scaled(z)
    value = 0.5 * np.asarray(_erfc(-x), dtype=np.float64)
    # erfc(−x − dx) = erfc(−x) + dx·(2/√π)e^(−x²): the rounding of z/√2, put back.
    return value + dx * np.exp(-x * x) / math.sqrt(math.pi)


def log_ndtr(z) -> np.ndarray:
    """log Φ at every entry of a real array: finite and accurate in the left tail, log1p in the right.

    >>> float(log_ndtr(-40.0))
    -804.6084420137538
    """
    z = np.asarray(z, dtype=np.float64)
    inner = np.where(z < _TAIL, _TAIL, z)
    with np.errstate(divide="ignore"):  # the branch not taken may hold log(0)
        right = np.log1p(-ndtr(-inner))  # Φ(z) = 1 − Φ(−z): no cancellation where Φ is near 1
        middle = np.log(ndtr(inner))
    tail = np.where(z < _TAIL, z, _TAIL)
    w = 1.0 / (tail * tail)
    series, term = np.ones_like(w), np.ones_like(w)
    for k in range(1, 13):  # Φ(z) = φ(z)/(−z)·Σ (−1)^k (2k−1)!!/z^(2k): truncation < 1e−20 below −30
        term = -term * (2 * k - 1) * w
        series = series + term
    asymptotic = -0.5 * tail * tail - np.log(-tail) - _LOG_SQRT_2PI + np.log(series)
    return np.where(z < _TAIL, asymptotic, np.where(z > 0, right, middle))


@register
class normal_cdf(MLFunction):  # noqa: N801 - SymPy functions are lower-case by convention
    r"""The standard normal CDF Φ(z) = (1 + erf(z/√2))/2.

    >>> z = sp.Symbol("z")
    >>> normal_cdf(z).diff(z), normal_cdf(0)
    (normal_pdf(z), 1/2)
    """

    unicode_name = "Φ"
    ascii_name = "Phi"
    latex_name = r"\Phi"
    latex_words = ("normcdf", "ndtr")
    latex_paren_commands = (r"\Phi",)
    python_names = ("Phi", "norm_cdf", "ndtr")
    numpy_form = "scipy.special.ndtr({})"
    rule_label = "Φ′ = φ"
    rule_latex = r"\Phi' = \phi"
    slope_bound = 1 / _SQRT_2PI  # φ(0)

    @classmethod
    def eval(cls, z):
        if z.is_zero:
            return sp.S.Half

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None

    @classmethod
    def elementary(cls, z):
        return (1 + sp.erf(z / sp.sqrt(2))) / 2

    @classmethod
    def derivative(cls, u):
        return normal_pdf(u)

    @staticmethod
    def numpy_eval(z):
        z = np.asarray(z)
        if np.iscomplexobj(z):  # the complex step: Φ(a + ib) = Φ(a) + ib·φ(a) for the tiny b it uses
            return ndtr(z.real) + 1j * z.imag * normal_pdf.numpy_eval(z.real)
        return ndtr(z)

    @staticmethod
    def mpmath_eval(z):
        return mpmath.ncdf(z)

    @classmethod
    def kernel_rewrite(cls, expr):
        """log Φ(u) → log_ndtr(u), 1 − Φ(u) → Φ(−u), φ(u)/Φ(u) → e^(log φ(u) − log Φ(u))."""
        expr = expr.replace(lambda e: e.is_Add, lambda e: reflect_one_minus(e, normal_cdf))
        expr = expr.replace(lambda e: e.is_Mul, _mills_ratio)
        return expr.replace(
            lambda e: isinstance(e, sp.log) and isinstance(e.args[0], cls),
            lambda e: log_normal_cdf(e.args[0].args[0]),
        )


@register
class normal_pdf(MLFunction):  # noqa: N801 - SymPy functions are lower-case by convention
    r"""The standard normal density φ(z) = e^(−z²/2)/√(2π).

    >>> z = sp.Symbol("z")
    >>> normal_pdf(z).diff(z)
    -z*normal_pdf(z)
    """

    unicode_name = "φ"
    ascii_name = "phi"
    latex_name = r"\phi"
    latex_words = ("normpdf",)
    latex_paren_commands = (r"\phi", r"\varphi")
    python_names = ("phi", "norm_pdf")
    numpy_form = "(np.exp(-0.5*np.square({}))*0.3989422804014327)"
    rule_label = "φ′ = −zφ"
    rule_latex = r"\phi'(z) = -z\,\phi(z)"
    slope_bound = 1 / (_SQRT_2PI * math.sqrt(math.e))  # |φ′| is largest at z = ±1

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None

    @classmethod
    def elementary(cls, z):
        return sp.exp(-(z**2) / 2) / sp.sqrt(2 * sp.pi)

    @classmethod
    def derivative(cls, u):
        return -u * cls(u)

    @staticmethod
    def numpy_eval(z):
        z = np.asarray(z)
        return np.exp(-0.5 * z * z) / _SQRT_2PI  # underflows to 0 in the tails, never overflows

    @staticmethod
    def mpmath_eval(z):
        return mpmath.npdf(z)


class log_normal_cdf(sp.Function):  # noqa: N801 - SymPy functions are lower-case by convention
    """log Φ(u) as one node, left by the kernels' stability pass: printed ``scipy.special.log_ndtr``."""

    nargs = 1

    def fdiff(self, argindex=1):
        u = self.args[0]
        return normal_pdf(u) / normal_cdf(u)

    def _numpycode(self, printer):
        return f"scipy.special.log_ndtr({printer._print(self.args[0])})"


def _mills_ratio(mul: sp.Mul) -> sp.Expr:
    """``c·φ(±u)/Φ(u)`` → ``c·e^(−u²/2 − log Φ(u) − log√(2π))``: both underflow below u ≈ −38, their ratio does not."""
    factors = list(mul.args)
    for over in factors:
        if not (over.is_Pow and over.exp == -1 and isinstance(over.base, normal_cdf)):
            continue
        u = over.base.args[0]
        for f in factors:
            if isinstance(f, normal_pdf) and f.args[0] in (u, -u):  # φ is even
                factors.remove(f)
                factors.remove(over)
                ratio = sp.exp(-(u**2) / 2 - log_normal_cdf(u) - sp.Float(_LOG_SQRT_2PI, 17))
                return sp.Mul(ratio, *factors)
    return mul


__all__ = ["log_ndtr", "log_normal_cdf", "ndtr", "normal_cdf", "normal_pdf"]
