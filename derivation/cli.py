"""The command line: parse arguments, call the API, print. No mathematics here.

Arguments are checked against the catalog's light data (:mod:`derivation.core.catalog`)
before anything heavy is imported: ``--help``, ``models`` and a usage error never wait
for SymPy.  Each command imports what it needs once its arguments are known to be good.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from .core.catalog import CATALOG, LABELS, NETWORK_ENTRIES, Entry, entry, no_gradient_to_check, no_kernel
from .userinput import UnreadableInputError, read_user_text

FORMATS = ("text", "latex", "markdown", "json")
EXIT_OK, EXIT_INCORRECT, EXIT_USAGE = 0, 1, 2
MIN_TIMEOUT, MAX_TIMEOUT = 0.1, 3600.0  # seconds a user's function may run: the child needs ~0.1 s to start


class UsageError(Exception):
    """Bad usage or unreadable input: one line to stderr, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, never a usage dump or traceback
        if message == "argument --python: expected one argument" and self.prog.endswith(" check"):
            # show and verify read a Python --cost with the flag --python; in check, --python is the user's code
            message = (
                "--python takes your gradient code as FILE:FUNCTION in check; to write --cost in Python syntax, "
                "give --cost-python"
            )
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    models = "one of: " + ", ".join([*CATALOG, *NETWORK_ENTRIES])
    parser = _Parser(prog="derivation", description="Derive, explain and check gradients of ML cost functions.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    show = commands.add_parser("show", help="the step-by-step derivation of a catalog model's gradient, or your cost's")
    show.add_argument("model", metavar="MODEL", nargs="?", help=models + "; or --cost, or --network")
    show.add_argument("--form", default="sum", help="sum (default) or example (one training example)")
    show.add_argument("--hessian", action="store_true", help="the second derivative ∂²J/∂θ_j∂θ_l instead")
    show.add_argument(
        "--solve", action="store_true", help="the normal equations instead: ∂J/∂θ = 0 solved for θ (least squares)"
    )
    _add_cost_options(show, python_flag=True)
    _add_network_options(show)
    _add_layers_option(show)
    _add_output_options(show)

    derive = commands.add_parser("derive", help="the step-by-step derivative of any expression")
    derive.add_argument("expr", metavar="EXPR", help='Python-syntax math, e.g. "log(1 + exp(-y*w*x))"')
    derive.add_argument("--wrt", required=True, metavar="VAR", help="the variable, e.g. w or theta[j]")
    derive.add_argument("--latex", action="store_true", help="EXPR is LaTeX (ML notation) instead of Python syntax")
    _add_output_options(derive)

    check = commands.add_parser("check", help="check a gradient: an expression, LaTeX or your NumPy function")
    check.add_argument("model", metavar="MODEL", nargs="?", help=models + "; or --cost")
    source = check.add_mutually_exclusive_group(required=True)
    source.add_argument("--grad", metavar="EXPR", help='Python syntax, e.g. "1/m * X.T @ (sigmoid(X @ theta) - y)"')
    source.add_argument(
        "--latex",
        metavar="TEX",
        help=r"LaTeX: an expression, an equation '\frac{\partial J}{\partial \theta_j} = ...', an update rule "
        r"'\theta_j := \theta_j - \alpha ...' or cases for j = 0 and j >= 1",
    )
    source.add_argument(
        "--python",
        metavar="FILE:FUNCTION",
        help="your NumPy function, run in a separate process; an Octave/MATLAB FILE.m (FUNCTION: its first) is "
        "translated to NumPy and run the same way (--octave FILE.m says the same)",
    )
    source.add_argument("--octave", metavar="FILE.m[:FUNCTION]", help=argparse.SUPPRESS)  # --python's alias
    _add_cost_options(check, python_flag=False)
    check.add_argument("--call", metavar="CALL", help='how to call it, e.g. "grad(X, y, theta)" (default: inferred)')
    check.add_argument(
        "--layout",
        choices=("n+1,K", "K,n+1", "row", "column"),
        help="with --python: for models over W (softmax, svm-multiclass), W's shape as your function takes it, "
        "(n+1, K) or scikit-learn's coef_ (K, n+1); for mlp, row (X (m, n), W1 (n, h)) or column (X (n, m), "
        "W1 (h, n), as in Andrew Ng's course) (default: tried, the report says which held)",
    )
    _add_network_options(check, l2=("sum", "half", "half-m", "none"))
    check.add_argument(
        "--label-form", choices=("integers", "onehot"), help="mlp: the labels your function takes (default: tried)"
    )
    check.add_argument(
        "--timeout",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help=f"seconds your function may take, {MIN_TIMEOUT:g} to {MAX_TIMEOUT:g} (default: 10)",
    )
    check.add_argument(
        "--isolate",
        action="store_true",
        help="run your function with no network and a private temporary directory (Linux user namespaces; "
        "without them it runs as usual and says so)",
    )
    check.add_argument("--format", default="text", choices=("text", "markdown", "json"), help="output format")
    check.add_argument("--json", dest="format", action="store_const", const="json", help="same as --format json")
    check.add_argument("--ascii", action="store_true", help="ASCII only")
    check.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    check.add_argument("--seed", type=_seed, default=0, help="seed of the random test data (default: 0)")

    proof = commands.add_parser("verify", help="check a derivation you wrote (LaTeX or Markdown), step by step")
    proof.add_argument("file", metavar="FILE", help="a .tex or .md file, or - for standard input")
    proof.add_argument(
        "--hypothesis",
        default=None,
        help="the model h_θ(x) and J mean (default: read from the text's h_θ(x) = … or J(θ) = …, else logistic)",
    )
    _add_cost_options(proof, python_flag=True)
    proof.add_argument("--format", default="text", choices=("text", "json", "latex"), help="output format")
    proof.add_argument("--standalone", action="store_true", help="with --format latex: a whole annotated document")
    proof.add_argument("--ascii", action="store_true", help="ASCII only")
    proof.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    proof.add_argument("--seed", type=_seed, default=0, help="seed of the numeric checks (default: 0)")
    proof.add_argument("--width", type=_width, metavar="N", help="wrap text at N columns (default: lines kept whole)")
    proof.add_argument(
        "--define",
        action="append",
        default=[],
        metavar="'NAME = EXPR'",
        help=r"a name the text uses without defining it, in LaTeX, e.g. 'O_1 = \sigma(w_1 x_1 + w_2 x_2)' (repeatable)",
    )

    kern = commands.add_parser("kernel", help="write NumPy code for a model's cost, gradient and Hessian")
    kern.add_argument("model", metavar="MODEL", nargs="?", help=models + "; or --cost, or --network")
    _add_cost_options(kern, python_flag=True)
    _add_network_options(kern)
    _add_layers_option(kern)
    kern.add_argument("-o", "--output", metavar="FILE", help="write the module to FILE instead of printing it")
    kern.add_argument(
        "--compiled",
        action="store_true",
        help='add a numba loop over rows for each sum over the examples (the module needs "derivation[fast]")',
    )

    commands.add_parser("models", help="list the model catalog")
    return parser


def _add_cost_options(p: argparse.ArgumentParser, *, python_flag: bool) -> None:
    p.add_argument(
        "--cost",
        metavar="COST",
        help=r"your cost instead of a MODEL, in LaTeX over examples i = 1..m, e.g. "
        r"'\frac{1}{m}\sum_{i=1}^m \log(1+e^{-y^{(i)}\theta^T x^{(i)}})'",
    )
    p.add_argument("--wrt", default="theta", metavar="PARAM", help="with --cost: the parameter (default: theta)")
    syntax = "--python" if python_flag else "--cost-python"
    if python_flag:
        p.add_argument("--python", dest="cost_python", action="store_true", help="with --cost: COST is Python syntax")
    else:
        p.add_argument("--cost-python", dest="cost_python", action="store_true", help="with --cost: Python syntax")
    p.add_argument(
        "--labels",
        choices=tuple(LABELS),
        help=f"with --cost: the labels of the sampled data (default: inferred from the cost); {syntax} reads "
        "COST as Python syntax (Sum(…, (i, 0, m-1)), x[i, k], theta[k], y[i])",
    )


def _add_layers_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--network",
        metavar="LAYERS",
        help="your own network written as named layers, a line each (or separated by ;), in plain, NumPy or "
        "LaTeX notation: the text, a file, or - for standard input, e.g. "
        "'Z1 = X W1 + b1; A1 = relu(Z1); Z2 = A1 W2 + b2; P = softmax(Z2); J = -(1/m) sum(Y * log(P))'",
    )


