r"""Facts a derivation states about its own letters, and the class index of a softmax written with j.

``with $\sum_k y_k = 1$`` is not a step to check: it says the labels sum to 1 (a one-hot label, or
a distribution), and the steps after it use it (−y_j + p_j Σ_k y_k = p_j − y_j).  The steps are then
checked with labels that sum to 1: y_k replaced by y_k / Σ_c y_c, which sums to 1 whatever the sampled
values, so a step holds exactly when it holds for every such label.  Prose that says the labels are one-hot
("with a one-hot $y$") states the same fact.

A one-example softmax derivation differentiates by z_j with j a class (its sums over the classes run
to K), where the notation's free j is a feature (0..n): j is read as the class c (1..K).

CS229's notes define ℓ(θ) = Σ_i … and then say "working with just one training example (x, y)": a
chain about one example (no Σ, no x⁽ⁱ⁾) reads such a name as its term for that example (m = 1),
only where the prose says so; elsewhere ℓ stays the sum and a one-example step on it fails.
"""

from __future__ import annotations

import re

import sympy as sp

from ..core.functions import expand_abbreviations
from ..core.notation import K, W, X, a, b, c, i, j, k, m, theta, x, y, y_example
from ..parsing import line_of
from .define import NameDefinition
from .extract import Chain

_LABEL_SUM = re.compile(
    r"^\s*\\sum\s*(_\s*(\{[^{}]*\}|[a-z]))?(\s*\^\s*(\{[^{}]*\}|[A-Za-z0-9]))?\s*y\s*_\s*(\{\s*[a-z]\s*\}|[a-z])\s*$"
)
_BOUND = sp.Symbol("q", integer=True, positive=True)  # the normalising sum's own index
LABELS_WORDS = "the labels y_k sum to 1 as the text says (line {line}): checked with labels that do"
CLASS_WORDS = "read j as a class, 1, …, K (the text's sums over the classes run to K)"
STRAY_CLASS_WORDS = "c outside its Σ is another class than the one differentiated by: checked at every c = 1, …, K"


def is_label_sum(chain: Chain) -> bool:
    r"""True for ``\sum_k y_k = 1``: a fact the text states of the labels, not a step."""
    sides = chain.sides
    return len(sides) == 2 and _LABEL_SUM.match(sides[0].latex) is not None and sides[1].latex.strip() == "1"


def labels_summing_to_one(expr: sp.Basic) -> sp.Basic:
    """Every label y_k (not an example's y⁽ⁱ⁾) replaced by y_k / Σ_{q=1}^{K} y_q."""
    total = sp.Sum(y[_BOUND], (_BOUND, 1, K))
    return expr.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == y and len(e.indices) == 1 and e.indices[0] != i,
        lambda e: e / total,
    )


def class_index(lhs: sp.Basic, rhs: sp.Basic) -> tuple[sp.Basic, sp.Basic, list[str], tuple[sp.Symbol, ...]]:
    """The free j (or i, k) read as the class c where the sides sum over the classes to K and use it with no feature
    (θ_j, x_j), no example (x⁽ⁱ⁾) and no sum over the examples: ∂L/∂z_j = p_j − y_j, ∂L/∂z_i = p_i − y_i.  With two
    free indices (the Jacobian ∂p_k/∂z_j = p_k(δ_kj − p_j)) both are classes: the first read as c, the second
    returned, for the caller to put at each class 1..K in turn (the sampler runs one class index)."""
    sides = (lhs, rhs)
    symbols = [s.free_symbols for s in sides]  # once a side: a Σ's free symbols are a walk of its tree
    free = [v for v in (j, i, k) if any(v in found for found in symbols)]
    if not 1 <= len(free) <= 2 or any(s.has(X) for s in sides):
        return lhs, rhs, [], ()
    limits = [lim for s in sides for total in s.atoms(sp.Sum) for lim in total.limits]
    entries = [e for s in sides for e in s.atoms(sp.Indexed)]
    if not any(lim[2] == K for lim in limits) or any(lim[0] == i for lim in limits):
        return lhs, rhs, [], ()
    if any(e.base in (theta, x) and any(f in e.indices for f in free) for e in entries):
        return lhs, rhs, [], ()
    named = f"{free[0]} and {free[1]} as classes" if len(free) == 2 else f"{free[0]} as a class"
    words = [CLASS_WORDS.replace("j as a class", named)]
    taken = {s for side in sides for s in side.atoms(sp.Symbol)}
    spare = iter(s for s in (b, a, *sp.symbols("d e f g h o", integer=True, nonnegative=True)) if s not in taken)
    # −Σ_c y_c(δ_ck − p_k): the sum's own c renamed first, or k read as c would be caught by it (δ_cc, p_c)
    lhs, rhs = (_bound_renamed(side, c, next(spare)) for side in sides)
    others = list(free[1:])
    # p_k − y_j with Σ_j e^{z_j} in p_k: the Σ's own j renamed too, or putting the free j at 1..K would hit its limits
    for other in others:
        renamed = next(spare)
        lhs, rhs = (_bound_renamed(side, other, renamed) for side in (lhs, rhs))
    if any(c in found for found in symbols):
        # p_k Σ_c y_c − y_c: the text's own c is free (outside its Σ), another index than k; read k as c and the two
        # would be one, and the slip (y_c for y_k) hold: that c is put at every class 1..K in turn instead
        stray = next(spare)
        lhs, rhs = lhs.xreplace({c: stray}), rhs.xreplace({c: stray})
        others.append(stray)
        words.append(STRAY_CLASS_WORDS)
    return lhs.xreplace({free[0]: c}), rhs.xreplace({free[0]: c}), words, tuple(others)


