"""Run a user's NumPy gradient ``FILE:FUNCTION`` in a separate process, with a time limit.

The file is never imported here: its source is read with :mod:`ast` to find the
function and infer the calling convention from parameter names (theta/w/weights/
params, X/features, y/labels/targets, lam/lambda_/reg, m), or the call is given
(``grad(X, y, theta)``, read with ``ast`` too).  A small runner started with
``sys.executable -c`` imports the file, calls the function on every dataset in two
conventions (θ (n+1,), y (m,) and θ (n+1, 1), y (m, 1)), and hands the results back
through files in a temporary directory.  A crash, a hang or garbage output becomes
a one-line reason; unreadable input (no such file, a syntax error, no such
function, an unknown parameter) raises :class:`InputError`.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..parsing import ParseError
from .evaluate import Dataset

CONVENTIONS = {"flat": "θ of shape (n+1,) and y of shape (m,)", "column": "θ of shape (n+1, 1) and y of shape (m, 1)"}
ROLES = {
    "theta": ("theta", "w", "weights", "weight", "params", "parameters", "beta", "coef", "coefs", "coeffs", "thetas"),
    "X": ("x", "features", "data", "inputs", "xs", "x_train", "design", "design_matrix", "examples"),
    "y": ("y", "labels", "label", "targets", "target", "ys", "y_true", "y_train", "outputs"),
    "lam": (
        "lam",
        "lambda",
        "lmbda",
        "lmb",
        "lamda",
        "lamb",
        "reg",
        "reg_lambda",
        "lambda_reg",
        "l2",
        "reg_param",
        "regularization",
        "regularisation",
        "penalty",
    ),
    "m": ("m", "n_samples", "num_examples", "n_examples", "num_samples"),
}
_ALIAS = {alias: role for role, aliases in ROLES.items() for alias in aliases}


class InputError(ParseError):
    """Input we cannot read (a file, a function, a call): one line, exit code 2 in the CLI.

    >>> str(InputError("no function 'grad' in my_grad.py"))
    "no function 'grad' in my_grad.py"
    """


@dataclass(frozen=True)
class CallSpec:
    """How to call the user's function: each argument is ("role", name) or ("const", number).

    >>> spec = parse_call("grad(X, y, w, lambda_=lam)")
    >>> spec.function, spec.text()
    ('grad', 'grad(X, y, theta, lambda_=lam)')
    """

    function: str
    args: tuple[tuple[str, object], ...]
    kwargs: tuple[tuple[str, tuple[str, object]], ...] = ()

    def text(self) -> str:
        show = [_show(a) for a in self.args] + [f"{k}={_show(v)}" for k, v in self.kwargs]
        return f"{self.function}({', '.join(show)})"

    def roles(self) -> set[str]:
        return {v for kind, v in (*self.args, *(a for _, a in self.kwargs)) if kind == "role"}


@dataclass(frozen=True)
class CallError:
    """One call that failed: the one-line reason."""

    message: str


@dataclass(frozen=True)
class UserRun:
    """What the user's function returned: per convention, one array or :class:`CallError` per dataset.

    ``failure`` is set when nothing could be run (a timeout, a crash while importing the file).
    """

    label: str
    call: CallSpec
    results: dict[str, list[np.ndarray | CallError]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    failure: str | None = None
    seconds: float = 0.0


def split_spec(spec: str) -> tuple[Path, str | None]:
    """``FILE:FUNCTION`` (or just ``FILE``) as a path and a function name.

    >>> split_spec("my_grad.py:compute_grad")
    (PosixPath('my_grad.py'), 'compute_grad')
    >>> split_spec("my_grad.py")
    (PosixPath('my_grad.py'), None)
    """
    head, sep, tail = spec.rpartition(":")
    if sep and head and tail.isidentifier():
        return Path(head), tail
    return Path(spec), None


def parse_call(text: str) -> CallSpec:
    """Read ``--call "grad(X, y, theta)"`` with :mod:`ast` (never evaluated): names of our data or numbers.

    >>> parse_call("grad(theta, X, y, 0.5)").args[-1]
    ('const', 0.5)
    >>> parse_call("grad(X, foo)")
    Traceback (most recent call last):
    ...
    derivation.check.usercode.InputError: col 8: unknown name 'foo' in --call: use theta, X, y, lam, m or a number
    """
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise InputError(f"--call is not a call: {exc.msg}", max((exc.offset or 1) - 1, 0), text) from None
    node = tree.body
    shift = len(text) - len(text.lstrip())
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        raise InputError("--call must look like grad(X, y, theta)", shift, text)
    args = tuple(_call_argument(a, text, shift) for a in node.args)
    kwargs = []
    for keyword in node.keywords:
        if keyword.arg is None:
            raise InputError("'**' is not allowed in --call", shift + keyword.col_offset, text)
        kwargs.append((keyword.arg, _call_argument(keyword.value, text, shift)))
    return CallSpec(node.func.id, args, tuple(kwargs))


def _call_argument(node: ast.AST, text: str, shift: int) -> tuple[str, object]:
    if isinstance(node, ast.Name):
        role = _ALIAS.get(node.id.lower().rstrip("_")) or (node.id if node.id in ROLES else None)
        if role is None:
            message = f"unknown name '{node.id}' in --call: use theta, X, y, lam, m or a number"
            raise InputError(message, shift + node.col_offset, text)
        return ("role", role)
    value = node.operand if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) else node
    if isinstance(value, ast.Constant) and type(value.value) in (int, float):
        number = -value.value if value is not node else value.value
        return ("const", number)
    raise InputError("--call takes names (theta, X, y, lam, m) and numbers only", shift + node.col_offset, text)


def _show(argument: tuple[str, object]) -> str:
    return str(argument[1])


def infer_call(path: Path, function: str | None, call: str | None = None) -> CallSpec:
    """The call to make, from ``--call`` or from the parameter names of ``function`` in the file's source.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "g.py"
    >>> _ = f.write_text("def grad(w, features, labels, lambda_=0.0):\\n    return w\\n")
    >>> infer_call(f, "grad").text()
    'grad(theta, X, y, lambda_=lam)'
    """
    source = _read_source(path)
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        raise InputError(f"{path.name} line {exc.lineno}: {exc.msg}") from None
    if call is not None:
        spec = parse_call(call)
        if function is not None and spec.function != function:
            raise InputError(f"--call calls '{spec.function}' but the function given is '{function}'")
        function = spec.function
    if function is None:
        raise InputError(f'name the function: {path}:FUNCTION, or give --call "grad(theta, X, y)"')
    definition = _find_function(tree, function, path, call is not None)
    if call is not None:
        return spec
    return _call_from_signature(definition, path)


def _read_source(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None


def _find_function(tree: ast.Module, name: str, path: Path, have_call: bool) -> ast.FunctionDef | None:
    functions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for node in reversed(functions):  # the last definition wins, as at import
        if node.name == name:
            if isinstance(node, ast.AsyncFunctionDef):
                raise InputError(f"{name} in {path.name} is 'async def': give a plain function")
            return node
    assigned = {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    if name in assigned and have_call:
        return None
    if name in assigned:
        raise InputError(f"{name} in {path.name} is not a 'def': give the call, e.g. --call \"{name}(theta, X, y)\"")
    known = ", ".join(f.name for f in functions) or "none"
    raise InputError(f"no function '{name}' at the top level of {path.name} (its functions: {known})")


def _call_from_signature(node: ast.FunctionDef, path: Path) -> CallSpec:
    a = node.args
    positional = [*a.posonlyargs, *a.args]
    defaults = {p.arg for p in positional[len(positional) - len(a.defaults) :]}
    defaults |= {p.arg for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True) if d is not None}
    args: list[tuple[str, object]] = []
    kwargs: list[tuple[str, tuple[str, object]]] = []
    seen: dict[str, str] = {}
    for param, keyword in [*((p, False) for p in positional), *((p, True) for p in a.kwonlyargs)]:
        role = _ALIAS.get(param.arg.lower().rstrip("_"))
        if role is None:
            if param.arg in defaults:
                continue
            raise InputError(
                f"cannot tell what to pass as '{param.arg}' of {node.name}() in {path.name}: name it "
                f"theta/w/weights/params, X/features, y/labels/targets, lam/lambda_/reg or m, "
                f'or give --call "{node.name}(theta, X, y)"'
            )
        if role in seen:
            raise InputError(f"both '{seen[role]}' and '{param.arg}' of {node.name}() look like {role}: give --call")
        seen[role] = param.arg
        if keyword or param.arg in defaults:
            kwargs.append((param.arg, ("role", role)))
        else:
            args.append(("role", role))
    missing = [r for r in ("theta", "X", "y") if r not in seen]
    if missing:
        raise InputError(f"{node.name}() in {path.name} has no parameter for {', '.join(missing)}: give --call")
    return CallSpec(node.name, tuple(args), tuple(kwargs))


def run_user_function(
    spec: str,
    datasets: Sequence[Dataset],
    *,
    call: str | None = None,
    timeout: float = 10.0,
    lam: bool = True,
) -> UserRun:
    """Call the user's function on every dataset in both conventions, in a subprocess.

    ``lam`` False passes λ = 0 (a model without a penalty).  Raises :class:`InputError`
    for input we cannot read; a crash or a timeout is in ``failure`` or the results.

    >>> import tempfile, pathlib
    >>> from derivation.check.evaluate import make_datasets
    >>> from derivation.core.models import get_model
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "g.py"
    >>> _ = f.write_text("def grad(theta, X, y):\\n    return X.T @ (X @ theta - y) / len(y)\\n")
    >>> run = run_user_function(f"{f}:grad", make_datasets(get_model("linear")))
    >>> run.label, run.results["flat"][0].shape, run.failure
    ('grad(theta, X, y) from g.py', (2,), None)
    """
    path, function = split_spec(spec)
    call_spec = infer_call(path, function, call)
    label = f"{call_spec.text()} from {path.name}"
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="derivation-") as work:
        arrays = {}
        for index, d in enumerate(datasets):
            arrays |= {f"X{index}": d.X, f"y{index}": d.y, f"theta{index}": d.theta}
            arrays |= {f"lam{index}": np.array(d.lam if lam else 0.0), f"m{index}": np.array(d.m)}
        np.savez(Path(work, "data.npz"), **arrays)
        job = {
            "file": str(path.resolve()),
            "function": call_spec.function,
            "args": list(call_spec.args),
            "kwargs": [[k, list(v)] for k, v in call_spec.kwargs],
            "count": len(datasets),
            "conventions": list(CONVENTIONS),
        }
        Path(work, "job.json").write_text(json.dumps(job), encoding="utf-8")
        failure = _run_runner(work, timeout)
        seconds = time.perf_counter() - start
        if failure is not None:
            return UserRun(label, call_spec, failure=_failure_text(failure, work, datasets), seconds=seconds)
        return _collect(work, label, call_spec, datasets, seconds)


def _run_runner(work: str, timeout: float) -> str | None:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env.pop("PYTHONSTARTUP", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", _runner_source(), work],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=work,
        env=env,
        start_new_session=True,
    )
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        return f"timeout:{timeout:g}"
    if not Path(work, "report.json").exists():
        last = (err.decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
        return f"runner:{proc.returncode}:{last}"
    return None


def _runner_source() -> str:
    """The runner's source, given to ``python -c`` so that the child imports NumPy only, not this package."""
    return Path(__file__).with_name("runner.py").read_text(encoding="utf-8")


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.communicate()


