r"""Definitions beside a gradient (``\quad \text{where } \hat{\mathbf{y}} = X\theta``, ``h_\theta(x) \equiv …``).

A definition the gradient uses is read and judged with it (a wrong one is named as the fault), whatever relation
(=, :=, \coloneqq, \equiv, \triangleq, \stackrel{\text{def}}{=}) and whatever bold spelling of ŷ it is written with;
one that cannot be read is refused, never left out.  The verdicts come from the finite-difference oracle of check.
"""

from __future__ import annotations

import pytest

from derivation.check.gradient import check_gradient
from derivation.parsing import ParseError
from derivation.parsing.statement import read_gradient
from derivation.proof.read import model_context
from derivation.proof.verifier import verify_text

_MATRIX = r"\frac{\partial J}{\partial \theta} = \frac{1}{m}X^T(<yhat> - y) \quad \text{where } <yhat> = <value>"
_BOLD_HATS = (r"\hat{\mathbf{y}}", r"\hat{\boldsymbol{y}}", r"\boldsymbol{\hat{y}}", r"\mathbf{\hat y}", r"\hat{y}")
_INDEX = (
    r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^{m}(h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)} "
    r"\quad \text{where } h_\theta(x) <relation> <value>"
)
_RELATIONS = (
    "=",
    ":=",
    r"\coloneqq",
    r"\equiv",
    r"\triangleq",
    r"\stackrel{\text{def}}{=}",
    r"\overset{\text{def}}{=}",
)
_SIGMOID = r"\frac{1}{m}X^T(\sigma(X\theta) - y) \quad \text{where } \sigma(z) <relation> <value>"


def _fill(template: str, **parts: str) -> str:
    for name, part in parts.items():
        template = template.replace(f"<{name}>", part)
    return template


def _fault_named(report, written: str) -> bool:
    return report.status == "incorrect" and f"your {written}" in report.reason


@pytest.mark.parametrize("yhat", _BOLD_HATS)
def test_a_bold_yhat_defined_after_where_is_the_prediction_it_defines(yhat: str) -> None:
    right = check_gradient("logistic", latex=_fill(_MATRIX, yhat=yhat, value=r"\sigma(X\theta)"))
    assert right.status == "correct", right.reason
    wrong = check_gradient("logistic", latex=_fill(_MATRIX, yhat=yhat, value=r"X\theta"))
    assert _fault_named(wrong, "ŷ = θᵀx"), wrong.reason


def test_a_bold_yhat_in_the_tester_s_own_words_and_after_a_comma() -> None:
    gradient = r"\frac{\partial \mathcal{L}}{\partial \mathbf{w}} = \frac{1}{m}\mathbf{X}^{\mathsf{T}}"
    gradient += r"(\hat{\mathbf{y}} - \mathbf{y})"
    for joint in (r" \quad \text{where } ", r", \quad "):
        right = check_gradient("logistic", latex=gradient + joint + r"\hat{\mathbf{y}} = \sigma(\mathbf{X}\mathbf{w})")
        assert right.status == "correct", right.reason
        wrong = check_gradient("logistic", latex=gradient + joint + r"\hat{\mathbf{y}} = \mathbf{X}\mathbf{w}")
        assert _fault_named(wrong, "ŷ = θᵀx"), wrong.reason


@pytest.mark.parametrize("relation", _RELATIONS)
def test_every_definition_relation_defines_the_hypothesis(relation: str) -> None:
    right = check_gradient("logistic", latex=_fill(_INDEX, relation=relation, value=r"\frac{1}{1 + e^{-\theta^T x}}"))
    assert right.status == "correct", right.reason
    wrong = check_gradient("logistic", latex=_fill(_INDEX, relation=relation, value=r"\theta^T x"))
    assert _fault_named(wrong, "h_θ(x) = θᵀx"), wrong.reason


@pytest.mark.parametrize("relation", ("=", r"\equiv", r"\triangleq", ":="))
def test_every_definition_relation_defines_the_sigmoid(relation: str) -> None:
    left = r"\frac{\partial J}{\partial \theta} = "
    right = check_gradient("logistic", latex=left + _fill(_SIGMOID, relation=relation, value=r"\frac{1}{1 + e^{-z}}"))
    assert right.status == "correct", right.reason
    wrong = check_gradient("logistic", latex=left + _fill(_SIGMOID, relation=relation, value=r"\frac{1}{1 + e^{z}}"))
    assert _fault_named(wrong, "σ(z)") and "wrong sign" in wrong.reason, wrong.reason