def class_names(lhs: sp.Basic, rhs: sp.Basic, others: tuple[sp.Symbol, ...]) -> dict[str, str]:
    """The text's own letters of the class indices :func:`class_index` renamed (the sampler's c is the text's k, a
    stray c outside its Σ the last of ``others``): for a counterexample to speak of the letters the text wrote."""
    symbols = lhs.free_symbols | rhs.free_symbols
    free = [v for v in (j, i, k) if v in symbols]
    shown = {str(c): str(free[0])} if free else {}
    if c in symbols and others and others[-1] not in (j, i, k):
        shown[str(others[-1])] = str(c)
    return shown


def _bound_renamed(expr: sp.Basic, old: sp.Symbol, new: sp.Symbol) -> sp.Basic:
    """``expr`` with every Σ over ``old`` summed over ``new`` instead (the same sum)."""
    return expr.replace(
        lambda e: isinstance(e, sp.Sum) and any(lim[0] == old for lim in e.limits),
        lambda e: sp.Sum(
            e.function.xreplace({old: new}), *((new, *lim[1:]) if lim[0] == old else lim for lim in e.limits)
        ),
    )


CLASS_WEIGHTS_WORDS = "read ∂/∂θ_k as the gradient by class k's weights (column k of W), entry j: ∂/∂W_jk"


def class_weights_gradient(lhs: sp.Basic, rhs: sp.Basic) -> tuple[sp.Basic, sp.Basic, list[str]]:
    """UFLDL's ∇_{θ_k} J of a cost read with the class weights W (θ_k^T x⁽ⁱ⁾ is Σ_l W_lk x_l⁽ⁱ⁾): θ_k is column k of
    W, so its entry j is W_jk (else ∂J/∂θ_k is 0, the cost holding no θ_k)."""
    swap = {}
    for side in (lhs, rhs):
        for d in side.atoms(sp.Derivative):
            for v in d.variables:
                if not (isinstance(v, sp.Indexed) and v.base == theta and v.indices[0] not in (j, i)):
                    continue
                body = expand_abbreviations(d.expr)  # J(): the cost as read
                if body.has(W) and not body.has(theta):
                    swap[v] = W[j, v.indices[0]]
    if not swap:
        return lhs, rhs, []
    return lhs.xreplace(swap), rhs.xreplace(swap), [CLASS_WEIGHTS_WORDS]


# Σ_{j=1}^n |w_j| with no w_0 and no bias b: the text's w is w_1, …, w_n (no intercept), the model's θ₀ no entry of it
_W_FROM_ONE = re.compile(r"\\sum\s*_\s*\{\s*j\s*=\s*1\s*\}[^$]*?(?<![A-Za-z\\])w\s*_\s*\{?\s*j(?![A-Za-z])")
_W_ZERO_OR_BIAS = re.compile(r"(?<![A-Za-z\\])w\s*_\s*\{?\s*0|(?<![A-Za-z\\])b(?![A-Za-z])")
W_FROM_ONE_WORDS = "checked for j ≥ 1: the text's w is w_1, …, w_n (its sums over w_j start at 1; no w_0, no bias b)"


