"""A function that trains instead of returning a gradient: ``fit(self, X, y)`` whose loop updates the weights.

Such a function takes no θ and returns nothing to check; what the user can check is the gradient its loop
uses: a method or function it calls (``dw, db = self._gradient(X, y)``), or the locals it computes in the loop
(``dw = …``), which then have to go into a function of their own.  This module reads the source only (ast).
"""

from __future__ import annotations

import ast

_DESCENT = (ast.Sub, ast.Add)


def training_message(node: ast.FunctionDef, where: str, file: str, owner: str | None) -> str | None:
    """The one-line refusal for ``node`` when its loop updates weights by a gradient (θ −= α·g); else None.

    ``where`` names it (Class.fit), ``file`` is the file's name, ``owner`` the class (for the --python to suggest).

    >>> tree = ast.parse(
    ...     "def fit(X, y):\\n    w = 0\\n    for _ in range(9):\\n        g = X.T @ (X @ w - y)\\n"
    ...     "        w -= 0.1 * g\\n    return w"
    ... )
    >>> training_message(tree.body[0], "fit", "f.py", None).split("; ")[0]
    'fit() in f.py trains: its loop updates w (line 5: w -= 0.1 * g), and returns no gradient'
    """
    for loop in (n for n in ast.walk(node) if isinstance(n, (ast.For, ast.While))):
        updates = [u for u in ast.walk(loop) if _update(u) is not None]
        if not updates:
            continue
        targets = list(dict.fromkeys(ast.unparse(_update(u)[0]) for u in updates))
        steps = list(dict.fromkeys(s for u in updates for s in _update(u)[1]))
        first = updates[0]
        said = f"{where}() in {file} trains: its loop updates {' and '.join(targets)} (line {first.lineno}: "
        said += f"{ast.unparse(first)})"
        said += ", and returns no gradient"
        made = _made_by_call(loop, steps)
        if made is not None:
            call, line = made
            name = _called_name(call)
            target = f"{owner}.{name}" if owner and _on_self(call) else name
            took = f"it takes the gradient from {ast.unparse(call)} (line {line})"
            return f"{said}; {took}: check that: --python {file}:{target}"
        lines = [a.end_lineno for a in ast.walk(loop) if isinstance(a, ast.Assign) and _assigns(a, steps)]
        start = loop.body[0].lineno
        at = f" (lines {start}–{max(lines)})" if lines and max(lines) > start else f" (line {start})" if lines else ""
        names = ", ".join(steps) if steps else "the step"
        shown = "self, X, y" if owner else ("w, b, X, y" if len(targets) > 1 else "w, X, y")
        local = "local" + ("s" if len(steps) > 1 else "")
        return (
            f"{said}; its gradient is the {local} {names} computed in the loop{at}: put those lines in a function "
            f"that returns {names}, e.g. def gradient({shown}): … return {names}, and check that one"
        )
    return None


def _update(node: ast.AST) -> tuple[ast.AST, list[str]] | None:
    """(the target, the names in its step) of ``w -= lr * dw`` or ``w = w - lr * dw``; None for anything else."""
    if isinstance(node, ast.AugAssign) and isinstance(node.op, _DESCENT) and isinstance(node.value, ast.BinOp):
        return node.target, _step_names(node.value)
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.BinOp):
        value, target = node.value, ast.unparse(node.targets[0])
        if isinstance(value.op, _DESCENT) and ast.unparse(value.left) == target and isinstance(value.right, ast.BinOp):
            return node.targets[0], _step_names(value.right)
    return None


def _step_names(step: ast.BinOp) -> list[str]:
    """The gradient's names in a step α·g (g·α, α * g / m): the plain names that are not a rate's."""
    if not isinstance(step.op, (ast.Mult, ast.Div)):
        return []
    names = [n.id for n in ast.walk(step) if isinstance(n, ast.Name) and n.id != "self"]
    return [n for n in names if n.lower() not in _RATES]


_RATES = {"lr", "alpha", "eta", "learning_rate", "step", "step_size", "rate", "m", "n_samples", "lam", "lambda_"}


def _assigns(node: ast.Assign, names: list[str]) -> bool:
    targets = [t for n in node.targets for t in ast.walk(n) if isinstance(t, ast.Name)]
    return any(t.id in names for t in targets)


def _made_by_call(loop: ast.AST, steps: list[str]) -> tuple[ast.Call, int] | None:
    """The call whose result the step names are (dw, db = self._gradient(X, y)), with its line; None if computed."""
    for node in ast.walk(loop):
        if isinstance(node, ast.Assign) and _assigns(node, steps) and isinstance(node.value, ast.Call):
            if _called_name(node.value) not in _NUMPY:
                return node.value, node.lineno
    return None


_NUMPY = {"dot", "sum", "mean", "matmul", "array", "zeros", "ravel", "reshape", "exp", "clip"}


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _on_self(call: ast.Call) -> bool:
    func = call.func
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"


__all__ = ["training_message"]
