r"""What a text's prose says of its formulas, read the same way by ``verify`` and ``check --latex``.

:func:`says_each_j`: the text says a formula of ∇_θ J holds entry by entry ("for each j", "for j = 0, …, n",
"the j-th component of the gradient", "component-wise, ∂J/∂θ_j"), so its x_j⁽ⁱ⁾ is entry j's, not a slip.
"""

from __future__ import annotations

import re

# a phrase about the gradient's entries j; "component-wise" and the like count only beside the gradient (below)
EACH_J = re.compile(
    r"for\s+(?:each|every|all)\s*\}?\s*\$?\s*j(?![A-Za-z])|\\forall\s*j(?![A-Za-z])"
    r"|for\s+\$?\s*j\s*=\s*0|j\s*=\s*0\s*,\s*(?:1\s*,\s*)?(?:\\ldots|\\dots|…)"
    r"|(?<![A-Za-z\\])j\s*\$?\s*(?:-\s*|\^\s*\{?\s*)?th\s*\}?\s*\$?\s*(?:partial|(?P<th>component|entry|element|coordinate))"
    r"|(?P<wise>(?:component|element|entry)[- ]?wise|entry[- ]by[- ]entry)",
    re.IGNORECASE,
)
# "element-wise product", "apply σ component-wise": about an operation, not the gradient's entries
_OPERATION = re.compile(r"\s*(?:product|multiplication|division|operation|application|function|\$?\\odot|\$?\\sigma)")
_GRADIENT = re.compile(r"gradient|\\nabla|∇|\\partial\s*\\theta\s*_\s*\{?\s*j(?![A-Za-z])|∂\s*θ\s*_?\s*j", re.I)
_NEGATION = re.compile(r"\b(?:never|not|no|nor|without|instead)\b|n't", re.IGNORECASE)
# what denies a statement anywhere in its sentence (narrower than _NEGATION: "instead of a bias we set x₀ = 1" holds)
_DENIAL = re.compile(r"\b(?:not|never|nor)\b|n't", re.IGNORECASE)
# "we start from θ_j = 0 for all j": said of the values θ_j (a start, an assignment), not of the gradient's entries
_VALUES = re.compile(
    r"\\theta\s*_\s*\{?\s*j\s*\}?\s*(?::=|=|\\leftarrow|\\gets|\\coloneqq)|θ\s*_?\s*j\s*:?=|\b(?:start|initiali[sz]|initial)",
    re.IGNORECASE,
)
# "for each j" counts only in a sentence about the gradient or a partial derivative, or with one written (∂, ∇, an
# update :=), or one that leads into the formula after it; not "the update uses one learning rate for all j"
_ABOUT_GRADIENT = re.compile(
    r"gradient(?!\s+(?:descent|ascent))|partial\s+derivative|\\nabla|∇|\\partial|∂|:=|\\leftarrow|\\gets|←",
    re.IGNORECASE,
)
# "|x_j| ≤ 1 for all j", "θ_j ∈ ℝ for all j", "θ_j ∼ N(0, 1)": a condition on values, not the gradient's entries
_CONDITION = re.compile(
    r"(?:\\theta|θ|x|w)\s*_\s*\{?\s*j\s*\}?\s*\|?\s*\$?\s*(?:\\[lg]eq?(?![A-Za-z])|\\in(?![A-Za-z])|\\sim|\\ne|[<>≤≥∈∼])"
)
_SENTENCE_END = re.compile(r"[.;:!?](?:\s|$)|\n\s*\n")


