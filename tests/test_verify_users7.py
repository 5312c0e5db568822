r"""Derivations as students write them (the fifth tester's false ✗): normal equations, the softmax Jacobian, (w, b).

Each text's steps are transcribed here in NumPy and decided without the verifier: an identity (∇J = (1/m)Xᵀ(Xθ − y),
∂p_k/∂z_j = p_k(δ_kj − p_j)) holds when both sides agree at random points, a derivative taken by central differences
(tests/central.py); an equation to solve (XᵀXθ = Xᵀy after "setting the gradient to zero", ⇒ or \iff) holds when it
holds at the minimiser θ* = numpy.linalg.solve(…) of the text's cost, checked to be a zero of the cost's central
differences, and does not hold for every θ (0 = 0 has lost the equation).  The verifier's verdict on every checked
step, line by line, must be NumPy's; a slip's first wrong step is its line.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from central import central_differences

from derivation.proof.verifier import verify_text

DATA = Path(__file__).parent / "data" / "verify_users7"
RNG = np.random.default_rng(7)

# --- normal equations: m = 7 examples, 3 columns (m > n + 1: least squares, not interpolation) -------------------
M = 7
X, Y = RNG.normal(size=(M, 3)), RNG.normal(size=M)
LAM = 0.8
PENALISED = np.diag([0.0, 1.0, 1.0])  # the catalog's ridge leaves θ₀ out of the penalty


def _linear(t):
    return np.sum((X @ t - Y) ** 2) / (2 * M)


def _ridge_text(t):  # ½‖Xw − y‖² + λ/2‖w‖²
    return 0.5 * np.sum((X @ t - Y) ** 2) + LAM / 2 * np.sum(t**2)


def _ridge_catalog(t):  # (1/2m)(Σ(θᵀx − y)² + λ Σ_{j≥1} θ_j²)
    return (np.sum((X @ t - Y) ** 2) + LAM * t @ PENALISED @ t) / (2 * M)


def _minimiser(cost, solved):
    assert np.abs(central_differences(cost, solved)).max() < 1e-6  # θ* is a zero of the cost's gradient
    return solved


STAR = {
    _linear: _minimiser(_linear, np.linalg.solve(X.T @ X, X.T @ Y)),
    _ridge_text: _minimiser(_ridge_text, np.linalg.solve(X.T @ X + LAM * np.eye(3), X.T @ Y)),
    _ridge_catalog: _minimiser(_ridge_catalog, np.linalg.solve(X.T @ X + LAM * PENALISED, X.T @ Y)),
}
INV = np.linalg.inv
XTX, XTY, I3 = X.T @ X, X.T @ Y, np.eye(3)


def _row_times_inverse(t):  # Xᵀy(XᵀX)⁻¹: a column times a matrix, not defined
    return XTY.reshape(-1, 1) @ INV(XTX)


# Each claim: (kind, left(θ), right(θ)).  An identity at random θ; an equation at θ* of the text's cost.
CLAIMS = {
    "J": ("identity", _linear, lambda t: (X @ t - Y) @ (X @ t - Y) / (2 * M)),
    "grad": ("identity", lambda t: central_differences(_linear, t), lambda t: X.T @ (X @ t - Y) / M),
    "grad = 0": ("equation", lambda t: X.T @ (X @ t - Y) / M, lambda t: 0 * t),
    "grad = 0 alone": ("identity", lambda t: X.T @ (X @ t - Y), lambda t: 0 * t),  # no solving context
    "XTXt - XTy = 0": ("equation", lambda t: XTX @ t - XTY, lambda t: 0 * t),
    "XTXt = XTy": ("equation", lambda t: XTX @ t, lambda t: XTY),
    "XTXt = 2XTy": ("equation", lambda t: XTX @ t, lambda t: 2 * XTY),
    "Xt = y": ("equation", lambda t: X @ t, lambda t: Y),
    "XTXt - XTXt = 0": ("equation", lambda t: XTX @ t - XTX @ t, lambda t: 0 * t),
    "t = inv(XTX)XTy": ("equation", lambda t: t, lambda t: INV(XTX) @ XTY),
    "t = XTy inv(XTX)": ("equation", lambda t: t, _row_times_inverse),
    "t = inv(XTX + I)XTy": ("equation", lambda t: t, lambda t: INV(XTX + I3) @ XTY),
    "t = inv(XTX + lam I)XTy": ("equation", lambda t: t, lambda t: INV(XTX + LAM * I3) @ XTY),
    "ridge J": ("identity", _ridge_text, lambda t: LAM / 2 * t @ t + 0.5 * (X @ t - Y) @ (X @ t - Y)),
    "ridge grad": ("identity", lambda t: central_differences(_ridge_text, t), lambda t: X.T @ (X @ t - Y) + LAM * t),
    "ridge grad = 0": ("equation", lambda t: X.T @ (X @ t - Y) + LAM * t, lambda t: 0 * t),
    "(XTX + lam I)t = XTy": ("equation", lambda t: (XTX + LAM * I3) @ t, lambda t: XTY),
    "(XTX + 2 lam I)t = XTy": ("equation", lambda t: (XTX + 2 * LAM * I3) @ t, lambda t: XTY),
    "XTXt = sum y": ("equation", lambda t: XTX @ t, lambda t: Y.sum() * np.ones(3)),  # Σ_i θᵀx⁽ⁱ⁾x_j⁽ⁱ⁾ = Σ_i y⁽ⁱ⁾
}

_GRAD_CHAIN = [(1, "J"), (3, "grad"), (3, "grad = 0"), (4, "XTXt = XTy")]
_IFF_CHAIN = [(1, "J"), (3, "grad = 0"), (4, "XTXt - XTy = 0"), (5, "XTXt = XTy")]
_SETTING = [(1, "J"), (3, "grad")]
_RIDGE = [(1, "ridge J"), (3, "ridge grad"), (3, "ridge grad = 0")]
NORMAL = {
    "v05_normal_eq.tex": (_linear, None, [*_GRAD_CHAIN, (5, "t = inv(XTX)XTy")]),
    "v06_normal_eq_slip.tex": (_linear, None, [*_GRAD_CHAIN, (5, "t = XTy inv(XTX)")]),
    "v17_normal_eq_iff.tex": (_linear, None, [*_IFF_CHAIN, (6, "t = inv(XTX)XTy")]),
    "v18_normal_eq_iff_slip.tex": (_linear, None, [*_IFF_CHAIN, (6, "t = inv(XTX + I)XTy")]),
    "v19_normal_eq_slip2.tex": (_linear, None, [*_GRAD_CHAIN, (5, "t = inv(XTX + I)XTy")]),
    "ne_setting_gives.md": (_linear, None, [*_SETTING, (7, "XTXt = XTy"), (9, "t = inv(XTX)XTy")]),
    "ne_setting_gives_twice_slip.md": (_linear, None, [*_SETTING, (7, "XTXt = 2XTy"), (9, "t = inv(XTX)XTy")]),
    "ne_setting_gives_xtheta_slip.md": (_linear, None, [*_SETTING, (7, "Xt = y"), (9, "t = inv(XTX)XTy")]),
    "ne_setting_gives_lost_slip.md": (_linear, None, [*_SETTING, (7, "XTXt - XTXt = 0"), (9, "t = inv(XTX)XTy")]),
    "ne_no_context_slip.md": (_linear, None, [(1, "J"), (3, "grad = 0 alone")]),
    "ridge_text_cost.md": (_ridge_text, None, [*_RIDGE, (4, "(XTX + lam I)t = XTy"), (5, "t = inv(XTX + lam I)XTy")]),
    "ridge_text_cost_slip.md": (
        _ridge_text,
        None,
        [*_RIDGE, (4, "(XTX + 2 lam I)t = XTy"), (5, "t = inv(XTX + lam I)XTy")],
    ),
    "ridge_one_display.md": (
        _ridge_text,
        None,
        [*_RIDGE, (3, "(XTX + lam I)t = XTy"), (3, "t = inv(XTX + lam I)XTy")],
    ),
    "ne_ridge_catalog_slip.md": (_ridge_catalog, "ridge", [(3, "t = inv(XTX + lam I)XTy")]),
    # "setting the gradient to zero:" before J(θ) = …, then ∂J/∂θ_j = … = 0 entry by entry
    "ne_index_form.md": (_linear, None, [(3, "J"), (5, "grad"), (5, "grad = 0")]),
    "ne_index_form_solved.md": (_linear, None, [(3, "J"), (5, "grad"), (5, "grad = 0"), (7, "XTXt = XTy")]),
    "ne_index_form_slip.md": (_linear, None, [(3, "J"), (5, "grad"), (5, "grad = 0"), (7, "XTXt = sum y")]),
}


def _holds(kind: str, left, right, star: np.ndarray) -> bool:
    """NumPy's verdict: an identity at three random θ; an equation at θ* and not at every θ (then none is left)."""
    trials = [RNG.normal(size=3) for _ in range(3)]

    def equal(t) -> bool:
        try:
            return bool(np.allclose(left(t), right(t), rtol=1e-6, atol=1e-6))
        except ValueError:  # shapes that do not match: no value, so no equality
            return False

    if kind == "identity":
        return all(equal(t) for t in trials)
    return equal(star) and not all(equal(t) for t in trials)