# "x_0 = 1", "a column of ones", "intercept", "bias": the text speaks of an entry j = 0, which is then checked too
_INTERCEPT_SAID = re.compile(
    r"(?i)intercept|\bbias|\bcolumns?\s+(?:is\s+)?(?:of\s+)?(?:all\s+)?ones\b|\ball\s+ones\b|\bones\s+column"
    r"|(?<![A-Za-z\\])x\s*_\s*\{?\s*0|x₀|\\mathbf\s*\{\s*1\s*\}|𝟏"
)


def w_from_one(text: str) -> bool:
    """True when the text sums over w_j from j = 1 and writes no w_0 nor b, nor speaks of an intercept, a bias, x_0 or
    a column of ones: its w has no entry for the intercept (else the row j = 0 is checked as well)."""
    return (
        _W_FROM_ONE.search(text) is not None
        and _W_ZERO_OR_BIAS.search(text) is None
        and _INTERCEPT_SAID.search(text) is None
    )


_ONE_EXAMPLE = re.compile(
    r"\b(for|with|on|of|take|consider|just|only)\s+(just\s+|only\s+)?(one|a\s+single|a)\s+(training\s+)?"
    r"(example|sample|data\s*point|observation)\b"
    # Math.SE 2653579: "based on $m$ = one single element", "m = 1 example": m, the number of examples, is one
    r"|(?<![A-Za-z\\])m\s*\$?\s*=\s*\$?\s*(?:one|1|a)\s+(?:single\s+)?(?:training\s+)?"
    r"(?:element|example|sample|data\s*point|observation)\b",
    re.IGNORECASE,
)


# "with a one-hot $y$", "y is one-hot", "one-hot labels": the prose says Σ_k y_k = 1 (each y_k 0 or 1)
_Y = r"\$?\s*(?:\\(?:mathbf|boldsymbol|bm)\s*\{\s*y\s*\}|y)(?:\s*_\s*(?:\{\s*[a-z]\s*\}|[a-z]))?\s*\$?"
_ONE_HOT = re.compile(
    r"(?i)one[- ]?hot(?:[- ]encoded)?\s*(?:(?:label|target|vector)s?\s*)?" + _Y + r"(?![A-Za-z])"
    r"|one[- ]?hot(?:[- ]encoded)?\s+(?:label|target)s?(?![A-Za-z])"
    r"|(?<![A-Za-z\\])" + _Y + r"\s+(?:is|are)\s+(?:a\s+)?one[- ]?hot"
)


_DENIED = re.compile(r"(?i)\b(?:not|no|without|unlike|never|instead\s+of|rather\s+than|non)\b|n't\b")


def says_one_hot(text: str) -> int | None:
    r"""The line where the prose says the labels are one-hot ("with a one-hot $y$"): Σ_k y_k = 1, as if written."""
    for found in _ONE_HOT.finditer(text):
        sentence = re.split(r"[.!?]\s|\n\s*\n", text[: found.start()])[-1]
        if _DENIED.search(sentence):  # "we do not assume one-hot labels", "unlike one-hot targets": not said
            continue
        return line_of(text, found.start())
    return None


def says_one_example(text: str) -> bool:
    """True when the prose says the derivation is for one training example ("for one example", "a single sample")."""
    return _ONE_EXAMPLE.search(re.sub(r"\s+", " ", text)) is not None


# "stochastic gradient descent", "SGD", "per-example": the text works with one example at a time
_STOCHASTIC = re.compile(r"\bstochastic\b|\bSGD\b|\bper[- ]example\b", re.IGNORECASE)
_COST_J = re.compile(r"^\s*(J|\\mathcal\s*\{\s*J\s*\}|\\mathcal\s+J)\s*((\\left\s*)?\(.*\))?\s*$", re.DOTALL)
# Σ over the examples (not over the features j, k, l), x⁽ⁱ⁾, or the matrix X: the whole training set
_OVER_EXAMPLES = re.compile(
    r"\\sum(?!\s*_\s*\{?\s*[jkl]\s*(=|\}|\s|\\|$))|[Σ∑⁽]|\^\s*\{?\s*\(?\s*i\b|(?<![\\A-Za-z])X(?![A-Za-z])"
)
_MEAN = re.compile(r"\\frac\s*\{\s*1\s*\}\s*\{\s*\d*\s*m\s*\}|\\frac\s*1\s*\{\s*\d*\s*m\s*\}|1\s*/\s*\(?\s*\d*\s*m\b")


