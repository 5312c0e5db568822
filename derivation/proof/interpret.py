r"""Read a user's loose notation under a stated interpretation: the text, before the LaTeX reader.

People write σ(x⁽ⁱ⁾) for σ(θᵀx⁽ⁱ⁾), ``x_{ij}`` for x_j⁽ⁱ⁾, wᵀx_i, ``\hat{y}_i`` for a prediction the
text defines, ``\partial p_i/\partial\theta_j`` inline, P(D|w), Π, Unicode pasted from a page.
:func:`with_names` spells what is only typography (Unicode, ``log`` without a backslash, θx) and puts
placeholder letters for names the reader does not read (ŷ, ℓ, h_i); a side the reader still rejects
is read again with the loose spellings replaced (:func:`likelihood`, :func:`loosen`).  Plain text as
people type it (hθ, θj, xj, x_ij, dJ/dθj, d/dz, e^(-z), sum(…), y(i)) is spelled out first, and a Σ
with no limits is the sum over the m examples, its bare x, y, h the i-th example's (:func:`example_sums`).  Every
replacement that was needed is recorded in words (``Rewritten.used``) for the report, and positions
map back to the user's text (:class:`Rewritten`), so a side that still cannot be read is reported
where the user wrote it.  What the expression so read means is :mod:`derivation.proof.conventions`.
"""

from __future__ import annotations

import re

from ..parsing.rows import matching

# Placeholders: commands the reader reads as plain names, standing for names it does not read yet.
# (pattern, placeholder command, the name shown to the user)
_NAMES = (
    (r"\\(?:hat|widehat)\s*\{\s*y\s*_\s*(\{\s*)?([a-z])(?(1)\s*\})\s*\}", r"\\psi_{\2}", "ŷ"),
    (r"\\(?:hat|widehat)\s*(?:\{\s*y\s*\}|y(?![A-Za-z]))", r"\\psi", "ŷ"),
    (r"\\ell(?![A-Za-z])", r"\\chi", "ℓ"),
    (r"(?<![A-Za-z\\])h\s*_\s*(\{\s*)?([a-z])(?(1)\s*\})", r"\\upsilon_{\2}", "h"),  # h_i: a name
)
_W_AS_THETA = "read w as θ (the weights)"
MODEL_H_WORDS = "read h(x⁽ⁱ⁾) as h_θ(x⁽ⁱ⁾)"

