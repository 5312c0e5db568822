"""Run a user's NumPy gradient ``FILE:FUNCTION`` (or ``FILE:Class.method``) in a separate process, with a time limit.

The file is never imported here: :mod:`derivation.check.usersource` reads it with
:mod:`ast` for the call and for hints.  A small runner started with ``sys.executable -c``
imports the file and calls the function on every dataset under every calling
convention a user has (:func:`attempts`): X with its column of ones or without it (the
function adds it; or a separate bias b), θ and y as (n+1,)/(m,) vectors, (n+1, 1)/(m, 1)
columns or with examples in columns, labels in {0, 1} or {−1, +1}; results come back
through files in a temporary directory and :mod:`derivation.check.judge_code` decides.
For a model over a weight matrix W the conventions are W's layout, the labels' form
(integers or one-hot) and λ's (:func:`class_attempts`).  A crash, a hang or garbage output becomes
a one-line reason; unreadable input (no such file, a syntax error, no such function, an unknown
parameter) raises :class:`InputError`.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..oracle.datasets import Dataset
from ..parsing.octave import Translation, octave_name
from ..userinput import is_notebook
from . import box
from .box import run_box, run_folder
from .runner import by_name
from .usersource import (
    ROLES,
    CallSpec,
    InputError,
    Source,
    infer_call,
    is_octave,
    notebook_module,
    parse_call,
    place,
    read_octave,
    read_source,
    split_spec,
)

IMPORT_SECONDS = 3.0  # importing the file beyond this: its top-level code is a script (training); load definitions
FIRST_CALL_SECONDS = 2.0  # one call beyond this: it hangs under that convention; the others are still tried
CALL_SECONDS = 0.25  # later calls (our data is tiny: m ≤ 7), so a function that always hangs is told in seconds


@dataclass(frozen=True)
class Attempt:
    """One calling convention: where the intercept is, the shapes, the labels.

    >>> Attempt("added", "column", "binary").text()
    'X without its column of ones (the function adds it), θ of n+1 entries; θ (n+1, 1), y (m, 1); labels in {0, 1}'
    """

    intercept: str  # "given" (X has x₀ = 1), "added" (the function adds it; "appended": last), "split" (w and b)
    layout: str  # "flat" θ (p,) y (m,), "column" θ (p, 1) y (m, 1), "by-column" X (p, m) θ (p, 1) y (1, m),
    # "theta-column" θ (p, 1) y (m,): labels as loaded, which the function makes a column itself;
    # "y-column" θ (p,) y (m, 1): a flat θ (scipy.optimize's) beside labels loaded as a column;
    # "one-example" θ (p,), x_i (p,), y_i a number, called once per example (an SGD step): one row each;
    # "np-matrix" X, y (m, 1) and θ (1, p) as np.matrix, as the np.matrix-era blog code is called;
    # "one-feature" x (m,), w and b numbers (n = 1, as single-variable course labs write it): (dw, db) returned,
    # unless the returned names say otherwise; "one-feature-db" the same returning (db, dw)
    labels: str  # "binary" {0, 1}, "signed" {−1, +1} (y' = 2y − 1, the same cost), "real";
    # for a model over W: "integers" (0..K−1) or "onehot" (m × K)
    order: tuple[str, ...] = ()  # the roles of the parameters whose names say nothing, in order
    weights: str = ""  # a model over W: "n+1,K" (W (n+1, K), the notation's) or "K,n+1" (scikit-learn's coef_)
    reg: str = ""  # a model over W with λ: "lam" passes λ of (λ/2m)ΣW², "reg" passes reg = λ/(2m) (CS231n),
    # "half" reg = λ/m (a loss of (reg/2)ΣW²), "zero" λ = 0 (a model without a penalty);
    # a model over θ without a penalty: "on" passes λ ≠ 0 (is there a penalty we do not check?); "inverse" passes
    # scikit-learn's C = 1/λ (C = ∞ for λ = 0)
    step: bool = False  # a gradient-descent function: one step of size α is run and ∇ = (θ − θ_returned)/α

    @property
    def key(self) -> str:
        classes = (self.weights, self.reg) if self.weights else ((self.reg,) if self.reg else ())
        step = ("step",) if self.step else ()
        return "-".join((self.intercept, self.layout, self.labels, *classes, *self.order, *step))

    def shapes(self) -> str:
        """The shapes passed, for the reason line: "θ of shape (n+1,) and y of shape (m,)"."""
        if self.step:
            return f"{replace(self, step=False).shapes()}, one step of size α"
        if self.weights:
            return self.text()
        name, p = ("w", "n") if self.intercept == "split" else ("θ", "n+1")
        if self.layout.startswith("one-feature"):
            order = ", returning (db, dw)" if self.layout == "one-feature-db" else ""
            return f"one feature: x of shape (m,), w and b numbers{order}"
        x = "" if self.intercept == "given" else "X of shape (m, n) without the column of ones, "
        if self.layout == "flat":
            return f"{x}{name} of shape ({p},) and y of shape (m,)"
        if self.layout == "column":
            return f"{x}{name} of shape ({p}, 1) and y of shape (m, 1)"
        if self.layout == "theta-column":
            return f"{x}{name} of shape ({p}, 1) and y of shape (m,)"
        if self.layout == "y-column":
            return f"{x}{name} of shape ({p},) and y of shape (m, 1)"
        if self.layout == "np-matrix":
            return f"{x}X, y and {name} as np.matrix: X (m, {p}), y (m, 1), {name} (1, {p})"
        if self.layout == "one-example":
            return f"{x}{name} of shape ({p},) and one example at a time: x_i of shape ({p},), y_i a number"
        x = f"X of shape ({'n+1' if self.intercept == 'given' else 'n'}, m)"
        return f"examples in columns: {x}, {name} of shape ({p}, 1) and y of shape (1, m)"

    def text(self) -> str:
        """The whole convention, for the report."""
        if self.weights:
            return self._class_text()
        intercept = {
            "given": "X with its column of ones (x₀ = 1)",
            "added": "X without its column of ones (the function adds it), θ of n+1 entries",
            "appended": "X without its column of ones (the function appends it last), θ with the bias θ₀ last",
            "split": "w and a separate bias b (θ₀ = b, X without the column of ones); ∇ = (db, dw)",
        }[self.intercept]
        p = "n" if self.intercept == "split" else "n+1"
        name = "w" if self.intercept == "split" else "θ"
        columns = "n+1" if self.intercept == "given" else "n"
        layout = {
            "flat": f"{name} ({p},), y (m,)",
            "column": f"{name} ({p}, 1), y (m, 1)",
            "theta-column": f"{name} ({p}, 1), y (m,)",
            "y-column": f"{name} ({p},), y (m, 1): labels loaded as a column (y = data[:, -1:], np.matrix)",
            "np-matrix": f"X, y and {name} as np.matrix: {name} (1, {p}), y (m, 1); a (1, {p}) result is {name}'s",
            "one-example": f"one example's gradient (an SGD step): {name} ({p},), x_i ({p},), y_i a number",
            "by-column": f"examples in columns: X ({columns}, m), {name} ({p}, 1), y (1, m)",
            "one-feature": "one feature: x (m,), w and b numbers, y (m,)",
            "one-feature-db": "one feature: x (m,), w and b numbers, y (m,); it returns (db, dw)",
        }[self.layout]
        labels = {
            "binary": "labels in {0, 1}",
            "signed": "labels in {−1, +1} (y' = 2y − 1: the same cost)",
            "real": "",
        }[self.labels]
        step = STEP_WORDS if self.step else ""
        inverse = INVERSE_TEXT if self.reg == "inverse" else ""
        return "; ".join(part for part in (intercept, layout, labels, inverse, step) if part)

    def _class_text(self) -> str:
        """A model over W: "W of shape (n+1, K); labels as integers 0..K−1", with X and reg when they matter."""
        parts = [f"W of shape ({self.weights.replace(',', ', ')})"]
        if self.intercept == "split":
            shape = "(K, n) (scikit-learn's coef_)" if self.weights == "K,n+1" else "(n, K)"
            parts = [
                f"W of shape {shape} and a separate bias b of shape (K,), W's bias row (X without the column "
                "of ones); ∇W assembled with db as its bias row"
            ]
        if self.intercept == "added":
            parts.insert(0, "X without its column of ones (the function adds it)")
        parts.append("labels as integers 0..K−1" if self.labels == "integers" else "labels one-hot Y (m, K)")
        if self.reg in REG_TEXT:
            parts.append(REG_TEXT[self.reg])
        return "; ".join(parts)


# How a function's penalty strength r is passed for the penalty (λ/2m)ΣW², by the penalty its loss adds.
REG_TEXT = {
    "reg": "reg = λ/(2m): its reg·ΣW² is (λ/2m)ΣW² (CS231n's convention)",
    "half": "reg = λ/m: its (reg/2)·ΣW² is (λ/2m)ΣW²",
    "lam": "λ itself: its penalty is (λ/2m)ΣW²",
    "zero": "called with λ = 0",
}


INVERSE_TEXT = "C = 1/λ, scikit-learn's inverse penalty strength (the code divides by C)"
CLASS_LAYOUTS = ("n+1,K", "K,n+1")
STEP_WORDS = "one gradient-descent step (α > 0, 1 iteration): ∇ = (θ − the θ it returns)/α"
_DESCENT = re.compile(r"descent|step|update|train|fit|optimi[sz]e|learn", re.IGNORECASE)


def class_attempts(
    source: Source, layout: str | None = None, labels: str | None = None, penalty: str = "split"
) -> tuple[Attempt, ...]:
    """The conventions for a model over W: W's layout, integer or one-hot labels, X with or without its ones.

    ``layout`` and ``labels`` fix one (``--layout``); the source's hints order the rest.  A λ parameter
    named like CS231n's ``reg`` gets reg = λ/(2m) (its cost adds reg·ΣW²), any other name λ itself.

    >>> source = Source(parse_call("loss(W, X, y, reg)"), False, False, False, False, class_hints={"reg": "reg"})
    >>> [a.key for a in class_attempts(source)][:3]
    ['given-flat-integers-n+1,K-reg', 'added-flat-integers-n+1,K-reg', 'given-flat-onehot-n+1,K-reg']
    >>> class_attempts(source, "K,n+1", "onehot")[0].text().split("; ")[:2]
    ['W of shape (K, n+1)', 'labels one-hot Y (m, K)']
    """
    layouts = [layout] if layout else list(CLASS_LAYOUTS)
    if layout is None and source.class_hints.get("layout") == "K,n+1":
        layouts.reverse()
    forms = [labels] if labels else ["integers", "onehot"]
    if labels is None and source.class_hints.get("labels") == "onehot":
        forms.reverse()
    intercepts = ["added", "given"] if source.adds_ones else ["given", "added"]
    if "b" in source.call.roles():  # W and a separate bias b (K,): scikit-learn's coef_ and intercept_
        intercepts = ["split"]
    orders = list(itertools.permutations(source.call.free)) or [()]
    return tuple(
        Attempt(i, "flat", lab, o, w, reg)
        for o in orders
        for reg in reg_conventions(source, penalty)
        for w in layouts
        for lab in forms
        for i in intercepts
    )


def reg_conventions(source: Source, penalty: str) -> list[str]:
    """How to pass λ to a function that takes a penalty strength, the source's hint first.

    ``penalty`` "split": the model's (λ/2m)ΣW², every convention (the loss it returns, or else the gradient,
    decides which one it means); "none": a model without a penalty, called with λ = 0 first, then with λ ≠ 0 to
    see whether its penalty is right too; "own": a cost read from text, λ as the hint says.

    >>> source = Source(parse_call("loss(W, X, y, reg)"), False, False, False, False, class_hints={"reg": "reg"})
    >>> reg_conventions(source, "split"), reg_conventions(source, "none")[0], reg_conventions(source, "own")
    (['reg', 'lam', 'half'], 'zero', ['reg'])
    """
    if "lam" not in source.call.roles():
        return [""]
    hint = source.class_hints.get("reg", "lam")
    if penalty == "own":
        return [hint]
    ordered = [hint, *(r for r in ("lam", "reg", "half") if r != hint)]
    return ordered if penalty == "split" else ["zero", *ordered]


def attempts(
    source: Source, binary: bool, one_feature: bool = False, penalty_free: bool = False
) -> tuple[Attempt, ...]:
    """Every convention to try, the likeliest first (the source's hints order them; the run decides).

    ``one_feature``: only the single-variable convention, x (m,) and w, b numbers, for a function of (w, b).
    ``penalty_free``: the model has no penalty (λ = 0 is passed): a function that takes λ is also run with λ ≠ 0
    (``reg`` "on"), to see whether it has a penalty that was not checked.

    >>> [a.key for a in attempts(Source(parse_call("g(X, y, theta)"), True, False, False, False), False)][:3]
    ['added-flat-real', 'added-column-real', 'added-by-column-real']
    """
    roles = source.call.roles()
    labels = (["signed", "binary"] if source.signed_labels else ["binary", "signed"]) if binary else ["real"]
    orders = list(itertools.permutations(source.call.free)) or [()]
    if one_feature:  # two numbers come back: their names say which is dw, else both orders are tried
        layouts = ["one-feature"] if by_name(source.returns, len(source.returns)) else ["one-feature", "one-feature-db"]
        return _with_steps(source, [Attempt("split", lay, lab, o) for o in orders for lab in labels for lay in layouts])
    if "b" in roles:
        intercepts = ["split"]
    elif "theta" not in roles:  # only the predictions h: θ's layout is what it returns
        intercepts = ["given", "added", "split"]
    else:
        intercepts = ["added", "given"] if source.adds_ones else ["given", "added"]
        intercepts = ["appended", *intercepts] if source.appends_ones else [*intercepts, "appended"]
    layouts = ["by-column", "flat", "column"] if source.examples_in_columns else ["flat", "column", "by-column"]
    layouts.append("y-column")
    if source.octave:  # Octave's course code: X (m, n+1), θ (n+1, 1), y (m, 1), every value a matrix; or
        # examples in columns (θ' * X): X (n+1, m), θ (n+1, 1), y (1, m), as a Python file is tried
        layouts = ["by-column", "column"] if source.examples_in_columns else ["column", "by-column"]
    if source.matrices:  # course code of the np.matrix era: X (m, n+1), y (m, 1), θ (1, n+1) as np.matrix
        layouts.append("np-matrix")
    if source.one_example:  # x_i, xi, sample: one example at a time, as stochastic gradient descent calls it
        layouts.insert(0, "one-example")
    if source.labels_made_column:  # y[:, None] in the source: y arrives 1-D beside a column θ
        layouts.insert(layouts.index("column") + 1, "theta-column")
    elif not source.octave:  # last: d2l's w (n, 1) beside 1-D labels, to say whether a function right with 1-D
        layouts.append("theta-column")  # vectors holds there too ((m, 1) − (m,) broadcasts to (m, m))
    if source.call.columns:  # --call passes X.T, y.T: the examples in columns, the only layout tried
        layouts = ["by-column"]
    plain = [Attempt(i, lay, lab, o) for o in orders for lab in labels for i in intercepts for lay in layouts]
    if source.call.inverse:  # scikit-learn's C = 1/λ: the one reading of a C the code divides by
        plain = [replace(a, reg="inverse") for a in plain]
    if penalty_free and "lam" in roles:
        plain += [replace(a, reg="on") for a in plain]
    return _with_steps(source, plain)


def _with_steps(source: Source, plain: list[Attempt]) -> tuple[Attempt, ...]:
    """A function given a step size α may return θ after a step (θ − α∇) or the gradient: both are tried,
    the step first where its name or a number of iterations says it descends."""
    roles = source.call.roles()
    if "alpha" not in roles:
        return tuple(plain)
    steps = [replace(a, step=True) for a in plain]
    descends = "iters" in roles or bool(_DESCENT.search(source.call.name))
    return tuple(steps + plain if descends else plain + steps)


@dataclass(frozen=True)
class CallError:
    """One call that failed: the one-line reason."""

    message: str


@dataclass(frozen=True)
class UserRun:
    """What the user's function returned: per convention (an :class:`Attempt`'s key), one array per dataset.

    A convention whose call failed ends with a :class:`CallError` (its first failure: the
    other datasets are not tried).  ``failure`` is set when nothing could be run (a timeout, a
    crash while importing the file).
    """

    label: str
    call: CallSpec
    results: dict[str, list[np.ndarray | CallError]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    failure: str | None = None
    seconds: float = 0.0
    attempts: tuple[Attempt, ...] = ()
    likelihood: bool = False  # its name says log-likelihood (or ascent)
    took: dict[str, str] = field(default_factory=dict)  # per convention: how the gradient was taken from a tuple/dict
    costs: dict[str, list[float | None]] = field(default_factory=dict)  # per convention: the cost returned beside it
    octave: bool = False  # the file was Octave/MATLAB (.m), translated to NumPy before it ran
    siblings: tuple[str, ...] = ()  # FILE:function of the other functions in its file whose names say gradient
    column_weights: bool = False  # its source makes θ (w) a column (n, 1): judged with those shapes too
    rows: tuple[str, ...] = ()  # Octave: conventions whose grad came back a 1×(n+1) row, read as the column it lays out

    @property
    def kind(self) -> str:
        """What the user wrote, for the report: "Octave function" (a .m file) or "NumPy function"."""
        return "Octave function" if self.octave else "NumPy function"

    def returned_costs(self, key: str, count: int) -> list[float] | None:
        """The costs convention ``key`` returned on the first ``count`` datasets; None when it returned none."""
        costs = self.costs.get(key, [])[:count]
        return [float(c) for c in costs] if len(costs) == count and all(c is not None for c in costs) else None


def run_user_function(
    spec: str,
    datasets: Sequence[Dataset],
    *,
    call: str | None = None,
    timeout: float = 10.0,
    lam: bool = True,
    isolate: bool = False,
    classes: dict[str, str | None] | None = None,
    one_feature: bool = False,
) -> UserRun:
    """Call the user's function on every dataset under every convention, in a subprocess.

    ``lam`` False passes λ = 0 (a model without a penalty).  ``classes`` (a model over W: its
    ``layout`` and ``labels`` when fixed, else None) tries the conventions of :func:`class_attempts`.
    ``one_feature`` tries only x (m,) with w and b numbers (every dataset must have n = 1).
    ``isolate`` runs it with no network where the platform allows (:func:`derivation.check.box.isolation`; a note says
    when it does not).  Raises :class:`InputError`
    for input we cannot read; a crash or a timeout is in ``failure`` or the results.

    >>> import tempfile, pathlib
    >>> from derivation.oracle.datasets import make_datasets
    >>> from derivation.models import get_model
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "g.py"
    >>> _ = f.write_text("def grad(theta, X, y):\\n    return X.T @ (X @ theta - y) / len(y)\\n")
    >>> run = run_user_function(f"{f}:grad", make_datasets(get_model("linear")))
    >>> run.label, run.results["given-flat-real"][0].shape, run.failure
    ('grad(theta, X, y) from g.py', (2,), None)
    """
    path, function = split_spec(spec)
    prefix, unavailable = box.isolation() if isolate else ([], None)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="derivation-") as work:
        left_out = copy_data_files(path.parent, run_folder(work))  # np.loadtxt('ex2data1.txt') at its top level
        translation, module = None, path
        if is_octave(path):  # translated to a NumPy module in the work folder, then run as a Python file is
            folder = Path(work, "octave")
            folder.mkdir()
            source, translation, module = read_octave(path, function, call, folder, bool(lam))
        else:
            source = read_source(path, function, call, bool(lam))
        if is_notebook(str(path)):  # its code cells, joined, as a module the runner imports as it imports a .py
            folder = Path(work, "notebook")
            folder.mkdir()
            module = notebook_module(path, folder)
        call_spec = source.call if not lam else replace(source.call, own=())  # with λ, α may be λ: see judge_code
        if classes is not None:  # C = 1/λ is read for a model over θ only
            source = replace(source, call=replace(source.call, inverse=False))
            call_spec = replace(call_spec, inverse=False)
        binary = all(set(np.unique(d.y)) <= {0.0, 1.0} for d in datasets)
        if classes is None:
            tried = attempts(source, binary, one_feature, penalty_free=not lam)
        else:
            tried = class_attempts(source, **classes)
        h = "sigmoid" if binary else "identity"  # the predictions passed as h: σ(Xθ) for a classifier, else Xθ
        label = f"{call_spec.text()} from {path.name}"
        arrays = {}
        for index, d in enumerate(datasets):
            arrays |= {f"X{index}": d.X, f"y{index}": d.y, f"theta{index}": d.theta}
            arrays |= {f"lam{index}": np.array(d.lam if lam else 0.0), f"m{index}": np.array(d.m)}
            arrays |= {f"alpha{index}": np.array(d.lam)}  # a step size α: λ's draw, in [0.5, 2] (α may be λ)
            arrays |= {f"lamon{index}": np.array(d.lam)}  # λ ≠ 0 for a model without a penalty: does it change?
            if d.classes:
                arrays |= {f"W{index}": d.W, f"Y{index}": d.Y}
        np.savez(Path(work, "data.npz"), **arrays)
        job = {
            "file": str(module.resolve()),
            "folder": str(path.resolve().parent),  # where its own modules are (from utils import add_intercept)
            "function": call_spec.function,
            "owner": call_spec.owner,
            "unbound": call_spec.unbound,  # a function kept in a class (no self): called on the class
            # the user's working directory and PYTHONPATH: its package imports, after the file's own folder
            "paths": [os.getcwd(), *os.environ.get("PYTHONPATH", "").split(os.pathsep)],
            "args": list(call_spec.args),
            "kwargs": [[k, list(v)] for k, v in call_spec.kwargs],
            "attributes": [[k, list(v)] for k, v in call_spec.attributes],
            "own": dict(call_spec.own),  # the class's own α where no step is taken (the cost has no λ)
            "globals": [[k, list(v)] for k, v in call_spec.globals],
            "count": len(datasets),
            "import_seconds": min(IMPORT_SECONDS, timeout / 3),
            "first_call_seconds": min(FIRST_CALL_SECONDS, timeout / 4),  # it may import what it needs
            "call_seconds": min(CALL_SECONDS, timeout / 4),
            "returns": list(source.returns),  # which of two numbers is dw and which db, with one feature
            "joined": list(source.joined),  # the order of dw and db in the one vector it returns
            "attempts": [
                {"key": a.key, "intercept": a.intercept, "layout": a.layout, "labels": a.labels, "hypothesis": h}
                | {"order": list(a.order), "weights": a.weights, "reg": a.reg, "step": a.step}
                for a in tried
            ],
        }
        Path(work, "job.json").write_text(json.dumps(job), encoding="utf-8")
        failure = _run_runner(work, timeout, prefix)
        common = {"attempts": tried, "likelihood": source.likelihood, "column_weights": source.column_weights}
        if failure is not None and failure.startswith("timeout") and _stage(work) == "import":
            # the file's top-level code hangs (training, a plot window, input()): its definitions alone
            Path(work, "job.json").write_text(json.dumps(job | {"definitions_only": True}), encoding="utf-8")
            if _run_runner(work, timeout, prefix) is None:
                failure, common["hung"] = None, timeout
        seconds = time.perf_counter() - start
        if failure is not None:
            text = _failure_text(failure, work, datasets, tried)
            run = UserRun(label, call_spec, failure=text, seconds=seconds, **common)
        else:
            notebook = path if module != path and translation is None else None
            run = _collect(work, label, call_spec, seconds, common, translation, notebook)
    notes = (*run.notes, *(translation.notes if translation else ()), *((unavailable,) if unavailable else ()))
    if left_out and (run.failure or any(n.startswith("importing the whole file") for n in run.notes)):
        notes += (f"data files beside it not copied for the run: {', '.join(left_out)}",)  # why it may not load
    siblings = tuple(f"{path}:{name}" for name in source.siblings)
    if translation is not None and classes is None:
        run = _rows_as_columns(run, datasets)
    return replace(run, notes=notes, octave=translation is not None, siblings=siblings)


def _rows_as_columns(run: UserRun, datasets: Sequence[Dataset]) -> UserRun:
    """An Octave grad returned as a 1×(n+1) row where θ is an (n+1)×1 column (tester 15 o03: ``sum((h - y) .* X)``)
    holds the gradient's values in another layout (fminunc reads grad(:)): each such convention's results are read
    as the column, and its key kept in ``rows`` for the report's warning.  A row of another length stays as it is."""
    results, rows = dict(run.results), []
    for key, values in run.results.items():
        shapes = [np.shape(v) if isinstance(v, np.ndarray) else None for v in values]
        if values and all(s == (1, d.p) and d.p > 1 for s, d in zip(shapes, datasets, strict=False)):
            results[key] = [np.asarray(v).reshape(-1, 1) for v in values]
            rows.append(key)
    return replace(run, results=results, rows=tuple(rows)) if rows else run


