"""Read a user's gradient file with :mod:`ast` (never imported here): the function, its call, its conventions.

``FILE:FUNCTION`` or ``FILE:Class.method``.  The call comes from ``--call`` or from the
parameter names (theta/w/weights/params, X/features, y/labels/target, lam/lambda_/reg/C,
b/bias for a separate bias, m); a method's missing arguments come from the attributes it
reads on ``self`` (``self.theta``, ``self.w``, ``self.lam``, …), found in its source and in
the class's other methods it calls.  The source also gives hints that order the
conventions tried (a column of ones added, labels in {−1, +1}, examples in columns);
the run decides.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..parsing import ParseError
from ..parsing.octave import (
    Translation,
    looks_like_octave,
    octave_name,
    python_name,
    translate_expression,
    translate_text,
)
from ..parsing.pysource import parse_python
from ..userinput import UnreadableInputError, cell_line, cells_text, is_notebook, read_notebook, read_user_text
from .runner import without_magics
from .spec import is_octave, split_spec
from .training import training_message
from .usernames import ROLES, Argument, class_methods, constructor_constants, module_roles, role_of, self_attributes

LIKELIHOOD = re.compile(r"likelihood|loglik|log_lik|ascent", re.IGNORECASE)
# ... unless the name says negative (neg_log_likelihood, negLogLik, minus_loglik, nll): that is the cost J
NEGATED = re.compile(r"(?:^|_)(?:neg(?:ative)?|minus)(?=_|log|$)|nll|(?:^|[a-z_])(?:Neg(?:ative)?|Minus)(?=Log|_|$)")


def likelihood_name(name: str) -> str | None:
    """What a function's name says it returns the gradient of: "likelihood" (log_likelihood_grad, ascent),
    "negative" (neg_log_likelihood_grad, negLogLik, nll), else None.

    >>> likelihood_name("log_likelihood_grad"), likelihood_name("negLogLik"), likelihood_name("grad")
    ('likelihood', 'negative', None)
    """
    negated = bool(NEGATED.search(name) or NEGATED.search(name.lower()))
    if negated and (LIKELIHOOD.search(name) or "nll" in name.lower()):
        return "negative"
    return "likelihood" if LIKELIHOOD.search(name) and not negated else None


class InputError(ParseError):
    """Input we cannot read (a file, a function, a call): one line, exit code 2 in the CLI.

    >>> str(InputError("no function 'grad' in my_grad.py"))
    "no function 'grad' in my_grad.py"
    """


@dataclass(frozen=True)
class CallSpec:
    """How to call the user's function: each argument is ("role", name) or ("const", number).

    ``owner`` is the class of a method; ``attributes`` are what to set on its instance first.

    >>> spec = parse_call("grad(X, y, w, lambda_=lam)")
    >>> spec.function, spec.text()
    ('grad', 'grad(X, y, theta, lambda_=lam)')
    """

    function: str
    args: tuple[Argument, ...]
    kwargs: tuple[tuple[str, Argument], ...] = ()
    owner: str | None = None
    attributes: tuple[tuple[str, Argument], ...] = ()
    names: tuple[tuple[str, str], ...] = ()  # (the user's name, role) where the name says something
    globals: tuple[tuple[str, Argument], ...] = ()  # module-level names it reads (m, X, y, λ), set before each call
    free: tuple[str, ...] = ()  # roles for its parameters whose names say nothing (("free", k) in args), any order
    free_names: tuple[str, ...] = ()
    constructor: tuple[tuple[str, Argument], ...] = ()  # Class(l2_penalty=lam).method(…): the keywords given
    # attributes named like a step size (self.alpha) and the number __init__ gives them: where the cost has no λ
    # and no step is taken, α is not ours to set (ElasticNet(alpha=0.01)'s penalty strength): the class's own
    own: tuple[tuple[str, float], ...] = ()
    inverse: bool = False  # its penalty strength is scikit-learn's C = 1/λ (the code divides by C): 1/λ is passed
    unbound: bool = False  # a function in a class with no self (def gradientDescent(X, theta, y, alpha)): Class.f(…)
    columns: bool = False  # --call passes X.T (X', y.T): the examples in columns, the only layout tried
    # a regularised model's last parameter whose name says nothing and which has a number for default
    # (lrGradient(theta, X, y, l=1), tester 15 p10): read as λ, (its name, its default) for the report's note
    lam_default: tuple[str, str] = ()

    def text(self, order: tuple[str, ...] = ()) -> str:
        """The call as made; ``order`` gives the roles of the parameters whose names say nothing."""
        split = "b" in self.roles()  # θ without its bias is w
        args = [("role", order[a[1]]) if a[0] == "free" and order else a for a in self.args]
        args = [("role", self.free_names[a[1]]) if a[0] == "free" else a for a in args]
        show = [self._show(a, split) for a in args] + [f"{k}={self._show(v, split)}" for k, v in self.kwargs]
        head = f"{self.owner}.{self.function}" if self.owner else self.function
        call = f"{head}({', '.join(show)})"
        own = dict(self.own)
        given = [
            f"self.{k} = {_attribute(v, own.get(k), split) if v != ('role', 'lam') else self._show(v, split)}"
            for k, v in self.attributes
            if v[0] != "free"
        ]
        text = call + (f" on an instance with {', '.join(given)}" if given else "")
        module = ", ".join(k for k, _ in self.globals)
        return text + (f", the module's {module} set to our data" if module else "")

    def _show(self, argument: Argument, split: bool) -> str:
        return "1/lam" if self.inverse and argument == ("role", "lam") else _show(argument, split)

    def roles(self) -> set[str]:
        every = (
            *self.args,
            *(a for _, a in self.kwargs),
            *(a for _, a in self.attributes),
            *(a for _, a in self.globals),
        )
        return {v for kind, v in every if kind == "role"} | set(self.free)

    @property
    def name(self) -> str:
        """The function's name as the user wrote it (``Class.method`` for a method)."""
        return f"{self.owner}.{self.function}" if self.owner else self.function


