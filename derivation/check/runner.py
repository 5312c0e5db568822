"""The child side of :mod:`derivation.check.usercode`, run as ``python -c SOURCE WORKDIR``.

It imports NumPy and the user's file only (never this package), calls the function on
every dataset of ``data.npz`` under every convention ``job.json`` lists (intercept, shapes,
labels), and writes ``report.json`` and ``out.npz``.  Results keep the dtype the function
returns (float32 stays float32, so the verdict can use single-precision tolerances).
``stage`` records what it is doing, so that a timeout can say where.  Importing this
module runs nothing: :mod:`derivation.nets.child` reuses its :func:`import_user`, :func:`Budget`
and :func:`supervise` with a main of its own.
"""

import json
import os
import sys
import traceback

GRAD_KEYS = ("grad", "gradient", "grads", "gradients", "dtheta", "d_theta", "dj_dtheta", "dj", "g", "dw", "d_w")
W_KEYS = ("dw", "d_w", "dj_dw", "grad_w", "dweights", "dweight", "dtheta", "grad", "gradient")
B_KEYS = ("db", "d_b", "dj_db", "grad_b", "dbias", "dintercept", "db0")
COST_KEYS = ("cost", "loss", "j", "objective", "value", "f", "l", "nll", "fun")


def describe(exc, path, copy=None):
    """A failure as plain data: type, message, the last line of the user's file it passed through, a hint.

    ``copy`` is the file's definitions-only copy (same lines), whose frames are the file's too.
    """
    frames = traceback.extract_tb(exc.__traceback__)
    ours = {path, copy}
    mine = [f for f in frames if os.path.abspath(f.filename) in ours]
    where = None
    if isinstance(exc, SyntaxError) and exc.filename and os.path.abspath(exc.filename) in ours:
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
    if isinstance(exc, ModuleNotFoundError) and getattr(exc, "name", None):
        hint = missing_module(exc.name)
    out = {"type": type(exc).__name__, "message": " ".join(str(exc).split())[:300], "where": where, "hint": hint}
    if isinstance(exc, OutOfTime):
        out["timeout"] = exc.args[0]
    return out


# import name → the package that installs it, where they differ (CS231n's py2 shim: from past.builtins import xrange)
_INSTALLS = {"past": "future", "sklearn": "scikit-learn", "cv2": "opencv-python", "PIL": "pillow", "yaml": "pyyaml"}


def missing_module(name):
    """What to do about ``import name`` that found nothing (tester 14 c19, c23a): install it, or make it importable.

    >>> missing_module("past.builtins")[:44]
    "module 'past' is not installed for the Pytho"
    """
    top = name.split(".")[0]
    install = _INSTALLS.get(top, top)
    return (
        f"module '{top}' is not installed for the Python derivation runs with ({sys.executable}), nor is there a "
        f"{top}.py or {top}/ beside the file, above its package, in the working directory or on PYTHONPATH: "
        f"install it (pip install {install}), or run derivation from the folder your imports start at"
    )


def lookup(mapping, keys):
    """The value under the first of ``keys`` in a dict, compared without case; else None."""
    lowered = {str(k).lower(): v for k, v in mapping.items()}
    for key in keys:
        if key in lowered:
            return key, lowered[key]
    return None, None


def is_scalar(value, np):
    try:
        return np.size(value) == 1
    except Exception:
        return False


