"""Results end where a textbook ends, every tidying step verified; long derivations keep the width."""

from __future__ import annotations

import sympy as sp
from cli_runner import run_cli

from derivation.core import notation as nt
from derivation.core.functions import normal_cdf, normal_pdf, sigmoid
from derivation.core.notation import EXAMPLES, FEATURES, i, inner, j, k, l, m, n, theta, y_example
from derivation.derive import api
from derivation.models import get_model
from derivation.parsing import parse_latex, read_expr
from derivation.printing import render, to_unicode
from derivation.printing.text import WIDTH, render_text
from derivation.proof.read import model_context

w, x, y = sp.symbols("w x y")
LONG = sp.log(1 + sp.exp(-y * w * x)) + sp.log(1 + sp.exp(-y * w * x * x)) + w**2


def test_a_long_left_side_stands_alone_and_the_steps_keep_the_width():
    d = api.derive(LONG, w)
    lines = render_text(d).splitlines()
    assert lines[2] == "d/dw [w² + log(1 + e^(−w x y)) + log(1 + e^(−w x² y))]"
    steps = [line for line in lines[3:] if line.startswith("  = ")]
    assert len(steps) == len(d.steps)  # one "= …" per step, each at the small indent
    assert all(len(line) <= WIDTH for line in lines)
    assert max(len(line) for line in steps) > 80  # the right sides use the width, not a narrow column


def test_a_short_left_side_still_aligns_its_equals_signs():
    text = render_text(api.derive(sp.log(1 + sp.exp(-y * w * x)), w))
    first, second = text.splitlines()[2:4]
    assert first.startswith("d/dw log(1 + e^(−w x y)) = ")
    assert second.startswith(" " * len("d/dw log(1 + e^(−w x y)) ") + "= ")


def test_width_narrows_every_line_and_loses_nothing():
    d = api.derive(LONG, w)
    wide, narrow = render(d, width=100), render(d, width=50)
    assert max(len(line) for line in narrow.splitlines()) <= 50
    for piece in ("(∂v/∂v = 1) ✓", "x² y e^(−w x² y)/(1 + e^(−w x² y))"):
        assert piece in wide and "".join(piece.split()) in "".join(narrow.split())


cli = run_cli  # main() in this process: its standard output is no terminal, as a pipe's is not


def test_the_cli_takes_width_and_refuses_a_useless_one():
    out = cli("derive", "--width", "60", "--wrt", "w", "log(1+exp(-y*w*x)) + log(1+exp(-y*w*x*x)) + w**2")
    assert out.returncode == 0, out.stderr
    assert max(len(line) for line in out.stdout.splitlines()) <= 60
    piped = cli("derive", "--wrt", "w", "log(1+exp(-y*w*x)) + log(1+exp(-y*w*x*x)) + w**2")
    assert max(len(line) for line in piped.stdout.splitlines()) > 60  # not a terminal: 100 columns
    bad = cli("derive", "--width", "5", "--wrt", "w", "w**2")
    assert bad.returncode == 2 and "--width 100" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


# --- results end where a textbook ends --------------------------------------------------------


THETA_X = sp.Sum(theta[k] * nt.x[k], FEATURES)  # θᵀx of one example


def every_step_verified(d) -> None:
    assert d.verified, [(s.rule, s.verdict) for s in d.steps]
    assert all(s.verdict is not None and s.verdict.ok for s in d.steps)
    assert all(c.verdict.ok for c in d.checks) and d.checks
    assert not d.result.has(sp.Derivative, sp.KroneckerDelta)


def latex(text: str) -> sp.Expr:
    return parse_latex(text, model_context("logistic"))


def test_logistic_example_ends_at_h_minus_y_times_x_j():
    d = api.derive_model("logistic", "example")
    every_step_verified(d)
    h = get_model("logistic").form("example").definitions[0].short
    assert d.result == (h - y_example) * nt.x[j]
    assert [s.rule for s in d.steps][-2:] == ["cancel", "collect"]
    assert to_unicode(d.result) == "(h_θ(x) − y) x_j"  # the bracket first, the datum last


def test_labels_plus_minus_one_end_in_sigma_of_minus_y_theta_x():
    cost = latex(r"\frac{1}{m}\sum_{i=1}^m \log(1+e^{-y^{(i)}\theta^T x^{(i)}})")
    d = api.derive(cost, theta[j])
    every_step_verified(d)
    assert d.result == -sp.Sum(nt.y[i] * sigmoid(-nt.y[i] * inner(i)) * nt.x[i, j], EXAMPLES) / m
    assert d.steps[-1].rule == "fold-sigma"
    assert to_unicode(d.result) == "−(1/m) Σᵢ₌₁ᵐ y⁽ⁱ⁾ σ(−y⁽ⁱ⁾ θᵀx⁽ⁱ⁾) x_j⁽ⁱ⁾"


