"""Mutation suite of the gradient checker: wrong gradients with an injected fault, and correct ones written otherwise.

Every wrong gradient must be judged incorrect (no false accept), every correct one
correct (no false reject), and the diagnosis must name the injected fault for at
least 90% of the wrong ones.  The confusion matrix (injected × diagnosed) is
printed with the test output.
"""

from __future__ import annotations

import collections
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import sympy as sp

from derivation.check.gradient import check_gradient
from derivation.core.functions import sigmoid
from derivation.core.notation import Theta, X, Y, elementwise
from derivation.models import get_model

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Case:
    model: str
    kind: str  # "grad", "latex" or "python"
    text: str
    fault: str | None  # None: a correct gradient
    call: str | None = None


def _sum_model():
    """Logistic regression with a summed cost (no 1/m): its gradient is Xᵀ(σ(Xθ) − y)."""
    base = get_model("logistic")
    h = elementwise(sigmoid, X * Theta)
    return replace(
        base,
        name="logistic-sum",
        title="Logistic regression with a summed cost",
        matrix_cost=sp.Symbol("m", integer=True, positive=True) * base.matrix_cost,
        matrix_gradient=X.T * (h - Y),
        matrix_hessian=None,
    )


SUM_MODEL = _sum_model()

H = {"logistic": "sigmoid(X @ theta)", "logistic-l2": "sigmoid(X @ theta)", "linear": "X @ theta"}
HI = {
    "logistic": "sigmoid(Sum(theta[k]*X[i, k], (k, 0, n)))",
    "logistic-l2": "sigmoid(Sum(theta[k]*X[i, k], (k, 0, n)))",
    "linear": "Sum(theta[k]*X[i, k], (k, 0, n))",
}
REG = {"logistic-l2": " + lam/m * (theta - theta[0]*e0)"}
REG_I = {"logistic-l2": " + lam/m * theta[j] * (1 - KroneckerDelta(j, 0))"}
HL = {"logistic": r"h_\theta(x^{(i)})", "logistic-l2": r"h_\theta(x^{(i)})", "linear": r"\theta^T x^{(i)}"}
HLM = {"logistic": r"\sigma(X\theta)", "logistic-l2": r"\sigma(X\theta)", "linear": r"X\theta"}
NEGATED = {"logistic": "ascent", "logistic-l2": "ascent", "linear": "sign"}  # the fault of −∇J


def correct_cases() -> list[Case]:
    out = []
    for model in ("logistic", "logistic-l2", "linear"):
        h, reg, hi, regi = H[model], REG.get(model, ""), HI[model], REG_I.get(model, "")
        for text in (
            f"1/m * X.T @ ({h} - y){reg}",
            f"X.T @ ({h} - y) / m{reg}",
            f"-1/m * X.T @ (y - {h}){reg}",
            f"(({h} - y).T @ X).T / m{reg}",
            f"(X.T @ {h} - X.T @ y) / m{reg}",
            f"Sum(({hi} - y[i])*X[i, j], (i, 0, m-1))/m{regi}",
            f"-Sum((y[i] - {hi})*x[i, j], (i, 0, m-1))/m{regi}",
            f"Sum((h(i) - y[i])*X[i, j], (i, 0, m-1))/m{regi}",
        ):
            out.append(Case(model, "grad", text, None))
    out.append(Case("logistic", "grad", "1/m * X.T @ ((1 + exp(-(X @ theta)))**(-1) - y)", None))
    out.append(
        Case("logistic-l2", "grad", "X.T @ (sigmoid(X @ theta) - y)/m + lam/m*(theta - e0 @ e0.T @ theta)", None)
    )
    for model in ("logistic", "linear"):
        hl, hlm = HL[model], HLM[model]
        for text in (
            rf"\frac{{1}}{{m}}\sum_{{i=1}}^{{m}}\left({hl}-y^{{(i)}}\right)x_j^{{(i)}}",
            rf"\frac{{-1}}{{m}}\sum_{{i=1}}^m \left[y^{{(i)}}-{hl}\right]\,x_j^{{(i)}}",
            rf"\frac{{1}}{{m}} X^T({hlm}-y)",
            r"\frac{1}{m}\sum_{i=1}^{m}\left(h_\theta(x^{(i)})-y^{(i)}\right)x_j^{(i)}",
        ):
            out.append(Case(model, "latex", text, None))
    out.append(Case("logistic", "latex", r"\frac{1}{m} \cdot X^T\big(\sigma(X\theta)-y\big)", None))
    out.append(
        Case(
            "logistic",
            "latex",
            r"\frac{1}{m}\sum_{i=1}^{m}\left(\frac{1}{1+e^{-\theta^T x^{(i)}}}-y^{(i)}\right)x_j^{(i)}",
            None,
        )
    )
    # a summed cost: the same gradients without 1/m are right
    out.append(Case("logistic-sum", "grad", "X.T @ (sigmoid(X @ theta) - y)", None))
    out.append(Case("logistic-sum", "grad", "Sum((h(i) - y[i])*X[i, j], (i, 0, m-1))", None))
    out.append(Case("logistic-sum", "latex", r"\sum_{i=1}^{m}(h_\theta(x^{(i)})-y^{(i)})x_j^{(i)}", None))
    return out


