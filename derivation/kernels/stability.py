"""The stability pass: σ and softplus written so that nothing overflows and σ(z) − y keeps its precision.

The functions of the registry that have a basis form (``kernel_basis``: σ, softplus)
are written in the basis ``pos = [u ≥ 0]`` (u's sign bit, as ``np.copysign`` reads it), ``ea = e^{−|u|}``,
``sa = σ(−|u|) = ea/(1+ea)`` and ``la = log(1+ea)``, with ``pos² = pos``, after their own
``kernel_rewrite`` (1 − σ(u) → σ(−u), log σ(u) → −softplus(−u)).  The exact part
(free of ``sa`` and ``la``) is evaluated first and the small part added after it.
Functions without a basis form keep their stable NumPy form (tanh, log cosh, ReLU, |·|)
after their own rewrite (Φ: log Φ(u) → log_ndtr(u), 1 − Φ(u) → Φ(−u), φ(u)/Φ(u) →
e^(−u²/2 − log Φ(u) − log√(2π)), so the probit likelihood and score are finite at u = −1e3).
"""

from __future__ import annotations

import sympy as sp

from ..core.functions import ML_FUNCTIONS, entry_of
from .printers import FlipSign, Ordered, pycode
from .statements import Stmt, free_names


class Stabilizer:
    """The stability pass, mixed into :class:`~derivation.kernels.lowering.Lowering`.

    It uses the lowering's ``basis`` (u -> its pos, sa and la symbols), ``counters``,
    ``sections`` and ``vectors``, and its ``symbol``, ``add`` and ``section_of``.
    """

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
            ucode, deps = pycode(u), free_names(u)
            ea = f"ea{pos.name[3:]}"

            vector = bool(deps & self.vectors)  # an array: updated in place (each NumPy call over a block counts)

            def define(
                name: str, code: str, needs: frozenset[str], comment: str, after: tuple[str, ...] = (), one: str = ""
            ) -> None:
                if name not in self.sections:
                    section = self.section_of(needs)
                    stmt = Stmt(section, name, code, deps=needs, hoist=True, comment=comment, after=after, scalar=one)
                    self.add(stmt)
                    self.vectors.add(name)

            # for one example (a compiled loop over rows: kernels/compiled.py), the same basis on one number
            # (_exp_neg: e^x for x ≤ 0, _log1p_unit: log(1 + x) for 0 ≤ x ≤ 1, in arithmetic the compiler vectorises;
            # the compiled module defines them)
            one_ea, one_sa, one_la = f"_exp_neg(-np.abs({ucode}))", f"{ea} / (1.0 + {ea})", f"_log1p_unit({ea})"
            one_pos = f"1.0 - np.float64(np.signbit({ucode}))"

            # the step reads u's sign bit, as np.copysign does (so -0.0 counts as negative in both)
            # (~signbit).astype: 3.0 µs on 10k float32 against 4.3 for np.subtract(1.0, signbit, dtype=...)
            step = f"(~np.signbit({ucode})).astype(X.dtype)"
            define(pos.name, step, deps, f"1.0 where {ucode} >= 0, else 0.0", one=one_pos)
            if used & {sa, la} and vector:
                # −|u| in one pass (u's sign bit set: _neg_abs), then exp in place; np.copysign(u, -1.0) has no SIMD
                # loop in float32 (10k float32: 11.6 µs against 1.1 + 1.6 for np.abs and np.negative)
                steps = (f"np.exp({ea}, out={ea})",)
                define(ea, f"_neg_abs({ucode})", deps, f"-|{ucode}|, then exp(-|{ucode}|) <= 1", steps, one_ea)
            elif used & {sa, la}:
                define(
                    ea,
                    f"np.exp(np.copysign({ucode}, -1.0))",
                    deps,
                    f"exp(-|{ucode}|) <= 1, never overflows",
                    one=one_ea,
                )
            if sa in used and vector:
                divide = (f"np.divide({ea}, {sa.name}, out={sa.name})",)
                then = f"then sigmoid(-|{ucode}|) = {ea} / (1 + {ea})"
                define(sa.name, f"{ea} + 1.0", frozenset({ea}), then, divide, one_sa)
            elif sa in used:
                define(sa.name, f"{ea} / (1.0 + {ea})", frozenset({ea}), f"sigmoid(-|{ucode}|)", one=one_sa)
            if la in used:
                define(la.name, f"np.log1p({ea})", frozenset({ea}), f"log(1 + exp(-|{ucode}|))", one=one_la)

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
        for u, (pos, sa, _) in self.basis.items():
            if rest != 0 and sp.expand(rest - sa * (1 - 2 * pos)) == 0:
                rest = FlipSign(sa, u)
            elif rest != 0 and sp.expand(rest + sa * (1 - 2 * pos)) == 0:
                rest = -FlipSign(sa, u)
        rest = _exact_first(rest, small)
        exact = sp.factor(exact)
        if exact == 0 or rest == 0:
            out = exact + rest
        elif exact.could_extract_minus_sign() and rest.could_extract_minus_sign():
            out = -Ordered(-exact, -rest)
        else:
            out = Ordered(exact, rest)
        self.define_basis(out)
        return out


def _exact_first(expr: sp.Expr, small: set[sp.Symbol]) -> sp.Expr:
    """``expr`` with each sum inside it that adds terms free of the small symbols to terms with them written
    Ordered(exact, small): the exact terms cancel among themselves first (4·pos·y − 2·pos − 2y is 0 at pos = y = 1),
    then the small ones are added (σ(z) − y squared at y = 1, z = 40: the loss 9e-36, not 0)."""
    if not expr.free_symbols & small or isinstance(expr, (Ordered, FlipSign)):
        return expr
    if expr.is_Mul:
        return sp.Mul(*(_exact_first(f, small) for f in expr.args))
    if expr.is_Pow:
        return sp.Pow(_exact_first(expr.base, small), expr.exp)
    if not expr.is_Add:
        return expr
    exact = sp.Add(*(t for t in expr.args if not t.free_symbols & small))
    if exact == 0:  # small terms only: each one's exact factors first
        return sp.Add(*(_exact_first(t, small) for t in expr.args))
    return Ordered(sp.factor(exact), _exact_first(sp.factor(expr - exact), small))


__all__ = ["Stabilizer"]
