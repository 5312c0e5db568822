"""NumPy source from a model's matrix form: a small printer of our own.

:func:`generate_function` turns matrix expressions over ``X`` (m × (n+1)),
``theta`` and ``y`` into the source of a vectorised NumPy function.  Three
passes happen on the way:

* **lowering** — each matrix node becomes NumPy code by its kind (scalar,
  vector as a 1-D array, matrix, diagonal matrix kept as its diagonal, ones):
  ``Xᵀ diag(w) X`` becomes ``(X.T * w) @ X`` (never an m × m matrix),
  ``1ᵀv`` becomes ``np.sum(v)`` and ``I − e₀e₀ᵀ`` becomes the mask ``1 − e_0``;
  vector expressions made of element-wise pieces become one scalar SymPy
  expression over named leaves (``z0 = Xb @ theta``, ``yb``), shared between
  everything one function computes;
* **stability** — ``1 − σ(u) → σ(−u)``, ``log σ(u) → −softplus(−u)``, then σ
  and softplus are written in a basis that never overflows: the step
  ``pos = [u ≥ 0]``, ``ea = e^{−|u|}``, ``sa = σ(−|u|) = ea/(1+ea)`` and
  ``la = log(1+ea)``, with ``pos² = pos``.  The exact part (free of ``sa`` and
  ``la``) is evaluated first and the small part added after it, so
  ``σ(z) − y`` and the cross-entropy keep full relative precision;
* **row blocking** — every sum over the m examples (``Xᵀr``, ``yᵀv``,
  ``Xᵀ diag(w) X``) is an accumulator filled block by block in a loop over
  rows, so X is read from memory once per call and each BLAS call is small.

>>> from derivation.core.models import get_model
>>> src = generate_function("grad", [get_model("logistic").matrix_gradient], ("grad",), "The gradient.")
>>> "Xb.T @" in src and "np.exp(-np.abs(z0))" in src
True
"""

from __future__ import annotations

import keyword
import re
from collections import defaultdict
from dataclasses import dataclass, field

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagMatrix
from sympy.printing.latex import LatexPrinter
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.precedence import precedence

from ..core import notation
from ..core.functions import ML_FUNCTIONS, entry_of

ROWS = notation.m  # the examples dimension: sums over it become row-blocked accumulators
PRE, LOOP, POST = 0, 1, 2  # before the row loop (θ only), inside it (rows of X, y), after it (sums)
_BLOCK_NAMES = {"X": "Xb", "y": "yb"}


class CodegenError(NotImplementedError):
    """The expression uses a construct this printer cannot turn into vectorised code."""


class _Ordered(sp.Function):
    """``a + b`` evaluated in this order: the exact part first, then the small part."""

    nargs = 2


class _FlipSign(sp.Function):
    """``(1 − 2·pos)·sa``: −sa where u ≥ 0, +sa elsewhere, kept apart from the exact part."""

    nargs = 2


class _Printer(NumPyPrinter):
    """SymPy's NumPy printer writing ``np.`` and our helper nodes."""

    def _module_format(self, fqn, register=True):
        if fqn.startswith("numpy."):
            return "np." + fqn[len("numpy."):]
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

    def _print__Ordered(self, expr):
        return f"({self._print(expr.args[0])} + {self._print(expr.args[1])})"

    def _print__FlipSign(self, expr):
        return f"{self.parenthesize(expr.args[0], 50)}*(1.0 - 2.0*{self._print(expr.args[1])})"


_PRINTER = _Printer({"fully_qualified_modules": True})


def pycode(expr: sp.Expr) -> str:
    """NumPy source for a scalar or element-wise SymPy expression.

    >>> a, b = sp.symbols("a b")
    >>> pycode(sp.exp(a) * b)
    'b*np.exp(a)'
    """
    return _PRINTER.doprint(expr)


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


def matrix_latex(expr: sp.Basic) -> str:
    r"""LaTeX of a matrix expression with element-wise functions written as f(A).

    >>> from derivation.core.models import get_model
    >>> matrix_latex(get_model("logistic").matrix_gradient)
    '\\frac{1}{m} X^{T} \\left(\\sigma\\left(X \\theta\\right) - y\\right)'
    """
    return _LatexPrinter().doprint(expr)


# --- values and statements -----------------------------------------------------------------