# the whole training set in the same sentence: "unlike SGD, we use all examples", "batch gradient descent or SGD"
_WHOLE_SET = re.compile(r"(?i)\bbatch\b|\ball\s+(the\s+)?examples\b|\bwhole\b|\bentire\b|\btraining\s+set\b|\baverag")


def _works_with_one_example(text: str) -> bool:
    """True when a sentence of the prose says the text works with one example ("for a single training example",
    "in stochastic gradient descent each update uses one term"), not when that sentence denies it or speaks of the
    whole training set ("not SGD", "unlike stochastic gradient descent, we use all examples")."""
    flat = re.sub(r"\s+", " ", text)
    for pattern in (_ONE_EXAMPLE, _STOCHASTIC):
        for found in pattern.finditer(flat):
            start = max(flat.rfind(". ", 0, found.start()), flat.rfind("$", 0, found.start())) + 1
            ends = [e for e in (flat.find(". ", found.end()), flat.find("$", found.end())) if e >= 0]
            sentence = flat[start : min(ends) if ends else len(flat)]
            if not (_DENIED.search(sentence) or _WHOLE_SET.search(sentence)):
                return True
    return False


def summed_cost(text: str, chains: list[Chain]) -> tuple[int, bool] | None:
    """(line, is it a mean) of the text's last J(θ) = … when it runs over the examples ((1/m)Σ, Σ, X) and the prose
    never says it works with one example: J is then that sum in every chain, one example's chain too."""
    return None if _works_with_one_example(text) else _cost_over_examples(text, chains)


def one_example_said(text: str, chains: list[Chain]) -> int | None:
    """The line of the text's J(θ) = … over the examples when the prose says it works with one example (SGD, "for a
    single training example"): its one-example chains hold for m = 1, and the report says so on each."""
    found = _cost_over_examples(text, chains) if _works_with_one_example(text) else None
    return found[0] if found else None


def _cost_over_examples(text: str, chains: list[Chain]) -> tuple[int, bool] | None:
    found = None
    for chain in chains:
        if len(chain.sides) >= 2 and _COST_J.match(chain.sides[0].latex):
            body = chain.sides[1].latex
            over = _OVER_EXAMPLES.search(body) is not None
            found = (line_of(text, chain.sides[0].start), _MEAN.search(body) is not None) if over else None
    return found


def for_one_example(definition: NameDefinition, hypothesis, example_hypothesis) -> NameDefinition:
    """``ℓ = c Σ_{i=1}^{m} f⁽ⁱ⁾`` as its term for the one example (x, y): c with m = 1, times f of x, y, h_θ(x)."""
    body = definition.body
    factors = sp.Mul.make_args(body)
    sums = [f for f in factors if isinstance(f, sp.Sum) and f.limits == ((i, 1, m),)]
    if len(sums) != 1 or definition.params:
        return definition
    coefficient = sp.Mul(*(f for f in factors if f is not sums[0]))
    if i in coefficient.free_symbols:
        return definition
    term = sums[0].function.replace(
        # x_i of one feature (one index) has no entry to keep: left as is, so the definition stays whole
        lambda e: isinstance(e, sp.Indexed) and e.base in (x, y) and e.indices[0] == i and (e.base == y or e.rank > 1),
        lambda e: y_example if e.base == y and len(e.indices) == 1 else x[e.indices[1:]],
    )
    if hypothesis is not None and example_hypothesis is not None:
        term = term.replace(lambda e: isinstance(e, hypothesis) and e.args == (i,), lambda e: example_hypothesis())
    if i in term.free_symbols:
        return definition
    words = f"line {definition.line}, for the one training example (x, y) the text speaks of"
    return NameDefinition(definition.key, (), coefficient.subs(m, 1) * term, definition.line, definition.start, words)


