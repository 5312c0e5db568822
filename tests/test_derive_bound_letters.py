"""A sum's letter is its bound index wherever the body writes it, whatever else that letter names.

Tester 13 (d07, d08): in Σ_{n=1}^{N} t_n w² the n of t_n was read as the number of features (n), not as the sum's
n, so t_n was a constant: the derivation ended 2w t_n Σ_{n=1}^{N} 1, every step ✓. Truth: central differences of
the cost, written out over concrete t_n and φ_n.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from central import central_differences

from derivation.derive.api import derive
from derivation.parsing import parse_latex
from derivation.proof.read import model_context

CASES = [
    (r"\sum_{n=1}^{N} t_n w^2", lambda w, t, phi: np.sum(t * w**2)),
    (r"\frac{1}{2}\sum_{n=1}^{N}\left(t_n - w\phi_n\right)^2", lambda w, t, phi: 0.5 * np.sum((t - w * phi) ** 2)),
    (r"\sum_{i=1}^{N} \log(1 + e^{-t_i w \phi_i})", lambda w, t, phi: np.sum(np.log1p(np.exp(-t * w * phi)))),
]


def _at(expr: sp.Expr, w: float, t: np.ndarray, phi: np.ndarray) -> float:
    """expr with N = len(t), the sums written out and every t_k, φ_k, w given."""
    N = sp.Symbol("N", real=True)
    expr = expr.subs(N, len(t)).doit()
    values = {sp.Symbol("w", real=True): w}
    for node in expr.atoms(sp.Indexed):
        k = int(node.indices[0]) - 1
        values[node] = {"t": t, "phi": phi}[node.base.label.name][k]
    return float(expr.xreplace(values))


@pytest.mark.parametrize(("latex", "cost"), CASES)
def test_a_sum_over_n_keeps_t_n_inside_and_the_result_is_the_derivative(latex, cost):
    expr = parse_latex(latex, model_context("logistic"))
    (bound,) = expr.atoms(sp.Sum).pop().variables
    assert all(i == bound for node in expr.atoms(sp.Indexed) for i in node.indices), expr
    w_symbol = sp.Symbol("w", real=True)
    result = derive(expr, w_symbol).result
    rng = np.random.default_rng(13)
    t, phi, w = rng.standard_normal(4), rng.standard_normal(4), 0.7
    truth = central_differences(lambda v: cost(v[0], t, phi), np.array([w]))[0]
    assert _at(result, w, t, phi) == pytest.approx(truth, rel=1e-6)