@dataclass(frozen=True)
class _Val:
    """A lowered matrix expression: NumPy ``code`` or an element-wise ``elem`` expression."""

    kind: str  # "scalar" | "vec" | "mat" | "diag" | "ones"
    section: int
    code: str = ""
    elem: sp.Expr | None = None


@dataclass
class _Stmt:
    section: int
    target: str
    code: str = ""  # ``target = code`` (or ``target += code`` when accumulate)
    expr: sp.Expr | None = None  # element-wise: printed together with its neighbours through cse
    deps: frozenset[str] = frozenset()
    hoist: bool = False
    accumulate: bool = False
    comment: str = ""


def _paren(code: str) -> str:
    bare = code[:-2] if code.endswith(".T") else code
    return code if bare.isidentifier() else f"({code})"


def _names(expr: sp.Basic) -> frozenset[str]:
    return frozenset(s.name for s in expr.free_symbols)


@dataclass
class _Lowering:
    """Lowers matrix expressions into statements for one generated function."""

    parameters: dict[sp.Symbol, sp.Symbol]  # model symbol -> symbol named as in Python
    stmts: list[_Stmt] = field(default_factory=list)
    sections: dict[str, int] = field(default_factory=dict)  # variable -> section where it is defined
    vectors: set[str] = field(default_factory=set)  # variables holding arrays (not scalars)
    accumulators: list[tuple[str, str]] = field(default_factory=list)  # (name, initial value)
    block_inputs: set[str] = field(default_factory=set)
    memo: dict[sp.Basic, _Val] = field(default_factory=dict)
    elem_names: dict[sp.Expr, str] = field(default_factory=dict)
    code_names: dict[str, str] = field(default_factory=dict)
    basis: dict[sp.Expr, tuple[sp.Symbol, ...]] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def __post_init__(self):
        self.sections.update({"theta": PRE, "m": PRE, "n": PRE, "Xb": LOOP, "yb": LOOP})
        self.vectors.update({"theta", "Xb", "yb"})
        for symbol in self.parameters.values():
            self.sections[symbol.name] = PRE

    # -- bookkeeping
    def fresh(self, prefix: str) -> str:
        k = self.counters[prefix]
        self.counters[prefix] += 1
        return f"{prefix}{k}"

    def section_of(self, names) -> int:
        found = {self.sections.get(name, PRE) for name in names}
        if {LOOP, POST} <= found:
            raise CodegenError("a per-example quantity depends on a sum over all examples; cannot block rows")
        return max(found, default=PRE)

    def add(self, stmt: _Stmt) -> str:
        self.stmts.append(stmt)
        if stmt.target and not stmt.accumulate:
            self.sections[stmt.target] = stmt.section
        return stmt.target

    def assign(self, prefix: str, code: str, deps: frozenset[str], vector: bool, comment: str = "") -> str:
        """``name = code`` once per distinct code (common subexpressions of matrix operations)."""
        if code in self.code_names:
            return self.code_names[code]
        section = self.section_of(deps)
        if prefix == "v" and section == LOOP:
            prefix = "z"
        name = self.add(_Stmt(section, self.fresh(prefix), code, deps=deps, comment=comment))
        if vector:
            self.vectors.add(name)
        self.code_names[code] = name
        return name

    def symbol(self, name: str) -> sp.Symbol:
        return sp.Symbol(name)

    def scalar(self, expr: sp.Expr | int | float) -> sp.Expr:
        # Our own matrix trees hold SymPy scalars or plain numbers, never text.
        value = sp.Number(expr) if isinstance(expr, (int, float)) else expr
        return value.xreplace(self.parameters)

    # -- entry points
    def result(self, expr: sp.MatrixExpr) -> tuple[str, str]:
        """Lower a whole cost / gradient / Hessian; return (variable, kind)."""
        val = self.emit(expr)
        if val.section == LOOP:
            raise CodegenError(f"{expr} is per example, not a cost, gradient or Hessian")
        if val.kind == "diag":
            val = _Val("mat", val.section, self.dense_diag(val, expr.shape[0]))
        if val.kind == "ones":
            val = _Val("mat", val.section, "np.ones(({}, {}))".format(*tuple(pycode(d) for d in expr.shape)))
        if val.kind == "mat":
            return self.assign("out", val.code, self.code_deps(val.code), True), "mat"
        name = self.elem_name(val.elem, prefix="out", force=True)
        return name, val.kind

    def code_deps(self, code: str) -> frozenset[str]:
        words = re.findall(r"[A-Za-z_]\w*", code)
        return frozenset(w for w in words if w in self.sections or w in _BLOCK_NAMES.values())

    def emit(self, expr: sp.Basic) -> _Val:
        if expr not in self.memo:
            self.memo[expr] = self._emit(expr)
        return self.memo[expr]

    def _emit(self, expr: sp.Basic) -> _Val:
        rows, cols = expr.shape
        if rows == 1 and cols == 1:
            return self.emit_scalar(expr)
        if isinstance(expr, sp.OneMatrix):
            return _Val("ones", PRE, elem=sp.S.One)
        if rows == 1 or cols == 1:
            elem = self.elem(expr)
            return _Val("vec", self.section_of(_names(elem)), elem=elem)
        return self.emit_matrix(expr)

    # -- element-wise vectors
    def leaf(self, symbol: sp.MatrixSymbol) -> sp.Symbol:
        name = symbol.name
        if name == "theta":
            return self.symbol("theta")
        if name == "y":
            self.sections["yb"] = LOOP
            self.vectors.add("yb")
            self.block_inputs.add("y")
            return self.symbol("yb")
        if name == "e_0":  # the first unit vector: 1 − e_0 is the bias mask
            if "e_0" not in self.sections:
                size = pycode(symbol.shape[0])
                self.add(_Stmt(PRE, "e_0", f"np.eye(1, {size})[0]", deps=frozenset(), comment="first unit vector"))
                self.vectors.add("e_0")
            return self.symbol("e_0")
        raise CodegenError(f"unknown vector {name!r}: kernels know theta, y and e_0")

    def elem(self, expr: sp.MatrixExpr) -> sp.Expr:
        """A vector expression as one scalar expression over named leaves."""
        if isinstance(expr, sp.Transpose):
            return self.elem(expr.arg)
        if isinstance(expr, sp.OneMatrix):
            return sp.S.One
        if isinstance(expr, sp.ZeroMatrix):
            return sp.S.Zero
        if isinstance(expr, sp.MatrixSymbol):
            return self.leaf(expr)
        if isinstance(expr, sp.MatAdd):
            return sp.Add(*(self.elem(a) for a in expr.args))
        if isinstance(expr, sp.HadamardProduct):
            return sp.Mul(*(self.elem(a) for a in expr.args))
        if isinstance(expr, ElementwiseApplyFunction):
            return expr.function(self.elem(expr.expr))
        if isinstance(expr, sp.MatMul):
            if expr.shape[0] == 1 and not isinstance(expr.T, sp.Transpose):
                return self.elem(expr.T)  # (θᵀXᵀ) is (Xθ)ᵀ: share one X @ θ
            coeff, mats = expr.as_coeff_matrices()
            if len(mats) == 1:
                return self.scalar(coeff) * self.elem(mats[0])
            return self.scalar(coeff) * self.as_elem(self.product(mats))
        raise CodegenError(f"no vectorised form for {type(expr).__name__}: {expr}")

    def as_elem(self, val: _Val) -> sp.Expr:
        if val.elem is not None:
            return val.elem
        name = val.code
        if not name.isidentifier():
            name = self.assign("v", name, self.code_deps(name), val.kind != "scalar")
        return self.symbol(name)

    def elem_name(self, expr: sp.Expr, prefix: str = "r", force: bool = False) -> str:
        """Materialise an element-wise expression as a variable (stabilised, shared)."""
        if isinstance(expr, sp.Symbol) and not force:
            return expr.name
        if expr in self.elem_names and not force:
            return self.elem_names[expr]
        stable = self.stabilize(expr)
        deps = _names(stable)
        section = self.section_of(deps)
        name = self.add(_Stmt(section, self.fresh(prefix), expr=stable, deps=deps, hoist=True))
        if deps & self.vectors:
            self.vectors.add(name)
        self.elem_names[expr] = name
        return name

    # -- scalars (1×1) and sums over the examples
    def emit_scalar(self, expr: sp.MatrixExpr) -> _Val:
        found = self.rowsum(expr)
        if found is not None:
            coeff, summand = found
            extra, stable = self.stabilize(summand).as_coeff_Mul()
            acc = self.accumulator("0.0", vector=False)
            code = self.sum_code(stable)
            self.add(_Stmt(LOOP, acc, code, deps=self.code_deps(code), accumulate=True))
            return _Val("scalar", POST, elem=coeff * extra * self.symbol(acc))
        if isinstance(expr, sp.Transpose):
            return self.emit(expr.arg)
        if isinstance(expr, sp.MatMul):
            coeff, mats = expr.as_coeff_matrices()
            val = self.emit(mats[0]) if len(mats) == 1 else self.product(mats)
            return self.scale(val, self.scalar(coeff))
        if isinstance(expr, sp.MatAdd):
            terms = [self.as_elem(self.emit(a)) for a in expr.args]
            total = sp.Add(*terms)
            return _Val("scalar", self.section_of(_names(total)), elem=total)
        raise CodegenError(f"no vectorised form for the scalar {expr}")

    def sum_code(self, summand: sp.Expr) -> str:
        """Σᵢ summandᵢ term by term: a product of two vectors is a dot product (no temporary), the rest np.sum."""
        terms = summand.args if isinstance(summand, (_Ordered, sp.Add)) else (summand,)
        parts = []
        for term in terms:
            c, rest = term.as_coeff_Mul()
            factors = [rest.base, rest.base] if rest.is_Pow and rest.exp == 2 else list(sp.Mul.make_args(rest))
            vectors = [f for f in factors if _names(f) & self.vectors]
            if len(factors) == 2 and len(vectors) == 2:
                part = f"{self.elem_name(factors[0])} @ {self.elem_name(factors[1])}"
            else:
                part = f"np.sum({self.elem_name(rest)})"
            parts.append(part if c == 1 else f"{_paren(pycode(c))} * ({part})")
        return " + ".join(parts)

    def rowsum(self, expr: sp.MatrixExpr) -> tuple[sp.Expr, sp.Expr] | None:
        """``expr`` as coeff · Σᵢ summandᵢ over the examples, if it is such a sum."""
        if isinstance(expr, sp.MatMul):
            coeff, mats = expr.as_coeff_matrices()
            coeff = self.scalar(coeff)
            if len(mats) == 1:
                inner = self.rowsum(mats[0])
                return None if inner is None else (coeff * inner[0], inner[1])
            if len(mats) == 2 and mats[0].shape == (1, ROWS) and mats[1].shape == (ROWS, 1):
                return coeff, self.elem(mats[0]) * self.elem(mats[1])
            return None
        if isinstance(expr, sp.MatAdd):
            parts = [self.rowsum(a) for a in expr.args]
            if any(p is None for p in parts):
                return None
            coeffs = {c for c, _ in parts}
            if len(coeffs) == 1:
                return coeffs.pop(), sp.Add(*(s for _, s in parts))
            return sp.S.One, sp.Add(*(c * s for c, s in parts))
        return None

    def accumulator(self, init: str, vector: bool) -> str:
        name = self.fresh("acc")
        self.accumulators.append((name, init))
        self.sections[name] = POST
        if vector:
            self.vectors.add(name)
        return name

    # -- matrices
    def emit_matrix(self, expr: sp.MatrixExpr) -> _Val:
        if isinstance(expr, sp.MatrixSymbol):
            if expr.name != "X":
                raise CodegenError(f"unknown matrix {expr.name!r}: kernels know X")
            self.block_inputs.add("X")
            return _Val("mat", LOOP, "Xb")
        if isinstance(expr, sp.Transpose):
            val = self.emit(expr.arg)
            return val if val.kind in ("diag", "ones") else _Val("mat", val.section, _paren(val.code) + ".T")
        if isinstance(expr, sp.Identity):
            return _Val("diag", PRE, elem=sp.S.One)
        if isinstance(expr, DiagMatrix):
            elem = self.elem(expr.args[0])
            return _Val("diag", self.section_of(_names(elem)), elem=elem)
        if isinstance(expr, sp.MatMul):
            coeff, mats = expr.as_coeff_matrices()
            val = self.emit(mats[0]) if len(mats) == 1 else self.product(mats)
            return self.scale(val, self.scalar(coeff))
        if isinstance(expr, sp.MatAdd):
            vals = [self.emit(a) for a in expr.args]
            diags = [v.elem for v in vals if v.kind == "diag"]
            dense = [v.code for v in vals if v.kind == "mat"]
            if len(diags) + len(dense) != len(vals):
                raise CodegenError(f"cannot add {expr}")
            diag = _Val("diag", self.section_of(_names(sp.Add(*diags))), elem=sp.Add(*diags)) if diags else None
            if not dense:
                return diag
            code = " + ".join(dense)
            if diag is not None:
                code += " + " + self.dense_diag(diag, expr.shape[0])
            return _Val("mat", self.section_of(self.code_deps(code)), code)
        raise CodegenError(f"no vectorised form for {type(expr).__name__}: {expr}")

    def dense_diag(self, val: _Val, size: sp.Expr) -> str:
        if _names(val.elem) & self.vectors:
            return f"np.diag({self.elem_name(val.elem)})"
        return f"{_paren(pycode(val.elem))} * np.eye({pycode(size)})"

    def scale(self, val: _Val, coeff: sp.Expr) -> _Val:
        if coeff == 1:
            return val
        if val.elem is not None:
            elem = coeff * val.elem
            return _Val(val.kind, self.section_of(_names(elem)), elem=elem)
        return _Val(val.kind, val.section, f"{_paren(pycode(coeff))} * {_paren(val.code)}")

    def product(self, mats: list[sp.MatrixExpr]) -> _Val:
        """A chain of matrix factors; a chain that sums over the examples becomes an accumulator."""
        key = sp.MatMul(*mats)
        if key not in self.memo:
            self.memo[key] = self._product(mats)
        return self.memo[key]

    def _product(self, mats: list[sp.MatrixExpr]) -> _Val:
        inner = [a.shape[1] for a in mats[:-1]]
        shape = (mats[0].shape[0], mats[-1].shape[1])
        if ROWS not in inner:
            return self.fold(mats)
        if ROWS in shape:
            raise CodegenError(f"product {sp.MatMul(*mats)} sums over the examples but keeps an m dimension")
        touching = [k for k, a in enumerate(mats) if ROWS in a.shape]
        first, last = touching[0], touching[-1]
        if touching != list(range(first, last + 1)) or any(
            not isinstance(a, (DiagMatrix, sp.Identity)) for a in mats[first + 1:last]
        ):
            raise CodegenError(f"product {sp.MatMul(*mats)} is not one sum over the examples")
        val = self.fold(mats)
        if shape == (1, 1):
            init, vector = "0.0", False
        elif 1 in shape:
            init, vector = f"np.zeros({pycode(shape[0] * shape[1])})", True
        else:
            init, vector = f"np.zeros(({pycode(shape[0])}, {pycode(shape[1])}))", True
        code = val.code if val.elem is None else self.elem_name(val.elem)
        acc = self.accumulator(init, vector)
        self.add(_Stmt(LOOP, acc, code, deps=self.code_deps(code), accumulate=True))
        kind = "mat" if val.kind == "mat" else val.kind
        return _Val(kind, POST, acc, elem=None if kind == "mat" else self.symbol(acc))

    def fold(self, mats: list[sp.MatrixExpr]) -> _Val:
        vals = [(self.emit(a), a.shape) for a in mats]
        if mats[-1].shape[1] == 1 and mats[0].shape[0] != 1:  # A B v: fold from the vector
            acc = vals[-1]
            for val in reversed(vals[:-1]):
                acc = self.mul(val, acc)
        else:
            acc = vals[0]
            for val in vals[1:]:
                acc = self.mul(acc, val)
        return acc[0]

    def code(self, val: _Val) -> str:
        return val.code if val.code else self.elem_name(val.elem)

    def mul(self, left, right):
        (a, sa), (b, sb) = left, right
        shape = (sa[0], sb[1])
        kinds = (a.kind, b.kind)

        def make(kind: str, code: str) -> tuple[_Val, tuple]:
            return _Val(kind, self.section_of(self.code_deps(code)), code), shape

        def make_elem(kind: str, elem: sp.Expr) -> tuple[_Val, tuple]:
            return _Val(kind, self.section_of(_names(elem)), elem=elem), shape

        if sa == (1, 1) or sb == (1, 1):
            scalar, other = (a, b) if sa == (1, 1) else (b, a)
            return self.scale(other, self.as_elem(scalar)), shape
        vec = ("vec", "ones")
        if kinds == ("diag", "diag") or (a.kind == "diag" and b.kind in vec) or (a.kind in vec and b.kind == "diag"):
            return make_elem(b.kind if a.kind == "diag" else a.kind, a.elem * b.elem)
        if a.kind in vec and b.kind in vec:
            if sa[0] == 1:  # row · column: a number
                if a.kind == "ones" and b.kind == "ones":
                    return make_elem("scalar", sa[1])
                if "ones" in kinds:
                    return make("scalar", "np.sum({})".format(self.code(b if a.kind == "ones" else a)))
                return make("scalar", f"{self.code(a)} @ {self.code(b)}")
            if a.elem == b.elem and a.elem == sp.Symbol("e_0"):  # e₀e₀ᵀ is diagonal
                return make_elem("diag", a.elem)
            return make("mat", f"np.outer({self.dense_vec(a, sa)}, {self.dense_vec(b, sb)})")
        if a.kind == "mat" and b.kind == "mat":
            return make("mat", f"{_paren(a.code)} @ {_paren(b.code)}")
        if a.kind == "mat" and b.kind in vec:
            if b.kind == "ones":
                return make("vec", f"{_paren(a.code)}.sum(axis=1)")
            return make("vec", f"{_paren(a.code)} @ {self.code(b)}")
        if a.kind in vec and b.kind == "mat":
            if a.kind == "ones":
                return make("vec", f"{_paren(b.code)}.sum(axis=0)")
            return make("vec", f"{self.code(a)} @ {_paren(b.code)}")
        if a.kind == "diag" and b.kind == "mat":
            if _names(a.elem) & self.vectors:
                return make("mat", f"{self.elem_name(a.elem)}[:, None] * {_paren(b.code)}")
            return make("mat", f"{_paren(pycode(a.elem))} * {_paren(b.code)}")
        if a.kind == "mat" and b.kind == "diag":
            weights = self.elem_name(b.elem) if _names(b.elem) & self.vectors else _paren(pycode(b.elem))
            return make("mat", f"{_paren(a.code)} * {weights}")
        raise CodegenError(f"cannot multiply {a.kind} by {b.kind}")

    def dense_vec(self, val: _Val, shape) -> str:
        if val.kind == "ones":
            return f"np.ones({pycode(shape[0] * shape[1])})"
        return self.code(val)

    # -- the stability pass
    def basis_symbols(self, u: sp.Expr) -> tuple[sp.Symbol, sp.Symbol, sp.Symbol]:
        if u not in self.basis:
            k = self.counters["basis"]
            self.counters["basis"] += 1
            self.basis[u] = (self.symbol(f"pos{k}"), self.symbol(f"sa{k}"), self.symbol(f"la{k}"))
        return self.basis[u]

    def define_basis(self, expr: sp.Expr) -> None:
        """Add the statements for the basis symbols ``expr`` uses (once each)."""
        for u, (pos, sa, la) in self.basis.items():
            used = expr.free_symbols & {pos, sa, la}
            if not used:
                continue
            ucode, deps = pycode(u), _names(u)
            ea = f"ea{pos.name[3:]}"

            def define(name: str, code: str, needs: frozenset[str], comment: str) -> None:
                if name not in self.sections:
                    self.add(_Stmt(self.section_of(needs), name, code, deps=needs, hoist=True, comment=comment))
                    self.vectors.add(name)

            define(pos.name, f"({_paren(ucode)} >= 0).astype(np.float64)", deps, f"1.0 where {ucode} >= 0, else 0.0")
            if used & {sa, la}:
                define(ea, f"np.exp(-np.abs({ucode}))", deps, f"exp(-|{ucode}|) <= 1, never overflows")
            if sa in used:
                define(sa.name, f"{ea} / (1.0 + {ea})", frozenset({ea}), f"sigmoid(-|{ucode}|)")
            if la in used:
                define(la.name, f"np.log1p({ea})", frozenset({ea}), f"log(1 + exp(-|{ucode}|))")

    def stabilize(self, expr: sp.Expr) -> sp.Expr:
        """Rewrite the registered functions with a basis form (σ, softplus) into the overflow-free basis.

        Each function's ``kernel_rewrite`` goes first (1 − σ(u) → σ(−u), log σ(u) → −softplus(−u));
        see the module docstring for the basis.
        """
        for entry in ML_FUNCTIONS.values():
            expr = entry.kernel_rewrite(expr)
        based = tuple(e.function for e in ML_FUNCTIONS.values() if e.kernel_basis is not None)
        if not expr.has(*based):
            return expr
        subs, steps, small = {}, set(), set()
        for f in expr.atoms(*based):
            w = f.args[0]
            u, sign = (-w, -1) if w.could_extract_minus_sign() else (w, 1)
            pos, sa, la = self.basis_symbols(u)
            steps.add(pos)
            small |= {sa, la}
            subs[f] = entry_of(f).kernel_basis(sign, u, pos, sa, la)
        expr = sp.expand(expr.xreplace(subs))
        expr = expr.replace(lambda e: e.is_Pow and e.base in steps and e.exp.is_Integer and e.exp > 1, lambda e: e.base)
        expr = sp.expand(expr)
        exact = sp.Add(*(t for t in sp.Add.make_args(expr) if not t.free_symbols & small))
        rest = sp.factor(expr - exact) if expr != exact else sp.S.Zero
        for pos, sa, _ in self.basis.values():
            if rest != 0 and sp.expand(rest - sa * (1 - 2 * pos)) == 0:
                rest = _FlipSign(sa, pos)
            elif rest != 0 and sp.expand(rest + sa * (1 - 2 * pos)) == 0:
                rest = -_FlipSign(sa, pos)
        exact = sp.factor(exact)
        if exact == 0 or rest == 0:
            out = exact + rest
        elif exact.could_extract_minus_sign() and rest.could_extract_minus_sign():
            out = -_Ordered(-exact, -rest)
        else:
            out = _Ordered(exact, rest)
        self.define_basis(out)
        return out