_J_OF_W = re.compile(  # J(w, b), J(w), J(\mathbf{w}) (D5: h_\mathbf{w}(x) = w_0 + w_1 x)
    r"^\s*J\s*(\\left\s*)?\(\s*(w|\\(mathbf|boldsymbol|bm|vec)\s*\{\s*w\s*\})\s*(,\s*b\s*)?(\\right\s*)?\)\s*$"
)
# J(m, c) of y = mx + c (lexai's D8)
_J_OF_SLOPE = re.compile(r"^\s*J\s*(\\left\s*)?\(\s*(m\s*,\s*c|c\s*,\s*m)\s*(\\right\s*)?\)\s*$")
_VECTOR_SIGNS = re.compile(
    r"\\theta|θ|\^\s*\{?\s*(T|\\top|\\intercal)\b|ᵀ|\\(mathbf|boldsymbol|bm|vec|odot)\b|x\s*\^\s*\{\s*\(|⁽"
    r"|(?<![A-Za-z\\])X(?![A-Za-z])"
)
OWN_COST_WORDS = (
    "J is the text's own cost, of its own weights w (or θ₁) and bias b (or θ₀): the steps are "
    "checked against it as written, not against a model's J(θ)"
)


def is_own_cost(latex: str) -> bool:
    """True for the left side ``J(w, b)`` or ``J(w)`` of the text's own one-feature cost (or J(θ₀, θ₁), J(θ), J)."""
    return any(form.match(latex) is not None for form in (_J_OF_W, _J_OF_THETA, _LONE_J, _J_OF_SLOPE))


# Ng's week 1: h_θ(x) = θ₀ + θ₁x, one feature x and its intercept θ₀: the text's own one-weight model, θ₁ its w and
# θ₀ its b (the model's θᵀx has a vector x⁽ⁱ⁾, this x⁽ⁱ⁾ is one number)
_THETA_K = r"(?:\\theta|(?<![A-Za-z\\])w)\s*_\s*(?:\{\s*%s\s*\}|%s(?![0-9]))"  # θ₀ + θ₁x, or w₀ + w₁x (D5)
_THETA_0, _THETA_1 = (_THETA_K % (k, k) for k in "01")
_H_OF = (
    r"h\s*_\s*\{?\s*(?:\\theta|\\mathbf\s*\{\s*w\s*\}|w)\s*\}?\s*(?:\\left\s*)?\("
    r"\s*x\s*(?P<example>\^\s*\{\s*\(\s*i\s*\)\s*\})?\s*(?:\\right\s*)?\)"
)
# h_θ(x) = θ₀ + θ₁x, or σ(θ₀ + θ₁x) (g(θ₀ + θ₁x)): the one-feature logistic keeps its σ around w x + b
_INTERCEPT_FORM = re.compile(
    _H_OF
    + r"\s*=\s*(?:(?P<squash>\\sigma(?![A-Za-z])|σ|g)\s*(?:\\left\s*)?\(\s*)?"
    + _THETA_0
    + r"\s*\+\s*"
    + _THETA_1
    + r"\s*(?:\\,\s*|\\cdot\s*)?x(?![A-Za-z^_])(?(squash)\s*(?:\\right\s*)?\))"
    + r"(?!\s*[-+])"  # the whole of h: θ₀ + θ₁x + θ₂x² is a polynomial, not this line (its θ₂x² was dropped)
)
_J_OF_THETA = re.compile(
    r"^\s*J\s*(?:\\left\s*)?\(\s*(?:\\theta\s*|" + _THETA_0 + r"\s*,\s*" + _THETA_1 + r"\s*)(?:\\right\s*)?\)\s*$"
)
INTERCEPT_WORDS = (
    "read h_θ(x) = {form} (line {line}) as the text's own model of one feature: θ₁ its weight w, θ₀ its bias b, "
    "x⁽ⁱ⁾ and y⁽ⁱ⁾ the numbers x_i and y_i"
)


# the same model in the text's prose (mltutor: "where h_θ(x⁽ⁱ⁾) = θ₀ + θ₁x⁽ⁱ⁾ is the hypothesis function")
_INTERCEPT_PROSE = re.compile(r"h_θ\(x(?:⁽ⁱ⁾)?\)\s*=\s*θ₀\s*\+\s*θ₁\s*x(?:⁽ⁱ⁾)?(?![₀-₉_A-Za-z])(?!\s*[-+])")
# θ₀ + θ₁x⁽ⁱ⁾ inside the cost with no h line (Ng's J(θ₀, θ₁) = (1/2m)Σ(θ₀ + θ₁x⁽ⁱ⁾ − y⁽ⁱ⁾)², CS229 notes): the same
# one feature, in a text with no other weight, no vector and no squashing function (σ(θ₀ + θ₁x) is another model)
_INTERCEPT_WRITTEN = re.compile(
    _THETA_0
    + r"\s*\+\s*"
    + _THETA_1
    + r"\s*(?:\\,\s*|\\cdot\s*)?x(?![A-Za-z_])(?:\s*\^\s*\{\s*\(\s*i\s*\)\s*\})?(?!\s*\+)"
)
_MORE_THAN_ONE_FEATURE = re.compile(
    r"(?:\\theta|(?<![A-Za-z\\])w)\s*_\s*\{?\s*[2-9]|θ[₂-₉]|\\theta\s*\^\s*\{?\s*[Tt⊤]|θᵀ|x\s*_\s*\{?\s*[0-9jkn]"
    r"|\\(?:log|ln|sigma|exp|mathbf|boldsymbol)(?![A-Za-z])|σ|(?<![A-Za-z\\])e\s*\^|\\begin\s*\{\s*[bp]matrix"
)


