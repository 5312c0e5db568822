r"""Softmax and log-sum-exp: functions of a whole row of scores, each written once.

In index notation they are sums over the classes, and the engine differentiates them
by the named rules of ``derive/rules_classes.py``; each function here says its
derivative there (:meth:`RowFunction.derivative`).  In matrix form they apply to each
row of an m × K matrix of scores Z = XW: :class:`Softmax` gives the m × K matrix P of
probabilities, :class:`LogSumExp` the m × 1 column of log Σ_c e^{Z_ic}.  Both are
computed stably by shifting each row by its largest entry (softmax and log-sum-exp
do not change under a shift), in NumPy (:meth:`RowFunction.numpy_eval`, generated code
:meth:`RowFunction.numpy_code`) and in mpmath (:meth:`RowFunction.mpmath_eval`).

The scores and probabilities of example i are named as textbooks name them
(:data:`score`, :data:`probability`): w_cᵀx⁽ⁱ⁾ = Σ_k W_kc x_k⁽ⁱ⁾ and
p_c⁽ⁱ⁾ = e^{w_cᵀx⁽ⁱ⁾} / Σ_b e^{w_bᵀx⁽ⁱ⁾}, abbreviations the engine folds and unfolds
like h_θ(x⁽ⁱ⁾) = σ(θᵀx⁽ⁱ⁾).

>>> import numpy as np
>>> Softmax.numpy_eval(np.array([[1000.0, 1000.0], [0.0, np.log(3.0)]])).tolist()
[[0.5, 0.5], [0.25, 0.75]]
>>> LogSumExp.numpy_eval(np.array([[1000.0, 1000.0]])).tolist() == [[1000.0 + np.log(2.0)]]
True
"""

from __future__ import annotations

from typing import Any, ClassVar

import mpmath
import sympy as sp

from ..notation import CLASSES, FEATURES, W, a, b, i, k, x, y
from .abbreviations import abbreviation

_ROW_SHIFT = "{0} - np.max(np.real({0}), axis=-1, keepdims=True)"  # each row less its largest entry


class RowFunction(sp.MatrixExpr):
    """A function of each row of a matrix of scores: what the project knows of it, in one place.

    Like a :class:`~derivation.core.functions.registry.FunctionEntry`, a subclass says its
    names (Unicode, ASCII, LaTeX), its derivative rule in words, its stable NumPy form and
    its numeric evaluation; it is also the SymPy matrix expression itself.
    """

    unicode_name: ClassVar[str]
    ascii_name: ClassVar[str]
    latex_name: ClassVar[str]
    rule_label: ClassVar[str]
    rule_latex: ClassVar[str]
    numpy_form: ClassVar[str]  # NumPy code of the function of a 2-D array "{0}", stable for any real scores

    def __new__(cls, scores: sp.MatrixExpr):
        if not isinstance(scores, sp.MatrixExpr):
            raise TypeError(f"{cls.unicode_name} takes a matrix of scores, not {scores}")
        return sp.Basic.__new__(cls, scores)

    @property
    def scores(self) -> sp.MatrixExpr:
        return self.args[0]

    @classmethod
    def derivative(cls, term: sp.Expr, index: sp.Symbol, limits: tuple) -> sp.Expr:
        """The derivative of the function of the scores u_b = ``term`` (b = ``index`` over ``limits``)."""
        raise NotImplementedError

    @staticmethod
    def numpy_eval(scores: Any) -> Any:
        """The function of each row (last axis) of an array, stable for real input."""
        raise NotImplementedError

    @staticmethod
    def mpmath_eval(row: list) -> list:
        """The function of one row of mpmath numbers, at the working precision."""
        raise NotImplementedError

    @classmethod
    def numpy_code(cls, argument: str) -> str:
        """The stable NumPy form around ``argument`` (the code of a 2-D array).

        >>> Softmax.numpy_code("Z")  # doctest: +ELLIPSIS
        '(lambda e: e / np.sum(e, axis=-1, keepdims=True))(np.exp(Z - np.max(np.real(Z), axis=-1, keepdims=True)))'
        """
        return cls.numpy_form.format(f"({argument})" if not argument.isidentifier() else argument)

    def _derivation_text(self, printer) -> str:
        name = self.ascii_name if getattr(printer, "ascii", False) else self.unicode_name
        return f"{name}({printer._print(self.scores)})"

    def _latex(self, printer, exp=None) -> str:
        body = rf"{self.latex_name}\left({printer._print(self.scores)}\right)"
        return body if exp is None else rf"\left({body}\right)^{{{exp}}}"

    def _numpycode(self, printer) -> str:
        return self.numpy_code(printer._print(self.scores))

    def _sympystr(self, printer) -> str:
        return f"{type(self).__name__}({printer._print(self.scores)})"