# ‖v‖², ‖v‖₂², \lVert v \rVert^2, \left\| v \right\|^2: the squared Euclidean norm (v without a norm inside).
_NORM_SQUARED = (
    r"(?s)(\\left\s*)?(\\\||\\lVert|\\Vert)(?P<v>(?:(?!\\\||\\[lr]?Vert).)+?)(\\right\s*)?(\\\||\\rVert|\\Vert)"
    r"\s*(_\s*(\{\s*2\s*\}|2))?\s*\^\s*(\{\s*2\s*\}|2)"
)
# Loose spellings: (pattern, replacement, the interpretation in words)
_LOOSE = (
    (r"\\(?:mathbf|boldsymbol|bm|vec)\s*\{\s*(\\?[A-Za-z]+)\s*\}", r" \1", None),  # \top\mathbf{x}: keep a space
    (r"\\(?:mathbf|boldsymbol|bm|vec)\s+(\\?[A-Za-z])", r" \1", None),
    (r"\^\s*\{?\s*\\prime\s*\}?", "'", None),
    (
        r"\\langle\s*\\theta\s*,\s*(x\s*\^\s*\{\s*\(\s*[a-z]\s*\)\s*\}|x)\s*\\rangle",
        r"\\theta^T \1",
        "read ⟨θ, x⟩ as θᵀx",
    ),
    (r"(?<![A-Za-z\\])g\s*'", r"\\sigma'", "read g′ as σ′ (g the sigmoid)"),
    (
        r"\\nabla\s*(_\s*\{?\s*(\\theta|w)\s*\}?)?\s*J\s*(\(\s*(\\theta|w)\s*\))?",
        r"\\frac{\\partial J(\\theta)}{\\partial \\theta}",
        "read ∇_θ J as ∂J/∂θ",
    ),
    (  # UFLDL's ∇_{θ_k} J(θ): the gradient by class k's weights
        r"\\nabla\s*_\s*\{\s*(\\theta|w)\s*_\s*(\{\s*([a-z])\s*\}|([a-z]))\s*\}\s*J\s*(\(\s*(\\theta|w|W)\s*\))?",
        r"\\frac{\\partial J(\\theta)}{\\partial \1_{\3\4}}",
        "read ∇_{θ_k} J as ∂J/∂θ_k",
    ),
    (
        r"\\nabla\s*_\s*(\{\s*)?(\\theta|\\beta|w)(?(1)\s*\})(?!\s*J(?![A-Za-z]))",
        r"\\frac{\\partial}{\\partial \2}",
        "read ∇_θ of an expression as its gradient, the vector ∂/∂θ",
    ),
    (  # d2l's ∂_w l, ∂_b l: the partial derivative by the subscript
        r"\\partial\s*_\s*(?:\{\s*(\\?[A-Za-z]+(?:\s*_\{?[A-Za-z0-9]\}?)?)\s*\}|(\\?[A-Za-z]))",
        r"\\frac{\\partial}{\\partial \1\2}",
        "read ∂_v f as ∂f/∂v",
    ),
    (_NORM_SQUARED, r"\\left(\g<v>\\right)^T\\left(\g<v>\\right)", "read ‖v‖² as vᵀv"),
    (r"(?<![A-Za-z\\])J\s*(\\left\s*)?\(\s*w\s*(,\s*b\s*)?(\\right\s*)?\)", r"J(\\theta)", _W_AS_THETA),
    (
        r"\\partial\s*([A-Za-z](?:\s*_\{?[A-Za-z0-9]\}?)?|\\[A-Za-z]+(?:\s*_\{?[A-Za-z0-9]\}?)?)\s*/\s*\\partial\s*"
        r"(\\?[A-Za-z]+(?:\s*_\{?[A-Za-z0-9]\}?)?)",
        r"\\frac{\\partial \1}{\\partial \2}",
        None,
    ),
    (  # ∂hθ(x)/∂θj, ∂J(θ)/∂θ_j typed inline: a function's value differentiated
        r"\\partial\s*((?:h_\\theta|[A-Za-z])\s*\((?:[^()]|\([^()]*\))*\))\s*/\s*\\partial\s*"
        r"(\\?[A-Za-z]+(?:\s*_\{?[A-Za-z0-9]\}?)?)",
        r"\\frac{\\partial \1}{\\partial \2}",
        None,
    ),
    (r"\\partial\s*/\s*\\partial\s*(\\?[A-Za-z]+(?:\s*_\{?[A-Za-z0-9]\}?)?)", r"\\frac{\\partial}{\\partial \1}", None),
    (r"(?<![A-Za-z\\])d\s*/\s*d\s*([a-z])(?![A-Za-z])", r"\\frac{d}{d\1}", None),
    (
        r"(?<![A-Za-z\\])x\s*_\s*\{\s*([a-z])\s*,?\s*([a-z])\s*\}",
        r"x_{\2}^{(\1)}",
        "read x_{ij} as x_j⁽ⁱ⁾ (feature j of example i)",
    ),
    (
        r"(?<![A-Za-z\\])w\s*\^\s*(?:\{\s*)?(?:T|\\top|\\intercal|\\mathsf\{T\})(?:\s*\})?\s*x\s*_\s*(\{\s*)?([a-z])(?(1)\s*\})",
        r"\\theta^T x^{(\2)}",
        "read wᵀx_i as θᵀx⁽ⁱ⁾ (w for θ, x_i the features of example i)",
    ),
    (
        r"(?<![A-Za-z\\])x\s*_\s*(\{\s*)?([a-z])(?(1)\s*\})\s*\^\s*(?:\{\s*)?(?:T|\\top)(?:\s*\})?\s*(\\theta|w)",
        r"\\theta^T x^{(\2)}",
        "read x_iᵀθ as θᵀx⁽ⁱ⁾ (x_i the features of example i)",
    ),
    (
        r"(?<![A-Za-z\\])w\s*\^\s*\{?\s*(?:T|\\top|\\intercal|\\mathsf\{T\})\s*\}?\s*x",
        r"\\theta^T x",
        "read wᵀx as θᵀx (w for θ)",
    ),
    (
        r"\\sigma\s*(\\left\s*)?\(\s*x\s*\^\s*\{\s*\(\s*([a-z])\s*\)\s*\}\s*(\\right\s*)?\)",
        r"\\sigma(\\theta^T x^{(\2)})",
        "read σ(x⁽ⁱ⁾) as σ(θᵀx⁽ⁱ⁾)",
    ),
    (
        r"(?<![A-Za-z\\])h\s*(\\left\s*)?\(\s*x\s*\^\s*\{\s*\(\s*([a-z])\s*\)\s*\}\s*(\\right\s*)?\)",
        r"h_\\theta(x^{(\2)})",
        MODEL_H_WORDS,
    ),
)