def intercept_line(text: str) -> int | None:
    r"""The line of ``h_\theta(x) = \theta_0 + \theta_1 x`` (one feature and its intercept), else None; also the
    same h in prose (``h_θ(x⁽ⁱ⁾) = θ₀ + θ₁x⁽ⁱ⁾``), or ``\theta_0 + \theta_1 x^{(i)}`` written in the cost of a text
    with no other weight, no vector and no σ, log or exp.

    >>> intercept_line("$$J = \\frac{1}{2m}\\sum_{i=1}^m(\\theta_0+\\theta_1x^{(i)}-y^{(i)})^2$$")
    1
    >>> intercept_line("$$J = \\sum_i(\\theta_0+\\theta_1x^{(i)}+\\theta_2x_2^{(i)}-y^{(i)})^2$$") is None
    True
    >>> intercept_line("$$J = -\\sum_i y^{(i)}\\log\\sigma(\\theta_0+\\theta_1x^{(i)})$$") is None
    True
    """
    found = _INTERCEPT_FORM.search(text)
    if found is not None:
        return line_of(text, found.start())
    found = _INTERCEPT_PROSE.search(text) or _INTERCEPT_WRITTEN.search(text)
    if found is None or _MORE_THAN_ONE_FEATURE.search(text) is not None:
        return None
    return line_of(text, found.start())


def is_intercept_definition(latex: str) -> bool:
    """True for the left side h_θ(x) of the text's own h_θ(x) = θ₀ + θ₁x."""
    return re.fullmatch(r"\s*" + _H_OF + r"\s*", latex) is not None


def intercept_squash(text: str) -> str:
    r"""The function around θ₀ + θ₁x in the text's h_θ(x) (``\sigma`` or ``g``), "" for h_θ(x) = θ₀ + θ₁x itself."""
    found = _INTERCEPT_FORM.search(text)
    return "" if found is None or not found["squash"] else found["squash"].replace("σ", r"\sigma")


def intercept_as_wb(latex: str, squash: str = "") -> str:
    """θ₁ written w, θ₀ written b, h_θ(x⁽ⁱ⁾) (w x_i + b, or σ of it), x⁽ⁱ⁾ and y⁽ⁱ⁾ x_i and y_i, J(θ₀, θ₁) J(w, b)."""
    latex = re.sub(r"J\s*(?:\\left\s*)?\(\s*\\theta[^()]*\)", "J(w, b)", latex)
    latex = re.sub(
        _H_OF,
        lambda f: rf"{squash}\left(w x_i + b\right)" if f.group("example") else rf"{squash}\left(w x + b\right)",
        latex,
    )
    latex = re.sub(r"(?<![A-Za-z\\])([xy])\s*\^\s*\{\s*\(\s*i\s*\)\s*\}", r"\1_i", latex)
    latex = re.sub(_THETA_1, " w ", latex)  # a space before: \partial\theta_0 is \partial b, not \partialb
    return re.sub(_THETA_0, " b ", latex)


def own_cost(text: str, chains: list[Chain]) -> bool:
    """True when the text defines J(w, b) itself with one weight and one feature: no θ, no transpose, no bold
    vector, no x⁽ⁱ⁾ (but w x⁽ⁱ⁾ + b, one number per example), no X anywhere (the Medium "linear regression from
    scratch" with w x_i + b)."""
    return (_VECTOR_SIGNS.search(text) is None or one_feature_superscripts(text)) and any(
        len(c.sides) >= 2 and is_own_cost(c.sides[0].latex) for c in chains
    )


