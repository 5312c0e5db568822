"""The child side of :mod:`derivation.check.usercode`, run as ``python -c SOURCE WORKDIR``.

It imports NumPy and the user's file only (never this package), calls the function
on every dataset of ``data.npz`` as ``job.json`` says, in both conventions, and
writes ``report.json`` and ``out.npz``.  ``stage`` records what it is doing, so that
a timeout can say where.  Importing this module runs nothing.
"""

import json
import os
import sys
import traceback


def describe(exc, path):
    """A failure as plain data: type, message, the last line of the user's file it passed through, a hint."""
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if os.path.abspath(f.filename) == path]
    where = None
    if isinstance(exc, SyntaxError) and exc.filename and os.path.abspath(exc.filename) == path:
        where = {"file": os.path.basename(path), "line": exc.lineno, "function": "<module>", "source": ""}
    elif mine:
        f = mine[-1]
        where = {"file": os.path.basename(path), "line": f.lineno, "function": f.name, "source": (f.line or "")[:120]}
    hint = None
    if isinstance(exc, NameError) and getattr(exc, "name", None) == "np":
        with open(path, encoding="utf-8") as f:
            source = f.read()
        if "import numpy" in source and "import numpy as np" not in source:
            hint = "the file imports numpy as 'numpy' but uses 'np': write 'import numpy as np'"
    return {"type": type(exc).__name__, "message": " ".join(str(exc).split())[:300], "where": where, "hint": hint}


def as_gradient(result, np, entry):
    """The array in ``result`` (a (cost, grad) pair is recognised), or None with entry["error"] set."""
    if isinstance(result, (tuple, list)) and len(result) == 2:
        try:
            sizes = [np.size(r) for r in result]
        except Exception:
            sizes = [0, 0]
        if sizes[0] == 1 and sizes[1] > 1:
            result, entry["tuple"] = result[1], "cost, grad"
        elif sizes[1] == 1 and sizes[0] > 1:
            result, entry["tuple"] = result[0], "grad, cost"
    if result is None:
        entry["error"] = {"returned": "None: is a return statement missing?"}
        return None
    try:
        array = np.asarray(result)
        if array.dtype.kind not in "biuf":
            raise TypeError(array.dtype)
        return array.astype(float)
    except Exception:
        entry["error"] = {"returned": f"a {type(result).__name__}, not an array of numbers"}
        return None


def main(work):
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
    try:
        import importlib.util

        spec = importlib.util.spec_from_file_location("user_gradient", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["user_gradient"] = module
        spec.loader.exec_module(module)
        fn = getattr(module, job["function"])
        if not callable(fn):
            raise TypeError(job["function"] + " is not a function")
    except BaseException as exc:  # SystemExit and KeyboardInterrupt from user code are reports too
        report["import"] = describe(exc, path)
        finish()
        return

    def value(arg, values):
        kind, v = arg
        return values[v] if kind == "role" else v

    for conv in job["conventions"]:
        for d in range(job["count"]):
            theta, X, y = data[f"theta{d}"].copy(), data[f"X{d}"].copy(), data[f"y{d}"].copy()
            if conv == "column":
                theta, y = theta.reshape(-1, 1), y.reshape(-1, 1)
            values = {"theta": theta, "X": X, "y": y, "lam": float(data[f"lam{d}"]), "m": int(data[f"m{d}"])}
            before = {k: values[k].copy() for k in ("theta", "X", "y")}
            entry = {"conv": conv, "d": d}
            report["calls"].append(entry)
            stage(f"call {conv} {d}")
            args = [value(a, values) for a in job["args"]]
            kwargs = {k: value(a, values) for k, a in job["kwargs"]}
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:
                entry["error"] = describe(exc, path)
                continue
            entry["mutated"] = [k for k in before if not np.array_equal(before[k], values[k])]
            array = as_gradient(result, np, entry)
            if array is not None:
                out[f"r_{conv}_{d}"] = array
    finish()


if __name__ == "__main__" and len(sys.argv) == 2 and os.path.isdir(sys.argv[1]):
    main(sys.argv[1])
