"""``derivation verify`` on derivations typed the way people type them: plain text, Unicode, shorthand.

Styles copied from forum answers, e-mails and quick notes: Σ with no index or no limits, hθ(x), θj, xj,
xᵢⱼ, "-1/m Σ", dJ/dθj, e^(-z), "." and "·" for products, [ ] for brackets, a blank line between chains.
Each correct derivation is verified whole (every checked step ✓, none "not understood"); each mutated
copy (a sign slip, a dropped factor, the σ′ slip, a wrong 1/m) is caught at the step it was made in.
The judge is the verifier's oracle (finite differences on sampled data), independent of the reading.
"""

from __future__ import annotations

import pytest

from derivation.proof import DEFINITION, NOT_UNDERSTOOD, verify_text
from derivation.proof.extract import extract_chains

HOLDS, FAILS = "holds", "fails"

# (name, model, text, statuses of its steps)
CORRECT = [
    (
        "unicode_subscripts",  # pasted from a rendered page: Σᵢ, yᵢ, hθ(xᵢ), xᵢⱼ
        "logistic",
        """J(θ) = -1/m Σᵢ [yᵢ log(hθ(xᵢ)) + (1-yᵢ) log(1-hθ(xᵢ))]

∂J/∂θj = -1/m Σᵢ [yᵢ/hθ(xᵢ) - (1-yᵢ)/(1-hθ(xᵢ))] hθ(xᵢ)(1-hθ(xᵢ)) xᵢⱼ
       = -1/m Σᵢ [yᵢ(1-hθ(xᵢ)) - (1-yᵢ)hθ(xᵢ)] xᵢⱼ
       = 1/m Σᵢ (hθ(xᵢ) - yᵢ) xᵢⱼ
""",
        [HOLDS] * 4,
    ),
    (
        "sigma_without_index",  # Σ with no index at all, x, y, h meaning the i-th example's
        "logistic",
        """J(θ) = -1/m Σ [y log(hθ(x)) + (1-y) log(1-hθ(x))]

∂J/∂θj = -1/m Σ [y/hθ(x) - (1-y)/(1-hθ(x))] ∂hθ(x)/∂θj
       = -1/m Σ [y/hθ(x) - (1-y)/(1-hθ(x))] hθ(x)(1-hθ(x)) xj
       = -1/m Σ [y(1-hθ(x)) - (1-y)hθ(x)] xj
       = 1/m Σ (hθ(x) - y) xj
""",
        [HOLDS] * 5,
    ),
    (
        "latex_shorthand",  # \sum without limits, bare y and h, h defined after a comma and \quad
        "logistic",
        r"$$J = -\frac{1}{m}\sum \left[y\log h + (1-y)\log(1-h)\right], \quad h = \sigma(\theta^T x)$$" + "\n"
        r"$$\frac{\partial J}{\partial\theta_j} = -\frac{1}{m}\sum \left[\frac{y}{h} - \frac{1-y}{1-h}\right]"
        r" h(1-h) x_j = \frac{1}{m}\sum (h - y) x_j$$",
        [HOLDS, DEFINITION, HOLDS, HOLDS],
    ),
    (
        "ascii_typed",  # no Unicode but Σ: theta, htheta, thetaj, * for products
        "logistic",
        """J(theta) = -1/m * Σ [y*log(htheta(x)) + (1-y)*log(1-htheta(x))]

dJ/dthetaj = 1/m * Σ (htheta(x) - y)*xj
""",
        [HOLDS, HOLDS],
    ),
    (
        "one_example_with_prose",  # a quick note: the loss of one example, words between the equations
        "logistic",
        """For one example the loss is

L = -[y log(h) + (1-y) log(1-h)]

and since h = σ(θᵀx) and σ'(z) = σ(z)(1-σ(z)):

∂L/∂θj = -[y/h - (1-y)/(1-h)] h(1-h) xj
       = -[y(1-h) - (1-y)h] xj
       = (h - y) xj
""",
        [DEFINITION, DEFINITION, HOLDS, HOLDS, HOLDS, HOLDS],
    ),
    (
        "forum_x_ij",  # x_ij for feature j of example i, log without brackets
        "logistic",
        """J(θ) = -1/m Σᵢ [yᵢ log hθ(xᵢ) + (1 - yᵢ) log(1 - hθ(xᵢ))]

∂J/∂θj = -1/m Σᵢ [yᵢ - hθ(xᵢ)] x_ij
       = 1/m Σᵢ [hθ(xᵢ) - yᵢ] x_ij
""",
        [HOLDS, HOLDS, HOLDS],
    ),
    (
        "sum_without_brackets",  # the Σ runs over both terms, though no bracket says so
        "logistic",
        """J(θ) = -1/m Σ y log(hθ(x)) + (1-y) log(1-hθ(x))

∂J/∂θj = 1/m Σ (hθ(x) - y) xj
""",
        [HOLDS, HOLDS],
    ),
    (
        "expanded_without_brackets",  # both sums written out term by term, no bracket anywhere
        "logistic",
        """J(θ) = -1/m Σ y log(hθ(x)) + (1-y) log(1-hθ(x))

∂J/∂θj = -1/m Σ y (1-hθ(x)) xj - (1-y) hθ(x) xj
       = 1/m Σ (hθ(x) - y) xj
""",
        [HOLDS] * 3,
    ),
    (
        "sigmoid_derivative_typed",  # e^(-z) and * typed as in a chat answer
        "logistic",
        """σ(z) = 1/(1+e^(-z))

σ'(z) = e^(-z)/(1+e^(-z))^2
      = 1/(1+e^(-z)) * e^(-z)/(1+e^(-z))
      = σ(z) * (1 - σ(z))
""",
        [HOLDS] * 4,
    ),
    (
        "dot_products",  # "." and "·" for the product, σ(θᵀx) written out inside Σ
        "logistic",
        """σ'(z) = σ(z).(1-σ(z))

∂J/∂θj = 1/m Σ (σ(θᵀx) - y) · xj
""",
        [HOLDS, HOLDS],
    ),
    (
        "ascii_course_style",  # ASCII as in course forums: sum(…), y(i), h(x(i)), x_j(i)
        "logistic",
        """J(theta) = -1/m * sum(y(i)*log(h(x(i))) + (1-y(i))*log(1-h(x(i))))

dJ/dtheta_j = 1/m * sum((h(x(i)) - y(i)) * x_j(i))
""",
        [HOLDS, HOLDS],
    ),
    (
        "ascii_sum_with_limits",  # sum_{i=1}^m, ^(i), h_theta typed without backslashes
        "logistic",
        """J(theta) = -(1/m) * sum_{i=1}^m [y^(i) log(h_theta(x^(i))) + (1 - y^(i)) log(1 - h_theta(x^(i)))]

dJ/dtheta_j = (1/m) * sum_{i=1}^m (h_theta(x^(i)) - y^(i)) * x_j^(i)
""",
        [HOLDS, HOLDS],
    ),
    (
        "linear_half_mean",  # 1/2m, ∂hθ(x)/∂θj inline
        "linear",
        """J(θ) = 1/2m Σ (hθ(x) - y)^2

∂J/∂θj = 1/2m Σ 2(hθ(x) - y) ∂hθ(x)/∂θj
       = 1/m Σ (hθ(x) - y) xj
""",
        [HOLDS] * 3,
    ),
    (
        "linear_unicode_inner",  # θᵀxᵢ, dJ/dθj, a centred dot, xᵢⱼ
        "linear",
        """J(θ) = 1/(2m) Σᵢ (θᵀxᵢ - yᵢ)²

dJ/dθj = 1/m Σᵢ (θᵀxᵢ - yᵢ) · xᵢⱼ
""",
        [HOLDS, HOLDS],
    ),
    (
        "linear_where_h",  # J and h defined on one line, "where" between them
        "linear",
        """J = 1/2m Σ (h - y)², where h = θᵀx

∂J/∂θj = 1/m Σ (h - y) xj
""",
        [HOLDS, DEFINITION, HOLDS],
    ),
    (
        "linear_notes_with_update",  # labelled lines, the update rule θj := … last (an assignment, not checked)
        "linear",
        """Cost: J(θ) = 1/2m Σ (hθ(x) − y)²

Gradient: ∂J/∂θj = 1/m Σ (hθ(x) − y) xj

Update: θj := θj − α/m Σ (hθ(x) − y) xj
""",
        [HOLDS, HOLDS, DEFINITION],
    ),
    (
        "linear_ascii_theta_x",  # theta^T x typed in ASCII, theta_j, 2 brought down
        "linear",
        """J(theta) = 1/(2m) * Σ (theta^T x - y)^2

dJ/dtheta_j = 1/(2m) * Σ 2 * (theta^T x - y) * xj
            = 1/m * Σ (theta^T x - y) * xj
""",
        [HOLDS] * 3,
    ),
]