# ŷ⁽ⁱ⁾ = w x⁽ⁱ⁾ + b "(one feature)": x⁽ⁱ⁾ is one number per example, multiplied by the one weight w
_W_TIMES_X_I = re.compile(r"(?<![A-Za-z\\])w\s*(\\,\s*)?x\s*\^\s*\{\s*\(\s*i\s*\)\s*\}")  # w·x: a dot product
_SUPERSCRIPT = re.compile(  # x⁽ⁱ⁾, y⁽ⁱ⁾, and wx⁽ⁱ⁾ written without a space
    r"(?:(?<![A-Za-z\\])|(?<=(?<![A-Za-z\\])w))([xy])\s*\^\s*\{\s*\(\s*i\s*\)\s*\}"
)
SUPERSCRIPT_WORDS = "read x⁽ⁱ⁾ and y⁽ⁱ⁾ as the numbers x_i and y_i (one feature: w x⁽ⁱ⁾ is a number times a number)"


def one_feature_superscripts(text: str) -> bool:
    """True when the text writes w x⁽ⁱ⁾ (one weight times one feature, no transpose) and nothing else of a vector:
    no θ, transpose, bold vector nor X; its x⁽ⁱ⁾ and y⁽ⁱ⁾ are the numbers x_i and y_i."""
    others = _VECTOR_SIGNS.pattern.replace(r"|x\s*\^\s*\{\s*\(|⁽", "")
    return _W_TIMES_X_I.search(text) is not None and re.search(others, text) is None


def as_subscripts(latex: str) -> str:
    """x⁽ⁱ⁾ and y⁽ⁱ⁾ written x_i and y_i (the one-feature numbers of :func:`one_feature_superscripts`)."""
    return _SUPERSCRIPT.sub(lambda f: f"{f.group(1)}_i".ljust(len(f.group(0))), latex)  # positions stay


# deeplearning.ai's a⁽ⁱ⁾ = σ(wᵀx⁽ⁱ⁾ + b), J = −(1/m)Σ …: the bias b is no entry of θ, so J is the text's own cost
_BIASED = re.compile(r"(?<![A-Za-z\\])w\s*\^\s*\{?\s*(T|\\top|\\intercal)\s*\}?\s*[xX][^$=]*?\+\s*b(?![A-Za-z])")
_LONE_J = re.compile(r"^\s*J\s*$")


def biased_cost(text: str, chains: list[Chain]) -> bool:
    """True when the text writes wᵀx + b (a bias apart from the weights) and defines a bare J = … itself."""
    return _BIASED.search(text) is not None and any(
        len(c.sides) >= 2 and _LONE_J.match(c.sides[0].latex) for c in chains
    )


# a = tanh(wx + b), z = w x + b, z = w x: one unit of one input, w and x numbers (no θ, transpose, bold vector nor X)
_SCALAR_UNIT = re.compile(
    r"(?<![A-Za-z\\])w\s*(\\,\s*|\\cdot\s*|\*\s*)?x\s*\+\s*b(?![A-Za-z])"
    r"|=\s*w\s*(\\,\s*)?x\s*(?=$|,|\$|\\q?quad|\\\\)"  # z = w x, … : the definition of a scalar unit's input
)


def scalar_network(text: str) -> bool:
    """True when the text writes nothing of a vector but θ (θ₁, θ₂ may be its weights): each name is one number."""
    return _VECTOR_SIGNS.search(re.sub(r"\\theta|θ", "", text)) is None


def scalar_unit(text: str) -> bool:
    """True when the text writes w x + b of one number x and uses nothing of a vector: w is one weight, not θ."""
    return _SCALAR_UNIT.search(text) is not None and _VECTOR_SIGNS.search(text) is None


# ∇_θ(θᵀAθ) = 2Aθ "for symmetric A": a capital letter of a rule stated in a sentence
_CAPITAL = re.compile(r"(?<![A-Za-z\\])[A-Z](?![A-Za-z])")
# ∇_θ bᵀθ = b: a lower-case letter transposed, a vector the rule speaks of (x, y, h, z are the text's own)
_TRANSPOSED = re.compile(r"(?<![A-Za-z\\])([a-z])(?=\s*\^\s*\{?\s*(?:T|\\top|\\intercal)(?![A-Za-z]))")


