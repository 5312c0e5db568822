r"""One side of a user's chain as SymPy: :func:`~derivation.parsing.parse_latex` in the model's context.

The parser reads everything our own exports print, so nothing is rewritten here:
``\delta_{jk}`` is the Kronecker delta, ``\left[ v \right]_j`` row j of the column
vector v, ``[M]_{j,l}`` an entry of M, and error positions point into the side as given.
"""

from __future__ import annotations

import sympy as sp

from ..parsing import LatexContext, parse_latex


def read_side(text: str, context: LatexContext | None = None) -> sp.Basic:
    r"""One side of a chain as SymPy (the hypothesis h_θ, J and G as ``context`` defines them).

    >>> read_side(r"\sum_{k=0}^{n} \delta_{j k} \theta_k")
    Sum(KroneckerDelta(j, k)*theta[k], (k, 0, n))
    >>> read_side(r"-\left[ \frac{1}{m} X^{\top} \left(X \theta - y\right) \right]_{j}")
    -(1/m*X.T*(X*theta - y))[j, 0]
    """
    return parse_latex(text, context)


__all__ = ["read_side"]