def from_container(result, np, size, entry, returned=(), step=False):
    """The gradient in a (cost, grad) tuple or a {"grad": …} dict; the result itself otherwise.

    ``step``: the function takes one descent step, so what is taken is θ after it (with its cost history).
    """
    taken, short = ("θ after the step", "θ") if step else ("the gradient", "grad")
    if isinstance(result, dict):
        key, value = lookup(result, GRAD_KEYS)
        if key is None:
            return result
        entry["took"] = f"a dict: {taken} was taken from its entry '{key}'"
        _, cost = lookup(result, COST_KEYS)
        keep_cost(cost, np, entry)
        return from_container(value, np, size, {}) if isinstance(value, (dict, tuple)) else value
    if not isinstance(result, tuple) and not (isinstance(result, list) and not all(is_scalar(r, np) for r in result)):
        return result
    if all(is_scalar(r, np) for r in result):
        return result
    parts = list(result)
    for index, part in enumerate(parts):
        if isinstance(part, dict):
            entry["took"] = f"a tuple with a dict in place {index + 1}: {taken} was taken from the dict"
            return from_container(part, np, size, {}, step=step)
    sizes = [np.size(p) if not isinstance(p, (tuple, list, dict)) else -1 for p in parts]
    chosen = next((i for i, s in enumerate(sizes) if s == size), None)
    if chosen is None:
        chosen = next((i for i, s in enumerate(sizes) if s > 1), 0)
    names = [short if i == chosen else ("cost" if sizes[i] == 1 else "…") for i in range(len(parts))]
    if names.count("cost") == 1 and cost_named(returned, len(parts), names.index("cost")):
        keep_cost(parts[names.index("cost")], np, entry)
    what = "pair" if len(parts) == 2 else "tuple"
    entry["took"] = f"a ({', '.join(names)}) {what}: {taken} was taken from it"
    return parts[chosen]


def keep_cost(value, np, entry):
    """The cost returned beside the gradient, as one float in ``entry["cost"]`` (checked too)."""
    try:
        if value is not None and np.size(value) == 1:
            entry["cost"] = float(np.asarray(value, dtype=float).reshape(-1)[0])
    except Exception:  # not a number: the cost is not checked
        pass


def cost_named(returned, size, index):
    """Whether the number at ``index`` of a returned tuple is its cost: named so (J, cost, loss), or, unnamed, first."""
    if len(returned) != size:
        return index == 0  # return J, grad: a number after the gradient may be db or a count
    name = returned[index].lower()
    return name in COST_KEYS or name.startswith(("j_", "cost", "loss")) or name.endswith(("_cost", "_loss"))


def by_name(names, size):
    """Where dw and db stand in a returned tuple, from its names (return dj_dw, dj_db); None if unclear."""
    if len(names) != size:
        return None
    lowered = [n.lower() for n in names]
    w = [i for i, n in enumerate(lowered) if n in W_KEYS or "dw" in n or n.endswith("_w")]
    b = [i for i, n in enumerate(lowered) if n in B_KEYS or "db" in n or n.endswith("_b")]
    return (w[0], b[0]) if len(w) == 1 and len(b) == 1 and w != b else None


def split_parts(result, np, n, entry, places=None, names=(), named=True, returned=(), joined=()):
    """(dw, db) from what a function of (w, b) returned: a tuple with or without the cost, or a dict.

    ``places`` remembers where dw and db stood in the tuple on a dataset with n > 1, where they
    cannot be confused; with one feature dw and db are both one number, told apart by the ``names``
    the source returns (``return dj_dw, dj_db``; ``named`` False: the order a convention tries).
    ``joined``: the names the source joins into the one vector it returns (np.append(dw, db)), in order.
    """
    if isinstance(result, dict):
        wkey, dw = lookup(result, W_KEYS)
        bkey, db = lookup(result, B_KEYS)
        if wkey is not None and bkey is not None:
            entry["took"] = f"a dict: ∇ assembled as ('{bkey}', '{wkey}'), θ₀ = b first"
            return dw, db
        for value in result.values():
            if isinstance(value, dict):
                return split_parts(value, np, n, entry, places)
        return None, f"a dict without dw and db entries (its keys: {', '.join(map(str, result))[:80]})"
    if not isinstance(result, (tuple, list)):
        return joined_parts(result, np, n, entry, joined)
    parts = list(result)
    for part in parts:
        if isinstance(part, dict):
            return split_parts(part, np, n, entry, places)
    if places is not None and places.get(len(parts)):
        w, b = places[len(parts)]
        return keep_third(parts, w, b, np, entry, returned)
    found = by_name(names, len(parts)) if all(is_scalar(p, np) for p in parts) else None
    if found is not None:
        w, b = found
        labels = ["dw" if i == w else "db" if i == b else "cost" for i in range(len(parts))]
        how = ", by the names it returns" if named else ""
        entry["took"] = f"a ({', '.join(labels)}) tuple{how}: ∇ assembled as (db, dw), θ₀ = b first"
        return keep_third(parts, w, b, np, entry, returned)
    arrays = [i for i, p in enumerate(parts) if np.ndim(p) >= 1 and np.size(p) == n]
    if not arrays:
        arrays = [i for i, p in enumerate(parts) if np.size(p) > 1]
    if not arrays:
        return None, f"a tuple of {len(parts)} numbers where (dw, db) was expected"
    w = arrays[0]
    before = [i for i in range(w) if is_scalar(parts[i], np)]
    b = w + 1 if w + 1 < len(parts) else (before[-1] if before else None)  # (dw, db[, cost]) or (cost, dw, db)
    if b is None:
        return None, f"a tuple with dw but no db ({len(parts)} entries)"
    if places is not None and n > 1:
        places[len(parts)] = (w, b)
    names = ["dw" if i == w else "db" if i == b else "cost" for i in range(len(parts))]
    entry["took"] = f"a ({', '.join(names)}) tuple: ∇ assembled as (db, dw), θ₀ = b first"
    return keep_third(parts, w, b, np, entry, returned)


