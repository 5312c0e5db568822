r"""verify on review 4's false ✓: texts that define their own h, and ∇_θ J written with the number x_j⁽ⁱ⁾.

A vector h the text defines (h = σ(−Xθ), h = σ(Xθ) − 1, h = g(Xθ) with its own g, a = σ(−z) after z = Xθ) was
replaced by logistic's σ(Xθ); an h built through the text's own g(z) = 1/(1 + e^{z}) or written with bold θ and x
was logistic's σ(θᵀx) in J and the gradient; ∇_θ J = (1/m)Σ(h − y)x_j⁽ⁱ⁾ got through with \mathbf{x}_j, \vec{x}_j,
in a later step of a chain, or beside "element-wise product", "apply σ component-wise", "never … for each j".
Each text has its twin; which is right is decided here by NumPy central differences, never by the tool.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from central import central_differences

from derivation.parsing.prose import says_each_j
from derivation.proof.verifier import verify_text

RNG = np.random.default_rng(41)
M, P = 6, 3
X = np.column_stack([np.ones(M), RNG.normal(size=(M, P - 1))])
Y = RNG.integers(0, 2, size=M).astype(float)
THETA = RNG.normal(size=P) * 0.7


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _log_loss(h):
    """J(θ) = −(1/m)Σ[y log h + (1 − y) log(1 − h)] of the prediction function ``h`` (θ ↦ the m predictions)."""
    return lambda t: -np.mean(Y * np.log(h(t)) + (1 - Y) * np.log(1 - h(t)))


LOGISTIC = _log_loss(lambda t: _sigmoid(X @ t))  # the default model's cost
OWN = _log_loss(lambda t: 1 / (1 + np.exp(X @ t)))  # the text's own h = σ(−θᵀx) = 1/(1 + e^{θᵀx})


def _gradient(cost) -> np.ndarray:
    return central_differences(cost, THETA)


_NL = "\n\n"  # between paragraphs (a raw string keeps \\n as written)
H, H_OWN = _sigmoid(X @ THETA), _sigmoid(-(X @ THETA))
_VEC = r"\frac{1}{m} X^T (%s - y)"
_SUM = r"\frac{1}{m}\sum_{i=1}^m (%s) %s"
_LOG = r"J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[ y^{(i)} \log %(h)s + (1 - y^{(i)}) \log(1 - %(h)s) \right]"

# (text, the line judged, the cost its gradient is of, the right side as NumPy computes it)
MATRIX = {  # item 1: the vector h the text defines rules
    "m2 h = σ(−Xθ) on the same line": (
        rf"$$\nabla_\theta J = {_VEC % 'h'}, \quad h = \sigma(-X\theta)$$",
        1,
        LOGISTIC,
        X.T @ (H_OWN - Y) / M,
    ),
    "m2's twin h = σ(Xθ)": (
        rf"$$\nabla_\theta J = {_VEC % 'h'}, \quad h = \sigma(X\theta)$$",
        1,
        LOGISTIC,
        X.T @ (H - Y) / M,
    ),
    "m4 Let h = σ(−Xθ) be the vector": (
        r"Let $h = \sigma(-X\theta)$ be the vector of predictions."
        + rf"{_NL}$$\nabla_\theta J(\theta) = {_VEC % 'h'}$$",
        3,
        LOGISTIC,
        X.T @ (H_OWN - Y) / M,
    ),
    "m7 h = σ(Xθ) − 1": (
        rf"Let $h = \sigma(X\theta) - 1$.{_NL}$$\nabla_\theta J = {_VEC % 'h'}$$",
        3,
        LOGISTIC,
        X.T @ (H - 1 - Y) / M,
    ),
    "m3 h = g(Xθ), g(z) = 1/(1+e^z)": (
        rf"Let $h = g(X\theta)$ where $g(z) = \frac{{1}}{{1 + e^{{z}}}}$.{_NL}$$\nabla_\theta J = {_VEC % 'h'}$$",
        3,
        LOGISTIC,
        X.T @ (H_OWN - Y) / M,
    ),
    "m3's twin g(z) = 1/(1+e^−z)": (
        rf"Let $h = g(X\theta)$ where $g(z) = \frac{{1}}{{1 + e^{{-z}}}}$.{_NL}$$\nabla_\theta J = {_VEC % 'h'}$$",
        3,
        LOGISTIC,
        X.T @ (H - Y) / M,
    ),
    "m8 a = σ(−z), z = Xθ": (
        rf"Let $z = X\theta$ and $a = \sigma(-z)$.{_NL}$$\nabla_\theta J = {_VEC % 'a'}$$",
        3,
        LOGISTIC,
        X.T @ (H_OWN - Y) / M,
    ),
    "m8's twin a = σ(z)": (
        rf"Let $z = X\theta$ and $a = \sigma(z)$.{_NL}$$\nabla_\theta J = {_VEC % 'a'}$$",
        3,
        LOGISTIC,
        X.T @ (H - Y) / M,
    ),
    "m1 J with h = σ(−Xθ), then (1/m)Xᵀ(h − y)": (
        r"Let $h = \sigma(-X\theta)$."
        + _NL
        + r"$$J(\theta) = -\frac{1}{m}\left[ y^T \log h + (1 - y)^T \log(1 - h) \right]$$"
        + rf"{_NL}$$\nabla_\theta J = {_VEC % 'h'}$$",
        5,
        OWN,
        X.T @ (H_OWN - Y) / M,
    ),
    "m1's twin (1/m)Xᵀ(y − h): its own J": (
        r"Let $h = \sigma(-X\theta)$."
        + _NL
        + r"$$J(\theta) = -\frac{1}{m}\left[ y^T \log h + (1 - y)^T \log(1 - h) \right]$$"
        + _NL
        + r"$$\nabla_\theta J = \frac{1}{m} X^T (y - h)$$",
        5,
        OWN,
        X.T @ (Y - H_OWN) / M,
    ),
}
_G_OWN = r"Let $g(z) = \frac{1}{1+e^{z}}$ and $h(x) = g(\theta^T x)$."
_BOLD_H = r"h_{\boldsymbol\theta}(\mathbf{x}^{(i)})"


def _own_h_text(intro: str, h: str, residual: str) -> str:
    """The text's own h defined in ``intro``, the cross-entropy J written with ``h``, and ∂J/∂θ_j with ``residual``."""
    gradient = r"\frac{\partial J}{\partial \theta_j} = " + _SUM % (residual, "x_j^{(i)}")
    return intro + "\n\n$$" + _LOG % {"h": h} + "$$\n\n$$" + gradient + "$$"