# (name of the correct derivation, what is replaced, by what, the step that must fail) — replaced everywhere
# from its first occurrence on, so a slip carried forward fails once, where it was made
MUTATIONS = [
    ("unicode_subscripts", "= 1/m Σᵢ (hθ(xᵢ) - yᵢ)", "= 1/m Σᵢ (yᵢ - hθ(xᵢ))", 4),  # sign slip
    ("sigma_without_index", "hθ(x)(1-hθ(x)) xj", "hθ(x)^2 xj", 3),  # σ′ written σ²
    ("sigma_without_index", "       = 1/m Σ (hθ(x) - y) xj", "       = 1/2m Σ (hθ(x) - y) xj", 5),  # wrong 1/m
    ("latex_shorthand", r"= \frac{1}{m}\sum (h - y) x_j", r"= \frac{1}{m}\sum (y - h) x_j", 4),  # sign slip
    ("latex_shorthand", r"$$J = -\frac{1}{m}", r"$$J = \frac{1}{m}", 1),  # the cost's minus lost
    ("ascii_typed", "1/m * Σ (htheta(x) - y)*xj", "1/m * Σ (htheta(x) - y)", 2),  # dropped x_j
    ("one_example_with_prose", "       = (h - y) xj", "       = (h - y) h xj", 6),  # an extra factor
    ("forum_x_ij", "-1/m Σᵢ [yᵢ log hθ", "1/m Σᵢ [yᵢ log hθ", 1),  # the cost's minus lost
    ("sum_without_brackets", "1/m Σ (hθ(x) - y) xj", "1/m Σ (hθ(x) + y) xj", 2),  # sign slip
    ("expanded_without_brackets", "xj - (1-y) hθ(x) xj", "xj + (1-y) hθ(x) xj", 2),  # sign slip, not carried
    ("sigmoid_derivative_typed", "= σ(z) * (1 - σ(z))", "= σ(z) * (1 + σ(z))", 4),  # sign slip
    ("dot_products", "σ(z).(1-σ(z))", "σ(z).σ(z)", 1),  # the σ′ slip
    ("ascii_course_style", "(h(x(i)) - y(i))", "(y(i) - h(x(i)))", 2),  # sign slip
    ("ascii_sum_with_limits", "-(1/m) * sum", "-(1/(2*m)) * sum", 1),  # a wrong 1/m in the cost
    ("linear_half_mean", "= 1/m Σ (hθ(x) - y) xj", "= 1/2m Σ (hθ(x) - y) xj", 3),  # the 2 not brought down
    ("linear_unicode_inner", "1/m Σᵢ (θᵀxᵢ - yᵢ) · xᵢⱼ", "1/m Σᵢ (θᵀxᵢ - yᵢ)", 2),  # dropped x_ij
    ("linear_where_h", "1/m Σ (h - y) xj", "-1/m Σ (h - y) xj", 3),  # sign slip
    ("linear_notes_with_update", "∂J/∂θj = 1/m", "∂J/∂θj = m", 2),  # a wrong 1/m
    ("linear_ascii_theta_x", "= 1/m * Σ (theta^T x - y) * xj", "= 2/m * Σ (theta^T x - y) * xj", 3),  # factor 2
]
BY_NAME = {name: (model, text, expected) for name, model, text, expected in CORRECT}


