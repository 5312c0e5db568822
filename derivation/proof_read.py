r"""One side of a user's chain as SymPy: :func:`~derivation.parsing.parse_latex` and two readings it lacks.

* ``\delta_{jk}`` is the Kronecker delta δ_jk (the parser reads δ as a plain
  indexed name, and ``j k`` as a product);
* ``\left[ v \right]_j`` (and ``[v]_j``) is row j of the column vector v, as in
  our own export of the vectorised gradient (the parser rejects a subscript on a
  bracket).

Both are done around the parser: the text is rewritten with the same length
where possible, so error positions still point into the user's text.
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from .notation import j
from .parsing import LatexContext, parse_latex

_DELTA = re.compile(r"\\delta_\{\s*([A-Za-z0-9])\s*([A-Za-z0-9])\s*\}")


def read_side(text: str, context: LatexContext | None = None) -> sp.Basic:
    r"""One side of a chain as SymPy: :func:`parse_latex` plus ``\delta_{jk}`` and ``[\,\cdot\,]_j``.

    >>> read_side(r"\sum_{k=0}^{n} \delta_{j k} \theta_k")
    Sum(KroneckerDelta(j, k)*theta[k], (k, 0, n))
    >>> read_side(r"-\left[ \frac{1}{m} X^{\top} \left(X \theta - y\right) \right]_{j}")
    -(1/m*X.T*(X*theta - y))[j, 0]
    """
    rewritten = _DELTA.sub(lambda m: rf"\delta_{{{m.group(1)}-{m.group(2)}}}".ljust(len(m.group(0))), text)
    rewritten, elements = _element_placeholders(rewritten, context)
    value = parse_latex(rewritten, context)
    if rewritten != text:
        value = value.replace(lambda e: isinstance(e, sp.Indexed) and str(e.base) == "delta", _kronecker)
        value = value.xreplace({_OMEGA[k]: MatrixElement(v, j, 0) for k, v in enumerate(elements)})
    return value


_OMEGA = sp.IndexedBase("Omega", real=True)


def _element_placeholders(text: str, context) -> tuple[str, list[sp.MatrixExpr]]:
    r"""Each ``\left[ v \right]_j`` (v a column vector) replaced by ``\Omega_{k}``; the vectors read."""
    if r"\Omega" in text:
        return text, []
    chars, elements = list(text), []
    for start, body_start, body_end, end in _bracket_elements(text):
        token = rf"\Omega_{{{len(elements)}}}"
        if end - start < len(token):
            continue
        body = " " * body_start + text[body_start:body_end] + " " * (len(text) - body_end)
        value = parse_latex(body, context)
        if not (isinstance(value, sp.MatrixExpr) and value.shape[1] == 1):
            continue
        chars[start:end] = list(token.ljust(end - start))
        elements.append(value)
    return "".join(chars), elements


def _bracket_elements(text: str):
    r"""(start, body start, body end, end) of each outermost ``\left[ … \right]_j`` or ``[ … ]_j``."""
    pos = 0
    while True:
        opener = re.compile(r"\\left\s*\[|\[").search(text, pos)
        if opener is None:
            return
        sized = opener.group(0) != "["
        depth, scan = 1, opener.end()
        while scan < len(text) and depth:
            if sized and text.startswith("\\left", scan) and not text[scan + 5 : scan + 6].isalpha():
                depth += 1
            elif sized and text.startswith("\\right", scan) and not text[scan + 6 : scan + 7].isalpha():
                depth -= 1
            elif not sized and text[scan] in "[]":
                depth += 1 if text[scan] == "[" else -1
            scan += 1
        close = text.find("]", scan - 1) if sized else scan - 1
        index = re.compile(r"\s*_\s*(\{\s*j\s*\}|j(?![A-Za-z]))").match(text, close + 1) if close >= 0 else None
        if depth == 0 and index is not None:
            body_end = scan - 1 if sized else close
            yield opener.start(), opener.end(), body_end, index.end()
            pos = index.end()
        else:
            pos = opener.end()


def _kronecker(e: sp.Indexed) -> sp.Expr:
    (index,) = e.indices
    plus = [t for t in sp.Add.make_args(index) if not t.could_extract_minus_sign()]
    minus = [-t for t in sp.Add.make_args(index) if t.could_extract_minus_sign()]
    if len(plus) == 1 and len(minus) <= 1:
        return sp.KroneckerDelta(plus[0], minus[0] if minus else sp.S.Zero)
    return e


__all__ = ["read_side"]