@pytest.mark.parametrize("sign", ("", "-"))
def test_definitions_that_use_each_other_are_read_in_their_order(sign: str) -> None:
    text = (
        r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m (\hat{y}^{(i)} - y^{(i)})x_j^{(i)} \quad "
        rf"\text{{where }} \hat{{y}}^{{(i)}} = \sigma(z^{{(i)}}), z^{{(i)}} = {sign}\theta^T x^{{(i)}}"
    )
    report = check_gradient("logistic", latex=text)
    assert report.status == ("incorrect" if sign else "correct"), report.reason


def test_a_definition_the_gradient_uses_but_that_cannot_be_read_is_refused() -> None:
    text = _fill(_MATRIX, yhat=r"\hat{\mathbf{y}}", value=r"\sigma(X\theta") + ")) +"
    with pytest.raises(ParseError, match=r"after 'where' defines .* which the gradient uses"):
        read_gradient(text, model_context("logistic"))


def test_a_where_clause_that_defines_nothing_the_gradient_uses_is_still_left_out_saying_so() -> None:
    text = r"\frac{\partial J}{\partial \theta} = \frac{1}{m}X^T(\sigma(X\theta) - y) \quad \text{where } x_0 = 1"
    statement = read_gradient(text, model_context("logistic"))
    assert any("x_0 = 1" in note and "left out" in note for note in statement.notes)


@pytest.mark.parametrize("relation", ("=", r"\equiv", r"\triangleq", r"\coloneqq", r"\stackrel{\text{def}}{=}"))
def test_verify_reads_a_definition_relation_as_an_equality(relation: str) -> None:
    after = r"$. Then" + "\n\n" + r"$$\frac{d\sigma}{dz} = \sigma(z)\left(1 - \sigma(z)\right)$$"
    # σ(z) = 1/(1 + e^{z}) is the text's own σ (read through the relation), whose derivative is −σ(1 − σ):
    # the claim σ(1 − σ) fails (the relation not read would leave the sigmoid, and a ✓)
    wrong = verify_text(r"Let $\sigma(z) " + relation + r" \frac{1}{1+e^{z}}" + after, explain=False)
    assert [step.status for step in wrong.steps] == ["definition", "fails"]
    right = verify_text(r"Let $\sigma(z) " + relation + r" \frac{1}{1+e^{-z}}" + after, explain=False)
    assert [step.status for step in right.steps] == ["holds", "holds"]


@pytest.mark.parametrize("joint", (r" \text{ and } ", r", \quad ", ", "))
def test_a_second_definition_after_and_or_a_comma_is_read_too(joint: str) -> None:
    text = _fill(_INDEX, relation="=", value=r"\sigma(\theta^T x)") + joint + r"\sigma(z) \equiv "
    assert check_gradient("logistic", latex=text + r"\frac{1}{1+e^{-z}}").status == "correct"
    wrong = check_gradient("logistic", latex=text + r"\frac{1}{1+e^{z}}")
    assert _fault_named(wrong, "σ(z)"), wrong.reason


@pytest.mark.parametrize(
    "left", (r"\frac{d\sigma}{dz}", r"\frac{\partial \sigma}{\partial z}", r"\frac{d\sigma(z)}{dz}", r"\sigma'(z)")
)
def test_d_sigma_dz_of_the_texts_own_sigma_is_its_derivative(left: str) -> None:
    # d/dz 1/(1 + e^z) = −e^z/(1 + e^z)² = −σ(1 − σ) for this σ (central differences agree: at z = 0.3, −0.2445)
    claim = "$$" + left + r" = SIGN\sigma(z)(1 - \sigma(z))$$"
    text = r"Let $\sigma(z) = \frac{1}{1+e^{z}}$. Then" + "\n\n" + claim
    assert [s.status for s in verify_text(text.replace("SIGN", "-"), explain=False).steps] == ["definition", "holds"]
    assert [s.status for s in verify_text(text.replace("SIGN", ""), explain=False).steps] == ["definition", "fails"]


@pytest.mark.parametrize("sign", ("≔", "≜", "≡"))
def test_a_definition_typed_as_a_unicode_sign_is_read(sign: str) -> None:
    # review 6: σ(z) ≔ 1/(1 + e^{z}) was no relation at all, σ stayed the sigmoid and σ′ = σ(1 − σ) got ✓ rc 0
    text = (
        r"We define $\sigma(z) "
        + sign
        + r" \frac{1}{1+e^{z}}$."
        + "\n\n"
        + r"$$\sigma'(z) = SIGN\sigma(z)(1 - \sigma(z))$$"
    )
    assert [s.status for s in verify_text(text.replace("SIGN", ""), explain=False).steps] == ["definition", "fails"]
    assert [s.status for s in verify_text(text.replace("SIGN", "-"), explain=False).steps] == ["definition", "holds"]
