"""The printers: our notation in Unicode, ASCII and LaTeX, and derivations in every format.

Derivations are built by hand from the catalog, so these tests do not depend on the engine.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derivation.core.functions import sigmoid
from derivation.core.notation import EXAMPLES, i, inner, j, k, lam, m, n, theta, x, y, z
from derivation.core.steps import Check, Derivation, Step, Verdict
from derivation.models import MODELS, get_model
from derivation.printing import FORMATS, render, render_expr
from derivation.printing.expr import ascii_text, to_ascii, to_latex, to_unicode
from derivation.printing.latex import latex_width
from derivation.printing.text import wrap

HOLDS = Verdict("holds", "symbolic", "the difference expands to 0")
NUMERIC = Verdict("holds", "numeric", "equal at 20 random points (m=3, n=2), seed 0")
FAILS = Verdict(
    "fails",
    "numeric",
    "differs at 3 of 20 points (m=3, n=2), seed 0",
    {"theta_0": sp.Float(0.25), "m": sp.Integer(3), "y": [sp.Rational(1, 2), 1.5], "x[1, 2]": sp.pi},
)
UNDECIDED = Verdict("undecided", "none", "no method decided it")


def D(expr: sp.Expr) -> sp.Derivative:  # reads like the ∂ it builds
    return sp.Derivative(expr, theta[j], evaluate=False)


def U(*args: sp.Expr) -> sp.Mul:  # an unevaluated product, as the engine builds it
    return sp.Mul(*args, evaluate=False)


def step(rule: str, expr: sp.Expr, verdict: Verdict | None = HOLDS, **data) -> Step:
    return Step(rule, f"{rule} rewrite", expr, verdict, **data)


def logistic_chain() -> Derivation:
    """The accepted answer's chain for logistic regression, step by step."""
    model = get_model("logistic")
    f = model.form("sum")
    h = type(f.definitions[0].short)
    hi, s, yi, xij = h(i), inner(i), y[i], x[i, j]

    def chain(*terms: sp.Expr) -> sp.Expr:
        return -sp.Sum(sp.Add(*terms, evaluate=False), EXAMPLES) / m

    sig = sigmoid(s)
    steps = (
        step("definition", D(f.cost), unfolds=f.goal.expr),
        step("linearity", chain(yi * D(sp.log(hi)), (1 - yi) * D(sp.log(1 - hi)))),
        step("log", chain(U(yi, D(hi), 1 / hi), U(1 - yi, D(1 - hi), 1 / (1 - hi)))),
        step(
            "definition",
            chain(U(yi, D(sig), 1 / hi), U(-1, 1 - yi, D(sig), 1 / (1 - hi))),
            definition=f.definitions[0],
        ),
        step(
            "sigmoid",
            chain(U(yi, sig, 1 - sig, D(s), 1 / hi), U(-1, 1 - yi, sig, 1 - sig, D(s), 1 / (1 - hi))),
            NUMERIC,
        ),
        step(
            "fold",
            chain(U(yi, hi, 1 - hi, D(s), 1 / hi), U(-1, 1 - yi, hi, 1 - hi, D(s), 1 / (1 - hi))),
            definition=f.definitions[0],
        ),
        step("inner-product", chain(U(yi, hi, 1 - hi, xij, 1 / hi), U(-1, 1 - yi, hi, 1 - hi, xij, 1 / (1 - hi)))),
        step("cancel", chain(yi * (1 - hi) * xij, -(1 - yi) * hi * xij)),
        step("distribute", f.gradient),
        step("vectorise", MatrixElement(model.matrix_gradient, j, 0), NUMERIC),
    )
    checks = (Check("closed form", HOLDS), Check("sympy.diff", NUMERIC))
    return Derivation(
        "Logistic regression: ∂J(θ)/∂θ_j", f.goal, f.variable, steps, f.definitions, checks, "logistic", seed=7
    )


def catalog_chain(name: str, form: str = "sum") -> Derivation:
    """definition, a gap, a failing step, an undecided one, the closed form, the matrix form."""
    model = get_model(name)
    f = model.form(form)
    steps = [
        step("definition", sp.Derivative(f.cost, f.variable, evaluate=False), unfolds=f.goal.expr),
        step("unexplained", 2 * f.gradient, FAILS),
        step("a guess", f.gradient + 1, UNDECIDED),  # a rule the label table does not know: named by its id
        step("closed form", f.gradient, None),
    ]
    if model.matrix_gradient is not None and form == "sum":
        steps.append(step("vectorise", MatrixElement(model.matrix_gradient, j, 0)))
    checks = (Check("closed form", HOLDS), Check("sympy.diff", FAILS))
    return Derivation(model.title, f.goal, f.variable, tuple(steps), f.definitions, checks, name)