def _verdicts(report) -> list[tuple[int, bool]]:
    return [(step.line, step.status == "holds") for step in report.checked]


def _expected_slip(expected: list[tuple[int, bool]]) -> int | None:
    return next((line for line, ok in expected if not ok), None)


@pytest.mark.parametrize("name", sorted(NORMAL))
def test_normal_equations_line_by_line(name):
    cost, hypothesis, claims = NORMAL[name]
    expected = [(line, _holds(*CLAIMS[claim], STAR[cost])) for line, claim in claims]
    report = verify_text((DATA / name).read_text(), hypothesis=hypothesis)
    assert _verdicts(report) == expected, str(report)
    slip = _expected_slip(expected)
    assert (report.first_problem.line if report.first_problem else None) == slip
    assert ("slip" in name) == (slip is not None)  # the oracle agrees with the file's name
    equations = [s for s in report.checked if s.note and "equation to solve" in s.note]
    assert all("not an identity" in s.note for s in equations)


def test_an_equation_that_holds_for_every_theta_is_not_a_check_mark():
    report = verify_text((DATA / "ne_setting_gives_lost_slip.md").read_text())
    lost = report.first_failure
    assert lost.line == 7 and lost.diagnosis.kind == "lost θ"


def test_an_update_rule_after_words_on_setting_the_gradient_to_zero_is_still_an_update_rule():
    def logistic(t):
        h = 1 / (1 + np.exp(-X @ t))
        return -np.mean(Y01 * np.log(h) + (1 - Y01) * np.log(1 - h))

    Y01, t = RNG.uniform(0.1, 0.9, size=M), RNG.normal(size=3)
    written = X.T @ (1 / (1 + np.exp(-X @ t)) - Y01) / M  # the text's g: (1/m)Σ(h_θ(x⁽ⁱ⁾) − y⁽ⁱ⁾)x_j⁽ⁱ⁾
    assert np.allclose(central_differences(logistic, t), written, atol=1e-6)
    (step,) = verify_text((DATA / "update_after_setting_words.md").read_text()).checked
    assert step.status == "holds" and "update rule" in step.note


