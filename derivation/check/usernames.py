"""What the names in a user's gradient function mean: parameters, attributes on self, module-level names.

A parameter named ``theta``, ``w`` or ``initial_theta`` is θ; ``X``, ``features`` or ``X_b`` the
data; ``lambda_``, ``reg`` or ``C`` the penalty strength λ; ``b`` or ``bias`` a separate bias.
A method's attributes on ``self`` and a function's names read from its module (``m = len(y)``
at the top of a course script) are found with :mod:`ast` and given our data too.
"""

from __future__ import annotations

import ast

ROLES = {
    "theta": (
        "θ",
        "theta",
        "w",
        "weights",
        "weight",
        "params",
        "parameters",
        "beta",
        "coef",
        "coefs",
        "coeffs",
        "thetas",
    ),
    "X": ("x", "features", "data", "inputs", "xs", "x_train", "design", "design_matrix", "examples"),
    "y": ("y", "labels", "label", "targets", "target", "ys", "y_true", "y_train", "outputs"),
    "lam": (
        "λ",
        "lam",
        "lambda",
        "lambd",
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
        "reg_strength",
        "weight_decay",
        "alpha_reg",
        # the penalty strength spelt after its norm, as "from scratch" classes do: self.l2_penalty, reg_lambda
        "l2_penalty",
        "l2_reg",
        "l2_lambda",
        "lambda_l2",
        "l2_strength",
        "l2_coef",
        "l2_alpha",
        "penalty_strength",
        "regularization_strength",
        "reg_coef",
        "reg_rate",
        "ridge_lambda",
        "c",
    ),
    "b": ("b", "bias", "intercept", "b0"),
    "h": (
        "h",
        "y_hat",
        "yhat",
        "y_pred",
        "ypred",
        "y_predicted",
        "predictions",
        "preds",
        "probs",
        "probabilities",
        "hypothesis",
    ),
    "m": ("m", "n_samples", "num_examples", "n_examples", "num_samples"),
    # gradient descent: its step size and its number of steps (one step is run: ∇ = (θ − θ_returned)/α)
    "alpha": ("alpha", "lr", "learning_rate", "learningrate", "eta", "step_size", "stepsize", "rate"),
    "iters": (
        "num_iters",
        "iterations",
        "n_iters",
        "iters",
        "num_iterations",
        "n_iterations",
        "n_iter",
        "max_iter",
        "max_iters",
        "epochs",
        "n_epochs",
        "num_epochs",
        "num_steps",
        "n_steps",
        "steps",
        "niter",
    ),
}
_ALIAS = {alias: role for role, aliases in ROLES.items() for alias in aliases}
Argument = tuple[str, object]  # ("role", "theta") or ("const", 0.5)


def role_of(name: str, exact: bool = False) -> str | None:
    """The role a parameter name plays: exact aliases first, then the first or last word between underscores.

    >>> role_of("lambda_"), role_of("X_b"), role_of("theta_init"), role_of("alpha"), role_of("gamma")
    ('lam', 'X', 'theta', 'alpha', None)
    >>> role_of("initial_theta"), role_of("_lambda"), role_of("train_y"), role_of("Xb")
    ('theta', 'lam', 'y', 'X')
    """
    key = name.lower().strip("_")
    if key in _ALIAS:
        return _ALIAS[key]
    if key in ("xb", "xmat", "x1", "xs_b", "x_bias", "xtrain"):
        return "X"
    parts = [p for p in key.split("_") if p]
    for part in (parts[0], parts[-1]) if len(parts) > 1 and exact is False else ():
        if _ALIAS.get(part) in ("theta", "X", "y", "lam") and part != "c":  # not fit_intercept, add_bias
            return _ALIAS[part]
    return None


def class_methods(cls: ast.ClassDef) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)}


def self_attributes(cls: ast.ClassDef, method: ast.FunctionDef) -> list[tuple[str, Argument]]:
    """What to set on an instance made without its constructor: the attributes ``method`` reads from self.

    Attributes named like a role get our data; others get the constant the constructor gives them.
    """
    found = class_methods(cls)
    read, stored, todo, done = [], set(), [method], set()
    while todo:
        node = todo.pop()
        if node.name in done:
            continue
        done.add(node.name)
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id == "self":
                if sub.attr in found:
                    todo.append(found[sub.attr])
                elif isinstance(sub.ctx, ast.Store):
                    stored.add(sub.attr)
                elif sub.attr not in read:
                    read.append(sub.attr)
    constants = constructor_constants(found.get("__init__"))
    out: list[tuple[str, Argument]] = []
    for attr in read:
        if attr in stored:
            continue
        role = role_of(attr, exact=True)
        if role is not None and role != "m":
            out.append((attr, ("role", role)))
        elif attr in constants:
            out.append((attr, ("const", constants[attr])))
    return out


def constructor_constants(init: ast.FunctionDef | None) -> dict[str, object]:
    """``self.name = <literal>`` and ``self.name = param`` (with a literal default) in ``__init__``."""
    if init is None:
        return {}
    a = init.args
    params = [*a.posonlyargs, *a.args]
    defaults = {}
    for p, d in zip(params[len(params) - len(a.defaults) :], a.defaults, strict=True):
        defaults[p.arg] = d
    defaults |= {p.arg: d for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True) if d is not None}
    out = {}
    for node in ast.walk(init):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"):
            continue
        value = defaults.get(node.value.id) if isinstance(node.value, ast.Name) else node.value
        try:
            literal = ast.literal_eval(value) if value is not None else None
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            continue
        if isinstance(literal, (int, float, str, bool)) or literal is None:
            out[target.attr] = literal
    return out


def module_roles(node: ast.FunctionDef, tree: ast.Module) -> list[tuple[str, str]]:
    """Module-level names the function (or a function of the file it calls) reads, named like our data.

    ``m = len(y)`` at the top of a course script, or ``def cost(theta)`` reading X and y from
    the module (scipy.optimize style): we set them to our data before each call.  Exact names only.
    """
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    defined = set(functions) | {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    for n in tree.body:
        if isinstance(n, (ast.Import, ast.ImportFrom)):
            defined |= {(a.asname or a.name).split(".")[0] for a in n.names}
    found: list[tuple[str, str]] = []
    todo, done = [node], set()
    while todo:
        function = todo.pop()
        if function.name in done:
            continue
        done.add(function.name)
        local = {a.arg for a in ast.walk(function) if isinstance(a, ast.arg)}
        local |= {n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        for sub in ast.walk(function):
            if not isinstance(sub, ast.Name) or not isinstance(sub.ctx, ast.Load) or sub.id in local:
                continue
            if sub.id in functions:
                todo.append(functions[sub.id])
            elif sub.id not in defined and sub.id.lower().rstrip("_") in _ALIAS:
                role = _ALIAS[sub.id.lower().rstrip("_")]
                if role in ("theta", "X", "y", "lam", "m") and (sub.id, role) not in found:  # data, not h or b
                    found.append((sub.id, role))
    return found


__all__ = ["ROLES", "Argument", "constructor_constants", "class_methods", "module_roles", "role_of", "self_attributes"]