_CALL_NAMES = "theta (or w), b, X, y, lam, m, alpha"
_PRIMED_NAME = re.compile(r"(?<![\w'\"])([A-Za-z_]\w*)'(?=\s*[,)])")  # X' in --call: Octave's transpose, X.T


def parse_call(text: str, own: dict[str, str] | None = None) -> CallSpec:
    """Read ``--call "grad(X, y, theta)"`` with :mod:`ast` (never evaluated): names of our data or numbers.

    ``own`` maps the function's own parameter names to the roles its signature gives them: such a name in the call
    keeps that role (``gradients(m, c, X, Y)`` of ``def gradients(m, c, X, Y)``: m the slope, c the intercept).

    >>> parse_call("grad(theta, X, y, 0.5)").args[-1]
    ('const', 0.5)
    >>> parse_call("gradients(m, c, X, Y)", {"m": "theta", "c": "b", "X": "X", "Y": "y"}).args
    (('role', 'theta'), ('role', 'b'), ('role', 'X'), ('role', 'y'))
    >>> spec = parse_call("Model(l2_penalty=lam).grad(X, y)")
    >>> spec.owner, spec.function, spec.constructor
    ('Model', 'grad', (('l2_penalty', ('role', 'lam')),))
    >>> parse_call("grad(X, foo)")
    Traceback (most recent call last):
    ...
    derivation.check.usersource.InputError: col 8: unknown name 'foo' in --call: use theta (or w), b, X, y, lam, m, \
alpha or a number
    """
    try:
        tree = parse_python(_PRIMED_NAME.sub(lambda p: p.group(1) + ".T", text.strip()), mode="eval")
    except SyntaxError as exc:
        raise InputError(f"--call is not a call: {exc.msg}", max((exc.offset or 1) - 1, 0), text) from None
    node = tree.body
    shift = len(text) - len(text.lstrip())
    owner, made = None, None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
        owner, name = node.func.value.id, node.func.attr
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Name)
    ):  # Model(l2_penalty=lam).grad(X, y): the instance's constructor keywords become its attributes
        made, name = node.func.value, node.func.attr
        owner = made.func.id
        if made.args:
            where = shift + made.args[0].col_offset
            raise InputError(f"give {owner}()'s arguments by keyword in --call: {owner}(l2_penalty=lam)", where, text)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
    else:
        raise InputError("--call must look like grad(X, y, theta) or Model(reg=lam).grad(X, y)", shift, text)
    own = own or {}
    every = [*node.args, *(k.value for k in node.keywords)]
    turned = [a for a in every if isinstance(a, ast.Attribute) and a.attr == "T" and isinstance(a.value, ast.Name)]
    for found in turned:  # X.T, y.T: the data with the examples in columns, as by-column passes them
        role = own.get(found.value.id) or role_of(found.value.id)
        if role not in ("X", "y"):
            message = "only the data may be transposed in --call (X.T, y.T: the examples in columns)"
            raise InputError(message, shift + found.col_offset, text)
    if turned and not any(role_of(a.value.id) == "X" for a in turned):
        raise InputError("transpose X too in --call (X.T, y.T): the examples in columns", shift, text)
    unturned = {id(a): a.value for a in turned}
    args = tuple(_call_argument(unturned.get(id(a), a), text, shift, own) for a in node.args)
    for keyword in node.keywords:
        keyword.value = unturned.get(id(keyword.value), keyword.value)
    kwargs = _call_keywords(node, text, shift, own)
    constructor = _call_keywords(made, text, shift, {}) if made is not None else ()
    return CallSpec(name, args, kwargs, owner, constructor=constructor, columns=bool(turned))


def _call_keywords(node: ast.Call, text: str, shift: int, own: dict[str, str]) -> tuple[tuple[str, Argument], ...]:
    kwargs = []
    for keyword in node.keywords:
        if keyword.arg is None:
            raise InputError("'**' is not allowed in --call", shift + keyword.col_offset, text)
        kwargs.append((keyword.arg, _call_argument(keyword.value, text, shift, own)))
    return tuple(kwargs)


def _call_argument(node: ast.AST, text: str, shift: int, own: dict[str, str]) -> Argument:
    if isinstance(node, ast.Name):
        role = own.get(node.id) or role_of(node.id) or (node.id if node.id in ROLES else None)
        if role is None:
            message = f"unknown name '{node.id}' in --call: use {_CALL_NAMES} or a number"
            raise InputError(message, shift + node.col_offset, text)
        return ("role", role)
    value = node.operand if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) else node
    if isinstance(value, ast.Constant) and type(value.value) in (int, float):
        number = -value.value if value is not node else value.value
        return ("const", number)
    raise InputError(f"--call takes names ({_CALL_NAMES}) and numbers only", shift + node.col_offset, text)


def _show(argument: Argument, split: bool = False) -> str:
    return "w" if split and argument == ("role", "theta") else str(argument[1])


def _attribute(argument: Argument, own: float | None, split: bool) -> str:
    """An attribute's value as the report says it: our data's name, or the number __init__ gives it."""
    if own is not None:
        return f"{own:g} (its __init__ default; α in a descent step)"
    return _show(argument, split) + (" (its __init__ default)" if argument[0] == "const" else "")