# --- printing one function -----------------------------------------------------------------

def _schedule(stmts: list[_Stmt], tmp: sp.utilities.iterables.numbered_symbols) -> list[str]:
    """Order a section: hoist element-wise work right after what it needs, share it through cse."""
    entries: list[_Stmt] = []
    buckets: dict[int, list[_Stmt]] = defaultdict(list)
    where: dict[str, int] = {}
    for s in stmts:
        if s.hoist:
            b = max((where[d] for d in s.deps if d in where), default=-1)
            buckets[b].append(s)
            where[s.target] = b
        else:
            entries.append(s)
            if not s.accumulate:
                where[s.target] = len(entries) - 1
    lines: list[str] = []
    local = {s.target for s in stmts if not s.accumulate}
    done: set[str] = set()

    def emit(s: _Stmt) -> None:
        op = "+=" if s.accumulate else "="
        comment = f"  # {s.comment}" if s.comment else ""
        lines.append(f"{s.target} {op} {s.code}{comment}")
        done.add(s.target)

    def flush(bucket: list[_Stmt]) -> None:
        pending = list(bucket)
        while pending:
            ready = [s for s in pending if not (s.deps & local) - done]
            if not ready:
                raise CodegenError("circular element-wise statements")
            definitions = [s for s in ready if s.expr is None]
            if definitions:  # definitions first, so that one cse sees every expression they make ready
                for s in definitions:
                    emit(s)
                pending = [s for s in pending if s not in definitions]
                continue
            group = ready
            if group:
                replacements, reduced = sp.cse([s.expr for s in group], symbols=tmp, order="none")
                temps = {sym for sym, _ in replacements}
                # a result that is just a shared temporary takes the temporary's place (no alias line)
                rename = {}
                for s, value in zip(group, reduced, strict=True):
                    if value in temps and value not in rename:
                        rename[value] = sp.Symbol(s.target)
                for sym, value in replacements:
                    lines.append(f"{rename.get(sym, sym).name} = {pycode(value.xreplace(rename))}")
                for s, value in zip(group, reduced, strict=True):
                    if rename.get(value) != sp.Symbol(s.target):
                        lines.append(f"{s.target} = {pycode(value.xreplace(rename))}")
                    done.add(s.target)
            pending = [s for s in pending if s not in ready]

    flush(buckets[-1])
    for k, s in enumerate(entries):
        emit(s)
        flush(buckets[k])
    return lines


