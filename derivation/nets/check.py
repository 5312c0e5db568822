"""Check a user's two-layer backprop (``derivation check mlp --python FILE:FUNCTION``), per parameter, naming the fault.

The file is read with :mod:`ast` here and never imported: the signature says how to call the
function (parameters as a dict ``params["W1"]`` / ``model['b2']`` / ``self.params``, or separately
``W1, b1, W2, b2``; ``X``, ``y``, ``reg``), its return statement how to read what it returns (a dict or
a tuple of gradients, with or without the loss), and its source which network it is (the hidden
activation, the output, the L2 convention) and which layout (rows: X (m, n), W1 (n, h); or Andrew Ng's
columns: X (n, m), W1 (h, n), b1 (h, 1)).  The function runs in :mod:`derivation.check.box`'s box
(its own process group, time, memory and output limits) through the runner of ``check --python``
(:mod:`derivation.check.runner`: its import, budget and error-reporting functions) with a main of
our own that passes the network's parameters, every dataset and every convention in one run.

Each gradient is compared with the reference (:class:`derivation.nets.faults.Net`, on
:class:`derivation.nets.network.Network`'s forward pass) on several small random datasets away from
ReLU's kink, plus one with a hidden unit exactly at it; a wrong one is matched against the faults of
:mod:`derivation.nets.faults` to name what went wrong, with one entry as a counterexample.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from ..check import runner as runner_module
from ..check.box import failure_text, isolation, run_box
from ..check.runner import without_magics
from ..check.usercode import _error_text  # one wording for a failed call, as check --python's
from ..check.usernames import role_of
from ..check.usersource import InputError, split_spec
from ..check.usersource import _read_text as read_text
from .faults import FAULTS, L2, PARAMETERS, Fault, Net
from .network import HIDDEN, OUTPUTS, one_hot

IMPORT_SECONDS, FIRST_CALL_SECONDS, CALL_SECONDS = 3.0, 2.0, 0.25  # as check --python's (usercode.py)
TOLERANCE = {"float64": 1e-8, "float32": 1e-4}  # relative, as the θ checker's
# (m, n, h, K): m differs from n, h and K (a label or bias of the wrong shape fails to broadcast instead of
# passing), n ≠ h and h ≠ K except where a transpose must run (dataset 2: h = K, so δ²W2 runs without ᵀ).
SHAPES = {
    "softmax": ((6, 4, 5, 3), (7, 2, 3, 3), (5, 3, 4, 2), (6, 3, 4, 3)),
    "sigmoid": ((6, 4, 5, 1), (7, 2, 3, 1), (5, 3, 4, 1), (6, 3, 4, 1)),
}
KINK = 3  # the dataset with Z1[0, 0] = 0 exactly (x⁽¹⁾ = 0, b1[0] = 0): ReLU′ at its kink
CORRECT, INCORRECT, UNDECIDED = "correct", "incorrect", "undecided"
ACTIVATION_WORDS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"}


# --- the child's side: shipped by source to the box, after the runner's own functions -----------------------------
# These functions run in the box's child (they use only NumPy, json, os, sys and the runner's describe, Budget,
# load and definitions_copy), so they take ``np`` as an argument and import nothing of this package.


def grad_role(name):
    """W1, b1, W2, b2 for the names users give gradients and parameters (dW1, grad_b1, dJ_dW2, W1); else None.

    >>> [grad_role(n) for n in ("dW1", "grad_b1", "dJ_dW2", "b2_grad", "W1", "dw", "loss")]
    ['W1', 'b1', 'W2', 'b2', 'W1', None, None]
    """
    import re as regex

    key = regex.sub(r"[^a-z0-9]", "", str(name).lower())
    for _ in range(3):
        if key in ("w1", "b1", "w2", "b2"):
            return {"w1": "W1", "b1": "b1", "w2": "W2", "b2": "b2"}[key]
        stripped = next((key[len(p) :] for p in ("grads", "grad", "dj", "dl", "d") if key.startswith(p)), None)
        stripped = stripped or next((key[: -len(s)] for s in ("gradient", "grad") if key.endswith(s)), None)
        if not stripped:
            return None
        key = stripped
    return None


def child_values(data, d, attempt, keys, np):
    """Dataset ``d`` as ``attempt`` passes it: rows or Andrew Ng's columns, integer or one-hot labels, bias shapes."""
    X, y, Y = data[f"X{d}"], data[f"y{d}"], data[f"Y{d}"]
    P = {p: data[f"{p}{d}"].copy() for p in ("W1", "b1", "W2", "b2")}
    binary = Y.shape[1] == 1
    if attempt["layout"] == "column":
        X = X.T
        P = {"W1": P["W1"].T, "b1": P["b1"][:, None], "W2": P["W2"].T, "b2": P["b2"][:, None]}
        if attempt["labels"] == "onehot":
            labels = Y.T
        else:
            labels = y.astype(float)[None, :] if binary else y.copy()
    else:
        if attempt["bias"] == "2d":
            P["b1"], P["b2"] = P["b1"][None, :], P["b2"][None, :]
        labels = Y if attempt["labels"] == "onehot" else (y.astype(float) if binary else y.copy())
    P = {p: np.ascontiguousarray(v) for p, v in P.items()}
    values = {"X": np.ascontiguousarray(X), "y": np.ascontiguousarray(labels), "reg": float(data[f"reg{d}"])}
    values["params"] = {keys[p]: P[p] for p in P}
    return values | P | {"m": int(X.shape[0] if attempt["layout"] != "column" else X.shape[1])}


