r"""Node names of the networks in backprop blog posts and course notes, read as plain names.

Blog posts name every node of a small network: ``net_{o1}``, ``out_{h1}``, ``target_{o1}``,
``E_{total}``, ``O_3``, ``h_1``; course notes write the layer on top, ``a^{[2]}``, ``z^{[1]}``,
``W^{[2]}``, and ``dz^{[2]}`` for ∂L/∂z^{[2]}.  The LaTeX reader reads ``net`` as n·e·t, ``O_3``
as entry 3 of a vector O and ``a^{[2]}`` as a², so each such name is put in as a placeholder
letter the document does not use, and the placeholder is turned back into the name as written
(``net_o1``, ``a^[2]``) once read.  A name with a number on it is one node, not an entry of a
vector: it can be defined (``O_3 = σ(w_5 O_1 + w_6 O_2)``) and differentiated by.  So is a loss named by a word
that the text defines or differentiates (``BCE = …``, ``\frac{dLoss}{dw_1}``, ``MSE(\theta) = …``): one name, not
B·C·E.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from ..core.functions import spellings
from ..parsing.atoms import GREEK, PLAIN_WORDS, WORDS
from ..parsing.letters import letter_sign
from .interpret import Rewritten, unicode_spelled

# Words that are functions, not node names (log_2 x, max_j, …).
_FUNCTIONS = {"log", "ln", "exp", "max", "min", "sin", "cos", "tan", "tanh", "sign", "sgn", "relu", "sum", "prod"}
# Letters of the notation that keep their indexed reading: w_5 is the weight θ_5, x_1 a feature.
_INDEXED = set("xywXYWme") | {"theta"}  # e_0: a basis vector

_WORD = r"(?<![A-Za-z\\])(?P<word>[A-Za-z]{2,})\s*_\s*(?P<sub>\{\s*[A-Za-z0-9]+\s*\}|[A-Za-z0-9])"
_LETTER_LABEL = r"(?<![A-Za-z\\])(?P<word>[A-Za-z])\s*_\s*(?P<sub>\{\s*(?:[A-Za-z]+[0-9]+|[A-Za-z]{3,})\s*\})"
_LETTER_NUMBER = r"(?<![A-Za-z\\'])(?P<word>[A-Za-z])\s*_\s*(?P<sub>\{\s*[0-9]\s*\}|[0-9])(?![0-9])"
# δ_2 = ∂L/∂z_2: a Greek letter with a layer's number, a node when the text defines it (θ_1, λ_1 keep their reading)
_GREEK_COMMAND = r"\\(?:" + "|".join(sorted(GREEK - {"varepsilon", "varphi"}, key=len, reverse=True)) + r")(?![A-Za-z])"
_GREEK_NUMBER = r"(?P<word>" + _GREEK_COMMAND + r")\s*_\s*(?P<sub>\{\s*[0-9]\s*\}|[0-9])(?![0-9])"
_LAYER = (
    r"(?<![A-Za-z\\])(?P<d>d)?(?P<word>[A-Za-z])\s*\^\s*\{\s*\[\s*(?P<layer>[0-9]+)\s*\]\s*(?P<t>T|\\top)?\s*\}"
    r"|(?<![A-Za-z\\])(?P<d2>d)?(?P<word2>[A-Za-z])\s*\^\s*\[\s*(?P<layer2>[0-9]+)\s*\]"
)
# z^{(1)} = w^{(1)} x, δ^{(2)} = a^{(2)} − y: a layer written in parentheses, the layer's label when the text defines
# such a name (else x^{(1)} may be the first example)
_PAREN_LAYER = (
    r"(?:(?<![A-Za-z\\])(?P<word>[A-Za-z])|(?P<greek>" + _GREEK_COMMAND + r"))"
    r"\s*\^\s*\{\s*\(\s*(?P<layer>[0-9]+)\s*\)\s*\}"
)
_GRADIENT_WORDS = "read ∇_v L as ∂L/∂v (the network's names are numbers: one unit per layer)"
_LOSS = re.compile(r"(\\mathcal\s*\{\s*L\s*\}|(?<![A-Za-z\\])[LJE](?![A-Za-z_^]))\s*(\\left\s*)?(\([^=]*\))?\s*=")
# Placeholders: commands and letters the reader reads as plain real names, tried in this order.
# β last: a lone \beta next to X or ^T reads as the parameters (latex.beta_as_theta)
_GREEK = "gamma zeta iota kappa mu nu xi rho tau omega Gamma Delta Phi Psi Omega beta".split()
_LETTERS = "qsuvrABCDFHKMNPQRSUVZ"
# A loss named by a word (niaza64's BCE, mihai2014's Loss, MSE(θ)): a name when the text defines it (at the start of
# a display, a line or an inline $…$) or differentiates it (∂BCE, dLoss, ∇_θ MSE); else the letters' product.
_BARE_WORD = r"[A-Za-z]{2,}"
_WORD_DEFINED = (
    r"(?:^|\$|\\\[|\\begin\{[a-z*]+\})\s*(?P<word>" + _BARE_WORD + r")\s*(\((?:[^()=]|\([^()]*\))*\))?\s*&?=(?!=)"
)
_WRAPPED = r"\\(?:text|textrm|mathrm|operatorname|mathit)\s*\{\s*(?P<inner>" + _BARE_WORD + r")\s*\}"  # \text{BCE}
_WORD_DIFFERENTIATED = (
    r"(?:\\partial|∂|\\nabla\s*(?:_\s*(?:\{[^{}]*\}|\\?[A-Za-z]+))?|\\frac\s*\{\s*d)\s*(?P<word>"
    + _BARE_WORD
    + r")(?![A-Za-z_])"  # net_{o1}: a node with its label, read as one already
)
_DERIVATIVE_WORDS = "read d{name} as ∂{loss}/∂{name} (the course's shorthand for the derivative of the loss)"


@dataclass
class Nodes:
    """The node names of one document and the placeholder each is read through."""

    placeholders: dict[str, str]  # name as shown → placeholder LaTeX
    loss: str | None  # the LaTeX of the loss the document defines (for dz^{[2]})
    words: dict[str, str]  # name → the interpretation recorded when it is read

    @property
    def symbols(self) -> dict[sp.Symbol, sp.Symbol]:
        """Placeholder symbol → the symbol shown with the user's name."""
        out = {}
        for name, latex in self.placeholders.items():
            placeholder = sp.Symbol(latex.lstrip("\\"), real=True)
            out[placeholder] = sp.Symbol(name, real=True)
        return out

    def called(self, text: str) -> set[str]:
        """The names of words ``text`` writes with arguments, MSE(θ): the arguments are no product."""
        words = [name for name in self.placeholders if re.fullmatch(_BARE_WORD, name)]
        return {w for w in words if re.search(r"(?<![A-Za-z\\])" + w + r"\s*(\\left\s*)?\(", text)}

    def rewrite(self, rewritten: Rewritten) -> Rewritten:
        """Every node name of ``rewritten`` replaced by its placeholder (positions kept for errors)."""
        if not self.placeholders:
            return rewritten
        rewritten.sub(_LAYER, self._layer)
        rewritten.sub(_PAREN_LAYER, lambda found: f" {p} " if (p := self.placeholders.get(_paren(found))) else None)
        for pattern in (_WORD, _LETTER_LABEL, _LETTER_NUMBER, _GREEK_NUMBER):
            rewritten.sub(pattern, self._named)
        words = [re.escape(name) for name in self.placeholders if re.fullmatch(_BARE_WORD, name)]
        if words:  # \text{BCE}: the name in roman type
            rewritten.sub(
                _WRAPPED,
                lambda found: (
                    f" {self.placeholders.get(found['inner'])} " if found["inner"] in self.placeholders else None
                ),
            )
        if words:  # dLoss: the d of the derivative stays before the name
            pattern = r"(?<![A-Za-z\\])(?P<d>d(?=(?:" + "|".join(words) + r")(?![A-Za-z])))?(?P<word>" + "|".join(words)
            rewritten.sub(
                pattern + r")(?![A-Za-z])", lambda found: f"{found['d'] or ''} {self.placeholders[found['word']]} "
            )
        return rewritten

    def gradients(self, rewritten: Rewritten) -> Rewritten:
        """∇_{w^{(2)}} L of a network of numbers: ∂L/∂w^{(2)}, the name being one of the network's nodes."""
        ours = "|".join(re.escape(p) for p in self.placeholders.values())
        if ours:
            rewritten.sub(
                r"\\nabla\s*_\s*\{\s*(?P<v>" + ours + r")\s*\}\s*(?P<f>\\mathcal\s*\{\s*[A-Z]\s*\}|[A-Z](?![A-Za-z]))",
                r"\\frac{\\partial \g<f>}{\\partial \g<v>}",
                _GRADIENT_WORDS,
            )
        return rewritten

    def _named(self, match: re.Match) -> str | None:
        placeholder = self.placeholders.get(_shown(match.group("word"), match.group("sub")))
        return None if placeholder is None else f" {placeholder} "

    def _layer(self, match: re.Match) -> str | None:
        word, layer = match.group("word") or match.group("word2"), match.group("layer") or match.group("layer2")
        placeholder = self.placeholders.get(f"{word}^[{layer}]")
        if placeholder is None:
            return None
        if (match.group("d") or match.group("d2")) and self.loss is not None:
            return rf" \frac{{\partial {self.loss}}}{{\partial {placeholder}}} "
        return f" {placeholder} "

    def used(self, text: str) -> list[str]:
        """The interpretations a side needed (a dz^{[2]} read as ∂L/∂z^{[2]})."""
        found = (f"d{m.group('word') or m.group('word2')}^[{m.group('layer') or m.group('layer2')}]"
                 for m in re.finditer(_LAYER, text) if m.group("d") or m.group("d2"))  # fmt: skip
        return [self.words[name] for name in dict.fromkeys(found) if name in self.words]

    def as_written(self, expr: sp.Basic) -> sp.Basic:
        return expr.xreplace(self.symbols) if self.placeholders else expr


