"""Check a user's two-layer backprop (``derivation check mlp --python FILE:FUNCTION``), per parameter, naming the fault.

The file is read with :mod:`ast` and never imported here (:mod:`derivation.nets.conventions`: how to
call the function, what it returns, which network and layout its source suggests); the function runs
in :mod:`derivation.check.box`'s box on small random datasets under every likely layout and label form
in one run (:mod:`derivation.nets.run`, with :mod:`derivation.nets.child`'s main under
:mod:`derivation.check.runner`'s supervisor); each gradient is compared with the reference and a wrong
one matched against the faults of :mod:`derivation.nets.faults` (:mod:`derivation.nets.judge`); the
best-fitting convention's findings make the report (:mod:`derivation.nets.report`).
"""

from __future__ import annotations

import ast
import re
import time
from pathlib import Path

from ..check.spec import split_spec
from ..check.usersource import InputError
from .conventions import (
    Call,
    Hints,
    _definition,
    _reached,
    functions_of,
    parameter_role,
    read_call,
    read_hints,
    read_tree,
)
from .faults import L2, PARAMETERS
from .judge import ACTIVATION_WORDS, Judge, likely_conventions
from .network import HIDDEN, OUTPUTS
from .report import CORRECT, INCORRECT, UNDECIDED, MLPReport
from .run import KINK, Attempt, Dataset, Outcome, attempts, make_datasets, run


def check_mlp(
    spec: str,
    *,
    activation: str | None = None,
    output: str | None = None,
    l2: str | None = None,
    layout: str | None = None,
    labels: str | None = None,
    seed: int = 0,
    timeout: float = 10.0,
    isolate: bool = False,
) -> MLPReport:
    """Check the user's two-layer backprop ``FILE:FUNCTION`` (or ``FILE:Class.method``) per parameter.

    ``activation`` (sigmoid, tanh, relu), ``output`` (softmax, sigmoid), ``l2`` (sum: reg·ΣW²,
    half: (reg/2)·ΣW², half-m: (λ/2m)·ΣW², none), ``layout`` (row, column) and ``labels``
    (integers, onehot) fix what the source and the run would otherwise decide.
    Raises :class:`derivation.check.usersource.InputError` for input we cannot read.
    """
    options = [(activation, HIDDEN, "activation"), (output, OUTPUTS, "output"), (l2, L2, "--l2")]
    options += [(layout, ("row", "column"), "layout"), (labels, ("integers", "onehot"), "labels")]
    for value, valid, what in options:
        if value is not None and value not in valid:
            raise InputError(f"unknown {what} {value!r}: use {', '.join(valid)}")
    path, function = split_spec(spec)
    if function is None:
        known = functions_of(path)
        raise InputError(f"name the function: {path}:FUNCTION (its functions: {', '.join(known) or 'none'})")
    start = time.perf_counter()
    try:
        call, hints = read_call(path, function)
    except InputError as error:
        if not error.args[0].endswith("it cannot be called"):
            raise
        raise InputError(_uncallable(path, function)) from None
    label = f"{call.text()} from {path.name}"
    outputs = [output or hints.output] if output or hints.output else list(OUTPUTS)  # unsaid: both, the run decides
    decided_output = "option" if output else "the one its values fit"
    if hints.output and not output:
        decided_output = f"from the source ({hints.evidence['output']})"
    sets = {o: make_datasets(o, seed) for o in outputs}
    everything = [d for o in outputs for d in sets[o]]  # one run: each output's datasets one after the other
    tried = attempts(hints, layout, labels)
    results, failure, notes = run(path, call, tried, everything, timeout, isolate)
    seconds = time.perf_counter() - start
    if failure is not None:
        return MLPReport(UNDECIDED, label, f"could not run it: {failure}", notes=notes, seconds=seconds)
    best = _best(results, sets, tried, call, hints, {"activation": activation, "l2": l2})
    if best is None:
        first = results[tried[0].key][0]
        return MLPReport(
            UNDECIDED, label, f"could not get gradients from it: it {first.error}", notes=notes, seconds=seconds
        )
    return _report(best, label, decided_output, notes, seconds)


# the catalog's network: what check mlp can call and compare, said when a function is none of it
_READS = (
    "check mlp reads a function that takes (or finds on self) X, y and the weights W1, b1, W2, b2 (or a dict of "
    "them), and returns their gradients, for a two-layer network with biases, a sigmoid, tanh or relu hidden layer "
    "and a cross-entropy loss on a softmax or sigmoid output"
)
_SQUARED = re.compile(r"\b2\s*\*\s*\(\s*[\w.]*\by\s*-|\*\*\s*2\b|np\.square\(")
_BIAS = re.compile(r"\b(b[12]|biase?s?\d?|bias_?\w*|intercept\w*)\b", re.IGNORECASE)