def wrong_cases() -> list[Case]:
    out = []
    for model in ("logistic", "logistic-l2", "linear"):
        h, reg, hi, regi = H[model], REG.get(model, ""), HI[model], REG_I.get(model, "")
        logistic, l2 = model != "linear", model == "logistic-l2"
        mreg = " + lam*(theta - theta[0]*e0)" if l2 else ""
        mregi = " + lam*theta[j]*(1 - KroneckerDelta(j, 0))" if l2 else ""
        d, di = f"X.T @ ({h} - y)/m", f"Sum(({hi} - y[i])*X[i, j], (i, 0, m-1))/m"
        # −∇J of a cross-entropy is the mean log-likelihood's gradient (ascent); with a penalty kept
        # right and only the data term negated, the sign alone is wrong
        negated, data_negated = ("ascent" if logistic else "sign"), ("sign" if l2 else NEGATED[model])
        cases = [
            (data_negated, f"1/m * X.T @ (y - {h}){reg}"),
            (negated, f"-({d}{reg})"),
            (data_negated, f"Sum((y[i] - {hi})*X[i, j], (i, 0, m-1))/m{regi}"),
            (data_negated, f"-Sum((h(i) - y[i])*X[i, j], (i, 0, m-1))/m{regi}"),
            ("summed", f"X.T @ ({h} - y){mreg}"),
            ("scale", f"2/m * X.T @ ({h} - y){reg}"),
            ("scale", f"1/(2*m) * X.T @ ({h} - y){reg}"),
            ("scale", f"X.T @ ({h} - y)/m**2{reg}"),
            ("summed", f"Sum(({hi} - y[i])*X[i, j], (i, 0, m-1)){mregi}"),
            ("scale", f"2*{di}{regi}"),
            ("transposed", f"({h} - y).T @ X / m" + (" + lam/m*(theta - theta[0]*e0).T" if l2 else "")),
            ("sigmoid-twice" if logistic else "other-model", f"X.T @ (sigmoid({h}) - y)/m{reg}"),
            (
                "sigmoid-twice" if logistic else "other-model",
                f"Sum((sigmoid({hi}) - y[i])*X[i, j], (i, 0, m-1))/m{regi}",
            ),
            ("wrong-variable", f"({h} - y) @ theta.T / m"),
            ("wrong-variable", f"({hi} - y[i])*theta[j]/m"),
            ("wrong-variable", f"Sum(({hi} - y[i])*theta[j], (i, 0, m-1))/m"),
        ]
        if l2:
            cases += [
                ("missing-regularisation", d),
                ("missing-regularisation", di),
                ("missing-regularisation", "Sum((h(i) - y[i])*X[i, j], (i, 0, m-1))/m"),
                ("bias-regularised", f"{d} + lam/m*theta"),
                ("bias-regularised", f"{di} + lam/m*theta[j]"),
                ("bias-regularised", f"({d}) + (lam/m)*theta"),
                ("penalty-scale", f"{d} + lam/(2*m)*(theta - theta[0]*e0)"),
                ("penalty-scale", f"{d} + lam*(theta - theta[0]*e0)"),
            ]
        else:
            cases += [
                ("extra-regularisation", f"{d} + lam/m*theta"),
                ("extra-regularisation", f"{d} + lam/m*(theta - theta[0]*e0)"),
                ("extra-regularisation", f"{di} + lam/m*theta[j]"),
                ("extra-regularisation", f"{d} + 0.1*theta"),
                ("wrong-axis", f"sum(X.T @ ({h} - y))/m"),
                ("wrong-axis", f"Sum(({hi} - y[i])*X[i, j], (j, 0, n))/m"),
                ("inner-derivative", f"sum({h} - y)/m"),
                ("inner-derivative", f"Sum({hi} - y[i], (i, 0, m-1))/m"),
            ]
        if logistic:
            lin, lini = "X @ theta", "Sum(theta[k]*X[i, k], (k, 0, n))"
            cases += [
                ("sigmoid-missing", f"X.T @ ({lin} - y)/m{reg}"),
                ("sigmoid-missing", f"Sum(({lini} - y[i])*X[i, j], (i, 0, m-1))/m{regi}"),
                ("other-model", f"X.T @ (({h} - y) * {h} * (1 - {h}))/m{reg}"),
                ("other-model", f"Sum(({hi} - y[i])*{hi}*(1 - {hi})*X[i, j], (i, 0, m-1))/m{regi}"),
                ("wrong-variable", "-(X @ theta)/m"),
            ]
        else:
            cases += [
                ("other-model", "X.T @ (sigmoid(X @ theta) - y)/m"),
                ("wrong-variable", "-(X @ theta - y)/m"),
            ]
        out += [Case(model, "grad", text, fault) for fault, text in cases]
    for model in ("logistic", "logistic-l2", "linear"):
        hl, hlm = HL[model], HLM[model]
        s = r"\sum_{i=1}^{m}"
        d = rf"\frac{{1}}{{m}}{s}\left({hl}-y^{{(i)}}\right)x_j^{{(i)}}"
        cases = [
            (NEGATED[model], rf"\frac{{1}}{{m}}{s}\left(y^{{(i)}}-{hl}\right)x_j^{{(i)}}"),
            (NEGATED[model], rf"-\frac{{1}}{{m}} X^T({hlm}-y)"),
            ("summed", rf"{s}\left({hl}-y^{{(i)}}\right)x_j^{{(i)}}"),
            ("summed", rf"X^T({hlm}-y)"),
            ("scale", rf"\frac{{2}}{{m}}{s}\left({hl}-y^{{(i)}}\right)x_j^{{(i)}}"),
            ("transposed", rf"\frac{{1}}{{m}}({hlm}-y)^T X"),
            ("wrong-variable", rf"\frac{{1}}{{m}}\left({hl}-y^{{(i)}}\right)\theta_j"),
            ("wrong-variable", rf"\frac{{1}}{{m}}{s}\left({hl}-y^{{(i)}}\right)\theta_j"),
        ]
        if model == "logistic-l2":  # LaTeX cannot leave θ₀ out of a penalty: only faults of the penalty itself
            cases = [c for c in cases if c[0] == "wrong-variable"] + [
                ("missing-regularisation", d),
                ("missing-regularisation", rf"\frac{{1}}{{m}} X^T({hlm}-y)"),
                ("bias-regularised", d + r" + \frac{\lambda}{m}\theta_j"),
                ("bias-regularised", rf"\frac{{1}}{{m}}\left({s}({hl}-y^{{(i)}})x_j^{{(i)}} + \lambda\theta_j\right)"),
            ]
        else:
            cases += [
                ("extra-regularisation", d + r" + \frac{\lambda}{m}\theta_j"),
                ("inner-derivative", rf"\frac{{1}}{{m}}{s}\left({hl}-y^{{(i)}}\right)"),
            ]
        if model == "logistic":
            cases += [
                ("sigmoid-missing", rf"\frac{{1}}{{m}}{s}(\theta^T x^{{(i)}}-y^{{(i)}})x_j^{{(i)}}"),
                ("sigmoid-twice", rf"\frac{{1}}{{m}}{s}(\sigma({hl})-y^{{(i)}})x_j^{{(i)}}"),
                ("other-model", rf"\frac{{1}}{{m}}{s}({hl}-y^{{(i)}}){hl}(1-{hl})x_j^{{(i)}}"),
            ]
        elif model == "linear":
            cases += [("other-model", rf"\frac{{1}}{{m}}{s}(\sigma(\theta^T x^{{(i)}})-y^{{(i)}})x_j^{{(i)}}")]
        out += [Case(model, "latex", text, fault) for fault, text in cases]
    out.append(Case("logistic", "grad", "X.T @ (sigmoid(X @ theta) - y)", "summed"))  # the summed cost's gradient
    return out