_MATRIX_W = (  # (XᵀX + λI)w too: a matrix of X's in parentheses times w
    r"(?<![A-Za-z\\])X\s*w(?![A-Za-z])|(?<![A-Za-z\\])w\s*\^\s*\{?\s*(T|\\top|\\intercal)\s*\}?\s*X(?![A-Za-z])"
    r"|(?<![A-Za-z\\])X[^()=]*\)\s*w(?![A-Za-z])"
)
WEIGHT_W = r"(?:(?<=X)|(?<![A-Za-z\\]))w(?![A-Za-z])"  # the letter w of the weights, in Xw too (never in \omega)
_BARE_SIGMA = re.compile(r"\\sigma(?![A-Za-z])\s*'?(?!\s*(\(|\\left|'))")


class Rewritten:
    """A text with spellings replaced, and for each of its characters the position it came from."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.origin = list(range(len(text)))
        self.used: list[str] = []

    def sub(self, pattern: str, replacement, words: str | None = None) -> None:
        """Replace ``pattern`` by ``replacement`` (a template, or a function of the match: None keeps it)."""
        out, origin, last = [], [], 0
        for match in re.finditer(pattern, self.text):
            new = match.expand(replacement) if isinstance(replacement, str) else replacement(match)
            if new is None:
                continue
            out.append(self.text[last : match.start()])
            origin.extend(self.origin[last : match.start()])
            out.append(new)
            origin.extend([self.origin[match.start()]] * len(new))
            last = match.end()
        if last == 0 and not out:
            return
        out.append(self.text[last:])
        origin.extend(self.origin[last:])
        self.text, self.origin = "".join(out), origin
        if words and words not in self.used:
            self.used.append(words)

    def position(self, index: int | None) -> int | None:
        """Where in the original text the character ``index`` of the rewritten text came from."""
        if index is None or not self.origin:
            return index
        return self.origin[min(max(index, 0), len(self.origin) - 1)]


def placeholders_free(document: str) -> bool:
    """True when the document does not itself use the placeholder names (ψ, χ)."""
    return not re.search(r"\\(psi|chi|upsilon)(?![A-Za-z])", document)


# Unicode pasted from rendered pages or typed: the LaTeX it stands for (typography, no interpretation).
_UNICODE = (
    ("θ", r"\theta "), ("σ", r"\sigma "), ("Σ", r"\sum "), ("∑", r"\sum "), ("∂", r"\partial "),
    ("λ", r"\lambda "), ("α", r"\alpha "), ("η", r"\eta "), ("∇", r"\nabla "), ("ℓ", r"\ell "),
    ("ŷ", r"\hat{y}"), ("−", "-"), ("′", "'"), ("·", r"\cdot "), ("×", r"\times "), ("≥", r"\geq "), ("≤", r"\leq "),
    ("ᵀ", "^T"), ("⁽ⁱ⁾", "^{(i)}"), ("⁽ʲ⁾", "^{(j)}"), ("²", "^2"), ("ᵢ", "_i"), ("ⱼ", "_j"), ("₀", "_0"),
    ("₁", "_1"), ("≠", r"\neq "), ("δ", r"\delta "),
    *((chr(0x2080 + d), f"_{d}") for d in range(2, 10)),  # z₂, δ₃: a layer's or a node's number
)  # fmt: skip


def unicode_spelled(text: str) -> str:
    """``text`` with the numbered names typed in Unicode spelled as the sides are read: z₁ as z_1, δ₂ as \\delta _2, ∂
    (only those: xᵢⱼ, θᵀx are read by the rewrites of :func:`with_names`, in their order)."""
    text = re.sub("[₀-₉]", lambda found: f"_{ord(found.group(0)) - 0x2080}", text)
    return text.replace("δ", r"\delta ").replace("∂", r"\partial ")  # ∂L/∂z₁ differentiates by the name z_1


# Σᵢ₌₁ᵐ, ∑ⱼ₌₀ⁿ typed with Unicode sub- and superscripts: the sum's limits
_SUBSCRIPTS = dict(zip("ᵢⱼₖₗₘₙ₀₁₂₃₄₅₆₇₈₉", "ijklmn0123456789", strict=True))
_SUPERSCRIPTS = dict(zip("ᵐⁿᴺᴷᴹⁱʲᵏ⁰¹²³⁴⁵⁶⁷⁸⁹", "mnNKMijk0123456789", strict=True))
_UNICODE_SUM = (
    "[Σ∑]\\s*(?P<var>[ᵢⱼₖₗ])₌(?P<lower>[" + "".join(_SUBSCRIPTS) + "]+)(?P<upper>[" + "".join(_SUPERSCRIPTS) + "]+)?"
)


def _sum_limits(found: re.Match) -> str:
    """``\\sum_{i=1}^{m} `` for Σᵢ₌₁ᵐ (no upper limit: Σᵢ₌₁ is \\sum_{i=1})."""
    var, lower = _SUBSCRIPTS[found["var"]], "".join(_SUBSCRIPTS[c] for c in found["lower"])
    upper = "".join(_SUPERSCRIPTS[c] for c in found["upper"] or "")
    return f"\\sum_{{{var}={lower}}}" + (f"^{{{upper}}} " if upper else " ")


# 1/2m, λ/2m in plain text: every course means 1/(2m), never m/2 (the 1/2 of the squared error, over m examples)
_OVER_2M = r"(?<![A-Za-z0-9\\_^}])(1|\\lambda)\s*/\s*(2[mnN])(?![A-Za-z0-9_^{(])"


def with_names(text: str, placeholders: bool = True) -> Rewritten:
    """``text`` as LaTeX the reader reads: Unicode and bare log spelled out, θx as θᵀx, and (``placeholders``)
    the names it does not read (ŷ, ℓ, h_i) as placeholder letters."""
    rewritten = Rewritten(text)
    for pattern, replacement, words in _TYPED:  # before the Unicode: θj typed without a space is θ_j
        rewritten.sub(pattern, replacement, words)
    if not text.isascii():
        rewritten.sub(_UNICODE_SUM, _sum_limits)  # Σᵢ₌₁ᵐ: \sum_{i=1}^{m}, before its letters are spelled one by one
        for char, latex in _UNICODE:
            rewritten.sub(re.escape(char), latex.replace("\\", "\\\\"))
    for pattern, replacement, words in _TYPED_LATEX:
        rewritten.sub(pattern, replacement, words)
    _braced_powers(rewritten)
    example_sums(rewritten)
    # log x, exp(-z) without a backslash: the function, not the letters l·o·g
    rewritten.sub(r"(?<![\\A-Za-z])(log|ln|exp)(?![A-Za-z])(?=\s*[\\(A-Za-z{])", r"\\\1 ")
    # sign(u), sgn(u), max(0, u), min(1, u) without a backslash: the functions, not the letters s·i·g·n
    rewritten.sub(r"(?<![\\A-Za-z])(max|min)(?![A-Za-z])(?=\s*[({])", r"\\\1 ")
    rewritten.sub(r"(?<![\\A-Za-z{])(sign|sgn)(?![A-Za-z}])(?=\s*\()", r"\\operatorname{sign}")
    rewritten.sub(_OVER_2M, r"\\frac{\1}{\2}", "read 1/2m as 1/(2m)")
    # θx, θ x⁽ⁱ⁾ with no transpose: θ is a vector, so the product is the inner product (else read as θ·x)
    rewritten.sub(_THETA_X, r"\\theta^T ", "read θx as θᵀx (the inner product)")
    if placeholders:
        for pattern, replacement, _ in _NAMES:
            rewritten.sub(pattern, replacement)
    return rewritten


# Plain text as people type it: (pattern, replacement, the interpretation in words); on the text as typed
_INDEX_WORDS = "read θj, xj, xij, x_ij, yi typed without braces as θ_j, x_j, x_{ij}, y_i (indices)"
_TYPED = (
    ("ᵢⱼ", "_{ij}", None),
    (r"(?<![A-Za-z\\])h\s*(?:[θΘ]|theta(?![A-Za-z]))|(?<![A-Za-z\\])h_Θ", r"h_\\theta ", "read hθ as h_θ"),
    (r"θ([ijkl0-9])(?![A-Za-z0-9])", r"\\theta_{\1}", _INDEX_WORDS),
    (r"(?<![A-Za-z\\])sum(?=\s*[_(\[{])", r"\\sum", None),  # sum(…), sum_{i=1}^m typed for Σ
    (
        r"(?<![A-Za-z\\])([xy])(\s*_\s*\{?\s*[a-z0-9]\s*\}?|[jk0-9])?\(\s*([ik])\s*\)",
        lambda g: f"{g[1]}{'_' if g[2] and g[2][0] != '_' else ''}{g[2] or ''}^{{({g[3]})}}",  # xj(i): x_j^{(i)}
        "read x(i), y(i), x_j(i) typed in plain text as x⁽ⁱ⁾, y⁽ⁱ⁾, x_j⁽ⁱ⁾ (example i)",
    ),
    (r"(?<![A-Za-z\\])(d?)theta_?([ijkl0-9])(?![A-Za-z0-9])", r"\1\\theta_{\2}", _INDEX_WORDS),  # dthetaj: dθ_j
    (r"(?<![A-Za-z\\])(d?)(theta|sigma|lambda|alpha)(?![A-Za-z])", r"\1\\\2 ", None),
)
# The same once Unicode is spelled out: xj, dJ/dθ_j
_TYPED_LATEX = (
    (r"(?<![A-Za-z\\])x([ijk]{1,2})(?![A-Za-z0-9_^])", r"x_{\1}", _INDEX_WORDS),
    (r"(?<![A-Za-z\\])x\s*_\s*([ijk])([ijk])(?![A-Za-z0-9])", r"x_{\1\2}", _INDEX_WORDS),  # x_ij: not x_i·j
    (r"(?<![A-Za-z\\])y([ik])(?![A-Za-z0-9_^])", r"y_{\1}", _INDEX_WORDS),
    (  # dJ/dθ_j, d/dz typed inline: the derivative (the reader would cancel the d's: J/θ_j, 1/z)
        r"(?<![A-Za-z\\])d\s*([A-Z](?:\s*\(\s*\\theta\s*\))?|\\sigma|[a-z](?![A-Za-z]))?\s*/\s*d\s*"
        r"(\\theta(?:\s*_\s*\{?\s*[a-z0-9]\s*\}?)?|[a-z](?![A-Za-z]))",
        r"\\frac{d \1}{d \2}",
        "read dJ/dθ_j, d/dz typed inline as the derivatives ∂J/∂θ_j, d/dz",
    ),
)


def _braced_powers(rewritten: Rewritten) -> None:
    """``e^(-z)``, ``x^(i)`` typed in plain text: the exponent is the bracket, ``e^{(-z)}``, ``x^{(i)}``."""
    edits = {}
    for found in re.finditer(r"\^\s*\(", rewritten.text):
        close = _closing(rewritten.text, found.end() - 1)
        if close is not None:
            edits[(found.end() - 1, found.end() - 1)] = "{"
            edits[(close + 1, close + 1)] = "}"
    _splice(rewritten, edits)


def _splice(rewritten: Rewritten, edits: dict[tuple[int, int], str]) -> None:
    """Replace each span ``(start, end)`` of the text by its new text (an empty span inserts); overlaps are skipped."""
    text, out, origin, last = rewritten.text, [], [], 0
    for (a, b), new in sorted(edits.items()):
        if a < last:
            continue
        out += [text[last:a], new]
        origin += rewritten.origin[last:a] + [rewritten.origin[min(a, len(text) - 1)]] * len(new)
        last = b
    out.append(text[last:])
    rewritten.text, rewritten.origin = "".join(out), origin + rewritten.origin[last:]


def _closing(text: str, start: int) -> int | None:
    """The index of the ")" closing the "(" at ``start``."""
    depth = 0
    for pos in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[pos], 0)
        if depth == 0:
            return pos
    return None


# Σ written without limits (Σ, Σ_i): the sum over the m examples; x, y, h in it with no index are the i-th example's
_LIMITLESS = re.compile(r"\\sum(?![A-Za-z])(?P<index>\s*_\s*(?:\{\s*i\s*\}|i(?![A-Za-z])))?(?!\s*[_^])")
_BARE = re.compile(
    r"(?P<h>h_\\theta\s*(?:(?:\\left\s*)?\(\s*x\s*(?:\\right\s*)?\))?(?!\s*(?:\\left\s*)?\()"
    r"|(?<![A-Za-z\\])h(?:\s*(?:\\left\s*)?\(\s*x\s*(?:\\right\s*)?\))?(?![A-Za-z_^'])(?!\s*(?:\\left\s*)?\(\s*x))"
    r"|(?<![A-Za-z\\])(?P<y>y)(?![A-Za-z_'])(?!\s*\^\s*\{?\s*\()"
    r"|(?:(?<![A-Za-z\\])|(?<=\^T)|(?<=\\top))x\s*_\s*(?P<x>\{\s*[a-hj-z0-9]\s*\}|[a-hj-z0-9])(?!\s*\^)"
    r"|(?:(?<![A-Za-z\\])|(?<=\^T)|(?<=\\top))(?P<vector>x)(?![A-Za-z_'])(?!\s*\^\s*\{?\s*\()"
)
_RUNS_ON_WORDS = "read that Σ as running over the terms after it that use x, y, h (no brackets written)"
_SUM_WORDS = "read Σ written without limits as the sum over the m examples, i = 1, …, m"
BARE_WORDS = "read x, y, h with no index inside that Σ as the i-th example's: x⁽ⁱ⁾, y⁽ⁱ⁾, h_θ(x⁽ⁱ⁾)"


def example_sums(rewritten: Rewritten) -> None:
    """Each Σ with no limits over the m examples: ``\\sum_{i=1}^{m}``, its bare x, y, h the i-th example's.

    Its terms run to the next + or − outside brackets; with no bracket after the Σ
    (``Σ y log h + (1 − y) log(1 − h)``) the terms after it that use bare x, y, h are its too, and are
    bracketed with it (the factor before the Σ multiplies them all).
    """
    edits: dict[tuple[int, int], str] = {}  # (start, end) → new text
    words = [_SUM_WORDS, BARE_WORDS]
    text = rewritten.text
    for match in _LIMITLESS.finditer(text):
        start = end = match.end()
        end = _term_end(text, start)
        extended = False
        if not re.match(r"\s*(\\left\s*)?[(\[{]", text[start:]):
            while end < len(text) and text[end] in "+-" and _BARE.search(text, end, after := _term_end(text, end + 1)):
                end, extended = after, True
        found = {(b.start(), b.end()): _indexed(b) for b in _BARE.finditer(text, start, end)}
        over_i = re.search(r"(?<![A-Za-z\\])i(?![A-Za-z])", text[start:end]) is not None  # Σ (h(x⁽ⁱ⁾) − y⁽ⁱ⁾)
        if not (found or (over_i and match.group("index") is None)):
            continue  # Σ θ_j², Σ_i θ_i²: no example letter, not a sum this reads
        edits.update(found)
        if match.group("index") is None:
            edits[match.span()] = r"\sum_{i=1}^{m}"
        if extended:
            edits[(start, start)] = r"\left["
            edits[(end, end)] = r"\right]"
            words.append(_RUNS_ON_WORDS)
    if not edits:
        return
    _splice(rewritten, edits)  # (a Σ in a Σ: edits inside one already made are skipped)
    rewritten.used += [w for w in dict.fromkeys(words) if w not in rewritten.used]


def _indexed(bare: re.Match) -> str:
    powered = bare.string[bare.end() :].lstrip().startswith("^")  # y², xᵀθ: braced, so the power still reads
    if bare.group("y"):
        return "{y^{(i)}}" if powered else "y^{(i)}"
    if bare.group("x"):
        return f"x_{bare.group('x')}^{{(i)}}"
    if bare.group("vector"):
        return "{x^{(i)}}" if powered else "x^{(i)}"
    return r"h_\theta(x^{(i)})"


_THETA_X = r"\\theta(?![A-Za-z])\s*(?=x(?![A-Za-z])\s*(\^\s*(\{\s*\(?\s*[a-z]\s*\)?\s*\}|[a-z])(?!\s*_)|(?![_^])))"


def loosen(rewritten: Rewritten, variable: str = "z") -> Rewritten:
    """The loose spellings replaced (σ(x⁽ⁱ⁾) → σ(θᵀx⁽ⁱ⁾), x_{ij} → x_j⁽ⁱ⁾, wᵀx_i → θᵀx⁽ⁱ⁾, …).

    σ written without an argument is σ of ``variable`` (the one the chain differentiates by).
    """
    _decorations(rewritten)
    for pattern, replacement, words in _LOOSE:
        rewritten.sub(pattern, replacement, words)
    if re.search(_MATRIX_W, rewritten.text):  # Xw, wᵀXᵀ: w is the weight vector θ of the matrix form
        rewritten.sub(WEIGHT_W, r"\\theta ", _W_AS_THETA)
    rewritten.sub(_VECTOR_X, _entry_j, "read the vector x⁽ⁱ⁾ entry by entry, as x_j⁽ⁱ⁾")
    _products(rewritten)
    # σ(z).(1 − σ(z)), y.log(h) typed with a dot for the product (not a decimal point: no digit on both sides)
    rewritten.sub(r"(?<=[A-Za-z)\]}])\s*\.\s*(?=[A-Za-z(\[\\])", r" \\cdot ")
    if _BARE_SIGMA.search(rewritten.text):  # σ′ = σ(1 − σ): every σ is the value at z, σ(1 − σ) a product
        words = f"read σ and σ′ written without an argument as σ({variable}) and σ′({variable})"
        rewritten.sub(r"\\sigma\s*'(?!\s*\()", rf"\\sigma'({variable})", words)
        rewritten.sub(rf"\\sigma(?![A-Za-z'])(?!\({variable}\))", rf"\\sigma({variable})", words)
    return rewritten


DECORATION = re.compile(
    r"\\(underbrace|overbrace|boxed|fbox|cancel|bcancel|xcancel|cancelto|textcolor|color|colorbox)\s*(?=\{)"
)
_DROPPED_GROUPS = {"cancelto": 1, "textcolor": 1, "color": 1, "colorbox": 1}  # groups before the one kept


def decoration_body(text: str, match: re.Match) -> int:
    r"""Where the group a :data:`DECORATION` keeps begins: after the groups it drops (the colour c of
    ``\textcolor{c}{A}``) and the spaces after them."""
    pos = match.end()
    for _ in range(_DROPPED_GROUPS.get(match.group(1), 0)):
        close = matching(text, pos)
        if close is None:
            break
        pos = close + 1
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return pos


def _decorations(rewritten: Rewritten) -> None:
    r"""``\underbrace{A}_{B}``, ``\boxed{A}``, ``\fbox{A}``, ``\cancel{A}``, ``\textcolor{c}{A}``, ``\color{c}``: A as
    written.

    Blanked with spaces (same length), so positions do not move: the labels and colours say nothing
    of the value.
    """
    chars = list(rewritten.text)
    for match in DECORATION.finditer(rewritten.text):
        name, blank_to = match.group(1), decoration_body(rewritten.text, match)
        chars[match.start() : blank_to] = " " * (blank_to - match.start())
        if name in ("underbrace", "overbrace") and rewritten.text.startswith("{", blank_to):
            close = matching(rewritten.text, blank_to)
            label = re.match(r"\s*[_^]\s*(\{)?", rewritten.text[close + 1 :]) if close is not None else None
            if label:
                end = close + 1 + label.end()
                end = (matching(rewritten.text, end - 1) or end - 1) + 1 if label.group(1) else end + 1
                chars[close + 1 : end] = " " * (end - close - 1)
    rewritten.text = "".join(chars)


_LIKELIHOOD = (
    r"(?<![A-Za-z\\])[Pp]\s*(\\left\s*)?\(\s*(D|\\mathcal\s*\{\s*D\s*\}|y|Y|\\mathbf\s*\{\s*y\s*\})\s*"
    r"(\||\\mid|\\vert)[^()]*(\\right\s*)?\)"
)


_GIVEN_REST = r"\s*(\||\\mid|\\vert)(?:[^()]|\([^()]*\))*(\\right\s*)?\)"
_EXAMPLE_LIKELIHOOD = (  # P(y^{(i)} | x^{(i)}; θ) and P(y_i | x_i, w)
    r"(?<![A-Za-z\\])[Pp]\s*(\\left\s*)?\(\s*y\s*\^\s*\{\s*\(\s*(?P<i>[a-z])\s*\)\s*\}" + _GIVEN_REST,
    r"(?<![A-Za-z\\])[Pp]\s*(\\left\s*)?\(\s*y\s*_\s*\{?\s*(?P<i>[a-z])\s*\}?" + _GIVEN_REST,
)


def likelihood(rewritten: Rewritten, example: bool) -> Rewritten:
    """P(D|w), p(y | X, w): the model's likelihood Π h^y (1−h)^(1−y), which is e^(−m·J(θ)) (e^(−J) for one example).

    The likelihood of one example, P(y⁽ⁱ⁾ | x⁽ⁱ⁾; θ), is written out: h_θ(x⁽ⁱ⁾)^y⁽ⁱ⁾ (1 − h_θ(x⁽ⁱ⁾))^(1−y⁽ⁱ⁾).
    """
    words = "read P(y⁽ⁱ⁾|x⁽ⁱ⁾; θ) as the model's h_θ(x⁽ⁱ⁾)^y⁽ⁱ⁾ (1 − h_θ(x⁽ⁱ⁾))^(1−y⁽ⁱ⁾)"
    for pattern in _EXAMPLE_LIKELIHOOD:
        bernoulli = r"\\left(h_\\theta(x^{(\g<i>)})^{y^{(\g<i>)}}(1-h_\\theta(x^{(\g<i>)}))^{1-y^{(\g<i>)}}\\right)"
        rewritten.sub(pattern, bernoulli, words)
    if example:
        words = "read P(y|x) as the model's likelihood h^y (1−h)^(1−y) = e^(−J(θ)) of one example"
        rewritten.sub(_LIKELIHOOD, r"e^{-J(\\theta)}", words)
    else:
        words = "read P(D|w) as the model's likelihood Πᵢ h^y (1−h)^(1−y) = e^(−m·J(θ))"
        rewritten.sub(_LIKELIHOOD, r"e^{-m J(\\theta)}", words)
    return rewritten


_VECTOR_X = r"(?<![A-Za-z\\])x\s*\^\s*\{\s*\(\s*([a-z])\s*\)\s*\}(?!\s*_)"


def _entry_j(match: re.Match) -> str | None:
    """x⁽ⁱ⁾ standing alone (not h_θ(x⁽ⁱ⁾), not θᵀx⁽ⁱ⁾): its entry j."""
    before = match.string[: match.start()].rstrip()
    if before.endswith(("(", r"\left(", "T", r"\top", r"\intercal", "_")):
        return None
    return f"x_j^{{({match.group(1)})}}"


_PRODUCT = re.compile(r"\\prod\s*(_\s*\{[^{}]*\}|_\s*[a-z])(\s*\^\s*(\{[^{}]*\}|[A-Za-z0-9]))?")
_PRODUCT_WORDS = "read Πᵢ fᵢ as exp(Σᵢ log fᵢ) (its factors are probabilities: positive)"


def _products(rewritten: Rewritten) -> None:
    """Each Π_{i=1}^{m} f (f up to the next + or − outside brackets) as exp(Σ_{i=1}^{m} log f)."""
    while (match := _PRODUCT.search(rewritten.text)) is not None:
        end = _term_end(rewritten.text, match.end())
        body = rewritten.text[match.end() : end]
        limits = match.group(0)[len(r"\prod") :]
        new = rf"\exp\left(\sum{limits} \log\left({body}\right)\right)"
        origin = rewritten.origin
        rewritten.text = rewritten.text[: match.start()] + new + rewritten.text[end:]
        rewritten.origin = origin[: match.start()] + [origin[match.start()]] * len(new) + origin[end:]
        if _PRODUCT_WORDS not in rewritten.used:
            rewritten.used.append(_PRODUCT_WORDS)


def _term_end(text: str, start: int) -> int:
    """Where the product term that starts at ``start`` ends: a top-level + or −, or a closing bracket."""
    depth, pos = 0, start
    while pos < len(text):
        if text.startswith(r"\right", pos) and depth == 0:
            return pos
        c = text[pos]
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
            if depth < 0:
                return pos
        elif c in "+-" and depth == 0 and text[start:pos].strip():
            return pos
        elif c == "\\":
            pos += 2 if pos + 1 < len(text) and not text[pos + 1].isalpha() else 1
            continue
        pos += 1
    return len(text)


# Φ' = φ, tanh' = 1 − tanh²: a derivative rule written with no argument, as σ′ = σ(1 − σ) is
_PRIMED = re.compile(r"^\s*\\(Phi|tanh)\s*'\s*$")
_BARE_FUNCTION = re.compile(r"(\\(?:Phi|phi|tanh)(?![A-Za-z])('|\s*\^\s*(?:\{[^{}]*\}|\d))?)(?!\s*(\(|\\left|'|\^))")


def bare_primed(texts: list[str], variable: str = "z") -> list[str] | None:
    r"""The sides of ``\Phi' = \phi`` (``\tanh' = 1 - \tanh^2``) with each bare Φ, φ, tanh given ``variable``
    as argument: ``\Phi'(z) = \phi(z)``; None when the chain's left side is not such a bare derivative."""
    if not texts or _PRIMED.match(texts[0]) is None:
        return None
    return [_BARE_FUNCTION.sub(rf"\1({variable})", text) for text in texts]


def chain_variable(texts: list[str]) -> str:
    r"""The letter a chain differentiates by (``\frac{d\sigma}{dt}`` → t), else z."""
    for text in texts:
        found = re.search(r"\{\s*(?:d|\\partial)\s*([a-z])\s*\}", text)
        if found and found.group(1) not in "ijkmn":
            return found.group(1)
    return "z"


def primed_names(text: str, names: set[str]) -> str:
    r"""``s'(z)`` of a name the text defines with one argument (``s(z) = \log(1 + e^z)``) as ``\frac{d s}{d z}``."""
    for name in names:
        pattern = r"(?<![A-Za-z\\])(" + re.escape(name) + r")\s*'\s*(\\left\s*)?\(\s*([a-z])\s*(\\right\s*)?\)"
        text = re.sub(pattern, lambda found: rf"\frac{{d {found[1]}}}{{d {found[3]}}}", text)
    return text


def strip_arguments(text: str, names: set[str]) -> str:
    r"""``L(w)``, ``\mathcal{L}(a, y)``, ``\ell(\theta)`` → the bare name, for names defined with arguments.

    Blanked with spaces so positions stay; ``J(\theta)`` of the model is not touched (not in ``names``).
    """
    for name in names:
        # l^{(i)}(w, b), L_i(θ): the example's superscript or subscript stays, the arguments go
        pattern = (
            r"(?<![A-Za-z\\])(" + re.escape(name) + r"(?:\s*_\s*(?:\{\s*[A-Za-z0-9]\s*\}|[A-Za-z0-9]))?"
            r"(?:\s*\^\s*\{\s*\(\s*[a-z]\s*\)\s*\})?)"
            r"\s*(\\left\s*)?\((?:[^()]|\([^()]*\))*\)"
        )
        text = re.sub(pattern, lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), text)
    return text


__all__ = [
    "MODEL_H_WORDS",
    "bare_primed",
    "primed_names",
    "BARE_WORDS",
    "Rewritten",
    "chain_variable",
    "example_sums",
    "likelihood",
    "loosen",
    "placeholders_free",
    "strip_arguments",
    "with_names",
]