ALL_CHAINS = [pytest.param(lambda: logistic_chain(), id="logistic-chain")] + [
    pytest.param(lambda name=name, form=form: catalog_chain(name, form), id=f"{name}-{form}")
    for name, model in MODELS.items()
    for form in model.forms
]
STANDALONE_CHAINS = ALL_CHAINS  # Huber's long closed form breaks inside its parentheses (it ran 29 pt off the page)


# --- expressions ---------------------------------------------------------------------------------

H = type(get_model("logistic").form().definitions[0].short)
J = get_model("logistic").form().goal.expr

EXPRESSIONS = [
    (theta[j], "θ_j", "theta_j", r"\theta_{j}"),
    (x[i, j], "x_j⁽ⁱ⁾", "x_j^(i)", r"x_{j}^{(i)}"),
    (x[k], "x_k", "x_k", r"x_{k}"),
    (y[i], "y⁽ⁱ⁾", "y^(i)", r"y^{(i)}"),
    (sp.Symbol("y"), "y", "y", "y"),
    (lam, "λ", "lambda", r"\lambda"),
    (inner(i), "θᵀx⁽ⁱ⁾", "theta^T x^(i)", r"\theta^{\top} x^{(i)}"),
    (sp.Sum(theta[k] * x[k], (k, 0, n)), "θᵀx", "theta^T x", r"\theta^{\top} x"),
    (sigmoid(z), "σ(z)", "sigma(z)", r"\sigma\left(z\right)"),
    (H(i), "h_θ(x⁽ⁱ⁾)", "h_theta(x^(i))", r"h_\theta\left(x^{(i)}\right)"),
    (H(1), "h_θ(x⁽¹⁾)", "h_theta(x^(1))", r"h_\theta\left(x^{(1)}\right)"),
    (H(sp.Symbol("q")), "h_θ(x^(q))", "h_theta(x^(q))", r"h_\theta\left(x^{(q)}\right)"),
    (J, "J(θ)", "J(theta)", r"J\left(\theta\right)"),
    (D(J), "∂J(θ)/∂θ_j", "dJ(theta)/dtheta_j", r"\frac{\partial J\left(\theta\right)}{\partial \theta_{j}}"),
    (
        D(sp.log(1 - H(i))),
        "∂/∂θ_j log(1 − h_θ(x⁽ⁱ⁾))",
        "d/dtheta_j log(1 - h_theta(x^(i)))",
        r"\frac{\partial}{\partial \theta_{j}} \log\left(1 - h_\theta\left(x^{(i)}\right)\right)",
    ),
    (
        D(inner(i)),
        "∂/∂θ_j [θᵀx⁽ⁱ⁾]",
        "d/dtheta_j [theta^T x^(i)]",
        r"\frac{\partial}{\partial \theta_{j}} \left[ \theta^{\top} x^{(i)} \right]",
    ),
    (sp.Derivative(sigmoid(z), z, evaluate=False), "dσ(z)/dz", "d sigma(z)/dz", r"\frac{d \sigma\left(z\right)}{dz}"),
    (
        sp.Derivative(1 + z**2, z, evaluate=False),
        "d/dz [z² + 1]",
        "d/dz [z^2 + 1]",
        r"\frac{d}{dz} \left[ z^{2} + 1 \right]",
    ),
    (sp.exp(-z), "e^(−z)", "exp(-z)", "e^{-z}"),
    (sp.log(z), "log(z)", "log(z)", r"\log\left(z\right)"),
    (sp.KroneckerDelta(j, 0), "δ_j0", "delta(j,0)", r"\delta_{j 0}"),
    (sp.KroneckerDelta(0, j), "δ_j0", "delta(j,0)", r"\delta_{j 0}"),
    (
        -sp.Sum(y[i], EXAMPLES) / m,
        "−(1/m) Σᵢ₌₁ᵐ y⁽ⁱ⁾",
        "-(1/m) sum_{i=1}^{m} y^(i)",
        r"-\frac{1}{m} \sum_{i=1}^{m} y^{(i)}",
    ),
    (
        sp.Sum(y[i] + 1, EXAMPLES),
        "Σᵢ₌₁ᵐ [y⁽ⁱ⁾ + 1]",
        "sum_{i=1}^{m} [y^(i) + 1]",
        r"\sum_{i=1}^{m} \left[ y^{(i)} + 1 \right]",
    ),
    (lam * theta[j] / m, "(λ/m) θ_j", "(lambda/m) theta_j", r"\frac{\lambda}{m} \theta_{j}"),
    (z / 2, "z/2", "z/2", r"\frac{z}{2}"),
    (
        sp.Sum(theta[k] ** 2, (k, 1, n)) * lam / (2 * m),
        "(λ/(2m)) Σₖ₌₁ⁿ θ_k²",
        "(lambda/(2m)) sum_{k=1}^{n} theta_k^2",
        r"\frac{\lambda}{2 m} \sum_{k=1}^{n} \theta_{k}^{2}",
    ),
    (
        U(H(i), 1 - H(i), 1 / H(i)),
        "h_θ(x⁽ⁱ⁾) (1 − h_θ(x⁽ⁱ⁾))/h_θ(x⁽ⁱ⁾)",
        "h_theta(x^(i)) (1 - h_theta(x^(i)))/h_theta(x^(i))",
        r"\frac{h_\theta\left(x^{(i)}\right) \left(1 - h_\theta\left(x^{(i)}\right)\right)}"
        r"{h_\theta\left(x^{(i)}\right)}",
    ),
    (sp.Add(y[i], -y[i], evaluate=False), "y⁽ⁱ⁾ − y⁽ⁱ⁾", "y^(i) - y^(i)", r"y^{(i)} - y^{(i)}"),
]