UNEXPLAINED = [  # wrong, but by no fault of the catalog: judged incorrect, and no diagnosis is invented
    Case("logistic", "grad", "X.T @ (sigmoid(X @ theta) - y)/m + theta**2", "unexplained"),
    Case("logistic", "grad", "X.T @ (exp(X @ theta) - y)/m", "unexplained"),
    Case("logistic", "grad", "X.T @ (sigmoid(X @ theta) - y)/(m + 1)", "unexplained"),
    Case("logistic", "grad", "X.T @ (sigmoid(2 * X @ theta) - y)/m", "unexplained"),
    Case("linear", "grad", "X.T @ (X @ theta - y**2)/m", "unexplained"),
    Case("linear", "latex", r"\frac{1}{m}\sum_{i=1}^{m}(\theta^T x^{(i)}-y^{(i)})^3 x_j^{(i)}", "unexplained"),
]


NUMPY_FUNCTIONS = {  # name: (model, fault or None, source)
    "seed_fixed": ("logistic", "ascent", None),  # −∇J: the mean log-likelihood's gradient
    "seed_corrected": (
        "logistic",
        None,
        """
        import numpy as np
        def sig(z):
            return 1/(1+np.e**-(z))
        def compute_grad(X, y, w):
            m = X.shape[0]
            A = sig(w.dot(X.T))
            return (1/m) * (X.T * (A - y)).sum(axis=1)
    """,
    ),
    "columns": ("logistic", None, "correct_columns.py:cost_function"),
    "l2_copy": (
        "logistic-l2",
        None,
        """
        import numpy as np
        def grad(theta, X, y, lam):
            m = len(y)
            h = 1 / (1 + np.exp(-X @ theta))
            reg = lam / m * theta
            reg[0] = 0
            return X.T @ (h - y) / m + reg
    """,
    ),
    "linear_names": (
        "linear",
        None,
        """
        import numpy as np
        def gradient(w, features, targets):
            return np.dot(features.T, np.dot(features, w) - targets) / len(targets)
    """,
    ),
    "call_order": (
        "linear",
        None,
        """
        def g(a, b, c):
            return a.T @ (a @ c - b) / a.shape[0]
    """,
    ),
    "broadcast_logistic": (
        "logistic",
        "broadcast",
        """
        import numpy as np
        def grad(theta, X, y):
            h = 1 / (1 + np.exp(-X @ theta.ravel()))
            return X.T @ (h - y.reshape(-1, 1)) / len(h)
    """,
    ),
    "broadcast_linear": (
        "linear",
        "broadcast",
        """
        def grad(theta, X, y):
            r = (X @ theta).reshape(-1, 1) - y.ravel()
            return X.T @ r / X.shape[0]
    """,
    ),
    "broadcast_summed": (
        "logistic",
        "broadcast",
        """
        import numpy as np
        def grad(theta, X, y):
            h = 1 / (1 + np.exp(-X @ theta.ravel()))
            return (X.T @ (h - y.reshape(-1, 1))).sum(axis=1) / len(h)
    """,
    ),
    "broadcast_l2": (
        "logistic-l2",
        "broadcast",
        """
        import numpy as np
        def grad(theta, X, y, lam):
            t = theta.ravel()
            h = 1 / (1 + np.exp(-X @ t))
            reg = lam / len(h) * t.reshape(-1, 1)
            reg[0] = 0
            return X.T @ (h - y.reshape(-1, 1)) / len(h) + reg
    """,
    ),
    "wrong_axis": (
        "logistic",
        "wrong-axis",
        """
        import numpy as np
        def grad(theta, X, y):
            h = 1 / (1 + np.exp(-X @ theta.ravel()))
            return (X.T * (h - y.ravel())).sum(axis=0) / len(h)
    """,
    ),
    "transposed": (
        "linear",
        "transposed",
        """
        def grad(theta, X, y):
            t, v = theta.ravel(), y.ravel()
            return (X.T @ (X @ t - v) / len(v)).reshape(1, -1)
    """,
    ),
    "l2_missing_m": (
        "logistic-l2",
        "summed",
        """
        import numpy as np
        def grad(theta, X, y, lam):
            h = 1 / (1 + np.exp(-X @ theta))
            reg = lam * theta
            reg[0] = 0
            return X.T @ (h - y) + reg
    """,
    ),
    "l2_bias": (
        "logistic-l2",
        "bias-regularised",
        """
        import numpy as np
        def grad(theta, X, y, lambda_):
            m = len(y)
            return X.T @ (1 / (1 + np.exp(-X @ theta)) - y) / m + lambda_ / m * theta
    """,
    ),
    "no_sigmoid": (
        "logistic",
        "sigmoid-missing",
        """
        def grad(theta, X, y):
            return X.T @ (X @ theta - y) / len(y)
    """,
    ),
}
CALLS = {"call_order": "g(X, y, theta)"}


