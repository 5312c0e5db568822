"""What a lowering emits and how one generated function orders it.

A matrix expression is lowered (:mod:`.lowering`) into :class:`Stmt` statements, each
in a section: before the loop over row blocks (θ only), inside it (rows of X and y)
or after it (what the sums give).  :func:`schedule` orders one section: element-wise
work is hoisted right after what it needs and printed through one ``cse``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import sympy as sp

from ..core import notation
from .printers import in_place, pycode

ROWS = notation.m  # the examples dimension: sums over it become row-blocked accumulators
PRE, LOOP, POST = 0, 1, 2  # before the row loop (θ only), inside it (rows of X, y), after it (sums)
BLOCK_NAMES = {"X": "Xb", "y": "yb"}


class CodegenError(NotImplementedError):
    """The expression uses a construct this printer cannot turn into vectorised code."""


@dataclass(frozen=True)
class RowOp:
    """What one example does in a compiled loop over rows (kernels/compiled.py), beyond work on numbers.

    ``dot``: target = xᵢ·value (value a vector of θ's size); ``axpy``: target += value·xᵢ (value a number);
    ``add``: target += value (the source of a number).
    """

    kind: str
    target: str
    value: str

    def __str__(self) -> str:  # the names it reads and writes, for the scheduler's bookkeeping
        return f"{self.kind} {self.target} {self.value}"


@dataclass(frozen=True)
class Val:
    """A lowered matrix expression: NumPy ``code`` or an element-wise ``elem`` expression."""

    kind: str  # "scalar" | "vec" | "mat" | "diag" | "ones"
    section: int
    code: str = ""
    elem: sp.Expr | None = None
    # the same work for one example, where it is one of RowOp's kinds: (kind, value); its target comes later
    row: tuple[str, str] | None = None


@dataclass
class Stmt:
    section: int
    target: str
    code: str = ""  # ``target = code`` (or ``target += code`` when accumulate)
    expr: sp.Expr | None = None  # element-wise: printed together with its neighbours through cse
    deps: frozenset[str] = frozenset()
    hoist: bool = False
    accumulate: bool = False
    comment: str = ""
    after: tuple[str, ...] = ()  # lines right after it that update the target in place (``np.exp(ea0, out=ea0)``)
    # the same work for one example, in a compiled loop over rows (kernels/compiled.py): the right side of an
    # element-wise line (``scalar``), or one of RowOp's (``row``); neither: no such form
    scalar: str | None = None
    row: RowOp | None = None


def paren(code: str) -> str:
    """``code`` in parentheses unless it is a name (or a name's transpose)."""
    bare = code[:-2] if code.endswith(".T") else code
    return code if bare.isidentifier() else f"({code})"


def free_names(expr: sp.Basic) -> frozenset[str]:
    """The names of the variables an element-wise expression reads."""
    return frozenset(s.name for s in expr.free_symbols)


def schedule(
    stmts: list[Stmt],
    tmp: sp.utilities.iterables.numbered_symbols,
    arrays: set[str] | None = None,
    scalar: bool = False,
) -> list[str | RowOp]:
    """Order a section: hoist element-wise work right after what it needs, share it through cse.

    With ``arrays`` (the names holding arrays; given for the row loop), sums are written as in-place NumPy calls
    into arrays this section made and no later line reads (see :func:`_in_place`).  With ``scalar``, the lines
    are those of one example: each statement's ``scalar`` line or its RowOp (a statement without either raises
    CodegenError).
    """
    entries: list[Stmt] = []
    buckets: dict[int, list[Stmt]] = defaultdict(list)
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
    records: list[_Record] = []
    local = {s.target for s in stmts if not s.accumulate}
    done: set[str] = set()

    def emit(s: Stmt) -> None:
        op = "+=" if s.accumulate else "="
        comment = f"  # {s.comment}" if s.comment else ""
        if scalar:
            if s.row is None and (s.scalar is None or s.accumulate):
                raise CodegenError(f"{s.target} {op} {s.code} has no form for one example")
            records.append(_Record(s.target, None, [s.row or f"{s.target} = {s.scalar}"]))
            done.add(s.target)
            return
        # a hoisted definition is one of our own NumPy calls: a fresh array (never a view of X or y)
        fresh = s.hoist and not s.accumulate and not s.code.isidentifier()
        records.append(_Record(s.target, None, [f"{s.target} {op} {s.code}{comment}", *s.after], fresh))
        done.add(s.target)

    def flush(bucket: list[Stmt]) -> None:
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
                    records.append(_Record(rename.get(sym, sym).name, value.xreplace(rename)))
                for s, value in zip(group, reduced, strict=True):
                    if rename.get(value) != sp.Symbol(s.target):
                        records.append(_Record(s.target, value.xreplace(rename)))
                    done.add(s.target)
            pending = [s for s in pending if s not in ready]

    flush(buckets[-1])
    for k, s in enumerate(entries):
        emit(s)
        flush(buckets[k])
    return _print_records(records, arrays, scalar)


@dataclass
class _Record:
    """One scheduled assignment: printed ``lines``, or an element-wise ``expr`` printed at the end."""

    target: str
    expr: sp.Expr | None = None
    lines: list[str | RowOp] | None = None
    fresh: bool = False  # the target is a new array made here (so it may be overwritten once dead)

    def reads(self) -> set[str]:
        if self.expr is not None:
            return {s.name for s in self.expr.free_symbols}
        return set(re.findall(r"[A-Za-z_]\w*", "\n".join(map(str, self.lines))))


def _print_records(records: list[_Record], arrays: set[str] | None, scalar: bool = False) -> list[str | RowOp]:
    """The lines of ``records`` (RowOp for one example's work on a row); with ``arrays``, element-wise sums reuse
    arrays no later line reads."""
    last_use = {name: k for k, r in enumerate(records) for name in r.reads()}
    arrayish = set(arrays or ())
    fresh: set[str] = set()
    lines: list[str | RowOp] = []
    for k, r in enumerate(records):
        if r.expr is None:
            lines += r.lines
            if r.fresh:
                fresh.add(r.target)
            continue
        reads = r.reads()
        is_array = bool(reads & arrayish)
        written = None
        if arrays is not None and is_array:
            dead = {n for n in reads & fresh if last_use[n] == k and n != r.target}
            written = in_place(r.target, r.expr, dead, arrayish)
        lines += written or [f"{r.target} = {pycode(r.expr, one_example=scalar)}"]
        if is_array:
            arrayish.add(r.target)
            if not (r.expr.is_Symbol or r.expr.is_Number):
                fresh.add(r.target)
    return lines


def needed(stmts: list[Stmt], wanted: set[str]) -> list[Stmt]:
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


__all__ = [
    "BLOCK_NAMES",
    "LOOP",
    "POST",
    "PRE",
    "ROWS",
    "CodegenError",
    "RowOp",
    "Stmt",
    "Val",
    "free_names",
    "needed",
    "paren",
    "schedule",
]