DATA_SUFFIXES = (".txt", ".csv", ".dat", ".npy", ".npz", ".mat", ".json")
DATA_BYTES = 50 * 2**20  # the course's data files are kB; a folder of large data is not copied past this


def copy_data_files(folder: Path, work: Path) -> list[str]:
    """Copy the data files beside the user's script into the folder it runs in (:func:`~derivation.check.box.
    run_folder`, apart from the runner's own files, so a data.npz of theirs is theirs), so that its top-level
    ``np.loadtxt('ex2data1.txt')`` loads as when the user runs it: regular files with a data suffix, the smallest
    first, :data:`DATA_BYTES` in all.  Returns the names left out (too large, or unreadable).
    """
    found = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.lower().endswith(DATA_SUFFIXES) and entry.is_file(follow_symlinks=False):
                    found.append((entry.stat(follow_symlinks=False).st_size, entry.name))
                if len(found) > 1000:
                    break
    except OSError:
        return []
    left_out, total = [], 0
    for size, name in sorted(found):
        if total + size > DATA_BYTES:
            left_out.append(name)
            continue
        try:
            shutil.copyfile(folder / name, work / name, follow_symlinks=False)
            total += size
        except OSError:
            left_out.append(name)
    return left_out if len(left_out) <= 5 else [*left_out[:5], f"{len(left_out) - 5} more"]