def _failure_text(failure: str, work: str, datasets) -> str:
    kind, _, rest = failure.partition(":")
    if kind == "timeout":
        stage = Path(work, "stage")
        where = stage.read_text(encoding="utf-8") if stage.exists() else "starting"
        if where.startswith("call "):
            index = int(where.split()[2])
            d = datasets[index]
            where = f"calling it on dataset {index + 1} (m={d.m}, n={d.n}), {CONVENTIONS[where.split()[1]]}"
        elif where == "import":
            where = "importing the file"
        return f"timed out after {rest} s while {where}: an endless loop, or input it waits for?"
    code, _, last = rest.partition(":")
    if code.lstrip("-").isdigit() and int(code) < 0:
        return f"the process running it was killed by signal {-int(code)} ({last})"
    return f"the process running it failed (exit {code}): {last}"


def _collect(work: str, label: str, call_spec: CallSpec, datasets, seconds: float) -> UserRun:
    report = json.loads(Path(work, "report.json").read_text(encoding="utf-8"))
    if report.get("import"):
        return UserRun(label, call_spec, failure="importing the file " + _error_text(report["import"]), seconds=seconds)
    stored = np.load(Path(work, "out.npz"))
    results: dict[str, list[np.ndarray | CallError]] = {c: [] for c in CONVENTIONS}
    notes: list[str] = []
    for entry in report["calls"]:
        key = f"r_{entry['conv']}_{entry['d']}"
        if entry.get("error"):
            results[entry["conv"]].append(CallError(_error_text(entry["error"])))
        else:
            results[entry["conv"]].append(np.array(stored[key]))
        for what in entry.get("mutated", []):
            note = f"{call_spec.function} changes its argument {what} in place (e.g. theta[0] = 0 on an alias)"
            if note not in notes:
                notes.append(note)
        if entry.get("tuple") and entry["conv"] == "flat" and entry["d"] == 0:
            notes.append(f"{call_spec.function} returns a ({entry['tuple']}) pair: the gradient was taken from it")
    return UserRun(label, call_spec, results, tuple(notes), None, seconds)


def _error_text(error: dict) -> str:
    """One line: "raised NameError: … (file line 3, in f: source)" or "returned None: …"."""
    if error.get("returned"):
        return f"returned {error['returned']}"
    text = f"raised {error['type']}: {error['message']}" if error.get("message") else f"raised {error['type']}"
    where = error.get("where")
    if where:
        text += f" ({where['file']} line {where['line']}, in {where['function']}"
        text += f": {where['source']})" if where.get("source") else ")"
    if error.get("hint"):
        text += f"; {error['hint']}"
    return text


__all__ = [
    "CONVENTIONS",
    "ROLES",
    "CallError",
    "CallSpec",
    "InputError",
    "UserRun",
    "infer_call",
    "parse_call",
    "run_user_function",
    "split_spec",
]