def child_extract(result, names, np):
    """(gradients by parameter, the loss or None, what it returned in words, an error or None).

    ``names`` are the roles of the return statement's names (W1, loss, …), flattened, from the source.
    """
    grads, leaves, loss = {}, [], []

    def walk(obj, depth):
        if isinstance(obj, dict):
            for key, value in obj.items():
                role = grad_role(key)
                if role is not None:
                    grads[role] = value
                elif str(key).lower() in ("loss", "cost", "j", "data_loss"):
                    loss.append(value)
                elif isinstance(value, (dict, tuple, list)) and depth < 3:
                    walk(value, depth + 1)
        elif isinstance(obj, (tuple, list)) and depth < 3:
            for item in obj:
                walk(item, depth + 1)
        else:
            leaves.append(obj)

    walk(result, 0)
    aligned = names if names and len(names) == len(leaves) else [None] * len(leaves)
    rest = []
    for leaf, role in zip(leaves, aligned, strict=True):
        if role == "loss":
            loss.append(leaf)
        elif role in ("W1", "b1", "W2", "b2") and role not in grads:
            grads[role] = leaf
        else:
            rest.append(leaf)
    missing = [p for p in ("W1", "b1", "W2", "b2") if p not in grads]
    scalars = [x for x in rest if np.ndim(x) == 0]
    if len(rest) == len(missing) + 1 and scalars:  # (loss, dW1, …) or (dW1, …, loss)
        which = 0 if np.ndim(rest[0]) == 0 else len(rest) - 1
        loss.append(rest.pop(which))
    elif len(rest) > len(missing):
        for x in scalars:
            loss.append(x)
            rest.remove(x)
    for p, value in zip(missing, rest, strict=False):  # fewer arrays than missing: reported below
        grads[p] = value
    shape = describe_return(result, grads, np)
    missing = [p for p in ("W1", "b1", "W2", "b2") if p not in grads]
    if result is None:
        return {}, None, "", "None: is a return statement missing?"
    if missing and isinstance(result, (tuple, list)) and not any(isinstance(x, dict) for x in result):
        count = sum(1 for x in leaves if np.ndim(x) > 0)
        return {}, None, shape, f"{count} arrays where four gradients (dW1, db1, dW2, db2) were expected"
    if missing:
        return {}, None, shape, f"no gradient for {', '.join(missing)} ({shape or type(result).__name__})"
    arrays = {}
    for p, value in grads.items():
        try:
            array = np.asarray(value)
        except Exception:
            array = None
        if array is None or array.dtype.kind not in "biuf":
            return {}, None, shape, f"a {type(value).__name__} as the gradient of {p}, not an array of numbers"
        if array.size > 100_000:  # our networks have a few dozen weights: do not ship a huge array back
            return {}, None, shape, f"{array.size} numbers as the gradient of {p} (shape {array.shape})"
        arrays[p] = array if array.dtype.kind == "f" else array.astype(float)
    number = None
    if loss:
        try:
            number = float(np.asarray(loss[0]).reshape(-1)[0]) if np.size(loss[0]) == 1 else None
        except Exception:
            number = None
    return arrays, number, shape, None


def describe_return(result, grads, np):
    """What the function returned, in words: "(loss, grads dict)", "(dW2, db2, dW1, db1)", "a dict"."""
    if isinstance(result, dict):
        return "a dict of gradients"
    if not isinstance(result, (tuple, list)):
        return f"a {type(result).__name__}"
    words = []
    for item in result:
        role = next((p for p, g in grads.items() if g is item), None)
        if isinstance(item, dict):
            words.append("grads dict")
        elif role is not None:
            words.append("d" + role)
        elif isinstance(item, (tuple, list)):
            words.append("tuple")
        else:
            words.append("loss" if np.ndim(item) == 0 else "array")
    return f"({', '.join(words)})"


def child_main(work):
    """The box's main: import the file (its definitions alone if its script part fails), call on every dataset."""
    sys.path[:] = [p for p in sys.path if p not in ("", ".", work)]
    import numpy as np

    with open(os.path.join(work, "job.json"), encoding="utf-8") as f:
        job = json.load(f)
    data = np.load(os.path.join(work, "data.npz"))
    path = job["file"]
    report, out = {"calls": [], "import": None}, {}

    def stage(text):
        with open(os.path.join(work, "stage"), "w", encoding="utf-8") as f:
            f.write(text)

    def finish():
        np.savez(os.path.join(work, "out.npz"), **out)
        with open(os.path.join(work, "report.json"), "w", encoding="utf-8") as f:
            json.dump(report, f)

    stage("import")
    sys.path.insert(0, os.path.dirname(path))
    copy = definitions_copy(path, work)  # noqa: F821 - the runner's, in the box
    try:
        with Budget(job["import_seconds"]):  # noqa: F821
            module, owner, fn = load(path, job)  # noqa: F821
    except BaseException as exc:
        report["import"] = describe(exc, path, copy)  # noqa: F821
        if isinstance(exc, MemoryError) or copy is None:
            finish()
            return
        try:  # top-level script code (loading data, training, plotting): its definitions alone
            module, owner, fn = load(copy, job)  # noqa: F821
        except BaseException:
            finish()
            return
        report["whole"], report["import"] = report["import"], None

    def value(arg, values):
        kind, v = arg
        return values[v] if kind == "role" else v

    for attempt in job["attempts"]:
        for d in range(job["count"]):
            values = child_values(data, d, attempt, job["keys"], np)
            entry = {"key": attempt["key"], "d": d}
            report["calls"].append(entry)
            stage(f"call {attempt['key']} {d}")
            try:
                target = fn
                if job["forward"]:  # backward(parameters, cache, X, Y): the file's forward pass makes the cache
                    name, f_args, f_kwargs = job["forward"]
                    made = getattr(module, name)(
                        *[value(a, values) for a in f_args], **{k: value(a, values) for k, a in f_kwargs}
                    )
                    values["cache"] = made[-1] if isinstance(made, tuple) else made
                if owner is not None:
                    instance = owner.__new__(owner)  # no constructor: it may need arguments or train a model
                    for attr, arg in job["attributes"]:
                        setattr(instance, attr, value(arg, values))
                    target = getattr(instance, job["function"])
                args = [value(a, values) for a in job["args"]]
                kwargs = {k: value(a, values) for k, a in job["kwargs"]}
                seconds = job["call_seconds"] if len(report["calls"]) > 1 else job["first_call_seconds"]
                with Budget(seconds):  # noqa: F821
                    result = target(*args, **kwargs)
            except BaseException as exc:
                entry["error"] = describe(exc, path, copy) | {"call": True}  # noqa: F821
                if isinstance(exc, MemoryError):
                    report["memory"] = True
                    finish()
                    return
                if isinstance(exc, OutOfTime):  # noqa: F821 - one hang per convention is enough
                    break
                continue  # the other datasets: a missing transpose fails only where the shapes differ
            grads, loss, shape, error = child_extract(result, job["returns"], np)
            entry["returned"], entry["loss"] = shape, loss
            if error is not None:
                entry["error"] = {"returned": error}
                continue
            for p, array in grads.items():
                out[f"{attempt['key']}_{d}_{p}"] = array
    finish()


_CHILD = (grad_role, child_values, child_extract, describe_return, child_main)