_BOLD_OWN = r"Let $h_{\boldsymbol\theta}(\mathbf{x}) = \sigma(-\boldsymbol\theta^T \mathbf{x})$."
OWN_H = {  # item 2: h through the text's own g, or with bold θ and x: the text's definition rules
    "v8 h(x) = g(θᵀx), g(z) = 1/(1+e^z), (h − y)x_j": (
        _own_h_text(_G_OWN, "h(x^{(i)})", "h(x^{(i)}) - y^{(i)}"),
        5,
        OWN,
        X.T @ (H_OWN - Y) / M,
    ),
    "v8's twin (y − h)x_j": (
        _own_h_text(_G_OWN, "h(x^{(i)})", "y^{(i)} - h(x^{(i)})"),
        5,
        OWN,
        X.T @ (Y - H_OWN) / M,
    ),
    "w3 bold h_θ(x) = σ(−θᵀx), (h − y)x_j": (
        _own_h_text(_BOLD_OWN, _BOLD_H, _BOLD_H + " - y^{(i)}"),
        5,
        OWN,
        X.T @ (H_OWN - Y) / M,
    ),
    "w3's twin (y − h)x_j": (
        _own_h_text(_BOLD_OWN, _BOLD_H, "y^{(i)} - " + _BOLD_H),
        5,
        OWN,
        X.T @ (Y - H_OWN) / M,
    ),
}
_ENTRY = r"$$\nabla_\theta J = " + _SUM % ("h_\\theta(x^{(i)}) - y^{(i)}", "%s") + "$$"
_ENTRIES = X.T @ (H - Y) / M  # entry j of (1/m)Σ(h − y)x_j⁽ⁱ⁾, for each j
# item 3: ∇_θ J (a vector) = one number, unless the prose says the formula is the gradient's entry j
EACH_J = {  # (text, line, the prose says "for each j")
    "n3 \\mathbf{x}_j": (_ENTRY % r"\mathbf{x}_j^{(i)}", 1, False),
    "n13 \\vec{x}_j": (_ENTRY % r"\vec{x}_j^{(i)}", 1, False),
    "n4 a later step of the chain": (
        r"$$\nabla_\theta J = "
        + _SUM % ("h_\\theta(x^{(i)}) - y^{(i)}", "x^{(i)}")
        + " = "
        + _SUM % ("h_\\theta(x^{(i)}) - y^{(i)}", "x_j^{(i)}")
        + "$$",
        1,
        False,
    ),
    "n7 never … for each j": (
        "Here $\\theta$ has entries $\\theta_0, \\ldots, \\theta_n$ and we never work for each $j$ separately.\n\n"
        + _ENTRY % "x_j^{(i)}",
        3,
        False,
    ),
    "n16 the element-wise product": (
        "The gradient, where $\\odot$ is the element-wise product used later:\n\n" + _ENTRY % "x_j^{(i)}",
        3,
        False,
    ),
    "n17 σ applied component-wise": ("We apply $\\sigma$ component-wise.\n\n" + _ENTRY % "x_j^{(i)}", 3, False),
    "review 6: a constraint for all j": (
        "We require $\\theta_j \\ge 0$ for all $j$.\n\n" + _ENTRY % "x_j^{(i)}",
        3,
        False,
    ),
    "review 6: data scaled for all j": (
        "Features are scaled so $|x_j| \\le 1$ for all $j$.\n\n" + _ENTRY % "x_j^{(i)}",
        3,
        False,
    ),
    "twin: for each j, \\mathbf{x}_j": ("For each $j$:\n\n" + _ENTRY % r"\mathbf{x}_j^{(i)}", 3, True),
    "twin: the j-th component of the gradient": (
        "The $j$-th component of the gradient:\n\n" + _ENTRY % "x_j^{(i)}",
        3,
        True,
    ),
    "twin: component-wise, ∂J/∂θ_j": (
        "Component-wise, $\\frac{\\partial J}{\\partial \\theta_j}$ is the entry below.\n\n" + _ENTRY % "x_j^{(i)}",
        3,
        True,
    ),
}