@dataclass(frozen=True)
class Source:
    """What the file's source says: the call to make and hints that order the conventions tried."""

    call: CallSpec
    adds_ones: bool  # it builds a column of ones (np.c_, hstack, insert, a helper add_intercept…)
    appends_ones: bool  # …after the features: the bias is θ's last entry
    signed_labels: bool  # it looks like labels in {−1, +1} (exp(−y·…))
    examples_in_columns: bool  # it looks like X of shape (n, m) (w.T @ X, m = X.shape[1])
    labels_made_column: bool = False  # it turns 1-D labels into a column itself (y[:, None], y.reshape(-1, 1))
    class_hints: dict[str, str] = field(default_factory=dict)  # a model over W: "layout", "labels", "reg"
    returns: tuple[str, ...] = ()  # the names of a returned tuple (return dj_dw, dj_db): which is dw, which db
    joined: tuple[str, ...] = ()  # the names joined into the one vector it returns (np.append(dw, db)), in order
    siblings: tuple[str, ...] = ()  # the other functions (methods) in its file whose names say gradient
    one_example: bool = False  # its x is named for one example (x_i, xi, x_row, sample): an SGD step's gradient
    matrices: bool = False  # it uses np.matrix (X * theta.T): it may expect np.matrix arguments
    octave: bool = False  # translated from Octave: 2-D arrays, θ and y columns as the course passes them
    column_weights: bool = False  # its docstring or code makes θ (w) a column (n, 1): d2l's w = normal(0, σ, (n, 1))

    @property
    def likelihood(self) -> bool:
        """Its name says log-likelihood or ascent, not negative: the values are the log-likelihood's gradient."""
        return likelihood_name(self.call.name) == "likelihood"


_ONES_LAST = re.compile(
    r"(c_\[|hstack\(\s*[\(\[]|column_stack\(\s*[\(\[]|append\()\s*\w+(\.\w+)*\s*,\s*np\.ones|insert\(\s*\w+\s*,\s*\w+\.shape\[1\]"
)
_ONES = re.compile(r"np\.ones|ones\(|hstack|column_stack|np\.insert|c_\[|concatenate|intercept|add_bias|bias_column")
_SIGNED = re.compile(
    r"exp\(\s*-\s*\(?\s*(y|labels?|target)\w*\s*\*|\*\s*(y|labels?|target)\w*\s*\)?\s*\)\s*\)|[{\[]\s*-1\s*,\s*\+?1\s*[}\]]"
    r"|where\(\s*\w+\s*==\s*0\s*,\s*-1"
)
_Y_TO_COLUMN = re.compile(
    r"\b(y|labels?|targets?)\w*\s*\[\s*:\s*,\s*(None|np\.newaxis)\s*\]"
    r"|\b(y|labels?|targets?)\w*\.reshape\(\s*\(?\s*(-1|m|\w+(\.shape\[0\]|\.size)?)\s*,\s*1\s*\)?\s*\)"
    r"|atleast_2d\(\s*(y|labels?|targets?)\w*\s*\)\.T|expand_dims\(\s*(y|labels?|targets?)\w*\s*,\s*(1|-1|axis\s*=\s*(1|-1))"
)
_COEF_LAYOUT = re.compile(r"\bcoef_?\b|@\s*(W|w|weights?)\.T\b|dot\(\s*\w+\s*,\s*(W|w|weights?)\.T\s*\)")
_ONE_HOT = re.compile(r"one_?hot|\bY\b|onehot", re.IGNORECASE)
_INTEGER_LABELS = re.compile(
    r"arange\([^()]*\)\s*,\s*y\w*\s*\]|range\([^()]*\)\s*,\s*y\w*\s*\]|\[\s*y\w*\[\s*\w+\s*\]\s*\]|eye\([^()]*\)\s*\[\s*y"
)
_CS231N_REG = re.compile(r"\breg\s*\*\s*np\.sum\(\s*(self\.)?W\s*\*\s*(self\.)?W|\b2\s*\*\s*(self\.)?reg\b")
_REG_NAMES = ("reg", "reg_strength", "weight_decay")
# θ or w made (or said to be) a column: w = np.zeros((n, 1)), torch.normal(0, 0.01, size=(2, 1)), "w: (n, 1)"
_COLUMN_WEIGHTS = re.compile(
    r"\b(?:w|W|theta|weights?|params)\b\s*=\s*[\w.]+\([^()\n]*\(\s*[\w.\[\]]+\s*,\s*1\s*\)"
    r"|\b(?:w|theta|weights?)\b\s*(?::|of\s+shape|shape|has\s+shape|is)\s*\(?\s*\(\s*\w+\s*,\s*1\s*\)"
)
# scikit-learn's C, the inverse of the penalty strength: divided by (w / (self.C * m), 1 / C), or said to be
_INVERSE_C = re.compile(
    r"/\s*(?:self\.)?C\b|/\s*\([^()]*\b(?:self\.)?C\b"
    r"|\binverse\s+(?:of\s+)?(?:the\s+)?(?:regulari[sz]ation|penalty)|\bC\s*=\s*1\s*/\s*(?:λ|\\?lambda|lam)\b"
)
_ONE_EXAMPLE = re.compile(r"x_?i|x_?(row|sample|example|one|single)|(one_)?(sample|example|row)|x_?n|x_?k")
_COLUMNS = re.compile(r"\b(w|theta|W)\.T\s*@\s*X|dot\(\s*(w|theta|W)\.T\s*,\s*X|\bm\s*=\s*X\.shape\[1\]")


def _column_weights(source: str) -> bool:
    """Its code makes θ (w) a column (n, 1) and y no column: a function right with 1-D y must hold with that θ."""
    y_column = _Y_TO_COLUMN.search(source) or _SLICED_COLUMN.search(source)
    return bool(_COLUMN_WEIGHTS.search(source)) and not y_column