@pytest.mark.parametrize(("expr", "unicode", "ascii", "latex"), EXPRESSIONS, ids=[e[1] for e in EXPRESSIONS])
def test_notation(expr, unicode, ascii, latex):
    assert (to_unicode(expr), to_ascii(expr), to_latex(expr)) == (unicode, ascii, latex)


def test_matrix_notation():
    model = get_model("logistic")
    assert to_unicode(model.matrix_gradient) == "(1/m) Xᵀ(σ(Xθ) − y)"
    assert to_ascii(model.matrix_gradient) == "(1/m) X^T (sigma(X theta) - y)"
    assert to_latex(model.matrix_gradient) == r"\frac{1}{m} X^{\top} \left(\sigma\left(X \theta\right) - y\right)"
    assert to_unicode(MatrixElement(model.matrix_gradient, j, 0)) == "[(1/m) Xᵀ(σ(Xθ) − y)]_j"
    assert to_latex(MatrixElement(model.matrix_gradient, j, 0)).startswith(r"\left[ \frac{1}{m} X^{\top}")
    assert to_unicode(model.matrix_hessian) == "(1/m) Xᵀ diag(σ(Xθ) ⊙ (𝟏 − σ(Xθ))) X"
    assert r"\operatorname{diag}" in to_latex(model.matrix_hessian)
    assert r"\mathbf{1}" in to_latex(model.matrix_cost) and "log(𝟏 − σ(Xθ))" in to_unicode(model.matrix_cost)


@pytest.mark.parametrize("name", MODELS)
def test_every_catalog_expression_prints(name):
    model = MODELS[name]
    exprs = [model.matrix_cost, model.matrix_gradient, model.matrix_hessian]
    for form in model.forms.values():
        exprs += [form.cost, form.goal, form.gradient, *(d.long for d in form.definitions)]
    for expr in filter(lambda e: e is not None, exprs):
        assert to_ascii(expr).isascii() and to_latex(expr).isascii()
        assert "Dummy" not in to_unicode(expr) and "Lambda" not in to_unicode(expr)


def test_unevaluated_products_print_faithfully():
    e = U(sp.Integer(2), sp.Integer(3), z)
    assert to_unicode(e) == "2·3 z" and to_ascii(e) == "2*3 z" and to_latex(e) == r"2 \cdot 3 z"
    assert to_unicode(U(z, 1 / z)) == "z/z"
    assert to_unicode(U(-1, z, sp.Pow(z, -2, evaluate=False))) == "−z/z²"


