r"""The values a LaTeX item reads to before its neighbours decide what it is.

x, y and θ without a subscript stay a :class:`Vec` until their neighbours decide whether they
are scalars (``\sigma(x)``), vectors (``\theta^T x``) or the data vectors of the matrix form;
functions and operators are :class:`Head` objects until the product they stand in gives them
their argument; ``I`` and ``\mathbf{1}`` stay :class:`Shapeless` until a neighbour gives them
their size.
"""

from __future__ import annotations

from dataclasses import dataclass

import lark
import sympy as sp

from ..core.notation import E0, FEATURES, Theta, W, i, k, l, theta, x
from .bounds import same_dim

WEIGHTS = Theta - E0 * E0.T * Theta  # w: θ without its bias θ₀ (the weights of the (w, b) convention)


@dataclass(frozen=True)
class Vec:
    """x, x⁽ⁱ⁾, y or θ read without a subscript: a scalar or a vector, decided by its neighbours.

    Also class k's weights w_kᵀ (name "class", ``row`` the class k) and Wᵀ (name "W"), which pair with x⁽ⁱ⁾.
    """

    name: str
    row: sp.Expr | None = None
    transposed: bool = False


@dataclass(frozen=True)
class LazySum:
    """A sum with a bare y or θ and no matrix in it, like (1 - y): a scalar or a vector, decided later."""

    terms: tuple  # (negative, value, node) triples


@dataclass(frozen=True)
class Scores:
    """Wᵀx⁽ʳᵒʷ⁾, the K class scores of one example: a vector whose entries (Wᵀx⁽ⁱ⁾)_k are read one at a time."""

    row: sp.Expr | None


@dataclass(frozen=True)
class Shapeless:
    """I (the identity) or 𝟏 (a vector of ones), times ``coeff``: a matrix whose size its neighbours decide."""

    kind: str  # "identity" or "ones"
    transposed: bool = False
    coeff: sp.Expr = sp.S.One

    @property
    def spelling(self) -> str:
        return "I" if self.kind == "identity" else r"\mathbf{1}"

    def scaled(self, factor: sp.Expr) -> Shapeless:
        return Shapeless(self.kind, self.transposed, self.coeff * factor)

    def sized(self, rows: sp.Expr, cols: sp.Expr) -> sp.MatrixExpr | None:
        """The matrix of shape rows×cols, or None when this one cannot have that shape."""
        if self.kind == "identity":
            if not same_dim(rows, cols):
                return None
            matrix = sp.Identity(rows)
        elif self.transposed:
            if rows != 1:
                return None
            matrix = sp.OneMatrix(1, cols)
        else:
            if cols != 1:
                return None
            matrix = sp.OneMatrix(rows, 1)
        return matrix if self.coeff == 1 else self.coeff * matrix


@dataclass(frozen=True)
class Head:
    """A function or operator still waiting for its argument; ``spelling`` names it in messages."""

    kind: str  # "function" (data: an Apply), "h", "diag", "cost", "sum" or "deriv"
    data: object = None
    spelling: str = ""


@dataclass(frozen=True)
class Apply:
    """What a function head applies: ``function``, or its derivative of order ``primes`` (σ′)."""

    function: type[sp.Function]
    primes: int = 0
    letter: bool = False  # g(z): a letter is the function only before "(", a symbol elsewhere
    power: sp.Expr | None = None  # \tanh^2(z): the function's value raised to it


def function_head(
    function: type[sp.Function], spelling: str, primes: int = 0, letter: bool = False, power: sp.Expr | None = None
) -> Head:
    return Head("function", Apply(function, primes, letter, power), spelling + "'" * primes)


@dataclass(frozen=True)
class Entry:
    op: str  # "first", "juxt", "mul" or "div"
    node: lark.Tree
    pos: int


def pos_of(node) -> int:
    """The character offset where a token or a tree starts (0 when unknown)."""
    if isinstance(node, lark.Token):
        return node.start_pos or 0
    meta = getattr(node, "meta", None)
    return getattr(meta, "start_pos", 0) if meta is not None and not meta.empty else 0


def is_plain(value) -> bool:
    """A SymPy scalar, not a matrix and not a pending Vec or Head."""
    return isinstance(value, sp.Expr) and not isinstance(value, sp.MatrixExpr)


def is_bare_vec(value) -> bool:
    """x, y or θ with no index and no transpose: a scalar unless a matrix claims it."""
    return isinstance(value, Vec) and not value.transposed and value.row is None