# y = data[:, -1:], y = data[:, 2:3]: labels loaded as a column
_SLICED_COLUMN = re.compile(r"\b(?:y|labels?|targets?)\w*\s*=\s*[\w.]+\[\s*:\s*,\s*-?\d*\s*:\s*-?\d*\s*\]")


def read_source(path: Path, function: str | None, call: str | None = None, trailing_lam: bool = False) -> Source:
    """The call (from ``--call`` or the signature) and the source hints; :class:`InputError` when unreadable.

    ``trailing_lam`` (a regularised model): a last parameter whose name says nothing (``l``, ``regP``) is λ."""
    source = without_magics(source_text(path))
    try:
        tree = parse_python(source, filename=str(path))
    except SyntaxError as exc:
        raise InputError(f"{path.name} {place(path, exc.lineno or 1)}: {exc.msg}") from None
    if call is not None:
        spec = parse_call(call, {})
        if function is not None and spec.name != function:
            raise InputError(f"--call calls '{spec.name}' but the function given is '{function}'")
        function = spec.name
    if function is None:
        raise InputError(f'name the function: {path}:FUNCTION, or give --call "grad(theta, X, y)"')
    owner, _, method = function.rpartition(".")
    cls = _find_class(tree, owner, path) if owner else None
    if cls is not None:
        definition = _find_method(cls, method, path)
    else:
        definition = _find_function(tree, function, path, call is not None)
    if call is None:
        spec = _call_from_signature(definition, path, cls, tree if cls is None else None, trailing_lam)
    elif definition is not None:  # its own parameter names keep the roles its signature gives them
        spec = parse_call(call, parameter_roles(definition))
        if cls is not None and _unbound(definition):
            spec = replace(spec, unbound=True)
        elif cls is not None:
            spec = _on_instance(spec, cls, definition, path)
    text = source + "".join(_read_quietly(p) for p in _local_imports(tree, path))
    hints = {}
    if _COEF_LAYOUT.search(source):
        hints["layout"] = "K,n+1"
    if _ONE_HOT.search(source) and not _INTEGER_LABELS.search(source):
        hints["labels"] = "onehot"
    reg_names = [name for name, role in spec.names if role == "lam"]
    if any(n.removeprefix("self.") == "C" for n in reg_names) and _INVERSE_C.search(source):
        spec = replace(spec, inverse=True)
    if _CS231N_REG.search(source) or any(n.removeprefix("self.").strip("_").lower() in _REG_NAMES for n in reg_names):
        hints["reg"] = "reg"
    return Source(
        spec,
        adds_ones=bool(_ONES.search(text)),
        appends_ones=bool(_ONES_LAST.search(text)),
        signed_labels=bool(_SIGNED.search(source)),
        examples_in_columns=bool(_COLUMNS.search(source)),
        labels_made_column=bool(_Y_TO_COLUMN.search(source)),
        class_hints=hints,
        returns=_returned_names(definition),
        joined=_joined_names(definition),
        siblings=_gradient_functions(tree if cls is None else cls, function),
        matrices=bool(re.search(r"\bnp\.(matrix|asmatrix|mat)\(", source)),
        column_weights=_column_weights(source),
        one_example=any(
            _ONE_EXAMPLE.fullmatch(name.lower())
            for name in [*(n for n, role in spec.names if role == "X"), *spec.free_names]
        ),
    )


_OCTAVE_ONES = re.compile(r"\[\s*ones\s*\(")  # X = [ones(m, 1) X]: the function adds the column of ones
_OCTAVE_ONES_LAST = re.compile(r"\[\s*\w+\s*,?\s*ones\s*\(")
_OCTAVE_SIGNED = re.compile(r"exp\(\s*-\s*\(?\s*y\w*\s*\.\*|\.\*\s*y\w*\s*\)?\s*\)\s*\)")


def read_octave(
    path: Path, function: str | None, call: str | None, folder: Path, trailing_lam: bool = False
) -> tuple[Source, Translation, Path]:
    """Translate the Octave file (:mod:`derivation.parsing.octave`), write the module in ``folder`` and read it
    as a Python file is read: (its :class:`Source`, the translation, the module's path).

    ``function`` defaults to the file's first function (the one named after the file, in MATLAB).
    """
    text = source_text(path)
    translation = translate_text(text, path.name, path.parent, read=source_text)
    function = function or translation.functions[0]
    if function not in translation.params:
        known = ", ".join(translation.functions)
        raise InputError(f"no function '{function}' in {path.name} (its functions: {known})")
    module = folder / f"{path.stem}.py"
    module.write_text(translation.source, encoding="utf-8")
    try:
        source = read_source(module, python_name(function), call, trailing_lam)
    except InputError as error:  # its messages name the file the user gave
        raise InputError(str(error).replace(module.name, path.name)) from None
    names = tuple((octave_name(name), role) for name, role in source.call.names)  # lambda, not lambda_
    source = replace(
        source,
        call=replace(source.call, names=names),
        adds_ones=bool(_OCTAVE_ONES.search(text)),
        appends_ones=bool(_OCTAVE_ONES_LAST.search(text)),
        signed_labels=bool(_OCTAVE_SIGNED.search(text)),
        examples_in_columns=False,
        labels_made_column=False,
        matrices=False,
        octave=True,
    )
    return source, translation, module


def octave_gradient(text: str, model) -> str | None:
    """The NumPy spelling of ``--grad`` written in Octave (``X' * (h - y) / m``), None when it is not Octave;
    ``h`` is the model's predictions (σ(Xθ) for logistic, Xθ for linear).

    >>> octave_gradient("(1/m) * X' * (h - y)", "logistic")
    '1 / m * X.T @ (sigmoid(X @ theta) - y)'
    >>> octave_gradient("X.T @ (X @ theta - y) / m", "linear") is None
    True
    """
    if not looks_like_octave(text):
        return None
    return translate_expression(text, _hypothesis_numpy(model))