def _add_network_options(p: argparse.ArgumentParser, l2: tuple[str, ...] = ("sum", "half", "none")) -> None:
    p.add_argument("--activation", choices=("sigmoid", "tanh", "relu"), help="mlp: the hidden activation")
    p.add_argument("--output-layer", choices=("softmax", "sigmoid"), help="mlp: the output and its cross-entropy")
    p.add_argument(
        "--l2",
        choices=l2,
        help="mlp: the penalty, reg·ΣW² (sum), (reg/2)·ΣW² (half)"
        + (", (λ/2m)·ΣW² (half-m)" if "half-m" in l2 else "")
        + " or none; biases are never penalised",
    )


def _network(args: argparse.Namespace):
    """The network the options describe (show and kernel: sigmoid, softmax, no penalty unless asked)."""
    from .nets.network import Network

    return Network(args.activation or "sigmoid", args.output_layer or "softmax", args.l2 or "none")


def _network_options_alone(args: argparse.Namespace) -> None:
    """--activation, --output-layer, --l2 and --label-form belong to mlp."""
    given = [o for o in ("activation", "output_layer", "l2", "label_form") if getattr(args, o, None) is not None]
    if given and getattr(args, "model", None) not in NETWORK_ENTRIES:
        raise UsageError(f"--{given[0].replace('_', '-')} goes with the network model (mlp)")