def is_node_name(latex: str) -> bool:
    """True when ``latex`` is one node name (``net_{o1}``, ``O_3``, ``a^{[2]}``): an equation with it on the left
    defines it."""
    latex = unicode_spelled(latex)  # δ₂ typed in plain text
    word = re.sub(r"\s*(\\left\s*)?\((?:[^()]|\([^()]*\))*\)\s*$", "", latex).strip()  # MSE(θ) = …
    word = re.sub(_WRAPPED, r"\g<inner>", word)
    if re.fullmatch(_BARE_WORD, word) and _name_like(word) and not _known_word(word):
        return True  # BCE = …, Loss = …: a loss named by a word
    if re.fullmatch(r"\s*(?:" + _PAREN_LAYER + r")\s*", latex):
        return True
    for pattern in (_LAYER, _WORD, _LETTER_LABEL, _LETTER_NUMBER, _GREEK_NUMBER):
        match = re.fullmatch(r"\s*(?:" + pattern + r")\s*", latex)
        if match is None:
            continue
        word = match.groupdict().get("word") or match.groupdict().get("word2")
        derivative = match.groupdict().get("d") or match.groupdict().get("d2")
        return not derivative and word not in _INDEXED and word.lower() not in _FUNCTIONS
    return False


def named_words(text: str) -> list[str]:
    """The words of several letters ``text`` defines or differentiates (BCE, Loss, MSE), each one name."""
    text = re.sub(_WRAPPED, r"\g<inner>", text)
    found = [m["word"] for m in re.finditer(_WORD_DEFINED, text, re.MULTILINE)]
    found += [m["word"] for m in re.finditer(_WORD_DIFFERENTIATED, text)]
    return [word for word in dict.fromkeys(found) if _name_like(word) and not _known_word(word)]