def joined_parts(result, np, n, entry, joined):
    """(dw, db) from one flat vector of n + 1 numbers the source joins in a known order (np.append(dw, db))."""
    what = f"a {type(result).__name__} where (dw, db) was expected"
    flat = np.ndim(result) == 1 and np.size(result) == n + 1
    found = by_name(joined, 2)
    if not flat:
        return None, what
    if found is None:
        return None, f"{what}: one vector of n+1 numbers, and its source does not say which is db"
    if found[1] == 0:
        entry["took"] = f"one vector [{joined[0]}, {joined[1]}…] (db first): θ₀ = b first"
        return result[1:], result[0]
    entry["took"] = f"one vector [{joined[0]}…, {joined[1]}] (db last): ∇ assembled as (db, dw), θ₀ = b first"
    return result[:-1], result[-1]


def keep_third(parts, w, b, np, entry, returned=()):
    """(dw, db) from a tuple, and its one other number kept to be checked when the source names it the cost
    (``return loss, dw, db``): unnamed, it may be a count or a step size."""
    others = [i for i in range(len(parts)) if i not in (w, b)]
    if len(others) == 1 and is_scalar(parts[others[0]], np) and len(returned) == len(parts):
        if cost_named(returned, len(parts), others[0]):
            keep_cost(parts[others[0]], np, entry)
    return parts[w], parts[b]


def assemble(dw, db, np):
    """θ's gradient from dw and db, θ₀ = b first, in dw's orientation and dtype."""
    dw, db = np.asarray(dw), np.asarray(db)
    dtype = dw.dtype if dw.dtype.kind == "f" else (db.dtype if db.dtype.kind == "f" else np.dtype(float))
    flat = np.concatenate([db.reshape(-1).astype(dtype), dw.reshape(-1).astype(dtype)])
    if db.size == 1 and dw.ndim == 2 and dw.shape[1] == 1:
        return flat.reshape(-1, 1)
    if db.size == 1 and dw.ndim == 2 and dw.shape[0] == 1 and dw.shape[1] > 1:
        return flat.reshape(1, -1)
    return flat


def stepped(array, theta, alpha, entry, np):
    """The gradient from θ after one descent step: ∇ = (θ − θ_new)/α (θ in its order, the bias first)."""
    if array.size != theta.size:
        entry["error"] = {"returned": f"{array.size} numbers where θ after a step has {theta.size}"}
        return None
    return ((theta.reshape(array.shape) - array.astype(float)) / alpha).astype(array.dtype)


def as_array(result, np, entry):
    """An array of numbers, keeping a floating dtype (integers become float64); None with entry["error"] set."""
    if result is None:
        entry["error"] = {"returned": "None: is a return statement missing?"}
        return None
    try:
        array = np.asarray(result)
    except Exception:
        array = None
    if array is not None and array.dtype.kind == "c":  # a gradient of real costs is real: say what came back
        entry["error"] = {
            "returned": "a complex array: a gradient of a real cost is real (a stray 1j, or np.sqrt of a negative?)"
        }
        return None
    if array is None or array.dtype.kind not in "biuf":
        entry["error"] = {"returned": f"a {type(result).__name__}, not an array of numbers"}
        return None
    return array if array.dtype.kind == "f" else array.astype(float)