def _hypothesis_numpy(model) -> str | None:
    """The model's predictions h over all examples in NumPy: f(X @ theta) for the one function f (σ, exp) its
    gradient applies to Xθ, else X @ theta for real labels; None when h means nothing plain (±1 labels, probit)."""
    import sympy as sp
    from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

    from ..models import get_model
    from ..parsing import matrix_names

    try:
        model = get_model(model) if isinstance(model, str) else model
    except KeyError:
        return None
    names = matrix_names()
    scores, gradient, u = names["X"] * names["theta"], model.matrix_gradient, sp.Dummy("u")
    if not isinstance(gradient, sp.MatrixExpr) or not gradient.has(scores):
        return None
    applied = {a.function(u) for a in gradient.atoms(ElementwiseApplyFunction) if a.expr == scores}
    if len(applied) == 1 and (f := applied.pop()).args == (u,) and type(f).__name__ in ("sigmoid", "exp"):
        return f"{type(f).__name__}(X @ theta)"
    return "X @ theta" if not applied and model.labels in (None, "real") else None


def _returned_names(definition: ast.FunctionDef) -> tuple[str, ...]:
    """The names in the function's first ``return a, b`` (tuple of plain names); () otherwise."""
    for node in ast.walk(definition):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
            names = [e.id for e in node.value.elts if isinstance(e, ast.Name)]
            if len(names) == len(node.value.elts):
                return tuple(names)
    return ()


_JOINS = ("append", "concatenate", "hstack", "r_", "block")


def _joined_names(definition: ast.FunctionDef | None) -> tuple[str, ...]:
    """The names its return joins into one flat vector, in order: np.append(dw, db), np.concatenate(([db], dw)),
    np.hstack((dw, db)), np.r_[db, dw], or a name assigned one of these; () otherwise.

    >>> tree = ast.parse("def g(w, b):\\n    g = np.concatenate(([db], dw.ravel()))\\n    return g")
    >>> _joined_names(tree.body[0])
    ('db', 'dw')
    """
    if definition is None:
        return ()
    returned = [n.value for n in ast.walk(definition) if isinstance(n, ast.Return) and n.value is not None]
    if len(returned) != 1:
        return ()
    value = returned[0]
    if isinstance(value, ast.Name):  # g = np.append(dw, db); return g
        assigned = [
            n.value
            for n in ast.walk(definition)
            if isinstance(n, ast.Assign) and [getattr(t, "id", None) for t in n.targets] == [value.id]
        ]
        value = assigned[-1] if assigned else value
    pieces: list[ast.AST] = []
    if isinstance(value, ast.Call) and _called(value.func) in _JOINS and value.args:
        pieces = list(value.args[:2]) if _called(value.func) == "append" else [value.args[0]]
    elif isinstance(value, ast.Subscript) and _called(value.value) == "r_":
        pieces = [value.slice]
    if len(pieces) == 1 and isinstance(pieces[0], (ast.Tuple, ast.List)):
        pieces = list(pieces[0].elts)
    names = tuple(_piece_name(p) for p in pieces)
    return names if len(names) == 2 and all(names) and names[0] != names[1] else ()


_GRADIENT_NAME = re.compile(r"grad|deriv|backward|d_?j_?d|dtheta", re.IGNORECASE)


def _gradient_functions(scope: ast.Module | ast.ClassDef, function: str) -> tuple[str, ...]:
    """The functions defined in ``scope`` (Class.method for a class) whose names say gradient, but ``function``."""
    prefix = f"{scope.name}." if isinstance(scope, ast.ClassDef) else ""
    defined = [prefix + n.name for n in scope.body if isinstance(n, ast.FunctionDef)]
    return tuple(name for name in defined if name != function and _GRADIENT_NAME.search(name.rpartition(".")[2]))


def _called(func: ast.AST) -> str:
    """The last name of what is called or indexed: np.append → append, np.r_ → r_."""
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _piece_name(node: ast.AST) -> str:
    """The one variable in a piece of a joined vector ([db], dw.ravel(), np.array([db])); "" if not one."""
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id not in ("np", "numpy")}
    return names.pop() if len(names) == 1 else ""


def infer_call(path: Path, function: str | None, call: str | None = None) -> CallSpec:
    """The call to make, from ``--call`` or from the parameter names of ``function`` in the file's source.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "g.py"
    >>> _ = f.write_text("def grad(w, features, labels, lambda_=0.0):\\n    return w\\n")
    >>> infer_call(f, "grad").text()
    'grad(theta, X, y, lambda_=lam)'
    """
    return read_source(path, function, call).call


MAX_SOURCE_BYTES = 1_000_000  # a course script with its data loading is tens of kB; /dev/zero is not a script


def source_text(path: Path) -> str:
    """The user's file as text, never more than :data:`MAX_SOURCE_BYTES`; :class:`InputError` if unreadable."""
    if not path.exists():
        raise InputError(f"no such file: {path}")
    try:  # never more than the limit: a FIFO or /dev/zero must not fill memory
        return read_user_text(str(path.resolve()), MAX_SOURCE_BYTES, code=True)  # a notebook: its code cells
    except UnreadableInputError as error:
        raise InputError(str(error)) from None


def notebook_module(path: Path, folder: Path) -> Path:
    """The code cells of the notebook ``path`` as a Python module in ``folder``, magics and ``!shell`` lines
    blanked (:func:`~derivation.check.runner.without_magics`), for the runner to import as it imports a .py file."""
    module = folder / f"{path.stem}.py"
    module.write_text(without_magics(source_text(path)), encoding="utf-8")
    return module