def _exp_sum(term: sp.Expr, index: sp.Symbol, limits: tuple) -> sp.Sum:
    return sp.Sum(sp.exp(term), (index, *limits))


class Softmax(RowFunction):
    """P = softmax(Z) row by row: P_ic = e^{Z_ic} / Σ_b e^{Z_ib}, an m × K matrix whose rows sum to 1.

    >>> from derivation.core.notation import X, W_matrix
    >>> Softmax(X * W_matrix).shape
    (m, K)
    """

    unicode_name = "softmax"
    ascii_name = "softmax"
    latex_name = r"\operatorname{softmax}"
    rule_label = "∂softmax_a(u)/∂u_b = softmax_a(u)(δ_ab − softmax_b(u))"
    rule_latex = r"\frac{\partial \operatorname{softmax}_a(u)}{\partial u_b} = p_a\left(\delta_{ab} - p_b\right)"
    numpy_form = "(lambda e: e / np.sum(e, axis=-1, keepdims=True))(np.exp(" + _ROW_SHIFT + "))"

    @property
    def shape(self) -> tuple[sp.Expr, sp.Expr]:
        return self.scores.shape

    def _entry(self, row, col, **kwargs):
        b_ = sp.Dummy("b", integer=True)
        return sp.exp(self.scores[row, col]) / sp.Sum(sp.exp(self.scores[row, b_]), (b_, 0, self.shape[1] - 1))

    @classmethod
    def element(cls, term: sp.Expr, index: sp.Symbol, value: sp.Expr, limits: tuple) -> sp.Expr:
        """softmax_value(u) = e^{u_value} / Σ_index e^{u_index} for the scores u_index = ``term``."""
        return sp.exp(term.xreplace({index: value})) / _exp_sum(term, index, limits)

    @classmethod
    def derivative(cls, term, index, limits):
        """∂ softmax_b(u)/∂u_d: returned as a function of (b, d), the Jacobian p_b(δ_bd − p_d)."""
        d = sp.Dummy("d", integer=True)
        p_b, p_d = cls.element(term, index, index, limits), cls.element(term, index, d, limits)
        return sp.Lambda((index, d), p_b * (sp.KroneckerDelta(index, d) - p_d))

    @staticmethod
    def numpy_eval(scores):
        import numpy as np

        z = np.asarray(scores)
        e = np.exp(z - np.max(np.real(z), axis=-1, keepdims=True))
        return e / np.sum(e, axis=-1, keepdims=True)

    @staticmethod
    def mpmath_eval(row):
        top = max(mpmath.re(v) for v in row)
        e = [mpmath.exp(v - top) for v in row]
        total = mpmath.fsum(e)
        return [v / total for v in e]


