"""What the user's source says, read with :mod:`ast` and never run: how to call the function, and which network.

The signature says how to call it (parameters as a dict ``params["W1"]`` / ``model['b2']`` /
``self.params``, or separately ``W1, b1, W2, b2``; ``X``, ``y``, ``reg``; a backward function's cache
from the file's forward pass), its return statement how to read what it returns (the roles of its names),
and its source which network it is (the hidden activation, the output, the L2 convention), which layout
(rows, or Andrew Ng's columns) and which labels (integers or one-hot).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..check.runner import without_magics
from ..check.usernames import role_of
from ..check.usersource import InputError, source_text
from ..parsing.pysource import parse_python
from .child import grad_role
from .faults import PARAMETERS

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


def read_tree(path: Path) -> ast.Module:
    """The file's syntax tree, read as ``check --python`` reads it (size-limited, notebook magics blanked)."""
    try:
        return parse_python(without_magics(source_text(path)), filename=str(path))
    except SyntaxError as exc:
        raise InputError(f"{path.name} line {exc.lineno}: {exc.msg}") from None


def functions_of(path: Path) -> list[str]:
    """The file's top-level functions and its classes' methods (``Class.method``), to name in an error."""
    tree = read_tree(path)
    known = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    known += [f"{n.name}.{m.name}" for n in tree.body if isinstance(n, ast.ClassDef) for m in n.body
              if isinstance(m, ast.FunctionDef) and not m.name.startswith("__")]  # fmt: skip
    return known


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
    tree = read_tree(path)
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


__all__ = ["Call", "Hints", "functions_of", "parameter_role", "read_call", "read_hints", "read_tree"]