def statuses(text: str, model: str) -> list[str]:
    report = verify_text(text, hypothesis=model, rules=False)
    return [str(step.status) for step in report.steps]


@pytest.mark.parametrize(("name", "model", "text", "expected"), CORRECT, ids=[c[0] for c in CORRECT])
def test_correct_plain_derivation_verifies_whole(name, model, text, expected):
    assert statuses(text, model) == expected


@pytest.mark.parametrize(("name", "old", "new", "wrong"), MUTATIONS, ids=[f"{m[0]}-{m[3]}" for m in MUTATIONS])
def test_mutated_plain_derivation_fails_at_the_slip(name, old, new, wrong):
    model, text, expected = BY_NAME[name]
    assert old in text
    start = text.index(old)
    report = verify_text(text[:start] + text[start:].replace(old, new), hypothesis=model, rules=False)
    assert report.first_failure is not None and report.first_failure.number == wrong
    for step, status in zip(report.steps, expected, strict=True):
        if step.number == wrong:
            continue
        # the next step starts from the wrong side: it fails too, said to be inherited from the slip
        inherited = step.number == wrong + 1 and step.diagnosis is not None and step.diagnosis.kind == "inherited"
        assert step.status == status or (step.status == FAILS and inherited), (step.number, step.status)


def test_interpretations_are_stated():
    _, text, _ = BY_NAME["sigma_without_index"]
    report = verify_text(text, rules=False)
    words = " ".join(w for _, w in report.interpretations)
    assert "sum over the m examples" in words and "i-th example's" in words and "h_θ" in words
    assert "θ_j" in words
    _, text, _ = BY_NAME["sum_without_brackets"]
    assert "running over the terms after it" in " ".join(w for _, w in verify_text(text, rules=False).interpretations)


