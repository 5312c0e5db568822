r"""The left side of a user's gradient equation: what is differentiated, by what, and which entries.

``\frac{\partial J(\theta)}{\partial \theta_j}``, ``\frac{\partial}{\partial\theta_j} J(\theta)``,
``\partial_{\theta_j} J``, ``\nabla_\theta J``, ``\nabla(J)_j``, ``(\nabla J)_j``, ``grad``, ``g_j``, ``dw``,
``db`` (``dB``, ``d_b``, ``\delta b``), ``\frac{\partial \ell}{\partial \theta_j}``,
``\frac{\partial}{\partial \theta_j} \log L(\theta)``: a derivative.
``\theta_j``, ``\theta``, ``\theta_0``, ``w``, ``w_j``, ``b``: an update rule.
``\hat{y}^{(i)}``, ``z``, ``p_i``: a definition the next lines use.
Anything else is an error that says what to write.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from .errors import ParseError
from .layout import ALL, BIAS, WEIGHTS_SCOPE, Line

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\S")
_DROPPED = frozenset(
    r"\left \right \displaystyle \textstyle \limits \nolimits \big \Big \bigg \Bigg \bigl \bigr \Bigl \Bigr "
    r"\, \; \: \! \quad \qquad \ ~".split()
)
_FONTS = frozenset(
    r"\mathbf \boldsymbol \bm \vec \mathrm \mathit \mathcal \mathsf \operatorname \text \textrm \pmb \tilde "
    r"\widetilde \overrightarrow \mathnormal".split()
)
_SAME = {r"\cfrac": r"\frac", r"\dfrac": r"\frac", r"\tfrac": r"\frac", r"\triangledown": r"\nabla",
         r"\bigtriangledown": r"\nabla", r"\vartheta": r"\theta", r"\widehat": r"\hat"}  # fmt: skip
_COSTS = frozenset(
    ("J", "E", "C", "L", "cost", "loss", "Loss", "Cost", "J_{train}", r"\mathcal{J}", "E_D", "E_{in}", "E_{train}")
) | {"MSE", "SSE", "RSS", "NLL"}  # E_D: Bishop's data term; E_in: the in-sample
# error; ∂MSE/∂w_j: the cost by its name; NLL(w): Murphy's negative log-likelihood
_LIKELIHOODS = frozenset((r"\ell", "l", r"\log L", r"\ln L", "LL", r"\log\ell", "ll", r"\log L_{\theta}"))
_GRADIENT_NAMES = frozenset(("grad", "g", "gradient", "G", "dJ", r"\delta", "dtheta", r"d\theta", "gradJ"))
# dw and db as users also spell them (review 9's D16-D32: refused, and once dropped beside dW = …): read as dw, db
_D_SPELLINGS = {"dB": "db", "d_b": "db", r"\deltab": "db", r"\delta_b": "db", r"\deltaB": "db", "d_w": "dw",
                r"\deltaw": "dw", r"\delta_w": "dw", "d_W": "dW", r"\deltaW": "dW"}  # fmt: skip
_DEFINABLE = frozenset("a e p q r s t u v z h A Z L D".split())  # L, D: a matrix, ridge's diag(0, 1, …, 1)
_EQUATION = r"\frac{\partial J(\theta)}{\partial \theta_j} = ..."


@dataclass(frozen=True)
class Left:
    r"""What a line's left side says.

    ``kind`` is "derivative", "update" or "definition"; ``target`` "cost", "log-likelihood" or
    "negative-log-likelihood" (Murphy's NLL) for a derivative; ``name`` the parameter (theta, w, b) or the
    defined name; ``index`` the entry index written (a letter, "0", or None for a vector); ``scope`` ALL, BIAS
    or WEIGHTS_SCOPE; ``cost`` the span of the cost when the left side differentiates it written out
    (``\frac{\partial}{\partial\theta_j}\frac{1}{2m}\sum_i …``), named :data:`WRITTEN_COST`.
    """

    kind: str
    target: str | None
    name: str
    index: str | None
    scope: str
    cost: tuple[int, int] | None = None  # ∂/∂θ_j of the cost written out: where it is in the text (start, end)

    @property
    def vector(self) -> bool:
        return self.index is None and self.scope != BIAS


def read_left(text: str, line: Line, *, written: bool = False) -> Left:
    """The left side of ``line``; with ``written`` a cost written out on it (∂/∂θ_j of (1/2m)Σ…) is read as the
    target, its span in ``cost`` (for the caller to read and judge the right side against); without, refused."""
    start, end = line.left

    def fail(message: str) -> ParseError:
        return ParseError(message, start, text)

    left = _read_left(text, start, end, fail)
    if left.kind == "derivative" and left.target == WRITTEN_COST:
        operand = _operand(text, start, end)
        if operand is None:
            raise fail(f"cannot read the cost on the left side: write {_WRITTEN}")
        if not written:
            shown = "".join(tokens_of(text[operand[0] : operand[1]]))
            raise fail(f"the left side is the derivative of {shown}, not of the cost: write {_EQUATION}")
        left = dataclasses.replace(left, target="cost", cost=operand)
    return left


def _read_left(text: str, start: int, end: int, fail) -> Left:

    tokens = tokens_of(text[start:end])
    tokens, entry = _entry_suffix(tokens)
    tokens = _unwrap(tokens)
    if tokens[:1] == [r"\frac"] or "/" in tokens:
        if tokens[:1] == [r"\frac"]:
            numerator, k = group(tokens, 1)
            denominator, k = group(tokens, k)
            after = tokens[k:]
        else:
            cut = tokens.index("/")
            numerator, denominator, after = tokens[:cut], tokens[cut + 1 :], []
        if not numerator or numerator[0] not in (r"\partial", "d", r"\delta") or denominator[:1] != numerator[:1]:
            raise fail(f"cannot read the left side: a derivative is written {_EQUATION}")
        if numerator[1:2] == ["^"] or denominator[-2:-1] == ["^"]:
            raise fail("a second derivative on the left: the gradient is the first derivative, " + _EQUATION)
        function = numerator[1:]
        if function and after:
            raise fail(f"two functions on the left side: {_EQUATION}")
        return _derivative(fail, function or after, denominator[1:], entry)
    if tokens[:2] == [r"\partial", "_"]:
        variable, k = group(tokens, 2)
        return _derivative(fail, tokens[k:], variable, entry)
    if tokens[:1] == [r"\nabla"]:
        variable, k = group(tokens, 2) if tokens[1:2] == ["_"] else (None, 1)
        function, inner_entry = _entry_suffix(tokens[k:])
        return _derivative(fail, _unwrap(function), variable, entry or inner_entry)
    written = "".join(tokens)
    base, index = _split_index(_without_iteration(tokens))
    spelled = _D_SPELLINGS.get("".join(_without_iteration(tokens)))
    if spelled is not None:  # dB, d_b, \delta b: the Specialization's db
        base, index = spelled, None
    if base in _GRADIENT_NAMES or (base in ("dw", "dW", "db") and (index is None or base == "dw")):
        weights = base in ("dw", "dW", "db")
        scope = BIAS if base == "db" or (index or entry) == "0" else (WEIGHTS_SCOPE if weights else ALL)
        return Left("derivative", "cost", "w" if weights else "theta", _index(fail, index or entry), scope)
    if base in (r"\theta", "w", "W", "b") and entry is None:
        name = {"W": "w"}.get(base, base).lstrip("\\")
        index = _index(fail, index)
        scope = BIAS if name == "b" or index == "0" else (WEIGHTS_SCOPE if name == "w" else ALL)
        return Left("update", None, name, index, scope)
    if entry is None and _is_function(tokens):
        return Left("function", _function_kind(tokens), written, None, ALL)
    definable = base in _DEFINABLE or base == r"\hat{y}" or (base.startswith("\\") and base[1:] in _GREEK)
    if definable and entry is None:
        return Left("definition", None, base, index, ALL)
    shown = written if len(written) <= 40 else written[:39] + "…"
    raise fail(
        f"cannot read the left side '{shown}': write {_EQUATION}, "
        r"\nabla_\theta J(\theta) = ... or \theta_j := \theta_j - \alpha ..."
    )


_GREEK = frozenset("alpha beta gamma delta epsilon lambda mu nu rho phi psi omega".split())  # λ_i: Poisson's mean
_MODEL_FUNCTIONS = frozenset(("h", r"\sigma", "g", r"\operatorname", "sigmoid", "f"))


def _is_function(tokens: list[str]) -> bool:
    """J(θ), ℓ(θ), h_θ(x), σ(z), σ'(z): a function written with its argument, defined on this line."""
    name = _drop_arguments(tokens)
    return (
        len(name) < len(tokens)
        and bool(name)
        and (_function_kind(tokens) == "cost" or name[0] in _MODEL_FUNCTIONS or "".join(name) in _LIKELIHOODS)
    )


def _function_kind(tokens: list[str]) -> str:
    """ "cost" for J(θ), E(θ), ℓ(θ) (what the gradient is of); "model" for h_θ(x), σ(z), g(z)."""
    name = "".join(_drop_arguments(tokens))
    return "cost" if name in _COSTS or name in {s.replace(" ", "") for s in _LIKELIHOODS} else "model"


def _derivative(fail, function: list[str], variable: list[str] | None, entry: str | None) -> Left:
    target = _function(fail, function)
    if variable is None:  # ∇J: by all of θ
        return Left("derivative", target, "theta", _index(fail, entry), BIAS if entry == "0" else ALL)
    base, index = _split_index(_unwrap(variable))
    if entry is not None and index is not None:
        raise fail(f"two indices on the left side: {_EQUATION}")
    index = _index(fail, index or entry)
    if base in (r"\theta", r"\theta^{T}", r"\theta^T", r"\beta"):  # ESL's β: the parameters θ
        return Left("derivative", target, "theta", index, BIAS if index == "0" else ALL)
    if base in ("w", "W", r"\mathbf{w}"):
        return Left("derivative", target, "w", index, BIAS if index == "0" else WEIGHTS_SCOPE)
    if base == "b":
        return Left("derivative", target, "b", None, BIAS)
    written = "".join(variable)
    if base in _SCORES:  # d2l's ∂l/∂o_j: one step of the chain rule, by the scores, not by the parameters
        raise fail(
            f"the left side differentiates by {written}, a score (the model's output before softmax or σ), not by "
            "the parameters: give the gradient by θ or W (by the chain rule, Σ_i x^{(i)} times this for each "
            f"example): write {_EQUATION}"
        )
    raise fail(f"the left side differentiates by {written}; the gradient is by the parameters: write {_EQUATION}")


_SCORES = frozenset(("o", "z", r"\mathbf{o}", r"\mathbf{z}"))


def _function(fail, tokens: list[str]) -> str:
    """ "cost" or "log-likelihood" from what is differentiated (J(θ), ℓ(θ), log L(θ)); an error for anything else."""
    original = tokens
    tokens = _unwrap(_drop_arguments(tokens))
    written = " ".join(tokens)
    joined = "".join(tokens)
    if joined == "NLL":  # Murphy's negative log-likelihood: the cost, summed over the examples
        return "negative-log-likelihood"
    if not tokens or joined in _COSTS or written in _COSTS:
        return "cost"
    if (
        joined in _LIKELIHOODS
        or written in _LIKELIHOODS
        or written.replace(" ", "") in {s.replace(" ", "") for s in _LIKELIHOODS}
    ):
        return "log-likelihood"
    if _written_out(original):  # \frac{1}{2m}\sum_i (h − y)²: the cost itself, read by the caller (its span)
        return WRITTEN_COST
    shown = "".join(tokens)
    raise fail(f"the left side is the derivative of {shown}, not of the cost: write {_EQUATION}")


WRITTEN_COST = "the cost differentiated on the left"  # a Left's target until read_left finds its span
_WRITTEN = r"\frac{\partial}{\partial \theta_j} \frac{1}{2m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})^2 = ..."
# what only a cost written out has: a sum, a fraction, a norm, a logarithm, a sign (J, ℓ(θ), h_θ(x) have none)
_OPERATIONS = frozenset((r"\sum", r"\frac", "+", "-", "|", r"\|", r"\lVert", r"\Vert", r"\log", r"\ln"))


def _written_out(tokens: list[str]) -> bool:
    """The differentiated thing is an expression (the cost written out), not a name such as J(θ) or ℓ."""
    return any(t in _OPERATIONS for t in tokens)


def _operand(text: str, start: int, end: int) -> tuple[int, int] | None:
    r"""Where the differentiated expression is in ``text[start:end]``: after ``\frac{\partial}{\partial\theta_j}``,
    ``\partial_{\theta_j}`` or ``\nabla_\theta``; None for any other left side."""
    k = _skip(text, start, end)
    command = re.match(r"\\([A-Za-z]+)", text[k:end])
    if command is None:
        return None
    name = _SAME.get("\\" + command.group(1), "\\" + command.group(1))
    k += command.end()
    if name == r"\frac":
        k = _past_group(text, _past_group(text, k, end), end)
    elif name in (r"\partial", r"\nabla"):
        at = _skip(text, k, end)
        if text.startswith("_", at):
            k = _past_group(text, at + 1, end)
        elif name == r"\partial":
            return None
    else:
        return None
    while k < end and text[k].isspace():  # \left[ … \right] stays whole: the reader of the cost takes it
        k += 1
    return (k, end) if k < end else None


def _skip(text: str, k: int, end: int) -> int:
    """Past spaces and the sizing and spacing commands the tokens drop."""
    while k < end:
        found = re.match(r"\s+|\\[A-Za-z]+|\\[,;:! ]", text[k:end])
        if found is None or (not found.group().isspace() and found.group() not in _DROPPED):
            return k
        k += found.end()
    return k


def _past_group(text: str, k: int, end: int) -> int:
    r"""Past one argument: a braced group, a command (with its group for a font, ``\mathbf{w}``) or a character."""
    k = _skip(text, k, end)
    if k >= end:
        return k
    if text[k] == "{":
        depth = 0
        for at in range(k, end):
            depth += {"{": 1, "}": -1}.get(text[at], 0)
            if depth == 0:
                return at + 1
        return end
    command = re.match(r"\\[A-Za-z]+", text[k:end])
    if command is None:
        return k + 1
    after = k + command.end()
    return _past_group(text, after, end) if command.group() in _FONTS else after


def tokens_of(text: str) -> list[str]:
    r"""The tokens of a left side, fonts and sizing dropped, subscripts and ``\hat`` braced alike.

    >>> tokens_of(r"\frac{\partial \mathcal{J}(\boldsymbol\theta)}{\partial \theta_{j}}")
    ['\\frac', '{', '\\partial', 'J', '(', '\\theta', ')', '}', '{', '\\partial', '\\theta', '_', 'j', '}']
    """
    raw = [_SAME.get(t, t) for t in _TOKEN.findall(text) if t not in _DROPPED]
    out: list[str] = []
    k = 0
    while k < len(raw):
        t = raw[k]
        if t in _FONTS:
            k += 1
            if k < len(raw) and raw[k] == "{":
                inner, after = group(raw, k)
                raw[k:after] = inner
            continue
        if t == r"\hat":
            inner, after = group(raw, k + 1)
            out.append(r"\hat{" + "".join(inner) + "}")
            k = after
            continue
        out.append(t)
        k += 1
    # braces around one token after _ or ^: θ_{j} is θ_j
    k = 0
    while k + 3 < len(out):
        if out[k] in ("_", "^") and out[k + 1] == "{" and out[k + 3] == "}":
            del out[k + 3], out[k + 1]
        k += 1
    return out


def group(tokens: list[str], k: int) -> tuple[list[str], int]:
    """The group at ``k`` (``{…}`` or one token) and the index after it."""
    if k >= len(tokens):
        return [], k
    if tokens[k] != "{":
        return [tokens[k]], k + 1
    depth = 0
    for end in range(k, len(tokens)):
        depth += {"{": 1, "}": -1}.get(tokens[end], 0)
        if depth == 0:
            return tokens[k + 1 : end], end + 1
    return tokens[k + 1 :], len(tokens)


def _entry_suffix(tokens: list[str]) -> tuple[list[str], str | None]:
    """``(\nabla J)_j``, ``\nabla(J)_j``, ``J(\theta)_j``: the tokens without ``_j``, and j."""
    if len(tokens) >= 3 and tokens[-2] == "_" and tokens[-3] in (")", "]", "}"):
        return tokens[:-2], tokens[-1]
    return tokens, None


def _unwrap(tokens: list[str]) -> list[str]:
    """Without parentheses or brackets around all of it."""
    while len(tokens) >= 2 and (tokens[0], tokens[-1]) in (("(", ")"), ("[", "]"), ("{", "}")):
        depth = 0
        for k, t in enumerate(tokens):
            depth += 1 if t in "([{" else (-1 if t in ")]}" else 0)
            if depth == 0 and k < len(tokens) - 1:
                return tokens
        tokens = tokens[1:-1]
    return tokens


def _drop_arguments(tokens: list[str]) -> list[str]:
    """J(θ) → J, ℓ(w, b) → ℓ: a function's argument list says nothing about what is differentiated."""
    if tokens and tokens[-1] == ")" and "(" in tokens[1:]:
        depth = 0
        for k in range(len(tokens) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(tokens[k], 0)
            if depth == 0:
                return tokens[:k] if k > 0 else tokens
    return tokens


def _without_iteration(tokens: list[str]) -> list[str]:
    r"""``\theta^{(t+1)}``, ``w^{(k)}``: the parameter, without the step of the iteration."""
    if len(tokens) >= 5 and tokens[1:4] == ["^", "{", "("] and tokens[-2:] == [")", "}"]:
        if {t for t in tokens[4:-2] if t.lstrip("\\").isalpha()} in ({"t"}, {"k"}, {r"\tau"}):
            return tokens[:1]
    return tokens


def _split_index(tokens: list[str]) -> tuple[str, str | None]:
    """θ_j → (θ, j); dw → (dw, None); \\hat{y}^{(i)} → (\\hat{y}, i)."""
    if len(tokens) >= 3 and tokens[-2] == "_":
        return "".join(tokens[:-2]), tokens[-1]
    if len(tokens) >= 5 and tokens[-5:-3] == ["^", "{"] and tokens[-3:] in (["(", tokens[-2], ")"],):
        return "".join(tokens[:-5]), tokens[-2]
    if len(tokens) >= 6 and tokens[-6:-4] == ["^", "{"] and tokens[-4] == "(" and tokens[-2:] == [")", "}"]:
        return "".join(tokens[:-6]), tokens[-3]
    if len(tokens) >= 5 and tokens[-4] == "^" and tokens[-3] == "(" and tokens[-1] == ")":
        return "".join(tokens[:-4]), tokens[-2]
    return "".join(tokens), None


def _index(fail, index: str | None) -> str | None:
    if index is None or re.fullmatch(r"[a-z]|[0-9]+", index):  # a letter, or a fixed entry θ_d (check judges it)
        return index
    raise fail(f"the left side names one entry ({index}): write it for every j, as \\theta_j, or for j = 0")


__all__ = ["ALL", "BIAS", "WEIGHTS_SCOPE", "WRITTEN_COST", "Left", "read_left", "tokens_of"]