def _needed(stmts: list[_Stmt], wanted: set[str]) -> list[_Stmt]:
    """The statements ``wanted`` names depend on, in order."""
    by_target = {s.target: s for s in stmts if not s.accumulate}
    keep: set[str] = set()
    todo = list(wanted)
    while todo:
        name = todo.pop()
        if name in by_target and name not in keep:
            keep.add(name)
            todo.extend(by_target[name].deps)
    return [s for s in stmts if s.target in keep]


def _docstring(text: str, indent: str) -> list[str]:
    lines = text.strip("\n").split("\n")
    out = [f'{indent}r"""{lines[0]}']
    out += [f"{indent}{line}" if line else "" for line in lines[1:]]
    out.append(f'{indent}"""')
    return out


def generate_function(
    name: str,
    exprs: list[sp.MatrixExpr],
    returns: tuple[str, ...],
    doc: str,
    parameters: tuple[sp.Symbol, ...] = (),
) -> str:
    """Source of ``def name(theta, X, y, *, <parameters>, mapper=None)`` computing ``exprs``.

    ``returns`` names each result's convention: "cost" (a float), "grad" (θ's
    shape) or "hessian" (a (n+1) × (n+1) array).  The module around it must
    provide ``np``, ``_prepare``, ``_collect``, ``_block_rows`` and ``_shaped``.

    >>> from derivation.core.models import get_model
    >>> print(generate_function("cost", [get_model("linear").matrix_cost], ("cost",), "The cost."))
    ... # doctest: +ELLIPSIS
    def _cost_rows(theta, X, y, start, stop):
    ...
            acc0 += r0 @ r0
    ...
    """
    symbols = {p: sp.Symbol(python_name(p)) for p in parameters}
    low = _Lowering(symbols)
    outputs = [low.result(e) for e in exprs]
    params = [symbols[p].name for p in parameters]
    tmp = sp.numbered_symbols("t")
    pre = [s for s in low.stmts if s.section == PRE]
    loop = [s for s in low.stmts if s.section == LOOP]
    post = [s for s in low.stmts if s.section == POST]
    args = ", ".join(["theta", "X", "y", *params])
    lines: list[str] = []
    head = "m, n = X.shape[0], X.shape[1] - 1"
    accs = [a for a, _ in low.accumulators]
    if loop or accs:
        lines.append(f"def _{name}_rows({args}, start, stop):")
        lines.append(f'    """Sums over rows start:stop of {name}, block by block (X is read once)."""')
        lines.append(f"    {head}")
        wanted = set().union(*(s.deps for s in loop))
        lines += [f"    {ln}" for ln in _schedule(_needed(pre, wanted), tmp)]
        lines += [f"    {a} = {init}" for a, init in low.accumulators]
        # X^T diag(w) X is a matrix product per block (compute-bound): bigger blocks; the rest streams X.
        gemm = any(init.startswith("np.zeros((") for _, init in low.accumulators)
        budget = "GEMM_BLOCK_BYTES" if gemm else "BLOCK_BYTES"
        lines.append(f"    step = _block_rows(n + 1, {budget})")
        lines.append("    for lo in range(start, stop, step):")
        lines.append("        hi = min(lo + step, stop)")
        for full in sorted(low.block_inputs):
            lines.append(f"        {_BLOCK_NAMES[full]} = {full}[lo:hi]")
        lines += [f"        {ln}" for ln in _schedule(loop, tmp)]
        lines.append(f"    return {', '.join(accs)}{',' if len(accs) == 1 else ''}")
        lines += ["", ""]
    keyword_args = "".join(f", {p}=1.0" for p in params)
    lines.append(f"def {name}(theta, X, y, *{keyword_args}, mapper=None):")
    lines += _docstring(doc, "    ")
    lines.append("    theta, X, y, column = _prepare(theta, X, y)")
    lines.append(f"    {head}")
    wanted = set().union(*(s.deps for s in post), {out for out, _ in outputs})
    lines += [f"    {ln}" for ln in _schedule(_needed(pre, wanted), tmp)]
    if loop or accs:
        lines.append(
            f"    {', '.join(accs)}{',' if len(accs) == 1 else ''} = _collect(_{name}_rows, ({args}), mapper)"
        )
    lines += [f"    {ln}" for ln in _schedule(post, tmp)]
    results = []
    for (out, _), convention in zip(outputs, returns, strict=True):
        if convention == "cost":
            results.append(f"float({out})")
        elif convention == "grad":
            results.append(f"_shaped({out}, column)")
        else:
            results.append(out)
    lines.append(f"    return {', '.join(results)}")
    return "\n".join(lines)


__all__ = ["CodegenError", "generate_function", "matrix_latex", "pycode", "python_name"]