def stated_rule(text: str, chain: Chain) -> str | None:
    """The letter a rule stated inline in a sentence (one '=' in ``$…$``) uses and no other formula of the text
    does, else None: a fact the text states of a letter it never defines, which no step can be checked with."""
    if len(chain.sides) != 2:
        return None
    before = text[: chain.sides[0].start].rstrip()
    if not before.endswith("$") or before.endswith("$$"):
        return None
    line_start = text.rfind("\n", 0, chain.sides[0].start) + 1
    line_end = text.find("\n", chain.sides[-1].end)
    rest = text[:line_start] + text[line_end if line_end >= 0 else len(text) :]
    written = " ".join(side.latex for side in chain.sides)
    letters = _CAPITAL.findall(written) + [v for v in _TRANSPOSED.findall(written) if v not in "xyhz"]
    for letter in dict.fromkeys(letters):
        if re.search(r"(?<![A-Za-z\\])" + letter + r"(?![A-Za-z])", rest) is None:
            return letter
    return None


# J(θ) = ½Σ_i c_i(θᵀx_i − y_i)²: a weight per example (c_i, s_i, w_i, w⁽ⁱ⁾), data of the text's own cost
_EXAMPLE_WEIGHT = re.compile(
    r"(?<![A-Za-z\\])(?P<name>[csw])\s*(_\s*(\{\s*i\s*\}|i(?![A-Za-z0-9]))|\^\s*\{\s*\(\s*i\s*\)\s*\})"
    r"(?=\s*(\\left\s*)?[(\[])"  # times the example's term: c_i(θᵀx_i − y_i)², not a penalty's w_i²
)


def weighted_cost(text: str, chains: list[Chain]) -> str | None:
    """The letter of the per-example weight when the text defines its own J(θ) = Σ_i c_i … (weighted least squares),
    else None: the cost is the text's, c_i a datum of each example, not a parameter."""
    for chain in chains:
        if len(chain.sides) >= 2 and _J_OF_THETA.match(chain.sides[0].latex):
            found = _EXAMPLE_WEIGHT.search(chain.sides[1].latex)
            if found is not None and re.search(r"\\sum", chain.sides[1].latex):
                return found.group("name")
    return None


# y = m x + c: the slope m and the intercept c of one feature (Menon's "linear regression using gradient descent")
_SLOPE_FORM = re.compile(r"(?<![A-Za-z\\])m\s*(\\,\s*|\\cdot\s*|\*\s*)?x(_\s*\{?\s*i\s*\}?)?\s*\+\s*c(?![A-Za-z])")
_M_COUNTS = re.compile(  # Σ^m, 1/m, \frac{1}{2m}: m counts the examples
    r"\^\s*\{?\s*m(?![A-Za-z])|1\s*/\s*\(?\s*2?\s*m(?![A-Za-z])|\\frac\s*\{[^{}]*\}\s*\{\s*2?\s*m\s*\}"
)
SLOPE_WORDS = (
    "read the slope m as w (one weight), the intercept c as b and the count n as m: the text's model is y = m x + c"
)


def slope_form(text: str) -> bool:
    """True when the text's model is y = m x + c with m the slope: m multiplies x and is never the example count."""
    return _SLOPE_FORM.search(text) is not None and _M_COUNTS.search(text) is None


def slope_as_w(text: str) -> str:
    """The slope m written w, the intercept c written b and the count n written m, in place: positions stay."""
    letter = {"m": "w", "c": "b", "n": "m"}
    # mx_i (the slope times x, no space: D8) is m·x; any other letter after it makes a word (\max, mc)
    return re.sub(r"(?<![A-Za-z\\])[mcn](?![A-Za-wyz])", lambda found: letter[found.group(0)], text)


__all__ = [
    "W_FROM_ONE_WORDS",
    "stated_rule",
    "w_from_one",
    "weighted_cost",
    "scalar_network",
    "scalar_unit",
    "CLASS_WORDS",
    "SUPERSCRIPT_WORDS",
    "as_subscripts",
    "one_feature_superscripts",
    "SLOPE_WORDS",
    "slope_as_w",
    "slope_form",
    "OWN_COST_WORDS",
    "INTERCEPT_WORDS",
    "intercept_squash",
    "biased_cost",
    "one_example_said",
    "intercept_as_wb",
    "intercept_line",
    "is_intercept_definition",
    "is_own_cost",
    "own_cost",
    "LABELS_WORDS",
    "class_index",
    "class_names",
    "class_weights_gradient",
    "for_one_example",
    "is_label_sum",
    "labels_summing_to_one",
    "says_one_example",
    "summed_cost",
]
