"""Lowering: each node of a matrix expression becomes NumPy code by its kind.

Kinds: scalar, vector (a 1-D array), matrix, diagonal matrix (kept as its
diagonal) and ones.  ``Xᵀ diag(w) X`` becomes ``(X.T * w) @ X`` (never an m × m
matrix), ``1ᵀv`` becomes ``np.sum(v)`` and ``I − e₀e₀ᵀ`` the mask ``1 − e_0``;
vector expressions made of element-wise pieces become one scalar SymPy expression
over named leaves (``z0 = _mv(Xb, theta)``, ``yb``), shared between everything one
function computes.  Every sum over the m examples becomes an accumulator filled
block by block (:mod:`.statements` says where each statement goes).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagMatrix

from .printers import Ordered, pycode
from .stability import Stabilizer
from .statements import BLOCK_NAMES, LOOP, POST, PRE, ROWS, CodegenError, RowOp, Stmt, Val, free_names, paren


@dataclass
class Lowering(Stabilizer):
    """Lowers matrix expressions into statements for one generated function."""

    parameters: dict[sp.Symbol, sp.Symbol]  # model symbol -> symbol named as in Python
    stmts: list[Stmt] = field(default_factory=list)
    sections: dict[str, int] = field(default_factory=dict)  # variable -> section where it is defined
    vectors: set[str] = field(default_factory=set)  # variables holding arrays (not scalars)
    accumulators: list[tuple[str, str]] = field(default_factory=list)  # (name, initial value)
    block_inputs: set[str] = field(default_factory=set)
    memo: dict[sp.Basic, Val] = field(default_factory=dict)
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

    def add(self, stmt: Stmt) -> str:
        self.stmts.append(stmt)
        if stmt.target and not stmt.accumulate:
            self.sections[stmt.target] = stmt.section
        return stmt.target

    def assign(
        self, prefix: str, code: str, deps: frozenset[str], vector: bool, row: tuple[str, str] | None = None
    ) -> str:
        """``name = code`` once per distinct code (common subexpressions of matrix operations); ``row``: the
        code's work for one example (Val.row), kept when it is a row's dot product."""
        if code in self.code_names:
            return self.code_names[code]
        section = self.section_of(deps)
        if prefix == "v" and section == LOOP:
            prefix = "z"
        target = self.fresh(prefix)
        one = RowOp("dot", target, row[1]) if row and row[0] == "dot" else None
        name = self.add(Stmt(section, target, code, deps=deps, row=one))
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
            val = Val("mat", val.section, self.dense_diag(val, expr.shape[0]))
        if val.kind == "ones":
            val = Val("mat", val.section, "np.ones(({}, {}))".format(*tuple(pycode(d) for d in expr.shape)))
        if val.kind == "mat":
            return self.assign("out", val.code, self.code_deps(val.code), True), "mat"
        name = self.elem_name(val.elem, prefix="out", force=True)
        return name, val.kind

    def code_deps(self, code: str) -> frozenset[str]:
        words = re.findall(r"[A-Za-z_]\w*", code)
        return frozenset(w for w in words if w in self.sections or w in BLOCK_NAMES.values())

    def emit(self, expr: sp.Basic) -> Val:
        if expr not in self.memo:
            self.memo[expr] = self._emit(expr)
        return self.memo[expr]

    def _emit(self, expr: sp.Basic) -> Val:
        rows, cols = expr.shape
        if rows == 1 and cols == 1:
            return self.emit_scalar(expr)
        if isinstance(expr, sp.OneMatrix):
            return Val("ones", PRE, elem=sp.S.One)
        if rows == 1 or cols == 1:
            elem = self.elem(expr)
            return Val("vec", self.section_of(free_names(elem)), elem=elem)
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
                self.add(Stmt(PRE, "e_0", f"np.eye(1, {size})[0]", deps=frozenset(), comment="first unit vector"))
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
        if isinstance(expr, sp.HadamardPower):  # u∘u, or 1/u element-wise (φ(Xθ)/Φ(Xθ))
            return self.elem(expr.base) ** self.scalar(expr.exp)
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

    def as_elem(self, val: Val) -> sp.Expr:
        if val.elem is not None:
            return val.elem
        name = val.code
        if not name.isidentifier():
            name = self.assign("v", name, self.code_deps(name), val.kind != "scalar", val.row)
        return self.symbol(name)

    def elem_name(self, expr: sp.Expr, prefix: str = "r", force: bool = False) -> str:
        """Materialise an element-wise expression as a variable (stabilised, shared)."""
        if isinstance(expr, sp.Symbol) and not force:
            return expr.name
        if expr in self.elem_names and not force:
            return self.elem_names[expr]
        stable = self.stabilize(expr)
        deps = free_names(stable)
        section = self.section_of(deps)
        name = self.add(Stmt(section, self.fresh(prefix), expr=stable, deps=deps, hoist=True))
        if deps & self.vectors:
            self.vectors.add(name)
        self.elem_names[expr] = name
        return name

    # -- scalars (1×1) and sums over the examples
    def emit_scalar(self, expr: sp.MatrixExpr) -> Val:
        found = self.rowsum(expr)
        if found is not None:
            coeff, summand = found
            extra, stable = self.stabilize(summand).as_coeff_Mul()
            acc = self.accumulator("0.0", vector=False)
            code, scalar = self.sum_code(stable)
            self.add(Stmt(LOOP, acc, code, deps=self.code_deps(code), accumulate=True, row=RowOp("add", acc, scalar)))
            return Val("scalar", POST, elem=coeff * extra * self.symbol(acc))
        if isinstance(expr, sp.Transpose):
            return self.emit(expr.arg)
        if isinstance(expr, sp.MatMul):
            coeff, mats = expr.as_coeff_matrices()
            val = self.emit(mats[0]) if len(mats) == 1 else self.product(mats)
            return self.scale(val, self.scalar(coeff))
        if isinstance(expr, sp.MatAdd):
            terms = [self.as_elem(self.emit(a)) for a in expr.args]
            total = sp.Add(*terms)
            return Val("scalar", self.section_of(free_names(total)), elem=total)
        raise CodegenError(f"no vectorised form for the scalar {expr}")

    def sum_code(self, summand: sp.Expr) -> tuple[str, str]:
        """Σᵢ summandᵢ term by term, in float64: a product of two vectors is ``_dot``, the rest np.sum.

        Returns the code over a block of rows and the summand for one example (a compiled loop's)."""
        terms = summand.args if isinstance(summand, (Ordered, sp.Add)) else (summand,)
        parts, singles = [], []
        for term in terms:
            c, rest = term.as_coeff_Mul()
            factors = [rest.base, rest.base] if rest.is_Pow and rest.exp == 2 else list(sp.Mul.make_args(rest))
            vectors = [f for f in factors if free_names(f) & self.vectors]
            if len(factors) == 2 and len(vectors) == 2:
                a, b = self.elem_name(factors[0]), self.elem_name(factors[1])
                part, single = f"_dot({a}, {b})", f"{a} * {b}"
            else:
                part = f"np.sum({self.elem_name(rest)}, dtype=np.float64)"
                single = self.elem_name(rest)
            parts.append(part if c == 1 else f"{paren(pycode(c))} * ({part})")
            singles.append(single if c == 1 else f"{paren(pycode(c))} * ({single})")
        return " + ".join(parts), " + ".join(singles)

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
    def emit_matrix(self, expr: sp.MatrixExpr) -> Val:
        if isinstance(expr, sp.MatrixSymbol):
            if expr.name != "X":
                raise CodegenError(f"unknown matrix {expr.name!r}: kernels know X")
            self.block_inputs.add("X")
            return Val("mat", LOOP, "Xb")
        if isinstance(expr, sp.Transpose):
            val = self.emit(expr.arg)
            return val if val.kind in ("diag", "ones") else Val("mat", val.section, paren(val.code) + ".T")
        if isinstance(expr, sp.Identity):
            return Val("diag", PRE, elem=sp.S.One)
        if isinstance(expr, DiagMatrix):
            elem = self.elem(expr.args[0])
            return Val("diag", self.section_of(free_names(elem)), elem=elem)
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
            diag = Val("diag", self.section_of(free_names(sp.Add(*diags))), elem=sp.Add(*diags)) if diags else None
            if not dense:
                return diag
            code = " + ".join(dense)
            if diag is not None:
                code += " + " + self.dense_diag(diag, expr.shape[0])
            return Val("mat", self.section_of(self.code_deps(code)), code)
        raise CodegenError(f"no vectorised form for {type(expr).__name__}: {expr}")

    def dense_diag(self, val: Val, size: sp.Expr) -> str:
        if free_names(val.elem) & self.vectors:
            return f"np.diag({self.elem_name(val.elem)})"
        return f"{paren(pycode(val.elem))} * np.eye({pycode(size)})"

    def scale(self, val: Val, coeff: sp.Expr) -> Val:
        if coeff == 1:
            return val
        if val.elem is not None:
            elem = coeff * val.elem
            return Val(val.kind, self.section_of(free_names(elem)), elem=elem)
        return Val(val.kind, val.section, f"{paren(pycode(coeff))} * {paren(val.code)}")

    def product(self, mats: list[sp.MatrixExpr]) -> Val:
        """A chain of matrix factors; a chain that sums over the examples becomes an accumulator."""
        key = sp.MatMul(*mats)
        if key not in self.memo:
            self.memo[key] = self._product(mats)
        return self.memo[key]

    def _product(self, mats: list[sp.MatrixExpr]) -> Val:
        inner = [a.shape[1] for a in mats[:-1]]
        shape = (mats[0].shape[0], mats[-1].shape[1])
        if ROWS not in inner:
            return self.fold(mats)
        if ROWS in shape:
            raise CodegenError(f"product {sp.MatMul(*mats)} sums over the examples but keeps an m dimension")
        touching = [k for k, a in enumerate(mats) if ROWS in a.shape]
        first, last = touching[0], touching[-1]
        if touching != list(range(first, last + 1)) or any(
            not isinstance(a, (DiagMatrix, sp.Identity)) for a in mats[first + 1 : last]
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
        one = RowOp(val.row[0], acc, val.row[1]) if val.elem is None and val.row and val.row[0] != "dot" else None
        self.add(Stmt(LOOP, acc, code, deps=self.code_deps(code), accumulate=True, row=one))
        kind = "mat" if val.kind == "mat" else val.kind
        return Val(kind, POST, acc, elem=None if kind == "mat" else self.symbol(acc))

    def fold(self, mats: list[sp.MatrixExpr]) -> Val:
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

    def code(self, val: Val) -> str:
        return val.code if val.code else self.elem_name(val.elem)

    def mul(self, left, right):
        (a, sa), (b, sb) = left, right
        shape = (sa[0], sb[1])
        kinds = (a.kind, b.kind)

        def make(kind: str, code: str, row: tuple[str, str] | None = None) -> tuple[Val, tuple]:
            if row and not all(name.isidentifier() for name in row[1].split(" * ")):
                row = None  # one example's work is written over named numbers only
            return Val(kind, self.section_of(self.code_deps(code)), code, row=row), shape

        def make_elem(kind: str, elem: sp.Expr) -> tuple[Val, tuple]:
            return Val(kind, self.section_of(free_names(elem)), elem=elem), shape

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
                if sa[1] == ROWS:  # a sum over the examples: accumulated in float64 (see _dot)
                    if "ones" in kinds:
                        summed = self.code(b if a.kind == "ones" else a)
                        return make("scalar", f"np.sum({summed}, dtype=np.float64)", ("add", summed))
                    left, right = self.code(a), self.code(b)
                    return make("scalar", f"_dot({left}, {right})", ("add", f"{left} * {right}"))
                if "ones" in kinds:
                    return make("scalar", "np.sum({})".format(self.code(b if a.kind == "ones" else a)))
                return make("scalar", f"{self.code(a)} @ {self.code(b)}")
            if a.elem == b.elem and a.elem == sp.Symbol("e_0"):  # e₀e₀ᵀ is diagonal
                return make_elem("diag", a.elem)
            return make("mat", f"np.outer({self.dense_vec(a, sa)}, {self.dense_vec(b, sb)})")
        if a.kind == "mat" and b.kind == "mat":
            return make("mat", f"{paren(a.code)} @ {paren(b.code)}")
        if a.kind == "mat" and b.kind in vec:
            if b.kind == "ones":
                return make("vec", f"{paren(a.code)}.sum(axis=1)")
            vector = self.code(b)  # X's rows: each one's dot product; Xᵀ: what each row adds, times its number
            row = {"Xb": ("dot", vector), "Xb.T": ("axpy", vector)}.get(a.code)
            return make("vec", f"_mv({a.code}, {vector})", row)
        if a.kind in vec and b.kind == "mat":
            if a.kind == "ones":
                return make("vec", f"{paren(b.code)}.sum(axis=0)")
            return make("vec", f"_mv({self.code(a)}, {b.code})")
        if a.kind == "diag" and b.kind == "mat":
            if free_names(a.elem) & self.vectors:
                return make("mat", f"{self.elem_name(a.elem)}[:, None] * {paren(b.code)}")
            return make("mat", f"{paren(pycode(a.elem))} * {paren(b.code)}")
        if a.kind == "mat" and b.kind == "diag":
            weights = self.elem_name(b.elem) if free_names(b.elem) & self.vectors else paren(pycode(b.elem))
            return make("mat", f"{paren(a.code)} * {weights}")
        raise CodegenError(f"cannot multiply {a.kind} by {b.kind}")

    def dense_vec(self, val: Val, shape) -> str:
        if val.kind == "ones":
            return f"np.ones({pycode(shape[0] * shape[1])})"
        return self.code(val)


__all__ = ["Lowering"]