# --- the softmax Jacobian ---------------------------------------------------------------------------------------
Z = RNG.normal(size=4)
LABELS = RNG.uniform(0.1, 1.0, size=4)
LABELS /= LABELS.sum()  # Σ_k y_k = 1, as the texts say


def _softmax(z):
    return np.exp(z) / np.exp(z).sum()


def _loss(z):
    return -np.sum(LABELS * np.log(_softmax(z)))


P, E, S = _softmax(Z), np.exp(Z), np.exp(Z).sum()
JAC = np.array([central_differences(lambda z, k=k: _softmax(z)[k], Z) for k in range(4)])  # [k, j] = ∂p_k/∂z_j
D = np.eye(4)
# Sides as arrays over (k, j) (the Jacobian) or over j (∂L/∂z_j); a step holds when its two sides agree.
SIDES = {
    "FD dp_k/dz_j": JAC,
    "quotient": (D * E[:, None] * S - E[:, None] * E[None, :]) / S**2,
    "p_k(d_kj - p_j)": P[:, None] * (D - P[None, :]),
    "p_k(d_kj - p_k)": P[:, None] * (D - P[:, None]),
    "p_j(d_kj - p_k)": P[None, :] * (D - P[:, None]),
    "FD dL/dz_j": central_differences(_loss, Z),
    "-sum y_k/p_k dp_k/dz_j": -np.einsum("k,kj->j", LABELS / P, JAC),
    "-sum y_k(d_kj - p_j)": -np.einsum("k,kj->j", LABELS, D - P[None, :]),
    "-sum y_k(d_kj - p_k)": -np.einsum("k,kj->j", LABELS, D - P[:, None]),
    "-y_j + p_j sum y": -LABELS + P * LABELS.sum(),
    "-y_j - p_j sum y": -LABELS - P * LABELS.sum(),
    "-y_j + sum y_k p_k": -LABELS + LABELS @ P,
    "p_j - y_j": P - LABELS,
}
_LOSS = ["FD dL/dz_j", "-sum y_k/p_k dp_k/dz_j"]
SOFTMAX = {  # each file's chains of sides, with the line of each '=' after the first side
    "v22_softmax_jacobian.md": [
        [("FD dp_k/dz_j", 0), ("p_k(d_kj - p_j)", 1)],
        [(_LOSS[0], 0), (_LOSS[1], 5), ("-sum y_k(d_kj - p_j)", 6), ("-y_j + p_j sum y", 7), ("p_j - y_j", 8)],
    ],
    "v23_softmax_jacobian_slip.md": [
        [("FD dp_k/dz_j", 0), ("p_k(d_kj - p_j)", 1)],
        [(_LOSS[0], 0), (_LOSS[1], 5), ("-sum y_k(d_kj - p_k)", 6), ("-y_j + sum y_k p_k", 7), ("p_j - y_j", 8)],
    ],
    "v28_softmax_jac_only.md": [[("FD dp_k/dz_j", 0), ("quotient", 3), ("p_k(d_kj - p_j)", 3)]],
    "v29_softmax_jac_only_slip.md": [[("FD dp_k/dz_j", 0), ("quotient", 3), ("p_k(d_kj - p_k)", 3)]],
    # letters swapped: p_i over z_j (i the row), and p_j(δ_ij − p_i), the same matrix since δ_ij p_j = δ_ij p_i
    "softmax_jac_ij.md": [[("FD dp_k/dz_j", 0), ("quotient", 3), ("p_k(d_kj - p_j)", 3)]],
    "softmax_jac_ij_swapped.md": [[("FD dp_k/dz_j", 0), ("quotient", 3), ("p_j(d_kj - p_k)", 3)]],
    "softmax_jac_ij_slip.md": [[("FD dp_k/dz_j", 0), ("quotient", 3), ("p_k(d_kj - p_k)", 3)]],
    # j the row and k the column: ∂L/∂z_k, the same arrays with the letters renamed
    "softmax_loss_kj.md": [
        [("FD dp_k/dz_j", 0), ("p_k(d_kj - p_j)", 1)],
        [(_LOSS[0], 0), (_LOSS[1], 5), ("-sum y_k(d_kj - p_j)", 6), ("-y_j + p_j sum y", 7), ("p_j - y_j", 8)],
    ],
    "softmax_loss_kj_slip.md": [
        [("FD dp_k/dz_j", 0), ("p_k(d_kj - p_j)", 1)],
        [(_LOSS[0], 0), (_LOSS[1], 5), ("-sum y_k(d_kj - p_j)", 6), ("-y_j - p_j sum y", 7), ("p_j - y_j", 8)],
    ],
}