@cache
def _runner_source() -> str:
    """The runner's functions, ours, and a main that runs :func:`child_main` under the runner's supervisor."""
    import inspect

    runner = Path(runner_module.__file__).read_text(encoding="utf-8")
    guard = re.search(r"^if __name__ == ['\"]__main__['\"]", runner, re.MULTILINE)  # its own main must not run
    body = runner[: guard.start()] if guard else runner
    ours = "\n\n".join(inspect.getsource(f) for f in _CHILD)
    tail = '\nmain = child_main\nif __name__ == "__main__" and len(sys.argv) == 2 and os.path.isdir(sys.argv[1]):\n'
    return f"{body}\n\n{ours}\n{tail}    supervise(sys.argv[1])\n"


# --- reading the source ----------------------------------------------------------------------------------------------

_PARAMS_NAMES = ("params", "parameters", "param", "model", "weights", "net", "network", "theta", "nn", "p", "w")


def parameter_role(name: str) -> str | None:
    """What to pass for a parameter (or self attribute) named ``name``: params, W1…b2, X, y, reg, m; else None.

    >>> [parameter_role(n) for n in ("parameters", "W1", "X_batch", "Y", "lambd", "reg", "m", "step")]
    ['params', 'W1', 'X', 'y', 'reg', 'reg', 'm', None]
    """
    role = grad_role(name)
    if role is not None:
        return role
    key = name.lower().strip("_")
    if key in _PARAMS_NAMES or key.endswith("params") or key.endswith("parameters"):
        return "params"
    if key in ("y_onehot", "y_one_hot", "onehot", "one_hot", "t", "yb", "y_batch"):
        return "y"
    return {"theta": "params", "lam": "reg", "X": "X", "y": "y", "m": "m"}.get(role_of(name) or "")


@dataclass(frozen=True)
class Call:
    """How to call the function: arguments as ("role", …) or ("const", …), self's attributes, the dict's keys."""

    function: str
    owner: str | None
    args: tuple[tuple[str, object], ...]
    kwargs: tuple[tuple[str, tuple[str, object]], ...]
    attributes: tuple[tuple[str, tuple[str, object]], ...]
    keys: dict[str, str]  # W1 → the key the function reads its dict with ("W1", "w1", …)
    returns: tuple[str | None, ...]  # the roles of the return statement's names, flattened
    names: dict[str, str]  # role → the user's name for it (reg → "lambd")
    forward: tuple | None = None  # (function, args, kwargs): the file's forward pass, whose cache it takes

    def text(self) -> str:
        shown = [str(v) if k == "const" else self.names.get(str(v), str(v)) for k, v in self.args]
        shown += [f"{name}={self.names.get(str(v[1]), v[1])}" for name, v in self.kwargs]
        head = f"{self.owner}.{self.function}" if self.owner else self.function
        text = f"{head}({', '.join(shown)})"
        given = [f"self.{a}" for a, _ in self.attributes]
        text += f" on an instance with {', '.join(given)} set" if given else ""
        return text + (f", cache from {self.forward[0]}()" if self.forward else "")

    def roles(self) -> set[str]:
        every = [*self.args, *(v for _, v in self.kwargs), *(v for _, v in self.attributes)]
        return {str(v) for k, v in every if k == "role"}


@dataclass(frozen=True)
class Hints:
    """What the source says about the network and the conventions (None: it does not say)."""

    activation: str | None
    output: str | None
    l2: str | None
    layout: str | None
    labels: str | None
    evidence: dict[str, str] = field(default_factory=dict)  # what in the source said it


def _read(path: Path) -> ast.Module:
    """The file's syntax tree, read as ``check --python`` reads it (size-limited, notebook magics blanked)."""
    try:
        return ast.parse(without_magics(read_text(path)), filename=str(path))
    except SyntaxError as exc:
        raise InputError(f"{path.name} line {exc.lineno}: {exc.msg}") from None


def _definition(tree: ast.Module, function: str, path: Path) -> tuple[ast.FunctionDef, ast.ClassDef | None]:
    owner, _, name = function.rpartition(".")
    if owner:
        cls = next((n for n in reversed(tree.body) if isinstance(n, ast.ClassDef) and n.name == owner), None)
        if cls is None:
            raise InputError(f"no class '{owner}' at the top level of {path.name}")
        found = {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)}
        if name not in found:
            raise InputError(f"no method '{name}' in class {owner} of {path.name} (its methods: {', '.join(found)})")
        return found[name], cls
    found = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    if name not in found:
        known = ", ".join(found) or "none"
        raise InputError(f"no function '{name}' at the top level of {path.name} (its functions: {known})")
    return found[name], None


def _reached(node: ast.FunctionDef, tree: ast.Module, cls: ast.ClassDef | None) -> list[ast.FunctionDef]:
    """The function and the file's functions (and the class's methods) it calls, transitively."""
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    methods = {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)} if cls is not None else {}
    out, todo = [], [node]
    while todo:
        current = todo.pop()
        if current in out:
            continue
        out.append(current)
        for sub in ast.walk(current):
            if isinstance(sub, ast.Name) and sub.id in functions:
                todo.append(functions[sub.id])
            elif isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id == "self":
                if sub.attr in methods:
                    todo.append(methods[sub.attr])
    return out


def _signature(node: ast.FunctionDef, cls: ast.ClassDef | None, path: Path, cache: bool):
    """(positional arguments, keyword arguments, role → the user's name) from a function's parameters."""
    a = node.args
    positional = [*a.posonlyargs, *a.args]
    if cls is not None and not any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list):
        positional = positional[1:]
    defaults = {p.arg for p in positional[len(positional) - len(a.defaults) :]} if a.defaults else set()
    defaults |= {p.arg for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True) if d is not None}
    args, kwargs, names = [], [], {}
    for param, keyword in [*((p, False) for p in positional), *((p, True) for p in a.kwonlyargs)]:
        role = "cache" if param.arg.lower() in ("cache", "caches") else parameter_role(param.arg)
        if role is None or role in names:
            if param.arg in defaults:
                continue
            raise InputError(
                f"cannot tell what to pass as '{param.arg}' of {node.name}() in {path.name}: name it params (a dict "
                "of W1, b1, W2, b2) or W1, b1, W2, b2, X, y (or Y), reg (or lambd), m"
            )
        if role == "cache" and not cache:
            raise InputError(
                f"{node.name}() takes a cache from a forward pass, and {path.name} has no forward_propagation(X, "
                "parameters) to make it: give the function that runs both passes"
            )
        names[role] = param.arg
        if keyword or param.arg in defaults:
            kwargs.append((param.arg, ("role", role)))
        else:
            args.append(("role", role))
    return args, kwargs, names