class LogSumExp(RowFunction):
    """log Σ_b e^{Z_ib} for each row i: an m × 1 column, log-sum-exp of the scores of each example.

    >>> from derivation.core.notation import X, W_matrix
    >>> LogSumExp(X * W_matrix).shape
    (m, 1)
    """

    unicode_name = "LSE"
    ascii_name = "logsumexp"
    latex_name = r"\operatorname{LSE}"
    rule_label = "∂ log Σ_b e^{u_b} = Σ_b softmax_b(u) ∂u_b"
    rule_latex = r"\partial \log \sum_b e^{u_b} = \sum_b \operatorname{softmax}_b(u)\, \partial u_b"
    numpy_form = (
        "(lambda z: (lambda t: t + np.log(np.sum(np.exp(z - t), axis=-1, keepdims=True)))"
        "(np.max(np.real(z), axis=-1, keepdims=True)))({0})"
    )

    @property
    def shape(self) -> tuple[sp.Expr, sp.Expr]:
        return (self.scores.shape[0], sp.S.One)

    def _entry(self, row, col, **kwargs):
        b_ = sp.Dummy("b", integer=True)
        return sp.log(sp.Sum(sp.exp(self.scores[row, b_]), (b_, 0, self.scores.shape[1] - 1)))

    @classmethod
    def derivative(cls, term, index, limits):
        """∂ log Σ_b e^{u_b} / ∂u_b = softmax_b(u): the weights Σ_b softmax_b(u)·∂u_b takes."""
        return Softmax.element(term, index, index, limits)

    @staticmethod
    def numpy_eval(scores):
        import numpy as np

        z = np.asarray(scores)
        top = np.max(np.real(z), axis=-1, keepdims=True)
        return top + np.log(np.sum(np.exp(z - top), axis=-1, keepdims=True))

    @staticmethod
    def mpmath_eval(row):
        top = max(mpmath.re(v) for v in row)
        return [top + mpmath.log(mpmath.fsum(mpmath.exp(v - top) for v in row))]


ROW_FUNCTIONS: dict[str, type[RowFunction]] = {f.__name__: f for f in (Softmax, LogSumExp)}


def is_log_sum_exp(expr: sp.Basic) -> tuple[sp.Expr, sp.Symbol, tuple] | None:
    """(u_b, b, (lo, hi)) when ``expr`` is log Σ_{b=lo}^{hi} e^{u_b}, else None.

    >>> is_log_sum_exp(sp.log(sp.Sum(sp.exp(score(i, b)), (b, *CLASSES[1:]))))
    (score(i, b), b, (1, K))
    """
    if not (isinstance(expr, sp.log) and isinstance(expr.args[0], sp.Sum)):
        return None
    total = expr.args[0]
    if len(total.limits) != 1 or not isinstance(total.function, sp.exp):
        return None
    index, lo, hi = total.limits[0]
    return total.function.args[0], index, (lo, hi)


# w_aᵀx⁽ⁱ⁾ = Σ_k W_ka x_k⁽ⁱ⁾ and p_a⁽ⁱ⁾ = e^{w_aᵀx⁽ⁱ⁾}/Σ_b e^{w_bᵀx⁽ⁱ⁾}: the names of the scores and probabilities.
score = abbreviation("score", (i, a), sp.Sum(W[k, a] * x[i, k], FEATURES), "w_{1}ᵀx⁽{0}⁾", r"w_{{{1}}}^T x^{{({0})}}")
probability = abbreviation(
    "p", (i, a), Softmax.element(score(i, b), b, a, CLASSES[1:]), "p_{1}⁽{0}⁾", r"p_{{{1}}}^{{({0})}}"
)
# The multiclass hinge's margin of class a against the true class: u_a⁽ⁱ⁾ = w_aᵀx⁽ⁱ⁾ − Σ_b y_b⁽ⁱ⁾ w_bᵀx⁽ⁱ⁾ + 1.
margin = abbreviation(
    "u",
    (i, a),
    score(i, a) - sp.Sum(y[i, b] * score(i, b), (b, *CLASSES[1:])) + 1,
    "u_{1}⁽{0}⁾",
    r"u_{{{1}}}^{{({0})}}",
)


__all__ = ["ROW_FUNCTIONS", "LogSumExp", "RowFunction", "Softmax", "is_log_sum_exp", "margin", "probability", "score"]