def numpy_cases(tmp_path: Path) -> list[Case]:
    out = []
    for name, (model, fault, source) in NUMPY_FUNCTIONS.items():
        if source is None:
            spec = str(DATA / "seed000_compute_grad_fixed.py") + ":compute_grad"
        elif source.endswith(".py:cost_function"):
            spec = str(DATA / source)
        else:
            path = tmp_path / f"{name}.py"
            path.write_text(textwrap.dedent(source), encoding="utf-8")
            spec = f"{path}:{_last_function(source)}"
        out.append(Case(model, "python", spec, fault, CALLS.get(name)))
    return out


def _last_function(source: str) -> str:
    return [line.split("def ", 1)[1].split("(")[0] for line in source.splitlines() if "def " in line][-1]


def _check(case: Case):
    model = SUM_MODEL if case.model == "logistic-sum" else case.model
    return check_gradient(model, **{case.kind: case.text}, call=case.call)


def test_the_suite_is_big_enough(tmp_path):
    wrong = [c for c in [*wrong_cases(), *numpy_cases(tmp_path)] if c.fault]
    right = [c for c in [*correct_cases(), *numpy_cases(tmp_path)] if not c.fault]
    assert len(wrong) >= 100 and len(right) >= 30
    assert {c.kind for c in wrong} == {"grad", "latex", "python"}
    assert {c.model for c in wrong} >= {"logistic", "logistic-l2", "linear"}