def place(path: Path, line: int) -> str:
    """Where ``line`` of the source read from ``path`` is for its user: "line 7", or "cell 3, line 2" in a notebook."""
    if not is_notebook(str(path)):
        return f"line {line}"
    try:
        cells = read_notebook(str(path.resolve()))  # read again: only a failure is placed
    except UnreadableInputError:
        return f"line {line} of its code cells"
    return cell_line(cells_text(cells, "code")[1], line)


def _read_quietly(path: Path) -> str:
    try:
        return source_text(path)
    except InputError:
        return ""


def _local_imports(tree: ast.Module, path: Path) -> list[Path]:
    """The user's own modules beside the file that it imports (``from utils import add_intercept``)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    found = [path.with_name(name.split(".")[0] + ".py") for name in names]
    return [p for p in found if p.is_file() and p != path]


def _find_function(tree: ast.Module, name: str, path: Path, have_call: bool) -> ast.FunctionDef | None:
    functions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for node in reversed(functions):  # the last definition wins, as at import
        if node.name == name:
            if isinstance(node, ast.AsyncFunctionDef):
                raise InputError(f"{name} in {path.name} is 'async def': give a plain function")
            return node
    for node in reversed(tree.body):  # grad = lambda theta, X, y: ...: read like a def
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
            if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                body = [ast.Return(node.value.body, lineno=node.lineno, col_offset=0)]
                return ast.FunctionDef(
                    name=name, args=node.value.args, body=body, decorator_list=[], returns=None, lineno=node.lineno
                )
    assigned = {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    if name in assigned and have_call:
        return None
    if name in assigned:
        raise InputError(f"{name} in {path.name} is not a 'def': give the call, e.g. --call \"{name}(theta, X, y)\"")
    known = ", ".join(f.name for f in functions) or "none"
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    owners = [n.name for n in tree.body if isinstance(n, ast.ClassDef) and name in class_methods(n)]
    more = f"; for a method write {path.name}:{classes[0]}.METHOD" if classes else ""
    if owners:  # class linearRegression: def gradientDescent(…) (tester 14 c16): its own spelling
        more = f"; it is in class {owners[0]}: write {path.name}:{owners[0]}.{name}"
    raise InputError(f"no function '{name}' at the top level of {path.name} (its functions: {known}){more}")


def _find_class(tree: ast.Module, name: str, path: Path) -> ast.ClassDef:
    for node in reversed(tree.body):
        if isinstance(node, ast.ClassDef) and node.name == name:
            return node
    known = ", ".join(n.name for n in tree.body if isinstance(n, ast.ClassDef)) or "none"
    raise InputError(f"no class '{name}' at the top level of {path.name} (its classes: {known})")


def _find_method(cls: ast.ClassDef, name: str, path: Path) -> ast.FunctionDef:
    found = class_methods(cls)
    if name not in found:
        known = ", ".join(found) or "none"
        raise InputError(f"no method '{name}' in class {cls.name} of {path.name} (its methods: {known})")
    return found[name]


_LAYER_SIZES = re.compile(r"\w*layer_sizes?|num_labels|n_labels|hidden_size|input_size|n_hidden|num_hidden")


def unrolled_network(function: str, parameters: list[str]) -> str | None:
    """The one-line error for a network's cost over unrolled parameters (Andrew Ng's ex4), else None.

    >>> unrolled_network("nnCostFunction", ["nn_params", "input_layer_size", "num_labels", "X", "y"])[:40]
    'nnCostFunction() takes a network with it'
    """
    sizes = [p for p in parameters if _LAYER_SIZES.fullmatch(p.lower())]
    if not sizes:
        return None
    return (
        f"{function}() takes a network with its weights unrolled into one vector and its layer sizes "
        f"({', '.join(sizes)}), as in Andrew Ng's ex4: not a model over θ; for check mlp, wrap it in a function of "
        "W1, b1, W2, b2, X, y, reg that unrolls them, or give --call"
    )


_SLOPE, _INTERCEPTS = "m", ("c", "b", "intercept", "b0")  # y = mx + c: the slope m is not the example count


def parameter_roles(node: ast.FunctionDef) -> dict[str, str]:
    """The role each parameter's name gives it (:func:`role_of`); beside X and y, a slope and an intercept
    (m, c) or (m, b) with no θ are θ's slope w and the bias b, not the example count and λ.

    >>> tree = ast.parse("def gradients(m, c, X, Y): pass\\ndef cost(theta, X, y, m): pass")
    >>> parameter_roles(tree.body[0]), parameter_roles(tree.body[1])["m"]
    ({'m': 'theta', 'c': 'b', 'X': 'X', 'Y': 'y'}, 'm')
    """
    a = node.args
    names = [p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
    roles = {name: role for name in names if (role := role_of(name)) is not None}
    intercept = next((n for n in names if n.lower() in _INTERCEPTS), None)
    found = set(roles.values())
    if _SLOPE in names and intercept is not None and {"X", "y"} <= found and "theta" not in found:
        roles |= {_SLOPE: "theta", intercept: "b"}
    return roles


def _suggested_call(node: ast.FunctionDef, roles: dict[str, str], missing: list[str], skip_self: bool) -> str:
    """A --call for a function with no parameter for θ: its count m, λ or α taken for θ (the slope), if any."""
    a = node.args
    names = [p.arg for p in (*a.posonlyargs, *a.args)][1 if skip_self else 0 :]
    if missing != ["theta"]:
        return ""
    # α may be a coefficient (y = α + βx); a learning rate (lr, learning_rate, eta) never is θ
    candidate = next((n for n in names if roles.get(n) in ("m", "lam") or n.lower() == "alpha"), None)
    if candidate is None:
        return ""
    split = "b" in roles.values()
    shown = {"theta": "w" if split else "theta", "lam": "lam", "m": "m", "alpha": "alpha", "iters": "num_iters"}
    args = ["w" if n == candidate and split else "theta" if n == candidate else roles.get(n, n) for n in names]
    args = [shown.get(x, x) for x in args]
    return f"; if its {candidate} is θ (a slope), --call '{node.name}({', '.join(args)})'"


def _call_from_signature(
    node: ast.FunctionDef,
    path: Path,
    cls: ast.ClassDef | None,
    tree: ast.Module | None = None,
    trailing_lam: bool = False,
) -> CallSpec:
    a = node.args
    roles = parameter_roles(node)
    positional = [*a.posonlyargs, *a.args]
    network = unrolled_network(node.name, [p.arg for p in positional])
    if network is not None:
        raise InputError(network)
    if cls is not None and not _is_static(node):
        positional = positional[1:]  # self (or cls)
    defaults = {p.arg for p in positional[len(positional) - len(a.defaults) :]} if a.defaults else set()
    defaults |= {p.arg for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True) if d is not None}
    args: list[Argument] = []
    kwargs: list[tuple[str, Argument]] = []
    seen: dict[str, str] = {}
    free: list[str] = []  # parameters whose names say nothing: tried in every order of the roles left
    for param, keyword in [*((p, False) for p in positional), *((p, True) for p in a.kwonlyargs)]:
        role = roles.get(param.arg)
        if role is None:
            if param.arg in defaults:
                continue
            if keyword:
                raise _unknown_name(param.arg, node, path)
            args.append(("free", len(free)))
            free.append(param.arg)
            continue
        if role in seen and param.arg in defaults and role_of(param.arg, exact=True) is None:
            continue  # pos_weight=3.0: a word of its name only, and a default: it keeps its default
        if role in seen:
            raise InputError(f"both '{seen[role]}' and '{param.arg}' of {node.name}() look like {role}: give --call")
        seen[role] = param.arg
        if keyword or param.arg in defaults:
            kwargs.append((param.arg, ("role", role)))
        else:
            args.append(("role", role))
    attributes: list[tuple[str, Argument]] = []
    if cls is not None:
        for attr, value in self_attributes(cls, node):
            if value[0] == "role" and value[1] in seen:
                continue  # a parameter gives it; the attribute is the fitted one, not what we check
            if value[0] == "role":
                seen[value[1]] = f"self.{attr}"
            attributes.append((attr, value))
    module_names: list[tuple[str, Argument]] = []
    if tree is not None:
        for name, role in module_roles(node, tree):
            if role not in seen:
                seen[role] = name
                module_names.append((name, ("role", role)))
    if a.vararg is not None and not a.kwonlyargs:  # scipy.optimize style grad(theta, *args) with args=(X, y)
        for role in ("theta", "X", "y"):
            if role not in seen:
                seen[role] = f"*{a.vararg.arg}"
                args.append(("role", role))
    missing = [r for r in ("theta", "X", "y") if r not in seen and not (r == "theta" and "h" in seen)]
    last = positional[-1].arg if positional else None
    lam_default: tuple[str, str] = ()
    if trailing_lam and "lam" not in seen and not free and not missing:
        default = _numeric_default(node, last) if last in defaults and last not in roles else None
        if default is not None:  # lrGradient(theta, X, y, l=1): called with its default, any penalty is l's
            kwargs.append((last, ("role", "lam")))
            seen["lam"], lam_default = last, (last, default)
    if free and len(free) == len(missing) + 1 and free[-1] == last and "lam" not in seen and not a.kwonlyargs:
        if trailing_lam:  # costFunctionReg(theta, X, y, l) of a regularised model: its last parameter is λ
            args[args.index(("free", len(free) - 1))] = ("role", "lam")
            seen["lam"] = free.pop()
        else:
            raise _unknown_name(free[0], node, path, lam_last=True)
    if free and len(free) != len(missing):
        raise _unknown_name(free[0], node, path)
    free_roles, missing = tuple(missing if free else ()), [] if free else missing
    if missing:
        where = f"{cls.name}.{node.name}" if cls is not None else node.name
        trains = training_message(node, where, path.name, cls.name if cls is not None else None)
        if trains is not None and "theta" in missing:
            raise InputError(trains)
        suggestion = _suggested_call(node, roles, missing, cls is not None and not _is_static(node))
        raise InputError(f"{where}() in {path.name} has no parameter for {', '.join(missing)}: give --call{suggestion}")
    names = tuple((name, role) for role, name in seen.items())
    owner = cls.name if cls is not None else None
    spec = CallSpec(
        node.name,
        tuple(args),
        tuple(kwargs),
        owner,
        tuple(attributes),
        names,
        tuple(module_names),
        free_roles,
        tuple(free),
        lam_default=lam_default,
    )
    if cls is not None and _unbound(node):
        return replace(spec, unbound=True)
    return replace(spec, own=_own_steps(cls, attributes)) if cls is not None else spec


# names of a trailing parameter with a number for default that are never the penalty strength
_NOT_LAMBDA = re.compile(
    r"eps\w*|epsilon|tol\w*|delta|gamma|beta\d|seed|random\w*|verbose|debug|iters?|n_?iter\w*|max_?\w*|epochs?"
    r"|steps?|lr|eta|rate|alpha|batch\w*|momentum|decay_rate|threshold|thresh|p|q|k|degree|power|order|axis|h|dx",
    re.IGNORECASE,
)


def _numeric_default(node: ast.FunctionDef, name: str | None) -> str | None:
    """The default of parameter ``name`` as written when it is a plain positive or zero number (``l=1``,
    ``lam_=0.1``) and the name is no other constant's (eps, tol, seed, …), else None."""
    a = node.args
    positional = [*a.posonlyargs, *a.args]
    given = dict(zip([p.arg for p in positional[len(positional) - len(a.defaults) :]], a.defaults, strict=True))
    value = given.get(name) if name is not None else None
    if name is None or _NOT_LAMBDA.fullmatch(name.strip("_")):
        return None
    if isinstance(value, ast.Constant) and type(value.value) in (int, float) and value.value >= 0:
        return ast.unparse(value)
    return None


