"""``verify`` on documents a tester wrote as users do, which it judged wrongly (false ✗ or an internal error).

* the text defines its own model (J(θ) = (1/2m)Σ(θᵀx − y)², or h_θ(x) = θᵀx) and no --hypothesis is given:
  the model is read from the text and the report says from which line; where nothing can be read and a
  step fails, the report says how to name the model;
* a bold x_i standing as a factor beside wᵀx_i is the vector of example i, compared entry by entry;
* "(for $j \\geq 1$)" on the line under a display restricts the display;
* ∂/∂w max(0, 1 − ywx) = −yx, with w read as the vector θ: a one-line "not understood", never an internal error.

Each correct document holds; each slip made in it still fails (the judge is the oracle's sampling).
"""

from __future__ import annotations

from pathlib import Path

from derivation.proof import verify_text

DATA = Path(__file__).parent / "data" / "verify_user"


def read(name: str) -> str:
    return (DATA / name).read_text()


def statuses(report) -> list[str]:
    return [step.status for step in report.steps]


def test_cost_defined_in_the_text_names_the_model():
    report = verify_text(read("mse_no_h.md"), explain=False)
    assert statuses(report) == ["holds", "holds"]
    assert report.hypothesis == "linear" and report.hypothesis_text.endswith("read from line 1")
    slip = read("mse_no_h.md").replace(r"\frac{1}{m}\sum", r"\frac{1}{2m}\sum")  # the 2 of the square forgotten
    assert statuses(verify_text(slip, explain=False)) == ["holds", "fails"]


def test_hypothesis_defined_in_the_text_is_read_and_its_own_line_holds():
    report = verify_text(read("mse_md_correct.md"), explain=False)
    assert set(statuses(report)) == {"holds"} and len(report.steps) == 6
    assert report.hypothesis == "linear" and "read from line 3" in report.hypothesis_text


def test_named_hypothesis_is_kept():
    report = verify_text(read("mse_no_h.md"), hypothesis="logistic", explain=False)
    assert statuses(report) == ["fails", "fails"] and "read from" not in report.hypothesis_text


def test_no_model_in_the_text_and_a_failure_hints_at_the_option():
    text = (
        r"$$\frac{\partial}{\partial \theta_j}\frac{1}{2m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})^2"
        r" = \frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})\,x_j^{(i)}$$"
    )
    report = verify_text(text, explain=False)
    assert statuses(report) == ["fails"] and "--hypothesis" in report.hypothesis_text
    assert statuses(verify_text(text, hypothesis="linear", explain=False)) == ["holds"]


def test_bold_x_i_factor_is_example_i_entry_by_entry():
    report = verify_text(read("mse_bold_xi_min.md"), hypothesis="linear-mean", explain=False)
    assert report.steps[1].status == "holds"
    slip = read("mse_bold_xi_min.md").replace(r"\frac{2}{m}X^T", r"\frac{1}{m}X^T")
    assert verify_text(slip, hypothesis="linear-mean", explain=False).steps[1].status == "fails"


def test_condition_on_the_line_under_the_display():
    report = verify_text(read("hinge_ok.md"), hypothesis="hinge", explain=False)
    assert set(statuses(report)) == {"holds"}
    assert any("the line after it" in words for _, words in report.interpretations)
    dropped = read("hinge_ok.md").replace(r"\mathbf{1}[y^{(i)}\theta^T x^{(i)} < 1]\, ", "")
    assert statuses(verify_text(dropped, hypothesis="hinge", explain=False)) == ["holds", "holds", "fails"]


def test_one_weight_times_one_feature_is_read_as_numbers_and_the_dropped_indicator_fails():
    """∂/∂w max(0, 1 − ywx) = −yx: no transpose, no index anywhere, so w and x are numbers (was a refusal); the
    subgradient's indicator [1 − ywx > 0] is missing, so the step fails."""
    report = verify_text(read("relu_single_slip.md"), explain=False)
    (step,) = report.steps
    assert step.status == "fails" and report.exit_code == 1
    assert any("one weight, a number" in reading for reading in step.interpretations)