def test_softplus_written_out_ends_at_sigma():
    zz = read_expr("z", allow_new_symbols=True)
    d = api.derive(read_expr("log(1 + exp(z))", allow_new_symbols=True), zz)
    every_step_verified(d)
    assert d.result == sigmoid(zz)


def test_linear_example_without_a_name_for_h_ends_at_theta_x_minus_y_times_x_j():
    d = api.derive(latex(r"\frac{1}{2}(\theta^T x - y)^2"), theta[j])
    every_step_verified(d)
    assert d.result == (THETA_X - y_example) * nt.x[j]
    assert to_unicode(d.result) == "(θᵀx − y) x_j"


def test_cross_entropy_through_sigma_collects_to_sigma_minus_y():
    d = api.derive(latex(r"-y\log\sigma(\theta^T x) - (1-y)\log(1-\sigma(\theta^T x))"), theta[j])
    every_step_verified(d)
    assert d.result == (sigmoid(THETA_X) - y_example) * nt.x[j]


def test_a_name_the_user_writes_is_folded_back_and_collected():
    d = api.derive(latex(r"-y\log h_\theta(x) - (1-y)\log(1-h_\theta(x))"), theta[j])
    every_step_verified(d)
    (definition,) = d.definitions
    assert d.result == (definition.short - y_example) * nt.x[j]


def test_probit_score_ends_in_phi_over_Phi_terms():
    w, xs, ys = (read_expr(name, allow_new_symbols=True) for name in ("w", "x", "y"))
    cost = read_expr("-y*log(Phi(w*x)) - (1-y)*log(1-Phi(w*x))", allow_new_symbols=True)
    d = api.derive(cost, w)
    every_step_verified(d)
    u = w * xs
    assert d.result == xs * normal_pdf(u) * ((1 - ys) / (1 - normal_cdf(u)) - ys / normal_cdf(u))
    assert d.steps[-1].rule == "common-factor"


Z = sp.IndexedBase("z", real=True)
KRONECKER_CASES = [
    # ∂/∂θ_j of …, the result with no δ left
    (sp.Sum(theta[k] ** 2, FEATURES), 2 * theta[j]),
    (sp.Sum(theta[k] * nt.x[k] + theta[k] * Z[k], FEATURES), nt.x[j] + Z[j]),
    (THETA_X**2, 2 * nt.x[j] * THETA_X),
    (sp.Sum(sp.Sum(theta[k] * theta[l] * nt.x[k] * nt.x[l], (l, 0, n)), FEATURES), 2 * nt.x[j] * THETA_X),
    (sp.sqrt(sp.Sum(theta[k] ** 2, FEATURES)), theta[j] / sp.sqrt(sp.Sum(theta[k] ** 2, FEATURES))),
    (sp.Sum((inner(i) - nt.y[i]) ** 2, EXAMPLES) / (2 * m), sp.Sum((inner(i) - nt.y[i]) * nt.x[i, j], EXAMPLES) / m),
]


def test_sums_of_kronecker_deltas_collapse_everywhere_including_inside_products():
    for cost, expected in KRONECKER_CASES:
        d = api.derive(cost, theta[j])
        every_step_verified(d)
        assert d.result == expected, (cost, d.result)


def test_verify_wraps_at_width_and_keeps_the_caret_under_its_column(tmp_path):
    source = r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)} x_j^{(i)}"
    path = tmp_path / "unclosed.tex"
    path.write_text(source + "\n", encoding="utf-8")
    whole, narrow = cli("verify", str(path)), cli("verify", "--width", "40", str(path))
    assert whole.returncode == narrow.returncode
    carets = [line for line in narrow.stdout.splitlines() if line.strip() == "^"]
    assert len(carets) == 1 and carets[0] in whole.stdout.splitlines()  # the marker line as it was
    marked = narrow.stdout.splitlines()[narrow.stdout.splitlines().index(carets[0]) - 1]
    assert marked in whole.stdout.splitlines()  # and the source line it points into, unwrapped
    others = [line for line in narrow.stdout.splitlines() if line not in (carets[0], marked)]
    assert max(len(line) for line in others) <= 40
    assert max(len(line) for line in whole.stdout.splitlines()) > 40