def says_each_j(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether the prose of ``text`` between ``start`` and ``end`` says the gradient is written entry by entry
    (for each j), in a sentence that does not negate it ("we never work for each j").

    >>> says_each_j("Component-wise, $\\\\frac{\\\\partial J}{\\\\partial \\\\theta_j} = …$")
    True
    >>> says_each_j("where $\\\\odot$ is the element-wise product"), says_each_j("we never work for each $j$")
    (False, False)
    >>> says_each_j("$x_j$ is the $j$-th component of $x$"), says_each_j("the $j$-th component of the gradient")
    (False, True)
    >>> says_each_j("We start from $\\\\theta_j = 0$ for all $j$."), says_each_j("$\\\\theta_j := 0$ for each $j$")
    (False, False)
    >>> says_each_j("We require $\\\\theta_j \\\\ge 0$ for all $j$."), says_each_j("For each $j$, the gradient is")
    (False, True)
    """
    end = len(text) if end is None else end
    for found in EACH_J.finditer(text, max(0, start), end):
        sentence = _sentence(text, found.start(), found.end())
        before = text[sentence[0] : found.start()]
        if _NEGATION.search(before):
            continue
        if _VALUES.search(before) and not _GRADIENT.search(before):
            continue  # "θ_j = 0 for all j": the starting values, not the formula of the gradient
        plain = found["th"] is None and found["wise"] is None
        said = text[sentence[0] : sentence[1]]  # "x_j ∈ ℝ, the gradient has one entry for all j": still the phrase
        if plain and (
            (_CONDITION.search(before) and not _ABOUT_GRADIENT.search(said))
            or not _ABOUT_GRADIENT.search(_with_what_follows(text, sentence))
        ):
            continue  # "we require θ_j ≥ 0 for all j", "|x_j| ≤ 1 for all j": of values, not of the gradient's entries
        if found["th"] is not None and not _GRADIENT.search(text, found.end(), min(sentence[1], found.end() + 60)):
            continue  # "x_j is the j-th component of the feature vector": of x, not of the gradient
        if found["wise"] is not None:
            if _OPERATION.match(text, found.end()):
                continue
            near = text[max(sentence[0], found.start() - 40) : min(sentence[1], found.end() + 80)]
            if not _GRADIENT.search(near):
                continue
        return True
    return False


def affirmed(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` occurs in ``text`` in a sentence that does not deny it ("we do not assume x_0 = 1",
    "x_0 = 1 does not hold here" do not say x₀ = 1; "instead of a bias we set x_0 = 1" does).

    >>> ones = re.compile(r"x_0 = 1")
    >>> affirmed(ones, "With $x_0 = 1$ for all examples."), affirmed(ones, "We do not assume $x_0 = 1$: as given.")
    (True, False)
    >>> affirmed(ones, "Here $x_0 = 1$ is not assumed."), affirmed(ones, "Instead of a bias we set $x_0 = 1$.")
    (False, True)
    """
    for found in pattern.finditer(text):
        sentence = _sentence(text, found.start(), found.end())
        if not _DENIAL.search(text[sentence[0] : sentence[1]]):
            return True
    return False


# "$L$ is the identity matrix with its first diagonal entry set to 0": the penalty's matrix diag(0, 1, …, 1) in words.
# Only that, said whole: nothing but "the", a size or "square" before "identity" ("twice the identity", "the negative
# identity" are other matrices), and the sentence ends right after the 0 ("… and its last entry set to 0", ", scaled by
# 1/2", "; then L is replaced by 2L" say more than diag(0, 1, …, 1): review 9's false ✓ A33-A57)
_ZEROED_IDENTITY = re.compile(
    r"\$\s*(?P<name>[A-Z])\s*\$\s*(?:is|denotes|be|stands\s+for)\s+(?:(?:the|an|a)\s+)?"
    r"(?:(?:square|\$[^$]{1,30}\$|\(n\s*\+\s*1\)\s*(?:×|x|\\times)\s*\(n\s*\+\s*1\))\s+)?identity"
    r"(?:\s+matrix)?[^.;:]{0,60}?(?:first|top[- ]left|upper[- ]left)\s+(?:diagonal\s+)?(?:entry|element)"
    # the 0 said of that entry, nothing between: "set to 0", "replaced by zero", "equal to $0$", "zeroed"
    r"\s*(?:(?:(?:(?:set|replaced|changed|equal)\s+(?:to|by)|is|being|of|=)\s*)?(?:\$\s*0\s*\$|0(?![.\d])|zero\b)"
    r"|zeroed\b)"
    r"(?=\s*\$?\s*(?:\.(?!\d)|$|\n\s*\n|\(|\$\$|\\\[))",  # then the sentence ends (or a bracket, a display)
    re.IGNORECASE,
)


def zeroed_identity(text: str) -> tuple[str, int] | None:
    """The capital letter ``text`` says is the identity with its first entry 0 (diag(0, 1, …, 1), the matrix of a
    penalty that leaves the bias out), in a sentence that does not deny it, and where it says so; None if none.

    >>> zeroed_identity("where $L$ is the identity matrix with its first diagonal entry set to $0$.")
    ('L', 6)
    >>> zeroed_identity("$L$ is the identity with the top-left element replaced by zero"), zeroed_identity("$L$ is not")
    (('L', 0), None)
    >>> zeroed_identity("$L$ is not the identity with its first entry 0")
    >>> zeroed_identity("$L$ is the identity with its first entry equal to 1 and the rest 0")
    >>> zeroed_identity("$L$ is the identity with its first entry set to $0$ and its last entry set to $0$.")
    >>> zeroed_identity("$L$ is twice the identity with its first entry set to $0$.")
    >>> zeroed_identity("where $L$ is as before and $M$ is the identity with its first entry set to $0$.")
    ('M', 27)
    """
    found = next((f for f in _ZEROED_IDENTITY.finditer(text) if affirmed(re.compile(re.escape(f[0])), text)), None)
    return (found["name"], found.start()) if found is not None else None


def _with_what_follows(text: str, sentence: tuple[int, int]) -> str:
    """The sentence, and what follows it when the sentence leads into it (a colon, a comma or nothing before a
    blank line: "Repeat for each j: θ_j := …", "Then, for each j,"), not when it is closed ("We require θ_j ≥ 0
    for all j.")."""
    begin, end = sentence
    closed = re.search(r"[.!?;]\s*\$*\s*$", text[begin : end + 1])
    return text[begin:end] if closed else text[begin : end + 300]


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around ``text[start:end]`` (to a full stop, colon, semicolon or blank line)."""
    begin = 0
    for stop in _SENTENCE_END.finditer(text, 0, start):
        begin = stop.end()
    after = _SENTENCE_END.search(text, end)
    return begin, after.start() if after is not None else len(text)


__all__ = ["EACH_J", "affirmed", "says_each_j", "zeroed_identity"]
