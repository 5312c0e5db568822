"""The box's side of ``check mlp``: the functions that run in the child, and the source that ships them.

They run in :mod:`derivation.check.box`'s box, started as ``python -c SOURCE WORKDIR`` so that the
child imports NumPy and the user's file only, never this package.  :func:`box_source` runs the source
of :mod:`derivation.check.runner` as a module named ``runner`` there (not as ``__main__``: its own main
stays still), then these functions, whose ``runner.…`` are that module's, as they are
:mod:`derivation.check.runner`'s here; its :func:`~derivation.check.runner.supervise` runs
:func:`child_main`.  They take ``np`` as an argument and use only json, os, sys and ``runner``.
"""

import inspect
from functools import cache
from pathlib import Path

from ..check import runner


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
    session = runner.Session(work)
    np, job, data, report, out = session.np, session.job, session.data, session.report, session.out
    stage, finish = session.stage, session.finish
    path = job["file"]
    stage("import")
    loaded, copy = runner.import_user(path, work, job, report)
    if loaded is None:
        finish()
        return
    module, owner, fn = loaded

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
                if job["forward"]:  # backward(parameters, cache, X, Y): the file's forward pass makes the cache
                    name, f_args, f_kwargs = job["forward"]
                    made = getattr(module, name)(
                        *[value(a, values) for a in f_args], **{k: value(a, values) for k, a in f_kwargs}
                    )
                    values["cache"] = made[-1] if isinstance(made, tuple) else made
                target, args, kwargs = runner.prepared_call(fn, owner, job, values, value)
                seconds = job["call_seconds"] if len(report["calls"]) > 1 else job["first_call_seconds"]
                with runner.Budget(seconds):
                    result = target(*args, **kwargs)
            except BaseException as exc:
                entry["error"] = runner.describe(exc, path, copy) | {"call": True}
                if isinstance(exc, MemoryError):
                    report["memory"] = True
                    finish()
                    return
                if isinstance(exc, runner.OutOfTime):  # one hang per convention is enough
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


CHILD = (grad_role, child_values, child_extract, describe_return, child_main)


@cache
def box_source() -> str:
    """What ``python -c`` runs: the runner as the module ``runner``, :data:`CHILD`, and supervise(…, child_main)."""
    source = Path(runner.__file__).read_text(encoding="utf-8")
    ours = "\n\n".join(inspect.getsource(f) for f in CHILD)
    return (
        "import json\nimport os\nimport sys\nimport types\n\n"
        'runner = types.ModuleType("runner")\n'
        f'exec(compile({source!r}, "<runner>", "exec"), vars(runner))\n\n\n'
        f"{ours}\n\n"
        'if __name__ == "__main__" and len(sys.argv) == 2 and os.path.isdir(sys.argv[1]):\n'
        "    runner.supervise(sys.argv[1], child_main)\n"
    )


__all__ = ["CHILD", "box_source", "child_main", "grad_role"]