def _run_runner(work: str, timeout: float, prefix: list[str]) -> str | None:
    return run_box([*prefix, sys.executable, "-c", _runner_source(), work], work, timeout)


def _runner_source() -> str:
    """The runner's source, given to ``python -c`` so that the child imports NumPy only, not this package."""
    return Path(__file__).with_name("runner.py").read_text(encoding="utf-8")


def _stage(work: str) -> str:
    stage = Path(work, "stage")
    return stage.read_text(encoding="utf-8") if stage.exists() else "starting"


def _failure_text(failure: str, work: str, datasets, tried: tuple[Attempt, ...]) -> str:
    kind, _, rest = failure.partition(":")
    if box.failure_text(kind, rest):
        return box.failure_text(kind, rest)
    if kind == "timeout":
        where = _stage(work)
        if where.startswith("call "):
            _, key, index = where.split()
            d = datasets[int(index)]
            shapes = next((a.shapes() for a in tried if a.key == key), key)
            where = f"calling it on dataset {int(index) + 1} (m={d.m}, n={d.n}), {shapes}"
        elif where == "import":
            where = "importing the file"
        return f"timed out after {rest} s while {where}: an endless loop, or input it waits for?"
    code, _, last = rest.partition(":")
    if code.lstrip("-").isdigit() and int(code) < 0:
        return f"the process running it was killed by signal {-int(code)} ({last})"
    return f"the process running it failed (exit {code}): {last}"