def lam_default_note(spec: CallSpec) -> str | None:
    """The note for a parameter with a default read as λ (:attr:`CallSpec.lam_default`), else None."""
    if not spec.lam_default:
        return None
    name, default = spec.lam_default
    others = [spec._show(a, "b" in spec.roles()) for a in spec.args]
    keep = f"{spec.name}({', '.join(others)})"
    return (
        f"{name} (default {default}) is read as λ, the penalty strength: the model's λ was passed for it; "
        f'if {name} is something else, give --call "{keep}" (it then keeps its default)'
    )


def _on_instance(spec: CallSpec, cls: ast.ClassDef, method: ast.FunctionDef, path: Path) -> CallSpec:
    """A --call on a method: the attributes it reads on self, and those the constructor keywords of
    ``Model(l2_penalty=lam).grad(X, y)`` set (``self.l2_penalty = l2_penalty`` in ``__init__``; never run)."""
    given = {role for kind, role in (*spec.args, *(v for _, v in spec.kwargs)) if kind == "role"}
    stored = _stored_parameters(class_methods(cls).get("__init__"))
    chosen: dict[str, Argument] = {}
    for keyword, value in spec.constructor:
        if keyword not in stored:
            known = ", ".join(sorted(stored)) or "none"
            raise InputError(
                f"{cls.name}.__init__ in {path.name} does not store a parameter '{keyword}' on self "
                f"(self.NAME = {keyword}); those it stores: {known}"
            )
        chosen[stored[keyword]] = value
    attributes = list(chosen.items())
    for attr, value in self_attributes(cls, method):
        if attr in chosen or (value[0] == "role" and value[1] in given):
            continue
        attributes.append((attr, value))
    names = tuple((f"self.{attr}", value[1]) for attr, value in attributes if value[0] == "role")
    own = _own_steps(cls, [(attr, value) for attr, value in attributes if attr not in chosen])
    return replace(spec, attributes=tuple(attributes), names=(*spec.names, *names), own=own)