def test_mutation_suite(tmp_path):
    cases = [*correct_cases(), *wrong_cases(), *numpy_cases(tmp_path), *UNEXPLAINED]
    confusion: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    problems = []
    for case in cases:
        report = _check(case)
        injected = case.fault or "(correct)"
        if report.status == "correct":
            found = "(correct)"
        elif report.diagnosis is None:
            found = f"({report.status}, no diagnosis)"
        else:
            found = report.diagnosis.fault
        confusion[injected][found] += 1
        if (case.fault is None) != (report.status == "correct"):
            problems.append(f"{case}: {report.status} — {report.reason}")
        elif case.fault == "unexplained" and report.diagnosis is not None:
            problems.append(f"invented a diagnosis for {case}: {report.diagnosis}")
        elif case.fault not in (None, "unexplained") and found != case.fault:
            problems.append(f"misdiagnosed {case}: {found} — {report.diagnosis and report.diagnosis.explanation}")
    wrong = sum(1 for c in cases if c.fault not in (None, "unexplained"))
    named = sum(confusion[f][f] for f in confusion if f not in ("(correct)", "unexplained"))
    right = sum(1 for c in cases if c.fault is None)
    print(
        f"\n{_table(confusion)}\n{wrong} wrong with a catalog fault, {len(UNEXPLAINED)} wrong without one, "
        f"{right} correct; the diagnosis names the injected fault for {named}/{wrong}"
    )
    false = [p for p in problems if not p.startswith("misdiagnosed")]
    assert not false, "\n".join(false)
    assert named >= 0.9 * wrong, "\n".join(problems)


def _table(confusion) -> str:
    rows = sorted(confusion, key=lambda f: (f in ("(correct)", "unexplained"), f))
    columns = sorted({found for counts in confusion.values() for found in counts}, key=lambda f: (f.startswith("("), f))
    width = max(len(r) for r in rows) + 1
    head = "injected \\ diagnosed".ljust(width) + " | " + " | ".join(columns)
    lines = [head, "-" * len(head)]
    for r in rows:
        cells = [str(confusion[r][c] or ".").rjust(len(c)) for c in columns]
        lines.append(r.ljust(width) + " | " + " | ".join(cells))
    return "\n".join(lines)


@pytest.mark.parametrize("case", correct_cases()[:3], ids=str)
def test_a_few_correct_ones_alone(case):
    assert _check(case).status == "correct"