def test_ascii_text_transliterates_our_notation():
    assert ascii_text("h_θ(x⁽ⁱ⁾) = σ(θᵀx⁽ⁱ⁾) − y") == "h_theta(x^(i)) = sigma(theta^T x^(i)) - y"
    assert ascii_text("Σᵢ₌₁ᵐ λθ_j") == "sum_{i=1}^m lambda theta_j"
    assert ascii_text("chain rule: ∂log u = ∂u/u") == "chain rule: d log u = du/u"


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_expr(fmt):
    out = render_expr(inner(i), fmt)
    assert out and ("θ" in out or r"\theta" in out or "\\u03b8" in out)


def test_unknown_format_or_option_is_refused():
    d = logistic_chain()
    with pytest.raises(ValueError, match="text, latex, markdown, json"):
        render(d, "html")
    with pytest.raises(ValueError, match="latex"):
        render(d, "text", standalone=True)
    with pytest.raises(ValueError, match="jupyter"):
        render(d, "latex", standalone=True, jupyter=True)
    with pytest.raises(ValueError, match="valid formats"):
        render_expr(z, "pdf")


# --- text ---------------------------------------------------------------------------------------


def test_text_reads_like_the_accepted_answer():
    out = render(logistic_chain())
    for piece in (
        "∂J(θ)/∂θ_j = ∂/∂θ_j [−(1/m) Σᵢ₌₁ᵐ [",
        "y⁽ⁱ⁾ ∂/∂θ_j log(h_θ(x⁽ⁱ⁾))",
        "(y⁽ⁱ⁾/h_θ(x⁽ⁱ⁾)) ∂h_θ(x⁽ⁱ⁾)/∂θ_j",
        "∂/∂θ_j σ(θᵀx⁽ⁱ⁾)",
        "y⁽ⁱ⁾ h_θ(x⁽ⁱ⁾) (1 − h_θ(x⁽ⁱ⁾)) x_j⁽ⁱ⁾/h_θ(x⁽ⁱ⁾)",
        "= (1/m) Σᵢ₌₁ᵐ (h_θ(x⁽ⁱ⁾) − y⁽ⁱ⁾) x_j⁽ⁱ⁾",
        "= [(1/m) Xᵀ(σ(Xθ) − y)]_j",
        "(linearity) ✓",
        "where h_θ(x⁽ⁱ⁾) = σ(θᵀx⁽ⁱ⁾)",
        "10 steps, all verified (8 symbolic, 2 numeric)",
        "seed 7",
    ):
        assert piece in out, piece
    lines = out.splitlines()
    assert lines[0] == "Logistic regression: ∂J(θ)/∂θ_j"
    equals = {line.index(" = ") for line in lines if re.match(r"^(∂J\(θ\)/∂θ_j| +)= ", line)}
    assert equals == {len("∂J(θ)/∂θ_j")}, "the = signs line up"
    assert max(map(len, lines)) <= 100


def test_text_marks_failures_gaps_and_counterexamples():
    out = render(catalog_chain("logistic"))
    assert "(unexplained (no rule)) ✗" in out and "(a guess) ?" in out and "(closed form) ·" in out
    assert "step 2 (unexplained (no rule)): fails (numeric)" in out
    assert "counterexample: theta_0 = 0.25, m = 3, y = [0.5, 1.5], x[1, 2] = 3.14159" in out
    assert "✗ sympy.diff: fails" in out
    assert "1 FAIL (step 2); 1 undecided (step 3); 1 not checked (step 4); 1 unexplained (step 2)" in out
    assert "result check FAILED: sympy.diff" in out


@pytest.mark.parametrize("make", ALL_CHAINS)
def test_ascii_output_is_ascii(make):
    out = render(make(), ascii=True)
    assert out.isascii(), [c for c in out if not c.isascii()]
    assert "ok" in out and "theta" in out


def test_wrap_breaks_at_the_outermost_sign_and_drops_nothing():
    text = "a = [(b + c) (d + e) + f (g + h)] − k (l + m) + n o p q r s t u v"
    for width in (10, 20, 30, 200):
        lines = wrap(text, width, indent=4)
        assert " ".join(line.strip() for line in lines) == text
    assert wrap(text, 40)[1].startswith("− k")
    assert wrap("a b c d e f", 3, indent=10)[-1].strip() == "f", "a narrow width still ends"


# --- LaTeX, Markdown, JSON -----------------------------------------------------------------------