def _forward(tree: ast.Module, path: Path) -> ast.FunctionDef | None:
    """The file's forward pass (forward_propagation, forward, forward_pass…), whose cache a backward function takes."""
    found = [n for n in tree.body if isinstance(n, ast.FunctionDef) and "forward" in n.name.lower()]
    found.sort(key=lambda n: (n.name != "forward_propagation", len(n.name)))
    return found[0] if found else None


def read_call(path: Path, function: str) -> tuple[Call, Hints]:
    """The call and the hints, from the file's source (never run)."""
    tree = _read(path)
    node, cls = _definition(tree, function, path)
    reached = _reached(node, tree, cls)
    forward_node = _forward(tree, path) if cls is None else None
    args, kwargs, names = _signature(node, cls, path, cache=forward_node is not None)
    forward = None
    if "cache" in names and forward_node is not None:
        f_args, f_kwargs, f_names = _signature(forward_node, None, path, cache=False)
        if "X" not in f_names or not ("params" in f_names or all(p in f_names for p in PARAMETERS)):
            raise InputError(f"{forward_node.name}() in {path.name} does not take X and the parameters")
        forward = (forward_node.name, tuple(f_args), tuple(f_kwargs))
        reached += [f for f in _reached(forward_node, tree, None) if f not in reached]
        names = {**f_names, **names}
    attributes = []
    for sub in (s for f in reached for s in ast.walk(f)):
        if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id == "self":
            role = parameter_role(sub.attr)
            if role is not None and role not in names and isinstance(sub.ctx, ast.Load):
                names[role] = f"self.{sub.attr}"
                attributes.append((sub.attr, ("role", role)))
    has_weights = "params" in names or all(p in names for p in PARAMETERS)
    if not has_weights or "X" not in names or "y" not in names:
        lacking = [w for w, ok in (("the weights", has_weights), ("X", "X" in names), ("y", "y" in names)) if not ok]
        raise InputError(f"{node.name}() in {path.name} takes no {' or '.join(lacking)}: it cannot be called")
    keys = _dict_keys(reached, names)
    call = Call(node.name, cls.name if cls else None, tuple(args), tuple(kwargs), tuple(attributes), keys,
                _return_roles(node), names, forward)  # fmt: skip
    text = "\n".join(ast.unparse(_without_docstring(f)) for f in reached)  # a docstring's "tanh" is no hint
    hints = read_hints(text, names.get("reg"))
    if None in (hints.activation, hints.output, hints.l2):  # the file's other functions (its cost, apart) may say
        functions = [_without_docstring(n) for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        whole = read_hints("\n".join(ast.unparse(f) for f in functions), names.get("reg"))
        filled = {k: getattr(hints, k) or getattr(whole, k) for k in ("activation", "output", "l2")}
        evidence = {k: v + " elsewhere in the file" for k, v in whole.evidence.items()} | hints.evidence
        hints = Hints(**filled, layout=hints.layout, labels=hints.labels, evidence=evidence)
    return call, hints


def _without_docstring(node: ast.FunctionDef) -> ast.FunctionDef:
    body = node.body[1:] if ast.get_docstring(node) is not None else node.body
    return ast.FunctionDef(node.name, node.args, body or [ast.Pass()], [], None, lineno=node.lineno)


def _dict_keys(reached: list[ast.FunctionDef], names: dict[str, str]) -> dict[str, str]:
    """W1 → the string the function indexes its parameters with: params['W1'], model["w1"], self.params['W2']."""
    holder = names.get("params", "").removeprefix("self.")
    keys = {p: p for p in PARAMETERS}
    for sub in (s for f in reached for s in ast.walk(f)):
        if not isinstance(sub, ast.Subscript) or not isinstance(sub.slice, ast.Constant):
            continue
        base = sub.value
        name = base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else None
        if name == holder and isinstance(sub.slice.value, str) and grad_role(sub.slice.value) in PARAMETERS:
            keys[grad_role(sub.slice.value)] = sub.slice.value
    return keys


def _return_roles(node: ast.FunctionDef) -> tuple[str | None, ...]:
    """The roles of the names in the function's last ``return a, b, …`` (nested tuples flattened)."""
    returns = [s for s in ast.walk(node) if isinstance(s, ast.Return) and s.value is not None]
    if not returns:
        return ()

    def flat(value: ast.AST) -> list[str | None]:
        if isinstance(value, (ast.Tuple, ast.List)):
            return [r for e in value.elts for r in flat(e)]
        if isinstance(value, ast.Dict):
            return ["dict"]
        if isinstance(value, ast.Name):
            low = value.id.lower()
            return ["loss" if low in ("loss", "cost", "j", "data_loss", "total_loss") else grad_role(value.id)]
        return [None]

    out = flat(returns[-1].value)
    return tuple(r for r in out if r != "dict")


def read_hints(text: str, reg_name: str | None) -> Hints:
    """The network and conventions the source suggests (run-independent; the run and the loss decide the rest).

    >>> h = read_hints("A1 = np.maximum(0, X @ W1 + b1)\\nloss += 0.5 * reg * np.sum(W1 * W1)", "reg")
    >>> h.activation, h.l2, h.output
    ('relu', 'half', None)
    """
    s = re.sub(r"\s+", "", text)
    low = s.lower()
    evidence = {}
    activation = None
    if "tanh" in low:
        activation, evidence["activation"] = "tanh", "tanh"
    elif re.search(r"maximum\(0|maximum\(\w+,0|relu|\*\(\w+>0\)|\[\w+<=?0\]=0|\(\w+>0\)\.astype|heaviside", low):
        activation, evidence["activation"] = "relu", "max(0, ·)"
    elif re.search(r"sigmoid|exp\(-|expit", low):
        activation, evidence["activation"] = "sigmoid", "σ"
    output = None
    if re.search(
        r"softmax|/\(?np\.sum\(\w*exp|/\w*exp\w*\.sum\(|(np\.)?max\(\w+,axis=1|\.max\(axis=1|logsumexp", low
    ) or (re.search(r"arange\(\w+\),\w*y\w*\]|range\(\w+\),\w*y\w*\]", low)):
        output, evidence["output"] = "softmax", "softmax"
    elif re.search(r"log\(1-|log1p\(-|\(1-\w+\)\*np\.log|sigmoid\([^=]*(z2|w2|scores)|expit", low):
        output, evidence["output"] = "sigmoid", "σ at the output with the binary cross-entropy"
    l2 = None
    if reg_name is not None:
        r = re.escape(reg_name.removeprefix("self.").lower())
        if re.search(
            rf"{r}/\(2(\.0)?\*\w+\)|{r}/2/|\(?{r}/\(?\w+\)?\)?\*0\.5|0\.5\*{r}/|1/\(2\*\w+\)\*{r}|{r}\*0\.5/", low
        ):
            l2, evidence["l2"] = "half-m", "λ/(2m)"
        elif re.search(rf"0\.5\*\w*\.?{r}\b|{r}/2(?![\d./])|{r}\*0\.5|1/2\*{r}|\({r}/2\)", low):
            l2, evidence["l2"] = "half", "(reg/2)·ΣW²"
        elif re.search(rf"{r}\*\(?(np\.)?sum\(|{r}\*np\.linalg\.norm\(\w+\)\*\*2|{r}\*\(np\.sum", low):
            l2, evidence["l2"] = "sum", "reg·ΣW²"
    layout = None
    if re.search(r"(w1|\])@x\b|dot\((\w+\[['\"]w1['\"]\]|w1),x\)|w1\.dot\(x\)|x\.shape\[1\]", low):
        layout, evidence["layout"] = "column", "W1 X (examples in columns)"
    labels = None
    if re.search(r"arange\(\w+\),\w*y\w*\]|range\(\w+\),\w*y\w*\]|y\[\w+\]\]|eye\(\w+\)\[y", low):
        labels = "integers"
    elif re.search(r"\bY\b|one_?hot", s):
        labels = "onehot"
    return Hints(activation, output, l2, layout, labels, evidence)


# --- the data --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """One small random problem in the row layout, float64."""

    X: np.ndarray
    y: np.ndarray  # integer labels (0/1 for a sigmoid output)
    Y: np.ndarray  # one-hot (m, K), or (m, 1) 0/1
    params: dict[str, np.ndarray]
    reg: float

    @property
    def shape_text(self) -> str:
        m, n = self.X.shape
        return f"m={m}, n={n}, h={self.params['W1'].shape[1]}, K={self.Y.shape[1]}"


def make_datasets(output: str, seed: int = 0) -> list[Dataset]:
    """Datasets with every hidden pre-activation at least 0.1 from 0, except dataset KINK's Z1[0, 0] = 0 exactly."""
    rng = np.random.default_rng(seed)
    out = []
    for index, (m, n, h, K) in enumerate(SHAPES[output]):
        while True:
            X = rng.normal(0, 1, (m, n))
            params = {
                "W1": rng.normal(0, 0.8, (n, h)),
                "b1": rng.normal(0, 0.5, h),
                "W2": rng.normal(0, 0.8, (h, K)),
                "b2": rng.normal(0, 0.5, K),
            }
            if index == KINK:
                X[0], params["b1"][0] = 0.0, 0.0
            Z1 = np.abs(X @ params["W1"] + params["b1"])
            Z1[0, 0] = 1.0 if index == KINK else Z1[0, 0]
            if Z1.min() > 0.1:
                break
        if output == "softmax":
            y = rng.permutation(np.arange(m) % K)
            Y = one_hot(y, K)
        else:
            y = rng.permutation(np.arange(m) % 2)
            Y = y.astype(float)[:, None]
        out.append(Dataset(X, y, Y, params, float(np.round(rng.uniform(0.1, 0.4), 3))))
    return out


# --- running it ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """A convention: the layout (rows or columns), the labels (integers or one-hot), the biases' shape."""

    layout: str  # "row" X (m, n), W1 (n, h) | "column" X (n, m), W1 (h, n), b1 (h, 1)
    labels: str  # "integers" | "onehot"
    bias: str = "flat"  # "flat" b1 (h,) | "2d" b1 (1, h) (row layout)

    @property
    def key(self) -> str:
        return f"{self.layout}-{self.labels}-{self.bias}"

    def text(self, output: str) -> str:
        if self.layout == "column":
            shapes = "examples in columns (Andrew Ng's layout): X (n, m), W1 (h, n), b1 (h, 1), W2 (K, h), b2 (K, 1)"
            labels = "one-hot Y (K, m)" if self.labels == "onehot" else "labels as integers 0..K−1, y (m,)"
            if output == "sigmoid":
                labels = "labels Y (1, m) in {0, 1}"
        else:
            b = "(1, h)" if self.bias == "2d" else "(h,)"
            shapes = f"rows: X (m, n), W1 (n, h), b1 {b}, W2 (h, K), b2 {b.replace('h', 'K')}"
            labels = "one-hot Y (m, K)" if self.labels == "onehot" else "labels as integers 0..K−1, y (m,)"
            if output == "sigmoid":
                labels = "labels Y (m, 1) in {0, 1}" if self.labels == "onehot" else "labels y (m,) in {0, 1}"
        return f"{shapes}; {labels}"


def attempts(hints: Hints, layout: str | None = None, labels: str | None = None) -> list[Attempt]:
    """The conventions to try, the likeliest first."""
    layouts = [layout] if layout else (["column", "row"] if hints.layout == "column" else ["row", "column"])
    forms = [labels] if labels else (["onehot", "integers"] if hints.labels == "onehot" else ["integers", "onehot"])
    out = []
    for lay in layouts:
        for lab in forms:
            out.extend([Attempt(lay, lab, "flat"), Attempt(lay, lab, "2d")] if lay == "row" else [Attempt(lay, lab)])
    return out


@dataclass
class Outcome:
    """One call: the gradients by parameter (in the row layout), the loss, or the error."""

    grads: dict[str, np.ndarray] = field(default_factory=dict)
    loss: float | None = None
    error: str | None = None
    returned: str = ""


def _run(path: Path, call: Call, tried: list[Attempt], datasets: list[Dataset], timeout: float, isolate: bool):
    """Every attempt on every dataset in one box run: ({attempt key: [Outcome per dataset]}, failure, notes)."""
    prefix, unavailable = isolation() if isolate else ([], None)
    notes = [unavailable] if unavailable else []
    with tempfile.TemporaryDirectory(prefix="derivation-mlp-") as work:
        arrays = {}
        for i, d in enumerate(datasets):
            arrays |= {f"X{i}": d.X, f"y{i}": d.y, f"Y{i}": d.Y, f"reg{i}": np.array(d.reg)}
            arrays |= {f"{p}{i}": d.params[p] for p in PARAMETERS}
        np.savez(Path(work, "data.npz"), **arrays)
        job = {
            "file": str(path.resolve()),
            "function": call.function,
            "owner": call.owner,
            "args": [list(a) for a in call.args],
            "kwargs": [[k, list(v)] for k, v in call.kwargs],
            "attributes": [[k, list(v)] for k, v in call.attributes],
            "keys": call.keys,
            "returns": list(call.returns),
            "forward": [call.forward[0], [list(a) for a in call.forward[1]], [[k, list(v)] for k, v in call.forward[2]]]
            if call.forward
            else None,
            "count": len(datasets),
            "import_seconds": min(IMPORT_SECONDS, timeout / 3),
            "first_call_seconds": min(FIRST_CALL_SECONDS, timeout / 4),
            "call_seconds": min(CALL_SECONDS, timeout / 4),
            "attempts": [{"key": a.key, "layout": a.layout, "labels": a.labels, "bias": a.bias} for a in tried],
        }
        Path(work, "job.json").write_text(json.dumps(job), encoding="utf-8")
        failure = run_box([*prefix, sys.executable, "-c", _runner_source(), work], work, timeout)
        if failure is not None:
            return {}, _failure(failure, work), notes
        report = json.loads(Path(work, "report.json").read_text(encoding="utf-8"))
        if report.get("memory"):
            return {}, failure_text("memory", "1024"), notes
        if report.get("import"):
            return {}, "importing the file " + _error_text(report["import"]), notes
        if report.get("whole"):
            notes.append(f"importing the whole file {_error_text(report['whole'])}: its script code was left out")
        stored = np.load(Path(work, "out.npz"))
        results: dict[str, list[Outcome]] = {a.key: [Outcome(error="not run") for _ in datasets] for a in tried}
        layouts = {a.key: a.layout for a in tried}
        for entry in report["calls"]:
            key, d = entry["key"], entry["d"]
            if entry.get("error"):
                results[key][d] = Outcome(error=_error_text(entry["error"]), returned=entry.get("returned", ""))
                continue
            grads = {p: _to_rows(np.array(stored[f"{key}_{d}_{p}"]), p, layouts[key]) for p in PARAMETERS}
            results[key][d] = Outcome(grads, entry.get("loss"), None, entry.get("returned", ""))
    return results, None, notes


def _to_rows(array: np.ndarray, p: str, layout: str) -> np.ndarray:
    """A returned gradient in the row layout: columns transposed, (1, h) biases flattened."""
    if layout == "column" and array.ndim == 2:
        array = array.T
    return _flat_bias(p, array)


def _flat_bias(p: str, array: np.ndarray) -> np.ndarray:
    """A bias's gradient (or a slip's) of shape (1, h), (h, 1), (1, m) or (m, 1) as a vector: orientation is free."""
    return array.reshape(-1) if p.startswith("b") and array.ndim == 2 and 1 in array.shape else array


def _failure(failure: str, work: str) -> str:
    kind, _, rest = failure.partition(":")
    if failure_text(kind, rest):
        return failure_text(kind, rest)
    stage = Path(work, "stage").read_text(encoding="utf-8") if Path(work, "stage").exists() else "starting"
    if kind == "timeout":
        return f"timed out after {rest} s while {'importing the file' if stage == 'import' else 'calling it'}"
    return f"the process running it failed ({rest})"


# --- judging -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Convention:
    activation: str
    output: str
    l2: str

    def text(self) -> str:
        out = "softmax cross-entropy" if self.output == "softmax" else "sigmoid cross-entropy"
        return f"hidden {ACTIVATION_WORDS[self.activation]}, output {out}, L2 {L2[self.l2][0]} (biases not penalised)"


@dataclass
class Finding:
    """One parameter's verdict."""

    parameter: str
    right: bool
    fault: Fault | None = None
    example: str = ""
    worst: float = 0.0
    also: Fault | None = None  # a second slip in the same gradient

    @property
    def key(self) -> str | None:
        """The slip's key ("no-mean"), two joined by "+", or None."""
        return "+".join(f.key for f in (self.fault, self.also) if f) or None

    @property
    def slip(self) -> str:
        if self.fault is None:
            return "wrong, and no known slip gives these values"
        return self.fault.name if self.also is None else f"two slips: {self.fault.name}; and {self.also.name}"

    @property
    def fix(self) -> str:
        return "; ".join(f.fix for f in (self.fault, self.also) if f)


@dataclass
class MLPReport:
    """The result of checking a backprop function: status, conventions used, one finding per parameter."""

    status: str
    function: str
    reason: str
    convention: str = ""
    network: str = ""
    decided: dict[str, str] = field(default_factory=dict)  # what decided each of activation, output, L2
    findings: list[Finding] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 correct, 1 incorrect or undecided (as ``check``'s reports)."""
        return 0 if self.status == CORRECT else 1

    def faults(self) -> dict[str, str | None]:
        """Each wrong parameter's fault key (None: wrong, not named)."""
        return {f.parameter: f.key for f in self.findings if not f.right}

    def to_dict(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if k != "findings"}
        out["findings"] = [
            {"parameter": f.parameter, "right": f.right, "fault": f.key, "fault_text": None if f.right else f.slip,
             "example": f.example, "worst": f.worst}
            for f in self.findings
        ]  # fmt: skip
        return out

    def render(self, fmt: str = "text", *, ascii: bool = False) -> str:
        """The report as "text" (Unicode; ``ascii`` for plain terminals), "markdown" or "json" (with exit_code)."""
        from ..printing.expr import ascii_text, visible

        if fmt == "json":
            data = self.to_dict() | {"exit_code": self.exit_code}
            return json.dumps(data, ensure_ascii=ascii, indent=2)
        if fmt not in ("text", "markdown"):
            raise ValueError(f"unknown format {fmt!r} for check mlp; valid formats: text, json, markdown")
        text = visible(self.text())  # the user's names and messages may carry control characters
        text = ascii_text(text) if ascii else text
        if fmt == "markdown":
            head, _, rest = text.partition("\n")
            return f"**{head}**\n\n````\n{rest}\n````"
        return text

    def text(self) -> str:
        mark = {CORRECT: "✓ CORRECT", INCORRECT: "✗ INCORRECT", UNDECIDED: "? UNDECIDED"}[self.status]
        lines = [f"derivation check mlp — NumPy function {self.function}", f"{mark}: {self.reason}"]
        if self.network:
            lines.append(f"Network: {self.network}")
            lines.extend(f"  {what}: {how}" for what, how in self.decided.items())  # "hidden activation ReLU: from …"
        if self.convention:
            lines.append(f"Called with {self.convention}")
        if self.datasets:
            lines.append(f"Datasets (float64): {'; '.join(self.datasets)}")
        groups: dict[str, list[Finding]] = {}  # one slip, the parameters it spoils, together
        for f in self.findings:
            if not f.right:
                groups.setdefault(f.slip if f.fault else f"unnamed {f.parameter}", []).append(f)
        for group in groups.values():
            lines.append(f"  ✗ {', '.join(f.parameter for f in group)}: {group[0].slip}")
            lines.extend(f"      {f.example}" for f in group if f.example)
            if group[0].fault:
                lines.append(f"      fix: {group[0].fix}")
        for f in self.findings:
            if f.right:
                worst = f"{f.worst:.0e}" if f.worst else "0"
                lines.append(f"  ✓ {f.parameter} = ∂J/∂{f.parameter} on every dataset (largest relative error {worst})")
        lines.extend(f"Note: {n}" for n in self.notes)
        lines.append(f"Time: {self.seconds:.2f} s")
        return "\n".join(lines)


def _close(received: np.ndarray, expected: np.ndarray, tol: float, floor: float = 0.0) -> bool:
    """Equal shapes and values within ``tol`` of the larger of ``expected``'s size and ``floor`` (∇J's, for a slip:
    softmax's δ² summed over classes is 0 up to rounding, and so is the slip's)."""
    if received.shape != expected.shape or not np.all(np.isfinite(received)):
        return False
    scale = max(float(np.max(np.abs(expected), initial=0.0)), floor, 1e-12)
    return float(np.max(np.abs(received - expected), initial=0.0)) <= tol * scale


def _matches(pairs, values: list[np.ndarray], tol: float) -> bool:
    """What it returned equals ``values`` (a slip's) on every dataset, within tol of ∇J's size."""
    return all(_close(r, v, tol, _size(e)) for (r, e, _), v in zip(pairs, values, strict=True))


def _size(array: np.ndarray) -> float:
    return float(np.max(np.abs(array), initial=0.0))


def _relative(received: np.ndarray, expected: np.ndarray) -> float:
    scale = max(float(np.max(np.abs(expected), initial=0.0)), 1e-12)
    return float(np.max(np.abs(received - expected), initial=0.0)) / scale


def _tolerance(outcomes: list[Outcome]) -> float:
    single = any(g.dtype == np.float32 for o in outcomes for g in o.grads.values())
    return TOLERANCE["float32" if single else "float64"]


class _Judge:
    """The reference and the faults' gradients on every dataset, per convention (computed once)."""

    def __init__(self, datasets: list[Dataset]) -> None:
        self.datasets = datasets
        self._nets: dict[tuple[Convention, int], Net] = {}
        self._faults: dict[tuple[Convention, int], list] = {}

    def net(self, conv: Convention, d: int) -> Net:
        if (conv, d) not in self._nets:
            data = self.datasets[d]
            self._nets[conv, d] = Net(data.X, data.Y, data.params, data.reg, conv.activation, conv.output, conv.l2)
        return self._nets[conv, d]

    def expected(self, conv: Convention, d: int) -> dict[str, np.ndarray]:
        return self.net(conv, d).backward()

    def variants(self, conv: Convention, d: int) -> list[tuple[Fault, dict[str, np.ndarray]]]:
        if (conv, d) not in self._faults:
            net = self.net(conv, d)
            self._faults[conv, d] = [(f, f.gradient(net)) for f in FAULTS]
        return self._faults[conv, d]

    def assess(self, conv: Convention, outcomes: list[Outcome], layout: str = "row") -> list[Finding]:
        """Per parameter: right on every dataset it ran on, or the fault whose values it returns.

        Where several slips give a parameter's values (a bias has no penalty, so −∇J and (Y − P) agree on it),
        the one that explains most parameters is named, so that one slip is reported once.
        """
        ran = [d for d, o in enumerate(outcomes) if o.error is None]
        tol = _tolerance(outcomes)
        findings, matched, wrong = [], {}, {}
        for p in PARAMETERS:
            pairs = [(outcomes[d].grads[p], _flat_bias(p, self.expected(conv, d)[p]), d) for d in ran]
            if pairs and all(_close(r, e, tol) for r, e, _ in pairs):
                findings.append(Finding(p, True, worst=max(_relative(r, e) for r, e, _ in pairs)))
                continue
            slips = self._slips(conv, p, ran, pairs, tol)
            matched[p] = [f for f, v in slips if _matches(pairs, v, tol)]
            wrong[p] = (pairs, slips)
        counts = {f: sum(f in found for found in matched.values()) for found in matched.values() for f in found}
        for p, (pairs, slips) in wrong.items():
            fault = max(matched[p], key=lambda f: (counts[f], -FAULTS.index(f)), default=None)
            also = None
            if fault is None:  # two slips at once, each adding its own change to ∇J (no 1/m and a penalised bias)
                fault, also = self._two_slips(slips, pairs, tol)
            findings.append(Finding(p, False, fault, self._example(p, pairs, fault, layout), also=also))
        findings.sort(key=lambda f: PARAMETERS.index(f.parameter))
        return findings

    def _slips(self, conv: Convention, p: str, ran: list[int], pairs, tol: float) -> list[tuple[Fault, list]]:
        """The faults that change ∂J/∂p on these datasets, with their values (biases as vectors)."""
        out = []
        for index, fault in enumerate(FAULTS):
            values = [self.variants(conv, d)[index][1].get(p) for d in ran]
            if not values or any(v is None for v in values):
                continue
            values = [_flat_bias(p, v) for v in values]
            if not all(_close(v, e, tol) for v, (_, e, _) in zip(values, pairs, strict=True)):
                out.append((fault, values))
        return out

    @staticmethod
    def _two_slips(slips: list[tuple[Fault, list]], pairs, tol: float) -> tuple[Fault | None, Fault | None]:
        """Two different slips whose changes to ∇J, added, give what it returned."""
        shaped = [(f, v) for f, v in slips if all(w.shape == e.shape for w, (_, e, _) in zip(v, pairs, strict=True))]
        for i, (first, a) in enumerate(shaped):
            for second, b in shaped[i + 1 :]:
                if first.key == second.key:
                    continue
                if _matches(pairs, [x + y - e for x, y, (_, e, _) in zip(a, b, pairs, strict=True)], tol):
                    return first, second
        return None, None

    def _example(self, p: str, pairs, fault: Fault | None, layout: str) -> str:
        """One entry where received and expected differ: its dataset, index (in the user's layout), both values."""
        if not pairs:
            return ""
        same = [(r, e, d) for r, e, d in pairs if r.shape == e.shape]
        if not same:
            r, e, d = pairs[0]
            text = f"{p} on dataset {d + 1} ({self.datasets[d].shape_text}): received shape {_shape(r, layout)}, "
            text += f"expected {_shape(e, layout)}"
            if r.shape == e.T.shape and e.ndim == 2:
                i, j = np.unravel_index(int(np.argmax(np.abs(e))), e.shape)
                text += f"; received[{j}, {i}] = {r[j, i]:.6g} is ∂J/∂{p}[{i}, {j}] = {e[i, j]:.6g}"
            return text
        r, e, d = max(same, key=lambda t: float(np.max(np.abs(t[0] - t[1]), initial=0.0)))
        index = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.abs(r - e))), e.shape))
        shown = index[::-1] if layout == "column" else index  # W1 (h, n), b1 (h, 1) in Andrew Ng's layout
        shown = (*shown, 0) if layout == "column" and len(index) == 1 else shown
        where = f"{p}[{', '.join(map(str, shown))}]"
        text = f"{where} on dataset {d + 1} ({self.datasets[d].shape_text}): "
        text += f"expected {e[index]:.6g}, received {r[index]:.6g}"
        if fault is not None and fault.key == "relu-geq":
            text += " — at the kink: Z1[0, 0] = 0 exactly (x⁽¹⁾ = 0, b1[0] = 0), where ReLU′ = 1[z > 0] is 0"
        return text