def is_matrixish(value) -> bool:
    """A matrix expression, a transposed vector that can only become one, or I and 𝟏 before their size is known.

    >>> from derivation.core.notation import X
    >>> is_matrixish(Vec("theta", transposed=True)), is_matrixish(Vec("y")), is_matrixish(X)
    (True, False, True)
    """
    return isinstance(value, (sp.MatrixExpr, Shapeless)) or (isinstance(value, Vec) and value.transposed)


def example_vector(value):
    """x_i read as a number x[i] where it can only be example i (after θᵀ or wᵀ, inside h_θ): the vector x⁽ⁱ⁾."""
    if isinstance(value, sp.Indexed) and value.base == x and value.indices == (i,):
        return Vec("x", i)
    return value


def weights_inner(row) -> sp.Sum:
    """wᵀx⁽ʳᵒʷ⁾ in the (w, b) convention: Σ_{k=1}^{n} θ_k x_k⁽ʳᵒʷ⁾, x without its ones column."""
    features = (k, 1, FEATURES[2])
    return sp.Sum(theta[k] * (x[row, k] if row is not None else x[k]), features)


def above_floor(function, a: sp.Expr, b: sp.Expr) -> sp.Expr | None:
    """max(a, b) = c + ReLU(u − c) (``function`` relu), log(eᵃ + eᵇ) = c + softplus(u − c) (softplus), where c is
    the constant one of a and b and u the other; None when both vary.

    >>> from derivation.core.functions import relu
    >>> u = sp.Symbol("u", real=True)
    >>> above_floor(relu, u, sp.S.Zero), above_floor(relu, sp.S.One, u), above_floor(relu, u, 2 * u) is None
    (relu(u), relu(u - 1) + 1, True)
    """
    if not a.free_symbols:
        floor, u = a, b
    elif not b.free_symbols:
        floor, u = b, a
    else:
        return None
    return function(u) if floor == 0 else floor + function(u - floor)


def indicator(gap: sp.Basic, strict: bool = True) -> sp.Basic:
    """1[gap > 0] (``strict``) or 1[gap ≥ 0] = 1 − 1[−gap > 0], exactly; entry by entry for a matrix ``gap``.

    >>> u = sp.Symbol("u", real=True)
    >>> indicator(u), indicator(u, strict=False)
    (step(u), 1 - step(-u))
    """
    from ..core.functions import step  # the registry imports this package's neighbours: import when used
    from ..core.notation import elementwise

    def one(t):
        return step(t) if strict else 1 - step(-t)

    return elementwise(one, gap) if isinstance(gap, sp.MatrixExpr) else one(gap)


def class_inner(cls: sp.Expr, row) -> sp.Sum:
    """w_cᵀx⁽ʳᵒʷ⁾ for class ``cls``: Σ_{k=0}^{n} W_kc x_k⁽ʳᵒʷ⁾ (W is (n+1) × K, column c for class c); Σ_l for class k.

    >>> from derivation.core.notation import c
    >>> class_inner(c, i), class_inner(k, i)
    (Sum(x[i, k]*W[k, c], (k, 0, n)), Sum(x[i, l]*W[l, k], (l, 0, n)))
    """
    dummy = k if k not in getattr(cls, "free_symbols", set()) else l
    return sp.Sum(W[dummy, cls] * (x[row, dummy] if row is not None else x[dummy]), (dummy, *FEATURES[1:]))


def transposed_product(a: sp.MatrixExpr, b: sp.MatrixExpr, written: list[sp.MatrixExpr]) -> sp.MatrixExpr | None:
    """a·b read with the one factor whose transpose makes the shapes match (noted in ``written``), or None.

    X(Xθ − y), (m×(n+1))·(m×1), is Xᵀ(Xθ − y): the mathematics a user meant to check, wrong as written.
    """
    if same_dim(a.rows, b.rows):
        written.append(_without_number(a))
        return a.T * b
    if same_dim(a.cols, b.cols):
        written.append(_without_number(b))
        return a * b.T
    return None


def _without_number(factor: sp.MatrixExpr) -> sp.MatrixExpr:
    """``factor`` without the number in front: (1/m)·X is X."""
    if isinstance(factor, sp.MatMul):
        return sp.MatMul(*[f for f in factor.args if isinstance(f, sp.MatrixExpr)]).doit()
    return factor