def _own_steps(cls: ast.ClassDef, attributes: list[tuple[str, Argument]]) -> tuple[tuple[str, float], ...]:
    """The attributes read as α (self.alpha, self.lr) to which __init__ gives a number: (name, that number)."""
    numbers = constructor_constants(class_methods(cls).get("__init__"))
    return tuple(
        (attr, float(numbers[attr]))
        for attr, value in attributes
        if value == ("role", "alpha") and type(numbers.get(attr)) in (int, float)
    )


def _stored_parameters(init: ast.FunctionDef | None) -> dict[str, str]:
    """``__init__``'s parameters stored as they are on self: parameter name → attribute name."""
    if init is None:
        return {}
    a = init.args
    params = {p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)}
    out = {}
    for node in ast.walk(init):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Name):
            target = node.targets[0]
            is_self = isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
            if is_self and target.value.id == "self" and node.value.id in params:
                out.setdefault(node.value.id, target.attr)
    return out


def _unknown_name(name: str, node: ast.FunctionDef, path: Path, lam_last: bool = False) -> InputError:
    """The parameter whose role its name does not say; the --call offered passes every parameter (the last as λ
    when ``lam_last``: following it must not drop a required argument, tester 14 c11c)."""
    a = node.args
    roles = parameter_roles(node)
    params = [p.arg for p in (*a.posonlyargs, *a.args) if p.arg not in ("self", "cls")]
    shown = {"theta": "theta", "X": "X", "y": "y", "lam": "lam", "b": "b", "m": "m", "alpha": "alpha"}
    args = [shown.get(roles.get(p, ""), p) for p in params]
    if lam_last:
        args[-1] = "lam"
        return InputError(
            f"cannot tell what to pass as '{name}' of {node.name}() in {path.name}: if it is the regularisation "
            f"strength λ, check it with a regularised model (logistic-l2, ridge) or give "
            f'--call "{node.name}({", ".join(args)})"; else name it theta/w, X, y, lam/lambda_/reg, b/bias or m'
        )
    return InputError(
        f"cannot tell what to pass as '{name}' of {node.name}() in {path.name}: name it "
        f"theta/w/weights/params, X/features, y/labels/targets, lam/lambda_/reg, b/bias or m, "
        f'or give --call "{node.name}(theta, X, y)"'
    )


def _is_static(node: ast.FunctionDef) -> bool:
    """A @staticmethod, or a function in a class whose first parameter is our data, not self (tester 14 c16:
    ``class linearRegression: def gradientDescent(X, theta, y, alpha)``, called as ``linearRegression.f(…)``)."""
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list) or _unbound(node)


def _unbound(node: ast.FunctionDef) -> bool:
    """No decorator and a first parameter named as our data (X, theta, y): a plain function kept in a class."""
    a = node.args
    first = [*a.posonlyargs, *a.args][:1]
    return (
        not node.decorator_list
        and bool(first)
        and first[0].arg not in ("self", "cls")
        and (role_of(first[0].arg) is not None)
    )


__all__ = [
    "LIKELIHOOD",
    "likelihood_name",
    "ROLES",
    "CallSpec",
    "InputError",
    "Source",
    "infer_call",
    "is_octave",
    "notebook_module",
    "octave_gradient",
    "parameter_roles",
    "parse_call",
    "place",
    "read_octave",
    "read_source",
    "role_of",
    "source_text",
    "split_spec",
]