def _name_like(word: str) -> bool:
    """Whether a word reads as a name rather than a product of letters: ∂xy is ∂(x·y), mJ(θ) = … is m·J."""
    return (len(word) > 2 or word.isupper()) and re.fullmatch(r"[mnN]+[A-Za-z]", word) is None


def _known_word(word: str) -> bool:
    """A word the reader reads itself: a function (log, sigmoid), a Greek letter typed plain (theta), a node's word."""
    return (
        word.lower() in _FUNCTIONS
        or word in GREEK
        or word in ("theta", "lambda", "pi")
        or word in WORDS
        or word in PLAIN_WORDS
        or word in spellings("latex_word")
    )


def _paren(match: re.Match) -> str:
    """The name of a layer written in parentheses as shown: z^(1), δ^(2)."""
    return f"{_shown(match.group('word') or match.group('greek'), '')[:-1]}^({match.group('layer')})"


def _shown(word: str, sub: str) -> str:
    return f"{letter_sign(word)}_{sub.strip('{} ')}"  # \delta_2 shown δ_2


def find_nodes(text: str) -> Nodes:
    """The node names ``text`` writes, each with a placeholder that ``text`` does not use."""
    names: list[str] = []
    words: dict[str, str] = {}
    text = unicode_spelled(text)  # z₁ = w₁x typed in plain text: the names z_1 the sides are read with
    loss_match = _LOSS.search(text)
    loss = loss_match.group(1) if loss_match else None
    for match in re.finditer(_LAYER, text):
        word, layer = match.group("word") or match.group("word2"), match.group("layer") or match.group("layer2")
        names.append(f"{word}^[{layer}]")
        if (match.group("d") or match.group("d2")) and loss is not None:
            shown = f"{word}^[{layer}]"
            words[f"d{shown}"] = _DERIVATIVE_WORDS.format(name=shown, loss=_plain(loss))
    layers = list(re.finditer(_PAREN_LAYER, text))
    if any(_defined(match.group(0), text) for match in layers):  # z^{(1)} = …: the text's layers, each one name
        # x^{(1)}, y^{(1)} not defined by a formula stay the first example's, not a layer's name
        names.extend(_paren(m) for m in layers if m.group("word") not in ("x", "y") or _defined(m.group(0), text))
    for pattern in (_WORD, _LETTER_LABEL, _LETTER_NUMBER, _GREEK_NUMBER):
        for match in re.finditer(pattern, text):
            word = match.group("word")
            if word.lower() in _FUNCTIONS or word in _INDEXED or (pattern == _WORD and word == "theta"):
                continue
            if pattern in (_LETTER_NUMBER, _GREEK_NUMBER) and word != "h" and not _defined(match.group(0), text):
                continue  # b_2, x_1 neither defined nor differentiated: an entry of a vector reads as well
            if pattern == _WORD and re.fullmatch(r"d[A-Za-z]", word) and not _defined(match.group(0), text):
                continue  # \frac{dLoss}{dw_1}: the differential of w_1 (dw_1 = … defines Ng's shorthand)
            if pattern == _WORD and re.fullmatch(r"[A-Za-z]x", word) and not _defined(match.group(0), text):
                continue  # yx_j, ax_j: y times x_j, as LaTeX reads it (a node yx_j only where the text defines it)
            names.append(_shown(word, match.group("sub")))
    names.extend(named_words(text))
    names = list(dict.fromkeys(names))
    free = [f"\\{g}" for g in _GREEK if not re.search(rf"\\{g}(?![A-Za-z])", text)]
    free += [c for c in _LETTERS if not re.search(rf"(?<![A-Za-z\\]){c}(?![A-Za-z])", text)]
    if len(free) < len(names):
        return Nodes({}, loss, {})  # more names than free letters: read as the reader reads them
    return Nodes(dict(zip(names, free, strict=False)), loss, words)


_STARTS = r"(?:^|\$|\\\[|,\s*(?:\\q?quad|\\[;,:]|~)*)"


def _defined(written: str, text: str) -> bool:
    """True when ``written`` starts a display or line followed by '=' (O_3 = …) or is differentiated (∂O_3): a node."""
    written = re.escape(written)
    # z_1 = w_1 x, \quad a_1 = σ(z_1): a list of definitions on one line defines each of them
    defines = re.search(_STARTS + r"\s*" + written + r"\s*=(?!=)", text, re.MULTILINE)
    return defines is not None or re.search(r"\\partial\s*" + written + r"(?![0-9])", text) is not None


def _plain(loss: str) -> str:
    return "ℒ" if "mathcal" in loss else loss.strip()


__all__ = ["Nodes", "find_nodes", "is_node_name", "named_words"]