def class_assemble(dw, db, weights, coef, np):
    """∇W from dW (W without its bias row, shaped as ``weights`` was passed) and db, the bias row's gradient:
    (n+1, K) with db as row 0, or, ``coef`` (W as scikit-learn's coef_ (K, n)), (K, n+1) with db as column 0.
    Parts of another size come back flattened, for the judge to say the shape is wrong."""
    K = weights.shape[0] if coef else weights.shape[1]
    if np.size(dw) != weights.size or np.size(db) != K:
        return np.concatenate([np.reshape(db, -1), np.reshape(dw, -1)])
    dw, db = np.reshape(dw, weights.shape), np.reshape(db, -1).astype(dw.dtype)
    return np.concatenate([db[:, None], dw], axis=1) if coef else np.concatenate([db[None, :], dw], axis=0)


def gradient(result, np, values, intercept, entry, places, names=(), named=True, returned=(), step=False, joined=()):
    if intercept == "split" and is_scalar(result, np) and not isinstance(result, (tuple, list, dict)):
        return as_array(result, np, entry)  # one number: a cost, not (dw, db); the judge says which
    if intercept == "split":
        dw, db = split_parts(result, np, values["theta"].size, entry, places, names, named, returned, joined)
        if dw is None:
            entry["error"] = {"returned": db}
            return None
        parts = [as_array(p, np, entry) for p in (dw, db)]
        if any(p is None for p in parts):
            return None
        if values.get("coef") is not None:  # a model over W with a separate bias b: db is W's bias row
            entry["took"] = "a (dW, db) pair: ∇W assembled with db as its bias row"
            return class_assemble(*parts, values["theta"], values["coef"], np)
        return assemble(*parts, np)
    array = as_array(from_container(result, np, values["theta"].size, entry, returned, step), np, entry)
    if isinstance(values["theta"], np.matrix) and array is not None and array.size == values["theta"].size:
        array = array.reshape(-1)  # θ was a (1, p) np.matrix: its gradient as a row or a column is θ's
    if intercept == "appended" and array is not None and array.size == values["theta"].size:
        flat = array.reshape(-1)
        array = np.concatenate([flat[-1:], flat[:-1]]).reshape(array.shape)  # θ's order: the bias first
    return array


def class_arguments(data, d, attempt, np):
    """A model over W: W (n+1, K) or its transpose, integer labels or one-hot Y, λ or CS231n's reg = λ/(2m)."""
    X, W = data[f"X{d}"].copy(), data[f"W{d}"].copy()
    b = None
    if attempt["intercept"] in ("added", "split"):
        X = np.ascontiguousarray(X[:, 1:])
    if attempt["intercept"] == "split":  # W without its bias row, and the bias row b (K,) apart (intercept_)
        W, b = np.ascontiguousarray(W[1:]), W[0].copy()
    if attempt["weights"] == "K,n+1":
        W = np.ascontiguousarray(W.T)
    y = data[f"y{d}"].astype(int) if attempt["labels"] == "integers" else data[f"Y{d}"].copy()
    lam, m = float(data[f"lam{d}"]), int(data[f"m{d}"])
    lam = {"reg": lam / (2 * m), "half": lam / m, "zero": 0.0}.get(attempt["reg"], lam)
    scores = data[f"X{d}"] @ data[f"W{d}"]
    coef = attempt["weights"] == "K,n+1" if b is not None else None
    return {"theta": W, "X": X, "y": y, "h": scores, "b": b, "lam": lam, "m": m, "coef": coef}