@functools.cache
def _marks(text: str, hypothesis: str | None) -> tuple[tuple[int, str], ...]:
    report = verify_text(text, hypothesis=hypothesis, explain=False, rules=False)
    marks = {"holds": "✓", "fails": "✗", "definition": ":=", "not understood": "?"}
    return tuple((step.line, marks[str(step.status)]) for step in report.steps)


def _mark(text: str, line: int, hypothesis: str | None = None) -> str:
    """The mark of the last step checked on ``line`` (✓, ✗ or ?), := where the line only defines."""
    checked = [mark for at, mark in _marks(text, hypothesis) if at == line and mark != ":="]
    return checked[-1] if checked else ":="


# m1 with its slip named logistic: ✗ either way, the inference over the catalog (seconds) left out; its twin is
# read as users run it, its J the text's own
_NAMED = {"m1 J with h = σ(−Xθ), then (1/m)Xᵀ(h − y)": "logistic"}


@pytest.mark.parametrize("case", [*MATRIX, *OWN_H])
def test_the_texts_own_h_rules(case):
    text, line, cost, right_side = {**MATRIX, **OWN_H}[case]
    right = np.allclose(_gradient(cost), right_side, rtol=1e-6, atol=1e-9)
    assert (_mark(text, line, _NAMED.get(case)) == "✓") == right, case
    if case in OWN_H:  # h(x) = g(θᵀx), g(z) = …, h_θ(x) = …: the text's definitions, not ✗ steps
        assert _mark(text, 1) == ":="


def test_the_oracle_tells_the_twins_apart():
    assert not np.allclose(_gradient(LOGISTIC), X.T @ (H_OWN - Y) / M, rtol=1e-3)
    assert np.allclose(_gradient(OWN), X.T @ (Y - H_OWN) / M, rtol=1e-6)
    assert not np.allclose(_gradient(OWN), X.T @ (H_OWN - Y) / M, rtol=1e-3)