def _collect(
    work: str,
    label: str,
    call_spec: CallSpec,
    seconds: float,
    common: dict,
    translation: Translation | None = None,
    notebook: Path | None = None,
) -> UserRun:
    hung = common.pop("hung", None)
    report = json.loads(Path(work, "report.json").read_text(encoding="utf-8"))
    for error in [report.get("import"), report.get("whole"), *(e.get("error") for e in report["calls"])]:
        if error and translation is not None:
            _as_octave(error, translation)
        if error and notebook is not None and error.get("where"):  # a line of the joined code cells: its cell's
            error["where"]["place"] = f"{notebook.name} {place(notebook, int(error['where']['line'] or 1))}"
    if report.get("memory"):
        failure = box.failure_text("memory", str(box.MEMORY_MB))
        return UserRun(label, call_spec, failure=failure, seconds=seconds, **common)
    if report.get("import", {}) and report["import"].get("timeout"):
        where = report["import"]["where"] or {"line": "?"}
        failure = f"timed out after {report['import']['timeout']:.2g} s while importing the file ({_place(where)})"
        failure += ": an endless loop, or input it waits for?"
        return UserRun(label, call_spec, failure=failure, seconds=seconds, **common)
    if report.get("import"):
        failure = "importing the file " + error_text(report["import"])
        return UserRun(label, call_spec, failure=failure, seconds=seconds, **common)
    stored = np.load(Path(work, "out.npz"))
    results: dict[str, list[np.ndarray | CallError]] = {a.key: [] for a in common["attempts"]}
    notes: list[str] = []
    whole = error_text(report["whole"]) if report.get("whole") else None
    if hung is not None:
        whole = f"did not finish in {hung:.2g} s"
    if whole is not None:
        notes.append(
            f"importing the whole file {whole}; its top-level script code was left out "
            "(only its imports, functions, classes and constants were loaded)"
        )
    took: dict[str, str] = {}
    costs: dict[str, list[float | None]] = {a.key: [] for a in common["attempts"]}
    for entry in sorted(report["calls"], key=lambda e: e["d"]):  # (w, b) functions start with the widest dataset
        key = entry["key"]
        if entry.get("error"):
            results[key].append(CallError(error_text(entry["error"])))
        else:
            results[key].append(np.array(stored[f"r_{key}_{entry['d']}"]))
        costs[key].append(entry.get("cost"))
        for what in entry.get("mutated", []):
            note = f"{call_spec.function} changes its argument {what} in place (e.g. theta[0] = 0 on an alias)"
            if note not in notes:
                notes.append(note)
        if entry.get("took") and key not in took:
            took[key] = f"{call_spec.function} returns {entry['took']}"
    return UserRun(label, call_spec, results, tuple(notes), None, seconds, took=took, costs=costs, **common)