@pytest.mark.parametrize("make", ALL_CHAINS)
def test_latex_is_ascii_and_aligned(make):
    d = make()
    out = render(d, "latex")
    assert out.isascii(), [c for c in out if not c.isascii()]
    assert out.startswith(r"\begin{align*}") and out.endswith(r"\end{align*}")
    assert out.count(r"&\underset") == len(d.steps)
    jupyter = render(d, "latex", jupyter=True)
    assert jupyter.startswith(r"$$\begin{aligned}") and jupyter.endswith(r"\end{aligned}$$")
    assert d._repr_latex_() == jupyter and str(d) == render(d)


def test_latex_of_the_logistic_chain():
    out = render(logistic_chain(), "latex")
    for piece in (
        r"\frac{\partial J\left(\theta\right)}{\partial \theta_{j}} "
        r"&\underset{\text{definition of } J\left(\theta\right)}{=}",
        r"-\frac{1}{m} \sum_{i=1}^{m}",
        r"\frac{\partial}{\partial \theta_{j}} \log\left(h_\theta",
        r"\underset{\sigma' = \sigma\left(1-\sigma\right)}{=}",
        r"x_{j}^{(i)}",
        r"\theta^{\top} x^{(i)}",
        r"\left[ \frac{1}{m} X^{\top} \left(\sigma\left(X \theta\right) - y\right) \right]_{j}",
    ):
        assert piece in out, piece
    assert r"\Biggl[" in out and r"\Biggr]" in out, "long lines are split"


def test_latex_lines_fit_the_page():
    rows = render(logistic_chain(), "latex").split(r"\\")
    assert all(latex_width(re.sub(r"^\[1ex\]", "", row)) < 110 for row in rows)


def test_latex_marks_failures_and_gaps():
    out = render(catalog_chain("linear"), "latex", standalone=True)
    assert r"\textbf{unexplained (no rule)}" in out and r"\textbf{fails}" in out and "[undecided]" in out
    assert r"\item[$\times$] step 2" in out and r"theta\_0 = 0.25" in out


def test_markdown():
    out = render(logistic_chain(), "markdown")
    assert out.startswith("### Logistic regression: ∂J(θ)/∂θ_j\n")
    assert "$$\n\\begin{aligned}\n" in out and "\\end{aligned}\n$$" in out
    assert r"\underset{\text{linearity}}{=}" in out
    assert "- ✓ closed form: holds (symbolic)" in out
    assert render(logistic_chain(), "markdown", ascii=True).isascii()
    assert logistic_chain()._repr_markdown_() == out


@pytest.mark.parametrize("make", ALL_CHAINS)
def test_json_round_trips(make):
    d = make()
    data = json.loads(render(d, "json"))
    assert [s["index"] for s in data["steps"]] == list(range(len(d.steps)))
    assert [s["rule"] for s in data["steps"]] == [s.rule for s in d.steps]
    assert data["goal"]["latex"] == to_latex(d.goal) and data["goal"]["text"] == to_unicode(d.goal)
    assert data["verified"] is d.verified and data["seed"] == d.seed and data["model"] == d.model
    assert len(data["checks"]) == len(d.checks)
    assert render(d, "json", ascii=True).isascii()


def test_json_counterexamples_are_plain_numbers():
    data = json.loads(render(catalog_chain("logistic"), "json"))
    failed = data["steps"][1]
    assert failed["verdict"]["status"] == "fails" and failed["label"] == "unexplained (no rule)"
    assert failed["verdict"]["counterexample"] == {
        "theta_0": 0.25,
        "m": 3,
        "y": [0.5, 1.5],
        "x[1, 2]": pytest.approx(3.14159265),
    }
    assert data["steps"][3]["verdict"] is None and data["gaps"] == [1]


# --- pdflatex ------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", STANDALONE_CHAINS)
def test_standalone_latex_compiles(make, tmp_path):
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed: the standalone document cannot be compiled here")
    source = render(make(), "latex", standalone=True)
    assert source.isascii() and source.startswith(r"\documentclass")
    (tmp_path / "d.tex").write_text(source, encoding="ascii")
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "d.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    log = (tmp_path / "d.log").read_text(errors="replace")
    assert run.returncode == 0, log[-3000:]
    assert (tmp_path / "d.pdf").stat().st_size > 1000
    overfull = [float(w) for w in re.findall(r"Overfull \\hbox \((\d+\.?\d*)pt too wide\)", log)]
    assert all(w < 20 for w in overfull), f"lines run off the page by {overfull} pt"