def _seconds(text: str) -> float:
    """A ``--timeout`` value: a finite number of seconds within the bounds, else a usage error."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not MIN_TIMEOUT <= value <= MAX_TIMEOUT:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of seconds from {MIN_TIMEOUT:g} to {MAX_TIMEOUT:g}: write e.g. --timeout 30"
        )
    return value


def _add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", default="text", choices=FORMATS, help="output format (default: text)")
    p.add_argument("--standalone", action="store_true", help="with --format latex: a whole document for pdflatex")
    p.add_argument("--ascii", action="store_true", help="with --format text: ASCII only")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the numeric checks (default: 0)")
    p.add_argument("--width", type=_width, metavar="N", help="columns of text (default: the terminal's, else 100)")


def _seed(text: str) -> int:
    """A ``--seed`` value: a whole number from 0 to 2³²−1, else a usage error."""
    if not (text.isdigit() and int(text) < 2**32):
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed: write a whole number from 0 to 4294967295, e.g. 0")
    return int(text)


def _width(text: str) -> int:
    """A ``--width`` value: columns from 40 to 1000, else a usage error."""
    if not (text.isdigit() and 40 <= int(text) <= 1000):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of columns from 40 to 1000: write e.g. --width 100")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 a check failed, 2 bad usage).

    >>> main(["models"])  # doctest: +ELLIPSIS
    logistic ...
    0
    """
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "standalone", False) and args.format != "latex":
            raise UsageError("--standalone goes with --format latex")
        return _COMMANDS[args.command](args)
    except UsageError as error:
        print(f"derivation: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `derivation models | head`: the reader has what it wanted; stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit's flush has nowhere to fail
        return EXIT_OK


def _models(args: argparse.Namespace) -> int:
    width = max(len(name) for name in CATALOG)
    for name, model in {**CATALOG, **NETWORK_ENTRIES}.items():
        print(f"{name.ljust(width)}  {model.summary}")
    return EXIT_OK


def _entry(name: str) -> Entry:
    """The catalog entry, or a usage error that lists the catalog."""
    try:
        return entry(name)
    except KeyError as error:
        raise UsageError(error.args[0]) from None


def _cost_model(args: argparse.Namespace, command: str):
    """The model of ``--cost`` (None without it); a usage error for a MODEL beside it or neither."""
    model_name = getattr(args, "model", None)
    if args.cost is None:
        if args.cost_python or args.labels is not None or args.wrt != "theta":
            raise UsageError("--python, --labels and --wrt go with --cost")
        if command != "verify" and model_name is None:
            raise UsageError(f"give a MODEL ({', '.join(CATALOG)}) or --cost COST")
        return None
    if model_name is not None:
        raise UsageError(f"give a MODEL or --cost, not both ({model_name!r} and --cost)")
    from .derive.costs import model_from_cost
    from .models.costs import CostError, written_parameter

    try:
        wrt = written_parameter(args.cost, args.wrt, latex=not args.cost_python)
        return model_from_cost(args.cost, wrt, latex=not args.cost_python, labels=args.labels)
    except CostError as error:
        raise UsageError(str(error)) from None


def _show(args: argparse.Namespace) -> int:
    if args.network is not None:
        return _show_layers(args)
    _network_options_alone(args)
    if args.model in NETWORK_ENTRIES:
        return _show_network(args)
    if args.solve:
        return _solve(args)
    if args.cost is not None:
        return _show_cost(args)
    _cost_model(args, "show")  # the usage errors of a MODEL beside --cost's options, or of neither
    model = _entry(args.model)
    if args.form not in model.forms:
        raise UsageError(f"model {args.model!r} has no {args.form!r} form; it has: {', '.join(model.forms)}")
    if args.hessian and not (model.hessian and args.form == "sum"):
        raise UsageError(f"model {args.model!r} has no Hessian in {args.form!r} form")
    from .derive.api import derive_hessian, derive_model

    if args.hessian:
        derivation = derive_hessian(args.model, seed=args.seed)
    else:
        derivation = derive_model(args.model, args.form, seed=args.seed)
    _emit(_render(derivation, args), args.output)
    return EXIT_OK if derivation.verified else EXIT_INCORRECT


def _show_network(args: argparse.Namespace) -> int:
    if args.cost is not None or args.solve or args.hessian or args.form != "sum":
        raise UsageError("mlp takes no --cost, --solve, --hessian or --form: its gradients are derived by backprop")
    from .nets.backprop import derive_network

    derivation = derive_network(_network(args), seed=args.seed)
    _emit(_render(derivation, args), args.output)
    return EXIT_OK if derivation.verified else EXIT_INCORRECT


def _layers_text(source: str) -> str:
    """--network's text: standard input for -, a file's text for an existing path, else the text itself."""
    if source == "-" or ("=" not in source and Path(source).is_file()):
        try:
            return read_user_text(source)
        except UnreadableInputError as error:
            raise UsageError(str(error)) from None
    if "=" not in source:
        raise UsageError(f"--network {source!r} is neither a file nor layers: write e.g. 'Z1 = X W1 + b1; …' or a path")
    return source


def _layers(args: argparse.Namespace, *others: bool):
    """The Graph of --network (show and kernel); a MODEL, --cost, a preset's option or ``others`` is refused."""
    given = [f"--{o.replace('_', '-')}" for o in ("activation", "output_layer", "l2") if getattr(args, o) is not None]
    if args.model is not None or args.cost is not None or any(others) or given:
        extra = args.model or ("--cost" if args.cost is not None else None) or (given[0] if given else "--solve, …")
        raise UsageError(f"--network is the whole network (its activations, loss and penalty): drop {extra}")
    from .nets.graph import Graph
    from .parsing import ParseError

    text = _layers_text(args.network)
    try:
        return Graph.read(text)
    except ParseError as error:
        raise UsageError(f"cannot read the network: {error}") from None


def _show_layers(args: argparse.Namespace) -> int:
    graph = _layers(args, args.solve, args.hessian, args.form != "sum")
    from .nets.backprop import derive_network

    derivation = derive_network(graph, seed=args.seed)
    _emit(_render(derivation, args), args.output)
    return EXIT_OK if derivation.verified else EXIT_INCORRECT


def _solve(args: argparse.Namespace) -> int:
    if args.cost is not None or args.model is None or args.hessian or args.form != "sum":
        raise UsageError("--solve takes a catalog MODEL only (no --cost, --hessian or --form example)")
    _entry(args.model)
    from .derive.normal_equations import SOLVABLE, no_closed_form, normal_equations

    if args.model not in SOLVABLE:
        raise UsageError(no_closed_form(args.model))
    derivation = normal_equations(args.model, seed=args.seed)
    _emit(_render(derivation, args), args.output)
    return EXIT_OK if derivation.verified else EXIT_INCORRECT


def _show_cost(args: argparse.Namespace) -> int:
    if args.model is not None:
        raise UsageError(f"give a MODEL or --cost, not both ({args.model!r} and --cost)")
    if args.form != "sum":
        raise UsageError("a cost has the sum form only (--form sum)")
    from .derive.costs import derive_cost
    from .models.costs import CostError, written_parameter

    try:
        wrt = written_parameter(args.cost, args.wrt, latex=not args.cost_python)
        derivation = derive_cost(
            args.cost, wrt, latex=not args.cost_python, labels=args.labels, seed=args.seed, hessian=args.hessian
        )
    except CostError as error:
        raise UsageError(str(error)) from None
    _emit(_render(derivation, args), args.output)
    return EXIT_OK if derivation.verified else EXIT_INCORRECT


_SUBSCRIPTED = re.compile(r"^\\?([A-Za-z]+|θ)_\{?([A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)*)\}?$")


def _python_variable(text: str) -> str:
    """--wrt as the Python-syntax reader takes it: θ_j, \\theta_j and theta_j (as LaTeX writes) mean theta[j].

    >>> _python_variable(r"\\theta_j"), _python_variable("θ_{0}"), _python_variable("W_{jc}"), _python_variable("w")
    ('theta[j]', 'theta[0]', 'W[j,c]', 'w')
    """
    match = _SUBSCRIPTED.match(text.strip())
    if match is None:
        return text
    name = "theta" if match.group(1) == "θ" else match.group(1)
    sub = match.group(2).replace(" ", "")
    if name == "W" and len(sub) == 2:  # W_{jc}: the weight matrix has two indices, feature then class
        sub = ",".join(sub)
    return f"{name}[{sub}]"


def _expression_entry(expr, variable: str):
    """--wrt z[j] where the expression writes z_k (an indexed name of its own, not one of θ's table): z's entry j,
    j a free index like θ_j's.  None when the expression has no indexed name of that spelling."""
    import sympy as sp

    from .parsing import read_expr

    found = re.fullmatch(r"([A-Za-z]+)\[([A-Za-z])\]", variable)
    if found is None:
        return None
    bases = {a.base for a in expr.atoms(sp.Indexed) if str(a.base.label) == found[1]}
    if len(bases) != 1:
        return None
    index = read_expr(f"theta[{found[2]}]", allow_new_symbols=True).indices[0]  # θ_j's j: an integer index
    return bases.pop()[index]


def _derive(args: argparse.Namespace) -> int:
    import sympy as sp

    from .derive.api import derive
    from .parsing import ParseError, parse_latex, read_expr

    try:
        if args.latex:
            from .proof.read import model_context

            expr = parse_latex(args.expr, model_context("logistic"))  # h_θ, J and G as in the course
        else:
            expr = read_expr(args.expr, allow_new_symbols=True)
        wrt = _expression_entry(expr, _python_variable(args.wrt))
        if wrt is None:
            wrt = read_expr(_python_variable(args.wrt), allow_new_symbols=True)
    except ParseError as error:
        raise UsageError(f"cannot read the input: {error}") from None
    if not (isinstance(wrt, sp.Symbol) or isinstance(wrt, sp.Indexed)):
        raise UsageError(f"--wrt takes one variable such as w or theta[j], not {args.wrt!r}")
    if isinstance(wrt, sp.Indexed):  # z_{2k} reads as z_{2,k} (two indices, as x_{ij}): no rule takes ∂z_{2,k}/∂z_j
        other = next(
            (a for a in expr.atoms(sp.Indexed) if a.base == wrt.base and len(a.indices) != len(wrt.indices)), None
        )
        if other is not None:
            written = f"{wrt.base}_{{{','.join(map(str, other.indices))}}}"
            raise UsageError(
                f"{wrt.base} is written with {len(other.indices)} indices in {written} (a subscript such as 2k reads "
                f"as two indices, 2 and k, as x_{{ij}} does) but --wrt {args.wrt} has {len(wrt.indices)}: "
                "write each entry with one index letter, e.g. z_k"
            )
    from .core.dependence import depends_on

    if not depends_on(expr, wrt):  # θ_j occurs in Σ_k θ_k², as θ_k with k = j
        names = ", ".join(sorted(str(s) for s in expr.free_symbols)) or "none"
        raise UsageError(f"{args.wrt!r} does not occur in the expression (its symbols: {names})")
    from .parsing.bounds import check_derivative

    too_much = check_derivative(expr, lambda node: depends_on(node, wrt), args.wrt)  # before any rule runs
    if too_much is not None:
        raise UsageError(too_much)
    derivation = derive(expr, wrt, seed=args.seed)
    _emit(_render(derivation, args), args.output)
    return EXIT_OK if derivation.verified else EXIT_INCORRECT


def _over_w(name: str | None) -> bool:
    """Whether ``name`` is a catalog model over a weight matrix W (softmax, svm-multiclass: one-hot labels)."""
    return name in CATALOG and CATALOG[name].labels == "onehot"


def _check(args: argparse.Namespace) -> int:
    _network_options_alone(args)
    _octave_file(args)
    if args.model in NETWORK_ENTRIES:
        return _check_network(args)
    if args.layout in ("row", "column"):
        raise UsageError("--layout row|column goes with mlp; models over W take n+1,K or K,n+1")
    cost_model = _cost_model(args, "check")
    if cost_model is None and not _entry(args.model).matrix:
        raise UsageError(no_gradient_to_check(args.model))
    if args.call is not None and args.python is None:
        raise UsageError("--call goes with --python")
    if args.layout is not None and (args.python is None or not _over_w(args.model)):
        raise UsageError("--layout goes with --python and a model over W (softmax, softmax-l2, svm-multiclass)")
    from .check.gradient import check_gradient
    from .check.usersource import octave_gradient
    from .parsing import ParseError
    from .printing.gradient_report import render_report

    model = cost_model if cost_model is not None else args.model
    try:
        grad = octave_gradient(args.grad, model) if args.grad is not None else None
        report = check_gradient(
            model,
            grad=grad if grad is not None else args.grad,
            latex=args.latex,
            python=args.python,
            call=args.call,
            seed=args.seed,
            timeout=args.timeout,
            isolate=args.isolate,
            layout=args.layout,
        )
    except ParseError as error:  # unreadable input, unknown model or file: exit 2
        raise UsageError(str(error)) from None
    if grad is not None:  # the user's Octave, then what was checked
        note = f"Octave syntax, read as the NumPy {grad}"
        report = dataclasses.replace(report, received=args.grad, notes=(note, *report.notes))
    _emit(render_report(report, args.format, ascii=args.ascii), args.output)
    return report.exit_code


def _octave_file(args: argparse.Namespace) -> None:
    """``--octave FILE.m`` is ``--python FILE.m``; an Octave file is read for a model over θ or W, not a network."""
    from .check.spec import is_octave, split_spec

    if args.octave is not None:
        if not is_octave(split_spec(args.octave)[0]):
            raise UsageError(f"--octave takes an Octave/MATLAB file FILE.m[:FUNCTION], not {args.octave}")
        args.python = args.octave
    if args.python is not None and args.model in NETWORK_ENTRIES and is_octave(split_spec(args.python)[0]):
        raise UsageError(f"check {args.model} takes a Python function; Octave files are read for models over θ or W")


def _check_network(args: argparse.Namespace) -> int:
    if args.python is None:
        raise UsageError("check mlp takes your backprop as --python FILE:FUNCTION (e.g. net.py:loss_and_grads)")
    if args.layout in ("n+1,K", "K,n+1"):
        raise UsageError("--layout for mlp is row (X (m, n), W1 (n, h)) or column (X (n, m), W1 (h, n))")
    from .nets.check import check_mlp
    from .parsing import ParseError

    try:
        report = check_mlp(
            args.python,
            activation=args.activation,
            output=args.output_layer,
            l2=args.l2,
            layout=args.layout,
            labels=args.label_form,
            seed=args.seed,
            timeout=args.timeout,
            isolate=args.isolate,
        )
    except ParseError as error:  # unreadable file or function, unknown name: exit 2
        raise UsageError(str(error)) from None
    _emit(report.render(args.format, ascii=args.ascii), args.output)
    return report.exit_code


def _verify(args: argparse.Namespace) -> int:
    cost_model = _cost_model(args, "verify")  # the cost J(θ) the text derives, instead of a catalog model
    if cost_model is None and args.hypothesis is not None:
        _entry(args.hypothesis)
    try:
        text = read_user_text(args.file)  # bounded: never the whole of /dev/zero or `yes |`
    except UnreadableInputError as error:
        raise UsageError(str(error)) from None
    from .printing.proof_report import render_proof
    from .proof.verifier import verify_text

    try:
        if cost_model is None:
            report = verify_text(text, hypothesis=args.hypothesis, seed=args.seed, definitions=args.define)
        else:
            import dataclasses

            report = verify_text(text, hypothesis=cost_model, seed=args.seed, definitions=args.define)
            report = dataclasses.replace(report, hypothesis="your cost")
    except ValueError as error:  # a declaration we cannot read
        raise UsageError(str(error)) from None
    text = render_proof(report, args.format, ascii=args.ascii, standalone=args.standalone, width=args.width)
    _emit(text, args.output)
    return report.exit_code


def _kernel(args: argparse.Namespace) -> int:
    if args.compiled and (args.network is not None or args.model in NETWORK_ENTRIES):
        raise UsageError("--compiled is for a MODEL or --cost: a network's kernel is NumPy only")
    if args.network is not None:
        from .nets.backprop import derive_network
        from .nets.kernel import mlp_kernel_source

        graph = _layers(args)
        # the module is printed from the derived equations: only once the oracle has checked them on this network
        derivation = derive_network(graph, seed=getattr(args, "seed", 0))
        if not derivation.verified:
            print(
                "derivation: the derivation of this network did not pass its checks, so no kernel is written: "
                "run `derivation show --network …` to see which step",
                file=sys.stderr,
            )
            return EXIT_INCORRECT
        _emit(mlp_kernel_source(graph), args.output)
        return EXIT_OK
    _network_options_alone(args)
    if args.model in NETWORK_ENTRIES:
        if args.cost is not None:
            raise UsageError("give a MODEL or --cost, not both")
        from .nets.kernel import mlp_kernel_source

        _emit(mlp_kernel_source(_network(args)), args.output)
        return EXIT_OK
    cost_model = _cost_model(args, "kernel")
    if cost_model is None and not _entry(args.model).matrix:
        raise UsageError(no_kernel(args.model))
    if cost_model is not None and not cost_model.vectorised:
        raise UsageError(
            "this cost has no matrix form we could derive (kernels are generated from the matrix form); "
            "`derivation show --cost` shows the sum form"
        )
    from .kernels.runtime import kernel_source

    try:
        source = kernel_source(cost_model if cost_model is not None else args.model, compiled=args.compiled)
    except ValueError as error:  # a model without a matrix form, or without a compiled loop
        raise UsageError(str(error).splitlines()[0]) from None
    _emit(source, args.output)
    return EXIT_OK


def _render(derivation, args: argparse.Namespace) -> str:
    """``derivation`` in the format asked; a title's further lines (what a cost was read as, derive/costs.py) are
    notes printed first after it, in each format's own way."""
    from .printing import render
    from .printing.text import WIDTH, terminal_width

    width = args.width or (WIDTH if args.output else terminal_width())  # a file reads the same on any screen
    title, *notes = derivation.title.split("\n")
    out = render(
        dataclasses.replace(derivation, title=title),
        args.format,
        ascii=args.ascii,
        standalone=args.standalone,
        width=width,
    )
    return _with_notes(out, notes, args, width) if notes else out


def _with_notes(out: str, notes: list[str], args: argparse.Namespace, width: int) -> str:
    """``out`` (one rendered format) with ``notes`` as the first lines after its title."""
    import json
    import textwrap

    from .printing.expr import ascii_text
    from .printing.json import dumps
    from .printing.latex import latex_prose

    prose = ascii_text if args.ascii else str
    if args.format == "json":
        data = json.loads(out)
        data = {"title": data.pop("title"), "notes": [prose(note) for note in notes], **data}
        return dumps(data, ascii=args.ascii)
    lines = out.split("\n")
    if args.format == "latex":
        text = [r"\noindent " + latex_prose(note) + r"\par" for note in notes]
        at = next((k + 1 for k, line in enumerate(lines) if line.startswith(r"\section*")), 0)
        return "\n".join([*lines[:at], *text, *([] if at else [""]), *lines[at:]])
    if args.format == "markdown":
        return "\n".join([*lines[:2], *(prose(note) for note in notes), "", *lines[2:]])
    rows = [row for note in notes for row in textwrap.wrap(prose(note), width, subsequent_indent="  ")]
    return "\n".join([lines[0], *rows, *lines[1:]])


def _emit(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        Path(output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror}") from None


_COMMANDS = {"show": _show, "derive": _derive, "check": _check, "verify": _verify, "kernel": _kernel, "models": _models}