def _chain_verdicts(chains: list, sides: dict) -> list[tuple[int, bool]]:
    """Each '=' of each chain: the line it stands on, and whether its two sides agree (NumPy's verdict)."""
    out = []
    for chain in chains:
        for (before, _), (after, line) in itertools.pairwise(chain):
            out.append((line, bool(np.allclose(sides[before], sides[after], atol=1e-6))))
    return out


@pytest.mark.parametrize("name", sorted(SOFTMAX))
def test_softmax_jacobian_line_by_line(name):
    expected = _chain_verdicts(SOFTMAX[name], SIDES)
    report = verify_text((DATA / name).read_text())
    assert _verdicts(report) == expected, str(report)
    slip = _expected_slip(expected)
    assert (report.first_problem.line if report.first_problem else None) == slip
    assert ("slip" in name) == (slip is not None)


# --- MSE of one feature with its own (w, b) ---------------------------------------------------------------------
XS, YS = RNG.normal(size=6), RNG.normal(size=6)
W, B = RNG.normal(size=2)


def _mse(wb, half: bool):
    residual = wb[0] * XS + wb[1] - YS
    return np.mean(residual**2) / (2 if half else 1)


def _wb_sides(half: bool) -> dict:
    d_w, d_b = central_differences(lambda wb: _mse(wb, half), np.array([W, B]))
    residual, scale = W * XS + B - YS, (1 if half else 2) / len(XS)
    return {
        "FD dJ/dw": d_w,
        "FD dJ/db": d_b,
        "c sum r": scale * residual.sum(),
        "c sum r x": scale * (residual * XS).sum(),
    }


WB = {  # (J with 1/(2m)?, chains)
    "v26_mse_wb.md": (False, [[("FD dJ/db", 0), ("c sum r", 3)], [("FD dJ/dw", 0), ("c sum r x", 5)]]),
    "v27_mse_wb_slip.md": (False, [[("FD dJ/db", 0), ("c sum r x", 3)], [("FD dJ/dw", 0), ("c sum r x", 5)]]),
    "mse_bw.md": (True, [[("FD dJ/dw", 0), ("c sum r x", 3)], [("FD dJ/db", 0), ("c sum r", 5)]]),
    "mse_bw_slip.md": (True, [[("FD dJ/dw", 0), ("c sum r", 3)], [("FD dJ/db", 0), ("c sum r", 5)]]),
}


@pytest.mark.parametrize("hypothesis", [None, "linear-mean"])
@pytest.mark.parametrize("name", sorted(WB))
def test_mse_with_w_and_b_line_by_line(name, hypothesis):
    half, chains = WB[name]
    expected = _chain_verdicts(chains, _wb_sides(half))
    report = verify_text((DATA / name).read_text(), hypothesis=hypothesis)
    assert _verdicts(report) == expected, str(report)
    slip = _expected_slip(expected)
    assert (report.first_problem.line if report.first_problem else None) == slip
    assert ("slip" in name) == (slip is not None)