def arguments(data, d, attempt, np):
    """Our data for dataset ``d`` as ``attempt`` passes it: labels, intercept, shapes."""
    if attempt.get("weights"):
        return class_arguments(data, d, attempt, np)
    X, y, theta = data[f"X{d}"].copy(), data[f"y{d}"].copy(), data[f"theta{d}"].copy()
    h = X @ theta if attempt["hypothesis"] == "identity" else 1.0 / (1.0 + np.exp(-(X @ theta)))
    if attempt["labels"] == "signed":
        y = 2.0 * y - 1.0
    b = None
    if attempt["intercept"] in ("added", "appended", "split"):
        X = np.ascontiguousarray(X[:, 1:])
    if attempt["intercept"] == "appended":
        theta = np.concatenate([theta[1:], theta[:1]])  # the bias last, where its column of ones goes
    if attempt["intercept"] == "split":
        theta, b = theta[1:].copy(), float(theta[0])
    if attempt["layout"] == "column":
        theta, y, h = theta.reshape(-1, 1), y.reshape(-1, 1), h.reshape(-1, 1)
    elif attempt["layout"] == "np-matrix":
        X, y, theta, h = np.matrix(X), np.matrix(y.reshape(-1, 1)), np.matrix(theta), np.matrix(h.reshape(-1, 1))
    elif attempt["layout"] == "y-column":
        y, h = y.reshape(-1, 1), h.reshape(-1, 1)
    elif attempt["layout"] == "theta-column":
        theta, h = theta.reshape(-1, 1), h.reshape(-1, 1)
    elif attempt["layout"] == "by-column":
        X, theta, y, h = np.ascontiguousarray(X.T), theta.reshape(-1, 1), y.reshape(1, -1), h.reshape(1, -1)
    elif attempt["layout"].startswith("one-feature"):  # n = 1: x (m,), w a number (a NumPy scalar: it has .copy())
        X, theta = np.ascontiguousarray(X[:, 0]), np.float64(theta[0])
    values = {"theta": theta, "X": X, "y": y, "h": h, "b": b}
    steps = {"alpha": float(data[f"alpha{d}"]), "iters": 1} if f"alpha{d}" in data else {}
    lam = float(data[f"lamon{d}"] if attempt.get("reg") == "on" else data[f"lam{d}"])
    if attempt.get("reg") == "inverse":  # scikit-learn's C = 1/λ: no penalty is C = ∞
        lam = 1.0 / lam if lam else float("inf")
    return values | {"lam": lam, "m": int(data[f"m{d}"])} | steps


def one_example_each(values, np):
    """A function of one example (x_i 1-D, y_i a number), as SGD calls it: our values for each example in turn."""
    X, y, h = values["X"], values["y"], values["h"]
    return [values | {"X": X[k].copy(), "y": np.float64(y[k]), "h": np.float64(h[k])} for k in range(len(y))]


class OutOfTime(BaseException):  # BaseException: a user's "except Exception" does not swallow it
    pass


class Budget:
    """Raise :class:`OutOfTime` in the block after ``seconds`` (a file that trains a model when imported)."""

    def __init__(self, seconds):
        self.seconds = seconds

    def __enter__(self):
        import signal

        if self.seconds:
            signal.signal(signal.SIGALRM, self.expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def expire(self, *_):
        raise OutOfTime(self.seconds)

    def __exit__(self, *_):
        import signal

        if self.seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)
        return False


def preimport(path, folder):
    """The imports that open the file (installed packages), run before its import is timed: scipy.stats, sklearn or
    torch take seconds to import on a busy machine, which the budget for top-level script code is not meant for.

    Only the leading block of imports: after any other statement (sys.path.insert) an import may find another
    module.  A failing import is left for the file's own import to report (with its line); the box's limits hold.
    """
    import ast

    try:
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the module's docstring
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            break  # sys.path.insert(…) or any code may change what a later import finds: those stay the file's own
        if isinstance(node, ast.ImportFrom) and node.level:
            continue
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module]
        if any(os.path.exists(os.path.join(folder, name.split(".")[0] + ".py")) for name in names):
            continue  # the user's own module next to the file: its top-level code is timed with the file's
        try:
            exec(compile(ast.Module([node], []), path, "exec"), {})  # the user's own import line, in the box
        except BaseException:  # SystemExit too: the file's own import reports it, with its line
            pass