def _uncallable(path: Path, function: str) -> str:
    """Why ``function`` cannot be checked, in plain words: which of its inputs have no name check mlp knows, and
    what of its network is outside the catalog (the squared error, no biases, weights updated in place)."""
    tree = read_tree(path)
    node, cls = _definition(tree, function, path)
    text = "\n".join(ast.unparse(f) for f in _reached(node, tree, cls))
    attributes = sorted(
        {f"self.{a.attr}" for a in ast.walk(node) if isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name)
         and a.value.id == "self"}
    )  # fmt: skip
    params = [a.arg for a in node.args.args if a.arg != "self"]
    known = {name: parameter_role(name.removeprefix("self.")) for name in params + attributes}
    known = {name: role for name, role in known.items() if role is not None}
    roles = set(known.values())
    weights = "params" in roles or all(p in roles for p in PARAMETERS)
    lacking = [w for w, ok in (("X", "X" in roles), ("y", "y" in roles), ("the weights", weights)) if not ok]
    read = ", ".join(f"{name} as {role}" for name, role in known.items())
    inputs = f"it reads {', '.join(params + attributes) or 'nothing'}" + (f" ({read})" if read else "")
    outside = []
    if _SQUARED.search(text):
        outside.append("its loss is the squared error (2·(y − output) is its derivative), not a cross-entropy")
    if not _BIAS.search(text):
        outside.append("its layers have no biases")
    updates = [t for t in ast.walk(node) if isinstance(t, ast.AugAssign) and isinstance(t.target, ast.Attribute)]
    if updates:
        outside.append(f"it updates the weights in place ({ast.unparse(updates[0]).split('+=')[0].strip()} += …)")
    if not any(isinstance(r, ast.Return) and r.value is not None for r in ast.walk(node)):
        outside.append("it returns no gradients")
    missing = [p for p in PARAMETERS if p not in roles]
    found_no_bias = False
    if "params" not in roles and 0 < len(missing) < len(PARAMETERS) and lacking == ["the weights"]:
        # some of the weights are there (W1, W2 without b1, b2): say which are missing, not that none is named
        found = [p for p in PARAMETERS if p in roles]
        why = f"it reads {', '.join(found)} but no {' or '.join(missing)}"
        outside = [o for o in outside if o != "its layers have no biases"]
        if all(p.startswith("b") for p in missing):
            outside.insert(0, "its layers have no biases")
            found_no_bias = True
    else:
        why = f"{inputs}, and nothing it reads is named as {' or '.join(lacking)} (W1, b1, W2, b2)"
    said = f"; outside the catalog's network: {'; '.join(outside)}" if outside else ""
    # W1, W2 and no b1, b2 (tester 8's py_15): it could be called, but is not the network check mlp compares with
    verdict = "has no biases, and check mlp checks networks with biases" if found_no_bias else "cannot be called"
    return f"{node.name}() in {path.name} {verdict}: {why}{said}. {_READS}"


def _best(
    results: dict[str, list[Outcome]],
    sets: dict[str, list[Dataset]],
    tried: list[Attempt],
    call: Call,
    hints: Hints,
    options: dict,
) -> tuple | None:
    """The best-fitting (score, attempt, convention, findings, decided, notes, outcomes, datasets), or None."""
    takes_reg = "reg" in call.roles()
    best = None
    for place, out in enumerate(sets):
        datasets, judge = sets[out], Judge(sets[out])
        for order, attempt in enumerate(tried):
            outcomes = results[attempt.key][place * len(datasets) : (place + 1) * len(datasets)]
            ran = [d for d, o in enumerate(outcomes) if o.error is None]
            if not ran:
                continue
            convs, decided, conv_notes = likely_conventions(outcomes, judge, hints, out, options, takes_reg)
            for conv in convs:
                findings = judge.assess(conv, outcomes, attempt.layout)
                right = sum(f.right for f in findings)
                named = sum(f.fault is not None for f in findings)
                score = (right + named, len(ran), right, -order)  # explained first: a wrong convention may run too
                if best is None or score > best[0]:
                    best = (score, attempt, conv, findings, decided, conv_notes, outcomes, datasets)
                if right == len(PARAMETERS) and len(ran) == len(datasets):
                    break
            if best[0][1] == len(datasets) and best[0][2] == len(PARAMETERS):
                break
    return best


def _report(best: tuple, label: str, decided_output: str, notes: list[str], seconds: float) -> MLPReport:
    """The report of the best fit: the network and what decided it, the findings, the notes, the verdict."""
    (_, count, right, _), attempt, conv, findings, decided, conv_notes, outcomes, datasets = best
    out = conv.output
    decided = {
        f"hidden activation {ACTIVATION_WORDS[conv.activation]}": decided["activation"],
        f"output {conv.output}": decided_output,
        f"L2 {L2[conv.l2][0]}": decided["L2"],
    }
    report = MLPReport(
        INCORRECT,
        label,
        "",
        convention=attempt.text(out),
        network=conv.text(),
        decided=decided,
        findings=findings,
        datasets=[
            d.shape_text + (" (a ReLU input at exactly 0)" if i == KINK and conv.activation == "relu" else "")
            for i, d in enumerate(datasets)
        ],
        notes=[*notes, *conv_notes],
        seconds=seconds,
    )
    if attempt.layout == "column":
        report.notes.append(
            "examples in columns (Andrew Ng's layout) accepted: its gradients were compared transposed "
            "(W1 (h, n) as ∂J/∂W1ᵀ)"
        )
    returned = next((o.returned for o in outcomes if o.returned), "")
    if returned:
        report.notes.append(f"it returns {returned}")
    failed = [d for d, o in enumerate(outcomes) if o.error is not None]
    if failed:
        report.notes.append(
            f"on dataset{'s' if len(failed) > 1 else ''} {', '.join(str(d + 1) for d in failed)} "
            f"({datasets[failed[0]].shape_text}) it {outcomes[failed[0]].error}"
        )
    if right == len(PARAMETERS) and count == len(datasets):
        report.status, report.reason = (
            CORRECT,
            f"all four gradients (W1, b1, W2, b2) equal ∂J/∂W1 … ∂J/∂b2 on {count} datasets",
        )
        return report
    wrong = [f.parameter for f in findings if not f.right]
    if not wrong:
        report.reason = f"it fails on {len(failed)} of {len(datasets)} datasets; where it runs, its gradients are right"
        return report
    named = sorted({f.slip for f in findings if f.fault}, key=str)
    report.reason = f"{', '.join(wrong)} wrong" + (f": {'; '.join(named)}" if named else "")
    return report


__all__ = ["MLPReport", "check_mlp", "make_datasets", "read_call", "read_hints"]