def _as_octave(error: dict, translation: Translation) -> None:
    """A failure of a translated Octave function as Octave would say it: at its line of the .m file, with Octave's
    words ('grad' undefined) and no Python type name."""
    where = error.get("where")
    returning = bool(where) and str(where.get("source", "")).lstrip().startswith("return ")
    found = translation.where(where["line"]) if where and isinstance(where.get("line"), int) else None
    if found is not None:
        error["where"] = {"file": found[0], "line": found[1], "function": where["function"], "source": found[2]}
    if error.get("type") in ("UnboundLocalError", "NameError"):
        found_name = re.search(r"'(\w+)'", error.get("message", ""))
        name = octave_name(found_name.group(1)) if found_name else "?"
        what = f"the output {name} is never set" if returning else "it is used before it is set"
        error["message"] = f"'{name}' undefined: {what}"
    if error.get("type"):
        error["type"] = "an error"


def error_text(error: dict) -> str:
    """One line: "raised NameError: … (file line 3, in f: source)" or "returned None: …"."""
    if error.get("timeout"):
        line = f" ({_place(error['where'])})" if error.get("where") else ""
        if error.get("call"):  # the budget differs between the first call and the others: not worth saying
            return f"did not finish{line}: a loop that never ends?"
        return f"did not finish in {error['timeout']:.2g} s{line}"
    if error.get("returned"):
        return f"returned {error['returned']}"
    text = f"raised {error['type']}: {error['message']}" if error.get("message") else f"raised {error['type']}"
    where = error.get("where")
    if where:
        text += f" ({where.get('place') or where['file'] + ' line ' + str(where['line'])}, in {where['function']}"
        text += f": {where['source']})" if where.get("source") else ")"
    if error.get("hint"):
        text += f"; {error['hint']}"
    return text


def _place(where: dict) -> str:
    """ "line 7", or "nb.ipynb cell 3, line 2" in a notebook's code cells."""
    return where.get("place") or f"line {where['line']}"


__all__ = [
    "ROLES",
    "Attempt",
    "CallError",
    "CallSpec",
    "InputError",
    "UserRun",
    "attempts",
    "class_attempts",
    "copy_data_files",
    "error_text",
    "infer_call",
    "parse_call",
    "run_user_function",
    "split_spec",
]