def load(path, job):
    """Import the file at ``path`` as the module user_gradient; the function (or the method's class) in it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("user_gradient", path)
    if spec is None:  # a notebook given as it is: check --python runs its code cells from a module of their own
        raise ImportError(f"{os.path.basename(path)} is not a Python module (.py)")
    module = importlib.util.module_from_spec(spec)
    sys.modules["user_gradient"] = module
    spec.loader.exec_module(module)
    owner = getattr(module, job["owner"]) if job["owner"] else None
    fn = getattr(owner if owner is not None else module, job["function"])
    if not callable(fn):
        raise TypeError(job["function"] + " is not a function")
    return module, owner, fn


def kept(node, ast, imported):
    """A top-level statement a module of definitions keeps: imports, defs, classes, constants, lambdas."""
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return True  # a docstring
    if isinstance(node, ast.Try):
        return all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in node.body)
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        return constant(node.value, ast, imported)
    return False


def constant(node, ast, imported):
    """A value that needs no data: numbers, strings, a lambda, np.float32 or np.exp (an imported name's attribute)."""
    if isinstance(node, (ast.Constant, ast.Lambda)):
        return True
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(constant(e, ast, imported) for e in node.elts)
    if isinstance(node, ast.UnaryOp):
        return constant(node.operand, ast, imported)
    if isinstance(node, ast.BinOp):
        return constant(node.left, ast, imported) and constant(node.right, ast, imported)
    if isinstance(node, ast.Attribute):
        return constant(node.value, ast, imported)
    return isinstance(node, ast.Name) and node.id in imported


def without_magics(source):
    """The source with notebook lines (``%matplotlib inline``, ``!pip install …``) blanked; line numbers kept."""
    lines = source.splitlines(keepends=True)
    return "".join("\n" if line.lstrip().startswith(("%", "!")) else line for line in lines)


def missing(node, ast):
    """An import of a module this machine does not have (google.colab, a course's grader)."""
    import importlib.util

    names = [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    for name in names:
        try:
            if importlib.util.find_spec(name.split(".")[0]) is None:
                return True
        except (ImportError, ValueError):
            return True
    return False


def definitions_copy(path, work):
    """The file with its top-level script statements blanked (line numbers kept), in ``work``; None if none."""
    import ast

    try:
        with open(path, encoding="utf-8") as f:
            original = f.read()
        source = without_magics(original)
        tree = ast.parse(source)
    except Exception:
        return None
    lines = source.splitlines(keepends=True)
    imported = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imported |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            imported.add(node.name)
    used = {}
    for node in tree.body:
        for line in range(node.lineno, node.end_lineno + 1):
            used[line] = used.get(line, 0) + 1
    dropped = source != original
    for node in tree.body:
        alone = all(used[line] == 1 for line in range(node.lineno, node.end_lineno + 1))
        if (
            not kept(node, ast, imported) or (isinstance(node, (ast.Import, ast.ImportFrom)) and missing(node, ast))
        ) and alone:
            for line in range(node.lineno - 1, node.end_lineno):
                lines[line] = "\n"
            dropped = True
    if not dropped:
        return None
    folder = os.path.join(work, "definitions")
    os.makedirs(folder, exist_ok=True)
    copy = os.path.join(folder, os.path.basename(path))
    with open(copy, "w", encoding="utf-8") as f:
        f.write("".join(lines))
    return copy


def import_user(path, work, job, report):
    """Import the user's file: ((module, the method's class or None, the function) or None, the definitions copy).

    Where the whole file fails (top-level script code: loading a data file, training, plotting), its definitions
    alone are loaded and ``report["whole"]`` says why.  None where nothing loads: ``report["import"]`` says why
    (and ``report["memory"]`` past the memory cap), or, with ``job["definitions_only"]``, the file has nothing to
    leave out (the report is left as it was).
    """
    folder = job.get("folder") or os.path.dirname(path)  # a notebook's code runs from a copy: the notebook's folder
    sys.path.insert(0, folder)
    sys.path.extend(p for p in importable_roots(folder, job.get("paths", ())) if p not in sys.path)
    copy = definitions_copy(path, work)
    alone = job.get("definitions_only")
    if alone and copy is None:
        return None, None
    preimport(path, folder)
    try:
        with Budget(job.get("import_seconds")):
            return load(copy if alone else path, job), copy
    except BaseException as exc:  # SystemExit and KeyboardInterrupt from user code are reports too
        report["import"] = describe(exc, path, copy)
        if isinstance(exc, MemoryError):  # past the memory cap (RLIMIT_DATA): nothing else is worth trying
            report["memory"] = True
            return None, copy
        if copy is None or alone:
            return None, copy
    try:
        loaded = load(copy, job)
    except BaseException:
        return None, copy
    report["whole"], report["import"] = report["import"], None
    return loaded, copy


def importable_roots(folder, paths=()):
    """Where else the user's imports may be found, after everything Python has (so never in place of numpy): the
    folder above the package the file is in (``from ex2_logistic_regression.sigmoid import sigmoid`` in
    ex2_logistic_regression/costFunctionReg.py, tester 14 c19), then ``paths`` (the user's working directory and
    PYTHONPATH, as ``python`` run there would see them).

    >>> import tempfile
    >>> root = tempfile.mkdtemp()
    >>> os.makedirs(os.path.join(root, "pkg", "sub"))
    >>> for d in ("pkg", os.path.join("pkg", "sub")):
    ...     open(os.path.join(root, d, "__init__.py"), "w").close()
    >>> importable_roots(os.path.join(root, "pkg", "sub")) == [root]
    True
    """
    roots = []
    top = os.path.abspath(folder)
    while os.path.isfile(os.path.join(top, "__init__.py")) and os.path.dirname(top) != top:
        top = os.path.dirname(top)
    if top != os.path.abspath(folder):
        roots.append(top)
    return roots + [p for p in paths if p and os.path.isdir(p) and p not in roots]


class Session:
    """What a child reads from the work folder (the job, the datasets) and writes back (the stage it is at,
    the arrays it got, the report), shared by this runner's main and any other child's (derivation.nets)."""

    def __init__(self, work):
        sys.path[:] = [p for p in sys.path if p not in ("", ".", work)]
        import numpy as np

        self.work, self.np = work, np
        with open(os.path.join(work, "job.json"), encoding="utf-8") as f:
            self.job = json.load(f)
        self.data = np.load(os.path.join(work, "data.npz"))
        self.report, self.out = {"calls": [], "import": None}, {}

    def stage(self, text):
        # written beside, then renamed: a kill between emptying the file and writing it left "timed out while : …"
        path = os.path.join(self.work, "stage")
        with open(path + ".new", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(path + ".new", path)

    def finish(self):
        self.np.savez(os.path.join(self.work, "out.npz"), **self.out)
        with open(os.path.join(self.work, "report.json"), "w", encoding="utf-8") as f:
            json.dump(self.report, f)


def main(work):
    session = Session(work)
    np, job, data, report, out = session.np, session.job, session.data, session.report, session.out
    stage, finish = session.stage, session.finish
    path = job["file"]
    stage("import")
    loaded, copy = import_user(path, work, job, report)
    if loaded is None:
        if report["import"] is not None:  # else nothing to leave out: no report, so the first run's failure stands
            finish()
        return
    module, owner, fn = loaded

    def value(arg, values):
        kind, v = arg
        if kind == "free":  # a parameter whose name says nothing: this attempt's order gives its role
            return values[values["order"][v]]
        return values[v] if kind == "role" else v

    widest_first = sorted(range(job["count"]), key=lambda d: -data[f"X{d}"].shape[1])  # (dw, db): see split_parts
    for attempt in job["attempts"]:
        places = {}
        passed = {}  # X as passed, by its values: the same X again is the same array, as a training loop passes it
        for d in widest_first if attempt["intercept"] == "split" else range(job["count"]):
            full = arguments(data, d, attempt, np) | {"order": attempt["order"], "step": bool(attempt.get("step"))}
            seen = (data[f"X{d}"].shape, data[f"X{d}"].tobytes())
            full["X"] = passed.setdefault(seen, full["X"])  # a cache keyed on id(X) meets its X again
            rows = one_example_each(full, np) if attempt["layout"] == "one-example" else [full]
            entry = {"key": attempt["key"], "d": d}
            report["calls"].append(entry)
            stage(f"call {attempt['key']} {d}")
            arrays = []
            for values in rows:
                before = {k: values[k].copy() for k in ("theta", "X", "y", "h")}
                try:
                    for name, arg in job["globals"]:  # names the function reads from its module: m, X, y, λ
                        setattr(module, name, value(arg, values))
                    target, args, kwargs = prepared_call(fn, owner, job, values, value)
                    seconds = job.get("call_seconds") if report["calls"][:-1] else job.get("first_call_seconds")
                    if seconds:  # budgets are for our tiny datasets (m ≤ 8): a loop over m = 257 rows takes longer
                        seconds *= max(1.0, int(data[f"m{d}"]) / 8)
                    with Budget(seconds):  # a loop that never ends under one convention only
                        result = target(*args, **kwargs)
                except BaseException as exc:
                    entry["error"] = describe(exc, path, copy) | {"call": True}
                    if isinstance(exc, MemoryError):
                        report["memory"] = True
                        finish()
                        return
                    break  # the other datasets would fail the same way under this convention
                entry["mutated"] = [k for k in before if not np.array_equal(before[k], values[k])]
                if attempt.get("step"):  # θ updated in place is what a descent step does
                    entry["mutated"] = [k for k in entry["mutated"] if k != "theta"]
                names = job.get("returns", ())
                named = bool(by_name(names, len(names)))
                if not named:  # unnamed: the layout says the order tried
                    names = {"one-feature": ("dw", "db"), "one-feature-db": ("db", "dw")}.get(attempt["layout"], ())
                returned = job.get("returns", ())
                step = bool(attempt.get("step"))
                joined = job.get("joined", ())
                array = gradient(
                    result, np, values, attempt["intercept"], entry, places, names, named, returned, step, joined
                )
                if array is not None and step:
                    array = stepped(array, data[f"theta{d}"], values["alpha"], entry, np)
                if array is None:
                    break
                arrays.append(array)
            if len(arrays) < len(rows):
                break
            if len(rows) > 1 or attempt["layout"] == "one-example":  # one row per example; its cost is one term's
                entry.pop("cost", None)
                out[f"r_{attempt['key']}_{d}"] = np.stack([np.asarray(a).reshape(-1) for a in arrays])
            else:
                out[f"r_{attempt['key']}_{d}"] = arrays[0]
    finish()


def prepared_call(fn, owner, job, values, value):
    """(what to call, its arguments, its keywords) with our data: ``fn``, or the method of an instance made
    without its constructor (it may need arguments or train a model) with the job's attributes set on it.

    ``value(argument, values)`` turns one of the job's arguments into data.
    """
    target = fn
    if owner is not None and not job.get("unbound"):
        instance = owner.__new__(owner)
        own = {} if values.get("step") else job.get("own", {})  # the class's own α where it takes no step
        for attr, arg in job["attributes"]:
            setattr(instance, attr, own[attr] if attr in own else value(arg, values))
        target = getattr(instance, job["function"])
    args = [value(a, values) for a in job["args"]]
    return target, args, {k: value(a, values) for k, a in job["kwargs"]}


def supervise(work, main=main):
    """The runner's first process: set the limits, run ``main`` in a child, reap, record its status.

    ``main(work)`` is the runner's own, or another child's (:mod:`derivation.nets.child`'s, which
    runs this module's source as a module of its own and passes its main here).

    The user's code runs in that child, so a signal it sends its parent (``os.getppid()``)
    reaches this process, not derivation.  Orphans of the user's code reparent here (a child
    subreaper), so derivation finds them in this tree and kills them.  See
    :mod:`derivation.check.box` for the limits.
    """
    import resource

    with open(os.path.join(work, "limits.json"), encoding="utf-8") as f:
        limits = json.load(f)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["output"], limits["output"]))
    resource.setrlimit(resource.RLIMIT_DATA, (limits["memory"], limits["memory"]))
    try:
        import ctypes

        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except Exception:
        pass
    child = os.fork()
    if child == 0:
        code = 0
        try:
            main(work)
        except BaseException:
            traceback.print_exc()
            code = 1
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:  # past the output cap
                pass
        os._exit(code)
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            return
        if pid == child:
            break
    code = {"signal": os.WTERMSIG(status)} if os.WIFSIGNALED(status) else {"exit": os.WEXITSTATUS(status)}
    with open(os.path.join(work, "status.json"), "w", encoding="utf-8") as f:
        json.dump(code, f)


if __name__ == "__main__" and len(sys.argv) == 2 and os.path.isdir(sys.argv[1]):
    supervise(sys.argv[1])