@pytest.mark.parametrize("case", EACH_J)
def test_the_gradient_is_a_vector_unless_the_prose_says_entry_j(case):
    text, line, each = EACH_J[case]
    gradient = _gradient(LOGISTIC)
    # as written: the whole vector equals one number (entry j's) for no j; for each j: entry j equals it
    right = np.allclose(gradient, _ENTRIES) if each else any(np.allclose(gradient, e) for e in _ENTRIES)
    assert (_mark(text, line) == "✓") == right, case


@pytest.mark.parametrize(
    ("prose", "says"),
    [
        # a phrase counts beside the gradient, a derivative or an update (review 6: "we require θ_j ≥ 0 for all j")
        ("For each $j$:\n\n$$\\frac{\\partial J}{\\partial \\theta_j} = …$$", True),
        ("$$\\nabla_\\theta J = …$$ for all j = 0, …, n", True),
        ("For each $j$:", False),
        ("We require $\\theta_j \\ge 0$ for all $j$.\n\n$$\\nabla_\\theta J = …$$", False),
        ("Features are scaled so that $|x_j| \\le 1$ for all $j$.", False),
        # review 7: trigger words about something else, and a condition on values that leads into the formula
        ("The update uses the same learning rate for all $j$.", False),
        ("The derivative of the sigmoid is bounded by 1/4 for all $j$.", False),
        ("Here $|x_j| \\le 1$ for all $j$:\n\n$$\\nabla_\\theta J = …$$", False),
        ("The partial derivative for each $j$ is", True),
        # review 8: "gradient descent" is not the gradient; a condition beside the gradient's own entries is
        ("Gradient descent uses the same learning rate $\\alpha$ for all $j$.", False),
        ("For real features $x_j \\in \\mathbb{R}$, the gradient has one entry for all $j$:", True),
        ("The $j$-th component of the gradient", True),
        ("Component-wise, $\\frac{\\partial J}{\\partial \\theta_j}$ is", True),
        ("We write the gradient component-wise:", True),
        ("where $\\odot$ is the element-wise product", False),
        ("We apply $\\sigma$ component-wise.", False),
        ("we never work for each $j$ separately", False),
        ("this is not for each $j$", False),
    ],
)
def test_which_prose_says_for_each_j(prose, says):
    assert says_each_j(prose) is says


_BAR = r"$$\bar{\theta} = \frac{1}{n}\sum_{j=1}^n \theta_j$$" + _NL + r"$$\frac{\partial}{\partial \theta_1} %s = %s$$"
T = RNG.normal(size=4)  # θ_1 … θ_n, n = 4


@pytest.mark.parametrize(
    ("written", "f", "right_side"),
    [  # item 4: θ̄ the text defines is read (was 'not defined'), a function of every θ_j
        (
            (r"\frac{1}{2}\sum_{j=1}^n (\theta_j - \bar{\theta})^2", r"\theta_1 - \bar{\theta}"),
            lambda t: 0.5 * np.sum((t - t.mean()) ** 2),
            T[0] - T.mean(),
        ),
        ((r"\frac{1}{2}\bar{\theta}^2", r"\frac{1}{n}\bar{\theta}"), lambda t: 0.5 * t.mean() ** 2, T.mean() / 4),
        ((r"\frac{1}{2}\bar{\theta}^2", "0"), lambda t: 0.5 * t.mean() ** 2, 0.0),
    ],
)
def test_a_bar_the_text_defines(written, f, right_side):
    right = np.isclose(central_differences(f, T)[0], right_side, rtol=1e-6)
    assert (_mark(_BAR % written, 3) == "✓") == right


@pytest.mark.parametrize("residual", ["h(x_i) - y_i", "y_i - h(x_i)"])
def test_h_of_x_i_with_no_h_defined_is_the_models(residual):
    # item 4: h(x_i) is the model's h_θ at example i (it was read h·x_i)
    text = r"$$\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m (" + residual + r") x_{ij}$$"
    sign = 1 if residual.startswith("h") else -1
    right = np.allclose(_gradient(LOGISTIC), sign * X.T @ (H - Y) / M, rtol=1e-6)
    assert (_mark(text, 1) == "✓") == right