def test_blank_line_ends_a_chain_and_an_equals_line_continues_it():
    text = "J(θ) = -1/m Σ [y log(hθ(x)) + (1-y) log(1-hθ(x))]\n\n∂J/∂θj = 1/m Σ (hθ(x) - y) xj\n   = 2 a\n"
    chains = [[side.latex for side in chain.sides] for chain in extract_chains(text)]
    assert chains == [
        ["J(θ)", "-1/m Σ [y log(hθ(x)) + (1-y) log(1-hθ(x))]"],
        ["∂J/∂θj", "1/m Σ (hθ(x) - y) xj", "2 a"],
    ]


def test_a_line_without_equals_continues_the_side_above():
    text = "J(θ) = -1/m Σ [y log(hθ(x))\n        + (1-y) log(1-hθ(x))]\n"
    assert statuses(text, "logistic") == [HOLDS]


def test_bare_letters_outside_a_sum_are_not_read_as_an_example():
    # y·x_j outside any Σ is no example's: the sum of (h − y)x_j is not m times it, whatever the letters
    report = verify_text("∂J/∂θj = 1/m Σ (hθ(x) - y) xj = (hθ(x) - y) xj\n", rules=False)
    assert [s.status for s in report.steps] == [HOLDS, FAILS]


def test_unreadable_plain_line_is_not_understood_with_the_place():
    report = verify_text("J(θ) = -1/m Σ [y log(hθ(x)) + (1-y) log(1-hθ(x)) ]]\n", rules=False)
    step = report.steps[0]
    assert step.status == NOT_UNDERSTOOD and "^" in step.unreadable.caret


# One line each: a spelling, in a step that holds only when the spelling is read as meant (and its slip fails)
SPELLINGS = [
    ("∂J/∂θj = 1/m Σ (hΘ(x) - y) xj", "(hΘ(x) - y)", "(y - hΘ(x))"),
    ("dJ/dθⱼ = 1/m Σᵢ (h_θ(xᵢ) - yᵢ) x_{ij}", "1/m", "1/2m"),
    ("∂J/∂theta_j = 1/m Σ (hθ(x) - y) × xⱼ", "× xⱼ", "× xⱼ × xⱼ"),
    ("σ'(z) = e^(-z)/(1+e^(-z))^2", "^2", "^3"),
    ("d/dz sigmoid(z) = sigmoid(z)*(1-sigmoid(z))", "(1-sigmoid(z))", "sigmoid(z)"),
    ("∂J/∂θj = 1/m Σ {hθ(x) - y} · xj", "1/m", "-1/m"),
]


@pytest.mark.parametrize(("text", "old", "new"), SPELLINGS, ids=[s[0] for s in SPELLINGS])
def test_each_spelling_is_read_as_meant(text, old, new):
    assert statuses(text, "logistic") == [HOLDS]
    assert statuses(text.replace(old, new), "logistic") == [FAILS]


def test_an_h_of_the_text_that_is_not_the_models_is_not_read_into_a_sum():
    # h = θᵀx under the logistic model: reading Σ (h − y) as the model's h_θ would judge another derivation
    _, text, _ = BY_NAME["linear_where_h"]
    report = verify_text(text, hypothesis="logistic", rules=False)
    assert [s.status for s in report.steps] == [NOT_UNDERSTOOD, DEFINITION, NOT_UNDERSTOOD]
    assert "not the model's" in report.steps[0].unreadable.message


def test_a_loss_of_one_example_with_h_defined_after_it_is_the_models():
    # θᵀx is a Σ over k, not over the examples; h (defined on a later line) is the one the steps read
    _, text, _ = BY_NAME["one_example_with_prose"]
    report = verify_text(text, rules=False)
    assert not report.warnings
    assert any("is the model's cost" in words for _, words in report.interpretations)