def _shape(array: np.ndarray, layout: str) -> tuple[int, ...]:
    """An array's shape as the user's layout has it (our row-layout arrays transposed for Andrew Ng's columns)."""
    if layout != "column":
        return array.shape
    return (*array.shape, 1) if array.ndim == 1 else array.shape[::-1]


def _conventions(
    outcomes: list[Outcome], judge: _Judge, hints: Hints, output: str, options: dict, takes_reg: bool
) -> tuple[list[Convention], dict[str, str], list[str]]:
    """The conventions to judge under, the likeliest first, with what decided each and notes."""
    notes: list[str] = []
    acts = [options["activation"]] if options.get("activation") else None
    l2s = [options["l2"]] if options.get("l2") else None
    decided = {}
    ran = [d for d, o in enumerate(outcomes) if o.error is None]
    losses = [outcomes[d].loss for d in ran]
    by_loss = []
    if ran and all(loss is not None for loss in losses):
        for act in acts or HIDDEN:
            for l2 in l2s or L2:
                conv = Convention(act, output, l2)
                if all(
                    abs(loss - judge.net(conv, d).loss()) <= 1e-6 * (1 + abs(loss))
                    for loss, d in zip(losses, ran, strict=True)
                ):
                    by_loss.append(conv)
        if not by_loss:
            notes.append(
                "the loss it returns matches no network of this kind (its loss is wrong too, or its penalty is none "
                "of reg·ΣW², (reg/2)·ΣW², (λ/2m)·ΣW²)"
            )
    if by_loss:
        by_loss.sort(key=lambda c: (c.activation != hints.activation, c.l2 != hints.l2))
        decided["activation"] = "option" if acts else "from the loss it returns"
        decided["L2"] = "option" if l2s else "from the loss it returns"
        return by_loss, decided, notes
    if acts is None:
        acts = [hints.activation] if hints.activation else []
        acts += [a for a in HIDDEN if a not in acts]
        decided["activation"] = (
            f"from the source ({hints.evidence['activation']})" if hints.activation else "the one its values fit"
        )
    else:
        decided["activation"] = "option"
    if l2s is None:
        if not takes_reg:
            l2s, decided["L2"] = ["none"], "it takes no reg"
        elif hints.l2:
            l2s, decided["L2"] = [hints.l2], f"from the source ({hints.evidence['l2']})"
        else:
            l2s, decided["L2"] = (
                ["sum"],
                "assumed (the source does not say): give --l2 half or half-m if J has (reg/2)·ΣW² or (λ/2m)·ΣW²",
            )
    else:
        decided["L2"] = "option"
    return [Convention(a, output, l2) for a in acts for l2 in l2s], decided, notes


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
        tree = _read(path)
        known = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
        known += [f"{n.name}.{m.name}" for n in tree.body if isinstance(n, ast.ClassDef) for m in n.body
                  if isinstance(m, ast.FunctionDef) and not m.name.startswith("__")]  # fmt: skip
        raise InputError(f"name the function: {path}:FUNCTION (its functions: {', '.join(known) or 'none'})")
    start = time.perf_counter()
    call, hints = read_call(path, function)
    label = f"{call.text()} from {path.name}"
    outputs = [output or hints.output] if output or hints.output else list(OUTPUTS)  # unsaid: both, the run decides
    decided_output = "option" if output else "the one its values fit"
    if hints.output and not output:
        decided_output = f"from the source ({hints.evidence['output']})"
    sets = {o: make_datasets(o, seed) for o in outputs}
    everything = [d for o in outputs for d in sets[o]]  # one run: each output's datasets one after the other
    tried = attempts(hints, layout, labels)
    results, failure, notes = _run(path, call, tried, everything, timeout, isolate)
    seconds = time.perf_counter() - start
    if failure is not None:
        return MLPReport(UNDECIDED, label, f"could not run it: {failure}", notes=notes, seconds=seconds)
    takes_reg = "reg" in call.roles()
    best = None
    for place, out in enumerate(outputs):
        datasets, judge = sets[out], _Judge(sets[out])
        for order, attempt in enumerate(tried):
            outcomes = results[attempt.key][place * len(datasets) : (place + 1) * len(datasets)]
            ran = [d for d, o in enumerate(outcomes) if o.error is None]
            if not ran:
                continue
            convs, decided, conv_notes = _conventions(
                outcomes, judge, hints, out, {"activation": activation, "l2": l2}, takes_reg
            )
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
    if best is None:
        first = results[tried[0].key][0]
        return MLPReport(
            UNDECIDED, label, f"could not get gradients from it: it {first.error}", notes=notes, seconds=seconds
        )
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
